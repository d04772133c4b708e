/* repo/community (schema 7): notices and their audiences, activities with
 * capacity and one sign-up per unit, patrols and findings, a finding
 * turned into a work order in one transaction, drills, incidents and the
 * rule that one closes only with its actions recorded; conflicts, roles,
 * the audit rows, the rules the database keeps by itself, no deletes, and
 * migration 7 applied again over itself. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_community.h"
#include "guanjia/repo_settings.h"
#include "guanjia/repo_workorders.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR INT64_C(3600)
#define DAY  (24 * HOUR)

/* ---- fixture -------------------------------------------------------------- */

struct fx {
    struct gj_db *db;
    int64_t now;
    int64_t butler, other; /* users: 王管家 (butler), 李主管 (supervisor) */
    int64_t u1, u2, u3;    /* units 3-1-502 and 3-1-601 (building 3), 5-2-1201 */
    struct gj_error err;
};

static int64_t add_unit(struct gj_db *db, int building, int entrance, int room)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO units(building, entrance, floor, room, area_centi_m2, delivered_at, "
             "created_at, updated_at) VALUES (%d, %d, %d, %d, 8950, 1, 1, 1)",
             building, entrance, room / 100, room);
    return gj_test_exec(db->h, sql);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    if (gj_db_open(":memory:", GJ_DB_CREATE, &f->db, &f->err) != GJ_OK)
        fail_msg("open: %s", f->err.msg);
    f->now = gj_now();
    f->butler = gj_test_add_user(f->db->h, "wang", "王管家", "butler");
    f->other = gj_test_add_user(f->db->h, "li", "李主管", "supervisor");
    f->u1 = add_unit(f->db, 3, 1, 502);
    f->u2 = add_unit(f->db, 3, 1, 601);
    f->u3 = add_unit(f->db, 5, 2, 1201);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    gj_db_close(f->db);
    free(f);
    return 0;
}

static void expect_msg(const struct gj_error *err, const char *part)
{
    if (!strstr(err->msg, part))
        fail_msg("message \"%s\" does not say \"%s\"", err->msg, part);
}

static int64_t scalar(struct fx *f, const char *sql, int64_t id)
{
    return gj_test_scalar(f->db->h, sql, id);
}

/* Runs sql behind the repository's back; it must be refused, with a
 * message naming rule. Then the message the program would show is the
 * mapped one, saying shown. */
static void expect_db_refuses(struct fx *f, const char *sql, const char *rule, const char *shown)
{
    int rc = sqlite3_exec(f->db->h, sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        fail_msg("the database accepted: %s", sql);
    if (!strstr(sqlite3_errmsg(f->db->h), rule))
        fail_msg("refused for \"%s\", not by %s: %s", sqlite3_errmsg(f->db->h), rule, sql);
    if (shown) {
        struct gj_error err;
        assert_int_equal(gj_db_fail(f->db, rc, "x", &err), GJ_ECONSTRAINT);
        if (!strstr(err.msg, shown))
            fail_msg("shown as \"%s\", not \"%s\"", err.msg, shown);
    }
}

/* ---- notices -------------------------------------------------------------- */

static struct gj_notice *notice(const char *title, const char *audience, int building, int64_t unit,
                                int64_t from, int64_t to)
{
    struct gj_notice *n = calloc(1, sizeof *n);
    snprintf(n->title, sizeof n->title, "%s", title);
    snprintf(n->body, sizeof n->body, "%s：详情请咨询物业服务中心。", title);
    snprintf(n->audience, sizeof n->audience, "%s", audience);
    n->building = building;
    n->unit_id = unit;
    n->valid_from = from;
    n->valid_to = to;
    return n;
}

/* The titles of the notices valid now for (unit, building), "|"-joined,
 * read page by page (two a page) to check the paging too. */
static const char *valid_titles(struct fx *f, int64_t at, int64_t unit, int building)
{
    static char out[1024];
    out[0] = '\0';
    struct gj_notice *rows = calloc(2, sizeof *rows);
    int64_t from = INT64_MAX, id = INT64_MAX;
    for (;;) {
        int n = 0;
        gj_test_must(gj_notices_valid(f->db, GJ_ROLE_TRAINEE, at, unit, building, from, id, 2, rows,
                                      &n, &f->err),
                     &f->err);
        for (int i = 0; i < n; i++) {
            if (out[0])
                strcat(out, "|");
            strcat(out, rows[i].title);
        }
        if (n < 2)
            break;
        from = rows[n - 1].valid_from;
        id = rows[n - 1].id;
    }
    free(rows);
    return out;
}

static void test_notices_audiences(void **state)
{
    struct fx *f = *state;
    int64_t t = f->now;
    /* Posted in this order: the list shows the latest valid_from first. */
    struct gj_notice *ns[] = {
        notice("停水通知", "estate", 0, 0, t - 3 * DAY, t + DAY),
        notice("3栋电梯检修", "building", 3, 0, t - 2 * DAY, t + 2 * DAY),
        notice("5栋外墙清洗", "building", 5, 0, t - 2 * DAY + 60, t + 2 * DAY),
        notice("502室快递代收", "unit", 0, f->u1, t - DAY, t + DAY),
        notice("601室水表更换", "unit", 0, f->u2, t - DAY + 60, t + DAY),
        notice("国庆安排", "estate", 0, 0, t - 60 * DAY, t - 50 * DAY), /* over */
        notice("元旦活动预告", "estate", 0, 0, t + DAY, t + 9 * DAY),   /* not yet */
        notice("消防检查", "estate", 0, 0, t - HOUR, t),                /* ends now: valid */
    };
    int count = (int)(sizeof ns / sizeof ns[0]);
    for (int i = 0; i < count; i++)
        gj_test_must(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, ns[i], &f->err), &f->err);
    assert_true(ns[0]->id > 0);
    assert_int_equal(ns[0]->meta.version, 1);
    assert_int_equal(ns[0]->created_by, f->butler);

    /* What a unit's owners see: the estate's, their building's, their own. */
    assert_string_equal(valid_titles(f, t, f->u1, 0),
                        "消防检查|502室快递代收|3栋电梯检修|停水通知");
    assert_string_equal(valid_titles(f, t, f->u2, 0),
                        "消防检查|601室水表更换|3栋电梯检修|停水通知");
    assert_string_equal(valid_titles(f, t, f->u3, 0), "消防检查|5栋外墙清洗|停水通知");
    /* A building: the estate's and the building's, not its units'. */
    assert_string_equal(valid_titles(f, t, 0, 3), "消防检查|3栋电梯检修|停水通知");
    /* The front desk's board: every valid notice. */
    assert_string_equal(valid_titles(f, t, 0, 0),
                        "消防检查|601室水表更换|502室快递代收|5栋外墙清洗|3栋电梯检修|停水通知");
    /* Another time, other notices. */
    assert_string_equal(valid_titles(f, t + 2 * DAY, f->u1, 0), "元旦活动预告|3栋电梯检修");
    /* An unknown unit is said so. */
    struct gj_notice row;
    int n = 0;
    assert_int_equal(gj_notices_valid(f->db, GJ_ROLE_BUTLER, t, 999, 0, INT64_MAX, INT64_MAX, 1,
                                      &row, &n, &f->err),
                     GJ_ENOTFOUND);

    /* Withdrawn: gone from the lists, kept on record, once only. */
    gj_test_must(gj_notice_withdraw(f->db, f->butler, GJ_ROLE_BUTLER, ns[1], &f->err), &f->err);
    assert_int_equal(ns[1]->withdrawn, 1);
    assert_int_equal(ns[1]->meta.version, 2);
    assert_string_equal(valid_titles(f, t, f->u1, 0), "消防检查|502室快递代收|停水通知");
    struct gj_notice *got = calloc(1, sizeof *got);
    gj_test_must(gj_notice_get(f->db, GJ_ROLE_TRAINEE, ns[1]->id, got, &f->err), &f->err);
    assert_int_equal(got->withdrawn, 1);
    assert_int_equal(gj_notice_withdraw(f->db, f->butler, GJ_ROLE_BUTLER, ns[1], &f->err),
                     GJ_EINVAL);
    expect_msg(&f->err, "already been withdrawn");
    assert_int_equal(gj_notice_update(f->db, f->butler, GJ_ROLE_BUTLER, ns[1], &f->err), GJ_EINVAL);
    expect_msg(&f->err, "withdrawn");

    for (int i = 0; i < count; i++)
        free(ns[i]);
    free(got);
}

