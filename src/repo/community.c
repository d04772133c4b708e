/* Notices, activities and sign-ups, patrols and findings, drills and
 * incidents. */
#include "guanjia/repo_community.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_settings.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sla.h"
#include "guanjia/unitcode.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <string.h>

/* The nearest actions of roles.h (see the header). */
#define READ_ACTION  GJ_ACTION_VIEW_OWNERS
#define WRITE_ACTION GJ_ACTION_ADD_CONTACT

/* ==== the skeleton every kind of record shares ====================================== */

/* Reads the one row of sql (a literal with the id as its one parameter, or
 * none) into out with read; GJ_ENOTFOUND saying "WHAT: not found" when
 * there is none. */
static int read_one(struct gj_db *db, const char *sql, int64_t id,
                    void (*read)(sqlite3_stmt *, void *), void *out, const char *what,
                    struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, sql, err);
    if (!st)
        return err->code;
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, what, err);
    if (rc == GJ_OK) {
        read(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

/* A read_one reader of the count (an int64_t) in the first column. */
static void read_count(sqlite3_stmt *st, void *row)
{
    *(int64_t *)row = sqlite3_column_int64(st, 0);
}

/* One kind of record: its table, how one is read by its id, what the user
 * calls it ("notice #12"). */
struct kind {
    const char *table; /* as the audit log names it */
    const char *by_id; /* SELECT its columns ... WHERE id = ? (a literal) */
    void (*read)(sqlite3_stmt *st, void *row);
    void (*label)(int64_t id, char *out, size_t outsz);
};

/* Record id of kind k into out; GJ_ENOTFOUND when there is none. */
static int row_read(struct gj_db *db, const struct kind *k, int64_t id, void *out,
                    struct gj_error *err)
{
    char label[64];
    k->label(id, label, sizeof label);
    return read_one(db, k->by_id, id, k->read, out, label, err);
}

/* row_read for a role that may read. */
static int row_get(struct gj_db *db, enum gj_role role, const struct kind *k, int64_t id, void *out,
                   struct gj_error *err)
{
    int rc = gj_require(role, READ_ACTION, err);
    return rc == GJ_OK ? row_read(db, k, id, out, err) : rc;
}

/* Up to limit rows of sql (a literal) into rows (elem_size bytes each) with
 * read, for a role that may read: the n_params values of params bound to
 * parameters 1 to n_params, limit to the next one. */
static int list_rows(struct gj_db *db, enum gj_role role, const char *sql, const int64_t *params,
                     int n_params, int limit, void *rows, size_t elem_size,
                     void (*read)(sqlite3_stmt *, void *), int *n, const char *what,
                     struct gj_error *err)
{
    *n = 0;
    int rc = gj_require(role, READ_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db, sql, err);
    if (!st)
        return err->code;
    for (int i = 0; i < n_params; i++)
        sqlite3_bind_int64(st, i + 1, params[i]);
    sqlite3_bind_int(st, n_params + 1, limit);
    return gj_step_rows(db, st, limit, rows, elem_size, read, n, what, err);
}

/* Begins a write: the transaction, then the time it is made at. */
static int write_begin(struct gj_db *db, int64_t *now, struct gj_error *err)
{
    int rc = gj_db_begin(db, err);
    *now = rc == GJ_OK ? gj_now() : 0;
    return rc;
}

/* Ends the INSERT of a new record begun with write_begin (or gj_db_begin):
 * a refusal rc rolls back; else st (NULL: err says why it could not be
 * prepared) runs, as what, with now and actor bound at parameters at and
 * at + 1, and commits. On GJ_OK *id is the new record's and *meta its
 * first version. */
static int insert_end(struct gj_db *db, int rc, sqlite3_stmt *st, int at, int64_t now,
                      int64_t actor, const char *what, int64_t *id, struct gj_row_meta *meta,
                      struct gj_error *err)
{
    if (rc == GJ_OK && !st)
        rc = err->code;
    if (rc == GJ_OK) {
        sqlite3_bind_int64(st, at, now);
        gj_bind_id(st, at + 1, actor);
        rc = gj_db_exec_stmt(db, st, what, err);
    }
    int64_t new_id = rc == GJ_OK ? sqlite3_last_insert_rowid(db->h) : 0;
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        *id = new_id;
        *meta = (struct gj_row_meta){1, now, actor};
    }
    return rc;
}

/* A version-checked change of one record, in a transaction of its own:
 * begun by change_begin, ended by change_end. */
struct change {
    const struct kind *k;
    int64_t id, now;
    int exists; /* the record was there as the change began */
    char label[64];
};

/* Begins changing record id of kind k: the transaction, the time, and the
 * record as it is into cur (cursz bytes; zeroes when it is not there: the
 * UPDATE then says so). On GJ_OK the caller ends with change_end, or with
 * gj_tx_finish when it refuses. */
static int change_begin(struct gj_db *db, const struct kind *k, int64_t id, void *cur, size_t cursz,
                        struct change *c, struct gj_error *err)
{
    int rc = write_begin(db, &c->now, err);
    if (rc != GJ_OK)
        return rc;
    c->k = k;
    c->id = id;
    k->label(id, c->label, sizeof c->label);
    memset(cur, 0, cursz);
    struct gj_error e2;
    c->exists = row_read(db, k, id, cur, &e2) == GJ_OK;
    return GJ_OK;
}

/* Ends it: st, the UPDATE ... WHERE id = ? AND version = ? (NULL: err says
 * why it could not be prepared), runs with the time, the actor, the id and
 * the version *meta had bound at parameters at to at + 3, and commits. On
 * GJ_OK *meta is the new version's. */
static int change_end(struct gj_db *db, const struct change *c, sqlite3_stmt *st, int at,
                      int64_t actor, struct gj_row_meta *meta, struct gj_error *err)
{
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, at, c->now);
    gj_bind_id(st, at + 1, actor);
    sqlite3_bind_int64(st, at + 2, c->id);
    sqlite3_bind_int64(st, at + 3, meta->version);
    int rc = gj_step_guarded(db, st, c->k->table, c->label, c->id, c->exists, c->label, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK)
        *meta = (struct gj_row_meta){meta->version + 1, c->now, actor};
    return rc;
}

