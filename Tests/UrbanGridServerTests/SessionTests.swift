import Foundation
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

/// The login answer as a client reads it.
private struct Login: Decodable {
    var token: String
    var tokenType: String
    var expiresIn: Int
    var user: UserAccount
}

private let password = "correct horse battery staple"

@Suite struct SessionTests {
    @Test func loginGivesATokenThatIdentifiesTheUser() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let inspector = try server.store.addUser(username: "inspector.li", role: .inspector, department: nil,
                                                     passwordHash: Credentials.hashPassword(password))
            // Department staff, with the department given by its Chinese name.
            let staff = try server.store.addUser(username: "sw.wang", role: .departmentStaff, department: "水务集团",
                                                 passwordHash: Credentials.hashPassword(password))
            #expect(staff.departmentCode == "SW")

            for account in [inspector, staff] {
                let response = try await HTTP.postJSON(server.baseURL, "api/v1/sessions",
                                                       ["username": account.username, "password": password])
                #expect(response.status == 201, "\(response)")
                let login = try response.decode(Login.self)
                #expect(login.tokenType == "Bearer")
                #expect(login.expiresIn == 12 * 3600)
                #expect(login.user == account)
                // 256 random bits in unpadded URL-safe base64: 43 characters.
                #expect(login.token.count == 43)
                #expect(login.token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })

                let me = try await HTTP.get(server.baseURL, "api/v1/me", headers: ["Authorization": "Bearer \(login.token)"])
                #expect(me.status == 200, "\(me)")
                #expect(try me.decode(UserAccount.self) == account)
                // The scheme is case-insensitive (RFC 9110 §11.1).
                let lower = try await HTTP.get(server.baseURL, "api/v1/me", headers: ["Authorization": "bearer \(login.token)"])
                #expect(lower.status == 200)
            }
            // Usernames match without regard to case, as the schema says (COLLATE NOCASE).
            let shouted = try await HTTP.postJSON(server.baseURL, "api/v1/sessions", ["username": "INSPECTOR.LI", "password": password])
            #expect(shouted.status == 201, "\(shouted)")
            // Each login is its own session.
            let again = try await HTTP.postJSON(server.baseURL, "api/v1/sessions", ["username": "inspector.li", "password": password])
            #expect(try again.decode(Login.self).token != (try shouted.decode(Login.self).token))
        }
    }

    @Test func wrongPasswordAndUnknownUserAreTheSame401() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            try server.store.addUser(username: "operator.zhao", role: .operator_, department: nil,
                                     passwordHash: Credentials.hashPassword(password))
            let wrong = try await HTTP.postJSON(server.baseURL, "api/v1/sessions",
                                                ["username": "operator.zhao", "password": password + "!"])
            #expect(wrong.status == 401, "\(wrong)")
            let problem = try wrong.problem()
            #expect(problem.type == "urn:urbangrid:problem:invalid-credentials")
            #expect(!problem.detailZh.isEmpty)
            #expect(!wrong.text.contains("token"))

            let unknown = try await HTTP.postJSON(server.baseURL, "api/v1/sessions", ["username": "nobody", "password": password])
            #expect(unknown.status == 401)
            // Same answer either way: the response does not tell which usernames exist.
            #expect(try unknown.problem() == problem)
        }
    }

    @Test(arguments: ["Bearer garbage", "Bearer ", "Basic b3BlcmF0b3I6cGFzc3dvcmQ=", "Bearer \(String(repeating: "A", count: 43))"])
    func badTokensAre401(authorization: String) async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let response = try await HTTP.get(server.baseURL, "api/v1/me", headers: ["Authorization": authorization])
            #expect(response.status == 401, "\(response)")
            #expect(try response.problem().type == "urn:urbangrid:problem:unauthorized")
        }
    }

    @Test func anonymousMeIs401() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let response = try await HTTP.get(server.baseURL, "api/v1/me")
            #expect(response.status == 401)
            #expect(try response.problem().type == "urn:urbangrid:problem:unauthorized")
        }
    }

    @Test(arguments: [
        (#"{"username": "a", "password": "#, "body"),           // not JSON
        (#"["a", "b"]"#, "body"),                                 // JSON, wrong shape
        ("", "body"),                                             // empty
        (#"{"username": "a"}"#, "password"),                      // missing member
        (#"{"username": 5, "password": "x"}"#, "username"),       // wrong type
    ])
    func malformedBodiesAre400NamingTheField(body: String, field: String) async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let response = try await HTTP.post(server.baseURL, "api/v1/sessions", body: Data(body.utf8))
            #expect(response.status == 400, "\(body): \(response)")
            let problem = try response.problem()
            #expect(problem.field == field, "\(body): \(response)")
            #expect(problem.type == "urn:urbangrid:problem:invalid-body")
        }
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        try await withServer(city: Fixtures.testcity) { server in
            let responses = [
                try await HTTP.get(server.baseURL, "healthz"),                                          // 200
                try await HTTP.get(server.baseURL, "api/v1/me", headers: ["Authorization": "Bearer x"]), // 401
                try await HTTP.post(server.baseURL, "api/v1/sessions", body: Data("{".utf8)),           // 400
                try await HTTP.get(server.baseURL, "api/v1/locate", query: [("lon", "0"), ("lat", "0")]), // 422
                try await HTTP.get(server.baseURL, "no/such/path"),                                     // 404
            ]
            #expect(responses.map(\.status) == [200, 401, 400, 422, 404])
            for r in responses {
                #expect(r.header("X-Content-Type-Options") == "nosniff", "\(r)")
                #expect(r.header("X-Frame-Options") == "DENY", "\(r)")
                #expect(r.header("Referrer-Policy") == "no-referrer", "\(r)")
                #expect(r.header("Cache-Control") == "no-store", "\(r)")
                #expect(r.header("Content-Security-Policy")?.contains("default-src 'none'") == true, "\(r)")
            }
        }
    }
}
