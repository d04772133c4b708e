/* Phone numbers: mainland mobiles and landlines with an area code. */
#include "guanjia/phone.h"

#include <stdio.h>
#include <string.h>

#include "guanjia/i18n.h"
#include "guanjia/utf8.h"

/* More digits than any valid number; longer input is refused as too long. */
#define DIGITS_MAX 24

struct cursor {
    const char *p, *end;
};

static int take(struct cursor *c, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(c->end - c->p) >= n && memcmp(c->p, word, n) == 0) {
        c->p += n;
        return 1;
    }
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Separators people type between digit groups. */
static int take_separator(struct cursor *c)
{
    return take(c, " ") || take(c, "-") || take(c, "(") || take(c, ")") ||
           take(c, "\xE3\x80\x80") ||                          /* U+3000 ideographic space */
           take(c, "\xEF\xBC\x8D") ||                          /* U+FF0D fullwidth dash */
           take(c, "\xEF\xBC\x88") || take(c, "\xEF\xBC\x89"); /* U+FF08/U+FF09 parentheses */
}

/* Marks that introduce an extension: "010-12345678转123", "... ext 12". */
static int take_extension_mark(struct cursor *c)
{
    return take(c, "转") || take(c, "ext") || take(c, "EXT") || take(c, "Ext") || take(c, "x") ||
           take(c, "X") || take(c, "#");
}

struct number {
    char d[DIGITS_MAX + 1];
    size_t n;
    uint32_t breaks;   /* bit k: a separator came before digit k */
    int plus;          /* began with '+' */
    int extension;     /* an extension mark was seen */
    size_t ext_digits; /* digits before the extension mark */
};

/* Collects digits and their grouping; 0 when a character is not allowed. */
static int scan(struct cursor *c, struct number *num)
{
    int in_group = 0;
    memset(num, 0, sizeof *num);
    if (take(c, "+") || take(c, "\xEF\xBC\x8B")) /* U+FF0B fullwidth plus */
        num->plus = 1;
    while (c->p < c->end) {
        if (is_digit(*c->p)) {
            if (!in_group && num->n > 0 && num->n < DIGITS_MAX)
                num->breaks |= UINT32_C(1) << num->n;
            in_group = 1;
            if (num->n < DIGITS_MAX)
                num->d[num->n] = *c->p;
            num->n++;
            c->p++;
        } else if (take_separator(c)) {
            in_group = 0;
        } else if (!num->extension && num->n > 0 && take_extension_mark(c)) {
            num->extension = 1;
            num->ext_digits = num->n;
            in_group = 0;
        } else {
            return 0;
        }
    }
    if (num->n <= DIGITS_MAX)
        num->d[num->n] = '\0';
    return 1;
}

/* Length of the area code at the start of d ("0...", at least 4 digits):
 * 3 for 010 and 02x, 4 for 0[3-9]xx, 0 when it is not an area code. */
static size_t area_code_len(const char *d, size_t n)
{
    if (n < 4 || d[0] != '0')
        return 0;
    if (d[1] == '1')
        return d[2] == '0' ? 3 : 0; /* 010 only */
    if (d[1] == '2')
        return 3;
    if (d[1] >= '3' && d[1] <= '9')
        return 4;
    return 0;
}

static int mobile_ok(const char *d, size_t n)
{
    return n == 11 && d[0] == '1' && d[1] >= '3';
}

/* 1 when d[0..n) is a well-formed landline: an area code, then 7 or 8
 * digits not starting with 0 (a second trunk prefix). Numbers starting
 * with 1 are accepted: phone.h documents 010-12345678 as valid. */
static int landline_ok(const char *d, size_t n)
{
    size_t a = area_code_len(d, n);
    return a > 0 && n - a >= 7 && n - a <= 8 && d[a] != '0';
}

/* "010-12345678-123", "01012345678 5", "0755-1234567-8": a complete number,
 * a separator, then more digits. breaks has bit k set when a separator came
 * before d[k]. Spaces inside a number ("0755 1234 5678") are not an
 * extension. */
static int looks_like_extension(const char *d, size_t n, uint32_t breaks)
{
    int whole_ok = mobile_ok(d, n) || landline_ok(d, n);
    for (size_t k = 1; k < n && k < 32; k++) {
        if (!(breaks & (UINT32_C(1) << k)))
            continue;
        if (mobile_ok(d, k) && !whole_ok)
            return 1;
        if (landline_ok(d, k) && (!whole_ok || (breaks & (UINT32_C(1) << area_code_len(d, k)))))
            return 1;
    }
    return 0;
}

int gj_phone_normalize(const char *s, char *out, size_t outsz, enum gj_phone_kind *kind,
                       struct gj_error *err)
{
    char shown[GJ_UTF8_EXCERPT_SZ];
    struct cursor c;
    struct number num;
    const char *d;
    size_t n;

    if (out && outsz > 0)
        out[0] = '\0';
    if (!s)
        s = "";
    c.p = s;
    c.end = s + strlen(s);
    while (c.p < c.end && (*c.p == ' ' || *c.p == '\t'))
        c.p++;
    while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t'))
        c.end--;
    gj_utf8_excerpt(c.p, (size_t)(c.end - c.p), shown, sizeof shown);
    if (c.p == c.end)
        return gj_err(err, GJ_EINVAL,
                      _("phone: enter a mobile number (11 digits) or a landline with its area "
                        "code, e.g. 010-12345678"));
    if (!scan(&c, &num))
        return gj_err(err, GJ_EINVAL,
                      _("phone \"%s\": use only digits, spaces and dashes (no letters or other "
                        "signs)"),
                      shown);
    if (num.n > DIGITS_MAX)
        return gj_err(err, GJ_EINVAL, _("phone \"%s\": too many digits for a phone number"), shown);

