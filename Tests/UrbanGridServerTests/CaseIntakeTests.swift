// Intake through HTTP: idempotent retries (also concurrent), duplicate suggestions, snapping to the
// nearest component, legacy codes and the intake's validation.

import Foundation
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

extension HelsinkiCity {
    /// `p` moved by one of `offsets` (metres north, east): the first that lands well inside a grid.
    func moved(_ p: Point2, trying offsets: [(Double, Double)]) -> Point2? {
        offsets.lazy.map { HelsinkiCity.offset(p, north: $0.0, east: $0.1) }.first { grid(containing: $0) != nil }
    }
}

@Suite struct CaseIntakeTests {
    @Test func sameKeyFromTheSameUserReturnsTheOriginalCase() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let key = "phone-7f3a-\(UUID().uuidString)"
            let intake = CaseCrew.event("06010", at: p, description: "idem-single 垃圾")
            let first = try await crew.server.report(intake, as: crew.inspector, key: key)
            try #require(first.status == 201, "\(first)")
            let original = try first.json(CaseView.self)
            #expect(first.header("Location") == "/api/v1/cases/\(original.id)")

            // The phone retries: same answer, now 200, same case.
            let retry = try await crew.server.report(intake, as: crew.inspector, key: key)
            #expect(retry.status == 200, "\(retry)")
            let again = try retry.json(CaseView.self)
            #expect(again.id == original.id && again.number == original.number && again.createdAt == original.createdAt)
            #expect(retry.header("Location") == "/api/v1/cases/\(original.id)")

            // Even with another body the key names the case already made.
            var changed = intake
            changed.description = "idem-single changed"
            let reused = try await crew.server.report(changed, as: crew.inspector, key: key)
            #expect(reused.status == 200)
            #expect(try reused.json(CaseView.self).id == original.id)
            #expect(try reused.json(CaseView.self).description == "idem-single 垃圾")

