import Foundation

/// Wakes the event streams and the webhook deliverer when a case changes. They read what changed
/// from the audit log (the single source of truth), so a wake-up carries no data.
actor EventHub {
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    /// Waits already ended before their continuation was registered.
    private var ended: Set<UUID> = []
    /// Notifications so far. A reader takes it before it looks for changes and waits only while it
    /// is unchanged, so a notification between the look and the wait is not lost.
    private(set) var generation: UInt64 = 0

    /// Set once the server shuts down gracefully: event streams end instead of holding the shutdown
    /// up forever.
    private(set) var closing = false

    func close() {
        closing = true
        notify()
    }

    /// Called after a write has committed.
    func notify() {
        generation &+= 1
        let all = waiters
        waiters.removeAll()
        for (_, c) in all { c.resume() }
    }

    /// Returns at once if `notify()` was called since `generation` was `seen`, else at the next
    /// `notify()` or after `timeout`, whichever is first.
    func wait(since seen: UInt64, timeout: Duration) async {
        guard generation == seen else { return }
        let id = UUID()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.suspend(id, since: seen) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                await self.wake(id)
            }
            await group.next()
            group.cancelAll()
            self.wake(id)
        }
        ended.remove(id)
    }

    private func suspend(_ id: UUID, since seen: UInt64) async {
        if ended.contains(id) || generation != seen { return }
        await withCheckedContinuation { waiters[id] = $0 }
    }

    private func wake(_ id: UUID) {
        if let c = waiters.removeValue(forKey: id) { c.resume() } else { ended.insert(id) }
    }
}
