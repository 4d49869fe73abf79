import Foundation
import Testing
import UrbanGridCore
import UrbanGridStore

@Suite struct GridCheckTests {
    static let testcityGrids = Fixtures.testcity.appendingPathComponent("grids.geojson")

    @Test func testcityGridsTileTheDistrict() throws {
        try withStore(layers: Fixtures.areaLayers) { store, _ in
            let report = try store.checkGrids()
            #expect(report.gridCount == (try featureCount(Self.testcityGrids)))
            #expect(report.issues.isEmpty, "\(report.issues)")
            #expect(!report.failed)
        }
    }

    @Test func helsinkiGridsTileTheDistrict() throws {
        try withStore(Fixtures.helsinki, layers: Fixtures.areaLayers) { store, _ in
            let report = try store.checkGrids()
            #expect(report.gridCount == (try featureCount(Fixtures.helsinki.appendingPathComponent("grids.geojson"))))
            #expect(report.gridCount == 178)
            #expect(report.issues.filter { $0.kind != .areaOutlier }.isEmpty, "\(report.issues)")
            #expect(!report.failed)
        }
    }

    /// A copy of testcity's grids.geojson in `dir` where vertex `vertex` (index in the outer ring) of grid
    /// `code` is moved `fraction` of the way towards `target` (a negative fraction moves it away); returns
    /// the file and the vertex before and after.
    private func movedVertex(grid code: String, vertex: Int, towards target: Point2, fraction: Double,
                             in dir: URL) throws -> (file: URL, old: Point2, new: Point2) {
        var features = try GeoJSONFile.features(Self.testcityGrids)
        let i = try #require(features.firstIndex { ($0["properties"] as? [String: Any])?["code"] as? String == code })
        var geometry = try #require(features[i]["geometry"] as? [String: Any])
        var ring = try GeoJSONFile.polygonParts(geometry)[0][0]
        #expect(ring.count == 5 && ring.first == ring.last)
        let old = ring[vertex]
        let new = old + fraction * (target - old)
        ring[vertex] = new
        if vertex == 0 { ring[ring.count - 1] = new }
        geometry["coordinates"] = [ring.map { [$0.x, $0.y] }]
        features[i]["geometry"] = geometry
        let file = dir.appendingPathComponent("grids-\(code)-moved.geojson")
        try FixtureFiles.writeGeoJSON(raw: features, to: file)
        return (file, old, new)
    }

    private func vertex(_ code: String, _ index: Int) throws -> Point2 {
        let grid = try #require(try GeoJSONFile.areas(Self.testcityGrids).first { $0["code"] == code })
        return grid.outerVertices[index]
    }

    /// Grid 990201001001001 (the NW cell; ring NW, SW, SE, NE) gets its SE corner moved 20 m west along
    /// its south edge (20 % of the 100 m edge). That uncovers the triangle (SE', SE, NE): ½ × 20 m × 100 m
    /// = 1,000 m², between it and its neighbours.
    @Test func plantedGapIsFound() throws {
        try withStore(layers: Fixtures.areaLayers) { store, dir in
            let code = "990201001001001"
            let southWest = try vertex(code, 1), northEast = try vertex(code, 3)
            let moved = try movedVertex(grid: code, vertex: 2, towards: southWest, fraction: 0.2, in: dir)
            let report = try store.importLayer(.grid, from: moved.file, options: ImportOptions(replace: true))
            #expect(report.replaced == 6 && report.imported == 6)

            let check = try store.checkGrids()
            #expect(check.failed)
            #expect(check.gridCount == 6)
            let gaps = check.issues.filter { $0.kind == .gap }
            try #require(gaps.count == 1, "\(check.issues)")
            #expect(check.issues.count == 1, "only the gap: \(check.issues)")
            let gap = gaps[0]
            #expect(gap.grids.isEmpty)
            #expect(abs(gap.areaM2 - 1_000) < 2, "hand value 1,000 m², got \(gap.areaM2)")
            let triangle = [moved.new, moved.old, northEast, moved.new]
            let exact = TransverseMercator.epsg4544.area(triangle)
            #expect(abs(gap.areaM2 - exact) < 0.05, "shoelace over the triangle in EPSG:4544: \(exact) m², got \(gap.areaM2)")
            let inside = AreaFeature(properties: [:], parts: [[triangle]])
            #expect(inside.contains(Point2(gap.lon, gap.lat)), "gap reported at (\(gap.lon), \(gap.lat)), outside the triangle")

            // Below the tolerance nothing is reported.
            #expect(try store.checkGrids(toleranceM2: 1_100).issues.isEmpty)
        }
    }

