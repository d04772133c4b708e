/* What the CSV imports share: blanks, header mapping, the start of a line's
 * checks and how its problems are reported. */
#include "guanjia/import_common.h"

#include "guanjia/error.h"
#include "guanjia/i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text helpers --------------------------------------------------------- */

/* Length of a blank character at s (space, tab, CR, LF, NBSP, U+3000), or 0. */
static size_t blank_at(const char *s, const char *end)
{
    if (s >= end)
        return 0;
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        return 1;
    if (end - s >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    if (end - s >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
        return 3;
    return 0;
}

/* Length of a blank character ending at end, or 0. */
static size_t blank_before(const char *start, const char *end)
{
    if (end > start && blank_at(end - 1, end) == 1)
        return 1;
    if (end - start >= 2 && blank_at(end - 2, end) == 2)
        return 2;
    if (end - start >= 3 && blank_at(end - 3, end) == 3)
        return 3;
    return 0;
}

char *gj_import_trimmed(const char *s)
{
    const char *p = s, *end = s + strlen(s);
    size_t k;
    while ((k = blank_at(p, end)) > 0)
        p += k;
    while ((k = blank_before(p, end)) > 0)
        end -= k;
    size_t n = (size_t)(end - p);
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, p, n);
        out[n] = '\0';
    }
    return out;
}

static int is_blank(const char *s)
{
    const char *end = s + strlen(s);
    size_t k;
    while ((k = blank_at(s, end)) > 0)
        s += k;
    return s == end;
}

int gj_import_row_blank(char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_blank(fields[i]))
            return 0;
    return 1;
}

/* The comparison key of a header cell: ASCII lower-cased; blanks, '_', '-',
 * '*', '.' dropped; cut at an opening bracket ("面积(㎡)" -> "面积"). */
static void header_key(const char *s, char *out, size_t outsz)
{
    size_t o = 0;
    const char *end = s + strlen(s);
    while (s < end && o + 1 < outsz) {
        size_t k = blank_at(s, end);
        if (k) {
            s += k;
            continue;
        }
        if (*s == '(' || *s == '[' || strncmp(s, "（", 3) == 0 || strncmp(s, "【", 3) == 0)
            break;
        if (*s == '_' || *s == '-' || *s == '*' || *s == '.') {
            s++;
            continue;
        }
        out[o++] = (char)tolower((unsigned char)*s);
        s++;
    }
    out[o] = '\0';
}

static int find_column(const struct gj_import_columns *cols, const char *cell)
{
    char key[128];
    header_key(cell, key, sizeof key);
    if (!key[0])
        return -1;
    for (int c = 0; c < cols->ncols; c++)
        for (const char *const *a = cols->aliases[c]; *a; a++)
            if (strcmp(key, *a) == 0)
                return c;
    return -1;
}

static int has_non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 1;
    return 0;
}

const char *gj_import_without_label(const char *msg, const char *label)
{
    size_t k = strlen(label);
    if (k && strncmp(msg, label, k) == 0) {
        if (strncmp(msg + k, ": ", 2) == 0)
            return msg + k + 2;
        if (strncmp(msg + k, "：", 3) == 0)
            return msg + k + 3;
    }
    return msg;
}

/* ---- header --------------------------------------------------------------- */

const char *gj_import_col_name(const struct gj_import_columns *cols, int c, int zh)
{
    if (c < 0 || c >= cols->ncols)
        return "";
    return zh ? cols->names_zh[c] : cols->names_en[c];
}

void gj_import_header_free(struct gj_import_header *h)
{
    if (h->names) {
        for (size_t i = 0; i < h->nfields; i++)
            free(h->names[i]);
        free(h->names);
    }
    h->names = NULL;
    h->nfields = 0;
}

const char *gj_import_header_label(const struct gj_import_header *h, int c)
{
    if (!h->cols || c < 0 || c >= h->cols->ncols)
        return "";
    if (h->index[c] >= 0 && h->names && h->names[h->index[c]][0])
        return h->names[h->index[c]];
    return gj_import_col_name(h->cols, c, h->zh);
}

static void list_columns(const struct gj_import_columns *cols, int zh, char *out, size_t outsz)
{
    size_t o = 0;
    out[0] = '\0';
    for (int c = 0; c < cols->nlisted; c++) {
        int w =
            snprintf(out + o, outsz - o, "%s%s", c ? ", " : "", gj_import_col_name(cols, c, zh));
        if (w < 0 || (size_t)w >= outsz - o)
            break;
        o += (size_t)w;
    }
}

