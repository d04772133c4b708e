/* The Complaints screen: the supervisor's queue (filters, deadline order,
 * overdue and escalated marked in colour and by a sign, several selected
 * and reassigned at once, the closed-loop numbers), one complaint with
 * the calming steps, the standard replies for its grade and its timeline,
 * taking a complaint, and each step of its life. The rules are
 * core/complaint_rules.c; the writes go through gj_complaint_do, one
 * transaction each. */
#include "tui.h"

#include "guanjia/clock.h"
#include "guanjia/complaint_rules.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_complaint_stats.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_replies.h"
#include "guanjia/repo_users.h"
#include "guanjia/rules_workorders.h"
#include "guanjia/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENTS   200
#define MAX_SELECTED 64
#define MAX_USERS    64

enum cview {
    CV_OPEN,
    CV_MINE,
    CV_OVERDUE,
    CV_ESCALATED,
    CV_UNACK,
    CV_REVISIT,
    CV_UNASSIGNED,
    CV_MINOR,
    CV_MODERATE,
    CV_SERIOUS,
    CV_COUNT
};
static const char *const view_msgids[CV_COUNT] = {N_("Open complaints"),
                                                  N_("Complaints I handle"),
                                                  N_("Overdue complaints"),
                                                  N_("Escalated complaints"),
                                                  N_("Complaints not yet acknowledged"),
                                                  N_("Complaints to revisit or to close"),
                                                  N_("Unassigned complaints"),
                                                  N_("Minor complaints"),
                                                  N_("Moderate complaints"),
                                                  N_("Serious complaints")};

struct picked {
    int64_t id, version;
};

struct cp_screen {
    struct gj_tui *t;
    int detail, view, summary;
    struct gj_list list;
    int list_height;
    struct gj_complaint c; /* the open complaint in the detail view */
    struct gj_complaint_event *events;
    int n_events, ev_scroll;
    struct picked selected[MAX_SELECTED];
    int n_selected;
    struct gj_complaint_stats stats;
    int stats_loaded;
};

static void filter_of(const struct cp_screen *s, struct gj_complaint_filter *f)
{
    memset(f, 0, sizeof *f);
    f->now = gj_now();
    switch (s->view) {
    case CV_MINE:
        f->assignee = s->t->user.id;
        break;
    case CV_OVERDUE:
        f->overdue = 1;
        break;
    case CV_ESCALATED:
        f->escalated = 1;
        break;
    case CV_UNACK:
        f->unacknowledged = 1;
        break;
    case CV_REVISIT:
        f->revisit = 1;
        break;
    case CV_UNASSIGNED:
        f->unassigned = 1;
        break;
    case CV_MINOR:
    case CV_MODERATE:
    case CV_SERIOUS:
        snprintf(f->grade, sizeof f->grade, "%s", gj_complaint_grades[s->view - CV_MINOR]);
        break;
    default:
        break;
    }
}

static int fetch_complaints(void *ctx, const void *anchor, int forward, int limit, void *rows,
                            int *n)
{
    struct cp_screen *s = ctx;
    struct gj_complaint_filter f;
    filter_of(s, &f);
    int64_t due = forward ? INT64_MIN : INT64_MAX, id = forward ? INT64_MIN : INT64_MAX;
    if (anchor) {
        const struct gj_complaint *a = anchor;
        due = gj_complaint_queue_due(a, f.revisit);
        id = a->id;
    }
    struct gj_error err;
    if (gj_complaint_queue(s->t->db, &f, forward, due, id, limit, rows, n, &err) != GJ_OK) {
        gj_tui_say(s->t, 1, "%s", err.msg);
        return -1;
    }
    return 0;
}

static int is_selected(const struct cp_screen *s, int64_t id)
{
    for (int i = 0; i < s->n_selected; i++)
        if (s->selected[i].id == id)
            return 1;
    return 0;
}

static int escalated(const struct gj_complaint *c)
{
    return c->level > gj_complaint_grade_level(c->grade);
}

/* "!" overdue, "^" escalated above its grade's level: signs that work
 * without colour. In the revisit view, "!" is a late revisit and "~" one
 * due today. */
static const char *mark_of(const struct cp_screen *s, const struct gj_complaint *c, int64_t now,
                           enum gj_attr *a)
{
    *a = GJ_A_NORMAL;
    if (s->view == CV_REVISIT) {
        if (c->revisited_at)
            return " "; /* revisited: waits for its root cause to close */
        if (c->revisit_due_at < now) {
            *a = GJ_A_ERROR;
            return "!";
        }
        if (c->revisit_due_at < gj_day_start(now) + 86400) {
            *a = GJ_A_WARN;
            return "~";
        }
        return " ";
    }
    if (gj_complaint_overdue(c, now)) {
        *a = GJ_A_ERROR;
        return "!";
    }
    if (escalated(c)) {
        *a = GJ_A_WARN;
        return "^";
    }
    return " ";
}

static void user_name(struct gj_db *db, int64_t id, char *out, size_t outsz)
{
    struct gj_user u;
    struct gj_error err;
    if (id && gj_user_get(db, id, &u, &err) == GJ_OK)
        snprintf(out, outsz, "%s", u.name);
    else
        snprintf(out, outsz, "%s", id ? "?" : _("unassigned"));
}

