/* Receipts, dunning notices and the daily cash report as plain text. */
#include "guanjia/documents.h"

#include "guanjia/billing.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const gj_pay_method_codes[GJ_PAY_METHODS + 1] = {"cash", "wechat",   "alipay",
                                                             "card", "transfer", NULL};

static const char *const pay_method_labels[GJ_PAY_METHODS] = {
    N_("Cash"), N_("WeChat"), N_("Alipay"), N_("Bank card"), N_("Bank transfer")};

const char *gj_payment_method_label(const char *code)
{
    if (!code)
        return "";
    for (int i = 0; i < GJ_PAY_METHODS; i++)
        if (strcmp(code, gj_pay_method_codes[i]) == 0)
            return _(pay_method_labels[i]);
    return code;
}

/* ---- a growing text ------------------------------------------------------- */

struct text {
    char *p;
    size_t n, cap;
    int failed;
};

static void t_putn(struct text *t, const char *s, size_t len)
{
    if (t->failed)
        return;
    if (t->n + len + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 1024;
        while (cap < t->n + len + 1)
            cap *= 2;
        char *p = realloc(t->p, cap);
        if (!p) {
            t->failed = 1;
            return;
        }
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->n, s, len);
    t->n += len;
    t->p[t->n] = '\0';
}

static void t_put(struct text *t, const char *s)
{
    t_putn(t, s, strlen(s));
}

static void t_spaces(struct text *t, int n)
{
    static const char blanks[] = "                                ";
    while (n > 0) {
        int k = n < 32 ? n : 32;
        t_putn(t, blanks, (size_t)k);
        n -= k;
    }
}

static void t_repeat(struct text *t, char c, int n)
{
    for (int i = 0; i < n; i++)
        t_putn(t, &c, 1);
}

/* Drops the blanks at the end of the text's last line. */
static void t_trim(struct text *t)
{
    while (t->n > 0 && t->p[t->n - 1] == ' ')
        t->p[--t->n] = '\0';
}

static void t_newline(struct text *t)
{
    t_trim(t);
    t_putn(t, "\n", 1);
}

static int t_finish(struct text *t, char **out, struct gj_error *err)
{
    if (!t->failed && !t->p)
        t_putn(t, "", 0);
    if (t->failed) {
        free(t->p);
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    }
    *out = t->p;
    return GJ_OK;
}

static void t_abandon(struct text *t)
{
    free(t->p);
    t->p = NULL;
}

/* ---- display columns ------------------------------------------------------ */

/* One character of s[0..n): its byte length (>= 1) and columns. Invalid
 * bytes are one byte of one column; control characters one column. */
static size_t char_at(const char *s, size_t n, uint32_t *cp, int *cols)
{
    size_t k = gj_utf8_decode(s, n, cp);
    if (k == 0) {
        *cp = 0xFFFD;
        *cols = 1;
        return 1;
    }
    int w = gj_cp_width(*cp);
    *cols = w < 0 ? 1 : w;
    return k;
}

static int is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029;
}

/* Writes s[0..n) with control characters as spaces and invalid bytes as
 * '?', so that nothing in a name can break the layout. */
static void t_put_clean(struct text *t, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp = 0;
        size_t k = gj_utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            t_putn(t, "?", 1);
            k = 1;
        } else if (is_control(cp)) {
            t_putn(t, " ", 1);
        } else {
            t_putn(t, s + i, k);
        }
        i += k;
    }
}

static int cols_of(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int cols;
        i += char_at(s + i, n - i, &cp, &cols);
        w += cols;
    }
    return w;
}

/* Letters, digits and signs: a run of them (an English word, a date, an
 * amount after its "¥") is not broken when it can move down whole. */
static int ascii_graphic(char c)
{
    return c > ' ' && c < 0x7F;
}

static int yuan_sign_before(const char *s, size_t i)
{
    return i >= 2 && s[i - 2] == '\xC2' && s[i - 1] == '\xA5';
}

/* Punctuation that does not start a line (the closing marks of Chinese
 * and English text): the character before it moves down with it. */
static int no_line_start(const char *s, size_t n)
{
    static const char *const marks[] = {"，", "。", "、", "；", "：", "？", "！", "）",
                                        "」", "』", "》", "〉", "】", "”",  "’",  "…",
                                        "%",  ",",  ".",  ";",  ":",  "!",  "?",  ")"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        size_t k = strlen(marks[i]);
        if (k <= n && memcmp(s, marks[i], k) == 0)
            return 1;
    }
    return 0;
}

/* The first line of s[0..n) that fits in cols columns: returns its length
 * in bytes; *next gets where the following line starts. Runs of ASCII
 * letters, digits and signs (words, dates, amounts) break at their ends;
 * Chinese anywhere between characters, but not before a closing mark. At least one character is
 * taken, so that the text always moves on. */
