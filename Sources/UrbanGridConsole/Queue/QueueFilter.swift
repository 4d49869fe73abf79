import Foundation
import UrbanGridCore

/// What the queue shows: the statuses awaiting the user's role (or a chosen status, or every open
/// one) narrowed by text, department, street and light. The same filter builds the server query and
/// decides locally whether a case changed by the event stream still belongs in the list.
public struct QueueFilter: Sendable, Equatable {
    public enum StatusChoice: Sendable, Equatable {
        /// The statuses awaiting the user's role.
        case roleQueue
        /// Every status but the three ends.
        case allOpen
        case only(CaseStatus)
    }

    public var status: StatusChoice = .roleQueue
    public var text: String = ""
    public var department: String?
    /// Street code.
    public var street: String?
    public var light: AlertLight?

    public init() {}

    public var isDefault: Bool { self == QueueFilter() }

    /// The statuses awaiting each role (the same split as the server's `/api/v1/me/tasks`).
    public static func roleStatuses(_ role: Role) -> [CaseStatus] {
        switch role {
        case .operator_: [.reported, .handled]
        case .shiftLeader: [.awaitingRegistration, .awaitingClose]
        case .dispatcher: [.awaitingDispatch, .returnRequested, .extensionRequested, .hangRequested, .hung]
        case .inspector: [.verifying, .checking]
        case .departmentStaff: [.dispatched, .handling, .returnRequested, .extensionRequested, .hangRequested, .hung]
        case .admin: openStatuses
        }
    }

    public static let openStatuses: [CaseStatus] = CaseStatus.allCases.filter { !$0.isTerminal }

    public func statuses(for role: Role) -> [CaseStatus] {
        switch status {
        case .roleQueue: Self.roleStatuses(role)
        case .allOpen: Self.openStatuses
        case .only(let s): [s]
        }
    }

    /// Query items for `GET /api/v1/cases`. The text is matched here, not by the server (whose `q`
    /// looks at fewer fields), so a reload and a live update always agree.
    public func queryItems(for role: Role, limit: Int = 500) -> [URLQueryItem] {
        var items = [URLQueryItem(name: "status", value: statuses(for: role).map(\.rawValue).joined(separator: ","))]
        if let department { items.append(URLQueryItem(name: "department", value: department)) }
        if let street { items.append(URLQueryItem(name: "street", value: street)) }
        if let light { items.append(URLQueryItem(name: "light", value: light.rawValue)) }
        items.append(URLQueryItem(name: "limit", value: String(limit)))
        return items
    }

    /// Whether a case belongs in the list. Text matches the number, type names, description,
    /// addresses, grid, community and street, ignoring case.
    public func matches(_ c: CaseView, role: Role) -> Bool {
        guard statuses(for: role).contains(c.status) else { return false }
        if let department, c.department != department { return false }
        if let street, c.street.code != street { return false }
        if let light, c.step?.light != light { return false }
        let q = text.trimmingCharacters(in: .whitespaces)
        guard !q.isEmpty else { return true }
        let haystack = [c.number, c.code, c.typeNameZh, c.typeNameEn, c.description ?? "", c.address ?? "",
                        c.geocoded?.text ?? "", c.grid.code, c.community.nameZh, c.community.nameEn,
                        c.street.nameZh, c.street.nameEn]
        return haystack.contains { $0.localizedCaseInsensitiveContains(q) }
    }
}
