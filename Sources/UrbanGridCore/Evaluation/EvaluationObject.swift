// What is evaluated (综合评价, standards §5): regions (区域), 专业部门 and the four posts (岗位) of the centre.

/// One kind of object the centre evaluates: `GET /api/v1/evaluation?object=<rawValue>`.
public enum EvaluationObject: String, Codable, Sendable, CaseIterable {
    /// 专业部门.
    case department
    /// 监督员.
    case inspector
    /// 受理员.
    case operator_ = "operator"
    /// 值班长.
    case shiftLeader = "shift-leader"
    /// 派遣员.
    case dispatcher
    /// 单元网格.
    case grid
    /// 社区.
    case community
    /// 街道.
    case street
    /// 区.
    case district

    /// The score card it is scored with: the four region levels share one.
    public var family: EvaluationFamily {
        switch self {
        case .department: .department
        case .inspector: .inspector
        case .operator_: .operator_
        case .shiftLeader: .shiftLeader
        case .dispatcher: .dispatcher
        case .grid, .community, .street, .district: .region
        }
    }

    /// The role whose people are evaluated (posts only).
    public var role: Role? {
        switch self {
        case .inspector: .inspector
        case .operator_: .operator_
        case .shiftLeader: .shiftLeader
        case .dispatcher: .dispatcher
        case .department, .grid, .community, .street, .district: nil
        }
    }

    public var nameZh: String {
        switch self {
        case .department: "专业部门"
        case .inspector: "监督员"
        case .operator_: "受理员"
        case .shiftLeader: "值班长"
        case .dispatcher: "派遣员"
        case .grid: "单元网格"
        case .community: "社区"
        case .street: "街道"
        case .district: "区"
        }
    }
}

/// A score card (指标体系): which counts are kept, which indicators they give and how they are weighed.
public enum EvaluationFamily: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    case department
    case inspector
    case operator_ = "operator"
    case shiftLeader = "shift-leader"
    case dispatcher
    /// 区域: grid, community, street and district.
    case region
}
