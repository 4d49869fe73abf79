import Foundation
import GRDB
import UrbanGridCore

/// A city's working calendar, dispatch rules (立案、处置、结案标准) and evaluation score cards, read from
/// `gis-data/<city>/calendar.json`, `dispatch-rules.json` and `evaluation.json` when the database is
/// created and kept in it, so a database carries everything its deadlines and scores depend on.
public struct CityRules: Sendable {
    public var calendar: WorkCalendar
    public var dispatch: DispatchRuleSet
    /// Weights, bands and grades of the evaluation (综合评价); the standard's when the file is absent.
    public var evaluation: EvaluationProfile = .standard

    static func load(cityDirectory: URL, profile: CityProfile) throws -> CityRules {
        let decoder = JSONDecoder()
        let calendarFile = cityDirectory.appendingPathComponent("calendar.json")
        let rulesFile = cityDirectory.appendingPathComponent("dispatch-rules.json")
        let evaluationFile = cityDirectory.appendingPathComponent("evaluation.json")
        let calendar = FileManager.default.fileExists(atPath: calendarFile.path)
            ? try decoder.decode(WorkCalendar.self, from: Data(contentsOf: calendarFile))
            : try WorkCalendar.standard(timeZone: profile.timeZone)
        let dispatch = FileManager.default.fileExists(atPath: rulesFile.path)
            ? try decoder.decode(DispatchRuleSet.self, from: Data(contentsOf: rulesFile))
            : DispatchRuleSet(rules: [])
        let evaluation = FileManager.default.fileExists(atPath: evaluationFile.path)
            ? try decoder.decode(EvaluationProfile.self, from: Data(contentsOf: evaluationFile))
            : EvaluationProfile.standard
        return CityRules(calendar: calendar, dispatch: dispatch, evaluation: evaluation)
    }

    func save(_ db: Database) throws {
        let encoder = JSONEncoder()
        for (key, value) in [("calendar", try encoder.encode(calendar)), ("dispatch_rules", try encoder.encode(dispatch)),
                             ("evaluation", try encoder.encode(evaluation))] {
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                           arguments: [key, String(decoding: value, as: UTF8.self)])
        }
    }

    static func read(_ db: Database, profile: CityProfile) throws -> CityRules {
        let decoder = JSONDecoder()
        let calendar = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'calendar'")
            .map { try decoder.decode(WorkCalendar.self, from: Data($0.utf8)) } ?? WorkCalendar.standard(timeZone: profile.timeZone)
        let dispatch = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'dispatch_rules'")
            .map { try decoder.decode(DispatchRuleSet.self, from: Data($0.utf8)) } ?? DispatchRuleSet(rules: [])
        let evaluation = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'evaluation'")
            .map { try decoder.decode(EvaluationProfile.self, from: Data($0.utf8)) } ?? EvaluationProfile.standard
        return CityRules(calendar: calendar, dispatch: dispatch, evaluation: evaluation)
    }
}
