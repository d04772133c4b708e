/* Work orders and their events. */
#include "guanjia/repo_workorders.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/sla.h"
#include "guanjia/rules_workorders.h"

#include <stdio.h>
#include <string.h>

#define WO_COLS                                                                                    \
    "id, coalesce(unit_id, 0), coalesce(person_id, 0), channel, category, priority, state, "       \
    "description, coalesce(appointment_at, 0), respond_due_at, resolve_due_at, "                   \
    "coalesce(promised_at, 0), promise_reason, coalesce(department_id, 0), "                       \
    "coalesce(assignee_staff_id, 0), coalesce(responded_at, 0), coalesce(resolved_at, 0), "        \
    "coalesce(closed_at, 0), paused_seconds, coalesce(hold_started_at, 0), hold_reason, "          \
    "resolution, coalesce(satisfaction, 0), feedback, cancel_reason, chase_count, created_at, "    \
    "coalesce(created_by, 0), version, updated_at, coalesce(updated_by, 0), due_at"

/* The open states, as the literal SQL of the lists and counts below. */
#define WO_OPEN_IN "('new', 'dispatched', 'in_progress', 'on_hold')"

static void read_wo(sqlite3_stmt *st, void *row)
{
    struct gj_work_order *w = row;
    /* Every field is set below (text fields are terminated), so the 44 KB
     * of the row are not cleared first: a page is read in a few us. */
    w->id = sqlite3_column_int64(st, 0);
    w->unit_id = sqlite3_column_int64(st, 1);
    w->person_id = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, w->channel, sizeof w->channel);
    gj_col_text(st, 4, w->category, sizeof w->category);
    gj_col_text(st, 5, w->priority, sizeof w->priority);
    gj_col_text(st, 6, w->state, sizeof w->state);
    gj_col_text(st, 7, w->description, sizeof w->description);
    w->appointment_at = sqlite3_column_int64(st, 8);
    w->respond_due_at = sqlite3_column_int64(st, 9);
    w->resolve_due_at = sqlite3_column_int64(st, 10);
    w->promised_at = sqlite3_column_int64(st, 11);
    gj_col_text(st, 12, w->promise_reason, sizeof w->promise_reason);
    w->department_id = sqlite3_column_int64(st, 13);
    w->assignee_staff_id = sqlite3_column_int64(st, 14);
    w->responded_at = sqlite3_column_int64(st, 15);
    w->resolved_at = sqlite3_column_int64(st, 16);
    w->closed_at = sqlite3_column_int64(st, 17);
    w->paused_seconds = sqlite3_column_int64(st, 18);
    w->hold_started_at = sqlite3_column_int64(st, 19);
    gj_col_text(st, 20, w->hold_reason, sizeof w->hold_reason);
    gj_col_text(st, 21, w->resolution, sizeof w->resolution);
    w->satisfaction = sqlite3_column_int(st, 22);
    gj_col_text(st, 23, w->feedback, sizeof w->feedback);
    gj_col_text(st, 24, w->cancel_reason, sizeof w->cancel_reason);
    w->chase_count = sqlite3_column_int(st, 25);
    w->created_at = sqlite3_column_int64(st, 26);
    w->created_by = sqlite3_column_int64(st, 27);
    gj_read_meta(st, 28, &w->meta);
}

static void wo_label(int64_t id, char *out, size_t outsz)
{
    snprintf(out, outsz, _("work order #%lld"), (long long)id);
}

/* Binds the 24 mutable columns other than the state, in the order of the
 * INSERT and UPDATE below, from parameter i on; returns the next index. */