static size_t fit(const char *s, size_t n, int cols, size_t *next)
{
    size_t i = 0, starts[4] = {0, 0, 0, 0};
    int w = 0, taken = 0;
    while (i < n) {
        uint32_t cp;
        int cw;
        size_t k = char_at(s + i, n - i, &cp, &cw);
        if (w + cw > cols && i > 0)
            break;
        starts[taken++ % 4] = i;
        w += cw;
        i += k;
    }
    if (i >= n) {
        *next = n;
        return n;
    }
    if (s[i] == ' ') {
        *next = i + 1;
        return i;
    }
    if (ascii_graphic(s[i]) && (ascii_graphic(s[i - 1]) || yuan_sign_before(s, i))) {
        size_t j = i;
        while (j > 0 && ascii_graphic(s[j - 1]))
            j--;
        if (yuan_sign_before(s, j))
            j -= 2;
        if (j > 0) { /* the run moves down whole */
            *next = j;
            return j;
        }
    }
    /* Up to two characters move down so that a closing mark is not alone. */
    for (int back = 1; back <= 2 && taken > back && no_line_start(s + i, n - i); back++) {
        size_t at = starts[(taken - back) % 4];
        if (at == 0)
            break;
        i = at;
    }
    *next = i;
    return i;
}

/* ---- layout of a receipt -------------------------------------------------- */

#define RW       GJ_RECEIPT_COLS
#define ITEM_W   34
#define PERIOD_W 7
#define AMOUNT_W (RW - ITEM_W - 2 - PERIOD_W)

/* Each line of s wrapped to the width and centred. */
static void center(struct text *t, const char *s, size_t n)
{
    size_t next;
    do {
        size_t len = fit(s, n, RW, &next);
        t_spaces(t, (RW - cols_of(s, len)) / 2);
        t_put_clean(t, s, len);
        t_newline(t);
        s += next;
        n -= next;
    } while (n > 0);
}

/* "Label: " with a space after an ASCII colon and none after "：". */
static void label_text(const char *label, char *out, size_t outsz)
{
    size_t n = strlen(label);
    snprintf(out, outsz, "%s%s", label, n > 0 && (unsigned char)label[n - 1] < 0x80 ? " " : "");
}

/* The label and the value wrapped under itself (a hanging indent). */
static void field(struct text *t, const char *label, const char *value, size_t n)
{
    char lab[128];
    label_text(label, lab, sizeof lab);
    int indent = gj_utf8_width(lab);
    if (indent > RW / 2)
        indent = 4;
    t_put_clean(t, lab, strlen(lab));
    int first_cols = RW - gj_utf8_width(lab);
    if (first_cols < 8) {
        t_newline(t);
        t_spaces(t, indent);
        first_cols = RW - indent;
    }
    int cols = first_cols;
    do {
        size_t next;
        size_t len = fit(value, n, cols, &next);
        t_put_clean(t, value, len);
        t_newline(t);
        value += next;
        n -= next;
        if (n > 0)
            t_spaces(t, indent);
        cols = RW - indent;
    } while (n > 0);
}

/* The label and the value on one line, or the value whole on the next
 * line when it does not fit after the label (an amount in words is not
 * broken in two). */
static void field_whole(struct text *t, const char *label, const char *value)
{
    char lab[128];
    label_text(label, lab, sizeof lab);
    if (gj_utf8_width(lab) + cols_of(value, strlen(value)) <= RW) {
        field(t, label, value, strlen(value));
        return;
    }
    t_put_clean(t, lab, strlen(lab));
    t_newline(t);
    t_spaces(t, 2);
    size_t n = strlen(value), next;
    do {
        size_t len = fit(value, n, RW - 2, &next);
        t_put_clean(t, value, len);
        t_newline(t);
        value += next;
        n -= next;
        if (n > 0)
            t_spaces(t, 2);
    } while (n > 0);
}

/* Two short fields on one line, the second flush right; one under the
 * other when they do not fit together. */
static void pair(struct text *t, const char *l1, const char *v1, const char *l2, const char *v2)
{
    char a[128], b[128];
    label_text(l1, a, sizeof a);
    label_text(l2, b, sizeof b);
    int w =
        gj_utf8_width(a) + cols_of(v1, strlen(v1)) + 2 + gj_utf8_width(b) + cols_of(v2, strlen(v2));
    if (w > RW) {
        field(t, l1, v1, strlen(v1));
        field(t, l2, v2, strlen(v2));
        return;
    }
    t_put_clean(t, a, strlen(a));
    t_put_clean(t, v1, strlen(v1));
    t_spaces(t, RW - w + 2);
    t_put_clean(t, b, strlen(b));
    t_put_clean(t, v2, strlen(v2));
    t_newline(t);
}

