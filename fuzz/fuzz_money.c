/* Money (core/money.c): amounts typed as text, and amounts written back.
 * The first byte of the input picks the flags, the rest is the text; the
 * first eight bytes are also read as an amount in fen for the writers.
 * Properties: what parses is within GJ_MONEY_MAX and of the sign the flags
 * allow; both written forms parse back to the same fen; the amount in
 * words (大写) is made for every amount in range and refused beyond it. */
#include "fuzz.h"

#include "guanjia/error.h"
#include "guanjia/money.h"
#include "guanjia/utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    gj_fuzz_env();
    return 0;
}

static const unsigned all_flags = GJ_MONEY_ALLOW_NEGATIVE | GJ_MONEY_ALLOW_ZERO;

/* fen written both ways reads back as fen; its words are made. */
static void round_trip(int64_t fen)
{
    char text[32], plain[32], words[GJ_MONEY_CHINESE_SZ];
    int64_t back = 0;
    struct gj_error err;
    gj_money_format(fen, text, sizeof text);
    FUZZ_CHECK(gj_utf8_valid(text, strlen(text), NULL));
    FUZZ_CHECK(gj_money_parse(text, all_flags, "x", &back, &err) == GJ_OK);
    FUZZ_CHECK(back == fen);
    gj_money_format_plain(fen, plain, sizeof plain);
    FUZZ_CHECK(gj_money_parse(plain, all_flags, "x", &back, &err) == GJ_OK);
    FUZZ_CHECK(back == fen);
    FUZZ_CHECK(gj_money_chinese(fen, words, sizeof words) == GJ_OK);
    FUZZ_CHECK(words[0] != '\0');
    FUZZ_CHECK(gj_utf8_valid(words, strlen(words), NULL));
    FUZZ_CHECK((fen < 0) == (strncmp(words, "负", strlen("负")) == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = data[0] & all_flags;
    char *s = gj_fuzz_cstr(data + 1, size - 1);
    if (!s)
        return 0;
    int64_t fen = -1;
    struct gj_error err;
    if (gj_money_parse(s, flags, "amount", &fen, &err) == GJ_OK) {
        FUZZ_CHECK(fen <= GJ_MONEY_MAX && fen >= -GJ_MONEY_MAX);
        if (!(flags & GJ_MONEY_ALLOW_NEGATIVE))
            FUZZ_CHECK(fen >= 0);
        if (!(flags & GJ_MONEY_ALLOW_ZERO))
            FUZZ_CHECK(fen != 0);
        round_trip(fen);
    } else {
        FUZZ_CHECK(err.code == GJ_EINVAL);
        FUZZ_CHECK(strncmp(err.msg, "amount", 6) == 0);
        FUZZ_CHECK(gj_utf8_valid(err.msg, strlen(err.msg), NULL));
    }
    free(s);

    /* The writers, for any 64-bit amount. */
    if (size >= 8) {
        uint64_t u = 0;
        for (int i = 0; i < 8; i++)
            u = u << 8 | data[i];
        int64_t any;
        memcpy(&any, &u, sizeof any);
        char text[32], plain[32], words[GJ_MONEY_CHINESE_SZ], small[7];
        gj_money_format(any, text, sizeof text);
        FUZZ_CHECK(strlen(text) < sizeof text);
        gj_money_format_plain(any, plain, sizeof plain);
        gj_money_format(any, small, sizeof small);
        FUZZ_CHECK(strlen(small) < sizeof small);
        FUZZ_CHECK(gj_utf8_valid(small, strlen(small), NULL));
        if (any <= GJ_MONEY_MAX && any >= -GJ_MONEY_MAX) {
            round_trip(any);
            round_trip(any % 1000000); /* the common sizes too */
        } else {
            FUZZ_CHECK(gj_money_chinese(any, words, sizeof words) == GJ_EINVAL);
            FUZZ_CHECK(words[0] == '\0');
        }
        /* Too small a buffer: refused, never overrun. */
        if (gj_money_chinese(any, words, 10) != GJ_OK)
            FUZZ_CHECK(words[0] == '\0');
        else
            FUZZ_CHECK(strlen(words) < 10);
    }
    return 0;
}
