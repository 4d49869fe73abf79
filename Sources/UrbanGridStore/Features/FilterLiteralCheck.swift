import GRDB
import UrbanGridCore

/// The geometry literals of a CQL2 filter, checked before the query runs: GEOS must find each
/// valid (a self-intersecting polygon would make every spatial test fail, which SQL reads as "no
/// match": a silent wrong answer), a geographic CRS's coordinates must lie within ±180° and
/// ±90°, and the literal must transform to the storage CRS.
struct FilterLiteralCheck: Sendable {
    /// WKT in the filter CRS, x first (already swapped for latitude-first CRSs).
    let literals: [String]
    let filterSrid: Int
    let storageSrid: Int
    let geographic: Bool

    init(filter: CQL2Expression, filterSrid: Int, storageSrid: Int, geographic: Bool) {
        literals = filter.geometryLiterals.map(\.wkt)
        self.filterSrid = filterSrid; self.storageSrid = storageSrid; self.geographic = geographic
    }

    func run(_ db: Database) throws {
        for (index, wkt) in literals.enumerated() {
            let which = literals.count == 1 ? "the geometry literal" : "geometry literal \(index + 1)"
            func fail(_ why: String) -> FeatureQueryError { .filter(position: nil, message: "\(which) \(why)") }
            guard let r = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT ST_IsValid(g), ST_IsValidReason(g), MbrMinX(g), MbrMinY(g), MbrMaxX(g), MbrMaxY(g),
                       MbrMinX(s), MbrMinY(s), MbrMaxX(s), MbrMaxY(s)
                FROM (SELECT g, ST_Transform(g, ?) AS s FROM (SELECT GeomFromText(?, ?) AS g))
                """), arguments: [storageSrid, wkt, filterSrid]) else { throw fail("cannot be read") }
            guard (r[0] as Int?) == 1 else {
                throw fail("is not a valid geometry: \((r[1] as String?) ?? "unreadable") (rings must not cross themselves or each other)")
            }
            let box: [Double?] = (2...5).map { r[$0] }, stored: [Double?] = (6...9).map { r[$0] }
            if geographic, let x0 = box[0], let y0 = box[1], let x1 = box[2], let y1 = box[3],
               x0 < -180 || x1 > 180 || y0 < -90 || y1 > 90 {
                throw fail("lies outside longitude −180…180 and latitude −90…90 of the filter CRS")
            }
            guard stored.allSatisfy({ $0?.isFinite == true }) else {
                throw fail("lies outside the area where the filter CRS can be transformed to the storage CRS")
            }
        }
    }
}
