// Shared helpers of the server tests: fixture paths, a city database in a temporary directory served by
// the real application on 127.0.0.1 (a free port), a plain URLSession client over loopback, GeoJSON
// polygons with a ray-casting containment scan, and a seeded random generator. For the case tests:
// signed-in users, the case API, a Server-Sent Events client, the sample city's files read
// independently (rules, calendar worked by hand, components, addresses), and per-test copies of a
// Helsinki database made once per process.

import Foundation
@_exported import UrbanGridTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
import Metrics
import Prometheus
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

// MARK: - Paths

enum Fixtures {
    /// `gis-data/` of this repository, found from this file's path (Tests/UrbanGridServerTests/…).
    static let gisData = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("gis-data")
    static let catalog = gisData.appendingPathComponent("catalog")
    static let testcity = gisData.appendingPathComponent("testcity")
    static let helsinki = gisData.appendingPathComponent("helsinki")

    /// `[minLon, minLat, maxLon, maxLat]` from a city's city.json, read here rather than through the profile.
    static func extent(_ city: URL) throws -> [Double] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: city.appendingPathComponent("city.json")))
        guard let extent = (json as? [String: Any])?["extent"] as? [Double], extent.count == 4 else {
            throw TestFailure("\(city.lastPathComponent)/city.json has no extent")
        }
        return extent
    }

    /// Data rows of a CSV file without quoted line breaks (the catalogue and departments files).
    static func csvRowCount(_ url: URL) throws -> Int {
        try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).count - 1
    }
}


// MARK: - Metrics

enum TestMetrics {
    /// The process's one Prometheus registry, behind swift-metrics (bootstrapped once, on first use),
    /// so Hummingbird's MetricsMiddleware records into what /metrics serves.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

// MARK: - Servers

struct TestServer: Sendable {
    let baseURL: URL
    let store: CityStore
}

/// Creates a database from a gis-data city folder in a fresh temporary directory, serves it on
/// 127.0.0.1 (a free port) while `body` runs, then stops the server and removes the directory.
/// `configuration` and `logger` as in `withRunningServer(store:configuration:logger:_:)`.
func withServer<T: Sendable>(city: URL, configuration: ServerConfiguration = ServerConfiguration(), logger: Logger? = nil,
                             _ body: (TestServer) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("urbangrid-server-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try CityStore.create(path: dir.appendingPathComponent("city.sqlite").path, cityDirectory: city,
                                     catalogDirectory: Fixtures.catalog, logger: quietLogger)
    return try await withRunningServer(store: store, configuration: configuration, logger: logger) { url in
        try await body(TestServer(baseURL: url, store: store))
    }
}

private var quietLogger: Logger { logger(level: .error) }

/// The server's logger. Stopping a server by cancelling its task makes HummingbirdCore log two errors
/// ("Waiting on child channel: CancellationError", "Server shutdown error") although nothing is wrong,
/// so only critical messages are shown; failures surface as response statuses in the tests.
private var serverLogger: Logger { logger(level: .critical) }

private func logger(level: Logger.Level) -> Logger {
    var logger = Logger(label: "urbangrid.test")
    logger.logLevel = level
    return logger
}

/// Runs the real application over `store` until `body` is done. The server runs in a child task and
/// stops (gracefully) when that task is cancelled.
func withRunningServer<T: Sendable>(store: CityStore, _ body: (URL) async throws -> T) async throws -> T {
    try await withRunningServer(store: store, configuration: ServerConfiguration(), body)
}

// MARK: - HTTP over loopback

struct HTTPResult: Sendable, CustomStringConvertible {
    var status: Int
    /// Header names lower-cased.
    var headers: [String: String]
    var body: Data

    func header(_ name: String) -> String? { headers[name.lowercased()] }
    var text: String { String(decoding: body, as: UTF8.self) }
    var description: String { "HTTP \(status) \(header("content-type") ?? "-"): \(text.prefix(500))" }

    func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T { try JSONDecoder().decode(T.self, from: body) }

    /// The RFC 9457 body of an error response, checking its media type.
    func problem(sourceLocation: SourceLocation = #_sourceLocation) throws -> Problem {
        #expect(header("content-type") == "application/problem+json", "\(self)", sourceLocation: sourceLocation)
        let problem = try decode(Problem.self)
        #expect(problem.status == status, sourceLocation: sourceLocation)
        return problem
    }
}

enum HTTP {
    static func get(_ base: URL, _ path: String, query: [(String, String)] = [],
                    headers: [String: String] = [:]) async throws -> HTTPResult {
        try await send(try request(base, path, query: query, method: "GET", headers: headers))
    }

