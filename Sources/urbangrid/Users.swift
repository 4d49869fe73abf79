import ArgumentParser
import Foundation
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage users.", subcommands: [Add.self, Disable.self, Enable.self, RevokeTokens.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user; the password is read from a file, never the command line.")
        @OptionGroup var database: DatabaseOptions
        @Option var username: String
        @Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "Department code or Chinese name (department staff only).") var department: String?
        @Option(name: .customLong("password-file"), help: "A file whose first line is the password ('-' for stdin).")
        var passwordFile: String

        func run() throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("unknown role '\(role)'; one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let text = passwordFile == "-"
                ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try String(contentsOfFile: passwordFile, encoding: .utf8)
            let password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            guard password.count >= 10 else { throw ValidationError("the password must have at least 10 characters") }
            let store = try database.openStore()
            let user = try store.addUser(username: username, role: role, department: department,
                                         passwordHash: Credentials.hashPassword(password))
            print("added user \(user.username) (\(user.role.rawValue)\(user.departmentCode.map { ", \($0)" } ?? ""))")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: no more logins, and every session token is revoked at once.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String

        func run() throws {
            guard let revoked = try database.openStore().setDisabled(true, username: username) else {
                throw ValidationError("no user \(username)")
            }
            print("disabled \(username); revoked \(revoked) session(s)")
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled user log in again.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String

        func run() throws {
            guard try database.openStore().setDisabled(false, username: username) != nil else {
                throw ValidationError("no user \(username)")
            }
            print("enabled \(username)")
        }
    }

    struct RevokeTokens: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-tokens", abstract: "Revoke every session token of a user (log them out everywhere).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String

        func run() throws {
            guard let revoked = try database.openStore().revokeSessions(username: username) else {
                throw ValidationError("no user \(username)")
            }
            print("revoked \(revoked) session(s) of \(username)")
        }
    }
}
