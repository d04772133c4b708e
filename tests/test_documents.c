/* Receipts, dunning notices and the daily cash report as text, in English
 * and in Chinese. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guanjia/clock.h"
#include "guanjia/documents.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/rules_people.h"
#include "guanjia/utf8.h"

/* ---- helpers -------------------------------------------------------------- */

/* The widest line; fails when a line does not end with "\n". */
static int widest_line(const char *text)
{
    int widest = 0;
    const char *p = text;
    assert_true(*p);
    while (*p) {
        const char *nl = strchr(p, '\n');
        if (!nl)
            fail_msg("the last line has no newline: %s", p);
        char line[2048];
        size_t n = (size_t)(nl - p);
        assert_true(n < sizeof line);
        memcpy(line, p, n);
        line[n] = '\0';
        int w = gj_utf8_width(line);
        if (w > widest)
            widest = w;
        p = nl + 1;
    }
    return widest;
}

/* The line holding needle (static storage), or fails. */
static const char *line_with(const char *text, const char *needle)
{
    static char line[2048];
    const char *hit = strstr(text, needle);
    if (!hit)
        fail_msg("no \"%s\" in:\n%s", needle, text);
    const char *start = hit;
    while (start > text && start[-1] != '\n')
        start--;
    const char *end = strchr(hit, '\n');
    size_t n = end ? (size_t)(end - start) : strlen(start);
    assert_true(n < sizeof line);
    memcpy(line, start, n);
    line[n] = '\0';
    return line;
}

static void expect_in_line(const char *text, const char *a, const char *b)
{
    const char *line = line_with(text, a);
    if (!strstr(line, b))
        fail_msg("the line with \"%s\" lacks \"%s\": %s", a, b, line);
}

/* Whether the string ends with suffix once trailing blanks are gone. */
static int ends_with(const char *line, const char *suffix)
{
    size_t n = strlen(line), k = strlen(suffix);
    return n >= k && strcmp(line + n - k, suffix) == 0;
}

/* The text with its line breaks joined (sep: " " for English, "" for
 * Chinese), for phrases that may be wrapped. Static storage. */
static const char *joined(const char *text, const char *sep)
{
    static char buf[8192];
    size_t o = 0;
    for (const char *p = text; *p && o + 2 < sizeof buf; p++) {
        if (*p != '\n')
            buf[o++] = *p;
        else if (*sep)
            buf[o++] = *sep;
    }
    buf[o] = '\0';
    return buf;
}

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src);
}

/* ---- Chinese in this process ----------------------------------------------
 * The build's own catalogue (GUANJIA_LOCALEDIR, made from po/zh_CN.po). */

static void chinese_on(void)
{
    const char *dir = getenv("GUANJIA_LOCALEDIR");
    if (!dir)
        fail_msg("GUANJIA_LOCALEDIR is not set");
    if (!setlocale(LC_ALL, "C.UTF-8"))
        skip();
    setenv("LANGUAGE", "zh_CN", 1);
    bindtextdomain(GJ_TEXTDOMAIN, dir);
    bind_textdomain_codeset(GJ_TEXTDOMAIN, "UTF-8");
    textdomain(GJ_TEXTDOMAIN);
}

static void chinese_off(void)
{
    unsetenv("LANGUAGE");
    setlocale(LC_ALL, "C");
}

/* ---- receipts ------------------------------------------------------------- */

static const struct gj_receipt_line lines3[] = {
    {"Property management fee", 202610, 25024},
    {"Parking fee", 202610, 15000},
    {"Water", 0, 1200},
};

static void sample_receipt(struct gj_receipt_doc *d)
{
    memset(d, 0, sizeof *d);
    copy(d->estate, sizeof d->estate, "Guanjia Estate");
    d->receipt_no = 42;
    copy(d->unit_code, sizeof d->unit_code, "3-2-1201");
    copy(d->payer, sizeof d->payer, "张伟");
    copy(d->method, sizeof d->method, "wechat");
    d->lines = lines3;
    d->n_lines = 3;
    d->credit_fen = 3476;
    d->total_fen = 25024 + 15000 + 1200 + 3476; /* ¥447.00 */
    copy(d->operator_name, sizeof d->operator_name, "李娜");
    d->at = gj_test_at("2026-11-29T15:04");
}

static char *render(const struct gj_receipt_doc *d)
{
    char *out = (char *)1;
    struct gj_error err;
    int rc = gj_receipt_render(d, &out, &err);
    if (rc != GJ_OK)
        fail_msg("render: %s", err.msg);
    assert_non_null(out);
    return out;
}

