/* Opening balances (期初欠费): the CSV rules in core (core/import_bills.c),
 * the writing in the repository (repo/import_bills.c) and `guanjia import
 * bills` through the binary: all or nothing, every bad line reported as
 * FILE:LINE: COLUMN: WHY, UTF-8 with or without a BOM or GBK, English or
 * Chinese headers, duplicates refused with their line, what was already
 * paid settled by a carry-over payment that keeps the books balanced. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/import_bills.h"
#include "guanjia/repo_billing.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* run(arguments..., NULL), the clock fixed */
#define run(...) gj_test_cmd(gj_test_fixed_now, NULL, __VA_ARGS__)

/* ---- core: the lines ------------------------------------------------------ */

struct reports {
    int n;
    long line[32];
    char column[32][64];
    char why[32][256];
};

static void collect(void *ctx, long line, const char *column, const char *why)
{
    struct reports *r = ctx;
    if (r->n < 32) {
        r->line[r->n] = line;
        snprintf(r->column[r->n], sizeof r->column[0], "%s", column);
        snprintf(r->why[r->n], sizeof r->why[0], "%s", why);
    }
    r->n++;
}

static void test_period_parse(void **state)
{
    (void)state;
    struct gj_error err;
    const struct {
        const char *text;
        int month;
    } good[] = {{"2026-10", 202610},    {"2026-1", 202601},       {"2026/10", 202610},
                {"2026.10", 202610},    {"202610", 202610},       {"2026年10月", 202610},
                {"2026年1月", 202601},  {" 2026-10 ", 202610},    {"2026/10/1", 202610},
                {"2026-10-01", 202610}, {"2026年10月1日", 202610}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int m = 0;
        if (gj_bill_period_parse(good[i].text, &m, &err) != GJ_OK)
            fail_msg("%s: %s", good[i].text, err.msg);
        assert_int_equal(m, good[i].month);
    }
    const char *bad[] = {"",          "abc",  "2026-13", "2026-00",  "26-10",  "2026-10-15",
                         "2026/10/2", "2026", "20261",   "2026-10x", "1899-12"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int m = 0;
        if (gj_bill_period_parse(bad[i], &m, &err) == GJ_OK)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_true(err.msg[0] != '\0');
    }
    int m = 0;
    assert_int_equal(gj_bill_period_parse("2026-10-15", &m, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "is a day, not a month"));
}

static void test_header_and_rows(void **state)
{
    (void)state;
    struct reports rep;
    memset(&rep, 0, sizeof rep);
    struct gj_import_header h;
    /* Chinese, in any order, with notes in brackets and export-only columns. */
    char *zh[] = {"月份", "房号", " 金额（元） ", "已缴", "收费项目", "车位", "欠费", ""};
    assert_int_equal(gj_bill_header_map(&h, zh, 8, 1, collect, &rep), GJ_OK);
    assert_int_equal(rep.n, 0);
    assert_true(h.zh);
    assert_int_equal(h.index[GJ_BILL_COL_PERIOD], 0);
    assert_int_equal(h.index[GJ_BILL_COL_UNIT], 1);
    assert_int_equal(h.index[GJ_BILL_COL_AMOUNT], 2);
    assert_int_equal(h.index[GJ_BILL_COL_OWED], 6);
    assert_string_equal(gj_import_header_label(&h, GJ_BILL_COL_AMOUNT), "金额（元）");

    struct gj_bill_row row;
    char *ok[] = {"2026-10", "3栋2单元501", "¥1,234.50", "34.5", "物业费", "", "1200.00", ""};
    assert_int_equal(gj_bill_row_parse(&h, ok, 8, 2, &row, collect, &rep), GJ_OK);
    assert_int_equal(rep.n, 0);
    assert_int_equal(row.line, 2);
    assert_int_equal(row.unit.building, 3);
    assert_int_equal(row.unit.entrance, 2);
    assert_int_equal(row.unit.room, 501);
    assert_string_equal(row.item, "物业费");
    assert_int_equal(row.period, 202610);
    assert_int_equal(row.amount_fen, 123450);
    assert_int_equal(row.paid_fen, 3450);
    assert_string_equal(row.space, "");

    /* Every bad field is reported, with the column as the file names it. */
    char *bad[] = {"2026-13", "x-1", "0", "5", "", "B1-0001", "", "oops"};
    assert_int_equal(gj_bill_row_parse(&h, bad, 8, 3, &row, collect, &rep), GJ_EINVAL);
    assert_int_equal(rep.n, 5);
    assert_string_equal(rep.column[0], "column 8"); /* a value without a header */
    assert_string_equal(rep.column[1], "房号");
    assert_string_equal(rep.column[2], "收费项目");
    assert_string_equal(rep.column[3], "月份");
    assert_string_equal(rep.column[4], "金额（元）");
    for (int i = 0; i < 5; i++)
        assert_int_equal(rep.line[i], 3);
    /* Paid more than the amount. */
    rep.n = 0;
    char *over[] = {"2026-10", "1-1-101", "100", "100.01", "物业费", "", "", ""};
    assert_int_equal(gj_bill_row_parse(&h, over, 8, 4, &row, collect, &rep), GJ_EINVAL);
    assert_int_equal(rep.n, 1);
    assert_string_equal(rep.column[0], "已缴");
    assert_non_null(strstr(rep.why[0], "100.01 is more than the amount 100.00"));
    gj_import_header_free(&h);

    /* English; unknown, repeated and missing columns. */
    rep.n = 0;
    char *en[] = {"Unit", "fee_item", "Period", "notes", "unit code"};
    assert_int_equal(gj_bill_header_map(&h, en, 5, 1, collect, &rep), GJ_EINVAL);
    assert_false(h.zh);
    assert_int_equal(rep.n, 3);
    assert_string_equal(rep.column[0], "notes");
    assert_non_null(strstr(rep.why[0], "unknown column"));
    assert_string_equal(rep.column[1], "unit code");
    assert_non_null(strstr(rep.why[1], "the same column as \"Unit\""));
    assert_string_equal(rep.column[2], "amount");
    assert_non_null(strstr(rep.why[2], "required column is missing"));
    gj_import_header_free(&h);
}

