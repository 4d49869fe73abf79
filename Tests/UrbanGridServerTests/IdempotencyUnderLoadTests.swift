// Idempotency under concurrency, beyond one key: fifty requests at once over their own connections,
// ten retries of each of five keys interleaved, then the same keys again. Each key makes exactly one
// case with one audit entry, every answer for a key names that case, and the audit chain holds.

import Foundation
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

@Suite struct IdempotencyUnderLoadTests {
    @Test func fiftyConcurrentRequestsOverFiveKeysMakeFiveCases() async throws {
        try await withCaseServer { crew in
            let marker = "idem-load-\(UUID().uuidString.prefix(8))"
            let keys = (0..<5).map { "\(marker)-key-\($0)" }
            let intakes = try (0..<5).map { k in
                CaseCrew.event("06010", at: try crew.ordinaryPoint(k).point, description: "\(marker) \(k)")
            }
            let server = crew.server, inspector = crew.inspector
            let answers = try await withThrowingTaskGroup(of: (key: Int, status: Int, id: Int64?, number: String?).self) { group in
                for n in 0..<50 {
                    let k = n % 5
                    group.addTask {
                        let r = try await server.report(intakes[k], as: inspector, key: keys[k])
                        let view = try? r.json(CaseView.self)
                        return (k, r.status, view?.id, view?.number)
                    }
                }
                var out: [(key: Int, status: Int, id: Int64?, number: String?)] = []
                for try await a in group { out.append(a) }
                return out
            }
            #expect(answers.count == 50)
            var caseOfKey: [Int: Int64] = [:]
            for k in 0..<5 {
                let mine = answers.filter { $0.key == k }
                #expect(mine.filter { $0.status == 201 }.count == 1, "key \(k): \(mine.map(\.status))")
                #expect(mine.filter { $0.status == 200 }.count == 9, "key \(k): \(mine.map(\.status))")
                #expect(Set(mine.map(\.id)).count == 1 && Set(mine.map(\.number)).count == 1, "key \(k): \(mine)")
                caseOfKey[k] = mine.first?.id ?? nil
            }
            #expect(Set(caseOfKey.values).count == 5, "five keys, five cases: \(caseOfKey)")

            // Later retries of every key still answer 200 with the same case.
            for k in 0..<5 {
                let again = try await crew.server.report(intakes[k], as: crew.inspector, key: keys[k])
                #expect(again.status == 200, "\(again)")
                #expect(try again.json(CaseView.self).id == caseOfKey[k])
            }

            let listed = try await crew.server.get("api/v1/cases", query: [("q", marker)], as: crew.operator_)
            #expect(Set(try listed.json(CasePage.self).items.map(\.id)) == Set(caseOfKey.values))
            for id in caseOfKey.values {
                #expect(try await crew.view(id).timeline?.count == 1, "case \(id): one report, one audit entry")
            }
            let audit = try crew.server.store.verifyAudit()
            #expect(audit.isIntact, "\(audit.findings)")
        }
    }
}
