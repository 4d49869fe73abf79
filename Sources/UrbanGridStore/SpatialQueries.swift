import GRDB
import UrbanGridCore

/// The spatial look-ups shared by import, locate and the APIs. Each goes through the layer's
/// R*Tree (`idx_<table>_geom`) first, then the exact geometry test.
enum SpatialQueries {
    /// The unit grid containing a storage-CRS point, with its community and street. A point on a
    /// shared boundary belongs to the grid with the lowest code, so every point has exactly one grid.
    static func gridSQL(srid: Int, lon: String = "?1", lat: String = "?2") -> String {
        """
        SELECT g.code, g.area_m2, g.community_code, c.street_code
        FROM grid g JOIN community c ON c.code = g.community_code
        WHERE g.fid IN (SELECT pkid FROM idx_grid_geom
                        WHERE xmin <= \(lon) AND xmax >= \(lon) AND ymin <= \(lat) AND ymax >= \(lat))
          AND ST_Intersects(g.geom, MakePoint(\(lon), \(lat), \(srid)))
        ORDER BY g.code LIMIT 1
        """
    }

    struct GridHit: Sendable {
        var code: String, areaM2: Double, communityCode: String, streetCode: String
    }

    static func grid(_ db: Database, srid: Int, lon: Double, lat: Double) throws -> GridHit? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: gridSQL(srid: srid)), arguments: [lon, lat]) else {
            return nil
        }
        return GridHit(code: row[0], areaM2: row[1], communityCode: row[2], streetCode: row[3])
    }

    /// A storage-CRS search box around a point that certainly holds every point within
    /// `radiusM` metres (generous by 20 %: exact distances are then computed in the metric CRS).
    static func degreeBox(lon: Double, lat: Double, radiusM: Double) -> (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        let dLat = radiusM * 1.2 / 110_574
        let dLon = radiusM * 1.2 / (111_320 * max(0.01, cos(lat * .pi / 180)))
        return (lon - dLon, lat - dLat, lon + dLon, lat + dLat)
    }
}

#if canImport(Glibc)
import Glibc
#endif