/* ==== notices ====================================================================== */

#define NOTICE_COLS                                                                                \
    "id, title, body, audience, coalesce(building, 0), coalesce(unit_id, 0), valid_from, "         \
    "valid_to, withdrawn, created_at, coalesce(created_by, 0), version, updated_at, "              \
    "coalesce(updated_by, 0)"

static void read_notice(sqlite3_stmt *st, void *row)
{
    struct gj_notice *n = row;
    memset(n, 0, sizeof *n);
    n->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, n->title, sizeof n->title);
    gj_col_text(st, 2, n->body, sizeof n->body);
    gj_col_text(st, 3, n->audience, sizeof n->audience);
    n->building = sqlite3_column_int(st, 4);
    n->unit_id = sqlite3_column_int64(st, 5);
    n->valid_from = sqlite3_column_int64(st, 6);
    n->valid_to = sqlite3_column_int64(st, 7);
    n->withdrawn = sqlite3_column_int(st, 8);
    n->created_at = sqlite3_column_int64(st, 9);
    n->created_by = sqlite3_column_int64(st, 10);
    gj_read_meta(st, 11, &n->meta);
}

static void notice_label(int64_t id, char *out, size_t outsz)
{
    snprintf(out, outsz, _("notice #%lld"), (long long)id);
}

static const struct kind notice_kind = {
    "notices", "SELECT " NOTICE_COLS " FROM notices WHERE id = ?", read_notice, notice_label};

/* Parameters 1-7 of both the INSERT and the UPDATE of a notice. */
static void bind_notice(sqlite3_stmt *st, const struct gj_notice *n)
{
    gj_bind_text(st, 1, n->title);
    gj_bind_text(st, 2, n->body);
    gj_bind_text(st, 3, n->audience);
    gj_bind_opt_i64(st, 4, n->building != 0, n->building);
    gj_bind_id(st, 5, n->unit_id);
    sqlite3_bind_int64(st, 6, n->valid_from);
    sqlite3_bind_int64(st, 7, n->valid_to);
}

int gj_notice_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_notice *out,
                  struct gj_error *err)
{
    return row_get(db, role, &notice_kind, id, out, err);
}

int gj_notice_create(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_notice *n,
                     struct gj_error *err)
{
    int64_t now = 0;
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_notice_validate(n, err);
    if (rc == GJ_OK)
        rc = write_begin(db, &now, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO notices(title, body, audience, building, unit_id, "
                                  "valid_from, valid_to, created_at, created_by, updated_at, "
                                  "updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8, ?9)",
                                  err);
    if (st)
        bind_notice(st, n);
    rc = insert_end(db, GJ_OK, st, 8, now, actor, _("posting a notice"), &n->id, &n->meta, err);
    if (rc == GJ_OK) {
        n->withdrawn = 0;
        n->created_at = now;
        n->created_by = actor;
    }
    return rc;
}

/* Changes notice n at its version, in one transaction: withdraws it, or
 * (withdraw 0) saves its fields. */
static int notice_change(struct gj_db *db, int64_t actor, struct gj_notice *n, int withdraw,
                         struct gj_error *err)
{
    struct gj_notice cur;
    struct change c;
    int rc = change_begin(db, &notice_kind, n->id, &cur, sizeof cur, &c, err);
    if (rc != GJ_OK)
        return rc;
    if (c.exists && cur.meta.version == n->meta.version && cur.withdrawn)
        return gj_tx_finish(db,
                            gj_err(err, GJ_EINVAL,
                                   withdraw
                                       ? _("%s has already been withdrawn")
                                       : _("%s has been withdrawn; it is not changed any more"),
                                   c.label),
                            err);
    sqlite3_stmt *st =
        withdraw ? gj_db_stmt(db,
                              "UPDATE notices SET withdrawn = 1, version = version + 1, "
                              "updated_at = ?8, updated_by = ?9 WHERE id = ?10 AND version = ?11",
                              err)
                 : gj_db_stmt(db,
                              "UPDATE notices SET title = ?1, body = ?2, audience = ?3, "
                              "building = ?4, unit_id = ?5, valid_from = ?6, valid_to = ?7, "
                              "version = version + 1, updated_at = ?8, updated_by = ?9 "
                              "WHERE id = ?10 AND version = ?11",
                              err);
    if (st && !withdraw)
        bind_notice(st, n);
    rc = change_end(db, &c, st, 8, actor, &n->meta, err);
    if (rc == GJ_OK && withdraw)
        n->withdrawn = 1;
    return rc;
}

int gj_notice_update(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_notice *n,
                     struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_notice_validate(n, err);
    return rc == GJ_OK ? notice_change(db, actor, n, 0, err) : rc;
}

int gj_notice_withdraw(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_notice *n,
                       struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    return rc == GJ_OK ? notice_change(db, actor, n, 1, err) : rc;
}

int gj_notices_valid(struct gj_db *db, enum gj_role role, int64_t at, int64_t unit_id, int building,
                     int64_t before_from, int64_t before_id, int limit, struct gj_notice *rows,
                     int *n, struct gj_error *err)
{
    *n = 0;
    int rc = gj_require(role, READ_ACTION, err);
    if (rc == GJ_OK && unit_id > 0) {
        /* what a unit sees: its building's notices too */
        int64_t b = 0;
        char what[64];
        snprintf(what, sizeof what, _("unit #%lld"), (long long)unit_id);
        rc = read_one(db, "SELECT building FROM units WHERE id = ?", unit_id, read_count, &b, what,
                      err);
        building = (int)b;
    }
    if (rc != GJ_OK)
        return rc;
    const int64_t params[] = {at, unit_id > 0 ? unit_id : 0, building > 0 ? building : 0,
                              before_from, before_id};
    /* withdrawn = 0 is a literal so that the partial index notices_current
     * (on valid_to) applies: few notices end after now. */
    return list_rows(
        db, role,
        "SELECT " NOTICE_COLS " FROM notices WHERE withdrawn = 0 AND valid_to >= ?1 "
        "AND valid_from <= ?1 AND ((?2 = 0 AND ?3 = 0) OR audience = 'estate' "
        "OR (audience = 'building' AND building = ?3) OR (audience = 'unit' AND unit_id = ?2)) "
        "AND (valid_from, id) < (?4, ?5) ORDER BY valid_from DESC, id DESC LIMIT ?6",
        params, 5, limit, rows, sizeof *rows, read_notice, n, _("listing the notices"), err);
}

/* ==== activities ==================================================================== */

#define ACTIVITY_COLS                                                                              \
    "id, title, place, starts_at, ends_at, coalesce(capacity, 0), note, cancelled, created_at, "   \
    "coalesce(created_by, 0), version, updated_at, coalesce(updated_by, 0), "                      \
    "(SELECT coalesce(sum(s.people), 0) FROM activity_signups s "                                  \
    "WHERE s.activity_id = activities.id AND s.cancelled = 0)"

static void read_activity(sqlite3_stmt *st, void *row)
{
    struct gj_activity *a = row;
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, a->title, sizeof a->title);
    gj_col_text(st, 2, a->place, sizeof a->place);
    a->starts_at = sqlite3_column_int64(st, 3);
    a->ends_at = sqlite3_column_int64(st, 4);
    a->capacity = sqlite3_column_int(st, 5);
    gj_col_text(st, 6, a->note, sizeof a->note);
    a->cancelled = sqlite3_column_int(st, 7);
    a->created_at = sqlite3_column_int64(st, 8);
    a->created_by = sqlite3_column_int64(st, 9);
    gj_read_meta(st, 10, &a->meta);
    a->signed_up = sqlite3_column_int(st, 13);
}

