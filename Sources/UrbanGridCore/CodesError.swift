/// Why a standard code was rejected, down to the segment at fault.
///
/// The HTTP layer turns this into problem+json; carrying the segment (not just a string) lets it say
/// *which part* of a 15- or 17-digit code is wrong, and carrying both languages lets it answer a
/// zh-CN dispatcher and an English integrator without a lookup table.
public struct CodeError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The part of a code that failed, in the order parsers check them.
    public enum Segment: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        /// Wrong number of characters (checked first: nothing else can be located without it).
        case length
        /// Something other than the ASCII digits 0–9.
        case characters
        /// GB/T 2260 administrative division (6 digits).
        case region
        /// GB/T 10114 street/town/township (3 digits).
        case street
        /// Community/village (3 digits).
        case community
        /// Running number of a grid or component instance.
        case sequence
        /// Major category of a type or class code.
        case major
        /// Minor category of a type or class code.
        case minor
        /// A well-formed type code that the catalogue does not know (for catalogue look-ups).
        case type
    }

    public let segment: Segment
    /// English, for logs and API clients.
    public let message: String
    /// Chinese, for dispatchers and inspectors.
    public let messageZh: String

    public init(segment: Segment, message: String, messageZh: String) {
        self.segment = segment
        self.message = message
        self.messageZh = messageZh
    }

    public var description: String { message }

    /// The error a catalogue look-up raises for a well-formed code it does not list.
    public static func unknownType(_ code: TypeCode, kind: CatalogKind) -> CodeError {
        CodeError(
            segment: .type,
            message: "type code \(code) is not a known \(kind.englishName) type in the catalogue",
            messageZh: "分类代码\(code)不是目录中已有的\(kind.chineseName)类型")
    }
}