static void draw_row(void *ctx, struct gj_tui *t, const void *row, int y, int x, int width,
                     int selected)
{
    struct cp_screen *s = ctx;
    const struct gj_complaint *c = row;
    int64_t now = gj_now();
    enum gj_attr ua;
    const char *mark = mark_of(s, c, now, &ua);
    attr_t a = selected ? gj_attr(t, GJ_A_SELECTED) : gj_attr(t, ua);
    gj_fill(y, x, width, a);
    char id[24], unit[24], due[32], who[GJ_NAME_BYTES];
    snprintf(id, sizeof id, "#%lld", (long long)c->id);
    gj_unit_code_of(t->db, c->unit_id, unit, sizeof unit);
    gj_format_datetime(gj_complaint_queue_due(c, s->view == CV_REVISIT), due, sizeof due);
    user_name(t->db, c->assignee_user_id, who, sizeof who);
    gj_put(y, x, 1, mark, a | A_BOLD);
    gj_put(y, x + 1, 1, is_selected(s, c->id) ? "*" : " ", a | A_BOLD);
    gj_put(y, x + 2, 6, id, a);
    gj_put(y, x + 9, 9, unit, a);
    gj_put(y, x + 19, 8, gj_complaint_grade_label(c->grade), a);
    gj_put(y, x + 28, 10, gj_complaint_level_label(c->level), a);
    int to_close = c->revisited_at && strcmp(c->state, "resolved") == 0;
    gj_put(y, x + 39, 12, to_close ? _("to close") : gj_complaint_state_label(c->state), a);
    /* without the year: 11-29 09:50 */
    gj_put(y, x + 52, 11, strlen(due) > 5 ? due + 5 : due, a);
    gj_put(y, x + 64, 8, who, a);
    gj_put(y, x + 73, width - 74, c->subject, a);
}

/* ---- the closed-loop numbers ------------------------------------------------------------ */

static void load_stats(struct cp_screen *s)
{
    struct gj_error err;
    int64_t now = gj_now();
    /* The last twelve months. */
    if (gj_complaint_stats(s->t->db, now - 365LL * 86400, now + 1, now, &s->stats, &err) != GJ_OK) {
        gj_tui_say(s->t, 1, "%s", err.msg);
        s->stats_loaded = 0;
        return;
    }
    s->stats_loaded = 1;
}

static int percent(long long part, long long whole)
{
    return whole > 0 ? (int)((part * 100 + whole / 2) / whole) : 0;
}

static void hours(int64_t seconds, char *out, size_t outsz)
{
    snprintf(out, outsz, _("%.1f h"), (double)seconds / 3600.0);
}

/* Appends to line, keeping *len within the buffer (snprintf returns what
 * it would have written, not what it wrote). */
