import Foundation
import Testing
import UrbanGridCore
@testable import UrbanGridConsole

// Whole screens rendered from a model, read as text, at 80 × 24 and larger.

@Suite struct ConsoleScreenTests {
    func model(width: Int, height: Int, language: Language = .zh) -> ConsoleModel {
        var m = ConsoleModel(language: language, user: Fixtures.dispatcher, server: "http://127.0.0.1:8080")
        m.resize(width: width, height: height)
        let lights: [AlertLight] = [.green, .yellow, .red]
        var cases: [CaseView] = []
        for i in 1...30 {
            let deadline = Fixtures.t0.addingTimeInterval(Double(i) * 60)
            let type = i % 2 == 0 ? "机动车乱停放" : "Exposed garbage"
            let department: String? = i % 4 == 0 ? "城管执法" : nil
            cases.append(Fixtures.caseView(id: Int64(i), light: lights[i % 3], deadline: deadline,
                                           remaining: Double(i * 600 - 6000), type: type, department: department,
                                           allowed: [.dispatch, .void]))
        }
        _ = m.receive(.queue(.success(cases)))
        return m
    }

    @Test func queueAt80x24FitsAndLinesUp() {
        let g = ConsoleView.render(model(width: 80, height: 24))
        for row in 0..<24 { #expect(DisplayWidth.of(g.line(row)) == 80, "row \(row)") }
        #expect(g.line(0).contains("派遣员小王"))
        #expect(g.line(2).hasPrefix("灯  案卷号"))
        #expect(g.line(3).hasPrefix("●红 20260529-"))        // red first
        #expect(g.line(23).contains("q 退出") || g.line(22).contains("q 退出"))
        #expect(g.line(22).contains("d 派遣"))
        // Every case row has its number at the same column, whatever the width of what is left of it.
        let starts = (3..<21).map { row in Self.column(of: "20260529-", in: g, row: row) }
        #expect(Set(starts) == [4])
    }

    @Test func englishAndWiderScreens() {
        var m = model(width: 120, height: 40, language: .en)
        _ = m.receive(.stream(.disconnected(.unreachable("connection refused"))))
        _ = m.receive(.stream(.retrying(after: 4)))
        let g = ConsoleView.render(m)
        #expect(g.line(0).contains("○ offline · reconnecting 4s"))
        #expect(g.line(2).contains("Street/community"))
        #expect(g.line(2).contains("Dept"))
        for row in 0..<40 { #expect(DisplayWidth.of(g.line(row)) == 120) }
    }

    @Test func caseScreenShowsFieldsTimelineAndMap() {
        var m = model(width: 120, height: 40)
        _ = m.handle(.enter)
        var full = m.detail!.view
        full.timeline = [CaseEvent(seq: 1, caseId: full.id, at: Fixtures.t0, actor: "inspector", actorRole: .inspector,
                                   action: "report", from: nil, to: .reported, department: nil, note: nil,
                                   summaryZh: "上报", summaryEn: "reported")]
        full.component = NearbyComponent(id: "99020101037000001", typeCode: "01037", typeNameZh: "路灯", typeNameEn: "Street light",
                                         name: "路灯 000001", status: "完好", distanceM: 3.2, lon: 104.39, lat: 31.13)
        _ = m.receive(.detail(.success(full)))
        let feature = try! MapFeature.decode(Data("""
            {"type":"Feature","id":"99020101037000001","geometry":{"type":"Point","coordinates":[104.39,31.13]},
             "properties":{"department":"CGZF","owner_dept":"LD","maintainer_dept":"LD","change_date":null}}
            """.utf8))
        _ = m.receive(.componentDepartments(full.id, ComponentDepartments(properties: feature.properties)))
        _ = m.receive(.photos(full.id, [PhotoItem(id: 3, step: "report", contentType: "image/jpeg", size: 2048,
                                                  filename: "a.jpg", uploadedBy: "inspector", at: "2026-05-29T08:00:00Z")]))
        let grid = MapFeature(id: full.grid.code, geometry: .polygons([[[
            MapPoint(0, 0), MapPoint(100, 0), MapPoint(100, 100), MapPoint(0, 100), MapPoint(0, 0)]]]))
        _ = m.receive(.map(full.id, .ready(MapScene(casePoint: MapPoint(40, 60), caseGridCode: full.grid.code, grids: [grid],
                                                     components: [], openCases: [], crs: "http://www.opengis.net/def/crs/EPSG/0/4544"))))
        let g = ConsoleView.render(m)
        let text = (0..<40).map { g.line($0) }.joined(separator: "\n")
        #expect(text.contains("案卷号"))
        #expect(text.contains("网格"))
        #expect(text.contains("处理过程"))
        #expect(text.contains("上报"))
        #expect(text.contains("#3 report a.jpg 2 KB"))
        #expect(text.contains("部件      99020101037000001 路灯 路灯 000001 [完好] 3 m"))
        #expect(text.contains("部件部门  主管 CGZF · 权属 LD · 养护 LD"))
        #expect(text.contains("@"))
        #expect(text.contains("EPSG:4544"))
        #expect(text.contains(" m"))                      // the scale bar's label
        for row in 0..<40 { #expect(DisplayWidth.of(g.line(row)) == 120) }
        // Detail labels are padded to one display width: values start in one column.
        let rows = (2..<8).map { g.line($0) }
        let valueStarts = rows.map { line -> Int in
            let label = line.prefix { $0 != " " }
            return DisplayWidth.of(label) + DisplayWidth.of(line.dropFirst(label.count).prefix { $0 == " " })
        }
        #expect(Set(valueStarts).count == 1)
    }

    @Test func narrowCaseScreenTogglesTheMapAndShowsWhyItIsMissing() {
        var m = model(width: 80, height: 24)
        _ = m.handle(.enter)
        _ = m.receive(.map(m.detail!.view.id, .unavailable("地图不可用: 服务器未提供公里网坐标系")))
        _ = m.handle(.char("m"))
        let g = ConsoleView.render(m)
        let text = (0..<24).map { g.line($0) }.joined(separator: "\n")
        #expect(text.contains("地图不可用"))
        for row in 0..<24 { #expect(DisplayWidth.of(g.line(row)) == 80) }
    }

    @Test func dispatchDialogAt80x24() {
        var m = model(width: 80, height: 24)
        m.departments = Fixtures.departments
        _ = m.handle(.char("d"))
        let text = (0..<24).map { ConsoleView.render(m).line($0) }.joined(separator: "\n")
        #expect(text.contains("确认操作"))
        #expect(text.contains("▶ CG 城管执法"))
        #expect(text.contains("意见"))
    }

    /// The display column where `needle` starts in a row.
    static func column(of needle: String, in g: TextGrid, row: Int) -> Int? {
        let line = g.line(row)
        guard let r = line.range(of: needle) else { return nil }
        return DisplayWidth.of(line[..<r.lowerBound])
    }
}
