import Foundation  // sin, cos, sqrt, atan2 only

/// Conversions between WGS84 and the two obfuscated systems used by Chinese web maps.
///
/// GCJ-02 is the published open algorithm (Krasovsky ellipsoid constants), applied only inside a
/// rough bounding box of China; BD-09 is Baidu's well-known extra offset on top of GCJ-02. Neither is
/// a datum shift that PROJ knows, which is why they live here, in pure code, before anything reaches
/// the store.
///
/// Outside the bounding box every conversion is the identity: Helsinki stays Helsinki, and demo cities
/// abroad pass through untouched. BD-09 uses the same box, which also keeps every result a valid point
/// (its fixed shift would otherwise push a point at ±180° off the globe).
public enum ChinaCoordinates {
    /// Krasovsky 1940 semi-major axis used by the GCJ-02 algorithm (metres).
    static let a = 6378245.0
    /// Krasovsky 1940 first eccentricity squared.
    static let ee = 0.00669342162296594323
    /// Baidu's angular constant: π·3000/180.
    static let xPi = Double.pi * 3000.0 / 180.0

    /// Inverse iterations stop once a forward transform lands within this many degrees of the input
    /// (≈0.1 mm; the brief asks for < 1e-7°).
    static let inverseTolerance = 1e-9
    /// The offset's Jacobian is tiny, so fixed-point iteration gains ~3 digits per step; 30 is a guard.
    static let maxIterations = 30

    /// The box in which GCJ-02 (and BD-09) apply: 72.004–137.8347°E, 0.8293–55.8271°N.
    public static func isInsideChinaBBox(_ p: GeoPoint) -> Bool {
        p.lon >= 72.004 && p.lon <= 137.8347 && p.lat >= 0.8293 && p.lat <= 55.8271
    }

    // MARK: - WGS84 ↔ GCJ-02

    public static func wgs84ToGCJ02(_ p: GeoPoint) -> GeoPoint {
        guard isInsideChinaBBox(p) else { return p }
        let (dLon, dLat) = gcjOffset(lon: p.lon, lat: p.lat)
        return GeoPoint(unchecked: p.lon + dLon, p.lat + dLat)
    }

    /// Exact inverse by fixed-point iteration (not the one-step `g − offset(g)` shortcut, which is off
    /// by up to ~1e-5° ≈ 1–2 m): repeat `w ← w − (forward(w) − g)` until forward(w) hits g within 1e-9°.
    public static func gcj02ToWGS84(_ p: GeoPoint) -> GeoPoint {
        guard isInsideChinaBBox(p) else { return p }
        var lon = p.lon, lat = p.lat
        for _ in 0..<maxIterations {
            let forward = wgs84ToGCJ02(GeoPoint(unchecked: lon, lat))
            let errLon = forward.lon - p.lon, errLat = forward.lat - p.lat
            if abs(errLon) < inverseTolerance && abs(errLat) < inverseTolerance { break }
            lon -= errLon
            lat -= errLat
        }
        return GeoPoint(unchecked: lon, lat)
    }

    // MARK: - GCJ-02 ↔ BD-09

    public static func gcj02ToBD09(_ p: GeoPoint) -> GeoPoint {
        guard isInsideChinaBBox(p) else { return p }
        let (lon, lat) = bdForward(p.lon, p.lat)
        return GeoPoint(unchecked: lon, lat)
    }

    /// Exact inverse: the usual closed-form inverse (which alone leaves up to ~1.5e-6° ≈ 15 cm against
    /// `gcj02ToBD09`) refined by the same fixed-point iteration as `gcj02ToWGS84`.
    public static func bd09ToGCJ02(_ p: GeoPoint) -> GeoPoint {
        guard isInsideChinaBBox(p) else { return p }
        let x = p.lon - 0.0065, y = p.lat - 0.006
        let z = sqrt(x * x + y * y) - 0.00002 * sin(y * xPi)
        let theta = atan2(y, x) - 0.000003 * cos(x * xPi)
        var lon = z * cos(theta), lat = z * sin(theta)
        for _ in 0..<maxIterations {
            let forward = bdForward(lon, lat)
            let errLon = forward.lon - p.lon, errLat = forward.lat - p.lat
            if abs(errLon) < inverseTolerance && abs(errLat) < inverseTolerance { break }
            lon -= errLon
            lat -= errLat
        }
        return GeoPoint(unchecked: lon, lat)
    }

