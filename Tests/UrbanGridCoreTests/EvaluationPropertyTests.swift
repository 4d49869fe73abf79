import Foundation
import Testing
import UrbanGridCore

// Properties over many random inputs: counts that keep the relations the store guarantees (a part
// never exceeds its whole), and random valid score cards. Every rate stays within 0…100, every score
// and composite too, the grade matches the score, and every weight table adds up to 100.

/// Random counts of a family in which every part is at most its whole, as the store counts them.
private func randomCounts(_ family: EvaluationFamily, _ g: inout SplitMix64) -> [String: Int] {
    func upTo(_ n: Int) -> Int { n == 0 ? 0 : Int.random(in: 0...n, using: &g) }
    let big = [0, 1, 3, 50, 400, 3000][Int.random(in: 0..<6, using: &g)]
    switch family {
    case .department:
        let handled = upTo(big), overdue = upTo(big), decided = upTo(big), closed = upTo(decided)
        return ["dispatched": upTo(big * 2), "handled": handled, "handledOnTime": upTo(handled), "overdueOpen": overdue,
                "open": overdue + upTo(big), "returned": upTo(big), "extended": upTo(handled + overdue),
                "hung": upTo(handled + overdue), "closed": closed, "reworked": decided - closed]
    case .inspector:
        let reports = upTo(big), inBeat = upTo(big), verified = upTo(big), checked = upTo(big)
        return ["reports": reports, "validReports": upTo(reports), "registeredInBeat": inBeat, "missedReports": upTo(inBeat),
                "verified": verified, "verifiedOnTime": upTo(verified), "overdueVerifications": upTo(big),
                "checked": checked, "checkedOnTime": upTo(checked), "overdueChecks": upTo(big)]
    case .operator_:
        let accepted = upTo(big), sent = upTo(accepted), checks = upTo(big)
        return ["accepted": accepted, "verificationsSent": sent, "verificationsSentOnTime": upTo(sent),
                "checksSent": checks, "checksSentOnTime": upTo(checks)]
    case .shiftLeader:
        let registered = upTo(big), closures = upTo(big)
        return ["registered": registered, "registeredOnTime": upTo(registered), "registeredVoided": upTo(registered),
                "closures": closures, "closuresOnTime": upTo(closures)]
    case .dispatcher:
        let dispatches = upTo(big)
        return ["dispatches": dispatches, "dispatchesOnTime": upTo(dispatches), "dispatchesReturned": upTo(dispatches)]
    case .region:
        let registered = upTo(big), voided = upTo(registered), closed = upTo(registered - voided)
        return ["registered": registered, "publicReports": upTo(registered), "voided": voided, "closed": closed,
                "closedOnTime": upTo(closed)]
    }
}

/// A random valid score card for `family`: some of its indicators, integer weights adding up to 100,
/// rates scored as rates or inverted as their direction requires, others by random bands.
private func randomCard(_ family: EvaluationFamily, _ g: inout SplitMix64) -> [ScoreTerm] {
    let chosen = family.indicators.shuffled(using: &g).prefix(Int.random(in: 1...family.indicators.count, using: &g))
    var remaining = 100
    return chosen.enumerated().map { i, indicator in
        let weight = i == chosen.count - 1 ? remaining : Int.random(in: 1...(remaining - (chosen.count - 1 - i)), using: &g)
        remaining -= weight
        let scoring: Scoring = indicator.isRate && Bool.random(using: &g)
            ? (indicator.lowerIsBetter ? .inverse : .rate)
            : .bands((0..<Int.random(in: 0...4, using: &g)).map { _ in
                ScoreBand(.atMost(Double(Int.random(in: 0...500, using: &g))), score: Double(Int.random(in: 0...100, using: &g)))
            }, otherwise: Double(Int.random(in: 0...100, using: &g)))
        return ScoreTerm(indicator.id, weight: Double(weight), scoring)
    }
}

@Suite struct EvaluationPropertyTests {
    @Test func everyRateAndScoreStaysWithin0And100() throws {
        var g = SplitMix64(seed: 20261123)
        let period = try EvaluationPeriod.parse("2026-W48")
        let (start, end) = period.interval(timeZone: "Asia/Shanghai")
        for round in 0..<300 {
            for object in EvaluationObject.allCases {
                let family = object.family
                let cards = Dictionary(uniqueKeysWithValues: EvaluationFamily.allCases.map { ($0, randomCard($0, &g)) })
                let profile = round.isMultiple(of: 2) ? EvaluationProfile.standard : try EvaluationProfile(scorecards: cards)
                let subjects = (0..<5).map { i in
                    EvaluationSubject(id: "s\(i)", name: "s\(i)", counts: randomCounts(family, &g),
                                      areaM2: family == .region ? Double(Int.random(in: 1...90_000, using: &g)) : nil)
                }
                let report = Evaluation.report(object: object, period: period, timeZone: "Asia/Shanghai", start: start,
                                               end: end, asOf: end, subjects: subjects, profile: profile)
                for row in report.rows {
                    for r in row.indicators {
                        if let value = r.value, family.indicator(r.id)?.isRate == true {
                            #expect((0...100).contains(value), "round \(round) \(object) \(r.id) = \(value) \(row.counts)")
                        }
                        if let score = r.score { #expect((0...100).contains(score), "\(object) \(r.id) score \(score)") }
                    }
                    if let score = row.score {
                        #expect((0...100).contains(score), "\(object) composite \(score)")
                        #expect(row.grade == profile.grade(for: score))
                    }
                    // Every derived count is non-negative (a part never exceeds its whole).
                    #expect(row.counts.values.allSatisfy { $0 >= 0 }, "\(row.counts)")
                }
            }
        }
    }

    @Test func everyWeightTableAddsUpToAHundred() throws {
        var g = SplitMix64(seed: 48)
        for family in EvaluationFamily.allCases {
            #expect(EvaluationProfile.standard.scorecard(family).reduce(0) { $0 + $1.weight } == 100, "\(family)")
        }
        for _ in 0..<500 {
            let cards = Dictionary(uniqueKeysWithValues: EvaluationFamily.allCases.map { ($0, randomCard($0, &g)) })
            let profile = try EvaluationProfile(scorecards: cards)
            for family in EvaluationFamily.allCases {
                #expect(profile.scorecard(family).reduce(0) { $0 + $1.weight } == 100)
            }
            // Any change of one weight breaks the sum, and the profile is refused.
            var broken = cards
            let family = EvaluationFamily.allCases.randomElement(using: &g)!
            broken[family]![0].weight += Double(Int.random(in: 1...30, using: &g))
            #expect(throws: EvaluationProfileError.self) { try EvaluationProfile(scorecards: broken) }
        }
    }
}
