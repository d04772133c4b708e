/* The Work orders screen: the queue of open orders by due time (overdue
 * and due-soon marked, in colour and by a sign), an order with its
 * timeline, taking a new request, and each step of its life. The rules
 * are core/sla.c; the writes go through gj_wo_do, one transaction each. */
#include "tui.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/phone.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_settings.h"
#include "guanjia/repo_staff.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sla.h"
#include "guanjia/unitcode.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENTS  200
#define MAX_DEPTS   16
#define MAX_TARGETS 64 /* departments and their people, for dispatching */

/* The queue's views; f moves to the next. */
enum view { VIEW_ALL, VIEW_OVERDUE, VIEW_DUE_SOON, VIEW_ON_HOLD, VIEW_MINE, VIEW_COUNT };
static const char *const view_msgids[VIEW_COUNT] = {
    N_("Open work orders"), N_("Overdue work orders"), N_("Work orders due within the hour"),
    N_("Work orders on hold"), N_("Work orders I took")};

/* After the fixed views: one per open state, then one per department. */
static const char *const view_states[] = {"new", "dispatched", "in_progress"};
#define N_VIEW_STATES 3

struct wo_screen {
    struct gj_tui *t;
    int detail;
    int view; /* an enum view, or past VIEW_COUNT a state or a department */
    int n_depts;
    int64_t dept_ids[MAX_DEPTS];
    char dept_names[MAX_DEPTS][GJ_NAME_BYTES];
    struct gj_list list;
    int list_height;
    struct gj_work_order wo; /* the open order in the detail view */
    struct gj_wo_event *events;
    int n_events, ev_scroll;
};

/* Codes and their labels, for display and for choice fields. */
static const char *const category_codes[] = {"repair",  "cleaning",   "landscaping", "security",
                                             "enquiry", "suggestion", "other",       NULL};
static const char *const category_msgids[] = {N_("repair"),   N_("cleaning"), N_("landscaping"),
                                              N_("security"), N_("enquiry"),  N_("suggestion"),
                                              N_("other")};
static const char *const priority_codes[] = {"urgent", "high", "normal", "low", NULL};
static const char *const priority_msgids[] = {N_("urgent"), N_("high"), N_("normal"), N_("low")};
static const char *const event_codes[] = {
    "created",          "dispatched",       "started",   "held",   "resumed",  "resolved",
    "closed",           "reopened",         "cancelled", "chased", "promised", "note",
    "respond_breached", "resolve_breached", NULL};
static const char *const event_msgids[] = {N_("taken"),
                                           N_("dispatched"),
                                           N_("started"),
                                           N_("put on hold"),
                                           N_("resumed"),
                                           N_("resolved"),
                                           N_("closed"),
                                           N_("reopened"),
                                           N_("cancelled"),
                                           N_("chased by the owner"),
                                           N_("time promised"),
                                           N_("note"),
                                           N_("response overdue"),
                                           N_("resolution overdue")};
static const char *const hold_codes[] = {"parts", "owner", "other", NULL};

static const char *label(const char *code, const char *const *codes, const char *const *msgids)
{
    for (int i = 0; codes[i]; i++)
        if (strcmp(code, codes[i]) == 0)
            return _(msgids[i]);
    return code;
}

static void labels(const char *const *msgids, int n, const char **out)
{
    for (int i = 0; i < n; i++)
        out[i] = _(msgids[i]);
    out[n] = NULL;
}

/* ---- the queue ----------------------------------------------------------------------- */

