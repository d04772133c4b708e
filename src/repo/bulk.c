/* Bulk loading of complete historical rows (demo data). */
#include "guanjia/repo_bulk.h"

#include "repo_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Foreign keys are checked once, at the end, instead of row by row: the
 * pragma only takes effect outside a transaction. */
static void foreign_keys(struct gj_db *db, int on)
{
    if (db->tx_depth == 0)
        sqlite3_exec(db->h, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF", NULL,
                     NULL, NULL);
}

/* The tables that take millions of rows. Their secondary indexes and their
 * triggers are dropped for the load and created again from SQLite's own
 * record of them (sqlite_schema) before it commits: sorting once is several
 * times faster than millions of scattered index inserts, and a trigger costs
 * a sub-program per row even when its WHEN clause is false. What they guard
 * is checked before the commit instead: unique indexes when rebuilt, and the
 * bookkeeping rules and foreign keys by gj_bulk_end. Should anything fail,
 * the rollback brings them all back untouched. */
static int defer_indexes(struct gj_db *db, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') AND "
        "sql IS NOT NULL AND tbl_name IN ('work_orders', 'work_order_events', 'complaints', "
        "'complaint_events', 'bills', 'payments', 'payment_allocations', 'contact_log', "
        "'dunning_contacts') ORDER BY type, name",
        err);
    if (!st)
        return err->code;
    size_t len = 0, cap = 4096;
    char *sql = malloc(cap);
    char names[128][64];
    int is_trigger[128];
    int n = 0, rc;
    if (!sql)
        return gj_err(err, GJ_ENOMEM, _("out of memory"));
    sql[0] = '\0';
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 128) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *create = (const char *)sqlite3_column_text(st, 2);
        size_t k = strlen(create);
        if (strlen(name) >= sizeof names[0] || strchr(name, '"'))
            continue; /* not one of ours: leave it in place */
        if (len + k + 3 > cap) {
            cap = (len + k + 3) * 2;
            char *grown = realloc(sql, cap);
            if (!grown) {
                free(sql);
                gj_stmt_done(st);
                return gj_err(err, GJ_ENOMEM, _("out of memory"));
            }
            sql = grown;
        }
        memcpy(sql + len, create, k);
        memcpy(sql + len + k, ";\n", 3);
        len += k + 2;
        is_trigger[n] = strcmp(type, "trigger") == 0;
        snprintf(names[n++], sizeof names[0], "%s", name);
    }
    gj_stmt_done(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        free(sql);
        return gj_db_fail(db, rc, _("starting the bulk load"), err);
    }
    for (int i = 0; i < n; i++) {
        char drop[96];
        int w = snprintf(drop, sizeof drop, "DROP %s \"%s\"", is_trigger[i] ? "TRIGGER" : "INDEX",
                         names[i]);
        rc = w > 0 && (size_t)w < sizeof drop ? sqlite3_exec(db->h, drop, NULL, NULL, NULL)
                                              : SQLITE_ERROR;
        if (rc != SQLITE_OK) {
            free(sql);
            return gj_db_fail(db, rc, _("starting the bulk load"), err);
        }
    }
    free(db->deferred_indexes);
    db->deferred_indexes = sql;
    return GJ_OK;
}

static int restore_indexes(struct gj_db *db, struct gj_error *err)
{
    int rc = GJ_OK;
    if (db->deferred_indexes) {
        int src = sqlite3_exec(db->h, db->deferred_indexes, NULL, NULL, NULL);
        if (src != SQLITE_OK)
            rc = gj_db_fail(db, src, _("indexing the bulk load"), err);
    }
    free(db->deferred_indexes);
    db->deferred_indexes = NULL;
    return rc;
}

int gj_bulk_begin(struct gj_db *db, const char *note, struct gj_error *err)
{
    foreign_keys(db, 0);
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK) {
        foreign_keys(db, 1);
        return rc;
    }
    sqlite3_stmt *st = gj_db_stmt(db, "INSERT INTO bulk_load(note) VALUES (?)", err);
    if (st)
        sqlite3_bind_text(st, 1, note, -1, SQLITE_TRANSIENT);
    rc = st ? gj_db_exec_stmt(db, st, _("starting the bulk load"), err) : (int)err->code;
    if (rc == GJ_OK)
        rc = defer_indexes(db, err);
    if (rc != GJ_OK) {
        gj_db_rollback(db);
        free(db->deferred_indexes);
        db->deferred_indexes = NULL;
        foreign_keys(db, 1);
    }
    return rc;
}

