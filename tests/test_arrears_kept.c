/* The arrears kept by unit (arrears_units, migration 14): the triggers keep
 * them equal to the bills through payments, reversals, new bills and a
 * unit's new code; the lists and totals give the same rows whether they
 * read them or add up the bills; a due date passing makes them stale until
 * gj_arrears_refresh (or `guanjia escalate`) counts them again; and
 * `guanjia check` sees a row that went wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"
#include "vt.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_check.h"
#include "guanjia/repo_fee_reports.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/tui.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY      INT64_C(86400)
#define MAX_ROWS 600

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

/* The integer sql gives (a query without parameters). */
static int64_t scalar(const char *sql)
{
    return gj_test_scalar(db->h, sql, 0);
}

/* The local time of t as GUANJIA_NOW takes it (the tests run with
 * TZ=CST-8). */
static void local_time(int64_t t, char *out, size_t outsz)
{
    time_t tt = (time_t)t;
    struct tm tm;
    assert_non_null(localtime_r(&tt, &tm));
    strftime(out, outsz, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* How many units the kept rows and a count from the bills at the kept
 * moment disagree on (0: equal). */
static int64_t kept_differs(void)
{
    return scalar(
        "WITH c AS (SELECT b.unit_id, u.building, u.entrance, u.room, "
        "sum(b.amount_fen - b.paid_fen), "
        "sum(iif(a.at - b.due_at < 31 * 86400, b.amount_fen - b.paid_fen, 0)), "
        "sum(iif(a.at - b.due_at >= 31 * 86400 AND a.at - b.due_at < 91 * 86400, "
        "b.amount_fen - b.paid_fen, 0)), "
        "sum(iif(a.at - b.due_at >= 91 * 86400 AND a.at - b.due_at < 181 * 86400, "
        "b.amount_fen - b.paid_fen, 0)), "
        "sum(iif(a.at - b.due_at >= 181 * 86400, b.amount_fen - b.paid_fen, 0)), min(b.due_at) "
        "FROM arrears_asof a, bills b JOIN units u ON u.id = b.unit_id "
        "WHERE b.paid_fen < b.amount_fen AND b.due_at < a.at GROUP BY b.unit_id) "
        "SELECT (SELECT count(*) FROM (SELECT * FROM arrears_units EXCEPT SELECT * FROM c)) + "
        "(SELECT count(*) FROM (SELECT * FROM c EXCEPT SELECT * FROM arrears_units)) + "
        "(SELECT count(*) FROM arrears_asof a WHERE a.units <> (SELECT count(*) FROM c) OR "
        "a.total_fen <> (SELECT coalesce(sum(total_fen), 0) FROM arrears_units) OR "
        "a.b3_fen <> (SELECT coalesce(sum(b3_fen), 0) FROM arrears_units))");
}

/* Whether the kept rows hold the arrears at now: no unpaid bill falls due
 * between their moment and now, nor turns 31, 91 or 181 days past due (the
 * edges taken wide, as the list takes them). */
static int fresh_at(int64_t now)
{
    int64_t at = scalar("SELECT at FROM arrears_asof");
    int64_t lo = now < at ? now : at, hi = now < at ? at : now;
    static const int64_t edge[4] = {0, 31 * DAY, 91 * DAY, 181 * DAY};
    for (int i = 0; i < 4; i++) {
        char sql[300];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM bills WHERE paid_fen < amount_fen AND due_at >= %lld AND "
                 "due_at <= %lld",
                 (long long)(lo - edge[i]), (long long)(hi - edge[i] - (i == 0)));
        if (scalar(sql))
            return 0;
    }
    return 1;
}

/* Keeps the first failure of a check. */
static void first_failure(const struct gj_check_result *r, void *ctx)
{
    struct gj_check_result *first = ctx;
    if (r->problems && !first->problems)
        *first = *r;
}

static int run_check(struct gj_check_result *first)
{
    int failures = 0;
    struct gj_error err;
    memset(first, 0, sizeof *first);
    gj_test_must(gj_check_bookkeeping(db, first_failure, first, &failures, &err), &err);
    return failures;
}

static void check_invariants(void)
{
    struct gj_check_result first;
    if (run_check(&first))
        fail_msg("check: %s (%s)", first.name, first.example);
}

/* Every page of both sorts and the totals, at now. */
struct listing {
    struct gj_arrears_row rows[2][MAX_ROWS];
    int n[2];
    int64_t units, total, buckets[4];
};

static void list_all(int64_t now, struct listing *l)
{
    static const enum gj_arrears_sort sorts[2] = {GJ_ARREARS_BY_AMOUNT, GJ_ARREARS_BY_AGE};
    struct gj_error err;
    for (int s = 0; s < 2; s++) {
        l->n[s] = 0;
        for (;;) {
            int got = 0;
            gj_test_must(
                gj_arrears_list(db, now, sorts[s], 0, l->n[s], 7, l->rows[s] + l->n[s], &got, &err),
                &err);
            l->n[s] += got;
            if (got < 7)
                break;
            assert_true(l->n[s] + 7 <= MAX_ROWS);
        }
    }
    gj_test_must(gj_arrears_totals(db, now, 0, &l->units, &l->total, l->buckets, &err), &err);
}

static void assert_same_listing(const struct listing *a, const struct listing *b)
{
    for (int s = 0; s < 2; s++) {
        assert_int_equal(a->n[s], b->n[s]);
        for (int i = 0; i < a->n[s]; i++) {
            const struct gj_arrears_row *x = &a->rows[s][i], *y = &b->rows[s][i];
            assert_int_equal(x->unit_id, y->unit_id);
            assert_string_equal(x->unit_code, y->unit_code);
            assert_string_equal(x->owner, y->owner);
            assert_int_equal(x->total_fen, y->total_fen);
            for (int k = 0; k < GJ_ARREARS_BUCKETS; k++)
                assert_int_equal(x->bucket_fen[k], y->bucket_fen[k]);
            assert_int_equal(x->oldest_period, y->oldest_period);
            assert_int_equal(x->oldest_due_at, y->oldest_due_at);
            assert_int_equal(x->promised_at, y->promised_at);
        }
    }
    assert_int_equal(a->units, b->units);
    assert_int_equal(a->total, b->total);
    for (int k = 0; k < 4; k++)
        assert_int_equal(a->buckets[k], b->buckets[k]);
}

/* The listing at now read from the kept rows, and again with them set
 * aside (their moment moved to 0, so a reader must add up the bills). */
static void assert_kept_equals_summed(int64_t now)
{
    static struct listing kept, summed;
    assert_true(fresh_at(now));
    list_all(now, &kept);
    assert_true(kept.n[0] > 10);
    int64_t at = scalar("SELECT at FROM arrears_asof");
    gj_test_exec(db->h, "UPDATE arrears_asof SET at = 0");
    assert_false(fresh_at(now));
    list_all(now, &summed);
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE arrears_asof SET at = %lld", (long long)at);
    gj_test_exec(db->h, sql);
    assert_same_listing(&kept, &summed);
    assert_int_equal(kept.units, kept.n[0]);
    assert_int_equal(kept.units, scalar("SELECT count(*) FROM arrears_units"));
}

static void test_a_new_estate_keeps_them_at_its_clock(void **state)
{
    (void)state;
    assert_int_equal(scalar("SELECT at FROM arrears_asof"), gj_now());
    assert_true(scalar("SELECT count(*) FROM arrears_units") > 10);
    assert_int_equal(kept_differs(), 0);
    check_invariants();
    assert_kept_equals_summed(gj_now());
}

/* A unit in arrears with its oldest unpaid bill. */
static int64_t unit_in_arrears(int64_t *bill, int64_t *owed)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db->h,
                                        "SELECT unit_id, total_fen FROM arrears_units "
                                        "ORDER BY total_fen DESC, unit_id LIMIT 1 OFFSET 3",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t unit = sqlite3_column_int64(st, 0);
    *owed = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT id FROM bills WHERE unit_id = %lld AND paid_fen < amount_fen "
             "ORDER BY due_at, id LIMIT 1",
             (long long)unit);
    *bill = scalar(sql);
    return unit;
}

