/* The CSV layer (core/csv.c) on any file: the encoding is found and the
 * text made UTF-8 or refused with the line; the reader splits it into
 * records within the limits; and the records written back by the writer
 * read back the same. */
#include "fuzz.h"

#include "guanjia/csv.h"
#include "guanjia/error.h"
#include "guanjia/utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    gj_fuzz_env();
    return 0;
}

/* Reads every record of text; the reader's limits hold. Returns the
 * status that ended the reading. With out, also writes each record. */
static int read_all(const char *text, size_t len, int utf8, struct gj_csv_buf *out, long *records)
{
    struct gj_csv_reader r;
    struct gj_error err;
    int rc;
    long last_line = 0;
    *records = 0;
    gj_csv_reader_init(&r, text, len);
    while ((rc = gj_csv_next(&r, &err)) == GJ_OK) {
        FUZZ_CHECK(r.nfields >= 1 && r.nfields <= GJ_CSV_MAX_FIELDS);
        FUZZ_CHECK(r.line > last_line);
        last_line = r.line;
        for (size_t i = 0; i < r.nfields; i++) {
            size_t n = strlen(r.fields[i]);
            FUZZ_CHECK(n <= GJ_CSV_MAX_FIELD);
            if (utf8)
                FUZZ_CHECK(gj_utf8_valid(r.fields[i], n, NULL));
        }
        if (out)
            FUZZ_CHECK(gj_csv_format_record(out, (const char *const *)r.fields, r.nfields, &err) ==
                       GJ_OK);
        (*records)++;
    }
    if (rc == GJ_EINVAL) {
        FUZZ_CHECK(r.line >= 1);
        FUZZ_CHECK(gj_utf8_valid(err.msg, strlen(err.msg), NULL));
    }
    FUZZ_CHECK(rc == GJ_ENOTFOUND || rc == GJ_EINVAL);
    gj_csv_reader_free(&r);
    return rc;
}

/* The records of a and b are the same. */
static void same_records(const char *a, size_t alen, const char *b, size_t blen)
{
    struct gj_csv_reader ra, rb;
    struct gj_error err;
    gj_csv_reader_init(&ra, a, alen);
    gj_csv_reader_init(&rb, b, blen);
    for (;;) {
        int x = gj_csv_next(&ra, &err), y = gj_csv_next(&rb, &err);
        FUZZ_CHECK(x == y);
        if (x != GJ_OK)
            break;
        FUZZ_CHECK(ra.nfields == rb.nfields);
        for (size_t i = 0; i < ra.nfields; i++)
            FUZZ_CHECK(strcmp(ra.fields[i], rb.fields[i]) == 0);
    }
    gj_csv_reader_free(&ra);
    gj_csv_reader_free(&rb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = NULL;
    size_t len = 0;
    enum gj_csv_encoding enc = 0;
    long line = 0, records;
    struct gj_error err;

    /* The reader never trips over raw bytes either. */
    read_all((const char *)data, size, 0, NULL, &records);

    int rc = gj_csv_to_utf8((const char *)data, size, &text, &len, &enc, &line, &err);
    if (rc != GJ_OK) {
        FUZZ_CHECK(rc == GJ_EINVAL);
        FUZZ_CHECK(line >= 1);
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(gj_utf8_valid(err.msg, strlen(err.msg), NULL));
        return 0;
    }
    FUZZ_CHECK(enc == GJ_CSV_UTF8 || enc == GJ_CSV_UTF8_BOM || enc == GJ_CSV_GBK);
    FUZZ_CHECK(text[len] == '\0' && strlen(text) == len);
    FUZZ_CHECK(gj_utf8_valid(text, len, NULL));
    if (enc == GJ_CSV_UTF8)
        FUZZ_CHECK(len == size && memcmp(text, data, size) == 0);

    struct gj_csv_buf out = {0};
    if (read_all(text, len, 1, &out, &records) == GJ_ENOTFOUND && records > 0) {
        /* Written back, the records read the same. */
        FUZZ_CHECK(out.data != NULL);
        long again;
        FUZZ_CHECK(read_all(out.data, out.len, 1, NULL, &again) == GJ_ENOTFOUND);
        FUZZ_CHECK(again == records);
        same_records(text, len, out.data, out.len);
    }
    gj_csv_buf_free(&out);
    free(text);
    return 0;
}
