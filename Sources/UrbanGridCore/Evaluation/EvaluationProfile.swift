// Weights, banding tables and grades of the evaluation as data: `gis-data/<city>/evaluation.json`,
// with the standard's values (CJ/T 292-2008 as transcribed in standards §5) as the default.

/// A city's score cards and grades.
///
/// ```json
/// {
///   "grades": [{"grade": "A", "min": 90}, {"grade": "B", "min": 75}, {"grade": "C", "min": 60},
///              {"grade": "D", "min": 40}, {"grade": "E", "min": 0}],
///   "scorecards": {
///     "department": [
///       {"indicator": "dispatched", "weight": 10, "scoring": "bands",
///        "bands": [{"at_most": 50, "score": 100}, {"at_most": 100, "score": 90}], "otherwise": 0},
///       {"indicator": "closureRate", "weight": 30, "scoring": "rate"},
///       {"indicator": "onTimeHandlingRate", "weight": 30, "scoring": "rate"},
///       {"indicator": "reworkRate", "weight": 30, "scoring": "inverse"}
///     ]
///   }
/// }
/// ```
/// `grades` and each score card may be left out (the standard's then). Score cards: `department`,
/// `inspector`, `operator`, `shift-leader`, `dispatcher`, `region`. Every card's weights add up to 100,
/// every score is within 0…100, a rate where lower is better (`lowerIsBetter`) is scored `inverse` or
/// by bands, and grade thresholds fall strictly with the last at 0: a file breaking any of this is
/// refused with every problem named.
public struct EvaluationProfile: Codable, Sendable, Equatable {
    /// Highest first; the last has `min` 0.
    public var grades: [GradeThreshold]
    public var scorecards: [EvaluationFamily: [ScoreTerm]]

    public init(grades: [GradeThreshold] = Self.standardGrades,
                scorecards: [EvaluationFamily: [ScoreTerm]] = Self.standardScorecards) throws(EvaluationProfileError) {
        self.grades = grades; self.scorecards = scorecards
        let problems = problems()
        guard problems.isEmpty else { throw .problems(problems) }
    }

    private init(unchecked grades: [GradeThreshold], _ scorecards: [EvaluationFamily: [ScoreTerm]]) {
        self.grades = grades; self.scorecards = scorecards
    }

    /// The standard's grades, weights and bands.
    public static let standard = EvaluationProfile(unchecked: standardGrades, standardScorecards)

    /// A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below.
    public static let standardGrades: [GradeThreshold] = [
        .init("A", min: 90), .init("B", min: 75), .init("C", min: 60), .init("D", min: 40), .init("E", min: 0),
    ]

    /// 受理数分值 of the standard; also used for the 派遣数分值, whose table the sources do not give (this
    /// system's assumption).
    static let workloadBands = Scoring.bands([
        ScoreBand(.atLeast(2001), score: 100), ScoreBand(.atLeast(1201), score: 90), ScoreBand(.atLeast(501), score: 75),
        ScoreBand(.atLeast(301), score: 60), ScoreBand(.atLeast(101), score: 40),
    ], otherwise: 0)

    public static let standardScorecards: [EvaluationFamily: [ScoreTerm]] = [
        // 立案数分值 10 % (fewer is better) + 结案率 30 % + 按期处置率 30 % + (100 − 返工率) 30 %.
        .department: [
            ScoreTerm("dispatched", weight: 10, .bands([
                ScoreBand(.atMost(50), score: 100), ScoreBand(.atMost(100), score: 90), ScoreBand(.atMost(200), score: 75),
                ScoreBand(.atMost(500), score: 60), ScoreBand(.atMost(1000), score: 40),
            ], otherwise: 0)),
            ScoreTerm("closureRate", weight: 30, .rate),
            ScoreTerm("onTimeHandlingRate", weight: 30, .rate),
            ScoreTerm("reworkRate", weight: 30, .inverse),
        ],
        // 有效上报率 40 % + 漏报率分值 20 % (100 − 漏报率) + 按时核实率 20 % + 按时核查率 20 %.
        .inspector: [
            ScoreTerm("validReportRate", weight: 40, .rate),
            ScoreTerm("missedReportRate", weight: 20, .inverse),
            ScoreTerm("onTimeVerificationRate", weight: 20, .rate),
            ScoreTerm("onTimeCheckRate", weight: 20, .rate),
        ],
        // 受理数分值 25 % + 核实按时派发率 40 % + 核查按时派发率 35 %.
        .operator_: [
            ScoreTerm("accepted", weight: 25, workloadBands),
            ScoreTerm("onTimeVerificationDispatchRate", weight: 40, .rate),
            ScoreTerm("onTimeCheckDispatchRate", weight: 35, .rate),
        ],
        // 按时立案率 25 % + 准确立案率 40 % + 按时结案率 35 %.
        .shiftLeader: [
            ScoreTerm("onTimeRegistrationRate", weight: 25, .rate),
            ScoreTerm("accurateRegistrationRate", weight: 40, .rate),
            ScoreTerm("onTimeClosureRate", weight: 35, .rate),
        ],
        // 派遣数分值 20 % + 按时派遣率 40 % + 准确派遣率 40 %.
        .dispatcher: [
            ScoreTerm("dispatches", weight: 20, workloadBands),
            ScoreTerm("onTimeDispatchRate", weight: 40, .rate),
            ScoreTerm("accurateDispatchRate", weight: 40, .rate),
        ],
        // 立案数分值 10 % (一类区域 table, on 立案数 per 万平方米) + 监督举报率分值 20 % (100 − rate) + 结案率 30 %
        // + 按期结案率 40 % = 100 % (the S6 code weighs the last term 10 %: 70 % in all).
        .region: [
            ScoreTerm("registrationDensity", weight: 10, .bands([
                ScoreBand(.atMost(0), score: 100), ScoreBand(.below(3), score: 90), ScoreBand(.below(5), score: 75),
                ScoreBand(.below(7), score: 60), ScoreBand(.below(9), score: 40),
            ], otherwise: 0)),
            ScoreTerm("publicReportRate", weight: 20, .inverse),
            ScoreTerm("closureRate", weight: 30, .rate),
            ScoreTerm("onTimeClosureRate", weight: 40, .rate),
        ],
    ]

