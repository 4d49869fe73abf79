import Foundation
import Testing
import UrbanGridCore

/// The hand-written case JSON against Foundation's encoder (ISO 8601 dates, as the server's router
/// uses): the same members with the same values, and it decodes back to the case written.
@Suite struct CaseJSONWriterTests {
    static func encoded(_ v: some Encodable) throws -> NSDictionary {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        return try #require(try JSONSerialization.jsonObject(with: e.encode(v)) as? NSDictionary)
    }

    static func written(_ v: some JSONWritable) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(v.jsonBytes)) as? NSDictionary)
    }

    static let created = Date(timeIntervalSince1970: 1_796_000_000)   // 2026-11-30T00:53:20Z: day 20,787 after 1970-01-01, 3,200 s in

    static var full: CaseView {
        let grid = GridSummary(code: "990101002001003", areaM2: 11980.5)
        let area = NamedArea(code: "990101002001", nameZh: "克卢维社区", nameEn: "Kluuvi")
        return CaseView(
            id: 42, number: "20261130-0042", kind: .component, code: "01001", typeNameZh: "上水井盖", typeNameEn: "Water cover",
            status: .dispatched, statusZh: "已派遣", source: .public_, urgent: true, selfHandled: false,
            description: "盖子 \"松动\"\n第二行", lon: 24.9453, lat: 60.1699, grid: grid, community: area,
            street: NamedArea(code: "990101002", nameZh: "中心街道", nameEn: "Keskusta"),
            component: NearbyComponent(id: "99010101001000001", typeCode: "01001", typeNameZh: "上水井盖", typeNameEn: "Water cover",
                                       name: "井盖 1", status: "完好", distanceM: 3.25, lon: 24.94531, lat: 60.16991),
            address: "Mikonkatu 9", geocoded: GeocodedAddress(doorPlate: "Mikonkatu 9", doorPlateDistanceM: 37.6, road: "Mikonkatu"),
            department: "SW", suggestedDepartment: DepartmentSuggestion(department: "SW", basis: .rule, ruleID: "C-01001"),
            flaggedForDispatcher: false, ruleId: "C-01001",
            duplicates: [DuplicateCandidate(caseId: 7, number: "20261129-0007", status: .handling, distanceM: 12.5, sameComponent: true)],
            reworkCount: 1,
            step: StepView(node: .handling, clock: StepClock(node: .handling, start: created, limit: .workingDays(3)),
                           reading: ClockReading(elapsed: 5400, limit: 81_000, remaining: 75_600,
                                                 deadline: created.addingTimeInterval(259_200), paused: false, light: .green)),
            allowedActions: [.sign, .requestReturn], reporter: CaseIntake.Reporter(name: "王", phone: "138"),
            createdAt: created, updatedAt: created.addingTimeInterval(3600),
            timeline: [CaseEvent(seq: 1, caseId: 42, at: created, actor: "inspector", actorRole: .inspector, action: "report",
                                 from: nil, to: .reported, department: nil, note: nil, summaryZh: "上报案件", summaryEn: "reported")])
    }

    @Test func everyMemberMatchesTheEncoder() throws {
        #expect(try Self.written(Self.full) == Self.encoded(Self.full))
        var bare = Self.full
        bare.description = nil; bare.component = nil; bare.address = nil; bare.geocoded = nil; bare.department = nil
        bare.suggestedDepartment = nil; bare.ruleId = nil; bare.step = nil; bare.reporter = nil; bare.timeline = nil
        bare.duplicates = []; bare.allowedActions = []
        #expect(try Self.written(bare) == Self.encoded(bare))
    }

    @Test func decodesBackToTheCaseWritten() throws {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        #expect(try d.decode(CaseView.self, from: Data(Self.full.jsonBytes)) == Self.full)
    }

    @Test(arguments: [0.0, 951_782_400.5, 1_796_000_000.999, -86_400.25, 4_102_444_799])
    func datesMatchTheEncoder(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        var w = JSONWriter()
        w.array([date]) { j, d in j.date(d) }
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        #expect(String(decoding: w.bytes, as: UTF8.self) == String(decoding: try e.encode([date]), as: UTF8.self))
    }
}

@Suite struct UTCTimestampTests {
    /// Against Foundation's ISO 8601 style with milliseconds (what the database held before).
    @Test(arguments: [0.0, 0.0009, 951_782_400.5, 1_796_000_000.999, 1_796_000_000.1234, -86_400.25, -0.5, 4_102_444_799.9999,
                      1_709_164_800])   // 2024-02-29, a leap day
    func millisecondTextMatchesFoundation(seconds: Double) {
        let d = Date(timeIntervalSince1970: seconds)
        let foundation = d.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true)
            .timeSeparator(.colon).timeZone(separator: .omitted))
        #expect(UTCTimestamp.text(d, milliseconds: true) == foundation)
    }

    @Test func handComputedInstants() {
        #expect(UTCTimestamp.text(Date(timeIntervalSince1970: 1_796_000_000), milliseconds: false) == "2026-11-30T00:53:20Z")
        #expect(UTCTimestamp.text(Date(timeIntervalSince1970: 1_709_164_800.25), milliseconds: true) == "2024-02-29T00:00:00.250Z")
        #expect(UTCTimestamp.text(Date(timeIntervalSince1970: -1), milliseconds: false) == "1969-12-31T23:59:59Z")
    }
}
