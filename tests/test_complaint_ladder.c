/* The escalation ladder and the complaint lifecycle through the
 * repository, on a real database with the clock (GUANJIA_NOW) moved
 * forward step by step: gj_complaint_take for each grade,
 * gj_complaint_escalate_due run twice at every point of the timeline with
 * the exact escalation events read back from complaint_events, a poor
 * revisit reopening the complaint for a second cycle with its own ladder,
 * a good revisit that cannot close for a missing root cause, reassigning
 * several complaints all or none, and the supervisor's queue (filters,
 * order, paging both ways). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_complaints.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fixture -------------------------------------------------------------- */

struct fx {
    char dir[256];
    struct gj_db *db;
    sqlite3 *raw; /* a second connection, to read what was written */
    int64_t butler, butler2, supervisor, manager;
    const void *param; /* the initial state of a table-driven test */
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->param = *state;
    gj_test_set_now("2026-11-29T09:00");
    gj_test_db_open("estate.db", f->dir, sizeof f->dir, &f->db, &f->raw);
    f->butler = gj_test_add_user(f->raw, "wangfang", "王芳", "butler");
    f->butler2 = gj_test_add_user(f->raw, "zhaolei", "赵磊", "butler");
    f->supervisor = gj_test_add_user(f->raw, "liuqiang", "刘强", "supervisor");
    f->manager = gj_test_add_user(f->raw, "chenjing", "陈静", "manager");
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

/* ---- helpers -------------------------------------------------------------- */

/* Takes a complaint of grade now, as actor of role. Heap-allocated. */
static struct gj_complaint *take(struct fx *f, const char *grade, int64_t actor, enum gj_role role)
{
    struct gj_complaint *c = calloc(1, sizeof *c);
    assert_non_null(c);
    snprintf(c->channel, sizeof c->channel, "%s", "phone");
    snprintf(c->subject, sizeof c->subject, "%s", "楼上装修噪音");
    snprintf(c->detail, sizeof c->detail, "%s", "晚上十点以后还在施工。");
    snprintf(c->category, sizeof c->category, "%s", "noise");
    snprintf(c->grade, sizeof c->grade, "%s", grade);
    struct gj_error err;
    if (gj_complaint_take(f->db, actor, role, c, &err) != GJ_OK)
        fail_msg("take %s: %s", grade, err.msg);
    return c;
}

static void reread(struct fx *f, struct gj_complaint *c)
{
    struct gj_error err;
    if (gj_complaint_get(f->db, c->id, c, &err) != GJ_OK)
        fail_msg("get %lld: %s", (long long)c->id, err.msg);
}

static void do_ok(struct fx *f, int64_t actor, enum gj_role role, struct gj_complaint *c,
                  const struct gj_complaint_step *s)
{
    struct gj_error err;
    int rc = gj_complaint_do(f->db, actor, role, c, s, &err);
    if (rc != GJ_OK)
        fail_msg("%s refused (%d): %s", s->event, rc, err.msg);
}

static int64_t user_of(const struct fx *f, enum gj_role role)
{
    return role == GJ_ROLE_BUTLER       ? f->butler
           : role == GJ_ROLE_SUPERVISOR ? f->supervisor
                                        : f->manager;
}

/* A complaint of grade taken at `taken` by the fixture's user of role and,
 * unless step is NULL, stepped by the same at `then`. Heap-allocated. */
static struct gj_complaint *taken_then(struct fx *f, const char *taken, const char *grade,
                                       enum gj_role role, const struct gj_complaint_step *step,
                                       const char *then)
{
    gj_test_set_now(taken);
    struct gj_complaint *c = take(f, grade, user_of(f, role), role);
    if (step) {
        gj_test_set_now(then);
        do_ok(f, user_of(f, role), role, c, step);
    }
    return c;
}

static const struct gj_complaint_step acknowledge = {.event = "acknowledge"};

/* The sweep `guanjia escalate` runs, twice: the first records expect
 * escalations, the second nothing. */
static void sweep(struct fx *f, long expect)
{
    struct gj_error err;
    long checked = -1, recorded = -1;
    if (gj_complaint_escalate_due(f->db, gj_now(), &checked, &recorded, &err) != GJ_OK)
        fail_msg("escalate_due: %s", err.msg);
    if (recorded != expect)
        fail_msg("at %s: %ld escalations recorded, expected %ld", getenv("GUANJIA_NOW"), recorded,
                 expect);
    assert_true(checked >= (recorded > 0 ? 1 : 0));
    if (gj_complaint_escalate_due(f->db, gj_now(), &checked, &recorded, &err) != GJ_OK)
        fail_msg("escalate_due again: %s", err.msg);
    if (recorded != 0)
        fail_msg("at %s: the second run recorded %ld more", getenv("GUANJIA_NOW"), recorded);
}

/* The rows of sql (one text column, id bound to its parameter) joined by
 * spaces, oldest first. */
static const char *joined(struct fx *f, const char *sql, int64_t id)
{
    static char out[1024];
    out[0] = '\0';
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(f->raw, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s", sqlite3_errmsg(f->raw));
    sqlite3_bind_int64(st, 1, id);
    size_t len = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int n = snprintf(out + len, sizeof out - len, "%s%s", len ? " " : "",
                         (const char *)sqlite3_column_text(st, 0));
        assert_true(n > 0 && (size_t)n < sizeof out - len);
        len += (size_t)n;
    }
    sqlite3_finalize(st);
    return out;
}

/* The escalation events of a complaint as "cycle:reason:from>to". */
static const char *escalations(struct fx *f, int64_t id)
{
    return joined(f,
                  "SELECT cycle || ':' || reason || ':' || from_level || '>' || to_level "
                  "FROM complaint_events WHERE complaint_id = ? AND kind = 'escalated' "
                  "ORDER BY id",
                  id);
}

/* Every event kind of a complaint as "cycle:kind". */
static const char *kinds(struct fx *f, int64_t id)
{
    return joined(f,
                  "SELECT cycle || ':' || kind FROM complaint_events WHERE complaint_id = ? "
                  "ORDER BY id",
                  id);
}

static int level_of(struct fx *f, int64_t id)
{
    return (int)gj_test_scalar(f->raw, "SELECT level FROM complaints WHERE id = ?", id);
}

/* A point of a timeline: the clock, how many escalations the sweep then
 * records, the escalation trail after it, and the level. */
struct point {
    const char *now;
    long recorded;
    const char *trail;
    int level;
};

static void run(struct fx *f, int64_t id, const struct point *p, int n)
{
    for (int i = 0; i < n; i++) {
        gj_test_set_now(p[i].now);
        sweep(f, p[i].recorded);
        const char *got = escalations(f, id);
        if (strcmp(got, p[i].trail) != 0)
            fail_msg("at %s: escalations \"%s\", expected \"%s\"", p[i].now, got, p[i].trail);
        if (level_of(f, id) != p[i].level)
            fail_msg("at %s: level %d, expected %d", p[i].now, level_of(f, id), p[i].level);
    }
}

#define RUN(f, id, points) run(f, id, points, (int)(sizeof points / sizeof points[0]))

/* ---- the ladder of each grade --------------------------------------------- */

/* The minor ladder's escalations: recorded by the system, at the moment of
 * the sweep, naming the deadline that passed; the complaint row went up
 * with its events, and nothing else moved. */
static void minor_recorded(struct fx *f, const struct gj_complaint *c)
{
    assert_int_equal(gj_test_scalar(f->raw,
                                    "SELECT count(*) FROM complaint_events WHERE complaint_id = ? "
                                    "AND kind = 'escalated' AND user_id IS NULL",
                                    c->id),
                     3);
    assert_int_equal(gj_test_scalar(f->raw,
                                    "SELECT at FROM complaint_events WHERE complaint_id = ? "
                                    "AND reason = 'ack_overdue'",
                                    c->id),
                     gj_test_at("2026-11-29T11:00:01"));
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->raw,
                                        "SELECT note FROM complaint_events WHERE complaint_id = ? "
                                        "AND reason = 'resolve_overdue_more'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, c->id);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "2026-11-30 21:00");
    sqlite3_finalize(st);
    struct gj_complaint *now = calloc(1, sizeof *now);
    now->id = c->id;
    reread(f, now);
    assert_string_equal(now->state, "open");
    assert_int_equal(now->cycle, 1);
    assert_int_equal(now->ack_due_at, c->ack_due_at);
    assert_int_equal(now->resolve_due_at, c->resolve_due_at);
    assert_int_equal(now->meta.version, 4); /* one write per escalation */
    free(now);
}

static const struct point minor_points[] = {
    {"2026-11-29T09:00", 0, "", 0},
    {"2026-11-29T10:59:59", 0, "", 0},
    {"2026-11-29T11:00:00", 0, "", 0},
    {"2026-11-29T11:00:01", 1, "1:ack_overdue:0>1", 1},
    {"2026-11-30T09:00:00", 0, "1:ack_overdue:0>1", 1},
    {"2026-11-30T09:00:01", 1, "1:ack_overdue:0>1 1:resolve_overdue:1>2", 2},
    {"2026-11-30T21:00:00", 0, "1:ack_overdue:0>1 1:resolve_overdue:1>2", 2},
    {"2026-11-30T21:00:01", 1, "1:ack_overdue:0>1 1:resolve_overdue:1>2 1:resolve_overdue_more:2>3",
     3},
    {"2026-12-09T09:00", 0, "1:ack_overdue:0>1 1:resolve_overdue:1>2 1:resolve_overdue_more:2>3",
     3},
};

static const struct point moderate_points[] = {
    {"2026-11-29T09:59:59", 0, "", 1},
    {"2026-11-29T10:00:00", 0, "", 1},
    {"2026-11-29T10:00:01", 1, "1:ack_overdue:1>2", 2},
    {"2026-12-01T09:00:00", 0, "1:ack_overdue:1>2", 2},
    {"2026-12-01T09:00:01", 1, "1:ack_overdue:1>2 1:resolve_overdue:2>3", 3},
    /* half the 48 h window later: at the top, nothing more */
    {"2026-12-02T09:00:01", 0, "1:ack_overdue:1>2 1:resolve_overdue:2>3", 3},
    {"2026-12-20T09:00", 0, "1:ack_overdue:1>2 1:resolve_overdue:2>3", 3},
};

static const struct point serious_points[] = {
    {"2026-11-29T09:29:59", 0, "", 2},
    {"2026-11-29T09:30:00", 0, "", 2},
    {"2026-11-29T09:30:01", 1, "1:ack_overdue:2>3", 3},
    {"2026-12-02T09:00:01", 0, "1:ack_overdue:2>3", 3},
    {"2026-12-03T21:00:01", 0, "1:ack_overdue:2>3", 3},
};

/* A grade's ladder from the moment it is taken at 09:00: by the fixture's
 * user of role, at level, handled by that user or (handled 0) left to the
 * queue, with its two deadlines; then the timeline, and more checks. */
struct ladder {
    const char *grade;
    enum gj_role role;
    int level, handled;
    const char *ack_due, *resolve_due;
    const struct point *points;
    int n;
    void (*more)(struct fx *f, const struct gj_complaint *c);
};

#define POINTS(p) p, (int)(sizeof p / sizeof p[0])

static const struct ladder ladders[] = {
    {"minor", GJ_ROLE_BUTLER, 0, 1, "2026-11-29T11:00", "2026-11-30T09:00", POINTS(minor_points),
     minor_recorded},
    {"moderate", GJ_ROLE_SUPERVISOR, 1, 1, "2026-11-29T10:00", "2026-12-01T09:00",
     POINTS(moderate_points), NULL},
    /* a butler cannot handle a serious one: the queue's */
    {"serious", GJ_ROLE_BUTLER, 2, 0, "2026-11-29T09:30", "2026-12-02T09:00",
     POINTS(serious_points), NULL},
};

static void test_ladder(void **state)
{
    struct fx *f = *state;
    const struct ladder *l = f->param;
    int64_t actor = user_of(f, l->role);
    struct gj_complaint *c = take(f, l->grade, actor, l->role);
    assert_int_equal(c->level, l->level);
    assert_int_equal(c->assignee_user_id, l->handled ? actor : 0);
    assert_int_equal(c->ack_due_at, gj_test_at(l->ack_due));
    assert_int_equal(c->resolve_due_at, gj_test_at(l->resolve_due));
    run(f, c->id, l->points, l->n);
    if (l->more)
        l->more(f, c);
    free(c);
}

static void test_ladder_all_at_once(void **state)
{
    struct fx *f = *state;
    struct gj_complaint *minor = take(f, "minor", f->butler, GJ_ROLE_BUTLER);
    struct gj_complaint *moderate = take(f, "moderate", f->butler, GJ_ROLE_BUTLER);
    struct gj_complaint *serious = take(f, "serious", f->manager, GJ_ROLE_MANAGER);
    /* Nobody ran the sweep for a week: one run records everything due, in
     * deadline order, one level at a time. */
    gj_test_set_now("2026-12-06T09:00");
    sweep(f, 3 + 2 + 1);
    assert_string_equal(escalations(f, minor->id),
                        "1:ack_overdue:0>1 1:resolve_overdue:1>2 1:resolve_overdue_more:2>3");
    assert_string_equal(escalations(f, moderate->id), "1:ack_overdue:1>2 1:resolve_overdue:2>3");
    assert_string_equal(escalations(f, serious->id), "1:ack_overdue:2>3");
    free(minor);
    free(moderate);
    free(serious);
}

static void test_acknowledged_in_time(void **state)
{
    struct fx *f = *state;
    const struct gj_complaint_step ack = {.event = "acknowledge", .note = "已致电业主"};
    struct gj_complaint *c =
        taken_then(f, "2026-11-29T09:00", "minor", GJ_ROLE_BUTLER, &ack, "2026-11-29T10:30");
    assert_string_equal(c->state, "acknowledged");
    const struct point p[] = {
        {"2026-11-29T11:00:01", 0, "", 0},
        {"2026-11-30T09:00:01", 1, "1:resolve_overdue:0>1", 1},
        {"2026-11-30T21:00:01", 1, "1:resolve_overdue:0>1 1:resolve_overdue_more:1>2", 2},
        {"2026-12-20T09:00", 0, "1:resolve_overdue:0>1 1:resolve_overdue_more:1>2", 2},
    };
    RUN(f, c->id, p);
    free(c);
}

static void test_late_step_records_the_escalation_first(void **state)
{
    struct fx *f = *state;
    /* Nobody swept; the supervisor acknowledges at 10:30, after 10:00. */
    struct gj_complaint *c = taken_then(f, "2026-11-29T09:00", "moderate", GJ_ROLE_SUPERVISOR,
                                        &acknowledge, "2026-11-29T10:30");
    assert_string_equal(kinds(f, c->id), "1:created 1:escalated 1:acknowledged");
    assert_string_equal(escalations(f, c->id), "1:ack_overdue:1>2");
    assert_int_equal(c->level, 2);
    assert_int_equal(level_of(f, c->id), 2);
    /* And the sweep does not record it again. */
    sweep(f, 0);
    free(c);
}

/* A regrade recomputes the deadlines from the start of the cycle; the
 * sweep must then record exactly what the rules say is due, whatever it
 * is, just as the next step on the complaint would. */
static void test_sweep_agrees_with_the_rules_after_a_regrade(void **state)
{
    struct fx *f = *state;
    /* acknowledged in time for a minor one (11:00) */
    struct gj_complaint *c = taken_then(f, "2026-11-29T09:00", "minor", GJ_ROLE_BUTLER,
                                        &acknowledge, "2026-11-29T09:45");
    gj_test_set_now("2026-11-29T10:00");
    struct gj_complaint_step rg = {.event = "regrade", .grade = "serious", .note = "燃气泄漏"};
    do_ok(f, f->supervisor, GJ_ROLE_SUPERVISOR, c, &rg);
    assert_string_equal(c->grade, "serious");
    assert_int_equal(c->level, 2);
    assert_int_equal(c->ack_due_at, gj_test_at("2026-11-29T09:30"));
    assert_int_equal(c->resolve_due_at, gj_test_at("2026-12-02T09:00"));
    assert_string_equal(kinds(f, c->id), "1:created 1:acknowledged 1:regraded");

    gj_test_set_now("2026-11-29T10:00:01");
    reread(f, c);
    struct gj_complaint_escalation due[3];
    int n = gj_complaint_escalations_due(c, 0, gj_now(), due);
    struct gj_error err;
    long checked = 0, recorded = 0;
    assert_int_equal(gj_complaint_escalate_due(f->db, gj_now(), &checked, &recorded, &err), GJ_OK);
    free(c);
    if (recorded != n)
        fail_msg("after the regrade the rules have %d escalation(s) due (%s), the sweep recorded "
                 "%ld",
                 n, n ? due[0].reason : "-", recorded);
}

/* ---- revisits ------------------------------------------------------------- */

static void test_poor_revisit_opens_a_second_cycle(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_complaint *c = take(f, "minor", f->butler, GJ_ROLE_BUTLER);
    const struct point before[] = {
        {"2026-11-29T11:00:01", 1, "1:ack_overdue:0>1", 1},
    };
    RUN(f, c->id, before);
    reread(f, c);
    gj_test_set_now("2026-11-29T11:30");
    do_ok(f, f->butler, GJ_ROLE_BUTLER, c, &acknowledge);
    gj_test_set_now("2026-11-29T12:00");
    struct gj_complaint_step res = {
        .event = "resolve", .action_taken = "约谈施工队", .result = "已停止夜间施工"};
    do_ok(f, f->butler, GJ_ROLE_BUTLER, c, &res);
    assert_string_equal(c->state, "resolved");
    /* complaint.revisit_days, 3 by default */
    assert_int_equal(c->revisit_due_at, gj_test_at("2026-12-02T12:00"));
    /* A resolved complaint does not climb, past deadlines or not. */
    const struct point resolved[] = {
        {"2026-11-30T09:00:01", 0, "1:ack_overdue:0>1", 1},
        {"2026-11-30T21:00:01", 0, "1:ack_overdue:0>1", 1},
    };
    RUN(f, c->id, resolved);

    /* The owner rates it 2: a new cycle from now. */
    gj_test_set_now("2026-12-02T12:00");
    struct gj_complaint_step rv = {.event = "revisit", .satisfaction = 2, .note = "晚上还是吵"};
    do_ok(f, f->butler, GJ_ROLE_BUTLER, c, &rv);
    struct gj_complaint *got = calloc(1, sizeof *got);
    got->id = c->id;
    reread(f, got);
    assert_string_equal(got->state, "open");
    assert_int_equal(got->cycle, 2);
    assert_int_equal(got->cycle_started_at, gj_test_at("2026-12-02T12:00"));
    assert_int_equal(got->ack_due_at, gj_test_at("2026-12-02T14:00"));
    assert_int_equal(got->resolve_due_at, gj_test_at("2026-12-03T12:00"));
    assert_int_equal(got->level, 1);
    assert_int_equal(got->acknowledged_at, 0);
    assert_int_equal(got->resolved_at, 0);
    assert_int_equal(got->satisfaction, 2);
    assert_int_equal(got->created_at, gj_test_at("2026-11-29T09:00"));
    assert_int_equal(c->cycle, 2);
    assert_int_equal(c->meta.version, got->meta.version);
    assert_string_equal(kinds(f, c->id), "1:created 1:escalated 1:acknowledged 1:resolved "
                                         "2:reopened");
    assert_int_equal(gj_test_scalar(f->raw,
                                    "SELECT count(*) FROM complaint_events WHERE complaint_id = ? "
                                    "AND kind = 'reopened' AND note LIKE '%2/5%晚上还是吵'",
                                    c->id),
                     1);

    /* The ladder runs again for cycle 2, from the level kept. */
    const struct point after[] = {
        {"2026-12-02T14:00:00", 0, "1:ack_overdue:0>1", 1},
        {"2026-12-02T14:00:01", 1, "1:ack_overdue:0>1 2:ack_overdue:1>2", 2},
        {"2026-12-03T12:00:00", 0, "1:ack_overdue:0>1 2:ack_overdue:1>2", 2},
        {"2026-12-03T12:00:01", 1, "1:ack_overdue:0>1 2:ack_overdue:1>2 2:resolve_overdue:2>3", 3},
        /* half the window later: at the top */
        {"2026-12-04T00:00:01", 0, "1:ack_overdue:0>1 2:ack_overdue:1>2 2:resolve_overdue:2>3", 3},
    };
    RUN(f, c->id, after);
    reread(f, got);
    assert_int_equal(got->cycle, 2);
    assert_string_equal(got->state, "open");

    /* A revisit of an open complaint is refused, and changes nothing. */
    reread(f, c);
    int64_t version = c->meta.version;
    assert_int_equal(gj_complaint_do(f->db, f->butler, GJ_ROLE_BUTLER, c, &rv, &err), GJ_EINVAL);
    assert_int_equal(gj_test_scalar(f->raw, "SELECT version FROM complaints WHERE id = ?", c->id),
                     version);
    free(got);
    free(c);
}

static void test_good_revisit_without_root_cause_stays_resolved(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_complaint *c = taken_then(f, "2026-11-29T09:00", "moderate", GJ_ROLE_SUPERVISOR,
                                        &acknowledge, "2026-11-29T09:30");
    gj_test_set_now("2026-11-29T16:00");
    struct gj_complaint_step res = {.event = "resolve",
                                    .action_taken = "主管上门致歉",
                                    .result = "业主接受",
                                    .root_cause = "\xe3\x80\x80"};
    do_ok(f, f->supervisor, GJ_ROLE_SUPERVISOR, c, &res);
    assert_string_equal(c->root_cause, "");

    /* The owner rates it 4, but a moderate complaint needs a root cause
     * and a corrective action to close: it stays resolved. */
    gj_test_set_now("2026-12-02T16:00");
    struct gj_complaint_step rv = {.event = "revisit", .satisfaction = 4, .note = "满意"};
    do_ok(f, f->butler, GJ_ROLE_BUTLER, c, &rv);
    assert_string_equal(c->state, "resolved");
    assert_int_equal(c->closed_at, 0);
    assert_int_equal(c->satisfaction, 4);
    assert_int_equal(c->revisited_at, gj_test_at("2026-12-02T16:00"));
    assert_string_equal(kinds(f, c->id), "1:created 1:acknowledged 1:resolved 1:revisited");

    /* Closing is refused until both are given; each refusal writes nothing. */
    gj_test_set_now("2026-12-02T16:30");
    int64_t version = c->meta.version;
    struct gj_complaint_step close = {.event = "close"};
    assert_int_equal(gj_complaint_do(f->db, f->supervisor, GJ_ROLE_SUPERVISOR, c, &close, &err),
                     GJ_EINVAL);
    close.root_cause = "前台新员工未经培训上岗";
    assert_int_equal(gj_complaint_do(f->db, f->supervisor, GJ_ROLE_SUPERVISOR, c, &close, &err),
                     GJ_EINVAL);
    close.corrective = "\xe3\x80\x80 \xe3\x80\x80";
    assert_int_equal(gj_complaint_do(f->db, f->supervisor, GJ_ROLE_SUPERVISOR, c, &close, &err),
                     GJ_EINVAL);
    close.root_cause = NULL;
    close.corrective = "新员工上岗前完成服务礼仪培训";
    assert_int_equal(gj_complaint_do(f->db, f->supervisor, GJ_ROLE_SUPERVISOR, c, &close, &err),
                     GJ_EINVAL);
    assert_int_equal(gj_test_scalar(f->raw, "SELECT version FROM complaints WHERE id = ?", c->id),
                     version);
    assert_int_equal(gj_test_scalar(f->raw,
                                    "SELECT count(*) FROM complaints WHERE id = ? AND state = "
                                    "'resolved' AND root_cause IS NULL",
                                    c->id),
                     1);
    /* Both, by a butler: a moderate complaint is the supervisor's. */
    close.root_cause = "前台新员工未经培训上岗";
    assert_int_equal(gj_complaint_do(f->db, f->butler, GJ_ROLE_BUTLER, c, &close, &err), GJ_EPERM);
    do_ok(f, f->supervisor, GJ_ROLE_SUPERVISOR, c, &close);
    struct gj_complaint *got = calloc(1, sizeof *got);
    got->id = c->id;
    reread(f, got);
    assert_string_equal(got->state, "closed");
    assert_int_equal(got->closed_at, gj_test_at("2026-12-02T16:30"));
    assert_string_equal(got->root_cause, "前台新员工未经培训上岗");
    assert_string_equal(got->corrective_action, "新员工上岗前完成服务礼仪培训");
    assert_string_equal(kinds(f, c->id),
                        "1:created 1:acknowledged 1:resolved 1:revisited 1:closed");
    free(got);
    free(c);
}

/* A moderate complaint resolved by the supervisor with everything closing
 * needs. */
static struct gj_complaint *resolved_complete(struct fx *f)
{
    const struct gj_complaint_step res = {.event = "resolve",
                                          .action_taken = "更换损坏的门禁",
                                          .result = "门禁恢复正常",
                                          .root_cause = "门禁老化未及时巡检",
                                          .corrective = "门禁纳入每周巡检"};
    /* resolved before the acknowledge deadline: no escalation */
    return taken_then(f, "2026-11-29T09:00", "moderate", GJ_ROLE_SUPERVISOR, &res,
                      "2026-11-29T09:50");
}

static void test_good_revisit_closes_when_nothing_missing(void **state)
{
    struct fx *f = *state;
    struct gj_complaint *c = resolved_complete(f);
    gj_test_set_now("2026-12-02T15:00");
    struct gj_complaint_step rv = {.event = "revisit", .satisfaction = 5};
    do_ok(f, f->supervisor, GJ_ROLE_SUPERVISOR, c, &rv);
    assert_string_equal(c->state, "closed");
    assert_int_equal(c->closed_at, gj_test_at("2026-12-02T15:00"));
    assert_string_equal(kinds(f, c->id), "1:created 1:resolved 1:revisited 1:closed");
    free(c);
}

/* The revisit (回访) is a butler's job (GJ_ACTION_REVISIT_COMPLAINT). A
 * satisfied owner closes the complaint "when nothing is missing for
 * closing" (repo_complaints.h, gj_complaint_do): here nothing is. */
static void test_butler_revisit_closes_when_nothing_missing(void **state)
{
    struct fx *f = *state;
    struct gj_complaint *c = resolved_complete(f);
    gj_test_set_now("2026-12-02T15:00");
    struct gj_complaint_step rv = {.event = "revisit", .satisfaction = 5};
    do_ok(f, f->butler, GJ_ROLE_BUTLER, c, &rv);
    struct gj_complaint *got = calloc(1, sizeof *got);
    got->id = c->id;
    reread(f, got);
    char state_now[32];
    snprintf(state_now, sizeof state_now, "%s", got->state);
    const char *trail = kinds(f, c->id);
    free(got);
    free(c);
    if (strcmp(state_now, "closed") != 0)
        fail_msg("a butler's revisit rated 5 left a moderate complaint with its root cause and "
                 "corrective action %s (events: %s); no queue view lists it any more",
                 state_now, trail);
}

/* ---- reassigning several -------------------------------------------------- */

static void test_assign_many_all_or_none(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    /* A butler takes three moderate complaints: none is his to handle. */
    struct gj_complaint *rows = calloc(3, sizeof *rows);
    for (int i = 0; i < 3; i++) {
        struct gj_complaint *c = take(f, "moderate", f->butler, GJ_ROLE_BUTLER);
        assert_int_equal(c->assignee_user_id, 0);
        rows[i] = *c;
        free(c);
    }
    gj_test_set_now("2026-11-29T09:10");
    /* A butler may not reassign. */
    assert_int_equal(gj_complaint_assign_many(f->db, f->butler, GJ_ROLE_BUTLER, rows, 3,
                                              f->supervisor, NULL, &err),
                     GJ_EPERM);
    for (int i = 0; i < 3; i++)
        assert_int_equal(gj_test_scalar(f->raw,
                                        "SELECT count(*) FROM complaints WHERE id = ? AND "
                                        "assignee_user_id IS NULL AND version = 1",
                                        rows[i].id),
                         1);
    /* The supervisor takes them, in one go. */
    assert_int_equal(gj_complaint_assign_many(f->db, f->supervisor, GJ_ROLE_SUPERVISOR, rows, 3,
                                              f->supervisor, "主管接手", &err),
                     GJ_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rows[i].assignee_user_id, f->supervisor);
        assert_int_equal(rows[i].meta.version, 2);
        assert_int_equal(gj_test_scalar(f->raw,
                                        "SELECT assignee_user_id FROM complaints WHERE id = ?",
                                        rows[i].id),
                         f->supervisor);
        assert_string_equal(kinds(f, rows[i].id), "1:created 1:assigned");
    }

