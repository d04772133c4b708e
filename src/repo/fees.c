/* Fee items, bills, payments, receipts and dunning contacts. Money is
 * integer fen; the rules are in core/billing.c. */
#include "guanjia/repo_fees.h"

#include "repo_internal.h"
#include "guanjia/billing.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_settings.h"
#include "guanjia/utf8.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* ---- fee items ------------------------------------------------------------ */

#define FEE_COLS                                                                                   \
    "id, name, kind, rate_fen, active_from, coalesce(active_to, 0), created_at, version, "         \
    "updated_at, coalesce(updated_by, 0)"

static void read_fee_item(sqlite3_stmt *st, void *row)
{
    struct gj_fee_item *f = row;
    memset(f, 0, sizeof *f);
    f->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, f->name, sizeof f->name);
    gj_col_text(st, 2, f->kind, sizeof f->kind);
    f->rate_fen = sqlite3_column_int64(st, 3);
    f->active_from = sqlite3_column_int(st, 4);
    f->active_to = sqlite3_column_int(st, 5);
    f->created_at = sqlite3_column_int64(st, 6);
    gj_read_meta(st, 7, &f->meta);
}

static void fee_label(const struct gj_fee_item *f, char *out, size_t outsz)
{
    snprintf(out, outsz, _("fee item %s"), f->name);
}

