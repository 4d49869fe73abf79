import Foundation
import Hummingbird
import UrbanGridCore
import UrbanGridStore

/// The OpenAPI 3.0 document of the whole service (`GET /api`): every path, parameter and status
/// code a client can meet, with no remote `$ref`. Built once at start-up from the collection
/// definitions, so a new collection or queryable is described automatically.
struct OpenAPIDocument: Sendable {
    typealias JSON = [String: Any]
    /// The serialised document.
    let body: ByteBuffer
    /// Every documented path with its methods, for 405 answers.
    let routes: RouteTable

    init(profile: CityProfile, crs: [String]) {
        var paths: JSON = [:]
        for (path, item) in OpenAPIPaths.service { paths[path] = item }
        for (path, item) in OpenAPIPaths.evaluation { paths[path] = item }
        for (path, item) in OpenAPIPaths.features(crs: crs) { paths[path] = item }
        routes = RouteTable(paths.mapValues { (($0 as? JSON) ?? [:]).keys.map { $0.uppercased() } })
        let doc: JSON = [
            "openapi": "3.0.3",
            "info": ["title": "UrbanGrid — \(profile.nameEn)", "version": "1.0.0",
                     "description": "Grid-based digital urban management (数字化城市管理): inspectors' case intake and workflow, and the base geography as OGC API - Features (Parts 1–3). Errors are RFC 9457 problem+json.",
                     "license": ["name": "Data: see attribution", "url": "https://opendatacommons.org/licenses/odbl/1-0/"]] as JSON,
            "servers": [["url": "/"]],
            "tags": ["Features", "Sessions", "Cases", "Media", "Webhooks", "Evaluation", "Service"].map { ["name": $0] },
            "paths": paths,
            "components": ["schemas": OpenAPISchemas.all, "responses": OpenAPISchemas.responses,
                           "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer",
                                                          "description": "A session token (POST /api/v1/sessions) or a department's API key (ugk_…)"]]] as JSON,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        body = ByteBuffer(bytes: data)
    }

    // MARK: building blocks shared by the path tables

    static func op(_ summary: String, _ tag: String, _ id: String, params: [JSON] = [], body: JSON? = nil,
                   ok: (code: String, response: JSON), errors: [Int], secured: Bool = false) -> JSON {
        var responses: JSON = [ok.code: ok.response]
        for code in errors { responses[String(code)] = ["$ref": "#/components/responses/Problem\(code)"] }
        var o: JSON = ["summary": summary, "tags": [tag], "operationId": id, "responses": responses]
        if !params.isEmpty { o["parameters"] = params }
        if let body { o["requestBody"] = ["required": true, "content": body] }
        if secured { o["security"] = [["bearer": [String]()]] }
        return o
    }

    static func query(_ name: String, _ schema: JSON, _ description: String, required: Bool = false) -> JSON {
        ["name": name, "in": "query", "required": required, "schema": schema, "description": description, "style": "form", "explode": false]
    }

    static func path(_ name: String, _ schema: JSON, _ description: String) -> JSON {
        ["name": name, "in": "path", "required": true, "schema": schema, "description": description]
    }

    static func header(_ name: String, _ schema: JSON, _ description: String) -> JSON {
        ["name": name, "in": "header", "required": false, "schema": schema, "description": description]
    }

    static func ref(_ schema: String) -> JSON { ["$ref": "#/components/schemas/\(schema)"] }

    static func content(_ type: String, _ schema: JSON) -> JSON { [type: ["schema": schema]] }

    static func response(_ description: String, _ types: [String: JSON]) -> JSON {
        ["description": description, "content": types.mapValues { ["schema": $0] }]
    }

    static func json(_ description: String, _ schema: String) -> JSON { response(description, ["application/json": ref(schema)]) }

    nonisolated(unsafe) static let string: JSON = ["type": "string"]
    nonisolated(unsafe) static let f: JSON = query("f", ["type": "string", "enum": ["json", "html"]], "Response format (default from Accept: JSON, or HTML for browsers)")
    nonisolated(unsafe) static let fJSON: JSON = query("f", ["type": "string", "enum": ["json"]], "Response format")
}

/// Path templates (`/cases/{id}`) and their methods, matched segment by segment.
struct RouteTable: Sendable {
    private let entries: [(segments: [String?], methods: [String])]

    init(_ paths: [String: [String]]) {
        entries = paths.map { path, methods in
            (path.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) }, methods.sorted())
        }
    }

    func methods(for path: String) -> [String] {
        let parts = path.split(separator: "/")
        return entries.first { e in
            e.segments.count == parts.count && zip(e.segments, parts).allSatisfy { $0 == nil || $0! == $1 }
        }?.methods ?? []
    }
}
