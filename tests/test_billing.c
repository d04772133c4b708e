#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "guanjia/billing.h"
#include "guanjia/money.h"

static struct gj_fee_item item(const char *name, const char *kind, int64_t rate, int from, int to)
{
    struct gj_fee_item f;
    memset(&f, 0, sizeof f);
    strcpy(f.name, name);
    strcpy(f.kind, kind);
    f.rate_fen = rate;
    f.active_from = from;
    f.active_to = to;
    return f;
}

static void expect_invalid(int rc, const struct gj_error *err, const char *field)
{
    assert_int_equal(rc, GJ_EINVAL);
    assert_int_equal(err->code, GJ_EINVAL);
    if (!strstr(err->msg, field))
        fail_msg("message \"%s\" does not name \"%s\"", err->msg, field);
}

static void test_amount_per_m2_rounding(void **state)
{
    (void)state;
    /* 2.80 yuan/m2 x 89.37 m2 = 250.236 yuan -> 250.24 */
    assert_int_equal(gj_bill_amount("per_m2", 280, 8937), 25024);
    /* 1.50 x 89.37 = 134.055 -> 134.06 (half up) */
    assert_int_equal(gj_bill_amount("per_m2", 150, 8937), 13406);
    /* exactly half a fen rounds up, just under half rounds down */
    assert_int_equal(gj_bill_amount("per_m2", 1, 50), 1);
    assert_int_equal(gj_bill_amount("per_m2", 1, 49), 0);
    assert_int_equal(gj_bill_amount("per_m2", 1, 150), 2);
    assert_int_equal(gj_bill_amount("per_m2", 0, 8937), 0);
    assert_int_equal(gj_bill_amount("per_m2", 280, 0), 0);
    /* whole yuan rates are exact */
    assert_int_equal(gj_bill_amount("per_m2", 300, 10000), 30000);
    /* agrees with the direct formula wherever that cannot overflow */
    for (int64_t rate = 0; rate < 1000; rate += 7)
        for (int64_t area = 1; area < 20000; area += 131)
            assert_int_equal(gj_bill_amount("per_m2", rate, area), (rate * area + 50) / 100);
}

static void test_amount_limits(void **state)
{
    (void)state;
    /* the largest rate and area the schema allows */
    assert_int_equal(gj_bill_amount("per_m2", 99999999, 10000000), INT64_C(9999999900000));
    /* 1,000,000 yuan x 100,000 m2 passes GJ_MONEY_MAX */
    assert_int_equal(gj_bill_amount("per_m2", 100000000, 10000000), -1);
    /* no overflow, however large the inputs */
    assert_int_equal(gj_bill_amount("per_m2", 280, INT64_MAX), -1);
    assert_int_equal(gj_bill_amount("per_m2", INT64_MAX, INT64_MAX), -1);
    assert_int_equal(gj_bill_amount("per_m2", 99, INT64_MAX / 99), -1);
    assert_int_equal(gj_bill_amount("fixed", INT64_MAX, 2), -1);
    assert_int_equal(gj_bill_amount("per_space", 2, INT64_MAX), -1);
    assert_int_equal(gj_bill_amount("fixed", GJ_MONEY_MAX, 1), GJ_MONEY_MAX);
    assert_int_equal(gj_bill_amount("fixed", GJ_MONEY_MAX, 2), -1);
    /* bad input */
    assert_int_equal(gj_bill_amount("per_m2", -1, 100), -1);
    assert_int_equal(gj_bill_amount("fixed", 100, -1), -1);
    assert_int_equal(gj_bill_amount("per_hour", 100, 1), -1);
    assert_int_equal(gj_bill_amount(NULL, 100, 1), -1);
}

static void test_amount_per_space_fixed(void **state)
{
    (void)state;
    assert_int_equal(gj_bill_amount("per_space", 15000, 1), 15000);
    assert_int_equal(gj_bill_amount("per_space", 15000, 2), 30000);
    assert_int_equal(gj_bill_amount("fixed", 2000, 1), 2000);
    assert_int_equal(gj_bill_amount("fixed", 2000, 3), 6000);
}

