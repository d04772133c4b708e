#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "guanjia/utf8.h"

static void test_decode_valid(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(gj_utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(gj_utf8_decode("\xC2\xA5", 2, &cp), 2); /* ¥ */
    assert_int_equal(cp, 0xA5);
    assert_int_equal(gj_utf8_decode("中", 3, &cp), 3);
    assert_int_equal(cp, 0x4E2D);
    assert_int_equal(gj_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4); /* U+1F600 */
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(gj_utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4); /* U+10FFFF */
    assert_int_equal(cp, 0x10FFFF);
    assert_int_equal(gj_utf8_decode("\xEF\xBF\xBF", 3, &cp), 3); /* U+FFFF */
    assert_int_equal(cp, 0xFFFF);
    assert_int_equal(gj_utf8_decode("\xED\x9F\xBF", 3, &cp), 3); /* U+D7FF */
    assert_int_equal(cp, 0xD7FF);
    /* NUL is a valid code point when inside the given length. */
    assert_int_equal(gj_utf8_decode("\0x", 2, &cp), 1);
    assert_int_equal(cp, 0);
    /* Only the first character is decoded. */
    assert_int_equal(gj_utf8_decode("中文", 6, &cp), 3);
    /* cp may be NULL. */
    assert_int_equal(gj_utf8_decode("中", 3, NULL), 3);
}

static void test_decode_invalid(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(gj_utf8_decode("", 0, &cp), 0);
    assert_int_equal(gj_utf8_decode(NULL, 4, &cp), 0);
    /* Overlong forms. */
    assert_int_equal(gj_utf8_decode("\xC0\x80", 2, &cp), 0);
    assert_int_equal(gj_utf8_decode("\xC1\xBF", 2, &cp), 0);
    assert_int_equal(gj_utf8_decode("\xE0\x80\x80", 3, &cp), 0);
    assert_int_equal(gj_utf8_decode("\xE0\x9F\xBF", 3, &cp), 0);
    assert_int_equal(gj_utf8_decode("\xF0\x80\x80\x80", 4, &cp), 0);
    assert_int_equal(gj_utf8_decode("\xF0\x8F\xBF\xBF", 4, &cp), 0);
    /* Surrogates. */
    assert_int_equal(gj_utf8_decode("\xED\xA0\x80", 3, &cp), 0);
    assert_int_equal(gj_utf8_decode("\xED\xBF\xBF", 3, &cp), 0);
    /* Beyond U+10FFFF. */
    assert_int_equal(gj_utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0);
    assert_int_equal(gj_utf8_decode("\xF5\x80\x80\x80", 4, &cp), 0);
    assert_int_equal(gj_utf8_decode("\xFF", 1, &cp), 0);
    /* Lone continuation bytes, missing continuations, truncation. */
    assert_int_equal(gj_utf8_decode("\x80", 1, &cp), 0);
    assert_int_equal(gj_utf8_decode("\xBF", 1, &cp), 0);
    assert_int_equal(gj_utf8_decode("\xE4\xB8", 2, &cp), 0);
    assert_int_equal(gj_utf8_decode("中", 2, &cp), 0); /* n cuts the sequence */
    assert_int_equal(gj_utf8_decode("\xE4"
                                    "A"
                                    "\xAD",
                                    3, &cp),
                     0);
    /* A NUL terminator stops the scan even with a large n. */
    assert_int_equal(gj_utf8_decode("\xE4\xB8", (size_t)-1, &cp), 0);
}

static void test_encode(void **state)
{
    (void)state;
    static const uint32_t cps[] = {0,      'a',     0x7F,    0x80,    0x7FF,
                                   0x800,  0x4E2D,  0xD7FF,  0xE000,  0xFFE5,
                                   0xFFFF, 0x10000, 0x1F600, 0x20000, 0x10FFFF};
    char buf[4];
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        uint32_t back = 0xFFFFFFFF;
        size_t n = gj_utf8_encode(cps[i], buf);
        assert_true(n >= 1 && n <= 4);
        assert_int_equal(gj_utf8_decode(buf, n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    assert_int_equal(gj_utf8_encode(0x4E2D, buf), 3);
    assert_memory_equal(buf, "中", 3);
    assert_int_equal(gj_utf8_encode(0x7FF, buf), 2);
    assert_int_equal(gj_utf8_encode(0xFFFF, buf), 3);
    assert_int_equal(gj_utf8_encode(0x10000, buf), 4);
    assert_int_equal(gj_utf8_encode(0xD800, buf), 0);
    assert_int_equal(gj_utf8_encode(0xDFFF, buf), 0);
    assert_int_equal(gj_utf8_encode(0x110000, buf), 0);
    assert_int_equal(gj_utf8_encode(0xFFFFFFFF, buf), 0);
}

static void test_valid(void **state)
{
    (void)state;
    size_t bad = 99;
    const char *ok = "张三 Lily ¥12 😀";
    assert_true(gj_utf8_valid(ok, strlen(ok), &bad));
    assert_int_equal(bad, 99); /* untouched when valid */
    assert_true(gj_utf8_valid("", 0, NULL));
    assert_false(gj_utf8_valid("ab\xFF", 3, &bad));
    assert_int_equal(bad, 2);
    assert_false(gj_utf8_valid("中\xE6\x96", 5, &bad)); /* truncated 文 */
    assert_int_equal(bad, 3);
    assert_false(gj_utf8_valid("\xC0\xAF", 2, &bad));
    assert_int_equal(bad, 0);
    assert_false(gj_utf8_valid("a\xED\xA0\x80", 4, NULL));
    /* Only n bytes are looked at. */
    assert_true(gj_utf8_valid("ab\xFF", 2, &bad));
}

static void test_len(void **state)
{
    (void)state;
    assert_int_equal(gj_utf8_len(""), 0);
    assert_int_equal(gj_utf8_len(NULL), 0);
    assert_int_equal(gj_utf8_len("abc"), 3);
    assert_int_equal(gj_utf8_len("中文abc"), 5);
    assert_int_equal(gj_utf8_len("😀x"), 2);
    /* Invalid bytes count one each. */
    assert_int_equal(gj_utf8_len("a\xFF\xFE"), 3);
    assert_int_equal(gj_utf8_len("\xE4\xB8"), 2);
    assert_int_equal(gj_utf8_len("\xE4\xB8中"), 3);
}

static void test_cp_width(void **state)
{
    (void)state;
    /* Controls. */
    assert_int_equal(gj_cp_width(0), -1);
    assert_int_equal(gj_cp_width('\n'), -1);
    assert_int_equal(gj_cp_width(0x1B), -1);
    assert_int_equal(gj_cp_width(0x1F), -1);
    assert_int_equal(gj_cp_width(0x7F), -1);
    assert_int_equal(gj_cp_width(0x80), -1);
    assert_int_equal(gj_cp_width(0x9F), -1);
    /* Narrow. */
    assert_int_equal(gj_cp_width(' '), 1);
    assert_int_equal(gj_cp_width('A'), 1);
    assert_int_equal(gj_cp_width('~'), 1);
    assert_int_equal(gj_cp_width(0xA0), 1);
    assert_int_equal(gj_cp_width(0xA5), 1); /* ¥ */
    assert_int_equal(gj_cp_width(0xE9), 1);
    assert_int_equal(gj_cp_width(0x370), 1);
    assert_int_equal(gj_cp_width(0x2010), 1);
    assert_int_equal(gj_cp_width(0x2FF), 1);
    /* Zero width. */
    assert_int_equal(gj_cp_width(0x300), 0);
    assert_int_equal(gj_cp_width(0x301), 0);
    assert_int_equal(gj_cp_width(0x36F), 0);
    assert_int_equal(gj_cp_width(0x200B), 0);
    assert_int_equal(gj_cp_width(0x200D), 0);
    assert_int_equal(gj_cp_width(0x200F), 0);
    assert_int_equal(gj_cp_width(0xFE00), 0);
    assert_int_equal(gj_cp_width(0xFE0F), 0);
    /* Wide and fullwidth. */
    assert_int_equal(gj_cp_width(0x4E00), 2);
    assert_int_equal(gj_cp_width(0x4E2D), 2); /* 中 */
    assert_int_equal(gj_cp_width(0x9FFF), 2);
    assert_int_equal(gj_cp_width(0x3400), 2); /* Extension A */
    assert_int_equal(gj_cp_width(0x4DBF), 2);
    assert_int_equal(gj_cp_width(0x20000), 2); /* Extension B */
    assert_int_equal(gj_cp_width(0xF900), 2);
    assert_int_equal(gj_cp_width(0xFAFF), 2);
    assert_int_equal(gj_cp_width(0xAC00), 2); /* Hangul */
    assert_int_equal(gj_cp_width(0xD7A3), 2);
    assert_int_equal(gj_cp_width(0x1100), 2);
    assert_int_equal(gj_cp_width(0x3000), 2); /* ideographic space */
    assert_int_equal(gj_cp_width(0x3001), 2); /* 、 */
    assert_int_equal(gj_cp_width(0x300A), 2); /* 《 */
    assert_int_equal(gj_cp_width(0x303E), 2);
    assert_int_equal(gj_cp_width(0x3041), 2); /* Hiragana */
    assert_int_equal(gj_cp_width(0x30A2), 2); /* Katakana */
    assert_int_equal(gj_cp_width(0x30FF), 2);
    assert_int_equal(gj_cp_width(0xFF01), 2); /* ！ */
    assert_int_equal(gj_cp_width(0xFF0C), 2); /* ， */
    assert_int_equal(gj_cp_width(0xFF10), 2); /* ０ */
    assert_int_equal(gj_cp_width(0xFF60), 2);
    assert_int_equal(gj_cp_width(0xFF61), 1); /* halfwidth ｡ */
    assert_int_equal(gj_cp_width(0xFF71), 1); /* halfwidth ｱ */
    assert_int_equal(gj_cp_width(0xFFE0), 2);
    assert_int_equal(gj_cp_width(0xFFE5), 2); /* ￥ */
    assert_int_equal(gj_cp_width(0xFFE6), 2);
    assert_int_equal(gj_cp_width(0xFFE8), 1);
    assert_int_equal(gj_cp_width(0x1F300), 2);
    assert_int_equal(gj_cp_width(0x1F600), 2);
    assert_int_equal(gj_cp_width(0x1F64F), 2);
    assert_int_equal(gj_cp_width(0x1F900), 2);
    assert_int_equal(gj_cp_width(0x1F9FF), 2);
    assert_int_equal(gj_cp_width(0x1F2FF + 1), 2);
    assert_int_equal(gj_cp_width(0x1FFFF), 1);
    /* Just outside the wide blocks. */
    assert_int_equal(gj_cp_width(0x2E7F), 1);
    assert_int_equal(gj_cp_width(0x303F), 1);
    assert_int_equal(gj_cp_width(0xA4D0), 1);
    assert_int_equal(gj_cp_width(0xD7A4), 1);
    assert_int_equal(gj_cp_width(0xE000), 1); /* private use */
}

static void test_cp_width_ignores_locale(void **state)
{
    (void)state;
    /* wcwidth() would say -1 for CJK in the C locale; we must not. */
    const char *before = setlocale(LC_ALL, NULL);
    char saved[64];
    strncpy(saved, before ? before : "C", sizeof saved - 1);
    saved[sizeof saved - 1] = '\0';
    setlocale(LC_ALL, "C");
    assert_int_equal(gj_cp_width(0x4E2D), 2);
    assert_int_equal(gj_cp_width(0x301), 0);
    assert_int_equal(gj_utf8_width("中文ab"), 6);
    setlocale(LC_ALL, saved);
}

static void test_width(void **state)
{
    (void)state;
    assert_int_equal(gj_utf8_width(""), 0);
    assert_int_equal(gj_utf8_width(NULL), 0);
    assert_int_equal(gj_utf8_width("abc"), 3);
    assert_int_equal(gj_utf8_width("中文ab"), 6);
    assert_int_equal(gj_utf8_width("张三（业主）"), 12);
    assert_int_equal(gj_utf8_width("e\xCC\x81"), 1); /* e + combining acute */
    assert_int_equal(gj_utf8_width("😀"), 2);
    assert_int_equal(gj_utf8_width("a\tb"), 3); /* controls count 1 */
    assert_int_equal(gj_utf8_width("a\xFF\xFE"
                                   "b"),
                     4);                            /* invalid bytes count 1 */
    assert_int_equal(gj_utf8_width("\xE4\xB8"), 2); /* truncated 中: two bad bytes */
}

static void test_truncate(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(gj_utf8_truncate("中文abc", 3, out, sizeof out), 2);
    assert_string_equal(out, "中");
    assert_int_equal(gj_utf8_truncate("中文abc", 4, out, sizeof out), 4);
    assert_string_equal(out, "中文");
    assert_int_equal(gj_utf8_truncate("中文abc", 5, out, sizeof out), 5);
    assert_string_equal(out, "中文a");
    assert_int_equal(gj_utf8_truncate("中文abc", 100, out, sizeof out), 7);
    assert_string_equal(out, "中文abc");
    assert_int_equal(gj_utf8_truncate("中文abc", 1, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(gj_utf8_truncate("abc", 0, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(gj_utf8_truncate("abc", -5, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(gj_utf8_truncate(NULL, 5, out, sizeof out), 0);
    assert_string_equal(out, "");
    /* A combining mark stays with its base. */
    assert_int_equal(gj_utf8_truncate("e\xCC\x81x", 1, out, sizeof out), 1);
    assert_string_equal(out, "e\xCC\x81");
    /* Invalid bytes come out as '?', so the result is valid UTF-8. */
    assert_int_equal(gj_utf8_truncate("a\xFF"
                                      "b",
                                      10, out, sizeof out),
                     3);
    assert_string_equal(out, "a?b");
    assert_true(gj_utf8_valid(out, strlen(out), NULL));
}

static void test_truncate_small_buffer(void **state)
{
    (void)state;
    char out[16];
    /* Bytes run out before columns: never split a character, never
     * write past outsz. */
    memset(out, 'X', sizeof out);
    assert_int_equal(gj_utf8_truncate("中文字", 100, out, 7), 4);
    assert_string_equal(out, "中文");
    assert_int_equal(out[7], 'X');
    memset(out, 'X', sizeof out);
    assert_int_equal(gj_utf8_truncate("中文字", 100, out, 6), 2);
    assert_string_equal(out, "中");
    assert_int_equal(out[6], 'X');
    memset(out, 'X', sizeof out);
    assert_int_equal(gj_utf8_truncate("中", 100, out, 3), 0);
    assert_string_equal(out, "");
    assert_int_equal(out[1], 'X');
    memset(out, 'X', sizeof out);
    assert_int_equal(gj_utf8_truncate("abc", 100, out, 1), 0);
    assert_int_equal(out[0], '\0');
    assert_int_equal(out[1], 'X');
    /* outsz 0 writes nothing at all. */
    memset(out, 'X', sizeof out);
    assert_int_equal(gj_utf8_truncate("abc", 100, out, 0), 0);
    assert_int_equal(out[0], 'X');
    /* 4-byte characters. */
    assert_int_equal(gj_utf8_truncate("😀😀", 100, out, 8), 2);
    assert_string_equal(out, "😀");
}

static void test_text_check_ok(void **state)
{
    (void)state;
    struct gj_error err;
    assert_int_equal(gj_text_check("张三", "name", 10, 1, 0, &err), GJ_OK);
    assert_int_equal(err.code, GJ_OK);
    assert_string_equal(err.msg, "");
    assert_int_equal(gj_text_check("", "note", 10, 0, 0, &err), GJ_OK);
    assert_int_equal(gj_text_check(NULL, "note", 10, 0, 0, &err), GJ_OK);
    assert_int_equal(gj_text_check("line 1\nline 2\tx", "note", 100, 0, 1, &err), GJ_OK);
    /* The limit counts code points, not bytes. */
    assert_int_equal(gj_text_check("一二三四五", "name", 5, 1, 0, &err), GJ_OK);
    assert_int_equal(gj_text_check("😀😀", "name", 2, 1, 0, &err), GJ_OK);
    assert_int_equal(gj_text_check(NULL, "name", 5, 1, 0, NULL), GJ_EINVAL); /* err may be NULL */
}

static void test_text_check_rejects(void **state)
{
    (void)state;
    struct gj_error err;
    assert_int_equal(gj_text_check("", "name", 10, 1, 0, &err), GJ_EINVAL);
    assert_int_equal(err.code, GJ_EINVAL);
    assert_non_null(strstr(err.msg, "name"));
    assert_non_null(strstr(err.msg, "empty"));
    assert_int_equal(gj_text_check(NULL, "name", 10, 1, 0, &err), GJ_EINVAL);
    assert_int_equal(gj_text_check("  \xE3\x80\x80 ", "name", 10, 1, 0, &err), GJ_EINVAL);

    assert_int_equal(gj_text_check("一二三四五六", "resident name", 5, 1, 0, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "resident name"));
    assert_non_null(strstr(err.msg, "6"));
    assert_non_null(strstr(err.msg, "5"));

    assert_int_equal(gj_text_check("a\nb", "name", 10, 0, 0, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "name"));
    assert_non_null(strstr(err.msg, "line break"));
    assert_int_equal(gj_text_check("a\tb", "name", 10, 0, 0, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "tab"));
    /* Other controls are refused even in multiline text. */
    assert_int_equal(gj_text_check("a\rb", "note", 10, 0, 1, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "U+000D"));
    assert_int_equal(gj_text_check("a\x1B[31mb", "note", 10, 0, 1, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "U+001B"));
    assert_null(strchr(err.msg, 0x1B));
    assert_int_equal(gj_text_check("a\x7F", "note", 10, 0, 1, &err), GJ_EINVAL);
    assert_int_equal(gj_text_check("a\xC2\x85", "note", 10, 0, 1, &err), GJ_EINVAL); /* NEL */
    assert_int_equal(gj_text_check("a\xE2\x80\xAE"
                                   "b",
                                   "note", 10, 0, 1, &err),
                     GJ_EINVAL); /* right-to-left override */

    assert_int_equal(gj_text_check("ab\xFF", "remark", 10, 0, 0, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "remark"));
    assert_non_null(strstr(err.msg, "UTF-8"));
    assert_non_null(strstr(err.msg, "byte 3"));
    assert_int_equal(gj_text_check("\xC0\xAF", "remark", 10, 0, 0, &err), GJ_EINVAL);
}

static void test_excerpt(void **state)
{
    (void)state;
    char out[GJ_UTF8_EXCERPT_SZ];
    const char *s;

    assert_string_equal(gj_utf8_excerpt("abc", 3, out, sizeof out), "abc");
    assert_string_equal(gj_utf8_excerpt(NULL, 3, out, sizeof out), "");
    assert_string_equal(gj_utf8_excerpt("abcdef", 3, out, sizeof out), "abc");
    /* Controls, bidi overrides and invalid bytes are replaced. */
    assert_string_equal(gj_utf8_excerpt("a\x1B[2Jb\n\xFF", 8, out, sizeof out), "a?[2Jb??");
    s = "x\xE2\x80\xAEy\xC2\x9B";
    assert_string_equal(gj_utf8_excerpt(s, strlen(s), out, sizeof out), "x?y?");

    /* Exactly 40 bytes stay whole; more are cut with an ellipsis. */
    s = "0123456789012345678901234567890123456789";
    assert_string_equal(gj_utf8_excerpt(s, strlen(s), out, sizeof out), s);
    s = "01234567890123456789012345678901234567890123456789";
    gj_utf8_excerpt(s, strlen(s), out, sizeof out);
    assert_string_equal(out, "0123456789012345678901234567890123456789…");

    /* 14 CJK characters are 42 bytes: 13 fit, none is split. */
    s = "一二三四五六七八九十一二三四";
    gj_utf8_excerpt(s, strlen(s), out, sizeof out);
    assert_string_equal(out, "一二三四五六七八九十一二三…");
    assert_true(gj_utf8_valid(out, strlen(out), NULL));

    /* A small out is cut on a character boundary. */
    memset(out, 'X', sizeof out);
    gj_utf8_excerpt("中文", 6, out, 5);
    assert_string_equal(out, "中");
    assert_int_equal(out[5], 'X');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_valid),
        cmocka_unit_test(test_decode_invalid),
        cmocka_unit_test(test_encode),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_len),
        cmocka_unit_test(test_cp_width),
        cmocka_unit_test(test_cp_width_ignores_locale),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_truncate),
        cmocka_unit_test(test_truncate_small_buffer),
        cmocka_unit_test(test_text_check_ok),
        cmocka_unit_test(test_text_check_rejects),
        cmocka_unit_test(test_excerpt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
