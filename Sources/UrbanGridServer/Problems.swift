import Foundation
import Hummingbird
import UrbanGridCore
import UrbanGridStore

/// Turns every error into RFC 9457 problem+json, so no client ever sees a bare 500 page or HTML.
/// A path that exists under other methods answers 405 with `Allow`, not 404.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return problem.response()
        } catch let error as HTTPError where error.status == .notFound && !routes.methods(for: request.uri.path).isEmpty {
            let allowed = routes.methods(for: request.uri.path)
            var response = Problem("method-not-allowed", status: 405, title: "Method Not Allowed",
                                   detail: "\(request.method.rawValue) is not allowed here; use \(allowed.joined(separator: ", "))",
                                   detailZh: "不支持该请求方法").response()
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        } catch let error as HTTPError {
            let status = Int(error.status.code)
            let kind = status == 404 ? "not-found" : status == 413 ? "body-too-large" : "http-\(status)"
            return Problem(kind, status: status, title: error.status.reasonPhrase,
                           detail: error.body ?? error.status.reasonPhrase,
                           detailZh: status == 404 ? "未找到资源" : "请求无法处理").response()
        } catch where CityStore.isBusy(error) {
            // Another process holds SQLite's write lock (a bulk import holds it for its whole
            // transaction): a retryable 503, not a 500.
            context.logger.warning("database busy", metadata: ["error": "\(error)"])
            var response = Problem("busy", status: 503, title: "Service Unavailable",
                                   detail: "The database is held by another writer (an import or a restore); nothing was stored. Retry later, with the same Idempotency-Key.",
                                   detailZh: "数据库正被其他写入（如导入）占用，未保存任何内容，请稍后重试").response()
            response.headers[.retryAfter] = "5"
            return response
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)"])
            return Problem("internal", status: 500, title: "Internal Server Error",
                           detail: "The server could not complete the request.", detailZh: "服务器内部错误").response()
        }
    }
}

extension Problem {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    func response() -> Response {
        let body = (try? Problem.encoder.encode(self)) ?? Data()
        return Response(status: .init(code: status),
                        headers: [.contentType: "application/problem+json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func unauthorized() -> Problem {
        Problem("unauthorized", status: 401, title: "Unauthorized",
                detail: "A valid bearer token is required.", detailZh: "需要有效的访问令牌")
    }

    static func forbidden(_ detail: String, _ detailZh: String) -> Problem {
        Problem("forbidden", status: 403, title: "Forbidden", detail: detail, detailZh: detailZh)
    }

    static func badJSON(_ detail: String) -> Problem {
        Problem("invalid-body", status: 400, title: "Invalid request body", detail: detail,
                detailZh: "请求体不是有效的 JSON 或字段不正确", field: "body")
    }
}
