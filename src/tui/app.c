/* The console: set-up, the frame around the screens, and the main loop. */
#include "tui.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_reports.h"
#include "guanjia/repo_settings.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/tui.h"
#include "guanjia/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The screens that exist, in tab order. */
static const struct screen_ops *const screens[] = {
    &owners_screen,   &workorders_screen, &fees_screen,   &complaints_screen,
    &training_screen, &desk_screen,       &reports_screen};

struct gj_db *gj_tui_home_db(struct gj_tui *t)
{
    return t->real_db ? t->real_db : t->db;
}

void gj_tui_reload_all(struct gj_tui *t)
{
    t->counters_at = 0;
    for (int i = 0; i < t->n_screens; i++)
        if (t->screens[i]->reload && t->states[i])
            t->screens[i]->reload(t->states[i]);
}

void *gj_tui_screen_state(struct gj_tui *t, const struct screen_ops *ops, int *index)
{
    for (int i = 0; i < t->n_screens; i++)
        if (t->screens[i] == ops) {
            *index = i;
            return t->states[i];
        }
    return NULL;
}

int gj_tui_screen_index(struct gj_tui *t, const char *name)
{
    for (int i = 0; i < t->n_screens; i++)
        if (strcmp(t->screens[i]->name, name) == 0)
            return i;
    return -1;
}

void gj_tui_say(struct gj_tui *t, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->message, sizeof t->message, fmt, ap);
    va_end(ap);
    t->message_error = error;
}

static int too_small(void)
{
    return LINES < GJ_TUI_MIN_ROWS || COLS < GJ_TUI_MIN_COLS;
}

static void paint_too_small(void)
{
    erase();
    char line[128];
    snprintf(line, sizeof line, _("Please enlarge the window to at least %d×%d (now %d×%d)."),
             GJ_TUI_MIN_COLS, GJ_TUI_MIN_ROWS, COLS, LINES);
    int w = gj_utf8_width(line);
    int y = LINES / 2, x = w < COLS ? (COLS - w) / 2 : 0;
    gj_put(y, x, COLS, line, A_BOLD);
}

static void refresh_counters(struct gj_tui *t)
{
    int64_t now = gj_now();
    if (t->counters_at && now - t->counters_at < 30)
        return;
    struct gj_error err;
    if (gj_wo_count_overdue(t->db, now, &t->overdue_orders, &err) != GJ_OK)
        t->overdue_orders = -1;
    /* While a console is open, complaints climb their ladder on time, as
     * `guanjia escalate` would make them (recorded once, by the system). */
    long checked = 0, recorded = 0;
    if (gj_complaint_escalate_due(t->db, now, &checked, &recorded, &err) != GJ_OK)
        gj_tui_say(t, 1, "%s", err.msg);
    else if (recorded > 0)
        gj_tui_reload_all(t); /* rows on screen climbed: show it */
    /* The arrears kept by unit and the open work orders past due kept by
     * day, brought up to the clock, so that the Fees screen and the reports
     * read them instead of every bill and order. */
    if (gj_kept_figures_refresh(t->db, now, NULL, &err) != GJ_OK)
        gj_tui_say(t, 1, "%s", err.msg);
    if (gj_complaint_count_overdue(t->db, now, &t->overdue_complaints, &err) != GJ_OK)
        t->overdue_complaints = -1;
    t->serious_complaints = 0;
    if (t->role == GJ_ROLE_MANAGER &&
        gj_complaint_count_serious_open(t->db, &t->serious_complaints, &err) != GJ_OK)
        t->serious_complaints = -1;
    t->counters_at = now;
}

struct gj_form *gj_tui_active_form;

static unsigned current_scope(struct gj_tui *t)
{
    if (t->user.id == 0)
        return GJ_SC_LOGIN;
    if (gj_tui_active_form)
        return GJ_SC_FORM;
    const struct screen_ops *s = t->screens[t->current];
    return s->scope ? s->scope(t->states[t->current]) : GJ_SC_LIST;
}