    /* Meanwhile another terminal acknowledges the second one. */
    gj_test_set_now("2026-11-29T09:20");
    struct gj_complaint *other = calloc(1, sizeof *other);
    *other = rows[1];
    do_ok(f, f->supervisor, GJ_ROLE_SUPERVISOR, other, &acknowledge);
    free(other);

    /* Handing all three to the manager with the stale second row: none
     * moves, not even the first, and rows stay as they were. */
    gj_test_set_now("2026-11-29T09:30");
    struct gj_complaint *before = calloc(3, sizeof *before);
    memcpy(before, rows, 3 * sizeof *rows);
    assert_int_equal(gj_complaint_assign_many(f->db, f->supervisor, GJ_ROLE_SUPERVISOR, rows, 3,
                                              f->manager, "转经理", &err),
                     GJ_ECONFLICT);
    assert_memory_equal(before, rows, 3 * sizeof *rows);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(gj_test_scalar(f->raw,
                                        "SELECT assignee_user_id FROM complaints WHERE id = ?",
                                        rows[i].id),
                         f->supervisor);
        assert_int_equal(
            gj_test_scalar(f->raw,
                           "SELECT count(*) FROM complaint_events WHERE complaint_id = ? "
                           "AND kind = 'assigned'",
                           rows[i].id),
            1);
    }
    assert_int_equal(
        gj_test_scalar(f->raw, "SELECT version FROM complaints WHERE id = ?", rows[0].id), 2);

    /* With the second one reread, all three move. */
    reread(f, &rows[1]);
    assert_int_equal(gj_complaint_assign_many(f->db, f->supervisor, GJ_ROLE_SUPERVISOR, rows, 3,
                                              f->manager, "转经理", &err),
                     GJ_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(gj_test_scalar(f->raw,
                                        "SELECT assignee_user_id FROM complaints WHERE id = ?",
                                        rows[i].id),
                         f->manager);
    free(before);
    free(rows);
}

