/* The Reports screen: one report at a time (Left/Right changes it) over a
 * range of months ([ and ] move it a month, m compares this month with the
 * last), its tables drawn with bar charts and sparklines lined up by
 * display width. The same reports are headless: guanjia report NAME. */
#include "tui.h"

#include "guanjia/charts.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT_LINES 600

struct reports {
    struct gj_tui *t;
    int which;        /* index into gj_report_names */
    int month;        /* yyyymm of the range's first month */
    int months;       /* how many months: 1 or 2 (this and the last, to compare) */
    int64_t from, to; /* a range chosen with r; 0: the months above */
    char *lines[MAX_TEXT_LINES];
    int n_lines, scroll;
    struct gj_report report;
};

static int n_reports(void)
{
    int n = 0;
    while (gj_report_names[n])
        n++;
    return n;
}

static int month_add(int yyyymm, int k)
{
    int idx = (yyyymm / 100) * 12 + (yyyymm % 100 - 1) + k;
    return (idx / 12) * 100 + idx % 12 + 1;
}

static void free_text(struct reports *r)
{
    for (int i = 0; i < r->n_lines; i++)
        free(r->lines[i]);
    r->n_lines = 0;
}

static void add_text(struct reports *r, const char *text)
{
    const char *p = text;
    while (*p && r->n_lines < MAX_TEXT_LINES) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *l = malloc(n + 1);
        if (!l)
            return;
        memcpy(l, p, n);
        l[n] = '\0';
        r->lines[r->n_lines++] = l;
        p += n + (e ? 1 : 0);
    }
}

static void load(struct reports *r)
{
    struct gj_tui *t = r->t;
    struct gj_error err;
    free_text(r);
    r->scroll = 0;
    int64_t now = gj_now();
    int64_t from = r->from ? r->from : gj_month_start(r->month);
    int64_t to = r->from ? r->to : gj_month_start(month_add(r->month, r->months));
    if (to > now + 1)
        to = now + 1;
    if (gj_require(t->role, GJ_ACTION_VIEW_REPORTS, &err) != GJ_OK ||
        gj_report_run(t->db, gj_report_names[r->which], from, to, now, &r->report, &err) != GJ_OK) {
        add_text(r, err.msg);
        return;
    }
    int bar = COLS > 100 ? 24 : 12;
    for (int i = 0; i < r->report.n_tables; i++) {
        char *text = NULL;
        if (gj_report_table_text(&r->report.tables[i], bar, 1, &text, &err) != GJ_OK) {
            add_text(r, err.msg);
            continue;
        }
        add_text(r, text);
        add_text(r, " ");
        free(text);
    }
}

static void *rp_open(struct gj_tui *t)
{
    struct reports *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->t = t;
    r->month = gj_month_of(gj_now());
    r->months = 1;
    /* Read when first shown: the reports scan a lot. */
    return r;
}

static void rp_close(void *state)
{
    struct reports *r = state;
    if (!r)
        return;
    free_text(r);
    free(r);
}

static void rp_draw(void *state, struct gj_tui *t, int top, int height)
{
    struct reports *r = state;
    if (r->n_lines == 0)
        load(r);
    char line[512], a[16], b[16];
    gj_format_month(r->month, a, sizeof a);
    gj_format_month(month_add(r->month, r->months - 1), b, sizeof b);
    if (r->from) {
        gj_format_date(r->from, a, sizeof a);
        gj_format_date(r->to - 1, b, sizeof b);
        snprintf(line, sizeof line, _("%s, %s to %s — Left/Right report, [ ] month, r range"),
                 gj_report_title(gj_report_names[r->which]), a, b);
    } else if (r->months > 1)
        snprintf(line, sizeof line, _("%s, %s to %s — Left/Right report, [ ] month, m one month"),
                 gj_report_title(gj_report_names[r->which]), a, b);
    else
        snprintf(line, sizeof line,
                 _("%s, %s — Left/Right report, [ ] month, m with the month before"),
                 gj_report_title(gj_report_names[r->which]), a);
    gj_put(top + 1, 1, COLS - 2, line, gj_attr(t, GJ_A_TITLE));
    int rows = height - 3;
    if (r->scroll > r->n_lines - rows)
        r->scroll = r->n_lines - rows > 0 ? r->n_lines - rows : 0;
    for (int i = 0; i < rows && r->scroll + i < r->n_lines; i++)
        gj_put(top + 3 + i, 2, COLS - 3, r->lines[r->scroll + i], A_NORMAL);
    curs_set(0);
}

