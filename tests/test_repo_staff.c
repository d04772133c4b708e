#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_audit.h"
#include "guanjia/repo_staff.h"
#include "guanjia/repo_users.h"

static struct gj_db *open_db(void)
{
    struct gj_db *db = NULL;
    struct gj_error err;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    return db;
}

static int64_t add_manager(struct gj_db *db)
{
    struct gj_error err;
    struct gj_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.login, sizeof u.login, "%s", "boss");
    snprintf(u.name, sizeof u.name, "%s", "Boss");
    snprintf(u.role, sizeof u.role, "%s", "manager");
    assert_int_equal(gj_user_create(db, 0, &u, "secret-123", &err), GJ_OK);
    return u.id;
}

static struct gj_department make_dept(const char *name, const char *kind)
{
    struct gj_department d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "%s", name);
    snprintf(d.kind, sizeof d.kind, "%s", kind);
    return d;
}

static int64_t add_dept(struct gj_db *db, const char *name)
{
    struct gj_error err;
    struct gj_department d = make_dept(name, "maintenance");
    if (gj_department_create(db, 0, &d, &err) != GJ_OK)
        fail_msg("creating %s: %s", name, err.msg);
    return d.id;
}

static struct gj_staff make_staff(int64_t dept, const char *name)
{
    struct gj_staff s;
    memset(&s, 0, sizeof s);
    s.department_id = dept;
    snprintf(s.name, sizeof s.name, "%s", name);
    return s;
}

static int64_t audit_count(struct gj_db *db)
{
    struct gj_error err;
    int64_t n = -1;
    assert_int_equal(gj_audit_count(db, &n, &err), GJ_OK);
    return n;
}

static void expect_msg(const struct gj_error *err, const char *prefix)
{
    if (strncmp(err->msg, prefix, strlen(prefix)) != 0)
        fail_msg("expected a message starting with \"%s\", got: %s", prefix, err->msg);
}

static void test_department_round_trip(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t boss = add_manager(db);
    int64_t audits = audit_count(db);

    struct gj_department d = make_dept("工程部", "maintenance");
    d.active = 0; /* ignored: a new department is active */
    assert_int_equal(gj_department_create(db, boss, &d, &err), GJ_OK);
    assert_true(d.id > 0);
    assert_int_equal(d.active, 1);
    assert_int_equal(d.meta.version, 1);
    assert_int_equal(audit_count(db), audits + 1);

    struct gj_department got;
    assert_int_equal(gj_department_get(db, d.id, &got, &err), GJ_OK);
    assert_string_equal(got.name, "工程部");
    assert_string_equal(got.kind, "maintenance");
    assert_int_equal(got.active, 1);
    assert_int_equal(got.created_at, gj_now());
    assert_int_equal(got.meta.version, 1);
    assert_int_equal(got.meta.updated_at, gj_now());
    assert_int_equal(got.meta.updated_by, boss);

    assert_int_equal(gj_department_get(db, 999, &got, &err), GJ_ENOTFOUND);
    gj_db_close(db);
}

