/* Management reports: the tables of each report, read in one snapshot. */
#include "guanjia/repo_reports.h"

#include "repo_internal.h"
#include "guanjia/clock.h"
#include "guanjia/complaint_rules.h"
#include "guanjia/i18n.h"
#include "guanjia/ranks.h"
#include "guanjia/repo_complaint_stats.h"
#include "guanjia/repo_fee_reports.h"
#include "guanjia/repo_ranks.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY         INT64_C(86400)
#define REPEAT_DAYS 90 /* the repeat complainants' window, before `to` */
#define REPEAT_MIN  3  /* complaints that make a unit a repeat one */
/* Reports cover 1970 to the end of 9999. */
#define EPOCH_MAX INT64_C(253402300799)

const char *const gj_report_names[] = {"workorders", "complaints", "fees",
                                       "channels",   "training",   NULL};

static const char *const report_titles[] = {
    N_("Work orders: volume and SLA"), N_("Complaints: the closed loop"),
    N_("Fees: billing and collection"), N_("Request channels"),
    N_("Training: trainees and butlers")};

static int report_index(const char *name)
{
    for (int i = 0; name && gj_report_names[i]; i++)
        if (strcmp(name, gj_report_names[i]) == 0)
            return i;
    return -1;
}

const char *gj_report_title(const char *name)
{
    int i = report_index(name);
    return i < 0 ? NULL : _(report_titles[i]);
}

/* ---- building tables ------------------------------------------------------ */

/* A new table with n column names (msgids, translated here). */
static struct gj_report_table *table_new(struct gj_report *r, const char *title, int chart_col,
                                         int spark, int n, const char *const *cols)
{
    /* Every report has fewer tables and columns than there is room for. */
    struct gj_report_table *t =
        &r->tables[r->n_tables < GJ_REPORT_MAX_TABLES ? r->n_tables++ : r->n_tables - 1];
    if (n > GJ_REPORT_MAX_COLS)
        n = GJ_REPORT_MAX_COLS;
    memset(t, 0, sizeof *t);
    gj_text_copy(t->title, sizeof t->title, title);
    t->n_cols = n;
    for (int c = 0; c < n; c++)
        gj_text_copy(t->cols[c], sizeof t->cols[c], _(cols[c]));
    t->chart_col = chart_col;
    t->spark = spark;
    return t;
}

/* The next row; when the table is full, a row that is thrown away (the
 * queries ask for no more rows than fit, so this does not happen). */
static struct gj_cell *row_new(struct gj_report_table *t)
{
    static struct gj_cell discard[GJ_REPORT_MAX_COLS];
    struct gj_cell *row = t->n_rows < GJ_REPORT_MAX_ROWS ? t->cells[t->n_rows++] : discard;
    for (int c = 0; c < GJ_REPORT_MAX_COLS; c++)
        row[c] = (struct gj_cell){.kind = GJ_CELL_TEXT};
    return row;
}

static void set_text(struct gj_cell *c, const char *text, int64_t v)
{
    c->kind = GJ_CELL_TEXT;
    c->v = v;
    gj_text_copy(c->text, sizeof c->text, text);
}

static void set_num(struct gj_cell *c, enum gj_cell_kind kind, int64_t v)
{
    c->kind = kind;
    c->v = v;
    c->text[0] = '\0';
}

/* num / den in permille, rounded down; "" (not applicable) when den is 0. */
static void set_rate(struct gj_cell *c, int64_t num, int64_t den)
{
    if (den <= 0)
        set_text(c, "", 0);
    else
        set_num(c, GJ_CELL_PERMILLE, num * 1000 / den);
}

/* A mean score x100 as "4.50" (v = 450), rounded down; "" when n is 0. */
static void set_score(struct gj_cell *c, int64_t sum, int64_t n)
{
    if (n <= 0) {
        set_text(c, "", 0);
        return;
    }
    int64_t x100 = sum * 100 / n;
    char buf[32];
    snprintf(buf, sizeof buf, "%lld.%02lld", (long long)(x100 / 100), (long long)(x100 % 100));
    set_text(c, buf, x100);
}

/* A new "measure | value" row of a summary table: its value cell, to set
 * (empty text until then). */
static struct gj_cell *measure(struct gj_report_table *t, const char *label)
{
    struct gj_cell *row = row_new(t);
    set_text(&row[0], label, 0);
    return &row[1];
}

static void summary_row(struct gj_report_table *t, const char *label, enum gj_cell_kind kind,
                        int64_t v)
{
    set_num(measure(t, label), kind, v);
}

/* A "measure | mean time" row: mean_s seconds, the mean of n times; ""
 * when there were none. */
static void summary_mean(struct gj_report_table *t, const char *label, int64_t n, int64_t mean_s)
{
    struct gj_cell *c = measure(t, label);
    if (n > 0)
        set_num(c, GJ_CELL_SECONDS, mean_s);
}

/* A "label | v | share" row: v (of kind) and its share of total. */
static void share_row(struct gj_report_table *t, const char *label, enum gj_cell_kind kind,
                      int64_t v, int64_t total)
{
    struct gj_cell *row = row_new(t);
    set_text(&row[0], label, 0);
    set_num(&row[1], kind, v);
    set_rate(&row[2], v, total);
}

