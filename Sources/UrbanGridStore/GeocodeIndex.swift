import Foundation
import GRDB
import UrbanGridCore

/// Door plates and named roads in memory, in the city's metric CRS, for reverse geocoding at
/// intake (every case report): two R*Tree searches and the road lines' WKB per report cost a
/// tenth of intake's CPU; this answers in microseconds. A cache of the `address` and `road`
/// tables, kept in a `BaseGeographyCache`.
struct GeocodeIndex: Sendable {
    struct Plate: Sendable { var text: String, x: Double, y: Double }
    struct Road: Sendable { var name: String, paths: [[PlanePoint]] }

    /// In `fid` order: among equally near ones the first wins, as in the tables.
    private let plates: [Plate], roads: [Road]
    private let plateBuckets: BoxBuckets, roadBuckets: BoxBuckets

    init(plates: [Plate], roads: [Road]) {
        self.plates = plates
        self.roads = roads
        plateBuckets = BoxBuckets(plates.map { BoxBuckets.Box(minX: $0.x, minY: $0.y, maxX: $0.x, maxY: $0.y) }, perBucket: 4)
        roadBuckets = BoxBuckets(roads.map { road in
            let points = road.paths.joined()
            return BoxBuckets.Box(minX: points.map(\.x).min() ?? .infinity, minY: points.map(\.y).min() ?? .infinity,
                                  maxX: points.map(\.x).max() ?? -.infinity, maxY: points.map(\.y).max() ?? -.infinity)
        }, perBucket: 2)
    }

    /// The nearest door plate and the nearest named road within `radius` metres of the metric
    /// point (x, y); nil when there is neither.
    func geocode(x: Double, y: Double, radius: Double) -> GeocodedAddress? {
        let plate = nearestPlate(x: x, y: y, radius: radius), road = nearestRoad(x: x, y: y, radius: radius)
        guard plate != nil || road != nil else { return nil }
        return GeocodedAddress(doorPlate: plate?.text, doorPlateDistanceM: plate.map { ($0.d * 10).rounded() / 10 }, road: road?.name)
    }

    func nearestPlate(x: Double, y: Double, radius: Double) -> (text: String, d: Double)? {
        var best: (index: Int32, d: Double)?
        plateBuckets.forEachCandidate(in: Self.box(x, y, radius)) { i in
            let p = plates[Int(i)]
            let d = ((p.x - x) * (p.x - x) + (p.y - y) * (p.y - y)).squareRoot()
            if d <= radius, Self.better(d, i, than: best) { best = (i, d) }
        }
        return best.map { (plates[Int($0.index)].text, $0.d) }
    }

    func nearestRoad(x: Double, y: Double, radius: Double) -> (name: String, d: Double)? {
        var best: (index: Int32, d: Double)?
        roadBuckets.forEachCandidate(in: Self.box(x, y, radius)) { i in
            let d = PlanarDistance.toPaths(roads[Int(i)].paths, x: x, y: y)
            if d <= radius, Self.better(d, i, than: best) { best = (i, d) }
        }
        return best.map { (roads[Int($0.index)].name, $0.d) }
    }

    private static func box(_ x: Double, _ y: Double, _ r: Double) -> BoxBuckets.Box {
        BoxBuckets.Box(minX: x - r, minY: y - r, maxX: x + r, maxY: y + r)
    }

    /// Nearer, or as near and earlier in `fid` order.
    private static func better(_ d: Double, _ i: Int32, than best: (index: Int32, d: Double)?) -> Bool {
        guard let best else { return true }
        return d < best.d || (d == best.d && i < best.index)
    }

    /// Reads every door plate and named road, the roads transformed to `metricSrid`.
    static func load(_ db: Database, metricSrid: Int) throws -> GeocodeIndex {
        var plates: [Plate] = []
        let plateRows = try Row.fetchCursor(db, sql: "SELECT street || ' ' || housenumber, mx, my FROM address ORDER BY fid")
        while let r = try plateRows.next() { plates.append(Plate(text: r[0], x: r[1], y: r[2])) }
        var roads: [Road] = []
        let roadRows = try Row.fetchCursor(db, sql: """
            SELECT name, ST_AsBinary(ST_Transform(geom, ?)) FROM road WHERE name IS NOT NULL AND geom IS NOT NULL ORDER BY fid
            """, arguments: [metricSrid])
        while let r = try roadRows.next() {
            // A road that cannot be transformed or read names no address: skipped, so that it
            // never stops a report.
            guard let wkb = r[1] as Data?, let paths = try? WKBGeometry.lines(wkb) else { continue }
            roads.append(Road(name: r[0], paths: paths))
        }
        return GeocodeIndex(plates: plates, roads: roads)
    }
}
