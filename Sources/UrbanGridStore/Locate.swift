import GRDB
import UrbanGridCore

extension CityStore {
    /// The unit grid, community, street and district of a storage-CRS point, and the components
    /// within `radiusM` metres (nearest first, optionally of one type), from the in-memory
    /// `GridIndex` and `ComponentIndex`: the only SQL is the base version the two are checked
    /// against. Returns nil when the point lies in no grid (outside the city).
    public func locate(lon: Double, lat: Double, radiusM: Double, typeCode: String?, limit: Int) throws -> LocateResult? {
        guard let metric = try toMetric.with({ $0.forward(lon, lat) }) else { return nil }
        // Outside a transaction: one statement needs none (BEGIN and COMMIT would triple it).
        return try pool.unsafeRead { db -> LocateResult? in
            let version = try CityStore.baseVersion(db)
            guard let hit = try grids.index(db, version: version).grid(x: lon, y: lat) else { return nil }
            let near = try components.index(db, version: version)
                .nearest(x: metric.x, y: metric.y, radius: radiusM, type: typeCode, limit: limit)
            return LocateResult(
                lon: lon, lat: lat, storageSrid: profile.storageSrid,
                grid: GridSummary(code: hit.code, areaM2: hit.areaM2),
                community: NamedArea(code: hit.communityCode, nameZh: hit.communityZh, nameEn: hit.communityEn),
                street: NamedArea(code: hit.streetCode, nameZh: hit.streetZh, nameEn: hit.streetEn),
                district: NamedArea(code: hit.districtCode, nameZh: hit.districtZh, nameEn: hit.districtEn),
                radiusM: radiusM, components: near)
        }
    }

    /// Whether a component type code exists in the catalogue.
    public func componentTypeExists(_ code: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT count(*) > 0 FROM component_type WHERE code = ?"),
                              arguments: [code]) ?? false
        }
    }
}
