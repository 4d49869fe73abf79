// A small October 2026 in testcity, driven through the real store at chosen instants, for the
// evaluation tests. Every expected figure is worked out by hand in EvaluationFixtureTests.swift.
//
// Calendar (gis-data/testcity/calendar.json): Asia/Shanghai, 08:30–12:00 and 13:30–17:30, Monday to
// Friday; 2026-10-01 … 10-07 off (国庆节), Saturday 2026-10-10 worked (调休). Node limits: 受理, 立案, 派遣,
// 核查派发 0.5 h; 核实 1 h; 核查 2 h; 结案 1 h. 处置时限 (rules): 06010 暴露垃圾 4 h (南苑社区 2 h) → HW;
// 07001 小广告 1 工作日 = 7.5 h → CGZF; 06013 道路破损 5 工作日 → JT; 06012 道路不洁 2 h → HW.
// Beats: li patrols 北苑 (grids …001001/002/003), zhou 南苑 (…002001/002/003).
//
// The cases (local times; "→ x" is who acts, [on time] or [LATE] the step it ends):
// A 06010 北苑-1, li, Fri 10-16 15:00. accept wang 15:10 [on time] · register chen 15:20 [on time] ·
//   dispatch zhao 15:30 → HW [on time] · sign 16:00 · finish hw Mon 10-19 10:00: Fri 15:30–17:30 2 h +
//   Mon 08:30–10:00 1.5 h = 3.5 h ≤ 4 h [on time; the weekend is no working time] · send-check wang
//   10:20 [on time] · check li 11:00 passed [on time] · close chen 11:30 [on time].
// B 06010 北苑-2, li, Wed 09-30 16:00 (reported, accepted, registered and dispatched in September).
//   accept 16:05 · register 16:10 · dispatch 16:15 → HW · sign 16:30 · finish Thu 10-08 11:00: Wed
//   16:15–17:30 1.25 h + (10-01 … 10-07 off) + Thu 08:30–11:00 2.5 h = 3.75 h ≤ 4 h [on time] ·
//   send-check 11:10 [on time] · check li 15:00 failed: 11:10–12:00 50 min + 13:30–15:00 90 min =
//   140 min > 2 h [LATE] · rework chen 15:20 → HW again, 4 h from Thu 15:20 · sign 15:30 ·
//   request-extension 2 h Fri 10-09 09:00 · approve zhao 09:10 (6 h now) · finish Sat 10-10 09:00:
//   Thu 130 min + Fri 450 min + Sat 30 min = 610 min > 360 [LATE] · send-check 09:10 [on time] · check
//   li 10:00 passed [on time] · close chen 10:30 [on time].
// C 07001 南苑-1, zhou, Mon 10-12 09:00. accept 09:20 [on time] · register chen 10:00: 40 min [LATE] ·
//   dispatch 10:10 → CGZF [on time] · sign 10:30 · request-hang 11:00 · approve zhao 11:10 (1 h used;
//   clock stops) · resume zhao Thu 10-15 09:00 · finish cgzf 16:00: 1 h + 3 h + 2.5 h = 6.5 h ≤ 7.5 h
//   [on time, thanks to the 挂账] · send-check wang 16:40: 40 min [LATE] · check zhou 17:00 [on time] ·
//   close chen Fri 10-16 09:00: Thu 17:00–17:30 + Fri 08:30–09:00 = exactly 1 h [on time].
// D 06013 北苑-3, public report entered by wang, Tue 10-27 09:00. accept 09:10 → 核实 by li [on time] ·
//   verify li 10:30 passed: 80 min [LATE] · register 10:40 [on time] · dispatch 10:50 → JT [on time] ·
//   sign 11:00 · still handling; 5 工作日 run to Tue 11-03 10:50, so not overdue on 31 October.
// E 06010 南苑-2, zhou, Thu 10-29 14:00. accept 14:10 · register 14:20 · dispatch zhao 14:30 → CGZF
//   (wrong) [on time] · request-return cgzf 14:50 · approve zhao 15:00 (回退) · dispatch zhao 15:20 → HW
//   [on time], 2 h (南苑) → due Thu 17:20 · sign 15:40 · finished only Mon 11-02 09:00 [LATE]: on
//   31 October it was open and overdue.
// F 06012 北苑-1, li, Tue 10-20 09:00. accept 09:10 · register chen 09:20 · void chen 09:30 (duplicate).
// G 06012 南苑-3, zhou, self-handled Wed 10-21 10:00 · close chen 10:20 [on time].
// H 09006 南苑-1, hotline entered by wang, Thu 10-22 09:00. accept 09:05 → 核实 by zhou · verify zhou
//   09:40 not confirmed → refused [on time].
// I 06012 北苑-1, hotline entered by wang, Fri 10-30 15:00. accept 15:05 → 核实 by li, due 16:05 ·
//   verified only Mon 11-02 09:00: open and overdue on 31 October.

