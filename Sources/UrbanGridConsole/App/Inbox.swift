import Foundation

/// Messages from network tasks to the UI thread, which drains them between key presses.
final class Inbox: @unchecked Sendable {
    // @unchecked: every access to `items` holds `lock`.
    private let lock = NSLock()
    private var items: [Inbound] = []

    func post(_ message: Inbound) {
        lock.lock()
        items.append(message)
        lock.unlock()
    }

    func drain() -> [Inbound] {
        lock.lock()
        defer { items.removeAll(keepingCapacity: true); lock.unlock() }
        return items
    }
}
