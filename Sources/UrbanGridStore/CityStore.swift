import Foundation
import GRDB
import Logging
import UrbanGridCore

/// One city's database: a GRDB `DatabasePool` (WAL) over a SQLite file with SpatiaLite on every
/// connection. The only type in the system that speaks SQL.
public final class CityStore: Sendable {
    public let path: String
    public let profile: CityProfile
    /// Calendar and dispatch rules, read when the store opens (they change only with the data files).
    public let rules: CityRules
    let pool: DatabasePool
    /// Storage CRS → metric CRS, for distances and areas.
    let toMetric: ProjectionPool
    /// The CRSs served by the features API (OGC API - Features Part 2).
    public let crs: CRSRegistry
    /// Intake's writes, committed in groups.
    let intakeCommits: GroupCommit<CaseCreated>
    /// The WAL's checkpoints, beside the writer rather than in its commits.
    let checkpointer: WALCheckpointer
    /// The unit grids in memory, for point look-ups.
    let grids = BaseGeographyCache(GridIndex.load)
    /// The components' points in memory, for locate's nearest search.
    let components = BaseGeographyCache(ComponentIndex.load)
    /// The base version, read without the pool (locate).
    let baseVersionProbe: BaseVersionProbe
    let sessions = SessionCache()
    /// The catalogue's type names, for every report.
    let typeNames = TypeNames()
    let geocoder: BaseGeographyCache<GeocodeIndex>

    static let busyTimeoutMilliseconds: Int32 = 10_000
    /// How much of the database file each connection maps (SQLite maps up to the file's size).

    private init(path: String, pool: DatabasePool, profile: CityProfile, rules: CityRules) throws {
        self.path = path; self.pool = pool; self.profile = profile; self.rules = rules
        self.baseVersionProbe = BaseVersionProbe(path: path)
        self.toMetric = try ProjectionPool(from: profile.storageSrid, to: profile.metricSrid)
        self.crs = try CRSRegistry(profile: profile)
        self.intakeCommits = GroupCommit(writer: pool)
        self.checkpointer = WALCheckpointer(path: path)
        let metricSrid = profile.metricSrid
        self.geocoder = BaseGeographyCache { try GeocodeIndex.load($0, metricSrid: metricSrid) }
        try pool.writeWithoutTransaction { db in
            // GRDB opens a pool's writer with `synchronous = NORMAL`: commits would reach the disk
            // only at the next checkpoint, and a power loss could take acknowledged writes back.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            checkpointer.install(on: db)
        }
    }

    deinit { checkpointer.close() }

    static func makePool(path: String, readonly: Bool = false) throws -> DatabasePool {
        try DatabasePool(path: path, configuration: configuration(readonly: readonly))
    }

    /// Every connection: SpatiaLite loaded, the busy timeout, statement journals in memory.
    static func configuration(readonly: Bool) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        config.busyMode = .timeout(Double(busyTimeoutMilliseconds) / 1000)
        config.maximumReaderCount = max(4, ProcessInfo.processInfo.activeProcessorCount * 2)
        config.prepareDatabase { db in
            try SpatiaLite.attach(to: db, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            // Statement journals (every insert through SpatiaLite's triggers writes one) and sorts
            // stay in memory instead of a temp file: 15 small writes a row otherwise.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // No memory map: in WAL mode a reader drops its pages at the first read after any
            // commit, and with a map that is an munmap and fresh page faults each time; under
            // intake (hundreds of commits a second) read(2) cost less, and locate, served from
            // memory (GridIndex), gained nothing from the map (A/B runs, 2026-12-05).
        }
        return config
    }

