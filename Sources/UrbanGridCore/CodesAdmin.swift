// Administrative and grid codes: region (GB/T 2260) → street (GB/T 10114) → community → unit grid
// (GB/T 30428.1 / DB11/T 2157: 6 + 3 + 3 + 3 = 15 digits). Each longer code embeds the shorter one,
// so a grid code alone says which community, street and county it belongs to.

extension String {
    /// Slice of a validated ASCII code by character offsets (codes are ASCII, so bytes are characters).
    func codeSlice(_ range: Range<Int>) -> String {
        let bytes = Array(utf8)[range]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The number formed by a validated ASCII digit slice.
    func codeNumber(_ range: Range<Int>) -> Int {
        Array(utf8)[range].reduce(0) { $0 * 10 + Int($1) - 48 }
    }
}

/// County-level administrative division code (GB/T 2260), e.g. `320508` 姑苏区.
///
/// Only the province part is checked against the standard's list (plus the placeholder 99 for demo and
/// foreign cities): the county list changes every year, so checking the last four digits would reject
/// real, newer codes.
public struct RegionCode: StandardCode {
    static let name = CodeName(en: "region code", zh: "行政区划代码")

    public let description: String

    public init(_ text: String) throws(CodeError) {
        let digits = try Digits(text, count: 6, name: Self.name)
        try SegmentRule.region(digits, at: 0)
        description = text
    }

    init(unchecked text: String) { description = text }

    /// The two-digit province part (11…82, or 99 for the placeholder range).
    public var province: Int { description.codeNumber(0..<2) }

    /// True for the 99xxxx placeholder range used by demo and non-Chinese cities.
    public var isPlaceholder: Bool { province == 99 }
}

/// What kind of township-level unit a street code names (first digit, GB/T 10114).
public enum StreetKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 街道 (first digit 0).
    case subdistrict
    /// 镇 (1).
    case town
    /// 乡 (2–3).
    case township
    /// 政企合一单位, e.g. state farms (4–5).
    case governmentEnterprise

    init?(firstDigit: Int) {
        switch firstDigit {
        case 0: self = .subdistrict
        case 1: self = .town
        case 2, 3: self = .township
        case 4, 5: self = .governmentEnterprise
        default: return nil
        }
    }
}

/// Street/town/township code: 6-digit region + 3-digit GB/T 10114 part (9 digits).
public struct StreetCode: StandardCode {
    static let name = CodeName(en: "street code", zh: "街道(镇、乡)代码")

    public let description: String

    public init(_ text: String) throws(CodeError) {
        let digits = try Digits(text, count: 9, name: Self.name)
        try SegmentRule.region(digits, at: 0)
        try SegmentRule.street(digits, at: 6)
        description = text
    }

    /// Builds the code from its parts; `street` is the 3-digit number (e.g. 1 for `001`).
    public init(region: RegionCode, street: Int) throws(CodeError) {
        guard (0...999).contains(street) else {
            throw CodeError(
                segment: .street,
                message: "street must be 001–599, got \(street)",
                messageZh: "街道(镇、乡)代码应为001–599，实际为\(street)")
        }
        try self.init(region.description + zeroPadded(street, width: 3))
    }

    init(unchecked text: String) { description = text }

    public var region: RegionCode { RegionCode(unchecked: description.codeSlice(0..<6)) }
    /// The 3-digit street number within the region.
    public var street: Int { description.codeNumber(6..<9) }
    public var kind: StreetKind { StreetKind(firstDigit: description.codeNumber(6..<7)) ?? .subdistrict }
}

/// Community/village code: 9-digit street code + 3-digit community (001–999), 12 digits.
public struct CommunityCode: StandardCode {
    static let name = CodeName(en: "community code", zh: "社区(村)代码")

    public let description: String

    public init(_ text: String) throws(CodeError) {
        let digits = try Digits(text, count: 12, name: Self.name)
        try SegmentRule.region(digits, at: 0)
        try SegmentRule.street(digits, at: 6)
        try SegmentRule.ordinal(digits.number(9..<12), width: 3, segment: .community,
                                en: "community segment", zh: "社区(村)代码段")
        description = text
    }

    /// Builds the code from its parts; `community` is 1…999.
    public init(street: StreetCode, community: Int) throws(CodeError) {
        try SegmentRule.ordinal(community, width: 3, segment: .community,
                                en: "community", zh: "社区(村)代码")
        description = street.description + zeroPadded(community, width: 3)
    }

    init(unchecked text: String) { description = text }

    public var region: RegionCode { RegionCode(unchecked: description.codeSlice(0..<6)) }
    public var streetCode: StreetCode { StreetCode(unchecked: description.codeSlice(0..<9)) }
    /// The 3-digit community number within the street.
    public var community: Int { description.codeNumber(9..<12) }
}

/// Unit-grid code (单元网格标识码): 12-digit community code + 3-digit sequence, 15 digits.
///
/// Sequences run west→east, north→south inside one community, and a grid never spans communities,
/// which is why the community code is a prefix rather than a separate attribute.
public struct GridCode: StandardCode {
    static let name = CodeName(en: "grid code", zh: "单元网格标识码")

    public let description: String

    public init(_ text: String) throws(CodeError) {
        let digits = try Digits(text, count: 15, name: Self.name)
        try SegmentRule.region(digits, at: 0)
        try SegmentRule.street(digits, at: 6)
        try SegmentRule.ordinal(digits.number(9..<12), width: 3, segment: .community,
                                en: "community segment", zh: "社区(村)代码段")
        try SegmentRule.ordinal(digits.number(12..<15), width: 3, segment: .sequence,
                                en: "grid sequence segment", zh: "网格顺序码段")
        description = text
    }

    /// The `sequence`-th grid (1…999) of `community`.
    public init(community: CommunityCode, sequence: Int) throws(CodeError) {
        try SegmentRule.ordinal(sequence, width: 3, segment: .sequence,
                                en: "grid sequence", zh: "网格顺序码")
        description = community.description + zeroPadded(sequence, width: 3)
    }

    public var region: RegionCode { RegionCode(unchecked: description.codeSlice(0..<6)) }
    public var streetCode: StreetCode { StreetCode(unchecked: description.codeSlice(0..<9)) }
    public var communityCode: CommunityCode { CommunityCode(unchecked: description.codeSlice(0..<12)) }
    /// The grid's running number within its community (1…999).
    public var sequence: Int { description.codeNumber(12..<15) }
}
