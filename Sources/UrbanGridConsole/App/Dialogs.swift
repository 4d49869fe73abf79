import UrbanGridCore

/// A one-line text field: typed characters are appended, Backspace removes the last one.
public struct LineEdit: Sendable, Equatable {
    public var text: String
    public var maxLength: Int

    public init(_ text: String = "", maxLength: Int = 500) { self.text = text; self.maxLength = maxLength }

    /// Whether the key edited the text.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c) where !TextFit.isControl(c):
            guard text.count < maxLength else { return true }
            text.append(c)
            return true
        case .backspace:
            if !text.isEmpty { text.removeLast() }
            return true
        default:
            return false
        }
    }
}

/// The confirmation of a workflow action, with its note, and for 派遣 the department list with the
/// dispatch rule's suggestion selected.
public struct ActionDialog: Sendable, Equatable {
    public var caseID: Int64
    public var number: String
    public var action: CaseAction
    public var note = LineEdit()
    public var departments: [Department]
    public var selected: Int
    public var suggested: String?
    public var error: String?

    public init(case c: CaseView, action: CaseAction, departments: [Department]) {
        caseID = c.id; number = c.number; self.action = action
        self.departments = action == .dispatch ? departments : []
        suggested = c.suggestedDepartment?.department
        let preferred = suggested ?? c.department
        selected = self.departments.firstIndex { $0.code == preferred } ?? 0
    }

    public var chosenDepartment: Department? {
        departments.indices.contains(selected) ? departments[selected] : nil
    }
}

/// What a list picker chooses.
public enum PickerPurpose: Sendable, Equatable {
    case status, department, street, light
}

/// A list to choose one entry from (filters). `value` nil means "all".
public struct Picker: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        public var label: String
        public var value: String?
        public init(_ label: String, _ value: String?) { self.label = label; self.value = value }
    }
    public var purpose: PickerPurpose
    public var title: String
    public var options: [Option]
    public var selected: Int

    public init(purpose: PickerPurpose, title: String, options: [Option], current: String?) {
        self.purpose = purpose; self.title = title; self.options = options
        selected = options.firstIndex { $0.value == current } ?? 0
    }
}

public enum Dialog: Sendable, Equatable {
    case action(ActionDialog)
    case search(LineEdit)
    case picker(Picker)
    case help
}
