/* The UTF-8 helpers (core/utf8.c) on any bytes. Properties: validation
 * agrees with decoding one code point at a time, and decoded text encodes
 * back to the same bytes; cuts (truncate, excerpt, copy) stay inside their
 * buffers and never split a character; widths are what the parts add up
 * to. */
#include "fuzz.h"

#include "guanjia/error.h"
#include "guanjia/utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    gj_fuzz_env();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *bytes = (const char *)data;
    /* Decoding one code point at a time, and encoding each back. */
    int all_ok = 1;
    size_t first_bad = 0, points = 0;
    for (size_t i = 0; i < size;) {
        uint32_t cp = 0xFFFFFFFFu;
        size_t k = gj_utf8_decode(bytes + i, size - i, &cp);
        if (k == 0) {
            if (all_ok)
                first_bad = i;
            all_ok = 0;
            i++;
            continue;
        }
        FUZZ_CHECK(k <= 4 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
        char enc[4];
        FUZZ_CHECK(gj_utf8_encode(cp, enc) == k);
        FUZZ_CHECK(memcmp(enc, bytes + i, k) == 0);
        i += k;
        points++;
    }
    size_t bad = (size_t)-1;
    FUZZ_CHECK(gj_utf8_valid(bytes, size, &bad) == all_ok);
    if (!all_ok)
        FUZZ_CHECK(bad == first_bad);

    char *s = gj_fuzz_cstr(data, size);
    if (!s)
        return 0;
    size_t n = strlen(s);
    int valid = gj_utf8_valid(s, n, NULL);
    if (valid && n == size)
        FUZZ_CHECK(gj_utf8_len(s) == points);

    /* Widths. */
    int width = gj_utf8_width(s);
    FUZZ_CHECK(width >= 0);
    char cut[64];
    for (int cols = 0; cols <= 12; cols += 3) {
        int used = gj_utf8_truncate(s, cols, cut, sizeof cut);
        FUZZ_CHECK(used >= 0 && used <= cols);
        FUZZ_CHECK(strlen(cut) < sizeof cut);
        /* Invalid bytes are shown as '?': the cut is always UTF-8. */
        FUZZ_CHECK(gj_utf8_valid(cut, strlen(cut), NULL));
        FUZZ_CHECK(gj_utf8_width(cut) == used);
        if (valid)
            FUZZ_CHECK(strncmp(cut, s, strlen(cut)) == 0);
    }

    /* Excerpts for messages: always valid, short, and safe in any buffer. */
    char ex[GJ_UTF8_EXCERPT_SZ];
    gj_utf8_excerpt(s, n, ex, sizeof ex);
    FUZZ_CHECK(strlen(ex) < sizeof ex);
    FUZZ_CHECK(gj_utf8_valid(ex, strlen(ex), NULL));
    for (size_t sz = 1; sz <= 8; sz++) {
        char small[8];
        gj_utf8_excerpt(s, n, small, sz);
        FUZZ_CHECK(strlen(small) < sz);
        FUZZ_CHECK(gj_utf8_valid(small, strlen(small), NULL));
        gj_text_copy(small, sz, s);
        FUZZ_CHECK(strlen(small) < sz);
        FUZZ_CHECK(strncmp(small, s, strlen(small)) == 0);
        if (valid)
            FUZZ_CHECK(gj_utf8_valid(small, strlen(small), NULL));
    }

    /* A text field's check agrees with validity and length. */
    struct gj_error err;
    for (int multiline = 0; multiline <= 1; multiline++) {
        if (gj_text_check(s, "note", 20, 1, multiline, &err) == GJ_OK) {
            FUZZ_CHECK(valid);
            FUZZ_CHECK(gj_utf8_len(s) <= 20);
            FUZZ_CHECK(gj_text_present(s) || s[0] != '\0');
        } else {
            FUZZ_CHECK(err.code == GJ_EINVAL);
            FUZZ_CHECK(gj_utf8_valid(err.msg, strlen(err.msg), NULL));
        }
    }
    free(s);
    return 0;
}