import Foundation
import Testing
import UrbanGridCore
import UrbanGridStore

/// A local time "YYYY-MM-DD HH:MM" in Asia/Shanghai.
func shanghai(_ text: String) -> Date {
    let p = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).map { Int($0)! }
    var c = Calendar(identifier: .gregorian)
    c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
    return c.date(from: DateComponents(year: p[0], month: p[1], day: p[2], hour: p[3], minute: p[4]))!
}

/// The people of the fixture and a way to act as them.
struct EvaluationCrew {
    let store: CityStore
    let li, zhou, wang, chen, zhao, hw, cgzf, jt: UserAccount
    /// Centres of the six unit grids, by the last three digits of the grid code's community and sequence
    /// ("001001" = 北苑-1 … "002003" = 南苑-3).
    let centre: [String: Point2]

    init(store: CityStore) throws {
        func user(_ name: String, _ role: Role, _ department: String? = nil) throws -> UserAccount {
            try store.addUser(username: name, role: role, department: department, passwordHash: "-")
        }
        self.store = store
        li = try user("li", .inspector); zhou = try user("zhou", .inspector); wang = try user("wang", .operator_)
        chen = try user("chen", .shiftLeader); zhao = try user("zhao", .dispatcher)
        hw = try user("hw", .departmentStaff, "HW"); cgzf = try user("cgzf", .departmentStaff, "CGZF")
        jt = try user("jt", .departmentStaff, "JT")
        try store.assignBeat(username: "li", communities: ["990201001001"])
        try store.assignBeat(username: "zhou", communities: ["990201001002"])
        var centre: [String: Point2] = [:]
        for grid in try GeoJSONFile.areas(Fixtures.testcity.appendingPathComponent("grids.geojson")) {
            centre[String(grid["code"]!.suffix(6))] = grid.vertexCentroid
        }
        self.centre = centre
    }

    /// Reports a case in the grid at `at` (local time).
    func report(_ code: String, grid: String, by user: UserAccount, at: String, source: CaseSource? = nil,
                selfHandled: Bool = false) async throws -> Int64 {
        let p = centre[grid]!
        let intake = CaseIntake(kind: .event, code: code, location: .init(lon: p.x, lat: p.y, crs: .cgcs2000),
                                description: "fixture", source: source, selfHandled: selfHandled ? true : nil)
        return try await store.createCase(NewCase(intake: intake, lon: p.x, lat: p.y, reporter: user, idempotencyKey: nil),
                                    now: shanghai(at)).id
    }

    func act(_ id: Int64, _ action: CaseAction, by user: UserAccount, at: String, _ input: ActionInput = ActionInput()) throws {
        try store.applyAction(caseID: id, action: action, by: user, input: input, now: shanghai(at))
    }

    /// 受理 by wang, 立案 by chen and 派遣 by zhao to `department`, at the three times given.
    func dispatch(_ id: Int64, to department: String, accepted: String, registered: String, dispatched: String) throws {
        try act(id, .accept, by: wang, at: accepted)
        try act(id, .register, by: chen, at: registered)
        try act(id, .dispatch, by: zhao, at: dispatched, ActionInput(department: department))
    }

    /// 处置完成 by `staff`, 派发核查 by wang, 核查 by `inspector`, at the three times given.
    func finish(_ id: Int64, by staff: UserAccount, at finished: String, checkSent: String, checked: String,
                by inspector: UserAccount, passed: Bool = true) throws {
        try act(id, .finish, by: staff, at: finished, ActionInput(note: "ok"))
        try act(id, .sendCheck, by: wang, at: checkSent)
        try act(id, .check, by: inspector, at: checked, ActionInput(passed: passed))
    }

