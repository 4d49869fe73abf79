import Foundation
import GRDB
import UrbanGridCore

extension CityStore {
    /// Applies one workflow action to a case: Core decides whether the caller may and what follows;
    /// the new state, the step clock and the audit entry are written in one transaction.
    /// Returns the audit sequence number of the change.
    @discardableResult
    public func applyAction(caseID: Int64, action: CaseAction, by user: UserAccount, input: ActionInput,
                            now: Date = Date()) throws -> Int64 {
        try pool.write { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT state, clock, rule_id, suggestion, grid_code FROM case_record WHERE id = ?
                """), arguments: [caseID]) else { throw Problem.caseNotFound(caseID) }
            let decoder = JSONDecoder()
            let state = try decoder.decode(CaseState.self, from: Data((row[0] as String).utf8))
            if user.role == .departmentStaff, state.department != user.departmentCode {
                throw Problem.caseNotFound(caseID)   // other departments' cases do not exist for them
            }
            var input = input
            // 核实 and 核查 go by default to the inspector whose beat covers the case's grid.
            if [.accept, .sendCheck].contains(action), input.inspector == nil {
                input.inspector = try beatInspector(db, grid: row[4])
            }
            if action == .dispatch, input.department == nil, let s = row[3] as String? {
                input.department = try decoder.decode(DepartmentSuggestion.self, from: Data(s.utf8)).department
            }
            let transition: Transition
            do {
                transition = try CaseWorkflow.apply(action, to: state,
                                                    by: CaseActor(role: user.role, userID: user.id, departmentCode: user.departmentCode),
                                                    input: input)
            } catch let e as WorkflowError { throw e.problem }
            // The department is checked after the workflow: a wrong role or state answers first.
            if action == .dispatch, let d = transition.state.department,
               try Bool.fetchOne(db.cachedStatement(sql: "SELECT count(*) > 0 FROM department WHERE code = ?"), arguments: [d]) != true {
                throw Problem("invalid-body", status: 400, title: "Unknown department", detail: "no department \(d)",
                              detailZh: "部门 \(d) 不存在", field: "department")
            }
            let rule = (row[2] as String?).flatMap { id in rules.dispatch.rules.first { $0.id == id } }
            let oldClock = try (row[1] as String?).map { try decoder.decode(StepClock.self, from: Data($0.utf8)) }
            let clock: StepClock? = switch transition.clock {
            case .start(let node): StepClock(node: node, start: now, limit: limit(for: node, rule: rule))
            default: oldClock?.applying(transition.clock, at: now, newLimit: { limit(for: $0, rule: rule) })
            }
            let next = transition.state
            try db.cachedStatement(sql: """
                UPDATE case_record SET state = ?, status = ?, department_code = ?, clock = ?, deadline = ?, updated_at = ?
                WHERE id = ?
                """).execute(arguments: [next.jsonText, next.status.rawValue, next.department, clock?.jsonText,
                                 clock.map { Timestamps.format($0.reading(at: now, on: rules.calendar).deadline) },
                                 Timestamps.format(now), caseID])
            let seq = try CaseAudit.append(db, caseID: caseID, at: now, actor: user, action: action.rawValue, from: transition.from,
                                           to: transition.to, department: next.department, note: transition.note,
                                           summaryZh: transition.summaryZh, summaryEn: transition.summaryEn,
                                           overdueFrom: clock?.overdueFrom(at: now, on: rules.calendar))
            try CaseSteps.record(db, caseID: caseID, seq: seq, transition: transition, actor: user, before: oldClock,
                                 after: clock, at: now, calendar: rules.calendar)
            return seq
        }
    }
}

extension Problem {
    static func caseNotFound(_ id: Int64) -> Problem {
        Problem("not-found", status: 404, title: "Case not found", detail: "no case \(id)", detailZh: "案卷 \(id) 不存在")
    }
}
