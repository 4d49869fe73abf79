import CProj
import Synchronization

/// A PROJ transformation between two EPSG CRSs, in lon/lat (x = easting) order.
///
/// PROJ objects are not thread-safe: one instance is used by one thread at a time, which
/// `ProjectionPool` guarantees by lending instances out.
final class Projection: @unchecked Sendable {
    private let context: OpaquePointer
    private let transform: OpaquePointer
    let fromSrid: Int, toSrid: Int

    init(from: Int, to: Int) throws {
        guard let ctx = proj_context_create() else { throw ProjectionError.unavailable(from, to) }
        guard let raw = proj_create_crs_to_crs(ctx, "EPSG:\(from)", "EPSG:\(to)", nil) else {
            proj_context_destroy(ctx); throw ProjectionError.unavailable(from, to)
        }
        // EPSG:4490/4326 are latitude-first in PROJ; SpatiaLite and GeoJSON are lon/lat.
        guard let norm = proj_normalize_for_visualization(ctx, raw) else {
            proj_destroy(raw); proj_context_destroy(ctx); throw ProjectionError.unavailable(from, to)
        }
        proj_destroy(raw)
        context = ctx; transform = norm; fromSrid = from; toSrid = to
    }

    deinit {
        proj_destroy(transform)
        proj_context_destroy(context)
    }

    /// Transforms one point; nil when PROJ cannot (outside the CRS's domain, NaN).
    func forward(_ x: Double, _ y: Double) -> (x: Double, y: Double)? { run(x, y, PJ_FWD) }
    func inverse(_ x: Double, _ y: Double) -> (x: Double, y: Double)? { run(x, y, PJ_INV) }

    private func run(_ x: Double, _ y: Double, _ direction: PJ_DIRECTION) -> (x: Double, y: Double)? {
        guard x.isFinite, y.isFinite else { return nil }
        let out = proj_trans(transform, direction, proj_coord(x, y, 0, 0))
        let (ox, oy) = (out.xy.x, out.xy.y)
        guard ox.isFinite, oy.isFinite, ox != .infinity else { proj_errno_reset(transform); return nil }
        return (ox, oy)
    }
}

enum ProjectionError: Error, CustomStringConvertible {
    case unavailable(Int, Int)
    var description: String {
        switch self { case .unavailable(let a, let b): "PROJ cannot transform EPSG:\(a) → EPSG:\(b)" }
    }
}

/// A small pool of `Projection`s for one CRS pair, shared by concurrent requests.
final class ProjectionPool: Sendable {
    private let idle: Mutex<[Projection]> = Mutex([])
    let fromSrid: Int, toSrid: Int

    init(from: Int, to: Int) throws {
        fromSrid = from; toSrid = to
        let first = try Projection(from: from, to: to)   // fail early on an unknown CRS
        idle.withLock { $0.append(first) }
    }

    func with<T>(_ body: (Projection) throws -> T) throws -> T {
        let lent = try idle.withLock { $0.popLast() } ?? Projection(from: fromSrid, to: toSrid)
        defer { idle.withLock { $0.append(lent) } }
        return try body(lent)
    }
}