static void test_receipt_original(void **state)
{
    (void)state;
    struct gj_receipt_doc d;
    sample_receipt(&d);
    char *t = render(&d);
    assert_true(widest_line(t) <= GJ_RECEIPT_COLS);
    assert_non_null(strstr(t, "Guanjia Estate"));
    assert_non_null(strstr(t, "PAYMENT RECEIPT"));
    assert_null(strstr(t, "REVERSAL"));
    assert_null(strstr(t, "COPY"));
    expect_in_line(t, "Receipt no.: ", "SJ00000042");
    expect_in_line(t, "SJ00000042", "2026-11-29 15:04");
    expect_in_line(t, "Unit: ", "3-2-1201");
    expect_in_line(t, "3-2-1201", "WeChat");
    expect_in_line(t, "Payer: ", "张伟");
    expect_in_line(t, "Property management fee", "2026-10");
    assert_true(ends_with(line_with(t, "Property management fee"), "¥250.24"));
    expect_in_line(t, "Parking fee", "2026-10");
    assert_true(ends_with(line_with(t, "Parking fee"), "¥150.00"));
    assert_true(ends_with(line_with(t, "Water"), "¥12.00"));
    assert_null(strstr(line_with(t, "Water"), "20"));
    assert_true(ends_with(line_with(t, "Credit kept for later bills"), "¥34.76"));
    assert_true(ends_with(line_with(t, "Total: "), "¥447.00"));
    expect_in_line(t, "In words (RMB): ", "肆佰肆拾柒元整");
    expect_in_line(t, "Received by: ", "李娜");
    /* The amounts end in the same column. */
    int w = gj_utf8_width(line_with(t, "Parking fee"));
    assert_int_equal(gj_utf8_width(line_with(t, "Property management fee")), w);
    assert_int_equal(gj_utf8_width(line_with(t, "Total: ")), w);
    assert_int_equal(w, GJ_RECEIPT_COLS);
    free(t);

    /* No credit: no credit line. */
    d.credit_fen = 0;
    d.total_fen -= 3476;
    t = render(&d);
    assert_null(strstr(t, "Credit"));
    expect_in_line(t, "In words (RMB): ", "肆佰壹拾贰元贰角肆分");
    free(t);
}

static void test_receipt_copy(void **state)
{
    (void)state;
    struct gj_receipt_doc d;
    sample_receipt(&d);
    d.copy = 2;
    char *t = render(&d);
    assert_non_null(strstr(t, "*** COPY 2 ***"));
    /* The mark comes before the receipt number. */
    assert_true(strstr(t, "COPY 2") < strstr(t, "SJ00000042"));
    assert_non_null(strstr(t, "PAYMENT RECEIPT"));
    assert_true(ends_with(line_with(t, "Total: "), "¥447.00"));
    assert_true(widest_line(t) <= GJ_RECEIPT_COLS);
    free(t);
}

static void test_receipt_reversal(void **state)
{
    (void)state;
    static const struct gj_receipt_line back[] = {
        {"Property management fee", 202610, -25024},
        {"Parking fee", 202610, -15000},
    };
    struct gj_receipt_doc d;
    sample_receipt(&d);
    d.receipt_no = 43;
    d.reverses_receipt_no = 42;
    d.lines = back;
    d.n_lines = 2;
    d.credit_fen = -1000;
    d.total_fen = -41024;
    copy(d.method, sizeof d.method, "cash");
    copy(d.reason, sizeof d.reason, "Keyed the wrong unit; the money was paid back in cash.");
    char *t = render(&d);
    assert_non_null(strstr(t, "REVERSAL RECEIPT"));
    expect_in_line(t, "Receipt no.: ", "SJ00000043");
    expect_in_line(t, "Reverses receipt: ", "SJ00000042");
    expect_in_line(t, "Reason for reversal: ", "Keyed the wrong unit");
    expect_in_line(t, "3-2-1201", "Cash");
    assert_true(ends_with(line_with(t, "Property management fee"), "-¥250.24"));
    assert_true(ends_with(line_with(t, "Credit kept for later bills"), "-¥10.00"));
    assert_true(ends_with(line_with(t, "Total: "), "-¥410.24"));
    expect_in_line(t, "In words (RMB): ", "负肆佰壹拾元贰角肆分");
    assert_true(widest_line(t) <= GJ_RECEIPT_COLS);
    free(t);
}

/* 64-character Chinese names, the largest amounts and a long reason still
 * fit in 64 columns, wrapped without losing text. */