static void test_fee_item_validate(void **state)
{
    (void)state;
    struct gj_error err;
    struct gj_fee_item f = item("物业服务费", "per_m2", 280, 202601, 0);
    assert_int_equal(gj_fee_item_validate(&f, &err), GJ_OK);
    f.active_to = 202601; /* one month */
    assert_int_equal(gj_fee_item_validate(&f, &err), GJ_OK);

    f = item("", "per_m2", 280, 202601, 0);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "name");
    f = item("   ", "per_m2", 280, 202601, 0);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "name");
    char long_name[GJ_NAME_BYTES];
    memset(long_name, 0, sizeof long_name);
    for (int i = 0; i < 64; i++)
        strcat(long_name, "费");
    f = item(long_name, "fixed", 100, 202601, 0);
    assert_int_equal(gj_fee_item_validate(&f, &err), GJ_OK);
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    f = item(long_name, "fixed", 100, 202601, 0);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "name");

    f = item("水费", "per_litre", 280, 202601, 0);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "kind");
    f = item("水费", "", 280, 202601, 0);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "kind");

    f = item("水费", "fixed", -1, 202601, 0);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "rate");
    f = item("水费", "fixed", GJ_FEE_RATE_MAX + 1, 202601, 0);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "rate");
    f = item("水费", "fixed", GJ_FEE_RATE_MAX, 202601, 0);
    assert_int_equal(gj_fee_item_validate(&f, &err), GJ_OK);
    f = item("水费", "fixed", 0, 202601, 0);
    assert_int_equal(gj_fee_item_validate(&f, &err), GJ_OK);

    f = item("水费", "fixed", 100, 202613, 0);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "active from");
    f = item("水费", "fixed", 100, 202600, 0);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "active from");
    f = item("水费", "fixed", 100, 0, 0);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "active from");
    f = item("水费", "fixed", 100, 2026, 0);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "active from");
    f = item("水费", "fixed", 100, 202605, 202604);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "active to");
    f = item("水费", "fixed", 100, 202605, 202613);
    expect_invalid(gj_fee_item_validate(&f, &err), &err, "active to");
}

static void test_fee_item_active_in(void **state)
{
    (void)state;
    struct gj_fee_item f = item("a", "fixed", 1, 202603, 202605);
    assert_false(gj_fee_item_active_in(&f, 202602));
    assert_true(gj_fee_item_active_in(&f, 202603));
    assert_true(gj_fee_item_active_in(&f, 202605));
    assert_false(gj_fee_item_active_in(&f, 202606));
    f.active_to = 0;
    assert_true(gj_fee_item_active_in(&f, 299912));
}

static void test_bill_validate(void **state)
{
    (void)state;
    struct gj_error err;
    struct gj_fee_item m2 = item("物业费", "per_m2", 280, 202601, 202612);
    struct gj_fee_item space = item("车位管理费", "per_space", 15000, 202601, 0);
    struct gj_bill b;
    memset(&b, 0, sizeof b);
    b.unit_id = 1;
    b.period = 202611;
    b.quantity = 8937;
    assert_int_equal(gj_bill_validate(&b, &m2, &err), GJ_OK);
    b.period = 202701;
    expect_invalid(gj_bill_validate(&b, &m2, &err), &err, "2027-01");
    b.period = 202613;
    expect_invalid(gj_bill_validate(&b, &m2, &err), &err, "period");
    b.period = 202611;
    b.quantity = 0;
    expect_invalid(gj_bill_validate(&b, &m2, &err), &err, "quantity");
    b.quantity = 1;
    b.parking_space_id = 4;
    expect_invalid(gj_bill_validate(&b, &m2, &err), &err, "parking space");
    assert_int_equal(gj_bill_validate(&b, &space, &err), GJ_OK);
    b.parking_space_id = 0;
    expect_invalid(gj_bill_validate(&b, &space, &err), &err, "parking space");
    b.parking_space_id = 4;
    b.unit_id = 0;
    expect_invalid(gj_bill_validate(&b, &space, &err), &err, "unit");
}

