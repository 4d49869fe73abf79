import Foundation
import Testing
@testable import UrbanGridCore

private func point(_ lon: Double, _ lat: Double) -> GeoPoint {
    // Test inputs are literal, valid coordinates.
    try! GeoPoint(lon: lon, lat: lat)
}

/// Largest of the two coordinate differences, in degrees.
private func gap(_ p: GeoPoint, _ lon: Double, _ lat: Double) -> Double {
    max(abs(p.lon - lon), abs(p.lat - lat))
}

private func gap(_ p: GeoPoint, _ q: GeoPoint) -> Double { gap(p, q.lon, q.lat) }

/// Published conversion pairs. Where a pair was computed with the same open formula the tolerance is
/// 1e-9° (float noise only); where it came from a vendor server, was printed rounded, or used a
/// one-step inverse, the tolerance is stated beside it.
@Suite struct PublishedReferencePairs {
    // wandergis/coordtransform, test/app.js ("//result" block), input (116.404, 39.915) for all four.
    @Test func coordtransformReadmeVectors() {
        let input = point(116.404, 39.915)
        #expect(gap(ChinaCoordinates.wgs84ToGCJ02(input), 116.41024449916938, 39.91640428150164) < 1e-9)
        #expect(gap(ChinaCoordinates.gcj02ToBD09(input), 116.41036949371029, 39.92133699351021) < 1e-9)
        // coordtransform's bd09togcj02 is the closed-form inverse, which our iterated inverse refines by
        // a few 1e-7°; tolerance 1e-6°. The refined value must map forward onto the input exactly.
        let gcj = ChinaCoordinates.bd09ToGCJ02(input)
        #expect(gap(gcj, 116.39762729119315, 39.90865673957631) < 1e-6)
        #expect(gap(ChinaCoordinates.gcj02ToBD09(gcj), input) < 1e-9)
    }

    // coordtransform's gcj02towgs84(116.404, 39.915) = (116.39775550083061, 39.91359571849836) is the
    // one-step approximation. Our iterated inverse must land closer: its forward image hits the input
    // within 1e-9°, while the one-step value's forward image misses by more than 1e-7°.
    @Test func iteratedInverseBeatsOneStepApproximation() {
        let gcj = point(116.404, 39.915)
        let oneStep = point(116.39775550083061, 39.91359571849836)
        let ours = ChinaCoordinates.gcj02ToWGS84(gcj)
        #expect(gap(ChinaCoordinates.wgs84ToGCJ02(ours), gcj) < 1e-9)
        #expect(gap(ChinaCoordinates.wgs84ToGCJ02(oneStep), gcj) > 1e-7)
        #expect(gap(ours, oneStep) < 1e-5)  // both are the same point to about a metre
    }

