import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import UrbanGridCore
import UrbanGridStore

extension UserAccount: ResponseEncodable {}

struct LoginRequest: Decodable { var username: String; var password: String }

struct LoginResponse: ResponseEncodable {
    var token: String
    var tokenType = "Bearer"
    var expiresIn: Int
    var user: UserAccount
}

/// `POST /api/v1/sessions` {username, password} → {token}; `DELETE /api/v1/sessions/current`
/// (log out: the presented token is revoked); `GET /api/v1/me`.
struct SessionRoutes {
    let store: CityStore
    let tokenLifetime: TimeInterval
    let throttle: LoginThrottle
    /// Verified against when the username is unknown, so both paths cost one bcrypt.
    static let dummyHash = Credentials.hashPassword(Credentials.newPassword())

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("sessions") { request, context in try await login(request, context) }
        group.delete("sessions/current") { _, context -> Response in
            let user = try context.requireUser()
            guard let hash = context.sessionTokenHash else { throw Problem.unauthorized() }
            try store.revokeSession(tokenHash: hash)
            context.logger.info("logout", metadata: ["user": "\(user.username)"])
            return Response(status: .noContent)
        }
        group.get("me") { _, context -> UserAccount in try context.requireUser() }
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(LoginRequest.self, from: request, context: context)
        let address = context.clientAddress
        if let wait = throttle.wait(username: body.username, address: address) {
            // No username in the log: a password typed into the username field must not end up there.
            context.logger.notice("login refused: too many failures", metadata: ["address": "\(address)"])
            return Problem.tooManyRequests(retryAfter: wait, "too many failed logins for this user or from this address",
                                           "登录失败次数过多", field: "username")
        }
        let found = try store.credentials(username: body.username)
        // Hash even for unknown users so timing does not reveal which usernames exist.
        let hash = found?.passwordHash ?? Self.dummyHash
        let ok = try await NIOThreadPool.singleton.runIfActive { Credentials.verify(body.password, hash: hash) }
        guard ok, let account = found?.account else {
            throttle.recordFailure(username: body.username, address: address)
            context.logger.notice("login failed", metadata: ["user": "\(found?.account.username ?? "(unknown)")", "address": "\(address)"])
            throw Problem("invalid-credentials", status: 401, title: "Invalid credentials",
                          detail: "Unknown username or wrong password.", detailZh: "用户名或密码错误", field: "password")
        }
        throttle.recordSuccess(username: body.username)
        let token = Credentials.newToken()
        try store.createSession(userID: account.id, tokenHash: Credentials.tokenHash(token), lifetime: tokenLifetime)
        context.logger.info("login", metadata: ["user": "\(account.username)", "role": "\(account.role.rawValue)"])
        return try LoginResponse(token: token, expiresIn: Int(tokenLifetime), user: account)
            .response(from: request, context: context).withStatus(.created)
    }
}

extension Response {
    func withStatus(_ status: HTTPResponse.Status) -> Response {
        var r = self
        r.status = status
        return r
    }
}

/// JSON request bodies, with decoding errors turned into a 400 that names the field.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: AppRequestContext) async throws -> T {
        try decode(T.self, from: try await bytes(of: request, context: context))
    }

    /// The whole body, up to `context.maxUploadSize` bytes (413 beyond).
    static func bytes(of request: Request, context: AppRequestContext) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: context.maxUploadSize).readableBytesView)
        } catch {
            throw Problem("body-too-large", status: 413, title: "Request body too large",
                          detail: "The body exceeds \(context.maxUploadSize) bytes.", detailZh: "请求体过大", field: "body")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do { try JSONSyntax.check([UInt8](data)) } catch {
            throw Problem.badJSON("the body is not valid JSON (RFC 8259): \(error.reason) at byte \(error.offset)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw Problem("invalid-body", status: 400, title: "Invalid request body",
                          detail: "missing field '\(key.stringValue)'", detailZh: "缺少字段 '\(key.stringValue)'", field: key.stringValue)
        } catch let DecodingError.typeMismatch(_, ctx), let DecodingError.valueNotFound(_, ctx) {
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            guard !path.isEmpty else { throw Problem.badJSON("the body must be a JSON object") }
            throw Problem("invalid-body", status: 400, title: "Invalid request body",
                          detail: "field '\(path)' has the wrong type", detailZh: "字段 '\(path)' 类型错误", field: path)
        } catch let DecodingError.dataCorrupted(ctx) where !ctx.codingPath.isEmpty {
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem("invalid-body", status: 400, title: "Invalid request body",
                          detail: "field '\(path)': \(ctx.debugDescription)", detailZh: "字段 '\(path)' 无效", field: path)
        } catch {
            throw Problem.badJSON("the body is not valid JSON")
        }
    }
}
