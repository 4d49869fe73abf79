import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import UrbanGridCore

/// The server's HTTP API, as the console uses it. Immutable and Sendable: every request carries the
/// bearer token given at creation.
public struct APIClient: Sendable {
    public let base: URL
    public let token: String?
    let session: URLSession

    public init(base: URL, token: String? = nil, timeout: TimeInterval = 10) {
        self.base = base
        self.token = token
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 3
        session = URLSession(configuration: configuration)
    }

    private init(base: URL, token: String?, session: URLSession) {
        self.base = base; self.token = token; self.session = session
    }

    public func with(token: String) -> APIClient { APIClient(base: base, token: token, session: session) }

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: .iso8601) { return date }
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an RFC 3339 date: \(text)"))
        }
        return d
    }()

    // MARK: The API

    public func login(username: String, password: String) async throws(APIError) -> (token: String, user: SessionUser) {
        let answer: LoginAnswer = try await send("POST", "api/v1/sessions", body: LoginBody(username: username, password: password))
        return (answer.token, answer.user)
    }

    public func me() async throws(APIError) -> SessionUser { try await send("GET", "api/v1/me") }

    public func cases(_ query: [URLQueryItem]) async throws(APIError) -> [CaseView] {
        let answer: CaseListAnswer = try await send("GET", "api/v1/cases", query: query)
        return answer.items
    }

    public func caseView(_ id: Int64) async throws(APIError) -> CaseView { try await send("GET", "api/v1/cases/\(id)") }

    public func act(_ id: Int64, _ action: CaseAction, _ input: ActionInput) async throws(APIError) -> CaseView {
        try await send("POST", "api/v1/cases/\(id)/actions/\(action.rawValue)", body: input)
    }

    public func photos(_ id: Int64) async throws(APIError) -> [PhotoItem] {
        let answer: PhotoListAnswer = try await send("GET", "api/v1/cases/\(id)/media")
        return answer.items
    }

    public func departments() async throws(APIError) -> [Department] {
        let answer: CatalogAnswer = try await send("GET", "api/v1/catalog")
        return answer.departments
    }

    /// `GET /api/v1/evaluation`: the rows of one kind of object for one period, best first.
    public func evaluation(_ object: EvaluationObject, period: String) async throws(APIError) -> [EvaluationRow] {
        let query = [URLQueryItem(name: "object", value: object.rawValue), URLQueryItem(name: "period", value: period)]
        let answer: EvaluationAnswer = try await send("GET", "api/v1/evaluation", query: query)
        return answer.rows
    }

    func health() async throws(APIError) -> HealthAnswer { try await send("GET", "healthz") }

    /// An OGC API - Features collection's items (GeoJSON).
    func features(_ collection: String, query: [URLQueryItem]) async throws(APIError) -> FeatureCollection {
        let data = try await raw("GET", "collections/\(collection)/items", query: query, body: nil)
        do { return try FeatureCollection.decode(data) } catch { throw .unreadable("GeoJSON: \(error)") }
    }

    /// One feature of an OGC API - Features collection.
    func feature(_ collection: String, id: String) async throws(APIError) -> MapFeature {
        let data = try await raw("GET", "collections/\(collection)/items/\(id)", query: [], body: nil)
        do { return try MapFeature.decode(data) } catch { throw .unreadable("GeoJSON: \(error)") }
    }

    // MARK: Plumbing

    func request(_ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil) -> URLRequest {
        var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty {
            components.queryItems = query
            // '+' in a query value is a space to most servers: send it encoded.
            components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        }
        var r = URLRequest(url: components.url!)
        r.httpMethod = method
        r.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            r.httpBody = body
            r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        return r
    }

    func send<T: Decodable>(_ method: String, _ path: String, query: [URLQueryItem] = []) async throws(APIError) -> T {
        try decode(try await raw(method, path, query: query, body: nil))
    }

    func send<T: Decodable, B: Encodable>(_ method: String, _ path: String, body: B) async throws(APIError) -> T {
        let data: Data
        do { data = try JSONEncoder().encode(body) } catch { throw .unreadable("\(error)") }
        return try decode(try await raw(method, path, query: [], body: data))
    }

    func decode<T: Decodable>(_ data: Data) throws(APIError) -> T {
        do { return try Self.decoder.decode(T.self, from: data) } catch { throw .unreadable(Self.describe(error)) }
    }

    func raw(_ method: String, _ path: String, query: [URLQueryItem], body: Data?) async throws(APIError) -> Data {
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request(method, path, query: query, body: body))
        } catch {
            throw .unreachable(Self.describe(error))
        }
        guard let http = response as? HTTPURLResponse else { throw .unreadable("not HTTP") }
        guard (200..<300).contains(http.statusCode) else {
            if let problem = try? JSONDecoder().decode(Problem.self, from: data) { throw .problem(problem) }
            throw .status(http.statusCode)
        }
        return data
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? URLError {
            switch e.code {
            case .cannotConnectToHost: return "connection refused"
            case .timedOut: return "timed out"
            case .networkConnectionLost: return "connection lost"
            case .notConnectedToInternet: return "no network"
            case .cannotFindHost: return "unknown host"
            default: return "network error \(e.code.rawValue)"
            }
        }
        if let e = error as? DecodingError {
            switch e {
            case .keyNotFound(let key, _): return "missing '\(key.stringValue)'"
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
                return c.codingPath.map(\.stringValue).joined(separator: ".") + ": " + c.debugDescription
            @unknown default: return "\(e)"
            }
        }
        return "\(error)"
    }
}
