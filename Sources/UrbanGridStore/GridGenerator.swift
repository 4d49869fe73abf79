import Foundation
import GRDB
import UrbanGridCore

public struct GridGenerationOptions: Sendable {
    /// The standard's unit grid: about 10,000 m².
    public var targetAreaM2: Double
    /// Road classes whose centre lines bound grids (footways and cycleways would cut blocks into slivers).
    public var roadClasses: [String]
    /// Faces smaller than this fraction of the target merge into their longest-bordering neighbour.
    public var mergeBelow: Double = 0.3
    /// Faces larger than this fraction of the target are cut into pieces of about the target area.
    public var splitAbove: Double = 1.5

    public static let defaultRoadClasses = ["motorway", "trunk", "primary", "secondary", "tertiary",
                                            "unclassified", "residential", "living_street", "pedestrian", "service"]

    public init(targetAreaM2: Double, roadClasses: [String] = defaultRoadClasses) {
        self.targetAreaM2 = targetAreaM2; self.roadClasses = roadClasses
    }
}

public struct GeneratedGrid: Sendable {
    public var code: String
    public var communityCode: String
    public var areaM2: Double
    /// The geometry as GeoJSON (storage CRS, full precision: rounding would open slivers where
    /// computed road crossings lie on community boundaries).
    public var geoJSON: String
}

extension CityStore {
    /// Derives unit grids (单元网格) from the communities and road centre lines: each community is cut
    /// into the faces its roads bound (so grid boundaries run along centre lines and community
    /// boundaries), slivers merge into a neighbour, and large faces are cut into pieces of about the
    /// target area. Codes are numbered west→east, north→south within each community.
    public func generateGrids(_ options: GridGenerationOptions) throws -> [GeneratedGrid] {
        try pool.read { db in
            var generator = GridGeneration(db: db, metricSrid: profile.metricSrid, options: options)
            var out: [GeneratedGrid] = []
            for community in try String.fetchAll(db, sql: "SELECT code FROM community ORDER BY code") {
                out += try generator.grids(community: community)
            }
            return out
        }
    }
}

/// The steps of grid generation, each a few SpatiaLite (GEOS) calls on small geometries.
struct GridGeneration {
    let db: Database
    let metricSrid: Int
    let options: GridGenerationOptions

    struct Face { var geom: Data; var area: Double }

