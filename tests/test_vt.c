/* The terminal harness (vt.c) proved with ordinary programs: /bin/sh, stty,
 * od, sleep. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "vt.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct gj_vt *start_sh(const char *script, const char *const *env, int rows, int cols)
{
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    struct gj_vt *vt = gj_vt_start(argv, env, rows, cols);
    assert_non_null(vt);
    return vt;
}

static void assert_row(struct gj_vt *vt, int row, const char *want)
{
    char buf[1024];
    int len = gj_vt_row(vt, row, buf, sizeof buf);
    if (len < 0 || strcmp(buf, want) != 0) {
        gj_vt_dump(vt, stderr);
        fail_msg("row %d is \"%s\", expected \"%s\"", row, buf, want);
    }
    assert_int_equal(len, (int)strlen(want));
}

/* Wide characters, row text, finding text, input and echo, exit status. */
static void test_wide_text_and_input(void **state)
{
    (void)state;
    struct gj_vt *vt = start_sh("printf '\\033[2J\\033[1;1H张三 3-2-501\\n'; read x; "
                                "printf 'got:%s\\n' \"$x\"",
                                NULL, 24, 80);
    GJ_VT_EXPECT(vt, "张三 3-2-501", 3000);
    assert_row(vt, 0, "张三 3-2-501");
    assert_int_equal(gj_vt_rows(vt), 24);
    assert_int_equal(gj_vt_cols(vt), 80);

    /* 张 and 三 take two cells each; the right halves read as width 0. */
    assert_int_equal(gj_vt_cell_width(vt, 0, 0), 2);
    assert_int_equal(gj_vt_cell_width(vt, 0, 1), 0);
    assert_int_equal(gj_vt_cell_width(vt, 0, 2), 2);
    assert_int_equal(gj_vt_cell_width(vt, 0, 3), 0);
    assert_int_equal(gj_vt_cell_width(vt, 0, 4), 1);
    assert_int_equal(gj_vt_cell_width(vt, 0, 5), 1);
    assert_int_equal(gj_vt_cell_width(vt, 0, 80), -1);
    assert_int_equal(gj_vt_cell_width(vt, 24, 0), -1);

    /* Columns are cells, not bytes or characters. */
    int row = -1, col = -1;
    assert_int_equal(gj_vt_find(vt, "3-2-501", &row, &col), 1);
    assert_int_equal(row, 0);
    assert_int_equal(col, 5);
    assert_int_equal(gj_vt_find(vt, "三", &row, &col), 1);
    assert_int_equal(col, 2);
    assert_int_equal(gj_vt_find(vt, "李四", &row, &col), 0);

    /* A small buffer is cut at a character boundary; the full length is
     * returned. */
    char small[5];
    assert_int_equal(gj_vt_row(vt, 0, small, sizeof small), (int)strlen("张三 3-2-501"));
    assert_string_equal(small, "张");
    assert_int_equal(gj_vt_row(vt, 1, small, sizeof small), 0);
    assert_string_equal(small, "");
    assert_int_equal(gj_vt_row(vt, 24, small, sizeof small), -1);

    /* The shell is waiting in `read` with the cursor on the second row. */
    assert_int_equal(gj_vt_wait_quiet(vt, 50, 2000), 1);
    int crow = -1, ccol = -1;
    assert_int_equal(gj_vt_cursor(vt, &crow, &ccol), 1);
    assert_int_equal(crow, 1);
    assert_int_equal(ccol, 0);

    /* Typed text is echoed by the tty and read by the program. */
    assert_int_equal(gj_vt_send(vt, "abc王\r"), 0);
    GJ_VT_EXPECT(vt, "got:abc王", 3000);
    assert_row(vt, 1, "abc王");
    assert_row(vt, 2, "got:abc王");
    assert_int_equal(gj_vt_wait_exit(vt, 3000), 0);
    assert_int_equal(gj_vt_close(vt, 1000), 0);
}

