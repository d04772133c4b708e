/* Work orders (工单) and their event trail: the data layer only; the
 * lifecycle rules and the SLA clock live above it.
 * Every write runs in its own transaction (nested into the caller's, if
 * any), validates through core/ (rules_workorders.h) and is audited by the
 * database. Writes take the acting user's id (0 = the system). Updates
 * check meta.version and bump it on success; a stale version gives
 * GJ_ECONFLICT naming who changed the row and when, and writes nothing.
 * The state only changes through gj_wo_transition, which always records
 * an event with it. Events are append-only. Structs are caller-owned. */
#ifndef GUANJIA_REPO_WORKORDERS_H
#define GUANJIA_REPO_WORKORDERS_H

#include "guanjia/db.h"
#include "guanjia/model.h"
#include "guanjia/sla.h"

/* Creates wo in state "new" (wo->state is set to it) with every field the
 * caller filled, including respond_due_at and resolve_due_at, and appends
 * its "created" event (to_state "new") in the same transaction. Fills
 * wo->id, created_at, created_by and meta. */
int gj_wo_create(struct gj_db *db, int64_t actor, struct gj_work_order *wo, struct gj_error *err);

/* Reads one order; GJ_ENOTFOUND when there is none. */
int gj_wo_get(struct gj_db *db, int64_t id, struct gj_work_order *out, struct gj_error *err);

/* Saves every mutable column of wo (version-checked). The state is not
 * changed here: a wo->state different from the stored one gives
 * GJ_EINVAL (use gj_wo_transition). */
int gj_wo_update(struct gj_db *db, int64_t actor, struct gj_work_order *wo, struct gj_error *err);

/* Saves wo with its new state and fields (version-checked against
 * wo->meta.version) and appends one event of event_kind with note ("" or
 * NULL for none), from_state being the stored state before and to_state
 * wo->state, in ONE transaction: if either write fails, nothing is
 * written and wo is left as it was given. The state may stay the same
 * (e.g. "promised"). No lifecycle rule is applied here beyond the
 * schema's. */
int gj_wo_transition(struct gj_db *db, int64_t actor, struct gj_work_order *wo,
                     const char *event_kind, const char *note, struct gj_error *err);

/* Appends an event that does not change the order: chased, note,
 * respond_breached or resolve_breached (from_state and to_state empty),
 * with note ("" or NULL for none). A breach is recorded
 * once per order and kind: recording it again gives GJ_ECONSTRAINT ("this
 * breach is already recorded") and writes nothing, which a periodic check
 * may ignore. An unknown order gives GJ_ENOTFOUND. */
int gj_wo_event_add(struct gj_db *db, int64_t actor, int64_t work_order_id, const char *kind,
                    const char *note, struct gj_error *err);

/* Whether the order's response and resolution breaches are recorded yet
 * (each is recorded at most once). */
int gj_wo_breaches_recorded(struct gj_db *db, int64_t work_order_id, int *respond, int *resolve,
                            struct gj_error *err);

/* The open orders with a deadline passed at now (core/sla.h) that is not
 * recorded yet, looked for in a read transaction, which holds no write
 * lock: *ids (malloc'd; free it) gets their ids, *n how many, *seen how
 * many open orders were looked at. */
int gj_wo_breaches_due(struct gj_db *db, int64_t now, int64_t **ids, size_t *n, long *seen,
                       struct gj_error *err);
/* Records the breaches due at now of the n orders ids, each read again
 * first (it may have changed since it was found; what is recorded by then
 * is not recorded twice). Write transactions of at most per_tx orders
 * each, so another terminal's save waits for one of them at most. A
 * breach is a fact of its own: on a failure, those of the transactions
 * before it stay recorded. *recorded gets how many were recorded. */
int gj_wo_breaches_record(struct gj_db *db, const int64_t *ids, size_t n, int64_t now,
                          size_t per_tx, long *recorded, struct gj_error *err);

/* Up to limit events of an order with id > after_id (0: from the first),
 * oldest first; *n gets how many. Pass the last row's id to go on. */
