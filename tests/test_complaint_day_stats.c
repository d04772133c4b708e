/* The complaint figures kept by day (complaint_day_stats and
 * complaint_cause_days, migration 16) stay equal to the complaints through
 * every step of their life, and every figure of gj_complaint_stats and of
 * the complaints report -- whole days from those tables, the hours at
 * either end from the complaints, repeat units counted in memory -- equals
 * a direct computation from the complaints table (the queries the figures
 * ran before), for ranges that start and end inside days (UTC+8 and
 * local), inside one day, empty or unbounded, and for any clock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_check.h"
#include "guanjia/repo_complaint_stats.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY INT64_C(86400)

static const char *dir;
static char path[700];
static struct gj_db *db;

static int setup(void **state)
{
    (void)state;
    return gj_test_demo_open(&dir, path, sizeof path, &db);
}

static int teardown(void **state)
{
    (void)state;
    return gj_test_demo_close(dir, db);
}

/* ---- the check ------------------------------------------------------------ */

static const char *const day_check = "the complaint figures by day match the complaints";
static const char *const cause_check = "the complaint root causes by day match the complaints";
static int64_t day_problems, cause_problems;

static void on_result(const struct gj_check_result *r, void *ctx)
{
    (void)ctx;
    if (strcmp(r->name, day_check) == 0)
        day_problems = r->problems;
    if (strcmp(r->name, cause_check) == 0)
        cause_problems = r->problems;
}

/* Runs the checks; both must have run. */
static void run_checks(void)
{
    day_problems = cause_problems = -1;
    int failures = 0;
    struct gj_error err;
    gj_test_must(gj_check_bookkeeping(db, on_result, NULL, &failures, &err), &err);
    assert_true(day_problems >= 0 && cause_problems >= 0);
}

/* ---- the figures computed directly ------------------------------------------ */

static void bind2(sqlite3_stmt *st, int64_t a, int64_t b)
{
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
}

