// Time limits and the per-step clock: 处置时限 and node limits in 工作时/工作日, paused by 挂账 and
// lengthened by 延期.

import Foundation

/// A time limit in working time. JSON `{"working_hours": 4}` or `{"working_days": 1.5}`.
public enum TimeLimit: Codable, Sendable, Hashable, CustomStringConvertible {
    /// 工作时.
    case workingHours(Double)
    /// 工作日: multiples of the calendar's work-day length (e.g. 7.5 h), not of 24 h.
    case workingDays(Double)

    /// The limit in working seconds on `calendar`.
    public func seconds(in calendar: WorkCalendar) -> TimeInterval {
        switch self {
        case .workingHours(let h): calendar.seconds(workingHours: h)
        case .workingDays(let d): calendar.seconds(workingDays: d)
        }
    }

    /// "4 工作时", "1.5 工作日": how local 立案、处置、结案标准 tables write limits.
    public var labelZh: String {
        switch self {
        case .workingHours(let h): "\(Self.numberText(h)) 工作时"
        case .workingDays(let d): "\(Self.numberText(d)) 工作日"
        }
    }

    public var description: String {
        switch self {
        case .workingHours(let h): "\(Self.numberText(h)) working hours"
        case .workingDays(let d): "\(Self.numberText(d)) working days"
        }
    }

    /// Whether the amount is a positive finite number.
    public var isValid: Bool {
        switch self {
        case .workingHours(let v), .workingDays(let v): v.isFinite && v > 0
        }
    }

    /// "4" rather than "4.0", "1.5" as is: these numbers appear in text people read.
    static func numberText(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    enum CodingKeys: String, CodingKey {
        case workingHours = "working_hours", workingDays = "working_days"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let hours = try c.decodeIfPresent(Double.self, forKey: .workingHours)
        let days = try c.decodeIfPresent(Double.self, forKey: .workingDays)
        switch (hours, days) {
        case (let h?, nil): self = .workingHours(h)
        case (nil, let d?): self = .workingDays(d)
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a time limit needs exactly one of working_hours, working_days"))
        }
        guard isValid else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "a time limit must be positive"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .workingHours(let h): try c.encode(h, forKey: .workingHours)
        case .workingDays(let d): try c.encode(d, forKey: .workingDays)
        }
    }
}

/// A 挂账 interval; `end` is nil while the case is still hung.
public struct ClockPause: Codable, Sendable, Equatable {
    public var start: Date
    public var end: Date?
    public init(start: Date, end: Date? = nil) { self.start = start; self.end = end }
}

/// The clock of one time-limited step (环节) of a case: when it started, its limit, the 挂账 pauses and
/// the 延期 granted. Stored with the case; `reading(at:on:)` gives elapsed time, deadline and light.
public struct StepClock: Codable, Sendable, Equatable {
    public var node: CaseNode
    public var start: Date
    public var limit: TimeLimit
    public var pauses: [ClockPause]
    /// 延期 granted in this step, in working seconds.
    public var extensionSeconds: TimeInterval

    public init(node: CaseNode, start: Date, limit: TimeLimit, pauses: [ClockPause] = [],
                extensionSeconds: TimeInterval = 0) {
        self.node = node; self.start = start; self.limit = limit; self.pauses = pauses
        self.extensionSeconds = extensionSeconds
    }

    /// Whether a 挂账 is open.
    public var isPaused: Bool { pauses.last.map { $0.end == nil } ?? false }

    /// 挂账 approved: stop the clock (no-op if already stopped).
    public mutating func pause(at date: Date) {
        if !isPaused { pauses.append(ClockPause(start: date)) }
    }

    /// 挂账恢复: run again (no-op if running).
    public mutating func resume(at date: Date) {
        if isPaused { pauses[pauses.count - 1].end = date }
    }

    /// 延期 approved.
    public mutating func extend(workingHours hours: Double) { extensionSeconds += hours * 3600 }

    /// Applies a transition's effect. `.start` needs the new node's limit, so it replaces the clock;
    /// `.stop` ends it: both return the clock the case should carry next (nil = none).
    public func applying(_ effect: ClockEffect, at date: Date, newLimit: (CaseNode) -> TimeLimit) -> StepClock? {
        var next = self
        switch effect {
        case .start(let node): return StepClock(node: node, start: date, limit: newLimit(node))
        case .keep: break
        case .pause: next.pause(at: date)
        case .resume: next.resume(at: date)
        case .extend(let hours): next.extend(workingHours: hours)
        case .stop: return nil
        }
        return next
    }

    /// The step's state at `now`.
    ///
    /// Elapsed = working time from `start` to `now` minus the working time inside pauses. The deadline
    /// is the instant at which elapsed reaches limit + extension; an open pause is taken to end now,
    /// so while hung the deadline shown is the one the case would have if resumed this moment.
    public func reading(at now: Date, on calendar: WorkCalendar) -> ClockReading {
        let total = limit.seconds(in: calendar) + extensionSeconds
        let stops = mergedPauses(until: now)
        var elapsed = calendar.workingSeconds(from: start, to: now)
        for (s, e) in stops { elapsed -= calendar.workingSeconds(from: s, to: min(e, now)) }
        elapsed = max(0, elapsed)

        var deadline: Date?
        var remaining = total, cursor = start
        for (s, e) in stops where remaining > 0 {
            let available = calendar.workingSeconds(from: cursor, to: s)
            if remaining <= available { deadline = calendar.addingWorkingTime(remaining, to: cursor); break }
            remaining -= available
            cursor = max(cursor, e)
        }
        let due = deadline ?? calendar.addingWorkingTime(remaining, to: cursor)
        return ClockReading(elapsed: elapsed, limit: total, remaining: total - elapsed, deadline: due,
                            paused: isPaused, light: AlertLight(elapsed: elapsed, limit: total))
    }

    /// Pauses clipped to the step start, open ones ended at `now`, sorted and merged.
    private func mergedPauses(until now: Date) -> [(Date, Date)] {
        let clipped = pauses.compactMap { p -> (Date, Date)? in
            let s = max(p.start, start), e = p.end ?? now
            return e > s ? (s, e) : nil
        }.sorted { $0.0 < $1.0 }
        var out: [(Date, Date)] = []
        for p in clipped {
            if let last = out.last, p.0 <= last.1 { out[out.count - 1].1 = max(last.1, p.1) } else { out.append(p) }
        }
        return out
    }
}

/// A step clock read at one instant. Times are working seconds.
public struct ClockReading: Codable, Sendable, Equatable {
    /// Working time used, pauses excluded.
    public var elapsed: TimeInterval
    /// Limit plus extension.
    public var limit: TimeInterval
    /// limit − elapsed; negative when overdue.
    public var remaining: TimeInterval
    /// When the limit runs out (projected from now while paused).
    public var deadline: Date
    public var paused: Bool
    public var light: AlertLight

    public init(elapsed: TimeInterval, limit: TimeInterval, remaining: TimeInterval, deadline: Date,
                paused: Bool, light: AlertLight) {
        self.elapsed = elapsed; self.limit = limit; self.remaining = remaining; self.deadline = deadline
        self.paused = paused; self.light = light
    }

    /// Over the limit (超期).
    public var isOverdue: Bool { light == .red }
}