/* ---- the queue ------------------------------------------------------------ */

/* The complaints of the queue tests, taken on 2026-11-29 and looked at
 * 10:30 the same day. */
struct estate {
    int64_t a, a2, b, c, d, e, g, h;
};

/* The id of c, which is freed. */
static int64_t id_of(struct gj_complaint *c)
{
    int64_t id = c->id;
    free(c);
    return id;
}

static void populate(struct fx *f, struct estate *s)
{
    const struct gj_complaint_step res = {
        .event = "resolve", .action_taken = "已处理", .result = "好"};
    const char *nine = "2026-11-29T09:00", *five_past = "2026-11-29T09:05";
    /* A, A2: minor, the butler's, due to be acknowledged at 11:00 (a tie). */
    s->a = id_of(taken_then(f, nine, "minor", GJ_ROLE_BUTLER, NULL, NULL));
    s->a2 = id_of(taken_then(f, nine, "minor", GJ_ROLE_BUTLER, NULL, NULL));
    /* B: moderate, taken by a butler, nobody's: acknowledge by 10:00. */
    s->b = id_of(taken_then(f, nine, "moderate", GJ_ROLE_BUTLER, NULL, NULL));
    /* C: serious, the manager's: acknowledge by 09:30. */
    s->c = id_of(taken_then(f, nine, "serious", GJ_ROLE_MANAGER, NULL, NULL));
    /* D: minor, acknowledged: resolve by 11-30 09:05. */
    s->d =
        id_of(taken_then(f, five_past, "minor", GJ_ROLE_BUTLER, &acknowledge, "2026-11-29T09:10"));
    /* E: moderate, the supervisor's, acknowledged: resolve by 12-01 09:05. */
    s->e = id_of(
        taken_then(f, five_past, "moderate", GJ_ROLE_SUPERVISOR, &acknowledge, "2026-11-29T09:10"));
    /* G, H: minor, resolved at 09:20 and 09:15: revisits due 12-02 09:20
     * and 09:15. */
    s->g = id_of(taken_then(f, five_past, "minor", GJ_ROLE_BUTLER, &res, "2026-11-29T09:20"));
    s->h = id_of(taken_then(f, five_past, "minor", GJ_ROLE_BUTLER, &res, "2026-11-29T09:15"));
    /* 10:30: C (2>3) and B (1>2) have escalated. */
    gj_test_set_now("2026-11-29T10:30");
    sweep(f, 2);
    assert_string_equal(escalations(f, s->c), "1:ack_overdue:2>3");
    assert_string_equal(escalations(f, s->b), "1:ack_overdue:1>2");
}

