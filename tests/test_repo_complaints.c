/* repo/complaints: create/get/update round trips, the level set from the
 * grade, the event written with every create and transition, rollback
 * when the event cannot be written, escalations recorded once per cycle
 * and reason, stale versions, keyset paging of the open and revisit
 * lists, the schema's closing rules and append-only events. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_owners.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fixture -------------------------------------------------------------- */

struct fx {
    char dir[256];
    struct gj_db *db;
    sqlite3 *raw;
    int64_t user, user2, unit, unit2, person;
};

static int64_t audit_rows(struct fx *f, int64_t id)
{
    return gj_test_scalar(
        f->raw, "SELECT count(*) FROM audit_log WHERE entity = 'complaints' AND entity_id = ?", id);
}

static void make_owners(struct fx *f)
{
    struct gj_unit u = {.building = 7,
                        .entrance = 2,
                        .room = 1203,
                        .area_centi_m2 = 12000,
                        .delivered_at = gj_now() - 86400 * 400};
    f->unit = gj_test_add_unit(f->db, 0, &u);
    u.room = 1204;
    f->unit2 = gj_test_add_unit(f->db, 0, &u);
    f->person = gj_test_add_person(f->db, 0, "李四", "13900139000");
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

static struct gj_complaint *new_complaint(const struct fx *f, const char *grade)
{
    struct gj_complaint *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->unit_id = f->unit;
    c->person_id = f->person;
    strcpy(c->channel, "phone");
    strcpy(c->subject, "楼上装修噪音");
    strcpy(c->detail, "晚上十点以后还在施工。");
    strcpy(c->category, "noise");
    strcpy(c->grade, grade);
    c->ack_due_at = gj_now() + 3600;
    c->resolve_due_at = gj_now() + 2 * 86400;
    return c;
}

static struct gj_complaint *c_copy(const struct gj_complaint *c)
{
    struct gj_complaint *d = malloc(sizeof *d);
    assert_non_null(d);
    memcpy(d, c, sizeof *d);
    return d;
}

static struct gj_complaint *c_get(struct fx *f, int64_t id)
{
    struct gj_error err;
    struct gj_complaint *c = calloc(1, sizeof *c);
    assert_non_null(c);
    if (gj_complaint_get(f->db, id, c, &err) != GJ_OK)
        fail_msg("get %lld: %s", (long long)id, err.msg);
    return c;
}

static void assert_c_same(const struct gj_complaint *a, const struct gj_complaint *b)
{
    assert_int_equal(a->id, b->id);
    assert_int_equal(a->unit_id, b->unit_id);
    assert_int_equal(a->person_id, b->person_id);
    assert_string_equal(a->channel, b->channel);
    assert_string_equal(a->subject, b->subject);
    assert_string_equal(a->detail, b->detail);
    assert_string_equal(a->category, b->category);
    assert_string_equal(a->grade, b->grade);
    assert_int_equal(a->level, b->level);
    assert_string_equal(a->state, b->state);
    assert_int_equal(a->cycle, b->cycle);
    assert_int_equal(a->assignee_user_id, b->assignee_user_id);
    assert_int_equal(a->ack_due_at, b->ack_due_at);
    assert_int_equal(a->resolve_due_at, b->resolve_due_at);
    assert_int_equal(a->acknowledged_at, b->acknowledged_at);
    assert_int_equal(a->resolved_at, b->resolved_at);
    assert_int_equal(a->revisit_due_at, b->revisit_due_at);
    assert_int_equal(a->revisited_at, b->revisited_at);
    assert_int_equal(a->closed_at, b->closed_at);
    assert_string_equal(a->action_taken, b->action_taken);
    assert_string_equal(a->result, b->result);
    assert_string_equal(a->root_cause, b->root_cause);
    assert_string_equal(a->corrective_action, b->corrective_action);
    assert_int_equal(a->satisfaction, b->satisfaction);
    assert_string_equal(a->revisit_comment, b->revisit_comment);
    assert_int_equal(a->created_at, b->created_at);
    assert_int_equal(a->created_by, b->created_by);
    assert_int_equal(a->meta.version, b->meta.version);
    assert_int_equal(a->meta.updated_at, b->meta.updated_at);
    assert_int_equal(a->meta.updated_by, b->meta.updated_by);
}

static int events_of(struct fx *f, int64_t id, struct gj_complaint_event *rows, int max)
{
    struct gj_error err;
    int n = -1;
    assert_int_equal(gj_complaint_events(f->db, id, 0, max, rows, &n, &err), GJ_OK);
    return n;
}

/* An event to pass to transition/event_add: no levels, no reason. */
static struct gj_complaint_event *new_event(const char *kind)
{
    struct gj_complaint_event *e = calloc(1, sizeof *e);
    assert_non_null(e);
    strcpy(e->kind, kind);
    e->from_level = e->to_level = -1;
    return e;
}

static struct gj_complaint_event *escalation(int64_t complaint_id, const char *reason, int from)
{
    struct gj_complaint_event *e = new_event("escalated");
    e->complaint_id = complaint_id;
    strcpy(e->reason, reason);
    e->from_level = from;
    e->to_level = from + 1;
    return e;
}

/* ---- round trips ---------------------------------------------------------- */

static void test_create_get_update_every_field(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t now = gj_now();
    struct gj_complaint *c = new_complaint(f, "moderate");
    strcpy(c->channel, "email");
    strcpy(c->subject, "物业前台态度差");
    strcpy(c->detail, "上午去前台咨询，\n工作人员不理不睬。\t希望改进。");
    strcpy(c->category, "attitude");
    strcpy(c->state, "closed"); /* ignored: a new complaint is open */
    c->level = 3;               /* ignored: the grade decides */
    c->cycle = 9;               /* ignored: cycle 1 */
    c->assignee_user_id = f->user2;
    c->ack_due_at = now + 600;
    c->resolve_due_at = now + 600; /* equal is allowed */
    c->acknowledged_at = now + 60;
    c->resolved_at = now + 120;
    c->revisit_due_at = now + 3 * 86400;
    c->revisited_at = now + 4 * 86400;
    c->closed_at = now + 5 * 86400;
    strcpy(c->action_taken, "主管当面致歉");
    strcpy(c->result, "业主接受");
    strcpy(c->root_cause, "新员工未培训");
    strcpy(c->corrective_action, "安排服务礼仪培训");
    c->satisfaction = 4;
    strcpy(c->revisit_comment, "回访满意");
    assert_int_equal(gj_complaint_create(f->db, f->user, c, &err), GJ_OK);
    assert_true(c->id > 0);
    assert_string_equal(c->state, "open");
    assert_int_equal(c->level, 1);
    assert_int_equal(c->cycle, 1);
    assert_int_equal(c->created_at, now);
    assert_int_equal(c->created_by, f->user);
    assert_int_equal(c->meta.version, 1);
    assert_int_equal(c->meta.updated_by, f->user);
    struct gj_complaint *got = c_get(f, c->id);
    assert_c_same(got, c);
    free(got);

    struct gj_complaint_event ev[4];
    assert_int_equal(events_of(f, c->id, ev, 4), 1);
    assert_string_equal(ev[0].kind, "created");
    assert_int_equal(ev[0].complaint_id, c->id);
    assert_int_equal(ev[0].cycle, 1);
    assert_int_equal(ev[0].at, now);
    assert_int_equal(ev[0].user_id, f->user);
    assert_string_equal(ev[0].reason, "");
    assert_int_equal(ev[0].from_level, -1);
    assert_int_equal(ev[0].to_level, -1);
    assert_string_equal(ev[0].note, "");
    assert_int_equal(audit_rows(f, c->id), 1);

    /* Change every mutable field; clear the optional ones. */
    setenv("GUANJIA_NOW", "2026-11-30T14:00", 1);
    int64_t later = gj_now();
    c->unit_id = f->unit2;
    c->person_id = 0;
    strcpy(c->channel, "walk_in");
    strcpy(c->subject, "垃圾未及时清运");
    strcpy(c->detail, "三号楼垃圾桶满了两天");
    strcpy(c->category, "sanitation");
    c->assignee_user_id = 0;
    c->ack_due_at = later + 10;
    c->resolve_due_at = later + 20;
    c->acknowledged_at = c->resolved_at = c->revisit_due_at = 0;
    c->revisited_at = c->closed_at = 0;
    c->action_taken[0] = c->result[0] = c->root_cause[0] = '\0';
    c->corrective_action[0] = c->revisit_comment[0] = '\0';
    c->satisfaction = 0;
    assert_int_equal(gj_complaint_update(f->db, f->user2, c, &err), GJ_OK);
    assert_int_equal(c->meta.version, 2);
    assert_int_equal(c->meta.updated_at, later);
    assert_int_equal(c->meta.updated_by, f->user2);
    got = c_get(f, c->id);
    assert_c_same(got, c);
    assert_int_equal(got->created_at, now);
    free(got);
    assert_int_equal(events_of(f, c->id, ev, 4), 1); /* no event for an update */
    assert_int_equal(audit_rows(f, c->id), 2);

    /* State, grade, level and cycle move only with a recorded transition. */
    const char *fields[4] = {"state", "grade", "level", "cycle"};
    for (int i = 0; i < 4; i++) {
        struct gj_complaint *u = c_copy(c);
        strcpy(u->subject, "不应保存");
        if (i == 0)
            strcpy(u->state, "acknowledged");
        if (i == 1)
            strcpy(u->grade, "serious");
        if (i == 2)
            u->level = 2;
        if (i == 3)
            u->cycle = 2;
        assert_int_equal(gj_complaint_update(f->db, 0, u, &err), GJ_EINVAL);
        if (!strstr(err.msg, fields[i]))
            fail_msg("expected %s named, got: %s", fields[i], err.msg);
        free(u);
    }
    got = c_get(f, c->id);
    assert_c_same(got, c);
    free(got);
    free(c);
}

static void test_level_from_grade(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    const char *grades[3] = {"minor", "moderate", "serious"};
    for (int i = 0; i < 3; i++) {
        struct gj_complaint *c = new_complaint(f, grades[i]);
        c->level = 3 - i;
        assert_int_equal(gj_complaint_create(f->db, 0, c, &err), GJ_OK);
        assert_int_equal(c->level, i);
        struct gj_complaint *got = c_get(f, c->id);
        assert_int_equal(got->level, i);
        assert_string_equal(got->grade, grades[i]);
        assert_int_equal(got->meta.updated_by, 0);
        assert_int_equal(got->created_by, 0);
        free(got);
        free(c);
    }
    struct gj_complaint *c = c_get(f, 1);
    assert_int_equal(gj_complaint_get(f->db, 99, c, &err), GJ_ENOTFOUND);
    free(c);
}

/* ---- validation ----------------------------------------------------------- */

static void expect_invalid(struct fx *f, struct gj_complaint *c, const char *field)
{
    struct gj_error err;
    assert_int_equal(gj_complaint_create(f->db, 0, c, &err), GJ_EINVAL);
    if (!strstr(err.msg, field))
        fail_msg("expected the message to name %s, got: %s", field, err.msg);
    free(c);
}

static void test_validation_names_the_field(void **state)
{
    struct fx *f = *state;
    struct gj_complaint *c;

    c = new_complaint(f, "minor");
    strcpy(c->channel, "pigeon");
    expect_invalid(f, c, "channel");
    c = new_complaint(f, "minor");
    c->subject[0] = '\0';
    expect_invalid(f, c, "subject");
    c = new_complaint(f, "minor");
    strcpy(c->subject, "两行\n标题");
    expect_invalid(f, c, "subject");
    c = new_complaint(f, "minor");
    memset(c->subject, 's', 201);
    expect_invalid(f, c, "subject");
    c = new_complaint(f, "minor");
    strcpy(c->detail, "　 "); /* only blanks, ideographic space included */
    expect_invalid(f, c, "detail");
    c = new_complaint(f, "minor");
    memset(c->detail, 'd', 4001);
    expect_invalid(f, c, "detail");
    c = new_complaint(f, "minor");
    strcpy(c->category, "weather");
    expect_invalid(f, c, "category");
    c = new_complaint(f, "minor");
    strcpy(c->grade, "catastrophic");
    expect_invalid(f, c, "grade");
    c = new_complaint(f, "");
    expect_invalid(f, c, "grade");
    c = new_complaint(f, "minor");
    c->ack_due_at = 0;
    expect_invalid(f, c, "acknowledgement due time");
    c = new_complaint(f, "minor");
    c->resolve_due_at = c->ack_due_at - 1;
    expect_invalid(f, c, "resolution due time");
    c = new_complaint(f, "minor");
    memset(c->root_cause, 'r', 4001);
    expect_invalid(f, c, "root cause");
    c = new_complaint(f, "minor");
    memset(c->corrective_action, 'r', 4001);
    expect_invalid(f, c, "corrective action");
    c = new_complaint(f, "minor");
    memset(c->action_taken, 'r', 4001);
    expect_invalid(f, c, "action taken");
    c = new_complaint(f, "minor");
    memset(c->result, 'r', 4001);
    expect_invalid(f, c, "result");
    c = new_complaint(f, "minor");
    c->satisfaction = 6;
    expect_invalid(f, c, "satisfaction");
    c = new_complaint(f, "minor");
    memset(c->revisit_comment, 'v', 2001);
    expect_invalid(f, c, "revisit comment");

    /* Through update too: level 0..3, cycle >= 1. */
    struct gj_error err;
    c = new_complaint(f, "minor");
    assert_int_equal(gj_complaint_create(f->db, 0, c, &err), GJ_OK);
    c->level = 4;
    assert_int_equal(gj_complaint_update(f->db, 0, c, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "level"));
    c->level = 0;
    c->cycle = 0;
    assert_int_equal(gj_complaint_update(f->db, 0, c, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "cycle"));
    free(c);

    /* Nothing but that one complaint was written. */
    int64_t n = -1;
    assert_int_equal(gj_complaint_count_open_by_unit(f->db, f->unit, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
}

/* ---- transitions ---------------------------------------------------------- */

static void test_transition_writes_row_and_event(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_complaint *c = new_complaint(f, "minor");
    assert_int_equal(gj_complaint_create(f->db, f->user, c, &err), GJ_OK);

    /* Acknowledged. */
    setenv("GUANJIA_NOW", "2026-11-29T09:20", 1);
    int64_t t1 = gj_now();
    strcpy(c->state, "acknowledged");
    c->acknowledged_at = t1;
    c->assignee_user_id = f->user;
    struct gj_complaint_event *e = new_event("acknowledged");
    strcpy(e->note, "已电话联系业主");
    assert_int_equal(gj_complaint_transition(f->db, f->user, c, e, &err), GJ_OK);
    assert_true(e->id > 0);
    assert_int_equal(e->complaint_id, c->id);
    assert_int_equal(e->at, t1);
    assert_int_equal(e->user_id, f->user);
    assert_int_equal(e->cycle, 1);
    assert_int_equal(c->meta.version, 2);
    free(e);

    /* Escalated with the row's level: the levels are taken from the change. */
    strcpy(c->state, "acknowledged");
    c->level = 1;
    e = new_event("escalated");
    strcpy(e->reason, "resolve_overdue");
    assert_int_equal(gj_complaint_transition(f->db, 0, c, e, &err), GJ_OK);
    assert_int_equal(e->from_level, 0);
    assert_int_equal(e->to_level, 1);
    free(e);

    /* Resolved, then reopened into a new cycle. */
    strcpy(c->state, "resolved");
    c->resolved_at = gj_now();
    c->revisit_due_at = gj_now() + 3 * 86400;
    strcpy(c->action_taken, "约谈施工队");
    e = new_event("resolved");
    assert_int_equal(gj_complaint_transition(f->db, f->user, c, e, &err), GJ_OK);
    free(e);
    strcpy(c->state, "open");
    c->cycle = 2;
    c->resolved_at = 0;
    c->revisit_due_at = 0;
    e = new_event("reopened");
    strcpy(e->note, "业主说又开始施工");
    assert_int_equal(gj_complaint_transition(f->db, f->user2, c, e, &err), GJ_OK);
    assert_int_equal(e->cycle, 2);
    free(e);
    assert_int_equal(c->meta.version, 5);

    struct gj_complaint *got = c_get(f, c->id);
    assert_c_same(got, c);
    free(got);

    struct gj_complaint_event ev[8];
    assert_int_equal(events_of(f, c->id, ev, 8), 5);
    assert_string_equal(ev[1].kind, "acknowledged");
    assert_string_equal(ev[1].note, "已电话联系业主");
    assert_int_equal(ev[1].cycle, 1);
    assert_int_equal(ev[1].from_level, -1);
    assert_int_equal(ev[1].to_level, -1);
    assert_string_equal(ev[2].kind, "escalated");
    assert_string_equal(ev[2].reason, "resolve_overdue");
    assert_int_equal(ev[2].from_level, 0);
    assert_int_equal(ev[2].to_level, 1);
    assert_int_equal(ev[2].user_id, 0);
    assert_string_equal(ev[3].kind, "resolved");
    assert_string_equal(ev[4].kind, "reopened");
    assert_int_equal(ev[4].cycle, 2);
    assert_int_equal(ev[4].user_id, f->user2);
    assert_int_equal(audit_rows(f, c->id), 5);
    free(c);
}

/* The row and its event are one write. */
static void test_transition_rolls_back_when_event_fails(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_complaint *c = new_complaint(f, "moderate");
    assert_int_equal(gj_complaint_create(f->db, f->user, c, &err), GJ_OK);
    struct gj_complaint *before = c_get(f, c->id);
    struct gj_complaint_event ev[8];

    /* The periodic check already recorded this escalation (not the level). */
    struct gj_complaint_event *esc = escalation(c->id, "ack_overdue", 1);
    assert_int_equal(gj_complaint_event_add(f->db, 0, esc, &err), GJ_OK);
    free(esc);

    /* An invalid event kind: nothing written. */
    strcpy(c->state, "acknowledged");
    c->acknowledged_at = gj_now();
    c->level = 2;
    struct gj_complaint_event *e = new_event("shrugged");
    assert_int_equal(gj_complaint_transition(f->db, f->user, c, e, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "shrugged"));
    free(e);

    /* The same escalation again, with the row: the database refuses the
     * event after the row was written, and the row goes back. */
    e = new_event("escalated");
    strcpy(e->reason, "ack_overdue");
    strcpy(e->note, "第二次");
    assert_int_equal(gj_complaint_transition(f->db, f->user, c, e, &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "this escalation is already recorded"));
    assert_int_equal(e->id, 0); /* ev left as given */
    assert_int_equal(e->from_level, -1);
    assert_int_equal(c->meta.version, 1);
    free(e);

    struct gj_complaint *got = c_get(f, c->id);
    assert_c_same(got, before); /* open, level 1, version 1 */
    free(got);
    assert_int_equal(events_of(f, c->id, ev, 8), 2);
    assert_int_equal(audit_rows(f, c->id), 1);

    /* A proper transition of the same change goes through. */
    e = new_event("acknowledged");
    assert_int_equal(gj_complaint_transition(f->db, f->user, c, e, &err), GJ_OK);
    assert_int_equal(e->from_level, 1); /* the level moved with it */
    assert_int_equal(e->to_level, 2);
    free(e);
    got = c_get(f, c->id);
    assert_string_equal(got->state, "acknowledged");
    assert_int_equal(got->level, 2);
    free(got);
    free(before);
    free(c);
}

static void test_stale_version_conflicts(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_complaint *c = new_complaint(f, "minor");
    assert_int_equal(gj_complaint_create(f->db, 0, c, &err), GJ_OK);
    struct gj_complaint *a = c_copy(c), *b = c_copy(c);
    strcpy(a->action_taken, "已协调");
    assert_int_equal(gj_complaint_update(f->db, 0, a, &err), GJ_OK);
    strcpy(b->action_taken, "另一个人的处理");
    assert_int_equal(gj_complaint_update(f->db, 0, b, &err), GJ_ECONFLICT);
    assert_non_null(strstr(err.msg, "reload"));
    /* A stale transition writes neither the row nor the event. */
    strcpy(b->state, "acknowledged");
    struct gj_complaint_event *e = new_event("acknowledged");
    assert_int_equal(gj_complaint_transition(f->db, 0, b, e, &err), GJ_ECONFLICT);
    free(e);
    struct gj_complaint *got = c_get(f, c->id);
    assert_c_same(got, a);
    assert_int_equal(got->meta.version, 2);
    free(got);
    struct gj_complaint_event ev[4];
    assert_int_equal(events_of(f, c->id, ev, 4), 1);
    free(a);
    free(b);
    free(c);
}

/* ---- the schema's rules --------------------------------------------------- */

static void expect_refused(struct fx *f, struct gj_complaint *c, const char *msg)
{
    struct gj_error err;
    struct gj_complaint *before = c_get(f, c->id);
    struct gj_complaint_event ev[16];
    int events = events_of(f, c->id, ev, 16);
    struct gj_complaint_event *e = new_event("closed");
    assert_int_equal(gj_complaint_transition(f->db, f->user, c, e, &err), GJ_ECONSTRAINT);
    if (msg && !strstr(err.msg, msg))
        fail_msg("expected \"%s\", got: %s", msg, err.msg);
    free(e);
    struct gj_complaint *got = c_get(f, c->id);
    assert_c_same(got, before);
    assert_int_equal(events_of(f, c->id, ev, 16), events);
    free(got);
    free(before);
}

static void test_schema_closing_rules(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t now = gj_now();
    struct gj_complaint *c = new_complaint(f, "moderate");
    assert_int_equal(gj_complaint_create(f->db, 0, c, &err), GJ_OK);

    /* Resolved needs the revisit date (no friendly message for it yet). */
    strcpy(c->state, "resolved");
    c->resolved_at = now;
    struct gj_complaint_event *e = new_event("resolved");
    assert_int_equal(gj_complaint_transition(f->db, 0, c, e, &err), GJ_ECONSTRAINT);
    c->revisit_due_at = now + 3 * 86400;
    assert_int_equal(gj_complaint_transition(f->db, 0, c, e, &err), GJ_OK);
    free(e);

    /* A moderate complaint closes only with a root cause and a corrective action. */
    strcpy(c->state, "closed");
    c->closed_at = c->revisited_at = now + 86400;
    c->satisfaction = 3;
    expect_refused(f, c,
                   "a moderate or serious complaint needs a root cause and a corrective "
                   "action before it closes");
    strcpy(c->root_cause, "施工管理不到位");
    expect_refused(f, c, "root cause and a corrective action");
    strcpy(c->corrective_action, "装修时间写入装修协议");
    /* ... and only after the revisit. */
    c->satisfaction = 0;
    expect_refused(f, c, "a complaint closes only after the revisit");
    c->satisfaction = 3;
    e = new_event("closed");
    assert_int_equal(gj_complaint_transition(f->db, 0, c, e, &err), GJ_OK);
    free(e);
    struct gj_complaint *got = c_get(f, c->id);
    assert_string_equal(got->state, "closed");
    free(got);

    /* A minor one closes without a root cause. */
    struct gj_complaint *m = new_complaint(f, "minor");
    assert_int_equal(gj_complaint_create(f->db, 0, m, &err), GJ_OK);
    strcpy(m->state, "closed");
    m->revisit_due_at = now;
    m->satisfaction = 5;
    e = new_event("closed");
    assert_int_equal(gj_complaint_transition(f->db, 0, m, e, &err), GJ_OK);
    free(e);
    free(m);
    free(c);
}

static void test_events_append_only(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_complaint *c = new_complaint(f, "serious");
    assert_int_equal(gj_complaint_create(f->db, 0, c, &err), GJ_OK);
    assert_int_not_equal(
        sqlite3_exec(f->raw, "UPDATE complaint_events SET note = 'rewritten'", NULL, NULL, NULL),
        SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(f->raw), "append-only"));
    assert_int_not_equal(sqlite3_exec(f->raw, "DELETE FROM complaint_events", NULL, NULL, NULL),
                         SQLITE_OK);
    struct gj_complaint_event ev[2];
    assert_int_equal(events_of(f, c->id, ev, 2), 1);
    assert_string_equal(ev[0].note, "");
    free(c);
}

/* ---- events without writing the row ---------------------------------------- */

static int escalations(struct fx *f, int64_t id, int cycle, const char *reason)
{
    struct gj_complaint_event ev[16];
    int n = events_of(f, id, ev, 16), hits = 0;
    for (int i = 0; i < n; i++)
        hits += strcmp(ev[i].kind, "escalated") == 0 && ev[i].cycle == cycle &&
                strcmp(ev[i].reason, reason) == 0;
    return hits;
}

static void test_escalation_recorded_once(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_complaint *c = new_complaint(f, "minor");
    assert_int_equal(gj_complaint_create(f->db, 0, c, &err), GJ_OK);

    struct gj_complaint_event *e = escalation(c->id, "ack_overdue", 0);
    strcpy(e->note, "超时未受理");
    assert_int_equal(gj_complaint_event_add(f->db, f->user, e, &err), GJ_OK);
    assert_true(e->id > 0);
    assert_int_equal(e->cycle, 1); /* 0 meant the current cycle */
    assert_int_equal(e->user_id, f->user);
    free(e);
    /* However often the check runs, one row. */
    for (int i = 0; i < 3; i++) {
        e = escalation(c->id, "ack_overdue", 0);
        assert_int_equal(gj_complaint_event_add(f->db, 0, e, &err), GJ_ECONSTRAINT);
        assert_non_null(strstr(err.msg, "this escalation is already recorded"));
        assert_int_equal(e->id, 0);
        free(e);
    }
    assert_int_equal(escalations(f, c->id, 1, "ack_overdue"), 1);

    /* Another reason is another escalation. */
    e = escalation(c->id, "resolve_overdue", 1);
    assert_int_equal(gj_complaint_event_add(f->db, 0, e, &err), GJ_OK);
    free(e);
    /* A new cycle escalates afresh. */
    e = escalation(c->id, "ack_overdue", 0);
    e->cycle = 2;
    assert_int_equal(gj_complaint_event_add(f->db, 0, e, &err), GJ_OK);
    free(e);
    assert_int_equal(escalations(f, c->id, 1, "ack_overdue"), 1);
    assert_int_equal(escalations(f, c->id, 2, "ack_overdue"), 1);

    /* Escalations raise by exactly one, for a known reason. */
    e = escalation(c->id, "resolve_overdue_more", 1);
    e->to_level = 3;
    assert_int_equal(gj_complaint_event_add(f->db, 0, e, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "escalation"));
    e->to_level = 2;
    strcpy(e->reason, "bored");
    assert_int_equal(gj_complaint_event_add(f->db, 0, e, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "reason"));
    strcpy(e->reason, "resolve_overdue_more");
    e->from_level = 3;
    e->to_level = 4;
    assert_int_equal(gj_complaint_event_add(f->db, 0, e, &err), GJ_EINVAL);
    free(e);

    /* Notes are free; kinds that change the complaint need a transition. */
    e = new_event("note");
    e->complaint_id = c->id;
    strcpy(e->note, "业主再次来电");
    assert_int_equal(gj_complaint_event_add(f->db, 0, e, &err), GJ_OK);
    strcpy(e->kind, "resolved");
    assert_int_equal(gj_complaint_event_add(f->db, 0, e, &err), GJ_EINVAL);
    strcpy(e->kind, "note");
    strcpy(e->reason, "ack_overdue");
    assert_int_equal(gj_complaint_event_add(f->db, 0, e, &err), GJ_EINVAL);
    e->reason[0] = '\0';
    e->complaint_id = 999;
    assert_int_equal(gj_complaint_event_add(f->db, 0, e, &err), GJ_ENOTFOUND);
    free(e);

    struct gj_complaint_event ev[16];
    assert_int_equal(events_of(f, c->id, ev, 16), 5);
    /* The row itself is untouched by these events. */
    struct gj_complaint *got = c_get(f, c->id);
    assert_int_equal(got->meta.version, 1);
    assert_int_equal(got->level, 0);
    free(got);
    free(c);
}

static void test_events_paging(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_complaint *c = new_complaint(f, "minor"), *o = new_complaint(f, "minor");
    assert_int_equal(gj_complaint_create(f->db, 0, c, &err), GJ_OK);
    assert_int_equal(gj_complaint_create(f->db, 0, o, &err), GJ_OK);
    for (int i = 1; i <= 6; i++) {
        struct gj_complaint_event *e = new_event("note");
        e->complaint_id = c->id;
        snprintf(e->note, sizeof e->note, "note %d", i);
        assert_int_equal(gj_complaint_event_add(f->db, 0, e, &err), GJ_OK);
        e->complaint_id = o->id;
        assert_int_equal(gj_complaint_event_add(f->db, 0, e, &err), GJ_OK);
        free(e);
    }
    struct gj_complaint_event page[2];
    int64_t after = 0;
    int total = 0, n = 0;
    char note[32];
    do {
        assert_int_equal(gj_complaint_events(f->db, c->id, after, 2, page, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++) {
            assert_int_equal(page[i].complaint_id, c->id);
            assert_true(page[i].id > after);
            after = page[i].id;
            if (total > 0) {
                snprintf(note, sizeof note, "note %d", total);
                assert_string_equal(page[i].note, note);
            }
            total++;
        }
    } while (n == 2);
    assert_int_equal(total, 7);
    free(c);
    free(o);
}

/* ---- lists ---------------------------------------------------------------- */

static void test_list_open_and_revisit_paging(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t base = gj_now();
    /* 11 complaints: due (hours), state, revisit due (hours) when resolved. */
    const int dues[11] = {4, 2, 2, 6, 1, 2, 5, 3, 2, 1, 8};
    const char *states[11] = {"open",     "acknowledged", "resolved",    "open",
                              "resolved", "acknowledged", "closed",      "resolved",
                              "open",     "resolved",     "acknowledged"};
    const int revisit[11] = {0, 0, 30, 0, 10, 0, 0, 10, 0, 10, 0};
    int64_t ids[11];
    for (int i = 0; i < 11; i++) {
        struct gj_complaint *c = new_complaint(f, "minor");
        c->ack_due_at = base + 60;
        c->resolve_due_at = base + dues[i] * 3600;
        if (i >= 6)
            c->unit_id = f->unit2;
        assert_int_equal(gj_complaint_create(f->db, 0, c, &err), GJ_OK);
        ids[i] = c->id;
        if (strcmp(states[i], "open") != 0) {
            strcpy(c->state, states[i]);
            if (revisit[i])
                c->revisit_due_at = base + revisit[i] * 3600;
            if (strcmp(states[i], "closed") == 0) {
                c->revisit_due_at = base;
                c->satisfaction = 5;
            }
            struct gj_complaint_event *e = new_event("note");
            assert_int_equal(gj_complaint_transition(f->db, 0, c, e, &err), GJ_OK);
            free(e);
        }
        free(c);
    }

    /* Open and acknowledged, by (resolve_due_at, id), pages of 2; the three
     * due in 2 hours straddle a page boundary. */
    const int64_t open_expect[6] = {ids[1], ids[5], ids[8], ids[0], ids[3], ids[10]};
    struct gj_complaint *page = calloc(2, sizeof *page);
    int64_t after_due = 0, after_id = 0;
    int total = 0, n = 0;
    do {
        assert_int_equal(gj_complaint_list_open(f->db, after_due, after_id, 2, page, &n, &err),
                         GJ_OK);
        for (int i = 0; i < n; i++) {
            assert_true(total < 6);
            assert_int_equal(page[i].id, open_expect[total]);
            total++;
            after_due = page[i].resolve_due_at;
            after_id = page[i].id;
        }
    } while (n == 2);
    assert_int_equal(total, 6);

    /* Resolved, by (revisit_due_at, id): 4, 7, 9 (all 10h, across a page
     * boundary), then 2 (30h). */
    const int64_t revisit_expect[4] = {ids[4], ids[7], ids[9], ids[2]};
    after_due = after_id = 0;
    total = 0;
    do {
        assert_int_equal(
            gj_complaint_list_revisit_due(f->db, after_due, after_id, 2, page, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++) {
            assert_true(total < 4);
            assert_int_equal(page[i].id, revisit_expect[total]);
            assert_string_equal(page[i].state, "resolved");
            total++;
            after_due = page[i].revisit_due_at;
            after_id = page[i].id;
        }
    } while (n == 2);
    assert_int_equal(total, 4);

    /* Open per unit: 0, 1, 3, 5 of the first; 8, 10 of the second. */
    int64_t c1 = -1, c2 = -1, c0 = -1;
    assert_int_equal(gj_complaint_count_open_by_unit(f->db, f->unit, &c1, &err), GJ_OK);
    assert_int_equal(gj_complaint_count_open_by_unit(f->db, f->unit2, &c2, &err), GJ_OK);
    assert_int_equal(gj_complaint_count_open_by_unit(f->db, 999, &c0, &err), GJ_OK);
    assert_int_equal(c1, 4);
    assert_int_equal(c2, 2);
    assert_int_equal(c0, 0);
    free(page);
}

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

/* The queries of src/repo/complaints.c, copied word for word. */
#define COMPLAINT_COLS                                                                             \
    "id, coalesce(unit_id, 0), coalesce(person_id, 0), channel, subject, detail, category, "       \
    "grade, level, state, cycle, coalesce(assignee_user_id, 0), ack_due_at, resolve_due_at, "      \
    "coalesce(acknowledged_at, 0), coalesce(resolved_at, 0), coalesce(revisit_due_at, 0), "        \
    "coalesce(revisited_at, 0), coalesce(closed_at, 0), action_taken, result, root_cause, "        \
    "corrective_action, coalesce(satisfaction, 0), revisit_comment, created_at, "                  \
    "coalesce(created_by, 0), version, updated_at, coalesce(updated_by, 0)"
#define COMPLAINT_OPEN_ARM(state)                                                                  \
    "SELECT " COMPLAINT_COLS " FROM complaints WHERE state = '" state "' "                         \
    "AND (resolve_due_at, id) > (?1, ?2)"

static void test_lists_use_indexes(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    for (int i = 0; i < 20; i++) {
        struct gj_complaint *c = new_complaint(f, "minor");
        assert_int_equal(gj_complaint_create(f->db, 0, c, &err), GJ_OK);
        free(c);
    }
    char plan[4096];
    plan_of(f->raw,
            COMPLAINT_OPEN_ARM("open") " UNION ALL " COMPLAINT_OPEN_ARM(
                "acknowledged") " ORDER BY resolve_due_at, id LIMIT ?3",
            plan, sizeof plan);
    if (!strstr(plan, "USING INDEX complaints_state_due") || strstr(plan, "SCAN complaints") ||
        strstr(plan, "TEMP B-TREE"))
        fail_msg("the open list does not walk complaints_state_due:\n%s", plan);
    plan_of(f->raw,
            "SELECT " COMPLAINT_COLS " FROM complaints "
            "WHERE state = 'resolved' AND (revisit_due_at, id) > (?, ?) "
            "ORDER BY revisit_due_at, id LIMIT ?",
            plan, sizeof plan);
    if (!strstr(plan, "USING INDEX complaints_revisit") || strstr(plan, "SCAN complaints") ||
        strstr(plan, "TEMP B-TREE"))
        fail_msg("the revisit list does not walk complaints_revisit:\n%s", plan);
}

int main(void)
{
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_get_update_every_field, setup_file, teardown),
        cmocka_unit_test_setup_teardown(test_level_from_grade, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_validation_names_the_field, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_transition_writes_row_and_event, setup_file, teardown),
        cmocka_unit_test_setup_teardown(test_transition_rolls_back_when_event_fails, setup_file,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stale_version_conflicts, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_schema_closing_rules, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_events_append_only, setup_file, teardown),
        cmocka_unit_test_setup_teardown(test_escalation_recorded_once, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_events_paging, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_list_open_and_revisit_paging, setup_mem, teardown),
        cmocka_unit_test_setup_teardown(test_lists_use_indexes, setup_file, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
