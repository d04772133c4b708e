#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/documents.h"
#include "guanjia/repo_fee_reports.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_users.h"

/* The reports are read at NOW = 2026-11-29 09:00 (TZ=CST-8). The estate:
 *
 *   A 1-1-501  eight bills due 30, 31, 90, 91, 180 and 181 days before NOW,
 *              one due at NOW (not yet in arrears) and one due 30 days
 *              23:59:59 before; each of its own item, with amounts 1, 10,
 *              100 ... 10^7 fen, so a sum tells which bills it holds.
 *   B 1-2-401  500 yuan due 100 days ago (300 paid), 500 due 10 days ago;
 *              a payment that cleared both was reversed.
 *   C 1-1-601  paid in full: not in arrears.
 *   D 2-1-1201 100 fen due 400 days ago; only a tenant, no owner.
 *   F 2-1-301  700 yuan due 5 days ago: the same amount as B (and made
 *              before B, so neither its id nor its room comes after B's).
 *   G 3-1-101  promised, then paid in full.
 *   E 3-1-201  owes only a bill due 20 days after NOW.
 *   H 3-2-101  no bills: the cash report's payments go to its credit. */
#define DAY INT64_C(86400)

struct fx {
    char dir[256];
    struct gj_db *db;
    int64_t now;
    int64_t wang, li; /* two butlers */
    int64_t a, b, c, d, e, f, g, h;
    int64_t item[8], item_x, item_y;
    int64_t b_payment, b_reversal;
};

static int64_t make_user(struct fx *f, const char *login, const char *name)
{
    struct gj_error err;
    struct gj_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.name, sizeof u.name, "%s", name);
    strcpy(u.role, "butler");
    strcpy(u.rank, "butler");
    gj_test_must(gj_user_create(f->db, 0, &u, "correct horse battery", &err), &err);
    return u.id;
}

static int64_t make_unit(struct fx *f, int building, int entrance, int room)
{
    struct gj_unit u = {.building = building,
                        .entrance = entrance,
                        .room = room,
                        .floor = room / 100,
                        .area_centi_m2 = 9000,
                        .delivered_at = gj_test_at("2024-01-01T00:00")};
    return gj_test_add_unit(f->db, f->wang, &u);
}

static int64_t make_item(struct fx *f, const char *name, int64_t rate)
{
    return gj_test_add_fee_item(f->db, f->wang, name, "fixed", rate, 202401, 0);
}

static int64_t make_bill(struct fx *f, int64_t unit, int64_t item, int period, int64_t due_at)
{
    struct gj_error err;
    struct gj_bill b;
    memset(&b, 0, sizeof b);
    b.unit_id = unit;
    b.fee_item_id = item;
    b.period = period;
    b.due_at = due_at;
    gj_test_must(gj_bill_create(f->db, f->wang, &b, &err), &err);
    return b.id;
}

static struct gj_unit_person link_person(struct fx *f, int64_t unit, const char *name,
                                         const char *relation)
{
    struct gj_error err;
    struct gj_unit_person l;
    memset(&l, 0, sizeof l);
    l.unit_id = unit;
    l.person_id = gj_test_add_person(f->db, f->wang, name, NULL);
    snprintf(l.relation, sizeof l.relation, "%s", relation);
    l.start_at = gj_test_at("2024-01-01T00:00");
    gj_test_must(gj_unit_person_add(f->db, f->wang, &l, &err), &err);
    return l;
}

