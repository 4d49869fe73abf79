import Foundation
import Testing
@testable import UrbanGridCore

// Expectations are worked out by hand from the segment layouts in standards.md §1 and §2.1:
// grid = region(6) + street(3) + community(3) + sequence(3); component id = region(6) + type(5) +
// sequence(6); matter = region(6) + type(5); legacy id = region(6) + class(4) + sequence(6).

/// The segment a parse failed on, or nil when it succeeded.
private func failingSegment<T>(_ parse: () throws(CodeError) -> T) -> CodeError.Segment? {
    do {
        _ = try parse()
        return nil
    } catch {
        return error.segment
    }
}

private func failure<T>(_ parse: () throws(CodeError) -> T) -> CodeError? {
    do {
        _ = try parse()
        return nil
    } catch {
        return error
    }
}

@Suite struct RegionCodeTests {
    @Test(arguments: ["110101", "320508", "820000", "990101", "650102"])
    func acceptsProvincePartsOfGBT2260(text: String) throws {
        #expect(try RegionCode(text).description == text)
    }

    @Test(arguments: ["000000", "100101", "160101", "830101", "980101", "001234"])
    func rejectsUnknownProvinces(text: String) {
        #expect(failingSegment { () throws(CodeError) in try RegionCode(text) } == .region)
    }

    @Test func placeholderRange() throws {
        #expect(try RegionCode("990101").isPlaceholder)
        #expect(try !RegionCode("320508").isPlaceholder)
        #expect(try RegionCode("320508").province == 32)
    }

    @Test func lengthBeforeCharactersBeforeRegion() {
        #expect(failingSegment { () throws(CodeError) in try RegionCode("32050") } == .length)
        #expect(failingSegment { () throws(CodeError) in try RegionCode("00000x") } == .characters)
    }
}

@Suite struct GridCodeTests {
    @Test func parsesSegments() throws {
        let grid = try GridCode("320508004012034")
        #expect(grid.region.description == "320508")
        #expect(grid.streetCode.description == "320508004")
        #expect(grid.streetCode.street == 4)
        #expect(grid.streetCode.kind == .subdistrict)
        #expect(grid.communityCode.description == "320508004012")
        #expect(grid.communityCode.community == 12)
        #expect(grid.sequence == 34)
        #expect(grid.description == "320508004012034")
    }

    @Test(arguments: ["990101001001001", "990101599999999", "110101101001001", "320508004012034"])
    func validCodesRoundTrip(text: String) throws {
        let grid = try GridCode(text)
        #expect(grid.description == text)
        #expect(try GridCode(community: grid.communityCode, sequence: grid.sequence) == grid)
    }

    @Test(arguments: [
        ("99010100100100", CodeError.Segment.length),      // 14 digits: the old CJ/T 213 length
        ("9901010010010011", .length),
        ("", .length),
        ("99010100A001001", .characters),
        ("99010100100100 ", .characters),                   // 15 characters, trailing blank
        ("９９0101001001001", .characters),                 // full-width digits are not ASCII
        ("000000001001001", .region),
        ("160101001001001", .region),
        ("990101600001001", .street),                       // first digit 6 is not in GB/T 10114
        ("990101900001001", .street),
        ("990101000001001", .street),
        ("990101001000001", .community),
        ("990101001001000", .sequence),
        // Several bad segments: the leftmost one is reported.
        ("160101600000000", .region),
        ("990101600000000", .street),
        ("990101001000000", .community),
        ("A60101600000000", .characters),
    ])
    func reportsFirstBadSegment(text: String, segment: CodeError.Segment) {
        #expect(failingSegment { () throws(CodeError) in try GridCode(text) } == segment)
    }

    @Test func buildsFromCommunityAndSequence() throws {
        let community = try CommunityCode("990101001001")
        #expect(try GridCode(community: community, sequence: 7).description == "990101001001007")
        #expect(try GridCode(community: community, sequence: 999).description == "990101001001999")
        #expect(failingSegment { () throws(CodeError) in try GridCode(community: community, sequence: 0) } == .sequence)
        #expect(failingSegment { () throws(CodeError) in try GridCode(community: community, sequence: 1000) } == .sequence)
        #expect(failingSegment { () throws(CodeError) in try GridCode(community: community, sequence: -1) } == .sequence)
    }

    @Test func sortsByNumber() throws {
        let codes = try ["990101001002001", "990101001001010", "990101001001002"].map { (s: String) throws(CodeError) in try GridCode(s) }
        #expect(codes.sorted().map(\.description) == ["990101001001002", "990101001001010", "990101001002001"])
    }

    @Test func errorsCarryBothLanguagesAndTheBadText() throws {
        let error = try #require(failure { () throws(CodeError) in try GridCode("990101600001001") })
        #expect(error.message.contains("600"))
        #expect(error.messageZh.contains("600"))
        #expect(error.messageZh.contains("街道"))
        let length = try #require(failure { () throws(CodeError) in try GridCode("99010100100100") })
        #expect(length.message.contains("15"))
        #expect(length.message.contains("14"))
    }
}

