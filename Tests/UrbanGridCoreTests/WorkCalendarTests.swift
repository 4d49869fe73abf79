import Foundation
import Testing
@testable import UrbanGridCore

// Deadlines with hand-computed expectations. Unless said otherwise the calendar is this made-up test
// calendar, modelled on the 2026 National Day arrangement:
//   Asia/Shanghai; work periods 08:30–12:00 (3.5 h) and 13:30–17:30 (4 h), so 1 工作日 = 7.5 h = 27 000 s;
//   Monday–Friday; holidays 2026-10-01 (Thu) … 2026-10-07 (Wed); make-up working day 2026-10-10 (Sat).
// Weekdays used: 2026-03-06 Fri, 03-09 Mon, 03-10 Tue; 2026-09-30 Wed, 10-08 Thu, 10-09 Fri, 10-10 Sat,
// 10-12 Mon.

private let hour: TimeInterval = 3600

private func day(_ text: String) -> WorkCalendar.Day { WorkCalendar.Day(text)! }

private let testCalendar = try! WorkCalendar.standard(
    holidays: Set((1...7).map { day("2026-10-0\($0)") }), workdays: [day("2026-10-10")])

private let plainCalendar = try! WorkCalendar.standard()

/// A local time "YYYY-MM-DD HH:MM" in the given zone.
private func t(_ text: String, zone: String = "Asia/Shanghai") -> Date {
    let parts = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).map { Int($0)! }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: zone)!
    return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2],
                                              hour: parts[3], minute: parts[4]))!
}

@Suite struct WorkCalendarDeadlineTests {
    @Test func oneWorkingDayIsSevenAndAHalfHours() throws {
        // 3.5 h + 4 h = 7.5 h = 27 000 s, not 24 h.
        #expect(testCalendar.workDayLength == 27_000)
        #expect(TimeLimit.workingDays(1).seconds(in: testCalendar) == 27_000)
        #expect(TimeLimit.workingDays(2).seconds(in: testCalendar) == 54_000)
        #expect(TimeLimit.workingHours(4).seconds(in: testCalendar) == 14_400)
        // Mon 08:30 + 7.5 h: 08:30–12:00 (3.5 h) + 13:30–17:30 (4 h) → Mon 17:30 (the period end itself).
        #expect(testCalendar.addingWorkingTime(27_000, to: t("2026-03-09 08:30")) == t("2026-03-09 17:30"))
        // Mon 14:00 + 7.5 h: 14:00–17:30 = 3.5 h, Tue 08:30–12:00 = 3.5 h (7 h), 13:30 + 0.5 h → Tue 14:00.
        #expect(testCalendar.addingWorkingTime(27_000, to: t("2026-03-09 14:00")) == t("2026-03-10 14:00"))
        #expect(testCalendar.workingDays(from: t("2026-03-09 14:00"), to: t("2026-03-10 14:00")) == 1)
    }

    @Test func fourWorkingHoursFromFridayAfternoonCrossTheWeekend() {
        // Fri 16:00–17:30 = 1.5 h; Sat, Sun off; Mon 08:30 + 2.5 h → Mon 11:00.
        let deadline = testCalendar.addingWorkingTime(4 * hour, to: t("2026-03-06 16:00"))
        #expect(deadline == t("2026-03-09 11:00"))
        #expect(testCalendar.workingSeconds(from: t("2026-03-06 16:00"), to: t("2026-03-09 11:00")) == 4 * hour)
        // The whole weekend is worth nothing: Fri 17:30 → Mon 08:30 = 0.
        #expect(testCalendar.workingSeconds(from: t("2026-03-06 17:30"), to: t("2026-03-09 08:30")) == 0)
    }

