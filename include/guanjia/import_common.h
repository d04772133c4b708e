/* What the CSV imports share (core/, no I/O, no SQL): the header that says
 * which column is which, the blanks around values, and how problems are
 * reported. Each import (import_owners.h, import_bills.h) describes its
 * columns in a struct gj_import_columns and reads its lines with these.
 *
 * Columns are found by their header, in English or Chinese, in any order;
 * case, spaces, '_', '-', '*', '.' and a note in brackets ("面积(㎡)") are
 * ignored. An unknown column is an error (a misspelt "电话号" would
 * otherwise lose every phone silently), as is a column given twice; a
 * column with an empty header is allowed when its values are all empty
 * (spreadsheets leave trailing commas). Problems are reported one by one
 * through a callback, each with its line, the column as the file names it
 * ("" for the whole line) and why. */
#ifndef GUANJIA_IMPORT_COMMON_H
#define GUANJIA_IMPORT_COMMON_H

#include <stddef.h>

/* Columns one kind of file may have, at the most. */
#define GJ_IMPORT_MAX_COLS 16
/* Header keys one column is known by, at the most, with the final NULL. */
#define GJ_IMPORT_ALIASES 12

typedef void (*gj_import_report_fn)(void *ctx, long line, const char *column, const char *why);

/* The columns of one kind of file (static tables, not owned). */
struct gj_import_columns {
    int ncols;                   /* columns recognised, <= GJ_IMPORT_MAX_COLS */
    int nlisted;                 /* the first nlisted are the ones an unknown
                                    column's message lists */
    const char *const *names_en; /* ncols header names export writes */
    const char *const *names_zh;
    /* The keys each column is known by, normalised (ASCII lower case, no
     * blanks, '_', '-', '*' or '.'), NULL-terminated. */
    const char *const (*aliases)[GJ_IMPORT_ALIASES];
    const int *required; /* ncols flags: the column must be there */
};

struct gj_import_header {
    const struct gj_import_columns *cols;
    int index[GJ_IMPORT_MAX_COLS]; /* field index of each column, -1 when absent */
    size_t nfields;                /* cells in the header */
    char **names;                  /* the cells as written, trimmed (owned) */
    int zh;                        /* the header is in Chinese */
    long line;
};

/* The header name export writes for column c, English or Chinese (zh);
 * "" for no such column. */
const char *gj_import_col_name(const struct gj_import_columns *cols, int c, int zh);

/* Maps a header record (found on line) onto cols. Reports every unknown,
 * duplicate and missing required column; returns GJ_OK, GJ_EINVAL when
 * something was reported, GJ_ENOMEM. Free h with gj_import_header_free
 * either way. */
int gj_import_header_map(struct gj_import_header *h, const struct gj_import_columns *cols,
                         char *const *fields, size_t n, long line, gj_import_report_fn report,
                         void *ctx);
void gj_import_header_free(struct gj_import_header *h);
/* What messages call column c: its cell in the header, else its name in
 * the header's language. */
const char *gj_import_header_label(const struct gj_import_header *h, int c);

/* True when every field is empty or blank: such lines are skipped. */
int gj_import_row_blank(char *const *fields, size_t n);

/* A malloc'd copy of s without surrounding blanks (space, tab, CR, LF,
 * NBSP, U+3000); NULL when out of memory. */
char *gj_import_trimmed(const char *s);

/* One line being checked against its header. */
struct gj_import_line {
    const struct gj_import_header *h;
    long line;
    gj_import_report_fn report;
    void *ctx;
    int bad; /* something was reported */
};

/* Starts checking the record fields[0..n) on line: the trimmed values of
 * the first ncols columns into v ("" for an absent column; free them with
 * gj_import_values_free), and a report of values under an empty header
 * cell or beyond the header (which sets lc->bad). Returns GJ_OK, or
 * GJ_ENOMEM (reported; nothing to free). */
int gj_import_line_start(struct gj_import_line *lc, const struct gj_import_header *h,
                         char *const *fields, size_t n, long line, gj_import_report_fn report,
                         void *ctx, char **v, int ncols);
void gj_import_values_free(char **v, int ncols);
/* Reports why about column c of the line. */
void gj_import_problem(struct gj_import_line *lc, int c, const char *why);
/* The reason without a leading "label: " or "label：" that a check added. */
const char *gj_import_without_label(const char *msg, const char *label);

#endif
