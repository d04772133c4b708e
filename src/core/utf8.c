/* UTF-8 decoding, validation and terminal display width. */
#include "guanjia/utf8.h"

#include <limits.h>
#include <string.h>

#include "guanjia/i18n.h"

/* Input bytes shown in an error message, at most. */
#define EXCERPT_BYTES 40

struct range {
    uint32_t lo, hi;
};

/* Characters that take no column: combining marks, zero-width and format
 * characters, variation selectors. Sorted, not overlapping. */
static const struct range zero_width[] = {
    {0x0300, 0x036F},   /* combining diacritical marks */
    {0x0483, 0x0489},   /* Cyrillic combining marks */
    {0x0591, 0x05BD},   /* Hebrew points */
    {0x0610, 0x061A},   /* Arabic marks */
    {0x064B, 0x065F},   /* Arabic vowel marks */
    {0x1160, 0x11FF},   /* Hangul medial vowels and final consonants */
    {0x1AB0, 0x1AFF},   /* combining diacritical marks extended */
    {0x1DC0, 0x1DFF},   /* combining diacritical marks supplement */
    {0x200B, 0x200F},   /* zero width space, joiners, direction marks */
    {0x2028, 0x202E},   /* line/paragraph separators, bidi embeddings */
    {0x2060, 0x2064},   /* word joiner, invisible operators */
    {0x2066, 0x206F},   /* bidi isolates, deprecated format characters */
    {0x20D0, 0x20FF},   /* combining marks for symbols */
    {0x302A, 0x302D},   /* ideographic tone marks */
    {0x3099, 0x309A},   /* combining kana voiced sound marks */
    {0xFE00, 0xFE0F},   /* variation selectors */
    {0xFE20, 0xFE2F},   /* combining half marks */
    {0xFEFF, 0xFEFF},   /* zero width no-break space */
    {0xE0001, 0xE0001}, /* language tag */
    {0xE0020, 0xE007F}, /* tags */
    {0xE0100, 0xE01EF}, /* variation selectors supplement */
};

/* East Asian Wide (W) and Fullwidth (F) characters. Sorted, not
 * overlapping; unassigned gaps inside CJK blocks are treated as wide. */
static const struct range wide[] = {
    {0x1100, 0x115F},   /* Hangul leading consonants */
    {0x231A, 0x231B},   /* watch, hourglass */
    {0x2329, 0x232A},   /* angle brackets */
    {0x23E9, 0x23EC},   /* emoji media buttons */
    {0x23F0, 0x23F0},   /* alarm clock */
    {0x23F3, 0x23F3},   /* hourglass */
    {0x25FD, 0x25FE},   /* small squares */
    {0x2614, 0x2615},   /* umbrella, hot beverage */
    {0x2648, 0x2653},   /* zodiac */
    {0x267F, 0x267F},   /* wheelchair */
    {0x2693, 0x2693},   /* anchor */
    {0x26A1, 0x26A1},   /* high voltage */
    {0x26AA, 0x26AB},   /* circles */
    {0x26BD, 0x26BE},   /* soccer, baseball */
    {0x26C4, 0x26C5},   /* snowman, sun behind cloud */
    {0x26CE, 0x26CE},   /* ophiuchus */
    {0x26D4, 0x26D4},   /* no entry */
    {0x26EA, 0x26EA},   /* church */
    {0x26F2, 0x26F3},   /* fountain, golf */
    {0x26F5, 0x26F5},   /* sailboat */
    {0x26FA, 0x26FA},   /* tent */
    {0x26FD, 0x26FD},   /* fuel pump */
    {0x2705, 0x2705},   /* check mark button */
    {0x270A, 0x270B},   /* raised fist, raised hand */
    {0x2728, 0x2728},   /* sparkles */
    {0x274C, 0x274C},   /* cross mark */
    {0x274E, 0x274E},   /* cross mark button */
    {0x2753, 0x2755},   /* question and exclamation marks */
    {0x2757, 0x2757},   /* exclamation mark */
    {0x2795, 0x2797},   /* plus, minus, divide */
    {0x27B0, 0x27B0},   /* curly loop */
    {0x27BF, 0x27BF},   /* double curly loop */
    {0x2B1B, 0x2B1C},   /* large squares */
    {0x2B50, 0x2B50},   /* star */
    {0x2B55, 0x2B55},   /* heavy large circle */
    {0x2E80, 0x303E},   /* CJK radicals, Kangxi, CJK symbols and punctuation */
    {0x3041, 0x3247},   /* Hiragana, Katakana, Bopomofo, Hangul compatibility */
    {0x3250, 0x4DBF},   /* enclosed CJK, CJK compatibility, Extension A */
    {0x4E00, 0x9FFF},   /* CJK Unified Ideographs */
    {0xA000, 0xA4CF},   /* Yi */
    {0xA960, 0xA97F},   /* Hangul Jamo Extended-A */
    {0xAC00, 0xD7A3},   /* Hangul syllables */
    {0xF900, 0xFAFF},   /* CJK compatibility ideographs */
    {0xFE10, 0xFE19},   /* vertical forms */
    {0xFE30, 0xFE6F},   /* CJK compatibility forms, small form variants */
    {0xFF01, 0xFF60},   /* fullwidth forms */
    {0xFFE0, 0xFFE6},   /* fullwidth signs */
    {0x16FE0, 0x16FE4}, /* ideographic symbols */
    {0x17000, 0x18CFF}, /* Tangut */
    {0x1B000, 0x1B2FF}, /* Kana supplement, Nushu */
    {0x1F004, 0x1F004}, /* mahjong red dragon */
    {0x1F0CF, 0x1F0CF}, /* joker */
    {0x1F18E, 0x1F18E}, /* AB button */
    {0x1F191, 0x1F19A}, /* squared words */
    {0x1F200, 0x1F2FF}, /* enclosed ideographic supplement */
    {0x1F300, 0x1F64F}, /* pictographs, emoticons */
    {0x1F680, 0x1F6FF}, /* transport and map symbols */
    {0x1F7E0, 0x1F7EB}, /* coloured circles and squares */
    {0x1F900, 0x1F9FF}, /* supplemental symbols and pictographs */
    {0x1FA70, 0x1FAFF}, /* symbols and pictographs extended-A */
    {0x20000, 0x2FFFD}, /* CJK Extensions B to F */
    {0x30000, 0x3FFFD}, /* CJK Extension G and beyond */
};

