// Who may call what: every operation of the server's own OpenAPI document (GET /api) × every kind
// of caller, with the expected status in ONE table. An operation the document lists without a row
// (a new endpoint) fails the test, and so does a row for an operation the document no longer has.
//
// Runs on the test city, whose `buildings` collection is key-only, so a key's collection list
// matters; a case dispatched to HW (环卫) shows what each department and key scope sees.

import Foundation
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

/// The callers, in the order of the table's columns.
enum Caller: String, CaseIterable, Sendable {
    case anonymous, expiredToken, revokedToken, revokedKey
    case admin, inspector, operator_, shiftLeader, dispatcher
    /// Department staff of HW, whose case the fixture holds, and of CGZF, another department.
    case staffHW, staffOther
    /// HW keys: grids + buildings without a cases scope; grids only with `--cases own`.
    case keyNoCases, keyOwnCases
    /// A CGZF key with `--cases own`, and an SW key opening everything with `--cases all`.
    case keyOwnOther, keyAllCases
}

@Suite struct AuthorizationMatrixTests {
    /// Columns: anonymous, expired session token, revoked session token, revoked key │ admin,
    /// inspector, operator, shift leader, dispatcher, HW staff, other department's staff │ key
    /// without cases scope, key with own cases, other department's key with own cases, key with all.
    static let anyone =       [200, 401, 401, 401,  200, 200, 200, 200, 200, 200, 200,  200, 200, 200, 200]
    static let users =        [401, 401, 401, 401,  200, 200, 200, 200, 200, 200, 200,  403, 403, 403, 403]
    /// Any valid credential, a key of any scope included.
    static let signedIn =     [401, 401, 401, 401,  200, 200, 200, 200, 200, 200, 200,  200, 200, 200, 200]
    static let keyOnlyLayer = [401, 401, 401, 401,  200, 200, 200, 200, 200, 200, 200,  200, 403, 200, 200]
    static let casesLayer =   [401, 401, 401, 401,  200, 200, 200, 200, 200, 200, 200,  403, 200, 200, 200]
    /// The HW case as a feature: hidden (404) from other departments' staff and own-scope keys.
    static let hwCaseItem =   [401, 401, 401, 401,  200, 200, 200, 200, 200, 200, 404,  403, 200, 404, 200]
    /// The HW case through the case API.
    static let hwCase =       [401, 401, 401, 401,  200, 200, 200, 200, 200, 200, 404,  403, 403, 403, 403]
    static let hwWebhooks =   [401, 401, 401, 401,  200, 403, 403, 403, 403, 200, 403,  403, 403, 403, 403]

