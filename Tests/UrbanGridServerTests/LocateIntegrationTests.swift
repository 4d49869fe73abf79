import Foundation
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

/// The Helsinki database, created once, served while the suite runs, and its grids from the file.
struct HelsinkiFixture: Sendable {
    @TaskLocal static var current: HelsinkiFixture?
    let server: TestServer
    let grids: [AreaFeature]
    let extent: [Double]
}

struct HelsinkiServerTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        let grids = try GeoJSONFile.areas(Fixtures.helsinki.appendingPathComponent("grids.geojson"))
        let extent = try Fixtures.extent(Fixtures.helsinki)
        try await withServer(city: Fixtures.helsinki) { server in
            try await HelsinkiFixture.$current.withValue(HelsinkiFixture(server: server, grids: grids, extent: extent)) {
                try await function()
            }
        }
    }
}

extension Trait where Self == HelsinkiServerTrait {
    /// One Helsinki database and server for the whole suite.
    static var helsinkiServer: Self { Self() }
}

/// Points no closer than this (degrees, ~1 cm) to a grid edge: there rounding, not the code, decides.
private let boundaryMargin = 1e-7

private func locate(_ base: URL, _ p: Point2, crs: String? = nil) async throws -> HTTPResult {
    var query = [("lon", "\(p.x)"), ("lat", "\(p.y)")]
    if let crs { query.append(("crs", crs)) }
    return try await HTTP.get(base, "api/v1/locate", query: query)
}

extension HelsinkiFixture {
    /// The grids whose interior holds `p` by ray casting, or nil when `p` is too near an edge to tell.
    func containingGrids(_ p: Point2) -> [AreaFeature]? {
        let near = grids.filter { $0.boxContains(p, margin: boundaryMargin) }
        if near.contains(where: { $0.boundaryDistance(p) < boundaryMargin }) { return nil }
        return near.filter { $0.contains(p) }
    }

    /// `count` seeded random points in the city's extent that are clear of grid edges, with their grid.
    func randomPoints(_ count: Int, seed: UInt64) -> (points: [(Point2, AreaFeature?)], skipped: Int) {
        var rng = SplitMix64(seed: seed)
        var out: [(Point2, AreaFeature?)] = [], skipped = 0
        while out.count < count {
            let p = Point2(Double.random(in: extent[0]...extent[2], using: &rng), Double.random(in: extent[1]...extent[3], using: &rng))
            guard let hits = containingGrids(p) else { skipped += 1; continue }
            #expect(hits.count <= 1, "grids overlap at \(p): \(hits.compactMap { $0["code"] })")
            out.append((p, hits.first))
        }
        return (out, skipped)
    }
}

@Suite(.helsinkiServer) struct LocateIntegrationTests {
    @Test func randomPointsLocateToTheGridThatContainsThem() async throws {
        let fixture = try #require(HelsinkiFixture.current)
        #expect(fixture.grids.count == 178)
        let (points, skipped) = fixture.randomPoints(300, seed: 0x5EED_2026)
        #expect(skipped < 10, "\(skipped) points fell on grid edges")
        var located = 0
        for (p, grid) in points {
            let response = try await locate(fixture.server.baseURL, p)
            guard let grid else {
                // Grids tile the extent, but a point in no grid must be answered 422 all the same.
                #expect(response.status == 422, "\(p): \(response)")
                continue
            }
            try #require(response.status == 200, "\(p): \(response)")
            let result = try response.decode(LocateResult.self)
            #expect(result.grid.code == grid["code"], "\(p)")
            #expect(result.community.code == grid["community_code"], "\(p)")
            #expect(result.street.code == String((grid["community_code"] ?? "").prefix(9)), "\(p)")
            #expect(result.district.code == "990101")
            #expect(result.lon == p.x && result.lat == p.y && result.storageSrid == 4326)
            located += 1
        }
        #expect(located >= 295, "only \(located) of 300 points lay in a grid")
    }

    @Test func gcj02AndBD09AreTheIdentityOutsideChina() async throws {
        let fixture = try #require(HelsinkiFixture.current)
        let (points, _) = fixture.randomPoints(10, seed: 42)
        for (p, grid) in points {
            let code = try #require(grid?["code"])
            for crs in ["wgs84", "gcj02", "bd09", "EPSG:4326"] {
                let response = try await locate(fixture.server.baseURL, p, crs: crs)
                try #require(response.status == 200, "\(crs) \(p): \(response)")
                let result = try response.decode(LocateResult.self)
                #expect(result.grid.code == code, "\(crs) \(p)")
                #expect(result.lon == p.x && result.lat == p.y, "\(crs) moved the point")
            }
        }
    }

