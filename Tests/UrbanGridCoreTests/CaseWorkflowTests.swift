import Foundation
import Testing
@testable import UrbanGridCore

// The case workflow of standards §4 and issue 3, driven step by step with the role that owns each step.

private let operatorA = CaseActor(role: .operator_, userID: 1)
private let inspector7 = CaseActor(role: .inspector, userID: 7)
private let inspector8 = CaseActor(role: .inspector, userID: 8)
private let leader = CaseActor(role: .shiftLeader, userID: 2)
private let dispatcher = CaseActor(role: .dispatcher, userID: 3)
private let staffHW = CaseActor(role: .departmentStaff, userID: 4, departmentCode: "HW")
private let staffYL = CaseActor(role: .departmentStaff, userID: 5, departmentCode: "YL")
private let admin = CaseActor(role: .admin, userID: 9)

/// The error an action fails with, or nil when it succeeds.
private func failure(_ action: CaseAction, _ state: CaseState, _ actor: CaseActor,
                     _ input: ActionInput = ActionInput()) -> WorkflowError? {
    do {
        _ = try CaseWorkflow.apply(action, to: state, by: actor, input: input)
        return nil
    } catch {
        return error
    }
}

/// Applies a chain of steps, checking each lands where expected; returns the last transition.
@discardableResult
private func run(_ state: inout CaseState, _ steps: [(CaseAction, CaseActor, ActionInput, CaseStatus)],
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> Transition? {
    var last: Transition?
    for (action, actor, input, expected) in steps {
        let t = try CaseWorkflow.apply(action, to: state, by: actor, input: input)
        #expect(t.from == state.status, sourceLocation: sourceLocation)
        #expect(t.to == expected, "\(action.rawValue)", sourceLocation: sourceLocation)
        #expect(t.state.status == expected, sourceLocation: sourceLocation)
        state = t.state
        last = t
    }
    return last
}

private let none = ActionInput()
private func note(_ text: String = "说明") -> ActionInput { ActionInput(note: text) }

/// A case dispatched to HW and signed for: the starting point of the department branches.
private func handlingCase() throws -> CaseState {
    var s = try CaseWorkflow.initialState(source: .inspector, selfHandled: false, reporterRole: .inspector)
    try run(&s, [(.accept, operatorA, none, .awaitingRegistration),
                 (.register, leader, none, .awaitingDispatch),
                 (.dispatch, dispatcher, ActionInput(department: "HW"), .dispatched),
                 (.sign, staffHW, none, .handling)])
    return s
}

@Suite struct CaseVocabularyTests {
    @Test func actionNamesAreTheAPIs() {
        #expect(CaseAction.allCases.map(\.rawValue) == [
            "accept", "refuse", "verify", "register", "void", "dispatch", "sign", "finish", "request-return",
            "request-extension", "request-hang", "approve", "deny", "resume", "send-check", "check", "close",
            "rework",
        ])
    }

    @Test func statusNamesAreKebabCase() {
        #expect(CaseStatus.allCases.map(\.rawValue) == [
            "reported", "verifying", "awaiting-registration", "awaiting-dispatch", "dispatched", "handling",
            "return-requested", "extension-requested", "hang-requested", "hung", "handled", "checking",
            "awaiting-close", "closed", "voided", "refused",
        ])
        #expect(CaseSource.allCases.map(\.rawValue) == ["inspector", "hotline", "public", "department"])
        #expect(CaseKind.allCases.map(\.rawValue) == ["component", "event"])
    }

    @Test func terminalStatusesHaveNoNodeAndNoActions() {
        for status in CaseStatus.allCases {
            #expect(status.isTerminal == (status.node == nil))
            if status.isTerminal { #expect(CaseWorkflow.table[status] == nil) }
        }
    }

    @Test func everyActionHasExactlyOneRoleAndAdminNone() {
        for action in CaseAction.allCases {
            let roles = CaseWorkflow.permissions.filter { $0.action == action }.map(\.role)
            #expect(roles.count == 1, "\(action)")
        }
        #expect(!CaseWorkflow.permissions.contains { $0.role == .admin })
    }
}

