/* The monthly billing rule (core/billing.c: proration, who pays, due dates)
 * and the billing run (repo/billing_run.c: idempotent, one transaction,
 * rates copied, the role checked), and `guanjia bill` through the binary. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/billing.h"
#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/money.h"
#include "guanjia/repo_billing.h"
#include "guanjia/repo_check.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* run_bin(arguments..., NULL), the clock fixed */
#define run_bin(...) gj_test_cmd(gj_test_fixed_now, NULL, __VA_ARGS__)

static void exec_ok(struct gj_db *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

/* ---- the rule, in core ---------------------------------------------------- */

static void test_prorate(void **state)
{
    (void)state;
    /* 2.80 yuan/m2 x 89.37 m2 = 250.24 yuan; delivered on the 10th of a
     * 30-day month: 21/30 of it = 175.168 yuan -> 175.17. */
    assert_int_equal(gj_bill_amount("per_m2", 280, 8937), 25024);
    assert_int_equal(gj_bill_prorate(25024, 21, 30), 17517);
    /* Half up, exactly: 1 fen x 15/30 = 0.5 -> 1; 1 x 14/30 -> 0. */
    assert_int_equal(gj_bill_prorate(1, 15, 30), 1);
    assert_int_equal(gj_bill_prorate(1, 14, 30), 0);
    assert_int_equal(gj_bill_prorate(3, 1, 2), 2);
    assert_int_equal(gj_bill_prorate(1000, 10, 31), 323); /* 322.58 */
    assert_int_equal(gj_bill_prorate(25024, 30, 30), 25024);
    assert_int_equal(gj_bill_prorate(25024, 0, 30), 0);
    /* The largest amount does not overflow. */
    assert_int_equal(gj_bill_prorate(GJ_MONEY_MAX, 30, 31), (GJ_MONEY_MAX * 30 * 2 + 31) / 62);
    assert_int_equal(gj_bill_prorate(-1, 1, 30), -1);
    assert_int_equal(gj_bill_prorate(GJ_MONEY_MAX + 1, 1, 30), -1);
    assert_int_equal(gj_bill_prorate(100, 31, 30), -1);
    assert_int_equal(gj_bill_prorate(100, -1, 30), -1);
    assert_int_equal(gj_bill_prorate(100, 1, 0), -1);
}

static void test_month_and_days(void **state)
{
    (void)state;
    struct gj_bill_month m;
    struct gj_error err;
    gj_test_must(gj_bill_month_init(&m, 202611, 0, &err), &err);
    assert_int_equal(m.days, 30);
    assert_int_equal(m.start, gj_test_at("2026-11-01T00:00"));
    assert_int_equal(m.end, gj_test_at("2026-12-01T00:00"));
    /* Due 14 days after the first, as the demo makes them. */
    assert_int_equal(m.due_at, gj_test_at("2026-11-15T00:00"));
    assert_int_equal(m.due_at, m.start + 14 * 86400);
    assert_int_equal(gj_bill_days_in(&m, gj_test_at("2026-11-10T14:30")), 21);
    assert_int_equal(gj_bill_days_in(&m, gj_test_at("2026-11-01T00:00")), 30);
    assert_int_equal(gj_bill_days_in(&m, gj_test_at("2026-10-31T23:59")), 30);
    assert_int_equal(gj_bill_days_in(&m, gj_test_at("2026-11-30T23:59")), 1);
    assert_int_equal(gj_bill_days_in(&m, gj_test_at("2026-12-01T00:00")), 0);
    assert_int_equal(gj_bill_days_in(&m, 0), 0);
    gj_test_must(gj_bill_month_init(&m, 202602, 20, &err), &err);
    assert_int_equal(m.days, 28);
    assert_int_equal(m.due_at, gj_test_at("2026-02-20T00:00"));
    assert_int_equal(gj_bill_month_init(&m, 202613, 0, &err), GJ_EINVAL);
    assert_int_equal(gj_bill_month_init(&m, 202611, 29, &err), GJ_EINVAL);

    assert_true(gj_unit_status_billable("delivered"));
    assert_true(gj_unit_status_billable("occupied"));
    assert_true(gj_unit_status_billable("vacant"));
    assert_true(gj_unit_status_billable("renovating"));
    assert_false(gj_unit_status_billable("unsold"));
    assert_false(gj_unit_status_billable(""));
    assert_false(gj_unit_status_billable(NULL));
}

static void test_bill_for(void **state)
{
    (void)state;
    struct gj_error err;
    struct gj_bill_month m;
    gj_test_must(gj_bill_month_init(&m, 202611, 0, &err), &err);
    struct gj_fee_item f = {
        .id = 7, .name = "物业费", .kind = "per_m2", .rate_fen = 280, .active_from = 202601};
    struct gj_bill_subject s = {.unit_id = 3,
                                .unit_status = "occupied",
                                .since = gj_test_at("2026-11-10T09:00"),
                                .area_centi_m2 = 8937};
    struct gj_bill b;
    assert_int_equal(gj_bill_for(&f, &m, &s, &b, &err), 1);
    assert_int_equal(b.unit_id, 3);
    assert_int_equal(b.fee_item_id, 7);
    assert_int_equal(b.parking_space_id, 0);
    assert_int_equal(b.period, 202611);
    assert_int_equal(b.quantity, 8937);
    assert_int_equal(b.rate_fen, 280);
    assert_int_equal(b.amount_fen, 17517);
    assert_int_equal(b.due_at, gj_test_at("2026-11-15T00:00"));
    /* Not yet delivered, unsold, archived: nothing. */
    s.since = gj_test_at("2026-12-01T00:00");
    assert_int_equal(gj_bill_for(&f, &m, &s, &b, &err), 0);
    s.since = gj_test_at("2025-01-01T00:00");
    s.unit_status = "unsold";
    assert_int_equal(gj_bill_for(&f, &m, &s, &b, &err), 0);
    s.unit_status = "vacant";
    assert_int_equal(gj_bill_for(&f, &m, &s, &b, &err), 1);
    assert_int_equal(b.amount_fen, 25024);
    s.archived = 1;
    assert_int_equal(gj_bill_for(&f, &m, &s, &b, &err), 0);
    s.archived = 0;
    /* An item not charging that month. */
    f.active_from = 202612;
    assert_int_equal(gj_bill_for(&f, &m, &s, &b, &err), 0);
    f.active_from = 202601;
    f.active_to = 202610;
    assert_int_equal(gj_bill_for(&f, &m, &s, &b, &err), 0);
    f.active_to = 0;
    /* A per_space item charges spaces, not units, and the other way round. */
    struct gj_fee_item park = {
        .id = 8, .name = "停车费", .kind = "per_space", .rate_fen = 30000, .active_from = 202601};
    assert_int_equal(gj_bill_for(&park, &m, &s, &b, &err), 0);
    struct gj_bill_subject space = {
        .unit_id = 3, .parking_space_id = 5, .since = gj_test_at("2026-11-21T16:00")};
    assert_int_equal(gj_bill_for(&park, &m, &space, &b, &err), 1);
    assert_int_equal(b.parking_space_id, 5);
    assert_int_equal(b.quantity, 1);
    assert_int_equal(b.amount_fen, 10000); /* 10 of 30 days */
    assert_int_equal(gj_bill_for(&f, &m, &space, &b, &err), 0);
    /* A free item makes no bill. */
    park.rate_fen = 0;
    assert_int_equal(gj_bill_for(&park, &m, &space, &b, &err), 0);
}

/* ---- the run, in the repository ------------------------------------------ */

struct estate {
    struct gj_db *db;
    int64_t unit[3], space;
    int64_t item_m2, item_fixed, item_park;
};

static int64_t add_unit(struct gj_db *db, int room, int64_t area, const char *status,
                        int64_t delivered)
{
    struct gj_unit u = {.building = 1,
                        .entrance = 1,
                        .floor = room / 100,
                        .room = room,
                        .area_centi_m2 = area,
                        .delivered_at = delivered};
    snprintf(u.status, sizeof u.status, "%s", status);
    return gj_test_add_unit(db, 0, &u);
}

static int64_t add_item(struct gj_db *db, const char *name, const char *kind, int64_t rate,
                        int from)
{
    return gj_test_add_fee_item(db, 0, name, kind, rate, from, 0);
}

static int64_t add_space(struct gj_db *db, const char *code, int64_t unit, int64_t assigned)
{
    struct gj_parking_space p;
    memset(&p, 0, sizeof p);
    snprintf(p.code, sizeof p.code, "%s", code);
    snprintf(p.kind, sizeof p.kind, "%s", "rented");
    p.unit_id = unit;
    p.assigned_at = assigned;
    struct gj_error err;
    gj_test_must(gj_parking_create(db, 0, &p, &err), &err);
    return p.id;
}

/* Three units delivered long ago, one parking space, three fee items. */
static void estate_open(struct estate *e)
{
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    memset(e, 0, sizeof *e);
    struct gj_error err;
    gj_test_must(gj_db_open(":memory:", GJ_DB_CREATE, &e->db, &err), &err);
    int64_t long_ago = gj_test_at("2024-03-01T10:00");
    e->unit[0] = add_unit(e->db, 101, 8937, "occupied", long_ago);
    e->unit[1] = add_unit(e->db, 102, 10000, "delivered", long_ago);
    e->unit[2] = add_unit(e->db, 201, 12050, "occupied", long_ago);
    e->item_m2 = add_item(e->db, "物业费", "per_m2", 280, 202401);
    e->item_fixed = add_item(e->db, "垃圾清运费", "fixed", 1000, 202401);
    e->item_park = add_item(e->db, "停车费", "per_space", 30000, 202401);
    e->space = add_space(e->db, "B1-0001", e->unit[0], long_ago);
}

static int run(struct estate *e, enum gj_role role, int month, struct gj_billing_result *res,
               struct gj_error *err)
{
    return gj_billing_run(e->db, 0, role, month, NULL, NULL, res, err);
}

static int64_t bill_amount(struct gj_db *db, int64_t unit, int64_t item, int period)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db->h,
                                        "SELECT amount_fen FROM bills WHERE unit_id = ? AND "
                                        "fee_item_id = ? AND period = ?",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, unit);
    sqlite3_bind_int64(st, 2, item);
    sqlite3_bind_int(st, 3, period);
    int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void collect_nothing(const struct gj_check_result *r, void *ctx)
{
    (void)r;
    (void)ctx;
}

