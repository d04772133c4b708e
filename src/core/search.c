/* Classifying what the butler typed into the Owners search box. */
#include "guanjia/search.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "guanjia/phone.h"
#include "guanjia/utf8.h"

/* Longer input cannot be a name, a phone or a unit code. */
#define TYPED_MAX  1024
#define ROOM_MIN   101
#define ROOM_MAX   99999
#define ROOM_CHARS 5
#define BLDG_MAX   999
#define ENTR_MAX   99

struct cursor {
    const char *p, *end;
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int take(struct cursor *c, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(c->end - c->p) >= n && memcmp(c->p, word, n) == 0) {
        c->p += n;
        return 1;
    }
    return 0;
}

static void skip_spaces(struct cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
}

/* '-' (full-width dashes are ASCII by now), en dash, em dash. */
static int take_dash(struct cursor *c)
{
    return take(c, "-") || take(c, "\xE2\x80\x93") || take(c, "\xE2\x80\x94");
}

/* A run of digits: its start and length (0 when none). */
static size_t take_digits(struct cursor *c, const char **start)
{
    *start = c->p;
    while (c->p < c->end && is_digit(*c->p))
        c->p++;
    return (size_t)(c->p - *start);
}

/* The value of n digits (n small enough not to overflow). */
static int number(const char *d, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (d[i] - '0');
    return v;
}

/* Copies s without surrounding spaces into out, full-width ASCII forms
 * (U+FF01..U+FF5E) as ASCII and U+3000 as a space. 0 when s is too long or
 * not valid UTF-8. */
static int normalize(const char *s, char *out, size_t outsz)
{
    size_t n = strlen(s), o = 0;
    if (n >= outsz)
        return 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = gj_utf8_decode(s + i, n - i, &cp);
        if (len == 0)
            return 0;
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            out[o++] = (char)(cp - 0xFF01 + 0x21);
        } else if (cp == 0x3000 || cp == '\t') {
            out[o++] = ' ';
        } else {
            memcpy(out + o, s + i, len);
            o += len;
        }
        i += len;
    }
    out[o] = '\0';
    size_t a = 0;
    while (out[a] == ' ')
        a++;
    while (o > a && out[o - 1] == ' ')
        o--;
    memmove(out, out + a, o - a);
    out[o - a] = '\0';
    return 1;
}

/* The rooms whose number starts with the digits d[0..n): for each length
 * from n (at least 3) to 5, the block of numbers with that start. n == 0
 * means every room; exact means only the room d itself. */
static void room_ranges(const char *d, size_t n, int exact, struct gj_search_query *q)
{
    q->n_rooms = 0;
    if (n == 0) {
        q->rooms[q->n_rooms++] = (struct gj_search_rooms){ROOM_MIN, ROOM_MAX};
        return;
    }
    if (n > ROOM_CHARS || d[0] == '0')
        return;
    memcpy(q->room, d, n);
    q->room[n] = '\0';
    int p = number(d, n);
    int scale = 1;
    for (size_t len = n; len < 3; len++)
        scale *= 10;
    for (size_t len = n < 3 ? 3 : n; len <= ROOM_CHARS; len++, scale *= 10) {
        int lo = p * scale, hi = (p + 1) * scale - 1;
        if (lo < ROOM_MIN)
            lo = ROOM_MIN;
        if (hi > ROOM_MAX)
            hi = ROOM_MAX;
        if (lo <= hi)
            q->rooms[q->n_rooms++] = (struct gj_search_rooms){lo, hi};
        if (exact)
            break;
    }
}

/* A unit code, whole or partly typed (see search.h). Returns 1 and fills
 * q (zeroed) when s has the shape of one, else 0. Room numbers out of
 * range leave q->kinds 0: nothing to look up. */
