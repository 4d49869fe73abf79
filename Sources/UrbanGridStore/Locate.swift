import GRDB
import UrbanGridCore

extension CityStore {
    /// The unit grid, community, street and district of a storage-CRS point, and the components
    /// within `radiusM` metres (nearest first, optionally of one type), from the in-memory
    /// `GridIndex` and `ComponentIndex`: while they are current the only database read is the base
    /// version, on the probe's own connection. Returns nil when the point lies in no grid (outside
    /// the city).
    public func locate(lon: Double, lat: Double, radiusM: Double, typeCode: String?, limit: Int) throws -> LocateResult? {
        guard let metric = try toMetric.with({ $0.forward(lon, lat) }) else { return nil }
        let version = try baseVersionProbe.read()
        let indexes = try grids.cached(version).flatMap { g in components.cached(version).map { (g, $0) } }
            ?? pool.unsafeRead { db in (try grids.index(db, version: version), try components.index(db, version: version)) }
        guard let hit = indexes.0.grid(x: lon, y: lat) else { return nil }
        return LocateResult(
            lon: lon, lat: lat, storageSrid: profile.storageSrid,
            grid: GridSummary(code: hit.code, areaM2: hit.areaM2),
            community: NamedArea(code: hit.communityCode, nameZh: hit.communityZh, nameEn: hit.communityEn),
            street: NamedArea(code: hit.streetCode, nameZh: hit.streetZh, nameEn: hit.streetEn),
            district: NamedArea(code: hit.districtCode, nameZh: hit.districtZh, nameEn: hit.districtEn),
            radiusM: radiusM,
            components: indexes.1.nearest(x: metric.x, y: metric.y, radius: radiusM, type: typeCode, limit: limit))
    }

    /// Whether a component type code exists in the catalogue.
    public func componentTypeExists(_ code: String) throws -> Bool {
        guard code.utf8.count == 5 else { return false }   // a CJ/T 214 class is no type here
        return try pool.unsafeRead { db in try typeNames.name(db, kind: .component, code: code) != nil }
    }
}
