#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guanjia/clock.h"
#include "guanjia/utf8.h"

/* The tests run with TZ=CST-8 (UTC+8, no daylight saving). */

static int64_t dt_ok(const char *s)
{
    struct gj_error err;
    int64_t t = 0;
    if (gj_parse_datetime(s, &t, &err) != GJ_OK)
        fail_msg("\"%s\" was refused: %s", s, err.msg);
    assert_int_equal(err.code, GJ_OK);
    return t;
}

static int64_t date_ok(const char *s)
{
    struct gj_error err;
    int64_t t = 0;
    if (gj_parse_date(s, &t, &err) != GJ_OK)
        fail_msg("\"%s\" was refused: %s", s, err.msg);
    return t;
}

static const char *dt_bad(const char *s)
{
    static struct gj_error err;
    int64_t t = 4242;
    if (gj_parse_datetime(s, &t, &err) != GJ_EINVAL)
        fail_msg("\"%s\" was accepted", s);
    assert_int_equal(err.code, GJ_EINVAL);
    assert_int_equal(t, 4242);
    assert_null(strchr(err.msg, '\n'));
    return err.msg;
}

static const char *date_bad(const char *s)
{
    static struct gj_error err;
    int64_t t = 4242;
    if (gj_parse_date(s, &t, &err) != GJ_EINVAL)
        fail_msg("\"%s\" was accepted", s);
    assert_int_equal(err.code, GJ_EINVAL);
    assert_int_equal(t, 4242);
    assert_null(strchr(err.msg, '\n'));
    return err.msg;
}

static const char *month_bad(const char *s)
{
    static struct gj_error err;
    int m = 4242;
    if (gj_parse_month(s, &m, &err) != GJ_EINVAL)
        fail_msg("\"%s\" was accepted as %d", s, m);
    assert_int_equal(m, 4242);
    return err.msg;
}

static void test_parse_datetime(void **state)
{
    (void)state;
    assert_int_equal(dt_ok("2026-11-29T15:04"), 1795935840);
    assert_int_equal(dt_ok("2026-11-29 15:04"), 1795935840);
    assert_int_equal(dt_ok("2026-11-29  15:04"), 1795935840);
    assert_int_equal(dt_ok(" 2026-11-29T15:04 "), 1795935840);
    assert_int_equal(dt_ok("2026-11-29T15:04:05"), 1795935845);
    assert_int_equal(dt_ok("2026-11-29T15:04:00"), 1795935840);
    assert_int_equal(dt_ok("2026-1-5 9:05"), 1767575100);
    assert_int_equal(dt_ok("2026-01-05 09:05"), 1767575100);
    assert_int_equal(dt_ok("2024-02-29T00:00"), 1709136000);
    assert_int_equal(dt_ok("9999-12-31T23:59:59"), INT64_C(253402271999));
    assert_int_equal(dt_ok("1900-01-01T00:00"), INT64_C(-2209017600));
    /* mktime's error value is also a real second. */
    assert_int_equal(dt_ok("1970-01-01 07:59:59"), -1);
    assert_int_equal(gj_parse_datetime("2026-11-29T15:04", NULL, NULL), GJ_OK);
}

static void test_parse_datetime_rejects(void **state)
{
    (void)state;
    static const char *const syntax[] = {
        "2026-11-29",
        "2026-11-29T",
        "2026-11-29T15",
        "2026-11-29T15:4",
        "2026-11-29T15:04:5",
        "2026-11-29T15:04:",
        "2026-11-29T15:04x",
        "2026-11-29T15:04 x",
        "2026/11/29 15:04",
        "26-11-29 15:04",
        "2026-11-29t15:04",
        "2026-11-29T15.04",
        "20261129T1504",
        "2026-11-29T15:04:05.5",
        "now",
        "",
        "2026-11-29T-1:04",
        "2026-11-29T015:04",
        "12026-11-29T15:04",
        "2026-111-29T15:04",
    };
    const char *msg;
    for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++) {
        msg = dt_bad(syntax[i]);
        assert_non_null(strstr(msg, "YYYY-MM-DD HH:MM"));
    }
    dt_bad(NULL);
    msg = dt_bad("2026-11-29T24:00");
    assert_non_null(strstr(msg, "00:00 and 23:59"));
    assert_non_null(strstr(msg, "2026-11-29T24:00"));
    dt_bad("2026-11-29T23:60");
    dt_bad("2026-11-29T23:59:60");
    dt_bad("2026-11-29T99:99");
    msg = dt_bad("2026-02-30 10:00");
    assert_non_null(strstr(msg, "2026-02 has 28 days"));
    msg = dt_bad("2026-13-01 10:00");
    assert_non_null(strstr(msg, "month 13"));
}

