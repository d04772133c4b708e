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

/* Header keys, normalised (see struct gj_import_columns). */
static const char *const aliases[GJ_BILL_NCOLS][GJ_IMPORT_ALIASES] = {
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

_Static_assert(GJ_BILL_NCOLS <= GJ_IMPORT_MAX_COLS, "too many bill columns");

static const struct gj_import_columns bill_columns = {
    .ncols = GJ_BILL_NCOLS,
    .nlisted = GJ_BILL_IMPORT_COLS, /* the export's extra columns are not asked for */
    .names_en = names_en,
    .names_zh = names_zh,
    .aliases = aliases,
    .required = required,
};

const char *gj_bill_col_name(enum gj_bill_col c, int zh)
{
    return gj_import_col_name(&bill_columns, (int)c, zh);
}

int gj_bill_header_map(struct gj_import_header *h, char *const *fields, size_t n, long line,
                       gj_import_report_fn report, void *ctx)
{
    return gj_import_header_map(h, &bill_columns, fields, n, line, report, ctx);
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
    char *t = gj_import_trimmed(s);
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

int gj_bill_row_parse(const struct gj_import_header *h, char *const *fields, size_t n, long line,
                      struct gj_bill_row *out, gj_import_report_fn report, void *ctx)
{
    memset(out, 0, sizeof *out);
    out->line = line;
    struct gj_import_line rc;
    char *v[GJ_BILL_IMPORT_COLS];
    if (gj_import_line_start(&rc, h, fields, n, line, report, ctx, v, GJ_BILL_IMPORT_COLS) != GJ_OK)
        return GJ_ENOMEM;
    char msg[256];
    struct gj_error e;

    if (gj_unitcode_parse(v[GJ_BILL_COL_UNIT], &out->unit, &e) != GJ_OK)
        gj_import_problem(&rc, GJ_BILL_COL_UNIT, e.msg);

    const char *label = gj_import_header_label(h, GJ_BILL_COL_ITEM);
    if (gj_text_check(v[GJ_BILL_COL_ITEM], label, GJ_NAME_CHARS, 1, 0, &e) != GJ_OK)
        gj_import_problem(&rc, GJ_BILL_COL_ITEM, gj_import_without_label(e.msg, label));
    else
        snprintf(out->item, sizeof out->item, "%s", v[GJ_BILL_COL_ITEM]);

    if (gj_bill_period_parse(v[GJ_BILL_COL_PERIOD], &out->period, &e) != GJ_OK)
        gj_import_problem(&rc, GJ_BILL_COL_PERIOD, e.msg);

    label = gj_import_header_label(h, GJ_BILL_COL_AMOUNT);
    int amount_ok = gj_money_parse(v[GJ_BILL_COL_AMOUNT], 0, label, &out->amount_fen, &e) == GJ_OK;
    if (!amount_ok)
        gj_import_problem(&rc, GJ_BILL_COL_AMOUNT, gj_import_without_label(e.msg, label));

    if (v[GJ_BILL_COL_PAID][0]) {
        label = gj_import_header_label(h, GJ_BILL_COL_PAID);
        if (gj_money_parse(v[GJ_BILL_COL_PAID], GJ_MONEY_ALLOW_ZERO, label, &out->paid_fen, &e) !=
            GJ_OK) {
            gj_import_problem(&rc, GJ_BILL_COL_PAID, gj_import_without_label(e.msg, label));
        } else if (amount_ok && out->paid_fen > out->amount_fen) {
            char paid[32], amount[32];
            gj_money_format_plain(out->paid_fen, paid, sizeof paid);
            gj_money_format_plain(out->amount_fen, amount, sizeof amount);
            snprintf(msg, sizeof msg, _("%s is more than the amount %s"), paid, amount);
            gj_import_problem(&rc, GJ_BILL_COL_PAID, msg);
        }
    }

    if (v[GJ_BILL_COL_SPACE][0]) {
        label = gj_import_header_label(h, GJ_BILL_COL_SPACE);
        if (gj_text_check(v[GJ_BILL_COL_SPACE], label, 16, 1, 0, &e) != GJ_OK)
            gj_import_problem(&rc, GJ_BILL_COL_SPACE, gj_import_without_label(e.msg, label));
        else
            snprintf(out->space, sizeof out->space, "%s", v[GJ_BILL_COL_SPACE]);
    }

    gj_import_values_free(v, GJ_BILL_IMPORT_COLS);
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
                             gj_import_report_fn report, void *ctx)
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
