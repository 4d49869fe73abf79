import CSpatiaLite
import Foundation
import GRDB

/// Builds a SpatiaLite spatial index (an SQLite 2-D R*Tree) in one pass, packed with
/// Sort-Tile-Recursive, instead of inserting its rows one at a time.
///
/// Inserting 1,000,000 points into SQLite's R*Tree costs ~10 s on this machine (every insert
/// chooses a leaf, splits and re-inserts); packing sorts once and writes ~20,000 full nodes:
/// a tree queries at least as well as the incremental one. It writes the R*Tree's three shadow
/// tables in SQLite's documented format (`ext/rtree/rtree.c`, "Database Format of R-Tree
/// Tables"): node 1 is the root and starts with the tree depth; every node is
/// `u16 depth-or-unused, u16 cell count`, then cells of a big-endian `i64` id (row id in a
/// leaf, child node number above) and four big-endian `float32` bounds (minX maxX minY maxY),
/// minima rounded down and maxima up as SQLite does. `rtreecheck()` verifies the result in tests.
enum RTreePacking {
    struct Entry {
        var id: Int64
        var minX: Float, maxX: Float, minY: Float, maxY: Float

        /// The box in float32, widened so that it still contains the double-precision one.
        init(id: Int64, minX: Double, maxX: Double, minY: Double, maxY: Double) {
            self.id = id
            self.minX = Self.down(minX); self.maxX = Self.up(maxX)
            self.minY = Self.down(minY); self.maxY = Self.up(maxY)
        }

        init(id: Int64, covering entries: ArraySlice<Entry>) {
            self.id = id
            minX = .infinity; maxX = -.infinity; minY = .infinity; maxY = -.infinity
            for e in entries {
                minX = min(minX, e.minX); maxX = max(maxX, e.maxX)
                minY = min(minY, e.minY); maxY = max(maxY, e.maxY)
            }
        }

        private static func down(_ d: Double) -> Float { let f = Float(d); return Double(f) > d ? f.nextDown : f }
        private static func up(_ d: Double) -> Float { let f = Float(d); return Double(f) < d ? f.nextUp : f }
        var centerX: Float { minX / 2 + maxX / 2 }
        var centerY: Float { minY / 2 + maxY / 2 }
    }

    struct UnexpectedFormat: Error, CustomStringConvertible {
        var description: String
    }

