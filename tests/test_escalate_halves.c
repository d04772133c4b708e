/* The two halves of `guanjia escalate` (and of the console's sweep): what
 * is due is found without the write lock (gj_wo_breaches_due,
 * gj_complaint_escalations_find) and recorded in short write transactions
 * (gj_wo_breaches_record, gj_complaint_escalations_record). What happens
 * between the two is taken into account: nothing is recorded twice or for
 * an order that no longer breaches, and nothing due is left out. A failure
 * keeps what the transactions before it recorded. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "db_internal.h" /* db->h, to check behind the repositories' back */
#include "testutil.h"

#include "guanjia/db.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sla.h"

#include <stdlib.h>
#include <string.h>

static const char *dir;
static char path[512];
static struct gj_db *db;

static int setup(void **state)
{
    (void)state;
    return gj_test_demo_open(&dir, path, sizeof path, &db);
}

static int teardown(void **state)
{
    gj_test_demo_close(dir, db);
    return gj_test_cmd_teardown(state);
}

/* Sets the program's clock to when; returns it in epoch seconds. */
static int64_t clock_at(const char *when)
{
    gj_test_set_now(when);
    return gj_test_at(when);
}

/* The open orders with a breach due at now (gj_wo_breaches_due): their
 * ids in *ids (free it), how many looked at in *seen; returns how many. */
static size_t due_orders(int64_t now, int64_t **ids, long *seen)
{
    struct gj_error err;
    size_t n = 0;
    gj_test_must(gj_wo_breaches_due(db, now, ids, &n, seen, &err), &err);
    return n;
}

static const char *const breach_events = "SELECT count(*) FROM work_order_events WHERE kind IN "
                                         "('respond_breached', 'resolve_breached')";

/* Each open order's passed deadlines at now are recorded, once. */
static void assert_all_recorded(int64_t now)
{
    assert_true(gj_test_breaches_all_recorded(db, now, NULL) > 0);
    assert_int_equal(gj_test_scalar(db->h,
                                    "SELECT count(*) FROM (SELECT 1 FROM work_order_events WHERE "
                                    "kind IN ('respond_breached', 'resolve_breached') GROUP BY "
                                    "work_order_id, kind HAVING count(*) > 1)",
                                    0),
                     0);
}

static void test_found_then_changed_then_recorded(void **state)
{
    (void)state;
    struct gj_error err;
    /* A week after the demo's day, many deadlines have passed. */
    int64_t now = clock_at("2026-12-06T09:00");
    int64_t *ids = NULL;
    long seen = 0;
    size_t n = due_orders(now, &ids, &seen);
    assert_true(n > 20);
    assert_true(seen >= (long)n);
    assert_int_equal(gj_test_scalar(db->h,
                                    "SELECT count(*) FROM work_orders WHERE state IN "
                                    "('new', 'dispatched', 'in_progress', 'on_hold')",
                                    0),
                     seen);
    /* It only looked: nothing is written, and no transaction is left. */
    int64_t before = gj_test_scalar(db->h, breach_events, 0);
    gj_test_must(gj_db_begin(db, &err), &err);
    gj_db_rollback(db);

    /* Between the two halves, another terminal records the first order's
     * breaches, and cancels the second (which records its breaches as a
     * step does). */
    long other = 0;
    gj_test_must(gj_wo_breaches_record(db, ids, 1, now, 1, &other, &err), &err);
    assert_true(other >= 1);
    struct gj_work_order wo;
    gj_test_must(gj_wo_get(db, ids[1], &wo, &err), &err);
    struct gj_wo_step cancel = {.event = "cancel", .note = "owner fixed it himself"};
    gj_test_must(gj_wo_do(db, 0, GJ_ROLE_MANAGER, &wo, &cancel, &err), &err);
    int64_t cancelled_events =
        gj_test_scalar(db->h,
                       "SELECT count(*) FROM work_order_events WHERE work_order_id = ? AND kind "
                       "IN ('respond_breached', 'resolve_breached')",
                       ids[1]);
    assert_true(cancelled_events >= 1);
    int64_t middle = gj_test_scalar(db->h, breach_events, 0);

    /* Then the rest are recorded, seven orders a transaction: nothing
     * twice, nothing more for the cancelled order, nothing due left. */
    long recorded = 0;
    gj_test_must(gj_wo_breaches_record(db, ids, n, now, 7, &recorded, &err), &err);
    assert_true(recorded > 0);
    assert_int_equal(gj_test_scalar(db->h, breach_events, 0) - middle, recorded);
    assert_int_equal(gj_test_scalar(db->h,
                                    "SELECT count(*) FROM work_order_events WHERE work_order_id "
                                    "= ? AND kind IN ('respond_breached', 'resolve_breached')",
                                    ids[1]),
                     cancelled_events);
    assert_true(gj_test_scalar(db->h, breach_events, 0) > before);
    assert_all_recorded(now);

    /* Looked for again: nothing is due. */
    free(ids);
    gj_test_must(gj_wo_breaches_due(db, now, &ids, &n, &seen, &err), &err);
    assert_int_equal(n, 0);
    free(ids);
    gj_test_set_now("2026-11-29T09:00");
}

