/* Opening balances in CSV: header mapping, per-line checks, duplicates. */
#include "guanjia/import_bills.h"

#include "guanjia/billing.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ---------------------------------------------------------------- */

static const char *const names_en[GJ_BILL_NCOLS] = {
    "unit", "item", "period", "amount", "paid", "space", "owed", "quantity", "rate", "due", "id"};
static const char *const names_zh[GJ_BILL_NCOLS] = {
    "房号", "收费项目", "月份", "金额", "已缴", "车位", "欠费", "数量", "单价", "到期日", "账单号"};

/* Header keys, normalised as header_key() leaves them. */
static const char *const aliases[GJ_BILL_NCOLS][12] = {
    [GJ_BILL_COL_UNIT] = {"房号", "房屋", "房间", "房间号", "房屋编号", "门牌号", "unit",
                          "unitcode", "room", NULL},
    [GJ_BILL_COL_ITEM] = {"收费项目", "项目", "费用名称", "收费项", "费项", "item", "feeitem",
                          "fee", NULL},
    [GJ_BILL_COL_PERIOD] = {"月份", "所属月份", "账期", "计费月份", "期间", "period", "month",
                            NULL},
    [GJ_BILL_COL_AMOUNT] = {"金额", "应收", "应收金额", "应缴", "应缴金额", "amount", NULL},
    [GJ_BILL_COL_PAID] = {"已缴", "已缴金额", "实收", "实收金额", "已收", "paid", NULL},
    [GJ_BILL_COL_SPACE] = {"车位", "车位号", "车位编号", "space", "parkingspace", NULL},
    [GJ_BILL_COL_OWED] = {"欠费", "欠费金额", "未缴", "owed", NULL},
    [GJ_BILL_COL_QUANTITY] = {"数量", "quantity", NULL},
    [GJ_BILL_COL_RATE] = {"单价", "rate", NULL},
    [GJ_BILL_COL_DUE] = {"到期日", "due", NULL},
    [GJ_BILL_COL_ID] = {"账单号", "id", NULL},
};

static const int required[GJ_BILL_NCOLS] = {[GJ_BILL_COL_UNIT] = 1,
                                            [GJ_BILL_COL_ITEM] = 1,
                                            [GJ_BILL_COL_PERIOD] = 1,
                                            [GJ_BILL_COL_AMOUNT] = 1};

const char *gj_bill_col_name(enum gj_bill_col c, int zh)
{
    if ((int)c < 0 || c >= GJ_BILL_NCOLS)
        return "";
    return zh ? names_zh[c] : names_en[c];
}

/* ---- text helpers (as in import_owners.c) --------------------------------- */

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

/* A malloc'd copy of s without surrounding blanks; NULL when out of memory. */
static char *trimmed(const char *s)
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

int gj_bill_row_blank(char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_blank(fields[i]))
            return 0;
    return 1;
}

/* The comparison key of a header cell: ASCII lower-cased; blanks, '_', '-',
 * '*', '.' dropped; cut at an opening bracket ("金额(元)" -> "金额"). */
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

