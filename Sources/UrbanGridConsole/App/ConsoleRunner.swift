import Foundation
import UrbanGridCore

/// Runs the console: owns the terminal and the model on one thread, turns the model's commands into
/// network tasks, feeds their answers and the event stream back in, and redraws after every change.
final class ConsoleRunner {
    private let terminal = Terminal()
    private let inbox = Inbox()
    private let client: APIClient
    private var model: ConsoleModel
    private var stream: Task<Void, Never>?
    private var running = true
    private var queueLoading = false
    private var queueReloadWanted = false
    private var lastQueueLoad = Date()
    /// Cases being fetched after an event, and those changed again meanwhile.
    private var refreshing: Set<Int64> = []
    private var refreshAgain: Set<Int64> = []
    /// Clocks and lights are computed by the server: reload the queue this often.
    let clockRefresh: TimeInterval = 60

    init(client: APIClient, user: SessionUser, language: Language, server: String) {
        self.client = client
        model = ConsoleModel(language: language, user: user, server: server)
    }

    func run() throws {
        try terminal.start()
        defer {
            stream?.cancel()
            terminal.stop()
        }
        let size = terminal.size
        model.resize(width: size.width, height: size.height)
        let inbox = self.inbox, client = self.client
        stream = Task.detached {
            await EventStream(client: client).run(resumingAfter: nil) { inbox.post(.stream($0)) }
        }
        execute(ConsoleModel.startCommands)
        terminal.draw(ConsoleView.render(model))
        while running {
            var changed = false
            if let key = terminal.readKey(timeoutMilliseconds: 50) {
                if key == .resize {
                    let size = terminal.size
                    model.resize(width: size.width, height: size.height)
                }
                execute(model.handle(key))
                changed = true
            }
            for message in inbox.drain() {
                settle(message)
                execute(model.receive(message))
                changed = true
            }
            if Date().timeIntervalSince(lastQueueLoad) > clockRefresh { execute([.loadQueue]) }
            if changed && running { terminal.draw(ConsoleView.render(model)) }
        }
    }

    /// Bookkeeping of requests in flight, before the model sees the answer.
    private func settle(_ message: Inbound) {
        switch message {
        case .queue:
            queueLoading = false
            if queueReloadWanted { queueReloadWanted = false; execute([.loadQueue]) }
        case .refreshed(let id, _):
            refreshing.remove(id)
            if refreshAgain.remove(id) != nil { execute([.refreshCase(id)]) }
        default:
            break
        }
    }

    private func execute(_ commands: [Command]) {
        for command in commands { execute(command) }
    }

    private func execute(_ command: Command) {
        let client = self.client, inbox = self.inbox, language = model.language
        switch command {
        case .quit:
            running = false
        case .loadQueue:
            lastQueueLoad = Date()
            // One load at a time, so an older answer can never overwrite a newer one.
            guard !queueLoading else { queueReloadWanted = true; return }
            queueLoading = true
            let query = model.filter.queryItems(for: model.user.role)
            spawn {
                inbox.post(.queue(await Self.result { () async throws(APIError) in try await client.cases(query) }))
            }
        case .openCase(let id):
            spawn {
                inbox.post(.detail(await Self.result { () async throws(APIError) in try await client.caseView(id) }))
            }
            spawn { inbox.post(.photos(id, (try? await client.photos(id)) ?? [])) }
            if let view = model.detail?.view, view.id == id {
                spawn { inbox.post(.map(id, await MapLoader(client: client).load(for: view, language: language))) }
                if let component = view.component?.id {
                    spawn {
                        guard let f = try? await client.feature("components", id: component) else { return }
                        inbox.post(.componentDepartments(id, ComponentDepartments(properties: f.properties)))
                    }
                }
            }
        case .refreshCase(let id):
            guard !refreshing.contains(id) else { refreshAgain.insert(id); return }
            refreshing.insert(id)
            spawn {
                inbox.post(.refreshed(id, await Self.result { () async throws(APIError) in try await client.caseView(id) }))
            }
        case .act(let id, let action, let input):
            spawn {
                inbox.post(.acted(id, action, await Self.result { () async throws(APIError) in try await client.act(id, action, input) }))
            }
        case .loadRanking(let object, let month):
            spawn {
                inbox.post(.ranking(object, month, await Self.result { () async throws(APIError) in
                    try await client.evaluation(object, period: month.label)
                }))
            }
        case .loadDepartments:
            spawn { if let list = try? await client.departments() { inbox.post(.departments(list)) } }
        }
    }

    static func result<T>(_ body: () async throws(APIError) -> T) async -> Result<T, APIError> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    private func spawn(_ work: @escaping @Sendable () async -> Void) {
        Task.detached { await work() }
    }
}

/// Starts the full-screen console and returns when the user quits.
public enum ConsoleSession {
    /// The UI runs on a thread of its own: curses is single-threaded and its key reads block, which
    /// must not hold up the threads Swift concurrency runs the network tasks on.
    public static func run(client: APIClient, user: SessionUser, language: Language, server: String) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    try ConsoleRunner(client: client, user: user, language: language, server: server).run()
                    done.resume()
                } catch {
                    done.resume(throwing: error)
                }
            }
            thread.name = "urbangrid-console-ui"
            thread.start()
        }
    }
}
