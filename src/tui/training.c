/* The Training screen: the butler curriculum (chapters, sections, pages
 * wrapped by display width), the chapter quizzes, role-play dialogues,
 * practice tasks done on the real screens in a sandbox copy of the demo
 * estate and checked by the console (F5), a guided walkthrough whose steps
 * complete themselves when the console sees them done, and for
 * supervisors the trainees' assessments and the rank ladder. Progress is
 * kept in the real database, never in the sandbox. */
#include "tui.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/practice.h"
#include "guanjia/ranks.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_ranks.h"
#include "guanjia/repo_training.h"
#include "guanjia/repo_users.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sandbox.h"
#include "guanjia/training.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROGRESS 256
#define MAX_LINES    400
#define MAX_PEOPLE   64

enum tview { TV_HOME, TV_SECTIONS, TV_READ, TV_QUIZ, TV_ROLEPLAY, TV_TASKS, TV_PEOPLE };

/* The rows of the home menu. */
enum titem { TI_LEAVE, TI_WALK, TI_CHAPTER, TI_TASKS, TI_ROLEPLAY, TI_PEOPLE };
struct home_row {
    enum titem kind;
    int chapter, roleplay;
};

struct training {
    struct gj_tui *t;
    enum tview view;
    int sel;
    struct gj_chapter chapters[GJ_TRAINING_CHAPTERS];
    int loaded[GJ_TRAINING_CHAPTERS];
    struct home_row rows[32];
    int n_rows;
    /* progress, from the real database */
    struct gj_training_progress progress[MAX_PROGRESS];
    int n_progress;
    int best[GJ_TRAINING_CHAPTERS], best_max[GJ_TRAINING_CHAPTERS];
    /* reading */
    int ch, sec, page, scroll;
    char *lines[MAX_LINES];
    int n_lines;
    /* a quiz */
    int qi, score, answered;
    unsigned chosen;
    char answers[1024];
    /* a role-play */
    int rp, step, rp_score, rp_answered, rp_choice;
    /* practice */
    const struct gj_practice_task *task;
    int64_t since;
    int walking, walk_step;
    /* people */
    struct gj_user people[MAX_PEOPLE];
    struct gj_rank_verdict verdicts[MAX_PEOPLE];
    struct gj_rank_facts facts[MAX_PEOPLE];
    int n_people;
};

static int64_t home_user(const struct gj_tui *t)
{
    return t->real_db ? t->real_user.id : t->user.id;
}

static enum gj_role home_role(const struct gj_tui *t)
{
    return t->real_db ? t->real_role : t->role;
}

static const char *ui_lang(void)
{
    /* TRANSLATORS: the code of this language: zh_CN. */
    return strcmp(_("en"), "zh_CN") == 0 ? "zh_CN" : "en";
}

/* ---- progress ----------------------------------------------------------------------- */

static int has(const struct training *tr, const char *item, const char *status)
{
    for (int i = 0; i < tr->n_progress; i++)
        if (strcmp(tr->progress[i].item_id, item) == 0)
            return !status || strcmp(tr->progress[i].status, status) == 0;
    return 0;
}

static void mark(struct training *tr, const char *item, const char *status)
{
    struct gj_tui *t = tr->t;
    if (has(tr, item, status))
        return;
    struct gj_error err;
    if (gj_training_mark(gj_tui_home_db(t), home_user(t), home_user(t), item, status, &err) !=
        GJ_OK)
        gj_tui_say(t, 1, "%s", err.msg);
}

static void load_progress(struct training *tr)
{
    struct gj_tui *t = tr->t;
    struct gj_error err;
    struct gj_db *db = gj_tui_home_db(t);
    if (gj_training_progress_of(db, home_user(t), tr->progress, MAX_PROGRESS, &tr->n_progress,
                                &err) != GJ_OK) {
        tr->n_progress = 0;
        gj_tui_say(t, 1, "%s", err.msg);
    }
    memset(tr->best, 0, sizeof tr->best);
    memset(tr->best_max, 0, sizeof tr->best_max);
    static struct gj_quiz_result results[64];
    int n = 0;
    int64_t after_at = 0, after_id = 0;
    do {
        if (gj_quiz_results_of(db, home_user(t), after_at, after_id, 64, results, &n, &err) !=
            GJ_OK)
            break;
        for (int i = 0; i < n; i++) {
            int c = results[i].chapter - 1;
            if (c < 0 || c >= GJ_TRAINING_CHAPTERS)
                continue;
            /* The best by rate, kept as a score out of its maximum. */
            if (!tr->best_max[c] || (int64_t)results[i].score * tr->best_max[c] >
                                        (int64_t)tr->best[c] * results[i].max_score) {
                tr->best[c] = results[i].score;
                tr->best_max[c] = results[i].max_score;
            }
        }
        if (n > 0) {
            after_at = results[n - 1].taken_at;
            after_id = results[n - 1].id;
        }
    } while (n == 64);
}

/* ---- the home menu ---------------------------------------------------------------- */

static void build_rows(struct training *tr)
{
    struct gj_tui *t = tr->t;
    int n = 0;
    if (t->real_db)
        tr->rows[n++] = (struct home_row){.kind = TI_LEAVE};
    tr->rows[n++] = (struct home_row){.kind = TI_WALK};
    for (int c = 0; c < GJ_TRAINING_CHAPTERS; c++)
        tr->rows[n++] = (struct home_row){.kind = TI_CHAPTER, .chapter = c};
    tr->rows[n++] = (struct home_row){.kind = TI_TASKS};
    for (int c = 0; c < GJ_TRAINING_CHAPTERS; c++)
        for (int r = 0; tr->loaded[c] && r < tr->chapters[c].n_roleplays && n < 30; r++)
            tr->rows[n++] = (struct home_row){.kind = TI_ROLEPLAY, .chapter = c, .roleplay = r};
    if (gj_role_can(home_role(t), GJ_ACTION_ASSESS_TRAINEES))
        tr->rows[n++] = (struct home_row){.kind = TI_PEOPLE};
    tr->n_rows = n;
    if (tr->sel >= n)
        tr->sel = n - 1;
}