static void paint_top(struct gj_tui *t)
{
    gj_fill(0, 0, COLS, gj_attr(t, GJ_A_BAR));
    /* The tabs come first: the name only when there is room for both. */
    int tabs = 0;
    for (int i = 0; t->user.id && i < t->n_screens; i++) {
        char tab[64];
        snprintf(tab, sizeof tab, " %d %s ", i + 1, _(t->screens[i]->title));
        tabs += gj_utf8_width(tab) + 1;
    }
    const char *brand = _("Guanjia 管家");
    int x = 1;
    if (tabs + gj_utf8_width(brand) + 4 <= COLS)
        x = gj_put(0, 1, COLS - 2, brand, gj_attr(t, GJ_A_BAR) | A_BOLD) + 3;
    for (int i = 0; t->user.id && i < t->n_screens; i++) {
        char tab[64];
        snprintf(tab, sizeof tab, " %d %s ", i + 1, _(t->screens[i]->title));
        x += gj_put(0, x, COLS - x, tab, gj_attr(t, i == t->current ? GJ_A_TAB_ON : GJ_A_TAB)) + 1;
    }
    if (t->real_db) {
        /* Practice: said in words, and in colour where there is colour. */
        x += gj_put(0, x, COLS - x, _(" SANDBOX 练习模式 "),
                    gj_attr(t, GJ_A_WARN) | A_REVERSE | A_BOLD) +
             1;
    }
    char when[32];
    gj_format_datetime(gj_now(), when, sizeof when);
    int w = gj_utf8_width(when);
    if (x + w + 1 < COLS)
        gj_put(0, COLS - w - 1, w, when, gj_attr(t, GJ_A_BAR));
}

static void paint_bottom(struct gj_tui *t)
{
    unsigned scope = current_scope(t);
    int y = LINES - 2;
    gj_fill(y, 0, COLS, A_NORMAL);
    int x = 0;
    for (const struct gj_action_def *a = gj_actions; a->id && x < COLS; a++) {
        /* Text fields take every key: no global keys there. */
        unsigned wanted =
            scope & (GJ_SC_FORM | GJ_SC_LOGIN | GJ_SC_SEARCH) ? scope : scope | GJ_SC_GLOBAL;
        if (!a->in_bar || !(a->scopes & wanted) || !gj_action_offered(a, t->role))
            continue;
        char item[96];
        snprintf(item, sizeof item, "%s %s", a->key_label, _(a->label));
        int w = gj_utf8_width(item);
        if (x + w > COLS)
            break;
        gj_put(y, x, w, a->key_label, A_BOLD);
        gj_put(y, x + gj_utf8_width(a->key_label), w, item + strlen(a->key_label), A_NORMAL);
        x += w + 2;
    }
    y = LINES - 1;
    gj_fill(y, 0, COLS, gj_attr(t, GJ_A_BAR));
    if (t->user.id == 0) {
        if (t->message[0])
            gj_put(y, 1, COLS - 2, t->message,
                   t->message_error ? gj_attr(t, GJ_A_ERROR) : gj_attr(t, GJ_A_BAR));
        return;
    }
    char who[160];
    snprintf(who, sizeof who, " %s (%s) ", t->user.name, gj_role_label(t->role));
    x = gj_put(y, 0, COLS, who, gj_attr(t, GJ_A_BAR) | A_BOLD);
    char counters[128], orders[24];
    if (t->overdue_orders >= GJ_COUNT_CAP)
        snprintf(orders, sizeof orders, "%d+", GJ_COUNT_CAP - 1);
    else
        snprintf(orders, sizeof orders, "%lld", (long long)t->overdue_orders);
    snprintf(counters, sizeof counters, _("│ overdue: %s orders, %lld complaints │ "), orders,
             (long long)t->overdue_complaints);
    int warn = t->overdue_orders > 0 || t->overdue_complaints > 0;
    x += gj_put(y, x, COLS - x, counters, gj_attr(t, GJ_A_BAR) | (warn ? A_BOLD : 0));
    if (t->serious_complaints > 0) {
        /* The manager's flag: on every screen, marked without colour too. */
        char flag[96];
        snprintf(flag, sizeof flag, _("!! serious complaints: %lld"),
                 (long long)t->serious_complaints);
        x += gj_put(y, x, COLS - x, flag, gj_attr(t, GJ_A_ERROR) | A_BOLD | A_REVERSE);
        x += gj_put(y, x, COLS - x, " ", gj_attr(t, GJ_A_BAR));
    }
    if (t->message[0])
        gj_put(y, x, COLS - x, t->message,
               t->message_error ? gj_attr(t, GJ_A_ERROR) : gj_attr(t, GJ_A_BAR));
}

