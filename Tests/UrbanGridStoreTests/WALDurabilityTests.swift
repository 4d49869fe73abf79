import Foundation
import GRDB
import Synchronization
import Testing
@testable import UrbanGridStore

/// Group commit's WAL sync outside the write lock (`WALFlusher`) and the checkpoints beside the
/// writer (`WALCheckpointer`).
@Suite struct WALDurabilityTests {
    struct DiskGone: Error {}

    /// Times of one run, in the order things happened.
    final class Clock: Sendable {
        private let now = Mutex(0)
        func tick() -> Int { now.withLock { $0 += 1; return $0 } }
    }

    /// A pool whose writer syncs every commit, as `CityStore` sets it up.
    static func pool(in dir: URL) throws -> DatabasePool {
        let pool = try DatabasePool(path: dir.appendingPathComponent("w.sqlite").path)
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY, payload BLOB)") }
        return pool
    }

    /// Most of a page: a frame or two a commit.
    static let payload = Data(repeating: 7, count: 3000)

    /// One commit of row `n` with `payload`.
    static func insertRow(_ n: Int, into pool: DatabasePool) async throws {
        try await pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: [n, payload]) }
    }

    /// A checkpointer on `pool`'s writer, which stops syncing (the tests are about frames, not the disk).
    static func checkpointer(on pool: DatabasePool, backgroundFrames: Int32, writerFrames: Int32) async throws -> WALCheckpointer {
        let checkpointer = WALCheckpointer(path: pool.path, backgroundFrames: backgroundFrames, writerFrames: writerFrames)
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF")
            checkpointer.install(on: db)
        }
        return checkpointer
    }

    /// The WAL file's size and the size of one of its frames (a page and its 24-byte header).
    static func walSize(_ pool: DatabasePool) async throws -> (bytes: Int, frameBytes: Int) {
        let pageSize = try await pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } ?? 4096
        let bytes = try FileManager.default.attributesOfItem(atPath: pool.path + "-wal")[.size] as? Int ?? 0
        return (bytes, pageSize + 24)
    }

    @Test func theStoresWriterSyncsEveryCommit() async throws {
        // GRDB's pools default to NORMAL in WAL mode, which a power loss can take commits back from.
        let level = try await withStore { store, _ async throws -> Int? in
            try await store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        }
        #expect(level == 2)
    }

    @Test func aWriteIsAnsweredOnlyAfterASyncThatBeganAfterItsCommit() async throws {
        try await withTemporaryDirectory { dir in
            let pool = try Self.pool(in: dir)
            let clock = Clock()
            let flushes = Mutex<[(start: Int, end: Int)]>([])
            let flusher = WALFlusher(walPath: pool.path + "-wal") { path in
                let start = clock.tick()
                Thread.sleep(forTimeInterval: 0.003)   // a slow disk: commits pile up behind it
                try WALFlusher.syncWAL(path)
                flushes.withLock { $0.append((start, clock.tick())) }
            }
            let commits = GroupCommit<Int>(writer: pool, flusher: flusher)
            let runs = try await withThrowingTaskGroup(of: (committed: Int, answered: Int, level: Int).self) { group in
                for i in 0..<120 {
                    group.addTask {
                        let committed = Mutex(0)
                        let level = try await commits.write { db in
                            try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [i])
                            db.afterNextTransaction { _ in committed.withLock { $0 = clock.tick() } }
                            return try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
                        }
                        return (committed.withLock { $0 }, clock.tick(), level)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let synced = flushes.withLock { $0 }
            #expect(runs.count == 120)
            #expect(synced.count < 120, "one sync serves several batches")
            for run in runs {
                #expect(run.level == 1, "the batch commits without SQLite's own sync (NORMAL)")
                #expect(run.committed > 0)
                #expect(synced.contains { $0.start > run.committed && $0.end < run.answered },
                        "answered at \(run.answered) without a sync that began after its commit at \(run.committed)")
            }
            // The connection's other writes keep their level (FULL). (Another SQL text than the
            // batches' read: SQLite answers this pragma when it prepares it, and GRDB may cache.)
            let after = try await pool.write { db in try Int.fetchOne(db, sql: "PRAGMA main.synchronous") }
            #expect(after == 2)
        }
    }

    @Test func aFailedSyncFailsTheWritesItWasFor() async throws {
        try await withTemporaryDirectory { dir in
            let pool = try Self.pool(in: dir)
            let commits = GroupCommit<Int>(writer: pool, flusher: WALFlusher(walPath: pool.path + "-wal") { _ in throw DiskGone() })
            await #expect(throws: DiskGone.self) {
                try await commits.write { db in try db.execute(sql: "INSERT INTO t (n) VALUES (1)"); return 1 }
            }
        }
    }

    @Test func theWALStartsOverWhileTheBackgroundCopiesIt() async throws {
        try await withTemporaryDirectory { dir in
            let pool = try Self.pool(in: dir)
            let checkpointer = try await Self.checkpointer(on: pool, backgroundFrames: 40, writerFrames: 200)
            defer { checkpointer.close() }
            // How many commits in a row a background pass was underway after: while one holds the
            // checkpoint lock, the writer cannot finish the WAL, however long the machine makes it.
            var inARow = 0, longest = 0
            for n in 0..<3000 {
                try await Self.insertRow(n, into: pool)
                inARow = checkpointer.passUnderway ? inARow + 1 : 0
                longest = max(longest, inARow)
            }
            let (walBytes, frameBytes) = try await Self.walSize(pool)
            let frames = (walBytes - 32) / frameBytes
            // Without restarts the WAL would hold every frame: 3,000 commits of three frames (leaf,
            // parent, page 1), 5–7 when the b-tree splits — 9,125 measured with SQLite alone. The
            // writer finishes the WAL at 400 frames at the latest (twice `writerFrames`), or, if a pass
            // holds the lock then, at its first commit after the pass: so it never holds more than 400
            // frames and those of the commits made during one pass (at most 8 each), plus one commit.
            #expect(frames <= 400 + (longest + 1) * 8, "WAL of \(frames) frames; a pass lasted up to \(longest) commits")
            // And it did start over: the bound above says nothing if a pass was underway throughout.
            #expect(frames < 8_000, "WAL of \(frames) frames: it never started over")
            #expect(checkpointer.backgroundPasses > 0)
            #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 3000)
            #expect(try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        }
    }

    @Test func underLightLoadTheWALStartsOverAfterEveryBackgroundPass() async throws {
        try await withTemporaryDirectory { dir in
            let pool = try Self.pool(in: dir)
            // The writer never finishes a WAL here: only the background passes can let it start over.
            let checkpointer = try await Self.checkpointer(on: pool, backgroundFrames: 40, writerFrames: 1_000_000)
            defer { checkpointer.close() }
            for n in 0..<300 {
                try await Self.insertRow(n, into: pool)
                // Light load: a pass the commit started ends before the next report (bounded wait).
                var waited = 0
                while checkpointer.passUnderway && waited < 2_000 { try await Task.sleep(for: .milliseconds(1)); waited += 1 }
            }
            let (walBytes, frameBytes) = try await Self.walSize(pool)
            // 300 commits of a frame or two: without restarts well over 300 frames.
            #expect(walBytes <= 32 + 120 * frameBytes, "WAL of \(walBytes) bytes")
            #expect(checkpointer.backgroundPasses >= 3)
        }
    }
}
