import GRDB
import UrbanGridCore

// The only place that turns a CQL2 expression into SQL. Every literal of the filter becomes a bound
// `?` argument; property names are only looked up in the collection's queryables, whose columns we
// wrote ourselves; spatial predicates go through the layer's R*Tree before the exact GEOS test.

/// The type of a queryable property, as `/queryables` publishes it.
public enum QueryableType: String, Sendable, Equatable, CaseIterable {
    case string, number, integer, boolean, date, timestamp, geometry
}

/// A property a filter may name, and the SQL that reads it.
///
/// Storage expectations: `date` columns hold `YYYY-MM-DD` text; `timestamp` columns hold ISO 8601 text
/// that SQLite's `julianday()` reads (`YYYY-MM-DDTHH:MM:SS[.fff][Z]`, UTC); `boolean` columns hold 0/1;
/// text columns use the BINARY collation (CQL2 comparisons are case-sensitive); `geometry` columns are
/// SpatiaLite geometries in the layer's storage SRID.
public struct Queryable: Sendable, Equatable {
    /// The name in filters (and in `/queryables`).
    public var name: String
    /// A trusted SQL expression, e.g. `t.status`: written by us, never taken from a request.
    public var column: String
    public var type: QueryableType

    public init(name: String, column: String, type: QueryableType) {
        self.name = name; self.column = column; self.type = type
    }
}

/// Why a well-formed filter cannot run on a collection: an unknown property, mismatched types, an
/// unusable pattern, or a filter too large.
public struct CQL2CompileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Offset (Unicode code points) of the property at fault in the filter text, when one is.
    public var position: Int?
    /// English, naming the property and what would have been accepted.
    public var message: String

    public init(position: Int?, message: String) {
        self.position = position; self.message = message
    }

    public var description: String { position.map { "at \($0): \(message)" } ?? message }
}

/// Compiles CQL2 expressions into a SQL boolean expression for the WHERE clause of a query over one
/// SpatiaLite layer, with its arguments.
///
/// The SQL uses only anonymous `?` placeholders, in the order of `arguments`, so it can be embedded
/// anywhere in a larger statement: `"SELECT … FROM component c WHERE \(sql) AND c.fid > ? LIMIT ?"`
/// with `arguments + [cursor, limit]`.
///
/// Semantics: comparisons follow SQL's three-valued logic (a NULL property makes `=`, `<` … and
/// their negations unknown, so the row is not selected); strings compare case-sensitively; LIKE is
/// case-sensitive (translated to GLOB); timestamps compare as instants (`julianday`); a spatial
/// predicate whose SpatiaLite function fails (-1) is unknown, not true.
public struct CQL2SQLCompiler: Sendable {
    public let queryables: [String: Queryable]
    public let table: String
    public let alias: String
    public let geometryColumn: String
    public let storageSrid: Int
    public let filterSrid: Int
    public let primaryKey: String

    /// Most bound values one filter may produce (SQLite allows 32,766 per statement; the caller
    /// needs a few of its own).
    public static let maximumArguments = 10_000
    /// Deepest expression tree `compile` accepts (the parser's limit leaves trees well below it).
    public static let maximumDepth = 2 * CQL2.maximumDepth + 8

    /// - Parameters:
    ///   - queryables: the properties filters may name, by name.
    ///   - table: the SpatiaLite layer table; its R*Tree is `idx_<table>_geom`.
    ///   - alias: the table's alias in the query (`t` in `FROM grid t`).
    ///   - geometryColumn: the indexed geometry as written in the query, e.g. `t.geom`; a geometry
    ///     queryable with this column goes through the R*Tree.
    ///   - storageSrid: the SRID of the layer's geometries.
    ///   - filterSrid: the SRID of geometry literals (`filter-crs`; 4326 for CRS84, lon/lat order).
    ///   - primaryKey: the table's INTEGER PRIMARY KEY, which the R*Tree's `pkid` refers to.
    public init(queryables: [String: Queryable], table: String, alias: String, geometryColumn: String,
                storageSrid: Int, filterSrid: Int, primaryKey: String = "fid") {
        precondition([table, alias, primaryKey].allSatisfy(Self.isPlainIdentifier),
                      "CQL2SQLCompiler: table, alias and primary key must be plain SQL identifiers")
        self.queryables = queryables; self.table = table; self.alias = alias
        self.geometryColumn = geometryColumn; self.storageSrid = storageSrid; self.filterSrid = filterSrid
        self.primaryKey = primaryKey
    }

