import Foundation
import Testing
@testable import UrbanGridStore

@Suite struct GeoJSONSplitTests {
    /// Strings holding brackets, braces, commas and escaped quotes; a nested "features" key; members
    /// before and after the array; white space everywhere.
    static let tricky = #"""
        { "type" : "FeatureCollection", "name": "a \"features\" [x]",
          "features" : [
            {"type":"Feature","properties":{"name":"{[,]}\\\"","features":[1,2]},"geometry":{"type":"Point","coordinates":[1,2]}} ,
            {"type":"Feature","properties":{"id":7},"geometry":null}
           ,{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}
          ] ,
          "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}} }
        """#

    @Test func featuresAndRootMatchTheWholeDocumentParse() throws {
        let data = Data(Self.tricky.utf8)
        let split = try #require(GeoJSONSplit(data))
        #expect(split.features.count == 3)
        let whole = try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
        let parts = try #require(try JSONSerialization.jsonObject(with: split.chunk(data, 0..<3)) as? NSArray)
        #expect(parts == whole["features"] as? NSArray)
        let one = try #require(try JSONSerialization.jsonObject(with: split.chunk(data, 1..<2)) as? NSArray)
        #expect(one == [(whole["features"] as? NSArray)?[1]] as NSArray)
        let root = try #require(try JSONSerialization.jsonObject(with: split.root) as? NSDictionary)
        #expect(root["features"] as? NSArray == [] && root["crs"] as? NSDictionary == whole["crs"] as? NSDictionary)
        #expect(root["name"] as? String == #"a "features" [x]"#)
    }

    @Test func whatItCannotFollowIsLeftToTheParser() {
        #expect(GeoJSONSplit(Data(#"{"type":"FeatureCollection","features":{}}"#.utf8)) == nil)   // not an array
        #expect(GeoJSONSplit(Data(#"{"type":"FeatureCollection","features":[{"a":"unterminated}]}"#.utf8)) == nil)
        #expect(GeoJSONSplit(Data(#"{"type":"FeatureCollection"}"#.utf8)) == nil)
    }

    /// A file above the parallel threshold imports through the split path with every feature.
    @Test func largeFileReadsEveryFeatureInOrder() throws {
        try withTemporaryDirectory { dir in
            let n = 45_000
            var text = #"{"type":"FeatureCollection","features":["#
            for i in 0..<n {
                if i > 0 { text += "," }
                text += #"{"type":"Feature","properties":{"id":"f\#(i)","note":"padding padding padding padding padding padding padding padding padding padding"},"geometry":{"type":"Point","coordinates":[\#(Double(i) / 1000),1.5]}}"#
            }
            text += "]}"
            let url = dir.appendingPathComponent("large.geojson")
            try Data(text.utf8).write(to: url)
            #expect(text.utf8.count >= FeatureSources.parallelParseBytes)
            let read = try FeatureSources.read(url, layer: nil, srid: nil)
            #expect(read.features.count == n && read.srid == 4326)
            #expect(read.features.enumerated().allSatisfy { i, f in f.index == i && f.properties["id"] == .text("f\(i)") })
            if case .point(let x, _) = read.features[n - 1].geometry { #expect(x == Double(n - 1) / 1000) } else { Issue.record("no point") }
        }
    }
}
