/* Work-order rules (core/, no I/O): deadlines with the clock paused while
 * an order is on hold, breaches, "due soon", and which state changes are
 * allowed. The repository stores; these decide. */
#ifndef GUANJIA_SLA_H
#define GUANJIA_SLA_H

#include <stdint.h>
#include "guanjia/error.h"
#include "guanjia/model.h"
#include "guanjia/roles.h"

#define GJ_DUE_SOON_SECONDS 3600 /* "due soon": less than an hour left */

/* Sets respond_due_at and resolve_due_at from created_at and the targets
 * (minutes) of the order's priority. */
void gj_wo_set_deadlines(struct gj_work_order *wo, int respond_minutes, int resolve_minutes);

/* The seconds the order's clock has stood still by now: the recorded
 * pauses plus the running hold, if on hold. */
int64_t gj_wo_paused(const struct gj_work_order *wo, int64_t now);

/* The resolution deadline as it stands at now: a promised time if one was
 * given, else the target; either moved later by the pauses. */
int64_t gj_wo_resolve_deadline(const struct gj_work_order *wo, int64_t now);
/* The key the queue is sorted by: the promised time, else the target,
 * moved by the recorded pauses (not by a hold still running). The
 * database keeps the same value as work_orders.due_at. */
int64_t gj_wo_queue_due(const struct gj_work_order *wo);

/* The response deadline: the target. Holds come after the response
 * (dispatch), so they never move it. */
int64_t gj_wo_respond_deadline(const struct gj_work_order *wo, int64_t now);

/* Open orders: new, dispatched, in progress, on hold. */
int gj_wo_is_open_state(const char *state);

/* Breaches at now: responded (dispatched) after, or not yet by, the
 * response deadline; resolved after, or not yet by, the resolution
 * deadline (an order on hold is not breaching it while its clock stands).
 * Cancelled orders breach nothing. */
int gj_wo_respond_breached(const struct gj_work_order *wo, int64_t now);
int gj_wo_resolve_breached(const struct gj_work_order *wo, int64_t now);

/* Open and past the resolution deadline / less than an hour from it. */
int gj_wo_overdue(const struct gj_work_order *wo, int64_t now);
int gj_wo_due_soon(const struct gj_work_order *wo, int64_t now);

/* The lifecycle. Events that change the state: dispatch, start, hold,
 * resume, resolve, close, reopen, cancel; "promise" (a resolution time
 * promised to the owner, with a reason) keeps it. Returns the state the order
 * moves to, or NULL with a message naming both when the event is not
 * allowed from state. */
const char *gj_wo_next_state(const char *state, const char *event, struct gj_error *err);

/* One step of the lifecycle, as the user asks for it. */
struct gj_wo_step {
    const char *event;         /* dispatch start hold resume resolve close reopen cancel */
    int64_t department_id;     /* dispatch: required */
    int64_t assignee_staff_id; /* dispatch: optional */
    const char *hold_reason;   /* hold: owner, parts or other */
    const char *note;          /* dispatch: optional (e.g. the department's name);
                                  hold: optional; resolve: what was done (required);
                                  close: the owner's comment; reopen, cancel: why (required) */
    int satisfaction;          /* close: the owner's rating 1..5 */
    int64_t promised_at;       /* promise: the time promised to the owner */
};

/* Applies step to wo at now for a user of role: checks the role may do it
 * (gj_require), that the lifecycle allows it (gj_wo_next_state) and that
 * its fields are there, then sets the new state and what goes with it
 * (response time on the first dispatch, the hold and its pause, the
 * resolution, the feedback). A close rated 2 or less reopens the order
 * instead. Fills *event_kind with the event to record ("dispatched",
 * "held", "reopened"...). wo is changed only on GJ_OK. */
/* The translated name of a state code ("in_progress" -> "in progress"). */
const char *gj_wo_state_label(const char *state);

/* "waiting for parts" etc., translated, for a hold-reason code. */
const char *gj_wo_hold_reason_label(const char *code);

int gj_wo_step_apply(struct gj_work_order *wo, const struct gj_wo_step *step, enum gj_role role,
                     int64_t now, const char **event_kind, struct gj_error *err);

#endif
