/* The form: text, password, number, money, date and choice fields. Text
 * is edited as wide characters (whole CJK input from get_wch) and the
 * cursor moves by display width. Nothing is saved until every field passes
 * its checks; errors show on the field. */
#include "../tui.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gj_form_set(struct gj_form *f, int i, const char *utf8)
{
    struct gj_field *fd = &f->fields[i];
    fd->len = 0;
    size_t n = utf8 ? strlen(utf8) : 0;
    for (size_t k = 0; k < n && fd->len < GJ_FIELD_MAX;) {
        uint32_t cp;
        size_t used = gj_utf8_decode(utf8 + k, n - k, &cp);
        if (!used)
            break;
        fd->buf[fd->len++] = (wchar_t)cp;
        k += used;
    }
    fd->buf[fd->len] = L'\0';
    fd->cursor = fd->len;
    fd->scroll = 0;
}

void gj_form_get(const struct gj_form *f, int i, char *out, size_t outsz)
{
    const struct gj_field *fd = &f->fields[i];
    size_t o = 0;
    for (int k = 0; k < fd->len; k++) {
        char enc[4];
        size_t m = gj_utf8_encode((uint32_t)fd->buf[k], enc);
        if (o + m + 1 > outsz)
            break;
        memcpy(out + o, enc, m);
        o += m;
    }
    if (outsz)
        out[o] = '\0';
    /* trim surrounding spaces */
    size_t start = 0;
    while (out[start] == ' ')
        start++;
    if (start)
        memmove(out, out + start, strlen(out + start) + 1);
    size_t end = strlen(out);
    while (end > 0 && out[end - 1] == ' ')
        out[--end] = '\0';
}

void gj_form_set_choice(struct gj_form *f, int i, const char *code)
{
    struct gj_field *fd = &f->fields[i];
    for (int k = 0; fd->choices && fd->choices[k]; k++)
        if (strcmp(fd->choices[k], code) == 0)
            fd->choice = k;
}

const char *gj_form_choice(const struct gj_form *f, int i)
{
    return f->fields[i].choices[f->fields[i].choice];
}

void gj_form_clear_errors(struct gj_form *f)
{
    for (int i = 0; i < f->n; i++)
        f->fields[i].error[0] = '\0';
    f->error[0] = '\0';
}

void gj_form_error(struct gj_form *f, const char *msg)
{
    /* Core and repo messages start with the field: "phone: ...". */
    for (int i = 0; i < f->n; i++) {
        size_t k = strlen(f->fields[i].label);
        if (strncmp(msg, f->fields[i].label, k) == 0 &&
            (msg[k] == ':' || strncmp(msg + k, "：", 3) == 0)) {
            const char *why = msg + k + (msg[k] == ':' ? 1 : 3);
            while (*why == ' ')
                why++;
            snprintf(f->fields[i].error, sizeof f->fields[i].error, "%s", why);
            f->focus = i;
            return;
        }
    }
    snprintf(f->error, sizeof f->error, "%s", msg);
}

/* The field's own checks: required, and the kind's syntax. */
static int check_field(struct gj_form *f, int i)
{
    struct gj_field *fd = &f->fields[i];
    char v[GJ_FIELD_MAX * 4 + 1];
    gj_form_get(f, i, v, sizeof v);
    struct gj_error e;
    fd->error[0] = '\0';
    if (fd->kind == GJ_F_CHOICE)
        return 1;
    if (!v[0]) {
        if (fd->required)
            snprintf(fd->error, sizeof fd->error, "%s", _("required"));
        return !fd->required;
    }
    if (fd->max_chars && fd->len > fd->max_chars) {
        snprintf(fd->error, sizeof fd->error, _("at most %d characters"), fd->max_chars);
        return 0;
    }
    int ok = 1;
    if (fd->kind == GJ_F_NUMBER) {
        for (const char *p = v; *p; p++)
            if (*p < '0' || *p > '9')
                ok = 0;
        if (!ok)
            snprintf(fd->error, sizeof fd->error, "%s", _("digits only"));
    } else if (fd->kind == GJ_F_MONEY) {
        int64_t fen;
        if (gj_money_parse(v, GJ_MONEY_ALLOW_ZERO, fd->label, &fen, &e) != GJ_OK) {
            snprintf(fd->error, sizeof fd->error, "%s", e.msg);
            ok = 0;
        }
    } else if (fd->kind == GJ_F_DATE) {
        int64_t t;
        if (gj_parse_date(v, &t, &e) != GJ_OK) {
            snprintf(fd->error, sizeof fd->error, "%s", e.msg);
            ok = 0;
        }
    }
    return ok;
}

