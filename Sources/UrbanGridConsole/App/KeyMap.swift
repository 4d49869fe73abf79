import UrbanGridCore

/// A key press, decoded from the terminal.
public enum Key: Sendable, Equatable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, tab
    case resize
    /// Ctrl-C: leave at once, from anywhere.
    case interrupt
}

/// Which key does what. Lower-case letters act on the selected case, upper-case ones filter, so a
/// stray key never filters away the case being worked on.
public enum KeyMap {
    /// Workflow actions the centre's roles take, with their keys.
    public static let actionKeys: [(key: Character, action: CaseAction)] = [
        ("a", .accept), ("f", .refuse), ("r", .register), ("v", .void), ("d", .dispatch),
        ("y", .approve), ("n", .deny), ("u", .resume), ("c", .sendCheck), ("e", .close), ("w", .rework),
    ]

    public static func action(for key: Character) -> CaseAction? {
        actionKeys.first { $0.key == key }?.action
    }

    public static func key(for action: CaseAction) -> Character? {
        actionKeys.first { $0.action == action }?.key
    }

    /// Filter and view commands.
    public enum Command: Sendable, Equatable {
        case search, status, department, street, light, clear, reload, help, quit, map, ranking
    }

    public static let commandKeys: [(key: Character, command: Command)] = [
        ("/", .search), ("S", .status), ("D", .department), ("T", .street), ("L", .light), ("X", .clear),
        ("R", .reload), ("?", .help), ("q", .quit), ("m", .map), ("E", .ranking),
    ]

    public static func command(for key: Character) -> Command? {
        commandKeys.first { $0.key == key }?.command
    }

    /// Actions that need a note (the server answers 400 without one).
    public static let noteRequired: Set<CaseAction> = [.refuse, .void, .finish, .requestReturn, .requestExtension, .requestHang]

    /// "r 立案" entries for the actions a case allows that the console offers.
    public static func actionHints(_ allowed: [CaseAction], language: Language) -> [String] {
        actionKeys.filter { allowed.contains($0.action) }.map { "\($0.key) \(language.name($0.action))" }
    }

    /// The ranking screen's keys, for the help bar.
    public static func rankingHints(language l: Language) -> [String] {
        ["Esc/q " + Label.keyBack.text(l), "Tab/o " + Label.keyKind.text(l), "←→ " + Label.keyMonth.text(l),
         "↑↓ " + Label.keyMove.text(l), "R " + Label.keyReload.text(l)]
    }

    /// The keys of one screen, for the help bar.
    public static func generalHints(caseScreen: Bool, language: Language) -> [String] {
        let l = language
        if caseScreen {
            return ["Esc " + Label.keyBack.text(l), "↑↓ " + Label.keyMove.text(l), "m " + Label.keyMap.text(l),
                    "? " + Label.keyHelp.text(l), "R " + Label.keyReload.text(l)]
        }
        return ["Enter " + Label.keyOpen.text(l), "q " + Label.keyQuit.text(l), "? " + Label.keyHelp.text(l),
                "E " + Label.keyRanking.text(l), "/ " + Label.keySearch.text(l), "S " + Label.filterStatus.text(l), "D " + Label.filterDepartment.text(l),
                "T " + Label.filterStreet.text(l), "L " + Label.filterLight.text(l), "X " + Label.keyClear.text(l),
                "R " + Label.keyReload.text(l)]
    }
}
