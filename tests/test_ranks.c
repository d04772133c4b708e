/* The butler rank ladder (core/ranks.c): codes and labels, and each step up
 * eligible exactly at its thresholds and not one below, with the missing
 * text naming every gap and its numbers; the top rank. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "guanjia/error.h"
#include "guanjia/ranks.h"

static void test_codes(void **state)
{
    (void)state;
    const char *codes[] = {"trainee", "assistant", "butler", "senior", "head"};
    const char *labels[] = {"Trainee butler", "Assistant butler", "Butler", "Senior butler",
                            "Head butler"};
    for (int i = 0; i < 5; i++) {
        enum gj_rank r = GJ_RANK_HEAD;
        assert_int_equal(gj_rank_parse(codes[i], &r), GJ_OK);
        assert_int_equal(r, i);
        assert_string_equal(gj_rank_code(r), codes[i]);
        assert_string_equal(gj_rank_label(r), labels[i]);
    }
    enum gj_rank r = GJ_RANK_BUTLER;
    assert_int_equal(gj_rank_parse("Butler", &r), GJ_EINVAL);
    assert_int_equal(gj_rank_parse("", &r), GJ_EINVAL);
    assert_int_equal(gj_rank_parse("supervisor", &r), GJ_EINVAL);
    assert_int_equal(gj_rank_parse(NULL, &r), GJ_EINVAL);
    assert_int_equal(r, GJ_RANK_BUTLER); /* untouched */
    assert_string_equal(gj_rank_code((enum gj_rank)7), "");
    assert_string_equal(gj_rank_label((enum gj_rank) - 1), "");
}

static struct gj_rank_verdict next(const struct gj_rank_facts *f)
{
    struct gj_rank_verdict v;
    memset(&v, 0x5a, sizeof v);
    gj_rank_next(f, &v);
    assert_non_null(memchr(v.missing, '\0', sizeof v.missing));
    return v;
}

static void eligible(const struct gj_rank_facts *f, enum gj_rank want)
{
    struct gj_rank_verdict v = next(f);
    if (!v.eligible)
        fail_msg("not eligible for %s: %s", gj_rank_code(want), v.missing);
    assert_int_equal(v.next, want);
    assert_int_equal(v.top, 0);
    assert_string_equal(v.missing, "");
}

/* Not eligible, and the missing text is exactly want. */
static void missing(const struct gj_rank_facts *f, enum gj_rank want_next, const char *want)
{
    struct gj_rank_verdict v = next(f);
    assert_int_equal(v.eligible, 0);
    assert_int_equal(v.top, 0);
    assert_int_equal(v.next, want_next);
    assert_string_equal(v.missing, want);
}

static void test_to_assistant(void **state)
{
    (void)state;
    struct gj_rank_facts f = {.rank = GJ_RANK_TRAINEE, .chapters_passed = 6, .walkthrough_done = 1};
    eligible(&f, GJ_RANK_ASSISTANT);
    /* no months, assessments or revisits needed */
    f.months_at_rank = 0;
    eligible(&f, GJ_RANK_ASSISTANT);

    f.chapters_passed = 5;
    missing(&f, GJ_RANK_ASSISTANT, "chapter quizzes passed at 80%: 5 of 6");
    f.chapters_passed = 6;
    f.walkthrough_done = 0;
    missing(&f, GJ_RANK_ASSISTANT, "the system walkthrough is not done");
    f.chapters_passed = 0;
    missing(&f, GJ_RANK_ASSISTANT,
            "chapter quizzes passed at 80%: 0 of 6; the system walkthrough is not done");
}

static void test_to_butler(void **state)
{
    (void)state;
    struct gj_rank_facts f = {.rank = GJ_RANK_ASSISTANT,
                              .assessments = 2,
                              .assessment_avg_x100 = 350,
                              .months_at_rank = 6};
    eligible(&f, GJ_RANK_BUTLER);
    f.assessments = 9;
    f.assessment_avg_x100 = 500;
    f.months_at_rank = 40;
    eligible(&f, GJ_RANK_BUTLER);

    f = (struct gj_rank_facts){.rank = GJ_RANK_ASSISTANT,
                               .assessments = 1,
                               .assessment_avg_x100 = 350,
                               .months_at_rank = 6};
    missing(&f, GJ_RANK_BUTLER, "assessments: 1 of at least 2");
    f.assessments = 2;
    f.assessment_avg_x100 = 349;
    missing(&f, GJ_RANK_BUTLER, "assessment average 3.49, needs 3.50");
    f.assessment_avg_x100 = 350;
    f.months_at_rank = 5;
    missing(&f, GJ_RANK_BUTLER, "months as Assistant butler: 5 of 6");
    /* everything missing at once, in order */
    f = (struct gj_rank_facts){.rank = GJ_RANK_ASSISTANT, .assessments = 0};
    missing(&f, GJ_RANK_BUTLER, "assessments: 0 of at least 2; months as Assistant butler: 0 of 6");
    f.assessments = 1;
    f.assessment_avg_x100 = 305;
    f.months_at_rank = 2;
    missing(&f, GJ_RANK_BUTLER,
            "assessments: 1 of at least 2; assessment average 3.05, needs 3.50; "
            "months as Assistant butler: 2 of 6");
}

