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
/// `GET /api/v1/evaluation`: only the rows (Core's `EvaluationRow`) are read.
struct EvaluationAnswer: Decodable { var rows: [EvaluationRow] }

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

/// The departments of a component (GB/T 47678.5 表2): 主管部门, 权属单位, 养护单位.
public struct ComponentDepartments: Sendable, Equatable {
    public var competent: String?
    public var owner: String?
    public var maintainer: String?

    public init(competent: String?, owner: String?, maintainer: String?) {
        self.competent = competent; self.owner = owner; self.maintainer = maintainer
    }

    /// From a component feature's properties (`department` or `competent_dept`, `owner_dept`,
    /// `maintainer_dept`).
    public init(properties p: [String: String]) {
        self.init(competent: p["competent_dept"] ?? p["department"], owner: p["owner_dept"], maintainer: p["maintainer_dept"])
    }

    public func text(_ l: Language) -> String {
        [(l.pick("主管", "competent"), competent), (l.pick("权属", "owner"), owner), (l.pick("养护", "maintainer"), maintainer)]
            .compactMap { name, code in code.map { "\(name) \($0)" } }.joined(separator: " · ")
    }
}

/// `GET /healthz`: the CRSs the map needs (absent on servers without OGC API - Features).
struct HealthAnswer: Decodable {
    var status: String
    var metricCrs: String?
    var storageCrs: String?
    /// "northing-easting" when features in the metric CRS list the northing first (as EPSG defines
    /// for Gauss-Krüger CRSs such as 3879 and 4544).
    var metricAxisOrder: String?
}
