import Foundation
import Synchronization

/// Makes committed WAL frames durable outside SQLite's write lock.
///
/// With `synchronous = FULL` the writer calls fdatasync(2) on the WAL inside every commit, and the
/// single writer waits for the disk before it can start the next transaction. `GroupCommit` commits
/// its batches with `synchronous = NORMAL` instead (the frames reach the OS, not yet the disk) and
/// hands their callers here: they are answered after an fdatasync of the WAL file that began after
/// their commit. That is the promise of FULL (an acknowledged write survives a power loss), while
/// the writer goes on with the next batch; one sync covers every batch committed while the
/// previous sync ran.
final class WALFlusher: Sendable {
    typealias Done = @Sendable (Result<Void, Error>) -> Void

    private struct State {
        var waiting: [Done] = []
        var flushing = false
    }

    /// The WAL file: the database's path with `-wal`.
    let walPath: String
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "urbangrid.wal-flusher")
    /// Makes the file durable; fdatasync(2) of `walPath` unless a test replaces it.
    private let flush: @Sendable (String) throws -> Void

    init(walPath: String, flush: @escaping @Sendable (String) throws -> Void = WALFlusher.syncWAL) {
        self.walPath = walPath
        self.flush = flush
    }

    /// Calls `done` once the frames committed before this call are on disk (or the sync failed).
    func afterCommit(_ done: @escaping Done) {
        let start = state.withLock { s in
            s.waiting.append(done)
            defer { s.flushing = true }
            return !s.flushing
        }
        if start { queue.async { self.run() } }
    }

    /// fdatasync(2) of the WAL. No WAL file means nothing waits in one: SQLite removes it only
    /// after checkpointing it into the database and syncing that.
    static func syncWAL(_ path: String) throws { try DurableFiles.sync(path: path, dataOnly: true, ifExists: true) }

    /// Syncs until nobody waits: each round takes everyone who arrived before it began.
    private func run() {
        while true {
            let round = state.withLock { s -> [Done] in
                let round = s.waiting
                s.waiting.removeAll()
                if round.isEmpty { s.flushing = false }
                return round
            }
            if round.isEmpty { return }
            let result = Result { try flush(walPath) }
            for done in round { done(result) }
        }
    }
}
