/* The console's overdue counter (repo SQL) agrees with the core rule. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/repo_bulk.h"
#include "guanjia/repo_staff.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR 3600

/* The department orders are dispatched to (id 1). */
static void add_department(struct gj_db *db)
{
    struct gj_department d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "%s", "工程维修部");
    snprintf(d.kind, sizeof d.kind, "%s", "maintenance");
    d.active = 1;
    struct gj_error err;
    gj_test_must(gj_department_create(db, 0, &d, &err), &err);
    assert_int_equal(d.id, 1);
}

static void test_counter_matches_core(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    int64_t now = gj_now();
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    add_department(db);
    assert_int_equal(gj_bulk_begin(db, "test", &err), GJ_OK);
    static const struct {
        const char *state;
        int64_t age, paused, hold_for, promised_in;
    } cases[] = {
        {"new", 30 * HOUR, 0, 0, 0}, /* overdue */
        {"new", 2 * HOUR, 0, 0, 0},  /* not dispatched 2 h after a 30 min target: overdue */
        {"new", 10 * 60, 0, 0, 0},   /* 10 minutes old: not yet */
        {"dispatched", 30 * HOUR, 10 * HOUR, 0, 0},  /* paused 10 h: not yet */
        {"in_progress", 40 * HOUR, 10 * HOUR, 0, 0}, /* overdue even with the pause */
        {"in_progress", 30 * HOUR, 0, 0, 5 * HOUR},  /* promised later: not yet */
        {"on_hold", 50 * HOUR, 0, 40 * HOUR, 0},     /* clock stands: never */
        {"resolved", 50 * HOUR, 0, 0, 0},            /* not open */
    };
    int expected = 0;
    static struct gj_work_order wo;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(&wo, 0, sizeof wo);
        snprintf(wo.state, sizeof wo.state, "%s", cases[i].state);
        snprintf(wo.channel, sizeof wo.channel, "%s", "phone");
        snprintf(wo.category, sizeof wo.category, "%s", "repair");
        snprintf(wo.priority, sizeof wo.priority, "%s", "high");
        snprintf(wo.description, sizeof wo.description, "%s", "leak");
        wo.created_at = now - cases[i].age;
        gj_wo_set_deadlines(&wo, 30, 24 * 60);
        wo.paused_seconds = cases[i].paused;
        if (cases[i].hold_for) {
            wo.hold_started_at = now - cases[i].hold_for;
            snprintf(wo.hold_reason, sizeof wo.hold_reason, "%s", "parts");
        }
        if (cases[i].promised_in) {
            wo.promised_at = now + cases[i].promised_in;
            snprintf(wo.promise_reason, sizeof wo.promise_reason, "%s", "parts on order");
        }
        if (strcmp(wo.state, "new") != 0) {
            wo.department_id = 1; /* foreign keys wait for the end of a bulk load */
            wo.responded_at = wo.created_at + 10 * 60; /* dispatched in time */
        }
        if (strcmp(wo.state, "resolved") == 0)
            wo.resolved_at = now - HOUR;
        expected += gj_wo_overdue(&wo, now);
        struct gj_wo_event ev;
        memset(&ev, 0, sizeof ev);
        ev.at = wo.created_at;
        snprintf(ev.kind, sizeof ev.kind, "%s", "created");
        assert_int_equal(gj_bulk_work_order(db, &wo, &ev, 1, &err), GJ_OK);
    }
    assert_int_equal(expected, 3);
    /* Counted once the load is in and its indexes are back. */
    gj_test_must(gj_bulk_end(db, 0, "{}", 1, &err), &err);
    int64_t counted = -1;
    assert_int_equal(gj_wo_count_overdue(db, now, &counted, &err), GJ_OK);
    assert_int_equal(counted, expected);
    gj_db_close(db);
}

/* Past the cap the counter says the cap, however many are late, and each
 * arm of the rule counts towards it. */
static void test_counter_stops_at_the_cap(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    int64_t now = gj_now();
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    add_department(db);
    assert_int_equal(gj_bulk_begin(db, "test", &err), GJ_OK);
    static struct gj_work_order wo;
    int64_t counted = -1;
    for (int i = 0; i < GJ_COUNT_CAP + 5; i++) {
        memset(&wo, 0, sizeof wo);
        /* new and late to answer, new and late, dispatched and late */
        snprintf(wo.state, sizeof wo.state, "%s", i % 3 == 2 ? "dispatched" : "new");
        snprintf(wo.channel, sizeof wo.channel, "%s", "phone");
        snprintf(wo.category, sizeof wo.category, "%s", "repair");
        snprintf(wo.priority, sizeof wo.priority, "%s", "high");
        snprintf(wo.description, sizeof wo.description, "%s", "leak");
        wo.created_at = now - (i % 3 == 0 ? 2 * HOUR : 30 * HOUR);
        gj_wo_set_deadlines(&wo, 30, 24 * 60);
        if (i % 3 == 2) {
            wo.department_id = 1;
            wo.responded_at = wo.created_at + 10 * 60;
        }
        assert_true(gj_wo_overdue(&wo, now));
        struct gj_wo_event ev;
        memset(&ev, 0, sizeof ev);
        ev.at = wo.created_at;
        snprintf(ev.kind, sizeof ev.kind, "%s", "created");
        assert_int_equal(gj_bulk_work_order(db, &wo, &ev, 1, &err), GJ_OK);
        if (i == 299) {
            gj_test_must(gj_bulk_end(db, 0, "{}", 1, &err), &err);
            assert_int_equal(gj_wo_count_overdue(db, now, &counted, &err), GJ_OK);
            assert_int_equal(counted, 300);
            assert_int_equal(gj_bulk_begin(db, "test", &err), GJ_OK);
        }
    }
    gj_test_must(gj_bulk_end(db, 0, "{}", 1, &err), &err);
    assert_int_equal(gj_wo_count_overdue(db, now, &counted, &err), GJ_OK);
    assert_int_equal(counted, GJ_COUNT_CAP);
    gj_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_counter_matches_core),
                                       cmocka_unit_test(test_counter_stops_at_the_cap)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
