/* repo/workorders: create/get/update round trips, the event written with
 * every create and transition, rollback when the event cannot be written,
 * stale versions, keyset paging, the schema's state rules, breaches
 * recorded once, append-only events and index use of the open list. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_workorders.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fixture -------------------------------------------------------------- */

/* A fresh database: in memory, or a temp file also opened with raw sqlite3
 * (for seeding departments/staff/users, counting audit rows, query plans). */
struct fx {
    char dir[256];
    struct gj_db *db;
    sqlite3 *raw;
    int64_t user, user2, dept, dept2, staff, staff2, unit, unit2, person;
};

static int64_t audit_rows(struct fx *f, int64_t id)
{
    return gj_test_scalar(
        f->raw, "SELECT count(*) FROM audit_log WHERE entity = 'work_orders' AND entity_id = ?",
        id);
}

static void make_owners(struct fx *f)
{
    struct gj_unit u = {.building = 3,
                        .entrance = 1,
                        .room = 502,
                        .area_centi_m2 = 8950,
                        .delivered_at = gj_now() - 86400 * 400};
    f->unit = gj_test_add_unit(f->db, 0, &u);
    u.room = 601;
    f->unit2 = gj_test_add_unit(f->db, 0, &u);
    f->person = gj_test_add_person(f->db, 0, "张三", "13800138000");
}

static int setup_mem(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct gj_error err;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    if (gj_db_open(":memory:", GJ_DB_CREATE, &f->db, &err) != GJ_OK)
        fail_msg("open: %s", err.msg);
    make_owners(f);
    *state = f;
    return 0;
}

