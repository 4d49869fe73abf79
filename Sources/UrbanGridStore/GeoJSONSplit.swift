import Foundation

/// One byte scan of a GeoJSON FeatureCollection that finds its `features` array and where each
/// feature starts and ends, so the features can be parsed in parallel (a 1,000,000-feature file
/// spends most of its import time in `JSONSerialization` otherwise). The scan only tracks strings
/// and nesting; whatever it cannot follow it leaves to the whole-document parser (nil).
struct GeoJSONSplit {
    /// The document with the features array emptied (`"features": []`): its other members.
    var root: Data
    /// The byte ranges of the features, in order.
    var features: [Range<Int>]

    init?(_ data: Data) {
        var ranges: [Range<Int>] = []
        var arrayRange: Range<Int>?
        let found: Bool = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let b = raw.bindMemory(to: UInt8.self)
            let n = b.count
            var i = 0, depth = 0
            var lastKeyAtDepth1: Range<Int>? = nil
            var inFeatures = false, elementStart = -1
            func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    let start = i
                    i += 1
                    while i < n, b[i] != UInt8(ascii: "\"") { i += b[i] == UInt8(ascii: "\\") ? 2 : 1 }
                    guard i < n else { return false }
                    if depth == 1 { lastKeyAtDepth1 = start + 1..<i }
                    if inFeatures, depth == 2, elementStart < 0 { elementStart = start }
                    i += 1
                    continue
                }
                switch c {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    if inFeatures, depth == 2, elementStart < 0 { elementStart = i }
                    if depth == 1, c == UInt8(ascii: "["), let key = lastKeyAtDepth1,
                       key.count == 8, memcmp(b.baseAddress! + key.lowerBound, "features", 8) == 0, arrayRange == nil {
                        inFeatures = true
                        arrayRange = i..<i
                    }
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if inFeatures, depth == 1 {   // the features array closes
                        if elementStart >= 0 { ranges.append(elementStart..<Self.trimmedEnd(b, i)) }
                        inFeatures = false
                        arrayRange = arrayRange!.lowerBound..<(i + 1)
                        lastKeyAtDepth1 = nil
                    }
                    guard depth >= 0 else { return false }
                case UInt8(ascii: ","):
                    if inFeatures, depth == 2 {
                        guard elementStart >= 0 else { return false }
                        ranges.append(elementStart..<Self.trimmedEnd(b, i))
                        elementStart = -1
                    }
                    if depth == 1 { lastKeyAtDepth1 = nil }
                default:
                    if inFeatures, depth == 2, elementStart < 0, !isSpace(c) { elementStart = i }
                }
                i += 1
            }
            return depth == 0 && arrayRange.map { !$0.isEmpty } == true
        }
        guard found, let array = arrayRange else { return nil }
        var root = Data(data[data.startIndex..<data.startIndex + array.lowerBound])
        root.append(contentsOf: Array("[]".utf8))
        root.append(data[(data.startIndex + array.upperBound)...])
        self.root = root
        self.features = ranges
    }

    /// `end` moved back over white space.
    private static func trimmedEnd(_ b: UnsafeBufferPointer<UInt8>, _ end: Int) -> Int {
        var e = end
        while e > 0, b[e - 1] == 0x20 || b[e - 1] == 0x09 || b[e - 1] == 0x0A || b[e - 1] == 0x0D { e -= 1 }
        return e
    }

    /// Features `range` of the array as one JSON array text.
    func chunk(_ data: Data, _ range: Range<Int>) -> Data {
        var out = Data([UInt8(ascii: "[")])
        out.append(data[(data.startIndex + features[range.lowerBound].lowerBound)..<(data.startIndex + features[range.upperBound - 1].upperBound)])
        out.append(UInt8(ascii: "]"))
        return out
    }
}
