/* core/complaint_rules.c with a fixed clock and no database: the deadlines
 * of each grade, the whole escalation ladder of each grade (just before
 * and just after every deadline, the levels climbing and stopping at 3,
 * nothing escalated twice, acknowledging in time or too late, several
 * deadlines at once), and every lifecycle step allowed and refused, with
 * the roles, the blank-text rules and the struct left alone on refusal. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/complaint_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN  INT64_C(60)
#define HOUR INT64_C(3600)
#define DAY  INT64_C(86400)

/* The product's default targets (sla_targets, kind 'complaint'). */
static const struct gj_sla_target sla_minor = {.respond_minutes = 120, .resolve_minutes = 1440};
static const struct gj_sla_target sla_moderate = {.respond_minutes = 60, .resolve_minutes = 2880};
static const struct gj_sla_target sla_serious = {.respond_minutes = 30, .resolve_minutes = 4320};

static const struct gj_sla_target *sla_of(const char *grade)
{
    if (strcmp(grade, "minor") == 0)
        return &sla_minor;
    if (strcmp(grade, "moderate") == 0)
        return &sla_moderate;
    return &sla_serious;
}

static int64_t t0(void)
{
    return gj_test_at("2026-11-29T09:00");
}

/* A complaint as taken at 09:00 on 2026-11-29: open, cycle 1, at the level
 * of its grade, with its grade's deadlines. Heap-allocated (it is big). */
static struct gj_complaint *taken(const char *grade)
{
    struct gj_complaint *c = calloc(1, sizeof *c);
    assert_non_null(c);
    snprintf(c->grade, sizeof c->grade, "%s", grade);
    snprintf(c->state, sizeof c->state, "%s", "open");
    snprintf(c->channel, sizeof c->channel, "%s", "phone");
    snprintf(c->category, sizeof c->category, "%s", "noise");
    snprintf(c->subject, sizeof c->subject, "%s", "楼上装修噪音");
    snprintf(c->detail, sizeof c->detail, "%s", "晚上十点以后还在施工。");
    c->level = strcmp(grade, "minor") == 0 ? 0 : strcmp(grade, "moderate") == 0 ? 1 : 2;
    c->cycle = 1;
    c->created_at = t0();
    c->assignee_user_id = 11;
    gj_complaint_set_deadlines(c, sla_of(grade));
    return c;
}

/* Applies step and expects GJ_OK and the event kind. */
static void apply_ok(struct gj_complaint *c, const struct gj_complaint_step *s, enum gj_role role,
                     int64_t now, const char *kind)
{
    struct gj_error err;
    memset(&err, 0, sizeof err);
    const char *got = NULL;
    int rc = gj_complaint_step_apply(c, s, role, now, &got, &err);
    if (rc != GJ_OK)
        fail_msg("%s refused (%d): %s", s->event ? s->event : "(null)", rc, err.msg);
    assert_non_null(got);
    assert_string_equal(got, kind);
}

/* Applies step, expects code with a message, and the complaint byte for
 * byte as it was. */
static void refused(struct gj_complaint *c, const struct gj_complaint_step *s, enum gj_role role,
                    int64_t now, int code)
{
    struct gj_complaint *before = malloc(sizeof *before);
    assert_non_null(before);
    memcpy(before, c, sizeof *c);
    struct gj_error err;
    memset(&err, 0, sizeof err);
    const char *kind = NULL;
    int rc = gj_complaint_step_apply(c, s, role, now, &kind, &err);
    if (rc != code)
        fail_msg("%s: expected %d, got %d (%s)", s->event ? s->event : "(null)", code, rc, err.msg);
    assert_true(err.msg[0] != '\0');
    assert_memory_equal(before, c, sizeof *c);
    free(before);
}

/* ---- deadlines ------------------------------------------------------------ */

static void test_deadlines_per_grade(void **state)
{
    (void)state;
    struct gj_complaint *c = taken("minor");
    assert_int_equal(gj_complaint_cycle_start(c), t0());
    assert_int_equal(c->ack_due_at, gj_test_at("2026-11-29T11:00"));
    assert_int_equal(c->resolve_due_at, gj_test_at("2026-11-30T09:00"));
    free(c);
    c = taken("moderate");
    assert_int_equal(c->ack_due_at, gj_test_at("2026-11-29T10:00"));
    assert_int_equal(c->resolve_due_at, gj_test_at("2026-12-01T09:00"));
    free(c);
    c = taken("serious");
    assert_int_equal(c->ack_due_at, gj_test_at("2026-11-29T09:30"));
    assert_int_equal(c->resolve_due_at, gj_test_at("2026-12-02T09:00"));
    /* A later cycle counts from its own start, not from the intake. */
    c->cycle = 2;
    c->cycle_started_at = gj_test_at("2026-12-05T14:00");
    assert_int_equal(gj_complaint_cycle_start(c), gj_test_at("2026-12-05T14:00"));
    gj_complaint_set_deadlines(c, &sla_serious);
    assert_int_equal(c->ack_due_at, gj_test_at("2026-12-05T14:30"));
    assert_int_equal(c->resolve_due_at, gj_test_at("2026-12-08T14:00"));
    free(c);
}

