import CProj
import UrbanGridCore

/// The coordinate reference systems a city serves (OGC API - Features Part 2), with what PROJ says
/// about each: whether its first axis is northing/latitude, whether it is geographic, and how to
/// bring its coordinates into the storage CRS.
public final class CRSRegistry: Sendable {
    /// CRS84 first (the default), then EPSG:4326, EPSG:4490, the storage and the metric CRS.
    public let supported: [OGCCRS]
    public let storage: OGCCRS
    public let metric: OGCCRS
    private let axes: [Int: AxisInfo]
    private let toStorage: [Int: ProjectionPool]

    struct AxisInfo: Sendable { var northFirst: Bool; var geographic: Bool }

    init(profile: CityProfile) throws {
        storage = .epsg(profile.storageSrid)
        metric = .epsg(profile.metricSrid)
        var list: [OGCCRS] = [.crs84]
        for crs in [OGCCRS.epsg(4326), .epsg(4490), storage, metric] where !list.contains(crs) { list.append(crs) }
        supported = list
        var axes: [Int: AxisInfo] = [:], pools: [Int: ProjectionPool] = [:]
        for srid in Set(list.map(\.srid)) {
            axes[srid] = try Self.axisInfo(srid: srid)
            if srid != profile.storageSrid { pools[srid] = try ProjectionPool(from: srid, to: profile.storageSrid) }
        }
        self.axes = axes
        self.toStorage = pools
    }

    public func isSupported(_ crs: OGCCRS) -> Bool { supported.contains(crs) }

    /// True when coordinates in `crs` are written northing/latitude first, so SpatiaLite's
    /// x/y (easting first) must be swapped on the way in and out.
    public func swapsAxes(_ crs: OGCCRS) -> Bool { !crs.isCRS84 && (axes[crs.srid]?.northFirst ?? false) }

    func isGeographic(_ crs: OGCCRS) -> Bool { axes[crs.srid]?.geographic ?? true }

    /// A box given in `crs` (in that CRS's axis order) as a ring in the storage CRS, densified so
    /// that the curved image of a projected box is followed, with the ring's bounding box.
    func storageRing(minA: Double, minB: Double, maxA: Double, maxB: Double, crs: OGCCRS) throws
        -> StorageBox {
        let swap = swapsAxes(crs)
        let (x0, y0, x1, y1) = swap ? (minB, minA, maxB, maxA) : (minA, minB, maxA, maxB)
        if isGeographic(crs), x0 < -180 || x1 > 180 || y0 < -90 || y1 > 90 { throw CRSError.outsideDomain(crs) }
        var ring: [(x: Double, y: Double)]
        if let pool = toStorage[crs.srid] {
            let steps = 16
            var corners: [(Double, Double)] = []
            let edges = [((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1)), ((x0, y1), (x0, y0))]
            for (a, b) in edges {
                for i in 0..<steps {
                    let t = Double(i) / Double(steps)
                    corners.append((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t))
                }
            }
            ring = try pool.with { p in
                try corners.map { c in
                    guard let out = p.forward(c.0, c.1) else { throw CRSError.outsideDomain(crs) }
                    return (out.x, out.y)
                }
            }
        } else {
            ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        }
        ring.append(ring[0])
        let xs = ring.map(\.x), ys = ring.map(\.y)
        return StorageBox(minX: xs.min()!, minY: ys.min()!, maxX: xs.max()!, maxY: ys.max()!,
                          ring: toStorage[crs.srid] == nil ? nil : ring)
    }

    private static func axisInfo(srid: Int) throws -> AxisInfo {
        guard let ctx = proj_context_create() else { throw CRSError.unknown(srid) }
        defer { proj_context_destroy(ctx) }
        guard let crs = proj_create(ctx, "EPSG:\(srid)") else { throw CRSError.unknown(srid) }
        defer { proj_destroy(crs) }
        guard let cs = proj_crs_get_coordinate_system(ctx, crs) else { throw CRSError.unknown(srid) }
        defer { proj_destroy(cs) }
        var direction: UnsafePointer<CChar>?
        guard proj_cs_get_axis_info(ctx, cs, 0, nil, nil, &direction, nil, nil, nil, nil) == 1, let direction else {
            throw CRSError.unknown(srid)
        }
        let first = String(cString: direction).lowercased()
        let type = proj_get_type(crs)
        return AxisInfo(northFirst: first == "north" || first == "south",
                        geographic: type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS)
    }
}

public enum CRSError: Error, CustomStringConvertible, Sendable {
    case unknown(Int)
    case outsideDomain(OGCCRS)
    public var description: String {
        switch self {
        case .unknown(let srid): "PROJ does not know EPSG:\(srid)"
        case .outsideDomain(let crs): "coordinates outside the domain of \(crs.uri)"
        }
    }
}

/// A query box as it lies in the storage CRS: its bounding rectangle, and the densified ring
/// when the box was drawn in another CRS (nil when the rectangle is the box itself).
struct StorageBox: Sendable {
    var minX: Double, minY: Double, maxX: Double, maxY: Double
    var ring: [(x: Double, y: Double)]?
}
