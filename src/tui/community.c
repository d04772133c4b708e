/* Community and safety (curriculum 1.1), reached from the Desk with c:
 * notices to owners, activities with sign-ups by unit, safety patrols whose
 * findings become work orders in one step, fire drills, and incidents,
 * which remind the butler of the emergency communication steps (3.3). Each
 * is a list in a dialog; n adds, Enter acts on the one chosen. */
#include "tui.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_community.h"
#include "guanjia/repo_owners.h"
#include "guanjia/rules_community.h"
#include "guanjia/unitcode.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 40

static const gj_key new_or_open[] = {'n', 0};

static void say(struct gj_tui *t, int rc, const struct gj_error *err, const char *done)
{
    if (rc == GJ_OK)
        gj_tui_say(t, 0, "%s", done);
    else
        gj_tui_say(t, 1, "%s", err->msg);
}

/* "2026-11-29 15:00" (or a date alone) from a form field into *out. */
static int when_field(struct gj_form *f, int i, int64_t *out)
{
    char v[64];
    struct gj_error err;
    gj_form_get(f, i, v, sizeof v);
    if (gj_parse_datetime(v, out, &err) == GJ_OK || gj_parse_date(v, out, &err) == GJ_OK)
        return GJ_OK;
    snprintf(f->fields[i].error, sizeof f->fields[i].error, "%s", err.msg);
    return GJ_EINVAL;
}

static int unit_field(struct gj_db *db, struct gj_form *f, int i, int64_t *unit_id)
{
    char v[64];
    gj_form_get(f, i, v, sizeof v);
    *unit_id = 0;
    if (!v[0])
        return GJ_OK;
    struct gj_unitcode c;
    struct gj_unit u;
    struct gj_error err;
    if (gj_unitcode_parse(v, &c, &err) == GJ_OK &&
        gj_unit_find_code(db, c.building, c.entrance, c.room, &u, &err) == GJ_OK) {
        *unit_id = u.id;
        return GJ_OK;
    }
    snprintf(f->fields[i].error, sizeof f->fields[i].error, "%s", err.msg);
    return GJ_EINVAL;
}

static void now_text(char *out, size_t outsz)
{
    gj_format_datetime(gj_now(), out, outsz);
}

/* ---- notices ------------------------------------------------------------------ */

enum { NO_TITLE, NO_BODY, NO_AUDIENCE, NO_WHERE, NO_FROM, NO_TO, NO_COUNT };

static int save_notice(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    (void)ctx;
    struct gj_notice n;
    memset(&n, 0, sizeof n);
    struct gj_error err;
    gj_form_get(f, NO_TITLE, n.title, sizeof n.title);
    gj_form_get(f, NO_BODY, n.body, sizeof n.body);
    snprintf(n.audience, sizeof n.audience, "%s", gj_form_choice(f, NO_AUDIENCE));
    if (when_field(f, NO_FROM, &n.valid_from) != GJ_OK ||
        when_field(f, NO_TO, &n.valid_to) != GJ_OK)
        return GJ_EINVAL;
    char where[64];
    gj_form_get(f, NO_WHERE, where, sizeof where);
    if (strcmp(n.audience, "building") == 0)
        n.building = atoi(where);
    else if (strcmp(n.audience, "unit") == 0 && unit_field(t->db, f, NO_WHERE, &n.unit_id) != GJ_OK)
        return GJ_EINVAL;
    int rc = gj_notice_create(t->db, t->user.id, t->role, &n, &err);
    if (rc != GJ_OK)
        gj_form_error(f, err.msg);
    else
        gj_tui_say(t, 0, _("Notice \"%s\" posted."), n.title);
    return rc;
}

