import Foundation
import GRDB
import UrbanGridCore

/// One items request of OGC API - Features, already parsed: paging, bbox, datetime, simple
/// queryables, a CQL2 filter and the output CRS.
public struct FeatureQuery: Sendable {
    /// Keyset paging on the layer's primary key: the page after or before a key.
    public enum Cursor: Equatable, Sendable {
        case after(Int64), before(Int64)
    }

    /// A box in `crs`, in that CRS's axis order (latitude first for EPSG:4326).
    public struct Box: Sendable, Equatable {
        public var minA: Double, minB: Double, maxA: Double, maxB: Double
        public var crs: OGCCRS
        public init(minA: Double, minB: Double, maxA: Double, maxB: Double, crs: OGCCRS) {
            self.minA = minA; self.minB = minB; self.maxA = maxA; self.maxB = maxB; self.crs = crs
        }
    }

    public var limit = 100
    public var bbox: Box?
    public var datetime: TemporalInterval?
    /// Simple queryables given as plain query parameters: property name → value as sent.
    public var equals: [String: String] = [:]
    public var filter: CQL2Expression?
    public var filterCRS: OGCCRS = .crs84
    public var crs: OGCCRS = .crs84
    public var cursor: Cursor?
    /// Restricts `cases` to one department's cases (a key or a user scoped to a department).
    public var department: String?

    public init() {}
}

/// A page of features, each a complete GeoJSON Feature object as JSON text.
public struct FeaturePage: Sendable {
    public var features: [String]
    public var numberMatched: Int
    public var next: FeatureQuery.Cursor?
    public var prev: FeatureQuery.Cursor?

    public init(features: [String], numberMatched: Int, next: FeatureQuery.Cursor? = nil, prev: FeatureQuery.Cursor? = nil) {
        self.features = features; self.numberMatched = numberMatched; self.next = next; self.prev = prev
    }
}

public enum FeatureQueryError: Error, Sendable {
    /// A parameter's value does not fit: the parameter and why.
    case invalidValue(parameter: String, message: String)
    /// The CQL2 filter names an unknown property or compares the wrong types.
    case filter(position: Int?, message: String)
}

/// The SQL of one query against one layer: the WHERE clause with its bound arguments.
struct FeatureSQL {
    let layer: FeatureLayer
    let crs: CRSRegistry
    let storageSrid: Int
    private(set) var clauses: [String] = []
    private(set) var arguments = StatementArguments()

    init(layer: FeatureLayer, query: FeatureQuery, crs: CRSRegistry, storageSrid: Int) throws {
        self.layer = layer; self.crs = crs; self.storageSrid = storageSrid
        if let department = query.department, let column = layer.departmentColumn {
            add("\(column) = ?", [department])
        }
        if let box = query.bbox { try addBox(box) }
        if let interval = query.datetime { try addTemporal(interval) }
        for (name, raw) in query.equals.sorted(by: { $0.key < $1.key }) {
            guard let property = layer.queryables[name] else {
                throw FeatureQueryError.invalidValue(parameter: name, message: "'\(name)' is not a queryable of \(layer.id)")
            }
            add("\(property.column) = ?", [try Self.value(raw, of: property)])
        }
        if let filter = query.filter {
            let compiler = CQL2SQLCompiler(queryables: layer.queryables, table: layer.table, alias: "t",
                                           geometryColumn: "t.geom", storageSrid: storageSrid, filterSrid: query.filterCRS.srid)
            do {
                let compiled = try compiler.compile(filter)
                add("(\(compiled.sql))", compiled.arguments)
            } catch {
                throw FeatureQueryError.filter(position: error.position, message: error.message)
            }
        }
    }

    var whereSQL: String { clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ") }

    private mutating func add(_ sql: String, _ args: StatementArguments) {
        clauses.append(sql)
        arguments += args
    }

    /// Through the R*Tree first, then the exact test against the box as it lies in the storage CRS.
    private mutating func addBox(_ box: FeatureQuery.Box) throws {
        let r: (ring: [(x: Double, y: Double)], minX: Double, minY: Double, maxX: Double, maxY: Double)
        do {
            r = try crs.storageRing(minA: box.minA, minB: box.minB, maxA: box.maxA, maxB: box.maxB, crs: box.crs)
        } catch {
            throw FeatureQueryError.invalidValue(parameter: "bbox", message: "\(error)")
        }
        let wkt = "POLYGON((" + r.ring.map { "\($0.x) \($0.y)" }.joined(separator: ",") + "))"
        add("""
            \(layer.primaryKey) IN (SELECT pkid FROM idx_\(layer.table)_geom
                WHERE xmin <= ? AND xmax >= ? AND ymin <= ? AND ymax >= ?)
            AND (MbrWithin(t.geom, BuildMbr(?, ?, ?, ?)) OR ST_Intersects(t.geom, (SELECT GeomFromText(?, ?))))
            """, [r.maxX, r.minX, r.maxY, r.minY, r.minX, r.minY, r.maxX, r.maxY, wkt, storageSrid])
    }

    private mutating func addTemporal(_ interval: TemporalInterval) throws {
        switch layer.temporal {
        case nil:
            throw FeatureQueryError.invalidValue(parameter: "datetime", message: "the \(layer.id) collection has no temporal property")
        case .date(let column):
            if let start = interval.start { add("\(column) >= ?", [Self.utcDay(start)]) }
            if let end = interval.end { add("\(column) <= ?", [Self.utcDay(end)]) }
        case .timestamp(let column):
            if let start = interval.start { add("\(column) >= ?", [Timestamps.format(start)]) }
            if let end = interval.end { add("\(column) <= ?", [Timestamps.format(end)]) }
        }
    }

    static func utcDay(_ date: Date) -> String { String(Timestamps.format(date).prefix(10)) }

    /// A plain-parameter value converted to the property's type, so `?levels=3` compares as a number.
    static func value(_ raw: String, of property: Queryable) throws -> DatabaseValue {
        switch property.type {
        case .string: return raw.databaseValue
        case .number:
            guard let v = Double(raw), v.isFinite else { throw bad(property, raw, "a number") }
            return v.databaseValue
        case .integer:
            guard let v = Int64(raw) else { throw bad(property, raw, "a whole number") }
            return v.databaseValue
        case .boolean:
            guard let v = Bool(raw.lowercased()) else { throw bad(property, raw, "true or false") }
            return v.databaseValue
        case .date:
            guard raw.count == 10, (try? TemporalInterval.parse(raw)) != nil else { throw bad(property, raw, "a date YYYY-MM-DD") }
            return raw.databaseValue
        case .timestamp:
            guard let instant = try? TemporalInterval.parse(raw), let start = instant.start, instant.start == instant.end else {
                throw bad(property, raw, "an RFC 3339 date-time")
            }
            return Timestamps.format(start).databaseValue
        case .geometry:
            throw FeatureQueryError.invalidValue(parameter: property.name, message: "geometry properties are filtered with bbox or filter")
        }
    }

    private static func bad(_ property: Queryable, _ raw: String, _ expected: String) -> FeatureQueryError {
        .invalidValue(parameter: property.name, message: "'\(property.name)' must be \(expected), got '\(raw)'")
    }
}
