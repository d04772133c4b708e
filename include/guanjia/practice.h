/* Practice tasks (实操练习): front-desk situations a trainee handles in the
 * practice estate (sandbox.h), each with a checker that reads the sandbox
 * afterwards and says what was right and what was wrong.
 *
 * The situations name records of the demo estate (`guanjia demo`, which is
 * deterministic: the sandbox is always made at a clock that draws the same
 * estate, see gj_sandbox_create). A checker that finds the record it
 * expects changed beyond recognition says the sandbox is not the practice
 * estate and does not pass.
 *
 * Only what user_id did at or after since counts: an order dispatched
 * before the task was given does not pass it. */
#ifndef GUANJIA_PRACTICE_H
#define GUANJIA_PRACTICE_H

#include <stddef.h>
#include <stdint.h>
#include "guanjia/db.h"

struct gj_practice_task {
    const char *id;        /* stable: "owner-update", "intake", "dispatch", "close-feedback",
                              "payment", "dunning", "complaint", "revisit", "privacy" */
    const char *point;     /* the curriculum point it practises: "4.1", "1.2", "4.2", "2.3",
                              "1.3", "1.3", "5.1", "5.3", "3.3" */
    const char *title;     /* N_(), short: show with _() */
    const char *situation; /* N_(), the situation the trainee is given, naming the unit and
                              people: show with _() */
    const char *hint;      /* N_(), which screen and keys to use: show with _() */
    /* Inspects the sandbox after the task was given at `since` (only what
     * was done since counts) by user `user_id` of the sandbox; writes
     * specific feedback lines (translated, "\n"-separated, no newline at
     * the end; each line starts with "✓ " for what is right, "✗ " for
     * what is wrong or missing, or "• " for a tip that does not decide
     * the result; cut at a character boundary when fbsz is too small);
     * returns 1 passed, 0 not yet, or <0 (minus the gj_status) with err
     * on a database error. */
    int (*check)(struct gj_db *sandbox, int64_t since, int64_t user_id, char *feedback, size_t fbsz,
                 struct gj_error *err);
};

/* The nine tasks, in the order of the list above. */
extern const struct gj_practice_task gj_practice_tasks[];
extern const int gj_practice_task_count;

/* The task with that id, or NULL. */
const struct gj_practice_task *gj_practice_find(const char *id);

#endif