static void test_department_validation_and_duplicates(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    struct gj_department d = make_dept("", "maintenance");
    assert_int_equal(gj_department_create(db, 0, &d, &err), GJ_EINVAL);
    expect_msg(&err, "name:");
    d = make_dept("Security", "police");
    assert_int_equal(gj_department_create(db, 0, &d, &err), GJ_EINVAL);
    expect_msg(&err, "kind:");
    d = make_dept("Line\nbreak", "security");
    assert_int_equal(gj_department_create(db, 0, &d, &err), GJ_EINVAL);
    expect_msg(&err, "name:");
    assert_int_equal(audit_count(db), 0);

    add_dept(db, "Security");
    int64_t audits = audit_count(db);
    d = make_dept("Security", "security");
    assert_int_equal(gj_department_create(db, 0, &d, &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "already exists"));
    assert_int_equal(audit_count(db), audits);
    struct gj_department rows[4];
    int n;
    assert_int_equal(gj_departments_list(db, NULL, 4, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    gj_db_close(db);
}

static void test_department_update_conflict(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t boss = add_manager(db);
    struct gj_department d = make_dept("Cleaning", "cleaning");
    assert_int_equal(gj_department_create(db, boss, &d, &err), GJ_OK);
    struct gj_department stale = d;

    setenv("GUANJIA_NOW", "2026-11-29T11:30", 1);
    snprintf(d.name, sizeof d.name, "%s", "Cleaning & Greening");
    snprintf(d.kind, sizeof d.kind, "%s", "landscaping");
    d.active = 0;
    assert_int_equal(gj_department_update(db, boss, &d, &err), GJ_OK);
    assert_int_equal(d.meta.version, 2);
    struct gj_department got;
    assert_int_equal(gj_department_get(db, d.id, &got, &err), GJ_OK);
    assert_string_equal(got.name, "Cleaning & Greening");
    assert_string_equal(got.kind, "landscaping");
    assert_int_equal(got.active, 0);
    assert_int_equal(got.meta.version, 2);
    assert_int_equal(got.meta.updated_at, gj_now());

    snprintf(stale.name, sizeof stale.name, "%s", "Stale");
    assert_int_equal(gj_department_update(db, boss, &stale, &err), GJ_ECONFLICT);
    assert_non_null(strstr(err.msg, "Boss")); /* who changed it */
    assert_int_equal(gj_department_get(db, d.id, &got, &err), GJ_OK);
    assert_string_equal(got.name, "Cleaning & Greening");
    assert_int_equal(got.meta.version, 2);

    struct gj_department ghost = make_dept("Ghost", "other");
    ghost.id = 999;
    ghost.meta.version = 1;
    assert_int_equal(gj_department_update(db, boss, &ghost, &err), GJ_ENOTFOUND);
    gj_db_close(db);
}

static void test_department_paging(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    const char *names[] = {"E", "B", "D", "A", "C"};
    for (int i = 0; i < 5; i++)
        add_dept(db, names[i]);
    struct gj_department rows[2];
    char after[GJ_NAME_BYTES] = "";
    char seen[8] = "";
    int n, pages = 0;
    do {
        assert_int_equal(gj_departments_list(db, after, 2, rows, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++)
            strncat(seen, rows[i].name, 1);
        if (n)
            snprintf(after, sizeof after, "%s", rows[n - 1].name);
        pages++;
    } while (n == 2);
    assert_string_equal(seen, "ABCDE");
    assert_int_equal(pages, 3);
    gj_db_close(db);
}

static void test_staff_round_trip_and_validation(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t dept = add_dept(db, "Maintenance");

    struct gj_staff s = make_staff(dept, "刘师傅");
    snprintf(s.phone, sizeof s.phone, "%s", "138 1234 5678");
    snprintf(s.title, sizeof s.title, "%s", "电工");
    assert_int_equal(gj_staff_create(db, 0, &s, &err), GJ_OK);
    assert_true(s.id > 0);
    assert_string_equal(s.phone, "13812345678");
    struct gj_staff got;
    assert_int_equal(gj_staff_get(db, s.id, &got, &err), GJ_OK);
    assert_int_equal(got.department_id, dept);
    assert_string_equal(got.name, "刘师傅");
    assert_string_equal(got.phone, "13812345678");
    assert_string_equal(got.title, "电工");
    assert_int_equal(got.active, 1);
    assert_int_equal(got.meta.version, 1);

    /* Optional fields stay empty. */
    struct gj_staff bare = make_staff(dept, "No Phone");
    assert_int_equal(gj_staff_create(db, 0, &bare, &err), GJ_OK);
    assert_int_equal(gj_staff_get(db, bare.id, &got, &err), GJ_OK);
    assert_string_equal(got.phone, "");
    assert_string_equal(got.title, "");

    int64_t audits = audit_count(db);
    struct gj_staff bad = make_staff(0, "X");
    assert_int_equal(gj_staff_create(db, 0, &bad, &err), GJ_EINVAL);
    expect_msg(&err, "department:");
    bad = make_staff(dept, "");
    assert_int_equal(gj_staff_create(db, 0, &bad, &err), GJ_EINVAL);
    expect_msg(&err, "name:");
    bad = make_staff(dept, "X");
    snprintf(bad.phone, sizeof bad.phone, "%s", "12345");
    assert_int_equal(gj_staff_create(db, 0, &bad, &err), GJ_EINVAL);
    expect_msg(&err, "phone:");
    bad = make_staff(999, "X");
    assert_int_equal(gj_staff_create(db, 0, &bad, &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "does not exist"));
    assert_int_equal(audit_count(db), audits);
    gj_db_close(db);
}

static void test_staff_update_conflict(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t d1 = add_dept(db, "Maintenance");
    int64_t d2 = add_dept(db, "Security");
    struct gj_staff s = make_staff(d1, "Guard Li");
    assert_int_equal(gj_staff_create(db, 0, &s, &err), GJ_OK);
    struct gj_staff stale = s;

    s.department_id = d2;
    s.active = 0;
    snprintf(s.phone, sizeof s.phone, "%s", "010 12345678");
    assert_int_equal(gj_staff_update(db, 0, &s, &err), GJ_OK);
    assert_int_equal(s.meta.version, 2);
    struct gj_staff got;
    assert_int_equal(gj_staff_get(db, s.id, &got, &err), GJ_OK);
    assert_int_equal(got.department_id, d2);
    assert_int_equal(got.active, 0);
    assert_string_equal(got.phone, "010-12345678");

    assert_int_equal(gj_staff_update(db, 0, &stale, &err), GJ_ECONFLICT);
    assert_int_equal(gj_staff_get(db, s.id, &got, &err), GJ_OK);
    assert_int_equal(got.department_id, d2);
    assert_int_equal(got.meta.version, 2);
    gj_db_close(db);
}

static void test_staff_paging_by_department(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t d1 = add_dept(db, "Maintenance");
    int64_t d2 = add_dept(db, "Security");
    /* Same names repeat: the key is (name, id). */
    const char *names[] = {"Wang", "Li", "Wang", "Zhang", "Li", "Chen", "Wang"};
    int64_t ids[7];
    for (int i = 0; i < 7; i++) {
        struct gj_staff s = make_staff(d1, names[i]);
        assert_int_equal(gj_staff_create(db, 0, &s, &err), GJ_OK);
        ids[i] = s.id;
    }
    struct gj_staff other = make_staff(d2, "Li");
    assert_int_equal(gj_staff_create(db, 0, &other, &err), GJ_OK);

    const char *want_names[] = {"Chen", "Li", "Li", "Wang", "Wang", "Wang", "Zhang"};
    int64_t want_ids[] = {ids[5], ids[1], ids[4], ids[0], ids[2], ids[6], ids[3]};
    /* Pages of two split both runs of equal names. */
    struct gj_staff rows[2];
    struct gj_staff_key key;
    const struct gj_staff_key *after = NULL;
    int seen = 0, n;
    do {
        assert_int_equal(gj_staff_list(db, d1, after, 2, rows, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++) {
            assert_true(seen < 7);
            assert_string_equal(rows[i].name, want_names[seen]);
            assert_int_equal(rows[i].id, want_ids[seen]);
            assert_int_equal(rows[i].department_id, d1);
            seen++;
        }
        if (n) {
            snprintf(key.name, sizeof key.name, "%s", rows[n - 1].name);
            key.id = rows[n - 1].id;
            after = &key;
        }
    } while (n == 2);
    assert_int_equal(seen, 7);

    assert_int_equal(gj_staff_list(db, d2, NULL, 2, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, other.id);
    gj_db_close(db);
}

static void test_rollback_leaves_nothing(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t audits = audit_count(db);
    assert_int_equal(gj_db_begin(db, &err), GJ_OK);
    struct gj_department d = make_dept("Temporary", "other");
    assert_int_equal(gj_department_create(db, 0, &d, &err), GJ_OK);
    struct gj_staff s = make_staff(d.id, "Temp");
    assert_int_equal(gj_staff_create(db, 0, &s, &err), GJ_OK);
    assert_int_equal(audit_count(db), audits + 2);
    gj_db_rollback(db);

    struct gj_department got;
    assert_int_equal(gj_department_get(db, d.id, &got, &err), GJ_ENOTFOUND);
    struct gj_staff sg;
    assert_int_equal(gj_staff_get(db, s.id, &sg, &err), GJ_ENOTFOUND);
    assert_int_equal(audit_count(db), audits);
    gj_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_department_round_trip),
        cmocka_unit_test(test_department_validation_and_duplicates),
        cmocka_unit_test(test_department_update_conflict),
        cmocka_unit_test(test_department_paging),
        cmocka_unit_test(test_staff_round_trip_and_validation),
        cmocka_unit_test(test_staff_update_conflict),
        cmocka_unit_test(test_staff_paging_by_department),
        cmocka_unit_test(test_rollback_leaves_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
