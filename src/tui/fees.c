/* The Fees screen (缴费与催费): the units in arrears (by amount, age or
 * building), one unit's account (open bills, payments, credit, arrears by
 * age), taking a payment and printing its receipt, reprints marked as
 * copies, reversals by a supervisor, dunning contacts and notices, the
 * day's cash report, and the monthly billing run. The rules are
 * core/billing.c; every write is one repository call, one transaction. */
#include "tui.h"

#include "guanjia/billing.h"
#include "guanjia/clock.h"
#include "guanjia/documents.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/outfile.h"
#include "guanjia/receipt_print.h"
#include "guanjia/repo_billing.h"
#include "guanjia/repo_fee_reports.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_settings.h"
#include "guanjia/repo_users.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BILLS    64
#define MAX_PAYMENTS 8

struct arrears_item {
    struct gj_arrears_row r;
    int pos; /* its place in the sorted list, for paging */
};

struct fee_screen {
    struct gj_tui *t;
    int unit_view;
    enum gj_arrears_sort sort;
    struct gj_list list;
    int list_height;
    int64_t units_in_arrears, arrears_fen;
    /* the open unit */
    int64_t unit_id;
    char unit_code[24], owner[GJ_NAME_BYTES];
    struct gj_arrears_row aged;
    struct gj_bill bills[MAX_BILLS];
    char bill_items[MAX_BILLS][GJ_NAME_BYTES];
    int chosen[MAX_BILLS];
    int n_bills, bill_sel;
    int64_t due_fen, credit_fen;
    struct gj_payment payments[MAX_PAYMENTS];
    int n_payments;
};

static const char *const sort_msgids[] = {N_("by amount"), N_("by age"), N_("by building")};

static void say_err(struct gj_tui *t, const struct gj_error *err)
{
    gj_tui_say(t, 1, "%s", err->msg);
}

static void estate_name(struct gj_db *db, char *out, size_t outsz)
{
    struct gj_setting s;
    struct gj_error err;
    snprintf(out, outsz, "%s", gj_setting_get(db, "estate.name", &s, &err) == GJ_OK ? s.value : "");
}

static void fee_item_name(struct gj_db *db, int64_t id, char *out, size_t outsz)
{
    struct gj_fee_item f;
    struct gj_error err;
    snprintf(out, outsz, "%s", gj_fee_item_get(db, id, &f, &err) == GJ_OK ? f.name : "?");
}

static void user_name(struct gj_db *db, int64_t id, char *out, size_t outsz)
{
    struct gj_user u;
    struct gj_error err;
    snprintf(out, outsz, "%s", id && gj_user_get(db, id, &u, &err) == GJ_OK ? u.name : "");
}

/* ---- the arrears list -------------------------------------------------------------- */

static int fetch_arrears(void *ctx, const void *anchor, int forward, int limit, void *rows, int *n)
{
    struct fee_screen *s = ctx;
    struct arrears_item *out = rows;
    int64_t now = gj_now();
    int offset;
    if (anchor) {
        int pos = ((const struct arrears_item *)anchor)->pos;
        offset = forward ? pos + 1 : pos - limit;
    } else {
        offset = forward ? 0 : (int)s->units_in_arrears - limit;
    }
    int want = limit;
    if (offset < 0) {
        want += offset; /* only what lies before the anchor */
        offset = 0;
    }
    *n = 0;
    if (want <= 0)
        return 0;
    struct gj_arrears_row *page = calloc((size_t)want, sizeof *page);
    if (!page)
        return -1;
    struct gj_error err;
    int got = 0;
    if (gj_arrears_list(s->t->db, now, s->sort, 0, offset, want, page, &got, &err) != GJ_OK) {
        say_err(s->t, &err);
        free(page);
        return -1;
    }
    for (int i = 0; i < got; i++) {
        /* Backwards, the nearest row comes first. */
        int k = forward ? i : got - 1 - i;
        out[i].r = page[k];
        out[i].pos = offset + k;
    }
    *n = got;
    free(page);
    return 0;
}

static void draw_arrears_row(void *ctx, struct gj_tui *t, const void *row, int y, int x, int width,
                             int selected)
{
    (void)ctx;
    const struct gj_arrears_row *r = &((const struct arrears_item *)row)->r;
    /* Over 180 days stands out, with a sign that works without colour. */
    int old = r->bucket_fen[3] > 0;
    attr_t a = selected ? gj_attr(t, GJ_A_SELECTED) : gj_attr(t, old ? GJ_A_ERROR : GJ_A_NORMAL);
    gj_fill(y, x, width, a);
    char total[32], b[4][32], period[16], promise[32] = "";
    gj_money_format(r->total_fen, total, sizeof total);
    for (int i = 0; i < 4; i++) {
        if (r->bucket_fen[i])
            gj_money_format(r->bucket_fen[i], b[i], sizeof b[i]);
        else
            snprintf(b[i], sizeof b[i], "%s", "-");
    }
    gj_format_month(r->oldest_period, period, sizeof period);
    if (r->promised_at)
        gj_format_date(r->promised_at, promise, sizeof promise);
    gj_put(y, x, 1, old ? "!" : " ", a | A_BOLD);
    gj_put(y, x + 2, 9, r->unit_code, a);
    gj_put(y, x + 12, 10, r->owner, a);
    gj_put_right(y, x + 23, 12, total, a);
    gj_put_right(y, x + 36, 10, b[0], a);
    gj_put_right(y, x + 47, 10, b[1], a);
    gj_put_right(y, x + 58, 10, b[2], a);
    gj_put_right(y, x + 69, 11, b[3], a);
    gj_put(y, x + 82, 8, period, a);
    if (width > 100)
        gj_put(y, x + 91, width - 92, promise, a);
}

static void load_totals(struct fee_screen *s)
{
    struct gj_error err;
    int64_t buckets[4];
    if (gj_arrears_totals(s->t->db, gj_now(), 0, &s->units_in_arrears, &s->arrears_fen, buckets,
                          &err) != GJ_OK)
        say_err(s->t, &err);
}

