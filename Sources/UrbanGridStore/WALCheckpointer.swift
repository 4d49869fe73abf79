import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Checkpoints of the WAL beside the writer instead of inside its commits.
///
/// SQLite's default copies the WAL back into the database from the commit that takes the WAL past
/// 1,000 frames, on the writer's thread, with two fsyncs: under intake that was every few
/// milliseconds, and the single writer stood still meanwhile. Here the writer's WAL hook only
/// counts: past `backgroundFrames` new frames a connection of this checkpointer's own copies them
/// (PASSIVE: it never blocks the writer or readers) on another thread. The WAL can start over only
/// once it is copied completely while nobody appends, so past `writerFrames` the writer itself
/// finishes the copy — after a background pass has left it at most `finishFrames` — and its next
/// transaction reuses the file from the start. That finish stops the writer for its fsyncs (the WAL,
/// the database, the new WAL header: 5–15 ms here), so it should be rare: 64,000 frames put it
/// about every 1.3 s of full-speed intake (3,700 reports a second write ~48,000 frames), where
/// every 0.3 s (16,000) was enough to double intake's p99. The price is a WAL file of up to
/// ~265 MB under sustained load; under light load a background pass copies the whole WAL while
/// nobody appends, and the WAL starts over after each pass.
final class WALCheckpointer: Sendable {
    let path: String
    let backgroundFrames: Int32
    let writerFrames: Int32
    /// At most this many frames are left for the writer to copy when it finishes the WAL.
    var finishFrames: Int32 { max(1, backgroundFrames / 8) }

    private struct State {
        /// Frames of the current WAL already copied by the last background pass.
        var copied: Int32 = 0
        var running = false
        var closed = false
        var passes = 0
    }
    private let state = Mutex(State())
    /// The checkpointer's own connection, used by one pass at a time on `queue`.
    private let connection = Mutex<OpaquePointer?>(nil)
    private let queue = DispatchQueue(label: "urbangrid.wal-checkpointer")

    init(path: String, backgroundFrames: Int32 = 4_000, writerFrames: Int32 = 64_000) {
        self.path = path
        self.backgroundFrames = backgroundFrames
        self.writerFrames = writerFrames
    }

    /// Background passes run so far.
    var backgroundPasses: Int { state.withLock { $0.passes } }
    /// Whether a background pass was started and has not ended yet.
    var passUnderway: Bool { state.withLock { $0.running } }

    /// Takes over the checkpoints of the writer connection `db` (replacing SQLite's
    /// auto-checkpoint, which is a WAL hook too). The hook keeps this object alive.
    func install(on db: Database) {
        let context = Unmanaged.passRetained(self).toOpaque()
        sqlite3_wal_hook(db.sqliteConnection, { context, db, _, frames in
            guard let context, let db else { return SQLITE_OK }
            Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().committed(db, frames: frames)
            return SQLITE_OK
        }, context)
    }

    /// After every commit of the writer, on its thread; `frames` is the WAL's length.
    private func committed(_ writer: OpaquePointer, frames: Int32) {
        enum Step { case none, background, finish }
        let step = state.withLock { s -> Step in
            if frames < s.copied { s.copied = 0 }   // the WAL started over
            let left = frames - s.copied
            // The writer finishes the WAL only when a background pass has left little to copy
            // (or the WAL has grown far past its size: readers held the passes back).
            if frames >= writerFrames && (left <= finishFrames || frames >= 2 * writerFrames) { return .finish }
            guard !s.running, !s.closed, left >= (frames >= writerFrames ? finishFrames : backgroundFrames) else { return .none }
            s.running = true
            return .background
        }
        switch step {
        case .none: break
        case .background: queue.async { self.checkpoint() }
        case .finish:
            // What SQLite's own hook does, now rarely and with little left to copy. Busy (a
            // background pass holds the checkpoint lock): the next commit tries again.
            sqlite3_wal_checkpoint_v2(writer, "main", SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        }
    }

    /// One PASSIVE pass on the checkpointer's connection (opened at the first pass).
    private func checkpoint() {
        var log: Int32 = 0, copied: Int32 = -1
        connection.withLock { c in
            if c == nil { c = Self.open(path) }
            if sqlite3_wal_checkpoint_v2(c, "main", SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK { copied = -1 }
        }
        state.withLock { s in
            s.running = false
            s.passes += 1
            if copied >= 0 { s.copied = copied }
        }
    }

    /// A plain read-write connection; it learns that the database is in WAL mode from its first
    /// statement (a checkpoint on a connection that has read nothing does nothing).
    private static func open(_ path: String) -> OpaquePointer? {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
              sqlite3_exec(db, "PRAGMA journal_mode", nil, nil, nil) == SQLITE_OK else {
            sqlite3_close_v2(db)
            return nil
        }
        return db
    }

    /// Closes the checkpointer's connection; the writer's own checkpoints go on.
    func close() {
        state.withLock { $0.closed = true }
        queue.sync {}
        connection.withLock { c in
            sqlite3_close_v2(c)
            c = nil
        }
    }
}
