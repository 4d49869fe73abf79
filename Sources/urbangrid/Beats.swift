import ArgumentParser
import UrbanGridStore

struct Beats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspectors' beats (责任网格): which inspector verifies and checks cases in which grids.",
        subcommands: [Assign.self])

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign grids to an inspector's beat.")
        @OptionGroup var database: DatabaseOptions
        @Option var inspector: String
        @Option(help: "Comma-separated grid codes.") var grids: String?
        @Option(help: "Comma-separated community codes (all their grids).") var communities: String?
        @Option(help: "Comma-separated street codes (all their grids).") var streets: String?
        @Flag(help: "Every grid of the city.") var all = false

        func run() throws {
            func list(_ s: String?) -> [String] { s?.split(separator: ",").map(String.init) ?? [] }
            guard all || grids != nil || communities != nil || streets != nil else {
                throw ValidationError("give --grids, --communities, --streets or --all")
            }
            let n = try database.openStore().assignBeat(username: inspector, grids: list(grids), communities: list(communities),
                                                        streets: list(streets), all: all)
            print("assigned \(n) grids to \(inspector)")
        }
    }
}
