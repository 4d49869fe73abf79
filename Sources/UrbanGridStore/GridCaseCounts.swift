import Foundation
import GRDB
import UrbanGridCore

/// Case counts of one unit grid over a period, with its outline: one feature of the choropleth
/// collection (`grid-case-counts`).
public struct GridCaseCount: Codable, Sendable, Equatable {
    public var grid: String
    public var community: String
    public var areaM2: Double
    /// Cases reported in the period located in the grid.
    public var reported: Int
    /// Cases registered (立案) in the period.
    public var registered: Int
    /// Of registered, public and hotline reports (监督举报).
    public var publicReports: Int
    /// Cases closed (结案) in the period.
    public var closed: Int
    /// registered per 10,000 m², 2 decimals.
    public var registeredPer10000M2: Double
    /// The grid's outline as a GeoJSON geometry, in the storage CRS (CGCS2000 or WGS 84: lon/lat).
    public var geometry: String

    /// One GeoJSON Feature (id = grid code; every other member a property).
    public var featureJSON: String {
        struct Properties: Encodable {
            var grid: String, community: String, areaM2: Double
            var reported: Int, registered: Int, publicReports: Int, closed: Int, registeredPer10000M2: Double
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let properties = Properties(grid: grid, community: community, areaM2: areaM2, reported: reported,
                                    registered: registered, publicReports: publicReports, closed: closed,
                                    registeredPer10000M2: registeredPer10000M2)
        let json = (try? encoder.encode(properties)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let id = (try? encoder.encode(grid)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        return #"{"type":"Feature","id":\#(id),"geometry":\#(geometry),"properties":\#(json)}"#
    }

    /// An RFC 7946 FeatureCollection of `counts`.
    public static func featureCollection(_ counts: [GridCaseCount]) -> String {
        #"{"type":"FeatureCollection","features":["# + counts.map(\.featureJSON).joined(separator: ",") + "]}"
    }
}

extension CityStore {
    /// Every unit grid with its case counts over `period` (as of `now`) and its outline, by grid code:
    /// what a GIS draws as a choropleth.
    public func gridCaseCounts(period: EvaluationPeriod, now: Date = Date()) throws -> [GridCaseCount] {
        let (start, end) = period.interval(timeZone: rules.calendar.timeZone)
        let w = EvaluationWindow(start: Timestamps.format(start), end: Timestamps.format(max(start, min(end, now))),
                                 now: Timestamps.format(now))
        return try pool.read { db in
            try Self.prepareForScans(db)
            var counts = try EvaluationQueries.grid(db, w)
            try EvaluationQueries.add(db, w, into: &counts, keys: ["reported"], sql: """
                SELECT grid_code, count(*) FROM case_record WHERE created_at >= ?1 AND created_at < ?2 GROUP BY grid_code
                """)
            try EvaluationQueries.add(db, w, into: &counts, keys: ["closedInPeriod"], sql: """
                SELECT r.grid_code, count(*) FROM case_step s JOIN case_record r ON r.id = s.case_id
                WHERE s.node = 'closing' AND s.end_action = 'close' AND s.ended_at >= ?1 AND s.ended_at < ?2
                GROUP BY r.grid_code
                """)
            return try Row.fetchAll(db, sql: "SELECT code, community_code, area_m2, AsGeoJSON(geom, 7) FROM grid ORDER BY code").map { row in
                let code: String = row[0], area: Double = row[2]
                let c = counts[code] ?? [:]
                let registered = c["registered"] ?? 0
                return GridCaseCount(grid: code, community: row[1], areaM2: area, reported: c["reported"] ?? 0,
                                     registered: registered, publicReports: c["publicReports"] ?? 0,
                                     closed: c["closedInPeriod"] ?? 0,
                                     registeredPer10000M2: area > 0 ? Evaluation.rounded(Double(registered) / (area / 10_000)) : 0,
                                     geometry: row[3] ?? "null")
            }
        }
    }
}
