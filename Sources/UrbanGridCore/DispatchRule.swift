// Dispatch rules (派遣规则): the city's 立案、处置、结案标准 table as data. Which 专业部门 handles a matter or
// component type where, within which 处置时限, and what 立案条件 / 结案条件 apply (CJ/T 315).

/// One row of the city's 立案、处置、结案标准: a type (optionally narrowed by area and urgency) → the
/// responsible department and its handling limit.
///
/// Area restrictions are codes, plus an optional polygon id that the store evaluates (the core does no
/// geometry); when several are given the case must satisfy all of them.
public struct DispatchRule: Codable, Sendable, Equatable {
    public var id: String
    public var kind: CaseKind
    /// GB/T 47678.5 5-digit type code (legacy CJ/T 214 codes are mapped before matching).
    public var code: String
    /// Street (街道/乡镇) codes, 9 digits.
    public var streets: [String]?
    /// Community (社区) codes, 12 digits.
    public var communities: [String]?
    /// Unit grid (单元网格) codes, 15 digits.
    public var grids: [String]?
    /// A named polygon (e.g. a key area 重点区域) the caller tests the case location against.
    public var polygonID: String?
    /// nil: any case; true: only 紧急 cases; false: only ordinary ones.
    public var urgent: Bool?
    /// Responsible 专业部门 code.
    public var department: String
    /// 处置时限.
    public var limit: TimeLimit
    /// 立案条件, shown to the 值班长.
    public var registerCondition: String
    /// 结案条件, shown to the 监督员 at 核查 and the 值班长 at 结案.
    public var closeCondition: String
    /// Free text for people maintaining the file (e.g. the type's name).
    public var note: String?

    public init(id: String, kind: CaseKind, code: String, streets: [String]? = nil, communities: [String]? = nil,
                grids: [String]? = nil, polygonID: String? = nil, urgent: Bool? = nil, department: String,
                limit: TimeLimit, registerCondition: String, closeCondition: String, note: String? = nil) {
        self.id = id; self.kind = kind; self.code = code; self.streets = streets
        self.communities = communities; self.grids = grids; self.polygonID = polygonID; self.urgent = urgent
        self.department = department; self.limit = limit; self.registerCondition = registerCondition
        self.closeCondition = closeCondition; self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, code, streets, communities, grids, urgent, department, limit, note
        case polygonID = "polygon_id", registerCondition = "register_condition", closeCondition = "close_condition"
    }

    /// How narrow the rule's area is; a narrower rule wins.
    public enum AreaLevel: Int, Codable, Sendable, Comparable {
        case citywide, polygon, street, community, grid
        public static func < (a: AreaLevel, b: AreaLevel) -> Bool { a.rawValue < b.rawValue }
    }

    /// The narrowest restriction present.
    public var areaLevel: AreaLevel {
        if grids != nil { return .grid }
        if communities != nil { return .community }
        if streets != nil { return .street }
        if polygonID != nil { return .polygon }
        return .citywide
    }

    /// Whether the rule applies to a case of this type, place and urgency.
    public func matches(kind: CaseKind, code: String, grid: String?, community: String?, street: String?,
                        urgent: Bool, insidePolygons: Set<String>) -> Bool {
        func within(_ list: [String]?, _ value: String?) -> Bool {
            guard let list else { return true }
            return value.map(list.contains) ?? false
        }
        return self.kind == kind && self.code == code && within(grids, grid) && within(communities, community)
            && within(streets, street) && (polygonID.map(insidePolygons.contains) ?? true)
            && (self.urgent.map { $0 == urgent } ?? true)
    }
}

/// The 养护单位, 权属单位 and 主管部门 of a component, as recorded in the component census (部件普查).
public struct ComponentDepartments: Codable, Sendable, Equatable {
    /// 养护单位.
    public var maintainer: String?
    /// 权属单位.
    public var owner: String?
    /// 主管部门.
    public var competent: String?