static void test_to_senior(void **state)
{
    (void)state;
    const struct gj_rank_facts ok = {.rank = GJ_RANK_BUTLER,
                                     .assessments = 3,
                                     .assessment_avg_x100 = 400,
                                     .months_at_rank = 12,
                                     .revisits = 10,
                                     .satisfaction_avg_x100 = 400};
    eligible(&ok, GJ_RANK_SENIOR);

    struct gj_rank_facts f = ok;
    f.assessment_avg_x100 = 399;
    missing(&f, GJ_RANK_SENIOR, "assessment average 3.99, needs 4.00");
    f = ok;
    f.months_at_rank = 11;
    missing(&f, GJ_RANK_SENIOR, "months as Butler: 11 of 12");
    f = ok;
    f.revisits = 9;
    missing(&f, GJ_RANK_SENIOR, "complaint revisits: 9 of at least 10");
    f = ok;
    f.satisfaction_avg_x100 = 399;
    missing(&f, GJ_RANK_SENIOR, "revisit satisfaction average 3.99, needs 4.00");
    f = ok;
    f.assessments = 0; /* an average of nothing is not 4.00 */
    f.assessment_avg_x100 = 0;
    missing(&f, GJ_RANK_SENIOR, "assessments: 0 of at least 1");
    f = ok;
    f.revisits = 0;
    f.satisfaction_avg_x100 = 0;
    missing(&f, GJ_RANK_SENIOR, "complaint revisits: 0 of at least 10");
    /* quizzes and the walkthrough do not matter past assistant */
    f = ok;
    f.chapters_passed = 0;
    f.walkthrough_done = 0;
    eligible(&f, GJ_RANK_SENIOR);
}

static void test_to_head(void **state)
{
    (void)state;
    const struct gj_rank_facts ok = {.rank = GJ_RANK_SENIOR,
                                     .assessments = 5,
                                     .assessment_avg_x100 = 450,
                                     .months_at_rank = 24,
                                     .revisits = 20,
                                     .satisfaction_avg_x100 = 450};
    eligible(&ok, GJ_RANK_HEAD);

    struct gj_rank_facts f = ok;
    f.assessment_avg_x100 = 449;
    missing(&f, GJ_RANK_HEAD, "assessment average 4.49, needs 4.50");
    f = ok;
    f.months_at_rank = 23;
    missing(&f, GJ_RANK_HEAD, "months as Senior butler: 23 of 24");
    f = ok;
    f.revisits = 19;
    missing(&f, GJ_RANK_HEAD, "complaint revisits: 19 of at least 20");
    f = ok;
    f.satisfaction_avg_x100 = 449;
    missing(&f, GJ_RANK_HEAD, "revisit satisfaction average 4.49, needs 4.50");
    /* a senior's criteria that would have done for senior are not enough */
    f = (struct gj_rank_facts){.rank = GJ_RANK_SENIOR,
                               .assessments = 3,
                               .assessment_avg_x100 = 400,
                               .months_at_rank = 12,
                               .revisits = 10,
                               .satisfaction_avg_x100 = 400};
    missing(&f, GJ_RANK_HEAD,
            "assessment average 4.00, needs 4.50; months as Senior butler: 12 of 24; "
            "complaint revisits: 10 of at least 20; revisit satisfaction average 4.00, needs 4.50");
}

static void test_top(void **state)
{
    (void)state;
    struct gj_rank_facts f = {.rank = GJ_RANK_HEAD,
                              .chapters_passed = 6,
                              .walkthrough_done = 1,
                              .assessments = 10,
                              .assessment_avg_x100 = 500,
                              .months_at_rank = 100,
                              .revisits = 100,
                              .satisfaction_avg_x100 = 500};
    struct gj_rank_verdict v = next(&f);
    assert_int_equal(v.top, 1);
    assert_int_equal(v.eligible, 0);
    assert_int_equal(v.next, GJ_RANK_HEAD);
    assert_string_equal(v.missing, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),     cmocka_unit_test(test_to_assistant),
        cmocka_unit_test(test_to_butler), cmocka_unit_test(test_to_senior),
        cmocka_unit_test(test_to_head),   cmocka_unit_test(test_top),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
