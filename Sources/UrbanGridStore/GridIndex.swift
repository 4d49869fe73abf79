import Foundation
import GRDB
import Synchronization
import UrbanGridCore

/// The unit grids, held in memory for the hottest spatial question of the system: which grid
/// holds this point (every locate, every case reported, every point imported). SQLite's R*Tree and
/// SpatiaLite's `ST_Intersects` answer it in about 30 µs; this bucket index and the exact
/// point-in-polygon test answer it in about 1 µs.
///
/// It is a cache of the `grid` table, keyed by the base version that every layer import bumps in
/// its own transaction: each look-up reads the version first, so an import from another process is
/// seen by the next look-up. Read outside a transaction (locate), an import may commit between the
/// version and the grids; the index then holds newer grids under the older version and is loaded
/// again at the next look-up, never kept stale.
struct GridIndex: Sendable {
    struct Grid: Sendable {
        var hit: GridHit
        var area: PlanarArea
    }

    /// A grid with its community, street and district, codes and names.
    struct GridHit: Sendable {
        var code: String, areaM2: Double
        var communityCode: String, communityZh: String, communityEn: String
        var streetCode: String, streetZh: String, streetEn: String
        var districtCode: String, districtZh: String, districtEn: String
    }

    let version: Int64
    /// In code order: the first grid that covers a point is the lowest code, the tie rule on
    /// shared boundaries.
    private let grids: [Grid]
    /// A uniform bucket grid over the extent; each bucket lists (in code order) the grids whose
    /// boxes touch it.
    private let buckets: [[Int32]]
    private let columns: Int, rows: Int
    private let minX: Double, minY: Double, cellW: Double, cellH: Double

    init(version: Int64, grids: [Grid]) {
        self.version = version
        self.grids = grids
        let minX = grids.map(\.area.minX).min() ?? 0, maxX = grids.map(\.area.maxX).max() ?? 0
        let minY = grids.map(\.area.minY).min() ?? 0, maxY = grids.map(\.area.maxY).max() ?? 0
        // About one grid per bucket: a look-up then tests one or two polygons.
        let side = max(1, Int(Double(grids.count).squareRoot().rounded(.up)))
        columns = side; rows = side
        self.minX = minX; self.minY = minY
        cellW = max((maxX - minX) / Double(side), .leastNormalMagnitude)
        cellH = max((maxY - minY) / Double(side), .leastNormalMagnitude)
        var buckets = [[Int32]](repeating: [], count: side * side)
        for (i, g) in grids.enumerated() {
            let (c0, r0) = (Self.clamp((g.area.minX - minX) / cellW, side), Self.clamp((g.area.minY - minY) / cellH, side))
            let (c1, r1) = (Self.clamp((g.area.maxX - minX) / cellW, side), Self.clamp((g.area.maxY - minY) / cellH, side))
            for r in r0...r1 { for c in c0...c1 { buckets[r * side + c].append(Int32(i)) } }
        }
        self.buckets = buckets
    }

    private static func clamp(_ v: Double, _ n: Int) -> Int { min(n - 1, max(0, Int(v.rounded(.down)))) }

    /// The grid covering a storage-CRS point (the lowest code when on a shared boundary), or nil.
    func grid(x: Double, y: Double) -> GridHit? {
        guard x.isFinite, y.isFinite, !grids.isEmpty else { return nil }
        let cx = (x - minX) / cellW, cy = (y - minY) / cellH
        guard cx >= 0, cy >= 0, cx <= Double(columns), cy <= Double(rows) else { return nil }
        for i in buckets[Self.clamp(cy, rows) * columns + Self.clamp(cx, columns)] {
            let g = grids[Int(i)]
            if g.area.covers(x: x, y: y) { return g.hit }
        }
        return nil
    }

    /// Reads every grid with its admin names.
    static func load(_ db: Database, version: Int64) throws -> GridIndex {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT g.code, g.area_m2, c.code, c.name_zh, c.name_en, s.code, s.name_zh, s.name_en,
                   d.code, d.name_zh, d.name_en, ST_AsBinary(g.geom)
            FROM grid g JOIN community c ON c.code = g.community_code JOIN street s ON s.code = c.street_code
            JOIN district d ON d.code = s.district_code
            ORDER BY g.code
            """)
        var grids: [Grid] = []
        while let r = try rows.next() {
            let hit = GridHit(code: r[0], areaM2: r[1], communityCode: r[2], communityZh: r[3], communityEn: r[4],
                              streetCode: r[5], streetZh: r[6], streetEn: r[7],
                              districtCode: r[8], districtZh: r[9], districtEn: r[10])
            guard let wkb = r[11] as Data? else { throw StoreError.badCityData("grid \(hit.code) has no geometry") }
            grids.append(Grid(hit: hit, area: try WKBGeometry.area(wkb)))
        }
        return GridIndex(version: version, grids: grids)
    }
}

/// The current `GridIndex`, reloaded when the base version moves. Filled from read transactions
/// only: an index built inside a write (an import) could describe rows that are rolled back, so
/// writers load their own with `GridIndex.load`.
final class GridIndexCache: Sendable {
    private let current = Mutex<GridIndex?>(nil)

    /// The index for a read of `db` (in a transaction or not: see `GridIndex`).
    func index(_ db: Database) throws -> GridIndex {
        let version = try CityStore.baseVersion(db)
        if let index = current.withLock({ $0 }), index.version == version { return index }
        let index = try GridIndex.load(db, version: version)
        current.withLock { $0 = index }
        return index
    }
}
