import Foundation
import UrbanGridCore

extension ConsoleModel {
    /// Applies one key press; returns the requests it needs.
    public mutating func handle(_ key: Key) -> [Command] {
        if key == .resize { return [] }
        if key == .interrupt { return [.quit] }
        if let dialog { return handleDialog(dialog, key) }
        let layout = ScreenLayout(width: width, height: height)
        switch screen {
        case .queue:
            switch key {
            case .up: queue.move(by: -1)
            case .down: queue.move(by: 1)
            case .pageUp: queue.move(by: -max(1, layout.listRows - 1))
            case .pageDown: queue.move(by: max(1, layout.listRows - 1))
            case .home: queue.moveTo(first: true)
            case .end: queue.moveTo(first: false)
            case .enter:
                guard let c = queue.selectedCase else { return [] }
                return open(c)
            case .char(let ch):
                return handleLetter(ch)
            default: break
            }
            queue.scroll(rows: layout.listRows)
        case .detail:
            switch key {
            case .escape, .backspace, .left:
                screen = .queue
                detail = nil
            case .up: scrollDetail(by: -1)
            case .down: scrollDetail(by: 1)
            case .pageUp: scrollDetail(by: -max(1, layout.bodyRows.count - 1))
            case .pageDown: scrollDetail(by: max(1, layout.bodyRows.count - 1))
            case .home: scrollDetail(by: Int.min / 2)
            case .tab: detail?.showMap.toggle()
            case .char("q"):
                screen = .queue
                detail = nil
            case .char(let ch):
                return handleLetter(ch)
            default: break
            }
        case .ranking:
            return handleRanking(key)
        }
        return []
    }

    /// Scrolls the case screen, no further than its last page.
    mutating func scrollDetail(by delta: Int) {
        guard var d = detail else { return }
        let layout = ScreenLayout(width: width, height: height)
        let lineCount = DetailLines.build(d, language: language, width: layout.detailColumns).count
        d.scroll = min(max(0, d.scroll + delta), max(0, lineCount - layout.bodyRows.count))
        detail = d
    }

    mutating func open(_ c: CaseView) -> [Command] {
        screen = .detail(c.id)
        detail = Detail(view: c)
        return [.openCase(c.id)]
    }

    mutating func handleLetter(_ ch: Character) -> [Command] {
        if let action = KeyMap.action(for: ch) { return startAction(action) }
        guard let command = KeyMap.command(for: ch) else { return [] }
        switch command {
        case .quit: return [.quit]
        case .help: dialog = .help
        case .reload:
            if case .detail(let id) = screen { return [.openCase(id)] }
            queueLoading = true
            return [.loadQueue]
        case .map: detail?.showMap.toggle()
        case .ranking: return openRanking()
        case .search: dialog = .search(LineEdit(filter.text, maxLength: 100))
        case .status, .department, .street, .light:
            dialog = .picker(picker(for: command))
        case .clear:
            filter = QueueFilter()
            say(Label.filterCleared.text(language))
            queueLoading = true
            return [.loadQueue]
        }
        return []
    }

    mutating func startAction(_ action: CaseAction) -> [Command] {
        guard let c = currentCase else { return [] }
        guard c.allowedActions.contains(action) else {
            say("\(Label.actionNotAllowed.text(language)): \(language.name(action)) \(c.number)", error: true)
            return []
        }
        dialog = .action(ActionDialog(case: c, action: action, departments: departments))
        return departments.isEmpty && action == .dispatch ? [.loadDepartments] : []
    }

