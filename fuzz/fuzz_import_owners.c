/* The owners import (core/csv.c, core/import_common.c,
 * core/import_owners.c) on any file, down the path `guanjia import owners`
 * takes before the database: encoding, records, the header, then each
 * line checked. Properties: every problem names a line of the file and
 * says why in valid UTF-8; a line that passes reports nothing and gives a
 * record the repositories can take as it is (a unit in range, a known
 * relation, canonical phones, a real date, valid text). */
#include "fuzz.h"

#include "guanjia/csv.h"
#include "guanjia/error.h"
#include "guanjia/import_owners.h"
#include "guanjia/phone.h"
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

static void check_phone(const char *p)
{
    if (!p[0])
        return;
    char again[32];
    struct gj_error err;
    FUZZ_CHECK(gj_phone_normalize(p, again, sizeof again, NULL, &err) == GJ_OK);
    FUZZ_CHECK(strcmp(again, p) == 0);
}

static void check_row(const struct gj_owner_row *row, long line)
{
    FUZZ_CHECK(row->line == line);
    FUZZ_CHECK(row->unit_ok);
    FUZZ_CHECK(row->unit.building >= 1 && row->unit.building <= 999);
    FUZZ_CHECK(row->unit.entrance >= 1 && row->unit.entrance <= 99);
    FUZZ_CHECK(row->unit.room >= 101 && row->unit.room <= 99999);
    FUZZ_CHECK(strcmp(row->relation, "owner") == 0 || strcmp(row->relation, "tenant") == 0 ||
               strcmp(row->relation, "family") == 0);
    FUZZ_CHECK(row->area_centi_m2 >= 0 && row->area_centi_m2 <= 10000000);
    FUZZ_CHECK(row->start_at >= 0);
    const struct gj_person *p = &row->person;
    FUZZ_CHECK(gj_text_present(p->name));
    FUZZ_CHECK(gj_utf8_valid(p->name, strlen(p->name), NULL));
    FUZZ_CHECK(gj_utf8_len(p->name) <= GJ_NAME_CHARS);
    FUZZ_CHECK(gj_utf8_valid(p->notes, strlen(p->notes), NULL));
    FUZZ_CHECK(gj_utf8_len(p->notes) <= GJ_NOTE_CHARS);
    check_phone(p->phone);
    check_phone(p->phone2);
    FUZZ_CHECK(!p->phone2[0] || strcmp(p->phone, p->phone2) != 0);
    FUZZ_CHECK(strlen(p->id_number) < sizeof p->id_number);
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
    for (size_t i = 0; i < size; i++) /* lines of the file, at the most */
        reps.max_line += data[i] == '\n' || data[i] == '\r';
    struct gj_csv_reader r;
    struct gj_import_header h;
    struct gj_owner_row *row = malloc(sizeof *row);
    memset(&h, 0, sizeof h);
    gj_csv_reader_init(&r, text, len);
    int have_header = 0, rd;
    while (row && (rd = gj_csv_next(&r, &err)) == GJ_OK) {
        if (gj_import_row_blank(r.fields, r.nfields))
            continue;
        if (!have_header) {
            have_header = 1;
            long before = reps.count;
            int hr = gj_owner_header_map(&h, r.fields, r.nfields, r.line, report, &reps);
            FUZZ_CHECK(hr == GJ_OK || hr == GJ_EINVAL);
            FUZZ_CHECK((hr == GJ_OK) == (reps.count == before));
            if (hr != GJ_OK)
                break;
            FUZZ_CHECK(h.index[GJ_OWNER_UNIT] >= 0 && h.index[GJ_OWNER_NAME] >= 0 &&
                       h.index[GJ_OWNER_RELATION] >= 0);
            for (int c = 0; c < GJ_OWNER_NCOLS; c++) {
                FUZZ_CHECK(h.index[c] < (int)r.nfields);
                const char *label = gj_import_header_label(&h, c);
                FUZZ_CHECK(label && gj_utf8_valid(label, strlen(label), NULL));
            }
            continue;
        }
        long before = reps.count;
        int pr = gj_owner_row_parse(&h, r.fields, r.nfields, r.line, row, report, &reps);
        FUZZ_CHECK(pr == GJ_OK || pr == GJ_EINVAL);
        FUZZ_CHECK((pr == GJ_OK) == (reps.count == before));
        if (pr == GJ_OK)
            check_row(row, r.line);
    }
    gj_import_header_free(&h);
    gj_csv_reader_free(&r);
    free(row);
    free(text);
    return 0;
}
