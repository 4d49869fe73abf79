// The case state machine (案卷流程, standards §4): who may do what in which step, and where it leads.
// Pure: the store loads a `CaseState`, calls `apply`, and saves the result and its audit entry in one
// transaction, so the rules hold for every caller and are testable without a database.

import Foundation

/// The case workflow: one permission table plus the transitions.
public enum CaseWorkflow {
    /// One row of the permission table.
    public struct Permission: Sendable, Equatable {
        public var action: CaseAction
        public var role: Role
        public var statuses: [CaseStatus]
    }

    /// Which role may take which action in which status. The only place permissions are written;
    /// `apply` and `allowedActions` both read it, so the buttons a client shows and the checks the server
    /// enforces cannot drift apart. 管理员 has no row: administration is not case work, and there is no
    /// bypass.
    public static let permissions: [Permission] = [
        .init(action: .accept, role: .operator_, statuses: [.reported]),
        .init(action: .refuse, role: .operator_, statuses: [.reported]),
        .init(action: .verify, role: .inspector, statuses: [.verifying]),
        .init(action: .register, role: .shiftLeader, statuses: [.awaitingRegistration]),
        .init(action: .void, role: .shiftLeader, statuses: [.awaitingRegistration, .awaitingDispatch]),
        .init(action: .dispatch, role: .dispatcher, statuses: [.awaitingDispatch]),
        .init(action: .sign, role: .departmentStaff, statuses: [.dispatched]),
        .init(action: .finish, role: .departmentStaff, statuses: [.handling]),
        // A wrongly dispatched case may be sent back before signing for it.
        .init(action: .requestReturn, role: .departmentStaff, statuses: [.dispatched, .handling]),
        .init(action: .requestExtension, role: .departmentStaff, statuses: [.handling]),
        .init(action: .requestHang, role: .departmentStaff, statuses: [.handling]),
        .init(action: .approve, role: .dispatcher, statuses: [.returnRequested, .extensionRequested, .hangRequested]),
        .init(action: .deny, role: .dispatcher, statuses: [.returnRequested, .extensionRequested, .hangRequested]),
        .init(action: .resume, role: .dispatcher, statuses: [.hung]),
        .init(action: .sendCheck, role: .operator_, statuses: [.handled]),
        .init(action: .check, role: .inspector, statuses: [.checking]),
        .init(action: .close, role: .shiftLeader, statuses: [.awaitingClose]),
        .init(action: .rework, role: .shiftLeader, statuses: [.awaitingClose]),
    ]

    /// The permission table indexed by status, then action: the roles allowed.
    public static let table: [CaseStatus: [CaseAction: Set<Role>]] = {
        var out: [CaseStatus: [CaseAction: Set<Role>]] = [:]
        for p in permissions {
            for s in p.statuses { out[s, default: [:]][p.action, default: []].insert(p.role) }
        }
        return out
    }()

    /// Roles that may take the action in at least one status: deciding 403 before 409 means a role
    /// never learns more about a case than "not yours to do".
    private static let rolesByAction: [CaseAction: Set<Role>] = {
        var out: [CaseAction: Set<Role>] = [:]
        for p in permissions { out[p.action, default: []].insert(p.role) }
        return out
    }()

    /// The roles allowed to take `action` in `status` (empty if none).
    public static func roles(for action: CaseAction, in status: CaseStatus) -> Set<Role> {
        table[status]?[action] ?? []
    }

    /// Where a new case starts.
    ///
    /// Every report waits for 受理 except a 自处理 one: the 监督员 found a minor problem and fixed it on the
    /// spot, so it goes straight to the 值班长 for 结案 (自处理案件结案). Reports come from 监督员 and 受理员
    /// (who enters hotline, public and department reports); only a 监督员 reporting as such may self-handle.
    public static func initialState(source: CaseSource, selfHandled: Bool,
                                    reporterRole: Role) throws(WorkflowError) -> CaseState {
        guard reporterRole == .inspector || reporterRole == .operator_ else {
            throw .reportForbidden(reporterRole, selfHandled: selfHandled)
        }
        guard selfHandled else { return CaseState(status: .reported, source: source) }
        guard reporterRole == .inspector else { throw .reportForbidden(reporterRole, selfHandled: true) }
        guard source == .inspector else {
            throw .invalidInput("source", reason: "a self-handled case is an inspector report")
        }
        return CaseState(status: .awaitingClose, source: source, selfHandled: true)
    }

