/* Training progress, quiz and practice results, assessments. */
#include "guanjia/repo_training.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/rules_people.h"

#include <string.h>

/* The keyset start: newer than anything stored. */
static void bind_after(sqlite3_stmt *st, int i, int64_t after_at, int64_t after_id)
{
    sqlite3_bind_int64(st, i, after_id ? after_at : INT64_MAX);
    sqlite3_bind_int64(st, i + 1, after_id ? after_id : INT64_MAX);
}

/* ---- progress ------------------------------------------------------------- */

#define PROGRESS_COLS "id, user_id, item_id, status, version, updated_at, coalesce(updated_by, 0)"

static void read_progress(sqlite3_stmt *st, void *row)
{
    struct gj_training_progress *p = row;
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    p->user_id = sqlite3_column_int64(st, 1);
    gj_col_text(st, 2, p->item_id, sizeof p->item_id);
    gj_col_text(st, 3, p->status, sizeof p->status);
    gj_read_meta(st, 4, &p->meta);
}

int gj_training_mark(struct gj_db *db, int64_t actor, int64_t user_id, const char *item_id,
                     const char *status, struct gj_error *err)
{
    int rc = gj_training_mark_validate(user_id, item_id, status, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "INSERT INTO training_progress(user_id, item_id, status, updated_at, updated_by) "
        "VALUES (?,?,?,?,?) ON CONFLICT(user_id, item_id) DO UPDATE SET "
        "status = excluded.status, version = version + 1, updated_at = excluded.updated_at, "
        "updated_by = excluded.updated_by",
        err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, item_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    gj_bind_id(st, 5, actor);
    rc = gj_db_exec_stmt(db, st, _("recording training progress"), err);
    return gj_tx_finish(db, rc, err);
}

int gj_training_progress_of(struct gj_db *db, int64_t user_id, struct gj_training_progress *rows,
                            int max, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " PROGRESS_COLS " FROM training_progress "
                                  "WHERE user_id = ? ORDER BY item_id LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int(st, 2, max);
    return gj_step_rows(db, st, max, rows, sizeof *rows, read_progress, n,
                        _("listing training progress"), err);
}

/* ---- quiz results --------------------------------------------------------- */

#define QUIZ_COLS "id, user_id, chapter, score, max_score, answers, taken_at"

static void read_quiz(sqlite3_stmt *st, void *row)
{
    struct gj_quiz_result *q = row;
    memset(q, 0, sizeof *q);
    q->id = sqlite3_column_int64(st, 0);
    q->user_id = sqlite3_column_int64(st, 1);
    q->chapter = sqlite3_column_int(st, 2);
    q->score = sqlite3_column_int(st, 3);
    q->max_score = sqlite3_column_int(st, 4);
    gj_col_text(st, 5, q->answers, sizeof q->answers);
    q->taken_at = sqlite3_column_int64(st, 6);
}

int gj_quiz_result_add(struct gj_db *db, struct gj_quiz_result *q, struct gj_error *err)
{
    int rc = gj_quiz_result_validate(q, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO quiz_results(user_id, chapter, score, max_score, "
                                  "answers, taken_at) VALUES (?,?,?,?,?,?)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, q->user_id);
    sqlite3_bind_int(st, 2, q->chapter);
    sqlite3_bind_int(st, 3, q->score);
    sqlite3_bind_int(st, 4, q->max_score);
    gj_bind_text(st, 5, q->answers);
    sqlite3_bind_int64(st, 6, now);
    rc = gj_db_exec_stmt(db, st, _("saving a quiz result"), err);
    if (rc == GJ_OK) {
        q->id = sqlite3_last_insert_rowid(db->h);
        q->taken_at = now;
    }
    return gj_tx_finish(db, rc, err);
}

int gj_quiz_results_of(struct gj_db *db, int64_t user_id, int64_t after_at, int64_t after_id,
                       int limit, struct gj_quiz_result *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " QUIZ_COLS " FROM quiz_results WHERE user_id = ? "
                                  "AND (taken_at, id) < (?, ?) "
                                  "ORDER BY taken_at DESC, id DESC LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, user_id);
    bind_after(st, 2, after_at, after_id);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_quiz, n, _("listing quiz results"),
                        err);
}

/* ---- practice results ----------------------------------------------------- */

#define PRACTICE_COLS "id, user_id, task_id, passed, feedback, at"

static void read_practice(sqlite3_stmt *st, void *row)
{
    struct gj_practice_result *p = row;
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    p->user_id = sqlite3_column_int64(st, 1);
    gj_col_text(st, 2, p->task_id, sizeof p->task_id);
    p->passed = sqlite3_column_int(st, 3);
    gj_col_text(st, 4, p->feedback, sizeof p->feedback);
    p->at = sqlite3_column_int64(st, 5);
}

int gj_practice_result_add(struct gj_db *db, struct gj_practice_result *p, struct gj_error *err)
{
    int rc = gj_practice_result_validate(p, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO practice_results(user_id, task_id, passed, "
                                  "feedback, at) VALUES (?,?,?,?,?)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, p->user_id);
    sqlite3_bind_text(st, 2, p->task_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, p->passed);
    gj_bind_text(st, 4, p->feedback);
    sqlite3_bind_int64(st, 5, now);
    rc = gj_db_exec_stmt(db, st, _("saving a practice result"), err);
    if (rc == GJ_OK) {
        p->id = sqlite3_last_insert_rowid(db->h);
        p->at = now;
    }
    return gj_tx_finish(db, rc, err);
}

int gj_practice_results_of(struct gj_db *db, int64_t user_id, int64_t after_at, int64_t after_id,
                           int limit, struct gj_practice_result *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " PRACTICE_COLS " FROM practice_results "
                                  "WHERE user_id = ? AND (at, id) < (?, ?) "
                                  "ORDER BY at DESC, id DESC LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, user_id);
    bind_after(st, 2, after_at, after_id);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_practice, n,
                        _("listing practice results"), err);
}

/* ---- assessments ---------------------------------------------------------- */

#define ASSESSMENT_COLS                                                                            \
    "id, trainee_id, assessor_id, professional, communication, management, service, note, at"

static void read_assessment(sqlite3_stmt *st, void *row)
{
    struct gj_assessment *a = row;
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    a->trainee_id = sqlite3_column_int64(st, 1);
    a->assessor_id = sqlite3_column_int64(st, 2);
    a->professional = sqlite3_column_int(st, 3);
    a->communication = sqlite3_column_int(st, 4);
    a->management = sqlite3_column_int(st, 5);
    a->service = sqlite3_column_int(st, 6);
    gj_col_text(st, 7, a->note, sizeof a->note);
    a->at = sqlite3_column_int64(st, 8);
}

int gj_assessment_add(struct gj_db *db, struct gj_assessment *a, struct gj_error *err)
{
    int rc = gj_assessment_validate(a, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO assessments(trainee_id, assessor_id, professional, "
                                  "communication, management, service, note, at) "
                                  "VALUES (?,?,?,?,?,?,?,?)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, a->trainee_id);
    sqlite3_bind_int64(st, 2, a->assessor_id);
    sqlite3_bind_int(st, 3, a->professional);
    sqlite3_bind_int(st, 4, a->communication);
    sqlite3_bind_int(st, 5, a->management);
    sqlite3_bind_int(st, 6, a->service);
    gj_bind_text(st, 7, a->note);
    sqlite3_bind_int64(st, 8, now);
    rc = gj_db_exec_stmt(db, st, _("saving an assessment"), err);
    if (rc == GJ_OK) {
        a->id = sqlite3_last_insert_rowid(db->h);
        a->at = now;
    }
    return gj_tx_finish(db, rc, err);
}

int gj_assessments_of(struct gj_db *db, int64_t trainee_id, int64_t after_at, int64_t after_id,
                      int limit, struct gj_assessment *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " ASSESSMENT_COLS " FROM assessments "
                                  "WHERE trainee_id = ? AND (at, id) < (?, ?) "
                                  "ORDER BY at DESC, id DESC LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, trainee_id);
    bind_after(st, 2, after_at, after_id);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_assessment, n,
                        _("listing assessments"), err);
}
