/* Internals of the console: the app, screens, actions and widgets. */
#ifndef GUANJIA_TUI_INTERNAL_H
#define GUANJIA_TUI_INTERNAL_H

#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "guanjia/db.h"
#include "guanjia/model.h"
#include "guanjia/roles.h"

#define GJ_TUI_MIN_ROWS 24
#define GJ_TUI_MIN_COLS 80

/* A key: a character (> 0), or a curses function key as -KEY_xxx. */
typedef int gj_key;

/* What a key handler did; only the main loop paints. */
enum gj_handled {
    GJ_PASS = 0, /* not mine: let the frame try global keys */
    GJ_DONE,     /* handled, nothing to repaint */
    GJ_REDRAW,   /* repaint */
    GJ_RELOAD,   /* reread from the database, then repaint */
    GJ_QUIT      /* leave the console */
};

/* Where an action applies. */
enum gj_scope {
    GJ_SC_GLOBAL = 1 << 0,
    GJ_SC_LIST = 1 << 1,
    GJ_SC_SEARCH = 1 << 2,
    GJ_SC_DETAIL = 1 << 3,
    GJ_SC_FORM = 1 << 4,
    GJ_SC_LOGIN = 1 << 5,
    GJ_SC_WO_LIST = 1 << 6,   /* the work-order queue */
    GJ_SC_WO_DETAIL = 1 << 7, /* one work order and its timeline */
    GJ_SC_CP_LIST = 1 << 8,   /* the complaint queue */
    GJ_SC_CP_DETAIL = 1 << 9, /* one complaint, its calming steps and its timeline */
    GJ_SC_FEE_LIST = 1 << 10, /* the units in arrears */
    GJ_SC_FEE_UNIT = 1 << 11, /* one unit's account */
    GJ_SC_TRAINING = 1 << 12, /* the curriculum, quizzes, practice */
    GJ_SC_DESK = 1 << 13,     /* today's items */
    GJ_SC_REPORTS = 1 << 14   /* the reports */
};

enum gj_act {
    GJ_ACT_NONE = 0,
    GJ_ACT_QUIT,
    GJ_ACT_HELP,
    GJ_ACT_REDRAW,
    GJ_ACT_NEXT_SCREEN,
    GJ_ACT_PREV_SCREEN,
    GJ_ACT_UP,
    GJ_ACT_DOWN,
    GJ_ACT_PGUP,
    GJ_ACT_PGDN,
    GJ_ACT_HOME,
    GJ_ACT_END,
    GJ_ACT_SEARCH,
    GJ_ACT_OPEN,
    GJ_ACT_BACK,
    GJ_ACT_NEW,
    GJ_ACT_EDIT,
    GJ_ACT_ADD_MEMBER,
    GJ_ACT_CONTACT,
    GJ_ACT_ARCHIVE,
    GJ_ACT_NEXT_FIELD,
    GJ_ACT_PREV_FIELD,
    GJ_ACT_SAVE,
    GJ_ACT_CANCEL,
    GJ_ACT_LOGIN,
    GJ_ACT_WO_NEW,
    GJ_ACT_WO_DISPATCH,
    GJ_ACT_WO_START,
    GJ_ACT_WO_HOLD,
    GJ_ACT_WO_RESUME,
    GJ_ACT_WO_RESOLVE,
    GJ_ACT_WO_CLOSE,
    GJ_ACT_WO_CANCEL,
    GJ_ACT_WO_CHASE,
    GJ_ACT_WO_PROMISE,
    GJ_ACT_WO_VIEW,
    GJ_ACT_TAKE_ORDER,
    GJ_ACT_PICK,
    GJ_ACT_REPLIES,
    GJ_ACT_CP_NEW,
    GJ_ACT_CP_VIEW,
    GJ_ACT_CP_SELECT,
    GJ_ACT_CP_ASSIGN,
    GJ_ACT_CP_SUMMARY,
    GJ_ACT_CP_ACK,
    GJ_ACT_CP_REGRADE,
    GJ_ACT_CP_RESOLVE,
    GJ_ACT_CP_REVISIT,
    GJ_ACT_CP_CLOSE,
    GJ_ACT_CP_NOTE,
    GJ_ACT_TAKE_COMPLAINT,
    GJ_ACT_FEE_FIND,
    GJ_ACT_FEE_SORT,
    GJ_ACT_FEE_CASH,
    GJ_ACT_FEE_BILLING,
    GJ_ACT_FEE_NOTICE,
    GJ_ACT_FEE_CHOOSE,
    GJ_ACT_FEE_PAY,
    GJ_ACT_FEE_REPRINT,
    GJ_ACT_FEE_REVERSE,
    GJ_ACT_FEE_DUNNING,
    GJ_ACT_FEE_ITEMS,
    GJ_ACT_FEE_CREDIT,
    GJ_ACT_TR_NEXT,
    GJ_ACT_TR_PREV,
    GJ_ACT_TR_QUIZ,
    GJ_ACT_TR_MARK,
    GJ_ACT_TR_ASSESS,
    GJ_ACT_TR_PROMOTE,
    GJ_ACT_PRACTICE_CHECK,
    GJ_ACT_DESK_TEAM,
    GJ_ACT_RP_LATER,
    GJ_ACT_RP_EARLIER,
    GJ_ACT_RP_COMPARE,
    GJ_ACT_RP_RANGE,
    GJ_ACT_COMMUNITY,
    GJ_ACT_FEE_PROMISES,
    GJ_ACT_FEE_COLLECTION,
    GJ_ACT_ACCOUNT
};

