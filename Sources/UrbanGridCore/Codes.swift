/// A fixed-length numeric code from the national standards (region, grid, component, matter…).
///
/// Every conforming type can only be built through validation, so holding one proves the text is
/// well-formed; it travels in JSON and SQL as its plain digit string.
public protocol StandardCode: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Parses and validates `text`, reporting the first bad segment.
    init(_ text: String) throws(CodeError)
    /// The canonical digit string.
    var description: String { get }
}

extension StandardCode {
    /// Same-length digit strings order like their numbers, so codes sort as the standards list them.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

// MARK: - Parsing helpers (internal)

/// What a code is called in error messages, in both languages.
struct CodeName: Sendable {
    let en: String
    let zh: String
}

/// The digits of a code whose length and character set have been checked.
struct Digits: Sendable {
    let values: [Int]
    let text: String

    /// Checks length first, then characters, so the error names the most basic fault.
    init(_ text: String, count: Int, name: CodeName) throws(CodeError) {
        let characters = Array(text)
        guard characters.count == count else {
            throw CodeError(
                segment: .length,
                message: "\(name.en) must have \(count) digits, got \(characters.count) characters",
                messageZh: "\(name.zh)应为\(count)位数字，实际为\(characters.count)位")
        }
        var values: [Int] = []
        values.reserveCapacity(count)
        for (index, character) in characters.enumerated() {
            // Only ASCII 0–9: full-width "０" looks right on screen but would never match the stored code.
            guard let ascii = character.asciiValue, ascii >= 48, ascii <= 57 else {
                throw CodeError(
                    segment: .characters,
                    message: "\(name.en) may contain only digits 0-9; character \(index + 1) is \"\(character)\"",
                    messageZh: "\(name.zh)只能包含数字0-9，第\(index + 1)位为“\(character)”")
            }
            values.append(Int(ascii) - 48)
        }
        self.values = values
        self.text = text
    }

    /// The number formed by the digits in `range`.
    func number(_ range: Range<Int>) -> Int {
        values[range].reduce(0) { $0 * 10 + $1 }
    }

    /// The substring for `range`, for messages and sub-codes.
    func string(_ range: Range<Int>) -> String {
        String(Array(text)[range])
    }
}

/// `n` as a decimal string left-padded with zeros to `width`.
public func zeroPadded(_ n: Int, width: Int) -> String {
    let digits = String(n)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// Segment rules shared by several codes; each throws the segment's own error.
enum SegmentRule {
    /// Province-level parts of GB/T 2260 (mainland 11–65, Taiwan 71, Hong Kong 81, Macao 82).
    /// 99 is accepted as a placeholder so demo and foreign cities can have a region code.
    static let provinces: Set<Int> = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 99,
    ]

    static func region(_ d: Digits, at start: Int) throws(CodeError) {
        let text = d.string(start..<start + 6)
        if text == "000000" {
            throw CodeError(
                segment: .region,
                message: "region segment 000000 is not an administrative division",
                messageZh: "行政区划代码段000000不是有效的行政区划")
        }
        let province = d.number(start..<start + 2)
        guard provinces.contains(province) else {
            throw CodeError(
                segment: .region,
                message: "region segment \(text): province part \(zeroPadded(province, width: 2)) is not a GB/T 2260 province (11–82) or the placeholder 99",
                messageZh: "行政区划代码段\(text)：省级代码\(zeroPadded(province, width: 2))不是GB/T 2260中的省级代码（11–82）或占位代码99")
        }
    }

    static func street(_ d: Digits, at start: Int) throws(CodeError) {
        let text = d.string(start..<start + 3)
        if text == "000" {
            throw CodeError(
                segment: .street,
                message: "street segment must not be 000",
                messageZh: "街道(镇、乡)代码段不能为000")
        }
        guard StreetKind(firstDigit: d.values[start]) != nil else {
            throw CodeError(
                segment: .street,
                message: "street segment \(text): first digit must be 0 (subdistrict), 1 (town), 2–3 (township) or 4–5 (government-enterprise unit)",
                messageZh: "街道(镇、乡)代码段\(text)：首位应为0（街道）、1（镇）、2–3（乡）或4–5（政企合一单位）")
        }
    }

    /// A running number or category that must be 1…(10^width − 1), i.e. not all zeros.
    static func ordinal(_ value: Int, width: Int, segment: CodeError.Segment, en: String, zh: String) throws(CodeError) {
        var upper = 1
        for _ in 0..<width { upper *= 10 }
        guard value >= 1, value < upper else {
            let lowest = zeroPadded(1, width: width)
            let highest = String(repeating: "9", count: width)
            let got = value >= 0 ? zeroPadded(value, width: width) : String(value)
            throw CodeError(
                segment: segment,
                message: "\(en) must be \(lowest)–\(highest), got \(got)",
                messageZh: "\(zh)应为\(lowest)–\(highest)，实际为\(got)")
        }
    }
}