/* s cut to cols columns, then padded to cols columns. */
static void cell_left(struct text *t, const char *s, int cols)
{
    char buf[256];
    int used = gj_utf8_truncate(s, cols, buf, sizeof buf);
    t_put_clean(t, buf, strlen(buf));
    t_spaces(t, cols - used);
}

static void cell_right(struct text *t, const char *s, int cols)
{
    char buf[256];
    int used = gj_utf8_truncate(s, cols, buf, sizeof buf);
    t_spaces(t, cols - used);
    t_put_clean(t, buf, strlen(buf));
}

/* One row of the items table; the item wraps in its column. */
static void item_row(struct text *t, const char *item, size_t n, const char *period,
                     const char *amount)
{
    size_t next;
    size_t len = fit(item, n, ITEM_W, &next);
    t_put_clean(t, item, len);
    t_spaces(t, ITEM_W - cols_of(item, len) + 2);
    cell_left(t, period, PERIOD_W);
    cell_right(t, amount, AMOUNT_W);
    t_newline(t);
    item += next;
    n -= next;
    while (n > 0) {
        len = fit(item, n, ITEM_W, &next);
        t_put_clean(t, item, len);
        t_newline(t);
        item += next;
        n -= next;
    }
}

static size_t field_len(const char *s, size_t max)
{
    const char *nul = memchr(s, '\0', max);
    return nul ? (size_t)(nul - s) : max;
}

#define FLEN(f) field_len((f), sizeof(f))

static int money_ok(int64_t fen)
{
    return fen >= -GJ_MONEY_MAX && fen <= GJ_MONEY_MAX;
}

static void period_text(int period, char *out, size_t outsz)
{
    if (period)
        gj_format_month(period, out, outsz);
    else
        out[0] = '\0';
}

static int check_receipt(const struct gj_receipt_doc *d, struct gj_error *err)
{
    char no[32], a[32], b[32], c[32];
    if (gj_receipt_format(d->receipt_no, "SJ", no, sizeof no) != GJ_OK)
        return gj_err(err, GJ_EINVAL, _("receipt: the number must be 1 or more (got %lld)"),
                      (long long)d->receipt_no);
    if (d->n_lines < 0 || d->n_lines > GJ_DOC_MAX_LINES || (d->n_lines > 0 && !d->lines))
        return gj_err(err, GJ_EINVAL, _("receipt %s: the number of items must be 0 to %d"), no,
                      GJ_DOC_MAX_LINES);
    if (d->copy < 0 || d->reverses_receipt_no < 0)
        return gj_err(err, GJ_EINVAL,
                      _("receipt %s: the copy number and the reversed receipt cannot be negative"),
                      no);
    if (!money_ok(d->total_fen) || !money_ok(d->credit_fen))
        return gj_err(err, GJ_EINVAL, _("receipt %s: an amount is too large"), no);
    if (d->reverses_receipt_no > 0 ? d->total_fen >= 0 : d->total_fen <= 0)
        return gj_err(err, GJ_EINVAL,
                      d->reverses_receipt_no > 0
                          ? _("receipt %s: a reversal takes money back, its total must be negative")
                          : _("receipt %s: the total of a payment must be more than zero"),
                      no);
    int64_t sum = d->credit_fen;
    for (int i = 0; i < d->n_lines; i++) {
        const struct gj_receipt_line *l = &d->lines[i];
        if (!money_ok(l->amount_fen))
            return gj_err(err, GJ_EINVAL, _("receipt %s: an amount is too large"), no);
        if (l->period != 0 && !gj_bill_period_valid(l->period))
            return gj_err(err, GJ_EINVAL, _("receipt %s: item %d has no valid month (%d)"), no,
                          i + 1, l->period);
        sum += l->amount_fen; /* at most 10001 amounts of 10^13: no overflow */
    }
    if (sum != d->total_fen) {
        gj_money_format(sum - d->credit_fen, a, sizeof a);
        gj_money_format(d->credit_fen, b, sizeof b);
        gj_money_format(d->total_fen, c, sizeof c);
        return gj_err(err, GJ_EINVAL,
                      _("receipt %s: the items (%s) and the credit (%s) do not add up to the "
                        "total (%s)"),
                      no, a, b, c);
    }
    return GJ_OK;
}

