import Testing
import UrbanGridCore
@testable import UrbanGridConsole

// Label tables and the key map.

@Suite struct ConsoleLabelsKeysTests {
    @Test func everyLabelExistsInBothLanguages() {
        for label in Label.allCases {
            #expect(!label.text(.zh).isEmpty && !label.text(.en).isEmpty, "\(label)")
        }
        #expect(Label.queueTitle.text(.zh) == "待办案卷" && Label.queueTitle.text(.en) == "Queue")
        for status in CaseStatus.allCases { #expect(!Language.en.name(status).isEmpty) }
        for action in CaseAction.allCases { #expect(Language.zh.name(action) == action.nameZh) }
    }

    @Test func keysAreUniqueAndActionsAndCommandsNeverShareOne() {
        let actionKeys = KeyMap.actionKeys.map(\.key), commandKeys = KeyMap.commandKeys.map(\.key)
        #expect(Set(actionKeys).count == actionKeys.count)
        #expect(Set(commandKeys).count == commandKeys.count)
        #expect(Set(actionKeys).isDisjoint(with: commandKeys))
        #expect(KeyMap.action(for: "r") == .register && KeyMap.action(for: "d") == .dispatch)
        #expect(KeyMap.actionHints([.dispatch, .void], language: .zh) == ["v 作废", "d 派遣"])
    }

    @Test func everyCentreActionHasAKey() {
        let centre: Set<Role> = [.operator_, .shiftLeader, .dispatcher]
        let actions = Set(CaseWorkflow.permissions.filter { centre.contains($0.role) }.map(\.action))
        for action in actions { #expect(KeyMap.key(for: action) != nil, "\(action)") }
    }
}
