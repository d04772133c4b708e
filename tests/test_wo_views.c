/* The work-order queue's views, filtered in SQL (gj_wo_list_view), hold
 * exactly the orders that the core rules (core/sla.c) and the view's
 * meaning pick out of the whole open queue, in the same order, whether
 * paged forward or backward: on the demo estate, which has orders in
 * every state, overdue, due within the hour and on hold. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sla.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPEN 4000
#define PAGE     7 /* small, so that every view spans many pages */

static const char *dir;
static char path[700];
static struct gj_db *db;
static struct gj_work_order *all, *got, page[PAGE];
static int n_all;

static int setup(void **state)
{
    (void)state;
    if (gj_test_demo_db(&dir, path, sizeof path) != 0)
        return -1;
    /* Overdue and due-soon are judged at a fixed clock, the demo's. */
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    /* Orders on the edges of the rules: a new order past its response
     * deadline but not its resolution; deadlines just inside, on and just
     * past the end of the due-soon hour. */
    int64_t now = gj_test_at("2026-11-29T09:00");
    char sql[1024];
    snprintf(sql, sizeof sql,
             "UPDATE work_orders SET respond_due_at = %lld, resolve_due_at = %lld, "
             "promised_at = NULL, responded_at = NULL, paused_seconds = 0, version = version + 1 "
             "WHERE id = (SELECT min(id) FROM work_orders WHERE state = 'new'); "
             "UPDATE work_orders SET resolve_due_at = %lld - paused_seconds, promised_at = NULL, "
             "version = version + 1 "
             "WHERE id = (SELECT min(id) FROM work_orders WHERE state = 'dispatched'); "
             "UPDATE work_orders SET resolve_due_at = %lld - paused_seconds, promised_at = NULL, "
             "version = version + 1 "
             "WHERE id = (SELECT max(id) FROM work_orders WHERE state = 'dispatched'); "
             "UPDATE work_orders SET resolve_due_at = %lld - paused_seconds, promised_at = NULL, "
             "version = version + 1 "
             "WHERE id = (SELECT min(id) FROM work_orders WHERE state = 'in_progress'); ",
             (long long)(now - 100), (long long)(now + 5 * 86400), (long long)(now + 3599),
             (long long)(now + 3600), (long long)(now + 3900));
    sqlite3 *raw = NULL;
    char *emsg = NULL;
    if (sqlite3_open(path, &raw) != SQLITE_OK ||
        sqlite3_exec(raw, sql, NULL, NULL, &emsg) != SQLITE_OK) {
        fprintf(stderr, "setup: %s\n", emsg ? emsg : sqlite3_errmsg(raw));
        return -1;
    }
    sqlite3_close(raw);
    struct gj_error err;
    if (gj_db_open(path, 0, &db, &err) != GJ_OK)
        return -1;
    all = calloc(MAX_OPEN, sizeof *all);
    got = calloc(MAX_OPEN, sizeof *got);
    if (!all || !got)
        return -1;
    /* The whole open queue, the reference the views are judged against. */
    int64_t due = INT64_MIN, id = 0;
    for (;;) {
        int n = 0;
        if (gj_wo_list_open(db, due, id, PAGE, page, &n, &err) != GJ_OK)
            return -1;
        for (int i = 0; i < n && n_all < MAX_OPEN; i++)
            all[n_all++] = page[i];
        if (n < PAGE)
            break;
        due = gj_wo_queue_due(&page[n - 1]);
        id = page[n - 1].id;
    }
    return n_all > 50 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gj_db_close(db);
    free(all);
    free(got);
    gj_test_rmtree(dir);
    return 0;
}

static int wanted(const struct gj_wo_view *v, const struct gj_work_order *wo)
{
    if (v->state && strcmp(wo->state, v->state) != 0)
        return 0;
    if (v->department_id && wo->department_id != v->department_id)
        return 0;
    if (v->created_by && wo->created_by != v->created_by)
        return 0;
    if (v->when == GJ_WO_WHEN_OVERDUE)
        return gj_wo_overdue(wo, v->now);
    if (v->when == GJ_WO_WHEN_DUE_SOON)
        return gj_wo_due_soon(wo, v->now);
    return 1;
}

/* Walks the view both ways and compares it with the reference; returns
 * how many orders it holds. */
