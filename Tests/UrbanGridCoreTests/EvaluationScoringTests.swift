import Foundation
import Testing
import UrbanGridCore

// Every indicator and composite score of every score card, from counts chosen here and worked out by
// hand in the comments, under the standard's weights (standards §5).

private let period = try! EvaluationPeriod.parse("2026-11")

private func evaluate(_ object: EvaluationObject, _ subjects: [EvaluationSubject],
                      profile: EvaluationProfile = .standard) -> EvaluationReport {
    let i = period.interval(timeZone: "Asia/Shanghai")
    return Evaluation.report(object: object, period: period, timeZone: "Asia/Shanghai", start: i.start, end: i.end,
                             asOf: i.end, subjects: subjects, profile: profile)
}

extension EvaluationRow {
    func value(_ id: String) -> Double? { indicators.first { $0.id == id }?.value }
    func termScore(_ id: String) -> Double? { indicators.first { $0.id == id }?.score }
}

@Suite struct EvaluationScoringTests {
    @Test func department() throws {
        let row = try #require(evaluate(.department, [EvaluationSubject(id: "HW", name: "环卫", counts: [
            "dispatched": 60, "handled": 8, "handledOnTime": 6, "overdueOpen": 2, "open": 5, "returned": 1,
            "extended": 3, "hung": 1, "closed": 7, "reworked": 1,
        ])]).rows.first)
        // Derived: 应处置数 = 8 + 2 = 10; 应结案数 = 7 + 1 = 8.
        #expect(row.counts["toHandle"] == 10 && row.counts["toClose"] == 8)
        #expect(row.value("onTimeHandlingRate") == 60)   // 6 / 10
        #expect(row.value("handlingRate") == 80)         // 8 / 10
        #expect(row.value("closureRate") == 87.5)        // 7 / 8
        #expect(row.value("reworkRate") == 12.5)         // 1 / 8
        #expect(row.value("extensionRate") == 30)        // 3 / 10
        #expect(row.value("overdueRate") == 20)          // 2 / 10
        // 立案数 60: not ≤ 50, ≤ 100 → 90. Rework 12.5 % scores 100 − 12.5 = 87.5.
        #expect(row.termScore("dispatched") == 90 && row.termScore("reworkRate") == 87.5)
        // (10 × 90 + 30 × 87.5 + 30 × 60 + 30 × 87.5) / 100 = (900 + 2625 + 1800 + 2625) / 100 = 79.5 → B.
        #expect(row.score == 79.5 && row.grade == "B" && row.rank == 1 && row.weightApplied == 100)
        // Every count behind every rate is in the row.
        let rate = try #require(row.indicators.first { $0.id == "onTimeHandlingRate" })
        #expect(rate.numerator == NamedCount(key: "handledOnTime", value: 6))
        #expect(rate.denominator == NamedCount(key: "toHandle", value: 10))
    }

    @Test func inspectorMissedReportsScoreTheRightWayRound() throws {
        let row = try #require(evaluate(.inspector, [EvaluationSubject(id: "li", name: "li", counts: [
            "reports": 20, "validReports": 18, "registeredInBeat": 25, "missedReports": 5,
            "verified": 4, "verifiedOnTime": 3, "overdueVerifications": 1, "checked": 10, "checkedOnTime": 10,
        ])]).rows.first)
        #expect(row.value("validReportRate") == 90)          // 18 / 20
        #expect(row.value("missedReportRate") == 20)         // 5 / 25
        #expect(row.value("onTimeVerificationRate") == 60)   // 3 / (4 + 1)
        #expect(row.value("onTimeCheckRate") == 100)         // 10 / (10 + 0)
        // 漏报率 20 % scores 100 − 20 = 80. (40 × 90 + 20 × 80 + 20 × 60 + 20 × 100) / 100
        // = (3600 + 1600 + 1200 + 2000) / 100 = 84 → B. Adding the bare rate, as S6 does, would give
        // (3600 + 400 + 1200 + 2000) / 100 = 72: more missed reports, more points.
        #expect(row.termScore("missedReportRate") == 80)
        #expect(row.score == 84 && row.grade == "B")
    }

    @Test func operatorWithoutChecksIsScoredOnWhatItDid() throws {
        let row = try #require(evaluate(.operator_, [EvaluationSubject(id: "wang", name: "wang", counts: [
            "accepted": 600, "verificationsSent": 40, "verificationsSentOnTime": 30,
        ])]).rows.first)
        // 受理数 600 ≥ 501 → 75; 核实按时派发率 30 / 40 = 75; no 核查 sent: no rate, the term drops out.
        #expect(row.termScore("accepted") == 75 && row.value("onTimeVerificationDispatchRate") == 75)
        #expect(row.value("onTimeCheckDispatchRate") == nil && row.termScore("onTimeCheckDispatchRate") == nil)
        // (25 × 75 + 40 × 75) / (25 + 40) = 4875 / 65 = 75 → B.
        #expect(row.weightApplied == 65 && row.score == 75 && row.grade == "B")
    }

    @Test func shiftLeader() throws {
        let row = try #require(evaluate(.shiftLeader, [EvaluationSubject(id: "chen", name: "chen", counts: [
            "registered": 50, "registeredOnTime": 45, "registeredVoided": 5, "closures": 40, "closuresOnTime": 30,
        ])]).rows.first)
        #expect(row.counts["accurateRegistrations"] == 45)   // 50 − 5
        #expect(row.value("onTimeRegistrationRate") == 90)   // 45 / 50
        #expect(row.value("accurateRegistrationRate") == 90) // 45 / 50
        #expect(row.value("onTimeClosureRate") == 75)        // 30 / 40
        // (25 × 90 + 40 × 90 + 35 × 75) / 100 = (2250 + 3600 + 2625) / 100 = 84.75 → B.
        #expect(row.score == 84.75 && row.grade == "B")
    }

    @Test func dispatcher() throws {
        let row = try #require(evaluate(.dispatcher, [EvaluationSubject(id: "zhao", name: "zhao", counts: [
            "dispatches": 1300, "dispatchesOnTime": 1170, "dispatchesReturned": 13,
        ])]).rows.first)
        // 派遣数 1300 ≥ 1201 → 90; 1170 / 1300 = 90 %; (1300 − 13) / 1300 = 99 %.
        #expect(row.termScore("dispatches") == 90 && row.value("onTimeDispatchRate") == 90)
        #expect(row.value("accurateDispatchRate") == 99)
        // (20 × 90 + 40 × 90 + 40 × 99) / 100 = (1800 + 3600 + 3960) / 100 = 93.6 → A.
        #expect(row.score == 93.6 && row.grade == "A")
    }

    @Test func regionWeightsAddUpToAHundred() throws {
        let row = try #require(evaluate(.community, [EvaluationSubject(id: "990201001001", name: "北苑社区", counts: [
            "registered": 12, "publicReports": 3, "voided": 2, "closed": 9, "closedOnTime": 8,
        ], areaM2: 30_000)]).rows.first)
        // 30,000 m² = 3 × 10,000 m²: 12 / 3 = 4 per 万平方米, < 5 → 75.
        #expect(row.value("registrationDensity") == 4 && row.termScore("registrationDensity") == 75)
        #expect(row.value("publicReportRate") == 25 && row.termScore("publicReportRate") == 75)   // 3 / 12; 100 − 25
        #expect(row.counts["toClose"] == 10)                                                       // 12 − 2
        #expect(row.value("closureRate") == 90 && row.value("onTimeClosureRate") == 80)            // 9 / 10, 8 / 10
        // (10 × 75 + 20 × 75 + 30 × 90 + 40 × 80) / 100 = (750 + 1500 + 2700 + 3200) / 100 = 81.5 → B.
        // With S6's 10 % for the last term the weights would add up to 70 and the score to 57.5.
        #expect(row.score == 81.5 && row.grade == "B")
    }

    @Test func nothingToJudgeMeansNoScore() throws {
        let report = evaluate(.department, [EvaluationSubject(id: "YL", name: "园林", counts: [:])])
        let row = try #require(report.rows.first)
        // 立案数 0 would score 100, but no rate has a denominator: no score, no grade, no rank.
        #expect(row.value("dispatched") == 0 && row.value("onTimeHandlingRate") == nil)
        #expect(row.score == nil && row.grade == nil && row.rank == nil)
    }

    @Test func equalScoresShareARankAndUnscoredComeLast() {
        func shiftLeader(_ id: String, onTime: Int) -> EvaluationSubject {
            // Only 按时立案率 has a value: the score is that rate.
            EvaluationSubject(id: id, name: id, counts: ["registered": 100, "registeredOnTime": onTime, "registeredVoided": 0])
        }
        let rows = evaluate(.shiftLeader, [
            shiftLeader("d", onTime: 70), EvaluationSubject(id: "a", name: "a", counts: [:]),
            shiftLeader("c", onTime: 85), shiftLeader("b", onTime: 85), shiftLeader("e", onTime: 90),
        ]).rows
        // 按时立案率 70/85/85/90 % and 准确立案率 100 %: (25 × r + 40 × 100) / 65.
        // 90 → (2250 + 4000) / 65 = 96.15; 85 → (2125 + 4000) / 65 = 94.23; 70 → (1750 + 4000) / 65 = 88.46.
        #expect(rows.map(\.id) == ["e", "b", "c", "d", "a"])
        #expect(rows.map(\.rank) == [1, 2, 2, 4, nil])
        #expect(rows.map(\.score) == [96.15, 94.23, 94.23, 88.46, nil])
    }

    @Test func gradesFollowTheRoundedScore() throws {
        let p = EvaluationProfile.standard
        #expect([90, 89.99, 75, 74.99, 60, 59.99, 40, 39.99, 0].map { p.grade(for: $0) }
                == ["A", "B", "B", "C", "C", "D", "D", "E", "E"])
        // 按时立案率 7399 / 10000 = 73.99 %, 准确立案率 100 %, no closures:
        // (25 × 73.99 + 40 × 100) / 65 = 5849.75 / 65 = 89.99615… → shown 90.00, so graded A, not B.
        let row = try #require(evaluate(.shiftLeader, [EvaluationSubject(id: "chen", name: "chen", counts: [
            "registered": 10_000, "registeredOnTime": 7399, "registeredVoided": 0,
        ])]).rows.first)
        #expect(row.score == 90 && row.grade == "A")
        #expect(Evaluation.rounded(66.666) == 66.67)
    }

    @Test func ratesWithoutDenominatorHaveNoValue() {
        #expect(Evaluation.rate(0, 0) == nil)
        #expect(Evaluation.rate(3, 4) == 75)
        #expect(Evaluation.rate(0, 7) == 0)
        #expect(Evaluation.rate(7, 7) == 100)
    }

    @Test func csvHasOneLinePerObjectWithEveryCountAndIndicator() throws {
        let report = evaluate(.dispatcher, [
            EvaluationSubject(id: "zhao", name: "zhao", counts: ["dispatches": 4, "dispatchesOnTime": 3, "dispatchesReturned": 1]),
            EvaluationSubject(id: "qian, jr", name: "qian \"Q\"", counts: [:]),
        ])
        let table = try CSV.parse(report.csv())
        // The counts, then the indicators that are not a count already in the line.
        #expect(table.header == ["rank", "id", "name", "grade", "score", "dispatches", "dispatchesOnTime",
                                 "dispatchesReturned", "accurateDispatches", "onTimeDispatchRate", "accurateDispatchRate"])
        // zhao: 派遣数 4 < 101 → 0; 3 / 4 = 75 %; (4 − 1) / 4 = 75 %: (20 × 0 + 40 × 75 + 40 × 75) / 100 = 60 → C.
        #expect(table.rows[0] == ["1", "zhao", "zhao", "C", "60.00", "4", "3", "1", "3", "75.00", "75.00"])
        // A name with a comma and quotes survives the round trip; no score: empty cells.
        #expect(table.rows[1] == ["", "qian, jr", "qian \"Q\"", "", "", "0", "0", "0", "0", "", ""])
    }
}
