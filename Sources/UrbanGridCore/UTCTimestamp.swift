import Foundation

/// RFC 3339 timestamps in UTC ("2026-12-05T20:38:39Z", or with ".123" milliseconds), written by
/// hand: the database stores one per audit entry and step, and every answer carries several, where
/// Foundation's format styles cost microseconds each.
public enum UTCTimestamp {
    public static func text(_ d: Date, milliseconds: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(d, milliseconds: milliseconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Seconds and milliseconds are truncated, as Foundation's ISO 8601 formats do.
    public static func append(_ d: Date, milliseconds: Bool, to bytes: inout [UInt8]) {
        let totalMillis = Int64((d.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = totalMillis >= 0 ? totalMillis / 1000 : (totalMillis - 999) / 1000
        let millis = Int(totalMillis - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let date = WorkCalendar.Day(ordinal: Int(days))
        func digits(_ v: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var v = v
            while divisor > 0 { bytes.append(UInt8(ascii: "0") + UInt8(v / divisor % 10)); v %= divisor; divisor /= 10 }
        }
        digits(date.year, 4); bytes.append(UInt8(ascii: "-")); digits(date.month, 2); bytes.append(UInt8(ascii: "-"))
        digits(date.day, 2)
        bytes.append(UInt8(ascii: "T")); digits(secondOfDay / 3600, 2); bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2); bytes.append(UInt8(ascii: ":")); digits(secondOfDay % 60, 2)
        if milliseconds { bytes.append(UInt8(ascii: ".")); digits(millis, 3) }
        bytes.append(UInt8(ascii: "Z"))
    }
}
