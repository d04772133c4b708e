/* CSV: encoding detection, an RFC 4180 reader with line numbers, a writer. */
#include "guanjia/csv.h"

#include "guanjia/i18n.h"
#include "guanjia/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* ---- encoding ------------------------------------------------------------- */

/* The physical line of byte off: line breaks are LF, CRLF or a lone CR, as
 * the reader counts them. */
static long line_at(const char *s, size_t len, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (s[i] == '\n')
            line++;
        else if (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'))
            line++;
    }
    return line;
}

/* Converts GB18030 to UTF-8. On bad input returns GJ_EINVAL with the offset
 * of the first bad byte in *bad; (size_t)-1 when iconv lacks GB18030. */
static int from_gb18030(const char *data, size_t len, char **out, size_t *outlen, size_t *bad,
                        struct gj_error *err)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        *bad = (size_t)-1;
        return gj_err(err, GJ_EINVAL, "%s",
                      _("not valid UTF-8, and GBK cannot be read on this system (save the file "
                        "as CSV UTF-8)"));
    }
    /* One byte becomes one, two at most three for the common characters,
     * four four. But glibc reads a few two-byte codes (FE51 and others) as
     * characters beyond U+FFFF, four bytes in UTF-8: when a file has many,
     * the buffer grows (E2BIG below). */
    size_t cap = len + len / 2 + 16;
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    }
    char *in = (char *)data, *o = buf;
    size_t inleft = len, oleft = cap - 1;
    int rc = GJ_OK;
    while (inleft > 0) {
        if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
            continue;
        if (errno == E2BIG) {
            size_t used = (size_t)(o - buf);
            char *b = realloc(buf, cap * 2);
            if (!b) {
                rc = gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
                break;
            }
            buf = b;
            cap *= 2;
            o = buf + used;
            oleft = cap - 1 - used;
            continue;
        }
        /* EILSEQ, EINVAL (a code cut off at the end) or anything else:
         * the text cannot be read as GBK from here on. */
        *bad = (size_t)(in - data);
        rc = GJ_EINVAL;
        break;
    }
    iconv_close(cd);
    if (rc != GJ_OK) {
        free(buf);
        return rc;
    }
    *o = '\0';
    *out = buf;
    *outlen = (size_t)(o - buf);
    return GJ_OK;
}

static int copy_text(const char *s, size_t n, char **out, size_t *outlen, struct gj_error *err)
{
    char *buf = malloc(n + 1);
    if (!buf)
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = buf;
    *outlen = n;
    return GJ_OK;
}

int gj_csv_to_utf8(const char *data, size_t len, char **out, size_t *outlen,
                   enum gj_csv_encoding *enc, long *line, struct gj_error *err)
{
    *out = NULL;
    *outlen = 0;
    *line = 0;
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
        *line = 1;
        return gj_err(err, GJ_EINVAL, "%s",
                      _("this is a spreadsheet workbook (.xlsx), not CSV; save it as "
                        "\"CSV UTF-8\" first"));
    }
    if (len >= 2 && ((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE)) {
        *line = 1;
        return gj_err(err, GJ_EINVAL, "%s",
                      _("this is UTF-16 text (\"Unicode text\"); save it as \"CSV UTF-8\" "
                        "instead"));
    }
    if (len >= 2 && ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)) {
        *line = 1;
        return gj_err(err, GJ_EINVAL, "%s",
                      _("this is UTF-16 text (\"Unicode text\"); save it as \"CSV UTF-8\" "
                        "instead"));
    }
    const char *nul = memchr(data, '\0', len);
    if (nul) {
        *line = line_at(data, len, (size_t)(nul - data));
        return gj_err(err, GJ_EINVAL, "%s",
                      _("contains a NUL byte: this is not a text file (save it as "
                        "\"CSV UTF-8\")"));
    }
    size_t bad_utf8 = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        if (!gj_utf8_valid(data + 3, len - 3, &bad_utf8)) {
            *line = line_at(data, len, bad_utf8 + 3);
            return gj_err(err, GJ_EINVAL, "%s",
                          _("not valid UTF-8, although the file starts with a UTF-8 mark"));
        }
        if (enc)
            *enc = GJ_CSV_UTF8_BOM;
        return copy_text(data + 3, len - 3, out, outlen, err);
    }
    if (gj_utf8_valid(data, len, &bad_utf8)) {
        if (enc)
            *enc = GJ_CSV_UTF8;
        return copy_text(data, len, out, outlen, err);
    }
    size_t bad_gbk = 0;
    int rc = from_gb18030(data, len, out, outlen, &bad_gbk, err);
    if (rc == GJ_OK) {
        if (enc)
            *enc = GJ_CSV_GBK;
        return GJ_OK;
    }
    if (rc != GJ_EINVAL)
        return rc;
    if (bad_gbk == (size_t)-1) {
        *line = line_at(data, len, bad_utf8);
        return rc;
    }
    /* Neither reading works. A UTF-8 file with one bad byte fails as GBK
     * early and as UTF-8 late, a GBK file with one bad byte the other way
     * round: the later failure is the one to show. */
    size_t bad = bad_gbk > bad_utf8 ? bad_gbk : bad_utf8;
    *line = line_at(data, len, bad);
    return gj_err(err, GJ_EINVAL, "%s",
                  _("not valid UTF-8 or GBK (save the file as \"CSV UTF-8\")"));
}