static void activity_label(int64_t id, char *out, size_t outsz)
{
    snprintf(out, outsz, _("activity #%lld"), (long long)id);
}

static const struct kind activity_kind = {"activities",
                                          "SELECT " ACTIVITY_COLS " FROM activities WHERE id = ?",
                                          read_activity, activity_label};

/* Parameters 1-6 of both the INSERT and the UPDATE of an activity. */
static void bind_activity(sqlite3_stmt *st, const struct gj_activity *a)
{
    gj_bind_text(st, 1, a->title);
    gj_bind_text(st, 2, a->place);
    sqlite3_bind_int64(st, 3, a->starts_at);
    sqlite3_bind_int64(st, 4, a->ends_at);
    gj_bind_opt_i64(st, 5, a->capacity > 0, a->capacity);
    gj_bind_text(st, 6, a->note);
}

int gj_activity_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_activity *out,
                    struct gj_error *err)
{
    return row_get(db, role, &activity_kind, id, out, err);
}

int gj_activity_create(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_activity *a,
                       struct gj_error *err)
{
    int64_t now = 0;
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_activity_validate(a, err);
    if (rc == GJ_OK)
        rc = write_begin(db, &now, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO activities(title, place, starts_at, ends_at, "
                                  "capacity, note, created_at, created_by, updated_at, "
                                  "updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?8)",
                                  err);
    if (st)
        bind_activity(st, a);
    rc = insert_end(db, GJ_OK, st, 7, now, actor, _("adding an activity"), &a->id, &a->meta, err);
    if (rc == GJ_OK) {
        a->cancelled = 0;
        a->signed_up = 0;
        a->created_at = now;
        a->created_by = actor;
    }
    return rc;
}

/* Changes activity a at its version, in one transaction: cancels it, or
 * (cancel 0) saves its fields. */
static int activity_change(struct gj_db *db, int64_t actor, struct gj_activity *a, int cancel,
                           struct gj_error *err)
{
    struct gj_activity cur;
    struct change c;
    int rc = change_begin(db, &activity_kind, a->id, &cur, sizeof cur, &c, err);
    if (rc != GJ_OK)
        return rc;
    if (c.exists && cur.meta.version == a->meta.version) {
        if (cur.cancelled)
            rc = gj_err(err, GJ_EINVAL,
                        cancel ? _("%s has already been cancelled")
                               : _("%s has been cancelled; it is not changed any more"),
                        c.label);
        else if (!cancel && a->capacity > 0 && a->capacity < cur.signed_up)
            rc = gj_err(err, GJ_ECONSTRAINT,
                        _("capacity: %d people have already signed up, more than %d"),
                        cur.signed_up, a->capacity);
        if (rc != GJ_OK)
            return gj_tx_finish(db, rc, err);
    }
    sqlite3_stmt *st =
        cancel ? gj_db_stmt(db,
                            "UPDATE activities SET cancelled = 1, version = version + 1, "
                            "updated_at = ?7, updated_by = ?8 WHERE id = ?9 AND version = ?10",
                            err)
               : gj_db_stmt(db,
                            "UPDATE activities SET title = ?1, place = ?2, starts_at = ?3, "
                            "ends_at = ?4, capacity = ?5, note = ?6, version = version + 1, "
                            "updated_at = ?7, updated_by = ?8 WHERE id = ?9 AND version = ?10",
                            err);
    if (st && !cancel)
        bind_activity(st, a);
    rc = change_end(db, &c, st, 7, actor, &a->meta, err);
    if (rc == GJ_OK) {
        if (cancel)
            a->cancelled = 1;
        a->signed_up = cur.signed_up;
    }
    return rc;
}

int gj_activity_update(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_activity *a,
                       struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_activity_validate(a, err);
    return rc == GJ_OK ? activity_change(db, actor, a, 0, err) : rc;
}

int gj_activity_cancel(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_activity *a,
                       struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    return rc == GJ_OK ? activity_change(db, actor, a, 1, err) : rc;
}

int gj_activities_upcoming(struct gj_db *db, enum gj_role role, int64_t now, int64_t after_starts,
                           int64_t after_id, int limit, struct gj_activity *rows, int *n,
                           struct gj_error *err)
{
    const int64_t params[] = {now, after_starts, after_id};
    /* cancelled = 0 is a literal so that the partial index activities_upcoming
     * (on ends_at) applies: few activities end after now. */
    return list_rows(db, role,
                     "SELECT " ACTIVITY_COLS " FROM activities WHERE cancelled = 0 "
                     "AND ends_at >= ?1 AND (starts_at, id) > (?2, ?3) "
                     "ORDER BY starts_at, id LIMIT ?4",
                     params, 3, limit, rows, sizeof *rows, read_activity, n,
                     _("listing the upcoming activities"), err);
}

/* ---- sign-ups ------------------------------------------------------------------------ */

#define SIGNUP_COLS                                                                                \
    "id, activity_id, unit_id, coalesce(person_id, 0), people, at, coalesce(by_user, 0), "         \
    "cancelled, version, updated_at, coalesce(updated_by, 0)"

static void read_signup(sqlite3_stmt *st, void *row)
{
    struct gj_signup *s = row;
    memset(s, 0, sizeof *s);
    s->id = sqlite3_column_int64(st, 0);
    s->activity_id = sqlite3_column_int64(st, 1);
    s->unit_id = sqlite3_column_int64(st, 2);
    s->person_id = sqlite3_column_int64(st, 3);
    s->people = sqlite3_column_int(st, 4);
    s->at = sqlite3_column_int64(st, 5);
    s->by_user = sqlite3_column_int64(st, 6);
    s->cancelled = sqlite3_column_int(st, 7);
    gj_read_meta(st, 8, &s->meta);
}

static void signup_label(int64_t id, char *out, size_t outsz)
{
    snprintf(out, outsz, _("sign-up #%lld"), (long long)id);
}

static const struct kind signup_kind = {"activity_signups",
                                        "SELECT " SIGNUP_COLS " FROM activity_signups WHERE id = ?",
                                        read_signup, signup_label};

int gj_signup_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_signup *out,
                  struct gj_error *err)
{
    return row_get(db, role, &signup_kind, id, out, err);
}

