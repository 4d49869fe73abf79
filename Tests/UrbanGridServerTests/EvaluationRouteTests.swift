// GET /api/v1/evaluation and /api/v1/evaluation/grid-counts on the real server: one case taken through
// the whole workflow over HTTP now (steps of milliseconds are on time whatever the hour), then the
// month's evaluation as JSON and CSV, who may see which rows, and the problems for wrong parameters.

import Foundation
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

/// The current month in the sample city's time zone, e.g. "2026-11".
private func currentMonth() -> String {
    var c = Calendar(identifier: .gregorian)
    c.timeZone = TimeZone(identifier: "Europe/Helsinki")!
    let parts = c.dateComponents([.year, .month], from: Date())
    return String(format: "%04d-%02d", parts.year!, parts.month!)
}

private struct ReportBody: Decodable {
    struct Row: Decodable {
        var rank: Int?, id: String, counts: [String: Int], score: Double?, grade: String?
        var indicators: [Indicator]
    }
    struct Indicator: Decodable {
        struct Count: Decodable { var key: String; var value: Int }
        var id: String, value: Double?, numerator: Count?, denominator: Count?
    }
    var object: String
    var period: EvaluationPeriod
    var rows: [Row]
}

extension CaseCrew {
    /// A report by the inspector, handled by HW, checked and closed: 1 case, every step done in time.
    func closedCase() async throws -> Int64 {
        let (p, _) = try ordinaryPoint()
        let c = try await handling(CaseCrew.event("06010", at: p))
        try await act(c.id, .finish, ActionInput(note: "cleared"), as: hw, expect: .handled)
        try await act(c.id, .sendCheck, as: operator_, expect: .checking)
        try await act(c.id, .check, ActionInput(passed: true), as: inspector, expect: .awaitingClose)
        try await act(c.id, .close, as: shiftLeader, expect: .closed)
        return c.id
    }

    func evaluation(_ query: [(String, String)], as user: Session) async throws -> HTTPResult {
        try await server.get("api/v1/evaluation", query: query, as: user)
    }
}

@Suite struct EvaluationRouteTests {
    @Test func departmentsOfTheMonthAsJSONAndCSV() async throws {
        try await withCaseServer { crew in
            _ = try await crew.closedCase()
            let month = currentMonth()
            let r = try await crew.evaluation([("object", "department"), ("period", month)], as: crew.admin)
            #expect(r.status == 200 && r.header("content-type") == "application/json; charset=utf-8", "\(r)")
            let body = try r.decode(ReportBody.self)
            #expect(body.object == "department" && body.period.label == month && body.rows.count == 15)
            // HW: 1 dispatched, finished on time and closed. 立案数 1 ≤ 50 → 100; 结案率, 按期处置率 100 %;
            // 返工率 0 % → 100: (10 + 30 + 30 + 30) × 100 / 100 = 100 → A, first.
            let hw = try #require(body.rows.first)
            #expect(hw.id == "HW" && hw.rank == 1 && hw.score == 100 && hw.grade == "A")
            #expect(hw.counts["dispatched"] == 1 && hw.counts["handled"] == 1 && hw.counts["handledOnTime"] == 1)
            #expect(hw.counts["toHandle"] == 1 && hw.counts["closed"] == 1 && hw.counts["toClose"] == 1)
            let rate = try #require(hw.indicators.first { $0.id == "onTimeHandlingRate" })
            #expect(rate.value == 100 && rate.numerator?.key == "handledOnTime" && rate.numerator?.value == 1)
            #expect(rate.denominator?.key == "toHandle" && rate.denominator?.value == 1)
            // The others had nothing to do: no score, after HW.
            #expect(body.rows.dropFirst().allSatisfy { $0.score == nil && $0.rank == nil })

            let csv = try await crew.evaluation([("object", "department"), ("period", month), ("format", "csv")], as: crew.admin)
            #expect(csv.status == 200 && csv.header("content-type") == "text/csv; charset=utf-8")
            #expect(csv.header("content-disposition") == "attachment; filename=\"evaluation-department-\(month).csv\"")
            let table = try CSV.parse(csv.text)
            #expect(table.rows.count == 15 && table.header.prefix(5) == ["rank", "id", "name", "grade", "score"])
            let line = try #require(table.records.first)
            #expect(line["id"] == "HW" && line["score"] == "100.00" && line["grade"] == "A" && line["handled"] == "1")
        }
    }