    /// A compiler for an array of queryables (names must be unique).
    public init(queryables: [Queryable], table: String, alias: String, geometryColumn: String,
                storageSrid: Int, filterSrid: Int, primaryKey: String = "fid") {
        self.init(queryables: Dictionary(queryables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
                  table: table, alias: alias, geometryColumn: geometryColumn,
                  storageSrid: storageSrid, filterSrid: filterSrid, primaryKey: primaryKey)
    }

    /// The same compiler with geometry literals in another SRID (a request's `filter-crs`).
    public func with(filterSrid: Int) -> CQL2SQLCompiler {
        CQL2SQLCompiler(queryables: queryables, table: table, alias: alias, geometryColumn: geometryColumn,
                        storageSrid: storageSrid, filterSrid: filterSrid, primaryKey: primaryKey)
    }

    public func compile(_ expression: CQL2Expression) throws(CQL2CompileError) -> (sql: String, arguments: StatementArguments) {
        var spatialCount = 0
        let fragment = try predicate(expression, depth: 0, spatialCount: &spatialCount)
        guard fragment.arguments.count <= Self.maximumArguments else {
            throw CQL2CompileError(position: nil, message: "the filter has \(fragment.arguments.count) literal values; "
                                   + "at most \(Self.maximumArguments) are allowed")
        }
        return (fragment.sql, StatementArguments(fragment.arguments))
    }

    static func isPlainIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) || ("A"..."Z").contains(first) else {
            return false
        }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    // MARK: - Predicates

    private func predicate(_ e: CQL2Expression, depth: Int, spatialCount: inout Int) throws(CQL2CompileError) -> SQLFragment {
        guard depth <= Self.maximumDepth else {
            throw CQL2CompileError(position: nil, message: "the filter nests more than \(Self.maximumDepth) levels deep")
        }
        switch e {
        case .and(let parts), .or(let parts):
            let isAnd: Bool = if case .and = e { true } else { false }
            if parts.isEmpty { return SQLFragment.bound(isAnd) }   // AND() is TRUE, OR() FALSE
            var compiled: [SQLFragment] = []
            for part in parts { compiled.append(try predicate(part, depth: depth + 1, spatialCount: &spatialCount)) }
            return .concat(["(", .joined(compiled, separator: isAnd ? " AND " : " OR "), ")"])
        case .not(let inner):
            return .concat(["(NOT ", try predicate(inner, depth: depth + 1, spatialCount: &spatialCount), ")"])
        case .literal(let value):
            return .concat(["(", .bound(value), ")"])
        case .comparison(let lhs, let op, let rhs):
            let l = try operand(lhs), r = try operand(rhs)
            try requireSameType(l, r, doing: "compare")
            switch l.type {
            case .geometry:
                throw CQL2CompileError(position: l.position ?? r.position,
                                       message: "\(l.described) is a geometry: compare geometries with S_INTERSECTS, S_EQUALS, …")
            case .boolean where op != .equal && op != .notEqual:
                throw CQL2CompileError(position: l.position ?? r.position,
                                       message: "booleans are compared only with = and <>, not \(op.rawValue)")
            default:
                return .concat(["(", l.ordered, " \(op.rawValue) ", r.ordered, ")"])
            }
        case .like(let value, let pattern, let negated):
            let v = try operand(value)
            guard v.type == .string else {
                throw CQL2CompileError(position: v.position, message: "LIKE needs a string, but \(v.described) is a \(v.type.name)")
            }
            guard case .string(let text) = pattern else {
                throw CQL2CompileError(position: v.position, message: "the pattern of LIKE must be a string literal")
            }
            let glob: String
            do { glob = try Self.globPattern(like: text) } catch {
                throw CQL2CompileError(position: v.position, message: "LIKE pattern '\(text)' ends with a lone escape character '\\'")
            }
            return .concat(["(", v.sql, negated ? " NOT GLOB " : " GLOB ", .bound(glob), ")"])
        case .between(let value, let low, let high, let negated):
            let v = try operand(value), lo = try operand(low), hi = try operand(high)
            try requireSameType(v, lo, doing: "compare")
            try requireSameType(v, hi, doing: "compare")
            guard [.number, .string, .date, .timestamp].contains(v.type) else {
                throw CQL2CompileError(position: v.position ?? lo.position ?? hi.position,
                                       message: "BETWEEN needs numbers, strings, dates or timestamps, not \(v.type.name)s")
            }
            return .concat(["(", v.ordered, negated ? " NOT BETWEEN " : " BETWEEN ", lo.ordered, " AND ", hi.ordered, ")"])
        case .isIn(let value, let list, let negated):
            let v = try operand(value)
            if v.type == .geometry {
                throw CQL2CompileError(position: v.position, message: "\(v.described) is a geometry: IN takes scalar values")
            }
            var items: [SQLFragment] = []
            for item in list {
                let i = try operand(item)
                try requireSameType(v, i, doing: "compare")
                items.append(i.ordered)
            }
            if items.isEmpty { return SQLFragment.bound(negated) }
            return .concat(["(", v.ordered, negated ? " NOT IN (" : " IN (", .joined(items, separator: ", "), "))"])
        case .isNull(let value, let negated):
            let v = try operand(value)
            return .concat(["(", v.sql, negated ? " IS NOT NULL)" : " IS NULL)"])
        case .spatial(let op, let a, let b):
            spatialCount += 1
            return try spatial(op, a, b, number: spatialCount)
        }
    }

