/// The colours the console uses, by meaning; the terminal maps them to colour pairs.
public enum Tint: Int, Sendable, CaseIterable {
    case normal = 0, red, yellow, green, cyan, magenta, blue, title
}

public struct Style: Sendable, Equatable, Hashable {
    public var tint: Tint
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public init(_ tint: Tint = .normal, bold: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.tint = tint; self.bold = bold; self.reverse = reverse; self.dim = dim
    }
    public static let plain = Style()
    public static let bold = Style(bold: true)
    public static let selected = Style(reverse: true)
}

/// A screen's worth of styled cells, drawn by the pure view code and copied to the terminal in one
/// go. A double-width character fills its cell and marks the next one as its continuation, so
/// nothing can be written over half of it.
public struct TextGrid: Sendable {
    public struct Cell: Sendable, Equatable {
        public var character: Character = " "
        public var style: Style = .plain
        /// The right half of the double-width character on the left.
        public var continuation = false
    }

    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(row: Int, column: Int) -> Cell { cells[row * width + column] }

    /// Writes text at (row, column), clipped to `limit` columns and to the grid; returns the columns
    /// used. Control characters become spaces.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard row >= 0, row < height, column < width else { return 0 }
        let end = min(width, limit.map { column + max(0, $0) } ?? width)
        var x = column
        for c in TextFit.singleLine(text) {
            let w = DisplayWidth.of(c)
            if w == 0 { continue }
            if x + w > end { break }
            if x >= 0 { place(c, width: w, row: row, column: x, style: style) }
            x += w
        }
        return max(0, x - column)
    }

    /// Fills columns [column, column + count) of a row with spaces in `style`.
    public mutating func fill(row: Int, column: Int = 0, count: Int? = nil, style: Style) {
        guard row >= 0, row < height else { return }
        let end = min(width, column + (count ?? width))
        var x = max(0, column)
        while x < end { place(" ", width: 1, row: row, column: x, style: style); x += 1 }
    }

    private mutating func place(_ c: Character, width w: Int, row: Int, column x: Int, style: Style) {
        let i = row * width + x
        // Writing over either half of a wide character blanks its other half.
        if cells[i].continuation, x > 0 { cells[i - 1] = Cell(character: " ", style: cells[i - 1].style) }
        if x + 1 < width, cells[i + 1].continuation, !(w == 2) { cells[i + 1] = Cell(character: " ", style: cells[i + 1].style) }
        cells[i] = Cell(character: c, style: style)
        if w == 2, x + 1 < width {
            if x + 2 < width, cells[i + 2].continuation { cells[i + 2] = Cell(character: " ", style: cells[i + 2].style) }
            cells[i + 1] = Cell(character: " ", style: style, continuation: true)
        }
    }

    /// A row as plain text (continuation cells omitted), for tests and for the terminal.
    public func line(_ row: Int) -> String {
        String((0..<width).compactMap { x in self[row, x].continuation ? nil : self[row, x].character })
    }

    /// Runs of equally styled cells of a row: (first column, text, style).
    public func runs(_ row: Int) -> [(column: Int, text: String, style: Style)] {
        var out: [(column: Int, text: String, style: Style)] = []
        var start = 0, text = "", style = width > 0 ? self[row, 0].style : .plain
        for x in 0..<width {
            let cell = self[row, x]
            if cell.continuation { continue }
            if cell.style != style {
                if !text.isEmpty { out.append((start, text, style)) }
                start = x; text = ""; style = cell.style
            }
            text.append(cell.character)
        }
        if !text.isEmpty { out.append((start, text, style)) }
        return out
    }
}
