import Foundation
import Testing
import UrbanGridCore
@testable import UrbanGridConsole

// The ranking screen's pure parts: order, cells and their layout, grade colours, months, keys.

@Suite struct ConsoleRankingTests {
    /// A row as the server sends it (Core's `EvaluationRow` has no public initialiser).
    static func row(_ id: String, _ name: String, rank: Int?, score: Double?, grade: String?,
                    onTime: (Int, Int)? = (9, 10)) -> EvaluationRow {
        var json: [String: Any] = ["id": id, "name": name, "counts": ["handled": 9], "weightApplied": 100]
        if let rank { json["rank"] = rank }
        if let score { json["score"] = score }
        if let grade { json["grade"] = grade }
        var indicators: [[String: Any]] = [["id": "reworkRate", "nameZh": "返工率"]]
        if let (n, d) = onTime {
            indicators.append(["id": "onTimeHandlingRate", "nameZh": "按期处置率", "value": Double(n) * 100 / Double(d),
                               "numerator": ["key": "handledOnTime", "value": n], "denominator": ["key": "toHandle", "value": d]])
        }
        json["indicators"] = indicators
        let data = try! JSONSerialization.data(withJSONObject: json)
        return try! APIClient.decoder.decode(EvaluationRow.self, from: data)
    }

    static let rows = [
        row("YL", "园林绿化管理局", rank: 2, score: 81.5, grade: "B"),
        row("XX", "未评价部门", rank: nil, score: nil, grade: nil, onTime: nil),
        row("HW", "环境卫生管理处", rank: 1, score: 93.25, grade: "A"),
        row("SZ", "市政工程管理处(城市道路桥梁与排水设施养护中心)", rank: 2, score: 81.5, grade: "B"),
        row("CG", "城管执法局", rank: 4, score: 35, grade: "E"),
    ]

    @Test func orderedByRankTiesByNameUnrankedLast() {
        #expect(RankingState.ordered(Self.rows).map(\.id) == ["HW", "YL", "SZ", "CG", "XX"])
    }

    @Test func rowsAt80ColumnsWithChineseNamesLineUp() {
        var m = ConsoleModel(language: .zh, user: Fixtures.dispatcher, server: "http://127.0.0.1:8080")
        m.resize(width: 80, height: 24)
        let month = RankingMonth(year: 2026, month: 11)
        #expect(m.openRanking(now: Date(timeIntervalSince1970: 1_795_000_000), timeZone: TimeZone(identifier: "Asia/Shanghai")!)
                == [.loadRanking(.department, month)])
        _ = m.receive(.ranking(.department, month, .success(Self.rows)))
        let g = ConsoleView.render(m)
        for row in 0..<24 { #expect(DisplayWidth.of(g.line(row)) == 80, "row \(row)") }
        #expect(g.line(1).contains("综合评价排名 · 专业部门 · 2026-11"))
        #expect(g.line(2).contains("排名") && g.line(2).contains("按期处置率"))
        #expect(g.line(3).hasPrefix("   1 环境卫生管理处"))
        #expect(g.line(3).contains("93.25") && g.line(3).contains(" A ") && g.line(3).contains("90.0%"))
        #expect(g.line(5).contains("市政工程管理处") && g.line(5).contains("…"))       // cut to its column
        #expect(g.line(7).hasPrefix("   — 未评价部门") && g.line(7).contains(" — "))
        // Score, grade and rates start at the same display column on every row, whatever the name.
        let grade = (3...6).map { r in g.runs(r).first { $0.style.bold }?.column }
        #expect(Set(grade).count == 1)
        #expect(g.runs(3).contains { $0.text.contains("A") && $0.style.tint == .green })
        #expect(g.runs(6).contains { $0.text.contains("E") && $0.style.tint == .red })
        #expect(g.line(22).contains("Esc/q 返回") && g.line(22).contains("Tab/o 对象"))
    }

    @Test func gradeColours() {
        #expect(["A", "B", "C", "D", "E"].map { RankingState.tint(grade: $0) } == [.green, .green, .yellow, .red, .red])
        #expect(RankingState.tint(grade: nil) == .normal)
    }

    @Test func monthsStepAcrossYears() {
        #expect(RankingMonth(year: 2026, month: 1).previous.label == "2025-12")
        #expect(RankingMonth(year: 2025, month: 12).next.label == "2026-01")
        #expect(RankingMonth(year: 2026, month: 11).next.previous == RankingMonth(year: 2026, month: 11))
        // 2026-11-30T16:30Z is already December in Shanghai.
        let d = Date(timeIntervalSince1970: 1_796_056_200)
        #expect(RankingMonth.containing(d, timeZone: TimeZone(identifier: "Asia/Shanghai")!).label == "2026-12")
        #expect(RankingMonth.containing(d, timeZone: TimeZone(identifier: "UTC")!).label == "2026-11")
    }

    @Test func keysSwitchKindAndMonthAndGoBack() {
        var m = ConsoleModel(language: .en, user: Fixtures.dispatcher, server: "http://127.0.0.1:8080")
        _ = m.handle(.char("E"))
        let now = m.ranking!.month
        #expect(m.screen == .ranking)
        #expect(m.handle(.tab) == [.loadRanking(.inspector, now)])
        #expect(m.handle(.char("O")) == [.loadRanking(.department, now)])
        #expect(m.handle(.char("O")) == [.loadRanking(.district, now)])
        #expect(m.handle(.left) == [.loadRanking(.district, now.previous)])
        // A late answer for another month is dropped; a 403 lands in the status line.
        _ = m.receive(.ranking(.district, now, .success(Self.rows)))
        #expect(m.ranking!.rows.isEmpty && m.ranking!.loading)
        let denied = Problem("forbidden", status: 403, title: "Forbidden",
                             detail: "role dispatcher may not see the evaluation of districts", detailZh: "无权查看")
        _ = m.receive(.ranking(.district, now.previous, .failure(.problem(denied))))
        #expect(m.status?.isError == true && m.status!.text.contains("may not see"))
        #expect(!m.ranking!.loading)
        #expect(m.handle(.escape) == [] && m.screen == .queue)
        #expect(RankingState.kinds(for: .departmentStaff) == [.department])
        #expect(RankingState.kind(after: .inspector, by: 1, role: .inspector) == .inspector)
    }
}
