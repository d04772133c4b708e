/* Charts and tables drawn as text (core/, no I/O): bars and sparklines of
 * Unicode blocks, or ASCII where the terminal cannot show them, and whole
 * report tables lined up by display width (a Chinese character takes two
 * columns). Every function writes a NUL-terminated string and never
 * splits a character, even when out is too small. */
#ifndef GUANJIA_CHARTS_H
#define GUANJIA_CHARTS_H

#include <stddef.h>
#include <stdint.h>

#include "guanjia/error.h"
#include "guanjia/report_model.h"

/* A horizontal bar of value/max in exactly width columns: Unicode eighth
 * blocks (▏▎▍▌▋▊▉█) when unicode, else '#'; padded with spaces. The
 * length is value/max of width, rounded to the nearest eighth of a column
 * (unicode) or to the nearest column (ASCII); value is taken as 0..max; a
 * max of 0 or less draws no bar. Needs 3 * width + 1 bytes. */
void gj_chart_bar(int64_t value, int64_t max, int width, int unicode, char *out, size_t outsz);

/* A sparkline of n values, one column each (▁▂▃▄▅▆▇█, ASCII fallback
 * " .:-=+*#"): each value's level is value/max of the 8 steps, rounded,
 * max being the largest value; 0 and below (and every value when the
 * largest is 0 or less) take the lowest step. Needs 3 * n + 1 bytes. */
void gj_chart_spark(const int64_t *values, int n, int unicode, char *out, size_t outsz);

/* label padded (or cut, never splitting a character) to exactly cols
 * display columns. A wide character that would straddle the edge is left
 * out and its place filled with a space. */
void gj_pad_label(const char *label, int cols, char *out, size_t outsz);

/* A cell as text: TEXT as it is ("" as "—"), INT "1234", MONEY
 * "¥1,234.56", PERMILLE "90.9%", SECONDS "2d 03h", "3h 05m" or "12m"
 * (translated). With csv: TEXT as it is ("" stays ""), MONEY "1234.56"
 * (yuan, no symbol or separators), SECONDS "27:05:00" (hours:minutes:
 * seconds, which spreadsheets read as a duration); INT and PERMILLE the
 * same. 64 bytes are enough for any kind but TEXT (96). */
void gj_report_cell_format(const struct gj_cell *c, int csv, char *out, size_t outsz);

/* A whole table as text lines, each ending in '\n': the title, the header
 * and one line per row (or "(none)"), then, when t->spark, the sparkline
 * of the chart column under its name. Columns are lined up by display
 * width, two spaces apart and indented by two: the first column and
 * columns of words are left-aligned (text cut at 24 columns), numbers
 * right-aligned; the chart column's values are drawn as bars of bar_width
 * after the last column (scaled to the largest value in it; rates to
 * 100%), none when bar_width is 0 or t->chart_col is -1. Without unicode
 * the bars are '#', the sparkline " .:-=+*#" and "not applicable" is "-"
 * (labels and money keep their own characters, e.g. "¥"). Every line has
 * the same display width. *out is malloc'd (the caller frees it);
 * GJ_ENOMEM or GJ_EINVAL (a table out of shape) leave it NULL. */
int gj_report_table_text(const struct gj_report_table *t, int bar_width, int unicode, char **out,
                         struct gj_error *err);

#endif
