/// A recursive-descent parser for cql2-text, after the CQL2 1.0 BNF:
///
///     booleanExpression = booleanTerm { OR booleanTerm }
///     booleanTerm       = booleanFactor { AND booleanFactor }
///     booleanFactor     = [ NOT ] booleanPrimary
///     booleanPrimary    = spatialPredicate | predicate | TRUE | FALSE | "(" booleanExpression ")"
///
/// so NOT binds tighter than AND, and AND tighter than OR. Parentheses and NOTs may nest
/// `CQL2.maximumDepth` deep.
struct CQL2Parser {
    private let tokens: [CQL2Token]
    private var index = 0
    private var depth = 0
    /// The coordinate count (2 or 3) of the geometry literal being read, once known.
    private var dimension: Int?

    /// Words that are never property names unless double-quoted.
    private static let reserved: Set<String> = ["AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL", "TRUE", "FALSE"]
    private static let geometryTags: Set<String> = Set(CQL2Geometry.Kind.allCases.map(\.rawValue))

    init(_ text: String) throws(CQL2SyntaxError) {
        tokens = try CQL2Lexer.tokens(text)
    }

    // MARK: - Tokens

    private var current: CQL2Token { tokens[index] }

    private func peek(_ offset: Int = 1) -> CQL2Token { tokens[min(index + offset, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> CQL2Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func error(_ message: String, at position: Int? = nil) -> CQL2SyntaxError {
        CQL2SyntaxError(position: position ?? current.position, message: message)
    }

    private func expected(_ what: String) -> CQL2SyntaxError {
        error("expected \(what), found \(found(current))")
    }

    private func found(_ token: CQL2Token) -> String {
        if let word = token.keyword, Self.reserved.contains(word) { return "keyword \(word)" }
        return token.described
    }

    @discardableResult
    private mutating func expect(_ kind: CQL2Token.Kind, _ what: String) throws(CQL2SyntaxError) -> CQL2Token {
        guard current.kind == kind else { throw expected(what) }
        return advance()
    }

    private mutating func enterNesting(at position: Int) throws(CQL2SyntaxError) {
        depth += 1
        if depth > CQL2.maximumDepth {
            throw error("the filter nests parentheses and NOTs more than \(CQL2.maximumDepth) levels deep", at: position)
        }
    }

    // MARK: - Boolean structure

    mutating func parseFilter() throws(CQL2SyntaxError) -> CQL2Expression {
        if current.kind == .end { throw error("empty filter: expected a predicate, found end of input") }
        let expression = try orExpression()
        switch current.kind {
        case .end: return expression
        case .rightParen: throw error("unbalanced parentheses: this ')' has no matching '('")
        default: throw expected("AND, OR or the end of the filter after a complete predicate")
        }
    }

    private mutating func orExpression() throws(CQL2SyntaxError) -> CQL2Expression {
        var terms = [try andExpression()]
        while current.isKeyword("OR") {
            advance()
            terms.append(try andExpression())
        }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func andExpression() throws(CQL2SyntaxError) -> CQL2Expression {
        var factors = [try factor()]
        while current.isKeyword("AND") {
            advance()
            factors.append(try factor())
        }
        return factors.count == 1 ? factors[0] : .and(factors)
    }

    private mutating func factor() throws(CQL2SyntaxError) -> CQL2Expression {
        guard current.isKeyword("NOT") else { return try primary() }
        try enterNesting(at: current.position)
        advance()
        let negated = try factor()
        depth -= 1
        return .not(negated)
    }

    private mutating func primary() throws(CQL2SyntaxError) -> CQL2Expression {
        if current.kind == .leftParen {
            let open = current.position
            try enterNesting(at: open)
            advance()
            let inner = try orExpression()
            guard current.kind == .rightParen else {
                throw expected(current.kind == .end ? "')' to close the '(' at \(open)" : "AND, OR or ')' to close the '(' at \(open)")
            }
            advance()
            depth -= 1
            return inner
        }
        if let word = current.keyword, peek().kind == .leftParen {
            if let op = CQL2SpatialOperator(rawValue: word) { return try spatialPredicate(op) }
            if word.hasPrefix("T_") || word.hasPrefix("A_") {
                throw error("\(word) is not supported: this server offers no temporal (T_*) or array (A_*) functions")
            }
        }
        return try predicate()
    }

    // MARK: - Predicates

    private mutating func predicate() throws(CQL2SyntaxError) -> CQL2Expression {
        let (left, leftPosition) = try operand("a predicate")
        let operatorToken = current
        switch current.kind {
        case .comparison(let op):
            advance()
            try requireScalar(left, at: leftPosition)
            let (right, rightPosition) = try operand("a value after '\(op.rawValue)'")
            try requireScalar(right, at: rightPosition)
            return .comparison(left, op, right)
        default:
            break
        }
        var negated = false
        if current.isKeyword("NOT") {
            advance()
            negated = true
            guard current.isKeyword("LIKE") || current.isKeyword("BETWEEN") || current.isKeyword("IN") else {
                throw expected("LIKE, BETWEEN or IN after NOT")
            }
        }
        switch current.keyword {
        case "LIKE":
            advance()
            switch left {
            case .property, .string: break
            default: throw error("LIKE needs a property or a string on its left", at: leftPosition)
            }
            if let word = current.keyword, word == "CASEI" || word == "ACCENTI", peek().kind == .leftParen {
                throw error("\(word) is not supported: LIKE compares case- and accent-sensitively here")
            }
            guard case .string(let pattern) = current.kind else { throw expected("a 'quoted' pattern after LIKE") }
            advance()
            return .like(left, .string(pattern), negated: negated)
        case "BETWEEN":
            advance()
            try requireScalar(left, at: leftPosition)
            let (low, lowPosition) = try operand("the lower end after BETWEEN")
            try requireScalar(low, at: lowPosition)
            guard current.isKeyword("AND") else { throw expected("AND between the two ends of BETWEEN") }
            advance()
            let (high, highPosition) = try operand("the upper end after BETWEEN … AND")
            try requireScalar(high, at: highPosition)
            return .between(left, low, high, negated: negated)
        case "IN":
            advance()
            try requireScalar(left, at: leftPosition)
            let open = current.position
            try expect(.leftParen, "'(' to open the list after IN")
            var items: [CQL2Operand] = []
            repeat {
                if !items.isEmpty { advance() }
                let (item, itemPosition) = try operand(items.isEmpty ? "a value in the IN list" : "a value after ','")
                try requireScalar(item, at: itemPosition)
                items.append(item)
            } while current.kind == .comma
            guard current.kind == .rightParen else { throw expected("',' or ')' to close the IN list opened at \(open)") }
            advance()
            return .isIn(left, items, negated: negated)
        case "IS":
            advance()
            var notNull = false
            if current.isKeyword("NOT") { advance(); notNull = true }
            guard current.isKeyword("NULL") else { throw expected(notNull ? "NULL after IS NOT" : "NULL or NOT NULL after IS") }
            advance()
            return .isNull(left, negated: notNull)
        default:
            if case .boolean(let value) = left { return .literal(value) }
            throw error("expected a comparison operator (=, <>, <, <=, >, >=), LIKE, BETWEEN, IN or IS after "
                        + "\(describe(left, at: leftPosition)), found \(found(operatorToken))")
        }
    }

    private func describe(_ operand: CQL2Operand, at position: Int) -> String {
        if case .property(let name, _) = operand { return "property '\(name)'" }
        return "the value at \(position)"
    }

    /// Comparisons, BETWEEN and IN take no geometry literal (the BNF's scalarExpression).
    private func requireScalar(_ operand: CQL2Operand, at position: Int) throws(CQL2SyntaxError) {
        if case .geometry = operand {
            throw error("a geometry literal can only be used in a spatial function (S_INTERSECTS, …) or with IS NULL",
                        at: position)
        }
    }

    private mutating func spatialPredicate(_ op: CQL2SpatialOperator) throws(CQL2SyntaxError) -> CQL2Expression {
        advance()
        try expect(.leftParen, "'(' after \(op.rawValue)")
        let first = try geometryOperand(op)
        try expect(.comma, "',' between the two geometries of \(op.rawValue)")
        let second = try geometryOperand(op)
        try expect(.rightParen, "')' to close \(op.rawValue)")
        return .spatial(op, first, second)
    }

    private mutating func geometryOperand(_ op: CQL2SpatialOperator) throws(CQL2SyntaxError) -> CQL2Operand {
        let (value, position) = try operand("a geometry or a property name in \(op.rawValue)")
        switch value {
        case .property, .geometry: return value
        default: throw error("\(op.rawValue) compares geometries: expected a geometry literal or a property name", at: position)
        }
    }

    // MARK: - Operands

    /// A property name or a literal; `what` names it in the error when something else stands there.
    private mutating func operand(_ what: String) throws(CQL2SyntaxError) -> (CQL2Operand, Int) {
        let token = current
        switch token.kind {
        case .string(let value):
            advance()
            return (.string(value), token.position)
        case .number(let value, _):
            advance()
            return (.number(value), token.position)
        case .quotedIdentifier(let name):
            advance()
            return (.property(name, position: token.position), token.position)
        case .identifier(let name):
            let word = token.keyword ?? name
            if word == "TRUE" || word == "FALSE" {
                advance()
                return (.boolean(word == "TRUE"), token.position)
            }
            if word == "NULL" {
                throw error("expected \(what), found keyword NULL (test for null with IS NULL or IS NOT NULL)")
            }
            if Self.reserved.contains(word) { throw expected(what) }
            let next = peek().kind
            if Self.geometryTags.contains(word)
                && (next == .leftParen || peek().isKeyword("Z") || peek().isKeyword("EMPTY")) {
                dimension = nil
                return (.geometry(try geometry()), token.position)
            }
            guard next == .leftParen else {
                advance()
                return (.property(name, position: token.position), token.position)
            }
            switch word {
            case "DATE", "TIMESTAMP":
                return (try instant(), token.position)
            case "INTERVAL":
                throw error("INTERVAL is not supported: this server offers no temporal functions")
            case "CASEI", "ACCENTI":
                throw error("\(word) is not supported: comparisons are case- and accent-sensitive here")
            default:
                if CQL2SpatialOperator(rawValue: word) != nil {
                    throw error("\(word) is a predicate, not a value: use it on its own, e.g. \(word)(geometry, POINT(1 2))")
                }
                throw error("unknown function '\(name)': this server offers no functions in filters")
            }
        default:
            throw expected(what)
        }
    }

    /// `DATE('YYYY-MM-DD')` or `TIMESTAMP('YYYY-MM-DDTHH:MM:SS[.fff]Z')`.
    private mutating func instant() throws(CQL2SyntaxError) -> CQL2Operand {
        let word = advance().keyword ?? ""
        try expect(.leftParen, "'(' after \(word)")
        guard case .string(let text) = current.kind else {
            throw expected(word == "DATE" ? "a 'YYYY-MM-DD' string in DATE(…)" : "a 'YYYY-MM-DDTHH:MM:SSZ' string in TIMESTAMP(…)")
        }
        if let problem = word == "DATE" ? CQL2Instant.dateProblem(text) : CQL2Instant.timestampProblem(text) {
            throw error("invalid \(word) '\(text)': \(problem)")
        }
        advance()
        try expect(.rightParen, "')' to close \(word)(…)")
        return word == "DATE" ? .date(text) : .timestamp(text)
    }

    // MARK: - Geometry literals

    private mutating func geometry() throws(CQL2SyntaxError) -> CQL2Geometry {
        let tagToken = advance()
        let tag = tagToken.keyword ?? ""
        if current.isKeyword("Z") {
            if tag == "BBOX" { throw error("BBOX takes no Z: give 6 numbers for a box with elevations") }
            advance()
            if dimension == 2 { throw error("Z geometry inside a 2D geometry collection") }
            dimension = 3
        }
        if current.isKeyword("EMPTY") { throw error("empty geometries (\(tag) EMPTY) are not supported") }
        switch tag {
        case "POINT":
            try expect(.leftParen, "'(' after POINT")
            let p = try position()
            try expect(.rightParen, "')' to close the POINT")
            return CQL2Geometry(.point(p))
        case "LINESTRING":
            return CQL2Geometry(.lineString(try lineString()))
        case "POLYGON":
            return CQL2Geometry(.polygon(try polygon()))
        case "MULTIPOINT":
            return CQL2Geometry(.multiPoint(try list { (p: inout CQL2Parser) throws(CQL2SyntaxError) in
                if p.current.kind == .leftParen {   // MULTIPOINT((1 2), (3 4)) as the BNF writes it
                    p.advance()
                    let point = try p.position()
                    try p.expect(.rightParen, "')' to close the point")
                    return point
                }
                return try p.position()                // MULTIPOINT(1 2, 3 4), as much WKT does
            }))
        case "MULTILINESTRING":
            return CQL2Geometry(.multiLineString(try list { (p: inout CQL2Parser) throws(CQL2SyntaxError) in try p.lineString() }))
        case "MULTIPOLYGON":
            return CQL2Geometry(.multiPolygon(try list { (p: inout CQL2Parser) throws(CQL2SyntaxError) in try p.polygon() }))
        case "GEOMETRYCOLLECTION":
            return CQL2Geometry(.geometryCollection(try list { (p: inout CQL2Parser) throws(CQL2SyntaxError) in
                guard let word = p.current.keyword, Self.geometryTags.contains(word), word != "BBOX",
                      word != "GEOMETRYCOLLECTION" else {
                    throw p.expected("POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING or MULTIPOLYGON in the GEOMETRYCOLLECTION")
                }
                return try p.geometry()
            }))
        default:
            return CQL2Geometry(.bbox(try bbox()))
        }
    }

    /// `( item { , item } )`.
    private mutating func list<T>(_ item: (inout CQL2Parser) throws(CQL2SyntaxError) -> T) throws(CQL2SyntaxError) -> [T] {
        let open = current.position
        try expect(.leftParen, "'('")
        var items = [try item(&self)]
        while current.kind == .comma {
            advance()
            items.append(try item(&self))
        }
        guard current.kind == .rightParen else { throw expected("',' or ')' to close the '(' at \(open)") }
        advance()
        return items
    }

    private mutating func coordinate(_ what: String) throws(CQL2SyntaxError) -> Double {
        guard case .number(let value, _) = current.kind else { throw expected(what) }
        advance()
        return value
    }

    /// `x y [z]`, with the same number of coordinates throughout one literal.
    private mutating func position() throws(CQL2SyntaxError) -> CQL2Position {
        let start = current.position
        let x = try coordinate("a number (x coordinate)")
        let y = try coordinate("a number (y coordinate)")
        var z: Double?
        if case .number = current.kind { z = try coordinate("a number (z coordinate)") }
        let count = z == nil ? 2 : 3
        if let dimension, dimension != count {
            throw error("this position has \(count) coordinates but the geometry has \(dimension) "
                        + "(every position of a literal needs the same number; Z geometries need 3)", at: start)
        }
        dimension = count
        return CQL2Position(x, y, z)
    }

    private mutating func lineString() throws(CQL2SyntaxError) -> [CQL2Position] {
        let open = current.position
        let points = try list { (p: inout CQL2Parser) throws(CQL2SyntaxError) in try p.position() }
        if points.count < 2 {
            throw error("a line string needs at least 2 positions, found \(points.count)", at: open)
        }
        return points
    }

    private mutating func polygon() throws(CQL2SyntaxError) -> [[CQL2Position]] {
        try list { (p: inout CQL2Parser) throws(CQL2SyntaxError) in
            let open = p.current.position
            let ring = try p.list { (q: inout CQL2Parser) throws(CQL2SyntaxError) in try q.position() }
            if ring.count < 4 {
                throw p.error("a polygon ring needs at least 4 positions (the first repeated at the end), found \(ring.count)", at: open)
            }
            if ring.first != ring.last {
                throw p.error("the polygon ring is not closed: its last position differs from its first", at: open)
            }
            return ring
        }
    }

    /// `(minx, miny, maxx, maxy)` or `(minx, miny, minz, maxx, maxy, maxz)`.
    private mutating func bbox() throws(CQL2SyntaxError) -> CQL2BoundingBox {
        let open = current.position
        var numbers: [(value: Double, position: Int)] = []
        _ = try list { (p: inout CQL2Parser) throws(CQL2SyntaxError) in
            let position = p.current.position
            numbers.append((try p.coordinate("a number in BBOX"), position))
        }
        guard numbers.count == 4 || numbers.count == 6 else {
            throw error("BBOX needs 4 numbers (minx, miny, maxx, maxy) or 6 (with minz and maxz), found \(numbers.count)", at: open)
        }
        let half = numbers.count / 2
        for axis in 0..<half where numbers[axis].value > numbers[axis + half].value {
            let name = ["x", "y", "z"][axis]
            throw error("BBOX min\(name) \(CQL2Geometry.number(numbers[axis].value)) is greater than max\(name) "
                        + "\(CQL2Geometry.number(numbers[axis + half].value))", at: numbers[axis].position)
        }
        let v = numbers.map(\.value)
        return half == 2
            ? CQL2BoundingBox(minX: v[0], minY: v[1], maxX: v[2], maxY: v[3])
            : CQL2BoundingBox(minX: v[0], minY: v[1], maxX: v[3], maxY: v[4], minZ: v[2], maxZ: v[5])
    }
}

/// Shape and range checks of the DATE and TIMESTAMP strings.
enum CQL2Instant {
    private static func digits(_ s: [Unicode.Scalar], _ range: Range<Int>) -> Int? {
        var value = 0
        for i in range {
            guard ("0"..."9").contains(s[i]) else { return nil }
            value = value * 10 + Int(s[i].value - 48)
        }
        return value
    }

    /// Why `text` is not a `YYYY-MM-DD` calendar date, or nil when it is one.
    static func dateProblem(_ text: String) -> String? {
        let s = Array(text.unicodeScalars)
        guard s.count >= 10, s[4] == "-", s[7] == "-", let year = digits(s, 0..<4), let month = digits(s, 5..<7),
              let day = digits(s, 8..<10) else { return "expected the form YYYY-MM-DD" }
        guard s.count == 10 else { return "expected the form YYYY-MM-DD, with nothing after the day" }
        guard (1...12).contains(month) else { return "month \(month) is out of range 1–12" }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return "day \(day) is out of range 1–\(days) for \(year)-\(month < 10 ? "0" : "")\(month)" }
        return nil
    }

    /// Why `text` is not a `YYYY-MM-DDTHH:MM:SS[.fff]Z` UTC timestamp, or nil when it is one.
    static func timestampProblem(_ text: String) -> String? {
        let form = "expected the form YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS.sssZ (UTC)"
        let s = Array(text.unicodeScalars)
        guard s.count >= 20, s[10] == "T" else { return form }
        if let problem = dateProblem(String(String.UnicodeScalarView(s[0..<10]))) { return problem }
        guard s[13] == ":", s[16] == ":", let hour = digits(s, 11..<13), let minute = digits(s, 14..<16),
              let second = digits(s, 17..<19) else { return form }
        var i = 19
        if s[i] == "." {
            i += 1
            let from = i
            while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
            if i == from { return form }
        }
        guard i == s.count - 1, s[i] == "Z" else { return form }
        guard hour <= 23 else { return "hour \(hour) is out of range 0–23" }
        guard minute <= 59 else { return "minute \(minute) is out of range 0–59" }
        guard second <= 59 else { return "second \(second) is out of range 0–59" }
        return nil
    }
}
