/* guanjia restore FILE, and the modes of the files that hold personal data:
 * a new database, its -wal and -shm, backups, restored databases. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/outfile.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int mode_of(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        fail_msg("%s: missing", path);
    return (int)(st.st_mode & 07777);
}

static void assert_mode_600(const char *path)
{
    int m = mode_of(path);
    if (m != 0600)
        fail_msg("%s has mode %04o, not 0600", path, m);
}

/* A new database with a manager and one standard reply, made under umask
 * 0 so that only an explicit mode keeps others out. */
static const char *new_db(const char *dir)
{
    /* Its own buffer: gj_test_path's are reused after 8 calls. */
    static char db[512];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    mode_t old = umask(0);
    int rc = gj_test_cmd(gj_test_fixed_now, "Secret-pass-1\n", "--db", db, "init", "--admin",
                         "boss", "--name", "Boss", "--password-stdin", NULL);
    if (rc != 0)
        fail_msg("init: %s", gj_test_err);
    rc = gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "replies", "add", "first reply", NULL);
    umask(old);
    if (rc != 0)
        fail_msg("replies add: %s", gj_test_err);
    return db;
}

/* A backup of db, made by the command, as DIR/backup.db in bak. */
static void back_up(const char *dir, const char *db, char *bak, size_t baksz)
{
    snprintf(bak, baksz, "%s", gj_test_path(dir, "backup.db"));
    assert_int_equal(gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "backup", bak, NULL), 0);
}

/* A change made after the backup: one more standard reply. */
static void add_reply(const char *db, const char *text)
{
    assert_int_equal(gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "replies", "add", text, NULL),
                     0);
}

static int64_t replies(const char *db)
{
    return gj_test_scalar_file(db,
                               "SELECT count(*) FROM standard_replies WHERE text LIKE '%reply'");
}

static void test_new_files_are_private(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = new_db(dir);
    assert_mode_600(db);
    /* The -wal and -shm while a connection holds the file open. */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "SELECT count(*) FROM users", NULL, NULL, NULL), SQLITE_OK);
    assert_mode_600(gj_test_path(dir, "estate.db-wal"));
    assert_mode_600(gj_test_path(dir, "estate.db-shm"));
    sqlite3_close(h);

    mode_t old = umask(0);
    const char *bak = gj_test_path(dir, "copy.db");
    int rc = gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "backup", bak, NULL);
    const char *csv = gj_test_path(dir, "owners.csv");
    int rc2 = gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "export", "owners", csv, NULL);
    struct gj_error err;
    const char *doc = gj_test_path(dir, "receipts/R1.txt");
    int rc3 = gj_write_text_file(doc, "receipt\n", 8, 0, &err);
    umask(old);
    assert_int_equal(rc, 0);
    assert_int_equal(rc2, 0);
    gj_test_must(rc3, &err);
    assert_mode_600(bak);
    assert_mode_600(csv);
    assert_mode_600(doc);
    assert_int_equal(mode_of(gj_test_path(dir, "receipts")), 0700);
    gj_test_rmtree(dir);
}

static void test_round_trip(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = new_db(dir);
    char bak[512];
    back_up(dir, db, bak, sizeof bak);
    add_reply(db, "second reply");
    assert_int_equal(replies(db), 2);
    mode_t old = umask(0);
    int rc = gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "restore", bak, NULL);
    umask(old);
    if (rc != 0)
        fail_msg("restore: %s", gj_test_err);
    assert_non_null(strstr(gj_test_out, "Restored"));
    /* No stale companions and no temp file left. */
    assert_int_equal(access(gj_test_path(dir, "estate.db-wal"), F_OK), -1);
    assert_int_equal(access(gj_test_path(dir, "estate.db-shm"), F_OK), -1);
    assert_int_equal(replies(db), 1);
    assert_mode_600(db);
    /* The restore is in the restored file's audit log. */
    assert_int_equal(gj_test_scalar_file(db,
                                         "SELECT count(*) FROM audit_log WHERE entity = "
                                         "'restore' AND user_id IS NULL AND "
                                         "json_extract(new_values, '$.file') LIKE '%backup.db'"),
                     1);
    assert_int_equal(gj_test_count_files(dir, "estate.db.restore"), 0);
    assert_int_equal(gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "check", NULL), 0);
    /* The backup itself is only read. */
    assert_int_equal(gj_test_cmd(gj_test_fixed_now, NULL, "--db", bak, "check", NULL), 0);
    gj_test_rmtree(dir);
}

/* Restores bak over db and expects a refusal mentioning want, with db's
 * bytes (and its -wal) unchanged. */
static void expect_refused(const char *dir, const char *db, const char *bak, const char *want,
                           int want_rc)
{
    const char *keep = gj_test_path(dir, "keep.db");
    unlink(keep);
    assert_int_equal(gj_test_copy_file(db, keep), 0);
    int64_t before = replies(db);
    int rc = gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "restore", bak, NULL);
    assert_int_equal(rc, want_rc);
    if (!strstr(gj_test_err, want))
        fail_msg("expected \"%s\" in: %s", want, gj_test_err);
    assert_true(gj_test_one_line(gj_test_err));
    assert_true(gj_test_same_file(db, keep));
    assert_int_equal(replies(db), before);
    assert_int_equal(gj_test_count_files(dir, "estate.db.restore"), 0);
}