static void test_due_and_overdue(void **state)
{
    (void)state;
    struct gj_complaint *c = taken("moderate");
    /* Unacknowledged: the acknowledge deadline applies, strictly after it. */
    assert_int_equal(gj_complaint_due(c), gj_test_at("2026-11-29T10:00"));
    assert_false(gj_complaint_overdue(c, gj_test_at("2026-11-29T10:00")));
    assert_true(gj_complaint_overdue(c, gj_test_at("2026-11-29T10:00:01")));
    /* Acknowledged: the resolve deadline. */
    c->acknowledged_at = gj_test_at("2026-11-29T09:20");
    snprintf(c->state, sizeof c->state, "%s", "acknowledged");
    assert_int_equal(gj_complaint_due(c), gj_test_at("2026-12-01T09:00"));
    assert_false(gj_complaint_overdue(c, gj_test_at("2026-11-30T10:00")));
    assert_true(gj_complaint_overdue(c, gj_test_at("2026-12-01T09:00:01")));
    /* Resolved: nothing is due any more. */
    snprintf(c->state, sizeof c->state, "%s", "resolved");
    assert_int_equal(gj_complaint_due(c), 0);
    assert_false(gj_complaint_overdue(c, gj_test_at("2026-12-09T09:00")));
    free(c);
}

/* ---- the ladder ----------------------------------------------------------- */

/* One moment of a timeline: what is due then (reason NULL: nothing), the
 * deadline that passed, and the levels. */
struct moment {
    const char *now;
    const char *reason;
    const char *due;
    int from, to;
};

/* Walks a complaint left alone through the moments, recording what each
 * check returns as the repository would (the level rises, the reason goes
 * into the mask), and checks every moment twice: the second time nothing
 * is due. The level ends at end_level. */
static void walk(struct gj_complaint *c, const struct moment *m, int n, int end_level)
{
    unsigned mask = 0;
    for (int i = 0; i < n; i++) {
        struct gj_complaint_escalation out[3];
        memset(out, 0, sizeof out);
        int64_t now = gj_test_at(m[i].now);
        int got = gj_complaint_escalations_due(c, mask, now, out);
        if (got != (m[i].reason ? 1 : 0))
            fail_msg("at %s: %d escalations due, expected %s", m[i].now, got,
                     m[i].reason ? m[i].reason : "none");
        if (m[i].reason) {
            assert_string_equal(out[0].reason, m[i].reason);
            assert_int_equal(out[0].due_at, gj_test_at(m[i].due));
            assert_int_equal(out[0].from_level, m[i].from);
            assert_int_equal(out[0].to_level, m[i].to);
            assert_int_equal(out[0].from_level, c->level);
            unsigned bit = gj_complaint_reason_bit(out[0].reason);
            assert_true(bit != 0);
            assert_int_equal(mask & bit, 0);
            mask |= bit;
            c->level = out[0].to_level;
        }
        /* Checked again at the same moment, with what was just recorded. */
        assert_int_equal(gj_complaint_escalations_due(c, mask, now, out), 0);
    }
    assert_int_equal(c->level, end_level);
}

static void test_ladder_minor(void **state)
{
    (void)state;
    struct gj_complaint *c = taken("minor");
    const struct moment m[] = {
        {"2026-11-29T09:00", NULL, NULL, 0, 0},
        {"2026-11-29T10:59:59", NULL, NULL, 0, 0},
        {"2026-11-29T11:00:00", NULL, NULL, 0, 0}, /* the deadline itself is still in time */
        {"2026-11-29T11:00:01", "ack_overdue", "2026-11-29T11:00", 0, 1},
        {"2026-11-30T08:59:59", NULL, NULL, 0, 0},
        {"2026-11-30T09:00:00", NULL, NULL, 0, 0},
        {"2026-11-30T09:00:01", "resolve_overdue", "2026-11-30T09:00", 1, 2},
        /* the resolve window is 24 h: half of it (12 h) after the deadline */
        {"2026-11-30T20:59:59", NULL, NULL, 0, 0},
        {"2026-11-30T21:00:00", NULL, NULL, 0, 0},
        {"2026-11-30T21:00:01", "resolve_overdue_more", "2026-11-30T21:00", 2, 3},
        {"2026-12-09T09:00", NULL, NULL, 0, 0},
    };
    walk(c, m, (int)(sizeof m / sizeof m[0]), 3);
    /* At the top nothing more is due, whatever the mask says. */
    struct gj_complaint_escalation out[3];
    assert_int_equal(gj_complaint_escalations_due(c, 0, gj_test_at("2027-01-01T09:00"), out), 0);
    free(c);
}

static void test_ladder_moderate(void **state)
{
    (void)state;
    struct gj_complaint *c = taken("moderate");
    const struct moment m[] = {
        {"2026-11-29T09:59:59", NULL, NULL, 0, 0},
        {"2026-11-29T10:00:00", NULL, NULL, 0, 0},
        {"2026-11-29T10:00:01", "ack_overdue", "2026-11-29T10:00", 1, 2},
        {"2026-12-01T08:59:59", NULL, NULL, 0, 0},
        {"2026-12-01T09:00:00", NULL, NULL, 0, 0},
        {"2026-12-01T09:00:01", "resolve_overdue", "2026-12-01T09:00", 2, 3},
        /* 48 h window: the further deadline would be 24 h later, but the
         * complaint is at the top already */
        {"2026-12-02T08:59:59", NULL, NULL, 0, 0},
        {"2026-12-02T09:00:01", NULL, NULL, 0, 0},
        {"2026-12-09T09:00", NULL, NULL, 0, 0},
    };
    walk(c, m, (int)(sizeof m / sizeof m[0]), 3);
    free(c);
}

static void test_ladder_serious(void **state)
{
    (void)state;
    struct gj_complaint *c = taken("serious");
    const struct moment m[] = {
        {"2026-11-29T09:29:59", NULL, NULL, 0, 0},
        {"2026-11-29T09:30:00", NULL, NULL, 0, 0},
        {"2026-11-29T09:30:01", "ack_overdue", "2026-11-29T09:30", 2, 3},
        /* at the top: the resolve deadline and the further one pass unrecorded */
        {"2026-12-02T09:00:01", NULL, NULL, 0, 0},
        {"2026-12-03T21:00:01", NULL, NULL, 0, 0},
    };
    walk(c, m, (int)(sizeof m / sizeof m[0]), 3);
    free(c);
}

