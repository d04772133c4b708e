/* Complaint figures and the rows of the complaint export. */
#include "guanjia/repo_complaint_stats.h"

#include "repo_internal.h"
#include "guanjia/i18n.h"
#include "guanjia/unitcode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY       INT64_C(86400)
#define CN_OFFSET INT64_C(28800) /* China time, UTC+8, no daylight saving */

/* Months are computed for years 1..9999 only. */
#define EPOCH_MIN INT64_C(-62135596800) /* 0001-01-01T00:00:00Z */
#define EPOCH_MAX INT64_C(253402271999) /* 9999-12-31T15:59:59Z = 23:59:59 UTC+8 */

const char *const gj_cstats_grade_codes[GJ_CSTATS_GRADES] = {"minor", "moderate", "serious"};
const char *const gj_cstats_category_codes[GJ_CSTATS_CATEGORIES] = {
    "attitude", "repair_quality", "noise",     "sanitation", "security",
    "fees",     "parking",        "neighbour", "other"};

/* White space trimmed from root causes: space, tab, LF, CR and the
 * ideographic space U+3000 that Chinese input methods type. */
#define CAUSE_TRIM GJ_CAUSE_TRIM_SQL

/* ---- calendar months in UTC+8 --------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back
 * (H. Hinnant's algorithms). */
static int64_t days_from_civil(int y, int m, int d)
{
    int64_t yy = m <= 2 ? y - 1 : y;
    int64_t era = floor_div(yy, 400);
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int month_of_days(int64_t z)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    return (int)(y * 100 + m);
}

/* The yyyymm holding t (within EPOCH_MIN..EPOCH_MAX), in UTC+8. */
static int cn_month_of(int64_t t)
{
    return month_of_days(floor_div(t + CN_OFFSET, DAY));
}

/* The first second of month yyyymm in UTC+8. */
static int64_t cn_month_start(int yyyymm)
{
    return days_from_civil(yyyymm / 100, yyyymm % 100, 1) * DAY - CN_OFFSET;
}

static int month_next(int yyyymm)
{
    return yyyymm % 100 == 12 ? (yyyymm / 100 + 1) * 100 + 1 : yyyymm + 1;
}

static int month_prev(int yyyymm)
{
    return yyyymm % 100 == 1 ? (yyyymm / 100 - 1) * 100 + 12 : yyyymm - 1;
}

/* ---- sums by day ---------------------------------------------------------- */

/* How a range [lo, hi) is read: the whole days [dlo, dhi) (UTC+8) from the
 * tables kept by day (migration 16), the complaints taken in [lo, e1) and
 * [e2, hi) from the complaints themselves. */
struct cspan {
    int64_t dlo, dhi, e1, e2;
};

static int64_t day_start(int64_t d)
{
    return d * DAY - CN_OFFSET;
}

/* Whether any complaint was taken in [lo, hi): 1, 0, or -1 after a
 * failure (err says why). */
static int any_taken(struct gj_db *db, int64_t lo, int64_t hi, struct gj_error *err)
{
    if (hi <= lo)
        return 0;
    const int64_t range[] = {lo, hi};
    int64_t any = 0;
    if (gj_db_int_of(db,
                     "SELECT EXISTS (SELECT 1 FROM complaints WHERE created_at >= ?1 AND "
                     "created_at < ?2)",
                     range, 2, &any, _("counting complaints"), err) != GJ_OK)
        return -1;
    return (int)any;
}

/* The whole days of [lo, hi) (hi > lo), and a day the range cuts too when
 * none of its complaints fall outside the range (so today, in a range that
 * ends now). */