static void test_parse_date(void **state)
{
    (void)state;
    assert_int_equal(date_ok("2026-01-01"), 1767196800);
    assert_int_equal(date_ok(" 2026-01-01\t"), 1767196800);
    assert_int_equal(date_ok("2026-1-1"), 1767196800);
    assert_int_equal(date_ok("2024-02-29"), 1709136000);
    assert_int_equal(date_ok("2000-02-29"), date_ok("2000-03-01") - 86400);
    assert_int_equal(date_ok("2026-11-29"), 1795935840 - (15 * 3600 + 4 * 60));
    /* Local midnight, not UTC midnight. */
    assert_int_equal(date_ok("2026-11-01") % 86400, 86400 - 8 * 3600);
}

static void test_parse_date_rejects(void **state)
{
    (void)state;
    const char *msg;
    msg = date_bad("2026-02-30");
    assert_non_null(strstr(msg, "\"2026-02-30\""));
    assert_non_null(strstr(msg, "2026-02 has 28 days"));
    msg = date_bad("2025-02-29");
    assert_non_null(strstr(msg, "2025-02 has 28 days"));
    date_bad("1900-02-29"); /* not a leap year */
    msg = date_bad("2026-04-31");
    assert_non_null(strstr(msg, "30 days"));
    date_bad("2026-01-00");
    date_bad("2026-01-32");
    msg = date_bad("2026-13-01");
    assert_non_null(strstr(msg, "month 13"));
    date_bad("2026-00-10");
    msg = date_bad("1899-12-31");
    assert_non_null(strstr(msg, "year"));
    date_bad("0000-01-01");

    static const char *const syntax[] = {
        "",
        "   ",
        "abc",
        "2026-01-01x",
        "2026-01-01 10:00",
        "20260101",
        "2026-01",
        "2026-1",
        "2026/01/01",
        "01-01-2026",
        "2026-001-01",
        "2026--01",
        "99999-01-01",
        "2026-01-01T",
        "２０２６-01-01",
    };
    for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++) {
        msg = date_bad(syntax[i]);
        assert_non_null(strstr(msg, "YYYY-MM-DD"));
    }
    date_bad(NULL);
    /* Input in messages is cut and cleaned. */
    msg = date_bad("2026-01-01\x1B[2J and a lot of text after it, far more than forty bytes");
    assert_null(strchr(msg, 0x1B));
    assert_non_null(strstr(msg, "…"));
    assert_true(gj_utf8_valid(msg, strlen(msg), NULL));
}

static void test_parse_month(void **state)
{
    (void)state;
    struct gj_error err;
    int m = 0;
    assert_int_equal(gj_parse_month("2026-11", &m, &err), GJ_OK);
    assert_int_equal(m, 202611);
    assert_int_equal(gj_parse_month(" 2026-1 ", &m, &err), GJ_OK);
    assert_int_equal(m, 202601);
    assert_int_equal(gj_parse_month("2026-12", &m, NULL), GJ_OK);
    assert_int_equal(m, 202612);
    assert_non_null(strstr(month_bad("2026-13"), "month 13"));
    month_bad("2026-00");
    assert_non_null(strstr(month_bad("2026"), "YYYY-MM"));
    month_bad("2026-11-01");
    month_bad("2026-11x");
    month_bad("202611");
    month_bad("abc");
    month_bad("");
    month_bad(NULL);
    month_bad("1899-12");
}

static void test_month_arithmetic(void **state)
{
    (void)state;
    assert_int_equal(gj_month_add(202611, 0), 202611);
    assert_int_equal(gj_month_add(202611, 1), 202612);
    assert_int_equal(gj_month_add(202611, 2), 202701);
    assert_int_equal(gj_month_add(202612, 1), 202701);
    assert_int_equal(gj_month_add(202601, -1), 202512);
    assert_int_equal(gj_month_add(202611, -11), 202512);
    assert_int_equal(gj_month_add(202611, -12), 202511);
    assert_int_equal(gj_month_add(202611, -23), 202412);
    assert_int_equal(gj_month_add(202611, -25), 202410);
    assert_int_equal(gj_month_add(202611, 24), 202811);
    assert_int_equal(gj_month_add(202601, 1200), 212601);

    assert_int_equal(gj_month_days(202601), 31);
    assert_int_equal(gj_month_days(202602), 28);
    assert_int_equal(gj_month_days(202402), 29);
    assert_int_equal(gj_month_days(200002), 29);
    assert_int_equal(gj_month_days(190002), 28);
    assert_int_equal(gj_month_days(202604), 30);
    assert_int_equal(gj_month_days(202612), 31);
    assert_int_equal(gj_month_days(202613), 0);
    assert_int_equal(gj_month_days(202600), 0);

    assert_true(gj_valid_date(2024, 2, 29));
    assert_false(gj_valid_date(2025, 2, 29));
    assert_false(gj_valid_date(2026, 2, 30));
    assert_true(gj_valid_date(2026, 12, 31));
    assert_false(gj_valid_date(2026, 13, 1));
    assert_false(gj_valid_date(2026, 0, 1));
    assert_false(gj_valid_date(2026, 1, 0));
    assert_false(gj_valid_date(2026, 6, 31));
}

