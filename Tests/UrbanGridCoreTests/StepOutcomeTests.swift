import Foundation
import Testing
import UrbanGridCore

// When a step counts as on time and from when it counts as overdue, on a calendar worked by hand:
// Asia/Shanghai, 08:30–12:00 and 13:30–17:30 (7.5 h a day), Monday to Friday, 2026-10-01 … 10-07
// off (National Day), 2026-10-10 (Saturday) worked. Days used: 2026-09-30 Wed, 10-08 Thu, 10-09 Fri,
// 10-10 Sat (worked), 10-12 Mon; 2026-11-20 Fri, 11-23 Mon.

private let hour: TimeInterval = 3600

private let calendar = try! WorkCalendar.standard(
    holidays: Set((1...7).map { WorkCalendar.Day("2026-10-0\($0)")! }), workdays: [WorkCalendar.Day("2026-10-10")!])

private func t(_ text: String) -> Date {
    let p = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).map { Int($0)! }
    var c = Calendar(identifier: .gregorian)
    c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
    return c.date(from: DateComponents(year: p[0], month: p[1], day: p[2], hour: p[3], minute: p[4]))!
}

@Suite struct StepOutcomeTests {
    @Test func aWorkingDayIsNotTwentyFourHours() {
        // 1 工作日 from Fri 2026-11-20 16:00: Fri 16:00–17:30 (1.5 h), Mon 08:30–12:00 (3.5 h, 5 h),
        // 13:30 + 2.5 h → Mon 16:00. Finished Mon 15:59: on time, 74 h of wall clock later.
        let clock = StepClock(node: .handling, start: t("2026-11-20 16:00"), limit: .workingDays(1))
        #expect(clock.outcome(endingAt: t("2026-11-23 16:00"), on: calendar).onTime)
        #expect(!clock.outcome(endingAt: t("2026-11-23 16:01"), on: calendar).onTime)
        let o = clock.outcome(endingAt: t("2026-11-23 16:00"), on: calendar)
        #expect(o.elapsed == 7.5 * hour && o.limit == 7.5 * hour)
        // A "24 h" working day would call Sat 16:00 the deadline and Monday's work late.
        #expect(clock.overdueFrom(at: t("2026-11-20 16:00"), on: calendar) == t("2026-11-23 16:00"))
    }

    @Test func theHolidayWeekDoesNotCount() {
        // 4 工作时 from Wed 2026-09-30 16:00: 16:00–17:30 (1.5 h); 10-01 … 10-07 off; Thu 10-08 08:30 + 2.5 h
        // → 11:00.
        let clock = StepClock(node: .handling, start: t("2026-09-30 16:00"), limit: .workingHours(4))
        #expect(clock.overdueFrom(at: t("2026-09-30 16:00"), on: calendar) == t("2026-10-08 11:00"))
        #expect(clock.outcome(endingAt: t("2026-10-08 11:00"), on: calendar).onTime)
        #expect(!clock.outcome(endingAt: t("2026-10-08 11:05"), on: calendar).onTime)
    }

    @Test func hangingStopsTheClockAndExtensionLengthensIt() {
        // 4 工作时 from Thu 2026-10-08 08:30. Hung from 09:30 (1 h used) to Fri 10-09 09:30; 3 h remain
        // from Fri 09:30: 09:30–12:00 (2.5 h) + 13:30 + 0.5 h → Fri 14:00.
        var clock = StepClock(node: .handling, start: t("2026-10-08 08:30"), limit: .workingHours(4))
        clock.pause(at: t("2026-10-08 09:30"))
        // While hung and not overdue it cannot become overdue.
        #expect(clock.overdueFrom(at: t("2026-10-08 15:00"), on: calendar) == nil)
        clock.resume(at: t("2026-10-09 09:30"))
        #expect(clock.overdueFrom(at: t("2026-10-09 09:30"), on: calendar) == t("2026-10-09 14:00"))
        // An approved 延期 of 2 工作时: Fri 14:00 + 2 h → 16:00.
        clock.extend(workingHours: 2)
        #expect(clock.overdueFrom(at: t("2026-10-09 10:00"), on: calendar) == t("2026-10-09 16:00"))
        // Finished Sat 10-10 (a make-up working day) 08:40: 1 h + Fri 09:30–12:00 2.5 h + 13:30–17:30 4 h
        // + Sat 10 min = 7 h 40 min > 6 h: late.
        let o = clock.outcome(endingAt: t("2026-10-10 08:40"), on: calendar)
        #expect(!o.onTime && o.elapsed == 7 * hour + 40 * 60 && o.limit == 6 * hour)
    }

    @Test func hungAfterTheDeadlineStaysOverdue() {
        // 1 工作时 from Mon 2026-10-12 08:30 is due 09:30; hung at 10:00, already overdue: it stays so,
        // from 09:30.
        var clock = StepClock(node: .handling, start: t("2026-10-12 08:30"), limit: .workingHours(1))
        clock.pause(at: t("2026-10-12 10:00"))
        #expect(clock.overdueFrom(at: t("2026-10-12 11:00"), on: calendar) == t("2026-10-12 09:30"))
    }
}