static int setup_file(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    gj_test_db_open("estate.db", f->dir, sizeof f->dir, &f->db, &f->raw);
    gj_test_exec(f->raw, "PRAGMA foreign_keys = ON");
    f->dept = gj_test_exec(f->raw, "INSERT INTO departments(name, kind, created_at, updated_at) "
                                   "VALUES ('工程部', 'maintenance', 1, 1)");
    f->dept2 = gj_test_exec(f->raw, "INSERT INTO departments(name, kind, created_at, updated_at) "
                                    "VALUES ('保洁部', 'cleaning', 1, 1)");
    f->staff =
        gj_test_exec(f->raw, "INSERT INTO staff(department_id, name, created_at, updated_at) "
                             "VALUES (1, '李师傅', 1, 1)");
    f->staff2 = gj_test_exec(f->raw, "INSERT INTO staff(department_id, name, created_at, "
                                     "updated_at) VALUES (2, '赵阿姨', 1, 1)");
    f->user = gj_test_add_user(f->raw, "wangfang", "王芳", "butler");
    f->user2 = gj_test_add_user(f->raw, "liuqiang", "刘强", "supervisor");
    make_owners(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    gj_test_db_close(f->dir, f->db, f->raw);
    free(f);
    return 0;
}

/* A valid new order for unit/person; the due times are an hour and a day on. */
static struct gj_work_order *new_wo(const struct fx *f)
{
    struct gj_work_order *w = calloc(1, sizeof *w);
    assert_non_null(w);
    w->unit_id = f->unit;
    w->person_id = f->person;
    strcpy(w->channel, "phone");
    strcpy(w->category, "repair");
    strcpy(w->priority, "normal");
    strcpy(w->description, "厨房水管漏水");
    w->respond_due_at = gj_now() + 3600;
    w->resolve_due_at = gj_now() + 86400;
    return w;
}

static struct gj_work_order *wo_copy(const struct gj_work_order *w)
{
    struct gj_work_order *c = malloc(sizeof *c);
    assert_non_null(c);
    memcpy(c, w, sizeof *c);
    return c;
}

static void assert_wo_same(const struct gj_work_order *a, const struct gj_work_order *b)
{
    assert_int_equal(a->id, b->id);
    assert_int_equal(a->unit_id, b->unit_id);
    assert_int_equal(a->person_id, b->person_id);
    assert_string_equal(a->channel, b->channel);
    assert_string_equal(a->category, b->category);
    assert_string_equal(a->priority, b->priority);
    assert_string_equal(a->state, b->state);
    assert_string_equal(a->description, b->description);
    assert_int_equal(a->appointment_at, b->appointment_at);
    assert_int_equal(a->respond_due_at, b->respond_due_at);
    assert_int_equal(a->resolve_due_at, b->resolve_due_at);
    assert_int_equal(a->promised_at, b->promised_at);
    assert_string_equal(a->promise_reason, b->promise_reason);
    assert_int_equal(a->department_id, b->department_id);
    assert_int_equal(a->assignee_staff_id, b->assignee_staff_id);
    assert_int_equal(a->responded_at, b->responded_at);
    assert_int_equal(a->resolved_at, b->resolved_at);
    assert_int_equal(a->closed_at, b->closed_at);
    assert_int_equal(a->paused_seconds, b->paused_seconds);
    assert_int_equal(a->hold_started_at, b->hold_started_at);
    assert_string_equal(a->hold_reason, b->hold_reason);
    assert_string_equal(a->resolution, b->resolution);
    assert_int_equal(a->satisfaction, b->satisfaction);
    assert_string_equal(a->feedback, b->feedback);
    assert_string_equal(a->cancel_reason, b->cancel_reason);
    assert_int_equal(a->chase_count, b->chase_count);
    assert_int_equal(a->created_at, b->created_at);
    assert_int_equal(a->created_by, b->created_by);
    assert_int_equal(a->meta.version, b->meta.version);
    assert_int_equal(a->meta.updated_at, b->meta.updated_at);
    assert_int_equal(a->meta.updated_by, b->meta.updated_by);
}

static int events_of(struct fx *f, int64_t id, struct gj_wo_event *rows, int max)
{
    struct gj_error err;
    int n = -1;
    assert_int_equal(gj_wo_events(f->db, id, 0, max, rows, &n, &err), GJ_OK);
    return n;
}

/* ---- round trips ---------------------------------------------------------- */

static void test_create_get_update_every_field(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t now = gj_now();
    struct gj_work_order *w = new_wo(f);
    strcpy(w->channel, "wechat");
    strcpy(w->category, "landscaping");
    strcpy(w->priority, "high");
    strcpy(w->state, "closed"); /* ignored: a new order is new */
    strcpy(w->description, "楼下草坪的喷头坏了，\n一直在漏水。\t请尽快处理");
    w->appointment_at = now + 7200;
    w->respond_due_at = now + 1800;
    w->resolve_due_at = now + 1800; /* equal is allowed */
    w->promised_at = now + 5400;
    strcpy(w->promise_reason, "业主下午才在家");
    w->department_id = f->dept;
    w->assignee_staff_id = f->staff;
    w->responded_at = now + 60;
    w->resolved_at = now + 120;
    w->closed_at = now + 180;
    w->paused_seconds = 90;
    w->hold_started_at = now + 30;
    strcpy(w->hold_reason, "parts");
    strcpy(w->resolution, "更换喷头");
    w->satisfaction = 4;
    strcpy(w->feedback, "师傅很准时");
    strcpy(w->cancel_reason, "无");
    w->chase_count = 2;
    assert_int_equal(gj_wo_create(f->db, f->user, w, &err), GJ_OK);
    assert_true(w->id > 0);
    assert_string_equal(w->state, "new");
    assert_int_equal(w->created_at, now);
    assert_int_equal(w->created_by, f->user);
    assert_int_equal(w->meta.version, 1);
    assert_int_equal(w->meta.updated_at, now);
    assert_int_equal(w->meta.updated_by, f->user);

    struct gj_work_order *got = calloc(1, sizeof *got);
    assert_int_equal(gj_wo_get(f->db, w->id, got, &err), GJ_OK);
    assert_wo_same(got, w);

    /* The created event, and one audit row, in the same transaction. */
    struct gj_wo_event ev[4];
    assert_int_equal(events_of(f, w->id, ev, 4), 1);
    assert_string_equal(ev[0].kind, "created");
    assert_string_equal(ev[0].from_state, "");
    assert_string_equal(ev[0].to_state, "new");
    assert_string_equal(ev[0].note, "");
    assert_int_equal(ev[0].work_order_id, w->id);
    assert_int_equal(ev[0].at, now);
    assert_int_equal(ev[0].user_id, f->user);
    assert_int_equal(audit_rows(f, w->id), 1);

    /* Change every mutable field; clear the optional ones. */
    setenv("GUANJIA_NOW", "2026-11-29T10:30", 1);
    int64_t later = gj_now();
    w->unit_id = f->unit2;
    w->person_id = 0;
    strcpy(w->channel, "walk_in");
    strcpy(w->category, "enquiry");
    strcpy(w->priority, "low");
    strcpy(w->description, "咨询装修手续");
    w->appointment_at = 0;
    w->respond_due_at = later + 10;
    w->resolve_due_at = later + 20;
    w->promised_at = 0;
    w->promise_reason[0] = '\0';
    w->department_id = f->dept2;
    w->assignee_staff_id = 0;
    w->responded_at = 0;
    w->resolved_at = 0;
    w->closed_at = 0;
    w->paused_seconds = 0;
    w->hold_started_at = 0;
    w->hold_reason[0] = '\0';
    w->resolution[0] = '\0';
    w->satisfaction = 0;
    w->feedback[0] = '\0';
    w->cancel_reason[0] = '\0';
    w->chase_count = 0;
    assert_int_equal(gj_wo_update(f->db, f->user2, w, &err), GJ_OK);
    assert_int_equal(w->meta.version, 2);
    assert_int_equal(w->meta.updated_at, later);
    assert_int_equal(w->meta.updated_by, f->user2);
    assert_int_equal(gj_wo_get(f->db, w->id, got, &err), GJ_OK);
    assert_wo_same(got, w);
    assert_int_equal(got->created_at, now); /* creation stays */
    assert_int_equal(got->created_by, f->user);
    /* An update writes no event, but is audited. */
    assert_int_equal(events_of(f, w->id, ev, 4), 1);
    assert_int_equal(audit_rows(f, w->id), 2);

    /* The longest description fits whole (4000 characters of 3 bytes). */
    char *longest = w->description;
    for (int i = 0; i < 4000; i++)
        memcpy(longest + i * 3, "修", 3);
    longest[4000 * 3] = '\0';
    assert_int_equal(gj_wo_update(f->db, 0, w, &err), GJ_OK);
    assert_int_equal(gj_wo_get(f->db, w->id, got, &err), GJ_OK);
    assert_int_equal(strlen(got->description), 12000);
    assert_int_equal(got->meta.updated_by, 0); /* the system */
    free(got);
    free(w);
}

static void test_get_missing(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_work_order *w = calloc(1, sizeof *w);
    assert_int_equal(gj_wo_get(f->db, 4242, w, &err), GJ_ENOTFOUND);
    free(w);
    w = new_wo(f);
    w->id = 4242;
    strcpy(w->state, "new");
    w->meta.version = 1;
    assert_int_equal(gj_wo_update(f->db, 0, w, &err), GJ_ENOTFOUND);
    assert_int_equal(gj_wo_transition(f->db, 0, w, "note", NULL, &err), GJ_ENOTFOUND);
    free(w);
}

/* ---- validation ----------------------------------------------------------- */

static void expect_invalid(struct fx *f, struct gj_work_order *w, const char *field)
{
    struct gj_error err;
    assert_int_equal(gj_wo_create(f->db, 0, w, &err), GJ_EINVAL);
    if (!strstr(err.msg, field))
        fail_msg("expected the message to name %s, got: %s", field, err.msg);
}

static void test_validation_names_the_field(void **state)
{
    struct fx *f = *state;
    struct gj_work_order *w;

    w = new_wo(f), strcpy(w->channel, "fax"), expect_invalid(f, w, "channel"), free(w);
    w = new_wo(f), w->channel[0] = '\0', expect_invalid(f, w, "channel"), free(w);
    w = new_wo(f), strcpy(w->category, "plumbing"), expect_invalid(f, w, "category"), free(w);
    w = new_wo(f), strcpy(w->priority, "asap"), expect_invalid(f, w, "priority"), free(w);
    w = new_wo(f), w->description[0] = '\0', expect_invalid(f, w, "description"), free(w);
    w = new_wo(f), strcpy(w->description, " \n "), expect_invalid(f, w, "description"), free(w);
    w = new_wo(f);
    memset(w->description, 'a', 4001);
    w->description[4001] = '\0';
    expect_invalid(f, w, "description");
    free(w);
    w = new_wo(f), strcpy(w->description, "a\x01"), expect_invalid(f, w, "description"), free(w);
    w = new_wo(f), w->respond_due_at = 0, expect_invalid(f, w, "response due time"), free(w);
    w = new_wo(f), w->resolve_due_at = 0, expect_invalid(f, w, "resolution due time"), free(w);
    w = new_wo(f);
    w->resolve_due_at = w->respond_due_at - 1;
    expect_invalid(f, w, "resolution due time");
    free(w);
    w = new_wo(f), w->promised_at = gj_now(), expect_invalid(f, w, "promise reason"), free(w);
    w = new_wo(f), strcpy(w->promise_reason, "x"), expect_invalid(f, w, "promised time"), free(w);
    w = new_wo(f);
    w->promised_at = gj_now();
    strcpy(w->promise_reason, "两行\n原因");
    expect_invalid(f, w, "promise reason");
    free(w);
    w = new_wo(f), strcpy(w->hold_reason, "lunch"), expect_invalid(f, w, "hold reason"), free(w);
    w = new_wo(f), w->satisfaction = 6, expect_invalid(f, w, "satisfaction"), free(w);
    w = new_wo(f), w->satisfaction = -1, expect_invalid(f, w, "satisfaction"), free(w);
    w = new_wo(f);
    memset(w->feedback, 'b', 2001);
    expect_invalid(f, w, "feedback");
    free(w);
    w = new_wo(f);
    memset(w->resolution, 'c', 4001);
    expect_invalid(f, w, "resolution");
    free(w);
    w = new_wo(f);
    memset(w->cancel_reason, 'd', 501);
    expect_invalid(f, w, "cancel reason");
    free(w);
    w = new_wo(f), w->chase_count = -1, expect_invalid(f, w, "chase count"), free(w);
    w = new_wo(f), w->paused_seconds = -5, expect_invalid(f, w, "paused"), free(w);

    /* Nothing was written by any of them. */
    int64_t open = -1;
    struct gj_error err;
    assert_int_equal(gj_wo_count_open_by_unit(f->db, f->unit, &open, &err), GJ_OK);
    assert_int_equal(open, 0);

    /* A reference to nothing is refused by the database, and the created
     * event goes with the row (nothing half-written). */
    w = new_wo(f);
    w->unit_id = 999;
    assert_int_equal(gj_wo_create(f->db, 0, w, &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "does not exist"));
    assert_int_equal(w->id, 0);
    struct gj_wo_event ev[2];
    assert_int_equal(events_of(f, 1, ev, 2), 0);
    free(w);
}

/* ---- transitions ---------------------------------------------------------- */

static void test_transition_writes_row_and_event(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_work_order *w = new_wo(f);
    assert_int_equal(gj_wo_create(f->db, f->user, w, &err), GJ_OK);

    setenv("GUANJIA_NOW", "2026-11-29T09:05", 1);
    int64_t t1 = gj_now();
    strcpy(w->state, "dispatched");
    w->department_id = f->dept;
    w->assignee_staff_id = f->staff;
    w->responded_at = t1;
    assert_int_equal(gj_wo_transition(f->db, f->user2, w, "dispatched", "派给工程部李师傅", &err),
                     GJ_OK);
    assert_int_equal(w->meta.version, 2);
    assert_int_equal(w->meta.updated_by, f->user2);

    setenv("GUANJIA_NOW", "2026-11-29T09:40", 1);
    strcpy(w->state, "in_progress");
    assert_int_equal(gj_wo_transition(f->db, f->user, w, "started", NULL, &err), GJ_OK);

    /* The state may stay: a promise is a transition of fields only. */
    w->promised_at = gj_now() + 3600;
    strcpy(w->promise_reason, "等配件");
    assert_int_equal(gj_wo_transition(f->db, f->user, w, "promised", "", &err), GJ_OK);
    assert_int_equal(w->meta.version, 4);

    struct gj_work_order *got = calloc(1, sizeof *got);
    assert_int_equal(gj_wo_get(f->db, w->id, got, &err), GJ_OK);
    assert_wo_same(got, w);
    assert_string_equal(got->state, "in_progress");

    struct gj_wo_event ev[8];
    assert_int_equal(events_of(f, w->id, ev, 8), 4);
    assert_string_equal(ev[1].kind, "dispatched");
    assert_string_equal(ev[1].from_state, "new");
    assert_string_equal(ev[1].to_state, "dispatched");
    assert_string_equal(ev[1].note, "派给工程部李师傅");
    assert_int_equal(ev[1].at, t1);
    assert_int_equal(ev[1].user_id, f->user2);
    assert_string_equal(ev[2].kind, "started");
    assert_string_equal(ev[2].from_state, "dispatched");
    assert_string_equal(ev[2].to_state, "in_progress");
    assert_string_equal(ev[2].note, "");
    assert_string_equal(ev[3].kind, "promised");
    assert_string_equal(ev[3].from_state, "in_progress");
    assert_string_equal(ev[3].to_state, "in_progress");
    assert_true(ev[1].id < ev[2].id && ev[2].id < ev[3].id);
    assert_int_equal(audit_rows(f, w->id), 4);

    /* gj_wo_update never moves the state. */
    struct gj_work_order *u = wo_copy(got);
    strcpy(u->state, "resolved");
    strcpy(u->description, "changed");
    assert_int_equal(gj_wo_update(f->db, 0, u, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "state"));
    assert_int_equal(gj_wo_get(f->db, w->id, got, &err), GJ_OK);
    assert_wo_same(got, w);
    free(u);
    free(got);
    free(w);
}

/* The row and its event are one write: when the event cannot be written,
 * the row is rolled back too. */
static void test_transition_rolls_back_when_event_fails(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_work_order *w = new_wo(f);
    assert_int_equal(gj_wo_create(f->db, f->user, w, &err), GJ_OK);
    struct gj_work_order *before = calloc(1, sizeof *before);
    assert_int_equal(gj_wo_get(f->db, w->id, before, &err), GJ_OK);
    struct gj_wo_event ev[8];

    /* An unknown event kind: refused, nothing written. */
    strcpy(w->state, "dispatched");
    w->department_id = f->dept;
    assert_int_equal(gj_wo_transition(f->db, f->user, w, "teleported", NULL, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "teleported"));
    assert_int_equal(gj_wo_transition(f->db, f->user, w, NULL, NULL, &err), GJ_EINVAL);

    /* An event the database refuses after the row was updated (a breach
     * is recorded once): the update is undone with it. */
    assert_int_equal(gj_wo_event_add(f->db, 0, w->id, "resolve_breached", NULL, &err), GJ_OK);
    assert_int_equal(gj_wo_transition(f->db, f->user, w, "resolve_breached", "again", &err),
                     GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "already recorded"));

    struct gj_work_order *got = calloc(1, sizeof *got);
    assert_int_equal(gj_wo_get(f->db, w->id, got, &err), GJ_OK);
    assert_wo_same(got, before); /* state new, version 1, no department */
    assert_int_equal(w->meta.version, 1);
    assert_int_equal(events_of(f, w->id, ev, 8), 2); /* created, resolve_breached */
    assert_int_equal(audit_rows(f, w->id), 1);       /* the update's audit row went too */

    /* The same order, with a proper event, goes through. */
    assert_int_equal(gj_wo_transition(f->db, f->user, w, "dispatched", NULL, &err), GJ_OK);
    assert_int_equal(gj_wo_get(f->db, w->id, got, &err), GJ_OK);
    assert_string_equal(got->state, "dispatched");
    assert_int_equal(events_of(f, w->id, ev, 8), 3);
    free(got);
    free(before);
    free(w);
}

