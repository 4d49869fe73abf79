import ArgumentParser
import UrbanGridStore

struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a city database from a gis-data city folder (all base layers and the catalogue).")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The city folder under gis-data.") var city = "helsinki"
    @Option(help: "Only these layers (comma-separated), e.g. to inspect grids before components.")
    var layers = LayerKind.allCases.map(\.rawValue).joined(separator: ",")

    func run() throws {
        let kinds = try layers.split(separator: ",").map { name in
            guard let k = LayerKind(name: String(name)) else { throw ValidationError("unknown layer '\(name)'") }
            return k
        }
        let (store, created) = try database.openOrCreate(city: city, layers: kinds)
        guard created else { throw ValidationError("\(database.db) already exists") }
        let counts = try store.counts()
        print("created \(database.db) for \(store.profile.nameEn):",
              counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }
}
