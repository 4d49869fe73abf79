import UrbanGridCore
import UrbanGridStore

/// Who may read a features collection, and which cases they see.
enum FeatureAccess {
    /// The department a reader's `cases` are restricted to; nil for no restriction.
    enum Scope: Equatable { case everything, department(String) }

    /// Public collections are open to all. Key-only ones need a user session or a key that
    /// names them; `cases` needs a user session (department staff see their department's) or a
    /// key with a cases scope (`own` restricts to the key's department).
    static func check(_ layer: FeatureLayer, context: AppRequestContext, profile: CityProfile) throws -> Scope {
        let open = profile.access(forCollection: layer.id) == .public
        if let user = context.user {
            guard layer.isCases, user.role == .departmentStaff, let code = user.departmentCode else { return .everything }
            return .department(code)
        }
        guard let key = context.apiKey else {
            if open { return .everything }
            throw Problem.unauthorized()
        }
        guard open || layer.isCases || key.opens(layer.id) else {
            throw Problem.forbidden("this key does not open the \(layer.id) collection", "该密钥无权访问 \(layer.id) 图层")
        }
        guard layer.isCases else { return .everything }
        switch key.casesScope {
        case .all?: return .everything
        case .own?: return .department(key.departmentCode)
        case nil: throw Problem.forbidden("this key has no cases scope", "该密钥没有案卷权限")
        }
    }
}