static int find_column(const char *cell)
{
    char key[128];
    header_key(cell, key, sizeof key);
    if (!key[0])
        return -1;
    for (int c = 0; c < GJ_BILL_NCOLS; c++)
        for (const char *const *a = aliases[c]; *a; a++)
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

/* The reason without a leading "label: " or "label：" that a check added. */
static const char *without_label(const char *msg, const char *label)
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

void gj_bill_header_free(struct gj_bill_header *h)
{
    if (h->names) {
        for (size_t i = 0; i < h->nfields; i++)
            free(h->names[i]);
        free(h->names);
    }
    h->names = NULL;
    h->nfields = 0;
}

const char *gj_bill_header_label(const struct gj_bill_header *h, enum gj_bill_col c)
{
    if ((int)c < 0 || c >= GJ_BILL_NCOLS)
        return "";
    if (h->index[c] >= 0 && h->names && h->names[h->index[c]][0])
        return h->names[h->index[c]];
    return gj_bill_col_name(c, h->zh);
}

static void list_columns(int zh, char *out, size_t outsz)
{
    size_t o = 0;
    out[0] = '\0';
    for (int c = 0; c < GJ_BILL_IMPORT_COLS; c++) {
        int w = snprintf(out + o, outsz - o, "%s%s", c ? ", " : "", gj_bill_col_name(c, zh));
        if (w < 0 || (size_t)w >= outsz - o)
            break;
        o += (size_t)w;
    }
}

int gj_bill_header_map(struct gj_bill_header *h, char *const *fields, size_t n, long line,
                       gj_bill_report_fn report, void *ctx)
{
    memset(h, 0, sizeof *h);
    h->line = line;
    for (int c = 0; c < GJ_BILL_NCOLS; c++)
        h->index[c] = -1;
    h->names = calloc(n ? n : 1, sizeof *h->names);
    if (!h->names)
        return GJ_ENOMEM;
    h->nfields = n;
    for (size_t i = 0; i < n; i++) {
        h->names[i] = trimmed(fields[i]);
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
        if (find_column(h->names[i]) >= 0 && has_non_ascii(h->names[i]))
            h->zh = 1;
    int bad = 0;
    char msg[512], known[256];
    for (size_t i = 0; i < n; i++) {
        const char *cell = h->names[i];
        if (!cell[0])
            continue; /* no header: its values must be empty */
        int c = find_column(cell);
        if (c < 0) {
            list_columns(h->zh, known, sizeof known);
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
    for (int c = 0; c < GJ_BILL_NCOLS; c++) {
        if (required[c] && h->index[c] < 0) {
            report(ctx, line, gj_bill_col_name(c, h->zh), _("required column is missing"));
            bad = 1;
        }
    }
    return bad ? GJ_EINVAL : GJ_OK;
}

/* ---- values --------------------------------------------------------------- */

/* Reads 1..max digits at *p into *v; advances *p. */
static int digits(const char **p, int max, int *v)
{
    int n = 0, x = 0;
    while (n < max && isdigit((unsigned char)**p)) {
        x = x * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    *v = x;
    return n;
}

/* Skips one separator of a date: '-', '/', '.', or the Chinese word given. */
static int separator(const char **p, const char *word)
{
    if (**p == '-' || **p == '/' || **p == '.') {
        (*p)++;
        return 1;
    }
    size_t k = strlen(word);
    if (k && strncmp(*p, word, k) == 0) {
        *p += k;
        return 1;
    }
    return 0;
}

int gj_bill_period_parse(const char *s, int *yyyymm, struct gj_error *err)
{
    char shown[GJ_UTF8_EXCERPT_SZ];
    gj_utf8_excerpt(s, strlen(s), shown, sizeof shown);
    char *t = trimmed(s);
    if (!t)
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    const char *p = t;
    int y = 0, m = 0, d = 0, ok = 1;
    int ny = digits(&p, 4, &y);
    if (ny != 4) {
        ok = 0;
    } else if (isdigit((unsigned char)*p)) {
        /* 202610 */
        ok = digits(&p, 2, &m) == 2 && *p == '\0';
    } else if (!separator(&p, "年") || digits(&p, 2, &m) < 1) {
        ok = 0;
    } else if (strcmp(p, "月") == 0 || *p == '\0') {
        p += strlen(p);
    } else if (separator(&p, "月") && digits(&p, 2, &d) >= 1) {
        /* A full date, as a spreadsheet makes of "2026-10": the 1st only. */
        if (strcmp(p, "日") == 0)
            p += strlen(p);
        ok = *p == '\0';
        if (ok && d != 1) {
            free(t);
            return gj_err(err, GJ_EINVAL,
                          _("\"%s\" is a day, not a month (use YYYY-MM, e.g. 2026-10)"), shown);
        }
    } else {
        ok = 0;
    }
    free(t);
    if (!ok)
        return gj_err(err, GJ_EINVAL, _("\"%s\" is not a month (use YYYY-MM, e.g. 2026-10)"),
                      shown);
    if (!gj_bill_period_valid(y * 100 + m))
        return gj_err(err, GJ_EINVAL,
                      _("\"%s\": no such month (the year 1900 to 9999, the month "
                        "01 to 12)"),
                      shown);
    *yyyymm = y * 100 + m;
    gj_err_clear(err);
    return GJ_OK;
}

struct row_ctx {
    const struct gj_bill_header *h;
    long line;
    gj_bill_report_fn report;
    void *ctx;
    int bad;
};

static void problem(struct row_ctx *rc, enum gj_bill_col c, const char *why)
{
    rc->report(rc->ctx, rc->line, gj_bill_header_label(rc->h, c), why);
    rc->bad = 1;
}

int gj_bill_row_parse(const struct gj_bill_header *h, char *const *fields, size_t n, long line,
                      struct gj_bill_row *out, gj_bill_report_fn report, void *ctx)
{
    memset(out, 0, sizeof *out);
    out->line = line;
    struct row_ctx rc = {h, line, report, ctx, 0};
    char *v[GJ_BILL_IMPORT_COLS];
    int oom = 0;
    for (int c = 0; c < GJ_BILL_IMPORT_COLS; c++) {
        int i = h->index[c];
        v[c] = trimmed(i >= 0 && (size_t)i < n ? fields[i] : "");
        oom |= !v[c];
    }
    if (oom) {
        for (int c = 0; c < GJ_BILL_IMPORT_COLS; c++)
            free(v[c]);
        report(ctx, line, "", _("out of memory"));
        return GJ_ENOMEM;
    }
    char msg[256];
    struct gj_error e;

    /* Values under an empty header cell, or beyond the header. */
    for (size_t i = 0; i < n && i < h->nfields; i++) {
        if (!h->names[i][0] && !is_blank(fields[i])) {
            char col[32];
            snprintf(col, sizeof col, _("column %zu"), i + 1);
            report(ctx, line, col, _("has a value but no header"));
            rc.bad = 1;
        }
    }
    for (size_t i = h->nfields; i < n; i++) {
        if (!is_blank(fields[i])) {
            snprintf(msg, sizeof msg,
                     _("%zu values, but the header has %zu columns (a value with a comma needs "
                       "quotes)"),
                     n, h->nfields);
            report(ctx, line, "", msg);
            rc.bad = 1;
            break;
        }
    }

    if (gj_unitcode_parse(v[GJ_BILL_COL_UNIT], &out->unit, &e) != GJ_OK)
        problem(&rc, GJ_BILL_COL_UNIT, e.msg);

    const char *label = gj_bill_header_label(h, GJ_BILL_COL_ITEM);
    if (gj_text_check(v[GJ_BILL_COL_ITEM], label, GJ_NAME_CHARS, 1, 0, &e) != GJ_OK)
        problem(&rc, GJ_BILL_COL_ITEM, without_label(e.msg, label));
    else
        snprintf(out->item, sizeof out->item, "%s", v[GJ_BILL_COL_ITEM]);

    if (gj_bill_period_parse(v[GJ_BILL_COL_PERIOD], &out->period, &e) != GJ_OK)
        problem(&rc, GJ_BILL_COL_PERIOD, e.msg);

    label = gj_bill_header_label(h, GJ_BILL_COL_AMOUNT);
    int amount_ok = gj_money_parse(v[GJ_BILL_COL_AMOUNT], 0, label, &out->amount_fen, &e) == GJ_OK;
    if (!amount_ok)
        problem(&rc, GJ_BILL_COL_AMOUNT, without_label(e.msg, label));

    if (v[GJ_BILL_COL_PAID][0]) {
        label = gj_bill_header_label(h, GJ_BILL_COL_PAID);
        if (gj_money_parse(v[GJ_BILL_COL_PAID], GJ_MONEY_ALLOW_ZERO, label, &out->paid_fen, &e) !=
            GJ_OK) {
            problem(&rc, GJ_BILL_COL_PAID, without_label(e.msg, label));
        } else if (amount_ok && out->paid_fen > out->amount_fen) {
            char paid[32], amount[32];
            gj_money_format_plain(out->paid_fen, paid, sizeof paid);
            gj_money_format_plain(out->amount_fen, amount, sizeof amount);
            snprintf(msg, sizeof msg, _("%s is more than the amount %s"), paid, amount);
            problem(&rc, GJ_BILL_COL_PAID, msg);
        }
    }

    if (v[GJ_BILL_COL_SPACE][0]) {
        label = gj_bill_header_label(h, GJ_BILL_COL_SPACE);
        if (gj_text_check(v[GJ_BILL_COL_SPACE], label, 16, 1, 0, &e) != GJ_OK)
            problem(&rc, GJ_BILL_COL_SPACE, without_label(e.msg, label));
        else
            snprintf(out->space, sizeof out->space, "%s", v[GJ_BILL_COL_SPACE]);
    }

    for (int c = 0; c < GJ_BILL_IMPORT_COLS; c++)
        free(v[c]);
    return rc.bad ? GJ_EINVAL : GJ_OK;
}

/* ---- duplicates ----------------------------------------------------------- */

static int row_key_cmp(const struct gj_bill_row *a, const struct gj_bill_row *b)
{
    if (a->unit.building != b->unit.building)
        return a->unit.building < b->unit.building ? -1 : 1;
    if (a->unit.entrance != b->unit.entrance)
        return a->unit.entrance < b->unit.entrance ? -1 : 1;
    if (a->unit.room != b->unit.room)
        return a->unit.room < b->unit.room ? -1 : 1;
    if (a->period != b->period)
        return a->period < b->period ? -1 : 1;
    int c = strcmp(a->item, b->item);
    if (c)
        return c;
    return strcmp(a->space, b->space);
}

/* Sorts pointers to rows: by key, then by line. */
static int by_key_then_line(const void *x, const void *y)
{
    const struct gj_bill_row *a = *(const struct gj_bill_row *const *)x;
    const struct gj_bill_row *b = *(const struct gj_bill_row *const *)y;
    int c = row_key_cmp(a, b);
    if (c)
        return c;
    return a->line < b->line ? -1 : a->line > b->line;
}

struct dup {
    long line, first_line;
};

static int by_line(const void *x, const void *y)
{
    const struct dup *a = x, *b = y;
    return a->line < b->line ? -1 : a->line > b->line;
}

long gj_bill_rows_duplicates(const struct gj_bill_row *rows, size_t n, unsigned char *repeated,
                             gj_bill_report_fn report, void *ctx)
{
    if (repeated && n)
        memset(repeated, 0, n);
    if (n < 2)
        return 0;
    const struct gj_bill_row **byk = malloc(n * sizeof *byk);
    struct dup *dups = malloc(n * sizeof *dups);
    if (!byk || !dups) {
        free(byk);
        free(dups);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        byk[i] = &rows[i];
    qsort(byk, n, sizeof *byk, by_key_then_line);
    size_t nd = 0;
    for (size_t i = 1, first = 0; i < n; i++) {
        if (row_key_cmp(byk[i], byk[first]) == 0) {
            dups[nd++] = (struct dup){byk[i]->line, byk[first]->line};
            if (repeated)
                repeated[byk[i] - rows] = 1;
        } else {
            first = i;
        }
    }
    qsort(dups, nd, sizeof *dups, by_line);
    char msg[256];
    for (size_t i = 0; i < nd; i++) {
        snprintf(msg, sizeof msg,
                 _("the same unit, fee item and month as line %ld: a bill is imported once"),
                 dups[i].first_line);
        report(ctx, dups[i].line, "", msg);
    }
    free(byk);
    free(dups);
    return (long)nd;
}
