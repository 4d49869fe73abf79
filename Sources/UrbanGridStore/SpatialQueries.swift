import GRDB
import UrbanGridCore

/// Helpers of the spatial look-ups that go through a layer's R*Tree (`idx_<table>_geom`) first,
/// then the exact test. (Which grid holds a point is answered in memory: `GridIndex`.)
enum SpatialQueries {
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