void gj_tui_paint(struct gj_tui *t)
{
    if (too_small()) {
        paint_too_small();
        refresh();
        return;
    }
    erase();
    paint_top(t);
    if (t->user.id)
        refresh_counters(t);
    /* The bars first: the screen (or form) drawn last leaves the cursor
     * where typing goes. */
    paint_bottom(t);
    if (t->user.id) {
        const struct screen_ops *s = t->screens[t->current];
        int hint = t->hint[0] != 0;
        s->draw(t->states[t->current], t, 1, LINES - 3 - hint);
        if (hint) {
            gj_fill(LINES - 3, 0, COLS, gj_attr(t, GJ_A_WARN) | A_REVERSE);
            gj_put(LINES - 3, 1, COLS - 2, t->hint, gj_attr(t, GJ_A_WARN) | A_REVERSE);
        }
        if (gj_tui_active_form) {
            for (int y = 1; y < LINES - 2; y++)
                gj_fill(y, 0, COLS, A_NORMAL);
            gj_form_draw(gj_tui_active_form, t, 2, LINES - 4);
        }
    }
    /* The screen leaves the cursor where typing goes, or hides it. */
    wnoutrefresh(stdscr);
    doupdate();
}

/* A resize signalled while we were painting can be missed by curses until
 * the next key: look at the terminal's size ourselves before waiting. */
static int size_changed(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0)
        return 0;
    if (ws.ws_row == LINES && ws.ws_col == COLS)
        return 0;
    resizeterm(ws.ws_row, ws.ws_col);
    clearok(curscr, TRUE);
    return 1;
}

gj_key gj_tui_read_key(struct gj_tui *t, int timeout_ms)
{
    wint_t ch;
    if (size_changed())
        return -KEY_RESIZE;
    /* Never block long, so a missed resize is noticed within a second. */
    timeout(timeout_ms < 0 || timeout_ms > 1000 ? 1000 : timeout_ms);
    int r = get_wch(&ch);
    if (r == ERR)
        return 0;
    /* Nothing acts while the window is too small to show what it does. */
    if (too_small() && !(r == KEY_CODE_YES && ch == KEY_RESIZE))
        return 0;
    if (r == KEY_CODE_YES) {
        if (ch == KEY_RESIZE) {
            /* Whatever the terminal did with the old picture (wrapping,
             * scrolling), paint the next one whole. */
            (void)t;
            clearok(curscr, TRUE);
            return -KEY_RESIZE;
        }
        return -(gj_key)ch;
    }
    return (gj_key)ch;
}

/* ---- dialogs -------------------------------------------------------------- */

static void box_at(struct gj_tui *t, int top, int left, int h, int w, const char *title)
{
    for (int y = top; y < top + h; y++)
        gj_fill(y, left, w, A_NORMAL);
    attr_t a = gj_attr(t, GJ_A_TITLE);
    attron(a);
    mvhline(top, left, ACS_HLINE, w);
    mvhline(top + h - 1, left, ACS_HLINE, w);
    mvvline(top, left, ACS_VLINE, h);
    mvvline(top, left + w - 1, ACS_VLINE, h);
    mvaddch(top, left, ACS_ULCORNER);
    mvaddch(top, left + w - 1, ACS_URCORNER);
    mvaddch(top + h - 1, left, ACS_LLCORNER);
    mvaddch(top + h - 1, left + w - 1, ACS_LRCORNER);
    attroff(a);
    if (title && *title) {
        char tt[200];
        snprintf(tt, sizeof tt, " %s ", title);
        gj_put(top, left + 2, w - 4, tt, gj_attr(t, GJ_A_TITLE));
    }
}

/* Splits text into lines of at most width columns (by display width). */
static int wrap(const char *text, int width, char lines[][256], int max_lines)
{
    int n = 0;
    const char *p = text;
    while (*p && n < max_lines) {
        int cols = 0;
        size_t i = 0, len = strlen(p);
        size_t cut = 0;
        while (i < len && p[i] != '\n') {
            uint32_t cp;
            size_t k = gj_utf8_decode(p + i, len - i, &cp);
            if (!k)
                k = 1;
            int w = gj_cp_width(cp);
            if (w < 0)
                w = 1;
            if (cols + w > width || i + k >= 255)
                break;
            cols += w;
            i += k;
            if (cp == ' ' || w == 2)
                cut = i;
        }
        if (i < len && p[i] != '\n' && cut > 0)
            i = cut;
        memcpy(lines[n], p, i);
        lines[n][i] = '\0';
        n++;
        p += i;
        while (*p == ' ' || *p == '\n')
            p++;
    }
    return n;
}

static void paint_dialog(struct gj_tui *t, const char *title, const char *text, const char *keys)
{
    gj_tui_paint(t);
    if (too_small())
        return;
    int w = COLS - 10 < 76 ? COLS - 10 : 76;
    char lines[40][256];
    int max_lines = LINES - 8 < 40 ? LINES - 8 : 40;
    int n = wrap(text, w - 4, lines, max_lines > 1 ? max_lines : 1);
    int h = n + 4;
    int top = (LINES - h) / 2, left = (COLS - w) / 2;
    box_at(t, top, left, h, w, title);
    for (int i = 0; i < n; i++)
        gj_put(top + 1 + i, left + 2, w - 4, lines[i], A_NORMAL);
    gj_put(top + h - 2, left + 2, w - 4, keys, A_BOLD);
    curs_set(0);
    refresh();
}

