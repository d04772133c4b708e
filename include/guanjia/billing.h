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

/* ---- the monthly billing rule ----
 * A unit pays the per_m2 and fixed items for a month when it has been
 * handed over to its owner (gj_unit_status_billable) by that month's end;
 * one handed over during the month pays from its delivery day on:
 * amount x days from that day to the month's end (both included) / days
 * in the month, rounded half up to the fen (delivered on the 10th of a
 * 30-day month: 21/30 of the month's fee). A parking space held by a unit
 * (and not archived) charges that unit the per_space items the same way,
 * from the day it was assigned. The month's bill is the unit's, whoever
 * holds it that month: a sale in mid-month does not split it (buyer and
 * seller settle it between themselves at the handover). The rate is
 * copied into the bill, so a later rate change never alters it. */

/* Default day of the month on which bills fall due (the fees.due_day
 * setting): the 15th, 14 days after the month's first day. */
#define GJ_BILL_DUE_DAY 15

/* full_fen x days / month_days, rounded half up to the fen, in exact
 * integer arithmetic (25024 fen for 21 of 30 days -> 17517 fen). Returns -1
 * when full_fen is outside 0..GJ_MONEY_MAX, month_days < 1 or days outside
 * 0..month_days. */
int64_t gj_bill_prorate(int64_t full_fen, int days, int month_days);

/* True when a unit of that status pays fees: it has been handed over
 * (delivered, occupied, vacant, renovating). An unsold unit, still the
 * developer's, does not; nor does an unknown status. */
int gj_unit_status_billable(const char *status);

/* The month a billing run charges, worked out once. */
struct gj_bill_month {
    int period;     /* yyyymm */
    int days;       /* days in the month */
    int64_t start;  /* local midnight of its first day */
    int64_t end;    /* local midnight of the next month's first day */
    int64_t due_at; /* when its bills fall due */
};

/* Fills m for month yyyymm whose bills fall due on day due_day (1..28;
 * 0 = GJ_BILL_DUE_DAY) at local midnight. GJ_EINVAL for a month that is not
 * valid or a due day outside 0..28. */
int gj_bill_month_init(struct gj_bill_month *m, int yyyymm, int due_day, struct gj_error *err);

/* How many days of month m a charge that starts at since (a delivery, an
 * assignment; epoch seconds, 0 = never) covers: all of them when since is
 * before the month, from since's local day to the month's end (both
 * included) when it falls in the month, 0 after the month or for 0. */
int gj_bill_days_in(const struct gj_bill_month *m, int64_t since);

/* A unit, or one of its parking spaces, as a billing run sees it. */
struct gj_bill_subject {
    int64_t unit_id;
    const char *unit_status;  /* a unit: its status (unused for a space) */
    int archived;             /* the unit (or the space) is archived */
    int64_t since;            /* a unit: delivered_at; a space: assigned_at (0 = never) */
    int64_t area_centi_m2;    /* a unit: its area */
    int64_t parking_space_id; /* a space: its id; 0 for a unit */
};

/* The bill of fee item f for month m and subject s. per_m2 and fixed
 * items charge units (quantity: the area in 0.01 m2, or 1), per_space
 * items charge parking spaces (quantity 1). Returns 1 and fills b
 * (everything but id, created_at and meta: unit_id, fee_item_id,
 * parking_space_id, period, quantity, rate_fen copied from f, amount_fen
 * prorated, paid_fen 0, due_at) when s owes it; 0 when it does not (the
 * item does not charge that month or that kind of subject, the unit is
 * not handed over by the month's end or archived, the space is archived
 * or held by no unit, or the charge comes to 0 fen); -1 and err when the
 * amount is out of range. */
int gj_bill_for(const struct gj_fee_item *f, const struct gj_bill_month *m,
                const struct gj_bill_subject *s, struct gj_bill *b, struct gj_error *err);

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
