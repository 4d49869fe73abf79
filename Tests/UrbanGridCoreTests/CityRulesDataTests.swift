import Foundation
import Testing
import UrbanGridCore

// The sample cities' hand-maintained data files, gis-data/<city>/calendar.json and dispatch-rules.json,
// decoded with the Core types and checked against the catalogue, the departments and the area layers.
// Calendar expectations come from the published holiday lists (testcity: 国务院办公厅关于2026年部分节假日
// 安排的通知; Helsinki: Finnish public holidays), not from the files.

private enum CityData {
    /// `gis-data/` of this repository (this file is Tests/UrbanGridCoreTests/…).
    static let gisData = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("gis-data")

    static func text(_ path: String) throws -> String {
        try String(contentsOf: gisData.appendingPathComponent(path), encoding: .utf8)
    }

    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: gisData.appendingPathComponent(path))
    }

    static func calendar(_ city: String) throws -> WorkCalendar {
        try JSONDecoder().decode(WorkCalendar.self, from: data("\(city)/calendar.json"))
    }

    static func rules(_ city: String) throws -> DispatchRuleSet {
        try JSONDecoder().decode(DispatchRuleSet.self, from: data("\(city)/dispatch-rules.json"))
    }

    static func catalog() throws -> Catalog {
        try Catalog(componentsCSV: text("catalog/components.csv"), mattersCSV: text("catalog/matters.csv"),
                    legacyComponentsCSV: text("catalog/legacy-components.csv"),
                    legacyEventsCSV: text("catalog/legacy-events.csv"))
    }

    static func departments(_ city: String) throws -> Set<String> {
        Set(try CSV.parse(text("\(city)/departments.csv")).records.compactMap { $0["code"] })
    }

    /// The `properties` of every feature of a GeoJSON layer.
    static func properties(_ city: String, _ layer: String) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: data("\(city)/\(layer).geojson"))
        let features = (object as? [String: Any])?["features"] as? [[String: Any]] ?? []
        return features.compactMap { $0["properties"] as? [String: Any] }
    }

    static func codes(_ city: String, _ layer: String) throws -> Set<String> {
        Set(try properties(city, layer).compactMap { $0["code"] as? String })
    }
}

private func day(_ text: String) -> WorkCalendar.Day {
    guard let d = WorkCalendar.Day(text) else { preconditionFailure("bad date \(text)") }
    return d
}

private func instant(_ text: String) -> Date {
    guard let d = ISO8601DateFormatter().date(from: text) else { preconditionFailure("bad instant \(text)") }
    return d
}

@Suite struct CityRulesDataTests {
    // MARK: Files are valid and consistent with the catalogue, departments and areas

    @Test(arguments: ["helsinki", "testcity"])
    func rulesHaveNoProblems(city: String) throws {
        let set = try CityData.rules(city)
        let problems = set.problems(catalog: try CityData.catalog(), departments: try CityData.departments(city))
        #expect(problems.isEmpty, "\(city): \(problems)")
        #expect(set.nodeLimits.acceptance == .workingHours(0.5))
        #expect(set.nodeLimits.verification == .workingHours(1))
        #expect(set.nodeLimits.registration == .workingHours(0.5))
        #expect(set.nodeLimits.dispatch == .workingHours(0.5))
        #expect(set.nodeLimits.checkDispatch == .workingHours(0.5))
        #expect(set.nodeLimits.check == .workingHours(2))
        #expect(set.nodeLimits.closing == .workingHours(1))
        #expect(set.nodeLimits.handling == .workingDays(3))
    }