int gj_dialog_confirm(struct gj_tui *t, const char *title, const char *text)
{
    for (;;) {
        paint_dialog(t, title, text, _("y yes   n no"));
        gj_key k = gj_tui_read_key(t, -1);
        if (k == 'y' || k == 'Y')
            return 1;
        if (k == 'n' || k == 'N' || k == 27 || k == 'q')
            return 0;
    }
}

void gj_dialog_message(struct gj_tui *t, const char *title, const char *text)
{
    for (;;) {
        paint_dialog(t, title, text, _("Enter or Esc: close"));
        gj_key k = gj_tui_read_key(t, -1);
        if (k == '\n' || k == '\r' || k == 27 || k == -KEY_ENTER || k == ' ')
            return;
    }
}

gj_key gj_dialog_pick_keys(struct gj_tui *t, const char *title, const char *const *items, int n,
                           int *sel, const char *hint, const gj_key *extra)
{
    if (*sel >= n)
        *sel = n > 0 ? n - 1 : 0;
    for (;;) {
        gj_tui_paint(t);
        if (!too_small()) {
            int w = COLS - 8 < 96 ? COLS - 8 : 96;
            int rows = n < LINES - 8 ? n : LINES - 8;
            if (rows < 1)
                rows = 1;
            int top = (LINES - rows - 4) / 2, left = (COLS - w) / 2;
            int first = *sel >= rows ? *sel - rows + 1 : 0;
            box_at(t, top, left, rows + 4, w, title);
            for (int i = 0; i < rows && first + i < n; i++) {
                attr_t a = first + i == *sel ? gj_attr(t, GJ_A_SELECTED) : A_NORMAL;
                gj_fill(top + 1 + i, left + 1, w - 2, a);
                gj_put(top + 1 + i, left + 2, w - 4, items[first + i], a);
            }
            if (n == 0)
                gj_put(top + 1, left + 2, w - 4, _("(none)"), gj_attr(t, GJ_A_DIM));
            gj_put(top + rows + 2, left + 2, w - 4, hint, A_BOLD);
            curs_set(0);
            refresh();
        }
        gj_key k = gj_tui_read_key(t, -1);
        if (k == 27)
            return 27;
        if ((k == '\n' || k == '\r' || k == -KEY_ENTER) && n > 0)
            return '\n';
        for (int i = 0; extra && extra[i]; i++)
            if (k == extra[i])
                return k;
        if ((k == -KEY_DOWN || k == 'j') && *sel + 1 < n)
            (*sel)++;
        if ((k == -KEY_UP || k == 'k') && *sel > 0)
            (*sel)--;
    }
}

int gj_dialog_pick(struct gj_tui *t, const char *title, const char *const *items, int n)
{
    if (n == 0)
        return -1;
    int sel = 0;
    gj_key k = gj_dialog_pick_keys(t, title, items, n, &sel,
                                   _("Up/Down choose   Enter take   Esc cancel"), NULL);
    return k == '\n' ? sel : -1;
}

void gj_dialog_help(struct gj_tui *t, unsigned scope)
{
    char text[4096] = "";
    size_t len = 0;
    /* This screen's keys first, then the ones that work everywhere. */
    for (int pass = 0; pass < 2; pass++) {
        for (const struct gj_action_def *a = gj_actions; a->id; a++) {
            int here = (a->scopes & scope) != 0;
            int global = (a->scopes & GJ_SC_GLOBAL) != 0;
            if ((pass == 0 ? !here : (here || !global)) || !gj_action_offered(a, t->role))
                continue;
            int n = snprintf(text + len, sizeof text - len, "%-12s %s\n", a->key_label, _(a->help));
            if (n < 0 || (size_t)n >= sizeof text - len)
                break;
            len += (size_t)n;
        }
    }
    gj_dialog_message(t, _("Keys"), text);
}

/* ---- the main loop --------------------------------------------------------- */