int gj_import_header_map(struct gj_import_header *h, const struct gj_import_columns *cols,
                         char *const *fields, size_t n, long line, gj_import_report_fn report,
                         void *ctx)
{
    memset(h, 0, sizeof *h);
    h->cols = cols;
    h->line = line;
    for (int c = 0; c < GJ_IMPORT_MAX_COLS; c++)
        h->index[c] = -1;
    h->names = calloc(n ? n : 1, sizeof *h->names);
    if (!h->names)
        return GJ_ENOMEM;
    h->nfields = n;
    for (size_t i = 0; i < n; i++) {
        h->names[i] = gj_import_trimmed(fields[i]);
        if (!h->names[i])
            return GJ_ENOMEM;
    }
    if (n == 1 && strpbrk(h->names[0], ";\t")) {
        report(ctx, line, "",
               _("the columns seem to be separated by semicolons or tabs; save the file as "
                 "CSV (comma-separated)"));
        return GJ_EINVAL;
    }
    /* The language first, so that messages name columns in it. */
    for (size_t i = 0; i < n; i++)
        if (find_column(cols, h->names[i]) >= 0 && has_non_ascii(h->names[i]))
            h->zh = 1;
    int bad = 0;
    char msg[512], known[256];
    for (size_t i = 0; i < n; i++) {
        const char *cell = h->names[i];
        if (!cell[0])
            continue; /* no header: its values must be empty */
        int c = find_column(cols, cell);
        if (c < 0) {
            list_columns(cols, h->zh, known, sizeof known);
            snprintf(msg, sizeof msg, _("unknown column (the columns are: %s)"), known);
            report(ctx, line, cell, msg);
            bad = 1;
        } else if (h->index[c] >= 0) {
            snprintf(msg, sizeof msg, _("the same column as \"%s\" (column %d); keep only one"),
                     h->names[h->index[c]], h->index[c] + 1);
            report(ctx, line, cell, msg);
            bad = 1;
        } else {
            h->index[c] = (int)i;
        }
    }
    for (int c = 0; c < cols->ncols; c++) {
        if (cols->required[c] && h->index[c] < 0) {
            report(ctx, line, gj_import_col_name(cols, c, h->zh), _("required column is missing"));
            bad = 1;
        }
    }
    return bad ? GJ_EINVAL : GJ_OK;
}

/* ---- lines ---------------------------------------------------------------- */

void gj_import_values_free(char **v, int ncols)
{
    for (int c = 0; c < ncols; c++)
        free(v[c]);
}

int gj_import_line_start(struct gj_import_line *lc, const struct gj_import_header *h,
                         char *const *fields, size_t n, long line, gj_import_report_fn report,
                         void *ctx, char **v, int ncols)
{
    *lc = (struct gj_import_line){h, line, report, ctx, 0};
    int oom = 0;
    for (int c = 0; c < ncols; c++) {
        int i = h->index[c];
        v[c] = gj_import_trimmed(i >= 0 && (size_t)i < n ? fields[i] : "");
        oom |= !v[c];
    }
    if (oom) {
        gj_import_values_free(v, ncols);
        report(ctx, line, "", _("out of memory"));
        return GJ_ENOMEM;
    }

    /* Values under an empty header cell, or beyond the header. */
    for (size_t i = 0; i < n && i < h->nfields; i++) {
        if (!h->names[i][0] && !is_blank(fields[i])) {
            char col[32];
            snprintf(col, sizeof col, _("column %zu"), i + 1);
            report(ctx, line, col, _("has a value but no header"));
            lc->bad = 1;
        }
    }
    for (size_t i = h->nfields; i < n; i++) {
        if (!is_blank(fields[i])) {
            char msg[256];
            snprintf(msg, sizeof msg,
                     _("%zu values, but the header has %zu columns (a value with a comma needs "
                       "quotes)"),
                     n, h->nfields);
            report(ctx, line, "", msg);
            lc->bad = 1;
            break;
        }
    }
    return GJ_OK;
}

void gj_import_problem(struct gj_import_line *lc, int c, const char *why)
{
    lc->report(lc->ctx, lc->line, gj_import_header_label(lc->h, c), why);
    lc->bad = 1;
}
