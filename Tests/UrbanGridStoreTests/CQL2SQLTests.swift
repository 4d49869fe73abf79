// CQL2 filters compiled to SQL and run on a real SpatiaLite city database (testcity: storage
// EPSG:4490, metric EPSG:4544). Expected rows are computed here without the compiler: positions from
// the GeoJSON fixtures with ray casting and segment tests in Swift, metric positions through the
// independent Gauss-Krüger projection of StoreTestSupport, attributes through plain SQL reads.

import Foundation
import GRDB
import Testing
import UrbanGridCore
@testable import UrbanGridStore

// MARK: - Queryables and a harness

private enum Layers {
    static let component: [Queryable] = [
        Queryable(name: "id", column: "c.id", type: .string),
        Queryable(name: "type_code", column: "c.type_code", type: .string),
        Queryable(name: "name", column: "c.name", type: .string),
        Queryable(name: "status", column: "c.status", type: .string),
        Queryable(name: "状态", column: "c.status", type: .string),
        Queryable(name: "owner_dept", column: "c.owner_dept", type: .string),
        Queryable(name: "note", column: "c.note", type: .string),
        Queryable(name: "initial_date", column: "c.initial_date", type: .date),
        // The tests write instants into change_date to compare timestamps.
        Queryable(name: "changed", column: "c.change_date", type: .timestamp),
        Queryable(name: "mx", column: "c.mx", type: .number),
        Queryable(name: "fid", column: "c.fid", type: .integer),
        Queryable(name: "self_maintained", column: "(c.owner_dept = c.maintainer_dept)", type: .boolean),
        Queryable(name: "geometry", column: "c.geom", type: .geometry),
    ]
    static let grid: [Queryable] = [
        Queryable(name: "code", column: "g.code", type: .string),
        Queryable(name: "community_code", column: "g.community_code", type: .string),
        Queryable(name: "area_m2", column: "g.area_m2", type: .number),
        Queryable(name: "geometry", column: "g.geom", type: .geometry),
    ]

    static func components(srid: Int = 4490) -> CQL2SQLCompiler {
        CQL2SQLCompiler(queryables: component, table: "component", alias: "c", geometryColumn: "c.geom",
                        storageSrid: 4490, filterSrid: srid)
    }

    static func grids(srid: Int = 4490) -> CQL2SQLCompiler {
        CQL2SQLCompiler(queryables: grid, table: "grid", alias: "g", geometryColumn: "g.geom",
                        storageSrid: 4490, filterSrid: srid)
    }
}

private func compile(_ compiler: CQL2SQLCompiler, _ filter: String) throws -> (sql: String, arguments: StatementArguments) {
    try compiler.compile(try CQL2.parse(filter))
}

private func compileError(_ compiler: CQL2SQLCompiler, _ filter: String) throws -> CQL2CompileError? {
    let expression = try CQL2.parse(filter)
    do {
        _ = try compiler.compile(expression)
        return nil
    } catch {
        return error
    }
}

/// The fids a filter selects from `table` (aliased as the compiler's alias), in order.
private func select(_ store: CityStore, _ table: String, _ compiler: CQL2SQLCompiler, _ filter: String) throws -> [Int64] {
    let (sql, arguments) = try compile(compiler, filter)
    let a = compiler.alias
    return try store.pool.read { db in
        try Int64.fetchAll(db, sql: "SELECT \(a).fid FROM \(table) \(a) WHERE \(sql) ORDER BY \(a).fid", arguments: arguments)
    }
}

/// A component as the fixture file has it, with its fid from the database.
private struct Component {
    var fid: Int64, id: String, name: String, point: Point2
}

private struct Grid {
    var fid: Int64, code: String, area: AreaFeature
    var ring: [Point2] { area.parts[0][0] }
}

private func components(_ store: CityStore) throws -> [Component] {
    let fids = try store.pool.read { db in
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, fid FROM component").map { (row: Row) -> (String, Int64) in
            (row[0], row[1])
        })
    }
    return try GeoJSONFile.points(Fixtures.testcity.appendingPathComponent("components.geojson")).map { f in
        let id = try #require(f.properties["id"])
        return Component(fid: try #require(fids[id]), id: id, name: f.properties["name"] ?? "", point: f.point)
    }.sorted { $0.fid < $1.fid }
}