static int bind_wo_fields(sqlite3_stmt *st, int i, const struct gj_work_order *w)
{
    gj_bind_id(st, i++, w->unit_id);
    gj_bind_id(st, i++, w->person_id);
    gj_bind_text(st, i++, w->channel);
    gj_bind_text(st, i++, w->category);
    gj_bind_text(st, i++, w->priority);
    gj_bind_text(st, i++, w->description);
    gj_bind_opt_i64(st, i++, w->appointment_at != 0, w->appointment_at);
    sqlite3_bind_int64(st, i++, w->respond_due_at);
    sqlite3_bind_int64(st, i++, w->resolve_due_at);
    gj_bind_opt_i64(st, i++, w->promised_at != 0, w->promised_at);
    gj_bind_text(st, i++, w->promise_reason);
    gj_bind_id(st, i++, w->department_id);
    gj_bind_id(st, i++, w->assignee_staff_id);
    gj_bind_opt_i64(st, i++, w->responded_at != 0, w->responded_at);
    gj_bind_opt_i64(st, i++, w->resolved_at != 0, w->resolved_at);
    gj_bind_opt_i64(st, i++, w->closed_at != 0, w->closed_at);
    sqlite3_bind_int64(st, i++, w->paused_seconds);
    gj_bind_opt_i64(st, i++, w->hold_started_at != 0, w->hold_started_at);
    gj_bind_text(st, i++, w->hold_reason);
    gj_bind_text(st, i++, w->resolution);
    gj_bind_opt_i64(st, i++, w->satisfaction != 0, w->satisfaction);
    gj_bind_text(st, i++, w->feedback);
    gj_bind_text(st, i++, w->cancel_reason);
    sqlite3_bind_int(st, i++, w->chase_count);
    return i;
}

