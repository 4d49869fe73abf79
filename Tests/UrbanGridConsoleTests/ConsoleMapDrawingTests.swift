import Foundation
import Testing
@testable import UrbanGridConsole

// Braille rasterisation of polygons and points in metric coordinates, the scale bar, GeoJSON reading
// and the lon/lat → metric fit.

@Suite struct ConsoleMapDrawingTests {
    @Test func brailleDotsFollowUnicodeNumbering() {
        var c = BrailleCanvas(columns: 1, rows: 1)
        c.set(0, 0, layer: .grid)
        #expect(c.lines() == ["\u{2801}"])                 // dot 1
        c.set(1, 3, layer: .grid)
        #expect(c.lines() == ["\u{2881}"])                 // dots 1 and 8
        for x in 0..<2 { for y in 0..<4 { c.set(x, y, layer: .grid) } }
        #expect(c.lines() == ["⣿"])
        c.set(5, 9, layer: .grid)                          // off the canvas: ignored
        #expect(c.lines() == ["⣿"])
    }

    /// A square of 8 × 8 dots on a 4 × 2 cell canvas, drawn from metric coordinates at 1 m a dot.
    @Test func polygonOutlineInMetricCoordinates() {
        let viewport = MapViewport(centre: MapPoint(1000, 2000), halfWidth: 4, halfHeight: 4, dotWidth: 8, dotHeight: 8)
        #expect(viewport.metresPerDot == 1)
        let ring = [MapPoint(996.5, 2003.5), MapPoint(1003.5, 2003.5), MapPoint(1003.5, 1996.5),
                    MapPoint(996.5, 1996.5), MapPoint(996.5, 2003.5)]
        var canvas = BrailleCanvas(columns: 4, rows: 2)
        MapDrawing.outline(MapFeature(id: "g", geometry: .polygons([[ring]])), on: &canvas, viewport, layer: .caseGrid)
        #expect(canvas.lines() == ["⡏⠉⠉⢹", "⣇⣀⣀⣸"])
        #expect(canvas.cell(column: 1, row: 0).layer == .caseGrid)
    }

    @Test func northIsUp() {
        let viewport = MapViewport(centre: MapPoint(0, 0), halfWidth: 4, halfHeight: 4, dotWidth: 8, dotHeight: 8)
        #expect(viewport.dot(MapPoint(-3.5, 3.5))! == (0, 0))        // north-west corner → top left
        #expect(viewport.dot(MapPoint(3.5, -3.5))! == (7, 7))
        #expect(viewport.dot(MapPoint(100, 0)) == nil)
    }

    @Test func linesFarOutsideAreClippedNotWalked() {
        var canvas = BrailleCanvas(columns: 4, rows: 2)
        canvas.line(from: (-1e12, 2), to: (1e12, 2), layer: .grid)   // crosses: one row of dots
        #expect(canvas.lines() == ["⠤⠤⠤⠤", "    "])
        canvas.line(from: (-1e9, -1e9), to: (-1e9, 1e9), layer: .grid) // outside: nothing
        canvas.line(from: (.nan, 0), to: (3, 3), layer: .grid)
        #expect(canvas.lines() == ["⠤⠤⠤⠤", "    "])
    }

    @Test func sceneMarksCaseComponentsAndOpenCasesOverTheGrids() {
        let grid = MapFeature(id: "990201001001001", geometry: .polygons([[[
            MapPoint(0, 0), MapPoint(100, 0), MapPoint(100, 100), MapPoint(0, 100), MapPoint(0, 0),
        ]]]))
        let neighbour = MapFeature(id: "990201001001002", geometry: .polygons([[[
            MapPoint(100, 0), MapPoint(200, 0), MapPoint(200, 100), MapPoint(100, 100), MapPoint(100, 0),
        ]]]))
        let scene = MapScene(casePoint: MapPoint(50, 50), caseGridCode: "990201001001001", grids: [grid, neighbour],
                             components: [MapScene.Marker(MapPoint(20, 80), label: "lamp")],
                             openCases: [MapScene.Marker(MapPoint(150, 50), label: "20260529-0002")],
                             crs: "http://www.opengis.net/def/crs/EPSG/0/4544")
        let (canvas, viewport) = MapDrawing.draw(scene, columns: 40, rows: 12)
        let text = canvas.lines().joined(separator: "\n")
        #expect(text.filter { $0 == "@" }.count == 1)
        #expect(text.contains("+") && text.contains("!"))
        // The case point sits in the middle of the pane.
        let row = canvas.lines().firstIndex { $0.contains("@") }!
        #expect(abs(row - 6) <= 1)
        #expect(viewport.metresPerDot > 0)
        let layers = Set(canvas.cells.compactMap(\.layer))
        #expect(layers.isSuperset(of: [.grid, .caseGrid, .component, .openCase, .casePoint]))
    }

