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
#include "guanjia/repo_contacts.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_users.h"

struct fixture {
    struct gj_db *db;
    int64_t user, unit, unit2, person;
};

static int setup(void **state)
{
    struct gj_error err;
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &f->db, &err), GJ_OK);

    struct gj_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.login, sizeof u.login, "%s", "desk");
    snprintf(u.name, sizeof u.name, "%s", "Front Desk");
    snprintf(u.role, sizeof u.role, "%s", "butler");
    assert_int_equal(gj_user_create(f->db, 0, &u, "secret-123", &err), GJ_OK);
    f->user = u.id;

    for (int i = 0; i < 2; i++) {
        struct gj_unit unit;
        memset(&unit, 0, sizeof unit);
        unit.building = 1;
        unit.entrance = 1;
        unit.room = 501 + i;
        unit.area_centi_m2 = 8900;
        unit.delivered_at = gj_now();
        assert_int_equal(gj_unit_create(f->db, 0, &unit, &err), GJ_OK);
        if (i == 0)
            f->unit = unit.id;
        else
            f->unit2 = unit.id;
    }
    struct gj_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", "张三");
    assert_int_equal(gj_person_create(f->db, 0, &p, &err), GJ_OK);
    f->person = p.id;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    gj_db_close(f->db);
    free(f);
    return 0;
}

static struct gj_contact make_contact(int64_t unit, int64_t person, const char *summary)
{
    struct gj_contact c;
    memset(&c, 0, sizeof c);
    c.unit_id = unit;
    c.person_id = person;
    snprintf(c.channel, sizeof c.channel, "%s", "phone");
    snprintf(c.summary, sizeof c.summary, "%s", summary);
    return c;
}

static int64_t audit_count(struct gj_db *db)
{
    struct gj_error err;
    int64_t n = -1;
    assert_int_equal(gj_audit_count(db, &n, &err), GJ_OK);
    return n;
}

static int unit_contacts(struct gj_db *db, int64_t unit)
{
    struct gj_error err;
    struct gj_contact rows[16];
    int n;
    assert_int_equal(gj_contacts_of_unit(db, unit, 0, 0, 16, rows, &n, &err), GJ_OK);
    return n;
}

