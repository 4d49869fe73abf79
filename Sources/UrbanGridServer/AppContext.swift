import Hummingbird
import UrbanGridStore

/// The request context of every route: Hummingbird's core storage plus the authenticated user.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` from a bearer token; nil for anonymous requests.
    public var user: UserAccount?

    public init(source: Source) {
        coreContext = .init(source: source)
        user = nil
    }

    /// JSON request bodies up to 1 MB; photo uploads raise this on their own routes.
    public var maxUploadSize: Int { 1 << 20 }
}
