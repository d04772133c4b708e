/* Complaint rules (core/, no I/O): deadlines per grade, the escalation
 * ladder, and the lifecycle from intake to the revisit (回访). The
 * repository stores; these decide. docs/complaints.md explains them with a
 * timeline for each grade.
 *
 * Levels: 0 butler, 1 supervisor, 2 manager, 3 management alerted (高层介入).
 * A complaint starts at the level of its grade (minor 0, moderate 1,
 * serious 2) and only ever climbs by itself. */
#ifndef GUANJIA_COMPLAINT_RULES_H
#define GUANJIA_COMPLAINT_RULES_H

#include <stdint.h>
#include "guanjia/error.h"
#include "guanjia/model.h"
#include "guanjia/roles.h"

#define GJ_COMPLAINT_TOP_LEVEL 3

/* Translated names of the codes, for screens and exports. Unknown codes
 * come back as given. */
const char *gj_complaint_grade_label(const char *grade);
const char *gj_complaint_category_label(const char *category);
const char *gj_complaint_state_label(const char *state);
const char *gj_complaint_level_label(int level);
const char *gj_complaint_reason_label(const char *reason);
/* The codes, NULL-terminated, in the order forms offer them. */
extern const char *const gj_complaint_grades[];
extern const char *const gj_complaint_categories[];

/* When the current cycle began: the reopening, or the intake. */
int64_t gj_complaint_cycle_start(const struct gj_complaint *c);

/* Sets ack_due_at and resolve_due_at from the cycle start and the grade's
 * targets (respond_minutes is the time to acknowledge). */
void gj_complaint_set_deadlines(struct gj_complaint *c, const struct gj_sla_target *t);

/* The ladder. Three deadlines, each raising the level by one when it
 * passes with the complaint still not done:
 *   ack_overdue           ack_due_at passed, not acknowledged by then
 *   resolve_overdue       resolve_due_at passed, not resolved by then
 *   resolve_overdue_more  half the resolve window (resolve_due_at minus
 *                         the cycle start) again after resolve_due_at
 * Each is recorded once per cycle; at the top level there is nowhere
 * higher, so nothing more is recorded. */
enum {
    GJ_ESC_ACK = 1 << 0,
    GJ_ESC_RESOLVE = 1 << 1,
    GJ_ESC_RESOLVE_MORE = 1 << 2,
};
struct gj_complaint_escalation {
    const char *reason; /* ack_overdue resolve_overdue resolve_overdue_more */
    int64_t due_at;     /* the deadline that passed */
    int from_level, to_level;
};
/* The escalations due for c at now that are not yet in recorded (a mask
 * of GJ_ESC_*, the reasons already recorded this cycle), in deadline
 * order, each one level above the one before; fills out and returns how
 * many (0..3). Only open and acknowledged complaints escalate. */
int gj_complaint_escalations_due(const struct gj_complaint *c, unsigned recorded, int64_t now,
                                 struct gj_complaint_escalation out[3]);
/* The GJ_ESC_* bit of a reason code; 0 for an unknown one. */
unsigned gj_complaint_reason_bit(const char *reason);
/* The next deadline still to come for c after now (ack, resolve, or the
 * further half window), or 0 when none is left. */
int64_t gj_complaint_next_deadline(const struct gj_complaint *c, int64_t now);

/* Open (or acknowledged) and past the deadline that applies: to
 * acknowledge while unacknowledged, else to resolve. */
int gj_complaint_overdue(const struct gj_complaint *c, int64_t now);
/* The deadline that applies now: ack_due_at until acknowledged, then
 * resolve_due_at; 0 once resolved. */
int64_t gj_complaint_due(const struct gj_complaint *c);
/* A moderate or serious complaint needs a root cause and a corrective or
 * preventive action before it closes; a minor one needs nothing more. */
int gj_complaint_can_close(const struct gj_complaint *c, struct gj_error *err);

/* The close that follows a satisfied revisit (3 or more): part of the
 * revisit, so it needs no more than the revisit's permission, only that
 * nothing is missing for closing (gj_complaint_can_close). c is changed
 * only on GJ_OK. */
int gj_complaint_close_after_revisit(struct gj_complaint *c, int64_t now, struct gj_error *err);

/* One step of the lifecycle, as the user asks for it. */
struct gj_complaint_step {
    const char *event;               /* acknowledge regrade assign resolve revisit close */
    const char *grade;               /* regrade: the new grade */
    int64_t assignee_user_id;        /* assign: who handles it now (> 0) */
    const char *note;                /* acknowledge, assign: optional; regrade: why (required);
                                        revisit: the owner's comment */
    const char *action_taken;        /* resolve: required */
    const char *result;              /* resolve: required */
    const char *root_cause;          /* resolve: optional; close: required unless minor */
    const char *corrective;          /* the corrective or preventive action, as root_cause */
    int satisfaction;                /* revisit: 1..5 */
    const struct gj_sla_target *sla; /* regrade: the new grade's targets; revisit: the
                                        grade's, for a reopening */
    int revisit_days;                /* resolve: the revisit is due this many days later */
};

/* Applies step to c at now for a user of role: checks the role (handling
 * needs the grade's action: minor butler, moderate supervisor, serious
 * manager; regrade and assign the supervisor's; the revisit a butler's),
 * the state, and the fields, then sets what changes. A revisit rated 2 or
 * less reopens the complaint: a new cycle from now, with fresh deadlines,
 * at the level it had (it never de-escalates). Fills *event_kind with the
 * event to record. c is changed only on GJ_OK. */
int gj_complaint_step_apply(struct gj_complaint *c, const struct gj_complaint_step *step,
                            enum gj_role role, int64_t now, const char **event_kind,
                            struct gj_error *err);

#endif