int gj_fee_item_get(struct gj_db *db, int64_t id, struct gj_fee_item *out, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT " FEE_COLS " FROM fee_items WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a fee item"), err);
    if (rc == GJ_OK) {
        read_fee_item(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_fee_item_create(struct gj_db *db, int64_t actor, struct gj_fee_item *f, struct gj_error *err)
{
    int rc = gj_fee_item_validate(f, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[GJ_NAME_BYTES + 32];
    fee_label(f, label, sizeof label);
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "INSERT INTO fee_items(name, kind, rate_fen, active_from, active_to, "
                   "created_at, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?)",
                   err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    gj_bind_text(st, 1, f->name);
    sqlite3_bind_text(st, 2, f->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, f->rate_fen);
    sqlite3_bind_int(st, 4, f->active_from);
    gj_bind_opt_i64(st, 5, f->active_to != 0, f->active_to);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int64(st, 7, now);
    gj_bind_id(st, 8, actor);
    rc = gj_db_exec_stmt(db, st, label, err);
    if (rc == GJ_OK) {
        f->id = sqlite3_last_insert_rowid(db->h);
        f->created_at = now;
        f->meta = (struct gj_row_meta){1, now, actor};
    }
    return gj_tx_finish(db, rc, err);
}

int gj_fee_item_update(struct gj_db *db, int64_t actor, struct gj_fee_item *f, struct gj_error *err)
{
    int rc = gj_fee_item_validate(f, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[GJ_NAME_BYTES + 32];
    fee_label(f, label, sizeof label);
    struct gj_fee_item cur;
    struct gj_error e2;
    int exists = gj_fee_item_get(db, f->id, &cur, &e2) == GJ_OK;
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "UPDATE fee_items SET name = ?, kind = ?, rate_fen = ?, active_from = ?, "
                   "active_to = ?, version = version + 1, updated_at = ?, updated_by = ? "
                   "WHERE id = ? AND version = ?",
                   err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    gj_bind_text(st, 1, f->name);
    sqlite3_bind_text(st, 2, f->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, f->rate_fen);
    sqlite3_bind_int(st, 4, f->active_from);
    gj_bind_opt_i64(st, 5, f->active_to != 0, f->active_to);
    sqlite3_bind_int64(st, 6, now);
    gj_bind_id(st, 7, actor);
    sqlite3_bind_int64(st, 8, f->id);
    sqlite3_bind_int64(st, 9, f->meta.version);
    rc = gj_step_guarded(db, st, "fee_items", label, f->id, exists, label, err);
    if (rc == GJ_OK)
        f->meta = (struct gj_row_meta){f->meta.version + 1, now, actor};
    return gj_tx_finish(db, rc, err);
}

int gj_fee_items_list(struct gj_db *db, int64_t after_id, int limit, struct gj_fee_item *rows,
                      int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT " FEE_COLS " FROM fee_items WHERE id > ? ORDER BY id LIMIT ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_fee_item, n, _("listing fee items"),
                        err);
}

int gj_fee_items_active(struct gj_db *db, int yyyymm, int64_t after_id, int limit,
                        struct gj_fee_item *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "SELECT " FEE_COLS " FROM fee_items WHERE id > ?1 AND active_from <= ?2 "
                   "AND (active_to IS NULL OR active_to >= ?2) ORDER BY id LIMIT ?3",
                   err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, yyyymm);
    sqlite3_bind_int(st, 3, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_fee_item, n, _("listing fee items"),
                        err);
}

/* ---- bills ---------------------------------------------------------------- */

#define BILL_COLS                                                                                  \
    "id, unit_id, fee_item_id, coalesce(parking_space_id, 0), period, quantity, rate_fen, "        \
    "amount_fen, paid_fen, due_at, created_at, version, updated_at, coalesce(updated_by, 0)"

static void read_bill(sqlite3_stmt *st, void *row)
{
    struct gj_bill *b = row;
    memset(b, 0, sizeof *b);
    b->id = sqlite3_column_int64(st, 0);
    b->unit_id = sqlite3_column_int64(st, 1);
    b->fee_item_id = sqlite3_column_int64(st, 2);
    b->parking_space_id = sqlite3_column_int64(st, 3);
    b->period = sqlite3_column_int(st, 4);
    b->quantity = sqlite3_column_int64(st, 5);
    b->rate_fen = sqlite3_column_int64(st, 6);
    b->amount_fen = sqlite3_column_int64(st, 7);
    b->paid_fen = sqlite3_column_int64(st, 8);
    b->due_at = sqlite3_column_int64(st, 9);
    b->created_at = sqlite3_column_int64(st, 10);
    gj_read_meta(st, 11, &b->meta);
}

int gj_bill_get(struct gj_db *db, int64_t id, struct gj_bill *out, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT " BILL_COLS " FROM bills WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a bill"), err);
    if (rc == GJ_OK) {
        read_bill(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

/* Reads one integer of one row (st bound by the caller). */
static int read_i64(struct gj_db *db, sqlite3_stmt *st, int64_t *v, const char *what,
                    struct gj_error *err)
{
    int rc = gj_step_one(db, st, what, err);
    if (rc == GJ_OK) {
        *v = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
    }
    return rc;
}

static int unit_area(struct gj_db *db, int64_t unit_id, int64_t *area, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT area_centi_m2 FROM units WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    return read_i64(db, st, area, _("unit"), err);
}

/* Inside the caller's transaction: reads the fee item, derives the
 * quantity, validates, and fills rate, amount and the due date. */
static int bill_prepare(struct gj_db *db, struct gj_bill *b, struct gj_fee_item *item,
                        struct gj_error *err)
{
    int rc = gj_fee_item_get(db, b->fee_item_id, item, err);
    if (rc != GJ_OK)
        return rc;
    if (b->unit_id > 0) {
        int64_t area = 0;
        rc = unit_area(db, b->unit_id, &area, err);
        if (rc != GJ_OK)
            return rc;
        if (b->quantity == 0)
            b->quantity = strcmp(item->kind, "per_m2") == 0 ? area : 1;
    }
    rc = gj_bill_validate(b, item, err);
    if (rc != GJ_OK)
        return rc;
    if (b->parking_space_id) {
        sqlite3_stmt *st = gj_db_stmt(
            db, "SELECT coalesce(unit_id, 0), code FROM parking_spaces WHERE id = ?", err);
        if (!st)
            return err->code;
        sqlite3_bind_int64(st, 1, b->parking_space_id);
        rc = gj_step_one(db, st, _("parking space"), err);
        if (rc != GJ_OK)
            return rc;
        int64_t holder = sqlite3_column_int64(st, 0);
        char code[68];
        gj_col_text(st, 1, code, sizeof code);
        gj_stmt_done(st);
        if (holder != b->unit_id)
            return gj_err(err, GJ_EINVAL, _("parking space: %s is not assigned to this unit"),
                          code);
    }
    b->rate_fen = item->rate_fen;
    b->amount_fen = gj_bill_amount(item->kind, item->rate_fen, b->quantity);
    b->paid_fen = 0;
    if (b->due_at == 0)
        b->due_at = gj_month_start(gj_month_add(b->period, 1));
    return GJ_OK;
}

static int bill_find(struct gj_db *db, const struct gj_bill *key, struct gj_bill *out,
                     struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " BILL_COLS " FROM bills WHERE unit_id = ? AND "
                                  "fee_item_id = ? AND period = ? AND "
                                  "ifnull(parking_space_id, 0) = ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, key->unit_id);
    sqlite3_bind_int64(st, 2, key->fee_item_id);
    sqlite3_bind_int(st, 3, key->period);
    sqlite3_bind_int64(st, 4, key->parking_space_id);
    int rc = gj_step_one(db, st, _("reading a bill"), err);
    if (rc == GJ_OK) {
        read_bill(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

void gj_bind_bill_charge(sqlite3_stmt *st, const struct gj_bill *b)
{
    sqlite3_bind_int64(st, 1, b->unit_id);
    sqlite3_bind_int64(st, 2, b->fee_item_id);
    gj_bind_id(st, 3, b->parking_space_id);
    sqlite3_bind_int(st, 4, b->period);
    sqlite3_bind_int64(st, 5, b->quantity);
    sqlite3_bind_int64(st, 6, b->rate_fen);
    sqlite3_bind_int64(st, 7, b->amount_fen);
}

int gj_bill_insert_row(struct gj_db *db, const struct gj_bill *b, int64_t actor, int64_t now,
                       int if_absent, struct gj_error *err)
{
    sqlite3_stmt *st =
        if_absent ? gj_db_stmt(db,
                               "INSERT INTO bills(unit_id, fee_item_id, parking_space_id, period, "
                               "quantity, rate_fen, amount_fen, due_at, created_at, updated_at, "
                               "updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                               err)
                  : gj_db_stmt(db,
                               "INSERT INTO bills(unit_id, fee_item_id, parking_space_id, period, "
                               "quantity, rate_fen, amount_fen, due_at, created_at, updated_at, "
                               "updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                               err);
    if (!st)
        return err->code;
    gj_bind_bill_charge(st, b);
    sqlite3_bind_int64(st, 8, b->due_at);
    sqlite3_bind_int64(st, 9, now);
    sqlite3_bind_int64(st, 10, now);
    gj_bind_id(st, 11, actor);
    return gj_db_exec_stmt(db, st, _("issuing a bill"), err);
}

int gj_bill_due_day(struct gj_db *db, int *due_day, struct gj_error *err)
{
    int64_t day = GJ_BILL_DUE_DAY;
    int rc = gj_setting_get_int(db, "fees.due_day", GJ_BILL_DUE_DAY, &day, err);
    if (rc != GJ_OK)
        return rc;
    if (day < 1 || day > 28)
        return gj_err(err, GJ_EINVAL,
                      _("setting fees.due_day: must be between 1 and 28 (got %lld)"),
                      (long long)day);
    *due_day = (int)day;
    return GJ_OK;
}

static int bill_insert(struct gj_db *db, int64_t actor, struct gj_bill *b, int if_absent,
                       int *created, struct gj_error *err)
{
    if (created)
        *created = 0;
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    struct gj_bill work = *b;
    struct gj_fee_item item;
    rc = bill_prepare(db, &work, &item, err);
    if (rc != GJ_OK)
        return gj_tx_finish(db, rc, err);
    int64_t now = gj_now();
    rc = gj_bill_insert_row(db, &work, actor, now, if_absent, err);
    if (rc == GJ_OK && sqlite3_changes(db->h) == 0) {
        /* already issued (only with ON CONFLICT DO NOTHING) */
        rc = bill_find(db, &work, b, err);
        return gj_tx_finish(db, rc, err);
    }
    if (rc == GJ_OK) {
        work.id = sqlite3_last_insert_rowid(db->h);
        work.created_at = now;
        work.meta = (struct gj_row_meta){1, now, actor};
    }
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        *b = work;
        if (created)
            *created = 1;
    }
    return rc;
}

int gj_bill_create(struct gj_db *db, int64_t actor, struct gj_bill *b, struct gj_error *err)
{
    return bill_insert(db, actor, b, 0, NULL, err);
}

int gj_bill_create_if_absent(struct gj_db *db, int64_t actor, struct gj_bill *b, int *created,
                             struct gj_error *err)
{
    return bill_insert(db, actor, b, 1, created, err);
}

int gj_bills_open_of_unit(struct gj_db *db, int64_t unit_id, int limit, struct gj_bill *rows,
                          int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " BILL_COLS " FROM bills WHERE unit_id = ? "
                                  "AND paid_fen < amount_fen ORDER BY period, id LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    sqlite3_bind_int(st, 2, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_bill, n, _("listing open bills"),
                        err);
}

int gj_bills_of_unit(struct gj_db *db, int64_t unit_id, const struct gj_bill_key *after, int limit,
                     struct gj_bill *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " BILL_COLS " FROM bills WHERE unit_id = ?1 "
                                  "AND (period, id) < (?2, ?3) "
                                  "ORDER BY period DESC, id DESC LIMIT ?4",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    sqlite3_bind_int(st, 2, after ? after->period : INT_MAX);
    sqlite3_bind_int64(st, 3, after ? after->id : INT64_MAX);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_bill, n, _("listing bills"), err);
}

int gj_unit_due(struct gj_db *db, int64_t unit_id, int64_t *due_fen, struct gj_error *err)
{
    *due_fen = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT coalesce(sum(amount_fen - paid_fen), 0) FROM bills "
                                  "WHERE unit_id = ? AND paid_fen < amount_fen",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    return read_i64(db, st, due_fen, _("adding up what the unit owes"), err);
}

/* ---- payments ------------------------------------------------------------- */

#define PAY_COLS                                                                                   \
    "id, receipt_no, unit_id, payer_name, method, amount_fen, "                                    \
    "coalesce(reverses_payment_id, 0), reason, created_at, coalesce(created_by, 0)"

static void read_payment(sqlite3_stmt *st, void *row)
{
    struct gj_payment *p = row;
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    p->receipt_no = sqlite3_column_int64(st, 1);
    p->unit_id = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, p->payer_name, sizeof p->payer_name);
    gj_col_text(st, 4, p->method, sizeof p->method);
    p->amount_fen = sqlite3_column_int64(st, 5);
    p->reverses_payment_id = sqlite3_column_int64(st, 6);
    gj_col_text(st, 7, p->reason, sizeof p->reason);
    p->created_at = sqlite3_column_int64(st, 8);
    p->created_by = sqlite3_column_int64(st, 9);
}

static int read_one_payment(struct gj_db *db, sqlite3_stmt *st, struct gj_payment *out,
                            const char *what, struct gj_error *err)
{
    int rc = gj_step_one(db, st, what, err);
    if (rc == GJ_OK) {
        read_payment(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_payment_get(struct gj_db *db, int64_t id, struct gj_payment *out, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT " PAY_COLS " FROM payments WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    return read_one_payment(db, st, out, _("reading a payment"), err);
}

int gj_payment_by_receipt(struct gj_db *db, int64_t receipt_no, struct gj_payment *out,
                          struct gj_error *err)
{
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT " PAY_COLS " FROM payments WHERE receipt_no = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, receipt_no);
    return read_one_payment(db, st, out, _("finding a receipt"), err);
}

int gj_payment_reversal_of(struct gj_db *db, int64_t payment_id, struct gj_payment *out,
                           struct gj_error *err)
{
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT " PAY_COLS " FROM payments WHERE reverses_payment_id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, payment_id);
    return read_one_payment(db, st, out, _("finding the reversal of a payment"), err);
}

/* The next receipt number, inside the caller's transaction: a rollback
 * gives it back, so numbers have no gaps and no duplicates. */
static int next_receipt_no(struct gj_db *db, int64_t *no, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        db, "UPDATE receipt_counter SET last_no = last_no + 1 WHERE id = 1 RETURNING last_no", err);
    if (!st)
        return err->code;
    return read_i64(db, st, no, _("numbering the receipt"), err);
}

static int insert_payment(struct gj_db *db, const struct gj_payment *p, const char *what,
                          struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "INSERT INTO payments(receipt_no, unit_id, payer_name, method, amount_fen, "
        "reverses_payment_id, reason, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?)",
        err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, p->receipt_no);
    sqlite3_bind_int64(st, 2, p->unit_id);
    gj_bind_text(st, 3, p->payer_name);
    sqlite3_bind_text(st, 4, p->method, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, p->amount_fen);
    gj_bind_id(st, 6, p->reverses_payment_id);
    gj_bind_text(st, 7, p->reason);
    sqlite3_bind_int64(st, 8, p->created_at);
    gj_bind_id(st, 9, p->created_by);
    return gj_db_exec_stmt(db, st, what, err);
}

/* The bills the butler chose, checked: they exist, belong to the unit and
 * still owe something (another terminal may have settled them). */
static int chosen_bills(struct gj_db *db, int64_t unit_id, const int64_t *ids, size_t n,
                        struct gj_open_bill *out, struct gj_error *err)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = gj_db_stmt(
            db, "SELECT unit_id, amount_fen, paid_fen, period FROM bills WHERE id = ?", err);
        if (!st)
            return err->code;
        sqlite3_bind_int64(st, 1, ids[i]);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
            gj_stmt_done(st);
            if (rc == SQLITE_DONE)
                return gj_err(err, GJ_ENOTFOUND, _("bill %lld: not found"), (long long)ids[i]);
            return gj_db_fail(db, rc, _("reading a bill"), err);
        }
        int64_t owner = sqlite3_column_int64(st, 0);
        out[i].bill_id = ids[i];
        out[i].amount_fen = sqlite3_column_int64(st, 1);
        out[i].paid_fen = sqlite3_column_int64(st, 2);
        int period = sqlite3_column_int(st, 3);
        gj_stmt_done(st);
        if (owner != unit_id)
            return gj_err(err, GJ_EINVAL, _("bill %lld belongs to another unit"),
                          (long long)ids[i]);
        if (out[i].paid_fen >= out[i].amount_fen) {
            char month[32];
            gj_format_month(period, month, sizeof month);
            return gj_err(err, GJ_ECONFLICT,
                          _("the bill %lld for %s is already paid (perhaps at another "
                            "terminal); reload the bills"),
                          (long long)ids[i], month);
        }
    }
    return GJ_OK;
}

static void read_open_bill(sqlite3_stmt *st, void *row)
{
    struct gj_open_bill *b = row;
    b->bill_id = sqlite3_column_int64(st, 0);
    b->amount_fen = sqlite3_column_int64(st, 1);
    b->paid_fen = sqlite3_column_int64(st, 2);
}

static int oldest_bills(struct gj_db *db, int64_t unit_id, struct gj_open_bill *out, size_t *n,
                        struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT id, amount_fen, paid_fen FROM bills WHERE unit_id = ? "
                                  "AND paid_fen < amount_fen ORDER BY period, id LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    sqlite3_bind_int(st, 2, GJ_PAYMENT_MAX_LINES);
    int got = 0;
    int rc = gj_step_rows(db, st, GJ_PAYMENT_MAX_LINES, out, sizeof *out, read_open_bill, &got,
                          _("reading the open bills"), err);
    *n = (size_t)got;
    return rc;
}

static int unit_exists(struct gj_db *db, int64_t unit_id, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT 1 FROM units WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    int64_t one;
    return read_i64(db, st, &one, _("unit"), err);
}

static int insert_allocations(struct gj_db *db, int64_t payment_id,
                              const struct gj_alloc_line *lines, size_t n, struct gj_error *err)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = gj_db_stmt(db,
                                      "INSERT INTO payment_allocations(payment_id, bill_id, "
                                      "amount_fen) VALUES (?,?,?)",
                                      err);
        if (!st)
            return err->code;
        sqlite3_bind_int64(st, 1, payment_id);
        sqlite3_bind_int64(st, 2, lines[i].bill_id);
        sqlite3_bind_int64(st, 3, lines[i].amount_fen);
        int rc = gj_db_exec_stmt(db, st, _("settling a bill"), err);
        if (rc != GJ_OK)
            return rc;
    }
    return GJ_OK;
}

/* Everything of gj_payment_take that runs inside the transaction. */
static int take_in_tx(struct gj_db *db, struct gj_payment *p, const int64_t *bill_ids,
                      size_t n_bills, struct gj_alloc_line *lines, size_t *n_lines, int64_t *credit,
                      struct gj_error *err)
{
    struct gj_open_bill open[GJ_PAYMENT_MAX_LINES];
    size_t n_open = 0;
    int rc = unit_exists(db, p->unit_id, err);
    if (rc != GJ_OK)
        return rc;
    if (bill_ids) {
        rc = chosen_bills(db, p->unit_id, bill_ids, n_bills, open, err);
        n_open = n_bills;
    } else {
        rc = oldest_bills(db, p->unit_id, open, &n_open, err);
    }
    if (rc != GJ_OK)
        return rc;
    if (gj_allocate(open, n_open, p->amount_fen, lines, n_lines, credit) != GJ_OK)
        return gj_err(err, GJ_EINVAL, _("amount: must be more than zero"));
    rc = next_receipt_no(db, &p->receipt_no, err);
    if (rc != GJ_OK)
        return rc;
    rc = insert_payment(db, p, _("taking a payment"), err);
    if (rc != GJ_OK)
        return rc;
    p->id = sqlite3_last_insert_rowid(db->h);
    return insert_allocations(db, p->id, lines, *n_lines, err);
}

int gj_payment_take(struct gj_db *db, int64_t actor, struct gj_payment *p, const int64_t *bill_ids,
                    size_t n_bills, struct gj_alloc_line *lines_out, size_t *n_lines,
                    int64_t *credit_fen, struct gj_error *err)
{
    if (n_lines)
        *n_lines = 0;
    if (credit_fen)
        *credit_fen = 0;
    int rc = gj_payment_validate(p, err);
    if (rc != GJ_OK)
        return rc;
    if (n_bills > GJ_PAYMENT_MAX_LINES)
        return gj_err(err, GJ_EINVAL, _("bills: at most %d bills in one payment"),
                      GJ_PAYMENT_MAX_LINES);
    for (size_t i = 0; bill_ids && i < n_bills; i++)
        for (size_t j = 0; j < i; j++)
            if (bill_ids[i] == bill_ids[j])
                return gj_err(err, GJ_EINVAL, _("bills: bill %lld is chosen twice"),
                              (long long)bill_ids[i]);
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    struct gj_payment work = *p;
    work.created_at = gj_now();
    work.created_by = actor;
    work.reverses_payment_id = 0;
    struct gj_alloc_line lines[GJ_PAYMENT_MAX_LINES];
    size_t n = 0;
    int64_t credit = 0;
    rc = take_in_tx(db, &work, bill_ids, n_bills, lines, &n, &credit, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc != GJ_OK)
        return rc;
    *p = work;
    if (lines_out && n > 0)
        memcpy(lines_out, lines, n * sizeof lines[0]);
    if (n_lines)
        *n_lines = n;
    if (credit_fen)
        *credit_fen = credit;
    return GJ_OK;
}

static int reverse_in_tx(struct gj_db *db, int64_t actor, int64_t payment_id, const char *reason,
                         struct gj_payment *rev, struct gj_error *err)
{
    struct gj_payment orig;
    int rc = gj_payment_get(db, payment_id, &orig, err);
    if (rc != GJ_OK)
        return rc;
    if (orig.reverses_payment_id)
        return gj_err(err, GJ_EINVAL,
                      _("receipt no. %lld is itself a reversal and cannot be reversed"),
                      (long long)orig.receipt_no);
    struct gj_payment prior;
    struct gj_error e2;
    if (gj_payment_reversal_of(db, payment_id, &prior, &e2) == GJ_OK)
        return gj_err(err, GJ_ECONSTRAINT,
                      _("receipt no. %lld has already been reversed (by receipt no. %lld)"),
                      (long long)orig.receipt_no, (long long)prior.receipt_no);
    if (e2.code != GJ_ENOTFOUND) {
        *err = e2;
        return e2.code;
    }
    memset(rev, 0, sizeof *rev);
    rev->unit_id = orig.unit_id;
    memcpy(rev->payer_name, orig.payer_name, sizeof rev->payer_name);
    memcpy(rev->method, orig.method, sizeof rev->method);
    rev->amount_fen = -orig.amount_fen;
    rev->reverses_payment_id = orig.id;
    snprintf(rev->reason, sizeof rev->reason, "%s", reason);
    rev->created_at = gj_now();
    rev->created_by = actor;
    rc = next_receipt_no(db, &rev->receipt_no, err);
    if (rc != GJ_OK)
        return rc;
    rc = insert_payment(db, rev, _("reversing a payment"), err);
    if (rc != GJ_OK)
        return rc;
    rev->id = sqlite3_last_insert_rowid(db->h);
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO payment_allocations(payment_id, bill_id, "
                                  "amount_fen) SELECT ?1, bill_id, -amount_fen "
                                  "FROM payment_allocations WHERE payment_id = ?2 ORDER BY id",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, rev->id);
    sqlite3_bind_int64(st, 2, orig.id);
    return gj_db_exec_stmt(db, st, _("reversing a payment"), err);
}

int gj_payment_reverse(struct gj_db *db, int64_t actor, int64_t payment_id, const char *reason,
                       struct gj_payment *reversal_out, struct gj_error *err)
{
    int rc = gj_reversal_reason_validate(reason, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    struct gj_payment rev;
    rc = reverse_in_tx(db, actor, payment_id, reason, &rev, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK && reversal_out)
        *reversal_out = rev;
    return rc;
}

static void read_allocation(sqlite3_stmt *st, void *row)
{
    struct gj_allocation *a = row;
    a->id = sqlite3_column_int64(st, 0);
    a->payment_id = sqlite3_column_int64(st, 1);
    a->bill_id = sqlite3_column_int64(st, 2);
    a->amount_fen = sqlite3_column_int64(st, 3);
}

int gj_payment_allocations(struct gj_db *db, int64_t payment_id, struct gj_allocation *rows,
                           int max, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT id, payment_id, bill_id, amount_fen FROM "
                                  "payment_allocations WHERE payment_id = ? ORDER BY id LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, payment_id);
    sqlite3_bind_int(st, 2, max);
    return gj_step_rows(db, st, max, rows, sizeof *rows, read_allocation, n,
                        _("listing what a payment settled"), err);
}

int gj_payments_of_unit(struct gj_db *db, int64_t unit_id, int64_t before_id, int limit,
                        struct gj_payment *rows, int *n, struct gj_error *err)
{
    return gj_query_rows(db,
                         "SELECT " PAY_COLS " FROM payments WHERE unit_id = ? "
                         "AND id < ? ORDER BY id DESC LIMIT ?",
                         unit_id, before_id > 0 ? before_id : INT64_MAX, limit, rows, sizeof *rows,
                         read_payment, n, _("listing payments"), err);
}

int gj_unit_apply_credit(struct gj_db *db, int64_t actor, int64_t unit_id, int64_t *applied_fen,
                         struct gj_error *err)
{
    (void)actor; /* allocations carry no author: the payment's is theirs */
    *applied_fen = 0;
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    rc = unit_exists(db, unit_id, err);
    enum { MAX_SOURCES = 64 };
    int64_t ids[MAX_SOURCES], left[MAX_SOURCES];
    int n = 0;
    if (rc == GJ_OK) {
        sqlite3_stmt *st = gj_db_stmt(
            db,
            "SELECT p.id, p.amount_fen - (SELECT coalesce(sum(a.amount_fen), 0) FROM "
            "payment_allocations a WHERE a.payment_id = p.id) AS rest FROM payments p "
            "WHERE p.unit_id = ? AND p.amount_fen > 0 AND NOT EXISTS (SELECT 1 FROM payments r "
            "WHERE r.reverses_payment_id = p.id) AND rest > 0 ORDER BY p.id LIMIT ?",
            err);
        if (!st)
            rc = err->code;
        else {
            sqlite3_bind_int64(st, 1, unit_id);
            sqlite3_bind_int(st, 2, MAX_SOURCES);
            int step;
            while (n < MAX_SOURCES && (step = sqlite3_step(st)) == SQLITE_ROW) {
                ids[n] = sqlite3_column_int64(st, 0);
                left[n++] = sqlite3_column_int64(st, 1);
            }
            gj_stmt_done(st);
            if (n < MAX_SOURCES && step != SQLITE_DONE)
                rc = gj_db_fail(db, step, _("adding up the unit's credit"), err);
        }
    }
    int64_t applied = 0;
    for (int i = 0; rc == GJ_OK && i < n; i++) {
        struct gj_open_bill open[GJ_PAYMENT_MAX_LINES];
        size_t n_open = 0;
        rc = oldest_bills(db, unit_id, open, &n_open, err);
        if (rc != GJ_OK || n_open == 0)
            break;
        struct gj_alloc_line lines[GJ_PAYMENT_MAX_LINES];
        size_t n_lines = 0;
        int64_t rest = 0;
        if (gj_allocate(open, n_open, left[i], lines, &n_lines, &rest) != GJ_OK)
            continue;
        rc = insert_allocations(db, ids[i], lines, n_lines, err);
        applied += left[i] - rest;
    }
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK)
        *applied_fen = applied;
    return rc;
}

int gj_unit_credit(struct gj_db *db, int64_t unit_id, int64_t *credit_fen, struct gj_error *err)
{
    *credit_fen = 0;
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "SELECT (SELECT coalesce(sum(amount_fen), 0) FROM payments WHERE unit_id = ?1) - "
        "(SELECT coalesce(sum(a.amount_fen), 0) FROM payment_allocations a "
        "JOIN payments p ON p.id = a.payment_id WHERE p.unit_id = ?1)",
        err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    return read_i64(db, st, credit_fen, _("adding up the unit's credit"), err);
}

/* ---- receipts ------------------------------------------------------------- */

static int count_prints(struct gj_db *db, int64_t payment_id, int originals_only, int64_t *count,
                        struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT count(*) FROM receipt_prints WHERE payment_id = ?1 "
                                  "AND (?2 = 0 OR copy = 0)",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, payment_id);
    sqlite3_bind_int(st, 2, originals_only);
    return read_i64(db, st, count, _("counting receipt prints"), err);
}

