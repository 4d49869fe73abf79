import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle
import UrbanGridCore
import UrbanGridStore

struct CaseList: ResponseEncodable {
    var items: [CaseView]
    /// Pass as `cursor` to get the next page; absent on the last page.
    var next: String?
}

struct TaskList: ResponseEncodable { var items: [CaseView] }

/// The inspector and centre API for cases: intake, workflow actions, queries, tasks, event stream.
struct CaseRoutes {
    let store: CityStore
    let hub: EventHub
    let intake: IntakeSettings

    static let listParameters: Set<String> = ["status", "step", "department", "grid", "community", "street", "code",
                                              "light", "from", "to", "bbox", "q", "cursor", "limit"]

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("cases") { request, context in try await create(request, context) }
        api.get("cases") { request, context -> CaseList in try list(request, context) }
        api.get("cases/:id") { request, context -> Response in
            let user = try context.requireUser()
            guard let view = try store.caseView(id: try caseID(context), viewer: user) else {
                throw Problem("not-found", status: 404, title: "Case not found", detail: "no such case", detailZh: "案卷不存在")
            }
            return .json(view)
        }
        api.post("cases/:id/actions/:action") { request, context -> Response in .json(try await act(request, context)) }
        api.get("me/tasks") { _, context -> TaskList in
            TaskList(items: try store.tasks(for: try context.requireUser()))
        }
        api.get("events") { request, context -> Response in try events(request, context) }
    }

    func caseID(_ context: AppRequestContext) throws -> Int64 {
        guard let raw = context.parameters.get("id"), let id = Int64(raw), id > 0 else {
            throw Problem.invalidParameter("id", "the case id must be a positive whole number", "案卷编号必须是正整数")
        }
        return id
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser([.inspector, .operator_])
        let body = try await JSONBody.decode(CaseIntake.self, from: request, context: context)
        if let problem = body.problems() { throw problem }
        let key = request.headers[.init("Idempotency-Key")!]
        if let key, key.isEmpty || key.count > 200 {
            throw Problem("invalid-header", status: 400, title: "Invalid Idempotency-Key",
                          detail: "Idempotency-Key must have 1 to 200 characters", detailZh: "Idempotency-Key 长度须为 1–200", field: "Idempotency-Key")
        }
        let point: GeoPoint
        do { point = try GeoPoint(lon: body.location.lon, lat: body.location.lat) } catch let e {
            throw Problem.invalidParameter("location.\(e.field.rawValue)", e.message, e.messageZh)
        }
        let p = ChinaCoordinates.normalized(point, from: body.location.crs ?? .wgs84)
        let result = try await store.createCase(NewCase(intake: body, lon: p.lon, lat: p.lat, reporter: user, idempotencyKey: key),
                                          settings: intake)
        if result.created { await hub.notify() }
        // A retry with the same key gets the case as it stands now.
        guard let view = try result.view ?? store.caseView(id: result.id, viewer: user) else { throw HTTPError(.internalServerError) }
        var response = Response.json(view, status: result.created ? .created : .ok)
        response.headers[.location] = "/api/v1/cases/\(result.id)"
        return response
    }

    func act(_ request: Request, _ context: AppRequestContext) async throws -> CaseView {
        let user = try context.requireUser()
        let id = try caseID(context)
        guard let raw = context.parameters.get("action"), let action = CaseAction(rawValue: raw) else {
            throw Problem("not-found", status: 404, title: "Unknown action",
                          detail: "actions: \(CaseAction.allCases.map(\.rawValue).joined(separator: ", "))", detailZh: "未知操作")
        }
        let body = try await JSONBody.bytes(of: request, context: context)
        let input = body.isEmpty ? ActionInput() : try JSONBody.decode(ActionInput.self, from: body)
        try store.applyAction(caseID: id, action: action, by: user, input: input)
        await hub.notify()
        guard let view = try store.caseView(id: id, viewer: user) else { throw HTTPError(.internalServerError) }
        return view
    }

    func list(_ request: Request, _ context: AppRequestContext) throws -> CaseList {
        let user = try context.requireUser()
        let q = try QueryParameters(request, allowed: Self.listParameters)
        var filter = CaseFilter()
        if let s = q.string("status") {
            filter.statuses = try s.split(separator: ",").map {
                guard let status = CaseStatus(rawValue: String($0)) else {
                    throw Problem.invalidParameter("status", "unknown status '\($0)'", "未知状态 '\($0)'")
                }
                return status
            }
        }
        if let s = q.string("step") {
            guard let node = CaseNode(rawValue: s) else { throw Problem.invalidParameter("step", "unknown step '\(s)'", "未知环节 '\(s)'") }
            filter.node = node
        }
        if let s = q.string("light") {
            guard let light = AlertLight(rawValue: s) else { throw Problem.invalidParameter("light", "light is green, yellow or red", "灯号须为 green、yellow 或 red") }
            filter.light = light
        }
        filter.gridCode = try q.code("grid", GridCode.self)
        filter.communityCode = try q.code("community", CommunityCode.self)
        filter.streetCode = try q.code("street", StreetCode.self)
        filter.code = try q.code("code", TypeCode.self)
        if let d = q.string("department") {
            guard try store.departmentExists(d) else {
                throw Problem.invalidParameter("department", "unknown department code '\(d)'", "未知部门代码 '\(d)'")
            }
            filter.department = d
        }
        filter.text = q.string("q")
        if let text = filter.text, text.count > 200 {
            throw Problem.invalidParameter("q", "q may have at most 200 characters", "q 最多 200 个字符")
        }
        for (name, keyPath) in [("from", \CaseFilter.from), ("to", \CaseFilter.to)] {
            if let s = q.string(name) {
                guard let d = try? Date(s, strategy: .iso8601) else {
                    throw Problem.invalidParameter(name, "'\(name)' must be an RFC 3339 date-time", "'\(name)' 须为 RFC 3339 时间")
                }
                filter[keyPath: keyPath] = d
            }
        }
        if let s = q.string("bbox") {
            let parts = s.split(separator: ",").compactMap { Double($0) }
            guard s.split(separator: ",", omittingEmptySubsequences: false).count == 4, parts.count == 4,
                  parts.allSatisfy(\.isFinite), parts[0] <= parts[2], parts[1] <= parts[3],
                  parts[0] >= -180, parts[2] <= 180, parts[1] >= -90, parts[3] <= 90 else {
                throw Problem.invalidParameter("bbox", "bbox is minLon,minLat,maxLon,maxLat: finite degrees within ±180 and ±90, min ≤ max", "bbox 格式为 最小经度,最小纬度,最大经度,最大纬度")
            }
            filter.bbox = parts
        }
        if let s = q.string("cursor") {
            guard let c = Int64(s), c > 0 else { throw Problem.invalidParameter("cursor", "invalid cursor", "游标无效") }
            filter.before = c
        }
        filter.limit = try q.int("limit", default: 50, in: 1...500)
        let page = try store.cases(filter, viewer: user)
        return CaseList(items: page.items, next: page.next.map(String.init))
    }

    /// Server-Sent Events of case changes the caller may see. Each event's id is its audit sequence
    /// number; reconnecting with `Last-Event-ID` (or `?after=`) replays what was missed.
    func events(_ request: Request, _ context: AppRequestContext) throws -> Response {
        let user = try context.requireUser()
        let q = try QueryParameters(request, allowed: ["after"])
        let header = request.headers[.init("Last-Event-ID")!]
        let startRaw = header ?? q.string("after")
        var start: Int64 = try store.lastEventSeq()
        if let startRaw {
            guard let s = Int64(startRaw), s >= 0 else {
                throw Problem.invalidParameter(header != nil ? "Last-Event-ID" : "after", "must be an event id", "须为事件编号")
            }
            start = s
        }
        let store = self.store, hub = self.hub, first = start
        let body = ResponseBody { writer in
            var last = first
            try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            // A stream never ends by itself: on SIGTERM it must, or the graceful shutdown waits for it.
            try await withGracefulShutdownHandler {
                while !Task.isCancelled, await !hub.closing {
                    let seen = await hub.generation
                    let batch = try store.events(after: last, viewer: user)
                    for e in batch {
                        let json = String(decoding: try encoder.encode(e), as: UTF8.self)
                        try await writer.write(ByteBuffer(string: "id: \(e.seq)\nevent: case\ndata: \(json)\n\n"))
                        last = e.seq
                    }
                    if batch.count == 500 { continue }
                    await hub.wait(since: seen, timeout: .seconds(15))
                    if batch.isEmpty, try store.events(after: last, viewer: user, limit: 1).isEmpty {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))   // also detects a gone client
                    }
                }
            } onGracefulShutdown: {
                Task { await hub.close() }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }
}