/* ---- reader --------------------------------------------------------------- */

void gj_csv_reader_init(struct gj_csv_reader *r, const char *data, size_t len)
{
    memset(r, 0, sizeof *r);
    r->p = data;
    r->end = data + len;
    r->next_line = 1;
}

void gj_csv_reader_free(struct gj_csv_reader *r)
{
    free(r->buf);
    free(r->offs);
    free(r->ptrs);
    r->buf = NULL;
    r->offs = NULL;
    r->ptrs = NULL;
    r->fields = NULL;
    r->nfields = 0;
    r->bufcap = r->buflen = r->offcap = 0;
}

static int put(struct gj_csv_reader *r, char c, struct gj_error *err)
{
    if (r->buflen + 1 >= r->bufcap) {
        size_t cap = r->bufcap ? r->bufcap * 2 : 256;
        char *b = realloc(r->buf, cap);
        if (!b)
            return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
        r->buf = b;
        r->bufcap = cap;
    }
    r->buf[r->buflen++] = c;
    return GJ_OK;
}

static int start_field(struct gj_csv_reader *r, struct gj_error *err)
{
    if (r->nfields >= GJ_CSV_MAX_FIELDS) {
        r->line = r->next_line;
        return gj_err(err, GJ_EINVAL, _("more than %d fields on one line"), GJ_CSV_MAX_FIELDS);
    }
    if (r->nfields >= r->offcap) {
        size_t cap = r->offcap ? r->offcap * 2 : 16;
        size_t *o = realloc(r->offs, cap * sizeof *o);
        if (!o)
            return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
        r->offs = o;
        char **p = realloc(r->ptrs, cap * sizeof *p);
        if (!p)
            return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
        r->ptrs = p;
        r->offcap = cap;
    }
    r->offs[r->nfields++] = r->buflen;
    return GJ_OK;
}

static int end_field(struct gj_csv_reader *r, long at_line, struct gj_error *err)
{
    if (r->buflen - r->offs[r->nfields - 1] > GJ_CSV_MAX_FIELD) {
        r->line = at_line;
        return gj_err(err, GJ_EINVAL, _("a field is longer than %d bytes"), GJ_CSV_MAX_FIELD);
    }
    return put(r, '\0', err);
}

/* Consumes a line break at r->p (LF, CRLF or CR), if any. */
static int take_eol(struct gj_csv_reader *r)
{
    if (r->p < r->end && *r->p == '\r') {
        r->p++;
        if (r->p < r->end && *r->p == '\n')
            r->p++;
        r->next_line++;
        return 1;
    }
    if (r->p < r->end && *r->p == '\n') {
        r->p++;
        r->next_line++;
        return 1;
    }
    return 0;
}

