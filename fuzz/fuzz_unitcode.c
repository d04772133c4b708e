/* Unit codes (core/unitcode.c): any text parses or is refused with a
 * message; what parses is in range and reads back the same from both the
 * short and the Chinese form. */
#include "fuzz.h"

#include "guanjia/error.h"
#include "guanjia/unitcode.h"
#include "guanjia/utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    gj_fuzz_env();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = gj_fuzz_cstr(data, size);
    if (!s)
        return 0;
    struct gj_unitcode u, back;
    struct gj_error err;
    if (gj_unitcode_parse(s, &u, &err) == GJ_OK) {
        FUZZ_CHECK(u.building >= 1 && u.building <= 999);
        FUZZ_CHECK(u.entrance >= 1 && u.entrance <= 99);
        FUZZ_CHECK(u.room >= 101 && u.room <= 99999);
        FUZZ_CHECK(gj_unitcode_floor(u.room) >= 1);
        char code[24], zh[48];
        gj_unitcode_format(&u, code, sizeof code);
        FUZZ_CHECK(gj_unitcode_parse(code, &back, &err) == GJ_OK);
        FUZZ_CHECK(back.building == u.building && back.entrance == u.entrance &&
                   back.room == u.room);
        gj_unitcode_format_zh(&u, zh, sizeof zh);
        FUZZ_CHECK(gj_utf8_valid(zh, strlen(zh), NULL));
        FUZZ_CHECK(gj_unitcode_parse(zh, &back, &err) == GJ_OK);
        FUZZ_CHECK(back.building == u.building && back.entrance == u.entrance &&
                   back.room == u.room);
        /* A small buffer is cut, never overrun. */
        char tiny[5];
        gj_unitcode_format(&u, tiny, sizeof tiny);
        FUZZ_CHECK(strlen(tiny) < sizeof tiny);
    } else {
        FUZZ_CHECK(err.code == GJ_EINVAL);
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(gj_utf8_valid(err.msg, strlen(err.msg), NULL));
    }
    free(s);
    return 0;
}
