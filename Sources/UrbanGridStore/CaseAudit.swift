import Foundation
import GRDB
import UrbanGridCore

/// The append-only audit log of cases (who, when, from, to, why), written in the same transaction
/// as every state change; its sequence numbers are the event stream's ids.
enum CaseAudit {
    /// Appends one entry, linked into the hash chain (`AuditHashChain`), and returns its sequence number.
    /// `overdueFrom` is when the case's step as it stands after the change counts as overdue
    /// (`StepClock.overdueFrom`), for the evaluation.
    @discardableResult
    static func append(_ db: Database, caseID: Int64, at: Date, actor: UserAccount, action: String, from: CaseStatus?,
                       to: CaseStatus, department: String?, note: String?, summaryZh: String, summaryEn: String,
                       overdueFrom: Date?) throws -> Int64 {
        let fields: [String: (any DatabaseValueConvertible)?] = [
            "case_id": caseID, "at": Timestamps.format(at), "actor_id": actor.id, "actor_role": actor.role.rawValue,
            "action": action, "from_status": from?.rawValue, "to_status": to.rawValue, "department_code": department,
            "note": note, "summary_zh": summaryZh, "summary_en": summaryEn, "overdue_from": overdueFrom.map(Timestamps.format),
        ]
        return try AuditHashChain.append(db, shape: shape, values: fields.mapValues { $0?.databaseValue ?? .null })
    }

    /// Every entry has these columns (NULL where a change has no value).
    static let shape = AuditHashChain.Shape(columns: [
        "case_id", "at", "actor_id", "actor_role", "action", "from_status", "to_status", "department_code",
        "note", "summary_zh", "summary_en", "overdue_from"])

    static let selectSQL = """
        SELECT a.seq, a.case_id, a.at, u.username, a.actor_role, a.action, a.from_status, a.to_status,
               a.department_code, a.note, a.summary_zh, a.summary_en
        FROM case_audit a JOIN user u ON u.id = a.actor_id
        """

    static func event(_ r: Row) -> CaseEvent {
        CaseEvent(seq: r[0], caseId: r[1], at: Timestamps.parse(r[2]) ?? Date(timeIntervalSince1970: 0), actor: r[3],
                  actorRole: Role(rawValue: r[4]) ?? .admin, action: r[5], from: (r[6] as String?).flatMap(CaseStatus.init(rawValue:)),
                  to: CaseStatus(rawValue: r[7]) ?? .reported, department: r[8], note: r[9], summaryZh: r[10], summaryEn: r[11])
    }
}

extension Timestamps {
    public static func parse(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true)
            .timeSeparator(.colon).timeZone(separator: .omitted))
    }
}
