/// A (multi)polygon in plane coordinates, for the exact point test of an in-memory spatial index.
/// `covers` is SpatiaLite's `ST_Intersects(area, point)`: true inside and on the boundary, so a
/// point on an edge shared by two grids is in both and the caller's tie rule decides.
public struct PlanarArea: Sendable {
    /// Each part: its outer ring first, then its holes; rings closed or not.
    public let parts: [[[PlanePoint]]]
    public let minX: Double, minY: Double, maxX: Double, maxY: Double

    public init(parts: [[[PlanePoint]]]) {
        self.parts = parts
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for ring in parts.joined() {
            for p in ring {
                minX = min(minX, p.x); maxX = max(maxX, p.x); minY = min(minY, p.y); maxY = max(maxY, p.y)
            }
        }
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    public func boxContains(x: Double, y: Double) -> Bool {
        x >= minX && x <= maxX && y >= minY && y <= maxY
    }

    /// Inside a part (even-odd over its rings, so a hole is outside) or on any ring's edge.
    public func covers(x: Double, y: Double) -> Bool {
        guard boxContains(x: x, y: y) else { return false }
        for rings in parts {
            var inside = false
            for ring in rings where ring.count > 1 {
                var a = ring[ring.count - 1]
                for b in ring {
                    if Self.onSegment(x, y, a, b) { return true }
                    // Half-open crossing rule: an edge counts when it straddles the ray's height.
                    if (a.y > y) != (b.y > y), x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                    a = b
                }
            }
            if inside { return true }
        }
        return false
    }

    /// Exactly on the segment a–b: collinear (zero cross product) and within its box.
    static func onSegment(_ x: Double, _ y: Double, _ a: PlanePoint, _ b: PlanePoint) -> Bool {
        guard x >= min(a.x, b.x), x <= max(a.x, b.x), y >= min(a.y, b.y), y <= max(a.y, b.y) else { return false }
        return (b.x - a.x) * (y - a.y) == (b.y - a.y) * (x - a.x)
    }
}

public struct PlanePoint: Sendable, Equatable {
    public var x: Double, y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// Distances in the plane, with the x axis optionally scaled (lon × cos(lat) makes degrees locally
/// isotropic, enough to rank lines by nearness without projecting them).
public enum PlanarDistance {
    /// From (x, y) to the nearest point of any path; a one-point path is a point.
    public static func toPaths(_ paths: [[PlanePoint]], x: Double, y: Double, xScale: Double = 1) -> Double {
        var best = Double.infinity
        for path in paths {
            guard var a = path.first else { continue }
            if path.count == 1 { best = min(best, hypot((a.x - x) * xScale, a.y - y)) }
            for b in path.dropFirst() {
                best = min(best, toSegment(x: x * xScale, y: y, PlanePoint(a.x * xScale, a.y), PlanePoint(b.x * xScale, b.y)))
                a = b
            }
        }
        return best
    }

    static func toSegment(x: Double, y: Double, _ a: PlanePoint, _ b: PlanePoint) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared == 0 ? 0 : max(0, min(1, ((x - a.x) * dx + (y - a.y) * dy) / lengthSquared))
        return hypot(x - (a.x + t * dx), y - (a.y + t * dy))
    }
}

#if canImport(Glibc)
import Glibc
#endif