    /// Every operation of the OpenAPI document and its expected statuses, one per caller.
    static let table: [(operation: String, expected: [Int])] = [
        ("GET /healthz", anyone),
        ("GET /metrics", anyone),
        ("POST /api/v1/sessions", anyone.map { $0 == 200 ? 201 : $0 }),
        ("DELETE /api/v1/sessions/current", users.map { $0 == 200 ? 204 : $0 }),
        ("GET /api/v1/me", users),
        ("GET /api/v1/me/tasks", users),
        ("GET /api/v1/locate", anyone),
        ("GET /api/v1/catalog", anyone),
        //                          anon exp  rvk  rvkK  adm  ins  opr  sld  dsp  stHW stOt  kNoC kOwn kOwO kAll
        ("POST /api/v1/cases",      [401, 401, 401, 401,  403, 201, 201, 403, 403, 403, 403,  403, 403, 403, 403]),
        ("GET /api/v1/cases", users),
        ("GET /api/v1/cases/{id}", hwCase),
        // `accept` on a newly reported case (not yet any department's).
        ("POST /api/v1/cases/{id}/actions/{action}",
                                    [401, 401, 401, 401,  403, 403, 200, 403, 403, 404, 404,  403, 403, 403, 403]),
        ("GET /api/v1/events", users),
        ("POST /api/v1/cases/{id}/media", hwCase.map { $0 == 200 ? 201 : $0 }),
        ("GET /api/v1/cases/{id}/media", hwCase),
        ("GET /api/v1/cases/{id}/media/{mediaId}", hwCase),
        ("POST /api/v1/departments/{code}/webhooks", hwWebhooks.map { $0 == 200 ? 201 : $0 }),
        ("GET /api/v1/departments/{code}/webhooks", hwWebhooks),
        ("GET /api/v1/departments/{code}/webhooks/{id}/deliveries", hwWebhooks),
        // The departments' evaluation: centre roles and department staff (their own row), not inspectors.
        ("GET /api/v1/evaluation",  [401, 401, 401, 401,  200, 403, 200, 200, 200, 200, 200,  403, 403, 403, 403]),
        ("GET /api/v1/evaluation/grid-counts", users),
        ("GET /", anyone),
        ("GET /conformance", anyone),
        ("GET /api", anyone),
        ("GET /collections", anyone),
        ("GET /collections/{collectionId}", anyone),
        ("GET /collections/grids/items", anyone),
        ("GET /collections/grids/items/{featureId}", anyone),
        ("GET /collections/grids/queryables", anyone),
        ("GET /collections/communities/items", anyone),
        ("GET /collections/communities/items/{featureId}", anyone),
        ("GET /collections/communities/queryables", anyone),
        ("GET /collections/streets/items", anyone),
        ("GET /collections/streets/items/{featureId}", anyone),
        ("GET /collections/streets/queryables", anyone),
        ("GET /collections/districts/items", anyone),
        ("GET /collections/districts/items/{featureId}", anyone),
        ("GET /collections/districts/queryables", anyone),
        ("GET /collections/components/items", anyone),
        ("GET /collections/components/items/{featureId}", anyone),
        ("GET /collections/components/queryables", anyone),
        ("GET /collections/addresses/items", anyone),
        ("GET /collections/addresses/items/{featureId}", anyone),
        ("GET /collections/addresses/queryables", anyone),
        ("GET /collections/roads/items", anyone),
        ("GET /collections/roads/items/{featureId}", anyone),
        ("GET /collections/roads/queryables", anyone),
        ("GET /collections/buildings/items", keyOnlyLayer),
        ("GET /collections/buildings/items/{featureId}", keyOnlyLayer),
        ("GET /collections/buildings/queryables", keyOnlyLayer),
        ("GET /collections/cases/items", casesLayer),
        ("GET /collections/cases/items/{featureId}", hwCaseItem),
        ("GET /collections/cases/queryables", casesLayer),
        // Per-grid aggregates of cases, no personal data: any user or key.
        ("GET /collections/grid-case-counts/items", signedIn),
        ("GET /collections/grid-case-counts/queryables", signedIn),
    ]

