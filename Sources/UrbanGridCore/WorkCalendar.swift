// Working time (工作时间): every time limit in city management is counted in 工作时 or 工作日 on the
// city's own calendar, never in wall-clock hours (standards §4: the S6 system's "工作日 = 24 h" is wrong).

import Foundation

/// A city's work calendar: daily work periods, working weekdays, public holidays (法定节假日) and
/// make-up working days (调休上班日).
///
/// Data file `gis-data/<city>/calendar.json`:
/// ```json
/// {
///   "time_zone": "Asia/Shanghai",
///   "periods": [["08:30", "12:00"], ["13:30", "17:30"]],
///   "weekdays": [1, 2, 3, 4, 5],
///   "holidays": ["2026-10-01", "2026-10-02"],
///   "workdays": ["2026-09-20", "2026-10-10"]
/// }
/// ```
/// `periods` are local wall-clock times "HH:MM" (00:00–24:00), sorted or not but not overlapping;
/// `weekdays` are ISO numbers (1 = Monday … 7 = Sunday); `holidays` are dates off although their weekday
/// works; `workdays` are dates worked although their weekday does not (调休). A date may not be in both.
/// `holidays` and `workdays` may be omitted (empty). Local times are resolved in `time_zone`, so
/// daylight-saving changes (e.g. Helsinki) keep 08:30 at 08:30.
public struct WorkCalendar: Codable, Sendable, Equatable {
    /// IANA time zone identifier.
    public let timeZone: String
    /// Sorted, non-overlapping daily work periods.
    public let periods: [Period]
    /// ISO weekdays (1 = Monday … 7 = Sunday) that are working days unless a holiday.
    public let weekdays: Set<Int>
    public let holidays: Set<Day>
    public let workdays: Set<Day>
    private let calendar: Calendar
    private let days = WorkCalendarDays()

    /// The common Chinese office calendar: 08:30–12:00 and 13:30–17:30, Monday to Friday, no holidays.
    public static func standard(timeZone: String = "Asia/Shanghai", holidays: Set<Day> = [],
                                workdays: Set<Day> = []) throws(WorkCalendarError) -> WorkCalendar {
        try WorkCalendar(timeZone: timeZone,
                         periods: [Period(start: 8 * 60 + 30, end: 12 * 60),
                                   Period(start: 13 * 60 + 30, end: 17 * 60 + 30)],
                         weekdays: [1, 2, 3, 4, 5], holidays: holidays, workdays: workdays)
    }

