import Foundation
import GRDB
import Testing
@testable import UrbanGridStore
import UrbanGridCore

@Suite struct RTreePackingTests {
    /// A packed tree passes SQLite's own `rtreecheck`, holds every entry, answers window queries
    /// exactly as a scan of the same boxes does, and takes ordinary inserts and deletes after.
    @Test(arguments: [0, 1, 51, 52, 2_700, 30_000])
    func packedTreeIsOneSQLiteAccepts(count: Int) throws {
        let db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: """
                CREATE VIRTUAL TABLE rt USING rtree(pkid, xmin, xmax, ymin, ymax);
                CREATE TABLE boxes (id INTEGER PRIMARY KEY, xmin REAL, xmax REAL, ymin REAL, ymax REAL);
                """)
            var rng = SplitMix64(seed: UInt64(count) + 7)
            func uniform(_ lo: Double, _ hi: Double) -> Double { lo + Double(rng.next() % 1_000_000) / 1_000_000 * (hi - lo) }
            let entries = (0..<count).map { i -> RTreePacking.Entry in
                let x = uniform(24.9, 25.0), y = uniform(60.1, 60.2)
                // Points (a box of no size, as components are) and small boxes (as grids are).
                let w = i % 3 == 0 ? 0 : uniform(0, 0.002), h = i % 3 == 0 ? 0 : uniform(0, 0.002)
                return RTreePacking.Entry(id: Int64(i * 2 + 1), minX: x, maxX: x + w, minY: y, maxY: y + h)
            }
            try RTreePacking.write(db, index: "rt", entries: entries)
            for e in entries {
                try db.execute(sql: "INSERT INTO boxes VALUES (?, ?, ?, ?, ?)",
                               arguments: [e.id, Double(e.minX), Double(e.maxX), Double(e.minY), Double(e.maxY)])
            }
            #expect(try String.fetchOne(db, sql: "SELECT rtreecheck('rt')") == "ok")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM rt") == count)
            let window = "xmax >= ? AND xmin <= ? AND ymax >= ? AND ymin <= ?"
            for _ in 0..<40 {
                let x = uniform(24.9, 25.0), y = uniform(60.1, 60.2), r = uniform(0, 0.02)
                let args: StatementArguments = [x - r, x + r, y - r, y + r]
                let viaIndex = try Int64.fetchSet(db, sql: "SELECT pkid FROM rt WHERE \(window)", arguments: args)
                let viaScan = try Int64.fetchSet(db, sql: "SELECT id FROM boxes WHERE \(window)", arguments: args)
                #expect(viaIndex == viaScan)
            }
            try db.execute(sql: "INSERT INTO rt VALUES (2, 24.95, 24.96, 60.15, 60.16)")
            for id in try Int64.fetchAll(db, sql: "SELECT pkid FROM rt LIMIT 25") {
                try db.execute(sql: "DELETE FROM rt WHERE pkid = ?", arguments: [id])
            }
            #expect(try String.fetchOne(db, sql: "SELECT rtreecheck('rt')") == "ok")
        }
    }

    /// Bounds go to 32-bit floats outward: the box still contains the double-precision one, by
    /// no more than one step of a float.
    @Test func boundsRoundOutwardByAtMostOneFloatStep() {
        for d in [24.9453123, 60.1775736, -0.1, 104.39, 31.13, 1.0, 0.0] {
            let e = RTreePacking.Entry(id: 1, minX: d, maxX: d, minY: -d, maxY: -d)
            #expect(Double(e.minX) <= d && Double(e.minX.nextUp) > d)
            #expect(Double(e.maxX) >= d && Double(e.maxX.nextDown) < d)
            #expect(Double(e.minY) <= -d && Double(e.maxY) >= -d)
        }
    }
}
