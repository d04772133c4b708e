#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "guanjia/unitcode.h"
#include "guanjia/utf8.h"

static void parse_ok(const char *s, int b, int e, int r)
{
    struct gj_unitcode u = {0, 0, 0};
    struct gj_error err;
    if (gj_unitcode_parse(s, &u, &err) != GJ_OK)
        fail_msg("\"%s\" was refused: %s", s, err.msg);
    assert_int_equal(err.code, GJ_OK);
    assert_int_equal(u.building, b);
    assert_int_equal(u.entrance, e);
    assert_int_equal(u.room, r);
}

static const char *parse_bad(const char *s)
{
    static struct gj_error err;
    struct gj_unitcode u = {7, 7, 707};
    if (gj_unitcode_parse(s, &u, &err) != GJ_EINVAL)
        fail_msg("\"%s\" was accepted as %d-%d-%d", s, u.building, u.entrance, u.room);
    assert_int_equal(err.code, GJ_EINVAL);
    assert_int_equal(u.building, 7); /* untouched on error */
    assert_int_equal(u.room, 707);
    assert_non_null(strstr(err.msg, "unit code"));
    assert_null(strchr(err.msg, '\n'));
    return err.msg;
}

static void test_parse_forms(void **state)
{
    (void)state;
    parse_ok("3-2-501", 3, 2, 501);
    parse_ok("3－2－501", 3, 2, 501); /* full-width dashes */
    parse_ok("3栋2单元501", 3, 2, 501);
    parse_ok("3栋2单元501室", 3, 2, 501);
    parse_ok("3号楼2单元501", 3, 2, 501);
    parse_ok("3号楼2单元501室", 3, 2, 501);
    parse_ok("3幢2单元501", 3, 2, 501);
    parse_ok("  3-2-501  ", 3, 2, 501);
    parse_ok("\t3栋2单元501室 ", 3, 2, 501);
    parse_ok("\xE3\x80\x80"
             "3-2-501"
             "\xE3\x80\x80",
             3, 2, 501); /* U+3000 */
    parse_ok("3 - 2 - 501", 3, 2, 501);
    parse_ok("3 栋 2 单元 501 室", 3, 2, 501);
    parse_ok("12-1-1203", 12, 1, 1203);
    parse_ok("03-02-0501", 3, 2, 501); /* leading zeros */
}

static void test_parse_ranges(void **state)
{
    (void)state;
    const char *msg;
    parse_ok("1-1-101", 1, 1, 101);
    parse_ok("999-99-99999", 999, 99, 99999);

    msg = parse_bad("0-1-101");
    assert_non_null(strstr(msg, "building"));
    assert_non_null(strstr(msg, "\"0-1-101\""));
    assert_non_null(strstr(msg, "999"));
    parse_bad("1000-1-101");
    parse_bad("99999999999999999999-1-101"); /* no overflow */

    msg = parse_bad("1-0-101");
    assert_non_null(strstr(msg, "entrance"));
    assert_non_null(strstr(msg, "99"));
    parse_bad("1-100-101");

    msg = parse_bad("1-1-100");
    assert_non_null(strstr(msg, "room"));
    assert_non_null(strstr(msg, "101"));
    parse_bad("1-1-0");
    parse_bad("1-1-99");
    parse_bad("1-1-100000");
    parse_bad("1-1-99999999999999999999");
    parse_bad("3栋2单元100000室");
}

static void test_parse_shape(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "3-2",         "3-2-",        "-2-501",   "3--501",   "3-2-501-1",  "3-2-501室",
        "3/2/501",     "3.2.501",     "3 2 501",  "3栋2-501", "3-2单元501", "3栋2单元",
        "3栋501",      "3单元2栋501", "a-2-501",  "3-b-501",  "3-2-50a",    "3-2-501x",
        "3-2-501室室", "栋2单元501",  "3-2-+501", "3-2--501", "3-2-501 1",  "３-２-５０１",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *msg = parse_bad(bad[i]);
        assert_non_null(strstr(msg, "needs building-entrance-room"));
    }
    assert_string_equal(parse_bad("3-2"),
                        "unit code \"3-2\" needs building-entrance-room, e.g. 3-2-501");
    assert_non_null(strstr(parse_bad(""), "enter building-entrance-room"));
    parse_bad("   ");
    parse_bad(NULL);
    /* out and err may be NULL. */
    assert_int_equal(gj_unitcode_parse("3-2-501", NULL, NULL), GJ_OK);
    assert_int_equal(gj_unitcode_parse("3-2", NULL, NULL), GJ_EINVAL);
}

