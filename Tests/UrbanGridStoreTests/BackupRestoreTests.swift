// Online backup and restore: a backup taken while another thread keeps reporting cases (with
// photos) is one consistent snapshot, and the restored database holds exactly that snapshot — the
// same cases, audit entries and hashes as the source up to the backup point, SpatiaLite's metadata,
// and every photo with its bytes. A restore refuses what it must: an existing database without
// force, one in use, a backup whose audit chain or photos fail their checks.

import Crypto
import Foundation
import GRDB
import Testing
import UrbanGridCore
@testable import UrbanGridStore

/// Reports cases (every third with a photo) in a task of its own until stopped.
final class BackgroundReporter: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [Int64] = []
    private var errors: [String] = []
    private var task: Task<Void, Never>?

    init(_ crew: CaseCrew) {
        task = Task.detached { [self] in
            var n = 1000
            while !Task.isCancelled {
                do {
                    let id = try await crew.report(n)
                    if n % 3 == 0 { _ = try crew.store.addMedia(caseID: id, step: .report, uploads: [photo(n)], by: crew.inspector) }
                    lock.withLock { ids.append(id) }
                } catch {
                    lock.withLock { errors.append("\(error)") }
                }
                n += 1
            }
        }
    }

    var written: [Int64] { lock.withLock { ids } }

    /// Waits until at least `count` more cases than now are written (or an error or 60 s).
    func waitFor(more count: Int) async throws {
        let target = written.count + count
        for _ in 0..<30_000 where written.count < target && lock.withLock({ errors.isEmpty }) {
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Stops and returns the errors met.
    func stop() async -> [String] {
        task?.cancel()
        await task?.value
        return lock.withLock { errors }
    }
}

/// A distinct small "photo" per `n` (the store takes the bytes as given; the server checks image types).
func photo(_ n: Int) -> MediaUpload {
    let bytes = Data("photo \(n) ".utf8) + Data((0..<(200 + n % 50)).map { UInt8(($0 * 7 + n) % 256) })
    return MediaUpload(bytes: bytes, sha256: SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined(),
                       contentType: "image/jpeg", filename: "p\(n).jpg")
}

func count(_ path: String, _ sql: String) throws -> Int {
    try readFile(path) { db in try Int.fetchOne(db, sql: sql) ?? -1 }
}

func caseIDs(_ path: String) throws -> [Int64] {
    try readFile(path) { db in try Int64.fetchAll(db, sql: "SELECT id FROM case_record ORDER BY id") }
}

@Suite struct BackupRestoreTests {
    @Test func aBackupTakenWhileCasesAreWrittenRestoresItsSnapshot() async throws {
        try await withStore { store, dir in
            let crew = try CaseCrew(store)
            try await crew.reports(4)
            let reporter = BackgroundReporter(crew)
            try await reporter.waitFor(more: 5)
            let backup = dir.appendingPathComponent("backups/city-backup.sqlite").path
            try FileManager.default.createDirectory(atPath: dir.appendingPathComponent("backups").path, withIntermediateDirectories: true)
            let taken = try store.backup(to: backup)
            try await reporter.waitFor(more: 5)
            let errors = await reporter.stop()
            #expect(errors.isEmpty, "\(errors)")

            #expect(taken.isSound, "\(taken.problems)")
            let all = try caseIDs(store.path)
            #expect(taken.cases > 4 + 5 - 1 && taken.cases < all.count, "a snapshot between the two waits: \(taken.cases) of \(all.count)")
            #expect(taken.mediaRows > 0)

            // Restored: the snapshot, nothing more, nothing less.
            let restoredPath = dir.appendingPathComponent("restored/city.sqlite").path
            let restored = try CityStore.restore(from: backup, to: restoredPath, force: false)
            #expect(restored.cases == taken.cases && restored.audit.entries == taken.audit.entries
                    && restored.mediaRows == taken.mediaRows && restored.audit.head == taken.audit.head)
            let ids = try caseIDs(restoredPath)
            #expect(ids == Array(all.prefix(ids.count)), "the cases committed before the backup point")
            let source = try rawAudit(store.path), copy = try rawAudit(restoredPath)
            #expect(copy.map(\.hash) == source.prefix(copy.count).map(\.hash))
            #expect(copy.count == taken.audit.entries)
            // Every case in the copy has its report entry, and the chain holds (through the store's API).
            let reopened = try CityStore.open(path: restoredPath)
            let report = try reopened.verifyAudit()
            #expect(report.isIntact, "\(report.findings)")
            #expect(report.head == taken.audit.head)
            // SpatiaLite's metadata came along (a page copy), and spatial queries work on the copy.
            let metadata = "SELECT count(*) FROM geometry_columns"
            #expect(try count(restoredPath, metadata) == count(store.path, metadata))
            #expect(try count(restoredPath, metadata) > 0)
            #expect(try reopened.locate(lon: 104.3882, lat: 31.1273, radiusM: 10, typeCode: nil, limit: 1)?.grid.code == "990201001001001")
            // Every photo, with its bytes.
            let media = try count(restoredPath, "SELECT count(DISTINCT sha256) FROM case_media")
            #expect(media == restored.mediaHashes.count && media > 0)
            for id in ids {
                for item in try reopened.media(caseID: id) {
                    let bytes = try #require(try reopened.mediaBytes(caseID: id, mediaID: item.id)?.bytes)
                    #expect(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() == item.sha256)
                }
            }
        }
    }

    @Test func restoreRefusesAnExistingOrOpenDatabaseAndUncheckedBackups() async throws {
        try await withStore { store, dir in
            let crew = try CaseCrew(store)
            for n in 0..<4 {
                let id = try await crew.report(n)
                _ = try store.addMedia(caseID: id, step: .report, uploads: [photo(n)], by: crew.inspector)
            }
            let backup = dir.appendingPathComponent("b.sqlite").path
            _ = try store.backup(to: backup)
            #expect(throws: StoreError.self) { try store.backup(to: backup) }

            // An existing database: not without force, and not while it is open.
            #expect(throws: StoreError.self) { try CityStore.restore(from: backup, to: store.path, force: false) }
            #expect(throws: BackupError.self) { try CityStore.restore(from: backup, to: store.path, force: true) }

            // A photo of the backup damaged: refused, nothing written where the database would go.
            let damaged = dir.appendingPathComponent("damaged.sqlite").path
            try FileManager.default.copyItem(atPath: backup, toPath: damaged)
            try FileManager.default.copyItem(atPath: backup + ".media", toPath: damaged + ".media")
            let sha = try #require(try rawMediaHash(damaged))
            try Data("not the photo".utf8).write(to: CityStore.mediaFile(sha, in: URL(fileURLWithPath: damaged + ".media")))
            let target = dir.appendingPathComponent("target")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            expectUnsound(from: damaged, to: target.appendingPathComponent("a.sqlite").path, mentioning: sha)

            // An audit entry of the backup edited: refused too.
            let edited = dir.appendingPathComponent("edited.sqlite").path
            try FileManager.default.copyItem(atPath: backup, toPath: edited)
            try FileManager.default.copyItem(atPath: backup + ".media", toPath: edited + ".media")
            try tamper(edited, "DROP TRIGGER case_audit_append_only_update; UPDATE case_audit SET note = 'x' WHERE seq = 2")
            expectUnsound(from: edited, to: target.appendingPathComponent("b.sqlite").path, mentioning: "entry seq 2")
            #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).filter { !$0.hasSuffix(".media") } == [],
                    "no database and no temporary file left behind")

            // A closed database is replaced with force; its stale WAL is not applied to the restored file.
            let replaced = target.appendingPathComponent("c.sqlite").path
            do {
                let other = try CityStore.create(path: replaced, cityDirectory: Fixtures.testcity, catalogDirectory: Fixtures.catalog,
                                                 layers: Fixtures.areaLayers, logger: quietLogger)
                try await CaseCrew(other).reports(7)
            }
            let check = try CityStore.restore(from: backup, to: replaced, force: true)
            #expect(check.cases == 4)
            #expect(try CityStore.open(path: replaced).verifyAudit().entries == 4)
            #expect(try count(replaced, "SELECT count(*) FROM case_record") == 4)
        }
    }
}

func rawMediaHash(_ path: String) throws -> String? {
    try readFile(path) { db in try String.fetchOne(db, sql: "SELECT sha256 FROM case_media ORDER BY id LIMIT 1") }
}

func expectUnsound(from backup: String, to path: String, mentioning text: String,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try CityStore.restore(from: backup, to: path, force: false)
        Issue.record("restored an unsound backup", sourceLocation: sourceLocation)
    } catch let error as BackupError {
        #expect("\(error)".contains(text), "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
    #expect(!FileManager.default.fileExists(atPath: path), sourceLocation: sourceLocation)
}