static void read_unitcode(sqlite3_stmt *st, void *row)
{
    struct gj_unitcode *u = row;
    *u = (struct gj_unitcode){sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
                              sqlite3_column_int(st, 2)};
}

/* The code of a unit ("3-2-501") into out (24 bytes); GJ_ENOTFOUND
 * saying "unit #ID: not found" when there is none. */
static int unit_code(struct gj_db *db, int64_t unit_id, char *out, size_t outsz,
                     struct gj_error *err)
{
    char what[64];
    snprintf(what, sizeof what, _("unit #%lld"), (long long)unit_id);
    struct gj_unitcode u;
    int rc = read_one(db, "SELECT building, entrance, room FROM units WHERE id = ?", unit_id,
                      read_unitcode, &u, what, err);
    if (rc == GJ_OK)
        gj_unitcode_format(&u, out, outsz);
    return rc;
}

/* The checks of a new sign-up s at now, inside the transaction: the
 * activity open for it, the unit there and not signed up yet, places
 * left. */
static int signup_allowed(struct gj_db *db, const struct gj_signup *s, int64_t now,
                          struct gj_error *err)
{
    struct gj_activity a;
    int rc = row_read(db, &activity_kind, s->activity_id, &a, err);
    if (rc != GJ_OK)
        return rc;
    char label[64];
    activity_label(a.id, label, sizeof label);
    if (a.cancelled)
        return gj_err(err, GJ_EINVAL, _("%s (%s) has been cancelled; nobody can sign up for it"),
                      label, a.title);
    if (a.ends_at < now)
        return gj_err(err, GJ_EINVAL, _("%s (%s) is over; nobody can sign up for it any more"),
                      label, a.title);
    char code[32];
    rc = unit_code(db, s->unit_id, code, sizeof code, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT id, people FROM activity_signups WHERE activity_id = ? "
                                  "AND unit_id = ? AND cancelled = 0",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, s->activity_id);
    sqlite3_bind_int64(st, 2, s->unit_id);
    int step = sqlite3_step(st);
    int64_t other = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    int people = step == SQLITE_ROW ? sqlite3_column_int(st, 1) : 0;
    gj_stmt_done(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return gj_db_fail(db, step, _("signing up for an activity"), err);
    if (other)
        return gj_err(err, GJ_ECONSTRAINT,
                      _("unit %s has already signed up for %s (%s): sign-up #%lld for %d people; "
                        "cancel it to sign up anew"),
                      code, label, a.title, (long long)other, people);
    return gj_activity_places_check(a.capacity, a.signed_up, s->people, err);
}

int gj_signup_add(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_signup *s,
                  struct gj_error *err)
{
    int64_t now = 0;
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_signup_validate(s, err);
    if (rc == GJ_OK)
        rc = write_begin(db, &now, err);
    if (rc != GJ_OK)
        return rc;
    rc = signup_allowed(db, s, now, err);
    sqlite3_stmt *st = NULL;
    if (rc == GJ_OK)
        st = gj_db_stmt(db,
                        "INSERT INTO activity_signups(activity_id, unit_id, person_id, people, at, "
                        "by_user, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
                        err);
    if (st) {
        sqlite3_bind_int64(st, 1, s->activity_id);
        sqlite3_bind_int64(st, 2, s->unit_id);
        gj_bind_id(st, 3, s->person_id);
        sqlite3_bind_int(st, 4, s->people);
    }
    rc = insert_end(db, rc, st, 5, now, actor, _("signing up for an activity"), &s->id, &s->meta,
                    err);
    if (rc == GJ_OK) {
        s->at = now;
        s->by_user = actor;
        s->cancelled = 0;
    }
    return rc;
}

int gj_signup_cancel(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_signup *s,
                     struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    struct gj_signup cur;
    struct change c;
    rc = change_begin(db, &signup_kind, s->id, &cur, sizeof cur, &c, err);
    if (rc != GJ_OK)
        return rc;
    if (c.exists && cur.meta.version == s->meta.version && cur.cancelled)
        return gj_tx_finish(db, gj_err(err, GJ_EINVAL, _("%s has already been cancelled"), c.label),
                            err);
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE activity_signups SET cancelled = 1, version = version + "
                                  "1, updated_at = ?1, updated_by = ?2 WHERE id = ?3 AND "
                                  "version = ?4",
                                  err);
    rc = change_end(db, &c, st, 1, actor, &s->meta, err);
    if (rc == GJ_OK)
        s->cancelled = 1;
    return rc;
}