    @Test func pointOutsideTheExtentIs422() async throws {
        let fixture = try #require(HelsinkiFixture.current)
        for p in [Point2(24.90, 60.17), Point2(24.94, 60.20), Point2(116.4, 39.9)] {
            let response = try await locate(fixture.server.baseURL, p)
            #expect(response.status == 422, "\(p): \(response)")
            let problem = try response.problem()
            #expect(problem.field != nil)
            #expect(problem.type == "urn:urbangrid:problem:outside-city")
            #expect(!problem.detailZh.isEmpty)
        }
    }

    /// A query string and the parameter the 400 must name.
    struct BadQuery: Sendable, CustomStringConvertible {
        var query: [(String, String)]
        var field: String
        init(_ query: [(String, String)], _ field: String) { self.query = query; self.field = field }
        var description: String { query.map { "\($0.0)=\($0.1)" }.joined(separator: "&") }
    }

    static let point: [(String, String)] = [("lon", "24.94"), ("lat", "60.17")]
    static let badQueries: [BadQuery] = [
        BadQuery([("lon", "24.94")], "lat"),                          // missing lat
        BadQuery([("lat", "60.17")], "lon"),                          // missing lon
        BadQuery(point + [("foo", "1")], "foo"),                      // unknown parameter
        BadQuery(point + [("Lat", "60.17")], "Lat"),                  // names are case-sensitive
        BadQuery([("lon", "24.94"), ("lat", "north")], "lat"),
        BadQuery([("lon", "24.94"), ("lat", "95")], "lat"),           // off the globe
        BadQuery([("lon", "inf"), ("lat", "60.17")], "lon"),
        BadQuery(point + [("lon", "24.95")], "lon"),                  // given twice
        BadQuery(point + [("crs", "mercator")], "crs"),
        BadQuery(point + [("radius", "5000")], "radius"),
        BadQuery(point + [("limit", "0")], "limit"),
        BadQuery(point + [("type", "06010")], "type"),                // a matter type, not a component type
    ]

    @Test(arguments: badQueries)
    func badParametersAre400NamingTheParameter(_ bad: BadQuery) async throws {
        let (query, field) = (bad.query, bad.field)
        let fixture = try #require(HelsinkiFixture.current)
        let response = try await HTTP.get(fixture.server.baseURL, "api/v1/locate", query: query)
        #expect(response.status == 400, "\(query): \(response)")
        let problem = try response.problem()
        #expect(problem.field == field, "\(query): \(response)")
        #expect(problem.type == "urn:urbangrid:problem:invalid-parameter")
        #expect(problem.detail.contains(field), "\(problem.detail)")
    }

    @Test func typeAndRadiusFilterNearbyComponents() async throws {
        let fixture = try #require(HelsinkiFixture.current)
        let (points, _) = fixture.randomPoints(20, seed: 7)
        var sawComponents = false
        for (p, _) in points {
            let response = try await HTTP.get(fixture.server.baseURL, "api/v1/locate",
                                              query: [("lon", "\(p.x)"), ("lat", "\(p.y)"), ("radius", "120"),
                                                      ("type", "01037"), ("limit", "5")])
            try #require(response.status == 200, "\(response)")
            let result = try response.decode(LocateResult.self)
            #expect(result.radiusM == 120)
            #expect(result.components.count <= 5)
            #expect(result.components.allSatisfy { $0.typeCode == "01037" && $0.distanceM <= 120 })
            #expect(result.components.map(\.distanceM) == result.components.map(\.distanceM).sorted())
            sawComponents = sawComponents || !result.components.isEmpty
        }
        #expect(sawComponents, "586 street lamps, yet none within 120 m of 20 points")
    }

