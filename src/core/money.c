/* Money in integer fen: parsing, formatting, Chinese capital numerals. */
#include "guanjia/money.h"

#include <limits.h>
#include <string.h>

#include "guanjia/i18n.h"
#include "guanjia/utf8.h"

#define YUAN_SIGN_HALF "\xC2\xA5"     /* U+00A5 */
#define YUAN_SIGN_FULL "\xEF\xBF\xA5" /* U+FFE5 */
#define IDEO_SPACE     "\xE3\x80\x80" /* U+3000 */

/* Skips ASCII spaces, tabs and ideographic spaces. */
static const char *skip_spaces(const char *p, const char *end)
{
    while (p < end) {
        if (*p == ' ' || *p == '\t')
            p++;
        else if (end - p >= 3 && memcmp(p, IDEO_SPACE, 3) == 0)
            p += 3;
        else
            break;
    }
    return p;
}

static const char *trim_end(const char *start, const char *end)
{
    while (end > start) {
        if (end[-1] == ' ' || end[-1] == '\t')
            end--;
        else if (end - start >= 3 && memcmp(end - 3, IDEO_SPACE, 3) == 0)
            end -= 3;
        else
            break;
    }
    return end;
}

static const char *skip_yuan_sign(const char *p, const char *end)
{
    if (end - p >= 2 && memcmp(p, YUAN_SIGN_HALF, 2) == 0)
        return skip_spaces(p + 2, end);
    if (end - p >= 3 && memcmp(p, YUAN_SIGN_FULL, 3) == 0)
        return skip_spaces(p + 3, end);
    return p;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

enum parse_result { P_OK, P_SYNTAX, P_DECIMALS, P_GROUPING, P_RANGE };

/* Parses the unsigned amount in [p, end). */
static enum parse_result parse_amount(const char *p, const char *end, int64_t *fen)
{
    int64_t yuan = 0;
    int grouped = 0, group_len = 0, first_group_len = 0, range = 0;
    const int leading_zero = p < end && *p == '0';

    if (p == end || !is_digit(*p))
        return P_SYNTAX;
    for (; p < end && (is_digit(*p) || *p == ','); p++) {
        if (*p == ',') {
            if (!grouped)
                first_group_len = group_len;
            else if (group_len != 3)
                return P_GROUPING;
            grouped = 1;
            group_len = 0;
            continue;
        }
        if (yuan > (GJ_MONEY_MAX / 100 - (*p - '0')) / 10)
            range = 1; /* keep scanning: a syntax error wins */
        else
            yuan = yuan * 10 + (*p - '0');
        group_len++;
    }
    /* 1,234,567: a first group of 1 to 3 digits (not 0), then groups of 3. */
    if (grouped && (group_len != 3 || first_group_len > 3 || leading_zero))
        return P_GROUPING;

    int64_t frac = 0;
    if (p < end && *p == '.') {
        int n = 0;
        p++;
        if (p == end || !is_digit(*p))
            return P_SYNTAX;
        for (; p < end && is_digit(*p); p++, n++) {
            if (n < 2)
                frac = frac * 10 + (*p - '0');
        }
        if (n > 2)
            return p == end ? P_DECIMALS : P_SYNTAX;
        if (n == 1)
            frac *= 10;
    }
    if (p != end)
        return P_SYNTAX;
    if (range)
        return P_RANGE;
    *fen = yuan * 100 + frac;
    return P_OK;
}

int gj_money_parse(const char *s, unsigned flags, const char *field, int64_t *fen,
                   struct gj_error *err)
{
    char shown[GJ_UTF8_EXCERPT_SZ], max[32];
    const char *p, *end, *start;
    int neg = 0;
    int64_t v = 0;

    if (!field)
        field = _("amount");
    if (!s)
        s = "";
    p = skip_spaces(s, s + strlen(s));
    end = trim_end(p, s + strlen(s));
    start = p;
    gj_utf8_excerpt(start, (size_t)(end - start), shown, sizeof shown);
    if (p == end)
        return gj_err(err, GJ_EINVAL, _("%s: enter an amount, e.g. 1234.50"), field);

    /* "-¥3.00", "¥-3.00" and "-3.00" are all the same. */
    if (*p == '-') {
        neg = 1;
        p = skip_yuan_sign(skip_spaces(p + 1, end), end);
    } else {
        p = skip_yuan_sign(p, end);
        if (p < end && *p == '-') {
            neg = 1;
            p = skip_spaces(p + 1, end);
        }
    }

    switch (parse_amount(p, end, &v)) {
    case P_OK:
        break;
    case P_DECIMALS:
        return gj_err(err, GJ_EINVAL,
                      _("%s: \"%s\" has more than two decimals (the smallest unit is the fen, "
                        "0.01)"),
                      field, shown);
    case P_GROUPING:
        return gj_err(err, GJ_EINVAL,
                      _("%s: \"%s\" has misplaced thousands separators (write 1,234.56 or "
                        "1234.56)"),
                      field, shown);
    case P_RANGE:
        gj_money_format(GJ_MONEY_MAX, max, sizeof max);
        return gj_err(err, GJ_EINVAL, _("%s: \"%s\" is too large (at most %s)"), field, shown, max);
    case P_SYNTAX:
    default:
        return gj_err(err, GJ_EINVAL,
                      _("%s: \"%s\" is not an amount (use digits and at most two decimals, e.g. "
                        "1234.50)"),
                      field, shown);
    }
    if (v == 0) {
        if (!(flags & GJ_MONEY_ALLOW_ZERO))
            return gj_err(err, GJ_EINVAL, _("%s: the amount must be greater than zero"), field);
    } else if (neg) {
        if (!(flags & GJ_MONEY_ALLOW_NEGATIVE))
            return gj_err(err, GJ_EINVAL, _("%s: \"%s\" is negative; enter a positive amount"),
                          field, shown);
        v = -v;
    }
    if (fen)
        *fen = v;
    gj_err_clear(err);
    return GJ_OK;
}

/* Magnitude of fen, safe for INT64_MIN. */
static uint64_t magnitude(int64_t fen)
{
    return fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
}

/* Writes the integer part with or without thousands separators. */
static size_t put_yuan(uint64_t yuan, int grouping, char *buf)
{
    char digits[24];
    size_t n = 0, o = 0;
    do {
        digits[n++] = (char)('0' + yuan % 10);
        yuan /= 10;
    } while (yuan > 0);
    while (n > 0) {
        buf[o++] = digits[--n];
        if (grouping && n > 0 && n % 3 == 0)
            buf[o++] = ',';
    }
    return o;
}

static void format(int64_t fen, int symbol, char *out, size_t outsz)
{
    char buf[48];
    size_t o = 0;
    uint64_t m = magnitude(fen);

    if (fen < 0)
        buf[o++] = '-';
    if (symbol) {
        memcpy(buf + o, YUAN_SIGN_HALF, 2);
        o += 2;
    }
    o += put_yuan(m / 100, symbol, buf + o);
    buf[o++] = '.';
    buf[o++] = (char)('0' + m / 10 % 10);
    buf[o++] = (char)('0' + m % 10);
    buf[o] = '\0';
    gj_utf8_truncate(buf, INT_MAX, out, outsz);
}

void gj_money_format(int64_t fen, char *out, size_t outsz)
{
    format(fen, 1, out, outsz);
}

void gj_money_format_plain(int64_t fen, char *out, size_t outsz)
{
    format(fen, 0, out, outsz);
}

static const char *const cn_digit[10] = {"零", "壹", "贰", "叁", "肆",
                                         "伍", "陆", "柒", "捌", "玖"};

struct sbuf {
    char b[192];
    size_t n;
};

static void put(struct sbuf *sb, const char *s)
{
    size_t len = strlen(s);
    if (sb->n + len < sizeof sb->b) {
        memcpy(sb->b + sb->n, s, len);
        sb->n += len;
        sb->b[sb->n] = '\0';
    }
}

/* 1..9999 with 仟佰拾; one 零 for each run of inner zeros. */
static void put_group(struct sbuf *sb, unsigned v)
{
    static const char *const unit[4] = {"仟", "佰", "拾", ""};
    static const unsigned div[4] = {1000, 100, 10, 1};
    int started = 0, zero = 0;
    for (int i = 0; i < 4; i++) {
        unsigned d = v / div[i] % 10;
        if (d == 0) {
            zero = started;
            continue;
        }
        if (zero)
            put(sb, cn_digit[0]);
        put(sb, cn_digit[d]);
        put(sb, unit[i]);
        started = 1;
        zero = 0;
    }
}

/* n >= 1. Splits at 亿 and 万; a 零 joins parts when the lower part does not
 * fill its highest place (1,0000,0500 -> 壹亿零伍佰). */
static void put_integer(struct sbuf *sb, uint64_t n)
{
    if (n >= UINT64_C(100000000)) {
        uint64_t low = n % UINT64_C(100000000);
        put_integer(sb, n / UINT64_C(100000000));
        put(sb, "亿");
        if (low > 0) {
            if (low < UINT64_C(10000000))
                put(sb, cn_digit[0]);
            put_integer(sb, low);
        }
    } else if (n >= 10000) {
        unsigned low = (unsigned)(n % 10000);
        put_group(sb, (unsigned)(n / 10000));
        put(sb, "万");
        if (low > 0) {
            if (low < 1000)
                put(sb, cn_digit[0]);
            put_group(sb, low);
        }
    } else {
        put_group(sb, (unsigned)n);
    }
}

int gj_money_chinese(int64_t fen, char *out, size_t outsz)
{
    struct sbuf sb = {{0}, 0};
    uint64_t m = magnitude(fen), yuan = m / 100;
    unsigned jiao = (unsigned)(m / 10 % 10), f = (unsigned)(m % 10);

    if (out && outsz > 0)
        out[0] = '\0';
    if (!out || m > (uint64_t)GJ_MONEY_MAX)
        return GJ_EINVAL;
    if (m == 0) {
        put(&sb, "零元整");
    } else {
        if (fen < 0)
            put(&sb, "负");
        if (yuan > 0) {
            put_integer(&sb, yuan);
            put(&sb, "元");
        }
        if (jiao > 0) {
            put(&sb, cn_digit[jiao]);
            put(&sb, "角");
        } else if (f > 0 && yuan > 0) {
            put(&sb, cn_digit[0]); /* 100.05 -> 壹佰元零伍分 */
        }
        if (f > 0) {
            put(&sb, cn_digit[f]);
            put(&sb, "分");
        } else if (jiao == 0) {
            put(&sb, "整");
        }
    }
    if (sb.n >= outsz)
        return GJ_EINVAL;
    memcpy(out, sb.b, sb.n + 1);
    return GJ_OK;
}