static int span_of(struct gj_db *db, int64_t lo, int64_t hi, struct cspan *sp, struct gj_error *err)
{
    /* Far ends are brought in (the complaints beyond are read one by one,
     * if any): no overflow in the arithmetic of days. */
    const int64_t far = INT64_C(1) << 60;
    int64_t l = lo < -far ? -far : lo > far ? far : lo;
    int64_t h = hi < -far ? -far : hi > far ? far : hi;
    sp->dlo = -floor_div(-(l + CN_OFFSET), DAY); /* the first day starting at or after lo */
    sp->dhi = floor_div(h + CN_OFFSET, DAY);     /* the day holding hi */
    if (day_start(sp->dlo) > lo) {
        int any = any_taken(db, day_start(sp->dlo - 1), lo, err);
        if (any < 0)
            return err->code;
        sp->dlo -= !any;
    }
    if (day_start(sp->dhi) < hi) {
        int any = any_taken(db, hi, day_start(sp->dhi + 1), err);
        if (any < 0)
            return err->code;
        sp->dhi += !any;
    }
    if (sp->dlo >= sp->dhi) {
        sp->dlo = sp->dhi = 0;
        sp->e1 = sp->e2 = hi;
    } else {
        sp->e1 = day_start(sp->dlo);
        sp->e2 = day_start(sp->dhi);
    }
    return GJ_OK;
}

/* ?1 ?2 the range, ?3 ?4 its whole days, ?5 ?6 where they start and end. */
static void bind_span(sqlite3_stmt *st, int64_t lo, int64_t hi, const struct cspan *sp)
{
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    sqlite3_bind_int64(st, 3, sp->dlo);
    sqlite3_bind_int64(st, 4, sp->dhi);
    sqlite3_bind_int64(st, 5, sp->e1);
    sqlite3_bind_int64(st, 6, sp->e2);
}

#define SUM_COLS                                                                                   \
    "sum(n), sum(resolved), sum(on_time), sum(ack_n), sum(ack_s), sum(resolve_s), sum(sat_n), "    \
    "sum(sat_sum), sum(s1), sum(s2), sum(s3), sum(s4), sum(s5), sum(g_minor), sum(g_moderate), "   \
    "sum(g_serious), sum(c_attitude), sum(c_repair_quality), sum(c_noise), sum(c_sanitation), "    \
    "sum(c_security), sum(c_fees), sum(c_parking), sum(c_neighbour), sum(c_other)"

int gj_cstats_sums(struct gj_db *db, int64_t lo, int64_t hi, struct gj_cstats_sums *out,
                   struct gj_error *err)
{
    memset(out, 0, sizeof *out);
    if (hi <= lo)
        return GJ_OK;
    struct cspan sp;
    int rc = span_of(db, lo, hi, &sp, err);
    if (rc != GJ_OK)
        return rc;
    /* The whole days, then each complaint of the hours at either end (its
     * share as the triggers count it), added up. */
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "SELECT " SUM_COLS " FROM (SELECT " GJ_CDAY_COLS " FROM complaint_day_stats "
                   "WHERE day >= ?3 AND day < ?4 "
                   "UNION ALL SELECT " GJ_CDAY_VALUES " FROM complaints WHERE created_at >= ?1 "
                   "AND created_at < ?5 "
                   "UNION ALL SELECT " GJ_CDAY_VALUES " FROM complaints WHERE created_at >= ?6 "
                   "AND created_at < ?2)",
                   err);
    if (!st)
        return err->code;
    bind_span(st, lo, hi, &sp);
    rc = gj_step_one(db, st, _("counting complaints"), err);
    if (rc != GJ_OK)
        return rc;
    int k = 0;
    int64_t *const one[] = {&out->total, &out->resolved,  &out->on_time, &out->ack_n,
                            &out->ack_s, &out->resolve_s, &out->sat_n,   &out->sat_sum};
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
        *one[i] = sqlite3_column_int64(st, k++);
    for (int i = 0; i < GJ_CSTATS_SCORES; i++)
        out->by_score[i] = sqlite3_column_int64(st, k++);
    for (int i = 0; i < GJ_CSTATS_GRADES; i++)
        out->by_grade[i] = sqlite3_column_int64(st, k++);
    for (int i = 0; i < GJ_CSTATS_CATEGORIES; i++)
        out->by_category[i] = sqlite3_column_int64(st, k++);
    gj_stmt_done(st);
    return GJ_OK;
}

/* *n gets how many complaints were taken in [lo, hi) (the sums' total,
 * without the rest). */
