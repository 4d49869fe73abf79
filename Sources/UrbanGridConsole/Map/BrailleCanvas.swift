/// A canvas of Unicode braille cells (U+2800–U+28FF): each terminal cell holds 2 × 4 dots, so a pane
/// of 40 × 12 cells draws 80 × 48 dots. Each cell also remembers the most important layer drawn in
/// it, which decides its colour, and may carry a marker character that replaces its dots.
public struct BrailleCanvas: Sendable {
    /// What was drawn, in increasing importance: a cell shows the colour of its most important layer.
    public enum Layer: Int, Sendable, Comparable, CaseIterable {
        case grid = 1, caseGrid, component, openCase, casePoint
        public static func < (a: Layer, b: Layer) -> Bool { a.rawValue < b.rawValue }
    }

    public struct Cell: Sendable, Equatable {
        public var dots: UInt8 = 0
        public var layer: Layer?
        public var marker: Character?
    }

    public let columns: Int
    public let rows: Int
    public private(set) var cells: [Cell]

    public var dotWidth: Int { columns * 2 }
    public var dotHeight: Int { rows * 4 }

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns); self.rows = max(0, rows)
        cells = Array(repeating: Cell(), count: self.columns * self.rows)
    }

    /// The bit of dot (dx, dy) inside its cell, dx 0–1, dy 0–3 (Unicode's dot numbering 1–8).
    static func bit(dx: Int, dy: Int) -> UInt8 {
        switch (dx, dy) {
        case (0, 0): 0x01
        case (0, 1): 0x02
        case (0, 2): 0x04
        case (1, 0): 0x08
        case (1, 1): 0x10
        case (1, 2): 0x20
        case (0, 3): 0x40
        default: 0x80
        }
    }

    /// Sets the dot at (x, y), counted from the top left; dots outside the canvas are ignored.
    public mutating func set(_ x: Int, _ y: Int, layer: Layer) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let i = (y / 4) * columns + x / 2
        cells[i].dots |= Self.bit(dx: x % 2, dy: y % 4)
        if cells[i].layer.map({ $0 < layer }) ?? true { cells[i].layer = layer }
    }

    /// A straight line of dots between two points in dot coordinates, clipped to the canvas first
    /// (Liang–Barsky), then drawn with Bresenham's algorithm.
    public mutating func line(from a: (Double, Double), to b: (Double, Double), layer: Layer) {
        guard let (p, q) = clip(a, b) else { return }
        var x = Int(p.0.rounded(.down)), y = Int(p.1.rounded(.down))
        let x1 = Int(q.0.rounded(.down)), y1 = Int(q.1.rounded(.down))
        let dx = abs(x1 - x), dy = -abs(y1 - y)
        let sx = x < x1 ? 1 : -1, sy = y < y1 ? 1 : -1
        var err = dx + dy
        while true {
            set(x, y, layer: layer)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// The part of segment a–b inside the canvas, or nil.
    func clip(_ a: (Double, Double), _ b: (Double, Double)) -> ((Double, Double), (Double, Double))? {
        guard a.0.isFinite, a.1.isFinite, b.0.isFinite, b.1.isFinite else { return nil }
        let (minX, minY) = (0.0, 0.0)
        let (maxX, maxY) = (Double(dotWidth) - 0.001, Double(dotHeight) - 0.001)
        guard maxX > 0, maxY > 0 else { return nil }
        let dx = b.0 - a.0, dy = b.1 - a.1
        var t0 = 0.0, t1 = 1.0
        for (p, q) in [(-dx, a.0 - minX), (dx, maxX - a.0), (-dy, a.1 - minY), (dy, maxY - a.1)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let r = q / p
                if p < 0 { if r > t1 { return nil }; t0 = max(t0, r) } else { if r < t0 { return nil }; t1 = min(t1, r) }
            }
        }
        return ((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy))
    }

    /// Puts a marker character in the cell holding dot (x, y), unless a more important one is there.
    public mutating func mark(_ x: Int, _ y: Int, _ marker: Character, layer: Layer) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let i = (y / 4) * columns + x / 2
        if cells[i].marker != nil, let old = cells[i].layer, old > layer { return }
        cells[i].marker = marker
        cells[i].layer = layer
    }

    public func cell(column: Int, row: Int) -> Cell { cells[row * columns + column] }

    /// The character a cell shows: its marker, its braille pattern, or a space.
    public func character(column: Int, row: Int) -> Character {
        let c = cell(column: column, row: row)
        if let m = c.marker { return m }
        guard c.dots != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(c.dots)) else { return " " }
        return Character(scalar)
    }

    /// The canvas as text, one string per row.
    public func lines() -> [String] {
        (0..<rows).map { r in String((0..<columns).map { character(column: $0, row: r) }) }
    }
}
