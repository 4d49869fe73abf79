// The October 2026 fixture (EvaluationFixture.swift) evaluated through the store: every count,
// indicator and score of every object kind, worked out by hand from the timeline there. October is
// [2026-10-01 00:00, 2026-11-01 00:00) Asia/Shanghai; the evaluation runs on 2026-11-10 12:00, after
// November's late finishes of E and I.

import Foundation
import Testing
import UrbanGridCore
import UrbanGridStore

private let october = try! EvaluationPeriod.parse("2026-10")
private let evaluatedAt = shanghai("2026-11-10 12:00")

private func row(_ report: EvaluationReport, _ id: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> EvaluationRow {
    try #require(report.rows.first { $0.id == id }, "no row \(id) in \(report.rows.map(\.id))", sourceLocation: sourceLocation)
}

private func value(_ row: EvaluationRow, _ indicator: String) -> Double? {
    row.indicators.first { $0.id == indicator }?.value
}

@Suite struct EvaluationFixtureTests {
    @Test func departments() async throws {
        try await withOctober { crew, _ in
            let report = try crew.store.evaluate(.department, period: october, now: evaluatedAt)
            #expect(report.asOf == shanghai("2026-11-01 00:00"))
            // HW: dispatched in October A (10-16) and E's second dispatch (10-29); B was dispatched in
            // September and its second step came from a 返工: 2. Finished in October: A (on time), B's first
            // (on time, across the holiday week) and B's rework (late, one 延期): 3, 2 on time. Open on 31
            // October: E, overdue since Thu 17:20. 应处置 = 3 + 1 = 4. 结案 decisions: A and B closed,
            // B's failed check sent back once: 2 + 1 = 3.
            let hw = try row(report, "HW")
            #expect(hw.counts == ["dispatched": 2, "handled": 3, "handledOnTime": 2, "overdueOpen": 1, "toHandle": 4,
                                  "open": 1, "returned": 0, "extended": 1, "hung": 0, "closed": 2, "reworked": 1, "toClose": 3])
            // 按期处置率 2/4 = 50; 处置率 3/4 = 75; 结案率 2/3 = 66.67; 返工率 1/3 = 33.33; 延期率 1/4 = 25;
            // 超期未处置率 1/4 = 25.
            #expect(value(hw, "onTimeHandlingRate") == 50 && value(hw, "handlingRate") == 75)
            #expect(value(hw, "closureRate") == 66.67 && value(hw, "reworkRate") == 33.33)
            #expect(value(hw, "extensionRate") == 25 && value(hw, "overdueRate") == 25)
            // 立案数 2 ≤ 50 → 100. (10 × 100 + 30 × 200/3 + 30 × 50 + 30 × (100 − 100/3)) / 100
            // = (1000 + 2000 + 1500 + 2000) / 100 = 65 → C.
            #expect(hw.score == 65 && hw.grade == "C")

            // CGZF: C (finished on time thanks to the 挂账) and E's first dispatch, sent back (回退, in no
            // rate). 应处置 1, 按期 1; C closed: 结案率 100 %, 返工率 0 %: all terms 100 → 100, A.
            let cgzf = try row(report, "CGZF")
            #expect(cgzf.counts == ["dispatched": 2, "handled": 1, "handledOnTime": 1, "overdueOpen": 0, "toHandle": 1,
                                    "open": 0, "returned": 1, "extended": 0, "hung": 1, "closed": 1, "reworked": 0, "toClose": 1])
            #expect(cgzf.score == 100 && cgzf.grade == "A" && cgzf.rank == 1 && hw.rank == 2)

            // JT: D dispatched 10-27 and still within its 5 工作日 on 31 October: open, but nothing due: no
            // rate, no score.
            let jt = try row(report, "JT")
            #expect(jt.counts["dispatched"] == 1 && jt.counts["open"] == 1 && jt.counts["toHandle"] == 0)
            #expect(jt.score == nil && jt.rank == nil)
            // Every department of the city is listed, the idle ones without a score.
            #expect(report.rows.count == 13 && report.rows.filter { $0.score != nil }.count == 2)
        }
    }

    @Test func inspectors() async throws {
        try await withOctober { crew, _ in
            let report = try crew.store.evaluate(.inspector, period: october, now: evaluatedAt)
            // li: reported A and F in October (B in September): 2, both registered (F was voided later, but
            // it was registered): 2 valid. Registered in li's beat (北苑) in October: A, F and D: 3; D came
            // from the public: 1 missed. Verified D, late (80 min > 1 h): 1 of 1; I assigned to li was open
            // and overdue on 31 October: 应核实 2, on time 0. Checked A (on time), B's failed check (late)
            // and B's second check (on time): 3, 2 on time.
            let li = try row(report, "li")
            #expect(li.counts == ["reports": 2, "validReports": 2, "registeredInBeat": 3, "missedReports": 1,
                                  "verified": 1, "verifiedOnTime": 0, "overdueVerifications": 1, "toVerify": 2,
                                  "checked": 3, "checkedOnTime": 2, "overdueChecks": 0, "toCheck": 3])
            // 有效上报率 100; 漏报率 1/3 = 33.33 → 66.67 points; 按时核实率 0/2 = 0; 按时核查率 2/3 = 66.67.
            // (40 × 100 + 20 × 200/3 + 20 × 0 + 20 × 200/3) / 100 = (4000 + 1333.33 + 0 + 1333.33) / 100
            // = 66.67 → C.
            #expect(value(li, "missedReportRate") == 33.33 && value(li, "onTimeVerificationRate") == 0)
            #expect(li.score == 66.67 && li.grade == "C")
            // zhou: reported C, E and the self-handled G: 3, all valid (C, E registered; G closed).
            // Registered in 南苑: C, E, both from inspectors: 0 missed. Verified H (not confirmed) on time;
            // checked C on time. Every rate 100 (漏报率 0 → 100 points) → 100, A.
            let zhou = try row(report, "zhou")
            #expect(zhou.counts == ["reports": 3, "validReports": 3, "registeredInBeat": 2, "missedReports": 0,
                                    "verified": 1, "verifiedOnTime": 1, "overdueVerifications": 0, "toVerify": 1,
                                    "checked": 1, "checkedOnTime": 1, "overdueChecks": 0, "toCheck": 1])
            #expect(zhou.score == 100 && zhou.grade == "A")
            #expect(report.rows.map(\.id) == ["zhou", "li"])
        }
    }

    @Test func operatorsShiftLeadersAndDispatchers() async throws {
        try await withOctober { crew, _ in
            // wang accepted in October A, C, D, E, F, H and I (B in September): 7; D, H and I went to 核实,
            // each within 30 min: 3 of 3. Sent 核查 for B (10-08), B again (10-10), A (on time) and C (40 min,
            // late): 4, 3 on time. 受理数 7 < 101 → 0 points. (25 × 0 + 40 × 100 + 35 × 75) / 100 = 66.25 → C.
            let wang = try row(try crew.store.evaluate(.operator_, period: october, now: evaluatedAt), "wang")
            #expect(wang.counts == ["accepted": 7, "verificationsSent": 3, "verificationsSentOnTime": 3,
                                    "checksSent": 4, "checksSentOnTime": 3])
            #expect(value(wang, "onTimeCheckDispatchRate") == 75 && wang.score == 66.25 && wang.grade == "C")

            // chen registered A, C (40 min, late), D, E and F: 5, 4 on time; F voided: 4 accurate. Closed B,
            // C (exactly at its 1 h limit: on time), A and G: 4, all on time (B's 返工 is not a 结案).
            // (25 × 80 + 40 × 80 + 35 × 100) / 100 = (2000 + 3200 + 3500) / 100 = 87 → B.
            let chen = try row(try crew.store.evaluate(.shiftLeader, period: october, now: evaluatedAt), "chen")
            #expect(chen.counts == ["registered": 5, "registeredOnTime": 4, "registeredVoided": 1,
                                    "accurateRegistrations": 4, "closures": 4, "closuresOnTime": 4])
            #expect(chen.score == 87 && chen.grade == "B")

            // zhao dispatched C, A, D, E (to CGZF) and E (to HW): 5, all within 30 min; the first E came
            // back (回退): 4 accurate. F's dispatch step ended by 作废, no dispatch. 派遣数 5 < 101 → 0.
            // (20 × 0 + 40 × 100 + 40 × 80) / 100 = 72 → C.
            let zhao = try row(try crew.store.evaluate(.dispatcher, period: october, now: evaluatedAt), "zhao")
            #expect(zhao.counts == ["dispatches": 5, "dispatchesOnTime": 5, "dispatchesReturned": 1, "accurateDispatches": 4])
            #expect(zhao.score == 72 && zhao.grade == "C")
        }
    }

    @Test func regions() async throws {
        try await withOctober { crew, _ in
            // Registered in October: A, F (北苑-1), D (北苑-3, public), C (南苑-1), E (南苑-2). B was
            // registered in September, G was self-handled, H and I were not registered.
            let grids = try crew.store.evaluate(.grid, period: october, now: evaluatedAt)
            // 北苑-1: A closed with its 处置 on time, F voided: 应结案 1. 2 per 万 m² < 3 → 90;
            // (10 × 90 + 20 × 100 + 30 × 100 + 40 × 100) / 100 = 99 → A.
            let g1 = try row(grids, "990201001001001")
            #expect(g1.counts == ["registered": 2, "publicReports": 0, "voided": 1, "toClose": 1, "closed": 1, "closedOnTime": 1])
            #expect(g1.score == 99 && g1.grade == "A")
            // 北苑-3: D, found by the public, not closed yet: 监督举报率 100 % → 0 points, 结案率 0.
            // (10 × 90 + 0 + 0 + 0) / 100 = 9 → E.
            let g3 = try row(grids, "990201001001003")
            #expect(g3.counts == ["registered": 1, "publicReports": 1, "voided": 0, "toClose": 1, "closed": 0, "closedOnTime": 0])
            #expect(value(g3, "publicReportRate") == 100 && g3.score == 9 && g3.grade == "E")
            // 南苑-2: E not closed: (900 + 20 × 100 + 0 + 0) / 100 = 29 → E. 北苑-2 had nothing: no score.
            #expect(try row(grids, "990201001002002").score == 29)
            #expect(try row(grids, "990201001001002").score == nil)

            // 北苑社区 (3 grids of 10,000 m², as measured 9,999.99–10,000.09 each): registered 3, public 1, voided 1, 应结案 2, closed 1 on time.
            // 3 / 3 = 1 per 万 m² → 90; 监督举报率 1/3 → 66.67 points; 结案率 50; 按期结案率 50.
            // (900 + 20 × 200/3 + 1500 + 2000) / 100 = 57.33 → D.
            let beiyuan = try row(try crew.store.evaluate(.community, period: october, now: evaluatedAt), "990201001001")
            #expect(beiyuan.counts == ["registered": 3, "publicReports": 1, "voided": 1, "toClose": 2, "closed": 1, "closedOnTime": 1])
            #expect(abs(beiyuan.areaM2! - 30_000) < 0.5 && value(beiyuan, "registrationDensity") == 1)
            #expect(beiyuan.score == 57.33 && beiyuan.grade == "D" && beiyuan.name == "北苑社区")
            // The street and the district (all six grids, 60,000 m² to ±0.5): registered 5, public 1, voided 1,
            // 应结案 4, closed A and C, both on time. 5 / 6 = 0.83 per 万 m² → 90; 1/5 = 20 % → 80 points;
            // 结案率 50; 按期结案率 50: (900 + 1600 + 1500 + 2000) / 100 = 60 → C.
            for (object, id) in [(EvaluationObject.street, "990201001"), (.district, "990201")] {
                let r = try row(try crew.store.evaluate(object, period: october, now: evaluatedAt), id)
                #expect(r.counts == ["registered": 5, "publicReports": 1, "voided": 1, "toClose": 4, "closed": 2, "closedOnTime": 2])
                #expect(abs(r.areaM2! - 60_000) < 0.5 && r.score == 60 && r.grade == "C", "\(object)")
            }
        }
    }

    @Test func aWeekEndsWhereItsSundayEnds() async throws {
        try await withOctober { crew, _ in
            // Week 42 is Mon 10-12 … Sun 10-18. HW: A dispatched Fri 10-16 and finished only Mon 10-19; at
            // the week's end it was open and still within its limit (due Mon 10:30): open, not due.
            // CGZF: C dispatched, hung, finished and closed within the week.
            let report = try crew.store.evaluate(.department, period: try EvaluationPeriod.parse("2026-W42"), now: evaluatedAt)
            let hw = try row(report, "HW"), cgzf = try row(report, "CGZF")
            #expect(hw.counts["dispatched"] == 1 && hw.counts["handled"] == 0 && hw.counts["open"] == 1)
            #expect(hw.counts["overdueOpen"] == 0 && hw.counts["toHandle"] == 0)
            #expect(cgzf.counts["handled"] == 1 && cgzf.counts["hung"] == 1 && cgzf.counts["closed"] == 1)
        }
    }

    @Test func anEvaluationBeforeTheEndCountsUpToItsMoment() async throws {
        try await withOctober { crew, _ in
            // On Fri 10-30 12:00, October so far: E's HW step (due Thu 10-29 17:20) is overdue already;
            // I is not accepted yet. The same counts as on 10 November otherwise.
            let report = try crew.store.evaluate(.department, period: october, now: shanghai("2026-10-30 12:00"))
            #expect(report.asOf == shanghai("2026-10-30 12:00"))
            let hw = try row(report, "HW")
            #expect(hw.counts["handled"] == 3 && hw.counts["overdueOpen"] == 1 && hw.counts["toHandle"] == 4)
            // Evaluated in the evening of 10-29 (18:00), E is overdue (since 17:20) …
            let evening = try crew.store.evaluate(.department, period: october, now: shanghai("2026-10-29 18:00"))
            #expect(try row(evening, "HW").counts["overdueOpen"] == 1)
            // … at 17:00 it is not yet.
            let before = try crew.store.evaluate(.department, period: october, now: shanghai("2026-10-29 17:00"))
            #expect(try row(before, "HW").counts["overdueOpen"] == 0 && row(before, "HW").counts["open"] == 1)
            // A period that has not begun counts nothing.
            let december = try crew.store.evaluate(.department, period: try EvaluationPeriod.parse("2026-12"), now: evaluatedAt)
            #expect(december.rows.allSatisfy { $0.counts.values.allSatisfy { $0 == 0 } })
        }
    }

    @Test func stepFactsOfTheReworkedCase() async throws {
        try await withOctober { crew, ids in
            // Case B's steps as written in the transactions of its actions, read back through GDAL.
            let rows = try GDAL.query(database: crew.store.path, """
                SELECT node, start_action, end_action, elapsed_s, limit_s + extension_s AS allowed, extensions, on_time
                FROM case_step WHERE case_id = \(ids["B"]!) ORDER BY id
                """)
            func step(_ node: String, _ start: String, _ end: String, _ elapsed: Int, _ allowed: Int, _ onTime: Int,
                      extensions: Int = 0) -> [String: String] {
                ["node": node, "start_action": start, "end_action": end, "elapsed_s": String(elapsed),
                 "allowed": String(allowed), "extensions": String(extensions), "on_time": String(onTime)]
            }
            // Whole numbers as integers, however GDAL spells a REAL.
            let normalised = rows.map { r in r.mapValues { v in Double(v).map { String(Int($0)) } ?? v } }
            #expect(normalised == [
                step("acceptance", "report", "accept", 300, 1800, 1),           // 16:00 → 16:05 of 30 min
                step("registration", "accept", "register", 300, 1800, 1),
                step("dispatch", "register", "dispatch", 300, 1800, 1),
                step("handling", "dispatch", "finish", 13_500, 14_400, 1),      // 1.25 h + 2.5 h of 4 h
                step("check-dispatch", "finish", "send-check", 600, 1800, 1),
                step("check", "send-check", "check", 8400, 7200, 0),            // 140 min of 2 h
                step("closing", "check", "rework", 1200, 3600, 1),
                step("handling", "rework", "finish", 36_600, 21_600, 0, extensions: 1),   // 610 min of 4 h + 2 h
                step("check-dispatch", "finish", "send-check", 600, 1800, 1),
                step("check", "send-check", "check", 3000, 7200, 1),
                step("closing", "check", "close", 1800, 3600, 1),
            ])
        }
    }

    @Test func gridCaseCountsForAChoropleth() async throws {
        try await withOctober { crew, _ in
            let counts = try crew.store.gridCaseCounts(period: october, now: evaluatedAt)
            let byGrid = Dictionary(uniqueKeysWithValues: counts.map { (String($0.grid.suffix(6)), $0) })
            // Reported in October: 北苑-1 A, F, I; 北苑-2 none (B in September); 北苑-3 D; 南苑-1 C, H;
            // 南苑-2 E; 南苑-3 G. Closed in October: A (北苑-1), B (北苑-2), C (南苑-1), G (南苑-3).
            #expect(["001001", "001002", "001003", "002001", "002002", "002003"].map { byGrid[$0]?.reported } == [3, 0, 1, 2, 1, 1])
            #expect(["001001", "001002", "001003", "002001", "002002", "002003"].map { byGrid[$0]?.registered } == [2, 0, 1, 1, 1, 0])
            #expect(["001001", "001002", "001003", "002001", "002002", "002003"].map { byGrid[$0]?.closed } == [1, 1, 0, 1, 0, 1])
            #expect(byGrid["001003"]?.publicReports == 1 && byGrid["001001"]?.registeredPer10000M2 == 2)
            // A FeatureCollection a GIS reads: polygons with the counts as properties.
            let json = try JSONSerialization.jsonObject(with: Data(GridCaseCount.featureCollection(counts).utf8)) as? [String: Any]
            let features = try #require(json?["features"] as? [[String: Any]])
            #expect(json?["type"] as? String == "FeatureCollection" && features.count == 6)
            let first = try #require(features.first)
            #expect((first["geometry"] as? [String: Any])?["type"] as? String == "MultiPolygon")
            #expect((first["properties"] as? [String: Any])?["reported"] as? Int == 3)
            #expect(first["id"] as? String == "990201001001001")
        }
    }
}
