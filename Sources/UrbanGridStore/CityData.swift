import Foundation
import UrbanGridCore

/// Reads the files of `gis-data/`: a city folder (profile, departments, base layers) and the catalogue.
public enum CityData {
    public static func loadProfile(_ cityDirectory: URL) throws -> CityProfile {
        let file = cityDirectory.appendingPathComponent("city.json")
        let profile = try JSONDecoder().decode(CityProfile.self, from: Data(contentsOf: file))
        let problems = profile.problems()
        guard problems.isEmpty else { throw StoreError.badCityData("\(file.path): " + problems.joined(separator: "; ")) }
        return profile
    }

    public static func loadCatalog(_ catalogDirectory: URL) throws -> Catalog {
        func text(_ name: String) throws -> String {
            try String(contentsOf: catalogDirectory.appendingPathComponent(name), encoding: .utf8)
        }
        return try Catalog(componentsCSV: text("components.csv"), mattersCSV: text("matters.csv"),
                           legacyComponentsCSV: text("legacy-components.csv"),
                           legacyEventsCSV: text("legacy-events.csv"))
    }

    public static func loadDepartments(_ cityDirectory: URL) throws -> [Department] {
        let file = cityDirectory.appendingPathComponent("departments.csv")
        let table = try CSV.parse(String(contentsOf: file, encoding: .utf8))
        return try table.records.enumerated().map { i, r in
            guard let code = r["code"], !code.isEmpty, let zh = r["name_zh"], !zh.isEmpty,
                  let en = r["name_en"], let kind = r["kind"].flatMap(DepartmentKind.init(rawValue:)) else {
                throw StoreError.badCityData("\(file.path) row \(i + 2): needs code, name_zh, name_en and a known kind")
            }
            return Department(code: code, nameZh: zh, nameEn: en, kind: kind)
        }
    }

    /// Finds `gis-data/` for the embedded sample city: `$URBANGRID_DATA`, then upwards from the
    /// executable (a build inside the repository), then upwards from the working directory.
    public static func locateDataDirectory() -> URL? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["URBANGRID_DATA"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        let starts = [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent(),
                      URL(fileURLWithPath: fm.currentDirectoryPath)]
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("gis-data")
                if fm.fileExists(atPath: candidate.appendingPathComponent("catalog/components.csv").path) {
                    return candidate
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }
}
