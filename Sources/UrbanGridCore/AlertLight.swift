/// The alert light (警示灯) of a time-limited step: how much of its limit has been used.
///
/// Boundaries, as issue 3 states them: green below 80 %, yellow from exactly 80 % up to and including
/// 100 %, red only when strictly over 100 % (超期). So a step finished at its deadline is on time, and
/// the light turns yellow at the 80 % mark rather than just after it (the S6 system's "≤ 80 % green"
/// differs by that one instant; we follow the issue).
public enum AlertLight: String, Codable, Sendable, CaseIterable, Comparable {
    /// 绿灯: elapsed < 80 % of the limit.
    case green
    /// 黄灯: 80 % ≤ elapsed ≤ 100 %.
    case yellow
    /// 红灯: elapsed > 100 %, overdue (超期).
    case red

    /// Compared without dividing (elapsed × 5 ≥ limit × 4), so exact 80 % does not fall on the wrong
    /// side through rounding. A non-positive limit is yellow until any time elapses, then red.
    public init(elapsed: Double, limit: Double) {
        if elapsed > limit {
            self = .red
        } else if elapsed * 5 >= limit * 4 {
            self = .yellow
        } else {
            self = .green
        }
    }

    public var nameZh: String {
        switch self {
        case .green: "绿灯"
        case .yellow: "黄灯"
        case .red: "红灯"
        }
    }

    /// Severity order, so the worst light of several steps is `max`.
    public static func < (a: AlertLight, b: AlertLight) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .green: 0
        case .yellow: 1
        case .red: 2
        }
    }
}
