extension CQL2Expression {
    /// The geometry literals of the spatial predicates, in the order written (the store checks
    /// each is a valid geometry inside its CRS before a query runs).
    public var geometryLiterals: [CQL2Geometry] {
        switch self {
        case .and(let parts), .or(let parts): parts.flatMap(\.geometryLiterals)
        case .not(let inner): inner.geometryLiterals
        case .spatial(_, let a, let b):
            [a, b].compactMap { operand -> CQL2Geometry? in
                if case .geometry(let g) = operand { return g }
                return nil
            }
        default: []
        }
    }
}
