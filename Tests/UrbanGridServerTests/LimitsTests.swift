// Limits on callers through HTTP: the request rate per token / key / address (429 with
// Retry-After), failed-login lock-outs, token expiry, logout and disabled users, passwords never in
// the logs, and the security headers on every kind of answer.

import Foundation
import Logging
import Synchronization
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

/// Every log line the server writes, as text: message and metadata.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }

    /// A logger at trace level writing here.
    var logger: Logger {
        Logger(label: "urbangrid.test.capture") { label in CapturingLogHandler(label: label, sink: self) }
    }
}

struct CapturingLogHandler: LogHandler {
    let label: String
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        sink.append("\(event.level) \(label) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
    }
}

private func login(_ server: TestServer, _ username: String, _ password: String) async throws -> HTTPResult {
    try await HTTP.postJSON(server.baseURL, "api/v1/sessions", ["username": username, "password": password])
}

private func expectTooMany(_ r: HTTPResult, _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    expectProblem(r, 429, kind: "too-many-requests", comment, sourceLocation: sourceLocation)
    let seconds = r.header("Retry-After").flatMap(Int.init)
    #expect(seconds.map { $0 >= 1 } == true, "Retry-After: \(r.header("Retry-After") ?? "none")", sourceLocation: sourceLocation)
}

@Suite struct LimitsTests {
    @Test func theRequestRateIsLimitedPerTokenAndPerAnonymousAddress() async throws {
        // A burst of 3, then one request every 1,000 s: no bucket refills while the test runs,
        // however slow the machine. (Refilling is timed exactly in `tokenBucketsRefillAtTheirRate`.)
        let configuration = ServerConfiguration(rateLimit: RateLimitSettings(requestsPerSecond: 0.001, burst: 3))
        try await withServer(city: Fixtures.testcity, configuration: configuration) { server in
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await HTTP.get(server.baseURL, "healthz").status) }
            #expect(statuses == [200, 200, 200, 429])
            let limited = try await HTTP.get(server.baseURL, "collections")
            expectTooMany(limited, "anonymous, after the burst")
            // About 1,000 s (one request at 0.001/s), less what has refilled while a loaded machine ran the test.
            #expect(Int(limited.header("Retry-After") ?? "").map { 800...1000 ~= $0 } == true, "\(limited.headers)")
            #expect(limited.header("X-Content-Type-Options") == "nosniff" && limited.header("Cache-Control") == "no-store")

            // A token has a bucket of its own (the login above ran on the anonymous one: use the store).
            let user = try server.store.addUser(username: "rate.user", role: .dispatcher, department: nil, passwordHash: TestPassword.hash)
            let (a, b) = (Credentials.newToken(), Credentials.newToken())
            for token in [a, b] { try server.store.createSession(userID: user.id, tokenHash: Credentials.tokenHash(token), lifetime: 600) }
            let asA = ["Authorization": "Bearer \(a)"], asB = ["Authorization": "Bearer \(b)"]
            for _ in 0..<3 { #expect(try await HTTP.get(server.baseURL, "api/v1/me", headers: asA).status == 200) }
            expectTooMany(try await HTTP.get(server.baseURL, "api/v1/me", headers: asA), "token A")
            #expect(try await HTTP.get(server.baseURL, "api/v1/me", headers: asB).status == 200, "token B is not A")
            // Bad tokens are limited too, before the database is asked.
            let junk = ["Authorization": "Bearer junk"]
            for _ in 0..<3 { #expect(try await HTTP.get(server.baseURL, "api/v1/me", headers: junk).status == 401) }
            expectTooMany(try await HTTP.get(server.baseURL, "api/v1/me", headers: junk), "a bad token")
        }
    }