static void first_failure(const struct gj_check_result *r, void *ctx)
{
    struct gj_check_result *first = ctx;
    if (r->problems && !first->problems)
        *first = *r;
}

int gj_bulk_end(struct gj_db *db, int64_t actor, const char *summary, int ok, struct gj_error *err)
{
    if (!ok) {
        gj_db_rollback(db); /* the dropped indexes come back with it */
        free(db->deferred_indexes);
        db->deferred_indexes = NULL;
        foreign_keys(db, 1);
        return GJ_OK;
    }
    int rc = restore_indexes(db, err);
    sqlite3_stmt *st = NULL;
    /* The report figures kept by triggers (migration 10), whose triggers
     * were dropped for the load: counted again from the orders. */
    if (rc == GJ_OK) {
        st = gj_db_stmt(db, "DELETE FROM wo_day_stats", err);
        rc = st ? gj_db_exec_stmt(db, st, _("finishing the bulk load"), err) : (int)err->code;
    }
    if (rc == GJ_OK) {
        st = gj_db_stmt(db, "INSERT INTO wo_day_stats " GJ_WO_DAY_STATS_SELECT, err);
        rc = st ? gj_db_exec_stmt(db, st, _("finishing the bulk load"), err) : (int)err->code;
    }
    /* The arrears by unit (migration 14) and the open orders missed
     * (migration 17), likewise, at the clock. */
    if (rc == GJ_OK)
        rc = gj_arrears_recount(db, gj_now(), err);
    if (rc == GJ_OK)
        rc = gj_wo_missed_recount(db, gj_now(), err);
    /* Likewise the complaint figures kept by day (migration 16). */
    static const char *const complaint_stats_sql[] = {
        "DELETE FROM complaint_day_stats",
        "INSERT INTO complaint_day_stats " GJ_COMPLAINT_DAY_STATS_SELECT,
        "DELETE FROM complaint_cause_days",
        "INSERT INTO complaint_cause_days " GJ_COMPLAINT_CAUSE_DAYS_SELECT,
    };
    if (rc == GJ_OK)
        rc = gj_db_exec_all(db, complaint_stats_sql,
                            sizeof complaint_stats_sql / sizeof *complaint_stats_sql, 0,
                            _("finishing the bulk load"), err);
    if (rc == GJ_OK) {
        st = gj_db_stmt(db, "DELETE FROM bulk_load", err);
        rc = st ? gj_db_exec_stmt(db, st, _("finishing the bulk load"), err) : (int)err->code;
    }
    /* What the row-level rules did not check, check now, before committing. */
    if (rc == GJ_OK) {
        struct gj_check_result first;
        memset(&first, 0, sizeof first);
        int failures = 0;
        rc = gj_check_bookkeeping(db, first_failure, &first, &failures, err);
        if (rc == GJ_OK && failures)
            rc = gj_err(err, GJ_ECONSTRAINT, _("bulk load refused: %s (%s)"), first.name,
                        first.example);
    }
    if (rc == GJ_OK) {
        st = gj_db_stmt(db,
                        "INSERT INTO audit_log(at, user_id, action, entity, entity_id, "
                        "old_values, new_values) VALUES (?, ?, 'bulk', 'estate', NULL, NULL, ?)",
                        err);
        if (!st)
            rc = err->code;
    }
    if (rc == GJ_OK) {
        sqlite3_bind_int64(st, 1, gj_now());
        gj_bind_id(st, 2, actor);
        sqlite3_bind_text(st, 3, summary, -1, SQLITE_TRANSIENT);
        rc = gj_db_exec_stmt(db, st, _("recording the bulk load"), err);
    }
    rc = gj_tx_finish(db, rc, err);
    foreign_keys(db, 1);
    return rc;
}

/* Steps a per-row insert; the message is translated only on failure. */
static int load(struct gj_db *db, sqlite3_stmt *st, const char *what_msgid, struct gj_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _(what_msgid), err);
    return GJ_OK;
}

static void bind_time(sqlite3_stmt *st, int i, int64_t t)
{
    gj_bind_opt_i64(st, i, t != 0, t);
}

