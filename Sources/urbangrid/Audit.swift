import ArgumentParser
import Foundation
import UrbanGridStore

/// `urbangrid audit`: the tamper-evident audit log of cases.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The audit log of cases (案卷操作日志).",
                                                    subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the audit log's hash chain end to end; exit 1 naming the first broken entry.",
            discussion: """
            Every entry's hash covers its fields and the previous entry's hash. Also checked: every case has \
            its first entry and every entry its case. Prints the head (SEQ:HASH); keep it elsewhere and pass \
            it later as --anchor to also catch a log that was truncated or rewritten from the start.
            """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "SEQ:HASH of an entry noted earlier (repeatable).") var anchor: [String] = []

        func run() throws {
            let anchors = try anchor.map { text in
                guard let a = AuditAnchor(text) else { throw ValidationError("--anchor takes SEQ:HASH (64 hex digits), got '\(text)'") }
                return a
            }
            let report = try database.openStore().verifyAudit(anchors: anchors)
            guard report.isIntact else {
                for finding in report.findings { print("FAIL: \(finding)") }
                throw ExitCode(1)
            }
            print("ok: \(report.entries) entries" + (report.head.map { ", head \($0)" } ?? ""))
        }
    }
}
