extension Sequence<UInt8> {
    /// The bytes in lower-case hexadecimal, as SHA-256 digests are written (token hashes, photo
    /// names, the audit chain). Written by hand: `String(format:)` costs more than the hash itself.
    public var lowercaseHex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
