/* The training chapter parser (core/training.c) on the fixture files of
 * tests/fixtures/training: a valid chapter in every detail, and one
 * malformed file per rule of data/training/FORMAT.md, each refused with the
 * line of its fault. Also the answer key, the pass mark and the lookup of
 * the embedded course. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanjia/training.h"

/* Reads tests/fixtures/training/<name> into a malloc'd buffer. */
static char *fixture(const char *name, size_t *len)
{
    const char *src = getenv("GUANJIA_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/training/%s", src ? src : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 > cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void parse_ok(const char *text, size_t len, struct gj_chapter *c)
{
    struct gj_error err;
    int rc = gj_chapter_parse(text, len, c, &err);
    if (rc != GJ_OK)
        fail_msg("refused: %s", err.msg);
    assert_int_equal(err.code, GJ_OK);
}

static void parse_fixture(const char *name, struct gj_chapter *c)
{
    size_t len;
    char *text = fixture(name, &len);
    struct gj_error err;
    int rc = gj_chapter_parse(text, len, c, &err);
    free(text);
    if (rc != GJ_OK)
        fail_msg("%s refused: %s", name, err.msg);
}

/* ---- a valid chapter ------------------------------------------------------ */

static void test_valid_chapter(void **state)
{
    (void)state;
    struct gj_chapter c;
    parse_fixture("en/3.txt", &c);
    assert_int_equal(c.number, 3);
    assert_string_equal(c.title, "Chapter 3 (fixture)");

    assert_int_equal(c.n_sections, 3);
    const char *ids[] = {"3.1", "3.2", "3.3"};
    for (int i = 0; i < 3; i++) {
        char want[160];
        assert_string_equal(c.sections[i].id, ids[i]);
        snprintf(want, sizeof want, "Point %s", ids[i]);
        assert_string_equal(c.sections[i].title, want);
        assert_int_equal(c.sections[i].n_pages, 2);
        /* paragraphs joined by a blank line; lines of a paragraph kept */
        snprintf(want, sizeof want,
                 "Page one of %s: the butler at the desk of 3-2-501.\n\n"
                 "A second paragraph of %s,\nwritten on two lines.",
                 ids[i], ids[i]);
        assert_string_equal(c.sections[i].pages[0], want);
        snprintf(want, sizeof want, "Page two of %s.", ids[i]);
        assert_string_equal(c.sections[i].pages[1], want); /* no trailing blank line */
    }

    assert_int_equal(c.n_questions, 8);
    struct gj_tquestion *q = &c.questions[0];
    assert_int_equal(q->multi, 0);
    assert_string_equal(q->point, "3.1");
    assert_string_equal(q->text, "Question 1 about 3.1?");
    assert_int_equal(q->line, 25);
    assert_int_equal(q->n_options, 3);
    assert_string_equal(q->options[0].text, "A right option 1");
    assert_string_equal(q->options[0].why, "why 1");
    assert_int_equal(q->options[0].right, 1);
    assert_string_equal(q->options[2].text, "A wrong option 3");
    assert_string_equal(q->options[2].why, "why 3");
    assert_int_equal(q->options[2].right, 0);
    assert_int_equal(gj_question_key(q), 0x1u);

    q = &c.questions[5]; /* multi 3.3: - + + - + */
    assert_int_equal(q->multi, 1);
    assert_string_equal(q->point, "3.3");
    assert_int_equal(q->line, 58);
    assert_int_equal(q->n_options, 5);
    assert_int_equal(gj_question_key(q), 0x16u);
    const char *points[] = {"3.1", "3.1", "3.2", "3.2", "3.3", "3.3", "3.1", "3.3"};
    const int multi[] = {0, 1, 0, 1, 0, 1, 0, 1};
    for (int i = 0; i < 8; i++) {
        assert_string_equal(c.questions[i].point, points[i]);
        assert_int_equal(c.questions[i].multi, multi[i]);
    }

    assert_int_equal(c.n_roleplays, 1);
    struct gj_troleplay *rp = &c.roleplays[0];
    assert_string_equal(rp->point, "3.3");
    assert_string_equal(rp->title, "Role-play 3.3");
    assert_int_equal(rp->n_steps, 4);
    assert_string_equal(rp->steps[0].say, "The owner speaks, step 1.");
    const int scores[4][3] = {{2, 1, 0}, {0, 2, 1}, {1, 0, 2}, {2, 0, 1}};
    for (int s = 0; s < 4; s++) {
        assert_int_equal(rp->steps[s].n_replies, 3);
        for (int r = 0; r < 3; r++)
            assert_int_equal(rp->steps[s].replies[r].score, scores[s][r]);
    }
    assert_string_equal(rp->steps[1].replies[1].text, "Best reply 2");
    assert_string_equal(rp->steps[1].replies[1].why, "why 2");
    assert_string_equal(rp->steps[1].replies[0].text, "Poor reply 2");

    gj_chapter_free(&c);
    assert_null(c.title);
    assert_int_equal(c.n_sections, 0);
    gj_chapter_free(&c); /* twice is harmless */
}

static void test_valid_fixtures_all(void **state)
{
    (void)state;
    const char *langs[] = {"en", "zh_CN"};
    for (int l = 0; l < 2; l++)
        for (int n = 1; n <= GJ_TRAINING_CHAPTERS; n++) {
            char name[32];
            struct gj_chapter c;
            snprintf(name, sizeof name, "%s/%d.txt", langs[l], n);
            parse_fixture(name, &c);
            assert_int_equal(c.number, n);
            assert_int_equal(c.n_sections, 3);
            assert_int_equal(c.n_roleplays, n == 3 || n == 5);
            gj_chapter_free(&c);
        }
    struct gj_chapter c;
    parse_fixture("zh_CN/5.txt", &c);
    assert_string_equal(c.title, "第 5 章（样例）");
    assert_string_equal(c.roleplays[0].point, "5.2");
    assert_string_equal(c.questions[0].options[0].text, "正确选项 1");
    gj_chapter_free(&c);
}

/* A byte order mark, no final newline, blank lines of spaces, full-width
 * spaces around an explanation and a page of exactly 8 paragraphs. */
static void test_valid_edges(void **state)
{
    (void)state;
    size_t len;
    char *base = fixture("en/1.txt", &len);
    size_t cap = len + 1024;
    char *text = malloc(cap);
    assert_non_null(text);

    snprintf(text, cap, "\xef\xbb\xbf%.*s", (int)(len - 1), base); /* BOM, no final \n */
    struct gj_chapter c;
    parse_ok(text, strlen(text), &c);
    assert_int_equal(c.number, 1);
    assert_string_equal(c.questions[7].options[4].why, "why 5");
    gj_chapter_free(&c);

    /* 8 paragraphs (one after a line of spaces) and full-width spaces */
    const char *at = strstr(base, "@page\n");
    assert_non_null(at);
    snprintf(text, cap, "%.*s\n3\n\n4\n   \n5\n\n6\n\n7\n\n8\n%s", (int)(at - base), base, at);
    char *opt = strstr(text, "+ A right option 1 || why 1");
    assert_non_null(opt);
    static const char repl[] = "+ R ||\xe3\x80\x80y\xe3\x80\x80              ";
    assert_int_equal(sizeof repl - 1, strlen("+ A right option 1 || why 1"));
    memcpy(opt, repl, sizeof repl - 1);
    parse_ok(text, strlen(text), &c);
    assert_string_equal(c.questions[0].options[0].text, "R");
    assert_string_equal(c.questions[0].options[0].why, "y");
    const char *page = c.sections[0].pages[0];
    assert_non_null(strstr(page, "written on two lines.\n\n3\n\n4"));
    assert_non_null(strstr(page, "\n\n8"));
    gj_chapter_free(&c);

    free(text);
    free(base);
}

/* ---- malformed files: one per rule ------------------------------------------ */

static const struct bad {
    const char *file;
    int line;
    const char *want;
} bads[] = {
    {"empty", 1, "empty"},
    {"first_line", 1, "@chapter"},
    {"chapter_number", 1, "1 to 6"},
    {"chapter_title", 1, "title"},
    {"chapter_twice", 9, "first line"},
    {"unknown_directive", 7, "unknown directive"},
    {"text_before_section", 2, "before the first @section"},
    {"section_order", 2, "expected 3.1"},
    {"section_other_chapter", 2, "expected 3.1"},
    {"section_fourth", 24, "only 3.1, 3.2 and 3.3"},
    {"section_title", 9, "title is missing"},
    {"section_one_page", 9, "at least 2"},
    {"page_empty", 14, "empty page"},
    {"page_nine_paragraphs", 24, "at most 8"},
    {"page_in_quiz", 31, "@page outside"},
    {"page_args", 7, "nothing after"},
    {"tab", 17, "tab"},
    {"carriage_return", 17, "carriage return"},
    {"utf8", 17, "UTF-8"},
    {"nul", 17, "NUL"},
    {"long_line", 17, "longer than 2000"},
    {"no_quiz", 22, "no @quiz"},
    {"quiz_two_sections", 17, "has 2"},
    {"quiz_twice", 44, "twice"},
    {"section_after_quiz", 44, "after @quiz"},
    {"quiz_args", 24, "nothing after"},
    {"quiz_text_before_q", 25, "outside a question"},
    {"q_type", 25, "single or multi"},
    {"q_point", 25, "not one of this chapter"},
    {"q_syntax", 25, "@q single|multi POINT"},
    {"q_no_text", 25, "no text"},
    {"q_two_lines", 27, "one line"},
    {"option_no_why", 27, "no explanation"},
    {"option_empty_why", 28, "no explanation"},
    {"option_no_text", 27, "no text"},
    {"single_two_options", 25, "3 to 4 options (has 2)"},
    {"single_five_options", 25, "3 to 4 options (has 5)"},
    {"single_two_right", 25, "exactly one right option \"+\" (has 2)"},
    {"single_no_right", 25, "exactly one right option \"+\" (has 0)"},
    {"multi_three_options", 31, "4 to 5 options (has 3)"},
    {"multi_seven_options", 31, "4 to 5 options (has 7)"},
    {"multi_one_right", 31, "at least 2 right options \"+\" (has 1)"},
    {"multi_all_right", 31, "at least one wrong"},
    {"quiz_seven", 24, "at least 8 questions (has 7)"},
    {"point_untested", 24, "point 3.2 is tested by 1"},
    {"questions_25", 161, "more than 24"},
    {"roleplay_chapter_1", 81, "only in chapters 3 and 5"},
    {"roleplay_before_quiz", 24, "before @quiz"},
    {"roleplay_point", 81, "not one of this chapter"},
    {"roleplay_title", 81, "title is missing"},
    {"roleplay_missing_33", 98, "needs a role-play for 3.3"},
    {"roleplay_missing_52", 98, "needs a role-play for 5.2"},
    {"say_in_quiz", 38, "@say outside a role-play"},
    {"reply_before_say", 82, "before the first @say"},
    {"say_empty", 82, "missing"},
    {"reply_score", 83, "must be 2, 1 or 0"},
    {"reply_score_twice", 84, "score 2 appears twice"},
    {"reply_no_why", 83, "no explanation"},
    {"reply_no_text", 83, "no text"},
    {"step_two_replies", 86, "exactly 3 replies"},
    {"roleplay_three_steps", 81, "4 to 6 @say steps (has 3)"},
    {"roleplay_seven_steps", 81, "4 to 6 @say steps (has 7)"},
    {"roleplay_no_end", 81, "not closed by @end"},
    {"roleplay_in_roleplay", 98, "inside a role-play"},
    {"roleplay_text", 86, "outside @say and @reply"},
    {"text_after_end", 99, "after @end"},
    {"end_outside", 38, "@end outside a role-play"},
    {"end_args", 98, "nothing after"},
    {"roleplay_three", 117, "more than 2 role-plays"},
};

static void test_malformed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        char name[96], prefix[16];
        size_t len;
        snprintf(name, sizeof name, "bad/%s.txt", bads[i].file);
        char *text = fixture(name, &len);
        struct gj_chapter c;
        struct gj_error err;
        memset(&c, 0x5a, sizeof c);
        int rc = gj_chapter_parse(text, len, &c, &err);
        free(text);
        if (rc != GJ_EINVAL)
            fail_msg("%s: accepted (rc %d)", name, rc);
        assert_int_equal(err.code, GJ_EINVAL);
        snprintf(prefix, sizeof prefix, "%d: ", bads[i].line);
        if (strncmp(err.msg, prefix, strlen(prefix)) != 0 || !strstr(err.msg, bads[i].want))
            fail_msg("%s: want line %d and \"%s\", got \"%s\"", name, bads[i].line, bads[i].want,
                     err.msg);
        assert_null(strchr(err.msg, '\n'));
        /* nothing half-parsed is left behind */
        assert_null(c.title);
        assert_int_equal(c.n_sections, 0);
        assert_int_equal(c.n_questions, 0);
        assert_null(c.sections[0].pages);
        gj_chapter_free(&c);
    }
}