@Suite struct CaseWorkflowPathTests {
    @Test func normalPathOfAnInspectorReport() throws {
        var s = try CaseWorkflow.initialState(source: .inspector, selfHandled: false, reporterRole: .inspector)
        #expect(s == CaseState(status: .reported, source: .inspector))
        var clocks: [ClockEffect] = []
        let steps: [(CaseAction, CaseActor, ActionInput, CaseStatus)] = [
            (.accept, operatorA, none, .awaitingRegistration),
            (.register, leader, none, .awaitingDispatch),
            (.dispatch, dispatcher, ActionInput(department: " HW "), .dispatched),
            (.sign, staffHW, none, .handling),
            (.finish, staffHW, note("已清运"), .handled),
            (.sendCheck, operatorA, ActionInput(inspector: 7), .checking),
            (.check, inspector7, ActionInput(passed: true), .awaitingClose),
            (.close, leader, none, .closed),
        ]
        for (action, actor, input, expected) in steps {
            let t = try CaseWorkflow.apply(action, to: s, by: actor, input: input)
            #expect(t.to == expected)
            clocks.append(t.clock)
            s = t.state
        }
        #expect(clocks == [.start(.registration), .start(.dispatch), .start(.handling), .keep,
                           .start(.checkDispatch), .start(.check), .start(.closing), .stop])
        #expect(s.department == "HW")  // trimmed
        #expect(s.reworkCount == 0 && !s.checkFailed && s.inspector == nil)
    }

    @Test func auditSummaryAndNote() throws {
        let s = CaseState(status: .awaitingDispatch, source: .inspector)
        let t = try CaseWorkflow.apply(.dispatch, to: s, by: dispatcher,
                                       input: ActionInput(note: "  请尽快  ", department: "HW"))
        #expect(t.summaryZh == "派遣至 HW")
        #expect(t.summaryEn == "dispatched to HW")
        #expect(t.note == "请尽快")
        #expect(t.action == .dispatch && t.from == .awaitingDispatch && t.to == .dispatched)
    }

    @Test func publicReportIsVerifiedFirst() throws {
        var s = try CaseWorkflow.initialState(source: .public_, selfHandled: false, reporterRole: .operator_)
        let accepted = try #require(try run(&s, [(.accept, operatorA, ActionInput(inspector: 7), .verifying)]))
        #expect(accepted.clock == .start(.verification))
        #expect(s.inspector == 7)
        // Only the assigned inspector may verify, and must say whether it passed.
        #expect(failure(.verify, s, inspector8, ActionInput(passed: true)) == .notAssigned(.verify))
        #expect(failure(.verify, s, inspector7) == .missingInput("passed"))
        var failed = s
        try run(&failed, [(.verify, inspector7, ActionInput(passed: false), .refused)])
        try run(&s, [(.verify, inspector7, ActionInput(passed: true), .awaitingRegistration)])
        #expect(s.inspector == nil)
    }

    @Test func hotlineReportWithoutAssignedInspectorMayBeVerifiedByAnyInspector() throws {
        var s = try CaseWorkflow.initialState(source: .hotline, selfHandled: false, reporterRole: .operator_)
        try run(&s, [(.accept, operatorA, none, .verifying),
                     (.verify, inspector8, ActionInput(passed: true), .awaitingRegistration)])
    }

    @Test func departmentReportSkipsVerification() throws {
        var s = try CaseWorkflow.initialState(source: .department, selfHandled: false, reporterRole: .operator_)
        try run(&s, [(.accept, operatorA, none, .awaitingRegistration)])
    }

    @Test func refuseAndVoidNeedAReason() throws {
        let reported = CaseState(status: .reported, source: .hotline)
        #expect(failure(.refuse, reported, operatorA, ActionInput(note: "  ")) == .missingInput("note"))
        var r = reported
        try run(&r, [(.refuse, operatorA, note("非城管职责"), .refused)])

        for status in [CaseStatus.awaitingRegistration, .awaitingDispatch] {
            var s = CaseState(status: status, source: .inspector)
            #expect(failure(.void, s, leader) == .missingInput("note"))
            let t = try #require(try run(&s, [(.void, leader, note("重复上报"), .voided)]))
            #expect(t.clock == .stop)
        }
        // Once dispatched, a case can no longer be voided.
        #expect(failure(.void, try handlingCase(), leader, note()) == .notAllowedInState(.void, .handling))
    }

    @Test func returnAndRedispatch() throws {
        // A department may send back a wrongly dispatched case before signing for it.
        var s = CaseState(status: .dispatched, source: .inspector, department: "HW")
        #expect(failure(.requestReturn, s, staffHW) == .missingInput("note"))
        try run(&s, [(.requestReturn, staffHW, note("非本单位职责"), .returnRequested)])
        #expect(s.pendingRequest == .return_)
        let approved = try #require(try run(&s, [(.approve, dispatcher, none, .awaitingDispatch)]))
        #expect(approved.clock == .start(.dispatch))
        #expect(s.department == nil && s.pendingRequest == nil && s.returnCount == 1)
        try run(&s, [(.dispatch, dispatcher, ActionInput(department: "YL"), .dispatched),
                     (.sign, staffYL, none, .handling)])
        #expect(failure(.finish, s, staffHW, note()) == .notAssigned(.finish))
    }

    @Test func deniedReturnCountsAsSigned() throws {
        var s = CaseState(status: .dispatched, source: .inspector, department: "HW")
        try run(&s, [(.requestReturn, staffHW, note("非本单位职责"), .returnRequested)])
        let t = try #require(try run(&s, [(.deny, dispatcher, note("属环卫职责"), .handling)]))
        #expect(t.clock == .keep && t.summaryZh == "不同意回退")
        #expect(s.pendingRequest == nil && s.department == "HW" && s.returnCount == 0)
    }

    @Test func extensionAddsGrantedHours() throws {
        var s = try handlingCase()
        #expect(failure(.requestExtension, s, staffHW, note()) == .missingInput("hours"))
        #expect(failure(.requestExtension, s, staffHW, ActionInput(note: "x", hours: 0))
                == .invalidInput("hours", reason: "must be a positive number of working hours"))
        let asked = try #require(try run(&s, [(.requestExtension, staffHW, ActionInput(note: "需调机械", hours: 8),
                                               .extensionRequested)]))
        #expect(asked.summaryZh == "申请延期 8 工作时")
        #expect(s.requestedHours == 8 && s.pendingRequest == .extension)
        // The dispatcher may grant less than asked, never more.
        if case .invalidInput("hours", _)? = failure(.approve, s, dispatcher, ActionInput(hours: 9)) {} else {
            Issue.record("granting more than asked must fail")
        }
        let granted = try #require(try run(&s, [(.approve, dispatcher, ActionInput(hours: 4.5), .handling)]))
        #expect(granted.clock == .extend(hours: 4.5))
        #expect(granted.summaryZh == "同意延期 4.5 工作时")
        #expect(s.extensionHours == 4.5 && s.extensionCount == 1 && s.requestedHours == nil)
        // A second request granted in full adds up.
        try run(&s, [(.requestExtension, staffHW, ActionInput(note: "再延", hours: 2), .extensionRequested),
                     (.approve, dispatcher, none, .handling)])
        #expect(s.extensionHours == 6.5 && s.extensionCount == 2)
        // Denied: back to handling, nothing added.
        try run(&s, [(.requestExtension, staffHW, ActionInput(note: "再延", hours: 2), .extensionRequested),
                     (.deny, dispatcher, none, .handling)])
        #expect(s.extensionHours == 6.5 && s.extensionCount == 2)
    }

    @Test func hangStopsTheClockUntilResumed() throws {
        var s = try handlingCase()
        #expect(failure(.requestHang, s, staffHW) == .missingInput("note"))
        let steps: [(CaseAction, CaseActor, ActionInput, CaseStatus)] = [
            (.requestHang, staffHW, note("待资金下达"), .hangRequested),
            (.approve, dispatcher, none, .hung),
            (.resume, dispatcher, none, .handling),
        ]
        var effects: [ClockEffect] = []
        for step in steps { effects.append(try #require(try run(&s, [step])).clock) }
        #expect(effects == [.keep, .pause, .resume])
        #expect(s.hangCount == 1)
        // Nothing but resume moves a hung case.
        let hung = CaseState(status: .hung, source: .inspector, department: "HW")
        #expect(CaseWorkflow.allowedActions(state: hung, actor: staffHW) == [])
        #expect(CaseWorkflow.allowedActions(state: hung, actor: dispatcher) == [.resume])
    }

    @Test func failedCheckThenReworkToTheSameDepartment() throws {
        var s = try handlingCase()
        try run(&s, [(.finish, staffHW, note("已修复"), .handled),
                     (.sendCheck, operatorA, none, .checking),
                     (.check, inspector8, ActionInput(passed: false), .awaitingClose)])
        #expect(s.checkFailed)
        #expect(CaseWorkflow.allowedActions(state: s, actor: leader) == [.close, .rework])
        let rework = try #require(try run(&s, [(.rework, leader, none, .dispatched)]))
        #expect(rework.clock == .start(.handling))
        #expect(rework.summaryZh == "返工,重新派遣至 HW(第 1 次)")
        #expect(s.department == "HW" && s.reworkCount == 1 && !s.checkFailed)
        try run(&s, [(.sign, staffHW, none, .handling),
                     (.finish, staffHW, note("已重新修复"), .handled),
                     (.sendCheck, operatorA, ActionInput(inspector: 7), .checking)])
        #expect(failure(.check, s, inspector8, ActionInput(passed: true)) == .notAssigned(.check))
        try run(&s, [(.check, inspector7, ActionInput(passed: true), .awaitingClose)])
        #expect(failure(.rework, s, leader) == .notAllowedInState(.rework, .awaitingClose))
        #expect(CaseWorkflow.allowedActions(state: s, actor: leader) == [.close])
        try run(&s, [(.close, leader, none, .closed)])
        #expect(s.reworkCount == 1)
    }

    @Test func failedCheckMayStillBeClosed() throws {
        var s = CaseState(status: .awaitingClose, source: .inspector, department: "HW", checkFailed: true)
        try run(&s, [(.close, leader, note("问题已由其他单位解决"), .closed)])
    }

    @Test func selfHandledGoesStraightToClosing() throws {
        var s = try CaseWorkflow.initialState(source: .inspector, selfHandled: true, reporterRole: .inspector)
        #expect(s.status == .awaitingClose && s.selfHandled)
        #expect(CaseWorkflow.allowedActions(state: s, actor: leader) == [.close])
        try run(&s, [(.close, leader, none, .closed)])
    }

    @Test func whoMayReport() {
        func initial(_ source: CaseSource, _ selfHandled: Bool, _ role: Role) -> WorkflowError? {
            do {
                _ = try CaseWorkflow.initialState(source: source, selfHandled: selfHandled, reporterRole: role)
                return nil
            } catch {
                return error
            }
        }
        #expect(initial(.hotline, false, .operator_) == nil)
        #expect(initial(.inspector, false, .dispatcher) == .reportForbidden(.dispatcher, selfHandled: false))
        #expect(initial(.inspector, true, .operator_) == .reportForbidden(.operator_, selfHandled: true))
        #expect(initial(.public_, true, .inspector)
                == .invalidInput("source", reason: "a self-handled case is an inspector report"))
        #expect(initial(.inspector, true, .operator_)?.httpStatus == 403)
    }
}