int gj_receipt_render(const struct gj_receipt_doc *d, char **out, struct gj_error *err)
{
    if (!out)
        return gj_err(err, GJ_EINVAL, "%s", _("receipt: nowhere to put the text"));
    *out = NULL;
    if (!d)
        return gj_err(err, GJ_EINVAL, "%s", _("receipt: nothing to print"));
    int rc = check_receipt(d, err);
    if (rc != GJ_OK)
        return rc;

    struct text t = {NULL, 0, 0, 0};
    char no[32], when[32], buf[160], amount[32], period[32];
    gj_receipt_format(d->receipt_no, "SJ", no, sizeof no);
    gj_format_datetime(d->at, when, sizeof when);

    if (FLEN(d->estate) > 0)
        center(&t, d->estate, FLEN(d->estate));
    const char *title = d->reverses_receipt_no > 0 ? _("REVERSAL RECEIPT") : _("PAYMENT RECEIPT");
    center(&t, title, strlen(title));
    if (d->copy > 0) {
        char mark[96];
        snprintf(buf, sizeof buf, _("COPY %d"), d->copy);
        snprintf(mark, sizeof mark, "*** %s ***", buf);
        center(&t, mark, strlen(mark));
    }
    t_newline(&t);

    pair(&t, _("Receipt no.:"), no, _("Time:"), when);
    char unit[sizeof d->unit_code];
    gj_text_copy(unit, sizeof unit, d->unit_code);
    pair(&t, _("Unit:"), unit, _("Paid by:"), gj_payment_method_label(d->method));
    field(&t, _("Payer:"), d->payer, FLEN(d->payer));
    if (d->reverses_receipt_no > 0) {
        char orig[32];
        gj_receipt_format(d->reverses_receipt_no, "SJ", orig, sizeof orig);
        field(&t, _("Reverses receipt:"), orig, strlen(orig));
        field(&t, _("Reason for reversal:"), d->reason, FLEN(d->reason));
    }

    t_repeat(&t, '=', RW);
    t_newline(&t);
    cell_left(&t, _("Item"), ITEM_W);
    t_spaces(&t, 2);
    cell_left(&t, _("Month"), PERIOD_W);
    cell_right(&t, _("Amount"), AMOUNT_W);
    t_newline(&t);
    t_repeat(&t, '-', RW);
    t_newline(&t);
    for (int i = 0; i < d->n_lines; i++) {
        const struct gj_receipt_line *l = &d->lines[i];
        period_text(l->period, period, sizeof period);
        gj_money_format(l->amount_fen, amount, sizeof amount);
        item_row(&t, l->item, FLEN(l->item), period, amount);
    }
    if (d->credit_fen != 0) {
        const char *credit = _("Credit kept for later bills");
        gj_money_format(d->credit_fen, amount, sizeof amount);
        item_row(&t, credit, strlen(credit), "", amount);
    }
    t_repeat(&t, '-', RW);
    t_newline(&t);

    char words[GJ_MONEY_CHINESE_SZ], lab[128];
    gj_money_format(d->total_fen, amount, sizeof amount);
    label_text(_("Total:"), lab, sizeof lab);
    cell_left(&t, lab, RW - AMOUNT_W);
    cell_right(&t, amount, AMOUNT_W);
    t_newline(&t);
    gj_money_chinese(d->total_fen, words, sizeof words);
    field_whole(&t, _("In words (RMB):"), words);
    t_repeat(&t, '=', RW);
    t_newline(&t);

    char op[GJ_NAME_BYTES];
    gj_text_copy(op, sizeof op, d->operator_name);
    pair(&t, _("Received by:"), op, _("Payer's signature:"), "__________");
    const char *keep = _("Please keep this receipt.");
    t_put(&t, keep);
    t_newline(&t);
    return t_finish(&t, out, err);
}

/* ---- dunning notices ------------------------------------------------------ */

enum placeholder {
    PH_ESTATE,
    PH_UNIT,
    PH_NAME,
    PH_TOTAL,
    PH_TOTAL_WORDS,
    PH_MONTHS,
    PH_OLDEST,
    PH_DATE,
    PH_LINES,
    PH_COUNT
};

static const char *const placeholder_names[PH_COUNT] = {
    "estate", "unit", "name", "total", "total_words", "months", "oldest", "date", "lines"};

static const char known_placeholders[] =
    "{estate} {unit} {name} {total} {total_words} {months} {oldest} {date} {lines}";

/* The placeholder named s[0..n), or -1. */
static int placeholder_of(const char *s, size_t n)
{
    for (int i = 0; i < PH_COUNT; i++)
        if (strlen(placeholder_names[i]) == n && memcmp(s, placeholder_names[i], n) == 0)
            return i;
    return -1;
}

/* Walks the template: calls back for each literal run and placeholder. */
struct walker {
    void (*literal)(void *ctx, const char *s, size_t n);
    void (*placeholder)(void *ctx, int which, const char *line_start, const char *at);
    void *ctx;
};

