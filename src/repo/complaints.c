/* Complaints and their events. */
#include "guanjia/repo_complaints.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/rules_workorders.h"

#include <stdio.h>
#include <string.h>

#define COMPLAINT_COLS                                                                             \
    "id, coalesce(unit_id, 0), coalesce(person_id, 0), channel, subject, detail, category, "       \
    "grade, level, state, cycle, coalesce(assignee_user_id, 0), ack_due_at, resolve_due_at, "      \
    "coalesce(acknowledged_at, 0), coalesce(resolved_at, 0), coalesce(revisit_due_at, 0), "        \
    "coalesce(revisited_at, 0), coalesce(closed_at, 0), action_taken, result, root_cause, "        \
    "corrective_action, coalesce(satisfaction, 0), revisit_comment, created_at, "                  \
    "coalesce(created_by, 0), version, updated_at, coalesce(updated_by, 0)"

static void read_complaint(sqlite3_stmt *st, void *row)
{
    struct gj_complaint *c = row;
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    c->unit_id = sqlite3_column_int64(st, 1);
    c->person_id = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, c->channel, sizeof c->channel);
    gj_col_text(st, 4, c->subject, sizeof c->subject);
    gj_col_text(st, 5, c->detail, sizeof c->detail);
    gj_col_text(st, 6, c->category, sizeof c->category);
    gj_col_text(st, 7, c->grade, sizeof c->grade);
    c->level = sqlite3_column_int(st, 8);
    gj_col_text(st, 9, c->state, sizeof c->state);
    c->cycle = sqlite3_column_int(st, 10);
    c->assignee_user_id = sqlite3_column_int64(st, 11);
    c->ack_due_at = sqlite3_column_int64(st, 12);
    c->resolve_due_at = sqlite3_column_int64(st, 13);
    c->acknowledged_at = sqlite3_column_int64(st, 14);
    c->resolved_at = sqlite3_column_int64(st, 15);
    c->revisit_due_at = sqlite3_column_int64(st, 16);
    c->revisited_at = sqlite3_column_int64(st, 17);
    c->closed_at = sqlite3_column_int64(st, 18);
    gj_col_text(st, 19, c->action_taken, sizeof c->action_taken);
    gj_col_text(st, 20, c->result, sizeof c->result);
    gj_col_text(st, 21, c->root_cause, sizeof c->root_cause);
    gj_col_text(st, 22, c->corrective_action, sizeof c->corrective_action);
    c->satisfaction = sqlite3_column_int(st, 23);
    gj_col_text(st, 24, c->revisit_comment, sizeof c->revisit_comment);
    c->created_at = sqlite3_column_int64(st, 25);
    c->created_by = sqlite3_column_int64(st, 26);
    gj_read_meta(st, 27, &c->meta);
}

static void complaint_label(int64_t id, char *out, size_t outsz)
{
    snprintf(out, outsz, _("complaint #%lld"), (long long)id);
}

/* Binds the 20 mutable columns other than the tracked ones (grade, level,
 * state, cycle), in the order of the INSERT and UPDATE below, from
 * parameter i on; returns the next index. */
static int bind_complaint_fields(sqlite3_stmt *st, int i, const struct gj_complaint *c)
{
    gj_bind_id(st, i++, c->unit_id);
    gj_bind_id(st, i++, c->person_id);
    gj_bind_text(st, i++, c->channel);
    gj_bind_text(st, i++, c->subject);
    gj_bind_text(st, i++, c->detail);
    gj_bind_text(st, i++, c->category);
    gj_bind_id(st, i++, c->assignee_user_id);
    sqlite3_bind_int64(st, i++, c->ack_due_at);
    sqlite3_bind_int64(st, i++, c->resolve_due_at);
    gj_bind_opt_i64(st, i++, c->acknowledged_at != 0, c->acknowledged_at);
    gj_bind_opt_i64(st, i++, c->resolved_at != 0, c->resolved_at);
    gj_bind_opt_i64(st, i++, c->revisit_due_at != 0, c->revisit_due_at);
    gj_bind_opt_i64(st, i++, c->revisited_at != 0, c->revisited_at);
    gj_bind_opt_i64(st, i++, c->closed_at != 0, c->closed_at);
    gj_bind_text(st, i++, c->action_taken);
    gj_bind_text(st, i++, c->result);
    gj_bind_text(st, i++, c->root_cause);
    gj_bind_text(st, i++, c->corrective_action);
    gj_bind_opt_i64(st, i++, c->satisfaction != 0, c->satisfaction);
    gj_bind_text(st, i++, c->revisit_comment);
    return i;
}