static struct gj_payment take_from(struct fx *f, int64_t actor, int64_t unit, const char *payer,
                                   const char *method, int64_t amount)
{
    struct gj_error err;
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = unit;
    snprintf(p.payer_name, sizeof p.payer_name, "%s", payer);
    snprintf(p.method, sizeof p.method, "%s", method);
    p.amount_fen = amount;
    gj_test_must(gj_payment_take(f->db, actor, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    return p;
}

static struct gj_payment take(struct fx *f, int64_t actor, int64_t unit, const char *method,
                              int64_t amount)
{
    return take_from(f, actor, unit, "业主", method, amount);
}

static int64_t reverse(struct fx *f, int64_t actor, int64_t payment_id)
{
    struct gj_error err;
    struct gj_payment rev;
    gj_test_must(gj_payment_reverse(f->db, actor, payment_id, "收错了", &rev, &err), &err);
    return rev.id;
}

static void promise(struct fx *f, const char *when, int64_t unit, const char *result,
                    int64_t promised_at)
{
    struct gj_error err;
    struct gj_dunning d;
    memset(&d, 0, sizeof d);
    gj_test_set_now(when);
    d.unit_id = unit;
    strcpy(d.channel, "phone");
    snprintf(d.result, sizeof d.result, "%s", result);
    d.promised_at = promised_at;
    if (promised_at)
        d.promised_fen = 10000;
    gj_test_must(gj_dunning_add(f->db, f->wang, &d, &err), &err);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "%s", gj_test_tmpdir());
    struct gj_error err;
    gj_test_set_now("2026-11-20T10:00");
    gj_test_must(gj_db_open(gj_test_path(f->dir, "guanjia.db"), GJ_DB_CREATE, &f->db, &err), &err);
    int64_t now = f->now = gj_test_at("2026-11-29T09:00");
    f->wang = make_user(f, "wang", "王管家");
    f->li = make_user(f, "li", "李会计");
    f->f = make_unit(f, 2, 1, 301);
    f->a = make_unit(f, 1, 1, 501);
    f->b = make_unit(f, 1, 2, 401);
    f->c = make_unit(f, 1, 1, 601);
    f->d = make_unit(f, 2, 1, 1201);
    f->g = make_unit(f, 3, 1, 101);
    f->e = make_unit(f, 3, 1, 201);
    f->h = make_unit(f, 3, 2, 101);
    int64_t rate = 1;
    for (int i = 0; i < 8; i++, rate *= 10) {
        char name[32];
        snprintf(name, sizeof name, "费用%d", i);
        f->item[i] = make_item(f, name, rate);
    }
    f->item_x = make_item(f, "物业费", 50000);
    f->item_y = make_item(f, "车位费", 70000);

    /* A: the bucket edges */
    make_bill(f, f->a, f->item[0], 202611, now - 30 * DAY);
    make_bill(f, f->a, f->item[1], 202611, now - 31 * DAY);
    make_bill(f, f->a, f->item[2], 202611, now - 90 * DAY);
    make_bill(f, f->a, f->item[3], 202611, now - 91 * DAY);
    make_bill(f, f->a, f->item[4], 202611, now - 180 * DAY);
    make_bill(f, f->a, f->item[5], 202605, now - 181 * DAY);
    make_bill(f, f->a, f->item[6], 202611, now);
    make_bill(f, f->a, f->item[7], 202611, now - 31 * DAY + 1);
    /* B: a partial payment, and a payment reversed */
    make_bill(f, f->b, f->item_x, 202608, now - 100 * DAY);
    make_bill(f, f->b, f->item_x, 202611, now - 10 * DAY);
    take(f, f->wang, f->b, "cash", 30000);
    f->b_payment = take(f, f->wang, f->b, "alipay", 70000).id;
    f->b_reversal = reverse(f, f->li, f->b_payment);
    /* C: paid */
    make_bill(f, f->c, f->item_x, 202606, now - 150 * DAY);
    take(f, f->li, f->c, "wechat", 50000);
    /* D, F, G, E */
    make_bill(f, f->d, f->item[2], 202510, now - 400 * DAY);
    make_bill(f, f->f, f->item_y, 202611, now - 5 * DAY);
    make_bill(f, f->g, f->item_x, 202610, now - 20 * DAY);
    make_bill(f, f->e, f->item_x, 202612, now + 20 * DAY);

    /* Owners: A has two (the first link counts), B's first owner sold
     * (their link ended), D has a tenant only. */
    link_person(f, f->a, "周洋", "owner");
    link_person(f, f->a, "林芳", "owner");
    struct gj_unit_person old = link_person(f, f->b, "王强", "owner");
    gj_test_must(gj_unit_person_end(f->db, f->wang, &old, gj_test_at("2026-11-01T00:00"), &err),
                 &err);
    link_person(f, f->b, "赵敏", "owner");
    link_person(f, f->d, "孙丽", "tenant");
    link_person(f, f->f, "钱多多", "owner");
    link_person(f, f->f, "钱小多", "family");

    /* Dunning: D's promise is long broken, B's just passed, A's ahead; F
     * promised twice (the later replaces the earlier); G promised and
     * paid; E promised but owes nothing due yet; C refused. */
    promise(f, "2026-10-25T10:00", f->d, "promised", now - 30 * DAY);
    promise(f, "2026-11-25T10:00", f->b, "promised", now - 1 * DAY);
    promise(f, "2026-11-28T10:00", f->a, "promised", now + 2 * DAY);
    promise(f, "2026-11-20T11:00", f->f, "promised", now - 3 * DAY);
    promise(f, "2026-11-27T11:00", f->f, "no_answer", 0);
    promise(f, "2026-11-28T11:00", f->f, "promised", now + 5 * DAY);
    promise(f, "2026-11-22T10:00", f->g, "promised", now - 2 * DAY);
    promise(f, "2026-11-25T10:00", f->e, "promised", now - 1 * DAY);
    promise(f, "2026-11-25T10:00", f->c, "refused", 0);
    gj_test_set_now("2026-11-26T10:00");
    take(f, f->wang, f->g, "wechat", 50000);
    gj_test_set_now("2026-11-29T09:00");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    gj_db_close(f->db);
    gj_test_rmtree(f->dir);
    free(f);
    return 0;
}

/* ---- arrears by age ------------------------------------------------------- */

static void expect_row(const struct gj_arrears_row *r, int64_t unit, const char *code,
                       const char *owner, int64_t b0, int64_t b1, int64_t b2, int64_t b3)
{
    assert_int_equal(r->unit_id, unit);
    assert_string_equal(r->unit_code, code);
    assert_string_equal(r->owner, owner);
    assert_int_equal(r->bucket_fen[0], b0);
    assert_int_equal(r->bucket_fen[1], b1);
    assert_int_equal(r->bucket_fen[2], b2);
    assert_int_equal(r->bucket_fen[3], b3);
    assert_int_equal(r->total_fen, b0 + b1 + b2 + b3);
}

static void test_unit_buckets_at_the_edges(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_arrears_row r;
    int64_t now = f->now;
    gj_test_must(gj_unit_arrears_aged(f->db, f->a, now, &r, &err), &err);
    /* 30 days and 30 days 23:59:59 are 0-30; 31 and 90 are 31-90; 91 and
     * 180 are 91-180; 181 is more; the bill due at now is not yet late. */
    expect_row(&r, f->a, "1-1-501", "周洋", 1 + 10000000, 10 + 100, 1000 + 10000, 100000);
    assert_int_equal(r.building, 1);
    assert_int_equal(r.oldest_period, 202605);
    assert_int_equal(r.oldest_due_at, now - 181 * DAY);
    assert_int_equal(r.promised_at, now + 2 * DAY);
    int64_t plain = 0;
    gj_test_must(gj_unit_arrears(f->db, f->a, now, &plain, &err), &err);
    assert_int_equal(plain, r.total_fen);

    /* A second later the bill due at now is late (0 days) and the one due
     * 30 days 23:59:59 ago has turned 31; the others stay: whole days. */
    gj_test_must(gj_unit_arrears_aged(f->db, f->a, now + 1, &r, &err), &err);
    expect_row(&r, f->a, "1-1-501", "周洋", 1 + 1000000, 10 + 100 + 10000000, 11000, 100000);
    /* A day later every edge bill has moved on. */
    gj_test_must(gj_unit_arrears_aged(f->db, f->a, now + DAY, &r, &err), &err);
    expect_row(&r, f->a, "1-1-501", "周洋", 1000000, 1 + 10 + 10000000, 100 + 1000, 10000 + 100000);

    /* B: 200 of the older bill (after the partial payment; the reversed
     * payment pays nothing), all of the newer; the new owner. */
    gj_test_must(gj_unit_arrears_aged(f->db, f->b, now, &r, &err), &err);
    expect_row(&r, f->b, "1-2-401", "赵敏", 50000, 0, 20000, 0);
    assert_int_equal(r.oldest_period, 202608);
    assert_int_equal(r.oldest_due_at, now - 100 * DAY);
    assert_int_equal(r.promised_at, now - DAY); /* just passed */
    /* a promise a week and more past is no promise */
    gj_test_must(gj_unit_arrears_aged(f->db, f->b, now + 6 * DAY, &r, &err), &err);
    assert_int_equal(r.promised_at, now - DAY);
    gj_test_must(gj_unit_arrears_aged(f->db, f->b, now + 7 * DAY + 1, &r, &err), &err);
    assert_int_equal(r.promised_at, 0);

    /* D: no owner, a broken promise */
    gj_test_must(gj_unit_arrears_aged(f->db, f->d, now, &r, &err), &err);
    expect_row(&r, f->d, "2-1-1201", "", 0, 0, 0, 100);
    assert_int_equal(r.promised_at, 0);
    /* F: the later promise */
    gj_test_must(gj_unit_arrears_aged(f->db, f->f, now, &r, &err), &err);
    assert_int_equal(r.promised_at, now + 5 * DAY);

    /* Paid, or not yet due: zero, with the unit's code. */
    gj_test_must(gj_unit_arrears_aged(f->db, f->c, now, &r, &err), &err);
    expect_row(&r, f->c, "1-1-601", "", 0, 0, 0, 0);
    assert_int_equal(r.oldest_period, 0);
    assert_int_equal(r.oldest_due_at, 0);
    gj_test_must(gj_unit_arrears_aged(f->db, f->e, now, &r, &err), &err);
    expect_row(&r, f->e, "3-1-201", "", 0, 0, 0, 0);
    assert_int_equal(gj_unit_arrears_aged(f->db, 4242, now, &r, &err), GJ_ENOTFOUND);
}

static void expect_order(struct fx *f, enum gj_arrears_sort sort, int building, const int64_t *want,
                         int n_want)
{
    struct gj_error err;
    struct gj_arrears_row rows[8];
    int n = -1;
    gj_test_must(gj_arrears_list(f->db, f->now, sort, building, 0, 8, rows, &n, &err), &err);
    assert_int_equal(n, n_want);
    for (int i = 0; i < n; i++)
        if (rows[i].unit_id != want[i])
            fail_msg("sort %d building %d: row %d is %s", (int)sort, building, i,
                     rows[i].unit_code);
    /* One at a time, the pages give the same rows, then none. */
    for (int i = 0; i <= n_want; i++) {
        struct gj_arrears_row one;
        int got = -1;
        gj_test_must(gj_arrears_list(f->db, f->now, sort, building, i, 1, &one, &got, &err), &err);
        assert_int_equal(got, i < n_want ? 1 : 0);
        if (got)
            assert_int_equal(one.unit_id, want[i]);
    }
}

static void test_list_sorted_filtered_paged(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    /* by amount, largest first; B and F owe the same: B's building first */
    int64_t by_amount[] = {f->a, f->b, f->f, f->d};
    expect_order(f, GJ_ARREARS_BY_AMOUNT, 0, by_amount, 4);
    /* by age: the oldest unpaid due date first */
    int64_t by_age[] = {f->d, f->a, f->b, f->f};
    expect_order(f, GJ_ARREARS_BY_AGE, 0, by_age, 4);
    /* by building, entrance (1-1-501 before 1-2-401), room as numbers
     * (301 before 1201) */
    int64_t by_building[] = {f->a, f->b, f->f, f->d};
    expect_order(f, GJ_ARREARS_BY_BUILDING, 0, by_building, 4);
    /* one building */
    int64_t b2_amount[] = {f->f, f->d};
    expect_order(f, GJ_ARREARS_BY_AMOUNT, 2, b2_amount, 2);
    int64_t b2_building[] = {f->f, f->d};
    expect_order(f, GJ_ARREARS_BY_BUILDING, 2, b2_building, 2);
    int64_t b1_age[] = {f->a, f->b};
    expect_order(f, GJ_ARREARS_BY_AGE, 1, b1_age, 2);
    expect_order(f, GJ_ARREARS_BY_BUILDING, 3, NULL, 0);

    /* the rows carry the same figures as the one-unit read */
    struct gj_arrears_row rows[4], one;
    int n = 0;
    gj_test_must(gj_arrears_list(f->db, f->now, GJ_ARREARS_BY_BUILDING, 0, 1, 2, rows, &n, &err),
                 &err);
    assert_int_equal(n, 2);
    expect_row(&rows[0], f->b, "1-2-401", "赵敏", 50000, 0, 20000, 0);
    assert_int_equal(rows[0].building, 1);
    assert_int_equal(rows[0].oldest_period, 202608);
    assert_int_equal(rows[0].promised_at, f->now - DAY);
    gj_test_must(gj_unit_arrears_aged(f->db, f->f, f->now, &one, &err), &err);
    assert_memory_equal(&rows[1], &one, sizeof one);
    gj_test_must(gj_arrears_list(f->db, f->now, GJ_ARREARS_BY_AMOUNT, 0, 0, 4, rows, &n, &err),
                 &err);
    gj_test_must(gj_unit_arrears_aged(f->db, f->a, f->now, &one, &err), &err);
    assert_memory_equal(&rows[0], &one, sizeof one);

    /* Later on, E's bill is due too and it joins the list. */
    gj_test_must(
        gj_arrears_list(f->db, f->now + 21 * DAY, GJ_ARREARS_BY_BUILDING, 3, 0, 4, rows, &n, &err),
        &err);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].unit_id, f->e);

    /* refused: a building out of range, an unknown order */
    assert_int_equal(
        gj_arrears_list(f->db, f->now, GJ_ARREARS_BY_AMOUNT, 1000, 0, 4, rows, &n, &err),
        GJ_EINVAL);
    assert_int_equal(
        gj_arrears_list(f->db, f->now, (enum gj_arrears_sort)7, 0, 0, 4, rows, &n, &err),
        GJ_EINVAL);
}

