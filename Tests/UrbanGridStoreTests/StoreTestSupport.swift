// Shared helpers of the store tests: fixture paths, temporary directories and stores, GeoJSON polygons
// with a plain ray-casting containment test, an independent Gauss-Krüger projection (EPSG:4544) for
// hand-checkable metres, fixture files in the three import formats (ogr2ogr), and reading a city
// database back through GDAL (an independent reader, not the store's own SQL).

import Foundation
@_exported import UrbanGridTestSupport
import Logging
import Testing
import UrbanGridCore
import UrbanGridStore

// MARK: - Paths

enum Fixtures {
    /// `gis-data/` of this repository, found from this file's path (Tests/UrbanGridStoreTests/…).
    static let gisData = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("gis-data")
    static let catalog = gisData.appendingPathComponent("catalog")
    static let testcity = gisData.appendingPathComponent("testcity")
    static let helsinki = gisData.appendingPathComponent("helsinki")

    /// The base layers that do not refer to unit grids: what a grid-layer replacement needs.
    static let areaLayers: [LayerKind] = [.district, .street, .community, .grid]
}


// MARK: - Temporary directories and stores

/// Runs `body` with a fresh empty directory that is removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("urbangrid-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try body(dir)
}

/// `withTemporaryDirectory` for bodies that await.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("urbangrid-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try await body(dir)
}

/// Creates a city database from a gis-data city folder in a fresh temporary directory and runs `body`
/// with it; the directory (database, fixtures) is removed afterwards.
func withStore<T>(_ city: URL = Fixtures.testcity, layers: [LayerKind] = LayerKind.allCases,
                  _ body: (CityStore, URL) throws -> T) throws -> T {
    try withTemporaryDirectory { dir in
        let store = try CityStore.create(path: dir.appendingPathComponent("city.sqlite").path,
                                         cityDirectory: city, catalogDirectory: Fixtures.catalog, layers: layers,
                                         logger: quietLogger)
        return try body(store, dir)
    }
}

/// `withStore` for bodies that await (intake is async: it commits in groups).
func withStore<T>(_ city: URL = Fixtures.testcity, _ body: (CityStore, URL) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { dir in
        let store = try CityStore.create(path: dir.appendingPathComponent("city.sqlite").path, cityDirectory: city,
                                         catalogDirectory: Fixtures.catalog, logger: quietLogger)
        return try await body(store, dir)
    }
}

/// For the store: "loaded <layer>" at info level for every layer of every test database is noise.
var quietLogger: Logger {
    var logger = Logger(label: "urbangrid.store.test")
    logger.logLevel = .warning
    return logger
}

// MARK: - Gauss-Krüger, independent of PROJ

/// Transverse Mercator forward projection by Krüger's series (Karney 2011, 4th order in n: well
/// under a millimetre within a 3-degree zone), for checking metric results by hand.
struct TransverseMercator {
    var a: Double, f: Double, centralMeridian: Double, scale: Double, falseEasting: Double, falseNorthing: Double

    /// EPSG:4544, CGCS2000 / 3-degree Gauss-Kruger CM 105E: testcity's metric CRS.
    static let epsg4544 = TransverseMercator(a: 6_378_137, f: 1 / 298.257222101, centralMeridian: 105,
                                             scale: 1, falseEasting: 500_000, falseNorthing: 0)

    func project(_ p: Point2) -> Point2 {
        let n = f / (2 - f), n2 = n * n, n3 = n2 * n, n4 = n3 * n
        let bigA = a / (1 + n) * (1 + n2 / 4 + n4 / 64)
        let alpha = [n / 2 - 2 * n2 / 3 + 5 * n3 / 16 + 41 * n4 / 180,
                     13 * n2 / 48 - 3 * n3 / 5 + 557 * n4 / 1440,
                     61 * n3 / 240 - 103 * n4 / 140,
                     49561 * n4 / 161280]
        let e = (f * (2 - f)).squareRoot()
        let phi = p.y * .pi / 180, lambda = (p.x - centralMeridian) * .pi / 180
        let t = sinh(atanh(sin(phi)) - e * atanh(e * sin(phi)))
        let xi0 = atan2(t, cos(lambda))
        let eta0 = atanh(sin(lambda) / (1 + t * t).squareRoot())
        var xi = xi0, eta = eta0
        for (j, aj) in alpha.enumerated() {
            let k = 2 * Double(j + 1)
            xi += aj * sin(k * xi0) * cosh(k * eta0)
            eta += aj * cos(k * xi0) * sinh(k * eta0)
        }
        return Point2(falseEasting + scale * bigA * eta, falseNorthing + scale * bigA * xi)
    }

    func distance(_ p: Point2, _ q: Point2) -> Double {
        let a = project(p), b = project(q)
        return ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }

    /// Shoelace area of a lon/lat ring projected vertex by vertex (as ST_Area(ST_Transform(…)) does).
    func area(_ ring: [Point2]) -> Double {
        let v = ring.map(project)
        var twice = 0.0
        for i in v.indices { let j = (i + 1) % v.count; twice += v[i].x * v[j].y - v[j].x * v[i].y }
        return abs(twice) / 2
    }
}

