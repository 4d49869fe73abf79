import Foundation
import GRDB
import UrbanGridCore

extension CityStore {
    /// The evaluation (综合评价) of one kind of object over `period`, as of `now`: the counts from the
    /// step facts, then Core's rates, scores, grades and ranks under the city's score cards.
    public func evaluate(_ object: EvaluationObject, period: EvaluationPeriod, now: Date = Date()) throws -> EvaluationReport {
        let (start, end) = period.interval(timeZone: rules.calendar.timeZone)
        let asOf = min(end, now)
        let subjects = try pool.read { db in
            try Self.prepareForScans(db)
            return try Self.evaluationSubjects(db, object, window: EvaluationWindow(
                start: Timestamps.format(start), end: Timestamps.format(max(start, asOf)), now: Timestamps.format(now)))
        }
        return Evaluation.report(object: object, period: period, timeZone: rules.calendar.timeZone, start: start,
                                 end: end, asOf: asOf, subjects: subjects, profile: rules.evaluation)
    }

    /// An evaluation reads a month of steps in a few range scans: through memory-mapped I/O and a page
    /// cache of 32 MB on the reading connection, rather than one read system call per 4 KB page.
    static func prepareForScans(_ db: Database) throws {
        try db.execute(sql: "PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -32768")
    }

    /// Every object of the kind (all departments, all users of the post, all areas of the level), with
    /// its counts; objects with nothing to count are listed with zeros.
    static func evaluationSubjects(_ db: Database, _ object: EvaluationObject,
                                   window w: EvaluationWindow) throws -> [EvaluationSubject] {
        switch object {
        case .department:
            let counts = try EvaluationQueries.department(db, w)
            return try Row.fetchAll(db, sql: "SELECT code, name_zh FROM department ORDER BY code").map {
                EvaluationSubject(id: $0[0], name: $0[1], counts: counts[$0[0]] ?? [:])
            }
        case .inspector, .operator_, .shiftLeader, .dispatcher:
            let counts: EvaluationQueries.Counts = switch object {
            case .inspector: try EvaluationQueries.inspector(db, w)
            case .operator_: try EvaluationQueries.operator_(db, w)
            case .shiftLeader: try EvaluationQueries.shiftLeader(db, w)
            default: try EvaluationQueries.dispatcher(db, w)
            }
            return try Row.fetchAll(db, sql: "SELECT id, username FROM user WHERE role = ? ORDER BY username",
                                    arguments: [object.role?.rawValue]).map { row in
                let id: Int64 = row[0]
                return EvaluationSubject(id: row[1], name: row[1], counts: counts[String(id)] ?? [:])
            }
        case .grid, .community, .street, .district:
            return try regionSubjects(db, object, counts: EvaluationQueries.grid(db, w))
        }
    }

    /// Grids with their own counts; communities, streets and districts with the sums over their grids
    /// (counts and area).
    static func regionSubjects(_ db: Database, _ level: EvaluationObject,
                               counts: EvaluationQueries.Counts) throws -> [EvaluationSubject] {
        let parentColumn = switch level {
        case .grid: "g.code"
        case .community: "g.community_code"
        case .street: "c.street_code"
        default: "s.district_code"
        }
        let names = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: """
            SELECT code, name_zh FROM community UNION ALL SELECT code, name_zh FROM street
            UNION ALL SELECT code, name_zh FROM district
            """).map { ($0[0] as String, $0[1] as String) })
        var subjects: [String: EvaluationSubject] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT g.code, \(parentColumn), g.area_m2 FROM grid g
            JOIN community c ON c.code = g.community_code JOIN street s ON s.code = c.street_code
            """) {
            let grid: String = row[0], id: String = row[1], area: Double = row[2]
            var subject = subjects[id] ?? EvaluationSubject(id: id, name: names[id] ?? id, counts: [:], areaM2: 0)
            subject.areaM2 = (subject.areaM2 ?? 0) + area
            subject.counts.merge(counts[grid] ?? [:], uniquingKeysWith: +)
            subjects[id] = subject
        }
        return subjects.values.sorted { $0.id < $1.id }
    }
}
