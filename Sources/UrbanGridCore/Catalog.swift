/// The standard code lists as values: GB/T 47678.5-2026 component types (管理部件, 附录A) and matter
/// types (管理事项, 附录C), and the CJ/T 214-2007 classes with their mapping to the new codes.
public struct ComponentType: Codable, Sendable, Equatable {
    public var code: String
    public var major: String
    public var majorZh: String
    public var majorEn: String
    public var nameZh: String
    public var nameEn: String
    /// point, line or polygon.
    public var geometry: String
    public init(code: String, major: String, majorZh: String, majorEn: String, nameZh: String, nameEn: String,
                geometry: String) {
        self.code = code; self.major = major; self.majorZh = majorZh; self.majorEn = majorEn
        self.nameZh = nameZh; self.nameEn = nameEn; self.geometry = geometry
    }
}

public struct MatterType: Codable, Sendable, Equatable {
    public var code: String
    public var major: String
    public var majorZh: String
    public var majorEn: String
    public var nameZh: String
    public var nameEn: String
    /// For the "…异常" matters of majors 01–05: the component type they concern.
    public var componentCode: String?
    public init(code: String, major: String, majorZh: String, majorEn: String, nameZh: String, nameEn: String,
                componentCode: String?) {
        self.code = code; self.major = major; self.majorZh = majorZh; self.majorEn = majorEn
        self.nameZh = nameZh; self.nameEn = nameEn; self.componentCode = componentCode
    }
}

/// A CJ/T 214-2007 component or event class (4 digits) and the GB/T 47678.5 code it maps to.
public struct LegacyClass: Codable, Sendable, Equatable {
    public var code: String
    public var major: String
    public var majorZh: String
    public var nameZh: String
    public var nameEn: String
    public var newCode: String?
    public init(code: String, major: String, majorZh: String, nameZh: String, nameEn: String, newCode: String?) {
        self.code = code; self.major = major; self.majorZh = majorZh; self.nameZh = nameZh
        self.nameEn = nameEn; self.newCode = newCode
    }
}

public enum DepartmentKind: String, Codable, Sendable, CaseIterable {
    case enforcement, sanitation, landscaping, utility, traffic, police
    case streetOffice = "street-office"
}

/// A responsible department (专业部门) or street office.
public struct Department: Codable, Sendable, Equatable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var kind: DepartmentKind
    public init(code: String, nameZh: String, nameEn: String, kind: DepartmentKind) {
        self.code = code; self.nameZh = nameZh; self.nameEn = nameEn; self.kind = kind
    }
}

public struct Catalog: Sendable {
    public var components: [ComponentType]
    public var matters: [MatterType]
    public var legacyComponents: [LegacyClass]
    public var legacyEvents: [LegacyClass]

    /// Expected sizes of GB/T 47678.5-2026: 153 component types over 5 majors, 250 matter types.
    public static let componentCountsByMajor = ["01": 76, "02": 44, "03": 16, "04": 14, "05": 3]
    public static let matterCount = 250

    public init(components: [ComponentType], matters: [MatterType],
                legacyComponents: [LegacyClass], legacyEvents: [LegacyClass]) {
        self.components = components; self.matters = matters
        self.legacyComponents = legacyComponents; self.legacyEvents = legacyEvents
    }