#define WO_EVENT_INSERT                                                                            \
    "INSERT INTO work_order_events(work_order_id, at, user_id, kind, from_state, to_state, "       \
    "note) VALUES "
#define WO_EVENT_ROW "(?,?,?,?,?,?,?)"
static const char *const wo_event_sql[] = {
    NULL,
    WO_EVENT_INSERT WO_EVENT_ROW,
    WO_EVENT_INSERT WO_EVENT_ROW "," WO_EVENT_ROW,
    WO_EVENT_INSERT WO_EVENT_ROW "," WO_EVENT_ROW "," WO_EVENT_ROW,
    WO_EVENT_INSERT WO_EVENT_ROW "," WO_EVENT_ROW "," WO_EVENT_ROW "," WO_EVENT_ROW,
};

int gj_bulk_work_order(struct gj_db *db, struct gj_work_order *wo, struct gj_wo_event *events,
                       int n_events, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "INSERT INTO work_orders(unit_id, person_id, channel, category, priority, state, "
        "description, appointment_at, respond_due_at, resolve_due_at, promised_at, "
        "promise_reason, department_id, assignee_staff_id, responded_at, resolved_at, closed_at, "
        "paused_seconds, hold_started_at, hold_reason, resolution, satisfaction, feedback, "
        "cancel_reason, chase_count, created_at, created_by, updated_at, updated_by) VALUES "
        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        err);
    if (!st)
        return err->code;
    gj_bind_id(st, 1, wo->unit_id);
    gj_bind_id(st, 2, wo->person_id);
    gj_bind_text(st, 3, wo->channel);
    gj_bind_text(st, 4, wo->category);
    gj_bind_text(st, 5, wo->priority);
    gj_bind_text(st, 6, wo->state);
    gj_bind_text(st, 7, wo->description);
    bind_time(st, 8, wo->appointment_at);
    sqlite3_bind_int64(st, 9, wo->respond_due_at);
    sqlite3_bind_int64(st, 10, wo->resolve_due_at);
    bind_time(st, 11, wo->promised_at);
    gj_bind_text(st, 12, wo->promise_reason);
    gj_bind_id(st, 13, wo->department_id);
    gj_bind_id(st, 14, wo->assignee_staff_id);
    bind_time(st, 15, wo->responded_at);
    bind_time(st, 16, wo->resolved_at);
    bind_time(st, 17, wo->closed_at);
    sqlite3_bind_int64(st, 18, wo->paused_seconds);
    bind_time(st, 19, wo->hold_started_at);
    gj_bind_text(st, 20, wo->hold_reason);
    gj_bind_text(st, 21, wo->resolution);
    gj_bind_opt_i64(st, 22, wo->satisfaction != 0, wo->satisfaction);
    gj_bind_text(st, 23, wo->feedback);
    gj_bind_text(st, 24, wo->cancel_reason);
    sqlite3_bind_int(st, 25, wo->chase_count);
    sqlite3_bind_int64(st, 26, wo->created_at);
    gj_bind_id(st, 27, wo->created_by);
    sqlite3_bind_int64(st, 28, wo->meta.updated_at ? wo->meta.updated_at : wo->created_at);
    gj_bind_id(st, 29, wo->meta.updated_by);
    int rc = load(db, st, N_("loading a work order"), err);
    if (rc != GJ_OK)
        return rc;
    wo->id = sqlite3_last_insert_rowid(db->h);
    /* A work order has several events: they go in up to four per statement. */
    for (int i = 0; i < n_events && rc == GJ_OK;) {
        int k = n_events - i < 4 ? n_events - i : 4;
        st = gj_db_stmt(db, wo_event_sql[k], err);
        if (!st)
            return err->code;
        for (int j = 0; j < k; j++) {
            struct gj_wo_event *e = &events[i + j];
            int b = 7 * j;
            e->work_order_id = wo->id;
            sqlite3_bind_int64(st, b + 1, wo->id);
            sqlite3_bind_int64(st, b + 2, e->at);
            gj_bind_id(st, b + 3, e->user_id);
            gj_bind_text(st, b + 4, e->kind);
            gj_bind_text(st, b + 5, e->from_state);
            gj_bind_text(st, b + 6, e->to_state);
            gj_bind_text(st, b + 7, e->note);
        }
        rc = load(db, st, N_("loading a work-order event"), err);
        i += k;
    }
    return rc;
}

