/* Cached prepared statements, binding helpers and clear error messages. */
#include "db_internal.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/model.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(const char *sql)
{
    uintptr_t p = (uintptr_t)sql;
    p ^= p >> 17;
    p *= UINT64_C(0x9E3779B97F4A7C15) & UINTPTR_MAX;
    return (size_t)(p >> 7) % GJ_STMT_CACHE;
}

sqlite3_stmt *gj_db_stmt(struct gj_db *db, const char *sql, struct gj_error *err)
{
    size_t i = slot_of(sql);
    for (size_t probe = 0; probe < GJ_STMT_CACHE; probe++, i = (i + 1) % GJ_STMT_CACHE) {
        struct gj_stmt_slot *s = &db->cache[i];
        if (s->sql == sql) {
            sqlite3_reset(s->stmt);
            sqlite3_clear_bindings(s->stmt);
            return s->stmt;
        }
        if (!s->sql) {
            int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt, NULL);
            if (rc != SQLITE_OK) {
                gj_db_fail(db, rc, _("preparing a query"), err);
                s->stmt = NULL;
                return NULL;
            }
            s->sql = sql;
            return s->stmt;
        }
    }
    /* Cache full (never expected): report rather than leak. */
    gj_err(err, GJ_EDB, _("too many distinct queries"));
    return NULL;
}

int gj_db_data_version(struct gj_db *db, int64_t *version, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "PRAGMA data_version", err);
    if (!st)
        return err->code;
    int rc = gj_step_one(db, st, _("checking for changes"), err);
    if (rc == GJ_OK) {
        *version = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
    }
    return rc;
}

void gj_stmt_done(sqlite3_stmt *st)
{
    if (st)
        sqlite3_reset(st);
}

int gj_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (!s || !*s)
        return sqlite3_bind_null(st, i);
    /* Not copied: every caller steps and resets the statement while s is
     * alive, and gj_db_stmt clears the bindings before the next use. */
    return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

int gj_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
    if (id == GJ_NULL_ID)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_int64(st, i, id);
}

int gj_bind_opt_i64(sqlite3_stmt *st, int i, int has, int64_t v)
{
    return has ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
}

void gj_col_text(sqlite3_stmt *st, int i, char *out, size_t outsz)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (outsz == 0)
        return;
    if (!t) {
        out[0] = '\0';
        return;
    }
    size_t n = (size_t)sqlite3_column_bytes(st, i);
    if (n >= outsz) {
        n = outsz - 1;
        /* never cut a UTF-8 sequence in half */
        while (n > 0 && (t[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, t, n);
    out[n] = '\0';
}

char *gj_col_strdup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *)t) : NULL;
}

int gj_db_exec_stmt(struct gj_db *db, sqlite3_stmt *st, const char *what, struct gj_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return gj_db_fail(db, rc, what, err);
    return GJ_OK;
}

int gj_db_exec_all(struct gj_db *db, const char *const *sql, size_t n, int64_t v, const char *what,
                   struct gj_error *err)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = gj_db_stmt(db, sql[i], err);
        if (!st)
            return err->code;
        if (sqlite3_bind_parameter_count(st) > 0)
            sqlite3_bind_int64(st, 1, v);
        int rc = gj_db_exec_stmt(db, st, what, err);
        if (rc != GJ_OK)
            return rc;
    }
    return GJ_OK;
}

