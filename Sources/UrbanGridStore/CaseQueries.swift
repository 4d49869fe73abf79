import Foundation
import GRDB
import UrbanGridCore

/// Filters of `GET /api/v1/cases`.
public struct CaseFilter: Sendable {
    public var statuses: [CaseStatus] = []
    public var node: CaseNode?
    public var department: String?
    public var gridCode: String?
    public var communityCode: String?
    public var streetCode: String?
    public var code: String?
    public var light: AlertLight?
    public var from: Date?
    public var to: Date?
    /// [minLon, minLat, maxLon, maxLat] in the storage CRS.
    public var bbox: [Double]?
    public var text: String?
    /// Keyset paging: cases with a smaller id than this (newest first).
    public var before: Int64?
    public var limit: Int = 50
    public init() {}
}

extension CityStore {
    /// Roles of the centre (监督指挥中心), who may see reporters' personal data.
    static let centreRoles: Set<Role> = [.admin, .operator_, .shiftLeader, .dispatcher]

    static let viewSQL = """
        SELECT r.id, r.number, r.kind, r.type_code, coalesce(ct.name_zh, mt.name_zh), coalesce(ct.name_en, mt.name_en),
               r.state, r.urgent, r.description, ST_X(r.geom), ST_Y(r.geom), r.grid_code, g.area_m2,
               r.community_code, cm.name_zh, cm.name_en, r.street_code, st.name_zh, st.name_en,
               r.component_id, r.address, r.geocoded, r.department_code, r.suggestion, r.flagged, r.rule_id,
               r.duplicates, r.clock, r.reporter_name, r.reporter_phone, r.created_at, r.updated_at, r.mx, r.my
        FROM case_record r
        JOIN grid g ON g.code = r.grid_code JOIN community cm ON cm.code = r.community_code
        JOIN street st ON st.code = r.street_code
        LEFT JOIN component_type ct ON r.kind = 'component' AND ct.code = r.type_code
        LEFT JOIN matter_type mt ON r.kind = 'event' AND mt.code = r.type_code
        """

    /// One case as `viewer` may see it (nil when it does not exist for them), optionally with its timeline.
    public func caseView(id: Int64, viewer: UserAccount, timeline: Bool = true, now: Date = Date()) throws -> CaseView? {
        try pool.read { db in
            guard let r = try Row.fetchOne(db.cachedStatement(sql: Self.viewSQL + " WHERE r.id = ?"), arguments: [id]),
                  var view = try makeView(db, r, viewer: viewer, now: now) else { return nil }
            if timeline {
                view.timeline = try Row.fetchAll(db.cachedStatement(sql: CaseAudit.selectSQL + " WHERE a.case_id = ? ORDER BY a.seq"),
                                                 arguments: [id]).map(CaseAudit.event)
            }
            return view
        }
    }

