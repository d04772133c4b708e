/* Complaints and their events. */
#include "guanjia/repo_complaints.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_settings.h"
#include "guanjia/rules_workorders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMPLAINT_COLS                                                                             \
    "id, coalesce(unit_id, 0), coalesce(person_id, 0), channel, subject, detail, category, "       \
    "grade, level, state, cycle, coalesce(assignee_user_id, 0), ack_due_at, resolve_due_at, "      \
    "coalesce(acknowledged_at, 0), coalesce(resolved_at, 0), coalesce(revisit_due_at, 0), "        \
    "coalesce(revisited_at, 0), coalesce(closed_at, 0), action_taken, result, root_cause, "        \
    "corrective_action, coalesce(satisfaction, 0), revisit_comment, created_at, "                  \
    "coalesce(created_by, 0), version, updated_at, coalesce(updated_by, 0), "                      \
    "coalesce(cycle_started_at, 0)"

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
    c->cycle_started_at = sqlite3_column_int64(st, 30);
}

static void complaint_label(int64_t id, char *out, size_t outsz)
{
    snprintf(out, outsz, _("complaint #%lld"), (long long)id);
}

/* Binds the 21 mutable columns other than the tracked ones (grade, level,
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
    gj_bind_opt_i64(st, i++, c->cycle_started_at != 0, c->cycle_started_at);
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
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "INSERT INTO complaints(unit_id, person_id, channel, subject, detail, category, "
        "assignee_user_id, ack_due_at, resolve_due_at, acknowledged_at, resolved_at, "
        "revisit_due_at, revisited_at, closed_at, action_taken, result, root_cause, "
        "corrective_action, satisfaction, revisit_comment, cycle_started_at, grade, level, "
        "state, cycle, created_at, created_by, updated_at, updated_by) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
        "satisfaction = ?, revisit_comment = ?, cycle_started_at = ?, grade = ?, level = ?, state "
        "= ?, cycle = ?, "
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
    return gj_query_rows(
        db,
        "SELECT id, complaint_id, at, coalesce(user_id, 0), kind, cycle, reason, "
        "coalesce(from_level, -1), coalesce(to_level, -1), note FROM complaint_events "
        "WHERE complaint_id = ? AND id > ? ORDER BY id LIMIT ?",
        complaint_id, after_id, limit, rows, sizeof *rows, read_complaint_event, n,
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
    return gj_query_rows(db,
                         COMPLAINT_OPEN_ARM("open") " UNION ALL " COMPLAINT_OPEN_ARM(
                             "acknowledged") " ORDER BY resolve_due_at, id LIMIT ?3",
                         after_due, after_id, limit, rows, sizeof *rows, read_complaint, n,
                         _("listing open complaints"), err);
}

int gj_complaint_list_revisit_due(struct gj_db *db, int64_t after_due, int64_t after_id, int limit,
                                  struct gj_complaint *rows, int *n, struct gj_error *err)
{
    /* state is a literal so that the partial index complaints_revisit applies. */
    return gj_query_rows(db,
                         "SELECT " COMPLAINT_COLS " FROM complaints "
                         "WHERE state = 'resolved' AND (revisit_due_at, id) > (?, ?) "
                         "ORDER BY revisit_due_at, id LIMIT ?",
                         after_due, after_id, limit, rows, sizeof *rows, read_complaint, n,
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

/* ---- the queue ------------------------------------------------------------ */

int64_t gj_complaint_queue_due(const struct gj_complaint *c, int revisit)
{
    if (revisit)
        return c->revisit_due_at;
    return strcmp(c->state, "open") == 0 ? c->ack_due_at : c->resolve_due_at;
}

#define OPEN_DUE   "(CASE WHEN state = 'open' THEN ack_due_at ELSE resolve_due_at END)"
#define BASE_LEVEL "(CASE grade WHEN 'minor' THEN 0 WHEN 'moderate' THEN 1 ELSE 2 END)"
/* ?1 grade, ?2/?3 overdue at now, ?4 escalated, ?5 unacknowledged,
 * ?6 unassigned, ?7 assignee, ?8/?9 the key, ?10 the limit. */
#define QUEUE_FILTERS(due)                                                                         \
    " AND (coalesce(?1, '') = '' OR grade = ?1) AND (?2 = 0 OR " due                               \
    " < ?3) AND (?4 = 0 OR level > " BASE_LEVEL                                                    \
    ") AND (?5 = 0 OR state = 'open') AND (?6 = 0 OR assignee_user_id IS NULL) "                   \
    "AND (?7 = 0 OR assignee_user_id = ?7)"
#define QUEUE_OPEN(cmp, dir)                                                                       \
    "SELECT " COMPLAINT_COLS                                                                       \
    " FROM complaints WHERE state IN ('open', 'acknowledged')" QUEUE_FILTERS(                      \
        OPEN_DUE) " AND (" OPEN_DUE ", id) " cmp " (?8, ?9) ORDER BY " OPEN_DUE " " dir            \
                  ", id " dir " LIMIT ?10"
#define QUEUE_REVISIT(cmp, dir)                                                                    \
    "SELECT " COMPLAINT_COLS                                                                       \
    " FROM complaints WHERE state = 'resolved' AND revisited_at IS NULL" QUEUE_FILTERS(            \
        "revisit_due_at") " AND (revisit_due_at, id) " cmp " (?8, ?9) "                            \
                          "ORDER BY revisit_due_at " dir ", id " dir " LIMIT ?10"

int gj_complaint_queue(struct gj_db *db, const struct gj_complaint_filter *f, int forward,
                       int64_t key_due, int64_t key_id, int limit, struct gj_complaint *rows,
                       int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st;
    if (f->revisit)
        st = forward ? gj_db_stmt(db, QUEUE_REVISIT(">", "ASC"), err)
                     : gj_db_stmt(db, QUEUE_REVISIT("<", "DESC"), err);
    else
        st = forward ? gj_db_stmt(db, QUEUE_OPEN(">", "ASC"), err)
                     : gj_db_stmt(db, QUEUE_OPEN("<", "DESC"), err);
    if (!st)
        return err->code;
    gj_bind_text(st, 1, f->grade);
    sqlite3_bind_int(st, 2, f->overdue != 0);
    sqlite3_bind_int64(st, 3, f->now);
    sqlite3_bind_int(st, 4, f->escalated != 0);
    sqlite3_bind_int(st, 5, f->unacknowledged != 0);
    sqlite3_bind_int(st, 6, f->unassigned != 0);
    sqlite3_bind_int64(st, 7, f->assignee > 0 ? f->assignee : 0);
    sqlite3_bind_int64(st, 8, key_due);
    sqlite3_bind_int64(st, 9, key_id);
    sqlite3_bind_int(st, 10, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_complaint, n,
                        _("listing the complaint queue"), err);
}

int gj_complaint_count_serious_open(struct gj_db *db, int64_t *count, struct gj_error *err)
{
    *count = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT count(*) FROM complaints WHERE grade = 'serious' "
                                  "AND state IN ('open', 'acknowledged', 'resolved')",
                                  err);
    if (!st)
        return err->code;
    int rc = gj_step_one(db, st, _("counting serious complaints"), err);
    if (rc == GJ_OK) {
        *count = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
    }
    return rc;
}

