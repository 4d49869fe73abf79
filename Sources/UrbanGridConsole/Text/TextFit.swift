// Fitting text into a fixed number of terminal columns: cut with "…" when too long, padded with
// spaces when short, never splitting a double-width character.

public enum Alignment: Sendable, Equatable {
    case left, right, center
}

public enum TextFit {
    public static let ellipsis: Character = "…"

    /// Control characters: newlines and tabs become spaces, the rest go. One row is one screen line.
    public static func singleLine(_ text: String) -> String {
        guard text.contains(where: isControl) else { return text }
        return String(text.compactMap { c -> Character? in
            if c.isNewline || c == "\t" { return " " }
            return isControl(c) ? nil : c
        })
    }

    static func isControl(_ c: Character) -> Bool {
        c.isNewline || c.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }
    }

    /// The longest prefix that fits in `width` columns, with "…" at the end when something was cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        let clean = singleLine(text)
        if DisplayWidth.of(clean) <= width { return clean }
        var out = "", used = 0
        for c in clean {
            let w = DisplayWidth.of(c)
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        out.append(ellipsis)
        return out
    }

    /// Exactly `width` columns: truncated if needed, then padded on the side `alignment` says.
    public static func fit(_ text: String, to width: Int, alignment: Alignment = .left) -> String {
        guard width > 0 else { return "" }
        let cut = truncate(text, to: width)
        let gap = width - DisplayWidth.of(cut)
        switch alignment {
        case .left: return cut + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + cut
        case .center:
            let left = gap / 2
            return String(repeating: " ", count: left) + cut + String(repeating: " ", count: gap - left)
        }
    }

    /// Splits text into lines of at most `width` columns, breaking between characters (CJK text has
    /// no spaces) and preferring a space when one is near the end of a line.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = "", used = 0
            for c in singleLine(String(paragraph)) {
                let w = DisplayWidth.of(c)
                if used + w > width {
                    if let space = line.lastIndex(of: " "), line.distance(from: line.startIndex, to: space) > line.count / 2 {
                        let rest = String(line[line.index(after: space)...])
                        lines.append(String(line[..<space]))
                        line = rest
                        used = DisplayWidth.of(rest)
                    } else {
                        lines.append(line)
                        line = ""
                        used = 0
                    }
                    if c == " " && line.isEmpty { continue }
                }
                line.append(c)
                used += w
            }
            lines.append(line)
        }
        return lines
    }
}