#define QMAX 16

/* The ids of one page of the queue, as "id id id" (names mapped by the
 * caller), checked to be in the order the direction promises. */
static int queue_page(struct fx *f, const struct gj_complaint_filter *q, int forward,
                      int64_t key_due, int64_t key_id, int limit, struct gj_complaint *rows)
{
    struct gj_error err;
    int n = -1;
    if (gj_complaint_queue(f->db, q, forward, key_due, key_id, limit, rows, &n, &err) != GJ_OK)
        fail_msg("queue: %s", err.msg);
    assert_true(n >= 0 && n <= limit);
    return n;
}

/* Renders the ids of rows by their letter in s. */
static const char *names(const struct estate *s, const struct gj_complaint *rows, int n)
{
    static char out[128];
    const int64_t ids[] = {s->a, s->a2, s->b, s->c, s->d, s->e, s->g, s->h};
    const char *letters[] = {"A", "A2", "B", "C", "D", "E", "G", "H"};
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        const char *name = "?";
        for (int k = 0; k < 8; k++)
            if (rows[i].id == ids[k])
                name = letters[k];
        strcat(out, i ? " " : "");
        strcat(out, name);
    }
    return out;
}

static void expect_queue(struct fx *f, const struct estate *s, const struct gj_complaint_filter *q,
                         const char *expected, const char *what)
{
    struct gj_complaint *rows = calloc(QMAX, sizeof *rows);
    int n = queue_page(f, q, 1, INT64_MIN, INT64_MIN, QMAX, rows);
    const char *got = names(s, rows, n);
    if (strcmp(got, expected) != 0)
        fail_msg("queue %s: \"%s\", expected \"%s\"", what, got, expected);
    for (int i = 1; i < n; i++) {
        int64_t d0 = gj_complaint_queue_due(&rows[i - 1], q->revisit);
        int64_t d1 = gj_complaint_queue_due(&rows[i], q->revisit);
        assert_true(d0 < d1 || (d0 == d1 && rows[i - 1].id < rows[i].id));
    }
    free(rows);
}