static void test_totals(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    int64_t units = -1, total = -1, b[4];
    gj_test_must(gj_arrears_totals(f->db, f->now, 0, &units, &total, b, &err), &err);
    assert_int_equal(units, 4);
    assert_int_equal(b[0], 10000001 + 50000 + 70000);
    assert_int_equal(b[1], 110);
    assert_int_equal(b[2], 11000 + 20000);
    assert_int_equal(b[3], 100000 + 100);
    assert_int_equal(total, b[0] + b[1] + b[2] + b[3]);
    /* the totals add up the list */
    struct gj_arrears_row rows[8];
    int n = 0;
    gj_test_must(gj_arrears_list(f->db, f->now, GJ_ARREARS_BY_AGE, 0, 0, 8, rows, &n, &err), &err);
    int64_t sum = 0;
    for (int i = 0; i < n; i++)
        sum += rows[i].total_fen;
    assert_int_equal(sum, total);

    gj_test_must(gj_arrears_totals(f->db, f->now, 1, &units, &total, b, &err), &err);
    assert_int_equal(units, 2);
    assert_int_equal(total, 10111111 + 70000);
    assert_int_equal(b[0], 10000001 + 50000);
    assert_int_equal(b[3], 100000);
    gj_test_must(gj_arrears_totals(f->db, f->now, 3, &units, &total, b, &err), &err);
    assert_int_equal(units, 0);
    assert_int_equal(total, 0);
    assert_int_equal(b[0] + b[1] + b[2] + b[3], 0);

    /* Paying B's older bill in full moves 200 yuan out of 91-180. */
    take_from(f, f->wang, f->b, "赵敏", "cash", 20000);
    gj_test_must(gj_arrears_totals(f->db, f->now, 0, &units, &total, b, &err), &err);
    assert_int_equal(units, 4);
    assert_int_equal(b[2], 11000);
}

