/* The REAL training course, as embedded into the binary from
 * data/training/<lang>/<N>.txt: both languages, all six chapters parse;
 * every curriculum point has a section with pages; every quiz has at least
 * 8 questions testing every point of its chapter; every answer key is
 * valid; the role-plays for 3.3 and 5.2 exist; and zh_CN and en are the
 * same course (questions, types, points, answer keys, role-play steps and
 * scores). Every problem found is listed before the test fails.
 *
 * With an argument, a folder holding <lang>/<N>.txt, the files there are
 * checked instead of the embedded ones (for writers, before a rebuild):
 *     build/tests/test_training_coverage data/training */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanjia/training.h"

#define N_LANGS 2
static const char *const langs[N_LANGS] = {"zh_CN", "en"};

static const char *dir; /* NULL: the embedded course */
static struct gj_chapter chapters[N_LANGS][GJ_TRAINING_CHAPTERS];
static int loaded[N_LANGS][GJ_TRAINING_CHAPTERS];
static char load_error[N_LANGS][GJ_TRAINING_CHAPTERS][640];

static int problems;

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static void
problem(const char *fmt, ...)
{
    char msg[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (problems++ < 200)
        print_error("  %s\n", msg);
}

static void verdict(const char *what)
{
    if (problems)
        fail_msg("%d problem(s) with %s", problems, what);
}

/* ---- loading ------------------------------------------------------------- */

static int load_file(const char *lang, int n, struct gj_chapter *c, char *why, size_t whysz)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%d.txt", dir, lang, n);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, whysz, "%s: cannot open", path);
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    for (;;) {
        if (!text)
            break;
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (len < cap)
            break;
        cap *= 2;
        char *p = realloc(text, cap);
        if (!p) {
            free(text);
            text = NULL;
        } else {
            text = p;
        }
    }
    fclose(f);
    if (!text) {
        snprintf(why, whysz, "%s: out of memory", path);
        return -1;
    }
    struct gj_error err;
    int rc = gj_chapter_parse(text, len, c, &err);
    free(text);
    if (rc != GJ_OK) {
        snprintf(why, whysz, "%s:%s", path, err.msg);
        return -1;
    }
    if (c->number != n) {
        snprintf(why, whysz, "%s: says @chapter %d", path, c->number);
        gj_chapter_free(c);
        return -1;
    }
    return 0;
}

static int setup(void **state)
{
    (void)state;
    for (int l = 0; l < N_LANGS; l++)
        for (int n = 1; n <= GJ_TRAINING_CHAPTERS; n++) {
            struct gj_chapter *c = &chapters[l][n - 1];
            char *why = load_error[l][n - 1];
            if (dir) {
                loaded[l][n - 1] = load_file(langs[l], n, c, why, sizeof load_error[0][0]) == 0;
            } else {
                struct gj_error err;
                loaded[l][n - 1] = gj_training_load(langs[l], n, c, &err) == GJ_OK;
                if (!loaded[l][n - 1])
                    snprintf(why, sizeof load_error[0][0], "%s", err.msg);
            }
        }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int l = 0; l < N_LANGS; l++)
        for (int n = 0; n < GJ_TRAINING_CHAPTERS; n++)
            gj_chapter_free(&chapters[l][n]);
    return 0;
}

/* The chapter, or NULL (and a problem) when it did not load. */
static const struct gj_chapter *chapter(int l, int n)
{
    if (loaded[l][n - 1])
        return &chapters[l][n - 1];
    problem("%s chapter %d did not load", langs[l], n);
    return NULL;
}

static const char *point(int n, int k)
{
    return gj_training_points[3 * (n - 1) + k];
}

static int empty(const char *s)
{
    return !s || !s[0];
}

/* ---- the checks ------------------------------------------------------------ */

static void test_all_chapters_parse(void **state)
{
    (void)state;
    problems = 0;
    for (int l = 0; l < N_LANGS; l++)
        for (int n = 1; n <= GJ_TRAINING_CHAPTERS; n++)
            if (!loaded[l][n - 1])
                problem("%s chapter %d: %s", langs[l], n, load_error[l][n - 1]);
    verdict("loading the chapters");
}