int gj_signups_list(struct gj_db *db, enum gj_role role, int64_t activity_id, int all,
                    int64_t after_id, int limit, struct gj_signup *rows, int *n,
                    struct gj_error *err)
{
    const int64_t params[] = {activity_id, all ? 1 : 0, after_id};
    return list_rows(db, role,
                     "SELECT " SIGNUP_COLS " FROM activity_signups "
                     "WHERE activity_id = ?1 AND (?2 = 1 OR cancelled = 0) "
                     "AND id > ?3 ORDER BY id LIMIT ?4",
                     params, 3, limit, rows, sizeof *rows, read_signup, n,
                     _("listing the sign-ups"), err);
}

static void read_signed_up(sqlite3_stmt *st, void *row)
{
    int *people_units = row;
    people_units[0] = sqlite3_column_int(st, 0);
    people_units[1] = sqlite3_column_int(st, 1);
}

int gj_activity_signed_up(struct gj_db *db, enum gj_role role, int64_t activity_id, int *people,
                          int *units, struct gj_error *err)
{
    *people = *units = 0;
    int rc = gj_require(role, READ_ACTION, err);
    int counts[2] = {0, 0};
    if (rc == GJ_OK)
        rc = read_one(db,
                      "SELECT coalesce(sum(people), 0), count(*) FROM activity_signups "
                      "WHERE activity_id = ? AND cancelled = 0",
                      activity_id, read_signed_up, counts, _("counting the sign-ups"), err);
    *people = counts[0];
    *units = counts[1];
    return rc;
}

/* ==== patrols ======================================================================= */

#define PATROL_COLS                                                                                \
    "p.id, p.route, p.started_at, coalesce(p.ended_at, 0), coalesce(p.by_user, 0), p.note, "       \
    "p.version, p.updated_at, coalesce(p.updated_by, 0), "                                         \
    "(SELECT count(*) FROM patrol_findings f WHERE f.patrol_id = p.id), "                          \
    "(SELECT count(f.work_order_id) FROM patrol_findings f WHERE f.patrol_id = p.id)"

static void read_patrol(sqlite3_stmt *st, void *row)
{
    struct gj_patrol *p = row;
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, p->route, sizeof p->route);
    p->started_at = sqlite3_column_int64(st, 2);
    p->ended_at = sqlite3_column_int64(st, 3);
    p->by_user = sqlite3_column_int64(st, 4);
    gj_col_text(st, 5, p->note, sizeof p->note);
    gj_read_meta(st, 6, &p->meta);
    p->findings = sqlite3_column_int(st, 9);
    p->orders = sqlite3_column_int(st, 10);
}

static void patrol_label(int64_t id, char *out, size_t outsz)
{
    snprintf(out, outsz, _("patrol #%lld"), (long long)id);
}

static const struct kind patrol_kind = {
    "patrols", "SELECT " PATROL_COLS " FROM patrols p WHERE p.id = ?", read_patrol, patrol_label};

/* Parameters 1-2 of both the INSERT and the UPDATE of a patrol. */
static void bind_patrol(sqlite3_stmt *st, const struct gj_patrol *p)
{
    gj_bind_text(st, 1, p->route);
    gj_bind_text(st, 2, p->note);
}

int gj_patrol_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_patrol *out,
                  struct gj_error *err)
{
    return row_get(db, role, &patrol_kind, id, out, err);
}

int gj_patrol_start(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_patrol *p,
                    struct gj_error *err)
{
    int64_t now = gj_now();
    struct gj_patrol np = *p;
    np.started_at = p->started_at ? p->started_at : now;
    np.ended_at = 0;
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_patrol_validate(&np, err);
    if (rc == GJ_OK && np.started_at > now)
        rc = gj_err(err, GJ_EINVAL, "%s", _("started: must not be in the future"));
    if (rc == GJ_OK)
        rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO patrols(route, note, started_at, updated_at, "
                                  "by_user, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                                  err);
    if (st) {
        bind_patrol(st, &np);
        sqlite3_bind_int64(st, 3, np.started_at);
    }
    rc = insert_end(db, GJ_OK, st, 4, now, actor, _("starting a patrol"), &np.id, &np.meta, err);
    if (rc == GJ_OK) {
        np.by_user = actor;
        np.findings = np.orders = 0;
        *p = np;
    }
    return rc;
}

/* Changes patrol p at its version, in one transaction: ends it now, or
 * (end 0) saves its route and note. */
static int patrol_change(struct gj_db *db, int64_t actor, struct gj_patrol *p, int end,
                         struct gj_error *err)
{
    struct gj_patrol cur;
    struct change c;
    int rc = change_begin(db, &patrol_kind, p->id, &cur, sizeof cur, &c, err);
    if (rc != GJ_OK)
        return rc;
    if (end && c.exists && cur.meta.version == p->meta.version) {
        if (cur.ended_at)
            rc = gj_err(err, GJ_EINVAL, _("%s has already ended"), c.label);
        else if (c.now < cur.started_at)
            rc = gj_err(err, GJ_EINVAL, "%s", _("ended: must not be before the patrol started"));
        if (rc != GJ_OK)
            return gj_tx_finish(db, rc, err);
    }
    sqlite3_stmt *st =
        end ? gj_db_stmt(db,
                         "UPDATE patrols SET ended_at = ?3, version = version + 1, "
                         "updated_at = ?3, updated_by = ?4 WHERE id = ?5 AND version = ?6",
                         err)
            : gj_db_stmt(db,
                         "UPDATE patrols SET route = ?1, note = ?2, version = version + 1, "
                         "updated_at = ?3, updated_by = ?4 WHERE id = ?5 AND version = ?6",
                         err);
    if (st && !end)
        bind_patrol(st, p);
    rc = change_end(db, &c, st, 3, actor, &p->meta, err);
    if (rc == GJ_OK && end)
        p->ended_at = c.now;
    return rc;
}

int gj_patrol_update(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_patrol *p,
                     struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_patrol_validate(p, err);
    return rc == GJ_OK ? patrol_change(db, actor, p, 0, err) : rc;
}

int gj_patrol_end(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_patrol *p,
                  struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    return rc == GJ_OK ? patrol_change(db, actor, p, 1, err) : rc;
}

int gj_patrols_recent(struct gj_db *db, enum gj_role role, int64_t before_started,
                      int64_t before_id, int limit, struct gj_patrol *rows, int *n,
                      struct gj_error *err)
{
    const int64_t params[] = {before_started, before_id};
    return list_rows(db, role,
                     "SELECT " PATROL_COLS " FROM patrols p "
                     "WHERE (p.started_at, p.id) < (?1, ?2) "
                     "ORDER BY p.started_at DESC, p.id DESC LIMIT ?3",
                     params, 2, limit, rows, sizeof *rows, read_patrol, n, _("listing the patrols"),
                     err);
}

/* ---- findings ------------------------------------------------------------------------ */

#define FINDING_COLS                                                                               \
    "id, patrol_id, at, location, what, severity, coalesce(work_order_id, 0), "                    \
    "coalesce(by_user, 0), version, updated_at, coalesce(updated_by, 0)"

static void read_finding(sqlite3_stmt *st, void *row)
{
    struct gj_finding *f = row;
    memset(f, 0, sizeof *f);
    f->id = sqlite3_column_int64(st, 0);
    f->patrol_id = sqlite3_column_int64(st, 1);
    f->at = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, f->location, sizeof f->location);
    gj_col_text(st, 4, f->what, sizeof f->what);
    gj_col_text(st, 5, f->severity, sizeof f->severity);
    f->work_order_id = sqlite3_column_int64(st, 6);
    f->by_user = sqlite3_column_int64(st, 7);
    gj_read_meta(st, 8, &f->meta);
}