    @Test func tokenBucketsRefillAtTheirRate() {
        let buckets = TokenBuckets(RateLimitSettings(requestsPerSecond: 2, burst: 3), maximumKeys: 4)
        let t0 = ContinuousClock.now
        #expect((0..<3).map { _ in buckets.take("a", now: t0) } == [nil, nil, nil])
        #expect(buckets.take("a", now: t0) == .milliseconds(500))
        #expect(buckets.take("b", now: t0) == nil, "another key, another bucket")
        #expect(buckets.take("a", now: t0 + .milliseconds(500)) == nil, "after half a second, one token")
        #expect(buckets.take("a", now: t0 + .milliseconds(500)) == .milliseconds(500), "and only one")
        #expect(buckets.take("a", now: t0 + .seconds(60)) == nil, "refilled")
        // A full table forgets idle clients (full buckets) first.
        for key in ["c", "d"] { _ = buckets.take(key, now: t0 + .seconds(60)) }
        #expect(buckets.count == 4)
        _ = buckets.take("e", now: t0 + .seconds(120))
        #expect(buckets.count == 1, "all four were idle again after a minute")
        #expect(RateLimitSettings(requestsPerSecond: 100).burst == 200)
        #expect(!RateLimitSettings(requestsPerSecond: 0).isEnabled)
    }

    @Test func theDefaultRateLimitDoesNotThrottleABenchmark() async throws {
        #expect(ServerConfiguration().rateLimit.requestsPerSecond >= 10_000)
        try await withServer(city: Fixtures.testcity) { server in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<300 { group.addTask { try await HTTP.get(server.baseURL, "healthz").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 200 }, "\(Set(statuses))")
        }
    }

    @Test func failedLoginsLockTheUsernameThenTheAddress() async throws {
        // 8 s: long enough that the bcrypt checks of a loaded test run fit inside one lock-out.
        let throttle = LoginThrottleSettings(maxFailuresPerUsername: 3, maxFailuresPerAddress: 5, lockout: .seconds(8))
        try await withServer(city: Fixtures.testcity, configuration: ServerConfiguration(loginThrottle: throttle)) { server in
            for name in ["li", "wang"] {
                try server.store.addUser(username: name, role: .inspector, department: nil, passwordHash: TestPassword.hash)
            }
            for _ in 0..<3 { expectProblem(try await login(server, "li", "wrong password"), 401, kind: "invalid-credentials") }
            // Locked: even the right password is refused, with the same answer as for a name that does not exist.
            let locked = try await login(server, "LI", TestPassword.text)
            expectTooMany(locked, "the 4th try")
            #expect(try locked.problem().field == "username")
            // Another user from the same address may still log in.
            #expect(try await login(server, "wang", TestPassword.text).status == 201)
            // The lock ends.
            try await Task.sleep(for: .seconds(8.2))
            #expect(try await login(server, "li", TestPassword.text).status == 201)

            // Five failures from one address over several names lock the address.
            for name in ["wang", "nobody", "x"] { _ = try await login(server, name, "wrong password") }
            expectTooMany(try await login(server, "someone-else", "wrong password"), "the address after 5 failures")
            expectTooMany(try await login(server, "wang", TestPassword.text), "the address, right password")
        }
    }