static void test_stale_version_conflicts(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_work_order *w = new_wo(f);
    assert_int_equal(gj_wo_create(f->db, 0, w, &err), GJ_OK);
    struct gj_work_order *a = wo_copy(w), *b = wo_copy(w);
    strcpy(a->description, "第一个人的修改");
    assert_int_equal(gj_wo_update(f->db, 0, a, &err), GJ_OK);

    strcpy(b->description, "第二个人的修改");
    assert_int_equal(gj_wo_update(f->db, 0, b, &err), GJ_ECONFLICT);
    assert_non_null(strstr(err.msg, "reload"));
    strcpy(b->state, "cancelled");
    strcpy(b->cancel_reason, "业主取消");
    assert_int_equal(gj_wo_transition(f->db, 0, b, "cancelled", NULL, &err), GJ_ECONFLICT);
    assert_int_equal(b->meta.version, 1);

    struct gj_work_order *got = calloc(1, sizeof *got);
    assert_int_equal(gj_wo_get(f->db, w->id, got, &err), GJ_OK);
    assert_wo_same(got, a);
    assert_int_equal(got->meta.version, 2);
    struct gj_wo_event ev[4];
    assert_int_equal(events_of(f, w->id, ev, 4), 1);
    free(got);
    free(a);
    free(b);
    free(w);
}

