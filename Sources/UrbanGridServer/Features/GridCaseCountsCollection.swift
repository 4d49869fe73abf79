import Foundation
import Hummingbird
import UrbanGridCore
import UrbanGridStore

/// `grid-case-counts`: every unit grid with its case counts over a period (综合评价's regional
/// view), as an OGC API - Features collection so a GIS tool can draw a choropleth. Computed per
/// request from the evaluation facts; `period` (e.g. `2026-11`, `2026-W48`, `2026-Q4`) is its
/// one parameter besides `f`. Aggregates carry no personal data, but come from cases: a user
/// session or a department key is needed.
struct GridCaseCountsCollection {
    static let id = "grid-case-counts"
    let store: CityStore

    func register(on router: Router<AppRequestContext>) {
        router.get("collections/\(Self.id)") { request, _ in
            let q = try QueryParameters(request, allowed: ["f"])
            let doc = try describe(base: FeatureRoutes.base(request))
            if try ResponseFormat(request, q, json: .json) == .html { return FeatureHTML.collection(doc).response }
            return try FeatureRoutes.json(doc)
        }
        router.get("collections/\(Self.id)/queryables") { request, context in
            try Self.requireReader(context)
            try FeatureRoutes.jsonOnly(QueryParameters(request, allowed: ["f"]))
            let schema: [String: Any] = ["$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                                         "title": "grid case counts", "properties": [String: Any](), "additionalProperties": false]
            let data = try JSONSerialization.data(withJSONObject: schema, options: [.sortedKeys])
            return Response(status: .ok, headers: [.contentType: "application/schema+json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("collections/\(Self.id)/items") { request, context in
            try Self.requireReader(context)
            let q = try QueryParameters(request, allowed: ["f", "period"])
            let format = try ResponseFormat(request, q, json: .geojson)
            let period = q.string("period") == nil ? try EvaluationPeriod.parse(currentMonth()) : try EvaluationRoutes.period(q)
            let counts = try store.gridCaseCounts(period: period)
            let base = FeatureRoutes.base(request)
            let url = "\(base)/collections/\(Self.id)/items"
            let links = [Link(href: FeatureRoutes.href(url, request, replacing: [:]), rel: "self", type: FeatureRoutes.geoJSON, title: "This page"),
                         Link(href: FeatureRoutes.href(url, request, replacing: ["f": "html"]), rel: "alternate", type: "text/html", title: "This page (HTML)"),
                         Link(href: "\(base)/collections/\(Self.id)", rel: "collection", type: "application/json", title: "Grid case counts")]
            let features = counts.map(\.featureJSON)
            if format == .html {
                return FeatureHTML.table(title: "网格案件数 Grid case counts", features: features, names: Self.properties,
                                         links: links).response
            }
            var body = "{\"type\":\"FeatureCollection\",\"features\":[" + features.joined(separator: ",")
            body += "],\"numberMatched\":\(features.count),\"numberReturned\":\(features.count),\"timeStamp\":\"\(FeatureRoutes.now())\",\"links\":"
            body += String(decoding: try FeatureRoutes.encoder.encode(links), as: UTF8.self) + "}"
            return FeatureRoutes.geoResponse(body, crs: .crs84).response
        }
    }

    /// This month in the city's time zone, as a period (`2026-11`).
    func currentMonth() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: store.rules.calendar.timeZone) ?? .gmt
        let c = calendar.dateComponents([.year, .month], from: Date())
        return String(format: "%04d-%02d", c.year!, c.month!)
    }

    static let properties = ["grid", "community", "areaM2", "reported", "registered", "publicReports", "closed", "registeredPer10000M2"]

    static func requireReader(_ context: AppRequestContext) throws {
        guard context.user != nil || context.apiKey != nil else { throw Problem.unauthorized() }
    }

    func describe(base: String) throws -> CollectionDescription {
        let extent = try store.extent(of: FeatureLayer.named("grids")!)
        let url = "\(base)/collections/\(Self.id)"
        let zh = "各单元网格在一个评价周期内的上报、立案、监督举报和结案数(period 参数,默认本月),用于分级设色图。"
        let en = "Reported, registered, public and closed cases per unit grid over a period (parameter period, default this month), for a choropleth."
        return CollectionDescription(
            id: Self.id, title: "网格案件数 Grid case counts", description: "\(zh)\n\(en)",
            titleZh: "网格案件数", titleEn: "Grid case counts", descriptionZh: zh, descriptionEn: en,
            extent: .init(spatial: extent.bbox.map { .init(bbox: [$0], crs: OGCCRS.crs84URI) }, temporal: nil),
            crs: [OGCCRS.crs84URI], storageCrs: store.crs.storage.uri,
            links: [Link(href: url, rel: "self", type: "application/json", title: "Grid case counts"),
                    Link(href: "\(url)/items", rel: "items", type: FeatureRoutes.geoJSON, title: "Features"),
                    Link(href: "\(url)/queryables", rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                         type: "application/schema+json", title: "Queryables")])
    }
}
