/* The opening-balances import (core/csv.c, core/import_common.c,
 * core/import_bills.c) on any file, down the path `guanjia import bills`
 * takes before the database: encoding, records, the header, each line
 * checked, then repeated lines. Properties: problems name a line and say
 * why in valid UTF-8; a line that passes reports nothing and is ready for
 * the repository (a unit in range, a real month, 0 < amount <= the
 * largest, 0 <= paid <= amount); repeats are flagged exactly as counted. */
#include "fuzz.h"

#include "guanjia/csv.h"
#include "guanjia/error.h"
#include "guanjia/import_bills.h"
#include "guanjia/money.h"
#include "guanjia/utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    gj_fuzz_env();
    return 0;
}

struct reports {
    long count;
    long max_line;
};

static void report(void *ctx, long line, const char *column, const char *why)
{
    struct reports *r = ctx;
    FUZZ_CHECK(line >= 1 && line <= r->max_line);
    FUZZ_CHECK(column != NULL && why != NULL && why[0] != '\0');
    FUZZ_CHECK(gj_utf8_valid(column, strlen(column), NULL));
    FUZZ_CHECK(gj_utf8_valid(why, strlen(why), NULL));
    r->count++;
}

static void check_row(const struct gj_bill_row *row, long line)
{
    FUZZ_CHECK(row->line == line);
    FUZZ_CHECK(row->unit.building >= 1 && row->unit.building <= 999);
    FUZZ_CHECK(row->unit.entrance >= 1 && row->unit.entrance <= 99);
    FUZZ_CHECK(row->unit.room >= 101 && row->unit.room <= 99999);
    FUZZ_CHECK(gj_text_present(row->item));
    FUZZ_CHECK(gj_utf8_valid(row->item, strlen(row->item), NULL));
    FUZZ_CHECK(row->period % 100 >= 1 && row->period % 100 <= 12);
    FUZZ_CHECK(row->amount_fen > 0 && row->amount_fen <= GJ_MONEY_MAX);
    FUZZ_CHECK(row->paid_fen >= 0 && row->paid_fen <= row->amount_fen);
    FUZZ_CHECK(strlen(row->space) < sizeof row->space);
    FUZZ_CHECK(gj_utf8_valid(row->space, strlen(row->space), NULL));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = NULL;
    size_t len = 0;
    long line = 0;
    struct gj_error err;
    if (gj_csv_to_utf8((const char *)data, size, &text, &len, NULL, &line, &err) != GJ_OK)
        return 0;

    struct reports reps = {0, 1};
    for (size_t i = 0; i < size; i++)
        reps.max_line += data[i] == '\n' || data[i] == '\r';
    struct gj_csv_reader r;
    struct gj_import_header h;
    struct gj_bill_row *rows = NULL;
    size_t n = 0, cap = 0;
    memset(&h, 0, sizeof h);
    gj_csv_reader_init(&r, text, len);
    int have_header = 0, rd;
    while ((rd = gj_csv_next(&r, &err)) == GJ_OK) {
        if (gj_import_row_blank(r.fields, r.nfields))
            continue;
        if (!have_header) {
            have_header = 1;
            long before = reps.count;
            int hr = gj_bill_header_map(&h, r.fields, r.nfields, r.line, report, &reps);
            FUZZ_CHECK(hr == GJ_OK || hr == GJ_EINVAL);
            FUZZ_CHECK((hr == GJ_OK) == (reps.count == before));
            if (hr != GJ_OK)
                break;
            for (int c = 0; c < GJ_BILL_NCOLS; c++)
                FUZZ_CHECK(h.index[c] < (int)r.nfields);
            continue;
        }
        if (n == cap) {
            size_t grown_cap = cap ? cap * 2 : 16;
            struct gj_bill_row *grown = realloc(rows, grown_cap * sizeof *grown);
            if (!grown)
                break;
            rows = grown;
            cap = grown_cap;
        }
        long before = reps.count;
        int pr = gj_bill_row_parse(&h, r.fields, r.nfields, r.line, &rows[n], report, &reps);
        FUZZ_CHECK(pr == GJ_OK || pr == GJ_EINVAL);
        FUZZ_CHECK((pr == GJ_OK) == (reps.count == before));
        if (pr == GJ_OK)
            check_row(&rows[n++], r.line);
    }
    if (n > 0) {
        unsigned char *repeated = malloc(n);
        if (repeated) {
            long before = reps.count;
            long dups = gj_bill_rows_duplicates(rows, n, repeated, report, &reps);
            FUZZ_CHECK(dups >= 0 && dups == reps.count - before);
            long flagged = 0;
            for (size_t i = 0; i < n; i++)
                flagged += repeated[i] != 0;
            FUZZ_CHECK(flagged == dups);
            FUZZ_CHECK(n == 0 || !repeated[0]);
            free(repeated);
        }
    }
    gj_import_header_free(&h);
    gj_csv_reader_free(&r);
    free(rows);
    free(text);
    return 0;
}