static void draw_arrears(struct fee_screen *s, struct gj_tui *t, int top, int height)
{
    int h = height - 3;
    if (h < 1)
        h = 1;
    if (h != s->list_height) {
        s->list_height = h;
        gj_list_refresh(&s->list, h);
    }
    char total[32], title[256];
    gj_money_format(s->arrears_fen, total, sizeof total);
    snprintf(title, sizeof title, _("Units in arrears %s: %lld, owing %s — ! over 180 days"),
             _(sort_msgids[s->sort]), (long long)s->units_in_arrears, total);
    gj_put(top + 1, 1, COLS - 2, title, gj_attr(t, GJ_A_DIM));
    attr_t hdr = gj_attr(t, GJ_A_TITLE);
    gj_put(top + 2, 2, 9, _("Unit"), hdr);
    gj_put(top + 2, 12, 10, _("Owner"), hdr);
    gj_put_right(top + 2, 23, 12, _("Owing"), hdr);
    gj_put_right(top + 2, 36, 10, _("0-30 d"), hdr);
    gj_put_right(top + 2, 47, 10, _("31-90 d"), hdr);
    gj_put_right(top + 2, 58, 10, _("91-180 d"), hdr);
    gj_put_right(top + 2, 69, 11, _(">180 d"), hdr);
    gj_put(top + 2, 82, 8, _("Since"), hdr);
    if (COLS > 100)
        gj_put(top + 2, 91, COLS - 92, _("Promised"), hdr);
    gj_list_draw(&s->list, t, top + 3, 0, h, COLS);
    if (s->list.n == 0)
        gj_put(top + 3, 2, COLS - 3, _("No unit is in arrears."), gj_attr(t, GJ_A_DIM));
    curs_set(0);
}

/* ---- one unit --------------------------------------------------------------------- */

static int load_unit(struct fee_screen *s, int64_t unit_id)
{
    struct gj_tui *t = s->t;
    struct gj_error err;
    int64_t now = gj_now();
    int keep = s->unit_id == unit_id;
    int n = 0;
    if (gj_unit_arrears_aged(t->db, unit_id, now, &s->aged, &err) != GJ_OK ||
        gj_bills_open_of_unit(t->db, unit_id, MAX_BILLS, s->bills, &n, &err) != GJ_OK ||
        gj_unit_due(t->db, unit_id, &s->due_fen, &err) != GJ_OK ||
        gj_unit_credit(t->db, unit_id, &s->credit_fen, &err) != GJ_OK ||
        gj_payments_of_unit(t->db, unit_id, 0, MAX_PAYMENTS, s->payments, &s->n_payments, &err) !=
            GJ_OK) {
        say_err(t, &err);
        return -1;
    }
    if (!keep || n != s->n_bills)
        memset(s->chosen, 0, sizeof s->chosen);
    s->n_bills = n;
    if (s->bill_sel >= n)
        s->bill_sel = n > 0 ? n - 1 : 0;
    for (int i = 0; i < n; i++)
        fee_item_name(t->db, s->bills[i].fee_item_id, s->bill_items[i], sizeof s->bill_items[i]);
    s->unit_id = unit_id;
    gj_unit_code_of(t->db, unit_id, s->unit_code, sizeof s->unit_code);
    snprintf(s->owner, sizeof s->owner, "%s", s->aged.owner);
    return 0;
}

static int64_t chosen_total(const struct fee_screen *s, int *count)
{
    int64_t sum = 0;
    *count = 0;
    for (int i = 0; i < s->n_bills; i++)
        if (s->chosen[i]) {
            sum += s->bills[i].amount_fen - s->bills[i].paid_fen;
            (*count)++;
        }
    return sum;
}

static void draw_unit(struct fee_screen *s, struct gj_tui *t, int top, int height)
{
    int bottom = top + height;
    char line[512], a[32], b[32], c[32];
    int y = top;
    gj_money_format(s->due_fen, a, sizeof a);
    gj_money_format(s->credit_fen, b, sizeof b);
    snprintf(line, sizeof line, _("%s  %s   owes %s   credit %s"), s->unit_code, s->owner, a, b);
    gj_put(y++, 1, COLS - 2, line, A_BOLD);
    char bk[4][32];
    for (int i = 0; i < 4; i++)
        gj_money_format(s->aged.bucket_fen[i], bk[i], sizeof bk[i]);
    snprintf(line, sizeof line,
             _("Past due: 0-30 days %s · 31-90 days %s · 91-180 days %s · over 180 days %s"), bk[0],
             bk[1], bk[2], bk[3]);
    gj_put(y++, 1, COLS - 2, line, s->aged.bucket_fen[3] ? gj_attr(t, GJ_A_ERROR) : A_NORMAL);
    if (s->credit_fen > 0 && s->n_bills > 0)
        gj_put(y++, 1, COLS - 2, _("This unit has credit: a uses it on the open bills."),
               gj_attr(t, GJ_A_WARN));
    if (s->aged.promised_at) {
        gj_format_date(s->aged.promised_at, a, sizeof a);
        snprintf(line, sizeof line, _("Promised to pay by %s"), a);
        gj_put(y++, 1, COLS - 2, line, gj_attr(t, GJ_A_WARN));
    }
    y++;
    int count = 0;
    int64_t chosen = chosen_total(s, &count);
    if (count) {
        gj_money_format(chosen, a, sizeof a);
        snprintf(line, sizeof line, _("Open bills — %d chosen, %s (Space chooses)"), count, a);
    } else {
        snprintf(line, sizeof line, "%s", _("Open bills — oldest first (Space chooses)"));
    }
    gj_put(y++, 1, COLS - 2, line, gj_attr(t, GJ_A_TITLE));
    int64_t now = gj_now();
    int room = bottom - y - 3 - (s->n_payments < 4 ? s->n_payments : 4);
    if (room < 1)
        room = 1;
    int first = s->bill_sel >= room ? s->bill_sel - room + 1 : 0;
    for (int i = first; i < s->n_bills && i < first + room; i++) {
        const struct gj_bill *bl = &s->bills[i];
        int late = bl->due_at < now;
        attr_t at = i == s->bill_sel ? gj_attr(t, GJ_A_SELECTED)
                                     : (late ? gj_attr(t, GJ_A_WARN) : A_NORMAL);
        gj_fill(y, 1, COLS - 2, at);
        char period[16], due[16];
        gj_format_month(bl->period, period, sizeof period);
        gj_format_date(bl->due_at, due, sizeof due);
        gj_money_format(bl->amount_fen, a, sizeof a);
        gj_money_format(bl->amount_fen - bl->paid_fen, b, sizeof b);
        gj_put(y, 2, 3, s->chosen[i] ? "[x]" : "[ ]", at);
        gj_put(y, 6, 8, period, at);
        gj_put(y, 15, 16, s->bill_items[i], at);
        gj_put_right(y, 32, 12, a, at);
        gj_put_right(y, 45, 12, b, at);
        snprintf(line, sizeof line, _("due %s%s"), due, late ? _(" (late)") : "");
        gj_put(y++, 59, COLS - 60, line, at);
    }
    if (s->n_bills == 0)
        gj_put(y++, 2, COLS - 3, _("Nothing owed."), gj_attr(t, GJ_A_DIM));
    y++;
    if (y < bottom) {
        gj_put(y++, 1, COLS - 2, _("Recent payments"), gj_attr(t, GJ_A_TITLE));
        for (int i = 0; i < s->n_payments && y < bottom; i++) {
            const struct gj_payment *p = &s->payments[i];
            char no[32], when[32], who[GJ_NAME_BYTES];
            gj_receipt_format(p->receipt_no, "SJ", no, sizeof no);
            gj_format_datetime(p->created_at, when, sizeof when);
            gj_money_format(p->amount_fen, c, sizeof c);
            user_name(t->db, p->created_by, who, sizeof who);
            gj_put(y, 2, 11, no, A_NORMAL);
            gj_put(y, 14, 16, when, A_NORMAL);
            gj_put_right(y, 31, 12, c, A_NORMAL);
            gj_put(y, 45, 8, gj_payment_method_label(p->method), A_NORMAL);
            gj_put(y, 54, 8, who, A_NORMAL);
            gj_put(y++, 63, COLS - 64,
                   p->reverses_payment_id ? p->reason : (p->amount_fen < 0 ? "" : p->payer_name),
                   A_NORMAL);
        }
    }
    curs_set(0);
}