static void test_ladder_serious_acknowledged_in_time(void **state)
{
    (void)state;
    struct gj_complaint *c = taken("serious");
    c->acknowledged_at = gj_test_at("2026-11-29T09:25");
    snprintf(c->state, sizeof c->state, "%s", "acknowledged");
    const struct moment m[] = {
        {"2026-11-29T09:30:01", NULL, NULL, 0, 0},
        {"2026-12-02T09:00:00", NULL, NULL, 0, 0},
        {"2026-12-02T09:00:01", "resolve_overdue", "2026-12-02T09:00", 2, 3},
        /* 72 h window: 36 h later, but at the top */
        {"2026-12-03T21:00:01", NULL, NULL, 0, 0},
    };
    walk(c, m, (int)(sizeof m / sizeof m[0]), 3);
    free(c);
}

static void test_acknowledged_in_time_prevents_ack_overdue(void **state)
{
    (void)state;
    struct gj_complaint *c = taken("minor");
    c->acknowledged_at = gj_test_at("2026-11-29T10:30");
    snprintf(c->state, sizeof c->state, "%s", "acknowledged");
    const struct moment m[] = {
        {"2026-11-29T11:00:01", NULL, NULL, 0, 0},
        {"2026-11-30T09:00:01", "resolve_overdue", "2026-11-30T09:00", 0, 1},
        {"2026-11-30T21:00:01", "resolve_overdue_more", "2026-11-30T21:00", 1, 2},
        {"2026-12-20T09:00", NULL, NULL, 0, 0},
    };
    /* Without the first step it ends one level lower. */
    walk(c, m, (int)(sizeof m / sizeof m[0]), 2);
    free(c);

    /* Exactly at the deadline is in time. */
    c = taken("moderate");
    c->acknowledged_at = c->ack_due_at;
    snprintf(c->state, sizeof c->state, "%s", "acknowledged");
    struct gj_complaint_escalation out[3];
    assert_int_equal(gj_complaint_escalations_due(c, 0, gj_test_at("2026-11-29T12:00"), out), 0);
    free(c);
}

static void test_acknowledged_late_still_escalates(void **state)
{
    (void)state;
    /* Acknowledged at 11:30, half an hour after the deadline, and nobody
     * checked in between: the missed deadline is still due. */
    struct gj_complaint *c = taken("minor");
    c->acknowledged_at = gj_test_at("2026-11-29T11:30");
    snprintf(c->state, sizeof c->state, "%s", "acknowledged");
    struct gj_complaint_escalation out[3];
    assert_int_equal(gj_complaint_escalations_due(c, 0, gj_test_at("2026-11-29T11:30"), out), 1);
    assert_string_equal(out[0].reason, "ack_overdue");
    assert_int_equal(out[0].due_at, gj_test_at("2026-11-29T11:00"));
    assert_int_equal(out[0].from_level, 0);
    assert_int_equal(out[0].to_level, 1);
    /* Once recorded, never again in this cycle. */
    assert_int_equal(
        gj_complaint_escalations_due(c, GJ_ESC_ACK, gj_test_at("2026-11-29T12:00"), out), 0);
    free(c);
}

static void test_several_deadlines_at_once(void **state)
{
    (void)state;
    struct gj_complaint_escalation out[3];
    /* A minor complaint nobody looked at for two days: all three at once,
     * in deadline order, each one level above the one before. */
    struct gj_complaint *c = taken("minor");
    assert_int_equal(gj_complaint_escalations_due(c, 0, gj_test_at("2026-12-01T09:00"), out), 3);
    const char *reasons[] = {"ack_overdue", "resolve_overdue", "resolve_overdue_more"};
    const char *dues[] = {"2026-11-29T11:00", "2026-11-30T09:00", "2026-11-30T21:00"};
    for (int i = 0; i < 3; i++) {
        assert_string_equal(out[i].reason, reasons[i]);
        assert_int_equal(out[i].due_at, gj_test_at(dues[i]));
        assert_int_equal(out[i].from_level, i);
        assert_int_equal(out[i].to_level, i + 1);
    }
    /* Only those whose deadline passed: two of three. */
    assert_int_equal(gj_complaint_escalations_due(c, 0, gj_test_at("2026-11-30T09:00:01"), out), 2);
    assert_string_equal(out[1].reason, "resolve_overdue");
    assert_int_equal(out[1].from_level, 1);
    assert_int_equal(out[1].to_level, 2);
    /* With the first recorded (level 1), the other two follow from there. */
    c->level = 1;
    assert_int_equal(
        gj_complaint_escalations_due(c, GJ_ESC_ACK, gj_test_at("2026-12-01T09:00"), out), 2);
    assert_string_equal(out[0].reason, "resolve_overdue");
    assert_int_equal(out[0].from_level, 1);
    assert_string_equal(out[1].reason, "resolve_overdue_more");
    assert_int_equal(out[1].from_level, 2);
    assert_int_equal(out[1].to_level, 3);
    /* Everything recorded: nothing. */
    c->level = 3;
    assert_int_equal(gj_complaint_escalations_due(c,
                                                  GJ_ESC_ACK | GJ_ESC_RESOLVE | GJ_ESC_RESOLVE_MORE,
                                                  gj_test_at("2026-12-09T09:00"), out),
                     0);
    free(c);

    /* Moderate: three deadlines passed, but only two levels to climb. */
    c = taken("moderate");
    assert_int_equal(gj_complaint_escalations_due(c, 0, gj_test_at("2026-12-09T09:00"), out), 2);
    assert_string_equal(out[0].reason, "ack_overdue");
    assert_int_equal(out[0].from_level, 1);
    assert_int_equal(out[0].to_level, 2);
    assert_string_equal(out[1].reason, "resolve_overdue");
    assert_int_equal(out[1].from_level, 2);
    assert_int_equal(out[1].to_level, 3);
    free(c);

    /* Serious: one. */
    c = taken("serious");
    assert_int_equal(gj_complaint_escalations_due(c, 0, gj_test_at("2026-12-09T09:00"), out), 1);
    assert_string_equal(out[0].reason, "ack_overdue");
    assert_int_equal(out[0].to_level, 3);
    free(c);
}