/* ---- actions ---------------------------------------------------------------- */

int gj_complaint_take(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_complaint *c,
                      struct gj_error *err)
{
    int rc = gj_require(role, GJ_ACTION_CREATE_COMPLAINT, err);
    if (rc != GJ_OK)
        return rc;
    struct gj_sla_target sla;
    if (gj_complaint_grade_level(c->grade) < 0)
        return gj_err(err, GJ_EINVAL, "%s", _("grade: must be minor, moderate or serious"));
    rc = gj_sla_get(db, "complaint", c->grade, &sla, err);
    if (rc != GJ_OK)
        return rc;
    c->created_at = gj_now();
    c->cycle_started_at = 0;
    gj_complaint_set_deadlines(c, &sla);
    enum gj_action handle;
    c->assignee_user_id = gj_complaint_grade_action(c->grade, &handle) == GJ_OK &&
                                  gj_role_can(role, handle) && actor > 0
                              ? actor
                              : 0;
    return gj_complaint_create(db, actor, c, err);
}

/* The escalation reasons already recorded for a complaint's cycle. */
static int recorded_reasons(struct gj_db *db, int64_t id, int cycle, unsigned *mask,
                            struct gj_error *err)
{
    *mask = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT reason FROM complaint_events WHERE complaint_id = ? "
                                  "AND cycle = ? AND kind = 'escalated'",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, cycle);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *mask |= gj_complaint_reason_bit((const char *)sqlite3_column_text(st, 0));
    gj_stmt_done(st);
    return rc == SQLITE_DONE ? GJ_OK : gj_db_fail(db, rc, _("reading escalations"), err);
}

/* Complaint id as it stands (*cur) and the escalations due for it at now
 * that are not recorded yet (due, at most 3); *n gets how many. */
