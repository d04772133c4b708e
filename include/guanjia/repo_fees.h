/* Fee items, bills, payments, receipts and dunning contacts.
 * Every write runs in its own transaction (nested into the caller's, if
 * any), validates through core/billing.h first, and is audited by the
 * database. Writes take the acting user's id (0 = the system). Fee item
 * updates check meta.version and bump it; a stale version gives
 * GJ_ECONFLICT naming who changed the row and when. Money is int64 fen.
 * Payments, allocations, receipt prints and dunning contacts are
 * append-only: a payment is corrected by reversing it. Structs are
 * caller-owned; lists are keyset-paged (pass the last row's key back). */
#ifndef GUANJIA_REPO_FEES_H
#define GUANJIA_REPO_FEES_H

#include <stddef.h>
#include <stdint.h>
#include "guanjia/billing.h"
#include "guanjia/db.h"
#include "guanjia/model.h"

/* ---- fee items (listed by id) ---- */

/* Inserts f (validated by gj_fee_item_validate); sets id, created_at, meta.
 * A duplicate name gives GJ_ECONSTRAINT. */
int gj_fee_item_create(struct gj_db *db, int64_t actor, struct gj_fee_item *f,
                       struct gj_error *err);
int gj_fee_item_get(struct gj_db *db, int64_t id, struct gj_fee_item *out, struct gj_error *err);
/* Saves f if f->meta.version is still current, else GJ_ECONFLICT and nothing
 * changes. A new rate applies to bills issued afterwards only: issued bills
 * keep the rate and amount they were issued with. */
int gj_fee_item_update(struct gj_db *db, int64_t actor, struct gj_fee_item *f,
                       struct gj_error *err);
/* Up to limit items with id > after_id (0: from the start), by id. */
int gj_fee_items_list(struct gj_db *db, int64_t after_id, int limit, struct gj_fee_item *rows,
                      int *n, struct gj_error *err);
/* Like gj_fee_items_list, only the items that charge for month yyyymm. */
int gj_fee_items_active(struct gj_db *db, int yyyymm, int64_t after_id, int limit,
                        struct gj_fee_item *rows, int *n, struct gj_error *err);

/* ---- bills ---- */

/* Issues a bill. The caller sets unit_id, fee_item_id, period (yyyymm),
 * parking_space_id (only, and required, for per_space items; the space must
 * be assigned to the unit), quantity (0 = derived: the unit's area in
 * 0.01 m2 for per_m2 items, else 1) and due_at (0 = the end of the period
 * month). The rate is copied from the fee item and the amount computed by
 * gj_bill_amount, so a later rate change never alters this bill. Sets id,
 * quantity, rate_fen, amount_fen, paid_fen (0), due_at, created_at, meta.
 * A second bill for the same unit, item, space and month gives
 * GJ_ECONSTRAINT ("already issued"). */
int gj_bill_create(struct gj_db *db, int64_t actor, struct gj_bill *b, struct gj_error *err);
/* Like gj_bill_create, but when that bill was already issued it changes
 * nothing, fills b with the existing bill and sets *created to 0 (else 1):
 * billing runs can be repeated safely. */
int gj_bill_create_if_absent(struct gj_db *db, int64_t actor, struct gj_bill *b, int *created,
                             struct gj_error *err);
int gj_bill_get(struct gj_db *db, int64_t id, struct gj_bill *out, struct gj_error *err);
/* Up to limit bills of the unit that still owe something, oldest period
 * first, then by id (the order payments settle them). */
int gj_bills_open_of_unit(struct gj_db *db, int64_t unit_id, int limit, struct gj_bill *rows,
                          int *n, struct gj_error *err);
/* All bills of a unit, newest period first, then id descending. */
struct gj_bill_key {
    int period;
    int64_t id;
};
int gj_bills_of_unit(struct gj_db *db, int64_t unit_id, const struct gj_bill_key *after, int limit,
                     struct gj_bill *rows, int *n, struct gj_error *err);
/* What the unit still owes: the sum of amount - paid over its bills. */
int gj_unit_due(struct gj_db *db, int64_t unit_id, int64_t *due_fen, struct gj_error *err);
/* What a unit owes on bills already past their due date at now (arrears),
 * in fen. */
int gj_unit_arrears(struct gj_db *db, int64_t unit_id, int64_t now, int64_t *fen,
                    struct gj_error *err);

/* ---- payments ---- */

/* Most bills one payment settles; lines_out needs room for this many. */
#define GJ_PAYMENT_MAX_LINES 512

