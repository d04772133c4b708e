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

static struct gj_db *open_db(void)
{
    struct gj_db *db = NULL;
    struct gj_error err;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    return db;
}

static int64_t audit_count(struct gj_db *db)
{
    struct gj_error err;
    int64_t n = -1;
    assert_int_equal(gj_audit_count(db, &n, &err), GJ_OK);
    return n;
}

static void expect_msg(const struct gj_error *err, const char *part)
{
    if (!strstr(err->msg, part))
        fail_msg("expected a message with \"%s\", got: %s", part, err->msg);
}

static void expect_sla(struct gj_db *db, const char *kind, const char *level, int respond,
                       int resolve)
{
    struct gj_error err;
    struct gj_sla_target t;
    assert_int_equal(gj_sla_get(db, kind, level, &t, &err), GJ_OK);
    assert_string_equal(t.kind, kind);
    assert_string_equal(t.level, level);
    assert_int_equal(t.respond_minutes, respond);
    assert_int_equal(t.resolve_minutes, resolve);
    assert_int_equal(t.meta.version, 1);
}

static void test_seeded_defaults(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    expect_sla(db, "work_order", "urgent", 15, 240);
    expect_sla(db, "work_order", "high", 30, 1440);
    expect_sla(db, "work_order", "normal", 120, 4320);
    expect_sla(db, "work_order", "low", 1440, 10080);
    expect_sla(db, "complaint", "minor", 120, 1440);
    expect_sla(db, "complaint", "moderate", 60, 2880);
    expect_sla(db, "complaint", "serious", 30, 4320);

    struct gj_setting s;
    assert_int_equal(gj_setting_get(db, "estate.name", &s, &err), GJ_OK);
    assert_string_equal(s.key, "estate.name");
    assert_string_equal(s.value, "Guanjia Estate");
    assert_int_equal(s.meta.version, 1);
    assert_int_equal(gj_setting_get(db, "receipt.prefix", &s, &err), GJ_OK);
    assert_string_equal(s.value, "SJ");

    int64_t v = 0;
    assert_int_equal(gj_setting_get_int(db, "login.max_failures", 99, &v, &err), GJ_OK);
    assert_int_equal(v, 5);
    assert_int_equal(gj_setting_get_int(db, "login.lock_minutes", 99, &v, &err), GJ_OK);
    assert_int_equal(v, 5);
    assert_int_equal(gj_setting_get_int(db, "workorder.due_soon_minutes", 0, &v, &err), GJ_OK);
    assert_int_equal(v, 60);
    assert_int_equal(gj_setting_get_int(db, "complaint.revisit_days", 0, &v, &err), GJ_OK);
    assert_int_equal(v, 3);
    assert_int_equal(gj_setting_get_int(db, "fees.due_day", 0, &v, &err), GJ_OK);
    assert_int_equal(v, 15);
    gj_db_close(db);
}

static void test_get_missing_and_not_a_number(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    struct gj_setting s;
    assert_int_equal(gj_setting_get(db, "no.such.key", &s, &err), GJ_ENOTFOUND);
    expect_msg(&err, "no.such.key");

    int64_t v = 0;
    assert_int_equal(gj_setting_get_int(db, "no.such.key", 42, &v, &err), GJ_OK);
    assert_int_equal(v, 42);

    /* estate.name is text: as a number it is refused, with the default. */
    assert_int_equal(gj_setting_get_int(db, "estate.name", 7, &v, &err), GJ_EINVAL);
    assert_int_equal(v, 7);
    expect_msg(&err, "estate.name");

    assert_int_equal(gj_setting_set(db, 0, "custom.big", "-9223372036854775808", 0, &err), GJ_OK);
    assert_int_equal(gj_setting_get_int(db, "custom.big", 0, &v, &err), GJ_OK);
    assert_true(v == INT64_MIN);
    assert_int_equal(gj_setting_set(db, 0, "custom.over", "9223372036854775808", 0, &err), GJ_OK);
    assert_int_equal(gj_setting_get_int(db, "custom.over", 1, &v, &err), GJ_EINVAL);
    assert_int_equal(v, 1);
    gj_db_close(db);
}