/* ---- promises ------------------------------------------------------------- */

static void test_promises_due(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_promise_row rows[8];
    int n = -1;
    /* Due by now: D's long-broken promise and B's of yesterday. Not A's
     * or F's (ahead), G's (paid since) or E's (nothing due by then). */
    gj_test_must(gj_dunning_promises_due(f->db, f->now, 8, rows, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].d.unit_id, f->d);
    assert_string_equal(rows[0].unit_code, "2-1-1201");
    assert_string_equal(rows[0].owner, "");
    assert_int_equal(rows[0].owed_fen, 100);
    assert_int_equal(rows[0].d.promised_at, f->now - 30 * DAY);
    assert_string_equal(rows[0].d.result, "promised");
    assert_string_equal(rows[0].d.channel, "phone");
    assert_int_equal(rows[0].d.user_id, f->wang);
    assert_int_equal(rows[0].d.at, gj_test_at("2026-10-25T10:00"));
    assert_int_equal(rows[1].d.unit_id, f->b);
    assert_string_equal(rows[1].unit_code, "1-2-401");
    assert_string_equal(rows[1].owner, "赵敏");
    assert_int_equal(rows[1].owed_fen, 70000);

    /* Over the next ten days: A's too (owing also the bill due at now)
     * and F's later promise, once. */
    gj_test_must(gj_dunning_promises_due(f->db, f->now + 10 * DAY, 8, rows, &n, &err), &err);
    assert_int_equal(n, 4);
    assert_int_equal(rows[0].d.unit_id, f->d);
    assert_int_equal(rows[1].d.unit_id, f->b);
    assert_int_equal(rows[2].d.unit_id, f->a);
    assert_string_equal(rows[2].owner, "周洋");
    assert_int_equal(rows[2].owed_fen, 11111111);
    assert_int_equal(rows[2].d.promised_fen, 10000);
    assert_int_equal(rows[3].d.unit_id, f->f);
    assert_int_equal(rows[3].d.promised_at, f->now + 5 * DAY);
    assert_string_equal(rows[3].owner, "钱多多");

    /* F's earlier promise (due 3 days ago) was replaced: not due now. */
    gj_test_must(gj_dunning_promises_due(f->db, f->now - 2 * DAY, 8, rows, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].d.unit_id, f->d);

    gj_test_must(gj_dunning_promises_due(f->db, f->now + 10 * DAY, 1, rows, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].d.unit_id, f->d);

    /* B pays up: its promise is kept and leaves the list. */
    take_from(f, f->li, f->b, "赵敏", "wechat", 70000);
    gj_test_must(gj_dunning_promises_due(f->db, f->now, 8, rows, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].d.unit_id, f->d);
}

