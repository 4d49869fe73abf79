/// A least-squares affine map from lon/lat to the metric CRS, fitted on vertices the server sent in
/// both CRSs. Over the few hundred metres the map pane shows, a transverse Mercator or Gauss-Krüger
/// projection is affine to well under a centimetre, so the console needs no projection library to
/// place the case and other lon/lat points among metric geometries.
public struct AffineFit: Sendable, Equatable {
    /// x = a·(lon−lon0) + b·(lat−lat0) + c, y = d·(lon−lon0) + e·(lat−lat0) + f.
    var a, b, c, d, e, f: Double
    var lon0, lat0: Double

    /// Nil with fewer than three pairs or when they lie on one line.
    public init?(pairs: [(lonLat: MapPoint, metric: MapPoint)]) {
        let usable = pairs.filter { [$0.lonLat.x, $0.lonLat.y, $0.metric.x, $0.metric.y].allSatisfy(\.isFinite) }
        guard usable.count >= 3 else { return nil }
        let n = Double(usable.count)
        lon0 = usable.reduce(0) { $0 + $1.lonLat.x } / n
        lat0 = usable.reduce(0) { $0 + $1.lonLat.y } / n
        // Normal equations of [u v 1]·[a b c]ᵀ = x with u, v centred.
        var suu = 0.0, suv = 0.0, svv = 0.0, su = 0.0, sv = 0.0
        var sux = 0.0, svx = 0.0, sx = 0.0, suy = 0.0, svy = 0.0, sy = 0.0
        for p in usable {
            let u = p.lonLat.x - lon0, v = p.lonLat.y - lat0
            suu += u * u; suv += u * v; svv += v * v; su += u; sv += v
            sux += u * p.metric.x; svx += v * p.metric.x; sx += p.metric.x
            suy += u * p.metric.y; svy += v * p.metric.y; sy += p.metric.y
        }
        let m = [[suu, suv, su], [suv, svv, sv], [su, sv, n]]
        guard let xs = Self.solve(m, [sux, svx, sx]), let ys = Self.solve(m, [suy, svy, sy]) else { return nil }
        (a, b, c) = (xs[0], xs[1], xs[2])
        (d, e, f) = (ys[0], ys[1], ys[2])
    }

    public func apply(_ p: MapPoint) -> MapPoint {
        let u = p.x - lon0, v = p.y - lat0
        return MapPoint(a * u + b * v + c, d * u + e * v + f)
    }

    /// Pairs the vertices of features present in both collections (same id, same vertex count).
    public static func pairs(lonLat: [MapFeature], metric: [MapFeature]) -> [(lonLat: MapPoint, metric: MapPoint)] {
        let byID = Dictionary(metric.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var out: [(lonLat: MapPoint, metric: MapPoint)] = []
        for f in lonLat {
            guard let g = f.geometry, let other = byID[f.id]?.geometry else { continue }
            let a = g.vertices, b = other.vertices
            guard a.count == b.count else { continue }
            out += zip(a, b).map { (lonLat: $0, metric: $1) }
        }
        return out
    }

    /// Cramer's rule for a 3×3 system; nil when (nearly) singular.
    static func solve(_ m: [[Double]], _ r: [Double]) -> [Double]? {
        func det(_ m: [[Double]]) -> Double {
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        }
        let d = det(m)
        // Relative to the diagonal (Hadamard's bound for this symmetric matrix): points on one line
        // give a determinant that is only rounding noise.
        let diagonal = abs(m[0][0] * m[1][1] * m[2][2])
        guard d.isFinite, diagonal > 0, abs(d) > 1e-9 * diagonal else { return nil }
        return (0..<3).map { col in
            var mc = m
            for row in 0..<3 { mc[row][col] = r[row] }
            return det(mc) / d
        }
    }
}