/* ---- the schema's rules --------------------------------------------------- */

static void expect_refused(struct fx *f, struct gj_work_order *w, const char *kind, const char *msg)
{
    struct gj_error err;
    struct gj_work_order *before = calloc(1, sizeof *before);
    assert_int_equal(gj_wo_get(f->db, w->id, before, &err), GJ_OK);
    struct gj_wo_event ev[16];
    int events = events_of(f, w->id, ev, 16);
    assert_int_equal(gj_wo_transition(f->db, f->user, w, kind, NULL, &err), GJ_ECONSTRAINT);
    if (!strstr(err.msg, msg))
        fail_msg("expected \"%s\", got: %s", msg, err.msg);
    struct gj_work_order *got = calloc(1, sizeof *got);
    assert_int_equal(gj_wo_get(f->db, w->id, got, &err), GJ_OK);
    assert_wo_same(got, before);
    assert_int_equal(events_of(f, w->id, ev, 16), events);
    free(got);
    free(before);
}

static void test_schema_state_rules(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_work_order *w = new_wo(f);
    assert_int_equal(gj_wo_create(f->db, 0, w, &err), GJ_OK);
    struct gj_work_order *keep = wo_copy(w);

    strcpy(w->state, "dispatched");
    expect_refused(f, w, "dispatched", "a dispatched order needs a department");

    memcpy(w, keep, sizeof *w);
    strcpy(w->state, "cancelled");
    expect_refused(f, w, "cancelled", "cancelling an order needs a reason");

    memcpy(w, keep, sizeof *w);
    strcpy(w->state, "on_hold");
    w->department_id = f->dept;
    expect_refused(f, w, "held", "putting an order on hold needs a reason");

    memcpy(w, keep, sizeof *w);
    strcpy(w->state, "closed");
    w->department_id = f->dept;
    w->resolved_at = w->closed_at = gj_now();
    strcpy(w->resolution, "已修好");
    expect_refused(f, w, "closed", "closing an order needs the owner's satisfaction");

    /* With the owner's satisfaction it closes. */
    w->satisfaction = 5;
    assert_int_equal(gj_wo_transition(f->db, f->user, w, "closed", NULL, &err), GJ_OK);
    struct gj_work_order *got = calloc(1, sizeof *got);
    assert_int_equal(gj_wo_get(f->db, w->id, got, &err), GJ_OK);
    assert_string_equal(got->state, "closed");
    assert_int_equal(got->satisfaction, 5);
    free(got);
    free(keep);
    free(w);
}

