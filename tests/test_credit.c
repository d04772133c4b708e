/* A unit's credit (an overpayment) settles its later bills when applied:
 * as new allocations of the payment that brought it, so that the payment,
 * its reversal and `check` still add up. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/db.h"
#include "guanjia/repo_check.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void show_failure(const struct gj_check_result *r, void *ctx)
{
    (void)ctx;
    if (r->problems)
        print_message("check: %s: %s\n", r->name, r->example);
}

static void test_credit_settles_later_bills(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct gj_db *db = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), &err);
    struct gj_unit u = {
        .building = 3, .entrance = 2, .room = 501, .area_centi_m2 = 10000, .delivered_at = 1};
    snprintf(u.status, sizeof u.status, "%s", "occupied");
    gj_test_must(gj_unit_create(db, 0, &u, &err), &err);
    struct gj_fee_item item = {.rate_fen = 300, .active_from = 202601};
    snprintf(item.name, sizeof item.name, "%s", "物业费");
    snprintf(item.kind, sizeof item.kind, "%s", "per_m2");
    gj_test_must(gj_fee_item_create(db, 0, &item, &err), &err);
    struct gj_bill oct = {.unit_id = u.id, .fee_item_id = item.id, .period = 202610};
    gj_test_must(gj_bill_create(db, 0, &oct, &err), &err); /* ¥300.00 */

    /* ¥500.00 for a ¥300.00 bill: ¥200.00 credit. */
    struct gj_payment p = {.unit_id = u.id, .amount_fen = 50000};
    snprintf(p.payer_name, sizeof p.payer_name, "%s", "张三");
    snprintf(p.method, sizeof p.method, "%s", "cash");
    int64_t credit = 0;
    gj_test_must(gj_payment_take(db, 0, &p, NULL, 0, NULL, NULL, &credit, &err), &err);
    assert_int_equal(credit, 20000);

    /* Nothing owed: nothing applied, the credit stays. */
    int64_t applied = -1;
    gj_test_must(gj_unit_apply_credit(db, 0, u.id, &applied, &err), &err);
    assert_int_equal(applied, 0);

    /* November and December's bills: the credit pays November and part of
     * December, oldest first. */
    struct gj_bill nov = {.unit_id = u.id, .fee_item_id = item.id, .period = 202611};
    struct gj_bill dec = {.unit_id = u.id, .fee_item_id = item.id, .period = 202612};
    gj_test_must(gj_bill_create(db, 0, &nov, &err), &err);
    gj_test_must(gj_bill_create(db, 0, &dec, &err), &err);
    gj_test_must(gj_unit_apply_credit(db, 0, u.id, &applied, &err), &err);
    assert_int_equal(applied, 20000);
    struct gj_bill got;
    gj_test_must(gj_bill_get(db, nov.id, &got, &err), &err);
    assert_int_equal(got.paid_fen, 20000); /* ¥300 bill, ¥200 of credit */
    gj_test_must(gj_bill_get(db, dec.id, &got, &err), &err);
    assert_int_equal(got.paid_fen, 0);
    gj_test_must(gj_unit_credit(db, u.id, &credit, &err), &err);
    assert_int_equal(credit, 0);
    int64_t due = 0;
    gj_test_must(gj_unit_due(db, u.id, &due, &err), &err);
    assert_int_equal(due, 10000 + 30000);
    /* Applying again finds nothing to use. */
    gj_test_must(gj_unit_apply_credit(db, 0, u.id, &applied, &err), &err);
    assert_int_equal(applied, 0);
    int failures = 0;
    gj_test_must(gj_check_bookkeeping(db, show_failure, NULL, &failures, &err), &err);
    assert_int_equal(failures, 0);

    /* Reversing the payment takes back all it paid, the credit used too. */
    struct gj_payment rev;
    gj_test_must(gj_payment_reverse(db, 0, p.id, "收错房号", &rev, &err), &err);
    gj_test_must(gj_bill_get(db, nov.id, &got, &err), &err);
    assert_int_equal(got.paid_fen, 0);
    gj_test_must(gj_bill_get(db, oct.id, &got, &err), &err);
    assert_int_equal(got.paid_fen, 0);
    gj_test_must(gj_unit_credit(db, u.id, &credit, &err), &err);
    assert_int_equal(credit, 0);
    /* A reversed payment lends no credit. */
    gj_test_must(gj_unit_apply_credit(db, 0, u.id, &applied, &err), &err);
    assert_int_equal(applied, 0);
    failures = 0;
    gj_test_must(gj_check_bookkeeping(db, show_failure, NULL, &failures, &err), &err);
    assert_int_equal(failures, 0);
    gj_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_credit_settles_later_bills)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
