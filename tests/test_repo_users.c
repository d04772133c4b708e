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
#include "guanjia/password.h"
#include "guanjia/repo_audit.h"
#include "guanjia/repo_users.h"
#include "guanjia/rules_people.h"

static struct gj_db *open_db(void)
{
    struct gj_db *db = NULL;
    struct gj_error err;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    return db;
}

static struct gj_user make_user(const char *login, const char *name, const char *role)
{
    struct gj_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.role, sizeof u.role, "%s", role);
    return u;
}

static int64_t add_user(struct gj_db *db, int64_t actor, const char *login, const char *role)
{
    struct gj_error err;
    struct gj_user u = make_user(login, "Test User", role);
    int rc = gj_user_create(db, actor, &u, "secret-123", &err);
    if (rc != GJ_OK)
        fail_msg("creating %s: %s", login, err.msg);
    return u.id;
}

static int64_t audit_count(struct gj_db *db)
{
    struct gj_error err;
    int64_t n = -1;
    assert_int_equal(gj_audit_count(db, &n, &err), GJ_OK);
    return n;
}

static int64_t users_count(struct gj_db *db)
{
    struct gj_error err;
    int64_t n = -1;
    assert_int_equal(gj_users_count(db, &n, &err), GJ_OK);
    return n;
}

static void test_create_get_round_trip(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    assert_int_equal(users_count(db), 0);

    struct gj_user u = make_user("Zhang.San", "张三", "butler");
    assert_int_equal(gj_user_create(db, 0, &u, "correct horse", &err), GJ_OK);
    assert_true(u.id > 0);
    assert_int_equal(u.meta.version, 1);
    assert_int_equal(u.meta.updated_at, gj_now());
    assert_int_equal(u.created_at, gj_now());
    assert_string_equal(u.rank, "trainee"); /* the default rank */
    assert_int_equal(strncmp(u.password_hash, "$argon2id$", 10), 0);
    assert_null(strstr(u.password_hash, "correct horse"));

    struct gj_user got;
    assert_int_equal(gj_user_get(db, u.id, &got, &err), GJ_OK);
    assert_int_equal(got.id, u.id);
    assert_string_equal(got.login, "Zhang.San");
    assert_string_equal(got.name, "张三");
    assert_string_equal(got.role, "butler");
    assert_string_equal(got.rank, "trainee");
    assert_int_equal(got.active, 1);
    assert_int_equal(got.failed_logins, 0);
    assert_int_equal(got.locked_until, 0);
    assert_int_equal(got.staff_id, 0);
    assert_int_equal(got.created_at, gj_now());
    assert_int_equal(got.meta.version, 1);
    assert_int_equal(got.meta.updated_by, 0);
    assert_string_equal(got.password_hash, u.password_hash);
    assert_true(gj_password_verify(got.password_hash, "correct horse"));
    assert_false(gj_password_verify(got.password_hash, "wrong horse"));
    assert_int_equal(users_count(db), 1);

    /* A second user created by the first: updated_by records the actor. */
    struct gj_user v = make_user("li-si_2", "李四", "manager");
    snprintf(v.rank, sizeof v.rank, "%s", "head");
    assert_int_equal(gj_user_create(db, u.id, &v, "another pass", &err), GJ_OK);
    assert_int_equal(gj_user_get(db, v.id, &got, &err), GJ_OK);
    assert_string_equal(got.rank, "head");
    assert_int_equal(got.meta.updated_by, u.id);
    assert_int_equal(users_count(db), 2);

    assert_int_equal(gj_user_get(db, 999, &got, &err), GJ_ENOTFOUND);
    gj_db_close(db);
}

static void test_by_login_ignores_case(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t id = add_user(db, 0, "Wang.Wu", "supervisor");
    struct gj_user got;
    assert_int_equal(gj_user_by_login(db, "wang.wu", &got, &err), GJ_OK);
    assert_int_equal(got.id, id);
    assert_string_equal(got.login, "Wang.Wu");
    assert_int_equal(gj_user_by_login(db, "WANG.WU", &got, &err), GJ_OK);
    assert_int_equal(got.id, id);
    assert_int_equal(gj_user_by_login(db, "wang.liu", &got, &err), GJ_ENOTFOUND);
    assert_non_null(strstr(err.msg, "wang.liu"));
    gj_db_close(db);
}