static void finding_label(int64_t id, char *out, size_t outsz)
{
    snprintf(out, outsz, _("finding #%lld"), (long long)id);
}

static const struct kind finding_kind = {
    "patrol_findings", "SELECT " FINDING_COLS " FROM patrol_findings WHERE id = ?", read_finding,
    finding_label};

/* Parameters 1-3 of both the INSERT and the UPDATE of a finding. */
static void bind_finding(sqlite3_stmt *st, const struct gj_finding *f)
{
    gj_bind_text(st, 1, f->location);
    gj_bind_text(st, 2, f->what);
    gj_bind_text(st, 3, f->severity);
}

int gj_finding_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_finding *out,
                   struct gj_error *err)
{
    return row_get(db, role, &finding_kind, id, out, err);
}

/* The checks of a new finding on its patrol at `at`, inside the
 * transaction: the patrol under way, and started by then. */
static int finding_allowed(struct gj_db *db, const struct gj_finding *f, int64_t at,
                           struct gj_error *err)
{
    struct gj_patrol p;
    int rc = row_read(db, &patrol_kind, f->patrol_id, &p, err);
    if (rc != GJ_OK)
        return rc;
    char label[64];
    patrol_label(p.id, label, sizeof label);
    if (p.ended_at)
        return gj_err(err, GJ_EINVAL,
                      _("%s has ended; findings are recorded while the patrol is under way"),
                      label);
    if (at < p.started_at)
        return gj_err(err, GJ_EINVAL, "%s", _("found at: must not be before the patrol started"));
    return GJ_OK;
}

int gj_finding_add(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_finding *f,
                   struct gj_error *err)
{
    int64_t now = 0;
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_finding_validate(f, err);
    if (rc == GJ_OK)
        rc = write_begin(db, &now, err);
    if (rc != GJ_OK)
        return rc;
    int64_t at = f->at ? f->at : now;
    rc = finding_allowed(db, f, at, err);
    sqlite3_stmt *st = NULL;
    if (rc == GJ_OK)
        st = gj_db_stmt(db,
                        "INSERT INTO patrol_findings(location, what, severity, patrol_id, at, "
                        "updated_at, by_user, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                        err);
    if (st) {
        bind_finding(st, f);
        sqlite3_bind_int64(st, 4, f->patrol_id);
        sqlite3_bind_int64(st, 5, at);
    }
    rc = insert_end(db, rc, st, 6, now, actor, _("recording a patrol finding"), &f->id, &f->meta,
                    err);
    if (rc == GJ_OK) {
        f->at = at;
        f->work_order_id = 0;
        f->by_user = actor;
    }
    return rc;
}

int gj_finding_update(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_finding *f,
                      struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_finding_validate(f, err);
    struct gj_finding cur;
    struct change c;
    if (rc == GJ_OK)
        rc = change_begin(db, &finding_kind, f->id, &cur, sizeof cur, &c, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE patrol_findings SET location = ?1, what = ?2, "
                                  "severity = ?3, version = version + 1, updated_at = ?4, "
                                  "updated_by = ?5 WHERE id = ?6 AND version = ?7",
                                  err);
    if (st)
        bind_finding(st, f);
    return change_end(db, &c, st, 4, actor, &f->meta, err);
}

int gj_findings_list(struct gj_db *db, enum gj_role role, int64_t patrol_id, int64_t after_id,
                     int limit, struct gj_finding *rows, int *n, struct gj_error *err)
{
    const int64_t params[] = {patrol_id, after_id};
    return list_rows(db, role,
                     "SELECT " FINDING_COLS " FROM patrol_findings "
                     "WHERE patrol_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
                     params, 2, limit, rows, sizeof *rows, read_finding, n,
                     _("listing the findings of a patrol"), err);
}

/* Links finding f to work order wo_id, inside the caller's transaction:
 * only a finding not linked yet (the guard in the WHERE). */
static int link_finding(struct gj_db *db, int64_t actor, const struct gj_finding *f, int64_t wo_id,
                        int64_t now, const char *label, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE patrol_findings SET work_order_id = ?1, "
                                  "version = version + 1, updated_at = ?2, updated_by = ?3 "
                                  "WHERE id = ?4 AND work_order_id IS NULL",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, wo_id);
    sqlite3_bind_int64(st, 2, now);
    gj_bind_id(st, 3, actor);
    sqlite3_bind_int64(st, 4, f->id);
    int rc = gj_db_exec_stmt(db, st, label, err);
    if (rc == GJ_OK && sqlite3_changes(db->h) != 1)
        rc = gj_err(err, GJ_ECONSTRAINT, _("%s has already been turned into a work order"), label);
    return rc;
}

