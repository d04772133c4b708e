/* guanjia export bills|payments FILE [--encoding utf-8|utf-8-bom|gbk]
 * through the binary: the columns and a known line of each, the header in
 * both languages, the three encodings (GBK bytes checked for a known
 * Chinese name), a character GBK cannot hold refused with its row and
 * nothing written, and a bills export that `guanjia import bills` reads
 * back into another estate. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_billing.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* run(arguments..., NULL), the clock fixed */
#define run(...) gj_test_cmd(gj_test_fixed_now, NULL, __VA_ARGS__)

static int64_t add_unit(struct gj_db *db, int b, int e, int room)
{
    struct gj_unit u = {.building = b,
                        .entrance = e,
                        .room = room,
                        .floor = room / 100,
                        .area_centi_m2 = 8937,
                        .delivered_at = gj_test_at("2024-01-01T00:00")};
    return gj_test_add_unit(db, 0, &u);
}

/* Units 3-2-501 (with parking space B1-0001) and 1-1-101, fee items
 * 物业费 and 停车费. */
static struct gj_db *make_estate(const char *path)
{
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct gj_db *db = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(path, GJ_DB_CREATE, &db, &err), &err);
    int64_t unit = add_unit(db, 3, 2, 501);
    add_unit(db, 1, 1, 101);
    const char *items[][2] = {{"物业费", "per_m2"}, {"停车费", "per_space"}};
    for (int i = 0; i < 2; i++)
        gj_test_add_fee_item(db, 0, items[i][0], items[i][1], i == 0 ? 280 : 30000, 202601, 0);
    struct gj_parking_space p;
    memset(&p, 0, sizeof p);
    snprintf(p.code, sizeof p.code, "%s", "B1-0001");
    snprintf(p.kind, sizeof p.kind, "%s", "owned");
    p.unit_id = unit;
    p.assigned_at = 1;
    gj_test_must(gj_parking_create(db, 0, &p, &err), &err);
    return db;
}

