import ArgumentParser
import Foundation
import UrbanGridStore

/// `--db PATH`, shared by every subcommand that touches the database, with one default.
struct DatabaseOptions: ParsableArguments {
    static var defaultPath: String {
        ProcessInfo.processInfo.environment["URBANGRID_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "var/urbangrid.sqlite"
    }

    @Option(name: .long, help: "The city database (default: $URBANGRID_DB or var/urbangrid.sqlite).")
    var db: String = DatabaseOptions.defaultPath

    @Option(name: .long, help: "The gis-data folder (default: found from the executable or working directory).")
    var data: String?

    func dataDirectory() throws -> URL {
        if let data { return URL(fileURLWithPath: data) }
        guard let found = CityData.locateDataDirectory() else {
            throw ValidationError("cannot find gis-data/; pass --data or set URBANGRID_DATA")
        }
        return found
    }

    func openStore() throws -> CityStore {
        try CityStore.open(path: db)
    }

    /// Opens the database, creating it from a city folder of gis-data when it does not exist yet.
    func openOrCreate(city: String, layers: [LayerKind] = LayerKind.allCases) throws -> (store: CityStore, created: Bool) {
        if FileManager.default.fileExists(atPath: db) { return (try CityStore.open(path: db), false) }
        let data = try dataDirectory()
        let folder = URL(fileURLWithPath: db).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try CityStore.create(path: db, cityDirectory: data.appendingPathComponent(city),
                                         catalogDirectory: data.appendingPathComponent("catalog"), layers: layers)
        return (store, true)
    }
}