/* The current view as the repository's filter. */
static struct gj_wo_view view_filter(const struct wo_screen *w, int64_t now)
{
    struct gj_wo_view v = {.now = now};
    if (w->view >= VIEW_COUNT + N_VIEW_STATES)
        v.department_id = w->dept_ids[w->view - VIEW_COUNT - N_VIEW_STATES];
    else if (w->view >= VIEW_COUNT)
        v.state = view_states[w->view - VIEW_COUNT];
    else if (w->view == VIEW_OVERDUE)
        v.when = GJ_WO_WHEN_OVERDUE;
    else if (w->view == VIEW_DUE_SOON)
        v.when = GJ_WO_WHEN_DUE_SOON;
    else if (w->view == VIEW_ON_HOLD)
        v.state = "on_hold";
    else if (w->view == VIEW_MINE)
        v.created_by = w->t->user.id;
    return v;
}

/* A page of the current view, read straight into the list's rows. */
static int fetch_orders(void *ctx, const void *anchor, int forward, int limit, void *rows, int *n)
{
    struct wo_screen *w = ctx;
    int64_t due = forward ? INT64_MIN : INT64_MAX, id = forward ? INT64_MIN : INT64_MAX;
    if (anchor) {
        due = gj_wo_queue_due((const struct gj_work_order *)anchor);
        id = ((const struct gj_work_order *)anchor)->id;
    }
    struct gj_wo_view v = view_filter(w, gj_now());
    struct gj_error err;
    if (gj_wo_list_view(w->t->db, &v, due, id, forward, limit, rows, n, &err) != GJ_OK) {
        gj_tui_say(w->t, 1, "%s", err.msg);
        return -1;
    }
    return 0;
}

/* "!" overdue, "~" due within the hour: a sign that works without colour. */
static const char *urgency_mark(const struct gj_work_order *wo, int64_t now, enum gj_attr *a)
{
    if (gj_wo_overdue(wo, now)) {
        *a = GJ_A_ERROR;
        return "!";
    }
    if (gj_wo_due_soon(wo, now)) {
        *a = GJ_A_WARN;
        return "~";
    }
    *a = GJ_A_NORMAL;
    return " ";
}

static void draw_order_row(void *ctx, struct gj_tui *t, const void *row, int y, int x, int width,
                           int selected)
{
    struct wo_screen *w = ctx;
    const struct gj_work_order *wo = row;
    int64_t now = gj_now();
    enum gj_attr ua;
    const char *mark = urgency_mark(wo, now, &ua);
    attr_t a = selected ? gj_attr(t, GJ_A_SELECTED) : gj_attr(t, ua);
    gj_fill(y, x, width, a);
    char id[24], unit[24], due[32];
    snprintf(id, sizeof id, "#%lld", (long long)wo->id);
    gj_unit_code_of(w->t->db, wo->unit_id, unit, sizeof unit);
    gj_format_datetime(gj_wo_resolve_deadline(wo, now), due, sizeof due);
    gj_put(y, x, 1, mark, a | A_BOLD);
    gj_put(y, x + 2, 6, id, a);
    gj_put(y, x + 8, 10, unit, a);
    gj_put(y, x + 19, 7, label(wo->priority, priority_codes, priority_msgids), a);
    gj_put(y, x + 27, 12, label(wo->category, category_codes, category_msgids), a);
    gj_put(y, x + 40, 12, gj_wo_state_label(wo->state), a);
    gj_put(y, x + 53, 16, due, a);
    gj_put(y, x + 70, width - 71, wo->description, a);
}