static void test_notice_rules_and_conflict(void **state)
{
    struct fx *f = *state;
    int64_t t = f->now;
    struct gj_notice *n = notice("停车场划线", "building", 0, 0, t, t + DAY);
    /* What each audience needs, and nothing else. */
    assert_int_equal(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, n, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "building");
    n->building = 3;
    n->unit_id = f->u1;
    assert_int_equal(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, n, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "unit");
    snprintf(n->audience, sizeof n->audience, "%s", "unit");
    n->building = 0;
    n->unit_id = 0;
    assert_int_equal(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, n, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "unit");
    snprintf(n->audience, sizeof n->audience, "%s", "estate");
    n->building = 3;
    assert_int_equal(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, n, &f->err), GJ_EINVAL);
    snprintf(n->audience, sizeof n->audience, "%s", "floor");
    n->building = 0;
    assert_int_equal(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, n, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "audience");
    snprintf(n->audience, sizeof n->audience, "%s", "estate");
    n->valid_to = t - 1;
    assert_int_equal(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, n, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "valid until");
    n->valid_to = t + DAY;
    snprintf(n->title, sizeof n->title, "%s", "\xe3\x80\x80 ");
    assert_int_equal(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, n, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "title");
    memset(n->title, 'a', 101);
    n->title[101] = '\0';
    assert_int_equal(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, n, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "too long");
    n->body[0] = '\0';
    snprintf(n->title, sizeof n->title, "%s", "停车场划线");
    assert_int_equal(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, n, &f->err), GJ_EINVAL);
    snprintf(n->body, sizeof n->body, "%s", "本周六地面停车场重新划线，请提前挪车。\n谢谢配合！");
    /* A trainee reads, does not post. */
    assert_int_equal(gj_notice_create(f->db, f->butler, GJ_ROLE_TRAINEE, n, &f->err), GJ_EPERM);
    assert_int_equal(scalar(f, "SELECT count(*) FROM notices", 0), 0);
    gj_test_must(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, n, &f->err), &f->err);

    /* Changed to one building, version-checked. */
    struct gj_notice *stale = calloc(1, sizeof *stale);
    *stale = *n;
    snprintf(n->audience, sizeof n->audience, "%s", "building");
    n->building = 5;
    gj_test_must(gj_notice_update(f->db, f->other, GJ_ROLE_SUPERVISOR, n, &f->err), &f->err);
    assert_int_equal(n->meta.version, 2);
    struct gj_notice *got = calloc(1, sizeof *got);
    gj_test_must(gj_notice_get(f->db, GJ_ROLE_BUTLER, n->id, got, &f->err), &f->err);
    assert_string_equal(got->audience, "building");
    assert_int_equal(got->building, 5);
    assert_string_equal(got->body, n->body);
    assert_int_equal(got->meta.version, 2);
    assert_int_equal(got->meta.updated_by, f->other);
    /* The stale copy names who changed it; nothing is written. */
    snprintf(stale->title, sizeof stale->title, "%s", "改错了");
    assert_int_equal(gj_notice_update(f->db, f->butler, GJ_ROLE_BUTLER, stale, &f->err),
                     GJ_ECONFLICT);
    expect_msg(&f->err, "李主管");
    assert_int_equal(gj_notice_withdraw(f->db, f->butler, GJ_ROLE_BUTLER, stale, &f->err),
                     GJ_ECONFLICT);
    gj_test_must(gj_notice_get(f->db, GJ_ROLE_BUTLER, n->id, got, &f->err), &f->err);
    assert_string_equal(got->title, "停车场划线");
    assert_int_equal(got->withdrawn, 0);
    stale->id = 999;
    assert_int_equal(gj_notice_update(f->db, f->butler, GJ_ROLE_BUTLER, stale, &f->err),
                     GJ_ENOTFOUND);

    /* The database keeps the audience rule itself. */
    expect_db_refuses(f,
                      "INSERT INTO notices(title, body, audience, building, valid_from, valid_to, "
                      "created_at, updated_at) VALUES ('t', 'b', 'unit', 3, 1, 2, 1, 1)",
                      "notices_target", "names the building");
    expect_db_refuses(f,
                      "INSERT INTO notices(title, body, audience, valid_from, valid_to, "
                      "created_at, updated_at) VALUES ('t', 'b', 'estate', 2, 1, 1, 1)",
                      "notices_valid_order", "cannot end before it starts");
    free(n);
    free(stale);
    free(got);
}

/* ---- activities and sign-ups ---------------------------------------------- */

static struct gj_activity *activity(const char *title, int64_t starts, int64_t ends, int capacity)
{
    struct gj_activity *a = calloc(1, sizeof *a);
    snprintf(a->title, sizeof a->title, "%s", title);
    snprintf(a->place, sizeof a->place, "%s", "会所多功能厅");
    a->starts_at = starts;
    a->ends_at = ends;
    a->capacity = capacity;
    return a;
}

static struct gj_signup signup(int64_t activity_id, int64_t unit, int people)
{
    return (struct gj_signup){.activity_id = activity_id, .unit_id = unit, .people = people};
}

