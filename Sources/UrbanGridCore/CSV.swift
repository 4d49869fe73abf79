/// A small RFC 4180 reader for the catalogue and department tables shipped as CSV.
///
/// Quoted fields may hold commas, quotes ("" escapes) and line breaks. The first row is the header.
public enum CSV {
    public struct Table: Sendable {
        public let header: [String]
        public let rows: [[String]]

        /// Rows as dictionaries keyed by header name.
        public var records: [[String: String]] {
            rows.map { row in
                var out: [String: String] = [:]
                for (i, key) in header.enumerated() { out[key] = i < row.count ? row[i] : "" }
                return out
            }
        }
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "CSV line \(line): \(message)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> Table {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var chars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return chars.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty else { throw ParseError(line: line, message: "quote inside an unquoted field") }
                inQuotes = true
            case ",": row.append(field); field = ""
            case "\r": continue
            case "\n":
                row.append(field); field = ""
                if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                row = []; line += 1
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw ParseError(line: line, message: "unterminated quoted field") }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        guard let header = rows.first else { throw ParseError(line: 1, message: "no header row") }
        let body = Array(rows.dropFirst())
        for (i, r) in body.enumerated() where r.count != header.count {
            throw ParseError(line: i + 2, message: "expected \(header.count) fields, found \(r.count)")
        }
        return Table(header: header, rows: body)
    }
}

extension CSV {
    /// RFC 4180 text: fields with a comma, quote or line break are quoted (quotes doubled); CRLF ends
    /// every record.
    public static func format(_ records: [[String]]) -> String {
        func field(_ f: String) -> String {
            f.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }
        return records.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }
}