static int count_taken(struct gj_db *db, int64_t lo, int64_t hi, int64_t *n, struct gj_error *err)
{
    *n = 0;
    if (hi <= lo)
        return GJ_OK;
    struct cspan sp;
    int rc = span_of(db, lo, hi, &sp, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "SELECT (SELECT coalesce(sum(n), 0) FROM complaint_day_stats WHERE day >= ?3 "
                   "AND day < ?4) + (SELECT count(*) FROM complaints WHERE created_at >= ?1 "
                   "AND created_at < ?5) + (SELECT count(*) FROM complaints WHERE created_at >= ?6 "
                   "AND created_at < ?2)",
                   err);
    if (!st)
        return err->code;
    bind_span(st, lo, hi, &sp);
    rc = gj_step_one(db, st, _("counting complaints by month"), err);
    if (rc != GJ_OK)
        return rc;
    *n = sqlite3_column_int64(st, 0);
    gj_stmt_done(st);
    return GJ_OK;
}

/* ---- repeat complainants ---------------------------------------------------- */

struct unit_count {
    int64_t unit_id, count;
    int building, entrance, room;
    int state; /* 0 not looked up, 1 found, -1 no such unit */
};

static int by_count(const void *a, const void *b)
{
    const struct unit_count *x = a, *y = b;
    return (x->count < y->count) - (x->count > y->count);
}

static int by_count_code(const void *a, const void *b)
{
    const struct unit_count *x = a, *y = b;
    if (x->count != y->count)
        return (x->count < y->count) - (x->count > y->count);
    if (x->building != y->building)
        return (x->building > y->building) - (x->building < y->building);
    if (x->entrance != y->entrance)
        return (x->entrance > y->entrance) - (x->entrance < y->entrance);
    return (x->room > y->room) - (x->room < y->room);
}

/* An open-addressing table of unit id -> complaints. */
struct unit_table {
    struct unit_count *slot; /* count 0: empty */
    size_t cap, used;
};

static int table_add(struct unit_table *t, int64_t unit_id)
{
    if (t->used * 2 >= t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        struct unit_count *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return GJ_ENOMEM;
        for (size_t i = 0; i < t->cap; i++) {
            if (t->slot[i].count == 0)
                continue;
            size_t j = (size_t)((uint64_t)t->slot[i].unit_id * UINT64_C(0x9E3779B97F4A7C15) >> 20);
            while (slot[j & (cap - 1)].count != 0)
                j++;
            slot[j & (cap - 1)] = t->slot[i];
        }
        free(t->slot);
        t->slot = slot;
        t->cap = cap;
    }
    size_t j = (size_t)((uint64_t)unit_id * UINT64_C(0x9E3779B97F4A7C15) >> 20);
    for (;; j++) {
        struct unit_count *u = &t->slot[j & (t->cap - 1)];
        if (u->count != 0 && u->unit_id == unit_id) {
            u->count++;
            return GJ_OK;
        }
        if (u->count == 0) {
            u->unit_id = unit_id;
            u->count = 1;
            t->used++;
            return GJ_OK;
        }
    }
}

/* Looks up the codes of the units in c[0..n) not looked up yet; *missing
 * gets how many turned out not to exist. */
static int look_up_units(struct gj_db *db, struct unit_count *c, size_t n, int *missing,
                         struct gj_error *err)
{
    *missing = 0;
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT building, entrance, room FROM units WHERE id = ?1", err);
    if (!st)
        return err->code;
    for (size_t i = 0; i < n; i++) {
        if (c[i].state != 0)
            continue;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, c[i].unit_id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            c[i].building = sqlite3_column_int(st, 0);
            c[i].entrance = sqlite3_column_int(st, 1);
            c[i].room = sqlite3_column_int(st, 2);
            c[i].state = 1;
        } else if (rc == SQLITE_DONE) {
            c[i].state = -1;
            (*missing)++;
        } else {
            gj_stmt_done(st);
            return gj_db_fail(db, rc, _("finding units with repeated complaints"), err);
        }
    }
    gj_stmt_done(st);
    return GJ_OK;
}

