/// A cql2-text token with the code-point offset of its first character.
struct CQL2Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A bare name: a property, a keyword (AND, LIKE, …) or a function or geometry tag (S_WITHIN, POINT, …).
        case identifier(String)
        /// A "double-quoted" name: always a property, never a keyword.
        case quotedIdentifier(String)
        case string(String)
        /// A number with its sign, and the text as written (for messages).
        case number(Double, text: String)
        case leftParen, rightParen, comma
        case comparison(CQL2ComparisonOperator)
        case end
    }

    var kind: Kind
    var position: Int

    /// The bare name upper-cased (ASCII only), for keyword tests; nil for any other token.
    var keyword: String? {
        if case .identifier(let name) = kind { return String(name.unicodeScalars.map { scalar in
            ("a"..."z").contains(scalar) ? Character(Unicode.Scalar(scalar.value - 32)!) : Character(scalar)
        }) }
        return nil
    }

    func isKeyword(_ word: String) -> Bool { keyword == word }

    /// How the token reads in an error message.
    var described: String {
        switch kind {
        case .identifier(let name): "'\(Self.clipped(name))'"
        case .quotedIdentifier(let name): "\"\(Self.clipped(name))\""
        case .string(let value): "string '\(Self.clipped(value))'"
        case .number(_, let text): "number \(Self.clipped(text))"
        case .leftParen: "'('"
        case .rightParen: "')'"
        case .comma: "','"
        case .comparison(let op): "'\(op.rawValue)'"
        case .end: "end of input"
        }
    }

    private static func clipped(_ text: String) -> String {
        text.unicodeScalars.count <= 40 ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(37))) + "…"
    }
}