static void test_set_is_version_checked(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    struct gj_setting s;
    int64_t audits = audit_count(db);
    assert_int_equal(gj_setting_get(db, "login.max_failures", &s, &err), GJ_OK);
    assert_int_equal(s.meta.version, 1);

    setenv("GUANJIA_NOW", "2026-11-30T08:00", 1);
    assert_int_equal(gj_setting_set(db, 0, "login.max_failures", "6", 1, &err), GJ_OK);
    assert_int_equal(audit_count(db), audits + 1);
    assert_int_equal(gj_setting_get(db, "login.max_failures", &s, &err), GJ_OK);
    assert_string_equal(s.value, "6");
    assert_int_equal(s.meta.version, 2);
    assert_int_equal(s.meta.updated_at, gj_now());

    /* The same stale version again: refused, the value stays. */
    assert_int_equal(gj_setting_set(db, 0, "login.max_failures", "9", 1, &err), GJ_ECONFLICT);
    expect_msg(&err, "login.max_failures");
    assert_int_equal(gj_setting_get(db, "login.max_failures", &s, &err), GJ_OK);
    assert_string_equal(s.value, "6");
    assert_int_equal(s.meta.version, 2);
    assert_int_equal(audit_count(db), audits + 1);

    /* Expecting 0 means "create": the key exists, so that is a conflict. */
    assert_int_equal(gj_setting_set(db, 0, "login.max_failures", "9", 0, &err), GJ_ECONFLICT);
    assert_int_equal(gj_setting_get(db, "login.max_failures", &s, &err), GJ_OK);
    assert_string_equal(s.value, "6");
    gj_db_close(db);
}

static void test_set_creates_missing(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    struct gj_setting s;
    assert_int_equal(gj_setting_set(db, 0, "custom.greeting", "您好，欢迎回家", 0, &err), GJ_OK);
    assert_int_equal(gj_setting_get(db, "custom.greeting", &s, &err), GJ_OK);
    assert_string_equal(s.value, "您好，欢迎回家");
    assert_int_equal(s.meta.version, 1);
    assert_true(s.id > 0);

    /* An empty value is a value, not NULL. */
    assert_int_equal(gj_setting_set(db, 0, "custom.empty", "", 0, &err), GJ_OK);
    assert_int_equal(gj_setting_get(db, "custom.empty", &s, &err), GJ_OK);
    assert_string_equal(s.value, "");
    assert_int_equal(gj_setting_set(db, 0, "receipt.prefix", "", 1, &err), GJ_OK);
    assert_int_equal(gj_setting_get(db, "receipt.prefix", &s, &err), GJ_OK);
    assert_string_equal(s.value, "");

    /* Updating a key nobody created. */
    assert_int_equal(gj_setting_set(db, 0, "custom.nothing", "x", 3, &err), GJ_ENOTFOUND);
    assert_int_equal(gj_setting_get(db, "custom.nothing", &s, &err), GJ_ENOTFOUND);
    gj_db_close(db);
}

static void expect_set_invalid(struct gj_db *db, const char *key, const char *value,
                               const char *part)
{
    struct gj_error err;
    int64_t audits = audit_count(db);
    assert_int_equal(gj_setting_set(db, 0, key, value, 1, &err), GJ_EINVAL);
    expect_msg(&err, part);
    assert_int_equal(audit_count(db), audits);
}

static void test_set_validation(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    expect_set_invalid(db, "", "x", "setting key:");
    expect_set_invalid(db, "has space", "x", "setting key:");
    expect_set_invalid(db, "login.max_failures", "abc", "login.max_failures");
    expect_set_invalid(db, "login.max_failures", "0", "1 to 100");
    expect_set_invalid(db, "login.max_failures", " 5", "login.max_failures");
    expect_set_invalid(db, "fees.due_day", "31", "fees.due_day");
    expect_set_invalid(db, "login.lock_minutes", "-5", "login.lock_minutes");
    expect_set_invalid(db, "estate.name", "", "estate.name");
    expect_set_invalid(db, "estate.name", "two\nlines", "estate.name");
    expect_set_invalid(db, "receipt.prefix", "SJ-1", "receipt.prefix");
    expect_set_invalid(db, "receipt.prefix", "ABCDEFGHI", "receipt.prefix");

    char longval[1002];
    memset(longval, 'x', 1001);
    longval[1001] = '\0';
    expect_set_invalid(db, "custom.long", longval, "too long");

    struct gj_error err;
    struct gj_setting s;
    assert_int_equal(gj_setting_get(db, "fees.due_day", &s, &err), GJ_OK);
    assert_string_equal(s.value, "15");
    assert_int_equal(s.meta.version, 1);
    gj_db_close(db);
}

