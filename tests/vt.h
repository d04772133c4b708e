/* A virtual terminal for the console tests: runs a program in a
 * pseudo-terminal, feeds it keys, and reads its screen through libvterm.
 *
 * The harness owns the pty master, the child process and the libvterm
 * instance. Nothing here blocks without a timeout: every read goes through
 * poll() on a non-blocking master, and the end of the child (EIO on the
 * master) is treated as "no more output".
 *
 * Screen text is read cell by cell: a row is returned as UTF-8 where a
 * double-width character (张) occupies two cells on screen but appears once in
 * the string; empty cells read as spaces. Text matching (wait_text, find) is
 * per row: text wrapped across two rows is not found.
 *
 * Races: a test that waits for text already on the screen before its key
 * took effect, or for a quiet period, passes while the program is quick
 * and fails when it is slow (under ASan on a busy machine). Run the tests
 * with GJ_VT_STALL_MS=300 to find such waits: every key or text sent then
 * finds the program stopped and leaves it stopped 300 ms longer, as if it
 * were that slow to take its input (see vt.c).
 *
 * Typical use:
 *     const char *argv[] = {getenv("GUANJIA_BIN"), "--db", path, NULL};
 *     struct gj_vt *vt = gj_vt_start(argv, NULL, 24, 80);
 *     GJ_VT_EXPECT(vt, "登录", 3000);
 *     gj_vt_send(vt, "admin");
 *     gj_vt_key(vt, GJ_KEY_ENTER);
 *     ...
 *     gj_vt_close(vt, 1000);
 */
#ifndef GUANJIA_TESTS_VT_H
#define GUANJIA_TESTS_VT_H

#include <stdio.h>
#include <sys/types.h>

struct gj_vt;

/* Named keys for gj_vt_key. The bytes sent are those xterm sends, taking the
 * terminal's current modes into account (cursor keys switch to ESC O A etc.
 * once the program has enabled application cursor mode, as ncurses does with
 * keypad()). */
enum gj_vt_keycode {
    GJ_KEY_ENTER = 1,
    GJ_KEY_TAB,
    GJ_KEY_SHIFT_TAB,
    GJ_KEY_ESC,
    GJ_KEY_BACKSPACE,
    GJ_KEY_UP,
    GJ_KEY_DOWN,
    GJ_KEY_LEFT,
    GJ_KEY_RIGHT,
    GJ_KEY_INSERT,
    GJ_KEY_DELETE,
    GJ_KEY_HOME,
    GJ_KEY_END,
    GJ_KEY_PGUP,
    GJ_KEY_PGDN,
    GJ_KEY_F1,
    GJ_KEY_F2,
    GJ_KEY_F3,
    GJ_KEY_F4,
    GJ_KEY_F5,
    GJ_KEY_F6,
    GJ_KEY_F7,
    GJ_KEY_F8,
    GJ_KEY_F9,
    GJ_KEY_F10,
    GJ_KEY_F11,
    GJ_KEY_F12
};

/* Control-letter keys: GJ_KEY_CTRL('s') sends 0x13. */
#define GJ_KEY_CTRL(c) (0x1000 + ((c) | 0x20))
#define GJ_KEY_CTRL_A  GJ_KEY_CTRL('a')
#define GJ_KEY_CTRL_C  GJ_KEY_CTRL('c')
#define GJ_KEY_CTRL_D  GJ_KEY_CTRL('d')
#define GJ_KEY_CTRL_E  GJ_KEY_CTRL('e')
#define GJ_KEY_CTRL_F  GJ_KEY_CTRL('f')
#define GJ_KEY_CTRL_K  GJ_KEY_CTRL('k')
#define GJ_KEY_CTRL_L  GJ_KEY_CTRL('l')
#define GJ_KEY_CTRL_N  GJ_KEY_CTRL('n')
#define GJ_KEY_CTRL_P  GJ_KEY_CTRL('p')
#define GJ_KEY_CTRL_Q  GJ_KEY_CTRL('q')
#define GJ_KEY_CTRL_S  GJ_KEY_CTRL('s')
#define GJ_KEY_CTRL_U  GJ_KEY_CTRL('u')
#define GJ_KEY_CTRL_W  GJ_KEY_CTRL('w')
#define GJ_KEY_CTRL_X  GJ_KEY_CTRL('x')

/* Cell attributes returned by gj_vt_cell_attrs. */
#define GJ_VT_BOLD      0x01
#define GJ_VT_UNDERLINE 0x02
#define GJ_VT_REVERSE   0x04
#define GJ_VT_ITALIC    0x08
#define GJ_VT_BLINK     0x10

/* Starts argv[0] (a path, or a name looked up in PATH) with argv in a new
 * pseudo-terminal of rows x cols. The child gets the pty as its controlling
 * terminal and as stdin/stdout/stderr, TERM=xterm-256color, LANG=LC_ALL=
 * C.UTF-8, no LINES/COLUMNS, IUTF8 on; then the extra entries of env
 * ("K=V" sets, a bare "K" unsets; NULL-terminated; env may be NULL) are
 * applied. A libvterm screen of the same size (UTF-8, alternate screen
 * enabled) interprets its output; queries such as cursor-position reports
 * are answered like xterm would. Returns NULL (with a message on stderr)
 * when the pty cannot be made; a program that cannot be executed exits with
 * status 127 after printing "exec <path>: <reason>" on the screen. */
struct gj_vt *gj_vt_start(const char *const *argv, const char *const *env, int rows, int cols);

/* Writes raw bytes (UTF-8 text or escape sequences) to the program's input,
 * reading its output meanwhile so that neither side can block the other.
 * 0 on success, -1 when the bytes could not all be written within 5 s or the
 * program has gone. */