static void test_allocate_oldest_first_partial_credit(void **state)
{
    (void)state;
    const struct gj_open_bill bills[] = {
        {11, 10000, 0},    /* owes 100.00 */
        {12, 10000, 4000}, /* owes 60.00 */
        {13, 10000, 0},    /* owes 100.00 */
    };
    struct gj_alloc_line out[3];
    size_t n = 99;
    int64_t credit = -1;

    /* 180.00: the first two in full, the third in part, no credit */
    assert_int_equal(gj_allocate(bills, 3, 18000, out, &n, &credit), GJ_OK);
    assert_int_equal(n, 3);
    assert_int_equal(out[0].bill_id, 11);
    assert_int_equal(out[0].amount_fen, 10000);
    assert_int_equal(out[1].bill_id, 12);
    assert_int_equal(out[1].amount_fen, 6000);
    assert_int_equal(out[2].bill_id, 13);
    assert_int_equal(out[2].amount_fen, 2000);
    assert_int_equal(credit, 0);

    /* 300.00: everything owed (260.00) and 40.00 credit */
    assert_int_equal(gj_allocate(bills, 3, 30000, out, &n, &credit), GJ_OK);
    assert_int_equal(n, 3);
    assert_int_equal(out[2].amount_fen, 10000);
    assert_int_equal(credit, 4000);

    /* 50.00: only the oldest, in part */
    assert_int_equal(gj_allocate(bills, 3, 5000, out, &n, &credit), GJ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].bill_id, 11);
    assert_int_equal(out[0].amount_fen, 5000);
    assert_int_equal(credit, 0);

    /* exactly what is owed */
    assert_int_equal(gj_allocate(bills, 3, 26000, out, &n, &credit), GJ_OK);
    assert_int_equal(n, 3);
    assert_int_equal(credit, 0);
}

static void test_allocate_given_order_and_settled_bills(void **state)
{
    (void)state;
    /* the butler's order is kept; a settled bill and a zero bill get no line */
    const struct gj_open_bill bills[] = {
        {23, 5000, 0},
        {21, 3000, 3000},
        {24, 0, 0},
        {22, 7000, 1000},
    };
    struct gj_alloc_line out[4];
    size_t n;
    int64_t credit;
    assert_int_equal(gj_allocate(bills, 4, 9000, out, &n, &credit), GJ_OK);
    assert_int_equal(n, 2);
    assert_int_equal(out[0].bill_id, 23);
    assert_int_equal(out[0].amount_fen, 5000);
    assert_int_equal(out[1].bill_id, 22);
    assert_int_equal(out[1].amount_fen, 4000);
    assert_int_equal(credit, 0);

    /* no bills: all of it is credit */
    assert_int_equal(gj_allocate(NULL, 0, 1234, NULL, &n, &credit), GJ_OK);
    assert_int_equal(n, 0);
    assert_int_equal(credit, 1234);
}

static void test_allocate_rejects(void **state)
{
    (void)state;
    const struct gj_open_bill bills[] = {{1, 100, 0}};
    struct gj_alloc_line out[1] = {{77, 77}};
    size_t n = 5;
    int64_t credit = 5;
    assert_int_equal(gj_allocate(bills, 1, 0, out, &n, &credit), GJ_EINVAL);
    assert_int_equal(n, 0);
    assert_int_equal(out[0].bill_id, 77);
    assert_int_equal(gj_allocate(bills, 1, -100, out, &n, &credit), GJ_EINVAL);
    assert_int_equal(gj_allocate(bills, 1, GJ_MONEY_MAX + 1, out, &n, &credit), GJ_EINVAL);
    assert_int_equal(gj_allocate(bills, 1, 100, NULL, &n, &credit), GJ_EINVAL);
    assert_int_equal(gj_allocate(bills, 1, 100, out, NULL, &credit), GJ_EINVAL);
    assert_int_equal(gj_allocate(bills, 1, 100, out, &n, NULL), GJ_EINVAL);
}

static void test_receipt_format(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(gj_receipt_format(42, "SJ", out, sizeof out), GJ_OK);
    assert_string_equal(out, "SJ00000042");
    assert_int_equal(gj_receipt_format(1, "", out, sizeof out), GJ_OK);
    assert_string_equal(out, "00000001");
    assert_int_equal(gj_receipt_format(99999999, NULL, out, sizeof out), GJ_OK);
    assert_string_equal(out, "99999999");
    assert_int_equal(gj_receipt_format(123456789, "SJ", out, sizeof out), GJ_OK);
    assert_string_equal(out, "SJ123456789");
    /* exactly fits: 10 characters and the NUL */
    char small[11];
    assert_int_equal(gj_receipt_format(42, "SJ", small, sizeof small), GJ_OK);
    assert_string_equal(small, "SJ00000042");
    char tiny[10];
    assert_int_equal(gj_receipt_format(42, "SJ", tiny, sizeof tiny), GJ_EINVAL);
    assert_string_equal(tiny, "");
    assert_int_equal(gj_receipt_format(0, "SJ", out, sizeof out), GJ_EINVAL);
    assert_int_equal(gj_receipt_format(-5, "SJ", out, sizeof out), GJ_EINVAL);
    assert_int_equal(gj_receipt_format(42, "SJ", NULL, 0), GJ_EINVAL);
}