private func grids(_ store: CityStore) throws -> [Grid] {
    let fids = try store.pool.read { db in
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT code, fid FROM grid").map { (row: Row) -> (String, Int64) in
            (row[0], row[1])
        })
    }
    return try GeoJSONFile.areas(Fixtures.testcity.appendingPathComponent("grids.geojson")).map { area in
        let code = try #require(area["code"])
        return Grid(fid: try #require(fids[code]), code: code, area: area)
    }.sorted { $0.fid < $1.fid }
}

// MARK: - Independent planar geometry

private func cross(_ o: Point2, _ a: Point2, _ b: Point2) -> Double { (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x) }

/// Proper or touching intersection of two segments.
private func segmentsIntersect(_ p1: Point2, _ p2: Point2, _ q1: Point2, _ q2: Point2) -> Bool {
    let d1 = cross(q1, q2, p1), d2 = cross(q1, q2, p2), d3 = cross(p1, p2, q1), d4 = cross(p1, p2, q2)
    if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
    func onSegment(_ a: Point2, _ b: Point2, _ p: Point2) -> Bool {
        min(a.x, b.x) <= p.x && p.x <= max(a.x, b.x) && min(a.y, b.y) <= p.y && p.y <= max(a.y, b.y)
    }
    return (d1 == 0 && onSegment(q1, q2, p1)) || (d2 == 0 && onSegment(q1, q2, p2))
        || (d3 == 0 && onSegment(p1, p2, q1)) || (d4 == 0 && onSegment(p1, p2, q2))
}

private func edges(_ ring: [Point2]) -> [(Point2, Point2)] {
    (1..<ring.count).map { (ring[$0 - 1], ring[$0]) }
}

/// A polygon (one ring, no holes) meets a polyline or another ring.
private func ringMeets(_ ring: [Point2], _ other: [Point2], otherIsArea: Bool) -> Bool {
    let area = AreaFeature(properties: [:], parts: [[ring]])
    if other.contains(where: area.contains) { return true }
    if otherIsArea {
        let otherArea = AreaFeature(properties: [:], parts: [[other]])
        if ring.contains(where: otherArea.contains) { return true }
    }
    return edges(ring).contains { e in edges(other).contains { f in segmentsIntersect(e.0, e.1, f.0, f.1) } }
}

private func box(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) -> [Point2] {
    [Point2(minX, minY), Point2(maxX, minY), Point2(maxX, maxY), Point2(minX, maxY), Point2(minX, minY)]
}

private func wkt(_ ring: [Point2]) -> String { ring.map { "\($0.x) \($0.y)" }.joined(separator: ", ") }

/// CQL2 LIKE by backtracking over characters: `%` any run, `_` one character, `\` escapes.
private func like(_ text: String, _ pattern: String) -> Bool {
    let t = Array(text), p = Array(pattern)
    func match(_ i: Int, _ j: Int) -> Bool {
        if j == p.count { return i == t.count }
        switch p[j] {
        case "%": return (i...t.count).contains { match($0, j + 1) }
        case "_": return i < t.count && match(i + 1, j + 1)
        case "\\": return j + 1 < p.count && i < t.count && t[i] == p[j + 1] && match(i + 1, j + 2)
        default: return i < t.count && t[i] == p[j] && match(i + 1, j + 1)
        }
    }
    return match(0, 0)
}

// MARK: - Tests

@Suite struct CQL2SQLTests {
    // MARK: Spatial

