// The audit log's hash chain: entries are linked as they are written (checked against an independent
// recomputation), the migration hashes entries written before the chain exactly as appends do, and
// `verifyAudit` names the first broken entry when the file is edited behind the store's back — an
// edited field, a deleted entry, entries moved, an entry inserted with a hash of its own, an entry
// written around the chain — and, given an anchor, a truncated log.

import Foundation
import GRDB
import Testing
import UrbanGridCore
@testable import UrbanGridStore

@Suite struct AuditChainTests {
    @Test func entriesAreLinkedAsTheyAreWritten() async throws {
        try await withStore { store, _ in
            let ids = try await CaseCrew(store).reports(5)
            let entries = try rawAudit(store.path)
            #expect(entries.count == 8, "5 reports and 3 accepts")
            #expect(entries.map(\.seq) == Array(1...8))
            #expect(Set(entries.compactMap { $0.fields["case_id"] }) == Set(ids.map(String.init)))
            var previous = String(repeating: "0", count: 64)
            for e in entries {
                #expect(e.previous == previous, "seq \(e.seq)")
                #expect(e.hash == independentHash(previous: previous, fields: e.fields), "seq \(e.seq)")
                previous = e.hash ?? ""
            }
            let report = try store.verifyAudit()
            #expect(report.isIntact, "\(report.findings)")
            #expect(report.entries == 8)
            #expect(report.head == AuditAnchor(seq: 8, hash: previous))
        }
    }

    @Test func theMigrationHashesOlderEntriesAsAppendsDo() async throws {
        try await withStore { store, _ in
            try await CaseCrew(store).reports(4)
            let written = try rawAudit(store.path)
            // The database as it was before the chain: no hash columns, the migration not applied.
            try tamper(store.path, """
                DROP TRIGGER case_audit_append_only_update;
                ALTER TABLE case_audit DROP COLUMN prev_hash;
                ALTER TABLE case_audit DROP COLUMN hash;
                DELETE FROM grdb_migrations WHERE identifier = 'v9-audit-hash-chain';
                \(Schema.auditUpdateTrigger)
                """)
            let reopened = try CityStore.open(path: store.path)
            let migrated = try rawAudit(store.path)
            #expect(migrated.map(\.hash) == written.map(\.hash))
            #expect(migrated.map(\.previous) == written.map(\.previous))
            #expect(try reopened.verifyAudit().isIntact)
            // The update trigger is back: the log is append-only again.
            #expect(throws: (any Error).self) { try tamper(store.path, "UPDATE case_audit SET note = 'x' WHERE seq = 1") }
        }
    }

    @Test func anEditedFieldIsNamed() async throws {
        try await withStore { store, _ in
            try await CaseCrew(store).reports(6)
            let target = try #require(try rawAudit(store.path).first { $0.seq == 4 })
            // The append-only trigger stops an ordinary UPDATE; a tamperer drops it first.
            #expect(throws: (any Error).self) { try tamper(store.path, "UPDATE case_audit SET note = 'nothing here' WHERE seq = 4") }
            #expect(try store.verifyAudit().isIntact)
            try tamper(store.path, """
                DROP TRIGGER case_audit_append_only_update;
                UPDATE case_audit SET actor_role = 'admin' WHERE seq = 4;
                """)
            let report = try store.verifyAudit()
            #expect(!report.isIntact)
            #expect(report.firstBreak == AuditChainBreak(seq: 4, caseId: Int64(target.fields["case_id"] ?? ""), reason: .fieldsChanged))
            #expect(report.head == nil, "no head is vouched for past a break")
        }
    }

