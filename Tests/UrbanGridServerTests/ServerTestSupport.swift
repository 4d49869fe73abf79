// Shared helpers of the server tests: fixture paths, a city database in a temporary directory served by
// the real application on 127.0.0.1 (a free port), a plain URLSession client over loopback, GeoJSON
// polygons with a ray-casting containment scan, and a seeded random generator.

import Foundation
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

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
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
func withServer<T: Sendable>(city: URL, _ body: (TestServer) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("urbangrid-server-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try CityStore.create(path: dir.appendingPathComponent("city.sqlite").path, cityDirectory: city,
                                     catalogDirectory: Fixtures.catalog, logger: quietLogger)
    return try await withRunningServer(store: store) { url in try await body(TestServer(baseURL: url, store: store)) }
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
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = buildApplication(store: store, configuration: ServerConfiguration(host: "127.0.0.1", port: 0),
                               logger: serverLogger, metrics: TestMetrics.registry,
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

// MARK: - GeoJSON polygons and ray casting (independent of SpatiaLite)

struct Point2: Sendable, Hashable, CustomStringConvertible {
    var x: Double, y: Double
    init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    var description: String { "(\(x), \(y))" }
}

/// One polygon feature: attributes as text and its parts (each part: outer ring, then holes).
struct AreaFeature: Sendable {
    var properties: [String: String]
    var parts: [[[Point2]]]
    var minX: Double, minY: Double, maxX: Double, maxY: Double

    init(properties: [String: String], parts: [[[Point2]]]) {
        self.properties = properties; self.parts = parts
        let all = parts.flatMap { $0.flatMap { $0 } }
        minX = all.map(\.x).min() ?? .nan; maxX = all.map(\.x).max() ?? .nan
        minY = all.map(\.y).min() ?? .nan; maxY = all.map(\.y).max() ?? .nan
    }

    subscript(_ key: String) -> String? { properties[key] }

    func boxContains(_ p: Point2, margin: Double = 0) -> Bool {
        p.x >= minX - margin && p.x <= maxX + margin && p.y >= minY - margin && p.y <= maxY + margin
    }

    /// Even-odd ray casting per part (a point in a hole is outside); true when any part holds it.
    func contains(_ p: Point2) -> Bool {
        guard boxContains(p) else { return false }
        return parts.contains { rings in
            var inside = false
            for ring in rings {
                var j = ring.count - 1
                for i in ring.indices {
                    let a = ring[i], b = ring[j]
                    if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                        inside.toggle()
                    }
                    j = i
                }
            }
            return inside
        }
    }

    /// Planar distance (degrees) from `p` to the nearest edge of any ring.
    func boundaryDistance(_ p: Point2) -> Double {
        var best = Double.infinity
        for ring in parts.joined() where ring.count > 1 {
            for i in 1..<ring.count {
                let a = ring[i - 1], b = ring[i]
                let dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy
                let t = len2 == 0 ? 0 : max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2))
                let qx = a.x + t * dx - p.x, qy = a.y + t * dy - p.y
                best = min(best, (qx * qx + qy * qy).squareRoot())
            }
        }
        return best
    }

    /// The mean of the first outer ring's distinct vertices: the centre of a square cell.
    var vertexCentroid: Point2 {
        guard var ring = parts.first?.first else { return Point2(.nan, .nan) }
        if ring.count > 1, ring.first == ring.last { ring.removeLast() }
        return Point2(ring.map(\.x).reduce(0, +) / Double(ring.count), ring.map(\.y).reduce(0, +) / Double(ring.count))
    }
}

enum GeoJSONFile {
    /// The polygon features of a FeatureCollection, parsed with JSONSerialization.
    static func areas(_ url: URL) throws -> [AreaFeature] {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        guard let features = root?["features"] as? [[String: Any]] else {
            throw TestFailure("\(url.lastPathComponent) is not a FeatureCollection")
        }
        return try features.map { f in
            var properties: [String: String] = [:]
            for (k, v) in f["properties"] as? [String: Any] ?? [:] {
                if let s = v as? String { properties[k] = s } else if let n = v as? NSNumber { properties[k] = n.stringValue }
            }
            guard let g = f["geometry"] as? [String: Any] else { throw TestFailure("feature without geometry") }
            return AreaFeature(properties: properties, parts: try polygonParts(g))
        }
    }

    static func polygonParts(_ geometry: [String: Any]) throws -> [[[Point2]]] {
        func rings(_ raw: Any?) throws -> [[Point2]] {
            guard let rings = raw as? [[[Any]]] else { throw TestFailure("bad polygon") }
            return try rings.map { ring in
                try ring.map { position in
                    guard position.count >= 2, let x = (position[0] as? NSNumber)?.doubleValue,
                          let y = (position[1] as? NSNumber)?.doubleValue else { throw TestFailure("bad position") }
                    return Point2(x, y)
                }
            }
        }
        switch geometry["type"] as? String {
        case "Polygon": return [try rings(geometry["coordinates"])]
        case "MultiPolygon":
            guard let polygons = geometry["coordinates"] as? [Any] else { throw TestFailure("bad multipolygon") }
            return try polygons.map(rings)
        default: throw TestFailure("not a polygon: \(geometry["type"] ?? "?")")
        }
    }
}

// MARK: - Deterministic randomness

/// SplitMix64 (Steele, Lea & Flood 2014): a seeded generator, so the random points are the same every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
