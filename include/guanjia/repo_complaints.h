/* Complaints (投诉) and their event trail: the data layer only; the
 * lifecycle, the escalation clock and the revisit rules live above it.
 * Every write runs in its own transaction (nested into the caller's, if
 * any), validates through core/ (rules_workorders.h) and is audited by the
 * database. Writes take the acting user's id (0 = the system). Updates
 * check meta.version and bump it on success; a stale version gives
 * GJ_ECONFLICT naming who changed the row and when, and writes nothing.
 * The state, grade, level and cycle only change through
 * gj_complaint_transition, which always records an event with them.
 * Events are append-only. Structs are caller-owned. */
#ifndef GUANJIA_REPO_COMPLAINTS_H
#define GUANJIA_REPO_COMPLAINTS_H

#include "guanjia/complaint_rules.h"
#include "guanjia/db.h"
#include "guanjia/model.h"

/* Creates c in state "open", cycle 1, at the level of its grade (minor 0,
 * moderate 1, serious 2) -- those three fields are set in c -- with every
 * other field the caller filled, including ack_due_at and resolve_due_at,
 * and appends its "created" event (cycle 1) in the same transaction.
 * Fills c->id, created_at, created_by and meta. */
int gj_complaint_create(struct gj_db *db, int64_t actor, struct gj_complaint *c,
                        struct gj_error *err);

/* Reads one complaint; GJ_ENOTFOUND when there is none. */
int gj_complaint_get(struct gj_db *db, int64_t id, struct gj_complaint *out, struct gj_error *err);

/* Saves every mutable column of c (version-checked) except the state,
 * grade, level and cycle: a change of any of those gives GJ_EINVAL (use
 * gj_complaint_transition). */
int gj_complaint_update(struct gj_db *db, int64_t actor, struct gj_complaint *c,
                        struct gj_error *err);

/* Saves c with its new state and fields (version-checked against
 * c->meta.version) and appends the event ev in ONE transaction: if either
 * write fails, nothing is written and c and ev are left as given.
 * ev gives kind, note, and for an escalation its reason; from_level and
 * to_level when given (-1 = not given), else, when c->level differs from
 * the stored level, the stored and the new level. The event carries
 * c->cycle. On success ev->id, complaint_id, at, user_id, cycle and the
 * levels are filled. No lifecycle rule is applied here beyond the
 * schema's. */
int gj_complaint_transition(struct gj_db *db, int64_t actor, struct gj_complaint *c,
                            struct gj_complaint_event *ev, struct gj_error *err);

/* Appends an event that does not write the complaint row: note, or
 * escalated (with reason and from_level/to_level, the level raised by
 * one). ev->complaint_id names the complaint; ev->cycle 0 means its
 * current cycle. An escalation is recorded once per complaint, cycle and
 * reason: recording it again gives GJ_ECONSTRAINT ("this escalation is
 * already recorded") and writes nothing, which a periodic check may
 * ignore. An unknown complaint gives GJ_ENOTFOUND. On success ev->id, at,
 * user_id and cycle are filled. */
int gj_complaint_event_add(struct gj_db *db, int64_t actor, struct gj_complaint_event *ev,
                           struct gj_error *err);

/* Up to limit events of a complaint with id > after_id (0: from the
 * first), oldest first; *n gets how many. */
int gj_complaint_events(struct gj_db *db, int64_t complaint_id, int64_t after_id, int limit,
                        struct gj_complaint_event *rows, int *n, struct gj_error *err);

/* Up to limit open complaints (open, acknowledged), by resolve_due_at
 * then id, strictly after (after_due, after_id); pass 0, 0 to start and
 * the last row's (resolve_due_at, id) to go on. */
int gj_complaint_list_open(struct gj_db *db, int64_t after_due, int64_t after_id, int limit,
                           struct gj_complaint *rows, int *n, struct gj_error *err);

/* Up to limit resolved complaints awaiting their revisit (回访), by
 * revisit_due_at then id, strictly after (after_due, after_id); pass 0, 0
 * to start. The earliest due come first, so a caller wanting only those
 * due by now stops at the first row due later. */
int gj_complaint_list_revisit_due(struct gj_db *db, int64_t after_due, int64_t after_id, int limit,
                                  struct gj_complaint *rows, int *n, struct gj_error *err);

