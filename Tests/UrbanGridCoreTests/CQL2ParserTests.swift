import Testing
@testable import UrbanGridCore

// Expected trees and error positions are worked out by hand: positions are 0-based offsets in Unicode
// code points (one per Chinese character), and a property carries the offset of its first character.

private func p(_ name: String, _ position: Int) -> CQL2Operand { .property(name, position: position) }
private func s(_ value: String) -> CQL2Operand { .string(value) }
private func n(_ value: Double) -> CQL2Operand { .number(value) }
private func pt(_ x: Double, _ y: Double, _ z: Double? = nil) -> CQL2Position { CQL2Position(x, y, z) }

private func syntaxError(_ text: String) -> CQL2SyntaxError? {
    do {
        _ = try CQL2.parse(text)
        return nil
    } catch {
        return error
    }
}

/// The geometry of `S_INTERSECTS(geom, <literal>)`.
private func literal(_ wkt: String) throws -> CQL2Geometry {
    guard case .spatial(.intersects, _, .geometry(let g)) = try CQL2.parse("S_INTERSECTS(geom, \(wkt))") else {
        throw CQL2SyntaxError(position: -1, message: "not a spatial predicate with a literal")
    }
    return g
}

@Suite struct CQL2ParserTests {
    // MARK: - Valid filters

