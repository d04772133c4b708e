/* The work-order figures the reports keep by day (wo_day_stats, migration
 * 10) stay equal to the orders through every step of their life, and a
 * report over a range that starts and ends inside days (stats for the
 * whole days, the orders themselves for the hours at either end, the open
 * orders past due kept at one moment (wo_open_missed, migration 17) and
 * those that crossed since) counts exactly what the orders say. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_check.h"
#include "guanjia/repo_reports.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dir;
static char path[700];
static struct gj_db *db;

static int setup(void **state)
{
    (void)state;
    return gj_test_demo_open(&dir, path, sizeof path, &db);
}

static int teardown(void **state)
{
    (void)state;
    return gj_test_demo_close(dir, db);
}

static const char *const stats_check = "the reports' figures by day match the work orders";
static const char *const missed_check =
    "the open work orders past due, kept by day, match the orders";
static int64_t stats_problems, missed_problems;

static void on_result(const struct gj_check_result *r, void *ctx)
{
    (void)ctx;
    if (strcmp(r->name, stats_check) == 0)
        stats_problems = r->problems;
    if (strcmp(r->name, missed_check) == 0)
        missed_problems = r->problems;
}

/* The checks of wo_day_stats and wo_open_missed against the orders: the
 * first one's problems (-1 if it did not run); the second's are in
 * missed_problems. */
static int64_t stats_check_problems(void)
{
    stats_problems = missed_problems = -1;
    int failures = 0;
    struct gj_error err;
    gj_test_must(gj_check_bookkeeping(db, on_result, NULL, &failures, &err), &err);
    return stats_problems;
}

/* Both checks pass. */
static void assert_kept_right(void)
{
    assert_int_equal(stats_check_problems(), 0);
    assert_int_equal(missed_problems, 0);
}

static void step(struct gj_work_order *wo, struct gj_wo_step s)
{
    struct gj_error err;
    gj_test_must(gj_wo_do(db, 0, GJ_ROLE_MANAGER, wo, &s, &err), &err);
}

/* A repair order for work order 1's unit, taken at created_at with the
 * deadlines given (minutes), saved. */
static struct gj_work_order new_order(const char *channel, const char *priority,
                                      const char *description, int64_t created_at,
                                      int respond_minutes, int resolve_minutes)
{
    struct gj_error err;
    struct gj_work_order wo, o;
    gj_test_must(gj_wo_get(db, 1, &wo, &err), &err);
    memset(&o, 0, sizeof o);
    o.unit_id = wo.unit_id;
    snprintf(o.channel, sizeof o.channel, "%s", channel);
    snprintf(o.category, sizeof o.category, "%s", "repair");
    snprintf(o.priority, sizeof o.priority, "%s", priority);
    snprintf(o.description, sizeof o.description, "%s", description);
    o.created_at = created_at;
    gj_wo_set_deadlines(&o, respond_minutes, resolve_minutes);
    gj_test_must(gj_wo_create(db, 0, &o, &err), &err);
    return o;
}

