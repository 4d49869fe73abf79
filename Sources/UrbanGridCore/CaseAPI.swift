import Foundation

/// The body of `POST /api/v1/cases`: what an inspector's phone or an operator's form sends.
public struct CaseIntake: Codable, Sendable, Equatable {
    public struct Location: Codable, Sendable, Equatable {
        public var lon: Double
        public var lat: Double
        public var crs: SourceCRS?
        public init(lon: Double, lat: Double, crs: SourceCRS? = nil) { self.lon = lon; self.lat = lat; self.crs = crs }
    }
    /// Personal data of a citizen who reported by hotline or app: stored, shown only to the centre.
    public struct Reporter: Codable, Sendable, Equatable {
        public var name: String?
        public var phone: String?
        public init(name: String? = nil, phone: String? = nil) { self.name = name; self.phone = phone }
    }
    public var kind: CaseKind
    /// 5-digit GB/T 47678.5 code, or a 4-digit CJ/T 214-2007 class (mapped).
    public var code: String
    public var location: Location
    public var componentId: String?
    public var address: String?
    public var description: String?
    public var urgent: Bool?
    public var source: CaseSource?
    public var reporter: Reporter?
    public var selfHandled: Bool?

    public init(kind: CaseKind, code: String, location: Location, componentId: String? = nil, address: String? = nil,
                description: String? = nil, urgent: Bool? = nil, source: CaseSource? = nil,
                reporter: Reporter? = nil, selfHandled: Bool? = nil) {
        self.kind = kind; self.code = code; self.location = location; self.componentId = componentId
        self.address = address; self.description = description; self.urgent = urgent; self.source = source
        self.reporter = reporter; self.selfHandled = selfHandled
    }

    /// Field-level checks that need no data: lengths and shapes. Codes are checked against the catalogue
    /// by the caller.
    public func problems() -> Problem? {
        func bad(_ field: String, _ en: String, _ zh: String) -> Problem {
            Problem("invalid-body", status: 400, title: "Invalid request body", detail: en, detailZh: zh, field: field)
        }
        if !(location.lon.isFinite && location.lat.isFinite) || abs(location.lon) > 180 || abs(location.lat) > 90 {
            return bad("location", "location must hold finite lon (−180…180) and lat (−90…90)", "位置坐标无效")
        }
        if let d = description, d.count > 4000 { return bad("description", "description exceeds 4,000 characters", "描述超过 4000 字") }
        if let a = address, a.count > 256 { return bad("address", "address exceeds 256 characters", "地址超过 256 字") }
        if let p = reporter?.phone, p.count > 32 { return bad("reporter.phone", "phone exceeds 32 characters", "电话过长") }
        if let n = reporter?.name, n.count > 64 { return bad("reporter.name", "name exceeds 64 characters", "姓名过长") }
        return nil
    }
}

/// One entry of a case's timeline (the append-only audit log).
public struct CaseEvent: Codable, Sendable, Equatable {
    /// The audit sequence number: also the Server-Sent Events id.
    public var seq: Int64
    public var caseId: Int64
    public var at: Date
    public var actor: String
    public var actorRole: Role
    public var action: String
    public var from: CaseStatus?
    public var to: CaseStatus
    public var department: String?
    public var note: String?
    public var summaryZh: String
    public var summaryEn: String
    public init(seq: Int64, caseId: Int64, at: Date, actor: String, actorRole: Role, action: String,
                from: CaseStatus?, to: CaseStatus, department: String?, note: String?, summaryZh: String, summaryEn: String) {
        self.seq = seq; self.caseId = caseId; self.at = at; self.actor = actor; self.actorRole = actorRole
        self.action = action; self.from = from; self.to = to; self.department = department; self.note = note
        self.summaryZh = summaryZh; self.summaryEn = summaryEn
    }
}

/// A likely duplicate found at intake.
public struct DuplicateCandidate: Codable, Sendable, Equatable {
    public var caseId: Int64
    public var number: String
    public var status: CaseStatus
    public var distanceM: Double
    public var sameComponent: Bool
    public init(caseId: Int64, number: String, status: CaseStatus, distanceM: Double, sameComponent: Bool) {
        self.caseId = caseId; self.number = number; self.status = status; self.distanceM = distanceM
        self.sameComponent = sameComponent
    }
}