    static func post(_ base: URL, _ path: String, body: Data, headers: [String: String] = [:]) async throws -> HTTPResult {
        var request = try request(base, path, query: [], method: "POST",
                                  headers: ["Content-Type": "application/json"].merging(headers) { $1 })
        request.httpBody = body
        return try await send(request)
    }

    static func postJSON(_ base: URL, _ path: String, _ object: [String: String],
                         headers: [String: String] = [:]) async throws -> HTTPResult {
        try await post(base, path, body: try JSONSerialization.data(withJSONObject: object), headers: headers)
    }

    private static func request(_ base: URL, _ path: String, query: [(String, String)], method: String,
                                headers: [String: String]) throws -> URLRequest {
        guard var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false) else {
            throw TestFailure("bad path \(path)")
        }
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components.url else { throw TestFailure("bad query \(query)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return request
    }

    private static func send(_ request: URLRequest) async throws -> HTTPResult {
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestFailure("not an HTTP response") }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let k = key as? String, let v = value as? String { headers[k.lowercased()] = v }
        }
        return HTTPResult(status: http.statusCode, headers: headers, body: data)
    }
}

// MARK: - Cases: signed-in users and the case API over loopback

/// One password for every test user, hashed once (bcrypt is slow on purpose).
enum TestPassword {
    static let text = "correct horse battery staple"
    static let hash = Credentials.hashPassword(text)
}

/// A user of a test server with the bearer token of a login through `POST /api/v1/sessions`.
struct Session: Sendable, CustomStringConvertible {
    let account: UserAccount
    let token: String
    var id: Int64 { account.id }
    var username: String { account.username }
    var role: Role { account.role }
    var headers: [String: String] { ["Authorization": "Bearer \(token)"] }
    var description: String { "\(account.username) (\(account.role.rawValue))" }
}

/// Dates as the server writes them (RFC 3339, whole seconds).
enum APIJSON {
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()
    static let encoder = JSONEncoder()
}

extension HTTPResult {
    /// The body as JSON with RFC 3339 dates.
    func json<T: Decodable>(_ type: T.Type = T.self) throws -> T { try APIJSON.decoder.decode(T.self, from: body) }
}

extension TestServer {
    /// Adds a user to the store and logs in over HTTP.
    func signIn(_ username: String, _ role: Role, department: String? = nil) async throws -> Session {
        let account = try store.addUser(username: username, role: role, department: department, passwordHash: TestPassword.hash)
        let response = try await HTTP.postJSON(baseURL, "api/v1/sessions", ["username": username, "password": TestPassword.text])
        guard response.status == 201,
              let token = (try JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["token"] as? String else {
            throw TestFailure("login of \(username) failed: \(response)")
        }
        return Session(account: account, token: token)
    }

    /// `POST path` with a JSON-encoded body, as `user` (anonymous when nil).
    func post<T: Encodable>(_ path: String, _ body: T, as user: Session?, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await HTTP.post(baseURL, path, body: try APIJSON.encoder.encode(body),
                            headers: (user?.headers ?? [:]).merging(headers) { $1 })
    }

    /// `GET path` as `user` (anonymous when nil).
    func get(_ path: String, query: [(String, String)] = [], as user: Session?, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await HTTP.get(baseURL, path, query: query, headers: (user?.headers ?? [:]).merging(headers) { $1 })
    }

    /// `POST /api/v1/cases`, with an `Idempotency-Key` when given.
    func report(_ intake: CaseIntake, as user: Session?, key: String? = nil) async throws -> HTTPResult {
        try await post("api/v1/cases", intake, as: user, headers: key.map { ["Idempotency-Key": $0] } ?? [:])
    }

    /// `POST /api/v1/cases/{id}/actions/{action}`.
    func act(_ id: Int64, _ action: CaseAction, _ input: ActionInput = ActionInput(), as user: Session?) async throws -> HTTPResult {
        try await post("api/v1/cases/\(id)/actions/\(action.rawValue)", input, as: user)
    }

    /// `GET /api/v1/cases/{id}`.
    func fetchCase(_ id: Int64, as user: Session?) async throws -> HTTPResult {
        try await get("api/v1/cases/\(id)", as: user)
    }
}

// MARK: - Server-Sent Events over URLSession

/// A `text/event-stream` read incrementally through a URLSession data task delegate: the bytes are
/// split into events (blank-line separated) as they arrive; comments (`: …`) are kept apart.
final class EventStreamClient: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Event: Sendable, Equatable {
        var id: String?
        var event: String?
        var data: String
    }

