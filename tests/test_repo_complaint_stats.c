/* repo/complaint_stats: every figure of a small estate with known answers
 * -- counts by grade, category and China-time month, the on-time rate,
 * the mean times to acknowledge and resolve, the revisit scores, the
 * common root causes and the repeat units -- with the edges: a complaint
 * exactly at `from` counts and one exactly at `to` does not, a month
 * starts at 00:00 UTC+8, the repeat window includes its first second, a
 * unit with 2 complaints in 90 days is not a repeat and one with 3 is, an
 * empty range gives zeros. And the queries walk the created_at index. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_complaint_stats.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_owners.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY  INT64_C(86400)
#define HOUR INT64_C(3600)

/* Epoch seconds of a China-time (UTC+8) wall clock reading. */
static int64_t cn(int y, int m, int d, int hh, int mi, int ss)
{
    int64_t yy = m <= 2 ? y - 1 : y;
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return days * DAY + hh * HOUR + mi * 60 + ss - 8 * HOUR;
}

/* Sets GUANJIA_NOW (local time; the tests run with TZ=CST-8) to t. */
static void set_now(int64_t t)
{
    time_t local = (time_t)(t + 8 * HOUR);
    struct tm tm;
    gmtime_r(&local, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    setenv("GUANJIA_NOW", buf, 1);
}

/* ---- fixture -------------------------------------------------------------- */

enum { UA, UB, UC, UD, NUNITS };

struct fx {
    struct gj_db *db;
    int64_t unit[NUNITS];
    int64_t now;
};

static int64_t make_unit(struct gj_db *db, int building, int entrance, int room)
{
    struct gj_unit u = {.building = building,
                        .entrance = entrance,
                        .room = room,
                        .area_centi_m2 = 9800,
                        .delivered_at = cn(2024, 1, 1, 0, 0, 0)};
    return gj_test_add_unit(db, 0, &u);
}

/* One complaint of the data set. Offsets are seconds after created_at;
 * -1 = never happened. */
struct spec {
    int unit; /* UA.. or -1 for none */
    int64_t at;
    const char *grade, *category;
    int64_t ack, resolve, due; /* due: resolve_due_at offset */
    int satisfaction;          /* 0 = not revisited */
    const char *root_cause;    /* NULL = none */
};

static void transition(struct fx *f, struct gj_complaint *c, const char *state, const char *kind)
{
    struct gj_error err;
    struct gj_complaint_event ev;
    memset(&ev, 0, sizeof ev);
    strcpy(ev.kind, kind);
    ev.from_level = ev.to_level = -1;
    strcpy(c->state, state);
    if (gj_complaint_transition(f->db, 0, c, &ev, &err) != GJ_OK)
        fail_msg("%s: %s", kind, err.msg);
}

static void add(struct fx *f, const struct spec *s)
{
    struct gj_error err;
    struct gj_complaint *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->unit_id = s->unit >= 0 ? f->unit[s->unit] : 0;
    strcpy(c->channel, "phone");
    strcpy(c->subject, "测试投诉");
    strcpy(c->detail, "用于统计的投诉。");
    strcpy(c->category, s->category);
    strcpy(c->grade, s->grade);
    c->ack_due_at = s->at + HOUR;
    c->resolve_due_at = s->at + s->due;
    if (s->root_cause) {
        snprintf(c->root_cause, sizeof c->root_cause, "%s", s->root_cause);
        strcpy(c->corrective_action, "加强检查");
    }
    set_now(s->at);
    if (gj_complaint_create(f->db, 0, c, &err) != GJ_OK)
        fail_msg("create: %s", err.msg);
    assert_int_equal(c->created_at, s->at); /* TZ=CST-8, as ctest sets it */
    if (s->ack >= 0) {
        c->acknowledged_at = s->at + s->ack;
        set_now(c->acknowledged_at);
        transition(f, c, "acknowledged", "acknowledged");
    }
    if (s->resolve >= 0) {
        c->resolved_at = s->at + s->resolve;
        c->revisit_due_at = c->resolved_at + 3 * DAY;
        set_now(c->resolved_at);
        transition(f, c, "resolved", "resolved");
    }
    if (s->satisfaction) {
        c->satisfaction = s->satisfaction;
        c->revisited_at = c->closed_at = c->resolved_at + DAY;
        set_now(c->revisited_at);
        transition(f, c, "closed", "closed");
    }
    free(c);
}

/* The range of the main figures: September to November 2026 in China. */
#define FROM cn(2026, 9, 1, 0, 0, 0)
#define TO   cn(2026, 12, 1, 0, 0, 0)

static int setup_empty(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct gj_error err;
    set_now(cn(2026, 11, 29, 9, 0, 0));
    f->now = gj_now();
    if (gj_db_open(":memory:", GJ_DB_CREATE, &f->db, &err) != GJ_OK)
        fail_msg("open: %s", err.msg);
    f->unit[UA] = make_unit(f->db, 3, 2, 501);
    f->unit[UB] = make_unit(f->db, 3, 2, 502);
    f->unit[UC] = make_unit(f->db, 5, 1, 302);
    f->unit[UD] = make_unit(f->db, 1, 1, 101);
    *state = f;
    return 0;
}

/* now = 2026-11-29 09:00; the repeat window is [2026-08-31 09:00, now]. */
static int setup_estate(void **state)
{
    setup_empty(state);
    struct fx *f = *state;
    const struct spec data[] = {
        /* 0: exactly at FROM: counts */
        {UD, FROM, "minor", "attitude", 1800, 4 * HOUR, DAY, 4, "前台培训不足"},
        /* 1: root cause with white space around it (ideographic space, LF) */
        {UA, cn(2026, 9, 10, 10, 0, 0), "minor", "noise", 1800, DAY, 2 * DAY, 5,
         "  夜间施工管理不到位\xE3\x80\x80\n"},
        /* 2: resolved a day late */
        {UA, cn(2026, 10, 5, 14, 0, 0), "moderate", "noise", HOUR, 3 * DAY, 2 * DAY, 3,
         "夜间施工管理不到位"},
        /* 3: resolved exactly at its deadline: on time */
        {UB, cn(2026, 10, 20, 8, 0, 0), "serious", "repair_quality", 600, 2 * DAY, 2 * DAY, 2,
         "维修验收不严"},
        /* 4: 00:00 on 1 November in China is still October in UTC */
        {UB, cn(2026, 11, 1, 0, 0, 0), "minor", "fees", 2 * HOUR, -1, DAY, 0, "账单核对流程缺失"},
        /* 5: open; a root cause of white space only does not count */
        {UC, cn(2026, 11, 28, 20, 0, 0), "minor", "parking", -1, -1, DAY, 0, "\xE3\x80\x80 "},
        /* 6: exactly at TO (and after now): outside the range and the window */
        {UB, TO, "serious", "security", 100, HOUR, DAY, 1, "不应计入"},
        /* 7: one second before FROM: outside the range, inside the window */
        {UD, FROM - 1, "moderate", "neighbour", 60, -1, DAY, 0, "邻里沟通不足"},
        /* 8: exactly at now */
        {UA, cn(2026, 11, 29, 9, 0, 0), "minor", "sanitation", -1, -1, DAY, 0, "保洁排班不足"},
        /* 9: the first second of the 90-day window */
        {UD, cn(2026, 8, 31, 9, 0, 0), "minor", "other", -1, -1, DAY, 0, NULL},
        /* 10: one second before the window */
        {UD, cn(2026, 8, 31, 8, 59, 59), "minor", "other", -1, -1, DAY, 0, NULL},
        /* 11: resolved, not yet revisited */
        {UA, cn(2026, 11, 15, 10, 0, 0), "moderate", "repair_quality", 1200, DAY, 2 * DAY, 0,
         "维修验收不严"},
        /* 12: no unit */
        {-1, cn(2026, 10, 10, 12, 0, 0), "minor", "other", 300, -1, DAY, 0, "维修验收不严"},
        /* 13: a sixth distinct root cause, the one cut off */
        {UC, cn(2026, 9, 20, 10, 0, 0), "minor", "security", -1, -1, DAY, 0, "门岗登记不严"},
    };
    for (size_t i = 0; i < sizeof data / sizeof data[0]; i++)
        add(f, &data[i]);
    set_now(f->now);
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    gj_db_close(f->db);
    free(f);
    return 0;
}

static struct gj_complaint_stats *stats(struct fx *f, int64_t from, int64_t to)
{
    struct gj_error err;
    struct gj_complaint_stats *s = malloc(sizeof *s);
    assert_non_null(s);
    memset(s, 0xA5, sizeof *s); /* everything must be written */
    if (gj_complaint_stats(f->db, from, to, f->now, s, &err) != GJ_OK)
        fail_msg("stats: %s", err.msg);
    assert_int_equal(s->from, from);
    assert_int_equal(s->to, to);
    assert_int_equal(s->now, f->now);
    return s;
}

static void assert_range_zero(const struct gj_complaint_stats *s)
{
    assert_int_equal(s->total, 0);
    for (int i = 0; i < GJ_CSTATS_GRADES; i++)
        assert_int_equal(s->by_grade[i], 0);
    for (int i = 0; i < GJ_CSTATS_CATEGORIES; i++)
        assert_int_equal(s->by_category[i], 0);
    for (int i = 0; i < s->n_months; i++)
        assert_int_equal(s->months[i].count, 0);
    assert_int_equal(s->on_time, 0);
    assert_int_equal(s->resolved, 0);
    assert_int_equal(s->ack_n, 0);
    assert_int_equal(s->ack_total_s, 0);
    assert_int_equal(s->ack_mean_s, 0);
    assert_int_equal(s->resolve_n, 0);
    assert_int_equal(s->resolve_total_s, 0);
    assert_int_equal(s->resolve_mean_s, 0);
    assert_int_equal(s->revisited, 0);
    assert_int_equal(s->satisfaction_sum, 0);
    for (int i = 0; i < GJ_CSTATS_SCORES; i++)
        assert_int_equal(s->by_score[i], 0);
    assert_int_equal(s->n_causes, 0);
}

/* The repeat units of the estate: 3-2-501 with 4 (1, 2, 8, 11), 1-1-101
 * with 3 (0, 7 and 9 at the window's first second; 10 is a second too
 * early). 3-2-502 has 2 (6 is after now), 5-1-302 has 2. */
static void assert_repeats(const struct fx *f, const struct gj_complaint_stats *s)
{
    assert_int_equal(s->n_repeats, 2);
    assert_int_equal(s->repeats[0].unit_id, f->unit[UA]);
    assert_string_equal(s->repeats[0].unit_code, "3-2-501");
    assert_int_equal(s->repeats[0].count, 4);
    assert_int_equal(s->repeats[1].unit_id, f->unit[UD]);
    assert_string_equal(s->repeats[1].unit_code, "1-1-101");
    assert_int_equal(s->repeats[1].count, 3);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_every_figure(void **state)
{
    struct fx *f = *state;
    struct gj_complaint_stats *s = stats(f, FROM, TO);
    /* In range: 0 1 2 3 4 5 8 11 12 13. */
    assert_int_equal(s->total, 10);
    static const int64_t grades[GJ_CSTATS_GRADES] = {7, 2, 1};
    for (int i = 0; i < GJ_CSTATS_GRADES; i++)
        assert_int_equal(s->by_grade[i], grades[i]);
    assert_string_equal(gj_cstats_grade_codes[1], "moderate");
    /* attitude repair_quality noise sanitation security fees parking neighbour other */
    static const int64_t cats[GJ_CSTATS_CATEGORIES] = {1, 2, 2, 1, 1, 1, 1, 0, 1};
    for (int i = 0; i < GJ_CSTATS_CATEGORIES; i++)
        assert_int_equal(s->by_category[i], cats[i]);
    assert_string_equal(gj_cstats_category_codes[1], "repair_quality");
    assert_string_equal(gj_cstats_category_codes[8], "other");

    /* September: 0 (at 00:00), 1, 13; October: 2, 3, 12; November: 4 (at
     * 00:00 China time), 5, 8, 11. */
    assert_int_equal(s->n_months, 3);
    assert_string_equal(s->months[0].label, "2026-09");
    assert_int_equal(s->months[0].yyyymm, 202609);
    assert_int_equal(s->months[0].count, 3);
    assert_string_equal(s->months[1].label, "2026-10");
    assert_int_equal(s->months[1].count, 3);
    assert_string_equal(s->months[2].label, "2026-11");
    assert_int_equal(s->months[2].count, 4);

    /* Resolved: 0 1 2 3 11; 2 was late, 3 exactly on its deadline. */
    assert_int_equal(s->resolved, 5);
    assert_int_equal(s->on_time, 4);
    /* Acknowledged: 0 1 2 3 4 11 12. */
    assert_int_equal(s->ack_n, 7);
    assert_int_equal(s->ack_total_s, 1800 + 1800 + 3600 + 600 + 7200 + 1200 + 300);
    assert_int_equal(s->ack_mean_s, 16500 / 7); /* 2357, rounded down */
    assert_int_equal(s->resolve_n, 5);
    assert_int_equal(s->resolve_total_s, 4 * HOUR + DAY + 3 * DAY + 2 * DAY + DAY);
    assert_int_equal(s->resolve_mean_s, 123840);
    /* Revisited: 0 (4), 1 (5), 2 (3), 3 (2). */
    assert_int_equal(s->revisited, 4);
    assert_int_equal(s->satisfaction_sum, 14);
    static const int64_t scores[GJ_CSTATS_SCORES] = {0, 1, 1, 1, 1};
    for (int i = 0; i < GJ_CSTATS_SCORES; i++)
        assert_int_equal(s->by_score[i], scores[i]);

    /* Root causes, trimmed; ties by text (code point order); 门岗登记不严
     * is the sixth; 6 and 7 are outside the range; 5 is blank. */
    assert_int_equal(s->n_causes, 5);
    assert_string_equal(s->causes[0].text, "维修验收不严");
    assert_int_equal(s->causes[0].count, 3);
    assert_string_equal(s->causes[1].text, "夜间施工管理不到位");
    assert_int_equal(s->causes[1].count, 2);
    assert_string_equal(s->causes[2].text, "保洁排班不足");
    assert_int_equal(s->causes[2].count, 1);
    assert_string_equal(s->causes[3].text, "前台培训不足");
    assert_int_equal(s->causes[3].count, 1);
    assert_string_equal(s->causes[4].text, "账单核对流程缺失");
    assert_int_equal(s->causes[4].count, 1);

    assert_repeats(f, s);
    free(s);
}

static void test_bounds_of_the_range(void **state)
{
    struct fx *f = *state;
    /* [TO, TO + 1 s): only complaint 6. */
    struct gj_complaint_stats *s = stats(f, TO, TO + 1);
    assert_int_equal(s->total, 1);
    assert_int_equal(s->by_grade[2], 1);
    assert_int_equal(s->by_category[4], 1);
    assert_int_equal(s->ack_n, 1);
    assert_int_equal(s->ack_mean_s, 100);
    assert_int_equal(s->resolved, 1);
    assert_int_equal(s->on_time, 1); /* an hour in, a day allowed */
    assert_int_equal(s->revisited, 1);
    assert_int_equal(s->by_score[0], 1);
    assert_int_equal(s->n_months, 1); /* up to the newest complaint, past now */
    assert_string_equal(s->months[0].label, "2026-12");
    assert_int_equal(s->months[0].count, 1);
    free(s);
    /* [FROM - 1, FROM): only complaint 7, in August. */
    s = stats(f, FROM - 1, FROM);
    assert_int_equal(s->total, 1);
    assert_int_equal(s->n_months, 1);
    assert_string_equal(s->months[0].label, "2026-08");
    assert_int_equal(s->months[0].count, 1);
    assert_int_equal(s->n_causes, 1);
    assert_string_equal(s->causes[0].text, "邻里沟通不足");
    free(s);
    /* October alone in China time: 2 3 12, not 4 (UTC October). */
    s = stats(f, cn(2026, 10, 1, 0, 0, 0), cn(2026, 11, 1, 0, 0, 0));
    assert_int_equal(s->total, 3);
    assert_int_equal(s->n_months, 1);
    assert_string_equal(s->months[0].label, "2026-10");
    assert_int_equal(s->months[0].count, 3);
    free(s);
}

static void test_all_time_keeps_twelve_months(void **state)
{
    struct fx *f = *state;
    struct gj_complaint_stats *s = stats(f, INT64_MIN, INT64_MAX);
    assert_int_equal(s->total, 14);
    /* Up to the newest complaint (6, December, after now), 12 months back. */
    assert_int_equal(s->n_months, GJ_CSTATS_MONTHS);
    assert_string_equal(s->months[0].label, "2026-01");
    assert_string_equal(s->months[11].label, "2026-12");
    static const int64_t counts[12] = {0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 4, 1};
    int64_t sum = 0;
    for (int i = 0; i < 12; i++) {
        assert_int_equal(s->months[i].yyyymm, 202601 + i);
        assert_int_equal(s->months[i].count, counts[i]);
        sum += s->months[i].count;
    }
    assert_int_equal(sum, s->total);
    assert_int_equal(s->resolved, 6);
    assert_int_equal(s->on_time, 5);
    assert_int_equal(s->n_causes, 5);
    assert_int_equal(s->causes[0].count, 3);
    assert_repeats(f, s);
    free(s);
}

static void test_empty_ranges_are_zero(void **state)
{
    struct fx *f = *state;
    /* No time at all: no months either. */
    struct gj_complaint_stats *s = stats(f, FROM, FROM);
    assert_range_zero(s);
    assert_int_equal(s->n_months, 0);
    assert_repeats(f, s); /* the repeats do not depend on the range */
    free(s);
    s = stats(f, TO, FROM);
    assert_range_zero(s);
    assert_int_equal(s->n_months, 0);
    free(s);
    /* A quarter without complaints: its months, each zero. */
    s = stats(f, cn(2025, 1, 1, 0, 0, 0), cn(2025, 4, 1, 0, 0, 0));
    assert_range_zero(s);
    assert_int_equal(s->n_months, 3);
    assert_string_equal(s->months[0].label, "2025-01");
    assert_string_equal(s->months[2].label, "2025-03");
    free(s);
    /* A future range without complaints: nothing has happened there yet. */
    s = stats(f, cn(2027, 1, 1, 0, 0, 0), cn(2027, 2, 1, 0, 0, 0));
    assert_range_zero(s);
    assert_int_equal(s->n_months, 0);
    free(s);
}

static void test_no_complaints_at_all(void **state)
{
    struct fx *f = *state;
    struct gj_complaint_stats *s = stats(f, FROM, TO);
    assert_range_zero(s);
    assert_int_equal(s->n_months, 3);
    assert_int_equal(s->n_repeats, 0);
    free(s);
}

/* Inside the caller's own read the figures are the same (a savepoint). */
static void test_nested_in_a_read(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    assert_int_equal(gj_db_begin_read(f->db, &err), GJ_OK);
    struct gj_complaint_stats *s = stats(f, FROM, TO);
    gj_db_rollback(f->db);
    assert_int_equal(s->total, 10);
    assert_int_equal(s->n_repeats, 2);
    free(s);
}

/* Every query the figures ran that reads complaints by created_at walks
 * the created_at index (no full scan of the table). */
static void test_queries_use_the_created_index(void **state)
{
    struct fx *f = *state;
    free(stats(f, FROM, TO));
    int checked = 0;
    for (int i = 0; i < GJ_STMT_CACHE; i++) {
        const char *sql = f->db->cache[i].sql;
        if (!sql || !strstr(sql, "FROM complaints") || !strstr(sql, "created_at >="))
            continue;
        char q[4096];
        snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(f->db->h, q, -1, &st, NULL) != SQLITE_OK)
            fail_msg("%s: %s", q, sqlite3_errmsg(f->db->h));
        char plan[4096] = "";
        while (sqlite3_step(st) == SQLITE_ROW) {
            strncat(plan, (const char *)sqlite3_column_text(st, 3), sizeof plan - strlen(plan) - 2);
            strcat(plan, "\n");
        }
        sqlite3_finalize(st);
        if (!strstr(plan, "INDEX complaints_report") || strstr(plan, "SCAN c"))
            fail_msg("does not use complaints_report:\n%s\n%s", sql, plan);
        checked++;
    }
    /* The sums (with grades and categories), the newest, the causes and
     * the repeat units; more when a range cuts a day. */
    assert_true(checked >= 4);
}

int main(void)
{
    setenv("TZ", "CST-8", 1); /* what ctest sets; also when run by hand */
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_figure, setup_estate, teardown),
        cmocka_unit_test_setup_teardown(test_bounds_of_the_range, setup_estate, teardown),
        cmocka_unit_test_setup_teardown(test_all_time_keeps_twelve_months, setup_estate, teardown),
        cmocka_unit_test_setup_teardown(test_empty_ranges_are_zero, setup_estate, teardown),
        cmocka_unit_test_setup_teardown(test_no_complaints_at_all, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_nested_in_a_read, setup_estate, teardown),
        cmocka_unit_test_setup_teardown(test_queries_use_the_created_index, setup_estate, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
