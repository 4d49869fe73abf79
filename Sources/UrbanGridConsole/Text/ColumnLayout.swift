// Table columns that adapt to the terminal width: each column has a minimum, an optional maximum, a
// share of the spare room and a priority. When even the minimums do not fit, the least important
// columns are dropped; spare room is shared by weight.

public struct Column: Sendable, Equatable {
    public var title: String
    public var minWidth: Int
    public var maxWidth: Int?
    /// Share of the room left after every column got its minimum.
    public var weight: Int
    /// Higher survives longer when the screen is narrow.
    public var priority: Int
    public var alignment: Alignment

    public init(_ title: String, min: Int, max: Int? = nil, weight: Int = 0, priority: Int, alignment: Alignment = .left) {
        self.title = title; self.minWidth = min; self.maxWidth = max; self.weight = weight
        self.priority = priority; self.alignment = alignment
    }
}

public enum ColumnLayout {
    /// The width of each column in `total` columns with `gap` spaces between neighbours; nil for a
    /// dropped column. The widths of the kept columns plus the gaps never exceed `total`.
    public static func widths(_ columns: [Column], total: Int, gap: Int = 1) -> [Int?] {
        var kept = Set(columns.indices)
        func needed() -> Int {
            kept.reduce(0) { $0 + columns[$1].minWidth } + max(0, kept.count - 1) * gap
        }
        while needed() > total, let drop = kept.min(by: { (columns[$0].priority, -$0) < (columns[$1].priority, -$1) }) {
            kept.remove(drop)
        }
        var widths = columns.indices.map { kept.contains($0) ? columns[$0].minWidth : 0 }
        var spare = total - needed()
        // Hand out the spare room in rounds, by weight, until it is gone or every column is full.
        while spare > 0 {
            let open = kept.sorted().filter { columns[$0].weight > 0 && widths[$0] < (columns[$0].maxWidth ?? Int.max) }
            guard !open.isEmpty else { break }
            let totalWeight = open.reduce(0) { $0 + columns[$1].weight }
            var given = 0
            for i in open {
                let share = max(1, spare * columns[i].weight / totalWeight)
                let room = (columns[i].maxWidth ?? Int.max) - widths[i]
                let add = min(share, room, spare - given)
                widths[i] += add
                given += add
                if given == spare { break }
            }
            if given == 0 { break }
            spare -= given
        }
        return columns.indices.map { kept.contains($0) ? widths[$0] : nil }
    }

    /// One table row: each kept cell fitted to its width, joined by the gap.
    public static func row(_ cells: [String], columns: [Column], widths: [Int?], gap: Int = 1) -> String {
        var parts: [String] = []
        for (i, width) in widths.enumerated() {
            guard let width, i < cells.count else { continue }
            parts.append(TextFit.fit(cells[i], to: width, alignment: columns[i].alignment))
        }
        return parts.joined(separator: String(repeating: " ", count: gap))
    }
}
