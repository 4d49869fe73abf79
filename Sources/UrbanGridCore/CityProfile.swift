/// A city's profile: who it is, which coordinate systems it uses and how its clock runs.
///
/// Loaded from `gis-data/<city>/city.json`. The storage CRS is geographic (CGCS2000, EPSG:4490, for
/// Chinese cities); areas and distances are always measured in the metric CRS (a 3-degree
/// Gauss-Krüger zone, EPSG:4534 + (CM − 75)/3, or the local CRS of a foreign demo city).
public struct CityProfile: Codable, Sendable, Equatable {
    public var id: String
    public var nameZh: String
    public var nameEn: String
    /// 6-digit GB/T 2260 county-level code that prefixes every grid, component and matter code.
    public var regionCode: String
    /// True when `regionCode` is not a real GB/T 2260 code (demo and test cities).
    public var regionCodePlaceholder: Bool
    public var storageSrid: Int
    public var metricSrid: Int
    public var timeZone: String
    public var locale: String
    public var gridTargetAreaM2: Double
    /// [minLon, minLat, maxLon, maxLat] in the storage CRS.
    public var extent: [Double]
    public var attribution: String?
    /// Collection id → public or key-only, for the features API; absent collections are public.
    public var featureAccess: [String: CollectionAccess]?

    enum CodingKeys: String, CodingKey {
        case id, locale, extent, attribution
        case nameZh = "name_zh", nameEn = "name_en"
        case regionCode = "region_code", regionCodePlaceholder = "region_code_placeholder"
        case storageSrid = "storage_srid", metricSrid = "metric_srid"
        case timeZone = "time_zone", gridTargetAreaM2 = "grid_target_area_m2"
        case featureAccess = "feature_access"
    }

    public init(id: String, nameZh: String, nameEn: String, regionCode: String,
                regionCodePlaceholder: Bool, storageSrid: Int, metricSrid: Int, timeZone: String,
                locale: String, gridTargetAreaM2: Double, extent: [Double], attribution: String?,
                featureAccess: [String: CollectionAccess]? = nil) {
        self.id = id; self.nameZh = nameZh; self.nameEn = nameEn; self.regionCode = regionCode
        self.regionCodePlaceholder = regionCodePlaceholder; self.storageSrid = storageSrid
        self.metricSrid = metricSrid; self.timeZone = timeZone; self.locale = locale
        self.gridTargetAreaM2 = gridTargetAreaM2; self.extent = extent; self.attribution = attribution
        self.featureAccess = featureAccess
    }

    /// The EPSG code of the CGCS2000 3-degree Gauss-Krüger zone (no zone prefix) whose central
    /// meridian is nearest to `longitude`: EPSG:4534 + (CM − 75)/3, for CM 75°E…135°E.
    public static func gaussKrugerSrid(forLongitude longitude: Double) -> Int? {
        let cm = (longitude / 3).rounded() * 3
        guard cm >= 75, cm <= 135 else { return nil }
        return 4534 + Int(cm - 75) / 3
    }

    /// Checks the fields that every other part relies on; returns the problems found.
    public func problems() -> [String] {
        var out: [String] = []
        if regionCode.count != 6 || !regionCode.allSatisfy(\.isASCIIDigit) {
            out.append("region_code must be 6 digits")
        }
        if extent.count != 4 || !(extent[0] < extent[2] && extent[1] < extent[3]) {
            out.append("extent must be [minLon, minLat, maxLon, maxLat]")
        }
        if !(gridTargetAreaM2 > 0) { out.append("grid_target_area_m2 must be positive") }
        if storageSrid == metricSrid { out.append("storage_srid and metric_srid must differ") }
        return out
    }

    /// Whether a storage-CRS point lies inside the city's extent.
    public func extentContains(lon: Double, lat: Double) -> Bool {
        extent.count == 4 && lon >= extent[0] && lon <= extent[2] && lat >= extent[1] && lat <= extent[3]
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