    private let lock = NSLock()
    private var buffer = Data()
    private var received: [Event] = []
    private var receivedComments: [String] = []
    private var responseStatus: Int?
    private var responseHeaders: [String: String] = [:]
    private var ended = false
    private var session: URLSession?
    private var task: URLSessionDataTask?

    /// Starts `GET url` with `headers` at once.
    init(url: URL, headers: [String: String]) {
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 120
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        var request = URLRequest(url: url)
        request.setValue("text/event-stream", forHTTPHeaderField: "Accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let task = session.dataTask(with: request)
        lock.withLock { self.session = session; self.task = task }
        task.resume()
    }

    var events: [Event] { lock.withLock { received } }
    var comments: [String] { lock.withLock { receivedComments } }
    var status: Int? { lock.withLock { responseStatus } }
    var isEnded: Bool { lock.withLock { ended } }
    func header(_ name: String) -> String? { lock.withLock { responseHeaders[name.lowercased()] } }

    /// Disconnects.
    func close() {
        let (task, session) = lock.withLock { (self.task, self.session) }
        task?.cancel()
        session?.invalidateAndCancel()
    }

    /// Polls until `condition` holds over what has arrived, or fails after `timeout` seconds.
    @discardableResult
    func wait(timeout: Double = 30, for what: String,
              until condition: @Sendable (_ events: [Event], _ comments: [String]) -> Bool) async throws -> [Event] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let (events, comments, ended) = lock.withLock { (received, receivedComments, self.ended) }
            if condition(events, comments) { return events }
            if ended { throw TestFailure("the event stream ended while waiting for \(what); got \(events.count) events") }
            if Date() > deadline { throw TestFailure("no \(what) within \(timeout) s; got \(events.map { $0.id ?? "-" })") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse {
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                if let k = key as? String, let v = value as? String { headers[k.lowercased()] = v }
            }
            lock.withLock { responseStatus = http.statusCode; responseHeaders = headers }
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock {
            buffer.append(data)
            let separator = Data("\n\n".utf8)
            while let range = buffer.range(of: separator) {
                let block = String(decoding: buffer[buffer.startIndex..<range.lowerBound], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex..<range.upperBound)
                parse(block)
            }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.withLock { ended = true }
    }

    /// One event block (lock held): `field: value` lines; `data` lines joined with newlines.
    private func parse(_ block: String) {
        var event = Event(id: nil, event: nil, data: "")
        var dataLines: [String] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") {
                receivedComments.append(line.dropFirst().trimmingCharacters(in: .whitespaces))
                continue
            }
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let field = String(parts[0])
            var value = parts.count > 1 ? String(parts[1]) : ""
            if value.hasPrefix(" ") { value.removeFirst() }
            switch field {
            case "id": event.id = value
            case "event": event.event = value
            case "data": dataLines.append(value)
            default: break   // retry, unknown fields
            }
        }
        guard event.id != nil || !dataLines.isEmpty else { return }
        event.data = dataLines.joined(separator: "\n")
        received.append(event)
    }
}

// MARK: - Cases: the sample city's files read independently of the server

/// gis-data/helsinki as the case tests need it, read with JSONSerialization (not the store's
/// importers), so expectations come from the files and not from the code under test.
struct HelsinkiCity: Sendable {
    struct ComponentPoint: Sendable {
        var id: String, typeCode: String
        var maintainer: String?, owner: String?, competent: String?
        var point: Point2
    }

    /// One dispatch rule as written in dispatch-rules.json.
    struct Rule: Sendable {
        var id: String, kind: String, code: String, department: String
        var streets: [String]?, communities: [String]?, grids: [String]?
        var urgent: Bool?
        var limit: Limit
    }

    /// `{"working_hours": h}` or `{"working_days": d}`.
    struct Limit: Sendable, Equatable {
        var hours: Double?, days: Double?
        /// How the API labels it: "4 工作时", "0.5 工作时", "3 工作日".
        var label: String {
            func text(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
            if let hours { return "\(text(hours)) 工作时" }
            return "\(text(days ?? 0)) 工作日"
        }
        /// In working seconds on `calendar` (a working day is the sum of the day's periods).
        func seconds(_ calendar: HandCalendar) -> Double {
            if let hours { return hours * 3600 }
            return (days ?? 0) * calendar.workDaySeconds
        }
    }