    @Test func lunchBreakDoesNotCount() {
        // Mon 11:00 + 2 h: 11:00–12:00 = 1 h, 13:30 + 1 h → 14:30 (3.5 h of wall clock).
        #expect(testCalendar.addingWorkingTime(2 * hour, to: t("2026-03-09 11:00")) == t("2026-03-09 14:30"))
        #expect(testCalendar.workingSeconds(from: t("2026-03-09 11:00"), to: t("2026-03-09 14:30")) == 2 * hour)
        #expect(testCalendar.workingSeconds(from: t("2026-03-09 12:10"), to: t("2026-03-09 13:20")) == 0)
        // Mon 09:00 + 3 h ends exactly at 12:00: due before the break, not at 13:30.
        #expect(testCalendar.addingWorkingTime(3 * hour, to: t("2026-03-09 09:00")) == t("2026-03-09 12:00"))
    }

    @Test func publicHolidaysAreSkipped() {
        // Wed 09-30 16:00–17:30 = 1.5 h; Thu 10-01 … Wed 10-07 holidays; Thu 10-08 08:30 + 2.5 h → 11:00.
        #expect(testCalendar.addingWorkingTime(4 * hour, to: t("2026-09-30 16:00")) == t("2026-10-08 11:00"))
        // Without the holidays it would be Thu 10-01 11:00.
        #expect(plainCalendar.addingWorkingTime(4 * hour, to: t("2026-09-30 16:00")) == t("2026-10-01 11:00"))
        // 1 工作日 from Wed 09-30 14:00: 3.5 h that day, 3.5 h Thu 10-08 morning, 13:30 + 0.5 h → 14:00.
        #expect(testCalendar.addingWorkingTime(27_000, to: t("2026-09-30 14:00")) == t("2026-10-08 14:00"))
        // The holiday week holds no working time: Wed 09-30 17:30 → Thu 10-08 08:30 = 0.
        #expect(testCalendar.workingSeconds(from: t("2026-09-30 17:30"), to: t("2026-10-08 08:30")) == 0)
        #expect(!testCalendar.isWorkingDay(day("2026-10-05")))
        #expect(!testCalendar.isWorkingTime(t("2026-10-05 10:00")))
    }

    @Test func makeUpSaturdayIsWorked() {
        // Fri 10-09 16:00–17:30 = 1.5 h; Sat 10-10 is a 调休 working day: 08:30 + 2.5 h → Sat 11:00.
        #expect(testCalendar.addingWorkingTime(4 * hour, to: t("2026-10-09 16:00")) == t("2026-10-10 11:00"))
        // On a calendar without it: Mon 10-12 11:00.
        #expect(plainCalendar.addingWorkingTime(4 * hour, to: t("2026-10-09 16:00")) == t("2026-10-12 11:00"))
        // Fri 17:30 → Mon 08:30 holds exactly the Saturday: 7.5 h.
        #expect(testCalendar.workingSeconds(from: t("2026-10-09 17:30"), to: t("2026-10-12 08:30")) == 27_000)
        #expect(testCalendar.isWorkingDay(day("2026-10-10")))
        #expect(!testCalendar.isWorkingDay(day("2026-10-11")))
        #expect(testCalendar.isWorkingTime(t("2026-10-10 09:00")))
    }

    @Test func startOutsideWorkHoursCountsFromTheNextPeriod() {
        // 07:00 + 1 h → counts from 08:30 → 09:30.
        #expect(testCalendar.addingWorkingTime(hour, to: t("2026-03-09 07:00")) == t("2026-03-09 09:30"))
        #expect(testCalendar.workingSeconds(from: t("2026-03-09 07:00"), to: t("2026-03-09 09:30")) == hour)
        // In the lunch break: 12:30 + 1 h → 13:30 + 1 h = 14:30.
        #expect(testCalendar.addingWorkingTime(hour, to: t("2026-03-09 12:30")) == t("2026-03-09 14:30"))
        // Friday evening and Saturday: next start is Mon 08:30 → 09:30.
        #expect(testCalendar.addingWorkingTime(hour, to: t("2026-03-06 18:00")) == t("2026-03-09 09:30"))
        #expect(testCalendar.addingWorkingTime(hour, to: t("2026-03-07 10:00")) == t("2026-03-09 09:30"))
    }

