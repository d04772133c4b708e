/* Complaint figures and the rows of the complaint export. */
#include "guanjia/repo_complaint_stats.h"

#include "repo_internal.h"
#include "guanjia/i18n.h"
#include "guanjia/unitcode.h"

#include <stdio.h>
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
#define CAUSE_TRIM "trim(root_cause, ' ' || char(9, 10, 13, 12288))"

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

/* ---- the figures ---------------------------------------------------------- */

/* Totals, resolution, times and satisfaction of [from, to); *newest gets
 * the latest created_at in it (0 when there is none). */
static int read_totals(struct gj_db *db, struct gj_complaint_stats *s, int64_t *newest,
                       struct gj_error *err)
{
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "SELECT count(*), coalesce(max(created_at), 0), count(resolved_at), "
                   "coalesce(sum(resolved_at <= resolve_due_at), 0), "
                   "count(acknowledged_at), coalesce(sum(acknowledged_at - created_at), 0), "
                   "coalesce(sum(resolved_at - created_at), 0), "
                   "count(satisfaction), coalesce(sum(satisfaction), 0), "
                   "coalesce(sum(satisfaction = 1), 0), coalesce(sum(satisfaction = 2), 0), "
                   "coalesce(sum(satisfaction = 3), 0), coalesce(sum(satisfaction = 4), 0), "
                   "coalesce(sum(satisfaction = 5), 0) "
                   "FROM complaints WHERE created_at >= ?1 AND created_at < ?2",
                   err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, s->from);
    sqlite3_bind_int64(st, 2, s->to);
    int rc = gj_step_one(db, st, _("counting complaints"), err);
    if (rc != GJ_OK)
        return rc;
    s->total = sqlite3_column_int64(st, 0);
    *newest = sqlite3_column_int64(st, 1);
    s->resolved = sqlite3_column_int64(st, 2);
    s->on_time = sqlite3_column_int64(st, 3);
    s->ack_n = sqlite3_column_int64(st, 4);
    s->ack_total_s = sqlite3_column_int64(st, 5);
    s->resolve_n = s->resolved;
    s->resolve_total_s = sqlite3_column_int64(st, 6);
    s->revisited = sqlite3_column_int64(st, 7);
    s->satisfaction_sum = sqlite3_column_int64(st, 8);
    for (int k = 0; k < GJ_CSTATS_SCORES; k++)
        s->by_score[k] = sqlite3_column_int64(st, 9 + k);
    gj_stmt_done(st);
    s->ack_mean_s = s->ack_n ? floor_div(s->ack_total_s, s->ack_n) : 0;
    s->resolve_mean_s = s->resolve_n ? floor_div(s->resolve_total_s, s->resolve_n) : 0;
    return GJ_OK;
}

static int code_index(const char *const *codes, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(codes[i], code) == 0)
            return i;
    return -1;
}

static int read_grades_categories(struct gj_db *db, struct gj_complaint_stats *s,
                                  struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT grade, category, count(*) FROM complaints "
                                  "WHERE created_at >= ? AND created_at < ? "
                                  "GROUP BY grade, category",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, s->from);
    sqlite3_bind_int64(st, 2, s->to);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char code[GJ_CODE_BYTES];
        int64_t n = sqlite3_column_int64(st, 2);
        gj_col_text(st, 0, code, sizeof code);
        int g = code_index(gj_cstats_grade_codes, GJ_CSTATS_GRADES, code);
        if (g >= 0)
            s->by_grade[g] += n;
        gj_col_text(st, 1, code, sizeof code);
        int c = code_index(gj_cstats_category_codes, GJ_CSTATS_CATEGORIES, code);
        if (c >= 0)
            s->by_category[c] += n;
    }
    gj_stmt_done(st);
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("counting complaints by grade and category"), err);
    return GJ_OK;
}

/* The month series (see the header); newest is the latest complaint in
 * the range, 0 when there is none. */
static int read_months(struct gj_db *db, struct gj_complaint_stats *s, int64_t newest,
                       struct gj_error *err)
{
    if (s->to <= s->from)
        return GJ_OK;
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
    sqlite3_stmt *st = gj_db_stmt(
        db, "SELECT count(*) FROM complaints WHERE created_at >= ? AND created_at < ?", err);
    if (!st)
        return err->code;
    for (int m = first;; m = month_next(m)) {
        int64_t lo = cn_month_start(m), hi = cn_month_start(month_next(m));
        if (lo < s->from)
            lo = s->from;
        if (hi > s->to)
            hi = s->to;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, lo);
        sqlite3_bind_int64(st, 2, hi);
        int rc = gj_step_one(db, st, _("counting complaints by month"), err);
        if (rc != GJ_OK)
            return rc;
        struct gj_cstats_month *out = &s->months[s->n_months++];
        out->yyyymm = m;
        snprintf(out->label, sizeof out->label, "%04d-%02d", m / 100, m % 100);
        out->count = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
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
    return gj_query_rows(db,
                         "SELECT " CAUSE_TRIM " AS cause, count(*) AS n "
                         "FROM complaints WHERE created_at >= ? AND created_at < ? "
                         "AND " CAUSE_TRIM " <> '' "
                         "GROUP BY cause ORDER BY n DESC, cause LIMIT ?",
                         s->from, s->to, GJ_CSTATS_CAUSES, s->causes, sizeof s->causes[0],
                         read_cause, &s->n_causes,
                         _("finding the common root causes of complaints"), err);
}

void gj_read_cstats_repeat(sqlite3_stmt *st, void *row)
{
    struct gj_cstats_repeat *r = row;
    r->unit_id = sqlite3_column_int64(st, 0);
    struct gj_unitcode c = {sqlite3_column_int(st, 1), sqlite3_column_int(st, 2),
                            sqlite3_column_int(st, 3)};
    gj_unitcode_format(&c, r->unit_code, sizeof r->unit_code);
    r->count = sqlite3_column_int64(st, 4);
}

static int read_repeats(struct gj_db *db, struct gj_complaint_stats *s, struct gj_error *err)
{
    /* [now - 90 days, now], the end included. */
    sqlite3_stmt *st = gj_db_stmt(db, GJ_REPEAT_UNITS_SQL, err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, s->now - GJ_CSTATS_REPEAT_DAYS * DAY);
    sqlite3_bind_int64(st, 2, s->now + 1);
    sqlite3_bind_int(st, 3, GJ_CSTATS_REPEAT_MIN);
    sqlite3_bind_int(st, 4, GJ_CSTATS_REPEATS);
    return gj_step_rows(db, st, GJ_CSTATS_REPEATS, s->repeats, sizeof s->repeats[0],
                        gj_read_cstats_repeat, &s->n_repeats,
                        _("finding units with repeated complaints"), err);
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
    int64_t newest = 0;
    rc = read_totals(db, out, &newest, err);
    if (rc == GJ_OK)
        rc = read_grades_categories(db, out, err);
    if (rc == GJ_OK)
        rc = read_months(db, out, newest, err);
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
