import Hummingbird
import UrbanGridCore
import UrbanGridStore

/// Resolves `Authorization: Bearer <token>` to a user, or to a department's API key when the
/// token starts with `ugk_`. A request without the header stays anonymous (routes decide what
/// that may do); a bad, expired or revoked token is a 401 at once.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: CityStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw Problem.unauthorized() }
        let token = String(parts[1])
        var context = context
        if token.hasPrefix(Credentials.apiKeyPrefix) {
            guard let key = try store.apiKey(tokenHash: Credentials.tokenHash(token)) else { throw Problem.unauthorized() }
            context.apiKey = key
            context.logger[metadataKey: "apiKey"] = "\(key.id)"
            return try await next(request, context)
        }
        let hash = Credentials.tokenHash(token)
        guard let user = try store.sessionUser(tokenHash: hash) else { throw Problem.unauthorized() }
        context.user = user
        context.sessionTokenHash = hash
        context.logger[metadataKey: "user"] = "\(user.username)"
        return try await next(request, context)
    }
}

extension AppRequestContext {
    /// The caller, who must hold one of `roles` (any role when empty). A department's key is a
    /// valid credential, but only for the features API: 403 here.
    func requireUser(_ roles: Set<Role> = []) throws -> UserAccount {
        guard let user else {
            guard apiKey == nil else {
                throw Problem.forbidden("a department key opens only the features API (/collections); log in as a user",
                                        "部门密钥只能访问要素服务(/collections),请以用户身份登录")
            }
            throw Problem.unauthorized()
        }
        guard roles.isEmpty || roles.contains(user.role) else {
            throw Problem.forbidden("role \(user.role.rawValue) may not do this",
                                    "角色 \(user.role.nameZh) 无权执行此操作")
        }
        return user
    }
}
