// Who may do what to a case, through HTTP: wrong role (403), wrong state (409), other departments'
// cases (404), anonymous callers (401), missing inputs (400 naming the field).

import Foundation
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

@Suite struct CaseAccessTests {
    @Test func wrongRoleIs403AndWrongStateIs409() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.report(CaseCrew.event("06010", at: p))

            // An inspector may never dispatch: 403, before the state is even considered.
            let byInspector = try await crew.server.act(c.id, .dispatch, ActionInput(department: "HW"), as: crew.inspector)
            expectProblem(byInspector, 403, kind: "forbidden")

            // The dispatcher may, but not while the case waits for 受理.
            let early = try await crew.server.act(c.id, .dispatch, ActionInput(department: "HW"), as: crew.dispatcher)
            expectProblem(early, 409, kind: "invalid-state")
            #expect(try early.problem().detail.contains("reported"))

            // Administration is not case work.
            let byAdmin = try await crew.server.act(c.id, .accept, as: crew.admin)
            expectProblem(byAdmin, 403, kind: "forbidden")
            let adminReport = try await crew.server.report(CaseCrew.event("06010", at: p), as: crew.admin)
            expectProblem(adminReport, 403, kind: "forbidden")
            let staffReport = try await crew.server.report(CaseCrew.event("06010", at: p), as: crew.hw)
            expectProblem(staffReport, 403, kind: "forbidden")
            let operatorCloses = try await crew.server.act(c.id, .close, as: crew.operator_)
            expectProblem(operatorCloses, 403, kind: "forbidden")

            // Unknown action, unknown case, bad id.
            let unknownAction = try await crew.server.post("api/v1/cases/\(c.id)/actions/teleport", ActionInput(), as: crew.operator_)
            expectProblem(unknownAction, 404, kind: "not-found")
            let noCase = try await crew.server.act(c.id + 1000, .accept, as: crew.operator_)
            expectProblem(noCase, 404, kind: "not-found")
            let badID = try await crew.server.fetchCase(-3, as: crew.operator_)
            expectProblem(badID, 400, field: "id")
            let notJSON = try await HTTP.post(crew.server.baseURL, "api/v1/cases/\(c.id)/actions/accept", body: Data("{".utf8),
                                              headers: crew.operator_.headers)
            expectProblem(notJSON, 400)
            // Nothing of the refused attempts reached the case.
            #expect(try await crew.view(c.id).timeline?.map(\.action) == ["report"])

            try await crew.act(c.id, .accept, as: crew.operator_, expect: .awaitingRegistration)
            try await crew.act(c.id, .register, as: crew.shiftLeader, expect: .awaitingDispatch)
            let unknownDepartment = try await crew.server.act(c.id, .dispatch, ActionInput(department: "NOPE"), as: crew.dispatcher)
            expectProblem(unknownDepartment, 400, field: "department")
            try await crew.act(c.id, .dispatch, as: crew.dispatcher, expect: .dispatched)
            let finishEarly = try await crew.server.act(c.id, .finish, ActionInput(note: "x"), as: crew.hw)
            expectProblem(finishEarly, 409, kind: "invalid-state", "finish before signing")
        }
    }

    @Test func otherDepartmentsCannotSeeOrTouchACase() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            // Not yet dispatched: no department's case.
            let waiting = try await crew.report(CaseCrew.event("06010", at: p))
            let early = try await crew.server.fetchCase(waiting.id, as: crew.hw)
            expectProblem(early, 404, kind: "not-found")

            let c = try await crew.handling(CaseCrew.event("06010", at: p, description: "HW 的案件"))
            #expect(c.department == "HW")

            let seen = try await crew.server.fetchCase(c.id, as: crew.cgzf)
            expectProblem(seen, 404, kind: "not-found")
            for (action, input) in [(CaseAction.finish, ActionInput(note: "抢着办")), (.requestReturn, ActionInput(note: "不是我们的")),
                                    (.requestHang, ActionInput(note: "x")), (.sign, ActionInput())] {
                let r = try await crew.server.act(c.id, action, input, as: crew.cgzf)
                #expect(r.status == 404, "\(action.rawValue): \(r)")
            }
            let list = try await crew.server.get("api/v1/cases", as: crew.cgzf)
            #expect(list.status == 200, "\(list)")
            #expect(try list.json(CasePage.self).items.isEmpty)
            let filtered = try await crew.server.get("api/v1/cases", query: [("department", "HW")], as: crew.cgzf)
            #expect(try filtered.json(CasePage.self).items.isEmpty)
            let tasks = try await crew.server.get("api/v1/me/tasks", as: crew.cgzf)
            #expect(try tasks.json(TaskItems.self).items.isEmpty)

            // HW's own staff sees it and its list holds exactly it.
            let own = try await crew.server.get("api/v1/cases", as: crew.hw)
            #expect(try own.json(CasePage.self).items.map(\.id) == [c.id])

            // Missing inputs name the field.
            let noNote = try await crew.server.act(c.id, .finish, as: crew.hw)
            expectProblem(noNote, 400)
            let problem = try noNote.problem()
            #expect(problem.field == "note" && problem.type == "urn:urbangrid:problem:invalid-body" && problem.detail.contains("note"))
            let blank = try await crew.server.act(c.id, .finish, ActionInput(note: " \n "), as: crew.hw)
            expectProblem(blank, 400, field: "note")
            let wrongType = try await HTTP.post(crew.server.baseURL, "api/v1/cases/\(c.id)/actions/request-extension",
                                                body: Data(#"{"note":"x","hours":"eight"}"#.utf8), headers: crew.hw.headers)
            expectProblem(wrongType, 400, field: "hours")
        }
    }

    @Test func anonymousCallersAre401() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.report(CaseCrew.event("06010", at: p))
            let calls: [HTTPResult] = [
                try await crew.server.report(CaseCrew.event("06010", at: p), as: nil),
                try await crew.server.get("api/v1/cases", as: nil),
                try await crew.server.fetchCase(c.id, as: nil),
                try await crew.server.act(c.id, .accept, as: nil),
                try await crew.server.get("api/v1/me/tasks", as: nil),
                try await crew.server.get("api/v1/events", as: nil),
                try await crew.server.get("api/v1/cases", as: nil, headers: ["Authorization": "Bearer not-a-token"]),
            ]
            for r in calls {
                expectProblem(r, 401, kind: "unauthorized")
            }
            #expect(try await crew.view(c.id).timeline?.count == 1, "the anonymous accept did nothing")
        }
    }

    /// The workflow checks role, then state, then assignment, then input (CaseWorkflow.apply), so a
    /// role that may never dispatch learns nothing about departments: 403 whatever it sends.
    @Test func roleIsCheckedBeforeTheDispatchDepartment() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.report(CaseCrew.event("06010", at: p))
            let r = try await crew.server.act(c.id, .dispatch, ActionInput(department: "NOPE"), as: crew.inspector)
            let s = try await crew.server.act(c.id, .dispatch, ActionInput(department: "NOPE"), as: crew.dispatcher)
            expectProblem(r, 403, kind: "forbidden")
            // …and a dispatch in the wrong state is 409 whatever the department.
            expectProblem(s, 409, kind: "invalid-state")
        }
    }
}
