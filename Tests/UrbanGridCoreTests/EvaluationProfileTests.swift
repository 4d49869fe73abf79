import Foundation
import Testing
import UrbanGridCore

// The score cards as data: the standard's defaults, the cities' evaluation.json files, and the
// mistakes a profile is refused for.

private let gisData = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("gis-data")

private func decode(_ json: String) throws -> EvaluationProfile {
    try JSONDecoder().decode(EvaluationProfile.self, from: Data(json.utf8))
}

/// The problems a decoding error reports.
private func refusal(_ json: String) -> String {
    do {
        _ = try decode(json)
        return "accepted"
    } catch {
        return "\(error)"
    }
}

@Suite struct EvaluationProfileTests {
    @Test func standardWeightsAreTheStandards() {
        let p = EvaluationProfile.standard
        #expect(p.problems().isEmpty)
        func weights(_ f: EvaluationFamily) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: p.scorecard(f).map { ($0.indicator, $0.weight) })
        }
        #expect(weights(.department) == ["dispatched": 10, "closureRate": 30, "onTimeHandlingRate": 30, "reworkRate": 30])
        #expect(weights(.inspector) == ["validReportRate": 40, "missedReportRate": 20, "onTimeVerificationRate": 20,
                                        "onTimeCheckRate": 20])
        #expect(weights(.operator_) == ["accepted": 25, "onTimeVerificationDispatchRate": 40, "onTimeCheckDispatchRate": 35])
        #expect(weights(.shiftLeader) == ["onTimeRegistrationRate": 25, "accurateRegistrationRate": 40, "onTimeClosureRate": 35])
        #expect(weights(.dispatcher) == ["dispatches": 20, "onTimeDispatchRate": 40, "accurateDispatchRate": 40])
        #expect(weights(.region) == ["registrationDensity": 10, "publicReportRate": 20, "closureRate": 30, "onTimeClosureRate": 40])
        #expect(p.grades.map(\.grade) == ["A", "B", "C", "D", "E"] && p.grades.map(\.min) == [90, 75, 60, 40, 0])
    }

    @Test func bandingTablesOfTheStandard() {
        let p = EvaluationProfile.standard
        func score(_ f: EvaluationFamily, _ indicator: String, _ value: Double) -> Double? {
            p.scorecard(f).first { $0.indicator == indicator }?.scoring.score(value)
        }
        // 部门立案数: ≤ 50 → 100, ≤ 100 → 90, ≤ 200 → 75, ≤ 500 → 60, ≤ 1000 → 40, else 0.
        #expect([0, 50, 51, 100, 101, 200, 201, 500, 501, 1000, 1001].map { score(.department, "dispatched", $0) }
                == [100, 100, 90, 90, 75, 75, 60, 60, 40, 40, 0])
        // 受理数: ≥ 2001 → 100, ≥ 1201 → 90, ≥ 501 → 75, ≥ 301 → 60, ≥ 101 → 40, else 0.
        #expect([2001, 2000, 1201, 1200, 501, 500, 301, 300, 101, 100].map { score(.operator_, "accepted", $0) }
                == [100, 90, 90, 75, 75, 60, 60, 40, 40, 0])
        // 区域 (一类区域): 0 → 100, < 3 → 90, < 5 → 75, < 7 → 60, < 9 → 40, else 0.
        #expect([0, 0.1, 2.99, 3, 4.99, 5, 6.99, 7, 8.99, 9].map { score(.region, "registrationDensity", $0) }
                == [100, 90, 90, 75, 75, 60, 60, 40, 40, 0])
        // Lower-is-better rates are inverted: 返工率 12.5 % → 87.5, 监督举报率 0 % → 100.
        #expect(score(.department, "reworkRate", 12.5) == 87.5 && score(.region, "publicReportRate", 0) == 100)
    }

    @Test(arguments: ["helsinki", "testcity"])
    func cityFilesHoldTheStandardValues(city: String) throws {
        let data = try Data(contentsOf: gisData.appendingPathComponent("\(city)/evaluation.json"))
        let profile = try JSONDecoder().decode(EvaluationProfile.self, from: data)
        #expect(profile == .standard)
        #expect(profile.problems().isEmpty)
    }

    @Test func leftOutCardsAreTheStandards() throws {
        let p = try decode(#"{"scorecards": {"shift-leader": [{"indicator": "onTimeRegistrationRate", "weight": 50, "scoring": "rate"}, {"indicator": "onTimeClosureRate", "weight": 50, "scoring": "rate"}]}}"#)
        #expect(p.scorecard(.shiftLeader).map(\.indicator) == ["onTimeRegistrationRate", "onTimeClosureRate"])
        #expect(p.scorecard(.department) == EvaluationProfile.standard.scorecard(.department))
        #expect(p.grades == EvaluationProfile.standardGrades)
        // And what is encoded decodes to the same.
        #expect(try JSONDecoder().decode(EvaluationProfile.self, from: JSONEncoder().encode(p)) == p)
    }

    @Test func weightsThatDoNotAddUpToAHundredAreRefused() {
        // The S6 region card: 10 + 20 + 30 + 10 = 70.
        let s6 = #"{"scorecards": {"region": [{"indicator": "registrationDensity", "weight": 10, "scoring": "bands", "bands": [{"at_most": 0, "score": 100}], "otherwise": 0}, {"indicator": "publicReportRate", "weight": 20, "scoring": "inverse"}, {"indicator": "closureRate", "weight": 30, "scoring": "rate"}, {"indicator": "onTimeClosureRate", "weight": 10, "scoring": "rate"}]}}"#
        #expect(refusal(s6).contains("scorecards.region: the weights add up to 70.0, not 100"))
    }

    @Test func aLowerIsBetterRateScoredAsIsIsRefused() {
        // S6 adds 漏报率 itself to the inspector's score: more missed reports, more points.
        let s6 = #"{"scorecards": {"inspector": [{"indicator": "validReportRate", "weight": 40, "scoring": "rate"}, {"indicator": "missedReportRate", "weight": 20, "scoring": "rate"}, {"indicator": "onTimeVerificationRate", "weight": 20, "scoring": "rate"}, {"indicator": "onTimeCheckRate", "weight": 20, "scoring": "rate"}]}}"#
        #expect(refusal(s6).contains("scorecards.inspector.missedReportRate: lower is better"))
    }

    @Test func otherMistakesAreNamed() {
        let unknown = #"{"scorecards": {"dispatcher": [{"indicator": "speed", "weight": 100, "scoring": "rate"}]}}"#
        #expect(refusal(unknown).contains("unknown indicator 'speed'"))
        let countAsRate = #"{"scorecards": {"operator": [{"indicator": "accepted", "weight": 100, "scoring": "rate"}]}}"#
        #expect(refusal(countAsRate).contains("accepted: not a rate"))
        let bandOver100 = #"{"scorecards": {"operator": [{"indicator": "accepted", "weight": 100, "scoring": "bands", "bands": [{"at_least": 1, "score": 120}], "otherwise": 0}]}}"#
        #expect(refusal(bandOver100).contains("score 120.0 is not within 0…100"))
        let grades = #"{"grades": [{"grade": "A", "min": 60}, {"grade": "B", "min": 75}, {"grade": "C", "min": 10}]}"#
        #expect(refusal(grades).contains("A (60.0) must need more than B (75.0)"))
        #expect(refusal(grades).contains("the last grade (C) must start at 0"))
        let twoTests = #"{"scorecards": {"operator": [{"indicator": "accepted", "weight": 100, "scoring": "bands", "bands": [{"at_least": 1, "below": 5, "score": 10}], "otherwise": 0}]}}"#
        #expect(refusal(twoTests).contains("exactly one of at_most, below, at_least, above"))
        let badScoring = #"{"scorecards": {"operator": [{"indicator": "accepted", "weight": 100, "scoring": "linear"}]}}"#
        #expect(refusal(badScoring).contains("scoring 'linear'"))
    }
}