/* A view of the queue at 10:30 (or at now): its filter, and the
 * complaints it lists in order. */
struct view {
    const char *what, *expected;
    const char *grade; /* NULL: any */
    int unacknowledged, overdue, escalated, unassigned, butlers, revisit;
    const char *now;
};

static void expect_views(struct fx *f, const struct view *v, size_t n)
{
    struct estate s;
    populate(f, &s);
    for (size_t i = 0; i < n; i++) {
        struct gj_complaint_filter q;
        memset(&q, 0, sizeof q);
        q.now = v[i].now ? gj_test_at(v[i].now) : gj_now();
        snprintf(q.grade, sizeof q.grade, "%s", v[i].grade ? v[i].grade : "");
        q.unacknowledged = v[i].unacknowledged;
        q.overdue = v[i].overdue;
        q.escalated = v[i].escalated;
        q.unassigned = v[i].unassigned;
        q.assignee = v[i].butlers ? f->butler : 0;
        q.revisit = v[i].revisit;
        expect_queue(f, &s, &q, v[i].expected, v[i].what);
    }
}

static void test_queue_filters(void **state)
{
    static const struct view views[] = {
        /* Grade only. */
        {"minor", "A A2 D", .grade = "minor"},
        {"serious", "C", .grade = "serious"},
        {"moderate", "B E", .grade = "moderate"},
        /* Minor and not yet acknowledged. */
        {"minor unacknowledged", "A A2", .grade = "minor", .unacknowledged = 1},
        /* The revisit view: resolved and waiting, by the revisit's due time. */
        {"minor revisits", "H G", .grade = "minor", .revisit = 1},
        {"minor revisits overdue at 10:30", "", .grade = "minor", .revisit = 1, .overdue = 1},
        {"minor revisits overdue on 12-02 09:16", "H", .grade = "minor", .revisit = 1, .overdue = 1,
         .now = "2026-12-02T09:16"},
    };
    expect_views(*state, views, sizeof views / sizeof views[0]);
}

