import Foundation
import GRDB
import Testing
import UrbanGridCore
@testable import UrbanGridStore

/// The duplicate search at intake (through the index of open cases by metric cell) finds what a
/// scan of every case finds: open, same kind and code, recent and within the radius, or on the
/// same component; nearest first, those on the component before all.
@Suite struct DuplicateSearchTests {
    struct Stored { var id: Int64, number: String, status: String, kind: String, code: String, created: String
                    var component: String?, mx: Double, my: Double }

    @Test func indexedSearchEqualsAScanOfEveryCase() async throws {
        try await withStore { store, _ in
            let crew = try CaseCrew(store)
            var rng = SplitMix64(seed: 11)
            let e = store.profile.extent
            func randomPoint() -> (Double, Double) {
                (e[0] + Double.random(in: 0...1, using: &rng) * (e[2] - e[0]), e[1] + Double.random(in: 0...1, using: &rng) * (e[3] - e[1]))
            }
            var made = 0
            for n in 0..<300 {
                let (lon, lat) = randomPoint()
                let intake = CaseIntake(kind: .event, code: n % 3 == 0 ? "06012" : "06010", location: .init(lon: lon, lat: lat))
                if (try? await store.createCase(NewCase(intake: intake, lon: lon, lat: lat, reporter: crew.inspector, idempotencyKey: nil))) != nil {
                    made += 1
                }
            }
            #expect(made > 150, "most random points lie in a grid (\(made))")
            // Some cases closed, voided or refused, some old, some on a component, behind the workflow's back.
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE case_record SET status = 'closed' WHERE id % 7 = 0")
                try db.execute(sql: "UPDATE case_record SET status = 'voided' WHERE id % 11 = 0")
                try db.execute(sql: "UPDATE case_record SET status = 'refused' WHERE id % 13 = 0")
                try db.execute(sql: "UPDATE case_record SET created_at = '2020-01-01T00:00:00.000Z' WHERE id % 5 = 0")
                try db.execute(sql: "UPDATE case_record SET component_id = 'C-1' WHERE id % 9 = 0")
            }
            let all = try await store.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT id, number, status, kind, type_code, created_at, component_id, mx, my FROM case_record").map {
                    Stored(id: $0[0], number: $0[1], status: $0[2], kind: $0[3], code: $0[4], created: $0[5], component: $0[6], mx: $0[7], my: $0[8])
                }
            }
            let since = Timestamps.format(Date().addingTimeInterval(-7 * 86_400))
            var nonEmpty = 0, full = 0
            for q in 0..<200 {
                let (lon, lat) = randomPoint()
                let m = try #require(try store.toMetric.with { $0.forward(lon, lat) })
                let component: String? = q % 4 == 0 ? "C-1" : nil
                let code = q % 2 == 0 ? "06010" : "06012", radius = [20.0, 50, 150][q % 3]
                let got = try await store.pool.read { db in
                    try CaseLocator.duplicates(db, kind: .event, code: code, componentID: component, point: (lon, lat, m.x, m.y),
                                               radius: radius, since: since)
                }
                let want = all.compactMap { c -> (Int, Double, Int64)? in
                    guard !["closed", "voided", "refused"].contains(c.status) else { return nil }
                    let d = ((c.mx - m.x) * (c.mx - m.x) + (c.my - m.y) * (c.my - m.y)).squareRoot()
                    let same = component != nil && c.component == component
                    guard same || (c.kind == "event" && c.code == code && c.created >= since && d <= radius) else { return nil }
                    return (same ? 0 : 1, d, c.id)
                }.sorted { $0 < $1 }.prefix(10)
                #expect(got.map(\.caseId) == want.map(\.2), "query \(q) at (\(lon), \(lat)), r \(radius), component \(component ?? "-")")
                #expect(got.map(\.sameComponent) == want.map { $0.0 == 0 })
                if !got.isEmpty { nonEmpty += 1 }
                if got.count == 10 { full += 1 }
            }
            #expect(nonEmpty > 50 && full > 5, "the queries met cases (\(nonEmpty) found some, \(full) a full ten)")
        }
    }
}