static void test_parse_message_safety(void **state)
{
    (void)state;
    const char *msg = parse_bad("3-2-\x1B[2J\r\n");
    assert_null(strchr(msg, 0x1B));
    assert_null(strchr(msg, '\r'));
    msg = parse_bad("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十");
    assert_true(gj_utf8_valid(msg, strlen(msg), NULL));
    assert_non_null(strstr(msg, "…"));
    assert_true(strlen(msg) < 160);
    msg = parse_bad("3-2-\xFF\xFE");
    assert_true(gj_utf8_valid(msg, strlen(msg), NULL));
}

static void test_floor(void **state)
{
    (void)state;
    assert_int_equal(gj_unitcode_floor(101), 1);
    assert_int_equal(gj_unitcode_floor(199), 1);
    assert_int_equal(gj_unitcode_floor(501), 5);
    assert_int_equal(gj_unitcode_floor(1203), 12);
    assert_int_equal(gj_unitcode_floor(99999), 999);
}

static void test_format(void **state)
{
    (void)state;
    struct gj_unitcode u = {3, 2, 501}, big = {999, 99, 99999}, odd = {INT_MIN, INT_MIN, INT_MIN};
    struct gj_unitcode back;
    char out[48];
    gj_unitcode_format(&u, out, 24);
    assert_string_equal(out, "3-2-501");
    gj_unitcode_format(&big, out, 24);
    assert_string_equal(out, "999-99-99999");
    assert_int_equal(gj_unitcode_parse(out, &back, NULL), GJ_OK);
    assert_int_equal(back.room, 99999);
    gj_unitcode_format_zh(&u, out, 48);
    assert_string_equal(out, "3栋2单元501");
    assert_int_equal(gj_unitcode_parse(out, &back, NULL), GJ_OK);
    assert_int_equal(back.building, 3);
    gj_unitcode_format_zh(&big, out, 48);
    assert_string_equal(out, "999栋99单元99999");
    /* Even nonsense values fit in the documented sizes. */
    gj_unitcode_format_zh(&odd, out, 48);
    assert_true(gj_utf8_valid(out, strlen(out), NULL));
    assert_non_null(strstr(out, "单元"));
    gj_unitcode_format(NULL, out, sizeof out);
    assert_string_equal(out, "");
}

static void test_format_truncation(void **state)
{
    (void)state;
    struct gj_unitcode u = {3, 2, 501};
    char out[48];
    memset(out, 'X', sizeof out);
    gj_unitcode_format(&u, out, 4);
    assert_string_equal(out, "3-2");
    assert_int_equal(out[4], 'X');
    /* "3栋" is 4 bytes; a 6-byte buffer must not end in half of 单. */
    memset(out, 'X', sizeof out);
    gj_unitcode_format_zh(&u, out, 6);
    assert_string_equal(out, "3栋2");
    assert_int_equal(out[6], 'X');
    memset(out, 'X', sizeof out);
    gj_unitcode_format_zh(&u, out, 8);
    assert_string_equal(out, "3栋2");
    memset(out, 'X', sizeof out);
    gj_unitcode_format_zh(&u, out, 9);
    assert_string_equal(out, "3栋2单");
    memset(out, 'X', sizeof out);
    gj_unitcode_format_zh(&u, out, 0);
    assert_int_equal(out[0], 'X');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_ranges),
        cmocka_unit_test(test_parse_shape),
        cmocka_unit_test(test_parse_message_safety),
        cmocka_unit_test(test_floor),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