static void assert_checks_pass(struct gj_db *db)
{
    int failures = -1;
    struct gj_error err;
    gj_test_must(gj_check_run(db, collect_nothing, NULL, &failures, &err), &err);
    assert_int_equal(failures, 0);
}

static void test_run_twice_creates_nothing(void **state)
{
    (void)state;
    struct estate e;
    estate_open(&e);
    struct gj_billing_result res;
    struct gj_error err;
    gj_test_must(run(&e, GJ_ROLE_MANAGER, 202611, &res, &err), &err);
    assert_int_equal(res.units, 3);
    assert_int_equal(res.spaces, 1);
    assert_int_equal(res.created, 7); /* 3 x (物业费 + 垃圾清运费) + 停车费 */
    assert_int_equal(res.existing, 0);
    /* 250.24 + 280.00 + 337.40 + 3 x 10.00 + 300.00 */
    assert_int_equal(res.billed_fen, 25024 + 28000 + 33740 + 3 * 1000 + 30000);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT count(*) FROM bills", 0), 7);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT sum(amount_fen) FROM bills", 0),
                     res.billed_fen);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT count(DISTINCT due_at) FROM bills", 0), 1);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT min(due_at) FROM bills", 0),
                     gj_test_at("2026-11-15T00:00"));
    assert_int_equal(bill_amount(e.db, e.unit[0], e.item_park, 202611), 30000);
    int64_t audit = gj_test_scalar(e.db->h, "SELECT count(*) FROM audit_log", 0);
    int64_t versions = gj_test_scalar(e.db->h, "SELECT sum(version) FROM bills", 0);

    setenv("GUANJIA_NOW", "2026-11-30T18:00", 1);
    gj_test_must(run(&e, GJ_ROLE_MANAGER, 202611, &res, &err), &err);
    assert_int_equal(res.created, 0);
    assert_int_equal(res.existing, 7);
    assert_int_equal(res.billed_fen, 0);
    assert_int_equal(res.units, 3);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT count(*) FROM bills", 0), 7);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT count(*) FROM audit_log", 0), audit);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT sum(version) FROM bills", 0), versions);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT max(created_at) FROM bills", 0),
                     gj_test_at("2026-11-29T09:00"));

    /* A bill already paid in part is left as it is too. */
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = e.unit[1];
    snprintf(p.payer_name, sizeof p.payer_name, "%s", "李四");
    snprintf(p.method, sizeof p.method, "%s", "cash");
    p.amount_fen = 10000;
    gj_test_must(gj_payment_take(e.db, 0, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    gj_test_must(run(&e, GJ_ROLE_MANAGER, 202611, &res, &err), &err);
    assert_int_equal(res.created, 0);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT sum(paid_fen) FROM bills", 0), 10000);
    assert_checks_pass(e.db);
    gj_db_close(e.db);
}

static void test_rate_change_applies_to_next_month(void **state)
{
    (void)state;
    struct estate e;
    estate_open(&e);
    struct gj_billing_result res;
    struct gj_error err;
    gj_test_must(run(&e, GJ_ROLE_MANAGER, 202611, &res, &err), &err);
    assert_int_equal(bill_amount(e.db, e.unit[1], e.item_m2, 202611), 28000);

    struct gj_fee_item f;
    gj_test_must(gj_fee_item_get(e.db, e.item_m2, &f, &err), &err);
    f.rate_fen = 300;
    gj_test_must(gj_fee_item_update(e.db, 0, &f, &err), &err);
    /* Billing November again changes nothing: its bills keep 2.80. */
    gj_test_must(run(&e, GJ_ROLE_MANAGER, 202611, &res, &err), &err);
    assert_int_equal(res.created, 0);
    assert_int_equal(bill_amount(e.db, e.unit[1], e.item_m2, 202611), 28000);
    assert_int_equal(gj_test_scalar(e.db->h,
                                    "SELECT count(*) FROM bills WHERE period = 202611 AND "
                                    "rate_fen = 300",
                                    0),
                     0);
    /* December is billed at 3.00. */
    gj_test_must(run(&e, GJ_ROLE_MANAGER, 202612, &res, &err), &err);
    assert_int_equal(res.created, 7);
    assert_int_equal(bill_amount(e.db, e.unit[1], e.item_m2, 202612), 30000);
    assert_int_equal(bill_amount(e.db, e.unit[0], e.item_m2, 202612), 26811); /* 268.11 */
    assert_int_equal(gj_test_scalar(e.db->h,
                                    "SELECT count(*) FROM bills WHERE period = 202612 AND "
                                    "fee_item_id = 1 AND rate_fen = 300",
                                    0),
                     3);
    assert_int_equal(
        gj_test_scalar(e.db->h, "SELECT min(due_at) FROM bills WHERE period = 202612", 0),
        gj_test_at("2026-12-15T00:00"));
    gj_db_close(e.db);
}

static void test_proration_mid_month(void **state)
{
    (void)state;
    struct estate e;
    estate_open(&e);
    struct gj_error err;
    /* Delivered on 10 November at 14:00: 21 of 30 days. */
    int64_t unit = add_unit(e.db, 301, 8937, "delivered", gj_test_at("2026-11-10T14:00"));
    /* A space of unit 102 assigned on 21 November: 10 of 30 days. */
    int64_t space = add_space(e.db, "B1-0002", e.unit[1], gj_test_at("2026-11-21T08:00"));
    /* Delivered on 10 December: nothing in November, 22 of 31 days in December. */
    int64_t later = add_unit(e.db, 302, 8937, "delivered", gj_test_at("2026-12-10T09:00"));
    struct gj_billing_result res;
    gj_test_must(run(&e, GJ_ROLE_MANAGER, 202611, &res, &err), &err);
    assert_int_equal(bill_amount(e.db, unit, e.item_m2, 202611), 17517);  /* 250.24 x 21/30 */
    assert_int_equal(bill_amount(e.db, unit, e.item_fixed, 202611), 700); /* 10.00 x 21/30 */
    assert_int_equal(bill_amount(e.db, later, e.item_m2, 202611), -1);
    assert_int_equal(
        gj_test_scalar(e.db->h, "SELECT amount_fen FROM bills WHERE parking_space_id = 2", 0),
        10000); /* 300.00 x 10/30 */
    assert_int_equal(space, 2);
    /* The rate and the quantity are the full month's; the amount is prorated. */
    assert_int_equal(gj_test_scalar(e.db->h,
                                    "SELECT quantity FROM bills WHERE unit_id = 4 AND "
                                    "fee_item_id = 1",
                                    0),
                     8937);
    assert_int_equal(gj_test_scalar(e.db->h,
                                    "SELECT rate_fen FROM bills WHERE unit_id = 4 AND "
                                    "fee_item_id = 1",
                                    0),
                     280);
    assert_int_equal(res.units, 4);
    assert_int_equal(res.spaces, 2);

    gj_test_must(run(&e, GJ_ROLE_MANAGER, 202612, &res, &err), &err);
    assert_int_equal(bill_amount(e.db, unit, e.item_m2, 202612), 25024);   /* a whole month */
    assert_int_equal(bill_amount(e.db, later, e.item_m2, 202612), 17759);  /* 22/31: 177.59 */
    assert_int_equal(bill_amount(e.db, later, e.item_fixed, 202612), 710); /* 7.097 -> 7.10 */
    assert_int_equal(gj_test_scalar(e.db->h,
                                    "SELECT amount_fen FROM bills WHERE parking_space_id = 2 "
                                    "AND period = 202612",
                                    0),
                     30000);
    assert_checks_pass(e.db);
    gj_db_close(e.db);
}

static void test_who_is_not_billed(void **state)
{
    (void)state;
    struct estate e;
    estate_open(&e);
    struct gj_error err;
    int64_t long_ago = gj_test_at("2024-03-01T10:00");
    int64_t unsold = add_unit(e.db, 401, 9000, "unsold", 0);
    int64_t vacant = add_unit(e.db, 402, 9000, "vacant", long_ago);
    int64_t renovating = add_unit(e.db, 403, 9000, "renovating", long_ago);
    int64_t gone = add_unit(e.db, 404, 9000, "occupied", long_ago);
    struct gj_unit u;
    gj_test_must(gj_unit_get(e.db, gone, &u, &err), &err);
    u.archived = 1;
    gj_test_must(gj_unit_update(e.db, 0, &u, &err), &err);
    /* A space nobody holds, and an archived one. */
    add_space(e.db, "V-001", 0, 0);
    int64_t old_space = add_space(e.db, "B1-0009", e.unit[2], long_ago);
    struct gj_parking_space ps;
    gj_test_must(gj_parking_get(e.db, old_space, &ps, &err), &err);
    ps.archived = 1;
    gj_test_must(gj_parking_update(e.db, 0, &ps, &err), &err);
    /* Items outside their months. */
    add_item(e.db, "电梯费", "fixed", 500, 202612);
    int64_t ended = add_item(e.db, "二次供水费", "fixed", 300, 202401);
    struct gj_fee_item f;
    gj_test_must(gj_fee_item_get(e.db, ended, &f, &err), &err);
    f.active_to = 202610;
    gj_test_must(gj_fee_item_update(e.db, 0, &f, &err), &err);

    struct gj_billing_result res;
    gj_test_must(run(&e, GJ_ROLE_MANAGER, 202611, &res, &err), &err);
    assert_int_equal(res.created, 11); /* 5 units x 2 items + 1 space */
    assert_int_equal(res.units, 5);
    assert_int_equal(res.spaces, 1);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT count(*) FROM bills WHERE unit_id = 4", 0), 0);
    assert_int_equal(unsold, 4);
    assert_int_equal(bill_amount(e.db, vacant, e.item_m2, 202611), 25200);
    assert_int_equal(bill_amount(e.db, renovating, e.item_m2, 202611), 25200);
    assert_int_equal(bill_amount(e.db, gone, e.item_m2, 202611), -1);
    assert_int_equal(
        gj_test_scalar(e.db->h, "SELECT count(*) FROM bills WHERE parking_space_id <> 1", 0), 0);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT count(*) FROM bills WHERE fee_item_id > 3", 0),
                     0);
    gj_db_close(e.db);
}

