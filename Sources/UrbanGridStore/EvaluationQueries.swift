import Foundation
import GRDB
import UrbanGridCore

/// The window of an evaluation as stored text: steps ending in [start, end) count; `end` is the end of
/// the period or the moment of the evaluation if earlier; later outcomes count up to `now`.
struct EvaluationWindow {
    var start: String
    var end: String
    var now: String

    /// ?1, ?2 and ?3 as far as `sql` uses them (SQLite wants no more arguments than parameters).
    func arguments(for sql: String) -> StatementArguments {
        let count = sql.contains("?3") ? 3 : sql.contains("?2") ? 2 : 1
        return StatementArguments(Array([start, end, now].prefix(count)))
    }
}

/// The counts of `EvaluationFamily.countedKeys`: aggregate queries over ranges of the step facts
/// (`case_step`, indexes on (node, ended_at) and (node, started_at)) and of the cases' own facts
/// (indexes on created_at and registered_at), without correlated lookups except for the few steps
/// open at the window's end. In the SQL, ?1 is the window's start, ?2 its end, ?3 now. Every query
/// returns the subject's key first, then the counts named beside it.
enum EvaluationQueries {
    typealias Counts = [String: [String: Int]]

    static func department(_ db: Database, _ w: EvaluationWindow) throws -> Counts {
        var out: Counts = [:]
        try add(db, w, into: &out, keys: ["handled", "handledOnTime", "extended", "hung", "returned"], sql: """
            SELECT department_code, sum(end_action = 'finish'), sum(end_action = 'finish' AND on_time),
                   sum(end_action = 'finish' AND extensions > 0), sum(end_action = 'finish' AND hangs > 0),
                   sum(end_status = 'awaiting-dispatch')
            FROM case_step WHERE node = 'handling' AND ended_at >= ?1 AND ended_at < ?2 GROUP BY department_code
            """)
        try add(db, w, into: &out, keys: ["open", "overdueOpen", "extended", "hung"],
                sql: openSteps(nodes: [.handling], key: "department_code"))
        try add(db, w, into: &out, keys: ["dispatched"], sql: """
            SELECT department_code, count(*) FROM case_step
            WHERE node = 'handling' AND start_action = 'dispatch' AND started_at >= ?1 AND started_at < ?2
            GROUP BY department_code
            """)
        try add(db, w, into: &out, keys: ["closed", "reworked"], sql: """
            SELECT department_code, sum(end_action = 'close'), sum(end_action = 'rework') FROM case_step
            WHERE node = 'closing' AND ended_at >= ?1 AND ended_at < ?2 AND department_code IS NOT NULL
            GROUP BY department_code
            """)
        return out
    }

    static func inspector(_ db: Database, _ w: EvaluationWindow) throws -> Counts {
        var out: Counts = [:]
        try add(db, w, into: &out, keys: ["reports", "validReports"], sql: """
            SELECT r.reported_by, count(*), sum(r.registered_at < ?3 OR (r.self_handled AND r.closed_at < ?3))
            FROM case_record r JOIN user u ON u.id = r.reported_by
            WHERE u.role = 'inspector' AND r.created_at >= ?1 AND r.created_at < ?2 GROUP BY r.reported_by
            """)
        try add(db, w, into: &out, keys: ["registeredInBeat", "missedReports"], sql: """
            SELECT b.user_id, count(*), sum(r.source IN ('public', 'hotline'))
            FROM case_record r JOIN inspector_beat b ON b.grid_code = r.grid_code
            WHERE r.registered_at >= ?1 AND r.registered_at < ?2 GROUP BY b.user_id
            """)
        try add(db, w, into: &out, keys: ["verified", "verifiedOnTime"], sql: finishedSteps(.verification))
        try add(db, w, into: &out, keys: ["checked", "checkedOnTime"], sql: finishedSteps(.check))
        try add(db, w, into: &out, keys: ["", "overdueVerifications"], sql: openSteps(nodes: [.verification], key: "inspector_id"))
        try add(db, w, into: &out, keys: ["", "overdueChecks"], sql: openSteps(nodes: [.check], key: "inspector_id"))
        return out
    }

    static func operator_(_ db: Database, _ w: EvaluationWindow) throws -> Counts {
        var out: Counts = [:]
        try add(db, w, into: &out, keys: ["accepted", "verificationsSent", "verificationsSentOnTime"], sql: """
            SELECT ended_by, count(*), sum(end_status = 'verifying'), sum(end_status = 'verifying' AND on_time)
            FROM case_step WHERE node = 'acceptance' AND ended_at >= ?1 AND ended_at < ?2 GROUP BY ended_by
            """)
        try add(db, w, into: &out, keys: ["checksSent", "checksSentOnTime"], sql: finishedSteps(.checkDispatch))
        return out
    }