static int field_width_cols(const struct gj_field *fd, int from, int to)
{
    int w = 0;
    for (int k = from; k < to; k++) {
        int cw = fd->kind == GJ_F_PASSWORD ? 1 : gj_cp_width((uint32_t)fd->buf[k]);
        w += cw < 0 ? 1 : cw;
    }
    return w;
}

enum gj_form_result gj_form_key(struct gj_form *f, struct gj_tui *t, gj_key key)
{
    (void)t;
    struct gj_field *fd = &f->fields[f->focus];
    enum gj_act act = gj_action_for(GJ_SC_FORM, key);
    if (fd->kind == GJ_F_CHOICE && (key == ' ' || key == -KEY_RIGHT || key == -KEY_LEFT)) {
        int n = 0;
        while (fd->choices[n])
            n++;
        fd->choice = (fd->choice + (key == -KEY_LEFT ? n - 1 : 1)) % n;
        f->dirty = 1;
        return GJ_FORM_NONE;
    }
    switch (act) {
    case GJ_ACT_NEXT_FIELD:
        check_field(f, f->focus);
        f->focus = (f->focus + 1) % f->n;
        return GJ_FORM_NONE;
    case GJ_ACT_PREV_FIELD:
        check_field(f, f->focus);
        f->focus = (f->focus + f->n - 1) % f->n;
        return GJ_FORM_NONE;
    case GJ_ACT_SAVE: {
        int all = 1, first_bad = -1;
        f->error[0] = '\0';
        for (int i = 0; i < f->n; i++)
            if (!check_field(f, i)) {
                all = 0;
                if (first_bad < 0)
                    first_bad = i;
            }
        if (!all) {
            f->focus = first_bad;
            snprintf(f->error, sizeof f->error, "%s", _("Please correct the marked fields."));
            return GJ_FORM_NONE;
        }
        return GJ_FORM_SAVE;
    }
    case GJ_ACT_CANCEL:
        return GJ_FORM_CANCEL;
    default:
        break;
    }
    if (key == '\n' || key == '\r' || key == -KEY_ENTER) {
        check_field(f, f->focus);
        f->focus = (f->focus + 1) % f->n;
        return GJ_FORM_NONE;
    }
    if (fd->kind == GJ_F_CHOICE)
        return GJ_FORM_NONE;
    if (key == -KEY_LEFT && fd->cursor > 0)
        fd->cursor--;
    else if (key == -KEY_RIGHT && fd->cursor < fd->len)
        fd->cursor++;
    else if (key == -KEY_HOME || key == 1 /* Ctrl-A */)
        fd->cursor = 0;
    else if (key == -KEY_END || key == 5 /* Ctrl-E */)
        fd->cursor = fd->len;
    else if ((key == -KEY_BACKSPACE || key == 127 || key == 8) && fd->cursor > 0) {
        memmove(&fd->buf[fd->cursor - 1], &fd->buf[fd->cursor],
                (size_t)(fd->len - fd->cursor + 1) * sizeof(wchar_t));
        fd->cursor--;
        fd->len--;
        f->dirty = 1;
    } else if (key == -KEY_DC && fd->cursor < fd->len) {
        memmove(&fd->buf[fd->cursor], &fd->buf[fd->cursor + 1],
                (size_t)(fd->len - fd->cursor) * sizeof(wchar_t));
        fd->len--;
        f->dirty = 1;
    } else if (key == 21 /* Ctrl-U */) {
        fd->len = fd->cursor = 0;
        fd->buf[0] = L'\0';
        f->dirty = 1;
    } else if (key >= ' ' && key != 127 && gj_cp_width((uint32_t)key) >= 0) {
        if (fd->len >= GJ_FIELD_MAX)
            return GJ_FORM_NONE;
        memmove(&fd->buf[fd->cursor + 1], &fd->buf[fd->cursor],
                (size_t)(fd->len - fd->cursor + 1) * sizeof(wchar_t));
        fd->buf[fd->cursor++] = (wchar_t)key;
        fd->len++;
        f->dirty = 1;
        fd->error[0] = '\0';
    }
    return GJ_FORM_NONE;
}

