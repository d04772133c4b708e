/* The monthly billing run: every unit and parking space read once, each
 * bill the rule (core/billing.c, gj_bill_for) gives inserted by one cached
 * statement that leaves a bill already issued alone (the bills_once index),
 * all in one transaction. */
#include "guanjia/repo_billing.h"

#include "repo_internal.h"
#include "guanjia/billing.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_fees.h"
#include "guanjia/unitcode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITEM_PAGE      64
#define PROGRESS_EVERY 512

struct run {
    struct gj_db *db;
    int64_t actor, now;
    struct gj_bill_month month;
    struct gj_fee_item *items;
    int n_items, unit_items, space_items;
    struct gj_billing_result res;
    long done, total;
    void (*progress)(long done, long total, void *ctx);
    void *ctx;
};

/* Every fee item that charges for the month, into a malloc'd array. */
static int load_items(struct run *r, struct gj_error *err)
{
    int cap = 0;
    int64_t after = 0;
    for (;;) {
        if (r->n_items + ITEM_PAGE > cap) {
            cap = r->n_items + ITEM_PAGE * 2;
            struct gj_fee_item *grown = realloc(r->items, (size_t)cap * sizeof *grown);
            if (!grown)
                return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
            r->items = grown;
        }
        int n = 0;
        int rc = gj_fee_items_active(r->db, r->month.period, after, ITEM_PAGE,
                                     r->items + r->n_items, &n, err);
        if (rc != GJ_OK)
            return rc;
        for (int i = 0; i < n; i++) {
            if (strcmp(r->items[r->n_items + i].kind, "per_space") == 0)
                r->space_items++;
            else
                r->unit_items++;
        }
        r->n_items += n;
        if (n < ITEM_PAGE)
            return GJ_OK;
        after = r->items[r->n_items - 1].id;
    }
}

static void tick(struct run *r)
{
    r->done++;
    if (r->progress && r->done % PROGRESS_EVERY == 0)
        r->progress(r->done, r->total, r->ctx);
}

/* Issues bill b unless it was issued already; counts which. */
static int issue(struct run *r, const struct gj_bill *b, struct gj_error *err)
{
    int rc = gj_bill_insert_row(r->db, b, r->actor, r->now, 1, err);
    if (rc != GJ_OK)
        return rc;
    if (sqlite3_changes(r->db->h) > 0) {
        r->res.created++;
        r->res.billed_fen += b->amount_fen;
    } else {
        r->res.existing++;
    }
    return GJ_OK;
}

/* Every bill subject s owes for the month; *charged is set when any.
 * what names s in a message ("unit 3-2-501"). */
static int charge(struct run *r, const struct gj_bill_subject *s, const char *what, int *charged,
                  struct gj_error *err)
{
    *charged = 0;
    for (int i = 0; i < r->n_items; i++) {
        struct gj_bill b;
        struct gj_error e;
        int owes = gj_bill_for(&r->items[i], &r->month, s, &b, &e);
        if (owes < 0)
            return gj_err(err, e.code, _("%s, fee item %s: %s"), what, r->items[i].name, e.msg);
        if (owes == 0)
            continue;
        int rc = issue(r, &b, err);
        if (rc != GJ_OK)
            return rc;
        *charged = 1;
    }
    return GJ_OK;
}

static int count_subjects(struct run *r, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        r->db,
        "SELECT (SELECT count(*) FROM units WHERE archived = 0), "
        "(SELECT count(*) FROM parking_spaces WHERE unit_id IS NOT NULL AND archived = 0)",
        err);
    if (!st)
        return err->code;
    int rc = gj_step_one(r->db, st, _("counting units and parking spaces"), err);
    if (rc != GJ_OK)
        return rc;
    r->total = (r->unit_items ? (long)sqlite3_column_int64(st, 0) : 0) +
               (r->space_items ? (long)sqlite3_column_int64(st, 1) : 0);
    gj_stmt_done(st);
    return GJ_OK;
}

static int charge_units(struct run *r, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(r->db,
                                  "SELECT id, building, entrance, room, area_centi_m2, status, "
                                  "coalesce(delivered_at, 0) FROM units WHERE archived = 0 "
                                  "ORDER BY id",
                                  err);
    if (!st)
        return err->code;
    int rc = GJ_OK, step = SQLITE_DONE;
    while (rc == GJ_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        char status[GJ_CODE_BYTES], what[64], code[24];
        gj_col_text(st, 5, status, sizeof status);
        struct gj_bill_subject s = {.unit_id = sqlite3_column_int64(st, 0),
                                    .unit_status = status,
                                    .area_centi_m2 = sqlite3_column_int64(st, 4),
                                    .since = sqlite3_column_int64(st, 6)};
        struct gj_unitcode c = {sqlite3_column_int(st, 1), sqlite3_column_int(st, 2),
                                sqlite3_column_int(st, 3)};
        gj_unitcode_format(&c, code, sizeof code);
        snprintf(what, sizeof what, _("unit %s"), code);
        int charged = 0;
        rc = charge(r, &s, what, &charged, err);
        r->res.units += charged;
        tick(r);
    }
    if (rc == GJ_OK && step != SQLITE_DONE)
        rc = gj_db_fail(r->db, step, _("reading the units"), err);
    gj_stmt_done(st);
    return rc;
}