/* ---- receipts ------------------------------------------------------------------ */

/* Writes the receipt of payment p to the receipts folder beside the
 * database and records the print: the original once, then numbered
 * copies (gj_receipt_print). Fills path; 0 on success. */
static int print_receipt(struct gj_tui *t, const struct gj_payment *p, char *path, size_t pathsz,
                         struct gj_error *err)
{
    return gj_receipt_print(t->db, t->role, t->user.id, p, path, pathsz, err);
}

/* ---- forms ------------------------------------------------------------------------ */

enum { PAY_PAYER, PAY_METHOD, PAY_AMOUNT, PAY_NOTE, PAY_COUNT };

static int save_payment(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct fee_screen *s = ctx;
    struct gj_error err;
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = s->unit_id;
    gj_form_get(f, PAY_PAYER, p.payer_name, sizeof p.payer_name);
    snprintf(p.method, sizeof p.method, "%s", gj_form_choice(f, PAY_METHOD));
    char amount[64];
    gj_form_get(f, PAY_AMOUNT, amount, sizeof amount);
    gj_form_get(f, PAY_NOTE, p.reason, sizeof p.reason);
    int rc = gj_require(t->role, GJ_ACTION_TAKE_PAYMENT, &err);
    if (rc == GJ_OK)
        rc = gj_money_parse(amount, 0, _("amount"), &p.amount_fen, &err);
    int64_t ids[MAX_BILLS];
    size_t n_ids = 0;
    for (int i = 0; i < s->n_bills; i++)
        if (s->chosen[i])
            ids[n_ids++] = s->bills[i].id;
    int64_t credit = 0;
    if (rc == GJ_OK)
        rc = gj_payment_take(t->db, t->user.id, &p, n_ids ? ids : NULL, n_ids, NULL, NULL, &credit,
                             &err);
    if (rc != GJ_OK) {
        gj_form_error(f, err.msg);
        return rc;
    }
    /* The money is in; the receipt follows. A failed print is said, and a
     * reprint (r) makes it. */
    char path[4200], no[32], money[32];
    gj_receipt_format(p.receipt_no, "SJ", no, sizeof no);
    gj_money_format(p.amount_fen, money, sizeof money);
    if (print_receipt(t, &p, path, sizeof path, &err) == GJ_OK)
        gj_tui_say(t, 0, _("Receipt %s: %s taken. Printed to %s"), no, money, path);
    else
        gj_tui_say(t, 1, _("Receipt %s: %s taken, but the receipt was not printed: %s"), no, money,
                   err.msg);
    memset(s->chosen, 0, sizeof s->chosen);
    load_unit(s, s->unit_id);
    return GJ_OK;
}

static enum gj_handled payment_form(struct fee_screen *s)
{
    struct gj_tui *t = s->t;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_TAKE_PAYMENT, &err) != GJ_OK) {
        say_err(t, &err);
        return GJ_REDRAW;
    }
    static const char *method_labels[GJ_PAY_METHODS + 1];
    for (int i = 0; gj_pay_method_codes[i]; i++)
        method_labels[i] = gj_payment_method_label(gj_pay_method_codes[i]);
    static struct gj_field fields[PAY_COUNT];
    memset(fields, 0, sizeof fields);
    fields[PAY_PAYER] = (struct gj_field){
        .label = _("payer"), .kind = GJ_F_TEXT, .required = 1, .max_chars = GJ_NAME_CHARS};
    fields[PAY_METHOD] = (struct gj_field){.label = _("method"),
                                           .kind = GJ_F_CHOICE,
                                           .choices = gj_pay_method_codes,
                                           .choice_labels = method_labels};
    fields[PAY_AMOUNT] =
        (struct gj_field){.label = _("amount"), .kind = GJ_F_MONEY, .required = 1, .max_chars = 20};
    fields[PAY_NOTE] =
        (struct gj_field){.label = _("note"), .kind = GJ_F_TEXT, .max_chars = GJ_REASON_CHARS};
    int count = 0;
    int64_t want = chosen_total(s, &count);
    if (!count)
        want = s->due_fen > s->credit_fen ? s->due_fen - s->credit_fen : 0;
    char amount[32] = "";
    if (want > 0)
        gj_money_format_plain(want, amount, sizeof amount);
    struct gj_form f = {.title = count ? _("Take a payment for the chosen bills")
                                       : _("Take a payment (oldest bills first)"),
                        .fields = fields,
                        .n = PAY_COUNT};
    gj_form_set(&f, PAY_PAYER, s->owner);
    gj_form_set(&f, PAY_AMOUNT, amount);
    f.focus = PAY_METHOD;
    f.dirty = 0;
    gj_form_run(&f, t, save_payment, s);
    return GJ_RELOAD;
}

/* A payment of the unit, picked from the recent ones. */
static const struct gj_payment *pick_payment(struct fee_screen *s, const char *title,
                                             int originals_only)
{
    static char lines[MAX_PAYMENTS][128];
    const char *items[MAX_PAYMENTS];
    int map[MAX_PAYMENTS], n = 0;
    for (int i = 0; i < s->n_payments; i++) {
        const struct gj_payment *p = &s->payments[i];
        if (originals_only && p->amount_fen < 0)
            continue;
        char no[32], when[32], money[32];
        gj_receipt_format(p->receipt_no, "SJ", no, sizeof no);
        gj_format_datetime(p->created_at, when, sizeof when);
        gj_money_format(p->amount_fen, money, sizeof money);
        snprintf(lines[n], sizeof lines[n], "%s  %s  %s  %s", no, when, money,
                 gj_payment_method_label(p->method));
        items[n] = lines[n];
        map[n++] = i;
    }
    if (n == 0) {
        gj_tui_say(s->t, 1, "%s", _("No payments on record for this unit."));
        return NULL;
    }
    int k = gj_dialog_pick(s->t, title, items, n);
    return k < 0 ? NULL : &s->payments[map[k]];
}