    @Test func degenerateInputs() {
        let start = t("2026-03-09 10:00")
        #expect(testCalendar.workingSeconds(from: start, to: start) == 0)
        #expect(testCalendar.workingSeconds(from: start, to: start.addingTimeInterval(-hour)) == 0)
        #expect(testCalendar.addingWorkingTime(0, to: start) == start)
        #expect(testCalendar.addingWorkingTime(-5, to: start) == start)
    }

    @Test func daylightSavingKeepsLocalWorkHours() throws {
        // Europe/Helsinki, 08:00–16:00 Mon–Fri; clocks go forward on Sun 2026-03-29 (UTC+2 → UTC+3).
        // Fri 03-27 15:00–16:00 = 1 h; Mon 03-30 08:00 (local, now UTC+3) + 1 h → 09:00 local.
        let helsinki = try WorkCalendar(timeZone: "Europe/Helsinki",
                                        periods: [WorkCalendar.Period("08:00", "16:00")!], weekdays: [1, 2, 3, 4, 5])
        let start = t("2026-03-27 15:00", zone: "Europe/Helsinki")
        let deadline = helsinki.addingWorkingTime(2 * hour, to: start)
        #expect(deadline == t("2026-03-30 09:00", zone: "Europe/Helsinki"))
        #expect(helsinki.workingSeconds(from: start, to: deadline) == 2 * hour)
        // Wall clock: Fri 15:00 → Mon 09:00 is 66 h local, 65 h real (one hour lost to DST).
        #expect(deadline.timeIntervalSince(start) == 65 * hour)
    }
}

@Suite struct StepClockTests {
    // A 4 工作时 step starting Mon 2026-03-09 09:00. Without pauses its deadline is
    // 09:00–12:00 (3 h) + 13:30–14:30 (1 h) → Mon 14:30.
    private let start = t("2026-03-09 09:00")

    @Test func pauseInTheMiddleStopsTheClock() {
        // 挂账 Mon 10:00 → 14:30 covers 10:00–12:00 (2 h) + 13:30–14:30 (1 h) = 3 h of working time.
        let clock = StepClock(node: .handling, start: start, limit: .workingHours(4),
                              pauses: [ClockPause(start: t("2026-03-09 10:00"), end: t("2026-03-09 14:30"))])
        // Active 09:00–10:00 = 1 h, remaining 3 h from 14:30: 14:30–17:30 → deadline Mon 17:30.
        // At 16:00: working 09:00→16:00 = 3 h + 2.5 h = 5.5 h, minus 3 h paused = 2.5 h used; 2.5/4 = 62.5 %.
        let r = clock.reading(at: t("2026-03-09 16:00"), on: testCalendar)
        #expect(r.deadline == t("2026-03-09 17:30"))
        #expect(r.elapsed == 2.5 * hour)
        #expect(r.remaining == 1.5 * hour)
        #expect(r.limit == 4 * hour)
        #expect(r.light == .green && !r.paused)
        // The same step without the pause would be 5.5/4 = 137.5 % at 16:00: red.
        let unpaused = StepClock(node: .handling, start: start, limit: .workingHours(4))
        let u = unpaused.reading(at: t("2026-03-09 16:00"), on: testCalendar)
        #expect(u.deadline == t("2026-03-09 14:30"))
        #expect(u.light == .red && u.isOverdue && u.remaining == -1.5 * hour)
    }

