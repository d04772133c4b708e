/* db/: opening, pragmas, migrations, refusals that leave files untouched,
 * nested transactions, clear constraint errors, backup. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/db.h"
#include "guanjia/repo_owners.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t pragma_int(struct gj_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void pragma_text(struct gj_db *db, const char *sql, char *out, size_t outsz)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* A new file in new folders: created, migrated, configured. */
static void test_create_and_configure(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/a/b/c/estate.db", dir);
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(path, GJ_DB_CREATE, &db, &err), GJ_OK);
    assert_int_equal(gj_db_schema_version(db), gj_db_schema_target());
    assert_true(gj_db_schema_target() >= 1);
    assert_int_equal(pragma_int(db, "PRAGMA user_version"), gj_db_schema_target());
    assert_int_equal(pragma_int(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(pragma_int(db, "PRAGMA synchronous"), 2); /* FULL */
    assert_true(db->busy_timeout_ms >= 1000); /* waits for other terminals (busy_wait) */
    char mode[32];
    pragma_text(db, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    /* Every table of the product is there. */
    const char *tables[] = {"units",           "persons",
                            "unit_persons",    "vehicles",
                            "parking_spaces",  "departments",
                            "staff",           "users",
                            "work_orders",     "work_order_events",
                            "complaints",      "complaint_events",
                            "fee_items",       "bills",
                            "payments",        "payment_allocations",
                            "receipt_counter", "dunning_contacts",
                            "contact_log",     "training_progress",
                            "quiz_results",    "practice_results",
                            "assessments",     "settings",
                            "sla_targets",     "audit_log"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db->h,
                                            "SELECT count(*) FROM sqlite_schema WHERE "
                                            "type = 'table' AND name = ?",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, tables[i], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        if (sqlite3_column_int(st, 0) != 1)
            fail_msg("table %s missing", tables[i]);
        sqlite3_finalize(st);
    }
    gj_db_close(db);
    /* Opening again migrates nothing and keeps the version. */
    assert_int_equal(gj_db_open(path, 0, &db, &err), GJ_OK);
    assert_int_equal(gj_db_schema_version(db), gj_db_schema_target());
    gj_db_close(db);
    gj_test_rmtree(dir);
}

static void make_db(const char *path)
{
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(path, GJ_DB_CREATE, &db, &err), GJ_OK);
    gj_db_close(db);
}

static void set_user_version(const char *path, int v)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    /* Leave a plain file behind: checkpoint and drop the WAL. */
    assert_int_equal(sqlite3_exec(h, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

static void test_newer_schema_refused_untouched(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char path[512], copy[512];
    snprintf(path, sizeof path, "%s/new.db", dir);
    snprintf(copy, sizeof copy, "%s/copy.db", dir);
    make_db(path);
    set_user_version(path, gj_db_schema_target() + 5);
    assert_int_equal(gj_test_copy_file(path, copy), 0);
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(path, GJ_DB_CREATE, &db, &err), GJ_EVERSION);
    assert_null(db);
    assert_non_null(strstr(err.msg, "newer"));
    assert_non_null(strstr(err.msg, path));
    assert_true(gj_test_same_file(path, copy));
    struct stat st;
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_int_not_equal(stat(wal, &st), 0); /* no WAL was started */
    /* Read-only opening refuses it too. */
    assert_int_equal(gj_db_open(path, GJ_DB_READONLY, &db, &err), GJ_EVERSION);
    assert_true(gj_test_same_file(path, copy));
    gj_test_rmtree(dir);
}

static void test_readonly_file_refused_untouched(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char path[512], copy[512];
    snprintf(path, sizeof path, "%s/ro.db", dir);
    snprintf(copy, sizeof copy, "%s/copy.db", dir);
    make_db(path);
    set_user_version(path, gj_db_schema_target());
    assert_int_equal(gj_test_copy_file(path, copy), 0);
    assert_int_equal(chmod(path, 0444), 0);
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(path, GJ_DB_CREATE, &db, &err), GJ_EREADONLY);
    assert_non_null(strstr(err.msg, "read-only"));
    assert_true(gj_test_same_file(path, copy));
    /* Reading is still allowed. */
    assert_int_equal(gj_db_open(path, GJ_DB_READONLY, &db, &err), GJ_OK);
    gj_db_close(db);
    assert_true(gj_test_same_file(path, copy));
    chmod(path, 0644);
    gj_test_rmtree(dir);
}

static void test_unusable_paths(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    struct gj_db *db = NULL;
    struct gj_error err;
    char path[512];
    /* Missing file without CREATE. */
    snprintf(path, sizeof path, "%s/missing.db", dir);
    assert_int_equal(gj_db_open(path, 0, &db, &err), GJ_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no such file"));
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0);
    /* A folder where the file should be. */
    assert_int_equal(gj_db_open(dir, GJ_DB_CREATE, &db, &err), GJ_EIO);
    assert_non_null(strstr(err.msg, "folder"));
    /* A parent that is a file. */
    char file[512];
    snprintf(file, sizeof file, "%s/plain", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("hello", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/plain/x.db", dir);
    assert_int_not_equal(gj_db_open(path, GJ_DB_CREATE, &db, &err), GJ_OK);
    assert_non_null(strstr(err.msg, "plain"));
    /* A file that is not a database: refused, left as it was. */
    assert_int_equal(gj_db_open(file, GJ_DB_CREATE, &db, &err), GJ_EDB);
    assert_non_null(strstr(err.msg, "not a valid Guanjia database"));
    size_t len = 0;
    char *body = gj_test_slurp(file, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(body, "hello", 5);
    free(body);
    gj_test_rmtree(dir);
}

static void test_nested_transactions(void **state)
{
    (void)state;
    struct gj_db *db = NULL;
    struct gj_error err;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    struct gj_unit a = {
        .building = 1, .entrance = 1, .room = 101, .area_centi_m2 = 8000, .delivered_at = 1};
    struct gj_unit b = {
        .building = 1, .entrance = 1, .room = 102, .area_centi_m2 = 8000, .delivered_at = 1};
    assert_int_equal(gj_db_begin(db, &err), GJ_OK);
    assert_int_equal(gj_unit_create(db, 0, &a, &err), GJ_OK);
    assert_int_equal(gj_db_begin(db, &err), GJ_OK);
    assert_int_equal(gj_unit_create(db, 0, &b, &err), GJ_OK);
    gj_db_rollback(db); /* the inner part only */
    assert_int_equal(gj_db_commit(db, &err), GJ_OK);
    struct gj_unit got;
    assert_int_equal(gj_unit_find_code(db, 1, 1, 101, &got, &err), GJ_OK);
    assert_int_equal(gj_unit_find_code(db, 1, 1, 102, &got, &err), GJ_ENOTFOUND);
    /* Commit without a transaction is an error, not a crash. */
    assert_int_not_equal(gj_db_commit(db, &err), GJ_OK);
    gj_db_close(db);
}

static void test_constraint_is_clear(void **state)
{
    (void)state;
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    struct gj_unit a = {
        .building = 3, .entrance = 2, .room = 501, .area_centi_m2 = 8900, .delivered_at = 1};
    assert_int_equal(gj_unit_create(db, 0, &a, &err), GJ_OK);
    struct gj_unit dup = a;
    assert_int_equal(gj_unit_create(db, 0, &dup, &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "3-2-501"));
    assert_non_null(strstr(err.msg, "already exists"));
    /* The schema refuses what C would have caught, with a named rule. */
    assert_int_equal(sqlite3_exec(db->h,
                                  "INSERT INTO units(building, entrance, floor, room, "
                                  "area_centi_m2, status, delivered_at, created_at, updated_at) "
                                  "VALUES (1, 1, 1, 101, -5, 'delivered', 1, 1, 1)",
                                  NULL, NULL, NULL) &
                         0xFF,
                     SQLITE_CONSTRAINT);
    assert_non_null(strstr(sqlite3_errmsg(db->h), "units_area"));
    assert_int_equal(gj_db_fail(db, SQLITE_CONSTRAINT_CHECK, "saving", &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "area must be between"));
    /* Records are never deleted. */
    assert_int_equal(sqlite3_exec(db->h, "DELETE FROM units", NULL, NULL, NULL) & 0xFF,
                     SQLITE_CONSTRAINT);
    assert_non_null(strstr(sqlite3_errmsg(db->h), "never deleted"));
    gj_db_close(db);
}

static void test_backup_round_trip(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char path[512], dest[512];
    snprintf(path, sizeof path, "%s/live.db", dir);
    snprintf(dest, sizeof dest, "%s/backup.db", dir);
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(path, GJ_DB_CREATE, &db, &err), GJ_OK);
    struct gj_unit a = {
        .building = 3, .entrance = 2, .room = 501, .area_centi_m2 = 8937, .delivered_at = 1};
    assert_int_equal(gj_unit_create(db, 0, &a, &err), GJ_OK);
    assert_int_equal(gj_db_backup(db, dest, &err), GJ_OK);
    /* An existing file is never overwritten, nor the database itself. */
    assert_int_equal(gj_db_backup(db, dest, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "exists"));
    assert_int_equal(gj_db_backup(db, path, &err), GJ_EINVAL);
    char nodir[600];
    snprintf(nodir, sizeof nodir, "%s/nope/backup.db", dir);
    assert_int_not_equal(gj_db_backup(db, nodir, &err), GJ_OK);
    gj_db_close(db);

    struct gj_db *copy = NULL;
    assert_int_equal(gj_db_open(dest, 0, &copy, &err), GJ_OK);
    struct gj_unit got;
    assert_int_equal(gj_unit_find_code(copy, 3, 2, 501, &got, &err), GJ_OK);
    assert_int_equal(got.area_centi_m2, 8937);
    gj_db_close(copy);
    gj_test_rmtree(dir);
}

/* A read transaction sees one snapshot while another terminal writes. */
static void test_read_snapshot(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/snap.db", dir);
    struct gj_db *a = NULL, *b = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(path, GJ_DB_CREATE, &a, &err), GJ_OK);
    assert_int_equal(gj_db_open(path, 0, &b, &err), GJ_OK);
    struct gj_unit u1 = {
        .building = 1, .entrance = 1, .room = 101, .area_centi_m2 = 8000, .delivered_at = 1};
    assert_int_equal(gj_unit_create(b, 0, &u1, &err), GJ_OK);
    assert_int_equal(gj_db_begin_read(a, &err), GJ_OK);
    assert_int_equal(pragma_int(a, "SELECT count(*) FROM units"), 1);
    struct gj_unit u2 = {
        .building = 1, .entrance = 1, .room = 102, .area_centi_m2 = 8000, .delivered_at = 1};
    assert_int_equal(gj_unit_create(b, 0, &u2, &err), GJ_OK); /* not blocked by the reader */
    assert_int_equal(pragma_int(a, "SELECT count(*) FROM units"), 1);
    gj_db_rollback(a);
    assert_int_equal(pragma_int(a, "SELECT count(*) FROM units"), 2);
    gj_db_close(a);
    gj_db_close(b);
    gj_test_rmtree(dir);
}

/* Another terminal's write: waited for while it lasts (busy_wait), and a
 * clear "busy" error once the wait passes the busy timeout. */
static void test_waits_for_another_writer(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/estate.db", dir);
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(path, GJ_DB_CREATE, &db, &err), GJ_OK);
    assert_int_equal(db->busy_timeout_ms, 10000);

    /* The other terminal holds the write lock for 300 ms. */
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3 *h = NULL;
        int ok = sqlite3_open(path, &h) == SQLITE_OK &&
                 sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
        char c = ok ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1)
            ok = 0;
        struct timespec ts = {0, 300 * 1000 * 1000};
        nanosleep(&ts, NULL);
        ok = ok && sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
        sqlite3_close(h);
        _exit(ok ? 0 : 1);
    }
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(c, 'y');
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(gj_db_begin(db, &err), GJ_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(waited > 0.1); /* it did wait, and then got the lock */
    gj_db_rollback(db);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(ready[0]);
    close(ready[1]);

    /* A lock that is not let go: busy after the timeout, and said so. */
    db->busy_timeout_ms = 200;
    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(gj_db_begin(db, &err), GJ_EBUSY);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(waited >= 0.2 && waited < 5);
    assert_non_null(strstr(err.msg, "kept busy by another terminal"));
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    assert_int_equal(gj_db_begin(db, &err), GJ_OK);
    gj_db_rollback(db);
    gj_db_close(db);
    gj_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_configure),
        cmocka_unit_test(test_newer_schema_refused_untouched),
        cmocka_unit_test(test_readonly_file_refused_untouched),
        cmocka_unit_test(test_unusable_paths),
        cmocka_unit_test(test_nested_transactions),
        cmocka_unit_test(test_constraint_is_clear),
        cmocka_unit_test(test_backup_round_trip),
        cmocka_unit_test(test_read_snapshot),
        cmocka_unit_test(test_waits_for_another_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