static void draw_queue(struct wo_screen *w, struct gj_tui *t, int top, int height)
{
    int h = height - 3;
    if (h != w->list_height) {
        w->list_height = h;
        gj_list_refresh(&w->list, h);
    }
    char name[GJ_NAME_BYTES + 64];
    if (w->view >= VIEW_COUNT + N_VIEW_STATES)
        snprintf(name, sizeof name, _("Work orders of %s"),
                 w->dept_names[w->view - VIEW_COUNT - N_VIEW_STATES]);
    else if (w->view >= VIEW_COUNT)
        snprintf(name, sizeof name, _("Work orders %s"),
                 gj_wo_state_label(view_states[w->view - VIEW_COUNT]));
    else
        snprintf(name, sizeof name, "%s", _(view_msgids[w->view]));
    char title[512];
    snprintf(title, sizeof title, _("%s by due time — ! overdue, ~ due within the hour"), name);
    gj_put(top + 1, 1, COLS - 2, title, gj_attr(t, GJ_A_DIM));
    attr_t hdr = gj_attr(t, GJ_A_TITLE);
    gj_put(top + 2, 2, 6, _("Order"), hdr);
    gj_put(top + 2, 8, 10, _("Unit"), hdr);
    gj_put(top + 2, 19, 7, _("Priority"), hdr);
    gj_put(top + 2, 27, 12, _("Category"), hdr);
    gj_put(top + 2, 40, 12, _("State"), hdr);
    gj_put(top + 2, 53, 16, _("Due"), hdr);
    gj_put(top + 2, 70, COLS - 71, _("Request"), hdr);
    gj_list_draw(&w->list, t, top + 3, 0, h, COLS);
    if (w->list.n == 0)
        gj_put(top + 3, 2, COLS - 3, _("No open work orders."), gj_attr(t, GJ_A_DIM));
    curs_set(0);
}

/* ---- one order ------------------------------------------------------------------------- */

/* The timeline in time order (a breach is recorded when it is found, but
 * belongs where its deadline fell). */
static int by_time(const void *a, const void *b)
{
    const struct gj_wo_event *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->id < y->id ? -1 : (x->id > y->id);
}

static int load_order(struct wo_screen *w, int64_t id)
{
    struct gj_error err;
    if (gj_wo_get(w->t->db, id, &w->wo, &err) != GJ_OK ||
        gj_wo_events(w->t->db, id, 0, MAX_EVENTS, w->events, &w->n_events, &err) != GJ_OK) {
        gj_tui_say(w->t, 1, "%s", err.msg);
        return -1;
    }
    qsort(w->events, (size_t)w->n_events, sizeof *w->events, by_time);
    return 0;
}

static void draw_order(struct wo_screen *w, struct gj_tui *t, int top, int height)
{
    const struct gj_work_order *wo = &w->wo;
    int64_t now = gj_now();
    char unit[24], line[512], due[32], resp[32];
    gj_unit_code_of(t->db, wo->unit_id, unit, sizeof unit);
    enum gj_attr ua;
    const char *mark = urgency_mark(wo, now, &ua);
    snprintf(line, sizeof line, "#%lld  %s  %s · %s · %s", (long long)wo->id, unit,
             label(wo->priority, priority_codes, priority_msgids),
             label(wo->category, category_codes, category_msgids), gj_wo_state_label(wo->state));
    int y = top;
    gj_put(y++, 1, COLS - 2, line, A_BOLD);
    gj_put(y++, 1, COLS - 2, wo->description, A_NORMAL);
    gj_format_datetime(gj_wo_respond_deadline(wo, now), resp, sizeof resp);
    gj_format_datetime(gj_wo_resolve_deadline(wo, now), due, sizeof due);
    snprintf(line, sizeof line, _("%s respond by %s, resolve by %s"), mark, resp, due);
    gj_put(y++, 1, COLS - 2, line, gj_attr(t, ua));
    y++;
    int rows = top + height - y - 1;
    if (w->ev_scroll > w->n_events - rows)
        w->ev_scroll = w->n_events - rows > 0 ? w->n_events - rows : 0;
    char head[128];
    if (w->n_events > rows)
        snprintf(head, sizeof head, _("Timeline (%d–%d of %d, Up/Down scroll)"), w->ev_scroll + 1,
                 w->ev_scroll + rows, w->n_events);
    else
        snprintf(head, sizeof head, "%s", _("Timeline"));
    gj_put(y++, 1, COLS - 2, head, gj_attr(t, GJ_A_TITLE));
    for (int i = w->ev_scroll; i < w->n_events && y < top + height; i++) {
        const struct gj_wo_event *e = &w->events[i];
        char when[32];
        gj_format_datetime(e->at, when, sizeof when);
        gj_put(y, 2, 16, when, A_NORMAL);
        gj_put(y, 19, 20, label(e->kind, event_codes, event_msgids),
               strstr(e->kind, "breached") ? gj_attr(t, GJ_A_ERROR) : A_NORMAL);
        gj_put(y++, 40, COLS - 41, e->note, A_NORMAL);
    }
    curs_set(0);
}

