import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import UrbanGridCore
import UrbanGridStore

public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var tokenLifetime: TimeInterval
    public var intake: IntakeSettings
    /// Largest photo accepted, per file (default 10 MB).
    public var maxPhotoBytes: Int
    /// Memory for cached features-API answers of base layers (0 turns the cache off).
    public var featureCacheBytes: Int = 64 << 20
    /// Webhooks may point at loopback and private addresses (closed networks, tests).
    public var allowInternalWebhookTargets = false
    public init(host: String = "127.0.0.1", port: Int = 8080, tokenLifetime: TimeInterval = 12 * 3600,
                intake: IntakeSettings = IntakeSettings(), maxPhotoBytes: Int = 10 * 1024 * 1024) {
        self.host = host; self.port = port; self.tokenLifetime = tokenLifetime; self.intake = intake
        self.maxPhotoBytes = maxPhotoBytes
    }
}

/// Builds the HTTP application over one city's store: a router value with its middleware and routes.
public func buildApplication(
    store: CityStore, configuration: ServerConfiguration, logger: Logger,
    metrics: PrometheusCollectorRegistry,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    let openAPI = OpenAPIDocument(profile: store.profile, crs: store.crs.supported.map(\.uri))
    router.add(middleware: ProblemMiddleware(routes: openAPI.routes))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: AuthMiddleware(store: store))

    router.get("healthz") { _, _ -> HealthResponse in
        HealthResponse(status: "ok", city: store.profile.id, libraries: CityStore.libraryVersions,
                       storageCrs: store.crs.storage.uri, metricCrs: store.crs.metric.uri,
                       metricAxisOrder: store.crs.swapsAxes(store.crs.metric) ? "northing-easting" : "easting-northing")
    }
    router.get("metrics") { _, _ -> Response in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
    }
    let api = router.group("api/v1")
    SessionRoutes(store: store, tokenLifetime: configuration.tokenLifetime).register(on: api)
    LocateRoutes(store: store).register(on: api)
    let hub = EventHub()
    CaseRoutes(store: store, hub: hub, intake: configuration.intake).register(on: api)
    WebhookRoutes(store: store, allowInternalTargets: configuration.allowInternalWebhookTargets).register(on: api)
    MediaRoutes(store: store, maxFileBytes: configuration.maxPhotoBytes).register(on: api)
    EvaluationRoutes(store: store).register(on: api)
    FeatureRoutes(store: store, openAPI: openAPI.body,
                  cache: FeatureResponseCache(budgetBytes: configuration.featureCacheBytes)).register(on: router)

    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                             serverName: "UrbanGrid"),
        services: [WebhookDeliveryService(store: store, hub: hub, logger: logger)],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

struct HealthResponse: ResponseEncodable {
    var status: String
    var city: String
    var libraries: [String: String]
    /// OGC URIs of the storage and metric CRSs, and the metric CRS's axis order in features.
    var storageCrs: String
    var metricCrs: String
    var metricAxisOrder: String
}

/// Headers every response carries: no sniffing, no framing, no referrer leaks, no caching of
/// personal data by intermediaries.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.init("Content-Security-Policy")!] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
