// The period of an evaluation: a day, an ISO week, a month, a quarter or a range of days, always whole
// local days of the city's time zone.

import Foundation

/// A period written as `2026-11-23` (day), `2026-W48` (ISO 8601 week, Monday to Sunday), `2026-11`
/// (month), `2026-Q4` (quarter) or `2026-11-01..2026-11-15` (custom, both days included).
public struct EvaluationPeriod: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable { case day, week, month, quarter, custom }

    public let kind: Kind
    /// First and last local day, both included.
    public let first: WorkCalendar.Day
    public let last: WorkCalendar.Day
    /// As written (normalised), e.g. "2026-W48".
    public let label: String

    /// The longest custom range: ten years of days.
    public static let maxDays = 3660

    public var description: String { label }

    public init(first: WorkCalendar.Day, last: WorkCalendar.Day) throws(EvaluationPeriodError) {
        guard first <= last else { throw .invalid("\(first)..\(last)", "the first day comes after the last") }
        guard last.ordinal - first.ordinal < Self.maxDays else {
            throw .invalid("\(first)..\(last)", "a custom period is at most \(Self.maxDays) days")
        }
        self.init(.custom, first, last, "\(first)..\(last)")
    }

    private init(_ kind: Kind, _ first: WorkCalendar.Day, _ last: WorkCalendar.Day, _ label: String) {
        self.kind = kind; self.first = first; self.last = last; self.label = label
    }

    /// Parses any of the five forms.
    public static func parse(_ text: String) throws(EvaluationPeriodError) -> EvaluationPeriod {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let range = t.range(of: "..") {
            guard let a = WorkCalendar.Day(String(t[..<range.lowerBound])),
                  let b = WorkCalendar.Day(String(t[range.upperBound...])) else {
                throw .invalid(text, "a custom period is YYYY-MM-DD..YYYY-MM-DD")
            }
            return try EvaluationPeriod(first: a, last: b)
        }
        if let day = WorkCalendar.Day(t) { return EvaluationPeriod(.day, day, day, day.description) }
        let parts = t.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), (1...9998).contains(year),
              parts[0].allSatisfy(\.isASCIIDigit) else {
            throw .invalid(text, "expected YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY-Qn or YYYY-MM-DD..YYYY-MM-DD")
        }
        let rest = parts[1]
        if rest.count == 2, rest.allSatisfy(\.isASCIIDigit), let month = Int(rest), (1...12).contains(month) {
            let first = WorkCalendar.Day(unchecked: year, month, 1)
            let last = WorkCalendar.Day(unchecked: year, month, WorkCalendar.Day.daysIn(month: month, year: year))
            return EvaluationPeriod(.month, first, last, t)
        }
        if rest.count == 2, rest.first == "Q", let q = Int(rest.dropFirst()), (1...4).contains(q) {
            let lastMonth = q * 3
            return EvaluationPeriod(.quarter, WorkCalendar.Day(unchecked: year, lastMonth - 2, 1),
                                    WorkCalendar.Day(unchecked: year, lastMonth, WorkCalendar.Day.daysIn(month: lastMonth, year: year)), t)
        }
        if rest.count == 3, rest.first == "W", rest.dropFirst().allSatisfy(\.isASCIIDigit), let w = Int(rest.dropFirst()) {
            guard (1...isoWeeks(in: year)).contains(w) else {
                throw .invalid(text, "\(year) has \(isoWeeks(in: year)) ISO weeks")
            }
            let monday = isoWeekOneMonday(year).adding(days: 7 * (w - 1))
            return EvaluationPeriod(.week, monday, monday.adding(days: 6), t)
        }
        throw .invalid(text, "expected YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY-Qn or YYYY-MM-DD..YYYY-MM-DD")
    }

    /// [start, end): local midnight of the first day to local midnight after the last, in `timeZone`.
    public func interval(timeZone: String) -> (start: Date, end: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        func midnight(_ d: WorkCalendar.Day) -> Date {
            calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day)) ?? .distantPast
        }
        return (midnight(first), midnight(last.adding(days: 1)))
    }

    /// The Monday of ISO week 1: the week with the year's first Thursday, i.e. the one holding 4 January.
    static func isoWeekOneMonday(_ year: Int) -> WorkCalendar.Day {
        let jan4 = WorkCalendar.Day(unchecked: year, 1, 4)
        return jan4.adding(days: 1 - jan4.isoWeekday)
    }

    /// 53 when the year starts on a Thursday, or is a leap year starting on a Wednesday; else 52.
    static func isoWeeks(in year: Int) -> Int {
        let jan1 = WorkCalendar.Day(unchecked: year, 1, 1).isoWeekday
        let leap = WorkCalendar.Day.daysIn(month: 2, year: year) == 29
        return jan1 == 4 || (leap && jan1 == 3) ? 53 : 52
    }
}

public enum EvaluationPeriodError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String, String)
    public var description: String {
        switch self { case .invalid(let text, let reason): "period '\(text)': \(reason)" }
    }
}

extension WorkCalendar.Day {
    /// Days since 1970-01-01 (proleptic Gregorian), by Hinnant's days-from-civil.
    var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of `ordinal` (civil-from-days).
    init(ordinal: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(unchecked: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public func adding(days: Int) -> WorkCalendar.Day { WorkCalendar.Day(ordinal: ordinal + days) }
}
