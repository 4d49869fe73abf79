// The values the workflow reads and writes: the part of a case that decides what may happen next, who
// asks, what they send, and what happened.

/// The workflow-relevant part of a case (案卷). Everything else (location, photos, times) lives in the
/// store; keeping this small keeps `CaseWorkflow.apply` a pure function the tests can drive exhaustively.
public struct CaseState: Codable, Sendable, Equatable {
    public var status: CaseStatus
    /// The 专业部门 the case is dispatched to; kept through 返工 so the same department gets it back,
    /// cleared by an approved 回退.
    public var department: String?
    /// The 专业部门's request waiting for the 派遣员 (only in the three *-requested statuses).
    public var pendingRequest: CaseRequestKind?
    /// Working hours asked for by a pending 延期 request.
    public var requestedHours: Double?
    /// 返工 count: a KPI of the department (返工率) and of the dispatcher (准确派遣率).
    public var reworkCount: Int
    /// Approved 回退 count (推诿 statistics).
    public var returnCount: Int
    /// Approved 延期 count (延期率).
    public var extensionCount: Int
    /// Approved 挂账 count.
    public var hangCount: Int
    /// Working hours of 延期 granted in the current handling step; reset by every 派遣 and 返工, which
    /// start a fresh 处置时限.
    public var extensionHours: Double
    public var source: CaseSource
    /// 自处理: reported and fixed on the spot by the 监督员.
    public var selfHandled: Bool
    /// The 监督员 (user id) the current 核实 or 核查 is assigned to; nil means any inspector may do it.
    public var inspector: Int64?
    /// The last 核查 failed: the 值班长 may order 返工.
    public var checkFailed: Bool

    public init(status: CaseStatus, source: CaseSource, selfHandled: Bool = false, department: String? = nil,
                pendingRequest: CaseRequestKind? = nil, requestedHours: Double? = nil, reworkCount: Int = 0,
                returnCount: Int = 0, extensionCount: Int = 0, hangCount: Int = 0, extensionHours: Double = 0,
                inspector: Int64? = nil, checkFailed: Bool = false) {
        self.status = status; self.source = source; self.selfHandled = selfHandled
        self.department = department; self.pendingRequest = pendingRequest
        self.requestedHours = requestedHours; self.reworkCount = reworkCount; self.returnCount = returnCount
        self.extensionCount = extensionCount; self.hangCount = hangCount
        self.extensionHours = extensionHours; self.inspector = inspector; self.checkFailed = checkFailed
    }

    enum CodingKeys: String, CodingKey {
        case status, department, pendingRequest, requestedHours, reworkCount, returnCount, extensionCount
        case hangCount, extensionHours, source, selfHandled, inspector, checkFailed
    }

    /// Counters and flags may be absent (stored before they existed): they default to zero / false.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(CaseStatus.self, forKey: .status)
        source = try c.decode(CaseSource.self, forKey: .source)
        department = try c.decodeIfPresent(String.self, forKey: .department)
        pendingRequest = try c.decodeIfPresent(CaseRequestKind.self, forKey: .pendingRequest)
        requestedHours = try c.decodeIfPresent(Double.self, forKey: .requestedHours)
        reworkCount = try c.decodeIfPresent(Int.self, forKey: .reworkCount) ?? 0
        returnCount = try c.decodeIfPresent(Int.self, forKey: .returnCount) ?? 0
        extensionCount = try c.decodeIfPresent(Int.self, forKey: .extensionCount) ?? 0
        hangCount = try c.decodeIfPresent(Int.self, forKey: .hangCount) ?? 0
        extensionHours = try c.decodeIfPresent(Double.self, forKey: .extensionHours) ?? 0
        selfHandled = try c.decodeIfPresent(Bool.self, forKey: .selfHandled) ?? false
        inspector = try c.decodeIfPresent(Int64.self, forKey: .inspector)
        checkFailed = try c.decodeIfPresent(Bool.self, forKey: .checkFailed) ?? false
    }
}

/// The user performing an action.
///
/// Not called `Actor`: that name is the Swift concurrency protocol, and shadowing it would make every
/// `actor`-related spelling in the importing modules ambiguous.
public struct CaseActor: Codable, Sendable, Equatable {
    public var role: Role
    public var userID: Int64
    /// The 专业部门 of department staff; nil for everyone else.
    public var departmentCode: String?

    public init(role: Role, userID: Int64, departmentCode: String? = nil) {
        self.role = role; self.userID = userID; self.departmentCode = departmentCode
    }
}

/// The JSON body of `POST /api/v1/cases/{id}/actions/{action}`; every member optional, each action
/// says which it needs (`WorkflowError.missingInput` otherwise).
public struct ActionInput: Codable, Sendable, Equatable {
    /// 意见/说明: required for refuse, void, finish and the three requests.
    public var note: String?
    /// Department code, for dispatch.
    public var department: String?
    /// 工作时: asked for by request-extension, optionally granted (≤ asked) by approve.
    public var hours: Double?
    /// The outcome of verify and check.
    public var passed: Bool?
    /// The 监督员 (user id) for accept (of a report needing 核实) and send-check; when absent the HTTP
    /// layer picks the one whose beat covers the grid before calling the workflow.
    public var inspector: Int64?

