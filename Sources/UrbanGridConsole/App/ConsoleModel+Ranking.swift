import Foundation
import UrbanGridCore

/// The ranking screen: `E` opens it (departments, this month), Tab / `o` and Shift-`O` change the
/// kind of object, ← → (or `[` `]`) the month, Esc or `q` go back to the queue.
extension ConsoleModel {
    mutating func openRanking(now: Date = Date(), timeZone: TimeZone = .current) -> [Command] {
        screen = .ranking
        let kinds = RankingState.kinds(for: user.role)
        let state = ranking ?? RankingState(object: kinds.contains(.department) ? .department : kinds[0],
                                            month: RankingMonth.containing(now, timeZone: timeZone))
        ranking = state
        return reloadRanking()
    }

    mutating func reloadRanking() -> [Command] {
        guard var r = ranking else { return [] }
        r.loading = true
        r.rows = []
        r.top = 0
        ranking = r
        return [.loadRanking(r.object, r.month)]
    }

    mutating func handleRanking(_ key: Key) -> [Command] {
        guard var r = ranking else { screen = .queue; return [] }
        let rows = ScreenLayout(width: width, height: height).listRows
        let lastTop = max(0, r.rows.count - rows)
        switch key {
        case .escape, .backspace, .char("q"):
            screen = .queue
            return []
        case .tab, .char("o"), .char("O"):
            r.object = RankingState.kind(after: r.object, by: key == .char("O") ? -1 : 1, role: user.role)
        case .left, .char("["): r.month = r.month.previous
        case .right, .char("]"): r.month = r.month.next
        case .char("R"): break
        case .char("?"):
            dialog = .help
            return []
        case .up: r.top = max(0, r.top - 1); ranking = r; return []
        case .down: r.top = min(lastTop, r.top + 1); ranking = r; return []
        case .pageUp: r.top = max(0, r.top - max(1, rows - 1)); ranking = r; return []
        case .pageDown: r.top = min(lastTop, r.top + max(1, rows - 1)); ranking = r; return []
        default: return []
        }
        status = nil
        ranking = r
        return reloadRanking()
    }

    /// An answer for the object and month on screen; any other is stale and dropped.
    mutating func receiveRanking(_ object: EvaluationObject, _ month: RankingMonth,
                                 _ result: Result<[EvaluationRow], APIError>) {
        guard var r = ranking, r.object == object, r.month == month else { return }
        r.loading = false
        switch result {
        case .success(let rows):
            r.rows = RankingState.ordered(rows)
        case .failure(let e):
            r.rows = []
            say("\(language.name(object)) \(month.label): \(e.message(language))", error: true)
        }
        ranking = r
    }
}
