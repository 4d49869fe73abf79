// Bad input through HTTP on the real server: each refused with a 4xx problem+json that names the
// field or parameter at fault, and nothing stored (counts before and after). Malformed, huge and
// very deep JSON; invalid geometry; coordinates off the city, off the CRS, NaN and infinities;
// unknown codes and wrong code lengths; oversized and fake photos and path-like file names; SQL and
// CQL injection attempts in every filter.

import Foundation
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

/// What a refused request must leave as it was.
struct StoredCounts: Equatable, CustomStringConvertible {
    var cases: Int, lastAudit: Int64, webhooks: Int, photos: Int, photoFiles: Int

    static func of(_ crew: CaseCrew, photosOf caseID: Int64) throws -> StoredCounts {
        let store = crew.server.store
        var cases = 0, cursor: Int64?
        repeat {
            var filter = CaseFilter()
            filter.limit = 500
            filter.before = cursor
            let page = try store.cases(filter, viewer: crew.admin.account)
            cases += page.items.count
            cursor = page.next
        } while cursor != nil
        return StoredCounts(cases: cases, lastAudit: try store.lastEventSeq(), webhooks: try store.webhooks(department: "HW").count,
                            photos: try store.media(caseID: caseID).count, photoFiles: crew.server.storedPhotoFiles.count)
    }

    var description: String { "cases \(cases), audit \(lastAudit), webhooks \(webhooks), photos \(photos) (\(photoFiles) files)" }
}

