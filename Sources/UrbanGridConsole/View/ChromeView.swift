import UrbanGridCore

/// The frame around every screen: the header bar (title, user, link state), the status line and the
/// two-line help bar.
enum ChromeView {
    static func draw(_ m: ConsoleModel, on g: inout TextGrid, layout: ScreenLayout) {
        let l = m.language
        let bar = Style(.title, reverse: true)
        g.fill(row: layout.headerRow, style: bar)
        let link: (String, Style) = switch m.link {
        case .online: (Label.online.text(l), Style(.green, bold: true, reverse: true))
        case .connecting: (Label.reconnecting.text(l) + "…", Style(.yellow, bold: true, reverse: true))
        case .offline(_, let retry):
            (Label.offline.text(l) + (retry.map { " · " + Label.reconnecting.text(l) + " \(Int($0.rounded(.up)))s" } ?? ""),
             Style(.red, bold: true, reverse: true))
        }
        let linkWidth = DisplayWidth.of(link.0)
        let title = "\(Label.appTitle.text(l))  \(m.user.username) · \(l.name(m.user.role))"
        g.put(TextFit.truncate(title, to: max(0, g.width - linkWidth - 2)), row: layout.headerRow, column: 1, style: Style(.title, bold: true, reverse: true))
        g.put(link.0, row: layout.headerRow, column: max(0, g.width - linkWidth - 1), style: link.1)

        if let s = m.status {
            g.put(TextFit.truncate(s.text, to: g.width), row: layout.statusRow, column: 0,
                  style: s.isError ? Style(.red, bold: true) : Style(.cyan))
        } else if case .offline(let reason, _) = m.link {
            g.put(TextFit.truncate(reason, to: g.width), row: layout.statusRow, column: 0, style: Style(.red))
        }

        let caseScreen = if case .detail = m.screen { true } else { false }
        let actions = m.currentCase.map { KeyMap.actionHints($0.allowedActions, language: l) } ?? []
        let general = m.screen == .ranking ? KeyMap.rankingHints(language: l)
            : KeyMap.generalHints(caseScreen: caseScreen, language: l)
        let rows = Array(layout.helpRows)
        drawHints(actions.isEmpty ? general : actions, row: rows[0], on: &g, style: Style(.yellow, bold: true))
        if rows.count > 1 { drawHints(actions.isEmpty ? [] : general, row: rows[1], on: &g, style: Style(dim: true)) }
    }

    /// Hints separated by two spaces, as many as fit.
    static func drawHints(_ hints: [String], row: Int, on g: inout TextGrid, style: Style) {
        var x = 0
        for hint in hints {
            let w = DisplayWidth.of(hint)
            if x + w > g.width { break }
            g.put(hint, row: row, column: x, style: style)
            x += w + 2
        }
    }
}