/* The filters without a grade: the same queue with grade "" (no grade). */
static void test_queue_filters_without_grade(void **state)
{
    static const struct view views[] = {
        {"all open", "C B A A2 D E", .grade = NULL},
        {"overdue", "C B", .overdue = 1},
        /* At 10:00 sharp B (due 10:00) is not overdue yet; a second later it is. */
        {"overdue at 10:00", "C", .overdue = 1, .now = "2026-11-29T10:00"},
        {"overdue at 10:00:01", "C B", .overdue = 1, .now = "2026-11-29T10:00:01"},
        {"escalated", "C B", .escalated = 1},
        {"unacknowledged", "C B A A2", .unacknowledged = 1},
        {"unassigned", "B", .unassigned = 1},
        {"the butler's", "A A2 D", .butlers = 1},
        {"revisits", "H G", .revisit = 1},
        {"revisits overdue on 12-02 09:16", "H", .revisit = 1, .overdue = 1,
         .now = "2026-12-02T09:16"},
    };
    expect_views(*state, views, sizeof views / sizeof views[0]);
}

static void test_queue_paging(void **state)
{
    struct fx *f = *state;
    struct estate s;
    populate(f, &s);
    struct gj_complaint_filter q;
    memset(&q, 0, sizeof q);
    q.now = gj_now();
    struct gj_complaint *rows = calloc(QMAX, sizeof *rows);
    /* Forward, three at a time: the A/A2 tie is split across pages. */
    int n = queue_page(f, &q, 1, INT64_MIN, INT64_MIN, 3, rows);
    assert_string_equal(names(&s, rows, n), "C B A");
    int64_t kd = gj_complaint_queue_due(&rows[n - 1], 0), ki = rows[n - 1].id;
    n = queue_page(f, &q, 1, kd, ki, 3, rows);
    assert_string_equal(names(&s, rows, n), "A2 D E");
    int64_t first_due = gj_complaint_queue_due(&rows[0], 0), first_id = rows[0].id;
    kd = gj_complaint_queue_due(&rows[n - 1], 0);
    ki = rows[n - 1].id;
    n = queue_page(f, &q, 1, kd, ki, 3, rows);
    assert_int_equal(n, 0);
    /* Back from the first row of the second page: nearest first. */
    n = queue_page(f, &q, 0, first_due, first_id, 3, rows);
    assert_string_equal(names(&s, rows, n), "A B C");
    n = queue_page(f, &q, 0, gj_complaint_queue_due(&rows[n - 1], 0), rows[n - 1].id, 3, rows);
    assert_int_equal(n, 0);
    /* From the far end. */
    n = queue_page(f, &q, 0, INT64_MAX, INT64_MAX, 2, rows);
    assert_string_equal(names(&s, rows, n), "E D");
    free(rows);
}

