import Foundation
import GRDB
import Synchronization
import UrbanGridCore

/// The unit grids, held in memory for the hottest spatial question of the system: which grid
/// holds this point (every locate, every case reported, every point imported). SQLite's R*Tree and
/// SpatiaLite's `ST_Intersects` answer it in about 30 µs; this bucket index and the exact
/// point-in-polygon test answer it in about 1 µs.
///
/// A cache of the `grid` table, kept in a `BaseGeographyCache`.
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

    /// In code order: the first grid that covers a point is the lowest code, the tie rule on
    /// shared boundaries.
    private let grids: [Grid]
    /// Each bucket lists (in code order) the grids whose boxes touch it; about one grid per
    /// bucket, so a look-up tests one or two polygons.
    private let buckets: BoxBuckets

    init(grids: [Grid]) {
        self.grids = grids
        buckets = BoxBuckets(grids.map { BoxBuckets.Box(minX: $0.area.minX, minY: $0.area.minY, maxX: $0.area.maxX, maxY: $0.area.maxY) })
    }

    /// The grid covering a storage-CRS point (the lowest code when on a shared boundary), or nil.
    func grid(x: Double, y: Double) -> GridHit? {
        guard x.isFinite, y.isFinite else { return nil }
        for i in buckets.candidates(x: x, y: y) {
            let g = grids[Int(i)]
            if g.area.covers(x: x, y: y) { return g.hit }
        }
        return nil
    }

    /// Reads every grid with its admin names.
    static func load(_ db: Database) throws -> GridIndex {
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
        return GridIndex(grids: grids)
    }
}