static enum gj_handled reprint(struct fee_screen *s)
{
    struct gj_error err;
    if (gj_require(s->t->role, GJ_ACTION_PRINT_RECEIPT, &err) != GJ_OK) {
        say_err(s->t, &err);
        return GJ_REDRAW;
    }
    const struct gj_payment *p = pick_payment(s, _("Reprint the receipt of"), 0);
    if (!p)
        return GJ_REDRAW;
    char path[4200], no[32];
    if (print_receipt(s->t, p, path, sizeof path, &err) != GJ_OK) {
        say_err(s->t, &err);
    } else {
        /* The first print of a payment never printed here (the demo's,
         * or one whose print failed) is its original; after that, copies. */
        int64_t prints = 0;
        gj_receipt_format(p->receipt_no, "SJ", no, sizeof no);
        if (gj_receipt_print_count(s->t->db, p->id, &prints, &err) == GJ_OK && prints <= 1)
            gj_tui_say(s->t, 0, _("Receipt %s printed to %s"), no, path);
        else
            gj_tui_say(s->t, 0, _("Copy of receipt %s printed to %s"), no, path);
    }
    return GJ_REDRAW;
}

struct reverse_ctx {
    struct fee_screen *s;
    int64_t payment_id;
};

static int save_reversal(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct reverse_ctx *rc_ = ctx;
    struct gj_error err;
    char reason[GJ_REASON_BYTES];
    gj_form_get(f, 0, reason, sizeof reason);
    struct gj_payment rev;
    int rc = gj_require(t->role, GJ_ACTION_REVERSE_PAYMENT, &err);
    if (rc == GJ_OK)
        rc = gj_payment_reverse(t->db, t->user.id, rc_->payment_id, reason, &rev, &err);
    if (rc != GJ_OK) {
        gj_form_error(f, err.msg);
        return rc;
    }
    char path[4200], no[32];
    gj_receipt_format(rev.receipt_no, "SJ", no, sizeof no);
    if (print_receipt(t, &rev, path, sizeof path, &err) == GJ_OK)
        gj_tui_say(t, 0, _("Reversed by receipt %s. Printed to %s"), no, path);
    else
        gj_tui_say(t, 1, _("Reversed by receipt %s, but it was not printed: %s"), no, err.msg);
    load_unit(rc_->s, rc_->s->unit_id);
    return GJ_OK;
}

static enum gj_handled reverse(struct fee_screen *s)
{
    struct gj_error err;
    if (gj_require(s->t->role, GJ_ACTION_REVERSE_PAYMENT, &err) != GJ_OK) {
        say_err(s->t, &err);
        return GJ_REDRAW;
    }
    const struct gj_payment *p = pick_payment(s, _("Reverse the payment"), 1);
    if (!p)
        return GJ_REDRAW;
    static struct gj_field fields[1];
    memset(fields, 0, sizeof fields);
    fields[0] = (struct gj_field){
        .label = _("reason"), .kind = GJ_F_TEXT, .required = 1, .max_chars = GJ_REASON_CHARS};
    char title[128], no[32];
    gj_receipt_format(p->receipt_no, "SJ", no, sizeof no);
    snprintf(title, sizeof title, _("Reverse receipt %s (a new entry; nothing is deleted)"), no);
    struct gj_form f = {.title = title, .fields = fields, .n = 1};
    struct reverse_ctx ctx = {s, p->id};
    gj_form_run(&f, s->t, save_reversal, &ctx);
    return GJ_RELOAD;
}

enum { DUN_CHANNEL, DUN_RESULT, DUN_DATE, DUN_AMOUNT, DUN_NOTE, DUN_COUNT };

static int save_dunning(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct fee_screen *s = ctx;
    struct gj_error err;
    struct gj_dunning d;
    memset(&d, 0, sizeof d);
    d.unit_id = s->unit_id;
    snprintf(d.channel, sizeof d.channel, "%s", gj_form_choice(f, DUN_CHANNEL));
    snprintf(d.result, sizeof d.result, "%s", gj_form_choice(f, DUN_RESULT));
    char date[32], amount[32];
    gj_form_get(f, DUN_DATE, date, sizeof date);
    gj_form_get(f, DUN_AMOUNT, amount, sizeof amount);
    gj_form_get(f, DUN_NOTE, d.note, sizeof d.note);
    int rc = gj_require(t->role, GJ_ACTION_RECORD_DUNNING, &err);
    if (rc == GJ_OK && date[0])
        rc = gj_parse_date(date, &d.promised_at, &err);
    if (rc == GJ_OK && amount[0])
        rc = gj_money_parse(amount, 0, _("promised amount"), &d.promised_fen, &err);
    if (rc == GJ_OK)
        rc = gj_dunning_add(t->db, t->user.id, &d, &err);
    if (rc != GJ_OK) {
        gj_form_error(f, err.msg);
        return rc;
    }
    gj_tui_say(t, 0, "%s", _("Dunning contact recorded."));
    load_unit(s, s->unit_id);
    return GJ_OK;
}

static enum gj_handled dunning_form(struct fee_screen *s)
{
    struct gj_tui *t = s->t;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_RECORD_DUNNING, &err) != GJ_OK) {
        say_err(t, &err);
        return GJ_REDRAW;
    }
    static const char *const channels[] = {"phone",  "wechat", "sms", "visit",
                                           "letter", "other",  NULL};
    static const char *const channel_msgids[] = {N_("phone"), N_("WeChat"), N_("text message"),
                                                 N_("visit"), N_("letter"), N_("other")};
    static const char *const results[] = {"promised", "refused", "no_answer", "disputed",
                                          "paid",     "other",   NULL};
    static const char *const result_msgids[] = {N_("promised to pay"), N_("refused"),
                                                N_("no answer"),       N_("disputes the bill"),
                                                N_("says it is paid"), N_("other")};
    static const char *cl[7], *rl[7];
    for (int i = 0; i < 6; i++) {
        cl[i] = _(channel_msgids[i]);
        rl[i] = _(result_msgids[i]);
    }
    static struct gj_field fields[DUN_COUNT];
    memset(fields, 0, sizeof fields);
    fields[DUN_CHANNEL] = (struct gj_field){
        .label = _("channel"), .kind = GJ_F_CHOICE, .choices = channels, .choice_labels = cl};
    fields[DUN_RESULT] = (struct gj_field){
        .label = _("result"), .kind = GJ_F_CHOICE, .choices = results, .choice_labels = rl};
    fields[DUN_DATE] =
        (struct gj_field){.label = _("promised date"), .kind = GJ_F_DATE, .max_chars = 10};
    fields[DUN_AMOUNT] =
        (struct gj_field){.label = _("promised amount"), .kind = GJ_F_MONEY, .max_chars = 20};
    fields[DUN_NOTE] =
        (struct gj_field){.label = _("note"), .kind = GJ_F_TEXT, .max_chars = GJ_NOTE_CHARS};
    struct gj_form f = {.title = _("Dunning contact (催缴)"), .fields = fields, .n = DUN_COUNT};
    gj_form_run(&f, t, save_dunning, s);
    return GJ_RELOAD;
}

