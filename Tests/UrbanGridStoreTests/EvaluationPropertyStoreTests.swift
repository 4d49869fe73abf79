// Random months of work through the real store: cases reported at random moments and pushed through
// random permitted actions by random people (hangs, extensions, returns, reworks, voids included),
// then evaluated for every object kind and several periods. Whatever happened, every rate and score
// stays within 0…100, no count is negative, and areas add up from grids to the district.

import Foundation
import Testing
import UrbanGridCore
import UrbanGridStore

@Suite struct EvaluationPropertyStoreTests {
    @Test(arguments: [UInt64(7), 2026])
    func ratesStayWithin0And100WhateverHappens(seed: UInt64) async throws {
        try await withStore(Fixtures.testcity) { store, _ in
            let crew = try EvaluationCrew(store: store)
            let admin = try store.addUser(username: "admin", role: .admin, department: nil, passwordHash: "-")
            var g = SplitMix64(seed: seed)
            let grids = crew.centre.keys.sorted()
            let staff = ["HW": crew.hw, "CGZF": crew.cgzf, "JT": crew.jt]
            let start = shanghai("2026-09-28 08:00").timeIntervalSince1970
            for _ in 0..<50 {
                var now = Date(timeIntervalSince1970: start + Double(Int.random(in: 0...(60 * 86_400), using: &g)))
                let reporter = [crew.li, crew.zhou, crew.wang].randomElement(using: &g)!
                let source: CaseSource = reporter.role == .inspector ? .inspector : [.public_, .hotline].randomElement(using: &g)!
                let selfHandled = reporter.role == .inspector && Int.random(in: 0..<8, using: &g) == 0
                let p = crew.centre[grids.randomElement(using: &g)!]!
                let intake = CaseIntake(kind: .event, code: ["06010", "07001", "06013", "06012"].randomElement(using: &g)!,
                                        location: .init(lon: p.x, lat: p.y), source: source, selfHandled: selfHandled ? true : nil)
                let id = try await store.createCase(NewCase(intake: intake, lon: p.x, lat: p.y, reporter: reporter, idempotencyKey: nil),
                                              now: now).id
                for _ in 0..<30 {
                    guard let view = try store.caseView(id: id, viewer: admin, timeline: false, now: now),
                          !view.status.isTerminal else { break }
                    // Minutes to days later, someone allowed to act in this status tries something.
                    now += Double([Int.random(in: 60...3600, using: &g), Int.random(in: 3600...(3 * 86_400), using: &g)]
                        .randomElement(using: &g)!)
                    let options = CaseWorkflow.permissions.filter { $0.statuses.contains(view.status) }
                    guard let permission = options.randomElement(using: &g) else { break }
                    let actor: UserAccount = switch permission.role {
                    case .inspector: [crew.li, crew.zhou].randomElement(using: &g)!
                    case .operator_: crew.wang
                    case .shiftLeader: crew.chen
                    case .dispatcher: crew.zhao
                    default: staff[view.department ?? "HW"] ?? crew.hw
                    }
                    let input = ActionInput(note: "n", department: ["HW", "CGZF", "JT"].randomElement(using: &g)!,
                                            hours: Double(Int.random(in: 1...8, using: &g)), passed: Bool.random(using: &g))
                    _ = try? store.applyAction(caseID: id, action: permission.action, by: actor, input: input, now: now)
                }
            }
            let evaluatedAt = shanghai("2026-11-23 12:00")
            for text in ["2026-10", "2026-W43", "2026-11", "2026-Q4", "2026-10-10..2026-10-20", "2026-10-15"] {
                let period = try EvaluationPeriod.parse(text)
                for object in EvaluationObject.allCases {
                    let report = try store.evaluate(object, period: period, now: evaluatedAt)
                    for row in report.rows {
                        #expect(row.counts.values.allSatisfy { $0 >= 0 }, "\(text) \(object) \(row.id) \(row.counts)")
                        for r in row.indicators {
                            if let v = r.value, r.denominator != nil { #expect((0...100).contains(v), "\(text) \(object) \(row.id) \(r.id) \(v)") }
                            if let s = r.score { #expect((0...100).contains(s)) }
                        }
                        if let s = row.score { #expect((0...100).contains(s) && row.grade != nil) }
                    }
                }
                // The district's counts are the sums of its grids'.
                let gridRows = try store.evaluate(.grid, period: period, now: evaluatedAt).rows
                let district = try #require(try store.evaluate(.district, period: period, now: evaluatedAt).rows.first)
                for key in EvaluationFamily.region.countedKeys {
                    #expect(district.counts[key] == gridRows.reduce(0) { $0 + ($1.counts[key] ?? 0) }, "\(text) \(key)")
                }
            }
        }
    }
}