    let grids: [AreaFeature]
    /// Community code → properties (name_zh, name_en, street_code).
    let communities: [String: [String: String]]
    /// Street code → properties (name_zh, name_en).
    let streets: [String: [String: String]]
    let components: [ComponentPoint]
    /// Door plates: "street housenumber" and where.
    let addresses: [(text: String, point: Point2)]
    /// Named roads and their lines.
    let roads: [(name: String, paths: [[Point2]])]
    let rules: [Rule]
    /// node_limits by their JSON key (acceptance, verification, registration, dispatch, handling, check_dispatch, check, closing).
    let nodeLimits: [String: Limit]
    let calendar: HandCalendar
    let departments: [String]

    private static let loaded = Result { try HelsinkiCity(directory: Fixtures.helsinki) }
    static func shared() throws -> HelsinkiCity { try loaded.get() }

    init(directory: URL) throws {
        func object(_ name: String) throws -> [String: Any] {
            guard let o = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(name))) as? [String: Any] else {
                throw TestFailure("\(name) is not a JSON object")
            }
            return o
        }
        func strings(_ any: Any?) -> [String: String] {
            var out: [String: String] = [:]
            for (k, v) in any as? [String: Any] ?? [:] {
                if let s = v as? String { out[k] = s } else if let n = v as? NSNumber { out[k] = n.stringValue }
            }
            return out
        }
        func features(_ name: String) throws -> [[String: Any]] {
            guard let f = try object(name)["features"] as? [[String: Any]] else { throw TestFailure("\(name): no features") }
            return f
        }
        func limit(_ any: Any?) throws -> Limit {
            let o = any as? [String: Any] ?? [:]
            let l = Limit(hours: (o["working_hours"] as? NSNumber)?.doubleValue, days: (o["working_days"] as? NSNumber)?.doubleValue)
            guard (l.hours == nil) != (l.days == nil) else { throw TestFailure("bad limit \(o)") }
            return l
        }

