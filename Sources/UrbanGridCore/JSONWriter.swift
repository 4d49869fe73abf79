import Foundation

/// JSON text written straight into bytes, for the answers of the hot paths (locate, intake):
/// Foundation's `JSONEncoder` costs more than the database work behind them. Types that take this
/// path still conform to `Codable` (clients and tests decode them), and a round-trip test keeps the
/// two in step.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// A comma before every member and element but the first of its container.
    private mutating func separate() {
        guard let last = bytes.last, last != UInt8(ascii: "{"), last != UInt8(ascii: "["), last != UInt8(ascii: ":") else { return }
        bytes.append(UInt8(ascii: ","))
    }

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        body(&self)
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func array<S: Sequence>(_ elements: S, _ body: (inout JSONWriter, S.Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        for e in elements { body(&self, e) }
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func key(_ name: String) {
        separate()
        quoted(name)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func string(_ s: String) {
        separate()
        quoted(s)
    }

    /// `s` as a JSON string literal.
    private mutating func quoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most text (codes, names) needs no escape: copy it whole.
        guard s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            bytes.append(contentsOf: s.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(c)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(c)
            case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(contentsOf: CollectionOfOne(c).lowercaseHex.utf8)
            default: bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The shortest text that reads back as the same Double; not a number → null (JSON has none).
    public mutating func number(_ v: Double) {
        guard v.isFinite else { return null() }
        separate()
        bytes.append(contentsOf: v.description.utf8)
    }

    public mutating func number(_ v: Int) {
        separate()
        bytes.append(contentsOf: String(v).utf8)
    }

    public mutating func bool(_ v: Bool) {
        separate()
        bytes.append(contentsOf: (v ? "true" : "false").utf8)
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    // Members: `key` then the value, in one call.
    public mutating func field(_ name: String, _ v: String) { key(name); string(v) }
    public mutating func field(_ name: String, _ v: Double) { key(name); number(v) }
    public mutating func field(_ name: String, _ v: Int) { key(name); number(v) }
    public mutating func field(_ name: String, _ v: Bool) { key(name); bool(v) }
    public mutating func field(_ name: String, _ v: some JSONWritable) { key(name); v.write(to: &self) }
}

/// A value that writes itself with `JSONWriter`.
public protocol JSONWritable {
    func write(to json: inout JSONWriter)
}

extension JSONWritable {
    public var jsonBytes: [UInt8] {
        var w = JSONWriter()
        write(to: &w)
        return w.bytes
    }
}

extension Array: JSONWritable where Element: JSONWritable {
    public func write(to json: inout JSONWriter) { json.array(self) { w, e in e.write(to: &w) } }
}

extension JSONWriter {
    /// RFC 3339 in UTC to the whole second ("2026-12-05T20:38:39Z"), as `JSONEncoder`'s `.iso8601`
    /// writes it, without a formatter.
    public mutating func date(_ d: Date) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        UTCTimestamp.append(d, milliseconds: false, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func field(_ name: String, _ v: Date) { key(name); date(v) }
    public mutating func field<R: RawRepresentable>(_ name: String, _ v: R) where R.RawValue == String { key(name); string(v.rawValue) }
    public mutating func field(_ name: String, _ v: Int64) { key(name); number(Int(v)) }

    // Members written only when present: what a synthesised `Codable` does with optionals.
    public mutating func fieldIfPresent(_ name: String, _ v: String?) { if let v { field(name, v) } }
    public mutating func fieldIfPresent(_ name: String, _ v: Double?) { if let v { field(name, v) } }
    public mutating func fieldIfPresent<R: RawRepresentable>(_ name: String, _ v: R?) where R.RawValue == String { if let v { field(name, v) } }
    public mutating func fieldIfPresent(_ name: String, _ v: (some JSONWritable)?) { if let v { field(name, v) } }
}
