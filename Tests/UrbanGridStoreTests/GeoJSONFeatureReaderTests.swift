import Foundation
import Testing
@testable import UrbanGridStore

@Suite struct GeoJSONFeatureReaderTests {
    /// Features that exercise every kind of value: escapes and surrogate pairs, CJK, numbers of
    /// every form (17-digit ids, exponents, negative zero, integral doubles), nested values,
    /// members in any order or repeated, ids outside the properties, null and odd geometries.
    static let accepted = [
        #"{"type":"Feature","properties":{"id":"99010101037100001","status":"完好","n":12,"d":24.9489387},"geometry":{"type":"Point","coordinates":[24.9489387,60.1775736]}}"#,
        #"{ "geometry" : { "coordinates" : [ 1e2 , -2.5E-3, 7 ] , "type" : "Point" } , "properties" : { "a\"b" : "x\\y\/z\n\t\u00e9\u4e95\ud83d\ude00" } , "type" : "Feature" }"#,
        #"{"type":"Feature","id":99020101001000501,"properties":{"big":99020101001000502,"neg":-0,"frac":3.0,"exp":1.5e3,"huge":1e300,"t":true,"f":false,"z":null,"e":""},"geometry":null}"#,
        #"{"type":"Feature","id":"f-1","properties":{"id":"inner","nested":{"k":[1,{"x":"y"}]},"list":[]},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1.5]]}}"#,
        #"{"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"bbox":[0,0,1,1]}}"#,
        #"{"type":"Feature","properties":{"a":1},"properties":{"b":2},"geometry":{"type":"Point","coordinates":["1","2"]}}"#,
        #"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1]}}"#,
        #"{"type":"Feature","geometry":{"type":7,"coordinates":[1,2]},"extra":[true,null,{"deep":[[[]]]}]}"#,
        #"{}"#,
    ]

    /// Each feature reads the same as through JSONSerialization (nested values and non-point
    /// geometries compared as JSON, since their text is kept as written).
    @Test(arguments: accepted.indices)
    func readsWhatJSONSerializationReads(_ n: Int) throws {
        let text = Self.accepted[n]
        let fast = try #require(read(text))
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let slow = FeatureSources.feature(object, index: 3)
        #expect(fast.index == 3)
        #expect(Set(fast.properties.keys) == Set(slow.properties.keys))
        for (key, value) in slow.properties {
            if case .text(let s) = value, s.first == "{" || s.first == "[" {
                #expect(try json(fast.properties[key]?.text) == json(s), "\(key)")
            } else {
                #expect(fast.properties[key] == value, "\(key)")
            }
        }
        switch (fast.geometry, slow.geometry) {
        case (nil, nil): break
        case (.point(let x1, let y1)?, .point(let x2, let y2)?): #expect(x1 == x2 && y1 == y2)
        case (.geoJSON(let a)?, .geoJSON(let b)?): #expect(try json(a) == json(b))
        default: Issue.record("geometry \(String(describing: fast.geometry)) where JSONSerialization reads \(String(describing: slow.geometry))")
        }
    }

    /// Text that is not strict JSON is not accepted (the caller then lets JSONSerialization judge).
    @Test(arguments: [
        #"{"type":"Feature","properties":{"a":1,},"geometry":null}"#,   // trailing comma
        #"{"type":"Feature","properties":{"a":01},"geometry":null}"#,   // leading zero
        #"{"type":"Feature","properties":{"a":1.},"geometry":null}"#,
        #"{"type":"Feature","properties":{"a":"x\q"},"geometry":null}"#,   // unknown escape
        #"{"type":"Feature","properties":{"a":"\ud83d"},"geometry":null}"#,   // lone surrogate
        "{\"type\":\"Feature\",\"properties\":{\"a\":\"tab\there\"},\"geometry\":null}",   // raw control character
        #"{"type":"Feature","properties":{"a":tru},"geometry":null}"#,
        #"{"type":"Feature","properties":{"a":1}"#,   // unclosed
        #"{"type":"Feature"} {}"#,   // trailing text
        #"["type","Feature"]"#,
    ])
    func rejectsWhatIsNotJSON(_ text: String) {
        #expect(read(text) == nil)
    }

    /// A file with a feature the reader does not accept (JSONSerialization does take a trailing
    /// comma) reads through JSONSerialization, every feature in place.
    @Test func featuresItDoesNotAcceptAreLeftToJSONSerialization() throws {
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("lenient.geojson")
            try Data(#"""
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[1,2]}},
                {"type":"Feature","properties":{"id":"b",},"geometry":{"type":"Point","coordinates":[3,4]}}]}
                """#.utf8).write(to: url)
            #expect(read(#"{"type":"Feature","properties":{"id":"b",},"geometry":null}"#) == nil)
            let features = try FeatureSources.read(url, layer: nil, srid: nil).features
            #expect(features.map(\.properties["id"]) == [.text("a"), .text("b")])
            #expect(features.map(\.index) == [0, 1])
        }
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("broken.geojson")
            try Data(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":01}}]}"#.utf8).write(to: url)
            #expect(throws: SourceError.self) { try FeatureSources.read(url, layer: nil, srid: nil) }
        }
    }

    /// Nesting deeper than any geometry needs is left to JSONSerialization (whose own limit
    /// refuses 100,000 levels) instead of recursing on the import's stack; a file of it is
    /// refused as unreadable, and the import process lives.
    @Test func deepNestingIsLeftToJSONSerialization() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(read(#"{"type":"Feature","properties":{"a":\#(deep)},"geometry":null}"#) == nil)
        let nested = String(repeating: "[", count: 60) + "1" + String(repeating: "]", count: 60)
        #expect(read(#"{"type":"Feature","properties":{"a":\#(nested)},"geometry":null}"#)?.properties["a"] == .text(nested))
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("deep.geojson")
            try Data(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":\#(deep)},"geometry":null}]}"#.utf8).write(to: url)
            #expect(throws: SourceError.self) { try FeatureSources.read(url, layer: nil, srid: nil) }
        }
    }

    @Test func invalidUTF8IsNotAccepted() {
        var bytes = Array(#"{"properties":{"a":"x"}}"#.utf8)
        bytes[20] = 0xFF
        #expect(bytes.withUnsafeBufferPointer { GeoJSONFeatureReader.feature($0, 0..<$0.count, index: 0) } == nil)
    }

    private func read(_ text: String) -> SourceFeature? {
        Array(text.utf8).withUnsafeBufferPointer { GeoJSONFeatureReader.feature($0, 0..<$0.count, index: 3) }
    }

    private func json(_ text: String?) throws -> NSObject? {
        guard let text else { return nil }
        return try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? NSObject
    }
}