void gj_form_draw(struct gj_form *f, struct gj_tui *t, int top, int height)
{
    int label_w = 0;
    for (int i = 0; i < f->n; i++) {
        int w = gj_utf8_width(f->fields[i].label);
        if (w > label_w)
            label_w = w;
    }
    int x0 = 2, fx = x0 + label_w + 2;
    int fw = COLS - fx - 2;
    if (fw > 50)
        fw = 50;
    gj_put(top, x0, COLS - 4, f->title, gj_attr(t, GJ_A_TITLE));
    int y = top + 2, cur_y = -1, cur_x = -1;
    for (int i = 0; i < f->n && y < top + height - 1; i++) {
        struct gj_field *fd = &f->fields[i];
        char label[128];
        snprintf(label, sizeof label, "%s%s", fd->label, fd->required ? "*" : "");
        gj_put(y, x0, label_w + 1, label, i == f->focus ? A_BOLD : A_NORMAL);
        attr_t a = gj_attr(t, i == f->focus ? GJ_A_FIELD_ON : GJ_A_FIELD);
        gj_fill(y, fx, fw, a);
        if (fd->kind == GJ_F_CHOICE) {
            char c[160];
            snprintf(c, sizeof c, "< %s >", fd->choice_labels[fd->choice]);
            gj_put(y, fx, fw, c, a);
        } else {
            /* Keep the cursor inside the box: scroll by display width,
             * counted once (not again for each step: a 2,000-character
             * note would take millions of lookups on End). */
            if (fd->cursor < fd->scroll)
                fd->scroll = fd->cursor;
            int before_cursor = field_width_cols(fd, fd->scroll, fd->cursor);
            while (before_cursor > fw - 1 && fd->scroll < fd->cursor) {
                before_cursor -= field_width_cols(fd, fd->scroll, fd->scroll + 1);
                fd->scroll++;
            }
            char text[GJ_FIELD_MAX * 4 + 1];
            size_t o = 0;
            for (int k = fd->scroll; k < fd->len && o + 4 < sizeof text; k++) {
                if (fd->kind == GJ_F_PASSWORD) {
                    text[o++] = '*';
                    continue;
                }
                o += gj_utf8_encode((uint32_t)fd->buf[k], text + o);
            }
            text[o] = '\0';
            gj_put(y, fx, fw, text, a);
            if (i == f->focus) {
                cur_y = y;
                cur_x = fx + field_width_cols(fd, fd->scroll, fd->cursor);
            }
        }
        y += 1;
        /* The message goes beside the field when it fits, else under it. */
        if (fd->error[0]) {
            int room = COLS - (fx + fw + 1) - 1;
            if (gj_utf8_width(fd->error) <= room) {
                gj_put(y - 1, fx + fw + 1, room, fd->error, gj_attr(t, GJ_A_ERROR));
            } else if (y < top + height - 1) {
                gj_put(y, fx, COLS - fx - 1, fd->error, gj_attr(t, GJ_A_ERROR));
                y++;
            }
        }
    }
    if (f->error[0])
        gj_put(y + 1, x0, COLS - 4, f->error, gj_attr(t, GJ_A_ERROR));
    if (cur_y >= 0) {
        curs_set(1);
        move(cur_y, cur_x);
    } else {
        curs_set(0);
    }
}

/* The form takes over the screen area until it is saved or cancelled. */

int gj_form_run(struct gj_form *f, struct gj_tui *t,
                int (*save)(struct gj_form *f, struct gj_tui *t, void *ctx), void *ctx)
{
    struct gj_form *outer = gj_tui_active_form;
    gj_tui_active_form = f;
    int saved = 0;
    for (;;) {
        gj_tui_paint(t); /* the frame, with this form over the screen */
        gj_key k = gj_tui_read_key(t, -1);
        if (k == -KEY_RESIZE || k == 0)
            continue;
        if (f->pick && gj_action_for(GJ_SC_FORM, k) == GJ_ACT_PICK) {
            f->pick(f, t);
            continue;
        }
        enum gj_form_result r = gj_form_key(f, t, k);
        if (r == GJ_FORM_CANCEL) {
            if (!f->dirty ||
                gj_dialog_confirm(t, _("Cancel"), _("Discard what you typed in this form?")))
                break;
        } else if (r == GJ_FORM_SAVE) {
            gj_form_clear_errors(f);
            if (!save || save(f, t, ctx) == GJ_OK) {
                saved = 1;
                break;
            }
        }
    }
    gj_tui_active_form = outer;
    curs_set(0);
    return saved;
}
