import Foundation
import Synchronization

/// Live sessions remembered for a moment, so a busy client's requests do not each cost a database
/// read (a twentieth of an intake's CPU).
///
/// Only live sessions are remembered, each until its token expires or `ttl` has passed, whichever
/// is first. Revocations and disablings made through this store clear the cache at once; ones
/// made by another process (`urbangrid users revoke-tokens`, `users disable`) take effect within
/// `ttl`. A generation number keeps a read that raced with a revocation from putting the revoked
/// session back.
final class SessionCache: Sendable {
    struct Entry {
        var user: UserAccount
        var until: Date
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var generation = 0
    }

    private let state = Mutex(State())
    let ttl: TimeInterval
    /// Beyond this many sessions the cache starts over rather than grow without bound.
    let capacity: Int

    init(ttl: TimeInterval = 1, capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The cached user of `tokenHash`, or the one `load` finds (cached when live); `load` returns
    /// the user and when the session expires.
    func user(tokenHash: String, now: Date = Date(),
              load: () throws -> (user: UserAccount, expires: Date)?) rethrows -> UserAccount? {
        let (cached, generation) = state.withLock { s -> (Entry?, Int) in
            (s.entries[tokenHash].flatMap { $0.until > now ? $0 : nil }, s.generation)
        }
        if let cached { return cached.user }
        guard let found = try load(), found.expires > now else { return nil }
        state.withLock { s in
            guard s.generation == generation else { return }
            if s.entries.count >= capacity { s.entries.removeAll(keepingCapacity: true) }
            s.entries[tokenHash] = Entry(user: found.user, until: min(found.expires, now.addingTimeInterval(ttl)))
        }
        return found.user
    }

    /// Forgets every session: after any revocation or change of a user.
    func invalidate() {
        state.withLock { s in
            s.entries.removeAll(keepingCapacity: true)
            s.generation += 1
        }
    }
}
