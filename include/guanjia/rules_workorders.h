/* Validation of work orders, complaints and their events (core/, no I/O).
 * Each function checks the codes against the schema's CHECKs, the text
 * lengths and the required fields, and reports the first problem as
 * "FIELD: WHY" with GJ_EINVAL. The rules that tie a state to other fields
 * (a closed order needs the owner's satisfaction, a cancelled one a
 * reason, ...) are kept by the database, which names them clearly; the
 * lifecycle rules come with the lifecycle itself. */
#ifndef GUANJIA_RULES_WORKORDERS_H
#define GUANJIA_RULES_WORKORDERS_H

#include "guanjia/error.h"
#include "guanjia/model.h"

/* channel, category, priority, state, description (1..4000), both due
 * times set and resolve_due_at >= respond_due_at, promised_at and
 * promise_reason (1..500) together, hold_reason (owner parts other or
 * none), resolution (<= 4000), satisfaction (0 = none or 1..5), feedback
 * (<= 2000), cancel_reason (<= 500), chase_count and paused_seconds not
 * negative. */
int gj_wo_validate(const struct gj_work_order *wo, struct gj_error *err);

/* True for the states of an order still being worked on: new,
 * dispatched, in_progress, on_hold. */
int gj_wo_state_is_open(const char *state);

/* An event kind of work_order_events and its note (<= 4000). With
 * standalone set, only the kinds recorded without a change of the order
 * are accepted: chased, note, respond_breached, resolve_breached. */
int gj_wo_event_validate(const char *kind, const char *note, int standalone, struct gj_error *err);

/* The level a new complaint starts at: minor 0, moderate 1, serious 2;
 * -1 for an unknown grade. */
int gj_complaint_grade_level(const char *grade);

/* channel, subject (1..200, one line), detail (1..4000), category, grade,
 * level 0..3, state, cycle >= 1, both due times set and resolve_due_at >=
 * ack_due_at, action_taken, result, root_cause, corrective_action (each
 * <= 4000), satisfaction (0 = none or 1..5), revisit_comment (<= 2000). */
int gj_complaint_validate(const struct gj_complaint *c, struct gj_error *err);

/* True for open and acknowledged. */
int gj_complaint_state_is_open(const char *state);

/* kind, note (<= 4000), levels (-1 = not set, else 0..3), cycle >= 1 when
 * set (0 = filled by the repository). An escalation needs its reason
 * (ack_overdue resolve_overdue resolve_overdue_more) and raises the level
 * by exactly one; other kinds carry no reason. With standalone set, only
 * note and escalated are accepted (the kinds that may be recorded without
 * writing the complaint row). */
int gj_complaint_event_validate(const struct gj_complaint_event *ev, int standalone,
                                struct gj_error *err);

#endif
