import Foundation
import Testing
@testable import UrbanGridCore

// Codes of the synthetic test city (region 990201): street 990201004, its community 990201004012 and
// that community's grid 990201004012034. 06001 stands for an event type (暴露垃圾 in the examples).

private let street = "990201004", community = "990201004012", grid = "990201004012034"

private func rule(_ id: String, kind: CaseKind = .event, code: String = "06001", streets: [String]? = nil,
                  communities: [String]? = nil, grids: [String]? = nil, polygon: String? = nil,
                  urgent: Bool? = nil, department: String = "HW",
                  limit: TimeLimit = .workingHours(4)) -> DispatchRule {
    DispatchRule(id: id, kind: kind, code: code, streets: streets, communities: communities, grids: grids,
                 polygonID: polygon, urgent: urgent, department: department, limit: limit,
                 registerCondition: "公共区域有暴露垃圾", closeCondition: "垃圾清除,地面无残留")
}

/// Deliberately listed from most to least specific in reverse, so file order alone cannot explain a win.
private let rules = [
    rule("city"),
    rule("city-urgent", urgent: true, limit: .workingHours(2)),
    rule("market", polygon: "market-area", department: "CGZF"),
    rule("street", streets: [street], department: "JD004"),
    rule("community", communities: [community], department: "SQ012"),
    rule("grid", grids: [grid], department: "G034"),
    rule("grid-urgent", grids: [grid], urgent: true, department: "G034U"),
    rule("city-again", department: "XX"),
]

private func matchID(grid g: String? = grid, community c: String? = community, street s: String? = street,
                     urgent: Bool = false, polygons: Set<String> = [], kind: CaseKind = .event,
                     code: String = "06001", in list: [DispatchRule] = rules) -> String? {
    DispatchRules.match(list, kind: kind, code: code, grid: g, community: c, street: s, urgent: urgent,
                        insidePolygons: polygons)?.id
}

@Suite struct DispatchRuleMatchTests {
    @Test func narrowerAreaWins() {
        #expect(matchID(polygons: ["market-area"]) == "grid")
        #expect(matchID(grid: "990201004012035", polygons: ["market-area"]) == "community")
        #expect(matchID(grid: "990201004013001", community: "990201004013", polygons: ["market-area"]) == "street")
        #expect(matchID(grid: "990201005001001", community: "990201005001", street: "990201005",
                        polygons: ["market-area"]) == "market")
        #expect(matchID(grid: "990201005001001", community: "990201005001", street: "990201005") == "city")
        // A case with no area codes at all still gets the citywide rule.
        #expect(matchID(grid: nil, community: nil, street: nil) == "city")
    }

    @Test func urgencySpecificBeatsGeneralAtTheSameLevel() {
        #expect(matchID(urgent: true) == "grid-urgent")
        #expect(matchID(grid: nil, community: nil, street: nil, urgent: true) == "city-urgent")
        // An ordinary-only rule beats a general one even when listed after it.
        let list = [rule("general"), rule("ordinary", urgent: false), rule("urgent-only", urgent: true)]
        #expect(matchID(urgent: false, in: list) == "ordinary")
        #expect(matchID(urgent: true, in: list) == "urgent-only")
    }

    @Test func areaOutranksUrgency() {
        // Urgent case in the street but not the listed community or grid: the street's general rule
        // beats the citywide urgent one.
        #expect(matchID(grid: "990201004013001", community: "990201004013", urgent: true) == "street")
    }

    @Test func tiesGoToTheEarlierRule() {
        // "city" and "city-again" have the same scope; the first in the file wins.
        #expect(matchID(grid: nil, community: nil, street: nil) == "city")
        let reversed = [rule("b", department: "B"), rule("a", department: "A")]
        #expect(matchID(in: reversed) == "b")
    }

    @Test func kindAndCodeMustMatch() {
        #expect(matchID(kind: .component) == nil)  // component 06001 is not event 06001
        #expect(matchID(code: "06002") == nil)
    }

    @Test func allRestrictionsOfOneRuleMustHold() {
        let list = [rule("street-and-polygon", streets: [street], polygon: "market-area")]
        #expect(matchID(polygons: ["market-area"], in: list) == "street-and-polygon")
        #expect(matchID(polygons: [], in: list) == nil)
        #expect(matchID(street: "990201005", polygons: ["market-area"], in: list) == nil)
        #expect(list[0].areaLevel == .street)
    }
}

