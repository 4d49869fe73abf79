/// How long to wait before each reconnection attempt: doubling from half a second up to a ceiling,
/// with up to a quarter of random spread so many consoles do not hammer a restarted server at once.
/// Reset after a connection that delivered its greeting.
public struct ReconnectBackoff: Sendable, Equatable {
    public var first: Double = 0.5
    public var ceiling: Double = 8
    public private(set) var attempt = 0

    public init(first: Double = 0.5, ceiling: Double = 8) { self.first = first; self.ceiling = ceiling }

    /// The delay in seconds before the next attempt; `jitter` in 0…1 picks where in the spread.
    public mutating func next(jitter: Double = 0) -> Double {
        let base = Self.delay(attempt: attempt, first: first, ceiling: ceiling)
        attempt += 1
        return base * (1 - 0.25 * min(max(jitter, 0), 1))
    }

    public mutating func reset() { attempt = 0 }

    /// The delay without spread for attempt n (0-based): first · 2ⁿ, at most `ceiling`.
    public static func delay(attempt: Int, first: Double, ceiling: Double) -> Double {
        var d = first
        for _ in 0..<min(attempt, 30) { d *= 2; if d >= ceiling { return ceiling } }
        return min(d, ceiling)
    }
}