int gj_bulk_complaint(struct gj_db *db, struct gj_complaint *c, struct gj_complaint_event *events,
                      int n_events, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "INSERT INTO complaints(unit_id, person_id, channel, subject, detail, category, grade, "
        "level, state, cycle, assignee_user_id, ack_due_at, resolve_due_at, acknowledged_at, "
        "resolved_at, revisit_due_at, revisited_at, closed_at, action_taken, result, root_cause, "
        "corrective_action, satisfaction, revisit_comment, created_at, created_by, updated_at, "
        "updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        err);
    if (!st)
        return err->code;
    gj_bind_id(st, 1, c->unit_id);
    gj_bind_id(st, 2, c->person_id);
    gj_bind_text(st, 3, c->channel);
    gj_bind_text(st, 4, c->subject);
    gj_bind_text(st, 5, c->detail);
    gj_bind_text(st, 6, c->category);
    gj_bind_text(st, 7, c->grade);
    sqlite3_bind_int(st, 8, c->level);
    gj_bind_text(st, 9, c->state);
    sqlite3_bind_int(st, 10, c->cycle > 0 ? c->cycle : 1);
    gj_bind_id(st, 11, c->assignee_user_id);
    sqlite3_bind_int64(st, 12, c->ack_due_at);
    sqlite3_bind_int64(st, 13, c->resolve_due_at);
    bind_time(st, 14, c->acknowledged_at);
    bind_time(st, 15, c->resolved_at);
    bind_time(st, 16, c->revisit_due_at);
    bind_time(st, 17, c->revisited_at);
    bind_time(st, 18, c->closed_at);
    gj_bind_text(st, 19, c->action_taken);
    gj_bind_text(st, 20, c->result);
    gj_bind_text(st, 21, c->root_cause);
    gj_bind_text(st, 22, c->corrective_action);
    gj_bind_opt_i64(st, 23, c->satisfaction != 0, c->satisfaction);
    gj_bind_text(st, 24, c->revisit_comment);
    sqlite3_bind_int64(st, 25, c->created_at);
    gj_bind_id(st, 26, c->created_by);
    sqlite3_bind_int64(st, 27, c->meta.updated_at ? c->meta.updated_at : c->created_at);
    gj_bind_id(st, 28, c->meta.updated_by);
    int rc = load(db, st, N_("loading a complaint"), err);
    if (rc != GJ_OK)
        return rc;
    c->id = sqlite3_last_insert_rowid(db->h);
    st = gj_db_stmt(db,
                    "INSERT INTO complaint_events(complaint_id, at, user_id, kind, cycle, reason, "
                    "from_level, to_level, note) VALUES (?,?,?,?,?,?,?,?,?)",
                    err);
    if (!st)
        return err->code;
    for (int i = 0; i < n_events && rc == GJ_OK; i++) {
        struct gj_complaint_event *e = &events[i];
        e->complaint_id = c->id;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, c->id);
        sqlite3_bind_int64(st, 2, e->at);
        gj_bind_id(st, 3, e->user_id);
        gj_bind_text(st, 4, e->kind);
        sqlite3_bind_int(st, 5, e->cycle > 0 ? e->cycle : 1);
        gj_bind_text(st, 6, e->reason);
        gj_bind_opt_i64(st, 7, e->from_level >= 0, e->from_level);
        gj_bind_opt_i64(st, 8, e->to_level >= 0, e->to_level);
        gj_bind_text(st, 9, e->note);
        rc = load(db, st, N_("loading a complaint event"), err);
    }
    return rc;
}

int gj_bulk_bill(struct gj_db *db, struct gj_bill *b, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "INSERT INTO bills(unit_id, fee_item_id, parking_space_id, period, quantity, rate_fen, "
        "amount_fen, paid_fen, due_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        err);
    if (!st)
        return err->code;
    gj_bind_bill_charge(st, b);
    sqlite3_bind_int64(st, 8, b->paid_fen);
    sqlite3_bind_int64(st, 9, b->due_at);
    sqlite3_bind_int64(st, 10, b->created_at);
    sqlite3_bind_int64(st, 11, b->created_at);
    int rc = load(db, st, N_("loading a bill"), err);
    if (rc == GJ_OK)
        b->id = sqlite3_last_insert_rowid(db->h);
    return rc;
}