    static func shiftLeader(_ db: Database, _ w: EvaluationWindow) throws -> Counts {
        var out: Counts = [:]
        try add(db, w, into: &out, keys: ["registered", "registeredOnTime"], sql: """
            SELECT ended_by, count(*), sum(on_time) FROM case_step
            WHERE node = 'registration' AND end_action = 'register' AND ended_at >= ?1 AND ended_at < ?2 GROUP BY ended_by
            """)
        try add(db, w, into: &out, keys: ["registeredVoided"], sql: """
            SELECT registered_by, count(*) FROM case_record
            WHERE registered_at >= ?1 AND registered_at < ?2 AND voided_at < ?3 GROUP BY registered_by
            """)
        try add(db, w, into: &out, keys: ["closures", "closuresOnTime"], sql: """
            SELECT ended_by, count(*), sum(on_time) FROM case_step
            WHERE node = 'closing' AND end_action = 'close' AND ended_at >= ?1 AND ended_at < ?2 GROUP BY ended_by
            """)
        return out
    }

    static func dispatcher(_ db: Database, _ w: EvaluationWindow) throws -> Counts {
        var out: Counts = [:]
        try add(db, w, into: &out, keys: ["dispatches", "dispatchesOnTime"], sql: """
            SELECT ended_by, count(*), sum(on_time) FROM case_step
            WHERE node = 'dispatch' AND end_action = 'dispatch' AND ended_at >= ?1 AND ended_at < ?2 GROUP BY ended_by
            """)
        // A dispatch was wrong when the handling step it started (at the same instant, by the same
        // dispatcher) ended by an approved 回退.
        try add(db, w, into: &out, keys: ["dispatchesReturned"], sql: """
            SELECT started_by, count(*) FROM case_step
            WHERE node = 'handling' AND start_action = 'dispatch' AND started_at >= ?1 AND started_at < ?2
              AND end_status = 'awaiting-dispatch' AND ended_at < ?3 GROUP BY started_by
            """)
        return out
    }

    /// Per unit grid; the store adds them up for communities, streets and districts.
    static func grid(_ db: Database, _ w: EvaluationWindow) throws -> Counts {
        var out: Counts = [:]
        try add(db, w, into: &out, keys: ["registered", "publicReports", "voided", "closed", "closedOnTime"], sql: """
            SELECT grid_code, count(*), sum(source IN ('public', 'hotline')), sum(voided_at < ?3), sum(closed_at < ?3),
                   sum(closed_at < ?3 AND NOT late_handling)
            FROM case_record WHERE registered_at >= ?1 AND registered_at < ?2 GROUP BY grid_code
            """)
        return out
    }

    // MARK: Building blocks

    /// Per person who ended them: steps of `node` ended in the window, and how many on time.
    static func finishedSteps(_ node: CaseNode) -> String {
        """
        SELECT ended_by, count(*), sum(on_time) FROM case_step
        WHERE node = '\(node.rawValue)' AND ended_at >= ?1 AND ended_at < ?2 GROUP BY ended_by
        """
    }

    /// Per value of `key`: steps of `nodes` open at the window's end; of those, overdue then; and of the
    /// overdue ones, those with an approved 延期 and with an approved 挂账. A step is overdue at the end
    /// when the last audit entry of its case before the end made it overdue from an earlier instant.
    /// Open at the end means started before it and ended after it or not at all: two ranges of the
    /// (node, ended_at) index, so the cost follows the steps ended since, not the whole history (the
    /// planner, without statistics, would otherwise take every step started before the end).
    static func openSteps(nodes: [CaseNode], key: String) -> String {
        let list = nodes.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let columns = """
            s.\(key) AS subject, s.extensions, s.hangs,
            coalesce((SELECT a.overdue_from FROM case_audit a WHERE a.case_id = s.case_id AND a.at < ?2
                      ORDER BY a.seq DESC LIMIT 1) < ?2, 0) AS overdue
            """
        return """
            WITH open_step AS MATERIALIZED (
                SELECT \(columns) FROM case_step s INDEXED BY case_step_ended
                WHERE s.node IN (\(list)) AND s.ended_at >= ?2 AND s.started_at < ?2 AND s.\(key) IS NOT NULL
                UNION ALL
                SELECT \(columns) FROM case_step s INDEXED BY case_step_ended
                WHERE s.node IN (\(list)) AND s.ended_at IS NULL AND s.started_at < ?2 AND s.\(key) IS NOT NULL)
            SELECT subject, count(*), sum(overdue), sum(overdue AND extensions > 0), sum(overdue AND hangs > 0)
            FROM open_step GROUP BY subject
            """
    }

    /// Runs `sql` and adds its counts to `out` under `keys` (column 2 onwards); an empty key skips a column.
    /// An empty window (a period that has not begun) counts nothing, not even steps open at its start.
    static func add(_ db: Database, _ w: EvaluationWindow, into out: inout Counts, keys: [String], sql: String) throws {
        guard w.start < w.end else { return }
        for row in try Row.fetchAll(db, sql: sql, arguments: w.arguments(for: sql)) {
            guard let subject = String.fromDatabaseValue(row[0] as DatabaseValue)
                    ?? Int64.fromDatabaseValue(row[0] as DatabaseValue).map(String.init) else { continue }
            for (i, key) in keys.enumerated() where !key.isEmpty {
                out[subject, default: [:]][key, default: 0] += (row[i + 1] as Int?) ?? 0
            }
        }
    }
}
