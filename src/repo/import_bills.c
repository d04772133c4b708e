/* Opening balances: checked CSV lines (core/import_bills.c) written as
 * bills, and what was already paid on them as one carry-over payment per
 * unit, all in one transaction. */
#include "guanjia/repo_billing.h"

#include "repo_internal.h"
#include "guanjia/billing.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/unitcode.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A bill written, for the carry-over payments. */
struct written {
    int64_t unit_id, bill_id, paid_fen;
};

struct imp {
    struct gj_db *db;
    int64_t actor, now;
    int this_month, due_day;
    const struct gj_import_header *h;
    gj_import_report_fn report;
    void *ctx;
    long problems;
    struct written *done;
    size_t n_done;
    struct gj_bill_import_result res;
};

static void problem(struct imp *m, long line, enum gj_bill_col col, const char *why)
{
    m->problems++;
    m->report(m->ctx, line, gj_import_header_label(m->h, col), why);
}

/* The fee item called name into *f: GJ_OK, GJ_ENOTFOUND, or an error. */
static int item_by_name(struct imp *m, const char *name, struct gj_fee_item *f,
                        struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(m->db, "SELECT id FROM fee_items WHERE name = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = gj_step_one(m->db, st, _("fee item"), err);
    if (rc != GJ_OK)
        return rc;
    int64_t id = sqlite3_column_int64(st, 0);
    gj_stmt_done(st);
    return gj_fee_item_get(m->db, id, f, err);
}

/* The parking space of a per_space line: the one named (held by the
 * unit), else the unit's only one. 0 after a reported problem, -1 after
 * an error (err), else the space's id. */
static int64_t line_space(struct imp *m, const struct gj_bill_row *row, const struct gj_unit *u,
                          const char *code, struct gj_error *err)
{
    char msg[256], shown[GJ_UTF8_EXCERPT_SZ];
    if (row->space[0]) {
        sqlite3_stmt *st = gj_db_stmt(
            m->db, "SELECT id, coalesce(unit_id, 0) FROM parking_spaces WHERE code = ?", err);
        if (!st)
            return -1;
        sqlite3_bind_text(st, 1, row->space, -1, SQLITE_STATIC);
        int step = sqlite3_step(st);
        int64_t id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        int64_t holder = step == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
        gj_stmt_done(st);
        if (step != SQLITE_ROW && step != SQLITE_DONE) {
            gj_db_fail(m->db, step, _("parking space"), err);
            return -1;
        }
        gj_utf8_excerpt(row->space, strlen(row->space), shown, sizeof shown);
        if (!id) {
            snprintf(msg, sizeof msg, _("parking space %s is not on record"), shown);
            problem(m, row->line, GJ_BILL_COL_SPACE, msg);
            return 0;
        }
        if (holder != u->id) {
            snprintf(msg, sizeof msg, _("parking space %s is not held by unit %s"), shown, code);
            problem(m, row->line, GJ_BILL_COL_SPACE, msg);
            return 0;
        }
        return id;
    }
    sqlite3_stmt *st = gj_db_stmt(m->db,
                                  "SELECT id FROM parking_spaces WHERE unit_id = ? AND "
                                  "archived = 0 ORDER BY id LIMIT 2",
                                  err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, u->id);
    int64_t ids[2] = {0, 0};
    int n = 0, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    gj_stmt_done(st);
    if (step != SQLITE_DONE) {
        gj_db_fail(m->db, step, _("parking space"), err);
        return -1;
    }
    if (n == 1)
        return ids[0];
    snprintf(msg, sizeof msg,
             n == 0 ? _("needed: unit %s holds no parking space; name the space")
                    : _("needed: unit %s holds several parking spaces; name the space"),
             code);
    problem(m, row->line, GJ_BILL_COL_SPACE, msg);
    return 0;
}

/* 1 when that bill is on record already, 0 when not, -1 after an error. */
static int bill_on_record(struct imp *m, const struct gj_bill *b, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(m->db,
                                  "SELECT 1 FROM bills WHERE unit_id = ? AND fee_item_id = ? "
                                  "AND period = ? AND ifnull(parking_space_id, 0) = ?",
                                  err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, b->unit_id);
    sqlite3_bind_int64(st, 2, b->fee_item_id);
    sqlite3_bind_int(st, 3, b->period);
    sqlite3_bind_int64(st, 4, b->parking_space_id);
    int step = sqlite3_step(st);
    gj_stmt_done(st);
    if (step == SQLITE_ROW)
        return 1;
    if (step == SQLITE_DONE)
        return 0;
    gj_db_fail(m->db, step, _("reading a bill"), err);
    return -1;
}

static int insert_bill(struct imp *m, struct gj_bill *b, struct gj_error *err)
{
    int rc = gj_bill_insert_row(m->db, b, m->actor, m->now, 0, err);
    if (rc == GJ_OK)
        b->id = sqlite3_last_insert_rowid(m->db->h);
    return rc;
}

/* Writes one line as a bill. GJ_OK also when the line had a problem
 * (reported); another status stops the import. */
static int import_row(struct imp *m, const struct gj_bill_row *row, struct gj_error *err)
{
    char code[24], msg[512], month[32];
    gj_unitcode_format(&row->unit, code, sizeof code);
    gj_format_month(row->period, month, sizeof month);
    struct gj_unit u;
    int rc =
        gj_unit_find_code(m->db, row->unit.building, row->unit.entrance, row->unit.room, &u, err);
    if (rc == GJ_ENOTFOUND) {
        snprintf(msg, sizeof msg, _("unit %s is not on record (import the owners first)"), code);
        problem(m, row->line, GJ_BILL_COL_UNIT, msg);
    } else if (rc != GJ_OK) {
        return rc;
    }
    int unit_ok = rc == GJ_OK;
    struct gj_fee_item f;
    rc = item_by_name(m, row->item, &f, err);
    if (rc == GJ_ENOTFOUND) {
        char shown[GJ_UTF8_EXCERPT_SZ];
        gj_utf8_excerpt(row->item, strlen(row->item), shown, sizeof shown);
        snprintf(msg, sizeof msg, _("there is no fee item called %s"), shown);
        problem(m, row->line, GJ_BILL_COL_ITEM, msg);
    } else if (rc != GJ_OK) {
        return rc;
    }
    int item_ok = rc == GJ_OK;
    if (row->period > m->this_month) {
        char now[32];
        gj_format_month(m->this_month, now, sizeof now);
        snprintf(msg, sizeof msg,
                 _("%s is after the current month %s: opening balances are for months past"), month,
                 now);
        problem(m, row->line, GJ_BILL_COL_PERIOD, msg);
        return GJ_OK;
    }
    if (!unit_ok || !item_ok)
        return GJ_OK;
    struct gj_bill b;
    memset(&b, 0, sizeof b);
    b.unit_id = u.id;
    b.fee_item_id = f.id;
    b.period = row->period;
    int per_space = strcmp(f.kind, "per_space") == 0;
    if (per_space) {
        b.parking_space_id = line_space(m, row, &u, code, err);
        if (b.parking_space_id < 0)
            return err->code;
        if (b.parking_space_id == 0)
            return GJ_OK;
    } else if (row->space[0]) {
        problem(m, row->line, GJ_BILL_COL_SPACE,
                _("only a fee charged per parking space names a space"));
        return GJ_OK;
    }
    int on_record = bill_on_record(m, &b, err);
    if (on_record < 0)
        return err->code;
    if (on_record) {
        snprintf(msg, sizeof msg, _("unit %s already has a bill of %s for %s"), code, f.name,
                 month);
        problem(m, row->line, GJ_BILL_NCOLS, msg); /* the whole line */
        return GJ_OK;
    }
    struct gj_bill_month bm;
    rc = gj_bill_month_init(&bm, row->period, m->due_day, err);
    if (rc != GJ_OK)
        return rc;
    b.quantity = strcmp(f.kind, "per_m2") == 0 ? u.area_centi_m2 : 1;
    b.rate_fen = f.rate_fen;
    b.amount_fen = row->amount_fen;
    b.due_at = bm.due_at;
    rc = insert_bill(m, &b, err);
    if (rc != GJ_OK)
        return rc;
    m->done[m->n_done++] = (struct written){u.id, b.id, row->paid_fen};
    m->res.bills++;
    m->res.billed_fen += b.amount_fen;
    return GJ_OK;
}

static int by_unit_then_bill(const void *x, const void *y)
{
    const struct written *a = x, *b = y;
    if (a->unit_id != b->unit_id)
        return a->unit_id < b->unit_id ? -1 : 1;
    return a->bill_id < b->bill_id ? -1 : a->bill_id > b->bill_id;
}

/* One carry-over payment for the unit's written bills done[from..to),
 * paying each what its line said was paid. */
static int carry_over(struct imp *m, size_t from, size_t to, const char *note, struct gj_error *err)
{
    int64_t total = 0;
    for (size_t i = from; i < to; i++) {
        if (m->done[i].paid_fen > GJ_MONEY_MAX - total)
            return gj_err(err, GJ_EINVAL, _("amount: too large"));
        total += m->done[i].paid_fen;
    }
    if (total == 0)
        return GJ_OK;
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = m->done[from].unit_id;
    gj_text_copy(p.payer_name, sizeof p.payer_name, _("opening balance"));
    snprintf(p.method, sizeof p.method, "%s", "transfer");
    p.amount_fen = total;
    gj_text_copy(p.reason, sizeof p.reason, note);
    int rc = gj_payment_validate(&p, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(
        m->db, "UPDATE receipt_counter SET last_no = last_no + 1 WHERE id = 1 RETURNING last_no",
        err);
    if (!st)
        return err->code;
    rc = gj_step_one(m->db, st, _("numbering the receipt"), err);
    if (rc != GJ_OK)
        return rc;
    p.receipt_no = sqlite3_column_int64(st, 0);
    gj_stmt_done(st);
    st = gj_db_stmt(m->db,
                    "INSERT INTO payments(receipt_no, unit_id, payer_name, method, amount_fen, "
                    "reason, created_at, created_by) VALUES (?,?,?,?,?,?,?,?)",
                    err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, p.receipt_no);
    sqlite3_bind_int64(st, 2, p.unit_id);
    gj_bind_text(st, 3, p.payer_name);
    sqlite3_bind_text(st, 4, p.method, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, p.amount_fen);
    gj_bind_text(st, 6, p.reason);
    sqlite3_bind_int64(st, 7, m->now);
    gj_bind_id(st, 8, m->actor);
    rc = gj_db_exec_stmt(m->db, st, _("recording what was already paid"), err);
    if (rc != GJ_OK)
        return rc;
    int64_t payment_id = sqlite3_last_insert_rowid(m->db->h);
    for (size_t i = from; i < to; i++) {
        if (m->done[i].paid_fen == 0)
            continue;
        st = gj_db_stmt(m->db,
                        "INSERT INTO payment_allocations(payment_id, bill_id, amount_fen) "
                        "VALUES (?,?,?)",
                        err);
        if (!st)
            return err->code;
        sqlite3_bind_int64(st, 1, payment_id);
        sqlite3_bind_int64(st, 2, m->done[i].bill_id);
        sqlite3_bind_int64(st, 3, m->done[i].paid_fen);
        rc = gj_db_exec_stmt(m->db, st, _("recording what was already paid"), err);
        if (rc != GJ_OK)
            return rc;
    }
    m->res.payments++;
    m->res.paid_fen += total;
    return GJ_OK;
}

static int carry_overs(struct imp *m, const char *source, struct gj_error *err)
{
    qsort(m->done, m->n_done, sizeof *m->done, by_unit_then_bill);
    char shown[GJ_UTF8_EXCERPT_SZ], note[GJ_REASON_BYTES];
    gj_utf8_excerpt(source ? source : "", source ? strlen(source) : 0, shown, sizeof shown);
    snprintf(note, sizeof note, _("opening balance: paid before this system, imported from %s"),
             shown);
    for (size_t i = 0; i < m->n_done;) {
        size_t j = i;
        while (j < m->n_done && m->done[j].unit_id == m->done[i].unit_id)
            j++;
        m->res.units++;
        int rc = carry_over(m, i, j, note, err);
        if (rc != GJ_OK)
            return rc;
        i = j;
    }
    return GJ_OK;
}

static int import_in_tx(struct imp *m, const struct gj_bill_row *rows, size_t n, const char *source,
                        struct gj_error *err)
{
    int rc = gj_bill_due_day(m->db, &m->due_day, err);
    if (rc != GJ_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        if ((rc = import_row(m, &rows[i], err)) != GJ_OK)
            return rc;
    return carry_overs(m, source, err);
}

int gj_bills_import(struct gj_db *db, int64_t actor, enum gj_role role,
                    const struct gj_import_header *h, const struct gj_bill_row *rows, size_t n,
                    const char *source, int commit, gj_import_report_fn report, void *ctx,
                    long *problems, struct gj_bill_import_result *out, struct gj_error *err)
{
    memset(out, 0, sizeof *out);
    *problems = 0;
    int rc = gj_require(role, GJ_ACTION_IMPORT, err);
    if (rc != GJ_OK)
        return rc;
    struct imp m;
    memset(&m, 0, sizeof m);
    m.db = db;
    m.actor = actor;
    m.now = gj_now();
    m.this_month = gj_month_of(m.now);
    m.h = h;
    m.report = report;
    m.ctx = ctx;
    m.done = malloc((n ? n : 1) * sizeof *m.done);
    if (!m.done)
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    rc = gj_db_begin(db, err);
    if (rc == GJ_OK) {
        rc = import_in_tx(&m, rows, n, source, err);
        if (rc == GJ_OK && commit && m.problems == 0) {
            rc = gj_db_commit(db, err);
        } else {
            gj_db_rollback(db);
        }
    }
    free(m.done);
    *problems = m.problems;
    if (rc == GJ_OK)
        *out = m.res;
    return rc;
}
