#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "guanjia/money.h"
#include "guanjia/utf8.h"

#define ANY (GJ_MONEY_ALLOW_NEGATIVE | GJ_MONEY_ALLOW_ZERO)

static int64_t parse_ok(const char *s, unsigned flags)
{
    struct gj_error err;
    int64_t fen = -999;
    int rc = gj_money_parse(s, flags, "amount", &fen, &err);
    if (rc != GJ_OK)
        fail_msg("\"%s\" was refused: %s", s, err.msg);
    assert_int_equal(err.code, GJ_OK);
    return fen;
}

/* Parses s expecting a refusal; returns the message (static). */
static const char *parse_bad(const char *s, unsigned flags, const char *field)
{
    static struct gj_error err;
    int64_t fen = 4242;
    int rc = gj_money_parse(s, flags, field, &fen, &err);
    if (rc != GJ_EINVAL)
        fail_msg("\"%s\" was accepted as %lld", s, (long long)fen);
    assert_int_equal(err.code, GJ_EINVAL);
    assert_int_equal(fen, 4242); /* untouched on error */
    assert_non_null(strstr(err.msg, field));
    assert_null(strchr(err.msg, '\n'));
    return err.msg;
}

static void test_parse_accepts(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("1234.56", 0), 123456);
    assert_int_equal(parse_ok("1,234.56", 0), 123456);
    assert_int_equal(parse_ok("¥1,234.56", 0), 123456);
    assert_int_equal(parse_ok("￥12", 0), 1200);
    assert_int_equal(parse_ok("12.5", 0), 1250);
    assert_int_equal(parse_ok("12.05", 0), 1205);
    assert_int_equal(parse_ok("0.01", 0), 1);
    assert_int_equal(parse_ok("0.5", 0), 50);
    assert_int_equal(parse_ok("100", 0), 10000);
    assert_int_equal(parse_ok("007", 0), 700);
    assert_int_equal(parse_ok("1,234,567.89", 0), 123456789);
    assert_int_equal(parse_ok("999", 0), 99900);
    assert_int_equal(parse_ok("1,000", 0), 100000);
    assert_int_equal(parse_ok("12,345", 0), 1234500);
    assert_int_equal(parse_ok("123,456", 0), 12345600);
    /* Spaces around, and after the yuan sign. */
    assert_int_equal(parse_ok("  12.30  ", 0), 1230);
    assert_int_equal(parse_ok("\t12\t", 0), 1200);
    assert_int_equal(parse_ok("\xE3\x80\x80"
                              "12"
                              "\xE3\x80\x80",
                              0),
                     1200); /* U+3000 */
    assert_int_equal(parse_ok("¥ 12", 0), 1200);
    assert_int_equal(parse_ok(" ￥ 1,000.00 ", 0), 100000);
}

static void test_parse_limits(void **state)
{
    (void)state;
    const char *msg;
    assert_int_equal(parse_ok("99,999,999,999.99", 0), GJ_MONEY_MAX);
    assert_int_equal(parse_ok("99999999999.99", 0), GJ_MONEY_MAX);
    assert_int_equal(parse_ok("99999999999.9", 0), GJ_MONEY_MAX - 9);
    assert_int_equal(parse_ok("-99999999999.99", ANY), -GJ_MONEY_MAX);
    msg = parse_bad("100000000000", 0, "amount");
    assert_non_null(strstr(msg, "too large"));
    assert_non_null(strstr(msg, "99,999,999,999.99"));
    parse_bad("100,000,000,000.00", 0, "amount");
    parse_bad("-100000000000", ANY, "amount");
    /* Far beyond int64: no overflow, still a clean refusal. */
    msg = parse_bad("99999999999999999999999999999999", 0, "amount");
    assert_non_null(strstr(msg, "too large"));
    parse_bad("18446744073709551616", 0, "amount");
    parse_bad("9223372036854775807", 0, "amount");
}