    @Test func departmentStaffAndInspectorsSeeTheirOwnRowOnly() async throws {
        try await withCaseServer { crew in
            _ = try await crew.closedCase()
            let month = currentMonth()
            let own = try await crew.evaluation([("object", "department"), ("period", month)], as: crew.cgzf)
            #expect(try own.decode(ReportBody.self).rows.map(\.id) == ["CGZF"])
            expectProblem(try await crew.evaluation([("object", "inspector"), ("period", month)], as: crew.hw), 403)
            // The inspector: reported 1 (registered: valid) and checked 1 on time. No beat, no verification:
            // those terms drop out; (40 × 100 + 20 × 100) / 60 = 100.
            let mine = try await crew.evaluation([("object", "inspector"), ("period", month)], as: crew.inspector)
            let rows = try mine.decode(ReportBody.self).rows
            #expect(rows.map(\.id) == [crew.inspector.username])
            #expect(rows.first?.counts["reports"] == 1 && rows.first?.counts["checkedOnTime"] == 1 && rows.first?.score == 100)
            expectProblem(try await crew.evaluation([("object", "grid"), ("period", month)], as: crew.inspector), 403)
            // The centre's roles see every row.
            let all = try await crew.evaluation([("object", "inspector"), ("period", month)], as: crew.dispatcher)
            #expect(try all.decode(ReportBody.self).rows.count == 2)
        }
    }

    @Test func wrongParametersAreNamed() async throws {
        try await withCaseServer { crew in
            expectProblem(try await crew.evaluation([("object", "department")], as: crew.admin), 400, field: "period")
            expectProblem(try await crew.evaluation([("object", "team"), ("period", "2026-11")], as: crew.admin), 400, field: "object")
            expectProblem(try await crew.evaluation([("object", "department"), ("period", "2026-13")], as: crew.admin), 400, field: "period")
            expectProblem(try await crew.evaluation([("object", "department"), ("period", "2026-11"), ("format", "xlsx")], as: crew.admin),
                          400, field: "format")
            expectProblem(try await crew.evaluation([("object", "department"), ("period", "2026-11"), ("sort", "x")], as: crew.admin),
                          400, field: "sort")
            let anonymous = try await crew.server.get("api/v1/evaluation", query: [("object", "department"), ("period", "2026-11")], as: nil)
            expectProblem(anonymous, 401)
        }
    }

    @Test func gridCountsAreAGeoJSONFeatureCollection() async throws {
        try await withCaseServer { crew in
            let id = try await crew.closedCase()
            let grid = try await crew.view(id).grid.code
            let r = try await crew.server.get("api/v1/evaluation/grid-counts", query: [("period", currentMonth())], as: crew.hw)
            #expect(r.status == 200 && r.header("content-type") == "application/geo+json", "\(r)")
            let json = try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any])
            let features = try #require(json["features"] as? [[String: Any]])
            // Every grid of the sample city, the case's with 1 reported, registered and closed.
            #expect(features.count == crew.city.grids.count)
            let mine = try #require(features.first { $0["id"] as? String == grid })
            let properties = try #require(mine["properties"] as? [String: Any])
            #expect(properties["reported"] as? Int == 1 && properties["registered"] as? Int == 1 && properties["closed"] as? Int == 1)
            #expect((mine["geometry"] as? [String: Any])?["type"] as? String == "MultiPolygon")
            let others = features.filter { $0["id"] as? String != grid }
            #expect(others.allSatisfy { ($0["properties"] as? [String: Any])?["reported"] as? Int == 0 })
        }
    }
}