static void appendf(char *line, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void appendf(char *line, size_t size, size_t *len, const char *fmt, ...)
{
    if (*len >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(line + *len, size - *len, fmt, ap);
    va_end(ap);
    if (w > 0)
        *len = *len + (size_t)w < size ? *len + (size_t)w : size - 1;
}

static int draw_summary(struct cp_screen *s, struct gj_tui *t, int y, int bottom)
{
    const struct gj_complaint_stats *st = &s->stats;
    attr_t title = gj_attr(t, GJ_A_TITLE);
    char line[1024], a[32], b[32];
    snprintf(line, sizeof line, _("The last 12 months: %lld complaints"), (long long)st->total);
    gj_put(y++, 1, COLS - 2, line, title);
    snprintf(line, sizeof line, _("By grade: minor %lld · moderate %lld · serious %lld"),
             (long long)st->by_grade[0], (long long)st->by_grade[1], (long long)st->by_grade[2]);
    gj_put(y++, 2, COLS - 3, line, A_NORMAL);
    size_t len = (size_t)snprintf(line, sizeof line, "%s", _("By category:"));
    for (int i = 0; i < GJ_CSTATS_CATEGORIES && len < sizeof line - 64; i++)
        if (st->by_category[i])
            appendf(line, sizeof line, &len, " %s %lld",
                    gj_complaint_category_label(gj_cstats_category_codes[i]),
                    (long long)st->by_category[i]);
    gj_put(y++, 2, COLS - 3, line, A_NORMAL);
    len = (size_t)snprintf(line, sizeof line, "%s", _("By month:"));
    for (int i = 0; i < st->n_months && len < sizeof line - 32; i++)
        appendf(line, sizeof line, &len, " %s:%lld", st->months[i].label + 5,
                (long long)st->months[i].count);
    gj_put(y++, 2, COLS - 3, line, A_NORMAL);
    hours(st->ack_mean_s, a, sizeof a);
    hours(st->resolve_mean_s, b, sizeof b);
    snprintf(
        line, sizeof line,
        _("On time: %d%% (%lld of %lld resolved)   Mean time to acknowledge %s, to resolve %s"),
        percent(st->on_time, st->resolved), (long long)st->on_time, (long long)st->resolved, a, b);
    gj_put(y++, 2, COLS - 3, line, A_NORMAL);
    snprintf(line, sizeof line, _("Satisfaction from revisits: %.1f of 5 (%lld revisits)"),
             st->revisited ? (double)st->satisfaction_sum / (double)st->revisited : 0.0,
             (long long)st->revisited);
    gj_put(y++, 2, COLS - 3, line, A_NORMAL);
    len = (size_t)snprintf(line, sizeof line, "%s", _("Repeat complainants (3+ in 90 days):"));
    for (int i = 0; i < st->n_repeats && len < sizeof line - 40; i++)
        appendf(line, sizeof line, &len, " %s×%lld", st->repeats[i].unit_code,
                (long long)st->repeats[i].count);
    if (st->n_repeats == 0)
        appendf(line, sizeof line, &len, " %s", _("none"));
    gj_put(y++, 2, COLS - 3, line, st->n_repeats ? gj_attr(t, GJ_A_WARN) : A_NORMAL);
    len = (size_t)snprintf(line, sizeof line, "%s", _("Top root causes:"));
    for (int i = 0; i < st->n_causes && len < sizeof line - 64; i++) {
        char cause[61]; /* cut at a character, not inside one */
        gj_text_copy(cause, sizeof cause, st->causes[i].text);
        appendf(line, sizeof line, &len, "%s %s ×%lld", i ? " ·" : "", cause,
                (long long)st->causes[i].count);
    }
    if (st->n_causes == 0)
        appendf(line, sizeof line, &len, " %s", _("none recorded"));
    if (y < bottom)
        gj_put(y++, 2, COLS - 3, line, A_NORMAL);
    return y;
}

static void draw_queue(struct cp_screen *s, struct gj_tui *t, int top, int height)
{
    int summary_rows = s->summary && s->stats_loaded ? 9 : 0;
    if (summary_rows > height - 6)
        summary_rows = height - 6 > 0 ? height - 6 : 0;
    int h = height - 3 - summary_rows;
    if (h < 1)
        h = 1;
    if (h != s->list_height) {
        s->list_height = h;
        gj_list_refresh(&s->list, h);
    }
    int y = top;
    if (summary_rows)
        y = draw_summary(s, t, top + 1, top + summary_rows) - 1;
    char title[512];
    const char *marks =
        s->view == CV_REVISIT ? _("! late, ~ due today") : _("! overdue, ^ escalated, * selected");
    if (s->n_selected)
        snprintf(title, sizeof title, _("%s by deadline — %s — %d selected"),
                 _(view_msgids[s->view]), marks, s->n_selected);
    else
        snprintf(title, sizeof title, _("%s by deadline — %s"), _(view_msgids[s->view]), marks);
    gj_put(y + 1, 1, COLS - 2, title, gj_attr(t, GJ_A_DIM));
    attr_t hdr = gj_attr(t, GJ_A_TITLE);
    gj_put(y + 2, 2, 6, _("No."), hdr);
    gj_put(y + 2, 9, 9, _("Unit"), hdr);
    gj_put(y + 2, 19, 8, _("Grade"), hdr);
    gj_put(y + 2, 28, 10, _("Level"), hdr);
    gj_put(y + 2, 39, 12, _("State"), hdr);
    gj_put(y + 2, 52, 11, s->view == CV_REVISIT ? _("Revisit due") : _("Deadline"), hdr);
    gj_put(y + 2, 64, 8, _("Handler"), hdr);
    gj_put(y + 2, 73, COLS - 74, _("Subject"), hdr);
    gj_list_draw(&s->list, t, y + 3, 0, h, COLS);
    if (s->list.n == 0)
        gj_put(y + 3, 2, COLS - 3, _("Nothing in this view."), gj_attr(t, GJ_A_DIM));
    curs_set(0);
}

/* ---- one complaint ---------------------------------------------------------------------- */

static int load_complaint(struct cp_screen *s, int64_t id)
{
    struct gj_error err;
    if (gj_complaint_get(s->t->db, id, &s->c, &err) != GJ_OK ||
        gj_complaint_events(s->t->db, id, 0, MAX_EVENTS, s->events, &s->n_events, &err) != GJ_OK) {
        gj_tui_say(s->t, 1, "%s", err.msg);
        return -1;
    }
    return 0;
}

static const char *event_label(const char *kind)
{
    static const char *const codes[] = {"created",   "acknowledged", "regraded",  "assigned",
                                        "escalated", "resolved",     "revisited", "reopened",
                                        "closed",    "note",         NULL};
    static const char *const msgids[] = {
        N_("registered"), N_("acknowledged"), N_("regraded"), N_("reassigned"), N_("escalated"),
        N_("resolved"),   N_("revisited"),    N_("reopened"), N_("closed"),     N_("note")};
    for (int i = 0; codes[i]; i++)
        if (strcmp(kind, codes[i]) == 0)
            return _(msgids[i]);
    return kind;
}

static void draw_complaint(struct cp_screen *s, struct gj_tui *t, int top, int height)
{
    const struct gj_complaint *c = &s->c;
    int64_t now = gj_now();
    int bottom = top + height;
    char unit[24], line[1024], who[GJ_NAME_BYTES], ack[32], res[32];
    gj_unit_code_of(t->db, c->unit_id, unit, sizeof unit);
    struct gj_person p;
    struct gj_error err;
    const char *owner = "";
    if (c->person_id && gj_person_get(t->db, c->person_id, &p, &err) == GJ_OK)
        owner = p.name;
    enum gj_attr ua;
    const char *mark = mark_of(s, c, now, &ua);
    int y = top;
    snprintf(line, sizeof line, "%s #%lld  %s %s · %s · %s · %s", mark, (long long)c->id, unit,
             owner, gj_complaint_grade_label(c->grade), gj_complaint_level_label(c->level),
             gj_complaint_state_label(c->state));
    gj_put(y++, 1, COLS - 2, line, A_BOLD | gj_attr(t, ua));
    snprintf(line, sizeof line, "%s · %s · %s", gj_complaint_category_label(c->category),
             gj_channel_label(c->channel), c->subject);
    gj_put(y++, 1, COLS - 2, line, A_NORMAL);
    gj_put(y++, 1, COLS - 2, c->detail, A_NORMAL);
    gj_format_datetime(c->ack_due_at, ack, sizeof ack);
    gj_format_datetime(c->resolve_due_at, res, sizeof res);
    user_name(t->db, c->assignee_user_id, who, sizeof who);
    snprintf(line, sizeof line, _("Acknowledge by %s%s · resolve by %s · handled by %s"), ack,
             c->acknowledged_at ? _(" (done)") : "", res, who);
    gj_put(y++, 1, COLS - 2, line, gj_attr(t, ua));
    int64_t next = gj_complaint_next_deadline(c, now);
    if (next) {
        char when[32];
        gj_format_datetime(next, when, sizeof when);
        snprintf(line, sizeof line, _("Climbs to %s at %s unless done"),
                 gj_complaint_level_label(c->level + 1), when);
        gj_put(y++, 1, COLS - 2, line, gj_attr(t, GJ_A_DIM));
    }
    if (c->resolved_at) {
        snprintf(line, sizeof line, _("Done: %s → %s"), c->action_taken, c->result);
        gj_put(y++, 1, COLS - 2, line, A_NORMAL);
        if (c->root_cause[0] || c->corrective_action[0]) {
            snprintf(line, sizeof line, _("Root cause: %s · corrective action: %s"), c->root_cause,
                     c->corrective_action);
            gj_put(y++, 1, COLS - 2, line, A_NORMAL);
        }
        char due[32];
        gj_format_datetime(c->revisit_due_at, due, sizeof due);
        if (c->revisited_at)
            snprintf(line, sizeof line, _("Revisit: rated %d/5 %s"), c->satisfaction,
                     c->revisit_comment);
        else
            snprintf(line, sizeof line, _("Revisit due by %s"), due);
        gj_put(y++, 1, COLS - 2, line,
               !c->revisited_at && c->revisit_due_at < now && strcmp(c->state, "resolved") == 0
                   ? gj_attr(t, GJ_A_ERROR)
                   : A_NORMAL);
    }
    /* Help in the moment: how to calm the owner, and what to say. */
    if (gj_complaint_state_is_open(c->state) && y + 5 < bottom) {
        gj_put(y++, 1, COLS - 2, _("Calming steps (情绪疏导)"), gj_attr(t, GJ_A_TITLE));
        gj_put(y++, 3, COLS - 4,
               _("1 listen · 2 acknowledge the feeling · 3 apologise · 4 explain · 5 commit to a "
                 "time"),
               A_NORMAL);
        struct gj_reply replies[2];
        int n = 0;
        if (gj_replies_list(t->db, c->grade, 0, replies, 2, &n, &err) == GJ_OK)
            for (int i = 0; i < n && y < bottom - 2; i++) {
                snprintf(line, sizeof line, "“%s”", replies[i].text);
                gj_put(y++, 3, COLS - 4, line, gj_attr(t, GJ_A_DIM));
            }
    }
    y++;
    if (y >= bottom)
        return;
    int rows = bottom - y - 1;
    if (s->ev_scroll > s->n_events - rows)
        s->ev_scroll = s->n_events - rows > 0 ? s->n_events - rows : 0;
    char head[128];
    if (s->n_events > rows)
        snprintf(head, sizeof head, _("Timeline (%d–%d of %d, Up/Down scroll)"), s->ev_scroll + 1,
                 s->ev_scroll + rows, s->n_events);
    else
        snprintf(head, sizeof head, "%s", _("Timeline"));
    gj_put(y++, 1, COLS - 2, head, gj_attr(t, GJ_A_TITLE));
    for (int i = s->ev_scroll; i < s->n_events && y < bottom; i++) {
        const struct gj_complaint_event *e = &s->events[i];
        char when[32], name[GJ_NAME_BYTES], what[256];
        gj_format_datetime(e->at, when, sizeof when);
        if (e->user_id)
            user_name(t->db, e->user_id, name, sizeof name);
        else
            snprintf(name, sizeof name, "%s", _("system"));
        if (strcmp(e->kind, "escalated") == 0)
            snprintf(what, sizeof what, "%s → %s (%s)", event_label(e->kind),
                     gj_complaint_level_label(e->to_level), gj_complaint_reason_label(e->reason));
        else
            snprintf(what, sizeof what, "%s", event_label(e->kind));
        int esc = strcmp(e->kind, "escalated") == 0;
        gj_put(y, 2, 16, when, A_NORMAL);
        gj_put(y, 19, 8, name, A_NORMAL);
        int w = gj_put(y, 28, COLS - 29, what, esc ? gj_attr(t, GJ_A_ERROR) : A_NORMAL);
        gj_put(y++, 29 + w, COLS - 30 - w, e->note, gj_attr(t, GJ_A_DIM));
    }
    curs_set(0);
}

/* ---- forms ------------------------------------------------------------------------------ */

struct labels {
    const char *channel[8], *category[12], *grade[4], *rating[6];
};

static void fill_labels(struct labels *l)
{
    /* Each array keeps its last slot for the NULL end. */
    for (int i = 0; gj_channel_codes[i] && i < 7; i++)
        l->channel[i] = gj_channel_label(gj_channel_codes[i]);
    for (int i = 0; gj_complaint_categories[i] && i < 11; i++)
        l->category[i] = gj_complaint_category_label(gj_complaint_categories[i]);
    for (int i = 0; gj_complaint_grades[i] && i < 3; i++)
        l->grade[i] = gj_complaint_grade_label(gj_complaint_grades[i]);
}

enum { IN_UNIT, IN_CHANNEL, IN_SUBJECT, IN_CATEGORY, IN_GRADE, IN_DETAIL, IN_COUNT };

static int save_intake(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct cp_screen *s = ctx;
    struct gj_error err;
    struct gj_complaint c;
    memset(&c, 0, sizeof c);
    char typed[128];
    gj_form_get(f, IN_UNIT, typed, sizeof typed);
    int rc = gj_find_unit(t->db, typed, &c.unit_id, &c.person_id, &err);
    snprintf(c.channel, sizeof c.channel, "%s", gj_form_choice(f, IN_CHANNEL));
    gj_form_get(f, IN_SUBJECT, c.subject, sizeof c.subject);
    snprintf(c.category, sizeof c.category, "%s", gj_form_choice(f, IN_CATEGORY));
    snprintf(c.grade, sizeof c.grade, "%s", gj_form_choice(f, IN_GRADE));
    gj_form_get(f, IN_DETAIL, c.detail, sizeof c.detail);
    if (rc == GJ_OK && c.person_id == 0) {
        /* Found by its code: the complaint is the owner's on record. */
        struct gj_unit_person l[8];
        int m = 0;
        if (gj_unit_persons_of_unit(t->db, c.unit_id, 8, l, &m, &err) == GJ_OK)
            for (int i = 0; i < m && !c.person_id; i++)
                if (!l[i].end_at && strcmp(l[i].relation, "owner") == 0)
                    c.person_id = l[i].person_id;
    }
    if (rc == GJ_OK)
        rc = gj_complaint_take(t->db, t->user.id, t->role, &c, &err);
    if (rc != GJ_OK) {
        gj_form_error(f, err.msg);
        return rc;
    }
    gj_tui_say(t, 0, _("Complaint #%lld registered (%s)."), (long long)c.id,
               gj_complaint_grade_label(c.grade));
    s->detail = 1;
    s->ev_scroll = 0;
    load_complaint(s, c.id);
    return GJ_OK;
}

static enum gj_handled intake_form(struct cp_screen *s, const char *unit)
{
    struct gj_tui *t = s->t;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_CREATE_COMPLAINT, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return GJ_REDRAW;
    }
    static struct labels l;
    fill_labels(&l);
    static struct gj_field fields[IN_COUNT];
    memset(fields, 0, sizeof fields);
    fields[IN_UNIT] =
        (struct gj_field){.label = _("unit"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 40};
    fields[IN_CHANNEL] = (struct gj_field){.label = _("channel"),
                                           .kind = GJ_F_CHOICE,
                                           .choices = gj_channel_codes,
                                           .choice_labels = l.channel};
    fields[IN_SUBJECT] = (struct gj_field){
        .label = _("subject"), .kind = GJ_F_TEXT, .required = 1, .max_chars = GJ_SHORT_CHARS};
    fields[IN_CATEGORY] = (struct gj_field){.label = _("category"),
                                            .kind = GJ_F_CHOICE,
                                            .choices = gj_complaint_categories,
                                            .choice_labels = l.category};
    fields[IN_GRADE] = (struct gj_field){.label = _("grade"),
                                         .kind = GJ_F_CHOICE,
                                         .choices = gj_complaint_grades,
                                         .choice_labels = l.grade};
    fields[IN_DETAIL] = (struct gj_field){
        .label = _("detail"), .kind = GJ_F_TEXT, .required = 1, .max_chars = GJ_TEXT_CHARS};
    struct gj_form f = {.title = _("New complaint"), .fields = fields, .n = IN_COUNT};
    if (unit) {
        gj_form_set(&f, IN_UNIT, unit);
        f.focus = IN_CHANNEL;
        f.dirty = 0;
    }
    return gj_form_run(&f, t, save_intake, s) ? GJ_RELOAD : GJ_REDRAW;
}

enum gj_handled gj_complaints_take(struct gj_tui *t, const char *unit_code)
{
    int i;
    struct cp_screen *s = gj_tui_screen_state(t, &complaints_screen, &i);
    if (!s)
        return GJ_DONE;
    enum gj_handled h = intake_form(s, unit_code);
    if (s->detail)
        t->current = i;
    return h;
}

enum gj_handled gj_complaints_open(struct gj_tui *t, int64_t id)
{
    int i;
    struct cp_screen *s = gj_tui_screen_state(t, &complaints_screen, &i);
    if (!s)
        return GJ_DONE;
    if (load_complaint(s, id) == 0) {
        s->detail = 1;
        s->ev_scroll = 0;
        t->current = i;
    }
    return GJ_REDRAW;
}

/* F2 in a complaint's form: a standard reply suited to its grade. */
static const struct cp_screen *pick_for;

static void pick_reply(struct gj_form *f, struct gj_tui *t)
{
    if (pick_for)
        gj_pick_reply(f, t, pick_for->c.grade);
}

static int run_step(struct cp_screen *s, struct gj_complaint_step *step, struct gj_error *err)
{
    int rc = gj_complaint_do(s->t->db, s->t->user.id, s->t->role, &s->c, step, err);
    /* After a conflict, show their version: the next step starts from it. */
    if (rc == GJ_OK || rc == GJ_ECONFLICT)
        load_complaint(s, s->c.id);
    return rc;
}

static void say_done(struct cp_screen *s)
{
    gj_tui_say(s->t, 0, _("Complaint #%lld: %s (%s)."), (long long)s->c.id,
               gj_complaint_state_label(s->c.state), gj_complaint_level_label(s->c.level));
}

struct step_ctx {
    struct cp_screen *s;
    const char *event;
};

static int save_step(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct step_ctx *sc = ctx;
    static char a[GJ_FIELD_MAX * 4 + 1], b[GJ_FIELD_MAX * 4 + 1], c[GJ_FIELD_MAX * 4 + 1],
        d[GJ_FIELD_MAX * 4 + 1];
    a[0] = b[0] = c[0] = d[0] = '\0';
    struct gj_complaint_step step = {.event = sc->event};
    struct gj_error err;
    int rc;
    if (strcmp(sc->event, "note") == 0) {
        gj_form_get(f, 0, a, sizeof a);
        struct gj_complaint_event ev;
        memset(&ev, 0, sizeof ev);
        ev.complaint_id = sc->s->c.id;
        ev.from_level = ev.to_level = -1;
        snprintf(ev.kind, sizeof ev.kind, "%s", "note");
        snprintf(ev.note, sizeof ev.note, "%s", a);
        rc = gj_require(t->role, GJ_ACTION_CREATE_COMPLAINT, &err);
        if (rc == GJ_OK && !gj_text_present(a))
            rc = gj_err(&err, GJ_EINVAL, "%s", _("note: write something"));
        if (rc == GJ_OK)
            rc = gj_complaint_event_add(t->db, t->user.id, &ev, &err);
        if (rc == GJ_OK)
            load_complaint(sc->s, sc->s->c.id);
    } else {
        if (strcmp(sc->event, "regrade") == 0) {
            step.grade = gj_form_choice(f, 0);
            gj_form_get(f, 1, a, sizeof a);
            step.note = a;
        } else if (strcmp(sc->event, "resolve") == 0) {
            gj_form_get(f, 0, a, sizeof a);
            gj_form_get(f, 1, b, sizeof b);
            gj_form_get(f, 2, c, sizeof c);
            gj_form_get(f, 3, d, sizeof d);
            step.action_taken = a;
            step.result = b;
            step.root_cause = c;
            step.corrective = d;
        } else if (strcmp(sc->event, "revisit") == 0) {
            step.satisfaction = 5 - f->fields[0].choice;
            gj_form_get(f, 1, a, sizeof a);
            step.note = a;
        } else if (strcmp(sc->event, "close") == 0) {
            gj_form_get(f, 0, c, sizeof c);
            gj_form_get(f, 1, d, sizeof d);
            step.root_cause = c;
            step.corrective = d;
        }
        rc = run_step(sc->s, &step, &err);
    }
    if (rc != GJ_OK)
        gj_form_error(f, err.msg);
    else if (strcmp(sc->event, "note") == 0)
        gj_tui_say(t, 0, _("Note added to complaint #%lld."), (long long)sc->s->c.id);
    else
        say_done(sc->s);
    return rc;
}

static enum gj_handled step_form(struct cp_screen *s, const char *event)
{
    struct gj_tui *t = s->t;
    static struct gj_field fields[4];
    memset(fields, 0, sizeof fields);
    static struct labels l;
    fill_labels(&l);
    struct gj_form f = {.fields = fields, .n = 1, .pick = pick_reply};
    const struct gj_complaint *c = &s->c;
    if (strcmp(event, "regrade") == 0) {
        fields[0] = (struct gj_field){.label = _("grade"),
                                      .kind = GJ_F_CHOICE,
                                      .choices = gj_complaint_grades,
                                      .choice_labels = l.grade};
        fields[1] = (struct gj_field){
            .label = _("reason"), .kind = GJ_F_TEXT, .required = 1, .max_chars = GJ_REASON_CHARS};
        f.n = 2;
        f.title = _("Change the grade");
    } else if (strcmp(event, "resolve") == 0) {
        fields[0] = (struct gj_field){.label = _("action taken"),
                                      .kind = GJ_F_TEXT,
                                      .required = 1,
                                      .max_chars = GJ_TEXT_CHARS};
        fields[1] = (struct gj_field){
            .label = _("result"), .kind = GJ_F_TEXT, .required = 1, .max_chars = GJ_TEXT_CHARS};
        fields[2] = (struct gj_field){
            .label = _("root cause"), .kind = GJ_F_TEXT, .max_chars = GJ_TEXT_CHARS};
        fields[3] = (struct gj_field){
            .label = _("corrective action"), .kind = GJ_F_TEXT, .max_chars = GJ_TEXT_CHARS};
        f.n = 4;
        f.title = _("Resolve the complaint");
    } else if (strcmp(event, "revisit") == 0) {
        static const char *const stars[] = {"5", "4", "3", "2", "1", NULL};
        static const char *const star_msgids[] = {N_("5 very satisfied"), N_("4 satisfied"),
                                                  N_("3 acceptable"), N_("2 dissatisfied"),
                                                  N_("1 very dissatisfied")};
        for (int i = 0; i < 5; i++)
            l.rating[i] = _(star_msgids[i]);
        l.rating[5] = NULL;
        fields[0] = (struct gj_field){.label = _("satisfaction"),
                                      .kind = GJ_F_CHOICE,
                                      .choices = stars,
                                      .choice_labels = l.rating};
        fields[1] =
            (struct gj_field){.label = _("comment"), .kind = GJ_F_TEXT, .max_chars = GJ_NOTE_CHARS};
        f.n = 2;
        f.title = _("Revisit (回访): the owner's rating");
    } else if (strcmp(event, "close") == 0) {
        int needed = strcmp(c->grade, "minor") != 0;
        fields[0] = (struct gj_field){.label = _("root cause"),
                                      .kind = GJ_F_TEXT,
                                      .required = needed,
                                      .max_chars = GJ_TEXT_CHARS};
        fields[1] = (struct gj_field){.label = _("corrective action"),
                                      .kind = GJ_F_TEXT,
                                      .required = needed,
                                      .max_chars = GJ_TEXT_CHARS};
        f.n = 2;
        f.title = _("Close the complaint");
    } else {
        fields[0] = (struct gj_field){
            .label = _("note"), .kind = GJ_F_TEXT, .required = 1, .max_chars = GJ_TEXT_CHARS};
        f.title = _("Note (F2: a standard reply)");
    }
    struct gj_form *fp = &f;
    if (strcmp(event, "regrade") == 0)
        gj_form_set_choice(fp, 0, c->grade);
    if (strcmp(event, "close") == 0) {
        gj_form_set(fp, 0, c->root_cause);
        gj_form_set(fp, 1, c->corrective_action);
        f.dirty = 0;
    }
    struct step_ctx sc = {s, event};
    pick_for = s;
    gj_form_run(&f, t, save_step, &sc);
    pick_for = NULL;
    return GJ_RELOAD;
}

static enum gj_handled acknowledge(struct cp_screen *s)
{
    struct gj_complaint_step step = {.event = "acknowledge"};
    struct gj_error err;
    if (run_step(s, &step, &err) != GJ_OK)
        gj_tui_say(s->t, 1, "%s", err.msg);
    else
        say_done(s);
    return GJ_RELOAD;
}

/* Reassigns the selected complaints (or the one under the cursor, or the
 * open one) to someone picked from the users, in one transaction. */
static enum gj_handled reassign(struct cp_screen *s)
{
    struct gj_tui *t = s->t;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_REASSIGN_COMPLAINT, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return GJ_REDRAW;
    }
    struct picked target[MAX_SELECTED];
    int n = 0;
    if (s->detail) {
        target[n++] = (struct picked){s->c.id, s->c.meta.version};
    } else if (s->n_selected) {
        memcpy(target, s->selected, (size_t)s->n_selected * sizeof *target);
        n = s->n_selected;
    } else {
        const struct gj_complaint *c = gj_list_selected(&s->list);
        if (!c)
            return GJ_DONE;
        target[n++] = (struct picked){c->id, c->meta.version};
    }
    static struct gj_user users[MAX_USERS];
    int m = 0;
    if (gj_users_list(t->db, "", MAX_USERS, users, &m, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return GJ_REDRAW;
    }
    static char names[MAX_USERS][GJ_NAME_BYTES + 48];
    const char *items[MAX_USERS];
    int64_t ids[MAX_USERS];
    int k = 0;
    for (int i = 0; i < m; i++) {
        enum gj_role r;
        if (!users[i].active || gj_role_parse(users[i].role, &r) != GJ_OK || r == GJ_ROLE_TRAINEE)
            continue;
        snprintf(names[k], sizeof names[k], "%s (%s)", users[i].name, gj_role_label(r));
        items[k] = names[k];
        ids[k++] = users[i].id;
    }
    char title[128];
    snprintf(title, sizeof title, _("Reassign %d complaint(s) to"), n);
    int chosen = gj_dialog_pick(t, title, items, k);
    if (chosen < 0)
        return GJ_REDRAW;
    struct gj_complaint *rows = calloc((size_t)n, sizeof *rows);
    int rc = rows ? GJ_OK : gj_err(&err, GJ_ENOMEM, "%s", _("out of memory"));
    for (int i = 0; rc == GJ_OK && i < n; i++) {
        rc = gj_complaint_get(t->db, target[i].id, &rows[i], &err);
        /* As the supervisor saw it: someone else's change since is refused. */
        rows[i].meta.version = target[i].version;
    }
    if (rc == GJ_OK)
        rc = gj_complaint_assign_many(t->db, t->user.id, t->role, rows, n, ids[chosen], NULL, &err);
    free(rows);
    if (rc != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
    } else {
        gj_tui_say(t, 0, _("%d complaint(s) now with %s."), n, names[chosen]);
        s->n_selected = 0;
    }
    if (s->detail)
        load_complaint(s, s->c.id);
    return GJ_RELOAD;
}

static void toggle_selected(struct cp_screen *s)
{
    const struct gj_complaint *c = gj_list_selected(&s->list);
    if (!c)
        return;
    for (int i = 0; i < s->n_selected; i++)
        if (s->selected[i].id == c->id) {
            s->selected[i] = s->selected[--s->n_selected];
            return;
        }
    if (s->n_selected < MAX_SELECTED)
        s->selected[s->n_selected++] = (struct picked){c->id, c->meta.version};
    else
        gj_tui_say(s->t, 1, _("At most %d complaints at once."), MAX_SELECTED);
}

/* ---- the screen ------------------------------------------------------------------------- */

static void *cp_open(struct gj_tui *t)
{
    struct cp_screen *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->t = t;
    s->events = calloc(MAX_EVENTS, sizeof *s->events);
    if (!s->events) {
        free(s);
        return NULL;
    }
    struct gj_list_source src = {.ctx = s,
                                 .row_size = sizeof(struct gj_complaint),
                                 .fetch = fetch_complaints,
                                 .draw_row = draw_row};
    gj_list_init(&s->list, &src);
    s->list_height = LINES - 6 > 1 ? LINES - 6 : 1;
    gj_list_reload(&s->list, s->list_height);
    return s;
}

static void cp_close(void *state)
{
    struct cp_screen *s = state;
    if (!s)
        return;
    gj_list_free(&s->list);
    free(s->events);
    free(s);
}

static void cp_draw(void *state, struct gj_tui *t, int top, int height)
{
    struct cp_screen *s = state;
    if (s->detail)
        draw_complaint(s, t, top + 1, height - 1);
    else
        draw_queue(s, t, top, height);
}

static enum gj_handled pick_view(struct cp_screen *s)
{
    const char *items[CV_COUNT];
    for (int i = 0; i < CV_COUNT; i++)
        items[i] = _(view_msgids[i]);
    int sel = s->view;
    gj_key k = gj_dialog_pick_keys(s->t, _("Show"), items, CV_COUNT, &sel,
                                   _("Up/Down choose   Enter take   Esc cancel"), NULL);
    if (k != '\n')
        return GJ_REDRAW;
    s->view = sel;
    gj_list_reload(&s->list, s->list_height);
    return GJ_REDRAW;
}

static enum gj_handled detail_key(struct cp_screen *s, gj_key k)
{
    switch (gj_action_for(GJ_SC_CP_DETAIL, k)) {
    case GJ_ACT_BACK:
    case GJ_ACT_QUIT:
        s->detail = 0;
        gj_list_refresh(&s->list, s->list_height);
        return GJ_REDRAW;
    case GJ_ACT_UP:
        if (s->ev_scroll > 0)
            s->ev_scroll--;
        return GJ_REDRAW;
    case GJ_ACT_DOWN:
        if (s->ev_scroll + 1 < s->n_events)
            s->ev_scroll++;
        return GJ_REDRAW;
    case GJ_ACT_CP_ACK:
        return acknowledge(s);
    case GJ_ACT_CP_REGRADE:
        return step_form(s, "regrade");
    case GJ_ACT_CP_RESOLVE:
        return step_form(s, "resolve");
    case GJ_ACT_CP_REVISIT:
        return step_form(s, "revisit");
    case GJ_ACT_CP_CLOSE:
        return step_form(s, "close");
    case GJ_ACT_CP_NOTE:
        return step_form(s, "note");
    case GJ_ACT_CP_ASSIGN:
        return reassign(s);
    default:
        return GJ_PASS;
    }
}

static enum gj_handled cp_key(void *state, struct gj_tui *t, gj_key k)
{
    struct cp_screen *s = state;
    (void)t;
    if (s->detail)
        return detail_key(s, k);
    enum gj_act act = gj_action_for(GJ_SC_CP_LIST, k);
    switch (act) {
    case GJ_ACT_UP:
    case GJ_ACT_DOWN:
    case GJ_ACT_PGUP:
    case GJ_ACT_PGDN:
    case GJ_ACT_HOME:
    case GJ_ACT_END:
        gj_list_move(&s->list, act, s->list_height);
        return GJ_REDRAW;
    case GJ_ACT_OPEN: {
        struct gj_complaint *c = gj_list_selected(&s->list);
        if (c && load_complaint(s, c->id) == 0) {
            s->detail = 1;
            s->ev_scroll = 0;
        }
        return GJ_REDRAW;
    }
    case GJ_ACT_CP_NEW:
        return intake_form(s, NULL);
    case GJ_ACT_CP_VIEW:
        return pick_view(s);
    case GJ_ACT_CP_SELECT: {
        struct gj_error err;
        if (gj_require(s->t->role, GJ_ACTION_REASSIGN_COMPLAINT, &err) != GJ_OK) {
            gj_tui_say(s->t, 1, "%s", err.msg);
            return GJ_REDRAW;
        }
        toggle_selected(s);
        gj_list_move(&s->list, GJ_ACT_DOWN, s->list_height);
        return GJ_REDRAW;
    }
    case GJ_ACT_CP_ASSIGN:
        return reassign(s);
    case GJ_ACT_CP_SUMMARY:
        s->summary = !s->summary;
        if (s->summary)
            load_stats(s);
        return GJ_REDRAW;
    case GJ_ACT_REPLIES:
        gj_replies_editor(s->t);
        return GJ_REDRAW;
    default:
        return GJ_PASS;
    }
}

static void cp_reload(void *state)
{
    struct cp_screen *s = state;
    gj_list_refresh(&s->list, s->list_height);
    if (s->detail)
        load_complaint(s, s->c.id);
    if (s->summary)
        load_stats(s);
}

static unsigned cp_scope(void *state)
{
    struct cp_screen *s = state;
    return s->detail ? GJ_SC_CP_DETAIL : GJ_SC_CP_LIST;
}

static const char *cp_probe(void *state, const char *what)
{
    struct cp_screen *s = state;
    if (strcmp(what, "view") == 0)
        return s->detail ? "detail" : (s->view == CV_OVERDUE ? "overdue" : "queue");
    return NULL;
}

const struct screen_ops complaints_screen = {
    .name = "complaints",
    .title = N_("Complaints"),
    .open = cp_open,
    .close = cp_close,
    .draw = cp_draw,
    .key = cp_key,
    .scope = cp_scope,
    .reload = cp_reload,
    .probe = cp_probe,
};