static int parse_unit(const char *s, struct gj_search_query *q)
{
    struct cursor c = {s, s + strlen(s)};
    const char *b, *e, *r;
    size_t nb, ne, nr;
    int dashed;

    nb = take_digits(&c, &b);
    if (nb == 0 || b[0] == '0')
        return 0;
    skip_spaces(&c);
    if (take_dash(&c))
        dashed = 1;
    else if (take(&c, "栋") || take(&c, "幢") || take(&c, "号楼") || take(&c, "号"))
        dashed = 0;
    else
        return 0;
    if (nb > 3) /* "1380-": a phone; "1000栋": no such building */
        return !dashed;
    skip_spaces(&c);
    q->building = number(b, nb);
    q->entrance = 0;
    ne = take_digits(&c, &e);
    if (ne == 0) {
        if (c.p != c.end)
            return 0;
        room_ranges("", 0, 0, q); /* "3-": the whole building */
        goto done;
    }
    if (e[0] == '0' || ne > ROOM_CHARS)
        return 0;
    skip_spaces(&c);
    if (ne >= 3) { /* "3-501", "3栋501": a room, any entrance */
        if (take(&c, "室"))
            skip_spaces(&c);
        if (c.p != c.end)
            return 0;
        room_ranges(e, ne, 0, q);
        goto done;
    }
    q->entrance = number(e, ne);
    if (c.p == c.end) {
        room_ranges("", 0, 0, q);
        goto done;
    }
    if (dashed ? !take_dash(&c) : !(take(&c, "单元") || take(&c, "单")))
        return 0;
    skip_spaces(&c);
    nr = take_digits(&c, &r);
    if (nr == 0) {
        if (c.p != c.end)
            return 0;
        room_ranges("", 0, 0, q);
        goto done;
    }
    skip_spaces(&c);
    if (take(&c, "室"))
        skip_spaces(&c);
    if (c.p != c.end)
        return 0;
    if (r[0] == '0')
        return 0;
    room_ranges(r, nr, 0, q);

done:
    if (q->building >= 1 && q->building <= BLDG_MAX && q->entrance <= ENTR_MAX && q->n_rooms > 0)
        q->kinds = GJ_SEARCH_UNIT;
    return 1;
}

/* The start of a phone number in its stored form: a landline gets its
 * dash once the area code is complete (010 and 02x have 3 digits, the
 * others 4), as gj_phone_normalize writes it. */
static void phone_prefix(const char *d, size_t n, struct gj_search_query *q)
{
    size_t area = 0, o = 0;
    if (d[0] == '0')
        area = n >= 2 && (d[1] == '1' || d[1] == '2') ? 3 : 4;
    for (size_t i = 0; i < n && o + 1 < sizeof q->phone; i++) {
        if (area && i == area)
            q->phone[o++] = '-';
        if (o + 1 < sizeof q->phone)
            q->phone[o++] = d[i];
    }
    q->phone[o] = '\0';
    memcpy(q->digits, d, n);
    q->digits[n] = '\0';
    q->kinds |= GJ_SEARCH_PHONE_PREFIX;
}

/* A whole valid phone number: PHONE with its canonical form. */
static int whole_phone(const char *s, struct gj_search_query *q)
{
    char canonical[32];
    if (gj_phone_normalize(s, canonical, sizeof canonical, NULL, NULL) != GJ_OK ||
        strlen(canonical) >= sizeof q->phone)
        return 0;
    memcpy(q->phone, canonical, strlen(canonical) + 1);
    q->kinds |= GJ_SEARCH_PHONE;
    return 1;
}