static void test_only_open_complaints_escalate(void **state)
{
    (void)state;
    struct gj_complaint_escalation out[3];
    const char *states[] = {"resolved", "closed"};
    for (int i = 0; i < 2; i++) {
        struct gj_complaint *c = taken("minor");
        snprintf(c->state, sizeof c->state, "%s", states[i]);
        c->acknowledged_at = c->resolved_at = gj_test_at("2026-11-29T10:00");
        assert_int_equal(gj_complaint_escalations_due(c, 0, gj_test_at("2026-12-09T09:00"), out),
                         0);
        assert_int_equal(gj_complaint_next_deadline(c, gj_test_at("2026-11-29T09:00")), 0);
        free(c);
    }
}

static void test_reason_bits(void **state)
{
    (void)state;
    assert_int_equal(gj_complaint_reason_bit("ack_overdue"), GJ_ESC_ACK);
    assert_int_equal(gj_complaint_reason_bit("resolve_overdue"), GJ_ESC_RESOLVE);
    assert_int_equal(gj_complaint_reason_bit("resolve_overdue_more"), GJ_ESC_RESOLVE_MORE);
    assert_int_equal(gj_complaint_reason_bit("resolve_overdue_most"), 0);
    assert_int_equal(gj_complaint_reason_bit(NULL), 0);
}

static void test_next_deadline(void **state)
{
    (void)state;
    struct gj_complaint *c = taken("minor");
    assert_int_equal(gj_complaint_next_deadline(c, gj_test_at("2026-11-29T09:00")),
                     gj_test_at("2026-11-29T11:00"));
    assert_int_equal(gj_complaint_next_deadline(c, gj_test_at("2026-11-29T11:00")),
                     gj_test_at("2026-11-29T11:00"));
    assert_int_equal(gj_complaint_next_deadline(c, gj_test_at("2026-11-29T11:00:01")),
                     gj_test_at("2026-11-30T09:00"));
    assert_int_equal(gj_complaint_next_deadline(c, gj_test_at("2026-11-30T09:00:01")),
                     gj_test_at("2026-11-30T21:00"));
    assert_int_equal(gj_complaint_next_deadline(c, gj_test_at("2026-11-30T21:00:01")), 0);
    /* Acknowledged: the acknowledge deadline no longer counts. */
    c->acknowledged_at = gj_test_at("2026-11-29T09:10");
    snprintf(c->state, sizeof c->state, "%s", "acknowledged");
    assert_int_equal(gj_complaint_next_deadline(c, gj_test_at("2026-11-29T09:20")),
                     gj_test_at("2026-11-30T09:00"));
    /* At the top there is nothing left to wait for. */
    c->level = 3;
    assert_int_equal(gj_complaint_next_deadline(c, gj_test_at("2026-11-29T09:20")), 0);
    free(c);
}

/* ---- lifecycle ------------------------------------------------------------ */

static void test_acknowledge(void **state)
{
    (void)state;
    struct gj_complaint *c = taken("minor");
    struct gj_complaint_step s = {.event = "acknowledge", .note = "已致电业主"};
    apply_ok(c, &s, GJ_ROLE_BUTLER, gj_test_at("2026-11-29T09:20"), "acknowledged");
    assert_string_equal(c->state, "acknowledged");
    assert_int_equal(c->acknowledged_at, gj_test_at("2026-11-29T09:20"));
    assert_int_equal(c->level, 0);
    /* Not twice. */
    refused(c, &s, GJ_ROLE_BUTLER, gj_test_at("2026-11-29T09:30"), GJ_EINVAL);
    free(c);

    /* A moderate complaint is the supervisor's. */
    c = taken("moderate");
    refused(c, &s, GJ_ROLE_BUTLER, gj_test_at("2026-11-29T09:20"), GJ_EPERM);
    apply_ok(c, &s, GJ_ROLE_SUPERVISOR, gj_test_at("2026-11-29T09:20"), "acknowledged");
    free(c);

    /* A serious one the manager's. */
    c = taken("serious");
    refused(c, &s, GJ_ROLE_SUPERVISOR, gj_test_at("2026-11-29T09:20"), GJ_EPERM);
    apply_ok(c, &s, GJ_ROLE_MANAGER, gj_test_at("2026-11-29T09:20"), "acknowledged");
    free(c);
}

