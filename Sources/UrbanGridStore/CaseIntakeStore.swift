import Foundation
import GRDB
import UrbanGridCore

/// An intake ready for the store: the code already in GB/T 47678.5 form and the point already in
/// the city's storage CRS (the server converts GCJ-02/BD-09 and legacy codes).
public struct NewCase: Sendable {
    public var intake: CaseIntake
    public var lon: Double
    public var lat: Double
    public var reporter: UserAccount
    public var idempotencyKey: String?
    public init(intake: CaseIntake, lon: Double, lat: Double, reporter: UserAccount, idempotencyKey: String?) {
        self.intake = intake; self.lon = lon; self.lat = lat; self.reporter = reporter; self.idempotencyKey = idempotencyKey
    }
}

/// Radii and windows of intake (configurable per server).
public struct IntakeSettings: Sendable {
    /// A component case without an id snaps to the nearest component of its type within this radius.
    public var snapRadiusM: Double = 30
    /// Open cases with the same code within this radius and window are suggested as duplicates
    /// (for types the city's `DuplicateWindows` do not name).
    public var duplicateRadiusM: Double = 50
    public var duplicateWindow: TimeInterval = 7 * 24 * 3600
    public var geocodeRadiusM: Double = 100
    public init() {}
}

extension CityStore {
    /// Registers a report as a case: locates it (grid, community, street), snaps it to a component,
    /// reverse-geocodes it, finds likely duplicates, applies the dispatch rules and starts the first
    /// step's clock, then writes the case and its first audit entry — all in one write transaction.
    /// The same idempotency key from the same user returns the original case (`created` false, no
    /// `view`); a new case comes back as its reporter sees it, built from the values written
    /// (the same answer `caseView` reads back, without reading it back).
    public func createCase(_ new: NewCase, settings: IntakeSettings = IntakeSettings(),
                           now: Date = Date()) async throws -> (id: Int64, created: Bool, view: CaseView?) {
        guard let metric = try toMetric.with({ $0.forward(new.lon, new.lat) }) else { throw Problem.outsideCity(field: "location") }
        let srid = profile.storageSrid
        let point = (lon: new.lon, lat: new.lat, mx: metric.x, my: metric.y)
        // Everything that only reads runs first, in one read transaction and in parallel with other
        // requests; the write transaction below holds the single writer only for the inserts.
        let found = try lookUp(new, point: point, settings: settings, now: now)
        guard let found else { throw Problem.outsideCity(field: "location") }
        let hit = found.hit, component = found.component
        let intake = { var i = new.intake; i.code = found.type.code; return i }()   // a legacy code mapped
        let state: CaseState
        do {
            state = try CaseWorkflow.initialState(source: intake.source ?? .inspector, selfHandled: intake.selfHandled ?? false,
                                                  reporterRole: new.reporter.role)
        } catch { throw error.problem }
        let urgent = intake.urgent ?? false
        let rule = rules.dispatch.match(kind: intake.kind, code: intake.code, grid: hit.code,
                                        community: hit.communityCode, street: hit.streetCode, urgent: urgent)
        let suggestion = DispatchRules.suggestDepartment(rule: rule, componentDepartments: found.departments)
        let clock = state.status.node.map { StepClock(node: $0, start: now, limit: limit(for: $0, rule: rule)) }
        // Built in small steps: one long heterogeneous literal costs the compiler minutes.
        var values: [(any DatabaseValueConvertible)?] = [intake.kind.rawValue, intake.code, state.source.rawValue]
        values += [urgent, state.selfHandled, intake.description, intake.address]
        values += [found.geocoded?.jsonText, intake.reporter?.name, intake.reporter?.phone]
        values += [new.reporter.id, new.idempotencyKey, state.jsonText, state.status.rawValue, state.department]
        values += [clock?.jsonText, clock.map { Timestamps.format($0.reading(at: now, on: rules.calendar).deadline) }]
        values += [hit.code, hit.communityCode, hit.streetCode, component?.id, suggestion?.jsonText, rule?.id]
        values += [suggestion == nil, found.duplicates.jsonText, point.mx, point.my]
        let stamp = Timestamps.format(now)
        values += [stamp, stamp, point.lon, point.lat]
        let arguments = StatementArguments(values)
        let action = state.selfHandled ? "self-handle" : "report"
        let summary = state.selfHandled ? (zh: "监督员上报并自行处置", en: "reported and fixed on the spot") : (zh: "上报案件", en: "reported")
        // Concurrent reports share one commit (group commit); each answer waits for its commit.
        let written = try await intakeCommits.write { [self] db in
            // The idempotency check belongs in the write transaction: concurrent retries queue here.
            if let key = new.idempotencyKey,
               let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM case_record WHERE reported_by = ? AND idempotency_key = ?"),
                                                 arguments: [new.reporter.id, key]) {
                return CaseCreated(id: existing, created: false)
            }
            let number = try nextCaseNumber(db, now: now)
            try db.cachedStatement(sql: """
                INSERT INTO case_record (number, kind, type_code, source, urgent, self_handled, description, address,
                    geocoded, reporter_name, reporter_phone, reported_by, idempotency_key, state, status, department_code,
                    clock, deadline, grid_code, community_code, street_code, component_id, suggestion, rule_id, flagged,
                    duplicates, mx, my, created_at, updated_at, geom)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, MakePoint(?, ?, \(srid)))
                """).execute(arguments: [number] + arguments)
            let id = db.lastInsertedRowID
            let seq = try CaseAudit.append(db, caseID: id, at: now, actor: new.reporter, action: action,
                                           from: nil, to: state.status, department: nil, note: intake.description,
                                           summaryZh: summary.zh, summaryEn: summary.en,
                                           overdueFrom: clock?.overdueFrom(at: now, on: rules.calendar))
            if let clock {
                try CaseSteps.open(db, caseID: id, seq: seq, action: action, actor: new.reporter, state: state,
                                   clock: clock, calendar: rules.calendar)
            }
            return CaseCreated(id: id, created: true, number: number, auditSeq: seq)
        }
        guard written.created else { return (written.id, false, nil) }
        let at = Timestamps.parse(stamp) ?? now   // as stored: milliseconds
        let stored = StoredCase(
            id: written.id, number: written.number, kind: intake.kind, code: intake.code, typeNameZh: found.type.nameZh,
            typeNameEn: found.type.nameEn, state: state, urgent: urgent, description: intake.description,
            lon: point.lon, lat: point.lat, grid: GridSummary(code: hit.code, areaM2: hit.areaM2),
            community: NamedArea(code: hit.communityCode, nameZh: hit.communityZh, nameEn: hit.communityEn),
            street: NamedArea(code: hit.streetCode, nameZh: hit.streetZh, nameEn: hit.streetEn),
            component: component, address: intake.address, geocoded: found.geocoded, suggestion: suggestion,
            flagged: suggestion == nil, ruleId: rule?.id, duplicates: found.duplicates, clock: clock,
            reporterName: intake.reporter?.name, reporterPhone: intake.reporter?.phone, createdAt: at, updatedAt: at)
        var view = view(of: stored, viewer: new.reporter, now: now)
        view?.timeline = [CaseEvent(seq: written.auditSeq, caseId: written.id, at: at, actor: new.reporter.username,
                                    actorRole: new.reporter.role, action: action, from: nil, to: state.status,
                                    department: nil, note: intake.description, summaryZh: summary.zh, summaryEn: summary.en)]
        return (written.id, true, view)
    }

    struct CaseCreated: Sendable { var id: Int64; var created: Bool; var number = ""; var auditSeq: Int64 = 0 }

    /// Everything intake reads (synchronous on purpose: a blocking read on a reader connection,
    /// not an async hop per report). Outside a transaction: each statement sees a committed state
    /// of its own, and nothing here needs more (base layers change by whole imports, the catalogue
    /// never; duplicates are a suggestion); BEGIN and COMMIT cost more than the statements saved.
    func lookUp(_ new: NewCase, point: (lon: Double, lat: Double, mx: Double, my: Double), settings: IntakeSettings,
                now: Date) throws -> IntakeLookup? {
        var intake = new.intake
        return try pool.unsafeRead { db -> IntakeLookup? in
            let type = try CaseLocator.type(db, kind: intake.kind, code: intake.code, names: typeNames)
            intake.code = type.code
            let version = try CityStore.baseVersion(db)
            guard profile.extentContains(lon: new.lon, lat: new.lat),
                  let hit = try grids.index(db, version: version).grid(x: new.lon, y: new.lat) else { return nil }
            let component = try CaseLocator.component(db, intake: intake, point: point, radius: settings.snapRadiusM,
                                                      nearby: components.index(db, version: version))
            let departments = try component.flatMap { c in
                try Row.fetchOne(db.cachedStatement(sql: "SELECT maintainer_dept, owner_dept, competent_dept FROM component WHERE id = ?"),
                                 arguments: [c.id]).map { ComponentDepartments(maintainer: $0[0], owner: $0[1], competent: $0[2]) }
            }
            // The type's own radius and window (the city's rules), else the server's.
            let window = rules.dispatch.duplicates.window(kind: intake.kind, code: intake.code)
            let since = now.addingTimeInterval(-(window.map { $0.windowHours * 3600 } ?? settings.duplicateWindow))
            return IntakeLookup(
                type: type, hit: hit, component: component, departments: departments,
                geocoded: try geocoder.index(db, version: version).geocode(x: point.mx, y: point.my, radius: settings.geocodeRadiusM),
                duplicates: try CaseLocator.duplicates(db, kind: intake.kind, code: intake.code, componentID: component?.id,
                                                       point: point, radius: window?.radiusM ?? settings.duplicateRadiusM,
                                                       since: Timestamps.format(since)))
        }
    }

    /// What intake reads about a point before it writes.
    struct IntakeLookup: Sendable {
        var type: TypeNames.Name
        var hit: GridIndex.GridHit
        var component: NearbyComponent?
        var departments: ComponentDepartments?
        var geocoded: GeocodedAddress?
        var duplicates: [DuplicateCandidate]
    }

    /// The limit of a step: the matched rule's handling limit, or the city's node limit.
    func limit(for node: CaseNode, rule: DispatchRule?) -> TimeLimit {
        node == .handling ? rules.dispatch.handlingLimit(for: rule) : rules.dispatch.nodeLimits.limit(for: node)
    }

    /// Human case number, per city and local day: YYYYMMDD-NNNN (4 digits at least), from a counter
    /// row per day taken in the write transaction.
    func nextCaseNumber(_ db: Database, now: Date) throws -> String {
        let local = rules.calendar.day(of: now)
        let day = zeroPadded(local.year, width: 4) + zeroPadded(local.month, width: 2) + zeroPadded(local.day, width: 2)
        let next = try Int.fetchOne(db.cachedStatement(sql: """
            INSERT INTO case_number_seq (day, last) VALUES (?, 1)
            ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last
            """), arguments: [day]) ?? 1
        return "\(day)-\(zeroPadded(next, width: 4))"
    }
}

