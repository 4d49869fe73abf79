// The vocabulary of a case (案卷): its steps, the actions that move it, where it came from and what it
// is about. Raw values are the API's spelling, so they never change once published.

/// Every step a case can be in, from 上报 to 结案 and the three dead ends (作废, 不予受理, and a failed 核实
/// which also ends as 不予受理).
///
/// The 专业部门's requests (回退/延期/挂账) are statuses of their own rather than flags, so a case waiting
/// for the 派遣员's approval shows up in his queue and nobody can finish it meanwhile.
public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    /// 上报: waiting for the 受理员 to accept (受理) or refuse it.
    case reported
    /// 核实: a public or hotline report sent to a 监督员 to be confirmed on site.
    case verifying
    /// 待立案: accepted, waiting for the 值班长.
    case awaitingRegistration = "awaiting-registration"
    /// 待派遣: registered (立案), or returned (回退) by a department, waiting for the 派遣员.
    case awaitingDispatch = "awaiting-dispatch"
    /// 已派遣: sent to a 专业部门, waiting for it to sign for the case (签收).
    case dispatched
    /// 处置中: signed for, being handled.
    case handling
    /// 回退申请: the department says the case is not theirs.
    case returnRequested = "return-requested"
    /// 延期申请: the department asks for more working hours.
    case extensionRequested = "extension-requested"
    /// 挂账申请: the department asks to park the case (e.g. waiting for funds or a season).
    case hangRequested = "hang-requested"
    /// 挂账: parked; the handling clock is stopped until the 派遣员 resumes it.
    case hung
    /// 处置完成: the department reports it done; the 受理员 must send a 核查.
    case handled
    /// 核查中: a 监督员 checks the result on site.
    case checking
    /// 待结案: checked (passed or failed) or self-handled; the 值班长 closes it or orders 返工.
    case awaitingClose = "awaiting-close"
    /// 结案.
    case closed
    /// 作废: registered in error (duplicate, not a city-management matter…).
    case voided
    /// 不予受理: refused at intake or not confirmed by 核实.
    case refused

    /// Closed, voided and refused cases take no further action and run no clock.
    public var isTerminal: Bool { self == .closed || self == .voided || self == .refused }

    /// The time-limited node (环节) this status belongs to; nil once the case has ended.
    ///
    /// Everything between 派遣 and 处置完成 is one node, because the 处置时限 runs from dispatch and is
    /// only paused by 挂账 or lengthened by 延期, never restarted by signing or by a request.
    public var node: CaseNode? {
        switch self {
        case .reported: .acceptance
        case .verifying: .verification
        case .awaitingRegistration: .registration
        case .awaitingDispatch: .dispatch
        case .dispatched, .handling, .returnRequested, .extensionRequested, .hangRequested, .hung: .handling
        case .handled: .checkDispatch
        case .checking: .check
        case .awaitingClose: .closing
        case .closed, .voided, .refused: nil
        }
    }

    public var nameZh: String {
        switch self {
        case .reported: "待受理"
        case .verifying: "核实中"
        case .awaitingRegistration: "待立案"
        case .awaitingDispatch: "待派遣"
        case .dispatched: "已派遣"
        case .handling: "处置中"
        case .returnRequested: "回退申请"
        case .extensionRequested: "延期申请"
        case .hangRequested: "挂账申请"
        case .hung: "挂账"
        case .handled: "处置完成"
        case .checking: "核查中"
        case .awaitingClose: "待结案"
        case .closed: "结案"
        case .voided: "作废"
        case .refused: "不予受理"
        }
    }
}

/// What a user can do to a case: `POST /api/v1/cases/{id}/actions/{rawValue}`.
public enum CaseAction: String, Codable, Sendable, CaseIterable {
    /// 受理 (受理员).
    case accept
    /// 不予受理 (受理员).
    case refuse
    /// 核实 (监督员): `passed` says whether the problem exists.
    case verify
    /// 立案 (值班长).
    case register
    /// 作废 (值班长).
    case void
    /// 派遣 (派遣员): `department` is required.
    case dispatch
    /// 签收 (专业部门).
    case sign
    /// 处置完成 (专业部门): `note` is required.
    case finish
    /// 申请回退 (专业部门).
    case requestReturn = "request-return"
    /// 申请延期 (专业部门): `hours` (工作时) is required.
    case requestExtension = "request-extension"
    /// 申请挂账 (专业部门).
    case requestHang = "request-hang"
    /// 同意 the pending request (派遣员).
    case approve
    /// 不同意 the pending request (派遣员).
    case deny
    /// 挂账恢复 (派遣员).
    case resume
    /// 派发核查 (受理员).
    case sendCheck = "send-check"
    /// 核查 (监督员): `passed` says whether the problem is fixed.
    case check
    /// 结案 (值班长).
    case close
    /// 返工 (值班长): back to the same department after a failed 核查.
    case rework

