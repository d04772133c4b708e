/* The practice estate: made beside the real database by the program's own
 * demo, fresh every time, never the real file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_check.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_users.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sandbox.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *tmpdir;
static char real_db[600], real_copy[600];

/* A real database with a user in it, and a byte copy to compare with. */
static int group_setup(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    tmpdir = gj_test_tmpdir();
    snprintf(real_db, sizeof real_db, "%s/estate/guanjia.db", tmpdir);
    snprintf(real_copy, sizeof real_copy, "%s/real-copy.db", tmpdir);
    const char *argv[] = {
        "--db", real_db, "init", "--admin", "boss", "--name", "老板", "--password-stdin", NULL};
    if (gj_test_run(argv, NULL, "Secret-pass-2026\n", NULL, NULL) != 0)
        return -1;
    return gj_test_copy_file(real_db, real_copy);
}

static int group_teardown(void **state)
{
    (void)state;
    gj_test_rmtree(tmpdir);
    return 0;
}

static void expect_unchanged_real(void)
{
    assert_true(gj_test_same_file(real_db, real_copy));
    char side[700];
    struct stat st;
    snprintf(side, sizeof side, "%s-wal", real_db);
    assert_true(stat(side, &st) != 0 || st.st_size == 0);
}

static void test_path(void **state)
{
    (void)state;
    char out[600];
    struct gj_error err;
    assert_int_equal(gj_sandbox_path("/srv/estate/guanjia.db", "Trainee", out, sizeof out, &err),
                     GJ_OK);
    assert_string_equal(out, "/srv/estate/sandbox/trainee.db");
    assert_int_equal(gj_sandbox_path("guanjia.db", "butler2", out, sizeof out, &err), GJ_OK);
    assert_string_equal(out, "./sandbox/butler2.db");
    /* Not a login: nothing that could leave the folder. */
    assert_int_equal(gj_sandbox_path("/srv/guanjia.db", "../x", out, sizeof out, &err), GJ_EINVAL);
    assert_string_equal(out, "");
    assert_int_equal(gj_sandbox_path("/srv/guanjia.db", "a/b", out, sizeof out, &err), GJ_EINVAL);
    assert_int_equal(gj_sandbox_path("/srv/guanjia.db", "..", out, sizeof out, &err), GJ_EINVAL);
    assert_int_equal(gj_sandbox_path("/srv/guanjia.db", "", out, sizeof out, &err), GJ_EINVAL);
    assert_int_equal(gj_sandbox_path("", "butler", out, sizeof out, &err), GJ_EINVAL);
    /* Too small a buffer. */
    assert_int_equal(gj_sandbox_path("/srv/guanjia.db", "butler", out, 10, &err), GJ_EINVAL);
}

static void test_demo_clock(void **state)
{
    (void)state;
    /* From the 21st on, the clock as it is; before, the last day of the month before. */
    assert_true(gj_sandbox_demo_clock(gj_test_at("2026-11-29T09:00")) ==
                gj_test_at("2026-11-29T09:00"));
    assert_true(gj_sandbox_demo_clock(gj_test_at("2026-12-21T00:00")) ==
                gj_test_at("2026-12-21T00:00"));
    assert_true(gj_sandbox_demo_clock(gj_test_at("2026-12-20T23:59")) ==
                gj_test_at("2026-11-30T23:59"));
    assert_true(gj_sandbox_demo_clock(gj_test_at("2026-12-05T10:00")) ==
                gj_test_at("2026-11-30T10:00"));
    assert_true(gj_sandbox_demo_clock(gj_test_at("2026-03-01T08:00")) ==
                gj_test_at("2026-02-28T08:00"));
    assert_true(gj_sandbox_demo_clock(gj_test_at("2028-03-15T08:00")) ==
                gj_test_at("2028-02-29T08:00"));
    assert_true(gj_sandbox_demo_clock(gj_test_at("2027-01-10T12:00")) ==
                gj_test_at("2026-12-31T12:00"));
}

/* The practice estate holds the demo estate, as the tasks expect it. */
static void expect_demo(const char *path)
{
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(path, 0, &db, &err), GJ_OK);
    struct gj_estate_counts c;
    assert_int_equal(gj_estate_count(db, &c, &err), GJ_OK);
    assert_true(c.units == 600);
    assert_true(c.work_orders == 400);
    assert_true(c.complaints == 60);
    assert_true(c.users == 5);
    struct gj_user u;
    assert_int_equal(gj_user_by_login(db, "trainee", &u, &err), GJ_OK);
    struct gj_unit unit;
    assert_int_equal(gj_unit_find_code(db, 3, 2, 501, &unit, &err), GJ_OK);
    struct gj_unit_person links[8];
    int n = 0, found = 0;
    assert_int_equal(gj_unit_persons_of_unit(db, unit.id, 8, links, &n, &err), GJ_OK);
    for (int i = 0; i < n; i++) {
        struct gj_person p;
        assert_int_equal(gj_person_get(db, links[i].person_id, &p, &err), GJ_OK);
        if (strcmp(p.name, "张三") == 0 && strcmp(p.phone, "13800138000") == 0)
            found = 1;
    }
    assert_true(found);
    /* A record a practice task names by number. */
    static struct gj_work_order wo;
    assert_int_equal(gj_wo_get(db, 397, &wo, &err), GJ_OK);
    struct gj_unit on;
    assert_int_equal(gj_unit_get(db, wo.unit_id, &on, &err), GJ_OK);
    assert_int_equal(on.building, 6);
    assert_int_equal(on.entrance, 1);
    assert_int_equal(on.room, 802);
    assert_string_equal(wo.state, "new");
    gj_db_close(db);
}

