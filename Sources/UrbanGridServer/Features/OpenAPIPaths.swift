import UrbanGridCore
import UrbanGridStore

/// The paths of the OpenAPI document: the service API and the features API.
enum OpenAPIPaths {
    typealias JSON = [String: Any]
    typealias D = OpenAPIDocument

    nonisolated(unsafe) static let caseID = D.path("id", ["type": "integer", "minimum": 1, "format": "int64"], "Case id")

    nonisolated(unsafe) static let service: [String: JSON] = [
        "/healthz": ["get": D.op("Liveness and versions", "Service", "health", ok: ("200", D.json("OK", "Health")), errors: [])],
        "/metrics": ["get": D.op("Prometheus metrics", "Service", "metrics",
                                 ok: ("200", D.response("Prometheus text format", ["text/plain": D.string])), errors: [])],
        "/api/v1/sessions": ["post": D.op("Log in: a bearer token for a user", "Sessions", "login",
                                          body: D.content("application/json", D.ref("LoginRequest")),
                                          ok: ("201", D.json("Session created", "Session")), errors: [400, 401, 413, 415])],
        "/api/v1/me": ["get": D.op("The current user", "Sessions", "me", ok: ("200", D.json("User", "User")), errors: [401], secured: true)],
        "/api/v1/locate": ["get": D.op("Where a point is: grid, community, street, nearby components", "Cases", "locate", params: [
            D.query("lon", ["type": "number"], "Longitude", required: true),
            D.query("lat", ["type": "number"], "Latitude", required: true),
            D.query("crs", ["type": "string", "enum": ["wgs84", "cgcs2000", "gcj02", "bd09"]], "Source CRS of the point"),
            D.query("radius", ["type": "number", "minimum": 0, "maximum": 1000], "Metres"),
            D.query("type", ["type": "string", "pattern": "^[0-9]{5}$"], "Component type code"),
            D.query("limit", ["type": "integer", "minimum": 1, "maximum": 100], "At most this many components"),
        ], ok: ("200", D.json("The place", "Locate")), errors: [400, 422])],
        "/api/v1/catalog": ["get": D.op("Code lists: component and matter types, legacy classes, departments", "Cases", "catalog",
                                        ok: ("200", D.json("Catalogue", "Catalog")), errors: [])],
        "/api/v1/cases": [
            "post": D.op("Report a case (inspector, operator)", "Cases", "createCase",
                         params: [D.header("Idempotency-Key", ["type": "string", "maxLength": 128], "Makes retries safe")],
                         body: D.content("application/json", D.ref("CaseIntake")),
                         ok: ("201", D.json("Case created (200 with the same case when the Idempotency-Key was seen)", "Case")),
                         errors: [400, 401, 403, 413, 415, 422], secured: true),
            "get": D.op("List cases", "Cases", "listCases", params: [
                D.query("status", D.string, "Comma-separated statuses"), D.query("step", D.string, "Workflow step"),
                D.query("department", D.string, "Department code"), D.query("grid", D.string, "Grid code"),
                D.query("community", D.string, "Community code"), D.query("street", D.string, "Street code"),
                D.query("code", D.string, "Type code"), D.query("light", ["type": "string", "enum": ["green", "yellow", "red"]], "Alert light"),
                D.query("from", ["type": "string", "format": "date-time"], "Reported at or after"),
                D.query("to", ["type": "string", "format": "date-time"], "Reported before"),
                D.query("bbox", D.string, "minLon,minLat,maxLon,maxLat"), D.query("q", D.string, "Text search"),
                D.query("cursor", D.string, "From the previous page's nextCursor"),
                D.query("limit", ["type": "integer", "minimum": 1, "maximum": 500], "Page size"),
            ], ok: ("200", D.json("A page of cases", "CaseList")), errors: [400, 401], secured: true),
        ],
        "/api/v1/cases/{id}": ["get": D.op("One case with its timeline", "Cases", "getCase", params: [caseID],
                                           ok: ("200", D.json("The case", "Case")), errors: [400, 401, 403, 404], secured: true)],
        "/api/v1/cases/{id}/actions/{action}": ["post": D.op("A workflow action on a case", "Cases", "caseAction", params: [
            caseID, D.path("action", ["type": "string", "enum": CaseAction.allCases.map(\.rawValue)], "The action"),
        ], body: D.content("application/json", D.ref("ActionRequest")),
           ok: ("200", D.json("The case after the action", "Case")), errors: [400, 401, 403, 404, 409, 413, 415], secured: true)],
        "/api/v1/me/tasks": ["get": D.op("What waits for the caller", "Cases", "tasks", ok: ("200", D.json("Tasks", "TaskList")),
                                         errors: [401], secured: true)],
        "/api/v1/events": ["get": D.op("Server-Sent Events of case changes", "Cases", "events", params: [
            D.query("after", ["type": "integer", "minimum": 0], "Replay events after this sequence number"),
            D.header("Last-Event-ID", D.string, "Resume after this event"),
        ], ok: ("200", D.response("An event stream", ["text/event-stream": D.string])), errors: [400, 401], secured: true)],
        "/api/v1/cases/{id}/media": [
            "post": D.op("Attach photos", "Media", "addMedia", params: [
                caseID, D.query("step", ["type": "string", "enum": ["report", "handling", "check"]], "Workflow step of the photos"),
            ], body: ["multipart/form-data": ["schema": ["type": "object", "properties": [
                "file": ["type": "array", "items": ["type": "string", "format": "binary"]]]]]],
               ok: ("201", D.json("Stored photos", "MediaList")), errors: [400, 401, 403, 404, 413, 415], secured: true),
            "get": D.op("List photos", "Media", "listMedia", params: [caseID], ok: ("200", D.json("Photos", "MediaList")),
                        errors: [400, 401, 403, 404], secured: true),
        ],
        "/api/v1/cases/{id}/media/{mediaId}": ["get": D.op("A photo's bytes", "Media", "getMedia", params: [
            caseID, D.path("mediaId", ["type": "integer", "minimum": 1], "Photo id"),
        ], ok: ("200", D.response("The image", ["image/jpeg": ["type": "string", "format": "binary"],
                                                "image/png": ["type": "string", "format": "binary"]])),
           errors: [400, 401, 403, 404], secured: true)],
        "/api/v1/departments/{code}/webhooks": [
            "post": D.op("Register a department webhook", "Webhooks", "addWebhook", params: [departmentCode],
                         body: D.content("application/json", D.ref("WebhookRequest")),
                         ok: ("201", D.json("The webhook", "Webhook")), errors: [400, 401, 403, 404, 413, 415], secured: true),
            "get": D.op("A department's webhooks", "Webhooks", "listWebhooks", params: [departmentCode],
                        ok: ("200", D.json("Webhooks", "WebhookList")), errors: [401, 403, 404], secured: true),
        ],
        "/api/v1/departments/{code}/webhooks/{id}/deliveries": ["get": D.op("Delivery attempts of a webhook", "Webhooks", "deliveries",
            params: [departmentCode, D.path("id", ["type": "integer", "minimum": 1], "Webhook id")],
            ok: ("200", D.json("Attempts", "DeliveryList")), errors: [401, 403, 404], secured: true)],
    ]