        grids = try GeoJSONFile.areas(directory.appendingPathComponent("grids.geojson"))
        var communities: [String: [String: String]] = [:]
        for f in try features("communities.geojson") {
            let p = strings(f["properties"])
            if let code = p["code"] { communities[code] = p }
        }
        self.communities = communities
        var streets: [String: [String: String]] = [:]
        for f in try features("streets.geojson") {
            let p = strings(f["properties"])
            if let code = p["code"] { streets[code] = p }
        }
        self.streets = streets
        components = try features("components.geojson").map { f in
            let p = strings(f["properties"])
            guard let id = p["id"], let type = p["type_code"],
                  let c = (f["geometry"] as? [String: Any])?["coordinates"] as? [NSNumber], c.count >= 2 else {
                throw TestFailure("bad component \(p)")
            }
            return ComponentPoint(id: id, typeCode: type, maintainer: p["maintainer_dept"], owner: p["owner_dept"],
                                  competent: p["competent_dept"], point: Point2(c[0].doubleValue, c[1].doubleValue))
        }
        addresses = try features("addresses.geojson").map { f in
            let p = strings(f["properties"])
            guard let street = p["street"], let number = p["housenumber"],
                  let c = (f["geometry"] as? [String: Any])?["coordinates"] as? [NSNumber], c.count >= 2 else {
                throw TestFailure("bad address \(p)")
            }
            return ("\(street) \(number)", Point2(c[0].doubleValue, c[1].doubleValue))
        }
        roads = try features("roads.geojson").compactMap { f in
            guard let name = strings(f["properties"])["name"] else { return nil }
            let geometry = f["geometry"] as? [String: Any]
            let raw = geometry?["type"] as? String == "LineString" ? [geometry?["coordinates"]] : geometry?["coordinates"] as? [Any] ?? []
            let paths = raw.map { line in ((line as? [[NSNumber]]) ?? []).map { Point2($0[0].doubleValue, $0[1].doubleValue) } }
            return (name, paths)
        }
        let ruleFile = try object("dispatch-rules.json")
        rules = try (ruleFile["rules"] as? [[String: Any]] ?? []).map { r in
            guard let id = r["id"] as? String, let kind = r["kind"] as? String, let code = r["code"] as? String,
                  let department = r["department"] as? String else { throw TestFailure("bad rule \(r)") }
            return Rule(id: id, kind: kind, code: code, department: department, streets: r["streets"] as? [String],
                        communities: r["communities"] as? [String], grids: r["grids"] as? [String],
                        urgent: r["urgent"] as? Bool, limit: try limit(r["limit"]))
        }
        var nodeLimits: [String: Limit] = [:]
        for (key, value) in ruleFile["node_limits"] as? [String: Any] ?? [:] { nodeLimits[key] = try limit(value) }
        self.nodeLimits = nodeLimits
        calendar = try HandCalendar(object("calendar.json"))
        departments = try String(contentsOf: directory.appendingPathComponent("departments.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).dropFirst().map { String($0.split(separator: ",")[0]) }
    }

    func rule(_ id: String) throws -> Rule {
        guard let r = rules.first(where: { $0.id == id }) else { throw TestFailure("no rule \(id) in dispatch-rules.json") }
        return r
    }

    func nodeLimit(_ key: String) throws -> Limit {
        guard let l = nodeLimits[key] else { throw TestFailure("no node_limits.\(key) in dispatch-rules.json") }
        return l
    }

    /// The one grid whose interior holds `p` by ray casting; nil when none does, several do, or `p`
    /// lies within ~1 m of an edge (where rounding, not the code, decides).
    func grid(containing p: Point2) -> AreaFeature? {
        let margin = 1e-5
        let near = grids.filter { $0.boxContains(p, margin: margin) }
        if near.contains(where: { $0.boundaryDistance(p) < margin }) { return nil }
        let hits = near.filter { $0.contains(p) }
        return hits.count == 1 ? hits[0] : nil
    }

    /// Points well inside distinct grids (each grid's vertex centroid, when its own grid holds it
    /// clear of the edges), in file order, with their grid, filtered by `accept`.
    func interiorPoints(where accept: (AreaFeature) -> Bool = { _ in true }) -> [(point: Point2, grid: AreaFeature)] {
        grids.compactMap { g in
            guard accept(g) else { return nil }
            let c = g.vertexCentroid
            guard let hit = grid(containing: c), hit["code"] == g["code"], g.boundaryDistance(c) > 1e-4 else { return nil }
            return (c, g)
        }
    }

    /// Distance in metres on the GRS80/WGS84 ellipsoid, by the local (tangent-plane) approximation:
    /// good to ~0.1 % over the few hundred metres the tests measure.
    static func metres(_ a: Point2, _ b: Point2) -> Double {
        let (mLat, mLon) = metresPerDegree(at: (a.y + b.y) / 2)
        let dx = (b.x - a.x) * mLon, dy = (b.y - a.y) * mLat
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Distance in metres from `p` to the nearest point of `paths` (the same local approximation).
    static func metres(_ p: Point2, toPaths paths: [[Point2]]) -> Double {
        let (mLat, mLon) = metresPerDegree(at: p.y)
        func local(_ q: Point2) -> Point2 { Point2((q.x - p.x) * mLon, (q.y - p.y) * mLat) }
        return paths.flatMap { path in zip(path, path.dropFirst()).map { segmentDistance(Point2(0, 0), local($0), local($1)) } }
            .min() ?? .infinity
    }

    /// `p` moved `north` and `east` metres.
    static func offset(_ p: Point2, north: Double, east: Double) -> Point2 {
        let (mLat, mLon) = metresPerDegree(at: p.y)
        return Point2(p.x + east / mLon, p.y + north / mLat)
    }

    /// Metres per degree of latitude and of longitude at latitude `lat` (series for the ellipsoid).
    static func metresPerDegree(at lat: Double) -> (lat: Double, lon: Double) {
        let φ = lat * .pi / 180
        return (111_132.954 - 559.822 * cos(2 * φ) + 1.175 * cos(4 * φ),
                111_412.84 * cos(φ) - 93.5 * cos(3 * φ) + 0.118 * cos(5 * φ))
    }
}

/// calendar.json worked out by hand: a straightforward day-by-day walk over the work periods, to
/// check the deadlines the server computes with its own calendar code.
struct HandCalendar: Sendable {
    let timeZone: TimeZone
    /// Minutes after midnight.
    let periods: [(start: Int, end: Int)]
    /// ISO weekdays, Monday = 1.
    let weekdays: Set<Int>
    let holidays: Set<String>
    let workdays: Set<String>

    init(_ json: [String: Any]) throws {
        guard let zone = (json["time_zone"] as? String).flatMap(TimeZone.init(identifier:)),
              let raw = json["periods"] as? [[String]], let weekdays = json["weekdays"] as? [Int] else {
            throw TestFailure("calendar.json lacks time_zone, periods or weekdays")
        }
        func minutes(_ s: String) throws -> Int {
            let p = s.split(separator: ":").compactMap { Int($0) }
            guard p.count == 2 else { throw TestFailure("bad time \(s)") }
            return p[0] * 60 + p[1]
        }
        timeZone = zone
        periods = try raw.map { (try minutes($0[0]), try minutes($0[1])) }
        self.weekdays = Set(weekdays)
        holidays = Set(json["holidays"] as? [String] ?? [])
        workdays = Set(json["workdays"] as? [String] ?? [])
    }

    var workDaySeconds: Double { Double(periods.reduce(0) { $0 + $1.end - $1.start } * 60) }

    private var gregorian: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }

    /// "YYYYMMDD" of the local date of `date`.
    func compactDay(_ date: Date) -> String {
        let c = gregorian.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
    }

    /// The working periods of the local day starting at `dayStart`, as instants.
    private func periods(ofDayStarting dayStart: Date) -> [(Date, Date)] {
        let cal = gregorian
        let c = cal.dateComponents([.year, .month, .day, .weekday], from: dayStart)
        let text = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        let iso = (c.weekday! + 5) % 7 + 1   // Foundation: Sunday = 1
        guard workdays.contains(text) || (weekdays.contains(iso) && !holidays.contains(text)) else { return [] }
        return periods.map { p in
            (cal.date(from: DateComponents(year: c.year, month: c.month, day: c.day, hour: p.start / 60, minute: p.start % 60))!,
             cal.date(from: DateComponents(year: c.year, month: c.month, day: c.day, hour: p.end / 60, minute: p.end % 60))!)
        }
    }

    /// The instant at which `seconds` of working time have passed since `start`.
    func adding(_ seconds: Double, to start: Date) -> Date {
        var remaining = seconds
        var day = gregorian.startOfDay(for: start)
        for _ in 0..<800 {
            for (s, e) in periods(ofDayStarting: day) where e > start {
                let from = max(s, start)
                let available = e.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
            }
            day = gregorian.date(byAdding: .day, value: 1, to: day)!
        }
        return .distantFuture
    }

    /// Whether `date` falls inside a work period.
    func isWorkingTime(_ date: Date) -> Bool {
        periods(ofDayStarting: gregorian.startOfDay(for: date)).contains { $0.0 <= date && date < $0.1 }
    }

    /// The deadline of a step started at `start` (known to the second, as the API shows it) with a limit of
    /// `seconds` working seconds: the range the server's exact value may fall in, widened by the second
    /// the API drops.
    func deadlineRange(start: Date, seconds: Double) -> ClosedRange<Date> {
        adding(seconds, to: start).addingTimeInterval(-1)...adding(seconds, to: start.addingTimeInterval(1)).addingTimeInterval(1)
    }
}

// MARK: - Cases: a crew of signed-in users on a fresh Helsinki server

/// One user of each role (two inspectors), staff of HW (环境卫生) and CGZF (执法局), signed in over HTTP.
struct CaseCrew: Sendable {
    let server: TestServer
    let city: HelsinkiCity
    let inspector: Session, inspector2: Session, operator_: Session, shiftLeader: Session, dispatcher: Session
    let hw: Session, cgzf: Session, admin: Session

