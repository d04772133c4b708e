/* Opening balances (期初欠费) in CSV (core/, no I/O, no SQL): which column
 * is which, and each line checked, ready for the repository
 * (gj_bills_import in repo_billing.h). The same rules as the owners import
 * (import_common.h): columns found by their header, English or Chinese, in
 * any order (case, spaces, '_', '-', '*' and a note in brackets are
 * ignored); an unknown or repeated column is an error; every problem is
 * reported with its line, the column as the file names it ("" for the
 * whole line) and why.
 *   unit    房号 房屋 房间号 | unit, unit code, room                (required)
 *   item    收费项目 项目 费用名称 | item, fee item, fee               (required)
 *   period  月份 所属月份 账期 | period, month: YYYY-MM (also YYYY/MM,
 *           YYYYMM, YYYY年MM月, or the first day of the month as a date,
 *           as spreadsheets turn "2026-10" into 2026/10/1)           (required)
 *   amount  金额 应收 应收金额 | amount: yuan, e.g. 1234.50 or ¥1,234.50
 *           (more than 0)                                            (required)
 *   paid    已缴 已缴金额 实收 | paid: yuan already paid on it, 0 up to
 *           the amount (empty: 0)
 *   space   车位 车位号 | space, parking space: the code of the parking
 *           space of a per_space item (empty: the unit's only space)
 * The columns `guanjia export bills` adds (owed/欠费, quantity/数量,
 * rate/单价, due/到期日, id/账单号) are recognised and ignored, so that an
 * export reads back. */
#ifndef GUANJIA_IMPORT_BILLS_H
#define GUANJIA_IMPORT_BILLS_H

#include <stddef.h>
#include <stdint.h>
#include "guanjia/error.h"
#include "guanjia/import_common.h"
#include "guanjia/model.h"
#include "guanjia/unitcode.h"

enum gj_bill_col {
    GJ_BILL_COL_UNIT,
    GJ_BILL_COL_ITEM,
    GJ_BILL_COL_PERIOD,
    GJ_BILL_COL_AMOUNT,
    GJ_BILL_COL_PAID,
    GJ_BILL_COL_SPACE,
    /* written by the export, ignored by the import */
    GJ_BILL_COL_OWED,
    GJ_BILL_COL_QUANTITY,
    GJ_BILL_COL_RATE,
    GJ_BILL_COL_DUE,
    GJ_BILL_COL_ID,
    GJ_BILL_NCOLS
};
/* The columns the import reads: GJ_BILL_COL_UNIT .. GJ_BILL_COL_SPACE. */
#define GJ_BILL_IMPORT_COLS (GJ_BILL_COL_SPACE + 1)

/* The header name export writes for column c, English or Chinese (zh);
 * import reads both. */
const char *gj_bill_col_name(enum gj_bill_col c, int zh);

/* Maps a header record (found on line) onto the bill columns: see
 * gj_import_header_map. Free h with gj_import_header_free either way;
 * gj_import_header_label(h, c) is what messages call column c. */
int gj_bill_header_map(struct gj_import_header *h, char *const *fields, size_t n, long line,
                       gj_import_report_fn report, void *ctx);

/* One checked line. */
struct gj_bill_row {
    long line;
    struct gj_unitcode unit;
    char item[GJ_NAME_BYTES]; /* the fee item's name */
    int period;               /* yyyymm */
    int64_t amount_fen;       /* > 0 */
    int64_t paid_fen;         /* 0 .. amount_fen */
    char space[68];           /* parking space code, "" = not given */
};

/* Checks one record (fields, n, starting on line) against the header.
 * Reports each bad field; returns GJ_OK (out is ready), GJ_EINVAL or
 * GJ_ENOMEM. */
int gj_bill_row_parse(const struct gj_import_header *h, char *const *fields, size_t n, long line,
                      struct gj_bill_row *out, gj_import_report_fn report, void *ctx);

/* A month as spreadsheets write it: "2026-10", "2026/10", "2026.10",
 * "202610", "2026年10月", or the first day of the month ("2026-10-01",
 * "2026/10/1"). */
int gj_bill_period_parse(const char *s, int *yyyymm, struct gj_error *err);

/* Reports every row of rows[0..n) whose unit, item, month and space repeat
 * those of an earlier line ("the same ... as line N"), on the later line,
 * in line order; repeated (NULL, or room for n flags) gets 1 for each such
 * row, else 0. Returns how many were reported, or -1 when memory ran out
 * (nothing reported). */
long gj_bill_rows_duplicates(const struct gj_bill_row *rows, size_t n, unsigned char *repeated,
                             gj_import_report_fn report, void *ctx);

#endif
