/* Training records: progress per curriculum item, quiz results, practice
 * results and assessments. Progress is mutable (one row per user and item,
 * version bumped on every mark); results and assessments are append-only.
 * Every write runs in its own transaction (nested into the caller's, if
 * any), validates through core/ (rules_people.h) and is audited by the
 * database. Lists of results are newest first, keyset-paged on (time, id):
 * pass after_id = 0 for the first page, then the last row's time and id. */
#ifndef GUANJIA_REPO_TRAINING_H
#define GUANJIA_REPO_TRAINING_H

#include "guanjia/db.h"
#include "guanjia/model.h"

/* Records that user_id has reached status (started read passed) on
 * item_id: creates the row, or sets the status of the existing one
 * (version + 1). actor is who records it (0 = the system). The status is
 * set as given; callers decide whether moving back is allowed. */
int gj_training_mark(struct gj_db *db, int64_t actor, int64_t user_id, const char *item_id,
                     const char *status, struct gj_error *err);
/* Up to max progress rows of user_id, in item order; *n gets how many. */
int gj_training_progress_of(struct gj_db *db, int64_t user_id, struct gj_training_progress *rows,
                            int max, int *n, struct gj_error *err);

/* Adds a quiz result taken now by q->user_id. Fills q->id and q->taken_at. */
int gj_quiz_result_add(struct gj_db *db, struct gj_quiz_result *q, struct gj_error *err);
/* Up to limit quiz results of user_id older than (after_at, after_id). */
int gj_quiz_results_of(struct gj_db *db, int64_t user_id, int64_t after_at, int64_t after_id,
                       int limit, struct gj_quiz_result *rows, int *n, struct gj_error *err);

/* Adds a practice result of p->user_id, now. Fills p->id and p->at. */
int gj_practice_result_add(struct gj_db *db, struct gj_practice_result *p, struct gj_error *err);
/* Up to limit practice results of user_id older than (after_at, after_id). */
int gj_practice_results_of(struct gj_db *db, int64_t user_id, int64_t after_at, int64_t after_id,
                           int limit, struct gj_practice_result *rows, int *n,
                           struct gj_error *err);

/* Adds an assessment of a->trainee_id by a->assessor_id (never oneself;
 * scores 1..5), now. Fills a->id and a->at. */
int gj_assessment_add(struct gj_db *db, struct gj_assessment *a, struct gj_error *err);
/* Up to limit assessments of trainee_id older than (after_at, after_id). */
int gj_assessments_of(struct gj_db *db, int64_t trainee_id, int64_t after_at, int64_t after_id,
                      int limit, struct gj_assessment *rows, int *n, struct gj_error *err);

#endif
