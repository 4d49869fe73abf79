// GET /api/v1/cases with its filters and cursor paging, and GET /api/v1/me/tasks, through HTTP.
// The expected sets are worked out from what the test reported and the grids file.

import Foundation
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

extension CaseCrew {
    /// The ids `GET /api/v1/cases` answers with for `query` (one page), checking they come newest first.
    func listIDs(_ query: [(String, String)], as user: Session? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) async throws -> [Int64] {
        let r = try await server.get("api/v1/cases", query: query, as: user ?? operator_)
        try #require(r.status == 200, "\(query): \(r)", sourceLocation: sourceLocation)
        let ids = try r.json(CasePage.self).items.map(\.id)
        #expect(ids == ids.sorted(by: >), "\(query)", sourceLocation: sourceLocation)
        return ids
    }
}

@Suite struct CaseQueryTests {
    @Test func filtersAndCursorPaging() async throws {
        try await withCaseServer { crew in
            let city = crew.city
            // Five points in five grids: two in one community, three elsewhere.
            let points = city.interiorPoints()
            let byCommunity = Dictionary(grouping: points) { $0.grid["community_code"] ?? "" }
            let twin = try #require(byCommunity.filter { $0.value.count >= 2 }.keys.sorted().first)
            let others = points.filter { $0.grid["community_code"] != twin }
            try #require(others.count >= 3)
            let chosen = Array(byCommunity[twin]!.prefix(2)) + [others[0], others[others.count / 2], others[others.count - 1]]
            let marker = "Q\(UUID().uuidString.prefix(6))"
            var cases: [CaseView] = []
            for (i, (p, _)) in chosen.enumerated() {
                cases.append(try await crew.report(CaseCrew.event(i == 4 ? "09009" : "06010", at: p, description: "\(marker) #\(i)")))
            }
            let ids = cases.map(\.id)
            #expect(ids == ids.sorted() && Set(ids).count == 5)
            try await crew.act(ids[0], .accept, as: crew.operator_, expect: .awaitingRegistration)
            try await crew.act(ids[1], .accept, as: crew.operator_, expect: .awaitingRegistration)
            try await crew.act(ids[2], .accept, as: crew.operator_, expect: .awaitingRegistration)
            try await crew.act(ids[2], .register, as: crew.shiftLeader, expect: .awaitingDispatch)
            try await crew.act(ids[2], .dispatch, as: crew.dispatcher, expect: .dispatched)

            func expected(_ keep: (Int) -> Bool) -> [Int64] { (0..<5).filter(keep).map { ids[$0] }.reversed() }
            let m = ("q", marker)

            // Cursor paging, 2 a page: every case once, newest first, then no cursor.
            var seen: [Int64] = [], cursor: String? = nil, pages = 0
            repeat {
                var query = [m, ("limit", "2")]
                if let cursor { query.append(("cursor", cursor)) }
                let r = try await crew.server.get("api/v1/cases", query: query, as: crew.operator_)
                try #require(r.status == 200, "\(r)")
                let page = try r.json(CasePage.self)
                #expect(page.items.count == (pages < 2 ? 2 : 1))
                seen += page.items.map(\.id)
                cursor = page.next
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == ids.reversed())

            #expect(try await crew.listIDs([m]) == ids.reversed())
            #expect(try await crew.listIDs([m, ("status", "awaiting-registration")]) == expected { $0 < 2 })
            #expect(try await crew.listIDs([m, ("status", "reported,dispatched")]) == expected { $0 >= 2 })
            #expect(try await crew.listIDs([m, ("step", "handling")]) == [ids[2]])
            #expect(try await crew.listIDs([m, ("step", "acceptance")]) == expected { $0 >= 3 })
            #expect(try await crew.listIDs([m, ("department", "HW")]) == [ids[2]])
            #expect(try await crew.listIDs([m, ("department", "CGZF")]).isEmpty)
            #expect(try await crew.listIDs([m, ("code", "09009")]) == [ids[4]])

            // Areas, by the grids file.
            #expect(try await crew.listIDs([m, ("community", twin)]) == expected { chosen[$0].grid["community_code"] == twin })
            #expect(try await crew.listIDs([m, ("community", twin)]).count == 2)
            let grid3 = try #require(chosen[3].grid["code"])
            #expect(try await crew.listIDs([m, ("grid", grid3)]) == [ids[3]])
            let street = String(twin.prefix(9))
            #expect(try await crew.listIDs([m, ("street", street)]) == expected { chosen[$0].grid["community_code"]?.hasPrefix(street) == true })

            // Text: the description, or the case number.
            #expect(try await crew.listIDs([("q", "\(marker) #3")]) == [ids[3]])
            #expect(try await crew.listIDs([("q", cases[1].number)]) == [ids[1]])
            #expect(try await crew.listIDs([("q", "no such text 9f8e")]).isEmpty)
            #expect(try await crew.listIDs([("q", "%")]).isEmpty, "LIKE wildcards are literal")

            // A box around case 3's point holds exactly the reports inside it.
            let c3 = chosen[3].point
            let box = [c3.x - 0.0004, c3.y - 0.0002, c3.x + 0.0004, c3.y + 0.0002]
            let inBox = expected { let p = chosen[$0].point; return p.x >= box[0] && p.x <= box[2] && p.y >= box[1] && p.y <= box[3] }
            #expect(inBox == [ids[3]])
            #expect(try await crew.listIDs([m, ("bbox", box.map { String($0) }.joined(separator: ","))]) == inBox)

            // Fresh cases are all green; none red.
            #expect(try await crew.listIDs([m, ("light", "green")]) == ids.reversed())
            #expect(try await crew.listIDs([m, ("light", "red")]).isEmpty)

            // Time range on the report time.
            let iso = Date.ISO8601FormatStyle()
            let start = cases[0].createdAt.addingTimeInterval(-60), end = Date().addingTimeInterval(60)
            #expect(try await crew.listIDs([m, ("from", start.formatted(iso)), ("to", end.formatted(iso))]) == ids.reversed())
            #expect(try await crew.listIDs([m, ("from", end.formatted(iso))]).isEmpty)
            #expect(try await crew.listIDs([m, ("to", start.formatted(iso))]).isEmpty)

            // Department staff list only their department's cases.
            #expect(try await crew.listIDs([], as: crew.hw) == [ids[2]])
            #expect(try await crew.listIDs([], as: crew.cgzf).isEmpty)
            #expect(try await crew.listIDs([], as: crew.inspector) == ids.reversed())

            for (query, field) in [([("status", "lost")], "status"), ([("step", "nap")], "step"), ([("light", "blue")], "light"),
                                   ([("limit", "0")], "limit"), ([("limit", "501")], "limit"), ([("bbox", "1,2,3")], "bbox"),
                                   ([("bbox", "3,2,1,4")], "bbox"), ([("cursor", "abc")], "cursor"), ([("from", "yesterday")], "from"),
                                   ([("colour", "red")], "colour")] {
                let r = try await crew.server.get("api/v1/cases", query: query, as: crew.operator_)
                #expect(r.status == 400, "\(query): \(r)")
                #expect(try r.problem().field == field, "\(query)")
            }
        }
    }

