import GRDB
import GRDBSQLite
import Synchronization

/// Reads the base version (`CityStore.baseVersion`) on a connection of its own, through one
/// statement prepared once: the only question locate asks the database while its in-memory
/// indexes are current. Through the pool, GRDB's reader checkout and queue hop cost more than the
/// rest of the answer. Opened at the first read, read-only; a statement outside a transaction
/// sees the last commit of any connection or process.
final class BaseVersionProbe: Sendable {
    private struct Handle { var db: OpaquePointer?, statement: OpaquePointer? }
    private let path: String
    private let handle = Mutex(Handle())

    init(path: String) { self.path = path }

    deinit {
        handle.withLock { h in
            sqlite3_finalize(h.statement)
            sqlite3_close_v2(h.db)
        }
    }

    func read() throws -> Int64 {
        try handle.withLock { h in
            if h.statement == nil { try open(&h) }
            defer { sqlite3_reset(h.statement) }
            switch sqlite3_step(h.statement) {
            case SQLITE_ROW: return sqlite3_column_int64(h.statement, 0)
            case SQLITE_DONE: return 0
            case let rc: throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(h.db)))
            }
        }
    }

    private func open(_ h: inout Handle) throws {
        var db: OpaquePointer?
        var rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        if rc == SQLITE_OK {
            sqlite3_busy_timeout(db, CityStore.busyTimeoutMilliseconds)
            rc = sqlite3_prepare_v2(db, CityStore.baseVersionSQL, -1, &h.statement, nil)
        }
        guard rc == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: "base version probe: \(message)")
        }
        h.db = db
    }
}
