import GRDB
import Synchronization

/// An in-memory index of base layers (`GridIndex`, `GeocodeIndex`), reloaded when the base
/// version moves. Every layer import bumps that version in its own transaction and each look-up
/// reads it first (locate through `BaseVersionProbe`), so an import from another process is seen
/// by the next look-up. Read outside a
/// transaction (locate), an import may commit between the version and the rows; the index then
/// holds newer rows under the older version and is loaded again at the next look-up, never kept
/// stale.
///
/// Filled from reads only: an index built inside a write (an import) could describe rows that are
/// rolled back, so writers load their own.
final class BaseGeographyCache<Index: Sendable>: Sendable {
    private let current = Mutex<(version: Int64, index: Index)?>(nil)
    /// Held while loading: after an import, the requests that find the index old wait for one
    /// load instead of each reading the layer (1,000,000 components: 2 s and 150 MB a load).
    private let loading = Mutex(())
    private let load: @Sendable (Database) throws -> Index

    init(_ load: @escaping @Sendable (Database) throws -> Index) {
        self.load = load
    }

    /// The index for a read of `db` (in a transaction or not), at the base version the caller
    /// read, if it did (one read for several caches).
    func index(_ db: Database, version: Int64? = nil) throws -> Index {
        let version = try version ?? CityStore.baseVersion(db)
        if let index = cached(version) { return index }
        return try loading.withLock { _ in
            if let index = cached(version) { return index }   // loaded while this one waited
            let index = try load(db)
            current.withLock { $0 = (version, index) }
            return index
        }
    }

    /// The index if it is the one of `version`, without touching the database.
    func cached(_ version: Int64) -> Index? {
        current.withLock { $0.flatMap { $0.version == version ? $0.index : nil } }
    }
}
