/* gj_money_chinese: amounts in words (大写) as a Chinese receipt writes them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "guanjia/money.h"

static const struct {
    int64_t fen;
    const char *words;
} table[] = {
    {0, "零元整"},
    {1, "壹分"},             /* 0.01 */
    {5, "伍分"},             /* 0.05 */
    {9, "玖分"},             /* 0.09 */
    {10, "壹角"},            /* 0.10 */
    {15, "壹角伍分"},        /* 0.15 */
    {50, "伍角"},            /* 0.50 */
    {55, "伍角伍分"},        /* 0.55 */
    {100, "壹元整"},         /* 1.00 */
    {105, "壹元零伍分"},     /* 1.05 */
    {150, "壹元伍角"},       /* 1.50 */
    {1000, "壹拾元整"},      /* 10 */
    {1050, "壹拾元伍角"},    /* 10.50 */
    {1100, "壹拾壹元整"},    /* 11 */
    {2000, "贰拾元整"},      /* 20.00 */
    {10000, "壹佰元整"},     /* 100 */
    {10005, "壹佰元零伍分"}, /* 100.05 */
    {10050, "壹佰元伍角"},   /* 100.5 */
    {10100, "壹佰零壹元整"}, /* 101 */
    {12345, "壹佰贰拾叁元肆角伍分"},
    {100000, "壹仟元整"},                         /* 1,000.00 */
    {100050, "壹仟元伍角"},                       /* 1,000.50 */
    {100100, "壹仟零壹元整"},                     /* 1,001.00 */
    {100405, "壹仟零肆元零伍分"},                 /* 1,004.05 */
    {101000, "壹仟零壹拾元整"},                   /* 1,010.00 */
    {110000, "壹仟壹佰元整"},                     /* 1,100.00 */
    {140950, "壹仟肆佰零玖元伍角"},               /* 1,409.50 */
    {168032, "壹仟陆佰捌拾元叁角贰分"},           /* 1,680.32 */
    {600714, "陆仟零柒元壹角肆分"},               /* 6,007.14 */
    {1000000, "壹万元整"},                        /* 10,000.00 */
    {1000100, "壹万零壹元整"},                    /* 10,001 */
    {1001000, "壹万零壹拾元整"},                  /* 10,010 */
    {1010000, "壹万零壹佰元整"},                  /* 10,100.00 */
    {1100000, "壹万壹仟元整"},                    /* 11,000.00 */
    {1234567, "壹万贰仟叁佰肆拾伍元陆角柒分"},    /* 12,345.67 */
    {1640902, "壹万陆仟肆佰零玖元零贰分"},        /* 16,409.02 */
    {6000714, "陆万零柒元壹角肆分"},              /* 60,007.14 */
    {10000000, "壹拾万元整"},                     /* 100,000.00 */
    {10050000, "壹拾万零伍佰元整"},               /* 100,500 */
    {10700053, "壹拾万柒仟元伍角叁分"},           /* 107,000.53 */
    {20000002, "贰拾万元零贰分"},                 /* 200,000.02 */
    {32500000, "叁拾贰万伍仟元整"},               /* 325,000 */
    {100000000, "壹佰万元整"},                    /* 1,000,000.00 */
    {1000000000, "壹仟万元整"},                   /* 10,000,000.00 */
    {1000100000, "壹仟万壹仟元整"},               /* 10,001,000 */
    {1005000000, "壹仟零伍万元整"},               /* 10,050,000 */
    {1010101010, "壹仟零壹拾万壹仟零壹拾元壹角"}, /* 10,101,010.10 */
    {2000000001, "贰仟万元零壹分"},               /* 20,000,000.01 */
    {10000000000, "壹亿元整"},                    /* 100,000,000.00 */
    {10000000001, "壹亿元零壹分"},                /* 100,000,000.01 */
    {10000050000, "壹亿零伍佰元整"},              /* 100,000,500 */
    {10100000000, "壹亿零壹佰万元整"},            /* 101,000,000 */
    {11000000000, "壹亿壹仟万元整"},              /* 110,000,000 */
    {100000000100, "壹拾亿零壹元整"},             /* 1,000,000,001 */
    {100001000000, "壹拾亿零壹万元整"},           /* 1,000,010,000.00 */
    {100010000000, "壹拾亿零壹拾万元整"},         /* 1,000,100,000 */
    {123456789012, "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"},
    {GJ_MONEY_MAX, "玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"},
    {-1, "负壹分"},
    {-5, "负伍分"}, /* -0.05 */
    {-12345, "负壹佰贰拾叁元肆角伍分"},
    {-100000, "负壹仟元整"}, /* -1,000.00 */
    {-10000000000, "负壹亿元整"},
    {-GJ_MONEY_MAX, "负玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"},
};

