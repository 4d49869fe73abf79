// The canonical form hashed for each audit entry: fixed field order, NULLs left out, and no two
// different entries with the same text whatever their values hold.

import Testing
import UrbanGridCore

@Suite struct AuditChainFormTests {
    let previous = String(repeating: "ab", count: 32)

    @Test func fieldsAreSortedByNameWithByteLengthsAndNullsLeftOut() {
        let text = AuditChainForm.text(previousHash: previous,
                                       fields: ["to_status": "reported", "case_id": "7", "note": "垃圾", "department_code": nil])
        #expect(text == previous + "\n7:case_id=1:7\n4:note=6:垃圾\n9:to_status=8:reported\n")
    }

    @Test func theOrderFieldsAreGivenInDoesNotMatter() {
        let fields: [(String, String?)] = [("seq", "3"), ("action", "accept"), ("at", "2026-01-05T01:02:03.000Z"), ("note", nil)]
        let a = AuditChainForm.text(previousHash: previous, fields: Dictionary(uniqueKeysWithValues: fields))
        let b = AuditChainForm.text(previousHash: previous, fields: Dictionary(uniqueKeysWithValues: fields.reversed()))
        #expect(a == b)
    }

    @Test func aColumnAddedLaterAsNullLeavesTheTextUnchanged() {
        let old: [String: String?] = ["seq": "1", "action": "report"]
        var widened = old
        widened["overdue_from"] = .some(nil)
        #expect(AuditChainForm.text(previousHash: AuditChainForm.genesis, fields: old)
                == AuditChainForm.text(previousHash: AuditChainForm.genesis, fields: widened))
    }

    @Test func valuesThatLookLikeFieldsCannotForgeOtherFields() {
        // One note that spells out a second field, against the two fields themselves.
        let smuggled = AuditChainForm.text(previousHash: previous, fields: ["a": "1\n1:b=1:2"])
        let honest = AuditChainForm.text(previousHash: previous, fields: ["a": "1", "b": "2"])
        #expect(smuggled != honest)
        // Moving characters between neighbouring values changes the text.
        #expect(AuditChainForm.text(previousHash: previous, fields: ["a": "12", "b": "3"])
                != AuditChainForm.text(previousHash: previous, fields: ["a": "1", "b": "23"]))
        // An empty value is not a missing one.
        #expect(AuditChainForm.text(previousHash: previous, fields: ["a": ""])
                != AuditChainForm.text(previousHash: previous, fields: ["a": nil]))
    }

    @Test func thePreviousHashLeadsTheText() {
        let fields: [String: String?] = ["seq": "1"]
        #expect(AuditChainForm.text(previousHash: AuditChainForm.genesis, fields: fields).hasPrefix(String(repeating: "0", count: 64) + "\n"))
        #expect(AuditChainForm.text(previousHash: previous, fields: fields)
                != AuditChainForm.text(previousHash: AuditChainForm.genesis, fields: fields))
    }
}