static void test_receipt_long_text_fits(void **state)
{
    (void)state;
    static struct gj_receipt_line big[2];
    struct gj_receipt_doc d;
    sample_receipt(&d);
    char item[GJ_NAME_BYTES] = "", estate[GJ_NAME_BYTES] = "", reason[GJ_REASON_BYTES] = "";
    for (int i = 0; i < GJ_NAME_CHARS; i++) {
        strcat(item, i == GJ_NAME_CHARS - 1 ? "尾" : "电");
        strcat(estate, "园");
    }
    for (int i = 0; i < 90; i++)
        strcat(reason, "Reconciliation ");
    copy(big[0].item, sizeof big[0].item, item);
    big[0].period = 202612;
    big[0].amount_fen = -GJ_MONEY_MAX + 1;
    copy(big[1].item, sizeof big[1].item, "x");
    big[1].amount_fen = -1;
    copy(d.estate, sizeof d.estate, estate);
    copy(d.payer, sizeof d.payer, item);
    copy(d.operator_name, sizeof d.operator_name, item);
    copy(d.reason, sizeof d.reason, reason);
    d.lines = big;
    d.n_lines = 2;
    d.credit_fen = 0;
    d.total_fen = -GJ_MONEY_MAX;
    d.reverses_receipt_no = 99999999999;
    d.receipt_no = 100000000000;
    d.copy = 12;
    char *t = render(&d);
    assert_true(widest_line(t) <= GJ_RECEIPT_COLS);
    assert_non_null(strstr(t, "SJ100000000000"));
    assert_non_null(strstr(t, "SJ99999999999"));
    assert_non_null(strstr(t, "负玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"));
    assert_non_null(strstr(t, "-¥99,999,999,999.99"));
    assert_true(ends_with(line_with(t, "2026-12"), "-¥99,999,999,999.98"));
    assert_non_null(strstr(t, "电尾")); /* the item's end, on a line of its own */
    /* English words are not cut: every reason line holds whole words. */
    const char *q = strstr(t, "Reason for reversal: ");
    assert_non_null(q);
    int reason_lines = 0;
    while (*q) {
        const char *nl = strchr(q, '\n');
        char line[256];
        assert_true(nl && (size_t)(nl - q) < sizeof line);
        memcpy(line, q, (size_t)(nl - q));
        line[nl - q] = '\0';
        char *s = line;
        if (strncmp(s, "Reason for reversal: ", 21) == 0)
            s += 21;
        s += strspn(s, " ");
        if (strncmp(s, "Reconciliation", 14) != 0)
            break;
        for (char *w = strtok(s, " "); w; w = strtok(NULL, " "))
            assert_string_equal(w, "Reconciliation");
        reason_lines++;
        q = nl + 1;
    }
    assert_true(reason_lines >= 20);
    free(t);
}

static void test_receipt_clean_text(void **state)
{
    (void)state;
    struct gj_receipt_doc d;
    sample_receipt(&d);
    copy(d.payer, sizeof d.payer, "张\n伟\x1b[2J\xff");
    char *t = render(&d);
    expect_in_line(t, "Payer: ", "张 伟 [2J?");
    assert_null(strchr(t, '\x1b'));
    free(t);
}

static void expect_refused(const struct gj_receipt_doc *d, const char *part)
{
    char *out = (char *)1;
    struct gj_error err;
    assert_int_equal(gj_receipt_render(d, &out, &err), GJ_EINVAL);
    assert_null(out);
    if (!strstr(err.msg, part))
        fail_msg("expected \"%s\" in: %s", part, err.msg);
}

static void test_receipt_refused(void **state)
{
    (void)state;
    struct gj_receipt_doc d;
    sample_receipt(&d);
    d.total_fen += 1;
    expect_refused(&d, "do not add up");
    sample_receipt(&d);
    d.receipt_no = 0;
    expect_refused(&d, "number");
    sample_receipt(&d);
    d.reverses_receipt_no = 7; /* a reversal with a positive total */
    expect_refused(&d, "negative");
    sample_receipt(&d);
    d.n_lines = -1;
    expect_refused(&d, "items");
    sample_receipt(&d);
    d.lines = NULL;
    expect_refused(&d, "items");
    static const struct gj_receipt_line bad_month[] = {{"Fee", 202613, 100}};
    sample_receipt(&d);
    d.lines = bad_month;
    d.n_lines = 1;
    d.credit_fen = 0;
    d.total_fen = 100;
    expect_refused(&d, "202613");
    sample_receipt(&d);
    d.total_fen = GJ_MONEY_MAX + 1;
    expect_refused(&d, "too large");
    char *out = NULL;
    struct gj_error err;
    assert_int_equal(gj_receipt_render(NULL, &out, &err), GJ_EINVAL);
}

static void test_method_labels(void **state)
{
    (void)state;
    assert_string_equal(gj_payment_method_label("cash"), "Cash");
    assert_string_equal(gj_payment_method_label("wechat"), "WeChat");
    assert_string_equal(gj_payment_method_label("alipay"), "Alipay");
    assert_string_equal(gj_payment_method_label("card"), "Bank card");
    assert_string_equal(gj_payment_method_label("transfer"), "Bank transfer");
    assert_string_equal(gj_payment_method_label("bitcoin"), "bitcoin");
    assert_string_equal(gj_payment_method_label(NULL), "");
    for (int i = 0; i < GJ_PAY_METHODS; i++)
        assert_non_null(gj_pay_method_codes[i]);
    assert_null(gj_pay_method_codes[GJ_PAY_METHODS]);
    assert_string_equal(gj_pay_method_codes[3], "card");
}

