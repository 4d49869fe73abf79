import Foundation
import GRDB
import Testing
import UrbanGridCore
@testable import UrbanGridStore

/// Points well inside testcity's six grids (3 columns × 2 rows, about 100 m each), read off
/// gis-data/testcity/grids.geojson; which grid holds each is decided by ray casting in the tests.
private enum Spot {
    static let northWest = (104.38822, 31.12731), northMiddle = (104.38927, 31.12731), northEast = (104.39032, 31.12731)
    static let southWest = (104.38822, 31.12641), southMiddle = (104.38927, 31.12641), southEast = (104.39032, 31.12641)
    /// 400 m east of the city.
    static let outside = (104.3950, 31.1268)
}

private func point(_ p: (Double, Double)) -> FixtureGeometry { .point(p.0, p.1) }

/// A component with the attributes every good one needs; `extra` adds or overrides.
private func component(_ id: String, at p: (Double, Double), _ extra: [String: String] = [:]) -> FixtureFeature {
    var properties = ["id": id, "competent_dept": "SW", "initial_date": "2024-05-01"]
    properties.merge(extra) { $1 }
    return FixtureFeature(properties: properties, geometry: point(p))
}

/// What a rejection must say: the field, and a fragment of the reason.
private struct Expected: Sendable { var field: String; var reason: String }

private func square(_ lon: Double, _ lat: Double, _ side: Double) -> FixtureGeometry {
    .polygon([[Point2(lon, lat), Point2(lon + side, lat), Point2(lon + side, lat + side), Point2(lon, lat + side), Point2(lon, lat)]])
}