static const char *const summary_cols[] = {N_("Measure"), N_("Value")};

/* ---- months --------------------------------------------------------------- */

struct months {
    int n;
    int yyyymm[GJ_REPORT_MAX_MONTHS];
    int64_t lo[GJ_REPORT_MAX_MONTHS], hi[GJ_REPORT_MAX_MONTHS]; /* within [from, to) */
};

/* The local months [from, to) touches; GJ_EINVAL when there are too many. */
static int months_of(int64_t from, int64_t to, struct months *m, struct gj_error *err)
{
    int first = gj_month_of(from), last = gj_month_of(to - 1);
    long span = (long)(last / 100 - first / 100) * 12 + (last % 100 - first % 100) + 1;
    if (span > GJ_REPORT_MAX_MONTHS)
        return gj_err(err, GJ_EINVAL,
                      _("the range covers %ld months; a report by month covers at most %d"), span,
                      GJ_REPORT_MAX_MONTHS);
    m->n = 0;
    for (int y = first; m->n < span; y = gj_month_add(y, 1)) {
        int64_t lo = gj_month_start(y), hi = gj_month_start(gj_month_add(y, 1));
        m->yyyymm[m->n] = y;
        m->lo[m->n] = lo > from ? lo : from;
        m->hi[m->n] = hi < to ? hi : to;
        m->n++;
    }
    return GJ_OK;
}

static void month_cell(struct gj_cell *c, int yyyymm)
{
    char label[16];
    gj_format_month(yyyymm, label, sizeof label);
    set_text(c, label, yyyymm);
}

/* ---- reading rows --------------------------------------------------------- */

/* The index of column col's text among the n codes; -1 when it is none of
 * them. */
static int code_index(sqlite3_stmt *st, int col, const char *const *codes, int n)
{
    char code[GJ_CODE_BYTES];
    gj_col_text(st, col, code, sizeof code);
    for (int i = 0; i < n; i++)
        if (strcmp(code, codes[i]) == 0)
            return i;
    return -1;
}

/* Ends stepping st, rc being the last sqlite3_step: GJ_OK when the rows
 * ran out, else why (what we were doing). */
static int rows_done(struct gj_db *db, sqlite3_stmt *st, int rc, const char *what,
                     struct gj_error *err)
{
    gj_stmt_done(st);
    return rc == SQLITE_DONE ? GJ_OK : gj_db_fail(db, rc, what, err);
}

/* ---- work orders ---------------------------------------------------------- */

/* Met: resolved by the deadline it shows (due_at, written out here over
 * its columns so that the index wo_report covers the query). Missed:
 * resolved later, or open and past it at ?3 (now); on hold, when it had
 * passed before the hold. Cancelled orders are neither. */
#define WO_DUE "(coalesce(promised_at, resolve_due_at) + paused_seconds)"
#define WO_MET "(state <> 'cancelled' AND resolved_at IS NOT NULL AND resolved_at <= " WO_DUE ")"
#define WO_MISSED                                                                                  \
    "(state <> 'cancelled' AND CASE WHEN resolved_at IS NOT NULL THEN resolved_at > " WO_DUE       \
    " WHEN state IN ('new', 'dispatched', 'in_progress') THEN ?3 > " WO_DUE                        \
    " WHEN state = 'on_hold' THEN hold_started_at > " WO_DUE " ELSE 0 END)"

struct wo_sums {
    int64_t orders, met, missed, responded, respond_s, resolved, resolve_s;
};

static void add_sums(struct wo_sums *to, const struct wo_sums *s)
{
    to->orders += s->orders;
    to->met += s->met;
    to->missed += s->missed;
    to->responded += s->responded;
    to->respond_s += s->respond_s;
    to->resolved += s->resolved;
    to->resolve_s += s->resolve_s;
}

/* Where the rows of wo_collect go: one call per row of sums, with the
 * order's category, department (0: none) and channel. */
typedef void (*wo_sink)(void *ctx, sqlite3_stmt *st, const struct wo_sums *s);

/* Each yields category, department, channel, then the seven sums; ?1 ?2
 * the range, ?3 now. RAW reads the orders taken in [?1, ?2) themselves,
 * one row each, from the covering index wo_report. STATS reads the days
 * [?1, ?2) of wo_day_stats (migration 10), which hold everything but the
 * misses that depend on the clock. OPEN_MISSED adds those: the orders
 * taken in [?1, ?2), still open and unresolved, past their deadline at ?3
 * (see below). */
static const char *const wo_raw_sql =
    "SELECT category, coalesce(department_id, 0), channel, 1, " WO_MET ", " WO_MISSED ", "
    "responded_at IS NOT NULL, coalesce(responded_at - created_at, 0), "
    "resolved_at IS NOT NULL, coalesce(resolved_at - created_at, 0) "
    "FROM work_orders WHERE created_at >= ?1 AND created_at < ?2";
static const char *const wo_stats_sql =
    "SELECT category, department_id, channel, orders, met, missed, responded, respond_s, "
    "resolved, resolve_s FROM wo_day_stats WHERE day >= ?1 AND day < ?2";
