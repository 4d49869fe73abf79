import Hummingbird
import Synchronization

/// Answers of the features API for base layers, kept until the base geography changes (its
/// version is read on every request) and within a byte budget, oldest evicted first. Map
/// clients and departments' systems ask the same pages again and again; cases are never cached.
final class FeatureResponseCache: Sendable {
    struct Entry: Sendable {
        var version: Int64
        var etag: String
        var page: FeatureRoutes.Rendered
        var bytes: Int { page.body.readableBytes }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var bytes = 0
    }

    private let state = Mutex(State())
    private let tags = Atomic<Int>(0)

    /// A new ETag suffix: unique within the process; the base version makes it unique across changes.
    func nextTag() -> Int { tags.add(1, ordering: .relaxed).newValue }
    let budget: Int

    init(budgetBytes: Int) { budget = budgetBytes }

    var isEnabled: Bool { budget > 0 }

    func get(_ key: String, version: Int64) -> Entry? {
        state.withLock { s in
            guard let e = s.entries[key], e.version == version else { return nil }
            return e
        }
    }

    func put(_ key: String, _ entry: Entry) {
        guard entry.bytes <= budget / 8 else { return }   // one page may not crowd out the rest
        state.withLock { s in
            if let old = s.entries[key] { s.bytes -= old.bytes } else { s.order.append(key) }
            s.entries[key] = entry
            s.bytes += entry.bytes
            while s.bytes > budget, !s.order.isEmpty {
                let oldest = s.order.removeFirst()
                if let gone = s.entries.removeValue(forKey: oldest) { s.bytes -= gone.bytes }
            }
        }
    }
}
