import Testing
@testable import UrbanGridConsole

// Display width of CJK and other text, and fitting it into columns without splitting a character.

@Suite struct ConsoleTextWidthTests {
    @Test func widthsFollowEastAsianWidth() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("数字城管") == 8)
        #expect(DisplayWidth.of("待派遣 A1") == 9)
        #expect(DisplayWidth.of("ＡＢ") == 4)              // fullwidth Latin
        #expect(DisplayWidth.of("，。") == 4)              // fullwidth / ideographic punctuation
        #expect(DisplayWidth.of("가나") == 4)              // Hangul
        #expect(DisplayWidth.of("カタカナ") == 8)
        #expect(DisplayWidth.of("e\u{301}") == 1)          // combining accent
        #expect(DisplayWidth.of("👍") == 2)
        #expect(DisplayWidth.of("…─●⣿") == 4)              // ambiguous and braille: one column
        #expect(DisplayWidth.of("\u{200B}") == 0)          // zero-width space
        #expect(DisplayWidth.of("𠀀") == 2)                 // CJK Extension B
    }

    @Test func truncationNeverSplitsAWideCharacter() {
        #expect(TextFit.truncate("数字化城市管理", to: 14) == "数字化城市管理")
        #expect(TextFit.truncate("数字化城市管理", to: 7) == "数字化…")
        #expect(TextFit.truncate("数字化城市管理", to: 6) == "数字…")
        #expect(TextFit.truncate("abcdef", to: 4) == "abc…")
        #expect(TextFit.truncate("数字", to: 1) == "…")
        #expect(TextFit.truncate("数字", to: 0) == "")
    }

    @Test func fitAlwaysGivesTheExactWidth() {
        for text in ["", "a", "数", "数字化城市管理", "mixed 中文 text", "👍👍👍"] {
            for width in 1...16 {
                let fitted = TextFit.fit(text, to: width)
                #expect(DisplayWidth.of(fitted) == width, "\(text) in \(width)")
            }
        }
        #expect(TextFit.fit("数字…", to: 6) == "数字… ")
        #expect(TextFit.fit("12", to: 5, alignment: .right) == "   12")
        #expect(TextFit.fit("中", to: 4, alignment: .center) == " 中 ")
    }

    @Test func controlCharactersBecomeSpaces() {
        #expect(TextFit.fit("a\nb\tc", to: 5) == "a b c")
        #expect(TextFit.singleLine("x\u{7}y") == "xy")
    }

    @Test func wrappingKeepsEveryLineInWidth() {
        let text = "井盖缺失,位于人民路与解放路交叉口东北角,请尽快处理 near the bus stop"
        let lines = TextFit.wrap(text, width: 12)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 12 })
        #expect(lines.joined().replacingOccurrences(of: " ", with: "") == text.replacingOccurrences(of: " ", with: ""))
    }

    @Test func gridKeepsWideCharactersWhole() {
        var g = TextGrid(width: 6, height: 1)
        g.put("数字城", row: 0, column: 0)
        #expect(g.line(0) == "数字城")
        g.put("x", row: 0, column: 1)                     // over the right half of 数
        #expect(g.line(0) == " x字城")
        g.put("管", row: 0, column: 5)                    // would need two columns: not drawn
        #expect(g.line(0) == " x字城")
        #expect(DisplayWidth.of(g.line(0)) == 6)
    }
}
