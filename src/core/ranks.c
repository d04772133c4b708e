/* The butler rank ladder and its promotion criteria (integers only). */
#include "guanjia/ranks.h"

#include "guanjia/error.h"
#include "guanjia/i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const codes[] = {"trainee", "assistant", "butler", "senior", "head"};
static const char *const labels[] = {N_("Trainee butler"), N_("Assistant butler"), N_("Butler"),
                                     N_("Senior butler"), N_("Head butler")};
#define N_RANKS ((int)(sizeof codes / sizeof codes[0]))

/* What each step up requires (the index is the rank reached). */
static const struct step {
    int chapters, walkthrough; /* to assistant */
    int assessments, avg_x100; /* assessment average, x100 */
    int months;                /* at the rank below */
    int revisits, satisf_x100; /* complaint revisits and their satisfaction */
} steps[] = {
    [GJ_RANK_ASSISTANT] = {6, 1, 0, 0, 0, 0, 0},
    [GJ_RANK_BUTLER] = {0, 0, 2, 350, 6, 0, 0},
    [GJ_RANK_SENIOR] = {0, 0, 1, 400, 12, 10, 400},
    [GJ_RANK_HEAD] = {0, 0, 1, 450, 24, 20, 450},
};

int gj_rank_parse(const char *code, enum gj_rank *out)
{
    for (int i = 0; code && i < N_RANKS; i++)
        if (strcmp(code, codes[i]) == 0) {
            *out = (enum gj_rank)i;
            return GJ_OK;
        }
    return GJ_EINVAL;
}

const char *gj_rank_code(enum gj_rank rank)
{
    return (int)rank >= 0 && (int)rank < N_RANKS ? codes[rank] : "";
}

const char *gj_rank_label(enum gj_rank rank)
{
    return (int)rank >= 0 && (int)rank < N_RANKS ? _(labels[rank]) : "";
}

/* x100 as "3.50" (never negative). */
static const char *fixed2(int x100, char out[16])
{
    if (x100 < 0)
        x100 = 0;
    snprintf(out, 16, "%d.%02d", x100 / 100, x100 % 100);
    return out;
}

/* Appends one missing item to v->missing, "; "-separated. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
add(struct gj_rank_verdict *v, const char *fmt, ...)
{
    size_t used = strlen(v->missing);
    if (used && used + 2 < sizeof v->missing) {
        memcpy(v->missing + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->missing + used, sizeof v->missing - used, fmt, ap);
    va_end(ap);
}

void gj_rank_next(const struct gj_rank_facts *f, struct gj_rank_verdict *out)
{
    memset(out, 0, sizeof *out);
    if ((int)f->rank >= GJ_RANK_HEAD) {
        out->next = GJ_RANK_HEAD;
        out->top = 1;
        return;
    }
    int from = (int)f->rank < 0 ? GJ_RANK_TRAINEE : (int)f->rank;
    out->next = (enum gj_rank)(from + 1);
    const struct step *s = &steps[out->next];
    char a[16], b[16];

    if (s->chapters && f->chapters_passed < s->chapters)
        add(out, _("chapter quizzes passed at 80%%: %d of %d"), f->chapters_passed, s->chapters);
    if (s->walkthrough && !f->walkthrough_done)
        add(out, _("the system walkthrough is not done"));
    if (s->assessments && f->assessments < s->assessments)
        add(out, _("assessments: %d of at least %d"), f->assessments, s->assessments);
    if (s->avg_x100 && f->assessments > 0 && f->assessment_avg_x100 < s->avg_x100)
        add(out, _("assessment average %s, needs %s"), fixed2(f->assessment_avg_x100, a),
            fixed2(s->avg_x100, b));
    if (s->months && f->months_at_rank < s->months)
        add(out, _("months as %s: %d of %d"), gj_rank_label((enum gj_rank)from), f->months_at_rank,
            s->months);
    if (s->revisits && f->revisits < s->revisits)
        add(out, _("complaint revisits: %d of at least %d"), f->revisits, s->revisits);
    if (s->satisf_x100 && f->revisits > 0 && f->satisfaction_avg_x100 < s->satisf_x100)
        add(out, _("revisit satisfaction average %s, needs %s"),
            fixed2(f->satisfaction_avg_x100, a), fixed2(s->satisf_x100, b));
    out->eligible = out->missing[0] == '\0';
}
