// Helpers of the store tests that need cases: a reporting inspector and an operator, reports at
// points of the test city, a second connection to tamper with the file behind the store's back, and
// an independent recomputation of the audit hash chain (Crypto over the documented text, read with
// plain SQL, not the store's verifier).

import Crypto
import Foundation
import GRDB
import UrbanGridCore
@testable import UrbanGridStore

struct CaseCrew {
    let store: CityStore
    let inspector: UserAccount
    let operator_: UserAccount

    init(_ store: CityStore) throws {
        self.store = store
        inspector = try store.addUser(username: "inspector.li", role: .inspector, department: nil, passwordHash: "-")
        operator_ = try store.addUser(username: "operator.wang", role: .operator_, department: nil, passwordHash: "-")
    }

    /// An inspector's report of exposed garbage at a point of the test city's first grids, with a new case id.
    @discardableResult
    func report(_ n: Int, key: String? = nil) async throws -> Int64 {
        let lon = 104.3880 + Double(n % 15) * 0.0001, lat = 31.1272
        let intake = CaseIntake(kind: .event, code: "06010", location: .init(lon: lon, lat: lat), description: "report \(n)")
        return try await store.createCase(NewCase(intake: intake, lon: lon, lat: lat, reporter: inspector, idempotencyKey: key)).id
    }

    /// `count` reports, each of the even ones also accepted by the operator (a second audit entry).
    @discardableResult
    func reports(_ count: Int) async throws -> [Int64] {
        var ids: [Int64] = []
        for n in 0..<count {
            let id = try await report(n)
            if n % 2 == 0 { try store.applyAction(caseID: id, action: .accept, by: operator_, input: ActionInput()) }
            ids.append(id)
        }
        return ids
    }
}

/// A second connection to the database file, as a tamperer would open it.
func tamper(_ path: String, _ sql: String, arguments: StatementArguments = []) throws {
    let queue = try DatabaseQueue(path: path, configuration: CityStore.configuration(readonly: false))
    defer { try? queue.close() }
    try queue.writeWithoutTransaction { db in try db.execute(sql: sql, arguments: arguments) }
}

/// Rows of the audit log read with plain SQL: seq, prev_hash, hash and the hashed fields as text.
struct RawAuditEntry {
    var seq: Int64
    var previous: String?
    var hash: String?
    var fields: [String: String]
}

/// Reads the database file through a connection of its own, read-only.
func readFile<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
    let queue = try DatabaseQueue(path: path, configuration: CityStore.configuration(readonly: true))
    defer { try? queue.close() }
    return try queue.read(body)
}

func rawAudit(_ path: String) throws -> [RawAuditEntry] {
    try readFile(path) { db in
        try Row.fetchAll(db, sql: "SELECT * FROM case_audit ORDER BY seq").map { row in
            var fields: [String: String] = [:]
            for (column, value) in row where !["prev_hash", "hash"].contains(column) {
                switch value.storage {
                case .int64(let i): fields[column] = String(i)
                case .string(let s): fields[column] = s
                case .null: break
                default: fields[column] = "unexpected \(value)"
                }
            }
            return RawAuditEntry(seq: row["seq"], previous: row["prev_hash"], hash: row["hash"], fields: fields)
        }
    }
}

/// SHA-256 (hex) of the previous hash, a newline and `name-bytes:name=value-bytes:value` lines in name order.
func independentHash(previous: String, fields: [String: String]) -> String {
    var text = previous + "\n"
    for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
        text += "\(Array(name.utf8).count):\(name)=\(Array(value.utf8).count):\(value)\n"
    }
    return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
}

/// Inserts an audit entry as a forger who knows the documented form would: `fields` hashed and linked
/// to `previous`. `prelude` runs first on the same connection (e.g. `PRAGMA foreign_keys = OFF`).
func forgeAuditEntry(_ path: String, fields: [String: String], previous: String, prelude: String = "") throws {
    let names = fields.keys.sorted()
    let values: [(any DatabaseValueConvertible)?] = names.map { fields[$0] } + [previous, independentHash(previous: previous, fields: fields)]
    try tamper(path, prelude + """
        INSERT INTO case_audit (\(names.joined(separator: ", ")), prev_hash, hash)
        VALUES (\(Array(repeating: "?", count: names.count + 2).joined(separator: ", ")));
        """, arguments: StatementArguments(values))
}