static void test_regrade(void **state)
{
    (void)state;
    int64_t now = gj_test_at("2026-11-29T09:10");
    struct gj_complaint *c = taken("minor");
    struct gj_complaint_step s = {
        .event = "regrade", .grade = "serious", .note = "涉及人身安全", .sla = &sla_serious};
    /* Only a supervisor (or above) regrades. */
    refused(c, &s, GJ_ROLE_BUTLER, now, GJ_EPERM);
    refused(c, &s, GJ_ROLE_TRAINEE, now, GJ_EPERM);
    /* It needs a reason: missing, empty, spaces, ideographic spaces. */
    const char *blank[] = {NULL, "", "   ", "\xe3\x80\x80\xe3\x80\x80", " \xe3\x80\x80 \t"};
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        s.note = blank[i];
        refused(c, &s, GJ_ROLE_SUPERVISOR, now, GJ_EINVAL);
    }
    s.note = "涉及人身安全";
    /* The same grade, an unknown grade, no targets: refused. */
    s.grade = "minor";
    refused(c, &s, GJ_ROLE_SUPERVISOR, now, GJ_EINVAL);
    s.grade = "urgent";
    refused(c, &s, GJ_ROLE_SUPERVISOR, now, GJ_EINVAL);
    s.grade = "serious";
    s.sla = NULL;
    refused(c, &s, GJ_ROLE_SUPERVISOR, now, GJ_EINVAL);
    s.sla = &sla_serious;
    /* Nothing climbed: the new grade's level; the deadlines are the new
     * grade's, counted from the start of the cycle (not from now). */
    apply_ok(c, &s, GJ_ROLE_SUPERVISOR, now, "regraded");
    assert_string_equal(c->grade, "serious");
    assert_int_equal(c->level, 2);
    assert_int_equal(c->ack_due_at, gj_test_at("2026-11-29T09:30"));
    assert_int_equal(c->resolve_due_at, gj_test_at("2026-12-02T09:00"));
    assert_string_equal(c->state, "open");
    assert_int_equal(c->cycle, 1);
    free(c);

    /* One step climbed (ack_overdue on a minor one): kept on top of the
     * new base. */
    c = taken("minor");
    c->level = 1;
    s.grade = "moderate";
    s.sla = &sla_moderate;
    apply_ok(c, &s, GJ_ROLE_SUPERVISOR, gj_test_at("2026-11-29T11:30"), "regraded");
    assert_int_equal(c->level, 2);
    assert_int_equal(c->ack_due_at, gj_test_at("2026-11-29T10:00"));
    assert_int_equal(c->resolve_due_at, gj_test_at("2026-12-01T09:00"));
    free(c);

    /* Two climbed and regraded to serious: capped at the top. */
    c = taken("minor");
    c->level = 2;
    s.grade = "serious";
    s.sla = &sla_serious;
    apply_ok(c, &s, GJ_ROLE_SUPERVISOR, gj_test_at("2026-11-30T10:00"), "regraded");
    assert_int_equal(c->level, 3);
    free(c);

    /* Downgraded: the base goes down, the climbed step stays. */
    c = taken("serious");
    c->level = 3;
    s.grade = "minor";
    s.sla = &sla_minor;
    s.note = "经核实为一般噪音问题";
    apply_ok(c, &s, GJ_ROLE_MANAGER, gj_test_at("2026-11-29T10:00"), "regraded");
    assert_string_equal(c->grade, "minor");
    assert_int_equal(c->level, 1);
    assert_int_equal(c->ack_due_at, gj_test_at("2026-11-29T11:00"));
    assert_int_equal(c->resolve_due_at, gj_test_at("2026-11-30T09:00"));
    free(c);
    /* ... and with nothing climbed it lands on the new base. */
    c = taken("moderate");
    apply_ok(c, &s, GJ_ROLE_SUPERVISOR, gj_test_at("2026-11-29T09:10"), "regraded");
    assert_int_equal(c->level, 0);
    free(c);

    /* In a later cycle the deadlines count from that cycle's start. */
    c = taken("minor");
    c->cycle = 2;
    c->cycle_started_at = gj_test_at("2026-12-02T12:00");
    gj_complaint_set_deadlines(c, &sla_minor);
    s.grade = "moderate";
    s.sla = &sla_moderate;
    apply_ok(c, &s, GJ_ROLE_SUPERVISOR, gj_test_at("2026-12-02T12:10"), "regraded");
    assert_int_equal(c->ack_due_at, gj_test_at("2026-12-02T13:00"));
    assert_int_equal(c->resolve_due_at, gj_test_at("2026-12-04T12:00"));
    free(c);

    /* A resolved complaint is not regraded. */
    c = taken("minor");
    snprintf(c->state, sizeof c->state, "%s", "resolved");
    c->acknowledged_at = c->resolved_at = gj_test_at("2026-11-29T10:00");
    c->revisit_due_at = gj_test_at("2026-12-02T10:00");
    refused(c, &s, GJ_ROLE_SUPERVISOR, gj_test_at("2026-11-29T10:30"), GJ_EINVAL);
    free(c);
}

static void test_regrade_up_makes_passed_deadlines_due(void **state)
{
    (void)state;
    /* Taken as minor at 09:00, found serious at 10:00: the serious
     * acknowledge deadline (09:30) has already passed. */
    struct gj_complaint *c = taken("minor");
    struct gj_complaint_step s = {
        .event = "regrade", .grade = "serious", .note = "燃气泄漏", .sla = &sla_serious};
    apply_ok(c, &s, GJ_ROLE_SUPERVISOR, gj_test_at("2026-11-29T10:00"), "regraded");
    struct gj_complaint_escalation out[3];
    assert_int_equal(gj_complaint_escalations_due(c, 0, gj_test_at("2026-11-29T10:00"), out), 1);
    assert_string_equal(out[0].reason, "ack_overdue");
    assert_int_equal(out[0].due_at, gj_test_at("2026-11-29T09:30"));
    assert_int_equal(out[0].from_level, 2);
    assert_int_equal(out[0].to_level, 3);
    free(c);
}

