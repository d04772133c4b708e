#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sla.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *gj_test_tmpdir(void)
{
    static char dirs[8][256];
    static int next;
    char *d = dirs[next++ % 8];
    const char *base = getenv("TMPDIR");
    snprintf(d, 256, "%s/guanjia-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(d))
        fail_msg("mkdtemp: %s", strerror(errno));
    return d;
}

void gj_test_rmtree(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        execlp("rm", "rm", "-rf", path, (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

const char *gj_test_path(const char *dir, const char *name)
{
    static char bufs[8][512];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, 512, "%s/%s", dir, name);
    return b;
}

static char *drain(int fd, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int gj_test_run(const char *const *argv, const char *const *env, const char *stdin_text, char **out,
                char **errout)
{
    const char *bin = getenv("GUANJIA_BIN");
    assert_non_null(bin);
    int in_p[2], out_p[2], err_p[2];
    assert_int_equal(pipe(in_p), 0);
    assert_int_equal(pipe(out_p), 0);
    assert_int_equal(pipe(err_p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(in_p[0], 0);
        dup2(out_p[1], 1);
        dup2(err_p[1], 2);
        close(in_p[0]);
        close(in_p[1]);
        close(out_p[0]);
        close(out_p[1]);
        close(err_p[0]);
        close(err_p[1]);
        for (const char *const *e = env; e && *e; e++)
            putenv((char *)*e);
        size_t argc = 0;
        while (argv[argc])
            argc++;
        char **args = calloc(argc + 2, sizeof *args);
        args[0] = (char *)bin;
        for (size_t i = 0; i < argc; i++)
            args[i + 1] = (char *)argv[i];
        execv(bin, args);
        _exit(127);
    }
    close(in_p[0]);
    close(out_p[1]);
    close(err_p[1]);
    /* The program may exit before it reads its input (a refused path, say):
       the write then fails with EPIPE instead of killing the test. */
    signal(SIGPIPE, SIG_IGN);
    if (stdin_text) {
        size_t left = strlen(stdin_text);
        const char *p = stdin_text;
        while (left > 0) {
            ssize_t w = write(in_p[1], p, left);
            if (w <= 0)
                break;
            p += w;
            left -= (size_t)w;
        }
    }
    close(in_p[1]);
    /* Read both pipes without deadlocking on a full one. */
    size_t cap_o = 4096, n_o = 0, cap_e = 4096, n_e = 0;
    char *o = malloc(cap_o), *e = malloc(cap_e);
    struct pollfd fds[2] = {{out_p[0], POLLIN, 0}, {err_p[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char **buf = i == 0 ? &o : &e;
            size_t *n = i == 0 ? &n_o : &n_e, *cap = i == 0 ? &cap_o : &cap_e;
            if (*n + 4096 >= *cap) {
                *cap *= 2;
                *buf = realloc(*buf, *cap);
            }
            ssize_t r = read(fds[i].fd, *buf + *n, *cap - *n - 1);
            if (r <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            } else {
                *n += (size_t)r;
            }
        }
    }
    o[n_o] = '\0';
    e[n_e] = '\0';
    int status = 0;
    waitpid(pid, &status, 0);
    if (out)
        *out = o;
    else
        free(o);
    if (errout)
        *errout = e;
    else
        free(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char *const gj_test_fixed_now[] = {"GUANJIA_NOW=2026-11-29T09:00", NULL};

char *gj_test_out, *gj_test_err;

int gj_test_cmd(const char *const *env, const char *stdin_text, const char *a0, ...)
{
    const char *argv[32];
    int n = 0;
    va_list ap;
    va_start(ap, a0);
    for (const char *a = a0; a; a = va_arg(ap, const char *)) {
        if (n == 31)
            fail_msg("gj_test_cmd: more than 31 arguments");
        argv[n++] = a;
    }
    va_end(ap);
    argv[n] = NULL;
    free(gj_test_out);
    free(gj_test_err);
    gj_test_out = gj_test_err = NULL;
    return gj_test_run(argv, env, stdin_text, &gj_test_out, &gj_test_err);
}

int gj_test_cmd_teardown(void **state)
{
    (void)state;
    free(gj_test_out);
    free(gj_test_err);
    gj_test_out = gj_test_err = NULL;
    return 0;
}

const char *gj_test_db_open(const char *name, char *dir, size_t dirsz, struct gj_db **db,
                            sqlite3 **raw)
{
    struct gj_error err;
    snprintf(dir, dirsz, "%s", gj_test_tmpdir());
    const char *path = gj_test_path(dir, name);
    if (gj_db_open(path, GJ_DB_CREATE, db, &err) != GJ_OK)
        fail_msg("open %s: %s", path, err.msg);
    assert_int_equal(sqlite3_open_v2(path, raw, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(*raw, 5000);
    return path;
}

void gj_test_db_close(const char *dir, struct gj_db *db, sqlite3 *raw)
{
    sqlite3_close(raw);
    gj_db_close(db);
    if (dir[0])
        gj_test_rmtree(dir);
}

int64_t gj_test_exec(sqlite3 *raw, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(raw, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("seeding: %s (%s)", msg ? msg : "?", sql);
    return sqlite3_last_insert_rowid(raw);
}

int64_t gj_test_scalar(sqlite3 *raw, const char *sql, int64_t id)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(raw, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(raw));
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW)
        fail_msg("%s: no row (%s)", sql, sqlite3_errmsg(raw));
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int64_t gj_test_scalar_file(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int64_t v = gj_test_scalar(h, sql, 0);
    sqlite3_close(h);
    return v;
}

int64_t gj_test_add_user(sqlite3 *raw, const char *login, const char *name, const char *role)
{
    sqlite3_stmt *st = NULL;
    const char *sql = "INSERT INTO users(login, name, role, password_hash, created_at, updated_at) "
                      "VALUES (?, ?, ?, '$argon2id$v=19$not-a-real-hash', 1, 1)";
    if (sqlite3_prepare_v2(raw, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s", sqlite3_errmsg(raw));
    sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        fail_msg("adding %s: %s", login, sqlite3_errmsg(raw));
    sqlite3_finalize(st);
    return sqlite3_last_insert_rowid(raw);
}

void gj_test_must(int rc, const struct gj_error *err)
{
    if (rc != GJ_OK)
        fail_msg("unexpected failure %d: %s", rc, err->msg);
}

int64_t gj_test_at(const char *when)
{
    int64_t t = 0;
    struct gj_error err;
    if (gj_parse_datetime(when, &t, &err) != GJ_OK)
        fail_msg("bad time %s: %s", when, err.msg);
    return t;
}

void gj_test_set_now(const char *when)
{
    assert_int_equal(setenv("GUANJIA_NOW", when, 1), 0);
}

int64_t gj_test_add_unit(struct gj_db *db, int64_t actor, struct gj_unit *u)
{
    struct gj_error err;
    if (!u->status[0])
        snprintf(u->status, sizeof u->status, "%s", "occupied");
    if (gj_unit_create(db, actor, u, &err) != GJ_OK)
        fail_msg("unit %d-%d-%d: %s", u->building, u->entrance, u->room, err.msg);
    return u->id;
}

int64_t gj_test_add_fee_item(struct gj_db *db, int64_t actor, const char *name, const char *kind,
                             int64_t rate_fen, int from, int to)
{
    struct gj_error err;
    struct gj_fee_item it;
    memset(&it, 0, sizeof it);
    snprintf(it.name, sizeof it.name, "%s", name);
    snprintf(it.kind, sizeof it.kind, "%s", kind);
    it.rate_fen = rate_fen;
    it.active_from = from;
    it.active_to = to;
    if (gj_fee_item_create(db, actor, &it, &err) != GJ_OK)
        fail_msg("fee item %s: %s", name, err.msg);
    return it.id;
}

int64_t gj_test_add_person(struct gj_db *db, int64_t actor, const char *name, const char *phone)
{
    struct gj_error err;
    struct gj_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    snprintf(p.phone, sizeof p.phone, "%s", phone ? phone : "");
    if (gj_person_create(db, actor, &p, &err) != GJ_OK)
        fail_msg("person %s: %s", name, err.msg);
    return p.id;
}

int gj_test_demo_db(const char **dir, char *path, size_t pathsz)
{
    *dir = gj_test_tmpdir();
    snprintf(path, pathsz, "%s/demo.db", *dir);
    const char *argv[] = {"--db", path, "demo", NULL};
    return gj_test_run(argv, gj_test_fixed_now, NULL, NULL, NULL) == 0 ? 0 : -1;
}

char *gj_test_slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    char *buf = drain(fd, len);
    close(fd);
    return buf;
}

void gj_test_write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("%s: %s", path, strerror(errno));
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

void gj_test_write_text(const char *path, const char *text)
{
    gj_test_write_file(path, text, strlen(text));
}

int gj_test_count_files(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            print_message("found %s\n", e->d_name);
            n++;
        }
    }
    closedir(d);
    return n;
}

int gj_test_contains_bytes(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

int gj_test_one_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    return nl && nl[1] == '\0';
}

int gj_test_same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = gj_test_slurp(a, &la), *y = gj_test_slurp(b, &lb);
    int same = x && y && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

int gj_test_copy_file(const char *from, const char *to)
{
    size_t len;
    char *buf = gj_test_slurp(from, &len);
    if (!buf)
        return -1;
    FILE *f = fopen(to, "wb");
    int rc = f && fwrite(buf, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(buf);
    return rc;
}

long gj_test_breaches_all_recorded(struct gj_db *db, int64_t now, long *open)
{
    struct gj_error err;
    struct gj_work_order rows[64];
    int64_t after_due = INT64_MIN, after_id = 0;
    long breached = 0, seen = 0;
    for (;;) {
        int n = 0;
        gj_test_must(gj_wo_list_open(db, after_due, after_id, 64, rows, &n, &err), &err);
        for (int i = 0; i < n; i++, seen++) {
            int respond = 0, resolve = 0;
            gj_test_must(gj_wo_breaches_recorded(db, rows[i].id, &respond, &resolve, &err), &err);
            if (gj_wo_respond_breached(&rows[i], now))
                assert_true(respond), breached++;
            if (gj_wo_resolve_breached(&rows[i], now))
                assert_true(resolve), breached++;
        }
        if (n < 64)
            break;
        after_due = gj_wo_queue_due(&rows[n - 1]);
        after_id = rows[n - 1].id;
    }
    if (open)
        *open = seen;
    return breached;
}

int gj_test_demo_open(const char **dir, char *path, size_t pathsz, struct gj_db **db)
{
    gj_test_set_now("2026-11-29T09:00");
    if (gj_test_demo_db(dir, path, pathsz) != 0)
        return -1;
    struct gj_error err;
    return gj_db_open(path, 0, db, &err) == GJ_OK ? 0 : -1;
}

int gj_test_demo_close(const char *dir, struct gj_db *db)
{
    gj_db_close(db);
    gj_test_rmtree(dir);
    return 0;
}
