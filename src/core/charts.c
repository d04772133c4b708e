/* Bars, sparklines and report tables as text, lined up by display width. */
#include "guanjia/charts.h"

#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* U+2581..U+2588 (▁..█) and U+258F..U+2589 (▏..▉): three bytes each. */
static const char *const eighths_left[8] = {"",       "\u258f", "\u258e", "\u258d",
                                            "\u258c", "\u258b", "\u258a", "\u2589"};
#define FULL_BLOCK "\u2588"
static const char *const spark_steps[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                           "\u2585", "\u2586", "\u2587", "\u2588"};
static const char spark_ascii[8] = {' ', '.', ':', '-', '=', '+', '*', '#'};

/* Appends s to out (outsz bytes, NUL-terminated, *len used) when all of
 * it fits; returns 0 when it does not (nothing is appended). */
static int put(char *out, size_t outsz, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > outsz)
        return 0;
    memcpy(out + *len, s, n + 1);
    *len += n;
    return 1;
}

/* Scales value/max down so that value * mul cannot overflow. */
static void fit(int64_t *value, int64_t *max, int64_t mul)
{
    while (*max > INT64_MAX / 2 / mul) {
        *max /= 2;
        *value /= 2;
    }
}

void gj_chart_bar(int64_t value, int64_t max, int width, int unicode, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return;
    out[0] = '\0';
    if (width <= 0)
        return;
    if (value < 0 || max <= 0)
        value = 0;
    if (max > 0 && value > max)
        value = max;
    int64_t eighths = 0;
    if (max > 0) {
        int64_t mul = (int64_t)width * 16;
        fit(&value, &max, mul);
        if (max > 0)
            eighths = (value * mul + max) / (2 * max); /* value * width * 8 / max, rounded */
    }
    int full, part;
    if (unicode) {
        full = (int)(eighths / 8);
        part = (int)(eighths % 8);
    } else {
        full = (int)((eighths + 4) / 8);
        part = 0;
    }
    size_t len = 0;
    int cols = 0;
    for (; cols < full; cols++)
        if (!put(out, outsz, &len, unicode ? FULL_BLOCK : "#"))
            return;
    if (part > 0) {
        if (!put(out, outsz, &len, eighths_left[part]))
            return;
        cols++;
    }
    for (; cols < width; cols++)
        if (!put(out, outsz, &len, " "))
            return;
}

void gj_chart_spark(const int64_t *values, int n, int unicode, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return;
    out[0] = '\0';
    int64_t max = 0;
    for (int i = 0; i < n; i++)
        if (values[i] > max)
            max = values[i];
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        int64_t v = values[i] > 0 ? values[i] : 0, m = max;
        int step = 0;
        if (m > 0) {
            fit(&v, &m, 14);
            if (m > 0)
                step = (int)((v * 14 + m) / (2 * m)); /* v * 7 / max, rounded */
        }
        if (step > 7)
            step = 7;
        char ascii[2] = {spark_ascii[step], '\0'};
        if (!put(out, outsz, &len, unicode ? spark_steps[step] : ascii))
            return;
    }
}