/* One row of the actions table: the single truth about keys. */
struct gj_action_def {
    enum gj_act act;
    const char *id;        /* stable name for the docs */
    gj_key keys[4];        /* 0-terminated */
    const char *key_label; /* as shown: "Enter", "F10/Ctrl-S" */
    const char *label;     /* N_(): short, for the bottom bar */
    const char *help;      /* N_(): one line, for ? and the docs */
    unsigned scopes;
    int in_bar;
    int gated; /* 1: offered only to roles that may do `needs` */
    enum gj_action needs;
};

/* 1 when the action is offered to this role (bar and help hide the rest). */
int gj_action_offered(const struct gj_action_def *a, enum gj_role role);

extern const struct gj_action_def gj_actions[];
/* The action that key triggers in scope (or globally), or GJ_ACT_NONE. */
enum gj_act gj_action_for(unsigned scope, gj_key key);
/* The same lookup, giving the table's row (NULL when none). */
const struct gj_action_def *gj_action_def_for(unsigned scope, gj_key key);

struct gj_tui;

/* A screen: a table of functions, filled by field name. */
struct screen_ops {
    const char *name;  /* "owners" */
    const char *title; /* N_("Owners") */
    void *(*open)(struct gj_tui *t);
    void (*close)(void *state);
    void (*draw)(void *state, struct gj_tui *t, int top, int height);
    enum gj_handled (*key)(void *state, struct gj_tui *t, gj_key key);
    unsigned (*scope)(void *state); /* which actions apply right now */
    int (*wants_text)(void *state); /* 1 while a text field has the focus */
    void (*reload)(void *state);    /* reread after another terminal changed the file */
    /* What the screen shows, for the walkthrough to follow: "unit" (the
     * unit code open in a detail view), "search" (the search text),
     * "order" (the work order open), "view"; NULL when none. */
    const char *(*probe)(void *state, const char *what);
};

extern const struct screen_ops owners_screen;
extern const struct screen_ops workorders_screen;
extern const struct screen_ops complaints_screen;
extern const struct screen_ops fees_screen;
extern const struct screen_ops training_screen;
extern const struct screen_ops desk_screen;
extern const struct screen_ops reports_screen;
/* Community and safety records (from the Desk). */
void gj_community_menu(struct gj_tui *t);
/* Opens a work order / a complaint on its screen. */
enum gj_handled gj_workorders_open(struct gj_tui *t, int64_t id);
enum gj_handled gj_complaints_open(struct gj_tui *t, int64_t id);
/* F5 while practising: checks the task given, with feedback. */
void gj_training_check(struct gj_tui *t);
/* The database where the user's own records live: the real one, also
 * while practising in the sandbox. */
