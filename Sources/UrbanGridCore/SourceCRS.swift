/// The coordinate system a client's point arrives in.
///
/// Phones report WGS84 GPS fixes, AMap/Tencent SDKs hand out GCJ-02 and Baidu's hand out BD-09, so
/// every incoming point must say which one it is; `ChinaCoordinates.normalized(_:from:)` then brings
/// it to the storage datum.
public enum SourceCRS: String, Sendable, Hashable, Codable, CaseIterable {
    /// GPS (EPSG:4326).
    case wgs84
    /// China Geodetic Coordinate System 2000 (EPSG:4490), the storage datum of Chinese cities.
    case cgcs2000
    /// 国测局 "Mars" obfuscation used by AMap (高德) and Tencent.
    case gcj02
    /// Baidu's extra offset on top of GCJ-02 (lon/lat form, not Baidu's metric BD09MC).
    case bd09

    /// Parses a name as clients actually send it: case-insensitive, with or without `-`/`_`/spaces,
    /// vendor names ("amap", "baidu", "gps") and EPSG/OGC identifiers. Returns nil when unknown.
    ///
    /// EPSG:4326/4490 officially list latitude first; the code only picks the datum here, because
    /// `GeoPoint` always names its fields.
    public init?(name: String) {
        var key = ""
        for character in name.lowercased() where !" -_\t\n".contains(character) {
            key.append(character)
        }
        // OGC URIs and URNs end in the authority code ("…/EPSG/0/4326", "urn:ogc:def:crs:EPSG::4490").
        for prefix in ["http://www.opengis.net/def/crs/epsg/0/", "https://www.opengis.net/def/crs/epsg/0/",
                       "urn:ogc:def:crs:epsg::", "urn:ogc:def:crs:epsg:"] where key.hasPrefix(prefix) {
            key = "epsg:" + key.dropFirst(prefix.count)
        }
        if key.hasSuffix("/crs84") || key.hasSuffix(":crs84") { key = "crs84" }
        guard let crs = Self.aliases[key] else { return nil }
        self = crs
    }

    /// Accepted spellings after lower-casing and removing `-`, `_` and whitespace.
    static let aliases: [String: SourceCRS] = [
        "wgs84": .wgs84, "gps": .wgs84, "epsg:4326": .wgs84, "4326": .wgs84, "crs84": .wgs84,
        "cgcs2000": .cgcs2000, "epsg:4490": .cgcs2000, "4490": .cgcs2000,
        "gcj02": .gcj02, "gcj": .gcj02, "amap": .gcj02, "autonavi": .gcj02, "gaode": .gcj02,
        "tencent": .gcj02, "qq": .gcj02, "mars": .gcj02,
        "bd09": .bd09, "bd09ll": .bd09, "baidu": .bd09,
    ]

    /// Decodes any spelling `init(name:)` accepts, so API clients may send "gps" or "EPSG:4490".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let crs = SourceCRS(name: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "unknown coordinate system \"\(text)\"; use wgs84, cgcs2000, gcj02 or bd09")
        }
        self = crs
    }
}

/// Why a coordinate was rejected, naming the field so the API can point at it.
public struct CoordinateError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Field: String, Sendable, Hashable, Codable, CaseIterable {
        case lon, lat
    }

    public let field: Field
    public let message: String
    public let messageZh: String

    public init(field: Field, message: String, messageZh: String) {
        self.field = field
        self.message = message
        self.messageZh = messageZh
    }

    public var description: String { message }
}

/// A longitude/latitude pair in decimal degrees, always valid (finite, on the globe).
///
/// Named fields rather than an array because lon/lat order is the most common bug in GIS code.
/// The datum is not part of the value: it is known from context (storage CRS, or a `SourceCRS` beside it).
public struct GeoPoint: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Degrees east, −180…180.
    public let lon: Double
    /// Degrees north, −90…90.
    public let lat: Double

    /// Validates longitude first, then latitude.
    public init(lon: Double, lat: Double) throws(CoordinateError) {
        guard lon.isFinite, (-180...180).contains(lon) else {
            throw CoordinateError(
                field: .lon,
                message: "lon must be a finite number between -180 and 180, got \(lon)",
                messageZh: "经度lon应为-180到180之间的有限数值，实际为\(lon)")
        }
        guard lat.isFinite, (-90...90).contains(lat) else {
            throw CoordinateError(
                field: .lat,
                message: "lat must be a finite number between -90 and 90, got \(lat)",
                messageZh: "纬度lat应为-90到90之间的有限数值，实际为\(lat)")
        }
        self.lon = lon
        self.lat = lat
    }

    /// For results of conversions that provably stay on the globe.
    init(unchecked lon: Double, _ lat: Double) {
        self.lon = lon
        self.lat = lat
    }

    enum CodingKeys: String, CodingKey { case lon, lat }

    /// Decoding validates too, so a bad point from JSON fails at the edge with its field in the path.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let lon = try container.decode(Double.self, forKey: .lon)
        let lat = try container.decode(Double.self, forKey: .lat)
        do {
            try self.init(lon: lon, lat: lat)
        } catch {
            let key: CodingKeys = error.field == .lon ? .lon : .lat
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: error.message)
        }
    }

    public var description: String { "(\(lon), \(lat))" }
}