static void test_add_round_trip(void **state)
{
    struct fixture *f = *state;
    struct gj_error err;
    int64_t audits = audit_count(f->db);
    struct gj_contact c = make_contact(f->unit, f->person, "询问物业费缴纳方式");
    snprintf(c.channel, sizeof c.channel, "%s", "wechat");
    snprintf(c.result, sizeof c.result, "%s", "已告知微信缴费\n并发送账单");
    assert_int_equal(gj_contact_add(f->db, f->user, &c, &err), GJ_OK);
    assert_true(c.id > 0);
    assert_int_equal(c.at, gj_now());
    assert_int_equal(c.user_id, f->user);
    assert_int_equal(audit_count(f->db), audits + 1);

    struct gj_contact rows[4];
    int n;
    assert_int_equal(gj_contacts_of_unit(f->db, f->unit, 0, 0, 4, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, c.id);
    assert_int_equal(rows[0].unit_id, f->unit);
    assert_int_equal(rows[0].person_id, f->person);
    assert_string_equal(rows[0].channel, "wechat");
    assert_string_equal(rows[0].summary, "询问物业费缴纳方式");
    assert_string_equal(rows[0].result, "已告知微信缴费\n并发送账单");
    assert_int_equal(rows[0].work_order_id, 0);
    assert_int_equal(rows[0].complaint_id, 0);
    assert_int_equal(rows[0].at, gj_now());
    assert_int_equal(rows[0].user_id, f->user);
    assert_int_equal(gj_contacts_of_person(f->db, f->person, 0, 0, 4, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, c.id);

    /* A person only, or a unit only. */
    struct gj_contact p = make_contact(0, f->person, "walk-in visit");
    assert_int_equal(gj_contact_add(f->db, 0, &p, &err), GJ_OK);
    struct gj_contact u = make_contact(f->unit2, 0, "no answer");
    assert_int_equal(gj_contact_add(f->db, f->user, &u, &err), GJ_OK);
    assert_int_equal(gj_contacts_of_person(f->db, f->person, 0, 0, 4, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].unit_id, 0);
    assert_int_equal(rows[0].user_id, 0);
    assert_int_equal(unit_contacts(f->db, f->unit), 1);
    assert_int_equal(unit_contacts(f->db, f->unit2), 1);
}

static void expect_refused(struct fixture *f, struct gj_contact c, int code, const char *part)
{
    struct gj_error err;
    int64_t audits = audit_count(f->db);
    assert_int_equal(gj_contact_add(f->db, f->user, &c, &err), code);
    if (!strstr(err.msg, part))
        fail_msg("expected a message with \"%s\", got: %s", part, err.msg);
    assert_int_equal(audit_count(f->db), audits);
    assert_int_equal(unit_contacts(f->db, f->unit), 0);
}

static void test_validation(void **state)
{
    struct fixture *f = *state;
    expect_refused(f, make_contact(0, 0, "who?"), GJ_EINVAL, "unit or person:");
    struct gj_contact c = make_contact(f->unit, 0, "x");
    snprintf(c.channel, sizeof c.channel, "%s", "fax");
    expect_refused(f, c, GJ_EINVAL, "channel:");
    expect_refused(f, make_contact(f->unit, 0, ""), GJ_EINVAL, "summary:");
    expect_refused(f, make_contact(f->unit, 0, " \n "), GJ_EINVAL, "summary:");
    c = make_contact(f->unit, 0, "");
    memset(c.summary, 'x', 2001);
    c.summary[2001] = '\0';
    expect_refused(f, c, GJ_EINVAL, "summary:");
    c = make_contact(f->unit, 0, "ok");
    memset(c.result, 'y', 2001);
    c.result[2001] = '\0';
    expect_refused(f, c, GJ_EINVAL, "result:");
    c = make_contact(999, 0, "ghost unit");
    expect_refused(f, c, GJ_ECONSTRAINT, "does not exist");
    c = make_contact(f->unit, 0, "ghost order");
    c.work_order_id = 12345;
    expect_refused(f, c, GJ_ECONSTRAINT, "does not exist");
}

static void test_paging_newest_first(void **state)
{
    struct fixture *f = *state;
    struct gj_error err;
    /* Out-of-order times and ties: order is (at desc, id desc). */
    const char *times[] = {"2026-11-29T09:00", "2026-11-29T11:00", "2026-11-28T09:00",
                           "2026-11-29T11:00", "2026-11-29T09:00", "2026-11-30T08:00",
                           "2026-11-29T11:00"};
    int64_t ids[7];
    for (int i = 0; i < 7; i++) {
        setenv("GUANJIA_NOW", times[i], 1);
        char summary[32];
        snprintf(summary, sizeof summary, "call %d", i);
        struct gj_contact c = make_contact(f->unit, 0, summary);
        assert_int_equal(gj_contact_add(f->db, f->user, &c, &err), GJ_OK);
        ids[i] = c.id;
    }
    struct gj_contact other = make_contact(f->unit2, 0, "elsewhere");
    assert_int_equal(gj_contact_add(f->db, f->user, &other, &err), GJ_OK);

    int64_t want[] = {ids[5], ids[6], ids[3], ids[1], ids[4], ids[0], ids[2]};
    struct gj_contact rows[3];
    int64_t at = 0, id = 0;
    int seen = 0, n, pages = 0;
    do {
        assert_int_equal(gj_contacts_of_unit(f->db, f->unit, at, id, 3, rows, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++) {
            assert_true(seen < 7);
            assert_int_equal(rows[i].id, want[seen]);
            seen++;
        }
        if (n) {
            at = rows[n - 1].at;
            id = rows[n - 1].id;
        }
        pages++;
    } while (n == 3);
    assert_int_equal(seen, 7);
    assert_int_equal(pages, 3);
}

static void test_audited_with_actor(void **state)
{
    struct fixture *f = *state;
    struct gj_error err;
    struct gj_contact c = make_contact(f->unit, f->person, "回访");
    assert_int_equal(gj_contact_add(f->db, f->user, &c, &err), GJ_OK);
    struct gj_audit_entry a[2];
    int n;
    assert_int_equal(gj_audit_of_entity(f->db, "contact_log", c.id, 0, 2, a, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].action, "insert");
    assert_int_equal(a[0].user_id, f->user);
    assert_int_equal(a[0].at, c.at);
    assert_null(a[0].old_values);
    assert_non_null(strstr(a[0].new_values, "\"summary\":\"回访\""));
    gj_audit_entries_free(a, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_add_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_newest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audited_with_actor, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
