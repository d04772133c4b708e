/* No password, password hash or full ID number is written where it does
 * not belong: the audit log's details, what commands print (standard
 * output and standard error, on success and on every refusal). (Receipts
 * and notices cannot hold them: their documents in documents.h have no
 * field for a phone or an ID number.)
 *
 * The persons audit triggers keep ID numbers masked (schema 12), and the
 * rows written before it are masked by the migration. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/repo_users.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW1    "Secret-pass-1"
#define PW2    "Xiaoli-pass-2026"
#define PW3    "Another-pass-2026"
#define ID1    "11010519491231002X"
#define ID_BAD "11010519491231002Y"

/* Fails when needle stands in text (what says where). */
static void assert_absent(const char *text, const char *needle, const char *what)
{
    if (text && strstr(text, needle))
        fail_msg("%s contains \"%s\":\n%s", what, needle, text);
}

static void assert_no_secret(const char *what)
{
    static const char *const secrets[] = {PW1, PW2, PW3, ID1, ID_BAD, "$argon2", NULL};
    for (int i = 0; secrets[i]; i++) {
        assert_absent(gj_test_out, secrets[i], what);
        assert_absent(gj_test_err, secrets[i], what);
    }
}

/* Every audit row's values as one text (malloc'd). */
static char *audit_text(sqlite3 *raw, const char *where)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(coalesce(old_values, '') || coalesce(new_values, ''), '\n') "
             "FROM audit_log WHERE %s",
             where);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *t = (const char *)sqlite3_column_text(st, 0);
    char *copy = strdup(t ? t : "");
    sqlite3_finalize(st);
    return copy;
}

static void test_commands_never_print_secrets(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = gj_test_path(dir, "estate.db");
    /* A password refused for being weak is not echoed. */
    assert_int_equal(gj_test_cmd(gj_test_fixed_now, "abc\n", "--db", db, "init", "--admin", "boss",
                                 "--password-stdin", NULL),
                     1);
    assert_absent(gj_test_err, "abc\n", "init's refusal");
    assert_int_equal(gj_test_cmd(gj_test_fixed_now, PW1 "\n", "--db", db, "init", "--admin", "boss",
                                 "--name", "Boss", "--password-stdin", NULL),
                     0);
    assert_no_secret("init");

    /* Owners with ID numbers: imported, refused, exported for the
     * administrator (the export is the one place an ID is meant to go). */
    const char *csv = gj_test_path(dir, "owners.csv");
    gj_test_write_text(csv, "unit,name,phone,relation,area,id_number\n"
                            "1-1-101,张三,13800138000,owner,95," ID1 "\n");
    assert_int_equal(
        gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "import", "owners", csv, NULL), 0);
    assert_no_secret("import");
    gj_test_write_text(csv, "unit,name,phone,relation,area,id_number\n"
                            "1-1-102,李四,13900139000,owner,95," ID_BAD "\n");
    assert_int_equal(
        gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "import", "owners", csv, NULL), 1);
    assert_no_secret("import's refusal");
    /* The same ID number for a second person. */
    gj_test_write_text(csv, "unit,name,phone,relation,area,id_number\n"
                            "1-1-103,王五,13700137000,owner,95," ID1 "\n");
    gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "import", "owners", csv, NULL);
    assert_no_secret("import of a duplicate ID number");
    /* The audit log holds the owners, their ID numbers masked. */
    {
        sqlite3 *raw = NULL;
        assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
        char *audit = audit_text(raw, "entity = 'persons'");
        assert_non_null(strstr(audit, "张三"));
        assert_non_null(strstr(audit, "110105********002X"));
        assert_absent(audit, ID1, "the audit log");
        free(audit);
        /* Rows written before schema 12 are masked when it runs. */
        assert_int_equal(sqlite3_exec(raw,
                                      "DROP TRIGGER audit_log_no_update; "
                                      "UPDATE audit_log SET new_values = json_set(new_values, "
                                      "'$.id_number', '" ID1 "') WHERE entity = 'persons'; "
                                      "PRAGMA user_version = 11",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
        audit = audit_text(raw, "entity = 'persons'");
        assert_non_null(strstr(audit, ID1)); /* the old state, made by hand */
        free(audit);
        sqlite3_close(raw);
        /* a command that writes brings the file up to date */
        assert_int_equal(gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "escalate", NULL), 0);
        assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
        audit = audit_text(raw, "entity = 'persons'");
        assert_absent(audit, ID1, "the audit log after schema 12");
        assert_non_null(strstr(audit, "110105********002X"));
        free(audit);
        /* and the log is append-only again */
        assert_int_not_equal(
            sqlite3_exec(raw, "UPDATE audit_log SET action = 'x'", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(raw);
    }
    const char *out = gj_test_path(dir, "export.csv");
    assert_int_equal(
        gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "export", "owners", out, NULL), 0);
    assert_no_secret("export's report");
    for (const char *const *cmd = (const char *const[]){"summary", "check", NULL}; *cmd; cmd++) {
        assert_int_equal(gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, *cmd, NULL), 0);
        assert_no_secret(*cmd);
    }
    assert_int_equal(gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "report", "fees", NULL), 0);
    assert_no_secret("report fees");

    /* The audit log: the password and its hash nowhere. */
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open_v2(db, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char *audit = audit_text(raw, "1");
    assert_absent(audit, PW1, "the audit log");
    assert_absent(audit, "$argon2", "the audit log");
    assert_absent(audit, "password", "the audit log");
    free(audit);
    sqlite3_close(raw);
    gj_test_rmtree(dir);
}

static void test_user_changes_keep_passwords_out_of_the_log(void **state)
{
    (void)state;
    char dir[256];
    struct gj_db *db = NULL;
    sqlite3 *raw = NULL;
    gj_test_db_open("users.db", dir, sizeof dir, &db, &raw);
    int64_t boss = gj_test_add_user(raw, "boss", "Boss", "manager");
    struct gj_user u;
    memset(&u, 0, sizeof u);
    u.active = 1;
    strcpy(u.login, "xiaoli");
    strcpy(u.name, "小李");
    strcpy(u.role, "trainee");
    strcpy(u.rank, "trainee");
    struct gj_error err;
    gj_test_must(gj_user_create(db, boss, &u, PW2, &err), &err);
    gj_test_must(gj_user_get(db, u.id, &u, &err), &err);
    gj_test_must(gj_user_set_password(db, boss, &u, PW3, &err), &err);
    /* A refused password is not in the message either. */
    gj_test_must(gj_user_get(db, u.id, &u, &err), &err);
    assert_int_not_equal(gj_user_set_password(db, boss, &u, "Zq9", &err), GJ_OK);
    assert_absent(err.msg, "Zq9", "the refusal");
    char hash[128];
    gj_test_must(gj_user_get(db, u.id, &u, &err), &err);
    snprintf(hash, sizeof hash, "%s", u.password_hash);
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    char *audit = audit_text(raw, "entity = 'users'");
    assert_true(strstr(audit, "xiaoli") != NULL); /* the rows are there */
    assert_absent(audit, PW2, "the audit log");
    assert_absent(audit, PW3, "the audit log");
    assert_absent(audit, hash, "the audit log");
    assert_absent(audit, "$argon2", "the audit log");
    free(audit);
    gj_test_db_close(dir, db, raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commands_never_print_secrets),
        cmocka_unit_test(test_user_changes_keep_passwords_out_of_the_log),
    };
    return cmocka_run_group_tests(tests, NULL, gj_test_cmd_teardown);
}
