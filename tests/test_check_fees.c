/* guanjia check, the fee rules: each corrupted with raw SQL, and the check
 * fails naming the rule (and only the rules that corruption breaks):
 * - a payment's allocations plus its credit equal its amount (nothing
 *   allocated beyond the payment, nothing negative);
 * - what is paid on a bill is between 0 and the bill;
 * - receipt numbers are unique and run from 1 without gaps;
 * - a reversal is minus its payment, and its allocations mirror the
 *   payment's bill by bill. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/repo_billing.h"
#include "guanjia/repo_check.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct report {
    int n;
    char failed[32][128];
    char example[32][256];
    int n_failed;
};

static void collect(const struct gj_check_result *r, void *ctx)
{
    struct report *rep = ctx;
    rep->n++;
    if (r->problems && rep->n_failed < 32) {
        snprintf(rep->failed[rep->n_failed], 128, "%s", r->name);
        snprintf(rep->example[rep->n_failed], 256, "%s", r->example);
        rep->n_failed++;
    }
}

/* The example of the failed rule named like name, or NULL if it passed. */
static const char *failed_named(const struct report *rep, const char *name)
{
    for (int i = 0; i < rep->n_failed; i++)
        if (strstr(rep->failed[i], name))
            return rep->example[i];
    return NULL;
}