/* ---- forms --------------------------------------------------------------------------- */

struct intake {
    struct wo_screen *w;
    const char *channel_labels[6], *category_labels[8], *priority_labels[5];
};

enum { IN_UNIT, IN_CHANNEL, IN_CATEGORY, IN_PRIORITY, IN_DESCRIPTION, IN_COUNT };

static int save_intake(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct intake *in = ctx;
    struct gj_error err;
    int rc = gj_require(t->role, GJ_ACTION_CREATE_WORK_ORDER, &err);
    struct gj_work_order wo;
    memset(&wo, 0, sizeof wo);
    char typed[128];
    gj_form_get(f, IN_UNIT, typed, sizeof typed);
    if (rc == GJ_OK)
        rc = gj_find_unit(t->db, typed, &wo.unit_id, &wo.person_id, &err);
    snprintf(wo.channel, sizeof wo.channel, "%s", gj_form_choice(f, IN_CHANNEL));
    snprintf(wo.category, sizeof wo.category, "%s", gj_form_choice(f, IN_CATEGORY));
    snprintf(wo.priority, sizeof wo.priority, "%s", gj_form_choice(f, IN_PRIORITY));
    gj_form_get(f, IN_DESCRIPTION, wo.description, sizeof wo.description);
    /* The deadlines come from the SLA settings for the priority. */
    struct gj_sla_target sla;
    if (rc == GJ_OK)
        rc = gj_sla_get(t->db, "work_order", wo.priority, &sla, &err);
    if (rc == GJ_OK) {
        wo.created_at = gj_now();
        gj_wo_set_deadlines(&wo, sla.respond_minutes, sla.resolve_minutes);
        rc = gj_wo_create(t->db, t->user.id, &wo, &err);
    }
    if (rc != GJ_OK) {
        gj_form_error(f, err.msg);
        return rc;
    }
    gj_tui_say(t, 0, _("Work order #%lld taken."), (long long)wo.id);
    in->w->detail = 1;
    load_order(in->w, wo.id);
    return GJ_OK;
}

static enum gj_handled intake_form(struct wo_screen *w, const char *unit)
{
    struct gj_tui *t = w->t;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_CREATE_WORK_ORDER, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return GJ_REDRAW;
    }
    struct intake in = {.w = w};
    for (int i = 0; gj_channel_codes[i]; i++)
        in.channel_labels[i] = gj_channel_label(gj_channel_codes[i]);
    labels(category_msgids, 7, in.category_labels);
    labels(priority_msgids, 4, in.priority_labels);
    static struct gj_field fields[IN_COUNT];
    memset(fields, 0, sizeof fields);
    fields[IN_UNIT] =
        (struct gj_field){.label = _("unit"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 40};
    fields[IN_CHANNEL] = (struct gj_field){.label = _("channel"),
                                           .kind = GJ_F_CHOICE,
                                           .choices = gj_channel_codes,
                                           .choice_labels = in.channel_labels};
    fields[IN_CATEGORY] = (struct gj_field){.label = _("category"),
                                            .kind = GJ_F_CHOICE,
                                            .choices = category_codes,
                                            .choice_labels = in.category_labels};
    fields[IN_PRIORITY] = (struct gj_field){.label = _("priority"),
                                            .kind = GJ_F_CHOICE,
                                            .choices = priority_codes,
                                            .choice_labels = in.priority_labels};
    fields[IN_DESCRIPTION] = (struct gj_field){
        .label = _("description"), .kind = GJ_F_TEXT, .required = 1, .max_chars = GJ_TEXT_CHARS};
    struct gj_form f = {.title = _("New work order"), .fields = fields, .n = IN_COUNT};
    gj_form_set_choice(&f, IN_PRIORITY, "normal");
    if (unit) {
        gj_form_set(&f, IN_UNIT, unit);
        f.focus = IN_CHANNEL;
        f.dirty = 0;
    }
    return gj_form_run(&f, t, save_intake, &in) ? GJ_RELOAD : GJ_REDRAW;
}

