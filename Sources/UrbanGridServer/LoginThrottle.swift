import Foundation
import Synchronization

/// When failed logins lock a username or a client address out for a while.
public struct LoginThrottleSettings: Sendable, Equatable {
    /// Failures in a row on one username before it is locked.
    public var maxFailuresPerUsername: Int
    /// Failures from one client address (any usernames) before it is locked.
    public var maxFailuresPerAddress: Int
    /// How long a lock lasts. After it, one more failure locks again at once.
    public var lockout: Duration
    /// A run of failures is forgotten after this long without one.
    public var window: Duration

    public init(maxFailuresPerUsername: Int = 5, maxFailuresPerAddress: Int = 20,
                lockout: Duration = .seconds(60), window: Duration = .seconds(15 * 60)) {
        self.maxFailuresPerUsername = maxFailuresPerUsername; self.maxFailuresPerAddress = maxFailuresPerAddress
        self.lockout = lockout; self.window = window
    }
}

/// Counts failed logins per username and per client address. A locked login is refused before
/// the password is looked at (no bcrypt), whether or not it would be right, and whether or not
/// the username exists, so the lock tells nothing about accounts.
final class LoginThrottle: Sendable {
    private struct Record { var failures: Int; var last: ContinuousClock.Instant; var lockedUntil: ContinuousClock.Instant? }

    let settings: LoginThrottleSettings
    private let records = Mutex<[String: Record]>([:])

    init(_ settings: LoginThrottleSettings) { self.settings = settings }

    static func usernameKey(_ username: String) -> String { "user " + username.lowercased() }
    static func addressKey(_ address: String) -> String { "address " + address }

    /// The wait before `username` may try again from `address`; nil when it may now.
    func wait(username: String, address: String, now: ContinuousClock.Instant = .now) -> Duration? {
        records.withLock { table in
            [Self.usernameKey(username), Self.addressKey(address)].compactMap { key -> Duration? in
                guard let until = table[key]?.lockedUntil, now < until else { return nil }
                return now.duration(to: until)
            }.max()
        }
    }

    func recordFailure(username: String, address: String, now: ContinuousClock.Instant = .now) {
        records.withLock { table in
            if table.count > 100_000 { table = table.filter { $0.value.last.duration(to: now) < settings.window } }
            for (key, limit) in [(Self.usernameKey(username), settings.maxFailuresPerUsername),
                                 (Self.addressKey(address), settings.maxFailuresPerAddress)] {
                var r = table[key] ?? Record(failures: 0, last: now, lockedUntil: nil)
                if r.last.duration(to: now) > settings.window { r.failures = 0 }
                r.failures += 1
                r.last = now
                if r.failures >= limit { r.lockedUntil = now.advanced(by: settings.lockout) }
                table[key] = r
            }
        }
    }

    /// A good password clears the username's failures (not the address's: one right password
    /// must not reset a guessing run over many usernames).
    func recordSuccess(username: String) {
        _ = records.withLock { $0.removeValue(forKey: Self.usernameKey(username)) }
    }
}
