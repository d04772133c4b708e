/* Management reports (管理报表): work orders, complaints, fees, request
 * channels and training, each a set of tables (report_model.h) read from
 * one snapshot of the database. Read-only. Times are UTC epoch seconds;
 * calendar months are those of local time (gj_month_of); money is int64
 * fen and rates are permille integers (rounded down), never floating
 * point. Titles and column names are translated (_()).
 *
 * What each report holds, for the records in [from, to):
 *
 * workorders  orders taken (created_at) in the range. An order met the SLA
 *             when it was resolved by the deadline it shows (work_orders.
 *             due_at: the promised time, else the target, moved by the
 *             pauses); it missed it when it was resolved later, or is still
 *             open and past that deadline at now (one on hold: when the
 *             deadline had passed before the hold began). Other orders
 *             (cancelled, or open and not yet due) are neither. SLA rate =
 *             met / (met + missed), "" when both are 0.
 *             Tables: a summary (orders, met, missed, the rate, the mean
 *             time from taking to responding (dispatch) over the orders
 *             responded to, and to resolving over those resolved); then
 *             orders, met, missed and the rate by category (every
 *             category, in schema order), by department (those with orders
 *             in the range, by name, then "not dispatched") and by month
 *             (every month the range touches, with a sparkline).
 * complaints  complaints taken in the range, as gj_complaint_stats counts
 *             them: a summary (complaints, resolved, resolved on time, the
 *             on-time rate, the mean times to acknowledge and to resolve;
 *             and the revisits recorded in the range with their mean
 *             score, whenever their complaint was taken); counts and
 *             shares by grade and by category; by month: complaints taken,
 *             resolved, on time, the on-time rate; satisfaction by month:
 *             the revisits recorded (revisited_at) in each month and their
 *             mean score (x100 in v, "4.50" as text) -- a revisit rated 1
 *             or 2 reopens its complaint, which keeps no rating, so only
 *             the revisits that stand are counted; and the repeat
 *             complainants: units with 3 or more complaints taken in the
 *             90 days before `to` ([to - 90 days, to)), most first, then
 *             by unit code.
 * fees        the bills of the periods (months) the range touches: billed,
 *             collected (paid on them so far, gj_collection), owed and the
 *             collection rate by month, with a sparkline; a summary of the
 *             whole range and the arrears at now (units in arrears and what
 *             they owe past due, gj_arrears_totals); the arrears at now by
 *             age (0-30, 31-90, 91-180, over 180 days) with each bucket's
 *             share.
 * channels    requests taken in the range by channel: work orders,
 *             complaints, both, and each channel's share of both.
 * training    every active user whose role is trainee or butler, by id:
 *             name, rank (users.rank), chapters passed, the walkthrough,
 *             practice tasks passed (distinct tasks with a passing result),
 *             assessments and their average of the four dimensions
 *             (gj_rank_facts), all as of the end of the range (to - 1) or
 *             now, whichever is earlier; the rank is the current one.
 * Lists longer than a table holds (GJ_REPORT_MAX_ROWS: departments,
 * repeat units, trainees) keep their first GJ_REPORT_MAX_ROWS rows. */
#ifndef GUANJIA_REPO_REPORTS_H
#define GUANJIA_REPO_REPORTS_H

#include <stdint.h>

#include "guanjia/db.h"
#include "guanjia/report_model.h"

/* The most months a report by month covers (one row each). */
#define GJ_REPORT_MAX_MONTHS GJ_REPORT_MAX_ROWS

/* The report names, NULL-terminated: workorders complaints fees channels
 * training */
extern const char *const gj_report_names[];

/* The report's title (translated), or NULL for a name that is not one. */
const char *gj_report_title(const char *name);

/* Brings the open work orders missed at one moment (wo_open_missed,
 * migration 17) up to now, when an open order's deadline has passed since
 * (or, the clock set back, is ahead again): they are added (taken away) in
 * one write transaction, and *moved is 1. Otherwise nothing is written. A
 * report is right without it, and adds those orders itself; with it, it
 * has fewer to add. The console calls it on its 30-second timer, `guanjia
 * escalate` on each run. */
int gj_wo_missed_refresh(struct gj_db *db, int64_t now, int *moved, struct gj_error *err);

/* Both of the above at now (gj_arrears_refresh, then gj_wo_missed_refresh):
 * what the console's timer and `guanjia escalate` run. *wrote (when not
 * NULL) is 1 when either wrote. */
int gj_kept_figures_refresh(struct gj_db *db, int64_t now, int *wrote, struct gj_error *err);

/* Fills r for [from, to) (UTC epoch seconds; months in local time), all
 * in one read snapshot; now is the time the arrears and the open orders
 * are judged at. r is cleared first. GJ_EINVAL for a name that is not a
 * report, to <= from, or a report by month whose range touches more than
 * GJ_REPORT_MAX_MONTHS months. */
int gj_report_run(struct gj_db *db, const char *name, int64_t from, int64_t to, int64_t now,
                  struct gj_report *r, struct gj_error *err);

#endif
