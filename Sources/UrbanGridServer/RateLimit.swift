import Foundation
import Hummingbird
import Synchronization
import UrbanGridCore

/// How many requests one client may make: a token bucket per bearer token or API key, and per
/// client address for anonymous requests. The defaults are far above what a person or a
/// department's GIS tool does, and above what this stack serves on loopback, so benchmarks are
/// not throttled; a deployment lowers them (`serve --rate-limit`).
public struct RateLimitSettings: Sendable, Equatable {
    /// Sustained requests per second per client; 0 turns the limit off.
    public var requestsPerSecond: Double
    /// Requests a client may make at once after being idle.
    public var burst: Double

    public init(requestsPerSecond: Double = 20_000, burst: Double? = nil) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst ?? max(1, requestsPerSecond * 2)
    }

    public var isEnabled: Bool { requestsPerSecond > 0 }
}

/// Token buckets by key. `take` spends one token, or says how long until one is there.
public final class TokenBuckets: Sendable {
    private struct Bucket { var tokens: Double; var updated: ContinuousClock.Instant }

    public let settings: RateLimitSettings
    /// Above this many keys, buckets that have refilled (idle clients) are dropped.
    public let maximumKeys: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    /// How many clients have a bucket now.
    public var count: Int { buckets.withLock { $0.count } }

    public init(_ settings: RateLimitSettings, maximumKeys: Int = 100_000) {
        self.settings = settings; self.maximumKeys = maximumKeys
    }

    /// nil when the request may go ahead, else the wait until the key has a token again.
    public func take(_ key: String, now: ContinuousClock.Instant = .now) -> Duration? {
        let rate = settings.requestsPerSecond, burst = settings.burst
        return buckets.withLock { table -> Duration? in
            if table.count >= maximumKeys, table[key] == nil { dropIdle(&table, now: now, rate: rate, burst: burst) }
            var bucket = table[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = bucket.updated.duration(to: now)
            bucket.tokens = min(burst, bucket.tokens + Self.seconds(elapsed) * rate)
            bucket.updated = now
            defer { table[key] = bucket }
            guard bucket.tokens >= 1 else { return .seconds((1 - bucket.tokens) / rate) }
            bucket.tokens -= 1
            return nil
        }
    }

    /// Forgets the clients whose buckets are full again; if more than half the table is still busy
    /// (a flood of distinct keys), forgets them all rather than grow without bound or filter on
    /// every request.
    private func dropIdle(_ table: inout [String: Bucket], now: ContinuousClock.Instant, rate: Double, burst: Double) {
        table = table.filter { $0.value.tokens + Self.seconds($0.value.updated.duration(to: now)) * rate < burst }
        if table.count > maximumKeys / 2 { table.removeAll(keepingCapacity: true) }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// Answers 429 with `Retry-After` (whole seconds, at least 1) when a client has used up its
/// requests. Runs before authentication, so floods with bad tokens are limited too: the key is
/// the presented token itself (never stored), or the client address when there is none.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let buckets: TokenBuckets

    init(_ settings: RateLimitSettings) { buckets = TokenBuckets(settings) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard buckets.settings.isEnabled else { return try await next(request, context) }
        let key: String
        if let header = request.headers[.authorization], header.utf8.count <= 512 {
            key = "token " + header.drop { $0 != " " }.trimmingCharacters(in: .whitespaces)
        } else {
            key = "address " + context.clientAddress
        }
        if let wait = buckets.take(key) {
            return Problem.tooManyRequests(retryAfter: wait, "too many requests from this client", "请求过于频繁")
        }
        return try await next(request, context)
    }
}

extension Problem {
    /// A 429 problem+json response with `Retry-After` in whole seconds (rounded up, at least 1).
    static func tooManyRequests(retryAfter wait: Duration, _ detail: String, _ detailZh: String, field: String? = nil) -> Response {
        let seconds = max(1, Int(TokenBuckets.seconds(wait).rounded(.up)))
        var response = Problem("too-many-requests", status: 429, title: "Too Many Requests",
                               detail: "\(detail); retry after \(seconds) s", detailZh: "\(detailZh),请 \(seconds) 秒后重试",
                               field: field).response()
        response.headers[.retryAfter] = String(seconds)
        return response
    }
}
