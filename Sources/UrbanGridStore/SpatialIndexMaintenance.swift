import GRDB

/// Bulk maintenance of a layer's SpatiaLite triggers.
///
/// SpatiaLite runs three triggers for every row inserted into a geometry table: `ggi_` checks the
/// geometry's type and SRID against `geometry_columns` (a scan with `Lower()`), `tmi_` stamps
/// `geometry_columns_time`, and `gii_` formats and runs one SQL statement to add the row to the
/// R*Tree. For a bulk import we drop those three, insert, then do their work once, set-based —
/// check every new geometry, fill the R*Tree with one INSERT … SELECT (or, when most of the
/// layer's rows are new, pack it afresh: `RTreePacking`), stamp the time — and restore the
/// triggers verbatim, all inside the import's transaction, so no reader ever sees the index
/// incomplete and a bad geometry still rolls the whole import back.
enum SpatialIndexMaintenance {
    /// Below this many features the per-row triggers are cheaper than the bookkeeping.
    static let bulkThreshold = 5_000

    struct ConstraintViolation: Error, CustomStringConvertible {
        var table: String, count: Int
        var description: String { "\(count) geometries of \(table) violate the layer's geometry type or SRID" }
    }

    /// Runs `body`, which inserts `count` rows into `table`, with the per-row work deferred when
    /// `count` reaches `bulkThreshold`.
    static func deferred(_ db: Database, table: String, adding count: Int, _ body: () throws -> Void) throws {
        let names = ["ggi_\(table)_geom", "tmi_\(table)_geom", "gii_\(table)_geom"]
        let triggers = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?, ?)
            """, arguments: StatementArguments(names))
        guard count >= bulkThreshold, triggers.count == names.count else {
            try body()
            return
        }
        let before = try Int64.fetchOne(db, sql: "SELECT coalesce(max(fid), 0) FROM \(table)") ?? 0
        let rowsBefore = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
        // When most of the layer is new, its plain indexes are built once, sorted, afterwards
        // rather than updated in random order row by row; unique ones stay (they are constraints).
        let rebuilt = count >= rowsBefore ? try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master
            WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
            """, arguments: [table]) : []
        for t in triggers { try db.execute(sql: "DROP TRIGGER \((t[0] as String).quotedDatabaseIdentifier)") }
        for i in rebuilt { try db.execute(sql: "DROP INDEX \((i[0] as String).quotedDatabaseIdentifier)") }
        try body()
        for i in rebuilt { try db.execute(sql: i[1] as String) }
        let violations = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM \(table), geometry_columns g
            WHERE fid > ? AND g.f_table_name = ? AND g.f_geometry_column = 'geom'
              AND coalesce(GeometryConstraints(geom, g.geometry_type, g.srid), 0) != 1
            """, arguments: [before, table]) ?? 0
        guard violations == 0 else { throw ConstraintViolation(table: table, count: violations) }
        if count >= rowsBefore {
            // Most of the layer is new: pack the whole R*Tree afresh (far faster than inserting).
            try RTreePacking.rebuild(db, index: "idx_\(table)_geom", table: table)
        } else {
            try db.execute(sql: """
                INSERT INTO idx_\(table)_geom (pkid, xmin, xmax, ymin, ymax)
                SELECT fid, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), MbrMaxY(geom)
                FROM \(table) WHERE fid > ? AND geom IS NOT NULL
                """, arguments: [before])
        }
        try db.execute(sql: """
            UPDATE geometry_columns_time SET last_insert = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            WHERE f_table_name = ? AND f_geometry_column = 'geom'
            """, arguments: [table])
        for t in triggers { try db.execute(sql: t[1] as String) }
    }
}
