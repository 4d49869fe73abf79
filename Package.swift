// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "UrbanGrid",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "urbangrid", targets: ["urbangrid"]),
        .library(name: "UrbanGridCore", targets: ["UrbanGridCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit", exact: "4.7.1"),
    ],
    targets: [
        // System libraries, found through pkg-config.
        .systemLibrary(name: "CSpatiaLite", pkgConfig: "spatialite",
                       providers: [.apt(["libspatialite-dev", "libsqlite3-dev"])]),
        .systemLibrary(name: "CProj", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        // No pkgConfig: ncursesw.pc adds -D_XOPEN_SOURCE=600, which SwiftPM refuses with a warning; the
        // shim header switches wide characters on itself and the module map links ncursesw.
        .systemLibrary(name: "CNCurses", providers: [.apt(["libncurses-dev"])]),

        // Pure domain: no I/O, no SQL, no HTTP.
        .target(name: "UrbanGridCore"),

        // The only place that speaks SQL.
        .target(name: "UrbanGridStore", dependencies: [
            "UrbanGridCore", "CSpatiaLite", "CProj",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // HTTP <-> Core/Store.
        .target(name: "UrbanGridServer", dependencies: [
            "UrbanGridCore", "UrbanGridStore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "MultipartKit", package: "multipart-kit"),
        ]),

        // The dispatcher console: a client of the HTTP API only (never the store).
        .target(name: "UrbanGridConsole", dependencies: ["UrbanGridCore", "CNCurses"]),

        .executableTarget(name: "urbangrid", dependencies: [
            "UrbanGridCore", "UrbanGridStore", "UrbanGridServer", "UrbanGridConsole",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ]),

        // Helpers shared by the Store and Server tests (GeoJSON and ray casting, independent of SpatiaLite).
        .target(name: "UrbanGridTestSupport", path: "Tests/UrbanGridTestSupport"),
        .testTarget(name: "UrbanGridCoreTests", dependencies: ["UrbanGridCore"]),
        .testTarget(name: "UrbanGridStoreTests", dependencies: [
            "UrbanGridStore", "UrbanGridTestSupport", "UrbanGridCore", .product(name: "Logging", package: "swift-log"),
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "UrbanGridConsoleTests", dependencies: ["UrbanGridConsole", "UrbanGridCore"]),
        .testTarget(name: "UrbanGridServerTests", dependencies: [
            "UrbanGridServer", "UrbanGridTestSupport", "UrbanGridStore", "UrbanGridCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
