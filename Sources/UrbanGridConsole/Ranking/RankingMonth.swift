import Foundation

/// The month a ranking covers, as the API writes it (`2026-11`), stepped a month at a time.
public struct RankingMonth: Sendable, Equatable, Hashable {
    public var year: Int
    /// 1…12.
    public var month: Int

    public init(year: Int, month: Int) {
        // Normalise any month number into 1…12, carrying into the year.
        let index = year * 12 + (month - 1)
        self.year = index >= 0 ? index / 12 : (index - 11) / 12
        self.month = index - self.year * 12 + 1
    }

    /// The month of `date` on the local calendar of `timeZone`.
    public static func containing(_ date: Date, timeZone: TimeZone = .current) -> RankingMonth {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month], from: date)
        return RankingMonth(year: c.year ?? 1970, month: c.month ?? 1)
    }

    public var previous: RankingMonth { RankingMonth(year: year, month: month - 1) }
    public var next: RankingMonth { RankingMonth(year: year, month: month + 1) }

    /// `2026-01`: the `period` query parameter.
    public var label: String { String(format: "%04d-%02d", year, month) }
}
