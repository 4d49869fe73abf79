import Foundation
import Testing
import UrbanGridCore

// Periods of the evaluation, resolved by hand. Calendar facts used: 2026-01-01 is a Thursday, so
// 2026 has 53 ISO weeks and week 1 starts on Monday 2025-12-29; 2025-01-01 is a Wednesday and 2025 is
// not a leap year: 52 weeks. Asia/Shanghai is UTC+8 all year; Europe/Helsinki leaves summer time
// (UTC+3 → UTC+2) on Sunday 2026-10-25.

private func day(_ text: String) -> WorkCalendar.Day { WorkCalendar.Day(text)! }

private func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

@Suite struct EvaluationPeriodTests {
    @Test func dayIsOneLocalDay() throws {
        let p = try EvaluationPeriod.parse("2026-11-23")
        #expect(p.kind == .day && p.first == day("2026-11-23") && p.last == day("2026-11-23"))
        // Local midnight in UTC+8 is 16:00 UTC the day before.
        let i = p.interval(timeZone: "Asia/Shanghai")
        #expect(i.start == utc("2026-11-22T16:00:00Z") && i.end == utc("2026-11-23T16:00:00Z"))
    }

    @Test func isoWeekRunsMondayToSunday() throws {
        // Week 1 of 2026 starts Mon 2025-12-29; week 48 starts 47 × 7 = 329 days later:
        // 2025-12-29 + 3 = 2026-01-01 (day 1 of the year), + 326 = day 327 = 2026-11-23 (304 days to 31 Oct).
        let p = try EvaluationPeriod.parse("2026-W48")
        #expect(p.kind == .week && p.first == day("2026-11-23") && p.last == day("2026-11-29"))
        let w1 = try EvaluationPeriod.parse("2026-W01")
        #expect(w1.first == day("2025-12-29") && w1.last == day("2026-01-04"))
        // 2026 starts on a Thursday: it has a week 53, Mon 28 Dec to Sun 3 Jan 2027.
        let w53 = try EvaluationPeriod.parse("2026-W53")
        #expect(w53.first == day("2026-12-28") && w53.last == day("2027-01-03"))
        #expect(throws: EvaluationPeriodError.self) { try EvaluationPeriod.parse("2025-W53") }
        #expect(throws: EvaluationPeriodError.self) { try EvaluationPeriod.parse("2026-W00") }
        #expect(throws: EvaluationPeriodError.self) { try EvaluationPeriod.parse("2026-W5") }
    }

    @Test func monthAndQuarterTakeTheirLastDay() throws {
        let nov = try EvaluationPeriod.parse("2026-11")
        #expect(nov.kind == .month && nov.first == day("2026-11-01") && nov.last == day("2026-11-30"))
        #expect(try EvaluationPeriod.parse("2026-02").last == day("2026-02-28"))
        #expect(try EvaluationPeriod.parse("2028-02").last == day("2028-02-29"))
        let q4 = try EvaluationPeriod.parse("2026-Q4")
        #expect(q4.kind == .quarter && q4.first == day("2026-10-01") && q4.last == day("2026-12-31"))
        let q1 = try EvaluationPeriod.parse("2026-Q1")
        #expect(q1.first == day("2026-01-01") && q1.last == day("2026-03-31"))
        // November in Shanghai: 2026-10-31T16:00Z to 2026-11-30T16:00Z, 30 × 24 h.
        let i = nov.interval(timeZone: "Asia/Shanghai")
        #expect(i.start == utc("2026-10-31T16:00:00Z") && i.end.timeIntervalSince(i.start) == 30 * 86_400)
    }

    @Test func customRangeIncludesBothDays() throws {
        let p = try EvaluationPeriod.parse("2026-11-01..2026-11-15")
        #expect(p.kind == .custom && p.first == day("2026-11-01") && p.last == day("2026-11-15"))
        #expect(p.label == "2026-11-01..2026-11-15")
        let i = p.interval(timeZone: "Asia/Shanghai")
        #expect(i.end.timeIntervalSince(i.start) == 15 * 86_400)
        #expect(throws: EvaluationPeriodError.self) { try EvaluationPeriod.parse("2026-11-15..2026-11-01") }
        #expect(throws: EvaluationPeriodError.self) { try EvaluationPeriod.parse("2026-11-01..2040-01-01") }
    }

    @Test func localDaysFollowDaylightSavingTime() throws {
        // Helsinki, Sunday 2026-10-25: starts at 00:00 EEST (21:00Z the day before), ends at 00:00 EET
        // (22:00Z): a day of 25 hours.
        let i = try EvaluationPeriod.parse("2026-10-25").interval(timeZone: "Europe/Helsinki")
        #expect(i.start == utc("2026-10-24T21:00:00Z") && i.end == utc("2026-10-25T22:00:00Z"))
    }

    @Test(arguments: ["2026-13", "2026-Q5", "2026-Q0", "2026-11-31", "2026", "26-11", "2026-1", "next month", ""])
    func rejectsWhatIsNoPeriod(text: String) {
        #expect(throws: EvaluationPeriodError.self) { try EvaluationPeriod.parse(text) }
    }

    @Test func dayArithmeticCrossesYearsAndLeapDays() {
        #expect(day("2028-02-28").adding(days: 1) == day("2028-02-29"))
        #expect(day("2028-02-29").adding(days: 1) == day("2028-03-01"))
        #expect(day("2026-12-31").adding(days: 1) == day("2027-01-01"))
        #expect(day("2026-01-01").adding(days: -1) == day("2025-12-31"))
        // 2000 was a leap year (divisible by 400), 2100 will not be.
        #expect(day("2000-02-28").adding(days: 1) == day("2000-02-29"))
        #expect(day("2100-02-28").adding(days: 1) == day("2100-03-01"))
    }
}
