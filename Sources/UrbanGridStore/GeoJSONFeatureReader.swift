import Foundation

/// Reads one GeoJSON Feature object straight from its bytes into a `SourceFeature`.
///
/// `JSONSerialization` builds a Foundation object for every value and the import then converts
/// them again; for a 1,000,000-feature file that was a third of the import. This reader knows
/// the few members a feature has (`properties`, `geometry`, `id`), reads properties into
/// `PropertyValue`s, points into two doubles, and keeps any other geometry as its JSON text
/// (what `GeomFromGeoJSON` reads). It follows RFC 8259 strictly; on anything it does not accept
/// it answers nil and the caller hands the text to `JSONSerialization`, so a malformed file is
/// judged exactly as before.
struct GeoJSONFeatureReader {
    private let b: UnsafeBufferPointer<UInt8>
    private var i: Int
    private let end: Int
    /// Objects and arrays open around the position: a file nested deeper than any geometry needs
    /// is left to JSONSerialization (and its own limit) rather than to this reader's stack.
    private var depth = 0
    private static let maxDepth = 64

    private struct Malformed: Error {}

    private init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        b = bytes; i = range.lowerBound; end = range.upperBound
    }

    /// The feature whose text is `range` of `bytes`, or nil when the reader does not accept it.
    static func feature(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, index: Int) -> SourceFeature? {
        var r = GeoJSONFeatureReader(bytes, range)
        guard let f = try? r.feature(index: index) else { return nil }
        r.skipSpace()
        return r.i == r.end ? f : nil
    }

    private mutating func feature(index: Int) throws -> SourceFeature {
        var properties: [String: PropertyValue] = [:]
        var geometry: GeometryInput?
        var id: PropertyValue?
        try members { r, key in
            switch key {
            case "properties":
                properties = [:]   // a repeated member replaces the earlier one, as in JSONSerialization
                if try r.peek() == UInt8(ascii: "{") {
                    try r.members { r, name in properties[name] = try r.value() }
                } else {
                    try r.skip()
                }
            case "geometry": geometry = try r.geometry()
            case "id": id = try r.value()
            default: try r.skip()
            }
        }
        if let id, properties["id"] == nil { properties["id"] = id }
        return SourceFeature(index: index, properties: properties, geometry: geometry)
    }

    /// A Point as its coordinates; any other geometry object as its text; null as nil.
    private mutating func geometry() throws -> GeometryInput? {
        guard try peek() == UInt8(ascii: "{") else { try skip(); return nil }
        let start = i
        var type: String?, coordinates: [Double]?
        try members { r, key in
            switch key {
            case "type": if try r.peek() == UInt8(ascii: "\"") { type = try r.string() } else { try r.skip() }
            case "coordinates": coordinates = try r.numbers()
            default: try r.skip()
            }
        }
        if type == "Point", let c = coordinates, c.count >= 2 { return .point(c[0], c[1]) }
        return .geoJSON(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
    }

    /// An array of numbers, or nil (and the value skipped) when it is anything else.
    private mutating func numbers() throws -> [Double]? {
        let start = i
        guard try peek() == UInt8(ascii: "[") else { try skip(); return nil }
        i += 1
        var out: [Double] = []
        if try peek() == UInt8(ascii: "]") { i += 1; return out }
        while true {
            let c = try peek()
            guard c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) else {
                i = start
                try skip()
                return nil
            }
            out.append(try number().double)
            switch try next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "]"): return out
            default: throw Malformed()
            }
        }
    }

    // MARK: Values

    /// A property value as `FeatureSources` reads it: nested objects and arrays as their text.
    private mutating func value() throws -> PropertyValue {
        switch try peek() {
        case UInt8(ascii: "\""): return .text(try string())
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let start = i
            try skip()
            return .text(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            let n = try number()
            return .number(exact: n.integer, double: n.double)
        }
    }

    /// Skips one value of any kind, checking its syntax.
    private mutating func skip() throws {
        switch try peek() {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "{"): try members { r, _ in try r.skip() }
        case UInt8(ascii: "["):
            try enter()
            defer { depth -= 1 }
            i += 1
            if try peek() == UInt8(ascii: "]") { i += 1; return }
            repeat { try skip() } while try separator(closing: UInt8(ascii: "]"))
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    /// Reads an object, calling `body` at each member's value with the member's name.
    private mutating func members(_ body: (inout GeoJSONFeatureReader, String) throws -> Void) throws {
        guard try next() == UInt8(ascii: "{") else { throw Malformed() }
        try enter()
        defer { depth -= 1 }
        if try peek() == UInt8(ascii: "}") { i += 1; return }
        repeat {
            guard try peek() == UInt8(ascii: "\"") else { throw Malformed() }
            let key = try string()
            guard try next() == UInt8(ascii: ":") else { throw Malformed() }
            try body(&self, key)
        } while try separator(closing: UInt8(ascii: "}"))
    }

    private mutating func enter() throws {
        depth += 1
        guard depth <= Self.maxDepth else { throw Malformed() }
    }

    /// After an element: true at a comma, false at `closing`.
    private mutating func separator(closing: UInt8) throws -> Bool {
        switch try next() {
        case UInt8(ascii: ","): return true
        case closing: return false
        default: throw Malformed()
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard end - i >= n, memcmp(b.baseAddress! + i, word.utf8Start, n) == 0 else { throw Malformed() }
        i += n
    }

    /// A number: its exact value when it is an integer that fits, and its double.
    private mutating func number() throws -> (integer: Int64?, double: Double) {
        let start = i
        func digits() -> Int { let s = i; while i < end, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") { i += 1 }; return i - s }
        if i < end, b[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i, intDigits = digits()
        guard intDigits > 0, intDigits == 1 || b[intStart] != UInt8(ascii: "0") else { throw Malformed() }
        var integral = true
        if i < end, b[i] == UInt8(ascii: ".") {
            i += 1; integral = false
            guard digits() > 0 else { throw Malformed() }
        }
        if i < end, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1; integral = false
            if i < end, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw Malformed() }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        guard let d = Double(text) else { throw Malformed() }
        return (integral ? Int64(text) : nil, d)
    }

    /// A string at the reader's position, its escapes decoded; invalid UTF-8 is not accepted.
    private mutating func string() throws -> String {
        guard try next() == UInt8(ascii: "\"") else { throw Malformed() }
        let start = i
        var escaped = false
        while i < end {
            let c = b[i]
            if c == UInt8(ascii: "\"") { break }
            guard c >= 0x20 else { throw Malformed() }
            if c == UInt8(ascii: "\\") { escaped = true; i += 2 } else { i += 1 }
        }
        guard i < end else { throw Malformed() }
        let raw = UnsafeBufferPointer(rebasing: b[start..<i])
        i += 1
        let s = escaped ? String(validating: try Self.unescaped(raw), as: UTF8.self) : String(validating: raw, as: UTF8.self)
        guard let s else { throw Malformed() }
        return s
    }

    private static func unescaped(_ raw: UnsafeBufferPointer<UInt8>) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var j = 0
        func hex4() throws -> UInt32 {
            guard j + 4 <= raw.count else { throw Malformed() }
            var v: UInt32 = 0
            for k in j..<j + 4 {
                guard let d = Character(UnicodeScalar(raw[k])).hexDigitValue else { throw Malformed() }
                v = v << 4 | UInt32(d)
            }
            j += 4
            return v
        }
        while j < raw.count {
            let c = raw[j]
            j += 1
            guard c == UInt8(ascii: "\\") else { out.append(c); continue }
            guard j < raw.count else { throw Malformed() }
            let e = raw[j]
            j += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {   // a surrogate pair
                    guard j + 2 <= raw.count, raw[j] == UInt8(ascii: "\\"), raw[j + 1] == UInt8(ascii: "u") else { throw Malformed() }
                    j += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw Malformed() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw Malformed() }
                out.append(contentsOf: String(Character(u)).utf8)
            default: throw Malformed()
            }
        }
        return out
    }

    // MARK: Position

    mutating func skipSpace() {
        while i < end, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    /// The next significant byte, left in place.
    private mutating func peek() throws -> UInt8 {
        skipSpace()
        guard i < end else { throw Malformed() }
        return b[i]
    }

    /// The next significant byte, consumed.
    private mutating func next() throws -> UInt8 {
        let c = try peek()
        i += 1
        return c
    }
}
