import Foundation
import GRDB

public enum BackupError: Error, CustomStringConvertible, Sendable {
    case unsound(String, [String]), inUse(String), samePath(String), badMedia(String)
    public var description: String {
        switch self {
        case .unsound(let path, let problems): "\(path) fails its checks:\n  " + problems.joined(separator: "\n  ")
        case .inUse(let path): "\(path) is open in another process (a running server?): stop it first"
        case .samePath(let path): "the backup and the database are the same file: \(path)"
        case .badMedia(let path): "the photo \(path) is missing or its bytes do not match its SHA-256 name"
        }
    }
}

extension CityStore {
    /// Copies the database to `path` with SQLite's online backup API, while the server goes on
    /// writing: the copy is the snapshot of one read transaction (WAL readers never block the
    /// writer). The photos its `case_media` rows name are then copied to `<path>.media/` (they are
    /// immutable and written before their rows, so every one is there), each checked against its
    /// SHA-256. The copy is checked as a restore checks it (`DatabaseCheck`) before it gets its name.
    public func backup(to path: String) throws -> DatabaseCheck {
        guard !FileManager.default.fileExists(atPath: path) else { throw StoreError.alreadyExists(path) }
        let media = URL(fileURLWithPath: path + ".media")
        return try Self.install(snapshotOf: pool, named: "the copy of \(self.path)", at: URL(fileURLWithPath: path)) { copy in
            let hashes = try copy.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM case_media") }
            try Self.copyMedia(hashes.filter(DurableFiles.isSHA256), from: mediaDirectory, to: media)
            return try DatabaseCheck.run(path: copy.path, mediaDirectory: media)
        }
    }

    /// Puts the backup at `backup` (with its photos in `<backup>.media/`) in place as the database at
    /// `path`. An existing database is replaced only with `force`, and only when no other process has
    /// it open. The backup is copied beside `path` (the online backup API again, so a backup with a
    /// WAL beside it is read whole) and the copy is checked (`DatabaseCheck`: integrity, audit chain,
    /// photos); nothing is touched when that fails. Then the photos are copied to `<path>.media/` and
    /// the database renamed into place.
    public static func restore(from backup: String, to path: String, force: Bool) throws -> DatabaseCheck {
        let target = URL(fileURLWithPath: path).standardizedFileURL
        guard URL(fileURLWithPath: backup).standardizedFileURL.path != target.path else { throw BackupError.samePath(path) }
        guard FileManager.default.fileExists(atPath: backup) else { throw StoreError.missingDatabase(backup) }
        let replacing = FileManager.default.fileExists(atPath: path)
        if replacing {
            guard force else { throw StoreError.alreadyExists(path) }
            try ensureUnused(path)
        }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let source = try DatabaseQueue(path: backup, configuration: configuration(readonly: true))
        defer { try? source.close() }
        let backupMedia = URL(fileURLWithPath: backup + ".media")
        return try install(snapshotOf: source, named: backup, at: target) { copy in
            let check = try DatabaseCheck.run(path: copy.path, mediaDirectory: backupMedia)
            guard check.isSound else { return check }
            try copyMedia(check.mediaHashes, from: backupMedia, to: URL(fileURLWithPath: path + ".media"))
            if replacing {
                // The old database's WAL must not be applied to the restored file.
                for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            return check
        }
    }

    /// Copies `source` with the online backup API to a temporary file beside `target` (one file, no
    /// WAL), runs `prepare` on the copy, and renames the copy to `target` when the check `prepare`
    /// returns is sound; otherwise the copy is removed and `BackupError.unsound` thrown naming `name`.
    private static func install(snapshotOf source: some DatabaseReader, named name: String, at target: URL,
                                prepare: (DatabaseQueue) throws -> DatabaseCheck) throws -> DatabaseCheck {
        let temporary = DurableFiles.temporaryName(for: target)
        defer { for suffix in ["", "-journal"] { try? FileManager.default.removeItem(atPath: temporary.path + suffix) } }
        let copy = try DatabaseQueue(path: temporary.path)
        try source.backup(to: copy)
        try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        let check = try prepare(copy)
        try copy.close()
        guard check.isSound else { throw BackupError.unsound(name, check.problems) }
        try DurableFiles.install(temporary, at: target)
        var installed = check
        installed.path = target.path
        return installed
    }

    /// Copies the photos named by `hashes` from one media folder to another, skipping those already
    /// there with the right bytes; each source and each copy is checked against its SHA-256.
    static func copyMedia(_ hashes: [String], from source: URL, to target: URL) throws {
        for sha in hashes {
            let destination = mediaFile(sha, in: target)
            if try DurableFiles.sha256(of: destination) == sha { continue }
            let origin = mediaFile(sha, in: source)
            guard try DurableFiles.sha256(of: origin) == sha else { throw BackupError.badMedia(origin.path) }
            try DurableFiles.copy(origin, to: destination)
            guard try DurableFiles.sha256(of: destination) == sha else { throw BackupError.badMedia(destination.path) }
        }
    }

    /// Throws `inUse` when another connection has the database at `path` open: an exclusive lock is
    /// refused while any WAL connection (a serving process) is open.
    static func ensureUnused(_ path: String) throws {
        var config = Configuration()
        config.busyMode = .immediateError
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE") }
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                try db.execute(sql: "ROLLBACK")
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw BackupError.inUse(path)
        }
    }
}
