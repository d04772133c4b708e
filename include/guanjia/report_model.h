/* The shape of a report (报表): named tables of cells, plain data with no
 * I/O, filled by the repository (repo_reports.h) and drawn by core
 * (charts.h) as text for the command line and the screens, or written as
 * CSV. A numeric cell keeps its value in v and is formatted when drawn; a
 * text cell keeps its words in text (and may keep a number in v for the
 * charts, e.g. a mean satisfaction of "4.50" keeps 450). */
#ifndef GUANJIA_REPORT_MODEL_H
#define GUANJIA_REPORT_MODEL_H

#include <stdint.h>

enum gj_cell_kind {
    GJ_CELL_TEXT,     /* text; "" means "not applicable" (drawn as "—", empty in CSV) */
    GJ_CELL_INT,      /* a count */
    GJ_CELL_MONEY,    /* fen */
    GJ_CELL_PERMILLE, /* a rate, 0..1000 (drawn "90.9%") */
    GJ_CELL_SECONDS   /* a duration */
};

struct gj_cell {
    enum gj_cell_kind kind;
    int64_t v;
    char text[96];
};

#define GJ_REPORT_MAX_COLS 8
#define GJ_REPORT_MAX_ROWS 64

struct gj_report_table {
    char title[128];
    int n_cols;
    char cols[GJ_REPORT_MAX_COLS][48];
    int n_rows;
    struct gj_cell cells[GJ_REPORT_MAX_ROWS][GJ_REPORT_MAX_COLS];
    int chart_col; /* the column a bar chart shows, -1 none */
    int spark;     /* 1: a sparkline of chart_col over the rows (months) */
};

#define GJ_REPORT_MAX_TABLES 8

/* About 460 KB: allocate it, do not put it on the stack. */
struct gj_report {
    char name[32];
    char title[128];
    int64_t from, to; /* [from, to), UTC epoch seconds */
    int n_tables;
    struct gj_report_table tables[GJ_REPORT_MAX_TABLES];
};

#endif
