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
#include "guanjia/repo_settings.h"
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

static int64_t add_user(struct gj_db *db, const char *login, const char *password)
{
    struct gj_error err;
    struct gj_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.name, sizeof u.name, "%s", login);
    snprintf(u.role, sizeof u.role, "%s", "manager");
    assert_int_equal(gj_user_create(db, 0, &u, password, &err), GJ_OK);
    return u.id;
}

static int64_t audit_count(struct gj_db *db)
{
    struct gj_error err;
    int64_t n = -1;
    assert_int_equal(gj_audit_count(db, &n, &err), GJ_OK);
    return n;
}

static void expect_has(const char *json, const char *part)
{
    if (!json || !strstr(json, part))
        fail_msg("expected %s in %s", part, json ? json : "(null)");
}

static void test_empty_log(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    /* The seeded defaults are written before the triggers exist. */
    assert_int_equal(audit_count(db), 0);
    struct gj_audit_entry rows[2];
    int n = -1;
    assert_int_equal(gj_audit_recent(db, 0, 2, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 0);
    gj_db_close(db);
}

static void test_department_update_old_and_new(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t boss = add_user(db, "boss", "secret-123");
    struct gj_department d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "%s", "Front Desk");
    snprintf(d.kind, sizeof d.kind, "%s", "customer_service");
    assert_int_equal(gj_department_create(db, boss, &d, &err), GJ_OK);
    int64_t created = gj_now();

    setenv("GUANJIA_NOW", "2026-11-29T14:30", 1);
    snprintf(d.name, sizeof d.name, "%s", "Service Centre");
    assert_int_equal(gj_department_update(db, boss, &d, &err), GJ_OK);

    struct gj_audit_entry rows[4];
    int n;
    assert_int_equal(gj_audit_of_entity(db, "departments", d.id, 0, 4, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 2);
    /* Newest first: the update. */
    assert_string_equal(rows[0].action, "update");
    assert_string_equal(rows[0].entity, "departments");
    assert_int_equal(rows[0].entity_id, d.id);
    assert_int_equal(rows[0].user_id, boss);
    assert_int_equal(rows[0].at, gj_now());
    expect_has(rows[0].old_values, "\"name\":\"Front Desk\"");
    expect_has(rows[0].old_values, "\"version\":1");
    expect_has(rows[0].new_values, "\"name\":\"Service Centre\"");
    expect_has(rows[0].new_values, "\"version\":2");
    assert_null(strstr(rows[0].new_values, "Front Desk"));
    /* Then the insert, with no old values. */
    assert_string_equal(rows[1].action, "insert");
    assert_int_equal(rows[1].at, created);
    assert_null(rows[1].old_values);
    expect_has(rows[1].new_values, "\"kind\":\"customer_service\"");
    assert_true(rows[1].id < rows[0].id);

    /* Paging: the next page after the update holds the insert only. */
    int64_t update_id = rows[0].id;
    gj_audit_entries_free(rows, n);
    assert_int_equal(gj_audit_of_entity(db, "departments", d.id, update_id, 4, rows, &n, &err),
                     GJ_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].action, "insert");
    gj_audit_entry_free(&rows[0]);
    assert_null(rows[0].new_values);
    assert_null(rows[0].old_values);
    gj_audit_entry_free(&rows[0]); /* twice is harmless */

    /* Another entity with the same id is not mixed in. */
    assert_int_equal(gj_audit_of_entity(db, "staff", d.id, 0, 4, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 0);
    gj_db_close(db);
}

static void test_setting_update_old_and_new(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t boss = add_user(db, "boss", "secret-123");
    struct gj_setting s;
    assert_int_equal(gj_setting_get(db, "complaint.revisit_days", &s, &err), GJ_OK);
    assert_int_equal(gj_setting_set(db, boss, "complaint.revisit_days", "7", s.meta.version, &err),
                     GJ_OK);
    struct gj_audit_entry rows[2];
    int n;
    assert_int_equal(gj_audit_of_entity(db, "settings", s.id, 0, 2, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].action, "update");
    assert_int_equal(rows[0].user_id, boss);
    expect_has(rows[0].old_values, "\"value\":\"3\"");
    expect_has(rows[0].new_values, "\"value\":\"7\"");
    expect_has(rows[0].new_values, "\"updated_by\":");
    gj_audit_entries_free(rows, n);

    /* A refused change leaves no audit row. */
    int64_t before = audit_count(db);
    assert_int_equal(gj_setting_set(db, boss, "complaint.revisit_days", "8", 1, &err),
                     GJ_ECONFLICT);
    assert_int_equal(gj_setting_set(db, boss, "complaint.revisit_days", "0", 2, &err), GJ_EINVAL);
    assert_int_equal(audit_count(db), before);
    gj_db_close(db);
}

static void test_recent_paging(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t boss = add_user(db, "boss", "secret-123");
    for (int i = 0; i < 6; i++) {
        struct gj_department d;
        memset(&d, 0, sizeof d);
        snprintf(d.name, sizeof d.name, "Dept %d", i);
        snprintf(d.kind, sizeof d.kind, "%s", "other");
        assert_int_equal(gj_department_create(db, boss, &d, &err), GJ_OK);
    }
    int64_t total = audit_count(db);
    assert_int_equal(total, 7); /* the user and six departments */

    struct gj_audit_entry rows[3];
    int64_t after = 0, last = INT64_MAX, seen = 0;
    int n;
    do {
        assert_int_equal(gj_audit_recent(db, after, 3, rows, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++) {
            assert_true(rows[i].id < last); /* strictly newest first: no repeats */
            last = rows[i].id;
            seen++;
        }
        if (n)
            after = rows[n - 1].id;
        gj_audit_entries_free(rows, n);
    } while (n == 3);
    assert_int_equal(seen, total);

    assert_int_equal(gj_audit_recent(db, 0, 1, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    expect_has(rows[0].new_values, "\"name\":\"Dept 5\"");
    gj_audit_entries_free(rows, n);
    gj_db_close(db);
}

static void test_no_password_hash_anywhere(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t id = add_user(db, "hashcheck", "first-secret");
    struct gj_user u;
    assert_int_equal(gj_user_get(db, id, &u, &err), GJ_OK);
    char first_hash[128];
    snprintf(first_hash, sizeof first_hash, "%s", u.password_hash);
    assert_int_equal(gj_user_set_password(db, id, &u, "second-secret", &err), GJ_OK);

    struct gj_audit_entry rows[8];
    int n;
    assert_int_equal(gj_audit_recent(db, 0, 8, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 2);
    for (int i = 0; i < n; i++) {
        const char *vals[2] = {rows[i].old_values, rows[i].new_values};
        for (int k = 0; k < 2; k++) {
            if (!vals[k])
                continue;
            assert_null(strstr(vals[k], "$argon2"));
            assert_null(strstr(vals[k], "password"));
            assert_null(strstr(vals[k], "secret"));
            assert_null(strstr(vals[k], first_hash));
            assert_null(strstr(vals[k], u.password_hash));
        }
    }
    /* The password change itself is still on record, by the user. */
    assert_string_equal(rows[0].action, "update");
    assert_int_equal(rows[0].user_id, id);
    expect_has(rows[0].new_values, "\"version\":2");
    gj_audit_entries_free(rows, n);
    gj_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_log),
        cmocka_unit_test(test_department_update_old_and_new),
        cmocka_unit_test(test_setting_update_old_and_new),
        cmocka_unit_test(test_recent_paging),
        cmocka_unit_test(test_no_password_hash_anywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