/* OPEN_MISSED: what wo_open_missed (migration 17) holds for the days
 * [?1, ?2) (seconds, whole UTC days), the open orders missed at the moment
 * it was counted at, plus (minus, when ?3 is earlier) the open orders taken
 * in [?1, ?2) whose moment to count as missed falls between that moment and
 * ?3 (a range of wo_open_by_judged). */
#define WO_MISSED_AT "(SELECT at FROM wo_missed_asof WHERE id = 1)"
static const char *const wo_open_missed_sql =
    "SELECT category, department_id, channel, 0, 0, n, 0, 0, 0, 0 FROM wo_open_missed "
    "WHERE day >= ?1 / 86400 AND day < ?2 / 86400 UNION ALL "
    "SELECT category, coalesce(department_id, 0), channel, 0, 0, "
    "CASE WHEN " WO_MISSED_AT " <= ?3 THEN 1 ELSE -1 END, 0, 0, 0, 0 "
    "FROM work_orders INDEXED BY wo_open_by_judged WHERE " GJ_WO_OPEN " AND " GJ_WO_JUDGED
    " >= min(" WO_MISSED_AT ", ?3) AND " GJ_WO_JUDGED " < max(" WO_MISSED_AT ", ?3) "
    "AND created_at >= ?1 AND created_at < ?2";

int gj_wo_missed_recount(struct gj_db *db, int64_t now, struct gj_error *err)
{
    static const char *const sql[] = {
        "DELETE FROM wo_open_missed",
        "INSERT INTO wo_missed_asof(id, at) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET "
        "at = excluded.at",
        "INSERT INTO wo_open_missed " GJ_WO_OPEN_MISSED_SELECT,
    };
    return gj_db_exec_all(db, sql, sizeof sql / sizeof sql[0], now,
                          _("counting the open work orders past due"), err);
}

/* Whether an open order's moment to count as missed falls between the
 * kept moment and now (either way). */
static int wo_missed_moved(struct gj_db *db, int64_t now, int *moved, struct gj_error *err)
{
    int64_t any = 0;
    int rc = gj_db_int_of(db,
                          "SELECT EXISTS (SELECT 1 FROM work_orders INDEXED BY wo_open_by_judged "
                          "WHERE " GJ_WO_OPEN " AND " GJ_WO_JUDGED " >= min(" WO_MISSED_AT
                          ", ?1) AND " GJ_WO_JUDGED " < max(" WO_MISSED_AT ", ?1))",
                          &now, 1, &any, _("counting the open work orders past due"), err);
    *moved = (int)any;
    return rc;
}

int gj_wo_missed_refresh(struct gj_db *db, int64_t now, int *moved, struct gj_error *err)
{
    *moved = 0;
    int any = 0;
    int rc = wo_missed_moved(db, now, &any, err);
    if (rc != GJ_OK || !any)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    rc = wo_missed_moved(db, now, &any, err); /* again, inside the write */
    static const char *const sql[] = {
        /* The orders that crossed, added (or taken away) by day. */
        "INSERT INTO wo_open_missed SELECT created_at / 86400, category, "
        "coalesce(department_id, 0), channel, CASE WHEN " WO_MISSED_AT
        " <= ?1 THEN 1 ELSE -1 END * count(*) FROM work_orders INDEXED BY wo_open_by_judged "
        "WHERE " GJ_WO_OPEN " AND " GJ_WO_JUDGED " >= min(" WO_MISSED_AT ", ?1) AND " GJ_WO_JUDGED
        " < max(" WO_MISSED_AT ", ?1) GROUP BY 1, 2, 3, 4 "
        "ON CONFLICT (day, category, department_id, channel) DO UPDATE SET n = n + excluded.n",
        "DELETE FROM wo_open_missed WHERE n = 0",
        "UPDATE wo_missed_asof SET at = ?1 WHERE id = 1",
    };
    if (rc == GJ_OK && any)
        rc = gj_db_exec_all(db, sql, sizeof sql / sizeof sql[0], now,
                            _("counting the open work orders past due"), err);
    if (rc == GJ_OK)
        *moved = any;
    return gj_tx_finish(db, rc, err);
}

int gj_kept_figures_refresh(struct gj_db *db, int64_t now, int *wrote, struct gj_error *err)
{
    int arrears = 0, missed = 0;
    int rc = gj_arrears_refresh(db, now, &arrears, err);
    if (rc == GJ_OK)
        rc = gj_wo_missed_refresh(db, now, &missed, err);
    if (wrote)
        *wrote = arrears || missed;
    return rc;
}

static int wo_rows(struct gj_db *db, const char *sql, int64_t lo, int64_t hi, int64_t now,
                   wo_sink sink, void *ctx, struct gj_error *err)
{
    if (hi <= lo)
        return GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db, sql, err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    sqlite3_bind_int64(st, 3, now); /* out of range for STATS: ignored */
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wo_sums s = {sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
                            sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
                            sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8),
                            sqlite3_column_int64(st, 9)};
        sink(ctx, st, &s);
    }
    return rows_done(db, st, rc, _("counting work orders"), err);
}

/* Whether any order was taken in [lo, hi) (from wo_report): 1, 0, or
 * -1 after a failure (err says why). */