static int walk_template(const char *tmpl, const struct walker *w, struct gj_error *err)
{
    const char *p = tmpl, *run = tmpl, *line_start = tmpl;
    int line = 1;
    while (*p) {
        if (*p == '\n') {
            line++;
            p++;
            line_start = p;
            continue;
        }
        if (*p == '}' && p[1] == '}') {
            if (w)
                w->literal(w->ctx, run, (size_t)(p - run) + 1);
            p += 2;
            run = p;
            continue;
        }
        if (*p == '}')
            return gj_err(err, GJ_EINVAL,
                          _("notice template: \"}\" on line %d has no \"{\" before it (write }} "
                            "for a brace)"),
                          line);
        if (*p != '{') {
            p++;
            continue;
        }
        if (p[1] == '{') {
            if (w)
                w->literal(w->ctx, run, (size_t)(p - run) + 1);
            p += 2;
            run = p;
            continue;
        }
        const char *name = p + 1, *close = name;
        while (*close && *close != '}' && *close != '{' && *close != '\n')
            close++;
        if (*close != '}')
            return gj_err(err, GJ_EINVAL,
                          _("notice template: \"{\" on line %d has no \"}\" after it (write {{ "
                            "for a brace)"),
                          line);
        int which = placeholder_of(name, (size_t)(close - name));
        if (which < 0) {
            char shown[GJ_UTF8_EXCERPT_SZ];
            gj_utf8_excerpt(name, (size_t)(close - name), shown, sizeof shown);
            return gj_err(err, GJ_EINVAL,
                          _("notice template: unknown placeholder {%s} on line %d (known: %s)"),
                          shown, line, known_placeholders);
        }
        if (w) {
            w->literal(w->ctx, run, (size_t)(p - run));
            w->placeholder(w->ctx, which, line_start, p);
        }
        p = close + 1;
        run = p;
    }
    if (w)
        w->literal(w->ctx, run, (size_t)(p - run));
    return GJ_OK;
}

int gj_notice_check_template(const char *tmpl, struct gj_error *err)
{
    if (!tmpl || !gj_text_present(tmpl))
        return gj_err(err, GJ_EINVAL, "%s", _("notice template: it is empty"));
    return walk_template(tmpl, NULL, err);
}

struct notice_ctx {
    struct text *t;
    const struct gj_notice_vars *v;
};

static void notice_literal(void *ctx, const char *s, size_t n)
{
    struct notice_ctx *c = ctx;
    t_putn(c->t, s, n);
}

/* One line per owed month and item: month, item, amount, lined up. Every
 * line after the first starts with indent[0..indent_n). */
static void notice_lines(struct text *t, const struct gj_notice_vars *v, const char *indent,
                         size_t indent_n)
{
    int item_w = 0, amount_w = 0;
    char amount[32], period[32];
    for (int i = 0; i < v->n_lines; i++) {
        int w = cols_of(v->lines[i].item, FLEN(v->lines[i].item));
        if (w > item_w)
            item_w = w;
        gj_money_format(v->lines[i].owed_fen, amount, sizeof amount);
        w = gj_utf8_width(amount);
        if (w > amount_w)
            amount_w = w;
    }
    for (int i = 0; i < v->n_lines; i++) {
        const struct gj_notice_line *l = &v->lines[i];
        if (i > 0) {
            t_trim(t);
            t_putn(t, "\n", 1);
            t_putn(t, indent, indent_n);
        }
        period_text(l->period, period, sizeof period);
        t_put(t, period);
        t_spaces(t, PERIOD_W - gj_utf8_width(period) + 2);
        size_t n = FLEN(l->item);
        t_put_clean(t, l->item, n);
        t_spaces(t, item_w - cols_of(l->item, n) + 2);
        gj_money_format(l->owed_fen, amount, sizeof amount);
        t_spaces(t, amount_w - gj_utf8_width(amount));
        t_put(t, amount);
    }
}

static void notice_placeholder(void *ctx, int which, const char *line_start, const char *at)
{
    struct notice_ctx *c = ctx;
    const struct gj_notice_vars *v = c->v;
    char buf[GJ_MONEY_CHINESE_SZ];
    switch ((enum placeholder)which) {
    case PH_ESTATE:
        t_put_clean(c->t, v->estate, FLEN(v->estate));
        return;
    case PH_UNIT:
        t_put_clean(c->t, v->unit_code, FLEN(v->unit_code));
        return;
    case PH_NAME:
        t_put_clean(c->t, v->name, FLEN(v->name));
        return;
    case PH_TOTAL:
        gj_money_format(v->total_fen, buf, sizeof buf);
        break;
    case PH_TOTAL_WORDS:
        gj_money_chinese(v->total_fen, buf, sizeof buf);
        break;
    case PH_MONTHS:
        snprintf(buf, sizeof buf, "%d", v->months);
        break;
    case PH_OLDEST:
        period_text(v->oldest_period, buf, sizeof buf);
        break;
    case PH_DATE:
        gj_format_date(v->date, buf, sizeof buf);
        break;
    case PH_LINES: {
        const char *q = line_start;
        while (q < at && (*q == ' ' || *q == '\t'))
            q++;
        size_t indent = q == at ? (size_t)(at - line_start) : 0;
        notice_lines(c->t, v, line_start, indent);
        return;
    }
    case PH_COUNT:
    default:
        return;
    }
    t_put(c->t, buf);
}

