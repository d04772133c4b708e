/* Pinyin initials of Chinese names. The table is generated from Unihan by
 * scripts/gen-pinyin-table.py; see data/pinyin/initials.inc for its layout. */
#include "guanjia/pinyin.h"

#include <stddef.h>
#include <stdint.h>

#include "pinyin/initials.inc"

/* gj_pinyin_keys(): at most this many combinations. */
#define MAX_KEYS 16
/* Only the last few polyphonic characters of a string can vary within the
 * first MAX_KEYS combinations: each has at least two initials, 2^4 = 16. */
#define MAX_VARYING 4

/* Decodes one code point of a NUL-terminated string. Returns its length in
 * bytes, or 0 for an invalid, overlong, truncated or surrogate sequence or
 * one above U+10FFFF. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    uint32_t c = s[0];
    size_t len;
    uint32_t min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
        c &= 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0; /* also stops at the terminating NUL */
        c = (c << 6) | (uint32_t)(s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* The table entry of cp: '.' when it has no reading. */
static char page_entry(uint32_t cp)
{
    uint32_t page = cp >> GJ_PINYIN_PAGE_BITS;
    size_t lo = 0, hi = GJ_PINYIN_PAGE_COUNT;

    if (page > gj_pinyin_page_no[GJ_PINYIN_PAGE_COUNT - 1])
        return '.';
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (gj_pinyin_page_no[mid] < page)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == GJ_PINYIN_PAGE_COUNT || gj_pinyin_page_no[lo] != page)
        return '.';
    return gj_pinyin_page[lo][cp & ((1u << GJ_PINYIN_PAGE_BITS) - 1)];
}

/* The initials of a polyphonic character, NULL when not listed. */
static const char *multi_entry(uint32_t cp)
{
    size_t lo = 0, hi = GJ_PINYIN_MULTI_COUNT;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (gj_pinyin_multi[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == GJ_PINYIN_MULTI_COUNT || gj_pinyin_multi[lo].cp != cp)
        return NULL;
    return gj_pinyin_multi[lo].initials;
}

size_t gj_pinyin_char_initials(uint32_t cp, char out[8])
{
    char e = page_entry(cp);
    size_t n = 0;

    if (e >= 'a' && e <= 'z') {
        out[n++] = e;
    } else if (e >= 'A' && e <= 'Z') {
        const char *all = multi_entry(cp);
        if (all) {
            while (all[n] && n < 7) {
                out[n] = all[n];
                n++;
            }
        } else {
            out[n++] = (char)(e - 'A' + 'a'); /* not reached with a consistent table */
        }
    }
    out[n] = '\0';
    return n;
}

/* One unit of a string: a code point, or an invalid byte. Stores the
 * candidate letters of the unit in ini (NUL-terminated) and returns how
 * many: the lowercased letter or digit for ASCII alphanumerics, the
 * initials of a Han character, 0 for anything else. *next gets the start
 * of the following unit. */
static size_t next_unit(const char *p, char ini[8], const char **next)
{
    const unsigned char *s = (const unsigned char *)p;
    uint32_t cp;
    size_t len = utf8_decode(s, &cp);

    ini[0] = '\0';
    if (len == 0) {
        *next = p + 1;
        return 0;
    }
    *next = p + len;
    if (cp < 0x80) {
        char c = (char)cp;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            ini[0] = c;
            ini[1] = '\0';
            return 1;
        }
        return 0;
    }
    return gj_pinyin_char_initials(cp, ini);
}

size_t gj_pinyin_initials(const char *utf8, char *out, size_t outsz)
{
    size_t pos = 0;
    char ini[8];

    if (!out || outsz == 0)
        return 0;
    if (utf8) {
        const char *p = utf8;
        while (*p && pos + 1 < outsz) {
            if (next_unit(p, ini, &p) > 0)
                out[pos++] = ini[0];
        }
    }
    out[pos] = '\0';
    return pos;
}

/* Combinations are numbered in mixed radix, the last polyphonic character
 * varying fastest: "曾单" -> zd zs cd cs. Only the last MAX_VARYING
 * polyphonic characters can have a digit other than 0 below MAX_KEYS, so
 * those are the only ones remembered. The first key is truncated to fit like
 * gj_pinyin_initials(); further keys are only written whole. */
size_t gj_pinyin_keys(const char *utf8, char *out, size_t outsz)
{
    struct varying {
        const char *at;
        unsigned n;
        unsigned weight;
    } var[MAX_VARYING];
    size_t nvar = 0, keylen = 0, pos = 0;
    unsigned keys = 1;
    char ini[8];

    if (!out || outsz == 0)
        return 0;
    out[0] = '\0';
    if (!utf8)
        return 0;

    for (const char *p = utf8; *p;) {
        const char *at = p;
        size_t n = next_unit(p, ini, &p);
        if (n == 0)
            continue;
        keylen++;
        if (n > 1) {
            if (nvar == MAX_VARYING) {
                for (size_t i = 1; i < MAX_VARYING; i++)
                    var[i - 1] = var[i];
                nvar--;
            }
            var[nvar].at = at;
            var[nvar].n = (unsigned)n;
            nvar++;
            keys = keys * (unsigned)n > MAX_KEYS ? MAX_KEYS : keys * (unsigned)n;
        }
    }
    if (keylen == 0)
        return 0;
    for (size_t i = nvar; i-- > 0;)
        var[i].weight = i + 1 == nvar ? 1 : var[i + 1].weight * var[i + 1].n;

    for (unsigned k = 0; k < keys; k++) {
        size_t j = 0;
        if (k > 0) {
            if (pos + 1 + keylen >= outsz)
                break;
            out[pos++] = ' ';
        }
        for (const char *p = utf8; *p;) {
            const char *at = p;
            size_t d = 0;
            if (next_unit(p, ini, &p) == 0)
                continue;
            if (j < nvar && var[j].at == at) {
                d = (k / var[j].weight) % var[j].n;
                j++;
            }
            if (pos + 1 >= outsz) {
                out[pos] = '\0';
                return pos; /* the first key did not fit */
            }
            out[pos++] = ini[d];
        }
    }
    out[pos] = '\0';
    return pos;
}