int gj_finding_to_work_order(struct gj_db *db, int64_t actor, enum gj_role role, int64_t finding_id,
                             int64_t unit_id, const char *category, const char *priority,
                             int64_t *wo_id, struct gj_error *err)
{
    int rc = gj_require(role, GJ_ACTION_CREATE_WORK_ORDER, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    char label[64];
    finding_label(finding_id, label, sizeof label);
    struct gj_finding f;
    struct gj_patrol p;
    rc = row_read(db, &finding_kind, finding_id, &f, err);
    if (rc == GJ_OK && f.work_order_id)
        rc = gj_err(err, GJ_ECONSTRAINT, _("%s has already been turned into work order #%lld"),
                    label, (long long)f.work_order_id);
    if (rc == GJ_OK)
        rc = row_read(db, &patrol_kind, f.patrol_id, &p, err);
    /* The order, as the intake makes one: deadlines from the SLA targets. */
    struct gj_work_order wo;
    memset(&wo, 0, sizeof wo);
    if (rc == GJ_OK) {
        wo.unit_id = unit_id > 0 ? unit_id : 0;
        snprintf(wo.channel, sizeof wo.channel, "%s", "other");
        gj_text_copy(wo.category, sizeof wo.category, category);
        const char *pr = priority && *priority ? priority : gj_finding_priority(f.severity);
        gj_text_copy(wo.priority, sizeof wo.priority, pr);
        snprintf(wo.description, sizeof wo.description, _("Patrol finding (%s, %s): %s"), p.route,
                 f.location, f.what);
        struct gj_sla_target sla;
        rc = gj_sla_get(db, "work_order", wo.priority, &sla, err);
        if (rc == GJ_OK) {
            wo.created_at = gj_now();
            gj_wo_set_deadlines(&wo, sla.respond_minutes, sla.resolve_minutes);
            rc = gj_wo_create(db, actor, &wo, err);
        }
    }
    if (rc == GJ_OK)
        rc = link_finding(db, actor, &f, wo.id, wo.created_at, label, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK && wo_id)
        *wo_id = wo.id;
    return rc;
}

/* ==== drills ======================================================================== */

#define DRILL_COLS                                                                                 \
    "id, kind, held_at, place, participants, note, coalesce(by_user, 0), version, updated_at, "    \
    "coalesce(updated_by, 0)"

static void read_drill(sqlite3_stmt *st, void *row)
{
    struct gj_drill *d = row;
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, d->kind, sizeof d->kind);
    d->held_at = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, d->place, sizeof d->place);
    d->participants = sqlite3_column_int(st, 4);
    gj_col_text(st, 5, d->note, sizeof d->note);
    d->by_user = sqlite3_column_int64(st, 6);
    gj_read_meta(st, 7, &d->meta);
}

static void drill_label(int64_t id, char *out, size_t outsz)
{
    snprintf(out, outsz, _("drill #%lld"), (long long)id);
}

static const struct kind drill_kind = {"drills", "SELECT " DRILL_COLS " FROM drills WHERE id = ?",
                                       read_drill, drill_label};

/* Parameters 1-5 of both the INSERT and the UPDATE of a drill. */
static void bind_drill(sqlite3_stmt *st, const struct gj_drill *d)
{
    gj_bind_text(st, 1, d->kind);
    sqlite3_bind_int64(st, 2, d->held_at);
    gj_bind_text(st, 3, d->place);
    sqlite3_bind_int(st, 4, d->participants);
    gj_bind_text(st, 5, d->note);
}

int gj_drill_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_drill *out,
                 struct gj_error *err)
{
    return row_get(db, role, &drill_kind, id, out, err);
}

int gj_drill_add(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_drill *d,
                 struct gj_error *err)
{
    int64_t now = 0;
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_drill_validate(d, err);
    if (rc == GJ_OK)
        rc = write_begin(db, &now, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO drills(kind, held_at, place, participants, note, "
                                  "updated_at, by_user, updated_by) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                                  err);
    if (st)
        bind_drill(st, d);
    rc = insert_end(db, GJ_OK, st, 6, now, actor, _("recording a drill"), &d->id, &d->meta, err);
    if (rc == GJ_OK)
        d->by_user = actor;
    return rc;
}

int gj_drill_update(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_drill *d,
                    struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_drill_validate(d, err);
    struct gj_drill cur;
    struct change c;
    if (rc == GJ_OK)
        rc = change_begin(db, &drill_kind, d->id, &cur, sizeof cur, &c, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE drills SET kind = ?1, held_at = ?2, place = ?3, "
                                  "participants = ?4, note = ?5, version = version + 1, "
                                  "updated_at = ?6, updated_by = ?7 WHERE id = ?8 AND version = ?9",
                                  err);
    if (st)
        bind_drill(st, d);
    return change_end(db, &c, st, 6, actor, &d->meta, err);
}

int gj_drills_list(struct gj_db *db, enum gj_role role, int64_t before_held, int64_t before_id,
                   int limit, struct gj_drill *rows, int *n, struct gj_error *err)
{
    const int64_t params[] = {before_held, before_id};
    return list_rows(db, role,
                     "SELECT " DRILL_COLS " FROM drills WHERE (held_at, id) < (?1, ?2) "
                     "ORDER BY held_at DESC, id DESC LIMIT ?3",
                     params, 2, limit, rows, sizeof *rows, read_drill, n, _("listing the drills"),
                     err);
}

/* ==== incidents ===================================================================== */

#define INCIDENT_COLS                                                                              \
    "id, what, happened_at, place, actions, informed, coalesce(closed_at, 0), closing_note, "      \
    "created_at, coalesce(created_by, 0), version, updated_at, coalesce(updated_by, 0)"

static void read_incident(sqlite3_stmt *st, void *row)
{
    struct gj_incident *i = row;
    memset(i, 0, sizeof *i);
    i->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, i->what, sizeof i->what);
    i->happened_at = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, i->place, sizeof i->place);
    gj_col_text(st, 4, i->actions, sizeof i->actions);
    gj_col_text(st, 5, i->informed, sizeof i->informed);
    i->closed_at = sqlite3_column_int64(st, 6);
    gj_col_text(st, 7, i->closing_note, sizeof i->closing_note);
    i->created_at = sqlite3_column_int64(st, 8);
    i->created_by = sqlite3_column_int64(st, 9);
    gj_read_meta(st, 10, &i->meta);
}