static void exec_ok(struct gj_db *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

static struct report run_check(struct gj_db *db)
{
    struct report rep;
    memset(&rep, 0, sizeof rep);
    int failures = -1;
    struct gj_error err;
    gj_test_must(gj_check_run(db, collect, &rep, &failures, &err), &err);
    assert_int_equal(failures, rep.n_failed);
    return rep;
}

/* A ledger made the way the desk makes it: one unit billed for two months
 * (bills 1 and 2), payment 1 (receipt 1) of 400.00 settling both with
 * 120.00 left as credit, then reversed (payment 2, receipt 2), then
 * payment 3 (receipt 3) of 100.00 on bill 1. */
static struct gj_db *ledger(const char *path)
{
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct gj_db *db = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(path, GJ_DB_CREATE, &db, &err), &err);
    struct gj_unit u = {.building = 1,
                        .entrance = 1,
                        .room = 101,
                        .floor = 1,
                        .area_centi_m2 = 10000,
                        .delivered_at = 1};
    gj_test_must(gj_unit_create(db, 0, &u, &err), &err);
    struct gj_fee_item f = {
        .name = "物业费", .kind = "per_m2", .rate_fen = 140, .active_from = 202601};
    gj_test_must(gj_fee_item_create(db, 0, &f, &err), &err);
    struct gj_billing_result res;
    gj_test_must(gj_billing_run(db, 0, GJ_ROLE_MANAGER, 202610, NULL, NULL, &res, &err), &err);
    gj_test_must(gj_billing_run(db, 0, GJ_ROLE_MANAGER, 202611, NULL, NULL, &res, &err), &err);
    struct gj_payment p = {
        .unit_id = u.id, .payer_name = "张三", .method = "cash", .amount_fen = 40000};
    gj_test_must(gj_payment_take(db, 0, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    gj_test_must(gj_payment_reverse(db, 0, p.id, "收错了", NULL, &err), &err);
    struct gj_payment p3 = {
        .unit_id = u.id, .payer_name = "张三", .method = "cash", .amount_fen = 10000};
    gj_test_must(gj_payment_take(db, 0, &p3, NULL, 0, NULL, NULL, NULL, &err), &err);
    return db;
}

static void test_clean_ledger_passes(void **state)
{
    (void)state;
    struct gj_db *db = ledger(":memory:");
    struct report rep = run_check(db);
    if (rep.n_failed)
        fail_msg("%s: %s", rep.failed[0], rep.example[0]);
    assert_true(rep.n >= 14);
    gj_db_close(db);
}

/* A payment allocating more than it brought: its credit would be negative. */
static void test_allocations_beyond_payment(void **state)
{
    (void)state;
    struct gj_db *db = ledger(":memory:");
    /* Receipt 3 (100.00) settles bill 2 too, for 100.00 more. */
    exec_ok(db, "INSERT INTO payment_allocations(payment_id, bill_id, amount_fen) "
                "VALUES (3, 2, 10000)");
    struct report rep = run_check(db);
    const char *ex = failed_named(&rep, "allocations match their payments");
    assert_non_null(ex);
    assert_non_null(strstr(ex, "receipt 3"));
    assert_int_equal(rep.n_failed, 1);
    gj_db_close(db);
}

/* A payment allocating a negative amount: credit beyond the payment. */
static void test_negative_allocation(void **state)
{
    (void)state;
    struct gj_db *db = ledger(":memory:");
    exec_ok(db, "INSERT INTO bulk_load(note) VALUES ('test')");
    exec_ok(db, "INSERT INTO payment_allocations(payment_id, bill_id, amount_fen) "
                "VALUES (3, 2, -20000)");
    exec_ok(db, "DELETE FROM bulk_load");
    exec_ok(db, "PRAGMA ignore_check_constraints = ON");
    exec_ok(db, "UPDATE bills SET paid_fen = -20000, version = version + 1 WHERE id = 2");
    struct report rep = run_check(db);
    assert_non_null(failed_named(&rep, "allocations match their payments"));
    assert_non_null(failed_named(&rep, "no bill is paid beyond its amount"));
    gj_db_close(db);
}

/* What is paid on a bill must stay between 0 and the bill. */
static void test_paid_beyond_bill(void **state)
{
    (void)state;
    struct gj_db *db = ledger(":memory:");
    exec_ok(db, "PRAGMA ignore_check_constraints = ON");
    /* Receipt 4 pays bill 2 (140.00) 140.01, through the database's own
     * trigger: the payment and the allocations agree, the bill is overpaid. */
    exec_ok(db, "INSERT INTO payments(receipt_no, unit_id, payer_name, method, amount_fen, "
                "created_at) VALUES (4, 1, '张三', 'cash', 14001, 9)");
    exec_ok(db, "INSERT INTO payment_allocations(payment_id, bill_id, amount_fen) "
                "VALUES (4, 2, 14001)");
    exec_ok(db, "UPDATE receipt_counter SET last_no = 4");
    struct report rep = run_check(db);
    const char *ex = failed_named(&rep, "no bill is paid beyond its amount");
    assert_non_null(ex);
    assert_non_null(strstr(ex, "bill 2: paid 14001 of 14000"));
    if (rep.n_failed != 1)
        fail_msg("also failed: %s (%s)", rep.failed[0], rep.example[0]);
    gj_db_close(db);
}

/* Two payments with one receipt number: the schema forbids it, so the
 * file is doctored as a broken tool would leave it (the unique index
 * dropped behind SQLite's back). */
static void test_duplicate_receipt(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s", gj_test_path(dir, "ledger.db"));
    struct gj_db *db = ledger(path);
    exec_ok(db, "PRAGMA writable_schema = ON");
    exec_ok(db, "UPDATE sqlite_schema SET sql = replace(replace(sql, "
                "'receipt_no INTEGER NOT NULL UNIQUE', 'receipt_no INTEGER NOT NULL'), "
                "'reverses_payment_id INTEGER UNIQUE', 'reverses_payment_id INTEGER') "
                "WHERE name = 'payments'");
    exec_ok(db, "DELETE FROM sqlite_schema WHERE name LIKE 'sqlite_autoindex_payments_%'");
    exec_ok(db, "PRAGMA writable_schema = OFF");
    gj_db_close(db);
    struct gj_error err;
    db = NULL;
    gj_test_must(gj_db_open(path, 0, &db, &err), &err);
    exec_ok(db, "VACUUM"); /* drops the pages of the indexes left behind */
    exec_ok(db, "INSERT INTO payments(receipt_no, unit_id, payer_name, method, amount_fen, "
                "created_at) VALUES (3, 1, '李四', 'cash', 500, 5)");
    exec_ok(db, "UPDATE receipt_counter SET last_no = 4");
    struct report rep = run_check(db);
    const char *ex = failed_named(&rep, "receipt numbers are unique");
    assert_non_null(ex);
    assert_non_null(strstr(ex, "receipt 3"));
    /* 4 receipts and the last issued is 4, but there is no receipt 4. */
    assert_non_null(failed_named(&rep, "no gaps"));
    assert_null(failed_named(&rep, "database file integrity"));
    gj_db_close(db);
    gj_test_rmtree(dir);
}

/* A receipt number taken and never used. */
static void test_receipt_gap(void **state)
{
    (void)state;
    struct gj_db *db = ledger(":memory:");
    exec_ok(db, "UPDATE receipt_counter SET last_no = last_no + 1");
    struct report rep = run_check(db);
    const char *ex = failed_named(&rep, "receipt numbers run from 1 with no gaps");
    assert_non_null(ex);
    assert_non_null(strstr(ex, "last issued 4, receipts 3"));
    assert_int_equal(rep.n_failed, 1);
    gj_db_close(db);
}

/* A reversal for less than its payment. */
static void test_reversal_amount(void **state)
{
    (void)state;
    struct gj_db *db = ledger(":memory:");
    exec_ok(db, "INSERT INTO payments(receipt_no, unit_id, payer_name, method, amount_fen, "
                "reverses_payment_id, reason, created_at) VALUES "
                "(4, 1, '张三', 'cash', -5000, 3, '部分退款', 9)");
    exec_ok(db, "UPDATE receipt_counter SET last_no = 4");
    struct report rep = run_check(db);
    const char *ex = failed_named(&rep, "a reversal undoes exactly its payment");
    assert_non_null(ex);
    assert_non_null(strstr(ex, "receipt 4"));
    gj_db_close(db);
}

/* A reversal of the right amount whose allocations do not mirror the
 * payment's: payment 4 paid bill 1 40.00 and bill 2 140.00; its reversal
 * takes 140.00 back from bill 1 and 40.00 from bill 2. Every total still
 * agrees; only the rule on mirrored allocations sees it. */
static void test_reversal_not_mirrored(void **state)
{
    (void)state;
    struct gj_db *db = ledger(":memory:");
    exec_ok(db, "INSERT INTO bulk_load(note) VALUES ('test')"); /* triggers quiet */
    exec_ok(db, "INSERT INTO payments(receipt_no, unit_id, payer_name, method, amount_fen, "
                "created_at) VALUES (4, 1, '张三', 'cash', 18000, 9)");
    exec_ok(db, "INSERT INTO payment_allocations(payment_id, bill_id, amount_fen) "
                "VALUES (4, 1, 4000), (4, 2, 14000)");
    exec_ok(db, "INSERT INTO payments(receipt_no, unit_id, payer_name, method, amount_fen, "
                "reverses_payment_id, reason, created_at) VALUES "
                "(5, 1, '张三', 'cash', -18000, 4, '冲正', 10)");
    exec_ok(db, "INSERT INTO payment_allocations(payment_id, bill_id, amount_fen) "
                "VALUES (5, 1, -14000), (5, 2, -4000)");
    /* Bill 1 was paid 100.00 (receipt 3): +40.00 -140.00 = 0; bill 2: +140.00 -40.00. */
    exec_ok(db, "UPDATE bills SET paid_fen = 0, version = version + 1 WHERE id = 1");
    exec_ok(db, "UPDATE bills SET paid_fen = 10000, version = version + 1 WHERE id = 2");
    exec_ok(db, "DELETE FROM bulk_load");
    exec_ok(db, "UPDATE receipt_counter SET last_no = 5");
    struct report rep = run_check(db);
    const char *ex = failed_named(&rep, "a reversal's allocations mirror its payment's");
    assert_non_null(ex);
    assert_non_null(strstr(ex, "receipt 5"));
    if (rep.n_failed != 1)
        fail_msg("also failed: %s (%s)", rep.failed[0], rep.example[0]);
    gj_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_ledger_passes),
        cmocka_unit_test(test_allocations_beyond_payment),
        cmocka_unit_test(test_negative_allocation),
        cmocka_unit_test(test_paid_beyond_bill),
        cmocka_unit_test(test_duplicate_receipt),
        cmocka_unit_test(test_receipt_gap),
        cmocka_unit_test(test_reversal_amount),
        cmocka_unit_test(test_reversal_not_mirrored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