/* ---- notices, the cash report, the billing run ------------------------------------ */

/* The notice of one unit into dir; 0 on success. */
static int write_notice(struct gj_tui *t, const char *tmpl, const struct gj_arrears_row *r,
                        const char *dir, char *path, size_t pathsz, struct gj_error *err)
{
    static struct gj_bill bills[MAX_BILLS];
    static struct gj_notice_line lines[MAX_BILLS];
    int n = 0;
    int rc = gj_bills_open_of_unit(t->db, r->unit_id, MAX_BILLS, bills, &n, err);
    int64_t now = gj_now();
    int k = 0, months = 0, last = 0;
    for (int i = 0; rc == GJ_OK && i < n; i++) {
        if (bills[i].due_at >= now)
            continue; /* not owed yet */
        fee_item_name(t->db, bills[i].fee_item_id, lines[k].item, sizeof lines[k].item);
        lines[k].period = bills[i].period;
        lines[k].owed_fen = bills[i].amount_fen - bills[i].paid_fen;
        if (bills[i].period != last)
            months++;
        last = bills[i].period;
        k++;
    }
    struct gj_notice_vars v;
    memset(&v, 0, sizeof v);
    estate_name(t->db, v.estate, sizeof v.estate);
    snprintf(v.unit_code, sizeof v.unit_code, "%s", r->unit_code);
    snprintf(v.name, sizeof v.name, "%s", r->owner);
    v.total_fen = r->total_fen;
    v.months = months;
    v.oldest_period = r->oldest_period;
    v.date = now;
    v.lines = lines;
    v.n_lines = k;
    char *text = NULL;
    if (rc == GJ_OK)
        rc = gj_notice_render(tmpl, &v, &text, err);
    char day[16];
    gj_format_date(now, day, sizeof day);
    if (rc == GJ_OK) {
        int w = snprintf(path, pathsz, "%s/%s-%s.txt", dir, r->unit_code, day);
        if (w < 0 || (size_t)w >= pathsz)
            rc = gj_err(err, GJ_EINVAL, "%s", _("notice: the path is too long"));
    }
    if (rc == GJ_OK)
        rc = gj_write_text_file(path, text, strlen(text), 1, err);
    free(text);
    return rc;
}

/* The manager's template for the UI language, else the default. */
static void notice_template(struct gj_tui *t, char *out, size_t outsz)
{
    /* TRANSLATORS: the code of this language: zh_CN. */
    int chinese = strcmp(_("en"), "zh_CN") == 0;
    struct gj_setting st;
    struct gj_error err;
    const char *key = chinese ? "notice.template.zh_CN" : "notice.template.en";
    if (gj_setting_get(t->db, key, &st, &err) == GJ_OK && st.value[0])
        snprintf(out, outsz, "%s", st.value);
    else
        snprintf(out, outsz, "%s", gj_notice_default_template(chinese));
}

/* Notices for one unit (building 0) or for every unit of a building in
 * arrears. */
static void print_notices(struct fee_screen *s, int64_t unit_id, int building)
{
    struct gj_tui *t = s->t;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_RECORD_DUNNING, &err) != GJ_OK) {
        say_err(t, &err);
        return;
    }
    static char tmpl[sizeof((struct gj_setting *)0)->value];
    notice_template(t, tmpl, sizeof tmpl);
    char dir[4096], path[4300];
    if (gj_document_dir(gj_db_path(t->db), "notices", dir, sizeof dir, &err) != GJ_OK) {
        say_err(t, &err);
        return;
    }
    int64_t now = gj_now();
    if (unit_id) {
        struct gj_arrears_row r;
        int rc = gj_unit_arrears_aged(t->db, unit_id, now, &r, &err);
        if (rc == GJ_OK && r.total_fen <= 0)
            rc = gj_err(&err, GJ_EINVAL, "%s", _("this unit owes nothing past due"));
        if (rc == GJ_OK)
            rc = write_notice(t, tmpl, &r, dir, path, sizeof path, &err);
        if (rc != GJ_OK)
            say_err(t, &err);
        else
            gj_tui_say(t, 0, _("Notice printed to %s"), path);
        return;
    }
    enum { PAGE = 64 };
    static struct gj_arrears_row rows[PAGE];
    int done = 0, n = 0, offset = 0, rc = GJ_OK;
    do {
        rc = gj_arrears_list(t->db, now, GJ_ARREARS_BY_BUILDING, building, offset, PAGE, rows, &n,
                             &err);
        for (int i = 0; rc == GJ_OK && i < n; i++) {
            rc = write_notice(t, tmpl, &rows[i], dir, path, sizeof path, &err);
            done += rc == GJ_OK;
        }
        offset += n;
    } while (rc == GJ_OK && n == PAGE);
    if (rc != GJ_OK)
        say_err(t, &err);
    else
        gj_tui_say(t, 0, _("%d notices for building %d printed to %s"), done, building, dir);
}

static int ask_building(struct gj_tui *t)
{
    static struct gj_field fields[1];
    memset(fields, 0, sizeof fields);
    fields[0] = (struct gj_field){
        .label = _("building"), .kind = GJ_F_NUMBER, .required = 1, .max_chars = 4};
    struct gj_form f = {.title = _("Dunning notices for every unit in arrears of building"),
                        .fields = fields,
                        .n = 1};
    if (!gj_form_run(&f, t, NULL, NULL))
        return 0;
    char v[16];
    gj_form_get(&f, 0, v, sizeof v);
    return atoi(v);
}

static enum gj_handled cash_report(struct fee_screen *s)
{
    struct gj_tui *t = s->t;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_VIEW_FEES, &err) != GJ_OK) {
        say_err(t, &err);
        return GJ_REDRAW;
    }
    static struct gj_cash_report r;
    int64_t day = gj_day_start(gj_now());
    char *text = NULL;
    int rc = gj_cash_report(t->db, day, &r, &err);
    if (rc == GJ_OK) {
        estate_name(t->db, r.estate, sizeof r.estate);
        rc = gj_cash_report_render(&r, &text, &err);
    }
    char dir[4096], path[4300], date[16];
    gj_format_date(day, date, sizeof date);
    if (rc == GJ_OK)
        rc = gj_document_dir(gj_db_path(t->db), "reports", dir, sizeof dir, &err);
    if (rc == GJ_OK) {
        snprintf(path, sizeof path, "%s/cash-%s.txt", dir, date);
        rc = gj_write_text_file(path, text, strlen(text), 1, &err);
    }
    if (rc != GJ_OK) {
        free(text);
        say_err(t, &err);
        return GJ_REDRAW;
    }
    char title[4400];
    snprintf(title, sizeof title, _("Cash report %s (also in %s)"), date, path);
    gj_dialog_message(t, title, text);
    free(text);
    return GJ_REDRAW;
}

static void billing_progress(long done, long total, void *ctx)
{
    struct gj_tui *t = ctx;
    gj_tui_say(t, 0, _("Billing: %ld of %ld"), done, total);
    gj_tui_paint(t);
}

