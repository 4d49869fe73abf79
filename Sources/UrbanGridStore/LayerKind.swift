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
