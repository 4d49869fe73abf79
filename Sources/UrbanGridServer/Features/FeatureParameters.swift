import Hummingbird
import UrbanGridCore
import UrbanGridStore

/// The query parameters of OGC API - Features (Parts 1–3), each checked with a 400 naming it.
struct FeatureParameters {
    /// Limit: default 100; larger values are clamped to the maximum (Part 1 /req/core/fc-limit-response-1).
    static let defaultLimit = 100, maximumLimit = 10_000
    static let itemsParameters: Set<String> = ["f", "limit", "bbox", "bbox-crs", "datetime", "crs", "filter", "filter-lang", "filter-crs", "cursor"]

    let query: FeatureQuery
    let format: ResponseFormat

    init(_ request: Request, layer: FeatureLayer, registry: CRSRegistry) throws {
        let q = try QueryParameters(request, allowed: Self.itemsParameters.union(layer.properties.map(\.name)))
        format = try ResponseFormat(request, q, json: .geojson)
        var query = FeatureQuery()
        if let raw = q.values["limit"] {
            guard let n = Int(raw), n >= 1 else {
                throw Problem.invalidParameter("limit", "limit must be a whole number ≥ 1, got '\(raw)'", "limit 必须是不小于 1 的整数")
            }
            query.limit = min(n, Self.maximumLimit)
        }
        query.crs = try Self.crs(q, "crs", registry) ?? .crs84
        if let raw = q.values["bbox"] {
            query.bbox = try Self.bbox(raw, crs: Self.crs(q, "bbox-crs", registry) ?? .crs84)
        } else if q.values["bbox-crs"] != nil {
            throw Problem.invalidParameter("bbox-crs", "bbox-crs needs a bbox", "bbox-crs 需要与 bbox 一起使用")
        }
        if let raw = q.values["datetime"] {
            do { query.datetime = try TemporalInterval.parse(raw) } catch {
                throw Problem.invalidParameter("datetime", "datetime: \(error.message)", "datetime 不是有效的时间或时间段")
            }
        }
        if let lang = q.values["filter-lang"], lang != "cql2-text" {
            throw Problem.invalidParameter("filter-lang", "filter-lang must be cql2-text, got '\(lang)'", "filter-lang 只支持 cql2-text")
        }
        query.filterCRS = try Self.crs(q, "filter-crs", registry) ?? .crs84
        if let text = q.values["filter"] {
            do { query.filter = try CQL2.parse(text) } catch {
                throw Problem.invalidFilter(position: error.position, error.message)
            }
        }
        if let raw = q.values["cursor"] { query.cursor = try Self.cursor(raw) }
        for property in layer.properties where q.values[property.name] != nil {
            query.equals[property.name] = q.values[property.name]
        }
        self.query = query
    }

    static func crs(_ q: QueryParameters, _ name: String, _ registry: CRSRegistry) throws -> OGCCRS? {
        guard let raw = q.values[name] else { return nil }
        guard let crs = OGCCRS(uri: raw), registry.isSupported(crs) else {
            throw Problem.invalidParameter(name, "\(name) '\(raw)' is not supported; one of: \(registry.supported.map(\.uri).joined(separator: ", "))",
                                           "不支持的坐标参照系 '\(raw)'")
        }
        return crs
    }

    /// 4 numbers, or 6 with heights (ignored), in the CRS's axis order.
    static func bbox(_ raw: String, crs: OGCCRS) throws -> FeatureQuery.Box {
        let parts = raw.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4 || parts.count == 6, parts.allSatisfy({ $0?.isFinite == true }) else {
            throw Problem.invalidParameter("bbox", "bbox must be 4 (or 6) comma-separated finite numbers, got '\(raw)'",
                                           "bbox 必须是 4 个(或 6 个)逗号分隔的有限数值")
        }
        let n = parts.map { $0! }
        let (a0, b0, a1, b1) = n.count == 4 ? (n[0], n[1], n[2], n[3]) : (n[0], n[1], n[3], n[4])
        guard a0 <= a1, b0 <= b1 else {
            throw Problem.invalidParameter("bbox", "bbox lower corner must not exceed the upper corner", "bbox 的下角不能大于上角")
        }
        return FeatureQuery.Box(minA: a0, minB: b0, maxA: a1, maxB: b1, crs: crs)
    }

    /// `a<key>` (the page after a key) or `b<key>` (the page before it), as written in next/prev links.
    static func cursor(_ raw: String) throws -> FeatureQuery.Cursor {
        if let key = Int64(raw.dropFirst()), raw.first == "a" { return .after(key) }
        if let key = Int64(raw.dropFirst()), raw.first == "b" { return .before(key) }
        throw Problem.invalidParameter("cursor", "cursor '\(raw)' is not one this server wrote; follow the next/prev links",
                                       "cursor 无效,请使用 next/prev 链接")
    }
}

extension FeatureQuery.Cursor {
    var parameter: String {
        switch self {
        case .after(let k): "a\(k)"
        case .before(let k): "b\(k)"
        }
    }
}

/// JSON (GeoJSON for features) or HTML, from `f` or else the Accept header.
enum ResponseFormat: Equatable {
    case json, geojson, html

    init(_ request: Request, _ q: QueryParameters, json: ResponseFormat) throws {
        switch q.values["f"] {
        case "json"?, "geojson"?: self = json
        case "html"?: self = .html
        case let other?:
            throw Problem.invalidParameter("f", "f must be json or html, got '\(other)'", "f 只能是 json 或 html")
        case nil:
            let accept = request.headers[.accept] ?? ""
            self = accept.contains("text/html") && !accept.contains("json") ? .html : json
        }
    }
}

extension Problem {
    static func invalidFilter(position: Int?, _ message: String) -> Problem {
        let at = position.map { " at position \($0)" } ?? ""
        var p = Problem.invalidParameter("filter", "filter\(at): \(message)", "filter 表达式有误" + (position.map { "(位置 \($0))" } ?? ""))
        p.position = position
        return p
    }
}
