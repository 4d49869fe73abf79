// The case workflow through HTTP on the real server: the normal path from report to 结案 and each
// special branch (核实, 作废, 回退, 延期, 挂账, 返工, 自处理). Expectations come from gis-data/helsinki
// (rules, calendar, grids, addresses) read by the tests themselves, and from hand reasoning.

import Foundation
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

/// Kaartinkaupunki, the market community with its own 暴露垃圾 rule.
let marketCommunity = "990101001001"

extension CaseCrew {
    /// A point well inside a grid outside the market community, where the citywide rules apply.
    func ordinaryPoint(_ index: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> (point: Point2, grid: AreaFeature) {
        let points = city.interiorPoints { $0["community_code"] != marketCommunity }
        try #require(points.count > index, sourceLocation: sourceLocation)
        return points[index]
    }

    /// Checks that the current step runs from `start` for `limit` on the city calendar.
    func expectStep(_ view: CaseView, _ node: CaseNode, limit: HelsinkiCity.Limit, from start: Date,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        guard let step = view.step else {
            Issue.record("no step in \(view.status.rawValue)", sourceLocation: sourceLocation)
            return
        }
        #expect(step.node == node, sourceLocation: sourceLocation)
        #expect(step.limit == limit.label, sourceLocation: sourceLocation)
        #expect(step.deadline > start, sourceLocation: sourceLocation)
        let range = city.calendar.deadlineRange(start: start, seconds: limit.seconds(city.calendar))
        #expect(range.contains(step.deadline), "\(node.rawValue): deadline \(step.deadline), by hand \(range)",
                sourceLocation: sourceLocation)
        #expect(!step.paused, sourceLocation: sourceLocation)
    }
}