struct gj_db *gj_tui_home_db(struct gj_tui *t);
/* Rereads every screen (after the database changed under them). */
void gj_tui_reload_all(struct gj_tui *t);
/* The state of the screen ops (and its index), or NULL. */
void *gj_tui_screen_state(struct gj_tui *t, const struct screen_ops *ops, int *index);
/* The screen of that name, or -1. */
int gj_tui_screen_index(struct gj_tui *t, const char *name);
/* Opens the unit's account on the Fees screen. */
enum gj_handled gj_fees_open_unit(struct gj_tui *t, int64_t unit_id);
/* Takes a complaint for unit_code (from the Owners screen); on success the
 * Complaints screen shows it. */
enum gj_handled gj_complaints_take(struct gj_tui *t, const char *unit_code);
/* The manager's list of standard replies: add, edit, switch on and off. */
void gj_replies_editor(struct gj_tui *t);
/* Finds the unit (and the caller) from what was typed: a unit code, or
 * the phone of one person on record. */
int gj_find_unit(struct gj_db *db, const char *typed, int64_t *unit_id, int64_t *person_id,
                 struct gj_error *err);
/* "3-2-501", or "—" without a unit. */
void gj_unit_code_of(struct gj_db *db, int64_t unit_id, char *out, size_t outsz);
/* Takes a work order for unit_code (from the Owners screen); on success the
 * Work orders screen shows it. */
enum gj_handled gj_workorders_take(struct gj_tui *t, const char *unit_code);

struct gj_tui {
    struct gj_db *db;
    struct gj_user user;
    enum gj_role role;
    int colors;
    const struct screen_ops *const *screens;
    int n_screens, current;
    void *states[8];
    char message[256];
    int message_error;
    int64_t overdue_orders, overdue_complaints;
    int64_t serious_complaints; /* open serious ones: flagged to the manager everywhere */
    int64_t counters_at;
    int64_t data_version; /* of the file, to notice other terminals' changes */
    /* Practice: while set, db is the sandbox copy and these are the real
     * database and the real user, where training progress is kept. */
    struct gj_db *real_db;
    struct gj_user real_user;
    enum gj_role real_role;
    char hint[512];                      /* the hint panel above the keys; "" none */
    void (*after_key)(struct gj_tui *t); /* the training's watcher, after every key */
};

/* Attributes (colour when allowed, else bold/reverse/underline). */
enum gj_attr {
    GJ_A_NORMAL,
    GJ_A_BAR,
    GJ_A_TAB,
    GJ_A_TAB_ON,
    GJ_A_SELECTED,
    GJ_A_ERROR,
    GJ_A_DIM,
    GJ_A_TITLE,
    GJ_A_FIELD,
    GJ_A_FIELD_ON,
    GJ_A_WARN
};
attr_t gj_attr(const struct gj_tui *t, enum gj_attr a);

/* Text in display columns: draws at most max_cols columns of s, never
 * splitting a wide character, controls as '?'; returns the columns used. */
int gj_put(int y, int x, int max_cols, const char *s, attr_t attr);
/* The same, padded with spaces to exactly cols columns. */
void gj_put_pad(int y, int x, int cols, const char *s, attr_t attr);
/* Right-aligned in cols columns. */
void gj_put_right(int y, int x, int cols, const char *s, attr_t attr);
void gj_fill(int y, int x, int cols, attr_t attr);

/* How an owner reached us: the codes (NULL-terminated) and their names. */
extern const char *const gj_channel_codes[];
const char *gj_channel_label(const char *code);

