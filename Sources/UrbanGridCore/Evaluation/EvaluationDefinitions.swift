// The exact definitions of every count and indicator of the evaluation (CJ/T 292-2008 / GB/T 30428.4 as
// transcribed in standards §5). The store counts the `counted` ones from the step facts of the audit
// log; everything else is derived here, so the arithmetic a reader checks is the arithmetic that ran.
//
// The time rules, the same for every object:
// - The period is [start, end) in the city's time zone; "the end" below is that end, or the moment of
//   the evaluation if the period has not ended yet.
// - A step (环节) counts in the period in which it ended (when the person or department did the work);
//   whether it was on time is fixed when it ends: working time on the city calendar, 挂账 excluded,
//   approved 延期 added, finished exactly at the limit is on time.
// - A step still open at the end of the period and already past its deadline then is "overdue open":
//   it counts as due (应…) in that period although nobody finished it; a step still within its limit
//   at the end counts only in the period it is finished in.
// - Outcomes that come later (a report registered, a registration voided, a dispatch returned, a case
//   closed) are taken as they stand at the moment of the evaluation.

/// One count behind the indicators of a family.
public struct CountDefinition: Sendable, Equatable {
    public enum Derivation: Sendable, Equatable {
        /// Counted by the store.
        case counted
        /// The sum of two counts.
        case sum(String, String)
        /// The first count minus the second (the second is a part of the first).
        case difference(String, String)
    }

    public var key: String
    public var nameZh: String
    /// What exactly is counted.
    public var meaning: String
    public var derivation: Derivation

    init(_ key: String, _ nameZh: String, _ meaning: String, _ derivation: Derivation = .counted) {
        self.key = key; self.nameZh = nameZh; self.meaning = meaning; self.derivation = derivation
    }
}

/// One indicator (指标): a count, a rate of two counts in percent, or a count per area.
public struct IndicatorDefinition: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case count(String)
        /// numerator / denominator × 100; no value when the denominator is 0.
        case rate(numerator: String, denominator: String)
        /// count / (area in m² / 10,000): per 万平方米, the nominal size of a unit grid.
        case perTenThousandSquareMetres(String)
    }

    public var id: String
    public var nameZh: String
    public var value: Value
    /// Lower values are better (漏报率, 返工率, 监督举报率, …): a score card must not use it as a plain rate.
    public var lowerIsBetter: Bool

    init(_ id: String, _ nameZh: String, _ value: Value, lowerIsBetter: Bool = false) {
        self.id = id; self.nameZh = nameZh; self.value = value; self.lowerIsBetter = lowerIsBetter
    }

    public var isRate: Bool {
        if case .rate = value { return true }
        return false
    }
}

extension EvaluationFamily {
    /// The counts of the family, in the order reports show them.
    public var counts: [CountDefinition] {
        switch self {
        case .department: [
            .init("dispatched", "立案数(派遣至本部门)", "handling steps of the department started by a 派遣 (not by a 返工) in the period"),
            .init("handled", "处置数", "handling steps of the department finished (处置完成) in the period"),
            .init("handledOnTime", "按期处置数", "of handled, those finished within their 处置时限"),
            .init("overdueOpen", "超期未处置数", "handling steps of the department not finished at the end of the period and past their deadline then"),
            .init("toHandle", "应处置数", "handled + overdueOpen", .sum("handled", "overdueOpen")),
            .init("open", "在办数", "handling steps of the department not finished at the end of the period, overdue or not, hung included"),
            .init("returned", "回退数", "handling steps of the department ended by an approved 回退 in the period (in no rate: the case was not theirs)"),
            .init("extended", "延期数", "of toHandle, steps with at least one approved 延期"),
            .init("hung", "挂账数", "of toHandle, steps with at least one approved 挂账"),
            .init("closed", "结案数", "结案 decisions in the period on cases the department handled"),
            .init("reworked", "返工数", "返工 decisions in the period on cases the department handled (a failed 核查 sent back to it)"),
            .init("toClose", "应结案数", "closed + reworked: every 结案 decision on the department's work", .sum("closed", "reworked")),
        ]
        case .inspector: [
            .init("reports", "上报数", "cases the inspector reported in the period (self-handled included)"),
            .init("validReports", "有效上报数", "of reports, those registered (立案), or for a self-handled case closed, by the moment of the evaluation"),
            .init("registeredInBeat", "责任网格立案数", "cases registered in the period in the grids of the inspector's beat (责任网格, as assigned now)"),
            .init("missedReports", "漏报数", "of registeredInBeat, those found by the public or the hotline (the inspector missed them)"),
            .init("verified", "核实数", "verifications (核实) the inspector did in the period"),
            .init("verifiedOnTime", "按时核实数", "of verified, those within the 核实 limit"),
            .init("overdueVerifications", "超时未核实数", "verifications assigned to the inspector, not done at the end of the period and past their deadline then"),
            .init("toVerify", "应核实数", "verified + overdueVerifications", .sum("verified", "overdueVerifications")),
            .init("checked", "核查数", "checks (核查) the inspector did in the period"),
            .init("checkedOnTime", "按时核查数", "of checked, those within the 核查 limit"),
            .init("overdueChecks", "超时未核查数", "checks assigned to the inspector, not done at the end of the period and past their deadline then"),
            .init("toCheck", "应核查数", "checked + overdueChecks", .sum("checked", "overdueChecks")),
        ]
        case .operator_: [
            .init("accepted", "受理数", "reports the operator accepted or refused (受理 / 不予受理) in the period"),
            .init("verificationsSent", "发核实数", "of accepted, public and hotline reports sent to an inspector for 核实 (应发核实数)"),
            .init("verificationsSentOnTime", "按时发核实数", "of verificationsSent, those sent within the 受理 limit"),
            .init("checksSent", "发核查数", "核查 sent by the operator in the period (应发核查数)"),
            .init("checksSentOnTime", "按时发核查数", "of checksSent, those sent within the 核查派发 limit"),
        ]
        case .shiftLeader: [
            .init("registered", "立案数", "cases the shift leader registered (立案) in the period"),
            .init("registeredOnTime", "按时立案数", "of registered, those within the 立案 limit"),
            .init("registeredVoided", "作废数", "of registered, those voided (作废) afterwards, by the moment of the evaluation"),
            .init("accurateRegistrations", "准确立案数", "registered − registeredVoided", .difference("registered", "registeredVoided")),
            .init("closures", "结案数", "cases the shift leader closed (结案) in the period"),
            .init("closuresOnTime", "按时结案数", "of closures, those within the 结案 limit"),
        ]
        case .dispatcher: [
            .init("dispatches", "派遣数", "cases the dispatcher dispatched (派遣) in the period (应派遣数)"),
            .init("dispatchesOnTime", "按时派遣数", "of dispatches, those within the 派遣 limit"),
            .init("dispatchesReturned", "回退数", "of dispatches, those the department sent back with an approved 回退 (wrong department), by the moment of the evaluation"),
            .init("accurateDispatches", "准确派遣数", "dispatches − dispatchesReturned", .difference("dispatches", "dispatchesReturned")),
        ]
        case .region: [
            .init("registered", "立案数", "cases registered (立案) in the period located in the area"),
            .init("publicReports", "监督举报核实数", "of registered, public and hotline reports confirmed by 核实"),
            .init("voided", "作废数", "of registered, those voided afterwards, by the moment of the evaluation"),
            .init("toClose", "应结案数", "registered − voided", .difference("registered", "voided")),
            .init("closed", "结案数", "of toClose, those closed by the moment of the evaluation"),
            .init("closedOnTime", "按期结案数", "of closed, those whose every 处置 was finished within its 处置时限"),
        ]
        }
    }

