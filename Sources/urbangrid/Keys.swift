import ArgumentParser
import Foundation
import UrbanGridServer
import UrbanGridStore

/// `urbangrid keys`: departments' keys for the features API (OGC API - Features).
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage departments' API keys for the features API.",
                                                    subcommands: [Add.self, List.self, Revoke.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key; it is printed once and only its SHA-256 is stored.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Department code or Chinese name, e.g. 水务.") var department: String
        @Option(help: "Comma-separated collections the key opens (default: all), e.g. grids,components,addresses.")
        var collections: String?
        @Option(help: "Cases the key may read in the cases collection: own (its department's) or all.")
        var cases: String?
        @Option(help: "A label for the key.") var name: String?
        @Option(name: .customLong("expires-days"), help: "Days until the key expires (default: never).") var expiresDays: Int?

        func run() throws {
            let scope: ApiKey.CasesScope?
            if let cases {
                guard let s = ApiKey.CasesScope(rawValue: cases) else { throw ValidationError("--cases is own or all") }
                scope = s
            } else { scope = nil }
            var list: Set<String>?
            if let collections {
                let ids = Set(collections.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                let unknown = ids.filter { FeatureLayer.named($0) == nil }
                guard unknown.isEmpty else {
                    throw ValidationError("unknown collections \(unknown.sorted().joined(separator: ", ")); known: \(FeatureLayer.all.map(\.id).joined(separator: ", "))")
                }
                list = ids
            }
            if let expiresDays, expiresDays < 1 { throw ValidationError("--expires-days must be at least 1") }
            let store = try database.openStore()
            let secret = Credentials.newApiKey()
            let key = try store.addApiKey(tokenHash: Credentials.tokenHash(secret), department: department, collections: list,
                                          casesScope: scope, name: name,
                                          expiresAt: expiresDays.map { Date().addingTimeInterval(Double($0) * 86_400) })
            FileHandle.standardError.write(Data("key \(key.id) for department \(key.departmentCode); keep it secret, it is not shown again:\n".utf8))
            print(secret)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            for k in try database.openStore().apiKeys() {
                let collections = k.collections.map { $0.sorted().joined(separator: ",") } ?? "*"
                let state = k.revokedAt.map { "revoked \($0)" } ?? k.expiresAt.map { "expires \($0)" } ?? "active"
                print("\(k.id)\t\(k.departmentCode)\t\(collections)\tcases=\(k.casesScope?.rawValue ?? "-")\t\(state)\t\(k.name ?? "")")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key at once.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The key's id (from keys list).") var id: Int64

        func run() throws {
            guard try database.openStore().revokeApiKey(id: id) else { throw ValidationError("no active key \(id)") }
            print("revoked key \(id)")
        }
    }
}