/* A failure in a later transaction keeps what the earlier ones recorded,
 * and says what failed. */
static void test_a_missing_order_stops_the_recording(void **state)
{
    (void)state;
    struct gj_error err;
    int64_t now = clock_at("2026-12-06T09:00");
    int64_t *ids = NULL;
    long seen = 0;
    size_t n = due_orders(now, &ids, &seen);
    assert_true(n > 4);
    int64_t before = gj_test_scalar(db->h, breach_events, 0);
    const char *of_order = "SELECT count(*) FROM work_order_events WHERE work_order_id = ? AND "
                           "kind IN ('respond_breached', 'resolve_breached')";
    int64_t *had = calloc(n, sizeof *had);
    assert_non_null(had);
    for (size_t i = 0; i < n; i++)
        had[i] = gj_test_scalar(db->h, of_order, ids[i]);
    ids[3] = INT64_MAX; /* no such order, in the second transaction of 3 */
    long recorded = 0;
    assert_int_equal(gj_wo_breaches_record(db, ids, n, now, 3, &recorded, &err), GJ_ENOTFOUND);
    assert_true(err.msg[0] != '\0');
    assert_true(recorded >= 3);
    /* The first transaction's orders have more recorded; none after it. */
    for (size_t i = 0; i < n; i++) {
        int64_t now_has = gj_test_scalar(db->h, of_order, ids[i]);
        if (i < 3)
            assert_true(now_has > had[i]);
        else
            assert_int_equal(now_has, had[i]);
    }
    free(had);
    assert_int_equal(gj_test_scalar(db->h, breach_events, 0) - before, recorded);
    free(ids);
    gj_test_set_now("2026-11-29T09:00");
}

static const char *const escalations =
    "SELECT count(*) FROM complaint_events WHERE kind = 'escalated'";

static void test_complaints_found_then_changed_then_recorded(void **state)
{
    (void)state;
    struct gj_error err;
    int64_t *ids = NULL;
    size_t n = 0;
    long checked = 0, recorded = 0;

    /* A day later: a failure in the second transaction keeps the first's. */
    int64_t now = clock_at("2026-11-30T12:00");
    gj_test_must(gj_complaint_escalations_find(db, now, &ids, &n, &checked, &err), &err);
    assert_true(n >= 4);
    int64_t before = gj_test_scalar(db->h, escalations, 0);
    ids[2] = INT64_MAX; /* no such complaint */
    assert_int_equal(gj_complaint_escalations_record(db, ids, n, now, 2, &recorded, &err),
                     GJ_ENOTFOUND);
    assert_true(recorded >= 2);
    assert_int_equal(gj_test_scalar(db->h, escalations, 0) - before, recorded);
    free(ids);

    /* A week later, more are due. */
    now = clock_at("2026-12-06T09:00");
    before = gj_test_scalar(db->h, escalations, 0);
    gj_test_must(gj_complaint_escalations_find(db, now, &ids, &n, &checked, &err), &err);
    assert_true(n >= 3);
    assert_true(checked >= (long)n);
    assert_int_equal(gj_test_scalar(db->h, escalations, 0), before); /* it only looked */
    gj_test_must(gj_db_begin(db, &err), &err);                       /* and left no transaction */
    gj_db_rollback(db);

    /* Another terminal's sweep records the first one in between. */
    long other = 0;
    gj_test_must(gj_complaint_escalations_record(db, ids, 1, now, 1, &other, &err), &err);
    assert_true(other >= 1);
    int64_t middle = gj_test_scalar(db->h, escalations, 0);
    assert_int_equal(middle - before, other);

    /* Then all of them, two a transaction: the first is not recorded
     * again (the database would refuse a second), the rest are. */
    gj_test_must(gj_complaint_escalations_record(db, ids, n, now, 2, &recorded, &err), &err);
    assert_true(recorded >= (long)n - 1);
    assert_int_equal(gj_test_scalar(db->h, escalations, 0) - middle, recorded);
    free(ids);
    gj_test_must(gj_complaint_escalations_find(db, now, &ids, &n, &checked, &err), &err);
    assert_int_equal(n, 0);
    free(ids);
    gj_test_set_now("2026-11-29T09:00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* First: it leaves most of the week's breaches to the second. */
        cmocka_unit_test(test_a_missing_order_stops_the_recording),
        cmocka_unit_test(test_found_then_changed_then_recorded),
        cmocka_unit_test(test_complaints_found_then_changed_then_recorded),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