static void test_parse_negative_and_zero(void **state)
{
    (void)state;
    const char *msg;
    assert_int_equal(parse_ok("-3.00", GJ_MONEY_ALLOW_NEGATIVE), -300);
    assert_int_equal(parse_ok("-¥3", GJ_MONEY_ALLOW_NEGATIVE), -300);
    assert_int_equal(parse_ok("¥-3", GJ_MONEY_ALLOW_NEGATIVE), -300);
    assert_int_equal(parse_ok("-￥1,234.56", GJ_MONEY_ALLOW_NEGATIVE), -123456);
    assert_int_equal(parse_ok(" -0.01 ", GJ_MONEY_ALLOW_NEGATIVE), -1);
    msg = parse_bad("-3.00", 0, "deposit");
    assert_non_null(strstr(msg, "negative"));
    assert_non_null(strstr(msg, "-3.00"));
    parse_bad("-3.00", GJ_MONEY_ALLOW_ZERO, "deposit");

    msg = parse_bad("0", 0, "fee");
    assert_non_null(strstr(msg, "greater than zero"));
    parse_bad("0.00", GJ_MONEY_ALLOW_NEGATIVE, "fee");
    parse_bad("¥0", 0, "fee");
    assert_int_equal(parse_ok("0", GJ_MONEY_ALLOW_ZERO), 0);
    assert_int_equal(parse_ok("0.00", GJ_MONEY_ALLOW_ZERO), 0);
    /* Minus zero is zero, not negative. */
    assert_int_equal(parse_ok("-0", GJ_MONEY_ALLOW_ZERO), 0);
    assert_int_equal(parse_ok("-0.00", ANY), 0);
    parse_bad("-0", GJ_MONEY_ALLOW_NEGATIVE, "fee");
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "abc",  "12a", "a12", "1.2.3", "1e3",   "0x10",     "+5",    "--5",
        "-",    "¥",   "￥",  ".5",    "12.",   "1 000",    "1. 5",  "１２",
        "12元", "$12", "12¥", "¥¥12",  "-¥-12", "1,234.5a", "1_000",
    };
    const char *msg;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        msg = parse_bad(bad[i], ANY, "amount");
        assert_non_null(strstr(msg, "is not an amount"));
    }
    msg = parse_bad("abc", 0, "water fee");
    assert_string_equal(msg, "water fee: \"abc\" is not an amount (use digits and at most two "
                             "decimals, e.g. 1234.50)");

    msg = parse_bad("", 0, "rent");
    assert_non_null(strstr(msg, "enter an amount"));
    parse_bad("   ", 0, "rent");
    parse_bad(NULL, 0, "rent");

    msg = parse_bad("1.234", 0, "amount");
    assert_non_null(strstr(msg, "two decimals"));
    assert_non_null(strstr(msg, "1.234"));
    parse_bad("0.001", ANY, "amount");
    parse_bad("99999999999.991", 0, "amount");
}

static void test_parse_grouping(void **state)
{
    (void)state;
    static const char *const bad[] = {"1,23.4",   "12,34",     "1,2345",    "1,,234",
                                      "1,234,",   "1234,567",  "0,123",     "1,234,56",
                                      "1,23,456", "¥12,34.00", "1,234,5678"};
    const char *msg;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        msg = parse_bad(bad[i], 0, "amount");
        assert_non_null(strstr(msg, "thousands separators"));
    }
    parse_bad(",123", 0, "amount"); /* not even a number */
}

static void test_parse_message_safety(void **state)
{
    (void)state;
    const char *msg;
    struct gj_error err;
    /* Long input is cut to a short excerpt. */
    msg = parse_bad("1234567890abcdefghij1234567890abcdefghij1234567890abcdefghij", 0, "amount");
    assert_non_null(strstr(msg, "…"));
    assert_null(strstr(msg, "1234567890abcdefghij1234567890abcdefghij1"));
    assert_true(strlen(msg) < 200);
    /* CJK input is never split in the message. */
    msg = parse_bad("一二三四五六七八九十一二三四五六七八九十", 0, "amount");
    assert_true(gj_utf8_valid(msg, strlen(msg), NULL));
    assert_non_null(strstr(msg, "一二三四五六七八九十一二三…"));
    /* Controls never reach the message. */
    msg = parse_bad("12\x1B[31m\r", 0, "amount");
    assert_null(strchr(msg, 0x1B));
    assert_null(strchr(msg, '\r'));
    msg = parse_bad("12\xFF", 0, "amount");
    assert_true(gj_utf8_valid(msg, strlen(msg), NULL));
    /* err and fen may be NULL; a NULL field still gives a message. */
    assert_int_equal(gj_money_parse("abc", 0, "amount", NULL, NULL), GJ_EINVAL);
    assert_int_equal(gj_money_parse("12", 0, "amount", NULL, NULL), GJ_OK);
    assert_int_equal(gj_money_parse("abc", 0, NULL, NULL, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "\"abc\""));
}