static void test_assign(void **state)
{
    (void)state;
    int64_t now = gj_test_at("2026-11-29T09:15");
    struct gj_complaint *c = taken("moderate");
    c->assignee_user_id = 0;
    struct gj_complaint_step s = {.event = "assign", .assignee_user_id = 42, .note = "请跟进"};
    refused(c, &s, GJ_ROLE_BUTLER, now, GJ_EPERM);
    apply_ok(c, &s, GJ_ROLE_SUPERVISOR, now, "assigned");
    assert_int_equal(c->assignee_user_id, 42);
    assert_int_equal(c->level, 1);
    assert_string_equal(c->state, "open");
    /* Already theirs; nobody. */
    refused(c, &s, GJ_ROLE_SUPERVISOR, now, GJ_EINVAL);
    s.assignee_user_id = 0;
    refused(c, &s, GJ_ROLE_SUPERVISOR, now, GJ_EINVAL);
    s.assignee_user_id = -3;
    refused(c, &s, GJ_ROLE_SUPERVISOR, now, GJ_EINVAL);
    /* A closed complaint is not reassigned. */
    snprintf(c->state, sizeof c->state, "%s", "closed");
    s.assignee_user_id = 43;
    refused(c, &s, GJ_ROLE_MANAGER, now, GJ_EINVAL);
    free(c);
}

static void test_resolve(void **state)
{
    (void)state;
    int64_t now = gj_test_at("2026-11-29T15:00");
    struct gj_complaint *c = taken("minor");
    struct gj_complaint_step s = {.event = "resolve",
                                  .action_taken = "联系施工队调整作业时间",
                                  .result = "业主认可",
                                  .revisit_days = 3};
    /* Action taken and result are both required; blank is missing. */
    const char *blank[] = {NULL, "", "  ", "\xe3\x80\x80", "\xe3\x80\x80 \xe3\x80\x80"};
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        s.action_taken = blank[i];
        refused(c, &s, GJ_ROLE_BUTLER, now, GJ_EINVAL);
    }
    s.action_taken = "联系施工队调整作业时间";
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        s.result = blank[i];
        refused(c, &s, GJ_ROLE_BUTLER, now, GJ_EINVAL);
    }
    s.result = "业主认可";
    s.revisit_days = 0;
    refused(c, &s, GJ_ROLE_BUTLER, now, GJ_EINVAL);
    s.revisit_days = 3;
    refused(c, &s, GJ_ROLE_TRAINEE, now, GJ_EPERM);
    /* Resolving an unacknowledged complaint acknowledges it too. */
    apply_ok(c, &s, GJ_ROLE_BUTLER, now, "resolved");
    assert_string_equal(c->state, "resolved");
    assert_int_equal(c->resolved_at, now);
    assert_int_equal(c->acknowledged_at, now);
    assert_int_equal(c->revisit_due_at, gj_test_at("2026-12-02T15:00"));
    assert_string_equal(c->action_taken, "联系施工队调整作业时间");
    assert_string_equal(c->result, "业主认可");
    assert_string_equal(c->root_cause, "");
    /* Not twice. */
    refused(c, &s, GJ_ROLE_BUTLER, now + 60, GJ_EINVAL);
    free(c);

    /* An earlier acknowledgement is kept; root cause and corrective action
     * are taken when given, ignored when blank. */
    c = taken("moderate");
    c->acknowledged_at = gj_test_at("2026-11-29T09:20");
    snprintf(c->state, sizeof c->state, "%s", "acknowledged");
    s.root_cause = "施工队未遵守装修时间规定";
    s.corrective = "\xe3\x80\x80";
    s.revisit_days = 5;
    apply_ok(c, &s, GJ_ROLE_SUPERVISOR, now, "resolved");
    assert_int_equal(c->acknowledged_at, gj_test_at("2026-11-29T09:20"));
    assert_int_equal(c->revisit_due_at, gj_test_at("2026-12-04T15:00"));
    assert_string_equal(c->root_cause, "施工队未遵守装修时间规定");
    assert_string_equal(c->corrective_action, "");
    free(c);

    /* A butler cannot resolve a serious complaint; a manager can. */
    c = taken("serious");
    s.revisit_days = 3;
    refused(c, &s, GJ_ROLE_BUTLER, now, GJ_EPERM);
    refused(c, &s, GJ_ROLE_SUPERVISOR, now, GJ_EPERM);
    apply_ok(c, &s, GJ_ROLE_MANAGER, now, "resolved");
    free(c);
}

/* A complaint resolved at 15:00 on the day it was taken. */
static struct gj_complaint *resolved(const char *grade, int level)
{
    struct gj_complaint *c = taken(grade);
    c->level = level;
    struct gj_complaint_step s = {
        .event = "resolve", .action_taken = "已处理", .result = "业主认可", .revisit_days = 3};
    apply_ok(c, &s, GJ_ROLE_MANAGER, gj_test_at("2026-11-29T15:00"), "resolved");
    return c;
}