static int any_taken(struct gj_db *db, int64_t lo, int64_t hi, struct gj_error *err)
{
    if (hi <= lo)
        return 0;
    const int64_t range[] = {lo, hi};
    int64_t any = 0;
    if (gj_db_int_of(db,
                     "SELECT EXISTS (SELECT 1 FROM work_orders WHERE created_at >= ?1 AND "
                     "created_at < ?2)",
                     range, 2, &any, _("counting work orders"), err) != GJ_OK)
        return -1;
    return (int)any;
}

/* The orders taken in [lo, hi), judged at now, row by row into sink: the
 * whole UTC days of the range from wo_day_stats plus the open orders
 * missed at now, the hours at either end from the orders themselves. A
 * day the range cuts is read whole from wo_day_stats too when none of its
 * orders fall outside the range (so today, in a range that ends now).
 * Without misses, the open orders missed at now are not counted (for
 * counts of orders only). */
static int wo_collect(struct gj_db *db, int64_t lo, int64_t hi, int64_t now, int misses,
                      wo_sink sink, void *ctx, struct gj_error *err)
{
    const int64_t day = 86400;
    if (hi <= lo)
        return GJ_OK;
    int64_t dlo = lo >= 0 ? (lo + day - 1) / day : lo / day, dhi = hi >= 0 ? hi / day : 0;
    if (dlo * day > lo) {
        int any = any_taken(db, (dlo - 1) * day, lo, err);
        if (any < 0)
            return err->code;
        dlo -= !any;
    }
    if (dhi * day < hi) {
        int any = any_taken(db, hi, (dhi + 1) * day, err);
        if (any < 0)
            return err->code;
        dhi += !any;
    }
    if (dlo >= dhi)
        return wo_rows(db, wo_raw_sql, lo, hi, now, sink, ctx, err);
    int rc = wo_rows(db, wo_raw_sql, lo, dlo * day, now, sink, ctx, err);
    if (rc == GJ_OK)
        rc = wo_rows(db, wo_raw_sql, dhi * day, hi, now, sink, ctx, err);
    if (rc == GJ_OK)
        rc = wo_rows(db, wo_stats_sql, dlo, dhi, now, sink, ctx, err);
    if (rc == GJ_OK && misses)
        rc = wo_rows(db, wo_open_missed_sql, dlo * day, dhi * day, now, sink, ctx, err);
    return rc;
}

/* A "label | orders | met | missed | SLA rate" row. */
static void wo_row(struct gj_report_table *t, const char *label, int64_t v, const struct wo_sums *s)
{
    struct gj_cell *row = row_new(t);
    set_text(&row[0], label, v);
    set_num(&row[1], GJ_CELL_INT, s->orders);
    set_num(&row[2], GJ_CELL_INT, s->met);
    set_num(&row[3], GJ_CELL_INT, s->missed);
    set_rate(&row[4], s->met, s->met + s->missed);
}

static const char *const wo_category_codes[] = {"repair",  "cleaning",   "landscaping", "security",
                                                "enquiry", "suggestion", "other"};
static const char *const wo_category_msgids[] = {N_("repair"),   N_("cleaning"), N_("landscaping"),
                                                 N_("security"), N_("enquiry"),  N_("suggestion"),
                                                 N_("other")};
#define WO_CATEGORIES 7
#define WO_MAX_DEPTS  256

/* The sums of one month: in all, by category, by department. */
struct wo_split {
    struct wo_sums all, cat[WO_CATEGORIES];
    int64_t dept_id[WO_MAX_DEPTS];
    struct wo_sums dept[WO_MAX_DEPTS];
    int n_dept;
};

static void sink_split(void *ctx, sqlite3_stmt *st, const struct wo_sums *s)
{
    struct wo_split *w = ctx;
    add_sums(&w->all, s);
    int c = code_index(st, 0, wo_category_codes, WO_CATEGORIES);
    if (c >= 0)
        add_sums(&w->cat[c], s);
    int64_t d = sqlite3_column_int64(st, 1);
    int i = 0;
    while (i < w->n_dept && w->dept_id[i] != d)
        i++;
    if (i == w->n_dept) {
        if (w->n_dept == WO_MAX_DEPTS)
            return; /* more departments than a report lists */
        w->dept_id[w->n_dept++] = d;
    }
    add_sums(&w->dept[i], s);
}