static void test_duplicate_login_refused(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    add_user(db, 0, "zhao", "butler");
    int64_t audits = audit_count(db);
    struct gj_user dup = make_user("ZHAO", "Another Zhao", "butler");
    assert_int_equal(gj_user_create(db, 0, &dup, "secret-456", &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "login name is taken"));
    assert_int_equal(users_count(db), 1);
    assert_int_equal(audit_count(db), audits); /* nothing half-written */
    gj_db_close(db);
}

static void expect_invalid(struct gj_db *db, struct gj_user u, const char *password,
                           const char *field)
{
    struct gj_error err;
    int64_t audits = audit_count(db);
    assert_int_equal(gj_user_create(db, 0, &u, password, &err), GJ_EINVAL);
    if (strncmp(err.msg, field, strlen(field)) != 0)
        fail_msg("expected a message about %s, got: %s", field, err.msg);
    assert_int_equal(users_count(db), 0);
    assert_int_equal(audit_count(db), audits);
}

static void test_validation(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    expect_invalid(db, make_user("a", "Name", "butler"), "secret-123", "login:");
    expect_invalid(db, make_user("has space", "Name", "butler"), "secret-123", "login:");
    expect_invalid(db, make_user("张三", "Name", "butler"), "secret-123", "login:");
    expect_invalid(db, make_user("a/b", "Name", "butler"), "secret-123", "login:");
    /* 33 characters do not fit the struct: check the rule itself. */
    struct gj_error err;
    assert_int_equal(gj_login_validate("abcdefghijklmnopqrstuvwxyz0123456", &err), GJ_EINVAL);
    assert_int_equal(gj_login_validate("abcdefghijklmnopqrstuvwxyz012345", &err), GJ_OK);
    expect_invalid(db, make_user("ok", "", "butler"), "secret-123", "name:");
    expect_invalid(db, make_user("ok", "   ", "butler"), "secret-123", "name:");
    expect_invalid(db, make_user("ok", "Name", "boss"), "secret-123", "role:");
    struct gj_user r = make_user("ok", "Name", "butler");
    snprintf(r.rank, sizeof r.rank, "%s", "king");
    expect_invalid(db, r, "secret-123", "rank:");
    expect_invalid(db, make_user("ok", "Name", "butler"), "short", "password:");
    expect_invalid(db, make_user("ok", "Name", "butler"), NULL, "password:");
    gj_db_close(db);
}

static void test_update_is_version_checked(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t boss = add_user(db, 0, "boss", "manager");
    struct gj_user u = make_user("clerk", "Clerk", "trainee");
    assert_int_equal(gj_user_create(db, boss, &u, "secret-123", &err), GJ_OK);
    char hash[128];
    snprintf(hash, sizeof hash, "%s", u.password_hash);

    struct gj_user stale = u;
    setenv("GUANJIA_NOW", "2026-11-29T10:00", 1);
    snprintf(u.name, sizeof u.name, "%s", "Senior Clerk");
    snprintf(u.role, sizeof u.role, "%s", "butler");
    snprintf(u.rank, sizeof u.rank, "%s", "assistant");
    /* A stale hash in the struct must not reach the row. */
    snprintf(u.password_hash, sizeof u.password_hash, "%s", "not-a-hash-at-all-xxxxxxxxxx");
    assert_int_equal(gj_user_update(db, boss, &u, &err), GJ_OK);
    assert_int_equal(u.meta.version, 2);

    struct gj_user got;
    assert_int_equal(gj_user_get(db, u.id, &got, &err), GJ_OK);
    assert_string_equal(got.name, "Senior Clerk");
    assert_string_equal(got.role, "butler");
    assert_string_equal(got.rank, "assistant");
    assert_string_equal(got.password_hash, hash);
    assert_int_equal(got.meta.version, 2);
    assert_int_equal(got.meta.updated_by, boss);
    assert_int_equal(got.meta.updated_at, gj_now());

    snprintf(stale.name, sizeof stale.name, "%s", "Overwritten");
    assert_int_equal(gj_user_update(db, boss, &stale, &err), GJ_ECONFLICT);
    assert_non_null(strstr(err.msg, "clerk"));
    assert_int_equal(gj_user_get(db, u.id, &got, &err), GJ_OK);
    assert_string_equal(got.name, "Senior Clerk");
    assert_int_equal(got.meta.version, 2);

    /* Validation on update, and a vanished row. */
    snprintf(got.role, sizeof got.role, "%s", "king");
    assert_int_equal(gj_user_update(db, boss, &got, &err), GJ_EINVAL);
    assert_int_equal(strncmp(err.msg, "role:", 5), 0);
    struct gj_user ghost = make_user("ghost", "Ghost", "butler");
    ghost.id = 999;
    ghost.meta.version = 1;
    assert_int_equal(gj_user_update(db, boss, &ghost, &err), GJ_ENOTFOUND);

    /* A login taken by another user, in another case. */
    assert_int_equal(gj_user_get(db, u.id, &got, &err), GJ_OK);
    snprintf(got.login, sizeof got.login, "%s", "BOSS");
    assert_int_equal(gj_user_update(db, boss, &got, &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "login name is taken"));
    gj_db_close(db);
}

