// Department webhooks through HTTP on the real server: a small Hummingbird receiver on 127.0.0.1
// records what the server pushes; the tests check the payload against the case's own timeline, the
// HMAC-SHA256 signature against one computed here with swift-crypto, the order of the events, the
// retries with backoff (and their log), and who may register what.

import Crypto
import Foundation
import Hummingbird
import Logging
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

// MARK: - A webhook receiver on loopback

/// Records every request posted to it and answers 500 to the first `failFirst` of them, 200 after.
actor WebhookReceiver {
    struct Received: Sendable {
        var path: String
        var method: String
        /// Header names lower-cased.
        var headers: [String: String]
        var body: Data
        var at: ContinuousClock.Instant
        var answered: Int
    }

    private var received: [Received] = []
    private var failuresLeft: Int

    init(failFirst: Int) { failuresLeft = failFirst }

    /// Keeps the request and returns the status to answer with.
    func record(path: String, method: String, headers: [String: String], body: Data) -> Int {
        let status = failuresLeft > 0 ? 500 : 200
        failuresLeft = max(0, failuresLeft - 1)
        received.append(Received(path: path, method: method, headers: headers, body: body, at: .now, answered: status))
        return status
    }

    func requests(to path: String) -> [Received] { received.filter { $0.path == path } }

    /// Waits until `count` requests to `path` have arrived (or fails after `timeout`).
    func wait(for count: Int, to path: String, timeout: Duration = .seconds(20)) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let got = requests(to: path)
            if got.count >= count { return got }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("\(requests(to: path).count) of \(count) requests to \(path) within \(timeout)")
    }
}

/// Runs a receiver (a second Hummingbird application, loopback only, a free port) while `body` runs;
/// `body` gets the receiver and its base URL (post to `<base>/<anything>`).
func withWebhookReceiver<T: Sendable>(failFirst: Int = 0, _ body: (WebhookReceiver, URL) async throws -> T) async throws -> T {
    let receiver = WebhookReceiver(failFirst: failFirst)
    let router = Router()
    router.post(":hook") { request, _ -> Response in
        let buffer = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName.lowercased()
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        let status = await receiver.record(path: request.uri.path, method: request.method.rawValue, headers: headers,
                                           body: Data(buffer.readableBytesView))
        return Response(status: .init(code: status))
    }
    var logger = Logger(label: "urbangrid.test.receiver")
    logger.logLevel = .critical
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { channel in
                              portContinuation.yield(channel.localAddress?.port ?? 0)
                              portContinuation.finish()
                          },
                          logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { portContinuation.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0, let url = URL(string: "http://127.0.0.1:\(port)") else {
            group.cancelAll()
            throw TestFailure("the webhook receiver did not start")
        }
        defer { group.cancelAll() }
        return try await body(receiver, url)
    }
}

// MARK: - What the server sends and shows

/// The body of a delivery: `{"event": …, "case": …}`.
struct WebhookBody: Decodable {
    var event: CaseEvent
    var `case`: CaseView?
}

struct WebhookItems: Decodable { var items: [Webhook] }
struct DeliveryItems: Decodable { var items: [WebhookDelivery] }

/// `sha256=<hex>` of HMAC-SHA256 of `body` under `secret`, as a receiver would check it.
func webhookSignature(_ body: Data, secret: String) -> String {
    let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
    return "sha256=" + Data(mac).map { String(format: "%02x", $0) }.joined()
}

extension CaseCrew {
    /// Registers a webhook of `department` as `user`, expecting 201.
    func registerWebhook(_ department: String, url: URL, secret: String, as user: Session,
                         sourceLocation: SourceLocation = #_sourceLocation) async throws -> Webhook {
        let r = try await server.post("api/v1/departments/\(department)/webhooks", ["url": url.absoluteString, "secret": secret],
                                      as: user)
        try #require(r.status == 201, "\(r)", sourceLocation: sourceLocation)
        #expect(!r.text.contains(secret) && !r.text.contains("\"secret\""), "\(r)", sourceLocation: sourceLocation)
        return try r.decode(Webhook.self)
    }