    @Test func openPauseFreezesElapsedAndProjectsTheDeadline() {
        var clock = StepClock(node: .handling, start: start, limit: .workingHours(4))
        clock.pause(at: t("2026-03-09 10:00"))
        #expect(clock.isPaused)
        // Still hung on Tue 10:00: used 09:00–10:00 = 1 h; if resumed now, 3 h remain:
        // Tue 10:00–12:00 (2 h) + 13:30–14:30 (1 h) → Tue 14:30.
        let hung = clock.reading(at: t("2026-03-10 10:00"), on: testCalendar)
        #expect(hung.elapsed == hour && hung.paused && hung.light == .green)
        #expect(hung.deadline == t("2026-03-10 14:30"))
        // Resumed Tue 10:00: at Tue 14:30 exactly 4 h used (100 %, yellow), a minute later red.
        clock.resume(at: t("2026-03-10 10:00"))
        #expect(!clock.isPaused)
        let due = clock.reading(at: t("2026-03-10 14:30"), on: testCalendar)
        #expect(due.elapsed == 4 * hour && due.light == .yellow && due.deadline == t("2026-03-10 14:30"))
        #expect(clock.reading(at: t("2026-03-10 14:31"), on: testCalendar).light == .red)
    }

    @Test func extensionMovesTheDeadline() {
        // 4 h + 2 h 延期 = 6 h: 09:00–12:00 (3 h) + 13:30–16:30 (3 h) → Mon 16:30.
        // At 16:00: 5.5 h used of 6 h = 91.7 %: yellow (without the extension 137.5 %, red).
        var clock = StepClock(node: .handling, start: start, limit: .workingHours(4))
        clock.extend(workingHours: 2)
        let r = clock.reading(at: t("2026-03-09 16:00"), on: testCalendar)
        #expect(r.deadline == t("2026-03-09 16:30"))
        #expect(r.limit == 6 * hour && r.elapsed == 5.5 * hour && r.remaining == 0.5 * hour)
        #expect(r.light == .yellow)
    }

    @Test func workingDayLimitOverAWeekend() {
        // 1 工作日 = 7.5 h from Fri 03-06 16:00: Fri 1.5 h, Mon 08:30–12:00 3.5 h (5 h), 13:30 + 2.5 h → Mon 16:00.
        let clock = StepClock(node: .handling, start: t("2026-03-06 16:00"), limit: .workingDays(1))
        #expect(clock.reading(at: t("2026-03-06 16:00"), on: testCalendar).deadline == t("2026-03-09 16:00"))
    }

    @Test func transitionEffectsDriveTheClock() throws {
        let limits = NodeLimits()
        var clock: StepClock? = StepClock(node: .handling, start: start, limit: .workingHours(4))
        clock = clock?.applying(.pause, at: t("2026-03-09 10:00"), newLimit: limits.limit(for:))
        clock = clock?.applying(.resume, at: t("2026-03-09 14:30"), newLimit: limits.limit(for:))
        clock = clock?.applying(.extend(hours: 1), at: t("2026-03-09 15:00"), newLimit: limits.limit(for:))
        let c = try #require(clock)
        #expect(c.pauses == [ClockPause(start: t("2026-03-09 10:00"), end: t("2026-03-09 14:30"))])
        #expect(c.extensionSeconds == hour)
        // 1 h before the pause, 4 h after 14:30: 14:30–17:30 (3 h) + Tue 08:30 + 1 h → Tue 09:30.
        #expect(c.reading(at: t("2026-03-09 15:00"), on: testCalendar).deadline == t("2026-03-10 09:30"))
        let next = try #require(c.applying(.start(.checkDispatch), at: t("2026-03-09 16:00"), newLimit: limits.limit(for:)))
        #expect(next == StepClock(node: .checkDispatch, start: t("2026-03-09 16:00"), limit: .workingHours(0.5)))
        #expect(c.applying(.stop, at: t("2026-03-09 16:00"), newLimit: limits.limit(for:)) == nil)
    }

