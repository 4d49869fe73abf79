import GRDB

/// A counter of changes to the base geography: every layer import bumps it in its own
/// transaction, so the features API can keep answers until the base layers change (imports
/// from another process included).
extension CityStore {
    public func baseVersion() throws -> Int64 {
        try pool.read(Self.baseVersion)
    }

    static func baseVersion(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: baseVersionSQL)) ?? 0
    }

    /// The one query of the base version (also `BaseVersionProbe`'s); no row reads as 0.
    static let baseVersionSQL = "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'base_version'"

    static func bumpBaseVersion(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO meta (key, value) VALUES ('base_version', '1')
            ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
            """)
    }
}
