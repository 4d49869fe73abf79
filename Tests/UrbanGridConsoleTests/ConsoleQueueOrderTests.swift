import Foundation
import Testing
import UrbanGridCore
@testable import UrbanGridConsole

// The queue: worst light first, then nearest deadline; selection follows the case, not the row.

@Suite struct ConsoleQueueOrderTests {
    let t = Fixtures.t0

    @Test func lightsThenDeadlines() {
        let cases = [
            Fixtures.caseView(id: 1, light: .green, deadline: t.addingTimeInterval(100)),
            Fixtures.caseView(id: 2, light: .red, deadline: t.addingTimeInterval(500)),
            Fixtures.caseView(id: 3, light: nil),
            Fixtures.caseView(id: 4, light: .yellow, deadline: t.addingTimeInterval(900)),
            Fixtures.caseView(id: 5, light: .red, deadline: t.addingTimeInterval(-300)),
            Fixtures.caseView(id: 6, light: .green, deadline: t.addingTimeInterval(50)),
            Fixtures.caseView(id: 7, light: .yellow, deadline: t.addingTimeInterval(200)),
        ]
        #expect(QueueOrder.sorted(cases).map(\.id) == [5, 2, 7, 4, 6, 1, 3])
    }

    @Test func equalCasesKeepAStableOrderByNumber() {
        let a = Fixtures.caseView(id: 9, number: "20260529-0002", light: .green, deadline: t)
        let b = Fixtures.caseView(id: 8, number: "20260529-0001", light: .green, deadline: t)
        #expect(QueueOrder.sorted([a, b]).map(\.id) == [8, 9])
    }

    @Test func selectionStaysOnTheSameCaseAsRowsMove() {
        var q = QueueList()
        q.replaceAll([Fixtures.caseView(id: 1, light: .green), Fixtures.caseView(id: 2, light: .yellow)])
        q.move(by: 1)
        #expect(q.selectedCase?.id == 1)
        q.upsert(Fixtures.caseView(id: 3, light: .red))           // arrives above
        #expect(q.items.map(\.id) == [3, 2, 1])
        #expect(q.selectedCase?.id == 1)
        q.remove(1)                                               // the selected one leaves
        #expect(q.selectedCase?.id == 2)
    }

    @Test func olderDataNeverOverwritesNewer() {
        var q = QueueList()
        q.upsert(Fixtures.caseView(id: 1, status: .awaitingDispatch, updatedAt: t.addingTimeInterval(10)))
        q.upsert(Fixtures.caseView(id: 1, status: .awaitingRegistration, updatedAt: t))
        #expect(q.items.first?.status == .awaitingDispatch)
    }

    @Test func remainingTimeText() {
        #expect(DurationText.remaining(seconds: 3 * 3600 + 20 * 60, paused: false, language: .zh) == "3时20分")
        #expect(DurationText.remaining(seconds: -(3600 + 5 * 60), paused: false, language: .zh) == "超1时05分")
        #expect(DurationText.remaining(seconds: -(3600 + 5 * 60), paused: false, language: .en) == "-1h05m")
        #expect(DurationText.remaining(seconds: 59, paused: false, language: .en) == "0m")
        #expect(DurationText.remaining(seconds: 100, paused: true, language: .zh) == "暂停")
    }
}
