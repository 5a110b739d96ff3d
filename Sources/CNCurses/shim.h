#ifndef BULWARK_CNCURSES_SHIM_H
#define BULWARK_CNCURSES_SHIM_H

// Wide-character ncurses: without these two, wget_wch and cchar_t are invisible to Swift.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <ncursesw/curses.h>
#include <locale.h>

// Swift 6 cannot use ncurses' mutable globals (not concurrency-safe) nor its function-like macros
// (A_BOLD, COLOR_PAIR, getmaxyx). These accessors read them on the calling thread; the console
// calls them only from the one thread that owns the terminal.

static inline WINDOW *bulwark_stdscr(void) { return stdscr; }
static inline int bulwark_lines(void) { return LINES; }
static inline int bulwark_cols(void) { return COLS; }
static inline int bulwark_colors(void) { return COLORS; }
static inline int bulwark_color_pairs(void) { return COLOR_PAIRS; }

static inline void bulwark_getmaxyx(WINDOW *win, int *rows, int *cols) {
    int y = 0, x = 0;
    getmaxyx(win, y, x);
    *rows = y;
    *cols = x;
}

static inline attr_t bulwark_a_normal(void) { return A_NORMAL; }
static inline attr_t bulwark_a_bold(void) { return A_BOLD; }
static inline attr_t bulwark_a_dim(void) { return A_DIM; }
static inline attr_t bulwark_a_reverse(void) { return A_REVERSE; }
static inline attr_t bulwark_a_underline(void) { return A_UNDERLINE; }
static inline attr_t bulwark_a_standout(void) { return A_STANDOUT; }
static inline attr_t bulwark_a_blink(void) { return A_BLINK; }
static inline attr_t bulwark_a_color(void) { return A_COLOR; }
static inline attr_t bulwark_color_pair(int pair) { return COLOR_PAIR(pair); }
static inline int bulwark_pair_number(attr_t attrs) { return PAIR_NUMBER(attrs); }

static inline int bulwark_key_resize(void) { return KEY_RESIZE; }
static inline int bulwark_key_code_yes(void) { return KEY_CODE_YES; }
static inline int bulwark_err(void) { return ERR; }
static inline int bulwark_ok(void) { return OK; }

#endif
