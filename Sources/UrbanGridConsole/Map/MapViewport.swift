/// Where metric coordinates land on a braille canvas: north up, square dots (a terminal cell is about
/// twice as tall as wide, and holds 2 × 4 dots), the requested extent fitted and centred.
public struct MapViewport: Sendable, Equatable {
    public var centre: MapPoint
    /// Metres per dot, the same along both axes.
    public var metresPerDot: Double
    public var dotWidth: Int
    public var dotHeight: Int

    /// Shows at least `halfWidth` × `halfHeight` metres each side of `centre`.
    public init(centre: MapPoint, halfWidth: Double, halfHeight: Double, dotWidth: Int, dotHeight: Int) {
        self.centre = centre; self.dotWidth = max(1, dotWidth); self.dotHeight = max(1, dotHeight)
        let mx = 2 * max(halfWidth, 1e-6) / Double(self.dotWidth)
        let my = 2 * max(halfHeight, 1e-6) / Double(self.dotHeight)
        metresPerDot = max(mx, my)
    }

    /// A metric point in dot coordinates (may lie outside the canvas).
    public func position(_ p: MapPoint) -> (Double, Double) {
        ((p.x - centre.x) / metresPerDot + Double(dotWidth) / 2, (centre.y - p.y) / metresPerDot + Double(dotHeight) / 2)
    }

    /// The dot holding a metric point, nil when it is off the canvas.
    public func dot(_ p: MapPoint) -> (Int, Int)? {
        let (x, y) = position(p)
        guard x.isFinite, y.isFinite, x >= 0, y >= 0, x < Double(dotWidth), y < Double(dotHeight) else { return nil }
        return (Int(x), Int(y))
    }

    /// Metres shown by one terminal column (two dots).
    public var metresPerColumn: Double { 2 * metresPerDot }
}
