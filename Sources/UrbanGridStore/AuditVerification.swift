import Foundation
import GRDB
import UrbanGridCore

/// The hash of one entry, noted outside the database (`audit verify` prints the head): checking it
/// later shows a log that was truncated or rewritten wholesale, which a chain alone cannot.
public struct AuditAnchor: Sendable, Equatable, CustomStringConvertible {
    public var seq: Int64
    public var hash: String
    public init(seq: Int64, hash: String) { self.seq = seq; self.hash = hash }

    /// `SEQ:HASH`, as printed by `audit verify`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let seq = Int64(parts[0]), DurableFiles.isSHA256(parts[1]) else { return nil }
        self.init(seq: seq, hash: parts[1])
    }

    public var description: String { "\(seq):\(hash)" }
}

/// The first entry where the chain breaks, and how.
public struct AuditChainBreak: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The entry carries no hash (written around the chain).
        case missingHash
        /// Its fields no longer give its stored hash: it was changed after it was written.
        case fieldsChanged
        /// It is intact, but its `prev_hash` is not the hash of the entry now before it (`previousSeq`,
        /// nil when it is now the first): an entry was deleted, inserted or moved before it.
        case linkBroken(previousSeq: Int64?)
        /// An anchor names this entry with another hash (the log was rewritten) or, `missing`, no longer exists.
        case anchorMismatch(expected: String, found: String?)
    }
    public var seq: Int64
    public var caseId: Int64?
    public var reason: Reason

    public var description: String {
        let entry = "entry seq \(seq)" + (caseId.map { " (case \($0))" } ?? "")
        switch reason {
        case .missingHash:
            return "\(entry) has no hash: it was written around the chain"
        case .fieldsChanged:
            return "\(entry): its fields do not give its stored hash: it was changed after it was written"
        case .linkBroken(let previous?) where previous + 1 < seq:
            let gap = previous + 2 == seq ? "entry \(previous + 1) is" : "entries \(previous + 1)…\(seq - 1) are"
            return "\(entry): its prev_hash is not the hash of seq \(previous), the entry now before it: \(gap) missing"
        case .linkBroken(let previous?):
            return "\(entry): its prev_hash is not the hash of seq \(previous), the entry now before it: an entry was inserted, deleted or moved"
        case .linkBroken(nil):
            return "\(entry) is the first entry but its prev_hash is not the genesis hash: the entries before it are missing"
        case .anchorMismatch(let expected, nil):
            return "anchor \(seq):\(expected): there is no entry seq \(seq) any more: the log was truncated"
        case .anchorMismatch(let expected, let found?):
            return "\(entry): anchored hash \(expected) but the entry's hash is now \(found): the log was rewritten"
        }
    }
}

/// What `urbangrid audit verify` found.
public struct AuditChainReport: Sendable {
    public var entries: Int
    /// The last entry's sequence number and hash: note it somewhere else to anchor later checks.
    public var head: AuditAnchor?
    public var firstBreak: AuditChainBreak?
    /// Cases without their first audit entry (the report): half-written or forged. At most 20 listed.
    public var casesWithoutReport: [Int64]
    /// Audit entries whose case does not exist. At most 20 listed.
    public var entriesWithoutCase: [Int64]

    public var isIntact: Bool { firstBreak == nil && casesWithoutReport.isEmpty && entriesWithoutCase.isEmpty }

    /// One line per finding, the first break first.
    public var findings: [String] {
        var out = firstBreak.map { [$0.description] } ?? []
        if !casesWithoutReport.isEmpty {
            out.append("cases without their first audit entry: \(casesWithoutReport.map(String.init).joined(separator: ", "))")
        }
        if !entriesWithoutCase.isEmpty {
            out.append("audit entries of cases that do not exist: seq \(entriesWithoutCase.map(String.init).joined(separator: ", "))")
        }
        return out
    }
}

enum AuditVerifier {
    /// Walks the whole chain in sequence order inside one read transaction (a consistent snapshot,
    /// also while a server writes), stopping at the first break.
    static func run(_ db: Database, anchors: [AuditAnchor] = []) throws -> AuditChainReport {
        let columns = try db.columns(in: "case_audit").map(\.name)
        guard columns.contains("hash") else { throw DatabaseError(message: "case_audit has no hash chain (schema before v9)") }
        var report = AuditChainReport(entries: try Int.fetchOne(db, sql: "SELECT count(*) FROM case_audit") ?? 0,
                                      casesWithoutReport: [], entriesWithoutCase: [])
        var expected = AuditChainForm.genesis
        var previousSeq: Int64? = nil
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM case_audit ORDER BY seq")
        while let row = try rows.next() {
            let seq: Int64 = row["seq"]
            func broken(_ reason: AuditChainBreak.Reason) -> AuditChainBreak {
                AuditChainBreak(seq: seq, caseId: row["case_id"], reason: reason)
            }
            guard let stored: String = row["hash"], let previous: String = row["prev_hash"] else {
                report.firstBreak = broken(.missingHash); break
            }
            guard AuditHashChain.hash(previous: previous, fields: AuditHashChain.fields(of: row)) == stored else {
                report.firstBreak = broken(.fieldsChanged); break
            }
            guard previous == expected else { report.firstBreak = broken(.linkBroken(previousSeq: previousSeq)); break }
            expected = stored
            previousSeq = seq
            report.head = AuditAnchor(seq: seq, hash: stored)
        }
        if report.firstBreak == nil { report.firstBreak = try checkAnchors(db, anchors) }
        if report.firstBreak != nil { report.head = nil }
        report.casesWithoutReport = try Int64.fetchAll(db, sql: """
            SELECT id FROM case_record c
            WHERE NOT EXISTS (SELECT 1 FROM case_audit a WHERE a.case_id = c.id AND a.from_status IS NULL)
            ORDER BY id LIMIT 20
            """)
        report.entriesWithoutCase = try Int64.fetchAll(db, sql: """
            SELECT seq FROM case_audit a WHERE NOT EXISTS (SELECT 1 FROM case_record c WHERE c.id = a.case_id)
            ORDER BY seq LIMIT 20
            """)
        return report
    }

    private static func checkAnchors(_ db: Database, _ anchors: [AuditAnchor]) throws -> AuditChainBreak? {
        for anchor in anchors.sorted(by: { $0.seq < $1.seq }) {
            let row = try Row.fetchOne(db, sql: "SELECT case_id, hash FROM case_audit WHERE seq = ?", arguments: [anchor.seq])
            let found: String? = row?["hash"]
            if found != anchor.hash {
                return AuditChainBreak(seq: anchor.seq, caseId: row?["case_id"],
                                       reason: .anchorMismatch(expected: anchor.hash, found: found))
            }
        }
        return nil
    }
}

extension CityStore {
    /// Checks the audit log's hash chain end to end, the given anchors, and that every case has its
    /// first entry and every entry its case.
    public func verifyAudit(anchors: [AuditAnchor] = []) throws -> AuditChainReport {
        try pool.read { db in try AuditVerifier.run(db, anchors: anchors) }
    }
}