int gj_cstats_repeat_units(struct gj_db *db, int64_t lo, int64_t hi, int min, int limit,
                           struct gj_cstats_repeat *rows, int *n, struct gj_error *err)
{
    *n = 0;
    if (limit <= 0 || hi <= lo)
        return GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT unit_id FROM complaints WHERE created_at >= ?1 "
                                  "AND created_at < ?2 AND unit_id IS NOT NULL",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    struct unit_table t = {NULL, 0, 0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (table_add(&t, sqlite3_column_int64(st, 0)) != GJ_OK) {
            gj_stmt_done(st);
            free(t.slot);
            return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
        }
    }
    gj_stmt_done(st);
    if (rc != SQLITE_DONE) {
        free(t.slot);
        return gj_db_fail(db, rc, _("finding units with repeated complaints"), err);
    }
    /* The units with enough complaints, most first. */
    size_t k = 0;
    for (size_t i = 0; i < t.cap; i++)
        if (t.slot[i].count != 0 && t.slot[i].count >= min)
            t.slot[k++] = t.slot[i];
    struct unit_count *c = t.slot;
    if (k > 0)
        qsort(c, k, sizeof *c, by_count);
    /* Those at least as high as the limit-th (ties at its count are ordered
     * by code), found among the units; a unit not found is left out, as the
     * join leaves it out, and the next one comes in. */
    size_t keep = 0;
    rc = GJ_OK;
    for (;;) {
        size_t m = 0, cut = k;
        for (size_t i = 0; i < k; i++) {
            if (c[i].state < 0)
                continue;
            if (++m == (size_t)limit) {
                cut = i + 1;
                while (cut < k && c[cut].count == c[i].count)
                    cut++;
                break;
            }
        }
        int missing = 0;
        rc = look_up_units(db, c, cut, &missing, err);
        if (rc != GJ_OK || missing == 0) {
            keep = cut;
            break;
        }
    }
    if (rc == GJ_OK) {
        size_t m = 0;
        for (size_t i = 0; i < keep; i++)
            if (c[i].state > 0)
                c[m++] = c[i];
        if (m > 0)
            qsort(c, m, sizeof *c, by_count_code);
        for (size_t i = 0; i < m && *n < limit; i++) {
            struct gj_cstats_repeat *r = &rows[(*n)++];
            r->unit_id = c[i].unit_id;
            struct gj_unitcode code = {c[i].building, c[i].entrance, c[i].room};
            gj_unitcode_format(&code, r->unit_code, sizeof r->unit_code);
            r->count = c[i].count;
        }
    }
    free(t.slot);
    return rc;
}

/* ---- the figures ---------------------------------------------------------- */

/* Totals, resolution, times, satisfaction, grades and categories of
 * [from, to). */
static int read_totals(struct gj_db *db, struct gj_complaint_stats *s, struct gj_error *err)
{
    struct gj_cstats_sums sum;
    int rc = gj_cstats_sums(db, s->from, s->to, &sum, err);
    if (rc != GJ_OK)
        return rc;
    s->total = sum.total;
    s->resolved = sum.resolved;
    s->on_time = sum.on_time;
    s->ack_n = sum.ack_n;
    s->ack_total_s = sum.ack_s;
    s->resolve_n = s->resolved;
    s->resolve_total_s = sum.resolve_s;
    s->revisited = sum.sat_n;
    s->satisfaction_sum = sum.sat_sum;
    memcpy(s->by_score, sum.by_score, sizeof s->by_score);
    memcpy(s->by_grade, sum.by_grade, sizeof s->by_grade);
    memcpy(s->by_category, sum.by_category, sizeof s->by_category);
    s->ack_mean_s = s->ack_n ? floor_div(s->ack_total_s, s->ack_n) : 0;
    s->resolve_mean_s = s->resolve_n ? floor_div(s->resolve_total_s, s->resolve_n) : 0;
    return GJ_OK;
}

