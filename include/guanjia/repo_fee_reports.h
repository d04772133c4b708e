/* Fee reports: arrears by age (欠费账龄), dunning promises falling due,
 * the daily cash report (日结) and the collection rate (收缴率). Read-only;
 * each call reads one snapshot of the database (one read transaction), so
 * its figures agree with each other whatever other terminals write
 * meanwhile. Money is int64 fen; months are yyyymm; times are UTC epoch
 * seconds. Structs are caller-owned. */
#ifndef GUANJIA_REPO_FEE_REPORTS_H
#define GUANJIA_REPO_FEE_REPORTS_H

#include <stdint.h>
#include "guanjia/db.h"
#include "guanjia/documents.h" /* struct gj_cash_report, GJ_PAY_METHODS */
#include "guanjia/model.h"

/* ---- arrears by age ------------------------------------------------------- */

/* A bill is in arrears at now when it still owes something (paid_fen <
 * amount_fen) and its due date has passed (due_at < now), as in
 * gj_unit_arrears. Its age is the whole days elapsed since due_at,
 * (now - due_at) / 86400 rounded down: 0-30 days is bucket 0, 31-90
 * bucket 1, 91-180 bucket 2, more than 180 bucket 3. */
#define GJ_ARREARS_BUCKETS 4
/* A dunning promise is shown with the unit until this many days after the
 * promised date has passed. */
#define GJ_PROMISE_GRACE_DAYS 7

/* Arrears of one unit at now, by age: days past the bill's due_at, buckets 0-30, 31-90, 91-180,
 * >180. */
struct gj_arrears_row {
    int64_t unit_id;
    char unit_code[24]; /* 3-2-501 */
    int building;
    char owner[GJ_NAME_BYTES]; /* the current owner (first by link), "" if none */
    int64_t total_fen;         /* the sum of the buckets */
    int64_t bucket_fen[GJ_ARREARS_BUCKETS];
    int oldest_period;     /* yyyymm: the earliest period among the bills in arrears */
    int64_t oldest_due_at; /* the earliest due date among them */
    int64_t promised_at;   /* the latest dunning promise still ahead or just passed, 0 if none */
};
/* The unit's arrears at now. A unit that owes nothing past due gets its
 * code and owner with all amounts 0 (oldest_period, oldest_due_at 0).
 * GJ_ENOTFOUND when there is no such unit.
 * "The latest promise": the unit's most recently recorded dunning contact
 * with result 'promised' (by at, then id); its promised_at is given when it
 * is no more than GJ_PROMISE_GRACE_DAYS days before now, else 0 (a promise
 * long broken is no promise). */
int gj_unit_arrears_aged(struct gj_db *db, int64_t unit_id, int64_t now, struct gj_arrears_row *out,
                         struct gj_error *err);

enum gj_arrears_sort { GJ_ARREARS_BY_AMOUNT, GJ_ARREARS_BY_AGE, GJ_ARREARS_BY_BUILDING };
/* Units in arrears at now (something past due and unpaid), sorted: by amount (largest first),
 * by age (oldest unpaid due date first), by building (building, entrance, room); building > 0
 * keeps one building. offset/limit paging.
 * Ties: by amount, then building, entrance, room; by age, then amount
 * (largest first), building, entrance, room. So pages neither overlap nor
 * skip while nothing changes. limit <= 0 gives no rows; GJ_EINVAL for a
 * building outside 0..999 or an unknown sort.
 * Cost: by building reads only as many units as the page needs (well
 * under 1 ms on the large demo). By amount or age walks an index of
 * arrears_units when it is up to date (see gj_arrears_refresh); otherwise
 * it sums up every open bill past due (about 8 ms on the large demo,
 * 45,000 open bills). */
int gj_arrears_list(struct gj_db *db, int64_t now, enum gj_arrears_sort sort, int building,
                    int offset, int limit, struct gj_arrears_row *rows, int *n,
                    struct gj_error *err);
