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

/// The counts of `EvaluationFamily.countedKeys`, one aggregate query per group of counts over the step
/// facts (`case_step`) and the cases, through the indexes on (node, ended_at) and (node, started_at).
/// In the SQL, ?1 is the window's start, ?2 its end, ?3 now. Every query returns the subject's key
/// first, then the counts named beside it.
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
            SELECT r.reported_by, count(*),
                   sum(EXISTS (SELECT 1 FROM case_step v INDEXED BY case_step_case WHERE v.case_id = r.id AND v.node = 'registration'
                                 AND v.end_action = 'register' AND v.ended_at < ?3)
                       OR (r.self_handled AND EXISTS (SELECT 1 FROM case_step c INDEXED BY case_step_case WHERE c.case_id = r.id AND c.node = 'closing'
                                                        AND c.end_action = 'close' AND c.ended_at < ?3)))
            FROM case_record r JOIN user u ON u.id = r.reported_by
            WHERE u.role = 'inspector' AND r.created_at >= ?1 AND r.created_at < ?2 GROUP BY r.reported_by
            """)
        try add(db, w, into: &out, keys: ["registeredInBeat", "missedReports"], sql: """
            SELECT b.user_id, count(*), sum(r.source IN ('public', 'hotline'))
            FROM case_step s JOIN case_record r ON r.id = s.case_id JOIN inspector_beat b ON b.grid_code = r.grid_code
            WHERE s.node = 'registration' AND s.end_action = 'register' AND s.ended_at >= ?1 AND s.ended_at < ?2
            GROUP BY b.user_id
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
        try add(db, w, into: &out, keys: ["registered", "registeredOnTime", "registeredVoided"], sql: """
            SELECT s.ended_by, count(*), sum(s.on_time), sum(\(voidedLater))
            FROM case_step s WHERE s.node = 'registration' AND s.end_action = 'register'
              AND s.ended_at >= ?1 AND s.ended_at < ?2 GROUP BY s.ended_by
            """)
        try add(db, w, into: &out, keys: ["closures", "closuresOnTime"], sql: """
            SELECT ended_by, count(*), sum(on_time) FROM case_step
            WHERE node = 'closing' AND end_action = 'close' AND ended_at >= ?1 AND ended_at < ?2 GROUP BY ended_by
            """)
        return out
    }

    static func dispatcher(_ db: Database, _ w: EvaluationWindow) throws -> Counts {
        var out: Counts = [:]
        // A dispatch was wrong when the handling step it started ended by an approved 回退.
        try add(db, w, into: &out, keys: ["dispatches", "dispatchesOnTime", "dispatchesReturned"], sql: """
            SELECT s.ended_by, count(*), sum(s.on_time),
                   sum(EXISTS (SELECT 1 FROM case_step h INDEXED BY case_step_case WHERE h.case_id = s.case_id AND h.node = 'handling'
                                 AND h.start_seq = s.end_seq AND h.end_status = 'awaiting-dispatch' AND h.ended_at < ?3))
            FROM case_step s WHERE s.node = 'dispatch' AND s.end_action = 'dispatch'
              AND s.ended_at >= ?1 AND s.ended_at < ?2 GROUP BY s.ended_by
            """)
        return out
    }

    /// Per unit grid; the store adds them up for communities, streets and districts.
    static func grid(_ db: Database, _ w: EvaluationWindow) throws -> Counts {
        var out: Counts = [:]
        try add(db, w, into: &out, keys: ["registered", "publicReports", "voided", "closed", "closedOnTime"], sql: """
            WITH reg AS MATERIALIZED (
                SELECT r.grid_code, r.source IN ('public', 'hotline') AS by_public, \(voidedLater) AS voided,
                       EXISTS (SELECT 1 FROM case_step c INDEXED BY case_step_case WHERE c.case_id = s.case_id AND c.node = 'closing'
                                 AND c.end_action = 'close' AND c.ended_at < ?3) AS closed,
                       NOT EXISTS (SELECT 1 FROM case_step h INDEXED BY case_step_case WHERE h.case_id = s.case_id AND h.node = 'handling'
                                     AND h.end_action = 'finish' AND NOT h.on_time AND h.ended_at < ?3) AS handled_on_time
                FROM case_step s JOIN case_record r ON r.id = s.case_id
                WHERE s.node = 'registration' AND s.end_action = 'register' AND s.ended_at >= ?1 AND s.ended_at < ?2)
            SELECT grid_code, count(*), sum(by_public), sum(voided), sum(closed), sum(closed AND handled_on_time)
            FROM reg GROUP BY grid_code
            """)
        return out
    }

    // MARK: Building blocks

    /// The case of registration step `s` was voided after it (作废 ends the dispatch step that follows).
    static let voidedLater = """
        EXISTS (SELECT 1 FROM case_step v INDEXED BY case_step_case WHERE v.case_id = s.case_id AND v.id > s.id AND v.end_action = 'void' AND v.ended_at < ?3)
        """

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
    /// (node, ended_at) index, so the cost follows the steps ended since, not the whole history.
    static func openSteps(nodes: [CaseNode], key: String) -> String {
        let list = nodes.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let columns = """
            s.\(key) AS subject, s.extensions, s.hangs,
            coalesce((SELECT a.overdue_from FROM case_audit a WHERE a.case_id = s.case_id AND a.at < ?2
                      ORDER BY a.seq DESC LIMIT 1) < ?2, 0) AS overdue
            """
        return """
            WITH open_step AS MATERIALIZED (
                SELECT \(columns) FROM case_step s
                WHERE s.node IN (\(list)) AND s.ended_at >= ?2 AND s.started_at < ?2 AND s.\(key) IS NOT NULL
                UNION ALL
                SELECT \(columns) FROM case_step s
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