    /// Cases matching `filter` that `viewer` may see, newest first, and the cursor of the next page.
    public func cases(_ filter: CaseFilter, viewer: UserAccount, now: Date = Date()) throws -> (items: [CaseView], next: Int64?) {
        var clauses: [String] = [], args: [(any DatabaseValueConvertible)?] = []
        if !filter.statuses.isEmpty {
            clauses.append("r.status IN (\(Array(repeating: "?", count: filter.statuses.count).joined(separator: ",")))")
            args += filter.statuses.map(\.rawValue)
        }
        if let node = filter.node {
            let statuses = CaseStatus.allCases.filter { $0.node == node }
            clauses.append("r.status IN (\(Array(repeating: "?", count: statuses.count).joined(separator: ",")))")
            args += statuses.map(\.rawValue)
        }
        if viewer.role == .departmentStaff { clauses.append("r.department_code = ?"); args.append(viewer.departmentCode) }
        for (column, value) in [("r.department_code", filter.department), ("r.grid_code", filter.gridCode),
                                ("r.community_code", filter.communityCode), ("r.street_code", filter.streetCode),
                                ("r.type_code", filter.code)] {
            if let value { clauses.append("\(column) = ?"); args.append(value) }
        }
        if let from = filter.from { clauses.append("r.created_at >= ?"); args.append(Timestamps.format(from)) }
        if let to = filter.to { clauses.append("r.created_at < ?"); args.append(Timestamps.format(to)) }
        if let b = filter.bbox, b.count == 4 {
            clauses.append("r.id IN (SELECT pkid FROM idx_case_record_geom WHERE xmax >= ? AND xmin <= ? AND ymax >= ? AND ymin <= ?)")
            args += [b[0], b[2], b[1], b[3]]
        }
        if let text = filter.text {
            clauses.append("(r.number LIKE ? ESCAPE '\\' OR r.description LIKE ? ESCAPE '\\' OR r.address LIKE ? ESCAPE '\\')")
            let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            args += [pattern, pattern, pattern]
        }
        clauses.append("r.id < ?")
        let whereSQL = " WHERE " + clauses.joined(separator: " AND ")
        return try pool.read { db in
            // Keyset paging on the id. The alert light depends on now, so it is filtered here,
            // reading on until the page is full or the cases run out.
            let statement = try db.makeStatement(sql: Self.viewSQL + whereSQL + " ORDER BY r.id DESC LIMIT ?")
            var items: [CaseView] = [], below = filter.before ?? Int64.max
            while true {
                let rows = try Row.fetchAll(statement, arguments: StatementArguments(args + [below, filter.limit + 1]))
                for r in rows {
                    if items.count == filter.limit { return (items, below) }
                    below = r[0]
                    guard let v = try makeView(db, r, viewer: viewer, now: now) else { continue }
                    if let light = filter.light, v.step?.light != light { continue }
                    items.append(v)
                }
                if rows.count <= filter.limit { return (items, nil) }
            }
        }
    }

    /// The cases waiting for this user: an inspector's verifications and checks, a department's open
    /// cases, and for the centre's roles the cases at their step.
    public func tasks(for user: UserAccount, now: Date = Date()) throws -> [CaseView] {
        var filter = CaseFilter()
        filter.limit = 500
        filter.statuses = switch user.role {
        case .inspector: [.verifying, .checking]
        case .operator_: [.reported, .handled]
        case .shiftLeader: [.awaitingRegistration, .awaitingClose]
        case .dispatcher: [.awaitingDispatch, .returnRequested, .extensionRequested, .hangRequested, .hung]
        case .departmentStaff: [.dispatched, .handling, .returnRequested, .extensionRequested, .hangRequested, .hung]
        case .admin: []
        }
        guard user.role != .admin else { return [] }
        return try cases(filter, viewer: user, now: now).items
            .filter { !$0.allowedActions.isEmpty || user.role == .departmentStaff || user.role == .dispatcher }
            .sorted { ($0.step?.light ?? .green, -($0.step?.remainingSeconds ?? 0)) > ($1.step?.light ?? .green, -($1.step?.remainingSeconds ?? 0)) }
    }

    /// Audit entries after `seq` that `viewer` may see, oldest first (the event stream's source).
    public func events(after seq: Int64, viewer: UserAccount, limit: Int = 500) throws -> [CaseEvent] {
        try pool.read { db in
            if viewer.role == .departmentStaff {
                return try Row.fetchAll(db.cachedStatement(sql: CaseAudit.selectSQL + """
                     JOIN case_record r ON r.id = a.case_id WHERE a.seq > ? AND r.department_code = ? ORDER BY a.seq LIMIT ?
                    """), arguments: [seq, viewer.departmentCode, limit]).map(CaseAudit.event)
            }
            return try Row.fetchAll(db.cachedStatement(sql: CaseAudit.selectSQL + " WHERE a.seq > ? ORDER BY a.seq LIMIT ?"),
                                    arguments: [seq, limit]).map(CaseAudit.event)
        }
    }

