import Dispatch
import Foundation
import GRDB
import Synchronization

/// The attribute checks of a bulk import, run on another core ahead of the inserts: the writer
/// takes each feature's checked attributes in order, waiting only if the checker is behind. (The
/// checks were a fifth of an import's time; the inserts cannot leave the writer's thread.)
final class AttributesAhead: Sendable {
    typealias Checked = Result<AttributeRules.CheckedRow, LayerImporter.Failure>

    private let chunkSize: Int
    private let chunks: Mutex<[Int: [Checked]]>
    private let ready: [DispatchSemaphore]
    private let cancelled = Atomic<Bool>(false)

    /// Starts checking `features` (in this order) at once, on a background queue.
    init(_ features: [SourceFeature], rules: AttributeRules, chunkSize: Int = 8_192) {
        self.chunkSize = chunkSize
        let count = (features.count + chunkSize - 1) / chunkSize
        chunks = Mutex([:])
        ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            for c in 0..<count where !cancelled.load(ordering: .relaxed) {
                let checked = features[c * chunkSize..<min(features.count, (c + 1) * chunkSize)].map(rules.checked)
                chunks.withLock { $0[c] = checked }
                ready[c].signal()
            }
        }
    }

    /// Stops the checker after its current chunk. For after the last `forEach` (the import failed
    /// or is done): the chunks it then skips are never signalled.
    func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// The checked attributes of every feature, in order, chunk by chunk as they become ready.
    func forEach(_ body: (Int, Checked) throws -> Void) throws {
        for c in ready.indices {
            ready[c].wait()
            guard let checked = chunks.withLock({ $0.removeValue(forKey: c) }) else { throw CancellationError() }
            for (i, r) in checked.enumerated() { try body(c * chunkSize + i, r) }
        }
    }
}
