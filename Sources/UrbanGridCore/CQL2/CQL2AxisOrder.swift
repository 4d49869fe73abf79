/// Filters written in a latitude-first CRS (`filter-crs=…/EPSG/0/4326`) carry their literals
/// as (lat, lon); the store works easting-first, so the literals are swapped before compiling.
extension CQL2Expression {
    public func swappingAxes() -> CQL2Expression {
        switch self {
        case .and(let parts): .and(parts.map { $0.swappingAxes() })
        case .or(let parts): .or(parts.map { $0.swappingAxes() })
        case .not(let inner): .not(inner.swappingAxes())
        case .spatial(let op, let a, let b): .spatial(op, a.swappingAxes(), b.swappingAxes())
        default: self
        }
    }
}

extension CQL2Operand {
    func swappingAxes() -> CQL2Operand {
        if case .geometry(let g) = self { return .geometry(g.swappingAxes()) }
        return self
    }
}

extension CQL2Geometry {
    public func swappingAxes() -> CQL2Geometry {
        func p(_ q: CQL2Position) -> CQL2Position { CQL2Position(q.y, q.x, q.z) }
        switch shape {
        case .point(let q): return CQL2Geometry(.point(p(q)))
        case .lineString(let l): return CQL2Geometry(.lineString(l.map(p)))
        case .polygon(let r): return CQL2Geometry(.polygon(r.map { $0.map(p) }))
        case .multiPoint(let l): return CQL2Geometry(.multiPoint(l.map(p)))
        case .multiLineString(let r): return CQL2Geometry(.multiLineString(r.map { $0.map(p) }))
        case .multiPolygon(let m): return CQL2Geometry(.multiPolygon(m.map { $0.map { $0.map(p) } }))
        case .geometryCollection(let g): return CQL2Geometry(.geometryCollection(g.map { $0.swappingAxes() }))
        case .bbox(let b):
            return CQL2Geometry(.bbox(CQL2BoundingBox(minX: b.minY, minY: b.minX, maxX: b.maxY, maxY: b.maxX, minZ: b.minZ, maxZ: b.maxZ)))
        }
    }
}
