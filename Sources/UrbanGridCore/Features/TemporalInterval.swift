import Foundation

/// The `datetime` parameter of OGC API - Features: an instant, or an interval whose ends may be
/// open (`..` or empty). A date without a time means that whole day (UTC).
public struct TemporalInterval: Equatable, Sendable {
    public var start: Date?
    public var end: Date?

    public init(start: Date?, end: Date?) { self.start = start; self.end = end }

    public struct ParseError: Error, Equatable, Sendable {
        public var message: String
    }

    public static func parse(_ text: String) throws(ParseError) -> TemporalInterval {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let day = try bounds(parts[0]) else { throw ParseError(message: "an instant cannot be '..'") }
            return TemporalInterval(start: day.first, end: day.last)
        case 2:
            let start = try bounds(parts[0])?.first, end = try bounds(parts[1])?.last
            if start == nil, end == nil { throw ParseError(message: "an interval needs at least one closed end") }
            if let start, let end, start > end { throw ParseError(message: "the interval starts after it ends") }
            return TemporalInterval(start: start, end: end)
        default:
            break
        }
        throw ParseError(message: "expected an RFC 3339 instant or an interval 'start/end' with '..' for an open end")
    }

    /// The first and last instant a value covers: itself for a date-time, the whole UTC day for
    /// a date; nil for an open end.
    private static func bounds(_ raw: Substring) throws(ParseError) -> (first: Date, last: Date)? {
        if raw.isEmpty || raw == ".." { return nil }
        let text = String(raw)
        if text.count == 10, let day = try? Date(text + "T00:00:00Z", strategy: .iso8601) {
            return (day, day.addingTimeInterval(86_400 - 0.001))
        }
        for style in [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle()] {
            if let instant = try? Date(text.uppercased(), strategy: style) { return (instant, instant) }
        }
        throw ParseError(message: "'\(text)' is not an RFC 3339 date or date-time (e.g. 2026-11-01T08:00:00Z)")
    }
}