int gj_csv_next(struct gj_csv_reader *r, struct gj_error *err)
{
    r->fields = NULL;
    r->nfields = 0;
    r->buflen = 0;
    if (r->p >= r->end)
        return GJ_ENOTFOUND;
    r->line = r->next_line;
    if (r->records >= GJ_CSV_MAX_RECORDS)
        return gj_err(err, GJ_EINVAL, _("more than %d lines; split the file"), GJ_CSV_MAX_RECORDS);
    int rc;
    for (;;) {
        long field_line = r->next_line;
        if ((rc = start_field(r, err)) != GJ_OK)
            return rc;
        if (r->p < r->end && *r->p == '"') {
            r->p++;
            for (;;) {
                if (r->p >= r->end) {
                    r->line = field_line;
                    return gj_err(err, GJ_EINVAL, "%s",
                                  _("a quoted field that starts on this line is never closed "
                                    "(a missing '\"')"));
                }
                char c = *r->p;
                if (c == '"') {
                    if (r->p + 1 < r->end && r->p[1] == '"') {
                        rc = put(r, '"', err);
                        r->p += 2;
                    } else {
                        r->p++;
                        break;
                    }
                } else if (c == '\r' || c == '\n') {
                    take_eol(r);
                    rc = put(r, '\n', err);
                } else {
                    rc = put(r, c, err);
                    r->p++;
                }
                if (rc != GJ_OK)
                    return rc;
                if (r->buflen - r->offs[r->nfields - 1] > GJ_CSV_MAX_FIELD)
                    return end_field(r, field_line, err);
            }
            if (r->p < r->end && *r->p != ',' && *r->p != '\r' && *r->p != '\n') {
                r->line = r->next_line;
                return gj_err(err, GJ_EINVAL, "%s",
                              _("text after the closing quote of a field (write a quote "
                                "inside a quoted field as \"\")"));
            }
        } else {
            while (r->p < r->end && *r->p != ',' && *r->p != '\r' && *r->p != '\n') {
                if ((rc = put(r, *r->p, err)) != GJ_OK)
                    return rc;
                r->p++;
                if (r->buflen - r->offs[r->nfields - 1] > GJ_CSV_MAX_FIELD)
                    return end_field(r, field_line, err);
            }
        }
        if ((rc = end_field(r, field_line, err)) != GJ_OK)
            return rc;
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        take_eol(r);
        break;
    }
    for (size_t i = 0; i < r->nfields; i++)
        r->ptrs[i] = r->buf + r->offs[i];
    r->fields = r->ptrs;
    r->records++;
    return GJ_OK;
}

/* ---- writer --------------------------------------------------------------- */

static int buf_add(struct gj_csv_buf *b, const char *s, size_t n, struct gj_error *err)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return GJ_OK;
}

static int needs_quotes(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return 0;
    if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
        return 1;
    return strpbrk(s, ",\"\r\n") != NULL;
}

int gj_csv_format_record(struct gj_csv_buf *b, const char *const *fields, size_t n,
                         struct gj_error *err)
{
    int rc = GJ_OK;
    for (size_t i = 0; i < n && rc == GJ_OK; i++) {
        const char *s = fields[i] ? fields[i] : "";
        if (i > 0)
            rc = buf_add(b, ",", 1, err);
        if (rc != GJ_OK)
            break;
        if (!needs_quotes(s)) {
            rc = buf_add(b, s, strlen(s), err);
            continue;
        }
        rc = buf_add(b, "\"", 1, err);
        while (rc == GJ_OK && *s) {
            const char *q = strchr(s, '"');
            size_t k = q ? (size_t)(q - s) : strlen(s);
            rc = buf_add(b, s, k, err);
            if (rc == GJ_OK && q)
                rc = buf_add(b, "\"\"", 2, err);
            s += k + (q ? 1 : 0);
        }
        if (rc == GJ_OK)
            rc = buf_add(b, "\"", 1, err);
    }
    if (rc == GJ_OK)
        rc = buf_add(b, "\r\n", 2, err);
    return rc;
}

void gj_csv_buf_free(struct gj_csv_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
