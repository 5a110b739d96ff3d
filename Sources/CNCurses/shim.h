#ifndef BULWARK_CNCURSES_SHIM_H
#define BULWARK_CNCURSES_SHIM_H

// Wide-character ncurses: without these two, wget_wch and cchar_t are invisible to Swift.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <ncursesw/curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

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

static inline int bulwark_key_code_up(void) { return KEY_UP; }
static inline int bulwark_key_code_down(void) { return KEY_DOWN; }
static inline int bulwark_key_code_left(void) { return KEY_LEFT; }
static inline int bulwark_key_code_right(void) { return KEY_RIGHT; }
static inline int bulwark_key_code_ppage(void) { return KEY_PPAGE; }
static inline int bulwark_key_code_npage(void) { return KEY_NPAGE; }
static inline int bulwark_key_code_home(void) { return KEY_HOME; }
static inline int bulwark_key_code_end(void) { return KEY_END; }
static inline int bulwark_key_code_btab(void) { return KEY_BTAB; }
static inline int bulwark_key_code_enter(void) { return KEY_ENTER; }
static inline int bulwark_key_code_backspace(void) { return KEY_BACKSPACE; }

static inline FILE *bulwark_stdout_file(void) { return stdout; }
static inline FILE *bulwark_stdin_file(void) { return stdin; }

// The codeset of the current locale (after setlocale(LC_ALL, "")) is UTF-8.
static inline int bulwark_codeset_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

// Sets the window's attributes and colour pair; pairs above 32767 go through the extended-pair argument.
static inline int bulwark_wattr_set(WINDOW *win, attr_t attrs, int pair) {
    int extended = pair;
    return wattr_set(win, attrs, (short)(pair > 32767 ? 0 : pair), &extended);
}

static inline int bulwark_init_pair(int pair, int foreground, int background) {
#if NCURSES_EXT_COLORS
    return init_extended_pair(pair, foreground, background);
#else
    return init_pair((short)pair, (short)foreground, (short)background);
#endif
}

// Installs `handler` for `sig` only when the signal still has its default action; returns 1 if installed.
static inline int bulwark_catch_if_default(int sig, void (*handler)(int)) {
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0) return 0;
    if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) return 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    return sigaction(sig, &action, NULL) == 0;
}

// Gives `sig` back its default action.
static inline void bulwark_default_signal(int sig) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(sig, &action, NULL);
}

// Gives `sig` back its default action if `handler` is still the one installed for it.
static inline void bulwark_release_signal(int sig, void (*handler)(int)) {
    struct sigaction current;
    if (sigaction(sig, NULL, &current) != 0) return;
    if (!(current.sa_flags & SA_SIGINFO) && current.sa_handler == handler) bulwark_default_signal(sig);
}

#endif