/* ---- the daily cash report ------------------------------------------------ */

/* by_method: what the operator holds per method (payments less
 * reversals); the total is their sum; reversed is the reversals' part. */
static void expect_cash(const struct gj_cash_row *r, int64_t user, const char *name, int64_t count,
                        const int64_t by_method[GJ_PAY_METHODS], int64_t reversed, int64_t total)
{
    assert_int_equal(r->user_id, user);
    assert_string_equal(r->operator_name, name);
    assert_int_equal(r->count, count);
    int64_t sum = 0;
    for (int m = 0; m < GJ_PAY_METHODS; m++) {
        assert_int_equal(r->by_method_fen[m], by_method[m]);
        sum += by_method[m];
    }
    assert_int_equal(r->reversed_fen, reversed);
    assert_int_equal(r->total_fen, total);
    assert_int_equal(r->total_fen, sum);
}

static void expect_totals_add_up(const struct gj_cash_report *rep)
{
    struct gj_cash_row sum;
    memset(&sum, 0, sizeof sum);
    for (int i = 0; i < rep->n_rows; i++) {
        sum.count += rep->rows[i].count;
        for (int m = 0; m < GJ_PAY_METHODS; m++)
            sum.by_method_fen[m] += rep->rows[i].by_method_fen[m];
        sum.reversed_fen += rep->rows[i].reversed_fen;
        sum.total_fen += rep->rows[i].total_fen;
    }
    assert_int_equal(rep->all.count, sum.count);
    for (int m = 0; m < GJ_PAY_METHODS; m++)
        assert_int_equal(rep->all.by_method_fen[m], sum.by_method_fen[m]);
    assert_int_equal(rep->all.reversed_fen, sum.reversed_fen);
    assert_int_equal(rep->all.total_fen, sum.total_fen);
}

