import Crypto
import Foundation
import GRDB
import UrbanGridCore

/// The hash chain of `case_audit`: every entry stores `prev_hash` (the hash of the entry before it,
/// 64 zeros for the first) and `hash = SHA-256(AuditChainForm.text(prev_hash, fields))`, where the
/// fields are all the entry's columns but these two, `seq` included. Entries are appended in the
/// write transaction of the change they record; SQLite's single writer makes "the entry before"
/// well defined.
enum AuditHashChain {
    /// The columns that hold the chain itself, left out of the hashed fields.
    static let chainColumns: Set<String> = ["prev_hash", "hash"]

    static func hash(previous: String, fields: [String: DatabaseValue]) -> String {
        hash(AuditChainForm.text(previousHash: previous, fields: fields.mapValues(canonical)))
    }

    private static func hash(_ text: String) -> String { SHA256.hash(data: Data(text.utf8)).lowercaseHex }

    /// The columns of one kind of entry, sorted by name, with `seq` and without the chain's own
    /// columns; and its INSERT, written once rather than for every entry.
    struct Shape: Sendable {
        let columns: [String]
        let insertSQL: String
        init(columns: [String]) {
            self.columns = (Set(columns).subtracting(chainColumns).union(["seq"])).sorted()
            let all = self.columns + ["prev_hash", "hash"]
            insertSQL = "INSERT INTO case_audit (\(all.joined(separator: ", "))) VALUES (\(databaseQuestionMarks(count: all.count)))"
        }
    }

    /// A stored value as text: integers in decimal, reals in Swift's shortest round-trip form, blobs in
    /// hexadecimal; nil for NULL.
    static func canonical(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let i): String(i)
        case .double(let d): "\(d)"
        case .string(let s): s
        case .blob(let b): b.lowercaseHex
        }
    }

    /// Appends an entry with `values` for the columns of `shape` (by name; a column without a value
    /// is NULL, `seq` is assigned here) as the next in the chain and returns its sequence number.
    /// Must run inside the write transaction that makes the change.
    static func append(_ db: Database, shape: Shape, values: [String: DatabaseValue]) throws -> Int64 {
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM case_audit ORDER BY seq DESC LIMIT 1"))
        // AUTOINCREMENT never reuses a number, even one whose row is gone.
        let used = try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'case_audit'")) ?? 0
        let seq = max(head?["seq"] ?? 0, used) + 1
        let previous: String = head?["hash"] ?? AuditChainForm.genesis
        let row = shape.columns.map { $0 == "seq" ? seq.databaseValue : values[$0] ?? .null }
        let text = AuditChainForm.text(previousHash: previous, sortedFields: zip(shape.columns, row).map { ($0, canonical($1)) })
        try db.cachedStatement(sql: shape.insertSQL)
            .execute(arguments: StatementArguments(row + [previous.databaseValue, hash(text).databaseValue]))
        return seq
    }

    /// Hashes the entries written before the chain existed, in sequence order (the migration).
    static func backfill(_ db: Database) throws {
        var previous = AuditChainForm.genesis
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT * FROM case_audit ORDER BY seq"))
        var links: [(seq: Int64, previous: String, hash: String)] = []
        while let row = try rows.next() {
            let h = hash(previous: previous, fields: fields(of: row))
            links.append((row["seq"], previous, h))
            previous = h
        }
        let update = try db.makeStatement(sql: "UPDATE case_audit SET prev_hash = ?, hash = ? WHERE seq = ?")
        for link in links { try update.execute(arguments: [link.previous, link.hash, link.seq]) }
    }

    /// The hashed fields of a stored entry.
    static func fields(of row: Row) -> [String: DatabaseValue] {
        var out: [String: DatabaseValue] = [:]
        for (column, value) in row where !chainColumns.contains(column) { out[column] = value }
        return out
    }
}
