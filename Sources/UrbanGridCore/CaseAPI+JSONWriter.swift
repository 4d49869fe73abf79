// A case written by hand (`JSONWriter`) for intake, actions and reads: the same members as the
// synthesised `Codable` form, absent optionals left out as it does.

extension CaseView: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in
            j.field("id", id); j.field("number", number); j.field("kind", kind); j.field("code", code)
            j.field("typeNameZh", typeNameZh); j.field("typeNameEn", typeNameEn)
            j.field("status", status); j.field("statusZh", statusZh); j.field("source", source)
            j.field("urgent", urgent); j.field("selfHandled", selfHandled); j.fieldIfPresent("description", description)
            j.field("lon", lon); j.field("lat", lat)
            j.field("grid", grid); j.field("community", community); j.field("street", street)
            j.fieldIfPresent("component", component); j.fieldIfPresent("address", address)
            j.fieldIfPresent("geocoded", geocoded); j.fieldIfPresent("department", department)
            j.fieldIfPresent("suggestedDepartment", suggestedDepartment)
            j.field("flaggedForDispatcher", flaggedForDispatcher); j.fieldIfPresent("ruleId", ruleId)
            j.field("duplicates", duplicates); j.field("reworkCount", reworkCount); j.fieldIfPresent("step", step)
            j.key("allowedActions"); j.array(allowedActions) { j, a in j.string(a.rawValue) }
            j.fieldIfPresent("reporter", reporter)
            j.field("createdAt", createdAt); j.field("updatedAt", updatedAt); j.fieldIfPresent("timeline", timeline)
        }
    }
}

extension CaseEvent: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in
            j.field("seq", seq); j.field("caseId", caseId); j.field("at", at); j.field("actor", actor)
            j.field("actorRole", actorRole); j.field("action", action); j.fieldIfPresent("from", from); j.field("to", to)
            j.fieldIfPresent("department", department); j.fieldIfPresent("note", note)
            j.field("summaryZh", summaryZh); j.field("summaryEn", summaryEn)
        }
    }
}

extension DuplicateCandidate: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in
            j.field("caseId", caseId); j.field("number", number); j.field("status", status)
            j.field("distanceM", distanceM); j.field("sameComponent", sameComponent)
        }
    }
}

extension StepView: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in
            j.field("node", node); j.field("nameZh", nameZh); j.field("limit", limit); j.field("deadline", deadline)
            j.field("elapsedSeconds", elapsedSeconds); j.field("remainingSeconds", remainingSeconds)
            j.field("paused", paused); j.field("light", light)
        }
    }
}

extension GeocodedAddress: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in
            j.fieldIfPresent("doorPlate", doorPlate); j.fieldIfPresent("doorPlateDistanceM", doorPlateDistanceM)
            j.fieldIfPresent("road", road); j.field("text", text)
        }
    }
}

extension DepartmentSuggestion: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in j.field("department", department); j.field("basis", basis); j.fieldIfPresent("ruleID", ruleID) }
    }
}

extension CaseIntake.Reporter: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in j.fieldIfPresent("name", name); j.fieldIfPresent("phone", phone) }
    }
}