    public init(maintainer: String? = nil, owner: String? = nil, competent: String? = nil) {
        self.maintainer = maintainer; self.owner = owner; self.competent = competent
    }
}

/// A suggested department for 派遣 and why; the 派遣员 may override it.
public struct DepartmentSuggestion: Codable, Sendable, Equatable {
    public enum Basis: String, Codable, Sendable {
        /// A dispatch rule matched.
        case rule
        /// The component's 养护单位.
        case maintainer
        /// The component's 权属单位.
        case owner
        /// The component's 主管部门.
        case competent
    }

    public var department: String
    public var basis: Basis
    /// The matching rule's id when `basis == .rule`.
    public var ruleID: String?

    public init(department: String, basis: Basis, ruleID: String? = nil) {
        self.department = department; self.basis = basis; self.ruleID = ruleID
    }
}

/// Rule selection.
public enum DispatchRules {
    /// The most specific rule matching the case, or nil.
    ///
    /// Order: area first (grid > community > street > polygon > citywide), then urgency (a rule for
    /// 紧急 or for ordinary cases beats one for both), then file order. Area comes first because a local
    /// arrangement (this street's market is the street office's) is the more deliberate decision.
    public static func match(_ rules: [DispatchRule], kind: CaseKind, code: String, grid: String?,
                             community: String?, street: String?, urgent: Bool,
                             insidePolygons: Set<String> = []) -> DispatchRule? {
        var best: (rule: DispatchRule, level: DispatchRule.AreaLevel, urgencySpecific: Bool)?
        for rule in rules where rule.matches(kind: kind, code: code, grid: grid, community: community,
                                             street: street, urgent: urgent, insidePolygons: insidePolygons) {
            let level = rule.areaLevel, specific = rule.urgent != nil
            if let b = best, (level, specific ? 1 : 0) <= (b.level, b.urgencySpecific ? 1 : 0) { continue }
            best = (rule, level, specific)
        }
        return best?.rule
    }

    /// The department to suggest: the matching rule's; for a component case no rule covers, the
    /// component's 养护单位, else 权属单位, else 主管部门. nil means no suggestion: the case is flagged
    /// for the 派遣员 to choose.
    public static func suggestDepartment(rule: DispatchRule?,
                                         componentDepartments: ComponentDepartments?) -> DepartmentSuggestion? {
        if let rule { return DepartmentSuggestion(department: rule.department, basis: .rule, ruleID: rule.id) }
        guard let c = componentDepartments else { return nil }
        func present(_ s: String?) -> String? {
            guard let s, !s.allSatisfy(\.isWhitespace) else { return nil }
            return s
        }
        if let d = present(c.maintainer) { return DepartmentSuggestion(department: d, basis: .maintainer) }
        if let d = present(c.owner) { return DepartmentSuggestion(department: d, basis: .owner) }
        if let d = present(c.competent) { return DepartmentSuggestion(department: d, basis: .competent) }
        return nil
    }
}

/// A city's dispatch rule file, `gis-data/<city>/dispatch-rules.json`:
/// ```json
/// {
///   "node_limits": {"acceptance": {"working_hours": 0.5}, "handling": {"working_days": 3}},
///   "rules": [
///     {"id": "E-garbage", "kind": "event", "code": "06001", "department": "HW",
///      "limit": {"working_hours": 4},
///      "register_condition": "道路、广场等公共区域有暴露垃圾", "close_condition": "垃圾清除,地面无残留",
///      "note": "暴露垃圾"},
///     {"id": "E-garbage-urgent-s004", "kind": "event", "code": "06001", "streets": ["990201004"],
///      "urgent": true, "department": "HW", "limit": {"working_hours": 2},
///      "register_condition": "…", "close_condition": "…"}
///   ]
/// }
/// ```
/// Rule members: `id`, `kind` (component|event), `code` (5 digits), optional `streets`, `communities`,
/// `grids` (code lists), `polygon_id`, `urgent`, then `department`, `limit` (`TimeLimit`),
/// `register_condition`, `close_condition`, optional `note`. `node_limits` may be absent or partial.
public struct DispatchRuleSet: Codable, Sendable, Equatable {
    public var nodeLimits: NodeLimits
    public var rules: [DispatchRule]
    /// Per-type radius and window of intake's duplicate suggestions.
    public var duplicates: DuplicateWindows

