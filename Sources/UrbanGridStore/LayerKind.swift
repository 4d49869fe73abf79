/// The base layers of a city and how each is stored.
public enum LayerKind: String, CaseIterable, Sendable {
    // Order matters: each layer may refer to the ones before it (grids to communities,
    // components and addresses to grids).
    case district, street, community, road, building, grid, component, address

    /// File name (without extension) in `gis-data/<city>/`.
    public var fileStem: String {
        switch self {
        case .district: "district"
        case .street: "streets"
        case .community: "communities"
        case .road: "roads"
        case .building: "buildings"
        case .grid: "grids"
        case .component: "components"
        case .address: "addresses"
        }
    }

    var table: String { rawValue }

    /// The key column: `code` for areas and grids, `id` for the rest.
    var keyColumn: String {
        switch self {
        case .district, .street, .community, .grid: "code"
        default: "id"
        }
    }

    /// The attribute columns an import writes from the feature, in a fixed order. Point layers
    /// also get `locatedColumns`, filled from the grid that contains the point.
    var columns: [String] {
        switch self {
        case .district: ["code", "name_zh", "name_en"]
        case .street: ["code", "name_zh", "name_en", "district_code"]
        case .community: ["code", "name_zh", "name_en", "street_code"]
        case .road: ["id", "name", "class"]
        case .building: ["id", "name", "levels"]
        case .grid: ["code", "community_code", "note", "initial_date", "change_date", "area_m2"]
        case .component: ["id", "type_code", "name", "competent_dept", "owner_dept", "maintainer_dept",
                          "status", "initial_date", "change_date", "data_source", "note", "mx", "my"]
        case .address: ["id", "street", "housenumber", "postcode", "name", "mx", "my"]
        }
    }

    /// For point layers: the columns taken from the containing grid (code, community, street).
    var locatedColumns: [String] {
        switch self {
        case .component: ["grid_code", "community_code", "street_code"]
        case .address: ["grid_code"]
        default: []
        }
    }

    enum Family { case point, line, polygon }

    var family: Family {
        switch self {
        case .component, .address: .point
        case .road: .line
        default: .polygon
        }
    }

    /// Parses names such as `grids`, `grid`, `communities`.
    public init?(name: String) {
        let n = name.lowercased()
        guard let k = LayerKind.allCases.first(where: { $0.rawValue == n || $0.fileStem == n }) else { return nil }
        self = k
    }
}