/* r: a range of days, both included. */
static int choose_range(struct reports *r)
{
    static struct gj_field fields[2];
    memset(fields, 0, sizeof fields);
    fields[0] =
        (struct gj_field){.label = _("from"), .kind = GJ_F_DATE, .required = 1, .max_chars = 10};
    fields[1] =
        (struct gj_field){.label = _("to"), .kind = GJ_F_DATE, .required = 1, .max_chars = 10};
    struct gj_form f = {.title = _("The report's range (YYYY-MM-DD)"), .fields = fields, .n = 2};
    char v[16];
    gj_format_date(r->from ? r->from : gj_month_start(r->month), v, sizeof v);
    gj_form_set(&f, 0, v);
    gj_format_date(gj_now(), v, sizeof v);
    gj_form_set(&f, 1, v);
    f.dirty = 0;
    for (;;) {
        if (!gj_form_run(&f, r->t, NULL, NULL))
            return 0;
        int64_t from = 0, to = 0;
        struct gj_error err;
        char a[16], b[16];
        gj_form_get(&f, 0, a, sizeof a);
        gj_form_get(&f, 1, b, sizeof b);
        int bad = gj_parse_date(a, &from, &err) != GJ_OK ? 0 : -1;
        if (bad < 0 && gj_parse_date(b, &to, &err) != GJ_OK)
            bad = 1; /* the error goes on the field that has it */
        if (bad < 0) {
            to = gj_day_start(to) + 86400; /* the last day included */
            if (to > from) {
                r->from = from;
                r->to = to;
                return 1;
            }
            snprintf(f.fields[1].error, sizeof f.fields[1].error, "%s",
                     _("to: must not be before from"));
        } else {
            snprintf(f.fields[bad].error, sizeof f.fields[bad].error, "%s", err.msg);
        }
    }
}

static enum gj_handled rp_key(void *state, struct gj_tui *t, gj_key k)
{
    struct reports *r = state;
    (void)t;
    switch (gj_action_for(GJ_SC_REPORTS, k)) {
    case GJ_ACT_UP:
        if (r->scroll > 0)
            r->scroll--;
        return GJ_REDRAW;
    case GJ_ACT_DOWN:
        r->scroll++;
        return GJ_REDRAW;
    case GJ_ACT_PGDN:
        r->scroll += LINES / 2;
        return GJ_REDRAW;
    case GJ_ACT_PGUP:
        r->scroll = r->scroll > LINES / 2 ? r->scroll - LINES / 2 : 0;
        return GJ_REDRAW;
    case GJ_ACT_TR_NEXT:
        r->which = (r->which + 1) % n_reports();
        break;
    case GJ_ACT_TR_PREV:
        r->which = (r->which + n_reports() - 1) % n_reports();
        break;
    case GJ_ACT_RP_RANGE:
        if (!choose_range(r))
            return GJ_REDRAW;
        break;
    case GJ_ACT_RP_LATER:
        r->from = 0;
        if (month_add(r->month, r->months) <= gj_month_of(gj_now()))
            r->month = month_add(r->month, 1);
        break;
    case GJ_ACT_RP_EARLIER:
        r->from = 0;
        r->month = month_add(r->month, -1);
        break;
    case GJ_ACT_RP_COMPARE:
        r->from = 0;
        /* This month and the one before, side by side in the month tables. */
        if (r->months == 1) {
            r->months = 2;
            r->month = month_add(r->month, -1);
        } else {
            r->months = 1;
            r->month = month_add(r->month, 1);
        }
        break;
    default:
        return GJ_PASS;
    }
    load(r);
    return GJ_REDRAW;
}

static void rp_reload(void *state)
{
    struct reports *r = state;
    free_text(r); /* reread when next drawn */
}

static unsigned rp_scope(void *state)
{
    (void)state;
    return GJ_SC_REPORTS;
}

const struct screen_ops reports_screen = {
    .name = "reports",
    .title = N_("Reports"),
    .open = rp_open,
    .close = rp_close,
    .draw = rp_draw,
    .key = rp_key,
    .scope = rp_scope,
    .reload = rp_reload,
};
