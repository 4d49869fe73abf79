import Hummingbird
import NIOCore
import UrbanGridStore

/// The request context of every route: Hummingbird's core storage plus the authenticated user.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` from a bearer token; nil for anonymous requests.
    public var user: UserAccount?
    /// The SHA-256 of the session token that authenticated `user` (for logout).
    public var sessionTokenHash: String?
    /// Set by `AuthMiddleware` from a department's features-API key (`ugk_…`).
    public var apiKey: ApiKey?
    /// The peer of the connection (the client, or the proxy in front of the server).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        user = nil
        sessionTokenHash = nil
        apiKey = nil
        remoteAddress = source.channel.remoteAddress
    }

    /// JSON request bodies up to 1 MB; photo uploads raise this on their own routes.
    public var maxUploadSize: Int { 1 << 20 }

    /// The client's address without the port, for per-address limits ("unknown" when the
    /// transport has none).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
