/* CSV files as spreadsheets write them (RFC 4180), in core/: no I/O.
 * - Encoding: gj_csv_to_utf8 turns the bytes of a file into UTF-8 text
 *   (UTF-8 with or without a BOM, or GBK/GB18030 as Chinese Excel and WPS
 *   save "CSV" by default).
 * - Reading: gj_csv_next gives one record at a time with the physical line
 *   it starts on, so that messages can point at the line a user sees in an
 *   editor even when quoted fields hold line breaks.
 * - Writing: gj_csv_format_record appends one record, quoting only the
 *   fields that need it, ending in CRLF.
 * Errors carry the line separately (*line or reader->line), the message is
 * the reason only; callers print "FILE:LINE: WHY". */
#ifndef GUANJIA_CSV_H
#define GUANJIA_CSV_H

#include <stddef.h>
#include "guanjia/error.h"

#define GJ_CSV_MAX_BYTES   (64L * 1024 * 1024) /* a bigger file is refused */
#define GJ_CSV_MAX_FIELD   65536               /* bytes in one field */
#define GJ_CSV_MAX_FIELDS  256                 /* fields in one record */
#define GJ_CSV_MAX_RECORDS 1000000             /* records in one file */

enum gj_csv_encoding { GJ_CSV_UTF8 = 1, GJ_CSV_UTF8_BOM, GJ_CSV_GBK };

/* Converts the raw bytes of a file to UTF-8: a UTF-8 BOM is stripped (the
 * rest must then be UTF-8); valid UTF-8 is kept; anything else is read as
 * GB18030 (a superset of GBK and GB2312). *out is malloc'd and
 * NUL-terminated (the caller frees it), *outlen its length without the NUL,
 * *enc what was found (enc may be NULL). Refused with GJ_EINVAL and the
 * physical line in *line: NUL bytes (a binary file), Excel workbooks and
 * UTF-16 text (with a hint to save as CSV), and text that is neither UTF-8
 * nor GBK ("not valid UTF-8 or GBK"). GJ_ENOMEM when memory runs out. */
int gj_csv_to_utf8(const char *data, size_t len, char **out, size_t *outlen,
                   enum gj_csv_encoding *enc, long *line, struct gj_error *err);

/* A reader over UTF-8 text (not copied: data must outlive the reader). */
struct gj_csv_reader {
    const char *p, *end;
    long next_line; /* physical line of the next byte (1-based) */
    long records;   /* records returned so far */
    /* The current record, valid until the next call: */
    long line;     /* physical line the record starts on; on error, the
                      line the error is reported at */
    char **fields; /* nfields NUL-terminated fields */
    size_t nfields;
    /* Storage. */
    char *buf;
    size_t buflen, bufcap;
    size_t *offs;
    char **ptrs;
    size_t offcap;
};

void gj_csv_reader_init(struct gj_csv_reader *r, const char *data, size_t len);
/* Reads the next record into r->fields / r->nfields / r->line. Returns
 * GJ_OK, GJ_ENOTFOUND at the end of the text (nothing read), GJ_EINVAL for
 * broken text (r->line says where: an unterminated quote reports the line
 * it opened on), GJ_ENOMEM. Fields are separated by commas and records by
 * LF, CRLF or CR; a field starting with '"' is quoted: commas and line
 * breaks are kept (CRLF and CR become LF) and "" stands for '"'. A quote
 * inside an unquoted field is kept as it is. An empty line is a record of
 * one empty field; a final line without a line break is read. */
int gj_csv_next(struct gj_csv_reader *r, struct gj_error *err);
void gj_csv_reader_free(struct gj_csv_reader *r);

/* A growing text buffer for the writer. Zero-initialise; free with
 * gj_csv_buf_free. data is NUL-terminated once anything was appended. */
struct gj_csv_buf {
    char *data;
    size_t len, cap;
};

/* Appends one record of n fields (NULL counts as empty) and CRLF. A field
 * is quoted when it holds a comma, a quote, CR or LF, or starts or ends
 * with a space or tab; quotes inside are doubled. GJ_ENOMEM on failure. */
int gj_csv_format_record(struct gj_csv_buf *b, const char *const *fields, size_t n,
                         struct gj_error *err);
void gj_csv_buf_free(struct gj_csv_buf *b);

#endif
