import Foundation
import Testing
import UrbanGridCore

@Suite struct DuplicateWindowsTests {
    let windows = DuplicateWindows(events: ["06010": .init(radiusM: 50, windowHours: 48), "06": .init(radiusM: 80, windowHours: 24)],
                                   components: ["01": .init(radiusM: 10, windowHours: 720)])

    @Test func aCodeWinsOverItsClassAndOtherTypesHaveNone() {
        #expect(windows.window(kind: .event, code: "06010")?.radiusM == 50)
        #expect(windows.window(kind: .event, code: "06013")?.radiusM == 80)
        #expect(windows.window(kind: .event, code: "07001") == nil)
        #expect(windows.window(kind: .component, code: "01001")?.windowHours == 720)
        #expect(windows.window(kind: .component, code: "06010") == nil, "components and events are apart")
    }

    @Test func readFromTheRulesFileAndAbsentMeansNone() throws {
        let json = #"{"rules": [], "duplicates": {"events": {"09009": {"radius_m": 20, "window_hours": 4}}}}"#
        let set = try JSONDecoder().decode(DispatchRuleSet.self, from: Data(json.utf8))
        #expect(set.duplicates.window(kind: .event, code: "09009") == .init(radiusM: 20, windowHours: 4))
        #expect(set.duplicates.components.isEmpty)
        let none = try JSONDecoder().decode(DispatchRuleSet.self, from: Data(#"{"rules": []}"#.utf8))
        #expect(none.duplicates == DuplicateWindows())
    }

    @Test func badKeysRadiiAndWindowsAreNamed() {
        let bad = DuplicateWindows(events: ["6": .init(radiusM: 50, windowHours: 1), "99999": .init(radiusM: 0, windowHours: 1),
                                            "06010": .init(radiusM: 1_500, windowHours: -1)])
        #expect(bad.problems(matterCodes: ["06010"]) == [
            "duplicates.events.06010: radius_m must be in (0, 1000]",
            "duplicates.events.06010: window_hours must be positive",
            "duplicates.events.6: not a 5-digit code or a 2-digit class",
            "duplicates.events.99999: code not in the catalogue",
            "duplicates.events.99999: radius_m must be in (0, 1000]",
        ])
        #expect(windows.problems(componentCodes: ["01001"], matterCodes: ["06010"]).isEmpty)
    }
}
