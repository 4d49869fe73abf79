import Foundation
import GRDB
import Testing
@testable import UrbanGridStore

@Suite struct BulkInsertTests {
    /// Values bound through the C API come back as they went in: text with a NUL and CJK inside,
    /// integers, doubles, blobs and NULL.
    @Test func everyStorageClassRoundTrips() throws {
        try withStore(layers: [.district]) { store, _ in
            try store.pool.write { db in
                try db.execute(sql: "CREATE TEMP TABLE t (a, b, c, d, e)")
                let insert = try db.makeStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?)")
                let text = "井盖\u{0}甲 \"x\""
                try BulkInsert.execute(insert, [text, Int64(99020101001000501), 24.9453, Data([0, 1, 255]), nil], in: db)
                try BulkInsert.execute(insert, ["second", 1, 0.5, nil, "e"], in: db)
                let rows = try Row.fetchAll(db, sql: "SELECT CAST(a AS BLOB) AS a, b, c, d, e, typeof(e) FROM t ORDER BY rowid")
                #expect(rows.count == 2)
                // As bytes: reading text back as a String would stop at the NUL.
                #expect(rows[0]["a"] as Data? == Data(text.utf8))
                #expect(rows[0]["b"] as Int64? == 99020101001000501 && rows[0]["c"] as Double? == 24.9453)
                #expect(rows[0]["d"] as Data? == Data([0, 1, 255]) && rows[0][5] as String? == "null")
                #expect(rows[1]["a"] as Data? == Data("second".utf8) && rows[1]["e"] as String? == "e")
            }
        }
    }

    @Test func aFailedInsertThrowsAndLeavesTheStatementUsable() throws {
        try withStore(layers: [.district]) { store, _ in
            try store.pool.write { db in
                try db.execute(sql: "CREATE TEMP TABLE u (k TEXT PRIMARY KEY)")
                let insert = try db.makeStatement(sql: "INSERT INTO u VALUES (?)")
                try BulkInsert.execute(insert, ["a"], in: db)
                #expect(throws: DatabaseError.self) { try BulkInsert.execute(insert, ["a"], in: db) }
                try BulkInsert.execute(insert, ["b"], in: db)
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM u") == 2)
            }
        }
    }
}