    @Test func everyOperationTimesEveryCallerAnswersAsTheTableSays() async throws {
        // Webhooks to loopback, so that registering one (the fixture's url) is allowed.
        var configuration = ServerConfiguration()
        configuration.allowInternalWebhookTargets = true
        try await withServer(city: Fixtures.testcity, configuration: configuration) { server in
            let fixture = try await MatrixFixture.make(server)
            let documented = try await Self.operations(server)
            let gaps = Self.gaps(documented: documented, table: Self.table)
            #expect(gaps.isEmpty, "the authorisation table does not match GET /api:\n\(gaps.joined(separator: "\n"))")

            var mismatches: [String] = []
            for (operation, expected) in Self.table where documented.contains(operation) {
                for (caller, status) in zip(Caller.allCases, expected) {
                    let r = try await fixture.call(operation, as: caller)
                    if r.status != status {
                        mismatches.append("\(operation) as \(caller.rawValue): expected \(status), got \(r)")
                    }
                    if r.status >= 400 {
                        #expect(r.header("content-type") == "application/problem+json", "\(operation) as \(caller.rawValue): \(r)")
                    }
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.count) cells differ:\n\(mismatches.joined(separator: "\n"))")
        }
    }

    /// What keeps the table honest: an operation without a row, a row without an operation, two
    /// rows for one operation, a row without one status per caller.
    static func gaps(documented: [String], table: [(operation: String, expected: [Int])]) -> [String] {
        var out: [String] = []
        var seen: Set<String> = []
        for (operation, expected) in table {
            if !seen.insert(operation).inserted { out.append("two rows for \(operation)") }
            if expected.count != Caller.allCases.count { out.append("\(operation): \(expected.count) statuses for \(Caller.allCases.count) callers") }
            if !documented.contains(operation) { out.append("a row for \(operation), which GET /api does not list") }
        }
        for operation in documented where !seen.contains(operation) { out.append("no row for \(operation)") }
        return out
    }

    /// The table follows the OpenAPI document; this holds the document to the router, so a route
    /// added without documentation (and so without a row) fails too.
    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let documented = try await Self.operations(server, expandingEnums: true)
            let routes = routeSignatures(store: server.store)
            #expect(routes.count > 20, "\(routes)")
            let undocumented = routes.filter { route in !documented.contains { Self.route(route, serves: $0) } }
            #expect(undocumented.isEmpty, "routes missing from GET /api: \(undocumented)")
            let unserved = documented.filter { operation in !routes.contains { Self.route($0, serves: operation) } }
            #expect(unserved.isEmpty, "documented operations no route serves: \(unserved)")
        }
    }

    /// Whether a route (`GET /collections/{collectionId}/items`) answers a documented operation
    /// (`GET /collections/grids/items`): same method, and segment by segment equal or a parameter.
    static func route(_ route: String, serves operation: String) -> Bool {
        let r = route.split(separator: " ", maxSplits: 1), o = operation.split(separator: " ", maxSplits: 1)
        guard r.count == 2, o.count == 2, r[0] == o[0] else { return false }
        let rs = r[1].split(separator: "/"), os = o[1].split(separator: "/")
        func isParameter(_ s: Substring) -> Bool { s.hasPrefix("{") && s.hasSuffix("}") }
        return rs.count == os.count && zip(rs, os).allSatisfy { a, b in a == b || isParameter(a) && (isParameter(b) || !b.isEmpty) }
    }

    @Test func routeMatchingTellsParametersFromNames() {
        #expect(Self.route("GET /collections/{collectionId}/items", serves: "GET /collections/grids/items"))
        #expect(Self.route("GET /api/v1/cases/{id}", serves: "GET /api/v1/cases/{id}"))
        #expect(!Self.route("GET /api/v1/cases/{id}", serves: "POST /api/v1/cases/{id}"))
        #expect(!Self.route("GET /api/v1/cases", serves: "GET /api/v1/cases/{id}"))
        #expect(!Self.route("GET /api/v1/me/tasks", serves: "GET /api/v1/me/{x}"))
        #expect(Self.route("GET /", serves: "GET /"))
    }

    @Test func aNewEndpointWithoutARowIsAGap() {
        let documented = Self.table.map(\.operation) + ["GET /api/v1/teleport"]
        #expect(Self.gaps(documented: documented, table: Self.table) == ["no row for GET /api/v1/teleport"])
        #expect(Self.gaps(documented: Array(documented.dropFirst()), table: Self.table).contains("a row for GET /healthz, which GET /api does not list"))
        #expect(Self.gaps(documented: documented, table: Self.table + [("GET /metrics", [200])]).count == 3)
    }

    /// `METHOD path` of every operation in the server's OpenAPI document; with `expandingEnums`,
    /// a path parameter with an enum (`/collections/{collectionId}`) gives one path per value.
    static func operations(_ server: TestServer, expandingEnums: Bool = false) async throws -> [String] {
        let r = try await HTTP.get(server.baseURL, "api")
        try #require(r.status == 200, "\(r)")
        let doc = try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any])
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        return paths.flatMap { path, item in
            item.filter { methods.contains($0.key) }.flatMap { method, operation -> [String] in
                var expanded = [path]
                let parameters = (operation as? [String: Any])?["parameters"] as? [[String: Any]] ?? []
                for p in parameters where expandingEnums && p["in"] as? String == "path" {
                    guard let name = p["name"] as? String, let values = (p["schema"] as? [String: Any])?["enum"] as? [String] else { continue }
                    expanded = expanded.flatMap { e in values.map { e.replacingOccurrences(of: "{\(name)}", with: $0) } }
                }
                return expanded.map { "\(method.uppercased()) \($0)" }
            }
        }.sorted()
    }
}

