/* Community life and safety (社区文化建设、安全管理): notices, activities
 * and their sign-ups, patrols and their findings, drills and incidents;
 * the data layer of rules_community.h.
 *
 * Every write runs in its own transaction (nested into the caller's, if
 * any), validates through core/ first and is audited by the database.
 * Writes take the acting user's id (0 = the system) and role. Updates
 * check meta.version and bump it on success; a stale version gives
 * GJ_ECONFLICT naming who changed the row and when, and writes nothing.
 * Nothing is deleted: notices are withdrawn, activities and sign-ups
 * cancelled, patrols ended, incidents closed. Structs are caller-owned;
 * on failure a write leaves the struct as it was given.
 *
 * Roles. roles.h has no actions of their own for these records; the
 * nearest ones are asked, before anything is read or written:
 *   reading anything            GJ_ACTION_VIEW_OWNERS (every role: a
 *                               trainee learns from the records too);
 *   writing anything            GJ_ACTION_ADD_CONTACT (butler and above:
 *                               like the contact log, a record of what
 *                               was done and said on the estate);
 *   a finding to a work order   GJ_ACTION_CREATE_WORK_ORDER (butler and
 *                               above), as at the work-order intake.
 * A role that may not gets GJ_EPERM ("a trainee may not ...").
 *
 * Lists page by keyset: each says which key to pass to start and which
 * of the last row's fields to pass to go on; *n gets how many rows. */
#ifndef GUANJIA_REPO_COMMUNITY_H
#define GUANJIA_REPO_COMMUNITY_H

#include <stdint.h>
#include "guanjia/db.h"
#include "guanjia/roles.h"
#include "guanjia/rules_community.h"

/* ---- notices ------------------------------------------------------------------ */

/* Posts n (withdrawn 0). Fills id, created_at, created_by and meta. */
int gj_notice_create(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_notice *n,
                     struct gj_error *err);
/* GJ_ENOTFOUND when there is none. */
int gj_notice_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_notice *out,
                  struct gj_error *err);
/* Saves title, body, audience and validity (version-checked). A withdrawn
 * notice is not changed (GJ_EINVAL). */
int gj_notice_update(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_notice *n,
                     struct gj_error *err);
/* Takes the notice down (version-checked); it stays on record. Once only
 * (GJ_EINVAL when already withdrawn). */
int gj_notice_withdraw(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_notice *n,
                       struct gj_error *err);
/* Up to limit notices valid at `at` (valid_from <= at <= valid_to, not
 * withdrawn), the latest first (valid_from, then id, descending), strictly
 * before (before_from, before_id): pass INT64_MAX, INT64_MAX to start.
 * Whom for:
 *   unit_id > 0            what that unit's owners see: the estate's
 *                          notices, its building's and its own
 *                          (GJ_ENOTFOUND for an unknown unit);
 *   else building > 0      the estate's and that building's;
 *   else                   every valid notice, whatever its audience
 *                          (the front desk's board). */
int gj_notices_valid(struct gj_db *db, enum gj_role role, int64_t at, int64_t unit_id, int building,
                     int64_t before_from, int64_t before_id, int limit, struct gj_notice *rows,
                     int *n, struct gj_error *err);

/* ---- activities and sign-ups ---------------------------------------------------- */

/* Creates a (cancelled 0). Fills id, created_at, created_by, meta. */
int gj_activity_create(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_activity *a,
                       struct gj_error *err);
/* Reads one activity with the people signed up (a->signed_up). */
int gj_activity_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_activity *out,
                    struct gj_error *err);
/* Saves title, place, times, capacity and note (version-checked). A
 * cancelled activity is not changed (GJ_EINVAL); the capacity cannot go
 * below the people already signed up (GJ_ECONSTRAINT saying how many). */
int gj_activity_update(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_activity *a,
                       struct gj_error *err);
/* Cancels the activity (version-checked; once only). Its sign-ups stay
 * on record as they are. */
int gj_activity_cancel(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_activity *a,
                       struct gj_error *err);
/* Up to limit activities not cancelled and not over at now (ends_at >=
 * now), the soonest first (starts_at, then id), strictly after
 * (after_starts, after_id): pass INT64_MIN, 0 to start. Each with its
 * signed_up. */
int gj_activities_upcoming(struct gj_db *db, enum gj_role role, int64_t now, int64_t after_starts,
                           int64_t after_id, int limit, struct gj_activity *rows, int *n,
                           struct gj_error *err);

/* Signs a unit up for an activity (s: activity_id, unit_id, people,
 * person_id optional). Refused: an unknown activity or unit
 * (GJ_ENOTFOUND), a cancelled or finished activity (GJ_EINVAL), a unit
 * already signed up and not cancelled (GJ_ECONSTRAINT naming the unit and
 * its sign-up), more people than the places left (GJ_ECONSTRAINT saying
 * how many are left). Fills id, at, by_user, meta. */
int gj_signup_add(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_signup *s,
                  struct gj_error *err);
int gj_signup_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_signup *out,
                  struct gj_error *err);
/* Cancels the sign-up (version-checked; once only): its places are free
 * again and the unit may sign up anew. */
int gj_signup_cancel(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_signup *s,
                     struct gj_error *err);
/* Up to limit sign-ups of an activity by id after after_id (0: from the
 * first); only the active ones unless all is set. */
int gj_signups_list(struct gj_db *db, enum gj_role role, int64_t activity_id, int all,
                    int64_t after_id, int limit, struct gj_signup *rows, int *n,
                    struct gj_error *err);
