/* Documents as plain text (core/, no I/O): receipts (收据), dunning
 * notices (催缴通知书) and the daily cash report (日结). Labels are in the
 * UI language (_()); columns are lined up by display width (a Chinese
 * character takes two columns). Money is int64 fen. Writing them to files
 * is outfile.h's job. */
#ifndef GUANJIA_DOCUMENTS_H
#define GUANJIA_DOCUMENTS_H

#include <stdint.h>
#include "guanjia/error.h"
#include "guanjia/model.h"

/* The widest line of a receipt, in display columns. */
#define GJ_RECEIPT_COLS 64
/* At most this many lines on a receipt or a notice. */
#define GJ_DOC_MAX_LINES 10000

/* ---- receipts ------------------------------------------------------------ */

struct gj_receipt_line {
    char item[GJ_NAME_BYTES];
    int period; /* yyyymm, 0 = none */
    int64_t amount_fen;
};

struct gj_receipt_doc {
    char estate[GJ_NAME_BYTES];
    int64_t receipt_no; /* printed with gj_receipt_format(no, "SJ", ...) */
    char unit_code[24];
    char payer[GJ_NAME_BYTES];
    char method[GJ_CODE_BYTES]; /* cash wechat alipay card transfer */
    const struct gj_receipt_line *lines;
    int n_lines;
    int64_t total_fen;  /* the payment (negative for a reversal) */
    int64_t credit_fen; /* of it, kept as the unit's credit */
    char operator_name[GJ_NAME_BYTES];
    int64_t at;
    int copy;                     /* 0 the original; n >= 1 the n-th copy: marked 副本/COPY n */
    int64_t reverses_receipt_no;  /* > 0: this is a reversal of that receipt */
    char reason[GJ_REASON_BYTES]; /* a reversal's reason */
};

/* Renders the receipt as plain text in the UI language (_()), columns lined
 * up by display width (Chinese = 2 columns), every line at most
 * GJ_RECEIPT_COLS columns (long names wrap); total in figures and in 大写;
 * a copy is marked on top, a reversal names the receipt it reverses and
 * why. Lines end with "\n". *out is malloc'd (the caller frees).
 *
 * Refused with GJ_EINVAL (and *out = NULL): receipt_no < 1, n_lines outside
 * 0..GJ_DOC_MAX_LINES or lines NULL with n_lines > 0, an amount beyond
 * GJ_MONEY_MAX, a period that is neither 0 nor a valid yyyymm, copy < 0,
 * reverses_receipt_no < 0, a payment whose total is not positive or a
 * reversal whose total is not negative, and lines plus credit that do not
 * add up to the total. GJ_ENOMEM when memory runs out. Control characters
 * in the text print as spaces, invalid UTF-8 as '?'. */
int gj_receipt_render(const struct gj_receipt_doc *d, char **out, struct gj_error *err);

/* The translated name of a payment method: 现金 微信 支付宝 银行卡 转账
 * (Cash WeChat Alipay Card Bank transfer); an unknown code is returned as
 * it is, NULL gives "". */
const char *gj_payment_method_label(const char *code);

/* ---- dunning notices ----------------------------------------------------- */

/* A dunning notice (催缴通知书) from a template. Placeholders: {estate}
 * {unit} {name} {total} (¥1,234.50) {total_words} (大写) {months} (how many
 * months owed) {oldest} (2026-03) {date} (the notice date, 2026-11-29)
 * {lines} (one line per owed month and item, lined up: period, item,
 * amount; when {lines} follows only blanks on its line, every line gets
 * those blanks). "{{" and "}}" write a brace. An unknown placeholder or an
 * unmatched brace is an error naming it. */
struct gj_notice_line {
    char item[GJ_NAME_BYTES];
    int period;
    int64_t owed_fen;
};

struct gj_notice_vars {
    char estate[GJ_NAME_BYTES];
    char unit_code[24];
    char name[GJ_NAME_BYTES];
    int64_t total_fen;
    int months;
    int oldest_period;
    int64_t date;
    const struct gj_notice_line *lines;
    int n_lines;
};

/* Our own wording, polite and firm, with the estate's front desk as the
 * contact: chinese != 0 gives the Chinese one (as a Chinese property
 * company writes it), else the English one. Both pass
 * gj_notice_check_template and fit a setting (at most 1000 characters);
 * neither ends with a newline. */
const char *gj_notice_default_template(int chinese);

/* GJ_OK, or GJ_EINVAL for a NULL or blank template, an unknown
 * placeholder ("notice template: unknown placeholder {nope} ...") or an
 * unmatched "{" or "}" (the message names it and its line). */
int gj_notice_check_template(const char *tmpl, struct gj_error *err);

/* Lines of a notice longer than this many columns are wrapped. */
#define GJ_NOTICE_COLS 72

/* Fills tmpl with v. Lines wider than GJ_NOTICE_COLS columns are wrapped
 * (English at spaces, Chinese between characters but not before a closing
 * mark; the continuations keep the line's leading blanks) and blanks at
 * the ends of lines are dropped. The result ends with "\n"; *out is
 * malloc'd (the caller frees). GJ_EINVAL (and *out = NULL) for a bad
 * template, months < 0, an oldest_period that is neither 0 nor a valid
 * yyyymm, n_lines outside 0..GJ_DOC_MAX_LINES, a bad period or amount in a
 * line, a total beyond GJ_MONEY_MAX, or lines (when there are any) that do
 * not add up to the total. */
int gj_notice_render(const char *tmpl, const struct gj_notice_vars *v, char **out,
                     struct gj_error *err);

/* ---- the daily cash report ------------------------------------------------ */

/* The daily cash report (日结) of one day: per operator, totals by method. */
#define GJ_PAY_METHODS 5 /* cash wechat alipay card transfer, in this order */

/* by_method_fen is what the operator holds per method at the end of the
 * day: payments less the reversals paid back through that method.
 * reversed_fen (0 or negative) is the part of it that reversals took
 * away, shown for information. total_fen = the sum of by_method_fen. */
struct gj_cash_row {
    int64_t user_id;
    char operator_name[GJ_NAME_BYTES];
    int64_t count; /* receipts issued, reversals included */
    int64_t by_method_fen[GJ_PAY_METHODS];
    int64_t reversed_fen; /* reversals, negative */
    int64_t total_fen;
};

struct gj_cash_report {
    int64_t day; /* local midnight */
    char estate[GJ_NAME_BYTES];
    int n_rows;
    struct gj_cash_row rows[32];
    struct gj_cash_row all; /* the totals */
};

/* A table with one row per operator and a totals row, columns as wide as
 * their widest cell, amounts right-aligned; then lines to sign. *out is
 * malloc'd (the caller frees). GJ_EINVAL (and *out = NULL) when n_rows is
 * outside 0..32, a count is negative, a reversal sum is positive, an
 * amount is beyond GJ_MONEY_MAX, a row's total is not the sum of its
 * methods (the message names the operator), or a column of `all` is not
 * the sum of the rows. */
int gj_cash_report_render(const struct gj_cash_report *r, char **out, struct gj_error *err);

extern const char *const gj_pay_method_codes[GJ_PAY_METHODS + 1]; /* NULL-terminated */

#endif