static void test_table(void **state)
{
    (void)state;
    assert_true(sizeof table / sizeof table[0] >= 25);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        char out[GJ_MONEY_CHINESE_SZ];
        memset(out, 'X', sizeof out);
        int rc = gj_money_chinese(table[i].fen, out, sizeof out);
        if (rc != GJ_OK || strcmp(out, table[i].words) != 0)
            fail_msg("%lld fen: got %s (rc %d), want %s", (long long)table[i].fen, out, rc,
                     table[i].words);
    }
}

/* The buffer: exactly big enough works, one byte less is refused with "". */
static void test_buffer_sizes(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        size_t need = strlen(table[i].words) + 1;
        char out[GJ_MONEY_CHINESE_SZ];
        assert_true(need <= sizeof out);
        memset(out, 'X', sizeof out);
        assert_int_equal(gj_money_chinese(table[i].fen, out, need), GJ_OK);
        assert_string_equal(out, table[i].words);
        memset(out, 'X', sizeof out);
        assert_int_equal(gj_money_chinese(table[i].fen, out, need - 1), GJ_EINVAL);
        assert_string_equal(out, "");
        assert_int_equal(out[1], 'X'); /* nothing written past the "" */
    }
    /* A buffer too short for the words gets none of them, not a part. */
    char cut[GJ_MONEY_CHINESE_SZ];
    const size_t short_sizes[] = {10, 2};
    for (size_t i = 0; i < sizeof short_sizes / sizeof short_sizes[0]; i++) {
        memset(cut, 'X', sizeof cut);
        assert_int_equal(gj_money_chinese(12345, cut, short_sizes[i]), GJ_EINVAL);
        assert_string_equal(cut, "");
        assert_int_equal(cut[1], 'X');
    }
    char small[4] = "abc";
    assert_int_equal(gj_money_chinese(100, small, 0), GJ_EINVAL);
    assert_string_equal(small, "abc"); /* outsz 0: untouched */
    assert_int_equal(gj_money_chinese(100, NULL, 16), GJ_EINVAL);
}

static void test_out_of_range(void **state)
{
    (void)state;
    char out[GJ_MONEY_CHINESE_SZ] = "X";
    assert_int_equal(gj_money_chinese(GJ_MONEY_MAX + 1, out, sizeof out), GJ_EINVAL);
    assert_string_equal(out, "");
    strcpy(out, "X");
    assert_int_equal(gj_money_chinese(-GJ_MONEY_MAX - 1, out, sizeof out), GJ_EINVAL);
    assert_string_equal(out, "");
    strcpy(out, "X");
    assert_int_equal(gj_money_chinese(INT64_MIN, out, sizeof out), GJ_EINVAL);
    assert_string_equal(out, "");
    strcpy(out, "X");
    assert_int_equal(gj_money_chinese(INT64_MAX, out, sizeof out), GJ_EINVAL);
    assert_string_equal(out, "");
}

/* Reads the words back into fen, checking the shape on the way: returns
 * -1 for anything a receipt would not print. */
