import Foundation

/// A planar point: metric (x = easting, y = northing) or lon/lat degrees, as the source says.
public struct MapPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// The part of an RFC 7946 / OGC API - Features geometry the map draws.
public enum MapGeometry: Sendable, Equatable {
    case points([MapPoint])
    /// Line strings (also polygon rings, each closed).
    case lines([[MapPoint]])
    /// Polygons: each an outer ring then holes.
    case polygons([[[MapPoint]]])

    /// The same geometry with x and y exchanged (for CRSs whose first axis is the northing).
    public var swappingAxes: MapGeometry {
        func swap(_ p: MapPoint) -> MapPoint { MapPoint(p.y, p.x) }
        switch self {
        case .points(let p): return .points(p.map(swap))
        case .lines(let l): return .lines(l.map { $0.map(swap) })
        case .polygons(let p): return .polygons(p.map { $0.map { $0.map(swap) } })
        }
    }

    /// Every vertex, in order.
    public var vertices: [MapPoint] {
        switch self {
        case .points(let p): p
        case .lines(let l): l.flatMap { $0 }
        case .polygons(let p): p.flatMap { $0.flatMap { $0 } }
        }
    }
}

/// One feature: its id, geometry and the string-valued properties the console reads.
public struct MapFeature: Sendable, Equatable {
    public var id: String
    public var geometry: MapGeometry?
    public var properties: [String: String]
    public init(id: String, geometry: MapGeometry?, properties: [String: String] = [:]) {
        self.id = id; self.geometry = geometry; self.properties = properties
    }
}

/// A GeoJSON FeatureCollection, decoded leniently: unknown geometry types are kept without geometry,
/// non-string properties are turned into text.
public struct FeatureCollection: Decodable, Sendable {
    public var features: [MapFeature]

    /// With every geometry's axes exchanged: northing-first coordinates become easting-first.
    public var swappingAxes: FeatureCollection {
        FeatureCollection(features: features.map { f in
            var f = f
            f.geometry = f.geometry?.swappingAxes
            return f
        })
    }

    enum Keys: String, CodingKey { case features }

    public init(features: [MapFeature]) { self.features = features }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        features = try c.decode([RawFeature].self, forKey: .features).map(\.feature)
    }

    public static func decode(_ data: Data) throws -> FeatureCollection {
        try JSONDecoder().decode(FeatureCollection.self, from: data)
    }
}

extension MapFeature {
    /// One GeoJSON Feature (`/collections/{id}/items/{featureId}`).
    public static func decode(_ data: Data) throws -> MapFeature {
        try JSONDecoder().decode(RawFeature.self, from: data).feature
    }
}

private struct RawFeature: Decodable {
    var feature: MapFeature

    enum Keys: String, CodingKey { case id, geometry, properties }
    enum GeometryKeys: String, CodingKey { case type, coordinates }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let id = (try? c.decode(String.self, forKey: .id))
            ?? (try? c.decode(Int64.self, forKey: .id)).map(String.init) ?? ""
        var properties: [String: String] = [:]
        if let raw = try? c.decode([String: Scalar].self, forKey: .properties) {
            for (k, v) in raw { if let text = v.text { properties[k] = text } }
        }
        var geometry: MapGeometry?
        if (try? c.decodeNil(forKey: .geometry)) == false, c.contains(.geometry) {
            let g = try c.nestedContainer(keyedBy: GeometryKeys.self, forKey: .geometry)
            switch try g.decode(String.self, forKey: .type) {
            case "Point": geometry = .points([Self.point(try g.decode([Double].self, forKey: .coordinates))])
            case "MultiPoint": geometry = .points(try g.decode([[Double]].self, forKey: .coordinates).map(Self.point))
            case "LineString": geometry = .lines([try g.decode([[Double]].self, forKey: .coordinates).map(Self.point)])
            case "MultiLineString": geometry = .lines(try g.decode([[[Double]]].self, forKey: .coordinates).map { $0.map(Self.point) })
            case "Polygon": geometry = .polygons([try g.decode([[[Double]]].self, forKey: .coordinates).map { $0.map(Self.point) }])
            case "MultiPolygon":
                geometry = .polygons(try g.decode([[[[Double]]]].self, forKey: .coordinates).map { $0.map { $0.map(Self.point) } })
            default: geometry = nil
            }
        }
        feature = MapFeature(id: id.isEmpty ? (properties["id"] ?? properties["code"] ?? "") : id,
                             geometry: geometry, properties: properties)
    }

    static func point(_ c: [Double]) -> MapPoint { MapPoint(c.count > 0 ? c[0] : .nan, c.count > 1 ? c[1] : .nan) }
}

/// A JSON property value shown as text (objects and arrays are skipped).
private enum Scalar: Decodable {
    case text(String?)

    var text: String? { if case .text(let t) = self { return t } else { return nil } }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .text(s) }
        else if let i = try? c.decode(Int64.self) { self = .text(String(i)) }
        else if let d = try? c.decode(Double.self) { self = .text(String(d)) }
        else if let b = try? c.decode(Bool.self) { self = .text(String(b)) }
        else { self = .text(nil) }
    }
}