    public init(nodeLimits: NodeLimits = NodeLimits(), rules: [DispatchRule], duplicates: DuplicateWindows = DuplicateWindows()) {
        self.nodeLimits = nodeLimits; self.rules = rules; self.duplicates = duplicates
    }

    enum CodingKeys: String, CodingKey { case nodeLimits = "node_limits", rules, duplicates }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        nodeLimits = try c.decodeIfPresent(NodeLimits.self, forKey: .nodeLimits) ?? NodeLimits()
        rules = try c.decode([DispatchRule].self, forKey: .rules)
        duplicates = try c.decodeIfPresent(DuplicateWindows.self, forKey: .duplicates) ?? DuplicateWindows()
    }

    /// See `DispatchRules.match`.
    public func match(kind: CaseKind, code: String, grid: String?, community: String?, street: String?,
                      urgent: Bool, insidePolygons: Set<String> = []) -> DispatchRule? {
        DispatchRules.match(rules, kind: kind, code: code, grid: grid, community: community, street: street,
                            urgent: urgent, insidePolygons: insidePolygons)
    }

    /// The 处置时限 for a case: the rule's, or the configured fallback when no rule matched.
    public func handlingLimit(for rule: DispatchRule?) -> TimeLimit { rule?.limit ?? nodeLimits.handling }

    /// Every problem in the file: malformed or duplicate ids and codes, empty area lists, blank texts,
    /// rules that can never win because an earlier one has the same scope, and — when given — codes not
    /// in the catalogue and unknown departments.
    public func problems(catalog: Catalog? = nil, departments: Set<String>? = nil) -> [String] {
        var out: [String] = []
        var ids = Set<String>()
        var scopes: [String: String] = [:]
        let componentCodes = catalog.map { Set($0.components.map(\.code)) }
        let matterCodes = catalog.map { Set($0.matters.map(\.code)) }
        for r in rules {
            let at = "rule \(r.id.isEmpty ? "(no id)" : r.id)"
            if r.id.isEmpty { out.append("\(at): empty id") }
            if !ids.insert(r.id).inserted { out.append("\(at): duplicate id") }
            do {
                _ = try TypeCode(r.code, kind: r.kind.catalogKind)
            } catch {
                out.append("\(at): code \(r.code): \(error.description)")
            }
            let known = r.kind == .component ? componentCodes : matterCodes
            if let known, !known.contains(r.code) { out.append("\(at): code \(r.code) is not in the catalogue") }
            for (name, list, digits) in [("streets", r.streets, 9), ("communities", r.communities, 12),
                                         ("grids", r.grids, 15)] {
                guard let list else { continue }
                if list.isEmpty { out.append("\(at): \(name) is empty (omit it for no restriction)") }
                for code in list where code.count != digits || !code.allSatisfy(\.isASCIIDigit) {
                    out.append("\(at): \(name) entry \(code) is not \(digits) digits")
                }
            }
            if let p = r.polygonID, p.isEmpty { out.append("\(at): empty polygon_id") }
            if r.department.isEmpty { out.append("\(at): empty department") }
            if let departments, !r.department.isEmpty, !departments.contains(r.department) {
                out.append("\(at): unknown department \(r.department)")
            }
            if !r.limit.isValid { out.append("\(at): limit must be positive") }
            if r.registerCondition.allSatisfy(\.isWhitespace) { out.append("\(at): empty register_condition") }
            if r.closeCondition.allSatisfy(\.isWhitespace) { out.append("\(at): empty close_condition") }
            let scope = [r.kind.rawValue, r.code, (r.streets ?? ["*"]).sorted().joined(separator: ","),
                         (r.communities ?? ["*"]).sorted().joined(separator: ","),
                         (r.grids ?? ["*"]).sorted().joined(separator: ","), r.polygonID ?? "*",
                         r.urgent.map { "\($0)" } ?? "*"].joined(separator: "|")
            if let earlier = scopes[scope] {
                out.append("\(at): same scope as rule \(earlier), which always wins")
            } else {
                scopes[scope] = r.id
            }
        }
        for (name, limit) in nodeLimits.all where !limit.isValid {
            out.append("node_limits.\(name) must be positive")
        }
        out += duplicates.problems(componentCodes: componentCodes, matterCodes: matterCodes)
        return out
    }
}

