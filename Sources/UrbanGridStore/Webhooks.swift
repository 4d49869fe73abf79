import Foundation
import GRDB
import UrbanGridCore

public struct Webhook: Sendable, Codable, Equatable {
    public var id: Int64
    public var departmentCode: String
    public var url: String
    public var createdAt: String
    /// The HMAC key; never shown again after registration.
    public var secret: String?
    public var lastSeq: Int64
}

public struct WebhookDelivery: Sendable, Codable, Equatable {
    public var id: Int64
    public var auditSeq: Int64
    public var caseId: Int64
    public var attempt: Int
    public var at: String
    public var statusCode: Int?
    public var error: String?
    public var delivered: Bool
}

extension CityStore {
    /// Registers a department's webhook; deliveries start with the changes after now.
    public func addWebhook(department: String, url: String, secret: String) throws -> Webhook {
        try pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM department WHERE code = ?", arguments: [department]) == true else {
                throw Problem("not-found", status: 404, title: "Department not found", detail: "no department \(department)",
                              detailZh: "部门 \(department) 不存在", field: "code")
            }
            let last = try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM case_audit") ?? 0
            let now = Timestamps.now()
            try db.execute(sql: "INSERT INTO department_webhook (department_code, url, secret, created_at, last_seq) VALUES (?,?,?,?,?)",
                           arguments: [department, url, secret, now, last])
            return Webhook(id: db.lastInsertedRowID, departmentCode: department, url: url, createdAt: now, secret: nil, lastSeq: last)
        }
    }

    public func webhooks(department: String? = nil) throws -> [Webhook] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, department_code, url, created_at, secret, last_seq FROM department_webhook
                WHERE ?1 IS NULL OR department_code = ?1 ORDER BY id
                """, arguments: [department]).map {
                Webhook(id: $0[0], departmentCode: $0[1], url: $0[2], createdAt: $0[3], secret: $0[4], lastSeq: $0[5])
            }
        }
    }

    /// The next audit entry a webhook should receive: a change of a case that is (now) its department's.
    public func nextWebhookEvent(_ hook: Webhook) throws -> CaseEvent? {
        try pool.read { db in
            try Row.fetchOne(db, sql: CaseAudit.selectSQL + """
                 WHERE a.seq > ? AND a.department_code = ? ORDER BY a.seq LIMIT 1
                """, arguments: [hook.lastSeq, hook.departmentCode]).map(CaseAudit.event)
        }
    }

    /// Logs one attempt; a delivered (or abandoned) event moves the webhook past it.
    public func recordDelivery(webhook: Int64, event: CaseEvent, attempt: Int, statusCode: Int?, error: String?,
                               delivered: Bool, advance: Bool) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO webhook_delivery (webhook_id, audit_seq, case_id, attempt, at, status_code, error, delivered)
                VALUES (?,?,?,?,?,?,?,?)
                """, arguments: [webhook, event.seq, event.caseId, attempt, Timestamps.now(), statusCode, error, delivered])
            if advance {
                try db.execute(sql: "UPDATE department_webhook SET last_seq = max(last_seq, ?) WHERE id = ?", arguments: [event.seq, webhook])
            }
        }
    }

    public func deliveries(webhook: Int64, limit: Int = 200) throws -> [WebhookDelivery] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, audit_seq, case_id, attempt, at, status_code, error, delivered FROM webhook_delivery
                WHERE webhook_id = ? ORDER BY id DESC LIMIT ?
                """, arguments: [webhook, limit]).map {
                WebhookDelivery(id: $0[0], auditSeq: $0[1], caseId: $0[2], attempt: $0[3], at: $0[4],
                                statusCode: $0[5], error: $0[6], delivered: $0[7])
            }
        }
    }

    /// The user a department's webhook payloads are rendered for (what its staff would see).
    public func departmentViewer(_ department: String) -> UserAccount {
        UserAccount(id: 0, username: "webhook", role: .departmentStaff, departmentCode: department)
    }
}
