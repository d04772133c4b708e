/* A work order through its whole life, as users do it (gj_wo_do): the
 * rules from core, the writes from the repository, one transaction each. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guanjia/clock.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_staff.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
    struct gj_db *db;
    int64_t department, unit;
};

static int setup(void **state)
{
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    static struct fixture f;
    struct gj_error err;
    if (gj_db_open(":memory:", GJ_DB_CREATE, &f.db, &err) != GJ_OK)
        return -1;
    struct gj_department d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "%s", "工程维修部");
    snprintf(d.kind, sizeof d.kind, "%s", "maintenance");
    d.active = 1;
    struct gj_unit u = {
        .building = 3, .entrance = 2, .room = 501, .area_centi_m2 = 8937, .delivered_at = 1};
    if (gj_department_create(f.db, 0, &d, &err) != GJ_OK || gj_unit_create(f.db, 0, &u, &err))
        return -1;
    f.department = d.id;
    f.unit = u.id;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    gj_db_close(f->db);
    return 0;
}

static void new_order(struct fixture *f, struct gj_work_order *wo)
{
    memset(wo, 0, sizeof *wo);
    wo->unit_id = f->unit;
    snprintf(wo->channel, sizeof wo->channel, "%s", "phone");
    snprintf(wo->category, sizeof wo->category, "%s", "repair");
    snprintf(wo->priority, sizeof wo->priority, "%s", "urgent");
    snprintf(wo->description, sizeof wo->description, "%s", "卫生间天花板漏水");
    wo->created_at = gj_now();
    gj_wo_set_deadlines(wo, 15, 240);
    struct gj_error err;
    assert_int_equal(gj_wo_create(f->db, 0, wo, &err), GJ_OK);
}

static int step(struct fixture *f, struct gj_work_order *wo, enum gj_role role, struct gj_wo_step s,
                struct gj_error *err)
{
    return gj_wo_do(f->db, 0, role, wo, &s, err);
}

static void test_whole_life(void **state)
{
    struct fixture *f = *state;
    struct gj_error err;
    struct gj_work_order wo;
    new_order(f, &wo);
    setenv("GUANJIA_NOW", "2026-11-29T09:05", 1);
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "dispatch", .department_id = f->department},
                          &err),
                     GJ_OK);
    assert_string_equal(wo.state, "dispatched");
    assert_int_equal(wo.responded_at, gj_now());
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER, (struct gj_wo_step){.event = "start"}, &err),
                     GJ_OK);
    setenv("GUANJIA_NOW", "2026-11-29T09:30", 1);
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "hold", .hold_reason = "parts"}, &err),
                     GJ_OK);
    assert_string_equal(wo.state, "on_hold");
    /* Two hours waiting for parts: the clock stands. */
    setenv("GUANJIA_NOW", "2026-11-29T11:30", 1);
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER, (struct gj_wo_step){.event = "resume"}, &err),
                     GJ_OK);
    assert_int_equal(wo.paused_seconds, 2 * 3600);
    setenv("GUANJIA_NOW", "2026-11-29T12:00", 1);
    /* Resolving needs a note of what was done. */
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER, (struct gj_wo_step){.event = "resolve"}, &err),
                     GJ_EINVAL);
    assert_non_null(strstr(err.msg, "resolution"));
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "resolve", .note = "更换了上层水管接头"},
                          &err),
                     GJ_OK);
    /* 4 h target + 2 h paused: resolved at 3 h in, in time. */
    assert_false(gj_wo_resolve_breached(&wo, gj_now()));
    assert_int_equal(
        step(f, &wo, GJ_ROLE_BUTLER,
             (struct gj_wo_step){.event = "close", .satisfaction = 5, .note = "很满意"}, &err),
        GJ_OK);
    assert_string_equal(wo.state, "closed");
    assert_int_equal(wo.satisfaction, 5);
    /* Every step is in the timeline, in order. */
    struct gj_wo_event ev[16];
    int n = 0;
    assert_int_equal(gj_wo_events(f->db, wo.id, 0, 16, ev, &n, &err), GJ_OK);
    const char *kinds[] = {"created", "dispatched", "started", "held",
                           "resumed", "resolved",   "closed"};
    assert_int_equal(n, 7);
    for (int i = 0; i < n; i++)
        assert_string_equal(ev[i].kind, kinds[i]);
    assert_string_equal(ev[5].note, "更换了上层水管接头");
    /* Closed is closed. */
    assert_int_equal(
        step(f, &wo, GJ_ROLE_MANAGER, (struct gj_wo_step){.event = "cancel", .note = "x"}, &err),
        GJ_EINVAL);
}

