/// A uniform grid of buckets over a set of boxes: each bucket lists, in the boxes' order, the
/// boxes that touch it. The in-memory spatial index of the unit grids and of the geocoder: a point
/// look-up reads one bucket, a box look-up the few buckets it meets.
public struct BoxBuckets: Sendable {
    public struct Box: Sendable, Equatable {
        public var minX: Double, minY: Double, maxX: Double, maxY: Double
        public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
            self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
        }
    }

    private let buckets: [[Int32]]
    private let columns: Int
    private let minX: Double, minY: Double, maxX: Double, maxY: Double, cellW: Double, cellH: Double

    /// About `perBucket` boxes to a bucket (boxes much larger than the average cover several).
    public init(_ boxes: [Box], perBucket: Double = 1) {
        minX = boxes.map(\.minX).min() ?? 0; maxX = boxes.map(\.maxX).max() ?? 0
        minY = boxes.map(\.minY).min() ?? 0; maxY = boxes.map(\.maxY).max() ?? 0
        let side = max(1, Int((Double(boxes.count) / perBucket).squareRoot().rounded(.up)))
        columns = side
        cellW = max((maxX - minX) / Double(side), .leastNormalMagnitude)
        cellH = max((maxY - minY) / Double(side), .leastNormalMagnitude)
        var buckets = [[Int32]](repeating: [], count: side * side)
        for (i, b) in boxes.enumerated() where b.minX <= b.maxX && b.minY <= b.maxY {
            let (c0, c1) = (Self.cell(b.minX, minX, cellW, side), Self.cell(b.maxX, minX, cellW, side))
            let (r0, r1) = (Self.cell(b.minY, minY, cellH, side), Self.cell(b.maxY, minY, cellH, side))
            for r in r0...r1 { for c in c0...c1 { buckets[r * side + c].append(Int32(i)) } }
        }
        self.buckets = buckets
    }

    private static func cell(_ v: Double, _ origin: Double, _ size: Double, _ n: Int) -> Int {
        min(n - 1, max(0, Int(((v - origin) / size).rounded(.down))))
    }

    /// The boxes of the bucket holding (x, y), in order; empty outside the boxes' extent.
    public func candidates(x: Double, y: Double) -> [Int32] {
        guard x >= minX, x <= maxX, y >= minY, y <= maxY, !buckets.isEmpty else { return [] }
        return buckets[Self.cell(y, minY, cellH, columns) * columns + Self.cell(x, minX, cellW, columns)]
    }

    /// Calls `body` with every box of every bucket that meets `box` (a box in several such
    /// buckets comes several times).
    public func forEachCandidate(in box: Box, _ body: (Int32) -> Void) {
        guard box.maxX >= minX, box.minX <= maxX, box.maxY >= minY, box.minY <= maxY, !buckets.isEmpty else { return }
        let (c0, c1) = (Self.cell(box.minX, minX, cellW, columns), Self.cell(box.maxX, minX, cellW, columns))
        let (r0, r1) = (Self.cell(box.minY, minY, cellH, columns), Self.cell(box.maxY, minY, cellH, columns))
        for r in r0...r1 { for c in c0...c1 { for i in buckets[r * columns + c] { body(i) } } }
    }
}
