import UrbanGridCore

/// The ranking screen (综合评价排名): one kind of object over one month, as the server evaluated it.
public struct RankingState: Sendable {
    public var object: EvaluationObject
    public var month: RankingMonth
    /// Best first (see `ordered`); empty while loading or after an error.
    public var rows: [EvaluationRow] = []
    public var loading = true
    /// The first row shown.
    public var top = 0

    public init(object: EvaluationObject = .department, month: RankingMonth) {
        self.object = object; self.month = month
    }

    /// Rows by rank (1 first); rows without a rank (no score) last; ties by name, then id.
    public static func ordered(_ rows: [EvaluationRow]) -> [EvaluationRow] {
        rows.sorted { a, b in
            switch (a.rank, b.rank) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return (a.name, a.id) < (b.name, b.id)
            }
        }
    }

    /// The kinds of object a role may see, in the order the kind key cycles through them (as the
    /// server's evaluation route allows them).
    public static func kinds(for role: Role) -> [EvaluationObject] {
        switch role {
        case .admin, .operator_, .shiftLeader, .dispatcher: EvaluationObject.allCases
        case .departmentStaff: [.department]
        case .inspector: [.inspector]
        }
    }

    /// The kind after (or before) `object` among those `role` may see.
    public static func kind(after object: EvaluationObject, by step: Int, role: Role) -> EvaluationObject {
        let kinds = kinds(for: role)
        guard let i = kinds.firstIndex(of: object) else { return kinds.first ?? object }
        return kinds[((i + step) % kinds.count + kinds.count) % kinds.count]
    }

    /// The colour of a grade: A and B green, C yellow, D and E red, none plain.
    public static func tint(grade: String?) -> Tint {
        switch grade {
        case "A", "B": .green
        case "C": .yellow
        case "D", "E": .red
        default: .normal
        }
    }
}

extension Language {
    public func name(_ object: EvaluationObject) -> String {
        guard self == .en else { return object.nameZh }
        switch object {
        case .department: return "departments"
        case .inspector: return "inspectors"
        case .operator_: return "operators"
        case .shiftLeader: return "shift leaders"
        case .dispatcher: return "dispatchers"
        case .grid: return "grids"
        case .community: return "communities"
        case .street: return "streets"
        case .district: return "districts"
        }
    }
}