static int check_notice(const struct gj_notice_vars *v, struct gj_error *err)
{
    if (!money_ok(v->total_fen))
        return gj_err(err, GJ_EINVAL, "%s", _("notice: the total is too large"));
    if (v->months < 0)
        return gj_err(err, GJ_EINVAL, _("notice: the number of months cannot be negative (%d)"),
                      v->months);
    if (v->oldest_period != 0 && !gj_bill_period_valid(v->oldest_period))
        return gj_err(err, GJ_EINVAL, _("notice: the oldest month is not a valid month (%d)"),
                      v->oldest_period);
    if (v->n_lines < 0 || v->n_lines > GJ_DOC_MAX_LINES || (v->n_lines > 0 && !v->lines))
        return gj_err(err, GJ_EINVAL, _("notice: the number of lines must be 0 to %d"),
                      GJ_DOC_MAX_LINES);
    int64_t sum = 0;
    for (int i = 0; i < v->n_lines; i++) {
        if (!money_ok(v->lines[i].owed_fen))
            return gj_err(err, GJ_EINVAL, _("notice: line %d: the amount is too large"), i + 1);
        if (v->lines[i].period != 0 && !gj_bill_period_valid(v->lines[i].period))
            return gj_err(err, GJ_EINVAL, _("notice: line %d has no valid month (%d)"), i + 1,
                          v->lines[i].period);
        sum += v->lines[i].owed_fen;
    }
    if (v->n_lines > 0 && sum != v->total_fen) {
        char a[32], b[32];
        gj_money_format(sum, a, sizeof a);
        gj_money_format(v->total_fen, b, sizeof b);
        return gj_err(err, GJ_EINVAL, _("notice: the lines add up to %s, not to the total %s"), a,
                      b);
    }
    return GJ_OK;
}

int gj_notice_render(const char *tmpl, const struct gj_notice_vars *v, char **out,
                     struct gj_error *err)
{
    if (!out)
        return gj_err(err, GJ_EINVAL, "%s", _("notice: nowhere to put the text"));
    *out = NULL;
    if (!v)
        return gj_err(err, GJ_EINVAL, "%s", _("notice: nothing to print"));
    int rc = gj_notice_check_template(tmpl, err);
    if (rc == GJ_OK)
        rc = check_notice(v, err);
    if (rc != GJ_OK)
        return rc;
    struct text t = {NULL, 0, 0, 0};
    struct notice_ctx ctx = {&t, v};
    struct walker w = {notice_literal, notice_placeholder, &ctx};
    rc = walk_template(tmpl, &w, err);
    if (rc != GJ_OK) {
        t_abandon(&t);
        return rc;
    }
    if (t.n == 0 || t.p[t.n - 1] != '\n')
        t_putn(&t, "\n", 1);
    if (t.failed) {
        t_abandon(&t);
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    }
    /* Long lines wrapped for printing. */
    struct text wrapped = {NULL, 0, 0, 0};
    for (const char *line = t.p; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = (size_t)(nl - line), lead = 0;
        while (lead < n && (line[lead] == ' ' || line[lead] == '\t'))
            lead++;
        int indent = cols_of(line, lead);
        if (indent > GJ_NOTICE_COLS / 2)
            indent = 0, lead = 0;
        const char *p = line;
        size_t left = n, next;
        int cols = GJ_NOTICE_COLS;
        do {
            size_t len = fit(p, left, cols, &next);
            if (p != line)
                t_putn(&wrapped, line, lead);
            t_putn(&wrapped, p, len);
            t_newline(&wrapped);
            p += next;
            left -= next;
            cols = GJ_NOTICE_COLS - indent;
        } while (left > 0);
        line = nl + 1;
    }
    t_abandon(&t);
    return t_finish(&wrapped, out, err);
}

static const char notice_zh[] =
    "催缴通知书\n"
    "\n"
    "尊敬的{unit}业主（住户）{name}：\n"
    "\n"
    "您好！感谢您一直以来对{estate}物业服务工作的理解与支持。\n"
    "\n"
    "经核对，截至{date}，您的房屋{unit}尚有物业相关费用未缴纳，"
    "自{oldest}起共{months}个月，合计{total}（人民币大写：{total_words}）。明细如下：\n"
    "\n"
    "  {lines}\n"
    "\n"
    "物业费是小区日常保洁、安保、绿化及设施设备维护的保障，"
    "按时缴纳是每位业主应尽的义务。"
    "请您自收到本通知之日起七日内到{estate}物业服务中心前台缴纳，"
    "前台也可为您办理微信、支付宝、银行卡等方式缴费。"
    "如您已缴纳，请忽略本通知；如对费用有疑问，欢迎到前台核对。\n"
    "\n"
    "逾期仍未缴纳的，我们将按照《物业服务合同》的约定继续催缴，"
    "并保留依法追缴的权利。\n"
    "\n"
    "感谢您的理解与配合！\n"
    "\n"
    "{estate}物业服务中心\n"
    "{date}";

