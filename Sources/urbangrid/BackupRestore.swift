import ArgumentParser
import Foundation
import UrbanGridStore

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database and its photos while the server runs (SQLite's online backup API).",
        discussion: """
        Writes FILE (one self-contained SQLite file) and FILE.media/ (the photos its cases refer to, each \
        checked against its SHA-256), then checks the copy as `restore` would: integrity_check, the audit \
        chain, the photos.
        """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The backup file to write (must not exist).") var to: String

    func run() throws {
        let check = try database.openStore().backup(to: to)
        print("backup \(to): \(check.summary); integrity ok, audit chain ok, photos ok")
    }
}

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup in place as the database (with the server stopped).",
        discussion: """
        Checks the backup first (integrity_check, the audit chain, every photo's SHA-256) and touches \
        nothing when a check fails. Copies the photos to <db>.media/, then the database beside --db and \
        renames it into place.
        """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The backup file (written by `urbangrid backup`).") var from: String
    @Flag(help: "Replace an existing database (refused while a process has it open).") var force = false

    func run() throws {
        do {
            let check = try CityStore.restore(from: from, to: database.db, force: force)
            print("restored \(database.db) from \(from): \(check.summary)")
        } catch StoreError.alreadyExists(let path) {
            throw ValidationError("\(path) exists; pass --force to replace it")
        }
    }
}