static void test_every_point_has_pages(void **state)
{
    (void)state;
    problems = 0;
    for (int i = 0; gj_training_points[i]; i++) {
        const char *id = gj_training_points[i];
        int n = i / 3 + 1;
        for (int l = 0; l < N_LANGS; l++) {
            if (!loaded[l][n - 1]) {
                if (i % 3 == 0) /* once per chapter */
                    problem("%s chapter %d did not load", langs[l], n);
                continue;
            }
            const struct gj_chapter *c = &chapters[l][n - 1];
            const struct gj_tsection *s = NULL;
            for (int k = 0; k < c->n_sections; k++)
                if (strcmp(c->sections[k].id, id) == 0)
                    s = &c->sections[k];
            if (!s) {
                problem("%s %s: no section", langs[l], id);
                continue;
            }
            if (empty(s->title))
                problem("%s %s: no title", langs[l], id);
            if (s->n_pages < 2)
                problem("%s %s: %d page(s), at least 2 needed", langs[l], id, s->n_pages);
            for (int p = 0; p < s->n_pages; p++)
                if (empty(s->pages[p]))
                    problem("%s %s: page %d is empty", langs[l], id, p + 1);
        }
    }
    verdict("the sections");
}

/* Runs check on chapter n of language l, for every chapter of both
 * languages (one that did not load is a problem), then fails when any
 * problem was found with what. */
static void each_chapter(void (*check)(int l, int n, const struct gj_chapter *c), const char *what)
{
    problems = 0;
    for (int n = 1; n <= GJ_TRAINING_CHAPTERS; n++)
        for (int l = 0; l < N_LANGS; l++) {
            const struct gj_chapter *c = chapter(l, n);
            if (c)
                check(l, n, c);
        }
    verdict(what);
}

static void quiz_covers_points(int l, int n, const struct gj_chapter *c)
{
    if (c->n_questions < 8)
        problem("%s chapter %d: %d questions, at least 8 needed", langs[l], n, c->n_questions);
    for (int k = 0; k < 3; k++) {
        int count = 0;
        for (int q = 0; q < c->n_questions; q++)
            count += strcmp(c->questions[q].point, point(n, k)) == 0;
        if (count < 2)
            problem("%s chapter %d: point %s is tested by %d question(s), at least 2 needed",
                    langs[l], n, point(n, k), count);
    }
    for (int q = 0; q < c->n_questions; q++) {
        const char *p = c->questions[q].point;
        if (strcmp(p, point(n, 0)) && strcmp(p, point(n, 1)) && strcmp(p, point(n, 2)))
            problem("%s chapter %d question %d: point %s is not of this chapter", langs[l], n,
                    q + 1, p);
    }
}

static void test_quizzes_cover_points(void **state)
{
    (void)state;
    each_chapter(quiz_covers_points, "the quizzes");
}

static void answer_keys(int l, int n, const struct gj_chapter *c)
{
    for (int i = 0; i < c->n_questions; i++) {
        const struct gj_tquestion *q = &c->questions[i];
        int right = 0, whys = 1;
        for (int o = 0; o < q->n_options; o++) {
            right += q->options[o].right;
            whys &= !empty(q->options[o].text) && !empty(q->options[o].why);
        }
        int ok = q->multi
                     ? q->n_options >= 4 && q->n_options <= 5 && right >= 2 && right < q->n_options
                     : q->n_options >= 3 && q->n_options <= 4 && right == 1;
        if (!ok)
            problem("%s chapter %d question %d (line %d): %s with %d options, %d right", langs[l],
                    n, i + 1, q->line, q->multi ? "multi" : "single", q->n_options, right);
        if (!whys || empty(q->text))
            problem("%s chapter %d question %d (line %d): text or explanation missing", langs[l], n,
                    i + 1, q->line);
        unsigned key = gj_question_key(q);
        if (!gj_question_right(q, key) || gj_question_right(q, key ^ 1u))
            problem("%s chapter %d question %d (line %d): the key does not score", langs[l], n,
                    i + 1, q->line);
    }
}

static void test_answer_keys(void **state)
{
    (void)state;
    each_chapter(answer_keys, "the answer keys");
}

