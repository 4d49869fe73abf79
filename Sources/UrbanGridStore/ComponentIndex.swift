import GRDB
import UrbanGridCore

/// Components in memory, for the question of locate and of intake's snap "which components are
/// within r metres, nearest first": the R*Tree query with its join and sort was half of locate's
/// CPU, and reading even the few rows found a quarter; the bucket search answers in microseconds. About 70 bytes a
/// component (ids packed as numbers, types and statuses as small numbers). A cache of the
/// `component` table, kept in a `BaseGeographyCache`.
struct ComponentIndex: Sendable {
    struct Point: Sendable {
        /// Metric and storage coordinates.
        var x: Double, y: Double, lon: Double, lat: Double
        /// The 17-digit id as a number, or `unpacked` when the id is kept in `otherIDs`.
        var id: UInt64
        var type: Int32, status: UInt8
        var name: String
    }

    struct TypeNames: Sendable { var code: String, nameZh: String, nameEn: String }

    static let unpacked = UInt64.max
    private let points: [Point]
    private let types: [TypeNames], typeNumbers: [String: Int32]
    private let statuses: [String]
    /// Ids that are not 17 digits, by point (none from `urbangrid import`, which checks them).
    private let otherIDs: [Int32: String]
    private let buckets: BoxBuckets

    private init(points: [Point], types: [TypeNames], statuses: [String], otherIDs: [Int32: String]) {
        self.points = points; self.types = types; self.statuses = statuses; self.otherIDs = otherIDs
        typeNumbers = Dictionary(types.enumerated().map { ($1.code, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        buckets = BoxBuckets(points.map { BoxBuckets.Box(minX: $0.x, minY: $0.y, maxX: $0.x, maxY: $0.y) }, perBucket: 4)
    }

    /// The nearest `limit` components (optionally of one type) within `radius` metres of the
    /// metric point (x, y), nearest first and by id among equally near ones, as the table's
    /// `ORDER BY d2, id` would give them.
    func nearest(x: Double, y: Double, radius: Double, type: String?, limit: Int) -> [NearbyComponent] {
        guard limit > 0 else { return [] }
        var wanted: Int32?
        if let type {
            guard let number = typeNumbers[type] else { return [] }
            wanted = number
        }
        let r2 = radius * radius
        var found: [(d2: Double, point: Int32)] = []
        buckets.forEachCandidate(in: BoxBuckets.Box(minX: x - radius, minY: y - radius, maxX: x + radius, maxY: y + radius)) { i in
            let p = points[Int(i)]
            guard wanted == nil || p.type == wanted else { return }
            // The same expression as the SQL it replaces, so distances match to the bit.
            let d2 = (p.x - x) * (p.x - x) + (p.y - y) * (p.y - y)
            if d2 <= r2 { found.append((d2, i)) }
        }
        found.sort { a, b in a.d2 != b.d2 ? a.d2 < b.d2 : id(a.point) < id(b.point) }
        return found.prefix(limit).map { component($0.point, d2: $0.d2) }
    }

    private func id(_ i: Int32) -> String {
        let packed = points[Int(i)].id
        guard packed != Self.unpacked else { return otherIDs[i] ?? "" }
        return zeroPadded(Int(packed), width: 17)
    }

    private func component(_ i: Int32, d2: Double) -> NearbyComponent {
        let p = points[Int(i)], t = types[Int(p.type)]
        return NearbyComponent(id: id(i), typeCode: t.code, typeNameZh: t.nameZh, typeNameEn: t.nameEn, name: p.name,
                               status: statuses[Int(p.status)], distanceM: (d2.squareRoot() * 100).rounded() / 100,
                               lon: p.lon, lat: p.lat)
    }

    /// Reads every component with what locate shows of it.
    static func load(_ db: Database) throws -> ComponentIndex {
        var types: [TypeNames] = [], typeNumbers: [String: Int32] = [:]
        var statuses: [String] = [], statusNumbers: [String: UInt8] = [:]
        var points: [Point] = [], otherIDs: [Int32: String] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.mx, c.my, ST_X(c.geom), ST_Y(c.geom), c.id, c.type_code, t.name_zh, t.name_en, c.name, c.status
            FROM component c JOIN component_type t ON t.code = c.type_code ORDER BY c.fid
            """)
        while let r = try rows.next() {
            guard let lon = r[2] as Double?, let lat = r[3] as Double? else { continue }   // not a point
            let code: String = r[5], status: String = r[9], id: String = r[4]
            let type = typeNumbers[code] ?? {
                types.append(TypeNames(code: code, nameZh: r[6], nameEn: r[7]))
                typeNumbers[code] = Int32(types.count - 1)
                return Int32(types.count - 1)
            }()
            let statusNumber = statusNumbers[status] ?? {
                statuses.append(status)
                statusNumbers[status] = UInt8(statuses.count - 1)
                return UInt8(statuses.count - 1)
            }()
            var packed = unpacked
            if id.utf8.count == 17, id.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let n = UInt64(id) {
                packed = n
            } else {
                otherIDs[Int32(points.count)] = id
            }
            points.append(Point(x: r[0], y: r[1], lon: lon, lat: lat, id: packed, type: type, status: statusNumber, name: r[8]))
        }
        return ComponentIndex(points: points, types: types, statuses: statuses, otherIDs: otherIDs)
    }
}
