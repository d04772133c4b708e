/* A virtual terminal for the console tests: pty + libvterm. See vt.h. */
#include "vt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

#define SEND_TIMEOUT_MS 5000
#define DRAIN_MS        20
/* Bytes of one cell as UTF-8: a base character and up to 5 combining ones. */
#define CELL_BYTES (VTERM_MAX_CHARS_PER_CELL * 4)

struct gj_vt {
    int fd; /* pty master, -1 once closed */
    pid_t pid;
    int exited; /* the child has been reaped; status in `status` */
    int status;
    int eof; /* the master reported EIO/EOF: nothing more will come */
    int rows, cols;
    int cursor_visible;
    VTerm *term;
    VTermScreen *screen;
    VTermState *state;
    /* Bytes libvterm wants to send to the program (key sequences, replies to
     * queries), not yet written. */
    char *obuf;
    size_t olen, ocap;
    int oerr; /* out of memory while queueing output */
    long long last_output_ms;
    /* GJ_VT_STALL_MS: the program is stopped (SIGSTOP) until then; 0 when
     * it runs. */
    long long stalled_until;
    /* One row as UTF-8 and, for each byte of it, the cell it belongs to. */
    char *row;
    int *rowcol;
    size_t rowcap;
    struct gj_vt *next_live; /* list of sessions not yet closed */
};

