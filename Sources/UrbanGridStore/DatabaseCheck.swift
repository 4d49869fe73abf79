import Foundation
import GRDB

/// The checks a backup passes before it is trusted: SQLite's `PRAGMA integrity_check`, the audit
/// log's hash chain (`AuditVerifier`), and every photo the database refers to present in its media
/// folder with the SHA-256 it is named by. Also the counts a restore is compared by.
public struct DatabaseCheck: Sendable {
    public var path: String
    /// "ok", or SQLite's list of problems.
    public var integrity: [String]
    public var audit: AuditChainReport
    public var cases: Int
    public var mediaRows: Int
    /// The SHA-256 of every photo the database refers to.
    public var mediaHashes: [String]
    public var missingMedia: [String]
    public var damagedMedia: [String]

    public var isSound: Bool { problems.isEmpty }

    public var problems: [String] {
        var out: [String] = []
        if integrity != ["ok"] { out.append("integrity_check: " + integrity.prefix(10).joined(separator: "; ")) }
        out += audit.findings.map { "audit: " + $0 }
        if !missingMedia.isEmpty { out.append("media files missing: " + missingMedia.prefix(10).joined(separator: ", ")) }
        if !damagedMedia.isEmpty {
            out.append("media files whose bytes do not match their SHA-256: " + damagedMedia.prefix(10).joined(separator: ", "))
        }
        return out
    }

    /// One line: what the database holds.
    public var summary: String {
        "\(cases) cases, \(audit.entries) audit entries" + (audit.head.map { " (head \($0))" } ?? "")
            + ", \(mediaRows) photos in \(mediaHashes.count) media files"
    }

    /// Checks the database at `path` without changing it, and its photos in `mediaDirectory`
    /// (default `<path>.media`).
    public static func run(path: String, mediaDirectory: URL? = nil) throws -> DatabaseCheck {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missingDatabase(path) }
        let media = mediaDirectory ?? URL(fileURLWithPath: path + ".media")
        let queue = try DatabaseQueue(path: path, configuration: CityStore.configuration(readonly: true))
        defer { try? queue.close() }
        var check = try queue.read { db in
            DatabaseCheck(path: path,
                          integrity: try String.fetchAll(db, sql: "PRAGMA integrity_check"),
                          audit: try AuditVerifier.run(db),
                          cases: try Int.fetchOne(db, sql: "SELECT count(*) FROM case_record") ?? 0,
                          mediaRows: try Int.fetchOne(db, sql: "SELECT count(*) FROM case_media") ?? 0,
                          mediaHashes: try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM case_media ORDER BY sha256"),
                          missingMedia: [], damagedMedia: [])
        }
        for sha in check.mediaHashes {
            guard DurableFiles.isSHA256(sha) else { check.damagedMedia.append(sha); continue }   // never a path
            switch try DurableFiles.sha256(of: CityStore.mediaFile(sha, in: media)) {
            case nil: check.missingMedia.append(sha)
            case sha?: break
            case _?: check.damagedMedia.append(sha)
            }
        }
        return check
    }
}
