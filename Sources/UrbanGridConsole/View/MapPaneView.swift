/// The map pane of the case screen: title, the braille drawing, a legend and the scale bar.
enum MapPaneView {
    struct Frame { var top: Int; var left: Int; var width: Int; var height: Int }

    static func draw(_ state: MapState, gridCode: String, language l: Language, on g: inout TextGrid, in f: Frame) {
        guard f.width >= 8, f.height >= 4 else { return }
        let title = "\(Label.sectionMap.text(l)) · \(Label.fieldGrid.text(l)) \(gridCode)"
        g.put(TextFit.truncate(title, to: f.width), row: f.top, column: f.left, style: Style(.title, bold: true))
        switch state {
        case .loading:
            g.put(Label.mapLoading.text(l), row: f.top + 1, column: f.left, style: Style(dim: true), limit: f.width)
        case .unavailable(let why):
            for (i, line) in TextFit.wrap(why, width: f.width).prefix(f.height - 1).enumerated() {
                g.put(line, row: f.top + 1 + i, column: f.left, style: Style(.yellow), limit: f.width)
            }
        case .ready(let scene):
            let rows = f.height - 3
            let (canvas, viewport) = MapDrawing.draw(scene, columns: f.width, rows: rows)
            for r in 0..<rows {
                for x in 0..<f.width {
                    let cell = canvas.cell(column: x, row: r)
                    guard cell.layer != nil else { continue }
                    g.put(String(canvas.character(column: x, row: r)), row: f.top + 1 + r, column: f.left + x, style: style(cell.layer))
                }
            }
            var x = f.left
            for (marker, label, layer) in [(MapDrawing.caseMarker, Label.mapLegendCase, BrailleCanvas.Layer.casePoint),
                                           (MapDrawing.componentMarker, .mapLegendComponent, .component),
                                           (MapDrawing.openCaseMarker, .mapLegendOpenCase, .openCase)] {
                x += g.put(String(marker), row: f.top + f.height - 2, column: x, style: style(layer), limit: f.left + f.width - x)
                x += g.put(label.text(l) + "  ", row: f.top + f.height - 2, column: x, limit: f.left + f.width - x)
            }
            if let scale = ScaleBar(metresPerColumn: viewport.metresPerColumn, maxColumns: max(2, f.width / 3)) {
                let crs = scene.crs.split(separator: "/").last.map { " EPSG:\($0)" } ?? ""
                g.put(scale.bar + " " + scale.label + crs, row: f.top + f.height - 1, column: f.left, limit: f.width)
            }
        }
    }

    static func style(_ layer: BrailleCanvas.Layer?) -> Style {
        switch layer {
        case .grid: Style(.blue)
        case .caseGrid: Style(.yellow, bold: true)
        case .component: Style(.cyan)
        case .openCase: Style(.magenta, bold: true)
        case .casePoint: Style(.red, bold: true)
        case nil: .plain
        }
    }
}
