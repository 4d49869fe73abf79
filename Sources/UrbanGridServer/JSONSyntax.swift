/// RFC 8259 syntax, checked on every JSON request body before it is decoded: Foundation's decoder
/// is lenient (it takes trailing commas), and a body must be refused for what it is, not for what
/// a decoder guesses. One pass, no recursion: nesting is counted on a small stack and limited, so
/// 100,000 nested arrays cost microseconds and no call stack.
enum JSONSyntax {
    /// Deepest nesting of arrays and objects accepted (the API's bodies use 3).
    static let maximumDepth = 64

    struct Failure: Error, Equatable {
        /// 0-based byte offset of the fault.
        var offset: Int
        var reason: String
    }

    private enum Expect { case value, valueOrClose, memberOrClose, member, colon, commaOrClose, end }

    static func check(_ bytes: [UInt8]) throws(Failure) {
        var stack: [UInt8] = []
        var expect = Expect.value
        var i = 0
        func fail(_ reason: String) -> Failure { Failure(offset: i, reason: reason) }
        func afterValue() -> Expect { stack.isEmpty ? .end : .commaOrClose }

        while true {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
            guard i < bytes.count else {
                guard expect == .end else { throw fail(bytes.isEmpty ? "the body is empty" : "the JSON ends too early") }
                return
            }
            let c = bytes[i]
            switch expect {
            case .end:
                throw fail("more data after the JSON value")
            case .colon:
                guard c == UInt8(ascii: ":") else { throw fail("expected ':' after a member name") }
                i += 1
                expect = .value
            case .commaOrClose:
                if c == UInt8(ascii: ",") {
                    i += 1
                    expect = stack.last == UInt8(ascii: "{") ? .member : .value
                } else if (c == UInt8(ascii: "}") && stack.last == UInt8(ascii: "{")) || (c == UInt8(ascii: "]") && stack.last == UInt8(ascii: "[")) {
                    i += 1
                    stack.removeLast()
                    expect = afterValue()
                } else {
                    throw fail("expected ',' or the end of the \(stack.last == UInt8(ascii: "{") ? "object" : "array")")
                }
            case .member, .memberOrClose:
                if expect == .memberOrClose, c == UInt8(ascii: "}") {
                    i += 1
                    stack.removeLast()
                    expect = afterValue()
                } else {
                    guard c == UInt8(ascii: "\"") else { throw fail(expect == .member ? "expected a member name after ','" : "expected a member name or '}'") }
                    try string(bytes, &i)
                    expect = .colon
                }
            case .value, .valueOrClose:
                if expect == .valueOrClose, c == UInt8(ascii: "]") {
                    i += 1
                    stack.removeLast()
                    expect = afterValue()
                } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    guard stack.count < maximumDepth else { throw fail("nested more than \(maximumDepth) levels deep") }
                    stack.append(c)
                    i += 1
                    expect = c == UInt8(ascii: "{") ? .memberOrClose : .valueOrClose
                } else {
                    try scalar(bytes, &i)
                    expect = afterValue()
                }
            }
        }
    }

    /// A string, number, true, false or null starting at `i`; `i` ends after it.
    private static func scalar(_ bytes: [UInt8], _ i: inout Int) throws(Failure) {
        let c = bytes[i]
        if c == UInt8(ascii: "\"") { return try string(bytes, &i) }
        if c == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { return try number(bytes, &i) }
        for word in ["true", "false", "null"] where c == word.utf8.first {
            guard bytes[i...].starts(with: word.utf8) else { break }
            i += word.utf8.count
            return
        }
        throw Failure(offset: i, reason: "expected a value (object, array, string, number, true, false or null)")
    }

    private static func string(_ bytes: [UInt8], _ i: inout Int) throws(Failure) {
        let start = i
        i += 1
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "\""):
                i += 1
                return
            case UInt8(ascii: "\\"):
                guard i + 1 < bytes.count else { throw Failure(offset: start, reason: "a string without its closing quote") }
                let e = bytes[i + 1]
                if e == UInt8(ascii: "u") {
                    guard i + 5 < bytes.count, bytes[(i + 2)...(i + 5)].allSatisfy(isHexDigit) else {
                        throw Failure(offset: i, reason: "\\u must be followed by 4 hex digits")
                    }
                    i += 6
                } else {
                    guard "\"\\/bfnrt".utf8.contains(e) else { throw Failure(offset: i, reason: "unknown escape in a string") }
                    i += 2
                }
            case 0..<0x20:
                throw Failure(offset: i, reason: "a control character in a string (escape it)")
            default:
                i += 1
            }
        }
        throw Failure(offset: start, reason: "a string without its closing quote")
    }

    private static func number(_ bytes: [UInt8], _ i: inout Int) throws(Failure) {
        let start = i
        func digits() -> Int {
            let from = i
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            return i - from
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        let leadingZero = i < bytes.count && bytes[i] == UInt8(ascii: "0")
        let integer = digits()
        guard integer > 0, !(leadingZero && integer > 1) else { throw Failure(offset: start, reason: "a malformed number") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw Failure(offset: start, reason: "a malformed number") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw Failure(offset: start, reason: "a malformed number") }
        }
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(c)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(c)
    }
}
