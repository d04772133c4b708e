#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "guanjia/phone.h"
#include "guanjia/utf8.h"

static void norm_ok(const char *s, const char *want, enum gj_phone_kind want_kind)
{
    char out[32];
    enum gj_phone_kind kind = 0;
    struct gj_error err;
    if (gj_phone_normalize(s, out, sizeof out, &kind, &err) != GJ_OK)
        fail_msg("\"%s\" was refused: %s", s, err.msg);
    assert_int_equal(err.code, GJ_OK);
    assert_string_equal(out, want);
    assert_int_equal(kind, want_kind);
}

static const char *norm_bad(const char *s)
{
    static struct gj_error err;
    char out[32];
    enum gj_phone_kind kind = 0;
    memset(out, 'X', sizeof out);
    if (gj_phone_normalize(s, out, sizeof out, &kind, &err) != GJ_EINVAL)
        fail_msg("\"%s\" was accepted as %s", s, out);
    assert_int_equal(err.code, GJ_EINVAL);
    assert_string_equal(out, ""); /* nothing half-written */
    assert_int_equal(kind, 0);
    assert_non_null(strstr(err.msg, "phone"));
    assert_null(strchr(err.msg, '\n'));
    return err.msg;
}

static void test_mobile(void **state)
{
    (void)state;
    norm_ok("13812345678", "13812345678", GJ_PHONE_MOBILE);
    norm_ok("19912345678", "19912345678", GJ_PHONE_MOBILE);
    norm_ok("13012345678", "13012345678", GJ_PHONE_MOBILE);
    norm_ok("138 1234 5678", "13812345678", GJ_PHONE_MOBILE);
    norm_ok("138-1234-5678", "13812345678", GJ_PHONE_MOBILE);
    norm_ok("  13812345678  ", "13812345678", GJ_PHONE_MOBILE);
    norm_ok("+8613812345678", "13812345678", GJ_PHONE_MOBILE);
    norm_ok("+86 138 1234 5678", "13812345678", GJ_PHONE_MOBILE);
    norm_ok("+86-13812345678", "13812345678", GJ_PHONE_MOBILE);
    norm_ok("8613812345678", "13812345678", GJ_PHONE_MOBILE);
    norm_ok("86 138 1234 5678", "13812345678", GJ_PHONE_MOBILE);
    norm_ok("138－1234－5678", "13812345678", GJ_PHONE_MOBILE); /* full-width dashes */
}

static void test_mobile_rejects(void **state)
{
    (void)state;
    const char *msg;
    msg = norm_bad("12812345678");
    assert_non_null(strstr(msg, "13 to 19"));
    assert_non_null(strstr(msg, "12812345678"));
    norm_bad("11812345678");
    norm_bad("10812345678");
    msg = norm_bad("1381234567");
    assert_non_null(strstr(msg, "11 digits"));
    assert_non_null(strstr(msg, "10"));
    msg = norm_bad("138123456789");
    assert_non_null(strstr(msg, "12"));
    norm_bad("+86 1381234567");
    norm_bad("+1 4155550123");
    assert_non_null(strstr(norm_bad("+44 13812345678"), "+86"));
    norm_bad("+"); /* no digits */
}

static void test_landline(void **state)
{
    (void)state;
    norm_ok("010-12345678", "010-12345678", GJ_PHONE_LANDLINE);
    norm_ok("01012345678", "010-12345678", GJ_PHONE_LANDLINE);
    norm_ok("010 12345678", "010-12345678", GJ_PHONE_LANDLINE);
    norm_ok("(010) 1234 5678", "010-12345678", GJ_PHONE_LANDLINE);
    norm_ok("021-87654321", "021-87654321", GJ_PHONE_LANDLINE);
    norm_ok("0755 1234567", "0755-1234567", GJ_PHONE_LANDLINE);
    norm_ok("0755-12345678", "0755-12345678", GJ_PHONE_LANDLINE);
    norm_ok("07551234567", "0755-1234567", GJ_PHONE_LANDLINE);
    norm_ok("0571-2345678", "0571-2345678", GJ_PHONE_LANDLINE);
    norm_ok("0991-9876543", "0991-9876543", GJ_PHONE_LANDLINE);
    norm_ok("0755 1234 5678", "0755-12345678", GJ_PHONE_LANDLINE);
    norm_ok("+86 010 12345678", "010-12345678", GJ_PHONE_LANDLINE);
}

static void test_landline_rejects(void **state)
{
    (void)state;
    const char *msg;
    /* Subscriber number too short or too long. */
    msg = norm_bad("010-123456");
    assert_non_null(strstr(msg, "7 or 8 digits"));
    assert_non_null(strstr(msg, "6"));
    norm_bad("010-123456789");
    norm_bad("0755-123456");
    norm_bad("0755-123456789");
    /* Subscriber starts with 0 (a second trunk prefix). */
    msg = norm_bad("010-02345678");
    assert_non_null(strstr(msg, "cannot start with 0"));
    norm_bad("0755-12345678"
             "9");
    norm_bad("021-0345678");
    norm_bad("0755-0234567");
    /* Bad area codes. */
    msg = norm_bad("011-12345678");
    assert_non_null(strstr(msg, "area code"));
    norm_bad("019-12345678");
    norm_bad("001-12345678");
    norm_bad("0012345678");
    /* Too short overall. */
    norm_bad("0");
    norm_bad("010");
    norm_bad("0755");
}

