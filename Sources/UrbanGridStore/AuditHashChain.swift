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
        let text = AuditChainForm.text(previousHash: previous, fields: fields.mapValues(canonical))
        return SHA256.hash(data: Data(text.utf8)).lowercaseHex
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

    /// Appends an entry with `fields` (column → value, without `seq`) as the next in the chain and
    /// returns its sequence number. Must run inside the write transaction that makes the change.
    static func append(_ db: Database, fields: [String: DatabaseValue]) throws -> Int64 {
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM case_audit ORDER BY seq DESC LIMIT 1"))
        // AUTOINCREMENT never reuses a number, even one whose row is gone.
        let used = try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'case_audit'")) ?? 0
        let seq = max(head?["seq"] ?? 0, used) + 1
        var fields = fields
        fields["seq"] = seq.databaseValue
        let previous: String = head?["hash"] ?? AuditChainForm.genesis
        var columns = fields.keys.sorted()
        var values = columns.map { fields[$0]! }
        columns += ["prev_hash", "hash"]
        values += [previous.databaseValue, hash(previous: previous, fields: fields).databaseValue]
        try db.cachedStatement(sql: "INSERT INTO case_audit (\(columns.joined(separator: ", "))) VALUES (\(databaseQuestionMarks(count: columns.count)))")
            .execute(arguments: StatementArguments(values))
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
