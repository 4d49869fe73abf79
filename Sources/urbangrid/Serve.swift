import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API. With no database yet, create one from the sample city first.")

    @OptionGroup var database: DatabaseOptions
    @Option var host = "127.0.0.1"
    @Option var port = 8080
    @Option(help: "The city folder under gis-data used when creating the database.") var city = "helsinki"
    @Option(name: .customLong("max-photo-mb"), help: "Largest photo accepted, per file, in MB.") var maxPhotoMB = 10
    @Option(name: .customLong("features-cache-mb"), help: "Memory for cached features-API answers of base layers, in MB (0: off).")
    var featuresCacheMB = 64
    @Flag(name: .customLong("allow-private-webhooks"), help: "Let webhooks point at loopback and private addresses (closed networks).")
    var allowPrivateWebhooks = false
    @Option(name: .customLong("snap-radius-m"),
            help: "A component case without a component id snaps to the nearest component of its type within this radius (m).")
    var snapRadiusM = IntakeSettings().snapRadiusM
    @Option(name: .customLong("duplicate-radius-m"),
            help: "Duplicate suggestions for types the city's dispatch-rules.json does not name: radius (m).")
    var duplicateRadiusM = IntakeSettings().duplicateRadiusM
    @Option(name: .customLong("duplicate-window-hours"),
            help: "Duplicate suggestions for types the city's dispatch-rules.json does not name: how far back (h).")
    var duplicateWindowHours = IntakeSettings().duplicateWindow / 3600
    @Option(name: .customLong("rate-limit"),
            help: "Requests per second per bearer token, API key or anonymous client address (0: no limit).")
    var rateLimit = RateLimitSettings().requestsPerSecond
    @Option(name: .customLong("rate-burst"), help: "Requests a client may make at once (default: twice --rate-limit).")
    var rateBurst: Double?
    @Option(name: .customLong("login-max-failures"), help: "Failed logins on one username before it is locked for a while.")
    var loginMaxFailures = LoginThrottleSettings().maxFailuresPerUsername
    @Option(name: .customLong("login-max-failures-per-address"), help: "Failed logins from one client address before it is locked.")
    var loginMaxFailuresPerAddress = LoginThrottleSettings().maxFailuresPerAddress
    @Option(name: .customLong("login-lockout-seconds"), help: "How long a lock after failed logins lasts.")
    var loginLockoutSeconds = 60

    func validate() throws {
        guard rateLimit >= 0, (rateBurst ?? 1) >= 1 else { throw ValidationError("--rate-limit must be ≥ 0 and --rate-burst ≥ 1") }
        guard (1...1_000).contains(snapRadiusM), (1...DuplicateWindows.maxRadiusM).contains(duplicateRadiusM),
              duplicateWindowHours > 0, duplicateWindowHours.isFinite else {
            throw ValidationError("--snap-radius-m and --duplicate-radius-m must be 1–1000 and --duplicate-window-hours positive")
        }
        guard loginMaxFailures >= 1, loginMaxFailuresPerAddress >= 1, loginLockoutSeconds >= 1 else {
            throw ValidationError("the login limits must be at least 1")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "urbangrid")

        let (store, created) = try database.openOrCreate(city: city)
        if created { logger.info("created database from the sample city", metadata: ["db": "\(database.db)", "city": "\(city)"]) }
        try store.warmUp()
        if try store.userCount() == 0 {
            let file = try FirstStart.writeOneTimeCredentials(store: store, databasePath: database.db)
            logger.notice("no users yet: one-time credentials written (readable only by you)", metadata: ["file": "\(file)"])
        }
        var configuration = ServerConfiguration(
            host: host, port: port, maxPhotoBytes: maxPhotoMB * 1024 * 1024,
            rateLimit: RateLimitSettings(requestsPerSecond: rateLimit, burst: rateBurst),
            loginThrottle: LoginThrottleSettings(maxFailuresPerUsername: loginMaxFailures,
                                                 maxFailuresPerAddress: loginMaxFailuresPerAddress,
                                                 lockout: .seconds(loginLockoutSeconds)))
        configuration.intake.snapRadiusM = snapRadiusM
        configuration.intake.duplicateRadiusM = duplicateRadiusM
        configuration.intake.duplicateWindow = duplicateWindowHours * 3600
        configuration.featureCacheBytes = max(0, featuresCacheMB) << 20
        configuration.allowInternalWebhookTargets = allowPrivateWebhooks
        let app = buildApplication(
            store: store, configuration: configuration,
            logger: logger, metrics: registry,
            onServerRunning: { port in logger.info("serving", metadata: ["url": "http://\(host):\(port)/"]) })
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

/// First start: one account per role with random passwords, written to a file only the owner can read.
enum FirstStart {
    static func writeOneTimeCredentials(store: CityStore, databasePath: String) throws -> String {
        let path = databasePath + ".credentials"
        var lines = ["# UrbanGrid one-time credentials, created \(Timestamps.now()).",
                     "# Log in with POST /api/v1/sessions, then replace these accounts. username role password"]
        let departmentCode = try store.catalog().departments.first { $0.kind == .utility }?.code
        for role in Role.allCases {
            let username = role == .departmentStaff ? "dept-\(departmentCode ?? "staff")".lowercased() : role.rawValue
            let password = Credentials.newPassword()
            try store.addUser(username: username, role: role, department: role.needsDepartment ? departmentCode : nil,
                              passwordHash: Credentials.hashPassword(password))
            lines.append("\(username) \(role.rawValue) \(password)")
        }
        // The demo inspector patrols the whole city until real beats are assigned.
        try store.assignBeat(username: Role.inspector.rawValue, all: true)
        let created = FileManager.default.createFile(atPath: path, contents: Data((lines.joined(separator: "\n") + "\n").utf8),
                                                     attributes: [.posixPermissions: 0o600])
        guard created else { throw ValidationError("cannot write \(path)") }
        return path
    }
}
