/* The training course: six chapters per language, written in the format of
 * data/training/FORMAT.md and embedded into the binary at build time. This
 * parses a chapter into sections, pages, a quiz and role-plays, checking
 * every structural rule of the format; it does no I/O. */
#ifndef GUANJIA_TRAINING_H
#define GUANJIA_TRAINING_H

#include <stddef.h>
#include "guanjia/error.h"

#define GJ_TRAINING_CHAPTERS 6

struct gj_toption {
    char *text, *why;
    int right; /* 1: a "+" option */
};

struct gj_tquestion {
    int multi; /* 0: single (exactly one right option), 1: multi */
    char point[8];
    char *text;
    int n_options;
    struct gj_toption options[6];
    int line; /* of its @q in the file */
};

struct gj_treply {
    int score; /* 2, 1 or 0 */
    char *text, *why;
};

struct gj_tstep {
    char *say; /* what the owner says */
    int n_replies;
    struct gj_treply replies[3];
};

struct gj_troleplay {
    char point[8];
    char *title;
    int n_steps;
    struct gj_tstep steps[8];
};

struct gj_tsection {
    char id[8];
    char *title;
    int n_pages;
    char **pages; /* each page: paragraphs joined by "\n\n" */
};

struct gj_chapter {
    int number;
    char *title;
    int n_sections;
    struct gj_tsection sections[3];
    int n_questions;
    struct gj_tquestion questions[24];
    int n_roleplays;
    struct gj_troleplay roleplays[2];
};

/* Parses one chapter file (len bytes of text, a leading UTF-8 byte order
 * mark is skipped). A malformed file gives GJ_EINVAL with "LINE: WHY" (the
 * 1-based line number of the first violation) and leaves out empty; out of
 * memory gives GJ_ENOMEM. On success free out with gj_chapter_free. */
int gj_chapter_parse(const char *text, size_t len, struct gj_chapter *out, struct gj_error *err);
/* Frees what gj_chapter_parse allocated and zeroes c (safe on a zeroed c). */
void gj_chapter_free(struct gj_chapter *c);

/* The embedded text of a chapter (lang "en" or "zh_CN"), or NULL. *len (if
 * len is not NULL) gets its length; the text is also NUL-terminated. */
const char *gj_training_text(const char *lang, int chapter, size_t *len);
/* Parses the embedded chapter in that language: GJ_ENOTFOUND when it is not
 * in this build; GJ_EINVAL with "LANG/N.txt:LINE: WHY" when malformed or
 * when its @chapter number is not N. */
int gj_training_load(const char *lang, int chapter, struct gj_chapter *out, struct gj_error *err);

/* The 18 curriculum point ids, "1.1".."6.3", NULL-terminated. Chapter N has
 * gj_training_points[3 * (N - 1)] .. [3 * (N - 1) + 2]. */
extern const char *const gj_training_points[];

/* A question answered with the options in chosen (bit i = option i): right
 * only when exactly the right ones are chosen. */
int gj_question_right(const struct gj_tquestion *q, unsigned chosen);
/* The answer key of q: bit i set when option i is right. */
unsigned gj_question_key(const struct gj_tquestion *q);

/* The quiz pass mark: score*100 >= max*80 (and max > 0). */
int gj_quiz_passed(int score, int max);

/* The embedded files, generated at build time from data/training/<lang>/N.txt
 * by cmake/embed_training.cmake (a file that is missing is simply absent). */
struct gj_training_file {
    const char *lang;
    int chapter;
    const char *text; /* NUL-terminated */
    size_t len;
};
extern const struct gj_training_file gj_training_files[];
extern const int gj_training_file_count;

#endif
