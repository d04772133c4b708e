#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_audit.h"
#include "guanjia/repo_training.h"
#include "guanjia/repo_users.h"

static struct gj_db *open_db(void)
{
    struct gj_db *db = NULL;
    struct gj_error err;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    return db;
}

static int64_t add_user(struct gj_db *db, const char *login, const char *role)
{
    struct gj_error err;
    struct gj_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.name, sizeof u.name, "%s", login);
    snprintf(u.role, sizeof u.role, "%s", role);
    assert_int_equal(gj_user_create(db, 0, &u, "secret-123", &err), GJ_OK);
    return u.id;
}

static int64_t audit_count(struct gj_db *db)
{
    struct gj_error err;
    int64_t n = -1;
    assert_int_equal(gj_audit_count(db, &n, &err), GJ_OK);
    return n;
}

static void expect_msg(const struct gj_error *err, const char *prefix)
{
    if (strncmp(err->msg, prefix, strlen(prefix)) != 0)
        fail_msg("expected a message starting with \"%s\", got: %s", prefix, err->msg);
}

static void test_mark_upserts_and_bumps_version(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t trainee = add_user(db, "trainee", "trainee");
    int64_t boss = add_user(db, "boss", "supervisor");

    assert_int_equal(gj_training_mark(db, trainee, trainee, "ch1.intro", "started", &err), GJ_OK);
    struct gj_training_progress rows[8];
    int n;
    assert_int_equal(gj_training_progress_of(db, trainee, rows, 8, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    int64_t id = rows[0].id;
    assert_int_equal(rows[0].user_id, trainee);
    assert_string_equal(rows[0].item_id, "ch1.intro");
    assert_string_equal(rows[0].status, "started");
    assert_int_equal(rows[0].meta.version, 1);
    assert_int_equal(rows[0].meta.updated_by, trainee);

    setenv("GUANJIA_NOW", "2026-11-29T10:00", 1);
    assert_int_equal(gj_training_mark(db, trainee, trainee, "ch1.intro", "read", &err), GJ_OK);
    assert_int_equal(gj_training_mark(db, boss, trainee, "ch1.intro", "passed", &err), GJ_OK);
    assert_int_equal(gj_training_progress_of(db, trainee, rows, 8, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, id); /* the same row */
    assert_string_equal(rows[0].status, "passed");
    assert_int_equal(rows[0].meta.version, 3);
    assert_int_equal(rows[0].meta.updated_at, gj_now());
    assert_int_equal(rows[0].meta.updated_by, boss);

    /* One insert and two updates in the audit log, the last by boss. */
    struct gj_audit_entry a[4];
    assert_int_equal(gj_audit_of_entity(db, "training_progress", id, 0, 4, a, &n, &err), GJ_OK);
    assert_int_equal(n, 3);
    assert_string_equal(a[0].action, "update");
    assert_int_equal(a[0].user_id, boss);
    assert_non_null(strstr(a[0].old_values, "\"status\":\"read\""));
    assert_non_null(strstr(a[0].new_values, "\"status\":\"passed\""));
    assert_string_equal(a[2].action, "insert");
    gj_audit_entries_free(a, n);

    /* Other items and other users are separate rows, in item order. */
    assert_int_equal(gj_training_mark(db, trainee, trainee, "ch0.welcome", "read", &err), GJ_OK);
    assert_int_equal(gj_training_mark(db, boss, boss, "ch1.intro", "read", &err), GJ_OK);
    assert_int_equal(gj_training_progress_of(db, trainee, rows, 8, &n, &err), GJ_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].item_id, "ch0.welcome");
    assert_string_equal(rows[1].item_id, "ch1.intro");
    assert_int_equal(gj_training_progress_of(db, trainee, rows, 1, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    gj_db_close(db);
}

static void test_mark_validation(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t u = add_user(db, "trainee", "trainee");
    int64_t audits = audit_count(db);
    assert_int_equal(gj_training_mark(db, u, u, "ch1", "done", &err), GJ_EINVAL);
    expect_msg(&err, "status:");
    assert_int_equal(gj_training_mark(db, u, u, "", "read", &err), GJ_EINVAL);
    expect_msg(&err, "training item:");
    assert_int_equal(gj_training_mark(db, u, u, "ch 1", "read", &err), GJ_EINVAL);
    expect_msg(&err, "training item:");
    assert_int_equal(gj_training_mark(db, u, u, "abcdefghijklmnopqrstuvwxyz0123456", "read", &err),
                     GJ_EINVAL);
    expect_msg(&err, "training item:");
    assert_int_equal(gj_training_mark(db, u, 0, "ch1", "read", &err), GJ_EINVAL);
    expect_msg(&err, "user:");
    assert_int_equal(gj_training_mark(db, u, 999, "ch1", "read", &err), GJ_ECONSTRAINT);
    assert_int_equal(audit_count(db), audits);
    struct gj_training_progress rows[2];
    int n;
    assert_int_equal(gj_training_progress_of(db, u, rows, 2, &n, &err), GJ_OK);
    assert_int_equal(n, 0);
    gj_db_close(db);
}

static void test_quiz_results_paging(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t u = add_user(db, "trainee", "trainee");
    int64_t other = add_user(db, "other", "trainee");
    /* Two share a time: the id breaks the tie. Times are out of order. */
    const char *times[] = {"2026-11-29T09:00", "2026-11-28T09:00", "2026-11-30T09:00",
                           "2026-11-29T09:00", "2026-11-27T09:00"};
    int64_t ids[5];
    for (int i = 0; i < 5; i++) {
        setenv("GUANJIA_NOW", times[i], 1);
        struct gj_quiz_result q = {0};
        q.user_id = u;
        q.chapter = 1 + i;
        q.score = i;
        q.max_score = 10;
        snprintf(q.answers, sizeof q.answers, "answers %d", i);
        assert_int_equal(gj_quiz_result_add(db, &q, &err), GJ_OK);
        assert_int_equal(q.taken_at, gj_now());
        ids[i] = q.id;
    }
    struct gj_quiz_result oq = {0};
    oq.user_id = other;
    oq.chapter = 1;
    oq.max_score = 5;
    assert_int_equal(gj_quiz_result_add(db, &oq, &err), GJ_OK);

    int64_t want[] = {ids[2], ids[3], ids[0], ids[1], ids[4]};
    struct gj_quiz_result rows[2];
    int64_t at = 0, id = 0;
    int seen = 0, n;
    do {
        assert_int_equal(gj_quiz_results_of(db, u, at, id, 2, rows, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++) {
            assert_true(seen < 5);
            assert_int_equal(rows[i].id, want[seen]);
            assert_int_equal(rows[i].user_id, u);
            seen++;
        }
        if (n) {
            at = rows[n - 1].taken_at;
            id = rows[n - 1].id;
        }
    } while (n == 2);
    assert_int_equal(seen, 5);

    assert_int_equal(gj_quiz_results_of(db, u, 0, 0, 1, rows, &n, &err), GJ_OK);
    assert_int_equal(rows[0].chapter, 3);
    assert_int_equal(rows[0].score, 2);
    assert_int_equal(rows[0].max_score, 10);
    assert_string_equal(rows[0].answers, "answers 2");
    gj_db_close(db);
}

static void test_quiz_validation(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t u = add_user(db, "trainee", "trainee");
    struct gj_quiz_result q = {0};
    q.user_id = u;
    q.chapter = 7;
    q.max_score = 10;
    assert_int_equal(gj_quiz_result_add(db, &q, &err), GJ_EINVAL);
    expect_msg(&err, "chapter:");
    q.chapter = 1;
    q.score = 11;
    assert_int_equal(gj_quiz_result_add(db, &q, &err), GJ_EINVAL);
    expect_msg(&err, "score:");
    q.score = -1;
    assert_int_equal(gj_quiz_result_add(db, &q, &err), GJ_EINVAL);
    expect_msg(&err, "score:");
    q.score = 0;
    q.max_score = 0;
    assert_int_equal(gj_quiz_result_add(db, &q, &err), GJ_EINVAL);
    expect_msg(&err, "maximum score:");
    q.max_score = 10;
    q.user_id = 0;
    assert_int_equal(gj_quiz_result_add(db, &q, &err), GJ_EINVAL);
    expect_msg(&err, "user:");
    struct gj_quiz_result rows[1];
    int n;
    assert_int_equal(gj_quiz_results_of(db, u, 0, 0, 1, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 0);
    gj_db_close(db);
}

static void test_practice_results(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t u = add_user(db, "trainee", "trainee");
    struct gj_practice_result p = {0};
    p.user_id = u;
    snprintf(p.task_id, sizeof p.task_id, "%s", "call.angry-owner");
    p.passed = 7; /* any true value is stored as 1 */
    snprintf(p.feedback, sizeof p.feedback, "%s", "语气平和，\n记录完整");
    assert_int_equal(gj_practice_result_add(db, &p, &err), GJ_OK);
    assert_true(p.id > 0);
    setenv("GUANJIA_NOW", "2026-11-29T10:00", 1);
    struct gj_practice_result p2 = {0};
    p2.user_id = u;
    snprintf(p2.task_id, sizeof p2.task_id, "%s", "walk_in");
    assert_int_equal(gj_practice_result_add(db, &p2, &err), GJ_OK);

    struct gj_practice_result rows[4];
    int n;
    assert_int_equal(gj_practice_results_of(db, u, 0, 0, 4, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, p2.id);
    assert_int_equal(rows[0].passed, 0);
    assert_string_equal(rows[0].feedback, "");
    assert_int_equal(rows[1].id, p.id);
    assert_int_equal(rows[1].passed, 1);
    assert_string_equal(rows[1].task_id, "call.angry-owner");
    assert_string_equal(rows[1].feedback, "语气平和，\n记录完整");
    assert_int_equal(gj_practice_results_of(db, u, rows[0].at, rows[0].id, 4, rows, &n, &err),
                     GJ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, p.id);

    struct gj_practice_result bad = {0};
    bad.user_id = u;
    assert_int_equal(gj_practice_result_add(db, &bad, &err), GJ_EINVAL);
    expect_msg(&err, "practice task:");
    gj_db_close(db);
}

static void test_assessments(void **state)
{
    (void)state;
    struct gj_db *db = open_db();
    struct gj_error err;
    int64_t trainee = add_user(db, "trainee", "trainee");
    int64_t boss = add_user(db, "boss", "supervisor");
    int64_t audits = audit_count(db);

    struct gj_assessment a = {0};
    a.trainee_id = boss;
    a.assessor_id = boss;
    a.professional = a.communication = a.management = a.service = 4;
    assert_int_equal(gj_assessment_add(db, &a, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "nobody assesses themselves"));

    a.trainee_id = trainee;
    a.communication = 6;
    assert_int_equal(gj_assessment_add(db, &a, &err), GJ_EINVAL);
    expect_msg(&err, "communication:");
    a.communication = 4;
    a.service = 0;
    assert_int_equal(gj_assessment_add(db, &a, &err), GJ_EINVAL);
    expect_msg(&err, "service:");
    a.service = 5;
    a.assessor_id = 0;
    assert_int_equal(gj_assessment_add(db, &a, &err), GJ_EINVAL);
    expect_msg(&err, "assessor:");
    assert_int_equal(audit_count(db), audits);

    a.assessor_id = boss;
    snprintf(a.note, sizeof a.note, "%s", "熟悉业务");
    assert_int_equal(gj_assessment_add(db, &a, &err), GJ_OK);
    assert_true(a.id > 0);
    assert_int_equal(a.at, gj_now());
    assert_int_equal(audit_count(db), audits + 1);

    struct gj_assessment rows[2];
    int n;
    assert_int_equal(gj_assessments_of(db, trainee, 0, 0, 2, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].assessor_id, boss);
    assert_int_equal(rows[0].professional, 4);
    assert_int_equal(rows[0].communication, 4);
    assert_int_equal(rows[0].management, 4);
    assert_int_equal(rows[0].service, 5);
    assert_string_equal(rows[0].note, "熟悉业务");
    assert_int_equal(gj_assessments_of(db, boss, 0, 0, 2, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 0);
    gj_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mark_upserts_and_bumps_version),
        cmocka_unit_test(test_mark_validation),
        cmocka_unit_test(test_quiz_results_paging),
        cmocka_unit_test(test_quiz_validation),
        cmocka_unit_test(test_practice_results),
        cmocka_unit_test(test_assessments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