static void test_corrupt_backup_refused(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = new_db(dir);
    char bak[512];
    back_up(dir, db, bak, sizeof bak);
    add_reply(db, "second reply");
    /* Scribble over the pages after the first: the header still says
     * SQLite, the tables do not add up. */
    size_t len = 0;
    char *bytes = gj_test_slurp(bak, &len);
    assert_non_null(bytes);
    assert_true(len > 4 * 4096);
    for (size_t i = 4096; i < len - 4096; i += 7)
        bytes[i] = (char)(i * 31);
    gj_test_write_file(bak, bytes, len);
    free(bytes);
    expect_refused(dir, db, bak, "damaged", 1);

    /* Not a database at all, and an empty file. */
    gj_test_write_text(bak, "unit,name\n1-1-101,张三\n");
    expect_refused(dir, db, bak, "not a Guanjia backup, or damaged", 1);
    gj_test_write_text(bak, "");
    expect_refused(dir, db, bak, "not a Guanjia backup (it has no schema version)", 1);
    /* A missing file, and no file at all. */
    expect_refused(dir, db, gj_test_path(dir, "missing.db"), "missing.db: no such file", 1);
    assert_int_equal(gj_test_cmd(NULL, NULL, "--db", db, "restore", NULL), 2);
    assert_non_null(strstr(gj_test_err, "needs the backup file"));
    /* The database itself. */
    expect_refused(dir, db, db, "that is the database itself", 1);
    /* A database marked read-only is not replaced. */
    if (gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "backup", gj_test_path(dir, "good.db"),
                    NULL) != 0)
        fail_msg("backup: %s", gj_test_err);
    assert_int_equal(chmod(db, 0444), 0);
    expect_refused(dir, db, gj_test_path(dir, "good.db"), "cannot be written", 1);
    assert_int_equal(mode_of(db), 0444);
    chmod(db, 0600);
    gj_test_rmtree(dir);
}

static void test_newer_backup_refused_older_upgraded(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = new_db(dir);
    char bak[512];
    back_up(dir, db, bak, sizeof bak);
    int64_t target = gj_test_scalar_file(db, "PRAGMA user_version");

    sqlite3 *h = NULL;
    char sql[128];
    assert_int_equal(sqlite3_open(bak, &h), SQLITE_OK);
    snprintf(sql, sizeof sql, "PRAGMA user_version = %lld", (long long)target + 1);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    char want[128];
    snprintf(want, sizeof want, "schema version %lld, newer than this program supports (%lld)",
             (long long)target + 1, (long long)target);
    expect_refused(dir, db, bak, want, 1);

    /* An older backup: migration 11 (covering indexes; it and the ones
     * after it can run again) partly undone by hand; restore brings it up
     * to date before it takes the name. */
    assert_int_equal(sqlite3_open(bak, &h), SQLITE_OK);
    assert_true(target >= 11);
    snprintf(sql, sizeof sql, "DROP INDEX complaints_report; PRAGMA user_version = %d", 10);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "restore", bak, NULL), 0);
    assert_non_null(strstr(gj_test_out, "brought up to version"));
    assert_int_equal(gj_test_scalar_file(db, "PRAGMA user_version"), target);
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM sqlite_master WHERE name = "
                                             "'complaints_report'"),
                     1);
    gj_test_rmtree(dir);
}

static void test_refused_while_open_elsewhere(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = new_db(dir);
    char bak[512];
    back_up(dir, db, bak, sizeof bak);
    add_reply(db, "second reply");
    /* Another program (a console, say) has the database open, idle. */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "SELECT count(*) FROM users", NULL, NULL, NULL), SQLITE_OK);
    int rc = gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "restore", bak, NULL);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(gj_test_err, "is open in another program"));
    assert_null(strstr(gj_test_err, "locked"));
    assert_int_equal(replies(db), 2);
    assert_int_equal(gj_test_count_files(dir, "estate.db.restore"), 0);
    sqlite3_close(h);
    /* Once it is closed, the restore goes through. */
    assert_int_equal(gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "restore", bak, NULL), 0);
    assert_int_equal(replies(db), 1);
    gj_test_rmtree(dir);
}

/* A crash left the old database a -wal holding a committed change that is
 * not in the file yet. Restoring must not apply it to the new file. */
static void test_stale_wal_not_applied(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = new_db(dir);
    char bak[512];
    back_up(dir, db, bak, sizeof bak);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    int off = 0;
    assert_int_equal(sqlite3_db_config(h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, &off), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h,
                                  "PRAGMA wal_autocheckpoint = 0; CREATE TABLE stale(x); "
                                  "INSERT INTO stale VALUES (1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    struct stat st;
    assert_int_equal(stat(gj_test_path(dir, "estate.db-wal"), &st), 0);
    assert_true(st.st_size > 0);

    assert_int_equal(gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "restore", bak, NULL), 0);
    assert_int_equal(access(gj_test_path(dir, "estate.db-wal"), F_OK), -1);
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT count(*) FROM sqlite_master WHERE name = 'stale'"), 0);
    assert_int_equal(replies(db), 1);
    assert_int_equal(gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "check", NULL), 0);

    /* Restoring where there is no database yet makes one, 0600. */
    const char *fresh = gj_test_path(dir, "new.db");
    mode_t old = umask(0);
    int rc = gj_test_cmd(gj_test_fixed_now, NULL, "--db", fresh, "restore", bak, NULL);
    umask(old);
    assert_int_equal(rc, 0);
    assert_mode_600(fresh);
    assert_int_equal(replies(fresh), 1);
    gj_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_files_are_private),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_corrupt_backup_refused),
        cmocka_unit_test(test_newer_backup_refused_older_upgraded),
        cmocka_unit_test(test_refused_while_open_elsewhere),
        cmocka_unit_test(test_stale_wal_not_applied),
    };
    return cmocka_run_group_tests(tests, NULL, gj_test_cmd_teardown);
}