static void test_create(void **state)
{
    (void)state;
    char path[600], want[700];
    struct gj_error err;
    assert_int_equal(gj_sandbox_create(real_db, "Butler", path, sizeof path, &err), GJ_OK);
    snprintf(want, sizeof want, "%s/estate/sandbox/butler.db", tmpdir);
    assert_string_equal(path, want);
    expect_unchanged_real();
    expect_demo(path);

    /* Practice leaves traces... */
    struct gj_db *db = NULL;
    assert_int_equal(gj_db_open(path, 0, &db, &err), GJ_OK);
    struct gj_unit u;
    assert_int_equal(gj_unit_find_code(db, 1, 1, 101, &u, &err), GJ_OK);
    int64_t area = u.area_centi_m2;
    u.area_centi_m2 = area + 1;
    assert_int_equal(gj_unit_update(db, 0, &u, &err), GJ_OK);
    gj_db_close(db);

    /* ...which the next sandbox does not have. */
    char again[600];
    assert_int_equal(gj_sandbox_create(real_db, "butler", again, sizeof again, &err), GJ_OK);
    assert_string_equal(again, path);
    assert_int_equal(gj_db_open(again, 0, &db, &err), GJ_OK);
    struct gj_unit fresh;
    assert_int_equal(gj_unit_find_code(db, 1, 1, 101, &fresh, &err), GJ_OK);
    assert_true(fresh.area_centi_m2 == area);
    assert_int_equal(fresh.meta.version, 1);
    gj_db_close(db);
    expect_unchanged_real();

    /* out_path may be NULL. */
    assert_int_equal(gj_sandbox_create(real_db, "trainee", NULL, 0, &err), GJ_OK);
    snprintf(want, sizeof want, "%s/estate/sandbox/trainee.db", tmpdir);
    assert_int_equal(access(want, F_OK), 0);
    expect_unchanged_real();
}

/* Made early in a month, the estate is the same: the demo runs at the end
 * of the month before. */
static void test_create_early_in_month(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-12-05T10:00", 1);
    char path[600];
    struct gj_error err;
    int rc = gj_sandbox_create(real_db, "early", path, sizeof path, &err);
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    assert_int_equal(rc, GJ_OK);
    expect_demo(path);
    struct gj_db *db = NULL;
    assert_int_equal(gj_db_open(path, 0, &db, &err), GJ_OK);
    struct gj_user u;
    assert_int_equal(gj_user_by_login(db, "butler", &u, &err), GJ_OK);
    assert_true(u.created_at == gj_test_at("2026-11-30T10:00"));
    gj_db_close(db);
    expect_unchanged_real();
}

/* The sandbox folder leads back to the real database's own folder: the
 * sandbox would be the real file. */
static void test_refuses_real_file(void **state)
{
    (void)state;
    char dir[600], db[700], link_path[700], copy[700];
    snprintf(dir, sizeof dir, "%s/loop", tmpdir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(db, sizeof db, "%s/butler.db", dir);
    assert_int_equal(gj_test_copy_file(real_db, db), 0);
    snprintf(copy, sizeof copy, "%s/loop-copy.db", tmpdir);
    assert_int_equal(gj_test_copy_file(real_db, copy), 0);
    snprintf(link_path, sizeof link_path, "%s/sandbox", dir);
    assert_int_equal(symlink(".", link_path), 0);

    char out[700];
    struct gj_error err;
    assert_int_equal(gj_sandbox_path(db, "butler", out, sizeof out, &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, db));
    assert_string_equal(out, "");
    assert_int_equal(gj_sandbox_create(db, "BUTLER", out, sizeof out, &err), GJ_ECONSTRAINT);
    assert_true(gj_test_same_file(db, copy));
    /* Another login is another file, and allowed. */
    assert_int_equal(gj_sandbox_path(db, "trainee", out, sizeof out, &err), GJ_OK);
}

/* A demo that fails: the message says what and where; nothing is left. */
static void test_failure(void **state)
{
    (void)state;
    const char *bin = getenv("GUANJIA_BIN");
    assert_non_null(bin);
    char saved[PATH_MAX];
    snprintf(saved, sizeof saved, "%s", bin);
    char path[600], want[700];
    struct gj_error err;

    setenv("GUANJIA_BIN", "/bin/false", 1);
    int rc = gj_sandbox_create(real_db, "failing", path, sizeof path, &err);
    setenv("GUANJIA_BIN", saved, 1);
    assert_int_equal(rc, GJ_EIO);
    snprintf(want, sizeof want, "%s/estate/sandbox/failing.db", tmpdir);
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.msg, "/bin/false"));
    assert_int_not_equal(access(want, F_OK), 0);

    setenv("GUANJIA_BIN", "/nonexistent/guanjia", 1);
    rc = gj_sandbox_create(real_db, "failing", path, sizeof path, &err);
    setenv("GUANJIA_BIN", saved, 1);
    assert_int_equal(rc, GJ_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/guanjia"));
    expect_unchanged_real();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path),
        cmocka_unit_test(test_demo_clock),
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_create_early_in_month),
        cmocka_unit_test(test_refuses_real_file),
        cmocka_unit_test(test_failure),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
