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

/* One case of a step up: the facts (rank, chapter quizzes passed,
 * walkthrough done, assessments, their average x100, months at rank,
 * revisits, their satisfaction x100) and the missing text, NULL when the
 * step is open. */
struct rank_case {
    struct gj_rank_facts facts;
    const char *missing;
};

static void expect_cases(enum gj_rank next, const struct rank_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].missing)
            missing(&c[i].facts, next, c[i].missing);
        else
            eligible(&c[i].facts, next);
}

#define CASES(c) c, sizeof c / sizeof c[0]

static void test_to_assistant(void **state)
{
    (void)state;
    static const struct rank_case cases[] = {
        /* no months, assessments or revisits needed */
        {{GJ_RANK_TRAINEE, 6, 1, 0, 0, 0, 0, 0}, NULL},
        {{GJ_RANK_TRAINEE, 5, 1, 0, 0, 0, 0, 0}, "chapter quizzes passed at 80%: 5 of 6"},
        {{GJ_RANK_TRAINEE, 6, 0, 0, 0, 0, 0, 0}, "the system walkthrough is not done"},
        {{GJ_RANK_TRAINEE, 0, 0, 0, 0, 0, 0, 0},
         "chapter quizzes passed at 80%: 0 of 6; the system walkthrough is not done"},
    };
    expect_cases(GJ_RANK_ASSISTANT, CASES(cases));
}

static void test_to_butler(void **state)
{
    (void)state;
    static const struct rank_case cases[] = {
        {{GJ_RANK_ASSISTANT, 0, 0, 2, 350, 6, 0, 0}, NULL},
        {{GJ_RANK_ASSISTANT, 0, 0, 9, 500, 40, 0, 0}, NULL},
        {{GJ_RANK_ASSISTANT, 0, 0, 1, 350, 6, 0, 0}, "assessments: 1 of at least 2"},
        {{GJ_RANK_ASSISTANT, 0, 0, 2, 349, 6, 0, 0}, "assessment average 3.49, needs 3.50"},
        {{GJ_RANK_ASSISTANT, 0, 0, 2, 350, 5, 0, 0}, "months as Assistant butler: 5 of 6"},
        /* everything missing at once, in order */
        {{GJ_RANK_ASSISTANT, 0, 0, 0, 0, 0, 0, 0},
         "assessments: 0 of at least 2; months as Assistant butler: 0 of 6"},
        {{GJ_RANK_ASSISTANT, 0, 0, 1, 305, 2, 0, 0},
         "assessments: 1 of at least 2; assessment average 3.05, needs 3.50; "
         "months as Assistant butler: 2 of 6"},
    };
    expect_cases(GJ_RANK_BUTLER, CASES(cases));
}

static void test_to_senior(void **state)
{
    (void)state;
    static const struct rank_case cases[] = {
        /* quizzes and the walkthrough do not matter past assistant */
        {{GJ_RANK_BUTLER, 0, 0, 3, 400, 12, 10, 400}, NULL},
        {{GJ_RANK_BUTLER, 0, 0, 3, 399, 12, 10, 400}, "assessment average 3.99, needs 4.00"},
        {{GJ_RANK_BUTLER, 0, 0, 3, 400, 11, 10, 400}, "months as Butler: 11 of 12"},
        {{GJ_RANK_BUTLER, 0, 0, 3, 400, 12, 9, 400}, "complaint revisits: 9 of at least 10"},
        {{GJ_RANK_BUTLER, 0, 0, 3, 400, 12, 10, 399},
         "revisit satisfaction average 3.99, needs 4.00"},
        /* an average of nothing is not 4.00 */
        {{GJ_RANK_BUTLER, 0, 0, 0, 0, 12, 10, 400}, "assessments: 0 of at least 1"},
        {{GJ_RANK_BUTLER, 0, 0, 3, 400, 12, 0, 0}, "complaint revisits: 0 of at least 10"},
    };
    expect_cases(GJ_RANK_SENIOR, CASES(cases));
}

static void test_to_head(void **state)
{
    (void)state;
    static const struct rank_case cases[] = {
        {{GJ_RANK_SENIOR, 0, 0, 5, 450, 24, 20, 450}, NULL},
        {{GJ_RANK_SENIOR, 0, 0, 5, 449, 24, 20, 450}, "assessment average 4.49, needs 4.50"},
        {{GJ_RANK_SENIOR, 0, 0, 5, 450, 23, 20, 450}, "months as Senior butler: 23 of 24"},
        {{GJ_RANK_SENIOR, 0, 0, 5, 450, 24, 19, 450}, "complaint revisits: 19 of at least 20"},
        {{GJ_RANK_SENIOR, 0, 0, 5, 450, 24, 20, 449},
         "revisit satisfaction average 4.49, needs 4.50"},
        /* a senior's criteria that would have done for senior are not enough */
        {{GJ_RANK_SENIOR, 0, 0, 3, 400, 12, 10, 400},
         "assessment average 4.00, needs 4.50; months as Senior butler: 12 of 24; "
         "complaint revisits: 10 of at least 20; revisit satisfaction average 4.00, needs 4.50"},
    };
    expect_cases(GJ_RANK_HEAD, CASES(cases));
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
