// GB/T 47678.5-2026 codes: a 5-digit type code (2 major + 3 minor) shared by components (部件,
// App. A, majors 01–05) and matters (事项, App. C, majors 01–10); a 17-digit component instance id;
// an 11-digit matter code.

/// Which appendix of GB/T 47678.5 a type code belongs to.
///
/// Both appendices use the same 5-digit scheme (01001 is a manhole cover *and* "manhole cover
/// abnormal"), so a type code is only unique together with its kind.
public enum CatalogKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 管理部件: a fixed object with an instance id.
    case component
    /// 事项: something reported, coded by type only.
    case matter

    /// Valid major categories: components 01–05, matters 01–10.
    public var majorRange: ClosedRange<Int> {
        switch self {
        case .component: 1...5
        case .matter: 1...10
        }
    }

    var englishName: String { rawValue }
    var chineseName: String {
        switch self {
        case .component: "管理部件"
        case .matter: "事项"
        }
    }
}

/// GB/T 47678.5 type code: 2-digit major (01–10) + 3-digit minor (001–999), e.g. `01001` 供水井盖.
///
/// `init(_:)` checks only the shape common to both kinds; use `init(_:kind:)` or `validated(for:)`
/// where the kind is known, so a matter type cannot slip into a component id.
public struct TypeCode: StandardCode {
    static let name = CodeName(en: "type code", zh: "分类代码")

    public let description: String

    public init(_ text: String) throws(CodeError) {
        let digits = try Digits(text, count: 5, name: Self.name)
        try Self.checkParts(digits, at: 0, kind: nil)
        description = text
    }

    /// Parses and also checks the major category against `kind`.
    public init(_ text: String, kind: CatalogKind) throws(CodeError) {
        let digits = try Digits(text, count: 5, name: Self.name)
        try Self.checkParts(digits, at: 0, kind: kind)
        description = text
    }

    /// Builds the code from a major (1…10) and minor (1…999) category.
    public init(major: Int, minor: Int) throws(CodeError) {
        try Self.checkMajor(major, kind: nil)
        try SegmentRule.ordinal(minor, width: 3, segment: .minor, en: "minor category", zh: "小类代码")
        description = zeroPadded(major, width: 2) + zeroPadded(minor, width: 3)
    }

    init(unchecked text: String) { description = text }

    /// Major category, 1…10.
    public var major: Int { description.codeNumber(0..<2) }
    /// Minor category, 1…999.
    public var minor: Int { description.codeNumber(2..<5) }

    /// True when the major category (01–05) is one that components use.
    public var isComponentMajor: Bool { CatalogKind.component.majorRange.contains(major) }

    /// Whether this code can name a type of `kind`.
    public func allows(_ kind: CatalogKind) -> Bool { kind.majorRange.contains(major) }

    /// This code, or the `.major` error explaining why it cannot be a `kind` type.
    public func validated(for kind: CatalogKind) throws(CodeError) -> TypeCode {
        try Self.checkMajor(major, kind: kind)
        return self
    }

    /// Checks major then minor of a type code embedded at `start` (also used by ComponentID/MatterCode).
    static func checkParts(_ digits: Digits, at start: Int, kind: CatalogKind?) throws(CodeError) {
        try checkMajor(digits.number(start..<start + 2), kind: kind)
        try SegmentRule.ordinal(digits.number(start + 2..<start + 5), width: 3, segment: .minor,
                                en: "minor category segment", zh: "小类代码段")
    }

    static func checkMajor(_ major: Int, kind: CatalogKind?) throws(CodeError) {
        let range = kind?.majorRange ?? CatalogKind.matter.majorRange
        guard range.contains(major) else {
            let got = major >= 0 ? zeroPadded(major, width: 2) : String(major)
            let low = zeroPadded(range.lowerBound, width: 2)
            let high = zeroPadded(range.upperBound, width: 2)
            let what = kind.map { "\($0.englishName) " } ?? ""
            let whatZh = kind?.chineseName ?? ""
            throw CodeError(
                segment: .major,
                message: "\(what)major category must be \(low)–\(high), got \(got)",
                messageZh: "\(whatZh)大类代码应为\(low)–\(high)，实际为\(got)")
        }
    }
}

/// Component instance id (管理部件标识码, 17 digits): region (6) + component type (5) + sequence (6).
public struct ComponentID: StandardCode {
    static let name = CodeName(en: "component id", zh: "管理部件标识码")

    public let description: String

    public init(_ text: String) throws(CodeError) {
        let digits = try Digits(text, count: 17, name: Self.name)
        try SegmentRule.region(digits, at: 0)
        try TypeCode.checkParts(digits, at: 6, kind: .component)
        try SegmentRule.ordinal(digits.number(11..<17), width: 6, segment: .sequence,
                                en: "component sequence segment", zh: "部件顺序码段")
        description = text
    }

    /// Builds an id; fails on a matter-only type (major 06–10) or a sequence outside 1…999999.
    public init(region: RegionCode, type: TypeCode, sequence: Int) throws(CodeError) {
        _ = try type.validated(for: .component)
        try SegmentRule.ordinal(sequence, width: 6, segment: .sequence,
                                en: "component sequence", zh: "部件顺序码")
        description = region.description + type.description + zeroPadded(sequence, width: 6)
    }

    public var region: RegionCode { RegionCode(unchecked: description.codeSlice(0..<6)) }
    public var type: TypeCode { TypeCode(unchecked: description.codeSlice(6..<11)) }
    /// Running number within region and type, 1…999999.
    public var sequence: Int { description.codeNumber(11..<17) }
}

/// Matter code (事项代码, 11 digits): region (6) + matter type (5). A type in a place, not an instance.
public struct MatterCode: StandardCode {
    static let name = CodeName(en: "matter code", zh: "事项代码")

    public let description: String

    public init(_ text: String) throws(CodeError) {
        let digits = try Digits(text, count: 11, name: Self.name)
        try SegmentRule.region(digits, at: 0)
        try TypeCode.checkParts(digits, at: 6, kind: .matter)
        description = text
    }

    /// Every well-formed type code (majors 01–10) is a valid matter type, so this cannot fail.
    public init(region: RegionCode, type: TypeCode) {
        description = region.description + type.description
    }

    public var region: RegionCode { RegionCode(unchecked: description.codeSlice(0..<6)) }
    public var type: TypeCode { TypeCode(unchecked: description.codeSlice(6..<11)) }
}