@Suite struct DepartmentSuggestionTests {
    @Test func ruleFirst() {
        let r = rule("grid", grids: [grid], department: "G034")
        #expect(DispatchRules.suggestDepartment(rule: r, componentDepartments: ComponentDepartments(maintainer: "SW"))
                == DepartmentSuggestion(department: "G034", basis: .rule, ruleID: "grid"))
    }

    @Test func componentFallsBackFromMaintainerToOwnerToCompetent() {
        func suggest(_ m: String?, _ o: String?, _ c: String?) -> DepartmentSuggestion? {
            DispatchRules.suggestDepartment(rule: nil,
                                            componentDepartments: ComponentDepartments(maintainer: m, owner: o, competent: c))
        }
        #expect(suggest("LD", "DL", "CG") == DepartmentSuggestion(department: "LD", basis: .maintainer))
        #expect(suggest(nil, "DL", "CG") == DepartmentSuggestion(department: "DL", basis: .owner))
        #expect(suggest(" ", "", "CG") == DepartmentSuggestion(department: "CG", basis: .competent))
        #expect(suggest(nil, nil, nil) == nil)  // flagged for the dispatcher
    }

    @Test func eventWithoutRuleIsFlagged() {
        #expect(DispatchRules.suggestDepartment(rule: nil, componentDepartments: nil) == nil)
    }
}

@Suite struct DispatchRuleFileTests {
    @Test func decodesTheRulesFile() throws {
        let json = """
        {
          "node_limits": {"acceptance": {"working_hours": 0.25}, "handling": {"working_days": 5}},
          "rules": [
            {"id": "E-06001", "kind": "event", "code": "06001", "department": "HW",
             "limit": {"working_hours": 4}, "register_condition": "公共区域有暴露垃圾",
             "close_condition": "垃圾清除,地面无残留", "note": "暴露垃圾"},
            {"id": "E-06001-s004-urgent", "kind": "event", "code": "06001", "streets": ["990201004"],
             "polygon_id": "market-area", "urgent": true, "department": "HW", "limit": {"working_hours": 2},
             "register_condition": "公共区域有暴露垃圾", "close_condition": "垃圾清除,地面无残留"}
          ]
        }
        """
        let set = try JSONDecoder().decode(DispatchRuleSet.self, from: Data(json.utf8))
        #expect(set.rules.count == 2)
        #expect(set.rules[1].polygonID == "market-area" && set.rules[1].urgent == true)
        #expect(set.rules[1].streets == ["990201004"] && set.rules[1].limit == .workingHours(2))
        #expect(set.nodeLimits.acceptance == .workingHours(0.25))
        #expect(set.nodeLimits.handling == .workingDays(5))
        #expect(set.nodeLimits.registration == NodeLimits().registration)  // absent → default
        #expect(set.problems().isEmpty)
        #expect(set.handlingLimit(for: nil) == .workingDays(5))
        #expect(set.handlingLimit(for: set.rules[0]) == .workingHours(4))
        #expect(set.match(kind: .event, code: "06001", grid: nil, community: nil, street: "990201004",
                          urgent: true, insidePolygons: ["market-area"])?.id == "E-06001-s004-urgent")
        let again = try JSONDecoder().decode(DispatchRuleSet.self, from: try JSONEncoder().encode(set))
        #expect(again == set)
        let noLimits = try JSONDecoder().decode(DispatchRuleSet.self, from: Data(#"{"rules": []}"#.utf8))
        #expect(noLimits.nodeLimits == NodeLimits())
    }

    @Test func defaultNodeLimits() {
        let d = NodeLimits()
        #expect(d.limit(for: .acceptance) == .workingHours(0.5))
        #expect(d.limit(for: .registration) == .workingHours(0.5))
        #expect(d.limit(for: .dispatch) == .workingHours(0.5))
        #expect(d.limit(for: .verification) == .workingHours(1))
        #expect(d.limit(for: .check) == .workingHours(2))
        #expect(d.limit(for: .closing) == .workingHours(1))
        #expect(d.limit(for: .checkDispatch) == .workingHours(0.5))
        #expect(d.limit(for: .handling) == .workingDays(3))
    }

    @Test func findsProblems() {
        let catalog = Catalog(
            components: [ComponentType(code: "01001", major: "01", majorZh: "公用设施", majorEn: "Public utilities",
                                       nameZh: "供水井盖", nameEn: "Water manhole cover", geometry: "point")],
            matters: [MatterType(code: "06001", major: "06", majorZh: "市容环境", majorEn: "City appearance",
                                 nameZh: "暴露垃圾", nameEn: "Exposed garbage", componentCode: nil)],
            legacyComponents: [], legacyEvents: [])
        let set = DispatchRuleSet(rules: [
            rule("ok"),
            rule("ok"),                                            // duplicate id, same scope as "ok"
            rule("bad-major", kind: .component, code: "06001"),    // 06 is no component major; not in catalogue
            rule("unknown", code: "06999"),                        // not in catalogue
            rule("empty-list", streets: [], department: "ZZ"),     // empty list, unknown department
            rule("short-grid", grids: ["99020100401203"]),         // 14 digits
        ])
        let problems = set.problems(catalog: catalog, departments: ["HW"])
        #expect(problems.count == 8, "\(problems)")
        #expect(problems.contains("rule ok: duplicate id"))
        #expect(problems.contains("rule ok: same scope as rule ok, which always wins"))
        #expect(problems.contains("rule unknown: code 06999 is not in the catalogue"))
        #expect(problems.contains("rule empty-list: unknown department ZZ"))
        #expect(problems.contains("rule short-grid: grids entry 99020100401203 is not 15 digits"))
    }
}