    private func requireSameType(_ a: CompiledOperand, _ b: CompiledOperand, doing verb: String) throws(CQL2CompileError) {
        guard a.type != b.type else { return }
        let temporal: [ValueType] = [.date, .timestamp]
        let hint = temporal.contains(a.type) || temporal.contains(b.type)
            ? " (write a date as DATE('YYYY-MM-DD') and an instant as TIMESTAMP('YYYY-MM-DDTHH:MM:SSZ'))" : ""
        throw CQL2CompileError(position: a.position ?? b.position,
                               message: "cannot \(verb) \(a.described) with \(b.described)\(hint)")
    }

    // MARK: - Operands

    enum ValueType: Equatable {
        case string, number, boolean, date, timestamp, geometry

        var name: String {
            switch self {
            case .string: "string"
            case .number: "number"
            case .boolean: "boolean"
            case .date: "date"
            case .timestamp: "timestamp"
            case .geometry: "geometry"
            }
        }
    }

    struct CompiledOperand {
        var sql: SQLFragment
        var type: ValueType
        var position: Int?
        var described: String

        /// The operand in a form whose SQL order is the CQL2 order: timestamps as Julian days (so
        /// `…:00Z` and `…:00.5Z` compare as instants, not as text).
        var ordered: SQLFragment { type == .timestamp ? .concat(["julianday(", sql, ")"]) : sql }
    }

    private func operand(_ o: CQL2Operand) throws(CQL2CompileError) -> CompiledOperand {
        switch o {
        case .property(let name, let position):
            guard let q = queryables[name] else { throw unknownProperty(name, at: position) }
            let type: ValueType = switch q.type {
            case .string: .string
            case .number, .integer: .number
            case .boolean: .boolean
            case .date: .date
            case .timestamp: .timestamp
            case .geometry: .geometry
            }
            return CompiledOperand(sql: SQLFragment(q.column), type: type, position: position,
                                   described: "property '\(name)' (\(q.type.rawValue))")
        case .string(let value):
            return CompiledOperand(sql: .bound(value), type: .string, position: nil, described: "a string")
        case .number(let value):
            return CompiledOperand(sql: .bound(value), type: .number, position: nil, described: "a number")
        case .boolean(let value):
            return CompiledOperand(sql: .bound(value), type: .boolean, position: nil, described: "a boolean")
        case .date(let value):
            return CompiledOperand(sql: .bound(value), type: .date, position: nil, described: "a DATE")
        case .timestamp(let value):
            return CompiledOperand(sql: .bound(value), type: .timestamp, position: nil, described: "a TIMESTAMP")
        case .geometry(let g):
            return CompiledOperand(sql: .concat(["(SELECT ", geometryLiteral(g), ")"]), type: .geometry, position: nil,
                                   described: "a geometry literal")
        }
    }

    private func unknownProperty(_ name: String, at position: Int) -> CQL2CompileError {
        let names = queryables.keys.sorted()
        var message = "unknown property '\(name)'"
        if let match = names.first(where: { $0.lowercased() == name.lowercased() }) {
            message += " (property names are case-sensitive: did you mean '\(match)'?)"
        }
        message += names.isEmpty ? "; this collection has no queryable properties"
                                 : "; the queryable properties are: " + names.joined(separator: ", ")
        return CQL2CompileError(position: position, message: message)
    }

    // MARK: - LIKE

    struct LonePatternEscape: Error {}