static int start_curses(struct gj_tui *t)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "guanjia: %s\n",
                _("the console needs a terminal (use a command, see guanjia --help)"));
        return -1;
    }
    if (!initscr()) {
        fprintf(stderr, "guanjia: %s\n", _("cannot start the terminal (check TERM)"));
        return -1;
    }
    raw();
    noecho();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    const char *no_color = getenv("NO_COLOR");
    t->colors = has_colors() && !(no_color && *no_color);
    if (t->colors) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_WHITE, COLOR_BLUE);
        init_pair(2, COLOR_BLACK, COLOR_CYAN);
        init_pair(3, COLOR_BLACK, COLOR_CYAN);
        init_pair(4, COLOR_RED, -1);
        init_pair(5, COLOR_YELLOW, -1);
    }
    return 0;
}

static int run_loop(struct gj_tui *t)
{
    for (;;) {
        gj_tui_paint(t);
        /* Wakes up every second: the clock, a missed resize, and (every
         * 30 s) the overdue counters stay fresh. */
        gj_key k = gj_tui_read_key(t, -1);
        if (k == 0) {
            /* Another terminal saved something: fresh counters and rows. */
            int64_t v = 0;
            struct gj_error err;
            if (gj_db_data_version(t->db, &v, &err) == GJ_OK && v != t->data_version) {
                t->data_version = v;
                t->counters_at = 0;
                for (int i = 0; i < t->n_screens; i++)
                    if (t->screens[i]->reload)
                        t->screens[i]->reload(t->states[i]);
            }
            continue;
        }
        if (k == -KEY_RESIZE || too_small())
            continue;
        const struct screen_ops *s = t->screens[t->current];
        void *st = t->states[t->current];
        /* The role matrix, in one place: a key whose action the role may not
         * do is refused here with the reason, before any screen opens a
         * form for it (outside text fields, where keys are text). */
        if (!(s->wants_text && s->wants_text(st))) {
            const struct gj_action_def *a = gj_action_def_for(current_scope(t), k);
            struct gj_error err;
            if (a && a->gated && gj_require(t->role, a->needs, &err) != GJ_OK) {
                gj_tui_say(t, 1, "%s", err.msg);
                continue;
            }
        }
        enum gj_handled h = s->key(st, t, k);
        if (t->after_key)
            t->after_key(t);
        if (h == GJ_QUIT)
            return 0;
        if (h == GJ_RELOAD)
            t->counters_at = 0;
        if (h != GJ_PASS)
            continue;
        /* Global keys, outside text fields. */
        int typing = s->wants_text && s->wants_text(st);
        if (typing)
            continue;
        if (k >= '1' && k <= '7') {
            if (k - '1' < t->n_screens)
                t->current = k - '1';
            if (t->after_key)
                t->after_key(t);
            continue;
        }
        switch (gj_action_for(GJ_SC_GLOBAL, k)) {
        case GJ_ACT_QUIT:
            if (gj_dialog_confirm(t, _("Quit"), _("Leave Guanjia?")))
                return 0;
            break;
        case GJ_ACT_HELP:
            gj_dialog_help(t, current_scope(t));
            break;
        case GJ_ACT_REDRAW:
            clearok(curscr, TRUE);
            break;
        case GJ_ACT_PRACTICE_CHECK:
            gj_training_check(t);
            break;
        case GJ_ACT_NEXT_SCREEN:
            t->current = (t->current + 1) % t->n_screens;
            break;
        case GJ_ACT_PREV_SCREEN:
            t->current = (t->current + t->n_screens - 1) % t->n_screens;
            break;
        default:
            break;
        }
    }
}

int gj_tui_run(const char *db_path)
{
    struct gj_tui t;
    memset(&t, 0, sizeof t);
    struct gj_error err;
    if (gj_db_open(db_path, 0, &t.db, &err) != GJ_OK) {
        fprintf(stderr, "guanjia: %s\n", err.msg);
        return 1;
    }
    if (start_curses(&t) != 0) {
        gj_db_close(t.db);
        return 1;
    }
    t.screens = screens;
    t.n_screens = (int)(sizeof screens / sizeof screens[0]);
    int rc = 0;
    if (gj_login(&t) == 0) {
        for (int i = 0; i < t.n_screens; i++)
            t.states[i] = t.screens[i]->open(&t);
        /* The Desk first: what needs this user now. */
        int desk = gj_tui_screen_index(&t, "desk");
        if (desk >= 0)
            t.current = desk;
        gj_tui_say(&t, 0, _("Welcome, %s. Press ? for the keys."), t.user.name);
        rc = run_loop(&t);
        for (int i = 0; i < t.n_screens; i++)
            t.screens[i]->close(t.states[i]);
        if (t.real_db) { /* left while practising */
            gj_db_close(t.db);
            t.db = t.real_db;
        }
    }
    endwin();
    gj_db_close(t.db);
    return rc;
}
