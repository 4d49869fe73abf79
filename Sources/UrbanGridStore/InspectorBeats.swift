import GRDB
import UrbanGridCore

extension CityStore {
    /// Assigns grids to an inspector's beat (责任网格): the grids listed, or all grids of the given
    /// communities or streets. A grid has one inspector; assigning it again moves it. Returns the count.
    @discardableResult
    public func assignBeat(username: String, grids: [String] = [], communities: [String] = [],
                           streets: [String] = [], all: Bool = false) throws -> Int {
        try pool.write { db in
            guard let user = try Row.fetchOne(db, sql: "SELECT id, role FROM user WHERE username = ?", arguments: [username]),
                  (user[1] as String) == Role.inspector.rawValue else {
                throw StoreError.badCityData("\(username) is not an inspector")
            }
            var codes = Set(grids)
            if all { codes.formUnion(try String.fetchAll(db, sql: "SELECT code FROM grid")) }
            for c in communities {
                codes.formUnion(try String.fetchAll(db, sql: "SELECT code FROM grid WHERE community_code = ?", arguments: [c]))
            }
            for s in streets {
                codes.formUnion(try String.fetchAll(db, sql: """
                    SELECT g.code FROM grid g JOIN community c ON c.code = g.community_code WHERE c.street_code = ?
                    """, arguments: [s]))
            }
            for code in codes.sorted() {
                guard try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM grid WHERE code = ?", arguments: [code]) == true else {
                    throw StoreError.badCityData("unknown grid \(code)")
                }
                try db.execute(sql: "INSERT OR REPLACE INTO inspector_beat (grid_code, user_id) VALUES (?, ?)",
                               arguments: [code, user[0] as Int64])
            }
            return codes.count
        }
    }

    /// The inspector whose beat covers a grid, if any.
    func beatInspector(_ db: Database, grid: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT user_id FROM inspector_beat WHERE grid_code = ?", arguments: [grid])
    }
}
