import Testing
@testable import UrbanGridConsole

// Column layout: widths that fit, columns dropped by priority, and rows of CJK text that line up.

@Suite struct ConsoleColumnLayoutTests {
    let columns = [
        Column("灯", min: 3, max: 3, priority: 9),
        Column("案卷号", min: 13, max: 13, priority: 8),
        Column("类型", min: 8, max: 30, weight: 4, priority: 6),
        Column("剩余", min: 9, max: 10, priority: 5, alignment: .right),
        Column("部门", min: 4, max: 12, weight: 1, priority: 2),
    ]

    @Test func widthsFitAndShareTheRoomByWeight() {
        let w = ColumnLayout.widths(columns, total: 80)
        let used = w.compactMap { $0 }.reduce(0, +) + (w.compactMap { $0 }.count - 1)
        #expect(used <= 80)
        #expect(w[0] == 3 && w[1] == 13)
        #expect(w[2] == 30)                               // type grows to its maximum first
        #expect(w[4] == 12)
        #expect(w[3] == 9)                                // no weight: stays at its minimum
    }

    @Test func narrowScreensDropTheLeastImportantColumns() {
        let w = ColumnLayout.widths(columns, total: 36)
        #expect(w[4] == nil)                              // 部门 goes first
        #expect(w[0] != nil && w[1] != nil && w[2] != nil && w[3] != nil)
        let tiny = ColumnLayout.widths(columns, total: 17)
        #expect(tiny[0] == 3 && tiny[1] == 13 && tiny[2] == nil && tiny[3] == nil)
    }

    @Test func rowsWithChineseLineUpColumnByColumn() {
        let widths = ColumnLayout.widths(columns, total: 60)
        let kept = widths.compactMap { $0 }
        // The display column where each kept cell starts: the same for every row.
        var starts: [Int] = [], col = 0
        for w in kept { starts.append(col); col += w + 1 }
        let rows = [
            ["●红", "20260529-0001", "暴露垃圾", "超1时05分", "HW"],
            ["●G", "20260529-0002", "Illegal parking of motor vehicles", "12m", "城管执法大队"],
            ["", "20260529-0003", "井盖破损(供水)", "3时20分", ""],
        ]
        for cells in rows {
            let line = ColumnLayout.row(cells, columns: columns, widths: widths)
            #expect(DisplayWidth.of(line) == kept.reduce(0, +) + kept.count - 1)
            var grid = TextGrid(width: 60, height: 1)
            grid.put(line, row: 0, column: 0)
            for (i, start) in starts.enumerated() {
                let fitted = TextFit.fit(cells[i], to: kept[i], alignment: columns[i].alignment)
                #expect(Self.text(grid, from: start, width: kept[i]) == fitted)
            }
        }
    }

    /// The characters of a grid row from display column `start` over `width` columns.
    static func text(_ g: TextGrid, from start: Int, width: Int) -> String {
        String((start..<(start + width)).compactMap { g[0, $0].continuation ? nil : g[0, $0].character })
    }
}