/* The environment: TERM, the UTF-8 locale, extra and removed variables. */
static void test_environment(void **state)
{
    (void)state;
    setenv("GJ_VT_UNWANTED", "still here", 1);
    const char *env[] = {"GJ_VT_EXTRA=额外 value", "LC_ALL=C", "GJ_VT_UNWANTED", NULL};
    struct gj_vt *vt = start_sh("echo \"T=$TERM L=$LANG A=$LC_ALL X=$GJ_VT_EXTRA "
                                "U=${GJ_VT_UNWANTED:-unset} C=${COLUMNS:-none}\"",
                                env, 24, 100);
    GJ_VT_EXPECT(vt, "T=xterm-256color L=C.UTF-8 A=C X=额外 value U=unset C=none", 3000);
    /* Seeing its last output does not mean it has exited: wait for that
     * before closing, or the hangup may beat the exit. */
    assert_int_equal(gj_vt_wait_exit(vt, 3000), 0);
    assert_int_equal(gj_vt_close(vt, 1000), 0);
    unsetenv("GJ_VT_UNWANTED");
}

/* Resizing changes the pty size and delivers SIGWINCH. */
static void test_resize(void **state)
{
    (void)state;
    struct gj_vt *vt = start_sh("trap 'echo size:$(stty size)' WINCH; echo size:$(stty size); "
                                "while :; do sleep 0.05; done",
                                NULL, 24, 80);
    GJ_VT_EXPECT(vt, "size:24 80", 3000);
    assert_int_equal(gj_vt_resize(vt, 30, 100), 0);
    assert_int_equal(gj_vt_rows(vt), 30);
    assert_int_equal(gj_vt_cols(vt), 100);
    GJ_VT_EXPECT(vt, "size:30 100", 3000);
    /* The libvterm screen grew too. */
    assert_int_equal(gj_vt_cell_width(vt, 29, 99), 1);
    assert_int_equal(gj_vt_cell_width(vt, 30, 0), -1);
    assert_int_equal(gj_vt_resize(vt, 10, 40), 0);
    GJ_VT_EXPECT(vt, "size:10 40", 3000);
    assert_int_equal(gj_vt_cell_width(vt, 9, 39), 1);
    assert_int_equal(gj_vt_cell_width(vt, 9, 40), -1);

    /* Closing hangs the shell up: death by SIGHUP. */
    long long t0 = now_ms();
    assert_int_equal(gj_vt_close(vt, 2000), -1);
    assert_true(now_ms() - t0 < 1000);
}

/* Keys arrive as xterm sends them, following application cursor mode. */
static void test_keys(void **state)
{
    (void)state;
    struct gj_vt *vt =
        start_sh("stty raw -echo; printf '\\033[?1happ\\r\\n'; "
                 "printf 'A:%s\\r\\n' \"$(head -c 12 | od -An -tx1 | tr -d '\\n')\"; "
                 "printf '\\033[?1lnormal\\r\\n'; "
                 "printf 'N:%s\\r\\n' \"$(head -c 29 | od -An -tx1 | tr -d '\\n')\"",
                 NULL, 24, 120);
    GJ_VT_EXPECT(vt, "app", 3000);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_UP), 0);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_HOME), 0);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_END), 0);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_SHIFT_TAB), 0);
    GJ_VT_EXPECT(vt, "A: 1b 4f 41 1b 4f 48 1b 4f 46 1b 5b 5a", 3000);

    GJ_VT_EXPECT(vt, "normal", 3000);
    static const int keys[] = {GJ_KEY_UP,   GJ_KEY_F1,     GJ_KEY_F10,       GJ_KEY_PGDN,
                               GJ_KEY_PGUP, GJ_KEY_DELETE, GJ_KEY_BACKSPACE, GJ_KEY_ENTER,
                               GJ_KEY_TAB,  GJ_KEY_ESC,    GJ_KEY_CTRL_S,    GJ_KEY_CTRL_L};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_int_equal(gj_vt_key(vt, keys[i]), 0);
    GJ_VT_EXPECT(vt,
                 "N: 1b 5b 41 1b 4f 50 1b 5b 32 31 7e 1b 5b 36 7e 1b 5b 35 7e 1b 5b 33 7e 7f 0d "
                 "09 1b 13 0c",
                 3000);
    assert_int_equal(gj_vt_key(vt, 12345), -1);
    assert_int_equal(gj_vt_wait_exit(vt, 3000), 0);
    assert_int_equal(gj_vt_close(vt, 1000), 0);
}