    /// `GET …/webhooks/{id}/deliveries`, expecting 200.
    func deliveries(_ department: String, _ hook: Int64, as user: Session? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> [WebhookDelivery] {
        let r = try await server.get("api/v1/departments/\(department)/webhooks/\(hook)/deliveries", as: user ?? admin)
        try #require(r.status == 200, "\(r)", sourceLocation: sourceLocation)
        return try r.decode(DeliveryItems.self).items
    }

    /// Polls the delivery log until `done` holds over it (or fails after `timeout`).
    func deliveries(_ department: String, _ hook: Int64, timeout: Duration = .seconds(20),
                    until done: ([WebhookDelivery]) -> Bool) async throws -> [WebhookDelivery] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let log = try await deliveries(department, hook)
            if done(log) { return log }
            if ContinuousClock.now > deadline { throw TestFailure("delivery log of webhook \(hook) after \(timeout): \(log)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A new case reported, accepted, registered and dispatched (to `department`, or the rules' choice).
    func dispatched(at point: Point2, department: String? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> CaseView {
        let c = try await report(CaseCrew.event("06010", at: point), sourceLocation: sourceLocation)
        try await act(c.id, .accept, as: operator_, expect: .awaitingRegistration, sourceLocation: sourceLocation)
        try await act(c.id, .register, as: shiftLeader, expect: .awaitingDispatch, sourceLocation: sourceLocation)
        return try await act(c.id, .dispatch, ActionInput(department: department), as: dispatcher, expect: .dispatched,
                             sourceLocation: sourceLocation)
    }
}

/// Checks one delivered request: POSTed JSON, signed under `secret` over the exact bytes, its event id
/// header equal to the event's seq, and the event equal to `expected` from the case's timeline.
func expectDelivery(_ request: WebhookReceiver.Received, secret: String, expected: CaseEvent, department: String,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(request.method == "POST", sourceLocation: sourceLocation)
    #expect(request.headers["content-type"]?.hasPrefix("application/json") == true, "\(request.headers)",
            sourceLocation: sourceLocation)
    let signature = try #require(request.headers["x-urbangrid-signature"], "\(request.headers)", sourceLocation: sourceLocation)
    #expect(signature == webhookSignature(request.body, secret: secret), sourceLocation: sourceLocation)
    #expect(signature.wholeMatch(of: /sha256=[0-9a-f]{64}/) != nil, "\(signature)", sourceLocation: sourceLocation)
    #expect(signature != webhookSignature(request.body, secret: secret + "x"), sourceLocation: sourceLocation)

    let top = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any], sourceLocation: sourceLocation)
    #expect(Set(top.keys) == ["event", "case"], "\(top.keys)", sourceLocation: sourceLocation)
    let payload = try APIJSON.decoder.decode(WebhookBody.self, from: request.body)
    #expect(request.headers["x-urbangrid-event-id"] == String(payload.event.seq), sourceLocation: sourceLocation)
    let event = payload.event
    #expect(event.seq == expected.seq && event.caseId == expected.caseId, "\(event)", sourceLocation: sourceLocation)
    #expect(event.action == expected.action && event.from == expected.from && event.to == expected.to, "\(event)",
            sourceLocation: sourceLocation)
    #expect(event.actor == expected.actor && event.actorRole == expected.actorRole, sourceLocation: sourceLocation)
    #expect(event.department == department && event.note == expected.note, sourceLocation: sourceLocation)
    #expect(abs(event.at.timeIntervalSince(expected.at)) < 1, sourceLocation: sourceLocation)
    let view = try #require(payload.case, "the case as \(department) sees it", sourceLocation: sourceLocation)
    #expect(view.id == expected.caseId && view.department == department, sourceLocation: sourceLocation)
}

// MARK: - Tests