void gj_pad_label(const char *label, int cols, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return;
    out[0] = '\0';
    if (cols <= 0)
        return;
    int used = gj_utf8_truncate(label ? label : "", cols, out, outsz);
    /* Control characters would break the line: a space each. */
    for (char *p = out; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            *p = ' ';
    size_t len = strlen(out);
    while (used < cols && len + 1 < outsz) {
        out[len++] = ' ';
        used++;
    }
    out[len] = '\0';
}

/* ---- cells ---------------------------------------------------------------- */

static void format_seconds(int64_t s, int csv, char *out, size_t outsz)
{
    const char *sign = "";
    if (s < 0) {
        sign = "-";
        s = s == INT64_MIN ? INT64_MAX : -s;
    }
    long long d = (long long)(s / 86400), h = (long long)(s % 86400 / 3600),
              m = (long long)(s % 3600 / 60), sec = (long long)(s % 60);
    char body[48];
    if (csv)
        snprintf(body, sizeof body, "%lld:%02lld:%02lld", (long long)(s / 3600), m, sec);
    else if (d > 0)
        /* TRANSLATORS: a duration of days and hours, e.g. "2d 03h". */
        snprintf(body, sizeof body, _("%lldd %02lldh"), d, h);
    else if (h > 0)
        /* TRANSLATORS: a duration of hours and minutes, e.g. "3h 05m". */
        snprintf(body, sizeof body, _("%lldh %02lldm"), h, m);
    else
        /* TRANSLATORS: a duration in minutes, e.g. "12m". */
        snprintf(body, sizeof body, _("%lldm"), m);
    snprintf(out, outsz, "%s%s", sign, body);
}

void gj_report_cell_format(const struct gj_cell *c, int csv, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return;
    switch (c->kind) {
    case GJ_CELL_INT:
        snprintf(out, outsz, "%lld", (long long)c->v);
        break;
    case GJ_CELL_MONEY:
        if (csv)
            gj_money_format_plain(c->v, out, outsz);
        else
            gj_money_format(c->v, out, outsz);
        break;
    case GJ_CELL_PERMILLE: {
        int64_t a = c->v < 0 ? -(c->v == INT64_MIN ? INT64_MAX : c->v) : c->v;
        snprintf(out, outsz, "%s%lld.%lld%%", c->v < 0 ? "-" : "", (long long)(a / 10),
                 (long long)(a % 10));
        break;
    }
    case GJ_CELL_SECONDS:
        format_seconds(c->v, csv, out, outsz);
        break;
    case GJ_CELL_TEXT:
    default:
        if (!c->text[0] && !csv)
            snprintf(out, outsz, "%s", "\u2014"); /* — */
        else
            gj_text_copy(out, outsz, c->text);
        break;
    }
}

/* ---- tables --------------------------------------------------------------- */

#define TEXT_CAP   24 /* columns of words are cut at this many display columns */
#define CELL_BYTES 128

struct sbuf {
    char *data;
    size_t len, cap;
    int failed;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_spaces(struct sbuf *b, int n)
{
    for (int i = 0; i < n; i++)
        sb_add(b, " ", 1);
}

/* s padded on the left (right-aligned) or the right to cols columns; a
 * left-aligned s is cut to cols. */
static void sb_cell(struct sbuf *b, const char *s, int cols, int right)
{
    if (right) {
        int w = gj_utf8_width(s);
        sb_spaces(b, cols - w);
        sb_str(b, s);
        return;
    }
    char padded[CELL_BYTES + 3 * TEXT_CAP];
    gj_pad_label(s, cols, padded, sizeof padded);
    sb_str(b, padded);
}

/* Whether a text looks like a number ("4.50", "-3"): drawn right-aligned. */
static int numeric_text(const char *s)
{
    if (*s == '-')
        s++;
    return *s >= '0' && *s <= '9';
}

/* Columns after the first are right-aligned when they hold numbers: a
 * cell of a numeric kind, or only texts that read as numbers (or are
 * empty, "—"). */
static int right_aligned(const struct gj_report_table *t, int c)
{
    if (c == 0)
        return 0;
    for (int r = 0; r < t->n_rows; r++) {
        const struct gj_cell *cell = &t->cells[r][c];
        if (cell->kind != GJ_CELL_TEXT)
            return 1;
        if (cell->text[0] && !numeric_text(cell->text))
            return 0;
    }
    return 1;
}

int gj_report_table_text(const struct gj_report_table *t, int bar_width, int unicode, char **out,
                         struct gj_error *err)
{
    *out = NULL;
    if (t->n_cols < 1 || t->n_cols > GJ_REPORT_MAX_COLS || t->n_rows < 0 ||
        t->n_rows > GJ_REPORT_MAX_ROWS || t->chart_col < -1 || t->chart_col >= t->n_cols)
        return gj_err(err, GJ_EINVAL,
                      _("report table \"%s\": %d columns and %d rows is not a table"), t->title,
                      t->n_cols, t->n_rows);
    if (bar_width < 0)
        bar_width = 0;
    if (bar_width > 200)
        bar_width = 200;
    int bars = bar_width > 0 && t->chart_col >= 0;

    /* Every cell as text, once. */
    size_t n_cells = (size_t)(t->n_rows ? t->n_rows : 1) * GJ_REPORT_MAX_COLS;
    char(*text)[CELL_BYTES] = calloc(n_cells, CELL_BYTES);
    if (!text)
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    int width[GJ_REPORT_MAX_COLS] = {0}, right[GJ_REPORT_MAX_COLS] = {0};
    for (int c = 0; c < t->n_cols; c++) {
        right[c] = right_aligned(t, c);
        width[c] = gj_utf8_width(t->cols[c]);
        for (int r = 0; r < t->n_rows; r++) {
            char *s = text[(size_t)r * GJ_REPORT_MAX_COLS + (size_t)c];
            gj_report_cell_format(&t->cells[r][c], 0, s, CELL_BYTES);
            if (!unicode && t->cells[r][c].kind == GJ_CELL_TEXT && !t->cells[r][c].text[0])
                snprintf(s, CELL_BYTES, "%s", "-"); /* not applicable, in ASCII */
            int w = gj_utf8_width(s);
            if (w > width[c])
                width[c] = w;
        }
        if (!right[c] && width[c] > TEXT_CAP)
            width[c] = TEXT_CAP;
    }

    /* The bars' scale: the largest value, 100% for rates. */
    int64_t max = 0;
    if (bars) {
        int rates = 0;
        for (int r = 0; r < t->n_rows; r++) {
            if (t->cells[r][t->chart_col].v > max)
                max = t->cells[r][t->chart_col].v;
            rates |= t->cells[r][t->chart_col].kind == GJ_CELL_PERMILLE;
        }
        if (rates && max < 1000)
            max = 1000;
    }

    /* The lines, unpadded, one after another, NUL-separated. */
    struct sbuf lines = {0};
    int n_lines = 0;
    sb_str(&lines, t->title);
    sb_add(&lines, "", 1);
    n_lines++;
    sb_spaces(&lines, 2);
    for (int c = 0; c < t->n_cols; c++) {
        if (c > 0)
            sb_spaces(&lines, 2);
        char head[sizeof t->cols[0] + 8];
        gj_utf8_truncate(t->cols[c], width[c], head, sizeof head);
        sb_cell(&lines, head, width[c], right[c]);
    }
    if (bars)
        sb_spaces(&lines, 2 + bar_width);
    sb_add(&lines, "", 1);
    n_lines++;
    char bar[3 * 200 + 1];
    for (int r = 0; r < t->n_rows; r++) {
        sb_spaces(&lines, 2);
        for (int c = 0; c < t->n_cols; c++) {
            if (c > 0)
                sb_spaces(&lines, 2);
            sb_cell(&lines, text[(size_t)r * GJ_REPORT_MAX_COLS + (size_t)c], width[c], right[c]);
        }
        if (bars) {
            sb_spaces(&lines, 2);
            gj_chart_bar(t->cells[r][t->chart_col].v, max, bar_width, unicode, bar, sizeof bar);
            sb_str(&lines, bar);
        }
        sb_add(&lines, "", 1);
        n_lines++;
    }
    if (t->n_rows == 0) {
        sb_spaces(&lines, 2);
        sb_str(&lines, _("(none)"));
        sb_add(&lines, "", 1);
        n_lines++;
    }
    if (t->spark && t->chart_col >= 0 && t->n_rows > 0) {
        int64_t values[GJ_REPORT_MAX_ROWS];
        for (int r = 0; r < t->n_rows; r++)
            values[r] = t->cells[r][t->chart_col].v;
        char spark[3 * GJ_REPORT_MAX_ROWS + 1];
        gj_chart_spark(values, t->n_rows, unicode, spark, sizeof spark);
        char line[sizeof t->cols[0] + sizeof spark + 32];
        /* TRANSLATORS: the sparkline under a report table: the column's
         * name, then the line, e.g. "Orders: ▁▃█". */
        snprintf(line, sizeof line, _("%s: %s"), t->cols[t->chart_col], spark);
        sb_spaces(&lines, 2);
        sb_str(&lines, line);
        sb_add(&lines, "", 1);
        n_lines++;
    }
    free(text);
    if (lines.failed) {
        free(lines.data);
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    }

    /* Every line padded to the widest. */
    int widest = 0;
    const char *p = lines.data;
    for (int i = 0; i < n_lines; i++, p += strlen(p) + 1) {
        int w = gj_utf8_width(p);
        if (w > widest)
            widest = w;
    }
    struct sbuf result = {0};
    p = lines.data;
    for (int i = 0; i < n_lines; i++, p += strlen(p) + 1) {
        sb_str(&result, p);
        sb_spaces(&result, widest - gj_utf8_width(p));
        sb_add(&result, "\n", 1);
    }
    free(lines.data);
    if (result.failed) {
        free(result.data);
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    }
    *out = result.data;
    return GJ_OK;
}