static void test_receipt_chinese(void **state)
{
    (void)state;
    chinese_on();
    assert_string_equal(gj_payment_method_label("cash"), "现金");
    assert_string_equal(gj_payment_method_label("wechat"), "微信");
    assert_string_equal(gj_payment_method_label("alipay"), "支付宝");
    assert_string_equal(gj_payment_method_label("card"), "银行卡");
    assert_string_equal(gj_payment_method_label("transfer"), "转账");
    static struct gj_receipt_line zh_lines[2];
    struct gj_receipt_doc d;
    sample_receipt(&d);
    copy(zh_lines[0].item, sizeof zh_lines[0].item, "物业服务费");
    zh_lines[0].period = 202610;
    zh_lines[0].amount_fen = 25024;
    char item[GJ_NAME_BYTES] = "";
    for (int i = 0; i < GJ_NAME_CHARS; i++)
        strcat(item, "车");
    copy(zh_lines[1].item, sizeof zh_lines[1].item, item);
    zh_lines[1].period = 202611;
    zh_lines[1].amount_fen = 15000;
    copy(d.estate, sizeof d.estate, "翠湖花园");
    d.lines = zh_lines;
    d.n_lines = 2;
    d.credit_fen = 0;
    d.total_fen = 40024;
    d.copy = 1;
    char *t = render(&d);
    chinese_off();
    assert_true(widest_line(t) <= GJ_RECEIPT_COLS);
    assert_non_null(strstr(t, "翠湖花园"));
    assert_non_null(strstr(t, "收款收据"));
    assert_non_null(strstr(t, "副本 1"));
    expect_in_line(t, "收据编号：", "SJ00000042");
    expect_in_line(t, "SJ00000042", "2026-11-29 15:04");
    expect_in_line(t, "房号：", "3-2-1201");
    expect_in_line(t, "3-2-1201", "微信");
    expect_in_line(t, "交款人：", "张伟");
    expect_in_line(t, "物业服务费", "2026-10");
    assert_true(ends_with(line_with(t, "物业服务费"), "¥250.24"));
    assert_true(ends_with(line_with(t, "2026-11  "), "¥150.00"));
    assert_true(ends_with(line_with(t, "合计："), "¥400.24"));
    expect_in_line(t, "人民币（大写）：", "肆佰元贰角肆分");
    expect_in_line(t, "收款人：", "李娜");
    assert_null(strstr(t, "Total"));
    assert_int_equal(gj_utf8_width(line_with(t, "物业服务费")), GJ_RECEIPT_COLS);
    assert_int_equal(gj_utf8_width(line_with(t, "合计：")), GJ_RECEIPT_COLS);
    free(t);

    chinese_on();
    d.copy = 0;
    d.receipt_no = 43;
    d.reverses_receipt_no = 42;
    for (int i = 0; i < 2; i++)
        zh_lines[i].amount_fen = -zh_lines[i].amount_fen;
    d.total_fen = -40024;
    copy(d.reason, sizeof d.reason, "收费员录错房号，已现金退回业主。");
    t = render(&d);
    chinese_off();
    assert_non_null(strstr(t, "冲正收据"));
    expect_in_line(t, "冲正原收据：", "SJ00000042");
    expect_in_line(t, "冲正原因：", "收费员录错房号");
    expect_in_line(t, "人民币（大写）：", "负肆佰元贰角肆分");
    assert_null(strstr(t, "副本"));
    assert_true(widest_line(t) <= GJ_RECEIPT_COLS);
    free(t);
}

/* ---- notices -------------------------------------------------------------- */

static const struct gj_notice_line owed[] = {
    {"Property management fee", 202603, 25024},
    {"Parking", 202603, 15000},
    {"Property management fee", 202604, 25024},
};

static void sample_vars(struct gj_notice_vars *v)
{
    memset(v, 0, sizeof *v);
    copy(v->estate, sizeof v->estate, "Guanjia Estate");
    copy(v->unit_code, sizeof v->unit_code, "3-2-1201");
    copy(v->name, sizeof v->name, "Zhang Wei");
    v->total_fen = 65048;
    v->months = 2;
    v->oldest_period = 202603;
    v->date = gj_test_at("2026-11-29T09:00");
    v->lines = owed;
    v->n_lines = 3;
}