static sqlite3_stmt *prep(const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db->h));
    return st;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t days_from_civil(int y, int m, int d)
{
    int64_t yy = m <= 2 ? y - 1 : y;
    int64_t era = floor_div(yy, 400);
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t cn_month_start(int yyyymm)
{
    return days_from_civil(yyyymm / 100, yyyymm % 100, 1) * DAY - 28800;
}

static int cn_month_of(int64_t t)
{
    time_t s = (time_t)(t + 28800);
    struct tm tm;
    gmtime_r(&s, &tm);
    return (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
}

static int64_t count_in(int64_t lo, int64_t hi)
{
    sqlite3_stmt *st =
        prep("SELECT count(*) FROM complaints WHERE created_at >= ?1 AND created_at < ?2");
    bind2(st, lo, hi);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The figures of [from, to) at now, as the queries before the tables kept
 * by day computed them. */
static void direct(int64_t from, int64_t to, int64_t now, struct gj_complaint_stats *s)
{
    memset(s, 0, sizeof *s);
    s->from = from;
    s->to = to;
    s->now = now;
    sqlite3_stmt *st = prep(
        "SELECT count(*), coalesce(max(created_at), 0), count(resolved_at), "
        "coalesce(sum(resolved_at <= resolve_due_at), 0), count(acknowledged_at), "
        "coalesce(sum(acknowledged_at - created_at), 0), coalesce(sum(resolved_at - created_at), "
        "0), count(satisfaction), coalesce(sum(satisfaction), 0), coalesce(sum(satisfaction = 1), "
        "0), coalesce(sum(satisfaction = 2), 0), coalesce(sum(satisfaction = 3), 0), "
        "coalesce(sum(satisfaction = 4), 0), coalesce(sum(satisfaction = 5), 0) "
        "FROM complaints WHERE created_at >= ?1 AND created_at < ?2");
    bind2(st, from, to);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    s->total = sqlite3_column_int64(st, 0);
    int64_t newest = sqlite3_column_int64(st, 1);
    s->resolved = s->resolve_n = sqlite3_column_int64(st, 2);
    s->on_time = sqlite3_column_int64(st, 3);
    s->ack_n = sqlite3_column_int64(st, 4);
    s->ack_total_s = sqlite3_column_int64(st, 5);
    s->resolve_total_s = sqlite3_column_int64(st, 6);
    s->revisited = sqlite3_column_int64(st, 7);
    s->satisfaction_sum = sqlite3_column_int64(st, 8);
    for (int k = 0; k < GJ_CSTATS_SCORES; k++)
        s->by_score[k] = sqlite3_column_int64(st, 9 + k);
    sqlite3_finalize(st);
    s->ack_mean_s = s->ack_n ? floor_div(s->ack_total_s, s->ack_n) : 0;
    s->resolve_mean_s = s->resolve_n ? floor_div(s->resolve_total_s, s->resolve_n) : 0;

    st = prep("SELECT grade, category, count(*) FROM complaints WHERE created_at >= ?1 "
              "AND created_at < ?2 GROUP BY grade, category");
    bind2(st, from, to);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int g = 0; g < GJ_CSTATS_GRADES; g++)
            if (strcmp((const char *)sqlite3_column_text(st, 0), gj_cstats_grade_codes[g]) == 0)
                s->by_grade[g] += sqlite3_column_int64(st, 2);
        for (int c = 0; c < GJ_CSTATS_CATEGORIES; c++)
            if (strcmp((const char *)sqlite3_column_text(st, 1), gj_cstats_category_codes[c]) == 0)
                s->by_category[c] += sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);

    /* The months, as the header says. */
    int64_t top = now;
    if (s->total > 0 && newest > top)
        top = newest;
    if (to > from && top > to - 1)
        top = to - 1;
    if (to > from && top >= from) {
        int last = cn_month_of(top), first = last;
        for (int i = 1; i < GJ_CSTATS_MONTHS && cn_month_start(first) > from; i++)
            first = first % 100 == 1 ? first - 89 : first - 1;
        for (int m = first;; m = m % 100 == 12 ? m + 89 : m + 1) {
            int next = m % 100 == 12 ? m + 89 : m + 1;
            int64_t lo = cn_month_start(m), hi = cn_month_start(next);
            struct gj_cstats_month *out = &s->months[s->n_months++];
            out->yyyymm = m;
            out->count = count_in(lo > from ? lo : from, hi < to ? hi : to);
            if (m == last)
                break;
        }
    }

    st = prep("SELECT trim(root_cause, ' ' || char(9, 10, 13, 12288)) AS cause, count(*) AS n "
              "FROM complaints WHERE created_at >= ?1 AND created_at < ?2 "
              "AND trim(root_cause, ' ' || char(9, 10, 13, 12288)) <> '' "
              "GROUP BY cause ORDER BY n DESC, cause LIMIT 5");
    bind2(st, from, to);
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct gj_cstats_cause *c = &s->causes[s->n_causes++];
        snprintf(c->text, sizeof c->text, "%s", (const char *)sqlite3_column_text(st, 0));
        c->count = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
}

/* The repeat units of [lo, hi), at least min, at most limit, as the query
 * before counted them. */
static int direct_repeats(int64_t lo, int64_t hi, int min, int limit, int64_t *unit, int64_t *count)
{
    sqlite3_stmt *st =
        prep("SELECT x.unit_id, x.n FROM (SELECT unit_id, count(*) AS n FROM complaints "
             "WHERE created_at >= ?1 AND created_at < ?2 AND unit_id IS NOT NULL GROUP BY unit_id "
             "HAVING n >= ?3) AS x JOIN units u ON u.id = x.unit_id "
             "ORDER BY x.n DESC, u.building, u.entrance, u.room LIMIT ?4");
    bind2(st, lo, hi);
    sqlite3_bind_int(st, 3, min);
    sqlite3_bind_int(st, 4, limit);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        unit[n] = sqlite3_column_int64(st, 0);
        count[n++] = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return n;
}

/* Whether gj_complaint_stats over [from, to) at now equals the direct
 * computation; with must, fails the test naming the figure. */
static int same_figures(int64_t from, int64_t to, int64_t now, int must)
{
    struct gj_complaint_stats *s = malloc(sizeof *s), *d = malloc(sizeof *d);
    assert_non_null(s);
    assert_non_null(d);
    struct gj_error err;
    gj_test_must(gj_complaint_stats(db, from, to, now, s, &err), &err);
    direct(from, to, now, d);
    const char *wrong = NULL;
#define SAME(f)                                                                                    \
    if (!wrong && s->f != d->f)                                                                    \
    wrong = #f
    SAME(total);
    SAME(resolved);
    SAME(on_time);
    SAME(ack_n);
    SAME(ack_total_s);
    SAME(ack_mean_s);
    SAME(resolve_n);
    SAME(resolve_total_s);
    SAME(resolve_mean_s);
    SAME(revisited);
    SAME(satisfaction_sum);
    for (int k = 0; k < GJ_CSTATS_SCORES; k++)
        SAME(by_score[k]);
    for (int g = 0; g < GJ_CSTATS_GRADES; g++)
        SAME(by_grade[g]);
    for (int c = 0; c < GJ_CSTATS_CATEGORIES; c++)
        SAME(by_category[c]);
    SAME(n_months);
    for (int i = 0; i < s->n_months && i < d->n_months; i++) {
        SAME(months[i].yyyymm);
        SAME(months[i].count);
    }
    SAME(n_causes);
    for (int i = 0; i < s->n_causes && i < d->n_causes; i++) {
        SAME(causes[i].count);
        if (!wrong && strcmp(s->causes[i].text, d->causes[i].text) != 0)
            wrong = "causes[i].text";
    }
#undef SAME
    int64_t unit[GJ_CSTATS_REPEATS], count[GJ_CSTATS_REPEATS];
    int n = direct_repeats(now - GJ_CSTATS_REPEAT_DAYS * DAY, now + 1, GJ_CSTATS_REPEAT_MIN,
                           GJ_CSTATS_REPEATS, unit, count);
    if (!wrong && s->n_repeats != n)
        wrong = "n_repeats";
    for (int i = 0; !wrong && i < n; i++)
        if (s->repeats[i].unit_id != unit[i] || s->repeats[i].count != count[i])
            wrong = "repeats";
    if (wrong && must)
        fail_msg("%s differs over [%lld, %lld) at %lld", wrong, (long long)from, (long long)to,
                 (long long)now);
    free(s);
    free(d);
    return wrong == NULL;
}

/* Ranges with edges inside UTC+8 days, inside one day, on day edges,
 * empty, reversed and unbounded, around now. */
static void all_ranges_agree(void)
{
    int64_t now = gj_now();
    int64_t day0 = floor_div(now + 28800, DAY) * DAY - 28800; /* today, UTC+8 */
    const int64_t ranges[][2] = {
        {now - 365 * DAY, now + 1},
        {day0 - 27 * DAY + 5 * 3600 + 17, day0 - 9 * DAY + 13 * 3600 + 42},
        {day0 - 2 * DAY + 3600, day0 - 2 * DAY + 20 * 3600},
        {day0 - 40 * DAY, day0},
        {day0 - 40 * DAY, day0 + DAY},
        {day0 + 1, now + 1},
        {day0, day0},
        {now, now - DAY},
        {day0 - 3 * DAY, day0 - 3 * DAY + 1},
        {day0 - 60 * DAY - 1, now - 1},
        {INT64_MIN, INT64_MAX},
        {0, INT64_MAX},
        {INT64_MIN, now},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        same_figures(ranges[i][0], ranges[i][1], now, 1);
    /* Every range between points just around the newest complaints and
     * the midnights (UTC+8) next to them. */
    int64_t at[64];
    int n = 0;
    sqlite3_stmt *st = prep("SELECT created_at FROM complaints ORDER BY id DESC LIMIT 6");
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t t = sqlite3_column_int64(st, 0);
        int64_t midnight = floor_div(t + 28800, DAY) * DAY - 28800;
        const int64_t near[] = {t - 1, t, t + 1, midnight, midnight + 1800, midnight + DAY - 1};
        for (size_t k = 0; k < sizeof near / sizeof near[0]; k++)
            at[n++] = near[k];
    }
    sqlite3_finalize(st);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (at[i] < at[j])
                same_figures(at[i], at[j], now, 1);
    /* The repeat units move with the clock. */
    same_figures(now - 30 * DAY, now, now - 45 * DAY, 1);
    same_figures(now - 30 * DAY, now, now + 60 * DAY, 1);
    same_figures(now - 30 * DAY, now, day0 - 1, 1);
}

/* The report's months, by month rows and repeat units against the
 * complaints, in the time zone TZ is set to. */
static void report_agrees(int64_t from, int64_t to, int64_t now)
{
    struct gj_report *r = calloc(1, sizeof *r);
    assert_non_null(r);
    struct gj_error err;
    gj_test_must(gj_report_run(db, "complaints", from, to, now, r, &err), &err);
    assert_true(r->n_tables >= 6);
    struct gj_complaint_stats *d = malloc(sizeof *d);
    assert_non_null(d);
    direct(from, to, now, d);
    const struct gj_report_table *sum = &r->tables[0];
    assert_int_equal(sum->cells[0][1].v, d->total);
    assert_int_equal(sum->cells[1][1].v, d->resolved);
    assert_int_equal(sum->cells[2][1].v, d->on_time);
    for (int g = 0; g < GJ_CSTATS_GRADES; g++)
        assert_int_equal(r->tables[1].cells[g][1].v, d->by_grade[g]);
    for (int c = 0; c < GJ_CSTATS_CATEGORIES; c++)
        assert_int_equal(r->tables[2].cells[c][1].v, d->by_category[c]);
    free(d);
    const struct gj_report_table *month = &r->tables[3];
    int ym = gj_month_of(from);
    for (int i = 0; i < month->n_rows; i++, ym = gj_month_add(ym, 1)) {
        int64_t lo = gj_month_start(ym), hi = gj_month_start(gj_month_add(ym, 1));
        if (lo < from)
            lo = from;
        if (hi > to)
            hi = to;
        d = malloc(sizeof *d);
        assert_non_null(d);
        direct(lo, hi, now, d);
        assert_int_equal(month->cells[i][1].v, d->total);
        assert_int_equal(month->cells[i][2].v, d->resolved);
        assert_int_equal(month->cells[i][3].v, d->on_time);
        free(d);
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM complaints WHERE revisited_at >= %lld AND revisited_at < "
                 "%lld AND satisfaction IS NOT NULL",
                 (long long)lo, (long long)hi);
        assert_int_equal(r->tables[4].cells[i][1].v, gj_test_scalar(db->h, sql, 0));
    }
    int64_t unit[GJ_REPORT_MAX_ROWS], count[GJ_REPORT_MAX_ROWS];
    int n = direct_repeats(to - 90 * DAY, to, 3, GJ_REPORT_MAX_ROWS, unit, count);
    const struct gj_report_table *rep = &r->tables[5];
    assert_int_equal(rep->n_rows, n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(rep->cells[i][0].v, unit[i]);
        assert_int_equal(rep->cells[i][1].v, count[i]);
    }
    free(r);
}