static void test_duplicates(void **state)
{
    (void)state;
    struct gj_bill_row rows[5];
    memset(rows, 0, sizeof rows);
    for (int i = 0; i < 5; i++) {
        rows[i].line = i + 2;
        rows[i].unit = (struct gj_unitcode){1, 1, 101};
        snprintf(rows[i].item, sizeof rows[i].item, "%s", "物业费");
        rows[i].period = 202610;
        rows[i].amount_fen = 100;
    }
    rows[1].period = 202609;                                   /* another month */
    snprintf(rows[2].space, sizeof rows[2].space, "%s", "B1"); /* another space */
    rows[3].unit.room = 102;                                   /* another unit */
    /* rows[4] repeats rows[0]. */
    struct reports rep;
    memset(&rep, 0, sizeof rep);
    unsigned char repeated[5];
    assert_int_equal(gj_bill_rows_duplicates(rows, 5, repeated, collect, &rep), 1);
    const unsigned char expect[5] = {0, 0, 0, 0, 1};
    assert_memory_equal(repeated, expect, 5);
    assert_int_equal(rep.n, 1);
    assert_int_equal(rep.line[0], 6);
    assert_non_null(strstr(rep.why[0], "line 2"));
    /* Reported in line order. */
    rows[1] = rows[0];
    rows[1].line = 3;
    rep.n = 0;
    assert_int_equal(gj_bill_rows_duplicates(rows, 5, NULL, collect, &rep), 2);
    assert_int_equal(rep.line[0], 3);
    assert_int_equal(rep.line[1], 6);
}

/* ---- through the binary --------------------------------------------------- */

