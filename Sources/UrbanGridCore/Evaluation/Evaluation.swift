// From counts to indicators, scores, grades and ranks. Pure arithmetic over `EvaluationSubject`s, so
// every formula is tested without a database.

import Foundation

public enum Evaluation {
    /// Rates, scores and ranks of `subjects` under `profile`'s score card for `object`.
    public static func report(object: EvaluationObject, period: EvaluationPeriod, timeZone: String,
                              start: Date, end: Date, asOf: Date, subjects: [EvaluationSubject],
                              profile: EvaluationProfile) -> EvaluationReport {
        let card = profile.scorecard(object.family)
        let rows = ranked(subjects.map { row(for: $0, family: object.family, card: card, profile: profile) })
        return EvaluationReport(object: object, period: period, timeZone: timeZone, start: start, end: end,
                                asOf: asOf, scorecard: card, grades: profile.grades, rows: rows)
    }

    /// numerator / denominator × 100, or nil when the denominator is 0: a post with nothing to do has
    /// no rate (not 0 %, not 100 %), and its score card leaves that term out (see `row`).
    public static func rate(_ numerator: Int, _ denominator: Int) -> Double? {
        denominator == 0 ? nil : Double(numerator) / Double(denominator) * 100
    }

    /// Every count of the family: the counted ones as given (missing = 0), then the derived ones.
    public static func allCounts(_ counted: [String: Int], family: EvaluationFamily) -> [String: Int] {
        var out: [String: Int] = [:]
        for definition in family.counts {
            switch definition.derivation {
            case .counted: out[definition.key] = counted[definition.key] ?? 0
            case .sum(let a, let b): out[definition.key] = (out[a] ?? 0) + (out[b] ?? 0)
            case .difference(let a, let b): out[definition.key] = (out[a] ?? 0) - (out[b] ?? 0)
            }
        }
        return out
    }

    /// The value of an indicator, unrounded.
    public static func value(of indicator: IndicatorDefinition, counts: [String: Int], areaM2: Double?) -> Double? {
        switch indicator.value {
        case .count(let key): Double(counts[key] ?? 0)
        case .rate(let n, let d): rate(counts[n] ?? 0, counts[d] ?? 0)
        case .perTenThousandSquareMetres(let key):
            areaM2.flatMap { $0 > 0 ? Double(counts[key] ?? 0) / ($0 / 10_000) : nil }
        }
    }

    /// One object's line. The composite is the weighted mean of the scores of the terms that have a
    /// value: Σ weight × score / Σ weight. With every term present that is Σ weight × score / 100, the
    /// standard's 综合指标值; a term without a value (zero denominator) drops out and the others keep
    /// their proportions. An object none of whose rates has a value did nothing that can be judged: no
    /// score (a department without cases would otherwise get 100 from its 立案数分值 alone). The score
    /// is rounded to 2 decimals before the grade is looked up, so the grade always matches the score
    /// shown.
    static func row(for subject: EvaluationSubject, family: EvaluationFamily, card: [ScoreTerm],
                    profile: EvaluationProfile) -> EvaluationRow {
        let counts = allCounts(subject.counts, family: family)
        var weighted = 0.0, applied = 0.0, anyRate = false
        let indicators = family.indicators.map { definition -> IndicatorResult in
            let value = value(of: definition, counts: counts, areaM2: subject.areaM2)
            var result = IndicatorResult(id: definition.id, nameZh: definition.nameZh, value: value.map(rounded))
            switch definition.value {
            case .count(let key), .perTenThousandSquareMetres(let key):
                result.count = NamedCount(key: key, value: counts[key] ?? 0)
            case .rate(let n, let d):
                result.numerator = NamedCount(key: n, value: counts[n] ?? 0)
                result.denominator = NamedCount(key: d, value: counts[d] ?? 0)
            }
            if let term = card.first(where: { $0.indicator == definition.id }) {
                result.weight = term.weight
                if let value {
                    let score = term.scoring.score(value)
                    result.score = rounded(score)
                    weighted += term.weight * score
                    applied += term.weight
                    anyRate = anyRate || definition.isRate
                }
            }
            return result
        }
        let score = anyRate ? rounded(weighted / applied) : nil
        return EvaluationRow(rank: nil, id: subject.id, name: subject.name, areaM2: subject.areaM2.map(rounded), counts: counts,
                             indicators: indicators, weightApplied: applied, score: score,
                             grade: score.flatMap(profile.grade(for:)))
    }

    /// Best score first (then by id); equal scores share a rank (1, 2, 2, 4); no score, no rank, last.
    static func ranked(_ rows: [EvaluationRow]) -> [EvaluationRow] {
        var sorted = rows.sorted { a, b in
            switch (a.score, b.score) {
            case let (x?, y?) where x != y: x > y
            case (_?, nil): true
            case (nil, _?): false
            default: a.id < b.id
            }
        }
        for i in sorted.indices where sorted[i].score != nil {
            sorted[i].rank = i > 0 && sorted[i - 1].score == sorted[i].score ? sorted[i - 1].rank : i + 1
        }
        return sorted
    }

    /// To 2 decimals, halves away from zero.
    public static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
