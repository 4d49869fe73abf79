import Foundation
import UrbanGridCore

/// What the map pane has for the open case.
public enum MapState: Sendable, Equatable {
    case loading
    case ready(MapScene)
    /// Why there is no map, shown in the pane's status area.
    case unavailable(String)
}

/// Gathers the map of one case over HTTP: the metric CRS from `/healthz`, grids and components around
/// the case from OGC API - Features in that CRS, the same grids in lon/lat to fit the lon/lat → metric
/// map (`AffineFit`), and the open cases nearby from `/api/v1/cases?bbox=`.
public struct MapLoader: Sendable {
    public let client: APIClient
    /// Metres each side of the case fetched.
    public var radius = 300.0

    public init(client: APIClient) { self.client = client }

    public func load(for c: CaseView, language: Language) async -> MapState {
        func unavailable(_ zh: String, _ en: String) -> MapState {
            .unavailable(Label.mapUnavailable.text(language) + ": " + language.pick(zh, en))
        }
        guard let health = try? await client.health(), let crs = health.metricCrs, !crs.isEmpty else {
            return unavailable("服务器未提供公里网坐标系", "the server names no metric CRS")
        }
        let bbox = Self.bbox(lon: c.lon, lat: c.lat, metres: radius)
        let area = URLQueryItem(name: "bbox", value: bbox.map { String(format: "%.7f", $0) }.joined(separator: ","))
        let inMetric = URLQueryItem(name: "crs", value: crs)
        let limit = URLQueryItem(name: "limit", value: "100")
        // Drawn as x = easting, y = northing whatever order the CRS lists its axes in.
        let northingFirst = health.metricAxisOrder == "northing-easting"
        func metric(_ fc: FeatureCollection) -> FeatureCollection { northingFirst ? fc.swappingAxes : fc }
        let metricGrids: FeatureCollection, lonLatGrids: FeatureCollection
        do {
            metricGrids = metric(try await client.features("grids", query: [area, limit, inMetric]))
            lonLatGrids = try await client.features("grids", query: [area, limit])
        } catch {
            return unavailable("网格服务不可用(\(error.message(.zh)))", "no grid features (\(error.message(.en)))")
        }
        guard let fit = AffineFit(pairs: AffineFit.pairs(lonLat: lonLatGrids.features, metric: metricGrids.features)) else {
            return unavailable("无法换算坐标", "cannot relate lon/lat to the metric CRS")
        }
        let components = (try? await client.features("components", query: [area, limit, inMetric])).map(metric)?.features ?? []
        let openStatuses = QueueFilter.openStatuses.map(\.rawValue).joined(separator: ",")
        let nearby = (try? await client.cases([area, URLQueryItem(name: "status", value: openStatuses), limit])) ?? []
        return .ready(MapScene(
            casePoint: fit.apply(MapPoint(c.lon, c.lat)), caseGridCode: c.grid.code, grids: metricGrids.features,
            components: components.compactMap { f in
                f.geometry?.vertices.first.map { MapScene.Marker($0, label: f.properties["name"] ?? f.id) }
            },
            openCases: nearby.filter { $0.id != c.id }.map { MapScene.Marker(fit.apply(MapPoint($0.lon, $0.lat)), label: $0.number) },
            crs: crs))
    }

    /// minLon, minLat, maxLon, maxLat of a square `metres` each side of a point.
    static func bbox(lon: Double, lat: Double, metres: Double) -> [Double] {
        let dLat = metres / 111_320
        let dLon = metres / (111_320 * max(0.01, cos(lat * .pi / 180)))
        return [lon - dLon, lat - dLat, lon + dLon, lat + dLat]
    }
}