static void test_extension_refused(void **state)
{
    (void)state;
    const char *msg;
    msg = norm_bad("010-12345678-123");
    assert_non_null(strstr(msg, "extension"));
    msg = norm_bad("0755-1234567-8");
    assert_non_null(strstr(msg, "extension"));
    assert_non_null(strstr(norm_bad("010-12345678转123"), "extension"));
    assert_non_null(strstr(norm_bad("010-12345678 ext 12"), "extension"));
    assert_non_null(strstr(norm_bad("010-12345678 x12"), "extension"));
    assert_non_null(strstr(norm_bad("010-12345678#5"), "extension"));
    assert_non_null(strstr(norm_bad("13812345678转1"), "extension"));
    assert_non_null(strstr(norm_bad("13812345678-1"), "extension"));
    assert_non_null(strstr(norm_bad("01012345678 123"), "extension"));
    /* Spaces inside a valid number are not an extension. */
    norm_ok("0755 1234 567", "0755-1234567", GJ_PHONE_LANDLINE);
    norm_ok("010 1234 5678", "010-12345678", GJ_PHONE_LANDLINE);
    norm_ok("0755 1234 5678", "0755-12345678", GJ_PHONE_LANDLINE);
    assert_non_null(strstr(norm_bad("0755 1234567 8"), "extension"));
    assert_non_null(strstr(norm_bad("+86 13812345678 12"), "extension"));
}

static void test_garbage(void **state)
{
    (void)state;
    const char *msg;
    msg = norm_bad("");
    assert_non_null(strstr(msg, "enter a mobile"));
    norm_bad("   ");
    norm_bad(NULL);
    msg = norm_bad("138abc45678");
    assert_non_null(strstr(msg, "only digits"));
    assert_non_null(strstr(msg, "138abc45678"));
    norm_bad("phone");
    norm_bad("138.1234.5678");
    norm_bad("１３８１２３４５６７８"); /* full-width digits */
    norm_bad("---");
    norm_bad("++8613812345678");
    msg = norm_bad("23812345678");
    assert_non_null(strstr(msg, "neither a mobile"));
    norm_bad("95588");
    /* Far too many digits: refused, not overflowed. */
    norm_bad("1381234567813812345678138123456781381234567813812345678");
    /* Controls and long input stay out of the message. */
    msg = norm_bad("138\x1B[31m12345678");
    assert_null(strchr(msg, 0x1B));
    msg = norm_bad("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十");
    assert_true(gj_utf8_valid(msg, strlen(msg), NULL));
    assert_non_null(strstr(msg, "…"));
    msg = norm_bad("138\xFF");
    assert_true(gj_utf8_valid(msg, strlen(msg), NULL));
}

static void test_normalize_nulls_and_truncation(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(gj_phone_normalize("13812345678", NULL, 0, NULL, NULL), GJ_OK);
    assert_int_equal(gj_phone_normalize("12812345678", NULL, 0, NULL, NULL), GJ_EINVAL);
    memset(out, 'X', sizeof out);
    assert_int_equal(gj_phone_normalize("010-12345678", out, 5, NULL, NULL), GJ_OK);
    assert_string_equal(out, "010-");
    assert_int_equal(out[5], 'X');
}

static void test_mask(void **state)
{
    (void)state;
    char out[32];
    gj_phone_mask("13812345678", out, sizeof out);
    assert_string_equal(out, "138****5678");
    gj_phone_mask("010-12345678", out, sizeof out);
    assert_string_equal(out, "010-****5678");
    gj_phone_mask("0755-1234567", out, sizeof out);
    assert_string_equal(out, "0755-***4567");
    gj_phone_mask("0755-12345678", out, sizeof out);
    assert_string_equal(out, "0755-****5678");
    /* Anything else keeps its last four. */
    gj_phone_mask("95588123", out, sizeof out);
    assert_string_equal(out, "****8123");
    gj_phone_mask("1234", out, sizeof out);
    assert_string_equal(out, "1234");
    gj_phone_mask("12", out, sizeof out);
    assert_string_equal(out, "12");
    gj_phone_mask("", out, sizeof out);
    assert_string_equal(out, "");
    gj_phone_mask(NULL, out, sizeof out);
    assert_string_equal(out, "");
    gj_phone_mask("电话12345", out, sizeof out);
    assert_string_equal(out, "***2345");
    gj_phone_mask("ab\x1B"
                  "cd",
                  out, sizeof out);
    assert_string_equal(out, "*b?cd");
}

static void test_mask_truncation(void **state)
{
    (void)state;
    char out[32];
    memset(out, 'X', sizeof out);
    gj_phone_mask("13812345678", out, 5); /* whole pieces only */
    assert_string_equal(out, "138");
    assert_int_equal(out[5], 'X');
    memset(out, 'X', sizeof out);
    gj_phone_mask("abc电话号码", out, 8);
    assert_string_equal(out, "***电"); /* the next character would not fit */
    assert_int_equal(out[8], 'X');
    memset(out, 'X', sizeof out);
    gj_phone_mask("13812345678", out, 0);
    assert_int_equal(out[0], 'X');
}

static void test_last4(void **state)
{
    (void)state;
    char out[5];
    gj_phone_last4("13812345678", out);
    assert_string_equal(out, "5678");
    gj_phone_last4("010-12345678", out);
    assert_string_equal(out, "5678");
    gj_phone_last4("0755-1234567", out);
    assert_string_equal(out, "4567");
    gj_phone_last4("12-34", out);
    assert_string_equal(out, "1234");
    gj_phone_last4("123", out);
    assert_string_equal(out, "123");
    gj_phone_last4("", out);
    assert_string_equal(out, "");
    gj_phone_last4(NULL, out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mobile),
        cmocka_unit_test(test_mobile_rejects),
        cmocka_unit_test(test_landline),
        cmocka_unit_test(test_landline_rejects),
        cmocka_unit_test(test_extension_refused),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_normalize_nulls_and_truncation),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_mask_truncation),
        cmocka_unit_test(test_last4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