static int charge_spaces(struct run *r, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(r->db,
                                  "SELECT id, code, unit_id, coalesce(assigned_at, 0) "
                                  "FROM parking_spaces WHERE unit_id IS NOT NULL AND "
                                  "archived = 0 ORDER BY id",
                                  err);
    if (!st)
        return err->code;
    int rc = GJ_OK, step = SQLITE_DONE;
    while (rc == GJ_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        char code[68], what[96];
        gj_col_text(st, 1, code, sizeof code);
        snprintf(what, sizeof what, _("parking space %s"), code);
        struct gj_bill_subject s = {.unit_id = sqlite3_column_int64(st, 2),
                                    .parking_space_id = sqlite3_column_int64(st, 0),
                                    .since = sqlite3_column_int64(st, 3)};
        int charged = 0;
        rc = charge(r, &s, what, &charged, err);
        r->res.spaces += charged;
        tick(r);
    }
    if (rc == GJ_OK && step != SQLITE_DONE)
        rc = gj_db_fail(r->db, step, _("reading the parking spaces"), err);
    gj_stmt_done(st);
    return rc;
}

static int run_in_tx(struct run *r, struct gj_error *err)
{
    int due_day = GJ_BILL_DUE_DAY;
    int rc = gj_bill_due_day(r->db, &due_day, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_bill_month_init(&r->month, r->month.period, due_day, err);
    if (rc == GJ_OK)
        rc = load_items(r, err);
    if (rc == GJ_OK)
        rc = count_subjects(r, err);
    if (rc == GJ_OK && r->unit_items)
        rc = charge_units(r, err);
    if (rc == GJ_OK && r->space_items)
        rc = charge_spaces(r, err);
    if (rc == GJ_OK && r->progress)
        r->progress(r->done, r->total, r->ctx);
    return rc;
}

/* Each bill is one INSERT inside the run's transaction, with audit
 * triggers: SQLite keeps a statement journal for each, and once that has
 * spilled to a temporary file every statement writes its pages there (on
 * 20,000 units, 700,000 writes and half a second). The run keeps temporary
 * files in memory instead, when the connection uses the default and no
 * transaction is open (temp_store cannot change inside one); *changed
 * says whether to put it back. */
static int temp_in_memory(struct gj_db *db, int *changed, struct gj_error *err)
{
    *changed = 0;
    if (db->tx_depth > 0)
        return GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db, "PRAGMA temp_store", err);
    if (!st)
        return err->code;
    int rc = gj_step_one(db, st, _("preparing the billing run"), err);
    if (rc != GJ_OK)
        return rc;
    int store = sqlite3_column_int(st, 0);
    gj_stmt_done(st);
    if (store != 0)
        return GJ_OK; /* already chosen by whoever opened the database */
    st = gj_db_stmt(db, "PRAGMA temp_store = MEMORY", err);
    if (!st)
        return err->code;
    rc = gj_db_exec_stmt(db, st, _("preparing the billing run"), err);
    if (rc == GJ_OK)
        *changed = 1;
    return rc;
}

static void temp_restore(struct gj_db *db)
{
    struct gj_error err;
    sqlite3_stmt *st = gj_db_stmt(db, "PRAGMA temp_store = DEFAULT", &err);
    if (st)
        gj_db_exec_stmt(db, st, _("preparing the billing run"), &err);
}

int gj_billing_run(struct gj_db *db, int64_t actor, enum gj_role role, int yyyymm,
                   void (*progress)(long done, long total, void *ctx), void *ctx,
                   struct gj_billing_result *out, struct gj_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = gj_require(role, GJ_ACTION_RUN_BILLING, err);
    if (rc != GJ_OK)
        return rc;
    if (!gj_bill_period_valid(yyyymm))
        return gj_err(err, GJ_EINVAL, _("month: not a valid month (got %d)"), yyyymm);
    struct run r;
    memset(&r, 0, sizeof r);
    r.db = db;
    r.actor = actor;
    r.now = gj_now();
    r.month.period = yyyymm;
    r.progress = progress;
    r.ctx = ctx;
    int temp_changed = 0;
    rc = temp_in_memory(db, &temp_changed, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc == GJ_OK) {
        rc = run_in_tx(&r, err);
        rc = gj_tx_finish(db, rc, err);
    }
    free(r.items);
    if (temp_changed)
        temp_restore(db);
    if (rc == GJ_OK)
        *out = r.res;
    return rc;
}
