import CNCurses

/// The real terminal, through ncursesw: the only file that calls curses. Not thread-safe (curses is
/// not): one UI thread owns it.
final class Terminal {
    private(set) var started = false

    /// Takes over the screen. Throws when there is no usable terminal.
    func start() throws(TerminalError) {
        ug_setlocale()
        guard ug_start() == 0 else { throw TerminalError() }
        started = true
        if ug_has_colors() != 0 {
            let colours: [Tint: Int16] = [.red: 1, .green: 2, .yellow: 3, .blue: 4, .magenta: 5, .cyan: 6, .title: 6]
            for (tint, colour) in colours { ug_init_pair(Int16(tint.rawValue), colour, -1) }
        }
    }

    func stop() {
        guard started else { return }
        ug_stop()
        started = false
    }

    var size: (width: Int, height: Int) { (Int(ug_cols()), Int(ug_rows())) }

    /// Replaces the screen with the grid. ncurses sends only the cells that changed, so a redraw
    /// does not flicker.
    func draw(_ grid: TextGrid) {
        ug_erase()
        for row in 0..<grid.height {
            for run in grid.runs(row) {
                // The bottom-right cell would scroll the screen: leave it alone.
                var text = run.text
                if row == grid.height - 1, run.column + DisplayWidth.of(text) >= grid.width, !text.isEmpty {
                    text.removeLast()
                }
                let wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                wide.withUnsafeBufferPointer { buffer in
                    ug_put(Int32(row), Int32(run.column), buffer.baseAddress, Int32(buffer.count),
                           Int16(run.style.tint.rawValue), Self.flags(run.style))
                }
            }
        }
        ug_refresh()
    }

    static func flags(_ s: Style) -> Int32 {
        var f: Int32 = 0
        if s.bold { f |= Int32(UG_STYLE_BOLD) }
        if s.reverse { f |= Int32(UG_STYLE_REVERSE) }
        if s.dim { f |= Int32(UG_STYLE_DIM) }
        return f
    }

    /// The next key, or nil after `timeoutMilliseconds`.
    func readKey(timeoutMilliseconds: Int) -> Key? {
        var code: UInt32 = 0
        switch Int(ug_read_key(Int32(timeoutMilliseconds), &code)) {
        case Int(UG_KEY_CHAR): return Self.character(code)
        case Int(UG_KEY_CODE): return Self.function(Int32(code))
        default: return nil
        }
    }

    static func character(_ code: UInt32) -> Key? {
        switch code {
        case 3: return .interrupt
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 9: return .tab
        default:
            guard code >= 32, let scalar = Unicode.Scalar(code) else { return nil }
            return .char(Character(scalar))
        }
    }

    static func function(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_ENTER: .enter
        case KEY_BACKSPACE: .backspace
        case KEY_RESIZE: .resize
        default: nil
        }
    }
}

struct TerminalError: Error, CustomStringConvertible {
    var description: String { "cannot start the full-screen terminal (is TERM set and is this a terminal?)" }
}