static void test_set_password(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    struct gj_user u = make_user("pw.user", "PW", "butler");
    assert_int_equal(gj_user_create(db, 0, &u, "first-pass", &err), GJ_OK);
    struct gj_user stale = u;
    /* Locked out, then the manager sets a new password: the lock goes. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(gj_user_login_failed(db, u.id, gj_now(), 5, 300, &err), GJ_OK);
    assert_int_equal(gj_user_get(db, u.id, &u, &err), GJ_OK);
    assert_true(u.locked_until > 0);

    assert_int_equal(gj_user_set_password(db, 0, &u, "x", &err), GJ_EINVAL);
    assert_int_equal(strncmp(err.msg, "password:", 9), 0);
    assert_int_equal(gj_user_set_password(db, 0, &u, "second-pass", &err), GJ_OK);
    assert_int_equal(u.meta.version, 7);
    struct gj_user got;
    assert_int_equal(gj_user_get(db, u.id, &got, &err), GJ_OK);
    assert_int_equal(got.meta.version, 7);
    assert_true(gj_password_verify(got.password_hash, "second-pass"));
    assert_false(gj_password_verify(got.password_hash, "first-pass"));
    assert_string_equal(got.password_hash, u.password_hash);
    assert_int_equal(got.failed_logins, 0);
    assert_int_equal(got.locked_until, 0);

    /* A stale version is refused and the password stays. */
    assert_int_equal(gj_user_set_password(db, 0, &stale, "third-pass", &err), GJ_ECONFLICT);
    assert_int_equal(gj_user_get(db, u.id, &got, &err), GJ_OK);
    assert_true(gj_password_verify(got.password_hash, "second-pass"));
    assert_int_equal(got.meta.version, 7);
    gj_db_close(db);
}