static int report_workorders(struct gj_db *db, struct gj_report *r, const struct months *m,
                             int64_t now, struct gj_error *err)
{
    /* Each month once, by category and department as well; the months add
     * up to the whole range. */
    struct wo_sums month[GJ_REPORT_MAX_MONTHS];
    struct wo_split *all = calloc(1, sizeof *all), *one = malloc(sizeof *one);
    if (!all || !one) {
        free(all);
        free(one);
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    }
    int rc = GJ_OK;
    for (int i = 0; rc == GJ_OK && i < m->n; i++) {
        memset(one, 0, sizeof *one);
        rc = wo_collect(db, m->lo[i], m->hi[i], now, 1, sink_split, one, err);
        month[i] = one->all;
        add_sums(&all->all, &one->all);
        for (int c = 0; c < WO_CATEGORIES; c++)
            add_sums(&all->cat[c], &one->cat[c]);
        for (int k = 0; k < one->n_dept; k++) {
            int j = 0;
            while (j < all->n_dept && all->dept_id[j] != one->dept_id[k])
                j++;
            if (j == all->n_dept && all->n_dept < WO_MAX_DEPTS)
                all->dept_id[all->n_dept++] = one->dept_id[k];
            if (j < all->n_dept)
                add_sums(&all->dept[j], &one->dept[k]);
        }
    }
    free(one);
    if (rc != GJ_OK) {
        free(all);
        return rc;
    }
    struct gj_report_table *t = table_new(r, _("Summary"), -1, 0, 2, summary_cols);
    summary_row(t, _("Work orders taken"), GJ_CELL_INT, all->all.orders);
    summary_row(t, _("Met the SLA"), GJ_CELL_INT, all->all.met);
    summary_row(t, _("Missed the SLA"), GJ_CELL_INT, all->all.missed);
    set_rate(measure(t, _("SLA rate")), all->all.met, all->all.met + all->all.missed);
    summary_mean(t, _("Mean time to respond"), all->all.responded,
                 all->all.responded > 0 ? all->all.respond_s / all->all.responded : 0);
    summary_mean(t, _("Mean time to resolve"), all->all.resolved,
                 all->all.resolved > 0 ? all->all.resolve_s / all->all.resolved : 0);

    static const char *const by_category[] = {N_("Category"), N_("Orders"), N_("Met SLA"),
                                              N_("Missed SLA"), N_("SLA rate")};
    t = table_new(r, _("By category"), 1, 0, 5, by_category);
    for (int i = 0; i < WO_CATEGORIES; i++)
        wo_row(t, _(wo_category_msgids[i]), 0, &all->cat[i]);

    /* The departments with orders in the range, by name; the orders not
     * dispatched to any last. */
    static const char *const by_department[] = {N_("Department"), N_("Orders"), N_("Met SLA"),
                                                N_("Missed SLA"), N_("SLA rate")};
    t = table_new(r, _("By department"), 1, 0, 5, by_department);
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT id, name FROM departments ORDER BY name, id", err);
    if (!st) {
        free(all);
        return err->code;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && t->n_rows < GJ_REPORT_MAX_ROWS) {
        int64_t id = sqlite3_column_int64(st, 0);
        for (int j = 0; j < all->n_dept; j++)
            if (all->dept_id[j] == id && id != 0) {
                char name[GJ_NAME_BYTES];
                gj_col_text(st, 1, name, sizeof name);
                wo_row(t, name, id, &all->dept[j]);
            }
    }
    if (rc == SQLITE_ROW)
        rc = SQLITE_DONE;
    rc = rows_done(db, st, rc, _("counting work orders by department"), err);
    for (int j = 0; rc == GJ_OK && j < all->n_dept; j++)
        if (all->dept_id[j] == 0 && t->n_rows < GJ_REPORT_MAX_ROWS)
            wo_row(t, _("not dispatched"), 0, &all->dept[j]);
    free(all);
    if (rc != GJ_OK)
        return rc;

    static const char *const by_month[] = {N_("Month"), N_("Orders"), N_("Met SLA"),
                                           N_("Missed SLA"), N_("SLA rate")};
    t = table_new(r, _("By month"), 1, 1, 5, by_month);
    for (int i = 0; i < m->n; i++) {
        char label[16];
        gj_format_month(m->yyyymm[i], label, sizeof label);
        wo_row(t, label, m->yyyymm[i], &month[i]);
    }
    return GJ_OK;
}

/* ---- complaints ----------------------------------------------------------- */

/* Revisits recorded in [from, to) by month: how many and their scores
 * (from the covering index complaints_revisited, counted month by month). */
static int revisits_by_month(struct gj_db *db, const struct months *m, int64_t *n, int64_t *sum,
                             struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT count(*), coalesce(sum(satisfaction), 0) FROM complaints "
                                  "WHERE revisited_at >= ?1 AND revisited_at < ?2 "
                                  "AND satisfaction IS NOT NULL",
                                  err);
    if (!st)
        return err->code;
    for (int i = 0; i < m->n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, m->lo[i]);
        sqlite3_bind_int64(st, 2, m->hi[i]);
        int rc = gj_step_one(db, st, _("reading complaint revisits"), err);
        if (rc != GJ_OK)
            return rc;
        n[i] = sqlite3_column_int64(st, 0);
        sum[i] = sqlite3_column_int64(st, 1);
        gj_stmt_done(st);
    }
    return GJ_OK;
}

/* total / n rounded down (towards minus infinity); 0 when n is 0. */
static int64_t mean_of(int64_t total, int64_t n)
{
    if (n == 0)
        return 0;
    int64_t q = total / n;
    return (total % n != 0 && (total < 0) != (n < 0)) ? q - 1 : q;
}