static struct gj_vt *live;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining(long long deadline)
{
    long long left = deadline - now_ms();
    if (left <= 0)
        return 0;
    return left > 60000 ? 60000 : (int)left;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* libvterm output (keys, query replies): queued, written by flush_out. */
static void on_output(const char *s, size_t len, void *user)
{
    struct gj_vt *vt = user;
    if (vt->olen + len > vt->ocap) {
        size_t cap = vt->ocap ? vt->ocap : 256;
        while (cap < vt->olen + len)
            cap *= 2;
        char *p = realloc(vt->obuf, cap);
        if (!p) {
            vt->oerr = 1;
            return;
        }
        vt->obuf = p;
        vt->ocap = cap;
    }
    memcpy(vt->obuf + vt->olen, s, len);
    vt->olen += len;
}

static int on_settermprop(VTermProp prop, VTermValue *val, void *user)
{
    struct gj_vt *vt = user;
    if (prop == VTERM_PROP_CURSORVISIBLE)
        vt->cursor_visible = val->boolean ? 1 : 0;
    return 1;
}

static const VTermScreenCallbacks screen_callbacks = {
    .settermprop = on_settermprop,
};

/* GJ_VT_STALL_MS (milliseconds, default 0): every key or text sent finds
 * the program stopped and leaves it stopped that long after, as if it were
 * that slow to take its input. Keys sent meanwhile queue up, as they do
 * before a slow program; a wait that passes before the program has acted
 * (text that stood on the screen already, a quiet period) is shown up. */
static long stall_ms(void)
{
    static long ms = -1;
    if (ms < 0) {
        const char *s = getenv("GJ_VT_STALL_MS");
        ms = s ? strtol(s, NULL, 10) : 0;
        if (ms < 0 || ms > 10000)
            ms = 0;
    }
    return ms;
}

static void stall(struct gj_vt *vt)
{
    if (!stall_ms() || vt->pid <= 0 || vt->exited || vt->fd < 0 || vt->eof)
        return;
    if (!vt->stalled_until)
        kill(vt->pid, SIGSTOP);
    vt->stalled_until = now_ms() + stall_ms();
}

/* Lets a stalled program run again once its time is up (or at once). */
static void unstall(struct gj_vt *vt, int now)
{
    if (vt->stalled_until && (now || now_ms() >= vt->stalled_until)) {
        vt->stalled_until = 0;
        if (vt->pid > 0 && !vt->exited)
            kill(vt->pid, SIGCONT);
    }
}

/* Reads what the master has now, without waiting, into libvterm. Stops
 * after DRAIN_MS so that a program writing without pause cannot keep us
 * here past a timeout (libvterm needs a while for long scrolling output,
 * above all under ASan). Returns the number of bytes read. */
static size_t drain(struct gj_vt *vt)
{
    char buf[4096];
    size_t total = 0;
    unstall(vt, 0);
    long long stop = now_ms() + DRAIN_MS;
    while (vt->fd >= 0 && !vt->eof) {
        if (total > 0 && now_ms() >= stop)
            break;
        ssize_t n = read(vt->fd, buf, sizeof buf);
        if (n > 0) {
            vterm_input_write(vt->term, buf, (size_t)n);
            total += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        /* 0 or EIO: every slave descriptor is closed (the child is gone). */
        vt->eof = 1;
    }
    if (total)
        vt->last_output_ms = now_ms();
    return total;
}

/* Waits up to timeout_ms for output, then drains it. Never blocks past the
 * timeout; once at EOF it only sleeps. */
static void pump(struct gj_vt *vt, int timeout_ms)
{
    if (vt->fd < 0 || vt->eof) {
        if (timeout_ms > 0)
            sleep_ms(timeout_ms);
        return;
    }
    if (vt->stalled_until) {
        /* Not past the stall's end: the program says nothing while stopped. */
        long long until = vt->stalled_until - now_ms();
        if (until < timeout_ms)
            timeout_ms = until > 0 ? (int)until : 0;
    }
    struct pollfd p = {.fd = vt->fd, .events = POLLIN};
    int r = poll(&p, 1, timeout_ms);
    if (r > 0 || vt->stalled_until)
        drain(vt);
}

/* Writes the queued output, reading the program's output meanwhile. */
static int flush_out(struct gj_vt *vt)
{
    long long deadline = now_ms() + SEND_TIMEOUT_MS;
    size_t done = 0;
    int rc = 0;
    if (vt->oerr)
        rc = -1;
    while (done < vt->olen) {
        if (vt->fd < 0 || vt->eof) {
            rc = -1;
            break;
        }
        struct pollfd p = {.fd = vt->fd, .events = POLLIN | POLLOUT};
        int left = remaining(deadline);
        if (left == 0) {
            rc = -1;
            break;
        }
        if (vt->stalled_until) {
            unstall(vt, 0); /* a full input queue waits for the stall's end */
            if (left > 10)
                left = 10;
        }
        int r = poll(&p, 1, left);
        if (r < 0 && errno != EINTR) {
            rc = -1;
            break;
        }
        if (r <= 0)
            continue;
        if (p.revents & (POLLIN | POLLHUP | POLLERR))
            drain(vt);
        if (p.revents & POLLOUT) {
            ssize_t n = write(vt->fd, vt->obuf + done, vt->olen - done);
            if (n > 0)
                done += (size_t)n;
            else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                rc = -1;
                break;
            }
        }
    }
    vt->olen = 0;
    vt->oerr = 0;
    return rc;
}

static int ensure_rowbuf(struct gj_vt *vt)
{
    size_t need = (size_t)vt->cols * CELL_BYTES + 1;
    if (need <= vt->rowcap)
        return 0;
    char *r = malloc(need);
    int *c = malloc(need * sizeof *c);
    if (!r || !c) {
        free(r);
        free(c);
        return -1;
    }
    free(vt->row);
    free(vt->rowcol);
    vt->row = r;
    vt->rowcol = c;
    vt->rowcap = need;
    return 0;
}

static size_t put_utf8(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    if (c < 0x110000) {
        out[0] = (char)(0xF0 | (c >> 18));
        out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[3] = (char)(0x80 | (c & 0x3F));
        return 4;
    }
    out[0] = '?';
    return 1;
}

/* The right half of a double-width character: libvterm stores it as a cell
 * whose first char is (uint32_t)-1. */
static int is_continuation(const VTermScreenCell *cell)
{
    return cell->chars[0] == (uint32_t)-1;
}

/* Builds vt->row (untrimmed, NUL-terminated) and vt->rowcol for `row`.
 * Returns its length in bytes, or -1. */
static int build_row(struct gj_vt *vt, int row)
{
    if (!vt || row < 0 || row >= vt->rows || ensure_rowbuf(vt) != 0)
        return -1;
    size_t len = 0;
    for (int col = 0; col < vt->cols; col++) {
        VTermScreenCell cell;
        VTermPos pos = {.row = row, .col = col};
        memset(&cell, 0, sizeof cell);
        if (!vterm_screen_get_cell(vt->screen, pos, &cell))
            continue;
        if (is_continuation(&cell))
            continue;
        size_t start = len;
        if (cell.chars[0] == 0) {
            vt->row[len++] = ' ';
        } else {
            for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i] != 0; i++)
                len += put_utf8(vt->row + len, cell.chars[i]);
        }
        for (size_t b = start; b < len; b++)
            vt->rowcol[b] = col;
    }
    vt->row[len] = '\0';
    vt->rowcol[len] = vt->cols;
    return (int)len;
}