@Suite struct BadInputTests {
    /// Runs `body` on a Helsinki server with one case (the photos' case) and checks that nothing
    /// was stored meanwhile.
    func withUnchangedStore(_ body: (CaseCrew, CaseView) async throws -> Void) async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.report(CaseCrew.event("06010", at: p))
            let before = try StoredCounts.of(crew, photosOf: c.id)
            try await body(crew, c)
            let after = try StoredCounts.of(crew, photosOf: c.id)
            #expect(after == before, "stored meanwhile: before \(before), after \(after)")
        }
    }

    /// The JSON-bodied operations, as a user who may call each.
    func jsonEndpoints(_ crew: CaseCrew, _ c: CaseView) -> [(path: String, user: Session?)] {
        [("api/v1/sessions", nil), ("api/v1/cases", crew.inspector),
         ("api/v1/cases/\(c.id)/actions/accept", crew.operator_), ("api/v1/departments/HW/webhooks", crew.admin)]
    }

    @Test func malformedJSONIsA400NamingTheBody() async throws {
        try await withUnchangedStore { crew, c in
            let bodies: [(String, Data)] = [
                ("truncated", Data(#"{"kind":"event","code":"#.utf8)),
                ("unbalanced", Data("{".utf8)),
                ("an array", Data("[1,2]".utf8)),
                ("null", Data("null".utf8)),
                ("a string", Data(#""hello""#.utf8)),
                ("a trailing comma", Data(#"{"url":"http://x","secret":"0123456789abcdef","note":"x","username":"a","password":"b",}"#.utf8)),
                ("a comment", Data(#"{"note":"x"} // done"#.utf8)),
                ("NaN", Data(#"{"hours":NaN}"#.utf8)),
                ("a leading zero", Data(#"{"hours":08}"#.utf8)),
                ("a raw newline in a string", Data("{\"note\":\"a\nb\"}".utf8)),
                ("not UTF-8", Data([0x7B, 0xFF, 0xFE, 0x7D])),
                ("single quotes", Data("{'note':'x'}".utf8)),
            ]
            for (path, user) in jsonEndpoints(crew, c) {
                for (what, body) in bodies {
                    let r = try await HTTP.post(crew.server.baseURL, path, body: body, headers: user?.headers ?? [:])
                    expectProblem(r, 400, field: "body", kind: "invalid-body", "\(what) to \(path)")
                }
            }
        }
    }

    @Test func numbersJSONCannotCarryAreA400NamingTheField() async throws {
        try await withUnchangedStore { crew, c in
            let (p, _) = try crew.ordinaryPoint()
            for lon in ["1e999", "-1e999", "NaN", "Infinity", "0x18"] {
                let body = #"{"kind":"event","code":"06010","location":{"lon":\#(lon),"lat":\#(p.y)}}"#
                let r = try await HTTP.post(crew.server.baseURL, "api/v1/cases", body: Data(body.utf8), headers: crew.inspector.headers)
                #expect(r.status == 400, "lon \(lon): \(r)")
                let field = try r.problem().field
                #expect(field == "location.lon" || field == "body", "lon \(lon): \(r)")
            }
            let hours = try await HTTP.post(crew.server.baseURL, "api/v1/cases/\(c.id)/actions/request-extension",
                                            body: Data(#"{"note":"x","hours":1e999}"#.utf8), headers: crew.hw.headers)
            #expect(hours.status == 400, "\(hours)")
        }
    }

    @Test func bodiesOverOneMegabyteAre413() async throws {
        try await withUnchangedStore { crew, c in
            let padding = String(repeating: "水", count: 700_000)   // 2.1 MB of UTF-8
            let body = Data(#"{"kind":"event","code":"06010","description":"\#(padding)","note":"\#(padding)"}"#.utf8)
            for (path, user) in jsonEndpoints(crew, c) {
                let r = try await HTTP.post(crew.server.baseURL, path, body: body, headers: user?.headers ?? [:])
                expectProblem(r, 413, field: "body", kind: "body-too-large", path)
            }
            // Just under the limit is read (and refused for what it says, not for its size).
            let fits = Data(#"{"kind":"event","code":"06010","description":"\#(String(repeating: "x", count: 1_000_000))"}"#.utf8)
            let r = try await HTTP.post(crew.server.baseURL, "api/v1/cases", body: fits, headers: crew.inspector.headers)
            expectProblem(r, 400, field: "location", kind: "invalid-body")
        }
    }

    /// 100,000 nested arrays (200 KB, under the size limit): a recursive parser without a depth
    /// limit would overflow its stack and take the server down.
    @Test func veryDeepJSONIsA400QuicklyAndTheServerLives() async throws {
        try await withUnchangedStore { crew, c in
            let depth = 100_000
            let deep: [(String, Data)] = [
                ("arrays", Data((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)),
                ("objects", Data((String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)).utf8)),
                ("in a member", Data((#"{"note":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}").utf8)),
            ]
            for (path, user) in jsonEndpoints(crew, c) {
                for (what, body) in deep {
                    let started = ContinuousClock.now
                    let r = try await HTTP.post(crew.server.baseURL, path, body: body, headers: user?.headers ?? [:])
                    #expect(r.status == 400, "\(what) to \(path): \(r)")
                    #expect(r.header("content-type") == "application/problem+json", "\(what) to \(path): \(r)")
                    // A bound for a hang or a quadratic parser, not a benchmark: generous, since the
                    // whole suite runs in parallel on two cores (5 s was once exceeded that way).
                    #expect(ContinuousClock.now - started < .seconds(20), "\(what) to \(path)")
                }
            }
            let alive = try await HTTP.get(crew.server.baseURL, "healthz")
            #expect(alive.status == 200)
            // A filter nested as deep is refused by the CQL2 parser's own limit.
            let filter = String(repeating: "(", count: 5_000) + "TRUE" + String(repeating: ")", count: 5_000)
            let f = try await HTTP.get(crew.server.baseURL, "collections/grids/items", query: [("filter", filter)])
            expectProblem(f, 400, field: "filter")
            let nots = String(repeating: "NOT ", count: 5_000) + "TRUE"
            expectProblem(try await HTTP.get(crew.server.baseURL, "collections/grids/items", query: [("filter", nots)]), 400, field: "filter")
        }
    }

    @Test func invalidGeometryInAFilterIsA400NotAnEmptyAnswer() async throws {
        try await withUnchangedStore { crew, _ in
            func items(_ filter: String, crs: String? = nil) async throws -> HTTPResult {
                var query = [("filter", filter)]
                if let crs { query.append(("filter-crs", crs)) }
                return try await HTTP.get(crew.server.baseURL, "collections/grids/items", query: query)
            }
            // The control: a valid square over the centre matches grids.
            let square = "POLYGON((24.94 60.168, 24.95 60.168, 24.95 60.172, 24.94 60.172, 24.94 60.168))"
            let ok = try await items("S_INTERSECTS(geom, \(square))")
            #expect(ok.status == 200, "\(ok)")
            #expect(((try JSONSerialization.jsonObject(with: ok.body) as? [String: Any])?["numberMatched"] as? Int ?? 0) > 0)

            let invalid = [
                // A bow tie: the ring crosses itself.
                "S_INTERSECTS(geom, POLYGON((24.94 60.168, 24.95 60.172, 24.95 60.168, 24.94 60.172, 24.94 60.168)))",
                "S_WITHIN(geom, POLYGON((24.94 60.168, 24.95 60.172, 24.95 60.168, 24.94 60.172, 24.94 60.168)))",
                // A hole outside its shell.
                "S_INTERSECTS(geom, POLYGON((24.94 60.168, 24.95 60.168, 24.95 60.172, 24.94 60.172, 24.94 60.168), (25 61, 25.1 61, 25.1 61.1, 25 61)))",
                // Two overlapping parts of one multipolygon.
                "S_INTERSECTS(geom, MULTIPOLYGON(((24.94 60.168, 24.95 60.168, 24.95 60.172, 24.94 60.172, 24.94 60.168)), ((24.945 60.17, 24.96 60.17, 24.96 60.18, 24.945 60.18, 24.945 60.17))))",
                // A ring that doubles back on itself (zero area spike).
                "S_INTERSECTS(geom, POLYGON((24.94 60.168, 24.95 60.168, 24.94 60.168, 24.94 60.172, 24.94 60.168)))",
                // Off the globe in CRS84.
                "S_INTERSECTS(geom, POINT(200 100))",
                "S_INTERSECTS(geom, BBOX(-200, -100, 200, 100))",
            ]
            for filter in invalid {
                let r = try await items(filter)
                expectProblem(r, 400, field: "filter", kind: "invalid-parameter", filter)
            }
            // Off the domain of a projected filter CRS (EPSG:3879, GK25): no transform to storage.
            let far = try await items("S_INTERSECTS(geom, POINT(1e15 1e15))", crs: "http://www.opengis.net/def/crs/EPSG/0/3879")
            expectProblem(far, 400, "a point 10^15 m away")
        }
    }

    @Test func coordinatesOffTheCityOrTheCRSAndNonNumbersAre4xx() async throws {
        try await withUnchangedStore { crew, _ in
            let server = crew.server
            let (p, _) = try crew.ordinaryPoint()
            func locate(_ lon: String, _ lat: String, _ extra: [(String, String)] = []) async throws -> HTTPResult {
                try await HTTP.get(server.baseURL, "api/v1/locate", query: [("lon", lon), ("lat", lat)] + extra)
            }
            let lat = String(p.y), lon = String(p.x)
            #expect(try await locate(lon, lat).status == 200)
            for bad in ["NaN", "nan", "inf", "-Infinity", "1e999", "", " ", "24,9", "181", "-180.0001"] {
                expectProblem(try await locate(bad, lat), 400, field: "lon", "lon=\(bad)")
            }
            for bad in ["NaN", "91", "-90.5", "1e999"] {
                expectProblem(try await locate(lon, bad), 400, field: "lat", "lat=\(bad)")
            }
            expectProblem(try await locate(lon, lat, [("radius", "NaN")]), 400, field: "radius")
            expectProblem(try await locate(lon, lat, [("radius", "1e999")]), 400, field: "radius")
            expectProblem(try await locate(lon, lat, [("limit", "1e3")]), 400, field: "limit")
            // On the globe but not in the city (Beijing), and in a sea of GCJ-02 conversion.
            expectProblem(try await locate("116.39", "39.9"), 422, kind: "outside-city")
            expectProblem(try await locate("0", "0", [("crs", "gcj02")]), 422, kind: "outside-city")

            // Intake: off the globe is 400, off the city 422.
            for (x, y, status) in [(200.0, 60.0, 400), (24.9, -95.0, 400), (116.39, 39.9, 422), (0.0, 0.0, 422)] {
                let r = try await server.report(CaseCrew.event("06010", at: Point2(x, y)), as: crew.inspector)
                expectProblem(r, status, field: "location", "(\(x), \(y))")
            }

            // bbox of the case list and of the features API.
            let cases = "api/v1/cases"
            for bbox in ["nan,60,25,61", "24,60,inf,61", "1e999,60,25,61", "200,60,210,61", "24,-95,25,61", "25,60,24,61",
                         "24,60,25", "24,60,25,61,62", "a,b,c,d", "24,,25,61"] {
                expectProblem(try await server.get(cases, query: [("bbox", bbox)], as: crew.dispatcher), 400, field: "bbox", bbox)
                expectProblem(try await HTTP.get(server.baseURL, "collections/grids/items", query: [("bbox", bbox)]), 400,
                              field: "bbox", bbox)
            }
            expectProblem(try await HTTP.get(server.baseURL, "collections/grids/items", query: [("bbox", "-200,-100,200,100")]), 400,
                          field: "bbox")
            let projected = try await HTTP.get(server.baseURL, "collections/grids/items",
                                               query: [("bbox", "-1e15,-1e15,1e15,1e15"), ("bbox-crs", "http://www.opengis.net/def/crs/EPSG/0/3879")])
            #expect(projected.status == 400 || projected.status == 200, "\(projected)")
        }
    }

    @Test func unknownCodesAndWrongLengthsAre400NamingTheField() async throws {
        try await withUnchangedStore { crew, _ in
            let server = crew.server
            let (p, _) = try crew.ordinaryPoint()
            // Intake: unknown, too short, too long, letters, full-width digits, empty, a component code as a matter.
            for code in ["99999", "123", "060100", "06O10", "０６０１０", "", "06010 ", "1"] {
                let r = try await server.report(CaseCrew.event(code, at: p), as: crew.inspector)
                expectProblem(r, 400, field: "code", "code '\(code)'")
            }
            // locate's component type.
            for type in ["1234", "99999", "010370", "abcde"] {
                let r = try await HTTP.get(server.baseURL, "api/v1/locate", query: [("lon", String(p.x)), ("lat", String(p.y)), ("type", type)])
                expectProblem(r, 400, field: "type", "type '\(type)'")
            }
            // The case list's code filters.
            for (name, value) in [("code", "123"), ("code", "0601O"), ("grid", "99010100100100"), ("grid", "9901010010010011"),
                                  ("community", "x"), ("street", "1"), ("department", "NOPE"), ("status", "lost"),
                                  ("step", "limbo"), ("light", "blue"), ("from", "yesterday"), ("cursor", "-1"), ("limit", "501")] {
                let r = try await server.get("api/v1/cases", query: [(name, value)], as: crew.dispatcher)
                expectProblem(r, 400, field: name, "\(name)=\(value)")
            }
        }
    }

    @Test func aFiftyMegabytePhotoAndAFakePhotoAreRefused() async throws {
        try await withUnchangedStore { crew, c in
            let server = crew.server
            var huge = Data(count: 50 * 1024 * 1024)   // a JPEG signature, then zeros (fast to make)
            huge.replaceSubrange(0..<4, with: [0xFF, 0xD8, 0xFF, 0xE0])
            let big = MultipartForm([.file("huge.jpg", "image/jpeg", huge)])
            expectProblem(try await server.upload(c.id, big, as: crew.inspector), 413, field: "file", kind: "body-too-large")
            let fake = MultipartForm([.file("photo.png", "image/png", Data("<?php system($_GET['c']); ?>".utf8))])
            expectProblem(try await server.upload(c.id, fake, as: crew.inspector), 415, field: "file", kind: "unsupported-media-type")
            let svg = MultipartForm([.file("x.jpg", "image/jpeg", Data("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8))])
            expectProblem(try await server.upload(c.id, svg, as: crew.inspector), 415, field: "file")
        }
    }

    @Test func pathCharactersInFileNamesStayLabels() async throws {
        try await withCaseServer { crew in
            let server = crew.server
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.report(CaseCrew.event("06010", at: p))
            let names = ["../../etc/passwd", "/etc/shadow", #"C:\Windows\system.ini"#, "..", ".", "%2e%2e%2fpasswd",
                         String(repeating: "长", count: 300) + ".png"]
            let form = MultipartForm(names.enumerated().map { i, name in
                .file(name, "image/jpeg", TestImages.jpegLike(count: 64, seed: UInt64(100 + i)))
            })
            let r = try await server.upload(c.id, form, as: crew.inspector)
            try #require(r.status == 201, "\(r)")
            let stored = try await server.mediaList(c.id, as: crew.operator_).map(\.filename)
            #expect(stored.count == names.count)
            #expect(Array(stored.prefix(5)) == ["passwd", "shadow", "system.ini", nil, nil])
            for name in stored.compactMap({ $0 }) {
                #expect(!name.contains("/") && !name.contains("\\") && name != ".." && name.count <= 120, "\(name)")
                #expect(!name.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) }, "\(name.debugDescription)")
            }
            let root = URL(fileURLWithPath: server.store.path + ".media").standardizedFileURL.path + "/"
            #expect(server.storedPhotoFiles.count == names.count)
            #expect(server.storedPhotoFiles.allSatisfy { $0.standardizedFileURL.path.hasPrefix(root) })
            #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: server.store.path).deletingLastPathComponent()
                .appendingPathComponent("passwd").path))

            // Control characters in a name: dropped from the label, or the multipart body is refused whole.
            let control = MultipartForm([.file("tab\there\u{7}.png", "image/jpeg", TestImages.jpegLike(count: 64, seed: 99))])
            let r2 = try await server.upload(c.id, control, as: crew.inspector)
            if r2.status == 201 {
                #expect(try r2.decode(MediaItems.self).items.map(\.filename) == ["tabhere.png"])
            } else {
                expectProblem(r2, 400, field: "body")
                #expect(server.storedPhotoFiles.count == names.count)
            }
        }
    }

    @Test func sqlAndCQLInjectionFindsNothingAndBreaksNothing() async throws {
        try await withUnchangedStore { crew, _ in
            let server = crew.server
            let attempts = ["' OR '1'='1", "' OR 1=1 --", "'; DROP TABLE case_record; --", "\" OR \"\"=\"", "%", "_", "\\", "*",
                            "1) OR (1=1", "x' UNION SELECT password_hash FROM user --"]
            for q in attempts {
                let r = try await server.get("api/v1/cases", query: [("q", q)], as: crew.dispatcher)
                #expect(r.status == 200, "q=\(q): \(r)")
                #expect(try r.json(CasePage.self).items.isEmpty, "q=\(q) matched: \(r)")
                // The code filters check their format first.
                for name in ["code", "grid", "community", "street", "department"] {
                    expectProblem(try await server.get("api/v1/cases", query: [(name, q)], as: crew.dispatcher), 400, field: name, "\(name)=\(q)")
                }
                // Simple queryables are bound values: nothing matches.
                for (collection, property) in [("components", "status"), ("grids", "community_code"), ("components", "type_code")] {
                    let f = try await HTTP.get(server.baseURL, "collections/\(collection)/items", query: [(property, q)])
                    #expect(f.status == 200, "\(property)=\(q): \(f)")
                    #expect((try JSONSerialization.jsonObject(with: f.body) as? [String: Any])?["numberMatched"] as? Int == 0, "\(property)=\(q)")
                }
            }
            // CQL2: quotes stay inside string literals, names must be queryables, SQL is not CQL2.
            let filters: [(String, Int)] = [
                ("status = 'x'' OR ''1''=''1'", 200),
                ("status = 'x'); DROP TABLE grid; --", 400),
                ("\"status) OR (1\" = 'x'", 400),
                ("status = 'x' UNION SELECT * FROM user", 400),
                ("status = lower('X')", 400),
                ("sqlite_version() = '3'", 400),
                ("password_hash = 'x'", 400),
                ("status LIKE '%' ESCAPE '\\'", 400),
            ]
            for (filter, status) in filters {
                let f = try await HTTP.get(server.baseURL, "collections/components/items", query: [("filter", filter)])
                if status == 200 {
                    #expect(f.status == 200, "\(filter): \(f)")
                    #expect((try JSONSerialization.jsonObject(with: f.body) as? [String: Any])?["numberMatched"] as? Int == 0, "\(filter)")
                } else {
                    expectProblem(f, status, field: "filter", filter)
                }
            }
            // The tables are all there.
            let grids = try await HTTP.get(server.baseURL, "collections/grids/items", query: [("limit", "1")])
            #expect((try JSONSerialization.jsonObject(with: grids.body) as? [String: Any])?["numberMatched"] as? Int == 178)
        }
    }

    /// A key's department scope is applied outside the filter, so `OR TRUE` cannot widen it.
    @Test func aFilterCannotWidenAKeysCaseScope() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let hw = try await crew.handling(CaseCrew.event("06010", at: p), department: "HW")
            let secret = Credentials.newApiKey()
            try crew.server.store.addApiKey(tokenHash: Credentials.tokenHash(secret), department: "CGZF", collections: nil,
                                            casesScope: .own, name: nil, expiresAt: nil)
            let headers = ["Authorization": "Bearer \(secret)"]
            for filter in ["TRUE OR TRUE", "department = 'HW' OR 1 = 1", "NOT (department = 'CGZF')"] {
                let r = try await HTTP.get(crew.server.baseURL, "collections/cases/items", query: [("filter", filter)], headers: headers)
                #expect(r.status == 200 || r.status == 400, "\(filter): \(r)")
                if r.status == 200 {
                    #expect(!r.text.contains(hw.number), "\(filter) showed HW's case to a CGZF key")
                }
            }
            let simple = try await HTTP.get(crew.server.baseURL, "collections/cases/items", query: [("department", "HW")], headers: headers)
            #expect(simple.status == 200 && !simple.text.contains(hw.number), "\(simple)")
        }
    }
}
