/* The facts behind a rank, read from the records, and promotions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/ranks.h"
#include "guanjia/repo_audit.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_ranks.h"
#include "guanjia/repo_training.h"
#include "guanjia/repo_users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
    const char *dir;
    struct gj_db *db;
    int64_t boss, newbie, other;
};

static int64_t add_user(struct gj_db *db, const char *login, const char *role, const char *rank)
{
    struct gj_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.name, sizeof u.name, "%s", login);
    snprintf(u.role, sizeof u.role, "%s", role);
    snprintf(u.rank, sizeof u.rank, "%s", rank);
    struct gj_error err;
    if (gj_user_create(db, 0, &u, "secret-123", &err) != GJ_OK)
        fail_msg("%s", err.msg);
    return u.id;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = gj_test_tmpdir();
    struct gj_error err;
    gj_test_set_now("2026-01-10T09:00");
    if (gj_db_open(gj_test_path(f->dir, "ranks.db"), GJ_DB_CREATE, &f->db, &err) != GJ_OK)
        return -1;
    f->boss = add_user(f->db, "boss", "manager", "head");
    f->newbie = add_user(f->db, "newbie", "trainee", "trainee");
    f->other = add_user(f->db, "other", "butler", "butler");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    gj_db_close(f->db);
    gj_test_rmtree(f->dir);
    free(f);
    unsetenv("GUANJIA_NOW");
    return 0;
}

static struct gj_rank_facts facts(struct fx *f, int64_t user, const char *now)
{
    struct gj_rank_facts r;
    struct gj_error err;
    if (gj_rank_facts(f->db, user, gj_test_at(now), &r, &err) != GJ_OK)
        fail_msg("%s", err.msg);
    return r;
}

static void quiz(struct fx *f, int64_t user, int chapter, int score, int max, const char *when)
{
    gj_test_set_now(when);
    struct gj_quiz_result q;
    memset(&q, 0, sizeof q);
    q.user_id = user;
    q.chapter = chapter;
    q.score = score;
    q.max_score = max;
    struct gj_error err;
    if (gj_quiz_result_add(f->db, &q, &err) != GJ_OK)
        fail_msg("%s", err.msg);
}

static void assess(struct fx *f, int64_t user, int a, int b, int c, int d, const char *when)
{
    gj_test_set_now(when);
    struct gj_assessment x;
    memset(&x, 0, sizeof x);
    x.trainee_id = user;
    x.assessor_id = f->boss;
    x.professional = a;
    x.communication = b;
    x.management = c;
    x.service = d;
    struct gj_error err;
    if (gj_assessment_add(f->db, &x, &err) != GJ_OK)
        fail_msg("%s", err.msg);
}

static void test_new_user(void **state)
{
    struct fx *f = *state;
    struct gj_rank_facts r = facts(f, f->newbie, "2026-01-20T09:00");
    assert_int_equal(r.rank, GJ_RANK_TRAINEE);
    assert_int_equal(r.chapters_passed, 0);
    assert_int_equal(r.walkthrough_done, 0);
    assert_int_equal(r.assessments, 0);
    assert_int_equal(r.assessment_avg_x100, 0);
    assert_int_equal(r.months_at_rank, 0);
    assert_int_equal(r.revisits, 0);
    assert_int_equal(r.satisfaction_avg_x100, 0);
    assert_int_equal(facts(f, f->other, "2026-01-20T09:00").rank, GJ_RANK_BUTLER);
    assert_int_equal(facts(f, f->boss, "2026-01-20T09:00").rank, GJ_RANK_HEAD);

    struct gj_error err;
    assert_int_equal(gj_rank_facts(f->db, 999, gj_test_at("2026-01-20T09:00"), &r, &err),
                     GJ_ENOTFOUND);
}

static void test_chapters(void **state)
{
    struct fx *f = *state;
    quiz(f, f->newbie, 1, 7, 10, "2026-01-11T09:00"); /* 70% */
    quiz(f, f->newbie, 1, 8, 10, "2026-01-12T09:00"); /* 80%: chapter 1 passed */
    quiz(f, f->newbie, 1, 5, 10, "2026-01-13T09:00"); /* a worse try later does not undo it */
    quiz(f, f->newbie, 2, 7, 10, "2026-01-11T10:00"); /* 70% only */
    quiz(f, f->newbie, 2, 79, 100, "2026-01-11T11:00");
    quiz(f, f->newbie, 3, 4, 5, "2026-01-11T12:00");   /* exactly 80% */
    quiz(f, f->newbie, 4, 10, 10, "2026-02-01T09:00"); /* after the "now" below */
    quiz(f, f->other, 5, 10, 10, "2026-01-11T09:00");  /* somebody else's */
    assert_int_equal(facts(f, f->newbie, "2026-01-11T23:00").chapters_passed, 1);
    assert_int_equal(facts(f, f->newbie, "2026-01-20T09:00").chapters_passed, 2);
    assert_int_equal(facts(f, f->newbie, "2026-02-01T09:00").chapters_passed, 3);
    assert_int_equal(facts(f, f->other, "2026-02-01T09:00").chapters_passed, 1);
}