/* The latest created_at in [from, to) (0 when there is none). */
static int read_newest(struct gj_db *db, const struct gj_complaint_stats *s, int64_t *newest,
                       struct gj_error *err)
{
    *newest = 0;
    if (s->to <= s->from)
        return GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT coalesce(max(created_at), 0) FROM complaints "
                                  "WHERE created_at >= ?1 AND created_at < ?2",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, s->from);
    sqlite3_bind_int64(st, 2, s->to);
    int rc = gj_step_one(db, st, _("counting complaints"), err);
    if (rc != GJ_OK)
        return rc;
    *newest = sqlite3_column_int64(st, 0);
    gj_stmt_done(st);
    return GJ_OK;
}

/* The month series (see the header). */
static int read_months(struct gj_db *db, struct gj_complaint_stats *s, struct gj_error *err)
{
    if (s->to <= s->from)
        return GJ_OK;
    int64_t newest = 0;
    int rc = s->total > 0 ? read_newest(db, s, &newest, err) : GJ_OK;
    if (rc != GJ_OK)
        return rc;
    int64_t top = s->now;
    if (s->total > 0 && newest > top)
        top = newest;
    if (top > s->to - 1)
        top = s->to - 1;
    if (top < s->from || top < EPOCH_MIN || top > EPOCH_MAX)
        return GJ_OK;
    int last = cn_month_of(top);
    int first = last;
    for (int i = 1; i < GJ_CSTATS_MONTHS && cn_month_start(first) > s->from; i++)
        first = month_prev(first);
    for (int m = first;; m = month_next(m)) {
        int64_t lo = cn_month_start(m), hi = cn_month_start(month_next(m));
        if (lo < s->from)
            lo = s->from;
        if (hi > s->to)
            hi = s->to;
        struct gj_cstats_month *out = &s->months[s->n_months++];
        out->yyyymm = m;
        snprintf(out->label, sizeof out->label, "%04d-%02d", m / 100, m % 100);
        rc = count_taken(db, lo, hi, &out->count, err);
        if (rc != GJ_OK)
            return rc;
        if (m == last)
            break;
    }
    return GJ_OK;
}

static void read_cause(sqlite3_stmt *st, void *row)
{
    struct gj_cstats_cause *c = row;
    gj_col_text(st, 0, c->text, sizeof c->text);
    c->count = sqlite3_column_int64(st, 1);
}

static int read_causes(struct gj_db *db, struct gj_complaint_stats *s, struct gj_error *err)
{
    if (s->to <= s->from)
        return GJ_OK;
    struct cspan sp;
    int rc = span_of(db, s->from, s->to, &sp, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "SELECT cause, sum(n) AS total FROM (SELECT cause, n FROM complaint_cause_days "
                   "WHERE day >= ?3 AND day < ?4 "
                   "UNION ALL SELECT " CAUSE_TRIM ", 1 FROM complaints WHERE created_at >= ?1 "
                   "AND created_at < ?5 AND " CAUSE_TRIM " <> '' "
                   "UNION ALL SELECT " CAUSE_TRIM ", 1 FROM complaints WHERE created_at >= ?6 "
                   "AND created_at < ?2 AND " CAUSE_TRIM " <> '') "
                   "GROUP BY cause HAVING total > 0 ORDER BY total DESC, cause LIMIT ?7",
                   err);
    if (!st)
        return err->code;
    bind_span(st, s->from, s->to, &sp);
    sqlite3_bind_int(st, 7, GJ_CSTATS_CAUSES);
    return gj_step_rows(db, st, GJ_CSTATS_CAUSES, s->causes, sizeof s->causes[0], read_cause,
                        &s->n_causes, _("finding the common root causes of complaints"), err);
}

static int read_repeats(struct gj_db *db, struct gj_complaint_stats *s, struct gj_error *err)
{
    /* [now - 90 days, now], the end included. */
    return gj_cstats_repeat_units(db, s->now - GJ_CSTATS_REPEAT_DAYS * DAY, s->now + 1,
                                  GJ_CSTATS_REPEAT_MIN, GJ_CSTATS_REPEATS, s->repeats,
                                  &s->n_repeats, err);
}