    /// A CQL2 LIKE pattern (`%` any run, `_` one character, `\` escapes the next character) as a
    /// SQLite GLOB pattern, which matches case-sensitively (`*`, `?`, and `[`…`]` classes): GLOB's own
    /// wildcards in the text become one-character classes (`[*]`, `[?]`, `[[]`).
    static func globPattern(like pattern: String) throws(LonePatternEscape) -> String {
        var out = String.UnicodeScalarView()
        func literal(_ c: Unicode.Scalar) {
            switch c {
            case "*", "?", "[": out.append(contentsOf: ["[", c, "]"])
            default: out.append(c)
            }
        }
        var scalars = pattern.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            switch c {
            case "\\":
                guard let escaped = scalars.next() else { throw LonePatternEscape() }
                literal(escaped)
            case "%": out.append("*")
            case "_": out.append("?")
            default: literal(c)
            }
        }
        return String(out)
    }

    // MARK: - Spatial predicates

    private static func function(_ op: CQL2SpatialOperator) -> String {
        switch op {
        case .intersects: "ST_Intersects"
        case .within: "ST_Within"
        case .contains: "ST_Contains"
        case .disjoint: "ST_Disjoint"
        case .equals: "ST_Equals"
        case .touches: "ST_Touches"
        case .crosses: "ST_Crosses"
        case .overlaps: "ST_Overlaps"
        }
    }

    /// The literal as a storage-SRID geometry: `GeomFromText(?, filterSrid)`, made 2D when it has z,
    /// and transformed when the SRIDs differ. (The SRIDs are our integers, never request text.)
    private func geometryLiteral(_ g: CQL2Geometry) -> SQLFragment {
        var sql: SQLFragment = .concat(["GeomFromText(", .bound(g.wkt), ", \(filterSrid))"])
        if g.hasZ { sql = .concat(["CastToXY(", sql, ")"]) }
        if filterSrid != storageSrid { sql = .concat(["ST_Transform(", sql, ", \(storageSrid))"]) }
        return sql
    }

    /// `nullif(ST_<op>(a, b), -1)`, and for every predicate but S_DISJOINT on the indexed column and a
    /// literal, first `<alias>.<pk> IN (<R*Tree rows whose box meets the literal's box>)`. The literal
    /// is built once for the R*Tree (a one-row subquery the index scan reads) and once for the exact
    /// test (a constant scalar subquery, evaluated once per statement).
    private func spatial(_ op: CQL2SpatialOperator, _ a: CQL2Operand, _ b: CQL2Operand,
                         number: Int) throws(CQL2CompileError) -> SQLFragment {
        let first = try operand(a), second = try operand(b)
        for side in [first, second] where side.type != .geometry {
            throw CQL2CompileError(position: side.position ?? first.position ?? second.position,
                                   message: "\(op.rawValue) compares geometries, but \(side.described) is not one")
        }
        let exact: SQLFragment = .concat(["nullif(\(Self.function(op))(", first.sql, ", ", second.sql, "), -1)"])
        guard op != .disjoint, let literal = indexedLiteral(a, b) else { return .concat(["(", exact, ")"]) }
        let q = "cql2_q\(number)", r = "cql2_r\(number)"
        let rtree: SQLFragment = .concat([
            "\(alias).\(primaryKey) IN (SELECT \(r).pkid FROM (SELECT ", geometryLiteral(literal), " AS g) AS \(q) ",
            "CROSS JOIN idx_\(table)_geom AS \(r) ",
            "WHERE \(r).xmin <= MbrMaxX(\(q).g) AND \(r).xmax >= MbrMinX(\(q).g) ",
            "AND \(r).ymin <= MbrMaxY(\(q).g) AND \(r).ymax >= MbrMinY(\(q).g))",
        ])
        return .concat(["(", rtree, " AND ", exact, ")"])
    }

    /// The literal of a predicate between the indexed geometry column and a literal, in either order.
    private func indexedLiteral(_ a: CQL2Operand, _ b: CQL2Operand) -> CQL2Geometry? {
        func isIndexed(_ o: CQL2Operand) -> Bool {
            if case .property(let name, _) = o, let q = queryables[name] { return q.type == .geometry && q.column == geometryColumn }
            return false
        }
        if isIndexed(a), case .geometry(let g) = b { return g }
        if isIndexed(b), case .geometry(let g) = a { return g }
        return nil
    }
}

/// SQL text with the arguments of its `?` placeholders, in order; concatenation keeps them together.
/// A string literal (interpolated only with our own names and SRIDs) is SQL without arguments.
struct SQLFragment: ExpressibleByStringInterpolation {
    var sql: String
    var arguments: [DatabaseValue]

    init(_ sql: String, arguments: [DatabaseValue] = []) {
        self.sql = sql; self.arguments = arguments
    }

    init(stringLiteral value: String) { self.init(value) }

    init(stringInterpolation: DefaultStringInterpolation) { self.init(String(stringInterpolation: stringInterpolation)) }

    static func bound(_ value: some DatabaseValueConvertible) -> SQLFragment { SQLFragment("?", arguments: [value.databaseValue]) }

    static func concat(_ parts: [SQLFragment]) -> SQLFragment {
        SQLFragment(parts.map(\.sql).joined(), arguments: parts.flatMap(\.arguments))
    }

    static func joined(_ parts: [SQLFragment], separator: String) -> SQLFragment {
        SQLFragment(parts.map(\.sql).joined(separator: separator), arguments: parts.flatMap(\.arguments))
    }
}
