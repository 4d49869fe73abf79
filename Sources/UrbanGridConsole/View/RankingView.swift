import UrbanGridCore

/// The ranking screen: what is ranked for which month, column titles and one row per object by rank,
/// the grade in its colour.
enum RankingView {
    static func draw(_ r: RankingState, _ m: ConsoleModel, on g: inout TextGrid, layout: ScreenLayout) {
        let l = m.language
        let count = l.pick("共 \(r.rows.count) 个", "\(r.rows.count) rows")
        let title = "\(Label.rankingTitle.text(l)) · \(l.name(r.object)) · \(r.month.label) · \(count)"
        g.put(TextFit.truncate(title, to: g.width), row: layout.subheaderRow, column: 0, style: Style(.cyan, bold: true))
        let cols = RankingColumns.columns(r.object, l)
        let widths = ColumnLayout.widths(cols, total: g.width)
        g.put(ColumnLayout.row(cols.map(\.title), columns: cols, widths: widths), row: layout.columnTitleRow, column: 0, style: .bold)
        if r.rows.isEmpty {
            let text = r.loading ? Label.loading.text(l) : Label.noRanking.text(l)
            g.put(text, row: layout.firstListRow, column: 2, style: Style(dim: true))
            return
        }
        for (offset, row) in r.rows.dropFirst(r.top).prefix(layout.listRows).enumerated() {
            let line = layout.firstListRow + offset
            var x = 0
            for (i, text) in RankingColumns.cells(row, r.object).enumerated() {
                guard i < widths.count, let w = widths[i] else { continue }
                let style = i == 3 ? Style(RankingState.tint(grade: row.grade), bold: true) : Style.plain
                g.put(TextFit.fit(text, to: w, alignment: cols[i].alignment), row: line, column: x, style: style)
                x += w + 1
            }
        }
    }
}