    // googollee/eviltransform, go/transform_test.go: (wgsLat, wgsLng, gcjLat, gcjLng) for Shanghai,
    // Shenzhen and Beijing. Forward within 1e-9°; the exact inverse recovers WGS84 within 1e-7°.
    @Test(arguments: [
        (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
        (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
        (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
    ])
    func evilTransformVectors(wgsLon: Double, wgsLat: Double, gcjLon: Double, gcjLat: Double) {
        #expect(gap(ChinaCoordinates.wgs84ToGCJ02(point(wgsLon, wgsLat)), gcjLon, gcjLat) < 1e-9)
        #expect(gap(ChinaCoordinates.gcj02ToWGS84(point(gcjLon, gcjLat)), wgsLon, wgsLat) < 1e-7)
        #expect(gap(ChinaCoordinates.normalized(point(gcjLon, gcjLat), from: .gcj02), wgsLon, wgsLat) < 1e-7)
    }

    // hujiulong/gcoord, test/unit/crs/GCJ02.spec.js, GCJ-02 (123, 45):
    // → WGS84 (122.99395597, 44.99804071); gcoord itself stops iterating at 1e-6°, so tolerance 1e-6°.
    // → BD-09 (123.00636499, 45.00636899), printed truncated to 8 decimals, so tolerance 2e-8°.
    @Test func gcoordVectors() {
        let gcj = point(123, 45)
        #expect(gap(ChinaCoordinates.gcj02ToWGS84(gcj), 122.99395597, 44.99804071) < 1e-6)
        #expect(gap(ChinaCoordinates.gcj02ToBD09(gcj), 123.00636499, 45.00636899) < 2e-8)
    }

    // AMap Web Service 坐标转换 documentation example (lbs.amap.com/api/webservice/guide/api/convert,
    // mirrored by the apifox AMap API doc): coordsys=gps 116.481499,39.990475 → 116.487585177952,39.991754014757.
    // That is AMap's production server, not the open formula; they agree within 4e-7°, tolerance 1e-6°.
    @Test func amapConvertExample() {
        let gcj = ChinaCoordinates.wgs84ToGCJ02(point(116.481499, 39.990475))
        #expect(gap(gcj, 116.487585177952, 39.991754014757) < 1e-6)
    }

    // Alibaba Cloud 地址标准化 TransferCoord documentation example (help.aliyun.com, "coordinate-system-
    // conversion"): GCJ02 120.026268,30.279164 → BD09 120.032768,30.285238, printed to 6 decimals;
    // tolerance 1e-6°. (Its WGS84 output there is the one-step approximation, so it is not used.)
    @Test func aliyunTransferCoordExample() {
        let bd = ChinaCoordinates.gcj02ToBD09(point(120.026268, 30.279164))
        #expect(gap(bd, 120.032768, 30.285238) < 1e-6)
    }
}

@Suite struct CoordinateRoundTrips {
    /// City centres spread over the bounding box: Beijing, Shanghai, Guangzhou, Urumqi, Harbin, Lhasa,
    /// Sanya, Kashgar (far west) and Fuyuan (far east).
    static let chinesePoints: [(Double, Double)] = [
        (116.3975, 39.9087), (121.4737, 31.2304), (113.2644, 23.1291), (87.6168, 43.8256),
        (126.5350, 45.8038), (91.1409, 29.6456), (109.5119, 18.2528), (75.9891, 39.4677),
        (134.2890, 48.3640),
    ]

    @Test(arguments: chinesePoints)
    func wgsToGCJAndBack(lon: Double, lat: Double) {
        let wgs = point(lon, lat)
        let gcj = ChinaCoordinates.wgs84ToGCJ02(wgs)
        // The offset is hundreds of metres, so an identity implementation cannot pass.
        #expect(gap(gcj, wgs) > 1e-4)
        #expect(gap(ChinaCoordinates.gcj02ToWGS84(gcj), wgs) < 1e-7)
    }

    @Test(arguments: chinesePoints)
    func wgsToBDAndBack(lon: Double, lat: Double) {
        let wgs = point(lon, lat)
        let bd = ChinaCoordinates.wgs84ToBD09(wgs)
        #expect(gap(bd, wgs) > 1e-3)  // BD-09 adds ~0.006° on top of GCJ-02
        #expect(gap(ChinaCoordinates.bd09ToWGS84(bd), wgs) < 1e-7)
        #expect(gap(ChinaCoordinates.normalized(bd, from: .bd09), wgs) < 1e-7)
        #expect(gap(ChinaCoordinates.bd09ToGCJ02(ChinaCoordinates.gcj02ToBD09(wgs)), wgs) < 1e-7)
        #expect(gap(ChinaCoordinates.normalized(ChinaCoordinates.denormalized(wgs, to: .gcj02), from: .gcj02), wgs) < 1e-7)
    }

    @Test func identityOutsideChina() {
        let helsinki = point(24.94, 60.17)
        #expect(!ChinaCoordinates.isInsideChinaBBox(helsinki))
        #expect(ChinaCoordinates.wgs84ToGCJ02(helsinki) == helsinki)
        #expect(ChinaCoordinates.gcj02ToWGS84(helsinki) == helsinki)
        #expect(ChinaCoordinates.gcj02ToBD09(helsinki) == helsinki)
        #expect(ChinaCoordinates.bd09ToGCJ02(helsinki) == helsinki)
        #expect(ChinaCoordinates.wgs84ToBD09(helsinki) == helsinki)
        #expect(ChinaCoordinates.bd09ToWGS84(helsinki) == helsinki)
        for crs in SourceCRS.allCases {
            #expect(ChinaCoordinates.normalized(helsinki, from: crs) == helsinki)
            #expect(ChinaCoordinates.denormalized(helsinki, to: crs) == helsinki)
        }
        // Just outside each edge of the box.
        for outside in [point(72.0039, 30), point(137.8348, 30), point(100, 0.8292), point(100, 55.8272)] {
            #expect(ChinaCoordinates.wgs84ToGCJ02(outside) == outside)
        }
    }

    @Test func wgs84AndCGCS2000AreNotShifted() {
        let p = point(120.15507, 30.27415)
        #expect(ChinaCoordinates.normalized(p, from: .wgs84) == p)
        #expect(ChinaCoordinates.normalized(p, from: .cgcs2000) == p)
    }
}

@Suite struct SourceCRSParsing {
    @Test(arguments: [
        ("wgs84", SourceCRS.wgs84), ("WGS84", .wgs84), ("WGS-84", .wgs84), ("gps", .wgs84), ("GPS", .wgs84),
        ("epsg:4326", .wgs84), ("EPSG:4326", .wgs84), ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", .wgs84),
        ("urn:ogc:def:crs:EPSG::4326", .wgs84),
        ("cgcs2000", .cgcs2000), ("CGCS2000", .cgcs2000), ("epsg:4490", .cgcs2000),
        ("http://www.opengis.net/def/crs/EPSG/0/4490", .cgcs2000),
        ("gcj02", .gcj02), ("GCJ-02", .gcj02), ("gcj_02", .gcj02), ("amap", .gcj02), ("AMap", .gcj02),
        ("bd09", .bd09), ("BD-09", .bd09), ("baidu", .bd09), ("bd09ll", .bd09), (" baidu ", .bd09),
    ])
    func aliases(name: String, crs: SourceCRS) {
        #expect(SourceCRS(name: name) == crs)
    }

    @Test(arguments: ["", "bd09mc", "epsg:3857", "epsg:4547", "utm", "wgs"])
    func unknownNames(name: String) {
        #expect(SourceCRS(name: name) == nil)
    }

    @Test func codableUsesCanonicalNamesButAcceptsAliases() throws {
        #expect(String(decoding: try JSONEncoder().encode([SourceCRS.gcj02]), as: UTF8.self) == #"["gcj02"]"#)
        #expect(try JSONDecoder().decode([SourceCRS].self, from: Data(#"["GPS","amap","BD-09"]"#.utf8)) == [.wgs84, .gcj02, .bd09])
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode([SourceCRS].self, from: Data(#"["mercator"]"#.utf8))
        }
    }
}

@Suite struct GeoPointValidation {
    private func failingField(_ lon: Double, _ lat: Double) -> CoordinateError.Field? {
        do {
            _ = try GeoPoint(lon: lon, lat: lat)
            return nil
        } catch {
            return error.field
        }
    }

    @Test func acceptsTheWholeGlobe() {
        #expect(failingField(180, 90) == nil)
        #expect(failingField(-180, -90) == nil)
        #expect(failingField(0, 0) == nil)
    }

    @Test func namesTheBadField() {
        #expect(failingField(180.000001, 0) == .lon)
        #expect(failingField(-181, 0) == .lon)
        #expect(failingField(.nan, 0) == .lon)
        #expect(failingField(.infinity, 0) == .lon)
        #expect(failingField(0, 90.5) == .lat)
        #expect(failingField(0, -91) == .lat)
        #expect(failingField(0, .nan) == .lat)
        #expect(failingField(0, -.infinity) == .lat)
        #expect(failingField(200, 100) == .lon)  // lon is checked first
    }

    @Test func jsonRoundTripAndValidation() throws {
        let p = point(116.404, 39.915)
        let data = try JSONEncoder().encode(p)
        #expect(try JSONDecoder().decode(GeoPoint.self, from: data) == p)
        do {
            _ = try JSONDecoder().decode(GeoPoint.self, from: Data(#"{"lon":116.4,"lat":95}"#.utf8))
            Issue.record("decoded an invalid latitude")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.codingPath.last?.stringValue == "lat")
        }
    }
}