static void test_poor_rating_reopens(void **state)
{
    struct fixture *f = *state;
    struct gj_error err;
    struct gj_work_order wo;
    new_order(f, &wo);
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "dispatch", .department_id = f->department},
                          &err),
                     GJ_OK);
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER, (struct gj_wo_step){.event = "start"}, &err),
                     GJ_OK);
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "resolve", .note = "已处理"}, &err),
                     GJ_OK);
    assert_int_equal(
        step(f, &wo, GJ_ROLE_BUTLER,
             (struct gj_wo_step){.event = "close", .satisfaction = 2, .note = "还是漏水"}, &err),
        GJ_OK);
    assert_string_equal(wo.state, "in_progress");
    assert_int_equal(wo.resolved_at, 0);
    struct gj_wo_event ev[8];
    int n = 0;
    assert_int_equal(gj_wo_events(f->db, wo.id, 0, 8, ev, &n, &err), GJ_OK);
    assert_string_equal(ev[n - 1].kind, "reopened");
    assert_string_equal(ev[n - 1].note, "rated 2/5: 还是漏水"); /* the rating is kept */
}

static void test_refusals(void **state)
{
    struct fixture *f = *state;
    struct gj_error err;
    struct gj_work_order wo;
    new_order(f, &wo);
    /* A trainee may not dispatch; the order is untouched. */
    assert_int_equal(step(f, &wo, GJ_ROLE_TRAINEE,
                          (struct gj_wo_step){.event = "dispatch", .department_id = f->department},
                          &err),
                     GJ_EPERM);
    assert_string_equal(wo.state, "new");
    /* Dispatch needs a department; start needs a dispatch first. */
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER, (struct gj_wo_step){.event = "dispatch"}, &err),
                     GJ_EINVAL);
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER, (struct gj_wo_step){.event = "start"}, &err),
                     GJ_EINVAL);
    /* Hold needs a known reason; cancel needs a reason. */
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "dispatch", .department_id = f->department},
                          &err),
                     GJ_OK);
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "hold", .hold_reason = "lunch"}, &err),
                     GJ_EINVAL);
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER, (struct gj_wo_step){.event = "cancel"}, &err),
                     GJ_EINVAL);
    /* Two terminals: the second, stale save is refused and changes nothing. */
    struct gj_work_order stale = wo;
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER, (struct gj_wo_step){.event = "start"}, &err),
                     GJ_OK);
    assert_int_equal(step(f, &stale, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "cancel", .note = "duplicate"}, &err),
                     GJ_ECONFLICT);
    struct gj_work_order now;
    assert_int_equal(gj_wo_get(f->db, wo.id, &now, &err), GJ_OK);
    assert_string_equal(now.state, "in_progress");
}

static void test_late_dispatch_breach_once(void **state)
{
    struct fixture *f = *state;
    struct gj_error err;
    struct gj_work_order wo;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    new_order(f, &wo);
    setenv("GUANJIA_NOW", "2026-11-29T09:40", 1); /* urgent: 15 minutes to respond */
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "dispatch", .department_id = f->department},
                          &err),
                     GJ_OK);
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "dispatch", .department_id = f->department},
                          &err),
                     GJ_OK); /* re-dispatched: still one breach */
    int respond = 0, resolve = 0;
    assert_int_equal(gj_wo_breaches_recorded(f->db, wo.id, &respond, &resolve, &err), GJ_OK);
    assert_true(respond);
    assert_false(resolve);
    struct gj_wo_event ev[8];
    int n = 0, breaches = 0;
    assert_int_equal(gj_wo_events(f->db, wo.id, 0, 8, ev, &n, &err), GJ_OK);
    for (int i = 0; i < n; i++)
        breaches += strcmp(ev[i].kind, "respond_breached") == 0;
    assert_int_equal(breaches, 1);
}

static void test_chase(void **state)
{
    struct fixture *f = *state;
    struct gj_error err;
    struct gj_work_order wo;
    new_order(f, &wo);
    assert_int_equal(gj_wo_chase(f->db, 0, GJ_ROLE_TRAINEE, &wo, NULL, &err), GJ_EPERM);
    assert_int_equal(gj_wo_chase(f->db, 0, GJ_ROLE_BUTLER, &wo, "业主来电催促", &err), GJ_OK);
    assert_int_equal(gj_wo_chase(f->db, 0, GJ_ROLE_BUTLER, &wo, NULL, &err), GJ_OK);
    struct gj_work_order got;
    assert_int_equal(gj_wo_get(f->db, wo.id, &got, &err), GJ_OK);
    assert_int_equal(got.chase_count, 2);
    struct gj_wo_event ev[8];
    int n = 0, chased = 0;
    assert_int_equal(gj_wo_events(f->db, wo.id, 0, 8, ev, &n, &err), GJ_OK);
    for (int i = 0; i < n; i++)
        chased += strcmp(ev[i].kind, "chased") == 0;
    assert_int_equal(chased, 2);
    /* A cancelled order is not chased. */
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "cancel", .note = "业主自行处理"}, &err),
                     GJ_OK);
    assert_int_equal(gj_wo_chase(f->db, 0, GJ_ROLE_BUTLER, &wo, NULL, &err), GJ_EINVAL);
}

