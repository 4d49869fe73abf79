import Foundation
import Testing
import UrbanGridCore
import UrbanGridStore

@Suite struct LocateTests {
    static func file(_ name: String) -> URL { Fixtures.testcity.appendingPathComponent("\(name).geojson") }

    @Test func gridCentresLocateToTheirGridAndAreas() throws {
        let grids = try GeoJSONFile.areas(Self.file("grids"))
        let communities = try GeoJSONFile.areas(Self.file("communities"))
        let streets = try GeoJSONFile.areas(Self.file("streets"))
        let district = try #require(try GeoJSONFile.areas(Self.file("district")).first)
        try withStore { store, _ in
            for grid in grids {
                let centre = grid.vertexCentroid
                let code = try #require(grid["code"])
                let result = try #require(try store.locate(lon: centre.x, lat: centre.y, radiusM: 50, typeCode: nil, limit: 10),
                                          "centre of \(code) located nowhere")
                #expect(result.grid.code == code)
                #expect(abs(result.grid.areaM2 - 10_000) <= 0.5)
                let community = try #require(communities.first { $0["code"] == grid["community_code"] })
                #expect(result.community == NamedArea(code: community["code"] ?? "", nameZh: community["name_zh"] ?? "",
                                                      nameEn: community["name_en"] ?? ""))
                let street = try #require(streets.first { $0["code"] == community["street_code"] })
                #expect(result.street == NamedArea(code: street["code"] ?? "", nameZh: street["name_zh"] ?? "",
                                                   nameEn: street["name_en"] ?? ""))
                #expect(result.district == NamedArea(code: district["code"] ?? "", nameZh: district["name_zh"] ?? "",
                                                     nameEn: district["name_en"] ?? ""))
                #expect(result.storageSrid == 4490)
                #expect(result.lon == centre.x && result.lat == centre.y)
            }
        }
    }

    /// Distances computed here: both points through the independent Gauss-Krüger projection (EPSG:4544).
    private func expectedNearby(_ p: Point2, radius: Double, type: String? = nil) throws -> [(id: String, distance: Double)] {
        try GeoJSONFile.points(Self.file("components"))
            .filter { type == nil || $0.properties["type_code"] == type }
            .map { (id: $0.properties["id"] ?? "", distance: TransverseMercator.epsg4544.distance(p, $0.point)) }
            .filter { $0.distance <= radius }
            .sorted { ($0.distance, $0.id) < ($1.distance, $1.id) }
    }

    @Test(arguments: [
        // The crossing of 人民路 and 建设路, the south-east corner of grid 990201001001001 (four components
        // within 60 m, then two at 70 m).
        (104.3887508, 31.1268589, 65.0),
        // Inside grid 990201001002003, near the east end of 人民路.
        (104.3903, 31.1266, 50.0),
        // Near the north-west corner of the city: three components at about 97–104 m, none within 25 m.
        (104.38771, 31.12774, 110.0),
        (104.38771, 31.12774, 25.0),
    ])
    func nearbyComponentsAreSortedWithHandCheckedDistances(lon: Double, lat: Double, radius: Double) throws {
        let p = Point2(lon, lat)
        let expected = try expectedNearby(p, radius: radius)
        let hand = Dictionary(uniqueKeysWithValues: try expectedNearby(p, radius: 10_000).map { ($0.id, $0.distance) })
        #expect(hand.count == 10)
        // No component so close to the radius that rounding could decide.
        #expect(hand.values.allSatisfy { abs($0 - radius) > 1 }, "a component lies within 1 m of the radius: \(hand)")
        try withStore { store, _ in
            let result = try #require(try store.locate(lon: lon, lat: lat, radiusM: radius, typeCode: nil, limit: 100))
            #expect(result.radiusM == radius)
            #expect(Set(result.components.map(\.id)) == Set(expected.map(\.id)))
            #expect(result.components.count == expected.count)
            for got in result.components {
                let want = try #require(hand[got.id])
                #expect(abs(got.distanceM - want) < 0.5, "\(got.id): \(got.distanceM) m, by hand \(want) m")
            }
            // Nearest first, by the store's distances and by the hand ones (ties of a few cm may go either way).
            let distances = result.components.map(\.distanceM)
            #expect(distances == distances.sorted())
            for (a, b) in zip(result.components, result.components.dropFirst()) {
                #expect((hand[a.id] ?? .infinity) <= (hand[b.id] ?? -.infinity) + 0.05, "\(a.id) before \(b.id)")
            }
        }
    }

    @Test func nearbyComponentsHonourTypeAndLimit() throws {
        let p = Point2(104.3887508, 31.1268589)
        let lamps = try expectedNearby(p, radius: 300, type: "01037")
        #expect(lamps.count == 3)   // gis-data/testcity: three 路灯
        let everything = try expectedNearby(p, radius: 300)
        #expect(everything.count == 10)
        try withStore { store, _ in
            let typed = try #require(try store.locate(lon: p.x, lat: p.y, radiusM: 300, typeCode: "01037", limit: 10))
            #expect(typed.components.map(\.id) == lamps.map(\.id))
            #expect(typed.components.allSatisfy { $0.typeCode == "01037" && $0.typeNameZh == "路灯" })
            let limited = try #require(try store.locate(lon: p.x, lat: p.y, radiusM: 300, typeCode: nil, limit: 4))
            #expect(limited.components.map(\.id) == everything.prefix(4).map(\.id))
            let none = try #require(try store.locate(lon: p.x, lat: p.y, radiusM: 0, typeCode: nil, limit: 10))
            #expect(none.components.isEmpty)
            #expect(none.grid.code == "990201001001001")   // on a corner, the lowest code of the four
        }
    }

    @Test func pointsInNoGridLocateToNil() throws {
        let grids = try GeoJSONFile.areas(Self.file("grids"))
        let profile = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.testcity.appendingPathComponent("city.json")))
        let extent = try #require((profile as? [String: Any])?["extent"] as? [Double])
        // West of the city; and inside the extent's box but west of the slightly slanting west edge
        // (the edge runs from 104.3876966 in the north to 104.3877082 in the south).
        let outside = [Point2(104.3860, 31.1268), Point2(104.3877000, 31.1259600), Point2(104.3950, 31.1300)]
        let inBox = outside[1]
        #expect(inBox.x >= extent[0] && inBox.x <= extent[2] && inBox.y >= extent[1] && inBox.y <= extent[3])
        try withStore { store, _ in
            for p in outside {
                #expect(areasContaining(p, in: grids).isEmpty)
                let result = try store.locate(lon: p.x, lat: p.y, radiusM: 50, typeCode: nil, limit: 10)
                #expect(result == nil, "\(p)")
            }
        }
    }
}
