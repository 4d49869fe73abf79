import Foundation
import Testing
import UrbanGridCore

/// The hand-written stored form of a case's state and clock against Foundation's encoder with its
/// default strategies (what the columns held before): the same members with the same values, and
/// `JSONDecoder` reads it back to the value written.
@Suite struct StoredStateJSONTests {
    static func encoded(_ v: some Encodable) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(v)) as? NSDictionary)
    }

    static func written(_ v: some JSONWritable) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(v.jsonBytes)) as? NSDictionary)
    }

    static let start = Date(timeIntervalSinceReferenceDate: 818_000_123.456789)

    static let states = [
        CaseState(status: .reported, source: .inspector),
        CaseState(status: .extensionRequested, source: .public_, selfHandled: true, department: "SW", pendingRequest: .extension,
                  requestedHours: 7.5, reworkCount: 2, returnCount: 1, extensionCount: 3, hangCount: 1, extensionHours: 12.25,
                  inspector: 9_007_199_254_740_993, checkFailed: true),
    ]

    static let clocks = [
        StepClock(node: .acceptance, start: start, limit: .workingHours(0.5)),
        StepClock(node: .handling, start: start, limit: .workingDays(3),
                  pauses: [ClockPause(start: start.addingTimeInterval(3600.125), end: start.addingTimeInterval(86_400)),
                           ClockPause(start: start.addingTimeInterval(100_000))],
                  extensionSeconds: 27_000),
    ]

    @Test(arguments: states) func stateAsFoundationWritesIt(_ state: CaseState) throws {
        #expect(try Self.written(state) == Self.encoded(state))
        #expect(try JSONDecoder().decode(CaseState.self, from: Data(state.jsonBytes)) == state)
    }

    @Test(arguments: clocks) func clockAsFoundationWritesIt(_ clock: StepClock) throws {
        #expect(try Self.written(clock) == Self.encoded(clock))
        #expect(try JSONDecoder().decode(StepClock.self, from: Data(clock.jsonBytes)) == clock)
    }

    @Test func handComputedText() {
        let clock = StepClock(node: .acceptance, start: Date(timeIntervalSinceReferenceDate: 1.5), limit: .workingHours(2),
                              pauses: [ClockPause(start: Date(timeIntervalSinceReferenceDate: 3))])
        #expect(clock.jsonText == #"{"node":"acceptance","start":1.5,"limit":{"working_hours":2.0},"pauses":[{"start":3.0}],"extensionSeconds":0.0}"#)
    }
}