/* Attributes and cursor visibility as a curses program sets them. */
static void test_attrs_and_cursor(void **state)
{
    (void)state;
    struct gj_vt *vt =
        start_sh("printf '\\033[7m选中\\033[0m \\033[1mbold\\033[0m plain\\033[?25l'; "
                 "sleep 5",
                 NULL, 24, 80);
    GJ_VT_EXPECT(vt, "选中 bold plain", 3000);
    assert_int_equal(gj_vt_wait_quiet(vt, 50, 2000), 1);
    assert_true(gj_vt_cell_attrs(vt, 0, 0) & GJ_VT_REVERSE);
    assert_true(gj_vt_cell_attrs(vt, 0, 2) & GJ_VT_REVERSE);
    assert_int_equal(gj_vt_cell_attrs(vt, 0, 4), 0);
    assert_int_equal(gj_vt_cell_attrs(vt, 0, 5), GJ_VT_BOLD);
    assert_int_equal(gj_vt_cell_attrs(vt, 0, 10), 0);
    assert_int_equal(gj_vt_cell_attrs(vt, 0, 80), -1);
    int row, col;
    assert_int_equal(gj_vt_cursor(vt, &row, &col), 0);
    assert_int_equal(row, 0);
    assert_int_equal(col, 15);
    assert_int_equal(gj_vt_close(vt, 1000), -1);
}

/* The alternate screen (ncurses' smcup/rmcup) is followed. */
static void test_altscreen(void **state)
{
    (void)state;
    struct gj_vt *vt = start_sh("echo main; printf '\\033[?1049h\\033[Halt\\n'; read x; "
                                "printf '\\033[?1049l'; read x",
                                NULL, 24, 80);
    GJ_VT_EXPECT(vt, "alt", 3000);
    assert_int_equal(gj_vt_find(vt, "main", NULL, NULL), 0);
    assert_int_equal(gj_vt_send(vt, "\r"), 0);
    GJ_VT_EXPECT(vt, "main", 3000);
    GJ_VT_EXPECT_GONE(vt, "alt", 3000);
    assert_int_equal(gj_vt_send(vt, "\r"), 0);
    assert_int_equal(gj_vt_wait_exit(vt, 3000), 0);
    assert_int_equal(gj_vt_close(vt, 1000), 0);
}

static void test_exit_status(void **state)
{
    (void)state;
    struct gj_vt *vt = start_sh("echo leaving; exit 3", NULL, 24, 80);
    assert_int_equal(gj_vt_wait_exit(vt, 3000), 3);
    /* Output written before the exit is still read. */
    GJ_VT_EXPECT(vt, "leaving", 1000);
    assert_int_equal(gj_vt_wait_exit(vt, 0), 3);
    assert_int_equal(gj_vt_close(vt, 1000), 3);

    /* Closed without waiting: the status is still collected. */
    vt = start_sh("exit 7", NULL, 24, 80);
    assert_int_equal(gj_vt_wait_text(vt, "never", 3000), 0);
    assert_int_equal(gj_vt_close(vt, 1000), 7);

    /* Death by a signal reads as -1. */
    vt = start_sh("kill -TERM $$; sleep 5", NULL, 24, 80);
    assert_int_equal(gj_vt_wait_exit(vt, 3000), -1);
    assert_int_equal(gj_vt_close(vt, 1000), -1);

    /* A program that cannot be run exits with 127 and says why. */
    const char *argv[] = {"/nonexistent/guanjia-vt-test", NULL};
    vt = gj_vt_start(argv, NULL, 24, 80);
    assert_non_null(vt);
    assert_int_equal(gj_vt_wait_exit(vt, 3000), 127);
    GJ_VT_EXPECT(vt, "exec /nonexistent/guanjia-vt-test:", 1000);
    assert_int_equal(gj_vt_close(vt, 1000), 127);
}

