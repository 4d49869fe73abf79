import Foundation
import Hummingbird
import UrbanGridCore
import UrbanGridStore

/// `GET /api/v1/evaluation` (综合评价) and `GET /api/v1/evaluation/grid-counts` (per-grid case counts,
/// GeoJSON, for a choropleth).
///
/// Who sees what: the admin and the centre's roles (operator, shift leader, dispatcher) every object
/// and every row; department staff only `object=department`, and only their department's row (with
/// its rank among all); an inspector only `object=inspector`, and only their own row. The grid counts
/// (no personal data) are for every signed-in user.
struct EvaluationRoutes {
    let store: CityStore

    static let centre: Set<Role> = [.admin, .operator_, .shiftLeader, .dispatcher]

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("evaluation") { request, context -> Response in try evaluation(request, context) }
        api.get("evaluation/grid-counts") { request, context -> Response in
            _ = try context.requireUser()
            let q = try QueryParameters(request, allowed: ["period"])
            let counts = try store.gridCaseCounts(period: try Self.period(q))
            return Response(status: .ok, headers: [.contentType: "application/geo+json"],
                            body: .init(byteBuffer: ByteBuffer(string: GridCaseCount.featureCollection(counts))))
        }
    }

    func evaluation(_ request: Request, _ context: AppRequestContext) throws -> Response {
        let user = try context.requireUser()
        let q = try QueryParameters(request, allowed: ["object", "period", "format"])
        guard let raw = q.string("object"), let object = EvaluationObject(rawValue: raw) else {
            let known = EvaluationObject.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem.invalidParameter("object", "object is one of \(known)", "object 须为 \(known) 之一")
        }
        let format = q.string("format") ?? "json"
        guard ["json", "csv"].contains(format) else {
            throw Problem.invalidParameter("format", "format is json or csv", "format 须为 json 或 csv")
        }
        let period = try Self.period(q)
        var report = try store.evaluate(object, period: period)
        switch user.role {
        case _ where Self.centre.contains(user.role):
            break
        case .departmentStaff where object == .department:
            report.rows = report.rows.filter { $0.id == user.departmentCode }
        case .inspector where object == .inspector:
            report.rows = report.rows.filter { $0.id == user.username }
        default:
            throw Problem.forbidden("role \(user.role.rawValue) may not see the evaluation of \(object.rawValue)",
                                    "\(user.role.nameZh)无权查看\(object.nameZh)的综合评价")
        }
        if format == "csv" {
            let name = "evaluation-\(object.rawValue)-\(period.label).csv"
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"\(name)\""],
                            body: .init(byteBuffer: ByteBuffer(string: report.csv())))
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try EvaluationJSON.encoder.encode(report))))
    }

    static func period(_ q: QueryParameters) throws -> EvaluationPeriod {
        guard let text = q.string("period") else {
            throw Problem.invalidParameter("period", "parameter 'period' is required (2026-11-23, 2026-W48, 2026-11, 2026-Q4 or 2026-11-01..2026-11-15)",
                                           "缺少参数 'period'")
        }
        do { return try EvaluationPeriod.parse(text) } catch {
            throw Problem.invalidParameter("period", error.description, "评价周期格式无效")
        }
    }
}

/// The report as JSON: RFC 3339 instants, sorted keys (stable output a reader can diff).
enum EvaluationJSON {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
}
