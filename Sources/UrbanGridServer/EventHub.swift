import Foundation

/// Wakes the event streams when a case changes. Streams read what changed from the audit log
/// (the single source of truth), so a wake-up carries no data and a missed one only delays.
actor EventHub {
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    /// Waits already ended before their continuation was registered.
    private var ended: Set<UUID> = []

    /// Called after a write has committed.
    func notify() {
        let all = waiters
        waiters.removeAll()
        for (_, c) in all { c.resume() }
    }

    /// Returns at the next `notify()` or after `timeout`, whichever is first.
    func wait(timeout: Duration) async {
        let id = UUID()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.suspend(id) }
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

    private func suspend(_ id: UUID) async {
        if ended.contains(id) { return }
        await withCheckedContinuation { waiters[id] = $0 }
    }

    private func wake(_ id: UUID) {
        if let c = waiters.removeValue(forKey: id) { c.resume() } else { ended.insert(id) }
    }
}