static void test_list_paging(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    const char *logins[] = {"delta", "Alpha", "charlie", "Echo", "bravo", "golf", "Foxtrot"};
    const char *sorted[] = {"Alpha", "bravo", "charlie", "delta", "Echo", "Foxtrot", "golf"};
    for (size_t i = 0; i < 7; i++)
        add_user(db, 0, logins[i], "butler");
    assert_int_equal(users_count(db), 7);

    struct gj_user rows[3];
    char after[33] = "";
    size_t seen = 0;
    int pages = 0, n;
    do {
        assert_int_equal(gj_users_list(db, after, 3, rows, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++) {
            assert_true(seen < 7);
            assert_string_equal(rows[i].login, sorted[seen]);
            seen++;
        }
        if (n > 0)
            snprintf(after, sizeof after, "%s", rows[n - 1].login);
        pages++;
    } while (n == 3);
    assert_int_equal(seen, 7);
    assert_int_equal(pages, 3);

    /* NULL starts from the beginning too. */
    assert_int_equal(gj_users_list(db, NULL, 2, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].login, "Alpha");
    gj_db_close(db);
}

static void test_lockout_and_reset(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t id = add_user(db, 0, "door", "butler");
    int64_t now = gj_now();
    struct gj_user got;

    for (int i = 1; i <= 4; i++) {
        assert_int_equal(gj_user_login_failed(db, id, now + i, 5, 300, &err), GJ_OK);
        assert_int_equal(gj_user_get(db, id, &got, &err), GJ_OK);
        assert_int_equal(got.failed_logins, i);
        assert_int_equal(got.locked_until, 0);
        assert_int_equal(got.meta.version, 1 + i);
        assert_int_equal(got.meta.updated_at, now + i);
        assert_int_equal(got.meta.updated_by, 0);
    }
    assert_int_equal(gj_user_login_failed(db, id, now + 5, 5, 300, &err), GJ_OK);
    assert_int_equal(gj_user_get(db, id, &got, &err), GJ_OK);
    assert_int_equal(got.failed_logins, 5);
    assert_int_equal(got.locked_until, now + 5 + 300);
    assert_int_equal(got.meta.version, 6);

    /* A success clears both. */
    assert_int_equal(gj_user_login_ok(db, id, &err), GJ_OK);
    assert_int_equal(gj_user_get(db, id, &got, &err), GJ_OK);
    assert_int_equal(got.failed_logins, 0);
    assert_int_equal(got.locked_until, 0);
    assert_int_equal(got.meta.version, 7);

    /* With nothing to clear, a success writes nothing at all. */
    int64_t audits = audit_count(db);
    assert_int_equal(gj_user_login_ok(db, id, &err), GJ_OK);
    assert_int_equal(gj_user_get(db, id, &got, &err), GJ_OK);
    assert_int_equal(got.meta.version, 7);
    assert_int_equal(audit_count(db), audits);

    /* The count starts again after the reset. */
    assert_int_equal(gj_user_login_failed(db, id, now, 5, 300, &err), GJ_OK);
    assert_int_equal(gj_user_get(db, id, &got, &err), GJ_OK);
    assert_int_equal(got.failed_logins, 1);
    assert_int_equal(got.locked_until, 0);

    assert_int_equal(gj_user_login_failed(db, 999, now, 5, 300, &err), GJ_ENOTFOUND);
    assert_int_equal(gj_user_login_ok(db, 999, &err), GJ_ENOTFOUND);
    assert_int_equal(gj_user_login_failed(db, id, now, 0, 300, &err), GJ_EINVAL);
    assert_int_equal(gj_user_login_failed(db, id, now, 5, -1, &err), GJ_EINVAL);
    gj_db_close(db);
}

static void test_audit_never_holds_the_hash(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    struct gj_user u = make_user("audited", "Audited", "butler");
    assert_int_equal(gj_user_create(db, 0, &u, "plain-text-pw", &err), GJ_OK);
    assert_int_equal(gj_user_set_password(db, 0, &u, "plain-text-pw2", &err), GJ_OK);
    snprintf(u.name, sizeof u.name, "%s", "Audited Again");
    assert_int_equal(gj_user_update(db, 0, &u, &err), GJ_OK);
    assert_int_equal(gj_user_login_failed(db, u.id, gj_now(), 5, 300, &err), GJ_OK);
    assert_int_equal(gj_user_login_ok(db, u.id, &err), GJ_OK);

    struct gj_audit_entry rows[16];
    int n;
    assert_int_equal(gj_audit_of_entity(db, "users", u.id, 0, 16, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 5); /* insert, password, update, failure, success */
    assert_string_equal(rows[n - 1].action, "insert");
    assert_non_null(rows[n - 1].new_values);
    assert_non_null(strstr(rows[n - 1].new_values, "\"login\":\"audited\""));
    for (int i = 0; i < n; i++) {
        const char *vals[2] = {rows[i].old_values, rows[i].new_values};
        for (int k = 0; k < 2; k++) {
            if (!vals[k])
                continue;
            assert_null(strstr(vals[k], "argon2"));
            assert_null(strstr(vals[k], "password"));
            assert_null(strstr(vals[k], "plain-text"));
            assert_null(strstr(vals[k], u.password_hash));
        }
    }
    gj_audit_entries_free(rows, n);
    gj_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_get_round_trip),
        cmocka_unit_test(test_by_login_ignores_case),
        cmocka_unit_test(test_duplicate_login_refused),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_update_is_version_checked),
        cmocka_unit_test(test_set_password),
        cmocka_unit_test(test_list_paging),
        cmocka_unit_test(test_lockout_and_reset),
        cmocka_unit_test(test_audit_never_holds_the_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