static void incident_label(int64_t id, char *out, size_t outsz)
{
    snprintf(out, outsz, _("incident #%lld"), (long long)id);
}

static const struct kind incident_kind = {"incidents",
                                          "SELECT " INCIDENT_COLS " FROM incidents WHERE id = ?",
                                          read_incident, incident_label};

/* Parameters 1-5 of both the INSERT and the UPDATE of an incident: what
 * the user records. */
static void bind_incident(sqlite3_stmt *st, const struct gj_incident *i)
{
    gj_bind_text(st, 1, i->what);
    sqlite3_bind_int64(st, 2, i->happened_at);
    gj_bind_text(st, 3, i->place);
    gj_bind_text(st, 4, i->actions);
    gj_bind_text(st, 5, i->informed);
}

int gj_incident_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_incident *out,
                    struct gj_error *err)
{
    return row_get(db, role, &incident_kind, id, out, err);
}

/* The checks of the fields a user writes, at now: core's, and no time in
 * the future. */
static int incident_check(const struct gj_incident *i, int64_t now, struct gj_error *err)
{
    int rc = gj_incident_validate(i, err);
    if (rc == GJ_OK && i->happened_at > now)
        rc = gj_err(err, GJ_EINVAL, "%s", _("happened at: must not be in the future"));
    return rc;
}

int gj_incident_open(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_incident *i,
                     struct gj_error *err)
{
    int64_t now = gj_now();
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    /* checked as it will be written: open */
    struct gj_incident ni = *i;
    ni.closed_at = 0;
    ni.closing_note[0] = '\0';
    rc = incident_check(&ni, now, err);
    if (rc == GJ_OK)
        rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO incidents(what, happened_at, place, actions, "
                                  "informed, created_at, created_by, updated_at, updated_by) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7)",
                                  err);
    if (st)
        bind_incident(st, &ni);
    rc = insert_end(db, GJ_OK, st, 6, now, actor, _("opening an incident"), &ni.id, &ni.meta, err);
    if (rc == GJ_OK) {
        ni.created_at = now;
        ni.created_by = actor;
        *i = ni;
    }
    return rc;
}

/* Changes incident i at its version, in one transaction: closes it now
 * with closing_note, or (close 0) saves what the user records. */
static int incident_change(struct gj_db *db, int64_t actor, struct gj_incident *i, int close,
                           const char *closing_note, struct gj_error *err)
{
    struct gj_incident cur;
    struct change c;
    int rc = change_begin(db, &incident_kind, i->id, &cur, sizeof cur, &c, err);
    if (rc != GJ_OK)
        return rc;
    if (c.exists && cur.meta.version == i->meta.version) {
        if (cur.closed_at)
            rc = gj_err(err, GJ_EINVAL,
                        close ? _("%s has already been closed")
                              : _("%s has been closed; it is not changed any more"),
                        c.label);
        else if (close)
            rc = gj_incident_close_check(&cur, err);
        if (rc == GJ_OK && close && c.now < cur.happened_at)
            rc = gj_err(err, GJ_EINVAL, "%s", _("closed: must not be before it happened"));
        if (rc != GJ_OK)
            return gj_tx_finish(db, rc, err);
    }
    sqlite3_stmt *st =
        close ? gj_db_stmt(db,
                           "UPDATE incidents SET closed_at = ?6, closing_note = ?10, "
                           "version = version + 1, updated_at = ?6, updated_by = ?7 "
                           "WHERE id = ?8 AND version = ?9",
                           err)
              : gj_db_stmt(db,
                           "UPDATE incidents SET what = ?1, happened_at = ?2, place = ?3, "
                           "actions = ?4, informed = ?5, version = version + 1, "
                           "updated_at = ?6, updated_by = ?7 WHERE id = ?8 AND version = ?9",
                           err);
    if (st && close)
        gj_bind_text(st, 10, closing_note);
    else if (st)
        bind_incident(st, i);
    rc = change_end(db, &c, st, 6, actor, &i->meta, err);
    if (rc == GJ_OK && close) {
        i->closed_at = c.now;
        gj_text_copy(i->closing_note, sizeof i->closing_note, closing_note);
    }
    return rc;
}

int gj_incident_record(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_incident *i,
                       struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = incident_check(i, gj_now(), err);
    return rc == GJ_OK ? incident_change(db, actor, i, 0, NULL, err) : rc;
}

int gj_incident_close(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_incident *i,
                      const char *closing_note, struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_text_check(closing_note, _("closing note"), GJ_NOTE_CHARS, 0, 1, err);
    return rc == GJ_OK ? incident_change(db, actor, i, 1, closing_note ? closing_note : "", err)
                       : rc;
}

int gj_incidents_list(struct gj_db *db, enum gj_role role, int open_only, int after_closed,
                      int64_t after_happened, int64_t after_id, int limit, struct gj_incident *rows,
                      int *n, struct gj_error *err)
{
    const int64_t params[] = {after_closed ? 1 : 0, after_happened, after_id};
    /* The open ones walk the partial index incidents_open; the whole list
     * is sorted (incidents are few). */
    return list_rows(
        db, role,
        open_only ? "SELECT " INCIDENT_COLS " FROM incidents WHERE closed_at IS NULL "
                    "AND ?1 = 0 AND (happened_at, id) < (?2, ?3) "
                    "ORDER BY happened_at DESC, id DESC LIMIT ?4"
                  : "SELECT " INCIDENT_COLS " FROM incidents "
                    "WHERE (closed_at IS NOT NULL) > ?1 OR ((closed_at IS NOT NULL) = ?1 "
                    "AND (happened_at, id) < (?2, ?3)) "
                    "ORDER BY closed_at IS NOT NULL, happened_at DESC, id DESC LIMIT ?4",
        params, 3, limit, rows, sizeof *rows, read_incident, n, _("listing the incidents"), err);
}

int gj_incidents_count_open(struct gj_db *db, enum gj_role role, int64_t *count,
                            struct gj_error *err)
{
    *count = 0;
    int rc = gj_require(role, READ_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    return read_one(db, "SELECT count(*) FROM incidents WHERE closed_at IS NULL", 0, read_count,
                    count, _("counting the open incidents"), err);
}