/* A sale in mid-month: the unit's month is one bill, not split. */
static void test_sale_mid_month_one_bill(void **state)
{
    (void)state;
    struct estate e;
    estate_open(&e);
    struct gj_error err;
    struct gj_person seller = {.name = "王五"}, buyer = {.name = "赵六"};
    gj_test_must(gj_person_create(e.db, 0, &seller, &err), &err);
    gj_test_must(gj_person_create(e.db, 0, &buyer, &err), &err);
    struct gj_unit_person l = {.unit_id = e.unit[1],
                               .person_id = seller.id,
                               .relation = "owner",
                               .start_at = gj_test_at("2024-03-01T10:00")};
    gj_test_must(gj_unit_person_add(e.db, 0, &l, &err), &err);
    gj_test_must(gj_unit_person_end(e.db, 0, &l, gj_test_at("2026-11-16T10:00"), &err), &err);
    struct gj_unit_person l2 = {.unit_id = e.unit[1],
                                .person_id = buyer.id,
                                .relation = "owner",
                                .start_at = gj_test_at("2026-11-16T10:00")};
    gj_test_must(gj_unit_person_add(e.db, 0, &l2, &err), &err);
    struct gj_billing_result res;
    gj_test_must(run(&e, GJ_ROLE_MANAGER, 202611, &res, &err), &err);
    assert_int_equal(gj_test_scalar(e.db->h,
                                    "SELECT count(*) FROM bills WHERE unit_id = 2 AND "
                                    "fee_item_id = 1",
                                    0),
                     1);
    assert_int_equal(bill_amount(e.db, e.unit[1], e.item_m2, 202611), 28000);
    gj_db_close(e.db);
}