static void test_every_step_keeps_the_figures(void **state)
{
    (void)state;
    assert_kept_right(); /* after the demo's bulk load */

    /* A new order through its whole life, a department change, a reopen,
     * and a cancelled one. */
    struct gj_error err;
    /* Taken two days ago, so that it is late when resolved. */
    struct gj_work_order fresh =
        new_order("wechat", "high", "水管漏水", gj_now() - 2 * 86400, 15, 240);
    assert_kept_right();
    step(&fresh, (struct gj_wo_step){.event = "dispatch", .department_id = 1});
    step(&fresh, (struct gj_wo_step){.event = "dispatch", .department_id = 2});
    step(&fresh, (struct gj_wo_step){.event = "start"});
    step(&fresh, (struct gj_wo_step){.event = "hold", .hold_reason = "parts"});
    assert_kept_right();
    step(&fresh, (struct gj_wo_step){.event = "resume"});
    step(&fresh, (struct gj_wo_step){.event = "resolve", .note = "换了阀门"});
    assert_kept_right();
    step(&fresh, (struct gj_wo_step){.event = "reopen", .note = "还在漏"});
    step(&fresh, (struct gj_wo_step){.event = "resolve", .note = "换了整段管"});
    step(&fresh, (struct gj_wo_step){.event = "close", .satisfaction = 5});
    assert_kept_right();

    struct gj_work_order other = fresh;
    other.id = 0;
    other.created_at = gj_now() - 3600;
    gj_wo_set_deadlines(&other, 15, 240);
    snprintf(other.category, sizeof other.category, "%s", "cleaning");
    gj_test_must(gj_wo_create(db, 0, &other, &err), &err);
    step(&other, (struct gj_wo_step){.event = "cancel", .note = "业主自行处理"});
    assert_kept_right();

    /* The check notices figures that drifted from the orders. */
    gj_test_exec(db->h, "UPDATE wo_day_stats SET orders = orders + 1 WHERE (day, category, "
                        "department_id, channel) = (SELECT day, category, department_id, "
                        "channel FROM wo_day_stats WHERE orders > 0 LIMIT 1)");
    /* The row as kept and the row as counted differ: both are named. */
    assert_int_equal(stats_check_problems(), 2);
    gj_test_exec(db->h, "DELETE FROM wo_day_stats");
    gj_test_exec(db->h, "INSERT INTO wo_day_stats SELECT created_at / 86400, category, "
                        "coalesce(department_id, 0), channel, count(*), "
                        "sum(state <> 'cancelled' AND resolved_at IS NOT NULL AND resolved_at <= "
                        "due_at), sum(state <> 'cancelled' AND resolved_at IS NOT NULL AND "
                        "resolved_at > due_at), count(responded_at), "
                        "coalesce(sum(responded_at - created_at), 0), count(resolved_at), "
                        "coalesce(sum(resolved_at - created_at), 0) FROM work_orders "
                        "GROUP BY 1, 2, 3, 4");
    assert_int_equal(stats_check_problems(), 0);
}

/* The report's summary cell of a given label, as a number. */
static int64_t summary(const struct gj_report *r, const char *label)
{
    const struct gj_report_table *t = &r->tables[0];
    for (int i = 0; i < t->n_rows; i++)
        if (strcmp(t->cells[i][0].text, label) == 0)
            return t->cells[i][1].v;
    fail_msg("no summary row %s", label);
    return -1;
}

/* Reports at now over ranges that start and end inside UTC days, one
 * within a single day, count what the orders say. */
static void compare_ranges(int64_t now)
{
    const char *ranges[][2] = {{"2026-11-03T05:17", "2026-11-20T13:42"},
                               {"2026-11-10T09:00", "2026-11-10T17:00"},
                               {"2026-09-01T00:00", "2026-11-29T09:00"}};
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        int64_t from = gj_test_at(ranges[i][0]), to = gj_test_at(ranges[i][1]) + 1;
        char sql[1024];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM work_orders WHERE created_at >= %lld AND created_at < %lld",
                 (long long)from, (long long)to);
        int64_t orders = gj_test_scalar(db->h, sql, 0);
        snprintf(sql, sizeof sql,
                 "SELECT coalesce(sum(state <> 'cancelled' AND CASE WHEN resolved_at IS NOT NULL "
                 "THEN resolved_at > due_at WHEN state IN ('new', 'dispatched', 'in_progress') "
                 "THEN %lld > due_at WHEN state = 'on_hold' THEN hold_started_at > due_at ELSE 0 "
                 "END), 0) FROM work_orders WHERE created_at >= %lld AND created_at < %lld",
                 (long long)now, (long long)from, (long long)to);
        int64_t missed = gj_test_scalar(db->h, sql, 0);
        struct gj_report *r = calloc(1, sizeof *r);
        assert_non_null(r);
        struct gj_error err;
        gj_test_must(gj_report_run(db, "workorders", from, to, now, r, &err), &err);
        assert_int_equal(summary(r, "Work orders taken"), orders);
        assert_int_equal(summary(r, "Missed the SLA"), missed);
        if (i == 0)
            assert_true(orders > 20 && missed > 0);
        free(r);
    }
}