static int screen_has(struct gj_vt *vt, const char *text)
{
    return gj_vt_find(vt, text, NULL, NULL);
}

struct gj_vt *gj_vt_start(const char *const *argv, const char *const *env, int rows, int cols)
{
    if (!argv || !argv[0] || rows < 1 || cols < 1)
        return NULL;
    struct gj_vt *vt = calloc(1, sizeof *vt);
    if (!vt)
        return NULL;
    vt->fd = -1;
    vt->rows = rows;
    vt->cols = cols;
    vt->cursor_visible = 1;
    vt->term = vterm_new(rows, cols);
    if (!vt->term || ensure_rowbuf(vt) != 0) {
        fprintf(stderr, "gj_vt_start: out of memory\n");
        gj_vt_close(vt, 0);
        return NULL;
    }
    vterm_set_utf8(vt->term, 1);
    vterm_output_set_callback(vt->term, on_output, vt);
    vt->state = vterm_obtain_state(vt->term);
    vt->screen = vterm_obtain_screen(vt->term);
    vterm_screen_set_callbacks(vt->screen, &screen_callbacks, vt);
    vterm_screen_enable_altscreen(vt->screen, 1);
    vterm_screen_reset(vt->screen, 1);

    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = (unsigned short)rows;
    ws.ws_col = (unsigned short)cols;
    fflush(NULL);
    int fd = -1;
    pid_t pid = forkpty(&fd, NULL, NULL, &ws);
    if (pid < 0) {
        fprintf(stderr, "gj_vt_start: forkpty: %s\n", strerror(errno));
        gj_vt_close(vt, 0);
        return NULL;
    }
    if (pid == 0) {
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        /* Ignored signals stay ignored across exec: restore the defaults. */
        static const int sigs[] = {SIGPIPE, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGCHLD, SIGWINCH};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            signal(sigs[i], SIG_DFL);
        struct termios tio;
        if (tcgetattr(STDIN_FILENO, &tio) == 0) {
            tio.c_iflag |= IUTF8;
            tcsetattr(STDIN_FILENO, TCSANOW, &tio);
        }
        setenv("TERM", "xterm-256color", 1);
        setenv("LANG", "C.UTF-8", 1);
        setenv("LC_ALL", "C.UTF-8", 1);
        unsetenv("LINES");
        unsetenv("COLUMNS");
        for (const char *const *e = env; e && *e; e++) {
            const char *eq = strchr(*e, '=');
            if (!eq) {
                unsetenv(*e);
                continue;
            }
            char key[256];
            size_t klen = (size_t)(eq - *e);
            if (klen == 0 || klen >= sizeof key)
                continue;
            memcpy(key, *e, klen);
            key[klen] = '\0';
            setenv(key, eq + 1, 1);
        }
        /* Reachable here as in the parent: when the exec fails, valgrind
         * (scripts/valgrind) checks this process for leaks at _exit. */
        vt->next_live = live;
        live = vt;
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\r\n", argv[0], strerror(errno));
        _exit(127);
    }
    vt->pid = pid;
    vt->fd = fd;
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    fl = fcntl(fd, F_GETFD);
    if (fl >= 0)
        fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
    vt->last_output_ms = now_ms();
    vt->next_live = live;
    live = vt;
    return vt;
}

int gj_vt_send(struct gj_vt *vt, const char *bytes)
{
    if (!vt || !bytes)
        return -1;
    drain(vt);
    stall(vt);
    on_output(bytes, strlen(bytes), vt);
    return flush_out(vt);
}

