/// CQL2 (OGC 21-065, Common Query Language) filter expressions: the tree `CQL2.parse` builds from
/// cql2-text and the store compiles into SQL.
///
/// Covered: Basic CQL2 (comparisons, AND/OR/NOT, IS [NOT] NULL, TRUE/FALSE), the advanced
/// comparison operators ([NOT] LIKE, [NOT] BETWEEN, [NOT] IN), the spatial functions S_INTERSECTS,
/// S_WITHIN, S_CONTAINS, S_DISJOINT, S_EQUALS, S_TOUCHES, S_CROSSES and S_OVERLAPS on WKT and BBOX
/// literals, DATE and TIMESTAMP instants, and property-property comparisons. Not covered: arithmetic,
/// CASEI/ACCENTI, temporal (T_*) and array (A_*) functions, INTERVAL, custom functions.
public enum CQL2 {
    /// Deepest nesting of parentheses and NOTs `parse` accepts: a filter is untrusted input, and
    /// recursion on it must stay shallow.
    public static let maximumDepth = 100

    /// Parses a cql2-text filter. Keywords are case-insensitive; property names keep their case.
    public static func parse(_ text: String) throws(CQL2SyntaxError) -> CQL2Expression {
        var parser = try CQL2Parser(text)
        return try parser.parseFilter()
    }
}

/// Why a cql2-text filter was rejected, and where.
public struct CQL2SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 0-based offset into the text, counted in Unicode code points (one per Chinese character).
    public var position: Int
    /// English: what was expected and what was found.
    public var message: String

    public init(position: Int, message: String) {
        self.position = position
        self.message = message
    }

    public var description: String { "at \(position): \(message)" }
}

/// A boolean-valued CQL2 expression.
public indirect enum CQL2Expression: Equatable, Sendable {
    /// Two or more conjuncts, in the order written.
    case and([CQL2Expression])
    /// Two or more disjuncts, in the order written.
    case or([CQL2Expression])
    case not(CQL2Expression)
    case comparison(CQL2Operand, CQL2ComparisonOperator, CQL2Operand)
    /// `value [NOT] LIKE pattern`: `%` any run of characters, `_` one character, `\` escapes the next
    /// character. Case-sensitive.
    case like(CQL2Operand, CQL2Operand, negated: Bool)
    /// `value [NOT] BETWEEN low AND high` (both ends included).
    case between(CQL2Operand, CQL2Operand, CQL2Operand, negated: Bool)
    case isIn(CQL2Operand, [CQL2Operand], negated: Bool)
    case isNull(CQL2Operand, negated: Bool)
    case spatial(CQL2SpatialOperator, CQL2Operand, CQL2Operand)
    /// TRUE or FALSE standing as a whole predicate.
    case literal(Bool)
}

/// A value in an expression: a property of the feature or a literal.
public enum CQL2Operand: Equatable, Sendable {
    /// A property name (also a "double-quoted" one, given without its quotes), with the offset of its
    /// first character (the quote, when quoted) for error messages.
    case property(String, position: Int)
    /// A 'single-quoted' string, with `''` and `\'` read as a quote.
    case string(String)
    case number(Double)
    case boolean(Bool)
    /// `TIMESTAMP('YYYY-MM-DDTHH:MM:SS[.fff]Z')`: the ISO 8601 text inside, checked for shape and range.
    case timestamp(String)
    /// `DATE('YYYY-MM-DD')`: the text inside, checked for shape and range.
    case date(String)
    case geometry(CQL2Geometry)
}

public enum CQL2ComparisonOperator: String, Equatable, Sendable, CaseIterable {
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

/// The spatial comparison functions, named as in cql2-text; their meaning is the DE-9IM one of
/// OGC Simple Features (the same as SpatiaLite's and GEOS's).
public enum CQL2SpatialOperator: String, Equatable, Sendable, CaseIterable {
    case intersects = "S_INTERSECTS", within = "S_WITHIN", contains = "S_CONTAINS", disjoint = "S_DISJOINT"
    case equals = "S_EQUALS", touches = "S_TOUCHES", crosses = "S_CROSSES", overlaps = "S_OVERLAPS"
}