/* Named constraints of the schema, and what they mean to a user. */
static const struct {
    const char *name;
    const char *msg;
} constraint_msgs[] = {
    {"units_building", N_("building must be 1 to 999")},
    {"units_entrance", N_("entrance must be 1 to 99")},
    {"units_floor", N_("floor must be 1 to 999")},
    {"units_room", N_("room must be 101 to 99999")},
    {"units_area", N_("area must be between 0.01 and 100,000 m²")},
    {"units_status", N_("unknown unit status")},
    {"units_sold_delivered", N_("a delivered unit needs its delivery date")},
    {"units.building, units.entrance, units.room", N_("a unit with this code already exists")},
    {"units_notes", N_("notes are too long (at most 2000 characters)")},
    {"persons_name", N_("name must be 1 to 64 characters")},
    {"persons_phone", N_("phone is not a valid number")},
    {"persons_phone2", N_("second phone is not a valid number")},
    {"persons_id_number", N_("ID number must be 17 digits and a final digit or X")},
    {"persons_notes", N_("notes are too long (at most 2000 characters)")},
    {"unit_persons_relation", N_("relation must be owner, tenant or family")},
    {"unit_persons_dates", N_("the end date is before the start date")},
    {"unit_persons.unit_id, unit_persons.person_id, unit_persons.relation",
     N_("this person is already linked to the unit in that role")},
    {"vehicles.plate", N_("a vehicle with this plate is already registered")},
    {"vehicles_plate", N_("a plate has 7 or 8 characters")},
    {"parking_spaces.code", N_("a parking space with this code already exists")},
    {"parking_assigned", N_("an assigned parking space needs its assignment date")},
    {"users.login", N_("this login name is taken")},
    {"users_login", N_("login must be 2 to 32 letters, digits, dots, dashes or underscores")},
    {"users_role", N_("role must be trainee, butler, supervisor or manager")},
    {"users_name", N_("name must be 1 to 64 characters")},
    {"departments.name", N_("a department with this name already exists")},
    {"fee_items.name", N_("a fee item with this name already exists")},
    {"fee_items_rate", N_("rate must be between 0 and 1,000,000 yuan")},
    {"fee_items_to", N_("a fee item cannot end before it starts")},
    {"bills_once", N_("this bill has already been issued")},
    {"bills_paid_within_amount", N_("payment would exceed what the bill asks")},
    {"payments.receipt_no", N_("receipt number already used")},
    {"payments_reversal", N_("a reversal needs a reason and a negative amount")},
    {"payments.reverses_payment_id", N_("this payment has already been reversed")},
    {"payment_allocations.payment_id, payment_allocations.bill_id",
     N_("the payment is already allocated to this bill")},
    {"wo_hold_needs_reason", N_("putting an order on hold needs a reason")},
    {"wo_cancel_needs_reason", N_("cancelling an order needs a reason")},
    {"wo_dispatch_needs_department", N_("a dispatched order needs a department")},
    {"wo_closed_needs_feedback", N_("closing an order needs the owner's satisfaction")},
    {"wo_promise_pair", N_("a promised time needs a reason")},
    {"work_order_events.work_order_id, work_order_events.kind",
     N_("this breach is already recorded")},
    {"complaint_close_needs_cause",
     N_("a moderate or serious complaint needs a root cause and a corrective action before "
        "it closes")},
    {"complaint_closed_needs_revisit", N_("a complaint closes only after the revisit")},
    {"complaint_events.complaint_id, complaint_events.cycle, complaint_events.reason",
     N_("this escalation is already recorded")},
    {"assess_not_self", N_("nobody assesses themselves")},
    {"quiz_score", N_("score must be between 0 and the maximum")},
    {"settings.key", N_("this setting already exists")},
    {"standard_replies.text", N_("this standard reply is already in the list")},
    {"sla_resolve_after_respond",
     N_("the resolve target must not be shorter than the response target")},
    /* community life and safety (schema 7) */
    {"notices_title", N_("a notice title must be 1 to 100 characters")},
    {"notices_body", N_("a notice text must be 1 to 4000 characters")},
    {"notices_audience", N_("audience must be estate, building or unit")},
    {"notices_building", N_("building must be 1 to 999")},
    {"notices_target", N_("a notice for a building names the building, one for a unit names the "
                          "unit, and one for the whole estate names neither")},
    {"notices_valid_order", N_("a notice cannot end before it starts")},
    {"activities_title", N_("an activity name must be 1 to 100 characters")},
    {"activities_place", N_("place must be 1 to 100 characters")},
    {"activities_capacity", N_("capacity must be 1 to 10000 people, or none for no limit")},
    {"activities_note", N_("notes are too long (at most 2000 characters)")},
    {"activities_time_order", N_("an activity cannot end before it starts")},
    {"activity_signups_people", N_("a sign-up is for 1 to 20 people")},
    {"activity_signups.activity_id, activity_signups.unit_id",
     N_("this unit has already signed up for the activity")},
    {"activity_full", N_("the activity has not enough places left")},
    {"activity_capacity_below", N_("more people have already signed up than the new capacity")},
    {"activity_signups_fixed", N_("a sign-up is only ever cancelled; sign up again instead")},
    {"patrols_route", N_("route must be 1 to 100 characters")},
    {"patrols_note", N_("notes are too long (at most 2000 characters)")},
    {"patrols_time_order", N_("a patrol cannot end before it starts")},
    {"patrol_findings_location", N_("location must be 1 to 100 characters")},
    {"patrol_findings_what", N_("what was found must be 1 to 2000 characters")},
    {"patrol_findings_severity", N_("severity must be low, medium or high")},
    {"patrol_findings.work_order_id", N_("this work order already comes from another finding")},
    {"finding_linked_once", N_("this finding has already been turned into a work order")},
    {"drills_kind", N_("the kind of drill must be fire, evacuation or other")},
    {"drills_place", N_("place must be 1 to 100 characters")},
    {"drills_participants", N_("participants must be 0 to 100000")},
    {"drills_note", N_("notes are too long (at most 2000 characters)")},
    {"incidents_what", N_("what happened must be 1 to 4000 characters")},
    {"incidents_place", N_("place must be 1 to 100 characters")},
    {"incidents_actions", N_("the actions taken must be 1 to 4000 characters")},
    {"incidents_informed", N_("who was informed must be 1 to 2000 characters")},
    {"incidents_closing_note", N_("the closing note is too long (at most 2000 characters)")},
    {"incidents_close_needs_actions",
     N_("an incident closes only after the actions taken are recorded")},
    {"incidents_time_order", N_("an incident cannot close before it happened")},
    {"incident_closed_final", N_("a closed incident is not changed any more")},
};