/* The people and the units signed up for an activity (active sign-ups). */
int gj_activity_signed_up(struct gj_db *db, enum gj_role role, int64_t activity_id, int *people,
                          int *units, struct gj_error *err);

/* ---- patrols and findings ---------------------------------------------------- */

/* Starts a patrol of p->route by actor (by_user), at p->started_at or, if
 * 0, now; ended_at is cleared. Fills id, by_user, started_at, meta. */
int gj_patrol_start(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_patrol *p,
                    struct gj_error *err);
/* Reads one patrol with its findings and orders counts. */
int gj_patrol_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_patrol *out,
                  struct gj_error *err);
/* Saves route and note (version-checked); the times are not changed here. */
int gj_patrol_update(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_patrol *p,
                     struct gj_error *err);
/* Ends the patrol now (version-checked; once only: GJ_EINVAL when it has
 * ended). Fills p->ended_at. */
int gj_patrol_end(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_patrol *p,
                  struct gj_error *err);
/* Up to limit patrols, the latest first (started_at, then id, descending),
 * strictly before (before_started, before_id): pass INT64_MAX, INT64_MAX
 * to start. Each with findings (how many) and orders (how many of them
 * became work orders). */
int gj_patrols_recent(struct gj_db *db, enum gj_role role, int64_t before_started,
                      int64_t before_id, int limit, struct gj_patrol *rows, int *n,
                      struct gj_error *err);

/* Records a finding on a patrol under way (f: patrol_id, location, what,
 * severity; at 0 = now), by actor. Refused: an unknown patrol
 * (GJ_ENOTFOUND), one that has ended or a time before it started
 * (GJ_EINVAL). work_order_id is cleared: see gj_finding_to_work_order.
 * Fills id, at, by_user, meta. */
int gj_finding_add(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_finding *f,
                   struct gj_error *err);
int gj_finding_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_finding *out,
                   struct gj_error *err);
/* Saves location, what and severity (version-checked). */
int gj_finding_update(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_finding *f,
                      struct gj_error *err);
/* Up to limit findings of a patrol, by id after after_id (0: from the
 * first). */
int gj_findings_list(struct gj_db *db, enum gj_role role, int64_t patrol_id, int64_t after_id,
                     int limit, struct gj_finding *rows, int *n, struct gj_error *err);

/* Turns a finding into a work order, in ONE transaction: the order (unit
 * unit_id or 0 for the common parts, channel "other", category, priority
 * or, NULL or "", the one the finding's severity suggests, see
 * gj_finding_priority; the description says it is a patrol finding, with
 * the route, the location and what was found; the response and
 * resolution deadlines from the SLA targets of the priority), its
 * "created" event, and the finding's link to it. A finding already turned
 * into an order is refused (GJ_ECONSTRAINT naming the order); if any step
 * fails, nothing is written. On GJ_OK *wo_id gets the new order's id. */
int gj_finding_to_work_order(struct gj_db *db, int64_t actor, enum gj_role role, int64_t finding_id,
                             int64_t unit_id, const char *category, const char *priority,
                             int64_t *wo_id, struct gj_error *err);

/* ---- drills ------------------------------------------------------------------ */

/* Records a drill held (by_user = actor). Fills id, by_user, meta. */
int gj_drill_add(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_drill *d,
                 struct gj_error *err);
int gj_drill_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_drill *out,
                 struct gj_error *err);
/* Saves kind, held_at, place, participants and note (version-checked). */
int gj_drill_update(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_drill *d,
                    struct gj_error *err);
/* Up to limit drills, the latest first (held_at, then id, descending),
 * strictly before (before_held, before_id): pass INT64_MAX, INT64_MAX to
 * start. */
int gj_drills_list(struct gj_db *db, enum gj_role role, int64_t before_held, int64_t before_id,
                   int limit, struct gj_drill *rows, int *n, struct gj_error *err);

/* ---- incidents ---------------------------------------------------------------- */

/* Opens an incident (what, happened_at, place; actions and informed if
 * already known). happened_at may not be in the future (GJ_EINVAL).
 * closed_at and closing_note are cleared. Fills id, created_at,
 * created_by, meta. */
int gj_incident_open(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_incident *i,
                     struct gj_error *err);
int gj_incident_get(struct gj_db *db, enum gj_role role, int64_t id, struct gj_incident *out,
                    struct gj_error *err);
/* Saves what, happened_at, place, the actions taken and who was informed
 * (version-checked). A closed incident is not changed (GJ_EINVAL). */
int gj_incident_record(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_incident *i,
                       struct gj_error *err);
/* Closes the incident now with closing_note ("" or NULL for none)
 * (version-checked). It needs its actions recorded (GJ_EINVAL, see
 * gj_incident_close_check); closing twice is refused (GJ_EINVAL). Fills
 * i->closed_at and i->closing_note. */
int gj_incident_close(struct gj_db *db, int64_t actor, enum gj_role role, struct gj_incident *i,
                      const char *closing_note, struct gj_error *err);
/* Up to limit incidents, the open ones first, each part the latest first
 * (happened_at, then id, descending); only the open ones if open_only.
 * The key is (closed, happened_at, id), closed being 1 for a closed
 * incident: pass 0, INT64_MAX, INT64_MAX to start and the last row's
 * (closed_at != 0, happened_at, id) to go on. */
int gj_incidents_list(struct gj_db *db, enum gj_role role, int open_only, int after_closed,
                      int64_t after_happened, int64_t after_id, int limit, struct gj_incident *rows,
                      int *n, struct gj_error *err);
/* How many incidents are open. */
int gj_incidents_count_open(struct gj_db *db, enum gj_role role, int64_t *count,
                            struct gj_error *err);

#endif