    /// Baidu's published GCJ-02 → BD-09 formula: a small rotation and scaling plus a fixed shift.
    static func bdForward(_ x: Double, _ y: Double) -> (lon: Double, lat: Double) {
        let z = sqrt(x * x + y * y) + 0.00002 * sin(y * xPi)
        let theta = atan2(y, x) + 0.000003 * cos(x * xPi)
        return (z * cos(theta) + 0.0065, z * sin(theta) + 0.006)
    }

    // MARK: - Compositions

    public static func wgs84ToBD09(_ p: GeoPoint) -> GeoPoint { gcj02ToBD09(wgs84ToGCJ02(p)) }

    public static func bd09ToWGS84(_ p: GeoPoint) -> GeoPoint { gcj02ToWGS84(bd09ToGCJ02(p)) }

    /// `p` (given in `crs`) in WGS84/CGCS2000, the storage datum.
    ///
    /// WGS84 and CGCS2000 are treated as identical: their realisations differ by centimetres to a
    /// decimetre, well below GPS and GCJ-02 error, so no datum shift is applied between them.
    public static func normalized(_ p: GeoPoint, from crs: SourceCRS) -> GeoPoint {
        switch crs {
        case .wgs84, .cgcs2000: p
        case .gcj02: gcj02ToWGS84(p)
        case .bd09: bd09ToWGS84(p)
        }
    }

    /// A stored WGS84/CGCS2000 point expressed in `crs`, e.g. GCJ-02 for display on AMap.
    public static func denormalized(_ p: GeoPoint, to crs: SourceCRS) -> GeoPoint {
        switch crs {
        case .wgs84, .cgcs2000: p
        case .gcj02: wgs84ToGCJ02(p)
        case .bd09: wgs84ToBD09(p)
        }
    }

    // MARK: - The GCJ-02 polynomial

    /// GCJ-02 offset (degrees) of a WGS84 point: the published polynomial-plus-sines in metres,
    /// scaled to degrees on the Krasovsky ellipsoid.
    static func gcjOffset(lon: Double, lat: Double) -> (lon: Double, lat: Double) {
        let x = lon - 105.0, y = lat - 35.0
        let radLat = lat / 180.0 * Double.pi
        var magic = sin(radLat)
        magic = 1 - ee * magic * magic
        let sqrtMagic = sqrt(magic)
        let dLat = transformLat(x, y) * 180.0 / ((a * (1 - ee)) / (magic * sqrtMagic) * Double.pi)
        let dLon = transformLon(x, y) * 180.0 / (a / sqrtMagic * cos(radLat) * Double.pi)
        return (dLon, dLat)
    }

    static func transformLat(_ x: Double, _ y: Double) -> Double {
        var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
        r += (20.0 * sin(6.0 * x * Double.pi) + 20.0 * sin(2.0 * x * Double.pi)) * 2.0 / 3.0
        r += (20.0 * sin(y * Double.pi) + 40.0 * sin(y / 3.0 * Double.pi)) * 2.0 / 3.0
        r += (160.0 * sin(y / 12.0 * Double.pi) + 320.0 * sin(y * Double.pi / 30.0)) * 2.0 / 3.0
        return r
    }

    static func transformLon(_ x: Double, _ y: Double) -> Double {
        var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
        r += (20.0 * sin(6.0 * x * Double.pi) + 20.0 * sin(2.0 * x * Double.pi)) * 2.0 / 3.0
        r += (20.0 * sin(x * Double.pi) + 40.0 * sin(x / 3.0 * Double.pi)) * 2.0 / 3.0
        r += (150.0 * sin(x / 12.0 * Double.pi) + 300.0 * sin(x / 30.0 * Double.pi)) * 2.0 / 3.0
        return r
    }
}
