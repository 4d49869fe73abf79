import Foundation
import Testing
import UrbanGridCore

@Suite struct JSONWriterTests {
    @Test func writesSeparatorsAndEscapesByHand() {
        var w = JSONWriter()
        w.object { j in
            j.field("s", "a\"b\\c\nd\te\u{01}中")
            j.field("n", 1.5); j.field("i", -3); j.field("b", false); j.key("none"); j.null()
            j.key("list"); j.array([1, 2, 3]) { j, v in j.number(v) }
            j.key("empty"); j.object { _ in }
            j.field("inf", Double.infinity)
        }
        #expect(String(decoding: w.bytes, as: UTF8.self) ==
                #"{"s":"a\"b\\c\nd\te\u0001中","n":1.5,"i":-3,"b":false,"none":null,"list":[1,2,3],"empty":{},"inf":null}"#)
    }

    @Test(arguments: [0.1, 1e-7, 24.9453, 123456789.123, -0.0, 50, 5e300])
    func numbersReadBackAsTheSameDouble(v: Double) throws {
        var w = JSONWriter()
        w.array([v]) { j, v in j.number(v) }
        let back = try JSONDecoder().decode([Double].self, from: Data(w.bytes))
        #expect(back == [v])
    }

    /// The hand-written answer decodes, with the `Codable` form's keys, to the value written.
    @Test func locateResultRoundTripsThroughTheDecoder() throws {
        let result = LocateResult(
            lon: 24.9453, lat: 60.1699, storageSrid: 4326,
            grid: GridSummary(code: "990101002001003", areaM2: 11980.5),
            community: NamedArea(code: "990101002001", nameZh: "克卢维社区", nameEn: "Kluuvi \"old\" quarter"),
            street: NamedArea(code: "990101002", nameZh: "中心街道", nameEn: "Keskusta\\City"),
            district: NamedArea(code: "990101", nameZh: "示范区", nameEn: "Demo\n"),
            radiusM: 50,
            components: [NearbyComponent(id: "99010102010001161", typeCode: "02010", typeNameZh: "交通标志牌及标线",
                                         typeNameEn: "Traffic signs", name: "标志 001161", status: "完好",
                                         distanceM: 2.66, lon: 24.9452628, lat: 60.1698849)])
        #expect(try JSONDecoder().decode(LocateResult.self, from: Data(result.jsonBytes)) == result)
        let empty = LocateResult(lon: 1, lat: 2, storageSrid: 4490, grid: result.grid, community: result.community,
                                 street: result.street, district: result.district, radiusM: 0, components: [])
        #expect(try JSONDecoder().decode(LocateResult.self, from: Data(empty.jsonBytes)) == empty)
    }
}