static int in_table(uint32_t cp, const struct range *t, size_t n)
{
    size_t lo = 0, hi = n;
    if (n == 0 || cp < t[0].lo || cp > t[n - 1].hi)
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < t[mid].lo)
            hi = mid;
        else if (cp > t[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* Characters that must never reach a message or a stored text field: C0, C1,
 * DEL, line and paragraph separators, bidi embeddings, overrides and
 * isolates (they reorder what the terminal shows). */
static int is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

size_t gj_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t c, min;
    size_t len;

    if (!s || n == 0)
        return 0;
    if (p[0] < 0x80) {
        if (cp)
            *cp = p[0];
        return 1;
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        len = 2;
        c = p[0] & 0x1Fu;
        min = 0x80;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        len = 3;
        c = p[0] & 0x0Fu;
        min = 0x800;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        len = 4;
        c = p[0] & 0x07u;
        min = 0x10000;
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, or > U+10FFFF */
    }
    /* Read sequentially so that a NUL terminator stops the scan. */
    for (size_t i = 1; i < len; i++) {
        if (i >= n || (p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    if (cp)
        *cp = c;
    return len;
}

size_t gj_utf8_encode(uint32_t cp, char out[4])
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp <= 0x10FFFF) {
        o[0] = (unsigned char)(0xF0 | (cp >> 18));
        o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (unsigned char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

int gj_utf8_valid(const char *s, size_t n, size_t *bad_offset)
{
    size_t i = 0;
    while (i < n) {
        size_t k = gj_utf8_decode(s + i, n - i, NULL);
        if (k == 0) {
            if (bad_offset)
                *bad_offset = i;
            return 0;
        }
        i += k;
    }
    return 1;
}

size_t gj_utf8_len(const char *s)
{
    size_t n, i = 0, count = 0;
    if (!s)
        return 0;
    n = strlen(s);
    while (i < n) {
        size_t k = gj_utf8_decode(s + i, n - i, NULL);
        i += k ? k : 1;
        count++;
    }
    return count;
}

int gj_cp_width(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
        return -1;
    if (cp < 0x300)
        return 1;
    if (in_table(cp, zero_width, sizeof zero_width / sizeof zero_width[0]))
        return 0;
    if (in_table(cp, wide, sizeof wide / sizeof wide[0]))
        return 2;
    return 1;
}

int gj_utf8_width(const char *s)
{
    size_t n, i = 0;
    int cols = 0;
    if (!s)
        return 0;
    n = strlen(s);
    while (i < n) {
        uint32_t cp;
        size_t k = gj_utf8_decode(s + i, n - i, &cp);
        int w = k ? gj_cp_width(cp) : 1;
        i += k ? k : 1;
        if (w < 0)
            w = 1;
        if (cols > INT_MAX - w)
            return INT_MAX;
        cols += w;
    }
    return cols;
}

int gj_utf8_truncate(const char *s, int max_cols, char *out, size_t outsz)
{
    size_t n, i = 0, o = 0;
    int cols = 0;
    if (!out || outsz == 0)
        return 0;
    out[0] = '\0';
    if (!s || max_cols <= 0)
        return 0;
    n = strlen(s);
    while (i < n) {
        uint32_t cp;
        size_t k = gj_utf8_decode(s + i, n - i, &cp);
        const char *src = s + i;
        size_t len = k;
        int w;
        if (k == 0) { /* an invalid byte is shown as '?' */
            src = "?";
            len = 1;
            k = 1;
            w = 1;
        } else {
            w = gj_cp_width(cp);
            if (w < 0)
                w = 1;
        }
        if (w > max_cols - cols || len > outsz - 1 - o)
            break;
        memcpy(out + o, src, len);
        o += len;
        cols += w;
        i += k;
    }
    out[o] = '\0';
    return cols;
}

int gj_text_check(const char *s, const char *field, size_t max_chars, int required, int multiline,
                  struct gj_error *err)
{
    size_t n, i = 0, count = 0;
    int blank = 1;
    if (!field)
        field = _("text");
    if (!s)
        s = "";
    n = strlen(s);
    while (i < n) {
        uint32_t cp;
        size_t k = gj_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return gj_err(err, GJ_EINVAL,
                          _("%s: contains bytes that are not valid UTF-8 text (at byte %zu)"),
                          field, i + 1);
        if (cp == '\n' && !multiline)
            return gj_err(err, GJ_EINVAL, _("%s: line breaks are not allowed here"), field);
        if (cp == '\t' && !multiline)
            return gj_err(err, GJ_EINVAL, _("%s: tabs are not allowed here"), field);
        if (cp != '\n' && cp != '\t' && is_control(cp))
            return gj_err(err, GJ_EINVAL,
                          _("%s: contains a control character (U+%04X), which is not allowed"),
                          field, (unsigned)cp);
        if (cp != ' ' && cp != '\n' && cp != '\t' && cp != 0x3000)
            blank = 0;
        count++;
        i += k;
    }
    if (required && blank)
        return gj_err(err, GJ_EINVAL, _("%s: must not be empty"), field);
    if (count > max_chars)
        return gj_err(err, GJ_EINVAL, _("%s: too long (%zu characters, at most %zu)"), field, count,
                      max_chars);
    gj_err_clear(err);
    return GJ_OK;
}

const char *gj_utf8_excerpt(const char *s, size_t n, char *out, size_t outsz)
{
    char buf[GJ_UTF8_EXCERPT_SZ];
    size_t i = 0, o = 0;
    if (!out || outsz == 0)
        return out;
    out[0] = '\0';
    if (!s)
        return out;
    while (i < n && s[i] != '\0') {
        uint32_t cp;
        size_t k = gj_utf8_decode(s + i, n - i, &cp);
        if (i + (k ? k : 1) > EXCERPT_BYTES) {
            memcpy(buf + o, "\xE2\x80\xA6", 3); /* U+2026 */
            o += 3;
            break;
        }
        if (k == 0 || is_control(cp)) {
            buf[o++] = '?';
            i += k ? k : 1;
        } else {
            memcpy(buf + o, s + i, k);
            o += k;
            i += k;
        }
    }
    buf[o] = '\0';
    gj_utf8_truncate(buf, INT_MAX, out, outsz);
    return out;
}

int gj_text_present(const char *s)
{
    if (!s)
        return 0;
    while (*s) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            s++;
        } else if (strncmp(s, "\xe3\x80\x80", 3) == 0) {
            s += 3; /* U+3000 IDEOGRAPHIC SPACE */
        } else {
            return 1;
        }
    }
    return 0;
}

void gj_text_copy(char *dst, size_t dstsz, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= dstsz) {
        n = dstsz - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--; /* never cut a character in half */
    }
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}
