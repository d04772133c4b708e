/* guanjia-stress, briefly: eight terminals for three seconds and fifteen
 * kills of a writer pass their verification; and the verification is not
 * vacuous: a lost update, a receipt missing from the database and a
 * receipt file missing are each caught (the driver's test-only --tamper). */
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

/* guanjia-stress is built beside guanjia. */
static const char *stress_path(void)
{
    static char path[4096];
    const char *bin = getenv("GUANJIA_BIN");
    assert_non_null(bin);
    snprintf(path, sizeof path, "%s", bin);
    char *slash = strrchr(path, '/');
    assert_non_null(slash);
    snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "%s", "guanjia-stress");
    return path;
}

/* Runs guanjia-stress with args (NULL-terminated) and its scratch files in
 * a new temp folder (removed afterwards); returns the exit status, *out
 * gets standard output and error together (malloc'd). */
static int run_stress(const char *const *args, char **out)
{
    const char *dir = gj_test_tmpdir();
    const char *argv[16];
    size_t n = 0;
    argv[n++] = stress_path();
    for (size_t i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("TMPDIR", dir, 1);
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
        ssize_t got = read(fds[0], buf + len, cap - len - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    buf[len] = '\0';
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    gj_test_rmtree(dir);
    *out = buf;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The number after label in out; fails when it is not there. */
static long figure(const char *out, const char *label)
{
    const char *p = strstr(out, label);
    if (!p)
        fail_msg("\"%s\" not in the output:\n%s", label, out);
    return strtol(p + strlen(label), NULL, 10);
}

static void expect(const char *out, const char *text)
{
    if (!strstr(out, text))
        fail_msg("\"%s\" not in the output:\n%s", text, out);
}

static void test_eight_terminals_lose_nothing(void **state)
{
    (void)state;
    const char *args[] = {"terminals", "--procs", "8", "--seconds", "3", NULL};
    char *out = NULL;
    int rc = run_stress(args, &out);
    if (rc != 0)
        fail_msg("exit %d:\n%s", rc, out);
    expect(out, "verified: no lost update");
    expect(out, "0 busy errors; 0 other errors");
    /* The owner was really fought over: saves went through and others
     * were refused, each with its message. */
    long saves = figure(out, "owner record: ");
    long refused = figure(out, "saves succeeded, ");
    assert_true(saves > 0);
    assert_true(refused > 0);
    /* Every kind of action ran. */
    static const char *const kinds[] = {"intake",    "dispatch", "progress", "payment",
                                        "complaint", "handle",   "escalate", "owner-edit"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char label[32];
        snprintf(label, sizeof label, "\n%s ", kinds[i]);
        assert_true(figure(out, label) > 0);
    }
    assert_true(figure(out, "per second; ") > 0); /* conflicts */
    free(out);
}

static void test_a_lost_update_is_caught(void **state)
{
    (void)state;
    /* One refused save is counted as saved, as if the terminal had been
     * told "saved" and the change was then lost. */
    const char *args[] = {"terminals", "--procs",  "8",           "--seconds",
                          "2",         "--tamper", "lost-update", NULL};
    char *out = NULL;
    assert_int_equal(run_stress(args, &out), 1);
    expect(out, "lost update:");
    expect(out, "FAILED");
    free(out);
}

static void test_a_missing_receipt_is_caught_after_terminals(void **state)
{
    (void)state;
    const char *args[] = {"terminals", "--procs",         "4", "--seconds", "1",
                          "--tamper",  "missing-receipt", NULL};
    char *out = NULL;
    assert_int_equal(run_stress(args, &out), 1);
    expect(out, "was printed but its payment is missing");
    free(out);
}

static void test_fifteen_kills_lose_no_receipt(void **state)
{
    (void)state;
    const char *args[] = {"crash", "--kills", "15", NULL};
    char *out = NULL;
    int rc = run_stress(args, &out);
    if (rc != 0)
        fail_msg("exit %d:\n%s", rc, out);
    assert_int_equal(figure(out, "\nkills: "), 15);
    assert_int_equal(figure(out, "failures: "), 0);
    /* the writer got work done between the kills, and it was all checked */
    assert_true(figure(out, "receipts verified after every kill: ") > 0);
    assert_true(figure(out, "writes committed and acknowledged: ") > 0);
    free(out);
}

static void test_a_lost_payment_is_caught_after_a_kill(void **state)
{
    (void)state;
    const char *args[] = {"crash", "--kills", "5", "--tamper", "missing-receipt", NULL};
    char *out = NULL;
    assert_int_equal(run_stress(args, &out), 1);
    expect(out, "was printed but its payment is missing");
    expect(out, "printed receipts not found whole");
    free(out);
}

static void test_a_lost_receipt_file_is_caught_after_a_kill(void **state)
{
    (void)state;
    const char *args[] = {"crash", "--kills", "5", "--tamper", "lost-receipt-file", NULL};
    char *out = NULL;
    assert_int_equal(run_stress(args, &out), 1);
    expect(out, "is missing or empty");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eight_terminals_lose_nothing),
        cmocka_unit_test(test_a_lost_update_is_caught),
        cmocka_unit_test(test_a_missing_receipt_is_caught_after_terminals),
        cmocka_unit_test(test_fifteen_kills_lose_no_receipt),
        cmocka_unit_test(test_a_lost_payment_is_caught_after_a_kill),
        cmocka_unit_test(test_a_lost_receipt_file_is_caught_after_a_kill),
    };
    return cmocka_run_group_tests(tests, NULL, gj_test_cmd_teardown);
}