/* Events are append-only, whoever tries: the database refuses. */
static void test_events_append_only(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_work_order *w = new_wo(f);
    assert_int_equal(gj_wo_create(f->db, 0, w, &err), GJ_OK);
    assert_int_equal(gj_wo_event_add(f->db, f->user, w->id, "note", "业主来电询问", &err), GJ_OK);
    assert_int_not_equal(
        sqlite3_exec(f->raw, "UPDATE work_order_events SET note = 'rewritten'", NULL, NULL, NULL),
        SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(f->raw), "append-only"));
    assert_int_not_equal(sqlite3_exec(f->raw, "DELETE FROM work_order_events", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(f->raw, "DELETE FROM work_orders", NULL, NULL, NULL),
                         SQLITE_OK);
    struct gj_wo_event ev[4];
    assert_int_equal(events_of(f, w->id, ev, 4), 2);
    assert_string_equal(ev[1].note, "业主来电询问");
    assert_int_equal(ev[1].user_id, f->user);
    free(w);
}

/* ---- events without a state change ---------------------------------------- */

static void test_event_add_and_breach_once(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_work_order *w = new_wo(f), *w2 = new_wo(f);
    assert_int_equal(gj_wo_create(f->db, 0, w, &err), GJ_OK);
    assert_int_equal(gj_wo_create(f->db, 0, w2, &err), GJ_OK);

    assert_int_equal(gj_wo_event_add(f->db, 0, w->id, "chased", "业主第二次催促", &err), GJ_OK);
    assert_int_equal(gj_wo_event_add(f->db, 0, w->id, "note", NULL, &err), GJ_OK);
    assert_int_equal(gj_wo_event_add(f->db, 0, w->id, "respond_breached", NULL, &err), GJ_OK);
    /* Again: a distinct status a periodic check can ignore; nothing added. */
    assert_int_equal(gj_wo_event_add(f->db, 0, w->id, "respond_breached", NULL, &err),
                     GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "this breach is already recorded"));
    assert_int_equal(gj_wo_event_add(f->db, 0, w->id, "respond_breached", "x", &err),
                     GJ_ECONSTRAINT);
    /* The other breach, and the same breach of another order, are new. */
    assert_int_equal(gj_wo_event_add(f->db, 0, w->id, "resolve_breached", NULL, &err), GJ_OK);
    assert_int_equal(gj_wo_event_add(f->db, 0, w2->id, "respond_breached", NULL, &err), GJ_OK);

    struct gj_wo_event ev[16];
    int n = events_of(f, w->id, ev, 16);
    assert_int_equal(n, 5);
    int breaches = 0;
    for (int i = 0; i < n; i++)
        breaches += strcmp(ev[i].kind, "respond_breached") == 0;
    assert_int_equal(breaches, 1);
    assert_string_equal(ev[1].kind, "chased");
    assert_string_equal(ev[1].note, "业主第二次催促");
    assert_string_equal(ev[1].from_state, "");
    assert_string_equal(ev[1].to_state, "");

    /* Kinds that change the order need a transition; unknown ones are refused. */
    assert_int_equal(gj_wo_event_add(f->db, 0, w->id, "closed", NULL, &err), GJ_EINVAL);
    assert_int_equal(gj_wo_event_add(f->db, 0, w->id, "created", NULL, &err), GJ_EINVAL);
    assert_int_equal(gj_wo_event_add(f->db, 0, w->id, "gossip", NULL, &err), GJ_EINVAL);
    char *long_note = malloc(4002);
    memset(long_note, 'n', 4001);
    long_note[4001] = '\0';
    assert_int_equal(gj_wo_event_add(f->db, 0, w->id, "note", long_note, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "note"));
    free(long_note);
    assert_int_equal(gj_wo_event_add(f->db, 0, 999, "note", NULL, &err), GJ_ENOTFOUND);
    assert_int_equal(events_of(f, w->id, ev, 16), 5);
    /* The order itself is untouched by its events. */
    struct gj_work_order *got = calloc(1, sizeof *got);
    assert_int_equal(gj_wo_get(f->db, w->id, got, &err), GJ_OK);
    assert_int_equal(got->meta.version, 1);
    free(got);
    free(w);
    free(w2);
}