static int check_view(const struct gj_wo_view *v)
{
    int n_want = 0;
    for (int i = 0; i < n_all; i++)
        if (wanted(v, &all[i]))
            n_want++;

    struct gj_error err;
    int n_got = 0;
    int64_t due = INT64_MIN, id = 0;
    for (;;) {
        int n = 0;
        assert_int_equal(gj_wo_list_view(db, v, due, id, 1, PAGE, page, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++) {
            assert_true(n_got < MAX_OPEN);
            got[n_got++] = page[i];
        }
        if (n < PAGE)
            break;
        due = gj_wo_queue_due(&page[n - 1]);
        id = page[n - 1].id;
    }
    assert_int_equal(n_got, n_want);
    int k = 0;
    for (int i = 0; i < n_all; i++)
        if (wanted(v, &all[i])) {
            assert_int_equal(got[k].id, all[i].id);
            k++;
        }

    /* Backward from past the end gives the same orders, last first. */
    int back = 0;
    due = INT64_MAX, id = INT64_MAX;
    for (;;) {
        int n = 0;
        assert_int_equal(gj_wo_list_view(db, v, due, id, 0, PAGE, page, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++, back++)
            assert_int_equal(page[i].id, got[n_got - 1 - back].id);
        if (n < PAGE)
            break;
        due = gj_wo_queue_due(&page[n - 1]);
        id = page[n - 1].id;
    }
    assert_int_equal(back, n_got);
    return n_got;
}

static void test_every_view_matches_the_rules(void **state)
{
    (void)state;
    int64_t now = gj_now();
    struct gj_wo_view v = {.now = now};
    assert_int_equal(check_view(&v), n_all);

    v.when = GJ_WO_WHEN_OVERDUE;
    assert_true(check_view(&v) > 0);
    v.when = GJ_WO_WHEN_DUE_SOON;
    assert_true(check_view(&v) > 0);
    /* Due soon at a moment chosen to hold some: an hour before an order's
     * deadline that is not on hold. */
    for (int i = 0; i < n_all; i++)
        if (strcmp(all[i].state, "on_hold") != 0 && gj_wo_queue_due(&all[i]) > now) {
            v.now = gj_wo_queue_due(&all[i]) - 1800;
            break;
        }
    assert_true(check_view(&v) > 0);
    v = (struct gj_wo_view){.now = now};

    const char *states[] = {"new", "dispatched", "in_progress", "on_hold"};
    int sum = 0;
    for (int i = 0; i < 4; i++) {
        v.state = states[i];
        int n = check_view(&v);
        assert_true(n > 0);
        sum += n;
    }
    assert_int_equal(sum, n_all);
    v.state = NULL;

    /* Every department and every butler who took orders. */
    int64_t depts[64], users[64];
    int nd = 0, nu = 0;
    for (int i = 0; i < n_all; i++) {
        int d = 0, u = 0;
        while (d < nd && depts[d] != all[i].department_id)
            d++;
        if (d == nd && all[i].department_id && nd < 64)
            depts[nd++] = all[i].department_id;
        while (u < nu && users[u] != all[i].created_by)
            u++;
        if (u == nu && all[i].created_by && nu < 64)
            users[nu++] = all[i].created_by;
    }
    assert_true(nd >= 2 && nu >= 2);
    for (int d = 0; d < nd; d++) {
        v.department_id = depts[d];
        assert_true(check_view(&v) > 0);
        v.when = GJ_WO_WHEN_OVERDUE; /* combined with a condition */
        check_view(&v);
        v.when = GJ_WO_WHEN_ANY;
    }
    v.department_id = 0;
    for (int u = 0; u < nu; u++) {
        v.created_by = users[u];
        assert_true(check_view(&v) > 0);
    }
}

static void test_unknown_state_is_refused(void **state)
{
    (void)state;
    struct gj_wo_view v = {.state = "closed"};
    struct gj_error err;
    int n = 5;
    assert_int_equal(gj_wo_list_view(db, &v, INT64_MIN, 0, 1, PAGE, page, &n, &err), GJ_EINVAL);
    assert_int_equal(n, 0);
    assert_non_null(strstr(err.msg, "closed"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_view_matches_the_rules),
        cmocka_unit_test(test_unknown_state_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
