#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"

/* Each test gets a file database (so the test can also look at it with raw
 * SQL), a user, two units and two fee items. */
struct fx {
    char dir[256];
    char path[512];
    struct gj_db *db;
    sqlite3 *raw;
    int64_t user;
    int64_t unit, unit2;
    int64_t item_m2, item_fixed;
};

static int raw_exec(struct fx *f, const char *sql)
{
    return sqlite3_exec(f->raw, sql, NULL, NULL, NULL);
}

static int64_t counter(struct fx *f)
{
    return gj_test_scalar(f->raw, "SELECT last_no FROM receipt_counter WHERE id = 1", 0);
}

static void expect_msg(const struct gj_error *err, const char *part)
{
    if (!strstr(err->msg, part))
        fail_msg("message \"%s\" does not contain \"%s\"", err->msg, part);
}

static int64_t make_unit(struct fx *f, int room, int64_t area)
{
    struct gj_unit u = {.building = 3,
                        .entrance = 1,
                        .room = room,
                        .area_centi_m2 = area,
                        .delivered_at = gj_now()};
    return gj_test_add_unit(f->db, f->user, &u);
}

static int64_t make_item(struct fx *f, const char *name, const char *kind, int64_t rate, int from,
                         int to)
{
    return gj_test_add_fee_item(f->db, f->user, name, kind, rate, from, to);
}

static struct gj_bill bill_for(int64_t unit, int64_t item, int period)
{
    struct gj_bill b;
    memset(&b, 0, sizeof b);
    b.unit_id = unit;
    b.fee_item_id = item;
    b.period = period;
    return b;
}

static int64_t make_bill(struct fx *f, int64_t unit, int64_t item, int period)
{
    struct gj_error err;
    struct gj_bill b = bill_for(unit, item, period);
    gj_test_must(gj_bill_create(f->db, f->user, &b, &err), &err);
    return b.id;
}

static struct gj_payment pay(int64_t unit, int64_t amount)
{
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = unit;
    strcpy(p.payer_name, "张三");
    strcpy(p.method, "wechat");
    p.amount_fen = amount;
    return p;
}

static int64_t paid_of(struct fx *f, int64_t bill_id)
{
    struct gj_error err;
    struct gj_bill b;
    gj_test_must(gj_bill_get(f->db, bill_id, &b, &err), &err);
    return b.paid_fen;
}

static int setup(void **state)
{
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->path, sizeof f->path, "%s",
             gj_test_db_open("guanjia.db", f->dir, sizeof f->dir, &f->db, &f->raw));
    assert_int_equal(raw_exec(f, "INSERT INTO users(login, name, role, password_hash, "
                                 "created_at, updated_at) VALUES ('wang', '王管家', 'butler', "
                                 "'$argon2id$v=19$m=65536,t=2,p=1$xxxxxxxx', 0, 0)"),
                     SQLITE_OK);
    f->user = sqlite3_last_insert_rowid(f->raw);
    f->unit = make_unit(f, 502, 8937);   /* 89.37 m2 */
    f->unit2 = make_unit(f, 601, 12000); /* 120.00 m2 */
    f->item_m2 = make_item(f, "物业服务费", "per_m2", 280, 202601, 0);
    f->item_fixed = make_item(f, "垃圾清运费", "fixed", 1000, 202601, 0);
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

/* ---- fee items ------------------------------------------------------------ */

static void test_fee_item_round_trip_and_conflict(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_fee_item it;
    gj_test_must(gj_fee_item_get(f->db, f->item_m2, &it, &err), &err);
    assert_string_equal(it.name, "物业服务费");
    assert_string_equal(it.kind, "per_m2");
    assert_int_equal(it.rate_fen, 280);
    assert_int_equal(it.active_from, 202601);
    assert_int_equal(it.active_to, 0);
    assert_int_equal(it.meta.version, 1);
    assert_int_equal(it.meta.updated_by, f->user);
    assert_int_equal(it.created_at, gj_now());

    struct gj_fee_item stale = it;
    it.rate_fen = 300;
    it.active_to = 202712;
    gj_test_must(gj_fee_item_update(f->db, f->user, &it, &err), &err);
    assert_int_equal(it.meta.version, 2);
    struct gj_fee_item back;
    gj_test_must(gj_fee_item_get(f->db, f->item_m2, &back, &err), &err);
    assert_int_equal(back.rate_fen, 300);
    assert_int_equal(back.active_to, 202712);
    assert_int_equal(back.meta.version, 2);

    stale.rate_fen = 999;
    assert_int_equal(gj_fee_item_update(f->db, f->user, &stale, &err), GJ_ECONFLICT);
    expect_msg(&err, "王管家");
    gj_test_must(gj_fee_item_get(f->db, f->item_m2, &back, &err), &err);
    assert_int_equal(back.rate_fen, 300);
    assert_int_equal(back.meta.version, 2);

    /* a missing item */
    stale.id = 999;
    assert_int_equal(gj_fee_item_update(f->db, f->user, &stale, &err), GJ_ENOTFOUND);
    assert_int_equal(gj_fee_item_get(f->db, 999, &back, &err), GJ_ENOTFOUND);

    /* audited: its insert and one update */
    assert_int_equal(gj_test_scalar(f->raw,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'fee_items' AND "
                                    "entity_id = ?",
                                    f->item_m2),
                     2);
}

