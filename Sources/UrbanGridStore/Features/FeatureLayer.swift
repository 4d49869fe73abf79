/// A layer served as an OGC API - Features collection: which table it reads, what each feature
/// carries, and how it may be filtered. Every property is also a queryable.
public struct FeatureLayer: Sendable {
    /// Who may read a collection: anyone, or only callers with a key (or a session) that names it.
    public enum Access: String, Codable, Sendable { case `public`, key }

    public enum Temporal: Sendable {
        /// A `YYYY-MM-DD` column (base features' change date).
        case date(String)
        /// A fixed-width UTC timestamp column (cases' report time).
        case timestamp(String)
    }

    public let id: String
    public let titleZh: String, titleEn: String
    public let descriptionZh: String, descriptionEn: String
    /// The SpatiaLite table holding `geom`, whose R*Tree is `idx_<table>_geom`.
    public let table: String
    /// Its INTEGER PRIMARY KEY: the keyset for paging.
    public let primaryKey: String
    /// The feature id that appears in URLs (`/items/{featureId}`).
    public let featureId: String
    /// FROM clause: `table t` plus any joins. The layer table is always aliased `t`.
    public let from: String
    public let properties: [Queryable]
    public let temporal: Temporal?
    /// GeoJSON geometry type, for the queryables' schema.
    public let geometryType: String
    /// Cases: never public, scoped to a department by `departmentColumn`.
    public let departmentColumn: String?

    public var isCases: Bool { departmentColumn != nil }
    public var queryables: [String: Queryable] { Dictionary(uniqueKeysWithValues: properties.map { ($0.name, $0) }) }
}

extension FeatureLayer {
    /// The collections every city serves. Reporter contact details are deliberately absent from `cases`.
    public static let all: [FeatureLayer] = [grids, communities, streets, districts, components, addresses, roads, buildings, cases]

    public static func named(_ id: String) -> FeatureLayer? { all.first { $0.id == id } }

    static func text(_ name: String, _ column: String? = nil) -> Queryable { Queryable(name: name, column: column ?? "t.\(name)", type: .string) }
    static func number(_ name: String, _ column: String? = nil) -> Queryable { Queryable(name: name, column: column ?? "t.\(name)", type: .number) }
    static func integer(_ name: String, _ column: String? = nil) -> Queryable { Queryable(name: name, column: column ?? "t.\(name)", type: .integer) }
    static func date(_ name: String) -> Queryable { Queryable(name: name, column: "t.\(name)", type: .date) }

    static let grids = FeatureLayer(
        id: "grids", titleZh: "单元网格", titleEn: "Unit grids",
        descriptionZh: "城市管理单元网格(约 10000 平方米),15 位网格代码,每个网格完整位于一个社区内。",
        descriptionEn: "Unit grids of city management (about 10,000 m² each, 15-digit codes), each wholly inside one community.",
        table: "grid", primaryKey: "t.fid", featureId: "t.code",
        from: "grid t JOIN community c ON c.code = t.community_code",
        properties: [text("code"), text("community_code"), text("street_code", "c.street_code"), number("area_m2"),
                     text("note"), date("initial_date"), date("change_date")],
        temporal: .date("COALESCE(t.change_date, t.initial_date)"), geometryType: "MultiPolygon", departmentColumn: nil)

    static let communities = FeatureLayer(
        id: "communities", titleZh: "社区", titleEn: "Communities",
        descriptionZh: "社区(居委会)辖区,12 位代码(区划 6 位 + 街道 3 位 + 社区 3 位)。",
        descriptionEn: "Communities (社区), 12-digit codes: region, street and community.",
        table: "community", primaryKey: "t.fid", featureId: "t.code", from: "community t",
        properties: [text("code"), text("name_zh"), text("name_en"), text("street_code")],
        temporal: nil, geometryType: "MultiPolygon", departmentColumn: nil)

    static let streets = FeatureLayer(
        id: "streets", titleZh: "街道", titleEn: "Streets (sub-districts)",
        descriptionZh: "街道办事处辖区,9 位代码。", descriptionEn: "Street sub-districts (街道), 9-digit codes.",
        table: "street", primaryKey: "t.fid", featureId: "t.code", from: "street t",
        properties: [text("code"), text("name_zh"), text("name_en"), text("district_code")],
        temporal: nil, geometryType: "MultiPolygon", departmentColumn: nil)