    @Test(arguments: [
        ("status = '破损'", CQL2Expression.comparison(p("status", 0), .equal, s("破损"))),
        ("x<>1", .comparison(p("x", 0), .notEqual, n(1))),
        ("x < 1", .comparison(p("x", 0), .less, n(1))),
        ("x <= 1", .comparison(p("x", 0), .lessOrEqual, n(1))),
        ("x > 1", .comparison(p("x", 0), .greater, n(1))),
        ("x >= 1", .comparison(p("x", 0), .greaterOrEqual, n(1))),
        ("1 = x", .comparison(n(1), .equal, p("x", 4))),
        ("a = b", .comparison(p("a", 0), .equal, p("b", 4))),
        // NOT binds tighter than AND, AND tighter than OR.
        ("a = 1 OR b = 2 AND NOT c = 3",
         .or([.comparison(p("a", 0), .equal, n(1)),
              .and([.comparison(p("b", 9), .equal, n(2)), .not(.comparison(p("c", 23), .equal, n(3)))])])),
        ("(a = 1 OR b = 2) AND c = 3",
         .and([.or([.comparison(p("a", 1), .equal, n(1)), .comparison(p("b", 10), .equal, n(2))]),
               .comparison(p("c", 21), .equal, n(3))])),
        ("a = 1 AND b = 2 AND c = 3 OR d = 4 OR e = 5",
         .or([.and([.comparison(p("a", 0), .equal, n(1)), .comparison(p("b", 10), .equal, n(2)),
                    .comparison(p("c", 20), .equal, n(3))]),
              .comparison(p("d", 29), .equal, n(4)), .comparison(p("e", 38), .equal, n(5))])),
        ("NOT (a = 1 OR b = 2)", .not(.or([.comparison(p("a", 5), .equal, n(1)), .comparison(p("b", 14), .equal, n(2))]))),
        ("NOT NOT a = 1", .not(.not(.comparison(p("a", 8), .equal, n(1))))),
        ("((a = 1))", .comparison(p("a", 2), .equal, n(1))),
        // Keywords in any case.
        ("a = 1 and not b = 2 Or c Is Null",
         .or([.and([.comparison(p("a", 0), .equal, n(1)), .not(.comparison(p("b", 14), .equal, n(2)))]),
              .isNull(p("c", 23), negated: false)])),
        ("name IS NOT NULL", .isNull(p("name", 0), negated: true)),
        // LIKE keeps the pattern as written (its escapes are the compiler's business).
        ("name LIKE '供水%'", .like(p("name", 0), s("供水%"), negated: false)),
        ("name NOT LIKE 'a\\_b%'", .like(p("name", 0), s("a\\_b%"), negated: true)),
        ("'abc' like 'a_c'", .like(s("abc"), s("a_c"), negated: false)),
        ("area_m2 BETWEEN 9999.5 AND 1.0e4", .between(p("area_m2", 0), n(9999.5), n(10_000), negated: false)),
        ("area_m2 NOT BETWEEN -1 AND +2 AND x = 1",
         .and([.between(p("area_m2", 0), n(-1), n(2), negated: true), .comparison(p("x", 34), .equal, n(1))])),
        ("status IN ('破损', '丢失')", .isIn(p("status", 0), [s("破损"), s("丢失")], negated: false)),
        ("code NOT IN (1,2, 3)", .isIn(p("code", 0), [n(1), n(2), n(3)], negated: true)),
        // Quotes inside strings: doubled, or after a backslash.
        ("name = 'it''s'", .comparison(p("name", 0), .equal, s("it's"))),
        ("name = 'it\\'s'", .comparison(p("name", 0), .equal, s("it's"))),
        ("name = ''''", .comparison(p("name", 0), .equal, s("'"))),
        ("name = ''", .comparison(p("name", 0), .equal, s(""))),
        ("name = 'x'' OR 1=1 --'", .comparison(p("name", 0), .equal, s("x' OR 1=1 --"))),
        ("name = 'a\\\\'", .comparison(p("name", 0), .equal, s("a\\\\"))),
        // Property names: double-quoted (keywords, any character), Unicode, with ':' and '.'.
        ("\"date\" = DATE('2026-11-01')", .comparison(p("date", 0), .equal, .date("2026-11-01"))),
        ("\"AND\" = 1", .comparison(p("AND", 0), .equal, n(1))),
        ("\"部件 名称\" = 'x'", .comparison(p("部件 名称", 0), .equal, s("x"))),
        ("状态 = '破损'", .comparison(p("状态", 0), .equal, s("破损"))),
        ("properties.status = 'x' AND ns:name = 'y'",
         .and([.comparison(p("properties.status", 0), .equal, s("x")), .comparison(p("ns:name", 28), .equal, s("y"))])),
        ("date IS NULL", .isNull(p("date", 0), negated: false)),
        ("point = 1", .comparison(p("point", 0), .equal, n(1))),
        // Numbers: signs, fractions, exponents.
        ("x = -12.5e-3", .comparison(p("x", 0), .equal, n(-0.0125))),
        ("x = .5", .comparison(p("x", 0), .equal, n(0.5))),
        ("x = 5.", .comparison(p("x", 0), .equal, n(5))),
        ("x = +3", .comparison(p("x", 0), .equal, n(3))),
        ("x = 1E3", .comparison(p("x", 0), .equal, n(1000))),
        ("x>-1", .comparison(p("x", 0), .greater, n(-1))),
        // Instants.
        ("t >= TIMESTAMP('2026-11-01T00:00:00Z')", .comparison(p("t", 0), .greaterOrEqual, .timestamp("2026-11-01T00:00:00Z"))),
        ("t < timestamp('2024-02-29T23:59:59.125Z')", .comparison(p("t", 0), .less, .timestamp("2024-02-29T23:59:59.125Z"))),
        ("d = date('2000-02-29')", .comparison(p("d", 0), .equal, .date("2000-02-29"))),
        // Booleans: as a predicate and as a value.
        ("TRUE", .literal(true)),
        ("NOT false", .not(.literal(false))),
        ("(TRUE) OR FALSE", .or([.literal(true), .literal(false)])),
        ("flag = TRUE", .comparison(p("flag", 0), .equal, .boolean(true))),
        ("FALSE <> flag", .comparison(.boolean(false), .notEqual, p("flag", 9))),
        // Whitespace: tabs, new lines and the ideographic space.
        ("status\u{3000}=\t'破损'\nAND\r\nx=1",
         .and([.comparison(p("status", 0), .equal, s("破损")), .comparison(p("x", 19), .equal, n(1))])),  // "\r\n" is two code points
        // Spatial functions, a literal on either side, and property to property.
        ("S_INTERSECTS(geom, POINT(104.39 31.13))", .spatial(.intersects, p("geom", 13), .geometry(.point(104.39, 31.13)))),
        ("s_within(POINT(1 2), geom)", .spatial(.within, .geometry(.point(1, 2)), p("geom", 21))),
        ("S_CONTAINS(geom, POINT(1 2))", .spatial(.contains, p("geom", 11), .geometry(.point(1, 2)))),
        ("S_DISJOINT(geom, POINT(1 2))", .spatial(.disjoint, p("geom", 11), .geometry(.point(1, 2)))),
        ("S_EQUALS(geom, POINT(1 2))", .spatial(.equals, p("geom", 9), .geometry(.point(1, 2)))),
        ("S_TOUCHES(geom, POINT(1 2))", .spatial(.touches, p("geom", 10), .geometry(.point(1, 2)))),
        ("S_CROSSES(geom, POINT(1 2))", .spatial(.crosses, p("geom", 10), .geometry(.point(1, 2)))),
        ("S_OVERLAPS(geom, POINT(1 2))", .spatial(.overlaps, p("geom", 11), .geometry(.point(1, 2)))),
        ("S_INTERSECTS(geom, other)", .spatial(.intersects, p("geom", 13), p("other", 19))),
        ("NOT S_INTERSECTS(geom, POINT(1 2)) AND POINT(1 2) IS NOT NULL",
         .and([.not(.spatial(.intersects, p("geom", 17), .geometry(.point(1, 2)))),
               .isNull(.geometry(.point(1, 2)), negated: true)])),
    ])
    func parsesValidFilters(text: String, expected: CQL2Expression) throws {
        #expect(try CQL2.parse(text) == expected)
    }

