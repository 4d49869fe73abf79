import Testing
import UrbanGridCore
@testable import UrbanGridStore

@Suite struct FieldReaderTests {
    /// The names a feature's attributes are matched by once per import (`KeyMatches`) give what
    /// the plain name-by-name search gives, for attribute sets mixing our names, the exchange
    /// aliases, other cases, dBASE's 10-character cuts and unrelated names, with and without a
    /// user's mapping.
    @Test(arguments: [[:], ["name": "LABEL", "note": "REMARKS_LONG_FIELD", "id": "GLBJMC"]])
    func matchesOncePerNameAsTheSearchByName(mapping: [String: String]) {
        let reader = FieldReader(layer: .component, mapping: mapping)
        var pool = ["junk", "Remarks_Lo", "LABEL", "label"]
        for (field, aliases) in FieldReader.aliases {
            for name in [field] + aliases {
                pool += [name, name.uppercased(), String(name.prefix(10)), String(name.uppercased().prefix(10))]
            }
        }
        pool += ["name_zh", "NAME_EN", "district_c", "type_code", "housenumbe", "levels"]
        var rng = SplitMix64(seed: UInt64(mapping.count) + 3)
        var compared = 0, found = 0
        for _ in 0..<400 {
            // Up to 12 attributes, no two equal ignoring case (which of those wins is arbitrary).
            var properties: [String: PropertyValue] = [:], folded = Set<String>()
            for _ in 0..<Int(rng.next() % 12) + 1 {
                let key = pool[Int(rng.next() % UInt64(pool.count))]
                guard folded.insert(key.lowercased()).inserted else { continue }
                properties[key] = rng.next() % 5 == 0 ? .null : .text(" v-\(key) ")
            }
            let attributes = reader.attributes(properties)
            let fields = Set(LayerKind.allCases.flatMap { $0.columns + $0.locatedColumns }).union(FieldReader.aliases.keys)
            for field in fields {
                let want = FieldReader.value(field, in: properties, names: FieldReader.names(of: field, mapping: mapping))
                #expect(reader.value(field, in: attributes) == want, "\(field) in \(properties.keys.sorted())")
                compared += 1
                if want != nil { found += 1 }
            }
        }
        #expect(found > compared / 10, "the attribute sets name many fields (\(found) of \(compared))")
    }
}
