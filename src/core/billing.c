/* Billing rules: fee items, bill amounts, allocation of payments, receipt
 * numbers. Integer fen only. */
#include "guanjia/billing.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/rules_owners.h"
#include "guanjia/utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const fee_kinds[] = {"per_m2", "per_space", "fixed", NULL};
static const char *const pay_methods[] = {"cash", "wechat", "alipay", "card", "transfer", NULL};
static const char *const dunning_channels[] = {"phone",  "wechat", "sms", "visit",
                                               "letter", "other",  NULL};
static const char *const dunning_results[] = {"promised", "refused", "no_answer", "disputed",
                                              "paid",     "other",   NULL};

int gj_bill_period_valid(int m)
{
    return m >= 190001 && m <= 999912 && m % 100 >= 1 && m % 100 <= 12;
}

int gj_fee_item_validate(const struct gj_fee_item *f, struct gj_error *err)
{
    int rc = gj_text_check(f->name, _("item name"), GJ_NAME_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    if (!gj_code_in(f->kind, fee_kinds))
        return gj_err(err, GJ_EINVAL, _("kind: must be per m², per parking space or fixed"));
    if (f->rate_fen < 0 || f->rate_fen > GJ_FEE_RATE_MAX)
        return gj_err(err, GJ_EINVAL, _("rate: must be between 0 and 1,000,000 yuan"));
    if (!gj_bill_period_valid(f->active_from))
        return gj_err(err, GJ_EINVAL, _("active from: not a valid month (got %d)"), f->active_from);
    if (f->active_to != 0) {
        if (!gj_bill_period_valid(f->active_to))
            return gj_err(err, GJ_EINVAL, _("active to: not a valid month (got %d)"), f->active_to);
        if (f->active_to < f->active_from)
            return gj_err(err, GJ_EINVAL, _("active to: before the first active month"));
    }
    gj_err_clear(err);
    return GJ_OK;
}

int gj_fee_item_active_in(const struct gj_fee_item *f, int yyyymm)
{
    return yyyymm >= f->active_from && (f->active_to == 0 || yyyymm <= f->active_to);
}

/* a * b, or -1 when it would pass GJ_MONEY_MAX (a, b >= 0). */
static int64_t mul_capped(int64_t a, int64_t b)
{
    if (a == 0 || b == 0)
        return 0;
    if (a > GJ_MONEY_MAX / b)
        return -1;
    return a * b;
}

int64_t gj_bill_amount(const char *kind, int64_t rate_fen, int64_t quantity)
{
    if (!kind || rate_fen < 0 || quantity < 0)
        return -1;
    if (strcmp(kind, "per_m2") == 0) {
        /* rate * area / 100, half up: with rate = 100q + r,
         * = q * area + (r * area + 50) / 100, and no intermediate overflows. */
        int64_t q = rate_fen / 100, r = rate_fen % 100;
        int64_t whole = mul_capped(q, quantity);
        if (whole < 0)
            return -1;
        if (quantity > (INT64_MAX - 50) / 100)
            return -1;
        int64_t part = (r * quantity + 50) / 100; /* r < 100: r * quantity fits */
        if (whole > GJ_MONEY_MAX - part)
            return -1;
        return whole + part;
    }
    if (strcmp(kind, "per_space") == 0 || strcmp(kind, "fixed") == 0)
        return mul_capped(rate_fen, quantity);
    return -1;
}

int gj_bill_validate(const struct gj_bill *b, const struct gj_fee_item *f, struct gj_error *err)
{
    if (b->unit_id <= 0)
        return gj_err(err, GJ_EINVAL, _("unit: required"));
    if (!gj_bill_period_valid(b->period))
        return gj_err(err, GJ_EINVAL, _("period: not a valid month (got %d)"), b->period);
    if (!gj_fee_item_active_in(f, b->period)) {
        char month[32];
        gj_format_month(b->period, month, sizeof month);
        return gj_err(err, GJ_EINVAL, _("period: fee item %s does not charge for %s"), f->name,
                      month);
    }
    if (b->quantity < 1)
        return gj_err(err, GJ_EINVAL, _("quantity: must be at least 1"));
    int per_space = strcmp(f->kind, "per_space") == 0;
    if (per_space && b->parking_space_id <= 0)
        return gj_err(err, GJ_EINVAL,
                      _("parking space: required for a fee charged per parking space"));
    if (!per_space && b->parking_space_id != 0)
        return gj_err(err, GJ_EINVAL,
                      _("parking space: only a fee charged per parking space names one"));
    if (b->due_at < 0)
        return gj_err(err, GJ_EINVAL, _("due date: not a valid date"));
    if (gj_bill_amount(f->kind, f->rate_fen, b->quantity) < 0)
        return gj_err(err, GJ_EINVAL, _("amount: too large"));
    gj_err_clear(err);
    return GJ_OK;
}

/* ---- the monthly billing rule ------------------------------------------- */

#define DAY_SECONDS 86400

/* Handed over to the owner: everything but unsold. */
static const char *const billable_statuses[] = {"delivered", "occupied", "vacant", "renovating",
                                                NULL};

int64_t gj_bill_prorate(int64_t full_fen, int days, int month_days)
{
    if (full_fen < 0 || full_fen > GJ_MONEY_MAX || month_days < 1 || days < 0 || days > month_days)
        return -1;
    if (days == month_days)
        return full_fen;
    /* full * days / month, half up: (2 * full * days + month) / (2 * month).
     * 2 * 10^13 * 31 stays far below INT64_MAX. */
    return (2 * full_fen * days + month_days) / (2 * (int64_t)month_days);
}

int gj_unit_status_billable(const char *status)
{
    return status && gj_code_in(status, billable_statuses);
}

int gj_bill_month_init(struct gj_bill_month *m, int yyyymm, int due_day, struct gj_error *err)
{
    memset(m, 0, sizeof *m);
    if (!gj_bill_period_valid(yyyymm))
        return gj_err(err, GJ_EINVAL, _("month: not a valid month (got %d)"), yyyymm);
    if (due_day < 0 || due_day > 28)
        return gj_err(err, GJ_EINVAL, _("due day: must be between 1 and 28 (got %d)"), due_day);
    if (due_day == 0)
        due_day = GJ_BILL_DUE_DAY;
    m->period = yyyymm;
    m->days = gj_month_days(yyyymm);
    m->start = gj_month_start(yyyymm);
    m->end = gj_month_start(gj_month_add(yyyymm, 1));
    /* Midday of the due day, back to its midnight: right across a
     * daylight-saving change too. */
    m->due_at = gj_day_start(m->start + (int64_t)(due_day - 1) * DAY_SECONDS + DAY_SECONDS / 2);
    if (m->days < 28 || m->end <= m->start)
        return gj_err(err, GJ_EINVAL, _("month: not a valid month (got %d)"), yyyymm);
    gj_err_clear(err);
    return GJ_OK;
}

int gj_bill_days_in(const struct gj_bill_month *m, int64_t since)
{
    if (since == 0 || since >= m->end)
        return 0;
    if (since < m->start)
        return m->days;
    /* The day of the month since falls on (1-based), from local midnights. */
    int64_t day = (gj_day_start(since) - m->start + DAY_SECONDS / 2) / DAY_SECONDS + 1;
    if (day < 1)
        day = 1;
    if (day > m->days)
        day = m->days;
    return m->days - (int)day + 1;
}

int gj_bill_for(const struct gj_fee_item *f, const struct gj_bill_month *m,
                const struct gj_bill_subject *s, struct gj_bill *b, struct gj_error *err)
{
    gj_err_clear(err);
    memset(b, 0, sizeof *b);
    if (!gj_fee_item_active_in(f, m->period) || s->unit_id <= 0 || s->archived)
        return 0;
    int per_space = strcmp(f->kind, "per_space") == 0;
    if (per_space != (s->parking_space_id > 0))
        return 0;
    if (!per_space && !gj_unit_status_billable(s->unit_status))
        return 0;
    int days = gj_bill_days_in(m, s->since);
    if (days == 0)
        return 0;
    int64_t quantity = strcmp(f->kind, "per_m2") == 0 ? s->area_centi_m2 : 1;
    if (quantity < 1) {
        gj_err(err, GJ_EINVAL, _("quantity: must be at least 1"));
        return -1;
    }
    int64_t full = gj_bill_amount(f->kind, f->rate_fen, quantity);
    int64_t amount = full < 0 ? -1 : gj_bill_prorate(full, days, m->days);
    if (amount < 0) {
        gj_err(err, GJ_EINVAL, _("amount: too large"));
        return -1;
    }
    if (amount == 0)
        return 0;
    b->unit_id = s->unit_id;
    b->fee_item_id = f->id;
    b->parking_space_id = per_space ? s->parking_space_id : 0;
    b->period = m->period;
    b->quantity = quantity;
    b->rate_fen = f->rate_fen;
    b->amount_fen = amount;
    b->paid_fen = 0;
    b->due_at = m->due_at;
    return 1;
}

int gj_allocate(const struct gj_open_bill *bills, size_t n, int64_t amount_fen,
                struct gj_alloc_line *out, size_t *n_out, int64_t *credit_fen)
{
    if (n_out)
        *n_out = 0;
    if (!n_out || !credit_fen || (n > 0 && (!bills || !out)))
        return GJ_EINVAL;
    if (amount_fen <= 0 || amount_fen > GJ_MONEY_MAX)
        return GJ_EINVAL;
    int64_t left = amount_fen;
    size_t k = 0;
    for (size_t i = 0; i < n && left > 0; i++) {
        const struct gj_open_bill *b = &bills[i];
        if (b->paid_fen < 0 || b->paid_fen >= b->amount_fen)
            continue;
        int64_t owed = b->amount_fen - b->paid_fen;
        int64_t take = owed < left ? owed : left;
        out[k].bill_id = b->bill_id;
        out[k].amount_fen = take;
        k++;
        left -= take;
    }
    *n_out = k;
    *credit_fen = left;
    return GJ_OK;
}

int gj_receipt_format(int64_t receipt_no, const char *prefix, char *out, size_t outsz)
{
    if (!out)
        return GJ_EINVAL;
    if (outsz > 0)
        out[0] = '\0';
    if (receipt_no < 1)
        return GJ_EINVAL;
    int n = snprintf(out, outsz, "%s%08" PRId64, prefix ? prefix : "", receipt_no);
    if (n < 0 || (size_t)n >= outsz) {
        if (outsz > 0)
            out[0] = '\0';
        return GJ_EINVAL;
    }
    return GJ_OK;
}

int gj_payment_validate(const struct gj_payment *p, struct gj_error *err)
{
    if (p->unit_id <= 0)
        return gj_err(err, GJ_EINVAL, _("unit: required"));
    int rc = gj_text_check(p->payer_name, _("payer"), GJ_NAME_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    if (!gj_code_in(p->method, pay_methods))
        return gj_err(err, GJ_EINVAL,
                      _("method: must be cash, WeChat, Alipay, bank card or bank transfer"));
    if (p->amount_fen <= 0)
        return gj_err(err, GJ_EINVAL, _("amount: must be more than zero"));
    if (p->amount_fen > GJ_MONEY_MAX)
        return gj_err(err, GJ_EINVAL, _("amount: too large"));
    if (p->reverses_payment_id != 0)
        return gj_err(err, GJ_EINVAL, _("a reversal is made by reversing the payment"));
    return gj_text_check(p->reason, _("note"), GJ_REASON_CHARS, 0, 0, err);
}

int gj_reversal_reason_validate(const char *reason, struct gj_error *err)
{
    return gj_text_check(reason, _("reason"), GJ_REASON_CHARS, 1, 0, err);
}

int gj_dunning_validate(const struct gj_dunning *d, struct gj_error *err)
{
    if (d->unit_id <= 0)
        return gj_err(err, GJ_EINVAL, _("unit: required"));
    if (!gj_code_in(d->channel, dunning_channels))
        return gj_err(err, GJ_EINVAL,
                      _("channel: must be phone, WeChat, SMS, visit, letter or other"));
    if (!gj_code_in(d->result, dunning_results))
        return gj_err(err, GJ_EINVAL,
                      _("result: must be promised, refused, no answer, disputed, paid or other"));
    int promised = strcmp(d->result, "promised") == 0;
    if (promised && d->promised_at <= 0)
        return gj_err(err, GJ_EINVAL, _("promised date: required when the owner promises to pay"));
    if (!promised && d->promised_at != 0)
        return gj_err(err, GJ_EINVAL, _("promised date: only a promise to pay has one"));
    if (!promised && d->promised_fen != 0)
        return gj_err(err, GJ_EINVAL, _("promised amount: only a promise to pay has one"));
    if (d->promised_fen < 0)
        return gj_err(err, GJ_EINVAL, _("promised amount: must be more than zero"));
    if (d->promised_fen > GJ_MONEY_MAX)
        return gj_err(err, GJ_EINVAL, _("promised amount: too large"));
    return gj_text_check(d->note, _("note"), GJ_NOTE_CHARS, 0, 1, err);
}