static int report_complaints(struct gj_db *db, struct gj_report *r, const struct months *m,
                             int64_t now, struct gj_error *err)
{
    (void)now;
    /* The months add up to the whole range: each is read once (whole days
     * from complaint_day_stats, migration 16). */
    struct gj_cstats_sums month[GJ_REPORT_MAX_MONTHS], all;
    memset(&all, 0, sizeof all);
    int rc = GJ_OK;
    for (int i = 0; rc == GJ_OK && i < m->n; i++) {
        rc = gj_cstats_sums(db, m->lo[i], m->hi[i], &month[i], err);
        all.total += month[i].total;
        all.resolved += month[i].resolved;
        all.on_time += month[i].on_time;
        all.ack_n += month[i].ack_n;
        all.ack_s += month[i].ack_s;
        all.resolve_s += month[i].resolve_s;
        for (int g = 0; g < GJ_CSTATS_GRADES; g++)
            all.by_grade[g] += month[i].by_grade[g];
        for (int c = 0; c < GJ_CSTATS_CATEGORIES; c++)
            all.by_category[c] += month[i].by_category[c];
    }
    if (rc != GJ_OK)
        return rc;
    int64_t rev_n[GJ_REPORT_MAX_MONTHS] = {0}, rev_sum[GJ_REPORT_MAX_MONTHS] = {0};
    rc = revisits_by_month(db, m, rev_n, rev_sum, err);
    if (rc != GJ_OK)
        return rc;
    int64_t revisits = 0, score_sum = 0;
    for (int i = 0; i < m->n; i++) {
        revisits += rev_n[i];
        score_sum += rev_sum[i];
    }

    struct gj_report_table *t = table_new(r, _("Summary"), -1, 0, 2, summary_cols);
    summary_row(t, _("Complaints taken"), GJ_CELL_INT, all.total);
    summary_row(t, _("Resolved"), GJ_CELL_INT, all.resolved);
    summary_row(t, _("Resolved on time"), GJ_CELL_INT, all.on_time);
    set_rate(measure(t, _("On-time rate")), all.on_time, all.resolved);
    summary_mean(t, _("Mean time to acknowledge"), all.ack_n, mean_of(all.ack_s, all.ack_n));
    summary_mean(t, _("Mean time to resolve"), all.resolved, mean_of(all.resolve_s, all.resolved));
    summary_row(t, _("Revisits recorded"), GJ_CELL_INT, revisits);
    set_score(measure(t, _("Mean satisfaction (1-5)")), score_sum, revisits);

    static const char *const by_grade[] = {N_("Grade"), N_("Complaints"), N_("Share")};
    t = table_new(r, _("By grade"), 1, 0, 3, by_grade);
    for (int g = 0; g < GJ_CSTATS_GRADES; g++)
        share_row(t, gj_complaint_grade_label(gj_cstats_grade_codes[g]), GJ_CELL_INT,
                  all.by_grade[g], all.total);
    static const char *const by_category[] = {N_("Category"), N_("Complaints"), N_("Share")};
    t = table_new(r, _("By category"), 1, 0, 3, by_category);
    for (int c = 0; c < GJ_CSTATS_CATEGORIES; c++)
        share_row(t, gj_complaint_category_label(gj_cstats_category_codes[c]), GJ_CELL_INT,
                  all.by_category[c], all.total);

    static const char *const by_month[] = {N_("Month"), N_("Complaints"), N_("Resolved"),
                                           N_("On time"), N_("On-time rate")};
    t = table_new(r, _("By month"), 1, 1, 5, by_month);
    for (int i = 0; i < m->n; i++) {
        int64_t taken = month[i].total, resolved = month[i].resolved, on_time = month[i].on_time;
        struct gj_cell *row = row_new(t);
        month_cell(&row[0], m->yyyymm[i]);
        set_num(&row[1], GJ_CELL_INT, taken);
        set_num(&row[2], GJ_CELL_INT, resolved);
        set_num(&row[3], GJ_CELL_INT, on_time);
        set_rate(&row[4], on_time, resolved);
    }

    static const char *const satisfaction[] = {N_("Month"), N_("Revisits"),
                                               N_("Mean satisfaction")};
    t = table_new(r, _("Satisfaction by month (revisits)"), 2, 1, 3, satisfaction);
    for (int i = 0; i < m->n; i++) {
        struct gj_cell *row = row_new(t);
        month_cell(&row[0], m->yyyymm[i]);
        set_num(&row[1], GJ_CELL_INT, rev_n[i]);
        set_score(&row[2], rev_sum[i], rev_n[i]);
    }

    static const char *const repeat_cols[] = {N_("Unit"), N_("Complaints")};
    char title[128];
    snprintf(title, sizeof title, _("Repeat complainants (%d or more in the %d days to the end)"),
             REPEAT_MIN, REPEAT_DAYS);
    t = table_new(r, title, 1, 0, 2, repeat_cols);
    struct gj_cstats_repeat repeats[GJ_REPORT_MAX_ROWS];
    int n = 0;
    rc = gj_cstats_repeat_units(db, r->to - REPEAT_DAYS * DAY, r->to, REPEAT_MIN,
                                GJ_REPORT_MAX_ROWS, repeats, &n, err);
    if (rc != GJ_OK)
        return rc;
    for (int i = 0; i < n; i++) {
        struct gj_cell *row = row_new(t);
        set_text(&row[0], repeats[i].unit_code, repeats[i].unit_id);
        set_num(&row[1], GJ_CELL_INT, repeats[i].count);
    }
    return GJ_OK;
}

/* ---- fees ----------------------------------------------------------------- */

static void collection_row(struct gj_cell *row, const struct gj_collection *c)
{
    set_num(&row[1], GJ_CELL_MONEY, c->billed_fen);
    set_num(&row[2], GJ_CELL_MONEY, c->collected_fen);
    set_num(&row[3], GJ_CELL_MONEY, c->billed_fen - c->collected_fen);
    set_rate(&row[4], c->collected_fen, c->billed_fen);
}

