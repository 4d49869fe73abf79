/// One coordinate tuple of a geometry literal: x (longitude or easting), y (latitude or northing) and
/// an optional z, in the axis order written (for CRS84 and `filter-crs` 4326: lon, lat).
public struct CQL2Position: Equatable, Sendable {
    public var x: Double, y: Double, z: Double?

    public init(_ x: Double, _ y: Double, _ z: Double? = nil) {
        self.x = x; self.y = y; self.z = z
    }
}

/// A bounding box, `BBOX(minx, miny, maxx, maxy)` or with elevations
/// `BBOX(minx, miny, minz, maxx, maxy, maxz)`; the parser guarantees min ≤ max on every axis.
public struct CQL2BoundingBox: Equatable, Sendable {
    public var minX: Double, minY: Double, maxX: Double, maxY: Double
    public var minZ: Double?, maxZ: Double?

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double, minZ: Double? = nil, maxZ: Double? = nil) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
        self.minZ = minZ; self.maxZ = maxZ
    }
}

/// A geometry literal of a CQL2 filter: a WKT geometry or a BBOX. The parser checks it (finite
/// numbers, at least 2 points per line string, closed rings of at least 4 points, one dimension
/// throughout); `wkt` renders it for SpatiaLite's `GeomFromText`.
public struct CQL2Geometry: Equatable, Sendable {
    public indirect enum Shape: Equatable, Sendable {
        case point(CQL2Position)
        case lineString([CQL2Position])
        /// Outer ring first, then the holes; every ring closed (first position = last).
        case polygon([[CQL2Position]])
        case multiPoint([CQL2Position])
        case multiLineString([[CQL2Position]])
        case multiPolygon([[[CQL2Position]]])
        case geometryCollection([CQL2Geometry])
        case bbox(CQL2BoundingBox)
    }

    public enum Kind: String, Equatable, Sendable, CaseIterable {
        case point = "POINT", lineString = "LINESTRING", polygon = "POLYGON", multiPoint = "MULTIPOINT"
        case multiLineString = "MULTILINESTRING", multiPolygon = "MULTIPOLYGON"
        case geometryCollection = "GEOMETRYCOLLECTION", bbox = "BBOX"
    }

    public var shape: Shape

    public init(_ shape: Shape) { self.shape = shape }

    public static func point(_ x: Double, _ y: Double) -> CQL2Geometry { CQL2Geometry(.point(CQL2Position(x, y))) }

    public var kind: Kind {
        switch shape {
        case .point: .point
        case .lineString: .lineString
        case .polygon: .polygon
        case .multiPoint: .multiPoint
        case .multiLineString: .multiLineString
        case .multiPolygon: .multiPolygon
        case .geometryCollection: .geometryCollection
        case .bbox: .bbox
        }
    }

    /// True when the positions carry a z coordinate (a BBOX never does in `wkt`: it becomes a 2D polygon).
    public var hasZ: Bool {
        switch shape {
        case .point(let p): p.z != nil
        case .lineString(let ps), .multiPoint(let ps): ps.first?.z != nil
        case .polygon(let rings), .multiLineString(let rings): rings.first?.first?.z != nil
        case .multiPolygon(let polygons): polygons.first?.first?.first?.z != nil
        case .geometryCollection(let members): members.first?.hasZ ?? false
        case .bbox: false
        }
    }

    /// OGC Simple Features WKT (`POINT(1 2)`, `POLYGON Z((…))`, …) with plain decimal numbers.
    /// A BBOX becomes the POLYGON of its corners (counter-clockwise from the south-west corner);
    /// a BBOX of zero width or height becomes a LINESTRING, of both a POINT. Elevations of a BBOX
    /// are left out.
    public var wkt: String {
        let z = hasZ ? " Z" : ""
        switch shape {
        case .point(let p): return "POINT\(z)(\(Self.text(p)))"
        case .lineString(let ps): return "LINESTRING\(z)\(Self.text(ps))"
        case .polygon(let rings): return "POLYGON\(z)\(Self.text(rings))"
        case .multiPoint(let ps): return "MULTIPOINT\(z)(" + ps.map { "(\(Self.text($0)))" }.joined(separator: ",") + ")"
        case .multiLineString(let lines): return "MULTILINESTRING\(z)\(Self.text(lines))"
        case .multiPolygon(let polygons): return "MULTIPOLYGON\(z)(" + polygons.map(Self.text).joined(separator: ",") + ")"
        case .geometryCollection(let members):
            return "GEOMETRYCOLLECTION\(z)(" + members.map(\.wkt).joined(separator: ",") + ")"
        case .bbox(let b):
            let sw = CQL2Position(b.minX, b.minY), se = CQL2Position(b.maxX, b.minY)
            let ne = CQL2Position(b.maxX, b.maxY), nw = CQL2Position(b.minX, b.maxY)
            if b.minX == b.maxX && b.minY == b.maxY { return "POINT(\(Self.text(sw)))" }
            if b.minX == b.maxX || b.minY == b.maxY { return "LINESTRING\(Self.text([sw, ne]))" }
            return "POLYGON(\(Self.text([sw, se, ne, nw, sw])))"
        }
    }

    private static func text(_ p: CQL2Position) -> String {
        var s = number(p.x) + " " + number(p.y)
        if let z = p.z { s += " " + number(z) }
        return s
    }

    private static func text(_ ps: [CQL2Position]) -> String { "(" + ps.map(text).joined(separator: ",") + ")" }

    private static func text(_ rings: [[CQL2Position]]) -> String { "(" + rings.map(text).joined(separator: ",") + ")" }

    /// A finite double in plain decimal notation that reads back to the same value: Swift's shortest
    /// round-trip digits with any exponent written out (`1e-05` → `0.00001`) and no trailing `.0`.
    static func number(_ value: Double) -> String {
        var text = value == 0 ? "0" : "\(value)"
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let exponent = Int(text[text.index(after: e)...]) ?? 0
            var mantissa = String(text[..<e])
            let negative = mantissa.hasPrefix("-")
            if negative { mantissa.removeFirst() }
            let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
            let whole = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
            let digits = whole + fraction
            let point = whole.count + exponent   // where the decimal point falls in `digits`
            let body: String
            if point <= 0 {
                body = "0." + String(repeating: "0", count: -point) + digits
            } else if point >= digits.count {
                body = digits + String(repeating: "0", count: point - digits.count)
            } else {
                body = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            }
            text = (negative ? "-" : "") + body
        }
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