/// Time limits of the workflow's nodes (环节时限), in working time.
///
/// The defaults are this system's configurable assumptions, not standard values: the standards leave
/// node limits to each city (typical practice: 受理/立案/派遣 ≤ 30 min, 核实/核查 1–2 h). `handling` is
/// only the fallback 处置时限 for a case no dispatch rule matches; normally the rule's limit applies.
/// JSON keys: acceptance, verification, registration, dispatch, handling, check_dispatch, check, closing;
/// any may be omitted.
public struct NodeLimits: Codable, Sendable, Equatable {
    /// 受理: 30 working minutes.
    public var acceptance: TimeLimit = .workingHours(0.5)
    /// 核实: 1 工作时.
    public var verification: TimeLimit = .workingHours(1)
    /// 立案: 30 working minutes.
    public var registration: TimeLimit = .workingHours(0.5)
    /// 派遣: 30 working minutes.
    public var dispatch: TimeLimit = .workingHours(0.5)
    /// Fallback 处置时限: 3 工作日.
    public var handling: TimeLimit = .workingDays(3)
    /// 核查派发: 30 working minutes.
    public var checkDispatch: TimeLimit = .workingHours(0.5)
    /// 核查: 2 工作时.
    public var check: TimeLimit = .workingHours(2)
    /// 结案: 1 工作时.
    public var closing: TimeLimit = .workingHours(1)

    public init() {}

    /// The limit of a node (for `handling`, the fallback).
    public func limit(for node: CaseNode) -> TimeLimit {
        switch node {
        case .acceptance: acceptance
        case .verification: verification
        case .registration: registration
        case .dispatch: dispatch
        case .handling: handling
        case .checkDispatch: checkDispatch
        case .check: check
        case .closing: closing
        }
    }

    /// Every limit with its JSON key.
    var all: [(String, TimeLimit)] {
        CaseNode.allCases.map { (CodingKeys(node: $0).stringValue, limit(for: $0)) }
    }

    enum CodingKeys: String, CodingKey {
        case acceptance, verification, registration, dispatch, handling, check, closing
        case checkDispatch = "check_dispatch"

        init(node: CaseNode) {
            switch node {
            case .acceptance: self = .acceptance
            case .verification: self = .verification
            case .registration: self = .registration
            case .dispatch: self = .dispatch
            case .handling: self = .handling
            case .checkDispatch: self = .checkDispatch
            case .check: self = .check
            case .closing: self = .closing
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = NodeLimits()
        acceptance = try c.decodeIfPresent(TimeLimit.self, forKey: .acceptance) ?? d.acceptance
        verification = try c.decodeIfPresent(TimeLimit.self, forKey: .verification) ?? d.verification
        registration = try c.decodeIfPresent(TimeLimit.self, forKey: .registration) ?? d.registration
        dispatch = try c.decodeIfPresent(TimeLimit.self, forKey: .dispatch) ?? d.dispatch
        handling = try c.decodeIfPresent(TimeLimit.self, forKey: .handling) ?? d.handling
        checkDispatch = try c.decodeIfPresent(TimeLimit.self, forKey: .checkDispatch) ?? d.checkDispatch
        check = try c.decodeIfPresent(TimeLimit.self, forKey: .check) ?? d.check
        closing = try c.decodeIfPresent(TimeLimit.self, forKey: .closing) ?? d.closing
    }
}