static void reports_agree(void)
{
    int64_t now = gj_now();
    const char *zones[] = {"CST-8", "UTC0", "EST5EDT"};
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        setenv("TZ", zones[z], 1);
        tzset();
        int64_t month = gj_month_start(gj_month_of(now));
        report_agrees(month, now + 1, now);
        report_agrees(gj_month_start(gj_month_add(gj_month_of(now), -3)) + 7 * 3600, now - 5 * 3600,
                      now);
    }
    setenv("TZ", "CST-8", 1);
    tzset();
}

/* ---- the walk ------------------------------------------------------------- */

static void step(struct gj_complaint *c, enum gj_role role, struct gj_complaint_step s)
{
    struct gj_error err;
    gj_test_must(gj_complaint_do(db, 0, role, c, &s, &err), &err);
}

/* Everything agrees: the checks, and the figures over every range. */
static void agrees(void)
{
    run_checks();
    assert_int_equal(day_problems, 0);
    assert_int_equal(cause_problems, 0);
    all_ranges_agree();
}

static struct gj_complaint *take_at(const char *when, const char *grade, const char *category,
                                    int64_t unit_id)
{
    gj_test_set_now(when);
    struct gj_complaint *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->unit_id = unit_id;
    snprintf(c->channel, sizeof c->channel, "%s", "phone");
    snprintf(c->subject, sizeof c->subject, "%s", "楼上装修噪音");
    snprintf(c->detail, sizeof c->detail, "%s", "晚上十点以后还在施工。");
    snprintf(c->category, sizeof c->category, "%s", category);
    snprintf(c->grade, sizeof c->grade, "%s", grade);
    struct gj_error err;
    gj_test_must(gj_complaint_take(db, 0, GJ_ROLE_MANAGER, c, &err), &err);
    return c;
}

