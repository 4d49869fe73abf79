import Foundation
import UrbanGridCore

extension ConsoleModel {
    static let eventDecoder = APIClient.decoder

    /// Applies what the network brought; returns follow-up requests.
    public mutating func receive(_ message: Inbound) -> [Command] {
        let layout = ScreenLayout(width: width, height: height)
        defer { queue.scroll(rows: layout.listRows) }
        switch message {
        case .queue(.success(let cases)):
            queueLoading = false
            remember(cases)
            queue.replaceAll(cases.filter { filter.matches($0, role: user.role) })
        case .queue(.failure(let e)):
            queueLoading = false
            say(e.message(language), error: true)
        case .detail(.success(let view)):
            guard var d = detail, d.view.id == view.id else { return [] }
            d.view = view
            detail = d
            update(view)
        case .detail(.failure(let e)):
            say(e.message(language), error: true)
        case .refreshed(let id, .success(let view)):
            if id == view.id { update(view) }
        case .refreshed(let id, .failure(let e)):
            if e.isNotFound {
                queue.remove(id)
            } else {
                say(e.message(language), error: true)
            }
        case .photos(let id, let photos):
            if detail?.view.id == id { detail?.photos = photos }
        case .componentDepartments(let id, let departments):
            if detail?.view.id == id { detail?.componentDepartments = departments }
        case .map(let id, let state):
            if detail?.view.id == id { detail?.map = state }
        case .departments(let list):
            departments = list
            if case .action(var a) = dialog, a.action == .dispatch, a.departments.isEmpty {
                let c = detail?.view.id == a.caseID ? detail?.view : queue.items.first { $0.id == a.caseID }
                if let c { a = ActionDialog(case: c, action: a.action, departments: list) }
                dialog = .action(a)
            }
        case .acted(_, let action, .success(let view)):
            say("\(language.name(action)) \(Label.actionDone.text(language)): \(view.number) → \(language.name(view.status))")
            update(view)
        case .acted(_, let action, .failure(let e)):
            say("\(language.name(action)): \(e.message(language))", error: true)
        case .ranking(let object, let month, let result):
            receiveRanking(object, month, result)
        case .stream(let signal):
            return receive(signal)
        }
        return []
    }

    mutating func receive(_ signal: StreamSignal) -> [Command] {
        switch signal {
        case .connected:
            let wasOffline = if case .offline = link { true } else { false }
            link = .online
            guard wasOffline else { return [] }
            // Errors from the time offline are stale now.
            if status?.isError == true { status = nil }
            // Nothing seen yet means nothing to resume from: catch up by reloading instead.
            if lastEventSeq == nil { return [.loadQueue] }
        case .disconnected(let e):
            if e.isUnauthorized { say(Label.loginExpired.text(language), error: true) }
            link = .offline(reason: e.message(language), retryIn: nil)
        case .retrying(let after):
            if case .offline(let reason, _) = link { link = .offline(reason: reason, retryIn: after) }
        case .message(let m):
            guard m.event == "case", let event = try? Self.eventDecoder.decode(CaseEvent.self, from: Data(m.data.utf8)) else {
                return []
            }
            lastEventSeq = max(lastEventSeq ?? 0, event.seq)
            if queue.contains(event.caseId) || detail?.view.id == event.caseId
                || filter.statuses(for: user.role).contains(event.to) {
                return [.refreshCase(event.caseId)]
            }
        }
        return []
    }

    /// A fresh view of one case: into or out of the queue, and into the case screen if it is open.
    mutating func update(_ view: CaseView) {
        remember([view])
        if filter.matches(view, role: user.role) { queue.upsert(view) } else { queue.remove(view.id) }
        if var d = detail, d.view.id == view.id {
            // The list and action answers may lack the timeline; keep the one shown.
            let timeline = view.timeline ?? d.view.timeline
            d.view = view
            d.view.timeline = timeline
            detail = d
        }
    }

    mutating func remember(_ cases: [CaseView]) {
        for c in cases where !c.street.code.isEmpty { streets[c.street.code] = c.street }
    }
}