    /// Builds the catalogue from the four CSV tables of `gis-data/catalog/`.
    public init(componentsCSV: String, mattersCSV: String, legacyComponentsCSV: String,
                legacyEventsCSV: String) throws {
        func records(_ text: String, _ columns: [String], _ name: String) throws -> [[String: String]] {
            let table = try CSV.parse(text)
            let missing = columns.filter { !table.header.contains($0) }
            guard missing.isEmpty else { throw CatalogError.problems(["\(name): missing columns \(missing)"]) }
            return table.records
        }
        let typeColumns = ["code", "major", "major_zh", "major_en", "name_zh", "name_en"]
        let legacyColumns = ["code", "major", "major_zh", "name_zh", "name_en", "new_code"]
        components = try records(componentsCSV, typeColumns + ["geometry"], "components.csv").map {
            ComponentType(code: $0["code"]!, major: $0["major"]!, majorZh: $0["major_zh"]!,
                          majorEn: $0["major_en"]!, nameZh: $0["name_zh"]!, nameEn: $0["name_en"]!,
                          geometry: $0["geometry"]!)
        }
        matters = try records(mattersCSV, typeColumns + ["component_code"], "matters.csv").map {
            MatterType(code: $0["code"]!, major: $0["major"]!, majorZh: $0["major_zh"]!,
                       majorEn: $0["major_en"]!, nameZh: $0["name_zh"]!, nameEn: $0["name_en"]!,
                       componentCode: $0["component_code"].flatMap { $0.isEmpty ? nil : $0 })
        }
        func legacy(_ r: [String: String]) -> LegacyClass {
            LegacyClass(code: r["code"]!, major: r["major"]!, majorZh: r["major_zh"]!,
                        nameZh: r["name_zh"]!, nameEn: r["name_en"]!,
                        newCode: r["new_code"].flatMap { $0.isEmpty ? nil : $0 })
        }
        legacyComponents = try records(legacyComponentsCSV, legacyColumns, "legacy-components.csv").map(legacy)
        legacyEvents = try records(legacyEventsCSV, legacyColumns, "legacy-events.csv").map(legacy)
        let found = problems()
        if !found.isEmpty { throw CatalogError.problems(found) }
    }

    /// Checks uniqueness, shapes, the standard's counts and that every legacy mapping lands on a
    /// code that exists. Returns every problem, not just the first.
    public func problems() -> [String] {
        var out: [String] = []
        func checkUnique(_ codes: [String], _ name: String) {
            var seen = Set<String>()
            for c in codes where !seen.insert(c).inserted { out.append("\(name): duplicate code \(c)") }
        }
        func isDigits(_ s: String, _ n: Int) -> Bool { s.count == n && s.allSatisfy(\.isASCIIDigit) }
        checkUnique(components.map(\.code), "components")
        checkUnique(matters.map(\.code), "matters")
        checkUnique(legacyComponents.map(\.code), "legacy components")
        checkUnique(legacyEvents.map(\.code), "legacy events")
        for c in components where !isDigits(c.code, 5) || !c.code.hasPrefix(c.major) {
            out.append("components: bad code \(c.code)")
        }
        for m in matters where !isDigits(m.code, 5) || !m.code.hasPrefix(m.major) {
            out.append("matters: bad code \(m.code)")
        }
        var perMajor: [String: Int] = [:]
        for c in components { perMajor[c.major, default: 0] += 1 }
        if perMajor != Self.componentCountsByMajor {
            out.append("components: counts per major \(perMajor.sorted { $0.key < $1.key }) differ from the standard's \(Self.componentCountsByMajor.sorted { $0.key < $1.key })")
        }
        if matters.count != Self.matterCount {
            out.append("matters: \(matters.count) types, the standard has \(Self.matterCount)")
        }
        let componentCodes = Set(components.map(\.code)), matterCodes = Set(matters.map(\.code))
        for c in components where !matterCodes.contains(c.code) {
            out.append("matters: no 异常 matter for component \(c.code)")
        }
        for l in legacyComponents {
            if !isDigits(l.code, 4) { out.append("legacy components: bad code \(l.code)") }
            if let n = l.newCode, !componentCodes.contains(n) { out.append("legacy component \(l.code) maps to unknown \(n)") }
        }
        for l in legacyEvents {
            if !isDigits(l.code, 4) { out.append("legacy events: bad code \(l.code)") }
            if let n = l.newCode, !matterCodes.contains(n) { out.append("legacy event \(l.code) maps to unknown \(n)") }
        }
        return out
    }
}

public enum CatalogError: Error, Sendable, CustomStringConvertible {
    case problems([String])
    public var description: String {
        switch self { case .problems(let p): "catalogue check failed: " + p.joined(separator: "; ") }
    }
}