static void test_every_step_keeps_the_figures(void **state)
{
    (void)state;
    /* After the demo's bulk load the tables were rebuilt. */
    assert_true(gj_test_scalar(db->h, "SELECT count(*) FROM complaint_day_stats", 0) > 0);
    assert_true(gj_test_scalar(db->h, "SELECT count(*) FROM complaint_cause_days", 0) > 0);
    agrees();
    int64_t unit = gj_test_scalar(db->h, "SELECT min(id) FROM units", 0);

    /* Complaints taken just before and after midnight in China (UTC+8)
     * and midnight UTC, on the same unit: a repeat complainant. */
    struct gj_complaint *a = take_at("2026-11-27T23:59:59", "serious", "noise", unit);
    struct gj_complaint *b = take_at("2026-11-28T00:00:00", "moderate", "fees", unit);
    struct gj_complaint *c = take_at("2026-11-28T08:00:00", "minor", "parking", unit);
    struct gj_complaint *e = take_at("2026-11-29T08:30:00", "minor", "other", unit);
    struct gj_complaint *f = take_at("2026-11-26T00:30:00", "moderate", "security", unit);
    agrees();

    gj_test_set_now("2026-11-29T09:00");
    step(a, GJ_ROLE_MANAGER, (struct gj_complaint_step){.event = "acknowledge"});
    step(b, GJ_ROLE_MANAGER, (struct gj_complaint_step){.event = "acknowledge", .note = "在跟"});
    agrees();
    /* Resolved late, with a root cause padded with white space (an
     * ideographic space too), and one on time without a cause. */
    step(a, GJ_ROLE_MANAGER,
         (struct gj_complaint_step){.event = "resolve",
                                    .action_taken = "约谈施工方",
                                    .result = "已停工",
                                    .root_cause = " \t施工时间管理不严\u3000",
                                    .corrective = "装修须知加夜间禁令",
                                    .revisit_days = 3});
    step(c, GJ_ROLE_MANAGER,
         (struct gj_complaint_step){.event = "resolve",
                                    .action_taken = "挪车",
                                    .result = "已解决",
                                    .root_cause = "施工时间管理不严",
                                    .revisit_days = 3});
    agrees();
    /* A revisit that reopens, then one that closes. */
    step(a, GJ_ROLE_MANAGER,
         (struct gj_complaint_step){.event = "revisit", .satisfaction = 2, .note = "还吵"});
    agrees();
    step(a, GJ_ROLE_MANAGER,
         (struct gj_complaint_step){.event = "resolve",
                                    .action_taken = "再次约谈",
                                    .result = "已停工",
                                    .root_cause = "施工时间管理不严",
                                    .corrective = "罚款",
                                    .revisit_days = 3});
    step(a, GJ_ROLE_MANAGER,
         (struct gj_complaint_step){.event = "revisit", .satisfaction = 5, .note = "好了"});
    step(c, GJ_ROLE_MANAGER, (struct gj_complaint_step){.event = "revisit", .satisfaction = 4});
    agrees();
    /* A regrade, escalations due later, and the cause edited. */
    step(b, GJ_ROLE_MANAGER,
         (struct gj_complaint_step){.event = "regrade", .grade = "serious", .note = "多次"});
    long checked = 0, recorded = 0;
    struct gj_error err;
    gj_test_must(gj_complaint_escalate_due(db, gj_now() + 30 * DAY, &checked, &recorded, &err),
                 &err);
    agrees();
    gj_test_must(gj_complaint_get(db, c->id, c, &err), &err);
    snprintf(c->root_cause, sizeof c->root_cause, "%s", "  车位划线不清 ");
    gj_test_must(gj_complaint_update(db, 0, c, &err), &err);
    agrees();
    snprintf(c->root_cause, sizeof c->root_cause, "%s", "   ");
    gj_test_must(gj_complaint_update(db, 0, c, &err), &err);
    agrees();
    /* Written behind the program's back: the triggers still keep up (a
     * complaint moved to another day and unit, one deleted). */
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE complaints SET created_at = created_at - 5 * 86400 - 3600, unit_id = NULL, "
             "version = version + 1 "
             "WHERE id = %lld",
             (long long)e->id);
    gj_test_exec(db->h, sql);
    agrees();
    /* Complaints are never deleted (a trigger refuses it); should one be,
     * its share goes too. */
    gj_test_exec(db->h, "DROP TRIGGER complaints_no_delete; PRAGMA foreign_keys = OFF");
    snprintf(sql, sizeof sql, "DELETE FROM complaints WHERE id = %lld", (long long)b->id);
    gj_test_exec(db->h, sql);
    gj_test_exec(db->h, "PRAGMA foreign_keys = ON");
    assert_int_equal(gj_test_scalar(db->h, "SELECT count(*) FROM complaints WHERE id = ?", b->id),
                     0);
    run_checks();
    assert_int_equal(day_problems, 0);
    assert_int_equal(cause_problems, 0);
    all_ranges_agree();
    reports_agree();

    /* Twelve units, one per entrance, the last buildings first, with more
     * complaints than any other unit: tied, and more than the figures
     * keep, so the unit codes decide which are kept. */
    sqlite3_stmt *st = prep("SELECT min(id) FROM units GROUP BY building, entrance "
                            "ORDER BY building DESC, entrance DESC LIMIT 12");
    int tied = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        for (int k = 0; k < 12; k++) {
            char when[32];
            snprintf(when, sizeof when, "2026-11-%02dT%02d:%02d", 2 + k * 2, 8 + tied % 10, k);
            free(take_at(when, "minor", "noise", id));
        }
        tied++;
    }
    sqlite3_finalize(st);
    assert_true(tied > GJ_CSTATS_REPEATS);
    gj_test_set_now("2026-11-29T09:00");
    agrees();
    reports_agree();
    free(a);
    free(b);
    free(c);
    free(e);
    free(f);
}