static int escalations_pending(struct gj_db *db, int64_t id, int64_t now, struct gj_complaint *cur,
                               struct gj_complaint_escalation *due, int *n, struct gj_error *err)
{
    unsigned mask = 0;
    *n = 0;
    int rc = gj_complaint_get(db, id, cur, err);
    if (rc == GJ_OK)
        rc = recorded_reasons(db, cur->id, cur->cycle, &mask, err);
    if (rc == GJ_OK)
        *n = gj_complaint_escalations_due(cur, mask, now, due);
    return rc;
}

int gj_complaint_escalate(struct gj_db *db, struct gj_complaint *c, int64_t now, int *recorded,
                          struct gj_error *err)
{
    *recorded = 0;
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    struct gj_complaint cur;
    struct gj_complaint_escalation due[3];
    int n = 0;
    rc = escalations_pending(db, c->id, now, &cur, due, &n, err);
    for (int i = 0; rc == GJ_OK && i < n; i++) {
        struct gj_complaint_event ev;
        memset(&ev, 0, sizeof ev);
        strcpy(ev.kind, "escalated");
        snprintf(ev.reason, sizeof ev.reason, "%s", due[i].reason);
        ev.from_level = due[i].from_level;
        ev.to_level = due[i].to_level;
        gj_format_datetime(due[i].due_at, ev.note, sizeof ev.note); /* the deadline passed */
        cur.level = due[i].to_level;
        rc = gj_complaint_transition(db, 0, &cur, &ev, err);
    }
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        *c = cur;
        *recorded = n;
    }
    return rc;
}

#define SWEEP_PAGE 64

