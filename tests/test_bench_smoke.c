/* guanjia-bench runs to the end on the small demo estate with a few runs of
 * each figure, and prints every section. A smoke test only: the figures
 * themselves are not judged (the benchmark is not a pass/fail test). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* guanjia-bench is built beside guanjia. */
static const char *bench_path(void)
{
    static char path[4096];
    const char *bin = getenv("GUANJIA_BIN");
    assert_non_null(bin);
    snprintf(path, sizeof path, "%s", bin);
    char *slash = strrchr(path, '/');
    assert_non_null(slash);
    snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "%s", "guanjia-bench");
    return path;
}

/* Runs argv, returning its exit status; *out gets what it printed
 * (standard output and error, malloc'd). */
static int run(const char *const *argv, char **out)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        if (len + 4096 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        ssize_t n = read(fds[0], buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    *out = buf;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_bench_runs_on_the_small_demo(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[512];
    snprintf(db, sizeof db, "%s/small.db", dir);
    assert_int_equal(gj_test_cmd(NULL, NULL, "--db", db, "demo", NULL), 0);

    const char *argv[] = {bench_path(), "--db", db,      "--runs", "3", "--quick",
                          "--budget",   "5",    "--tmp", dir,      NULL};
    char *out = NULL;
    int rc = run(argv, &out);
    if (rc != 0)
        fprintf(stderr, "%s\n", out);
    assert_int_equal(rc, 0);
    /* A p99 line for each timed section, the once-only figures and the memory. */
    static const char *const sections[] = {"[startup] p99", "[screens] p99", "[views] p99",
                                           "[deep] p99",    "[search] p99",  "[reports] p99"};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        if (!strstr(out, sections[i]))
            fprintf(stderr, "%s\n", out);
        assert_non_null(strstr(out, sections[i]));
    }
    assert_non_null(strstr(out, "[once] billing"));
    assert_non_null(strstr(out, "[memory] console"));
    assert_non_null(strstr(out, "== targets =="));
    /* Everything measured ran: nothing failed on the way. */
    if (strstr(out, "FAILED"))
        fprintf(stderr, "%s\n", out);
    assert_null(strstr(out, "FAILED"));
    /* The commands it times (bill, import owners, check, escalate twice)
     * all succeeded. */
    int ok = 0;
    for (const char *p = out; (p = strstr(p, ", exit 0,")) != NULL; p++)
        ok++;
    assert_int_equal(ok, 5);
    /* For each escalate run, what it recorded was read from its output
     * and the other connection's wait was measured (-1 for either means
     * it was not). */
    static const char *const runs[] = {"guanjia escalate, catching up: ",
                                       "guanjia escalate, again: "};
    for (size_t i = 0; i < 2; i++) {
        const char *line = strstr(out, runs[i]);
        assert_non_null(line);
        const char *rec = strstr(line, " MB, ");
        assert_non_null(rec);
        assert_true(strtol(rec + strlen(" MB, "), NULL, 10) >= 0);
        const char *waited = strstr(line, "waited at most ");
        assert_non_null(waited);
        assert_true(strtod(waited + strlen("waited at most "), NULL) >= 0);
    }
    free(out);
    gj_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bench_runs_on_the_small_demo),
    };
    return cmocka_run_group_tests(tests, NULL, gj_test_cmd_teardown);
}
