/* Billing rules (core/, no SQL, no I/O): fee items, bill amounts, how a
 * payment settles bills, receipt numbers. Money is int64 fen throughout;
 * no floating point anywhere. Validation reports the first problem as
 * "FIELD: WHY". */
#ifndef GUANJIA_BILLING_H
#define GUANJIA_BILLING_H

#include <stddef.h>
#include <stdint.h>
#include "guanjia/error.h"
#include "guanjia/model.h"

/* Highest rate of a fee item: 1,000,000 yuan (the schema's fee_items_rate). */
#define GJ_FEE_RATE_MAX INT64_C(100000000)

/* True when m is a yyyymm between 190001 and 999912 with a month 1..12. */
int gj_bill_period_valid(int m);

/* Checks a fee item: name 1..64 characters, kind per_m2|per_space|fixed,
 * rate_fen 0..GJ_FEE_RATE_MAX, active_from a valid yyyymm, active_to 0
 * (open-ended) or a valid yyyymm not before active_from. */
int gj_fee_item_validate(const struct gj_fee_item *f, struct gj_error *err);

/* True when the item charges for month yyyymm (active_from <= m <= active_to
 * or open-ended). */
int gj_fee_item_active_in(const struct gj_fee_item *f, int yyyymm);

/* The charge of one bill in fen. per_m2: quantity is the area in 0.01 m2,
 * amount = rate_fen * area / 100 rounded half up to the fen (2.80 yuan/m2 x
 * 89.37 m2 = 250.236 yuan -> 25024 fen). per_space and fixed: rate_fen *
 * quantity. Exact int64 arithmetic that never overflows: returns -1 for an
 * unknown kind, a negative rate or quantity, or an amount above
 * GJ_MONEY_MAX. */
int64_t gj_bill_amount(const char *kind, int64_t rate_fen, int64_t quantity);

/* Checks a bill about to be issued for fee item f (already read): period a
 * valid yyyymm within the item's active months, quantity >= 1, a parking
 * space given exactly when the item is per_space, due_at not negative. */
int gj_bill_validate(const struct gj_bill *b, const struct gj_fee_item *f, struct gj_error *err);

/* A bill as a payment sees it. Outstanding is amount_fen - paid_fen. */
struct gj_open_bill {
    int64_t bill_id;
    int64_t amount_fen;
    int64_t paid_fen;
};

/* How much of a payment goes to one bill (negative in a reversal). */
struct gj_alloc_line {
    int64_t bill_id;
    int64_t amount_fen;
};

/* Settles bills[0..n) in the given order (callers pass the oldest first, or
 * the bills the butler chose), each up to what it still owes; the last one
 * reached may be settled partly. Bills that owe nothing get no line. out
 * must have room for n lines; *n_out gets how many were written and
 * *credit_fen what is left over (kept as credit of the unit). Returns GJ_OK,
 * or GJ_EINVAL (out untouched, *n_out = 0) when amount_fen <= 0 or above
 * GJ_MONEY_MAX, or an argument is NULL. */
int gj_allocate(const struct gj_open_bill *bills, size_t n, int64_t amount_fen,
                struct gj_alloc_line *out, size_t *n_out, int64_t *credit_fen);

/* Receipt number as printed: prefix then at least 8 digits ("SJ", 42 ->
 * "SJ00000042"). A NULL prefix is "". Returns GJ_OK, or GJ_EINVAL when
 * receipt_no < 1 or out is too small (out then holds "" if outsz > 0). */
int gj_receipt_format(int64_t receipt_no, const char *prefix, char *out, size_t outsz);

/* Checks a new payment (not a reversal): unit_id set, payer name 1..64
 * characters, method cash|wechat|alipay|card|transfer, amount 1 fen ..
 * GJ_MONEY_MAX, no reverses_payment_id, an optional note (reason)
 * of at most 500 characters. */
int gj_payment_validate(const struct gj_payment *p, struct gj_error *err);

/* Checks the reason of a reversal: 1..500 characters, one line. */
int gj_reversal_reason_validate(const char *reason, struct gj_error *err);

/* Checks a dunning contact: unit_id set, channel phone|wechat|sms|visit|
 * letter|other, result promised|refused|no_answer|disputed|paid|other; a
 * promise needs its date (promised_at) and only a promise has one;
 * promised_fen 0 (none) or 1 fen .. GJ_MONEY_MAX; note at most 2000
 * characters. */
int gj_dunning_validate(const struct gj_dunning *d, struct gj_error *err);

#endif
