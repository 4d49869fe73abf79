import GRDB
import Synchronization

/// Group commit: concurrent writes of the same kind share one transaction, each in its own
/// savepoint, so a burst of N reports costs one commit instead of N.
///
/// Nothing waits on purpose: the first write starts at once on GRDB's writer queue, and the
/// writes that arrive while it commits form the next batch. Each caller is answered only after
/// the commit that holds its write succeeded and reached the disk (`WALFlusher`: the batches
/// commit with `synchronous = NORMAL` and the WAL is synced beside the writer, not inside its
/// lock); a write that throws rolls back its own savepoint and fails alone; a failed commit fails
/// the whole batch. Callers suspend (no thread is blocked), so the cooperative pool stays free.
final class GroupCommit<Output: Sendable>: Sendable {
    typealias Work = @Sendable (Database) throws -> Output

    private struct Job: Sendable {
        let work: Work
        let continuation: CheckedContinuation<Output, Error>
    }

    private struct State {
        var pending: [Job] = []
        var draining = false
    }

    private let writer: DatabasePool
    private let flusher: WALFlusher
    private let state = Mutex(State())
    /// Upper bound of one batch, so one transaction never grows without limit under load.
    private let maxBatch: Int

    init(writer: DatabasePool, maxBatch: Int = 256, flusher: WALFlusher? = nil) {
        self.writer = writer
        self.maxBatch = maxBatch
        self.flusher = flusher ?? WALFlusher(walPath: writer.path + "-wal")
    }

    func write(_ work: @escaping Work) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { s in
                s.pending.append(Job(work: work, continuation: continuation))
                defer { s.draining = true }
                return !s.draining
            }
            if start { writer.asyncWriteWithoutTransaction { db in self.drain(db) } }
        }
    }

    /// Runs `work` in a savepoint: released when it succeeds, rolled back (and its error returned)
    /// when it throws. Throws only when the savepoint itself fails (the transaction is lost).
    /// Cached statements, not GRDB's `inSavepoint`, which prepares its SQL every time.
    private static func inSavepoint(_ db: Database, _ work: () throws -> Output) throws -> Result<Output, Error> {
        try db.cachedStatement(sql: "SAVEPOINT group_commit").execute()
        do {
            let output = try work()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT group_commit").execute()
            return .success(output)
        } catch {
            try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT group_commit").execute()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT group_commit").execute()
            return .failure(error)
        }
    }

    /// Runs batches on the writer queue until nothing is pending, with `synchronous = NORMAL`;
    /// the connection's other writes (workflow actions, accounts…) keep its level (FULL, set by
    /// `CityStore`).
    private func drain(_ db: Database) {
        // Not cached statements: SQLite reads and sets `PRAGMA synchronous` when it prepares it.
        let level: Int
        do {
            level = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 2
            if level > 1 { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        } catch { return fail(pending: error) }
        defer { if level > 1 { try? db.execute(sql: "PRAGMA synchronous = \(level)") } }
        while true {
            let batch = state.withLock { s -> [Job] in
                let batch = Array(s.pending.prefix(maxBatch))
                s.pending.removeFirst(batch.count)
                if batch.isEmpty { s.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            var results: [Result<Output, Error>] = []
            results.reserveCapacity(batch.count)
            do {
                try db.inTransaction {
                    for job in batch { results.append(try Self.inSavepoint(db) { try job.work(db) }) }
                    return .commit
                }
                let committed = results
                flusher.afterCommit { synced in
                    for (job, result) in zip(batch, committed) { job.continuation.resume(with: synced.flatMap { _ in result }) }
                }
            } catch {
                for job in batch { job.continuation.resume(throwing: error) }
            }
        }
    }

    /// Fails everything pending (the writer could not even set up its batches) and stops draining.
    private func fail(pending error: Error) {
        let jobs = state.withLock { s -> [Job] in
            defer { s.pending.removeAll(); s.draining = false }
            return s.pending
        }
        for job in jobs { job.continuation.resume(throwing: error) }
    }
}