/* The first fault wins, whatever comes after it. */
static void test_first_fault(void **state)
{
    (void)state;
    const char *text = "@chapter 2 Two\n@section 2.1 A\nx\n@page\n\ty\n@section 2.3 C\n";
    struct gj_chapter c;
    struct gj_error err;
    assert_int_equal(gj_chapter_parse(text, strlen(text), &c, &err), GJ_EINVAL);
    assert_string_equal(err.msg, "5: a tab character (use spaces)");
    /* len is honoured: the text is cut before the fault */
    assert_int_equal(gj_chapter_parse(text, 32, &c, &err), GJ_EINVAL);
    assert_string_equal(err.msg, "2: section 2.1 has 1 page(s); at least 2 are needed (@page)");
    assert_int_equal(gj_chapter_parse(NULL, 0, &c, &err), GJ_EINVAL);
    assert_string_equal(err.msg, "1: the file is empty");
}

/* ---- answers, pass mark, points -------------------------------------------- */

static void test_question_right(void **state)
{
    (void)state;
    struct gj_tquestion q = {.multi = 0, .n_options = 3};
    q.options[1].right = 1;
    assert_true(gj_question_right(&q, 0x2));
    assert_false(gj_question_right(&q, 0x1));
    assert_false(gj_question_right(&q, 0x3));
    assert_false(gj_question_right(&q, 0x0));
    assert_false(gj_question_right(&q, 0x2 | 0x8)); /* a bit past the options */

    struct gj_tquestion m = {.multi = 1, .n_options = 5};
    m.options[0].right = m.options[2].right = m.options[4].right = 1;
    assert_int_equal(gj_question_key(&m), 0x15u);
    assert_true(gj_question_right(&m, 0x15));
    assert_false(gj_question_right(&m, 0x05)); /* one right one missing */
    assert_false(gj_question_right(&m, 0x17)); /* one wrong one added */
    assert_false(gj_question_right(&m, 0x1f));

    struct gj_tquestion none = {0};
    assert_false(gj_question_right(&none, 0));
}

