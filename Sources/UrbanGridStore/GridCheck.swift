import Foundation
import GRDB
import UrbanGridCore

/// One finding of `grids check`.
public struct GridIssue: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case gap, overlap, outsideCommunity = "outside-community", areaOutlier = "area-outlier" }
    public var kind: Kind
    public var grids: [String]
    public var areaM2: Double
    /// A point inside the problem, in the storage CRS, so a person can find it on a map.
    public var lon: Double
    public var lat: Double
    public var description: String {
        "\(kind.rawValue): \(grids.isEmpty ? "-" : grids.joined(separator: " & ")) \(String(format: "%.2f", areaM2)) m² at (\(String(format: "%.6f", lon)), \(String(format: "%.6f", lat)))"
    }
}

public struct GridCheckReport: Sendable {
    public var gridCount: Int
    public var issues: [GridIssue]
    /// Gaps, overlaps and grids crossing their community fail the check; area outliers are reported.
    public var failed: Bool { issues.contains { $0.kind != .areaOutlier } }
}

extension CityStore {
    /// Checks that the unit grids tile the city: no gaps (inside the district) or overlaps larger than
    /// `toleranceM2`, every grid inside its community, and areas within [0.2, 2] × the target.
    public func checkGrids(toleranceM2: Double = 1.0) throws -> GridCheckReport {
        let metric = profile.metricSrid
        let target = profile.gridTargetAreaM2
        return try pool.read { db in
            var issues: [GridIssue] = []
            func issue(_ kind: GridIssue.Kind, _ grids: [String], _ area: Double, _ point: Data?) throws {
                let xy = try point.flatMap { try Row.fetchOne(db, sql: "SELECT ST_X(?1), ST_Y(?1)", arguments: [$0]) }
                issues.append(GridIssue(kind: kind, grids: grids, areaM2: area, lon: xy?[0] ?? 0, lat: xy?[1] ?? 0))
            }
            // Gaps: what of the district no grid covers.
            if let gaps = try Data.fetchOne(db, sql: """
                SELECT ST_Difference((SELECT ST_Union(geom) FROM district), (SELECT ST_Union(geom) FROM grid))
                """) {
                let n = try Int.fetchOne(db, sql: "SELECT ST_NumGeometries(?)", arguments: [gaps]) ?? 0
                for i in 0..<n {
                    guard let r = try Row.fetchOne(db, sql: """
                        SELECT ST_Area(ST_Transform(g, \(metric))), ST_PointOnSurface(g) FROM (SELECT ST_GeometryN(?, ?) AS g)
                        """, arguments: [gaps, i + 1]), let area = r[0] as Double?, area > toleranceM2 else { continue }
                    try issue(.gap, [], area, r[1])
                }
            }
            // Overlaps: grid pairs whose boxes meet in the R*Tree and whose interiors share area.
            for r in try Row.fetchAll(db, sql: """
                SELECT a.code, b.code, ST_Area(ST_Transform(ST_Intersection(a.geom, b.geom), \(metric))) AS ov,
                       ST_PointOnSurface(ST_Intersection(a.geom, b.geom))
                FROM grid a JOIN grid b
                  ON b.fid IN (SELECT pkid FROM idx_grid_geom WHERE xmin <= MbrMaxX(a.geom) AND xmax >= MbrMinX(a.geom)
                                                              AND ymin <= MbrMaxY(a.geom) AND ymax >= MbrMinY(a.geom))
                 AND a.code < b.code
                WHERE ST_Intersects(a.geom, b.geom) AND ov > ?
                ORDER BY a.code, b.code
                """, arguments: [toleranceM2]) {
                try issue(.overlap, [r[0], r[1]], r[2], r[3])
            }
            // Grids reaching outside their community (属地管理: a grid lies wholly in one community).
            for r in try Row.fetchAll(db, sql: """
                SELECT g.code, ST_Area(ST_Transform(ST_Difference(g.geom, c.geom), \(metric))) AS outside,
                       ST_PointOnSurface(ST_Difference(g.geom, c.geom))
                FROM grid g JOIN community c ON c.code = g.community_code
                WHERE outside > ? ORDER BY g.code
                """, arguments: [toleranceM2]) {
                try issue(.outsideCommunity, [r[0]], r[1], r[2])
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT code, area_m2, ST_PointOnSurface(geom) FROM grid
                WHERE area_m2 > ? OR area_m2 < ? ORDER BY code
                """, arguments: [target * 2, target * 0.2]) {
                try issue(.areaOutlier, [r[0]], r[1], r[2])
            }
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM grid") ?? 0
            return GridCheckReport(gridCount: count, issues: issues)
        }
    }
}