    /// Replaces the whole content of R*Tree `index` by the rows of `table` (its `fid` and the
    /// bounding box of `geom`), inside the caller's transaction.
    static func rebuild(_ db: Database, index: String, table: String) throws {
        var entries: [Entry] = []
        let rows = try db.makeStatement(sql: """
            SELECT fid, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), MbrMaxY(geom)
            FROM \(table.quotedDatabaseIdentifier) WHERE geom IS NOT NULL
            """)
        let s = rows.sqliteStatement
        while sqlite3_step(s) == SQLITE_ROW {
            entries.append(Entry(id: sqlite3_column_int64(s, 0), minX: sqlite3_column_double(s, 1), maxX: sqlite3_column_double(s, 2),
                                 minY: sqlite3_column_double(s, 3), maxY: sqlite3_column_double(s, 4)))
        }
        guard sqlite3_reset(s) == SQLITE_OK else { throw DatabaseError(message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
        try write(db, index: index, entries: entries)
    }

    /// Replaces the content of R*Tree `index` by `entries`.
    static func write(_ db: Database, index: String, entries: [Entry]) throws {
        let q = { (suffix: String) in "\(index)_\(suffix)".quotedDatabaseIdentifier }
        // Every node has the size of the existing root (SQLite reads it from there).
        guard let nodeSize = try Int.fetchOne(db, sql: "SELECT length(data) FROM \(q("node")) WHERE nodeno = 1"),
              nodeSize >= 4 + 2 * cellBytes else {
            throw UnexpectedFormat(description: "\(index): no root node to size the packed tree by")
        }
        let capacity = (nodeSize - 4) / cellBytes
        try db.execute(sql: "DELETE FROM \(q("node")); DELETE FROM \(q("parent")); DELETE FROM \(q("rowid"))")

        let insertNode = try db.makeStatement(sql: "INSERT INTO \(q("node")) (nodeno, data) VALUES (?, ?)")
        let insertParent = try db.makeStatement(sql: "INSERT INTO \(q("parent")) (nodeno, parentnode) VALUES (?, ?)")
        let insertRowid = try db.makeStatement(sql: "INSERT INTO \(q("rowid")) (rowid, nodeno) VALUES (?, ?)")

        // Level by level from the leaves: each level's nodes become the next level's entries,
        // until one node's worth is left; those are the root's cells.
        var level = entries, depth = 0, nextNode: Int64 = 2
        var rowNodes: [(row: Int64, node: Int64)] = []
        rowNodes.reserveCapacity(entries.count)
        while level.count > capacity {
            let groups = tiles(&level, capacity: capacity)
            var above: [Entry] = []
            above.reserveCapacity(groups.count)
            for group in groups {
                let number = nextNode; nextNode += 1
                try BulkInsert.execute(insertNode, [number, node(level[group], depth: nil, size: nodeSize)], in: db)
                if depth == 0 { for e in level[group] { rowNodes.append((e.id, number)) } }
                else { for e in level[group] { try BulkInsert.execute(insertParent, [e.id, number], in: db) } }
                above.append(Entry(id: number, covering: level[group]))
            }
            level = above
            depth += 1
        }
        try BulkInsert.execute(insertNode, [Int64(1), node(level[...], depth: depth, size: nodeSize)], in: db)
        if depth == 0 { for e in level { rowNodes.append((e.id, 1)) } }
        else { for e in level { try BulkInsert.execute(insertParent, [e.id, Int64(1)], in: db) } }
        // Row ids in ascending order: appends to the rowid table's B-tree.
        rowNodes.sort { $0.row < $1.row }
        for r in rowNodes { try BulkInsert.execute(insertRowid, [r.row, r.node], in: db) }
    }

    private static let cellBytes = 8 + 4 * 4

    /// Sort-Tile-Recursive: sorts `entries` into vertical slices by x, each slice by y, and
    /// returns the ranges of at most `capacity` entries that become one node each.
    static func tiles(_ entries: inout [Entry], capacity: Int) -> [Range<Int>] {
        let nodes = (entries.count + capacity - 1) / capacity
        let slices = Int(Double(nodes).squareRoot().rounded(.up))
        let perSlice = ((nodes + slices - 1) / slices) * capacity
        entries.sort { $0.centerX < $1.centerX }
        var ranges: [Range<Int>] = []
        var start = 0
        while start < entries.count {
            let end = min(entries.count, start + perSlice)
            entries[start..<end].sort { $0.centerY < $1.centerY }
            // Split the slice into equal parts rather than full nodes and one stub.
            let count = end - start, parts = (count + capacity - 1) / capacity
            for p in 0..<parts { ranges.append(start + p * count / parts..<start + (p + 1) * count / parts) }
            start = end
        }
        return ranges
    }

    /// One node's bytes: `depth` only for the root.
    static func node(_ cells: ArraySlice<Entry>, depth: Int?, size: Int) -> Data {
        var bytes = Data(count: size)
        bytes.withUnsafeMutableBytes { out in
            func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
                out.storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
            }
            put(UInt16(depth ?? 0), at: 0)
            put(UInt16(cells.count), at: 2)
            var offset = 4
            for c in cells {
                put(c.id, at: offset)
                put(c.minX.bitPattern, at: offset + 8); put(c.maxX.bitPattern, at: offset + 12)
                put(c.minY.bitPattern, at: offset + 16); put(c.maxY.bitPattern, at: offset + 20)
                offset += cellBytes
            }
        }
        return bytes
    }
}