static int64_t read_back(const char *s)
{
    static const char *const digits[10] = {"零", "壹", "贰", "叁", "肆",
                                           "伍", "陆", "柒", "捌", "玖"};
    int64_t yi = 0, wan = 0, cur = 0, digit = -1, yuan = -1, jiao = 0, fen = 0;
    int neg = 0, last_zero = 0, whole = 0;
    if (strncmp(s, "负", 3) == 0) {
        neg = 1;
        s += 3;
    }
    while (*s) {
        int d = -1;
        for (int k = 0; k < 10; k++)
            if (strncmp(s, digits[k], 3) == 0)
                d = k;
        if (whole)
            return -1; /* 整 is last */
        if (d == 0) {
            if (last_zero || digit >= 0)
                return -1; /* 零零, or 零 right after a digit */
            last_zero = 1;
            s += 3;
            continue;
        }
        if (d > 0) {
            if (digit >= 0)
                return -1; /* two digits in a row */
            digit = d;
            s += 3;
            continue;
        }
        int64_t unit = 0;
        if (strncmp(s, "拾", 3) == 0)
            unit = 10;
        else if (strncmp(s, "佰", 3) == 0)
            unit = 100;
        else if (strncmp(s, "仟", 3) == 0)
            unit = 1000;
        if (unit) {
            if (digit < 0)
                return -1; /* 拾 needs its digit: 壹拾 */
            cur += digit * unit;
            digit = -1;
            last_zero = 0;
        } else if (strncmp(s, "万", 3) == 0 || strncmp(s, "亿", 3) == 0) {
            if (last_zero && digit < 0)
                return -1; /* 零万 */
            int64_t part = cur + (digit > 0 ? digit : 0);
            if (part == 0)
                return -1;
            if (s[2] == '\xbf') /* 亿 E4 BA BF */
                yi = part;
            else
                wan = part;
            cur = 0;
            digit = -1;
            last_zero = 0;
        } else if (strncmp(s, "元", 3) == 0) {
            if (last_zero && digit < 0)
                return -1; /* 零元 */
            yuan = yi * 100000000 + wan * 10000 + cur + (digit > 0 ? digit : 0);
            cur = 0;
            digit = -1;
            last_zero = 0;
        } else if (strncmp(s, "角", 3) == 0) {
            if (digit < 0 || last_zero)
                return -1;
            jiao = digit;
            digit = -1;
        } else if (strncmp(s, "分", 3) == 0) {
            if (digit < 0)
                return -1;
            fen = digit;
            digit = -1;
            last_zero = 0;
        } else if (strncmp(s, "整", 3) == 0) {
            if (jiao || fen || digit >= 0)
                return -1; /* 整 only where there are no jiao and fen */
            whole = 1;
        } else {
            return -1;
        }
        s += 3;
    }
    if (digit >= 0 || (!whole && jiao == 0 && fen == 0 && yuan >= 0))
        return -1;
    int64_t v = (yuan > 0 ? yuan : 0) * 100 + jiao * 10 + fen;
    return neg ? -v : v;
}

/* Thousands of amounts across every magnitude read back to themselves. */
static void test_round_trip(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* Mostly zeros, so that 零 placement gets exercised. */
        int64_t fen = 0;
        for (int place = 0; place < 13; place++) {
            int64_t d = (x >> (place * 4)) % 16;
            fen = fen * 10 + (d < 9 ? 0 : d - 6);
        }
        if (i % 4 == 1)
            fen = (int64_t)(x % (uint64_t)GJ_MONEY_MAX);
        if (i % 7 == 3)
            fen = -fen;
        char out[GJ_MONEY_CHINESE_SZ];
        assert_int_equal(gj_money_chinese(fen, out, sizeof out), GJ_OK);
        if (fen == 0)
            continue;
        if (read_back(out) != fen)
            fail_msg("%lld fen: \"%s\" reads back as %lld", (long long)fen, out,
                     (long long)read_back(out));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_buffer_sizes),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
