/// Who may read a features collection: anyone, or only callers with a department key (or a
/// user session). Set per collection in the city profile (`feature_access`); `cases` is always
/// key-only.
public enum CollectionAccess: String, Codable, Sendable {
    case `public`, key
}

extension CityProfile {
    /// The access rule of a collection: the profile's entry, else public for base layers.
    public func access(forCollection id: String) -> CollectionAccess {
        id == "cases" ? .key : featureAccess?[id] ?? .public
    }
}
