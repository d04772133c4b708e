/* The command line as a user or a cron job meets it: exit codes, one-line
 * messages, and files left as they were on failure. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* run(stdin_text, env, arguments..., NULL) */
#define run(stdin_text, env, ...) gj_test_cmd(env, stdin_text, __VA_ARGS__)

static void test_help_version_usage(void **state)
{
    (void)state;
    assert_int_equal(run(NULL, NULL, "--help", NULL), 0);
    const char *cmds[] = {"init", "demo", "check", "backup", "--db", "--lang"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        assert_non_null(strstr(gj_test_out, cmds[i]));
    assert_int_equal(run(NULL, NULL, "--version", NULL), 0);
    assert_true(strncmp(gj_test_out, "guanjia ", 8) == 0);

    assert_int_equal(run(NULL, NULL, "--db", "/tmp/x.db", "frobnicate", NULL), 2);
    assert_string_equal(gj_test_err, "guanjia: frobnicate: unknown command (see guanjia --help)\n");
    assert_int_equal(run(NULL, NULL, "--bogus", NULL), 2);
    assert_true(gj_test_one_line(gj_test_err));
    assert_int_equal(run(NULL, NULL, "--db", NULL), 2);
    assert_int_equal(run(NULL, NULL, "--lang", "fr", "--help", NULL), 2);
    assert_non_null(strstr(gj_test_err, "zh_CN"));
    assert_int_equal(run(NULL, NULL, "--db", "/tmp/x.db", "demo", "--scale", "huge", NULL), 2);
    assert_non_null(strstr(gj_test_err, "small or large"));
    const char *bad_now[] = {"GUANJIA_NOW=2026-02-30T09:00", NULL};
    assert_int_equal(run(NULL, bad_now, "--db", "/tmp/x.db", "check", NULL), 1);
    assert_true(strncmp(gj_test_err, "guanjia: GUANJIA_NOW: ", 22) == 0);
}

static void test_init_creates_manager(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = gj_test_path(dir, "sub/estate.db");
    /* A password that breaks the policy creates nothing at all. */
    assert_int_equal(run("abc\n", gj_test_fixed_now, "--db", db, "init", "--password-stdin", NULL),
                     1);
    assert_true(strncmp(gj_test_err, "guanjia: init: ", 15) == 0);
    assert_true(gj_test_one_line(gj_test_err));
    struct stat st;
    assert_int_not_equal(stat(db, &st), 0);
    /* Without a terminal and without --password-stdin: a clear refusal. */
    assert_int_equal(run("", gj_test_fixed_now, "--db", db, "init", NULL), 1);
    assert_non_null(strstr(gj_test_err, "--password-stdin"));
    assert_int_not_equal(stat(db, &st), 0);

    assert_int_equal(run("good-password\n", gj_test_fixed_now, "--db", db, "init", "--admin",
                         "boss", "--name", "王经理", "--password-stdin", NULL),
                     0);
    assert_non_null(strstr(gj_test_out, "boss"));
    assert_int_equal(stat(db, &st), 0);
    /* The password is stored hashed, never as typed. */
    size_t len;
    char *raw = gj_test_slurp(db, &len);
    assert_non_null(raw);
    assert_false(gj_test_contains_bytes(raw, len, "good-password"));
    free(raw);
    /* Again: nothing to add, still success. */
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "init", NULL), 0);
    assert_non_null(strstr(gj_test_out, "no user was added"));
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "check", NULL), 0);
    gj_test_rmtree(dir);
}

static void test_demo_then_check(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = gj_test_path(dir, "demo.db");
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "demo", NULL), 0);
    assert_non_null(strstr(gj_test_out, "600 units"));
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "check", NULL), 0);
    assert_non_null(strstr(gj_test_out, "All checks passed."));
    assert_null(strstr(gj_test_out, "FAIL"));
    /* The fixed residents are there. */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT count(*) FROM persons p JOIN unit_persons l ON "
                                        "l.person_id = p.id JOIN units u ON u.id = l.unit_id "
                                        "WHERE p.name = '张三' AND p.phone = '13800138000' AND "
                                        "l.relation = 'owner' AND u.building = 3 AND "
                                        "u.entrance = 2 AND u.room = 501",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    /* Work orders and complaints in every state. */
    const char *q = "SELECT count(DISTINCT state) FROM work_orders";
    assert_int_equal(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 7);
    sqlite3_finalize(st);
    q = "SELECT count(DISTINCT state) FROM complaints";
    assert_int_equal(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 4);
    sqlite3_finalize(st);
    sqlite3_close(h);

    /* A second demo into the same file is refused and changes nothing. */
    const char *copy = gj_test_path(dir, "copy.db");
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "backup", copy, NULL), 0);
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "demo", NULL), 1);
    assert_non_null(strstr(gj_test_err, "already holds an estate"));
    assert_true(gj_test_one_line(gj_test_err));
    /* The backup is a full, valid copy. */
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", copy, "check", NULL), 0);
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", copy, "summary", NULL), 0);
    assert_non_null(strstr(gj_test_out, "600"));
    /* Backing up onto an existing file is refused. */
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "backup", copy, NULL), 1);
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "backup", NULL), 2);
    gj_test_rmtree(dir);
}