static void test_cash_report(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    gj_test_set_now("2026-11-28T23:59:59");
    int64_t late = take(f, f->wang, f->h, "cash", 111).id; /* the day before */
    gj_test_set_now("2026-11-29T00:00:00");
    take(f, f->wang, f->h, "cash", 1000);
    gj_test_set_now("2026-11-29T10:00");
    take(f, f->li, f->h, "wechat", 2000);
    gj_test_set_now("2026-11-29T11:00");
    take(f, f->wang, f->h, "card", 3000);
    gj_test_set_now("2026-11-29T12:00");
    take(f, 0, f->h, "transfer", 4000); /* the system */
    gj_test_set_now("2026-11-29T13:00");
    reverse(f, f->wang, late); /* yesterday's, reversed today */
    gj_test_set_now("2026-11-29T23:59:59");
    take(f, f->li, f->h, "alipay", 5000);
    gj_test_set_now("2026-11-30T00:00:00");
    take(f, f->li, f->h, "cash", 6000); /* the day after */

    static struct gj_cash_report rep;
    /* any time of the day gives that day */
    gj_test_must(gj_cash_report(f->db, gj_test_at("2026-11-29T15:30"), &rep, &err), &err);
    assert_int_equal(rep.day, gj_test_at("2026-11-29T00:00"));
    assert_string_equal(rep.estate, "Guanjia Estate");
    assert_int_equal(rep.n_rows, 3);
    /* cash wechat alipay card transfer; Wang's reversal (of a cash
     * payment) is a receipt too and takes its 1.11 out of his cash */
    expect_cash(&rep.rows[0], 0, "system", 1, (int64_t[]){0, 0, 0, 0, 4000}, 0, 4000);
    expect_cash(&rep.rows[1], f->wang, "王管家", 3, (int64_t[]){889, 0, 0, 3000, 0}, -111, 3889);
    expect_cash(&rep.rows[2], f->li, "李会计", 2, (int64_t[]){0, 2000, 5000, 0, 0}, 0, 7000);
    expect_cash(&rep.all, 0, "", 6, (int64_t[]){889, 2000, 5000, 3000, 4000}, -111, 14889);
    expect_totals_add_up(&rep);

    gj_test_must(gj_cash_report(f->db, gj_test_at("2026-11-28T00:00"), &rep, &err), &err);
    assert_int_equal(rep.day, gj_test_at("2026-11-28T00:00"));
    assert_int_equal(rep.n_rows, 1);
    expect_cash(&rep.rows[0], f->wang, "王管家", 1, (int64_t[]){111, 0, 0, 0, 0}, 0, 111);
    expect_totals_add_up(&rep);
    gj_test_must(gj_cash_report(f->db, gj_test_at("2026-11-30T08:00"), &rep, &err), &err);
    assert_int_equal(rep.n_rows, 1);
    expect_cash(&rep.rows[0], f->li, "李会计", 1, (int64_t[]){6000, 0, 0, 0, 0}, 0, 6000);

    /* The fixture's day: Wang took 300 cash and 700 by Alipay; Li took
     * 500 by WeChat and reversed Wang's 700 (by Alipay, as it was paid). */
    gj_test_must(gj_cash_report(f->db, gj_test_at("2026-11-20T10:00"), &rep, &err), &err);
    assert_int_equal(rep.n_rows, 2);
    expect_cash(&rep.rows[0], f->wang, "王管家", 2, (int64_t[]){30000, 0, 70000, 0, 0}, 0, 100000);
    expect_cash(&rep.rows[1], f->li, "李会计", 2, (int64_t[]){0, 50000, -70000, 0, 0}, -70000,
                -20000);
    expect_cash(&rep.all, 0, "", 4, (int64_t[]){30000, 50000, 0, 0, 0}, -70000, 80000);
    expect_totals_add_up(&rep);
    /* ... which the printed report takes as it is */
    char *text = NULL;
    gj_test_must(gj_cash_report_render(&rep, &text, &err), &err);
    assert_non_null(strstr(text, "王管家"));
    free(text);

    /* a day without payments */
    gj_test_must(gj_cash_report(f->db, gj_test_at("2026-11-01T00:00"), &rep, &err), &err);
    assert_int_equal(rep.n_rows, 0);
    assert_int_equal(rep.all.count, 0);
    assert_int_equal(rep.all.total_fen, 0);
}

