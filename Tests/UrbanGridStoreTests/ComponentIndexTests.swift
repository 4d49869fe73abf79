import Foundation
import GRDB
import Synchronization
import Testing
import UrbanGridCore
@testable import UrbanGridStore

/// Locate's nearby components come from memory (`ComponentIndex`); they must be what a scan of
/// the table gives: the same components, order (distance, then id), distances and coordinates.
@Suite struct ComponentIndexTests {
    static let types = ["01037", "01001", "01002", "04002"]

    /// `count` components in testcity's extent, a fifth of them on the very spot of an earlier one
    /// (ties broken by id), ids numbered from `firstSequence`.
    static func crowd(_ count: Int, firstSequence: Int, seed: UInt64, in dir: URL) throws -> URL {
        var rng = SplitMix64(seed: seed)
        var spots: [(Double, Double)] = []
        var features: [FixtureFeature] = []
        for i in 0..<count {
            var spot = (104.3879 + Double.random(in: 0..<0.0028, using: &rng), 31.1261 + Double.random(in: 0..<0.0015, using: &rng))
            if i > 0 && rng.next() % 5 == 0 { spot = spots[Int(rng.next() % UInt64(spots.count))] }
            spots.append(spot)
            let type = types[Int(rng.next() % UInt64(types.count))]
            let sequence = String(firstSequence + i)
            let id = "990201" + type + String(repeating: "0", count: 6 - sequence.count) + sequence
            let properties = ["id": id, "competent_dept": "SW", "initial_date": "2024-05-01", "name": i % 3 == 0 ? "第\(i)号" : ""]
            features.append(FixtureFeature(properties: properties, geometry: .point(spot.0, spot.1)))
        }
        let file = dir.appendingPathComponent("crowd-\(firstSequence).geojson")
        try FixtureFiles.writeGeoJSON(features, to: file)
        return file
    }

    /// The nearest components by a plain scan of the table, in SQL.
    static func scanned(_ store: CityStore, lon: Double, lat: Double, radius: Double, type: String?, limit: Int) throws -> [NearbyComponent] {
        let metric = try #require(try store.toMetric.with { $0.forward(lon, lat) })
        return try store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.type_code, t.name_zh, t.name_en, c.name, c.status,
                       (c.mx - ?1) * (c.mx - ?1) + (c.my - ?2) * (c.my - ?2) AS d2, ST_X(c.geom), ST_Y(c.geom)
                FROM component c JOIN component_type t ON t.code = c.type_code
                WHERE d2 <= ?3 AND (?4 IS NULL OR c.type_code = ?4) ORDER BY d2, c.id LIMIT ?5
                """, arguments: [metric.x, metric.y, radius * radius, type, limit]).map { r in
                NearbyComponent(id: r[0], typeCode: r[1], typeNameZh: r[2], typeNameEn: r[3], name: r[4], status: r[5],
                                distanceM: ((r[6] as Double).squareRoot() * 100).rounded() / 100, lon: r[7], lat: r[8])
            }
        }
    }

    @Test func nearestComponentsEqualAScanOfTheTable() throws {
        try withStore { store, dir in
            let report = try store.importLayer(.component, from: try Self.crowd(1_500, firstSequence: 1_000, seed: 11, in: dir),
                                               options: ImportOptions())
            #expect(report.imported == 1_500)
            var rng = SplitMix64(seed: 5)
            var nonEmpty = 0, tiesAtTheCut = 0
            for _ in 0..<400 {
                let lon = 104.3877 + Double.random(in: 0..<0.0032, using: &rng)
                let lat = 31.12596 + Double.random(in: 0..<0.0018, using: &rng)
                let radius = [0.0, 5, 20, 50, 120][Int(rng.next() % 5)] + Double.random(in: 0..<1, using: &rng)
                let type = ([nil, "01037", "01001", "04002", "02001"] as [String?])[Int(rng.next() % 5)]
                let limit = 1 + Int(rng.next() % 12)
                guard let located = try store.locate(lon: lon, lat: lat, radiusM: radius, typeCode: type, limit: limit) else { continue }
                let expected = try Self.scanned(store, lon: lon, lat: lat, radius: radius, type: type, limit: limit)
                #expect(located.components == expected, "(\(lon), \(lat)) r \(radius) type \(type ?? "any") limit \(limit)")
                nonEmpty += expected.isEmpty ? 0 : 1
                let beyond = try Self.scanned(store, lon: lon, lat: lat, radius: radius, type: type, limit: limit + 1)
                if beyond.count == limit + 1, beyond[limit].distanceM == beyond[limit - 1].distanceM, beyond[limit].lon == beyond[limit - 1].lon {
                    tiesAtTheCut += 1
                }
            }
            #expect(nonEmpty > 200 && tiesAtTheCut > 5, "the points tried must reach components, and ties at the limit: \(nonEmpty), \(tiesAtTheCut)")
        }
    }

    /// The index is a cache of the table: components imported through another handle (as
    /// `urbangrid import` does from its own process) are in the next answer.
    @Test func componentsImportedElsewhereAreSeenByTheNextLocate() throws {
        try withStore { store, dir in
            let (lon, lat) = (104.3893, 31.1268)
            let before = try #require(try store.locate(lon: lon, lat: lat, radiusM: 200, typeCode: nil, limit: 100))
            let other = try CityStore.open(path: store.path)
            _ = try other.importLayer(.component, from: try Self.crowd(40, firstSequence: 5_000, seed: 3, in: dir), options: ImportOptions())
            let after = try #require(try store.locate(lon: lon, lat: lat, radiusM: 200, typeCode: nil, limit: 100))
            #expect(after.components.count > before.components.count)
            #expect(after.components == (try Self.scanned(store, lon: lon, lat: lat, radius: 200, type: nil, limit: 100)))
        }
    }
}

/// After an import, every request finds the in-memory indexes old at once; one of them loads,
/// the others wait for that load (a layer of 1,000,000 components takes seconds and 150 MB).
@Suite struct BaseGeographyCacheTests {
    @Test func concurrentRequestsForANewVersionLoadOnce() async throws {
        try await withTemporaryDirectory { dir in
            let pool = try DatabasePool(path: dir.appendingPathComponent("c.sqlite").path)
            let loads = Mutex(0)
            let cache = BaseGeographyCache<Int> { _ in
                Thread.sleep(forTimeInterval: 0.2)   // a slow load, so the others arrive while it runs
                return loads.withLock { $0 += 1; return $0 }
            }
            for version in [Int64(1), 2] {
                let answers = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<6 { group.addTask { try await pool.read { db in try cache.index(db, version: version) } } }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(answers.count == 6 && Set(answers).count == 1, "every request gets the one load: \(answers)")
            }
            #expect(loads.withLock { $0 } == 2, "one load per version")
        }
    }

    @Test func warmUpFillsEveryCacheBeforeTheFirstRequest() throws {
        try withStore { store, _ in
            let version = try store.pool.read { db in try CityStore.baseVersion(db) }
            #expect(store.grids.cached(version) == nil && store.components.cached(version) == nil)
            #expect(store.geocoder.cached(version) == nil && !store.typeNames.isLoaded)
            try store.warmUp()
            #expect(store.grids.cached(version) != nil && store.components.cached(version) != nil)
            #expect(store.geocoder.cached(version) != nil && store.typeNames.isLoaded)
        }
    }
}