@Suite struct CaseWorkflowTests {
    @Test func normalPathFromReportToClose() async throws {
        try await withCaseServer { crew in
            let city = crew.city
            // 06010 has a citywide rule, an urgent one and one for the market community; an ordinary
            // report outside that community must get the citywide one.
            #expect(city.rules.filter { $0.kind == "event" && $0.code == "06010" }.map(\.id)
                    == ["E-06010", "E-06010-urgent", "E-06010-kaartinkaupunki"])
            let rule = try city.rule("E-06010")
            #expect(rule.department == "HW" && rule.communities == nil && rule.urgent == nil)
            let (p, grid) = try crew.ordinaryPoint()
            let communityCode = try #require(grid["community_code"])
            let community = try #require(city.communities[communityCode])
            let streetCode = try #require(community["street_code"])
            #expect(communityCode.hasPrefix(streetCode) && streetCode.count == 9)

            let before = Date()
            let created = try await crew.report(CaseCrew.event("06010", at: p, description: "人行道上有一堆暴露垃圾"))
            let after = Date()

            // What was reported, where it is, and which rule applies.
            #expect(created.status == .reported && created.statusZh == "待受理")
            #expect(created.kind == .event && created.code == "06010" && created.typeNameZh == "暴露垃圾")
            #expect(created.source == .inspector && !created.urgent && !created.selfHandled)
            #expect(created.description == "人行道上有一堆暴露垃圾")
            #expect(created.lon == p.x && created.lat == p.y)
            #expect(created.grid.code == grid["code"])
            #expect(created.community.code == communityCode && created.community.nameZh == community["name_zh"])
            #expect(created.street.code == streetCode && created.street.nameZh == city.streets[streetCode]?["name_zh"])
            #expect(created.ruleId == "E-06010")
            #expect(created.suggestedDepartment == DepartmentSuggestion(department: "HW", basis: .rule, ruleID: "E-06010"))
            #expect(!created.flaggedForDispatcher && created.department == nil && created.component == nil)
            #expect(created.duplicates.isEmpty)
            #expect(created.reworkCount == 0 && created.reporter == nil)
            #expect(created.allowedActions.isEmpty, "the reporting inspector has nothing to do at 受理")

            // Number: local day in the city's time zone, then the day's running number (first case: 0001).
            #expect(created.createdAt >= before.addingTimeInterval(-1) && created.createdAt <= after.addingTimeInterval(1))
            #expect(created.number == "\(city.calendar.compactDay(created.createdAt))-0001", "\(created.number)")
            #expect(created.number.wholeMatch(of: /[0-9]{8}-[0-9]{4}/) != nil)

            // Reverse geocoding: the nearest door plate of addresses.geojson within 100 m.
            let plates = city.addresses.map { (text: $0.text, d: HelsinkiCity.metres(p, $0.point)) }.sorted { $0.d < $1.d }
            if let nearest = plates.first, nearest.d < 99 {
                let tied = plates.prefix { $0.d < nearest.d + 0.1 }.map(\.text)
                let plate = try #require(created.geocoded?.doorPlate, "\(String(describing: created.geocoded))")
                #expect(tied.contains(plate), "\(plate) vs \(tied) at \(nearest.d) m")
                #expect(abs((created.geocoded?.doorPlateDistanceM ?? -1) - nearest.d) < 0.5)
            }

            // And the nearest named road of roads.geojson within the 100 m search box.
            let roads = city.roads.map { (name: $0.name, d: HelsinkiCity.metres(p, toPaths: $0.paths)) }.sorted { $0.d < $1.d }
            if let nearest = roads.first, nearest.d < 90 {
                let tied = roads.prefix { $0.d < nearest.d + 0.5 }.map(\.name)
                let road = try #require(created.geocoded?.road, "\(String(describing: created.geocoded))")
                #expect(tied.contains(road), "\(road) vs \(tied) at \(nearest.d) m")
            }

            // 受理 step: 0.5 working hours from the report, by the calendar; the light is green.
            crew.expectStep(created, .acceptance, limit: try city.nodeLimit("acceptance"), from: created.createdAt)
            #expect(created.step?.light == .green)
            #expect(created.step.map { $0.remainingSeconds > 0 && $0.elapsedSeconds >= 0 } == true)
            #expect(try await crew.view(created.id, as: crew.operator_).allowedActions == [.accept, .refuse])

            let id = created.id
            let accepted = try await crew.act(id, .accept, as: crew.operator_, expect: .awaitingRegistration)
            crew.expectStep(accepted, .registration, limit: try city.nodeLimit("registration"), from: accepted.updatedAt)
            #expect(try await crew.view(id, as: crew.shiftLeader).allowedActions == [.register, .void])

            let registered = try await crew.act(id, .register, as: crew.shiftLeader, expect: .awaitingDispatch)
            crew.expectStep(registered, .dispatch, limit: try city.nodeLimit("dispatch"), from: registered.updatedAt)
            #expect(try await crew.view(id, as: crew.dispatcher).allowedActions == [.dispatch])

            // 派遣 without a department takes the rule's suggestion; the 处置时限 is the rule's.
            let dispatched = try await crew.act(id, .dispatch, as: crew.dispatcher, expect: .dispatched)
            #expect(dispatched.department == "HW")
            crew.expectStep(dispatched, .handling, limit: rule.limit, from: dispatched.updatedAt)
            #expect(try await crew.view(id, as: crew.hw).allowedActions == [.sign, .requestReturn])

            // 签收 keeps the handling clock running: same deadline.
            let signed = try await crew.act(id, .sign, as: crew.hw, expect: .handling)
            #expect(signed.step?.node == .handling && signed.step?.deadline == dispatched.step?.deadline)
            #expect(signed.allowedActions == [.finish, .requestReturn, .requestExtension, .requestHang])

            let finished = try await crew.act(id, .finish, ActionInput(note: "已清运,地面冲洗干净"), as: crew.hw, expect: .handled)
            crew.expectStep(finished, .checkDispatch, limit: try city.nodeLimit("check_dispatch"), from: finished.updatedAt)

            let sent = try await crew.act(id, .sendCheck, as: crew.operator_, expect: .checking)
            crew.expectStep(sent, .check, limit: try city.nodeLimit("check"), from: sent.updatedAt)
            #expect(try await crew.view(id, as: crew.inspector).allowedActions == [.check])

            let checked = try await crew.act(id, .check, ActionInput(passed: true), as: crew.inspector, expect: .awaitingClose)
            crew.expectStep(checked, .closing, limit: try city.nodeLimit("closing"), from: checked.updatedAt)
            // A passed check leaves nothing to rework.
            #expect(try await crew.view(id, as: crew.shiftLeader).allowedActions == [.close])

            let closed = try await crew.act(id, .close, as: crew.shiftLeader, expect: .closed)
            #expect(closed.step == nil && closed.allowedActions.isEmpty && closed.department == "HW")

            // The timeline: one audit entry per step, in order, with who did it.
            let timeline = try #require(try await crew.view(id).timeline)
            let expected: [(String, Session, CaseStatus?, CaseStatus)] = [
                ("report", crew.inspector, nil, .reported),
                ("accept", crew.operator_, .reported, .awaitingRegistration),
                ("register", crew.shiftLeader, .awaitingRegistration, .awaitingDispatch),
                ("dispatch", crew.dispatcher, .awaitingDispatch, .dispatched),
                ("sign", crew.hw, .dispatched, .handling),
                ("finish", crew.hw, .handling, .handled),
                ("send-check", crew.operator_, .handled, .checking),
                ("check", crew.inspector, .checking, .awaitingClose),
                ("close", crew.shiftLeader, .awaitingClose, .closed),
            ]
            try #require(timeline.count == expected.count, "\(timeline.map(\.action))")
            for (entry, (action, actor, from, to)) in zip(timeline, expected) {
                #expect(entry.caseId == id)
                #expect(entry.action == action)
                #expect(entry.actor == actor.username && entry.actorRole == actor.role, "\(action)")
                #expect(entry.from == from && entry.to == to, "\(action)")
                #expect(entry.at >= before.addingTimeInterval(-1) && entry.at <= Date().addingTimeInterval(1))
            }
            #expect(zip(timeline, timeline.dropFirst()).allSatisfy { $0.seq < $1.seq && $0.at <= $1.at })
            #expect(timeline[0].note == "人行道上有一堆暴露垃圾")
            #expect(timeline[3].department == "HW")
            #expect(timeline[5].note == "已清运,地面冲洗干净")
        }
    }

    /// The narrower rule wins: the market community has its own, shorter 暴露垃圾 limit; an urgent
    /// report elsewhere gets the urgent rule; a matter without any rule is flagged for the dispatcher.
    @Test func dispatchRulesFromTheFile() async throws {
        try await withCaseServer { crew in
            let city = crew.city
            let (market, _) = try #require(city.interiorPoints { $0["community_code"] == marketCommunity }.first)
            let (elsewhere, _) = try crew.ordinaryPoint(1)

            let local = try await crew.report(CaseCrew.event("06010", at: market))
            let localRule = try city.rule("E-06010-kaartinkaupunki")
            #expect(local.community.code == marketCommunity)
            #expect(local.ruleId == localRule.id && local.suggestedDepartment?.department == localRule.department)

            let urgent = try await crew.report(CaseCrew.event("06010", at: elsewhere, urgent: true))
            let urgentRule = try city.rule("E-06010-urgent")
            #expect(urgent.urgent && urgent.ruleId == urgentRule.id)

            // 06013 道路破损 → JT, 5 working days; dispatched, the handling limit is the rule's in 工作日.
            let road = try await crew.report(CaseCrew.event("06013", at: elsewhere))
            let roadRule = try city.rule("E-06013")
            #expect(road.ruleId == roadRule.id && road.suggestedDepartment?.department == "JT")
            try await crew.act(road.id, .accept, as: crew.operator_, expect: .awaitingRegistration)
            try await crew.act(road.id, .register, as: crew.shiftLeader, expect: .awaitingDispatch)
            let dispatched = try await crew.act(road.id, .dispatch, as: crew.dispatcher, expect: .dispatched)
            #expect(dispatched.department == "JT")
            crew.expectStep(dispatched, .handling, limit: roadRule.limit, from: dispatched.updatedAt)

            // 06002 has no rule in the file: no suggestion, flagged; 派遣 then needs a department.
            #expect(!city.rules.contains { $0.code == "06002" })
            let unruled = try await crew.report(CaseCrew.event("06002", at: elsewhere))
            #expect(unruled.ruleId == nil && unruled.suggestedDepartment == nil && unruled.flaggedForDispatcher)
            try await crew.act(unruled.id, .accept, as: crew.operator_, expect: .awaitingRegistration)
            try await crew.act(unruled.id, .register, as: crew.shiftLeader, expect: .awaitingDispatch)
            let missing = try await crew.server.act(unruled.id, .dispatch, as: crew.dispatcher)
            expectProblem(missing, 400)
            #expect(try missing.problem().field == "department")
            let fallback = try await crew.act(unruled.id, .dispatch, ActionInput(department: "CGZF"), as: crew.dispatcher,
                                              expect: .dispatched)
            // Without a rule the handling limit is node_limits.handling.
            crew.expectStep(fallback, .handling, limit: try city.nodeLimit("handling"), from: fallback.updatedAt)
        }
    }

    @Test func publicReportIsVerifiedOnSiteAndReporterContactStaysWithTheCentre() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let phone = "13800138000", name = "张晓梅"
            let intake = CaseCrew.event("06010", at: p, description: "公众举报:路边垃圾", source: .public_,
                                        reporter: .init(name: name, phone: phone))
            let created = try await crew.report(intake, as: crew.operator_)
            #expect(created.status == .reported && created.source == .public_)
            #expect(created.reporter == CaseIntake.Reporter(name: name, phone: phone), "the operator entered it")

            let verifying = try await crew.act(created.id, .accept, as: crew.operator_, expect: .verifying)
            crew.expectStep(verifying, .verification, limit: try crew.city.nodeLimit("verification"), from: verifying.updatedAt)
            // Any inspector may verify an unassigned report; it is in their task list.
            let tasks = try await crew.server.get("api/v1/me/tasks", as: crew.inspector2)
            #expect(try tasks.json(TaskItems.self).items.map(\.id) == [created.id])

            // The inspector sees no personal data, anywhere in the answer.
            let asInspector = try await crew.server.fetchCase(created.id, as: crew.inspector)
            #expect(asInspector.status == 200)
            #expect(try asInspector.json(CaseView.self).reporter == nil)
            #expect(!asInspector.text.contains(phone) && !asInspector.text.contains(name), "\(asInspector)")
            #expect(try asInspector.json(CaseView.self).allowedActions == [.verify])

            let noOutcome = try await crew.server.act(created.id, .verify, as: crew.inspector)
            expectProblem(noOutcome, 400, field: "passed")
            let verified = try await crew.act(created.id, .verify, ActionInput(note: "现场属实", passed: true), as: crew.inspector,
                                              expect: .awaitingRegistration)
            crew.expectStep(verified, .registration, limit: try crew.city.nodeLimit("registration"), from: verified.updatedAt)
            try await crew.act(created.id, .register, as: crew.shiftLeader, expect: .awaitingDispatch)
            try await crew.act(created.id, .dispatch, as: crew.dispatcher, expect: .dispatched)

            // The centre's roles see the contact; the department does not.
            for user in [crew.operator_, crew.dispatcher, crew.shiftLeader] {
                #expect(try await crew.view(created.id, as: user).reporter == CaseIntake.Reporter(name: name, phone: phone), "\(user)")
            }
            let asDepartment = try await crew.server.fetchCase(created.id, as: crew.hw)
            #expect(asDepartment.status == 200)
            #expect(try asDepartment.json(CaseView.self).reporter == nil)
            #expect(!asDepartment.text.contains(phone) && !asDepartment.text.contains(name))
            let listed = try await crew.server.get("api/v1/cases", as: crew.inspector)
            #expect(listed.status == 200 && !listed.text.contains(phone) && !listed.text.contains(name))

            let timeline = try #require(try await crew.view(created.id).timeline)
            #expect(timeline.map(\.action) == ["report", "accept", "verify", "register", "dispatch"])
            #expect(timeline[0].actor == crew.operator_.username && timeline[2].actor == crew.inspector.username)
            #expect(timeline.map(\.to) == [.reported, .verifying, .awaitingRegistration, .awaitingDispatch, .dispatched])

            // Not confirmed on site: 不予受理, the end of it.
            let second = try await crew.report(CaseCrew.event("06010", at: p, source: .public_), as: crew.operator_)
            try await crew.act(second.id, .accept, as: crew.operator_, expect: .verifying)
            let refused = try await crew.act(second.id, .verify, ActionInput(note: "现场未发现", passed: false), as: crew.inspector2,
                                             expect: .refused)
            #expect(refused.step == nil && refused.allowedActions.isEmpty)
            let again = try await crew.server.act(second.id, .accept, as: crew.operator_)
            expectProblem(again, 409, kind: "invalid-state")

            // Hotline reports are verified too; department and inspector reports are not.
            let hotline = try await crew.report(CaseCrew.event("06010", at: p, source: .hotline), as: crew.operator_)
            try await crew.act(hotline.id, .accept, as: crew.operator_, expect: .verifying)
            let fromDepartment = try await crew.report(CaseCrew.event("06010", at: p, source: .department), as: crew.operator_)
            try await crew.act(fromDepartment.id, .accept, as: crew.operator_, expect: .awaitingRegistration)
        }
    }

    @Test func shiftLeaderVoidsARegistrationWithANote() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.report(CaseCrew.event("06010", at: p))
            try await crew.act(c.id, .accept, as: crew.operator_, expect: .awaitingRegistration)

            let noNote = try await crew.server.act(c.id, .void, ActionInput(note: "   "), as: crew.shiftLeader)
            expectProblem(noNote, 400, field: "note")
            let byDispatcher = try await crew.server.act(c.id, .void, ActionInput(note: "重复"), as: crew.dispatcher)
            expectProblem(byDispatcher, 403, kind: "forbidden")

            let voided = try await crew.act(c.id, .void, ActionInput(note: "与 0001 号重复"), as: crew.shiftLeader, expect: .voided)
            #expect(voided.statusZh == "作废" && voided.step == nil && voided.allowedActions.isEmpty)
            let register = try await crew.server.act(c.id, .register, as: crew.shiftLeader)
            expectProblem(register, 409, kind: "invalid-state")
            let timeline = try #require(voided.timeline)
            #expect(timeline.last?.action == "void" && timeline.last?.note == "与 0001 号重复")
            #expect(timeline.last?.from == .awaitingRegistration && timeline.last?.to == .voided)
            #expect(timeline.last?.actor == crew.shiftLeader.username)

            // A registered case may still be voided before it is dispatched.
            let d = try await crew.report(CaseCrew.event("06010", at: p))
            try await crew.act(d.id, .accept, as: crew.operator_, expect: .awaitingRegistration)
            try await crew.act(d.id, .register, as: crew.shiftLeader, expect: .awaitingDispatch)
            try await crew.act(d.id, .void, ActionInput(note: "非城管事项"), as: crew.shiftLeader, expect: .voided)
        }
    }

    @Test func returnedCaseIsDispatchedToAnotherDepartment() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.handling(CaseCrew.event("06010", at: p))
            #expect(c.department == "HW")

            let noNote = try await crew.server.act(c.id, .requestReturn, as: crew.hw)
            expectProblem(noNote, 400, field: "note")
            let requested = try await crew.act(c.id, .requestReturn, ActionInput(note: "属执法局职责"), as: crew.hw,
                                               expect: .returnRequested)
            // The request does not stop or restart the handling clock.
            #expect(requested.step?.node == .handling && requested.step?.deadline == c.step?.deadline)
            #expect(requested.allowedActions.isEmpty, "nothing to do for the department while it waits")
            #expect(try await crew.view(c.id, as: crew.dispatcher).allowedActions == [.approve, .deny])

            let approved = try await crew.act(c.id, .approve, as: crew.dispatcher, expect: .awaitingDispatch)
            #expect(approved.department == nil)
            crew.expectStep(approved, .dispatch, limit: try crew.city.nodeLimit("dispatch"), from: approved.updatedAt)
            // No longer HW's case: it does not exist for them.
            let gone = try await crew.server.fetchCase(c.id, as: crew.hw)
            expectProblem(gone, 404, kind: "not-found")

            let redispatched = try await crew.act(c.id, .dispatch, ActionInput(department: "CGZF"), as: crew.dispatcher,
                                                  expect: .dispatched)
            #expect(redispatched.department == "CGZF")
            crew.expectStep(redispatched, .handling, limit: try crew.city.rule("E-06010").limit, from: redispatched.updatedAt)
            let hwSign = try await crew.server.act(c.id, .sign, as: crew.hw)
            expectProblem(hwSign, 404, kind: "not-found")
            try await crew.act(c.id, .sign, as: crew.cgzf, expect: .handling)

            let timeline = try #require(try await crew.view(c.id).timeline)
            #expect(timeline.map(\.action) == ["report", "accept", "register", "dispatch", "sign", "request-return",
                                               "approve", "dispatch", "sign"])
            #expect(timeline.map(\.department) == [nil, nil, nil, "HW", "HW", "HW", nil, "CGZF", "CGZF"])
            #expect(timeline[5].note == "属执法局职责" && timeline[5].actor == crew.hw.username)
            #expect(timeline[8].actor == crew.cgzf.username)
        }
    }

    @Test func extensionMovesTheDeadlineByTheGrantedWorkingHours() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.handling(CaseCrew.event("06010", at: p))
            let before = try #require(c.step)

            let noHours = try await crew.server.act(c.id, .requestExtension, ActionInput(note: "需调车"), as: crew.hw)
            expectProblem(noHours, 400, field: "hours")
            let negative = try await crew.server.act(c.id, .requestExtension, ActionInput(note: "需调车", hours: -8), as: crew.hw)
            expectProblem(negative, 400, field: "hours")

            // Denied: back to handling, deadline as it was.
            try await crew.act(c.id, .requestExtension, ActionInput(note: "需调车", hours: 8), as: crew.hw, expect: .extensionRequested)
            let denied = try await crew.act(c.id, .deny, as: crew.dispatcher, expect: .handling)
            #expect(denied.step?.deadline == before.deadline)

            let requested = try await crew.act(c.id, .requestExtension, ActionInput(note: "需调大型清运车", hours: 8), as: crew.hw,
                                               expect: .extensionRequested)
            #expect(requested.step?.deadline == before.deadline, "asking changes nothing yet")
            let tooMuch = try await crew.server.act(c.id, .approve, ActionInput(hours: 10), as: crew.dispatcher)
            expectProblem(tooMuch, 400, field: "hours", "more than asked")
            let byStaff = try await crew.server.act(c.id, .approve, as: crew.hw)
            expectProblem(byStaff, 403, kind: "forbidden")

            let approved = try await crew.act(c.id, .approve, as: crew.dispatcher, expect: .handling)
            let after = try #require(approved.step)
            #expect(after.node == .handling && after.limit == before.limit)
            #expect(after.deadline > before.deadline)
            // 8 working hours after the old deadline, on the calendar (not 8 clock hours).
            let range = crew.city.calendar.deadlineRange(start: before.deadline, seconds: 8 * 3600)
            #expect(range.contains(after.deadline), "\(after.deadline) vs \(range)")
            #expect(abs((after.remainingSeconds - before.remainingSeconds) - 8 * 3600) < 600, "\(before.remainingSeconds) → \(after.remainingSeconds)")

            let timeline = try #require(approved.timeline)
            #expect(timeline.suffix(4).map(\.action) == ["request-extension", "deny", "request-extension", "approve"])
            #expect(timeline.suffix(4).map(\.to) == [.extensionRequested, .handling, .extensionRequested, .handling])
        }
    }

    @Test func hungCaseStopsItsClockUntilResumed() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.handling(CaseCrew.event("06010", at: p))

            let noNote = try await crew.server.act(c.id, .requestHang, as: crew.hw)
            expectProblem(noNote, 400, field: "note")
            let requested = try await crew.act(c.id, .requestHang, ActionInput(note: "待冬季过后施工"), as: crew.hw,
                                               expect: .hangRequested)
            #expect(requested.step?.paused == false)
            let hung = try await crew.act(c.id, .approve, as: crew.dispatcher, expect: .hung)
            let paused = try #require(hung.step)
            #expect(paused.paused && paused.node == .handling)
            #expect(try await crew.view(c.id, as: crew.dispatcher).allowedActions == [.resume])

            // While hung no working time is used, whatever the hour.
            try await Task.sleep(for: .milliseconds(1200))
            let later = try #require(try await crew.view(c.id).step)
            // (Equal but for rounding: elapsed is working time to now minus working time paused until now.)
            #expect(later.paused && abs(later.elapsedSeconds - paused.elapsedSeconds) < 0.01,
                    "\(paused.elapsedSeconds) → \(later.elapsedSeconds)")
            #expect(abs(later.remainingSeconds - paused.remainingSeconds) < 0.01)
            let finish = try await crew.server.act(c.id, .finish, ActionInput(note: "完成"), as: crew.hw)
            expectProblem(finish, 409, kind: "invalid-state")

            let resumed = try await crew.act(c.id, .resume, as: crew.dispatcher, expect: .handling)
            #expect(resumed.step?.paused == false && resumed.step?.node == .handling && resumed.step?.limit == paused.limit)
            let twice = try await crew.server.act(c.id, .resume, as: crew.dispatcher)
            expectProblem(twice, 409, kind: "invalid-state")
            try await crew.act(c.id, .finish, ActionInput(note: "已处置"), as: crew.hw, expect: .handled)

            let timeline = try #require(try await crew.view(c.id).timeline)
            #expect(timeline.map(\.action).suffix(4) == ["request-hang", "approve", "resume", "finish"])
            #expect(timeline.map(\.to).suffix(4) == [.hangRequested, .hung, .handling, .handled])
        }
    }

    @Test func failedCheckGoesBackToTheSameDepartmentAsRework() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.handling(CaseCrew.event("06010", at: p))
            try await crew.act(c.id, .finish, ActionInput(note: "已清理"), as: crew.hw, expect: .handled)
            // The check is sent to inspector2: only they may do it.
            try await crew.act(c.id, .sendCheck, ActionInput(inspector: crew.inspector2.id), as: crew.operator_, expect: .checking)
            let notTheirs = try await crew.server.act(c.id, .check, ActionInput(passed: true), as: crew.inspector)
            expectProblem(notTheirs, 403, kind: "forbidden")
            let failed = try await crew.act(c.id, .check, ActionInput(note: "仍有残留垃圾", passed: false), as: crew.inspector2,
                                            expect: .awaitingClose)
            #expect(failed.reworkCount == 0)
            #expect(try await crew.view(c.id, as: crew.shiftLeader).allowedActions == [.close, .rework])

            let rework = try await crew.act(c.id, .rework, as: crew.shiftLeader, expect: .dispatched)
            #expect(rework.department == "HW" && rework.reworkCount == 1)
            // A fresh 处置时限 from the rework.
            crew.expectStep(rework, .handling, limit: try crew.city.rule("E-06010").limit, from: rework.updatedAt)
            #expect(try await crew.view(c.id, as: crew.hw).allowedActions == [.sign, .requestReturn])

            try await crew.act(c.id, .sign, as: crew.hw, expect: .handling)
            try await crew.act(c.id, .finish, ActionInput(note: "残留已清除"), as: crew.hw, expect: .handled)
            try await crew.act(c.id, .sendCheck, as: crew.operator_, expect: .checking)
            try await crew.act(c.id, .check, ActionInput(passed: true), as: crew.inspector, expect: .awaitingClose)
            let again = try await crew.server.act(c.id, .rework, as: crew.shiftLeader)
            expectProblem(again, 409, kind: "invalid-state", "no rework after a passed check")
            let closed = try await crew.act(c.id, .close, as: crew.shiftLeader, expect: .closed)
            #expect(closed.reworkCount == 1)

            let timeline = try #require(closed.timeline)
            let rw = try #require(timeline.first { $0.action == "rework" })
            #expect(rw.from == .awaitingClose && rw.to == .dispatched && rw.department == "HW" && rw.actor == crew.shiftLeader.username)
            #expect(timeline.filter { $0.action == "check" }.map(\.actor) == [crew.inspector2.username, crew.inspector.username])
        }
    }

    @Test func selfHandledReportGoesStraightToClosing() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.report(CaseCrew.event("07001", at: p, description: "小广告已当场清除", selfHandled: true))
            #expect(c.status == .awaitingClose && c.selfHandled && c.department == nil)
            crew.expectStep(c, .closing, limit: try crew.city.nodeLimit("closing"), from: c.createdAt)
            let timeline = try #require(c.timeline)
            #expect(timeline.count == 1 && timeline[0].action == "self-handle" && timeline[0].from == nil && timeline[0].to == .awaitingClose)

            // No department did anything, so there is nothing to rework.
            #expect(try await crew.view(c.id, as: crew.shiftLeader).allowedActions == [.close])
            let rework = try await crew.server.act(c.id, .rework, as: crew.shiftLeader)
            expectProblem(rework, 409, kind: "invalid-state")
            let closed = try await crew.act(c.id, .close, as: crew.shiftLeader, expect: .closed)
            #expect(closed.step == nil && closed.selfHandled)

            // Only an inspector reporting as such may self-handle.
            let byOperator = try await crew.server.report(CaseCrew.event("07001", at: p, selfHandled: true), as: crew.operator_)
            expectProblem(byOperator, 403, field: "selfHandled")
            let asHotline = try await crew.server.report(CaseCrew.event("07001", at: p, source: .hotline, selfHandled: true),
                                                         as: crew.inspector)
            expectProblem(asHotline, 400, field: "source")
        }
    }
}

/// `GET /api/v1/me/tasks`.
struct TaskItems: Decodable { var items: [CaseView] }

/// `GET /api/v1/cases`.
struct CasePage: Decodable { var items: [CaseView]; var next: String? }