/* The number in "new breaches recorded: N." */
static long breaches_recorded_said(void)
{
    const char *p = strstr(gj_test_out, "new breaches recorded: ");
    assert_non_null(p);
    return strtol(p + strlen("new breaches recorded: "), NULL, 10);
}

/* escalate records each passed deadline once, however often it runs. */
static void test_escalate_is_idempotent(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = gj_test_path(dir, "esc.db");
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "demo", NULL), 0);
    /* At the demo's own time everything due is already recorded. */
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "escalate", NULL), 0);
    assert_non_null(strstr(gj_test_out, "new breaches recorded: 0."));
    assert_non_null(strstr(gj_test_out, "new escalations recorded: 0."));
    /* A week later, open orders and complaints have passed their
     * deadlines: recorded once. */
    const char *later[] = {"GUANJIA_NOW=2026-12-06T09:00", NULL};
    const char *breach_events = "SELECT count(*) FROM work_order_events WHERE kind IN "
                                "('respond_breached', 'resolve_breached')";
    int64_t before = gj_test_scalar_file(db, breach_events);
    assert_int_equal(run(NULL, later, "--db", db, "escalate", NULL), 0);
    assert_null(strstr(gj_test_out, "new escalations recorded: 0."));
    /* What it says it recorded is what it wrote, and nothing is left. */
    long said = breaches_recorded_said();
    assert_true(said > 0);
    assert_int_equal(gj_test_scalar_file(db, breach_events) - before, said);
    struct gj_db *h = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(db, 0, &h, &err), &err);
    long open = 0;
    assert_true(gj_test_breaches_all_recorded(h, gj_test_at("2026-12-06T09:00"), &open) > 0);
    gj_db_close(h);
    char checked[64];
    snprintf(checked, sizeof checked, "Open work orders checked: %ld;", open);
    assert_non_null(strstr(gj_test_out, checked));
    assert_int_equal(run(NULL, later, "--db", db, "escalate", NULL), 0);
    assert_non_null(strstr(gj_test_out, "new breaches recorded: 0."));
    assert_non_null(strstr(gj_test_out, "new escalations recorded: 0."));
    assert_int_equal(run(NULL, later, "--db", db, "check", NULL), 0);
    gj_test_rmtree(dir);
}

static void test_export_workorders(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[600], csv[600];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "wo.db"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "wo.csv"));
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "demo", NULL), 0);
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "export", "workorders", csv, NULL),
                     0);
    assert_non_null(strstr(gj_test_out, "work orders written: 400"));
    size_t len = 0;
    char *body = gj_test_slurp(csv, &len);
    assert_non_null(body);
    int lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += body[i] == '\n';
    assert_int_equal(lines, 401); /* header + 400 orders */
    assert_non_null(strstr(body, "id,unit,channel,category,priority,state"));
    free(body);
    /* The header follows the language. */
    assert_int_equal(run(NULL, gj_test_fixed_now, "--lang", "zh_CN", "--db", db, "export",
                         "workorders", csv, NULL),
                     0);
    body = gj_test_slurp(csv, &len);
    assert_non_null(strstr(body, "工单号,房号"));
    free(body);
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "export", "receipts", csv, NULL), 2);
    gj_test_rmtree(dir);
}

static void test_replies_command(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[600];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "r.db"));
    assert_int_equal(
        run("good-password\n", gj_test_fixed_now, "--db", db, "init", "--password-stdin", NULL), 0);
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "replies", NULL), 0);
    assert_non_null(strstr(gj_test_out, "已联系业主，约定上门时间"));
    assert_int_equal(
        run(NULL, gj_test_fixed_now, "--db", db, "replies", "add", "已安排保洁员清理", NULL), 0);
    assert_int_equal(
        run(NULL, gj_test_fixed_now, "--db", db, "replies", "add", "已安排保洁员清理", NULL), 1);
    assert_non_null(strstr(gj_test_err, "already in the list"));
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "replies", "disable", "1", NULL), 0);
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "replies", "list", NULL), 0);
    assert_non_null(strstr(gj_test_out, "off  已联系业主"));
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "replies", "disable", "x1", NULL), 1);
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "replies", "shout", NULL), 2);
    gj_test_rmtree(dir);
}

