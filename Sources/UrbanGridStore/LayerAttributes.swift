import Foundation
import GRDB
import Synchronization
import UrbanGridCore

/// Finds a target field in a source feature's attributes: the user's mapping first, then our name,
/// then the exchange names of CJ/T 214 / GB/T 47678.5, ignoring case and the 10-character limit
/// of Shapefile (dBASE) field names.
struct FieldReader: Sendable {
    let mapping: [String: String]

    /// Standard exchange names that mean the same as ours (GB/T 47678.5 表2 abbreviations and the
    /// CJ/T 214 payload names seen in real city exchanges).
    static let aliases: [String: [String]] = [
        "id": ["GLBJBSM", "ObjID", "BSM"],
        "name": ["GLBJMC", "ObjName", "MC"],
        "competent_dept": ["ZGBMDM", "DeptCode1"],
        "owner_dept": ["QSDWDM", "DeptCode2"],
        "maintainer_dept": ["YHDWDM", "DeptCode3"],
        "grid_code": ["SZDYWGBSM", "BGID"],
        "status": ["GLBJZT", "ObjState"],
        "initial_date": ["CSRQ", "ORDate"],
        "change_date": ["BGRQ", "CHDate"],
        "data_source": ["SJLY", "DataSource"],
        "note": ["BZ", "Note"],
    ]

    /// The names each field the checks read may have in a source, best first.
    private let names: [String: [String]]
    private let matches = KeyMatches()

    init(layer: LayerKind, mapping: [String: String]) {
        self.mapping = mapping
        var fields = Set(LayerKind.allCases.flatMap { $0.columns + $0.locatedColumns })
        fields.formUnion(Self.aliases.keys)
        fields.formUnion(mapping.keys)
        fields.insert("type_code")
        names = Dictionary(uniqueKeysWithValues: fields.map { ($0, Self.names(of: $0, mapping: mapping)) })
    }

    static func names(of field: String, mapping: [String: String]) -> [String] {
        mapping[field].map { [$0] } ?? ([field] + (aliases[field] ?? []))
    }

    /// A feature's attributes with, for every field, the source attribute that stands for it.
    struct Attributes {
        let properties: [String: PropertyValue]
        fileprivate var best: [String: (rank: Int, key: String, value: PropertyValue)] = [:]
    }

    /// Matches the feature's attribute names to fields once: a file's features share their
    /// names, so each name is resolved once per import (`KeyMatches`), not once per field and
    /// feature.
    func attributes(_ properties: [String: PropertyValue]) -> Attributes {
        var a = Attributes(properties: properties)
        for (key, value) in properties {
            for m in matches.of(key, names: names) {
                if let b = a.best[m.field], (b.rank, b.key) <= (m.rank, key) { continue }
                a.best[m.field] = (m.rank, key, value)
            }
        }
        return a
    }

    func value(_ field: String, in attributes: Attributes) -> String? {
        guard names[field] != nil else { return Self.value(field, in: attributes.properties, names: Self.names(of: field, mapping: mapping)) }
        return attributes.best[field]?.value.text.map(Self.trimmed)
    }

