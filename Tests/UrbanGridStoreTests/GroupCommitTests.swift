import Foundation
import GRDB
import Testing
@testable import UrbanGridStore

/// Writes that share a commit must still fail alone: a write that throws leaves nothing of itself,
/// and the others of its batch are committed and answered.
@Suite struct GroupCommitTests {
    struct Refused: Error {}

    @Test func aFailingWriteIsUndoneAloneAndTheRestOfItsBatchCommits() async throws {
        try await withTemporaryDirectory { dir in
            let pool = try DatabasePool(path: dir.appendingPathComponent("g.sqlite").path)
            try await pool.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY, note TEXT NOT NULL)") }
            let commits = GroupCommit<Int>(writer: pool)
            // 200 concurrent writes, each inserting two rows; every fifth throws after its first row,
            // every seventh breaks a constraint with its second.
            let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                for i in 0..<200 {
                    group.addTask {
                        do {
                            _ = try await commits.write { db in
                                try db.execute(sql: "INSERT INTO t VALUES (?, 'first')", arguments: [i * 2])
                                if i % 5 == 0 { throw Refused() }
                                try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: [i * 2 + 1, i % 7 == 0 ? nil : "second"])
                                return i
                            }
                            return (i, true)
                        } catch { return (i, false) }
                    }
                }
                return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            let expectedGood = Set((0..<200).filter { $0 % 5 != 0 && $0 % 7 != 0 })
            let succeeded: Set<Int> = Set(outcomes.filter { $0.value }.map { $0.key })
            #expect(succeeded == expectedGood)
            let stored: Set<Int> = try await pool.read { db in try Int.fetchSet(db, sql: "SELECT n FROM t") }
            let expectedRows: Set<Int> = Set(expectedGood.flatMap { [$0 * 2, $0 * 2 + 1] })
            #expect(stored == expectedRows)
        }
    }
}