int gj_db_fail(struct gj_db *db, int rc, const char *what, struct gj_error *err)
{
    const char *detail = db && db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc);
    int primary = rc & 0xFF;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return gj_err(err, GJ_EBUSY,
                      _("%s: the database is kept busy by another terminal or program; try again "
                        "in a moment"),
                      what);
    if (primary == SQLITE_READONLY)
        return gj_err(err, GJ_EREADONLY, _("%s: the database cannot be written"), what);
    if (primary == SQLITE_FULL)
        return gj_err(err, GJ_EIO, _("%s: the disk is full; nothing was saved"), what);
    int ext = db && db->h ? sqlite3_extended_errcode(db->h) : rc;
    if (ext == SQLITE_IOERR_WRITE || ext == SQLITE_IOERR_FSYNC || ext == SQLITE_IOERR_TRUNCATE ||
        ext == SQLITE_IOERR_SHMSIZE)
        return gj_err(err, GJ_EIO, _("%s: cannot write the database file (is the disk full?)"),
                      what);
    if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN)
        return gj_err(err, GJ_EIO, _("%s: cannot read or write the database file (%s, %d)"), what,
                      detail, db && db->h ? sqlite3_extended_errcode(db->h) : rc);
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        return gj_err(err, GJ_EDB, _("%s: the file is not a valid Guanjia database (%s)"), what,
                      detail);
    if (primary == SQLITE_CONSTRAINT) {
        for (size_t i = 0; i < sizeof constraint_msgs / sizeof constraint_msgs[0]; i++) {
            const char *hit = strstr(detail, constraint_msgs[i].name);
            if (!hit)
                continue;
            size_t n = strlen(constraint_msgs[i].name);
            char next = hit[n];
            if (next == '\0' || next == '\'' || next == ' ' || next == ',')
                return gj_err(err, GJ_ECONSTRAINT, "%s: %s", what, _(constraint_msgs[i].msg));
        }
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            return gj_err(err, GJ_ECONSTRAINT, _("%s: it refers to a record that does not exist"),
                          what);
        if (rc == SQLITE_CONSTRAINT_NOTNULL)
            return gj_err(err, GJ_ECONSTRAINT, _("%s: a required field is empty (%s)"), what,
                          detail);
        return gj_err(err, GJ_ECONSTRAINT, _("%s: refused by the database (%s)"), what, detail);
    }
    return gj_err(err, GJ_EDB, _("%s: database error: %s"), what, detail);
}

int gj_db_conflict(struct gj_db *db, const char *entity, const char *label, int64_t id,
                   struct gj_error *err)
{
    struct gj_error tmp;
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "SELECT a.at, coalesce(u.name, ?3) FROM audit_log a "
                   "LEFT JOIN users u ON u.id = a.user_id "
                   "WHERE a.entity = ?1 AND a.entity_id = ?2 ORDER BY a.id DESC LIMIT 1",
                   &tmp);
    if (!st)
        return gj_err(err, GJ_ECONFLICT, _("%s was changed by someone else; reload it"), label);
    sqlite3_bind_text(st, 1, entity, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_text(st, 3, _("the system"), -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        gj_stmt_done(st);
        return gj_err(err, GJ_ECONFLICT, _("%s was changed by someone else; reload it"), label);
    }
    char when[32], who[128];
    gj_format_datetime(sqlite3_column_int64(st, 0), when, sizeof when);
    gj_col_text(st, 1, who, sizeof who);
    gj_stmt_done(st);
    return gj_err(err, GJ_ECONFLICT,
                  _("%s was changed by %s at %s after you opened it; reload to see their change"),
                  label, who, when);
}