static void test_role_and_month_checked(void **state)
{
    (void)state;
    struct estate e;
    estate_open(&e);
    struct gj_billing_result res;
    struct gj_error err;
    const enum gj_role refused[] = {GJ_ROLE_TRAINEE, GJ_ROLE_BUTLER, GJ_ROLE_SUPERVISOR};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        res.created = 99;
        assert_int_equal(run(&e, refused[i], 202611, &res, &err), GJ_EPERM);
        assert_int_equal(res.created, 0);
        assert_non_null(strstr(err.msg, "may not"));
    }
    assert_int_equal(run(&e, GJ_ROLE_MANAGER, 202613, &res, &err), GJ_EINVAL);
    assert_int_equal(run(&e, GJ_ROLE_MANAGER, 0, &res, &err), GJ_EINVAL);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT count(*) FROM bills", 0), 0);
    gj_db_close(e.db);
}

/* A failure halfway leaves nothing: one transaction. */
static void test_all_or_nothing(void **state)
{
    (void)state;
    struct estate e;
    estate_open(&e);
    exec_ok(e.db, "CREATE TRIGGER boom BEFORE INSERT ON bills WHEN NEW.unit_id = 3 "
                  "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
    struct gj_billing_result res;
    struct gj_error err;
    assert_int_not_equal(run(&e, GJ_ROLE_MANAGER, 202611, &res, &err), GJ_OK);
    assert_non_null(strstr(err.msg, "disk on fire"));
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT count(*) FROM bills", 0), 0);
    assert_int_equal(
        gj_test_scalar(e.db->h, "SELECT count(*) FROM audit_log WHERE entity = 'bills'", 0), 0);
    exec_ok(e.db, "DROP TRIGGER boom");
    gj_test_must(run(&e, GJ_ROLE_MANAGER, 202611, &res, &err), &err);
    assert_int_equal(res.created, 7);
    gj_db_close(e.db);
}

static void test_due_day_setting(void **state)
{
    (void)state;
    struct estate e;
    estate_open(&e);
    struct gj_error err;
    struct gj_setting s;
    gj_test_must(gj_setting_get(e.db, "fees.due_day", &s, &err), &err);
    gj_test_must(gj_setting_set(e.db, 0, "fees.due_day", "20", s.meta.version, &err), &err);
    struct gj_billing_result res;
    gj_test_must(run(&e, GJ_ROLE_MANAGER, 202611, &res, &err), &err);
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT min(due_at) FROM bills", 0),
                     gj_test_at("2026-11-20T00:00"));
    assert_int_equal(gj_test_scalar(e.db->h, "SELECT max(due_at) FROM bills", 0),
                     gj_test_at("2026-11-20T00:00"));
    gj_db_close(e.db);
}

