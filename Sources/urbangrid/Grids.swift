import ArgumentParser
import Foundation
import UrbanGridStore

struct Grids: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Unit grids (单元网格): generate them from communities and roads, and check a tiling.",
        subcommands: [Generate.self, Check.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate unit grids from the communities and road centre lines, as GeoJSON.",
            discussion: """
            Reads communities and roads from --db, or, with --city-dir, from a gis-data city folder
            (through a temporary database). Writes a GeoJSON FeatureCollection (code, community_code,
            area_m2) that `urbangrid import grid FILE --replace` loads.
            """)

        @OptionGroup var database: DatabaseOptions
        @Option(name: .customLong("city-dir"), help: "A gis-data city folder to read communities and roads from instead of --db.")
        var cityDirectory: String?
        @Option(name: .customLong("target-area"), help: "Target grid area in m² (default: the city profile's).")
        var targetArea: Double?
        @Option(name: .customLong("road-classes"), help: "Comma-separated road classes that bound grids.")
        var roadClasses = GridGenerationOptions.defaultRoadClasses.joined(separator: ",")
        @Option(help: "Output file ('-' for stdout).") var out = "-"

        func run() throws {
            var temporary: URL? = nil
            defer { if let t = temporary { try? FileManager.default.removeItem(at: t) } }
            let store: CityStore
            if let cityDirectory {
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("urbangrid-grids-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                temporary = dir
                store = try CityStore.create(path: dir.appendingPathComponent("city.sqlite").path,
                                             cityDirectory: URL(fileURLWithPath: cityDirectory),
                                             catalogDirectory: try database.dataDirectory().appendingPathComponent("catalog"),
                                             layers: [.district, .street, .community, .road])
            } else {
                store = try database.openStore()
            }
            var options = GridGenerationOptions(targetAreaM2: targetArea ?? store.profile.gridTargetAreaM2,
                                                roadClasses: roadClasses.split(separator: ",").map(String.init))
            options.targetAreaM2 = max(100, options.targetAreaM2)
            let grids = try store.generateGrids(options)
            let features = grids.map { g in
                #"{"type":"Feature","properties":{"code":"\#(g.code)","community_code":"\#(g.communityCode)","area_m2":\#(g.areaM2)},"geometry":\#(g.geoJSON)}"#
            }
            let text = "{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
            if out == "-" { print(text, terminator: "") } else { try text.write(toFile: out, atomically: true, encoding: .utf8) }
            let areas = grids.map(\.areaM2)
            FileHandle.standardError.write(Data("generated \(grids.count) grids; area m² min \(areas.min() ?? 0), mean \(Int(areas.reduce(0, +) / Double(max(1, areas.count)))), max \(areas.max() ?? 0)\n".utf8))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the grids: gaps, overlaps, grids crossing communities, area outliers. Exit 1 on failure.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Areas below this many m² are ignored (rounding).") var tolerance = 1.0

        func run() throws {
            let report = try database.openStore().checkGrids(toleranceM2: tolerance)
            for issue in report.issues { print(issue) }
            let counts = Dictionary(grouping: report.issues, by: \.kind).mapValues(\.count)
            print("\(report.gridCount) grids; gaps \(counts[.gap] ?? 0), overlaps \(counts[.overlap] ?? 0), outside community \(counts[.outsideCommunity] ?? 0), area outliers \(counts[.areaOutlier] ?? 0)")
            if report.failed { throw ExitCode(1) }
        }
    }
}