    @Test func lightChangesAtEightyAndAfterOneHundredPercent() {
        // 4 h from Mon 08:30. 80 % = 3 h 12 min → 11:42; 100 % → 08:30–12:00 (3.5 h) + 13:30 + 0.5 h = 14:00.
        let clock = StepClock(node: .registration, start: t("2026-03-09 08:30"), limit: .workingHours(4))
        #expect(clock.reading(at: t("2026-03-09 11:41"), on: testCalendar).light == .green)  // 191/240 = 79.6 %
        #expect(clock.reading(at: t("2026-03-09 11:42"), on: testCalendar).light == .yellow) // 192/240 = 80 %
        #expect(clock.reading(at: t("2026-03-09 14:00"), on: testCalendar).light == .yellow) // 100 %
        #expect(clock.reading(at: t("2026-03-09 14:01"), on: testCalendar).light == .red)    // 241/240
    }
}

@Suite struct AlertLightTests {
    @Test func thresholds() {
        // Limit 4 h = 14 400 s: 79.9 % = 11 505.6 s, 80 % = 11 520 s, 100 % = 14 400 s, 100.1 % = 14 414.4 s.
        #expect(AlertLight(elapsed: 11_505.6, limit: 14_400) == .green)
        #expect(AlertLight(elapsed: 11_520, limit: 14_400) == .yellow)
        #expect(AlertLight(elapsed: 14_400, limit: 14_400) == .yellow)
        #expect(AlertLight(elapsed: 14_414.4, limit: 14_400) == .red)
        // 1 工作日 = 27 000 s: 80 % = 21 600 s.
        #expect(AlertLight(elapsed: 21_599.9, limit: 27_000) == .green)
        #expect(AlertLight(elapsed: 21_600, limit: 27_000) == .yellow)
        #expect(AlertLight(elapsed: 0, limit: 27_000) == .green)
        #expect(max(AlertLight.green, .red, .yellow) == .red)
        #expect(AlertLight.red.nameZh == "红灯")
    }
}

@Suite struct WorkCalendarFileTests {
    @Test func decodesTheDataFile() throws {
        let json = """
        {"time_zone": "Asia/Shanghai", "periods": [["13:30", "17:30"], ["08:30", "12:00"]],
         "weekdays": [1, 2, 3, 4, 5],
         "holidays": ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06",
                      "2026-10-07"],
         "workdays": ["2026-10-10"]}
        """
        let calendar = try JSONDecoder().decode(WorkCalendar.self, from: Data(json.utf8))
        #expect(calendar == testCalendar)
        #expect(calendar.periods.map(\.description) == ["08:30–12:00", "13:30–17:30"])  // sorted
        let again = try JSONDecoder().decode(WorkCalendar.self, from: try JSONEncoder().encode(calendar))
        #expect(again == calendar)
        let minimal = #"{"time_zone": "Asia/Shanghai", "periods": [["08:30", "12:00"]], "weekdays": [1]}"#
        #expect(try JSONDecoder().decode(WorkCalendar.self, from: Data(minimal.utf8)).holidays.isEmpty)
    }

    @Test func reportsEveryProblem() {
        do {
            _ = try WorkCalendar(timeZone: "Mars/Olympus",
                                 periods: [WorkCalendar.Period("08:30", "12:00")!, WorkCalendar.Period("11:00", "13:00")!,
                                           WorkCalendar.Period("18:00", "17:00")!],
                                 weekdays: [1, 8], holidays: [day("2026-10-10")], workdays: [day("2026-10-10")])
            Issue.record("expected problems")
        } catch {
            guard case .problems(let problems) = error else { return }
            #expect(problems.count == 5, "\(problems)")  // zone, 18:00–17:00, overlap, weekday 8, both
        }
    }

