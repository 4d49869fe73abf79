import ArgumentParser
struct Grids: ParsableCommand { static let configuration = CommandConfiguration(abstract: "Unit grids.") }
