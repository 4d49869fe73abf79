import Foundation
import Hummingbird
import UrbanGridCore
import UrbanGridStore

struct WebhookRequest: Decodable { var url: String; var secret: String }

extension Webhook: ResponseEncodable {}
struct WebhookList: ResponseEncodable { var items: [Webhook] }
struct DeliveryList: ResponseEncodable { var items: [WebhookDelivery] }

/// `…/departments/{code}/webhooks`: a department registers where its cases are pushed.
struct WebhookRoutes {
    let store: CityStore
    let allowInternalTargets: Bool

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("departments/:code/webhooks") { request, context -> Response in
            let department = try authorize(context)
            let body = try await JSONBody.decode(WebhookRequest.self, from: request, context: context)
            guard let url = URL(string: body.url), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw Problem.invalidParameter("url", "url must be an http(s) URL", "url 须为 http(s) 地址")
            }
            if !allowInternalTargets, let host = url.host, WebhookTargets.isInternal(host: host) {
                throw Problem.invalidParameter("url", "url points at a loopback, private or unresolvable address",
                                               "url 指向本机、内网或无法解析的地址")
            }
            guard body.secret.count >= 16 else {
                throw Problem.invalidParameter("secret", "secret must have at least 16 characters", "secret 至少 16 个字符")
            }
            let hook = try store.addWebhook(department: department, url: body.url, secret: body.secret)
            return try hook.response(from: request, context: context).withStatus(.created)
        }
        api.get("departments/:code/webhooks") { _, context -> WebhookList in
            let department = try authorize(context)
            return WebhookList(items: try store.webhooks(department: department).map { var h = $0; h.secret = nil; return h })
        }
        api.get("departments/:code/webhooks/:id/deliveries") { _, context -> DeliveryList in
            let department = try authorize(context)
            guard let id = context.parameters.get("id").flatMap(Int64.init),
                  try store.webhooks(department: department).contains(where: { $0.id == id }) else {
                throw Problem("not-found", status: 404, title: "Webhook not found", detail: "no such webhook", detailZh: "webhook 不存在")
            }
            return DeliveryList(items: try store.deliveries(webhook: id))
        }
    }

    /// Admins manage any department's webhooks; department staff only their own.
    private func authorize(_ context: AppRequestContext) throws -> String {
        let user = try context.requireUser([.admin, .departmentStaff])
        let code = context.parameters.get("code") ?? ""
        if user.role == .departmentStaff, user.departmentCode != code {
            throw Problem.forbidden("staff of \(user.departmentCode ?? "-") may not manage \(code)'s webhooks", "只能管理本部门的 webhook")
        }
        return code
    }
}
