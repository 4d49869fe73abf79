import Foundation
import Hummingbird
import UrbanGridCore
import UrbanGridStore

/// OGC API - Features, Parts 1–3: landing page, conformance, the OpenAPI document, collections,
/// items, single features and queryables, as JSON/GeoJSON or HTML.
struct FeatureRoutes {
    let store: CityStore
    let openAPI: ByteBuffer
    let cache: FeatureResponseCache

    static let geoJSON = "application/geo+json"

    func register(on router: Router<AppRequestContext>) {
        GridCaseCountsCollection(store: store).register(on: router)
        router.get("/") { request, _ in try landing(request) }
        router.get("conformance") { request, _ in
            let q = try QueryParameters(request, allowed: ["f"])
            let doc = ConformanceDeclaration(conformsTo: ConformanceDeclaration.classes)
            if try ResponseFormat(request, q, json: .json) == .html { return FeatureHTML.conformance(doc).response }
            return try Self.json(doc)
        }
        router.get("api") { request, _ in
            try Self.jsonOnly(QueryParameters(request, allowed: ["f"]))
            return Response(status: .ok, headers: [.contentType: "application/vnd.oai.openapi+json;version=3.0"],
                            body: .init(byteBuffer: openAPI))
        }
        router.get("collections") { request, _ in try collections(request) }
        router.get("collections/:collectionId") { request, context in
            let layer = try Self.layer(context)
            let q = try QueryParameters(request, allowed: ["f"])
            let doc = try layer.describe(store: store, base: Self.base(request))
            if try ResponseFormat(request, q, json: .json) == .html { return FeatureHTML.collection(doc).response }
            return try Self.json(doc)
        }
        router.get("collections/:collectionId/queryables") { request, context in
            let layer = try Self.layer(context)
            _ = try FeatureAccess.check(layer, context: context, profile: store.profile)
            try Self.jsonOnly(QueryParameters(request, allowed: ["f"]))
            let data = try JSONSerialization.data(withJSONObject: layer.queryablesSchema(base: Self.base(request)),
                                                  options: [.sortedKeys, .withoutEscapingSlashes])
            return Response(status: .ok, headers: [.contentType: "application/schema+json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("collections/:collectionId/items") { request, context in
            try cached(request, context) { try items(request, context) }
        }
        router.get("collections/:collectionId/items/:featureId") { request, context in
            try cached(request, context) { try item(request, context) }
        }
    }

    private func landing(_ request: Request) throws -> Response {
        let q = try QueryParameters(request, allowed: ["f"])
        let base = Self.base(request)
        let page = LandingPage(
            title: "UrbanGrid — \(store.profile.nameZh) \(store.profile.nameEn)",
            description: "数字化城市管理基础地理数据(单元网格、行政区划、部件、门牌、道路、建筑、案卷)。Base geography of grid-based city management, OGC API - Features.",
            links: [
                Link(href: "\(base)/", rel: "self", type: "application/json", title: "This document"),
                Link(href: "\(base)/?f=html", rel: "alternate", type: "text/html", title: "This document (HTML)"),
                Link(href: "\(base)/api", rel: "service-desc", type: "application/vnd.oai.openapi+json;version=3.0", title: "The API definition"),
                Link(href: "\(base)/conformance", rel: "conformance", type: "application/json", title: "Conformance classes"),
                Link(href: "\(base)/collections", rel: "data", type: "application/json", title: "Collections"),
            ])
        if try ResponseFormat(request, q, json: .json) == .html { return FeatureHTML.landing(page).response }
        return try Self.json(page)
    }

    private func collections(_ request: Request) throws -> Response {
        let q = try QueryParameters(request, allowed: ["f"])
        let base = Self.base(request)
        let list = CollectionList(
            collections: try FeatureLayer.all.map { try $0.describe(store: store, base: base) }
                + [try GridCaseCountsCollection(store: store).describe(base: base)],
            crs: store.crs.supported.map(\.uri),
            links: [Link(href: "\(base)/collections", rel: "self", type: "application/json", title: "Collections"),
                    Link(href: "\(base)/collections?f=html", rel: "alternate", type: "text/html", title: "Collections (HTML)")])
        if try ResponseFormat(request, q, json: .json) == .html { return FeatureHTML.collections(list).response }
        return try Self.json(list)
    }

    private func items(_ request: Request, _ context: AppRequestContext) throws -> Rendered {
        let layer = try Self.layer(context)
        let scope = try FeatureAccess.check(layer, context: context, profile: store.profile)
        let params = try FeatureParameters(request, layer: layer, registry: store.crs)
        var query = params.query
        if case .department(let code) = scope { query.department = code }
        let page: FeaturePage
        do { page = try store.features(layer, query) } catch let error as FeatureQueryError { throw error.problem }
        let base = Self.base(request)
        let url = "\(base)/collections/\(layer.id)/items"
        var links = [
            Link(href: Self.href(url, request, replacing: [:]), rel: "self", type: Self.geoJSON, title: "This page"),
            Link(href: Self.href(url, request, replacing: ["f": "html"]), rel: "alternate", type: "text/html", title: "This page (HTML)"),
            Link(href: "\(base)/collections/\(layer.id)", rel: "collection", type: "application/json", title: layer.titleEn),
        ]
        if let next = page.next {
            links.append(Link(href: Self.href(url, request, replacing: ["cursor": next.parameter]), rel: "next", type: Self.geoJSON, title: "Next page"))
        }
        if let prev = page.prev {
            links.append(Link(href: Self.href(url, request, replacing: ["cursor": prev.parameter]), rel: "prev", type: Self.geoJSON, title: "Previous page"))
        }
        if params.format == .html { return FeatureHTML.items(layer: layer, page: page, links: links, swapAxes: store.crs.swapsAxes(query.crs)) }
        var body = "{\"type\":\"FeatureCollection\",\"features\":["
        body.reserveCapacity(page.features.reduce(256) { $0 + $1.utf8.count + 1 })
        for (i, f) in page.features.enumerated() {
            if i > 0 { body += "," }
            body += f
        }
        body += "],\"numberMatched\":\(page.numberMatched),\"numberReturned\":\(page.features.count),\"timeStamp\":\"\(Self.now())\",\"links\":"
        body += String(decoding: try Self.encoder.encode(links), as: UTF8.self)
        body += "}"
        return Self.geoResponse(body, crs: query.crs)
    }

    private func item(_ request: Request, _ context: AppRequestContext) throws -> Rendered {
        let layer = try Self.layer(context)
        let scope = try FeatureAccess.check(layer, context: context, profile: store.profile)
        let q = try QueryParameters(request, allowed: ["f", "crs"])
        let format = try ResponseFormat(request, q, json: .geojson)
        let crs = try FeatureParameters.crs(q, "crs", store.crs) ?? .crs84
        let id = try context.parameters.require("featureId")
        var department: String?
        if case .department(let code) = scope { department = code }
        guard let feature = try store.feature(layer, id: id, crs: crs, department: department) else {
            throw Problem("not-found", status: 404, title: "Not Found", detail: "\(layer.id) has no feature '\(id)'",
                          detailZh: "\(layer.titleZh)中没有要素 '\(id)'", field: "featureId")
        }
        let base = Self.base(request)
        let url = "\(base)/collections/\(layer.id)/items/\(Self.pathEscape(id))"
        let links = [
            Link(href: Self.href(url, request, replacing: [:]), rel: "self", type: Self.geoJSON, title: "This feature"),
            Link(href: Self.href(url, request, replacing: ["f": "html"]), rel: "alternate", type: "text/html", title: "This feature (HTML)"),
            Link(href: "\(base)/collections/\(layer.id)", rel: "collection", type: "application/json", title: layer.titleEn),
        ]
        if format == .html {
            return FeatureHTML.items(layer: layer, page: FeaturePage(features: [feature], numberMatched: 1), links: links, swapAxes: store.crs.swapsAxes(crs))
        }
        let body = String(feature.dropLast()) + ",\"links\":" + String(decoding: try Self.encoder.encode(links), as: UTF8.self) + "}"
        return Self.geoResponse(body, crs: crs)
    }

    /// Base layers' answers from the cache while the base geography is unchanged, with an
    /// ETag so clients can revalidate (304). Access is checked before the cache is consulted.
    private func cached(_ request: Request, _ context: AppRequestContext, _ render: () throws -> Rendered) throws -> Response {
        let layer = try Self.layer(context)
        guard cache.isEnabled, !layer.isCases else { return try render().response }
        _ = try FeatureAccess.check(layer, context: context, profile: store.profile)
        let version = try store.baseVersion()
        let accept = request.headers[.accept] ?? ""
        let key = "\(request.uri.path)?\(request.uri.query ?? "")|\(Self.base(request))|\(accept.contains("text/html") ? "html" : "json")"
        let entry: FeatureResponseCache.Entry
        if let hit = cache.get(key, version: version) {
            entry = hit
        } else {
            var page = try render()
            let etag = "\"b\(version)-\(cache.nextTag())\""
            page.headers[.eTag] = etag
            page.headers[.cacheControl] = "no-cache"
            entry = .init(version: version, etag: etag, page: page)
            cache.put(key, entry)
        }
        if request.headers[.ifNoneMatch] == entry.etag {
            return Response(status: .notModified, headers: [.eTag: entry.etag, .cacheControl: "no-cache"])
        }
        return entry.page.response
    }

    // MARK: helpers

    /// A 200 answer before it becomes a Response, so it can be cached.
    struct Rendered: Sendable {
        var headers: HTTPFields
        var body: ByteBuffer
        var response: Response { Response(status: .ok, headers: headers, body: .init(byteBuffer: body)) }
    }

    /// Documents served only as JSON still check `f`.
    static func jsonOnly(_ q: QueryParameters) throws {
        if let f = q.values["f"], f != "json" {
            throw Problem.invalidParameter("f", "this resource is JSON only (f=json)", "此资源仅提供 JSON")
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        return e
    }()

    static func json(_ value: some Encodable) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func geoResponse(_ body: String, crs: OGCCRS) -> Rendered {
        Rendered(headers: [.contentType: geoJSON, .init("Content-Crs")!: "<\(crs.uri)>"], body: ByteBuffer(string: body))
    }

    static func layer(_ context: AppRequestContext) throws -> FeatureLayer {
        let id = try context.parameters.require("collectionId")
        guard let layer = FeatureLayer.named(id) else {
            throw Problem("not-found", status: 404, title: "Not Found", detail: "no collection '\(id)'",
                          detailZh: "没有图层 '\(id)'", field: "collectionId")
        }
        return layer
    }

    /// Absolute links from the Host the client used (loopback, a proxy's name…); a Host with
    /// anything but name, address and port characters is not echoed.
    static func base(_ request: Request) -> String {
        let host = request.head.authority ?? ""
        let ok = !host.isEmpty && host.count <= 255 && host.unicodeScalars.allSatisfy { c in
            c.isASCII && (CharacterSet.alphanumerics.contains(c) || ".:-[]".unicodeScalars.contains(c))
        }
        return "http://" + (ok ? host : "127.0.0.1")
    }

    /// `url` with the request's query, some parameters replaced (and `cursor` dropped unless given).
    static func href(_ url: String, _ request: Request, replacing: [String: String]) -> String {
        var pairs: [(String, String)] = []
        for (key, value) in (try? QueryParameters.pairs(request)) ?? [] {
            if replacing[key] != nil || key == "cursor" { continue }
            pairs.append((key, value))
        }
        pairs += replacing.sorted { $0.key < $1.key }
        guard !pairs.isEmpty else { return url }
        return url + "?" + pairs.map { "\(queryEscape($0.0))=\(queryEscape($0.1))" }.joined(separator: "&")
    }

    static func queryEscape(_ s: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    static func pathEscape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? s }

    static func now() -> String { Timestamps.format(Date()) }
}

extension FeatureQueryError {
    var problem: Problem {
        switch self {
        case .invalidValue(let parameter, let message): .invalidParameter(parameter, message, "参数 '\(parameter)' 的值无效")
        case .filter(let position, let message): .invalidFilter(position: position, message)
        }
    }
}