/* ---- the collection rate -------------------------------------------------- */

static void test_collection(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_collection c;
    /* 2026: A's 11,111,111, B's 100,000 (30,000 paid: the reversed payment
     * counts for nothing), C's 50,000 paid, F's 70,000, G's 50,000 paid,
     * E's 50,000; D's bill is of 2025. */
    gj_test_must(gj_collection(f->db, 202601, 202612, 0, &c, &err), &err);
    assert_int_equal(c.building, 0);
    assert_int_equal(c.billed_fen, 11111111 + 100000 + 50000 + 70000 + 50000 + 50000);
    assert_int_equal(c.collected_fen, 30000 + 50000 + 50000);
    /* inclusive months */
    gj_test_must(gj_collection(f->db, 202606, 202610, 0, &c, &err), &err);
    assert_int_equal(c.billed_fen, 150000);
    assert_int_equal(c.collected_fen, 130000);
    gj_test_must(gj_collection(f->db, 202510, 202510, 0, &c, &err), &err);
    assert_int_equal(c.billed_fen, 100);
    assert_int_equal(c.collected_fen, 0);
    /* one building */
    gj_test_must(gj_collection(f->db, 202601, 202612, 1, &c, &err), &err);
    assert_int_equal(c.building, 1);
    assert_int_equal(c.billed_fen, 11111111 + 100000 + 50000);
    assert_int_equal(c.collected_fen, 80000);
    gj_test_must(gj_collection(f->db, 202601, 202612, 3, &c, &err), &err);
    assert_int_equal(c.billed_fen, 100000);
    assert_int_equal(c.collected_fen, 50000);

    /* by building: every building, also one without bills in the range */
    struct gj_collection rows[8];
    int n = -1;
    gj_test_must(gj_collection_by_building(f->db, 202601, 202612, rows, 8, &n, &err), &err);
    assert_int_equal(n, 3);
    int64_t billed = 0, collected = 0;
    for (int i = 0; i < n; i++) {
        assert_int_equal(rows[i].building, i + 1);
        billed += rows[i].billed_fen;
        collected += rows[i].collected_fen;
    }
    assert_int_equal(rows[0].billed_fen, 11111111 + 100000 + 50000);
    assert_int_equal(rows[0].collected_fen, 80000);
    assert_int_equal(rows[1].billed_fen, 70000);
    assert_int_equal(rows[1].collected_fen, 0);
    assert_int_equal(rows[2].billed_fen, 100000);
    assert_int_equal(rows[2].collected_fen, 50000);
    gj_test_must(gj_collection(f->db, 202601, 202612, 0, &c, &err), &err);
    assert_int_equal(billed, c.billed_fen);
    assert_int_equal(collected, c.collected_fen);
    gj_test_must(gj_collection_by_building(f->db, 202510, 202510, rows, 8, &n, &err), &err);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].billed_fen, 0);
    assert_int_equal(rows[1].billed_fen, 100);
    assert_int_equal(rows[2].billed_fen, 0);
    gj_test_must(gj_collection_by_building(f->db, 202601, 202612, rows, 2, &n, &err), &err);
    assert_int_equal(n, 2);

    /* refused */
    assert_int_equal(gj_collection(f->db, 202613, 202612, 0, &c, &err), GJ_EINVAL);
    assert_int_equal(gj_collection(f->db, 202611, 202610, 0, &c, &err), GJ_EINVAL);
    assert_int_equal(gj_collection(f->db, 202601, 202612, 1000, &c, &err), GJ_EINVAL);
    assert_int_equal(gj_collection_by_building(f->db, 202601, 0, rows, 8, &n, &err), GJ_EINVAL);
}

