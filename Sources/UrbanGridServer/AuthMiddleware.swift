import Hummingbird
import UrbanGridCore
import UrbanGridStore

/// Resolves `Authorization: Bearer <token>` to a user. A request without the header stays
/// anonymous (routes decide what that may do); a bad or expired token is a 401 at once.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: CityStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw Problem.unauthorized() }
        guard let user = try store.sessionUser(tokenHash: Credentials.tokenHash(String(parts[1]))) else {
            throw Problem.unauthorized()
        }
        var context = context
        context.user = user
        context.logger[metadataKey: "user"] = "\(user.username)"
        return try await next(request, context)
    }
}

extension AppRequestContext {
    /// The caller, who must hold one of `roles` (any role when empty).
    func requireUser(_ roles: Set<Role> = []) throws -> UserAccount {
        guard let user else { throw Problem.unauthorized() }
        guard roles.isEmpty || roles.contains(user.role) else {
            throw Problem.forbidden("role \(user.role.rawValue) may not do this",
                                    "角色 \(user.role.nameZh) 无权执行此操作")
        }
        return user
    }
}