static void test_report_over_a_range_with_partial_days(void **state)
{
    (void)state;
    setenv("LANGUAGE", "en", 1);
    /* Orders on hold both ways: one put on hold after its deadline (missed
     * whatever the clock), the others before it (not missed, even with
     * the clock past it). */
    gj_test_exec(db->h, "UPDATE work_orders SET hold_started_at = due_at + 60, "
                        "version = version + 1 WHERE id = (SELECT min(id) FROM work_orders "
                        "WHERE state = 'on_hold' AND created_at >= 1788192000)");
    assert_true(gj_test_scalar(db->h,
                               "SELECT count(*) FROM work_orders WHERE state = 'on_hold' AND "
                               "created_at >= 1788192000 AND hold_started_at > due_at",
                               0) == 1);
    assert_true(gj_test_scalar(db->h,
                               "SELECT count(*) FROM work_orders WHERE state = 'on_hold' AND "
                               "created_at >= 1788192000 AND hold_started_at < due_at",
                               0) > 0);
    compare_ranges(gj_now());
}

/* The open orders past due are kept at one moment (wo_open_missed); a
 * report at another adds or takes away the orders whose deadline falls in
 * between. Whatever the moment, earlier or later than the clock, and
 * while orders change under it, the reports count what the orders say. */
static void test_reports_right_whatever_moment_is_kept(void **state)
{
    (void)state;
    setenv("LANGUAGE", "en", 1);
    int64_t now = gj_now();
    const int64_t moments[] = {now - 5 * 86400, now - 7200, now + 3 * 86400, now - 40 * 86400, now};
    struct gj_error err;
    for (size_t k = 0; k < sizeof moments / sizeof moments[0]; k++) {
        int moved = 0;
        gj_test_must(gj_wo_missed_refresh(db, moments[k], &moved, &err), &err);
        assert_int_equal(moved, 1); /* deadlines fall in every gap here */
        assert_int_equal(gj_test_scalar(db->h, "SELECT at FROM wo_missed_asof", 0), moments[k]);
        assert_kept_right();
        compare_ranges(now);
        compare_ranges(now + 86400);
        /* An order taken and worked while the moment is not the clock. */
        struct gj_work_order o =
            new_order("phone", "normal", "门锁坏了", now - 86400 - (int64_t)k * 3600, 30, 480);
        step(&o, (struct gj_wo_step){.event = "dispatch", .department_id = 1});
        step(&o, (struct gj_wo_step){.event = "hold", .hold_reason = "parts"});
        assert_kept_right();
        compare_ranges(now);
        step(&o, (struct gj_wo_step){.event = "resume"});
        if (k % 2)
            step(&o, (struct gj_wo_step){.event = "resolve", .note = "换锁"});
        assert_kept_right();
        compare_ranges(now);
    }
    /* Up to the clock: nothing crossed, nothing written. */
    int moved = 1;
    gj_test_must(gj_wo_missed_refresh(db, now, &moved, &err), &err);
    assert_int_equal(moved, 0);

    /* The check notices counts that drifted from the orders. */
    gj_test_exec(db->h, "UPDATE wo_open_missed SET n = n + 1 WHERE day = "
                        "(SELECT max(day) FROM wo_open_missed)");
    stats_check_problems();
    assert_true(missed_problems > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_step_keeps_the_figures),
        cmocka_unit_test(test_report_over_a_range_with_partial_days),
        cmocka_unit_test(test_reports_right_whatever_moment_is_kept),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
