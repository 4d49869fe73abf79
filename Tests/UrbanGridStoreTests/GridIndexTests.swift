import Foundation
import GRDB
import Testing
import UrbanGridCore
@testable import UrbanGridStore

@Suite struct GridIndexTests {
    /// WKB written by SpatiaLite itself, read back ring by ring.
    @Test func wkbFromSpatiaLiteReadsBackEveryRing() throws {
        try withStore(layers: [.district]) { store, _ in
            let wkb = try store.pool.read { db in
                try #require(try Data.fetchOne(db, sql: """
                    SELECT ST_AsBinary(GeomFromText('MULTIPOLYGON(((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4)), ((20 0, 30 0, 20 10, 20 0)))', 4490))
                    """))
            }
            let area = try WKBGeometry.area(wkb)
            #expect(area.parts.count == 2)
            #expect(area.parts[0].count == 2 && area.parts[1].count == 1)
            #expect(area.parts[0][1] == [PlanePoint(4, 4), PlanePoint(6, 4), PlanePoint(6, 6), PlanePoint(4, 6), PlanePoint(4, 4)])
            #expect(area.parts[1][0] == [PlanePoint(20, 0), PlanePoint(30, 0), PlanePoint(20, 10), PlanePoint(20, 0)])
            #expect(!area.covers(x: 5, y: 5) && area.covers(x: 1, y: 1))
        }
    }

    @Test func truncatedOrForeignWKBIsRefused() throws {
        let point = Data([1, 1, 0, 0, 0] + [UInt8](repeating: 0, count: 16))
        #expect(throws: WKBGeometry.Malformed.self) { try WKBGeometry.area(point) }
        let hugeCount = Data([1, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f])
        #expect(throws: WKBGeometry.Malformed.self) { try WKBGeometry.area(hugeCount) }
        #expect(throws: WKBGeometry.Malformed.self) { try WKBGeometry.area(Data()) }
    }

    /// The index is a cache: grids replaced through another handle (as `urbangrid import` does
    /// from its own process) are what the next look-up answers.
    @Test func gridsReplacedElsewhereAreSeenByTheNextLookUp() throws {
        let layers: [LayerKind] = [.district, .street, .community, .grid]
        try withStore(layers: layers) { store, dir in
            let grids = try GeoJSONFile.areas(Fixtures.testcity.appendingPathComponent("grids.geojson"))
            let probe = try #require(grids.first).vertexCentroid
            let before = try #require(try store.locate(lon: probe.x, lat: probe.y, radiusM: 0, typeCode: nil, limit: 1))
            #expect(before.grid.code == grids[0]["code"])

            // The same shapes, with every grid's sequence number n renumbered 900 + n.
            let source = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.testcity.appendingPathComponent("grids.geojson"))) as? [String: Any]
            let renumbered = try #require(source?["features"] as? [[String: Any]]).map { feature -> [String: Any] in
                var f = feature, p = feature["properties"] as? [String: Any] ?? [:]
                let code = p["code"] as? String ?? ""
                p["code"] = String(code.prefix(12)) + String(900 + Int(code.suffix(3))!)
                f["properties"] = p
                return f
            }
            let file = dir.appendingPathComponent("renumbered.geojson")
            try FixtureFiles.writeGeoJSON(raw: renumbered, to: file)
            let other = try CityStore.open(path: store.path)
            _ = try other.importLayer(.grid, from: file, options: ImportOptions(replace: true))

            let after = try #require(try store.locate(lon: probe.x, lat: probe.y, radiusM: 0, typeCode: nil, limit: 1))
            #expect(after.grid.code == String(before.grid.code.prefix(12)) + String(900 + Int(before.grid.code.suffix(3))!))
            #expect(after.community == before.community)
        }
    }
}

@Suite struct WKBLineTests {
    @Test func multiLineStringFromSpatiaLiteReadsBackEveryPath() throws {
        try withStore(layers: [.district]) { store, _ in
            let wkb = try store.pool.read { db in
                try #require(try Data.fetchOne(db, sql: "SELECT ST_AsBinary(GeomFromText('MULTILINESTRING((0 0, 1 1), (2 2, 3 3, 4 5))', 4490))"))
            }
            #expect(try WKBGeometry.lines(wkb) == [[PlanePoint(0, 0), PlanePoint(1, 1)],
                                                   [PlanePoint(2, 2), PlanePoint(3, 3), PlanePoint(4, 5)]])
            let polygon = try store.pool.read { db in
                try #require(try Data.fetchOne(db, sql: "SELECT ST_AsBinary(GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))', 4490))"))
            }
            #expect(throws: WKBGeometry.Malformed.self) { try WKBGeometry.lines(polygon) }
        }
    }
}

/// Reverse geocoding in memory answers what SpatiaLite answers by measuring every door plate and
/// road (transformed to the metric CRS) from the point, for points everywhere in and around the
/// test city; equally near ones may differ only in name.
@Suite struct GeocodeIndexTests {
    @Test func nearestPlateAndRoadEqualSpatiaLitesBruteForce() throws {
        try withStore { store, _ in
            var rng = SplitMix64(seed: 7)
            let e = store.profile.extent, srid = store.profile.metricSrid
            var plates = 0, roads = 0
            try store.pool.read { db in
                let index = try store.geocoder.index(db)
                for _ in 0..<400 {
                    let lon = e[0] - 0.001 + Double.random(in: 0...1, using: &rng) * (e[2] - e[0] + 0.002)
                    let lat = e[1] - 0.001 + Double.random(in: 0...1, using: &rng) * (e[3] - e[1] + 0.002)
                    let m = try #require(try store.toMetric.with { $0.forward(lon, lat) })
                    func oracle(_ table: String, _ text: String) throws -> (String, Double)? {
                        try Row.fetchOne(db, sql: """
                            SELECT \(text), ST_Distance(ST_Transform(geom, \(srid)), MakePoint(?, ?, \(srid))) AS d
                            FROM \(table) WHERE \(text) IS NOT NULL AND d <= 100 ORDER BY d, fid LIMIT 1
                            """, arguments: [m.x, m.y]).map { ($0[0], $0[1]) }
                    }
                    let plate = index.nearestPlate(x: m.x, y: m.y, radius: 100), road = index.nearestRoad(x: m.x, y: m.y, radius: 100)
                    let wantPlate = try oracle("address", "street || ' ' || housenumber"), wantRoad = try oracle("road", "name")
                    #expect((plate == nil) == (wantPlate == nil), "(\(lon), \(lat))")
                    #expect((road == nil) == (wantRoad == nil), "(\(lon), \(lat))")
                    if let plate, let wantPlate {
                        plates += 1
                        #expect(abs(plate.d - wantPlate.1) < 1e-6 && (plate.text == wantPlate.0 || abs(plate.d - wantPlate.1) < 1e-9))
                    }
                    if let road, let wantRoad {
                        roads += 1
                        #expect(abs(road.d - wantRoad.1) < 1e-6, "\(road) vs \(wantRoad) at (\(lon), \(lat))")
                    }
                    let got = index.geocode(x: m.x, y: m.y, radius: 100)
                    #expect(got?.doorPlate == plate?.text && got?.road == road?.name)
                }
            }
            #expect(plates > 50 && roads > 50, "the points met plates and roads (\(plates), \(roads))")
        }
    }
}
