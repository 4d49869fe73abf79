import Foundation
import GRDB
import UrbanGridCore

/// A department's key for the features API (OGC API - Features), as the server sees it.
public struct ApiKey: Sendable, Equatable, Codable {
    /// Which cases a key may read in the `cases` collection.
    public enum CasesScope: String, Sendable, Codable, CaseIterable { case own, all }

    public var id: Int64
    public var name: String?
    public var departmentCode: String
    /// The collections the key opens; nil means every collection.
    public var collections: Set<String>?
    public var casesScope: CasesScope?
    public var createdAt: String
    public var expiresAt: String?
    public var revokedAt: String?

    public func opens(_ collection: String) -> Bool { collections?.contains(collection) ?? true }
}

extension CityStore {
    /// Stores a key under the SHA-256 of its secret; the secret itself is never stored.
    @discardableResult
    public func addApiKey(tokenHash: String, department: String, collections: Set<String>?, casesScope: ApiKey.CasesScope?,
                          name: String?, expiresAt: Date?) throws -> ApiKey {
        try pool.write { db in
            let code = try Self.departmentCode(db, department)
            let list = collections.map { $0.sorted().joined(separator: ",") } ?? "*"
            let now = Timestamps.now(), expires = expiresAt.map(Timestamps.format)
            try db.execute(sql: """
                INSERT INTO api_key (token_hash, name, department_code, collections, cases_scope, created_at, expires_at)
                VALUES (?,?,?,?,?,?,?)
                """, arguments: [tokenHash, name, code, list, casesScope?.rawValue, now, expires])
            return ApiKey(id: db.lastInsertedRowID, name: name, departmentCode: code, collections: collections,
                          casesScope: casesScope, createdAt: now, expiresAt: expires, revokedAt: nil)
        }
    }

    /// The live (unexpired, unrevoked) key behind a hash.
    public func apiKey(tokenHash: String) throws -> ApiKey? {
        try pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "\(Self.apiKeySelect) WHERE token_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)"),
                             arguments: [tokenHash, Timestamps.now()]).map(Self.apiKey(row:))
        }
    }

    public func apiKeys() throws -> [ApiKey] {
        try pool.read { db in try Row.fetchAll(db, sql: "\(Self.apiKeySelect) ORDER BY id").map(Self.apiKey(row:)) }
    }

    /// Revokes a key at once; false when there is no such live key.
    public func revokeApiKey(id: Int64) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [Timestamps.now(), id])
            return db.changesCount == 1
        }
    }

    private static let apiKeySelect = "SELECT id, name, department_code, collections, cases_scope, created_at, expires_at, revoked_at FROM api_key"

    private static func apiKey(row r: Row) -> ApiKey {
        let list: String = r[3]
        return ApiKey(id: r[0], name: r[1], departmentCode: r[2],
                      collections: list == "*" ? nil : Set(list.split(separator: ",").map(String.init)),
                      casesScope: (r[4] as String?).flatMap(ApiKey.CasesScope.init(rawValue:)),
                      createdAt: r[5], expiresAt: r[6], revokedAt: r[7])
    }
}