static enum gj_handled billing_run(struct fee_screen *s)
{
    struct gj_tui *t = s->t;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_RUN_BILLING, &err) != GJ_OK) {
        say_err(t, &err);
        return GJ_REDRAW;
    }
    static struct gj_field fields[1];
    memset(fields, 0, sizeof fields);
    fields[0] = (struct gj_field){
        .label = _("month (YYYY-MM)"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 7};
    struct gj_form f = {.title = _("Generate the bills of a month"), .fields = fields, .n = 1};
    char month[16];
    gj_format_month(gj_month_of(gj_now()), month, sizeof month);
    gj_form_set(&f, 0, month);
    f.dirty = 0;
    if (!gj_form_run(&f, t, NULL, NULL))
        return GJ_REDRAW;
    gj_form_get(&f, 0, month, sizeof month);
    int y = 0, m = 0;
    char extra;
    if (sscanf(month, "%4d-%2d%c", &y, &m, &extra) != 2 || !gj_bill_period_valid(y * 100 + m)) {
        gj_tui_say(t, 1, _("month: write it as YYYY-MM (got \"%s\")"), month);
        return GJ_REDRAW;
    }
    struct gj_billing_result r;
    if (gj_billing_run(t->db, t->user.id, t->role, y * 100 + m, billing_progress, t, &r, &err) !=
        GJ_OK) {
        say_err(t, &err);
        return GJ_RELOAD;
    }
    char money[32];
    gj_money_format(r.billed_fen, money, sizeof money);
    gj_tui_say(t, 0, _("%s: %ld bills created, %ld already there, %s billed."), month, r.created,
               r.existing, money);
    return GJ_RELOAD;
}

/* ---- fee items, promises, the collection rate ---------------------------------------- */

static const char *const kind_codes[] = {"per_m2", "per_space", "fixed", NULL};
static const char *const kind_msgids[] = {N_("per m² per month"), N_("per parking space per month"),
                                          N_("fixed per month")};

static const char *kind_label(const char *code)
{
    for (int i = 0; kind_codes[i]; i++)
        if (strcmp(code, kind_codes[i]) == 0)
            return _(kind_msgids[i]);
    return code;
}

/* "2026-11" into yyyymm; empty gives 0 when optional. */
static int month_field(struct gj_form *f, int i, int optional, int *out)
{
    char v[32];
    gj_form_get(f, i, v, sizeof v);
    *out = 0;
    if (!v[0] && optional)
        return GJ_OK;
    int y = 0, m = 0;
    char extra;
    if (sscanf(v, "%4d-%2d%c", &y, &m, &extra) != 2 || !gj_bill_period_valid(y * 100 + m)) {
        snprintf(f->fields[i].error, sizeof f->fields[i].error, "%s",
                 _("write the month as YYYY-MM"));
        return GJ_EINVAL;
    }
    *out = y * 100 + m;
    return GJ_OK;
}

enum { FI_NAME, FI_KIND, FI_RATE, FI_FROM, FI_TO, FI_COUNT };

static int save_fee_item(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct gj_fee_item *item = ctx;
    struct gj_error err;
    struct gj_fee_item next = *item;
    gj_form_get(f, FI_NAME, next.name, sizeof next.name);
    snprintf(next.kind, sizeof next.kind, "%s", gj_form_choice(f, FI_KIND));
    char rate[32];
    gj_form_get(f, FI_RATE, rate, sizeof rate);
    if (month_field(f, FI_FROM, 0, &next.active_from) != GJ_OK ||
        month_field(f, FI_TO, 1, &next.active_to) != GJ_OK)
        return GJ_EINVAL;
    int rc = gj_require(t->role, GJ_ACTION_EDIT_FEE_ITEMS, &err);
    if (rc == GJ_OK)
        rc = gj_money_parse(rate, GJ_MONEY_ALLOW_ZERO, _("rate"), &next.rate_fen, &err);
    if (rc == GJ_OK)
        rc = item->id ? gj_fee_item_update(t->db, t->user.id, &next, &err)
                      : gj_fee_item_create(t->db, t->user.id, &next, &err);
    if (rc != GJ_OK) {
        gj_form_error(f, err.msg);
        return rc;
    }
    gj_tui_say(t, 0, _("Fee item \"%s\" saved; bills already issued keep their rate."), next.name);
    *item = next;
    return GJ_OK;
}

static void fee_item_form(struct gj_tui *t, struct gj_fee_item *item)
{
    static const char *labels[4];
    for (int i = 0; kind_codes[i]; i++)
        labels[i] = _(kind_msgids[i]);
    static struct gj_field fields[FI_COUNT];
    memset(fields, 0, sizeof fields);
    fields[FI_NAME] = (struct gj_field){
        .label = _("name"), .kind = GJ_F_TEXT, .required = 1, .max_chars = GJ_NAME_CHARS};
    fields[FI_KIND] = (struct gj_field){
        .label = _("kind"), .kind = GJ_F_CHOICE, .choices = kind_codes, .choice_labels = labels};
    fields[FI_RATE] = (struct gj_field){
        .label = _("rate (yuan)"), .kind = GJ_F_MONEY, .required = 1, .max_chars = 20};
    fields[FI_FROM] = (struct gj_field){
        .label = _("from (YYYY-MM)"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 7};
    fields[FI_TO] = (struct gj_field){
        .label = _("to (YYYY-MM, empty: open)"), .kind = GJ_F_TEXT, .max_chars = 7};
    struct gj_form f = {.title = item->id ? _("Edit the fee item") : _("New fee item"),
                        .fields = fields,
                        .n = FI_COUNT};
    char v[32];
    if (item->id) {
        gj_form_set(&f, FI_NAME, item->name);
        gj_form_set_choice(&f, FI_KIND, item->kind);
        gj_money_format_plain(item->rate_fen, v, sizeof v);
        gj_form_set(&f, FI_RATE, v);
        gj_format_month(item->active_from, v, sizeof v);
        gj_form_set(&f, FI_FROM, v);
        if (item->active_to) {
            gj_format_month(item->active_to, v, sizeof v);
            gj_form_set(&f, FI_TO, v);
        }
    } else {
        gj_format_month(gj_month_of(gj_now()), v, sizeof v);
        gj_form_set(&f, FI_FROM, v);
    }
    f.dirty = 0;
    gj_form_run(&f, t, save_fee_item, item);
}

/* The manager's fee schedule: every item, n adds one, Enter edits one. */
static enum gj_handled fee_items(struct fee_screen *s)
{
    struct gj_tui *t = s->t;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_EDIT_FEE_ITEMS, &err) != GJ_OK) {
        say_err(t, &err);
        return GJ_REDRAW;
    }
    enum { MAX_ITEMS = 64 };
    static struct gj_fee_item items[MAX_ITEMS];
    static char lines[MAX_ITEMS][GJ_NAME_BYTES + 128];
    const char *texts[MAX_ITEMS];
    static const gj_key extra[] = {'n', 'e', 0};
    int sel = 0;
    for (;;) {
        int n = 0;
        if (gj_fee_items_list(t->db, 0, MAX_ITEMS, items, &n, &err) != GJ_OK) {
            say_err(t, &err);
            return GJ_REDRAW;
        }
        for (int i = 0; i < n; i++) {
            char rate[32], from[16], to[16];
            gj_money_format(items[i].rate_fen, rate, sizeof rate);
            gj_format_month(items[i].active_from, from, sizeof from);
            if (items[i].active_to)
                gj_format_month(items[i].active_to, to, sizeof to);
            else
                snprintf(to, sizeof to, "%s", "…");
            snprintf(lines[i], sizeof lines[i], "%s · %s %s · %s → %s", items[i].name, rate,
                     kind_label(items[i].kind), from, to);
            texts[i] = lines[i];
        }
        gj_key k = gj_dialog_pick_keys(t, _("Fee items (收费项目)"), texts, n, &sel,
                                       _("n new   e/Enter edit   Esc done"), extra);
        if (k == 27)
            return GJ_RELOAD;
        if (k == 'n') {
            struct gj_fee_item fresh;
            memset(&fresh, 0, sizeof fresh);
            snprintf(fresh.kind, sizeof fresh.kind, "%s", "per_m2");
            fee_item_form(t, &fresh);
        } else if (n > 0) {
            fee_item_form(t, &items[sel]);
        }
    }
}