/* text converted to GBK. */
static void write_gbk(const char *path, const char *text)
{
    iconv_t cd = iconv_open("GBK", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char out[4096];
    char *in = (char *)text, *o = out;
    size_t inleft = strlen(text), oleft = sizeof out;
    assert_true(iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1);
    iconv_close(cd);
    gj_test_write_file(path, out, sizeof out - oleft);
}

/* Units 1-1-101 (one parking space), 1-1-102 (two) and 3-2-501; fee items
 * 物业费 (per_m2) and 停车费 (per_space), active only from 2026-11. */
static void make_estate(const char *path)
{
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct gj_db *db = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(path, GJ_DB_CREATE, &db, &err), &err);
    const int rooms[][3] = {{1, 1, 101}, {1, 1, 102}, {3, 2, 501}};
    int64_t ids[3];
    for (int i = 0; i < 3; i++) {
        struct gj_unit u = {.building = rooms[i][0],
                            .entrance = rooms[i][1],
                            .room = rooms[i][2],
                            .floor = rooms[i][2] / 100,
                            .area_centi_m2 = 8937,
                            .delivered_at = gj_test_at("2024-01-01T00:00")};
        ids[i] = gj_test_add_unit(db, 0, &u);
    }
    const char *items[][2] = {{"物业费", "per_m2"}, {"停车费", "per_space"}};
    for (int i = 0; i < 2; i++)
        gj_test_add_fee_item(db, 0, items[i][0], items[i][1], i == 0 ? 280 : 30000, 202611, 0);
    const char *spaces[] = {"B1-0001", "B1-0002", "B1-0003"};
    const int64_t holders[] = {ids[0], ids[1], ids[1]};
    for (int i = 0; i < 3; i++) {
        struct gj_parking_space p;
        memset(&p, 0, sizeof p);
        snprintf(p.code, sizeof p.code, "%s", spaces[i]);
        snprintf(p.kind, sizeof p.kind, "%s", "owned");
        p.unit_id = holders[i];
        p.assigned_at = gj_test_at("2024-01-01T00:00");
        gj_test_must(gj_parking_create(db, 0, &p, &err), &err);
    }
    gj_db_close(db);
}

static const char good_csv[] = "\xEF\xBB\xBF"
                               "房号,收费项目,月份,金额（元）,已缴\r\n"
                               "1-1-101,物业费,2026-09,250.24,100.00\r\n"
                               "1-1-101,物业费,2026-10,\"1,250.24\",\r\n"
                               "\r\n"
                               "1-1-101,停车费,2026年10月,300,300\r\n"
                               "1-1-102,物业费,2026/10/1,¥280.00,0\r\n";

static void test_import_good_file(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[600], csv[600];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "期初.csv"));
    make_estate(db);
    gj_test_write_text(csv, good_csv);

    /* A dry run saves nothing but says what it would do. */
    assert_int_equal(run("--db", db, "import", "bills", csv, "--dry-run", NULL), 0);
    assert_non_null(strstr(gj_test_out,
                           "bills to write: 4 for 2 units, ¥2,080.48, of which already "
                           "paid ¥400.00 (1 carry-over payments)"));
    assert_non_null(strstr(gj_test_out, "Dry run: nothing was saved."));
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM bills"), 0);

    assert_int_equal(run("--db", db, "import", "bills", csv, NULL), 0);
    assert_non_null(strstr(gj_test_out, "bills written: 4 for 2 units, ¥2,080.48, of which already "
                                        "paid ¥400.00 (1 carry-over payments)"));
    assert_string_equal(gj_test_err, "");
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM bills"), 4);
    assert_int_equal(gj_test_scalar_file(db, "SELECT sum(amount_fen) FROM bills"), 208048);
    assert_int_equal(gj_test_scalar_file(db, "SELECT sum(paid_fen) FROM bills"), 40000);
    /* The amount as given; the item's rate and the unit's area for the record. */
    assert_int_equal(gj_test_scalar_file(db,
                                         "SELECT amount_fen FROM bills WHERE period = 202610 AND "
                                         "unit_id = 1 AND fee_item_id = 1"),
                     125024);
    assert_int_equal(gj_test_scalar_file(db, "SELECT quantity FROM bills WHERE period = 202610 AND "
                                             "unit_id = 1 AND fee_item_id = 1"),
                     8937);
    assert_int_equal(gj_test_scalar_file(db, "SELECT rate_fen FROM bills WHERE period = 202610 AND "
                                             "unit_id = 1 AND fee_item_id = 1"),
                     280);
    /* Due on the 15th of the month. */
    assert_int_equal(gj_test_scalar_file(db, "SELECT due_at FROM bills WHERE period = 202609"),
                     gj_test_at("2026-09-15T00:00"));
    /* The parking fee went to the unit's only space. */
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT parking_space_id FROM bills WHERE fee_item_id = 2"), 1);
    /* One carry-over payment, allocated line by line. */
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM payments"), 1);
    assert_int_equal(gj_test_scalar_file(db, "SELECT amount_fen FROM payments"), 40000);
    assert_int_equal(gj_test_scalar_file(db, "SELECT receipt_no FROM payments"), 1);
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT count(*) FROM payments WHERE method = 'transfer' AND "
                                "payer_name = 'opening balance' AND reason LIKE "
                                "'%imported from %期初.csv'"),
        1);
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM payment_allocations"), 2);
    assert_int_equal(gj_test_scalar_file(db, "SELECT paid_fen FROM bills WHERE period = 202609"),
                     10000);
    assert_int_equal(gj_test_scalar_file(db, "SELECT paid_fen FROM bills WHERE fee_item_id = 2"),
                     30000);
    assert_int_equal(run("--db", db, "check", NULL), 0);

    /* The same file again: every line is already on record; nothing is saved. */
    assert_int_equal(run("--db", db, "import", "bills", csv, NULL), 1);
    char expect[800];
    snprintf(expect, sizeof expect, "%s:2: unit 1-1-101 already has a bill of 物业费 for 2026-09\n",
             csv);
    assert_non_null(strstr(gj_test_err, expect));
    snprintf(expect, sizeof expect, "%s:6: unit 1-1-102 already has a bill of 物业费 for 2026-10\n",
             csv);
    assert_non_null(strstr(gj_test_err, expect));
    assert_non_null(strstr(gj_test_err, "nothing was saved (problems: 4; lines with problems: 4)"));
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM bills"), 4);
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM payments"), 1);
    gj_test_rmtree(dir);
}

