import CProj
import Foundation
import GRDB
import Synchronization

/// One attribute value as read from a source file.
enum PropertyValue: Sendable, Equatable {
    case null, int(Int64), double(Double), text(String), bool(Bool)

    /// The value as text: integral numbers without a fraction, so numeric codes survive.
    var text: String? {
        switch self {
        case .null: nil
        case .int(let i): String(i)
        case .double(let d): d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .text(let s): s.isEmpty ? nil : s
        case .bool(let b): b ? "true" : "false"
        }
    }

    /// A JSON number: its exact integer when the text was one that fits (17-digit component ids
    /// written as numbers, as GDAL does for 64-bit integers, keep every digit), else an integer
    /// when the double holds one exactly, else the double.
    static func number(exact: Int64?, double d: Double) -> PropertyValue {
        if let exact { return .int(exact) }
        return d.rounded() == d && abs(d) < 9e15 ? .int(Int64(d)) : .double(d)
    }
}

/// A feature's geometry in the form its source holds it; converted to SpatiaLite in SQL.
enum GeometryInput: Sendable {
    case point(Double, Double)
    case geoJSON(String)
    /// A SpatiaLite geometry blob.
    case spatiaLite(Data)
    /// A GeoPackage geometry blob.
    case geoPackage(Data)
}

struct SourceFeature: Sendable {
    var index: Int
    var properties: [String: PropertyValue]
    var geometry: GeometryInput?
}

/// The features of one file plus the SRID they are in.
struct FeatureSourceData: Sendable {
    var srid: Int
    var features: [SourceFeature]
}

enum SourceFormat: String, Sendable, CaseIterable {
    case geoJSON = "geojson", geoPackage = "gpkg", shapefile = "shp"

    static func of(_ url: URL) -> SourceFormat? {
        switch url.pathExtension.lowercased() {
        case "geojson", "json": .geoJSON
        case "gpkg": .geoPackage
        case "shp": .shapefile
        default: nil
        }
    }
}

enum SourceError: Error, CustomStringConvertible {
    case unreadable(String)
    var description: String { switch self { case .unreadable(let m): m } }
}

/// Readers for the three formats a GIS department hands us.
enum FeatureSources {
    static func read(_ url: URL, layer: String?, srid: Int?) throws -> FeatureSourceData {
        switch SourceFormat.of(url) {
        case .geoJSON: try readGeoJSON(url, srid: srid)
        case .geoPackage: try readGeoPackage(url, layer: layer, srid: srid)
        case .shapefile: try readShapefile(url, srid: srid)
        case nil: throw SourceError.unreadable("\(url.lastPathComponent): unknown format (use .geojson, .gpkg or .shp)")
        }
    }

    // MARK: GeoJSON (RFC 7946: WGS84 lon/lat unless a legacy "crs" member says otherwise)

    static func readGeoJSON(_ url: URL, srid: Int?) throws -> FeatureSourceData {
        let data = try Data(contentsOf: url)
        let unreadable = SourceError.unreadable("\(url.lastPathComponent): not a GeoJSON FeatureCollection")
        let root: [String: Any], features: [SourceFeature]
        if let split = GeoJSONSplit(data) {
            guard let r = try? JSONSerialization.jsonObject(with: split.root) as? [String: Any],
                  r["type"] as? String == "FeatureCollection" else { throw unreadable }
            root = r
            features = try parseFeatures(data, split, unreadable: unreadable)
        } else {
            guard let r = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  r["type"] as? String == "FeatureCollection", let raw = r["features"] as? [Any] else { throw unreadable }
            root = r
            features = raw.enumerated().map { feature($1, index: $0) }
        }
        var declared: Int? = nil
        if let crs = root["crs"] as? [String: Any], let props = crs["properties"] as? [String: Any],
           let name = props["name"] as? String {
            declared = name.contains("CRS84") ? 4326 : Int(name.split(whereSeparator: { $0 == ":" }).last ?? "")
        }
        return FeatureSourceData(srid: srid ?? declared ?? 4326, features: features)
    }

    /// Files above this size have their features parsed on every core.
    static let parallelParseBytes = 8 << 20

