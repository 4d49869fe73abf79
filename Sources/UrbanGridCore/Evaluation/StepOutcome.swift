// The facts about a step that the evaluation needs, fixed when they happen: whether a finished step
// was on time, and from when an unfinished one counts as overdue.

import Foundation

/// How a time-limited step (环节) ended.
public struct StepOutcome: Sendable, Equatable {
    /// Working seconds used, 挂账 excluded.
    public var elapsed: TimeInterval
    /// The limit plus approved 延期, in working seconds.
    public var limit: TimeInterval
    /// Not over the limit: a step finished exactly at its deadline is on time (as the alert light's red).
    public var onTime: Bool
}

extension StepClock {
    /// The outcome of the step if it ends at `end`.
    public func outcome(endingAt end: Date, on calendar: WorkCalendar) -> StepOutcome {
        let r = reading(at: end, on: calendar)
        return StepOutcome(elapsed: r.elapsed, limit: r.limit, onTime: !r.isOverdue)
    }

    /// The instant after which the step counts as overdue if nothing else happens to it, as of `now`.
    /// While hung (挂账) the clock stands still, so a step that was not yet overdue cannot become so: nil.
    /// A step already overdue when it was hung stays overdue: its past deadline.
    public func overdueFrom(at now: Date, on calendar: WorkCalendar) -> Date? {
        let r = reading(at: now, on: calendar)
        if r.paused && !r.isOverdue { return nil }
        return r.deadline
    }
}