/* When the kept figures drift from the complaints, the check says so and
 * the comparison above catches the figures that would be wrong. */
static void test_drift_is_caught(void **state)
{
    (void)state;
    gj_test_set_now("2026-11-29T09:00");
    int64_t now = gj_now();
    assert_true(same_figures(now - 365 * DAY, now + 1, now, 0));
    gj_test_exec(db->h, "UPDATE complaint_day_stats SET on_time = on_time + 1 WHERE day = "
                        "(SELECT max(day) - 3 FROM complaint_day_stats)");
    run_checks();
    assert_int_equal(day_problems, 2); /* the row as kept and as counted */
    assert_int_equal(cause_problems, 0);
    assert_false(same_figures(now - 365 * DAY, now + 1, now, 0));
    gj_test_exec(db->h,
                 "UPDATE complaint_cause_days SET n = n + 5 WHERE (day, cause) = (SELECT day, "
                 "cause FROM complaint_cause_days WHERE day < (SELECT max(day) - 2 FROM "
                 "complaint_cause_days) ORDER BY day DESC LIMIT 1)");
    run_checks();
    assert_int_equal(cause_problems, 2);
    /* A missing row is one problem more. */
    gj_test_exec(db->h, "DELETE FROM complaint_day_stats WHERE day = (SELECT min(day) FROM "
                        "complaint_day_stats)");
    run_checks();
    assert_int_equal(day_problems, 3);
    /* Counted afresh (as a bulk load's end does), all agree again. */
    gj_test_exec(db->h, "DELETE FROM complaint_day_stats; DELETE FROM complaint_cause_days");
    gj_test_exec(db->h,
                 ""
                 "INSERT INTO complaint_day_stats SELECT ((created_at + 28800) - ((created_at + "
                 "28800) % 86400 + 86400) % 86400) / 86400, "
                 "count(*), sum(resolved_at IS NOT NULL), "
                 "sum(coalesce(resolved_at <= resolve_due_at, 0)), "
                 "sum(acknowledged_at IS NOT NULL), "
                 "sum(coalesce(acknowledged_at - created_at, 0)), "
                 "sum(coalesce(resolved_at - created_at, 0)), sum(satisfaction IS NOT NULL), "
                 "sum(coalesce(satisfaction, 0)), sum(coalesce(satisfaction = 1, 0)), "
                 "sum(coalesce(satisfaction = 2, 0)), sum(coalesce(satisfaction = 3, 0)), "
                 "sum(coalesce(satisfaction = 4, 0)), sum(coalesce(satisfaction = 5, 0)), "
                 "sum(grade = 'minor'), sum(grade = 'moderate'), sum(grade = 'serious'), "
                 "sum(category = 'attitude'), sum(category = 'repair_quality'), "
                 "sum(category = 'noise'), sum(category = 'sanitation'), "
                 "sum(category = 'security'), sum(category = 'fees'), "
                 "sum(category = 'parking'), sum(category = 'neighbour'), "
                 "sum(category = 'other') FROM complaints GROUP BY 1");
    gj_test_exec(db->h, "INSERT INTO complaint_cause_days SELECT ((created_at + 28800) - "
                        "((created_at + 28800) % 86400 + 86400) % 86400) / 86400, "
                        "trim(root_cause, ' ' || char(9, 10, 13, 12288)), count(*) FROM "
                        "complaints WHERE trim(root_cause, ' ' || char(9, 10, 13, 12288)) <> '' "
                        "GROUP BY 1, 2");
    agrees();
}

int main(void)
{
    setenv("TZ", "CST-8", 1); /* what ctest sets; also when run by hand */
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_step_keeps_the_figures),
        cmocka_unit_test(test_drift_is_caught),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
