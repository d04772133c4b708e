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

static void check_capital(int64_t fen, const char *want)
{
    char out[128];
    memset(out, 'X', sizeof out);
    gj_money_capital(fen, out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("%lld fen: got %s, want %s", (long long)fen, out, want);
}

static void test_capital(void **state)
{
    (void)state;
    check_capital(0, "零元整");
    check_capital(1, "壹分");
    check_capital(5, "伍分");
    check_capital(10, "壹角整");
    check_capital(50, "伍角整");
    check_capital(55, "伍角伍分");
    check_capital(100, "壹元整");
    check_capital(105, "壹元零伍分");
    check_capital(150, "壹元伍角整");
    check_capital(1000, "壹拾元整");
    check_capital(1050, "壹拾元伍角整");
    check_capital(1100, "壹拾壹元整");
    check_capital(2000, "贰拾元整");
    check_capital(10000, "壹佰元整");
    check_capital(10005, "壹佰元零伍分");
    check_capital(10050, "壹佰元伍角整");
    check_capital(10100, "壹佰零壹元整");
    check_capital(12345, "壹佰贰拾叁元肆角伍分");
    check_capital(100000, "壹仟元整");
    check_capital(100100, "壹仟零壹元整");
    check_capital(101000, "壹仟零壹拾元整");
    check_capital(110000, "壹仟壹佰元整");
    check_capital(140950, "壹仟肆佰零玖元伍角整");
    check_capital(168032, "壹仟陆佰捌拾元叁角贰分");
    check_capital(600714, "陆仟零柒元壹角肆分");
    check_capital(1000000, "壹万元整");
    check_capital(1000100, "壹万零壹元整");
    check_capital(1001000, "壹万零壹拾元整");
    check_capital(1010000, "壹万零壹佰元整");
    check_capital(1100000, "壹万壹仟元整");
    check_capital(1234567, "壹万贰仟叁佰肆拾伍元陆角柒分");
    check_capital(10000000, "壹拾万元整");
    check_capital(10050000, "壹拾万零伍佰元整");
    check_capital(10700053, "壹拾万柒仟元伍角叁分");
    check_capital(20000002, "贰拾万元零贰分");
    check_capital(100000000, "壹佰万元整");
    check_capital(1000000000, "壹仟万元整");
    check_capital(1000100000, "壹仟万壹仟元整"); /* 零 may be left out before 仟 */
    check_capital(1005000000, "壹仟零伍万元整");
    check_capital(10000000000, "壹亿元整");
    check_capital(10000000001, "壹亿元零壹分");
    check_capital(10000050000, "壹亿零伍佰元整");
    check_capital(10100000000, "壹亿零壹佰万元整");
    check_capital(11000000000, "壹亿壹仟万元整");
    check_capital(100001000000, "壹拾亿零壹万元整");
    check_capital(123456789012, "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分");
    check_capital(GJ_MONEY_MAX, "玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分");
    check_capital(-12345, "负壹佰贰拾叁元肆角伍分");
    check_capital(-5, "负伍分");
    check_capital(-100000, "负壹仟元整");
}

static void test_capital_extremes(void **state)
{
    (void)state;
    char out[128];
    /* Beyond GJ_MONEY_MAX still fits in 128 bytes and stays well formed. */
    gj_money_capital(INT64_MAX, out, sizeof out);
    assert_true(strlen(out) > 60);
    assert_true(gj_utf8_valid(out, strlen(out), NULL));
    assert_memory_equal(out, "玖", strlen("玖"));
    assert_string_equal(out + strlen(out) - strlen("柒佰伍拾捌元零柒分"), "柒佰伍拾捌元零柒分");
    gj_money_capital(INT64_MIN, out, sizeof out);
    assert_true(gj_utf8_valid(out, strlen(out), NULL));
    assert_memory_equal(out, "负玖", strlen("负玖"));
    assert_string_equal(out + strlen(out) - strlen("元零捌分"), "元零捌分");
    /* A short buffer is cut on a character boundary. */
    memset(out, 'X', sizeof out);
    gj_money_capital(12345, out, 10);
    assert_string_equal(out, "壹佰贰");
    assert_int_equal(out[10], 'X');
    memset(out, 'X', sizeof out);
    gj_money_capital(12345, out, 2);
    assert_string_equal(out, "");
    assert_int_equal(out[2], 'X');
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
        cmocka_unit_test(test_capital),
        cmocka_unit_test(test_capital_extremes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