extension Problem {
    static func outsideCity(field: String) -> Problem {
        Problem("outside-city", status: 422, title: "Point outside the city",
                detail: "the location lies in no unit grid of this city", detailZh: "该位置不在本市任何单元网格内", field: field)
    }
}

/// The look-ups of intake: the type and the component snapped to (from memory), the likely
/// duplicates (SQLite).
enum CaseLocator {
    typealias Point = (lon: Double, lat: Double, mx: Double, my: Double)

    /// The type a report names (`TypeNames.name`), or a 400 naming the code.
    static func type(_ db: Database, kind: CaseKind, code: String, names: TypeNames) throws -> TypeNames.Name {
        guard let name = try names.name(db, kind: kind, code: code) else {
            throw Problem("invalid-body", status: 400, title: "Unknown code",
                          detail: "'\(code)' is not a GB/T 47678.5 \(kind == .component ? "component" : "matter") code or a mapped CJ/T 214 code",
                          detailZh: "'\(code)' 不是有效的部件/事项代码", field: "code")
        }
        return name
    }

    /// The component a case is about: the one named, or the nearest of its type within `radius`
    /// (from the components in memory, as locate finds them).
    static func component(_ db: Database, intake: CaseIntake, point: Point, radius: Double,
                          nearby: ComponentIndex) throws -> NearbyComponent? {
        guard let id = intake.componentId else {
            guard intake.kind == .component else { return nil }
            return nearby.nearest(x: point.mx, y: point.my, radius: radius, type: intake.code, limit: 1).first
        }
        guard let r = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT c.id, c.type_code, t.name_zh, t.name_en, c.name, c.status,
                   sqrt((c.mx - ?1) * (c.mx - ?1) + (c.my - ?2) * (c.my - ?2)), ST_X(c.geom), ST_Y(c.geom)
            FROM component c JOIN component_type t ON t.code = c.type_code WHERE c.id = ?3
            """), arguments: [point.mx, point.my, id]) else {
            throw Problem("invalid-body", status: 400, title: "Unknown component", detail: "no component \(id)",
                          detailZh: "部件 \(id) 不存在", field: "componentId")
        }
        return NearbyComponent(id: r[0], typeCode: r[1], typeNameZh: r[2], typeNameEn: r[3], name: r[4], status: r[5],
                               distanceM: ((r[6] as Double) * 100).rounded() / 100, lon: r[7], lat: r[8])
    }

    /// Open cases with the same code near the point and recent, or on the same component: the
    /// nearest ten, those on the same component first.
    ///
    /// Searched through `case_open_near`, an index of open cases only, by kind, code and metric
    /// cell: the cells' rows as equalities, their columns as a range, so SQLite reads the index
    /// entries of this code around the point and only their rows. (The case R*Tree would hand
    /// over every case in the box, of any code, open or closed.)
    static func duplicates(_ db: Database, kind: CaseKind, code: String, componentID: String?, point: Point,
                           radius: Double, since: String) throws -> [DuplicateCandidate] {
        // Each row of cells is an equality and its columns a range, three rows to a statement
        // (an `IN` list of rows would build a temporary b-tree per report); a radius up to the
        // cell size needs one statement, a larger one several.
        var near: [Row] = []
        let rows = Array(cell(point.my - radius)...cell(point.my + radius))
        for first in stride(from: 0, to: rows.count, by: 3) {
            let three = (0..<3).map { first + $0 < rows.count ? rows[first + $0] : Int.min }   // Int.min: no cell
            near += try Row.fetchAll(db.cachedStatement(sql: nearSQL), arguments: [
                point.mx, point.my, componentID, kind.rawValue, code, since, radius,
                cell(point.mx - radius), cell(point.mx + radius), three[0], three[1], three[2]])
        }
        let onComponent = try componentID.map { id in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT \(candidate) FROM case_record WHERE \(openCase) AND component_id = ?3"),
                             arguments: [point.mx, point.my, id])
        } ?? []
        var seen = Set<Int64>()
        let found = (onComponent + near).compactMap { r -> (order: (Int, Double, Int64), candidate: DuplicateCandidate)? in
            guard seen.insert(r[0]).inserted else { return nil }
            let same = (r[4] as Bool?) ?? false, d: Double = r[3]
            return ((same ? 0 : 1, d, r[0]),
                    DuplicateCandidate(caseId: r[0], number: r[1], status: CaseStatus(rawValue: r[2]) ?? .reported,
                                       distanceM: (d * 10).rounded() / 10, sameComponent: same))
        }
        return found.sorted { $0.order < $1.order }.prefix(10).map(\.candidate)
    }

    private static let nearSQL = [10, 11, 12].map { row in
        """
        SELECT \(candidate) FROM case_record
        WHERE \(openCase) AND kind = ?4 AND type_code = ?5 AND \(cellY) = ?\(row) AND \(cellX) BETWEEN ?8 AND ?9
          AND created_at >= ?6 AND d <= ?7
        """
    }.joined(separator: " UNION ALL ")

    private static let candidate = """
        id, number, status, sqrt((mx - ?1) * (mx - ?1) + (my - ?2) * (my - ?2)) AS d, coalesce(component_id = ?3, 0)
        """

    /// The statuses of a case still open: the condition of the partial index `case_open_near`
    /// (migration v10), word for word, so that SQLite may use it.
    static let openCase = "status NOT IN ('closed', 'voided', 'refused')"
    /// The index's metric cells of 64 m; SQLite's CAST truncates toward zero, as `cell` does.
    static let cellX = "CAST(mx / 64 AS INTEGER)", cellY = "CAST(my / 64 AS INTEGER)"
    static func cell(_ metres: Double) -> Int { Int(metres / 64) }
}
