import Foundation
import UrbanGridCore

/// The console's language: Chinese by default, English with `--lang en`.
public enum Language: String, Sendable, CaseIterable {
    case zh, en
}

/// Names of the workflow's values in the console's language (Chinese names come from Core).
extension Language {
    public func name(_ status: CaseStatus) -> String {
        guard self == .en else { return status.nameZh }
        switch status {
        case .reported: return "to accept"
        case .verifying: return "verifying"
        case .awaitingRegistration: return "to register"
        case .awaitingDispatch: return "to dispatch"
        case .dispatched: return "dispatched"
        case .handling: return "handling"
        case .returnRequested: return "return asked"
        case .extensionRequested: return "extension asked"
        case .hangRequested: return "hang asked"
        case .hung: return "hung"
        case .handled: return "handled"
        case .checking: return "checking"
        case .awaitingClose: return "to close"
        case .closed: return "closed"
        case .voided: return "voided"
        case .refused: return "refused"
        }
    }

    public func name(_ action: CaseAction) -> String {
        guard self == .en else { return action.nameZh }
        switch action {
        case .accept: return "accept"
        case .refuse: return "refuse"
        case .verify: return "verify"
        case .register: return "register"
        case .void: return "void"
        case .dispatch: return "dispatch"
        case .sign: return "sign for"
        case .finish: return "finish"
        case .requestReturn: return "ask return"
        case .requestExtension: return "ask extension"
        case .requestHang: return "ask hang"
        case .approve: return "approve"
        case .deny: return "deny"
        case .resume: return "resume"
        case .sendCheck: return "send to check"
        case .check: return "check"
        case .close: return "close"
        case .rework: return "rework"
        }
    }

    public func name(_ node: CaseNode) -> String {
        guard self == .en else { return node.nameZh }
        switch node {
        case .acceptance: return "acceptance"
        case .verification: return "verification"
        case .registration: return "registration"
        case .dispatch: return "dispatch"
        case .handling: return "handling"
        case .checkDispatch: return "check dispatch"
        case .check: return "check"
        case .closing: return "closing"
        }
    }

    /// A time limit as the server words it ("0.5 工作时", "3 工作日"), in this language.
    public func limit(_ text: String) -> String {
        guard self == .en else { return text }
        return text.replacingOccurrences(of: "工作时", with: "working hours")
            .replacingOccurrences(of: "工作日", with: "working days")
    }

    public func name(_ light: AlertLight) -> String {
        guard self == .en else { return light.nameZh }
        switch light {
        case .green: return "green"
        case .yellow: return "yellow"
        case .red: return "red"
        }
    }

    public func name(_ role: Role) -> String {
        guard self == .en else { return role.nameZh }
        switch role {
        case .admin: return "admin"
        case .inspector: return "inspector"
        case .operator_: return "operator"
        case .shiftLeader: return "shift leader"
        case .dispatcher: return "dispatcher"
        case .departmentStaff: return "department staff"
        }
    }

    public func name(_ source: CaseSource) -> String {
        guard self == .en else { return source.nameZh }
        switch source {
        case .inspector: return "inspector"
        case .hotline: return "hotline"
        case .public_: return "public"
        case .department: return "department"
        }
    }

    public func name(_ kind: CaseKind) -> String {
        guard self == .en else { return kind.nameZh }
        return kind == .component ? "component" : "event"
    }

    /// A zh/en pair in this language.
    public func pick(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
}