            // Keys are per user: another inspector's phone may use the same one.
            let other = try await crew.server.report(intake, as: crew.inspector2, key: key)
            #expect(other.status == 201, "\(other)")
            let otherCase = try other.json(CaseView.self)
            #expect(otherCase.id != original.id)
            #expect(otherCase.number == "\(crew.city.calendar.compactDay(otherCase.createdAt))-0002"
                    || crew.city.calendar.compactDay(otherCase.createdAt) != crew.city.calendar.compactDay(original.createdAt))

            // Without a key every post is a new case.
            let unkeyed = try await crew.report(intake)
            #expect(unkeyed.id != original.id && unkeyed.id != otherCase.id)

            let listed = try await crew.server.get("api/v1/cases", query: [("q", "idem-single")], as: crew.operator_)
            #expect(Set(try listed.json(CasePage.self).items.map(\.id)) == [original.id, otherCase.id, unkeyed.id])
            #expect(try await crew.view(original.id).timeline?.count == 1, "one report, one audit entry")
        }
    }

    @Test func twentyConcurrentRetriesCreateOneCase() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let key = UUID().uuidString
            let marker = "concurrent-\(UUID().uuidString.prefix(8))"
            let intake = CaseCrew.event("06010", at: p, description: marker)
            let server = crew.server, inspector = crew.inspector
            let results = try await withThrowingTaskGroup(of: (Int, Int64?).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let r = try await server.report(intake, as: inspector, key: key)
                        return (r.status, try? r.json(CaseView.self).id)
                    }
                }
                var out: [(Int, Int64?)] = []
                for try await r in group { out.append(r) }
                return out
            }
            #expect(results.filter { $0.0 == 201 }.count == 1, "\(results.map(\.0))")
            #expect(results.filter { $0.0 == 200 }.count == 19, "\(results.map(\.0))")
            let ids = Set(results.map(\.1))
            #expect(ids.count == 1 && !ids.contains(nil), "\(ids)")

            let listed = try await crew.server.get("api/v1/cases", query: [("q", marker)], as: crew.operator_)
            #expect(listed.status == 200)
            let items = try listed.json(CasePage.self).items
            #expect(items.count == 1, "\(items.map(\.id))")
            #expect(items.first?.id == ids.first ?? nil)
            #expect(items.first?.number.hasSuffix("-0001") == true)
            #expect(try await crew.view(try #require(items.first?.id)).timeline?.count == 1)
        }
    }

    @Test func openCasesOfTheSameCodeNearbyAreSuggestedAsDuplicates() async throws {
        try await withCaseServer { crew in
            let city = crew.city
            let (p, _) = try crew.ordinaryPoint(2)
            let first = try await crew.report(CaseCrew.event("06010", at: p))
            #expect(first.duplicates.isEmpty)

            // ~36 m away: within the 50 m radius.
            let near = try #require(city.moved(p, trying: [(30, 20), (-30, 20), (30, -20), (-30, -20)]))
            let nearDistance = HelsinkiCity.metres(p, near)
            #expect(nearDistance > 35 && nearDistance < 37)
            let second = try await crew.report(CaseCrew.event("06010", at: near))
            try #require(second.duplicates.count == 1, "\(second.duplicates)")
            let d = second.duplicates[0]
            #expect(d.caseId == first.id && d.number == first.number && d.status == .reported && !d.sameComponent)
            #expect(abs(d.distanceM - nearDistance) < 0.5, "\(d.distanceM) vs \(nearDistance) by hand")

            // Another code at the same spot is no duplicate.
            let otherCode = try await crew.report(CaseCrew.event("07001", at: p))
            #expect(otherCode.duplicates.isEmpty, "\(otherCode.duplicates)")

            // 60–70 m from both earlier reports: outside the radius.
            let candidates: [(Double, Double)] = [(-45, -45), (45, 45), (-45, 45), (45, -45), (0, -65), (0, 65), (-65, 0), (65, 0)]
            let far = try #require(candidates.lazy.map { HelsinkiCity.offset(p, north: $0.0, east: $0.1) }.first {
                city.grid(containing: $0) != nil && HelsinkiCity.metres($0, p) > 55 && HelsinkiCity.metres($0, near) > 55
            })
            let distant = try await crew.report(CaseCrew.event("06010", at: far))
            #expect(distant.duplicates.isEmpty, "\(distant.duplicates) at \(HelsinkiCity.metres(far, p)) m")

            // A refused case is no longer open: only the second remains a candidate, nearest first.
            try await crew.act(first.id, .refuse, ActionInput(note: "重复上报"), as: crew.operator_, expect: .refused)
            let third = try await crew.report(CaseCrew.event("06010", at: p))
            #expect(third.duplicates.map(\.caseId) == [second.id], "\(third.duplicates)")
        }
    }

    @Test func componentReportsSnapToTheNearestComponentOfTheirType() async throws {
        try await withCaseServer { crew in
            let city = crew.city
            // 01042 邮筒 (mailboxes): no dispatch rule, so the department comes from the component.
            let type = "01042"
            #expect(!city.rules.contains { $0.code == type })
            let mailboxes = city.components.filter { $0.typeCode == type }
            #expect(mailboxes.count == 22)
            func nearest(to q: Point2) -> (HelsinkiCity.ComponentPoint, Double)? {
                mailboxes.map { ($0, HelsinkiCity.metres(q, $0.point)) }.min { $0.1 < $1.1 }
            }
            // A mailbox with no other mailbox within 100 m, and a report point 7.2 m from it inside a grid.
            let pick = mailboxes.lazy.compactMap { m -> (HelsinkiCity.ComponentPoint, Point2)? in
                guard mailboxes.allSatisfy({ $0.id == m.id || HelsinkiCity.metres($0.point, m.point) > 100 }),
                      let q = city.moved(m.point, trying: [(6, 4), (-6, 4), (6, -4), (-6, -4)]) else { return nil }
                return (m, q)
            }.first
            let (target, q) = try #require(pick)
            let (byHand, distance) = try #require(nearest(to: q))
            #expect(byHand.id == target.id && distance > 7 && distance < 7.5)

            let intake = CaseIntake(kind: .component, code: type, location: .init(lon: q.x, lat: q.y), description: "邮筒倾倒")
            let snapped = try await crew.report(intake)
            let component = try #require(snapped.component)
            #expect(component.id == target.id && component.typeCode == type && component.typeNameZh == "邮筒")
            #expect(abs(component.distanceM - distance) < 0.3, "\(component.distanceM) vs \(distance) by hand")
            #expect(component.lon == target.point.x && component.lat == target.point.y)
            let maintainer = try #require(target.maintainer)
            #expect(snapped.suggestedDepartment == DepartmentSuggestion(department: maintainer, basis: .maintainer))
            #expect(snapped.ruleId == nil && !snapped.flaggedForDispatcher)

            // 60 m from the nearest mailbox: beyond the 30 m snapping radius (and the 50 m duplicate
            // radius of the first report). No component, no rule, no suggestion: flagged for the dispatcher.
            let lonely = try #require(city.moved(target.point, trying: [(-60, 0), (60, 0), (0, 60), (0, -60)]))
            let (_, lonelyDistance) = try #require(nearest(to: lonely))
            #expect(lonelyDistance > 55 && HelsinkiCity.metres(lonely, q) > 55)
            let unsnapped = try await crew.report(CaseIntake(kind: .component, code: type, location: .init(lon: lonely.x, lat: lonely.y)))
            #expect(unsnapped.component == nil && unsnapped.suggestedDepartment == nil && unsnapped.flaggedForDispatcher)
            #expect(unsnapped.duplicates.isEmpty)

            // The same component named from elsewhere (beyond the 50 m radius): listed as same component.
            let away = try #require(city.moved(q, trying: [(80, 0), (-80, 0), (0, 80), (0, -80), (60, 60), (-60, -60)]))
            let awayDistance = HelsinkiCity.metres(q, away)
            #expect(awayDistance > 55)
            let named = try await crew.report(CaseIntake(kind: .component, code: type, location: .init(lon: away.x, lat: away.y),
                                                         componentId: target.id))
            #expect(named.component?.id == target.id)
            try #require(named.duplicates.count == 1, "\(named.duplicates)")
            #expect(named.duplicates[0].caseId == snapped.id && named.duplicates[0].sameComponent)
            #expect(abs(named.duplicates[0].distanceM - awayDistance) < 0.5)

            // An unknown component id is the client's error.
            let unknown = try await crew.server.report(CaseIntake(kind: .component, code: type, location: .init(lon: q.x, lat: q.y),
                                                                  componentId: "99010101999999999"), as: crew.inspector)
            expectProblem(unknown, 400, field: "componentId")
        }
    }

    /// A report with no component, near an open case of the same code that has one. The server used to
    /// crash here (CaseLocator.duplicates: `component_id = NULL` makes `same` NULL, read as a Bool).
    @Test
    func reportWithoutAComponentNearACaseOnAComponent() async throws {
        try await withCaseServer { crew in
            let city = crew.city
            let mailboxes = city.components.filter { $0.typeCode == "01042" }
            let pick = mailboxes.lazy.compactMap { m -> (HelsinkiCity.ComponentPoint, Point2, Point2)? in
                guard mailboxes.allSatisfy({ $0.id == m.id || HelsinkiCity.metres($0.point, m.point) > 100 }),
                      let q = city.moved(m.point, trying: [(5, 0), (-5, 0)]),
                      let r = city.moved(m.point, trying: [(40, 0), (-40, 0), (0, 40), (0, -40)]),
                      HelsinkiCity.metres(q, r) < 48 else { return nil }
                return (m, q, r)
            }.first
            let (target, q, r) = try #require(pick)
            let first = try await crew.report(CaseIntake(kind: .component, code: "01042", location: .init(lon: q.x, lat: q.y)))
            #expect(first.component?.id == target.id)
            // 40 m from the mailbox: not snapped, but within 50 m of the first report.
            let second = try await crew.report(CaseIntake(kind: .component, code: "01042", location: .init(lon: r.x, lat: r.y)))
            #expect(second.component == nil)
            #expect(second.duplicates.map(\.caseId) == [first.id] && second.duplicates.first?.sameComponent == false)
        }
    }

    @Test func snapRadiusAndDefaultDuplicateRadiusAreServerSettings() async throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.intake.snapRadiusM = 3
        configuration.intake.duplicateRadiusM = 10
        try await withCaseServer(configuration: configuration) { crew in
            let city = crew.city
            // 5 m from a mailbox: the default 30 m would snap it (see above), 3 m does not.
            let mailbox = try #require(city.components.first { $0.typeCode == "01042" })
            let q = try #require(city.moved(mailbox.point, trying: [(5, 0), (-5, 0), (0, 5), (0, -5)]))
            let report = try await crew.report(CaseIntake(kind: .component, code: "01042", location: .init(lon: q.x, lat: q.y)))
            #expect(report.component == nil)
            // 06012 has no window in Helsinki's rules: the server's radius applies (36 m > 10 m).
            #expect(crew.server.store.rules.dispatch.duplicates.window(kind: .event, code: "06012") == nil)
            let (p, _) = try crew.ordinaryPoint(2)
            let near = try #require(city.moved(p, trying: [(30, 20), (-30, 20), (30, -20), (-30, -20)]))
            _ = try await crew.report(CaseCrew.event("06012", at: p))
            #expect(try await crew.report(CaseCrew.event("06012", at: near)).duplicates.isEmpty)
        }
    }

    @Test func legacyCodesAreMappedAndUnknownCodesRefused() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            // CJ/T 214 event class 0102 暴露垃圾 is GB/T 47678.5 06010 (gis-data/catalog/legacy-events.csv).
            let legacy = try await crew.report(CaseCrew.event("0102", at: p))
            #expect(legacy.code == "06010" && legacy.typeNameZh == "暴露垃圾" && legacy.ruleId == "E-06010")
            // CJ/T 214 component class 0101 上水井盖 is 01001 供水井盖.
            let cover = try await crew.report(CaseIntake(kind: .component, code: "0101", location: .init(lon: p.x, lat: p.y)))
            #expect(cover.code == "01001" && cover.kind == .component)

            for (kind, code) in [(CaseKind.event, "99999"), (.event, "6010"), (.event, "060100"), (.component, "06010"), (.event, "ab012")] {
                let r = try await crew.server.report(CaseIntake(kind: kind, code: code, location: .init(lon: p.x, lat: p.y)),
                                                     as: crew.inspector)
                #expect(r.status == 400, "\(kind) \(code): \(r)")
                #expect(try r.problem().field == "code", "\(kind) \(code)")
            }
        }
    }

    @Test func locationAndBodyAreValidated() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            // Outside the city: Helsinki west of the demo extent, and Beijing.
            for q in [Point2(24.90, 60.17), Point2(116.4, 39.9)] {
                let r = try await crew.server.report(CaseCrew.event("06010", at: q), as: crew.inspector)
                #expect(r.status == 422, "\(q): \(r)")
                let problem = try r.problem()
                #expect(problem.type == "urn:urbangrid:problem:outside-city" && problem.field == "location")
            }
            let offGlobe = try await crew.server.report(CaseCrew.event("06010", at: Point2(24.94, 95)), as: crew.inspector)
            expectProblem(offGlobe, 400, field: "location")

            let bodies: [(String, String)] = [
                (#"{"kind":"event","location":{"lon":\#(p.x),"lat":\#(p.y)}}"#, "code"),
                (#"{"kind":"incident","code":"06010","location":{"lon":\#(p.x),"lat":\#(p.y)}}"#, "kind"),
                (#"{"kind":"event","code":"06010","location":{"lon":\#(p.x),"lat":\#(p.y),"crs":"mercator"}}"#, "location.crs"),
                (#"{"kind":"event","code":"06010","location":{"lon":"east","lat":\#(p.y)}}"#, "location.lon"),
                (#"{"kind":"event","code":"06010","location":{"lon":\#(p.x),"lat":\#(p.y)},"source":"tv"}"#, "source"),
                (#"{"kind":"event","code":"06010"}"#, "location"),
            ]
            for (body, field) in bodies {
                let r = try await HTTP.post(crew.server.baseURL, "api/v1/cases", body: Data(body.utf8), headers: crew.inspector.headers)
                #expect(r.status == 400, "\(body): \(r)")
                #expect(try r.problem().field == field, "\(body): \(r)")
            }
            let longKey = try await crew.server.report(CaseCrew.event("06010", at: p), as: crew.inspector,
                                                       key: String(repeating: "k", count: 201))
            expectProblem(longKey, 400, field: "Idempotency-Key")

            // GCJ-02 is the identity outside China: the same grid as WGS84.
            let gcj = try await crew.server.report(CaseIntake(kind: .event, code: "06010", location: .init(lon: p.x, lat: p.y, crs: .gcj02)),
                                                   as: crew.operator_)
            #expect(gcj.status == 201)
            #expect(try gcj.json(CaseView.self).grid.code == crew.city.grid(containing: p)?["code"])
        }
    }
}