int gj_wo_events(struct gj_db *db, int64_t work_order_id, int64_t after_id, int limit,
                 struct gj_wo_event *rows, int *n, struct gj_error *err);

/* Up to limit open orders (new, dispatched, in_progress, on_hold), the
 * most urgent first: by the deadline as the clock stands
 * (gj_wo_queue_due), then id, strictly after (after_due, after_id); pass
 * INT64_MIN, 0 to start and the last row's (gj_wo_queue_due, id) to go on. */
int gj_wo_list_open(struct gj_db *db, int64_t after_due, int64_t after_id, int limit,
                    struct gj_work_order *rows, int *n, struct gj_error *err);
/* A view of the open queue (the Work orders screen's f), filtered in SQL.
 * Zero fields do not filter. */
enum gj_wo_when {
    GJ_WO_WHEN_ANY,
    GJ_WO_WHEN_OVERDUE,  /* gj_wo_overdue at now (core/sla.h) */
    GJ_WO_WHEN_DUE_SOON, /* gj_wo_due_soon at now */
};
struct gj_wo_view {
    const char *state;     /* one open state; NULL: all four */
    int64_t department_id; /* only this department's orders */
    int64_t created_by;    /* only the orders this user took */
    enum gj_wo_when when;
    int64_t now; /* for OVERDUE and DUE_SOON */
};

/* Up to limit orders of the view, in the order of gj_wo_list_open: forward,
 * strictly after (due, id) (INT64_MIN, 0 to start); backward, strictly
 * before it, nearest first. */
int gj_wo_list_view(struct gj_db *db, const struct gj_wo_view *v, int64_t due, int64_t id,
                    int forward, int limit, struct gj_work_order *rows, int *n,
                    struct gj_error *err);

/* Every work order, open or not, by id after after_id (0: from the first). */
int gj_wo_list_all(struct gj_db *db, int64_t after_id, int limit, struct gj_work_order *rows,
                   int *n, struct gj_error *err);

/* The same list read backwards: up to limit open orders strictly before
 * (before_due, before_id), nearest first. */
int gj_wo_list_open_before(struct gj_db *db, int64_t before_due, int64_t before_id, int limit,
                           struct gj_work_order *rows, int *n, struct gj_error *err);

/* Up to limit orders of a unit, newest first: by created_at then id, both
 * descending, strictly before (after_created_at, after_id); pass after_id
 * 0 to start from the newest. */
int gj_wo_list_by_unit(struct gj_db *db, int64_t unit_id, int64_t after_created_at,
                       int64_t after_id, int limit, struct gj_work_order *rows, int *n,
                       struct gj_error *err);

/* How many open orders (see gj_wo_list_open) a unit has. */
int gj_wo_count_open_by_unit(struct gj_db *db, int64_t unit_id, int64_t *count,
                             struct gj_error *err);

/* Counters stop at this many: the status bar shows "999+" beyond. */
#define GJ_COUNT_CAP 1000

/* How many open orders are overdue at now, by the rule of gj_wo_overdue
 * (core/sla.h): past the promised time or the target, moved by the pauses;
 * orders on hold are not counted. For the console's counters: at most
 * GJ_COUNT_CAP. */
int gj_wo_count_overdue(struct gj_db *db, int64_t now, int64_t *count, struct gj_error *err);

/* One lifecycle step as a user action, in one transaction: the rules of
 * gj_wo_step_apply (role, allowed transition, required fields), the row
 * and its event (version-checked: a stale wo gives GJ_ECONFLICT naming who
 * changed it), and a response or resolution breach the step reveals,
 * recorded once. On GJ_OK wo holds the saved order. */
/* The owner chased the order (催单): counts it and records the event with
 * note, in one transaction (version-checked like every update). */
int gj_wo_chase(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_work_order *wo,
                const char *note, struct gj_error *err);

int gj_wo_do(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_work_order *wo,
             const struct gj_wo_step *step, struct gj_error *err);

#endif