static int64_t kept_total(int64_t unit)
{
    char sql[120];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(sum(total_fen), 0) FROM arrears_units WHERE "
             "unit_id = %lld",
             (long long)unit);
    return scalar(sql);
}

static void test_payments_reversals_bills_and_codes_keep_them(void **state)
{
    (void)state;
    struct gj_error err;
    int64_t bill = 0, owed = 0;
    int64_t unit = unit_in_arrears(&bill, &owed);

    /* A part payment lowers the unit's arrears by what it paid. */
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = unit;
    strcpy(p.payer_name, "张三");
    strcpy(p.method, "cash");
    p.amount_fen = 100;
    gj_test_must(gj_payment_take(db, 0, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    assert_int_equal(kept_total(unit), owed - 100);
    assert_int_equal(kept_differs(), 0);

    /* Its reversal puts it back. */
    struct gj_payment rev;
    gj_test_must(gj_payment_reverse(db, 0, p.id, "wrong unit", &rev, &err), &err);
    assert_int_equal(kept_total(unit), owed);
    assert_int_equal(kept_differs(), 0);

    /* Paying everything takes the unit off the lists. */
    memset(&p, 0, sizeof p);
    p.unit_id = unit;
    strcpy(p.payer_name, "张三");
    strcpy(p.method, "wechat");
    p.amount_fen = owed;
    gj_test_must(gj_payment_take(db, 0, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    assert_int_equal(kept_total(unit), 0);
    char sql[600];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM arrears_units WHERE unit_id = %lld",
             (long long)unit);
    assert_int_equal(scalar(sql), 0);

    /* A bill issued late, already past due, puts it back on. */
    int64_t item = scalar("SELECT min(id) FROM fee_items WHERE kind <> 'per_space' AND "
                          "active_to IS NULL");
    /* The first month the item charges for that the unit has no bill of. */
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE m(p) AS (SELECT active_from FROM fee_items WHERE id = %lld "
             "UNION ALL SELECT CASE WHEN p %% 100 = 12 THEN p + 89 ELSE p + 1 END FROM m "
             "WHERE p < 202611) SELECT min(p) FROM m WHERE NOT EXISTS (SELECT 1 FROM bills "
             "WHERE unit_id = %lld AND fee_item_id = %lld AND period = m.p)",
             (long long)item, (long long)unit, (long long)item);
    struct gj_bill b;
    memset(&b, 0, sizeof b);
    b.unit_id = unit;
    b.fee_item_id = item;
    b.period = (int)scalar(sql);
    assert_true(b.period > 190000 && b.period <= 202611);
    b.due_at = gj_now() - 400 * DAY;
    gj_test_must(gj_bill_create(db, 0, &b, &err), &err);
    assert_int_equal(kept_total(unit), b.amount_fen);
    snprintf(sql, sizeof sql, "SELECT oldest_due FROM arrears_units WHERE unit_id = %lld",
             (long long)unit);
    assert_int_equal(scalar(sql), b.due_at);

    /* A bill due later than the kept moment is not kept (not yet due). */
    memset(&b, 0, sizeof b);
    b.unit_id = unit;
    b.fee_item_id = item;
    b.period = 203001;
    gj_test_must(gj_bill_create(db, 0, &b, &err), &err);
    assert_true(b.due_at > gj_now());
    assert_int_equal(kept_differs(), 0);

    /* A unit given a new code keeps its row, under the new code. */
    struct gj_unit u;
    gj_test_must(gj_unit_get(db, unit, &u, &err), &err);
    u.room = 9901;
    u.floor = 99;
    gj_test_must(gj_unit_update(db, 0, &u, &err), &err);
    snprintf(sql, sizeof sql, "SELECT room FROM arrears_units WHERE unit_id = %lld",
             (long long)unit);
    assert_int_equal(scalar(sql), 9901);
    assert_int_equal(kept_differs(), 0);
    check_invariants();
    assert_kept_equals_summed(gj_now());
}

static void test_a_due_date_passing_makes_them_stale_until_refreshed(void **state)
{
    (void)state;
    struct gj_error err;
    int64_t now = gj_now();
    /* The next due date among the unpaid bills (the bill of 2030 above at
     * least): just after it the kept rows no longer hold the arrears. */
    int64_t next_due = scalar("SELECT min(due_at) FROM bills WHERE paid_fen < amount_fen AND "
                              "due_at >= (SELECT at FROM arrears_asof)");
    int64_t later = next_due + 60;
    assert_true(later > now);
    assert_true(fresh_at(now));
    assert_false(fresh_at(later));

    /* Stale: the lists add up the bills, and are right. */
    static struct listing stale, refreshed;
    list_all(later, &stale);
    int recounted = -1;
    gj_test_must(gj_arrears_refresh(db, later, &recounted, &err), &err);
    assert_int_equal(recounted, 1);
    assert_int_equal(scalar("SELECT at FROM arrears_asof"), later);
    assert_int_equal(kept_differs(), 0);
    assert_true(fresh_at(later));
    list_all(later, &refreshed);
    assert_same_listing(&stale, &refreshed);
    assert_kept_equals_summed(later);

    /* Up to date: nothing is written. */
    gj_test_must(gj_arrears_refresh(db, later + 60, &recounted, &err), &err);
    assert_int_equal(recounted, 0);
    assert_int_equal(scalar("SELECT at FROM arrears_asof"), later);

    /* The clock set back before that due date: stale again, counted again. */
    assert_false(fresh_at(now));
    gj_test_must(gj_arrears_refresh(db, now, &recounted, &err), &err);
    assert_int_equal(recounted, 1);
    assert_int_equal(scalar("SELECT at FROM arrears_asof"), now);
    assert_kept_equals_summed(now);
    check_invariants();
}

static void test_escalate_brings_them_up_to_the_clock(void **state)
{
    (void)state;
    int64_t next_due = scalar("SELECT min(due_at) FROM bills WHERE paid_fen < amount_fen AND "
                              "due_at >= (SELECT at FROM arrears_asof)");
    char when[64], env[80];
    local_time(next_due + 3600, when, sizeof when);
    snprintf(env, sizeof env, "GUANJIA_NOW=%s", when);
    const char *envs[] = {env, NULL};
    assert_int_equal(gj_test_cmd(envs, NULL, "--db", path, "escalate", NULL), 0);
    assert_int_equal(scalar("SELECT at FROM arrears_asof"), next_due + 3600);
    assert_int_equal(kept_differs(), 0);
    /* Back to the test's clock for whatever follows. */
    struct gj_error err;
    int recounted = 0;
    gj_test_must(gj_arrears_refresh(db, gj_now(), &recounted, &err), &err);
    assert_int_equal(recounted, 1);
}

static void test_the_console_brings_them_up_to_the_clock(void **state)
{
    (void)state;
    int64_t next_due = scalar("SELECT min(due_at) FROM bills WHERE paid_fen < amount_fen AND "
                              "due_at >= (SELECT at FROM arrears_asof)");
    int64_t when = next_due + 7200;
    char at[64], env_now[96];
    local_time(when, at, sizeof at);
    snprintf(env_now, sizeof env_now, "GUANJIA_NOW=%s", at);
    const char *bin = getenv("GUANJIA_BIN");
    const char *argv[] = {bin, "--db", path, "--lang", "en", NULL};
    const char *env[] = {env_now, "TZ=CST-8", NULL};
    struct gj_vt *vt = gj_vt_start(argv, env, 30, 110);
    assert_non_null(vt);
    assert_true(gj_vt_wait_text(vt, "please log in", 5000));
    gj_vt_send(vt, "butler");
    gj_vt_key(vt, GJ_KEY_ENTER);
    gj_vt_send(vt, "butler123");
    gj_vt_key(vt, GJ_KEY_ENTER);
    assert_true(gj_vt_wait_text(vt, "(butler)", 5000));
    gj_vt_wait_quiet(vt, 150, 5000);
    gj_vt_send(vt, "q");
    gj_vt_wait_quiet(vt, 150, 5000); /* "quit?" */
    gj_vt_send(vt, "y");
    assert_int_equal(gj_vt_wait_exit(vt, 5000), 0);
    assert_int_equal(gj_vt_close(vt, 2000), 0);
    /* Its first frame after the login counted them again at its clock. */
    assert_int_equal(scalar("SELECT at FROM arrears_asof"), when);
    assert_int_equal(kept_differs(), 0);
    struct gj_error err;
    int recounted = 0;
    gj_test_must(gj_arrears_refresh(db, gj_now(), &recounted, &err), &err);
    assert_int_equal(recounted, 1);
}

static void test_check_sees_a_wrong_row(void **state)
{
    (void)state;
    check_invariants();
    struct gj_check_result first;
    gj_test_exec(db->h, "UPDATE arrears_units SET room = room + 1 WHERE unit_id = "
                        "(SELECT min(unit_id) FROM arrears_units)");
    assert_int_equal(run_check(&first), 1);
    assert_string_equal(first.name, "the arrears kept by unit match the bills");
    assert_non_null(strstr(first.example, "unit "));
    gj_test_exec(db->h, "UPDATE arrears_units SET room = room - 1 WHERE unit_id = "
                        "(SELECT min(unit_id) FROM arrears_units)");
    check_invariants();

    gj_test_exec(db->h, "UPDATE arrears_asof SET b2_fen = b2_fen + 1");
    assert_int_equal(run_check(&first), 1);
    assert_string_equal(first.name, "the arrears totals match the arrears kept by unit");
    /* Set aside and counted again, they are right again. */
    gj_test_exec(db->h, "UPDATE arrears_asof SET at = 0");
    struct gj_error err;
    int recounted = 0;
    gj_test_must(gj_arrears_refresh(db, gj_now(), &recounted, &err), &err);
    assert_int_equal(recounted, 1);
    check_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_new_estate_keeps_them_at_its_clock),
        cmocka_unit_test(test_payments_reversals_bills_and_codes_keep_them),
        cmocka_unit_test(test_a_due_date_passing_makes_them_stale_until_refreshed),
        cmocka_unit_test(test_escalate_brings_them_up_to_the_clock),
        cmocka_unit_test(test_the_console_brings_them_up_to_the_clock),
        cmocka_unit_test(test_check_sees_a_wrong_row),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