    /// The inspector logs in over HTTP; the others get their sessions from the store directly, as the
    /// login route makes them, because a bcrypt verification per user per test adds up.
    static func signIn(_ server: TestServer) async throws -> CaseCrew {
        func session(_ username: String, _ role: Role, department: String? = nil) throws -> Session {
            let account = try server.store.addUser(username: username, role: role, department: department,
                                                   passwordHash: TestPassword.hash)
            let token = Credentials.newToken()
            try server.store.createSession(userID: account.id, tokenHash: Credentials.tokenHash(token), lifetime: 3600)
            return Session(account: account, token: token)
        }
        return CaseCrew(server: server, city: try HelsinkiCity.shared(),
                        inspector: try await server.signIn("inspector.li", .inspector),
                        inspector2: try session("inspector.zhou", .inspector), operator_: try session("operator.wang", .operator_),
                        shiftLeader: try session("leader.chen", .shiftLeader), dispatcher: try session("dispatcher.zhao", .dispatcher),
                        hw: try session("hw.liu", .departmentStaff, department: "HW"),
                        cgzf: try session("cgzf.sun", .departmentStaff, department: "CGZF"),
                        admin: try session("admin.root", .admin))
    }

    /// An event report at `point` (WGS84).
    static func event(_ code: String, at point: Point2, description: String? = nil, urgent: Bool? = nil,
                      source: CaseSource? = nil, reporter: CaseIntake.Reporter? = nil,
                      selfHandled: Bool? = nil) -> CaseIntake {
        CaseIntake(kind: .event, code: code, location: .init(lon: point.x, lat: point.y, crs: .wgs84),
                   description: description, urgent: urgent, source: source, reporter: reporter, selfHandled: selfHandled)
    }