enum gj_handled gj_workorders_take(struct gj_tui *t, const char *unit_code)
{
    /* The Work orders screen takes the request and shows it. */
    int i;
    struct wo_screen *w = gj_tui_screen_state(t, &workorders_screen, &i);
    if (!w)
        return GJ_DONE;
    enum gj_handled h = intake_form(w, unit_code);
    if (w->detail)
        t->current = i;
    return h;
}

enum gj_handled gj_workorders_open(struct gj_tui *t, int64_t id)
{
    int i;
    struct wo_screen *w = gj_tui_screen_state(t, &workorders_screen, &i);
    if (!w)
        return GJ_DONE;
    if (load_order(w, id) == 0) {
        w->detail = 1;
        w->ev_scroll = 0;
        t->current = i;
    }
    return GJ_REDRAW;
}

/* One step: a small form when the step needs more than a key. */
struct step_form {
    struct wo_screen *w;
    const char *event;
    int64_t dept_ids[MAX_TARGETS], staff_ids[MAX_TARGETS];
    const char *dept_codes[MAX_TARGETS + 1];
    const char *dept_labels[MAX_TARGETS + 1];
    char dept_names[MAX_TARGETS][2 * GJ_NAME_BYTES + 8];
    char dept_keys[MAX_TARGETS][8];
    const char *hold_labels[4];
    const char *rating_codes[6];
    const char *rating_labels[6];
};

/* F2 in a step's form: a standard reply into the focused text field. */
static void pick_reply(struct gj_form *f, struct gj_tui *t)
{
    gj_pick_reply(f, t, "work_order");
}

static int run_step(struct wo_screen *w, struct gj_wo_step *step, struct gj_error *err)
{
    int rc = gj_wo_do(w->t->db, w->t->user.id, w->t->role, &w->wo, step, err);
    /* After a conflict, show their version: the next step starts from it. */
    if (rc == GJ_OK || rc == GJ_ECONFLICT)
        load_order(w, w->wo.id);
    return rc;
}

static int save_step(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct step_form *sf = ctx;
    struct gj_wo_step step = {.event = sf->event};
    char note[GJ_FIELD_MAX * 4 + 1] = "";
    if (strcmp(sf->event, "dispatch") == 0) {
        step.department_id = sf->dept_ids[f->fields[0].choice];
        step.assignee_staff_id = sf->staff_ids[f->fields[0].choice];
        snprintf(note, sizeof note, "%s", sf->dept_names[f->fields[0].choice]);
    } else if (strcmp(sf->event, "hold") == 0) {
        step.hold_reason = gj_form_choice(f, 0);
        gj_form_get(f, 1, note, sizeof note);
    } else if (strcmp(sf->event, "close") == 0) {
        step.satisfaction = 5 - f->fields[0].choice;
        gj_form_get(f, 1, note, sizeof note);
    } else if (strcmp(sf->event, "promise") == 0) {
        char when[64];
        struct gj_error perr;
        gj_form_get(f, 0, when, sizeof when);
        if (gj_parse_datetime(when, &step.promised_at, &perr) != GJ_OK) {
            snprintf(f->fields[0].error, sizeof f->fields[0].error, "%s", perr.msg);
            return GJ_EINVAL;
        }
        gj_form_get(f, 1, note, sizeof note);
    } else {
        gj_form_get(f, 0, note, sizeof note);
    }
    step.note = note;
    struct gj_error err;
    int rc = run_step(sf->w, &step, &err);
    if (rc != GJ_OK)
        gj_form_error(f, err.msg);
    else
        gj_tui_say(t, 0, _("Work order #%lld: %s."), (long long)sf->w->wo.id,
                   gj_wo_state_label(sf->w->wo.state));
    return rc;
}

