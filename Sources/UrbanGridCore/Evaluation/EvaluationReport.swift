// The published result of an evaluation: per object its counts, indicators, scores, grade and rank,
// with everything a reader needs to redo the arithmetic.

import Foundation

/// What the store counted for one object: a department, a user of a post, or an area.
public struct EvaluationSubject: Sendable, Equatable {
    /// Department code, username, or area code.
    public var id: String
    /// Chinese name of the department or area; the username for people.
    public var name: String
    /// The family's counted keys (`EvaluationFamily.countedKeys`); a missing key is 0.
    public var counts: [String: Int]
    /// Regions: the area of their unit grids, in m².
    public var areaM2: Double?

    public init(id: String, name: String, counts: [String: Int], areaM2: Double? = nil) {
        self.id = id; self.name = name; self.counts = counts; self.areaM2 = areaM2
    }
}

/// A count as it enters a formula.
public struct NamedCount: Codable, Sendable, Equatable {
    public var key: String
    public var value: Int
    public init(key: String, value: Int) { self.key = key; self.value = value }
}

/// One indicator of one object.
public struct IndicatorResult: Codable, Sendable, Equatable {
    public var id: String
    public var nameZh: String
    /// Rounded to 2 decimals; absent for a rate whose denominator is 0 (nothing to measure).
    public var value: Double?
    /// Rates: value = numerator / denominator × 100.
    public var numerator: NamedCount?
    public var denominator: NamedCount?
    /// Counts, and densities: value = count / (areaM2 / 10,000).
    public var count: NamedCount?
    /// In the score card: its weight (percent) and the score (0…100) the value earned.
    public var weight: Double?
    public var score: Double?
}

/// One object's line of the report.
public struct EvaluationRow: Codable, Sendable, Equatable {
    /// 1 for the best score; equal scores share a rank; absent without a score.
    public var rank: Int?
    public var id: String
    public var name: String
    public var areaM2: Double?
    /// Every count of the family, derived ones included.
    public var counts: [String: Int]
    public var indicators: [IndicatorResult]
    /// The sum of the weights of the terms that had a value (100 unless a rate had a zero denominator).
    public var weightApplied: Double
    /// Σ weight × score / weightApplied, rounded to 2 decimals; absent when no term had a value.
    public var score: Double?
    public var grade: String?
}

/// The evaluation of one kind of object over one period.
public struct EvaluationReport: Codable, Sendable, Equatable {
    public var object: EvaluationObject
    public var period: EvaluationPeriod
    public var timeZone: String
    /// The period's bounds as instants: [start, end).
    public var start: Date
    public var end: Date
    /// What counted as "the end of the period": `end`, or the moment of the evaluation if earlier.
    public var asOf: Date
    public var scorecard: [ScoreTerm]
    public var grades: [GradeThreshold]
    /// Best first.
    public var rows: [EvaluationRow]

    public init(object: EvaluationObject, period: EvaluationPeriod, timeZone: String, start: Date, end: Date,
                asOf: Date, scorecard: [ScoreTerm], grades: [GradeThreshold], rows: [EvaluationRow]) {
        self.object = object; self.period = period; self.timeZone = timeZone; self.start = start; self.end = end
        self.asOf = asOf; self.scorecard = scorecard; self.grades = grades; self.rows = rows
    }

    /// RFC 4180 CSV: rank, id, name, grade, score, every count, the area (regions), then every rate and
    /// density (2 decimals; empty where there is none).
    public func csv() -> String {
        let family = object.family
        let countKeys = family.counts.map(\.key)
        let indicatorIDs = family.indicators.filter { if case .count = $0.value { false } else { true } }.map(\.id)
        var lines = [["rank", "id", "name", "grade", "score"] + countKeys + (family == .region ? ["areaM2"] : []) + indicatorIDs]
        for row in rows {
            var fields = [row.rank.map(String.init) ?? "", row.id, row.name, row.grade ?? "", Self.decimal(row.score)]
            fields += countKeys.map { String(row.counts[$0] ?? 0) }
            if family == .region { fields.append(Self.decimal(row.areaM2)) }
            fields += indicatorIDs.map { id in Self.decimal(row.indicators.first { $0.id == id }?.value) }
            lines.append(fields)
        }
        return CSV.format(lines)
    }

    static func decimal(_ value: Double?) -> String {
        guard let value else { return "" }
        return String(format: "%.2f", value)
    }
}