@Suite struct CaseWorkflowDenialTests {
    @Test func roleIsCheckedBeforeStatus() throws {
        let reported = CaseState(status: .reported, source: .inspector)
        #expect(failure(.accept, reported, dispatcher) == .forbiddenForRole(.accept, .dispatcher))
        // A dispatcher never registers, whatever the status: 403, not 409.
        #expect(failure(.register, CaseState(status: .handling, source: .inspector), dispatcher)
                == .forbiddenForRole(.register, .dispatcher))
        // The right role in the wrong status: 409.
        #expect(failure(.accept, try handlingCase(), operatorA) == .notAllowedInState(.accept, .handling))
        #expect(failure(.close, CaseState(status: .closed, source: .inspector), leader)
                == .notAllowedInState(.close, .closed))
    }

    @Test func adminHasNoBypass() throws {
        for status in CaseStatus.allCases {
            let s = CaseState(status: status, source: .inspector, department: "HW", checkFailed: true)
            #expect(CaseWorkflow.allowedActions(state: s, actor: admin) == [])
        }
        #expect(failure(.close, CaseState(status: .awaitingClose, source: .inspector), admin)
                == .forbiddenForRole(.close, .admin))
    }

    @Test func otherDepartmentIsForbidden() throws {
        let dispatched = CaseState(status: .dispatched, source: .inspector, department: "HW")
        #expect(failure(.sign, dispatched, staffYL) == .notAssigned(.sign))
        let unbound = CaseActor(role: .departmentStaff, userID: 6)
        #expect(failure(.sign, dispatched, unbound) == .notAssigned(.sign))
        #expect(CaseWorkflow.allowedActions(state: dispatched, actor: staffYL) == [])
        #expect(CaseWorkflow.allowedActions(state: dispatched, actor: staffHW) == [.sign, .requestReturn])
        #expect(CaseWorkflow.allowedActions(state: try handlingCase(), actor: staffHW)
                == [.finish, .requestReturn, .requestExtension, .requestHang])
    }

    @Test func finishAndDispatchInputs() throws {
        #expect(failure(.finish, try handlingCase(), staffHW) == .missingInput("note"))
        let s = CaseState(status: .awaitingDispatch, source: .inspector)
        #expect(failure(.dispatch, s, dispatcher) == .missingInput("department"))
        #expect(failure(.dispatch, s, dispatcher, ActionInput(department: "")) == .missingInput("department"))
    }

    @Test func inconsistentRequestStateIsAConflict() {
        // A request status without its pending request (bad stored data) must not be approved blindly.
        let s = CaseState(status: .hangRequested, source: .inspector, department: "HW", pendingRequest: .return_)
        #expect(failure(.approve, s, dispatcher) == .notAllowedInState(.approve, .hangRequested))
    }

    @Test func errorsMapToHTTP() {
        #expect(WorkflowError.notAllowedInState(.close, .handling).httpStatus == 409)
        #expect(WorkflowError.forbiddenForRole(.close, .dispatcher).httpStatus == 403)
        #expect(WorkflowError.notAssigned(.sign).httpStatus == 403)
        #expect(WorkflowError.missingInput("note").httpStatus == 400)
        let p = WorkflowError.notAllowedInState(.close, .handling).problem
        #expect(p.status == 409 && p.type == "urn:urbangrid:problem:invalid-state")
        #expect(p.detailZh == "案卷处于“处置中”状态,不能结案")
        #expect(WorkflowError.missingInput("hours").problem.field == "hours")
    }

    /// The listing and the enforcement agree for every status × action × role, with complete input.
    @Test func allowedActionsAgreeWithApply() {
        let full = ActionInput(note: "n", department: "HW", hours: 2, passed: true, inspector: 7)
        let actors = [operatorA, inspector7, leader, dispatcher, staffHW, staffYL, admin]
        var allowedSomewhere = Set<CaseAction>()
        for status in CaseStatus.allCases {
            let request: CaseRequestKind? = CaseRequestKind.allCases.first { $0.status == status }
            let state = CaseState(status: status, source: .inspector, department: "HW", pendingRequest: request,
                                  requestedHours: request == .extension ? 4 : nil, checkFailed: true)
            for actor in actors {
                let listed = Set(CaseWorkflow.allowedActions(state: state, actor: actor))
                for action in CaseAction.allCases {
                    let ok = failure(action, state, actor, full) == nil
                    #expect(ok == listed.contains(action), "\(status) \(action) \(actor.role)")
                    if ok {
                        allowedSomewhere.insert(action)
                        #expect(CaseWorkflow.roles(for: action, in: status).contains(actor.role))
                    }
                }
            }
        }
        #expect(allowedSomewhere == Set(CaseAction.allCases))
    }
}

@Suite struct CaseStateCodingTests {
    @Test func roundTripsAndDefaultsMissingCounters() throws {
        let s = CaseState(status: .hung, source: .public_, department: "HW", reworkCount: 2, hangCount: 1,
                          extensionHours: 3.5, inspector: 7)
        let data = try JSONEncoder().encode(s)
        #expect(try JSONDecoder().decode(CaseState.self, from: data) == s)
        let minimal = Data(#"{"status":"reported","source":"hotline"}"#.utf8)
        #expect(try JSONDecoder().decode(CaseState.self, from: minimal) == CaseState(status: .reported, source: .hotline))
    }

    @Test func actionInputDecodesTheRequestBody() throws {
        let body = Data(#"{"note":"已清理","passed":true,"hours":4,"inspector":7}"#.utf8)
        #expect(try JSONDecoder().decode(ActionInput.self, from: body)
                == ActionInput(note: "已清理", hours: 4, passed: true, inspector: 7))
        #expect(try JSONDecoder().decode(ActionInput.self, from: Data("{}".utf8)) == ActionInput())
    }
}