    /// The actions `actor` may take on a case in `state` now, in `CaseAction.allCases` order; inputs
    /// are not considered (the client asks for them).
    public static func allowedActions(state: CaseState, actor: CaseActor) -> [CaseAction] {
        CaseAction.allCases.filter { action in
            (try? authorize(action, state: state, actor: actor)) != nil
        }
    }

    /// Applies one action: checks role, status, assignment and input, in that order, then returns the
    /// new state and the audit summary. Never mutates anything.
    public static func apply(_ action: CaseAction, to state: CaseState, by actor: CaseActor,
                             input: ActionInput = ActionInput()) throws(WorkflowError) -> Transition {
        try authorize(action, state: state, actor: actor)
        let note = trimmed(input.note)
        var next = state
        let from = state.status
        let clock: ClockEffect
        let zh: String, en: String

        func requireNote() throws(WorkflowError) -> String {
            guard let note else { throw .missingInput("note") }
            return note
        }
        func requirePassed() throws(WorkflowError) -> Bool {
            guard let passed = input.passed else { throw .missingInput("passed") }
            return passed
        }

        switch action {
        case .accept:
            if state.source.needsVerification {
                next.status = .verifying
                next.inspector = input.inspector
                clock = .start(.verification)
                zh = "受理,转监督员核实"; en = "accepted, sent for on-site verification"
            } else {
                next.status = .awaitingRegistration
                clock = .start(.registration)
                zh = "受理,待立案"; en = "accepted, awaiting registration"
            }
        case .refuse:
            _ = try requireNote()
            next.status = .refused
            clock = .stop
            zh = "不予受理"; en = "refused"
        case .verify:
            let passed = try requirePassed()
            next.inspector = nil
            if passed {
                next.status = .awaitingRegistration
                clock = .start(.registration)
                zh = "核实属实,待立案"; en = "verified, awaiting registration"
            } else {
                next.status = .refused
                clock = .stop
                zh = "核实不属实,不予受理"; en = "not confirmed on site, refused"
            }
        case .register:
            next.status = .awaitingDispatch
            clock = .start(.dispatch)
            zh = "立案"; en = "registered"
        case .void:
            _ = try requireNote()
            next.status = .voided
            clock = .stop
            zh = "作废"; en = "voided"
        case .dispatch:
            guard let department = trimmed(input.department) else { throw .missingInput("department") }
            next.status = .dispatched
            next.department = department
            next.extensionHours = 0
            next.checkFailed = false
            clock = .start(.handling)
            zh = "派遣至 \(department)"; en = "dispatched to \(department)"
        case .sign:
            next.status = .handling
            clock = .keep
            zh = "签收"; en = "signed for"
        case .finish:
            _ = try requireNote()
            next.status = .handled
            clock = .start(.checkDispatch)
            zh = "处置完成"; en = "handling finished"
        case .requestReturn:
            _ = try requireNote()
            next.status = .returnRequested
            next.pendingRequest = .return_
            clock = .keep
            zh = "申请回退"; en = "return requested"
        case .requestExtension:
            _ = try requireNote()
            guard let hours = input.hours else { throw .missingInput("hours") }
            guard hours.isFinite, hours > 0 else {
                throw .invalidInput("hours", reason: "must be a positive number of working hours")
            }
            next.status = .extensionRequested
            next.pendingRequest = .extension
            next.requestedHours = hours
            clock = .keep
            let h = TimeLimit.numberText(hours)
            zh = "申请延期 \(h) 工作时"; en = "extension of \(h) working hours requested"
        case .requestHang:
            _ = try requireNote()
            next.status = .hangRequested
            next.pendingRequest = .hang
            clock = .keep
            zh = "申请挂账"; en = "hang requested"
        case .approve:
            guard let request = state.pendingRequest else { throw .notAllowedInState(action, from) }
            next.pendingRequest = nil
            next.requestedHours = nil
            switch request {
            case .return_:
                next.status = .awaitingDispatch
                next.department = nil
                next.extensionHours = 0
                next.returnCount += 1
                clock = .start(.dispatch)
                zh = "同意回退,待重新派遣"; en = "return approved, awaiting dispatch"
            case .extension:
                let asked = state.requestedHours ?? 0
                let granted = input.hours ?? asked
                guard granted.isFinite, granted > 0, granted <= asked else {
                    let reason = "must be positive and at most the \(TimeLimit.numberText(asked)) hours asked for"
                    throw .invalidInput("hours", reason: reason)
                }
                next.status = .handling
                next.extensionHours += granted
                next.extensionCount += 1
                clock = .extend(hours: granted)
                let h = TimeLimit.numberText(granted)
                zh = "同意延期 \(h) 工作时"; en = "extension of \(h) working hours approved"
            case .hang:
                next.status = .hung
                next.hangCount += 1
                clock = .pause
                zh = "同意挂账,暂停计时"; en = "hang approved, clock stopped"
            }
        case .deny:
            guard let request = state.pendingRequest else { throw .notAllowedInState(action, from) }
            // A denied 回退 confirms the case is the department's: it counts as signed for.
            next.status = .handling
            next.pendingRequest = nil
            next.requestedHours = nil
            clock = .keep
            zh = "不同意\(request.nameZh)"; en = "\(request.rawValue) request denied"
        case .resume:
            next.status = .handling
            clock = .resume
            zh = "挂账恢复,继续计时"; en = "resumed, clock running"
        case .sendCheck:
            next.status = .checking
            next.inspector = input.inspector
            next.checkFailed = false
            clock = .start(.check)
            if let inspector = input.inspector {
                zh = "派发核查给监督员 #\(inspector)"; en = "check sent to inspector #\(inspector)"
            } else {
                zh = "派发核查"; en = "check sent"
            }
        case .check:
            let passed = try requirePassed()
            next.status = .awaitingClose
            next.inspector = nil
            next.checkFailed = !passed
            clock = .start(.closing)
            if passed { zh = "核查通过"; en = "check passed" } else { zh = "核查不通过"; en = "check failed" }
        case .close:
            next.status = .closed
            next.inspector = nil
            clock = .stop
            zh = "结案"; en = "closed"
        case .rework:
            // authorize() has made sure the check failed and a department exists.
            let department = state.department ?? ""
            next.status = .dispatched
            next.reworkCount += 1
            next.extensionHours = 0
            next.checkFailed = false
            clock = .start(.handling)
            zh = "返工,重新派遣至 \(department)(第 \(next.reworkCount) 次)"
            en = "rework #\(next.reworkCount), dispatched again to \(department)"
        }
        return Transition(action: action, from: from, to: next.status, state: next, clock: clock,
                          summaryZh: zh, summaryEn: en, note: note)
    }

    /// Everything but the input: role (403), status (409), then assignment (403).
    private static func authorize(_ action: CaseAction, state: CaseState,
                                  actor: CaseActor) throws(WorkflowError) {
        guard rolesByAction[action]?.contains(actor.role) == true else {
            throw .forbiddenForRole(action, actor.role)
        }
        guard let roles = table[state.status]?[action] else { throw .notAllowedInState(action, state.status) }
        guard roles.contains(actor.role) else { throw .forbiddenForRole(action, actor.role) }
        switch action {
        case .rework:
            // 返工 only follows a failed 核查 of a department's work; a self-handled case has none.
            guard state.checkFailed, state.department != nil else { throw .notAllowedInState(action, state.status) }
        case .approve, .deny:
            guard state.pendingRequest?.status == state.status else { throw .notAllowedInState(action, state.status) }
        default:
            break
        }
        switch actor.role {
        case .departmentStaff:
            guard let own = actor.departmentCode, own == state.department else { throw .notAssigned(action) }
        case .inspector:
            if let assigned = state.inspector, assigned != actor.userID { throw .notAssigned(action) }
        default:
            break
        }
    }

    private static func trimmed(_ text: String?) -> String? {
        guard let t = text?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }
}
