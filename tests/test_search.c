/* core/search.c: classifying what the butler types into the Owners search. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guanjia/search.h"

#include <stdio.h>
#include <string.h>

#define ANY_ROOM                                                                                   \
    {                                                                                              \
        101, 99999                                                                                 \
    }

struct unit_case {
    const char *typed;
    int building, entrance;
    int n_rooms;
    struct gj_search_rooms rooms[GJ_SEARCH_ROOM_RANGES];
};

static void expect_unit(const struct unit_case *c)
{
    struct gj_search_query q;
    unsigned k = gj_search_classify(c->typed, &q);
    if (k != GJ_SEARCH_UNIT)
        fail_msg("\"%s\": kinds %#x, want UNIT", c->typed, k);
    if (q.building != c->building || q.entrance != c->entrance)
        fail_msg("\"%s\": building %d entrance %d, want %d %d", c->typed, q.building, q.entrance,
                 c->building, c->entrance);
    if (q.n_rooms != c->n_rooms)
        fail_msg("\"%s\": %d room ranges, want %d", c->typed, q.n_rooms, c->n_rooms);
    for (int i = 0; i < c->n_rooms; i++)
        if (q.rooms[i].lo != c->rooms[i].lo || q.rooms[i].hi != c->rooms[i].hi)
            fail_msg("\"%s\": range %d is %d..%d, want %d..%d", c->typed, i, q.rooms[i].lo,
                     q.rooms[i].hi, c->rooms[i].lo, c->rooms[i].hi);
}

static void test_unit_codes_whole_and_partial(void **state)
{
    (void)state;
    static const struct unit_case cases[] = {
        /* whole codes: the exact room first, then the longer numbers */
        {"3-2-501", 3, 2, 3, {{501, 501}, {5010, 5019}, {50100, 50199}}},
        {"3栋2单元501", 3, 2, 3, {{501, 501}, {5010, 5019}, {50100, 50199}}},
        {"3栋2单元501室", 3, 2, 3, {{501, 501}, {5010, 5019}, {50100, 50199}}},
        {"3号楼2单元501", 3, 2, 3, {{501, 501}, {5010, 5019}, {50100, 50199}}},
        {"3幢2单元501", 3, 2, 3, {{501, 501}, {5010, 5019}, {50100, 50199}}},
        {"  3 - 2 - 501  ", 3, 2, 3, {{501, 501}, {5010, 5019}, {50100, 50199}}},
        {"\xE3\x80\x80"
         "3-2-501\t",
         3,
         2,
         3,
         {{501, 501}, {5010, 5019}, {50100, 50199}}},
        {"３－２－５０１", 3, 2, 3, {{501, 501}, {5010, 5019}, {50100, 50199}}},
        {"3—2—501", 3, 2, 3, {{501, 501}, {5010, 5019}, {50100, 50199}}},
        {"12-1-1201", 12, 1, 2, {{1201, 1201}, {12010, 12019}}},
        {"999-99-99999", 999, 99, 1, {{99999, 99999}}},
        /* as typed, keystroke by keystroke */
        {"3-", 3, 0, 1, {ANY_ROOM}},
        {"3栋", 3, 0, 1, {ANY_ROOM}},
        {"3号", 3, 0, 1, {ANY_ROOM}},
        {"3号楼", 3, 0, 1, {ANY_ROOM}},
        {"3-2", 3, 2, 1, {ANY_ROOM}},
        {"3-2-", 3, 2, 1, {ANY_ROOM}},
        {"3栋2", 3, 2, 1, {ANY_ROOM}},
        {"3栋2单", 3, 2, 1, {ANY_ROOM}},
        {"3栋2单元", 3, 2, 1, {ANY_ROOM}},
        {"3-2-5", 3, 2, 3, {{500, 599}, {5000, 5999}, {50000, 59999}}},
        {"3栋2单元5", 3, 2, 3, {{500, 599}, {5000, 5999}, {50000, 59999}}},
        {"3-2-50", 3, 2, 3, {{500, 509}, {5000, 5099}, {50000, 50999}}},
        {"3-2-1", 3, 2, 3, {{101, 199}, {1000, 1999}, {10000, 19999}}},
        /* a room straight after the building: any entrance */
        {"3-501", 3, 0, 3, {{501, 501}, {5010, 5019}, {50100, 50199}}},
        {"3栋501", 3, 0, 3, {{501, 501}, {5010, 5019}, {50100, 50199}}},
        {"3栋501室", 3, 0, 3, {{501, 501}, {5010, 5019}, {50100, 50199}}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_unit(&cases[i]);
}

static void expect_nothing(const char *typed)
{
    struct gj_search_query q;
    unsigned k = gj_search_classify(typed, &q);
    if (k != 0 || q.kinds != 0)
        fail_msg("\"%s\": kinds %#x, want nothing", typed ? typed : "(null)", k);
}

