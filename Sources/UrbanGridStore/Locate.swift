import GRDB
import UrbanGridCore

extension CityStore {
    /// The unit grid, community, street and district of a storage-CRS point, and the components
    /// within `radiusM` metres (nearest first, optionally of one type), in one read transaction:
    /// the grid from the in-memory `GridIndex`, the components through their R*Tree.
    /// Returns nil when the point lies in no grid (outside the city).
    public func locate(lon: Double, lat: Double, radiusM: Double, typeCode: String?, limit: Int) throws -> LocateResult? {
        let srid = profile.storageSrid
        guard let metric = try toMetric.with({ $0.forward(lon, lat) }) else { return nil }
        // Outside a transaction: each statement sees a committed state of its own, and the answer
        // needs no more (base layers change by whole imports). BEGIN and COMMIT around two
        // statements cost a third of the throughput.
        return try pool.unsafeRead { db -> LocateResult? in
            guard let hit = try grids.index(db).grid(x: lon, y: lat) else { return nil }
            let box = SpatialQueries.degreeBox(lon: lon, lat: lat, radiusM: radiusM)
            let typeFilter = typeCode == nil ? "" : "AND c.type_code = ?"
            var arguments: StatementArguments = [metric.x, metric.y, box.minX, box.maxX, box.minY, box.maxY,
                                                 radiusM * radiusM]
            if let typeCode { arguments += [typeCode] }
            arguments += [limit]
            // The nearest `limit` candidates first (R*Tree, then the exact metric distance); only
            // those are joined to their type and have their point decoded.
            let rows = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT c.id, c.type_code, t.name_zh, t.name_en, c.name, c.status, n.d2, ST_X(c.geom), ST_Y(c.geom)
                FROM (SELECT c.fid, c.id, (c.mx - ?1) * (c.mx - ?1) + (c.my - ?2) * (c.my - ?2) AS d2
                      FROM idx_component_geom r JOIN component c ON c.fid = r.pkid
                      WHERE r.xmax >= ?3 AND r.xmin <= ?4 AND r.ymax >= ?5 AND r.ymin <= ?6
                        AND d2 <= ?7 \(typeFilter)
                      ORDER BY d2, c.id LIMIT ?) n
                JOIN component c ON c.fid = n.fid JOIN component_type t ON t.code = c.type_code
                ORDER BY n.d2, n.id
                """), arguments: arguments)
            var components: [NearbyComponent] = []
            while let r = try rows.next() {
                components.append(NearbyComponent(
                    id: r[0], typeCode: r[1], typeNameZh: r[2], typeNameEn: r[3], name: r[4], status: r[5],
                    distanceM: ((r[6] as Double).squareRoot() * 100).rounded() / 100, lon: r[7], lat: r[8]))
            }
            return LocateResult(
                lon: lon, lat: lat, storageSrid: srid,
                grid: GridSummary(code: hit.code, areaM2: hit.areaM2),
                community: NamedArea(code: hit.communityCode, nameZh: hit.communityZh, nameEn: hit.communityEn),
                street: NamedArea(code: hit.streetCode, nameZh: hit.streetZh, nameEn: hit.streetEn),
                district: NamedArea(code: hit.districtCode, nameZh: hit.districtZh, nameEn: hit.districtEn),
                radiusM: radiusM, components: components)
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
