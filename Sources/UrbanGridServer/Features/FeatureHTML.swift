import Foundation
import Hummingbird
import UrbanGridStore

/// Plain HTML pages for people browsing the features API: tables of links and properties, and
/// a small SVG drawing of the features on a page. No scripts, no external resources.
enum FeatureHTML {
    typealias Rendered = FeatureRoutes.Rendered

    static func landing(_ page: LandingPage) -> Rendered {
        html(page.title, "<p>\(escape(page.description))</p>" + linkList(page.links))
    }

    static func conformance(_ doc: ConformanceDeclaration) -> Rendered {
        html("Conformance 符合性", "<ul>" + doc.conformsTo.map { "<li>\(escape($0))</li>" }.joined() + "</ul>")
    }

    static func collections(_ list: CollectionList) -> Rendered {
        let rows = list.collections.map { c in
            "<tr><td><a href=\"\(escape(href(c.links, "self")))?f=html\">\(escape(c.id))</a></td><td>\(escape(c.titleZh))</td><td>\(escape(c.titleEn))</td>"
                + "<td>\(escape(c.descriptionZh))<br>\(escape(c.descriptionEn))</td>"
                + "<td><a href=\"\(escape(href(c.links, "items", type: "text/html")))\">items</a></td></tr>"
        }
        return html("Collections 图层", "<table><tr><th>id</th><th>名称</th><th>Title</th><th>说明 Description</th><th></th></tr>"
                    + rows.joined() + "</table>")
    }

    static func collection(_ c: CollectionDescription) -> Rendered {
        var body = "<p>\(escape(c.descriptionZh))<br>\(escape(c.descriptionEn))</p><table>"
        if let bbox = c.extent.spatial?.bbox.first {
            body += "<tr><th>extent</th><td>\(bbox.map { String($0) }.joined(separator: ", "))</td></tr>"
        }
        if let interval = c.extent.temporal?.interval.first {
            body += "<tr><th>time</th><td>\(interval.map { $0 ?? ".." }.joined(separator: " / "))</td></tr>"
        }
        body += "<tr><th>storageCrs</th><td>\(escape(c.storageCrs))</td></tr><tr><th>crs</th><td>\(c.crs.map(escape).joined(separator: "<br>"))</td></tr></table>"
        return html("\(c.titleZh) \(c.titleEn)", body + linkList(c.links))
    }

    /// A page of features: the drawing, then one row per feature.
    static func items(layer: FeatureLayer, page: FeaturePage, links: [Link], swapAxes: Bool) -> Rendered {
        table(title: "\(layer.titleZh) \(layer.titleEn)", features: page.features, names: layer.properties.map(\.name),
              links: links, matched: page.numberMatched, itemLink: "/collections/\(layer.id)/items/", swapAxes: swapAxes)
    }

    static func table(title: String, features json: [String], names: [String], links: [Link], matched: Int? = nil,
                      itemLink: String? = nil, swapAxes: Bool = false) -> Rendered {
        let features = json.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        var table = "<table><tr><th>id</th>" + names.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for f in features {
            let id = f["id"].map { "\($0)" } ?? ""
            let props = f["properties"] as? [String: Any] ?? [:]
            let cell = itemLink.map { "<a href=\"\(escape($0 + FeatureRoutes.pathEscape(id)))?f=html\">\(escape(id))</a>" } ?? escape(id)
            table += "<tr><td>\(cell)</td>" + names.map { "<td>\(escape(props[$0].map(text) ?? ""))</td>" }.joined() + "</tr>"
        }
        table += "</table>"
        let summary = "<p>\(features.count) of \(matched ?? features.count) features 个要素</p>"
        return html(title, summary + SVGMap.draw(features, swapAxes: swapAxes) + linkList(links) + table)
    }

    // MARK: building blocks

    static func html(_ title: String, _ body: String) -> Rendered {
        let page = """
            <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}svg{border:1px solid #999;background:#fafafa}</style>
            </head><body><nav><a href="/?f=html">UrbanGrid</a> · <a href="/collections?f=html">collections 图层</a> · <a href="/api">API</a></nav>
            <h1>\(escape(title))</h1>\(body)</body></html>
            """
        return Rendered(headers: [.contentType: "text/html; charset=utf-8"], body: ByteBuffer(string: page))
    }

    static func linkList(_ links: [Link]) -> String {
        "<ul>" + links.map { "<li><a href=\"\(escape($0.href))\">\(escape($0.title ?? $0.rel))</a> (\(escape($0.rel)), \(escape($0.type ?? "")))</li>" }.joined() + "</ul>"
    }

    static func href(_ links: [Link], _ rel: String, type: String? = nil) -> String {
        links.first { $0.rel == rel && (type == nil || $0.type == type) }?.href ?? ""
    }

    static func text(_ value: Any) -> String { value is NSNull ? "" : "\(value)" }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}

/// Draws GeoJSON geometries into an inline SVG, fitted to the page's extent (north up).
enum SVGMap {
    static let width = 640.0, height = 420.0

    static func draw(_ features: [[String: Any]], swapAxes: Bool) -> String {
        let geometries = features.compactMap { $0["geometry"] as? [String: Any] }
        var parts: [(kind: String, rings: [[(Double, Double)]])] = []
        for g in geometries {
            guard let type = g["type"] as? String, let coords = g["coordinates"] else { continue }
            let rings = lines(coords).map { $0.map { swapAxes ? ($0.1, $0.0) : $0 } }
            parts.append((type, rings))
        }
        let all = parts.flatMap { $0.rings.flatMap { $0 } }
        guard let minX = all.map(\.0).min(), let maxX = all.map(\.0).max(),
              let minY = all.map(\.1).min(), let maxY = all.map(\.1).max() else { return "" }
        // Geographic degrees: shrink longitude by cos(latitude) so shapes keep their proportions.
        let geographic = abs(maxX) <= 180 && abs(maxY) <= 90
        let xScale = geographic ? cos((minY + maxY) / 2 * .pi / 180) : 1
        let spanX = max((maxX - minX) * xScale, 1e-9), spanY = max(maxY - minY, 1e-9)
        let k = min((width - 20) / spanX, (height - 20) / spanY)
        func p(_ c: (Double, Double)) -> String {
            String(format: "%.1f,%.1f", 10 + (c.0 - minX) * xScale * k, height - 10 - (c.1 - minY) * k)
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
        for part in parts {
            switch part.kind {
            case "Point", "MultiPoint":
                for c in part.rings.flatMap({ $0 }) {
                    let xy = p(c).split(separator: ",")
                    svg += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"2.5\" fill=\"#c0392b\"/>"
                }
            case "LineString", "MultiLineString":
                for line in part.rings { svg += "<polyline points=\"\(line.map(p).joined(separator: " "))\" fill=\"none\" stroke=\"#555\"/>" }
            default:
                for ring in part.rings { svg += "<polygon points=\"\(ring.map(p).joined(separator: " "))\" fill=\"#3498db33\" stroke=\"#2c3e50\"/>" }
            }
        }
        return svg + "</svg>"
    }

    /// Every innermost coordinate list of a GeoJSON `coordinates` value (a point is a list of one).
    static func lines(_ value: Any) -> [[(Double, Double)]] {
        guard let array = value as? [Any] else { return [] }
        if let x = array.first as? Double, array.count >= 2, let y = array[1] as? Double { return [[(x, y)]] }
        if let first = array.first as? [Any], first.first is Double {
            return [array.compactMap { ($0 as? [Double]).flatMap { $0.count >= 2 ? ($0[0], $0[1]) : nil } }]
        }
        return array.flatMap(lines)
    }
}
