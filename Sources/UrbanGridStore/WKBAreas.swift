import Foundation
import UrbanGridCore

/// Reads the 2D Polygon and MultiPolygon WKB that SpatiaLite's `ST_AsBinary` writes for the area
/// layers, into the rings an in-memory index tests points against.
enum WKBAreas {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ data: Data) throws -> PlanarArea {
        try data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw)
            let type = try reader.header()
            switch type {
            case 3: return PlanarArea(parts: [try reader.polygonBody()])
            case 6:
                let count = try reader.count()
                var parts: [[[PlanePoint]]] = []
                for _ in 0..<count {
                    guard try reader.header() == 3 else { throw Malformed(description: "a MultiPolygon member is not a Polygon") }
                    parts.append(try reader.polygonBody())
                }
                return PlanarArea(parts: parts)
            default: throw Malformed(description: "WKB type \(type) is not a 2D Polygon or MultiPolygon")
            }
        }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0
        var littleEndian = true

        mutating func header() throws -> UInt32 {
            guard offset < bytes.count else { throw Malformed(description: "WKB ends before a geometry header") }
            littleEndian = bytes[offset] == 1
            offset += 1
            return try uint32()
        }

        mutating func uint32() throws -> UInt32 {
            guard offset + 4 <= bytes.count else { throw Malformed(description: "WKB ends inside a count") }
            let v = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            offset += 4
            return littleEndian ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
        }

        mutating func count() throws -> Int {
            let n = Int(try uint32())
            // Every element takes at least 4 bytes: a larger count is corrupt, not a reason to allocate.
            guard n <= (bytes.count - offset) / 4 else { throw Malformed(description: "WKB count \(n) exceeds the data") }
            return n
        }

        mutating func double() -> Double {
            let bits = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
            return Double(bitPattern: littleEndian ? UInt64(littleEndian: bits) : UInt64(bigEndian: bits))
        }

        mutating func polygonBody() throws -> [[PlanePoint]] {
            var rings: [[PlanePoint]] = []
            for _ in 0..<(try count()) {
                let n = try count()
                guard offset + n * 16 <= bytes.count else { throw Malformed(description: "WKB ends inside a ring") }
                var ring: [PlanePoint] = []
                ring.reserveCapacity(n)
                for _ in 0..<n { ring.append(PlanePoint(double(), double())) }
                rings.append(ring)
            }
            return rings
        }
    }
}