static void test_fee_item_rules(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_fee_item it;
    memset(&it, 0, sizeof it);
    strcpy(it.name, "物业服务费");
    strcpy(it.kind, "fixed");
    it.rate_fen = 100;
    it.active_from = 202601;
    assert_int_equal(gj_fee_item_create(f->db, f->user, &it, &err), GJ_ECONSTRAINT);
    expect_msg(&err, "already exists");
    strcpy(it.name, "电梯费");
    strcpy(it.kind, "per_floor");
    assert_int_equal(gj_fee_item_create(f->db, f->user, &it, &err), GJ_EINVAL);
    expect_msg(&err, "kind");
    strcpy(it.kind, "fixed");
    it.active_to = 202512;
    assert_int_equal(gj_fee_item_create(f->db, f->user, &it, &err), GJ_EINVAL);
    expect_msg(&err, "active to");
    assert_int_equal(gj_test_scalar(f->raw, "SELECT count(*) FROM fee_items", 0), 2);
}

static void test_fee_items_paging(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    char name[32];
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "费用%d", i);
        make_item(f, name, "fixed", 100 + i, 202601 + i, i == 2 ? 202603 : 0);
    }
    /* 7 items in pages of 3: each once, in id order */
    struct gj_fee_item rows[3];
    int n, total = 0;
    int64_t after = 0, last = 0;
    do {
        gj_test_must(gj_fee_items_list(f->db, after, 3, rows, &n, &err), &err);
        for (int i = 0; i < n; i++) {
            assert_true(rows[i].id > last);
            last = rows[i].id;
        }
        total += n;
        if (n)
            after = rows[n - 1].id;
    } while (n == 3);
    assert_int_equal(total, 7);

    /* active in 2026-04: the two from setup, 费用0, 费用1, 费用3 (费用2 ended 2026-03,
     * 费用4 starts 2026-05) */
    struct gj_fee_item act[10];
    gj_test_must(gj_fee_items_active(f->db, 202604, 0, 10, act, &n, &err), &err);
    assert_int_equal(n, 5);
    for (int i = 0; i < n; i++) {
        assert_string_not_equal(act[i].name, "费用2");
        assert_string_not_equal(act[i].name, "费用4");
    }
    gj_test_must(gj_fee_items_active(f->db, 202604, act[1].id, 2, act, &n, &err), &err);
    assert_int_equal(n, 2);
}

/* ---- bills ---------------------------------------------------------------- */

static void test_bill_amount_from_area(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_bill b = bill_for(f->unit, f->item_m2, 202611);
    gj_test_must(gj_bill_create(f->db, f->user, &b, &err), &err);
    assert_true(b.id > 0);
    assert_int_equal(b.quantity, 8937);
    assert_int_equal(b.rate_fen, 280);
    assert_int_equal(b.amount_fen, 25024); /* 2.80 x 89.37 = 250.236 */
    assert_int_equal(b.paid_fen, 0);
    assert_int_equal(b.due_at, gj_month_start(202612));
    assert_int_equal(b.meta.version, 1);

    struct gj_bill back;
    gj_test_must(gj_bill_get(f->db, b.id, &back, &err), &err);
    assert_int_equal(back.unit_id, f->unit);
    assert_int_equal(back.fee_item_id, f->item_m2);
    assert_int_equal(back.parking_space_id, 0);
    assert_int_equal(back.period, 202611);
    assert_int_equal(back.amount_fen, 25024);
    assert_int_equal(back.due_at, b.due_at);
    assert_int_equal(back.created_at, gj_now());

    /* fixed: 10.00 a month, given quantity and due date are kept */
    struct gj_bill fx = bill_for(f->unit, f->item_fixed, 202611);
    fx.quantity = 2;
    fx.due_at = gj_month_start(202611) + 86400 * 14;
    gj_test_must(gj_bill_create(f->db, f->user, &fx, &err), &err);
    assert_int_equal(fx.amount_fen, 2000);
    assert_int_equal(fx.due_at, gj_month_start(202611) + 86400 * 14);

    /* audited */
    assert_int_equal(gj_test_scalar(f->raw,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'bills' AND "
                                    "entity_id = ? AND user_id IS NOT NULL",
                                    b.id),
                     1);
}

static void test_bill_once_and_idempotent(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t first = make_bill(f, f->unit, f->item_m2, 202611);
    struct gj_bill again = bill_for(f->unit, f->item_m2, 202611);
    assert_int_equal(gj_bill_create(f->db, f->user, &again, &err), GJ_ECONSTRAINT);
    expect_msg(&err, "already been issued");
    assert_int_equal(again.id, 0);

    int created = -1;
    struct gj_bill b = bill_for(f->unit, f->item_m2, 202611);
    gj_test_must(gj_bill_create_if_absent(f->db, f->user, &b, &created, &err), &err);
    assert_int_equal(created, 0);
    assert_int_equal(b.id, first);
    assert_int_equal(b.amount_fen, 25024);

    b = bill_for(f->unit, f->item_m2, 202612);
    gj_test_must(gj_bill_create_if_absent(f->db, f->user, &b, &created, &err), &err);
    assert_int_equal(created, 1);
    int64_t second = b.id;
    assert_true(second > first);
    /* a billing run repeated: nothing new */
    for (int run = 0; run < 3; run++) {
        for (int m = 202611; m <= 202612; m++) {
            b = bill_for(f->unit, f->item_m2, m);
            gj_test_must(gj_bill_create_if_absent(f->db, f->user, &b, &created, &err), &err);
            assert_int_equal(created, 0);
            assert_int_equal(b.id, m == 202611 ? first : second);
        }
    }
    assert_int_equal(gj_test_scalar(f->raw, "SELECT count(*) FROM bills", 0), 2);
    assert_int_equal(
        gj_test_scalar(f->raw, "SELECT count(*) FROM audit_log WHERE entity = 'bills'", 0), 2);
    /* another unit, same item and month: a different bill */
    b = bill_for(f->unit2, f->item_m2, 202611);
    gj_test_must(gj_bill_create_if_absent(f->db, f->user, &b, &created, &err), &err);
    assert_int_equal(created, 1);
    assert_int_equal(b.amount_fen, 33600); /* 2.80 x 120.00 */
}

