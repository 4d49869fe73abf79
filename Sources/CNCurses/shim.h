#ifndef URBANGRID_CNCURSES_SHIM_H
#define URBANGRID_CNCURSES_SHIM_H
// The few ncursesw calls the console needs, as plain functions: many curses entry points are macros
// (COLOR_PAIR, A_BOLD, getmaxx, mvaddnwstr, get_wch) and stdscr/LINES/COLS are mutable globals, none
// of which Swift can use directly. Wide-character support is switched on here, not by global flags.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <curses.h>

/// What `ug_read_key` got.
enum { UG_KEY_NONE = 0, UG_KEY_CHAR = 1, UG_KEY_CODE = 2 };

/// Takes the locale from the environment: without it wide characters come out garbled.
static inline void ug_setlocale(void) { setlocale(LC_ALL, ""); }

/// Full screen, raw keys (Ctrl-C arrives as a key, so the console can restore the terminal before
/// leaving), no echo, keypad decoding, hidden cursor, colours if the terminal has them.
/// Returns 0 on success.
static inline int ug_start(void) {
    if (initscr() == NULL) return -1;
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    return 0;
}

static inline void ug_stop(void) { endwin(); }
static inline int ug_has_colors(void) { return has_colors() ? 1 : 0; }
static inline int ug_rows(void) { return getmaxy(stdscr); }
static inline int ug_cols(void) { return getmaxx(stdscr); }
static inline void ug_erase(void) { erase(); }
static inline void ug_refresh(void) { refresh(); }
static inline void ug_cursor(int visible) { curs_set(visible); }
static inline void ug_move(int y, int x) { move(y, x); }

/// Colour pair `pair` = foreground `fg` on background `bg` (-1: the terminal's default).
static inline void ug_init_pair(short pair, short fg, short bg) { init_pair(pair, fg, bg); }

enum { UG_STYLE_BOLD = 1, UG_STYLE_REVERSE = 2, UG_STYLE_DIM = 4, UG_STYLE_UNDERLINE = 8 };

/// Writes `n` wide characters at row `y`, column `x` in colour pair `pair` with UG_STYLE_* flags.
static inline void ug_put(int y, int x, const wchar_t *text, int n, short pair, int style) {
    attr_t a = A_NORMAL;
    if (style & UG_STYLE_BOLD) a |= A_BOLD;
    if (style & UG_STYLE_REVERSE) a |= A_REVERSE;
    if (style & UG_STYLE_DIM) a |= A_DIM;
    if (style & UG_STYLE_UNDERLINE) a |= A_UNDERLINE;
    attr_set(a, pair, NULL);
    mvaddnwstr(y, x, text, n);
    attr_set(A_NORMAL, 0, NULL);
}

/// Waits up to `timeout_ms` for a key (a negative timeout waits forever). Returns UG_KEY_CHAR with the
/// character in `*out`, UG_KEY_CODE with a KEY_* code (arrows, function keys, KEY_RESIZE), or
/// UG_KEY_NONE when the time ran out.
static inline int ug_read_key(int timeout_ms, unsigned int *out) {
    wint_t c = 0;
    timeout(timeout_ms);
    int r = get_wch(&c);
    *out = (unsigned int)c;
    if (r == KEY_CODE_YES) return UG_KEY_CODE;
    if (r == OK) return UG_KEY_CHAR;
    return UG_KEY_NONE;
}
#endif
