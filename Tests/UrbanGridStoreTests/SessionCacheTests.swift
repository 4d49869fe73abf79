import Foundation
import Testing
import UrbanGridCore
@testable import UrbanGridStore

@Suite struct SessionCacheTests {
    let li = UserAccount(id: 7, username: "li", role: .inspector, departmentCode: nil)
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A loader that counts its calls and answers with `li`, expiring at `expires`.
    final class Loader: @unchecked Sendable {
        var calls = 0
        var answer: (UserAccount, Date)?
        init(_ answer: (UserAccount, Date)?) { self.answer = answer }
        func load() -> (user: UserAccount, expires: Date)? { calls += 1; return answer.map { ($0.0, $0.1) } }
    }

    @Test func aLiveSessionIsReadOnceWithinTheTTL() {
        let cache = SessionCache(ttl: 1)
        let loader = Loader((li, t0.addingTimeInterval(3600)))
        #expect(cache.user(tokenHash: "h", now: t0, load: loader.load) == li)
        #expect(cache.user(tokenHash: "h", now: t0.addingTimeInterval(0.999), load: loader.load) == li)
        #expect(loader.calls == 1)
        // After the TTL the database is asked again.
        #expect(cache.user(tokenHash: "h", now: t0.addingTimeInterval(1.0), load: loader.load) == li)
        #expect(loader.calls == 2)
    }

    @Test func aSessionIsNeverServedPastItsExpiry() {
        let cache = SessionCache(ttl: 10)
        let loader = Loader((li, t0.addingTimeInterval(0.5)))
        #expect(cache.user(tokenHash: "h", now: t0, load: loader.load) == li)
        loader.answer = nil   // the database no longer has it live
        #expect(cache.user(tokenHash: "h", now: t0.addingTimeInterval(0.5), load: loader.load) == nil)
        #expect(loader.calls == 2)
        // An answer that is already expired is refused, not cached.
        let stale = Loader((li, t0))
        #expect(cache.user(tokenHash: "s", now: t0, load: stale.load) == nil)
    }

    @Test func unknownTokensAreNotRemembered() {
        let cache = SessionCache()
        let loader = Loader(nil)
        #expect(cache.user(tokenHash: "x", now: t0, load: loader.load) == nil)
        #expect(cache.user(tokenHash: "x", now: t0, load: loader.load) == nil)
        #expect(loader.calls == 2)
    }

    @Test func invalidateForgetsEverySessionAndARacingReadIsNotKept() {
        let cache = SessionCache(ttl: 60)
        let loader = Loader((li, t0.addingTimeInterval(3600)))
        _ = cache.user(tokenHash: "h", now: t0, load: loader.load)
        cache.invalidate()
        // A read that began before a revocation committed answers its caller but is not cached.
        let racing = cache.user(tokenHash: "h", now: t0) { () -> (user: UserAccount, expires: Date)? in
            cache.invalidate()
            return loader.load()
        }
        #expect(racing == li)
        #expect(loader.calls == 2)
        _ = cache.user(tokenHash: "h", now: t0, load: loader.load)
        #expect(loader.calls == 3, "the racing answer was not kept")
        _ = cache.user(tokenHash: "h", now: t0, load: loader.load)
        #expect(loader.calls == 3)
    }

    @Test func aFullCacheStartsOver() {
        let cache = SessionCache(ttl: 60, capacity: 2)
        let loader = Loader((li, t0.addingTimeInterval(3600)))
        for h in ["a", "b", "c"] { _ = cache.user(tokenHash: h, now: t0, load: loader.load) }
        #expect(loader.calls == 3)
        _ = cache.user(tokenHash: "c", now: t0, load: loader.load)   // the newest is kept
        #expect(loader.calls == 3)
        _ = cache.user(tokenHash: "a", now: t0, load: loader.load)   // the older were dropped
        #expect(loader.calls == 4)
    }

    /// A revocation by another process (the CLI opens its own store) takes effect within the TTL;
    /// one through this store at once.
    @Test func revocationsReachTheServersStore() throws {
        try withStore(layers: [.district]) { store, _ in
            let user = try store.addUser(username: "wu", role: .operator_, department: nil, passwordHash: "x")
            try store.createSession(userID: user.id, tokenHash: "wu-token", lifetime: 3600)
            try store.createSession(userID: user.id, tokenHash: "wu-token-2", lifetime: 3600)
            #expect(try store.sessionUser(tokenHash: "wu-token") == user)
            let cli = try CityStore.open(path: store.path)
            #expect(try cli.revokeSession(tokenHash: "wu-token"))
            let revokedAt = Date()
            var seen = try store.sessionUser(tokenHash: "wu-token")
            while seen != nil, Date().timeIntervalSince(revokedAt) < store.sessions.ttl + 0.5 {
                Thread.sleep(forTimeInterval: 0.05)
                seen = try store.sessionUser(tokenHash: "wu-token")
            }
            #expect(seen == nil, "another process's revocation holds within the TTL")
            #expect(try store.sessionUser(tokenHash: "wu-token-2") == user)
            #expect(try store.revokeSessions(username: "wu") == 1)
            #expect(try store.sessionUser(tokenHash: "wu-token-2") == nil, "this store's revocation holds at once")
        }
    }
}
