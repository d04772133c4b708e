/* Drawing text by display width, attributes, and the colour scheme. */
#include "tui.h"

#include "guanjia/i18n.h"
#include "guanjia/utf8.h"

#include <stdlib.h>
#include <string.h>

attr_t gj_attr(const struct gj_tui *t, enum gj_attr a)
{
    if (t && t->colors) {
        switch (a) {
        case GJ_A_BAR:
            return COLOR_PAIR(1);
        case GJ_A_TAB:
            return COLOR_PAIR(1);
        case GJ_A_TAB_ON:
            return COLOR_PAIR(2) | A_BOLD;
        case GJ_A_SELECTED:
            return COLOR_PAIR(3);
        case GJ_A_ERROR:
            return COLOR_PAIR(4) | A_BOLD;
        case GJ_A_DIM:
            return A_DIM;
        case GJ_A_TITLE:
            return A_BOLD;
        case GJ_A_FIELD:
            return A_UNDERLINE;
        case GJ_A_FIELD_ON:
            return COLOR_PAIR(3);
        case GJ_A_WARN:
            return COLOR_PAIR(5) | A_BOLD;
        default:
            return A_NORMAL;
        }
    }
    /* No colour (NO_COLOR or a monochrome terminal): shapes only. */
    switch (a) {
    case GJ_A_BAR:
        return A_REVERSE;
    case GJ_A_TAB:
        return A_REVERSE;
    case GJ_A_TAB_ON:
        return A_BOLD | A_UNDERLINE;
    case GJ_A_SELECTED:
        return A_REVERSE;
    case GJ_A_ERROR:
        return A_BOLD;
    case GJ_A_DIM:
        return A_DIM;
    case GJ_A_TITLE:
        return A_BOLD;
    case GJ_A_FIELD:
        return A_UNDERLINE;
    case GJ_A_FIELD_ON:
        return A_REVERSE;
    case GJ_A_WARN:
        return A_BOLD;
    default:
        return A_NORMAL;
    }
}

int gj_put(int y, int x, int max_cols, const char *s, attr_t attr)
{
    if (max_cols <= 0 || !s || y < 0 || y >= LINES || x < 0 || x >= COLS)
        return 0;
    if (x + max_cols > COLS)
        max_cols = COLS - x;
    wchar_t buf[512];
    int n = 0, cols = 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len && n < 511;) {
        uint32_t cp;
        size_t k = gj_utf8_decode(s + i, len - i, &cp);
        if (k == 0) {
            cp = '?';
            k = 1;
        }
        int w = gj_cp_width(cp);
        if (w < 0) {
            cp = '?';
            w = 1;
        }
        if (cols + w > max_cols)
            break;
        buf[n++] = (wchar_t)cp;
        cols += w;
        i += k;
    }
    buf[n] = L'\0';
    attr_t old_attr;
    short old_pair;
    attr_get(&old_attr, &old_pair, NULL);
    attrset(attr);
    mvaddnwstr(y, x, buf, n);
    attrset(old_attr);
    return cols;
}

void gj_fill(int y, int x, int cols, attr_t attr)
{
    if (y < 0 || y >= LINES || x >= COLS || cols <= 0)
        return;
    if (x + cols > COLS)
        cols = COLS - x;
    attr_t old_attr;
    short old_pair;
    attr_get(&old_attr, &old_pair, NULL);
    attrset(attr);
    mvhline(y, x, ' ', cols);
    attrset(old_attr);
}

void gj_put_pad(int y, int x, int cols, const char *s, attr_t attr)
{
    int used = gj_put(y, x, cols, s, attr);
    gj_fill(y, x + used, cols - used, attr);
}

void gj_put_right(int y, int x, int cols, const char *s, attr_t attr)
{
    int w = gj_utf8_width(s);
    if (w > cols)
        w = cols;
    gj_fill(y, x, cols - w, attr);
    gj_put(y, x + cols - w, w, s, attr);
}

const char *const gj_channel_codes[] = {"phone", "wechat", "email", "walk_in", "other", NULL};

const char *gj_channel_label(const char *code)
{
    static const char *const labels[] = {N_("phone"), N_("WeChat"), N_("email"), N_("walk-in"),
                                         N_("other")};
    for (size_t i = 0; gj_channel_codes[i]; i++)
        if (strcmp(code, gj_channel_codes[i]) == 0)
            return _(labels[i]);
    return code;
}