static int report_fees(struct gj_db *db, struct gj_report *r, const struct months *m, int64_t now,
                       struct gj_error *err)
{
    static const char *const by_month[] = {N_("Month"), N_("Billed"), N_("Collected"), N_("Owed"),
                                           N_("Collection rate")};
    struct gj_report_table *t = table_new(r, _("Bills by month"), 4, 1, 5, by_month);
    /* The months add up to the whole range. */
    struct gj_collection all = {0};
    for (int i = 0; i < m->n; i++) {
        struct gj_collection c;
        int rc = gj_collection(db, m->yyyymm[i], m->yyyymm[i], 0, &c, err);
        if (rc != GJ_OK)
            return rc;
        struct gj_cell *row = row_new(t);
        month_cell(&row[0], m->yyyymm[i]);
        collection_row(row, &c);
        all.billed_fen += c.billed_fen;
        all.collected_fen += c.collected_fen;
    }
    int rc;
    int64_t units = 0, arrears = 0, bucket[GJ_ARREARS_BUCKETS];
    rc = gj_arrears_totals(db, now, 0, &units, &arrears, bucket, err);
    if (rc != GJ_OK)
        return rc;
    t = table_new(r, _("Summary"), -1, 0, 2, summary_cols);
    summary_row(t, _("Billed"), GJ_CELL_MONEY, all.billed_fen);
    summary_row(t, _("Collected"), GJ_CELL_MONEY, all.collected_fen);
    summary_row(t, _("Owed"), GJ_CELL_MONEY, all.billed_fen - all.collected_fen);
    set_rate(measure(t, _("Collection rate")), all.collected_fen, all.billed_fen);
    summary_row(t, _("Units in arrears"), GJ_CELL_INT, units);
    summary_row(t, _("Arrears"), GJ_CELL_MONEY, arrears);

    static const char *const aged[] = {N_("Age"), N_("Owed"), N_("Share")};
    static const char *const buckets[GJ_ARREARS_BUCKETS] = {N_("0-30 d"), N_("31-90 d"),
                                                            N_("91-180 d"), N_(">180 d")};
    char day[32], title[128];
    gj_format_datetime(now, day, sizeof day);
    snprintf(title, sizeof title, _("Arrears by age at %s"), day);
    t = table_new(r, title, 1, 0, 3, aged);
    for (int i = 0; i < GJ_ARREARS_BUCKETS; i++)
        share_row(t, _(buckets[i]), GJ_CELL_MONEY, bucket[i], arrears);
    return GJ_OK;
}

/* ---- channels ------------------------------------------------------------- */

static const char *const channel_codes[] = {"phone", "wechat", "email", "walk_in", "other"};
/* The same words as the screens use (tui/draw.c). */
static const char *const channel_msgids[] = {N_("phone"), N_("WeChat"), N_("email"), N_("walk-in"),
                                             N_("other")};
#define CHANNELS 5

/* Adds the counts by channel of sql (a literal: channel, count over
 * [?1, ?2)) over [from, to) to counts. */
static int count_by_channel(struct gj_db *db, const char *sql, int64_t from, int64_t to,
                            int64_t *counts, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, sql, err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int i = code_index(st, 0, channel_codes, CHANNELS);
        if (i >= 0)
            counts[i] += sqlite3_column_int64(st, 1);
    }
    return rows_done(db, st, rc, _("counting requests by channel"), err);
}

/* Work orders by channel (wo_collect's rows). */
static void sink_channel(void *ctx, sqlite3_stmt *st, const struct wo_sums *s)
{
    int64_t *counts = ctx;
    int i = code_index(st, 2, channel_codes, CHANNELS);
    if (i >= 0)
        counts[i] += s->orders;
}

static int report_channels(struct gj_db *db, struct gj_report *r, const struct months *m,
                           int64_t now, struct gj_error *err)
{
    (void)m; /* not by month: any range */
    int64_t wo[CHANNELS] = {0}, cp[CHANNELS] = {0};
    int rc = wo_collect(db, r->from, r->to, now, 0, sink_channel, wo, err);
    if (rc == GJ_OK)
        rc = count_by_channel(db,
                              "SELECT channel, count(*) FROM complaints "
                              "WHERE created_at >= ? AND created_at < ? GROUP BY channel",
                              r->from, r->to, cp, err);
    if (rc != GJ_OK)
        return rc;
    int64_t wo_all = 0, cp_all = 0;
    for (int i = 0; i < CHANNELS; i++) {
        wo_all += wo[i];
        cp_all += cp[i];
    }
    static const char *const cols[] = {N_("Channel"), N_("Work orders"), N_("Complaints"),
                                       N_("Requests"), N_("Share")};
    struct gj_report_table *t = table_new(r, _("Requests by channel"), 3, 0, 5, cols);
    for (int i = 0; i < CHANNELS; i++) {
        struct gj_cell *row = row_new(t);
        set_text(&row[0], _(channel_msgids[i]), 0);
        set_num(&row[1], GJ_CELL_INT, wo[i]);
        set_num(&row[2], GJ_CELL_INT, cp[i]);
        set_num(&row[3], GJ_CELL_INT, wo[i] + cp[i]);
        set_rate(&row[4], wo[i] + cp[i], wo_all + cp_all);
    }
    t = table_new(r, _("Summary"), -1, 0, 2, summary_cols);
    summary_row(t, _("Work orders"), GJ_CELL_INT, wo_all);
    summary_row(t, _("Complaints"), GJ_CELL_INT, cp_all);
    summary_row(t, _("Requests"), GJ_CELL_INT, wo_all + cp_all);
    return GJ_OK;
}

