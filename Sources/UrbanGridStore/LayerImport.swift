import Foundation
import GRDB
import UrbanGridCore

public struct ImportOptions: Sendable {
    /// Target field → source field, for files whose attribute names differ from ours.
    public var mapping: [String: String]
    /// The source CRS (EPSG code) when the file does not say or says wrongly.
    public var srid: Int?
    /// The feature table of a GeoPackage holding several.
    public var layerName: String?
    /// Replace the layer's rows instead of adding to them.
    public var replace: Bool

    public init(mapping: [String: String] = [:], srid: Int? = nil, layerName: String? = nil, replace: Bool = false) {
        self.mapping = mapping; self.srid = srid; self.layerName = layerName; self.replace = replace
    }
}

/// One feature that was not imported, and why.
public struct ImportRejection: Sendable, Equatable, CustomStringConvertible {
    /// 0-based position of the feature in the source file.
    public var index: Int
    public var field: String?
    public var reason: String
    public var description: String { "feature \(index)" + (field.map { " [\($0)]" } ?? "") + ": \(reason)" }
}

public struct ImportReport: Sendable {
    public var layer: LayerKind
    public var imported: Int
    public var replaced: Int
}

/// An import that stored nothing because some features were rejected (imports are all-or-nothing).
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var layer: LayerKind
    public var total: Int
    public var rejections: [ImportRejection]
    public var description: String {
        "\(layer.rawValue): \(rejections.count) of \(total) features rejected, nothing imported\n"
            + rejections.prefix(200).map { "  " + $0.description }.joined(separator: "\n")
            + (rejections.count > 200 ? "\n  … \(rejections.count - 200) more" : "")
    }
}