    func scalar<T: DatabaseValueConvertible>(_ sql: String, _ arguments: StatementArguments) throws -> T? {
        try T.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func area(_ g: Data) throws -> Double {
        try scalar("SELECT ST_Area(ST_Transform(?, \(metricSrid)))", [g]) ?? 0
    }

    mutating func grids(community: String) throws -> [GeneratedGrid] {
        var faces = try polygonize(community: community)
        try mergeSlivers(&faces)
        var pieces: [Face] = []
        for f in faces { pieces += try split(f) }
        return try number(pieces, community: community)
    }

    /// The faces that the community boundary and the road centre lines cut out, inside the community.
    func polygonize(community: String) throws -> [Face] {
        let placeholders = Array(repeating: "?", count: options.roadClasses.count).joined(separator: ",")
        let lines = """
            SELECT ST_Boundary(c.geom) AS g FROM community c WHERE c.code = ?1
            UNION ALL
            SELECT r.geom FROM road r, community c
            WHERE c.code = ?1 AND r.class IN (\(placeholders))
              AND r.fid IN (SELECT pkid FROM idx_road_geom WHERE xmin <= MbrMaxX(c.geom) AND xmax >= MbrMinX(c.geom)
                                                           AND ymin <= MbrMaxY(c.geom) AND ymax >= MbrMinY(c.geom))
              AND ST_Intersects(r.geom, c.geom)
            """
        guard let all: Data = try scalar("SELECT ST_Polygonize(u) FROM (SELECT ST_UnaryUnion(ST_Collect(g)) AS u FROM (\(lines)))",
                                         StatementArguments([community] + options.roadClasses)) else { return [] }
        let count: Int = try scalar("SELECT ST_NumGeometries(?)", [all]) ?? 0
        var faces: [Face] = []
        for i in 1...max(count, 1) where count > 0 {
            // Keep faces inside the community: roads running outside make faces there too.
            let sql = """
                SELECT g FROM (SELECT ST_GeometryN(?1, ?2) AS g), community c
                WHERE c.code = ?3 AND ST_Within(ST_PointOnSurface(g), c.geom)
                """
            guard let g: Data = try scalar(sql, [all, i, community]) else { continue }
            faces.append(Face(geom: g, area: try area(g)))
        }
        // GEOS drops faces whose rings it finds invalid (near-coincident vertices in OSM data): add
        // what of the community no face covers, so the grids always tile it.
        let rest: Data? = try scalar("SELECT ST_Difference(c.geom, ST_UnaryUnion(?)) FROM community c WHERE c.code = ?",
                                     [all, community])
        if let rest {
            let parts: Int = try scalar("SELECT ST_NumGeometries(?)", [rest]) ?? 0
            for i in 0..<parts {
                guard let g: Data = try scalar("SELECT CastToMultiPolygon(ST_GeometryN(?, ?))", [rest, i + 1]) else { continue }
                let a = try area(g)
                if a > 0.01 { faces.append(Face(geom: g, area: a)) }
            }
        }
        return faces
    }

    /// Merges faces below the sliver threshold into the neighbour they share the longest border with.
    func mergeSlivers(_ faces: inout [Face]) throws {
        let threshold = options.targetAreaM2 * options.mergeBelow
        while faces.count > 1 {
            guard let i = faces.indices.filter({ faces[$0].area < threshold }).min(by: { faces[$0].area < faces[$1].area }) else { return }
            var best: (index: Int, length: Double)? = nil
            for j in faces.indices where j != i {
                let shared: Double = try scalar("""
                    SELECT ST_Length(ST_Transform(CollectionExtract(ST_Intersection(?1, ?2), 2), \(metricSrid)))
                    WHERE MbrIntersects(?1, ?2)
                    """, [faces[i].geom, faces[j].geom]) ?? 0
                if shared > (best?.length ?? 0) { best = (j, shared) }
            }
            guard let best else { return }   // an island: nothing to merge with
            guard let merged: Data = try scalar("SELECT CastToMultiPolygon(ST_Union(?, ?))", [faces[i].geom, faces[best.index].geom]) else { return }
            faces[best.index] = Face(geom: merged, area: try area(merged))
            faces.remove(at: i)
        }
    }

    /// Cuts a face into pieces of about the target area, recursively, each cut along the longer side
    /// of the piece at the position that gives the two sides their share of the area.
    func split(_ face: Face) throws -> [Face] {
        guard face.area > options.targetAreaM2 * options.splitAbove else { return [face] }
        let n = max(2, Int((face.area / options.targetAreaM2).rounded()))
        let share = Double(n / 2) / Double(n)
        guard let box = try Row.fetchOne(db.cachedStatement(sql: "SELECT MbrMinX(?1), MbrMinY(?1), MbrMaxX(?1), MbrMaxY(?1)"),
                                         arguments: [face.geom]) else { return [face] }
        let (minX, minY, maxX, maxY): (Double, Double, Double, Double) = (box[0], box[1], box[2], box[3])
        let cosLat = cos((minY + maxY) / 2 * .pi / 180)
        let vertical = (maxX - minX) * cosLat >= (maxY - minY)   // cut across the longer side
        func rect(_ c: Double) -> StatementArguments {
            vertical ? [minX - 1, minY - 1, c, maxY + 1] : [minX - 1, minY - 1, maxX + 1, c]
        }
        var (lo, hi) = vertical ? (minX, maxX) : (minY, maxY)
        var cut = (lo + hi) / 2
        for _ in 0..<16 {
            cut = (lo + hi) / 2
            let args = [face.geom] + rect(cut)
            let left: Double = try scalar("SELECT ST_Area(ST_Transform(ST_Intersection(?, BuildMbr(?, ?, ?, ?, ST_SRID(?1))), \(metricSrid)))", args) ?? 0
            if left < face.area * share { lo = cut } else { hi = cut }
        }
        let args = [face.geom] + rect(cut)
        guard let left: Data = try scalar("SELECT CastToMultiPolygon(ST_Intersection(?, BuildMbr(?, ?, ?, ?, ST_SRID(?1))))", args),
              let right: Data = try scalar("SELECT CastToMultiPolygon(ST_Difference(?, BuildMbr(?, ?, ?, ?, ST_SRID(?1))))", args) else {
            return [face]
        }
        let l = Face(geom: left, area: try area(left)), r = Face(geom: right, area: try area(right))
        guard l.area > 0, r.area > 0 else { return [face] }
        return try split(l) + split(r)
    }

    /// Orders pieces north→south in rows one target-grid high, west→east within a row, and codes them.
    func number(_ pieces: [Face], community: String) throws -> [GeneratedGrid] {
        let rowHeight = options.targetAreaM2.squareRoot() / 110_574   // degrees of latitude
        var keyed: [(row: Int, x: Double, face: Face)] = []
        guard let top: Double = try scalar("SELECT MbrMaxY(geom) FROM community WHERE code = ?", [community]) else { return [] }
        for f in pieces {
            guard let c = try Row.fetchOne(db.cachedStatement(sql: "SELECT ST_X(ST_PointOnSurface(?1)), ST_Y(ST_PointOnSurface(?1))"),
                                           arguments: [f.geom]) else { continue }
            keyed.append((Int(((top - (c[1] as Double)) / rowHeight).rounded(.down)), c[0], f))
        }
        keyed.sort { ($0.row, $0.x) < ($1.row, $1.x) }
        let communityCode = try CommunityCode(community)
        return try keyed.enumerated().map { i, k in
            let code = try GridCode(community: communityCode, sequence: i + 1)
            let json: String = try scalar("SELECT AsGeoJSON(?, 15)", [k.face.geom]) ?? "null"
            return GeneratedGrid(code: code.description, communityCode: community,
                                 areaM2: (k.face.area * 10).rounded() / 10, geoJSON: json)
        }
    }
}
