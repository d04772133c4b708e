/* The monthly billing run and the import of opening balances (期初欠费).
 * The rules are in core (billing.h: gj_bill_for; import_bills.h: the CSV
 * lines); this writes them, each call in ONE transaction (nested into the
 * caller's, if any), audited by the database. Writes take the acting
 * user's id (0 = the system) and the role it acts in, checked first
 * (gj_require). Money is int64 fen. */
#ifndef GUANJIA_REPO_BILLING_H
#define GUANJIA_REPO_BILLING_H

#include <stddef.h>
#include <stdint.h>
#include "guanjia/db.h"
#include "guanjia/import_bills.h"
#include "guanjia/model.h"
#include "guanjia/roles.h"

/* ---- the billing run ---- */

struct gj_billing_result {
    long units;         /* units charged something for the month */
    long spaces;        /* parking spaces charged for the month */
    long created;       /* bills this run issued */
    long existing;      /* bills already issued for the month (left as they were) */
    int64_t billed_fen; /* what the bills this run issued come to */
};

/* Generates the bills of month yyyymm for every active fee item, in ONE
 * transaction; idempotent (a second run creates nothing: existing bills
 * are counted, never changed). Who pays what is gj_bill_for's rule: every
 * unit that is not archived for the per_m2 and fixed items, every parking
 * space held by a unit and not archived for the per_space items; bills
 * fall due on the fees.due_day setting (default the 15th). progress (may
 * be NULL) is called now and then with (done, total, ctx), done counting
 * units and spaces. Needs the role's GJ_ACTION_RUN_BILLING (gj_require) --
 * role is passed in; the headless command runs as manager/system. out is
 * zeroed first and filled on success. GJ_EINVAL for a month that is not
 * valid; nothing is written on failure. Called outside a transaction on a
 * connection with the default temp_store, it keeps SQLite's temporary files
 * in memory for the run (PRAGMA temp_store = MEMORY, then DEFAULT again),
 * which drops the connection's TEMP tables and triggers, if any. */
int gj_billing_run(struct gj_db *db, int64_t actor, enum gj_role role, int yyyymm,
                   void (*progress)(long done, long total, void *ctx), void *ctx,
                   struct gj_billing_result *out, struct gj_error *err);

/* ---- opening balances ---- */

struct gj_bill_import_result {
    long bills;         /* bills written */
    long units;         /* units they belong to */
    long payments;      /* carry-over payments written for what was already paid */
    int64_t billed_fen; /* the bills' amounts in all */
    int64_t paid_fen;   /* what was already paid on them in all */
};

/* Writes the checked lines rows[0..n) (gj_bill_row_parse) as bills, in ONE
 * transaction, needing the role's GJ_ACTION_IMPORT. Each line becomes one
 * bill of the named fee item for its unit and month: the amount as given,
 * the item's current rate and the unit's area (per_m2) or 1 as quantity,
 * for the record, due on the fees.due_day of that month. The item need not
 * charge for that month (opening balances predate the fee items), but the
 * month must not be after the current one. A per_space item needs the
 * parking space: the one named in the line (held by that unit), else the
 * unit's only space. What a line says was already paid is settled by one
 * carry-over payment per unit (method transfer, payer "opening balance",
 * the note naming source; its own receipt number), allocated to those
 * bills, so that what is paid on a bill is always its allocations.
 * Every problem a line causes (an unknown unit, item or space, a bill
 * already on record) is reported through report with the line, the column
 * as h names it, and why; *problems gets how many. The transaction is
 * committed only when commit is set and nothing was reported; otherwise
 * (a dry run, a problem) it is rolled back and out tells what would have
 * been written. Returns GJ_OK when the lines could be looked at (problems
 * or not), else the error that stopped it (nothing written). */
int gj_bills_import(struct gj_db *db, int64_t actor, enum gj_role role,
                    const struct gj_import_header *h, const struct gj_bill_row *rows, size_t n,
                    const char *source, int commit, gj_import_report_fn report, void *ctx,
                    long *problems, struct gj_bill_import_result *out, struct gj_error *err);

#endif