int gj_wo_get(struct gj_db *db, int64_t id, struct gj_work_order *out, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT " WO_COLS " FROM work_orders WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a work order"), err);
    if (rc == GJ_OK) {
        read_wo(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

/* Appends one event. The only unique rule on the table is "a breach once
 * per order and kind", so a UNIQUE failure is reported as that. */
static int insert_wo_event(struct gj_db *db, int64_t wo_id, int64_t at, int64_t actor,
                           const char *kind, const char *from_state, const char *to_state,
                           const char *note, const char *what, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO work_order_events(work_order_id, at, user_id, "
                                  "kind, from_state, to_state, note) VALUES (?,?,?,?,?,?,?)",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, wo_id);
    sqlite3_bind_int64(st, 2, at);
    gj_bind_id(st, 3, actor);
    gj_bind_text(st, 4, kind);
    gj_bind_text(st, 5, from_state);
    gj_bind_text(st, 6, to_state);
    gj_bind_text(st, 7, note);
    int rc = sqlite3_step(st);
    gj_stmt_done(st);
    if (rc == SQLITE_DONE)
        return GJ_OK;
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return gj_err(err, GJ_ECONSTRAINT, "%s: %s", what, _("this breach is already recorded"));
    return gj_db_fail(db, rc, what, err);
}

int gj_wo_create(struct gj_db *db, int64_t actor, struct gj_work_order *wo, struct gj_error *err)
{
    strcpy(wo->state, "new");
    int rc = gj_wo_validate(wo, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "INSERT INTO work_orders(unit_id, person_id, channel, category, priority, description, "
        "appointment_at, respond_due_at, resolve_due_at, promised_at, promise_reason, "
        "department_id, assignee_staff_id, responded_at, resolved_at, closed_at, paused_seconds, "
        "hold_started_at, hold_reason, resolution, satisfaction, feedback, cancel_reason, "
        "chase_count, state, created_at, created_by, updated_at, updated_by) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    int i = bind_wo_fields(st, 1, wo);
    sqlite3_bind_text(st, i++, wo->state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, i++, now);
    gj_bind_id(st, i++, actor);
    sqlite3_bind_int64(st, i++, now);
    gj_bind_id(st, i, actor);
    rc = gj_db_exec_stmt(db, st, _("creating a work order"), err);
    int64_t id = 0;
    if (rc == GJ_OK) {
        id = sqlite3_last_insert_rowid(db->h);
        char label[64];
        wo_label(id, label, sizeof label);
        rc = insert_wo_event(db, id, now, actor, "created", NULL, "new", NULL, label, err);
    }
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK) {
        wo->id = id;
        wo->created_at = now;
        wo->created_by = actor;
        wo->meta = (struct gj_row_meta){1, now, actor};
    }
    return rc;
}

/* The version-checked UPDATE of every mutable column, state being state. */
static int write_wo(struct gj_db *db, int64_t actor, const struct gj_work_order *wo,
                    const char *state, int exists, int64_t now, const char *label,
                    struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "UPDATE work_orders SET unit_id = ?, person_id = ?, channel = ?, category = ?, "
        "priority = ?, description = ?, appointment_at = ?, respond_due_at = ?, "
        "resolve_due_at = ?, promised_at = ?, promise_reason = ?, department_id = ?, "
        "assignee_staff_id = ?, responded_at = ?, resolved_at = ?, closed_at = ?, "
        "paused_seconds = ?, hold_started_at = ?, hold_reason = ?, resolution = ?, "
        "satisfaction = ?, feedback = ?, cancel_reason = ?, chase_count = ?, state = ?, "
        "version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
        err);
    if (!st)
        return err->code;
    int i = bind_wo_fields(st, 1, wo);
    gj_bind_text(st, i++, state);
    sqlite3_bind_int64(st, i++, now);
    gj_bind_id(st, i++, actor);
    sqlite3_bind_int64(st, i++, wo->id);
    sqlite3_bind_int64(st, i, wo->meta.version);
    return gj_step_guarded(db, st, "work_orders", label, wo->id, exists, label, err);
}

int gj_wo_update(struct gj_db *db, int64_t actor, struct gj_work_order *wo, struct gj_error *err)
{
    int rc = gj_wo_validate(wo, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[64];
    wo_label(wo->id, label, sizeof label);
    struct gj_work_order cur;
    memset(&cur, 0, sizeof cur);
    struct gj_error e2;
    int exists = gj_wo_get(db, wo->id, &cur, &e2) == GJ_OK;
    if (exists && cur.meta.version == wo->meta.version && strcmp(cur.state, wo->state) != 0)
        return gj_tx_finish(db,
                            gj_err(err, GJ_EINVAL,
                                   _("%s: change it with a transition, so that it is recorded"),
                                   _("state")),
                            err);
    /* The stored state is written back: an update never moves the state. */
    rc = write_wo(db, actor, wo, exists ? cur.state : wo->state, exists, now, label, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK)
        wo->meta = (struct gj_row_meta){wo->meta.version + 1, now, actor};
    return rc;
}

int gj_wo_transition(struct gj_db *db, int64_t actor, struct gj_work_order *wo,
                     const char *event_kind, const char *note, struct gj_error *err)
{
    int rc = gj_wo_validate(wo, err);
    if (rc == GJ_OK)
        rc = gj_wo_event_validate(event_kind, note, 0, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[64];
    wo_label(wo->id, label, sizeof label);
    struct gj_work_order cur;
    memset(&cur, 0, sizeof cur);
    struct gj_error e2;
    int exists = gj_wo_get(db, wo->id, &cur, &e2) == GJ_OK;
    rc = write_wo(db, actor, wo, wo->state, exists, now, label, err);
    if (rc == GJ_OK)
        rc = insert_wo_event(db, wo->id, now, actor, event_kind, cur.state, wo->state, note, label,
                             err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK)
        wo->meta = (struct gj_row_meta){wo->meta.version + 1, now, actor};
    return rc;
}

int gj_wo_event_add(struct gj_db *db, int64_t actor, int64_t work_order_id, const char *kind,
                    const char *note, struct gj_error *err)
{
    int rc = gj_wo_event_validate(kind, note, 1, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    char label[64];
    wo_label(work_order_id, label, sizeof label);
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT 1 FROM work_orders WHERE id = ?", err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, work_order_id);
    int step = sqlite3_step(st);
    gj_stmt_done(st);
    if (step == SQLITE_ROW)
        rc =
            insert_wo_event(db, work_order_id, gj_now(), actor, kind, NULL, NULL, note, label, err);
    else if (step == SQLITE_DONE)
        rc = gj_err(err, GJ_ENOTFOUND, _("%s: no such work order"), label);
    else
        rc = gj_db_fail(db, step, label, err);
    return gj_tx_finish(db, rc, err);
}

static void read_wo_event(sqlite3_stmt *st, void *row)
{
    struct gj_wo_event *e = row;
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->work_order_id = sqlite3_column_int64(st, 1);
    e->at = sqlite3_column_int64(st, 2);
    e->user_id = sqlite3_column_int64(st, 3);
    gj_col_text(st, 4, e->kind, sizeof e->kind);
    gj_col_text(st, 5, e->from_state, sizeof e->from_state);
    gj_col_text(st, 6, e->to_state, sizeof e->to_state);
    gj_col_text(st, 7, e->note, sizeof e->note);
}

int gj_wo_events(struct gj_db *db, int64_t work_order_id, int64_t after_id, int limit,
                 struct gj_wo_event *rows, int *n, struct gj_error *err)
{
    return gj_query_rows(db,
                         "SELECT id, work_order_id, at, coalesce(user_id, 0), kind, "
                         "from_state, to_state, note FROM work_order_events "
                         "WHERE work_order_id = ? AND id > ? ORDER BY id LIMIT ?",
                         work_order_id, after_id, limit, rows, sizeof *rows, read_wo_event, n,
                         _("listing the events of a work order"), err);
}

/* A view of the open queue as SQL: one arm per open state the view can
 * hold, each walking an index in (due_at, id) order (wo_state_due_at, or
 * with a department or a creator wo_department_due and wo_creator_due,
 * migration 9), merged by SQLite without sorting; the page stops at the
 * limit. due_at is the deadline as the clock stands (migration 6).
 * Parameters: ?1 ?2 the anchor, ?3 the limit, ?4 the department, ?5 the
 * creator, ?6 now, ?7 the due-soon window. The texts are built once per
 * variant into static buffers, because the statement cache is keyed by
 * the text's address. */
enum { VS_STATES = 5, VS_WHEN = 3, VIEW_SQL_BYTES = 4096 };
static const char *const open_states[] = {"new", "dispatched", "in_progress", "on_hold"};

static void view_arm(char *sql, size_t sz, const char *state, const struct gj_wo_view *v,
                     int forward)
{
    size_t n = strlen(sql);
    n += (size_t)snprintf(sql + n, sz - n,
                          "%sSELECT " WO_COLS " FROM work_orders WHERE state = '%s' "
                          "AND (due_at, id) %s (?1, ?2)",
                          n ? " UNION ALL " : "", state, forward ? ">" : "<");
    if (v->department_id)
        n += (size_t)snprintf(sql + n, sz - n, " AND department_id = ?4");
    if (v->created_by)
        n += (size_t)snprintf(sql + n, sz - n, " AND created_by = ?5");
    if (v->when == GJ_WO_WHEN_OVERDUE && strcmp(state, "new") == 0)
        snprintf(sql + n, sz - n,
                 " AND (due_at < ?6 OR (responded_at IS NULL AND respond_due_at < ?6))");
    else if (v->when == GJ_WO_WHEN_OVERDUE)
        snprintf(sql + n, sz - n, " AND due_at < ?6");
    else if (v->when == GJ_WO_WHEN_DUE_SOON)
        snprintf(sql + n, sz - n, " AND due_at >= ?6 AND due_at < ?6 + ?7");
}

static const char *view_sql(const struct gj_wo_view *v, int forward)
{
    static char texts[VS_STATES][2][2][VS_WHEN][2][VIEW_SQL_BYTES];
    int si = 0;
    if (v->state) {
        for (si = 1; si < VS_STATES; si++)
            if (strcmp(v->state, open_states[si - 1]) == 0)
                break;
        if (si == VS_STATES)
            return NULL;
    }
    int when = v->when == GJ_WO_WHEN_OVERDUE ? 1 : v->when == GJ_WO_WHEN_DUE_SOON ? 2 : 0;
    char *sql = texts[si][v->department_id != 0][v->created_by != 0][when][forward != 0];
    if (sql[0])
        return sql;
    for (int i = 0; i < 4; i++) {
        const char *state = open_states[i];
        if (si ? si - 1 != i : (when && strcmp(state, "on_hold") == 0))
            continue; /* orders on hold are neither overdue nor due soon */
        view_arm(sql, VIEW_SQL_BYTES, state, v, forward);
    }
    size_t n = strlen(sql);
    snprintf(sql + n, VIEW_SQL_BYTES - n, " ORDER BY due_at%s, id%s LIMIT ?3",
             forward ? "" : " DESC", forward ? "" : " DESC");
    return sql;
}

int gj_wo_list_view(struct gj_db *db, const struct gj_wo_view *v, int64_t due, int64_t id,
                    int forward, int limit, struct gj_work_order *rows, int *n,
                    struct gj_error *err)
{
    *n = 0;
    const char *sql = view_sql(v, forward);
    if (!sql)
        return gj_err(err, GJ_EINVAL, _("%s is not an open state"), v->state);
    sqlite3_stmt *st = gj_db_stmt(db, sql, err);
    if (!st)
        return err->code;
    /* Due soon is a window of the index: start the walk at its edge, not
     * at the first overdue order (the same rows, read without the ones
     * before the window). */
    if (v->when == GJ_WO_WHEN_DUE_SOON && forward && due < v->now) {
        due = v->now - 1;
        id = INT64_MAX;
    } else if (v->when == GJ_WO_WHEN_DUE_SOON && !forward && due >= v->now + GJ_DUE_SOON_SECONDS) {
        due = v->now + GJ_DUE_SOON_SECONDS;
        id = INT64_MIN;
    }
    /* A parameter the variant does not use is out of range: ignored. */
    sqlite3_bind_int64(st, 1, due);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_int(st, 3, limit);
    sqlite3_bind_int64(st, 4, v->department_id);
    sqlite3_bind_int64(st, 5, v->created_by);
    sqlite3_bind_int64(st, 6, v->now);
    sqlite3_bind_int64(st, 7, GJ_DUE_SOON_SECONDS);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_wo, n,
                        _("listing open work orders"), err);
}

int gj_wo_list_open(struct gj_db *db, int64_t after_due, int64_t after_id, int limit,
                    struct gj_work_order *rows, int *n, struct gj_error *err)
{
    const struct gj_wo_view all = {0};
    return gj_wo_list_view(db, &all, after_due, after_id, 1, limit, rows, n, err);
}

int gj_wo_list_open_before(struct gj_db *db, int64_t before_due, int64_t before_id, int limit,
                           struct gj_work_order *rows, int *n, struct gj_error *err)
{
    const struct gj_wo_view all = {0};
    return gj_wo_list_view(db, &all, before_due, before_id, 0, limit, rows, n, err);
}

int gj_wo_list_all(struct gj_db *db, int64_t after_id, int limit, struct gj_work_order *rows,
                   int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT " WO_COLS " FROM work_orders WHERE id > ? ORDER BY id LIMIT ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_wo, n, _("listing work orders"),
                        err);
}

int gj_wo_list_by_unit(struct gj_db *db, int64_t unit_id, int64_t after_created_at,
                       int64_t after_id, int limit, struct gj_work_order *rows, int *n,
                       struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " WO_COLS " FROM work_orders WHERE unit_id = ? "
                                  "AND (created_at, id) < (?, ?) "
                                  "ORDER BY created_at DESC, id DESC LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    sqlite3_bind_int64(st, 2, after_id ? after_created_at : INT64_MAX);
    sqlite3_bind_int64(st, 3, after_id ? after_id : INT64_MAX);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_wo, n,
                        _("listing the work orders of a unit"), err);
}

int gj_wo_count_open_by_unit(struct gj_db *db, int64_t unit_id, int64_t *count,
                             struct gj_error *err)
{
    *count = 0;
    sqlite3_stmt *st = gj_db_stmt(
        db, "SELECT count(*) FROM work_orders WHERE unit_id = ? AND state IN " WO_OPEN_IN, err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    int rc = gj_step_one(db, st, _("counting open work orders"), err);
    if (rc == GJ_OK) {
        *count = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_wo_count_overdue(struct gj_db *db, int64_t now, int64_t *count, struct gj_error *err)
{
    *count = 0;
    /* The same rule as gj_wo_overdue in core/sla.c: the promised time or the
     * target, moved by the pauses; orders on hold are not counted. Each arm
     * stops at the cap (?2), so the counter reads at most a few thousand
     * index entries however many orders are late: past due by state over
     * wo_state_due_at, and new orders not yet due but past their response
     * deadline over wo_new_unanswered (migration 9; named, or the planner
     * walks every new order not yet due). */
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "SELECT min(?2, (SELECT count(*) FROM (SELECT 1 FROM work_orders "
                   "WHERE state = 'dispatched' AND due_at < ?1 LIMIT ?2)) + "
                   "(SELECT count(*) FROM (SELECT 1 FROM work_orders "
                   "WHERE state = 'in_progress' AND due_at < ?1 LIMIT ?2)) + "
                   "(SELECT count(*) FROM (SELECT 1 FROM work_orders "
                   "WHERE state = 'new' AND due_at < ?1 LIMIT ?2)) + "
                   "(SELECT count(*) FROM (SELECT 1 FROM work_orders INDEXED BY wo_new_unanswered "
                   "WHERE state = 'new' AND responded_at IS NULL AND respond_due_at < ?1 "
                   "AND due_at >= ?1 LIMIT ?2)))",
                   err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, GJ_COUNT_CAP);
    int rc = gj_step_one(db, st, _("counting overdue work orders"), err);
    if (rc == GJ_OK) {
        *count = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_wo_breaches_recorded(struct gj_db *db, int64_t work_order_id, int *respond, int *resolve,
                            struct gj_error *err)
{
    *respond = *resolve = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT kind FROM work_order_events WHERE work_order_id = ? "
                                  "AND kind IN ('respond_breached', 'resolve_breached')",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, work_order_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        if (kind && strcmp(kind, "respond_breached") == 0)
            *respond = 1;
        else if (kind)
            *resolve = 1;
    }
    gj_stmt_done(st);
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("reading recorded breaches"), err);
    return GJ_OK;
}

int gj_wo_chase(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_work_order *wo,
                const char *note, struct gj_error *err)
{
    int rc = gj_require(role, GJ_ACTION_CREATE_WORK_ORDER, err);
    if (rc != GJ_OK)
        return rc;
    if (!gj_wo_is_open_state(wo->state))
        return gj_err(err, GJ_EINVAL, "%s", _("only an open order can be chased"));
    struct gj_work_order next = *wo;
    next.chase_count++;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_wo_update(db, actor, &next, err);
    if (rc == GJ_OK)
        rc = gj_wo_event_add(db, actor, next.id, "chased", note, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK)
        *wo = next;
    return rc;
}

int gj_wo_do(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_work_order *wo,
             const struct gj_wo_step *step, struct gj_error *err)
{
    int64_t now = gj_now();
    struct gj_work_order next = *wo;
    const char *kind = NULL;
    int rc = gj_wo_step_apply(&next, step, role, now, &kind, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    /* The history says what the step was about: the rating, what the
     * order waits for. */
    char note[GJ_NOTE_BYTES + 64];
    const char *text = step->note && *step->note ? step->note : "";
    if (strcmp(step->event, "close") == 0)
        snprintf(note, sizeof note, _("rated %d/5: %s"), step->satisfaction, text);
    else if (strcmp(step->event, "hold") == 0)
        snprintf(note, sizeof note, "%s%s%s", gj_wo_hold_reason_label(step->hold_reason),
                 *text ? ": " : "", text);
    else
        snprintf(note, sizeof note, "%s", text);
    rc = gj_wo_transition(db, actor, &next, kind, note, err);
    /* A deadline passed before or by this step is recorded here, once. */
    int have_respond = 0, have_resolve = 0;
    if (rc == GJ_OK)
        rc = gj_wo_breaches_recorded(db, next.id, &have_respond, &have_resolve, err);
    if (rc == GJ_OK && !have_respond &&
        (gj_wo_respond_breached(wo, now) || gj_wo_respond_breached(&next, now)))
        rc = gj_wo_event_add(db, 0, next.id, "respond_breached", NULL, err);
    if (rc == GJ_OK && !have_resolve &&
        (gj_wo_resolve_breached(wo, now) || gj_wo_resolve_breached(&next, now)))
        rc = gj_wo_event_add(db, 0, next.id, "resolve_breached", NULL, err);
    rc = gj_tx_finish(db, rc, err);
    if (rc == GJ_OK)
        *wo = next;
    return rc;
}