static struct gj_payment payment(const char *payer, const char *method, int64_t amount)
{
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = 1;
    strcpy(p.payer_name, payer);
    strcpy(p.method, method);
    p.amount_fen = amount;
    return p;
}

static void test_payment_validate(void **state)
{
    (void)state;
    struct gj_error err;
    const char *methods[] = {"cash", "wechat", "alipay", "card", "transfer"};
    for (size_t i = 0; i < 5; i++) {
        struct gj_payment ok = payment("张三", methods[i], 100);
        assert_int_equal(gj_payment_validate(&ok, &err), GJ_OK);
    }
    struct gj_payment p = payment("张三", "bitcoin", 100);
    expect_invalid(gj_payment_validate(&p, &err), &err, "method");
    p = payment("", "cash", 100);
    expect_invalid(gj_payment_validate(&p, &err), &err, "payer");
    p = payment("张三", "cash", 0);
    expect_invalid(gj_payment_validate(&p, &err), &err, "amount");
    p = payment("张三", "cash", -100);
    expect_invalid(gj_payment_validate(&p, &err), &err, "amount");
    p = payment("张三", "cash", GJ_MONEY_MAX + 1);
    expect_invalid(gj_payment_validate(&p, &err), &err, "amount");
    p = payment("张三", "cash", 100);
    p.unit_id = 0;
    expect_invalid(gj_payment_validate(&p, &err), &err, "unit");
    p = payment("张三", "cash", 100);
    p.reverses_payment_id = 3;
    expect_invalid(gj_payment_validate(&p, &err), &err, "revers");

    expect_invalid(gj_reversal_reason_validate("", &err), &err, "reason");
    expect_invalid(gj_reversal_reason_validate(NULL, &err), &err, "reason");
    assert_int_equal(gj_reversal_reason_validate("收错房号", &err), GJ_OK);
}

static void test_dunning_validate(void **state)
{
    (void)state;
    struct gj_error err;
    struct gj_dunning d;
    memset(&d, 0, sizeof d);
    d.unit_id = 1;
    strcpy(d.channel, "phone");
    strcpy(d.result, "no_answer");
    assert_int_equal(gj_dunning_validate(&d, &err), GJ_OK);
    strcpy(d.channel, "pigeon");
    expect_invalid(gj_dunning_validate(&d, &err), &err, "channel");
    strcpy(d.channel, "visit");
    strcpy(d.result, "maybe");
    expect_invalid(gj_dunning_validate(&d, &err), &err, "result");
    strcpy(d.result, "promised");
    expect_invalid(gj_dunning_validate(&d, &err), &err, "promised date");
    d.promised_at = 1800000000;
    d.promised_fen = 50000;
    assert_int_equal(gj_dunning_validate(&d, &err), GJ_OK);
    d.promised_fen = -1;
    expect_invalid(gj_dunning_validate(&d, &err), &err, "promised amount");
    d.promised_fen = 0;
    strcpy(d.result, "refused");
    expect_invalid(gj_dunning_validate(&d, &err), &err, "promised date");
    d.promised_at = 0;
    d.promised_fen = 100;
    expect_invalid(gj_dunning_validate(&d, &err), &err, "promised amount");
    d.promised_fen = 0;
    memset(d.note, 'x', 2001);
    expect_invalid(gj_dunning_validate(&d, &err), &err, "note");
    d.note[2000] = '\0';
    assert_int_equal(gj_dunning_validate(&d, &err), GJ_OK);
    d.unit_id = 0;
    expect_invalid(gj_dunning_validate(&d, &err), &err, "unit");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amount_per_m2_rounding),
        cmocka_unit_test(test_amount_limits),
        cmocka_unit_test(test_amount_per_space_fixed),
        cmocka_unit_test(test_fee_item_validate),
        cmocka_unit_test(test_fee_item_active_in),
        cmocka_unit_test(test_bill_validate),
        cmocka_unit_test(test_allocate_oldest_first_partial_credit),
        cmocka_unit_test(test_allocate_given_order_and_settled_bills),
        cmocka_unit_test(test_allocate_rejects),
        cmocka_unit_test(test_receipt_format),
        cmocka_unit_test(test_payment_validate),
        cmocka_unit_test(test_dunning_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