    @Test func logoutRevokesThePresentedTokenOnly() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let first = try await server.signIn("zhao", .dispatcher)
            let second = try await login(server, "zhao", TestPassword.text)
            let otherToken = try #require(try JSONSerialization.jsonObject(with: second.body) as? [String: Any])["token"] as? String
            let out = try await HTTP.send("DELETE", server.baseURL, "api/v1/sessions/current", headers: first.headers)
            #expect(out.status == 204, "\(out)")
            #expect(out.body.isEmpty)
            expectProblem(try await HTTP.get(server.baseURL, "api/v1/me", headers: first.headers), 401, kind: "unauthorized")
            expectProblem(try await HTTP.send("DELETE", server.baseURL, "api/v1/sessions/current", headers: first.headers), 401)
            #expect(try await HTTP.get(server.baseURL, "api/v1/me", headers: ["Authorization": "Bearer \(otherToken ?? "")"]).status == 200)
            expectProblem(try await HTTP.send("DELETE", server.baseURL, "api/v1/sessions/current"), 401)
        }
    }

    @Test func disablingAUserEndsItsSessionsAndLogins() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let chen = try await server.signIn("chen", .shiftLeader)
            #expect(try server.store.setDisabled(true, username: "chen") == 1)
            expectProblem(try await HTTP.get(server.baseURL, "api/v1/me", headers: chen.headers), 401)
            expectProblem(try await login(server, "chen", TestPassword.text), 401, kind: "invalid-credentials")
            #expect(try server.store.setDisabled(false, username: "chen") == 0)
            #expect(try await login(server, "chen", TestPassword.text).status == 201)
            #expect(try server.store.revokeSessions(username: "chen") == 1)
            #expect(try server.store.setDisabled(true, username: "nobody") == nil)
        }
    }

    @Test func tokensExpire() async throws {
        try await withServer(city: Fixtures.testcity, configuration: ServerConfiguration(tokenLifetime: 2)) { server in
            // The token expires between before + 2 s and after + 2 s.
            let before = ContinuousClock.now
            let user = try await server.signIn("sun", .operator_)
            let after = ContinuousClock.now
            let fresh = try await HTTP.get(server.baseURL, "api/v1/me", headers: user.headers)
            if ContinuousClock.now - before < .seconds(2) { #expect(fresh.status == 200, "\(fresh)") }
            try await Task.sleep(until: after + .seconds(2.3))
            expectProblem(try await HTTP.get(server.baseURL, "api/v1/me", headers: user.headers), 401, kind: "unauthorized")
        }
    }

    @Test func passwordsNeverReachTheLogs() async throws {
        let logs = CapturedLogs()
        let throttle = LoginThrottleSettings(maxFailuresPerUsername: 2)
        let secret = "Zebra-Lantern-\(UUID().uuidString)"
        try await withServer(city: Fixtures.testcity, configuration: ServerConfiguration(loginThrottle: throttle),
                             logger: logs.logger) { server in
            try server.store.addUser(username: "wu", role: .inspector, department: nil, passwordHash: Credentials.hashPassword(secret))
            #expect(try await login(server, "wu", secret).status == 201)
            #expect(try await login(server, "wu", secret + "x").status == 401)
            #expect(try await login(server, "nobody", secret).status == 401)
            #expect(try await login(server, secret, "typed into the username field").status == 401)
            #expect(try await login(server, "wu", secret + "y").status == 401)
            #expect(try await login(server, "wu", secret).status == 429)
            let broken = Data(#"{"username":"wu","password":"\#(secret)","#.utf8)
            #expect(try await HTTP.post(server.baseURL, "api/v1/sessions", body: broken).status == 400)
            let typed = Data(#"{"username":"wu","password":["\#(secret)"]}"#.utf8)
            #expect(try await HTTP.post(server.baseURL, "api/v1/sessions", body: typed).status == 400)
        }
        let lines = logs.all
        #expect(lines.contains { $0.contains("login") && $0.contains("wu") }, "the capture works: \(lines)")
        #expect(lines.contains { $0.contains("login failed") })
        let leaks = lines.filter { $0.contains(secret) || $0.contains("Zebra-Lantern") }
        #expect(leaks.isEmpty, "the password was logged: \(leaks)")
    }

    @Test func securityHeadersOnFeaturesAndErrorAnswers() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let answers = [
                try await HTTP.get(server.baseURL, "collections/grids/items", query: [("limit", "1")]),   // 200 GeoJSON
                try await HTTP.get(server.baseURL, "collections/grids/items", query: [("f", "html")]),     // 200 HTML
                try await HTTP.get(server.baseURL, "collections/nothing/items"),                           // 404 problem
                try await HTTP.get(server.baseURL, "collections/grids/items", query: [("filter", "(")]),   // 400 problem
                try await HTTP.get(server.baseURL, "collections/buildings/items"),                         // 401 problem
                try await HTTP.send("DELETE", server.baseURL, "collections"),                              // 405 problem
            ]
            #expect(answers.map(\.status) == [200, 200, 404, 400, 401, 405])
            for r in answers {
                #expect(r.header("X-Content-Type-Options") == "nosniff", "\(r)")
                #expect(r.header("X-Frame-Options") == "DENY", "\(r)")
                #expect(r.header("Referrer-Policy") == "no-referrer", "\(r)")
                #expect(r.header("Content-Security-Policy")?.contains("default-src 'none'") == true, "\(r)")
                #expect(r.header("Cache-Control") != nil, "\(r)")
            }
        }
    }
}