static enum gj_handled step_form(struct wo_screen *w, const char *event)
{
    struct gj_tui *t = w->t;
    /* Say at once when the step cannot be taken, before any typing. */
    struct gj_error check;
    if (!gj_wo_next_state(w->wo.state, event, &check)) {
        gj_tui_say(t, 1, "%s", check.msg);
        return GJ_REDRAW;
    }
    static struct step_form sf;
    memset(&sf, 0, sizeof sf);
    sf.w = w;
    sf.event = event;
    static struct gj_field fields[2];
    memset(fields, 0, sizeof fields);
    struct gj_form f = {.fields = fields, .n = 1};
    struct gj_error err;
    if (strcmp(event, "dispatch") == 0) {
        struct gj_department d[MAX_DEPTS];
        int n = 0;
        if (gj_departments_list(t->db, "", MAX_DEPTS, d, &n, &err) != GJ_OK || n == 0) {
            gj_tui_say(t, 1, "%s", n == 0 ? _("No departments on record.") : err.msg);
            return GJ_REDRAW;
        }
        /* Each department, then each of its people: "工程维修部 · 王师傅". */
        int k = 0;
        for (int i = 0; i < n && k < MAX_TARGETS; i++) {
            if (!d[i].active)
                continue;
            sf.dept_ids[k] = d[i].id;
            sf.staff_ids[k] = 0;
            snprintf(sf.dept_names[k], sizeof sf.dept_names[k], "%s", d[i].name);
            k++;
            struct gj_staff people[16];
            int m = 0;
            if (gj_staff_list(t->db, d[i].id, NULL, 16, people, &m, &err) != GJ_OK)
                m = 0;
            for (int j = 0; j < m && k < MAX_TARGETS; j++) {
                if (!people[j].active)
                    continue;
                sf.dept_ids[k] = d[i].id;
                sf.staff_ids[k] = people[j].id;
                snprintf(sf.dept_names[k], sizeof sf.dept_names[k], "%s · %s", d[i].name,
                         people[j].name);
                k++;
            }
        }
        for (int i = 0; i < k; i++) {
            snprintf(sf.dept_keys[i], sizeof sf.dept_keys[i], "%d", i);
            sf.dept_codes[i] = sf.dept_keys[i];
            sf.dept_labels[i] = sf.dept_names[i];
        }
        sf.dept_codes[k] = NULL;
        fields[0] = (struct gj_field){.label = _("department"),
                                      .kind = GJ_F_CHOICE,
                                      .choices = sf.dept_codes,
                                      .choice_labels = sf.dept_labels};
        f.title = _("Dispatch");
    } else if (strcmp(event, "hold") == 0) {
        for (int i = 0; hold_codes[i]; i++)
            sf.hold_labels[i] = gj_wo_hold_reason_label(hold_codes[i]);
        fields[0] = (struct gj_field){.label = _("reason"),
                                      .kind = GJ_F_CHOICE,
                                      .choices = hold_codes,
                                      .choice_labels = sf.hold_labels};
        fields[1] = (struct gj_field){.label = _("note"), .kind = GJ_F_TEXT, .max_chars = 500};
        f.n = 2;
        f.title = _("Put on hold");
    } else if (strcmp(event, "promise") == 0) {
        fields[0] = (struct gj_field){
            .label = _("promised time"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 20};
        fields[1] = (struct gj_field){
            .label = _("reason"), .kind = GJ_F_TEXT, .required = 1, .max_chars = GJ_REASON_CHARS};
        f.n = 2;
        f.title = _("Promise a time (YYYY-MM-DD HH:MM)");
    } else if (strcmp(event, "close") == 0) {
        static const char *const stars[] = {"5", "4", "3", "2", "1", NULL};
        static const char *const star_msgids[] = {N_("5 very satisfied"), N_("4 satisfied"),
                                                  N_("3 acceptable"), N_("2 dissatisfied"),
                                                  N_("1 very dissatisfied")};
        for (int i = 0; i < 5; i++) {
            sf.rating_codes[i] = stars[i];
            sf.rating_labels[i] = _(star_msgids[i]);
        }
        fields[0] = (struct gj_field){.label = _("satisfaction"),
                                      .kind = GJ_F_CHOICE,
                                      .choices = sf.rating_codes,
                                      .choice_labels = sf.rating_labels};
        fields[1] = (struct gj_field){.label = _("feedback"), .kind = GJ_F_TEXT, .max_chars = 2000};
        f.n = 2;
        f.title = _("Close with the owner's feedback");
    } else {
        int required = 1;
        fields[0] = (struct gj_field){
            .label = strcmp(event, "resolve") == 0 ? _("resolution") : _("reason"),
            .kind = GJ_F_TEXT,
            .required = required,
            .max_chars = strcmp(event, "resolve") == 0 ? GJ_TEXT_CHARS : GJ_REASON_CHARS};
        f.title = strcmp(event, "resolve") == 0 ? _("Resolve") : _("Cancel the order");
    }
    f.pick = pick_reply;
    gj_form_run(&f, t, save_step, &sf);
    return GJ_RELOAD;
}

static enum gj_handled quick_step(struct wo_screen *w, const char *event)
{
    struct gj_wo_step step = {.event = event};
    struct gj_error err;
    if (run_step(w, &step, &err) != GJ_OK)
        gj_tui_say(w->t, 1, "%s", err.msg);
    else
        gj_tui_say(w->t, 0, _("Work order #%lld: %s."), (long long)w->wo.id,
                   gj_wo_state_label(w->wo.state));
    return GJ_RELOAD;
}

/* ---- the screen ------------------------------------------------------------------------ */

static void *wo_open(struct gj_tui *t)
{
    struct wo_screen *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->t = t;
    w->events = calloc(MAX_EVENTS, sizeof *w->events);
    /* The departments, for the "by department" views. */
    struct gj_department d[MAX_DEPTS];
    int n = 0;
    struct gj_error err;
    if (gj_departments_list(t->db, "", MAX_DEPTS, d, &n, &err) == GJ_OK)
        for (int i = 0; i < n; i++)
            if (d[i].active) {
                w->dept_ids[w->n_depts] = d[i].id;
                snprintf(w->dept_names[w->n_depts], sizeof w->dept_names[0], "%s", d[i].name);
                w->n_depts++;
            }
    struct gj_list_source src = {.ctx = w,
                                 .row_size = sizeof(struct gj_work_order),
                                 .fetch = fetch_orders,
                                 .draw_row = draw_order_row};
    gj_list_init(&w->list, &src);
    w->list_height = LINES - 6 > 1 ? LINES - 6 : 1;
    gj_list_reload(&w->list, w->list_height);
    return w;
}

static void wo_close(void *state)
{
    struct wo_screen *w = state;
    if (!w)
        return;
    gj_list_free(&w->list);
    free(w->events);
    free(w);
}

static void wo_draw(void *state, struct gj_tui *t, int top, int height)
{
    struct wo_screen *w = state;
    if (w->detail)
        draw_order(w, t, top + 1, height - 1);
    else
        draw_queue(w, t, top, height);
}

static enum gj_handled wo_key(void *state, struct gj_tui *t, gj_key k)
{
    struct wo_screen *w = state;
    (void)t;
    if (w->detail) {
        switch (gj_action_for(GJ_SC_WO_DETAIL, k)) {
        case GJ_ACT_BACK:
        case GJ_ACT_QUIT:
            w->detail = 0;
            gj_list_refresh(&w->list, w->list_height);
            return GJ_REDRAW;
        case GJ_ACT_UP:
            if (w->ev_scroll > 0)
                w->ev_scroll--;
            return GJ_REDRAW;
        case GJ_ACT_DOWN:
            if (w->ev_scroll + 1 < w->n_events)
                w->ev_scroll++;
            return GJ_REDRAW;
        case GJ_ACT_WO_DISPATCH:
            return step_form(w, "dispatch");
        case GJ_ACT_WO_START:
            return quick_step(w, "start");
        case GJ_ACT_WO_HOLD:
            return step_form(w, "hold");
        case GJ_ACT_WO_RESUME:
            return quick_step(w, "resume");
        case GJ_ACT_WO_RESOLVE:
            return step_form(w, "resolve");
        case GJ_ACT_WO_CLOSE:
            return step_form(w, "close");
        case GJ_ACT_WO_CANCEL:
            return step_form(w, "cancel");
        case GJ_ACT_WO_PROMISE:
            return step_form(w, "promise");
        case GJ_ACT_WO_CHASE: {
            struct gj_error err;
            if (gj_wo_chase(w->t->db, w->t->user.id, w->t->role, &w->wo, NULL, &err) != GJ_OK)
                gj_tui_say(w->t, 1, "%s", err.msg);
            else
                gj_tui_say(w->t, 0, _("Chase recorded (%d so far)."), w->wo.chase_count);
            load_order(w, w->wo.id);
            return GJ_RELOAD;
        }
        default:
            return GJ_PASS;
        }
    }
    enum gj_act act = gj_action_for(GJ_SC_WO_LIST, k);
    switch (act) {
    case GJ_ACT_UP:
    case GJ_ACT_DOWN:
    case GJ_ACT_PGUP:
    case GJ_ACT_PGDN:
    case GJ_ACT_HOME:
    case GJ_ACT_END:
        gj_list_move(&w->list, act, w->list_height);
        return GJ_REDRAW;
    case GJ_ACT_OPEN: {
        struct gj_work_order *wo = gj_list_selected(&w->list);
        if (wo && load_order(w, wo->id) == 0) {
            w->detail = 1;
            w->ev_scroll = 0;
        }
        return GJ_REDRAW;
    }
    case GJ_ACT_WO_NEW:
        return intake_form(w, NULL);
    case GJ_ACT_REPLIES:
        gj_replies_editor(w->t);
        return GJ_REDRAW;
    case GJ_ACT_WO_VIEW:
        w->view = (w->view + 1) % (VIEW_COUNT + N_VIEW_STATES + w->n_depts);
        gj_list_reload(&w->list, w->list_height);
        return GJ_REDRAW;
    default:
        return GJ_PASS;
    }
}

static void wo_refresh(void *state)
{
    struct wo_screen *w = state;
    gj_list_refresh(&w->list, w->list_height);
    if (w->detail)
        load_order(w, w->wo.id);
}

static unsigned wo_scope(void *state)
{
    struct wo_screen *w = state;
    return w->detail ? GJ_SC_WO_DETAIL : GJ_SC_WO_LIST;
}

static const char *wo_probe(void *state, const char *what)
{
    struct wo_screen *w = state;
    static char buf[64];
    if (strcmp(what, "order") == 0 && w->detail) {
        snprintf(buf, sizeof buf, "%lld %s", (long long)w->wo.id, w->wo.state);
        return buf;
    }
    return NULL;
}

const struct screen_ops workorders_screen = {
    .name = "workorders",
    .title = N_("Work orders"),
    .open = wo_open,
    .close = wo_close,
    .draw = wo_draw,
    .key = wo_key,
    .scope = wo_scope,
    .reload = wo_refresh,
    .probe = wo_probe,
};