/* Binds grade, level, state and cycle from t, from parameter i on. */
static int bind_complaint_tracked(sqlite3_stmt *st, int i, const struct gj_complaint *t)
{
    gj_bind_text(st, i++, t->grade);
    sqlite3_bind_int(st, i++, t->level);
    gj_bind_text(st, i++, t->state);
    sqlite3_bind_int(st, i++, t->cycle);
    return i;
}

int gj_complaint_get(struct gj_db *db, int64_t id, struct gj_complaint *out, struct gj_error *err)
{
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT " COMPLAINT_COLS " FROM complaints WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a complaint"), err);
    if (rc == GJ_OK) {
        read_complaint(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

/* Appends one event (ev->complaint_id, cycle, kind, reason, levels,
 * note). The only unique rule on the table is "an escalation once per
 * complaint, cycle and reason", so a UNIQUE failure is reported as that.
 * Fills ev->id, at and user_id on success. */
static int insert_complaint_event(struct gj_db *db, int64_t at, int64_t actor,
                                  struct gj_complaint_event *ev, const char *what,
                                  struct gj_error *err)
{
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "INSERT INTO complaint_events(complaint_id, at, user_id, kind, cycle, reason, "
                   "from_level, to_level, note) VALUES (?,?,?,?,?,?,?,?,?)",
                   err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, ev->complaint_id);
    sqlite3_bind_int64(st, 2, at);
    gj_bind_id(st, 3, actor);
    gj_bind_text(st, 4, ev->kind);
    sqlite3_bind_int(st, 5, ev->cycle);
    gj_bind_text(st, 6, ev->reason);
    gj_bind_opt_i64(st, 7, ev->from_level >= 0, ev->from_level);
    gj_bind_opt_i64(st, 8, ev->to_level >= 0, ev->to_level);
    gj_bind_text(st, 9, ev->note);
    int rc = sqlite3_step(st);
    gj_stmt_done(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return gj_err(err, GJ_ECONSTRAINT, "%s: %s", what,
                      _("this escalation is already recorded"));
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, what, err);
    ev->id = sqlite3_last_insert_rowid(db->h);
    ev->at = at;
    ev->user_id = actor;
    return GJ_OK;
}

int gj_complaint_create(struct gj_db *db, int64_t actor, struct gj_complaint *c,
                        struct gj_error *err)
{
    strcpy(c->state, "open");
    c->cycle = 1;
    c->level = gj_complaint_grade_level(c->grade);
    if (c->level < 0)
        c->level = 0; /* the grade itself is reported below */
    int rc = gj_complaint_validate(c, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "INSERT INTO complaints(unit_id, person_id, channel, subject, detail, category, "
                   "assignee_user_id, ack_due_at, resolve_due_at, acknowledged_at, resolved_at, "
                   "revisit_due_at, revisited_at, closed_at, action_taken, result, root_cause, "
                   "corrective_action, satisfaction, revisit_comment, grade, level, state, cycle, "
                   "created_at, created_by, updated_at, updated_by) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    int i = bind_complaint_fields(st, 1, c);
    i = bind_complaint_tracked(st, i, c);
    sqlite3_bind_int64(st, i++, now);
    gj_bind_id(st, i++, actor);
    sqlite3_bind_int64(st, i++, now);
    gj_bind_id(st, i, actor);
    rc = gj_db_exec_stmt(db, st, _("creating a complaint"), err);
    int64_t id = 0;
    if (rc == GJ_OK) {
        id = sqlite3_last_insert_rowid(db->h);
        char label[64];
        complaint_label(id, label, sizeof label);
        struct gj_complaint_event ev;
        memset(&ev, 0, sizeof ev);
        ev.complaint_id = id;
        strcpy(ev.kind, "created");
        ev.cycle = 1;
        ev.from_level = ev.to_level = -1;
        rc = insert_complaint_event(db, now, actor, &ev, label, err);
    }
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        c->id = id;
        c->created_at = now;
        c->created_by = actor;
        c->meta = (struct gj_row_meta){1, now, actor};
    }
    return rc;
}

/* The version-checked UPDATE of every mutable column; grade, level, state
 * and cycle are taken from tracked. */
static int write_complaint(struct gj_db *db, int64_t actor, const struct gj_complaint *c,
                           const struct gj_complaint *tracked, int exists, int64_t now,
                           const char *label, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "UPDATE complaints SET unit_id = ?, person_id = ?, channel = ?, subject = ?, detail = ?, "
        "category = ?, assignee_user_id = ?, ack_due_at = ?, resolve_due_at = ?, "
        "acknowledged_at = ?, resolved_at = ?, revisit_due_at = ?, revisited_at = ?, "
        "closed_at = ?, action_taken = ?, result = ?, root_cause = ?, corrective_action = ?, "
        "satisfaction = ?, revisit_comment = ?, grade = ?, level = ?, state = ?, cycle = ?, "
        "version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
        err);
    if (!st)
        return err->code;
    int i = bind_complaint_fields(st, 1, c);
    i = bind_complaint_tracked(st, i, tracked);
    sqlite3_bind_int64(st, i++, now);
    gj_bind_id(st, i++, actor);
    sqlite3_bind_int64(st, i++, c->id);
    sqlite3_bind_int64(st, i, c->meta.version);
    return gj_step_guarded(db, st, "complaints", label, c->id, exists, label, err);
}

int gj_complaint_update(struct gj_db *db, int64_t actor, struct gj_complaint *c,
                        struct gj_error *err)
{
    int rc = gj_complaint_validate(c, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[64];
    complaint_label(c->id, label, sizeof label);
    struct gj_complaint cur;
    memset(&cur, 0, sizeof cur);
    struct gj_error e2;
    int exists = gj_complaint_get(db, c->id, &cur, &e2) == GJ_OK;
    if (exists && cur.meta.version == c->meta.version) {
        const char *field = NULL;
        if (strcmp(cur.state, c->state) != 0)
            field = _("state");
        else if (strcmp(cur.grade, c->grade) != 0)
            field = _("grade");
        else if (cur.level != c->level)
            field = _("level");
        else if (cur.cycle != c->cycle)
            field = _("cycle");
        if (field)
            return gj_tx_finish(db,
                                gj_err(err, GJ_EINVAL,
                                       _("%s: change it with a transition, so that it is recorded"),
                                       field),
                                err);
    }
    /* The stored values are written back: an update never moves them. */
    rc = write_complaint(db, actor, c, exists ? &cur : c, exists, now, label, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK)
        c->meta = (struct gj_row_meta){c->meta.version + 1, now, actor};
    return rc;
}

int gj_complaint_transition(struct gj_db *db, int64_t actor, struct gj_complaint *c,
                            struct gj_complaint_event *ev, struct gj_error *err)
{
    int rc = gj_complaint_validate(c, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[64];
    complaint_label(c->id, label, sizeof label);
    struct gj_complaint cur;
    memset(&cur, 0, sizeof cur);
    struct gj_error e2;
    int exists = gj_complaint_get(db, c->id, &cur, &e2) == GJ_OK;
    /* Work on a copy, so that a failure leaves ev as given. */
    struct gj_complaint_event e = *ev;
    e.complaint_id = c->id;
    e.cycle = c->cycle;
    if (exists && e.from_level < 0 && e.to_level < 0 && cur.level != c->level) {
        e.from_level = cur.level;
        e.to_level = c->level;
    }
    rc = gj_complaint_event_validate(&e, 0, err);
    if (rc == GJ_OK)
        rc = write_complaint(db, actor, c, c, exists, now, label, err);
    if (rc == GJ_OK)
        rc = insert_complaint_event(db, now, actor, &e, label, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        c->meta = (struct gj_row_meta){c->meta.version + 1, now, actor};
        *ev = e;
    }
    return rc;
}

int gj_complaint_event_add(struct gj_db *db, int64_t actor, struct gj_complaint_event *ev,
                           struct gj_error *err)
{
    int rc = gj_complaint_event_validate(ev, 1, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    char label[64];
    complaint_label(ev->complaint_id, label, sizeof label);
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT cycle FROM complaints WHERE id = ?", err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, ev->complaint_id);
    int step = sqlite3_step(st);
    int cycle = step == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    gj_stmt_done(st);
    struct gj_complaint_event e = *ev;
    if (step == SQLITE_ROW) {
        if (e.cycle == 0)
            e.cycle = cycle;
        rc = insert_complaint_event(db, gj_now(), actor, &e, label, err);
    } else if (step == SQLITE_DONE) {
        rc = gj_err(err, GJ_ENOTFOUND, _("%s: no such complaint"), label);
    } else {
        rc = gj_db_fail(db, step, label, err);
    }
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK)
        *ev = e;
    return rc;
}

static void read_complaint_event(sqlite3_stmt *st, void *row)
{
    struct gj_complaint_event *e = row;
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->complaint_id = sqlite3_column_int64(st, 1);
    e->at = sqlite3_column_int64(st, 2);
    e->user_id = sqlite3_column_int64(st, 3);
    gj_col_text(st, 4, e->kind, sizeof e->kind);
    e->cycle = sqlite3_column_int(st, 5);
    gj_col_text(st, 6, e->reason, sizeof e->reason);
    e->from_level = sqlite3_column_int(st, 7);
    e->to_level = sqlite3_column_int(st, 8);
    gj_col_text(st, 9, e->note, sizeof e->note);
}

int gj_complaint_events(struct gj_db *db, int64_t complaint_id, int64_t after_id, int limit,
                        struct gj_complaint_event *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "SELECT id, complaint_id, at, coalesce(user_id, 0), kind, cycle, reason, "
                   "coalesce(from_level, -1), coalesce(to_level, -1), note FROM complaint_events "
                   "WHERE complaint_id = ? AND id > ? ORDER BY id LIMIT ?",
                   err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, complaint_id);
    sqlite3_bind_int64(st, 2, after_id);
    sqlite3_bind_int(st, 3, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_complaint_event, n,
                        _("listing the events of a complaint"), err);
}

/* One arm per open state, each walking complaints_state_due in
 * (resolve_due_at, id) order, merged by SQLite without sorting. */
#define COMPLAINT_OPEN_ARM(state)                                                                  \
    "SELECT " COMPLAINT_COLS " FROM complaints WHERE state = '" state "' "                         \
    "AND (resolve_due_at, id) > (?1, ?2)"

int gj_complaint_list_open(struct gj_db *db, int64_t after_due, int64_t after_id, int limit,
                           struct gj_complaint *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  COMPLAINT_OPEN_ARM("open") " UNION ALL " COMPLAINT_OPEN_ARM(
                                      "acknowledged") " ORDER BY resolve_due_at, id LIMIT ?3",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, after_due);
    sqlite3_bind_int64(st, 2, after_id);
    sqlite3_bind_int(st, 3, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_complaint, n,
                        _("listing open complaints"), err);
}

int gj_complaint_list_revisit_due(struct gj_db *db, int64_t after_due, int64_t after_id, int limit,
                                  struct gj_complaint *rows, int *n, struct gj_error *err)
{
    *n = 0;
    /* state is a literal so that the partial index complaints_revisit applies. */
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " COMPLAINT_COLS " FROM complaints "
                                  "WHERE state = 'resolved' AND (revisit_due_at, id) > (?, ?) "
                                  "ORDER BY revisit_due_at, id LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, after_due);
    sqlite3_bind_int64(st, 2, after_id);
    sqlite3_bind_int(st, 3, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_complaint, n,
                        _("listing complaints due for a revisit"), err);
}

int gj_complaint_count_open_by_unit(struct gj_db *db, int64_t unit_id, int64_t *count,
                                    struct gj_error *err)
{
    *count = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT count(*) FROM complaints WHERE unit_id = ? "
                                  "AND state IN ('open', 'acknowledged')",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    int rc = gj_step_one(db, st, _("counting open complaints"), err);
    if (rc == GJ_OK) {
        *count = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_complaint_count_overdue(struct gj_db *db, int64_t now, int64_t *count, struct gj_error *err)
{
    *count = 0;
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "SELECT (SELECT count(*) FROM complaints WHERE state = 'open' AND "
                   "(ack_due_at < ?1 OR resolve_due_at < ?1)) + (SELECT count(*) FROM complaints "
                   "WHERE state = 'acknowledged' AND resolve_due_at < ?1)",
                   err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, now);
    int rc = gj_step_one(db, st, _("counting overdue complaints"), err);
    if (rc == GJ_OK) {
        *count = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
    }
    return rc;
}
