import Foundation
import UrbanGridConsole
import UrbanGridCore

/// Cases as the server would send them, with only what a test cares about set.
enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    static func step(_ light: AlertLight, deadline: Date, remaining: Double = 3600, paused: Bool = false) -> StepView {
        let clock = StepClock(node: .dispatch, start: t0, limit: .workingHours(1))
        let reading = ClockReading(elapsed: 0, limit: 3600, remaining: remaining, deadline: deadline, paused: paused, light: light)
        return StepView(node: .dispatch, clock: clock, reading: reading)
    }

    static func caseView(id: Int64, number: String? = nil, status: CaseStatus = .awaitingDispatch,
                         light: AlertLight? = .green, deadline: Date? = nil, remaining: Double = 3600,
                         type: String = "暴露垃圾", department: String? = nil, suggested: String? = nil,
                         street: String = "001", description: String? = nil,
                         allowed: [CaseAction] = [], updatedAt: Date = t0) -> CaseView {
        CaseView(
            id: id, number: number ?? "20260529-\(String(format: "%04d", id))", kind: .event, code: "06010",
            typeNameZh: type, typeNameEn: "Exposed garbage", status: status, statusZh: status.nameZh, source: .inspector,
            urgent: false, selfHandled: false, description: description, lon: 104.39, lat: 31.13,
            grid: GridSummary(code: "990201001001001", areaM2: 10_000),
            community: NamedArea(code: "990201001001", nameZh: "东风社区", nameEn: "Dongfeng"),
            street: NamedArea(code: street, nameZh: "城关街道", nameEn: "Chengguan"),
            component: nil, address: nil, geocoded: nil, department: department,
            suggestedDepartment: suggested.map { DepartmentSuggestion(department: $0, basis: .rule, ruleID: "r1") },
            flaggedForDispatcher: false, ruleId: nil, duplicates: [], reworkCount: 0,
            step: light.map { step($0, deadline: deadline ?? t0.addingTimeInterval(3600), remaining: remaining) },
            allowedActions: allowed, reporter: nil, createdAt: t0, updatedAt: updatedAt, timeline: nil)
    }

    static let departments = [
        Department(code: "CG", nameZh: "城管执法", nameEn: "Urban enforcement", kind: .enforcement),
        Department(code: "HW", nameZh: "环卫", nameEn: "Sanitation", kind: .utility),
        Department(code: "YL", nameZh: "园林", nameEn: "Landscaping", kind: .utility),
    ]

    static let dispatcher = SessionUser(id: 3, username: "派遣员小王", role: .dispatcher)
    static let leader = SessionUser(id: 2, username: "shift-leader", role: .shiftLeader)
}