static void test_roleplays(void **state)
{
    (void)state;
    problems = 0;
    const struct {
        int chapter;
        const char *point;
    } need[] = {{3, "3.3"}, {5, "5.2"}};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        for (int l = 0; l < N_LANGS; l++) {
            const struct gj_chapter *c = chapter(l, need[i].chapter);
            if (!c)
                continue;
            int found = 0;
            for (int r = 0; r < c->n_roleplays; r++)
                found |= strcmp(c->roleplays[r].point, need[i].point) == 0;
            if (!found)
                problem("%s: no role-play for %s", langs[l], need[i].point);
        }
    for (int n = 1; n <= GJ_TRAINING_CHAPTERS; n++)
        for (int l = 0; l < N_LANGS; l++) {
            const struct gj_chapter *c = loaded[l][n - 1] ? &chapters[l][n - 1] : NULL;
            for (int r = 0; c && r < c->n_roleplays; r++) {
                const struct gj_troleplay *rp = &c->roleplays[r];
                if (rp->n_steps < 4 || rp->n_steps > 6)
                    problem("%s role-play %s: %d steps, 4 to 6 needed", langs[l], rp->point,
                            rp->n_steps);
                for (int s = 0; s < rp->n_steps; s++) {
                    unsigned scores = 0;
                    for (int k = 0; k < rp->steps[s].n_replies; k++) {
                        const struct gj_treply *re = &rp->steps[s].replies[k];
                        scores |= 1u << re->score;
                        if (empty(re->text) || empty(re->why))
                            problem("%s role-play %s step %d: a reply without text or why",
                                    langs[l], rp->point, s + 1);
                    }
                    if (rp->steps[s].n_replies != 3 || scores != 7 || empty(rp->steps[s].say))
                        problem("%s role-play %s step %d: needs the owner's words and replies "
                                "scored 2, 1, 0",
                                langs[l], rp->point, s + 1);
                }
            }
        }
    verdict("the role-plays");
}

static void test_languages_match(void **state)
{
    (void)state;
    problems = 0;
    for (int n = 1; n <= GJ_TRAINING_CHAPTERS; n++) {
        const struct gj_chapter *zh = chapter(0, n), *en = chapter(1, n);
        if (!zh || !en)
            continue;
        if (zh->n_sections != en->n_sections)
            problem("chapter %d: zh_CN has %d sections, en %d", n, zh->n_sections, en->n_sections);
        for (int s = 0; s < zh->n_sections && s < en->n_sections; s++)
            if (strcmp(zh->sections[s].id, en->sections[s].id) != 0)
                problem("chapter %d section %d: zh_CN %s, en %s", n, s + 1, zh->sections[s].id,
                        en->sections[s].id);
        if (zh->n_questions != en->n_questions)
            problem("chapter %d: zh_CN has %d questions, en %d", n, zh->n_questions,
                    en->n_questions);
        for (int i = 0; i < zh->n_questions && i < en->n_questions; i++) {
            const struct gj_tquestion *a = &zh->questions[i], *b = &en->questions[i];
            if (a->multi != b->multi || strcmp(a->point, b->point) != 0)
                problem("chapter %d question %d: zh_CN %s %s (line %d), en %s %s (line %d)", n,
                        i + 1, a->multi ? "multi" : "single", a->point, a->line,
                        b->multi ? "multi" : "single", b->point, b->line);
            if (a->n_options != b->n_options || gj_question_key(a) != gj_question_key(b))
                problem("chapter %d question %d: answer keys differ: zh_CN %d options key 0x%x "
                        "(line %d), en %d options key 0x%x (line %d)",
                        n, i + 1, a->n_options, gj_question_key(a), a->line, b->n_options,
                        gj_question_key(b), b->line);
        }
        if (zh->n_roleplays != en->n_roleplays)
            problem("chapter %d: zh_CN has %d role-plays, en %d", n, zh->n_roleplays,
                    en->n_roleplays);
        for (int r = 0; r < zh->n_roleplays && r < en->n_roleplays; r++) {
            const struct gj_troleplay *a = &zh->roleplays[r], *b = &en->roleplays[r];
            if (strcmp(a->point, b->point) != 0 || a->n_steps != b->n_steps) {
                problem("chapter %d role-play %d: zh_CN %s with %d steps, en %s with %d", n, r + 1,
                        a->point, a->n_steps, b->point, b->n_steps);
                continue;
            }
            for (int s = 0; s < a->n_steps; s++)
                for (int k = 0; k < 3; k++)
                    if (a->steps[s].n_replies != b->steps[s].n_replies ||
                        (k < a->steps[s].n_replies &&
                         a->steps[s].replies[k].score != b->steps[s].replies[k].score)) {
                        problem("chapter %d role-play %s step %d: the scores differ", n, a->point,
                                s + 1);
                        break;
                    }
        }
    }
    verdict("zh_CN and en being the same course");
}

int main(int argc, char **argv)
{
    if (argc > 1)
        dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_chapters_parse),
        cmocka_unit_test(test_every_point_has_pages),
        cmocka_unit_test(test_quizzes_cover_points),
        cmocka_unit_test(test_answer_keys),
        cmocka_unit_test(test_roleplays),
        cmocka_unit_test(test_languages_match),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
