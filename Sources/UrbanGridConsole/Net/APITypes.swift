import Foundation
import UrbanGridCore

/// The signed-in user, as `/api/v1/me` and `/api/v1/sessions` describe it.
public struct SessionUser: Codable, Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var role: Role
    public var departmentCode: String?
    public init(id: Int64, username: String, role: Role, departmentCode: String? = nil) {
        self.id = id; self.username = username; self.role = role; self.departmentCode = departmentCode
    }
}

struct LoginBody: Encodable { var username: String; var password: String }
struct LoginAnswer: Decodable { var token: String; var user: SessionUser }
struct CaseListAnswer: Decodable { var items: [CaseView]; var next: String? }
struct CatalogAnswer: Decodable { var departments: [Department] }

/// One photo of a case (`GET /api/v1/cases/{id}/media`).
public struct PhotoItem: Codable, Sendable, Equatable {
    public var id: Int64
    public var step: String
    public var contentType: String
    public var size: Int
    public var filename: String?
    public var uploadedBy: String
    public var at: String
    public init(id: Int64, step: String, contentType: String, size: Int, filename: String?, uploadedBy: String, at: String) {
        self.id = id; self.step = step; self.contentType = contentType; self.size = size; self.filename = filename
        self.uploadedBy = uploadedBy; self.at = at
    }
}
struct PhotoListAnswer: Decodable { var items: [PhotoItem] }

/// `GET /healthz`: the CRSs the map needs (absent on servers without OGC API - Features).
struct HealthAnswer: Decodable {
    var status: String
    var metricCrs: String?
    var storageCrs: String?
    /// "northing-easting" when features in the metric CRS list the northing first (as EPSG defines
    /// for Gauss-Krüger CRSs such as 3879 and 4544).
    var metricAxisOrder: String?
}
