/* Bills and payments for the CSV export, a page at a time. */
#include "guanjia/repo_fee_export.h"

#include "db_internal.h"
#include "guanjia/i18n.h"
#include "guanjia/unitcode.h"

#include <string.h>

static void unit_code(sqlite3_stmt *st, int col, char *out, size_t outsz)
{
    out[0] = '\0';
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return;
    struct gj_unitcode c = {sqlite3_column_int(st, col), sqlite3_column_int(st, col + 1),
                            sqlite3_column_int(st, col + 2)};
    gj_unitcode_format(&c, out, outsz);
}

static void read_bill_row(sqlite3_stmt *st, void *row)
{
    struct gj_bill_export_row *r = row;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    unit_code(st, 1, r->unit_code, sizeof r->unit_code);
    gj_col_text(st, 4, r->item, sizeof r->item);
    gj_col_text(st, 5, r->kind, sizeof r->kind);
    gj_col_text(st, 6, r->space_code, sizeof r->space_code);
    r->period = sqlite3_column_int(st, 7);
    r->quantity = sqlite3_column_int64(st, 8);
    r->rate_fen = sqlite3_column_int64(st, 9);
    r->amount_fen = sqlite3_column_int64(st, 10);
    r->paid_fen = sqlite3_column_int64(st, 11);
    r->due_at = sqlite3_column_int64(st, 12);
    r->created_at = sqlite3_column_int64(st, 13);
}

int gj_bill_export_page(struct gj_db *db, int64_t after_id, int limit,
                        struct gj_bill_export_row *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "SELECT b.id, u.building, u.entrance, u.room, f.name, f.kind, s.code, b.period, "
                   "b.quantity, b.rate_fen, b.amount_fen, b.paid_fen, b.due_at, b.created_at "
                   "FROM bills b LEFT JOIN units u ON u.id = b.unit_id "
                   "LEFT JOIN fee_items f ON f.id = b.fee_item_id "
                   "LEFT JOIN parking_spaces s ON s.id = b.parking_space_id "
                   "WHERE b.id > ? ORDER BY b.id LIMIT ?",
                   err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_bill_row, n, _("listing bills"),
                        err);
}

static void read_payment_row(sqlite3_stmt *st, void *row)
{
    struct gj_payment_export_row *r = row;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->receipt_no = sqlite3_column_int64(st, 1);
    unit_code(st, 2, r->unit_code, sizeof r->unit_code);
    gj_col_text(st, 5, r->payer, sizeof r->payer);
    gj_col_text(st, 6, r->method, sizeof r->method);
    r->amount_fen = sqlite3_column_int64(st, 7);
    r->reverses_receipt_no = sqlite3_column_int64(st, 8);
    gj_col_text(st, 9, r->reason, sizeof r->reason);
    gj_col_text(st, 10, r->operator_name, sizeof r->operator_name);
    r->created_at = sqlite3_column_int64(st, 11);
}

int gj_payment_export_page(struct gj_db *db, int64_t after_id, int limit,
                           struct gj_payment_export_row *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "SELECT p.id, p.receipt_no, u.building, u.entrance, u.room, p.payer_name, p.method, "
        "p.amount_fen, coalesce(o.receipt_no, 0), p.reason, us.name, p.created_at "
        "FROM payments p LEFT JOIN units u ON u.id = p.unit_id "
        "LEFT JOIN payments o ON o.id = p.reverses_payment_id "
        "LEFT JOIN users us ON us.id = p.created_by "
        "WHERE p.id > ? ORDER BY p.id LIMIT ?",
        err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_payment_row, n,
                        _("listing payments"), err);
}