static int sections_read(const struct training *tr, int c)
{
    int n = 0;
    for (int s = 0; tr->loaded[c] && s < tr->chapters[c].n_sections; s++)
        n += has(tr, tr->chapters[c].sections[s].id, NULL);
    return n;
}

static int tasks_passed(const struct training *tr)
{
    int n = 0;
    for (int i = 0; i < gj_practice_task_count; i++) {
        char item[40];
        snprintf(item, sizeof item, "task:%s", gj_practice_tasks[i].id);
        n += has(tr, item, "passed");
    }
    return n;
}

/* ---- the walkthrough ------------------------------------------------------------- */

struct wstep {
    const char *text; /* N_() */
    int (*done)(struct training *tr);
};

static const char *probe(struct gj_tui *t, const char *screen, const char *what)
{
    int i = gj_tui_screen_index(t, screen);
    if (i < 0 || !t->screens[i]->probe)
        return NULL;
    return t->screens[i]->probe(t->states[i], what);
}

static int on_screen(struct gj_tui *t, const char *name)
{
    return t->current == gj_tui_screen_index(t, name);
}

/* The newest work order on 3-2-501 taken in this sandbox, into wo. */
static int walk_order(struct training *tr, struct gj_work_order *wo)
{
    struct gj_tui *t = tr->t;
    struct gj_unit u;
    struct gj_error err;
    int n = 0;
    if (gj_unit_find_code(t->db, 3, 2, 501, &u, &err) != GJ_OK ||
        gj_wo_list_by_unit(t->db, u.id, 0, 0, 1, wo, &n, &err) != GJ_OK || n == 0)
        return 0;
    return wo->created_at >= tr->since;
}

static int w_owners(struct training *tr)
{
    return on_screen(tr->t, "owners");
}
static int w_search(struct training *tr)
{
    const char *q = probe(tr->t, "owners", "search");
    return q && strcmp(q, "zs") == 0;
}
static int w_detail(struct training *tr)
{
    const char *u = probe(tr->t, "owners", "unit");
    return u && strcmp(u, "3-2-501") == 0;
}
static int w_take(struct training *tr)
{
    static struct gj_work_order wo;
    return walk_order(tr, &wo);
}
static int w_dispatch(struct training *tr)
{
    static struct gj_work_order wo;
    return walk_order(tr, &wo) && strcmp(wo.state, "new") != 0;
}
static int w_fees(struct training *tr)
{
    const char *u = probe(tr->t, "fees", "unit");
    return u && strcmp(u, "2-1-1201") == 0;
}
static int w_complaints(struct training *tr)
{
    const char *v = probe(tr->t, "complaints", "view");
    return on_screen(tr->t, "complaints") && v && strcmp(v, "overdue") == 0;
}
static int w_back(struct training *tr)
{
    return on_screen(tr->t, "training");
}

static const struct wstep walk[] = {
    {N_("Step 1: press 1 to open the Owners screen."), w_owners},
    {N_("Step 2: press / and type zs to find 张三 by the initials of his name."), w_search},
    {N_("Step 3: choose 张三 (3-2-501) and press Enter to open his unit."), w_detail},
    {N_("Step 4: press w to take a work order for this unit; fill it in and save with F10."),
     w_take},
    {N_("Step 5: in the order, press d and dispatch it to the maintenance department."),
     w_dispatch},
    {N_("Step 6: press 3 for Fees, then u, and find 2-1-1201 (赵六, in arrears)."), w_fees},
    {N_("Step 7: press 4 for Complaints, then f, and show the overdue complaints."), w_complaints},
    {N_("Step 8: press 5 to come back to Training. The walkthrough is done."), w_back},
};
#define N_WALK ((int)(sizeof walk / sizeof walk[0]))

static int walk_done_steps(const struct training *tr)
{
    int n = 0;
    while (n < N_WALK) {
        char item[16];
        snprintf(item, sizeof item, "walk:%d", n + 1);
        if (!has(tr, item, "passed"))
            break;
        n++;
    }
    return n;
}

static void set_hint(struct training *tr)
{
    struct gj_tui *t = tr->t;
    if (tr->walking && tr->walk_step < N_WALK)
        snprintf(t->hint, sizeof t->hint, "%s", _(walk[tr->walk_step].text));
    else if (tr->task)
        snprintf(t->hint, sizeof t->hint, _("Task: %s — F5 checks your work"),
                 _(tr->task->situation));
    else
        t->hint[0] = '\0';
}

/* After every key: a walkthrough step the console sees done moves on. */
static struct training *watched;

static void after_key(struct gj_tui *t)
{
    struct training *tr = watched;
    if (!tr || !tr->walking || !t->real_db)
        return;
    int moved = 0;
    while (tr->walk_step < N_WALK && walk[tr->walk_step].done(tr)) {
        char item[16];
        snprintf(item, sizeof item, "walk:%d", tr->walk_step + 1);
        mark(tr, item, "passed");
        tr->walk_step++;
        moved = 1;
    }
    if (!moved)
        return;
    load_progress(tr);
    if (tr->walk_step >= N_WALK) {
        mark(tr, "walkthrough", "passed");
        tr->walking = 0;
        load_progress(tr);
        gj_tui_say(t, 0, "%s", _("Walkthrough done. Well done!"));
    }
    set_hint(tr);
}

/* ---- the sandbox ------------------------------------------------------------------ */