/// The case R*Tree, kept by UrbanGrid's own triggers (migration v11), agrees with the cases as
/// SpatiaLite's own check sees it, through reports, actions and a moved case.
@Suite struct CaseSpatialIndexTests {
    @Test func spatiaLiteFindsTheCaseIndexConsistent() async throws {
        try await withStore { store, _ in
            let ids = try await CaseCrew(store).reports(12)   // reports, half of them accepted (updates)
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE case_record SET geom = MakePoint(104.3885, 31.1275, 4490) WHERE id = ?", arguments: [ids[3]])
            }
            try await store.pool.read { db in
                #expect(try Int.fetchOne(db, sql: "SELECT CheckSpatialIndex('case_record', 'geom')") == 1)
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM idx_case_record_geom") == ids.count)
                // Every box is its case's point, to the R*Tree's 32-bit precision.
                #expect(try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM case_record c JOIN idx_case_record_geom i ON i.pkid = c.id
                    WHERE abs(i.xmin - ST_X(c.geom)) < 3e-5 AND abs(i.xmax - ST_X(c.geom)) < 3e-5
                      AND abs(i.ymin - ST_Y(c.geom)) < 3e-5 AND abs(i.ymax - ST_Y(c.geom)) < 3e-5
                    """) == ids.count)
                let moved = try #require(try Row.fetchOne(db, sql: "SELECT xmin, ymin FROM idx_case_record_geom WHERE pkid = ?", arguments: [ids[3]]))
                #expect(abs((moved[0] as Double) - 104.3885) < 1e-4 && abs((moved[1] as Double) - 31.1275) < 1e-4)
                let stamps = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tm__case_record_geom'")
                #expect(stamps == 0)
            }
            // The geometry check (migration v13, type and SRID in the trigger) still refuses a
            // point in another CRS or a line, on insert and on update, and takes a good point.
            try await store.pool.write { db in
                let srid = store.profile.storageSrid
                for bad in ["MakePoint(104.3885, 31.1275, 4326)", "MakeLine(MakePoint(104.388, 31.127, \(srid)), MakePoint(104.389, 31.128, \(srid)))"] {
                    #expect(throws: DatabaseError.self) {
                        try db.inSavepoint {
                            try db.execute(sql: "UPDATE case_record SET geom = \(bad) WHERE id = ?", arguments: [ids[4]])
                            return .commit
                        }
                    }
                }
                try db.execute(sql: "UPDATE case_record SET geom = MakePoint(104.3886, 31.1276, \(srid)) WHERE id = ?", arguments: [ids[4]])
            }
        }
    }
}

/// Each type's radius and window from the city's rules (Helsinki's `dispatch-rules.json`):
/// 09009 illegal parking 20 m and 4 h, 06010 garbage 50 m and 48 h, class 07 (ads) 100 m and 168 h.
@Suite struct DuplicateWindowTests {
    @Test func eachTypeLooksAsFarAndAsLongAgoAsItsRuleSays() async throws {
        try await withStore(Fixtures.helsinki) { store, _ in
            let crew = try CaseCrew(store)
            let rules = store.rules.dispatch.duplicates
            #expect(rules.window(kind: .event, code: "09009") == .init(radiusM: 20, windowHours: 4))
            #expect(rules.window(kind: .event, code: "07003") == .init(radiusM: 100, windowHours: 168))
            let t0 = Date(timeIntervalSince1970: 1_790_000_000)
            let origin = (lon: 24.9453, lat: 60.1699)
            // Metres east of the origin (1° of longitude is ~55.5 km at 60.17° N).
            func east(_ m: Double) -> (Double, Double) { (origin.lon + m / (111_320 * cos(60.1699 * .pi / 180)), origin.lat) }
            /// A report `eastM` metres east of the origin: its case id and the duplicates suggested.
            func report(_ code: String, eastM: Double, at time: Date) async throws -> (id: Int64, duplicates: [Int64]) {
                let (lon, lat) = east(eastM)
                let intake = CaseIntake(kind: .event, code: code, location: .init(lon: lon, lat: lat))
                let made = try await store.createCase(NewCase(intake: intake, lon: lon, lat: lat, reporter: crew.inspector,
                                                              idempotencyKey: nil), now: time)
                return (made.id, try #require(made.view).duplicates.map(\.caseId))
            }
            let parked = try await report("09009", eastM: 0, at: t0).id
            #expect(try await report("09009", eastM: 15, at: t0.addingTimeInterval(3600)).duplicates == [parked])   // 15 m, 1 h later
            #expect(!(try await report("09009", eastM: 30, at: t0.addingTimeInterval(3600)).duplicates.contains(parked)))   // 30 m: beyond 20
            #expect(!(try await report("09009", eastM: 5, at: t0.addingTimeInterval(5 * 3600)).duplicates.contains(parked)))   // 5 h: beyond 4

            let garbage = try await report("06010", eastM: 0, at: t0)
            #expect(garbage.duplicates.isEmpty)
            let pile = try await report("06010", eastM: 40, at: t0.addingTimeInterval(30 * 3600))   // 40 m, 30 h later
            #expect(pile.duplicates == [garbage.id])
            // 60 h after the first pile only the 30-h one is within 48 h.
            #expect(try await report("06010", eastM: 0, at: t0.addingTimeInterval(60 * 3600)).duplicates == [pile.id])

            let poster = try await report("07001", eastM: 0, at: t0).id
            #expect(try await report("07003", eastM: 80, at: t0.addingTimeInterval(100 * 3600)).duplicates.isEmpty, "another code of the class")
            #expect(try await report("07001", eastM: 80, at: t0.addingTimeInterval(100 * 3600)).duplicates == [poster])   // 80 m, 100 h: class 07
        }
    }
}