    nonisolated(unsafe) static let departmentCode = D.path("code", D.string, "Department code")

    nonisolated(unsafe) static let evaluationPeriod = D.query("period", ["type": "string"],
        "2026-11-23 (day), 2026-W48 (week), 2026-11 (month), 2026-Q4 (quarter) or 2026-11-01..2026-11-15", required: true)

    /// 综合评价: the report and the per-grid counts.
    nonisolated(unsafe) static let evaluation: [String: JSON] = [
        "/api/v1/evaluation": ["get": D.op("Comprehensive evaluation 综合评价 of an object kind over a period", "Evaluation", "evaluation", params: [
            D.query("object", ["type": "string", "enum": EvaluationObject.allCases.map(\.rawValue)], "What is evaluated", required: true),
            evaluationPeriod, D.query("format", ["type": "string", "enum": ["json", "csv"]], "JSON (default) or CSV"),
        ], ok: ("200", D.response("The report with every count behind every rate",
                                  ["application/json": ["type": "object"], "text/csv": D.string])),
           errors: [400, 401, 403], secured: true)],
        "/api/v1/evaluation/grid-counts": ["get": D.op("Case counts per unit grid over a period (GeoJSON)", "Evaluation", "gridCounts",
            params: [evaluationPeriod], ok: ("200", D.response("Grids with counts", ["application/geo+json": D.ref("FeatureCollection")])),
            errors: [400, 401], secured: true)],
    ]