/// A test-city server with a case dispatched to HW (with a photo), an HW webhook, a user per role
/// and a key per scope, and the way to call any documented operation as any caller.
struct MatrixFixture: Sendable {
    let crew: CaseCrew
    let point: Point2
    let hwCase: CaseView
    let mediaID: Int64
    let webhookID: Int64
    /// A feature id of every collection (for cases: the HW case's number).
    let featureIDs: [String: String]
    let headers: [Caller: [String: String]]

    var server: TestServer { crew.server }

    static func make(_ server: TestServer) async throws -> MatrixFixture {
        let crew = try await CaseCrew.signIn(server)
        let grid = try #require(try GeoJSONFile.areas(Fixtures.testcity.appendingPathComponent("grids.geojson")).first)
        let point = grid.vertexCentroid
        let hwCase = try await crew.handling(CaseCrew.event("06010", at: point, description: "矩阵测试"), department: "HW")
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0])
        let media = try server.store.addMedia(caseID: hwCase.id, step: .report, uploads: [
            MediaUpload(bytes: png, sha256: Credentials.tokenHash("matrix-png"), contentType: "image/png", filename: "a.png"),
        ], by: crew.inspector.account)
        let hook = try server.store.addWebhook(department: "HW", url: "http://127.0.0.1:9/hook", secret: "0123456789abcdef")

        var headers: [Caller: [String: String]] = [
            .anonymous: [:], .admin: crew.admin.headers, .inspector: crew.inspector.headers, .operator_: crew.operator_.headers,
            .shiftLeader: crew.shiftLeader.headers, .dispatcher: crew.dispatcher.headers, .staffHW: crew.hw.headers,
            .staffOther: crew.cgzf.headers,
        ]
        let expired = Credentials.newToken()
        try server.store.createSession(userID: crew.dispatcher.id, tokenHash: Credentials.tokenHash(expired), lifetime: -60)
        headers[.expiredToken] = ["Authorization": "Bearer \(expired)"]
        // Revoked the way a client does it: log in, log out.
        let revoked = try await server.signIn("matrix.revoked", .dispatcher)
        let logout = try await HTTP.send("DELETE", server.baseURL, "api/v1/sessions/current", headers: revoked.headers)
        try #require(logout.status == 204, "\(logout)")
        headers[.revokedToken] = revoked.headers

        func key(_ department: String, _ collections: Set<String>?, _ scope: ApiKey.CasesScope?) throws -> (ApiKey, [String: String]) {
            let secret = Credentials.newApiKey()
            let key = try server.store.addApiKey(tokenHash: Credentials.tokenHash(secret), department: department,
                                                 collections: collections, casesScope: scope, name: nil, expiresAt: nil)
            return (key, ["Authorization": "Bearer \(secret)"])
        }
        let (gone, goneHeaders) = try key("HW", nil, .all)
        try #require(try server.store.revokeApiKey(id: gone.id))
        headers[.revokedKey] = goneHeaders
        headers[.keyNoCases] = try key("HW", ["grids", "buildings"], nil).1
        headers[.keyOwnCases] = try key("HW", ["grids"], .own).1
        headers[.keyOwnOther] = try key("CGZF", nil, .own).1
        headers[.keyAllCases] = try key("SW", nil, .all).1

        var featureIDs: [String: String] = [:]
        for layer in FeatureLayer.all {
            let r = try await HTTP.get(server.baseURL, "collections/\(layer.id)/items", query: [("limit", "1")], headers: crew.admin.headers)
            let page = try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any], "\(r)")
            let first = try #require((page["features"] as? [[String: Any]])?.first, "\(layer.id) has no features")
            let id = try #require(first["id"], "\(layer.id): a feature without id")
            featureIDs[layer.id] = "\(id)"
        }
        #expect(featureIDs["cases"] == hwCase.number)
        return MatrixFixture(crew: crew, point: point, hwCase: hwCase, mediaID: try #require(media.first?.id),
                             webhookID: hook.id, featureIDs: featureIDs, headers: headers)
    }

    /// Calls `operation` ("METHOD /path/{param}") as `caller` with a request that the right caller
    /// would have answered with success.
    func call(_ operation: String, as caller: Caller) async throws -> HTTPResult {
        let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
        let (method, template) = (parts[0], parts[1])
        var callerHeaders = headers[caller] ?? [:]
        var values = ["id": String(hwCase.id), "mediaId": String(mediaID), "code": "HW", "collectionId": "grids", "action": "accept"]
        if template.contains("/webhooks/") { values["id"] = String(webhookID) }
        if template.hasSuffix("/items/{featureId}") {
            values["featureId"] = featureIDs[template.split(separator: "/")[1].description]
        }
        switch operation {
        case "POST /api/v1/cases/{id}/actions/{action}":
            values["id"] = String(try await crew.report(CaseCrew.event("06010", at: point)).id)   // a fresh case to accept
        case "DELETE /api/v1/sessions/current":
            callerHeaders = try freshSession(caller) ?? callerHeaders   // logging out must not end the caller's session
        case "GET /api/v1/events":
            return try await streamStatus(path: fill(template, values), headers: callerHeaders)
        default: break
        }
        let path = fill(template, values)
        let queries = ["/api/v1/locate": [("lon", String(point.x)), ("lat", String(point.y))],
                       "/api/v1/evaluation": [("object", "department"), ("period", "2026-01")],
                       "/api/v1/evaluation/grid-counts": [("period", "2026-01")]]
        let query = queries[template] ?? []
        guard method == "POST" else { return try await HTTP.send(method, server.baseURL, path, query: query, headers: callerHeaders) }
        let (contentType, body) = try body(for: template)
        return try await HTTP.send(method, server.baseURL, path, body: body,
                                   headers: callerHeaders.merging(["Content-Type": contentType]) { $1 })
    }

    private func fill(_ template: String, _ values: [String: String]) -> String {
        var path = template
        for (name, value) in values { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
        return path
    }

    /// A valid body for each POST operation.
    private func body(for template: String) throws -> (String, Data) {
        switch template {
        case "/api/v1/sessions":
            return ("application/json", try JSONSerialization.data(withJSONObject: ["username": crew.inspector.username,
                                                                                   "password": TestPassword.text]))
        case "/api/v1/cases":
            return ("application/json", try APIJSON.encoder.encode(CaseCrew.event("06010", at: point)))
        case "/api/v1/cases/{id}/media":
            let boundary = "matrix-boundary"
            var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            body.append(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]))
            body.append(Data("\r\n--\(boundary)--\r\n".utf8))
            return ("multipart/form-data; boundary=\(boundary)", body)
        case "/api/v1/departments/{code}/webhooks":
            return ("application/json", Data(#"{"url":"http://127.0.0.1:9/other","secret":"0123456789abcdef"}"#.utf8))
        default:
            return ("application/json", Data("{}".utf8))
        }
    }

    /// A new session of the caller's user, when the caller is a signed-in user.
    private func freshSession(_ caller: Caller) throws -> [String: String]? {
        let users: [Caller: Session] = [.admin: crew.admin, .inspector: crew.inspector, .operator_: crew.operator_,
                                        .shiftLeader: crew.shiftLeader, .dispatcher: crew.dispatcher, .staffHW: crew.hw,
                                        .staffOther: crew.cgzf]
        guard let user = users[caller] else { return nil }
        let token = Credentials.newToken()
        try server.store.createSession(userID: user.id, tokenHash: Credentials.tokenHash(token), lifetime: 600)
        return ["Authorization": "Bearer \(token)"]
    }

    /// The status of an event stream, which never ends by itself: read until the head arrives.
    private func streamStatus(path: String, headers: [String: String]) async throws -> HTTPResult {
        let client = EventStreamClient(url: server.baseURL.appendingPathComponent(path), headers: headers)
        defer { client.close() }
        let deadline = Date().addingTimeInterval(10)
        while client.status == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        // Error answers are short: wait for the end to see their body's type.
        if let status = client.status, status >= 400 {
            while !client.isEnded, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        }
        let status = try #require(client.status, "no answer from \(path)")
        return HTTPResult(status: status, headers: ["content-type": client.header("content-type") ?? ""], body: Data())
    }
}
