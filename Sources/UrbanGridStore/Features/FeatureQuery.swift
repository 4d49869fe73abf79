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
    /// Every condition but the bbox, which is planned apart (`boxClause`).
    private(set) var clauses: [String] = []
    private(set) var arguments = StatementArguments()
    private(set) var box: StorageBox?
    /// The filter's geometry literals, to check inside the read transaction.
    private(set) var literalCheck: FilterLiteralCheck?

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
                                           geometryColumn: "t.geom", storageSrid: storageSrid, filterSrid: query.filterCRS.srid,
                                           primaryKey: String(layer.primaryKey.dropFirst(2)))
            let xFirst = crs.swapsAxes(query.filterCRS) ? filter.swappingAxes() : filter
            literalCheck = FilterLiteralCheck(filter: xFirst, filterSrid: query.filterCRS.srid, storageSrid: storageSrid,
                                              geographic: crs.isGeographic(query.filterCRS))
            do {
                let compiled = try compiler.compile(xFirst)
                add("(\(compiled.sql))", compiled.arguments)
            } catch {
                throw FeatureQueryError.filter(position: error.position, message: error.message)
            }
        }
    }

    /// ` WHERE …` with the bbox planned as `indexed` says, plus `extra` conditions.
    func whereClause(indexedBox: Bool, extra: [(String, StatementArguments)] = []) -> (sql: String, arguments: StatementArguments) {
        var parts: [String] = [], args = StatementArguments()
        // The box's numbered arguments (?1…) must come first: SQLite numbers the rest after them.
        if let (sql, boxArgs) = boxClause(indexed: indexedBox) { parts.append(sql); args += boxArgs }
        parts += clauses; args += arguments
        for (sql, a) in extra { parts.append(sql); args += a }
        return (parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND "), args)
    }

    private mutating func add(_ sql: String, _ args: StatementArguments) {
        clauses.append(sql)
        arguments += args
    }

    private mutating func addBox(_ box: FeatureQuery.Box) throws {
        do {
            self.box = try crs.storageRing(minA: box.minA, minB: box.minB, maxA: box.maxA, maxB: box.maxB, crs: box.crs)
        } catch {
            throw FeatureQueryError.invalidValue(parameter: "bbox", message: "\(error)")
        }
    }

    /// The bbox condition. `indexed`: through the R*Tree (best when the box selects few
    /// features); otherwise by the MBR in each geometry's header while scanning in key order
    /// (best when it selects many and only a page is wanted). Then the exact test.
    func boxClause(indexed: Bool) -> (sql: String, arguments: StatementArguments)? {
        guard let b = box else { return nil }
        let candidates = indexed
            ? "\(layer.primaryKey) IN (SELECT pkid FROM idx_\(layer.table)_geom WHERE xmin <= ?3 AND xmax >= ?1 AND ymin <= ?4 AND ymax >= ?2)"
            : "MbrIntersects(t.geom, BuildMbr(?1, ?2, ?3, ?4))"
        var args: StatementArguments = [b.minX, b.minY, b.maxX, b.maxY, storageSrid]
        let shape: String
        if let ring = b.ring {
            shape = "(SELECT GeomFromText(?6, ?5))"
            args += ["POLYGON((" + ring.map { "\($0.x) \($0.y)" }.joined(separator: ",") + "))"]
        } else {
            shape = "BuildMbr(?1, ?2, ?3, ?4, ?5)"
        }
        // Inside the rectangle means inside the box only when the box is that rectangle.
        let exact = b.ring == nil ? "(MbrWithin(t.geom, BuildMbr(?1, ?2, ?3, ?4)) OR ST_Intersects(t.geom, \(shape)) = 1)"
                                  : "ST_Intersects(t.geom, \(shape)) = 1"
        return ("\(candidates) AND \(exact)", args)
    }

    /// numberMatched for a query that is only a rectangle: the R*Tree entries inside it need no
    /// look at the table; only those crossing its edge get the exact test.
    var rectangleCountSQL: (sql: String, arguments: StatementArguments)? {
        guard clauses.isEmpty, let b = box, b.ring == nil else { return nil }
        let idx = "idx_\(layer.table)_geom"
        let inside = "xmin >= ?1 AND xmax <= ?3 AND ymin >= ?2 AND ymax <= ?4"
        return ("""
            SELECT (SELECT count(*) FROM \(idx) WHERE \(inside))
                 + (SELECT count(*) FROM \(layer.from) WHERE \(layer.primaryKey) IN (SELECT pkid FROM \(idx)
                       WHERE xmin <= ?3 AND xmax >= ?1 AND ymin <= ?4 AND ymax >= ?2 AND NOT (\(inside)))
                    AND ST_Intersects(t.geom, BuildMbr(?1, ?2, ?3, ?4, ?5)) = 1)
            """, [b.minX, b.minY, b.maxX, b.maxY, storageSrid])
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
