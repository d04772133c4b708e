#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "guanjia/pinyin.h"

static void expect_initials(const char *name, const char *want)
{
    char out[64];
    memset(out, 'X', sizeof out);
    size_t n = gj_pinyin_initials(name, out, sizeof out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void expect_char(uint32_t cp, const char *want)
{
    char out[8];
    memset(out, 'X', sizeof out);
    size_t n = gj_pinyin_char_initials(cp, out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void expect_keys(const char *name, const char *want)
{
    char out[256];
    memset(out, 'X', sizeof out);
    size_t n = gj_pinyin_keys(name, out, sizeof out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void test_common_names(void **state)
{
    (void)state;
    expect_initials("张三", "zs");
    expect_initials("李四", "ls");
    expect_initials("王小明", "wxm");
    expect_initials("欧阳娜娜", "oynn");
    expect_initials("司马懿", "smy");
    expect_initials("诸葛亮", "zgl");
    expect_initials("刘德华", "ldh");
    expect_initials("赵钱孙李周吴郑王", "zqslzwzw");
}

static void test_compound_surnames(void **state)
{
    (void)state;
    expect_initials("欧阳", "oy");
    expect_initials("司马", "sm");
    expect_initials("诸葛", "zg");
    expect_initials("上官", "sg");
    expect_initials("东方", "df");
}

static void test_traditional_and_extension(void **state)
{
    (void)state;
    expect_initials("張三", "zs");
    expect_initials("陳大文", "cdw");
    /* U+3400 (CJK extension A) reads qiū; U+20000 (extension B) reads hē. */
    expect_char(0x3400, "q");
    expect_char(0x20000, "h");
    expect_initials("\xf0\xa0\x80\x80王", "hw"); /* U+20000 in a string */
}

static void test_polyphonic_chars(void **state)
{
    (void)state;
    expect_char(0x66FE, "zc"); /* 曾 zēng (the surname) / céng */
    expect_char(0x5355, "ds"); /* 单 dān / shàn (the surname) */
    expect_char(0x55AE, "ds"); /* 單 */
    expect_char(0x89E3, "jx"); /* 解 jiě / xiè (the surname) */
    expect_char(0x4EC7, "cq"); /* 仇 chóu / qiú (the surname) */
    expect_char(0x533A, "qo"); /* 区 qū / ōu (the surname) */
    expect_char(0x957F, "zc"); /* 长 zhǎng / cháng */
    expect_char(0x4E50, "ly"); /* 乐 lè / yuè */
    expect_char(0x7FDF, "dz"); /* 翟 dí / zhái (the surname) */
    /* 朴 pǔ / piáo / pò / pō: several readings, one initial. */
    expect_char(0x6734, "p");
    /* The primary initial is what gj_pinyin_initials uses. */
    expect_initials("曾单解仇", "zdjc");
}

static void test_single_reading_chars(void **state)
{
    (void)state;
    expect_char(0x5F20, "z"); /* 张 */
    expect_char(0x738B, "w"); /* 王: archaic yù of 汉语大字典 not included */
    expect_char(0x53F8, "s"); /* 司 */
    expect_char(0x513F, "e"); /* 儿: the erhua "r" is not an initial */
}

static void test_non_han(void **state)
{
    (void)state;
    expect_char('A', "");
    expect_char('z', "");
    expect_char('5', "");
    expect_char(0, "");
    expect_char(0x00E9, "");   /* é */
    expect_char(0x3002, "");   /* 。 */
    expect_char(0xAC00, "");   /* 가 */
    expect_char(0x3042, "");   /* あ */
    expect_char(0xFF21, "");   /* Ａ */
    expect_char(0x3402, "");   /* a Han character without a Mandarin reading */
    expect_char(0xD800, "");   /* surrogate */
    expect_char(0x10FFFF, ""); /* last code point */
    expect_char(0x110000, ""); /* beyond Unicode */
    expect_char(0xFFFFFFFFu, "");
}

static void test_mixed_ascii(void **state)
{
    (void)state;
    expect_initials("Lily王", "lilyw");
    expect_initials("LILY", "lily");
    expect_initials("王2号", "w2h");
    expect_initials("A栋101室", "ad101s");
}

static void test_skips_punctuation_and_space(void **state)
{
    (void)state;
    expect_initials("王 小明", "wxm");
    expect_initials("  张\t三\n", "zs");
    expect_initials("张·三", "zs");
    expect_initials("张三（业主）", "zsyz");
    expect_initials("O'Brien-李", "obrienl");
    expect_initials("张三😀", "zs");
    expect_initials("é张", "z");
    expect_initials("!@#$%^&*()", "");
}

static void test_empty_and_null(void **state)
{
    (void)state;
    char out[8] = "XXXXXXX";

    expect_initials("", "");
    expect_keys("", "");
    expect_keys("，。 ", "");
    assert_int_equal(gj_pinyin_initials(NULL, out, sizeof out), 0);
    assert_string_equal(out, "");
    memcpy(out, "XXXXXXX", 8);
    assert_int_equal(gj_pinyin_keys(NULL, out, sizeof out), 0);
    assert_string_equal(out, "");
    /* outsz 0: nothing is written at all. */
    memcpy(out, "XXXXXXX", 8);
    assert_int_equal(gj_pinyin_initials("张三", out, 0), 0);
    assert_int_equal(gj_pinyin_keys("张三", out, 0), 0);
    assert_memory_equal(out, "XXXXXXX", 8);
    assert_int_equal(gj_pinyin_initials("张三", NULL, 0), 0);
    assert_int_equal(gj_pinyin_keys("张三", NULL, 0), 0);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    /* A stray continuation byte, a bad lead byte, a truncated sequence. */
    expect_initials("\x80张\xff三", "zs");
    expect_initials("\xe5\xbc张", "z"); /* truncated 张 then 张 */
    expect_initials("张\xe5", "z");     /* truncated at the end */
    expect_initials("\xc0\xa1x", "x");  /* overlong '!' */
    expect_initials("\xc1\xa1", "");    /* overlong 'a': skipped, the 0xa1 too */
    expect_initials("\xe0\x80\xa1y", "y");
    expect_initials("\xed\xa0\x80z", "z");     /* surrogate */
    expect_initials("\xf4\x90\x80\x80w", "w"); /* above U+10FFFF */
    expect_initials("\xf8\x88\x80\x80\x80", "");
    expect_initials("\xe0\x81\xa1", "");     /* overlong 'a' in three bytes */
    expect_initials("\xf0\x85\xbc\xa0", ""); /* overlong 张 in four bytes */
    expect_keys("\x80曾\xff单\xc3", "zd zs cd cs");
}

static void test_keys(void **state)
{
    (void)state;
    expect_keys("张三", "zs");
    expect_keys("曾单", "zd zs cd cs");
    expect_keys("曾小明", "zxm cxm");
    expect_keys("单田芳", "dtf stf");
    expect_keys("解晓东", "jxd xxd");
    expect_keys("仇  英", "cy qy");
    expect_keys("Lily曾", "lilyz lilyc");
    expect_keys("曾2号", "z2h c2h");
    expect_keys("区长", "qz qc oz oc");
    /* 伽 jiā / gā / qié, three initials: 3 x 2 */
    expect_keys("伽曾", "jz jc gz gc qz qc");
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        if (p == s || p[-1] == ' ')
            n++;
    return n;
}

static void test_keys_cap(void **state)
{
    (void)state;
    char out[512];

    /* 2^4 = 16: all of them. */
    size_t n = gj_pinyin_keys("曾单解仇", out, sizeof out);
    assert_int_equal(n, strlen(out));
    assert_int_equal(count_words(out), 16);
    assert_int_equal(n, 16 * 4 + 15);
    assert_memory_equal(out, "zdjc zdjq zdxc zdxq zsjc", 24);
    assert_string_equal(out + n - 4, "csxq");

    /* 2^5 = 32: the first 16, the first character stays primary. */
    n = gj_pinyin_keys("区曾单解仇", out, sizeof out);
    assert_int_equal(count_words(out), 16);
    assert_int_equal(n, 16 * 5 + 15);
    assert_memory_equal(out, "qzdjc qzdjq ", 12);
    assert_string_equal(out + n - 5, "qcsxq");

    /* Many polyphonic characters, long string: still 16, no overflow. */
    n = gj_pinyin_keys("曾曾曾曾曾曾曾曾曾曾曾曾曾曾曾曾曾曾曾曾", out, sizeof out);
    assert_int_equal(count_words(out), 16);
    assert_int_equal(n, 16 * 20 + 15);
    assert_memory_equal(out, "zzzzzzzzzzzzzzzzzzzz zzzzzzzzzzzzzzzzzzzc ", 42);
    assert_string_equal(out + n - 20, "zzzzzzzzzzzzzzzzcccc");

    /* Every key distinct. */
    n = gj_pinyin_keys("曾单解仇", out, sizeof out);
    for (size_t i = 0; i < 16; i++)
        for (size_t j = i + 1; j < 16; j++)
            assert_memory_not_equal(out + i * 5, out + j * 5, 4);
}

static void test_keys_first_is_initials(void **state)
{
    (void)state;
    /* "a\200b": an invalid byte between two letters. */
    const char *names[] = {"张三", "曾单", "Lily王", "区长乐", "王 小明", "仇", "a\200b"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char ini[64], keys[256];
        size_t n = gj_pinyin_initials(names[i], ini, sizeof ini);
        gj_pinyin_keys(names[i], keys, sizeof keys);
        assert_memory_equal(keys, ini, n);
        assert_true(keys[n] == '\0' || keys[n] == ' ');
    }
}

static void test_truncation(void **state)
{
    (void)state;
    char buf[16];

    for (size_t sz = 1; sz <= 5; sz++) {
        memset(buf, 'X', sizeof buf);
        size_t n = gj_pinyin_initials("王小明", buf, sz);
        size_t want = sz - 1 < 3 ? sz - 1 : 3;
        assert_int_equal(n, want);
        assert_int_equal(buf[n], '\0');
        assert_memory_equal(buf, "wxm", n);
        for (size_t i = sz; i < sizeof buf; i++)
            assert_int_equal(buf[i], 'X');
    }

    /* Keys: the first one is truncated, the others only written whole. */
    static const struct {
        size_t sz;
        const char *want;
    } cases[] = {
        {1, ""},
        {2, "z"},
        {3, "zd"},
        {4, "zd"},
        {5, "zd"},
        {6, "zd zs"},
        {8, "zd zs"},
        {9, "zd zs cd"},
        {11, "zd zs cd"},
        {12, "zd zs cd cs"},
        {16, "zd zs cd cs"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        memset(buf, 'X', sizeof buf);
        size_t n = gj_pinyin_keys("曾单", buf, cases[c].sz);
        assert_string_equal(buf, cases[c].want);
        assert_int_equal(n, strlen(cases[c].want));
        for (size_t i = cases[c].sz; i < sizeof buf; i++)
            assert_int_equal(buf[i], 'X');
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_common_names),
        cmocka_unit_test(test_compound_surnames),
        cmocka_unit_test(test_traditional_and_extension),
        cmocka_unit_test(test_polyphonic_chars),
        cmocka_unit_test(test_single_reading_chars),
        cmocka_unit_test(test_non_han),
        cmocka_unit_test(test_mixed_ascii),
        cmocka_unit_test(test_skips_punctuation_and_space),
        cmocka_unit_test(test_empty_and_null),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_keys_cap),
        cmocka_unit_test(test_keys_first_is_initials),
        cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