/* Brings the arrears kept by unit (arrears_units, migration 14) up to now
 * when a bill has fallen due (or, the clock set back, is no longer due)
 * since they were counted: then they are counted again, in one write
 * transaction, and *recounted is 1. Otherwise nothing is written. The
 * lists and totals are right without it; with it, sorting by amount or
 * age reads a page from an index instead of adding up every unpaid bill.
 * The console calls it on its 30-second timer, `guanjia escalate` on each
 * run. */
int gj_arrears_refresh(struct gj_db *db, int64_t now, int *recounted, struct gj_error *err);

/* How many units are in arrears at now, what they owe past due in all,
 * and that by age bucket (bucket_fen has GJ_ARREARS_BUCKETS entries);
 * building > 0 keeps one building. */
int gj_arrears_totals(struct gj_db *db, int64_t now, int building, int64_t *units,
                      int64_t *total_fen, int64_t bucket_fen[4], struct gj_error *err);

/* ---- dunning promises ----------------------------------------------------- */

/* Dunning promises (result 'promised') falling due: promised_at <= until, on units that still
 * owe, oldest first, with the unit code and owner.
 * Only each unit's latest promise counts (its most recent 'promised'
 * contact, by at then id): an earlier promise it replaced is not listed.
 * "Still owe": the unit still owes on a bill due on or before the
 * promised date (what the promise was about; a bill issued since, due
 * later, does not bring a kept promise back); owed_fen is what it owes on
 * those bills. The owner is the current one (gj_now()). Oldest first: by
 * promised_at, then contact id. At most limit rows. */
struct gj_promise_row {
    struct gj_dunning d;
    char unit_code[24];
    char owner[GJ_NAME_BYTES];
    int64_t owed_fen;
};
int gj_dunning_promises_due(struct gj_db *db, int64_t until, int limit, struct gj_promise_row *rows,
                            int *n, struct gj_error *err);

/* ---- the daily cash report (日结) ------------------------------------------ */

/* The daily cash report (日结) for the local day starting at day_start: payments and reversals
 * created that day, per operator (users.name), totals by method, and the totals row.
 * The struct and its meaning are documents.h's (gj_cash_report_render
 * prints it). day_start is taken to its local midnight (gj_day_start); the
 * day ends at the next local midnight. One row per operator who took a
 * payment or made a reversal that day (user 0, the system, is named
 * _("system")), by user id: count is the receipts issued, reversals
 * included; by_method_fen[m] what the operator holds by method m
 * (documents.h order: cash wechat alipay card transfer), payments less the
 * reversals paid back through that method; reversed_fen the reversals'
 * part of that (0 or negative), whatever day the payment reversed was
 * taken; total_fen the sum of by_method_fen. `all` adds up every operator
 * (all.user_id 0, all.operator_name ""), even beyond the 32 rows there is
 * room for. estate is the setting estate.name. */
int gj_cash_report(struct gj_db *db, int64_t day_start, struct gj_cash_report *out,
                   struct gj_error *err);

/* ---- the collection rate (收缴率) ------------------------------------------ */

/* Collection rate (收缴率) for bill periods from..to (yyyymm, inclusive): billed = sum of those
 * bills, collected = what has been paid on them (net of reversals); building 0 = the whole
 * estate. Collected is what is paid on those bills now (bills.paid_fen),
 * whenever it was paid; credit not yet settled on a bill does not count.
 * The rate is collected / billed, left to the caller (billed may be 0).
 * GJ_EINVAL for a month that is not valid or from > to, or building
 * outside 0..999. */
struct gj_collection {
    int building;
    int64_t billed_fen, collected_fen;
};
int gj_collection(struct gj_db *db, int from_period, int to_period, int building,
                  struct gj_collection *out, struct gj_error *err);
/* The same for every building, by building number: every building that
 * has units, also one with no bills in the range (billed 0). At most max
 * rows. */
int gj_collection_by_building(struct gj_db *db, int from_period, int to_period,
                              struct gj_collection *rows, int max, int *n, struct gj_error *err);

#endif
