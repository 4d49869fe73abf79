import ArgumentParser
import Foundation
import UrbanGridConsole

struct Console: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The dispatcher console (指挥中心): a full-screen terminal client of a running server.",
        discussion: """
            Signs in with a token from $URBANGRID_TOKEN, from the file named by --token-file or \
            $URBANGRID_TOKEN_FILE, or with the username and password typed at the prompt.
            """)

    @Option(help: "The server's base URL.") var server = "http://127.0.0.1:8080"
    @Option(help: "Username to sign in with (the password is asked for).") var user: String?
    @Option(name: .customLong("token-file"), help: "A file holding a bearer token.") var tokenFile: String?
    @Option(help: "Language of the console: zh or en.") var lang = "zh"

    func validate() throws {
        guard Language(rawValue: lang) != nil else { throw ValidationError("--lang is zh or en") }
        guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationError("--server must be an http(s) URL such as http://127.0.0.1:8080")
        }
    }

    func run() async throws {
        let language = Language(rawValue: lang) ?? .zh
        let environment = ProcessInfo.processInfo.environment
        var token = environment["URBANGRID_TOKEN"]
        if let path = tokenFile ?? environment["URBANGRID_TOKEN_FILE"] {
            do { token = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw ValidationError("cannot read the token file \(path)")
            }
        }
        let base = URL(string: server)!
        do {
            let (client, account) = try await Login.signIn(client: APIClient(base: base), token: token, username: user,
                                                           language: language)
            try await ConsoleSession.run(client: client, user: account, language: language, server: server)
        } catch let failed as Login.Failed {
            throw ValidationError(failed.description)
        }
    }
}