    @Test(arguments: ["helsinki", "testcity"])
    func areaCodesExistInTheCity(city: String) throws {
        let streets = try CityData.codes(city, "streets")
        let communities = try CityData.codes(city, "communities")
        let grids = try CityData.codes(city, "grids")
        #expect(!streets.isEmpty && !communities.isEmpty && !grids.isEmpty)
        for rule in try CityData.rules(city).rules {
            for s in rule.streets ?? [] { #expect(streets.contains(s), "\(city) \(rule.id): street \(s)") }
            for c in rule.communities ?? [] { #expect(communities.contains(c), "\(city) \(rule.id): community \(c)") }
            for g in rule.grids ?? [] { #expect(grids.contains(g), "\(city) \(rule.id): grid \(g)") }
        }
    }

    /// Every component in the city gets a known department: from a rule, or from its own 养护/权属/主管 fields.
    @Test(arguments: ["helsinki", "testcity"])
    func everyComponentGetsAKnownDepartment(city: String) throws {
        let set = try CityData.rules(city)
        let departments = try CityData.departments(city)
        let components = try CityData.properties(city, "components")
        #expect(!components.isEmpty)
        var unknown: Set<String> = []
        for p in components {
            guard let code = p["type_code"] as? String else { unknown.insert("(no type_code)"); continue }
            let rule = set.match(kind: .component, code: code, grid: nil, community: nil, street: nil, urgent: false)
            let own = ComponentDepartments(maintainer: p["maintainer_dept"] as? String,
                                           owner: p["owner_dept"] as? String,
                                           competent: p["competent_dept"] as? String)
            let suggestion = DispatchRules.suggestDepartment(rule: rule, componentDepartments: own)
            if let d = suggestion?.department, departments.contains(d) { continue }
            unknown.insert("\(code) → \(suggestion?.department ?? "nil")")
        }
        #expect(unknown.isEmpty, "\(city): \(unknown.sorted())")
    }

    // MARK: Calendars: hand-known dates

    @Test func testcityFollowsThe2026StateCouncilNotice() throws {
        let cal = try CityData.calendar("testcity")
        #expect(cal.timeZone == "Asia/Shanghai")
        #expect(cal.workDayLength == 7.5 * 3600)
        #expect(!cal.isWorkingDay(day("2026-10-01")))   // 国庆节, Thursday
        #expect(!cal.isWorkingDay(day("2026-10-07")))   // last day of 国庆 (Wednesday)
        #expect(cal.isWorkingDay(day("2026-10-08")))
        #expect(cal.isWorkingDay(day("2026-10-10")))    // 调休 Saturday
        #expect(cal.isWorkingDay(day("2026-09-20")))    // 调休 Sunday
        #expect(cal.isWorkingDay(day("2026-02-14")))    // 调休 Saturday before 春节
        #expect(cal.isWorkingDay(day("2026-02-28")))    // 调休 Saturday after 春节
        #expect(!cal.isWorkingDay(day("2026-02-23")))   // 正月初七, Monday, still off
        #expect(!cal.isWorkingDay(day("2026-05-05")))   // 劳动节, Tuesday
        #expect(cal.isWorkingDay(day("2026-05-09")))    // 调休 Saturday
        #expect(!cal.isWorkingDay(day("2026-06-19")))   // 端午节, Friday
        #expect(!cal.isWorkingDay(day("2026-04-06")))   // 清明节, Monday
        #expect(cal.isWorkingDay(day("2026-03-10")))    // an ordinary Tuesday
        #expect(!cal.isWorkingDay(day("2026-03-14")))   // an ordinary Saturday
    }

    @Test func helsinkiFollowsFinnishPublicHolidays() throws {
        let cal = try CityData.calendar("helsinki")
        #expect(cal.timeZone == "Europe/Helsinki")
        #expect(cal.workDayLength == 7.5 * 3600)
        #expect(cal.workdays.isEmpty)
        #expect(!cal.isWorkingDay(day("2026-12-24")))   // jouluaatto, Thursday
        #expect(!cal.isWorkingDay(day("2026-04-03")))   // pitkäperjantai
        #expect(!cal.isWorkingDay(day("2026-04-06")))   // 2. pääsiäispäivä
        #expect(!cal.isWorkingDay(day("2026-05-14")))   // helatorstai
        #expect(!cal.isWorkingDay(day("2026-06-19")))   // juhannusaatto
        #expect(!cal.isWorkingDay(day("2027-03-26")))   // pitkäperjantai 2027
        #expect(!cal.isWorkingDay(day("2027-05-06")))   // helatorstai 2027
        #expect(cal.isWorkingDay(day("2026-03-10")))    // an ordinary Tuesday
        #expect(cal.isWorkingDay(day("2026-12-23")))
        #expect(!cal.isWorkingDay(day("2026-10-10")))   // a Saturday: no 调休 in Finland
    }

    // MARK: Rule lookups and deadlines

    @Test func helsinkiLookups() throws {
        let set = try CityData.rules("helsinki")
        // 非机动车乱停放 goes to the street office of the street.
        let bikes = set.match(kind: .event, code: "09010", grid: nil, community: "990101002001",
                              street: "990101002", urgent: false)
        #expect(bikes?.department == "JD002")
        #expect(set.match(kind: .event, code: "09010", grid: nil, community: "990101003001",
                          street: "990101003", urgent: false)?.department == "JD003")
        // 暴露垃圾: citywide 4 工作时, 紧急 2 工作时, the market community 2 工作时.
        let garbage = set.match(kind: .event, code: "06010", grid: nil, community: "990101003001",
                                street: "990101003", urgent: false)
        #expect(garbage?.department == "HW")
        #expect(garbage?.limit == .workingHours(4))
        #expect(set.match(kind: .event, code: "06010", grid: nil, community: "990101003001", street: "990101003",
                          urgent: true)?.limit == .workingHours(2))
        let market = set.match(kind: .event, code: "06010", grid: nil, community: "990101001001",
                               street: "990101001", urgent: false)
        #expect(market?.communities == ["990101001001"])
        #expect(market?.limit == .workingHours(2))
        // 燃气井盖: 紧急 → RQ within 1 工作时.
        let gas = set.match(kind: .component, code: "01011", grid: nil, community: nil, street: nil, urgent: true)
        #expect(gas?.department == "RQ")
        #expect(gas?.limit == .workingHours(1))
        // 电力立杆 has no rule: the component's own 养护单位 is suggested.
        let pole = set.match(kind: .component, code: "01030", grid: nil, community: nil, street: nil, urgent: false)
        #expect(pole == nil)
        let suggestion = DispatchRules.suggestDepartment(
            rule: pole, componentDepartments: ComponentDepartments(maintainer: "DL", owner: "DL", competent: "DL"))
        #expect(suggestion == DepartmentSuggestion(department: "DL", basis: .maintainer))
        // An event type without a rule is left to the 派遣员, with the fallback handling limit.
        let none = set.match(kind: .event, code: "06038", grid: nil, community: nil, street: nil, urgent: false)
        #expect(none == nil)
        #expect(set.handlingLimit(for: none) == .workingDays(3))
    }

    @Test func testcityLookups() throws {
        let set = try CityData.rules("testcity")
        #expect(set.match(kind: .event, code: "09010", grid: nil, community: "990201001001", street: "990201001",
                          urgent: false)?.department == "JD001")
        #expect(set.match(kind: .event, code: "06010", grid: nil, community: "990201001001", street: "990201001",
                          urgent: false)?.limit == .workingHours(4))
        #expect(set.match(kind: .event, code: "06010", grid: nil, community: "990201001002", street: "990201001",
                          urgent: false)?.id == "E-06010-nanyuan")
        let cover = set.match(kind: .component, code: "01001", grid: nil, community: nil, street: nil, urgent: true)
        #expect(cover?.department == "SW")
        #expect(cover?.limit == .workingHours(2))
        #expect(set.match(kind: .component, code: "01001", grid: nil, community: nil, street: nil,
                          urgent: false)?.limit == .workingDays(1))
    }

    /// Deadlines worked out by hand on the real calendars.
    @Test func deadlinesAcrossHolidaysAndMakeUpDays() throws {
        let tc = try CityData.calendar("testcity")
        let tcRules = try CityData.rules("testcity")
        let garbage = try #require(tcRules.match(kind: .event, code: "06010", grid: nil, community: nil,
                                                 street: nil, urgent: false))
        let limit = garbage.limit.seconds(in: tc)   // 4 工作时
        // Wed 30 Sep 16:00: 1.5 h that day, 1–7 Oct off, Thu 8 Oct 08:30 + 2.5 h = 11:00.
        #expect(tc.addingWorkingTime(limit, to: instant("2026-09-30T16:00:00+08:00"))
                == instant("2026-10-08T11:00:00+08:00"))
        // Fri 9 Oct 16:00: 1.5 h that day, then the 调休 Saturday 10 Oct 08:30 + 2.5 h = 11:00.
        #expect(tc.addingWorkingTime(limit, to: instant("2026-10-09T16:00:00+08:00"))
                == instant("2026-10-10T11:00:00+08:00"))

        let hel = try CityData.calendar("helsinki")
        let helRules = try CityData.rules("helsinki")
        let urgent = try #require(helRules.match(kind: .event, code: "06010", grid: nil, community: nil,
                                                 street: nil, urgent: true))
        // Wed 23 Dec 15:00 EET, 2 工作时: 1 h to 16:00, 24–26 Dec holidays, Sun 27, Mon 28 Dec 08:00 + 1 h.
        #expect(hel.addingWorkingTime(urgent.limit.seconds(in: hel), to: instant("2026-12-23T15:00:00+02:00"))
                == instant("2026-12-28T09:00:00+02:00"))
    }
}
