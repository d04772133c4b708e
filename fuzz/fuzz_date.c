/* Dates, months and times as typed or imported (core/clock.c, the owners
 * and bills imports): every parser on the same text. Properties: a date
 * that parses is a real local midnight and reads back from its written
 * form; a month is 1..12 and reads back; a time reads back to its minute;
 * an area is within 0.01..100,000 m². */
#include "fuzz.h"

#include "guanjia/clock.h"
#include "guanjia/error.h"
#include "guanjia/import_bills.h"
#include "guanjia/import_owners.h"
#include "guanjia/utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    gj_fuzz_env();
    return 0;
}

static void refused(const struct gj_error *err)
{
    FUZZ_CHECK(err->code == GJ_EINVAL);
    FUZZ_CHECK(err->msg[0] != '\0');
    FUZZ_CHECK(gj_utf8_valid(err->msg, strlen(err->msg), NULL));
}

/* t is the local midnight of a date whose written form reads back as t. */
static void check_day(int64_t t)
{
    char text[32];
    int64_t back = -1;
    struct gj_error err;
    FUZZ_CHECK(gj_day_start(t) == t);
    gj_format_date(t, text, sizeof text);
    FUZZ_CHECK(strlen(text) == 10);
    FUZZ_CHECK(gj_parse_date(text, &back, &err) == GJ_OK);
    FUZZ_CHECK(back == t);
}

static void check_month(int yyyymm)
{
    char text[32];
    int back = -1;
    struct gj_error err;
    FUZZ_CHECK(yyyymm % 100 >= 1 && yyyymm % 100 <= 12);
    FUZZ_CHECK(gj_month_days(yyyymm) >= 28 && gj_month_days(yyyymm) <= 31);
    gj_format_month(yyyymm, text, sizeof text);
    FUZZ_CHECK(gj_parse_month(text, &back, &err) == GJ_OK);
    FUZZ_CHECK(back == yyyymm);
    FUZZ_CHECK(gj_month_add(gj_month_add(yyyymm, 13), -13) == yyyymm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = gj_fuzz_cstr(data, size);
    if (!s)
        return 0;
    struct gj_error err;
    int64_t t;
    int m;

    if (gj_parse_date(s, &t, &err) == GJ_OK)
        check_day(t);
    else
        refused(&err);

    if (gj_import_date_parse(s, &t, &err) == GJ_OK)
        check_day(t);
    else
        refused(&err);

    if (gj_parse_datetime(s, &t, &err) == GJ_OK) {
        char text[32];
        int64_t back = -1;
        gj_format_datetime(t, text, sizeof text);
        FUZZ_CHECK(gj_parse_datetime(text, &back, &err) == GJ_OK);
        FUZZ_CHECK(back == t - (t - gj_day_start(t)) % 60);
    } else {
        refused(&err);
    }

    if (gj_parse_month(s, &m, &err) == GJ_OK)
        check_month(m);
    else
        refused(&err);

    if (gj_bill_period_parse(s, &m, &err) == GJ_OK)
        check_month(m);
    else
        refused(&err);

    int64_t area;
    if (gj_area_parse(s, &area, &err) == GJ_OK)
        FUZZ_CHECK(area >= 1 && area <= 10000000);
    else
        refused(&err);
    free(s);
    return 0;
}