/* Promises to pay that fall due by the end of today; Enter opens the unit. */
static enum gj_handled promises(struct fee_screen *s)
{
    struct gj_tui *t = s->t;
    struct gj_error err;
    enum { MAX_PROMISES = 100 };
    static struct gj_promise_row rows[MAX_PROMISES];
    static char lines[MAX_PROMISES][GJ_NAME_BYTES + 128];
    const char *texts[MAX_PROMISES];
    int n = 0;
    if (gj_dunning_promises_due(t->db, gj_day_start(gj_now()) + 86400 - 1, MAX_PROMISES, rows, &n,
                                &err) != GJ_OK) {
        say_err(t, &err);
        return GJ_REDRAW;
    }
    int64_t today = gj_day_start(gj_now());
    for (int i = 0; i < n; i++) {
        char when[16], promised[32], owed[32];
        gj_format_date(rows[i].d.promised_at, when, sizeof when);
        gj_money_format(rows[i].d.promised_fen, promised, sizeof promised);
        gj_money_format(rows[i].owed_fen, owed, sizeof owed);
        snprintf(lines[i], sizeof lines[i], _("%s %s  %s %s  promised %s, owes %s"),
                 rows[i].d.promised_at < today ? "!" : " ", when, rows[i].unit_code, rows[i].owner,
                 rows[i].d.promised_fen ? promised : "—", owed);
        texts[i] = lines[i];
    }
    int sel = 0;
    gj_key k = gj_dialog_pick_keys(t, _("Promises to pay falling due (! already passed)"), texts, n,
                                   &sel, _("Enter open the unit   Esc back"), NULL);
    if (k == '\n' && n > 0 && load_unit(s, rows[sel].d.unit_id) == 0)
        s->unit_view = 1;
    return GJ_REDRAW;
}