    /// Validates everything at once and reports every problem, so a bad data file is fixed in one pass.
    public init(timeZone: String, periods: [Period], weekdays: Set<Int>, holidays: Set<Day> = [],
                workdays: Set<Day> = []) throws(WorkCalendarError) {
        var problems: [String] = []
        let zone = TimeZone(identifier: timeZone)
        if zone == nil { problems.append("time_zone: unknown time zone '\(timeZone)'") }
        let sorted = periods.sorted { $0.start < $1.start }
        if sorted.isEmpty { problems.append("periods: at least one work period is needed") }
        for p in sorted where !(0 <= p.start && p.start < p.end && p.end <= 24 * 60) {
            problems.append("periods: \(p) is not a period within one day")
        }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end {
            problems.append("periods: \(a) and \(b) overlap")
        }
        if weekdays.isEmpty { problems.append("weekdays: at least one working weekday is needed") }
        for w in weekdays.sorted() where !(1...7).contains(w) {
            problems.append("weekdays: \(w) is not an ISO weekday (1 = Monday … 7 = Sunday)")
        }
        for d in holidays.intersection(workdays).sorted() {
            problems.append("\(d) is both a holiday and a make-up working day")
        }
        guard problems.isEmpty, let zone else { throw .problems(problems) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.timeZone = timeZone; self.periods = sorted; self.weekdays = weekdays
        self.holidays = holidays; self.workdays = workdays; self.calendar = calendar
    }

    // MARK: Working time

    /// The length of one full work day (一个工作日), e.g. 7.5 h for 08:30–12:00 + 13:30–17:30.
    public var workDayLength: TimeInterval { TimeInterval(periods.reduce(0) { $0 + $1.end - $1.start } * 60) }

    /// Working seconds in `hours` 工作时.
    public func seconds(workingHours hours: Double) -> TimeInterval { hours * 3600 }

    /// Working seconds in `days` 工作日: days × `workDayLength`, not × 24 h.
    public func seconds(workingDays days: Double) -> TimeInterval { days * workDayLength }

    /// Whether the local date is worked: holidays first, then make-up days, then the weekday.
    public func isWorkingDay(_ day: Day) -> Bool {
        if holidays.contains(day) { return false }
        if workdays.contains(day) { return true }
        return weekdays.contains(day.isoWeekday)
    }

    /// Whether `date` falls inside a work period of a working day.
    public func isWorkingTime(_ date: Date) -> Bool {
        localDay(date).intervals.contains { $0.0 <= date && date < $0.1 }
    }

    /// The local date of an instant in the calendar's time zone.
    public func day(of date: Date) -> Day { localDay(date).day }

    /// Working time between two instants; 0 if `to <= from`.
    public func workingSeconds(from: Date, to: Date) -> TimeInterval {
        guard to > from else { return 0 }
        var total: TimeInterval = 0
        var day = localDay(from)
        while day.start < to {
            for (start, end) in day.intervals {
                let overlap = min(end, to).timeIntervalSince(max(start, from))
                if overlap > 0 { total += overlap }
            }
            day = localDay(day.next)
        }
        return total
    }

    /// Working time between two instants in 工作时.
    public func workingHours(from: Date, to: Date) -> Double { workingSeconds(from: from, to: to) / 3600 }

    /// Working time between two instants in 工作日 (units of `workDayLength`).
    public func workingDays(from: Date, to: Date) -> Double { workingSeconds(from: from, to: to) / workDayLength }

    /// The deadline: the first instant at which `seconds` of working time have elapsed since `start`.
    ///
    /// A start outside work hours counts from the next period start. A limit that ends exactly at a
    /// period end gives that end (12:00), not the next start (13:30): the work is due before the break.
    /// Returns `start` for a non-positive amount, and `Date.distantFuture` if no working time is found
    /// within 100 years (a calendar of holidays only).
    public func addingWorkingTime(_ seconds: TimeInterval, to start: Date) -> Date {
        guard seconds > 0 else { return start }
        var remaining = seconds
        var day = localDay(start)
        for _ in 0..<(366 * 100) {
            for (periodStart, periodEnd) in day.intervals where periodEnd > start {
                let from = max(periodStart, start)
                let available = periodEnd.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
            }
            day = localDay(day.next)
        }
        return .distantFuture
    }

    /// The local day holding `date`: its start, the next day's start, its date and the instants
    /// of its work periods (none on a day off). Resolved once per day, then remembered.
    private func localDay(_ date: Date) -> WorkCalendarDays.Entry {
        days.entry(containing: date) { date in
            let dayStart = calendar.startOfDay(for: date)
            let next = calendar.date(byAdding: .day, value: 1, to: dayStart) ?? dayStart.addingTimeInterval(86_400)
            let c = calendar.dateComponents([.year, .month, .day], from: dayStart)
            let (y, m, d) = (c.year!, c.month!, c.day!)
            let day = Day(unchecked: y, m, d)
            guard isWorkingDay(day) else { return .init(start: dayStart, next: next, day: day, intervals: []) }
            func instant(_ minute: Int) -> Date {
                if minute >= 24 * 60 { return next }
                // From wall-clock components, not dayStart + minutes, so DST days keep their local times.
                let components = DateComponents(year: y, month: m, day: d, hour: minute / 60, minute: minute % 60)
                return calendar.date(from: components) ?? dayStart.addingTimeInterval(TimeInterval(minute * 60))
            }
            return .init(start: dayStart, next: next, day: day, intervals: periods.map { (instant($0.start), instant($0.end)) })
        }
    }

    // MARK: Codable

    enum CodingKeys: String, CodingKey {
        case timeZone = "time_zone", periods, weekdays, holidays, workdays
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let weekdays = try c.decode([Int].self, forKey: .weekdays)
        do {
            try self.init(timeZone: try c.decode(String.self, forKey: .timeZone),
                          periods: try c.decode([Period].self, forKey: .periods),
                          weekdays: Set(weekdays),
                          holidays: Set(try c.decodeIfPresent([Day].self, forKey: .holidays) ?? []),
                          workdays: Set(try c.decodeIfPresent([Day].self, forKey: .workdays) ?? []))
        } catch let error as WorkCalendarError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(periods, forKey: .periods)
        try c.encode(weekdays.sorted(), forKey: .weekdays)
        try c.encode(holidays.sorted(), forKey: .holidays)
        try c.encode(workdays.sorted(), forKey: .workdays)
    }

    public static func == (a: WorkCalendar, b: WorkCalendar) -> Bool {
        a.timeZone == b.timeZone && a.periods == b.periods && a.weekdays == b.weekdays
            && a.holidays == b.holidays && a.workdays == b.workdays
    }
}

extension WorkCalendar {
    /// A daily work period in minutes after local midnight; JSON `["08:30", "12:00"]`.
    public struct Period: Codable, Sendable, Hashable, CustomStringConvertible {
        public var start: Int
        public var end: Int