    func picker(for command: KeyMap.Command) -> Picker {
        let l = language
        let all = Picker.Option(Label.filterAll.text(l), nil)
        switch command {
        case .status:
            var options = [Picker.Option(Label.filterRoleQueue.text(l), nil), Picker.Option(Label.filterAllOpen.text(l), "*")]
            options += QueueFilter.openStatuses.map { Picker.Option(l.name($0), $0.rawValue) }
            let current: String? = switch filter.status {
            case .roleQueue: nil
            case .allOpen: "*"
            case .only(let s): s.rawValue
            }
            return Picker(purpose: .status, title: Label.filterStatus.text(l), options: options, current: current)
        case .department:
            let options = [all] + departments.map { Picker.Option("\($0.code) \(l == .zh ? $0.nameZh : $0.nameEn)", $0.code) }
            return Picker(purpose: .department, title: Label.filterDepartment.text(l), options: options, current: filter.department)
        case .street:
            let options = [all] + streets.values.sorted { $0.code < $1.code }
                .map { Picker.Option("\($0.code) \(l == .zh ? $0.nameZh : $0.nameEn)", $0.code) }
            return Picker(purpose: .street, title: Label.filterStreet.text(l), options: options, current: filter.street)
        default:
            let options = [all] + AlertLight.allCases.reversed().map { Picker.Option(l.name($0), $0.rawValue) }
            return Picker(purpose: .light, title: Label.filterLight.text(l), options: options, current: filter.light?.rawValue)
        }
    }

    mutating func handleDialog(_ current: Dialog, _ key: Key) -> [Command] {
        switch current {
        case .help:
            dialog = nil
        case .search(var edit):
            switch key {
            case .escape: dialog = nil
            case .enter:
                dialog = nil
                filter.text = edit.text.trimmingCharacters(in: .whitespaces)
                queueLoading = true
                return [.loadQueue]
            default:
                _ = edit.handle(key)
                dialog = .search(edit)
            }
        case .picker(var p):
            switch key {
            case .escape: dialog = nil
            case .up: p.selected = max(0, p.selected - 1); dialog = .picker(p)
            case .down: p.selected = min(p.options.count - 1, p.selected + 1); dialog = .picker(p)
            case .pageUp: p.selected = max(0, p.selected - 10); dialog = .picker(p)
            case .pageDown: p.selected = min(p.options.count - 1, p.selected + 10); dialog = .picker(p)
            case .enter:
                dialog = nil
                apply(p)
                queueLoading = true
                return [.loadQueue]
            default: break
            }
        case .action(var a):
            switch key {
            case .escape: dialog = nil
            case .up where !a.departments.isEmpty: a.selected = max(0, a.selected - 1); dialog = .action(a)
            case .down where !a.departments.isEmpty: a.selected = min(a.departments.count - 1, a.selected + 1); dialog = .action(a)
            case .enter: return confirm(a)
            default:
                if a.note.handle(key) { a.error = nil }
                dialog = .action(a)
            }
        }
        return []
    }

    mutating func apply(_ p: Picker) {
        let value = p.options.indices.contains(p.selected) ? p.options[p.selected].value : nil
        switch p.purpose {
        case .status:
            filter.status = switch value {
            case nil: .roleQueue
            case "*": .allOpen
            case let v?: CaseStatus(rawValue: v).map { .only($0) } ?? .roleQueue
            }
        case .department: filter.department = value
        case .street: filter.street = value
        case .light: filter.light = value.flatMap(AlertLight.init(rawValue:))
        }
    }

    mutating func confirm(_ a: ActionDialog) -> [Command] {
        var a = a
        let note = a.note.text.trimmingCharacters(in: .whitespaces)
        if KeyMap.noteRequired.contains(a.action) && note.isEmpty {
            a.error = Label.noteRequired.text(language)
            dialog = .action(a)
            return []
        }
        var input = ActionInput(note: note.isEmpty ? nil : note)
        if a.action == .dispatch {
            guard let department = a.chosenDepartment else {
                a.error = Label.chooseDepartment.text(language)
                dialog = .action(a)
                return []
            }
            input.department = department.code
        }
        dialog = nil
        say("\(language.name(a.action)) \(a.number) …")
        return [.act(a.caseID, a.action, input)]
    }
}