static void test_demo_is_deterministic(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char a[600], b[600];
    snprintf(a, sizeof a, "%s", gj_test_path(dir, "a.db"));
    snprintf(b, sizeof b, "%s", gj_test_path(dir, "b.db"));
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", a, "demo", NULL), 0);
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", b, "demo", NULL), 0);
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", a, "summary", NULL), 0);
    char *first = strdup(strchr(gj_test_out, '\n'));
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", b, "summary", NULL), 0);
    assert_string_equal(first, strchr(gj_test_out, '\n'));
    free(first);
    gj_test_rmtree(dir);
}

/* Each refusal: one line, non-zero exit, file unchanged. */
static void test_refusals_leave_files_unchanged(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[600], copy[600];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "x.db"));
    snprintf(copy, sizeof copy, "%s", gj_test_path(dir, "x-copy.db"));
    assert_int_equal(
        run("good-password\n", gj_test_fixed_now, "--db", db, "init", "--password-stdin", NULL), 0);

    /* An unusable path: a folder under a plain file, and a folder as the file. */
    char bad[700];
    snprintf(bad, sizeof bad, "%s/plain/estate.db", db);
    const char *cmds[] = {"init", "demo", "check"};
    for (size_t i = 0; i < 3; i++) {
        int rc = strcmp(cmds[i], "init") == 0
                     ? run("good-password\n", gj_test_fixed_now, "--db", bad, cmds[i],
                           "--password-stdin", NULL)
                     : run(NULL, gj_test_fixed_now, "--db", bad, cmds[i], NULL);
        assert_int_equal(rc, 1);
        assert_true(gj_test_one_line(gj_test_err));
        assert_true(strncmp(gj_test_err, "guanjia: ", 9) == 0);
    }
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", dir, "demo", NULL), 1);
    assert_non_null(strstr(gj_test_err, "folder"));
    assert_true(gj_test_one_line(gj_test_err));

    /* A read-only database. */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(gj_test_copy_file(db, copy), 0);
    assert_int_equal(chmod(db, 0444), 0);
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "demo", NULL), 1);
    assert_non_null(strstr(gj_test_err, "read-only"));
    assert_true(gj_test_one_line(gj_test_err));
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, "init", NULL), 1);
    assert_true(gj_test_same_file(db, copy));
    assert_int_equal(chmod(db, 0644), 0);

    /* A database from a newer version. */
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(gj_test_copy_file(db, copy), 0);
    const char *all[] = {"demo", "check", "summary", "init"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(run(NULL, gj_test_fixed_now, "--db", db, all[i], NULL), 1);
        assert_non_null(strstr(gj_test_err, "newer than this program"));
        assert_true(gj_test_one_line(gj_test_err));
        assert_true(gj_test_same_file(db, copy));
    }
    /* A missing database for check: told how to make one, nothing created. */
    const char *missing = gj_test_path(dir, "missing.db");
    assert_int_equal(run(NULL, gj_test_fixed_now, "--db", missing, "check", NULL), 1);
    assert_non_null(strstr(gj_test_err, "guanjia init"));
    struct stat st;
    assert_int_not_equal(stat(missing, &st), 0);
    gj_test_rmtree(dir);
}

static void test_chinese_messages(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *missing = gj_test_path(dir, "missing.db");
    /* No zh_CN locale is needed: the C.UTF-8 environment of the tests. */
    assert_int_equal(
        run(NULL, gj_test_fixed_now, "--lang", "zh_CN", "--db", missing, "check", NULL), 1);
    assert_true(strncmp(gj_test_err, "guanjia: check: ", 16) == 0);
    assert_non_null(strstr(gj_test_err, "数据库"));
    assert_int_equal(run(NULL, gj_test_fixed_now, "--lang", "zh_CN", "--help", NULL), 0);
    assert_non_null(strstr(gj_test_out, "用法"));
    /* --lang works after --db too. */
    assert_int_equal(
        run(NULL, gj_test_fixed_now, "--db", missing, "--lang", "zh_CN", "check", NULL), 1);
    assert_non_null(strstr(gj_test_err, "数据库"));
    /* And English stays English. */
    assert_int_equal(run(NULL, gj_test_fixed_now, "--lang", "en", "--db", missing, "check", NULL),
                     1);
    assert_non_null(strstr(gj_test_err, "no such file"));
    gj_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_version_usage),
        cmocka_unit_test(test_init_creates_manager),
        cmocka_unit_test(test_demo_then_check),
        cmocka_unit_test(test_demo_is_deterministic),
        cmocka_unit_test(test_escalate_is_idempotent),
        cmocka_unit_test(test_export_workorders),
        cmocka_unit_test(test_replies_command),
        cmocka_unit_test(test_refusals_leave_files_unchanged),
        cmocka_unit_test(test_chinese_messages),
    };
    return cmocka_run_group_tests(tests, NULL, gj_test_cmd_teardown);
}
