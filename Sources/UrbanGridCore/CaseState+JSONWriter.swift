import Foundation

// The stored form of a case's state and step clock (the `state` and `clock` columns), written by
// hand: `JSONEncoder` cost a twelfth of an intake's CPU. The text is what `JSONEncoder` with its
// default strategies writes, up to member order: dates as seconds since 2001-01-01 (Foundation's
// reference date), absent optionals left out; `JSONDecoder` reads it back to the same value.

extension CaseState: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in
            j.field("status", status); j.fieldIfPresent("department", department)
            j.fieldIfPresent("pendingRequest", pendingRequest); j.fieldIfPresent("requestedHours", requestedHours)
            j.field("reworkCount", reworkCount); j.field("returnCount", returnCount); j.field("extensionCount", extensionCount)
            j.field("hangCount", hangCount); j.field("extensionHours", extensionHours); j.field("source", source)
            j.field("selfHandled", selfHandled)
            if let inspector { j.field("inspector", inspector) }
            j.field("checkFailed", checkFailed)
        }
    }
}

extension StepClock: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in
            j.field("node", node); j.field("start", start.timeIntervalSinceReferenceDate); j.field("limit", limit)
            j.field("pauses", pauses); j.field("extensionSeconds", extensionSeconds)
        }
    }
}

extension ClockPause: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in
            j.field("start", start.timeIntervalSinceReferenceDate)
            if let end { j.field("end", end.timeIntervalSinceReferenceDate) }
        }
    }
}

extension TimeLimit: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in
            switch self {
            case .workingHours(let h): j.field("working_hours", h)
            case .workingDays(let d): j.field("working_days", d)
            }
        }
    }
}

extension JSONWritable {
    /// The JSON text, for a TEXT column.
    public var jsonText: String { String(decoding: jsonBytes, as: UTF8.self) }
}