static char *notice(const char *tmpl, const struct gj_notice_vars *v)
{
    char *out = (char *)1;
    struct gj_error err;
    if (gj_notice_render(tmpl, v, &out, &err) != GJ_OK)
        fail_msg("notice: %s", err.msg);
    assert_non_null(out);
    return out;
}

/* The owed lines are lined up: the amounts end in the same column. */
static void expect_lined_up(const char *t)
{
    const char *a = line_with(t, "2026-03  Property");
    int w = gj_utf8_width(a);
    assert_true(ends_with(a, "¥250.24"));
    assert_int_equal(gj_utf8_width(line_with(t, "2026-03  Parking")), w);
    assert_true(ends_with(line_with(t, "2026-03  Parking"), "¥150.00"));
    assert_int_equal(gj_utf8_width(line_with(t, "2026-04")), w);
}

static void test_notice_default_english(void **state)
{
    (void)state;
    struct gj_notice_vars v;
    sample_vars(&v);
    const char *tmpl = gj_notice_default_template(0);
    struct gj_error err;
    assert_int_equal(gj_notice_check_template(tmpl, &err), GJ_OK);
    assert_true(gj_utf8_len(tmpl) <= 1000);
    /* Every placeholder is used. */
    const char *names[] = {"{estate}", "{unit}",   "{name}", "{total}", "{total_words}",
                           "{months}", "{oldest}", "{date}", "{lines}"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_non_null(strstr(tmpl, names[i]));
    char *t = notice(tmpl, &v);
    assert_true(widest_line(t) <= GJ_NOTICE_COLS);
    assert_null(strchr(t, '{'));
    assert_null(strchr(t, '}'));
    const char *all = joined(t, " ");
    assert_non_null(strstr(all, "Dear Zhang Wei (unit 3-2-1201),"));
    assert_non_null(strstr(all, "property services at Guanjia Estate."));
    assert_non_null(strstr(all, "as of 2026-11-29 the property charges of unit 3-2-1201"));
    assert_non_null(strstr(all, "2 month(s), starting 2026-03, are still unpaid: ¥650.48 in all "
                                "(陆佰伍拾元肆角捌分)"));
    assert_non_null(strstr(all, "front desk of Guanjia Estate"));
    assert_non_null(strstr(all, "Front desk, Guanjia Estate 2026-11-29"));
    expect_lined_up(t);
    /* {lines} is indented by two blanks in the template: so is every line. */
    assert_true(strncmp(line_with(t, "2026-04"), "  2026-04  ", 11) == 0);
    assert_true(strncmp(line_with(t, "Parking"), "  2026-03  ", 11) == 0);
    assert_int_equal(t[strlen(t) - 1], '\n');
    free(t);
}

static void test_notice_default_chinese(void **state)
{
    (void)state;
    static const struct gj_notice_line zh[] = {
        {"物业服务费", 202603, 25024},
        {"车位管理费", 202603, 15000},
        {"物业服务费", 202604, 25024},
    };
    struct gj_notice_vars v;
    sample_vars(&v);
    copy(v.estate, sizeof v.estate, "翠湖花园");
    copy(v.name, sizeof v.name, "张伟");
    v.lines = zh;
    const char *tmpl = gj_notice_default_template(1);
    struct gj_error err;
    assert_int_equal(gj_notice_check_template(tmpl, &err), GJ_OK);
    assert_true(gj_utf8_len(tmpl) <= 1000);
    assert_non_null(strstr(tmpl, "催缴通知书"));
    assert_non_null(strstr(tmpl, "物业服务中心"));
    char *t = notice(tmpl, &v);
    assert_true(widest_line(t) <= GJ_NOTICE_COLS);
    assert_null(strchr(t, '{'));
    assert_null(strchr(t, '}'));
    const char *all = joined(t, "");
    assert_non_null(strstr(all, "尊敬的3-2-1201业主（住户）张伟："));
    assert_non_null(strstr(all, "感谢您一直以来对翠湖花园物业服务工作的理解与支持"));
    assert_non_null(strstr(all, "截至2026-11-29，您的房屋3-2-1201尚有"));
    assert_non_null(strstr(all, "自2026-03起共2个月"));
    assert_non_null(strstr(all, "合计¥650.48（人民币大写：陆佰伍拾元肆角捌分）"));
    assert_non_null(strstr(all, "七日内到翠湖花园物业服务中心前台缴纳"));
    assert_non_null(strstr(all, "翠湖花园物业服务中心2026-11-29"));
    /* Wrapped without breaking a date or an amount, and no line starts
       with a closing mark. */
    assert_non_null(strstr(t, "2026-03起"));
    assert_non_null(strstr(t, "¥650.48"));
    for (const char *p = t; (p = strchr(p, '\n')) && p[1]; p++) {
        assert_true(strncmp(p + 1, "，", 3) != 0 && strncmp(p + 1, "。", 3) != 0);
        assert_true(strncmp(p + 1, "）", 3) != 0 && strncmp(p + 1, "；", 3) != 0);
    }
    const char *a = line_with(t, "2026-03  物业服务费");
    assert_true(ends_with(a, "¥250.24"));
    assert_int_equal(gj_utf8_width(line_with(t, "车位管理费")), gj_utf8_width(a));
    assert_int_equal(gj_utf8_width(line_with(t, "2026-04")), gj_utf8_width(a));
    free(t);
}

static void expect_bad_template(const char *tmpl, const char *part)
{
    struct gj_error err;
    assert_int_equal(gj_notice_check_template(tmpl, &err), GJ_EINVAL);
    if (!strstr(err.msg, part))
        fail_msg("template \"%s\": expected \"%s\" in: %s", tmpl, part, err.msg);
    struct gj_notice_vars v;
    sample_vars(&v);
    char *out = (char *)1;
    assert_int_equal(gj_notice_render(tmpl, &v, &out, &err), GJ_EINVAL);
    assert_null(out);
    assert_non_null(strstr(err.msg, part));
}

static void test_notice_bad_templates(void **state)
{
    (void)state;
    expect_bad_template("Dear {nope},", "{nope}");
    expect_bad_template("Dear {name},\nYou owe {Total}.", "{Total}");
    expect_bad_template("Dear {name},\nYou owe {total.", "\"{\" on line 2");
    expect_bad_template("Dear {name", "\"{\" on line 1");
    expect_bad_template("a {b {name}", "\"{\"");
    expect_bad_template("x\ny\nPaid } in full", "\"}\" on line 3");
    expect_bad_template("", "empty");
    expect_bad_template(" \n\t", "empty");
    struct gj_error err;
    assert_int_equal(gj_notice_check_template(NULL, &err), GJ_EINVAL);
}

static void test_notice_braces_and_indent(void **state)
{
    (void)state;
    struct gj_notice_vars v;
    sample_vars(&v);
    char *t = notice("{{name}} is {name}; }}{{", &v);
    assert_string_equal(t, "{name} is Zhang Wei; }{\n");
    free(t);
    t = notice("Owed:\n    {lines}\nEnd", &v);
    assert_string_equal(line_with(t, "2026-04"), "    2026-04  Property management fee  ¥250.24");
    assert_string_equal(line_with(t, "Parking"), "    2026-03  Parking                  ¥150.00");
    assert_non_null(strstr(t, "\nEnd\n"));
    free(t);
    /* Text before {lines} on its line is not repeated. */
    t = notice("Owed: {lines}", &v);
    assert_string_equal(line_with(t, "2026-04"), "2026-04  Property management fee  ¥250.24");
    free(t);
    /* Long lines wrap at GJ_NOTICE_COLS, keeping their leading blanks;
       Chinese breaks between characters, English at spaces. */
    char tmpl[2048] = "   ";
    for (int i = 0; i < 30; i++)
        strcat(tmpl, "owner ");
    strcat(tmpl, "\n");
    for (int i = 0; i < 50; i++)
        strcat(tmpl, "缴费");
    t = notice(tmpl, &v);
    assert_true(widest_line(t) <= GJ_NOTICE_COLS);
    assert_string_equal(line_with(t, "owner"),
                        "   owner owner owner owner owner owner owner owner owner owner owner");
    int owner_lines = 0;
    for (const char *p = t; (p = strstr(p, "owner")) != NULL; owner_lines++) {
        assert_true(p - t >= 3 && strncmp(p - 3, "   owner", 8) == 0);
        assert_true(p - t == 3 || p[-4] == '\n');
        p = strchr(p, '\n');
    }
    assert_int_equal(owner_lines, 3);
    assert_non_null(strstr(t, "\n   owner owner owner owner owner owner owner owner\n"));
    const char *zh = strstr(t, "缴费");
    assert_int_equal(gj_utf8_width(line_with(zh, "缴费")), GJ_NOTICE_COLS);
    assert_string_equal(joined(zh, ""),
                        "缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴"
                        "费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费"
                        "缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费缴费");
    free(t);
    /* No lines: {lines} is empty. */
    v.n_lines = 0;
    t = notice("[{lines}] {months}", &v);
    assert_string_equal(t, "[] 2\n");
    free(t);
}

static void test_notice_refused_vars(void **state)
{
    (void)state;
    struct gj_notice_vars v;
    struct gj_error err;
    char *out = (char *)1;
    sample_vars(&v);
    v.total_fen += 1;
    assert_int_equal(gj_notice_render("{total}", &v, &out, &err), GJ_EINVAL);
    assert_null(out);
    assert_non_null(strstr(err.msg, "¥650.49"));
    sample_vars(&v);
    v.oldest_period = 202600;
    assert_int_equal(gj_notice_render("{total}", &v, &out, &err), GJ_EINVAL);
    sample_vars(&v);
    v.months = -1;
    assert_int_equal(gj_notice_render("{total}", &v, &out, &err), GJ_EINVAL);
    assert_int_equal(gj_notice_render("{total}", NULL, &out, &err), GJ_EINVAL);
}

/* The settings accept the templates (several lines) and refuse bad ones. */
static void test_template_settings(void **state)
{
    (void)state;
    struct gj_error err;
    for (int zh = 0; zh <= 1; zh++) {
        const char *key = zh ? "notice.template.zh_CN" : "notice.template.en";
        assert_int_equal(gj_setting_value_validate(key, gj_notice_default_template(zh), &err),
                         GJ_OK);
        assert_int_equal(gj_setting_value_validate(key, "Dear {name},\n{lines}", &err), GJ_OK);
        assert_int_equal(gj_setting_value_validate(key, "Dear {nope}", &err), GJ_EINVAL);
        assert_non_null(strstr(err.msg, "{nope}"));
        assert_int_equal(gj_setting_value_validate(key, "Dear {name", &err), GJ_EINVAL);
        assert_int_equal(gj_setting_value_validate(key, "", &err), GJ_EINVAL);
        assert_int_equal(gj_setting_value_validate(key, "a\rb {name}", &err), GJ_EINVAL);
        char big[1200];
        memset(big, 'a', 1001);
        big[1001] = '\0';
        assert_int_equal(gj_setting_value_validate(key, big, &err), GJ_EINVAL);
        big[1000] = '\0';
        assert_int_equal(gj_setting_value_validate(key, big, &err), GJ_OK);
    }
    /* Other settings stay one line. */
    assert_int_equal(gj_setting_value_validate("estate.name", "A\nB", &err), GJ_EINVAL);
    assert_int_equal(gj_setting_value_validate("notice.template.fr", "{nope}", &err), GJ_OK);
}

/* ---- the daily cash report ------------------------------------------------ */

static void sample_report(struct gj_cash_report *r)
{
    memset(r, 0, sizeof *r);
    r->day = gj_test_at("2026-11-29T00:00");
    copy(r->estate, sizeof r->estate, "Guanjia Estate");
    r->n_rows = 3;
    const char *names[3] = {"王芳", "Li Na", "欧阳娜娜"};
    const int64_t amounts[3][GJ_PAY_METHODS] = {
        {120000, 45024, 0, 30000, 0},
        {5000, 0, 80000, 0, 1000000},
        {-2500, 12345, 0, 0, 0},
    };
    const int64_t counts[3] = {9, 4, 2}, reversed[3] = {0, -5000, -2500};
    for (int i = 0; i < 3; i++) {
        struct gj_cash_row *row = &r->rows[i];
        row->user_id = i + 1;
        copy(row->operator_name, sizeof row->operator_name, names[i]);
        row->count = counts[i];
        row->reversed_fen = reversed[i];
        for (int m = 0; m < GJ_PAY_METHODS; m++) {
            row->by_method_fen[m] = amounts[i][m];
            row->total_fen += amounts[i][m];
            r->all.by_method_fen[m] += amounts[i][m];
        }
        r->all.count += row->count;
        r->all.reversed_fen += row->reversed_fen;
        r->all.total_fen += row->total_fen;
    }
}

static void test_cash_report(void **state)
{
    (void)state;
    struct gj_cash_report r;
    sample_report(&r);
    char *t = NULL;
    struct gj_error err;
    assert_int_equal(gj_cash_report_render(&r, &t, &err), GJ_OK);
    assert_non_null(strstr(t, "DAILY CASH REPORT"));
    expect_in_line(t, "Estate: ", "Guanjia Estate");
    expect_in_line(t, "Date: ", "2026-11-29");
    const char *head = line_with(t, "Operator");
    int w = gj_utf8_width(head);
    const char *cols[] = {
        "Receipts",          "Cash", "WeChat", "Alipay", "Bank card", "Bank transfer",
        "Of which reversed", "Total"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        assert_non_null(strstr(head, cols[i]));
    /* Every operator has a row, as wide as the header, ending with its total. */
    expect_in_line(t, "王芳", "¥1,200.00");
    expect_in_line(t, "王芳", "¥450.24");
    assert_true(ends_with(line_with(t, "王芳"), "¥1,950.24"));
    assert_true(ends_with(line_with(t, "Li Na"), "¥10,850.00"));
    expect_in_line(t, "Li Na", "-¥50.00");
    assert_true(ends_with(line_with(t, "欧阳娜娜"), "¥98.45"));
    expect_in_line(t, "欧阳娜娜", "-¥25.00");
    assert_int_equal(gj_utf8_width(line_with(t, "王芳")), w);
    assert_int_equal(gj_utf8_width(line_with(t, "Li Na")), w);
    assert_int_equal(gj_utf8_width(line_with(t, "欧阳娜娜")), w);
    /* The totals row adds up: 1950.24 + 10850.00 + 98.45. */
    const char *total = strstr(t, "\nTotal ");
    assert_non_null(total);
    total = line_with(total + 1, "Total ");
    assert_true(ends_with(total, "¥12,898.69"));
    assert_non_null(strstr(total, " 15 "));      /* receipts */
    assert_non_null(strstr(total, "¥1,225.00")); /* cash */
    assert_non_null(strstr(total, "-¥75.00"));   /* reversed */
    assert_int_equal(gj_utf8_width(total), w);
    assert_non_null(strstr(t, "Checked by: "));
    free(t);

    /* No payments at all. */
    memset(&r.all, 0, sizeof r.all);
    r.n_rows = 0;
    assert_int_equal(gj_cash_report_render(&r, &t, &err), GJ_OK);
    assert_non_null(strstr(t, "No payments on this day."));
    assert_non_null(strstr(t, "\nTotal "));
    assert_true(ends_with(line_with(strstr(t, "\nTotal ") + 1, "Total"), "¥0.00"));
    free(t);
}

static void test_cash_report_refused(void **state)
{
    (void)state;
    struct gj_cash_report r;
    struct gj_error err;
    char *t = (char *)1;
    sample_report(&r);
    r.all.by_method_fen[0] += 1; /* the total stays right */
    r.all.by_method_fen[1] -= 1;
    assert_int_equal(gj_cash_report_render(&r, &t, &err), GJ_EINVAL);
    assert_null(t);
    assert_non_null(strstr(err.msg, "not the sum"));
    sample_report(&r);
    r.all.count += 1;
    assert_int_equal(gj_cash_report_render(&r, &t, &err), GJ_EINVAL);
    sample_report(&r);
    r.rows[1].total_fen += 1; /* the row does not add up */
    r.all.total_fen += 1;
    assert_int_equal(gj_cash_report_render(&r, &t, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "Li Na"));
    sample_report(&r);
    r.rows[0].reversed_fen = 100;
    r.all.reversed_fen += 100;
    assert_int_equal(gj_cash_report_render(&r, &t, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "王芳"));
    sample_report(&r);
    r.n_rows = 33;
    assert_int_equal(gj_cash_report_render(&r, &t, &err), GJ_EINVAL);
}

static void test_cash_report_chinese(void **state)
{
    (void)state;
    struct gj_cash_report r;
    sample_report(&r);
    char *t = NULL;
    struct gj_error err;
    chinese_on();
    int rc = gj_cash_report_render(&r, &t, &err);
    chinese_off();
    assert_int_equal(rc, GJ_OK);
    assert_non_null(strstr(t, "收费日结报表"));
    expect_in_line(t, "小区：", "Guanjia Estate");
    const char *head = line_with(t, "收费员");
    int w = gj_utf8_width(head);
    const char *cols[] = {"笔数", "现金", "微信", "支付宝", "银行卡", "转账", "其中冲正", "合计"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        assert_non_null(strstr(head, cols[i]));
    assert_int_equal(gj_utf8_width(line_with(t, "欧阳娜娜")), w);
    const char *total = strstr(t, "\n合计 ");
    assert_non_null(total);
    total = line_with(total + 1, "合计 ");
    assert_true(ends_with(total, "¥12,898.69"));
    assert_int_equal(gj_utf8_width(total), w);
    assert_non_null(strstr(t, "复核人："));
    free(t);
}

static int back_to_english(void **state)
{
    (void)state;
    chinese_off();
    return 0;
}

static int teardown_all(void **state)
{
    (void)state;
    return 0;
}

int main(void)
{
    setlocale(LC_ALL, "C");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_receipt_original),
        cmocka_unit_test(test_receipt_copy),
        cmocka_unit_test(test_receipt_reversal),
        cmocka_unit_test(test_receipt_long_text_fits),
        cmocka_unit_test(test_receipt_clean_text),
        cmocka_unit_test(test_receipt_refused),
        cmocka_unit_test(test_method_labels),
        cmocka_unit_test_teardown(test_receipt_chinese, back_to_english),
        cmocka_unit_test(test_notice_default_english),
        cmocka_unit_test(test_notice_default_chinese),
        cmocka_unit_test(test_notice_bad_templates),
        cmocka_unit_test(test_notice_braces_and_indent),
        cmocka_unit_test(test_notice_refused_vars),
        cmocka_unit_test(test_template_settings),
        cmocka_unit_test(test_cash_report),
        cmocka_unit_test(test_cash_report_refused),
        cmocka_unit_test_teardown(test_cash_report_chinese, back_to_english),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_all);
}
