/* The parser of training chapters (data/training/FORMAT.md). It reads the
 * text line by line, as a small state machine, and stops at the first
 * violation of a structural rule, reporting its line. Counts that can only
 * be judged once a part is complete (pages of a section, options of a
 * question, steps of a role-play) are reported at the line that opened the
 * part: its @section, @q, @say or @roleplay. */
#include "guanjia/training.h"

#include "guanjia/i18n.h"
#include "guanjia/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE_BYTES 2000
#define MAX_PARAGRAPHS 8
#define MIN_PAGES      2
#define MIN_QUESTIONS  8
#define MIN_PER_POINT  2
#define MIN_STEPS      4
#define MAX_STEPS      6
#define N_QUESTIONS_MAX                                                                            \
    ((int)(sizeof(((struct gj_chapter *)0)->questions) / sizeof(struct gj_tquestion)))
#define N_ROLEPLAYS_MAX                                                                            \
    ((int)(sizeof(((struct gj_chapter *)0)->roleplays) / sizeof(struct gj_troleplay)))
#define N_OPTIONS_MAX                                                                              \
    ((int)(sizeof(((struct gj_tquestion *)0)->options) / sizeof(struct gj_toption)))
#define N_STEPS_MAX ((int)(sizeof(((struct gj_troleplay *)0)->steps) / sizeof(struct gj_tstep)))

const char *const gj_training_points[] = {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1",
                                          "3.2", "3.3", "4.1", "4.2", "4.3", "5.1", "5.2",
                                          "5.3", "6.1", "6.2", "6.3", NULL};

/* ---- small helpers ------------------------------------------------------ */

