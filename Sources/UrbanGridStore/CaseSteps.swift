import Foundation
import GRDB
import UrbanGridCore

/// The step facts of the evaluation (`case_step`): one row per time-limited step (环节) of a case, who
/// started and ended it, its limit, approved 延期 and 挂账, and whether it ended on time — written in
/// the transaction of the audit entry that starts, changes or ends it, so the evaluation counts rows
/// instead of replaying clocks.
enum CaseSteps {
    /// Opens the step that `clock` times, started by audit entry `seq`.
    static func open(_ db: Database, caseID: Int64, seq: Int64, action: String, actor: UserAccount,
                     state: CaseState, clock: StepClock, calendar: WorkCalendar) throws {
        try db.cachedStatement(sql: """
            INSERT INTO case_step (case_id, node, start_seq, started_at, start_action, started_by, department_code,
                                   inspector_id, limit_s)
            VALUES (?,?,?,?,?,?,?,?,?)
            """).execute(arguments: [caseID, clock.node.rawValue, seq, Timestamps.format(clock.start), action, actor.id,
                             state.department, state.inspector, clock.limit.seconds(in: calendar)])
    }

    /// What an action (audit entry `seq`) did to the case's step: ended it with its outcome and opened
    /// the next, or counted an approved 延期 or 挂账. `before` is the clock the case had, `after` the new one.
    static func record(_ db: Database, caseID: Int64, seq: Int64, transition: Transition, actor: UserAccount,
                       before: StepClock?, after: StepClock?, at now: Date, calendar: WorkCalendar) throws {
        let ended: StepOutcome? = switch transition.clock {
        case .start, .stop: before?.outcome(endingAt: now, on: calendar)
        default: nil
        }
        try recordOutcome(db, caseID: caseID, action: transition.action, actor: actor, at: now,
                          lateHandling: transition.action == .finish && ended?.onTime == false)
        switch transition.clock {
        case .start, .stop:
            if let outcome = ended {
                try db.cachedStatement(sql: """
                    UPDATE case_step SET end_seq = ?, ended_at = ?, end_action = ?, end_status = ?, ended_by = ?,
                                         elapsed_s = ?, on_time = ?
                    WHERE case_id = ? AND ended_at IS NULL
                    """).execute(arguments: [seq, Timestamps.format(now), transition.action.rawValue, transition.to.rawValue,
                                     actor.id, outcome.elapsed, outcome.onTime, caseID])
            }
            if case .start = transition.clock, let after {
                try open(db, caseID: caseID, seq: seq, action: transition.action.rawValue, actor: actor,
                         state: transition.state, clock: after, calendar: calendar)
            }
        case .extend(let hours):
            try db.cachedStatement(sql: """
                UPDATE case_step SET extensions = extensions + 1, extension_s = extension_s + ?
                WHERE case_id = ? AND ended_at IS NULL
                """).execute(arguments: [calendar.seconds(workingHours: hours), caseID])
        case .pause:
            try db.cachedStatement(sql: "UPDATE case_step SET hangs = hangs + 1 WHERE case_id = ? AND ended_at IS NULL").execute(
                           arguments: [caseID])
        case .keep, .resume:
            break
        }
    }

    /// The case's own outcome facts: when it was registered (立案) and by whom, voided, closed, and
    /// whether a 处置 finished late — what the evaluation asks of a case without reading its steps.
    static func recordOutcome(_ db: Database, caseID: Int64, action: CaseAction, actor: UserAccount, at now: Date,
                              lateHandling: Bool) throws {
        let at = Timestamps.format(now)
        switch action {
        case .register:
            try db.cachedStatement(sql: "UPDATE case_record SET registered_at = ?, registered_by = ? WHERE id = ?").execute(
                           arguments: [at, actor.id, caseID])
        case .void:
            try db.cachedStatement(sql: "UPDATE case_record SET voided_at = ? WHERE id = ?").execute(arguments: [at, caseID])
        case .close:
            try db.cachedStatement(sql: "UPDATE case_record SET closed_at = ? WHERE id = ?").execute(arguments: [at, caseID])
        case .finish where lateHandling:
            try db.cachedStatement(sql: "UPDATE case_record SET late_handling = 1 WHERE id = ?").execute(arguments: [caseID])
        default:
            break
        }
    }
}