void gj_read_meta(sqlite3_stmt *st, int col, struct gj_row_meta *m)
{
    m->version = sqlite3_column_int64(st, col);
    m->updated_at = sqlite3_column_int64(st, col + 1);
    m->updated_by = sqlite3_column_int64(st, col + 2);
}

int gj_tx_finish(struct gj_db *db, int status, struct gj_error *err)
{
    if (status == GJ_OK)
        return gj_db_commit(db, err);
    gj_db_rollback(db);
    return status;
}

int gj_step_one(struct gj_db *db, sqlite3_stmt *st, const char *what, struct gj_error *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return GJ_OK;
    gj_stmt_done(st);
    if (rc == SQLITE_DONE)
        return gj_err(err, GJ_ENOTFOUND, _("%s: not found"), what);
    return gj_db_fail(db, rc, what, err);
}

int gj_db_int_of(struct gj_db *db, const char *sql, const int64_t *v, int nv, int64_t *out,
                 const char *what, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, sql, err);
    if (!st)
        return err->code;
    for (int i = 0; i < nv; i++)
        sqlite3_bind_int64(st, i + 1, v[i]);
    int rc = gj_step_one(db, st, what, err);
    if (rc == GJ_OK) {
        *out = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_step_guarded(struct gj_db *db, sqlite3_stmt *st, const char *entity, const char *label,
                    int64_t id, int exists, const char *what, struct gj_error *err)
{
    int rc = sqlite3_step(st);
    gj_stmt_done(st);
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, what, err);
    if (sqlite3_changes(db->h) == 1)
        return GJ_OK;
    if (!exists)
        return gj_err(err, GJ_ENOTFOUND, _("%s no longer exists"), label);
    return gj_db_conflict(db, entity, label, id, err);
}

int gj_step_rows(struct gj_db *db, sqlite3_stmt *st, int limit, void *rows, size_t elem_size,
                 void (*read)(sqlite3_stmt *, void *), int *n, const char *what,
                 struct gj_error *err)
{
    int rc = SQLITE_DONE;
    *n = 0;
    while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read(st, (char *)rows + (size_t)*n * elem_size);
        (*n)++;
    }
    if (rc == SQLITE_ROW)
        rc = SQLITE_DONE;
    gj_stmt_done(st);
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, what, err);
    return GJ_OK;
}

int gj_query_rows(struct gj_db *db, const char *sql, int64_t p1, int64_t p2, int limit, void *rows,
                  size_t elem_size, void (*read)(sqlite3_stmt *, void *), int *n, const char *what,
                  struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db, sql, err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, p1);
    sqlite3_bind_int64(st, 2, p2);
    sqlite3_bind_int(st, 3, limit);
    return gj_step_rows(db, st, limit, rows, elem_size, read, n, what, err);
}

int gj_ids_push(int64_t **ids, size_t *n, size_t *cap, int64_t id, struct gj_error *err)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        int64_t *more = realloc(*ids, c * sizeof *more);
        if (!more)
            return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
        *ids = more;
        *cap = c;
    }
    (*ids)[(*n)++] = id;
    return GJ_OK;
}

int gj_db_each_in_batches(struct gj_db *db, const int64_t *ids, size_t n, size_t per_tx,
                          gj_id_fn one, void *ctx, long *done, struct gj_error *err)
{
    *done = 0;
    if (per_tx == 0)
        per_tx = 1;
    int rc = GJ_OK;
    for (size_t i = 0; rc == GJ_OK && i < n; i += per_tx) {
        long in_tx = 0;
        if (i > 0)
            gj_db_give_way();
        rc = gj_db_begin(db, err);
        if (rc != GJ_OK)
            break;
        for (size_t j = i; rc == GJ_OK && j < n && j < i + per_tx; j++)
            rc = one(db, ids[j], ctx, &in_tx, err);
        rc = gj_tx_finish(db, rc, err);
        if (rc == GJ_OK)
            *done += in_tx;
    }
    return rc;
}
