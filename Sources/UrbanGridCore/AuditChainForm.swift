/// The canonical form of an audit entry for the tamper-evident audit log: every entry's hash is
/// `SHA-256(text(previousHash:fields:))`, so each hash covers the entry's fields and, through the
/// previous hash, every entry before it. This is the pure part (text); the store does the hashing.
public enum AuditChainForm {
    /// The previous hash of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The previous entry's hash, a newline, then every field that has a value, sorted by name, as
    /// `<name bytes>:<name>=<value bytes>:<value>` and a newline (byte counts of the UTF-8 text).
    ///
    /// - The length prefixes make the form unambiguous whatever a value holds (newlines, `=`, `:`).
    /// - Fields without a value (SQL NULL) are left out: a column added to the log later, NULL in
    ///   older entries, leaves their hashes valid. A column added later must therefore have no
    ///   default value.
    public static func text(previousHash: String, fields: [String: String?]) -> String {
        text(previousHash: previousHash, sortedFields: fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// The same, for fields already sorted by name (the writer's fixed shape of an entry).
    public static func text(previousHash: String, sortedFields: [(name: String, value: String?)]) -> String {
        var out = previousHash + "\n"
        for (name, value) in sortedFields {
            guard let value else { continue }
            out += "\(name.utf8.count):\(name)=\(value.utf8.count):\(value)\n"
        }
        return out
    }
}