    /// Runs the month described at the top of this file; returns the case ids by letter.
    func playOctober() async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        // B: September, then the holiday week.
        let b = try await report("06010", grid: "001002", by: li, at: "2026-09-30 16:00"); ids["B"] = b
        try dispatch(b, to: "HW", accepted: "2026-09-30 16:05", registered: "2026-09-30 16:10", dispatched: "2026-09-30 16:15")
        try act(b, .sign, by: hw, at: "2026-09-30 16:30")
        try finish(b, by: hw, at: "2026-10-08 11:00", checkSent: "2026-10-08 11:10", checked: "2026-10-08 15:00", by: li, passed: false)
        try act(b, .rework, by: chen, at: "2026-10-08 15:20")
        try act(b, .sign, by: hw, at: "2026-10-08 15:30")
        try act(b, .requestExtension, by: hw, at: "2026-10-09 09:00", ActionInput(note: "need parts", hours: 2))
        try act(b, .approve, by: zhao, at: "2026-10-09 09:10")
        try finish(b, by: hw, at: "2026-10-10 09:00", checkSent: "2026-10-10 09:10", checked: "2026-10-10 10:00", by: li)
        try act(b, .close, by: chen, at: "2026-10-10 10:30")
        // C: hung for three days.
        let c = try await report("07001", grid: "002001", by: zhou, at: "2026-10-12 09:00"); ids["C"] = c
        try dispatch(c, to: "CGZF", accepted: "2026-10-12 09:20", registered: "2026-10-12 10:00", dispatched: "2026-10-12 10:10")
        try act(c, .sign, by: cgzf, at: "2026-10-12 10:30")
        try act(c, .requestHang, by: cgzf, at: "2026-10-12 11:00", ActionInput(note: "waiting for the owner"))
        try act(c, .approve, by: zhao, at: "2026-10-12 11:10")
        try act(c, .resume, by: zhao, at: "2026-10-15 09:00")
        try finish(c, by: cgzf, at: "2026-10-15 16:00", checkSent: "2026-10-15 16:40", checked: "2026-10-15 17:00", by: zhou)
        try act(c, .close, by: chen, at: "2026-10-16 09:00")
        // A: across the weekend.
        let a = try await report("06010", grid: "001001", by: li, at: "2026-10-16 15:00"); ids["A"] = a
        try dispatch(a, to: "HW", accepted: "2026-10-16 15:10", registered: "2026-10-16 15:20", dispatched: "2026-10-16 15:30")
        try act(a, .sign, by: hw, at: "2026-10-16 16:00")
        try finish(a, by: hw, at: "2026-10-19 10:00", checkSent: "2026-10-19 10:20", checked: "2026-10-19 11:00", by: li)
        try act(a, .close, by: chen, at: "2026-10-19 11:30")
        // F: registered, then voided.
        let f = try await report("06012", grid: "001001", by: li, at: "2026-10-20 09:00"); ids["F"] = f
        try act(f, .accept, by: wang, at: "2026-10-20 09:10")
        try act(f, .register, by: chen, at: "2026-10-20 09:20")
        try act(f, .void, by: chen, at: "2026-10-20 09:30", ActionInput(note: "duplicate"))
        // G: self-handled.
        let g = try await report("06012", grid: "002003", by: zhou, at: "2026-10-21 10:00", selfHandled: true); ids["G"] = g
        try act(g, .close, by: chen, at: "2026-10-21 10:20")
        // H: hotline, not confirmed.
        let h = try await report("09006", grid: "002001", by: wang, at: "2026-10-22 09:00", source: .hotline); ids["H"] = h
        try act(h, .accept, by: wang, at: "2026-10-22 09:05")
        try act(h, .verify, by: zhou, at: "2026-10-22 09:40", ActionInput(passed: false))
        // D: the public saw what li did not; still being handled at the end of the month.
        let d = try await report("06013", grid: "001003", by: wang, at: "2026-10-27 09:00", source: .public_); ids["D"] = d
        try act(d, .accept, by: wang, at: "2026-10-27 09:10")
        try act(d, .verify, by: li, at: "2026-10-27 10:30", ActionInput(passed: true))
        try act(d, .register, by: chen, at: "2026-10-27 10:40")
        try act(d, .dispatch, by: zhao, at: "2026-10-27 10:50", ActionInput(department: "JT"))
        try act(d, .sign, by: jt, at: "2026-10-27 11:00")
        // E: the wrong department first, then overdue over the month's end.
        let e = try await report("06010", grid: "002002", by: zhou, at: "2026-10-29 14:00"); ids["E"] = e
        try dispatch(e, to: "CGZF", accepted: "2026-10-29 14:10", registered: "2026-10-29 14:20", dispatched: "2026-10-29 14:30")
        try act(e, .requestReturn, by: cgzf, at: "2026-10-29 14:50", ActionInput(note: "not ours"))
        try act(e, .approve, by: zhao, at: "2026-10-29 15:00")
        try act(e, .dispatch, by: zhao, at: "2026-10-29 15:20", ActionInput(department: "HW"))
        try act(e, .sign, by: hw, at: "2026-10-29 15:40")
        // I: a verification left waiting over the month's end.
        let i = try await report("06012", grid: "001001", by: wang, at: "2026-10-30 15:00", source: .hotline); ids["I"] = i
        try act(i, .accept, by: wang, at: "2026-10-30 15:05")
        // November: what was overdue on 31 October is done late; October's figures must not change.
        try act(e, .finish, by: hw, at: "2026-11-02 09:00", ActionInput(note: "late"))
        try act(i, .verify, by: li, at: "2026-11-02 09:00", ActionInput(passed: true))
        return ids
    }
}

/// The testcity store with the October fixture played, evaluated at `now` (default 2026-11-10 12:00).
func withOctober<T>(_ body: (EvaluationCrew, [String: Int64]) throws -> T) async throws -> T {
    try await withStore(Fixtures.testcity) { store, _ in
        let crew = try EvaluationCrew(store: store)
        return try body(crew, try await crew.playOctober())
    }
}