static void take(struct gj_db *db, int64_t actor, const char *payer, const char *method,
                 int64_t fen, struct gj_payment *out)
{
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = 1;
    snprintf(p.payer_name, sizeof p.payer_name, "%s", payer);
    snprintf(p.method, sizeof p.method, "%s", method);
    p.amount_fen = fen;
    struct gj_error err;
    gj_test_must(gj_payment_take(db, actor, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    if (out)
        *out = p;
}

/* The estate billed for November, a payment by butler 王管家 reversed by
 * him, and a payment taken by the system. */
static void make_ledger(const char *path)
{
    struct gj_db *db = make_estate(path);
    struct gj_error err;
    char *msg = NULL;
    if (sqlite3_exec(db->h,
                     "INSERT INTO users(login, name, role, password_hash, created_at, "
                     "updated_at) VALUES ('wang', '王管家', 'butler', "
                     "'not-a-real-hash-but-long-enough', 1, 1)",
                     NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s", msg);
    struct gj_billing_result res;
    gj_test_must(gj_billing_run(db, 0, GJ_ROLE_MANAGER, 202611, NULL, NULL, &res, &err), &err);
    assert_int_equal(res.created, 3);
    struct gj_payment first;
    take(db, 1, "张三", "cash", 30000, &first);
    gj_test_must(gj_payment_reverse(db, 1, first.id, "收错金额", NULL, &err), &err);
    take(db, 0, "李四", "wechat", 50000, NULL);
    gj_db_close(db);
}

static void test_export_bills(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[600], csv[600];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "bills.csv"));
    make_ledger(db);
    assert_int_equal(run("--db", db, "export", "bills", csv, NULL), 0);
    assert_non_null(strstr(gj_test_out, "bills written: 3"));
    size_t len = 0;
    char *body = gj_test_slurp(csv, &len);
    assert_non_null(body);
    /* UTF-8 with a BOM by default, CRLF line ends. */
    assert_memory_equal(body, "\xEF\xBB\xBF", 3);
    const char *expect = "unit,item,period,amount,paid,space,owed,quantity,rate,due,id\r\n"
                         "3-2-501,物业费,2026-11,250.24,250.24,,0.00,89.37,2.80,2026-11-15,1\r\n"
                         "1-1-101,物业费,2026-11,250.24,0.00,,250.24,89.37,2.80,2026-11-15,2\r\n"
                         "3-2-501,停车费,2026-11,300.00,249.76,B1-0001,50.24,1,300.00,"
                         "2026-11-15,3\r\n";
    assert_string_equal(body + 3, expect);
    free(body);
    /* Chinese headers with --lang zh_CN. */
    assert_int_equal(run("--lang", "zh_CN", "--db", db, "export", "bills", csv, NULL), 0);
    body = gj_test_slurp(csv, &len);
    assert_non_null(
        strstr(body, "房号,收费项目,月份,金额,已缴,车位,欠费,数量,单价,到期日,账单号\r\n"));
    free(body);

    /* It reads back into another estate as opening balances. */
    char db2[600];
    snprintf(db2, sizeof db2, "%s", gj_test_path(dir, "other.db"));
    gj_db_close(make_estate(db2));
    assert_int_equal(run("--db", db2, "import", "bills", csv, NULL), 0);
    assert_non_null(strstr(gj_test_out, "bills written: 3 for 2 units, ¥800.48, of which already "
                                        "paid ¥500.00 (1 carry-over payments)"));
    char csv2[600];
    snprintf(csv2, sizeof csv2, "%s", gj_test_path(dir, "bills2.csv"));
    assert_int_equal(run("--lang", "zh_CN", "--db", db2, "export", "bills", csv2, NULL), 0);
    assert_true(gj_test_same_file(csv, csv2));
    assert_int_equal(run("--db", db2, "check", NULL), 0);
    gj_test_rmtree(dir);
}

static void test_export_payments(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[600], csv[600];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "payments.csv"));
    make_ledger(db);
    assert_int_equal(run("--db", db, "export", "payments", csv, "--encoding", "utf-8", NULL), 0);
    assert_non_null(strstr(gj_test_out, "payments written: 3"));
    size_t len = 0;
    char *body = gj_test_slurp(csv, &len);
    assert_non_null(body);
    const char *expect = "receipt,unit,payer,method,amount,reverses,reason,operator,time\r\n"
                         "SJ00000001,3-2-501,张三,cash,300.00,,,王管家,2026-11-29 09:00\r\n"
                         "SJ00000002,3-2-501,张三,cash,-300.00,SJ00000001,收错金额,王管家,"
                         "2026-11-29 09:00\r\n"
                         "SJ00000003,3-2-501,李四,wechat,500.00,,,system,2026-11-29 09:00\r\n";
    assert_string_equal(body, expect); /* no BOM with utf-8 */
    free(body);
    assert_int_equal(run("--lang", "zh_CN", "--db", db, "export", "payments", csv, NULL), 0);
    body = gj_test_slurp(csv, &len);
    assert_non_null(strstr(body, "\xEF\xBB\xBF收据号,房号,交款人,方式,金额,冲正原收据,原因,"
                                 "操作员,时间\r\n"));
    assert_non_null(strstr(body, ",李四,wechat,500.00,,,系统,"));
    free(body);
    gj_test_rmtree(dir);
}

/* iconv text from GBK to UTF-8 (malloc'd). */
static char *from_gbk(const char *data, size_t len)
{
    iconv_t cd = iconv_open("UTF-8", "GBK");
    assert_true(cd != (iconv_t)-1);
    size_t cap = len * 2 + 1;
    char *out = malloc(cap);
    char *in = (char *)data, *o = out;
    size_t inleft = len, oleft = cap - 1;
    assert_true(iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1);
    iconv_close(cd);
    *o = '\0';
    return out;
}

