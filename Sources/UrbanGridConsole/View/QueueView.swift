import UrbanGridCore

/// The queue screen: the filter line, column titles and one row per case, worst light first.
enum QueueView {
    static func columns(_ l: Language) -> [Column] {
        [
            Column(Label.colLight.text(l), min: 3, max: 3, priority: 9),
            Column(Label.colNumber.text(l), min: 13, max: 13, priority: 8),
            Column(Label.colStatus.text(l), min: 8, max: 12, weight: 1, priority: 7),
            Column(Label.colType.text(l), min: 8, max: 30, weight: 4, priority: 6),
            Column(Label.colRemaining.text(l), min: 9, max: 10, priority: 5, alignment: .right),
            Column(Label.colPlace.text(l), min: 8, max: 26, weight: 3, priority: 3),
            Column(Label.colDepartment.text(l), min: 4, max: 12, weight: 1, priority: 2),
        ]
    }

    static func cells(_ c: CaseView, _ l: Language) -> [String] {
        let light = c.step.map { "●" + lightShort($0.light, l) } ?? "  "
        let remaining = c.step.map { DurationText.remaining(seconds: $0.remainingSeconds, paused: $0.paused, language: l) } ?? ""
        let type = (c.urgent ? l.pick("[急]", "[!]") : "") + (l == .zh ? c.typeNameZh : c.typeNameEn)
        let place = (l == .zh ? c.street.nameZh : c.street.nameEn) + "/" + (l == .zh ? c.community.nameZh : c.community.nameEn)
        return [light, c.number, l.name(c.status), type, remaining, place, c.department ?? c.suggestedDepartment.map { "→" + $0.department } ?? ""]
    }

    static func lightShort(_ light: AlertLight, _ l: Language) -> String {
        switch (light, l) {
        case (.red, .zh): "红"
        case (.yellow, .zh): "黄"
        case (.green, .zh): "绿"
        case (.red, .en): "R"
        case (.yellow, .en): "Y"
        case (.green, .en): "G"
        }
    }

    static func tint(_ light: AlertLight?) -> Tint {
        switch light {
        case .red: .red
        case .yellow: .yellow
        case .green: .green
        case nil: .normal
        }
    }

    static func draw(_ m: ConsoleModel, on g: inout TextGrid, layout: ScreenLayout) {
        let l = m.language
        g.put(TextFit.truncate(filterSummary(m), to: g.width), row: layout.subheaderRow, column: 0, style: Style(.cyan))
        let cols = columns(l)
        let widths = ColumnLayout.widths(cols, total: g.width)
        g.put(ColumnLayout.row(cols.map(\.title), columns: cols, widths: widths), row: layout.columnTitleRow, column: 0, style: .bold)
        if m.queue.items.isEmpty {
            let text = m.queueLoading ? Label.loading.text(l) : Label.emptyQueue.text(l)
            g.put(text, row: layout.firstListRow, column: 2, style: Style(dim: true))
            return
        }
        for (offset, c) in m.queue.items.dropFirst(m.queue.top).prefix(layout.listRows).enumerated() {
            let row = layout.firstListRow + offset
            let isSelected = m.queue.top + offset == m.queue.selected
            let base = isSelected ? Style.selected : Style.plain
            if isSelected { g.fill(row: row, style: base) }
            var x = 0
            for (i, text) in cells(c, l).enumerated() {
                guard let w = widths[i] else { continue }
                var style = base
                if i == 0 || i == 4 { style.tint = tint(c.step?.light); style.bold = c.step?.light == .red }
                g.put(TextFit.fit(text, to: w, alignment: cols[i].alignment), row: row, column: x, style: style)
                x += w + 1
            }
        }
    }

    static func filterSummary(_ m: ConsoleModel) -> String {
        let l = m.language
        let status: String = switch m.filter.status {
        case .roleQueue: Label.filterRoleQueue.text(l)
        case .allOpen: Label.filterAllOpen.text(l)
        case .only(let s): l.name(s)
        }
        var parts = ["\(Label.filterStatus.text(l)):\(status)"]
        if !m.filter.text.isEmpty { parts.append("\(Label.filterText.text(l)):\(m.filter.text)") }
        if let d = m.filter.department { parts.append("\(Label.filterDepartment.text(l)):\(d)") }
        if let s = m.filter.street {
            let name = m.streets[s].map { l == .zh ? $0.nameZh : $0.nameEn } ?? s
            parts.append("\(Label.filterStreet.text(l)):\(name)")
        }
        if let light = m.filter.light { parts.append("\(Label.filterLight.text(l)):\(l.name(light))") }
        let n = m.queue.items.count
        let count = l.pick("共 \(n) 件", n == 1 ? "1 case" : "\(n) cases")
        return "\(Label.queueTitle.text(l)) · \(count) · " + parts.joined(separator: "  ")
    }
}
