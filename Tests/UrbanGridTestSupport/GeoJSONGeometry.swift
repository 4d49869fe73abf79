// Test support shared by the Store and Server tests: GeoJSON read with JSONSerialization (not the
// importer's reader) and ray casting, so expected answers never come from SpatiaLite.
import Foundation

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

// MARK: - GeoJSON, read with JSONSerialization (not the importer's reader)

public struct Point2: Sendable, Hashable, CustomStringConvertible {
    public var x: Double, y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    public var description: String { "(\(x), \(y))" }
    public static func + (a: Point2, b: Point2) -> Point2 { Point2(a.x + b.x, a.y + b.y) }
    public static func - (a: Point2, b: Point2) -> Point2 { Point2(a.x - b.x, a.y - b.y) }
    public static func * (k: Double, a: Point2) -> Point2 { Point2(k * a.x, k * a.y) }
}

/// One polygon feature: its attributes as text and its parts (each part: outer ring, then holes).
public struct AreaFeature: Sendable {
    public var properties: [String: String]
    public var parts: [[[Point2]]]
    public var minX: Double, minY: Double, maxX: Double, maxY: Double

    public init(properties: [String: String], parts: [[[Point2]]]) {
        self.properties = properties; self.parts = parts
        let all = parts.flatMap { $0.flatMap { $0 } }
        minX = all.map(\.x).min() ?? .nan; maxX = all.map(\.x).max() ?? .nan
        minY = all.map(\.y).min() ?? .nan; maxY = all.map(\.y).max() ?? .nan
    }

    public subscript(_ key: String) -> String? { properties[key] }

    /// Inside the bounding box, widened by `margin`.
    public func boxContains(_ p: Point2, margin: Double = 0) -> Bool {
        p.x >= minX - margin && p.x <= maxX + margin && p.y >= minY - margin && p.y <= maxY + margin
    }

    /// Even-odd ray casting per part (a point in a hole is outside); true when any part holds it.
    public func contains(_ p: Point2) -> Bool {
        guard boxContains(p) else { return false }
        return parts.contains { rings in
            var inside = false
            for ring in rings {
                var j = ring.count - 1
                for i in ring.indices {
                    let a = ring[i], b = ring[j]
                    if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                        inside.toggle()
                    }
                    j = i
                }
            }
            return inside
        }
    }

    /// Planar distance (degrees) from `p` to the nearest edge of any ring.
    public func boundaryDistance(_ p: Point2) -> Double {
        var best = Double.infinity
        for ring in parts.joined() where ring.count > 1 {
            for i in 1..<ring.count { best = min(best, segmentDistance(p, ring[i - 1], ring[i])) }
        }
        return best
    }

    /// The distinct vertices of the first outer ring (the closing vertex left out).
    public var outerVertices: [Point2] {
        guard let ring = parts.first?.first else { return [] }
        return ring.first == ring.last ? Array(ring.dropLast()) : ring
    }

    /// The mean of the outer ring's distinct vertices: the centre of a square cell.
    public var vertexCentroid: Point2 {
        let v = outerVertices
        return Point2(v.map(\.x).reduce(0, +) / Double(v.count), v.map(\.y).reduce(0, +) / Double(v.count))
    }
}

public func segmentDistance(_ p: Point2, _ a: Point2, _ b: Point2) -> Double {
    let d = b - a, w = p - a
    let len2 = d.x * d.x + d.y * d.y
    let t = len2 == 0 ? 0 : max(0, min(1, (w.x * d.x + w.y * d.y) / len2))
    let q = a + t * d
    return ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot()
}

public enum GeoJSONFile {
    /// The raw features of a FeatureCollection.
    public static func features(_ url: URL) throws -> [[String: Any]] {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        guard let features = root?["features"] as? [[String: Any]] else {
            throw TestFailure("\(url.lastPathComponent) is not a FeatureCollection")
        }
        return features
    }

    /// Attributes as text (numbers in their JSON spelling, nulls left out).
    public static func text(_ properties: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in properties {
            switch v {
            case let s as String: out[k] = s
            case let n as NSNumber: out[k] = n.stringValue
            default: break
            }
        }
        return out
    }

    public static func point(_ raw: Any?) throws -> Point2 {
        guard let c = raw as? [Any], c.count >= 2, let x = (c[0] as? NSNumber)?.doubleValue,
              let y = (c[1] as? NSNumber)?.doubleValue else { throw TestFailure("bad position \(String(describing: raw))") }
        return Point2(x, y)
    }

    public static func polygonParts(_ geometry: [String: Any]) throws -> [[[Point2]]] {
        func rings(_ raw: Any?) throws -> [[Point2]] {
            guard let rings = raw as? [Any] else { throw TestFailure("bad polygon") }
            return try rings.map { ring in
                guard let positions = ring as? [Any] else { throw TestFailure("bad ring") }
                return try positions.map(point)
            }
        }
        switch geometry["type"] as? String {
        case "Polygon": return [try rings(geometry["coordinates"])]
        case "MultiPolygon":
            guard let polygons = geometry["coordinates"] as? [Any] else { throw TestFailure("bad multipolygon") }
            return try polygons.map(rings)
        default: throw TestFailure("not a polygon: \(geometry["type"] ?? "?")")
        }
    }

    /// The polygon features of a file (districts, streets, communities, grids).
    public static func areas(_ url: URL) throws -> [AreaFeature] {
        try features(url).map { f in
            guard let g = f["geometry"] as? [String: Any] else { throw TestFailure("feature without geometry") }
            return AreaFeature(properties: text(f["properties"] as? [String: Any] ?? [:]), parts: try polygonParts(g))
        }
    }

    /// The point features of a file: attributes and position.
    public static func points(_ url: URL) throws -> [(properties: [String: String], point: Point2)] {
        try features(url).map { f in
            let g = f["geometry"] as? [String: Any] ?? [:]
            guard g["type"] as? String == "Point" else { throw TestFailure("not a point feature") }
            return (text(f["properties"] as? [String: Any] ?? [:]), try point(g["coordinates"]))
        }
    }
}

/// The areas that hold `p`, by ray casting.
public func areasContaining(_ p: Point2, in areas: [AreaFeature]) -> [AreaFeature] {
    areas.filter { $0.contains(p) }
}