    /// The plain search, name by name: exact names first, then ignoring case and dBASE's
    /// 10-character cut. (`KeyMatches` ranks the same way; the tests hold the two together.)
    static func value(_ field: String, in properties: [String: PropertyValue], names: [String]) -> String? {
        for name in names {
            if let v = properties[name] { return v.text.map(trimmed) }
        }
        let folded = Dictionary(properties.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        for name in names {
            let n = name.lowercased()
            if let v = folded[n] ?? folded[String(n.prefix(10))] { return v.text.map(trimmed) }
        }
        return nil
    }

    /// For one source attribute name, the fields it can stand for and how well (lower is better:
    /// the position of the name matched exactly, or 100 + twice it ignoring case, + 1 for the
    /// 10-character cut), remembered across the features of an import.
    final class KeyMatches: Sendable {
        struct Match: Sendable { var field: String, rank: Int }
        private let known = Mutex<[String: [Match]]>([:])

        func of(_ key: String, names: [String: [String]]) -> [Match] {
            if let m = known.withLock({ $0[key] }) { return m }
            let lower = key.lowercased()
            var found: [Match] = []
            for (field, candidates) in names {
                var rank: Int?
                for (i, name) in candidates.enumerated() {
                    let n = name.lowercased()
                    let r = key == name ? i : lower == n ? 100 + 2 * i : lower == String(n.prefix(10)) ? 101 + 2 * i : nil
                    if let r, r < (rank ?? .max) { rank = r }
                }
                if let rank { found.append(Match(field: field, rank: rank)) }
            }
            known.withLock { if $0.count < 10_000 { $0[key] = found } }
            return found
        }
    }

    /// Drops surrounding blanks; the common case (none) costs no allocation.
    static func trimmed(_ s: String) -> String {
        guard let first = s.first, let last = s.last, first.isWhitespace || last.isWhitespace else { return s }
        return String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

/// What the attribute checks of one layer's import need, read once from the database: a value
/// that other threads may use, so a bulk import checks attributes ahead of its inserts
/// (`AttributesAhead`).
struct AttributeRules: Sendable {
    typealias Values = [String: DatabaseValueConvertible?]
    typealias Failure = LayerImporter.Failure

    let layer: LayerKind
    let fields: FieldReader
    let region: String
    /// Codes that references may point to.
    var known: [String: Set<String>] = [:]
    var typeNames: [String: String] = [:]
    var legacyClasses: [String: String] = [:]

    init(_ db: Database, layer: LayerKind, region: String, mapping: [String: String]) throws {
        self.layer = layer; self.region = region
        fields = FieldReader(layer: layer, mapping: mapping)
        for table in ["district", "street", "community", "grid"] {
            known[table] = Set(try String.fetchAll(db, sql: "SELECT code FROM \(table)"))
        }
        known["department"] = Set(try String.fetchAll(db, sql: "SELECT code FROM department"))
        for row in try Row.fetchAll(db, sql: "SELECT code, name_zh FROM department") {
            known["department-name:\(row[1] as String)"] = [row[0]]
        }
        for row in try Row.fetchAll(db, sql: "SELECT code, name_zh FROM component_type") { typeNames[row[0]] = row[1] }
        for row in try Row.fetchAll(db, sql: "SELECT code, new_code FROM legacy_component_class WHERE new_code IS NOT NULL") {
            legacyClasses[row[0]] = row[1]
        }
    }

    /// The attributes of one feature as stored values, or why they are refused: what crosses
    /// from the checking thread to the inserting one.
    func checked(_ f: SourceFeature) -> Result<CheckedRow, Failure> {
        attributes(f).map { values in
            func value(_ column: String) -> DatabaseValue { (values[column] ?? nil)?.databaseValue ?? .null }
            return CheckedRow(columns: layer.columns.map(value), key: String.fromDatabaseValue(value(layer.keyColumn)) ?? "",
                              code: String.fromDatabaseValue(value("code")), gridCode: String.fromDatabaseValue(value("grid_code")))
        }
    }

    /// A feature's checked attributes as an import binds them: in `LayerKind.columns` order
    /// (columns the import computes itself, as `mx`, `my`, `area_m2`, left NULL), with the few
    /// the import looks at.
    struct CheckedRow: Sendable {
        var columns: [DatabaseValue]
        var key: String
        var code: String?
        /// The grid a point feature names, to compare with the one that contains it.
        var gridCode: String?
    }

    /// Reads, validates and normalises the attributes of one feature for this layer.
    func attributes(_ f: SourceFeature) -> Result<Values, Failure> {
        let p = fields.attributes(f.properties)
        func text(_ field: String) -> String? { fields.value(field, in: p).flatMap { $0.isEmpty ? nil : $0 } }
        func required(_ field: String) throws(Failure) -> String {
            guard let v = text(field) else { throw Failure(field: field, reason: "missing required attribute") }
            return v
        }
        func code<C: StandardCode>(_ field: String, _ type: C.Type) throws(Failure) -> C {
            let raw = try required(field)
            do { return try C(raw) } catch { throw Failure(field: field, reason: "\(raw): \(error.message)") }
        }
        func reference(_ field: String, _ table: String, _ value: String?) throws(Failure) {
            if let value, !(known[table]?.contains(value) ?? false) {
                throw Failure(field: field, reason: "unknown \(table) \(value)")
            }
        }
        func regionMatches(_ field: String, _ value: String) throws(Failure) {
            guard value.hasPrefix(region) else {
                throw Failure(field: field, reason: "\(value) is not in this city's region \(region)")
            }
        }
        do {
            switch layer {
            case .district:
                let c = try code("code", RegionCode.self).description
                try regionMatches("code", c)
                return .success(["code": c, "name_zh": try required("name_zh"), "name_en": text("name_en") ?? ""])
            case .street:
                let c = try code("code", StreetCode.self)
                try regionMatches("code", c.description)
                let district = text("district_code") ?? c.region.description
                try reference("district_code", "district", district)
                return .success(["code": c.description, "name_zh": try required("name_zh"),
                                 "name_en": text("name_en") ?? "", "district_code": district])
            case .community:
                let c = try code("code", CommunityCode.self)
                try regionMatches("code", c.description)
                let street = text("street_code") ?? c.streetCode.description
                guard street == c.streetCode.description else {
                    throw Failure(field: "street_code", reason: "\(street) does not match the code's street segment \(c.streetCode)")
                }
                try reference("street_code", "street", street)
                return .success(["code": c.description, "name_zh": try required("name_zh"),
                                 "name_en": text("name_en") ?? "", "street_code": street])
            case .grid:
                let c = try code("code", GridCode.self)
                try regionMatches("code", c.description)
                let community = text("community_code") ?? c.communityCode.description
                guard community == c.communityCode.description else {
                    throw Failure(field: "community_code", reason: "\(community) does not match the code's community segment \(c.communityCode)")
                }
                try reference("community_code", "community", community)
                return .success(["code": c.description, "community_code": community, "note": text("note"),
                                 "initial_date": try date("initial_date", text("initial_date")),
                                 "change_date": try date("change_date", text("change_date"))])
            case .component:
                return .success(try componentAttributes(text: text, required: required))
            case .address:
                return .success(["id": try required("id"), "street": try required("street"),
                                 "housenumber": try required("housenumber"), "postcode": text("postcode"),
                                 "name": text("name")])
            case .road:
                return .success(["id": try required("id"), "name": text("name"), "class": try required("class")])
            case .building:
                let levels = text("levels")
                if let levels, Int(levels) == nil {
                    throw Failure(field: "levels", reason: "\(levels) is not a whole number")
                }
                return .success(["id": try required("id"), "name": text("name"), "levels": levels.flatMap { Int($0) }])
            }
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(reason: "\(error)"))
        }
    }

    /// A component's 18 GB/T 47678.5 attributes. Legacy CJ/T 214 ids (16 digits) and class codes
    /// (4 digits) are accepted and mapped to the new 17-digit id and 5-digit type.
    private func componentAttributes(text: (String) -> String?,
                                     required: (String) throws(Failure) -> String) throws(Failure) -> Values {
        let rawID = try required("id")
        var id: ComponentID
        if rawID.count == 16 {
            let legacy: LegacyComponentID
            do { legacy = try LegacyComponentID(rawID) } catch { throw Failure(field: "id", reason: "\(rawID): \(error.message)") }
            guard let mapped = legacyClasses[legacy.classCode.description] else {
                throw Failure(field: "id", reason: "CJ/T 214 class \(legacy.classCode) has no GB/T 47678.5 equivalent")
            }
            do { id = try legacy.upgraded(to: try TypeCode(mapped)) } catch { throw Failure(field: "id", reason: error.message) }
        } else {
            do { id = try ComponentID(rawID) } catch { throw Failure(field: "id", reason: "\(rawID): \(error.message)") }
        }
        guard id.region.description == region else {
            throw Failure(field: "id", reason: "\(id) is not in this city's region \(region)")
        }
        var typeCode = id.type.description
        if let given = text("type_code") {
            let normalised = given.count == 4 ? legacyClasses[given] : given
            guard normalised == typeCode else {
                throw Failure(field: "type_code", reason: "\(given) does not match the id's type segment \(typeCode)")
            }
        }
        guard let typeName = typeNames[typeCode] else {
            throw Failure(field: "type_code", reason: "\(typeCode) is not a GB/T 47678.5 component type")
        }
        typeCode = id.type.description
        func department(_ field: String, required isRequired: Bool) throws(Failure) -> String? {
            guard let v = text(field) else {
                if isRequired { throw Failure(field: field, reason: "missing required attribute") }
                return nil
            }
            if known["department"]?.contains(v) ?? false { return v }
            if let byName = known["department-name:\(v)"]?.first { return byName }
            throw Failure(field: field, reason: "unknown department \(v)")
        }
        let status = text("status") ?? ComponentStatus.intact.rawValue
        guard ComponentStatus(rawValue: status) != nil else {
            throw Failure(field: "status", reason: "\(status) is not one of " + ComponentStatus.allCases.map(\.rawValue).joined(separator: "/"))
        }
        guard let initial = try date("initial_date", text("initial_date")) else {
            throw Failure(field: "initial_date", reason: "missing required attribute")
        }
        var values: Values = ["id": id.description, "type_code": typeCode, "status": status, "initial_date": initial]
        values["name"] = text("name") ?? "\(typeName) \(String(id.description.suffix(6)))"
        values["competent_dept"] = try department("competent_dept", required: true)
        values["owner_dept"] = try department("owner_dept", required: false)
        values["maintainer_dept"] = try department("maintainer_dept", required: false)
        values["grid_code"] = text("grid_code")
        values["change_date"] = try date("change_date", text("change_date"))
        values["data_source"] = text("data_source")
        values["note"] = text("note")
        return values
    }

    /// Accepts YYYY-MM-DD and the standard's YYYYMMDD; stores YYYY-MM-DD.
    func date(_ field: String, _ raw: String?) throws(Failure) -> String? {
        guard let raw else { return nil }
        let digits = String(raw.filter { $0.isASCII && $0.isNumber })
        let compact = raw.count == 8
        let dashed = raw.count == 10 && raw.split(separator: "-").count == 3
        let year = Int(digits.prefix(4)) ?? 0
        let month = Int(digits.dropFirst(4).prefix(2)) ?? 0
        let day = Int(digits.suffix(2)) ?? 0
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard digits.count == 8, compact || dashed, (1...12).contains(month),
              (1...monthDays[month - 1]).contains(day) else {
            throw Failure(field: field, reason: "\(raw) is not a date (YYYY-MM-DD or YYYYMMDD)")
        }
        return "\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))"
    }
}