    d = num.d;
    n = num.extension ? num.ext_digits : num.n;
    if (num.plus) {
        if (n < 2 || d[0] != '8' || d[1] != '6')
            return gj_err(err, GJ_EINVAL,
                          _("phone \"%s\": only mainland China numbers (+86) are accepted"), shown);
        d += 2;
        n -= 2;
    } else if (n == 13 && d[0] == '8' && d[1] == '6' && d[2] == '1') {
        d += 2; /* 86 13812345678 */
        n -= 2;
    }
    if (n == 0)
        return gj_err(err, GJ_EINVAL,
                      _("phone \"%s\" has no digits; enter a mobile or a landline number"), shown);
    if (!num.extension && looks_like_extension(d, n, num.breaks >> (d - num.d)))
        goto extension;

    if (d[0] == '1') {
        if (n != 11)
            return gj_err(err, GJ_EINVAL,
                          _("phone \"%s\": a mobile number has 11 digits, this one has %zu"), shown,
                          n);
        if (d[1] < '3')
            return gj_err(err, GJ_EINVAL,
                          _("phone \"%s\": mobile numbers start with 13 to 19, not 1%c"), shown,
                          d[1]);
        if (num.extension)
            goto extension;
        if (out && outsz > 0)
            snprintf(out, outsz, "%.11s", d);
        if (kind)
            *kind = GJ_PHONE_MOBILE;
        gj_err_clear(err);
        return GJ_OK;
    }

    if (d[0] == '0') {
        size_t a = area_code_len(d, n);
        if (n < 4)
            return gj_err(err, GJ_EINVAL,
                          _("phone \"%s\" is too short; a landline needs its area code and 7 or 8 "
                            "digits"),
                          shown);
        if (a == 0)
            return gj_err(err, GJ_EINVAL,
                          _("phone \"%s\": the area code is not valid (010, 02x or four digits "
                            "such as 0755)"),
                          shown);
        if (n - a < 7 || n - a > 8)
            return gj_err(err, GJ_EINVAL,
                          _("phone \"%s\": a landline has 7 or 8 digits after the area code, "
                            "this one has %zu"),
                          shown, n - a);
        if (d[a] == '0')
            return gj_err(err, GJ_EINVAL,
                          _("phone \"%s\": the number after the area code cannot start with 0"),
                          shown);
        if (num.extension)
            goto extension;
        if (out && outsz > 0)
            snprintf(out, outsz, "%.*s-%.*s", (int)a, d, (int)(n - a), d + a);
        if (kind)
            *kind = GJ_PHONE_LANDLINE;
        gj_err_clear(err);
        return GJ_OK;
    }

    return gj_err(err, GJ_EINVAL,
                  _("phone \"%s\" is neither a mobile (1xx xxxx xxxx) nor a landline with its area "
                    "code (e.g. 0755-1234567)"),
                  shown);

extension:
    return gj_err(err, GJ_EINVAL,
                  _("phone \"%s\": extensions are not accepted; enter the main number only"),
                  shown);
}

/* Appends whole pieces only, so a character is never split. */
struct out {
    char *b;
    size_t sz, n;
};

static void append(struct out *o, const char *s, size_t len)
{
    if (o->n + len < o->sz) {
        memcpy(o->b + o->n, s, len);
        o->n += len;
        o->b[o->n] = '\0';
    }
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

void gj_phone_mask(const char *canonical, char *out, size_t outsz)
{
    struct out o = {out, outsz, 0};
    const char *s = canonical ? canonical : "";
    size_t n = strlen(s), total = 0, i;
    const char *dash;

    if (!out || outsz == 0)
        return;
    out[0] = '\0';
    if (n == 11 && all_digits(s, n)) {
        append(&o, s, 3);
        append(&o, "****", 4);
        append(&o, s + 7, 4);
        return;
    }
    dash = strchr(s, '-');
    if (dash && s[0] == '0' && (dash - s == 3 || dash - s == 4) &&
        all_digits(s, (size_t)(dash - s)) && all_digits(dash + 1, strlen(dash + 1)) &&
        strlen(dash + 1) >= 7 && strlen(dash + 1) <= 8) {
        size_t sub = strlen(dash + 1);
        append(&o, s, (size_t)(dash - s) + 1);
        for (i = 0; i < sub - 4; i++)
            append(&o, "*", 1);
        append(&o, s + n - 4, 4);
        return;
    }
    /* Anything else: one '*' per character, then the last four as they are
     * (controls and invalid bytes shown as '?'). */
    for (i = 0; i < n; total++) {
        size_t k = gj_utf8_decode(s + i, n - i, NULL);
        i += k ? k : 1;
    }
    for (i = 0; i < n; total--) {
        uint32_t cp;
        size_t k = gj_utf8_decode(s + i, n - i, &cp);
        if (total > 4)
            append(&o, "*", 1);
        else if (k == 0 || gj_cp_width(cp) < 0)
            append(&o, "?", 1);
        else
            append(&o, s + i, k);
        i += k ? k : 1;
    }
}

void gj_phone_last4(const char *canonical, char out[5])
{
    char rev[4];
    size_t got = 0, n;
    if (!out)
        return;
    out[0] = '\0';
    if (!canonical)
        return;
    n = strlen(canonical);
    while (n > 0 && got < 4) {
        n--;
        if (is_digit(canonical[n]))
            rev[got++] = canonical[n];
    }
    for (size_t i = 0; i < got; i++)
        out[i] = rev[got - 1 - i];
    out[got] = '\0';
}
