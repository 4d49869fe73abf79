/// What the map pane shows around one case, every coordinate already in the metric CRS.
public struct MapScene: Sendable, Equatable {
    public struct Marker: Sendable, Equatable {
        public var point: MapPoint
        public var label: String
        public init(_ point: MapPoint, label: String) { self.point = point; self.label = label }
    }

    public var casePoint: MapPoint
    public var caseGridCode: String
    /// The case's grid and its neighbours.
    public var grids: [MapFeature]
    public var components: [Marker]
    public var openCases: [Marker]
    /// The metric CRS URI, for the legend.
    public var crs: String

    public init(casePoint: MapPoint, caseGridCode: String, grids: [MapFeature], components: [Marker],
                openCases: [Marker], crs: String) {
        self.casePoint = casePoint; self.caseGridCode = caseGridCode; self.grids = grids
        self.components = components; self.openCases = openCases; self.crs = crs
    }
}

/// Draws a scene onto a braille canvas: the case's grid and neighbours as outlines, components,
/// nearby open cases and the case point as markers, centred on the case with its grid in view.
public enum MapDrawing {
    public static let caseMarker: Character = "@"
    public static let componentMarker: Character = "+"
    public static let openCaseMarker: Character = "!"

    public static func draw(_ scene: MapScene, columns: Int, rows: Int) -> (canvas: BrailleCanvas, viewport: MapViewport) {
        var canvas = BrailleCanvas(columns: columns, rows: rows)
        let half = halfExtent(scene)
        let viewport = MapViewport(centre: scene.casePoint, halfWidth: half, halfHeight: half,
                                   dotWidth: canvas.dotWidth, dotHeight: canvas.dotHeight)
        let own = scene.grids.filter { $0.id == scene.caseGridCode || $0.properties["code"] == scene.caseGridCode }
        let others = scene.grids.filter { g in !own.contains(g) }
        for g in others { outline(g, on: &canvas, viewport, layer: .grid) }
        for g in own { outline(g, on: &canvas, viewport, layer: .caseGrid) }
        for c in scene.components { mark(c.point, componentMarker, .component, &canvas, viewport) }
        for c in scene.openCases { mark(c.point, openCaseMarker, .openCase, &canvas, viewport) }
        mark(scene.casePoint, caseMarker, .casePoint, &canvas, viewport)
        return (canvas, viewport)
    }

    /// Half the side of the square shown: the case's grid with a margin, at least 80 m.
    static func halfExtent(_ scene: MapScene) -> Double {
        let own = scene.grids.first { $0.id == scene.caseGridCode || $0.properties["code"] == scene.caseGridCode }
        let far = own?.geometry?.vertices.map { max(abs($0.x - scene.casePoint.x), abs($0.y - scene.casePoint.y)) }
            .filter(\.isFinite).max() ?? 0
        return max(80, far * 1.4)
    }

    static func outline(_ feature: MapFeature, on canvas: inout BrailleCanvas, _ viewport: MapViewport,
                        layer: BrailleCanvas.Layer) {
        let rings: [[MapPoint]]
        switch feature.geometry {
        case .polygons(let polygons): rings = polygons.flatMap { $0 }
        case .lines(let lines): rings = lines
        case .points(let points):
            for p in points { if let (x, y) = viewport.dot(p) { canvas.set(x, y, layer: layer) } }
            return
        case nil: return
        }
        for ring in rings where ring.count > 1 {
            for (a, b) in zip(ring, ring.dropFirst()) {
                canvas.line(from: viewport.position(a), to: viewport.position(b), layer: layer)
            }
        }
    }

    static func mark(_ p: MapPoint, _ marker: Character, _ layer: BrailleCanvas.Layer,
                     _ canvas: inout BrailleCanvas, _ viewport: MapViewport) {
        guard let (x, y) = viewport.dot(p) else { return }
        canvas.mark(x, y, marker, layer: layer)
    }
}
