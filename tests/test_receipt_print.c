/* gj_receipt_print, the receipt printer the console and guanjia-stress
 * share: the original once, then copies; and a print cut short by a crash
 * (the file written, the print not recorded) is finished by the next
 * print when the file says exactly what it would print, and refused when
 * it says anything else. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "guanjia/billing.h"
#include "guanjia/db.h"
#include "guanjia/receipt_print.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_users.h"

struct estate {
    const char *dir;
    char path[512];
    int64_t butler, unit;
};

/* A butler, a unit and three monthly bills of 100 yuan, in a new folder. */
static void make_estate(struct estate *e)
{
    e->dir = gj_test_tmpdir();
    snprintf(e->path, sizeof e->path, "%s/guanjia.db", e->dir);
    struct gj_db *db = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(e->path, GJ_DB_CREATE, &db, &err), &err);
    struct gj_user u;
    memset(&u, 0, sizeof u);
    strcpy(u.login, "butler");
    strcpy(u.name, "张管家");
    strcpy(u.role, "butler");
    strcpy(u.rank, "butler");
    gj_test_must(gj_user_create(db, 0, &u, "correct horse battery", &err), &err);
    e->butler = u.id;
    int64_t item = gj_test_add_fee_item(db, 0, "物业服务费", "fixed", 10000, 202401, 0);
    struct gj_unit unit = {.building = 3,
                           .entrance = 2,
                           .room = 501,
                           .floor = 5,
                           .area_centi_m2 = 9000,
                           .delivered_at = 1};
    e->unit = gj_test_add_unit(db, 0, &unit);
    for (int m = 0; m < 3; m++) {
        struct gj_bill b;
        memset(&b, 0, sizeof b);
        b.unit_id = e->unit;
        b.fee_item_id = item;
        b.period = 202601 + m;
        gj_test_must(gj_bill_create(db, 0, &b, &err), &err);
    }
    gj_db_close(db);
}

static struct gj_payment pay(struct gj_db *db, const struct estate *e, int64_t fen)
{
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = e->unit;
    strcpy(p.payer_name, "李业主");
    strcpy(p.method, "wechat");
    p.amount_fen = fen;
    struct gj_error err;
    gj_test_must(gj_payment_take(db, e->butler, &p, NULL, 0, NULL, NULL, NULL, &err), &err);
    return p;
}

static int64_t prints(struct gj_db *db, int64_t payment_id)
{
    int64_t n = -1;
    struct gj_error err;
    gj_test_must(gj_receipt_print_count(db, payment_id, &n, &err), &err);
    return n;
}

static void test_original_then_copies(void **state)
{
    (void)state;
    struct estate e;
    make_estate(&e);
    struct gj_db *db = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(e.path, 0, &db, &err), &err);
    struct gj_payment p = pay(db, &e, 15000);
    char path[4200], copy[4200];
    gj_test_must(gj_receipt_print(db, GJ_ROLE_BUTLER, e.butler, &p, path, sizeof path, &err), &err);
    char want[600];
    snprintf(want, sizeof want, "%s/receipts/SJ%08lld.txt", e.dir, (long long)p.receipt_no);
    assert_string_equal(path, want);
    size_t len = 0;
    char *text = gj_test_slurp(path, &len);
    assert_non_null(text);
    assert_true(gj_test_contains_bytes(text, len, "3-2-501"));
    assert_true(gj_test_contains_bytes(text, len, "150.00"));
    assert_int_equal(prints(db, p.id), 1);
    gj_test_must(gj_receipt_print(db, GJ_ROLE_BUTLER, e.butler, &p, copy, sizeof copy, &err), &err);
    assert_non_null(strstr(copy, "-copy1.txt"));
    assert_int_equal(prints(db, p.id), 2);
    /* the original is left as it was */
    size_t len2 = 0;
    char *again = gj_test_slurp(path, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(text, again, len);
    free(text);
    free(again);
    /* a trainee may not print */
    assert_int_equal(gj_receipt_print(db, GJ_ROLE_TRAINEE, e.butler, &p, copy, sizeof copy, &err),
                     GJ_EPERM);
    assert_int_equal(prints(db, p.id), 2);
    gj_db_close(db);
    gj_test_rmtree(e.dir);
}

static void test_a_print_cut_short_is_finished(void **state)
{
    (void)state;
    struct estate e;
    make_estate(&e);
    struct gj_db *db = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(e.path, 0, &db, &err), &err);
    struct gj_payment p = pay(db, &e, 20000);
    struct gj_payment q = pay(db, &e, 5000);
    gj_db_close(db);

    /* What the prints would write, made on a copy of the database. */
    const char *other = gj_test_tmpdir();
    char copy_db[600];
    snprintf(copy_db, sizeof copy_db, "%s/guanjia.db", other);
    assert_int_equal(gj_test_copy_file(e.path, copy_db), 0);
    gj_test_must(gj_db_open(copy_db, 0, &db, &err), &err);
    char made[4200];
    gj_test_must(gj_receipt_print(db, GJ_ROLE_BUTLER, e.butler, &p, made, sizeof made, &err), &err);
    gj_db_close(db);

    /* The crash: p's file is in place, its print not recorded; q's file
     * holds something else. */
    char receipts[600], p_file[700], q_file[700];
    snprintf(receipts, sizeof receipts, "%s/receipts", e.dir);
    assert_int_equal(mkdir(receipts, 0700), 0);
    snprintf(p_file, sizeof p_file, "%s/SJ%08lld.txt", receipts, (long long)p.receipt_no);
    snprintf(q_file, sizeof q_file, "%s/SJ%08lld.txt", receipts, (long long)q.receipt_no);
    assert_int_equal(gj_test_copy_file(made, p_file), 0);
    gj_test_write_text(q_file, "not this receipt\n");

    gj_test_must(gj_db_open(e.path, 0, &db, &err), &err);
    char path[4200];
    assert_int_equal(prints(db, p.id), 0);
    gj_test_must(gj_receipt_print(db, GJ_ROLE_BUTLER, e.butler, &p, path, sizeof path, &err), &err);
    assert_string_equal(path, p_file);
    assert_int_equal(prints(db, p.id), 1);
    assert_true(gj_test_same_file(p_file, made));

    /* A different file is never taken for the receipt, nor overwritten. */
    assert_int_equal(gj_receipt_print(db, GJ_ROLE_BUTLER, e.butler, &q, path, sizeof path, &err),
                     GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "already exists"));
    assert_int_equal(prints(db, q.id), 0);
    char *text = gj_test_slurp(q_file, NULL);
    assert_non_null(text);
    assert_string_equal(text, "not this receipt\n");
    free(text);
    gj_db_close(db);
    gj_test_rmtree(other);
    gj_test_rmtree(e.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_original_then_copies),
        cmocka_unit_test(test_a_print_cut_short_is_finished),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
