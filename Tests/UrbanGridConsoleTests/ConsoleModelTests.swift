import Foundation
import Testing
import UrbanGridCore
@testable import UrbanGridConsole

// The console driven without a terminal: keys in, requests out; answers and events in, screen state out.

@Suite struct ConsoleModelTests {
    func model(_ user: SessionUser = Fixtures.dispatcher, cases: [CaseView]) -> ConsoleModel {
        var m = ConsoleModel(language: .zh, user: user, server: "http://127.0.0.1:8080")
        m.departments = Fixtures.departments
        _ = m.receive(.queue(.success(cases)))
        return m
    }

    static func event(_ seq: Int64, case id: Int64, to status: CaseStatus) -> Inbound {
        let json = """
            {"seq":\(seq),"caseId":\(id),"at":"2026-05-29T08:00:00Z","actor":"leader","actorRole":"shift-leader",
             "action":"register","from":"awaiting-registration","to":"\(status.rawValue)","summaryZh":"立案","summaryEn":"registered"}
            """
        return .stream(.message(SSEMessage(id: String(seq), event: "case", data: json)))
    }

    @Test func theQueueKeepsOnlyTheRolesCases() {
        let m = model(cases: [Fixtures.caseView(id: 1, status: .awaitingDispatch), Fixtures.caseView(id: 2, status: .closed)])
        #expect(m.queue.items.map(\.id) == [1])
        #expect(!m.queueLoading)
    }

    @Test func anEventForANewCaseFetchesItAndTheAnswerJoinsTheQueue() {
        var m = model(cases: [Fixtures.caseView(id: 1)])
        #expect(m.receive(Self.event(10, case: 5, to: .awaitingDispatch)) == [.refreshCase(5)])
        #expect(m.lastEventSeq == 10)
        _ = m.receive(.refreshed(5, .success(Fixtures.caseView(id: 5, light: .red))))
        #expect(m.queue.items.map(\.id) == [5, 1])
        // An event taking a case elsewhere removes it once fetched; unrelated events fetch nothing.
        #expect(m.receive(Self.event(11, case: 5, to: .dispatched)) == [.refreshCase(5)])
        _ = m.receive(.refreshed(5, .success(Fixtures.caseView(id: 5, status: .dispatched, updatedAt: Fixtures.t0 + 1))))
        #expect(m.queue.items.map(\.id) == [1])
        #expect(m.receive(Self.event(12, case: 77, to: .handling)).isEmpty)
    }

    @Test func registerWithKeysSendsTheActionAndTheNote() {
        var m = model(Fixtures.leader, cases: [Fixtures.caseView(id: 4, status: .awaitingRegistration, allowed: [.register, .void])])
        #expect(m.handle(.char("d")).isEmpty)             // not allowed: said on the status line
        #expect(m.status?.isError == true)
        #expect(m.handle(.char("r")).isEmpty)
        guard case .action(let dialog) = m.dialog else { Issue.record("no dialog"); return }
        #expect(dialog.action == .register)
        for c in "属实" { _ = m.handle(.char(c)) }
        #expect(m.handle(.enter) == [.act(4, .register, ActionInput(note: "属实"))])
        #expect(m.dialog == nil)
    }

    @Test func voidNeedsANote() {
        var m = model(Fixtures.leader, cases: [Fixtures.caseView(id: 4, status: .awaitingRegistration, allowed: [.register, .void])])
        _ = m.handle(.char("v"))
        #expect(m.handle(.enter).isEmpty)
        guard case .action(let dialog) = m.dialog else { Issue.record("dialog closed"); return }
        #expect(dialog.error == Label.noteRequired.text(.zh))
        _ = m.handle(.char("重"))
        _ = m.handle(.backspace)
        _ = m.handle(.char("x"))
        #expect(m.handle(.enter) == [.act(4, .void, ActionInput(note: "x"))])
    }

    @Test func dispatchPreselectsTheSuggestedDepartment() {
        var m = model(cases: [Fixtures.caseView(id: 6, suggested: "HW", allowed: [.dispatch, .void])])
        _ = m.handle(.char("d"))
        guard case .action(let dialog) = m.dialog else { Issue.record("no dialog"); return }
        #expect(dialog.chosenDepartment?.code == "HW")
        _ = m.handle(.down)
        #expect(m.handle(.enter) == [.act(6, .dispatch, ActionInput(department: "YL"))])
    }

    @Test func filtersReloadAndMatchLocally() {
        var m = model(cases: [Fixtures.caseView(id: 1, description: "井盖缺失"), Fixtures.caseView(id: 2, type: "占道经营")])
        _ = m.handle(.char("/"))
        for c in "占道" { _ = m.handle(.char(c)) }
        #expect(m.handle(.enter) == [.loadQueue])
        _ = m.receive(.queue(.success([Fixtures.caseView(id: 1, description: "井盖缺失"), Fixtures.caseView(id: 2, type: "占道经营")])))
        #expect(m.queue.items.map(\.id) == [2])
        _ = m.handle(.char("L"))
        _ = m.handle(.down)                                // 全部 → 红灯
        #expect(m.handle(.enter) == [.loadQueue])
        #expect(m.filter.light == .red)
        #expect(m.filter.queryItems(for: .dispatcher).contains(URLQueryItem(name: "light", value: "red")))
        #expect(m.handle(.char("X")) == [.loadQueue])
        #expect(m.filter.isDefault)
    }

    @Test func linkStateAndCatchUp() {
        var m = model(cases: [])
        _ = m.receive(.stream(.connected))
        #expect(m.link == .online)
        _ = m.receive(.stream(.disconnected(.unreachable("connection refused"))))
        _ = m.receive(.stream(.retrying(after: 2)))
        guard case .offline(_, let retry) = m.link else { Issue.record("not offline"); return }
        #expect(retry == 2)
        _ = m.receive(.queue(.failure(.unreachable("connection refused"))))
        // Back with nothing seen before: reload, since there is no event id to resume from.
        #expect(m.receive(.stream(.connected)) == [.loadQueue])
        #expect(m.status == nil)                          // the offline error is gone
        _ = m.receive(Self.event(3, case: 9, to: .handling))
        _ = m.receive(.stream(.disconnected(.unreachable("x"))))
        #expect(m.receive(.stream(.connected)).isEmpty)   // resumes from event 3 instead
    }

    @Test func openingACaseAsksForItAndEscGoesBack() {
        var m = model(cases: [Fixtures.caseView(id: 1), Fixtures.caseView(id: 2, light: .red)])
        #expect(m.handle(.enter) == [.openCase(2)])
        #expect(m.screen == .detail(2))
        _ = m.receive(.map(2, .unavailable("地图不可用")))
        #expect(m.detail?.map == .unavailable("地图不可用"))
        _ = m.handle(.escape)
        #expect(m.screen == .queue && m.detail == nil)
        #expect(m.handle(.char("q")) == [.quit])
        _ = m.handle(.char("?"))
        #expect(m.handle(.interrupt) == [.quit])          // Ctrl-C, even over a dialog
    }

    @Test func serverErrorsBecomeAStatusLine() {
        var m = model(cases: [Fixtures.caseView(id: 1)])
        let problem = Problem("invalid-state", status: 409, title: "x", detail: "not allowed", detailZh: "案卷处于“待派遣”状态,不能立案")
        _ = m.receive(.acted(1, .register, .failure(.problem(problem))))
        #expect(m.status == .init(text: "立案: 案卷处于“待派遣”状态,不能立案", isError: true))
        _ = m.receive(.queue(.failure(.unreachable("connection refused"))))
        #expect(m.status?.text == "无法连接服务器:connection refused")
    }
}