static void test_unit_codes_out_of_range_find_nothing(void **state)
{
    (void)state;
    expect_nothing("3-2-501234"); /* six-digit room */
    expect_nothing("1000栋");     /* no building 1000 */
    expect_nothing("1000栋2单元501");
}

static void expect_rooms(const char *typed, unsigned kinds, int n,
                         const struct gj_search_rooms *want)
{
    struct gj_search_query q;
    unsigned k = gj_search_classify(typed, &q);
    if (k != kinds)
        fail_msg("\"%s\": kinds %#x, want %#x", typed, k, kinds);
    if (q.n_rooms != n)
        fail_msg("\"%s\": %d room ranges, want %d", typed, q.n_rooms, n);
    for (int i = 0; i < n; i++)
        if (q.rooms[i].lo != want[i].lo || q.rooms[i].hi != want[i].hi)
            fail_msg("\"%s\": range %d is %d..%d, want %d..%d", typed, i, q.rooms[i].lo,
                     q.rooms[i].hi, want[i].lo, want[i].hi);
}

static void test_short_numbers_are_rooms(void **state)
{
    (void)state;
    const struct gj_search_rooms r501[] = {{501, 501}, {5010, 5019}, {50100, 50199}};
    const struct gj_search_rooms r50[] = {{500, 509}, {5000, 5099}, {50000, 50999}};
    const struct gj_search_rooms r5[] = {{500, 599}, {5000, 5999}, {50000, 59999}};
    const struct gj_search_rooms r1[] = {{101, 199}, {1000, 1999}, {10000, 19999}};
    const struct gj_search_rooms r12[] = {{120, 129}, {1200, 1299}, {12000, 12999}};
    expect_rooms("501", GJ_SEARCH_ROOM, 3, r501);
    expect_rooms("５０１", GJ_SEARCH_ROOM, 3, r501);
    expect_rooms(" 50 ", GJ_SEARCH_ROOM, 3, r50);
    expect_rooms("5", GJ_SEARCH_ROOM, 3, r5);
    expect_rooms("1", GJ_SEARCH_ROOM, 3, r1);
    expect_rooms("12", GJ_SEARCH_ROOM, 3, r12);
    struct gj_search_query q;
    gj_search_classify("501", &q);
    assert_string_equal(q.room, "501");
}

static void test_four_digits_are_last4_and_room(void **state)
{
    (void)state;
    const struct gj_search_rooms r1201[] = {{1201, 1201}};
    expect_rooms("1201", GJ_SEARCH_LAST4 | GJ_SEARCH_ROOM, 1, r1201);
    struct gj_search_query q;
    gj_search_classify("1201", &q);
    assert_string_equal(q.digits, "1201");
    /* Last four digits may start with 0; no room does. */
    assert_int_equal(gj_search_classify("0501", &q), GJ_SEARCH_LAST4 | GJ_SEARCH_PHONE_PREFIX);
    assert_string_equal(q.digits, "0501");
    assert_int_equal(q.n_rooms, 0);
}

struct phone_case {
    const char *typed;
    unsigned kinds;
    const char *phone;
};