    @Test(arguments: [
        #"{"time_zone": "Asia/Shanghai", "periods": [["8:30", "12:00"]], "weekdays": [1]}"#,
        #"{"time_zone": "Asia/Shanghai", "periods": [["08:30", "24:30"]], "weekdays": [1]}"#,
        #"{"time_zone": "Asia/Shanghai", "periods": [["08:30", "12:00"]], "weekdays": [1], "holidays": ["2026-02-30"]}"#,
        #"{"time_zone": "Asia/Shanghai", "periods": [], "weekdays": [1]}"#,
        #"{"time_zone": "Asia/Shanghai", "periods": [["08:30", "12:00"]], "weekdays": []}"#,
    ])
    func rejectsMalformedFiles(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WorkCalendar.self, from: Data(json.utf8)) }
    }

    @Test func days() {
        #expect(day("2026-10-10").isoWeekday == 6)
        #expect(day("2026-03-09").isoWeekday == 1)
        #expect(day("2026-03-08").isoWeekday == 7)
        #expect(day("2000-02-29").isoWeekday == 2)
        #expect(WorkCalendar.Day("2026-02-29") == nil)
        #expect(WorkCalendar.Day("2026-1-01") == nil)
        #expect(day("2026-09-30") < day("2026-10-01"))
        #expect(testCalendar.day(of: t("2026-10-10 00:30")) == day("2026-10-10"))
    }

    @Test func timeLimitJSON() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode(TimeLimit.self, from: Data(#"{"working_hours": 4}"#.utf8)) == .workingHours(4))
        #expect(try decoder.decode(TimeLimit.self, from: Data(#"{"working_days": 1.5}"#.utf8)) == .workingDays(1.5))
        #expect(String(decoding: try JSONEncoder().encode(TimeLimit.workingDays(2)), as: UTF8.self)
                == #"{"working_days":2}"#)
        for bad in [#"{"working_hours": 4, "working_days": 1}"#, #"{}"#, #"{"working_hours": 0}"#] {
            #expect(throws: DecodingError.self) { try decoder.decode(TimeLimit.self, from: Data(bad.utf8)) }
        }
        #expect(TimeLimit.workingHours(4).labelZh == "4 工作时")
        #expect(TimeLimit.workingDays(1.5).labelZh == "1.5 工作日")
    }
}

/// The calendar remembers the days it resolved (`WorkCalendarDays`); whatever order questions come
/// in, a remembering calendar must answer as one that resolves every day afresh.
@Suite struct WorkCalendarMemoryTests {
    @Test(arguments: ["Asia/Shanghai", "Europe/Helsinki", "Asia/Kathmandu"])
    func rememberedDaysAnswerAsFreshOnes(zone: String) throws {
        let make = { try WorkCalendar(timeZone: zone, periods: [.init(start: 8 * 60 + 30, end: 12 * 60), .init(start: 13 * 60 + 30, end: 24 * 60)],
                                      weekdays: [1, 2, 3, 4, 5], holidays: [day("2026-03-30"), day("2026-10-26")], workdays: [day("2026-03-29")]) }
        let remembering = try make()
        var rng = SplitMix64(seed: 17)
        // Instants over two years, DST changes included, asked in random order, often the same day again.
        let origin = t("2026-01-01 00:00", zone: zone).timeIntervalSince1970
        for _ in 0..<600 {
            let at = Date(timeIntervalSince1970: origin + Double(rng.next() % (730 * 96)) * 900 + Double(rng.next() % 900))
            let amount = Double(rng.next() % 200) * 1_800
            let fresh = try make()
            #expect(remembering.addingWorkingTime(amount, to: at) == fresh.addingWorkingTime(amount, to: at), "\(at) + \(amount)")
            let later = at.addingTimeInterval(Double(rng.next() % (20 * 86_400)))
            let fresher = try make(), freshest = try make()
            #expect(remembering.workingSeconds(from: at, to: later) == fresher.workingSeconds(from: at, to: later))
            #expect(remembering.day(of: at) == freshest.day(of: at))
            #expect(remembering.isWorkingTime(at) == (try make()).isWorkingTime(at))
        }
    }
}