    /// The indicators of the family, in the order reports show them.
    public var indicators: [IndicatorDefinition] {
        switch self {
        case .department: [
            .init("dispatched", "立案数", .count("dispatched"), lowerIsBetter: true),
            .init("onTimeHandlingRate", "按期处置率", .rate(numerator: "handledOnTime", denominator: "toHandle")),
            .init("handlingRate", "处置率", .rate(numerator: "handled", denominator: "toHandle")),
            .init("closureRate", "结案率", .rate(numerator: "closed", denominator: "toClose")),
            .init("reworkRate", "返工率", .rate(numerator: "reworked", denominator: "toClose"), lowerIsBetter: true),
            .init("extensionRate", "延期率", .rate(numerator: "extended", denominator: "toHandle"), lowerIsBetter: true),
            .init("overdueRate", "超期未处置率", .rate(numerator: "overdueOpen", denominator: "toHandle"), lowerIsBetter: true),
        ]
        case .inspector: [
            .init("reports", "上报数", .count("reports")),
            .init("validReportRate", "有效上报率", .rate(numerator: "validReports", denominator: "reports")),
            .init("missedReportRate", "漏报率", .rate(numerator: "missedReports", denominator: "registeredInBeat"), lowerIsBetter: true),
            .init("onTimeVerificationRate", "按时核实率", .rate(numerator: "verifiedOnTime", denominator: "toVerify")),
            .init("onTimeCheckRate", "按时核查率", .rate(numerator: "checkedOnTime", denominator: "toCheck")),
        ]
        case .operator_: [
            .init("accepted", "受理数", .count("accepted")),
            .init("onTimeVerificationDispatchRate", "核实按时派发率", .rate(numerator: "verificationsSentOnTime", denominator: "verificationsSent")),
            .init("onTimeCheckDispatchRate", "核查按时派发率", .rate(numerator: "checksSentOnTime", denominator: "checksSent")),
        ]
        case .shiftLeader: [
            .init("registered", "立案数", .count("registered")),
            .init("onTimeRegistrationRate", "按时立案率", .rate(numerator: "registeredOnTime", denominator: "registered")),
            .init("accurateRegistrationRate", "准确立案率", .rate(numerator: "accurateRegistrations", denominator: "registered")),
            .init("onTimeClosureRate", "按时结案率", .rate(numerator: "closuresOnTime", denominator: "closures")),
        ]
        case .dispatcher: [
            .init("dispatches", "派遣数", .count("dispatches")),
            .init("onTimeDispatchRate", "按时派遣率", .rate(numerator: "dispatchesOnTime", denominator: "dispatches")),
            .init("accurateDispatchRate", "准确派遣率", .rate(numerator: "accurateDispatches", denominator: "dispatches")),
        ]
        case .region: [
            .init("registered", "立案数", .count("registered"), lowerIsBetter: true),
            .init("registrationDensity", "立案密度(每万平方米)", .perTenThousandSquareMetres("registered"), lowerIsBetter: true),
            .init("publicReportRate", "监督举报率", .rate(numerator: "publicReports", denominator: "registered"), lowerIsBetter: true),
            .init("closureRate", "结案率", .rate(numerator: "closed", denominator: "toClose")),
            .init("onTimeClosureRate", "按期结案率", .rate(numerator: "closedOnTime", denominator: "toClose")),
        ]
        }
    }

    /// The keys the store must count (the others are derived).
    public var countedKeys: [String] {
        counts.filter { $0.derivation == .counted }.map(\.key)
    }

    public func indicator(_ id: String) -> IndicatorDefinition? { indicators.first { $0.id == id } }
}