    @Test func tasksOfInspectorsAndDepartments() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            func tasks(_ user: Session) async throws -> Set<Int64> {
                let r = try await crew.server.get("api/v1/me/tasks", as: user)
                try #require(r.status == 200, "\(r)")
                return Set(try r.json(TaskItems.self).items.map(\.id))
            }

            // A public report waiting for 核实 (any inspector).
            let verify = try await crew.report(CaseCrew.event("06010", at: p, source: .public_), as: crew.operator_)
            try await crew.act(verify.id, .accept, as: crew.operator_, expect: .verifying)

            // HW cases in several states.
            let dispatched = try await crew.report(CaseCrew.event("06010", at: p))
            try await crew.act(dispatched.id, .accept, as: crew.operator_, expect: .awaitingRegistration)
            try await crew.act(dispatched.id, .register, as: crew.shiftLeader, expect: .awaitingDispatch)
            try await crew.act(dispatched.id, .dispatch, as: crew.dispatcher, expect: .dispatched)
            let handling = try await crew.handling(CaseCrew.event("06010", at: p))
            let hang = try await crew.handling(CaseCrew.event("06010", at: p))
            try await crew.act(hang.id, .requestHang, ActionInput(note: "等待资金"), as: crew.hw, expect: .hangRequested)
            let checkMine = try await crew.handling(CaseCrew.event("06010", at: p))
            try await crew.act(checkMine.id, .finish, ActionInput(note: "完成"), as: crew.hw, expect: .handled)
            try await crew.act(checkMine.id, .sendCheck, ActionInput(inspector: crew.inspector.id), as: crew.operator_, expect: .checking)
            let checkTheirs = try await crew.handling(CaseCrew.event("06010", at: p))
            try await crew.act(checkTheirs.id, .finish, ActionInput(note: "完成"), as: crew.hw, expect: .handled)
            try await crew.act(checkTheirs.id, .sendCheck, ActionInput(inspector: crew.inspector2.id), as: crew.operator_, expect: .checking)
            let closing = try await crew.handling(CaseCrew.event("06010", at: p))
            try await crew.act(closing.id, .finish, ActionInput(note: "完成"), as: crew.hw, expect: .handled)
            try await crew.act(closing.id, .sendCheck, as: crew.operator_, expect: .checking)
            try await crew.act(closing.id, .check, ActionInput(passed: true), as: crew.inspector, expect: .awaitingClose)
            // And one of CGZF's.
            let enforcement = try await crew.handling(CaseCrew.event("07001", at: p), staff: crew.cgzf)

            #expect(try await tasks(crew.inspector) == [verify.id, checkMine.id])
            #expect(try await tasks(crew.inspector2) == [verify.id, checkTheirs.id])
            #expect(try await tasks(crew.hw) == [dispatched.id, handling.id, hang.id])
            #expect(try await tasks(crew.cgzf) == [enforcement.id])
            #expect(try await tasks(crew.dispatcher) == [hang.id])
            #expect(try await tasks(crew.shiftLeader) == [closing.id])
            #expect(try await tasks(crew.admin).isEmpty)

            // Closing removes it from everyone's list.
            try await crew.act(closing.id, .close, as: crew.shiftLeader, expect: .closed)
            #expect(try await tasks(crew.shiftLeader).isEmpty)
        }
    }
}
