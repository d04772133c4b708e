/* The rows of `guanjia export bills` and `guanjia export payments`, a page
 * at a time by id (keyset paging: pass the last row's id back), with what
 * a spreadsheet needs joined in: unit codes, fee item and parking space
 * names, receipt numbers, operators' names. Read-only; call inside one read
 * transaction (gj_db_begin_read) so that the pages fit together. */
#ifndef GUANJIA_REPO_FEE_EXPORT_H
#define GUANJIA_REPO_FEE_EXPORT_H

#include <stdint.h>
#include "guanjia/db.h"
#include "guanjia/model.h"

/* One bill. */
struct gj_bill_export_row {
    int64_t id;
    char unit_code[24];       /* 3-2-501 */
    char item[GJ_NAME_BYTES]; /* the fee item's name */
    char kind[GJ_CODE_BYTES]; /* per_m2 per_space fixed */
    char space_code[68];      /* the parking space of a per_space bill, else "" */
    int period;               /* yyyymm */
    int64_t quantity;         /* 0.01 m2 for per_m2, else a count */
    int64_t rate_fen;         /* as copied into the bill */
    int64_t amount_fen, paid_fen;
    int64_t due_at, created_at;
};
/* Up to limit bills with id > after_id (0: from the start), by id. */
int gj_bill_export_page(struct gj_db *db, int64_t after_id, int limit,
                        struct gj_bill_export_row *rows, int *n, struct gj_error *err);

/* One payment or reversal. */
struct gj_payment_export_row {
    int64_t id;
    int64_t receipt_no;
    char unit_code[24];
    char payer[GJ_NAME_BYTES];
    char method[GJ_CODE_BYTES];        /* cash wechat alipay card transfer */
    int64_t amount_fen;                /* negative for a reversal */
    int64_t reverses_receipt_no;       /* the receipt a reversal undoes, else 0 */
    char reason[GJ_REASON_BYTES];      /* a reversal's reason, or a payment's note */
    char operator_name[GJ_NAME_BYTES]; /* who took it; "" = the system */
    int64_t created_at;
};
/* Up to limit payments with id > after_id (0: from the start), by id. */
int gj_payment_export_page(struct gj_db *db, int64_t after_id, int limit,
                           struct gj_payment_export_row *rows, int *n, struct gj_error *err);

#endif
