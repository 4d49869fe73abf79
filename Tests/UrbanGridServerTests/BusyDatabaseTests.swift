import Foundation
import Synchronization
import Testing
import UrbanGridCore
@testable import UrbanGridStore

@Suite struct BusyDatabaseTests {
    /// While another process holds SQLite's write lock past the busy timeout (as a bulk import
    /// does for its whole transaction), a report gets a retryable 503 problem and nothing is
    /// stored; the same report retried afterwards with its Idempotency-Key is created once.
    @Test func aReportDuringAnotherWritersTransactionIsA503ToRetry() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let intake = CaseCrew.event("06010", at: p)
            let other = try CityStore.open(path: crew.server.store.path)   // as `urbangrid import` would
            let holding = Atomic<Bool>(false), released = Atomic<Bool>(false)
            // Held until the answer arrives, not for a fixed time: SQLite's busy timeout counts the
            // sleeps it asked for, so on a loaded machine it outlasts any wall-clock hold.
            let holder = Task.detached {
                try other.pool.write { _ in   // BEGIN IMMEDIATE: the write lock, held
                    holding.store(true, ordering: .sequentiallyConsistent)
                    let limit = Date().addingTimeInterval(300)   // bounded even if the request hangs
                    while !released.load(ordering: .sequentiallyConsistent) && Date() < limit {
                        Thread.sleep(forTimeInterval: 0.05)
                    }
                }
            }
            defer { released.store(true, ordering: .sequentiallyConsistent) }
            while !holding.load(ordering: .sequentiallyConsistent) { try await Task.sleep(for: .milliseconds(20)) }
            let before = try await crew.server.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM case_record") ?? 0 }
            let refused = try await crew.server.report(intake, as: crew.inspector, key: "busy-1")
            #expect(refused.status == 503, "\(refused)")
            #expect(refused.header("content-type") == "application/problem+json" && refused.header("retry-after") == "5")
            #expect((try? JSONSerialization.jsonObject(with: refused.body) as? [String: Any])?["type"] as? String ?? "" != "")
            released.store(true, ordering: .sequentiallyConsistent)
            try await holder.value
            let after = try await crew.server.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM case_record") ?? 0 }
            #expect(after == before, "nothing stored while refused")
            let retried = try await crew.server.report(intake, as: crew.inspector, key: "busy-1")
            #expect(retried.status == 201, "\(retried)")
            let again = try await crew.server.report(intake, as: crew.inspector, key: "busy-1")
            #expect(again.status == 200, "the retry's key now names the case: \(again)")
        }
    }
}