/* Messages in the bottom bar. */
void gj_tui_say(struct gj_tui *t, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Paints everything (frame and screen) and updates the terminal. */
void gj_tui_paint(struct gj_tui *t);
/* Reads one key, waiting at most timeout_ms (-1 forever); 0 on time-out.
 * Handles KEY_RESIZE by repainting and returning it. */
gj_key gj_tui_read_key(struct gj_tui *t, int timeout_ms);

/* Modal dialogs, drawn over the current screen. */
int gj_dialog_confirm(struct gj_tui *t, const char *title, const char *text);
void gj_dialog_message(struct gj_tui *t, const char *title, const char *text);
void gj_dialog_help(struct gj_tui *t, unsigned scope);
/* A list to choose one of n items from (Up/Down, Enter); -1 on Esc. */
int gj_dialog_pick(struct gj_tui *t, const char *title, const char *const *items, int n);
/* The same, also ending on any key of extra (0-terminated), with hint as
 * its key line: returns the key that ended it ('\n' for Enter, 27 for
 * Esc), with *sel the item it was on (kept between calls). */
gj_key gj_dialog_pick_keys(struct gj_tui *t, const char *title, const char *const *items, int n,
                           int *sel, const char *hint, const gj_key *extra);

/* ---- the paged list widget ---------------------------------------------- */

/* Rows come from a source that can fetch `limit` rows after (forward) or
 * before (backward) an anchor row, or from the start / the end when the
 * anchor is NULL. The widget holds only the visible rows. */
struct gj_list_source {
    void *ctx;
    size_t row_size;
    int (*fetch)(void *ctx, const void *anchor, int forward, int limit, void *rows, int *n);
    void (*draw_row)(void *ctx, struct gj_tui *t, const void *row, int y, int x, int width,
                     int selected);
};

struct gj_list {
    struct gj_list_source src;
    char *rows; /* capacity rows */
    int capacity, n, sel;
    char *scratch;
    int at_end_known, at_start;
};

void gj_list_init(struct gj_list *l, const struct gj_list_source *src);
void gj_list_free(struct gj_list *l);
/* Refills from the start with room for height rows. */
int gj_list_reload(struct gj_list *l, int height);
/* Refetches the same window (after an edit), keeping the selection. */
int gj_list_refresh(struct gj_list *l, int height);
void *gj_list_selected(struct gj_list *l);
/* Moves by an action (up, down, pages, home, end); returns 1 if it moved. */
int gj_list_move(struct gj_list *l, enum gj_act act, int height);
void gj_list_draw(struct gj_list *l, struct gj_tui *t, int top, int x, int height, int width);

/* ---- the form widget ------------------------------------------------------ */

enum gj_field_kind { GJ_F_TEXT, GJ_F_PASSWORD, GJ_F_NUMBER, GJ_F_MONEY, GJ_F_DATE, GJ_F_CHOICE };

#define GJ_FIELD_MAX GJ_NOTE_CHARS /* characters: the longest text a record holds */

struct gj_field {
    const char *label; /* translated */
    enum gj_field_kind kind;
    int required;
    int max_chars;
    const char *const *choices;       /* codes, NULL-terminated (choice fields) */
    const char *const *choice_labels; /* translated labels, same order */
    wchar_t buf[GJ_FIELD_MAX + 1];
    int len, cursor, scroll, choice;
    char error[256];
};

struct gj_form {
    const char *title;
    struct gj_field *fields;
    int n, focus, dirty;
    char error[512];
    /* F2: offers ready-made text for the focused field (NULL: none). */
    void (*pick)(struct gj_form *f, struct gj_tui *t);
};

enum gj_form_result { GJ_FORM_NONE, GJ_FORM_SAVE, GJ_FORM_CANCEL };

void gj_form_set(struct gj_form *f, int i, const char *utf8);
void gj_form_get(const struct gj_form *f, int i, char *out, size_t outsz);
void gj_form_set_choice(struct gj_form *f, int i, const char *code);
const char *gj_form_choice(const struct gj_form *f, int i);
/* Handles a key; GJ_FORM_SAVE only when every field passes its own checks
 * (required, number, money, date); errors are put on the fields. */
enum gj_form_result gj_form_key(struct gj_form *f, struct gj_tui *t, gj_key key);
/* Puts an error from core/repo on the field its message names
 * ("phone: ..."), or on the form. */
void gj_form_error(struct gj_form *f, const char *msg);
void gj_form_clear_errors(struct gj_form *f);
void gj_form_draw(struct gj_form *f, struct gj_tui *t, int top, int height);

/* Runs a form modally; returns 1 when the user saved (call the save
 * function, which returns GJ_OK or fills the form's errors and returns the
 * status, in which case the form stays open; NULL: the caller reads the
 * fields after a save). */
int gj_form_run(struct gj_form *f, struct gj_tui *t,
                int (*save)(struct gj_form *f, struct gj_tui *t, void *ctx), void *ctx);

/* F2 in a form: a standard reply of topic into the focused text field. */
void gj_pick_reply(struct gj_form *f, struct gj_tui *t, const char *topic);

/* The modal form on screen, if any: painted over the screen area (also
 * behind dialogs it opens), and its keys shown in the bottom bar. */
extern struct gj_form *gj_tui_active_form;

/* The login screen: fills t->user; 0 when logged in, -1 when the user gave up. */
int gj_login(struct gj_tui *t);

#endif