int gj_vt_send(struct gj_vt *vt, const char *bytes);

/* Sends one key: an enum gj_vt_keycode value or GJ_KEY_CTRL(letter). Pending
 * output is read first so that the terminal modes are current. 0 on success,
 * -1 on failure or an unknown key. Note: ncurses reads a lone ESC only after
 * ESCDELAY; wait for the screen to change before sending the next key. */
int gj_vt_key(struct gj_vt *vt, int key);

/* Reads output until utf8 appears somewhere on the screen (within one row).
 * Returns 1 when it is there, 0 after timeout_ms or once the program has
 * closed the terminal without it appearing. */
int gj_vt_wait_text(struct gj_vt *vt, const char *utf8, int timeout_ms);

/* Reads output until utf8 is no longer on the screen. 1 when it is gone, 0
 * after timeout_ms. */
int gj_vt_wait_gone(struct gj_vt *vt, const char *utf8, int timeout_ms);

/* Reads output until the program has written nothing for quiet_ms (or has
 * closed the terminal), counting from the call at the earliest: it always
 * waits at least quiet_ms while the program runs. 1 when quiet, 0 when it
 * kept writing for timeout_ms. Use it to let a redraw finish before reading
 * the screen, or after a key that should change nothing. */
int gj_vt_wait_quiet(struct gj_vt *vt, int quiet_ms, int timeout_ms);

/* Reads output until the program has read every byte sent to it (the
 * terminal's input queue is empty: ncurses takes input a byte at a time,
 * as it needs it), or has gone. 1 when read, 0 after timeout_ms. Read is not yet acted on:
 * prefer waiting for what the key shows; this is for keys that should
 * show nothing (ignored while the window is too small, say), before the
 * test changes what they would have acted on. */
int gj_vt_wait_read(struct gj_vt *vt, int timeout_ms);

/* Reads output and waits for the program to exit by itself. Returns its exit
 * status, -1 when it died from a signal, -2 when it is still running after
 * timeout_ms. The status is kept: later calls and gj_vt_close return it. */
int gj_vt_wait_exit(struct gj_vt *vt, int timeout_ms);

/* Screen size in cells. */
int gj_vt_rows(const struct gj_vt *vt);
int gj_vt_cols(const struct gj_vt *vt);

/* Row `row` (0-based) of the screen as UTF-8, trailing spaces removed,
 * stored NUL-terminated in out (truncated at a character boundary when
 * outsz is too small). Returns the full length in bytes (like snprintf), or
 * -1 for a row outside the screen. Does not read new output. */
int gj_vt_row(struct gj_vt *vt, int row, char *out, size_t outsz);

/* Width of the character in cell (row, col): 1, 2 for the left half of a
 * double-width character, 0 for its right half; -1 outside the screen. */
int gj_vt_cell_width(struct gj_vt *vt, int row, int col);

/* GJ_VT_* attribute bits of cell (row, col); -1 outside the screen. */
int gj_vt_cell_attrs(struct gj_vt *vt, int row, int col);

/* Looks for text on the screen as it is now (top row first). 1 when found,
 * with *row and *col (in cells) of its first character (either pointer may
 * be NULL); 0 when not found. */
int gj_vt_find(struct gj_vt *vt, const char *text, int *row, int *col);

/* Cursor position (0-based; either pointer may be NULL). Returns 1 when the
 * cursor is visible, 0 when the program has hidden it. */
int gj_vt_cursor(struct gj_vt *vt, int *row, int *col);

/* Prints the screen framed, with row numbers and the cursor position, for
 * the diagnostics of a failing test. */
void gj_vt_dump(struct gj_vt *vt, FILE *f);

/* Resizes the pty (TIOCSWINSZ: the program gets SIGWINCH) and the libvterm
 * screen. 0 on success, -1 on failure. */
int gj_vt_resize(struct gj_vt *vt, int rows, int cols);

/* The child's process id, for tests that want to signal it. */
pid_t gj_vt_pid(const struct gj_vt *vt);

/* Ends the session and frees vt. When the program has not exited yet, closes
 * the pty master (the kernel hangs up the terminal: the program gets SIGHUP),
 * waits up to timeout_ms, then kills its process group with SIGKILL.
 * Returns the exit status, or -1 when it was killed or died from a signal
 * (a hangup included). To check that a program exits by itself (e.g. after
 * a quit key) call gj_vt_wait_exit first. vt may be NULL (returns -1). */
int gj_vt_close(struct gj_vt *vt, int timeout_ms);

/* Closes every session still open (gj_vt_close with 200 ms each) and
 * returns 0. Meant as a cmocka teardown, so that a test failing halfway
 * leaves neither a running program nor a leak behind:
 *     cmocka_unit_test_teardown(test_login, gj_vt_teardown) */
int gj_vt_teardown(void **state);

/* For cmocka tests (cmocka.h included before use): fail with a screen dump
 * when text does not appear / disappear in time. */
#define GJ_VT_EXPECT(vt, text, timeout_ms)                                                         \
    do {                                                                                           \
        if (!gj_vt_wait_text((vt), (text), (timeout_ms))) {                                        \
            gj_vt_dump((vt), stderr);                                                              \
            fail_msg("text not on screen after %d ms: \"%s\"", (int)(timeout_ms), (text));         \
        }                                                                                          \
    } while (0)

#define GJ_VT_EXPECT_GONE(vt, text, timeout_ms)                                                    \
    do {                                                                                           \
        if (!gj_vt_wait_gone((vt), (text), (timeout_ms))) {                                        \
            gj_vt_dump((vt), stderr);                                                              \
            fail_msg("text still on screen after %d ms: \"%s\"", (int)(timeout_ms), (text));       \
        }                                                                                          \
    } while (0)

#endif