    /// The features, read by `GeoJSONFeatureReader` in chunks (in parallel for large files); a
    /// chunk it does not accept goes to `JSONSerialization`, which judges malformed text.
    private static func parseFeatures(_ data: Data, _ split: GeoJSONSplit, unreadable: SourceError) throws -> [SourceFeature] {
        let perChunk = 20_000
        let chunks = (split.features.count + perChunk - 1) / perChunk
        let parsed = Mutex<[Int: [SourceFeature]]>([:])
        let parse: @Sendable (Int) -> Void = { c in
            let range = c * perChunk..<min(split.features.count, (c + 1) * perChunk)
            let fast: [SourceFeature]? = data.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                var out: [SourceFeature] = []
                out.reserveCapacity(range.count)
                for k in range {
                    guard let f = GeoJSONFeatureReader.feature(bytes, split.features[k], index: k) else { return nil }
                    out.append(f)
                }
                return out
            }
            if let fast {
                parsed.withLock { $0[c] = fast }
                return
            }
            guard let items = try? JSONSerialization.jsonObject(with: split.chunk(data, range)) as? [Any],
                  items.count == range.count else { return }
            let features = items.enumerated().map { feature($1, index: range.lowerBound + $0) }
            parsed.withLock { $0[c] = features }
        }
        if data.count >= parallelParseBytes {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: parse)
        } else {
            (0..<chunks).forEach(parse)
        }
        return try parsed.withLock { done in
            guard done.count == chunks else { throw unreadable }
            return (0..<chunks).flatMap { done[$0]! }
        }
    }

    /// One GeoJSON feature object as a `SourceFeature`.
    static func feature(_ item: Any, index: Int) -> SourceFeature {
        let f = item as? [String: Any] ?? [:]
        var props: [String: PropertyValue] = [:]
        for (k, v) in f["properties"] as? [String: Any] ?? [:] { props[k] = jsonValue(v) }
        if let id = f["id"], props["id"] == nil { props["id"] = jsonValue(id) }
        var geometry: GeometryInput? = nil
        if let g = f["geometry"] as? [String: Any] {
            if g["type"] as? String == "Point", let c = g["coordinates"] as? [Any], c.count >= 2,
               let x = number(c[0]), let y = number(c[1]) {
                geometry = .point(x, y)
            } else if let text = try? JSONSerialization.data(withJSONObject: g) {
                geometry = .geoJSON(String(decoding: text, as: UTF8.self))
            }
        }
        return SourceFeature(index: index, properties: props, geometry: geometry)
    }

    private static func number(_ v: Any) -> Double? {
        if let n = v as? NSNumber, !(v is Bool) { return n.doubleValue }
        return v as? Double
    }

    private static func jsonValue(_ v: Any) -> PropertyValue {
        switch v {
        case is NSNull: return .null
        case let s as String: return .text(s)
        case let n as NSNumber:
            if isJSONBoolean(n) { return .bool(n.boolValue) }
            return .number(exact: Int64(n.stringValue), double: n.doubleValue)
        default:
            if let data = try? JSONSerialization.data(withJSONObject: v) {
                return .text(String(decoding: data, as: UTF8.self))
            }
            return .null
        }
    }

    /// Whether an NSNumber from JSONSerialization was a JSON boolean (stored as a C char).
    private static func isJSONBoolean(_ n: NSNumber) -> Bool {
        let t = String(cString: n.objCType)
        return t == "c" || t == "B"
    }

    // MARK: GeoPackage (OGC 12-128: an SQLite file; geometry in GPB blobs)

    static func readGeoPackage(_ url: URL, layer: String?, srid: Int?) throws -> FeatureSourceData {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: url.path, configuration: config)
        return try queue.read { db in
            let layers = try Row.fetchAll(db, sql: """
                SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c
                JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
                WHERE c.data_type = 'features' ORDER BY c.table_name
                """)
            let chosen: Row
            if let layer {
                guard let r = layers.first(where: { ($0[0] as String) == layer }) else {
                    throw SourceError.unreadable("\(url.lastPathComponent): no feature table '\(layer)' (has: \(layers.map { $0[0] as String }))")
                }
                chosen = r
            } else {
                guard layers.count == 1, let r = layers.first else {
                    throw SourceError.unreadable("\(url.lastPathComponent): \(layers.count) feature tables, name one with --layer")
                }
                chosen = r
            }
            let table: String = chosen[0], geomColumn: String = chosen[1], srs: Int = chosen[2]
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) ORDER BY rowid")
            let features = rows.enumerated().map { i, row in
                var props: [String: PropertyValue] = [:]
                var geometry: GeometryInput? = nil
                for (column, value) in row {
                    if column == geomColumn {
                        if let d = Data.fromDatabaseValue(value) { geometry = .geoPackage(d) }
                    } else {
                        props[column] = PropertyValue(value)
                    }
                }
                return SourceFeature(index: i, properties: props, geometry: geometry)
            }
            return FeatureSourceData(srid: srid ?? srs, features: features)
        }
    }

    // MARK: ESRI Shapefile (read through SpatiaLite's VirtualShape; CRS from the .prj via PROJ)

    static func readShapefile(_ url: URL, srid: Int?) throws -> FeatureSourceData {
        let base = url.deletingPathExtension().path
        guard let srid = try srid ?? sridOfPrj(URL(fileURLWithPath: base + ".prj")) else {
            throw SourceError.unreadable("\(url.lastPathComponent): no .prj with an EPSG CRS; give --srid")
        }
        let queue = try DatabaseQueue(configuration: {
            var c = Configuration()
            c.prepareDatabase { db in try SpatiaLite.attach(to: db, busyTimeoutMilliseconds: 1000) }
            return c
        }())
        return try queue.inDatabase { db in
            let escaped = base.replacingOccurrences(of: "'", with: "''")
            do {
                // 4th argument 1: dBASE dates as YYYYMMDD text rather than Julian day numbers.
                try db.execute(sql: "CREATE VIRTUAL TABLE temp.src USING VirtualShape('\(escaped)', 'UTF-8', \(srid), 1)")
            } catch {
                throw SourceError.unreadable("\(url.lastPathComponent): not a readable shapefile (\(error))")
            }
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM temp.src ORDER BY PKUID")
            let features = rows.enumerated().map { i, row in
                var props: [String: PropertyValue] = [:]
                var geometry: GeometryInput? = nil
                // SpatiaLite names these columns PKUID/Geometry or pkuid/geometry depending on version.
                for (column, value) in row where column.lowercased() != "pkuid" {
                    if column.lowercased() == "geometry" {
                        if let d = Data.fromDatabaseValue(value) { geometry = .spatiaLite(d) }
                    } else {
                        let v = PropertyValue(value)
                        props[column] = v == .text("00000000") ? .null : v   // an empty dBASE date
                    }
                }
                return SourceFeature(index: i, properties: props, geometry: geometry)
            }
            return FeatureSourceData(srid: srid, features: features)
        }
    }

    /// The EPSG code PROJ identifies for a .prj's WKT (confidence ≥ 70 %), if any.
    static func sridOfPrj(_ url: URL) throws -> Int? {
        guard let wkt = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        guard let ctx = proj_context_create() else { return nil }
        defer { proj_context_destroy(ctx) }
        guard let crs = proj_create(ctx, wkt) else { return nil }
        defer { proj_destroy(crs) }
        var confidence: UnsafeMutablePointer<Int32>? = nil
        guard let list = proj_identify(ctx, crs, "EPSG", nil, &confidence) else { return nil }
        defer { proj_list_destroy(list); proj_int_list_destroy(confidence) }
        for i in 0..<proj_list_get_count(list) where (confidence?[Int(i)] ?? 0) >= 70 {
            guard let candidate = proj_list_get(ctx, list, i) else { continue }
            defer { proj_destroy(candidate) }
            if let code = proj_get_id_code(candidate, 0) { return Int(String(cString: code)) }
        }
        return nil
    }
}

extension PropertyValue {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .text(s)
        case .blob: self = .null
        }
    }
}

extension FeatureSources {
    /// Points in a coarse spatial order (about 100 m cells, row by row), so that consecutive
    /// inserts touch the same grid polygon (SpatiaLite caches its GEOS-prepared form) and nearby
    /// R*Tree nodes. Other geometries keep file order. Indexes still refer to the file.
    static func spatiallySorted(_ features: [SourceFeature]) -> [SourceFeature] {
        func key(_ f: SourceFeature) -> (Int, Int, Int) {
            guard case .point(let x, let y) = f.geometry, x.isFinite, y.isFinite else { return (Int.max, 0, f.index) }
            return (Int((y * 1000).rounded(.down)), Int((x * 500).rounded(.down)), f.index)
        }
        guard features.contains(where: { if case .point = $0.geometry { true } else { false } }) else { return features }
        return features.map { (key($0), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
