import Foundation

/// Working time left on a step, short enough for a table cell: "3时20分" / "3h20m", overdue as
/// "超1时05分" / "-1h05m", "暂停" / "paused" while 挂账 stops the clock.
public enum DurationText {
    public static func remaining(seconds: Double, paused: Bool, language: Language) -> String {
        if paused { return Label.paused.text(language) }
        let overdue = seconds < 0
        let minutes = Int((abs(seconds) / 60).rounded(.down))
        let h = minutes / 60, m = minutes % 60
        let body: String
        switch language {
        case .zh: body = h > 0 ? "\(h)时\(pad(m))分" : "\(m)分"
        case .en: body = h > 0 ? "\(h)h\(pad(m))m" : "\(m)m"
        }
        guard overdue else { return body }
        return language == .zh ? Label.overdue.text(.zh) + body : "-" + body
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A timestamp in the local time zone, minutes precision: "2026-03-05 14:07".
    public static func timestamp(_ date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ v: Int?) -> String { pad(v ?? 0) }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }
}
