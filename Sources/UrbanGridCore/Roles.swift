/// The people who use the system and what they may do.
public enum Role: String, Codable, Sendable, CaseIterable {
    case admin
    /// 监督员: field inspector, reports problems, verifies and checks on site.
    case inspector
    /// 受理员: operator, accepts reports and sends verifications and checks.
    case operator_ = "operator"
    /// 值班长: shift leader, registers (立案), voids and closes cases.
    case shiftLeader = "shift-leader"
    /// 派遣员: dispatcher, sends cases to departments and approves their requests.
    case dispatcher
    /// 专业部门人员: staff of one responsible department.
    case departmentStaff = "department-staff"

    /// Department staff must be bound to a department; nobody else may be.
    public var needsDepartment: Bool { self == .departmentStaff }

    public var nameZh: String {
        switch self {
        case .admin: "管理员"
        case .inspector: "监督员"
        case .operator_: "受理员"
        case .shiftLeader: "值班长"
        case .dispatcher: "派遣员"
        case .departmentStaff: "专业部门人员"
        }
    }
}