int gj_vt_key(struct gj_vt *vt, int key)
{
    if (!vt)
        return -1;
    /* Let libvterm see mode changes (application cursor keys...) first. */
    drain(vt);
    if (key > 0x1000 && key <= 0x1000 + 0x7f) {
        char c[2] = {(char)((key - 0x1000) & 0x1f), '\0'};
        if ((key - 0x1000) < 'a' || (key - 0x1000) > 'z')
            return -1;
        return gj_vt_send(vt, c);
    }
    VTermKey k;
    VTermModifier mod = VTERM_MOD_NONE;
    switch (key) {
    case GJ_KEY_ENTER:
        k = VTERM_KEY_ENTER;
        break;
    case GJ_KEY_TAB:
        k = VTERM_KEY_TAB;
        break;
    case GJ_KEY_SHIFT_TAB:
        k = VTERM_KEY_TAB;
        mod = VTERM_MOD_SHIFT;
        break;
    case GJ_KEY_ESC:
        k = VTERM_KEY_ESCAPE;
        break;
    case GJ_KEY_BACKSPACE:
        k = VTERM_KEY_BACKSPACE;
        break;
    case GJ_KEY_UP:
        k = VTERM_KEY_UP;
        break;
    case GJ_KEY_DOWN:
        k = VTERM_KEY_DOWN;
        break;
    case GJ_KEY_LEFT:
        k = VTERM_KEY_LEFT;
        break;
    case GJ_KEY_RIGHT:
        k = VTERM_KEY_RIGHT;
        break;
    case GJ_KEY_INSERT:
        k = VTERM_KEY_INS;
        break;
    case GJ_KEY_DELETE:
        k = VTERM_KEY_DEL;
        break;
    case GJ_KEY_HOME:
        k = VTERM_KEY_HOME;
        break;
    case GJ_KEY_END:
        k = VTERM_KEY_END;
        break;
    case GJ_KEY_PGUP:
        k = VTERM_KEY_PAGEUP;
        break;
    case GJ_KEY_PGDN:
        k = VTERM_KEY_PAGEDOWN;
        break;
    default:
        if (key >= GJ_KEY_F1 && key <= GJ_KEY_F12) {
            k = (VTermKey)VTERM_KEY_FUNCTION(key - GJ_KEY_F1 + 1);
            break;
        }
        return -1;
    }
    stall(vt);
    vterm_keyboard_key(vt->term, k, mod);
    return flush_out(vt);
}

/* Time limits are multiplied by GJ_TEST_TIME_SCALE (a whole number,
 * default 1): under valgrind (scripts/valgrind) the program runs many times
 * slower. Quiet periods, which every test waits out, grow by at most 3. */
static long time_scale(void)
{
    static long scale;
    if (!scale) {
        const char *s = getenv("GJ_TEST_TIME_SCALE");
        scale = s ? strtol(s, NULL, 10) : 1;
        if (scale < 1 || scale > 1000)
            scale = 1;
    }
    return scale;
}

static long long scaled_ms(int ms)
{
    return ms > 0 ? ms * time_scale() : 0;
}

int gj_vt_wait_text(struct gj_vt *vt, const char *utf8, int timeout_ms)
{
    if (!vt || !utf8)
        return 0;
    long long deadline = now_ms() + scaled_ms(timeout_ms);
    for (;;) {
        drain(vt);
        if (screen_has(vt, utf8))
            return 1;
        int left = remaining(deadline);
        if (vt->eof || left == 0)
            return 0;
        pump(vt, left);
    }
}

int gj_vt_wait_gone(struct gj_vt *vt, const char *utf8, int timeout_ms)
{
    if (!vt || !utf8)
        return 0;
    long long deadline = now_ms() + scaled_ms(timeout_ms);
    for (;;) {
        drain(vt);
        if (!screen_has(vt, utf8))
            return 1;
        int left = remaining(deadline);
        if (vt->eof || left == 0)
            return 0;
        pump(vt, left);
    }
}

int gj_vt_wait_quiet(struct gj_vt *vt, int quiet_ms, int timeout_ms)
{
    if (!vt)
        return 0;
    long long start = now_ms();
    long long deadline = start + scaled_ms(timeout_ms);
    long long quiet = (long long)quiet_ms * (time_scale() < 3 ? time_scale() : 3);
    for (;;) {
        drain(vt);
        if (vt->eof)
            return 1;
        /* The quiet period starts no earlier than the call: a program that
         * has not yet reacted to a key just sent must get its chance. */
        long long last = vt->last_output_ms > start ? vt->last_output_ms : start;
        long long since = now_ms() - last;
        if (since >= quiet)
            return 1;
        int left = remaining(deadline);
        if (left == 0)
            return 0;
        int need = (int)(quiet - since);
        pump(vt, need < left ? need : left);
    }
}