static void test_queue_paging_by_grade(void **state)
{
    struct fx *f = *state;
    struct estate s;
    populate(f, &s);
    struct gj_complaint_filter q;
    memset(&q, 0, sizeof q);
    q.now = gj_now();
    snprintf(q.grade, sizeof q.grade, "%s", "minor");
    struct gj_complaint *rows = calloc(QMAX, sizeof *rows);
    int n = queue_page(f, &q, 1, INT64_MIN, INT64_MIN, 1, rows);
    assert_string_equal(names(&s, rows, n), "A");
    n = queue_page(f, &q, 1, gj_complaint_queue_due(&rows[0], 0), rows[0].id, 1, rows);
    assert_string_equal(names(&s, rows, n), "A2");
    n = queue_page(f, &q, 1, gj_complaint_queue_due(&rows[0], 0), rows[0].id, 1, rows);
    assert_string_equal(names(&s, rows, n), "D");
    n = queue_page(f, &q, 0, gj_complaint_queue_due(&rows[0], 0), rows[0].id, 5, rows);
    assert_string_equal(names(&s, rows, n), "A2 A");
    free(rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        {"test_ladder_minor", test_ladder, setup, teardown, (void *)&ladders[0]},
        {"test_ladder_moderate", test_ladder, setup, teardown, (void *)&ladders[1]},
        {"test_ladder_serious", test_ladder, setup, teardown, (void *)&ladders[2]},
        cmocka_unit_test_setup_teardown(test_ladder_all_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_acknowledged_in_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_step_records_the_escalation_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sweep_agrees_with_the_rules_after_a_regrade, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_poor_revisit_opens_a_second_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_good_revisit_without_root_cause_stays_resolved, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_good_revisit_closes_when_nothing_missing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_butler_revisit_closes_when_nothing_missing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_assign_many_all_or_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_filters_without_grade, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_paging_by_grade, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