static const char notice_en[] =
    "PAYMENT REMINDER\n"
    "\n"
    "Dear {name} (unit {unit}),\n"
    "\n"
    "Thank you for your continued support of the property services at {estate}.\n"
    "\n"
    "According to our records, as of {date} the property charges of unit {unit} for "
    "{months} month(s), starting {oldest}, are still unpaid: {total} in all "
    "({total_words}). In detail:\n"
    "\n"
    "  {lines}\n"
    "\n"
    "These charges pay for the cleaning, security, gardens and upkeep that every resident "
    "relies on. Please settle the balance at the front desk of {estate} within seven days of "
    "this notice; the front desk also takes WeChat, Alipay and bank cards. If you have already "
    "paid, please disregard this notice. If you have a question about the charges, the front "
    "desk will gladly go through them with you.\n"
    "\n"
    "If the balance remains unpaid, we will continue to pursue it as the property service "
    "contract provides, and reserve the right to recover it by law.\n"
    "\n"
    "Thank you for your cooperation.\n"
    "\n"
    "Front desk, {estate}\n"
    "{date}";

const char *gj_notice_default_template(int chinese)
{
    return chinese ? notice_zh : notice_en;
}

/* ---- the daily cash report ------------------------------------------------ */

enum {
    COL_NAME,
    COL_COUNT,
    COL_METHOD0,
    COL_REVERSED = COL_METHOD0 + GJ_PAY_METHODS,
    COL_TOTAL,
    NCOLS
};

static int check_row(const struct gj_cash_row *row, const char *name, struct gj_error *err)
{
    int64_t sum = 0;
    if (row->count < 0)
        return gj_err(err, GJ_EINVAL, _("cash report: %s: the number of receipts is negative"),
                      name);
    if (row->reversed_fen > 0 || !money_ok(row->reversed_fen) || !money_ok(row->total_fen))
        return gj_err(err, GJ_EINVAL,
                      _("cash report: %s: the reversals must be zero or negative and no amount "
                        "beyond the limit"),
                      name);
    for (int m = 0; m < GJ_PAY_METHODS; m++) {
        if (!money_ok(row->by_method_fen[m]))
            return gj_err(err, GJ_EINVAL, _("cash report: %s: an amount is too large"), name);
        sum += row->by_method_fen[m];
    }
    if (sum != row->total_fen)
        return gj_err(err, GJ_EINVAL, _("cash report: %s: the methods do not add up to the total"),
                      name);
    return GJ_OK;
}

static int check_cash_report(const struct gj_cash_report *r, struct gj_error *err)
{
    if (r->n_rows < 0 || r->n_rows > (int)(sizeof r->rows / sizeof r->rows[0]))
        return gj_err(err, GJ_EINVAL, _("cash report: the number of operators must be 0 to %d"),
                      (int)(sizeof r->rows / sizeof r->rows[0]));
    struct gj_cash_row sum;
    memset(&sum, 0, sizeof sum);
    for (int i = 0; i < r->n_rows; i++) {
        const struct gj_cash_row *row = &r->rows[i];
        char name[GJ_NAME_BYTES];
        gj_text_copy(name, sizeof name, row->operator_name);
        int rc = check_row(row, name, err);
        if (rc != GJ_OK)
            return rc;
        if (row->count > INT64_MAX - sum.count)
            return gj_err(err, GJ_EINVAL, _("cash report: %s: the number of receipts is too large"),
                          name);
        sum.count += row->count;
        for (int m = 0; m < GJ_PAY_METHODS; m++)
            sum.by_method_fen[m] += row->by_method_fen[m];
        sum.reversed_fen += row->reversed_fen;
        sum.total_fen += row->total_fen;
    }
    int rc = check_row(&r->all, _("Total"), err);
    if (rc != GJ_OK)
        return rc;
    int same = sum.count == r->all.count && sum.reversed_fen == r->all.reversed_fen &&
               sum.total_fen == r->all.total_fen;
    for (int m = 0; m < GJ_PAY_METHODS; m++)
        same = same && sum.by_method_fen[m] == r->all.by_method_fen[m];
    if (!same)
        return gj_err(err, GJ_EINVAL, "%s",
                      _("cash report: the totals row is not the sum of the operators' rows"));
    return GJ_OK;
}