/* Cancelling (or holding) an order already past its deadlines still
 * records the breaches: they happened. */
static void test_breach_before_cancel_recorded(void **state)
{
    struct fixture *f = *state;
    struct gj_error err;
    struct gj_work_order wo;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    new_order(f, &wo); /* urgent: 15 min / 4 h */
    setenv("GUANJIA_NOW", "2026-11-29T14:00", 1);
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "cancel", .note = "业主已自行修好"}, &err),
                     GJ_OK);
    int respond = 0, resolve = 0;
    assert_int_equal(gj_wo_breaches_recorded(f->db, wo.id, &respond, &resolve, &err), GJ_OK);
    assert_true(respond);
    assert_true(resolve);
}

/* A deadline passed before the hold stays passed while on hold; a poor
 * rating does not charge the time the order stood resolved. */
static void test_hold_after_deadline_and_reopen_pause(void **state)
{
    (void)state;
    struct gj_work_order wo;
    memset(&wo, 0, sizeof wo);
    wo.created_at = 1000000;
    gj_wo_set_deadlines(&wo, 15, 240);
    snprintf(wo.state, sizeof wo.state, "%s", "on_hold");
    wo.responded_at = wo.created_at + 60;
    wo.hold_started_at = wo.created_at + 5 * 3600; /* held an hour after the deadline */
    assert_true(gj_wo_resolve_breached(&wo, wo.created_at + 6 * 3600));
    wo.hold_started_at = wo.created_at + 3600; /* held in time */
    assert_false(gj_wo_resolve_breached(&wo, wo.created_at + 9 * 3600));

    struct gj_work_order r;
    memset(&r, 0, sizeof r);
    r.created_at = 1000000;
    gj_wo_set_deadlines(&r, 15, 240);
    snprintf(r.state, sizeof r.state, "%s", "resolved");
    r.responded_at = r.created_at + 60;
    r.resolved_at = r.created_at + 3600;
    r.department_id = 1;
    struct gj_wo_step close = {.event = "close", .satisfaction = 1, .note = "没修好"};
    const char *kind = NULL;
    struct gj_error err;
    int64_t later = r.created_at + 49 * 3600; /* rated two days later */
    assert_int_equal(gj_wo_step_apply(&r, &close, GJ_ROLE_BUTLER, later, &kind, &err), GJ_OK);
    assert_string_equal(kind, "reopened");
    assert_int_equal(r.paused_seconds, 48 * 3600);
    assert_false(gj_wo_resolve_breached(&r, later)); /* 3 h of 4 used */
}

/* A time promised to the owner replaces the target, with its reason. */
static void test_promise(void **state)
{
    struct fixture *f = *state;
    struct gj_error err;
    struct gj_work_order wo;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    new_order(f, &wo);
    int64_t promised = gj_now() + 48 * 3600;
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "promise",
                                              .promised_at = gj_now() - 60,
                                              .note = "配件周一到"},
                          &err),
                     GJ_EINVAL);
    assert_int_equal(step(f, &wo, GJ_ROLE_BUTLER,
                          (struct gj_wo_step){.event = "promise", .promised_at = promised}, &err),
                     GJ_EINVAL); /* a reason is required */
    assert_int_equal(
        step(f, &wo, GJ_ROLE_BUTLER,
             (struct gj_wo_step){.event = "promise", .promised_at = promised, .note = "配件周一到"},
             &err),
        GJ_OK);
    assert_string_equal(wo.state, "new");
    assert_int_equal(gj_wo_resolve_deadline(&wo, gj_now()), promised);
    assert_string_equal(wo.promise_reason, "配件周一到");
    struct gj_wo_event ev[8];
    int n = 0;
    assert_int_equal(gj_wo_events(f->db, wo.id, 0, 8, ev, &n, &err), GJ_OK);
    assert_string_equal(ev[n - 1].kind, "promised");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_whole_life, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poor_rating_reopens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_dispatch_breach_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_breach_before_cancel_recorded, setup, teardown),
        cmocka_unit_test(test_hold_after_deadline_and_reopen_pause),
        cmocka_unit_test_setup_teardown(test_promise, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