static void test_phones(void **state)
{
    (void)state;
    static const struct phone_case cases[] = {
        {"13800", GJ_SEARCH_PHONE_PREFIX, "13800"},
        {"1380013800", GJ_SEARCH_PHONE_PREFIX, "1380013800"},
        {"13800138000", GJ_SEARCH_PHONE, "13800138000"},
        {"１３８００１３８０００", GJ_SEARCH_PHONE, "13800138000"},
        {"8613800138000", GJ_SEARCH_PHONE, "13800138000"},
        {"138 0013 8000", GJ_SEARCH_PHONE, "13800138000"},
        {"138-0013-8000", GJ_SEARCH_PHONE, "13800138000"},
        {"+86 138 0013 8000", GJ_SEARCH_PHONE, "13800138000"},
        {"138 0013", GJ_SEARCH_PHONE_PREFIX, "1380013"},
        {"+86 138", GJ_SEARCH_PHONE_PREFIX, "138"},
        {"010-12345678", GJ_SEARCH_PHONE, "010-12345678"},
        /* landlines being typed, in their stored form */
        {"0", GJ_SEARCH_PHONE_PREFIX, "0"},
        {"010", GJ_SEARCH_PHONE_PREFIX, "010"},
        {"0101234", GJ_SEARCH_PHONE_PREFIX, "010-1234"},
        {"07551234", GJ_SEARCH_PHONE_PREFIX, "0755-1234"},
        {"02112345", GJ_SEARCH_PHONE_PREFIX, "021-12345"},
        {"010-1234", GJ_SEARCH_PHONE_PREFIX, "010-1234"},
        {"01012345678", GJ_SEARCH_PHONE | GJ_SEARCH_PHONE_PREFIX, "010-12345678"},
        {"075512345678", GJ_SEARCH_PHONE | GJ_SEARCH_PHONE_PREFIX, "0755-12345678"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct gj_search_query q;
        unsigned k = gj_search_classify(cases[i].typed, &q);
        if (k != cases[i].kinds)
            fail_msg("\"%s\": kinds %#x, want %#x", cases[i].typed, k, cases[i].kinds);
        if (strcmp(q.phone, cases[i].phone) != 0)
            fail_msg("\"%s\": phone \"%s\", want \"%s\"", cases[i].typed, q.phone, cases[i].phone);
    }
    /* No valid number has these digits. */
    expect_nothing("12345678901");
    expect_nothing("123456789012345");
    expect_nothing("+1 555 1234");
}

static void expect_text(const char *typed, unsigned kinds, const char *want)
{
    struct gj_search_query q;
    unsigned k = gj_search_classify(typed, &q);
    if (k != kinds)
        fail_msg("\"%s\": kinds %#x, want %#x", typed, k, kinds);
    const char *got = kinds == GJ_SEARCH_INITIALS ? q.letters : q.text;
    if (strcmp(got, want) != 0)
        fail_msg("\"%s\": \"%s\", want \"%s\"", typed, got, want);
}

static void test_letters_are_initials(void **state)
{
    (void)state;
    expect_text("zs", GJ_SEARCH_INITIALS, "zs");
    expect_text("ZS", GJ_SEARCH_INITIALS, "zs");
    expect_text("z", GJ_SEARCH_INITIALS, "z");
    expect_text(" z s ", GJ_SEARCH_INITIALS, "zs");
    expect_text("Ｚｓ", GJ_SEARCH_INITIALS, "zs"); /* full-width */
    expect_text("dtf", GJ_SEARCH_INITIALS, "dtf");
    expect_text("Lily2", GJ_SEARCH_INITIALS, "lily2");
    /* Longer than any key. */
    char longer[GJ_SEARCH_LETTERS + 8];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    expect_nothing(longer);
}

static void test_everything_else_is_a_name(void **state)
{
    (void)state;
    expect_text("张三", GJ_SEARCH_NAME, "张三");
    expect_text("张", GJ_SEARCH_NAME, "张");
    expect_text("  张三\xE3\x80\x80", GJ_SEARCH_NAME, "张三");
    expect_text("Lily王", GJ_SEARCH_NAME, "Lily王");
    expect_text("王 小明", GJ_SEARCH_NAME, "王 小明");
    expect_text("张三（业主）", GJ_SEARCH_NAME, "张三（业主）"); /* as stored, not ASCII */
    expect_text("张3", GJ_SEARCH_NAME, "张3");
    expect_text("3-2-5x", GJ_SEARCH_NAME, "3-2-5x");
    expect_text("!!!", GJ_SEARCH_NAME, "!!!");
}

static void test_junk_and_empty_find_nothing(void **state)
{
    (void)state;
    expect_nothing(NULL);
    expect_nothing("");
    expect_nothing("   ");
    expect_nothing("\xE3\x80\x80\t ");
    expect_nothing("\xff\xfe");       /* not UTF-8 */
    expect_nothing("张\xe5\xbc");     /* cut character */
    expect_nothing("12345678901234"); /* too many digits */
    /* Longer than a name (64 characters). */
    char name[65 * 3 + 1] = "";
    for (int i = 0; i < 65; i++)
        strcat(name, "张");
    expect_nothing(name);
    name[64 * 3] = '\0';
    struct gj_search_query q;
    assert_int_equal(gj_search_classify(name, &q), GJ_SEARCH_NAME);
    /* Far too long for anything. */
    static char huge[5000];
    memset(huge, '1', sizeof huge - 1);
    expect_nothing(huge);
}

static void test_query_is_reset(void **state)
{
    (void)state;
    struct gj_search_query q;
    gj_search_classify("3-2-501", &q);
    gj_search_classify("zs", &q);
    assert_int_equal(q.kinds, GJ_SEARCH_INITIALS);
    assert_int_equal(q.building, 0);
    assert_int_equal(q.n_rooms, 0);
    /* A dashed phone is not left half-read as a unit code. */
    gj_search_classify("138-0013", &q);
    assert_int_equal(q.kinds, GJ_SEARCH_PHONE_PREFIX);
    assert_int_equal(q.building, 0);
    assert_string_equal(q.phone, "1380013");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_codes_whole_and_partial),
        cmocka_unit_test(test_unit_codes_out_of_range_find_nothing),
        cmocka_unit_test(test_short_numbers_are_rooms),
        cmocka_unit_test(test_four_digits_are_last4_and_room),
        cmocka_unit_test(test_phones),
        cmocka_unit_test(test_letters_are_initials),
        cmocka_unit_test(test_everything_else_is_a_name),
        cmocka_unit_test(test_junk_and_empty_find_nothing),
        cmocka_unit_test(test_query_is_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