/* The text of one cell of a row. */
static void cash_cell(const struct gj_cash_row *row, const char *name, int col, char *out,
                      size_t outsz)
{
    if (col == COL_NAME)
        gj_text_copy(out, outsz, name);
    else if (col == COL_COUNT)
        snprintf(out, outsz, "%lld", (long long)row->count);
    else if (col == COL_REVERSED)
        gj_money_format(row->reversed_fen, out, outsz);
    else if (col == COL_TOTAL)
        gj_money_format(row->total_fen, out, outsz);
    else
        gj_money_format(row->by_method_fen[col - COL_METHOD0], out, outsz);
}

static void cash_line(struct text *t, const char *const cells[NCOLS], const int widths[NCOLS])
{
    for (int c = 0; c < NCOLS; c++) {
        if (c > 0)
            t_spaces(t, 2);
        int w = cols_of(cells[c], strlen(cells[c]));
        if (c == COL_NAME) {
            t_put_clean(t, cells[c], strlen(cells[c]));
            t_spaces(t, widths[c] - w);
        } else {
            t_spaces(t, widths[c] - w);
            t_put_clean(t, cells[c], strlen(cells[c]));
        }
    }
    t_newline(t);
}

int gj_cash_report_render(const struct gj_cash_report *r, char **out, struct gj_error *err)
{
    if (!out)
        return gj_err(err, GJ_EINVAL, "%s", _("cash report: nowhere to put the text"));
    *out = NULL;
    if (!r)
        return gj_err(err, GJ_EINVAL, "%s", _("cash report: nothing to print"));
    int rc = check_cash_report(r, err);
    if (rc != GJ_OK)
        return rc;

    const char *head[NCOLS];
    head[COL_NAME] = _("Operator");
    head[COL_COUNT] = _("Receipts");
    for (int m = 0; m < GJ_PAY_METHODS; m++)
        head[COL_METHOD0 + m] = _(pay_method_labels[m]);
    head[COL_REVERSED] = _("Of which reversed");
    head[COL_TOTAL] = _("Total");

    /* Columns as wide as their widest cell. */
    int widths[NCOLS];
    char cell[GJ_NAME_BYTES];
    for (int c = 0; c < NCOLS; c++) {
        widths[c] = gj_utf8_width(head[c]);
        for (int i = 0; i <= r->n_rows; i++) {
            const struct gj_cash_row *row = i < r->n_rows ? &r->rows[i] : &r->all;
            cash_cell(row, i < r->n_rows ? row->operator_name : _("Total"), c, cell, sizeof cell);
            int w = cols_of(cell, strlen(cell));
            if (w > widths[c])
                widths[c] = w;
        }
    }
    int total_w = 2 * (NCOLS - 1);
    for (int c = 0; c < NCOLS; c++)
        total_w += widths[c];

    struct text t = {NULL, 0, 0, 0};
    char day[32], estate[GJ_NAME_BYTES], lab[128];
    gj_format_date(r->day, day, sizeof day);
    gj_text_copy(estate, sizeof estate, r->estate);
    const char *title = _("DAILY CASH REPORT");
    t_spaces(&t, (total_w - gj_utf8_width(title)) / 2);
    t_put(&t, title);
    t_newline(&t);
    label_text(_("Estate:"), lab, sizeof lab);
    t_put(&t, lab);
    t_put_clean(&t, estate, strlen(estate));
    t_newline(&t);
    label_text(_("Date:"), lab, sizeof lab);
    t_put(&t, lab);
    t_put(&t, day);
    t_newline(&t);
    t_repeat(&t, '=', total_w);
    t_newline(&t);
    cash_line(&t, head, widths);
    t_repeat(&t, '-', total_w);
    t_newline(&t);

    char cells[NCOLS][GJ_NAME_BYTES];
    const char *cp[NCOLS];
    for (int c = 0; c < NCOLS; c++)
        cp[c] = cells[c];
    for (int i = 0; i < r->n_rows; i++) {
        for (int c = 0; c < NCOLS; c++)
            cash_cell(&r->rows[i], r->rows[i].operator_name, c, cells[c], sizeof cells[c]);
        cash_line(&t, cp, widths);
    }
    if (r->n_rows == 0) {
        t_put(&t, _("No payments on this day."));
        t_newline(&t);
    }
    t_repeat(&t, '-', total_w);
    t_newline(&t);
    for (int c = 0; c < NCOLS; c++)
        cash_cell(&r->all, _("Total"), c, cells[c], sizeof cells[c]);
    cash_line(&t, cp, widths);
    t_repeat(&t, '=', total_w);
    t_newline(&t);
    t_newline(&t);
    label_text(_("Handed over by:"), lab, sizeof lab);
    t_put(&t, lab);
    t_put(&t, "____________    ");
    label_text(_("Checked by:"), lab, sizeof lab);
    t_put(&t, lab);
    t_put(&t, "____________");
    t_newline(&t);
    return t_finish(&t, out, err);
}
