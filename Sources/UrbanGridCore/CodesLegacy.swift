// CJ/T 214-2007 (and GB/T 30428.2-2013) component codes, still found in every city census made before
// GB/T 47678.5 took effect. Kept as their own types so old data can be read, validated and migrated.

/// CJ/T 214-2007 component class code: 2-digit major + 2-digit minor, e.g. `0101` 上水井盖.
///
/// Majors 01–06 are the standard's; cities extended the list locally (07 onwards, 21xx), so any
/// non-zero major is accepted and `isLocalExtension` tells the two apart.
public struct LegacyClassCode: StandardCode {
    static let name = CodeName(en: "legacy component class code", zh: "部件类别代码(CJ/T 214)")

    public let description: String

    public init(_ text: String) throws(CodeError) {
        let digits = try Digits(text, count: 4, name: Self.name)
        try Self.checkParts(digits, at: 0)
        description = text
    }

    init(unchecked text: String) { description = text }

    /// Major category: 01–06 standard, 07 and above local extensions.
    public var major: Int { description.codeNumber(0..<2) }
    /// Minor category, 01–99.
    public var minor: Int { description.codeNumber(2..<4) }

    /// True for the six CJ/T 214 majors (公用设施 … 其他设施).
    public var isStandardMajor: Bool { (1...6).contains(major) }
    /// True for a city's own extension class (major 07 and above).
    public var isLocalExtension: Bool { !isStandardMajor }

    static func checkParts(_ digits: Digits, at start: Int) throws(CodeError) {
        try SegmentRule.ordinal(digits.number(start..<start + 2), width: 2, segment: .major,
                                en: "legacy major category segment", zh: "大类代码段")
        try SegmentRule.ordinal(digits.number(start + 2..<start + 4), width: 2, segment: .minor,
                                en: "legacy minor category segment", zh: "小类代码段")
    }
}

/// CJ/T 214-2007 component id (16 digits): region (6) + class (4) + sequence (6),
/// e.g. `3205080101000001` — 姑苏区, 上水井盖, number 1.
public struct LegacyComponentID: StandardCode {
    static let name = CodeName(en: "legacy component id", zh: "部件标识码(CJ/T 214-2007)")

    public let description: String

    public init(_ text: String) throws(CodeError) {
        let digits = try Digits(text, count: 16, name: Self.name)
        try SegmentRule.region(digits, at: 0)
        try LegacyClassCode.checkParts(digits, at: 6)
        try SegmentRule.ordinal(digits.number(10..<16), width: 6, segment: .sequence,
                                en: "component sequence segment", zh: "部件顺序码段")
        description = text
    }

    public init(region: RegionCode, classCode: LegacyClassCode, sequence: Int) throws(CodeError) {
        try SegmentRule.ordinal(sequence, width: 6, segment: .sequence,
                                en: "component sequence", zh: "部件顺序码")
        description = region.description + classCode.description + zeroPadded(sequence, width: 6)
    }

    public var region: RegionCode { RegionCode(unchecked: description.codeSlice(0..<6)) }
    public var classCode: LegacyClassCode { LegacyClassCode(unchecked: description.codeSlice(6..<10)) }
    /// Running number within region and class, 1…999999.
    public var sequence: Int { description.codeNumber(10..<16) }

    /// The GB/T 47678.5 id for the same object: region and sequence kept, class replaced by `newType`.
    ///
    /// The class→type mapping is catalogue data, not arithmetic, so the caller supplies the new type.
    /// Throws (`.major`) only when `newType` is a matter-only type (06–10), which no component can have.
    public func upgraded(to newType: TypeCode) throws(CodeError) -> ComponentID {
        try ComponentID(region: region, type: newType, sequence: sequence)
    }
}