/// A case as the API shows it.
public struct CaseView: Codable, Sendable, Equatable {
    public var id: Int64
    public var number: String
    public var kind: CaseKind
    public var code: String
    public var typeNameZh: String
    public var typeNameEn: String
    public var status: CaseStatus
    public var statusZh: String
    public var source: CaseSource
    public var urgent: Bool
    public var selfHandled: Bool
    public var description: String?
    public var lon: Double
    public var lat: Double
    public var grid: GridSummary
    public var community: NamedArea
    public var street: NamedArea
    public var component: NearbyComponent?
    /// The address the reporter gave, if any.
    public var address: String?
    /// Reverse-geocoded at intake: the nearest door plate and road.
    public var geocoded: GeocodedAddress?
    public var department: String?
    public var suggestedDepartment: DepartmentSuggestion?
    public var flaggedForDispatcher: Bool
    public var ruleId: String?
    public var duplicates: [DuplicateCandidate]
    public var reworkCount: Int
    /// The current step's clock: node, deadline, remaining working seconds and alert light (nil once ended).
    public var step: StepView?
    public var allowedActions: [CaseAction]
    /// Personal data: present only for the centre's roles.
    public var reporter: CaseIntake.Reporter?
    public var createdAt: Date
    public var updatedAt: Date
    public var timeline: [CaseEvent]?

    public init(id: Int64, number: String, kind: CaseKind, code: String, typeNameZh: String, typeNameEn: String,
                status: CaseStatus, statusZh: String, source: CaseSource, urgent: Bool, selfHandled: Bool,
                description: String?, lon: Double, lat: Double, grid: GridSummary, community: NamedArea, street: NamedArea,
                component: NearbyComponent?, address: String?, geocoded: GeocodedAddress?, department: String?,
                suggestedDepartment: DepartmentSuggestion?, flaggedForDispatcher: Bool, ruleId: String?,
                duplicates: [DuplicateCandidate], reworkCount: Int, step: StepView?, allowedActions: [CaseAction],
                reporter: CaseIntake.Reporter?, createdAt: Date, updatedAt: Date, timeline: [CaseEvent]?) {
        self.id = id; self.number = number; self.kind = kind; self.code = code; self.typeNameZh = typeNameZh
        self.typeNameEn = typeNameEn; self.status = status; self.statusZh = statusZh; self.source = source
        self.urgent = urgent; self.selfHandled = selfHandled; self.description = description; self.lon = lon
        self.lat = lat; self.grid = grid; self.community = community; self.street = street; self.component = component
        self.address = address; self.geocoded = geocoded; self.department = department
        self.suggestedDepartment = suggestedDepartment; self.flaggedForDispatcher = flaggedForDispatcher
        self.ruleId = ruleId; self.duplicates = duplicates; self.reworkCount = reworkCount; self.step = step
        self.allowedActions = allowedActions; self.reporter = reporter; self.createdAt = createdAt
        self.updatedAt = updatedAt; self.timeline = timeline
    }
}

public struct StepView: Codable, Sendable, Equatable {
    public var node: CaseNode
    public var nameZh: String
    public var limit: String
    public var deadline: Date
    public var elapsedSeconds: Double
    public var remainingSeconds: Double
    public var paused: Bool
    public var light: AlertLight

    public init(node: CaseNode, clock: StepClock, reading: ClockReading) {
        self.node = node; self.nameZh = node.nameZh; self.limit = clock.limit.labelZh
        self.deadline = reading.deadline; self.elapsedSeconds = reading.elapsed
        self.remainingSeconds = reading.remaining; self.paused = reading.paused; self.light = reading.light
    }
}

/// The nearest door plate (门牌) and road to a point.
public struct GeocodedAddress: Codable, Sendable, Equatable {
    public var doorPlate: String?
    public var doorPlateDistanceM: Double?
    public var road: String?
    public var text: String
    public init(doorPlate: String?, doorPlateDistanceM: Double?, road: String?) {
        self.doorPlate = doorPlate; self.doorPlateDistanceM = doorPlateDistanceM; self.road = road
        text = [doorPlate, road.map { "近 \($0)" }].compactMap { $0 }.joined(separator: " ")
    }
}