int gj_vt_wait_read(struct gj_vt *vt, int timeout_ms)
{
    if (!vt || vt->fd < 0)
        return 0;
    /* The terminal's input queue, seen from its slave side, opened for the
     * look only (so that the program's end still reads as EIO on the
     * master). poll() there first moves bytes still on their way from the
     * master into the queue; FIONREAD would not, and would miss them. */
    const char *name = ptsname(vt->fd);
    long long deadline = now_ms() + scaled_ms(timeout_ms);
    for (;;) {
        drain(vt);
        if (vt->eof || !name)
            return 1;
        int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0)
            return 1; /* hung up: nobody reads any more */
        struct pollfd p = {.fd = slave, .events = POLLIN};
        int r = poll(&p, 1, 0);
        close(slave);
        if (r == 0)
            return 1;
        int left = remaining(deadline);
        if (r < 0 || left == 0)
            return 0;
        pump(vt, left < 10 ? left : 10);
    }
}

static int decode_status(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return -1;
}

/* Reaps the child if it has exited. 1 when reaped (now or before). */
static int try_reap(struct gj_vt *vt)
{
    if (vt->exited)
        return 1;
    if (vt->pid <= 0)
        return 0;
    int status;
    pid_t r;
    do
        r = waitpid(vt->pid, &status, WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == vt->pid) {
        vt->exited = 1;
        vt->status = decode_status(status);
        return 1;
    }
    if (r < 0) { /* not our child any more: treat as gone */
        vt->exited = 1;
        vt->status = -1;
        return 1;
    }
    return 0;
}

int gj_vt_wait_exit(struct gj_vt *vt, int timeout_ms)
{
    if (!vt)
        return -2;
    long long deadline = now_ms() + scaled_ms(timeout_ms);
    for (;;) {
        drain(vt);
        if (try_reap(vt)) {
            drain(vt);
            return vt->status;
        }
        int left = remaining(deadline);
        if (left == 0)
            return -2;
        /* waitpid cannot be polled: look again every few milliseconds. */
        pump(vt, left < 5 ? left : 5);
    }
}

int gj_vt_rows(const struct gj_vt *vt)
{
    return vt ? vt->rows : 0;
}

int gj_vt_cols(const struct gj_vt *vt)
{
    return vt ? vt->cols : 0;
}

int gj_vt_row(struct gj_vt *vt, int row, char *out, size_t outsz)
{
    int len = build_row(vt, row);
    if (len < 0)
        return -1;
    while (len > 0 && vt->row[len - 1] == ' ')
        len--;
    vt->row[len] = '\0';
    if (out && outsz > 0) {
        size_t n = (size_t)len;
        if (n >= outsz) {
            n = outsz - 1;
            /* Do not cut a UTF-8 sequence in half. */
            while (n > 0 && ((unsigned char)vt->row[n] & 0xC0) == 0x80)
                n--;
        }
        memcpy(out, vt->row, n);
        out[n] = '\0';
    }
    return len;
}

int gj_vt_cell_width(struct gj_vt *vt, int row, int col)
{
    if (!vt || row < 0 || row >= vt->rows || col < 0 || col >= vt->cols)
        return -1;
    VTermScreenCell cell;
    VTermPos pos = {.row = row, .col = col};
    memset(&cell, 0, sizeof cell);
    if (!vterm_screen_get_cell(vt->screen, pos, &cell))
        return -1;
    if (is_continuation(&cell))
        return 0;
    /* get_cell reports width 2 when the next cell is a continuation. */
    return cell.width == 2 ? 2 : 1;
}

int gj_vt_cell_attrs(struct gj_vt *vt, int row, int col)
{
    if (!vt || row < 0 || row >= vt->rows || col < 0 || col >= vt->cols)
        return -1;
    VTermScreenCell cell;
    VTermPos pos = {.row = row, .col = col};
    memset(&cell, 0, sizeof cell);
    if (!vterm_screen_get_cell(vt->screen, pos, &cell))
        return -1;
    int a = 0;
    if (cell.attrs.bold)
        a |= GJ_VT_BOLD;
    if (cell.attrs.underline)
        a |= GJ_VT_UNDERLINE;
    if (cell.attrs.reverse)
        a |= GJ_VT_REVERSE;
    if (cell.attrs.italic)
        a |= GJ_VT_ITALIC;
    if (cell.attrs.blink)
        a |= GJ_VT_BLINK;
    return a;
}

