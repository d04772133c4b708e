/* Phone numbers (core/phone.c): any text is normalised or refused with a
 * message; the canonical form is short, normalises to itself with the same
 * kind, and masks and last-four keys are made from it safely. */
#include "fuzz.h"

#include "guanjia/error.h"
#include "guanjia/phone.h"
#include "guanjia/utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    gj_fuzz_env();
    return 0;
}

static int all_digits_or_dash(const char *s)
{
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = gj_fuzz_cstr(data, size);
    if (!s)
        return 0;
    char out[32], again[32];
    enum gj_phone_kind kind = 0, kind2 = 0;
    struct gj_error err;
    if (gj_phone_normalize(s, out, sizeof out, &kind, &err) == GJ_OK) {
        FUZZ_CHECK(kind == GJ_PHONE_MOBILE || kind == GJ_PHONE_LANDLINE);
        FUZZ_CHECK(strlen(out) < 16); /* fits GJ_PHONE_BYTES */
        FUZZ_CHECK(all_digits_or_dash(out));
        if (kind == GJ_PHONE_MOBILE)
            FUZZ_CHECK(strlen(out) == 11 && out[0] == '1' && out[1] >= '3');
        else
            FUZZ_CHECK(out[0] == '0' && strchr(out, '-') != NULL);
        FUZZ_CHECK(gj_phone_normalize(out, again, sizeof again, &kind2, &err) == GJ_OK);
        FUZZ_CHECK(strcmp(out, again) == 0);
        FUZZ_CHECK(kind2 == kind);
        char mask[32], last4[5];
        gj_phone_mask(out, mask, sizeof mask);
        FUZZ_CHECK(strlen(mask) == strlen(out));
        FUZZ_CHECK(strcmp(mask + strlen(mask) - 4, out + strlen(out) - 4) == 0);
        gj_phone_last4(out, last4);
        FUZZ_CHECK(strcmp(last4, out + strlen(out) - 4) == 0);
    } else {
        FUZZ_CHECK(err.code == GJ_EINVAL);
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(gj_utf8_valid(err.msg, strlen(err.msg), NULL));
    }
    /* Masks of anything (a phone typed before validation existed) stay
     * inside their buffer and are valid UTF-8 (bad bytes become '?'). */
    char mask[8], last4[5];
    gj_phone_mask(s, mask, sizeof mask);
    FUZZ_CHECK(strlen(mask) < sizeof mask);
    FUZZ_CHECK(gj_utf8_valid(mask, strlen(mask), NULL));
    gj_phone_last4(s, last4);
    FUZZ_CHECK(strlen(last4) <= 4);
    free(s);
    return 0;
}