static void test_bill_rate_change_keeps_issued(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t nov = make_bill(f, f->unit, f->item_m2, 202611);
    struct gj_fee_item it;
    gj_test_must(gj_fee_item_get(f->db, f->item_m2, &it, &err), &err);
    it.rate_fen = 350;
    gj_test_must(gj_fee_item_update(f->db, f->user, &it, &err), &err);
    struct gj_bill b;
    gj_test_must(gj_bill_get(f->db, nov, &b, &err), &err);
    assert_int_equal(b.rate_fen, 280);
    assert_int_equal(b.amount_fen, 25024);
    assert_int_equal(b.meta.version, 1);
    int64_t dec = make_bill(f, f->unit, f->item_m2, 202612);
    gj_test_must(gj_bill_get(f->db, dec, &b, &err), &err);
    assert_int_equal(b.rate_fen, 350);
    assert_int_equal(b.amount_fen, 31280); /* 3.50 x 89.37 = 312.795 -> 312.80 */
    /* the database refuses to change an issued charge, too */
    assert_int_not_equal(raw_exec(f, "UPDATE bills SET amount_fen = 1, version = version + 1"),
                         SQLITE_OK);
}

static void test_bill_rules(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_bill b = bill_for(f->unit, 999, 202611);
    assert_int_equal(gj_bill_create(f->db, f->user, &b, &err), GJ_ENOTFOUND);
    expect_msg(&err, "fee item");
    b = bill_for(999, f->item_m2, 202611);
    assert_int_equal(gj_bill_create(f->db, f->user, &b, &err), GJ_ENOTFOUND);
    expect_msg(&err, "unit");
    b = bill_for(f->unit, f->item_m2, 202512); /* before the item starts */
    assert_int_equal(gj_bill_create(f->db, f->user, &b, &err), GJ_EINVAL);
    expect_msg(&err, "period");
    b = bill_for(f->unit, f->item_m2, 202613);
    assert_int_equal(gj_bill_create(f->db, f->user, &b, &err), GJ_EINVAL);
    expect_msg(&err, "period");

    /* per parking space: the space must be given and held by the unit */
    int64_t space_item = make_item(f, "车位管理费", "per_space", 15000, 202601, 0);
    struct gj_parking_space ps;
    memset(&ps, 0, sizeof ps);
    strcpy(ps.code, "B1-021");
    strcpy(ps.kind, "owned");
    ps.unit_id = f->unit;
    gj_test_must(gj_parking_create(f->db, f->user, &ps, &err), &err);
    b = bill_for(f->unit, space_item, 202611);
    assert_int_equal(gj_bill_create(f->db, f->user, &b, &err), GJ_EINVAL);
    expect_msg(&err, "parking space");
    b.parking_space_id = ps.id;
    gj_test_must(gj_bill_create(f->db, f->user, &b, &err), &err);
    assert_int_equal(b.quantity, 1);
    assert_int_equal(b.amount_fen, 15000);
    b = bill_for(f->unit2, space_item, 202611);
    b.parking_space_id = ps.id;
    assert_int_equal(gj_bill_create(f->db, f->user, &b, &err), GJ_EINVAL);
    expect_msg(&err, "B1-021");
    b = bill_for(f->unit, f->item_fixed, 202611);
    b.parking_space_id = ps.id;
    assert_int_equal(gj_bill_create(f->db, f->user, &b, &err), GJ_EINVAL);
    expect_msg(&err, "parking space");
    assert_int_equal(gj_test_scalar(f->raw, "SELECT count(*) FROM bills", 0), 1);
}