int gj_vt_find(struct gj_vt *vt, const char *text, int *row, int *col)
{
    if (!vt || !text || !*text)
        return 0;
    for (int r = 0; r < vt->rows; r++) {
        if (build_row(vt, r) < 0)
            return 0;
        const char *hit = strstr(vt->row, text);
        if (hit) {
            if (row)
                *row = r;
            if (col)
                *col = vt->rowcol[hit - vt->row];
            return 1;
        }
    }
    return 0;
}

int gj_vt_cursor(struct gj_vt *vt, int *row, int *col)
{
    if (!vt)
        return 0;
    VTermPos pos;
    vterm_state_get_cursorpos(vt->state, &pos);
    if (row)
        *row = pos.row;
    if (col)
        *col = pos.col;
    return vt->cursor_visible;
}

void gj_vt_dump(struct gj_vt *vt, FILE *f)
{
    if (!vt || !f)
        return;
    drain(vt);
    int crow = 0, ccol = 0;
    int vis = gj_vt_cursor(vt, &crow, &ccol);
    fprintf(f, "screen %dx%d, cursor at row %d col %d (%s)%s\n", vt->rows, vt->cols, crow, ccol,
            vis ? "visible" : "hidden", vt->eof ? ", program has closed the terminal" : "");
    fprintf(f, "   +");
    for (int c = 0; c < vt->cols; c++)
        fputc('-', f);
    fprintf(f, "+\n");
    for (int r = 0; r < vt->rows; r++) {
        /* Untrimmed: every cell is there, so the frame lines up. */
        if (build_row(vt, r) < 0)
            break;
        fprintf(f, "%2d |%s|\n", r, vt->row);
    }
    fprintf(f, "   +");
    for (int c = 0; c < vt->cols; c++)
        fputc('-', f);
    fprintf(f, "+\n");
    fflush(f);
}

int gj_vt_resize(struct gj_vt *vt, int rows, int cols)
{
    if (!vt || rows < 1 || cols < 1 || rows > 0xffff || cols > 0xffff)
        return -1;
    drain(vt);
    vt->rows = rows;
    vt->cols = cols;
    if (ensure_rowbuf(vt) != 0)
        return -1;
    vterm_set_size(vt->term, rows, cols);
    if (vt->fd < 0)
        return -1;
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = (unsigned short)rows;
    ws.ws_col = (unsigned short)cols;
    return ioctl(vt->fd, TIOCSWINSZ, &ws) == 0 ? 0 : -1;
}

pid_t gj_vt_pid(const struct gj_vt *vt)
{
    return vt ? vt->pid : -1;
}

int gj_vt_close(struct gj_vt *vt, int timeout_ms)
{
    if (!vt)
        return -1;
    unstall(vt, 1);
    if (vt->fd >= 0) {
        drain(vt);
        try_reap(vt);
        close(vt->fd); /* hangs up the terminal: SIGHUP to the program */
        vt->fd = -1;
    }
    if (vt->pid > 0 && !vt->exited) {
        long long deadline = now_ms() + scaled_ms(timeout_ms);
        while (!try_reap(vt)) {
            int left = remaining(deadline);
            if (left == 0)
                break;
            sleep_ms(left < 5 ? left : 5);
        }
        if (!vt->exited) {
            kill(-vt->pid, SIGKILL);
            kill(vt->pid, SIGKILL);
            int status;
            pid_t r;
            do
                r = waitpid(vt->pid, &status, 0);
            while (r < 0 && errno == EINTR);
            vt->exited = 1;
            vt->status = -1;
        }
    }
    for (struct gj_vt **p = &live; *p; p = &(*p)->next_live) {
        if (*p == vt) {
            *p = vt->next_live;
            break;
        }
    }
    int status = vt->pid > 0 ? vt->status : -1;
    if (vt->term)
        vterm_free(vt->term);
    free(vt->obuf);
    free(vt->row);
    free(vt->rowcol);
    free(vt);
    return status;
}

int gj_vt_teardown(void **state)
{
    (void)state;
    while (live)
        gj_vt_close(live, 200);
    return 0;
}