static void test_month_of_and_start(void **state)
{
    (void)state;
    /* 2026-11-30 23:59:59 local is still November; one second later is
     * December although UTC is still in November. */
    int64_t dec1 = date_ok("2026-12-01");
    assert_int_equal(dec1, 1796054400);
    assert_int_equal(gj_month_of(dec1 - 1), 202611);
    assert_int_equal(gj_month_of(dec1), 202612);
    assert_int_equal(gj_month_start(202612), dec1);
    assert_int_equal(gj_month_start(202611), 1793462400);
    assert_int_equal(gj_month_start(202601), date_ok("2026-01-01"));
    assert_int_equal(gj_month_start(gj_month_add(202612, 1)), date_ok("2027-01-01"));
    assert_int_equal(gj_month_of(gj_month_start(202402)), 202402);
    assert_int_equal(gj_month_start(202603) - gj_month_start(202602), 28 * 86400);
}

static void test_format(void **state)
{
    (void)state;
    char out[32];
    gj_format_datetime(1795935845, out, sizeof out);
    assert_string_equal(out, "2026-11-29 15:04");
    gj_format_date(1795935845, out, sizeof out);
    assert_string_equal(out, "2026-11-29");
    gj_format_date(1796054400 - 1, out, sizeof out);
    assert_string_equal(out, "2026-11-30");
    gj_format_date(1796054400, out, sizeof out);
    assert_string_equal(out, "2026-12-01");
    gj_format_datetime(0, out, sizeof out);
    assert_string_equal(out, "1970-01-01 08:00");
    gj_format_month(202611, out, sizeof out);
    assert_string_equal(out, "2026-11");
    gj_format_month(202601, out, sizeof out);
    assert_string_equal(out, "2026-01");
    /* Round trips. */
    gj_format_datetime(dt_ok("2024-02-29 23:59"), out, sizeof out);
    assert_string_equal(out, "2024-02-29 23:59");
    assert_int_equal(dt_ok(out), dt_ok("2024-02-29 23:59"));
    /* Truncation stays inside the buffer. */
    memset(out, 'X', sizeof out);
    gj_format_datetime(1795935845, out, 5);
    assert_string_equal(out, "2026");
    assert_int_equal(out[5], 'X');
    memset(out, 'X', sizeof out);
    gj_format_month(202611, out, 0);
    assert_int_equal(out[0], 'X');
}

static void test_now_fixed(void **state)
{
    (void)state;
    struct gj_error err;
    assert_int_equal(setenv("GUANJIA_NOW", "2026-11-29T15:04", 1), 0);
    assert_int_equal(gj_now(), 1795935840);
    assert_int_equal(gj_clock_check(&err), GJ_OK);
    assert_int_equal(err.code, GJ_OK);
    /* A change takes effect on the next call. */
    assert_int_equal(setenv("GUANJIA_NOW", "2026-11-29 15:04:30", 1), 0);
    assert_int_equal(gj_now(), 1795935870);
    assert_int_equal(setenv("GUANJIA_NOW", "2027-01-01T00:00", 1), 0);
    assert_int_equal(gj_month_of(gj_now()), 202701);
    unsetenv("GUANJIA_NOW");
}

static void test_now_real(void **state)
{
    (void)state;
    struct gj_error err;
    int64_t before, now, after;

    unsetenv("GUANJIA_NOW");
    before = (int64_t)time(NULL);
    now = gj_now();
    after = (int64_t)time(NULL);
    assert_true(now >= before && now <= after);
    assert_int_equal(gj_clock_check(&err), GJ_OK);

    /* Empty counts as unset. */
    assert_int_equal(setenv("GUANJIA_NOW", "", 1), 0);
    assert_int_equal(gj_clock_check(&err), GJ_OK);
    now = gj_now();
    assert_true(now >= before && now <= (int64_t)time(NULL));

    /* Malformed: the real clock, and the check says why. */
    assert_int_equal(setenv("GUANJIA_NOW", "2026-02-30T10:00", 1), 0);
    before = (int64_t)time(NULL);
    now = gj_now();
    assert_true(now >= before && now <= (int64_t)time(NULL));
    assert_int_equal(gj_clock_check(&err), GJ_EINVAL);
    assert_int_equal(err.code, GJ_EINVAL);
    assert_non_null(strstr(err.msg, "GUANJIA_NOW"));
    assert_non_null(strstr(err.msg, "2026-02-30T10:00"));
    assert_int_equal(gj_clock_check(NULL), GJ_EINVAL);

    assert_int_equal(setenv("GUANJIA_NOW", "tomorrow\x1B[2J", 1), 0);
    assert_int_equal(gj_clock_check(&err), GJ_EINVAL);
    assert_null(strchr(err.msg, 0x1B));
    unsetenv("GUANJIA_NOW");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_datetime),     cmocka_unit_test(test_parse_datetime_rejects),
        cmocka_unit_test(test_parse_date),         cmocka_unit_test(test_parse_date_rejects),
        cmocka_unit_test(test_parse_month),        cmocka_unit_test(test_month_arithmetic),
        cmocka_unit_test(test_month_of_and_start), cmocka_unit_test(test_format),
        cmocka_unit_test(test_now_fixed),          cmocka_unit_test(test_now_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
