/* Unit codes: building-entrance-room. */
#include "guanjia/unitcode.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "guanjia/i18n.h"
#include "guanjia/utf8.h"

#define BUILDING_MAX 999
#define ENTRANCE_MAX 99
#define ROOM_MIN     101
#define ROOM_MAX     99999
/* Numbers are clamped here while reading, so long digit runs cannot overflow. */
#define NUMBER_CAP 1000000

struct cursor {
    const char *p, *end;
};

/* Consumes word when the cursor is at it. */
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
    while (take(c, " ") || take(c, "\t") || take(c, "\xE3\x80\x80")) /* U+3000 */
        ;
}

static void trim_end(struct cursor *c)
{
    for (;;) {
        if (c->end > c->p && (c->end[-1] == ' ' || c->end[-1] == '\t'))
            c->end--;
        else if (c->end - c->p >= 3 && memcmp(c->end - 3, "\xE3\x80\x80", 3) == 0)
            c->end -= 3;
        else
            break;
    }
}

/* Reads a run of ASCII digits; 0 when there is none. */
static int take_number(struct cursor *c, int *value)
{
    int v = 0, any = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        v = v >= NUMBER_CAP ? NUMBER_CAP : v * 10 + (*c->p - '0');
        c->p++;
        any = 1;
    }
    *value = v;
    return any;
}

/* '-', fullwidth '－' (U+FF0D), en dash and em dash. */
static int take_dash(struct cursor *c)
{
    return take(c, "-") || take(c, "\xEF\xBC\x8D") || take(c, "\xE2\x80\x93") ||
           take(c, "\xE2\x80\x94");
}

static int take_building_word(struct cursor *c)
{
    return take(c, "栋") || take(c, "幢") || take(c, "号楼");
}

int gj_unitcode_parse(const char *s, struct gj_unitcode *out, struct gj_error *err)
{
    char shown[GJ_UTF8_EXCERPT_SZ];
    struct cursor c;
    int b = 0, e = 0, r = 0, dashed;

    if (!s)
        s = "";
    c.p = s;
    c.end = s + strlen(s);
    skip_spaces(&c);
    trim_end(&c);
    gj_utf8_excerpt(c.p, (size_t)(c.end - c.p), shown, sizeof shown);
    if (c.p == c.end)
        return gj_err(err, GJ_EINVAL, _("unit code: enter building-entrance-room, e.g. 3-2-501"));

    if (!take_number(&c, &b))
        goto shape;
    skip_spaces(&c);
    if (take_dash(&c))
        dashed = 1;
    else if (take_building_word(&c))
        dashed = 0;
    else
        goto shape;
    skip_spaces(&c);
    if (!take_number(&c, &e))
        goto shape;
    skip_spaces(&c);
    if (dashed ? !take_dash(&c) : !take(&c, "单元"))
        goto shape;
    skip_spaces(&c);
    if (!take_number(&c, &r))
        goto shape;
    skip_spaces(&c);
    if (!dashed && take(&c, "室"))
        skip_spaces(&c);
    if (c.p != c.end)
        goto shape;

    if (b < 1 || b > BUILDING_MAX)
        return gj_err(err, GJ_EINVAL, _("unit code \"%s\": the building must be 1 to %d"), shown,
                      BUILDING_MAX);
    if (e < 1 || e > ENTRANCE_MAX)
        return gj_err(err, GJ_EINVAL, _("unit code \"%s\": the entrance must be 1 to %d"), shown,
                      ENTRANCE_MAX);
    if (r < ROOM_MIN || r > ROOM_MAX)
        return gj_err(err, GJ_EINVAL,
                      _("unit code \"%s\": the room must be %d to %d (floor and door, e.g. 501)"),
                      shown, ROOM_MIN, ROOM_MAX);
    if (out) {
        out->building = b;
        out->entrance = e;
        out->room = r;
    }
    gj_err_clear(err);
    return GJ_OK;

shape:
    return gj_err(err, GJ_EINVAL, _("unit code \"%s\" needs building-entrance-room, e.g. 3-2-501"),
                  shown);
}

int gj_unitcode_floor(int room)
{
    return room / 100;
}

void gj_unitcode_format(const struct gj_unitcode *u, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return;
    if (!u) {
        out[0] = '\0';
        return;
    }
    snprintf(out, outsz, "%d-%d-%d", u->building, u->entrance, u->room);
}

void gj_unitcode_format_zh(const struct gj_unitcode *u, char *out, size_t outsz)
{
    char buf[64];
    if (!out || outsz == 0)
        return;
    if (!u) {
        out[0] = '\0';
        return;
    }
    snprintf(buf, sizeof buf, "%d栋%d单元%d", u->building, u->entrance, u->room);
    gj_utf8_truncate(buf, INT_MAX, out, outsz);
}
