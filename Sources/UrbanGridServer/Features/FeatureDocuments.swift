import Foundation
import Hummingbird
import UrbanGridCore
import UrbanGridStore

/// The JSON documents of OGC API - Features besides the items themselves.
struct Link: Codable, Sendable {
    var href: String
    var rel: String
    var type: String?
    var title: String?
}

struct LandingPage: Codable, Sendable {
    var title: String
    var description: String
    var links: [Link]
}

struct ConformanceDeclaration: Codable, Sendable {
    var conformsTo: [String]

    static let classes: [String] = {
        let f1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
        let f3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
        let cql = "http://www.opengis.net/spec/cql2/1.0/conf/"
        return ["core", "geojson", "html", "oas30"].map { f1 + $0 }
            + ["http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"]
            + ["queryables", "queryables-query-parameters", "filter", "features-filter"].map { f3 + $0 }
            + ["cql2-text", "basic-cql2", "advanced-comparison-operators", "basic-spatial-functions",
               "basic-spatial-functions-plus", "spatial-functions"].map { cql + $0 }
    }()
}

struct CollectionDescription: Codable, Sendable {
    struct Extent: Codable, Sendable {
        struct Spatial: Codable, Sendable { var bbox: [[Double]]; var crs: String }
        struct Temporal: Codable, Sendable { var interval: [[String?]]; var trs: String }
        var spatial: Spatial?
        var temporal: Temporal?
    }
    var id: String
    var title: String
    var description: String
    var titleZh: String
    var titleEn: String
    var descriptionZh: String
    var descriptionEn: String
    var itemType = "feature"
    var extent: Extent
    var crs: [String]
    var storageCrs: String
    var links: [Link]
}

struct CollectionList: Codable, Sendable {
    var collections: [CollectionDescription]
    var crs: [String]
    var links: [Link]
}

extension FeatureLayer {
    func describe(store: CityStore, base: String) throws -> CollectionDescription {
        let extent = try store.extent(of: self)
        let url = "\(base)/collections/\(id)"
        var temporal: CollectionDescription.Extent.Temporal?
        if let interval = extent.interval {
            temporal = .init(interval: [interval.map { $0.map(Self.rfc3339) }], trs: "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian")
        }
        return CollectionDescription(
            id: id, title: "\(titleZh) \(titleEn)", description: "\(descriptionZh)\n\(descriptionEn)",
            titleZh: titleZh, titleEn: titleEn, descriptionZh: descriptionZh, descriptionEn: descriptionEn,
            extent: .init(spatial: extent.bbox.map { .init(bbox: [$0], crs: OGCCRS.crs84URI) }, temporal: temporal),
            crs: store.crs.supported.map(\.uri), storageCrs: store.crs.storage.uri,
            links: [
                Link(href: url, rel: "self", type: "application/json", title: titleEn),
                Link(href: "\(url)?f=html", rel: "alternate", type: "text/html", title: "\(titleEn) (HTML)"),
                Link(href: "\(url)/items", rel: "items", type: "application/geo+json", title: "Features"),
                Link(href: "\(url)/items?f=html", rel: "items", type: "text/html", title: "Features (HTML)"),
                Link(href: "\(url)/queryables", rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                     type: "application/schema+json", title: "Queryables"),
            ])
    }

    /// Dates become the start of their day, so every interval end is an RFC 3339 date-time.
    static func rfc3339(_ text: String) -> String { text.count == 10 ? text + "T00:00:00Z" : text }

    /// JSON Schema (2020-12) of the properties a filter may use.
    func queryablesSchema(base: String) -> [String: Any] {
        var properties: [String: Any] = ["geom": ["title": "geometry", "format": "geometry-\(geometryType.lowercased())",
                                                  "x-ogc-role": "primary-geometry"]]
        for p in self.properties {
            var schema: [String: Any] = ["title": p.name]
            switch p.type {
            case .string: schema["type"] = "string"
            case .number: schema["type"] = "number"
            case .integer: schema["type"] = "integer"
            case .boolean: schema["type"] = "boolean"
            case .date: schema["type"] = "string"; schema["format"] = "date"
            case .timestamp: schema["type"] = "string"; schema["format"] = "date-time"
            case .geometry: schema["format"] = "geometry-any"
            }
            properties[p.name] = schema
        }
        return ["$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": "\(base)/collections/\(id)/queryables",
                "type": "object", "title": "\(titleEn) queryables", "properties": properties,
                "additionalProperties": false]
    }
}