int gj_bulk_payment(struct gj_db *db, struct gj_payment *p, struct gj_allocation *allocs,
                    int n_allocs, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        db, "UPDATE receipt_counter SET last_no = last_no + 1 WHERE id = 1 RETURNING last_no", err);
    if (!st)
        return err->code;
    int rc = gj_step_one(db, st, _("numbering a receipt"), err);
    if (rc != GJ_OK)
        return rc;
    p->receipt_no = sqlite3_column_int64(st, 0);
    gj_stmt_done(st);
    st = gj_db_stmt(db,
                    "INSERT INTO payments(receipt_no, unit_id, payer_name, method, amount_fen, "
                    "reverses_payment_id, reason, created_at, created_by) "
                    "VALUES (?,?,?,?,?,?,?,?,?)",
                    err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, p->receipt_no);
    sqlite3_bind_int64(st, 2, p->unit_id);
    gj_bind_text(st, 3, p->payer_name);
    gj_bind_text(st, 4, p->method);
    sqlite3_bind_int64(st, 5, p->amount_fen);
    gj_bind_id(st, 6, p->reverses_payment_id);
    gj_bind_text(st, 7, p->reason);
    sqlite3_bind_int64(st, 8, p->created_at);
    gj_bind_id(st, 9, p->created_by);
    rc = load(db, st, N_("loading a payment"), err);
    if (rc != GJ_OK)
        return rc;
    p->id = sqlite3_last_insert_rowid(db->h);
    st = gj_db_stmt(db,
                    "INSERT INTO payment_allocations(payment_id, bill_id, amount_fen) "
                    "VALUES (?,?,?)",
                    err);
    if (!st)
        return err->code;
    for (int i = 0; i < n_allocs && rc == GJ_OK; i++) {
        allocs[i].payment_id = p->id;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, p->id);
        sqlite3_bind_int64(st, 2, allocs[i].bill_id);
        sqlite3_bind_int64(st, 3, allocs[i].amount_fen);
        rc = load(db, st, N_("loading a payment allocation"), err);
        if (rc == GJ_OK)
            allocs[i].id = sqlite3_last_insert_rowid(db->h);
    }
    return rc;
}

int gj_bulk_dunning(struct gj_db *db, struct gj_dunning *d, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO dunning_contacts(unit_id, person_id, channel, "
                                  "result, promised_at, promised_fen, note, at, user_id) "
                                  "VALUES (?,?,?,?,?,?,?,?,?)",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, d->unit_id);
    gj_bind_id(st, 2, d->person_id);
    gj_bind_text(st, 3, d->channel);
    gj_bind_text(st, 4, d->result);
    bind_time(st, 5, d->promised_at);
    gj_bind_opt_i64(st, 6, d->promised_fen != 0, d->promised_fen);
    gj_bind_text(st, 7, d->note);
    sqlite3_bind_int64(st, 8, d->at);
    gj_bind_id(st, 9, d->user_id);
    int rc = load(db, st, N_("loading a dunning contact"), err);
    if (rc == GJ_OK)
        d->id = sqlite3_last_insert_rowid(db->h);
    return rc;
}

int gj_bulk_contact(struct gj_db *db, struct gj_contact *c, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO contact_log(unit_id, person_id, channel, summary, "
                                  "result, work_order_id, complaint_id, at, user_id) "
                                  "VALUES (?,?,?,?,?,?,?,?,?)",
                                  err);
    if (!st)
        return err->code;
    gj_bind_id(st, 1, c->unit_id);
    gj_bind_id(st, 2, c->person_id);
    gj_bind_text(st, 3, c->channel);
    gj_bind_text(st, 4, c->summary);
    gj_bind_text(st, 5, c->result);
    gj_bind_id(st, 6, c->work_order_id);
    gj_bind_id(st, 7, c->complaint_id);
    sqlite3_bind_int64(st, 8, c->at);
    gj_bind_id(st, 9, c->user_id);
    int rc = load(db, st, N_("loading a contact-log entry"), err);
    if (rc == GJ_OK)
        c->id = sqlite3_last_insert_rowid(db->h);
    return rc;
}