static void test_import_reports_every_bad_line(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[600], csv[600];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "bad.csv"));
    make_estate(db);
    gj_test_write_text(csv, "unit,item,period,amount,paid,space\n"
                            "1-1-101,Property,2026-08,100.00,,\n"   /* 2: no such item */
                            "9-9-999,物业费,2026-08,100.00,,\n"     /* 3: no such unit */
                            "1-1-101,物业费,2026-13,100.00,,\n"     /* 4: month */
                            "1-1-101,物业费,2026-07,abc,,\n"        /* 5: amount */
                            "1-1-101,物业费,2026-06,100.00,200,\n"  /* 6: paid > amount */
                            "1-1-102,停车费,2026-08,300,,\n"        /* 7: which space? */
                            "1-1-101,物业费,2026-05,100,,\n"        /* 8: fine */
                            "1-1-101,物业费,2026-05,100,,\n"        /* 9: the same as 8 */
                            "1-1-101,物业费,2027-01,100,,\n"        /* 10: a month to come */
                            "1-1-101,停车费,2026-08,300,,B1-0002\n" /* 11: not its space */
                            "1-1-101,物业费,2026-04,100,,B1-0001\n" /* 12: not a parking fee */
                            "1-1-102,停车费,2026-08,300,,B1-0003\n" /* 13: fine */
    );
    assert_int_equal(run("--db", db, "import", "bills", csv, NULL), 1);
    const char *expect[] = {
        ":2: item: there is no fee item called Property\n",
        ":3: unit: unit 9-9-999 is not on record (import the owners first)\n",
        ":4: period: ",
        ":5: amount: ",
        ":6: paid: 200.00 is more than the amount 100.00\n",
        ":7: space: needed: unit 1-1-102 holds several parking spaces; name the space\n",
        ":9: the same unit, fee item and month as line 8: a bill is imported once\n",
        ":10: period: 2027-01 is after the current month 2026-11",
        ":11: space: parking space B1-0002 is not held by unit 1-1-101\n",
        ":12: space: only a fee charged per parking space names a space\n",
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        char line[600];
        snprintf(line, sizeof line, "%s%s", csv, expect[i]);
        if (!strstr(gj_test_err, line))
            fail_msg("missing \"%s\" in:\n%s", line, gj_test_err);
    }
    assert_null(strstr(gj_test_err, ":8:"));
    assert_null(strstr(gj_test_err, ":13:"));
    assert_non_null(
        strstr(gj_test_err, "guanjia: import: ")); /* the closing line names the count */
    assert_non_null(
        strstr(gj_test_err, "nothing was saved (problems: 10; lines with problems: 10)"));
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM bills"), 0);
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT count(*) FROM audit_log WHERE entity = 'bills'"), 0);

    /* A header it cannot read stops at line 1. */
    gj_test_write_text(csv, "房号,收费项目,月份,金额,备注\n1-1-101,物业费,2026-08,100,x\n");
    assert_int_equal(run("--db", db, "import", "bills", csv, NULL), 1);
    char line[600];
    snprintf(line, sizeof line,
             "%s:1: 备注: unknown column (the columns are: 房号, 收费项目, "
             "月份, 金额, 已缴, 车位)\n",
             csv);
    assert_non_null(strstr(gj_test_err, line));
    /* An empty file. */
    gj_test_write_text(csv, "");
    assert_int_equal(run("--db", db, "import", "bills", csv, NULL), 1);
    assert_non_null(strstr(gj_test_err, "the file is empty"));
    /* Usage. */
    assert_int_equal(run("--db", db, "import", "payments", csv, NULL), 2);
    assert_int_equal(run("--db", db, "import", "bills", NULL), 2);
    assert_int_equal(run("--db", db, "import", "bills", csv, "--force", NULL), 2);
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM bills"), 0);
    gj_test_rmtree(dir);
}