static void test_bills_of_unit_paging_and_due(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    /* 7 bills over 4 months and 2 items, and one of another unit */
    for (int m = 202608; m <= 202611; m++) {
        make_bill(f, f->unit, f->item_m2, m);
        if (m != 202609)
            make_bill(f, f->unit, f->item_fixed, m);
    }
    make_bill(f, f->unit2, f->item_fixed, 202611);

    struct gj_bill rows[3];
    int n, total = 0;
    struct gj_bill_key key, *after = NULL;
    int prev_period = 999999;
    int64_t prev_id = INT64_MAX;
    do {
        gj_test_must(gj_bills_of_unit(f->db, f->unit, after, 3, rows, &n, &err), &err);
        for (int i = 0; i < n; i++) {
            assert_int_equal(rows[i].unit_id, f->unit);
            assert_true(rows[i].period < prev_period ||
                        (rows[i].period == prev_period && rows[i].id < prev_id));
            prev_period = rows[i].period;
            prev_id = rows[i].id;
        }
        total += n;
        if (n) {
            key.period = rows[n - 1].period;
            key.id = rows[n - 1].id;
            after = &key;
        }
    } while (n == 3);
    assert_int_equal(total, 7);

    int64_t due;
    gj_test_must(gj_unit_due(f->db, f->unit, &due, &err), &err);
    assert_int_equal(due, 4 * 25024 + 3 * 1000);
    gj_test_must(gj_unit_due(f->db, 999, &due, &err), &err);
    assert_int_equal(due, 0);

    struct gj_bill open[10];
    gj_test_must(gj_bills_open_of_unit(f->db, f->unit, 10, open, &n, &err), &err);
    assert_int_equal(n, 7);
    for (int i = 1; i < n; i++)
        assert_true(open[i].period > open[i - 1].period ||
                    (open[i].period == open[i - 1].period && open[i].id > open[i - 1].id));
    gj_test_must(gj_bills_open_of_unit(f->db, f->unit, 2, open, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_int_equal(open[0].period, 202608);
}

/* ---- payments ------------------------------------------------------------- */

static void test_payment_oldest_first(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t b1 = make_bill(f, f->unit, f->item_fixed, 202609);
    int64_t b3 = make_bill(f, f->unit, f->item_fixed, 202611);
    int64_t b2 = make_bill(f, f->unit, f->item_fixed, 202610);
    make_bill(f, f->unit2, f->item_fixed, 202609);

    struct gj_payment p = pay(f->unit, 2500);
    struct gj_alloc_line lines[GJ_PAYMENT_MAX_LINES];
    size_t n = 99;
    int64_t credit = -1;
    gj_test_must(gj_payment_take(f->db, f->user, &p, NULL, 0, lines, &n, &credit, &err), &err);
    assert_true(p.id > 0);
    assert_int_equal(p.receipt_no, 1);
    assert_int_equal(p.created_at, gj_now());
    assert_int_equal(p.created_by, f->user);
    assert_int_equal(n, 3);
    assert_int_equal(lines[0].bill_id, b1);
    assert_int_equal(lines[0].amount_fen, 1000);
    assert_int_equal(lines[1].bill_id, b2);
    assert_int_equal(lines[1].amount_fen, 1000);
    assert_int_equal(lines[2].bill_id, b3);
    assert_int_equal(lines[2].amount_fen, 500);
    assert_int_equal(credit, 0);
    assert_int_equal(paid_of(f, b1), 1000);
    assert_int_equal(paid_of(f, b2), 1000);
    assert_int_equal(paid_of(f, b3), 500);
    int64_t due;
    gj_test_must(gj_unit_due(f->db, f->unit, &due, &err), &err);
    assert_int_equal(due, 500);

    /* 8.00 more: 5.00 settles b3, 3.00 is credit */
    p = pay(f->unit, 800);
    gj_test_must(gj_payment_take(f->db, f->user, &p, NULL, 0, lines, &n, &credit, &err), &err);
    assert_int_equal(p.receipt_no, 2);
    assert_int_equal(n, 1);
    assert_int_equal(lines[0].bill_id, b3);
    assert_int_equal(lines[0].amount_fen, 500);
    assert_int_equal(credit, 300);
    int64_t cr;
    gj_test_must(gj_unit_credit(f->db, f->unit, &cr, &err), &err);
    assert_int_equal(cr, 300);
    gj_test_must(gj_unit_due(f->db, f->unit, &due, &err), &err);
    assert_int_equal(due, 0);
    gj_test_must(gj_unit_credit(f->db, f->unit2, &cr, &err), &err);
    assert_int_equal(cr, 0);

    /* nothing left to settle: all of it is credit; outputs may be NULL */
    p = pay(f->unit, 1200);
    gj_test_must(gj_payment_take(f->db, f->user, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    assert_int_equal(p.receipt_no, 3);
    gj_test_must(gj_unit_credit(f->db, f->unit, &cr, &err), &err);
    assert_int_equal(cr, 1500);

    /* what was stored */
    struct gj_payment back;
    gj_test_must(gj_payment_get(f->db, p.id, &back, &err), &err);
    assert_int_equal(back.receipt_no, 3);
    assert_int_equal(back.unit_id, f->unit);
    assert_string_equal(back.payer_name, "张三");
    assert_string_equal(back.method, "wechat");
    assert_int_equal(back.amount_fen, 1200);
    assert_int_equal(back.reverses_payment_id, 0);
    assert_string_equal(back.reason, "");
    gj_test_must(gj_payment_by_receipt(f->db, 2, &back, &err), &err);
    assert_int_equal(back.amount_fen, 800);
    assert_int_equal(gj_payment_by_receipt(f->db, 4, &back, &err), GJ_ENOTFOUND);

    struct gj_allocation al[8];
    int na;
    gj_test_must(gj_payment_allocations(f->db, 1, al, 8, &na, &err), &err);
    assert_int_equal(na, 3);
    assert_int_equal(al[0].bill_id, b1);
    assert_int_equal(al[2].amount_fen, 500);
    assert_int_equal(al[2].payment_id, 1);
}

static void test_payment_chosen_bills(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t b1 = make_bill(f, f->unit, f->item_fixed, 202609);
    int64_t b2 = make_bill(f, f->unit, f->item_fixed, 202610);
    int64_t b3 = make_bill(f, f->unit, f->item_fixed, 202611);
    int64_t other = make_bill(f, f->unit2, f->item_fixed, 202611);

    /* the butler chose the newest first, then the oldest */
    const int64_t chosen[] = {b3, b1};
    struct gj_payment p = pay(f->unit, 1500);
    struct gj_alloc_line lines[GJ_PAYMENT_MAX_LINES];
    size_t n;
    int64_t credit;
    gj_test_must(gj_payment_take(f->db, f->user, &p, chosen, 2, lines, &n, &credit, &err), &err);
    assert_int_equal(n, 2);
    assert_int_equal(lines[0].bill_id, b3);
    assert_int_equal(lines[0].amount_fen, 1000);
    assert_int_equal(lines[1].bill_id, b1);
    assert_int_equal(lines[1].amount_fen, 500);
    assert_int_equal(credit, 0);
    assert_int_equal(paid_of(f, b2), 0);

    int64_t before = counter(f);
    /* a bill of another unit */
    const int64_t wrong[] = {b2, other};
    p = pay(f->unit, 1000);
    assert_int_equal(gj_payment_take(f->db, f->user, &p, wrong, 2, lines, &n, &credit, &err),
                     GJ_EINVAL);
    expect_msg(&err, "another unit");
    assert_int_equal(paid_of(f, b2), 0);
    /* a bill settled meanwhile */
    const int64_t settled[] = {b3};
    assert_int_equal(gj_payment_take(f->db, f->user, &p, settled, 1, lines, &n, &credit, &err),
                     GJ_ECONFLICT);
    expect_msg(&err, "already paid");
    /* a bill chosen twice, a missing bill */
    const int64_t twice[] = {b2, b2};
    assert_int_equal(gj_payment_take(f->db, f->user, &p, twice, 2, lines, &n, &credit, &err),
                     GJ_EINVAL);
    const int64_t missing[] = {4242};
    assert_int_equal(gj_payment_take(f->db, f->user, &p, missing, 1, lines, &n, &credit, &err),
                     GJ_ENOTFOUND);
    assert_int_equal(counter(f), before);
    assert_int_equal(gj_test_scalar(f->raw, "SELECT count(*) FROM payments", 0), 1);

    /* chosen, but none: a prepayment, all credit */
    p = pay(f->unit, 700);
    gj_test_must(gj_payment_take(f->db, f->user, &p, chosen, 0, lines, &n, &credit, &err), &err);
    assert_int_equal(n, 0);
    assert_int_equal(credit, 700);
    assert_int_equal(p.receipt_no, before + 1);
}

static void test_receipt_numbers_no_gaps(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t b1 = make_bill(f, f->unit, f->item_fixed, 202610);
    make_bill(f, f->unit, f->item_fixed, 202611);
    struct gj_payment p = pay(f->unit, 100);
    gj_test_must(gj_payment_take(f->db, f->user, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    assert_int_equal(p.receipt_no, 1);
    assert_int_equal(counter(f), 1);
    int64_t audit_before = gj_test_scalar(f->raw, "SELECT count(*) FROM audit_log", 0);

    /* refused before anything is written: an invalid method */
    p = pay(f->unit, 100);
    strcpy(p.method, "iou");
    assert_int_equal(gj_payment_take(f->db, f->user, &p, NULL, 0, NULL, NULL, NULL, &err),
                     GJ_EINVAL);
    expect_msg(&err, "method");
    assert_int_equal(p.id, 0);
    assert_int_equal(p.receipt_no, 0);
    assert_int_equal(counter(f), 1);
    /* a unit that does not exist */
    p = pay(4242, 100);
    assert_int_equal(gj_payment_take(f->db, f->user, &p, NULL, 0, NULL, NULL, NULL, &err),
                     GJ_ENOTFOUND);
    expect_msg(&err, "unit");
    assert_int_equal(counter(f), 1);

    /* a failure after the counter was bumped and the payment written: the
     * allocation is refused (a trigger added for the test), and the whole
     * transaction, receipt number included, is rolled back */
    assert_int_equal(raw_exec(f, "CREATE TRIGGER test_refuse BEFORE INSERT ON "
                                 "payment_allocations BEGIN SELECT RAISE(ABORT, 'test: "
                                 "refused'); END"),
                     SQLITE_OK);
    p = pay(f->unit, 150);
    int rc = gj_payment_take(f->db, f->user, &p, NULL, 0, NULL, NULL, NULL, &err);
    assert_int_not_equal(rc, GJ_OK);
    expect_msg(&err, "test: refused");
    assert_int_equal(counter(f), 1);
    assert_int_equal(gj_test_scalar(f->raw, "SELECT count(*) FROM payments", 0), 1);
    assert_int_equal(gj_test_scalar(f->raw, "SELECT count(*) FROM audit_log", 0), audit_before);
    assert_int_equal(paid_of(f, b1), 100);
    assert_int_equal(raw_exec(f, "DROP TRIGGER test_refuse"), SQLITE_OK);

    /* rolled back by the caller's own transaction: the number is given back */
    gj_test_must(gj_db_begin(f->db, &err), &err);
    p = pay(f->unit, 100);
    gj_test_must(gj_payment_take(f->db, f->user, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    assert_int_equal(p.receipt_no, 2);
    gj_db_rollback(f->db);
    assert_int_equal(counter(f), 1);

    /* and the next payments continue the sequence */
    for (int i = 0; i < 3; i++) {
        p = pay(f->unit, 100);
        gj_test_must(gj_payment_take(f->db, f->user, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
        assert_int_equal(p.receipt_no, 2 + i);
    }
    assert_int_equal(counter(f), 4);
    assert_int_equal(gj_test_scalar(f->raw, "SELECT count(*) FROM payments", 0), 4);
    assert_int_equal(
        gj_test_scalar(f->raw, "SELECT max(receipt_no) - min(receipt_no) + 1 FROM payments", 0), 4);
    assert_int_equal(paid_of(f, b1), 400);
}

static void test_payment_reversal(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t b1 = make_bill(f, f->unit, f->item_fixed, 202609);
    int64_t b2 = make_bill(f, f->unit, f->item_fixed, 202610);
    /* another payment settles part of b1 first */
    struct gj_payment early = pay(f->unit, 300);
    gj_test_must(gj_payment_take(f->db, f->user, &early, NULL, 0, NULL, NULL, NULL, &err), &err);

    struct gj_payment p = pay(f->unit, 2000); /* b1 7.00, b2 10.00, credit 3.00 */
    size_t n;
    int64_t credit;
    struct gj_alloc_line lines[GJ_PAYMENT_MAX_LINES];
    gj_test_must(gj_payment_take(f->db, f->user, &p, NULL, 0, lines, &n, &credit, &err), &err);
    assert_int_equal(n, 2);
    assert_int_equal(credit, 300);
    assert_int_equal(paid_of(f, b1), 1000);
    assert_int_equal(paid_of(f, b2), 1000);

    /* a reason is required */
    assert_int_equal(gj_payment_reverse(f->db, f->user, p.id, "", NULL, &err), GJ_EINVAL);
    expect_msg(&err, "reason");
    assert_int_equal(gj_payment_reverse(f->db, f->user, 4242, "收错", NULL, &err), GJ_ENOTFOUND);
    assert_int_equal(counter(f), 2);

    struct gj_payment rev;
    gj_test_must(gj_payment_reverse(f->db, f->user, p.id, "收错房号", &rev, &err), &err);
    assert_true(rev.id > p.id);
    assert_int_equal(rev.receipt_no, 3);
    assert_int_equal(rev.amount_fen, -2000);
    assert_int_equal(rev.reverses_payment_id, p.id);
    assert_int_equal(rev.unit_id, f->unit);
    assert_string_equal(rev.reason, "收错房号");
    assert_string_equal(rev.payer_name, "张三");
    assert_int_equal(rev.created_by, f->user);

    struct gj_payment back;
    gj_test_must(gj_payment_get(f->db, rev.id, &back, &err), &err);
    assert_int_equal(back.amount_fen, -2000);
    assert_string_equal(back.reason, "收错房号");
    gj_test_must(gj_payment_reversal_of(f->db, p.id, &back, &err), &err);
    assert_int_equal(back.id, rev.id);
    assert_int_equal(gj_payment_reversal_of(f->db, early.id, &back, &err), GJ_ENOTFOUND);

    /* the bills owe again what the payment had settled, the credit is gone,
     * and the earlier payment still counts */
    assert_int_equal(paid_of(f, b1), 300);
    assert_int_equal(paid_of(f, b2), 0);
    int64_t cr, due;
    gj_test_must(gj_unit_credit(f->db, f->unit, &cr, &err), &err);
    assert_int_equal(cr, 0);
    gj_test_must(gj_unit_due(f->db, f->unit, &due, &err), &err);
    assert_int_equal(due, 1700);
    struct gj_allocation al[4];
    int na;
    gj_test_must(gj_payment_allocations(f->db, rev.id, al, 4, &na, &err), &err);
    assert_int_equal(na, 2);
    assert_int_equal(al[0].bill_id, b1);
    assert_int_equal(al[0].amount_fen, -700);
    assert_int_equal(al[1].bill_id, b2);
    assert_int_equal(al[1].amount_fen, -1000);

    /* twice: refused, clearly; a reversal is never reversed */
    assert_int_equal(gj_payment_reverse(f->db, f->user, p.id, "again", NULL, &err), GJ_ECONSTRAINT);
    expect_msg(&err, "already been reversed");
    assert_int_equal(gj_payment_reverse(f->db, f->user, rev.id, "undo", NULL, &err), GJ_EINVAL);
    expect_msg(&err, "reversal");
    assert_int_equal(counter(f), 3);
    assert_int_equal(gj_test_scalar(f->raw, "SELECT count(*) FROM payments", 0), 3);
    /* the schema backs this up */
    assert_int_not_equal(raw_exec(f, "INSERT INTO payments(receipt_no, unit_id, payer_name, "
                                     "method, amount_fen, reverses_payment_id, reason, "
                                     "created_at) VALUES (99, 1, 'x', 'cash', -2000, 2, 'x', 0)"),
                         SQLITE_OK);

    /* the bills can be paid again */
    p = pay(f->unit, 1700);
    gj_test_must(gj_payment_take(f->db, f->user, &p, NULL, 0, lines, &n, &credit, &err), &err);
    assert_int_equal(p.receipt_no, 4);
    assert_int_equal(credit, 0);
    assert_int_equal(paid_of(f, b1), 1000);
    assert_int_equal(paid_of(f, b2), 1000);
}

static void test_payments_append_only(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t b1 = make_bill(f, f->unit, f->item_fixed, 202611);
    struct gj_payment p = pay(f->unit, 1000);
    gj_test_must(gj_payment_take(f->db, f->user, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    assert_int_not_equal(raw_exec(f, "UPDATE payments SET amount_fen = 1"), SQLITE_OK);
    assert_int_not_equal(raw_exec(f, "UPDATE payments SET payer_name = '李四'"), SQLITE_OK);
    assert_int_not_equal(raw_exec(f, "DELETE FROM payments"), SQLITE_OK);
    assert_int_not_equal(raw_exec(f, "UPDATE payment_allocations SET amount_fen = 1"), SQLITE_OK);
    assert_int_not_equal(raw_exec(f, "DELETE FROM payment_allocations"), SQLITE_OK);
    assert_int_not_equal(raw_exec(f, "DELETE FROM bills"), SQLITE_OK);
    /* over-payment of a bill is refused by the database */
    assert_int_equal(b1, 1);
    assert_int_equal(raw_exec(f, "SAVEPOINT t"), SQLITE_OK);
    assert_int_equal(raw_exec(f, "INSERT INTO payments(receipt_no, unit_id, payer_name, method, "
                                 "amount_fen, created_at) VALUES (50, 1, 'x', 'cash', 500, 0)"),
                     SQLITE_OK);
    assert_int_not_equal(raw_exec(f, "INSERT INTO payment_allocations(payment_id, bill_id, "
                                     "amount_fen) VALUES (last_insert_rowid(), 1, 500)"),
                         SQLITE_OK);
    assert_int_equal(raw_exec(f, "ROLLBACK TO t; RELEASE t"), SQLITE_OK);
    assert_int_equal(gj_test_scalar(f->raw, "SELECT amount_fen FROM payments", 0), 1000);
    assert_int_equal(gj_test_scalar(f->raw, "SELECT sum(amount_fen) FROM payment_allocations", 0),
                     1000);
    assert_int_equal(paid_of(f, b1), 1000);
}

static void test_payment_audited(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    make_bill(f, f->unit, f->item_fixed, 202610);
    make_bill(f, f->unit, f->item_fixed, 202611);
    struct gj_payment p = pay(f->unit, 2000);
    size_t n;
    gj_test_must(gj_payment_take(f->db, f->user, &p, NULL, 0, NULL, &n, NULL, &err), &err);
    assert_int_equal(n, 2);
    struct gj_payment back;
    gj_test_must(gj_payment_get(f->db, p.id, &back, &err), &err);
    assert_int_equal(back.created_by, f->user);
    assert_int_equal(gj_test_scalar(f->raw,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'payments' AND "
                                    "action = 'insert' AND entity_id = ?1 AND user_id = "
                                    "(SELECT created_by FROM payments WHERE id = ?1) AND "
                                    "json_extract(new_values, '$.amount_fen') = 2000",
                                    p.id),
                     1);
    assert_int_equal(
        gj_test_scalar(f->raw,
                       "SELECT count(*) FROM audit_log a JOIN payment_allocations pa ON "
                       "pa.id = a.entity_id WHERE a.entity = 'payment_allocations' AND "
                       "pa.payment_id = ?",
                       p.id),
        2);
    /* each bill's paid amount changed under the payment's user */
    assert_int_equal(gj_test_scalar(f->raw,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'bills' AND "
                                    "action = 'update' AND user_id = ?",
                                    f->user),
                     2);
    struct gj_payment rev;
    gj_test_must(gj_payment_reverse(f->db, f->user, p.id, "重复收费", &rev, &err), &err);
    assert_int_equal(gj_test_scalar(f->raw,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'payments' AND "
                                    "entity_id = ? AND json_extract(new_values, '$.reason') = "
                                    "'重复收费'",
                                    rev.id),
                     1);
}

static void test_payments_of_unit_paging(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    for (int i = 0; i < 5; i++) {
        struct gj_payment p = pay(i == 2 ? f->unit2 : f->unit, 100 + i);
        gj_test_must(gj_payment_take(f->db, f->user, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    }
    struct gj_payment rows[2];
    int n, total = 0;
    int64_t before = 0, last = INT64_MAX;
    do {
        gj_test_must(gj_payments_of_unit(f->db, f->unit, before, 2, rows, &n, &err), &err);
        for (int i = 0; i < n; i++) {
            assert_true(rows[i].id < last);
            assert_int_equal(rows[i].unit_id, f->unit);
            last = rows[i].id;
        }
        total += n;
        if (n)
            before = rows[n - 1].id;
    } while (n == 2);
    assert_int_equal(total, 4);
}

/* ---- receipts and dunning ------------------------------------------------- */

static void test_receipt_prints(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_payment p = pay(f->unit, 100);
    gj_test_must(gj_payment_take(f->db, f->user, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    int64_t count = -1;
    gj_test_must(gj_receipt_print_count(f->db, p.id, &count, &err), &err);
    assert_int_equal(count, 0);
    gj_test_must(gj_receipt_print_record(f->db, f->user, p.id, 0, "/tmp/r1.txt", &err), &err);
    assert_int_equal(gj_receipt_print_record(f->db, f->user, p.id, 0, "/tmp/r1.txt", &err),
                     GJ_EINVAL);
    expect_msg(&err, "copy");
    gj_test_must(gj_receipt_print_record(f->db, f->user, p.id, 1, "/tmp/r1-copy.txt", &err), &err);
    gj_test_must(gj_receipt_print_record(f->db, f->user, p.id, 1, "/tmp/r1-copy.txt", &err), &err);
    gj_test_must(gj_receipt_print_count(f->db, p.id, &count, &err), &err);
    assert_int_equal(count, 3);
    assert_int_equal(gj_receipt_print_record(f->db, f->user, p.id, 1, "", &err), GJ_EINVAL);
    expect_msg(&err, "file");
    assert_int_equal(gj_receipt_print_record(f->db, f->user, p.id, 2, "/tmp/x", &err), GJ_EINVAL);
    assert_int_equal(gj_receipt_print_record(f->db, f->user, 4242, 0, "/tmp/x", &err),
                     GJ_ENOTFOUND);
    assert_int_equal(gj_test_scalar(f->raw, "SELECT count(*) FROM receipt_prints", 0), 3);
    assert_int_equal(
        gj_test_scalar(f->raw, "SELECT count(*) FROM audit_log WHERE entity = 'receipt_prints'", 0),
        3);
}

static void test_dunning(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    const char *times[] = {"2026-11-20T10:00", "2026-11-25T10:00", "2026-11-25T10:00",
                           "2026-11-27T16:30", "2026-11-29T09:00"};
    for (int i = 0; i < 5; i++) {
        setenv("GUANJIA_NOW", times[i], 1);
        struct gj_dunning d;
        memset(&d, 0, sizeof d);
        d.unit_id = i == 3 ? f->unit2 : f->unit;
        strcpy(d.channel, i % 2 ? "wechat" : "phone");
        strcpy(d.result, i == 4 ? "promised" : "no_answer");
        if (i == 4) {
            d.promised_at = gj_now() + 3 * 86400;
            d.promised_fen = 25024;
            strcpy(d.note, "业主说月底前交");
        }
        gj_test_must(gj_dunning_add(f->db, f->user, &d, &err), &err);
        assert_true(d.id > 0);
        assert_int_equal(d.at, gj_now());
        assert_int_equal(d.user_id, f->user);
    }
    struct gj_dunning bad;
    memset(&bad, 0, sizeof bad);
    bad.unit_id = f->unit;
    strcpy(bad.channel, "phone");
    strcpy(bad.result, "promised");
    assert_int_equal(gj_dunning_add(f->db, f->user, &bad, &err), GJ_EINVAL);
    expect_msg(&err, "promised date");
    strcpy(bad.channel, "fax");
    assert_int_equal(gj_dunning_add(f->db, f->user, &bad, &err), GJ_EINVAL);
    expect_msg(&err, "channel");
    strcpy(bad.channel, "sms");
    strcpy(bad.result, "refused");
    bad.unit_id = 4242;
    assert_int_equal(gj_dunning_add(f->db, f->user, &bad, &err), GJ_ECONSTRAINT);

    /* newest first, two at a time, none skipped or repeated */
    struct gj_dunning rows[2];
    int n, total = 0;
    struct gj_dunning_key key, *after = NULL;
    int64_t seen[8];
    do {
        gj_test_must(gj_dunning_of_unit(f->db, f->unit, after, 2, rows, &n, &err), &err);
        for (int i = 0; i < n; i++) {
            if (total > 0)
                assert_true(rows[i].at < key.at || (rows[i].at == key.at && rows[i].id < key.id));
            seen[total++] = rows[i].id;
            key.at = rows[i].at;
            key.id = rows[i].id;
            after = &key;
        }
    } while (n == 2);
    assert_int_equal(total, 4);
    for (int i = 0; i < total; i++)
        for (int j = 0; j < i; j++)
            assert_int_not_equal(seen[i], seen[j]);
    gj_test_must(gj_dunning_of_unit(f->db, f->unit, NULL, 1, rows, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].result, "promised");
    assert_int_equal(rows[0].promised_fen, 25024);
    assert_string_equal(rows[0].note, "业主说月底前交");
    assert_int_equal(gj_test_scalar(f->raw,
                                    "SELECT count(*) FROM audit_log WHERE entity = "
                                    "'dunning_contacts'",
                                    0),
                     5);
    assert_int_not_equal(raw_exec(f, "UPDATE dunning_contacts SET note = 'x'"), SQLITE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fee_item_round_trip_and_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fee_item_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fee_items_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bill_amount_from_area, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bill_once_and_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bill_rate_change_keeps_issued, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bill_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bills_of_unit_paging_and_due, setup, teardown),
        cmocka_unit_test_setup_teardown(test_payment_oldest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_payment_chosen_bills, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receipt_numbers_no_gaps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_payment_reversal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_payments_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_payment_audited, setup, teardown),
        cmocka_unit_test_setup_teardown(test_payments_of_unit_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receipt_prints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dunning, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
