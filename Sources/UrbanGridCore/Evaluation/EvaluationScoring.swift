// How one indicator becomes a score of 0…100 (分值), and the weighed sum of a score card (综合指标值).

/// One row of a banding table (分值表): the score when the value passes the test. JSON
/// `{"at_most": 50, "score": 100}`, or `below`, `at_least`, `above` instead of `at_most`.
public struct ScoreBand: Codable, Sendable, Equatable {
    public enum Test: Sendable, Equatable {
        case atMost(Double), below(Double), atLeast(Double), above(Double)

        public func holds(for value: Double) -> Bool {
            switch self {
            case .atMost(let limit): value <= limit
            case .below(let limit): value < limit
            case .atLeast(let limit): value >= limit
            case .above(let limit): value > limit
            }
        }
    }

    public var test: Test
    public var score: Double

    public init(_ test: Test, score: Double) { self.test = test; self.score = score }

    enum CodingKeys: String, CodingKey { case atMost = "at_most", below, atLeast = "at_least", above, score }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let tests: [Test] = try [
            c.decodeIfPresent(Double.self, forKey: .atMost).map(Test.atMost),
            c.decodeIfPresent(Double.self, forKey: .below).map(Test.below),
            c.decodeIfPresent(Double.self, forKey: .atLeast).map(Test.atLeast),
            c.decodeIfPresent(Double.self, forKey: .above).map(Test.above),
        ].compactMap { $0 }
        guard tests.count == 1, let test = tests.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a band needs exactly one of at_most, below, at_least, above"))
        }
        self.test = test
        score = try c.decode(Double.self, forKey: .score)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch test {
        case .atMost(let v): try c.encode(v, forKey: .atMost)
        case .below(let v): try c.encode(v, forKey: .below)
        case .atLeast(let v): try c.encode(v, forKey: .atLeast)
        case .above(let v): try c.encode(v, forKey: .above)
        }
        try c.encode(score, forKey: .score)
    }
}

/// How an indicator's value becomes a score.
public enum Scoring: Sendable, Equatable {
    /// A rate scores itself: 95 % → 95.
    case rate
    /// A rate where lower is better scores 100 − rate: 漏报率 5 % → 95 (the S6 system adds the bare rate,
    /// rewarding missed reports; standards §5).
    case inverse
    /// The first band whose test holds gives the score; none: `otherwise`.
    case bands([ScoreBand], otherwise: Double)

    public func score(_ value: Double) -> Double {
        switch self {
        case .rate: value
        case .inverse: 100 - value
        case .bands(let bands, let otherwise): bands.first { $0.test.holds(for: value) }?.score ?? otherwise
        }
    }
}

/// One term of a score card: an indicator, its weight (percent of the composite) and its scoring.
///
/// JSON `{"indicator": "closureRate", "weight": 30, "scoring": "rate"}`, `"scoring": "inverse"`, or
/// `{"indicator": "dispatched", "weight": 10, "scoring": "bands", "bands": [{"at_most": 50, "score": 100}, …],
/// "otherwise": 0}`.
public struct ScoreTerm: Codable, Sendable, Equatable {
    public var indicator: String
    public var weight: Double
    public var scoring: Scoring

    public init(_ indicator: String, weight: Double, _ scoring: Scoring) {
        self.indicator = indicator; self.weight = weight; self.scoring = scoring
    }

    enum CodingKeys: String, CodingKey { case indicator, weight, scoring, bands, otherwise }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        indicator = try c.decode(String.self, forKey: .indicator)
        weight = try c.decode(Double.self, forKey: .weight)
        switch try c.decode(String.self, forKey: .scoring) {
        case "rate": scoring = .rate
        case "inverse": scoring = .inverse
        case "bands":
            scoring = .bands(try c.decode([ScoreBand].self, forKey: .bands),
                             otherwise: try c.decode(Double.self, forKey: .otherwise))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .scoring, in: c,
                debugDescription: "scoring '\(other)' is not rate, inverse or bands")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(indicator, forKey: .indicator)
        try c.encode(weight, forKey: .weight)
        switch scoring {
        case .rate: try c.encode("rate", forKey: .scoring)
        case .inverse: try c.encode("inverse", forKey: .scoring)
        case .bands(let bands, let otherwise):
            try c.encode("bands", forKey: .scoring)
            try c.encode(bands, forKey: .bands)
            try c.encode(otherwise, forKey: .otherwise)
        }
    }
}

/// A grade (等级) and the lowest composite score that earns it.
public struct GradeThreshold: Codable, Sendable, Equatable {
    public var grade: String
    public var min: Double
    public init(_ grade: String, min: Double) { self.grade = grade; self.min = min }
}