/* Waits time out promptly, and return early once the program is gone. */
static void test_timeouts(void **state)
{
    (void)state;
    struct gj_vt *vt = start_sh("echo hello; sleep 5", NULL, 24, 80);
    GJ_VT_EXPECT(vt, "hello", 3000);

    long long t0 = now_ms();
    assert_int_equal(gj_vt_wait_text(vt, "never", 200), 0);
    long long dt = now_ms() - t0;
    assert_true(dt >= 190 && dt < 1000);

    t0 = now_ms();
    assert_int_equal(gj_vt_wait_gone(vt, "hello", 100), 0);
    assert_true(now_ms() - t0 < 1000);
    assert_int_equal(gj_vt_wait_gone(vt, "absent", 0), 1);
    assert_int_equal(gj_vt_wait_text(vt, "hello", 0), 1);
    /* Quiet is counted from the call: it waits at least quiet_ms. */
    t0 = now_ms();
    assert_int_equal(gj_vt_wait_quiet(vt, 100, 1000), 1);
    dt = now_ms() - t0;
    assert_true(dt >= 95 && dt < 1000);
    assert_int_equal(gj_vt_wait_exit(vt, 50), -2);
    assert_int_equal(gj_vt_close(vt, 1000), -1);

    /* A chatty program is never quiet. */
    vt = start_sh("while :; do echo tick; sleep 0.01; done", NULL, 24, 80);
    GJ_VT_EXPECT(vt, "tick", 3000);
    t0 = now_ms();
    assert_int_equal(gj_vt_wait_quiet(vt, 150, 250), 0);
    dt = now_ms() - t0;
    assert_true(dt >= 240 && dt < 1000);
    assert_int_equal(gj_vt_close(vt, 1000), -1);

    /* A program that writes without pause cannot hold a wait past its
     * timeout. */
    vt = start_sh("yes 张三", NULL, 24, 80);
    GJ_VT_EXPECT(vt, "张三", 3000);
    t0 = now_ms();
    assert_int_equal(gj_vt_wait_text(vt, "never", 150), 0);
    assert_int_equal(gj_vt_wait_quiet(vt, 50, 150), 0);
    assert_int_equal(gj_vt_wait_gone(vt, "张三", 150), 0);
    assert_int_equal(gj_vt_wait_exit(vt, 150), -2);
    dt = now_ms() - t0;
    assert_true(dt >= 580 && dt < 1500);
    assert_int_equal(gj_vt_close(vt, 1000), -1);

    /* Once the program has closed the terminal, waiting ends at once. */
    vt = start_sh("echo bye", NULL, 24, 80);
    GJ_VT_EXPECT(vt, "bye", 3000);
    t0 = now_ms();
    assert_int_equal(gj_vt_wait_text(vt, "never", 3000), 0);
    assert_true(now_ms() - t0 < 1000);
    assert_int_equal(gj_vt_wait_exit(vt, 3000), 0);
    assert_int_equal(gj_vt_close(vt, 1000), 0);
}

/* A program that ignores the hangup is killed after the timeout. */
/* Waiting until the program has read what was sent: not while it sleeps,
 * at once when it reads, never when nobody reads; and the look at the
 * input queue leaves the end of the program to be seen as before. */
static void test_wait_read(void **state)
{
    (void)state;
    struct gj_vt *vt = start_sh("stty raw -echo; echo ready; sleep 0.6; head -c 3 >/dev/null; "
                                "echo took; sleep 5",
                                NULL, 24, 80);
    GJ_VT_EXPECT(vt, "ready", 3000);
    assert_int_equal(gj_vt_wait_read(vt, 0), 1); /* nothing sent yet */
    gj_vt_send(vt, "abc");
    assert_int_equal(gj_vt_wait_read(vt, 100), 0); /* asleep: the bytes wait */
    long long t0 = now_ms();
    assert_int_equal(gj_vt_wait_read(vt, 3000), 1);
    assert_true(now_ms() - t0 < 2000);
    GJ_VT_EXPECT(vt, "took", 3000);
    gj_vt_send(vt, "xyz"); /* nobody reads these */
    t0 = now_ms();
    assert_int_equal(gj_vt_wait_read(vt, 200), 0);
    assert_true(now_ms() - t0 >= 190);
    assert_int_equal(gj_vt_close(vt, 1000), -1);

    vt = start_sh("stty raw -echo; echo ready; head -c 2 >/dev/null; echo bye", NULL, 24, 80);
    GJ_VT_EXPECT(vt, "ready", 3000);
    gj_vt_send(vt, "ok");
    assert_int_equal(gj_vt_wait_read(vt, 3000), 1);
    GJ_VT_EXPECT(vt, "bye", 3000);
    assert_int_equal(gj_vt_wait_exit(vt, 3000), 0);
    assert_int_equal(gj_vt_wait_read(vt, 1000), 1); /* gone: nothing left to read */
    assert_int_equal(gj_vt_close(vt, 1000), 0);
}

