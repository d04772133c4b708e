/* The Desk's items: a few small indexed queries in one read snapshot. */
#include "guanjia/repo_desk.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"

#include <stdio.h>
#include <string.h>

/* Every query yields: id, unit_id, due, unit code parts, text. ?1 user,
 * ?3 now, ?4 start of day, ?5 end of day, ?6 limit. */
#define UNIT_COLS "coalesce(u.building, 0), coalesce(u.entrance, 0), coalesce(u.room, 0)"

/* The work-order kinds walk an index in (due_at, id) order, one arm per
 * state merged without sorting: wo_state_due_at for the team,
 * wo_creator_due for one butler's own (migration 9). */
#define WO_ARM(state, who, cond)                                                                   \
    "SELECT w.id, coalesce(w.unit_id, 0), w.due_at AS due, " UNIT_COLS ", w.description "          \
    "FROM work_orders w LEFT JOIN units u ON u.id = w.unit_id "                                    \
    "WHERE w.state = '" state "' " who " AND w.due_at " cond
#define OWN  "AND w.created_by = ?1"
#define TEAM ""
#define WO_KIND(who, cond, last)                                                                   \
    WO_ARM("new", who, cond)                                                                       \
    " UNION ALL " WO_ARM("dispatched", who, cond) " UNION ALL " WO_ARM("in_progress", who, cond)   \
        last " ORDER BY due, 1 LIMIT ?6"
#define ON_HOLD(who, cond) " UNION ALL " WO_ARM("on_hold", who, cond)

/* [kind][team] */
static const char *const queries[GJ_DESK_KINDS][2] = {
    [GJ_DESK_OVERDUE_ORDER] = {WO_KIND(OWN, "< ?3", ""), WO_KIND(TEAM, "< ?3", "")},
    [GJ_DESK_OVERDUE_COMPLAINT] =
        {"SELECT c.id, coalesce(c.unit_id, 0), CASE WHEN c.state = 'open' THEN c.ack_due_at ELSE "
         "c.resolve_due_at END AS due, " UNIT_COLS ", c.subject "
         "FROM complaints c LEFT JOIN units u ON u.id = c.unit_id "
         "WHERE c.state IN ('open', 'acknowledged') AND c.assignee_user_id = ?1 "
         "AND due < ?3 ORDER BY due, c.id LIMIT ?6",
         "SELECT c.id, coalesce(c.unit_id, 0), CASE WHEN c.state = 'open' THEN c.ack_due_at ELSE "
         "c.resolve_due_at END AS due, " UNIT_COLS ", c.subject "
         "FROM complaints c LEFT JOIN units u ON u.id = c.unit_id "
         "WHERE c.state IN ('open', 'acknowledged') AND due < ?3 ORDER BY due, c.id LIMIT ?6"},
    [GJ_DESK_TO_ACKNOWLEDGE] = {"SELECT c.id, coalesce(c.unit_id, 0), c.ack_due_at, " UNIT_COLS
                                ", c.subject "
                                "FROM complaints c LEFT JOIN units u ON u.id = c.unit_id "
                                "WHERE c.state = 'open' AND c.assignee_user_id = ?1 "
                                "ORDER BY c.ack_due_at, c.id LIMIT ?6",
                                "SELECT c.id, coalesce(c.unit_id, 0), c.ack_due_at, " UNIT_COLS
                                ", c.subject "
                                "FROM complaints c LEFT JOIN units u ON u.id = c.unit_id "
                                "WHERE c.state = 'open' ORDER BY c.ack_due_at, c.id LIMIT ?6"},
    [GJ_DESK_REVISIT] = {"SELECT c.id, coalesce(c.unit_id, 0), c.revisit_due_at, " UNIT_COLS
                         ", c.subject "
                         "FROM complaints c LEFT JOIN units u ON u.id = c.unit_id "
                         "WHERE c.state = 'resolved' AND c.revisited_at IS NULL "
                         "AND c.revisit_due_at < ?5 "
                         "AND (c.assignee_user_id = ?1 OR c.created_by = ?1) "
                         "ORDER BY c.revisit_due_at, c.id LIMIT ?6",
                         "SELECT c.id, coalesce(c.unit_id, 0), c.revisit_due_at, " UNIT_COLS
                         ", c.subject "
                         "FROM complaints c LEFT JOIN units u ON u.id = c.unit_id "
                         "WHERE c.state = 'resolved' AND c.revisited_at IS NULL "
                         "AND c.revisit_due_at < ?5 ORDER BY c.revisit_due_at, c.id LIMIT ?6"},
    [GJ_DESK_PROMISE] =
        {"SELECT d.id, d.unit_id, d.promised_at, " UNIT_COLS ", coalesce(d.note, '') "
         "FROM dunning_contacts d JOIN units u ON u.id = d.unit_id "
         "WHERE d.result = 'promised' AND d.promised_at < ?5 AND d.promised_at >= ?4 - 7 * 86400 "
         "AND d.user_id = ?1 AND NOT EXISTS (SELECT 1 FROM dunning_contacts n "
         "WHERE n.unit_id = d.unit_id AND n.at > d.at) "
         "AND EXISTS (SELECT 1 FROM bills b WHERE b.unit_id = d.unit_id "
         "AND b.paid_fen < b.amount_fen) ORDER BY d.promised_at, d.id LIMIT ?6",
         "SELECT d.id, d.unit_id, d.promised_at, " UNIT_COLS ", coalesce(d.note, '') "
         "FROM dunning_contacts d JOIN units u ON u.id = d.unit_id "
         "WHERE d.result = 'promised' AND d.promised_at < ?5 AND d.promised_at >= ?4 - 7 * 86400 "
         "AND NOT EXISTS (SELECT 1 FROM dunning_contacts n "
         "WHERE n.unit_id = d.unit_id AND n.at > d.at) "
         "AND EXISTS (SELECT 1 FROM bills b WHERE b.unit_id = d.unit_id "
         "AND b.paid_fen < b.amount_fen) ORDER BY d.promised_at, d.id LIMIT ?6"},
    /* "+": walk wo_appointment (few rows), not every open order. */
    [GJ_DESK_APPOINTMENT] =
        {"SELECT w.id, coalesce(w.unit_id, 0), w.appointment_at, " UNIT_COLS ", w.description "
         "FROM work_orders w LEFT JOIN units u ON u.id = w.unit_id "
         "WHERE +w.state IN ('new', 'dispatched', 'in_progress', 'on_hold') "
         "AND w.appointment_at >= ?4 AND w.appointment_at < ?5 AND +w.created_by = ?1 "
         "ORDER BY w.appointment_at, w.id LIMIT ?6",
         "SELECT w.id, coalesce(w.unit_id, 0), w.appointment_at, " UNIT_COLS ", w.description "
         "FROM work_orders w LEFT JOIN units u ON u.id = w.unit_id "
         "WHERE +w.state IN ('new', 'dispatched', 'in_progress', 'on_hold') "
         "AND w.appointment_at >= ?4 AND w.appointment_at < ?5 "
         "ORDER BY w.appointment_at, w.id LIMIT ?6"},
    [GJ_DESK_ORDER] = {WO_KIND(OWN, ">= ?3", ON_HOLD(OWN, ">= ?3")),
                       WO_KIND(TEAM, ">= ?3", ON_HOLD(TEAM, ">= ?3"))},
};

