import GRDB

/// Bulk maintenance of a layer's SpatiaLite R*Tree.
///
/// SpatiaLite keeps `idx_<table>_geom` current with an AFTER INSERT trigger that formats and runs
/// one SQL statement per row (parsed anew each time). For a bulk import we drop that one trigger,
/// insert, fill the R*Tree for the new rows with a single INSERT … SELECT, and restore the trigger
/// verbatim — all inside the import's transaction, so no reader ever sees the index incomplete.
enum SpatialIndexMaintenance {
    /// Below this many features the per-row trigger is cheaper than the bookkeeping.
    static let bulkThreshold = 5_000

    static func deferred(_ db: Database, table: String, when enabled: Bool, _ body: () throws -> Void) throws {
        let trigger = "gii_\(table)_geom"
        guard enabled, let triggerSQL = try String.fetchOne(db, sql:
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", arguments: [trigger]) else {
            try body()
            return
        }
        let before = try Int64.fetchOne(db, sql: "SELECT coalesce(max(fid), 0) FROM \(table)") ?? 0
        try db.execute(sql: "DROP TRIGGER \(trigger.quotedDatabaseIdentifier)")
        try body()
        try db.execute(sql: """
            INSERT INTO idx_\(table)_geom (pkid, xmin, xmax, ymin, ymax)
            SELECT fid, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), MbrMaxY(geom)
            FROM \(table) WHERE fid > ? AND geom IS NOT NULL
            """, arguments: [before])
        try db.execute(sql: triggerSQL)
    }
}