/* Takes a payment of p->amount_fen from p->payer_name for p->unit_id by
 * p->method (p->reason: an optional note), in one transaction (BEGIN
 * IMMEDIATE: terminals queue). It settles bill_ids[0..n_bills) in that
 * order (they must belong to the unit and still owe something), or, when
 * bill_ids is NULL, the unit's open bills oldest first (at most
 * GJ_PAYMENT_MAX_LINES of them); what is left is the unit's credit. The
 * receipt number is the next of one gap-free sequence: a payment that fails
 * takes none. On success sets p->id, p->receipt_no, p->created_at and
 * p->created_by; lines_out (NULL, or room for GJ_PAYMENT_MAX_LINES) gets
 * the allocations, *n_lines their count and *credit_fen what went to
 * credit (either pointer may be NULL). Nothing is written on failure. */
int gj_payment_take(struct gj_db *db, int64_t actor, struct gj_payment *p, const int64_t *bill_ids,
                    size_t n_bills, struct gj_alloc_line *lines_out, size_t *n_lines,
                    int64_t *credit_fen, struct gj_error *err);
/* Reverses payment payment_id: a new payment of the negative amount with
 * its own receipt number, the reason (required, 1..500 characters) and
 * allocations mirroring the original's, so the bills owe again what it had
 * paid and its credit is gone. One transaction. A payment is reversed at
 * most once, and a reversal is never reversed (GJ_ECONSTRAINT / GJ_EINVAL).
 * reversal_out (may be NULL) gets the new payment. */
int gj_payment_reverse(struct gj_db *db, int64_t actor, int64_t payment_id, const char *reason,
                       struct gj_payment *reversal_out, struct gj_error *err);
int gj_payment_get(struct gj_db *db, int64_t id, struct gj_payment *out, struct gj_error *err);
/* The payment with that receipt number. */
int gj_payment_by_receipt(struct gj_db *db, int64_t receipt_no, struct gj_payment *out,
                          struct gj_error *err);
/* The reversal of payment_id into out, or GJ_ENOTFOUND when not reversed. */
int gj_payment_reversal_of(struct gj_db *db, int64_t payment_id, struct gj_payment *out,
                           struct gj_error *err);
/* Up to max allocations of the payment, by id. */
int gj_payment_allocations(struct gj_db *db, int64_t payment_id, struct gj_allocation *rows,
                           int max, int *n, struct gj_error *err);
/* Payments (and reversals) of a unit, newest first: id < before_id (0: from
 * the newest). */
int gj_payments_of_unit(struct gj_db *db, int64_t unit_id, int64_t before_id, int limit,
                        struct gj_payment *rows, int *n, struct gj_error *err);
/* Uses the unit's credit on its open bills, oldest first, in one
 * transaction: each payment that brought more than it settled (and is not
 * reversed) settles what it can, as new allocations of that payment, so
 * its receipt, its reversal and `check` all still add up. *applied_fen
 * gets how much was used (0 when there was no credit or nothing owed). */
int gj_unit_apply_credit(struct gj_db *db, int64_t actor, int64_t unit_id, int64_t *applied_fen,
                         struct gj_error *err);
/* The unit's credit: what its payments brought minus what they settled. */
int gj_unit_credit(struct gj_db *db, int64_t unit_id, int64_t *credit_fen, struct gj_error *err);

/* ---- receipts ---- */

/* Records that the receipt of payment_id was printed (to path, 1..4096
 * characters) by actor. copy 0 is the original, printed once; later prints
 * are copies (copy 1); a second original gives GJ_EINVAL. */
int gj_receipt_print_record(struct gj_db *db, int64_t actor, int64_t payment_id, int copy,
                            const char *path, struct gj_error *err);
/* How often the receipt of payment_id was printed (originals and copies). */
int gj_receipt_print_count(struct gj_db *db, int64_t payment_id, int64_t *count,
                           struct gj_error *err);

/* ---- dunning (催缴) contacts ---- */

/* Records a dunning contact (validated by gj_dunning_validate); sets id,
 * at (now) and user_id (actor). */
int gj_dunning_add(struct gj_db *db, int64_t actor, struct gj_dunning *d, struct gj_error *err);
/* Contacts of a unit, newest first (at desc, id desc), after *after (NULL:
 * from the newest). */
struct gj_dunning_key {
    int64_t at, id;
};
int gj_dunning_of_unit(struct gj_db *db, int64_t unit_id, const struct gj_dunning_key *after,
                       int limit, struct gj_dunning *rows, int *n, struct gj_error *err);

#endif
