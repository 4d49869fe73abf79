import GRDB
import Synchronization
import UrbanGridCore

/// The catalogue's component and matter types with their names, and the CJ/T 214 classes mapped
/// to them, in memory: every report names its type, and the catalogue is written once, when the
/// database is created, and never changed. Read at the first look-up that finds it filled.
final class TypeNames: Sendable {
    /// A component or matter type in GB/T 47678.5 form, with its names.
    struct Name: Sendable { var code: String, nameZh: String, nameEn: String }

    private struct Table: Sendable {
        var names: [CaseKind: [String: Name]] = [:]
        /// CJ/T 214 4-digit class → GB/T 47678.5 code, per kind.
        var legacy: [CaseKind: [String: String]] = [:]
    }

    private let table = Mutex<Table?>(nil)

    /// Whether the table was read (`CityStore.warmUp` reads it before the server answers).
    var isLoaded: Bool { table.withLock { $0 != nil } }

    /// The type a report names: its 5-digit code, or a CJ/T 214 4-digit code mapped to the new
    /// one; nil when the catalogue has neither.
    func name(_ db: Database, kind: CaseKind, code: String) throws -> Name? {
        let table = try current(db)
        let mapped = code.utf8.count == 4 ? table.legacy[kind]?[code] : code
        return mapped.flatMap { table.names[kind]?[$0] }
    }

    /// Reads the table now if it was not yet (`CityStore.warmUp`, before the server answers).
    func preload(_ db: Database) throws { _ = try current(db) }

    private func current(_ db: Database) throws -> Table { try table.withLock { $0 } ?? load(db) }

    private func load(_ db: Database) throws -> Table {
        var loaded = Table()
        for (kind, types, legacy) in [(CaseKind.component, "component_type", "legacy_component_class"),
                                      (CaseKind.event, "matter_type", "legacy_event_class")] {
            var names: [String: Name] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT code, name_zh, name_en FROM \(types)") {
                names[r[0]] = Name(code: r[0], nameZh: r[1], nameEn: r[2])
            }
            loaded.names[kind] = names
            var mapped: [String: String] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT code, new_code FROM \(legacy) WHERE new_code IS NOT NULL") { mapped[r[0]] = r[1] }
            loaded.legacy[kind] = mapped
        }
        // Kept only once the catalogue is there (a database being created fills it after opening).
        if loaded.names.values.contains(where: { !$0.isEmpty }) { table.withLock { $0 = loaded } }
        return loaded
    }
}