static int read_kind(struct gj_db *db, enum gj_desk_kind kind, int64_t user_id, int team,
                     int64_t now, int64_t day, int limit, struct gj_desk_item *rows, int *n,
                     struct gj_error *err)
{
    /* The texts are string literals: the statement cache keys on them. */
    sqlite3_stmt *st = gj_db_stmt(db, queries[kind][team != 0], err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, day);
    sqlite3_bind_int64(st, 5, day + 86400);
    sqlite3_bind_int(st, 6, limit);
    int rc, start = *n;
    while (*n - start < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct gj_desk_item *it = &rows[*n];
        memset(it, 0, sizeof *it);
        it->kind = kind;
        it->id = sqlite3_column_int64(st, 0);
        it->unit_id = sqlite3_column_int64(st, 1);
        it->due = sqlite3_column_int64(st, 2);
        int b = sqlite3_column_int(st, 3), e = sqlite3_column_int(st, 4),
            r = sqlite3_column_int(st, 5);
        if (it->unit_id)
            snprintf(it->unit_code, sizeof it->unit_code, "%d-%d-%d", b, e, r);
        gj_col_text(st, 6, it->text, sizeof it->text);
        (*n)++;
    }
    gj_stmt_done(st);
    if (rc == SQLITE_ROW)
        rc = SQLITE_DONE;
    return rc == SQLITE_DONE ? GJ_OK : gj_db_fail(db, rc, _("reading the desk"), err);
}

int gj_desk_items(struct gj_db *db, int64_t user_id, int team, int64_t now, int per_kind,
                  struct gj_desk_item *rows, int *n, struct gj_error *err)
{
    *n = 0;
    int rc = gj_db_begin_read(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t day = gj_day_start(now);
    for (int k = 0; rc == GJ_OK && k < GJ_DESK_KINDS; k++)
        rc = read_kind(db, (enum gj_desk_kind)k, user_id, team, now, day, per_kind, rows, n, err);
    gj_db_rollback(db); /* ends the read */
    return rc;
}