struct progress_seen {
    long calls, last_done, last_total;
};

static void on_progress(long done, long total, void *ctx)
{
    struct progress_seen *p = ctx;
    assert_true(done >= p->last_done);
    p->calls++;
    p->last_done = done;
    p->last_total = total;
}

static void test_progress_reaches_the_end(void **state)
{
    (void)state;
    struct estate e;
    estate_open(&e);
    struct progress_seen seen = {0, 0, 0};
    struct gj_billing_result res;
    struct gj_error err;
    gj_test_must(gj_billing_run(e.db, 0, GJ_ROLE_MANAGER, 202611, on_progress, &seen, &res, &err),
                 &err);
    assert_true(seen.calls >= 1);
    assert_int_equal(seen.last_total, 4); /* 3 units and 1 space */
    assert_int_equal(seen.last_done, 4);
    gj_db_close(e.db);
}

/* ---- guanjia bill, through the binary ------------------------------------- */

static void test_bill_command(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    const char *dir = gj_test_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s", gj_test_path(dir, "estate.db"));
    struct gj_db *db = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(path, GJ_DB_CREATE, &db, &err), &err);
    int64_t long_ago = gj_test_at("2024-03-01T10:00");
    int64_t u = add_unit(db, 101, 8937, "occupied", long_ago);
    add_unit(db, 102, 10000, "occupied", long_ago);
    add_item(db, "物业费", "per_m2", 280, 202401);
    add_item(db, "停车费", "per_space", 30000, 202401);
    add_space(db, "B1-0001", u, long_ago);
    gj_db_close(db);

    assert_int_equal(run_bin("--db", path, "bill", "2026-11", NULL), 0);
    assert_string_equal(gj_test_out,
                        "2026-11: 3 bills created, 0 already there, ¥830.24 billed.\n");
    assert_string_equal(gj_test_err, ""); /* no progress bar without a terminal */
    assert_int_equal(run_bin("--db", path, "bill", "2026-11", NULL), 0);
    assert_string_equal(gj_test_out, "2026-11: 0 bills created, 3 already there, ¥0.00 billed.\n");
    assert_int_equal(run_bin("--db", path, "--lang", "zh_CN", "bill", "2026-12", NULL), 0);
    assert_non_null(strstr(gj_test_out, "2026-12"));
    assert_non_null(strstr(gj_test_out, "¥830.24"));
    assert_int_equal(run_bin("--db", path, "check", NULL), 0);

    /* A bad month is a usage error, with a clear message and nothing done. */
    assert_int_equal(run_bin("--db", path, "bill", "2026-13", NULL), 2);
    assert_non_null(strstr(gj_test_err, "guanjia: bill: "));
    assert_non_null(strstr(gj_test_err, "2026-13"));
    assert_non_null(strstr(gj_test_err, "usage: guanjia [--db FILE] bill YYYY-MM"));
    assert_int_equal(run_bin("--db", path, "bill", "abc", NULL), 2);
    assert_non_null(strstr(gj_test_err, "YYYY-MM"));
    assert_int_equal(run_bin("--db", path, "bill", NULL), 2);
    assert_int_equal(run_bin("--db", path, "bill", "2026-11", "2026-12", NULL), 2);
    db = NULL;
    gj_test_must(gj_db_open(path, 0, &db, &err), &err);
    assert_int_equal(gj_test_scalar(db->h, "SELECT count(*) FROM bills", 0), 6);
    gj_db_close(db);
    gj_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prorate),
        cmocka_unit_test(test_month_and_days),
        cmocka_unit_test(test_bill_for),
        cmocka_unit_test(test_run_twice_creates_nothing),
        cmocka_unit_test(test_rate_change_applies_to_next_month),
        cmocka_unit_test(test_proration_mid_month),
        cmocka_unit_test(test_who_is_not_billed),
        cmocka_unit_test(test_sale_mid_month_one_bill),
        cmocka_unit_test(test_role_and_month_checked),
        cmocka_unit_test(test_all_or_nothing),
        cmocka_unit_test(test_due_day_setting),
        cmocka_unit_test(test_progress_reaches_the_end),
        cmocka_unit_test(test_bill_command),
    };
    return cmocka_run_group_tests(tests, NULL, gj_test_cmd_teardown);
}