static void test_revisit_poor_reopens(void **state)
{
    (void)state;
    int64_t now = gj_test_at("2026-12-02T15:30");
    const int ratings[] = {1, 2};
    for (int r = 0; r < 2; r++) {
        struct gj_complaint *c = resolved("minor", 3);
        struct gj_complaint_step s = {.event = "revisit",
                                      .satisfaction = ratings[r],
                                      .note = "晚上还是有噪音",
                                      .sla = &sla_minor};
        refused(c, &s, GJ_ROLE_TRAINEE, now, GJ_EPERM);
        apply_ok(c, &s, GJ_ROLE_BUTLER, now, "reopened");
        assert_string_equal(c->state, "open");
        assert_int_equal(c->cycle, 2);
        assert_int_equal(c->cycle_started_at, now);
        assert_int_equal(gj_complaint_cycle_start(c), now);
        /* Fresh deadlines from the reopening, the level it had reached. */
        assert_int_equal(c->ack_due_at, gj_test_at("2026-12-02T17:30"));
        assert_int_equal(c->resolve_due_at, gj_test_at("2026-12-03T15:30"));
        assert_int_equal(c->level, 3);
        assert_int_equal(c->acknowledged_at, 0);
        assert_int_equal(c->resolved_at, 0);
        assert_int_equal(c->revisit_due_at, 0);
        assert_int_equal(c->satisfaction, ratings[r]);
        assert_int_equal(c->revisited_at, now);
        assert_string_equal(c->revisit_comment, "晚上还是有噪音");
        assert_int_equal(c->created_at, t0());
        free(c);
    }

    /* The new cycle has its own ladder, from the level kept. */
    struct gj_complaint *c = resolved("minor", 1);
    struct gj_complaint_step s = {.event = "revisit", .satisfaction = 2, .sla = &sla_minor};
    apply_ok(c, &s, GJ_ROLE_BUTLER, now, "reopened");
    struct gj_complaint_escalation out[3];
    assert_int_equal(gj_complaint_escalations_due(c, 0, gj_test_at("2026-12-02T17:30"), out), 0);
    assert_int_equal(gj_complaint_escalations_due(c, 0, gj_test_at("2026-12-02T17:30:01"), out), 1);
    assert_string_equal(out[0].reason, "ack_overdue");
    assert_int_equal(out[0].due_at, gj_test_at("2026-12-02T17:30"));
    assert_int_equal(out[0].from_level, 1);
    assert_int_equal(out[0].to_level, 2);
    free(c);

    /* Reopening needs the grade's targets. */
    c = resolved("minor", 0);
    s.sla = NULL;
    refused(c, &s, GJ_ROLE_BUTLER, now, GJ_EINVAL);
    free(c);
}

static void test_revisit_satisfied(void **state)
{
    (void)state;
    int64_t now = gj_test_at("2026-12-02T15:30");
    struct gj_complaint *c = resolved("moderate", 1);
    struct gj_complaint_step s = {
        .event = "revisit", .satisfaction = 3, .note = "基本满意", .sla = &sla_moderate};
    /* The rating is 1 to 5. */
    s.satisfaction = 0;
    refused(c, &s, GJ_ROLE_BUTLER, now, GJ_EINVAL);
    s.satisfaction = 6;
    refused(c, &s, GJ_ROLE_BUTLER, now, GJ_EINVAL);
    s.satisfaction = 3;
    apply_ok(c, &s, GJ_ROLE_BUTLER, now, "revisited");
    assert_string_equal(c->state, "resolved");
    assert_int_equal(c->cycle, 1);
    assert_int_equal(c->satisfaction, 3);
    assert_int_equal(c->revisited_at, now);
    assert_string_equal(c->revisit_comment, "基本满意");
    assert_int_equal(c->closed_at, 0);
    /* Once per resolution. */
    refused(c, &s, GJ_ROLE_BUTLER, now + 60, GJ_EINVAL);
    free(c);

    /* Only a resolved complaint is revisited. */
    c = taken("minor");
    refused(c, &s, GJ_ROLE_BUTLER, now, GJ_EINVAL);
    free(c);
}

static void test_close(void **state)
{
    (void)state;
    int64_t now = gj_test_at("2026-12-02T16:00");
    struct gj_complaint_step revisit = {.event = "revisit", .satisfaction = 4, .sla = &sla_minor};
    struct gj_complaint_step close = {.event = "close"};

    /* Minor: nothing more is needed, but the revisit comes first. */
    struct gj_complaint *c = resolved("minor", 0);
    refused(c, &close, GJ_ROLE_BUTLER, now, GJ_EINVAL);
    apply_ok(c, &revisit, GJ_ROLE_BUTLER, gj_test_at("2026-12-02T15:30"), "revisited");
    refused(c, &close, GJ_ROLE_TRAINEE, now, GJ_EPERM);
    struct gj_error err;
    assert_int_equal(gj_complaint_can_close(c, &err), GJ_OK);
    apply_ok(c, &close, GJ_ROLE_BUTLER, now, "closed");
    assert_string_equal(c->state, "closed");
    assert_int_equal(c->closed_at, now);
    /* Closed is final. */
    refused(c, &close, GJ_ROLE_BUTLER, now + 60, GJ_EINVAL);
    free(c);

    /* Moderate and serious: root cause and corrective action. */
    const char *grades[] = {"moderate", "serious"};
    const enum gj_role handler[] = {GJ_ROLE_SUPERVISOR, GJ_ROLE_MANAGER};
    for (int g = 0; g < 2; g++) {
        c = resolved(grades[g], g + 1);
        refused(c, &close, handler[g], now, GJ_EINVAL); /* before the revisit */
        apply_ok(c, &revisit, GJ_ROLE_BUTLER, gj_test_at("2026-12-02T15:30"), "revisited");
        assert_int_equal(gj_complaint_can_close(c, &err), GJ_EINVAL);
        assert_non_null(strstr(err.msg, "root cause"));
        /* Nothing given. */
        refused(c, &close, handler[g], now, GJ_EINVAL);
        /* Only blanks. */
        struct gj_complaint_step s = {.event = "close",
                                      .root_cause = "\xe3\x80\x80\xe3\x80\x80",
                                      .corrective = " \xe3\x80\x80 "};
        refused(c, &s, handler[g], now, GJ_EINVAL);
        /* Root cause without corrective action, and the other way round. */
        s.root_cause = "保洁排班不足";
        s.corrective = NULL;
        refused(c, &s, handler[g], now, GJ_EINVAL);
        s.corrective = "   ";
        refused(c, &s, handler[g], now, GJ_EINVAL);
        s.root_cause = "";
        s.corrective = "增加晚班保洁";
        refused(c, &s, handler[g], now, GJ_EINVAL);
        /* Both, but by somebody who may not handle the grade. */
        s.root_cause = "保洁排班不足";
        refused(c, &s, GJ_ROLE_BUTLER, now, GJ_EPERM);
        apply_ok(c, &s, handler[g], now, "closed");
        assert_string_equal(c->state, "closed");
        assert_int_equal(c->closed_at, now);
        assert_string_equal(c->root_cause, "保洁排班不足");
        assert_string_equal(c->corrective_action, "增加晚班保洁");
        free(c);
    }

    /* Given at resolving, they need not be repeated at closing. */
    c = taken("moderate");
    struct gj_complaint_step res = {.event = "resolve",
                                    .action_taken = "已处理",
                                    .result = "业主认可",
                                    .root_cause = "保洁排班不足",
                                    .corrective = "增加晚班保洁",
                                    .revisit_days = 3};
    apply_ok(c, &res, GJ_ROLE_SUPERVISOR, gj_test_at("2026-11-29T15:00"), "resolved");
    apply_ok(c, &revisit, GJ_ROLE_BUTLER, gj_test_at("2026-12-02T15:30"), "revisited");
    assert_int_equal(gj_complaint_can_close(c, &err), GJ_OK);
    apply_ok(c, &close, GJ_ROLE_SUPERVISOR, now, "closed");
    free(c);
}

