/* core/sla.c: deadlines with pauses, promises, breaches, due soon, and
 * every lifecycle transition allowed and refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guanjia/sla.h"

#include <stdio.h>
#include <string.h>

#define MIN  60
#define HOUR 3600
#define T0   INT64_C(1796000000) /* an arbitrary creation time */

static struct gj_work_order order(const char *state)
{
    struct gj_work_order wo;
    memset(&wo, 0, sizeof wo);
    snprintf(wo.state, sizeof wo.state, "%s", state);
    wo.created_at = T0;
    gj_wo_set_deadlines(&wo, 30, 24 * 60); /* high priority: 30 min / 24 h */
    return wo;
}

static void test_deadlines(void **state)
{
    (void)state;
    struct gj_work_order wo = order("new");
    assert_int_equal(wo.respond_due_at, T0 + 30 * MIN);
    assert_int_equal(wo.resolve_due_at, T0 + 24 * HOUR);
    assert_int_equal(gj_wo_resolve_deadline(&wo, T0), T0 + 24 * HOUR);
    /* A promised time replaces the target. */
    wo.promised_at = T0 + 48 * HOUR;
    assert_int_equal(gj_wo_resolve_deadline(&wo, T0), T0 + 48 * HOUR);
}

static void test_hold_pauses_the_clock(void **state)
{
    (void)state;
    struct gj_work_order wo = order("on_hold");
    wo.responded_at = T0 + 10 * MIN;
    wo.hold_started_at = T0 + 2 * HOUR;
    /* Ten hours on hold push the deadline ten hours. */
    int64_t now = T0 + 12 * HOUR;
    assert_int_equal(gj_wo_paused(&wo, now), 10 * HOUR);
    assert_int_equal(gj_wo_resolve_deadline(&wo, now), T0 + 34 * HOUR);
    /* While on hold nothing is overdue, even past the original deadline. */
    assert_false(gj_wo_overdue(&wo, T0 + 30 * HOUR));
    assert_false(gj_wo_resolve_breached(&wo, T0 + 30 * HOUR));
    /* Resumed after 10 h: the pause is kept, the clock runs again. */
    snprintf(wo.state, sizeof wo.state, "%s", "in_progress");
    wo.paused_seconds = 10 * HOUR;
    wo.hold_started_at = 0;
    assert_false(gj_wo_overdue(&wo, T0 + 33 * HOUR));
    assert_true(gj_wo_due_soon(&wo, T0 + 33 * HOUR + 30 * MIN));
    assert_true(gj_wo_overdue(&wo, T0 + 34 * HOUR + 1));
    assert_true(gj_wo_resolve_breached(&wo, T0 + 34 * HOUR + 1));
    /* Resolved in time stays unbreached forever after. */
    wo.resolved_at = T0 + 33 * HOUR;
    snprintf(wo.state, sizeof wo.state, "%s", "resolved");
    assert_false(gj_wo_resolve_breached(&wo, T0 + 100 * HOUR));
    assert_false(gj_wo_overdue(&wo, T0 + 100 * HOUR));
}

static void test_response_breach(void **state)
{
    (void)state;
    struct gj_work_order wo = order("new");
    assert_false(gj_wo_respond_breached(&wo, T0 + 30 * MIN));
    assert_true(gj_wo_respond_breached(&wo, T0 + 30 * MIN + 1));
    /* Dispatched late: breached, and it stays so. */
    wo.responded_at = T0 + 45 * MIN;
    snprintf(wo.state, sizeof wo.state, "%s", "dispatched");
    assert_true(gj_wo_respond_breached(&wo, T0 + 46 * MIN));
    /* Dispatched in time: never breached. */
    wo.responded_at = T0 + 5 * MIN;
    assert_false(gj_wo_respond_breached(&wo, T0 + 100 * HOUR));
    /* Cancelled orders breach nothing. */
    snprintf(wo.state, sizeof wo.state, "%s", "cancelled");
    wo.responded_at = 0;
    assert_false(gj_wo_respond_breached(&wo, T0 + 100 * HOUR));
}

static void test_due_soon_window(void **state)
{
    (void)state;
    struct gj_work_order wo = order("dispatched");
    int64_t due = wo.resolve_due_at;
    assert_false(gj_wo_due_soon(&wo, due - HOUR));
    assert_true(gj_wo_due_soon(&wo, due - HOUR + 1));
    assert_true(gj_wo_due_soon(&wo, due));
    assert_false(gj_wo_due_soon(&wo, due + 1)); /* then it is overdue */
    assert_true(gj_wo_overdue(&wo, due + 1));
}

static void test_every_transition(void **state)
{
    (void)state;
    const char *states[] = {"new",      "dispatched", "in_progress", "on_hold",
                            "resolved", "closed",     "cancelled"};
    const char *events[] = {"dispatch", "start", "hold",   "resume",
                            "resolve",  "close", "reopen", "cancel"};
    /* The expected table, written out: "" = refused. */
    const char *expect[7][8] = {
        /* new */ {"dispatched", "", "", "", "", "", "", "cancelled"},
        /* dispatched */ {"dispatched", "in_progress", "on_hold", "", "", "", "", "cancelled"},
        /* in_progress */ {"dispatched", "", "on_hold", "", "resolved", "", "", "cancelled"},
        /* on_hold */ {"", "", "", "in_progress", "", "", "", "cancelled"},
        /* resolved */ {"", "", "", "", "", "closed", "in_progress", ""},
        /* closed */ {"", "", "", "", "", "", "", ""},
        /* cancelled */ {"", "", "", "", "", "", "", ""},
    };
    for (int s = 0; s < 7; s++) {
        for (int e = 0; e < 8; e++) {
            struct gj_error err;
            err.code = GJ_OK;
            err.msg[0] = '\0';
            const char *to = gj_wo_next_state(states[s], events[e], &err);
            if (expect[s][e][0]) {
                if (!to || strcmp(to, expect[s][e]) != 0)
                    fail_msg("%s + %s: expected %s, got %s", states[s], events[e], expect[s][e],
                             to ? to : "(refused)");
            } else {
                if (to)
                    fail_msg("%s + %s: expected refusal, got %s", states[s], events[e], to);
                assert_int_equal(err.code, GJ_EINVAL);
                assert_true(strlen(err.msg) > 10);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadlines),        cmocka_unit_test(test_hold_pauses_the_clock),
        cmocka_unit_test(test_response_breach),  cmocka_unit_test(test_due_soon_window),
        cmocka_unit_test(test_every_transition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