    /// The newest audit sequence number (0 when there is none).
    public func lastEventSeq() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(seq), 0) FROM case_audit")) ?? 0 }
    }

    func makeView(_ db: Database, _ r: Row, viewer: UserAccount, now: Date) throws -> CaseView? {
        let decoder = JSONDecoder()
        func decode<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T? {
            try text.map { try decoder.decode(T.self, from: Data($0.utf8)) }
        }
        guard let state = try decode(CaseState.self, r[6]) else { return nil }
        var component: NearbyComponent? = nil
        if let cid = r[19] as String? {
            component = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT c.id, c.type_code, t.name_zh, t.name_en, c.name, c.status,
                       sqrt((c.mx - ?) * (c.mx - ?) + (c.my - ?) * (c.my - ?)), ST_X(c.geom), ST_Y(c.geom)
                FROM component c JOIN component_type t ON t.code = c.type_code WHERE c.id = ?
                """), arguments: [r[32], r[32], r[33], r[33], cid]).map {
                NearbyComponent(id: $0[0], typeCode: $0[1], typeNameZh: $0[2], typeNameEn: $0[3], name: $0[4],
                                status: $0[5], distanceM: (($0[6] as Double) * 100).rounded() / 100, lon: $0[7], lat: $0[8])
            }
        }
        let stored = StoredCase(
            id: r[0], number: r[1], kind: CaseKind(rawValue: r[2]) ?? .event, code: r[3], typeNameZh: r[4] ?? "",
            typeNameEn: r[5] ?? "", state: state, urgent: r[7], description: r[8], lon: r[9], lat: r[10],
            grid: GridSummary(code: r[11], areaM2: r[12]),
            community: NamedArea(code: r[13], nameZh: r[14], nameEn: r[15]),
            street: NamedArea(code: r[16], nameZh: r[17], nameEn: r[18]),
            component: component, address: r[20], geocoded: try decode(GeocodedAddress.self, r[21]),
            suggestion: try decode(DepartmentSuggestion.self, r[23]), flagged: r[24], ruleId: r[25],
            duplicates: try decode([DuplicateCandidate].self, r[26]) ?? [], clock: try decode(StepClock.self, r[27]),
            reporterName: r[28], reporterPhone: r[29],
            createdAt: Timestamps.parse(r[30]) ?? now, updatedAt: Timestamps.parse(r[31]) ?? now)
        return view(of: stored, viewer: viewer, now: now)
    }

    /// A case as `viewer` may see it at `now` (nil when they may not see it): the one place that
    /// decides what an answer shows, for a case read back and for one just written.
    func view(of c: StoredCase, viewer: UserAccount, now: Date) -> CaseView? {
        if viewer.role == .departmentStaff, c.state.department != viewer.departmentCode { return nil }
        let step = c.clock.map { StepView(node: $0.node, clock: $0, reading: $0.reading(at: now, on: rules.calendar)) }
        let actor = CaseActor(role: viewer.role, userID: viewer.id, departmentCode: viewer.departmentCode)
        let showReporter = Self.centreRoles.contains(viewer.role) && (c.reporterName != nil || c.reporterPhone != nil)
        return CaseView(
            id: c.id, number: c.number, kind: c.kind, code: c.code, typeNameZh: c.typeNameZh, typeNameEn: c.typeNameEn,
            status: c.state.status, statusZh: c.state.status.nameZh, source: c.state.source, urgent: c.urgent,
            selfHandled: c.state.selfHandled, description: c.description, lon: c.lon, lat: c.lat, grid: c.grid,
            community: c.community, street: c.street, component: c.component, address: c.address, geocoded: c.geocoded,
            department: c.state.department, suggestedDepartment: c.suggestion, flaggedForDispatcher: c.flagged,
            ruleId: c.ruleId, duplicates: c.duplicates, reworkCount: c.state.reworkCount, step: step,
            allowedActions: CaseWorkflow.allowedActions(state: c.state, actor: actor),
            reporter: showReporter ? CaseIntake.Reporter(name: c.reporterName, phone: c.reporterPhone) : nil,
            createdAt: c.createdAt, updatedAt: c.updatedAt, timeline: nil)
    }
}

/// A case's stored values, decoded: what `view(of:viewer:now:)` turns into an answer.
struct StoredCase {
    var id: Int64, number: String, kind: CaseKind, code: String, typeNameZh: String, typeNameEn: String
    var state: CaseState, urgent: Bool, description: String?, lon: Double, lat: Double
    var grid: GridSummary, community: NamedArea, street: NamedArea, component: NearbyComponent?
    var address: String?, geocoded: GeocodedAddress?, suggestion: DepartmentSuggestion?, flagged: Bool, ruleId: String?
    var duplicates: [DuplicateCandidate], clock: StepClock?, reporterName: String?, reporterPhone: String?
    var createdAt: Date, updatedAt: Date
}