/// Imports and expects an all-or-nothing rejection; returns the rejections.
private func expectRejected(_ store: CityStore, _ layer: LayerKind, _ file: URL, options: ImportOptions = ImportOptions(),
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> [ImportRejection] {
    let before = try store.counts()
    do {
        let report = try store.importLayer(layer, from: file, options: options)
        Issue.record("\(file.lastPathComponent) was imported (\(report.imported) features) but should be rejected",
                     sourceLocation: sourceLocation)
        return []
    } catch let failure as ImportFailure {
        #expect(failure.layer == layer, sourceLocation: sourceLocation)
        #expect(try store.counts() == before, "an import that failed changed the database", sourceLocation: sourceLocation)
        return failure.rejections
    }
}

/// Checks rejections against the expectations by 0-based feature index: exactly these, nothing more.
private func check(_ rejections: [ImportRejection], _ expected: [Int: Expected],
                   sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(rejections.map(\.index) == expected.keys.sorted(), "\(rejections)", sourceLocation: sourceLocation)
    for r in rejections {
        guard let e = expected[r.index] else { continue }
        #expect(r.field == e.field, "feature \(r.index): \(r)", sourceLocation: sourceLocation)
        #expect(r.reason.localizedCaseInsensitiveContains(e.reason), "feature \(r.index): \(r)", sourceLocation: sourceLocation)
    }
}

@Suite struct ImportTests {
    static let grids = Fixtures.testcity.appendingPathComponent("grids.geojson")
    static let communities = Fixtures.testcity.appendingPathComponent("communities.geojson")

    /// The grid and community ray casting finds for a spot.
    private func expectedAreas(_ p: (Double, Double)) throws -> (grid: String, community: String, street: String) {
        let grid = try #require(areasContaining(Point2(p.0, p.1), in: GeoJSONFile.areas(Self.grids)).first)
        let community = try #require(areasContaining(Point2(p.0, p.1), in: GeoJSONFile.areas(Self.communities)).first)
        return (try #require(grid["code"]), try #require(community["code"]), try #require(community["street_code"]))
    }

    @Test(arguments: FixtureFormat.allCases)
    func goodComponentsAreAddedWithTheirAttributes(format: FixtureFormat) throws {
        try withStore { store, dir in
            let features = [
                component("99020101001000101", at: Spot.northWest, [
                    "type_code": "01001", "name": "测试井盖 甲", "owner_dept": "SW", "maintainer_dept": "SW",
                    "status": "完好", "data_source": "普查", "note": "fixture"]),
                // Department by Chinese name; the standard's compact date.
                component("99020104002000102", at: Spot.southEast, [
                    "type_code": "04002", "competent_dept": "园林绿化局", "status": "破损", "initial_date": "20240502"]),
                // No type_code and no name: both follow from the id.
                component("99020101037000103", at: Spot.southMiddle, ["competent_dept": "CGZF", "owner_dept": "LD"]),
            ]
            let file = try FixtureFiles.write(features, name: "good_components", format: format, in: dir)
            let before = try store.counts()
            let report = try store.importLayer(.component, from: file, options: ImportOptions())
            #expect(report.imported == 3)
            var after = try store.counts()
            #expect(after["component"] == (before["component"] ?? 0) + 3)
            after["component"] = before["component"]
            #expect(after == before, "only the component table may change")

            let rows = try GDAL.query(database: store.path, """
                SELECT id, type_code, name, competent_dept, owner_dept, maintainer_dept, status, initial_date,
                       data_source, note, grid_code, community_code, street_code
                FROM component WHERE id IN ('99020101001000101', '99020104002000102', '99020101037000103') ORDER BY id
                """)
            #expect(rows.map { $0["id"] } == ["99020101001000101", "99020101037000103", "99020104002000102"])
            let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] ?? "", $0) })
            let a = byID["99020101001000101"], b = byID["99020104002000102"], c = byID["99020101037000103"]
            #expect(a?["type_code"] == "01001" && a?["name"] == "测试井盖 甲" && a?["status"] == "完好")
            #expect(a?["owner_dept"] == "SW" && a?["maintainer_dept"] == "SW")
            #expect(a?["data_source"] == "普查" && a?["note"] == "fixture" && a?["initial_date"] == "2024-05-01")
            #expect(b?["type_code"] == "04002" && b?["competent_dept"] == "YL" && b?["status"] == "破损")
            #expect(b?["initial_date"] == "2024-05-02")
            #expect(c?["type_code"] == "01037" && c?["name"] == "路灯 000103" && c?["status"] == "完好")
            #expect(c?["owner_dept"] == "LD" && c?["maintainer_dept"] == nil)
            for (row, spot) in [(a, Spot.northWest), (b, Spot.southEast), (c, Spot.southMiddle)] {
                let areas = try expectedAreas(spot)
                #expect(row?["grid_code"] == areas.grid)
                #expect(row?["community_code"] == areas.community)
                #expect(row?["street_code"] == areas.street)
            }
        }
    }

    @Test(arguments: FixtureFormat.allCases)
    func legacyCJT214IDsAreMapped(format: FixtureFormat) throws {
        try withStore { store, dir in
            let features = [
                // 990201 + 0101 (上水井盖 → 01001) + 000077, with the legacy class as type_code.
                component("9902010101000077", at: Spot.southWest, ["type_code": "0101"]),
                // 990201 + 0118 (路灯 → 01037) + 000005, no type_code.
                component("9902010118000005", at: Spot.northEast, ["competent_dept": "CGZF"]),
            ]
            let file = try FixtureFiles.write(features, name: "legacy", format: format, in: dir)
            let before = try store.counts()["component"] ?? 0
            #expect(try store.importLayer(.component, from: file, options: ImportOptions()).imported == 2)
            #expect(try store.counts()["component"] == before + 2)
            let rows = try GDAL.query(database: store.path, """
                SELECT id, type_code, name, grid_code FROM component
                WHERE id IN ('99020101001000077', '99020101037000005') ORDER BY id
                """)
            #expect(rows.map { $0["id"] } == ["99020101001000077", "99020101037000005"])
            #expect(rows.map { $0["type_code"] } == ["01001", "01037"])
            #expect(rows.map { $0["name"] } == ["供水井盖 000077", "路灯 000005"])
            #expect(rows.map { $0["grid_code"] } == [try expectedAreas(Spot.southWest).grid, try expectedAreas(Spot.northEast).grid])
            // Locate sees the mapped id at the point, 0 m away.
            let hit = try #require(try store.locate(lon: Spot.southWest.0, lat: Spot.southWest.1, radiusM: 1, typeCode: nil, limit: 5))
            #expect(hit.components.map(\.id) == ["99020101001000077"])
            #expect(hit.components.first?.typeCode == "01001" && hit.components.first?.distanceM == 0)
        }
    }

    @Test func legacyIDsWithoutAnEquivalentOrWithAContradictingTypeAreRejected() throws {
        try withStore { store, dir in
            let features = [
                component("9902010101000078", at: Spot.southWest),                        // fine on its own
                component("9902010502000001", at: Spot.southWest),                        // 0502 人防工事: no new type
                component("9902010101000079", at: Spot.southWest, ["type_code": "0102"]), // 0102 → 01002 ≠ 01001
                component("9902010001000001", at: Spot.southWest),                        // legacy major 00
            ]
            let file = try FixtureFiles.write(features, name: "legacy_bad", format: .geoJSON, in: dir)
            check(try expectRejected(store, .component, file), [
                1: Expected(field: "id", reason: "no GB/T 47678.5 equivalent"),
                2: Expected(field: "type_code", reason: "0102"),
                3: Expected(field: "id", reason: "major"),
            ])
        }
    }

    @Test(arguments: FixtureFormat.allCases)
    func badComponentFileIsRejectedAsAWhole(format: FixtureFormat) throws {
        try withStore { store, dir in
            let features = [
                component("99020101001000201", at: Spot.northWest),                       // 0 good
                component("99020101000000202", at: Spot.northWest),                       // 1 minor segment 000
                component("99020101001000203", at: Spot.northWest, ["competent_dept": "XX"]), // 2 unknown department
                component("99020101001000204", at: Spot.outside),                         // 3 outside the extent
                component("99020101001000201", at: Spot.northMiddle),                     // 4 duplicate of feature 0
                component("99020101001000001", at: Spot.northMiddle),                     // 5 duplicate of a stored one
                FixtureFeature(properties: ["id": "99020101001000206", "competent_dept": "SW"],
                               geometry: point(Spot.southWest)),                          // 6 no initial_date
            ]
            let file = try FixtureFiles.write(features, name: "bad_components", format: format, in: dir)
            check(try expectRejected(store, .component, file), [
                1: Expected(field: "id", reason: "minor"),
                2: Expected(field: "competent_dept", reason: "unknown department XX"),
                3: Expected(field: "geometry", reason: "outside the city extent"),
                4: Expected(field: "id", reason: "duplicate id 99020101001000201"),
                5: Expected(field: "id", reason: "duplicate id 99020101001000001"),
                6: Expected(field: "initial_date", reason: "missing"),
            ])
            // Not even the good feature went in.
            #expect(try GDAL.query(database: store.path, "SELECT id FROM component WHERE id = '99020101001000201'").isEmpty)
        }
    }

    @Test(arguments: FixtureFormat.allCases)
    func badGridFileIsRejectedAsAWhole(format: FixtureFormat) throws {
        try withStore(layers: Fixtures.areaLayers) { store, dir in
            let cases: [(FixtureFeature, Expected?)] = [
                (FixtureFeature(properties: ["code": "990201001001004"], geometry: square(104.3880, 31.1270, 0.0002)), nil),
                // A bow-tie: the ring crosses itself at (104.3885, 31.1271).
                (FixtureFeature(properties: ["code": "990201001001005"], geometry: .polygon([[
                    Point2(104.3880, 31.1270), Point2(104.3890, 31.1272), Point2(104.3890, 31.1270),
                    Point2(104.3880, 31.1272), Point2(104.3880, 31.1270)]])),
                 Expected(field: "geometry", reason: "self-intersection")),
                // A line where a polygon belongs (a Shapefile cannot mix the two: tested on its own below).
                (FixtureFeature(properties: ["code": "990201001001006"],
                                geometry: .lineString([Point2(104.3880, 31.1270), Point2(104.3890, 31.1272)])),
                 Expected(field: "geometry", reason: "LINESTRING where Polygon is expected")),
                (FixtureFeature(properties: ["code": "990201001001000"], geometry: square(104.3880, 31.1262, 0.0002)),
                 Expected(field: "code", reason: "sequence")),
                (FixtureFeature(properties: ["code": "990201001003001"], geometry: square(104.3880, 31.1262, 0.0002)),
                 Expected(field: "community_code", reason: "unknown community 990201001003")),
                (FixtureFeature(properties: ["code": "990201001001007"], geometry: square(104.3950, 31.1262, 0.0002)),
                 Expected(field: "geometry", reason: "outside the city extent")),
                (FixtureFeature(properties: ["code": "990201001001001"], geometry: square(104.3880, 31.1270, 0.0002)),
                 Expected(field: "code", reason: "duplicate code 990201001001001")),
            ]
            let kept = format == .shapefile ? cases.filter { if case .lineString = $0.0.geometry { false } else { true } } : cases
            var expected: [Int: Expected] = [:]
            for (i, c) in kept.enumerated() { if let e = c.1 { expected[i] = e } }
            let file = try FixtureFiles.write(kept.map(\.0), name: "bad_grids", format: format, in: dir)
            check(try expectRejected(store, .grid, file), expected)

            if format == .shapefile {
                let lines = [FixtureFeature(properties: ["code": "990201001001008"],
                                            geometry: .lineString([Point2(104.3880, 31.1270), Point2(104.3890, 31.1272)]))]
                let lineFile = try FixtureFiles.write(lines, name: "line_grids", format: .shapefile, in: dir)
                check(try expectRejected(store, .grid, lineFile), [0: Expected(field: "geometry", reason: "LINESTRING where Polygon is expected")])
            }
            // The good grid alone goes in.
            let good = try FixtureFiles.write([cases[0].0], name: "good_grid", format: format, in: dir)
            #expect(try store.importLayer(.grid, from: good, options: ImportOptions()).imported == 1)
            #expect(try store.counts()["grid"] == 7)
        }
    }

    @Test(arguments: FixtureFormat.allCases)
    func mappingNamesTheSourceFields(format: FixtureFormat) throws {
        try withStore { store, dir in
            // A city's own attribute names (≤ 10 characters, so the Shapefile keeps them).
            let features = [
                FixtureFeature(properties: ["OBJ_ID": "99020103005000301", "ZG": "HW", "SETUP": "2023-12-31", "STATE": "丢失"],
                               geometry: point(Spot.northMiddle)),
                FixtureFeature(properties: ["OBJ_ID": "99020103005000302", "ZG": "HW", "SETUP": "2023-12-30"],
                               geometry: point(Spot.southMiddle)),
            ]
            let file = try FixtureFiles.write(features, name: "mapped", format: format, in: dir)
            // Without a mapping nothing matches: every feature lacks an id.
            check(try expectRejected(store, .component, file), [
                0: Expected(field: "id", reason: "missing"), 1: Expected(field: "id", reason: "missing"),
            ])
            let mapping = ["id": "OBJ_ID", "competent_dept": "ZG", "initial_date": "SETUP", "status": "STATE"]
            let before = try store.counts()["component"] ?? 0
            #expect(try store.importLayer(.component, from: file, options: ImportOptions(mapping: mapping)).imported == 2)
            #expect(try store.counts()["component"] == before + 2)
            let rows = try GDAL.query(database: store.path, """
                SELECT id, competent_dept, initial_date, status, type_code FROM component
                WHERE id IN ('99020103005000301', '99020103005000302') ORDER BY id
                """)
            #expect(rows.map { $0["id"] } == ["99020103005000301", "99020103005000302"])
            #expect(rows.map { $0["competent_dept"] } == ["HW", "HW"])
            #expect(rows.map { $0["initial_date"] } == ["2023-12-31", "2023-12-30"])
            #expect(rows.map { $0["status"] } == ["丢失", "完好"])
            #expect(rows.map { $0["type_code"] } == ["03005", "03005"])
        }
    }

    @Test func standardExchangeNamesAreRecognised() throws {
        try withStore { store, dir in
            // GB/T 47678.5 表2 abbreviations instead of our names.
            let features = [FixtureFeature(properties: ["GLBJBSM": "99020101003000401", "ZGBMDM": "SW", "CSRQ": "20220101",
                                                        "GLBJZT": "废弃", "GLBJMC": "雨水井盖 北"],
                                           geometry: point(Spot.northEast))]
            let file = try FixtureFiles.write(features, name: "gb_names", format: .geoJSON, in: dir)
            #expect(try store.importLayer(.component, from: file, options: ImportOptions()).imported == 1)
            let rows = try GDAL.query(database: store.path,
                                      "SELECT id, status, name, initial_date FROM component WHERE id = '99020101003000401'")
            #expect(rows.first?["status"] == "废弃" && rows.first?["name"] == "雨水井盖 北")
            #expect(rows.first?["initial_date"] == "2022-01-01")
        }
    }

    /// GIS tools write integer id columns (Integer64) as JSON numbers; a 17-digit id must keep every digit.
    @Test func numericIDsInGeoJSONKeepEveryDigit() throws {
        try withStore { store, dir in
            let file = dir.appendingPathComponent("numeric_ids.geojson")
            try FixtureFiles.writeGeoJSON(raw: [
                ["type": "Feature", "properties": ["id": NSNumber(value: Int64(99020101001000501)), "competent_dept": "SW",
                                                   "initial_date": "2024-01-01"],
                 "geometry": ["type": "Point", "coordinates": [Spot.northWest.0, Spot.northWest.1]]],
                ["type": "Feature", "properties": ["id": NSNumber(value: Int64(9902010101000502)), "competent_dept": "SW",
                                                   "initial_date": "2024-01-01"],
                 "geometry": ["type": "Point", "coordinates": [Spot.southWest.0, Spot.southWest.1]]],
            ], to: file)
            #expect(String(decoding: try Data(contentsOf: file), as: UTF8.self).contains("99020101001000501"))
            let report = try store.importLayer(.component, from: file, options: ImportOptions())
            #expect(report.imported == 2)
            let rows = try GDAL.query(database: store.path,
                                      "SELECT id FROM component WHERE id IN ('99020101001000501', '99020101001000502') ORDER BY id")
            #expect(rows.map { $0["id"] } == ["99020101001000501", "99020101001000502"])
        }
    }

    /// Above the bulk threshold SpatiaLite's per-row triggers are replaced by set-based work: the
    /// R*Tree must hold every new row, the triggers must be back, and spatial queries must work.
    @Test func bulkImportFillsTheSpatialIndexAndRestoresTheTriggers() throws {
        try withStore { store, dir in
            let n = 6_000
            let spots = [Spot.northWest, Spot.northMiddle, Spot.northEast, Spot.southWest, Spot.southMiddle, Spot.southEast]
            let features = (0..<n).map { i in
                let s = spots[i % spots.count]
                return component(String(format: "990201010010%05d", 10_000 + i),
                                 at: (s.0 + Double(i / spots.count) * 1e-8, s.1))
            }
            let file = try FixtureFiles.write(features, name: "bulk", format: .geoJSON, in: dir)
            let before = try store.counts()["component"] ?? 0
            #expect(try store.importLayer(.component, from: file, options: ImportOptions()).imported == n)
            let rows = try GDAL.query(database: store.path, """
                SELECT (SELECT count(*) FROM component) AS c, (SELECT count(*) FROM idx_component_geom) AS r,
                       (SELECT count(*) FROM sqlite_master WHERE type = 'trigger'
                          AND name IN ('ggi_component_geom', 'tmi_component_geom', 'gii_component_geom')) AS t
                """)
            #expect(rows.first?["c"] == String(before + n) && rows.first?["r"] == String(before + n))
            #expect(rows.first?["t"] == "3")
            let near = try #require(try store.locate(lon: Spot.southEast.0, lat: Spot.southEast.1, radiusM: 1, typeCode: "01001", limit: 100))
            #expect(near.components.count == 100, "the R*Tree finds the new components (limit 100 of \(n / spots.count))")
            try expectIntactAfterBulkWork(store)

            // Fewer new rows than there are: the R*Tree and indexes are added to, not rebuilt.
            let more = (0..<SpatialIndexMaintenance.bulkThreshold).map { i in
                component(String(format: "990201010010%05d", 40_000 + i), at: (Spot.northWest.0 + Double(i) * 1e-8, Spot.northWest.1))
            }
            let second = try FixtureFiles.write(more, name: "bulk-more", format: .geoJSON, in: dir)
            #expect(try store.importLayer(.component, from: second, options: ImportOptions()).imported == more.count)
            #expect(try store.counts()["component"] == before + n + more.count)
            try expectIntactAfterBulkWork(store)
        }
    }

    /// After a bulk import: SQLite's and SpatiaLite's checks of the R*Tree pass, the plain indexes
    /// are back, and the writer checks foreign keys again.
    private func expectIntactAfterBulkWork(_ store: CityStore) throws {
        try store.pool.write { db in
            #expect(try String.fetchOne(db, sql: "SELECT rtreecheck('idx_component_geom')") == "ok")
            #expect(try Int.fetchOne(db, sql: "SELECT CheckSpatialIndex('component', 'geom')") == 1)
            let indexed = try Int.fetchOne(db, sql: "SELECT count(*) FROM idx_component_geom")
            #expect(try indexed == Int.fetchOne(db, sql: "SELECT count(*) FROM component"))
            let indexes = try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'component' AND sql IS NOT NULL")
            #expect(indexes == ["component_type_code", "component_grid"])
            #expect(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") == true)
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            // The status CHECK (rewritten by migration v12) still holds.
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE component SET status = '好' WHERE fid = (SELECT min(fid) FROM component)") }
        }
    }

    /// A bulk import checks attributes on another thread ahead of the inserts: its rejections are
    /// the ones a small import of the same features gives, in every chunk, and nothing is stored.
    @Test func bulkImportRejectsExactlyWhatASmallImportRejects() throws {
        try withStore { store, dir in
            let n = 20_000   // three chunks of checks
            let spots = [Spot.northWest, Spot.northMiddle, Spot.southEast]
            var features = (0..<n).map { i in
                let s = spots[i % spots.count]
                return component(String(format: "99020101001%06d", 100_000 + i), at: (s.0 + Double(i / spots.count) * 1e-8, s.1))
            }
            let defects: [Int: [String: String]] = [3: ["competent_dept": "NOPE"], 8_191: ["initial_date": "2024-13-01"],
                                                    8_192: ["status": "坏"], 19_999: ["id": "9902010100112345X"]]
            for (i, extra) in defects { features[i].properties.merge(extra) { $1 } }
            features[12_345].properties["id"] = features[12_344].properties["id"]   // a duplicate id
            let file = try FixtureFiles.write(features, name: "bulk-bad", format: .geoJSON, in: dir)
            let before = try store.counts()["component"] ?? 0
            let got = try expectRejected(store, .component, file)
            #expect(try store.counts()["component"] ?? 0 == before, "all or nothing")
            // The same features, imported a few at a time (below the bulk threshold), say the same.
            var want: [Int: ImportRejection] = [:]   // by index: neighbouring pairs overlap
            for i in defects.keys.sorted() + [12_345] {
                let small = try FixtureFiles.write([features[i - 1], features[i]], name: "small-\(i)", format: .geoJSON, in: dir)
                for var r in try expectRejected(store, .component, small) {
                    r.index += i - 1   // the pair's positions in the bulk file
                    want[r.index] = r
                }
            }
            #expect(got == want.values.sorted { $0.index < $1.index })
            #expect(got.map(\.index) == [3, 8_191, 8_192, 12_345, 19_999])
        }
    }
}
