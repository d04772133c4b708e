/* The facts behind a user's rank, and promotions. */
#include "guanjia/repo_ranks.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/model.h"
#include "guanjia/repo_users.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Whole calendar months from `from` to `to`, in local time: a month is
 * complete on the same day of the month and time of day (or on the last
 * day of a shorter month). 0 when to is not later. */
static int whole_months(int64_t from, int64_t to)
{
    if (to <= from)
        return 0;
    time_t a = (time_t)from, b = (time_t)to;
    struct tm ta, tb;
    if (!localtime_r(&a, &ta) || !localtime_r(&b, &tb))
        return 0;
    int months = (tb.tm_year - ta.tm_year) * 12 + (tb.tm_mon - ta.tm_mon);
    int last = gj_month_days((tb.tm_year + 1900) * 100 + tb.tm_mon + 1);
    int day = ta.tm_mday > last ? last : ta.tm_mday;
    long at_a = ((long)day * 24 + ta.tm_hour) * 3600L + ta.tm_min * 60L + ta.tm_sec;
    long at_b = ((long)tb.tm_mday * 24 + tb.tm_hour) * 3600L + tb.tm_min * 60L + tb.tm_sec;
    if (at_b < at_a)
        months--;
    return months < 0 ? 0 : months;
}

/* Steps st (one row of up to two integers) into a and b. */
static int one_row(struct gj_db *db, sqlite3_stmt *st, int64_t *a, int64_t *b, const char *what,
                   struct gj_error *err)
{
    int rc = gj_step_one(db, st, what, err);
    if (rc != GJ_OK)
        return rc;
    *a = sqlite3_column_int64(st, 0);
    if (b)
        *b = sqlite3_column_int64(st, 1);
    gj_stmt_done(st);
    return GJ_OK;
}

int gj_rank_facts(struct gj_db *db, int64_t user_id, int64_t now, struct gj_rank_facts *out,
                  struct gj_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = gj_db_begin_read(db, err);
    if (rc != GJ_OK)
        return rc;

    char code[GJ_CODE_BYTES] = "";
    int64_t created_at = 0;
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT rank, created_at FROM users WHERE id = ?", err);
    if (!st)
        rc = err->code;
    if (rc == GJ_OK) {
        sqlite3_bind_int64(st, 1, user_id);
        rc = gj_step_one(db, st, _("reading a user"), err);
    }
    if (rc == GJ_OK) {
        gj_col_text(st, 0, code, sizeof code);
        created_at = sqlite3_column_int64(st, 1);
        gj_stmt_done(st);
        if (gj_rank_parse(code, &out->rank) != GJ_OK)
            rc = gj_err(err, GJ_EINVAL, _("rank: \"%s\" is not a rank"), code);
    }

    int64_t a = 0, b = 0;
    if (rc == GJ_OK) {
        /* A chapter is passed when any of its results (so the best) is >= 80%. */
        st = gj_db_stmt(db,
                        "SELECT count(DISTINCT chapter) FROM quiz_results WHERE user_id = ? "
                        "AND taken_at <= ? AND score * 5 >= max_score * 4",
                        err);
        rc = st ? GJ_OK : err->code;
    }
    if (rc == GJ_OK) {
        sqlite3_bind_int64(st, 1, user_id);
        sqlite3_bind_int64(st, 2, now);
        rc = one_row(db, st, &a, NULL, _("reading quiz results"), err);
        out->chapters_passed = (int)a;
    }

    if (rc == GJ_OK) {
        st = gj_db_stmt(db,
                        "SELECT count(*) FROM training_progress WHERE user_id = ? "
                        "AND item_id = 'walkthrough' AND status = 'passed' AND updated_at <= ?",
                        err);
        rc = st ? GJ_OK : err->code;
    }
    if (rc == GJ_OK) {
        sqlite3_bind_int64(st, 1, user_id);
        sqlite3_bind_int64(st, 2, now);
        rc = one_row(db, st, &a, NULL, _("reading training progress"), err);
        out->walkthrough_done = a > 0;
    }

    if (rc == GJ_OK) {
        st = gj_db_stmt(db,
                        "SELECT count(*), coalesce(sum(professional + communication + management "
                        "+ service), 0) FROM assessments WHERE trainee_id = ? AND at <= ?",
                        err);
        rc = st ? GJ_OK : err->code;
    }
    if (rc == GJ_OK) {
        sqlite3_bind_int64(st, 1, user_id);
        sqlite3_bind_int64(st, 2, now);
        rc = one_row(db, st, &a, &b, _("reading assessments"), err);
        out->assessments = (int)a;
        out->assessment_avg_x100 = a > 0 ? (int)(b * 100 / (a * 4)) : 0;
    }

    if (rc == GJ_OK) {
        /* The last change of the rank, as the audit log has it. */
        st = gj_db_stmt(db,
                        "SELECT coalesce(max(at), 0) FROM audit_log WHERE entity = 'users' "
                        "AND entity_id = ? AND action = 'update' AND at <= ? "
                        "AND json_extract(old_values, '$.rank') IS NOT "
                        "json_extract(new_values, '$.rank')",
                        err);
        rc = st ? GJ_OK : err->code;
    }
    if (rc == GJ_OK) {
        sqlite3_bind_int64(st, 1, user_id);
        sqlite3_bind_int64(st, 2, now);
        rc = one_row(db, st, &a, NULL, _("reading the audit log"), err);
        out->months_at_rank = whole_months(a ? a : created_at, now);
    }

    if (rc == GJ_OK) {
        st = gj_db_stmt(db,
                        "SELECT count(*), coalesce(sum(satisfaction), 0) FROM complaints "
                        "WHERE assignee_user_id = ? AND revisited_at IS NOT NULL "
                        "AND revisited_at <= ? AND satisfaction IS NOT NULL",
                        err);
        rc = st ? GJ_OK : err->code;
    }
    if (rc == GJ_OK) {
        sqlite3_bind_int64(st, 1, user_id);
        sqlite3_bind_int64(st, 2, now);
        rc = one_row(db, st, &a, &b, _("reading complaint revisits"), err);
        out->revisits = (int)a;
        out->satisfaction_avg_x100 = a > 0 ? (int)(b * 100 / a) : 0;
    }
    gj_db_rollback(db);
    if (rc != GJ_OK) {
        enum gj_rank rank = out->rank;
        memset(out, 0, sizeof *out);
        out->rank = rank;
    }
    return rc;
}

int gj_user_promote(struct gj_db *db, int64_t actor, int64_t user_id, struct gj_error *err)
{
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    struct gj_user u;
    rc = gj_user_get(db, user_id, &u, err);
    enum gj_rank rank = GJ_RANK_TRAINEE;
    if (rc == GJ_OK && gj_rank_parse(u.rank, &rank) != GJ_OK)
        rc = gj_err(err, GJ_EINVAL, _("rank: \"%s\" is not a rank"), u.rank);
    if (rc == GJ_OK && rank == GJ_RANK_HEAD)
        rc = gj_err(err, GJ_EINVAL, _("%s is already at the top rank (%s)"), u.name,
                    gj_rank_label(rank));
    if (rc == GJ_OK) {
        snprintf(u.rank, sizeof u.rank, "%s", gj_rank_code((enum gj_rank)(rank + 1)));
        rc = gj_user_update(db, actor, &u, err);
    }
    return gj_tx_finish(db, rc, err);
}
