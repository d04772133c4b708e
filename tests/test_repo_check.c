/* repo/check.c and repo/bulk.c: the invariants catch what they claim to,
 * and a bulk load is all or nothing with one audit row. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/repo_bulk.h"
#include "guanjia/repo_check.h"
#include "guanjia/repo_owners.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct report {
    int n;
    char failed[16][128];
    int n_failed;
};

static void collect(const struct gj_check_result *r, void *ctx)
{
    struct report *rep = ctx;
    rep->n++;
    if (r->problems && rep->n_failed < 16)
        snprintf(rep->failed[rep->n_failed++], 128, "%s", r->name);
}

static int failed_named(const struct report *rep, const char *name)
{
    for (int i = 0; i < rep->n_failed; i++)
        if (strstr(rep->failed[i], name))
            return 1;
    return 0;
}

static void exec_ok(struct gj_db *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

/* A small ledger: one unit, one bill, one payment allocated to it. */
static struct gj_db *ledger(void)
{
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    struct gj_unit u = {
        .building = 1, .entrance = 1, .room = 101, .area_centi_m2 = 10000, .delivered_at = 1};
    assert_int_equal(gj_unit_create(db, 0, &u, &err), GJ_OK);
    exec_ok(db, "INSERT INTO fee_items(name, kind, rate_fen, active_from, created_at, "
                "updated_at) VALUES ('物业费', 'per_m2', 280, 202601, 1, 1)");
    struct gj_bill b = {.unit_id = u.id,
                        .fee_item_id = 1,
                        .period = 202611,
                        .quantity = 10000,
                        .rate_fen = 280,
                        .amount_fen = 28000,
                        .due_at = 2,
                        .created_at = 1};
    assert_int_equal(gj_bulk_bill(db, &b, &err), GJ_OK);
    struct gj_payment p = {.unit_id = u.id,
                           .payer_name = "张三",
                           .method = "cash",
                           .amount_fen = 30000,
                           .created_at = 3};
    struct gj_allocation a = {.bill_id = b.id, .amount_fen = 28000};
    assert_int_equal(gj_bulk_payment(db, &p, &a, 1, &err), GJ_OK);
    assert_int_equal(p.receipt_no, 1);
    return db;
}

static struct report run_check(struct gj_db *db)
{
    struct report rep;
    memset(&rep, 0, sizeof rep);
    int failures = -1;
    struct gj_error err;
    assert_int_equal(gj_check_run(db, collect, &rep, &failures, &err), GJ_OK);
    assert_int_equal(failures, rep.n_failed);
    assert_true(rep.n >= 10);
    return rep;
}

static void test_clean_ledger_passes(void **state)
{
    (void)state;
    struct gj_db *db = ledger();
    struct report rep = run_check(db);
    assert_int_equal(rep.n_failed, 0);
    gj_db_close(db);
}

static void test_paid_not_matching_allocations(void **state)
{
    (void)state;
    struct gj_db *db = ledger();
    exec_ok(db, "UPDATE bills SET paid_fen = 100, version = version + 1");
    struct report rep = run_check(db);
    assert_true(failed_named(&rep, "equals its allocations"));
    gj_db_close(db);
}

static void test_receipt_gap(void **state)
{
    (void)state;
    struct gj_db *db = ledger();
    exec_ok(db, "UPDATE receipt_counter SET last_no = last_no + 2");
    struct report rep = run_check(db);
    assert_true(failed_named(&rep, "no gaps"));
    assert_int_equal(rep.n_failed, 1);
    gj_db_close(db);
}

static void test_orphans_and_events(void **state)
{
    (void)state;
    struct gj_db *db = ledger();
    exec_ok(db, "PRAGMA foreign_keys = OFF");
    exec_ok(db, "INSERT INTO unit_persons(unit_id, person_id, relation, created_at, "
                "updated_at) VALUES (1, 999, 'owner', 1, 1)");
    exec_ok(db, "INSERT INTO work_orders(channel, category, priority, description, "
                "respond_due_at, resolve_due_at, created_at, updated_at) VALUES "
                "('phone', 'repair', 'high', 'leak', 10, 20, 1, 1)");
    exec_ok(db, "INSERT INTO complaints(channel, subject, detail, category, grade, level, "
                "ack_due_at, resolve_due_at, created_at, updated_at) VALUES "
                "('phone', 's', 'd', 'noise', 'serious', 1, 10, 20, 1, 1)");
    exec_ok(db, "INSERT INTO bulk_load(note) VALUES ('crashed import')");
    struct report rep = run_check(db);
    assert_true(failed_named(&rep, "orphaned"));
    assert_true(failed_named(&rep, "work order has its opening event"));
    assert_true(failed_named(&rep, "complaint has its opening event"));
    assert_true(failed_named(&rep, "below its grade"));
    assert_true(failed_named(&rep, "bulk load"));
    gj_db_close(db);
}

