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
