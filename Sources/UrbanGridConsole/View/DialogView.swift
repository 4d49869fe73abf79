import UrbanGridCore

/// Dialogs drawn as a framed box over the screen.
enum DialogView {
    static func draw(_ dialog: Dialog, _ m: ConsoleModel, on g: inout TextGrid) {
        let l = m.language
        switch dialog {
        case .help:
            // Two columns: the workflow actions, then the screen's other keys.
            let actions = KeyMap.actionKeys.map { "\($0.key)  \(l.name($0.action))" }
            let others = KeyMap.generalHints(caseScreen: false, language: l)
                + ["Tab/m " + Label.keyMap.text(l), "Esc " + Label.keyBack.text(l)]
            let left = (actions.map { DisplayWidth.of($0) }.max() ?? 0) + 3
            let body = (0..<max(actions.count, others.count)).map { i in
                StyledLine([(TextFit.fit(i < actions.count ? actions[i] : "", to: left), Style(.yellow)),
                            (i < others.count ? others[i] : "", .plain)])
            }
            box(title: Label.helpTitle.text(l), body: body, footer: Label.helpDismiss.text(l), on: &g)
        case .search(let edit):
            box(title: Label.filterText.text(l), body: [StyledLine([("> " + edit.text + "▏", .bold)])],
                footer: "Enter " + Label.confirm.text(l) + "  Esc " + Label.cancel.text(l), on: &g)
        case .picker(let p):
            let visible = max(1, g.height - 8)
            let first = max(0, min(p.selected - visible / 2, p.options.count - visible))
            let body = p.options.enumerated().dropFirst(first).prefix(visible).map { i, o in
                StyledLine([((i == p.selected ? "▶ " : "  ") + o.label, i == p.selected ? Style.selected : .plain)])
            }
            box(title: p.title, body: Array(body), footer: "↑↓  Enter " + Label.confirm.text(l) + "  Esc " + Label.cancel.text(l), on: &g)
        case .action(let a):
            var body: [StyledLine] = [StyledLine([("\(l.name(a.action)) \(a.number)?", .bold)])]
            if !a.departments.isEmpty {
                body.append(StyledLine([(Label.department.text(l) + " (↑↓):", Style(.cyan))]))
                let visible = max(1, min(a.departments.count, g.height - 12))
                let first = max(0, min(a.selected - visible / 2, a.departments.count - visible))
                for (i, d) in a.departments.enumerated().dropFirst(first).prefix(visible) {
                    let mark = d.code == a.suggested ? " ★" + Label.suggested.text(l) : ""
                    let text = (i == a.selected ? "▶ " : "  ") + "\(d.code) \(l == .zh ? d.nameZh : d.nameEn)" + mark
                    body.append(StyledLine([(text, i == a.selected ? Style.selected : .plain)]))
                }
            }
            let required = KeyMap.noteRequired.contains(a.action) ? " *" : ""
            body.append(StyledLine([(Label.note.text(l) + required + ": ", Style(.cyan)), (a.note.text + "▏", .bold)]))
            if let e = a.error { body.append(StyledLine([(e, Style(.red, bold: true))])) }
            box(title: Label.confirmAction.text(l), body: body,
                footer: "Enter " + Label.confirm.text(l) + "  Esc " + Label.cancel.text(l), on: &g)
        }
    }

    /// A centred box sized to its content and the screen.
    static func box(title: String, body: [StyledLine], footer: String, on g: inout TextGrid) {
        let contentWidth = ([title, footer] + body.map(\.text)).map { DisplayWidth.of($0) }.max() ?? 10
        let width = min(g.width, max(30, contentWidth + 4))
        let height = min(g.height, body.count + 4)
        guard width >= 6, height >= 4 else { return }
        let top = (g.height - height) / 2, left = (g.width - width) / 2
        let frame = Style(.title, bold: true)
        for r in top..<(top + height) { g.fill(row: r, column: left, count: width, style: .plain) }
        g.put("┌" + String(repeating: "─", count: width - 2) + "┐", row: top, column: left, style: frame)
        g.put(" " + TextFit.truncate(title, to: width - 6) + " ", row: top, column: left + 2, style: frame)
        for r in (top + 1)..<(top + height - 1) {
            g.put("│", row: r, column: left, style: frame)
            g.put("│", row: r, column: left + width - 1, style: frame)
        }
        g.put("└" + String(repeating: "─", count: width - 2) + "┘", row: top + height - 1, column: left, style: frame)
        for (i, line) in body.prefix(height - 4).enumerated() {
            var x = left + 2
            for s in line.segments {
                x += g.put(s.text, row: top + 1 + i, column: x, style: s.style, limit: left + width - 2 - x)
            }
        }
        g.put(TextFit.truncate(footer, to: width - 4), row: top + height - 2, column: left + 2, style: Style(dim: true))
    }
}