extension CityStore {
    /// Imports a base layer from GeoJSON, GeoPackage or ESRI Shapefile, all or nothing: every
    /// feature is checked (attributes, codes, references, geometry validity and type, the city's
    /// extent, duplicates) and any rejection rolls the whole import back.
    public func importLayer(_ layer: LayerKind, from url: URL, options: ImportOptions) throws -> ImportReport {
        let source = try FeatureSources.read(url, layer: options.layerName, srid: options.srid)
        let bulk = source.features.count >= SpatialIndexMaintenance.bulkThreshold
        return try pool.writeWithoutTransaction { db in
            // Every reference a feature makes is checked in Swift (`AttributeRules`, the grid
            // index), so a bulk import leaves SQLite's per-row foreign-key lookups off (the
            // pragma only changes outside a transaction) and checks the table once at the end.
            if bulk { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
            defer { if bulk { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
            var report: ImportReport?
            try db.inTransaction {
                report = try importLayer(layer, source, options: options, bulk: bulk, in: db)
                if bulk, let broken = try Row.fetchOne(db, sql: "SELECT * FROM pragma_foreign_key_check(?)", arguments: [layer.table]) {
                    throw StoreError.badCityData("\(layer.rawValue): row \(broken["rowid"] ?? "?") refers to a missing \(broken["parent"] ?? "?")")
                }
                return .commit
            }
            return report!
        }
    }

    private func importLayer(_ layer: LayerKind, _ source: FeatureSourceData, options: ImportOptions, bulk: Bool,
                             in db: Database) throws -> ImportReport {
        // One transaction holds the whole import: a page cache large enough for it (up to
        // 1 GiB) keeps SQLite from spilling pages to the WAL before the commit.
        try db.execute(sql: "PRAGMA cache_size = -\(min(1 << 20, 64 * 1024 + source.features.count / 2))")
        defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
        var replaced = 0
        if options.replace {
            try Self.checkNoDependents(db, replacing: layer)
            replaced = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(layer.table)") ?? 0
            try db.execute(sql: "DELETE FROM \(layer.table)")
        }
        var importer = try LayerImporter(db: db, store: self, layer: layer, sourceSrid: source.srid,
                                         mapping: options.mapping)
        var rejections: [ImportRejection] = []
        try SpatialIndexMaintenance.deferred(db, table: layer.table, adding: source.features.count) {
            let features = FeatureSources.spatiallySorted(source.features)
            guard bulk else {
                for feature in features { if let r = try importer.insert(feature) { rejections.append(r) } }
                return
            }
            let ahead = AttributesAhead(features, rules: importer.rules)
            defer { ahead.cancel() }
            try ahead.forEach { i, checked in
                if let r = try importer.insert(features[i], checked: checked) { rejections.append(r) }
            }
        }
        if !rejections.isEmpty {
            throw ImportFailure(layer: layer, total: source.features.count,
                                rejections: rejections.sorted { $0.index < $1.index })
        }
        try Self.bumpBaseVersion(db)
        return ImportReport(layer: layer, imported: source.features.count, replaced: replaced)
    }
}

extension CityStore {
    /// Layers others refer to cannot be replaced under them: say which, instead of a bare
    /// foreign-key error.
    static func checkNoDependents(_ db: Database, replacing layer: LayerKind) throws {
        let dependents: [(table: String, column: String)] = switch layer {
        case .district: [("street", "district_code")]
        case .street: [("community", "street_code")]
        case .community: [("grid", "community_code")]
        case .grid: [("component", "grid_code"), ("address", "grid_code")]
        default: []
        }
        var found: [String] = []
        for d in dependents {
            let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(d.table) WHERE \(d.column) IS NOT NULL") ?? 0
            if n > 0 { found.append("\(n) \(d.table) rows") }
        }
        guard found.isEmpty else {
            throw StoreError.badCityData("cannot replace \(layer.rawValue): \(found.joined(separator: " and ")) refer to it; replace those layers first (or import into a new database)")
        }
    }
}

/// Checks and writes the features of one layer inside the import's write transaction.
struct LayerImporter {
    let db: Database
    let layer: LayerKind
    let profile: CityProfile
    let sourceSrid: Int
    let projection: Projection
    var rules: AttributeRules
    var seenKeys = Set<String>()
    /// Prepared once: an import runs one of them for every feature.
    let insertBlob: Statement, insertLocated: Statement?
    /// The grids as this transaction sees them, for located points.
    let grids: GridIndex?
    /// Where the columns the import computes stand in `LayerKind.columns`.
    let computed: (mx: Int?, my: Int?, area: Int?)

    init(db: Database, store: CityStore, layer: LayerKind, sourceSrid: Int, mapping: [String: String]) throws {
        self.db = db; self.layer = layer; self.profile = store.profile; self.sourceSrid = sourceSrid
        computed = (layer.columns.firstIndex(of: "mx"), layer.columns.firstIndex(of: "my"), layer.columns.firstIndex(of: "area_m2"))
        let columns = layer.columns.joined(separator: ", ")
        let marks = Array(repeating: "?", count: layer.columns.count).joined(separator: ", ")
        insertBlob = try db.makeStatement(sql: "INSERT INTO \(layer.table) (\(columns), geom) VALUES (\(marks), ?)")
        if layer.family == .point {
            // Located points carry their grid (and its community and street), found in memory.
            let all = layer.columns + layer.locatedColumns
            insertLocated = try db.makeStatement(sql: """
                INSERT INTO \(layer.table) (\(all.joined(separator: ", ")), geom)
                VALUES (\(Array(repeating: "?", count: all.count).joined(separator: ", ")), MakePoint(?, ?, \(store.profile.storageSrid)))
                """)
            grids = try GridIndex.load(db)
        } else {
            insertLocated = nil
            grids = nil
        }
        self.projection = try Projection(from: store.profile.storageSrid, to: store.profile.metricSrid)
        self.rules = try AttributeRules(db, layer: layer, region: store.profile.regionCode, mapping: mapping)
        seenKeys = Set(try String.fetchAll(db, sql: "SELECT \(layer.keyColumn) FROM \(layer.table)"))
    }

    /// Inserts one feature, its attributes checked here or ahead (`rules.checked`); returns why
    /// not when it is rejected.
    mutating func insert(_ f: SourceFeature, checked: AttributesAhead.Checked? = nil) throws -> ImportRejection? {
        func reject(_ field: String?, _ reason: String) -> ImportRejection {
            ImportRejection(index: f.index, field: field, reason: reason)
        }
        var row: AttributeRules.CheckedRow
        switch checked ?? rules.checked(f) {
        case .failure(let r): return reject(r.field, r.reason)
        case .success(let v): row = v
        }
        guard !seenKeys.contains(row.key) else { return reject(layer.keyColumn, "duplicate \(layer.keyColumn) \(row.key)") }

        guard let input = f.geometry else { return reject("geometry", "missing geometry") }
        let geometry: GeometryCheck
        switch try checkGeometry(input) {
        case .failure(let r): return reject("geometry", r.reason)
        case .success(let g): geometry = g
        }
        if let insertLocated {
            guard let (mx, my) = projection.forward(geometry.x, geometry.y) else {
                return reject("geometry", "point cannot be projected to EPSG:\(profile.metricSrid)")
            }
            guard let hit = grids?.grid(x: geometry.x, y: geometry.y) else {
                return reject("geometry", "point lies in no unit grid")
            }
            if let given = row.gridCode, given != hit.code {
                return reject("grid_code", "grid \(given) does not contain the point (it lies in \(hit.code))")
            }
            row.columns[computed.mx!] = mx.databaseValue
            row.columns[computed.my!] = my.databaseValue
            let located = [hit.code, hit.communityCode, hit.streetCode].prefix(layer.locatedColumns.count)
            row.columns += located.map(\.databaseValue)
            row.columns += [geometry.x.databaseValue, geometry.y.databaseValue]
            try BulkInsert.execute(insertLocated, row.columns, in: db)
        } else {
            if let areaColumn = computed.area {
                guard let area = try Double.fetchOne(db, sql: "SELECT ST_Area(ST_Transform(?, ?))",
                                                     arguments: [geometry.blob, profile.metricSrid]) else {
                    return reject("geometry", "area cannot be computed in EPSG:\(profile.metricSrid)")
                }
                row.columns[areaColumn] = ((area * 10).rounded() / 10).databaseValue
            }
            row.columns.append(geometry.blob?.databaseValue ?? .null)
            try BulkInsert.execute(insertBlob, row.columns, in: db)
        }
        seenKeys.insert(row.key)
        if let code = row.code { rules.known[layer.table, default: []].insert(code) }
        return nil
    }

    struct Failure: Error, Sendable { var field: String?; var reason: String }

    /// A checked geometry in the storage CRS: a SpatiaLite blob, or for points already in the storage
    /// CRS just the coordinates (made into a point by the INSERT itself: the bulk path).
    struct GeometryCheck { var blob: Data?; var x: Double; var y: Double }

    /// Converts the source geometry to the storage CRS and the layer's geometry type, and checks it.
    func checkGeometry(_ input: GeometryInput) throws -> Result<GeometryCheck, Failure> {
        let e = profile.extent
        let tolerance = 1e-7
        // Fast path for points already in the storage CRS: no SQL round trip to check them.
        if case .point(let x, let y) = input, sourceSrid == profile.storageSrid, layer.family == .point {
            guard x.isFinite, y.isFinite else { return .failure(Failure(reason: "coordinates must be finite numbers")) }
            guard x >= e[0] - tolerance, x <= e[2] + tolerance, y >= e[1] - tolerance, y <= e[3] + tolerance else {
                return .failure(Failure(reason: "point (\(x), \(y)) lies outside the city extent \(e)"))
            }
            return .success(GeometryCheck(blob: nil, x: x, y: y))
        }
        let (sourceSQL, argument): (String, DatabaseValueConvertible) = switch input {
        case .point(let x, let y): ("MakePoint(?1, \(y), \(sourceSrid))", x)
        case .geoJSON(let text): ("SetSRID(GeomFromGeoJSON(?1), \(sourceSrid))", text)
        case .spatiaLite(let blob): ("SetSRID(?1, \(sourceSrid))", blob)
        case .geoPackage(let blob): ("SetSRID(GeomFromGPB(?1), \(sourceSrid))", blob)
        }
        if case .point(let x, let y) = input, !(x.isFinite && y.isFinite) {
            return .failure(Failure(reason: "coordinates must be finite numbers"))
        }
        let transformed = sourceSrid == profile.storageSrid ? "s.g" : "ST_Transform(s.g, \(profile.storageSrid))"
        let cast = switch layer.family {
        case .point: "CastToPoint(\(transformed))"
        case .line: "CastToMultiLinestring(\(transformed))"
        case .polygon: "CastToMultiPolygon(\(transformed))"
        }
        let sql = """
            WITH s(g) AS (SELECT \(sourceSQL)), t(g) AS (SELECT \(cast) FROM s)
            SELECT s.g IS NULL, GeometryType(s.g), t.g, ST_IsValid(t.g), ST_IsValidReason(t.g),
                   MbrMinX(t.g), MbrMinY(t.g), MbrMaxX(t.g), MbrMaxY(t.g), ST_X(t.g), ST_Y(t.g)
            FROM s, t
            """
        guard let r = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [argument]) else {
            return .failure(Failure(reason: "unreadable geometry"))
        }
        if r[0] as Bool { return .failure(Failure(reason: "unreadable geometry")) }
        guard let blob = r[2] as Data? else {
            let expected = switch layer.family { case .point: "Point"; case .line: "LineString"; case .polygon: "Polygon" }
            return .failure(Failure(reason: "geometry type \((r[1] as String?) ?? "?") where \(expected) is expected, or it cannot be transformed to EPSG:\(profile.storageSrid)"))
        }
        guard (r[3] as Int?) == 1 else {
            return .failure(Failure(reason: "invalid geometry: \((r[4] as String?) ?? "not valid")"))
        }
        let (minX, minY, maxX, maxY): (Double, Double, Double, Double) = (r[5], r[6], r[7], r[8])
        guard minX >= e[0] - tolerance, maxX <= e[2] + tolerance, minY >= e[1] - tolerance, maxY <= e[3] + tolerance else {
            return .failure(Failure(reason: "geometry [\(minX), \(minY), \(maxX), \(maxY)] reaches outside the city extent \(e)"))
        }
        return .success(GeometryCheck(blob: blob, x: (r[9] as Double?) ?? minX, y: (r[10] as Double?) ?? minY))
    }
}
