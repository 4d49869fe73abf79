import Foundation
import UrbanGridCore

/// Reads the 2D WKB that SpatiaLite's `ST_AsBinary` writes: (Multi)Polygons into the rings an
/// in-memory index tests points against, (Multi)LineStrings into paths to measure distances to.
enum WKBGeometry {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func area(_ data: Data) throws -> PlanarArea {
        try data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw)
            let type = try reader.header()
            switch type {
            case 3: return PlanarArea(parts: [try reader.polygonBody()])
            case 6: return PlanarArea(parts: try reader.members(of: 3, in: "MultiPolygon") { try $0.polygonBody() })
            default: throw Malformed(description: "WKB type \(type) is not a 2D Polygon or MultiPolygon")
            }
        }
    }

    /// The paths of a LineString or MultiLineString.
    static func lines(_ data: Data) throws -> [[PlanePoint]] {
        try data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw)
            switch try reader.header() {
            case 2: return [try reader.points()]
            case 5: return try reader.members(of: 2, in: "MultiLineString") { try $0.points() }
            case let type: throw Malformed(description: "WKB type \(type) is not a 2D LineString or MultiLineString")
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

        /// The members of a Multi* geometry, each of WKB type `type`.
        mutating func members<T>(of type: UInt32, in collection: String, _ body: (inout Reader) throws -> T) throws -> [T] {
            var out: [T] = []
            for _ in 0..<(try count()) {
                guard try header() == type else { throw Malformed(description: "a \(collection) member is not of WKB type \(type)") }
                out.append(try body(&self))
            }
            return out
        }

        mutating func polygonBody() throws -> [[PlanePoint]] {
            var rings: [[PlanePoint]] = []
            for _ in 0..<(try count()) { rings.append(try points()) }
            return rings
        }

        /// A point count, then the points.
        mutating func points() throws -> [PlanePoint] {
            let n = try count()
            guard offset + n * 16 <= bytes.count else { throw Malformed(description: "WKB ends inside a point list") }
            var points: [PlanePoint] = []
            points.reserveCapacity(n)
            for _ in 0..<n { points.append(PlanePoint(double(), double())) }
            return points
        }
    }
}