static void test_kill_stubborn(void **state)
{
    (void)state;
    struct gj_vt *vt =
        start_sh("trap '' HUP TERM; echo armed; while :; do sleep 0.05; done", NULL, 24, 80);
    GJ_VT_EXPECT(vt, "armed", 3000);
    pid_t pid = gj_vt_pid(vt);
    assert_true(pid > 0);
    assert_int_equal(kill(pid, SIGTERM), 0); /* ignored */
    assert_int_equal(gj_vt_wait_exit(vt, 100), -2);

    long long t0 = now_ms();
    assert_int_equal(gj_vt_close(vt, 200), -1);
    long long dt = now_ms() - t0;
    assert_true(dt >= 180 && dt < 1500);
    /* Reaped: the pid no longer names a process of ours. */
    assert_int_equal(kill(pid, 0), -1);
    assert_int_equal(errno, ESRCH);
}

/* The teardown closes whatever a failing test left open. */
static void test_teardown_closes_all(void **state)
{
    struct gj_vt *a = start_sh("echo one; sleep 5", NULL, 24, 80);
    struct gj_vt *b = start_sh("trap '' HUP; echo two; while :; do sleep 0.05; done", NULL, 24, 80);
    GJ_VT_EXPECT(a, "one", 3000);
    GJ_VT_EXPECT(b, "two", 3000);
    pid_t pa = gj_vt_pid(a), pb = gj_vt_pid(b);
    assert_int_equal(gj_vt_teardown(state), 0);
    assert_int_equal(kill(pa, 0), -1);
    assert_int_equal(kill(pb, 0), -1);
    assert_int_equal(gj_vt_teardown(state), 0); /* nothing left: no-op */
}

/* Output larger than the pty buffer while input is being written does not
 * deadlock. */
static void test_bulk_io(void **state)
{
    (void)state;
    struct gj_vt *vt =
        start_sh("stty -icanon -echo; echo ready; sleep 0.2; i=0; while [ $i -lt 300 ]; do "
                 "echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; "
                 "i=$((i+1)); done; head -c 20000 >/dev/null; echo finished",
                 NULL, 24, 80);
    GJ_VT_EXPECT(vt, "ready", 3000);
    static char big[20001];
    memset(big, 'x', sizeof big - 1);
    assert_int_equal(gj_vt_send(vt, big), 0);
    GJ_VT_EXPECT(vt, "finished", 4000);
    assert_true(gj_vt_find(vt, "line-299-", NULL, NULL));
    assert_int_equal(gj_vt_wait_exit(vt, 3000), 0);

    /* The dump frames every row at full width. */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    gj_vt_dump(vt, f);
    fclose(f);
    assert_non_null(strstr(text, "screen 24x80"));
    assert_non_null(strstr(text, "|finished                                "));
    assert_non_null(strstr(text, "\n23 |"));
    free(text);
    assert_int_equal(gj_vt_close(vt, 1000), 0);
}

/* An ncurses program (Python's curses module) sees the keys as named keys:
 * application cursor mode, the alternate screen, line drawing, KEY_RESIZE. */