    /// Grid 990201001001003 (the NE cell) gets its NW corner moved 20 m west along the north edge, onto
    /// grid 990201001001002: the triangle (NW', NW, SW) of 1,000 m² belongs to both.
    @Test func plantedOverlapIsFound() throws {
        try withStore(layers: Fixtures.areaLayers) { store, dir in
            let code = "990201001001003"
            let neighbourNorthWest = try vertex("990201001001002", 0)
            let southWest = try vertex(code, 1)
            let moved = try movedVertex(grid: code, vertex: 0, towards: neighbourNorthWest, fraction: 0.2, in: dir)
            _ = try store.importLayer(.grid, from: moved.file, options: ImportOptions(replace: true))

            let check = try store.checkGrids()
            #expect(check.failed)
            let overlaps = check.issues.filter { $0.kind == .overlap }
            try #require(overlaps.count == 1, "\(check.issues)")
            #expect(check.issues.count == 1, "only the overlap: \(check.issues)")
            let overlap = overlaps[0]
            #expect(overlap.grids == ["990201001001002", "990201001001003"])
            #expect(abs(overlap.areaM2 - 1_000) < 2, "hand value 1,000 m², got \(overlap.areaM2)")
            let triangle = [moved.new, moved.old, southWest, moved.new]
            let exact = TransverseMercator.epsg4544.area(triangle)
            #expect(abs(overlap.areaM2 - exact) < 0.05, "shoelace: \(exact) m², got \(overlap.areaM2)")
            #expect(AreaFeature(properties: [:], parts: [[triangle]]).contains(Point2(overlap.lon, overlap.lat)),
                    "overlap reported at (\(overlap.lon), \(overlap.lat)), outside the triangle")
        }
    }

    /// Grid 990201001002002 (the south middle cell, community 990201001002) gets its NW corner moved
    /// 20 m north, beyond its community's edge into grid 990201001001002: the triangle (NW, NW', NE) of
    /// ½ × 20 m × 100 m = 1,000 m² lies outside its community and overlaps the northern grid.
    @Test func gridReachingIntoAnotherCommunityIsFound() throws {
        try withStore(layers: Fixtures.areaLayers) { store, dir in
            let code = "990201001002002"
            let southWest = try vertex(code, 1), northEast = try vertex(code, 3)
            let moved = try movedVertex(grid: code, vertex: 0, towards: southWest, fraction: -0.2, in: dir)
            _ = try store.importLayer(.grid, from: moved.file, options: ImportOptions(replace: true))
            let check = try store.checkGrids()
            #expect(check.failed)
            let triangle = [moved.old, moved.new, northEast, moved.old]
            let exact = TransverseMercator.epsg4544.area(triangle)
            let outside = check.issues.filter { $0.kind == .outsideCommunity }
            try #require(outside.count == 1, "\(check.issues)")
            #expect(outside[0].grids == [code])
            #expect(abs(outside[0].areaM2 - 1_000) < 2 && abs(outside[0].areaM2 - exact) < 0.05, "\(outside[0].areaM2) vs \(exact)")
            #expect(AreaFeature(properties: [:], parts: [[triangle]]).contains(Point2(outside[0].lon, outside[0].lat)))
            let overlaps = check.issues.filter { $0.kind == .overlap }
            #expect(overlaps.map(\.grids) == [["990201001001002", code]])
            #expect(check.issues.count == 2, "\(check.issues)")
        }
    }
}