/* 收缴率: collected over billed for a range of months, and by building. */
static enum gj_handled collection(struct fee_screen *s)
{
    struct gj_tui *t = s->t;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_VIEW_FEES, &err) != GJ_OK) {
        say_err(t, &err);
        return GJ_REDRAW;
    }
    static struct gj_field fields[2];
    memset(fields, 0, sizeof fields);
    fields[0] = (struct gj_field){
        .label = _("from (YYYY-MM)"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 7};
    fields[1] = (struct gj_field){
        .label = _("to (YYYY-MM)"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 7};
    struct gj_form f = {
        .title = _("Collection rate (收缴率) of the bills of"), .fields = fields, .n = 2};
    int now_m = gj_month_of(gj_now());
    char v[16];
    gj_format_month(now_m / 100 * 100 + 1, v, sizeof v);
    gj_form_set(&f, 0, v);
    gj_format_month(now_m, v, sizeof v);
    gj_form_set(&f, 1, v);
    f.dirty = 0;
    int from = 0, to = 0;
    for (;;) {
        if (!gj_form_run(&f, t, NULL, NULL))
            return GJ_REDRAW;
        if (month_field(&f, 0, 0, &from) == GJ_OK && month_field(&f, 1, 0, &to) == GJ_OK)
            break;
    }
    enum { MAX_B = 64 };
    static struct gj_collection rows[MAX_B];
    struct gj_collection all;
    int n = 0;
    if (gj_collection(t->db, from, to, 0, &all, &err) != GJ_OK ||
        gj_collection_by_building(t->db, from, to, rows, MAX_B, &n, &err) != GJ_OK) {
        say_err(t, &err);
        return GJ_REDRAW;
    }
    static char text[8192];
    size_t len = 0;
    char a[32], b[32];
    for (int i = -1; i < n && len < sizeof text - 256; i++) {
        const struct gj_collection *c = i < 0 ? &all : &rows[i];
        gj_money_format(c->billed_fen, a, sizeof a);
        gj_money_format(c->collected_fen, b, sizeof b);
        /* Per mille, rounded half up, in integers: money is never a float. */
        int64_t pm =
            c->billed_fen ? (c->collected_fen * 1000 + c->billed_fen / 2) / c->billed_fen : 0;
        char who[64];
        if (i < 0)
            snprintf(who, sizeof who, "%s", _("The estate"));
        else
            snprintf(who, sizeof who, _("Building %d"), c->building);
        int w =
            snprintf(text + len, sizeof text - len, _("%s: billed %s, collected %s, %lld.%lld%%\n"),
                     who, a, b, (long long)(pm / 10), (long long)(pm % 10));
        if (w > 0) /* never past the buffer, even when cut */
            len = len + (size_t)w < sizeof text ? len + (size_t)w : sizeof text - 1;
    }
    char title[128], fm[16], tm[16];
    gj_format_month(from, fm, sizeof fm);
    gj_format_month(to, tm, sizeof tm);
    snprintf(title, sizeof title, _("Collection rate, bills of %s to %s"), fm, tm);
    gj_dialog_message(t, title, text);
    return GJ_REDRAW;
}

/* ---- the screen ------------------------------------------------------------------- */

static int save_find(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct fee_screen *s = ctx;
    char typed[128];
    gj_form_get(f, 0, typed, sizeof typed);
    int64_t unit_id = 0, person_id = 0;
    struct gj_error err;
    int rc = gj_find_unit(t->db, typed, &unit_id, &person_id, &err);
    if (rc != GJ_OK) {
        gj_form_error(f, err.msg);
        return rc;
    }
    if (load_unit(s, unit_id) == 0)
        s->unit_view = 1;
    return GJ_OK;
}

static enum gj_handled find_unit(struct fee_screen *s)
{
    static struct gj_field fields[1];
    memset(fields, 0, sizeof fields);
    fields[0] = (struct gj_field){
        .label = _("unit or phone"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 40};
    struct gj_form f = {.title = _("Find the unit"), .fields = fields, .n = 1};
    gj_form_run(&f, s->t, save_find, s);
    return GJ_REDRAW;
}

enum gj_handled gj_fees_open_unit(struct gj_tui *t, int64_t unit_id)
{
    int i;
    struct fee_screen *s = gj_tui_screen_state(t, &fees_screen, &i);
    if (!s)
        return GJ_DONE;
    if (load_unit(s, unit_id) == 0) {
        s->unit_view = 1;
        t->current = i;
    }
    return GJ_REDRAW;
}

static void *fee_open(struct gj_tui *t)
{
    struct fee_screen *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->t = t;
    struct gj_list_source src = {.ctx = s,
                                 .row_size = sizeof(struct arrears_item),
                                 .fetch = fetch_arrears,
                                 .draw_row = draw_arrears_row};
    gj_list_init(&s->list, &src);
    s->list_height = LINES - 6 > 1 ? LINES - 6 : 1;
    load_totals(s);
    gj_list_reload(&s->list, s->list_height);
    return s;
}

static void fee_close(void *state)
{
    struct fee_screen *s = state;
    if (!s)
        return;
    gj_list_free(&s->list);
    free(s);
}

static void fee_draw(void *state, struct gj_tui *t, int top, int height)
{
    struct fee_screen *s = state;
    if (s->unit_view)
        draw_unit(s, t, top + 1, height - 1);
    else
        draw_arrears(s, t, top, height);
}

static enum gj_handled unit_key(struct fee_screen *s, gj_key k)
{
    switch (gj_action_for(GJ_SC_FEE_UNIT, k)) {
    case GJ_ACT_BACK:
    case GJ_ACT_QUIT:
        s->unit_view = 0;
        load_totals(s);
        gj_list_refresh(&s->list, s->list_height);
        return GJ_REDRAW;
    case GJ_ACT_UP:
        if (s->bill_sel > 0)
            s->bill_sel--;
        return GJ_REDRAW;
    case GJ_ACT_DOWN:
        if (s->bill_sel + 1 < s->n_bills)
            s->bill_sel++;
        return GJ_REDRAW;
    case GJ_ACT_FEE_CHOOSE:
        if (s->n_bills) {
            s->chosen[s->bill_sel] = !s->chosen[s->bill_sel];
            if (s->bill_sel + 1 < s->n_bills)
                s->bill_sel++;
        }
        return GJ_REDRAW;
    case GJ_ACT_FEE_PAY:
        return payment_form(s);
    case GJ_ACT_FEE_REPRINT:
        return reprint(s);
    case GJ_ACT_FEE_REVERSE:
        return reverse(s);
    case GJ_ACT_FEE_DUNNING:
        return dunning_form(s);
    case GJ_ACT_FEE_CREDIT: {
        struct gj_error err;
        int64_t used = 0;
        int rc = gj_require(s->t->role, GJ_ACTION_TAKE_PAYMENT, &err);
        if (rc == GJ_OK)
            rc = gj_unit_apply_credit(s->t->db, s->t->user.id, s->unit_id, &used, &err);
        if (rc != GJ_OK) {
            say_err(s->t, &err);
        } else {
            char money[32];
            gj_money_format(used, money, sizeof money);
            gj_tui_say(s->t, 0, _("Credit used on the open bills: %s."), money);
        }
        load_unit(s, s->unit_id);
        return GJ_RELOAD;
    }
    case GJ_ACT_FEE_NOTICE:
        print_notices(s, s->unit_id, 0);
        return GJ_REDRAW;
    default:
        return GJ_PASS;
    }
}

static enum gj_handled fee_key(void *state, struct gj_tui *t, gj_key k)
{
    struct fee_screen *s = state;
    (void)t;
    if (s->unit_view)
        return unit_key(s, k);
    enum gj_act act = gj_action_for(GJ_SC_FEE_LIST, k);
    switch (act) {
    case GJ_ACT_UP:
    case GJ_ACT_DOWN:
    case GJ_ACT_PGUP:
    case GJ_ACT_PGDN:
    case GJ_ACT_HOME:
    case GJ_ACT_END:
        gj_list_move(&s->list, act, s->list_height);
        return GJ_REDRAW;
    case GJ_ACT_OPEN: {
        struct arrears_item *it = gj_list_selected(&s->list);
        if (it && load_unit(s, it->r.unit_id) == 0)
            s->unit_view = 1;
        return GJ_REDRAW;
    }
    case GJ_ACT_FEE_FIND:
        return find_unit(s);
    case GJ_ACT_FEE_SORT:
        s->sort = (enum gj_arrears_sort)((s->sort + 1) % 3);
        gj_list_reload(&s->list, s->list_height);
        return GJ_REDRAW;
    case GJ_ACT_FEE_CASH:
        return cash_report(s);
    case GJ_ACT_FEE_BILLING:
        return billing_run(s);
    case GJ_ACT_FEE_ITEMS:
        return fee_items(s);
    case GJ_ACT_FEE_PROMISES:
        return promises(s);
    case GJ_ACT_FEE_COLLECTION:
        return collection(s);
    case GJ_ACT_FEE_NOTICE: {
        /* Refuse before asking, not after the building is typed. */
        struct gj_error err;
        if (gj_require(s->t->role, GJ_ACTION_RECORD_DUNNING, &err) != GJ_OK) {
            say_err(s->t, &err);
            return GJ_REDRAW;
        }
        int b = ask_building(s->t);
        if (b > 0)
            print_notices(s, 0, b);
        return GJ_REDRAW;
    }
    default:
        return GJ_PASS;
    }
}

static void fee_reload(void *state)
{
    struct fee_screen *s = state;
    load_totals(s);
    gj_list_refresh(&s->list, s->list_height);
    if (s->unit_view)
        load_unit(s, s->unit_id);
}

static unsigned fee_scope(void *state)
{
    struct fee_screen *s = state;
    return s->unit_view ? GJ_SC_FEE_UNIT : GJ_SC_FEE_LIST;
}

static const char *fee_probe(void *state, const char *what)
{
    struct fee_screen *s = state;
    if (strcmp(what, "unit") == 0 && s->unit_view)
        return s->unit_code;
    return NULL;
}

const struct screen_ops fees_screen = {
    .name = "fees",
    .title = N_("Fees"),
    .open = fee_open,
    .close = fee_close,
    .draw = fee_draw,
    .key = fee_key,
    .scope = fee_scope,
    .reload = fee_reload,
    .probe = fee_probe,
};