static int sandbox_enter(struct training *tr)
{
    struct gj_tui *t = tr->t;
    if (t->real_db)
        return 0;
    struct gj_error err;
    gj_tui_say(t, 0, "%s", _("Making a fresh practice estate…"));
    gj_tui_paint(t);
    char path[4096];
    struct gj_db *sb = NULL;
    struct gj_user su;
    if (gj_sandbox_create(gj_db_path(t->db), t->user.login, path, sizeof path, &err) != GJ_OK ||
        gj_db_open(path, 0, &sb, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return -1;
    }
    if (gj_user_by_login(sb, t->user.login, &su, &err) != GJ_OK &&
        gj_user_by_login(sb, "butler", &su, &err) != GJ_OK) {
        gj_db_close(sb);
        gj_tui_say(t, 1, "%s", err.msg);
        return -1;
    }
    t->real_db = t->db;
    t->real_user = t->user;
    t->real_role = t->role;
    t->db = sb;
    t->user = su;
    /* In the sandbox a trainee works as a butler does. */
    t->role = t->real_role < GJ_ROLE_BUTLER ? GJ_ROLE_BUTLER : t->real_role;
    gj_db_data_version(sb, &t->data_version, &err);
    tr->since = gj_now();
    gj_tui_reload_all(t);
    gj_tui_say(t, 0, "%s", _("Practice estate ready: nothing you do here touches the real one."));
    return 0;
}

static void sandbox_leave(struct training *tr)
{
    struct gj_tui *t = tr->t;
    if (!t->real_db)
        return;
    gj_db_close(t->db);
    t->db = t->real_db;
    t->user = t->real_user;
    t->role = t->real_role;
    t->real_db = NULL;
    tr->task = NULL;
    tr->walking = 0;
    t->hint[0] = '\0';
    struct gj_error err;
    gj_db_data_version(t->db, &t->data_version, &err);
    gj_tui_reload_all(t);
    gj_tui_say(t, 0, "%s", _("Back in the real estate."));
}

/* F5: the checker looks at the sandbox and says what is right and wrong. */
void gj_training_check(struct gj_tui *t)
{
    struct training *tr = watched;
    if (!tr || !tr->task || !t->real_db) {
        gj_tui_say(t, 1, "%s", _("No practice task is running (Training, 5)."));
        return;
    }
    char feedback[2048] = "";
    struct gj_error err;
    int rc = tr->task->check(t->db, tr->since, t->user.id, feedback, sizeof feedback, &err);
    if (rc < 0) {
        gj_tui_say(t, 1, "%s", err.msg);
        return;
    }
    struct gj_practice_result r;
    memset(&r, 0, sizeof r);
    r.user_id = home_user(t);
    snprintf(r.task_id, sizeof r.task_id, "%s", tr->task->id);
    r.passed = rc == 1;
    snprintf(r.feedback, sizeof r.feedback, "%s", feedback);
    if (gj_practice_result_add(gj_tui_home_db(t), &r, &err) != GJ_OK)
        gj_tui_say(t, 1, "%s", err.msg);
    if (rc == 1) {
        char item[40];
        snprintf(item, sizeof item, "task:%s", tr->task->id);
        mark(tr, item, "passed");
        load_progress(tr);
    }
    char title[256];
    snprintf(title, sizeof title, rc == 1 ? _("Passed: %s") : _("Not yet: %s"), _(tr->task->title));
    gj_dialog_message(t, title, feedback);
    if (rc == 1) {
        tr->task = NULL;
        set_hint(tr);
    }
}

/* ---- reading ---------------------------------------------------------------------- */

static void free_lines(struct training *tr)
{
    for (int i = 0; i < tr->n_lines; i++)
        free(tr->lines[i]);
    tr->n_lines = 0;
}

static void add_line(struct training *tr, const char *s, size_t n)
{
    if (tr->n_lines >= MAX_LINES)
        return;
    char *l = malloc(n + 1);
    if (!l)
        return;
    memcpy(l, s, n);
    l[n] = '\0';
    tr->lines[tr->n_lines++] = l;
}

/* Wraps text to width columns: Chinese breaks anywhere, other words at
 * spaces; a paragraph break ("\n\n") leaves an empty line. */
static void wrap(struct training *tr, const char *text, int width)
{
    free_lines(tr);
    const char *p = text;
    while (*p) {
        const char *start = p, *last_space = NULL;
        int cols = 0;
        while (*p && *p != '\n') {
            uint32_t cp = 0;
            size_t k = gj_utf8_decode(p, strlen(p), &cp);
            if (k == 0)
                k = 1;
            int w = gj_cp_width(cp);
            if (w < 0)
                w = 1;
            if (cols + w > width)
                break;
            if (cp == ' ')
                last_space = p;
            cols += w;
            p += k;
        }
        if (*p && *p != '\n' && last_space && last_space > start && (unsigned char)*p < 0x80 &&
            *p != ' ') {
            add_line(tr, start, (size_t)(last_space - start));
            p = last_space + 1;
            continue;
        }
        add_line(tr, start, (size_t)(p - start));
        while (*p == ' ')
            p++;
        if (*p == '\n') {
            p++;
            if (*p == '\n') {
                add_line(tr, "", 0);
                p++;
            }
        }
    }
}

static const struct gj_tsection *section(const struct training *tr)
{
    return &tr->chapters[tr->ch].sections[tr->sec];
}

static void open_page(struct training *tr)
{
    const struct gj_tsection *s = section(tr);
    wrap(tr, s->pages[tr->page], COLS - 6 > 20 ? COLS - 6 : 20);
    tr->scroll = 0;
    if (tr->page == s->n_pages - 1)
        mark(tr, s->id, "read"); /* the last page reached */
}

/* ---- drawing -------------------------------------------------------------------- */

static void draw_home(struct training *tr, struct gj_tui *t, int top, int height)
{
    build_rows(tr);
    int y = top;
    gj_put(y++, 1, COLS - 2, _("The butler curriculum — Enter opens"), gj_attr(t, GJ_A_TITLE));
    y++;
    for (int i = 0; i < tr->n_rows && y < top + height; i++) {
        const struct home_row *r = &tr->rows[i];
        char line[512];
        int c = r->chapter;
        switch (r->kind) {
        case TI_LEAVE:
            snprintf(line, sizeof line, "%s", _("Leave the practice estate"));
            break;
        case TI_WALK:
            snprintf(line, sizeof line, _("Guided walkthrough of the console   %d/%d steps%s"),
                     walk_done_steps(tr), N_WALK, has(tr, "walkthrough", "passed") ? "  ✓" : "");
            break;
        case TI_CHAPTER:
            if (!tr->loaded[c]) {
                snprintf(line, sizeof line, _("Chapter %d (not available)"), c + 1);
            } else {
                char quiz[64] = "";
                if (tr->best_max[c])
                    snprintf(quiz, sizeof quiz, _("quiz %d/%d%s"), tr->best[c], tr->best_max[c],
                             gj_quiz_passed(tr->best[c], tr->best_max[c]) ? " ✓" : "");
                else
                    snprintf(quiz, sizeof quiz, "%s", _("quiz not taken"));
                snprintf(line, sizeof line, _("%d %s   read %d/%d · %s"), c + 1,
                         tr->chapters[c].title, sections_read(tr, c), tr->chapters[c].n_sections,
                         quiz);
            }
            break;
        case TI_TASKS:
            snprintf(line, sizeof line, _("Practice tasks in the sandbox   %d/%d passed"),
                     tasks_passed(tr), gj_practice_task_count);
            break;
        case TI_ROLEPLAY:
            snprintf(line, sizeof line, _("Role-play %s: %s"),
                     tr->chapters[c].roleplays[r->roleplay].point,
                     tr->chapters[c].roleplays[r->roleplay].title);
            break;
        case TI_PEOPLE:
            snprintf(line, sizeof line, "%s", _("Trainees and butlers: assessments and ranks"));
            break;
        }
        attr_t a = i == tr->sel ? gj_attr(t, GJ_A_SELECTED) : A_NORMAL;
        gj_fill(y, 1, COLS - 2, a);
        gj_put(y++, 2, COLS - 3, line, a);
    }
}

static void draw_sections(struct training *tr, struct gj_tui *t, int top, int height)
{
    const struct gj_chapter *c = &tr->chapters[tr->ch];
    int y = top;
    char line[512];
    snprintf(line, sizeof line, _("Chapter %d %s — Enter reads, z takes the quiz"), c->number,
             c->title);
    gj_put(y++, 1, COLS - 2, line, gj_attr(t, GJ_A_TITLE));
    y++;
    for (int s = 0; s < c->n_sections && y < top + height; s++) {
        snprintf(line, sizeof line, "%s %s %s  (%d)", has(tr, c->sections[s].id, NULL) ? "✓" : " ",
                 c->sections[s].id, c->sections[s].title, c->sections[s].n_pages);
        attr_t a = s == tr->sel ? gj_attr(t, GJ_A_SELECTED) : A_NORMAL;
        gj_fill(y, 1, COLS - 2, a);
        gj_put(y++, 2, COLS - 3, line, a);
    }
}

static void draw_read(struct training *tr, struct gj_tui *t, int top, int height)
{
    const struct gj_tsection *s = section(tr);
    char line[512];
    snprintf(line, sizeof line, _("%s %s — page %d of %d (Left/Right pages, Up/Down scroll)"),
             s->id, s->title, tr->page + 1, s->n_pages);
    gj_put(top, 1, COLS - 2, line, gj_attr(t, GJ_A_TITLE));
    int rows = height - 2;
    if (tr->scroll > tr->n_lines - rows)
        tr->scroll = tr->n_lines - rows > 0 ? tr->n_lines - rows : 0;
    for (int i = 0; i < rows && tr->scroll + i < tr->n_lines; i++)
        gj_put(top + 2 + i, 3, COLS - 5, tr->lines[tr->scroll + i], A_NORMAL);
}

static void draw_quiz(struct training *tr, struct gj_tui *t, int top, int height)
{
    const struct gj_chapter *c = &tr->chapters[tr->ch];
    int y = top;
    char line[512];
    if (tr->qi >= c->n_questions) {
        snprintf(line, sizeof line, _("Quiz of chapter %d: %d of %d right — %s"), c->number,
                 tr->score, c->n_questions,
                 gj_quiz_passed(tr->score, c->n_questions)
                     /* xgettext:no-c-format */
                     ? _("passed (80% needed)")
                     /* xgettext:no-c-format */
                     : _("not passed yet (80% needed)"));
        gj_put(y + 1, 2, COLS - 3, line,
               gj_attr(t, gj_quiz_passed(tr->score, c->n_questions) ? GJ_A_TITLE : GJ_A_ERROR));
        gj_put(y + 3, 2, COLS - 3, _("Esc goes back; z takes the quiz again."), A_NORMAL);
        return;
    }
    const struct gj_tquestion *q = &c->questions[tr->qi];
    snprintf(line, sizeof line, _("Question %d of %d (%s) — %s"), tr->qi + 1, c->n_questions,
             q->point,
             q->multi ? _("several answers: Space marks, Enter answers")
                      : _("one answer: Enter answers"));
    gj_put(y++, 1, COLS - 2, line, gj_attr(t, GJ_A_TITLE));
    y++;
    wrap(tr, q->text, COLS - 6);
    for (int i = 0; i < tr->n_lines && y < top + height; i++)
        gj_put(y++, 2, COLS - 3, tr->lines[i], A_BOLD);
    y++;
    for (int o = 0; o < q->n_options && y < top + height; o++) {
        int on = (tr->chosen >> o) & 1;
        const char *box = q->multi ? (on ? "[x]" : "[ ]") : (on ? "(*)" : "( )");
        attr_t a = !tr->answered && o == tr->sel ? gj_attr(t, GJ_A_SELECTED) : A_NORMAL;
        if (tr->answered)
            a = q->options[o].right ? gj_attr(t, GJ_A_TITLE) : (on ? gj_attr(t, GJ_A_ERROR) : a);
        snprintf(line, sizeof line, "%s %s %s",
                 tr->answered ? (q->options[o].right ? "✓" : (on ? "✗" : " ")) : " ", box,
                 q->options[o].text);
        gj_fill(y, 1, COLS - 2, a);
        gj_put(y++, 2, COLS - 3, line, a);
        if (tr->answered && y < top + height) {
            /* Every option explained, right or wrong. */
            wrap(tr, q->options[o].why, COLS - 10);
            for (int i = 0; i < tr->n_lines && y < top + height; i++)
                gj_put(y++, 8, COLS - 9, tr->lines[i], gj_attr(t, GJ_A_DIM));
        }
    }
    if (tr->answered && y < top + height)
        gj_put(y + 1 < top + height ? y + 1 : y, 2, COLS - 3,
               gj_question_right(q, tr->chosen) ? _("Right. Enter: next question")
                                                : _("Not right. Enter: next question"),
               A_BOLD);
}

static void draw_roleplay(struct training *tr, struct gj_tui *t, int top, int height)
{
    const struct gj_troleplay *rp = &tr->chapters[tr->ch].roleplays[tr->rp];
    int y = top;
    char line[512];
    if (tr->step >= rp->n_steps) {
        int max = 2 * rp->n_steps;
        snprintf(line, sizeof line, _("%s: %d of %d points"), rp->title, tr->rp_score, max);
        gj_put(y + 1, 2, COLS - 3, line, gj_attr(t, GJ_A_TITLE));
        gj_put(y + 3, 2, COLS - 3, _("Esc goes back."), A_NORMAL);
        return;
    }
    const struct gj_tstep *st = &rp->steps[tr->step];
    snprintf(line, sizeof line, _("Role-play %s — step %d of %d, %d points so far"), rp->title,
             tr->step + 1, rp->n_steps, tr->rp_score);
    gj_put(y++, 1, COLS - 2, line, gj_attr(t, GJ_A_TITLE));
    y++;
    wrap(tr, st->say, COLS - 8);
    for (int i = 0; i < tr->n_lines && y < top + height; i++) {
        snprintf(line, sizeof line, "%s%s", i == 0 ? _("Owner: ") : "", tr->lines[i]);
        gj_put(y++, 2, COLS - 3, line, A_BOLD);
    }
    y++;
    for (int r = 0; r < st->n_replies && y < top + height; r++) {
        attr_t a = !tr->rp_answered && r == tr->sel ? gj_attr(t, GJ_A_SELECTED) : A_NORMAL;
        if (tr->rp_answered && r == tr->rp_choice)
            a = gj_attr(t, st->replies[r].score == 2 ? GJ_A_TITLE : GJ_A_ERROR);
        if (tr->rp_answered)
            snprintf(line, sizeof line, _("%s (%d points)"), st->replies[r].text,
                     st->replies[r].score);
        else
            snprintf(line, sizeof line, "%d. %s", r + 1, st->replies[r].text);
        gj_fill(y, 1, COLS - 2, a);
        gj_put(y++, 2, COLS - 3, line, a);
        if (tr->rp_answered) {
            wrap(tr, st->replies[r].why, COLS - 10);
            for (int i = 0; i < tr->n_lines && y < top + height; i++)
                gj_put(y++, 8, COLS - 9, tr->lines[i], gj_attr(t, GJ_A_DIM));
        }
    }
}

static void draw_tasks(struct training *tr, struct gj_tui *t, int top, int height)
{
    int y = top;
    gj_put(y++, 1, COLS - 2,
           _("Practice tasks: Enter starts one in a fresh practice estate; F5 checks your work"),
           gj_attr(t, GJ_A_TITLE));
    y++;
    for (int i = 0; i < gj_practice_task_count && y < top + height; i++) {
        const struct gj_practice_task *k = &gj_practice_tasks[i];
        char item[40], line[512];
        snprintf(item, sizeof item, "task:%s", k->id);
        snprintf(line, sizeof line, "%s %s %s", has(tr, item, "passed") ? "✓" : " ", k->point,
                 _(k->title));
        attr_t a = i == tr->sel ? gj_attr(t, GJ_A_SELECTED) : A_NORMAL;
        gj_fill(y, 1, COLS - 2, a);
        gj_put(y++, 2, COLS - 3, line, a);
    }
    if (tr->sel < gj_practice_task_count && y + 2 < top + height) {
        y++;
        wrap(tr, _(gj_practice_tasks[tr->sel].situation), COLS - 6);
        for (int i = 0; i < tr->n_lines && y < top + height; i++)
            gj_put(y++, 3, COLS - 4, tr->lines[i], A_NORMAL);
        wrap(tr, _(gj_practice_tasks[tr->sel].hint), COLS - 6);
        for (int i = 0; i < tr->n_lines && y < top + height; i++)
            gj_put(y++, 3, COLS - 4, tr->lines[i], gj_attr(t, GJ_A_DIM));
    }
}

static void load_people(struct training *tr)
{
    struct gj_tui *t = tr->t;
    struct gj_error err;
    struct gj_db *db = gj_tui_home_db(t);
    static struct gj_user all[MAX_PEOPLE];
    int n = 0;
    tr->n_people = 0;
    if (gj_users_list(db, "", MAX_PEOPLE, all, &n, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return;
    }
    int64_t now = gj_now();
    for (int i = 0; i < n; i++) {
        enum gj_role r;
        if (!all[i].active || gj_role_parse(all[i].role, &r) != GJ_OK || r > GJ_ROLE_BUTLER)
            continue;
        int k = tr->n_people;
        if (gj_rank_facts(db, all[i].id, now, &tr->facts[k], &err) != GJ_OK)
            continue;
        gj_rank_next(&tr->facts[k], &tr->verdicts[k]);
        tr->people[k] = all[i];
        tr->n_people++;
    }
}

static void draw_people(struct training *tr, struct gj_tui *t, int top, int height)
{
    int y = top;
    gj_put(y++, 1, COLS - 2, _("Who may be promoted — a assesses, P promotes the eligible"),
           gj_attr(t, GJ_A_TITLE));
    y++;
    for (int i = 0; i < tr->n_people && y < top + height - 1; i++) {
        const struct gj_rank_facts *f = &tr->facts[i];
        const struct gj_rank_verdict *v = &tr->verdicts[i];
        char line[1024];
        snprintf(line, sizeof line, _("%s  %s · quizzes %d/6 · assessments %d, mean %d.%02d"),
                 tr->people[i].name, gj_rank_label(f->rank), f->chapters_passed, f->assessments,
                 f->assessment_avg_x100 / 100, f->assessment_avg_x100 % 100);
        attr_t a = i == tr->sel ? gj_attr(t, GJ_A_SELECTED) : A_NORMAL;
        gj_fill(y, 1, COLS - 2, a);
        gj_put(y++, 2, COLS - 3, line, a | A_BOLD);
        if (v->top)
            snprintf(line, sizeof line, "%s", _("at the top of the ladder"));
        else if (v->eligible)
            snprintf(line, sizeof line, _("eligible for %s"), gj_rank_label(v->next));
        else
            snprintf(line, sizeof line, _("for %s still missing: %s"), gj_rank_label(v->next),
                     v->missing);
        gj_put(y++, 4, COLS - 5, line, gj_attr(t, v->eligible ? GJ_A_TITLE : GJ_A_DIM));
    }
    if (tr->n_people == 0)
        gj_put(y, 2, COLS - 3, _("Nobody to assess."), gj_attr(t, GJ_A_DIM));
}

/* ---- actions ------------------------------------------------------------------------ */

static const char *const score_codes[] = {"5", "4", "3", "2", "1", NULL};

static int save_assessment(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct training *tr = ctx;
    struct gj_error err;
    struct gj_assessment a;
    memset(&a, 0, sizeof a);
    a.trainee_id = tr->people[tr->sel].id;
    a.assessor_id = home_user(t);
    a.professional = 5 - f->fields[0].choice;
    a.communication = 5 - f->fields[1].choice;
    a.management = 5 - f->fields[2].choice;
    a.service = 5 - f->fields[3].choice;
    gj_form_get(f, 4, a.note, sizeof a.note);
    int rc = gj_require(home_role(t), GJ_ACTION_ASSESS_TRAINEES, &err);
    if (rc == GJ_OK)
        rc = gj_assessment_add(gj_tui_home_db(t), &a, &err);
    if (rc != GJ_OK) {
        gj_form_error(f, err.msg);
        return rc;
    }
    gj_tui_say(t, 0, _("Assessment of %s saved."), tr->people[tr->sel].name);
    load_people(tr);
    return GJ_OK;
}

static void assess(struct training *tr)
{
    struct gj_tui *t = tr->t;
    struct gj_error err;
    if (tr->sel >= tr->n_people)
        return;
    if (gj_require(home_role(t), GJ_ACTION_ASSESS_TRAINEES, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return;
    }
    static struct gj_field fields[5];
    memset(fields, 0, sizeof fields);
    const char *labels[] = {_("professional ability"), _("communication"), _("management"),
                            _("service awareness")};
    for (int i = 0; i < 4; i++)
        fields[i] = (struct gj_field){.label = labels[i],
                                      .kind = GJ_F_CHOICE,
                                      .choices = score_codes,
                                      .choice_labels = score_codes};
    fields[4] =
        (struct gj_field){.label = _("note"), .kind = GJ_F_TEXT, .max_chars = GJ_NOTE_CHARS};
    char title[256];
    snprintf(title, sizeof title, _("Assess %s (1-5 on each dimension)"), tr->people[tr->sel].name);
    struct gj_form f = {.title = title, .fields = fields, .n = 5};
    for (int i = 0; i < 4; i++)
        gj_form_set_choice(&f, i, "3");
    f.dirty = 0;
    gj_form_run(&f, t, save_assessment, tr);
}

static void promote(struct training *tr)
{
    struct gj_tui *t = tr->t;
    struct gj_error err;
    if (tr->sel >= tr->n_people)
        return;
    const struct gj_rank_verdict *v = &tr->verdicts[tr->sel];
    if (gj_require(home_role(t), GJ_ACTION_MANAGE_USERS, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return;
    }
    if (!v->eligible) {
        gj_tui_say(t, 1, _("Not yet eligible: %s"), v->missing);
        return;
    }
    char q[256];
    snprintf(q, sizeof q, _("Promote %s to %s?"), tr->people[tr->sel].name, gj_rank_label(v->next));
    if (!gj_dialog_confirm(t, _("Promotion"), q))
        return;
    if (gj_user_promote(gj_tui_home_db(t), home_user(t), tr->people[tr->sel].id, &err) != GJ_OK)
        gj_tui_say(t, 1, "%s", err.msg);
    else
        gj_tui_say(t, 0, _("%s is now %s."), tr->people[tr->sel].name, gj_rank_label(v->next));
    load_people(tr);
}

static void start_quiz(struct training *tr)
{
    tr->view = TV_QUIZ;
    tr->qi = tr->score = tr->answered = 0;
    tr->chosen = 0;
    tr->sel = 0;
    tr->answers[0] = '\0';
}

static void quiz_finish(struct training *tr)
{
    struct gj_tui *t = tr->t;
    const struct gj_chapter *c = &tr->chapters[tr->ch];
    struct gj_quiz_result r;
    memset(&r, 0, sizeof r);
    r.user_id = home_user(t);
    r.chapter = c->number;
    r.score = tr->score;
    r.max_score = c->n_questions;
    snprintf(r.answers, sizeof r.answers, "%s", tr->answers);
    struct gj_error err;
    if (gj_quiz_result_add(gj_tui_home_db(t), &r, &err) != GJ_OK)
        gj_tui_say(t, 1, "%s", err.msg);
    if (gj_quiz_passed(tr->score, c->n_questions)) {
        char item[16];
        snprintf(item, sizeof item, "quiz:%d", c->number);
        mark(tr, item, "passed");
    }
    load_progress(tr);
}

static enum gj_handled quiz_key(struct training *tr, enum gj_act act, gj_key k)
{
    const struct gj_chapter *c = &tr->chapters[tr->ch];
    if (tr->qi >= c->n_questions) {
        if (act == GJ_ACT_TR_QUIZ)
            start_quiz(tr);
        else if (act == GJ_ACT_BACK || act == GJ_ACT_QUIT) {
            tr->view = TV_SECTIONS;
            tr->sel = 0;
        }
        return GJ_REDRAW;
    }
    const struct gj_tquestion *q = &c->questions[tr->qi];
    if (act == GJ_ACT_BACK || act == GJ_ACT_QUIT) {
        tr->view = TV_SECTIONS;
        tr->sel = 0;
        return GJ_REDRAW;
    }
    if (tr->answered) {
        if (act == GJ_ACT_OPEN) {
            tr->qi++;
            tr->answered = 0;
            tr->chosen = 0;
            tr->sel = 0;
            if (tr->qi >= c->n_questions)
                quiz_finish(tr);
        }
        return GJ_REDRAW;
    }
    if (act == GJ_ACT_UP && tr->sel > 0)
        tr->sel--;
    else if (act == GJ_ACT_DOWN && tr->sel + 1 < q->n_options)
        tr->sel++;
    else if (k >= '1' && k <= '9' && k - '1' < q->n_options)
        tr->sel = k - '1';
    else if (act == GJ_ACT_TR_MARK && q->multi)
        tr->chosen ^= 1u << tr->sel;
    else if (act == GJ_ACT_OPEN) {
        if (!q->multi)
            tr->chosen = 1u << tr->sel;
        if (!tr->chosen)
            return GJ_REDRAW;
        tr->answered = 1;
        int right = gj_question_right(q, tr->chosen);
        tr->score += right;
        size_t len = strlen(tr->answers);
        snprintf(tr->answers + len, sizeof tr->answers - len, "%s%d:%u", len ? "," : "", tr->qi + 1,
                 tr->chosen);
    }
    return GJ_REDRAW;
}

static enum gj_handled roleplay_key(struct training *tr, enum gj_act act, gj_key k)
{
    const struct gj_troleplay *rp = &tr->chapters[tr->ch].roleplays[tr->rp];
    if (act == GJ_ACT_BACK || act == GJ_ACT_QUIT || tr->step >= rp->n_steps) {
        if (act == GJ_ACT_BACK || act == GJ_ACT_QUIT || act == GJ_ACT_OPEN) {
            tr->view = TV_HOME;
            tr->sel = 0;
        }
        return GJ_REDRAW;
    }
    const struct gj_tstep *st = &rp->steps[tr->step];
    if (tr->rp_answered) {
        if (act == GJ_ACT_OPEN) {
            tr->step++;
            tr->rp_answered = 0;
            tr->sel = 0;
            if (tr->step >= rp->n_steps) {
                char item[24];
                snprintf(item, sizeof item, "roleplay:%s", rp->point);
                if (tr->rp_score * 100 >= 2 * rp->n_steps * 80)
                    mark(tr, item, "passed");
                load_progress(tr);
            }
        }
        return GJ_REDRAW;
    }
    if (act == GJ_ACT_UP && tr->sel > 0)
        tr->sel--;
    else if (act == GJ_ACT_DOWN && tr->sel + 1 < st->n_replies)
        tr->sel++;
    else if (k >= '1' && k <= '3' && k - '1' < st->n_replies)
        tr->sel = k - '1';
    else if (act == GJ_ACT_OPEN) {
        tr->rp_answered = 1;
        tr->rp_choice = tr->sel;
        tr->rp_score += st->replies[tr->sel].score;
    }
    return GJ_REDRAW;
}

static void start_task(struct training *tr, const struct gj_practice_task *task)
{
    if (sandbox_enter(tr) != 0)
        return;
    tr->task = task;
    tr->walking = 0;
    tr->since = gj_now();
    set_hint(tr);
    gj_tui_say(tr->t, 0, "%s", _("Do it on the screens (1-4); F5 checks your work."));
}

static void start_walk(struct training *tr)
{
    if (sandbox_enter(tr) != 0)
        return;
    tr->task = NULL;
    tr->walking = 1;
    tr->since = gj_now();
    /* Back to where the trainee left; a dispatch needs the order taken in
     * this practice estate, so that step starts from taking it. */
    tr->walk_step = walk_done_steps(tr);
    if (tr->walk_step >= N_WALK)
        tr->walk_step = 0;
    if (tr->walk_step == 4)
        tr->walk_step = 3;
    set_hint(tr);
}

static enum gj_handled open_home_row(struct training *tr)
{
    const struct home_row *r = &tr->rows[tr->sel];
    switch (r->kind) {
    case TI_LEAVE:
        sandbox_leave(tr);
        tr->sel = 0;
        return GJ_RELOAD;
    case TI_WALK:
        start_walk(tr);
        return GJ_RELOAD;
    case TI_CHAPTER:
        if (!tr->loaded[r->chapter])
            return GJ_DONE;
        tr->ch = r->chapter;
        tr->view = TV_SECTIONS;
        tr->sel = 0;
        return GJ_REDRAW;
    case TI_TASKS:
        tr->view = TV_TASKS;
        tr->sel = 0;
        return GJ_REDRAW;
    case TI_ROLEPLAY:
        tr->ch = r->chapter;
        tr->rp = r->roleplay;
        tr->step = tr->rp_score = tr->rp_answered = 0;
        tr->view = TV_ROLEPLAY;
        tr->sel = 0;
        return GJ_REDRAW;
    case TI_PEOPLE:
        load_people(tr);
        tr->view = TV_PEOPLE;
        tr->sel = 0;
        return GJ_REDRAW;
    }
    return GJ_DONE;
}

/* ---- the screen ------------------------------------------------------------------- */

static void *tr_open(struct gj_tui *t)
{
    struct training *tr = calloc(1, sizeof *tr);
    if (!tr)
        return NULL;
    tr->t = t;
    struct gj_error err;
    for (int c = 0; c < GJ_TRAINING_CHAPTERS; c++)
        tr->loaded[c] = gj_training_load(ui_lang(), c + 1, &tr->chapters[c], &err) == GJ_OK;
    load_progress(tr);
    build_rows(tr);
    watched = tr;
    t->after_key = after_key;
    return tr;
}

static void tr_close(void *state)
{
    struct training *tr = state;
    if (!tr)
        return;
    free_lines(tr);
    for (int c = 0; c < GJ_TRAINING_CHAPTERS; c++)
        if (tr->loaded[c])
            gj_chapter_free(&tr->chapters[c]);
    if (watched == tr)
        watched = NULL;
    free(tr);
}

static void tr_draw(void *state, struct gj_tui *t, int top, int height)
{
    struct training *tr = state;
    switch (tr->view) {
    case TV_HOME:
        draw_home(tr, t, top + 1, height - 1);
        break;
    case TV_SECTIONS:
        draw_sections(tr, t, top + 1, height - 1);
        break;
    case TV_READ:
        draw_read(tr, t, top + 1, height - 1);
        break;
    case TV_QUIZ:
        draw_quiz(tr, t, top + 1, height - 1);
        break;
    case TV_ROLEPLAY:
        draw_roleplay(tr, t, top + 1, height - 1);
        break;
    case TV_TASKS:
        draw_tasks(tr, t, top + 1, height - 1);
        break;
    case TV_PEOPLE:
        draw_people(tr, t, top + 1, height - 1);
        break;
    }
    curs_set(0);
}

static void move_sel(struct training *tr, enum gj_act act, int n)
{
    if (act == GJ_ACT_UP && tr->sel > 0)
        tr->sel--;
    else if (act == GJ_ACT_DOWN && tr->sel + 1 < n)
        tr->sel++;
    else if (act == GJ_ACT_HOME)
        tr->sel = 0;
    else if (act == GJ_ACT_END && n > 0)
        tr->sel = n - 1;
}

static enum gj_handled tr_key(void *state, struct gj_tui *t, gj_key k)
{
    struct training *tr = state;
    (void)t;
    enum gj_act act = gj_action_for(GJ_SC_TRAINING, k);
    switch (tr->view) {
    case TV_HOME:
        if (act == GJ_ACT_OPEN)
            return open_home_row(tr);
        if (act == GJ_ACT_QUIT || act == GJ_ACT_BACK)
            return GJ_PASS;
        move_sel(tr, act, tr->n_rows);
        return act == GJ_ACT_NONE ? GJ_PASS : GJ_REDRAW;
    case TV_SECTIONS: {
        const struct gj_chapter *c = &tr->chapters[tr->ch];
        if (act == GJ_ACT_BACK || act == GJ_ACT_QUIT) {
            tr->view = TV_HOME;
            tr->sel = 0;
        } else if (act == GJ_ACT_OPEN && c->n_sections > 0) {
            tr->sec = tr->sel;
            tr->page = 0;
            tr->view = TV_READ;
            open_page(tr);
        } else if (act == GJ_ACT_TR_QUIZ && c->n_questions > 0) {
            start_quiz(tr);
        } else {
            move_sel(tr, act, c->n_sections);
        }
        return act == GJ_ACT_NONE ? GJ_PASS : GJ_REDRAW;
    }
    case TV_READ: {
        const struct gj_tsection *s = section(tr);
        if (act == GJ_ACT_BACK || act == GJ_ACT_QUIT) {
            tr->view = TV_SECTIONS;
            tr->sel = tr->sec;
            load_progress(tr);
        } else if (act == GJ_ACT_UP && tr->scroll > 0) {
            tr->scroll--;
        } else if (act == GJ_ACT_DOWN) {
            tr->scroll++;
        } else if ((act == GJ_ACT_TR_NEXT || act == GJ_ACT_OPEN) && tr->page + 1 < s->n_pages) {
            tr->page++;
            open_page(tr);
        } else if (act == GJ_ACT_TR_PREV && tr->page > 0) {
            tr->page--;
            open_page(tr);
        }
        return act == GJ_ACT_NONE ? GJ_PASS : GJ_REDRAW;
    }
    case TV_QUIZ:
        if (act == GJ_ACT_NONE && !(k >= '1' && k <= '9'))
            return GJ_PASS;
        return quiz_key(tr, act, k);
    case TV_ROLEPLAY:
        if (act == GJ_ACT_NONE && !(k >= '1' && k <= '3'))
            return GJ_PASS;
        return roleplay_key(tr, act, k);
    case TV_TASKS:
        if (act == GJ_ACT_BACK || act == GJ_ACT_QUIT) {
            tr->view = TV_HOME;
            tr->sel = 0;
        } else if (act == GJ_ACT_OPEN) {
            start_task(tr, &gj_practice_tasks[tr->sel]);
            return GJ_RELOAD;
        } else {
            move_sel(tr, act, gj_practice_task_count);
        }
        return act == GJ_ACT_NONE ? GJ_PASS : GJ_REDRAW;
    case TV_PEOPLE:
        if (act == GJ_ACT_BACK || act == GJ_ACT_QUIT) {
            tr->view = TV_HOME;
            tr->sel = 0;
        } else if (act == GJ_ACT_TR_ASSESS) {
            assess(tr);
        } else if (act == GJ_ACT_TR_PROMOTE) {
            promote(tr);
        } else {
            move_sel(tr, act, tr->n_people);
        }
        return act == GJ_ACT_NONE ? GJ_PASS : GJ_REDRAW;
    }
    return GJ_PASS;
}

static void tr_reload(void *state)
{
    struct training *tr = state;
    load_progress(tr);
    if (tr->view == TV_PEOPLE)
        load_people(tr);
}

static unsigned tr_scope(void *state)
{
    (void)state;
    return GJ_SC_TRAINING;
}

const struct screen_ops training_screen = {
    .name = "training",
    .title = N_("Training"),
    .open = tr_open,
    .close = tr_close,
    .draw = tr_draw,
    .key = tr_key,
    .scope = tr_scope,
    .reload = tr_reload,
};
