// The Server-Sent Events stream of case changes, read through a URLSession data task as bytes arrive:
// resuming with Last-Event-ID (or ?after=) after a disconnect, and per-department filtering.

import Foundation
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

extension EventStreamClient.Event {
    /// The case event in `data`.
    func caseEvent() throws -> CaseEvent { try APIJSON.decoder.decode(CaseEvent.self, from: Data(data.utf8)) }
}

extension CaseCrew {
    /// Opens `GET /api/v1/events` as `user` and waits for the server's `: connected` comment.
    func openStream(as user: Session, lastEventID: String? = nil, after: String? = nil) async throws -> EventStreamClient {
        var url = server.baseURL.appendingPathComponent("api/v1/events")
        if let after { url = URL(string: url.absoluteString + "?after=\(after)")! }
        var headers = user.headers
        if let lastEventID { headers["Last-Event-ID"] = lastEventID }
        let stream = EventStreamClient(url: url, headers: headers)
        do {
            try await stream.wait(for: "the connected comment") { _, comments in comments.contains("connected") }
        } catch {
            stream.close()
            throw error
        }
        return stream
    }
}

/// Waits for `count` events of `stream` and decodes them.
@discardableResult
private func caseEvents(_ stream: EventStreamClient, count: Int, _ what: String) async throws -> [CaseEvent] {
    try await stream.wait(for: what) { events, _ in events.count >= count }.map { try $0.caseEvent() }
}

@Suite struct CaseEventStreamTests {
    @Test func reconnectingWithLastEventIDReplaysExactlyWhatWasMissed() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let first = try await crew.openStream(as: crew.operator_)
            #expect(first.status == 200)
            #expect(first.header("Content-Type")?.hasPrefix("text/event-stream") == true)
            #expect(first.header("Cache-Control") == "no-store")

            let c = try await crew.report(CaseCrew.event("06010", at: p))
            try await crew.act(c.id, .accept, as: crew.operator_, expect: .awaitingRegistration)
            let seen = try await caseEvents(first, count: 2, "report and accept")
            let raw = first.events
            #expect(seen.map(\.caseId) == [c.id, c.id])
            #expect(seen.map(\.action) == ["report", "accept"])
            #expect(seen.map(\.actor) == [crew.inspector.username, crew.operator_.username])
            #expect(raw.allSatisfy { $0.event == "case" })
            // The SSE id is the audit sequence number, the one the timeline shows.
            #expect(raw.map(\.id) == seen.map { String($0.seq) })
            let timeline = try #require(try await crew.view(c.id).timeline)
            #expect(seen.map(\.seq) == timeline.map(\.seq))
            let lastSeen = try #require(raw.last?.id)

            // Disconnect; two changes happen meanwhile.
            first.close()
            for _ in 0..<250 where !first.isEnded { try await Task.sleep(for: .milliseconds(20)) }
            #expect(first.isEnded)
            try await crew.act(c.id, .register, as: crew.shiftLeader, expect: .awaitingDispatch)
            try await crew.act(c.id, .dispatch, as: crew.dispatcher, expect: .dispatched)
            #expect(first.events.count == 2, "a closed stream receives nothing")

            let resumed = try await crew.openStream(as: crew.operator_, lastEventID: lastSeen)
            defer { resumed.close() }
            let missed = try await caseEvents(resumed, count: 2, "the two missed events")
            #expect(missed.map(\.action) == ["register", "dispatch"])
            #expect(missed.map(\.to) == [.awaitingDispatch, .dispatched])
            #expect(missed.allSatisfy { $0.caseId == c.id && $0.seq > Int64(lastSeen)! })
            // Then live again: the next change follows, and nothing came twice or in between.
            try await crew.act(c.id, .sign, as: crew.hw, expect: .handling)
            let all = try await caseEvents(resumed, count: 3, "the sign event")
            #expect(all.map(\.action) == ["register", "dispatch", "sign"])
            let full = try #require(try await crew.view(c.id).timeline)
            #expect(all.map(\.seq) == full.dropFirst(2).map(\.seq))

            // ?after= does the same for clients that cannot set headers (EventSource).
            let byQuery = try await crew.openStream(as: crew.operator_, after: lastSeen)
            defer { byQuery.close() }
            #expect(try await caseEvents(byQuery, count: 3, "replay by ?after=").map(\.seq) == all.map(\.seq))

            // From the beginning: the whole log.
            let fromZero = try await crew.openStream(as: crew.dispatcher, lastEventID: "0")
            defer { fromZero.close() }
            #expect(try await caseEvents(fromZero, count: 5, "the whole log").map(\.seq) == full.map(\.seq))

            let bad = try await crew.server.get("api/v1/events", as: crew.operator_, headers: ["Last-Event-ID": "yesterday"])
            expectProblem(bad, 400, field: "Last-Event-ID")
        }
    }

    @Test func departmentStreamShowsOnlyItsOwnCases() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let (q, _) = try crew.ordinaryPoint(1)
            let hwStream = try await crew.openStream(as: crew.hw)
            defer { hwStream.close() }
            let cgzfStream = try await crew.openStream(as: crew.cgzf)
            defer { cgzfStream.close() }
            let everything = try await crew.openStream(as: crew.inspector)
            defer { everything.close() }

            // 07001 非法小广告 goes to CGZF by rule; 06010 to HW.
            let b = try await crew.handling(CaseCrew.event("07001", at: q), staff: crew.cgzf)
            #expect(b.department == "CGZF")
            let a = try await crew.handling(CaseCrew.event("06010", at: p))
            try await crew.act(b.id, .requestHang, ActionInput(note: "待审批"), as: crew.cgzf, expect: .hangRequested)
            try await crew.act(a.id, .finish, ActionInput(note: "已清理"), as: crew.hw, expect: .handled)

            // The centre sees all 12 changes, in order.
            let all = try await caseEvents(everything, count: 12, "all changes")
            #expect(all.count == 12)
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.seq < $1.seq })

            let hw = try await hwStream.wait(for: "HW's finish") { events, _ in
                events.contains { (try? $0.caseEvent()).map { $0.caseId == a.id && $0.action == "finish" } == true }
            }.map { try $0.caseEvent() }
            let cgzf = try await cgzfStream.wait(for: "CGZF's hang request") { events, _ in
                events.contains { (try? $0.caseEvent()).map { $0.caseId == b.id && $0.action == "request-hang" } == true }
            }.map { try $0.caseEvent() }
            // Anything wrongly sent would have arrived by now; allow a moment more all the same.
            try await Task.sleep(for: .milliseconds(500))
            let hwFinal = try hwStream.events.map { try $0.caseEvent() }
            let cgzfFinal = try cgzfStream.events.map { try $0.caseEvent() }
            #expect(hwFinal.allSatisfy { $0.caseId == a.id }, "\(hwFinal.map { ($0.caseId, $0.action) })")
            #expect(cgzfFinal.allSatisfy { $0.caseId == b.id }, "\(cgzfFinal.map { ($0.caseId, $0.action) })")
            // Their own work is all there, in order.
            #expect(hw.filter { $0.caseId == a.id }.map(\.action).suffix(3) == ["dispatch", "sign", "finish"])
            #expect(cgzf.filter { $0.caseId == b.id }.map(\.action).suffix(3) == ["dispatch", "sign", "request-hang"])
            #expect(zip(hwFinal, hwFinal.dropFirst()).allSatisfy { $0.seq < $1.seq })
        }
    }
}