    static let districts = FeatureLayer(
        id: "districts", titleZh: "区县", titleEn: "Districts",
        descriptionZh: "区县行政区,6 位 GB/T 2260 代码。", descriptionEn: "Districts, 6-digit GB/T 2260 codes.",
        table: "district", primaryKey: "t.fid", featureId: "t.code", from: "district t",
        properties: [text("code"), text("name_zh"), text("name_en")],
        temporal: nil, geometryType: "MultiPolygon", departmentColumn: nil)

    static let components = FeatureLayer(
        id: "components", titleZh: "管理部件", titleEn: "Components",
        descriptionZh: "城市管理部件(井盖、路灯、垃圾箱、行道树……),GB/T 47678.5 表2 的属性;可按类型代码、状态和部门筛选。",
        descriptionEn: "City components (manhole covers, lamps, bins, trees…) with the GB/T 47678.5 table 2 attributes; filter by type code, status and department.",
        table: "component", primaryKey: "t.fid", featureId: "t.id",
        from: "component t JOIN component_type ct ON ct.code = t.type_code",
        properties: [text("id"), text("type_code"), text("type_name_zh", "ct.name_zh"), text("type_name_en", "ct.name_en"),
                     text("name"), text("status"), text("department", "t.competent_dept"), text("owner_dept"),
                     text("maintainer_dept"), text("grid_code"), text("community_code"), text("street_code"),
                     date("initial_date"), date("change_date"), text("data_source"), text("note")],
        temporal: .date("COALESCE(t.change_date, t.initial_date)"), geometryType: "Point", departmentColumn: nil)

    static let addresses = FeatureLayer(
        id: "addresses", titleZh: "门(楼)牌地址", titleEn: "Addresses",
        descriptionZh: "门(楼)牌地址点:街路巷名、门牌号、邮编。", descriptionEn: "Door-plate address points: street, house number, postcode.",
        table: "address", primaryKey: "t.fid", featureId: "t.id", from: "address t",
        properties: [text("id"), text("street"), text("housenumber"), text("postcode"), text("name"), text("grid_code")],
        temporal: nil, geometryType: "Point", departmentColumn: nil)

    static let roads = FeatureLayer(
        id: "roads", titleZh: "道路", titleEn: "Roads",
        descriptionZh: "道路中心线及其等级。", descriptionEn: "Road centre lines with their class.",
        table: "road", primaryKey: "t.fid", featureId: "t.id", from: "road t",
        properties: [text("id"), text("name"), text("class")],
        temporal: nil, geometryType: "MultiLineString", departmentColumn: nil)

    static let buildings = FeatureLayer(
        id: "buildings", titleZh: "建筑物", titleEn: "Buildings",
        descriptionZh: "建筑物轮廓及层数。", descriptionEn: "Building footprints with their number of levels.",
        table: "building", primaryKey: "t.fid", featureId: "t.id", from: "building t",
        properties: [text("id"), text("name"), integer("levels")],
        temporal: nil, geometryType: "MultiPolygon", departmentColumn: nil)

    static let cases = FeatureLayer(
        id: "cases", titleZh: "案卷", titleEn: "Cases",
        descriptionZh: "城市管理案卷(部件和事件问题):类型、状态、处置部门、所在网格与上报时间。需带案卷权限的密钥;不含举报人信息。",
        descriptionEn: "City management cases: type, status, responsible department, grid and report time. Needs a key with a cases scope; reporter details are never included.",
        table: "case_record", primaryKey: "t.id", featureId: "t.number",
        from: "case_record t LEFT JOIN matter_type mt ON t.kind = 'event' AND mt.code = t.type_code LEFT JOIN component_type ct ON t.kind = 'component' AND ct.code = t.type_code",
        properties: [text("number"), text("kind"), text("type_code"),
                     text("type_name_zh", "COALESCE(mt.name_zh, ct.name_zh)"), text("type_name_en", "COALESCE(mt.name_en, ct.name_en)"),
                     text("status"), text("source"), integer("urgent"), text("department", "t.department_code"),
                     text("grid_code"), text("community_code"), text("street_code"), text("component_id"),
                     text("description"), Queryable(name: "reported_at", column: "t.created_at", type: .timestamp),
                     Queryable(name: "updated_at", column: "t.updated_at", type: .timestamp),
                     Queryable(name: "deadline", column: "t.deadline", type: .timestamp)],
        temporal: .timestamp("t.created_at"), geometryType: "Point", departmentColumn: "t.department_code")
}