static void test_trainee_does_nothing(void **state)
{
    (void)state;
    int64_t now = gj_test_at("2026-11-29T10:00");
    struct gj_complaint *open = taken("minor");
    struct gj_complaint *res = resolved("minor", 0);
    struct gj_complaint *revisited = resolved("minor", 0);
    struct gj_complaint_step rv = {.event = "revisit", .satisfaction = 5, .sla = &sla_minor};
    apply_ok(revisited, &rv, GJ_ROLE_BUTLER, gj_test_at("2026-12-02T09:00"), "revisited");
    const struct gj_complaint_step steps[] = {
        {.event = "acknowledge"},
        {.event = "regrade", .grade = "moderate", .note = "升级", .sla = &sla_moderate},
        {.event = "assign", .assignee_user_id = 99},
        {.event = "resolve", .action_taken = "已处理", .result = "好", .revisit_days = 3},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        refused(open, &steps[i], GJ_ROLE_TRAINEE, now, GJ_EPERM);
    refused(res, &rv, GJ_ROLE_TRAINEE, now, GJ_EPERM);
    struct gj_complaint_step close = {.event = "close"};
    refused(revisited, &close, GJ_ROLE_TRAINEE, now, GJ_EPERM);
    /* The same steps are fine for the right people (the refusals above
     * were about the role, not the step). */
    apply_ok(open, &steps[0], GJ_ROLE_BUTLER, now, "acknowledged");
    apply_ok(res, &rv, GJ_ROLE_BUTLER, now, "revisited");
    apply_ok(revisited, &close, GJ_ROLE_BUTLER, now, "closed");
    free(open);
    free(res);
    free(revisited);
}

static void test_unknown_steps(void **state)
{
    (void)state;
    struct gj_complaint *c = taken("minor");
    struct gj_complaint_step s = {.event = NULL};
    refused(c, &s, GJ_ROLE_MANAGER, t0(), GJ_EINVAL);
    s.event = "escalate"; /* the ladder is not a step anybody takes */
    refused(c, &s, GJ_ROLE_MANAGER, t0(), GJ_EINVAL);
    free(c);
}

/* Unknown codes come back as given, levels outside 0..3 as "?" (the
 * wording of known codes belongs to the translators). */
static void test_label_fallbacks(void **state)
{
    (void)state;
    assert_string_equal(gj_complaint_grade_label("urgent"), "urgent");
    assert_string_equal(gj_complaint_state_label("on_hold"), "on_hold");
    assert_string_equal(gj_complaint_reason_label("resolve_overdue_most"), "resolve_overdue_most");
    assert_string_equal(gj_complaint_category_label("weather"), "weather");
    assert_string_equal(gj_complaint_grade_label(NULL), "");
    assert_string_equal(gj_complaint_level_label(4), "?");
    assert_string_equal(gj_complaint_level_label(-1), "?");
    for (int level = 0; level <= GJ_COMPLAINT_TOP_LEVEL; level++)
        assert_string_not_equal(gj_complaint_level_label(level), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadlines_per_grade),
        cmocka_unit_test(test_due_and_overdue),
        cmocka_unit_test(test_ladder_minor),
        cmocka_unit_test(test_ladder_moderate),
        cmocka_unit_test(test_ladder_serious),
        cmocka_unit_test(test_ladder_serious_acknowledged_in_time),
        cmocka_unit_test(test_acknowledged_in_time_prevents_ack_overdue),
        cmocka_unit_test(test_acknowledged_late_still_escalates),
        cmocka_unit_test(test_several_deadlines_at_once),
        cmocka_unit_test(test_only_open_complaints_escalate),
        cmocka_unit_test(test_reason_bits),
        cmocka_unit_test(test_next_deadline),
        cmocka_unit_test(test_acknowledge),
        cmocka_unit_test(test_regrade),
        cmocka_unit_test(test_regrade_up_makes_passed_deadlines_due),
        cmocka_unit_test(test_assign),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_revisit_poor_reopens),
        cmocka_unit_test(test_revisit_satisfied),
        cmocka_unit_test(test_close),
        cmocka_unit_test(test_trainee_does_nothing),
        cmocka_unit_test(test_unknown_steps),
        cmocka_unit_test(test_label_fallbacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
