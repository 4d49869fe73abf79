import ArgumentParser
import Foundation
import UrbanGridStore

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a base layer from GeoJSON, GeoPackage or ESRI Shapefile (all or nothing).",
        discussion: """
        Layers: \(LayerKind.allCases.map(\.rawValue).joined(separator: ", ")).
        Every feature is checked (attributes, codes, references, geometry validity and type, the city
        extent, duplicates); each rejected feature is reported with its index and reason, and then
        nothing is imported. CJ/T 214-2007 16-digit component ids are accepted and mapped.
        """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The layer to import into.") var layer: String
    @Argument(help: "The file: .geojson, .gpkg or .shp.") var file: String
    @Option(name: .customLong("map"), help: "Attribute mapping target=source (repeatable), e.g. --map id=OBJ_ID.")
    var mappings: [String] = []
    @Option(help: "Source CRS as an EPSG code, when the file does not say.") var srid: Int?
    @Option(name: .customLong("layer-name"), help: "The feature table of a GeoPackage with several.") var layerName: String?
    @Flag(help: "Replace the layer's features instead of adding to them.") var replace = false

    func run() throws {
        guard let kind = LayerKind(name: layer) else {
            throw ValidationError("unknown layer '\(layer)'; one of \(LayerKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var mapping: [String: String] = [:]
        for m in mappings {
            let parts = m.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw ValidationError("--map takes target=source, got '\(m)'") }
            mapping[parts[0]] = parts[1]
        }
        let store = try database.openStore()
        do {
            let report = try store.importLayer(kind, from: URL(fileURLWithPath: file),
                                               options: ImportOptions(mapping: mapping, srid: srid, layerName: layerName, replace: replace))
            print("imported \(report.imported) \(kind.rawValue) features" + (replace ? " (replaced \(report.replaced))" : ""))
        } catch let failure as ImportFailure {
            FileHandle.standardError.write(Data((failure.description + "\n").utf8))
            throw ExitCode(2)
        }
    }
}