@Suite struct StreetAndCommunityTests {
    @Test(arguments: [
        ("990101001", StreetKind.subdistrict),
        ("990101101", .town),
        ("990101250", .township),
        ("990101399", .township),
        ("990101450", .governmentEnterprise),
        ("990101599", .governmentEnterprise),
    ])
    func streetKindFollowsFirstDigit(text: String, kind: StreetKind) throws {
        #expect(try StreetCode(text).kind == kind)
    }

    @Test func streetErrors() throws {
        #expect(failingSegment { () throws(CodeError) in try StreetCode("990101000") } == .street)
        #expect(failingSegment { () throws(CodeError) in try StreetCode("990101700") } == .street)
        #expect(failingSegment { () throws(CodeError) in try StreetCode("99010100") } == .length)
        let region = try RegionCode("990101")
        #expect(try StreetCode(region: region, street: 12).description == "990101012")
        #expect(failingSegment { () throws(CodeError) in try StreetCode(region: region, street: 0) } == .street)
        #expect(failingSegment { () throws(CodeError) in try StreetCode(region: region, street: 600) } == .street)
        #expect(failingSegment { () throws(CodeError) in try StreetCode(region: region, street: 1000) } == .street)
    }

    @Test func communityCodes() throws {
        let community = try CommunityCode("320508004012")
        #expect(community.region.description == "320508")
        #expect(community.streetCode.description == "320508004")
        #expect(community.community == 12)
        #expect(try CommunityCode(street: community.streetCode, community: 601).description == "320508004601")
        #expect(failingSegment { () throws(CodeError) in try CommunityCode("320508004000") } == .community)
        #expect(failingSegment { () throws(CodeError) in try CommunityCode(street: community.streetCode, community: 0) } == .community)
    }
}

@Suite struct TypeCodeTests {
    @Test func componentAndMatterMajors() throws {
        let cover = try TypeCode("01001")  // 供水井盖
        #expect(cover.major == 1)
        #expect(cover.minor == 1)
        #expect(cover.isComponentMajor)
        #expect(cover.allows(.component) && cover.allows(.matter))
        let garbage = try TypeCode("06010")  // 暴露垃圾
        #expect(garbage.major == 6 && garbage.minor == 10)
        #expect(!garbage.isComponentMajor)
        #expect(!garbage.allows(.component) && garbage.allows(.matter))
        #expect(try TypeCode("10002").major == 10)
    }

    @Test(arguments: [
        ("0100", CodeError.Segment.length),
        ("010010", .length),
        ("01O01", .characters),
        ("00001", .major),
        ("11001", .major),
        ("99001", .major),
        ("01000", .minor),
        ("00000", .major),  // major is left of minor
    ])
    func shapeErrors(text: String, segment: CodeError.Segment) {
        #expect(failingSegment { () throws(CodeError) in try TypeCode(text) } == segment)
    }

    @Test func kindAwareValidation() throws {
        #expect(failingSegment { () throws(CodeError) in try TypeCode("06010", kind: .component) } == .major)
        #expect(try TypeCode("05003", kind: .component).description == "05003")
        #expect(try TypeCode("10002", kind: .matter).description == "10002")
        #expect(failingSegment { () throws(CodeError) in try TypeCode("06010").validated(for: .component) } == .major)
        #expect(try TypeCode("06010").validated(for: .matter).description == "06010")
    }

    @Test func buildsFromParts() throws {
        #expect(try TypeCode(major: 6, minor: 10).description == "06010")
        #expect(try TypeCode(major: 10, minor: 2).description == "10002")
        #expect(failingSegment { () throws(CodeError) in try TypeCode(major: 0, minor: 1) } == .major)
        #expect(failingSegment { () throws(CodeError) in try TypeCode(major: 11, minor: 1) } == .major)
        #expect(failingSegment { () throws(CodeError) in try TypeCode(major: 1, minor: 0) } == .minor)
        #expect(failingSegment { () throws(CodeError) in try TypeCode(major: 1, minor: 1000) } == .minor)
    }

    @Test func unknownTypeErrorNamesTheTypeSegment() throws {
        let error = CodeError.unknownType(try TypeCode("01016"), kind: .component)
        #expect(error.segment == .type)
        #expect(error.message.contains("01016"))
    }
}

@Suite struct ComponentAndMatterTests {
    @Test func componentIDSegments() throws {
        let id = try ComponentID("32050801001000001")
        #expect(id.region.description == "320508")
        #expect(id.type.description == "01001")
        #expect(id.sequence == 1)
        #expect(try ComponentID("32050805003999999").sequence == 999_999)
    }

    @Test(arguments: [
        ("3205080100100000", CodeError.Segment.length),
        ("3205080100100000-", .characters),
        ("16050801001000001", .region),
        ("32050800001000001", .major),
        ("32050806010000001", .major),  // a matter type cannot number a component
        ("32050801000000001", .minor),
        ("32050801001000000", .sequence),
    ])
    func componentIDErrors(text: String, segment: CodeError.Segment) {
        #expect(failingSegment { () throws(CodeError) in try ComponentID(text) } == segment)
    }