int gj_receipt_print_count(struct gj_db *db, int64_t payment_id, int64_t *count,
                           struct gj_error *err)
{
    *count = 0;
    return count_prints(db, payment_id, 0, count, err);
}

int gj_receipt_print_record(struct gj_db *db, int64_t actor, int64_t payment_id, int copy,
                            const char *path, struct gj_error *err)
{
    if (copy != 0 && copy != 1)
        return gj_err(err, GJ_EINVAL, _("copy: must be 0 (original) or 1 (copy)"));
    int rc = gj_text_check(path, _("file"), 4096, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    struct gj_payment p;
    rc = gj_payment_get(db, payment_id, &p, err);
    int64_t originals = 0;
    if (rc == GJ_OK && copy == 0)
        rc = count_prints(db, payment_id, 1, &originals, err);
    if (rc == GJ_OK && originals > 0)
        rc = gj_err(err, GJ_EINVAL, _("receipt no. %lld was already printed; print a copy instead"),
                    (long long)p.receipt_no);
    if (rc != GJ_OK)
        return gj_tx_finish(db, rc, err);
    sqlite3_stmt *st = gj_db_stmt(
        db, "INSERT INTO receipt_prints(payment_id, at, user_id, copy, path) VALUES (?,?,?,?,?)",
        err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, payment_id);
    sqlite3_bind_int64(st, 2, gj_now());
    gj_bind_id(st, 3, actor);
    sqlite3_bind_int(st, 4, copy);
    sqlite3_bind_text(st, 5, path, -1, SQLITE_STATIC);
    rc = gj_db_exec_stmt(db, st, _("recording a receipt print"), err);
    return gj_tx_finish(db, rc, err);
}

/* ---- dunning contacts ----------------------------------------------------- */

#define DUNNING_COLS                                                                               \
    "id, unit_id, coalesce(person_id, 0), channel, result, coalesce(promised_at, 0), "             \
    "coalesce(promised_fen, 0), note, at, coalesce(user_id, 0)"

void gj_read_dunning(sqlite3_stmt *st, void *row)
{
    struct gj_dunning *d = row;
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(st, 0);
    d->unit_id = sqlite3_column_int64(st, 1);
    d->person_id = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, d->channel, sizeof d->channel);
    gj_col_text(st, 4, d->result, sizeof d->result);
    d->promised_at = sqlite3_column_int64(st, 5);
    d->promised_fen = sqlite3_column_int64(st, 6);
    gj_col_text(st, 7, d->note, sizeof d->note);
    d->at = sqlite3_column_int64(st, 8);
    d->user_id = sqlite3_column_int64(st, 9);
}