struct buf {
    char *s;
    size_t n, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p)
            return -1;
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
    return 0;
}

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Drops ASCII spaces and the full-width space U+3000 from both ends. */
static void trim(const char **s, size_t *n)
{
    const char *p = *s;
    size_t len = *n;
    for (;;) {
        if (len >= 1 && p[0] == ' ') {
            p++;
            len--;
        } else if (len >= 3 && memcmp(p, "\xe3\x80\x80", 3) == 0) {
            p += 3;
            len -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (len >= 1 && p[len - 1] == ' ')
            len--;
        else if (len >= 3 && memcmp(p + len - 3, "\xe3\x80\x80", 3) == 0)
            len -= 3;
        else
            break;
    }
    *s = p;
    *n = len;
}

/* Splits off the first space-separated word of s (n bytes): *w, *wn get it,
 * s and n are moved past it and trimmed. */
static void word(const char **s, size_t *n, const char **w, size_t *wn)
{
    trim(s, n);
    const char *p = *s;
    size_t i = 0;
    while (i < *n && p[i] != ' ')
        i++;
    *w = p;
    *wn = i;
    *s = p + i;
    *n -= i;
    trim(s, n);
}

static int is(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static int blank(const char *s, size_t n)
{
    trim(&s, &n);
    return n == 0;
}

/* ---- the parser ----------------------------------------------------------- */

enum state {
    S_HEAD,     /* expecting @chapter */
    S_PRE,      /* after @chapter, before the first @section */
    S_SECTION,  /* in a section */
    S_QUIZ,     /* after @quiz */
    S_ROLEPLAY, /* between @roleplay and @end */
    S_AFTER     /* after an @end */
};

struct parser {
    struct gj_chapter *c;
    struct gj_error *err;
    int line;
    enum state state;
    /* section and page */
    int sec_line, page_line, page_paras, in_para;
    struct buf page;
    /* quiz */
    int quiz_line;
    struct gj_tquestion *q; /* the open question, or NULL */
    int q_has_text;
    int q_seen; /* options seen (may pass N_OPTIONS_MAX) */
    /* role-play */
    int rp_line, say_line;
    struct gj_troleplay *rp;
    int steps_seen;   /* may pass N_STEPS_MAX */
    int replies_seen; /* of the current step, may pass 3 */
    unsigned scores;  /* bit s: score s seen in the current step */
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
bad(struct parser *p, int line, const char *fmt, ...)
{
    char why[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return gj_err(p->err, GJ_EINVAL, "%d: %s", line, why);
}

static int oom(struct parser *p)
{
    return gj_err(p->err, GJ_ENOMEM, _("out of memory"));
}

/* The id of point k (0..2) of the chapter. */
static const char *point_of(const struct parser *p, int k)
{
    return gj_training_points[3 * (p->c->number - 1) + k];
}

static int chapter_point(const struct parser *p, const char *s, size_t n)
{
    for (int k = 0; k < 3; k++)
        if (is(s, n, point_of(p, k)))
            return 1;
    return 0;
}

static int bad_point(struct parser *p, const char *directive, const char *s, size_t n)
{
    char shown[GJ_UTF8_EXCERPT_SZ];
    gj_utf8_excerpt(s, n, shown, sizeof shown);
    return bad(p, p->line, _("%s: point \"%s\" is not one of this chapter's (%s %s %s)"), directive,
               shown, point_of(p, 0), point_of(p, 1), point_of(p, 2));
}

/* Splits "text || why" into its two trimmed halves. */
static void split_why(const char *s, size_t n, const char **t, size_t *tn, const char **w,
                      size_t *wn)
{
    const char *bar = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '|' && s[i + 1] == '|') {
            bar = s + i;
            break;
        }
    *t = s;
    *tn = bar ? (size_t)(bar - s) : n;
    *w = bar ? bar + 2 : s + n;
    *wn = bar ? n - (size_t)(bar - s) - 2 : 0;
    trim(t, tn);
    trim(w, wn);
}

/* -- sections -- */

static int close_page(struct parser *p)
{
    struct gj_tsection *s = &p->c->sections[p->c->n_sections - 1];
    if (p->page_paras == 0)
        return bad(p, p->page_line, _("an empty page (a page has 1 to %d paragraphs)"),
                   MAX_PARAGRAPHS);
    char **pages = realloc(s->pages, (size_t)(s->n_pages + 1) * sizeof *pages);
    if (!pages)
        return oom(p);
    s->pages = pages;
    s->pages[s->n_pages++] = p->page.s;
    p->page = (struct buf){0};
    p->page_paras = 0;
    p->in_para = 0;
    return GJ_OK;
}

static int close_section(struct parser *p)
{
    int rc = close_page(p);
    if (rc != GJ_OK)
        return rc;
    struct gj_tsection *s = &p->c->sections[p->c->n_sections - 1];
    if (s->n_pages < MIN_PAGES)
        return bad(p, p->sec_line, _("section %s has %d page(s); at least %d are needed (@page)"),
                   s->id, s->n_pages, MIN_PAGES);
    return GJ_OK;
}

static int text_line(struct parser *p, const char *s, size_t n)
{
    if (blank(s, n)) {
        p->in_para = 0;
        return GJ_OK;
    }
    if (p->in_para) {
        if (buf_add(&p->page, "\n", 1) != 0)
            return oom(p);
    } else {
        if (++p->page_paras > MAX_PARAGRAPHS)
            return bad(p, p->line,
                       _("a page has at most %d paragraphs (start the next with @page)"),
                       MAX_PARAGRAPHS);
        if (p->page_paras > 1 && buf_add(&p->page, "\n\n", 2) != 0)
            return oom(p);
        p->in_para = 1;
    }
    if (buf_add(&p->page, s, n) != 0)
        return oom(p);
    return GJ_OK;
}

static int on_section(struct parser *p, const char *args, size_t n)
{
    int rc;
    if (p->state == S_QUIZ || p->state == S_ROLEPLAY || p->state == S_AFTER)
        return bad(p, p->line, _("@section after @quiz"));
    if (p->state == S_SECTION && (rc = close_section(p)) != GJ_OK)
        return rc;
    const char *id, *title = args;
    size_t idn, titlen = n;
    word(&title, &titlen, &id, &idn);
    if (p->c->n_sections >= 3 || !is(id, idn, point_of(p, p->c->n_sections))) {
        char shown[GJ_UTF8_EXCERPT_SZ];
        gj_utf8_excerpt(id, idn, shown, sizeof shown);
        if (p->c->n_sections >= 3)
            return bad(p, p->line, _("@section: the chapter has only %s, %s and %s (got \"%s\")"),
                       point_of(p, 0), point_of(p, 1), point_of(p, 2), shown);
        return bad(p, p->line, _("@section: expected %s, got \"%s\""),
                   point_of(p, p->c->n_sections), shown);
    }
    if (titlen == 0)
        return bad(p, p->line, _("@section %s: the title is missing"),
                   point_of(p, p->c->n_sections));
    struct gj_tsection *s = &p->c->sections[p->c->n_sections++];
    snprintf(s->id, sizeof s->id, "%s", point_of(p, p->c->n_sections - 1));
    if (!(s->title = dupn(title, titlen)))
        return oom(p);
    p->state = S_SECTION;
    p->sec_line = p->page_line = p->line;
    p->page_paras = p->in_para = 0;
    return GJ_OK;
}

static int on_page(struct parser *p)
{
    if (p->state != S_SECTION)
        return bad(p, p->line, _("@page outside a section"));
    int rc = close_page(p);
    if (rc != GJ_OK)
        return rc;
    p->page_line = p->line;
    return GJ_OK;
}

/* -- the quiz -- */

static int close_question(struct parser *p)
{
    struct gj_tquestion *q = p->q;
    if (!q)
        return GJ_OK;
    p->q = NULL;
    if (!p->q_has_text)
        return bad(p, q->line, _("the question has no text (one line after @q)"));
    int right = 0;
    for (int i = 0; i < q->n_options; i++)
        right += q->options[i].right;
    if (!q->multi) {
        if (p->q_seen < 3 || p->q_seen > 4)
            return bad(p, q->line, _("a single question needs 3 to 4 options (has %d)"), p->q_seen);
        if (right != 1)
            return bad(p, q->line,
                       _("a single question needs exactly one right option \"+\" (has %d)"), right);
    } else {
        if (p->q_seen < 4 || p->q_seen > 5)
            return bad(p, q->line, _("a multi question needs 4 to 5 options (has %d)"), p->q_seen);
        if (right < 2)
            return bad(p, q->line,
                       _("a multi question needs at least 2 right options \"+\" (has %d)"), right);
        if (right == q->n_options)
            return bad(p, q->line, _("a multi question needs at least one wrong option \"-\""));
    }
    return GJ_OK;
}

static int close_quiz(struct parser *p)
{
    int rc = close_question(p);
    if (rc != GJ_OK)
        return rc;
    if (p->c->n_questions < MIN_QUESTIONS)
        return bad(p, p->quiz_line, _("the quiz needs at least %d questions (has %d)"),
                   MIN_QUESTIONS, p->c->n_questions);
    for (int k = 0; k < 3; k++) {
        int n = 0;
        for (int i = 0; i < p->c->n_questions; i++)
            n += strcmp(p->c->questions[i].point, point_of(p, k)) == 0;
        if (n < MIN_PER_POINT)
            return bad(p, p->quiz_line,
                       _("point %s is tested by %d question(s); at least %d are needed"),
                       point_of(p, k), n, MIN_PER_POINT);
    }
    return GJ_OK;
}

static int on_quiz(struct parser *p, size_t argn)
{
    if (p->state == S_HEAD || p->state == S_PRE || p->state == S_SECTION) {
        if (argn)
            return bad(p, p->line, _("%s takes nothing after it"), "@quiz");
        if (p->c->n_sections > 0) {
            int rc = close_section(p);
            if (rc != GJ_OK)
                return rc;
        }
        if (p->c->n_sections < 3)
            return bad(p, p->line,
                       _("the chapter needs sections %s, %s and %s before @quiz (has %d)"),
                       point_of(p, 0), point_of(p, 1), point_of(p, 2), p->c->n_sections);
        p->state = S_QUIZ;
        p->quiz_line = p->line;
        return GJ_OK;
    }
    return bad(p, p->line, _("@quiz appears twice"));
}

static int on_q(struct parser *p, const char *args, size_t n)
{
    if (p->state != S_QUIZ)
        return bad(p, p->line, _("@q outside the quiz (it follows @quiz)"));
    int rc = close_question(p);
    if (rc != GJ_OK)
        return rc;
    const char *type, *point, *rest = args;
    size_t typen, pointn, restn = n;
    word(&rest, &restn, &type, &typen);
    word(&rest, &restn, &point, &pointn);
    if (!typen || !pointn || restn)
        return bad(p, p->line, _("@q: expected \"@q single|multi POINT\""));
    if (!is(type, typen, "single") && !is(type, typen, "multi"))
        return bad(p, p->line, _("@q: the type must be single or multi"));
    if (!chapter_point(p, point, pointn))
        return bad_point(p, "@q", point, pointn);
    if (p->c->n_questions >= N_QUESTIONS_MAX)
        return bad(p, p->line, _("more than %d questions"), N_QUESTIONS_MAX);
    struct gj_tquestion *q = &p->c->questions[p->c->n_questions++];
    q->multi = is(type, typen, "multi");
    snprintf(q->point, sizeof q->point, "%.*s", (int)pointn, point);
    q->line = p->line;
    p->q = q;
    p->q_has_text = 0;
    p->q_seen = 0;
    return GJ_OK;
}

static int quiz_text(struct parser *p, const char *s, size_t n)
{
    if (blank(s, n))
        return GJ_OK;
    int option = (s[0] == '+' || s[0] == '-') && (n == 1 || s[1] == ' ');
    if (!p->q)
        return bad(p, p->line, _("text in the quiz outside a question (@q)"));
    if (!p->q_has_text) {
        if (option)
            return bad(p, p->q->line, _("the question has no text (one line after @q)"));
        trim(&s, &n);
        if (!(p->q->text = dupn(s, n)))
            return oom(p);
        p->q_has_text = 1;
        return GJ_OK;
    }
    if (!option)
        return bad(p, p->line,
                   _("the question text must be one line; options start with \"+ \" or \"- \""));
    const char *t, *w;
    size_t tn, wn;
    split_why(s + 1, n - 1, &t, &tn, &w, &wn);
    if (tn == 0)
        return bad(p, p->line, _("the option has no text"));
    if (wn == 0)
        return bad(p, p->line, _("the option has no explanation (\" || why\")"));
    if (p->q_seen++ >= N_OPTIONS_MAX)
        return GJ_OK; /* counted, refused when the question closes */
    struct gj_toption *o = &p->q->options[p->q->n_options++];
    o->right = s[0] == '+';
    if (!(o->text = dupn(t, tn)) || !(o->why = dupn(w, wn)))
        return oom(p);
    return GJ_OK;
}

/* -- role-plays -- */

static int close_step(struct parser *p)
{
    if (p->rp && p->steps_seen > 0 && p->replies_seen != 3)
        return bad(p, p->say_line, _("a step needs exactly 3 replies scored 2, 1 and 0 (has %d)"),
                   p->replies_seen);
    return GJ_OK;
}

static int on_roleplay(struct parser *p, const char *args, size_t n)
{
    int rc;
    if (p->state == S_ROLEPLAY)
        return bad(p, p->line, _("@roleplay inside a role-play (close it with @end)"));
    if (p->state != S_QUIZ && p->state != S_AFTER)
        return bad(p, p->line, _("@roleplay before @quiz (role-plays follow the quiz)"));
    if (p->c->number != 3 && p->c->number != 5)
        return bad(p, p->line, _("role-plays belong only in chapters 3 and 5"));
    if (p->state == S_QUIZ && (rc = close_quiz(p)) != GJ_OK)
        return rc;
    const char *point, *title = args;
    size_t pointn, titlen = n;
    word(&title, &titlen, &point, &pointn);
    if (!chapter_point(p, point, pointn))
        return bad_point(p, "@roleplay", point, pointn);
    if (titlen == 0)
        return bad(p, p->line, _("@roleplay %.*s: the title is missing"), (int)pointn, point);
    if (p->c->n_roleplays >= N_ROLEPLAYS_MAX)
        return bad(p, p->line, _("more than %d role-plays"), N_ROLEPLAYS_MAX);
    struct gj_troleplay *rp = &p->c->roleplays[p->c->n_roleplays++];
    snprintf(rp->point, sizeof rp->point, "%.*s", (int)pointn, point);
    if (!(rp->title = dupn(title, titlen)))
        return oom(p);
    p->rp = rp;
    p->rp_line = p->line;
    p->steps_seen = 0;
    p->replies_seen = 0;
    p->state = S_ROLEPLAY;
    return GJ_OK;
}

static int on_say(struct parser *p, const char *args, size_t n)
{
    if (p->state != S_ROLEPLAY)
        return bad(p, p->line, _("%s outside a role-play (@roleplay)"), "@say");
    int rc = close_step(p);
    if (rc != GJ_OK)
        return rc;
    trim(&args, &n);
    if (n == 0)
        return bad(p, p->line, _("@say: the owner's words are missing"));
    p->say_line = p->line;
    p->replies_seen = 0;
    p->scores = 0;
    if (p->steps_seen++ >= N_STEPS_MAX)
        return GJ_OK; /* counted, refused at @end */
    struct gj_tstep *st = &p->rp->steps[p->rp->n_steps++];
    if (!(st->say = dupn(args, n)))
        return oom(p);
    return GJ_OK;
}

static int on_reply(struct parser *p, const char *args, size_t n)
{
    if (p->state != S_ROLEPLAY)
        return bad(p, p->line, _("%s outside a role-play (@roleplay)"), "@reply");
    if (p->steps_seen == 0)
        return bad(p, p->line, _("@reply before the first @say"));
    const char *score, *rest = args, *t, *w;
    size_t scoren, restn = n, tn, wn;
    word(&rest, &restn, &score, &scoren);
    if (scoren != 1 || score[0] < '0' || score[0] > '2')
        return bad(p, p->line, _("@reply: the score must be 2, 1 or 0"));
    int s = score[0] - '0';
    if (p->scores & (1u << s))
        return bad(p, p->line, _("@reply: score %d appears twice in this step"), s);
    p->scores |= 1u << s;
    split_why(rest, restn, &t, &tn, &w, &wn);
    if (tn == 0)
        return bad(p, p->line, _("@reply: the reply has no text"));
    if (wn == 0)
        return bad(p, p->line, _("@reply: the reply has no explanation (\" || why\")"));
    p->replies_seen++;
    if (p->steps_seen > N_STEPS_MAX)
        return GJ_OK;
    struct gj_tstep *st = &p->rp->steps[p->rp->n_steps - 1];
    struct gj_treply *r = &st->replies[st->n_replies++];
    r->score = s;
    if (!(r->text = dupn(t, tn)) || !(r->why = dupn(w, wn)))
        return oom(p);
    return GJ_OK;
}

static int on_end(struct parser *p, size_t argn)
{
    if (p->state != S_ROLEPLAY)
        return bad(p, p->line, _("%s outside a role-play (@roleplay)"), "@end");
    if (argn)
        return bad(p, p->line, _("%s takes nothing after it"), "@end");
    int rc = close_step(p);
    if (rc != GJ_OK)
        return rc;
    if (p->steps_seen < MIN_STEPS || p->steps_seen > MAX_STEPS)
        return bad(p, p->rp_line, _("a role-play needs %d to %d @say steps (has %d)"), MIN_STEPS,
                   MAX_STEPS, p->steps_seen);
    p->rp = NULL;
    p->state = S_AFTER;
    return GJ_OK;
}

/* -- lines -- */

static int on_chapter(struct parser *p, const char *args, size_t n)
{
    if (p->state != S_HEAD)
        return bad(p, p->line, _("@chapter may only be the first line"));
    const char *num, *title = args;
    size_t numn, titlen = n;
    word(&title, &titlen, &num, &numn);
    if (numn != 1 || num[0] < '1' || num[0] > '0' + GJ_TRAINING_CHAPTERS)
        return bad(p, p->line, _("@chapter: the number must be 1 to %d"), GJ_TRAINING_CHAPTERS);
    if (titlen == 0)
        return bad(p, p->line, _("@chapter: the title is missing"));
    p->c->number = num[0] - '0';
    if (!(p->c->title = dupn(title, titlen)))
        return oom(p);
    p->state = S_PRE;
    return GJ_OK;
}

static int directive(struct parser *p, const char *s, size_t n)
{
    const char *name, *args = s;
    size_t namen, argn = n;
    word(&args, &argn, &name, &namen);
    if (p->state == S_HEAD && !is(name, namen, "@chapter"))
        return bad(p, p->line, _("the first line must be \"@chapter N title\""));
    if (is(name, namen, "@chapter"))
        return on_chapter(p, args, argn);
    if (is(name, namen, "@section"))
        return on_section(p, args, argn);
    if (is(name, namen, "@page")) {
        if (argn)
            return bad(p, p->line, _("%s takes nothing after it"), "@page");
        return on_page(p);
    }
    if (is(name, namen, "@quiz"))
        return on_quiz(p, argn);
    if (is(name, namen, "@q"))
        return on_q(p, args, argn);
    if (is(name, namen, "@roleplay"))
        return on_roleplay(p, args, argn);
    if (is(name, namen, "@say"))
        return on_say(p, args, argn);
    if (is(name, namen, "@reply"))
        return on_reply(p, args, argn);
    if (is(name, namen, "@end"))
        return on_end(p, argn);
    char shown[GJ_UTF8_EXCERPT_SZ];
    gj_utf8_excerpt(name, namen, shown, sizeof shown);
    return bad(p, p->line, _("unknown directive \"%s\""), shown);
}

static int plain(struct parser *p, const char *s, size_t n)
{
    switch (p->state) {
    case S_HEAD:
        return bad(p, p->line, _("the first line must be \"@chapter N title\""));
    case S_PRE:
        if (blank(s, n))
            return GJ_OK;
        return bad(p, p->line, _("text before the first @section"));
    case S_SECTION:
        return text_line(p, s, n);
    case S_QUIZ:
        return quiz_text(p, s, n);
    case S_ROLEPLAY:
        if (blank(s, n))
            return GJ_OK;
        return bad(p, p->line, _("text in a role-play outside @say and @reply"));
    case S_AFTER:
        if (blank(s, n))
            return GJ_OK;
        return bad(p, p->line, _("text after @end (only another @roleplay may follow)"));
    }
    return GJ_OK;
}

static int check_bytes(struct parser *p, const char *s, size_t n)
{
    if (n > MAX_LINE_BYTES)
        return bad(p, p->line, _("the line is longer than %d bytes (%zu)"), MAX_LINE_BYTES, n);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\t')
            return bad(p, p->line, _("a tab character (use spaces)"));
        if (s[i] == '\r')
            return bad(p, p->line, _("a carriage return (save the file with LF line endings)"));
        if (s[i] == '\0')
            return bad(p, p->line, _("a NUL byte"));
    }
    if (!gj_utf8_valid(s, n, NULL))
        return bad(p, p->line, _("not valid UTF-8"));
    return GJ_OK;
}

static int finish(struct parser *p)
{
    int rc;
    int last = p->line; /* the last line of the file */
    switch (p->state) {
    case S_HEAD:
        return bad(p, 1, _("the file is empty"));
    case S_PRE:
    case S_SECTION:
        if (p->c->n_sections > 0 && (rc = close_section(p)) != GJ_OK)
            return rc;
        return bad(p, last, _("no @quiz (it follows the last section)"));
    case S_QUIZ:
        if ((rc = close_quiz(p)) != GJ_OK)
            return rc;
        break;
    case S_ROLEPLAY:
        return bad(p, p->rp_line, _("the role-play is not closed by @end"));
    case S_AFTER:
        break;
    }
    const char *need = p->c->number == 3 ? "3.3" : p->c->number == 5 ? "5.2" : NULL;
    if (need) {
        int found = 0;
        for (int i = 0; i < p->c->n_roleplays; i++)
            found |= strcmp(p->c->roleplays[i].point, need) == 0;
        if (!found)
            return bad(p, last, _("chapter %d needs a role-play for %s (@roleplay %s title)"),
                       p->c->number, need, need);
    }
    return GJ_OK;
}

int gj_chapter_parse(const char *text, size_t len, struct gj_chapter *out, struct gj_error *err)
{
    struct parser p = {.c = out, .err = err, .state = S_HEAD};
    memset(out, 0, sizeof *out);
    gj_err_clear(err);
    if (!text)
        len = 0;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    int rc = GJ_OK;
    size_t pos = 0;
    while (rc == GJ_OK && pos < len) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        p.line++;
        rc = check_bytes(&p, s, n);
        if (rc == GJ_OK)
            rc = (n > 0 && s[0] == '@') ? directive(&p, s, n) : plain(&p, s, n);
    }
    if (rc == GJ_OK)
        rc = finish(&p);
    free(p.page.s);
    if (rc != GJ_OK)
        gj_chapter_free(out);
    return rc;
}

void gj_chapter_free(struct gj_chapter *c)
{
    if (!c)
        return;
    free(c->title);
    for (int i = 0; i < 3; i++) {
        struct gj_tsection *s = &c->sections[i];
        free(s->title);
        for (int k = 0; k < s->n_pages; k++)
            free(s->pages[k]);
        free(s->pages);
    }
    for (int i = 0; i < N_QUESTIONS_MAX; i++) {
        struct gj_tquestion *q = &c->questions[i];
        free(q->text);
        for (int k = 0; k < N_OPTIONS_MAX; k++) {
            free(q->options[k].text);
            free(q->options[k].why);
        }
    }
    for (int i = 0; i < N_ROLEPLAYS_MAX; i++) {
        struct gj_troleplay *rp = &c->roleplays[i];
        free(rp->title);
        for (int k = 0; k < N_STEPS_MAX; k++) {
            free(rp->steps[k].say);
            for (int r = 0; r < 3; r++) {
                free(rp->steps[k].replies[r].text);
                free(rp->steps[k].replies[r].why);
            }
        }
    }
    memset(c, 0, sizeof *c);
}

/* ---- the embedded course -------------------------------------------------- */

const char *gj_training_text(const char *lang, int chapter, size_t *len)
{
    if (!lang)
        return NULL;
    for (int i = 0; i < gj_training_file_count; i++) {
        const struct gj_training_file *f = &gj_training_files[i];
        if (f->chapter == chapter && strcmp(f->lang, lang) == 0) {
            if (len)
                *len = f->len;
            return f->text;
        }
    }
    return NULL;
}

int gj_training_load(const char *lang, int chapter, struct gj_chapter *out, struct gj_error *err)
{
    size_t len = 0;
    const char *text = gj_training_text(lang, chapter, &len);
    memset(out, 0, sizeof *out);
    if (!text)
        return gj_err(err, GJ_ENOTFOUND, _("training: %s chapter %d is not in this build"),
                      lang ? lang : "?", chapter);
    struct gj_error e;
    int rc = gj_chapter_parse(text, len, out, &e);
    if (rc == GJ_OK && out->number != chapter) {
        gj_chapter_free(out);
        rc = gj_err(&e, GJ_EINVAL, "1: %s", _("the @chapter number is not the number of the file"));
    }
    if (rc != GJ_OK)
        return gj_err(err, (enum gj_status)rc, "%s/%d.txt:%s", lang, chapter, e.msg);
    gj_err_clear(err);
    return GJ_OK;
}

/* ---- answers -------------------------------------------------------------- */

unsigned gj_question_key(const struct gj_tquestion *q)
{
    unsigned key = 0;
    for (int i = 0; i < q->n_options && i < N_OPTIONS_MAX; i++)
        if (q->options[i].right)
            key |= 1u << i;
    return key;
}

int gj_question_right(const struct gj_tquestion *q, unsigned chosen)
{
    return q && q->n_options > 0 && chosen == gj_question_key(q);
}

int gj_quiz_passed(int score, int max)
{
    return max > 0 && (long long)score * 100 >= (long long)max * 80;
}
