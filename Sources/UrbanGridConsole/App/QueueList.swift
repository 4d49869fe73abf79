import UrbanGridCore

/// The queue's rows in display order, with the selection kept on the same case (by id) while cases
/// arrive, change and leave.
public struct QueueList: Sendable {
    public private(set) var items: [CaseView] = []
    public private(set) var selected = 0
    /// First row shown.
    public private(set) var top = 0

    public init() {}

    public var selectedCase: CaseView? { items.indices.contains(selected) ? items[selected] : nil }

    public func contains(_ id: Int64) -> Bool { items.contains { $0.id == id } }

    public mutating func replaceAll(_ cases: [CaseView]) {
        let keep = selectedCase?.id
        items = QueueOrder.sorted(cases)
        reselect(keep)
    }

    /// Adds or updates a case; older data (by `updatedAt`) than what is shown is ignored.
    public mutating func upsert(_ c: CaseView) {
        let keep = selectedCase?.id
        if let i = items.firstIndex(where: { $0.id == c.id }) {
            if items[i].updatedAt > c.updatedAt { return }
            items.remove(at: i)
        }
        let at = items.firstIndex { QueueOrder.precedes(c, $0) } ?? items.count
        items.insert(c, at: at)
        reselect(keep)
    }

    public mutating func remove(_ id: Int64) {
        guard let i = items.firstIndex(where: { $0.id == id }) else { return }
        let wasSelected = i == selected
        let keep = selectedCase?.id
        items.remove(at: i)
        if wasSelected { selected = min(i, max(0, items.count - 1)) } else { reselect(keep) }
    }

    public mutating func move(by delta: Int) {
        guard !items.isEmpty else { return }
        selected = min(max(0, selected + delta), items.count - 1)
    }

    public mutating func moveTo(first: Bool) {
        selected = first ? 0 : max(0, items.count - 1)
    }

    /// Scrolls so the selection is visible in `rows` rows.
    public mutating func scroll(rows: Int) {
        guard rows > 0 else { return }
        if selected < top { top = selected }
        if selected >= top + rows { top = selected - rows + 1 }
        top = max(0, min(top, max(0, items.count - rows)))
    }

    private mutating func reselect(_ id: Int64?) {
        if let id, let i = items.firstIndex(where: { $0.id == id }) { selected = i }
        selected = min(selected, max(0, items.count - 1))
    }
}
