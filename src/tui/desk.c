/* The Desk: the first screen after login, answering "what needs me now?":
 * what is overdue, complaints to acknowledge, revisits due, promises to pay
 * falling due, today's appointments and the open work orders by due time.
 * A butler sees their own; a supervisor or manager their team's (t
 * switches). Enter jumps to the item on its own screen. */
#include "tui.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_desk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_KIND 6

struct desk {
    struct gj_tui *t;
    int team;
    struct gj_desk_item items[GJ_DESK_KINDS * PER_KIND];
    int n, sel;
    int64_t loaded_at;
};

static const char *const kind_msgids[GJ_DESK_KINDS] = {
    [GJ_DESK_OVERDUE_ORDER] = N_("Overdue work orders"),
    [GJ_DESK_OVERDUE_COMPLAINT] = N_("Overdue complaints"),
    [GJ_DESK_TO_ACKNOWLEDGE] = N_("Complaints to acknowledge"),
    [GJ_DESK_REVISIT] = N_("Revisits due today"),
    [GJ_DESK_PROMISE] = N_("Promises to pay due today"),
    [GJ_DESK_APPOINTMENT] = N_("Appointments today"),
    [GJ_DESK_ORDER] = N_("Open work orders by due time"),
};

static void load(struct desk *d)
{
    struct gj_error err;
    struct gj_tui *t = d->t;
    if (gj_desk_items(t->db, t->user.id, d->team, gj_now(), PER_KIND, d->items, &d->n, &err) !=
        GJ_OK) {
        d->n = 0;
        gj_tui_say(t, 1, "%s", err.msg);
    }
    if (d->sel >= d->n)
        d->sel = d->n > 0 ? d->n - 1 : 0;
    d->loaded_at = gj_now();
}

static void *desk_open(struct gj_tui *t)
{
    struct desk *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->t = t;
    /* Supervisors and managers look after their team first. */
    d->team = t->role >= GJ_ROLE_SUPERVISOR;
    load(d);
    return d;
}

static void desk_close(void *state)
{
    free(state);
}

static int kinds_shown(const struct desk *d, int *count)
{
    int shown = 0;
    for (int k = 0; k < GJ_DESK_KINDS; k++)
        count[k] = 0;
    for (int i = 0; i < d->n; i++)
        count[d->items[i].kind]++;
    for (int k = 0; k < GJ_DESK_KINDS; k++)
        shown += count[k] > 0;
    return shown;
}

static void desk_draw(void *state, struct gj_tui *t, int top, int height)
{
    struct desk *d = state;
    /* Deadlines pass while the Desk stands open: reread every minute. */
    if (gj_now() - d->loaded_at >= 60)
        load(d);
    int y = top + 1, bottom = top + height;
    char line[512], when[32];
    char day[16];
    gj_format_date(gj_now(), day, sizeof day);
    snprintf(line, sizeof line,
             d->team ? _("Today %s — the team (t: only mine)")
                     : _("Today %s — mine (t: the team's)"),
             day);
    if (!gj_role_can(t->role, GJ_ACTION_REASSIGN_COMPLAINT))
        snprintf(line, sizeof line, _("Today %s — what needs you"), day);
    gj_put(y++, 1, COLS - 2, line, gj_attr(t, GJ_A_TITLE));
    int count[GJ_DESK_KINDS];
    if (kinds_shown(d, count) == 0) {
        gj_put(y + 1, 2, COLS - 3, _("Nothing is waiting. A good moment to call an owner back."),
               gj_attr(t, GJ_A_DIM));
        return;
    }
    int64_t now = gj_now();
    int last_kind = -1;
    for (int i = 0; i < d->n && y < bottom; i++) {
        const struct gj_desk_item *it = &d->items[i];
        if ((int)it->kind != last_kind) {
            if (y + 1 >= bottom)
                break;
            y++;
            gj_put(y++, 1, COLS - 2, _(kind_msgids[it->kind]),
                   gj_attr(t, it->kind <= GJ_DESK_OVERDUE_COMPLAINT ? GJ_A_ERROR : GJ_A_TITLE) |
                       A_BOLD);
            last_kind = (int)it->kind;
        }
        gj_format_datetime(it->due, when, sizeof when);
        int late = it->due && it->due < now;
        const char *ref = it->kind == GJ_DESK_PROMISE ? "" : "#";
        char id[24];
        if (it->kind == GJ_DESK_PROMISE)
            id[0] = '\0';
        else
            snprintf(id, sizeof id, "%s%lld", ref, (long long)it->id);
        attr_t a =
            i == d->sel ? gj_attr(t, GJ_A_SELECTED) : (late ? gj_attr(t, GJ_A_ERROR) : A_NORMAL);
        gj_fill(y, 1, COLS - 2, a);
        gj_put(y, 2, 1, late ? "!" : " ", a | A_BOLD);
        gj_put(y, 4, 6, id, a);
        gj_put(y, 11, 9, it->unit_code, a);
        gj_put(y, 21, 11, strlen(when) > 5 ? when + 5 : when, a); /* 11-29 09:50 */
        gj_put(y++, 33, COLS - 34, it->text, a);
    }
    curs_set(0);
}

static enum gj_handled jump(struct desk *d)
{
    if (d->sel >= d->n)
        return GJ_DONE;
    const struct gj_desk_item *it = &d->items[d->sel];
    switch (it->kind) {
    case GJ_DESK_OVERDUE_ORDER:
    case GJ_DESK_APPOINTMENT:
    case GJ_DESK_ORDER:
        return gj_workorders_open(d->t, it->id);
    case GJ_DESK_PROMISE:
        return gj_fees_open_unit(d->t, it->unit_id);
    default:
        return gj_complaints_open(d->t, it->id);
    }
}

static enum gj_handled desk_key(void *state, struct gj_tui *t, gj_key k)
{
    struct desk *d = state;
    switch (gj_action_for(GJ_SC_DESK, k)) {
    case GJ_ACT_UP:
        if (d->sel > 0)
            d->sel--;
        return GJ_REDRAW;
    case GJ_ACT_DOWN:
        if (d->sel + 1 < d->n)
            d->sel++;
        return GJ_REDRAW;
    case GJ_ACT_HOME:
        d->sel = 0;
        return GJ_REDRAW;
    case GJ_ACT_END:
        d->sel = d->n > 0 ? d->n - 1 : 0;
        return GJ_REDRAW;
    case GJ_ACT_OPEN:
        return jump(d);
    case GJ_ACT_COMMUNITY:
        gj_community_menu(t);
        load(d);
        return GJ_RELOAD;
    case GJ_ACT_DESK_TEAM:
        if (gj_role_can(t->role, GJ_ACTION_REASSIGN_COMPLAINT)) {
            d->team = !d->team;
            d->sel = 0;
            load(d);
        }
        return GJ_REDRAW;
    default:
        return GJ_PASS;
    }
}

static void desk_reload(void *state)
{
    load(state);
}

static unsigned desk_scope(void *state)
{
    (void)state;
    return GJ_SC_DESK;
}

const struct screen_ops desk_screen = {
    .name = "desk",
    .title = N_("Desk"),
    .open = desk_open,
    .close = desk_close,
    .draw = desk_draw,
    .key = desk_key,
    .scope = desk_scope,
    .reload = desk_reload,
};