@Suite struct CaseWebhookTests {
    @Test func signedEventsReachTheCaseDepartmentInOrder() async throws {
        try await withCaseServer(configuration: .loopbackWebhooks) { crew in
            try await withWebhookReceiver { receiver, base in
                let hwSecret = "hw-\(UUID().uuidString)", cgzfSecret = "cgzf-\(UUID().uuidString)"
                let hwURL = base.appendingPathComponent("hw"), cgzfURL = base.appendingPathComponent("cgzf")
                let hwHook = try await crew.registerWebhook("HW", url: hwURL, secret: hwSecret, as: crew.hw)
                #expect(hwHook.departmentCode == "HW" && hwHook.url == hwURL.absoluteString && hwHook.secret == nil)
                let cgzfHook = try await crew.registerWebhook("CGZF", url: cgzfURL, secret: cgzfSecret, as: crew.cgzf)
                #expect(cgzfHook.id != hwHook.id)

                // A 06010 case goes to HW by the rules and HW signs it; another is dispatched to CGZF by hand.
                let (p, _) = try crew.ordinaryPoint()
                let c = try await crew.dispatched(at: p)
                #expect(c.department == "HW")
                try await crew.act(c.id, .sign, as: crew.hw, expect: .handling)
                let d = try await crew.dispatched(at: try crew.ordinaryPoint(1).point, department: "CGZF")
                #expect(d.department == "CGZF")

                let timeline = try #require(try await crew.view(c.id).timeline)
                #expect(timeline.map(\.action) == ["report", "accept", "register", "dispatch", "sign"])
                // Before dispatch the case was no department's: only dispatch and sign go to HW, in order.
                var hw = try await receiver.wait(for: 2, to: "/hw")
                #expect(hw.count == 2)
                try expectDelivery(hw[0], secret: hwSecret, expected: timeline[3], department: "HW")
                try expectDelivery(hw[1], secret: hwSecret, expected: timeline[4], department: "HW")
                #expect(hw.map { $0.headers["x-urbangrid-event-id"] } == [String(timeline[3].seq), String(timeline[4].seq)])

                // Later actions follow.
                try await crew.act(c.id, .finish, ActionInput(note: "已清运"), as: crew.hw, expect: .handled)
                let after = try #require(try await crew.view(c.id).timeline)
                hw = try await receiver.wait(for: 3, to: "/hw")
                try expectDelivery(hw[2], secret: hwSecret, expected: after[5], department: "HW")
                #expect(after[5].action == "finish" && after[5].note == "已清运")

                // CGZF got its own case only, signed with its own secret.
                let cgzf = try await receiver.wait(for: 1, to: "/cgzf")
                let dTimeline = try #require(try await crew.view(d.id).timeline)
                #expect(cgzf.count == 1)
                try expectDelivery(cgzf[0], secret: cgzfSecret, expected: dTimeline[3], department: "CGZF")
                #expect(await receiver.requests(to: "/hw").count == 3)

                // The delivery log: one successful attempt per event, newest first.
                let log = try await crew.deliveries("HW", hwHook.id, as: crew.hw)
                #expect(log.map(\.auditSeq) == [after[5].seq, timeline[4].seq, timeline[3].seq])
                #expect(log.allSatisfy { $0.caseId == c.id && $0.attempt == 1 && $0.statusCode == 200 && $0.delivered && $0.error == nil },
                        "\(log)")
                let cgzfLog = try await crew.deliveries("CGZF", cgzfHook.id, as: crew.cgzf)
                #expect(cgzfLog.map(\.auditSeq) == [dTimeline[3].seq] && cgzfLog.first?.delivered == true)
            }
        }
    }

    @Test func failedDeliveriesAreRetriedWithBackoff() async throws {
        try await withCaseServer(configuration: .loopbackWebhooks) { crew in
            try await withWebhookReceiver(failFirst: 2) { receiver, base in
                let secret = "retry-secret-\(UUID().uuidString)"
                let hook = try await crew.registerWebhook("HW", url: base.appendingPathComponent("hw"), secret: secret, as: crew.admin)
                let c = try await crew.dispatched(at: try crew.ordinaryPoint().point)
                let dispatch = try #require(try await crew.view(c.id).timeline?.last)
                #expect(dispatch.action == "dispatch")

                // 500, 500, then 200: the same signed body three times, waiting 250 ms and then 500 ms.
                let attempts = try await receiver.wait(for: 3, to: "/hw")
                #expect(attempts.map(\.answered) == [500, 500, 200])
                for attempt in attempts {
                    #expect(attempt.body == attempts[0].body)
                    try expectDelivery(attempt, secret: secret, expected: dispatch, department: "HW")
                }
                let gaps = zip(attempts.dropFirst(), attempts).map { $0.at - $1.at }
                #expect(gaps[0] >= .milliseconds(200) && gaps[1] >= .milliseconds(450), "\(gaps)")

                // Every attempt is logged; the third one delivered the event.
                let log = try await crew.deliveries("HW", hook.id) { $0.contains { $0.delivered } }
                let forDispatch = log.filter { $0.auditSeq == dispatch.seq }.sorted { $0.attempt < $1.attempt }
                #expect(forDispatch.count == 3 && log.count == 3, "\(log)")
                #expect(forDispatch.map(\.attempt) == [1, 2, 3])
                #expect(forDispatch.map(\.statusCode) == [500, 500, 200])
                #expect(forDispatch.map(\.delivered) == [false, false, true])
                #expect(forDispatch.map { $0.error != nil } == [true, true, false], "\(forDispatch)")
                #expect(forDispatch.allSatisfy { $0.caseId == c.id })

                // The webhook moved past it: the next event goes out once, and the dispatch is not resent.
                try await crew.act(c.id, .sign, as: crew.hw, expect: .handling)
                let sign = try #require(try await crew.view(c.id).timeline?.last)
                let all = try await receiver.wait(for: 4, to: "/hw")
                try expectDelivery(all[3], secret: secret, expected: sign, department: "HW")
                let after = try await crew.deliveries("HW", hook.id) { $0.contains { $0.auditSeq == sign.seq } }
                #expect(after.filter { $0.auditSeq == sign.seq }.map(\.attempt) == [1])
                #expect(after.filter { $0.auditSeq == dispatch.seq }.count == 3)
                try await Task.sleep(for: .milliseconds(300))
                #expect(await receiver.requests(to: "/hw").count == 4)
            }
        }
    }

    /// By default a webhook may not point into the server's own network (SSRF).
    @Test func internalTargetsAreRefusedByDefault() async throws {
        try await withCaseServer { crew in
            let path = "api/v1/departments/HW/webhooks", secret = "0123456789abcdef-hw"
            for url in ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.1.2.3/hook", "http://192.168.0.10/hook",
                        "http://172.20.0.1/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/hook",
                        "http://0.0.0.0/hook", "http://no-such-host.invalid/hook"] {
                expectProblem(try await crew.server.post(path, ["url": url, "secret": secret], as: crew.hw), 400, field: "url", url)
            }
            let list = try await crew.server.get(path, as: crew.hw)
            #expect(list.text.contains("\"items\":[]"), "\(list)")
        }
    }

    @Test func registrationIsValidatedAndSecretsStayHidden() async throws {
        try await withCaseServer(configuration: .loopbackWebhooks) { crew in
            let server = crew.server
            let path = "api/v1/departments/HW/webhooks"
            let goodURL = "http://127.0.0.1:9/hooks/hw", goodSecret = "0123456789abcdef-hw"

            expectProblem(try await server.post(path, ["url": goodURL, "secret": "short"], as: crew.hw), 400, field: "secret")
            expectProblem(try await server.post(path, ["url": goodURL, "secret": String(repeating: "s", count: 15)], as: crew.hw),
                          400, field: "secret")
            expectProblem(try await server.post(path, ["url": goodURL], as: crew.hw), 400, field: "secret")
            for url in ["ftp://example.com/hook", "file:///etc/passwd", "mailto:ops@example.com", "/hooks/hw", "not a url"] {
                expectProblem(try await server.post(path, ["url": url, "secret": goodSecret], as: crew.hw), 400, field: "url", url)
            }
            // Only admins and the department's own staff.
            expectProblem(try await server.post(path, ["url": goodURL, "secret": goodSecret], as: crew.cgzf), 403, kind: "forbidden")
            expectProblem(try await server.post(path, ["url": goodURL, "secret": goodSecret], as: crew.dispatcher), 403, kind: "forbidden")
            expectProblem(try await server.post(path, ["url": goodURL, "secret": goodSecret], as: nil), 401, kind: "unauthorized")
            expectProblem(try await server.post("api/v1/departments/NOPE/webhooks", ["url": goodURL, "secret": goodSecret],
                                                as: crew.admin), 404, kind: "not-found")
            // None of that registered anything.
            let empty = try await server.get(path, as: crew.admin)
            #expect(empty.status == 200, "\(empty)")
            #expect(try empty.decode(WebhookItems.self).items.isEmpty, "\(empty)")

            let r = try await server.post(path, ["url": goodURL, "secret": goodSecret], as: crew.hw)
            try #require(r.status == 201, "\(r)")
            let hook = try r.decode(Webhook.self)
            #expect(hook.departmentCode == "HW" && hook.url == goodURL && hook.secret == nil)
            #expect(!r.text.contains(goodSecret))

            // Listed for the department and admins, never with the secret.
            for user in [crew.hw, crew.admin] {
                let list = try await server.get(path, as: user)
                try #require(list.status == 200, "\(list)")
                #expect(try list.decode(WebhookItems.self).items.map(\.id) == [hook.id])
                #expect(!list.text.contains(goodSecret) && !list.text.contains("\"secret\""), "\(list)")
            }
            expectProblem(try await server.get(path, as: crew.cgzf), 403, kind: "forbidden")
            expectProblem(try await server.get(path, as: nil), 401, kind: "unauthorized")
            let cgzfList = try await server.get("api/v1/departments/CGZF/webhooks", as: crew.cgzf)
            #expect(cgzfList.status == 200, "\(cgzfList)")
            #expect(try cgzfList.decode(WebhookItems.self).items.isEmpty, "\(cgzfList)")

            // Delivery logs: the owner and admins; not another department, not through another department's path.
            #expect(try await crew.deliveries("HW", hook.id, as: crew.hw).isEmpty)
            expectProblem(try await server.get("\(path)/\(hook.id)/deliveries", as: crew.cgzf), 403, kind: "forbidden")
            expectProblem(try await server.get("api/v1/departments/CGZF/webhooks/\(hook.id)/deliveries", as: crew.admin), 404,
                          kind: "not-found")
            expectProblem(try await server.get("\(path)/\(hook.id + 1)/deliveries", as: crew.admin), 404, kind: "not-found")
        }
    }
}

extension ServerConfiguration {
    /// The receivers of these tests listen on 127.0.0.1, which a production server refuses.
    static var loopbackWebhooks: ServerConfiguration {
        var c = ServerConfiguration()
        c.allowInternalWebhookTargets = true
        return c
    }
}
