import CSpatiaLite
import GRDB

/// Runs a prepared INSERT through SQLite's C API. A bulk import runs one per feature, and building
/// GRDB's `StatementArguments` and binding through them cost as much as the insert itself.
enum BulkInsert {
    /// SQLite copies text and blobs before `bind` returns (SQLITE_TRANSIENT).
    private static let transient = unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self)

    static func execute(_ statement: Statement, _ values: [(any DatabaseValueConvertible)?], in db: Database) throws {
        try execute(statement, values.map { $0?.databaseValue ?? .null }, in: db)
    }

    static func execute(_ statement: Statement, _ values: [DatabaseValue], in db: Database) throws {
        let s = statement.sqliteStatement
        sqlite3_reset(s)
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32 = switch value.storage {
            case .null: sqlite3_bind_null(s, index)
            case .int64(let v): sqlite3_bind_int64(s, index, v)
            case .double(let v): sqlite3_bind_double(s, index, v)
            case .string(let v): sqlite3_bind_text(s, index, v, Int32(v.utf8.count), transient)   // the length: NULs inside are kept
            case .blob(let v): v.withUnsafeBytes { sqlite3_bind_blob(s, index, $0.baseAddress, Int32($0.count), transient) }
            }
            guard rc == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
        }
        let rc = sqlite3_step(s)
        guard rc == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(s)
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: message, sql: statement.sql)
        }
    }
}