static void test_bulk_is_all_or_nothing(void **state)
{
    (void)state;
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    /* Rolled back: nothing stays, not even the marker. */
    assert_int_equal(gj_bulk_begin(db, "test", &err), GJ_OK);
    struct gj_unit u = {
        .building = 1, .entrance = 1, .room = 101, .area_centi_m2 = 10000, .delivered_at = 1};
    assert_int_equal(gj_unit_create(db, 0, &u, &err), GJ_OK);
    assert_int_equal(gj_bulk_end(db, 0, "{}", 0, &err), GJ_OK);
    struct gj_estate_counts c;
    assert_int_equal(gj_estate_count(db, &c, &err), GJ_OK);
    assert_int_equal(c.units, 0);
    assert_int_equal(c.audit_rows, 0);
    /* Committed: the rows, and one bulk audit row instead of one per row. */
    assert_int_equal(gj_bulk_begin(db, "test", &err), GJ_OK);
    for (int r = 1; r <= 5; r++) {
        struct gj_unit v = {.building = 1,
                            .entrance = 1,
                            .room = 100 + r,
                            .area_centi_m2 = 10000,
                            .delivered_at = 1};
        assert_int_equal(gj_unit_create(db, 0, &v, &err), GJ_OK);
    }
    assert_int_equal(gj_bulk_end(db, 0, "{\"units\":5}", 1, &err), GJ_OK);
    assert_int_equal(gj_estate_count(db, &c, &err), GJ_OK);
    assert_int_equal(c.units, 5);
    assert_int_equal(c.audit_rows, 1);
    struct report rep = run_check(db);
    assert_int_equal(rep.n_failed, 0);
    /* After the load, writes are audited row by row again. */
    struct gj_unit w = {
        .building = 2, .entrance = 1, .room = 101, .area_centi_m2 = 10000, .delivered_at = 1};
    assert_int_equal(gj_unit_create(db, 0, &w, &err), GJ_OK);
    assert_int_equal(gj_estate_count(db, &c, &err), GJ_OK);
    assert_int_equal(c.audit_rows, 2);
    gj_db_close(db);
}

/* A load whose bills disagree with its allocations is refused whole. */
static void test_bulk_refuses_bad_ledger(void **state)
{
    (void)state;
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    assert_int_equal(gj_bulk_begin(db, "test", &err), GJ_OK);
    struct gj_unit u = {
        .building = 1, .entrance = 1, .room = 101, .area_centi_m2 = 10000, .delivered_at = 1};
    assert_int_equal(gj_unit_create(db, 0, &u, &err), GJ_OK);
    exec_ok(db, "INSERT INTO fee_items(name, kind, rate_fen, active_from, created_at, "
                "updated_at) VALUES ('物业费', 'per_m2', 280, 202601, 1, 1)");
    struct gj_bill b = {.unit_id = u.id,
                        .fee_item_id = 1,
                        .period = 202611,
                        .quantity = 10000,
                        .rate_fen = 280,
                        .amount_fen = 28000,
                        .paid_fen = 28000,
                        .due_at = 2,
                        .created_at = 1};
    assert_int_equal(gj_bulk_bill(db, &b, &err), GJ_OK);
    struct gj_payment p = {.unit_id = u.id,
                           .payer_name = "张三",
                           .method = "cash",
                           .amount_fen = 20000,
                           .created_at = 3};
    struct gj_allocation a = {.bill_id = b.id, .amount_fen = 20000}; /* not 28000 */
    assert_int_equal(gj_bulk_payment(db, &p, &a, 1, &err), GJ_OK);
    assert_int_equal(gj_bulk_end(db, 0, "{}", 1, &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "allocations"));
    struct gj_estate_counts c;
    assert_int_equal(gj_estate_count(db, &c, &err), GJ_OK);
    assert_int_equal(c.units, 0);
    assert_int_equal(c.payments, 0);
    /* Foreign keys are enforced again afterwards. */
    assert_int_not_equal(sqlite3_exec(db->h,
                                      "INSERT INTO unit_persons(unit_id, person_id, relation, "
                                      "created_at, updated_at) VALUES (77, 88, 'owner', 1, 1)",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    gj_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_ledger_passes),
        cmocka_unit_test(test_paid_not_matching_allocations),
        cmocka_unit_test(test_receipt_gap),
        cmocka_unit_test(test_orphans_and_events),
        cmocka_unit_test(test_bulk_is_all_or_nothing),
        cmocka_unit_test(test_bulk_refuses_bad_ledger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
