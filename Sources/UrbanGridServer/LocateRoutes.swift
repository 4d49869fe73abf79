import Hummingbird
import UrbanGridCore
import UrbanGridStore

/// `GET /api/v1/locate` and `GET /api/v1/catalog`: where a point is, and the code lists.
struct LocateRoutes {
    let store: CityStore

    static let locateParameters: Set<String> = ["lon", "lat", "crs", "radius", "type", "limit"]

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("locate") { request, _ -> Response in .json(try locate(request)) }
        let catalog = try? CatalogResponse(store.catalog())
        group.get("catalog") { _, _ -> CatalogResponse in
            guard let catalog else { throw Problem("internal", status: 500, title: "Catalogue unavailable",
                                                   detail: "The catalogue could not be read.", detailZh: "代码表不可用") }
            return catalog
        }
    }

    func locate(_ request: Request) throws -> LocateResult {
        let q = try QueryParameters(request, allowed: Self.locateParameters)
        let crsName = q.string("crs") ?? "wgs84"
        guard let crs = SourceCRS(name: crsName) else {
            throw Problem.invalidParameter("crs", "crs must be one of wgs84, cgcs2000, gcj02, bd09; got '\(crsName)'",
                                           "crs 必须是 wgs84、cgcs2000、gcj02 或 bd09")
        }
        let point: GeoPoint
        do {
            point = try GeoPoint(lon: q.requiredDouble("lon"), lat: q.requiredDouble("lat"))
        } catch let e as CoordinateError {
            throw Problem.invalidParameter(e.field.rawValue, e.message, e.messageZh)
        }
        let radius = try q.double("radius", default: 50, in: 0...1000)
        let limit = try q.int("limit", default: 10, in: 1...100)
        let type = q.string("type")
        if let type {
            guard (try? TypeCode(type, kind: .component)) != nil, try store.componentTypeExists(type) else {
                throw Problem.invalidParameter("type", "'\(type)' is not a GB/T 47678.5 component type code",
                                               "'\(type)' 不是 GB/T 47678.5 部件类型代码")
            }
        }
        let p = ChinaCoordinates.normalized(point, from: crs)
        guard store.profile.extentContains(lon: p.lon, lat: p.lat),
              let result = try store.locate(lon: p.lon, lat: p.lat, radiusM: radius, typeCode: type, limit: limit) else {
            throw Problem("outside-city", status: 422, title: "Point outside the city",
                          detail: "(\(p.lon), \(p.lat)) lies in no unit grid of \(store.profile.nameEn)",
                          detailZh: "该点不在\(store.profile.nameZh)的任何单元网格内", field: "lon")
        }
        return result
    }
}

struct CatalogResponse: ResponseEncodable {
    var components: [ComponentType]
    var matters: [MatterType]
    var legacyComponents: [LegacyClass]
    var legacyEvents: [LegacyClass]
    var departments: [Department]

    init(_ data: (catalog: Catalog, departments: [Department])) {
        components = data.catalog.components; matters = data.catalog.matters
        legacyComponents = data.catalog.legacyComponents; legacyEvents = data.catalog.legacyEvents
        departments = data.departments
    }
}
