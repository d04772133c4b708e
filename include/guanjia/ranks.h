/* The butler rank ladder (管家职级): 见习管家 -> 助理管家 -> 管家 -> 高级管家 ->
 * 管家主管, and what each step up requires. Ranks are stored in users.rank
 * by code (trainee assistant butler senior head). Pure rules, no I/O. */
#ifndef GUANJIA_RANKS_H
#define GUANJIA_RANKS_H

enum gj_rank { GJ_RANK_TRAINEE, GJ_RANK_ASSISTANT, GJ_RANK_BUTLER, GJ_RANK_SENIOR, GJ_RANK_HEAD };

/* The rank of a code; GJ_EINVAL (out untouched) for anything else. */
int gj_rank_parse(const char *code, enum gj_rank *out);
/* The code of a rank as stored ("trainee".."head"); "" when out of range. */
const char *gj_rank_code(enum gj_rank rank);
/* The rank's name for people (translated): "Trainee butler" (见习管家) ... */
const char *gj_rank_label(enum gj_rank rank);

struct gj_rank_facts {
    enum gj_rank rank;
    int chapters_passed; /* 0..6 chapter quizzes passed at 80% */
    int walkthrough_done;
    int assessments;
    int assessment_avg_x100; /* average of the 4 dimensions, x100 */
    int months_at_rank;
    int revisits;
    int satisfaction_avg_x100; /* of the complaints they handled */
};

struct gj_rank_verdict {
    enum gj_rank next;
    int eligible;
    int top;           /* already at the top */
    char missing[512]; /* translated, "; "-separated: what is still missing, with the numbers */
};

/* Whether f's holder may be promoted to the next rank:
 *   assistant: the 6 chapter quizzes passed and the walkthrough done;
 *   butler:    at least 2 assessments averaging >= 3.50, 6 months as assistant;
 *   senior:    assessment average >= 4.00, 12 months as butler, at least 10
 *              revisits with satisfaction averaging >= 4.00;
 *   head:      assessment average >= 4.50, 24 months as senior, at least 20
 *              revisits with satisfaction averaging >= 4.50.
 * An average needs at least one assessment. At the top: next = head, top = 1,
 * eligible = 0 and missing "". */
void gj_rank_next(const struct gj_rank_facts *f, struct gj_rank_verdict *out);

#endif
