import Foundation
import Testing
import UrbanGridCore
@testable import UrbanGridServer
@testable import UrbanGridStore

/// OGC API - Features over loopback on the test city (CGCS2000, EPSG:4490 / 4544; buildings
/// key-only in its profile).
@Suite struct FeaturesAPITests {
    static let epsg = "http://www.opengis.net/def/crs/EPSG/0/"

    func features(_ r: HTTPResult) throws -> [[String: Any]] {
        let json = try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any], "\(r)")
        return try #require(json["features"] as? [[String: Any]])
    }

    func object(_ r: HTTPResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any], "\(r)")
    }

    /// The first ring's vertices of a (multi)polygon feature.
    func ring(_ feature: [String: Any]) throws -> [[Double]] {
        let geometry = try #require(feature["geometry"] as? [String: Any])
        let polygons = try #require(geometry["coordinates"] as? [[[[Double]]]])
        return try #require(polygons.first?.first)
    }

    @Test func landingConformanceAndCollections() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let landing = try await server.get("", as: nil)
            #expect(landing.status == 200 && landing.header("content-type") == "application/json")
            let rels = (try object(landing)["links"] as? [[String: Any]] ?? []).compactMap { $0["rel"] as? String }
            #expect(Set(["self", "service-desc", "conformance", "data"]).isSubset(of: Set(rels)), "\(rels)")
            let conformance = try object(try await server.get("conformance", as: nil))["conformsTo"] as? [String] ?? []
            #expect(conformance.contains("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"))
            #expect(conformance.contains("http://www.opengis.net/spec/cql2/1.0/conf/cql2-text"))
            let list = try object(try await server.get("collections", as: nil))
            let collections = try #require(list["collections"] as? [[String: Any]])
            #expect(collections.compactMap { $0["id"] as? String } == FeatureLayer.all.map(\.id) + ["grid-case-counts"])
            for c in collections where c["id"] as? String != "grid-case-counts" {
                #expect(c["storageCrs"] as? String == Self.epsg + "4490")
                #expect(Set(c["crs"] as? [String] ?? []) == [OGCCRS.crs84URI, Self.epsg + "4326", Self.epsg + "4490", Self.epsg + "4544"])
                #expect((c["titleZh"] as? String)?.isEmpty == false && (c["titleEn"] as? String)?.isEmpty == false)
            }
            let api = try await server.get("api", as: nil)
            let paths = try #require(try object(api)["paths"] as? [String: Any])
            for p in ["/collections/grids/items", "/collections/cases/items/{featureId}", "/api/v1/cases", "/api/v1/locate"] {
                #expect(paths[p] != nil, "\(p) missing from /api")
            }
            let html = try await server.get("collections/grids/items", query: [("f", "html")], as: nil)
            #expect(html.status == 200 && html.header("content-type")?.hasPrefix("text/html") == true && html.text.contains("<svg"))
            let browser = try await server.get("collections", as: nil, headers: ["Accept": "text/html"])
            #expect(browser.header("content-type")?.hasPrefix("text/html") == true)
        }
    }

    /// A grid's vertices in CRS84, EPSG:4490 (latitude first) and the metric CRS EPSG:4544
    /// (northing first) are the same points: checked against PROJ directly.
    @Test func crsRoundTrip() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let code = try #require(try features(try await server.get("collections/grids/items", query: [("limit", "1")], as: nil))
                .first?["id"] as? String)
            func vertices(_ crs: String?) async throws -> [[Double]] {
                let r = try await server.get("collections/grids/items/\(code)", query: crs.map { [("crs", $0)] } ?? [], as: nil)
                #expect(r.status == 200 && r.header("content-type") == "application/geo+json", "\(r)")
                #expect(r.header("content-crs") == "<\(crs ?? OGCCRS.crs84URI)>")
                return try ring(try object(r))
            }
            let lonLat = try await vertices(nil)
            let latLon = try await vertices(Self.epsg + "4490")
            let metric = try await vertices(Self.epsg + "4544")
            #expect(lonLat.count > 3 && lonLat.count == latLon.count && lonLat.count == metric.count)
            let proj = try Projection(from: 4490, to: 4544)
            for i in lonLat.indices {
                #expect(abs(latLon[i][0] - lonLat[i][1]) < 1e-7 && abs(latLon[i][1] - lonLat[i][0]) < 1e-7)
                let expected = try #require(proj.forward(lonLat[i][0], lonLat[i][1]))
                // EPSG:4544 is northing first; the response has 3 decimals (mm), lon/lat 7 (~1 cm).
                #expect(abs(metric[i][0] - expected.y) < 0.02 && abs(metric[i][1] - expected.x) < 0.02,
                        "vertex \(i): \(metric[i]) vs PROJ \(expected)")
            }
            // The metric box of those vertices, as bbox-crs, finds the grid again.
            let northings = metric.map { $0[0] }, eastings = metric.map { $0[1] }
            let box = [northings.min()!, eastings.min()!, northings.max()!, eastings.max()!].map { String($0) }.joined(separator: ",")
            let found = try features(try await server.get("collections/grids/items", query: [("bbox", box), ("bbox-crs", Self.epsg + "4544")], as: nil))
            #expect(found.contains { $0["id"] as? String == code })
            // The same box in CRS84 (lon/lat) and EPSG:4490 (lat/lon) selects the same grids.
            let lons = lonLat.map { $0[0] }, lats = lonLat.map { $0[1] }
            let a = try features(try await server.get("collections/grids/items", query: [("bbox", "\(lons.min()!),\(lats.min()!),\(lons.max()!),\(lats.max()!)")], as: nil))
            let b = try features(try await server.get("collections/grids/items", query: [
                ("bbox", "\(lats.min()!),\(lons.min()!),\(lats.max()!),\(lons.max()!)"), ("bbox-crs", Self.epsg + "4490")], as: nil))
            #expect(a.compactMap { $0["id"] as? String } == b.compactMap { $0["id"] as? String } && a.contains { $0["id"] as? String == code })
        }
    }

    @Test func invalidParametersAre400NamingThem() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            for (query, field) in [([("limit", "0")], "limit"), ([("limit", "ten")], "limit"), ([("colour", "red")], "colour"),
                                   ([("bbox", "1,2,3")], "bbox"), ([("bbox", "3,2,1,4")], "bbox"), ([("bbox", "1,2,nan,4")], "bbox"),
                                   ([("crs", "EPSG:3857")], "crs"), ([("crs", "http://example.com/crs")], "crs"),
                                   ([("bbox", "1,2,3,4"), ("bbox-crs", "urn:nonsense")], "bbox-crs"), ([("bbox-crs", Self.epsg + "4490")], "bbox-crs"),
                                   ([("datetime", "yesterday")], "datetime"), ([("datetime", "../..")], "datetime"),
                                   ([("datetime", "2026-02-01/2026-01-01")], "datetime"), ([("filter-lang", "cql2-json")], "filter-lang"),
                                   ([("cursor", "x1")], "cursor"), ([("area_m2", "big")], "area_m2"), ([("f", "xml")], "f")] as [([(String, String)], String)] {
                let r = try await server.get("collections/grids/items", query: query, as: nil)
                #expect(r.status == 400, "\(query): \(r)")
                #expect(try r.problem().field == field, "\(query)")
            }
            let unknown = try await server.get("collections/rivers/items", as: nil)
            #expect(unknown.status == 404)
            let noItem = try await server.get("collections/grids/items/999", as: nil)
            #expect(noItem.status == 404)
            #expect(try noItem.problem().field == "featureId")
            let clamped = try object(try await server.get("collections/grids/items", query: [("limit", "20000")], as: nil))
            #expect(clamped["numberReturned"] as? Int == clamped["numberMatched"] as? Int)
        }
    }

    /// Keyset paging: following `next` visits every grid once; `prev` leads back.
    @Test func pagingIsStable() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let all = try object(try await server.get("collections/grids/items", as: nil))
            let total = try #require(all["numberMatched"] as? Int)
            var seen: [String] = [], pages: [[String: Any]] = []
            var next: URL? = server.baseURL.appendingPathComponent("collections/grids/items")
            var query = [("limit", "2")]
            while let url = next, pages.count < 20 {
                var c = URLComponents(url: url, resolvingAgainstBaseURL: false)!
                if !query.isEmpty { c.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
                let page = try object(try await HTTP.get(c.url!, ""))
                query = []
                pages.append(page)
                seen += (page["features"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(page["numberMatched"] as? Int == total)
                next = (page["links"] as? [[String: String]])?.first { $0["rel"] == "next" }.flatMap { URL(string: $0["href"]!) }
            }
            #expect(seen.count == total && Set(seen).count == total, "\(seen)")
            let prev = try #require((pages[1]["links"] as? [[String: String]])?.first { $0["rel"] == "prev" }?["href"])
            let back = try object(try await HTTP.get(try #require(URL(string: prev)), ""))
            #expect((back["features"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == Array(seen.prefix(2)))
        }
    }

    @Test func simpleQueryablesAndDatetime() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let q = try object(try await server.get("collections/components/queryables", as: nil))
            #expect(q["additionalProperties"] as? Bool == false)
            let props = try #require(q["properties"] as? [String: Any])
            #expect(Set(FeatureLayer.named("components")!.properties.map(\.name)).isSubset(of: Set(props.keys)))
            let everything = try features(try await server.get("collections/components/items", query: [("limit", "10000")], as: nil))
            let type = try #require((everything.first?["properties"] as? [String: Any])?["type_code"] as? String)
            let expected = everything.filter { ($0["properties"] as? [String: Any])?["type_code"] as? String == type }.count
            let filtered = try features(try await server.get("collections/components/items", query: [("type_code", type), ("limit", "10000")], as: nil))
            #expect(filtered.count == expected && expected > 0)
            // datetime on the change date (or initial date) of components.
            func day(_ f: [String: Any]) -> String? {
                let p = f["properties"] as? [String: Any]
                return (p?["change_date"] as? String) ?? (p?["initial_date"] as? String)
            }
            let d = try #require(everything.compactMap(day).sorted().dropFirst(everything.count / 2).first)
            let upTo = try features(try await server.get("collections/components/items", query: [("datetime", "../\(d)"), ("limit", "10000")], as: nil))
            #expect(upTo.count == everything.filter { (day($0) ?? "9") <= d }.count)
            let onDay = try features(try await server.get("collections/components/items", query: [("datetime", "\(d)T12:00:00Z"), ("limit", "10000")], as: nil))
            #expect(onDay.count == everything.filter { day($0) == d }.count && !onDay.isEmpty)
            let noTime = try await server.get("collections/roads/items", query: [("datetime", "2026-01-01")], as: nil)
            #expect(noTime.status == 400)
            #expect(try noTime.problem().field == "datetime")
        }
    }

    /// Base-layer answers are cached with an ETag until an import changes the base geography.
    @Test func cachedAnswersFollowImports() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let first = try await server.get("collections/roads/items", as: nil)
            let etag = try #require(first.header("etag"), "\(first)")
            let again = try await server.get("collections/roads/items", as: nil)
            #expect(again.header("etag") == etag && again.body == first.body)
            let unchanged = try await server.get("collections/roads/items", as: nil, headers: ["If-None-Match": etag])
            #expect(unchanged.status == 304 && unchanged.body.isEmpty)
            let roads = try features(first).count
            let report = try server.store.importLayer(.road, from: Fixtures.testcity.appendingPathComponent("roads.geojson"),
                                                      options: ImportOptions(replace: true))
            #expect(report.imported == roads)
            let after = try await server.get("collections/roads/items", as: nil, headers: ["If-None-Match": etag])
            #expect(after.status == 200 && after.header("etag") != etag)
            #expect(try features(after).count == roads)
            // Cases are never cached: a new case shows at once.
            let lonLat = try ring(try features(try await server.get("collections/grids/items", query: [("limit", "1")], as: nil))[0])
            let c = lonLat.reduce((0.0, 0.0)) { ($0.0 + $1[0] / Double(lonLat.count), $0.1 + $1[1] / Double(lonLat.count)) }
            let admin = try await server.signIn("features-admin", .admin)
            let before = try features(try await server.get("collections/cases/items", as: admin)).count
            // The choropleth collection: one feature per grid, this month's reports counted.
            func reported() async throws -> (grids: Int, reported: Int) {
                let counts = try features(try await server.get("collections/grid-case-counts/items", as: admin))
                return (counts.count, counts.reduce(0) { $0 + (($1["properties"] as? [String: Any])?["reported"] as? Int ?? 0) })
            }
            let countsBefore = try await reported()
            #expect(try await server.get("collections/grid-case-counts/items", as: nil).status == 401)
            let inspector = try await server.signIn("features-inspector", .inspector)
            let intake = CaseIntake(kind: .event, code: "06010", location: .init(lon: c.0, lat: c.1, crs: .cgcs2000))
            let made = try await server.report(intake, as: inspector)
            #expect(made.status == 201, "\(made)")
            #expect(try features(try await server.get("collections/cases/items", as: admin)).count == before + 1)
            let countsAfter = try await reported()
            #expect(countsAfter.grids == 6 && countsBefore.grids == 6 && countsAfter.reported == countsBefore.reported + 1)
        }
    }

    /// Key-only collections, key scopes, revocation; cases never show reporter details.
    @Test func departmentKeysAndScopes() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            func key(_ collections: Set<String>?, cases: ApiKey.CasesScope? = nil) throws -> (secret: String, id: Int64) {
                let secret = Credentials.newApiKey()
                let k = try server.store.addApiKey(tokenHash: Credentials.tokenHash(secret), department: "HW", collections: collections,
                                                   casesScope: cases, name: nil, expiresAt: nil)
                return (secret, k.id)
            }
            func get(_ path: String, _ secret: String?) async throws -> Int {
                try await server.get(path, as: nil, headers: secret.map { ["Authorization": "Bearer \($0)"] } ?? [:]).status
            }
            let gridsOnly = try key(["grids"]), withBuildings = try key(["grids", "buildings"]), noCases = try key(nil)
            #expect(try await get("collections/grids/items", nil) == 200)
            #expect(try await get("collections/buildings/items", nil) == 401)
            #expect(try await get("collections/buildings/items", gridsOnly.secret) == 403)
            #expect(try await get("collections/buildings/items", withBuildings.secret) == 200)
            #expect(try await get("collections/buildings/queryables", nil) == 401)
            #expect(try await get("collections/cases/items", nil) == 401)
            #expect(try await get("collections/cases/items", noCases.secret) == 403)
            #expect(try await get("collections/grids/items", "ugk_not-a-key") == 401)
            #expect(try server.store.revokeApiKey(id: withBuildings.id))
            #expect(try await get("collections/buildings/items", withBuildings.secret) == 401)
        }
        try await withCaseServer { crew in
            let server = crew.server
            let a = try crew.ordinaryPoint(0).point, b = try crew.ordinaryPoint(1).point
            let hwCase = try await crew.handling(CaseCrew.event("06010", at: a, reporter: .init(name: "张三", phone: "13800000000")))
            let other = try await crew.report(CaseCrew.event("06010", at: b))
            func key(_ department: String, _ scope: ApiKey.CasesScope) throws -> [String: String] {
                let secret = Credentials.newApiKey()
                try server.store.addApiKey(tokenHash: Credentials.tokenHash(secret), department: department, collections: [],
                                           casesScope: scope, name: nil, expiresAt: nil)
                return ["Authorization": "Bearer \(secret)"]
            }
            func numbers(_ headers: [String: String]) async throws -> Set<String> {
                let r = try await server.get("collections/cases/items", as: nil, headers: headers)
                #expect(r.status == 200, "\(r)")
                #expect(!r.text.contains("13800000000") && !r.text.contains("张三") && !r.text.contains("reporter"))
                return Set(try features(r).compactMap { $0["id"] as? String })
            }
            #expect(try await numbers(key("HW", .own)) == [hwCase.number])
            #expect(try await numbers(key("CGZF", .own)) == [])
            #expect(try await numbers(key("CGZF", .all)) == [hwCase.number, other.number])
            #expect(try await numbers(crew.hw.headers) == [hwCase.number])
            #expect(try await numbers(crew.dispatcher.headers) == [hwCase.number, other.number])
            let single = try await server.get("collections/cases/items/\(other.number)", as: nil, headers: try key("HW", .own))
            #expect(single.status == 404)
        }
    }
}