/* ---- the demo estate ------------------------------------------------------ */

/* `guanjia demo` leaves units in arrears, in every order, that the totals
 * add up; promises falling due; a cash report that prints. */
static void test_demo_estate(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/demo.db", dir);
    int status = gj_test_cmd(gj_test_fixed_now, NULL, "--db", path, "demo", NULL);
    if (status != 0)
        fail_msg("guanjia demo: %d: %s", status, gj_test_err);
    struct gj_db *db = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(path, GJ_DB_READONLY, &db, &err), &err);
    int64_t now = gj_test_at("2026-11-29T09:00");
    int64_t units = 0, total = 0, b[4];
    gj_test_must(gj_arrears_totals(db, now, 0, &units, &total, b, &err), &err);
    assert_true(units > 20);
    assert_true(total > 0);
    assert_true(b[0] > 0 && b[1] > 0 && b[2] > 0);
    for (int sort = GJ_ARREARS_BY_AMOUNT; sort <= GJ_ARREARS_BY_BUILDING; sort++) {
        static struct gj_arrears_row rows[20];
        int n = 0, offset = 0, seen = 0;
        int64_t sum = 0;
        do {
            gj_test_must(
                gj_arrears_list(db, now, (enum gj_arrears_sort)sort, 0, offset, 20, rows, &n, &err),
                &err);
            for (int i = 0; i < n; i++) {
                assert_true(rows[i].total_fen > 0);
                assert_true(rows[i].oldest_due_at < now);
                sum += rows[i].total_fen;
            }
            seen += n;
            offset += n;
        } while (n == 20);
        assert_int_equal(seen, units);
        assert_int_equal(sum, total);
    }
    static struct gj_promise_row promises[8];
    int n = 0;
    gj_test_must(gj_dunning_promises_due(db, now + 10 * DAY, 8, promises, &n, &err), &err);
    assert_true(n > 0);
    gj_db_close(db);
    gj_test_rmtree(dir);
}

int main(void)
{
    setenv("TZ", "CST-8", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unit_buckets_at_the_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_sorted_filtered_paged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_totals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_promises_due, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cash_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_collection, setup, teardown),
        cmocka_unit_test(test_demo_estate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