    /// Landing, conformance, collections, and one set of item paths per collection with its queryables.
    static func features(crs supported: [String]) -> [String: JSON] {
        let ids = FeatureLayer.all.map(\.id) + [GridCaseCountsCollection.id]
        let collectionID = D.path("collectionId", ["type": "string", "enum": ids], "Collection id")
        var out: [String: JSON] = [
            "/": ["get": D.op("Landing page", "Features", "landing", params: [D.f],
                              ok: ("200", D.response("Landing page", ["application/json": D.ref("LandingPage"), "text/html": D.string])), errors: [400])],
            "/conformance": ["get": D.op("Conformance classes", "Features", "conformance", params: [D.f],
                                        ok: ("200", D.response("Conformance", ["application/json": D.ref("Conformance"), "text/html": D.string])), errors: [400])],
            "/api": ["get": D.op("This OpenAPI document", "Features", "openapi", params: [D.fJSON],
                                 ok: ("200", D.response("OpenAPI 3.0", ["application/vnd.oai.openapi+json;version=3.0": ["type": "object"]])), errors: [400])],
            "/collections": ["get": D.op("The collections", "Features", "collections", params: [D.f],
                                        ok: ("200", D.response("Collections", ["application/json": D.ref("Collections"), "text/html": D.string])), errors: [400])],
            "/collections/{collectionId}": ["get": D.op("One collection", "Features", "collection", params: [collectionID, D.f],
                                                       ok: ("200", D.response("Collection", ["application/json": D.ref("Collection"), "text/html": D.string])),
                                                       errors: [400, 404])],
        ]
        let crs: JSON = ["type": "string", "enum": supported]
        for layer in FeatureLayer.all {
            let base = "/collections/\(layer.id)"
            let name = layer.id.prefix(1).uppercased() + layer.id.dropFirst()
            var params: [JSON] = [
                D.f,
                D.query("limit", ["type": "integer", "minimum": 1, "default": FeatureParameters.defaultLimit],
                        "Page size; values above \(FeatureParameters.maximumLimit) are clamped"),
                D.query("bbox", ["type": "array", "minItems": 4, "maxItems": 6, "items": ["type": "number"]],
                        "minx,miny,maxx,maxy (or 6 numbers with heights) in bbox-crs (CRS84 by default)"),
                D.query("bbox-crs", crs, "CRS of bbox (OGC URI)"),
                D.query("crs", crs, "CRS of the response geometries (OGC URI)"),
                D.query("filter", D.string, "CQL2 text filter"),
                D.query("filter-lang", ["type": "string", "enum": ["cql2-text"]], "Filter language"),
                D.query("filter-crs", crs, "CRS of geometries in the filter"),
                D.query("cursor", ["type": "string", "pattern": "^[ab][0-9]{1,18}$"], "Opaque paging cursor from a next/prev link"),
            ]
            if layer.temporal != nil {
                params.append(D.query("datetime", D.string, "RFC 3339 instant or interval (start/end, '..' for open)"))
            }
            for p in layer.properties { params.append(D.query(p.name, schema(p.type), "Equal to (simple queryable)")) }
            // Any collection may be key-only in the city profile.
            let errors = [400, 401, 403]
            out["\(base)/items"] = ["get": D.op("\(layer.titleEn) \(layer.titleZh): features", "Features", "get\(name)Items", params: params,
                                               ok: ("200", D.response("Features", ["application/geo+json": D.ref("FeatureCollection"), "text/html": D.string])),
                                               errors: errors, secured: layer.isCases)]
            out["\(base)/items/{featureId}"] = ["get": D.op("\(layer.titleEn) \(layer.titleZh): one feature", "Features", "get\(name)Item",
                params: [D.path("featureId", D.string, "Feature id"), D.f, D.query("crs", crs, "CRS of the response geometry")],
                ok: ("200", D.response("Feature", ["application/geo+json": D.ref("Feature"), "text/html": D.string])),
                errors: errors + [404], secured: layer.isCases)]
            out["\(base)/queryables"] = ["get": D.op("\(layer.titleEn) \(layer.titleZh): queryables", "Features", "get\(name)Queryables",
                params: [D.fJSON], ok: ("200", D.response("JSON Schema", ["application/schema+json": ["type": "object"]])),
                errors: errors, secured: layer.isCases)]
        }
        let counts = "/collections/\(GridCaseCountsCollection.id)"
        out["\(counts)/items"] = ["get": D.op("Grid case counts 网格案件数 over a period (choropleth)", "Features", "getGridCaseCountsItems",
            params: [D.f, D.query("period", ["type": "string"], "2026-11-23, 2026-W48, 2026-11, 2026-Q4 or 2026-11-01..2026-11-15 (default: this month)")],
            ok: ("200", D.response("Features", ["application/geo+json": D.ref("FeatureCollection"), "text/html": D.string])),
            errors: [400, 401], secured: true)]
        out["\(counts)/queryables"] = ["get": D.op("Grid case counts: queryables (none)", "Features", "getGridCaseCountsQueryables",
            params: [D.fJSON], ok: ("200", D.response("JSON Schema", ["application/schema+json": ["type": "object"]])),
            errors: [400, 401], secured: true)]
        return out
    }

    static func schema(_ type: QueryableType) -> JSON {
        switch type {
        case .string: ["type": "string"]
        case .number: ["type": "number"]
        case .integer: ["type": "integer"]
        case .boolean: ["type": "boolean"]
        case .date: ["type": "string", "format": "date"]
        case .timestamp: ["type": "string", "format": "date-time"]
        case .geometry: ["type": "string"]
        }
    }
}
