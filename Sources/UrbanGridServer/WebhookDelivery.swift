import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ServiceLifecycle
import UrbanGridCore
import UrbanGridStore

/// What a department's webhook receives: the change and the case as its staff see it.
struct WebhookPayload: Encodable {
    var event: CaseEvent
    var `case`: CaseView?
}

/// Pushes case changes to departments' webhooks: each change in order, signed with HMAC-SHA256 of
/// the body under the webhook's secret (`X-UrbanGrid-Signature: sha256=<hex>`), retried with
/// exponential backoff; every attempt is logged in the database.
struct WebhookDeliveryService: Service {
    let store: CityStore
    let hub: EventHub
    let logger: Logger
    /// Waits between attempts; after the last the event is given up (and logged as such).
    var backoff: [Duration] = [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4)]

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let seen = await hub.generation
                // Webhooks are served side by side, so a slow or failing one delays none of the
                // others; each one's events still go out in order. A failure never stops the server.
                await withTaskGroup(of: Void.self) { group in
                    for hook in (try? store.webhooks()) ?? [] {
                        group.addTask {
                            do { try await drain(hook) } catch {
                                logger.error("webhook delivery stopped", metadata: ["webhook": "\(hook.id)", "error": "\(error)"])
                            }
                        }
                    }
                }
                await hub.wait(since: seen, timeout: .seconds(5))
            }
        }
    }

    private func drain(_ start: Webhook) async throws {
        var hook = start
        while !Task.isCancelled, let event = try store.nextWebhookEvent(hook) {
            try await deliver(event, to: hook)
            hook.lastSeq = event.seq
        }
    }

    static func signature(_ body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.lowercaseHex
    }

    private func deliver(_ event: CaseEvent, to hook: Webhook) async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        let view = try store.caseView(id: event.caseId, viewer: store.departmentViewer(hook.departmentCode), timeline: false)
        let body = try encoder.encode(WebhookPayload(event: event, case: view))
        guard let url = URL(string: hook.url) else { return }
        var request = URLRequest(url: url, timeoutInterval: 5)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(Self.signature(body, secret: hook.secret ?? ""), forHTTPHeaderField: "X-UrbanGrid-Signature")
        request.setValue(String(event.seq), forHTTPHeaderField: "X-UrbanGrid-Event-Id")
        for attempt in 1...(backoff.count + 1) {
            var status: Int? = nil, failure: String? = nil
            do {
                let (_, response) = try await URLSession.shared.data(for: request)
                status = (response as? HTTPURLResponse)?.statusCode
            } catch {
                failure = "\(error)"
            }
            let ok = status.map { (200..<300).contains($0) } ?? false
            let last = attempt == backoff.count + 1
            try store.recordDelivery(webhook: hook.id, event: event, attempt: attempt, statusCode: status,
                                     error: ok ? nil : (failure ?? "HTTP \(status ?? 0)"), delivered: ok, advance: ok || last)
            if ok { return }
            logger.warning("webhook delivery failed", metadata: ["webhook": "\(hook.id)", "event": "\(event.seq)",
                                                                 "attempt": "\(attempt)", "status": "\(status ?? 0)"])
            if last { return }
            try await Task.sleep(for: backoff[attempt - 1])
        }
    }
}
