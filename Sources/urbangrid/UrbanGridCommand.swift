import ArgumentParser

@main
struct UrbanGridCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "urbangrid",
        abstract: "UrbanGrid: grid-based digital urban management (数字化城市管理).",
        subcommands: [Serve.self, Import.self, Grids.self, Users.self, Keys.self, Beats.self, Create.self, Console.self,
                      Evaluate.self, Audit.self, Backup.self, Restore.self])
}
