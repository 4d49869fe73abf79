import Testing
import UrbanGridCore

@Suite struct PlanarAreaTests {
    /// A 10 × 10 square with a 2 × 2 hole at (4…6, 4…6), and a second part, a triangle to its right.
    let area = PlanarArea(parts: [
        [[PlanePoint(0, 0), PlanePoint(10, 0), PlanePoint(10, 10), PlanePoint(0, 10), PlanePoint(0, 0)],
         [PlanePoint(4, 4), PlanePoint(6, 4), PlanePoint(6, 6), PlanePoint(4, 6), PlanePoint(4, 4)]],
        [[PlanePoint(20, 0), PlanePoint(30, 0), PlanePoint(20, 10)]],
    ])

    @Test func boxIsTheExtentOfEveryPart() {
        #expect((area.minX, area.minY, area.maxX, area.maxY) == (0, 0, 30, 10))
    }

    @Test(arguments: [
        (1.0, 1.0, true), (9.9, 5.0, true),      // inside the square
        (5.0, 5.0, false), (4.5, 5.5, false),    // in the hole
        (4.0, 5.0, true), (6.0, 6.0, true),      // on the hole's edge and corner: boundary counts
        (0.0, 0.0, true), (10.0, 3.0, true), (5.0, 10.0, true),   // outer corner and edges
        (10.5, 5.0, false), (-0.1, 5.0, false),  // between and beside the parts
        (22.0, 2.0, true), (25.0, 5.0, true),    // inside the triangle; on its hypotenuse x + y = 30
        (26.0, 5.0, false), (21.0, -1.0, false), // just past the hypotenuse; below it
    ])
    func coversInsideAndBoundaryButNotHolesOrOutside(x: Double, y: Double, expected: Bool) {
        #expect(area.covers(x: x, y: y) == expected, "(\(x), \(y))")
    }

    @Test func anOpenRingIsClosedImplicitly() {
        let open = PlanarArea(parts: [[[PlanePoint(0, 0), PlanePoint(4, 0), PlanePoint(4, 4), PlanePoint(0, 4)]]])
        #expect(open.covers(x: 2, y: 2))
        #expect(open.covers(x: 0, y: 2))   // on the closing edge (0,4)–(0,0)
        #expect(!open.covers(x: 5, y: 2))
    }
}

@Suite struct PlanarDistanceTests {
    let path = [[PlanePoint(0, 0), PlanePoint(10, 0), PlanePoint(10, 10)]]

    @Test(arguments: [
        (5.0, 3.0, 3.0),      // above the first segment: the perpendicular
        (-3.0, -4.0, 5.0),    // before its start: to the end point (3-4-5)
        (13.0, 14.0, 5.0),    // past the last point (10,10): 3-4-5 again
        (12.0, 5.0, 2.0),     // beside the second segment
        (10.0, 0.0, 0.0),     // on the corner
    ])
    func toPathsIsTheNearestSegment(x: Double, y: Double, expected: Double) {
        #expect(abs(PlanarDistance.toPaths(path, x: x, y: y) - expected) < 1e-12)
    }

    @Test func xScaleShrinksTheXAxisOnly() {
        // Point (4, 0) against a vertical line x = 0: 4 units, halved by xScale 0.5.
        let line = [[PlanePoint(0, -1), PlanePoint(0, 1)]]
        #expect(PlanarDistance.toPaths(line, x: 4, y: 0, xScale: 0.5) == 2)
        #expect(PlanarDistance.toPaths([], x: 4, y: 0) == .infinity)
        #expect(PlanarDistance.toPaths([[PlanePoint(1, 1)]], x: 4, y: 5) == 5)
    }
}