    /// Opens an existing city database.
    public static func open(path: String) throws -> CityStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missingDatabase(path) }
        let pool = try makePool(path: path)
        let profile = try pool.read { db -> CityProfile in
            guard let json = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'profile'") else {
                throw StoreError.notACityDatabase(path)
            }
            return try JSONDecoder().decode(CityProfile.self, from: Data(json.utf8))
        }
        try Schema.migrator(storageSrid: profile.storageSrid).migrate(pool)   // later versions apply on open
        let rules = try pool.read { db in try CityRules.read(db, profile: profile) }
        return try CityStore(path: path, pool: pool, profile: profile, rules: rules)
    }

    /// Creates a new city database at `path` from a city folder (`gis-data/<city>/`) and the catalogue
    /// folder (`gis-data/catalog/`). All or nothing: on any failure the file is removed.
    public static func create(path: String, cityDirectory: URL, catalogDirectory: URL,
                              layers: [LayerKind] = LayerKind.allCases,
                              logger: Logger = Logger(label: "urbangrid.store")) throws -> CityStore {
        guard !FileManager.default.fileExists(atPath: path) else { throw StoreError.alreadyExists(path) }
        let profile = try CityData.loadProfile(cityDirectory)
        let catalog = try CityData.loadCatalog(catalogDirectory)
        let departments = try CityData.loadDepartments(cityDirectory)
        let rules = try CityRules.load(cityDirectory: cityDirectory, profile: profile)
        // Rules are hand-written data: a code not in the catalogue, an unknown department or a bad
        // duplicate window would show only as wrong dispatches, so the file is refused whole.
        let ruleProblems = rules.dispatch.problems(catalog: catalog, departments: Set(departments.map(\.code)))
        guard ruleProblems.isEmpty else {
            throw StoreError.badCityData("dispatch-rules.json: " + ruleProblems.joined(separator: "; "))
        }
        do {
            let pool = try makePool(path: path)
            try pool.writeWithoutTransaction { db in
                try SpatiaLite.initMetadata(db, srids: [4326, 4490, profile.storageSrid, profile.metricSrid])
            }
            let store = try CityStore(path: path, pool: pool, profile: profile, rules: rules)
            try store.migrate()
            try pool.write { db in
                try rules.save(db)
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('profile', ?)",
                               arguments: [String(decoding: try JSONEncoder().encode(profile), as: UTF8.self)])
                try CatalogTables.insert(catalog, db)
                for d in departments {
                    try db.execute(sql: "INSERT INTO department(code, name_zh, name_en, kind) VALUES (?,?,?,?)",
                                   arguments: [d.code, d.nameZh, d.nameEn, d.kind.rawValue])
                }
            }
            for layer in LayerKind.allCases where layers.contains(layer) {
                let file = cityDirectory.appendingPathComponent("\(layer.fileStem).geojson")
                guard FileManager.default.fileExists(atPath: file.path) else { throw StoreError.missingLayer(file.path) }
                let report = try store.importLayer(layer, from: file, options: ImportOptions())
                logger.info("loaded \(layer.rawValue)", metadata: ["features": "\(report.imported)"])
            }
            return store
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw error
        }
    }

    func migrate() throws {
        try Schema.migrator(storageSrid: profile.storageSrid).migrate(pool)
    }

    /// Versions of the native libraries, for /healthz and logs.
    public static var libraryVersions: [String: String] {
        let v = SpatiaLite.versions
        return ["spatialite": v.spatialite, "sqlite": v.sqlite]
    }

    /// Row counts of every base table, for health checks and tests.
    public func counts() throws -> [String: Int] {
        try pool.read { db in
            var out: [String: Int] = [:]
            for t in ["district", "street", "community", "grid", "component", "address", "road", "building",
                      "department", "component_type", "matter_type", "user"] {
                out[t] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(t)") ?? 0
            }
            return out
        }
    }
}

public enum StoreError: Error, CustomStringConvertible, Sendable {
    case missingDatabase(String), notACityDatabase(String), alreadyExists(String), missingLayer(String)
    case badCityData(String)
    public var description: String {
        switch self {
        case .missingDatabase(let p): "no database at \(p)"
        case .notACityDatabase(let p): "\(p) is not an UrbanGrid city database"
        case .alreadyExists(let p): "a file already exists at \(p)"
        case .missingLayer(let p): "missing base layer \(p)"
        case .badCityData(let m): m
        }
    }
}

extension CityStore {
    /// Whether `error` is SQLite's "database is locked": another process (an import, a restore)
    /// held the single write lock past the busy timeout. Nothing was written; the request may be
    /// retried.
    public static func isBusy(_ error: any Error) -> Bool {
        guard let e = error as? DatabaseError else { return false }
        return e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED
    }
}
