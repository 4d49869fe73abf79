import GRDB
import UrbanGridCore

/// Helpers of the spatial look-ups that go through a layer's R*Tree (`idx_<table>_geom`) first,
/// then the exact test. (Which grid holds a point is answered in memory: `GridIndex`.)
enum SpatialQueries {
    /// A storage-CRS search box around a point that certainly holds every point within
    /// `radiusM` metres of the metric CRS. The spherical degree lengths used are the shortest the
    /// ellipsoid has at that latitude, so the box errs large; 1 % more covers a projection whose
    /// scale is below 1 (UTM's 0.9996). Every box candidate then has its exact metric distance.
    static func degreeBox(lon: Double, lat: Double, radiusM: Double) -> (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        let dLat = radiusM * 1.01 / 110_574
        let dLon = radiusM * 1.01 / (111_320 * max(0.01, cos(lat * .pi / 180)))
        return (lon - dLon, lat - dLat, lon + dLon, lat + dLat)
    }
}

#if canImport(Glibc)
import Glibc
#endif