    @Test func intersectsPointSelectsTheGridHoldingIt() throws {
        try withStore { store, _ in
            let all = try grids(store)
            for grid in all {
                let centre = grid.area.vertexCentroid
                let expected = all.filter { $0.area.contains(centre) }.map(\.fid)
                #expect(expected == [grid.fid])
                for srid in [4490, 4326] {
                    #expect(try select(store, "grid", Layers.grids(srid: srid),
                                       "S_INTERSECTS(geometry, POINT(\(centre.x) \(centre.y)))") == expected)
                    #expect(try select(store, "grid", Layers.grids(srid: srid),
                                       "S_CONTAINS(geometry, POINT(\(centre.x) \(centre.y)))") == expected)
                }
                // The same point in the metric CRS (EPSG:4544), projected here independently of PROJ.
                let m = TransverseMercator.epsg4544.project(centre)
                #expect(try select(store, "grid", Layers.grids(srid: 4544), "S_INTERSECTS(geometry, POINT(\(m.x) \(m.y)))") == expected)
            }
            // Outside the city: nothing.
            #expect(try select(store, "grid", Layers.grids(), "S_INTERSECTS(geometry, POINT(104.30 31.10))") == [])
        }
    }

    @Test func intersectsLineStringSelectsTheGridsItCrosses() throws {
        try withStore { store, _ in
            let all = try grids(store)
            let lines: [[Point2]] = [
                [Point2(104.3882, 31.1273), Point2(104.3903, 31.1264)],                       // NW cell to SE cell
                [Point2(104.3880, 31.1262), Point2(104.3885, 31.1264), Point2(104.3884, 31.1266)],  // inside one cell
                [Point2(104.3870, 31.1250), Point2(104.3920, 31.1290)],                       // across the city
                [Point2(104.3800, 31.1200), Point2(104.3810, 31.1210)],                       // far away
            ]
            for line in lines {
                let expected = all.filter { ringMeets($0.ring, line, otherIsArea: false) }.map(\.fid)
                let text = "S_INTERSECTS(geometry, LINESTRING(\(wkt(line))))"
                #expect(try select(store, "grid", Layers.grids(), text) == expected, "\(text)")
                #expect(try select(store, "grid", Layers.grids(srid: 4326), text) == expected, "\(text)")
                // A line that leaves a cell crosses it; one wholly inside a cell does not.
                let crossing = all.filter { g in ringMeets(g.ring, line, otherIsArea: false) && !line.allSatisfy(g.area.contains) }
                #expect(try select(store, "grid", Layers.grids(), "S_CROSSES(geometry, LINESTRING(\(wkt(line))))")
                        == crossing.map(\.fid))
                let metric = line.map(TransverseMercator.epsg4544.project)
                #expect(try select(store, "grid", Layers.grids(srid: 4544), "S_INTERSECTS(geometry, LINESTRING(\(wkt(metric))))")
                        == expected)
            }
            #expect(try select(store, "grid", Layers.grids(), "S_INTERSECTS(geometry, LINESTRING(\(wkt(lines[0]))))").count == 4)
        }
    }

    @Test func intersectsPolygonWithAHoleOnComponents() throws {
        try withStore { store, _ in
            let all = try components(store)
            let outer = box(104.3870, 31.1255, 104.3915, 31.1285)
            let hole = Array(box(104.3885, 31.1265, 104.3895, 31.1275).reversed())
            let shape = AreaFeature(properties: [:], parts: [[outer, hole]])
            let expected = all.filter { shape.contains($0.point) }.map(\.fid)
            #expect(expected.count == 6)   // four of the ten components sit in the hole
            let filter = "S_INTERSECTS(geometry, POLYGON((\(wkt(outer))), (\(wkt(hole)))))"
            #expect(try select(store, "component", Layers.components(), filter) == expected)
            #expect(try select(store, "component", Layers.components(srid: 4326), filter) == expected)
            #expect(try select(store, "component", Layers.components(), "S_WITHIN(geometry, POLYGON((\(wkt(outer))), (\(wkt(hole)))))")
                    == expected)
            // The hole alone as a multipolygon member: the complement within the outer ring.
            let inHole = all.filter { !shape.contains($0.point) }.map(\.fid)
            #expect(try select(store, "component", Layers.components(),
                               "S_INTERSECTS(geometry, MULTIPOLYGON(((\(wkt(hole.reversed()))))))") == inHole)
            #expect(try select(store, "component", Layers.components(),
                               "S_DISJOINT(geometry, POLYGON((\(wkt(outer))), (\(wkt(hole)))))") == inHole)
            #expect(try select(store, "component", Layers.components(),
                               "NOT S_INTERSECTS(geometry, POLYGON((\(wkt(outer))), (\(wkt(hole)))))") == inHole)
        }
    }

    @Test func bboxInStorageWgs84AndMetricCoordinates() throws {
        try withStore { store, _ in
            let all = try components(store)
            let (minX, minY, maxX, maxY) = (104.3879, 31.1266, 104.3891, 31.1270)
            let expected = all.filter { $0.point.x >= minX && $0.point.x <= maxX && $0.point.y >= minY && $0.point.y <= maxY }
                .map(\.fid)
            #expect(expected.count == 5)
            for srid in [4490, 4326] {
                #expect(try select(store, "component", Layers.components(srid: srid),
                                   "S_INTERSECTS(geometry, BBOX(\(minX), \(minY), \(maxX), \(maxY)))") == expected)
                #expect(try select(store, "component", Layers.components(srid: srid),
                                   "S_INTERSECTS(geometry, BBOX(\(minX), \(minY), -10, \(maxX), \(maxY), 10))") == expected)
            }
            // A box of 200 m × 100 m in EPSG:4544 (the 100 m grid lattice starts at E 441600, N 3445300).
            let (e0, n0, e1, n1) = (441_650.0, 3_445_150.0, 441_850.0, 3_445_250.0)
            let projected = all.map { ($0.fid, TransverseMercator.epsg4544.project($0.point)) }
            for (_, m) in projected {   // no component so near an edge that the transform could decide
                #expect(min(abs(m.x - e0), abs(m.x - e1), abs(m.y - n0), abs(m.y - n1)) > 0.5)
            }
            let metricExpected = projected.filter { $0.1.x >= e0 && $0.1.x <= e1 && $0.1.y >= n0 && $0.1.y <= n1 }.map(\.0)
            #expect(!metricExpected.isEmpty && metricExpected.count < all.count)
            #expect(try select(store, "component", Layers.components(srid: 4544), "S_INTERSECTS(geometry, BBOX(\(e0), \(n0), \(e1), \(n1)))")
                    == metricExpected)
            // Grids: the box meets the cells of the lattice it overlaps, in the metric CRS.
            let gridAll = try grids(store)
            let metricBox = box(e0, n0, e1, n1)
            let gridExpected = gridAll.filter { ringMeets($0.ring.map(TransverseMercator.epsg4544.project), metricBox, otherIsArea: true) }
            #expect(gridExpected.count == 6)
            #expect(try select(store, "grid", Layers.grids(srid: 4544), "S_INTERSECTS(geometry, BBOX(\(e0), \(n0), \(e1), \(n1)))")
                    == gridExpected.map(\.fid))
            let narrow = box(441_610, 3_445_210, 441_690, 3_445_290)   // inside the north-west cell
            let narrowExpected = gridAll.filter { ringMeets($0.ring.map(TransverseMercator.epsg4544.project), narrow, otherIsArea: true) }
            #expect(narrowExpected.count == 1)
            #expect(try select(store, "grid", Layers.grids(srid: 4544), "S_INTERSECTS(geometry, BBOX(441610, 3445210, 441690, 3445290))")
                    == narrowExpected.map(\.fid))
        }
    }

    @Test func withinTouchesEqualsAndOverlapsOnGrids() throws {
        try withStore { store, _ in
            let all = try grids(store)
            // The north row lies wholly inside this box; the south row is outside it.
            let (minX, minY, maxX, maxY) = (104.3876, 31.12684, 104.3910, 31.1278)
            let inside = all.filter { $0.ring.allSatisfy { $0.x > minX && $0.x < maxX && $0.y > minY && $0.y < maxY } }
            #expect(inside.count == 3)
            #expect(try select(store, "grid", Layers.grids(), "S_WITHIN(geometry, BBOX(\(minX), \(minY), \(maxX), \(maxY)))")
                    == inside.map(\.fid))
            // A box over the middle of the city overlaps every cell without holding or lying in any.
            let middle = box(104.3882, 31.1264, 104.3903, 31.1273)
            let overlapping = all.filter { g in
                ringMeets(g.ring, middle, otherIsArea: true) && !g.ring.allSatisfy { $0.x > 104.3882 && $0.x < 104.3903 && $0.y > 31.1264 && $0.y < 31.1273 }
            }
            #expect(overlapping.count == 6)
            #expect(try select(store, "grid", Layers.grids(), "S_OVERLAPS(geometry, POLYGON((\(wkt(middle)))))") == overlapping.map(\.fid))
            // Each cell equals its own polygon and touches the cells it shares a vertex with.
            for grid in all {
                let polygon = "POLYGON((\(wkt(grid.ring))))"
                #expect(try select(store, "grid", Layers.grids(), "S_EQUALS(geometry, \(polygon))") == [grid.fid])
                let neighbours = all.filter { $0.fid != grid.fid && $0.ring.contains(where: grid.ring.contains) }
                #expect(try select(store, "grid", Layers.grids(), "S_TOUCHES(geometry, \(polygon))") == neighbours.map(\.fid))
                #expect(try select(store, "grid", Layers.grids(), "S_TOUCHES(\(polygon), geometry)") == neighbours.map(\.fid))
            }
            // Spatial and attribute predicates together; a literal on the left.
            let north = inside.map(\.fid)
            #expect(try select(store, "grid", Layers.grids(),
                               "S_WITHIN(geometry, BBOX(\(minX), \(minY), \(maxX), \(maxY))) AND code <> '\(all[0].code)'")
                    == north.filter { $0 != all[0].fid })
            #expect(try select(store, "grid", Layers.grids(), "S_CONTAINS(BBOX(\(minX), \(minY), \(maxX), \(maxY)), geometry)") == north)
        }
    }

    @Test func spatialFilterGoesThroughTheRTree() throws {
        try withStore { store, _ in
            let (sql, arguments) = try compile(Layers.grids(srid: 4326),
                                               "code LIKE '9902%' AND S_INTERSECTS(geometry, BBOX(104.388, 31.126, 104.389, 31.127))")
            #expect(sql.contains("idx_grid_geom"))
            let plan = try store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT g.fid FROM grid g WHERE \(sql)", arguments: arguments)
                    .map { (row: Row) -> String in row["detail"] }
            }
            // The grid rows come by primary key from the R*Tree's candidates, and the R*Tree is searched
            // with its box constraints (idxNum 2 and a constraint string), not scanned.
            #expect(plan.contains { $0.hasPrefix("SEARCH g USING INTEGER PRIMARY KEY") }, "\(plan)")
            #expect(plan.contains { $0.contains("cql2_r1 VIRTUAL TABLE INDEX 2:") && !$0.hasSuffix("INDEX 2:") }, "\(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN g") }, "\(plan)")

            // The case table, whose key is `id`.
            let cases = CQL2SQLCompiler(queryables: [Queryable(name: "geometry", column: "k.geom", type: .geometry)],
                                        table: "case_record", alias: "k", geometryColumn: "k.geom",
                                        storageSrid: 4490, filterSrid: 4490, primaryKey: "id")
            let compiled = try compile(cases, "S_INTERSECTS(geometry, POINT(104.388 31.127))")
            #expect(compiled.sql.contains("k.id IN (SELECT cql2_r1.pkid FROM"))
            let casePlan = try store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT k.id FROM case_record k WHERE \(compiled.sql)",
                                 arguments: compiled.arguments).map { (row: Row) -> String in row["detail"] }
            }
            #expect(casePlan.contains { $0.hasPrefix("SEARCH k USING INTEGER PRIMARY KEY") }, "\(casePlan)")
            #expect(try store.pool.read { db in
                try Int.fetchAll(db, sql: "SELECT k.id FROM case_record k WHERE \(compiled.sql)", arguments: compiled.arguments)
            } == [])

            // S_DISJOINT has no R*Tree restriction (it holds for rows outside the box).
            let disjoint = try compile(Layers.grids(), "S_DISJOINT(geometry, POINT(104.388 31.127))")
            #expect(!disjoint.sql.contains("idx_grid_geom"))
        }
    }

    // MARK: Attributes

    @Test func likeIsCaseSensitiveAndEscapesGlobCharacters() throws {
        try withStore { store, _ in
            let all = try components(store)
            // Notes with upper case and GLOB's own wildcard characters.
            let notes: [Int64: String] = [all[0].fid: "Synthetic test component", all[1].fid: "synthetic*test?[x]",
                                          all[2].fid: "50% off_road", all[3].fid: "back\\slash"]
            try store.pool.write { db in
                for (fid, note) in notes { try db.execute(sql: "UPDATE component SET note = ? WHERE fid = ?", arguments: [note, fid]) }
            }
            let noteOf: [Int64: String] = try store.pool.read { db in
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT fid, note FROM component").map { (row: Row) -> (Int64, String) in
                    (row[0], row[1])
                })
            }
            let patterns = ["synthetic%", "Synthetic%", "SYNTHETIC%", "%test component", "synthetic*test?[x]", "synthetic_test_[x]",
                            "%*%", "%?%", "%[%", "%]", "50\\% off\\_road", "50% off_road", "50\\%%", "%\\_%", "back\\\\slash",
                            "_ynthetic%", "%", "", "synthetic"]
            for pattern in patterns {
                let expected = all.filter { like(noteOf[$0.fid] ?? "", pattern) }.map(\.fid)
                let literal = pattern.replacingOccurrences(of: "'", with: "''")
                #expect(try select(store, "component", Layers.components(), "note LIKE '\(literal)'") == expected, "LIKE '\(pattern)'")
                let others = all.map(\.fid).filter { !expected.contains($0) }
                #expect(try select(store, "component", Layers.components(), "note NOT LIKE '\(literal)'") == others,
                        "NOT LIKE '\(pattern)'")
            }
            // The trap this avoids: SQLite's own LIKE ignores ASCII case.
            let sqliteLike = try store.pool.read { db in
                try Int64.fetchAll(db, sql: "SELECT fid FROM component WHERE note LIKE 'Synthetic%' ORDER BY fid")
            }
            #expect(sqliteLike.count == 8)
            #expect(try select(store, "component", Layers.components(), "note LIKE 'Synthetic%'") == [all[0].fid])
            // Chinese names, '_' one character.
            #expect(try select(store, "component", Layers.components(), "name LIKE '路灯 00000_'")
                    == all.filter { $0.name.hasPrefix("路灯") }.map(\.fid))
            #expect(try select(store, "component", Layers.components(), "name LIKE '%井盖%'")
                    == all.filter { $0.name.contains("井盖") }.map(\.fid))
            // A lone trailing escape (cql2-text cannot write one, a tree built elsewhere can) is an
            // error, not a silent mismatch.
            let lone = CQL2Expression.like(.property("note", position: 3), .string("abc\\"), negated: false)
            #expect(throws: CQL2CompileError(position: 3, message: "LIKE pattern 'abc\\' ends with a lone escape character '\\'")) {
                try Layers.components().compile(lone)
            }
        }
    }

    @Test func globTranslation() throws {
        #expect(try CQL2SQLCompiler.globPattern(like: "a%b_c") == "a*b?c")
        #expect(try CQL2SQLCompiler.globPattern(like: "*?[]") == "[*][?][[]]")
        #expect(try CQL2SQLCompiler.globPattern(like: "\\%\\_\\\\\\a") == "%_\\a")
        #expect(try CQL2SQLCompiler.globPattern(like: "破损%") == "破损*")
        #expect(throws: CQL2SQLCompiler.LonePatternEscape.self) { try CQL2SQLCompiler.globPattern(like: "abc\\") }
    }

    @Test func inBetweenNullNotAndThreeValuedLogic() throws {
        try withStore { store, _ in
            let all = try components(store)
            // Some damage, some unknown owners (NULL), one change instant.
            try store.pool.write { db in
                try db.execute(sql: "UPDATE component SET status = '破损' WHERE fid IN (?, ?)", arguments: [all[1].fid, all[5].fid])
                try db.execute(sql: "UPDATE component SET owner_dept = NULL WHERE fid IN (?, ?, ?)",
                               arguments: [all[0].fid, all[1].fid, all[4].fid])
            }
            struct Row3 { var fid: Int64, typeCode: String, status: String, owner: String?, maintainer: String?, mx: Double, date: String }
            let rows = try store.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT fid, type_code, status, owner_dept, maintainer_dept, mx, initial_date FROM component ORDER BY fid")
                    .map { (r: Row) in Row3(fid: r[0], typeCode: r[1], status: r[2], owner: r[3], maintainer: r[4], mx: r[5], date: r[6]) }
            }
            func expect(_ filter: String, _ predicate: (Row3) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
                #expect(try select(store, "component", Layers.components(), filter) == rows.filter(predicate).map(\.fid),
                        "\(filter)", sourceLocation: sourceLocation)
            }
            try expect("type_code IN ('01037', '01001')") { ["01037", "01001"].contains($0.typeCode) }
            try expect("type_code NOT IN ('01037', '01001')") { !["01037", "01001"].contains($0.typeCode) }
            try expect("status = '破损'") { $0.status == "破损" }
            try expect("状态 = '破损' OR type_code = '04002'") { $0.status == "破损" || $0.typeCode == "04002" }
            try expect("NOT status = '破损'") { $0.status != "破损" }
            try expect("status <> '破损' AND type_code IN ('01037')") { $0.status != "破损" && $0.typeCode == "01037" }
            try expect("owner_dept IS NULL") { $0.owner == nil }
            try expect("owner_dept IS NOT NULL") { $0.owner != nil }
            // Three-valued logic: a NULL owner is neither 'SW' nor not 'SW'.
            try expect("owner_dept = 'SW'") { $0.owner == "SW" }
            try expect("owner_dept <> 'SW'") { $0.owner != nil && $0.owner != "SW" }
            try expect("NOT owner_dept = 'SW'") { $0.owner != nil && $0.owner != "SW" }
            try expect("NOT (owner_dept = 'SW' AND status = '完好')") { r in
                // NOT (unknown AND x) is unknown when x is true, true when x is false.
                r.owner == nil ? r.status != "完好" : !(r.owner == "SW" && r.status == "完好")
            }
            try expect("owner_dept NOT IN ('SW', 'LD')") { $0.owner != nil && !["SW", "LD"].contains($0.owner!) }
            try expect("self_maintained = TRUE") { $0.owner != nil && $0.owner == $0.maintainer }
            try expect("self_maintained = FALSE") { $0.owner != nil && $0.owner != $0.maintainer }
            let sortedMx = rows.map(\.mx).sorted()
            let (low, high) = ((sortedMx[2] + sortedMx[3]) / 2, (sortedMx[6] + sortedMx[7]) / 2)
            try expect("mx BETWEEN \(low) AND \(high)") { $0.mx >= low && $0.mx <= high }
            try expect("mx NOT BETWEEN \(low) AND \(high)") { $0.mx < low || $0.mx > high }
            try expect("mx > \(low) AND mx <= \(high)") { $0.mx > low && $0.mx <= high }
            try expect("fid IN (\(all[2].fid), \(all[7].fid), 999)") { [all[2].fid, all[7].fid].contains($0.fid) }
            try expect("fid >= \(all[8].fid)") { $0.fid >= all[8].fid }
            try expect("initial_date = DATE('2024-01-01')") { $0.date == "2024-01-01" }
            try expect("initial_date > DATE('2024-01-01')") { $0.date > "2024-01-01" }
            try expect("TRUE") { _ in true }
            try expect("FALSE OR NOT TRUE") { _ in false }
            try expect("'a' = 'a' AND 1 < 2") { _ in true }
        }
    }

    @Test func timestampsCompareAsInstants() throws {
        try withStore { store, _ in
            let all = try components(store)
            let instants: [Int64: String] = [all[0].fid: "2026-11-01T08:00:00Z", all[1].fid: "2026-11-01T08:00:00.5Z",
                                             all[2].fid: "2026-11-01T07:59:59.999Z", all[3].fid: "2026-11-02T00:00:00Z"]
            try store.pool.write { db in
                for (fid, t) in instants { try db.execute(sql: "UPDATE component SET change_date = ? WHERE fid = ?", arguments: [t, fid]) }
            }
            // As text, "…08:00:00Z" sorts after "…08:00:00.5Z"; as instants it comes first.
            #expect(try select(store, "component", Layers.components(), "changed > TIMESTAMP('2026-11-01T08:00:00Z')")
                    == [all[1].fid, all[3].fid])
            #expect(try select(store, "component", Layers.components(), "changed = TIMESTAMP('2026-11-01T08:00:00.000Z')") == [all[0].fid])
            #expect(try select(store, "component", Layers.components(),
                               "changed BETWEEN TIMESTAMP('2026-11-01T07:59:59.999Z') AND TIMESTAMP('2026-11-01T08:00:00.5Z')")
                    == [all[0].fid, all[1].fid, all[2].fid])
            #expect(try select(store, "component", Layers.components(), "changed IS NULL").count == all.count - 4)
            #expect(try select(store, "component", Layers.components(),
                               "changed IN (TIMESTAMP('2026-11-02T00:00:00Z'), TIMESTAMP('2026-11-01T08:00:00.50Z'))")
                    == [all[1].fid, all[3].fid])
        }
    }

    @Test func injectionAttemptsAreJustStrings() throws {
        try withStore { store, _ in
            let filters = ["status = 'x'' OR 1=1 --'", "status = '完好'' OR ''1''=''1'", "name = '''); DROP TABLE component; --'",
                           "\"status\" IN ('x'' OR 1=1 --')", "note LIKE '%'' OR 1=1 --'"]
            for filter in filters {
                let (sql, arguments) = try compile(Layers.components(), filter)
                #expect(!sql.contains("'"), "\(sql)")   // no literal is pasted into the SQL text
                #expect(arguments.description.contains("'"))   // the quotes went into the value
                #expect(try select(store, "component", Layers.components(), filter) == [], "\(filter)")
            }
            #expect(try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM component") } == 10)
            // The geometry literal too is a bound WKT string.
            let (sql, arguments) = try compile(Layers.grids(srid: 4326), "S_INTERSECTS(geometry, POINT(104.388 31.127))")
            #expect(!sql.contains("104.388"))
            #expect(arguments.description.contains("POINT(104.388 31.127)"))
        }
    }

    // MARK: Errors

    @Test func unknownPropertyNamesItsPositionAndTheQueryables() throws {
        let error = try #require(try compileError(Layers.grids(), "code = 'a' AND colour = 'red'"))
        #expect(error.position == 15)
        #expect(error.message == "unknown property 'colour'; the queryable properties are: area_m2, code, community_code, geometry")
        let caseError = try #require(try compileError(Layers.grids(), "S_INTERSECTS(Geometry, POINT(1 2))"))
        #expect(caseError.position == 13)
        #expect(caseError.message.contains("did you mean 'geometry'?"))
        // Columns are never reachable by their SQL names.
        #expect(try compileError(Layers.grids(), "\"g.code\" = 'x'")?.position == 0)
        #expect(try compileError(Layers.components(), "状态 = 'x' OR 名称 = 'y'")?.position == 12)
    }

    @Test func typeMismatchesAreErrors() throws {
        let c = Layers.components()
        let cases: [(String, Int?, String)] = [
            ("status = 5", 0, "cannot compare property 'status' (string) with a number"),
            ("mx = '5'", 0, "cannot compare property 'mx' (number) with a string"),
            ("5 = mx AND 5 = status", 15, "cannot compare a number with property 'status' (string)"),
            ("initial_date > '2024-01-01'", 0, "cannot compare property 'initial_date' (date) with a string"),
            ("initial_date > TIMESTAMP('2024-01-01T00:00:00Z')", 0, "cannot compare property 'initial_date' (date) with a TIMESTAMP"),
            ("self_maintained = 1", 0, "cannot compare property 'self_maintained' (boolean) with a number"),
            ("self_maintained < TRUE", 0, "booleans are compared only with = and <>, not <"),
            ("mx LIKE '1%'", 0, "LIKE needs a string, but property 'mx' (number) is a number"),
            ("status IN ('a', 2)", 0, "cannot compare property 'status' (string) with a number"),
            ("mx BETWEEN 1 AND 'z'", 0, "cannot compare property 'mx' (number) with a string"),
            ("self_maintained BETWEEN FALSE AND TRUE", 0, "BETWEEN needs numbers, strings, dates or timestamps, not booleans"),
            ("S_INTERSECTS(status, POINT(1 2))", 13, "S_INTERSECTS compares geometries, but property 'status' (string) is not one"),
            ("geometry = status", 0, "cannot compare property 'geometry' (geometry) with property 'status' (string)"),
            ("geometry IN (geometry)", 0, "property 'geometry' (geometry) is a geometry: IN takes scalar values"),
            ("'a' = 1", nil, "cannot compare a string with a number"),
        ]
        for (filter, position, message) in cases {
            let error = try #require(try compileError(c, filter), "\(filter) compiled")
            #expect(error.position == position, "\(filter)")
            #expect(error.message.hasPrefix(message), "\(filter): \(error.message)")
        }
    }

    @Test func hugeFiltersAreRefused() throws {
        let list = (0..<(CQL2SQLCompiler.maximumArguments + 1)).map(String.init).joined(separator: ",")
        let error = try #require(try compileError(Layers.components(), "fid IN (\(list))"))
        #expect(error.message.contains("at most \(CQL2SQLCompiler.maximumArguments)"))
        var deep = CQL2Expression.literal(true)
        for _ in 0...CQL2SQLCompiler.maximumDepth { deep = .not(deep) }
        #expect(throws: CQL2CompileError.self) { try Layers.components().compile(deep) }
    }
}
