import Hummingbird
import UrbanGridStore

/// The request context of every route: Hummingbird's core storage plus the authenticated user.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` from a bearer token; nil for anonymous requests.
    public var user: UserAccount?
    /// Set by `AuthMiddleware` from a department's features-API key (`ugk_…`).
    public var apiKey: ApiKey?

    public init(source: Source) {
        coreContext = .init(source: source)
        user = nil
        apiKey = nil
    }

    /// JSON request bodies up to 1 MB; photo uploads raise this on their own routes.
    public var maxUploadSize: Int { 1 << 20 }
}
