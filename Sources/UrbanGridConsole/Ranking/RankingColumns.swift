import Foundation
import UrbanGridCore

/// What the ranking table shows: rank, name, score, grade and the key rates of the object's score
/// card, each a cell fitted with the shared column layout.
public enum RankingColumns {
    /// A rate shown in the table: the indicator's id and a short title in each language.
    public struct Rate: Sendable, Equatable {
        public var id: String
        public var zh: String
        public var en: String
    }

    /// Two or three rates per score card, the ones a dispatcher asks about first.
    public static func keyRates(_ family: EvaluationFamily) -> [Rate] {
        switch family {
        case .department: [.init(id: "onTimeHandlingRate", zh: "按期处置率", en: "On time"),
                           .init(id: "closureRate", zh: "结案率", en: "Closed"),
                           .init(id: "reworkRate", zh: "返工率", en: "Rework")]
        case .inspector: [.init(id: "validReportRate", zh: "有效上报率", en: "Valid"),
                          .init(id: "missedReportRate", zh: "漏报率", en: "Missed"),
                          .init(id: "onTimeVerificationRate", zh: "按时核实率", en: "Verified")]
        case .operator_: [.init(id: "onTimeVerificationDispatchRate", zh: "核实按时派发", en: "Verify sent"),
                          .init(id: "onTimeCheckDispatchRate", zh: "核查按时派发", en: "Check sent")]
        case .shiftLeader: [.init(id: "onTimeRegistrationRate", zh: "按时立案率", en: "On time"),
                            .init(id: "accurateRegistrationRate", zh: "准确立案率", en: "Accurate"),
                            .init(id: "onTimeClosureRate", zh: "按时结案率", en: "Closed")]
        case .dispatcher: [.init(id: "onTimeDispatchRate", zh: "按时派遣率", en: "On time"),
                           .init(id: "accurateDispatchRate", zh: "准确派遣率", en: "Accurate")]
        case .region: [.init(id: "closureRate", zh: "结案率", en: "Closed"),
                       .init(id: "onTimeClosureRate", zh: "按期结案率", en: "On time"),
                       .init(id: "publicReportRate", zh: "监督举报率", en: "Public")]
        }
    }

    public static func columns(_ object: EvaluationObject, _ l: Language) -> [Column] {
        [
            Column(Label.colRank.text(l), min: 4, max: 4, priority: 9, alignment: .right),
            Column(Label.colName.text(l), min: 10, max: 30, weight: 1, priority: 8),
            Column(Label.colScore.text(l), min: 6, max: 6, priority: 7, alignment: .right),
            Column(Label.colGrade.text(l), min: 4, max: 4, priority: 7, alignment: .center),
        ] + keyRates(object.family).enumerated().map { i, rate in
            Column(l == .zh ? rate.zh : rate.en, min: 6, max: 12, weight: 1, priority: 5 - i, alignment: .right)
        }
    }

    /// "—" where the server has no value (no score, or a rate whose denominator is 0).
    public static let none = "—"

    public static func cells(_ row: EvaluationRow, _ object: EvaluationObject) -> [String] {
        let rates = keyRates(object.family).map { rate in
            row.indicators.first { $0.id == rate.id }.map(rateText) ?? none
        }
        return [row.rank.map(String.init) ?? none, row.name, row.score.map { decimal($0) } ?? none,
                row.grade ?? none] + rates
    }

    /// "92.3%".
    static func rateText(_ i: IndicatorResult) -> String {
        i.value.map { String(format: "%.1f%%", $0) } ?? none
    }

    static func decimal(_ value: Double) -> String { String(format: "%.2f", value) }
}