// MARK: - Fixture files in three formats

enum FixtureFormat: String, CaseIterable, Sendable, CustomStringConvertible {
    case geoJSON = "GeoJSON", geoPackage = "GeoPackage", shapefile = "Shapefile"
    var description: String { rawValue }
}

enum FixtureGeometry: Sendable {
    case point(Double, Double)
    case lineString([Point2])
    case polygon([[Point2]])

    var json: [String: Any] {
        func pos(_ p: Point2) -> [Double] { [p.x, p.y] }
        switch self {
        case .point(let x, let y): return ["type": "Point", "coordinates": [x, y]]
        case .lineString(let ps): return ["type": "LineString", "coordinates": ps.map(pos)]
        case .polygon(let rings): return ["type": "Polygon", "coordinates": rings.map { $0.map(pos) }]
        }
    }
}

/// A feature to write into a fixture file; attributes left out of `properties` are missing.
struct FixtureFeature: Sendable {
    var properties: [String: String]
    var geometry: FixtureGeometry
}

enum FixtureFiles {
    /// Writes `features` as an RFC 7946 FeatureCollection.
    static func writeGeoJSON(_ features: [FixtureFeature], to url: URL) throws {
        try writeGeoJSON(raw: features.map { ["type": "Feature", "properties": $0.properties, "geometry": $0.geometry.json] },
                         to: url)
    }

    static func writeGeoJSON(raw features: [[String: Any]], to url: URL) throws {
        let data = try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features],
                                              options: [.sortedKeys])
        try data.write(to: url)
    }

    /// Writes `features` named `name` into `dir` in `format` (GeoPackage and Shapefile converted from
    /// the GeoJSON by ogr2ogr); returns the file to import.
    static func write(_ features: [FixtureFeature], name: String, format: FixtureFormat, in dir: URL) throws -> URL {
        let json = dir.appendingPathComponent("\(name).geojson")
        try writeGeoJSON(features, to: json)
        switch format {
        case .geoJSON:
            return json
        case .geoPackage:
            let out = dir.appendingPathComponent("\(name).gpkg")
            try GDAL.ogr2ogr(["-f", "GPKG", out.path, json.path, "-nln", name])
            return out
        case .shapefile:
            let folder = dir.appendingPathComponent("\(name)-shp")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let out = folder.appendingPathComponent("\(name).shp")
            try GDAL.ogr2ogr(["-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", out.path, json.path])
            return out
        }
    }
}

// MARK: - GDAL (ogr2ogr)

enum GDAL {
    /// ogr2ogr from gdal-bin. Missing is a failure, not a skip: tools/test installs gdal-bin.
    static func executable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in ["/usr/bin", "/usr/local/bin"] + path.split(separator: ":").map(String.init) {
            let candidate = URL(fileURLWithPath: dir).appendingPathComponent("ogr2ogr")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw TestFailure("ogr2ogr not found (looked in /usr/bin, /usr/local/bin and $PATH): install gdal-bin "
                          + "(apt-get install gdal-bin; tools/test does this) — these tests need it to write "
                          + "GeoPackage and Shapefile fixtures and to read databases back")
    }

    /// Runs ogr2ogr; throws with its stderr when it fails.
    static func ogr2ogr(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("ogr2ogr \(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
                              + String(decoding: message, as: UTF8.self))
        }
    }

    /// Runs an SQL query on a SQLite database through GDAL and returns the rows as text (NULL → absent).
    static func query(database: String, _ sql: String) throws -> [[String: String]] {
        try withTemporaryDirectory { dir in
            let out = dir.appendingPathComponent("result.csv")
            try ogr2ogr(["-f", "CSV", out.path, database, "-sql", sql])
            let records = parseCSV(try String(contentsOf: out, encoding: .utf8))
            guard let header = records.first else { return [] }
            return records.dropFirst().map { fields in
                var row: [String: String] = [:]
                for (name, value) in zip(header, fields) where !value.isEmpty { row[name] = value }
                return row
            }
        }
    }

    /// RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF).
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = [], fields: [String] = [], field = ""
        var quoted = false, sawAny = false
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(c) }
                continue
            }
            switch c {
            case "\"": quoted = true; sawAny = true
            case ",": fields.append(field); field = ""; sawAny = true
            case "\n", "\r\n", "\r":
                if sawAny || !field.isEmpty { fields.append(field); records.append(fields) }
                fields = []; field = ""; sawAny = false
            default: field.append(c); sawAny = true
            }
        }
        if sawAny || !field.isEmpty { fields.append(field); records.append(fields) }
        return records
    }
}

// MARK: - Small assertions

/// The number of features of a GeoJSON file, counted with JSONSerialization.
func featureCount(_ url: URL) throws -> Int { try GeoJSONFile.features(url).count }

/// The data rows of a CSV file (header left out).
func csvRowCount(_ url: URL) throws -> Int {
    GDAL.parseCSV(try String(contentsOf: url, encoding: .utf8)).count - 1
}