static void test_signups_capacity_and_duplicates(void **state)
{
    struct fx *f = *state;
    int64_t t = f->now;
    struct gj_activity *a = activity("亲子手工课", t + DAY, t + DAY + 2 * HOUR, 5);
    gj_test_must(gj_activity_create(f->db, f->butler, GJ_ROLE_BUTLER, a, &f->err), &f->err);

    struct gj_signup s1 = signup(a->id, f->u1, 2);
    gj_test_must(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s1, &f->err), &f->err);
    assert_true(s1.id > 0);
    assert_int_equal(s1.at, t);
    assert_int_equal(s1.by_user, f->butler);

    /* The same unit again: refused, naming the unit and its sign-up. */
    struct gj_signup again = signup(a->id, f->u1, 1);
    assert_int_equal(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &again, &f->err),
                     GJ_ECONSTRAINT);
    expect_msg(&f->err, "3-1-502");
    expect_msg(&f->err, "already signed up");
    assert_int_equal(again.id, 0);

    /* More people than the places left: refused, saying how many are left. */
    struct gj_signup s2 = signup(a->id, f->u2, 4);
    assert_int_equal(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s2, &f->err), GJ_ECONSTRAINT);
    expect_msg(&f->err, "only 3 of the activity's 5 places are left");
    s2.people = 3;
    gj_test_must(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s2, &f->err), &f->err);
    struct gj_signup s3 = signup(a->id, f->u3, 1);
    assert_int_equal(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s3, &f->err), GJ_ECONSTRAINT);
    expect_msg(&f->err, "full");
    int people = 0, units = 0;
    gj_test_must(gj_activity_signed_up(f->db, GJ_ROLE_TRAINEE, a->id, &people, &units, &f->err),
                 &f->err);
    assert_int_equal(people, 5);
    assert_int_equal(units, 2);
    assert_int_equal(scalar(f, "SELECT count(*) FROM activity_signups", 0), 2);

    /* Cancelling frees the places, and the unit may sign up anew. */
    struct gj_signup stale = s1;
    gj_test_must(gj_signup_cancel(f->db, f->other, GJ_ROLE_SUPERVISOR, &s1, &f->err), &f->err);
    assert_int_equal(s1.cancelled, 1);
    assert_int_equal(s1.meta.version, 2);
    assert_int_equal(gj_signup_cancel(f->db, f->butler, GJ_ROLE_BUTLER, &s1, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "already been cancelled");
    assert_int_equal(gj_signup_cancel(f->db, f->butler, GJ_ROLE_BUTLER, &stale, &f->err),
                     GJ_ECONFLICT);
    expect_msg(&f->err, "李主管");
    gj_test_must(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s3, &f->err), &f->err);
    again.people = 1;
    gj_test_must(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &again, &f->err), &f->err);
    gj_test_must(gj_activity_signed_up(f->db, GJ_ROLE_BUTLER, a->id, &people, &units, &f->err),
                 &f->err);
    assert_int_equal(people, 5);
    assert_int_equal(units, 3);
    struct gj_signup rows[8];
    int n = 0;
    gj_test_must(gj_signups_list(f->db, GJ_ROLE_TRAINEE, a->id, 0, 0, 8, rows, &n, &f->err),
                 &f->err);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, s2.id);
    assert_int_equal(rows[2].id, again.id);
    gj_test_must(gj_signups_list(f->db, GJ_ROLE_TRAINEE, a->id, 1, 0, 8, rows, &n, &f->err),
                 &f->err);
    assert_int_equal(n, 4);
    assert_int_equal(rows[0].cancelled, 1);
    gj_test_must(
        gj_signups_list(f->db, GJ_ROLE_TRAINEE, a->id, 1, rows[1].id, 8, rows, &n, &f->err),
        &f->err);
    assert_int_equal(n, 2);
    struct gj_signup got;
    gj_test_must(gj_signup_get(f->db, GJ_ROLE_TRAINEE, s1.id, &got, &f->err), &f->err);
    assert_int_equal(got.cancelled, 1);
    assert_int_equal(got.people, 2);

    /* The capacity cannot go below the people signed up. */
    struct gj_activity *copy = calloc(1, sizeof *copy);
    gj_test_must(gj_activity_get(f->db, GJ_ROLE_BUTLER, a->id, copy, &f->err), &f->err);
    assert_int_equal(copy->signed_up, 5);
    a->capacity = 4;
    assert_int_equal(gj_activity_update(f->db, f->butler, GJ_ROLE_BUTLER, a, &f->err),
                     GJ_ECONSTRAINT);
    expect_msg(&f->err, "5 people have already signed up");
    a->capacity = 0; /* no limit */
    snprintf(a->title, sizeof a->title, "%s", "亲子手工课（扩大名额）");
    gj_test_must(gj_activity_update(f->db, f->butler, GJ_ROLE_BUTLER, a, &f->err), &f->err);
    assert_int_equal(a->meta.version, 2);
    assert_int_equal(gj_activity_update(f->db, f->butler, GJ_ROLE_BUTLER, copy, &f->err),
                     GJ_ECONFLICT);
    struct gj_signup big = signup(a->id, f->u2, 20);
    assert_int_equal(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &big, &f->err),
                     GJ_ECONSTRAINT); /* the unit, not the places */
    expect_msg(&f->err, "3-1-601");

    /* What the database keeps by itself. */
    gj_test_exec(f->db->h, "UPDATE activities SET capacity = 6, version = version + 1");
    expect_db_refuses(f,
                      "INSERT INTO activity_signups(activity_id, unit_id, people, at, updated_at) "
                      "SELECT id, 3, 2, 1, 1 FROM activities",
                      "activity_full", "not enough places left");
    expect_db_refuses(f, "UPDATE activities SET capacity = 4, version = version + 1",
                      "activity_capacity_below", "more people have already signed up");
    char sql[160];
    snprintf(sql, sizeof sql,
             "UPDATE activity_signups SET cancelled = 0, version = version + 1 WHERE id = %lld",
             (long long)s1.id);
    expect_db_refuses(f, sql, "activity_signups_fixed", "only ever cancelled");
    expect_db_refuses(f, "UPDATE activity_signups SET people = 1, version = version + 1",
                      "activity_signups_fixed", NULL);
    expect_db_refuses(f,
                      "INSERT INTO activity_signups(activity_id, unit_id, people, at, updated_at) "
                      "SELECT id, 2, 1, 1, 1 FROM activities",
                      "activity_signups.activity_id, activity_signups.unit_id",
                      "already signed up for the activity");
    free(a);
    free(copy);
}