static const char curses_script[] =
    "import curses, locale\n"
    "locale.setlocale(locale.LC_ALL, '')\n"
    "def main(s):\n"
    "    s.keypad(True)\n"
    "    s.addstr(0, 0, '住户 张三 ready')\n"
    "    s.hline(1, 0, curses.ACS_HLINE, 6)\n"
    "    got = []\n"
    "    while True:\n"
    "        k = s.get_wch()\n"
    "        n = curses.keyname(k).decode() if isinstance(k, int) else 'ch:%x' % ord(k)\n"
    "        if n == 'KEY_RESIZE':\n"
    "            y, x = s.getmaxyx()\n"
    "            n = 'resize:%dx%d' % (y, x)\n"
    "        got.append(n)\n"
    "        s.move(2, 0)\n"
    "        s.clrtobot()\n"
    "        s.addstr(2, 0, ' '.join(got[-6:]))\n"
    "        s.refresh()\n"
    "        if n == 'KEY_F(10)':\n"
    "            break\n"
    "curses.wrapper(main)\n"
    "print('curses done')\n";

static void test_ncurses_program(void **state)
{
    (void)state;
    if (system("python3 -c 'import curses' >/dev/null 2>&1") != 0)
        skip();
    const char *argv[] = {"python3", "-c", curses_script, NULL};
    const char *env[] = {"ESCDELAY=25", NULL};
    struct gj_vt *vt = gj_vt_start(argv, env, 24, 80);
    assert_non_null(vt);
    GJ_VT_EXPECT(vt, "住户 张三 ready", 5000);
    GJ_VT_EXPECT(vt, "──────", 1000);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_UP), 0);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_DOWN), 0);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_HOME), 0);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_END), 0);
    GJ_VT_EXPECT(vt, "KEY_UP KEY_DOWN KEY_HOME KEY_END", 3000);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_SHIFT_TAB), 0);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_F1), 0);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_DELETE), 0);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_BACKSPACE), 0);
    GJ_VT_EXPECT(vt, "KEY_BTAB KEY_F(1) KEY_DC KEY_BACKSPACE", 3000);
    assert_int_equal(gj_vt_send(vt, "王"), 0);
    GJ_VT_EXPECT(vt, "KEY_BACKSPACE ch:738b", 3000);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_ESC), 0);
    GJ_VT_EXPECT(vt, "ch:738b ch:1b", 3000);
    /* ncurses only notices SIGWINCH when it interrupts the read: let the
     * program finish its redraw and block in get_wch before resizing. */
    assert_int_equal(gj_vt_wait_quiet(vt, 100, 2000), 1);
    assert_int_equal(gj_vt_resize(vt, 30, 100), 0);
    GJ_VT_EXPECT(vt, "ch:1b resize:30x100", 3000);
    assert_int_equal(gj_vt_key(vt, GJ_KEY_F10), 0);
    assert_int_equal(gj_vt_wait_exit(vt, 3000), 0);
    /* Back on the main screen after endwin. */
    GJ_VT_EXPECT(vt, "curses done", 1000);
    assert_int_equal(gj_vt_find(vt, "住户", NULL, NULL), 0);
    assert_int_equal(gj_vt_close(vt, 1000), 0);
}

int main(void)
{
    /* These tests time the harness itself: its limits are not scaled
     * (scripts/valgrind sets GJ_TEST_TIME_SCALE for the console tests),
     * and their programs are not to be stalled (GJ_VT_STALL_MS). */
    unsetenv("GJ_TEST_TIME_SCALE");
    unsetenv("GJ_VT_STALL_MS");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_wide_text_and_input, gj_vt_teardown),
        cmocka_unit_test_teardown(test_environment, gj_vt_teardown),
        cmocka_unit_test_teardown(test_resize, gj_vt_teardown),
        cmocka_unit_test_teardown(test_keys, gj_vt_teardown),
        cmocka_unit_test_teardown(test_attrs_and_cursor, gj_vt_teardown),
        cmocka_unit_test_teardown(test_altscreen, gj_vt_teardown),
        cmocka_unit_test_teardown(test_exit_status, gj_vt_teardown),
        cmocka_unit_test_teardown(test_timeouts, gj_vt_teardown),
        cmocka_unit_test_teardown(test_wait_read, gj_vt_teardown),
        cmocka_unit_test_teardown(test_kill_stubborn, gj_vt_teardown),
        cmocka_unit_test_teardown(test_teardown_closes_all, gj_vt_teardown),
        cmocka_unit_test_teardown(test_bulk_io, gj_vt_teardown),
        cmocka_unit_test_teardown(test_ncurses_program, gj_vt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