    @Test func aDeletedEntryInTheMiddleIsNamedAtTheEntryAfterIt() async throws {
        try await withStore { store, _ in
            try await CaseCrew(store).reports(6)
            let entries = try rawAudit(store.path)
            // Entry 4 is the report of the third case.
            let deleted = try #require(entries.first { $0.seq == 4 })
            #expect(deleted.fields["action"] == "report")
            try tamper(store.path, "DROP TRIGGER case_audit_append_only_delete; DELETE FROM case_audit WHERE seq = 4")
            let report = try store.verifyAudit()
            let after = try #require(entries.first { $0.seq == 5 })
            #expect(report.firstBreak == AuditChainBreak(seq: 5, caseId: Int64(after.fields["case_id"] ?? ""),
                                                         reason: .linkBroken(previousSeq: 3)))
            #expect(report.firstBreak?.description.contains("entry 4 is missing") == true, "\(report.findings)")
            #expect(report.casesWithoutReport == [try #require(Int64(deleted.fields["case_id"] ?? ""))])
        }
    }

    @Test func swappedEntriesAreNamed() async throws {
        try await withStore { store, _ in
            try await CaseCrew(store).reports(6)
            // Entries 3 and 4 change places: each keeps its own hash but takes the other's number.
            try tamper(store.path, """
                DROP TRIGGER case_audit_append_only_update;
                UPDATE case_audit SET seq = -3 WHERE seq = 3;
                UPDATE case_audit SET seq = 3 WHERE seq = 4;
                UPDATE case_audit SET seq = 4 WHERE seq = -3;
                """)
            let report = try store.verifyAudit()
            #expect(report.firstBreak?.seq == 3)
            #expect(report.firstBreak?.reason == .fieldsChanged, "the sequence number is one of the hashed fields")
        }
    }

    @Test func anEntryInsertedWithAHashOfItsOwnIsCaughtAtTheEntryAfterIt() async throws {
        try await withStore { store, _ in
            try await CaseCrew(store).reports(6)
            let entries = try rawAudit(store.path)
            // The forger moves entries 4… up by one and writes a false entry 4 that hashes correctly and
            // links to entry 3, as the documented form lets anyone compute.
            try tamper(store.path, "DROP TRIGGER case_audit_append_only_update")
            for e in entries.reversed() where e.seq >= 4 {
                try tamper(store.path, "UPDATE case_audit SET seq = seq + 1 WHERE seq = ?", arguments: [e.seq])
            }
            var forged = try #require(entries.first { $0.seq == 4 }).fields
            forged["seq"] = "4"
            forged["note"] = "approved by nobody"
            let previous = try #require(entries.first { $0.seq == 3 }?.hash)
            try forgeAuditEntry(store.path, fields: forged, previous: previous)
            let report = try store.verifyAudit()
            #expect(report.firstBreak?.seq == 5, "\(report.findings)")
            #expect(report.firstBreak?.reason == .fieldsChanged, "entry 5 was entry 4: its number is hashed")
        }
    }

    @Test func anEntryWrittenAroundTheChainIsNamed() async throws {
        try await withStore { store, _ in
            let ids = try await CaseCrew(store).reports(3)
            try tamper(store.path, """
                INSERT INTO case_audit (case_id, at, actor_id, actor_role, action, from_status, to_status, summary_zh, summary_en)
                VALUES (?, '2026-01-05T01:00:00.000Z', 1, 'admin', 'close', 'reported', 'closed', '结案', 'closed')
                """, arguments: [ids[1]])
            let report = try store.verifyAudit()
            #expect(report.firstBreak == AuditChainBreak(seq: 6, caseId: ids[1], reason: .missingHash))
        }
    }

    @Test func aTruncatedLogIsCaughtByAnAnchor() async throws {
        try await withStore { store, _ in
            try await CaseCrew(store).reports(5)
            let head = try #require(try store.verifyAudit().head)
            #expect(try rawAudit(store.path).last?.fields["action"] == "accept")
            try tamper(store.path, "DROP TRIGGER case_audit_append_only_delete; DELETE FROM case_audit WHERE seq = ?",
                       arguments: [head.seq])
            // The chain alone cannot see that its last entry is gone…
            #expect(try store.verifyAudit().isIntact)
            // …the head noted earlier can.
            let anchored = try store.verifyAudit(anchors: [head])
            #expect(anchored.firstBreak?.reason == .anchorMismatch(expected: head.hash, found: nil))
            #expect(AuditAnchor(head.description) == head)
            #expect(AuditAnchor("4:xyz") == nil)
        }
    }

    @Test func casesAndEntriesWithoutEachOtherAreReported() async throws {
        try await withStore { store, _ in
            let ids = try await CaseCrew(store).reports(3)
            // A case row copied without its report entry, and an entry, hashed and linked, of a case that
            // does not exist (foreign keys off, as in a hand edit).
            let head = try #require(try store.verifyAudit().head)
            var orphan = try #require(try rawAudit(store.path).last).fields
            orphan["seq"] = String(head.seq + 1)
            orphan["case_id"] = "999"
            try tamper(store.path, """
                PRAGMA foreign_keys = OFF;
                INSERT INTO case_record (number, kind, type_code, source, urgent, self_handled, reported_by, state, status,
                    grid_code, community_code, street_code, flagged, duplicates, mx, my, created_at, updated_at, geom)
                SELECT number || '-copy', kind, type_code, source, urgent, self_handled, reported_by, state, status,
                    grid_code, community_code, street_code, flagged, duplicates, mx, my, created_at, updated_at, geom
                FROM case_record WHERE id = \(ids[0]);
                """)
            try forgeAuditEntry(store.path, fields: orphan, previous: head.hash, prelude: "PRAGMA foreign_keys = OFF;")
            let report = try store.verifyAudit()
            #expect(report.firstBreak == nil, "\(report.findings)")
            #expect(report.casesWithoutReport == [ids.max()! + 1])
            #expect(report.entriesWithoutCase == [head.seq + 1])
            #expect(!report.isIntact)
        }
    }
}