    /// The score card of a family (the standard's when the profile has none).
    public func scorecard(_ family: EvaluationFamily) -> [ScoreTerm] {
        scorecards[family] ?? Self.standardScorecards[family] ?? []
    }

    /// The grade of a composite score: the first threshold it reaches.
    public func grade(for score: Double) -> String? {
        grades.first { score >= $0.min }?.grade
    }

    /// Everything wrong with the profile; empty when it can be used.
    public func problems() -> [String] {
        var out: [String] = []
        if grades.isEmpty { out.append("grades: at least one grade is needed") }
        for (a, b) in zip(grades, grades.dropFirst()) where !(a.min > b.min) {
            out.append("grades: \(a.grade) (\(a.min)) must need more than \(b.grade) (\(b.min))")
        }
        if let last = grades.last, last.min != 0 { out.append("grades: the last grade (\(last.grade)) must start at 0") }
        if Set(grades.map(\.grade)).count != grades.count || grades.contains(where: { $0.grade.isEmpty }) {
            out.append("grades: names must be unique and not empty")
        }
        for family in EvaluationFamily.allCases { out += problems(of: scorecard(family), family: family) }
        return out
    }

    private func problems(of card: [ScoreTerm], family: EvaluationFamily) -> [String] {
        let name = "scorecards.\(family.rawValue)"
        var out: [String] = []
        let total = card.reduce(0) { $0 + $1.weight }
        if abs(total - 100) > 1e-9 { out.append("\(name): the weights add up to \(total), not 100") }
        if Set(card.map(\.indicator)).count != card.count { out.append("\(name): an indicator appears twice") }
        for term in card {
            guard let indicator = family.indicator(term.indicator) else {
                let known = family.indicators.map(\.id).joined(separator: ", ")
                out.append("\(name): unknown indicator '\(term.indicator)' (known: \(known))")
                continue
            }
            if !(term.weight > 0) || !term.weight.isFinite { out.append("\(name).\(term.indicator): the weight must be positive") }
            switch term.scoring {
            case .rate where indicator.lowerIsBetter:
                out.append("\(name).\(term.indicator): lower is better, so score it 'inverse' or by bands, not as a plain rate")
            case .rate, .inverse:
                if !indicator.isRate { out.append("\(name).\(term.indicator): not a rate; score it by bands") }
            case .bands(let bands, let otherwise):
                for score in bands.map(\.score) + [otherwise] where !(0...100).contains(score) {
                    out.append("\(name).\(term.indicator): score \(score) is not within 0…100")
                }
            }
        }
        return out
    }

    // MARK: Codable

    enum CodingKeys: String, CodingKey { case grades, scorecards }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let grades = try c.decodeIfPresent([GradeThreshold].self, forKey: .grades) ?? Self.standardGrades
        let cards = try c.decodeIfPresent([EvaluationFamily: [ScoreTerm]].self, forKey: .scorecards) ?? [:]
        do {
            try self.init(grades: grades, scorecards: Self.standardScorecards.merging(cards) { $1 })
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }
}

/// A profile that cannot be used, with every reason.
public enum EvaluationProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    case problems([String])
    public var description: String {
        switch self { case .problems(let p): "evaluation profile: " + p.joined(separator: "; ") }
    }
}
