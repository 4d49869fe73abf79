import Foundation
import Testing
import UrbanGridCore
import UrbanGridStore

@Suite struct CreateTests {
    /// The oracle first: the independent projection puts testcity's grid corners on the README's
    /// 100 m lattice (NW corner E 441600, N 3445300; corners rounded to 1e-7°, i.e. about 1 cm).
    @Test func fixtureProjectionReproducesTheTestcityLattice() throws {
        let grids = try GeoJSONFile.areas(Fixtures.testcity.appendingPathComponent("grids.geojson"))
        #expect(grids.count == 6)
        var worst = 0.0
        for grid in grids {
            for corner in grid.outerVertices {
                let p = TransverseMercator.epsg4544.project(corner)
                let column = ((p.x - 441_600) / 100).rounded(), row = ((3_445_300 - p.y) / 100).rounded()
                #expect((0...3).contains(column) && (0...2).contains(row), "corner \(corner) → \(p)")
                worst = max(worst, abs(p.x - (441_600 + 100 * column)), abs(p.y - (3_445_300 - 100 * row)))
            }
        }
        #expect(worst < 0.02, "largest corner offset from the lattice: \(worst) m")
    }

    @Test func testcityCountsMatchTheFiles() throws {
        try withStore { store, _ in
            let counts = try store.counts()
            let files: [(table: String, file: String)] = [
                ("district", "district"), ("street", "streets"), ("community", "communities"), ("grid", "grids"),
                ("component", "components"), ("address", "addresses"), ("road", "roads"), ("building", "buildings"),
            ]
            for (table, file) in files {
                let expected = try featureCount(Fixtures.testcity.appendingPathComponent("\(file).geojson"))
                #expect(expected > 0)
                #expect(counts[table] == expected, "\(table)")
            }
            #expect(counts["department"] == (try csvRowCount(Fixtures.testcity.appendingPathComponent("departments.csv"))))
            #expect(counts["department"] == 13)
            #expect(counts["component_type"] == 153)
            #expect(counts["matter_type"] == 250)
            #expect(counts["user"] == 0)
            // Hand facts from gis-data/testcity/README.md.
            #expect(counts["grid"] == 6 && counts["component"] == 10 && counts["community"] == 2)
        }
    }

    @Test func gridAreasAreOneHectareInEPSG4544() throws {
        try withStore(layers: Fixtures.areaLayers) { store, dir in
            let grids = try GeoJSONFile.areas(Fixtures.testcity.appendingPathComponent("grids.geojson"))
            let stored = try GDAL.query(database: store.path, "SELECT code, community_code, area_m2 FROM grid ORDER BY code")
            #expect(stored.map { $0["code"] ?? "" } == grids.compactMap { $0["code"] }.sorted())
            for grid in grids {
                let code = try #require(grid["code"])
                let row = try #require(stored.first { $0["code"] == code })
                let area = try #require(row["area_m2"].flatMap(Double.init))
                // Hand fact: 100 m × 100 m squares.
                #expect(abs(area - 10_000) <= 0.5, "\(code): \(area) m²")
                // Independent computation over the file's own vertices (the store rounds to 0.1 m²).
                let shoelace = TransverseMercator.epsg4544.area(grid.parts[0][0])
                #expect(abs(area - shoelace) <= 0.06, "\(code): stored \(area), shoelace \(shoelace)")
                #expect(row["community_code"] == grid["community_code"])
            }
        }
    }

    @Test func componentCodesMatchPointInPolygon() throws {
        try withStore { store, _ in
            let grids = try GeoJSONFile.areas(Fixtures.testcity.appendingPathComponent("grids.geojson"))
            let communities = try GeoJSONFile.areas(Fixtures.testcity.appendingPathComponent("communities.geojson"))
            let components = try GeoJSONFile.points(Fixtures.testcity.appendingPathComponent("components.geojson"))
            let stored = try GDAL.query(database: store.path,
                                        "SELECT id, type_code, grid_code, community_code, street_code FROM component")
            #expect(stored.count == components.count)
            for (properties, point) in components {
                let id = try #require(properties["id"])
                let row = try #require(stored.first { $0["id"] == id }, "component \(id) not stored")
                let gridHits = areasContaining(point, in: grids)
                try #require(gridHits.count == 1, "\(id) at \(point) lies in \(gridHits.count) grids of the file")
                let grid = gridHits[0]
                // Not so close to an edge that the answer would be a matter of rounding.
                #expect(grid.boundaryDistance(point) > 1e-6)
                #expect(row["grid_code"] == grid["code"], "\(id)")
                let community = areasContaining(point, in: communities)
                #expect(community.count == 1)
                #expect(row["community_code"] == community.first?["code"], "\(id)")
                #expect(row["community_code"] == grid["community_code"], "\(id)")
                #expect(row["street_code"] == community.first?["street_code"], "\(id)")
                #expect(row["type_code"] == properties["type_code"], "\(id)")
            }
        }
    }

    @Test func createRefusesAnExistingFileAndRemovesAFailedOne() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("city.sqlite").path
            _ = try CityStore.create(path: path, cityDirectory: Fixtures.testcity, catalogDirectory: Fixtures.catalog,
                                     layers: Fixtures.areaLayers, logger: quietLogger)
            #expect(throws: StoreError.self) {
                _ = try CityStore.create(path: path, cityDirectory: Fixtures.testcity, catalogDirectory: Fixtures.catalog,
                                         logger: quietLogger)
            }
            // A city folder without grids.geojson fails at the grid layer; nothing is left behind.
            let partial = dir.appendingPathComponent("partial")
            try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
            for name in ["city.json", "departments.csv", "district.geojson", "streets.geojson", "communities.geojson",
                         "roads.geojson", "buildings.geojson"] {
                try FileManager.default.copyItem(at: Fixtures.testcity.appendingPathComponent(name),
                                                 to: partial.appendingPathComponent(name))
            }
            let second = dir.appendingPathComponent("second.sqlite").path
            #expect(throws: (any Error).self) {
                _ = try CityStore.create(path: second, cityDirectory: partial, catalogDirectory: Fixtures.catalog,
                                         logger: quietLogger)
            }
            #expect(!FileManager.default.fileExists(atPath: second))
            // Reopening the first database sees the same profile.
            let reopened = try CityStore.open(path: path)
            #expect(reopened.profile.regionCode == "990201")
            #expect(reopened.profile.metricSrid == 4544)
            #expect(try reopened.counts()["grid"] == 6)
        }
    }

    @Test func createRefusesDispatchRulesWithProblemsNamingThem() throws {
        try withTemporaryDirectory { dir in
            let city = dir.appendingPathComponent("city")
            try FileManager.default.copyItem(at: Fixtures.testcity, to: city)
            let file = city.appendingPathComponent("dispatch-rules.json")
            var rules = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            rules["duplicates"] = ["events": ["06010": ["radius_m": 5_000, "window_hours": 24]]]
            try JSONSerialization.data(withJSONObject: rules).write(to: file)
            let path = dir.appendingPathComponent("city.sqlite").path
            do {
                _ = try CityStore.create(path: path, cityDirectory: city, catalogDirectory: Fixtures.catalog, logger: quietLogger)
                Issue.record("created with a 5 km duplicate radius")
            } catch let error as StoreError {
                #expect(error.description == "dispatch-rules.json: duplicates.events.06010: radius_m must be in (0, 1000]")
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}