    // MARK: - Geometry literals

    @Test func geometryLiteralsOfEveryKind() throws {
        #expect(try literal("POINT(104.3876966 31.1277558)") == CQL2Geometry(.point(pt(104.3876966, 31.1277558))))
        #expect(try literal("point z (1 2 3)") == CQL2Geometry(.point(pt(1, 2, 3))))
        #expect(try literal("POINT(1 2 3)") == CQL2Geometry(.point(pt(1, 2, 3))))
        #expect(try literal("LINESTRING(0 0, 1 1, 2 0)") == CQL2Geometry(.lineString([pt(0, 0), pt(1, 1), pt(2, 0)])))
        let square = [pt(0, 0), pt(10, 0), pt(10, 10), pt(0, 10), pt(0, 0)]
        let hole = [pt(2, 2), pt(2, 4), pt(4, 4), pt(4, 2), pt(2, 2)]
        #expect(try literal("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))")
                == CQL2Geometry(.polygon([square, hole])))
        #expect(try literal("MULTIPOINT((1 2), (3 4))") == CQL2Geometry(.multiPoint([pt(1, 2), pt(3, 4)])))
        #expect(try literal("MULTIPOINT(1 2, 3 4)") == CQL2Geometry(.multiPoint([pt(1, 2), pt(3, 4)])))
        #expect(try literal("MULTILINESTRING((0 0, 1 1), (2 2, 3 3))")
                == CQL2Geometry(.multiLineString([[pt(0, 0), pt(1, 1)], [pt(2, 2), pt(3, 3)]])))
        #expect(try literal("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2), (2.1 2.05, 2.9 2.05, 2.9 2.8, 2.1 2.05)))")
                == CQL2Geometry(.multiPolygon([[[pt(0, 0), pt(1, 0), pt(1, 1), pt(0, 0)]],
                                               [[pt(2, 2), pt(3, 2), pt(3, 3), pt(2, 2)],
                                                [pt(2.1, 2.05), pt(2.9, 2.05), pt(2.9, 2.8), pt(2.1, 2.05)]]])))
        #expect(try literal("GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1))")
                == CQL2Geometry(.geometryCollection([.point(1, 2), CQL2Geometry(.lineString([pt(0, 0), pt(1, 1)]))])))
        #expect(try literal("BBOX(104.38, 31.12, 104.39, 31.13)")
                == CQL2Geometry(.bbox(CQL2BoundingBox(minX: 104.38, minY: 31.12, maxX: 104.39, maxY: 31.13))))
        #expect(try literal("bbox(0, 0, -5, 10, 10, 5)")
                == CQL2Geometry(.bbox(CQL2BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 10, minZ: -5, maxZ: 5))))
    }

    @Test func wktOfEveryKind() throws {
        #expect(try literal("POINT(104.3876966 31.1277558)").wkt == "POINT(104.3876966 31.1277558)")
        #expect(try literal("POINT Z(1 2 3)").wkt == "POINT Z(1 2 3)")
        #expect(try literal("POINT(1 2 3)").wkt == "POINT Z(1 2 3)")
        #expect(try literal("LINESTRING(0 0, 1.5 -1, 2 0)").wkt == "LINESTRING(0 0,1.5 -1,2 0)")
        #expect(try literal("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))").wkt
                == "POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,2 4,4 4,4 2,2 2))")
        #expect(try literal("MULTIPOINT(1 2, 3 4)").wkt == "MULTIPOINT((1 2),(3 4))")
        #expect(try literal("MULTILINESTRING((0 0, 1 1), (2 2, 3 3))").wkt == "MULTILINESTRING((0 0,1 1),(2 2,3 3))")
        #expect(try literal("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2)))").wkt
                == "MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2)))")
        #expect(try literal("GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1))").wkt
                == "GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1 1))")
        #expect(try literal("BBOX(104.38, 31.12, 104.39, 31.13)").wkt
                == "POLYGON((104.38 31.12,104.39 31.12,104.39 31.13,104.38 31.13,104.38 31.12))")
        #expect(try literal("BBOX(0, 0, -5, 10, 10, 5)").wkt == "POLYGON((0 0,10 0,10 10,0 10,0 0))")
        #expect(try literal("BBOX(1, 2, 1, 5)").wkt == "LINESTRING(1 2,1 5)")
        #expect(try literal("BBOX(1, 2, 1, 2)").wkt == "POINT(1 2)")
        // Plain decimals that read back to the same doubles: no exponents, no trailing ".0".
        #expect(try literal("POINT(1e-5 -2.5E+16)").wkt == "POINT(0.00001 -25000000000000000)")
        #expect(try literal("POINT(-0 1.25e-7)").wkt == "POINT(0 0.000000125)")
        #expect(try literal("POINT(441600 3445300)").wkt == "POINT(441600 3445300)")
        for value in [0.1, 1.0 / 3, 123456.789e-12, 9.87654321e20, -Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude] {
            #expect(Double(CQL2Geometry.number(value)) == value)
            #expect(!CQL2Geometry.number(value).contains("e"))
        }
    }

    // MARK: - Errors, with hand-computed positions

    @Test(arguments: [
        ("", 0),                                               // empty
        ("   ", 3),                                            // only whitespace
        ("status = '破损", 9),                                  // unterminated string: its opening quote
        ("\"name = 1", 0),                                     // unterminated quoted name
        ("status = 'x' #", 13),                                // unknown character
        ("status != 'x'", 7),                                  // != is not CQL2
        ("status =", 8),                                       // missing operand at the end
        ("status = = 'x'", 9),                                 // missing operand before a token
        ("status = 'x' AND", 16),                              // AND without a right side
        ("AND a = 1", 0),
        ("status = 'x' 'y'", 13),                              // trailing garbage
        ("status", 6),                                         // a property is not a predicate
        ("(status = 'x'", 13),                                 // unbalanced: missing ')'
        ("status = 'x')", 12),                                 // unbalanced: extra ')'
        ("((a = 1)", 8),
        ("(a = 1 b = 2)", 7),
        ("x = 1e999", 4),                                      // not a finite double
        ("x = -1e400", 4),
        ("x = -", 5),                                          // a sign without a number
        ("x = 1.2.3", 7),                                      // malformed number
        ("x = 1abc", 5),
        ("x = 1e", 5),
        ("a = NULL", 4),
        ("a NOT = 1", 6),
        ("a IS 5", 5),
        ("a IS NOT 5", 9),
        ("status LIKE 5", 12),
        ("5 LIKE '5'", 0),
        ("name LIKE CASEI('a%')", 10),
        ("a BETWEEN 1 OR 2", 12),
        ("a IN ()", 6),
        ("a IN (1, 2", 10),
        ("a IN 1", 5),
        ("upper(name) = 'X'", 0),                              // unknown function
        ("T_AFTER(t, TIMESTAMP('2026-01-01T00:00:00Z'))", 0),  // temporal functions are not offered
        ("t = INTERVAL('2026-01-01', '..')", 4),
        ("状态 = '破损' AND", 13),                               // code points, not bytes
        ("名称 = '破损' OR 类型 != 'x'", 16),
        ("d = DATE('2026-02-30')", 9),                         // impossible date: the string
        ("d = DATE('2026-2-3')", 9),
        ("d = DATE(20260203)", 9),
        ("t > TIMESTAMP('2026-11-01 00:00:00Z')", 14),
        ("t > TIMESTAMP('2026-11-01T24:00:00Z')", 14),
        ("t > TIMESTAMP('2026-11-01T00:00:00+08:00')", 14),
        ("a = POINT(1 2)", 4),                                 // geometry outside a spatial function
        ("a = 'x\u{01}'", 6),                                  // control character in a string
        ("S_INTERSECTS(geom, POINT(1 2)) = TRUE", 31),
        ("S_INTERSECTS(geom, 'abc')", 19),
        ("S_INTERSECTS(geom POINT(1 2))", 18),
        ("S_INTERSECTS(geom, POINT(1))", 26),
        ("S_INTERSECTS(geom, POINT(1 2 3 4))", 31),
        ("S_INTERSECTS(geom, POINT Z(1 2))", 27),              // Z needs 3 coordinates
        ("S_INTERSECTS(geom, LINESTRING(0 0, 1 1 1))", 35),    // one dimension throughout
        ("S_INTERSECTS(geom, POINT EMPTY)", 25),
        ("S_INTERSECTS(geom, LINESTRING(0 0))", 29),           // a line string needs 2 points
        ("S_INTERSECTS(geom, POLYGON((0 0, 1 0, 0 0)))", 27),  // a ring needs 4 points
        ("S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1, 0 1)))", 27),  // unclosed ring
        ("S_INTERSECTS(geom, POLYGON((0 0, 4 0, 4 4, 0 0), (1 1, 2 1, 2 2)))", 49),  // a bad hole
        ("S_INTERSECTS(geom, MULTIPOINT((1 2), (3 4))", 43),   // unbalanced
        ("S_INTERSECTS(geom, GEOMETRYCOLLECTION(BBOX(0, 0, 1, 1)))", 38),
        ("S_INTERSECTS(geom, BBOX(10, 0, 5, 10))", 24),       // minx > maxx: at minx
        ("S_INTERSECTS(geom, BBOX(0, 10, 5, 0))", 27),        // miny > maxy: at miny
        ("S_INTERSECTS(geom, BBOX(0, 0, 1))", 23),            // 3 numbers: at '('
        ("S_INTERSECTS(geom, BBOX(0, 0, 1, 1, 2))", 23),
        ("S_INTERSECTS(geom, BBOX(0, 0, 9, 1, 1, 2))", 30),   // minz > maxz: at minz
        ("S_INTERSECTS(geom, BBOX Z(0, 0, 1, 1))", 24),
    ])
    func rejectsWithPosition(text: String, position: Int) throws {
        let error = try #require(syntaxError(text), "\(text) parsed")
        #expect(error.position == position, "\(text): \(error.message)")
        #expect(!error.message.isEmpty)
    }

    @Test func messagesSayWhatWasExpectedAndFound() throws {
        #expect(syntaxError("status =")?.message == "expected a value after '=', found end of input")
        #expect(syntaxError("(status = 'x'")?.message == "expected ')' to close the '(' at 0, found end of input")
        #expect(syntaxError("status = 'x')")?.message == "unbalanced parentheses: this ')' has no matching '('")
        #expect(syntaxError("status = 'x' 'y'")?.message
                == "expected AND, OR or the end of the filter after a complete predicate, found string 'y'")
        #expect(syntaxError("status")?.message
                == "expected a comparison operator (=, <>, <, <=, >, >=), LIKE, BETWEEN, IN or IS after property 'status', found end of input")
        #expect(syntaxError("a = 1 AND OR b = 2")?.message == "expected a predicate, found keyword OR")
        #expect(syntaxError("x = 1e999")?.message == "number 1e999 is out of range (not a finite double)")
        #expect(syntaxError("status = '破损")?.message.hasPrefix("unterminated string") == true)
        #expect(syntaxError("S_INTERSECTS(geom, BBOX(10, 0, 5, 10))")?.message == "BBOX minx 10 is greater than maxx 5")
        #expect(syntaxError("S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1, 0 1)))")?.message
                == "the polygon ring is not closed: its last position differs from its first")
        #expect(syntaxError("d = DATE('2026-02-30')")?.message
                == "invalid DATE '2026-02-30': day 30 is out of range 1–28 for 2026-02")
        #expect(syntaxError("a = NULL")?.message
                == "expected a value after '=', found keyword NULL (test for null with IS NULL or IS NOT NULL)")
    }

    // MARK: - Nesting depth

    @Test func nestingIsLimited() throws {
        let deepest = String(repeating: "(", count: CQL2.maximumDepth) + "a = 1" + String(repeating: ")", count: CQL2.maximumDepth)
        #expect(try CQL2.parse(deepest) == .comparison(p("a", CQL2.maximumDepth), .equal, n(1)))
        let tooDeep = "(" + deepest + ")"
        #expect(syntaxError(tooDeep)?.position == CQL2.maximumDepth)   // the innermost '(' over the limit
        #expect(syntaxError(tooDeep)?.message.contains("more than 100 levels") == true)

        let nots = String(repeating: "NOT ", count: CQL2.maximumDepth + 1) + "a = 1"
        #expect(syntaxError(nots)?.position == 4 * CQL2.maximumDepth)
        // An attack-sized input fails fast with the same error instead of exhausting the stack.
        let huge = String(repeating: "(", count: 200_000) + "a = 1" + String(repeating: ")", count: 200_000)
        #expect(syntaxError(huge)?.position == CQL2.maximumDepth)
        // Long flat chains are not nesting.
        let chain = (0..<5_000).map { "a = \($0)" }.joined(separator: " OR ")
        guard case .or(let terms) = try CQL2.parse(chain) else { Issue.record("not an OR"); return }
        #expect(terms.count == 5_000)
    }
}
