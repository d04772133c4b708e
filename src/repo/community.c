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

/* Reads one row of sql (a literal with one parameter, the id) into out
 * with read; GJ_ENOTFOUND saying "WHAT: not found" when there is none. */
static int read_by_id(struct gj_db *db, const char *sql, int64_t id,
                      void (*read)(sqlite3_stmt *, void *), void *out, const char *what,
                      struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, sql, err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, what, err);
    if (rc == GJ_OK) {
        read(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

/* The count in the first column of sql (one parameter, or none when id is
 * 0 and sql has none). */
static int count_of(struct gj_db *db, const char *sql, int64_t id, int64_t *count, const char *what,
                    struct gj_error *err)
{
    *count = 0;
    sqlite3_stmt *st = gj_db_stmt(db, sql, err);
    if (!st)
        return err->code;
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, what, err);
    if (rc == GJ_OK) {
        *count = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
    }
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

static int notice_read(struct gj_db *db, int64_t id, struct gj_notice *out, struct gj_error *err)
{
    char label[64];
    notice_label(id, label, sizeof label);
    return read_by_id(db, "SELECT " NOTICE_COLS " FROM notices WHERE id = ?", id, read_notice, out,
                      label, err);
}

int gj_notice_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_notice *out,
                  struct gj_error *err)
{
    int rc = gj_require(role, READ_ACTION, err);
    return rc == GJ_OK ? notice_read(db, id, out, err) : rc;
}

int gj_notice_create(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_notice *n,
                     struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_notice_validate(n, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO notices(title, body, audience, building, unit_id, "
                                  "valid_from, valid_to, created_at, created_by, updated_at, "
                                  "updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8, ?9)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    gj_bind_text(st, 1, n->title);
    gj_bind_text(st, 2, n->body);
    gj_bind_text(st, 3, n->audience);
    gj_bind_opt_i64(st, 4, n->building != 0, n->building);
    gj_bind_id(st, 5, n->unit_id);
    sqlite3_bind_int64(st, 6, n->valid_from);
    sqlite3_bind_int64(st, 7, n->valid_to);
    sqlite3_bind_int64(st, 8, now);
    gj_bind_id(st, 9, actor);
    rc = gj_db_exec_stmt(db, st, _("posting a notice"), err);
    int64_t id = rc == GJ_OK ? sqlite3_last_insert_rowid(db->h) : 0;
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        n->id = id;
        n->withdrawn = 0;
        n->created_at = now;
        n->created_by = actor;
        n->meta = (struct gj_row_meta){1, now, actor};
    }
    return rc;
}

/* Changes notice n at its version, in one transaction: withdraws it, or
 * (withdraw 0) saves its fields. */
static int notice_change(struct gj_db *db, int64_t actor, struct gj_notice *n, int withdraw,
                         struct gj_error *err)
{
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[64];
    notice_label(n->id, label, sizeof label);
    struct gj_notice cur;
    memset(&cur, 0, sizeof cur);
    struct gj_error e2;
    int exists = notice_read(db, n->id, &cur, &e2) == GJ_OK;
    if (exists && cur.meta.version == n->meta.version && cur.withdrawn)
        return gj_tx_finish(db,
                            gj_err(err, GJ_EINVAL,
                                   withdraw
                                       ? _("%s has already been withdrawn")
                                       : _("%s has been withdrawn; it is not changed any more"),
                                   label),
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
    if (!st)
        return gj_tx_finish(db, err->code, err);
    if (!withdraw) {
        gj_bind_text(st, 1, n->title);
        gj_bind_text(st, 2, n->body);
        gj_bind_text(st, 3, n->audience);
        gj_bind_opt_i64(st, 4, n->building != 0, n->building);
        gj_bind_id(st, 5, n->unit_id);
        sqlite3_bind_int64(st, 6, n->valid_from);
        sqlite3_bind_int64(st, 7, n->valid_to);
    }
    sqlite3_bind_int64(st, 8, now);
    gj_bind_id(st, 9, actor);
    sqlite3_bind_int64(st, 10, n->id);
    sqlite3_bind_int64(st, 11, n->meta.version);
    rc = gj_step_guarded(db, st, "notices", label, n->id, exists, label, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        if (withdraw)
            n->withdrawn = 1;
        n->meta = (struct gj_row_meta){n->meta.version + 1, now, actor};
    }
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
    if (rc != GJ_OK)
        return rc;
    if (unit_id > 0) {
        /* what a unit sees: its building's notices too */
        int64_t b = 0;
        char what[64];
        snprintf(what, sizeof what, _("unit #%lld"), (long long)unit_id);
        rc = count_of(db, "SELECT building FROM units WHERE id = ?", unit_id, &b, what, err);
        if (rc != GJ_OK)
            return rc;
        building = (int)b;
    }
    /* withdrawn = 0 is a literal so that the partial index notices_current
     * (on valid_to) applies: few notices end after now. */
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "SELECT " NOTICE_COLS " FROM notices WHERE withdrawn = 0 AND valid_to >= ?1 "
        "AND valid_from <= ?1 AND ((?2 = 0 AND ?3 = 0) OR audience = 'estate' "
        "OR (audience = 'building' AND building = ?3) OR (audience = 'unit' AND unit_id = ?2)) "
        "AND (valid_from, id) < (?4, ?5) ORDER BY valid_from DESC, id DESC LIMIT ?6",
        err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, at);
    sqlite3_bind_int64(st, 2, unit_id > 0 ? unit_id : 0);
    sqlite3_bind_int(st, 3, building > 0 ? building : 0);
    sqlite3_bind_int64(st, 4, before_from);
    sqlite3_bind_int64(st, 5, before_id);
    sqlite3_bind_int(st, 6, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_notice, n, _("listing the notices"),
                        err);
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

static int activity_read(struct gj_db *db, int64_t id, struct gj_activity *out,
                         struct gj_error *err)
{
    char label[64];
    activity_label(id, label, sizeof label);
    return read_by_id(db, "SELECT " ACTIVITY_COLS " FROM activities WHERE id = ?", id,
                      read_activity, out, label, err);
}

int gj_activity_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_activity *out,
                    struct gj_error *err)
{
    int rc = gj_require(role, READ_ACTION, err);
    return rc == GJ_OK ? activity_read(db, id, out, err) : rc;
}

int gj_activity_create(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_activity *a,
                       struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_activity_validate(a, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO activities(title, place, starts_at, ends_at, "
                                  "capacity, note, created_at, created_by, updated_at, "
                                  "updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?8)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    gj_bind_text(st, 1, a->title);
    gj_bind_text(st, 2, a->place);
    sqlite3_bind_int64(st, 3, a->starts_at);
    sqlite3_bind_int64(st, 4, a->ends_at);
    gj_bind_opt_i64(st, 5, a->capacity > 0, a->capacity);
    gj_bind_text(st, 6, a->note);
    sqlite3_bind_int64(st, 7, now);
    gj_bind_id(st, 8, actor);
    rc = gj_db_exec_stmt(db, st, _("adding an activity"), err);
    int64_t id = rc == GJ_OK ? sqlite3_last_insert_rowid(db->h) : 0;
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        a->id = id;
        a->cancelled = 0;
        a->signed_up = 0;
        a->created_at = now;
        a->created_by = actor;
        a->meta = (struct gj_row_meta){1, now, actor};
    }
    return rc;
}

/* Changes activity a at its version, in one transaction: cancels it, or
 * (cancel 0) saves its fields. */
static int activity_change(struct gj_db *db, int64_t actor, struct gj_activity *a, int cancel,
                           struct gj_error *err)
{
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[64];
    activity_label(a->id, label, sizeof label);
    struct gj_activity cur;
    memset(&cur, 0, sizeof cur);
    struct gj_error e2;
    int exists = activity_read(db, a->id, &cur, &e2) == GJ_OK;
    if (exists && cur.meta.version == a->meta.version) {
        if (cur.cancelled)
            rc = gj_err(err, GJ_EINVAL,
                        cancel ? _("%s has already been cancelled")
                               : _("%s has been cancelled; it is not changed any more"),
                        label);
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
    if (!st)
        return gj_tx_finish(db, err->code, err);
    if (!cancel) {
        gj_bind_text(st, 1, a->title);
        gj_bind_text(st, 2, a->place);
        sqlite3_bind_int64(st, 3, a->starts_at);
        sqlite3_bind_int64(st, 4, a->ends_at);
        gj_bind_opt_i64(st, 5, a->capacity > 0, a->capacity);
        gj_bind_text(st, 6, a->note);
    }
    sqlite3_bind_int64(st, 7, now);
    gj_bind_id(st, 8, actor);
    sqlite3_bind_int64(st, 9, a->id);
    sqlite3_bind_int64(st, 10, a->meta.version);
    rc = gj_step_guarded(db, st, "activities", label, a->id, exists, label, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        if (cancel)
            a->cancelled = 1;
        a->signed_up = cur.signed_up;
        a->meta = (struct gj_row_meta){a->meta.version + 1, now, actor};
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
    *n = 0;
    int rc = gj_require(role, READ_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    /* cancelled = 0 is a literal so that the partial index activities_upcoming
     * (on ends_at) applies: few activities end after now. */
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " ACTIVITY_COLS " FROM activities WHERE cancelled = 0 "
                                  "AND ends_at >= ?1 AND (starts_at, id) > (?2, ?3) "
                                  "ORDER BY starts_at, id LIMIT ?4",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, after_starts);
    sqlite3_bind_int64(st, 3, after_id);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_activity, n,
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

static int signup_read(struct gj_db *db, int64_t id, struct gj_signup *out, struct gj_error *err)
{
    char label[64];
    signup_label(id, label, sizeof label);
    return read_by_id(db, "SELECT " SIGNUP_COLS " FROM activity_signups WHERE id = ?", id,
                      read_signup, out, label, err);
}

int gj_signup_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_signup *out,
                  struct gj_error *err)
{
    int rc = gj_require(role, READ_ACTION, err);
    return rc == GJ_OK ? signup_read(db, id, out, err) : rc;
}

/* The code of a unit ("3-2-501") into out (24 bytes); GJ_ENOTFOUND
 * saying "unit #ID: not found" when there is none. */
static int unit_code(struct gj_db *db, int64_t unit_id, char *out, size_t outsz,
                     struct gj_error *err)
{
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT building, entrance, room FROM units WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    char what[64];
    snprintf(what, sizeof what, _("unit #%lld"), (long long)unit_id);
    int rc = gj_step_one(db, st, what, err);
    if (rc == GJ_OK) {
        struct gj_unitcode u = {sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
                                sqlite3_column_int(st, 2)};
        gj_stmt_done(st);
        gj_unitcode_format(&u, out, outsz);
    }
    return rc;
}

/* The checks of a new sign-up s at now, inside the transaction: the
 * activity open for it, the unit there and not signed up yet, places
 * left. */
static int signup_allowed(struct gj_db *db, const struct gj_signup *s, int64_t now,
                          struct gj_error *err)
{
    struct gj_activity a;
    int rc = activity_read(db, s->activity_id, &a, err);
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
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_signup_validate(s, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    rc = signup_allowed(db, s, now, err);
    sqlite3_stmt *st = NULL;
    if (rc == GJ_OK) {
        st = gj_db_stmt(db,
                        "INSERT INTO activity_signups(activity_id, unit_id, person_id, people, at, "
                        "by_user, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
                        err);
        if (!st)
            rc = err->code;
    }
    if (rc == GJ_OK) {
        sqlite3_bind_int64(st, 1, s->activity_id);
        sqlite3_bind_int64(st, 2, s->unit_id);
        gj_bind_id(st, 3, s->person_id);
        sqlite3_bind_int(st, 4, s->people);
        sqlite3_bind_int64(st, 5, now);
        gj_bind_id(st, 6, actor);
        rc = gj_db_exec_stmt(db, st, _("signing up for an activity"), err);
    }
    int64_t id = rc == GJ_OK ? sqlite3_last_insert_rowid(db->h) : 0;
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        s->id = id;
        s->at = now;
        s->by_user = actor;
        s->cancelled = 0;
        s->meta = (struct gj_row_meta){1, now, actor};
    }
    return rc;
}

int gj_signup_cancel(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_signup *s,
                     struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[64];
    signup_label(s->id, label, sizeof label);
    struct gj_signup cur;
    memset(&cur, 0, sizeof cur);
    struct gj_error e2;
    int exists = signup_read(db, s->id, &cur, &e2) == GJ_OK;
    if (exists && cur.meta.version == s->meta.version && cur.cancelled)
        return gj_tx_finish(db, gj_err(err, GJ_EINVAL, _("%s has already been cancelled"), label),
                            err);
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE activity_signups SET cancelled = 1, version = version + "
                                  "1, updated_at = ?1, updated_by = ?2 WHERE id = ?3 AND "
                                  "version = ?4",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, now);
    gj_bind_id(st, 2, actor);
    sqlite3_bind_int64(st, 3, s->id);
    sqlite3_bind_int64(st, 4, s->meta.version);
    rc = gj_step_guarded(db, st, "activity_signups", label, s->id, exists, label, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        s->cancelled = 1;
        s->meta = (struct gj_row_meta){s->meta.version + 1, now, actor};
    }
    return rc;
}

int gj_signups_list(struct gj_db *db, enum gj_role role, int64_t activity_id, int all,
                    int64_t after_id, int limit, struct gj_signup *rows, int *n,
                    struct gj_error *err)
{
    *n = 0;
    int rc = gj_require(role, READ_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " SIGNUP_COLS " FROM activity_signups "
                                  "WHERE activity_id = ?1 AND (?2 = 1 OR cancelled = 0) "
                                  "AND id > ?3 ORDER BY id LIMIT ?4",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, activity_id);
    sqlite3_bind_int(st, 2, all ? 1 : 0);
    sqlite3_bind_int64(st, 3, after_id);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_signup, n,
                        _("listing the sign-ups"), err);
}

int gj_activity_signed_up(struct gj_db *db, enum gj_role role, int64_t activity_id, int *people,
                          int *units, struct gj_error *err)
{
    *people = *units = 0;
    int rc = gj_require(role, READ_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT coalesce(sum(people), 0), count(*) FROM activity_signups "
                                  "WHERE activity_id = ? AND cancelled = 0",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, activity_id);
    rc = gj_step_one(db, st, _("counting the sign-ups"), err);
    if (rc == GJ_OK) {
        *people = sqlite3_column_int(st, 0);
        *units = sqlite3_column_int(st, 1);
        gj_stmt_done(st);
    }
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

static int patrol_read(struct gj_db *db, int64_t id, struct gj_patrol *out, struct gj_error *err)
{
    char label[64];
    patrol_label(id, label, sizeof label);
    return read_by_id(db, "SELECT " PATROL_COLS " FROM patrols p WHERE p.id = ?", id, read_patrol,
                      out, label, err);
}

int gj_patrol_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_patrol *out,
                  struct gj_error *err)
{
    int rc = gj_require(role, READ_ACTION, err);
    return rc == GJ_OK ? patrol_read(db, id, out, err) : rc;
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
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO patrols(route, started_at, by_user, note, "
                                  "updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?3)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    gj_bind_text(st, 1, np.route);
    sqlite3_bind_int64(st, 2, np.started_at);
    gj_bind_id(st, 3, actor);
    gj_bind_text(st, 4, np.note);
    sqlite3_bind_int64(st, 5, now);
    rc = gj_db_exec_stmt(db, st, _("starting a patrol"), err);
    int64_t id = rc == GJ_OK ? sqlite3_last_insert_rowid(db->h) : 0;
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        np.id = id;
        np.by_user = actor;
        np.findings = np.orders = 0;
        np.meta = (struct gj_row_meta){1, now, actor};
        *p = np;
    }
    return rc;
}

/* Changes patrol p at its version, in one transaction: ends it now, or
 * (end 0) saves its route and note. */
static int patrol_change(struct gj_db *db, int64_t actor, struct gj_patrol *p, int end,
                         struct gj_error *err)
{
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[64];
    patrol_label(p->id, label, sizeof label);
    struct gj_patrol cur;
    memset(&cur, 0, sizeof cur);
    struct gj_error e2;
    int exists = patrol_read(db, p->id, &cur, &e2) == GJ_OK;
    if (end && exists && cur.meta.version == p->meta.version) {
        if (cur.ended_at)
            rc = gj_err(err, GJ_EINVAL, _("%s has already ended"), label);
        else if (now < cur.started_at)
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
    if (!st)
        return gj_tx_finish(db, err->code, err);
    if (!end) {
        gj_bind_text(st, 1, p->route);
        gj_bind_text(st, 2, p->note);
    }
    sqlite3_bind_int64(st, 3, now);
    gj_bind_id(st, 4, actor);
    sqlite3_bind_int64(st, 5, p->id);
    sqlite3_bind_int64(st, 6, p->meta.version);
    rc = gj_step_guarded(db, st, "patrols", label, p->id, exists, label, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        if (end)
            p->ended_at = now;
        p->meta = (struct gj_row_meta){p->meta.version + 1, now, actor};
    }
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
    *n = 0;
    int rc = gj_require(role, READ_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " PATROL_COLS " FROM patrols p "
                                  "WHERE (p.started_at, p.id) < (?1, ?2) "
                                  "ORDER BY p.started_at DESC, p.id DESC LIMIT ?3",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, before_started);
    sqlite3_bind_int64(st, 2, before_id);
    sqlite3_bind_int(st, 3, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_patrol, n, _("listing the patrols"),
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

static int finding_read(struct gj_db *db, int64_t id, struct gj_finding *out, struct gj_error *err)
{
    char label[64];
    finding_label(id, label, sizeof label);
    return read_by_id(db, "SELECT " FINDING_COLS " FROM patrol_findings WHERE id = ?", id,
                      read_finding, out, label, err);
}

int gj_finding_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_finding *out,
                   struct gj_error *err)
{
    int rc = gj_require(role, READ_ACTION, err);
    return rc == GJ_OK ? finding_read(db, id, out, err) : rc;
}

int gj_finding_add(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_finding *f,
                   struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_finding_validate(f, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    int64_t at = f->at ? f->at : now;
    struct gj_patrol p;
    rc = patrol_read(db, f->patrol_id, &p, err);
    if (rc == GJ_OK) {
        char label[64];
        patrol_label(p.id, label, sizeof label);
        if (p.ended_at)
            rc = gj_err(err, GJ_EINVAL,
                        _("%s has ended; findings are recorded while the patrol is under way"),
                        label);
        else if (at < p.started_at)
            rc = gj_err(err, GJ_EINVAL, "%s", _("found at: must not be before the patrol started"));
    }
    sqlite3_stmt *st = NULL;
    if (rc == GJ_OK) {
        st = gj_db_stmt(db,
                        "INSERT INTO patrol_findings(patrol_id, at, location, what, severity, "
                        "by_user, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6)",
                        err);
        if (!st)
            rc = err->code;
    }
    if (rc == GJ_OK) {
        sqlite3_bind_int64(st, 1, f->patrol_id);
        sqlite3_bind_int64(st, 2, at);
        gj_bind_text(st, 3, f->location);
        gj_bind_text(st, 4, f->what);
        gj_bind_text(st, 5, f->severity);
        gj_bind_id(st, 6, actor);
        sqlite3_bind_int64(st, 7, now);
        rc = gj_db_exec_stmt(db, st, _("recording a patrol finding"), err);
    }
    int64_t id = rc == GJ_OK ? sqlite3_last_insert_rowid(db->h) : 0;
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        f->id = id;
        f->at = at;
        f->work_order_id = 0;
        f->by_user = actor;
        f->meta = (struct gj_row_meta){1, now, actor};
    }
    return rc;
}

int gj_finding_update(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_finding *f,
                      struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_finding_validate(f, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[64];
    finding_label(f->id, label, sizeof label);
    struct gj_finding cur;
    memset(&cur, 0, sizeof cur);
    struct gj_error e2;
    int exists = finding_read(db, f->id, &cur, &e2) == GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE patrol_findings SET location = ?1, what = ?2, "
                                  "severity = ?3, version = version + 1, updated_at = ?4, "
                                  "updated_by = ?5 WHERE id = ?6 AND version = ?7",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    gj_bind_text(st, 1, f->location);
    gj_bind_text(st, 2, f->what);
    gj_bind_text(st, 3, f->severity);
    sqlite3_bind_int64(st, 4, now);
    gj_bind_id(st, 5, actor);
    sqlite3_bind_int64(st, 6, f->id);
    sqlite3_bind_int64(st, 7, f->meta.version);
    rc = gj_step_guarded(db, st, "patrol_findings", label, f->id, exists, label, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK)
        f->meta = (struct gj_row_meta){f->meta.version + 1, now, actor};
    return rc;
}

int gj_findings_list(struct gj_db *db, enum gj_role role, int64_t patrol_id, int64_t after_id,
                     int limit, struct gj_finding *rows, int *n, struct gj_error *err)
{
    *n = 0;
    int rc = gj_require(role, READ_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " FINDING_COLS " FROM patrol_findings "
                                  "WHERE patrol_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, patrol_id);
    sqlite3_bind_int64(st, 2, after_id);
    sqlite3_bind_int(st, 3, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_finding, n,
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
    rc = finding_read(db, finding_id, &f, err);
    if (rc == GJ_OK && f.work_order_id)
        rc = gj_err(err, GJ_ECONSTRAINT, _("%s has already been turned into work order #%lld"),
                    label, (long long)f.work_order_id);
    if (rc == GJ_OK)
        rc = patrol_read(db, f.patrol_id, &p, err);
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

static int drill_read(struct gj_db *db, int64_t id, struct gj_drill *out, struct gj_error *err)
{
    char label[64];
    drill_label(id, label, sizeof label);
    return read_by_id(db, "SELECT " DRILL_COLS " FROM drills WHERE id = ?", id, read_drill, out,
                      label, err);
}

int gj_drill_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_drill *out,
                 struct gj_error *err)
{
    int rc = gj_require(role, READ_ACTION, err);
    return rc == GJ_OK ? drill_read(db, id, out, err) : rc;
}

int gj_drill_add(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_drill *d,
                 struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_drill_validate(d, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO drills(kind, held_at, place, participants, note, "
                                  "by_user, updated_at, updated_by) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    gj_bind_text(st, 1, d->kind);
    sqlite3_bind_int64(st, 2, d->held_at);
    gj_bind_text(st, 3, d->place);
    sqlite3_bind_int(st, 4, d->participants);
    gj_bind_text(st, 5, d->note);
    gj_bind_id(st, 6, actor);
    sqlite3_bind_int64(st, 7, now);
    rc = gj_db_exec_stmt(db, st, _("recording a drill"), err);
    int64_t id = rc == GJ_OK ? sqlite3_last_insert_rowid(db->h) : 0;
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        d->id = id;
        d->by_user = actor;
        d->meta = (struct gj_row_meta){1, now, actor};
    }
    return rc;
}

int gj_drill_update(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_drill *d,
                    struct gj_error *err)
{
    int rc = gj_require(role, WRITE_ACTION, err);
    if (rc == GJ_OK)
        rc = gj_drill_validate(d, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[64];
    drill_label(d->id, label, sizeof label);
    struct gj_drill cur;
    memset(&cur, 0, sizeof cur);
    struct gj_error e2;
    int exists = drill_read(db, d->id, &cur, &e2) == GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE drills SET kind = ?1, held_at = ?2, place = ?3, "
                                  "participants = ?4, note = ?5, version = version + 1, "
                                  "updated_at = ?6, updated_by = ?7 WHERE id = ?8 AND version = ?9",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    gj_bind_text(st, 1, d->kind);
    sqlite3_bind_int64(st, 2, d->held_at);
    gj_bind_text(st, 3, d->place);
    sqlite3_bind_int(st, 4, d->participants);
    gj_bind_text(st, 5, d->note);
    sqlite3_bind_int64(st, 6, now);
    gj_bind_id(st, 7, actor);
    sqlite3_bind_int64(st, 8, d->id);
    sqlite3_bind_int64(st, 9, d->meta.version);
    rc = gj_step_guarded(db, st, "drills", label, d->id, exists, label, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK)
        d->meta = (struct gj_row_meta){d->meta.version + 1, now, actor};
    return rc;
}

int gj_drills_list(struct gj_db *db, enum gj_role role, int64_t before_held, int64_t before_id,
                   int limit, struct gj_drill *rows, int *n, struct gj_error *err)
{
    *n = 0;
    int rc = gj_require(role, READ_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "SELECT " DRILL_COLS " FROM drills WHERE (held_at, id) < (?1, ?2) "
                   "ORDER BY held_at DESC, id DESC LIMIT ?3",
                   err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, before_held);
    sqlite3_bind_int64(st, 2, before_id);
    sqlite3_bind_int(st, 3, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_drill, n, _("listing the drills"),
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

static int incident_read(struct gj_db *db, int64_t id, struct gj_incident *out,
                         struct gj_error *err)
{
    char label[64];
    incident_label(id, label, sizeof label);
    return read_by_id(db, "SELECT " INCIDENT_COLS " FROM incidents WHERE id = ?", id, read_incident,
                      out, label, err);
}

int gj_incident_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_incident *out,
                    struct gj_error *err)
{
    int rc = gj_require(role, READ_ACTION, err);
    return rc == GJ_OK ? incident_read(db, id, out, err) : rc;
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
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO incidents(what, happened_at, place, actions, "
                                  "informed, created_at, created_by, updated_at, updated_by) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    gj_bind_text(st, 1, ni.what);
    sqlite3_bind_int64(st, 2, ni.happened_at);
    gj_bind_text(st, 3, ni.place);
    gj_bind_text(st, 4, ni.actions);
    gj_bind_text(st, 5, ni.informed);
    sqlite3_bind_int64(st, 6, now);
    gj_bind_id(st, 7, actor);
    rc = gj_db_exec_stmt(db, st, _("opening an incident"), err);
    int64_t id = rc == GJ_OK ? sqlite3_last_insert_rowid(db->h) : 0;
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        ni.id = id;
        ni.created_at = now;
        ni.created_by = actor;
        ni.meta = (struct gj_row_meta){1, now, actor};
        *i = ni;
    }
    return rc;
}

/* Changes incident i at its version, in one transaction: closes it now
 * with closing_note, or (close 0) saves what the user records. */
static int incident_change(struct gj_db *db, int64_t actor, struct gj_incident *i, int close,
                           const char *closing_note, struct gj_error *err)
{
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[64];
    incident_label(i->id, label, sizeof label);
    struct gj_incident cur;
    memset(&cur, 0, sizeof cur);
    struct gj_error e2;
    int exists = incident_read(db, i->id, &cur, &e2) == GJ_OK;
    if (exists && cur.meta.version == i->meta.version) {
        if (cur.closed_at)
            rc = gj_err(err, GJ_EINVAL,
                        close ? _("%s has already been closed")
                              : _("%s has been closed; it is not changed any more"),
                        label);
        else if (close)
            rc = gj_incident_close_check(&cur, err);
        if (rc == GJ_OK && close && now < cur.happened_at)
            rc = gj_err(err, GJ_EINVAL, "%s", _("closed: must not be before it happened"));
        if (rc != GJ_OK)
            return gj_tx_finish(db, rc, err);
    }
    sqlite3_stmt *st =
        close ? gj_db_stmt(db,
                           "UPDATE incidents SET closed_at = ?6, closing_note = ?7, "
                           "version = version + 1, updated_at = ?6, updated_by = ?8 "
                           "WHERE id = ?9 AND version = ?10",
                           err)
              : gj_db_stmt(db,
                           "UPDATE incidents SET what = ?1, happened_at = ?2, place = ?3, "
                           "actions = ?4, informed = ?5, version = version + 1, "
                           "updated_at = ?6, updated_by = ?8 WHERE id = ?9 AND version = ?10",
                           err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    if (close) {
        gj_bind_text(st, 7, closing_note);
    } else {
        gj_bind_text(st, 1, i->what);
        sqlite3_bind_int64(st, 2, i->happened_at);
        gj_bind_text(st, 3, i->place);
        gj_bind_text(st, 4, i->actions);
        gj_bind_text(st, 5, i->informed);
    }
    sqlite3_bind_int64(st, 6, now);
    gj_bind_id(st, 8, actor);
    sqlite3_bind_int64(st, 9, i->id);
    sqlite3_bind_int64(st, 10, i->meta.version);
    rc = gj_step_guarded(db, st, "incidents", label, i->id, exists, label, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        if (close) {
            i->closed_at = now;
            gj_text_copy(i->closing_note, sizeof i->closing_note, closing_note);
        }
        i->meta = (struct gj_row_meta){i->meta.version + 1, now, actor};
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
    *n = 0;
    int rc = gj_require(role, READ_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    /* The open ones walk the partial index incidents_open; the whole list
     * is sorted (incidents are few). */
    sqlite3_stmt *st =
        open_only
            ? gj_db_stmt(db,
                         "SELECT " INCIDENT_COLS " FROM incidents WHERE closed_at IS NULL "
                         "AND ?1 = 0 AND (happened_at, id) < (?2, ?3) "
                         "ORDER BY happened_at DESC, id DESC LIMIT ?4",
                         err)
            : gj_db_stmt(db,
                         "SELECT " INCIDENT_COLS " FROM incidents "
                         "WHERE (closed_at IS NOT NULL) > ?1 OR ((closed_at IS NOT NULL) = ?1 "
                         "AND (happened_at, id) < (?2, ?3)) "
                         "ORDER BY closed_at IS NOT NULL, happened_at DESC, id DESC LIMIT ?4",
                         err);
    if (!st)
        return err->code;
    sqlite3_bind_int(st, 1, after_closed ? 1 : 0);
    sqlite3_bind_int64(st, 2, after_happened);
    sqlite3_bind_int64(st, 3, after_id);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_incident, n,
                        _("listing the incidents"), err);
}

int gj_incidents_count_open(struct gj_db *db, enum gj_role role, int64_t *count,
                            struct gj_error *err)
{
    *count = 0;
    int rc = gj_require(role, READ_ACTION, err);
    if (rc != GJ_OK)
        return rc;
    return count_of(db, "SELECT count(*) FROM incidents WHERE closed_at IS NULL", 0, count,
                    _("counting the open incidents"), err);
}