    @Test func healthAndMetrics() async throws {
        let fixture = try #require(HelsinkiFixture.current)
        let health = try await HTTP.get(fixture.server.baseURL, "healthz")
        #expect(health.status == 200)
        #expect(health.header("content-type")?.hasPrefix("application/json") == true)
        let body = try JSONSerialization.jsonObject(with: health.body) as? [String: Any]
        #expect(body?["status"] as? String == "ok")
        #expect(body?["city"] as? String == "helsinki")
        let libraries = body?["libraries"] as? [String: String]
        #expect(libraries?["spatialite"]?.isEmpty == false && libraries?["sqlite"]?.hasPrefix("3.") == true)

        let metrics = try await HTTP.get(fixture.server.baseURL, "metrics")
        #expect(metrics.status == 200)
        #expect(metrics.header("content-type")?.hasPrefix("text/plain") == true)
        let lines = metrics.text.split(separator: "\n")
        // Exposition format: a TYPE line and at least one sample `name{labels} value` of the request counter.
        #expect(lines.contains { $0.hasPrefix("# TYPE hb_requests counter") }, "\(metrics.text.prefix(2000))")
        let sample = /^hb_requests\{[^}]*\} [0-9]+(\.[0-9]+)?$/
        #expect(lines.contains { (try? sample.wholeMatch(in: String($0))) != nil }, "\(metrics.text.prefix(2000))")
    }

    @Test func catalogListsTheStandardCodeLists() async throws {
        let fixture = try #require(HelsinkiFixture.current)
        let response = try await HTTP.get(fixture.server.baseURL, "api/v1/catalog")
        try #require(response.status == 200, "\(response)")
        let body = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        let components = try #require(body["components"] as? [[String: Any]])
        let matters = try #require(body["matters"] as? [[String: Any]])
        let departments = try #require(body["departments"] as? [[String: Any]])
        // Hand facts (GB/T 47678.5-2026 as catalogued in gis-data/catalog), and the files' row counts.
        #expect(components.count == 153)
        #expect(matters.count == 250)
        #expect(components.count == (try Fixtures.csvRowCount(Fixtures.catalog.appendingPathComponent("components.csv"))))
        #expect(matters.count == (try Fixtures.csvRowCount(Fixtures.catalog.appendingPathComponent("matters.csv"))))
        #expect(departments.count == (try Fixtures.csvRowCount(Fixtures.helsinki.appendingPathComponent("departments.csv"))))
        #expect(components.contains { $0["code"] as? String == "01037" && $0["nameZh"] as? String == "路灯" })
        #expect(components.allSatisfy { (($0["code"] as? String)?.count ?? 0) == 5 })
    }

    @Test func unknownPathsAre404Problems() async throws {
        let fixture = try #require(HelsinkiFixture.current)
        let response = try await HTTP.get(fixture.server.baseURL, "api/v1/nothing-here")
        #expect(response.status == 404)
        #expect(try response.problem().type == "urn:urbangrid:problem:not-found")
    }
}

/// GCJ-02 needs a city inside China: testcity (CGCS2000, near 104.39°E 31.13°N).
@Suite struct ChinaCoordinateLocateTests {
    @Test func gcj02AndBD09PointsLocateToTheGridOfTheirWGS84Point() async throws {
        let grids = try GeoJSONFile.areas(Fixtures.testcity.appendingPathComponent("grids.geojson"))
        #expect(grids.count == 6)
        try await withServer(city: Fixtures.testcity) { server in
            for grid in grids {
                let centre = grid.vertexCentroid
                let code = try #require(grid["code"])
                let wgs84 = try GeoPoint(lon: centre.x, lat: centre.y)
                let gcj = ChinaCoordinates.wgs84ToGCJ02(wgs84)
                let bd = ChinaCoordinates.wgs84ToBD09(wgs84)
                // The offsets are hundreds of metres here, so a server ignoring crs would miss the grid.
                #expect(abs(gcj.lon - wgs84.lon) + abs(gcj.lat - wgs84.lat) > 0.001)
                for (crs, p) in [("gcj02", gcj), ("amap", gcj), ("bd09", bd)] {
                    let response = try await locate(server.baseURL, Point2(p.lon, p.lat), crs: crs)
                    try #require(response.status == 200, "\(crs) \(code): \(response)")
                    let result = try response.decode(LocateResult.self)
                    #expect(result.grid.code == code, "\(crs)")
                    #expect(result.storageSrid == 4490)
                    // The storage point is the WGS84/CGCS2000 point back again (within ~1 mm).
                    #expect(abs(result.lon - centre.x) < 1e-8 && abs(result.lat - centre.y) < 1e-8, "\(crs): \(result.lon), \(result.lat)")
                }
                // The same numbers taken as WGS84 are somewhere else entirely.
                let misread = try await locate(server.baseURL, Point2(gcj.lon, gcj.lat), crs: "wgs84")
                if misread.status == 200 {
                    #expect(try misread.decode(LocateResult.self).grid.code != code)
                } else {
                    #expect(misread.status == 422)
                }
            }
        }
    }
}