    public init(note: String? = nil, department: String? = nil, hours: Double? = nil, passed: Bool? = nil,
                inspector: Int64? = nil) {
        self.note = note; self.department = department; self.hours = hours; self.passed = passed
        self.inspector = inspector
    }
}

/// What a transition does to the step clock; the store applies it to the case's `StepClock`.
public enum ClockEffect: Codable, Sendable, Equatable {
    /// A new node begins now: new start, no pauses, no extension.
    case start(CaseNode)
    /// Same node, the clock runs on (签收, a request, a denied request).
    case keep
    /// 挂账 approved: the clock stops now.
    case pause
    /// 挂账恢复: the clock runs again from now.
    case resume
    /// 延期 approved: this many working hours are added to the current limit.
    case extend(hours: Double)
    /// The case has ended: no clock any more.
    case stop
}

/// The outcome of a successful action: the new state and what the audit log (操作日志) should record.
/// Actor, time and attachments are added by the caller, which knows them.
public struct Transition: Codable, Sendable, Equatable {
    public var action: CaseAction
    public var from: CaseStatus
    public var to: CaseStatus
    public var state: CaseState
    public var clock: ClockEffect
    /// One line for the timeline, e.g. "派遣至 HW" / "dispatched to HW".
    public var summaryZh: String
    public var summaryEn: String
    /// The actor's note, trimmed; nil when empty.
    public var note: String?

    public init(action: CaseAction, from: CaseStatus, to: CaseStatus, state: CaseState, clock: ClockEffect,
                summaryZh: String, summaryEn: String, note: String?) {
        self.action = action; self.from = from; self.to = to; self.state = state; self.clock = clock
        self.summaryZh = summaryZh; self.summaryEn = summaryEn; self.note = note
    }
}

/// Why an action was refused. Each maps to one HTTP status (`httpStatus`) and problem (`problem`).
public enum WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The action does not apply to a case in this status (409).
    case notAllowedInState(CaseAction, CaseStatus)
    /// The role may never do this action (403).
    case forbiddenForRole(CaseAction, Role)
    /// Right role, wrong person: staff of another department, or an inspector the 核实/核查 is not
    /// assigned to (403).
    case notAssigned(CaseAction)
    /// A required input member is absent or blank (400).
    case missingInput(String)
    /// An input member is present but unusable (400).
    case invalidInput(String, reason: String)
    /// The role may not report cases, or may not report them as self-handled (403).
    case reportForbidden(Role, selfHandled: Bool)

    public var httpStatus: Int {
        switch self {
        case .notAllowedInState: 409
        case .forbiddenForRole, .notAssigned, .reportForbidden: 403
        case .missingInput, .invalidInput: 400
        }
    }

    public var description: String { problem.detail }

    /// RFC 9457 problem with both languages; the field names the input member at fault.
    public var problem: Problem {
        switch self {
        case .notAllowedInState(let action, let status):
            Problem("invalid-state", status: 409, title: "Action not allowed in this state",
                    detail: "'\(action.rawValue)' is not allowed while the case is \(status.rawValue)",
                    detailZh: "案卷处于“\(status.nameZh)”状态,不能\(action.nameZh)")
        case .forbiddenForRole(let action, let role):
            Problem("forbidden", status: 403, title: "Forbidden",
                    detail: "role \(role.rawValue) may not '\(action.rawValue)'",
                    detailZh: "\(role.nameZh)无权\(action.nameZh)")
        case .notAssigned(let action):
            Problem("forbidden", status: 403, title: "Forbidden",
                    detail: "'\(action.rawValue)' on this case is assigned to someone else",
                    detailZh: "该案卷的\(action.nameZh)不属于您或您的部门")
        case .missingInput(let field):
            Problem("invalid-body", status: 400, title: "Invalid request body",
                    detail: "missing field '\(field)'", detailZh: "缺少字段 '\(field)'", field: field)
        case .invalidInput(let field, let reason):
            Problem("invalid-body", status: 400, title: "Invalid request body",
                    detail: "field '\(field)': \(reason)", detailZh: "字段 '\(field)' 无效", field: field)
        case .reportForbidden(let role, let selfHandled):
            selfHandled
                ? Problem("forbidden", status: 403, title: "Forbidden",
                          detail: "only inspectors may report self-handled cases",
                          detailZh: "只有监督员可以上报自处理案件", field: "selfHandled")
                : Problem("forbidden", status: 403, title: "Forbidden",
                          detail: "role \(role.rawValue) may not report cases",
                          detailZh: "\(role.nameZh)无权上报案件")
        }
    }
}