static void notices(struct gj_tui *t)
{
    static struct gj_notice rows[MAX_ROWS];
    static char lines[MAX_ROWS][GJ_TITLE_BYTES + 96];
    const char *items[MAX_ROWS];
    int sel = 0;
    for (;;) {
        int n = 0;
        struct gj_error err;
        if (gj_notices_valid(t->db, t->role, gj_now(), 0, 0, INT64_MAX, INT64_MAX, MAX_ROWS, rows,
                             &n, &err) != GJ_OK) {
            gj_tui_say(t, 1, "%s", err.msg);
            return;
        }
        for (int i = 0; i < n; i++) {
            char to[16];
            gj_format_date(rows[i].valid_to, to, sizeof to);
            snprintf(lines[i], sizeof lines[i], _("%s · %s · until %s"), rows[i].title,
                     gj_notice_audience_label(rows[i].audience), to);
            items[i] = lines[i];
        }
        gj_key k = gj_dialog_pick_keys(t, _("Notices to owners, valid now"), items, n, &sel,
                                       _("n new   Enter withdraw   Esc back"), new_or_open);
        if (k == 27)
            return;
        if (k == 'n') {
            static const char *labels[4];
            for (int i = 0; gj_notice_audiences[i]; i++)
                labels[i] = gj_notice_audience_label(gj_notice_audiences[i]);
            static struct gj_field fields[NO_COUNT];
            memset(fields, 0, sizeof fields);
            fields[NO_TITLE] = (struct gj_field){
                .label = _("notice title"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 100};
            fields[NO_BODY] = (struct gj_field){
                .label = _("notice text"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 4000};
            fields[NO_AUDIENCE] = (struct gj_field){.label = _("audience"),
                                                    .kind = GJ_F_CHOICE,
                                                    .choices = gj_notice_audiences,
                                                    .choice_labels = labels};
            fields[NO_WHERE] = (struct gj_field){
                .label = _("building or unit"), .kind = GJ_F_TEXT, .max_chars = 20};
            fields[NO_FROM] = (struct gj_field){
                .label = _("valid from"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 20};
            fields[NO_TO] = (struct gj_field){
                .label = _("valid to"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 20};
            struct gj_form f = {.title = _("New notice"), .fields = fields, .n = NO_COUNT};
            char v[32];
            gj_format_date(gj_now(), v, sizeof v);
            gj_form_set(&f, NO_FROM, v);
            gj_format_date(gj_now() + 7 * 86400, v, sizeof v);
            gj_form_set(&f, NO_TO, v);
            f.dirty = 0;
            gj_form_run(&f, t, save_notice, NULL);
        } else if (n > 0 && gj_dialog_confirm(t, _("Withdraw"), _("Withdraw this notice?"))) {
            int rc = gj_notice_withdraw(t->db, t->user.id, t->role, &rows[sel], &err);
            say(t, rc, &err, _("Notice withdrawn."));
        }
    }
}

/* ---- activities ------------------------------------------------------------- */

enum { AC_TITLE, AC_PLACE, AC_START, AC_END, AC_CAP, AC_COUNT };

static int save_activity(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    (void)ctx;
    struct gj_activity a;
    memset(&a, 0, sizeof a);
    struct gj_error err;
    gj_form_get(f, AC_TITLE, a.title, sizeof a.title);
    gj_form_get(f, AC_PLACE, a.place, sizeof a.place);
    if (when_field(f, AC_START, &a.starts_at) != GJ_OK ||
        when_field(f, AC_END, &a.ends_at) != GJ_OK)
        return GJ_EINVAL;
    char cap[16];
    gj_form_get(f, AC_CAP, cap, sizeof cap);
    a.capacity = atoi(cap);
    int rc = gj_activity_create(t->db, t->user.id, t->role, &a, &err);
    if (rc != GJ_OK)
        gj_form_error(f, err.msg);
    else
        gj_tui_say(t, 0, _("Activity \"%s\" added."), a.title);
    return rc;
}

struct signup_ctx {
    int64_t activity_id;
};

static int save_signup(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct signup_ctx *sc = ctx;
    struct gj_signup s;
    memset(&s, 0, sizeof s);
    struct gj_error err;
    s.activity_id = sc->activity_id;
    if (unit_field(t->db, f, 0, &s.unit_id) != GJ_OK)
        return GJ_EINVAL;
    char people[16];
    gj_form_get(f, 1, people, sizeof people);
    s.people = atoi(people);
    int rc = gj_signup_add(t->db, t->user.id, t->role, &s, &err);
    if (rc != GJ_OK)
        gj_form_error(f, err.msg);
    else
        gj_tui_say(t, 0, "%s", _("Signed up."));
    return rc;
}

static void activities(struct gj_tui *t)
{
    static struct gj_activity rows[MAX_ROWS];
    static char lines[MAX_ROWS][2 * GJ_TITLE_BYTES + 96];
    const char *items[MAX_ROWS];
    int sel = 0;
    for (;;) {
        int n = 0;
        struct gj_error err;
        if (gj_activities_upcoming(t->db, t->role, gj_now(), INT64_MIN, 0, MAX_ROWS, rows, &n,
                                   &err) != GJ_OK) {
            gj_tui_say(t, 1, "%s", err.msg);
            return;
        }
        for (int i = 0; i < n; i++) {
            char when[32];
            gj_format_datetime(rows[i].starts_at, when, sizeof when);
            if (rows[i].capacity)
                snprintf(lines[i], sizeof lines[i], _("%s · %s · %s · %d of %d places taken"), when,
                         rows[i].title, rows[i].place, rows[i].signed_up, rows[i].capacity);
            else
                snprintf(lines[i], sizeof lines[i], _("%s · %s · %s · %d signed up"), when,
                         rows[i].title, rows[i].place, rows[i].signed_up);
            items[i] = lines[i];
        }
        gj_key k = gj_dialog_pick_keys(t, _("Community activities"), items, n, &sel,
                                       _("n new   Enter sign a unit up   Esc back"), new_or_open);
        if (k == 27)
            return;
        if (k == 'n') {
            static struct gj_field fields[AC_COUNT];
            memset(fields, 0, sizeof fields);
            fields[AC_TITLE] = (struct gj_field){
                .label = _("activity name"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 100};
            fields[AC_PLACE] = (struct gj_field){
                .label = _("place"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 100};
            fields[AC_START] = (struct gj_field){
                .label = _("starts"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 20};
            fields[AC_END] = (struct gj_field){
                .label = _("ends"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 20};
            fields[AC_CAP] = (struct gj_field){
                .label = _("places (0: no limit)"), .kind = GJ_F_NUMBER, .max_chars = 5};
            struct gj_form f = {.title = _("New activity"), .fields = fields, .n = AC_COUNT};
            gj_form_set(&f, AC_CAP, "0");
            f.dirty = 0;
            gj_form_run(&f, t, save_activity, NULL);
        } else if (n > 0) {
            static struct gj_field fields[2];
            memset(fields, 0, sizeof fields);
            fields[0] = (struct gj_field){
                .label = _("unit"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 20};
            fields[1] = (struct gj_field){
                .label = _("people"), .kind = GJ_F_NUMBER, .required = 1, .max_chars = 2};
            struct gj_form f = {.title = rows[sel].title, .fields = fields, .n = 2};
            gj_form_set(&f, 1, "1");
            f.dirty = 0;
            struct signup_ctx sc = {rows[sel].id};
            gj_form_run(&f, t, save_signup, &sc);
        }
    }
}

/* ---- patrols ------------------------------------------------------------------ */

static int save_patrol(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    (void)ctx;
    struct gj_patrol p;
    memset(&p, 0, sizeof p);
    struct gj_error err;
    gj_form_get(f, 0, p.route, sizeof p.route);
    int rc = gj_patrol_start(t->db, t->user.id, t->role, &p, &err);
    if (rc != GJ_OK)
        gj_form_error(f, err.msg);
    else
        gj_tui_say(t, 0, _("Patrol of %s started: add what you find."), p.route);
    return rc;
}

struct finding_ctx {
    int64_t patrol_id;
};

static int save_finding(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct finding_ctx *fc = ctx;
    struct gj_finding x;
    memset(&x, 0, sizeof x);
    struct gj_error err;
    x.patrol_id = fc->patrol_id;
    gj_form_get(f, 0, x.location, sizeof x.location);
    gj_form_get(f, 1, x.what, sizeof x.what);
    snprintf(x.severity, sizeof x.severity, "%s", gj_form_choice(f, 2));
    int rc = gj_finding_add(t->db, t->user.id, t->role, &x, &err);
    if (rc != GJ_OK)
        gj_form_error(f, err.msg);
    else
        gj_tui_say(t, 0, "%s", _("Finding recorded."));
    return rc;
}

struct order_ctx {
    int64_t finding_id;
};

static int save_order(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct order_ctx *oc = ctx;
    struct gj_error err;
    int64_t unit_id = 0, wo_id = 0;
    if (unit_field(t->db, f, 0, &unit_id) != GJ_OK)
        return GJ_EINVAL;
    int rc = gj_finding_to_work_order(t->db, t->user.id, t->role, oc->finding_id, unit_id,
                                      gj_form_choice(f, 1), NULL, &wo_id, &err);
    if (rc != GJ_OK)
        gj_form_error(f, err.msg);
    else
        gj_tui_say(t, 0, _("Work order #%lld taken from the finding."), (long long)wo_id);
    return rc;
}

static const char *const order_categories[] = {"repair",  "cleaning",   "landscaping", "security",
                                               "enquiry", "suggestion", "other",       NULL};
static const char *const order_category_msgids[] = {
    N_("repair"),  N_("cleaning"),   N_("landscaping"), N_("security"),
    N_("enquiry"), N_("suggestion"), N_("other")};

static void findings(struct gj_tui *t, struct gj_patrol *p)
{
    static struct gj_finding rows[MAX_ROWS];
    static char lines[MAX_ROWS][GJ_TITLE_BYTES + GJ_NOTE_BYTES];
    const char *items[MAX_ROWS];
    static const gj_key keys[] = {'n', 'e', 0};
    int sel = 0;
    for (;;) {
        int n = 0;
        struct gj_error err;
        if (gj_findings_list(t->db, t->role, p->id, 0, MAX_ROWS, rows, &n, &err) != GJ_OK) {
            gj_tui_say(t, 1, "%s", err.msg);
            return;
        }
        for (int i = 0; i < n; i++) {
            char order[32] = "";
            if (rows[i].work_order_id)
                snprintf(order, sizeof order, " → #%lld", (long long)rows[i].work_order_id);
            char what[121]; /* cut at a character, not inside one */
            gj_text_copy(what, sizeof what, rows[i].what);
            snprintf(lines[i], sizeof lines[i], "%s · %s · %s%s",
                     gj_finding_severity_label(rows[i].severity), rows[i].location, what, order);
            items[i] = lines[i];
        }
        char title[GJ_TITLE_BYTES + 64];
        snprintf(title, sizeof title, _("Patrol: %s"), p->route);
        gj_key k = gj_dialog_pick_keys(
            t, title, items, n, &sel,
            _("n finding   Enter make it a work order   e end the patrol   Esc back"), keys);
        if (k == 27)
            return;
        if (k == 'e') {
            int rc = gj_patrol_end(t->db, t->user.id, t->role, p, &err);
            say(t, rc, &err, _("Patrol ended."));
            return;
        }
        if (k == 'n') {
            static const char *sev[4];
            for (int i = 0; gj_finding_severities[i]; i++)
                sev[i] = gj_finding_severity_label(gj_finding_severities[i]);
            static struct gj_field fields[3];
            memset(fields, 0, sizeof fields);
            fields[0] = (struct gj_field){
                .label = _("location"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 100};
            fields[1] = (struct gj_field){
                .label = _("what"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 2000};
            fields[2] = (struct gj_field){.label = _("severity"),
                                          .kind = GJ_F_CHOICE,
                                          .choices = gj_finding_severities,
                                          .choice_labels = sev};
            struct gj_form f = {.title = _("A finding"), .fields = fields, .n = 3};
            struct finding_ctx fc = {p->id};
            gj_form_run(&f, t, save_finding, &fc);
        } else if (n > 0) {
            static const char *cl[8];
            for (int i = 0; order_categories[i]; i++)
                cl[i] = _(order_category_msgids[i]);
            static struct gj_field fields[2];
            memset(fields, 0, sizeof fields);
            fields[0] = (struct gj_field){
                .label = _("unit (empty: common parts)"), .kind = GJ_F_TEXT, .max_chars = 20};
            fields[1] = (struct gj_field){.label = _("category"),
                                          .kind = GJ_F_CHOICE,
                                          .choices = order_categories,
                                          .choice_labels = cl};
            struct gj_form f = {
                .title = _("Make the finding a work order"), .fields = fields, .n = 2};
            struct order_ctx oc = {rows[sel].id};
            gj_form_run(&f, t, save_order, &oc);
        }
    }
}

static void patrols(struct gj_tui *t)
{
    static struct gj_patrol rows[MAX_ROWS];
    static char lines[MAX_ROWS][GJ_TITLE_BYTES + 96];
    const char *items[MAX_ROWS];
    int sel = 0;
    for (;;) {
        int n = 0;
        struct gj_error err;
        if (gj_patrols_recent(t->db, t->role, INT64_MAX, INT64_MAX, MAX_ROWS, rows, &n, &err) !=
            GJ_OK) {
            gj_tui_say(t, 1, "%s", err.msg);
            return;
        }
        for (int i = 0; i < n; i++) {
            char when[32];
            gj_format_datetime(rows[i].started_at, when, sizeof when);
            snprintf(lines[i], sizeof lines[i], _("%s · %s%s · %d findings, %d work orders"), when,
                     rows[i].route, rows[i].ended_at ? "" : _(" · under way"), rows[i].findings,
                     rows[i].orders);
            items[i] = lines[i];
        }
        gj_key k =
            gj_dialog_pick_keys(t, _("Safety patrols (巡查)"), items, n, &sel,
                                _("n start a patrol   Enter its findings   Esc back"), new_or_open);
        if (k == 27)
            return;
        if (k == 'n') {
            static struct gj_field fields[1];
            memset(fields, 0, sizeof fields);
            fields[0] = (struct gj_field){
                .label = _("route"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 100};
            struct gj_form f = {.title = _("Start a patrol"), .fields = fields, .n = 1};
            gj_form_run(&f, t, save_patrol, NULL);
        } else if (n > 0) {
            findings(t, &rows[sel]);
        }
    }
}

/* ---- drills --------------------------------------------------------------------- */

static int save_drill(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    (void)ctx;
    struct gj_drill d;
    memset(&d, 0, sizeof d);
    struct gj_error err;
    snprintf(d.kind, sizeof d.kind, "%s", gj_form_choice(f, 0));
    if (when_field(f, 1, &d.held_at) != GJ_OK)
        return GJ_EINVAL;
    gj_form_get(f, 2, d.place, sizeof d.place);
    char v[16];
    gj_form_get(f, 3, v, sizeof v);
    d.participants = atoi(v);
    gj_form_get(f, 4, d.note, sizeof d.note);
    int rc = gj_drill_add(t->db, t->user.id, t->role, &d, &err);
    if (rc != GJ_OK)
        gj_form_error(f, err.msg);
    else
        gj_tui_say(t, 0, "%s", _("Drill recorded."));
    return rc;
}

static void drills(struct gj_tui *t)
{
    static struct gj_drill rows[MAX_ROWS];
    static char lines[MAX_ROWS][GJ_TITLE_BYTES + 96];
    const char *items[MAX_ROWS];
    int sel = 0;
    for (;;) {
        int n = 0;
        struct gj_error err;
        if (gj_drills_list(t->db, t->role, INT64_MAX, INT64_MAX, MAX_ROWS, rows, &n, &err) !=
            GJ_OK) {
            gj_tui_say(t, 1, "%s", err.msg);
            return;
        }
        for (int i = 0; i < n; i++) {
            char when[32];
            gj_format_datetime(rows[i].held_at, when, sizeof when);
            snprintf(lines[i], sizeof lines[i], _("%s · %s · %s · %d people"), when,
                     gj_drill_kind_label(rows[i].kind), rows[i].place, rows[i].participants);
            items[i] = lines[i];
        }
        gj_key k = gj_dialog_pick_keys(t, _("Fire drills (消防演练)"), items, n, &sel,
                                       _("n record a drill   Esc back"), new_or_open);
        if (k != 'n')
            return;
        static const char *kinds[4];
        for (int i = 0; gj_drill_kinds[i]; i++)
            kinds[i] = gj_drill_kind_label(gj_drill_kinds[i]);
        static struct gj_field fields[5];
        memset(fields, 0, sizeof fields);
        fields[0] = (struct gj_field){.label = _("kind"),
                                      .kind = GJ_F_CHOICE,
                                      .choices = gj_drill_kinds,
                                      .choice_labels = kinds};
        fields[1] = (struct gj_field){
            .label = _("held"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 20};
        fields[2] = (struct gj_field){
            .label = _("place"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 100};
        fields[3] =
            (struct gj_field){.label = _("participants"), .kind = GJ_F_NUMBER, .max_chars = 5};
        fields[4] = (struct gj_field){.label = _("note"), .kind = GJ_F_TEXT, .max_chars = 2000};
        struct gj_form f = {.title = _("Record a drill"), .fields = fields, .n = 5};
        char v[32];
        now_text(v, sizeof v);
        gj_form_set(&f, 1, v);
        gj_form_set(&f, 3, "0");
        f.dirty = 0;
        gj_form_run(&f, t, save_drill, NULL);
    }
}

/* ---- incidents -------------------------------------------------------------------- */

static void show_steps(struct gj_tui *t)
{
    static char text[2048];
    size_t len = 0;
    for (int i = 0; gj_incident_steps[i] && len < sizeof text - 256; i++) {
        int w = snprintf(text + len, sizeof text - len, "%d. %s\n", i + 1, _(gj_incident_steps[i]));
        if (w > 0) /* never past the buffer, even when cut */
            len = len + (size_t)w < sizeof text ? len + (size_t)w : sizeof text - 1;
    }
    gj_dialog_message(t, _("In an emergency (3.3)"), text);
}

static int save_incident(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct gj_incident *edit = ctx;
    struct gj_incident i;
    memset(&i, 0, sizeof i);
    if (edit)
        i = *edit;
    struct gj_error err;
    gj_form_get(f, 0, i.what, sizeof i.what);
    if (when_field(f, 1, &i.happened_at) != GJ_OK)
        return GJ_EINVAL;
    gj_form_get(f, 2, i.place, sizeof i.place);
    gj_form_get(f, 3, i.actions, sizeof i.actions);
    gj_form_get(f, 4, i.informed, sizeof i.informed);
    int rc = edit ? gj_incident_record(t->db, t->user.id, t->role, &i, &err)
                  : gj_incident_open(t->db, t->user.id, t->role, &i, &err);
    if (rc != GJ_OK)
        gj_form_error(f, err.msg);
    else
        gj_tui_say(t, 0, "%s", edit ? _("Incident updated.") : _("Incident recorded."));
    return rc;
}

static void incident_form(struct gj_tui *t, struct gj_incident *edit)
{
    static struct gj_field fields[5];
    memset(fields, 0, sizeof fields);
    fields[0] = (struct gj_field){
        .label = _("what happened"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 4000};
    fields[1] =
        (struct gj_field){.label = _("when"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 20};
    fields[2] =
        (struct gj_field){.label = _("place"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 100};
    fields[3] =
        (struct gj_field){.label = _("actions taken"), .kind = GJ_F_TEXT, .max_chars = 4000};
    fields[4] =
        (struct gj_field){.label = _("who was informed"), .kind = GJ_F_TEXT, .max_chars = 2000};
    struct gj_form f = {
        .title = edit ? _("The incident") : _("A new incident"), .fields = fields, .n = 5};
    char v[32];
    if (edit) {
        gj_form_set(&f, 0, edit->what);
        gj_format_datetime(edit->happened_at, v, sizeof v);
        gj_form_set(&f, 1, v);
        gj_form_set(&f, 2, edit->place);
        gj_form_set(&f, 3, edit->actions);
        gj_form_set(&f, 4, edit->informed);
    } else {
        now_text(v, sizeof v);
        gj_form_set(&f, 1, v);
    }
    f.dirty = 0;
    gj_form_run(&f, t, save_incident, edit);
}

static void incidents(struct gj_tui *t)
{
    static struct gj_incident rows[MAX_ROWS];
    static char lines[MAX_ROWS][256];
    const char *items[MAX_ROWS];
    static const gj_key keys[] = {'n', 'x', 0};
    int sel = 0;
    for (;;) {
        int n = 0;
        struct gj_error err;
        if (gj_incidents_list(t->db, t->role, 0, 0, INT64_MAX, INT64_MAX, MAX_ROWS, rows, &n,
                              &err) != GJ_OK) {
            gj_tui_say(t, 1, "%s", err.msg);
            return;
        }
        for (int i = 0; i < n; i++) {
            char when[32], what[81]; /* cut at a character, not inside one */
            gj_format_datetime(rows[i].happened_at, when, sizeof when);
            gj_text_copy(what, sizeof what, rows[i].what);
            snprintf(lines[i], sizeof lines[i], "%s %s · %s · %s",
                     rows[i].closed_at ? _("closed") : _("OPEN"), when, rows[i].place, what);
            items[i] = lines[i];
        }
        gj_key k =
            gj_dialog_pick_keys(t, _("Incidents (突发事件), open first"), items, n, &sel,
                                _("n new   Enter record actions   x close   Esc back"), keys);
        if (k == 27)
            return;
        if (k == 'n') {
            show_steps(t); /* first the steps, then the record */
            incident_form(t, NULL);
        } else if (k == 'x' && n > 0) {
            static struct gj_field fields[1];
            memset(fields, 0, sizeof fields);
            fields[0] =
                (struct gj_field){.label = _("closing note"), .kind = GJ_F_TEXT, .max_chars = 2000};
            struct gj_form f = {.title = _("Close the incident"), .fields = fields, .n = 1};
            if (gj_form_run(&f, t, NULL, NULL)) {
                char note[GJ_NOTE_BYTES];
                gj_form_get(&f, 0, note, sizeof note);
                int rc = gj_incident_close(t->db, t->user.id, t->role, &rows[sel], note, &err);
                say(t, rc, &err, _("Incident closed."));
            }
        } else if (n > 0) {
            show_steps(t);
            incident_form(t, &rows[sel]);
        }
    }
}

/* ---- the menu ------------------------------------------------------------------- */

void gj_community_menu(struct gj_tui *t)
{
    const char *items[] = {_("Notices to owners"), _("Community activities"),
                           _("Safety patrols (巡查)"), _("Fire drills (消防演练)"),
                           _("Incidents (突发事件)")};
    int sel = 0;
    for (;;) {
        gj_key k = gj_dialog_pick_keys(t, _("Community and safety"), items, 5, &sel,
                                       _("Up/Down choose   Enter open   Esc back"), NULL);
        if (k != '\n')
            return;
        switch (sel) {
        case 0:
            notices(t);
            break;
        case 1:
            activities(t);
            break;
        case 2:
            patrols(t);
            break;
        case 3:
            drills(t);
            break;
        default:
            incidents(t);
            break;
        }
    }
}