static void test_signup_refusals_and_upcoming(void **state)
{
    struct fx *f = *state;
    int64_t t = f->now;
    struct gj_activity *past = activity("重阳敬老", t - 3 * DAY, t - 3 * DAY + HOUR, 0);
    struct gj_activity *now = activity("社区义诊", t - HOUR, t + HOUR, 0);
    struct gj_activity *later = activity("元旦联欢", t + 30 * DAY, t + 30 * DAY + 3 * HOUR, 0);
    struct gj_activity *soon = activity("垃圾分类讲座", t + DAY, t + DAY + HOUR, 50);
    struct gj_activity *off = activity("露天电影", t + 2 * DAY, t + 2 * DAY + HOUR, 0);
    struct gj_activity *all[] = {past, now, later, soon, off};
    for (int i = 0; i < 5; i++)
        gj_test_must(gj_activity_create(f->db, f->butler, GJ_ROLE_BUTLER, all[i], &f->err),
                     &f->err);
    struct gj_activity *stale = calloc(1, sizeof *stale);
    *stale = *off;
    gj_test_must(gj_activity_cancel(f->db, f->butler, GJ_ROLE_BUTLER, off, &f->err), &f->err);
    assert_int_equal(off->cancelled, 1);
    assert_int_equal(gj_activity_cancel(f->db, f->butler, GJ_ROLE_BUTLER, off, &f->err), GJ_EINVAL);
    assert_int_equal(gj_activity_cancel(f->db, f->butler, GJ_ROLE_BUTLER, stale, &f->err),
                     GJ_ECONFLICT);
    assert_int_equal(gj_activity_update(f->db, f->butler, GJ_ROLE_BUTLER, off, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "cancelled");

    /* Upcoming: not over, not cancelled, the soonest first, page by page. */
    struct gj_activity *rows = calloc(2, sizeof *rows);
    int n = 0;
    gj_test_must(
        gj_activities_upcoming(f->db, GJ_ROLE_TRAINEE, t, INT64_MIN, 0, 2, rows, &n, &f->err),
        &f->err);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, now->id);
    assert_int_equal(rows[1].id, soon->id);
    gj_test_must(gj_activities_upcoming(f->db, GJ_ROLE_TRAINEE, t, rows[1].starts_at, rows[1].id, 2,
                                        rows, &n, &f->err),
                 &f->err);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, later->id);

    /* Sign-ups refused, and why. */
    struct gj_signup s = signup(off->id, f->u1, 2);
    assert_int_equal(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "cancelled");
    s.activity_id = past->id;
    assert_int_equal(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "over");
    s.activity_id = 999;
    assert_int_equal(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s, &f->err), GJ_ENOTFOUND);
    s.activity_id = soon->id;
    s.unit_id = 999;
    assert_int_equal(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s, &f->err), GJ_ENOTFOUND);
    expect_msg(&f->err, "unit #999");
    s.unit_id = f->u1;
    s.people = 0;
    assert_int_equal(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s, &f->err), GJ_EINVAL);
    s.people = 21;
    assert_int_equal(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "people");
    s.people = 2;
    assert_int_equal(gj_signup_add(f->db, f->butler, GJ_ROLE_TRAINEE, &s, &f->err), GJ_EPERM);
    assert_int_equal(scalar(f, "SELECT count(*) FROM activity_signups", 0), 0);
    /* An ongoing activity without a limit takes everybody. */
    s.activity_id = now->id;
    gj_test_must(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s, &f->err), &f->err);
    s = signup(now->id, f->u2, 20);
    gj_test_must(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s, &f->err), &f->err);
    gj_test_must(
        gj_activities_upcoming(f->db, GJ_ROLE_TRAINEE, t, INT64_MIN, 0, 1, rows, &n, &f->err),
        &f->err);
    assert_int_equal(rows[0].signed_up, 22);

    /* An activity's own rules. */
    struct gj_activity *bad = activity("跳蚤市场", t + DAY, t + DAY - 1, 0);
    assert_int_equal(gj_activity_create(f->db, f->butler, GJ_ROLE_BUTLER, bad, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "ends");
    bad->ends_at = t + 2 * DAY;
    bad->capacity = -1;
    assert_int_equal(gj_activity_create(f->db, f->butler, GJ_ROLE_BUTLER, bad, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "capacity");
    bad->capacity = 0;
    bad->place[0] = '\0';
    assert_int_equal(gj_activity_create(f->db, f->butler, GJ_ROLE_BUTLER, bad, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "place");
    for (int i = 0; i < 5; i++)
        free(all[i]);
    free(stale);
    free(rows);
    free(bad);
}

/* ---- patrols and findings -------------------------------------------------- */

static struct gj_finding finding(int64_t patrol, const char *location, const char *what,
                                 const char *severity)
{
    struct gj_finding x;
    memset(&x, 0, sizeof x);
    x.patrol_id = patrol;
    snprintf(x.location, sizeof x.location, "%s", location);
    snprintf(x.what, sizeof x.what, "%s", what);
    snprintf(x.severity, sizeof x.severity, "%s", severity);
    return x;
}

static void test_patrols_and_findings(void **state)
{
    struct fx *f = *state;
    int64_t t = f->now;
    struct gj_patrol p1, p2;
    memset(&p1, 0, sizeof p1);
    snprintf(p1.route, sizeof p1.route, "%s", "东区地库");
    p1.started_at = t - 2 * HOUR;
    gj_test_must(gj_patrol_start(f->db, f->butler, GJ_ROLE_BUTLER, &p1, &f->err), &f->err);
    assert_int_equal(p1.by_user, f->butler);
    assert_int_equal(p1.started_at, t - 2 * HOUR);
    assert_int_equal(p1.ended_at, 0);
    memset(&p2, 0, sizeof p2);
    snprintf(p2.route, sizeof p2.route, "%s", "1-6号楼外围");
    gj_test_must(gj_patrol_start(f->db, f->other, GJ_ROLE_SUPERVISOR, &p2, &f->err), &f->err);
    assert_int_equal(p2.started_at, t);
    struct gj_patrol future = p2;
    future.started_at = t + HOUR;
    assert_int_equal(gj_patrol_start(f->db, f->butler, GJ_ROLE_BUTLER, &future, &f->err),
                     GJ_EINVAL);
    future.started_at = 0;
    future.route[0] = '\0';
    assert_int_equal(gj_patrol_start(f->db, f->butler, GJ_ROLE_BUTLER, &future, &f->err),
                     GJ_EINVAL);
    expect_msg(&f->err, "route");

    struct gj_finding a = finding(p1.id, "B2-036车位", "消防通道被占用", "high");
    struct gj_finding b = finding(p1.id, "B1电梯厅", "应急灯不亮", "medium");
    struct gj_finding c = finding(p2.id, "3号楼北侧", "井盖松动", "low");
    gj_test_must(gj_finding_add(f->db, f->butler, GJ_ROLE_BUTLER, &a, &f->err), &f->err);
    assert_int_equal(a.at, t);
    assert_int_equal(a.by_user, f->butler);
    gj_test_must(gj_finding_add(f->db, f->butler, GJ_ROLE_BUTLER, &b, &f->err), &f->err);
    gj_test_must(gj_finding_add(f->db, f->butler, GJ_ROLE_BUTLER, &c, &f->err), &f->err);
    struct gj_finding bad = finding(p1.id, "B1", "漏水", "urgent");
    assert_int_equal(gj_finding_add(f->db, f->butler, GJ_ROLE_BUTLER, &bad, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "severity");
    bad = finding(p1.id, "B1", "", "low");
    assert_int_equal(gj_finding_add(f->db, f->butler, GJ_ROLE_BUTLER, &bad, &f->err), GJ_EINVAL);
    bad = finding(p1.id, "B1", "漏水", "low");
    bad.at = t - 3 * HOUR; /* before the patrol started */
    assert_int_equal(gj_finding_add(f->db, f->butler, GJ_ROLE_BUTLER, &bad, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "before the patrol started");
    bad.at = 0;
    bad.patrol_id = 999;
    assert_int_equal(gj_finding_add(f->db, f->butler, GJ_ROLE_BUTLER, &bad, &f->err), GJ_ENOTFOUND);
    bad.patrol_id = p1.id;
    assert_int_equal(gj_finding_add(f->db, f->butler, GJ_ROLE_TRAINEE, &bad, &f->err), GJ_EPERM);

    /* Ended once; no findings after. */
    struct gj_patrol stale = p1;
    gj_test_must(gj_patrol_end(f->db, f->butler, GJ_ROLE_BUTLER, &p1, &f->err), &f->err);
    assert_int_equal(p1.ended_at, t);
    assert_int_equal(gj_patrol_end(f->db, f->butler, GJ_ROLE_BUTLER, &p1, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "already ended");
    assert_int_equal(gj_finding_add(f->db, f->butler, GJ_ROLE_BUTLER, &bad, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "has ended");
    snprintf(stale.note, sizeof stale.note, "%s", "正常");
    assert_int_equal(gj_patrol_update(f->db, f->butler, GJ_ROLE_BUTLER, &stale, &f->err),
                     GJ_ECONFLICT);
    snprintf(p1.note, sizeof p1.note, "%s", "地库照明整体偏暗，建议检修");
    gj_test_must(gj_patrol_update(f->db, f->butler, GJ_ROLE_BUTLER, &p1, &f->err), &f->err);
    assert_int_equal(p1.meta.version, 3);

    /* A finding is corrected, version-checked. */
    struct gj_finding old = b;
    snprintf(b.what, sizeof b.what, "%s", "应急灯不亮（两盏）");
    gj_test_must(gj_finding_update(f->db, f->butler, GJ_ROLE_BUTLER, &b, &f->err), &f->err);
    assert_int_equal(gj_finding_update(f->db, f->butler, GJ_ROLE_BUTLER, &old, &f->err),
                     GJ_ECONFLICT);
    struct gj_finding got;
    gj_test_must(gj_finding_get(f->db, GJ_ROLE_TRAINEE, b.id, &got, &f->err), &f->err);
    assert_string_equal(got.what, "应急灯不亮（两盏）");
    assert_int_equal(got.meta.version, 2);

    /* Findings of a patrol, page by page; patrols, the latest first, with counts. */
    struct gj_finding fs[4];
    int n = 0;
    gj_test_must(gj_findings_list(f->db, GJ_ROLE_TRAINEE, p1.id, 0, 1, fs, &n, &f->err), &f->err);
    assert_int_equal(n, 1);
    assert_int_equal(fs[0].id, a.id);
    gj_test_must(gj_findings_list(f->db, GJ_ROLE_TRAINEE, p1.id, fs[0].id, 4, fs, &n, &f->err),
                 &f->err);
    assert_int_equal(n, 1);
    assert_int_equal(fs[0].id, b.id);
    struct gj_patrol ps[4];
    gj_test_must(
        gj_patrols_recent(f->db, GJ_ROLE_TRAINEE, INT64_MAX, INT64_MAX, 1, ps, &n, &f->err),
        &f->err);
    assert_int_equal(n, 1);
    assert_int_equal(ps[0].id, p2.id);
    assert_int_equal(ps[0].findings, 1);
    gj_test_must(
        gj_patrols_recent(f->db, GJ_ROLE_TRAINEE, ps[0].started_at, ps[0].id, 4, ps, &n, &f->err),
        &f->err);
    assert_int_equal(n, 1);
    assert_int_equal(ps[0].id, p1.id);
    assert_int_equal(ps[0].findings, 2);
    assert_int_equal(ps[0].orders, 0);
    assert_string_equal(ps[0].note, "地库照明整体偏暗，建议检修");
}

/* A patrol with one finding of severity; returns the finding's id. */
static int64_t one_finding(struct fx *f, const char *severity)
{
    struct gj_patrol p;
    memset(&p, 0, sizeof p);
    snprintf(p.route, sizeof p.route, "%s", "西区园林");
    gj_test_must(gj_patrol_start(f->db, f->butler, GJ_ROLE_BUTLER, &p, &f->err), &f->err);
    struct gj_finding x =
        finding(p.id, "3号楼2单元门口", "单元门闭门器损坏，门无法自动关闭", severity);
    gj_test_must(gj_finding_add(f->db, f->butler, GJ_ROLE_BUTLER, &x, &f->err), &f->err);
    return x.id;
}

static int64_t count_all(struct fx *f, const char *table_sql)
{
    return scalar(f, table_sql, 0);
}

static void test_finding_to_work_order(void **state)
{
    struct fx *f = *state;
    int64_t fid = one_finding(f, "high");
    int64_t wo_id = 0;
    /* A trainee may not; a bad category is refused; nothing is written. */
    assert_int_equal(gj_finding_to_work_order(f->db, f->butler, GJ_ROLE_TRAINEE, fid, f->u1,
                                              "repair", NULL, &wo_id, &f->err),
                     GJ_EPERM);
    assert_int_equal(gj_finding_to_work_order(f->db, f->butler, GJ_ROLE_BUTLER, fid, f->u1,
                                              "plumbing", NULL, &wo_id, &f->err),
                     GJ_EINVAL);
    expect_msg(&f->err, "category");
    assert_int_equal(gj_finding_to_work_order(f->db, f->butler, GJ_ROLE_BUTLER, fid, f->u1,
                                              "repair", "asap", &wo_id, &f->err),
                     GJ_EINVAL);
    assert_int_equal(gj_finding_to_work_order(f->db, f->butler, GJ_ROLE_BUTLER, 999, f->u1,
                                              "repair", NULL, &wo_id, &f->err),
                     GJ_ENOTFOUND);
    assert_int_equal(wo_id, 0);
    assert_int_equal(count_all(f, "SELECT count(*) FROM work_orders"), 0);

    /* Made: the order from the finding, the priority from its severity. */
    gj_test_must(gj_finding_to_work_order(f->db, f->butler, GJ_ROLE_BUTLER, fid, f->u1, "repair",
                                          NULL, &wo_id, &f->err),
                 &f->err);
    assert_true(wo_id > 0);
    struct gj_work_order *wo = calloc(1, sizeof *wo);
    gj_test_must(gj_wo_get(f->db, wo_id, wo, &f->err), &f->err);
    assert_int_equal(wo->unit_id, f->u1);
    assert_string_equal(wo->category, "repair");
    assert_string_equal(wo->priority, "high");
    assert_string_equal(wo->channel, "other");
    assert_string_equal(wo->state, "new");
    assert_int_equal(wo->created_by, f->butler);
    assert_non_null(strstr(wo->description, "西区园林"));
    assert_non_null(strstr(wo->description, "3号楼2单元门口"));
    assert_non_null(strstr(wo->description, "单元门闭门器损坏"));
    struct gj_sla_target sla;
    gj_test_must(gj_sla_get(f->db, "work_order", "high", &sla, &f->err), &f->err);
    assert_int_equal(wo->respond_due_at, wo->created_at + sla.respond_minutes * 60);
    assert_int_equal(wo->resolve_due_at, wo->created_at + sla.resolve_minutes * 60);
    assert_int_equal(wo->created_at, f->now);
    /* its "created" event came with it */
    assert_int_equal(scalar(f,
                            "SELECT count(*) FROM work_order_events WHERE work_order_id = ? "
                            "AND kind = 'created'",
                            wo_id),
                     1);
    struct gj_finding got;
    gj_test_must(gj_finding_get(f->db, GJ_ROLE_TRAINEE, fid, &got, &f->err), &f->err);
    assert_int_equal(got.work_order_id, wo_id);
    assert_int_equal(got.meta.version, 2);
    struct gj_patrol p;
    gj_test_must(gj_patrol_get(f->db, GJ_ROLE_TRAINEE, got.patrol_id, &p, &f->err), &f->err);
    assert_int_equal(p.findings, 1);
    assert_int_equal(p.orders, 1);

    /* A second time: refused, naming the order; nothing more is written. */
    int64_t again = 0;
    assert_int_equal(gj_finding_to_work_order(f->db, f->butler, GJ_ROLE_BUTLER, fid, f->u2,
                                              "repair", "urgent", &again, &f->err),
                     GJ_ECONSTRAINT);
    char order[32];
    snprintf(order, sizeof order, "work order #%lld", (long long)wo_id);
    expect_msg(&f->err, order);
    assert_int_equal(again, 0);
    assert_int_equal(count_all(f, "SELECT count(*) FROM work_orders"), 1);
    /* ... whoever tries: the database keeps the link too. */
    expect_db_refuses(f,
                      "UPDATE patrol_findings SET work_order_id = NULL, version = version + 1 "
                      "WHERE work_order_id IS NOT NULL",
                      "finding_linked_once", "already been turned into a work order");

    /* The common parts (no unit), an explicit priority. */
    int64_t fid2 = one_finding(f, "low");
    int64_t wo2 = 0;
    gj_test_must(gj_finding_to_work_order(f->db, f->other, GJ_ROLE_SUPERVISOR, fid2, 0, "security",
                                          "urgent", &wo2, &f->err),
                 &f->err);
    gj_test_must(gj_wo_get(f->db, wo2, wo, &f->err), &f->err);
    assert_int_equal(wo->unit_id, 0);
    assert_string_equal(wo->priority, "urgent");
    assert_string_equal(wo->category, "security");
    gj_test_must(gj_sla_get(f->db, "work_order", "urgent", &sla, &f->err), &f->err);
    assert_int_equal(wo->resolve_due_at, wo->created_at + sla.resolve_minutes * 60);
    /* A medium finding suggests a normal order. */
    int64_t fid3 = one_finding(f, "medium");
    gj_test_must(gj_finding_to_work_order(f->db, f->butler, GJ_ROLE_BUTLER, fid3, f->u3, "repair",
                                          "", &wo2, &f->err),
                 &f->err);
    gj_test_must(gj_wo_get(f->db, wo2, wo, &f->err), &f->err);
    assert_string_equal(wo->priority, "normal");
    free(wo);
}

/* The order and the link go together: when the link cannot be written,
 * the order is not there either. */
static void test_finding_to_work_order_is_atomic(void **state)
{
    struct fx *f = *state;
    int64_t fid = one_finding(f, "medium");
    int64_t orders = count_all(f, "SELECT count(*) FROM work_orders");
    int64_t events = count_all(f, "SELECT count(*) FROM work_order_events");
    int64_t audit = count_all(f, "SELECT count(*) FROM audit_log");
    gj_test_exec(f->db->h, "CREATE TEMP TRIGGER refuse_link BEFORE UPDATE OF work_order_id ON "
                           "patrol_findings BEGIN SELECT RAISE(ABORT, 'link refused'); END");
    int64_t wo_id = 0;
    assert_int_not_equal(gj_finding_to_work_order(f->db, f->butler, GJ_ROLE_BUTLER, fid, f->u1,
                                                  "repair", NULL, &wo_id, &f->err),
                         GJ_OK);
    expect_msg(&f->err, "link refused");
    assert_int_equal(wo_id, 0);
    assert_int_equal(count_all(f, "SELECT count(*) FROM work_orders"), orders);
    assert_int_equal(count_all(f, "SELECT count(*) FROM work_order_events"), events);
    assert_int_equal(count_all(f, "SELECT count(*) FROM audit_log"), audit);
    assert_int_equal(
        scalar(f, "SELECT count(work_order_id) FROM patrol_findings WHERE id = ?", fid), 0);
    /* Nothing left half done: it works once the link can be written. */
    gj_test_exec(f->db->h, "DROP TRIGGER temp.refuse_link");
    gj_test_must(gj_finding_to_work_order(f->db, f->butler, GJ_ROLE_BUTLER, fid, f->u1, "repair",
                                          NULL, &wo_id, &f->err),
                 &f->err);
    assert_int_equal(count_all(f, "SELECT count(*) FROM work_orders"), orders + 1);
    assert_int_equal(scalar(f, "SELECT work_order_id FROM patrol_findings WHERE id = ?", fid),
                     wo_id);
    /* An unknown unit fails on the order itself: nothing either. */
    int64_t fid2 = one_finding(f, "low");
    assert_int_equal(gj_finding_to_work_order(f->db, f->butler, GJ_ROLE_BUTLER, fid2, 999, "repair",
                                              NULL, &wo_id, &f->err),
                     GJ_ECONSTRAINT);
    assert_int_equal(count_all(f, "SELECT count(*) FROM work_orders"), orders + 1);
    assert_int_equal(
        scalar(f, "SELECT count(work_order_id) FROM patrol_findings WHERE id = ?", fid2), 0);
}

/* ---- drills ---------------------------------------------------------------- */

static void test_drills(void **state)
{
    struct fx *f = *state;
    int64_t t = f->now;
    struct gj_drill d[3];
    const char *kinds[] = {"fire", "evacuation", "other"};
    for (int i = 0; i < 3; i++) {
        memset(&d[i], 0, sizeof d[i]);
        snprintf(d[i].kind, sizeof d[i].kind, "%s", kinds[i]);
        d[i].held_at = t - (3 - i) * 30 * DAY;
        snprintf(d[i].place, sizeof d[i].place, "%s", "中心广场");
        d[i].participants = 40 + i;
        gj_test_must(gj_drill_add(f->db, f->butler, GJ_ROLE_BUTLER, &d[i], &f->err), &f->err);
        assert_int_equal(d[i].by_user, f->butler);
    }
    struct gj_drill rows[4];
    int n = 0;
    gj_test_must(gj_drills_list(f->db, GJ_ROLE_TRAINEE, INT64_MAX, INT64_MAX, 2, rows, &n, &f->err),
                 &f->err);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, d[2].id); /* the latest first */
    assert_int_equal(rows[1].id, d[1].id);
    gj_test_must(
        gj_drills_list(f->db, GJ_ROLE_TRAINEE, rows[1].held_at, rows[1].id, 2, rows, &n, &f->err),
        &f->err);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].kind, "fire");

    struct gj_drill stale = d[0];
    d[0].participants = 55;
    snprintf(d[0].note, sizeof d[0].note, "%s", "消防队到场指导，灭火器实操20人");
    gj_test_must(gj_drill_update(f->db, f->other, GJ_ROLE_SUPERVISOR, &d[0], &f->err), &f->err);
    assert_int_equal(gj_drill_update(f->db, f->butler, GJ_ROLE_BUTLER, &stale, &f->err),
                     GJ_ECONFLICT);
    expect_msg(&f->err, "李主管");
    struct gj_drill got;
    gj_test_must(gj_drill_get(f->db, GJ_ROLE_TRAINEE, d[0].id, &got, &f->err), &f->err);
    assert_int_equal(got.participants, 55);
    assert_string_equal(got.note, d[0].note);

    struct gj_drill bad = d[1];
    snprintf(bad.kind, sizeof bad.kind, "%s", "flood");
    assert_int_equal(gj_drill_add(f->db, f->butler, GJ_ROLE_BUTLER, &bad, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "kind");
    bad = d[1];
    bad.participants = -1;
    assert_int_equal(gj_drill_add(f->db, f->butler, GJ_ROLE_BUTLER, &bad, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "participants");
    bad = d[1];
    bad.held_at = 0;
    assert_int_equal(gj_drill_add(f->db, f->butler, GJ_ROLE_BUTLER, &bad, &f->err), GJ_EINVAL);
    assert_int_equal(gj_drill_add(f->db, f->butler, GJ_ROLE_TRAINEE, &d[1], &f->err), GJ_EPERM);
    assert_int_equal(count_all(f, "SELECT count(*) FROM drills"), 3);
    expect_db_refuses(f, "UPDATE drills SET participants = -5, version = version + 1",
                      "drills_participants", "participants must be 0 to 100000");
}

/* ---- incidents ------------------------------------------------------------- */

static struct gj_incident *incident(const char *what, int64_t happened_at)
{
    struct gj_incident *i = calloc(1, sizeof *i);
    snprintf(i->what, sizeof i->what, "%s", what);
    i->happened_at = happened_at;
    snprintf(i->place, sizeof i->place, "%s", "2号楼地下车库");
    return i;
}

static void test_incidents(void **state)
{
    struct fx *f = *state;
    int64_t t = f->now;
    struct gj_incident *i = incident("地库入口积水，约10厘米深", t - HOUR);
    struct gj_incident *bad = incident("电梯困人", t + HOUR);
    assert_int_equal(gj_incident_open(f->db, f->butler, GJ_ROLE_BUTLER, bad, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "future");
    bad->happened_at = t;
    bad->place[0] = '\0';
    assert_int_equal(gj_incident_open(f->db, f->butler, GJ_ROLE_BUTLER, bad, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "place");
    assert_int_equal(gj_incident_open(f->db, f->butler, GJ_ROLE_TRAINEE, i, &f->err), GJ_EPERM);
    /* A closing time given at the opening is not taken. */
    i->closed_at = t;
    gj_test_must(gj_incident_open(f->db, f->butler, GJ_ROLE_BUTLER, i, &f->err), &f->err);
    assert_int_equal(i->closed_at, 0);
    assert_int_equal(i->created_by, f->butler);

    /* It closes only with its actions recorded. */
    assert_int_equal(gj_incident_close(f->db, f->butler, GJ_ROLE_BUTLER, i, "已处理", &f->err),
                     GJ_EINVAL);
    expect_msg(&f->err, "actions taken");
    struct gj_incident *stale = calloc(1, sizeof *stale);
    *stale = *i;
    snprintf(i->actions, sizeof i->actions, "%s", "关闭地库入口，放置沙袋，通知工程部抽水");
    snprintf(i->informed, sizeof i->informed, "%s", "客服主管李主管（电话）；2号楼业主群通知");
    gj_test_must(gj_incident_record(f->db, f->other, GJ_ROLE_SUPERVISOR, i, &f->err), &f->err);
    assert_int_equal(i->meta.version, 2);
    assert_int_equal(gj_incident_record(f->db, f->butler, GJ_ROLE_BUTLER, stale, &f->err),
                     GJ_ECONFLICT);
    expect_msg(&f->err, "李主管");
    assert_int_equal(gj_incident_close(f->db, f->butler, GJ_ROLE_BUTLER, stale, NULL, &f->err),
                     GJ_ECONFLICT);
    /* blank actions are no actions */
    struct gj_incident *blank = calloc(1, sizeof *blank);
    *blank = *i;
    snprintf(blank->actions, sizeof blank->actions, "%s", " \n ");
    assert_int_equal(gj_incident_record(f->db, f->butler, GJ_ROLE_BUTLER, blank, &f->err),
                     GJ_EINVAL);

    setenv("GUANJIA_NOW", "2026-11-29T11:30", 1);
    gj_test_must(
        gj_incident_close(f->db, f->butler, GJ_ROLE_BUTLER, i, "积水已排净，入口恢复通行", &f->err),
        &f->err);
    assert_int_equal(i->closed_at, gj_now());
    assert_string_equal(i->closing_note, "积水已排净，入口恢复通行");
    struct gj_incident *got = calloc(1, sizeof *got);
    gj_test_must(gj_incident_get(f->db, GJ_ROLE_TRAINEE, i->id, got, &f->err), &f->err);
    assert_int_equal(got->closed_at, t + 150 * 60);
    assert_string_equal(got->actions, i->actions);
    assert_string_equal(got->informed, i->informed);
    assert_int_equal(got->meta.version, 3);
    /* Closed stays closed, unchanged. */
    assert_int_equal(gj_incident_close(f->db, f->butler, GJ_ROLE_BUTLER, i, NULL, &f->err),
                     GJ_EINVAL);
    expect_msg(&f->err, "already been closed");
    assert_int_equal(gj_incident_record(f->db, f->butler, GJ_ROLE_BUTLER, i, &f->err), GJ_EINVAL);
    expect_msg(&f->err, "closed");
    expect_db_refuses(f, "UPDATE incidents SET closing_note = 'x', version = version + 1",
                      "incident_closed_final", "a closed incident is not changed");
    expect_db_refuses(f,
                      "INSERT INTO incidents(what, happened_at, place, closed_at, created_at, "
                      "updated_at) VALUES ('w', 1, 'p', 2, 1, 1)",
                      "incidents_close_needs_actions", "after the actions taken are recorded");

    /* Open first, the latest first within each part; paged. */
    struct gj_incident *o1 = incident("3号楼停电", t - 3 * HOUR);
    struct gj_incident *o2 = incident("小区东门道闸故障", t - 30 * 60);
    gj_test_must(gj_incident_open(f->db, f->butler, GJ_ROLE_BUTLER, o1, &f->err), &f->err);
    gj_test_must(gj_incident_open(f->db, f->butler, GJ_ROLE_BUTLER, o2, &f->err), &f->err);
    struct gj_incident *rows = calloc(3, sizeof *rows);
    int n = 0;
    gj_test_must(
        gj_incidents_list(f->db, GJ_ROLE_TRAINEE, 0, 0, INT64_MAX, INT64_MAX, 2, rows, &n, &f->err),
        &f->err);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, o2->id);
    assert_int_equal(rows[1].id, o1->id);
    gj_test_must(gj_incidents_list(f->db, GJ_ROLE_TRAINEE, 0, rows[1].closed_at != 0,
                                   rows[1].happened_at, rows[1].id, 2, rows, &n, &f->err),
                 &f->err);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, i->id);
    gj_test_must(
        gj_incidents_list(f->db, GJ_ROLE_TRAINEE, 1, 0, INT64_MAX, INT64_MAX, 3, rows, &n, &f->err),
        &f->err);
    assert_int_equal(n, 2);
    int64_t open = 0;
    gj_test_must(gj_incidents_count_open(f->db, GJ_ROLE_TRAINEE, &open, &f->err), &f->err);
    assert_int_equal(open, 2);

    /* The emergency checklist of curriculum 3.3: five steps, in order. */
    int steps = 0;
    while (gj_incident_steps[steps])
        steps++;
    assert_int_equal(steps, 5);
    assert_non_null(strstr(gj_incident_steps[0], "calm"));
    assert_non_null(strstr(gj_incident_steps[3], "confidential"));
    assert_non_null(strstr(gj_incident_steps[4], "Record"));
    free(i);
    free(bad);
    free(stale);
    free(blank);
    free(got);
    free(o1);
    free(o2);
    free(rows);
}

/* ---- audit, versions, no deletes, the schema's own rules -------------------- */

static void test_audit_versions_and_no_deletes(void **state)
{
    struct fx *f = *state;
    int64_t t = f->now;
    struct gj_notice *nt = notice("换届选举公示", "estate", 0, 0, t, t + DAY);
    gj_test_must(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, nt, &f->err), &f->err);
    gj_test_must(gj_notice_withdraw(f->db, f->other, GJ_ROLE_SUPERVISOR, nt, &f->err), &f->err);
    struct gj_activity *a = activity("太极拳晨练", t + DAY, t + DAY + HOUR, 10);
    gj_test_must(gj_activity_create(f->db, f->butler, GJ_ROLE_BUTLER, a, &f->err), &f->err);
    struct gj_signup s = signup(a->id, f->u1, 2);
    gj_test_must(gj_signup_add(f->db, f->butler, GJ_ROLE_BUTLER, &s, &f->err), &f->err);
    gj_test_must(gj_signup_cancel(f->db, f->butler, GJ_ROLE_BUTLER, &s, &f->err), &f->err);
    int64_t fid = one_finding(f, "low");
    struct gj_drill d;
    memset(&d, 0, sizeof d);
    snprintf(d.kind, sizeof d.kind, "%s", "fire");
    d.held_at = t;
    snprintf(d.place, sizeof d.place, "%s", "1号楼");
    gj_test_must(gj_drill_add(f->db, f->butler, GJ_ROLE_BUTLER, &d, &f->err), &f->err);
    struct gj_incident *i = incident("高空抛物", t);
    gj_test_must(gj_incident_open(f->db, f->butler, GJ_ROLE_BUTLER, i, &f->err), &f->err);

    /* Every write is in the audit log, by whom and when, as JSON. */
    const struct {
        const char *entity;
        int inserts, updates;
    } expect[] = {{"notices", 1, 1},  {"activities", 1, 0},      {"activity_signups", 1, 1},
                  {"patrols", 1, 0},  {"patrol_findings", 1, 0}, {"drills", 1, 0},
                  {"incidents", 1, 0}};
    for (size_t k = 0; k < sizeof expect / sizeof expect[0]; k++) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(f->db->h,
                                            "SELECT count(*) FILTER (WHERE action = 'insert'), "
                                            "count(*) FILTER (WHERE action = 'update') "
                                            "FROM audit_log WHERE entity = ?",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, expect[k].entity, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        if (sqlite3_column_int(st, 0) != expect[k].inserts ||
            sqlite3_column_int(st, 1) != expect[k].updates)
            fail_msg("%s: %d inserts and %d updates audited", expect[k].entity,
                     sqlite3_column_int(st, 0), sqlite3_column_int(st, 1));
        sqlite3_finalize(st);
    }
    assert_int_equal(scalar(f,
                            "SELECT count(*) FROM audit_log WHERE entity = 'notices' AND "
                            "entity_id = ? AND action = 'update' AND user_id = 2 AND at = "
                            "(SELECT updated_at FROM notices WHERE id = entity_id) AND "
                            "json_extract(old_values, '$.withdrawn') = 0 AND "
                            "json_extract(new_values, '$.withdrawn') = 1",
                            nt->id),
                     1);
    assert_int_equal(scalar(f,
                            "SELECT count(*) FROM audit_log WHERE entity = 'activity_signups' "
                            "AND action = 'update' AND json_extract(new_values, '$.cancelled') = 1 "
                            "AND json_extract(new_values, '$.people') = 2 AND entity_id = ?",
                            s.id),
                     1);
    assert_int_equal(scalar(f,
                            "SELECT count(*) FROM audit_log WHERE entity = 'patrol_findings' AND "
                            "entity_id = ? AND json_extract(new_values, '$.severity') = 'low'",
                            fid),
                     1);

    /* Versions only ever move by one. */
    expect_db_refuses(f, "UPDATE notices SET title = 'x'", "increase version by one", NULL);
    expect_db_refuses(f, "UPDATE patrols SET note = 'x', version = version + 2",
                      "increase version by one", NULL);
    expect_db_refuses(f, "UPDATE incidents SET place = 'x'", "increase version by one", NULL);

    /* Nothing is deleted, whoever tries. */
    const char *tables[] = {"notices",         "activities", "activity_signups", "patrols",
                            "patrol_findings", "drills",     "incidents"};
    for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
        char sql[96];
        snprintf(sql, sizeof sql, "DELETE FROM %s", tables[k]);
        expect_db_refuses(f, sql, "records are never deleted", NULL);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[k]);
        assert_true(scalar(f, sql, 0) >= 1);
    }
    free(nt);
    free(a);
    free(i);
}

/* The CHECKs of the schema come back as what they mean, not as their names. */
static void test_schema_messages(void **state)
{
    struct fx *f = *state;
    expect_db_refuses(f,
                      "INSERT INTO activities(title, place, starts_at, ends_at, capacity, "
                      "created_at, updated_at) VALUES ('t', 'p', 2, 1, NULL, 1, 1)",
                      "activities_time_order", "an activity cannot end before it starts");
    expect_db_refuses(f,
                      "INSERT INTO activities(title, place, starts_at, ends_at, capacity, "
                      "created_at, updated_at) VALUES ('t', 'p', 1, 2, 0, 1, 1)",
                      "activities_capacity", "capacity must be 1 to 10000");
    expect_db_refuses(f,
                      "INSERT INTO patrols(route, started_at, ended_at, updated_at) "
                      "VALUES ('r', 2, 1, 1)",
                      "patrols_time_order", "a patrol cannot end before it starts");
    gj_test_exec(f->db->h, "INSERT INTO patrols(route, started_at, updated_at) VALUES ('r', 1, 1)");
    expect_db_refuses(f,
                      "INSERT INTO patrol_findings(patrol_id, at, location, what, severity, "
                      "updated_at) VALUES (1, 1, 'l', 'w', 'urgent', 1)",
                      "patrol_findings_severity", "severity must be low, medium or high");
    expect_db_refuses(f,
                      "INSERT INTO drills(kind, held_at, place, participants, updated_at) "
                      "VALUES ('flood', 1, 'p', 1, 1)",
                      "drills_kind", "fire, evacuation or other");
    expect_db_refuses(f,
                      "INSERT INTO notices(title, body, audience, valid_from, valid_to, "
                      "created_at, updated_at) VALUES ('', 'b', 'estate', 1, 2, 1, 1)",
                      "notices_title", "a notice title must be 1 to 100 characters");
    expect_db_refuses(f,
                      "INSERT INTO incidents(what, happened_at, place, created_at, updated_at) "
                      "VALUES ('w', 5, 'p', 1, 1); UPDATE incidents SET closed_at = 4, "
                      "actions = 'a', version = version + 1",
                      "incidents_time_order", "an incident cannot close before it happened");
    /* The labels a screen shows. */
    assert_string_equal(gj_finding_severity_label("medium"), "medium");
    assert_string_equal(gj_drill_kind_label("evacuation"), "evacuation drill");
    assert_string_equal(gj_notice_audience_label("estate"), "the whole estate");
    assert_string_equal(gj_notice_audience_label("floor"), "floor");
    assert_null(gj_finding_priority("urgent"));
}

/* ---- migration 7 over itself ------------------------------------------------ */

/* A database at version 7 told it is at version 6 migrates again without
 * trouble, and keeps what it had. */
static void test_migration_applies_again(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    const char *dir = gj_test_tmpdir();
    const char *path = gj_test_path(dir, "v7.db");
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(path, GJ_DB_CREATE, &db, &err), GJ_OK);
    assert_true(gj_db_schema_target() >= 7);
    struct gj_drill d;
    memset(&d, 0, sizeof d);
    snprintf(d.kind, sizeof d.kind, "%s", "evacuation");
    d.held_at = gj_now();
    snprintf(d.place, sizeof d.place, "%s", "幼儿园");
    gj_test_must(gj_drill_add(db, 0, GJ_ROLE_MANAGER, &d, &err), &err);
    gj_test_exec(db->h, "PRAGMA user_version = 6");
    gj_db_close(db);
    assert_int_equal(gj_db_open(path, 0, &db, &err), GJ_OK);
    assert_int_equal(gj_db_schema_version(db), gj_db_schema_target());
    struct gj_drill got;
    gj_test_must(gj_drill_get(db, GJ_ROLE_TRAINEE, d.id, &got, &err), &err);
    assert_string_equal(got.place, "幼儿园");
    assert_int_equal(gj_test_scalar(db->h,
                                    "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
                                    "AND name = 'drills_no_delete'",
                                    0),
                     1);
    gj_db_close(db);
    gj_test_rmtree(dir);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_notices_audiences),
        T(test_notice_rules_and_conflict),
        T(test_signups_capacity_and_duplicates),
        T(test_signup_refusals_and_upcoming),
        T(test_patrols_and_findings),
        T(test_finding_to_work_order),
        T(test_finding_to_work_order_is_atomic),
        T(test_drills),
        T(test_incidents),
        T(test_audit_versions_and_no_deletes),
        T(test_schema_messages),
        cmocka_unit_test(test_migration_applies_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
