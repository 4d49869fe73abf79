import CSpatiaLite
import GRDB
import GRDBSQLite

/// SpatiaLite on GRDB connections.
///
/// We link libspatialite and call `spatialite_init_ex` on every connection GRDB opens (never
/// `mod_spatialite` as well: one process, one way). Each connection gets its own SpatiaLite cache,
/// released when SQLite destroys the connection (see `attach(to:)`).
enum SpatiaLite {
    /// Process-wide set-up, before the first connection is opened.
    private static let processSetUp: Void = {
        // Memory statistics sit behind one global mutex in Debian's SQLite; off, readers scale.
        _ = urbangrid_sqlite_disable_memstatus()
        spatialite_initialize()
    }()

    /// Initialises SpatiaLite on `db`, then restores the busy timeout SpatiaLite replaces with its own.
    static func attach(to db: Database, busyTimeoutMilliseconds: Int32) throws {
        _ = processSetUp
        let handle = db.sqliteConnection
        guard let cache = spatialite_alloc_connection() else {
            throw DatabaseError(message: "SpatiaLite: could not allocate a connection cache")
        }
        spatialite_init_ex(handle, cache, 0)
        // GRDB has no close hook: tie the cache to a no-op SQL function whose destructor SQLite
        // calls when the connection closes, and release the cache there.
        let rc = sqlite3_create_function_v2(
            handle, "urbangrid_spatialite_cache", 0, SQLITE_UTF8, cache,
            { context, _, _ in sqlite3_result_null(context) }, nil, nil,
            { cache in spatialite_cleanup_ex(cache) })
        guard rc == SQLITE_OK else {
            spatialite_cleanup_ex(cache)
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: "SpatiaLite: cache hook failed")
        }
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    }

    /// Creates SpatiaLite's metadata tables with only the CRSs the city uses (the full EPSG table
    /// adds 5 MB). `InitSpatialMetadata` opens its own transaction: call outside GRDB's.
    static func initMetadata(_ db: Database, srids: [Int]) throws {
        let exists = try Bool.fetchOne(db, sql:
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'spatial_ref_sys'") ?? false
        if !exists { try db.execute(sql: "SELECT InitSpatialMetadata(1, 'NONE')") }
        for srid in Set(srids).sorted() {
            let known = try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM spatial_ref_sys WHERE srid = ?",
                                          arguments: [srid]) ?? false
            if !known {
                try db.execute(sql: "SELECT InsertEpsgSrid(?)", arguments: [srid])
                let added = try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM spatial_ref_sys WHERE srid = ?",
                                              arguments: [srid]) ?? false
                guard added else { throw DatabaseError(message: "SpatiaLite does not know EPSG:\(srid)") }
            }
        }
    }

    static var versions: (spatialite: String, sqlite: String) {
        (String(cString: spatialite_version()), String(cString: sqlite3_libversion()))
    }
}