/* ---- training ------------------------------------------------------------- */

struct person {
    int64_t id;
    char name[GJ_NAME_BYTES];
};

static void read_person(sqlite3_stmt *st, void *row)
{
    struct person *p = row;
    p->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, p->name, sizeof p->name);
}

static int report_training(struct gj_db *db, struct gj_report *r, const struct months *m,
                           int64_t now, struct gj_error *err)
{
    (void)m; /* not by month: any range */
    int64_t asof = r->to - 1 < now ? r->to - 1 : now;
    struct person people[GJ_REPORT_MAX_ROWS];
    int n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT id, name FROM users WHERE role IN ('trainee', 'butler') "
                                  "AND active = 1 ORDER BY id LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int(st, 1, GJ_REPORT_MAX_ROWS);
    int rc = gj_step_rows(db, st, GJ_REPORT_MAX_ROWS, people, sizeof people[0], read_person, &n,
                          _("listing trainees and butlers"), err);
    if (rc != GJ_OK)
        return rc;
    static const char *const cols[] = {
        N_("Name"),         N_("Rank"),        N_("Chapters passed"),   N_("Walkthrough"),
        N_("Tasks passed"), N_("Assessments"), N_("Assessment average")};
    char title[128], day[32];
    gj_format_datetime(asof, day, sizeof day);
    snprintf(title, sizeof title, _("Trainees and butlers at %s"), day);
    struct gj_report_table *t = table_new(r, title, -1, 0, 7, cols);
    st = gj_db_stmt(db,
                    "SELECT count(DISTINCT task_id) FROM practice_results "
                    "WHERE user_id = ? AND passed = 1 AND at <= ?",
                    err);
    if (!st)
        return err->code;
    for (int i = 0; i < n; i++) {
        struct gj_rank_facts f;
        rc = gj_rank_facts(db, people[i].id, asof, &f, err);
        if (rc != GJ_OK)
            return rc;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, people[i].id);
        sqlite3_bind_int64(st, 2, asof);
        rc = gj_step_one(db, st, _("reading practice results"), err);
        if (rc != GJ_OK)
            return rc;
        int64_t tasks = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
        struct gj_cell *row = row_new(t);
        set_text(&row[0], people[i].name, people[i].id);
        set_text(&row[1], gj_rank_label(f.rank), f.rank);
        set_num(&row[2], GJ_CELL_INT, f.chapters_passed);
        set_text(&row[3], f.walkthrough_done ? _("done") : _("not yet"), f.walkthrough_done);
        set_num(&row[4], GJ_CELL_INT, tasks);
        set_num(&row[5], GJ_CELL_INT, f.assessments);
        if (f.assessments > 0) {
            char avg[32];
            snprintf(avg, sizeof avg, "%d.%02d", f.assessment_avg_x100 / 100,
                     f.assessment_avg_x100 % 100);
            set_text(&row[6], avg, f.assessment_avg_x100);
        }
    }
    return GJ_OK;
}

/* ---- running a report ----------------------------------------------------- */

/* What makes each report of gj_report_names, in its order. */
static const struct {
    int (*run)(struct gj_db *db, struct gj_report *r, const struct months *m, int64_t now,
               struct gj_error *err);
    int by_month; /* its tables go by month: the range must have few enough */
} reports[] = {{report_workorders, 1},
               {report_complaints, 1},
               {report_fees, 1},
               {report_channels, 0},
               {report_training, 0}};

int gj_report_run(struct gj_db *db, const char *name, int64_t from, int64_t to, int64_t now,
                  struct gj_report *r, struct gj_error *err)
{
    memset(r, 0, sizeof *r);
    int which = report_index(name);
    if (which < 0)
        return gj_err(err, GJ_EINVAL, _("\"%s\" is not a report"), name ? name : "");
    if (from < 0 || to > EPOCH_MAX || to <= from)
        return gj_err(err, GJ_EINVAL, "%s",
                      _("report: the end of the range must come after its start"));
    gj_text_copy(r->name, sizeof r->name, gj_report_names[which]);
    gj_text_copy(r->title, sizeof r->title, gj_report_title(name));
    r->from = from;
    r->to = to;
    int rc = gj_db_begin_read(db, err); /* one snapshot for every table */
    if (rc != GJ_OK)
        return rc;
    struct months m = {0};
    if (reports[which].by_month)
        rc = months_of(from, to, &m, err);
    if (rc == GJ_OK)
        rc = reports[which].run(db, r, &m, now, err);
    gj_db_rollback(db); /* ends the read */
    if (rc != GJ_OK) {
        memset(r, 0, sizeof *r);
        r->from = from;
        r->to = to;
    }
    return rc;
}