    @Test func scaleBarPicksARoundLengthThatFits() {
        let bar = ScaleBar(metresPerColumn: 5, maxColumns: 20)!
        #expect(bar.metres == 100 && bar.columns == 20 && bar.label == "100 m")
        #expect(bar.bar == "├" + String(repeating: "─", count: 18) + "┤")
        let km = ScaleBar(metresPerColumn: 100, maxColumns: 25)!
        #expect(km.metres == 2000 && km.label == "2 km")
        #expect(ScaleBar(metresPerColumn: 0, maxColumns: 10) == nil)
    }

    static let gridsMetric = """
        {"type":"FeatureCollection","features":[
         {"type":"Feature","id":"990201001001001","geometry":{"type":"Polygon","coordinates":[[[442100.0,3444200.0],[442200.0,3444200.0],[442200.0,3444300.0],[442100.0,3444300.0],[442100.0,3444200.0]]]},
          "properties":{"code":"990201001001001","community_code":"990201001001","area_m2":10000.0}},
         {"type":"Feature","id":"c1","geometry":{"type":"Point","coordinates":[442150.5,3444250.5]},"properties":{"id":"c1","status":"完好","name":null}},
         {"type":"Feature","id":7,"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]},"properties":{}},
         {"type":"Feature","id":"x","geometry":null,"properties":{"code":"x"}}
        ]}
        """

    @Test func geoJSONFeaturesAreRead() throws {
        let fc = try FeatureCollection.decode(Data(Self.gridsMetric.utf8))
        #expect(fc.features.count == 4)
        #expect(fc.features[0].id == "990201001001001")
        #expect(fc.features[0].properties["community_code"] == "990201001001")
        #expect(fc.features[0].properties["area_m2"] == "10000")
        #expect(fc.features[0].geometry?.vertices.count == 5)
        #expect(fc.features[1].geometry == .points([MapPoint(442150.5, 3444250.5)]))
        #expect(fc.features[2].id == "7")
        #expect(fc.features[3].geometry == nil)
    }

    @Test func affineFitRecoversTheMetricPositionOfLonLatPoints() throws {
        // A made-up affine projection: rotation, scale and offset, as a TM projection is locally.
        func project(_ p: MapPoint) -> MapPoint {
            let u = p.x - 104.39, v = p.y - 31.13
            return MapPoint(442_000 + 95_300 * u - 1_200 * v, 3_444_000 + 1_150 * u + 110_900 * v)
        }
        let lonLat = [MapPoint(104.389, 31.129), MapPoint(104.391, 31.129), MapPoint(104.391, 31.131), MapPoint(104.389, 31.131)]
        let a = [MapFeature(id: "g1", geometry: .polygons([[lonLat]]))]
        let m = [MapFeature(id: "g1", geometry: .polygons([[lonLat.map(project)]]))]
        let fit = try #require(AffineFit(pairs: AffineFit.pairs(lonLat: a, metric: m)))
        let p = MapPoint(104.3903, 31.1304)
        let got = fit.apply(p), want = project(p)
        #expect(abs(got.x - want.x) < 1e-4 && abs(got.y - want.y) < 1e-4)

        let collinear = [MapPoint(0, 0), MapPoint(1, 1), MapPoint(2, 2)].map { (lonLat: $0, metric: $0) }
        #expect(AffineFit(pairs: collinear) == nil)
        // Features whose vertices differ in number are not paired.
        let other = [MapFeature(id: "g1", geometry: .points([MapPoint(0, 0)]))]
        #expect(AffineFit.pairs(lonLat: a, metric: other).isEmpty)
    }
}