static void test_sla_list(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    struct gj_sla_target rows[10];
    int n;
    assert_int_equal(gj_sla_list(db, NULL, rows, 10, &n, &err), GJ_OK);
    assert_int_equal(n, 7);
    const char *order[] = {"urgent", "high", "normal", "low", "serious", "moderate", "minor"};
    for (int i = 0; i < 7; i++) {
        assert_string_equal(rows[i].kind, i < 4 ? "work_order" : "complaint");
        assert_string_equal(rows[i].level, order[i]);
    }
    assert_int_equal(gj_sla_list(db, "complaint", rows, 10, &n, &err), GJ_OK);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].level, "serious");
    assert_int_equal(rows[0].respond_minutes, 30);
    assert_int_equal(gj_sla_list(db, "work_order", rows, 2, &n, &err), GJ_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[1].level, "high");

    struct gj_sla_target t;
    assert_int_equal(gj_sla_get(db, "work_order", "serious", &t, &err), GJ_EINVAL);
    expect_msg(&err, "SLA level");
    assert_int_equal(gj_sla_get(db, "parking", "low", &t, &err), GJ_EINVAL);
    expect_msg(&err, "SLA kind");
    gj_db_close(db);
}

static void test_sla_update(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    struct gj_sla_target t;
    assert_int_equal(gj_sla_get(db, "work_order", "urgent", &t, &err), GJ_OK);
    struct gj_sla_target stale = t;
    int64_t audits = audit_count(db);

    struct gj_sla_target bad = t;
    bad.respond_minutes = 0;
    assert_int_equal(gj_sla_update(db, 0, &bad, &err), GJ_EINVAL);
    expect_msg(&err, "response target");
    bad = t;
    bad.respond_minutes = 60;
    bad.resolve_minutes = 30;
    assert_int_equal(gj_sla_update(db, 0, &bad, &err), GJ_EINVAL);
    expect_msg(&err, "resolve target");
    bad = t;
    bad.resolve_minutes = -1;
    assert_int_equal(gj_sla_update(db, 0, &bad, &err), GJ_EINVAL);
    expect_msg(&err, "resolve target");
    assert_int_equal(audit_count(db), audits);

    t.respond_minutes = 10;
    t.resolve_minutes = 180;
    assert_int_equal(gj_sla_update(db, 0, &t, &err), GJ_OK);
    assert_int_equal(t.meta.version, 2);
    assert_int_equal(audit_count(db), audits + 1);
    struct gj_sla_target got;
    assert_int_equal(gj_sla_get(db, "work_order", "urgent", &got, &err), GJ_OK);
    assert_int_equal(got.respond_minutes, 10);
    assert_int_equal(got.resolve_minutes, 180);
    assert_int_equal(got.meta.version, 2);

    /* Equal targets are fine (resolve >= respond). */
    got.resolve_minutes = got.respond_minutes;
    assert_int_equal(gj_sla_update(db, 0, &got, &err), GJ_OK);

    stale.respond_minutes = 20;
    assert_int_equal(gj_sla_update(db, 0, &stale, &err), GJ_ECONFLICT);
    assert_int_equal(gj_sla_get(db, "work_order", "urgent", &got, &err), GJ_OK);
    assert_int_equal(got.respond_minutes, 10);
    assert_int_equal(got.meta.version, 3);

    /* An id that does not match kind and level is not quietly updated. */
    struct gj_sla_target other;
    assert_int_equal(gj_sla_get(db, "complaint", "minor", &other, &err), GJ_OK);
    other.id = got.id;
    assert_int_equal(gj_sla_update(db, 0, &other, &err), GJ_ENOTFOUND);
    assert_int_equal(gj_sla_get(db, "work_order", "urgent", &got, &err), GJ_OK);
    assert_int_equal(got.respond_minutes, 10);
    gj_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeded_defaults),
        cmocka_unit_test(test_get_missing_and_not_a_number),
        cmocka_unit_test(test_set_is_version_checked),
        cmocka_unit_test(test_set_creates_missing),
        cmocka_unit_test(test_set_validation),
        cmocka_unit_test(test_sla_list),
        cmocka_unit_test(test_sla_update),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
