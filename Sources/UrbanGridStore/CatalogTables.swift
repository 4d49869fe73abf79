import GRDB
import UrbanGridCore

/// Writes and reads the standard code lists.
enum CatalogTables {
    static func insert(_ catalog: Catalog, _ db: Database) throws {
        for c in catalog.components {
            try db.execute(sql: "INSERT INTO component_type VALUES (?,?,?,?,?,?,?)",
                           arguments: [c.code, c.major, c.majorZh, c.majorEn, c.nameZh, c.nameEn, c.geometry])
        }
        for m in catalog.matters {
            try db.execute(sql: "INSERT INTO matter_type VALUES (?,?,?,?,?,?,?)",
                           arguments: [m.code, m.major, m.majorZh, m.majorEn, m.nameZh, m.nameEn, m.componentCode])
        }
        for (table, rows) in [("legacy_component_class", catalog.legacyComponents),
                              ("legacy_event_class", catalog.legacyEvents)] {
            for l in rows {
                try db.execute(sql: "INSERT INTO \(table) VALUES (?,?,?,?,?,?)",
                               arguments: [l.code, l.major, l.majorZh, l.nameZh, l.nameEn, l.newCode])
            }
        }
    }
}

extension CityStore {
    public func departmentExists(_ code: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT count(*) > 0 FROM department WHERE code = ?"), arguments: [code]) ?? false
        }
    }

    /// The catalogue and departments, for clients that build pick lists.
    public func catalog() throws -> (catalog: Catalog, departments: [Department]) {
        try pool.read { db in
            let components = try Row.fetchAll(db, sql: "SELECT * FROM component_type ORDER BY code").map {
                ComponentType(code: $0["code"], major: $0["major"], majorZh: $0["major_zh"], majorEn: $0["major_en"],
                              nameZh: $0["name_zh"], nameEn: $0["name_en"], geometry: $0["geometry"])
            }
            let matters = try Row.fetchAll(db, sql: "SELECT * FROM matter_type ORDER BY code").map {
                MatterType(code: $0["code"], major: $0["major"], majorZh: $0["major_zh"], majorEn: $0["major_en"],
                           nameZh: $0["name_zh"], nameEn: $0["name_en"], componentCode: $0["component_code"])
            }
            func legacy(_ table: String) throws -> [LegacyClass] {
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY code").map {
                    LegacyClass(code: $0["code"], major: $0["major"], majorZh: $0["major_zh"],
                                nameZh: $0["name_zh"], nameEn: $0["name_en"], newCode: $0["new_code"])
                }
            }
            let departments = try Row.fetchAll(db, sql: "SELECT * FROM department ORDER BY code").map {
                Department(code: $0["code"], nameZh: $0["name_zh"], nameEn: $0["name_en"],
                           kind: DepartmentKind(rawValue: $0["kind"]) ?? .enforcement)
            }
            return (Catalog(components: components, matters: matters,
                            legacyComponents: try legacy("legacy_component_class"),
                            legacyEvents: try legacy("legacy_event_class")), departments)
        }
    }
}