int gj_dunning_add(struct gj_db *db, int64_t actor, struct gj_dunning *d, struct gj_error *err)
{
    int rc = gj_dunning_validate(d, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO dunning_contacts(unit_id, person_id, channel, "
                                  "result, promised_at, promised_fen, note, at, user_id) "
                                  "VALUES (?,?,?,?,?,?,?,?,?)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, d->unit_id);
    gj_bind_id(st, 2, d->person_id);
    sqlite3_bind_text(st, 3, d->channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->result, -1, SQLITE_STATIC);
    gj_bind_opt_i64(st, 5, d->promised_at != 0, d->promised_at);
    gj_bind_opt_i64(st, 6, d->promised_fen != 0, d->promised_fen);
    gj_bind_text(st, 7, d->note);
    sqlite3_bind_int64(st, 8, now);
    gj_bind_id(st, 9, actor);
    rc = gj_db_exec_stmt(db, st, _("recording a dunning contact"), err);
    if (rc == GJ_OK) {
        d->id = sqlite3_last_insert_rowid(db->h);
        d->at = now;
        d->user_id = actor;
    }
    return gj_tx_finish(db, rc, err);
}

int gj_dunning_of_unit(struct gj_db *db, int64_t unit_id, const struct gj_dunning_key *after,
                       int limit, struct gj_dunning *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " DUNNING_COLS " FROM dunning_contacts "
                                  "WHERE unit_id = ?1 AND (at, id) < (?2, ?3) "
                                  "ORDER BY at DESC, id DESC LIMIT ?4",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    sqlite3_bind_int64(st, 2, after ? after->at : INT64_MAX);
    sqlite3_bind_int64(st, 3, after ? after->id : INT64_MAX);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, gj_read_dunning, n,
                        _("listing dunning contacts"), err);
}

int gj_unit_arrears(struct gj_db *db, int64_t unit_id, int64_t now, int64_t *fen,
                    struct gj_error *err)
{
    *fen = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT coalesce(sum(amount_fen - paid_fen), 0) FROM bills "
                                  "WHERE unit_id = ? AND paid_fen < amount_fen AND due_at < ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    sqlite3_bind_int64(st, 2, now);
    int rc = gj_step_one(db, st, _("reading the arrears"), err);
    if (rc == GJ_OK) {
        *fen = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
    }
    return rc;
}