/* Only digits, n of them. */
static void classify_digits(const char *d, size_t n, struct gj_search_query *q)
{
    if (n > 13)
        return;
    if (n == 4) {
        memcpy(q->digits, d, n + 1);
        q->kinds |= GJ_SEARCH_LAST4;
    }
    if (d[0] == '0') { /* a landline being typed */
        phone_prefix(d, n, q);
        /* Once complete, its stored form is the prefix itself: PHONE looks
         * it up exactly (archived persons too), PHONE_PREFIX finds nothing
         * more. */
        if (n >= 11)
            whole_phone(d, q);
        return;
    }
    if (n <= 3) {
        room_ranges(d, n, 0, q);
        q->kinds |= GJ_SEARCH_ROOM;
    } else if (n == 4) {
        room_ranges(d, n, 1, q);
        q->kinds |= GJ_SEARCH_ROOM;
    } else if (n <= 10) {
        phone_prefix(d, n, q);
    } else {
        whole_phone(d, q);
    }
}

/* Digits with spaces, dashes, brackets, a leading +86: a phone as people
 * write it. 0 when s has anything else or no digit. */
static int classify_phone_text(const char *s, struct gj_search_query *q)
{
    char d[32];
    size_t n = 0;
    const char *p = s;
    if (*p == '+')
        p++;
    for (; *p; p++) {
        if (is_digit(*p)) {
            if (n + 1 >= sizeof d)
                return 1; /* too long for a phone: nothing */
            d[n++] = *p;
        } else if (*p != ' ' && *p != '-' && *p != '(' && *p != ')') {
            return 0;
        }
    }
    if (n == 0)
        return 0;
    d[n] = '\0';
    if (whole_phone(s, q))
        return 1;
    const char *digits = d;
    if (s[0] == '+') {
        if (n < 2 || d[0] != '8' || d[1] != '6')
            return 1; /* not a mainland number: nothing */
        digits += 2;
        n -= 2;
    }
    if (n > 0 && n <= 12)
        phone_prefix(digits, n, q);
    return 1;
}

/* ASCII letters (then letters and digits) and spaces: pinyin initials. */
static int classify_letters(const char *s, struct gj_search_query *q)
{
    size_t n = 0;
    if (!is_alpha(s[0]))
        return 0;
    for (const char *p = s; *p; p++)
        if (!is_alpha(*p) && !is_digit(*p) && *p != ' ')
            return 0;
    for (const char *p = s; *p; p++) {
        if (*p == ' ')
            continue;
        if (n + 1 >= sizeof q->letters)
            return 1; /* longer than any key: nothing */
        char c = *p;
        q->letters[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    q->letters[n] = '\0';
    q->kinds |= GJ_SEARCH_INITIALS;
    return 1;
}

/* The typed text without surrounding spaces, as the name to look for. */
static void classify_name(const char *typed, struct gj_search_query *q)
{
    const char *p = typed, *end = typed + strlen(typed);
    for (;;) {
        if (p < end && (*p == ' ' || *p == '\t'))
            p++;
        else if (end - p >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0)
            p += 3;
        else
            break;
    }
    for (;;) {
        if (end > p && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        else if (end - p >= 3 && memcmp(end - 3, "\xE3\x80\x80", 3) == 0)
            end -= 3;
        else
            break;
    }
    size_t n = (size_t)(end - p);
    if (n == 0 || n >= sizeof q->text)
        return;
    memcpy(q->text, p, n);
    q->text[n] = '\0';
    if (gj_utf8_len(q->text) > GJ_NAME_CHARS) {
        q->text[0] = '\0';
        return;
    }
    q->kinds |= GJ_SEARCH_NAME;
}

unsigned gj_search_classify(const char *typed, struct gj_search_query *q)
{
    char s[TYPED_MAX];

    memset(q, 0, sizeof *q);
    if (!typed || !normalize(typed, s, sizeof s) || !s[0])
        return 0;

    size_t n = strspn(s, "0123456789");
    if (s[n] == '\0') {
        classify_digits(s, n, q);
        return q->kinds;
    }
    if (parse_unit(s, q))
        return q->kinds;
    memset(q, 0, sizeof *q); /* parse_unit may have filled a part */
    if (!classify_phone_text(s, q) && !classify_letters(s, q))
        classify_name(typed, q);
    return q->kinds;
}
