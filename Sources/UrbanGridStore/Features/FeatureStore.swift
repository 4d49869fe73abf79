import GRDB
import UrbanGridCore

/// Reads OGC API - Features items. Features are assembled as GeoJSON inside SQLite
/// (`json_object` + SpatiaLite `AsGeoJSON`), so a page costs one statement and no per-row
/// encoding in Swift.
extension CityStore {
    /// A page of `layer`'s features matching `query`, in primary-key order.
    public func features(_ layer: FeatureLayer, _ query: FeatureQuery) throws -> FeaturePage {
        let sql = try FeatureSQL(layer: layer, query: query, crs: crs, storageSrid: profile.storageSrid)
        let select = featureSelect(layer, crs: query.crs)
        return try pool.read { db in
            let count = sql.rectangleCountSQL ?? sql.whereClause(indexedBox: true)
            let matched = try Int.fetchOne(db.cachedStatement(sql: sql.rectangleCountSQL?.sql ?? "SELECT count(*) FROM \(layer.from)\(count.sql)"),
                                           arguments: count.arguments) ?? 0
            let descending: Bool
            var keyset: [(String, StatementArguments)] = []
            switch query.cursor {
            case .after(let key)?: keyset.append(("\(layer.primaryKey) > ?", [key])); descending = false
            case .before(let key)?: keyset.append(("\(layer.primaryKey) < ?", [key])); descending = true
            case nil: descending = false
            }
            let total = sql.box == nil ? 0 : try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM \(layer.table)")) ?? 0
            let page = sql.whereClause(indexedBox: Self.indexedPlan(matched: matched, total: total, limit: query.limit), extra: keyset)
            let order = descending ? "DESC" : "ASC"
            // A cursor reads each row in place (fetchAll would copy every row with its column names).
            var rows: [(key: Int64, json: String)] = []
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: "\(select) FROM \(layer.from)\(page.sql) ORDER BY \(layer.primaryKey) \(order) LIMIT ?"),
                                             arguments: page.arguments + [query.limit + 1])
            while let row = try cursor.next() { rows.append((row[0], row[1])) }
            let more = rows.count > query.limit
            if more { rows.removeLast() }
            if descending { rows.reverse() }
            let first = rows.first?.key, last = rows.last?.key
            // Forward: a next page if more rows followed; a previous one if we started after a key.
            // Backward: the mirror image.
            let hasNext = descending ? first != nil : more
            let hasPrev = descending ? more : query.cursor != nil && first != nil
            return FeaturePage(features: rows.map(\.json),
                               numberMatched: matched,
                               next: hasNext ? last.map { .after($0) } ?? nil : nil,
                               prev: hasPrev ? first.map { .before($0) } ?? nil : nil)
        }
    }

    /// Through the R*Tree, or scanning in key order? Scanning reads about limit × total / matched
    /// rows (~3× dearer each, they are decoded), the R*Tree hands over all `matched` candidates.
    static func indexedPlan(matched: Int, total: Int, limit: Int) -> Bool {
        guard matched > 0, total > 0 else { return true }
        return Double(matched) * Double(matched) < 3 * Double(limit + 1) * Double(total)
    }

    /// One feature by its id, or nil. `department` hides other departments' cases.
    public func feature(_ layer: FeatureLayer, id: String, crs outCRS: OGCCRS, department: String? = nil) throws -> String? {
        let select = featureSelect(layer, crs: outCRS)
        var clauses = ["\(layer.featureId) = ?"]
        var args: StatementArguments = [id]
        if let department, let column = layer.departmentColumn { clauses.append("\(column) = ?"); args += [department] }
        return try pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "\(select) FROM \(layer.from) WHERE \(clauses.joined(separator: " AND "))"),
                             arguments: args)?[1]
        }
    }

    /// `SELECT key, feature-json` for a layer in an output CRS.
    func featureSelect(_ layer: FeatureLayer, crs outCRS: OGCCRS) -> String {
        var geometry = "t.geom"
        if outCRS.srid != profile.storageSrid { geometry = "ST_Transform(\(geometry), \(outCRS.srid))" }
        if crs.swapsAxes(outCRS) { geometry = "SwapCoordinates(\(geometry))" }
        let precision = crs.isGeographic(outCRS) ? 7 : 3
        let properties = layer.properties.map { "'\($0.name)', \($0.column)" }.joined(separator: ", ")
        return """
            SELECT \(layer.primaryKey), json_object('type', 'Feature', 'id', \(layer.featureId),
                'geometry', json(AsGeoJSON(\(geometry), \(precision))), 'properties', json_object(\(properties)))
            """
    }

    /// The layer's spatial extent in the storage CRS (from its R*Tree) and temporal extent.
    public func extent(of layer: FeatureLayer) throws -> (bbox: [Double]?, interval: [String?]?) {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT min(xmin), min(ymin), max(xmax), max(ymax) FROM idx_\(layer.table)_geom")
            let bbox: [Double]? = row.flatMap { r in
                guard let a: Double = r[0], let b: Double = r[1], let c: Double = r[2], let d: Double = r[3] else { return nil }
                return [a, b, c, d]
            }
            var interval: [String?]?
            switch layer.temporal {
            case .date(let column)?, .timestamp(let column)?:
                let r = try Row.fetchOne(db, sql: "SELECT min(\(column)), max(\(column)) FROM \(layer.from)")
                interval = [r?[0], r?[1]]
            case nil:
                interval = nil
            }
            return (bbox, interval)
        }
    }
}