static void test_events_paging(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_work_order *w = new_wo(f), *other = new_wo(f);
    assert_int_equal(gj_wo_create(f->db, 0, w, &err), GJ_OK);
    assert_int_equal(gj_wo_create(f->db, 0, other, &err), GJ_OK);
    char note[32];
    for (int i = 1; i <= 7; i++) {
        snprintf(note, sizeof note, "note %d", i);
        assert_int_equal(gj_wo_event_add(f->db, 0, w->id, "note", note, &err), GJ_OK);
        assert_int_equal(gj_wo_event_add(f->db, 0, other->id, "note", "other", &err), GJ_OK);
    }
    struct gj_wo_event page[3];
    int64_t after = 0, last = 0;
    int total = 0, n = 0;
    do {
        assert_int_equal(gj_wo_events(f->db, w->id, after, 3, page, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++) {
            assert_int_equal(page[i].work_order_id, w->id);
            assert_true(page[i].id > last);
            last = page[i].id;
            if (total == 0) {
                assert_string_equal(page[i].kind, "created");
            } else {
                snprintf(note, sizeof note, "note %d", total);
                assert_string_equal(page[i].note, note);
            }
            total++;
        }
        if (n)
            after = page[n - 1].id;
    } while (n == 3);
    assert_int_equal(total, 8);
    free(w);
    free(other);
}

/* ---- lists ---------------------------------------------------------------- */

static void test_list_open_paging(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t base = gj_now();
    /* 14 orders; dues with ties; every state represented. */
    const int dues[14] = {5, 3, 3, 9, 1, 3, 7, 7, 2, 8, 3, 6, 4, 1};
    const char *states[14] = {"new",        "dispatched", "in_progress", "on_hold", "resolved",
                              "new",        "closed",     "cancelled",   "on_hold", "new",
                              "dispatched", "resolved",   "in_progress", "new"};
    int64_t ids[14];
    int open = 0;
    for (int i = 0; i < 14; i++) {
        struct gj_work_order *w = new_wo(f);
        w->respond_due_at = base + 60;
        w->resolve_due_at = base + dues[i] * 3600;
        if (i % 2)
            w->unit_id = f->unit2;
        assert_int_equal(gj_wo_create(f->db, 0, w, &err), GJ_OK);
        ids[i] = w->id;
        if (strcmp(states[i], "new") != 0) {
            strcpy(w->state, states[i]);
            w->department_id = f->dept;
            if (strcmp(states[i], "on_hold") == 0) {
                w->hold_started_at = base;
                strcpy(w->hold_reason, "owner");
            }
            if (strcmp(states[i], "cancelled") == 0)
                strcpy(w->cancel_reason, "重复报修");
            if (strcmp(states[i], "closed") == 0)
                w->satisfaction = 3;
            assert_int_equal(gj_wo_transition(f->db, 0, w, "note", NULL, &err), GJ_OK);
        }
        if (strcmp(states[i], "resolved") && strcmp(states[i], "closed") &&
            strcmp(states[i], "cancelled"))
            open++;
        free(w);
    }
    assert_int_equal(open, 10);

    struct gj_work_order *page = calloc(4, sizeof *page);
    int64_t after_due = 0, after_id = 0, seen[20];
    int total = 0, n = 0, pages = 0;
    do {
        assert_int_equal(gj_wo_list_open(f->db, after_due, after_id, 4, page, &n, &err), GJ_OK);
        pages++;
        for (int i = 0; i < n; i++) {
            const struct gj_work_order *r = &page[i];
            assert_true(strcmp(r->state, "resolved") && strcmp(r->state, "closed") &&
                        strcmp(r->state, "cancelled"));
            /* strictly after the previous row, in (due, id) order */
            assert_true(r->resolve_due_at > after_due ||
                        (r->resolve_due_at == after_due && r->id > after_id));
            after_due = r->resolve_due_at;
            after_id = r->id;
            assert_true(total < 20);
            seen[total++] = r->id;
        }
    } while (n == 4);
    assert_int_equal(total, open);
    assert_int_equal(pages, 3); /* 4 + 4 + 2 */
    for (int i = 0; i < 14; i++) {
        int hits = 0;
        for (int k = 0; k < total; k++)
            hits += seen[k] == ids[i];
        int is_open = strcmp(states[i], "resolved") && strcmp(states[i], "closed") &&
                      strcmp(states[i], "cancelled");
        assert_int_equal(hits, is_open);
    }
    /* The first of all: due in 1 hour, the smaller id of the two. */
    assert_int_equal(gj_wo_list_open(f->db, 0, 0, 1, page, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(page[0].id, ids[13]); /* ids[4] (also due 1) is resolved */

    /* Counts per unit: even rows are unit, odd rows unit2. */
    int64_t c1 = -1, c2 = -1;
    assert_int_equal(gj_wo_count_open_by_unit(f->db, f->unit, &c1, &err), GJ_OK);
    assert_int_equal(gj_wo_count_open_by_unit(f->db, f->unit2, &c2, &err), GJ_OK);
    assert_int_equal(c1, 5); /* 0 new, 2 in_progress, 8 on_hold, 10 dispatched, 12 in_progress */
    assert_int_equal(c2, 5); /* 1, 3, 5, 9, 13 */
    int64_t c0 = -1;
    assert_int_equal(gj_wo_count_open_by_unit(f->db, 999, &c0, &err), GJ_OK);
    assert_int_equal(c0, 0);
    free(page);
}

static void test_list_by_unit_newest_first(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    /* Seven orders of the unit at five moments (two ties), two of another. */
    const char *times[7] = {"2026-11-01T08:00", "2026-11-02T08:00", "2026-11-02T08:00",
                            "2026-11-03T08:00", "2026-11-05T08:00", "2026-11-05T08:00",
                            "2026-11-04T08:00"};
    int64_t ids[7];
    for (int i = 0; i < 7; i++) {
        setenv("GUANJIA_NOW", times[i], 1);
        struct gj_work_order *w = new_wo(f);
        assert_int_equal(gj_wo_create(f->db, 0, w, &err), GJ_OK);
        ids[i] = w->id;
        if (i == 3) {
            struct gj_work_order *o = new_wo(f);
            o->unit_id = f->unit2;
            assert_int_equal(gj_wo_create(f->db, 0, o, &err), GJ_OK);
            assert_int_equal(gj_wo_create(f->db, 0, o, &err), GJ_OK);
            free(o);
        }
        free(w);
    }
    /* Newest first; ties by id, larger first. */
    const int64_t expect[7] = {ids[5], ids[4], ids[6], ids[3], ids[2], ids[1], ids[0]};
    struct gj_work_order *page = calloc(3, sizeof *page);
    int64_t after_at = 0, after_id = 0;
    int total = 0, n = 0;
    do {
        assert_int_equal(gj_wo_list_by_unit(f->db, f->unit, after_at, after_id, 3, page, &n, &err),
                         GJ_OK);
        for (int i = 0; i < n; i++) {
            assert_true(total < 7);
            assert_int_equal(page[i].unit_id, f->unit);
            assert_int_equal(page[i].id, expect[total]);
            total++;
            after_at = page[i].created_at;
            after_id = page[i].id;
        }
    } while (n == 3);
    assert_int_equal(total, 7);
    assert_int_equal(gj_wo_list_by_unit(f->db, f->unit2, 0, 0, 3, page, &n, &err), GJ_OK);
    assert_int_equal(n, 2);
    assert_true(page[0].id > page[1].id);

    /* A cancelled order leaves the open count. */
    int64_t c = -1;
    assert_int_equal(gj_wo_count_open_by_unit(f->db, f->unit, &c, &err), GJ_OK);
    assert_int_equal(c, 7);
    struct gj_work_order *w = calloc(1, sizeof *w);
    assert_int_equal(gj_wo_get(f->db, ids[2], w, &err), GJ_OK);
    strcpy(w->state, "cancelled");
    strcpy(w->cancel_reason, "业主自行修好");
    assert_int_equal(gj_wo_transition(f->db, 0, w, "cancelled", NULL, &err), GJ_OK);
    assert_int_equal(gj_wo_count_open_by_unit(f->db, f->unit, &c, &err), GJ_OK);
    assert_int_equal(c, 6);
    free(w);
    free(page);
}

/* ---- query plans ---------------------------------------------------------- */

/* The text of EXPLAIN QUERY PLAN for sql, one detail line after another. */
static void plan_of(sqlite3 *raw, const char *sql, char *out, size_t outsz)
{
    char q[8192];
    snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(raw, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", q, sqlite3_errmsg(raw));
    out[0] = '\0';
    size_t used = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 3);
        int k = snprintf(out + used, outsz - used, "%s\n", d ? d : "");
        assert_true(k > 0 && (size_t)k < outsz - used);
        used += (size_t)k;
    }
    sqlite3_finalize(st);
}

/* The queries of src/repo/workorders.c, copied word for word. */
#define WO_COLS                                                                                    \
    "id, coalesce(unit_id, 0), coalesce(person_id, 0), channel, category, priority, state, "       \
    "description, coalesce(appointment_at, 0), respond_due_at, resolve_due_at, "                   \
    "coalesce(promised_at, 0), promise_reason, coalesce(department_id, 0), "                       \
    "coalesce(assignee_staff_id, 0), coalesce(responded_at, 0), coalesce(resolved_at, 0), "        \
    "coalesce(closed_at, 0), paused_seconds, coalesce(hold_started_at, 0), hold_reason, "          \
    "resolution, coalesce(satisfaction, 0), feedback, cancel_reason, chase_count, created_at, "    \
    "coalesce(created_by, 0), version, updated_at, coalesce(updated_by, 0), due_at"
#define WO_OPEN_ARM(state)                                                                         \
    "SELECT " WO_COLS " FROM work_orders WHERE state = '" state "' "                               \
    "AND (due_at, id) > (?1, ?2)"

/* The queue is in the order of the deadlines it shows: a promised time
 * and the pauses so far move an order, in the list and in the count of
 * overdue orders alike. */
static void test_queue_follows_the_deadline_shown(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t now = gj_now();
    struct gj_work_order *a = new_wo(f), *b = new_wo(f), *c = new_wo(f);
    a->resolve_due_at = now + 3600;
    b->resolve_due_at = now + 7200;
    c->respond_due_at = now - 120; /* answered in time, but overdue */
    c->responded_at = now - 600;
    c->resolve_due_at = now - 60;
    assert_int_equal(gj_wo_create(f->db, 0, a, &err), GJ_OK);
    assert_int_equal(gj_wo_create(f->db, 0, b, &err), GJ_OK);
    assert_int_equal(gj_wo_create(f->db, 0, c, &err), GJ_OK);
    int64_t overdue = 0;
    assert_int_equal(gj_wo_count_overdue(f->db, now, &overdue, &err), GJ_OK);
    assert_int_equal(overdue, 1);
    /* a is promised for five hours from now; c was paused for two hours. */
    a->promised_at = now + 5 * 3600;
    strcpy(a->promise_reason, "业主下午才在家");
    assert_int_equal(gj_wo_update(f->db, 0, a, &err), GJ_OK);
    c->paused_seconds = 7200;
    assert_int_equal(gj_wo_update(f->db, 0, c, &err), GJ_OK);
    struct gj_work_order *page = calloc(3, sizeof *page);
    int n = 0;
    assert_int_equal(gj_wo_list_open(f->db, INT64_MIN, 0, 3, page, &n, &err), GJ_OK);
    assert_int_equal(n, 3);
    assert_int_equal(page[0].id, c->id); /* due in 1 h 59 min, after its pause */
    assert_int_equal(page[1].id, b->id); /* due in 2 h */
    assert_int_equal(page[2].id, a->id); /* promised in 5 h */
    /* And read backwards from the end. */
    assert_int_equal(gj_wo_list_open_before(f->db, INT64_MAX, INT64_MAX, 3, page, &n, &err), GJ_OK);
    assert_int_equal(n, 3);
    assert_int_equal(page[0].id, a->id);
    assert_int_equal(page[2].id, c->id);
    assert_int_equal(gj_wo_count_overdue(f->db, now, &overdue, &err), GJ_OK);
    assert_int_equal(overdue, 0);
    free(page);
    free(a);
    free(b);
    free(c);
}

static void test_lists_use_indexes(void **state)
{
    struct fx *f = *state;
    /* Some rows, so the planner sees a real table (the product runs no
     * ANALYZE, so neither does the test). */
    struct gj_error err;
    for (int i = 0; i < 30; i++) {
        struct gj_work_order *w = new_wo(f);
        w->resolve_due_at += i * 60;
        assert_int_equal(gj_wo_create(f->db, 0, w, &err), GJ_OK);
        free(w);
    }
    char plan[4096];
    plan_of(f->raw,
            WO_OPEN_ARM("new") " UNION ALL " WO_OPEN_ARM("dispatched") " UNION ALL " WO_OPEN_ARM(
                "in_progress") " UNION ALL " WO_OPEN_ARM("on_hold") " ORDER BY due_at, id LIMIT ?3",
            plan, sizeof plan);
    if (!strstr(plan, "USING INDEX wo_state_due_at") || strstr(plan, "SCAN work_orders"))
        fail_msg("the open list does not use wo_state_due_at:\n%s", plan);
    if (strstr(plan, "TEMP B-TREE"))
        fail_msg("the open list sorts instead of merging index walks:\n%s", plan);

    plan_of(f->raw,
            "SELECT " WO_COLS " FROM work_orders WHERE unit_id = ? AND (created_at, id) < (?, ?) "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            plan, sizeof plan);
    if (!strstr(plan, "USING INDEX wo_unit") || strstr(plan, "SCAN work_orders"))
        fail_msg("the unit list does not use wo_unit:\n%s", plan);

    plan_of(f->raw,
            "SELECT count(*) FROM work_orders WHERE unit_id = ? AND state IN "
            "('new', 'dispatched', 'in_progress', 'on_hold')",
            plan, sizeof plan);
    if (!strstr(plan, "USING INDEX") || strstr(plan, "SCAN work_orders"))
        fail_msg("the open count scans the table:\n%s", plan);
}

int main(void)
{
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_get_update_every_field, setup_file, teardown),
        cmocka_unit_test_setup_teardown(test_get_missing, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_validation_names_the_field, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_transition_writes_row_and_event, setup_file, teardown),
        cmocka_unit_test_setup_teardown(test_transition_rolls_back_when_event_fails, setup_file,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stale_version_conflicts, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_schema_state_rules, setup_file, teardown),
        cmocka_unit_test_setup_teardown(test_events_append_only, setup_file, teardown),
        cmocka_unit_test_setup_teardown(test_event_add_and_breach_once, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_events_paging, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_list_open_paging, setup_file, teardown),
        cmocka_unit_test_setup_teardown(test_list_by_unit_newest_first, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_lists_use_indexes, setup_file, teardown),
        cmocka_unit_test_setup_teardown(test_queue_follows_the_deadline_shown, setup_file,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
