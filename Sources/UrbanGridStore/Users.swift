import Foundation
import GRDB
import UrbanGridCore

/// A user as the server sees it after authentication.
public struct UserAccount: Sendable, Equatable, Codable {
    public var id: Int64
    public var username: String
    public var role: Role
    public var departmentCode: String?
}

public enum UserError: Error, CustomStringConvertible, Sendable {
    case duplicateUsername(String), unknownDepartment(String), departmentRule(Role)
    public var description: String {
        switch self {
        case .duplicateUsername(let u): "user \(u) already exists"
        case .unknownDepartment(let d): "unknown department \(d)"
        case .departmentRule(let r): r.needsDepartment ? "role \(r.rawValue) needs --department" : "role \(r.rawValue) takes no department"
        }
    }
}

extension CityStore {
    /// Adds a user. `passwordHash` is a bcrypt hash: the store never sees a password. A department may
    /// be given by code or Chinese name.
    @discardableResult
    public func addUser(username: String, role: Role, department: String?, passwordHash: String) throws -> UserAccount {
        guard role.needsDepartment == (department != nil) else { throw UserError.departmentRule(role) }
        return try pool.write { db in
            let departmentCode = try department.map { try Self.departmentCode(db, $0) }
            if try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM user WHERE username = ?", arguments: [username]) == true {
                throw UserError.duplicateUsername(username)
            }
            try db.execute(sql: """
                INSERT INTO user (username, role, department_code, password_hash, created_at) VALUES (?,?,?,?,?)
                """, arguments: [username, role.rawValue, departmentCode, passwordHash, Timestamps.now()])
            return UserAccount(id: db.lastInsertedRowID, username: username, role: role, departmentCode: departmentCode)
        }
    }

    /// A department's code from its code, its Chinese name, or the unique Chinese name that
    /// starts with the text (水务 → 水务集团).
    static func departmentCode(_ db: Database, _ codeOrName: String) throws -> String {
        if let code = try String.fetchOne(db, sql: "SELECT code FROM department WHERE code = ? OR name_zh = ?",
                                          arguments: [codeOrName, codeOrName]) {
            return code
        }
        let prefixed = try String.fetchAll(db, sql: "SELECT code FROM department WHERE substr(name_zh, 1, length(?1)) = ?1",
                                           arguments: [codeOrName])
        guard prefixed.count == 1, !codeOrName.isEmpty else { throw UserError.unknownDepartment(codeOrName) }
        return prefixed[0]
    }

    /// The password hash of an enabled user, for login.
    public func credentials(username: String) throws -> (account: UserAccount, passwordHash: String)? {
        try pool.read { db in
            guard let r = try Row.fetchOne(db, sql: """
                SELECT id, username, role, department_code, password_hash FROM user WHERE username = ? AND disabled = 0
                """, arguments: [username]), let role = Role(rawValue: r[2]) else { return nil }
            return (UserAccount(id: r[0], username: r[1], role: role, departmentCode: r[3]), r[4])
        }
    }

    public func userCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM user") ?? 0 }
    }

    /// Stores a new session under the SHA-256 of its token.
    public func createSession(userID: Int64, tokenHash: String, lifetime: TimeInterval) throws {
        let now = Date()
        try pool.write { db in
            try db.execute(sql: "INSERT INTO session_token (token_hash, user_id, created_at, expires_at) VALUES (?,?,?,?)",
                           arguments: [tokenHash, userID, Timestamps.format(now), Timestamps.format(now.addingTimeInterval(lifetime))])
        }
    }

    /// The user behind a live (unexpired, unrevoked) session token hash.
    /// Remembered for up to a second (`SessionCache`).
    public func sessionUser(tokenHash: String) throws -> UserAccount? {
        try sessions.user(tokenHash: tokenHash) {
            try pool.unsafeRead { db in   // one statement: atomic without BEGIN and COMMIT around it
                guard let r = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT u.id, u.username, u.role, u.department_code, s.expires_at FROM session_token s JOIN user u ON u.id = s.user_id
                    WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.disabled = 0
                    """), arguments: [tokenHash, Timestamps.now()]), let role = Role(rawValue: r[2]),
                      let expires = Timestamps.parse(r[4]) else { return nil }
                return (UserAccount(id: r[0], username: r[1], role: role, departmentCode: r[3]), expires)
            }
        }
    }
}

extension CityStore {
    /// Revokes one session at once (logout); false when it was not live.
    @discardableResult
    public func revokeSession(tokenHash: String) throws -> Bool {
        defer { sessions.invalidate() }
        return try pool.write { db in
            try db.execute(sql: "UPDATE session_token SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                           arguments: [Timestamps.now(), tokenHash])
            return db.changesCount == 1
        }
    }

    /// Revokes every live session of a user; the number revoked, or nil for an unknown username.
    public func revokeSessions(username: String) throws -> Int? {
        defer { sessions.invalidate() }
        return try pool.write { db in try Self.revokeSessions(db, username: username) }
    }

    /// Disables (or enables again) a user; disabling also revokes the user's sessions. Nil for an
    /// unknown username, else the number of sessions revoked.
    public func setDisabled(_ disabled: Bool, username: String) throws -> Int? {
        defer { sessions.invalidate() }
        return try pool.write { db in
            try db.execute(sql: "UPDATE user SET disabled = ? WHERE username = ?", arguments: [disabled, username])
            guard db.changesCount == 1 else { return nil }
            return disabled ? try Self.revokeSessions(db, username: username) : 0
        }
    }

    private static func revokeSessions(_ db: Database, username: String) throws -> Int? {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM user WHERE username = ?", arguments: [username]) else { return nil }
        try db.execute(sql: "UPDATE session_token SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                       arguments: [Timestamps.now(), id])
        return db.changesCount
    }
}

/// UTC timestamps as ISO 8601 text with milliseconds: they sort as text.
public enum Timestamps {
    public static func format(_ date: Date) -> String { UTCTimestamp.text(date, milliseconds: true) }
    public static func now() -> String { format(Date()) }
}
