/// Draws the whole console for a model: pure, so tests can read the screen a model makes.
public enum ConsoleView {
    public static func render(_ m: ConsoleModel) -> TextGrid {
        var g = TextGrid(width: m.width, height: m.height)
        let layout = ScreenLayout(width: m.width, height: m.height)
        guard m.width >= 20, m.height >= 8 else {
            g.put(m.language.pick("窗口太小", "window too small"), row: 0, column: 0)
            return g
        }
        switch m.screen {
        case .queue: QueueView.draw(m, on: &g, layout: layout)
        case .detail: if let d = m.detail { drawCase(d, m, on: &g, layout: layout) }
        case .ranking: if let r = m.ranking { RankingView.draw(r, m, on: &g, layout: layout) }
        }
        ChromeView.draw(m, on: &g, layout: layout)
        if let dialog = m.dialog { DialogView.draw(dialog, m, on: &g) }
        return g
    }

    static func drawCase(_ d: ConsoleModel.Detail, _ m: ConsoleModel, on g: inout TextGrid, layout: ScreenLayout) {
        let l = m.language
        let c = d.view
        let title = "\(Label.caseTitle.text(l)) \(c.number) · \(l.name(c.status)) · \(l == .zh ? c.typeNameZh : c.typeNameEn)"
        g.put(TextFit.truncate(title, to: g.width), row: layout.subheaderRow, column: 0,
              style: Style(QueueView.tint(c.step?.light), bold: true))
        let body = layout.bodyRows
        let mapWidth = layout.mapColumns
        let detailWidth = layout.detailColumns
        let showDetails = layout.splitsCaseScreen || !d.showMap
        let showMap = layout.splitsCaseScreen || d.showMap
        if showDetails {
            let lines = DetailLines.build(d, language: l, width: detailWidth)
            let first = min(d.scroll, max(0, lines.count - body.count))
            for (i, line) in lines.dropFirst(first).prefix(body.count).enumerated() {
                var x = 0
                for s in line.segments {
                    x += g.put(s.text, row: body.lowerBound + i, column: x, style: s.style, limit: detailWidth - x)
                }
            }
        }
        if showMap {
            let left = layout.splitsCaseScreen ? detailWidth + 1 : 0
            if layout.splitsCaseScreen {
                for r in body { g.put("│", row: r, column: detailWidth, style: Style(dim: true)) }
            }
            MapPaneView.draw(d.map, gridCode: c.grid.code, language: l, on: &g,
                             in: .init(top: body.lowerBound, left: left, width: mapWidth, height: body.count))
        }
    }
}