static void test_format(void **state)
{
    (void)state;
    char out[32];
    gj_money_format(0, out, sizeof out);
    assert_string_equal(out, "¥0.00");
    gj_money_format(1, out, sizeof out);
    assert_string_equal(out, "¥0.01");
    gj_money_format(10, out, sizeof out);
    assert_string_equal(out, "¥0.10");
    gj_money_format(100, out, sizeof out);
    assert_string_equal(out, "¥1.00");
    gj_money_format(99999, out, sizeof out);
    assert_string_equal(out, "¥999.99");
    gj_money_format(100000, out, sizeof out);
    assert_string_equal(out, "¥1,000.00");
    gj_money_format(123456, out, sizeof out);
    assert_string_equal(out, "¥1,234.56");
    gj_money_format(12345678900, out, sizeof out);
    assert_string_equal(out, "¥123,456,789.00");
    gj_money_format(-123456, out, sizeof out);
    assert_string_equal(out, "-¥1,234.56");
    gj_money_format(-1, out, sizeof out);
    assert_string_equal(out, "-¥0.01");
    gj_money_format(GJ_MONEY_MAX, out, sizeof out);
    assert_string_equal(out, "¥99,999,999,999.99");
    gj_money_format(INT64_MAX, out, sizeof out);
    assert_string_equal(out, "¥92,233,720,368,547,758.07");
    gj_money_format(INT64_MIN, out, sizeof out);
    assert_string_equal(out, "-¥92,233,720,368,547,758.08");
}

static void test_format_plain(void **state)
{
    (void)state;
    char out[32];
    gj_money_format_plain(0, out, sizeof out);
    assert_string_equal(out, "0.00");
    gj_money_format_plain(5, out, sizeof out);
    assert_string_equal(out, "0.05");
    gj_money_format_plain(123456, out, sizeof out);
    assert_string_equal(out, "1234.56");
    gj_money_format_plain(-5, out, sizeof out);
    assert_string_equal(out, "-0.05");
    gj_money_format_plain(GJ_MONEY_MAX, out, sizeof out);
    assert_string_equal(out, "99999999999.99");
    gj_money_format_plain(INT64_MIN, out, sizeof out);
    assert_string_equal(out, "-92233720368547758.08");
}

static void test_format_truncation(void **state)
{
    (void)state;
    char out[40];
    memset(out, 'X', sizeof out);
    gj_money_format(123456, out, 2); /* "¥" needs two bytes: nothing fits */
    assert_string_equal(out, "");
    assert_int_equal(out[2], 'X');
    memset(out, 'X', sizeof out);
    gj_money_format(123456, out, 3);
    assert_string_equal(out, "¥");
    assert_int_equal(out[3], 'X');
    memset(out, 'X', sizeof out);
    gj_money_format(123456, out, 6);
    assert_string_equal(out, "¥1,2");
    assert_int_equal(out[6], 'X');
    memset(out, 'X', sizeof out);
    gj_money_format_plain(123456, out, 4);
    assert_string_equal(out, "123");
    assert_int_equal(out[4], 'X');
    memset(out, 'X', sizeof out);
    gj_money_format(123456, out, 0);
    assert_int_equal(out[0], 'X');
}

static void test_round_trip(void **state)
{
    (void)state;
    static const int64_t values[] = {1,     9,         10,         99,           100,
                                     1005,  123456,    100000,     99999999,     -1,
                                     -1050, -99999999, 1234567890, GJ_MONEY_MAX, -GJ_MONEY_MAX};
    char out[32];
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        gj_money_format(values[i], out, sizeof out);
        assert_int_equal(parse_ok(out, ANY), values[i]);
        gj_money_format_plain(values[i], out, sizeof out);
        assert_int_equal(parse_ok(out, ANY), values[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_accepts),
        cmocka_unit_test(test_parse_limits),
        cmocka_unit_test(test_parse_negative_and_zero),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_parse_grouping),
        cmocka_unit_test(test_parse_message_safety),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_plain),
        cmocka_unit_test(test_format_truncation),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