int gj_complaint_escalations_find(struct gj_db *db, int64_t now, int64_t **found, size_t *nfound,
                                  long *checked, struct gj_error *err)
{
    *found = NULL;
    *nfound = 0;
    *checked = 0;
    size_t cap = 0;
    int rc = gj_db_begin_read(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t ids[SWEEP_PAGE], after = 0;
    for (;;) {
        sqlite3_stmt *st = gj_db_stmt(
            db,
            "SELECT id FROM complaints WHERE state IN ('open', 'acknowledged') AND ack_due_at < ?1 "
            "AND (acknowledged_at IS NULL OR acknowledged_at > ack_due_at) AND level < 3 "
            "AND id > ?2 UNION SELECT id FROM complaints WHERE state IN ('open', 'acknowledged') "
            "AND resolve_due_at < ?1 AND level < 3 AND id > ?2 ORDER BY id LIMIT ?3",
            err);
        if (!st) {
            rc = err->code;
            break;
        }
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_int64(st, 2, after);
        sqlite3_bind_int(st, 3, SWEEP_PAGE);
        int n = 0, step;
        while (n < SWEEP_PAGE && (step = sqlite3_step(st)) == SQLITE_ROW)
            ids[n++] = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
        if (n < SWEEP_PAGE && step != SQLITE_DONE) {
            rc = gj_db_fail(db, step, _("finding overdue complaints"), err);
            break;
        }
        for (int i = 0; rc == GJ_OK && i < n; i++, (*checked)++) {
            struct gj_complaint cur;
            struct gj_complaint_escalation due[3];
            int due_n = 0;
            rc = escalations_pending(db, ids[i], now, &cur, due, &due_n, err);
            if (rc != GJ_OK || due_n == 0)
                continue;
            rc = gj_ids_push(found, nfound, &cap, ids[i], err);
        }
        if (rc != GJ_OK || n < SWEEP_PAGE)
            break;
        after = ids[n - 1];
    }
    gj_db_rollback(db); /* it only read */
    if (rc != GJ_OK) {
        free(*found);
        *found = NULL;
        *nfound = 0;
    }
    return rc;
}

/* Records what is due for one complaint at *(int64_t *)at. */
static int escalate_one(struct gj_db *db, int64_t id, void *at, long *recorded,
                        struct gj_error *err)
{
    struct gj_complaint c = {.id = id};
    int got = 0;
    int rc = gj_complaint_escalate(db, &c, *(const int64_t *)at, &got, err);
    *recorded += got;
    return rc;
}

int gj_complaint_escalations_record(struct gj_db *db, const int64_t *ids, size_t n, int64_t now,
                                    size_t per_tx, long *recorded, struct gj_error *err)
{
    return gj_db_each_in_batches(db, ids, n, per_tx, escalate_one, &now, recorded, err);
}

int gj_complaint_escalate_due(struct gj_db *db, int64_t now, long *checked, long *recorded,
                              struct gj_error *err)
{
    int64_t *ids = NULL;
    size_t n = 0;
    *recorded = 0;
    int rc = gj_complaint_escalations_find(db, now, &ids, &n, checked, err);
    if (rc == GJ_OK)
        rc = gj_complaint_escalations_record(db, ids, n, now, SWEEP_PAGE, recorded, err);
    free(ids);
    return rc;
}

int gj_complaint_do(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_complaint *c,
                    const struct gj_complaint_step *step_in, struct gj_error *err)
{
    int64_t now = gj_now();
    struct gj_complaint_step step = *step_in;
    struct gj_sla_target sla;
    int rc = GJ_OK;
    int64_t days = 3;
    if (strcmp(step.event ? step.event : "", "regrade") == 0 && step.grade &&
        gj_complaint_grade_level(step.grade) >= 0)
        rc = gj_sla_get(db, "complaint", step.grade, &sla, err);
    else if (strcmp(step.event ? step.event : "", "revisit") == 0)
        rc = gj_sla_get(db, "complaint", c->grade, &sla, err);
    if (rc != GJ_OK)
        return rc;
    if (!step.sla && rc == GJ_OK && step.event &&
        (strcmp(step.event, "regrade") == 0 || strcmp(step.event, "revisit") == 0))
        step.sla = &sla;
    if (step.revisit_days == 0) {
        rc = gj_setting_get_int(db, "complaint.revisit_days", 3, &days, err);
        if (rc != GJ_OK)
            return rc;
        step.revisit_days = (int)days;
    }
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    struct gj_complaint next = *c;
    /* A deadline that passed before this step is recorded first; the row
     * is checked against the caller's version there too. */
    struct gj_complaint cur;
    rc = gj_complaint_get(db, c->id, &cur, err);
    char label[64];
    complaint_label(c->id, label, sizeof label);
    if (rc == GJ_OK && cur.meta.version != c->meta.version)
        rc = gj_db_conflict(db, "complaints", label, c->id, err);
    int got = 0;
    if (rc == GJ_OK)
        rc = gj_complaint_escalate(db, &next, now, &got, err);
    const char *kind = NULL;
    if (rc == GJ_OK)
        rc = gj_complaint_step_apply(&next, &step, role, now, &kind, err);
    struct gj_complaint_event ev;
    memset(&ev, 0, sizeof ev);
    ev.from_level = ev.to_level = -1;
    if (rc == GJ_OK) {
        snprintf(ev.kind, sizeof ev.kind, "%s", kind);
        const char *text = step.note ? step.note : "";
        if (strcmp(step.event, "resolve") == 0)
            snprintf(ev.note, sizeof ev.note, "%s", step.result ? step.result : "");
        else if (strcmp(step.event, "revisit") == 0)
            snprintf(ev.note, sizeof ev.note, _("rated %d/5: %s"), step.satisfaction, text);
        else if (strcmp(step.event, "regrade") == 0)
            snprintf(ev.note, sizeof ev.note, "%s → %s: %s", gj_complaint_grade_label(c->grade),
                     gj_complaint_grade_label(step.grade), text);
        else
            snprintf(ev.note, sizeof ev.note, "%s", text);
        rc = gj_complaint_transition(db, actor, &next, &ev, err);
    }
    /* A satisfied owner closes it, when nothing is missing for closing. */
    struct gj_error e2;
    if (rc == GJ_OK && strcmp(kind, "revisited") == 0 &&
        gj_complaint_close_after_revisit(&next, now, &e2) == GJ_OK) {
        memset(&ev, 0, sizeof ev);
        ev.from_level = ev.to_level = -1;
        snprintf(ev.kind, sizeof ev.kind, "%s", "closed");
        rc = gj_complaint_transition(db, actor, &next, &ev, err);
    }
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK)
        *c = next;
    return rc;
}

int gj_complaint_assign_many(struct gj_db *db, int64_t actor, enum gj_role role,
                             struct gj_complaint *rows, int n, int64_t assignee, const char *note,
                             struct gj_error *err)
{
    int rc = gj_require(role, GJ_ACTION_REASSIGN_COMPLAINT, err);
    if (rc == GJ_OK)
        rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    struct gj_complaint_step step = {.event = "assign", .assignee_user_id = assignee, .note = note};
    struct gj_complaint *done = calloc((size_t)(n > 0 ? n : 1), sizeof *done);
    if (!done)
        return gj_tx_finish(db, gj_err(err, GJ_ENOMEM, "%s", _("out of memory")), err);
    for (int i = 0; rc == GJ_OK && i < n; i++) {
        done[i] = rows[i];
        if (done[i].assignee_user_id == assignee)
            continue; /* already theirs: nothing to record */
        rc = gj_complaint_do(db, actor, role, &done[i], &step, err);
    }
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK)
        memcpy(rows, done, (size_t)n * sizeof *rows);
    free(done);
    return rc;
}
