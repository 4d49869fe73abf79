/// Data types exchanged over the HTTP API. Plain values: the server encodes them, clients decode them.

/// RFC 9457 problem details, with the detail in both Chinese and English and the field at fault.
public struct Problem: Codable, Sendable, Error, Equatable {
    /// A stable identifier such as `urn:urbangrid:problem:invalid-parameter`.
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var detailZh: String
    /// The request field (JSON member or query parameter) at fault, if one is.
    public var field: String?
    /// For a filter expression: the 0-based character offset of the error.
    public var position: Int?

    public init(_ kind: String, status: Int, title: String, detail: String, detailZh: String,
                field: String? = nil) {
        self.type = "urn:urbangrid:problem:\(kind)"
        self.title = title; self.status = status; self.detail = detail
        self.detailZh = detailZh; self.field = field
    }

    public static func invalidParameter(_ field: String, _ detail: String, _ detailZh: String) -> Problem {
        Problem("invalid-parameter", status: 400, title: "Invalid parameter", detail: detail,
                detailZh: detailZh, field: field)
    }
}

public struct NamedArea: Codable, Sendable, Equatable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public init(code: String, nameZh: String, nameEn: String) {
        self.code = code; self.nameZh = nameZh; self.nameEn = nameEn
    }
}

public struct GridSummary: Codable, Sendable, Equatable {
    public var code: String
    public var areaM2: Double
    public init(code: String, areaM2: Double) { self.code = code; self.areaM2 = areaM2 }
}

public struct NearbyComponent: Codable, Sendable, Equatable {
    public var id: String
    public var typeCode: String
    public var typeNameZh: String
    public var typeNameEn: String
    public var name: String
    public var status: String
    public var distanceM: Double
    public var lon: Double
    public var lat: Double
    public init(id: String, typeCode: String, typeNameZh: String, typeNameEn: String, name: String,
                status: String, distanceM: Double, lon: Double, lat: Double) {
        self.id = id; self.typeCode = typeCode; self.typeNameZh = typeNameZh; self.typeNameEn = typeNameEn
        self.name = name; self.status = status; self.distanceM = distanceM; self.lon = lon; self.lat = lat
    }
}

/// Where a point is: its unit grid and admin areas, and the components around it.
public struct LocateResult: Codable, Sendable, Equatable {
    /// The point in the city's storage CRS, after conversion from the source CRS.
    public var lon: Double
    public var lat: Double
    public var storageSrid: Int
    public var grid: GridSummary
    public var community: NamedArea
    public var street: NamedArea
    public var district: NamedArea
    public var radiusM: Double
    public var components: [NearbyComponent]
    public init(lon: Double, lat: Double, storageSrid: Int, grid: GridSummary, community: NamedArea,
                street: NamedArea, district: NamedArea, radiusM: Double, components: [NearbyComponent]) {
        self.lon = lon; self.lat = lat; self.storageSrid = storageSrid; self.grid = grid
        self.community = community; self.street = street; self.district = district
        self.radiusM = radiusM; self.components = components
    }
}