static void test_import_gbk_and_english(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[600], csv[600];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "gbk.csv"));
    make_estate(db);
    /* As Excel on Chinese Windows saves "CSV": GBK, no BOM. */
    write_gbk(csv, "房号,收费项目,所属月份,应收金额,实收金额,车位号\r\n"
                   "3栋2单元501,物业费,2026年8月,250.24,50,\r\n"
                   "1-1-102,停车费,2026-08,300,,B1-0003\r\n");
    assert_int_equal(run("--db", db, "import", "bills", csv, NULL), 0);
    assert_non_null(strstr(gj_test_out, "read as GBK"));
    assert_non_null(strstr(gj_test_out, "bills written: 2 for 2 units"));
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM bills WHERE period = 202608"),
                     2);
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT parking_space_id FROM bills WHERE fee_item_id = 2"), 3);
    assert_int_equal(gj_test_scalar_file(db, "SELECT paid_fen FROM bills WHERE unit_id = 3"), 5000);
    /* English headers, UTF-8 without a BOM; an export's extra columns are ignored. */
    gj_test_write_text(csv,
                       "unit,item,month,amount,owed,due,id\n3-2-501,物业费,2026-07,250.24,250.24,"
                       "2026-07-15,17\n");
    assert_int_equal(run("--db", db, "import", "bills", csv, NULL), 0);
    assert_null(strstr(gj_test_out, "GBK"));
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM bills"), 3);
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM payments"),
                     1); /* nothing paid: none */
    assert_int_equal(run("--db", db, "check", NULL), 0);
    gj_test_rmtree(dir);
}

static void report_nothing(void *ctx, long line, const char *column, const char *why)
{
    (void)line;
    (void)column;
    (void)why;
    (*(int *)ctx)++;
}

static void test_import_needs_the_role(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db_path[600];
    snprintf(db_path, sizeof db_path, "%s", gj_test_path(dir, "estate.db"));
    make_estate(db_path);
    struct gj_db *db = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(db_path, 0, &db, &err), &err);
    struct gj_import_header h;
    memset(&h, 0, sizeof h);
    struct gj_bill_row row;
    memset(&row, 0, sizeof row);
    row.line = 2;
    row.unit = (struct gj_unitcode){1, 1, 101};
    snprintf(row.item, sizeof row.item, "%s", "物业费");
    row.period = 202610;
    row.amount_fen = 100;
    long problems = 0;
    int reported = 0;
    struct gj_bill_import_result res;
    assert_int_equal(gj_bills_import(db, 0, GJ_ROLE_SUPERVISOR, &h, &row, 1, "x.csv", 1,
                                     report_nothing, &reported, &problems, &res, &err),
                     GJ_EPERM);
    assert_int_equal(gj_test_scalar_file(db_path, "SELECT count(*) FROM bills"), 0);
    /* Not committed unless asked: what it would write is told all the same. */
    gj_test_must(gj_bills_import(db, 0, GJ_ROLE_MANAGER, &h, &row, 1, "x.csv", 0, report_nothing,
                                 &reported, &problems, &res, &err),
                 &err);
    assert_int_equal(res.bills, 1);
    assert_int_equal(problems, 0);
    assert_int_equal(gj_test_scalar_file(db_path, "SELECT count(*) FROM bills"), 0);
    gj_test_must(gj_bills_import(db, 0, GJ_ROLE_MANAGER, &h, &row, 1, "x.csv", 1, report_nothing,
                                 &reported, &problems, &res, &err),
                 &err);
    assert_int_equal(gj_test_scalar_file(db_path, "SELECT count(*) FROM bills"), 1);
    assert_int_equal(reported, 0);
    gj_db_close(db);
    gj_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_parse),
        cmocka_unit_test(test_header_and_rows),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_import_good_file),
        cmocka_unit_test(test_import_reports_every_bad_line),
        cmocka_unit_test(test_import_gbk_and_english),
        cmocka_unit_test(test_import_needs_the_role),
    };
    return cmocka_run_group_tests(tests, NULL, gj_test_cmd_teardown);
}