static void test_walkthrough(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    gj_test_set_now("2026-01-11T09:00");
    assert_int_equal(gj_training_mark(f->db, f->newbie, f->newbie, "walkthrough", "started", &err),
                     GJ_OK);
    assert_int_equal(gj_training_mark(f->db, f->newbie, f->newbie, "other-item", "passed", &err),
                     GJ_OK);
    assert_int_equal(facts(f, f->newbie, "2026-01-12T09:00").walkthrough_done, 0);
    gj_test_set_now("2026-01-12T10:00");
    assert_int_equal(gj_training_mark(f->db, f->newbie, f->newbie, "walkthrough", "passed", &err),
                     GJ_OK);
    assert_int_equal(facts(f, f->newbie, "2026-01-12T11:00").walkthrough_done, 1);
    assert_int_equal(facts(f, f->other, "2026-01-12T11:00").walkthrough_done, 0);
}

static void test_assessments(void **state)
{
    struct fx *f = *state;
    assess(f, f->newbie, 4, 4, 4, 5, "2026-01-15T09:00"); /* 17 */
    assess(f, f->newbie, 3, 3, 4, 4, "2026-01-16T09:00"); /* 14 */
    assess(f, f->newbie, 1, 1, 1, 1, "2026-03-01T09:00"); /* later than now below */
    assess(f, f->other, 5, 5, 5, 5, "2026-01-15T09:00");
    struct gj_rank_facts r = facts(f, f->newbie, "2026-02-01T09:00");
    assert_int_equal(r.assessments, 2);
    assert_int_equal(r.assessment_avg_x100, 387); /* 31 / 8 = 3.875, rounded down */
    r = facts(f, f->newbie, "2026-03-01T09:00");
    assert_int_equal(r.assessments, 3);
    assert_int_equal(r.assessment_avg_x100, 291); /* 35 / 12 = 2.9166 */
    r = facts(f, f->other, "2026-03-01T09:00");
    assert_int_equal(r.assessments, 1);
    assert_int_equal(r.assessment_avg_x100, 500);
}

/* Whole months at the rank: since the user was created, then since the
 * last promotion. */
static void test_months(void **state)
{
    struct fx *f = *state;
    assert_int_equal(facts(f, f->newbie, "2026-02-10T08:59").months_at_rank, 0);
    assert_int_equal(facts(f, f->newbie, "2026-02-10T09:00").months_at_rank, 1);
    assert_int_equal(facts(f, f->newbie, "2026-07-10T08:59").months_at_rank, 5);
    assert_int_equal(facts(f, f->newbie, "2026-07-10T09:00").months_at_rank, 6);
    assert_int_equal(facts(f, f->newbie, "2025-12-01T09:00").months_at_rank, 0);

    struct gj_error err;
    gj_test_set_now("2026-03-31T12:00");
    assert_int_equal(gj_user_promote(f->db, f->boss, f->newbie, &err), GJ_OK);
    struct gj_rank_facts r = facts(f, f->newbie, "2026-04-30T11:59");
    assert_int_equal(r.rank, GJ_RANK_ASSISTANT);
    assert_int_equal(r.months_at_rank, 0);
    /* The 31st to the last day of a shorter month is a whole month. */
    assert_int_equal(facts(f, f->newbie, "2026-04-30T12:00").months_at_rank, 1);
    assert_int_equal(facts(f, f->newbie, "2026-10-01T12:00").months_at_rank, 6);
    /* Before the promotion, the rank as it is now but the months from the creation. */
    assert_int_equal(facts(f, f->newbie, "2026-03-30T09:00").months_at_rank, 2);

    /* A change that leaves the rank alone does not restart the count. */
    struct gj_user u;
    assert_int_equal(gj_user_get(f->db, f->newbie, &u, &err), GJ_OK);
    gj_test_set_now("2026-05-15T12:00");
    snprintf(u.name, sizeof u.name, "%s", "小刘");
    assert_int_equal(gj_user_update(f->db, f->boss, &u, &err), GJ_OK);
    assert_int_equal(facts(f, f->newbie, "2026-06-01T12:00").months_at_rank, 2);
}

/* A complaint handled by user (a butler taking a minor one handles it),
 * resolved and revisited with satisfaction (0: not revisited). */
static void handled(struct fx *f, int64_t user, int satisfaction, const char *when)
{
    gj_test_set_now(when);
    static struct gj_complaint c;
    memset(&c, 0, sizeof c);
    snprintf(c.channel, sizeof c.channel, "%s", "phone");
    snprintf(c.subject, sizeof c.subject, "%s", "楼道灯不亮");
    snprintf(c.detail, sizeof c.detail, "%s", "三楼楼道灯坏了一周。");
    snprintf(c.category, sizeof c.category, "%s", "other");
    snprintf(c.grade, sizeof c.grade, "%s", "minor");
    struct gj_error err;
    if (gj_complaint_take(f->db, user, GJ_ROLE_BUTLER, &c, &err) != GJ_OK)
        fail_msg("%s", err.msg);
    assert_true(c.assignee_user_id == user);
    struct gj_complaint_step resolve = {
        .event = "resolve", .action_taken = "换了灯泡", .result = "灯亮了"};
    if (gj_complaint_do(f->db, user, GJ_ROLE_BUTLER, &c, &resolve, &err) != GJ_OK)
        fail_msg("%s", err.msg);
    if (!satisfaction)
        return;
    struct gj_complaint_step revisit = {
        .event = "revisit", .satisfaction = satisfaction, .note = "回访"};
    if (gj_complaint_do(f->db, f->boss, GJ_ROLE_MANAGER, &c, &revisit, &err) != GJ_OK)
        fail_msg("%s", err.msg);
}