static void test_export_gbk(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[600], csv[600], utf8[600];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "payments.csv"));
    snprintf(utf8, sizeof utf8, "%s", gj_test_path(dir, "utf8.csv"));
    make_ledger(db);
    assert_int_equal(
        run("--lang", "zh_CN", "--db", db, "export", "payments", csv, "--encoding=gbk", NULL), 0);
    size_t len = 0;
    char *body = gj_test_slurp(csv, &len);
    assert_non_null(body);
    /* 张三 in GBK is D5C5 C8FD; no UTF-8 of it, no BOM. */
    assert_true(gj_test_contains_bytes(body, len, "\xD5\xC5\xC8\xFD"));
    assert_false(gj_test_contains_bytes(body, len, "\xE5\xBC\xA0")); /* 张 in UTF-8 */
    assert_false(len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0);
    /* Byte for byte what the UTF-8 export says, converted. */
    assert_int_equal(
        run("--lang", "zh_CN", "--db", db, "export", "payments", utf8, "--encoding", "utf-8", NULL),
        0);
    size_t ulen = 0;
    char *ubody = gj_test_slurp(utf8, &ulen);
    char *back = from_gbk(body, len);
    assert_string_equal(back, ubody);
    free(back);
    free(ubody);
    free(body);
    /* GBK bills and owners too (the owners export keeps working). */
    assert_int_equal(run("--db", db, "export", "bills", csv, "--encoding", "gbk", NULL), 0);
    body = gj_test_slurp(csv, &len);
    assert_true(
        gj_test_contains_bytes(body, len, "3-2-501,\xCE\xEF\xD2\xB5\xB7\xD1,2026-11")); /* 物业费 */
    free(body);
    assert_int_equal(run("--db", db, "export", "owners", csv, "--encoding", "gbk", NULL), 0);
    assert_non_null(strstr(gj_test_out, "links written: 0"));
    assert_int_equal(run("--db", db, "export", "owners", csv, NULL), 0);
    body = gj_test_slurp(csv, &len);
    assert_memory_equal(body, "\xEF\xBB\xBFunit,name", 12);
    free(body);
    gj_test_rmtree(dir);
}

static void test_gbk_refuses_what_it_cannot_hold(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[600], csv[600];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "pay.csv"));
    make_ledger(db);
    /* A rare character of a name (CJK extension B, U+2A6A5) that GB18030
     * has and GBK has not. */
    struct gj_db *h = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(db, 0, &h, &err), &err);
    take(h, 0, "王\xF0\xAA\x9A\xA5", "cash", 100, NULL);
    gj_db_close(h);
    FILE *f = fopen(csv, "wb");
    assert_non_null(f);
    fputs("the old file\n", f);
    fclose(f);
    assert_int_equal(run("--db", db, "export", "payments", csv, "--encoding", "gbk", NULL), 1);
    assert_non_null(strstr(gj_test_err, "guanjia: export: "));
    assert_non_null(strstr(gj_test_err,
                           "row 5, column payer: \"\xF0\xAA\x9A\xA5\" (U+2A6A5) cannot be "
                           "written in GBK"));
    assert_non_null(strstr(gj_test_err, "(nothing was written)"));
    size_t len = 0;
    char *body = gj_test_slurp(csv, &len);
    assert_string_equal(body, "the old file\n");
    free(body);
    assert_int_equal(gj_test_count_files(dir, "pay.csv."), 0); /* no temp file left */
    /* UTF-8 holds it. */
    assert_int_equal(run("--db", db, "export", "payments", csv, NULL), 0);
    assert_non_null(strstr(gj_test_out, "payments written: 4"));
    gj_test_rmtree(dir);
}

static void test_export_usage(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[600], csv[600];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "x.csv"));
    gj_db_close(make_estate(db));
    assert_int_equal(run("--db", db, "export", "bills", csv, "--encoding", "latin1", NULL), 2);
    assert_non_null(strstr(gj_test_err, "utf-8, utf-8-bom or gbk"));
    assert_int_equal(run("--db", db, "export", "bills", csv, "--encoding", NULL), 2);
    assert_int_equal(run("--db", db, "export", "bills", NULL), 2);
    assert_int_equal(run("--db", db, "export", "bills", csv, csv, NULL), 2);
    assert_int_equal(run("--db", db, "export", "receipts", csv, NULL), 2);
    assert_int_equal(gj_test_count_files(dir, "x.csv"), 0);
    /* An empty ledger: just the header. */
    assert_int_equal(run("--db", db, "export", "payments", csv, "--encoding=utf-8-bom", NULL), 0);
    assert_non_null(strstr(gj_test_out, "payments written: 0"));
    size_t len = 0;
    char *body = gj_test_slurp(csv, &len);
    assert_string_equal(body,
                        "\xEF\xBB\xBFreceipt,unit,payer,method,amount,reverses,reason,operator,"
                        "time\r\n");
    free(body);
    gj_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_bills), cmocka_unit_test(test_export_payments),
        cmocka_unit_test(test_export_gbk),   cmocka_unit_test(test_gbk_refuses_what_it_cannot_hold),
        cmocka_unit_test(test_export_usage),
    };
    return cmocka_run_group_tests(tests, NULL, gj_test_cmd_teardown);
}