    public var nameZh: String {
        switch self {
        case .accept: "受理"
        case .refuse: "不予受理"
        case .verify: "核实"
        case .register: "立案"
        case .void: "作废"
        case .dispatch: "派遣"
        case .sign: "签收"
        case .finish: "处置完成"
        case .requestReturn: "申请回退"
        case .requestExtension: "申请延期"
        case .requestHang: "申请挂账"
        case .approve: "审批同意"
        case .deny: "审批不同意"
        case .resume: "挂账恢复"
        case .sendCheck: "派发核查"
        case .check: "核查"
        case .close: "结案"
        case .rework: "返工"
        }
    }
}

/// Who found the problem (案件来源). Inspector and department reports are trusted; public and hotline
/// reports must be confirmed on site (核实) before they are registered.
public enum CaseSource: String, Codable, Sendable, CaseIterable {
    /// 监督员上报.
    case inspector
    /// 热线 (12345/12319).
    case hotline
    /// 公众举报 (app, web, WeChat).
    case public_ = "public"
    /// 部门上报.
    case department

    /// Whether accepting the report sends it to a 监督员 for 核实 first.
    public var needsVerification: Bool { self == .hotline || self == .public_ }

    public var nameZh: String {
        switch self {
        case .inspector: "监督员上报"
        case .hotline: "热线"
        case .public_: "公众举报"
        case .department: "部门上报"
        }
    }
}

/// 部件 or 事件 case. The API says "event" where GB/T 47678.5 says 事项 (matter).
public enum CaseKind: String, Codable, Sendable, CaseIterable {
    case component
    case event

    /// The catalogue appendix its 5-digit type code comes from.
    public var catalogKind: CatalogKind {
        switch self {
        case .component: .component
        case .event: .matter
        }
    }

    public var nameZh: String {
        switch self {
        case .component: "部件"
        case .event: "事件"
        }
    }
}

/// A 专业部门's request waiting for the 派遣员.
public enum CaseRequestKind: String, Codable, Sendable, CaseIterable {
    /// 回退.
    case return_ = "return"
    /// 延期.
    case `extension`
    /// 挂账.
    case hang

    public var nameZh: String {
        switch self {
        case .return_: "回退"
        case .extension: "延期"
        case .hang: "挂账"
        }
    }

    /// The status a case is in while this request waits.
    public var status: CaseStatus {
        switch self {
        case .return_: .returnRequested
        case .extension: .extensionRequested
        case .hang: .hangRequested
        }
    }
}

/// A time-limited step (环节) of the workflow. Each has its own limit (`NodeLimits`, or the dispatch
/// rule's 处置时限 for `handling`) and its own alert light, and each is a KPI of one role (§5: 按时核实率,
/// 按时立案率, 按时派遣率, 按期处置率, 核查按时派发率, 按时核查率, 按时结案率).
public enum CaseNode: String, Codable, Sendable, CaseIterable {
    /// 受理 (受理员).
    case acceptance
    /// 核实 (监督员).
    case verification
    /// 立案 (值班长).
    case registration
    /// 派遣 (派遣员).
    case dispatch
    /// 处置 (专业部门), from 派遣 to 处置完成.
    case handling
    /// 核查派发 (受理员), from 处置完成 to 派发核查.
    case checkDispatch = "check-dispatch"
    /// 核查 (监督员).
    case check
    /// 结案 (值班长).
    case closing

    public var nameZh: String {
        switch self {
        case .acceptance: "受理"
        case .verification: "核实"
        case .registration: "立案"
        case .dispatch: "派遣"
        case .handling: "处置"
        case .checkDispatch: "核查派发"
        case .check: "核查"
        case .closing: "结案"
        }
    }

    /// The role whose timeliness this node measures.
    public var role: Role {
        switch self {
        case .acceptance, .checkDispatch: .operator_
        case .verification, .check: .inspector
        case .registration, .closing: .shiftLeader
        case .dispatch: .dispatcher
        case .handling: .departmentStaff
        }
    }
}