/// Splits cql2-text into tokens. Offsets count Unicode code points.
struct CQL2Lexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    /// Every token of the text, ending with `.end` at the text's length.
    static func tokens(_ text: String) throws(CQL2SyntaxError) -> [CQL2Token] {
        var lexer = CQL2Lexer(text)
        var tokens: [CQL2Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    mutating func next() throws(CQL2SyntaxError) -> CQL2Token {
        while let c = peek(), Self.isWhitespace(c) { index += 1 }
        let start = index
        guard let c = peek() else { return CQL2Token(kind: .end, position: start) }
        func symbol(_ kind: CQL2Token.Kind, length: Int = 1) -> CQL2Token {
            index += length
            return CQL2Token(kind: kind, position: start)
        }
        switch c {
        case "(": return symbol(.leftParen)
        case ")": return symbol(.rightParen)
        case ",": return symbol(.comma)
        case "=": return symbol(.comparison(.equal))
        case "<":
            if peek(1) == ">" { return symbol(.comparison(.notEqual), length: 2) }
            if peek(1) == "=" { return symbol(.comparison(.lessOrEqual), length: 2) }
            return symbol(.comparison(.less))
        case ">":
            if peek(1) == "=" { return symbol(.comparison(.greaterOrEqual), length: 2) }
            return symbol(.comparison(.greater))
        case "!" where peek(1) == "=":
            throw CQL2SyntaxError(position: start, message: "unexpected '!=': CQL2 writes 'not equal' as '<>'")
        case "'": return try string()
        case "\"": return try quotedIdentifier()
        case "0"..."9", ".", "+", "-": return try number()
        default:
            if Self.isIdentifierStart(c) {
                while let c = peek(), Self.isIdentifierPart(c) { index += 1 }
                return CQL2Token(kind: .identifier(text(start..<index)), position: start)
            }
            throw CQL2SyntaxError(position: start, message: "unexpected character \(Self.describe(c))")
        }
    }

    private func text(_ range: Range<Int>) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[range])
        return String(s)
    }

    /// `'…'` with `''` and `\'` for a quote. Any other backslash is kept, and `\\` is kept as a pair (so
    /// `'a\\'` ends the string): a LIKE pattern reads them as its escapes.
    private mutating func string() throws(CQL2SyntaxError) -> CQL2Token {
        let start = index
        index += 1
        var value = String.UnicodeScalarView()
        while true {
            guard let c = peek() else {
                throw CQL2SyntaxError(position: start,
                                      message: "unterminated string: expected a closing ' for the string that starts here, found end of input")
            }
            switch c {
            case "'":
                if peek(1) == "'" { value.append("'"); index += 2; continue }
                index += 1
                return CQL2Token(kind: .string(String(value)), position: start)
            case "\\" where peek(1) == "'":
                value.append("'"); index += 2
            case "\\" where peek(1) == "\\":
                value.append(contentsOf: ["\\", "\\"]); index += 2
            default:
                if Self.isForbiddenInString(c) {
                    throw CQL2SyntaxError(position: index, message: "control character \(Self.describe(c)) is not allowed in a string")
                }
                value.append(c); index += 1
            }
        }
    }

    /// `"name"`: a property name that may collide with a keyword or contain any character but `"`.
    private mutating func quotedIdentifier() throws(CQL2SyntaxError) -> CQL2Token {
        let start = index
        index += 1
        while let c = peek(), c != "\"" {
            if Self.isForbiddenInString(c) {
                throw CQL2SyntaxError(position: index, message: "control character \(Self.describe(c)) is not allowed in a property name")
            }
            index += 1
        }
        guard peek() == "\"" else {
            throw CQL2SyntaxError(position: start,
                                  message: "unterminated property name: expected a closing \" for the name that starts here, found end of input")
        }
        let name = text(start + 1..<index)
        index += 1
        guard !name.isEmpty else { throw CQL2SyntaxError(position: start, message: "empty property name \"\"") }
        return CQL2Token(kind: .quotedIdentifier(name), position: start)
    }

    /// `[+|-] (digits [. [digits]] | . digits) [(E|e) [+|-] digits]`.
    private mutating func number() throws(CQL2SyntaxError) -> CQL2Token {
        let start = index
        func digits() -> Int {
            let from = index
            while let c = peek(), ("0"..."9").contains(c) { index += 1 }
            return index - from
        }
        if peek() == "+" || peek() == "-" { index += 1 }
        var mantissaDigits = digits()
        if peek() == "." {
            index += 1
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else {
            let found = index < scalars.count ? Self.describe(scalars[index]) : "end of input"
            let what = index - start == 1 && (scalars[start] == "+" || scalars[start] == "-")
                ? "a number after '\(scalars[start])' (CQL2 arithmetic is not supported)" : "a digit"
            throw CQL2SyntaxError(position: index, message: "expected \(what), found \(found)")
        }
        if peek() == "e" || peek() == "E" {
            let mark = index
            index += 1
            if peek() == "+" || peek() == "-" { index += 1 }
            if digits() == 0 {
                throw CQL2SyntaxError(position: mark, message: "malformed number \(text(start..<index)): expected the exponent's digits after 'E'")
            }
        }
        if let c = peek(), Self.isIdentifierPart(c) || c == "." {
            throw CQL2SyntaxError(position: index,
                                  message: "malformed number: unexpected \(Self.describe(c)) right after \(text(start..<index))")
        }
        let written = text(start..<index)
        guard let value = Double(written), value.isFinite else {
            throw CQL2SyntaxError(position: start, message: "number \(written) is out of range (not a finite double)")
        }
        return CQL2Token(kind: .number(value, text: written), position: start)
    }

    static func describe(_ c: Unicode.Scalar) -> String {
        let hex = String(c.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return c.properties.generalCategory == .control || c.properties.isWhitespace ? code : "'\(c)' (\(code))"
    }

    /// Whitespace of the CQL2 BNF (ASCII and the Unicode spaces, including the ideographic space U+3000).
    static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// C0 controls other than the whitespace ones, and DEL.
    static func isForbiddenInString(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x00...0x06, 0x0E...0x1F: true
        default: false
        }
    }

    /// identifierStart of the CQL2 BNF (after XML names): letters of most scripts, `:` and `_`.
    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x3A, 0x5F, 0x41...0x5A, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D,
             0x37F...0x1FFE, 0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF,
             0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF: true
        default: false
        }
    }

    /// identifierPart: a start character, `.`, a digit, a combining mark (U+0300–036F) or ‿ ⁀.
    static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x2E, 0x30...0x39, 0x300...0x36F, 0x203F...0x2040: true
        default: isIdentifierStart(c)
        }
    }
}
