import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the event stream reports to the console.
public enum StreamSignal: Sendable, Equatable {
    /// The server greeted: the console is live.
    case connected
    case message(SSEMessage)
    /// The connection failed or ended.
    case disconnected(APIError)
    /// The next attempt starts in this many seconds.
    case retrying(after: Double)
}

/// `GET /api/v1/events` kept open for as long as the task runs: on any failure it waits
/// (`ReconnectBackoff`) and reconnects with `Last-Event-ID` set to the last id it saw, so the server
/// replays what happened meanwhile. URLSession on Linux has no `bytes(for:)`, so the body is read
/// through a data delegate.
public struct EventStream: Sendable {
    public let client: APIClient
    /// Seconds without a byte (the server sends a keep-alive every 15 s) before the link counts as dead.
    public var idleTimeout: TimeInterval = 40

    public init(client: APIClient) { self.client = client }

    /// Runs until the calling task is cancelled.
    public func run(resumingAfter lastID: String?, _ signal: @escaping @Sendable (StreamSignal) -> Void) async {
        var lastID = lastID
        var backoff = ReconnectBackoff()
        while !Task.isCancelled {
            var request = client.request("GET", "api/v1/events")
            request.setValue("text/event-stream", forHTTPHeaderField: "Accept")
            if let lastID { request.setValue(lastID, forHTTPHeaderField: "Last-Event-ID") }
            var parser = SSEParser()
            do {
                for try await chunk in open(request) {
                    let messages = parser.feed(chunk)
                    if parser.comments.contains("connected") { backoff.reset(); signal(.connected) }
                    for m in messages {
                        if let id = m.id { lastID = id }
                        signal(.message(m))
                    }
                }
                signal(.disconnected(.unreachable("stream ended")))
            } catch let e as APIError {
                signal(.disconnected(e))
            } catch {
                signal(.disconnected(.unreachable(APIClient.describe(error))))
            }
            if Task.isCancelled { break }
            let delay = backoff.next(jitter: Double.random(in: 0...1))
            signal(.retrying(after: delay))
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
        }
    }

    /// The body of one connection, chunk by chunk; cancelling the consumer cancels the request.
    func open(_ request: URLRequest) -> AsyncThrowingStream<Data, any Error> {
        AsyncThrowingStream { continuation in
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = idleTimeout
            configuration.timeoutIntervalForResource = 7 * 24 * 3600
            let delegate = StreamDelegate(continuation)
            let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
            let task = session.dataTask(with: request)
            continuation.onTermination = { _ in
                task.cancel()
                session.invalidateAndCancel()
            }
            task.resume()
        }
    }
}

/// Forwards a streaming response to an AsyncThrowingStream. Holds only the (Sendable) continuation.
private final class StreamDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let continuation: AsyncThrowingStream<Data, any Error>.Continuation

    init(_ continuation: AsyncThrowingStream<Data, any Error>.Continuation) { self.continuation = continuation }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            continuation.finish(throwing: APIError.status(status))
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        continuation.yield(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        continuation.finish(throwing: error ?? APIError.unreachable("stream ended"))
        session.finishTasksAndInvalidate()
    }
}