/* How many open complaints (open, acknowledged) a unit has. */
int gj_complaint_count_open_by_unit(struct gj_db *db, int64_t unit_id, int64_t *count,
                                    struct gj_error *err);

/* How many open or acknowledged complaints are past their resolve deadline
 * (or, when still unacknowledged, their acknowledge deadline) at now. */
int gj_complaint_count_overdue(struct gj_db *db, int64_t now, int64_t *count, struct gj_error *err);

/* ---- the queue ---------------------------------------------------------- */

/* What the supervisor's queue shows. Every field narrows it; zeroes show
 * every open (new or acknowledged) complaint. */
struct gj_complaint_filter {
    int revisit;        /* resolved and waiting for the revisit, instead of open ones */
    char grade[16];     /* "" or minor / moderate / serious */
    int overdue;        /* past the deadline that applies (see due below) at now */
    int escalated;      /* above the level its grade starts at */
    int unacknowledged; /* not acknowledged yet */
    int unassigned;     /* nobody handles it */
    int64_t assignee;   /* > 0: handled by this user */
    int64_t now;
};
/* The deadline a row is sorted by: the revisit's in the revisit view,
 * else acknowledging it while new, else resolving it. */
int64_t gj_complaint_queue_due(const struct gj_complaint *c, int revisit);

/* Up to limit complaints of the queue, by that deadline then id, strictly
 * after (forward) or before (backward, returned nearest first) the key
 * (after_due, after_id); pass INT64_MIN/INT64_MAX to start from an end. */
int gj_complaint_queue(struct gj_db *db, const struct gj_complaint_filter *f, int forward,
                       int64_t key_due, int64_t key_id, int limit, struct gj_complaint *rows,
                       int *n, struct gj_error *err);

/* How many serious complaints are open or awaiting the revisit. */
int gj_complaint_count_serious_open(struct gj_db *db, int64_t *count, struct gj_error *err);

/* ---- actions (each one transaction) ---------------------------------------- */

/* Takes a new complaint: the role may register complaints, the deadlines
 * come from the grade's SLA targets, and it goes to its creator when the
 * creator may handle its grade (else it waits unassigned for the
 * supervisor). Fills the rest as gj_complaint_create does. */
int gj_complaint_take(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_complaint *c,
                      struct gj_error *err);

/* Records the escalations due for c at now (core/complaint_rules.h), once
 * each, as the system; c is reread and updated. *recorded gets how many. */
int gj_complaint_escalate(struct gj_db *db, struct gj_complaint *c, int64_t now, int *recorded,
                          struct gj_error *err);

/* The open complaints with an escalation due at now and not recorded,
 * looked for in a read transaction (no write lock): *ids (malloc'd; free
 * it) gets them, *n how many; *checked how many complaints past a deadline
 * were looked at. */
int gj_complaint_escalations_find(struct gj_db *db, int64_t now, int64_t **ids, size_t *n,
                                  long *checked, struct gj_error *err);
/* Records what is due at now for the n complaints ids (gj_complaint_escalate,
 * which reads each again: what is recorded by then is not recorded twice),
 * in write transactions of at most per_tx complaints, so another
 * terminal's save waits for one of them at most. On a failure, the
 * transactions before it stay recorded. *recorded gets how many. */
int gj_complaint_escalations_record(struct gj_db *db, const int64_t *ids, size_t n, int64_t now,
                                    size_t per_tx, long *recorded, struct gj_error *err);

/* Every open complaint whose deadline has passed: records what is due
 * (the two above, 64 complaints a transaction). Idempotent. *checked gets
 * how many complaints were looked at. */
int gj_complaint_escalate_due(struct gj_db *db, int64_t now, long *checked, long *recorded,
                              struct gj_error *err);

/* One step of the lifecycle as a user action (version-checked: a stale c
 * gives GJ_ECONFLICT naming who changed it): escalations already due are
 * recorded first, then the step (gj_complaint_step_apply) with its event.
 * A revisit rated 3 or more closes the complaint too when nothing is
 * missing for closing. On GJ_OK c holds the saved complaint. */
int gj_complaint_do(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_complaint *c,
                    const struct gj_complaint_step *step, struct gj_error *err);

/* Reassigns n complaints (each version-checked as given) to assignee, all
 * or none. */
int gj_complaint_assign_many(struct gj_db *db, int64_t actor, enum gj_role role,
                             struct gj_complaint *rows, int n, int64_t assignee, const char *note,
                             struct gj_error *err);

#endif