static void test_quiz_passed(void **state)
{
    (void)state;
    assert_true(gj_quiz_passed(8, 10));
    assert_false(gj_quiz_passed(7, 10));
    assert_true(gj_quiz_passed(10, 10));
    assert_true(gj_quiz_passed(12, 15)); /* exactly 80% */
    assert_false(gj_quiz_passed(11, 15));
    assert_true(gj_quiz_passed(80, 100));
    assert_false(gj_quiz_passed(79, 100));
    assert_true(gj_quiz_passed(4, 5));
    assert_false(gj_quiz_passed(7, 9)); /* 77.8% */
    assert_true(gj_quiz_passed(8, 9));
    assert_false(gj_quiz_passed(0, 0));
    assert_false(gj_quiz_passed(0, 8));
}

static void test_points(void **state)
{
    (void)state;
    int n = 0;
    while (gj_training_points[n])
        n++;
    assert_int_equal(n, 18);
    for (int i = 0; i < n; i++) {
        char want[8];
        snprintf(want, sizeof want, "%d.%d", i / 3 + 1, i % 3 + 1);
        assert_string_equal(gj_training_points[i], want);
    }
}

/* ---- the embedded course: lookup only (test_training_coverage checks it) --- */

static void test_embedded_lookup(void **state)
{
    (void)state;
    size_t len = 99;
    assert_null(gj_training_text("fr", 1, &len));
    assert_int_equal(len, 99);
    assert_null(gj_training_text("en", 0, NULL));
    assert_null(gj_training_text("en", 7, NULL));
    assert_null(gj_training_text(NULL, 1, NULL));

    struct gj_chapter c;
    struct gj_error err;
    assert_int_equal(gj_training_load("en", 7, &c, &err), GJ_ENOTFOUND);
    assert_non_null(strstr(err.msg, "en"));
    assert_null(c.title);

    assert_true(gj_training_file_count >= 0);
    for (int i = 0; i < gj_training_file_count; i++) {
        const struct gj_training_file *f = &gj_training_files[i];
        const char *t = gj_training_text(f->lang, f->chapter, &len);
        assert_ptr_equal(t, f->text);
        assert_int_equal(len, f->len);
        assert_int_equal(t[len], '\0');
        assert_int_equal(strlen(t), len);
    }
    assert_null(gj_training_files[gj_training_file_count].lang);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_chapter),   cmocka_unit_test(test_valid_fixtures_all),
        cmocka_unit_test(test_valid_edges),     cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_first_fault),     cmocka_unit_test(test_question_right),
        cmocka_unit_test(test_quiz_passed),     cmocka_unit_test(test_points),
        cmocka_unit_test(test_embedded_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