static void test_revisits(void **state)
{
    struct fx *f = *state;
    handled(f, f->other, 5, "2026-02-01T09:00");
    handled(f, f->other, 4, "2026-02-02T09:00");
    handled(f, f->other, 4, "2026-02-03T09:00");
    handled(f, f->other, 0, "2026-02-04T09:00");  /* not revisited yet */
    handled(f, f->other, 3, "2026-04-01T09:00");  /* after now below */
    handled(f, f->newbie, 1, "2026-02-01T09:00"); /* somebody else's */
    struct gj_rank_facts r = facts(f, f->other, "2026-03-01T09:00");
    assert_int_equal(r.revisits, 3);
    assert_int_equal(r.satisfaction_avg_x100, 433); /* 13 / 3, rounded down */
    r = facts(f, f->other, "2026-05-01T09:00");
    assert_int_equal(r.revisits, 4);
    assert_int_equal(r.satisfaction_avg_x100, 400);
    r = facts(f, f->newbie, "2026-05-01T09:00");
    assert_int_equal(r.revisits, 1);
    assert_int_equal(r.satisfaction_avg_x100, 100);
}

/* Six chapters and the walkthrough make a trainee eligible (ranks.c). */
static void test_facts_feed_the_rules(void **state)
{
    struct fx *f = *state;
    for (int ch = 1; ch <= 6; ch++)
        quiz(f, f->newbie, ch, 9, 10, "2026-01-11T09:00");
    struct gj_rank_verdict v;
    struct gj_rank_facts r = facts(f, f->newbie, "2026-01-12T09:00");
    gj_rank_next(&r, &v);
    assert_int_equal(v.eligible, 0);
    struct gj_error err;
    assert_int_equal(gj_training_mark(f->db, f->newbie, f->newbie, "walkthrough", "passed", &err),
                     GJ_OK);
    r = facts(f, f->newbie, "2026-01-12T09:00");
    gj_rank_next(&r, &v);
    assert_int_equal(v.eligible, 1);
    assert_int_equal(v.next, GJ_RANK_ASSISTANT);
}

static void test_promote(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    struct gj_user before, after;
    assert_int_equal(gj_user_get(f->db, f->newbie, &before, &err), GJ_OK);
    gj_test_set_now("2026-02-01T09:00");
    assert_int_equal(gj_user_promote(f->db, f->boss, f->newbie, &err), GJ_OK);
    assert_int_equal(gj_user_get(f->db, f->newbie, &after, &err), GJ_OK);
    assert_string_equal(after.rank, "assistant");
    assert_true(after.meta.version == before.meta.version + 1);
    assert_true(after.meta.updated_by == f->boss);
    assert_true(after.meta.updated_at == gj_test_at("2026-02-01T09:00"));
    assert_string_equal(after.role, before.role);
    assert_string_equal(after.password_hash, before.password_hash);

    /* Audited: who, when, the rank before and after. */
    struct gj_audit_entry rows[4];
    int n = 0;
    assert_int_equal(gj_audit_of_entity(f->db, "users", f->newbie, 0, 4, rows, &n, &err), GJ_OK);
    assert_true(n >= 1);
    assert_string_equal(rows[0].action, "update");
    assert_true(rows[0].user_id == f->boss);
    assert_non_null(strstr(rows[0].old_values, "\"rank\":\"trainee\""));
    assert_non_null(strstr(rows[0].new_values, "\"rank\":\"assistant\""));
    gj_audit_entries_free(rows, n);

    /* Up the ladder to the top, and no further. */
    static const char *const next[] = {"butler", "senior", "head"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(gj_user_promote(f->db, f->boss, f->newbie, &err), GJ_OK);
        assert_int_equal(gj_user_get(f->db, f->newbie, &after, &err), GJ_OK);
        assert_string_equal(after.rank, next[i]);
    }
    assert_int_equal(gj_user_promote(f->db, f->boss, f->newbie, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "top rank"));
    struct gj_user top;
    assert_int_equal(gj_user_get(f->db, f->newbie, &top, &err), GJ_OK);
    assert_true(top.meta.version == after.meta.version);

    assert_int_equal(gj_user_promote(f->db, f->boss, 999, &err), GJ_ENOTFOUND);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_new_user), T(test_chapters), T(test_walkthrough),          T(test_assessments),
        T(test_months),   T(test_revisits), T(test_facts_feed_the_rules), T(test_promote),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