    @Test func componentIDFromParts() throws {
        let region = try RegionCode("320508")
        #expect(try ComponentID(region: region, type: TypeCode("01001"), sequence: 1).description == "32050801001000001")
        #expect(try ComponentID(region: region, type: TypeCode("04012"), sequence: 123_456).description == "32050804012123456")
        #expect(failingSegment { () throws(CodeError) in try ComponentID(region: region, type: TypeCode("06010"), sequence: 1) } == .major)
        #expect(failingSegment { () throws(CodeError) in try ComponentID(region: region, type: TypeCode("01001"), sequence: 0) } == .sequence)
        #expect(failingSegment { () throws(CodeError) in try ComponentID(region: region, type: TypeCode("01001"), sequence: 1_000_000) } == .sequence)
    }

    @Test func matterCodes() throws {
        let matter = try MatterCode("32050806010")
        #expect(matter.region.description == "320508")
        #expect(matter.type.description == "06010")
        #expect(try MatterCode("32050801001").type.major == 1)  // "供水井盖异常" is a matter too
        #expect(MatterCode(region: try RegionCode("990101"), type: try TypeCode("09009")).description == "99010109009")
        #expect(failingSegment { () throws(CodeError) in try MatterCode("3205080601") } == .length)
        #expect(failingSegment { () throws(CodeError) in try MatterCode("32050811010") } == .major)
        #expect(failingSegment { () throws(CodeError) in try MatterCode("32050806000") } == .minor)
        #expect(failingSegment { () throws(CodeError) in try MatterCode("00000006010") } == .region)
    }
}

@Suite struct LegacyCodeTests {
    @Test func legacyIDSegments() throws {
        // standards.md §2.1: 3205080101000001 = 姑苏区 320508, 0101 上水井盖, number 1.
        let id = try LegacyComponentID("3205080101000001")
        #expect(id.region.description == "320508")
        #expect(id.classCode.description == "0101")
        #expect(id.classCode.major == 1 && id.classCode.minor == 1)
        #expect(id.sequence == 1)
    }

    @Test func upgradeKeepsRegionAndSequence() throws {
        // 0101 上水井盖 → 01001 供水井盖 (gis-data/catalog/legacy-components.csv).
        let id = try LegacyComponentID("3205080101000001")
        #expect(try id.upgraded(to: TypeCode("01001")).description == "32050801001000001")
        let other = try LegacyComponentID("3205080218004321")
        #expect(try other.upgraded(to: TypeCode("02005")).description == "32050802005004321")
        #expect(failingSegment { () throws(CodeError) in try id.upgraded(to: TypeCode("06010")) } == .major)
    }

    @Test(arguments: [
        ("320508010100001", CodeError.Segment.length),
        ("32050801010000O1", .characters),
        ("0000000101000001", .region),
        ("3205080001000001", .major),
        ("3205080100000001", .minor),
        ("3205080101000000", .sequence),
    ])
    func legacyIDErrors(text: String, segment: CodeError.Segment) {
        #expect(failingSegment { () throws(CodeError) in try LegacyComponentID(text) } == segment)
    }

    @Test func legacyClassCodes() throws {
        #expect(try LegacyClassCode("0601").isStandardMajor)
        #expect(try LegacyClassCode("0701").isLocalExtension)
        #expect(try LegacyClassCode("2101").isLocalExtension)
        #expect(failingSegment { () throws(CodeError) in try LegacyClassCode("0001") } == .major)
        #expect(failingSegment { () throws(CodeError) in try LegacyClassCode("0100") } == .minor)
        #expect(failingSegment { () throws(CodeError) in try LegacyClassCode("101") } == .length)
        let built = try LegacyComponentID(region: RegionCode("320508"), classCode: LegacyClassCode("0118"), sequence: 42)
        #expect(built.description == "3205080118000042")
    }
}

@Suite struct CodeCodableTests {
    struct Record: Codable, Equatable {
        var grid: GridCode
        var component: ComponentID
        var matter: MatterCode
    }

    @Test func encodesAsPlainStrings() throws {
        let record = Record(grid: try GridCode("990101001001001"),
                            component: try ComponentID("32050801001000001"),
                            matter: try MatterCode("32050806010"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        #expect(json == #"{"component":"32050801001000001","grid":"990101001001001","matter":"32050806010"}"#)
        #expect(try JSONDecoder().decode(Record.self, from: Data(json.utf8)) == record)
    }

    @Test func decodeFailureCarriesTheCodeErrorMessage() throws {
        let expected = try #require(failure { () throws(CodeError) in try GridCode("990101600001001") })
        do {
            _ = try JSONDecoder().decode([GridCode].self, from: Data(#"["990101600001001"]"#.utf8))
            Issue.record("decoding an invalid grid code succeeded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription == expected.message)
        }
    }

    @Test func decodeRejectsNonStrings() {
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode([GridCode].self, from: Data("[990101001001001]".utf8))
        }
    }
}
