/* The arrears list by amount and by age, paged (gj_arrears_list), holds
 * exactly the units a plain sort of every unit's arrears gives, in the same
 * order, page after page: also where totals tie across a page's edge (the
 * list looks up only the units at least as far up as the page's last),
 * whether it reads them from the arrears kept by unit (migration 14) or,
 * with those set aside, adds up the bills. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_fee_reports.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_UNITS 2000

static const char *dir;
static char path[700];
static struct gj_db *db;

static int setup(void **state)
{
    (void)state;
    if (gj_test_demo_db(&dir, path, sizeof path) != 0)
        return -1;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct gj_error err;
    if (gj_db_open(path, 0, &db, &err) != GJ_OK)
        return -1;
    /* Ties: twelve units in arrears, spread over the buildings, owe the
     * same, 12.34 yuan on one bill due the same day (the others paid up),
     * so that both sorts fall back on the unit code. */
    gj_test_exec(db->h, "CREATE TEMP TABLE tied AS SELECT min(id) AS bill, unit_id FROM bills "
                        "WHERE paid_fen < amount_fen AND amount_fen > 1234 AND due_at = "
                        "(SELECT due_at FROM bills WHERE paid_fen < amount_fen AND due_at < "
                        "(SELECT max(due_at) FROM bills) GROUP BY due_at ORDER BY count(*) DESC, "
                        "due_at LIMIT 1) GROUP BY unit_id ORDER BY (unit_id * 7919) % 1009 "
                        "LIMIT 12");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h,
                           "SELECT count(DISTINCT u.building), count(*) FROM tied t "
                           "JOIN units u ON u.id = t.unit_id",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) < 3 ||
        sqlite3_column_int(st, 1) != 12) {
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    gj_test_exec(db->h, "UPDATE bills SET paid_fen = amount_fen - 1234, version = version + 1 "
                        "WHERE id IN (SELECT bill FROM tied)");
    gj_test_exec(db->h, "UPDATE bills SET paid_fen = amount_fen, version = version + 1 "
                        "WHERE paid_fen < amount_fen AND unit_id IN (SELECT unit_id FROM tied) "
                        "AND id NOT IN (SELECT bill FROM tied)");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gj_db_close(db);
    gj_test_rmtree(dir);
    return 0;
}

/* The units in arrears at now, sorted plainly by order. */
static int reference(const char *order, int64_t *ids)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT x.unit_id FROM (SELECT unit_id, sum(amount_fen - paid_fen) AS total, "
             "min(due_at) AS oldest_due FROM bills WHERE paid_fen < amount_fen AND due_at < %lld "
             "GROUP BY unit_id) AS x JOIN units u ON u.id = x.unit_id ORDER BY %s",
             (long long)gj_now(), order);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), SQLITE_OK);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < MAX_UNITS)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void check_sort(enum gj_arrears_sort sort, const char *order)
{
    static int64_t want[MAX_UNITS];
    int n = reference(order, want);
    assert_true(n > 30);
    struct gj_arrears_row page[7];
    struct gj_error err;
    /* Pages of 7, and pages that start at every offset near the ties. */
    for (int limit = 7; limit >= 1; limit -= 6) {
        int seen = 0;
        for (int offset = 0; offset < n + limit; offset += limit) {
            int got = 0;
            gj_test_must(gj_arrears_list(db, gj_now(), sort, 0, offset, limit, page, &got, &err),
                         &err);
            for (int i = 0; i < got; i++)
                assert_int_equal(page[i].unit_id, want[offset + i]);
            seen += got;
            if (limit == 1 && offset > 40)
                break;
        }
        if (limit == 7)
            assert_int_equal(seen, n);
    }
}

/* Both ways: from the arrears kept by unit, then with them set aside (their
 * moment moved to 0, so that the list adds up the bills). */
static void check_both_ways(enum gj_arrears_sort sort, const char *order)
{
    check_sort(sort, order);
    gj_test_exec(db->h, "CREATE TEMP TABLE kept_at AS SELECT at FROM arrears_asof");
    gj_test_exec(db->h, "UPDATE arrears_asof SET at = 0");
    check_sort(sort, order);
    gj_test_exec(db->h, "UPDATE arrears_asof SET at = (SELECT at FROM kept_at)");
    gj_test_exec(db->h, "DROP TABLE kept_at");
}

static void test_pages_by_amount(void **state)
{
    (void)state;
    check_both_ways(GJ_ARREARS_BY_AMOUNT, "x.total DESC, u.building, u.entrance, u.room");
}

static void test_pages_by_age(void **state)
{
    (void)state;
    check_both_ways(GJ_ARREARS_BY_AGE,
                    "x.oldest_due, x.total DESC, u.building, u.entrance, u.room");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_by_amount),
        cmocka_unit_test(test_pages_by_age),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
