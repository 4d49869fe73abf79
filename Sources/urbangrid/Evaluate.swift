import ArgumentParser
import Foundation
import UrbanGridCore
import UrbanGridStore

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Comprehensive evaluation (综合评价) of departments, posts or areas over a period.",
        discussion: """
            Objects: \(EvaluationObject.allCases.map(\.rawValue).joined(separator: ", ")) (comma-separated for several).
            Periods: 2026-11-23 (day), 2026-W48 (ISO week), 2026-11 (month), 2026-Q4 (quarter),
            2026-11-01..2026-11-15 (custom, both days included), in the city's time zone.
            JSON gives every count behind every rate; csv one line per object; table a ranking.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "What to evaluate, e.g. department or department,inspector,operator,shift-leader,dispatcher.")
    var object: String
    @Option(help: "The period.") var period: String
    @Option(help: "json, csv (one object only) or table.") var format = "json"
    @Option(name: .customLong("as-of"), help: "Evaluate as at this RFC 3339 instant instead of now (to reproduce a report).")
    var asOf: String?

    func run() throws {
        let objects = try object.split(separator: ",").map { name in
            guard let o = EvaluationObject(rawValue: String(name)) else {
                throw ValidationError("unknown object '\(name)'; one of \(EvaluationObject.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return o
        }
        guard ["json", "csv", "table"].contains(format) else { throw ValidationError("--format is json, csv or table") }
        guard format != "csv" || objects.count == 1 else { throw ValidationError("--format csv takes one object") }
        let period: EvaluationPeriod
        do { period = try EvaluationPeriod.parse(self.period) } catch { throw ValidationError(error.description) }
        var now = Date()
        if let asOf {
            guard let d = try? Date(asOf, strategy: .iso8601) else { throw ValidationError("--as-of must be an RFC 3339 instant") }
            now = d
        }
        let store = try database.openStore()
        let reports = try objects.map { try store.evaluate($0, period: period, now: now) }
        switch format {
        case "csv":
            print(reports[0].csv(), terminator: "")
        case "table":
            for report in reports { print(table(report)) }
        default:
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let data = reports.count == 1 ? try encoder.encode(reports[0]) : try encoder.encode(reports)
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// A ranking for the terminal: rank, grade, score, id, name.
    func table(_ report: EvaluationReport) -> String {
        var lines = ["\(report.object.nameZh) \(report.object.rawValue) \(report.period.label) (as of \(report.asOf.formatted(.iso8601)))"]
        for row in report.rows {
            let score = row.score.map { String(format: "%6.2f", $0) } ?? "     -"
            lines.append("\(row.rank.map { String(format: "%4d", $0) } ?? "   -")  \(row.grade ?? "-")  \(score)  \(row.id)  \(row.name)")
        }
        return lines.joined(separator: "\n")
    }
}