    /// Reports and expects 201 with the case exactly as reading it back shows it (the answer is
    /// built from the values written, not read back; only the step's running clock may move on).
    func report(_ intake: CaseIntake, as user: Session? = nil, key: String? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> CaseView {
        let r = try await server.report(intake, as: user ?? inspector, key: key)
        try #require(r.status == 201, "\(r)", sourceLocation: sourceLocation)
        let answered = try r.json(CaseView.self)
        var readBack = try await view(answered.id, as: user ?? inspector, sourceLocation: sourceLocation)
        if let a = answered.step, let b = readBack.step {
            #expect(abs(a.elapsedSeconds - b.elapsedSeconds) < 60, sourceLocation: sourceLocation)
            readBack.step?.elapsedSeconds = a.elapsedSeconds
            readBack.step?.remainingSeconds = a.remainingSeconds
            readBack.step?.light = a.light
        }
        #expect(answered == readBack, "the 201 answer differs from the case read back", sourceLocation: sourceLocation)
        return answered
    }

    /// Takes an action and expects 200 with the case in `status`.
    @discardableResult
    func act(_ id: Int64, _ action: CaseAction, _ input: ActionInput = ActionInput(), as user: Session,
             expect status: CaseStatus, sourceLocation: SourceLocation = #_sourceLocation) async throws -> CaseView {
        let r = try await server.act(id, action, input, as: user)
        try #require(r.status == 200, "\(action.rawValue) by \(user): \(r)", sourceLocation: sourceLocation)
        let view = try r.json(CaseView.self)
        #expect(view.status == status, "\(action.rawValue) by \(user)", sourceLocation: sourceLocation)
        return view
    }

    /// GET /api/v1/cases/{id}, expecting 200.
    func view(_ id: Int64, as user: Session? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> CaseView {
        let r = try await server.fetchCase(id, as: user ?? operator_)
        try #require(r.status == 200, "\(r)", sourceLocation: sourceLocation)
        return try r.json(CaseView.self)
    }

    /// An inspector's report taken through 受理, 立案, 派遣 (to `department`, or the suggestion) and 签收.
    func handling(_ intake: CaseIntake, department: String? = nil, staff: Session? = nil,
                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> CaseView {
        let c = try await report(intake, sourceLocation: sourceLocation)
        try await act(c.id, .accept, as: operator_, expect: .awaitingRegistration, sourceLocation: sourceLocation)
        try await act(c.id, .register, as: shiftLeader, expect: .awaitingDispatch, sourceLocation: sourceLocation)
        try await act(c.id, .dispatch, ActionInput(department: department), as: dispatcher, expect: .dispatched,
                      sourceLocation: sourceLocation)
        return try await act(c.id, .sign, as: staff ?? hw, expect: .handling, sourceLocation: sourceLocation)
    }
}

/// A fresh Helsinki database and server with a signed-in crew, for one test.
func withCaseServer<T: Sendable>(_ body: (CaseCrew) async throws -> T) async throws -> T {
    try await withServerOnCopy(of: try await CityTemplate.helsinki.value) { server in
        try await body(try await CaseCrew.signIn(server))
    }
}

/// City databases made once per test process and copied for each test that needs a fresh one:
/// creating one takes seconds of CPU, copying it milliseconds.
enum CityTemplate {
    static let helsinki = Task { try make(Fixtures.helsinki) }

    /// Creates the database in a directory named after this process, removing those of processes
    /// that are gone; the store is closed (and its WAL checkpointed) before the path is returned.
    private static func make(_ city: URL) throws -> URL {
        let temp = FileManager.default.temporaryDirectory
        let prefix = "urbangrid-template-\(city.lastPathComponent)-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temp.path)) ?? [] where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: temp.appendingPathComponent(name))
            }
        }
        let dir = temp.appendingPathComponent(prefix + String(getpid()))
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("city.sqlite")
        do {
            _ = try CityStore.create(path: path.path, cityDirectory: city, catalogDirectory: Fixtures.catalog,
                                     logger: Logger(label: "urbangrid.test.template"))
        }
        return path
    }
}

/// Expects an RFC 9457 problem+json answer with `status`, naming `field` and of `kind`
/// (`urn:urbangrid:problem:<kind>`) when those are given.
func expectProblem(_ r: HTTPResult, _ status: Int, field: String? = nil, kind: String? = nil, _ comment: String = "",
                   sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == status, "\(comment) \(r)", sourceLocation: sourceLocation)
    #expect(r.header("content-type") == "application/problem+json", "\(comment) \(r)", sourceLocation: sourceLocation)
    guard let problem = try? r.decode(Problem.self) else {
        Issue.record("not a problem: \(comment) \(r)", sourceLocation: sourceLocation)
        return
    }
    #expect(problem.status == status, sourceLocation: sourceLocation)
    if let field { #expect(problem.field == field, "\(comment) \(r)", sourceLocation: sourceLocation) }
    if let kind { #expect(problem.type == "urn:urbangrid:problem:\(kind)", "\(comment) \(r)", sourceLocation: sourceLocation) }
    #expect(!problem.detailZh.isEmpty, sourceLocation: sourceLocation)
}

// MARK: - Servers with a custom configuration

/// As `withRunningServer(store:_:)`, with `configuration` (for limits such as `maxPhotoBytes`) and
/// `logger` (default: critical messages only); its host and port are replaced by 127.0.0.1 and a
/// free port.
func withRunningServer<T: Sendable>(store: CityStore, configuration: ServerConfiguration, logger: Logger? = nil,
                                    _ body: (URL) async throws -> T) async throws -> T {
    var configuration = configuration
    configuration.host = "127.0.0.1"
    configuration.port = 0
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = buildApplication(store: store, configuration: configuration, logger: logger ?? serverLogger, metrics: TestMetrics.registry,
                               onServerRunning: { port in portContinuation.yield(port); portContinuation.finish() })
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { portContinuation.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), let url = URL(string: "http://127.0.0.1:\(port)") else {
            _ = try await group.next()   // the server's own error, if it threw one
            throw TestFailure("the server stopped before it was listening")
        }
        defer { group.cancelAll() }
        return try await body(url)
    }
}

/// Copies the database at `template` into a fresh temporary directory, serves the copy on 127.0.0.1
/// with `configuration` while `body` runs, then stops the server and removes the directory.
func withServerOnCopy<T: Sendable>(of template: URL, configuration: ServerConfiguration = ServerConfiguration(),
                                   _ body: (TestServer) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("urbangrid-server-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("city.sqlite")
    for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: template.path + suffix) {
        try FileManager.default.copyItem(atPath: template.path + suffix, toPath: path.path + suffix)
    }
    let store = try CityStore.open(path: path.path)
    return try await withRunningServer(store: store, configuration: configuration) { url in
        try await body(TestServer(baseURL: url, store: store))
    }
}

/// As `withCaseServer(_:)`, serving with `configuration`.
func withCaseServer<T: Sendable>(configuration: ServerConfiguration, _ body: (CaseCrew) async throws -> T) async throws -> T {
    try await withServerOnCopy(of: try await CityTemplate.helsinki.value, configuration: configuration) { server in
        try await body(try await CaseCrew.signIn(server))
    }
}

extension HTTP {
    /// Any method on `path` (which may start with `/`), with an optional raw body.
    static func send(_ method: String, _ base: URL, _ path: String, query: [(String, String)] = [], body: Data? = nil,
                     headers: [String: String] = [:]) async throws -> HTTPResult {
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        var request = try request(base, trimmed, query: query, method: method, headers: headers)
        request.httpBody = body
        return try await send(request)
    }

    /// `POST path?query` with a raw `body`; its Content-Type goes in `headers`.
    static func post(_ base: URL, _ path: String, query: [(String, String)], body: Data,
                     headers: [String: String]) async throws -> HTTPResult {
        var request = try request(base, path, query: query, method: "POST", headers: headers)
        request.httpBody = body
        return try await send(request)
    }
}
