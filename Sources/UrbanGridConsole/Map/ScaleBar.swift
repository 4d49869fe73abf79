/// A scale bar for the map: the longest round length (1, 2 or 5 × 10ⁿ metres) that fits in the room
/// given, drawn "├────┤ 50 m".
public struct ScaleBar: Sendable, Equatable {
    public var metres: Double
    /// Columns of the bar itself, ends included.
    public var columns: Int

    /// Nil when not even one metre fits.
    public init?(metresPerColumn: Double, maxColumns: Int) {
        guard metresPerColumn.isFinite, metresPerColumn > 0, maxColumns >= 2 else { return nil }
        var best: (Double, Int)?
        var magnitude = 1.0
        while magnitude <= 1e7 {
            for step in [1.0, 2.0, 5.0] {
                let length = step * magnitude
                let cols = Int((length / metresPerColumn).rounded())
                if cols >= 2 && cols <= maxColumns { best = (length, cols) }
            }
            magnitude *= 10
        }
        guard let best else { return nil }
        (metres, columns) = best
    }

    public var label: String {
        metres >= 1000 ? "\(Self.number(metres / 1000)) km" : "\(Self.number(metres)) m"
    }

    public var bar: String {
        "├" + String(repeating: "─", count: max(0, columns - 2)) + "┤"
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(v)
    }
}