int gj_complaint_stats(struct gj_db *db, int64_t from, int64_t to, int64_t now,
                       struct gj_complaint_stats *out, struct gj_error *err)
{
    memset(out, 0, sizeof *out);
    out->from = from;
    out->to = to;
    out->now = now;
    if (now < EPOCH_MIN || now > EPOCH_MAX)
        return gj_err(err, GJ_EINVAL, _("complaint figures: the current time %lld is out of range"),
                      (long long)now);
    int rc = gj_db_begin_read(db, err); /* one snapshot for every figure */
    if (rc != GJ_OK)
        return rc;
    rc = read_totals(db, out, err);
    if (rc == GJ_OK)
        rc = read_months(db, out, err);
    if (rc == GJ_OK)
        rc = read_causes(db, out, err);
    if (rc == GJ_OK)
        rc = read_repeats(db, out, err);
    gj_db_rollback(db); /* ends the read */
    if (rc != GJ_OK) {
        int64_t keep_from = from, keep_to = to;
        memset(out, 0, sizeof *out);
        out->from = keep_from;
        out->to = keep_to;
        out->now = now;
    }
    return rc;
}

/* ---- the export ----------------------------------------------------------- */

static void read_export_row(sqlite3_stmt *st, void *row)
{
    struct gj_complaint_export_row *r = row;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
        struct gj_unitcode c = {sqlite3_column_int(st, 1), sqlite3_column_int(st, 2),
                                sqlite3_column_int(st, 3)};
        gj_unitcode_format(&c, r->unit_code, sizeof r->unit_code);
    }
    gj_col_text(st, 4, r->owner_name, sizeof r->owner_name);
    gj_col_text(st, 5, r->channel, sizeof r->channel);
    gj_col_text(st, 6, r->category, sizeof r->category);
    gj_col_text(st, 7, r->grade, sizeof r->grade);
    r->level = sqlite3_column_int(st, 8);
    gj_col_text(st, 9, r->state, sizeof r->state);
    gj_col_text(st, 10, r->subject, sizeof r->subject);
    gj_col_text(st, 11, r->detail, sizeof r->detail);
    r->created_at = sqlite3_column_int64(st, 12);
    r->ack_due_at = sqlite3_column_int64(st, 13);
    r->acknowledged_at = sqlite3_column_int64(st, 14);
    r->resolve_due_at = sqlite3_column_int64(st, 15);
    r->resolved_at = sqlite3_column_int64(st, 16);
    r->revisit_due_at = sqlite3_column_int64(st, 17);
    r->revisited_at = sqlite3_column_int64(st, 18);
    r->satisfaction = sqlite3_column_int(st, 19);
    gj_col_text(st, 20, r->root_cause, sizeof r->root_cause);
    gj_col_text(st, 21, r->corrective_action, sizeof r->corrective_action);
}

int gj_complaint_export_page(struct gj_db *db, int64_t after_id, int limit,
                             struct gj_complaint_export_row *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "SELECT c.id, u.building, u.entrance, u.room, "
        "coalesce(p.name, (SELECT o.name FROM unit_persons l JOIN persons o ON o.id = l.person_id "
        "WHERE l.unit_id = c.unit_id AND l.relation = 'owner' AND l.end_at IS NULL "
        "ORDER BY l.id LIMIT 1)), "
        "c.channel, c.category, c.grade, c.level, c.state, c.subject, c.detail, c.created_at, "
        "c.ack_due_at, coalesce(c.acknowledged_at, 0), c.resolve_due_at, "
        "coalesce(c.resolved_at, 0), coalesce(c.revisit_due_at, 0), "
        "coalesce(c.revisited_at, 0), coalesce(c.satisfaction, 0), c.root_cause, "
        "c.corrective_action "
        "FROM complaints c LEFT JOIN units u ON u.id = c.unit_id "
        "LEFT JOIN persons p ON p.id = c.person_id "
        "WHERE c.id > ? ORDER BY c.id LIMIT ?",
        err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_export_row, n,
                        _("listing complaints"), err);
}