        public init(start: Int, end: Int) { self.start = start; self.end = end }

        /// From "HH:MM" texts; nil if either is malformed.
        public init?(_ start: String, _ end: String) {
            guard let s = Self.minutes(start), let e = Self.minutes(end) else { return nil }
            self.init(start: s, end: e)
        }

        public var description: String { "\(Self.text(start))–\(Self.text(end))" }

        static func minutes(_ text: String) -> Int? {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
                  let h = Int(parts[0]), let m = Int(parts[1]), h >= 0, m >= 0, m < 60,
                  h < 24 || (h == 24 && m == 0) else { return nil }
            return h * 60 + m
        }

        static func text(_ minutes: Int) -> String {
            let h = minutes / 60, m = minutes % 60
            return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
        }

        public init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            let s = try c.decode(String.self), e = try c.decode(String.self)
            guard c.isAtEnd, let period = Period(s, e) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "expected [\"HH:MM\", \"HH:MM\"]"))
            }
            self = period
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.unkeyedContainer()
            try c.encode(Self.text(start))
            try c.encode(Self.text(end))
        }
    }

    /// A local calendar date; JSON "YYYY-MM-DD". Holidays are dates, not instants, so they stay put
    /// whatever time zone the server runs in.
    public struct Day: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
        public let year: Int
        public let month: Int
        public let day: Int

        /// Checks the date exists (2026-02-30 does not).
        public init?(_ year: Int, _ month: Int, _ day: Int) {
            guard (1...9999).contains(year), (1...12).contains(month),
                  (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
            self.year = year; self.month = month; self.day = day
        }

        init(unchecked year: Int, _ month: Int, _ day: Int) { self.year = year; self.month = month; self.day = day }

        /// From "YYYY-MM-DD".
        public init?(_ text: String) {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                  parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
                  let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
            self.init(y, m, d)
        }

        public var description: String {
            let y = String(year), m = String(month), d = String(day)
            return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (m.count < 2 ? "0" : "") + m
                + "-" + (d.count < 2 ? "0" : "") + d
        }

        /// ISO weekday, 1 = Monday … 7 = Sunday (proleptic Gregorian, Sakamoto's method).
        public var isoWeekday: Int {
            let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
            let y = month < 3 ? year - 1 : year
            let sunday0 = (y + y / 4 - y / 100 + y / 400 + t[month - 1] + day) % 7
            return sunday0 == 0 ? 7 : sunday0
        }

        static func daysIn(month: Int, year: Int) -> Int {
            switch month {
            case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }

        public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let day = Day(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "'\(text)' is not a date YYYY-MM-DD"))
            }
            self = day
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(description)
        }
    }
}

/// A work calendar that cannot be used, with every reason.
public enum WorkCalendarError: Error, Sendable, Equatable, CustomStringConvertible {
    case problems([String])
    public var description: String {
        switch self { case .problems(let p): "work calendar: " + p.joined(separator: "; ") }
    }
}
