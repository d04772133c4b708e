/* Practice tasks and their checkers: what the trainee did in the sandbox,
 * read back and judged line by line. */
#include "guanjia/practice.h"

#include "db_internal.h"
#include "guanjia/billing.h"
#include "guanjia/clock.h"
#include "guanjia/complaint_rules.h"
#include "guanjia/documents.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/sla.h"
#include "guanjia/utf8.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY        86400
#define CANDIDATES 16

/* ---- the demo records the situations name ------------------------------------- */

struct code {
    int building, entrance, room;
};

static const struct code OWNER_UNIT = {3, 2, 501}; /* 张三, 李梅, 张小宝 */
#define OWNER_NAME      "李梅"
#define OWNER_NEW_PHONE "13912345678"

static const struct code INTAKE_UNIT = {5, 1, 302}; /* 王五 lets it to 李四 */
#define INTAKE_CALLER "李四"

#define DISPATCH_ORDER 397 /* 6-1-802, 邹然: the door lock */
static const struct code DISPATCH_UNIT = {6, 1, 802};

#define CLOSE_ORDER 328 /* 2-1-102, 罗勇刚: the kitchen drain */
static const struct code CLOSE_UNIT = {2, 1, 102};
#define CLOSE_RATING 4

static const struct code FEE_UNIT = {2, 1, 1201}; /* 赵六, six months behind */
#define PAYMENT_FEN    INT64_C(50000)
#define PAYMENT_METHOD "wechat"

static const struct code COMPLAINT_UNIT = {1, 1, 101}; /* 曾单 */
#define COMPLAINT_NAME "曾单"

#define REVISIT_COMPLAINT 41 /* 8-2-102, 孟怡: leaking again after a repair */
static const struct code REVISIT_UNIT = {8, 2, 102};
#define REVISIT_RATING 4

static const struct code PRIVACY_UNIT = {3, 2, 501};
#define PRIVACY_NAME  "张三"
#define PRIVACY_PHONE "13800138000"

/* ---- feedback lines ------------------------------------------------------------ */

enum mark { RIGHT, WRONG, TIP };

struct fb {
    char *buf;
    size_t sz, len;
    int wrong, full;
};

static void fb_start(struct fb *f, char *buf, size_t sz)
{
    f->buf = buf;
    f->sz = buf ? sz : 0;
    f->len = 0;
    f->wrong = 0;
    f->full = 0;
    if (f->sz)
        buf[0] = '\0';
}

/* Appends text, cut at a character boundary when it does not fit. */
static void fb_append(struct fb *f, const char *text)
{
    if (f->full || f->sz == 0)
        return;
    size_t n = strlen(text), room = f->sz - f->len - 1;
    if (n > room) {
        n = room;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
        f->full = 1;
    }
    memcpy(f->buf + f->len, text, n);
    f->len += n;
    f->buf[f->len] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
fb_add(struct fb *f, enum mark m, const char *fmt, ...)
{
    static const char *const marks[] = {"\xE2\x9C\x93 ", "\xE2\x9C\x97 ", "\xE2\x80\xA2 "};
    if (m == WRONG)
        f->wrong++;
    char line[2048];
    int k = snprintf(line, sizeof line, "%s%s", f->len ? "\n" : "", marks[m]);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + k, sizeof line - (size_t)k, fmt, ap);
    va_end(ap);
    fb_append(f, line);
}

/* The result of a checker: 1 when nothing was wrong. */
static int fb_result(const struct fb *f)
{
    return f->wrong == 0 ? 1 : 0;
}

/* ---- labels --------------------------------------------------------------------- */

static const char *label_of(const char *code, const char *const *codes, const char *const *msgids)
{
    for (size_t i = 0; codes[i]; i++)
        if (strcmp(code, codes[i]) == 0)
            return _(msgids[i]);
    return code;
}

static const char *channel_label(const char *code)
{
    static const char *const codes[] = {"phone", "wechat", "email", "walk_in", "other", NULL};
    static const char *const msgids[] = {N_("phone"), N_("WeChat"), N_("email"), N_("walk-in"),
                                         N_("other")};
    return label_of(code, codes, msgids);
}

static const char *category_label(const char *code)
{
    static const char *const codes[] = {"repair",  "cleaning",   "landscaping", "security",
                                        "enquiry", "suggestion", "other",       NULL};
    static const char *const msgids[] = {N_("repair"),   N_("cleaning"), N_("landscaping"),
                                         N_("security"), N_("enquiry"),  N_("suggestion"),
                                         N_("other")};
    return label_of(code, codes, msgids);
}

static const char *priority_label(const char *code)
{
    static const char *const codes[] = {"urgent", "high", "normal", "low", NULL};
    static const char *const msgids[] = {N_("urgent"), N_("high"), N_("normal"), N_("low")};
    return label_of(code, codes, msgids);
}

static const char *dunning_channel_label(const char *code)
{
    static const char *const codes[] = {"phone", "wechat", "sms", "visit", "letter", "other", NULL};
    static const char *const msgids[] = {N_("phone"), N_("WeChat"), N_("text message"),
                                         N_("visit"), N_("letter"), N_("other")};
    return label_of(code, codes, msgids);
}

static const char *dunning_result_label(const char *code)
{
    static const char *const codes[] = {"promised", "refused", "no_answer", "disputed",
                                        "paid",     "other",   NULL};
    static const char *const msgids[] = {N_("promised to pay"), N_("refused"),
                                         N_("no answer"),       N_("disputes the bill"),
                                         N_("says it is paid"), N_("other")};
    return label_of(code, codes, msgids);
}

/* ---- reading the sandbox -------------------------------------------------------- */

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ != GJ_OK)                                                                          \
            return -rc_;                                                                           \
    } while (0)

static void code_text(const struct code *c, char *out, size_t outsz)
{
    snprintf(out, outsz, "%d-%d-%d", c->building, c->entrance, c->room);
}

/* The id of the unit with that code; 0 when there is none. */
static int unit_id_of(struct gj_db *db, const struct code *c, int64_t *id, struct gj_error *err)
{
    *id = 0;
    sqlite3_stmt *st = gj_db_stmt(
        db, "SELECT id FROM units WHERE building = ? AND entrance = ? AND room = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int(st, 1, c->building);
    sqlite3_bind_int(st, 2, c->entrance);
    sqlite3_bind_int(st, 3, c->room);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("finding a unit"), err);
    return GJ_OK;
}

/* The code of a unit ("3-2-501"), or "—" for none. */
static int unit_code_of(struct gj_db *db, int64_t unit_id, char *out, size_t outsz,
                        struct gj_error *err)
{
    snprintf(out, outsz, "%s", "\xE2\x80\x94");
    if (!unit_id)
        return GJ_OK;
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT building, entrance, room FROM units WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, outsz, "%d-%d-%d", sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
                 sqlite3_column_int(st, 2));
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("reading a unit"), err);
    return GJ_OK;
}

/* A person of a unit by name (an active link first). */
struct resident {
    int64_t id;
    char phone[GJ_PHONE_BYTES], phone2[GJ_PHONE_BYTES];
    int64_t updated_at, updated_by;
    int link_ended, archived;
};

static int resident_of(struct gj_db *db, int64_t unit_id, const char *name, struct resident *out,
                       struct gj_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "SELECT p.id, coalesce(p.phone, ''), coalesce(p.phone2, ''), p.updated_at, "
        "coalesce(p.updated_by, 0), up.end_at IS NOT NULL, p.archived FROM persons p "
        "JOIN unit_persons up ON up.person_id = p.id WHERE up.unit_id = ? AND p.name = ? "
        "ORDER BY up.end_at IS NOT NULL, up.id DESC LIMIT 1",
        err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        gj_col_text(st, 1, out->phone, sizeof out->phone);
        gj_col_text(st, 2, out->phone2, sizeof out->phone2);
        out->updated_at = sqlite3_column_int64(st, 3);
        out->updated_by = sqlite3_column_int64(st, 4);
        out->link_ended = sqlite3_column_int(st, 5);
        out->archived = sqlite3_column_int(st, 6);
    }
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("finding a resident"), err);
    return GJ_OK;
}

/* The name that sql (one id parameter) reads, or "#id" when there is none. */
static int name_of(struct gj_db *db, const char *sql, int64_t id, char *out, size_t outsz,
                   const char *what, struct gj_error *err)
{
    snprintf(out, outsz, "#%lld", (long long)id);
    sqlite3_stmt *st = gj_db_stmt(db, sql, err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        gj_col_text(st, 0, out, outsz);
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gj_db_fail(db, rc, what, err);
    return GJ_OK;
}

static int person_name_of(struct gj_db *db, int64_t id, char *out, size_t outsz,
                          struct gj_error *err)
{
    return name_of(db, "SELECT name FROM persons WHERE id = ?", id, out, outsz,
                   _("reading a person"), err);
}

/* The name and kind of a department ("" when none). */
static int department_of(struct gj_db *db, int64_t id, char *name, size_t namesz, char *kind,
                         size_t kindsz, struct gj_error *err)
{
    name[0] = kind[0] = '\0';
    if (!id)
        return GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT name, kind FROM departments WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        gj_col_text(st, 0, name, namesz);
        gj_col_text(st, 1, kind, kindsz);
    }
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("reading a department"), err);
    return GJ_OK;
}

/* The name of the (first active) maintenance department. */
static int maintenance_name(struct gj_db *db, char *out, size_t outsz, struct gj_error *err)
{
    snprintf(out, outsz, "%s", _("maintenance"));
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT name FROM departments WHERE kind = 'maintenance' "
                                  "ORDER BY active DESC, id LIMIT 1",
                                  err);
    if (!st)
        return err->code;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        gj_col_text(st, 0, out, outsz);
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("reading a department"), err);
    return GJ_OK;
}

static int staff_name_of(struct gj_db *db, int64_t id, char *out, size_t outsz,
                         struct gj_error *err)
{
    return name_of(db, "SELECT name FROM staff WHERE id = ?", id, out, outsz,
                   _("reading a staff member"), err);
}

/* The work order fields the checkers look at. */
struct order {
    int found;
    int64_t unit_id, department_id, assignee_staff_id;
    char state[GJ_CODE_BYTES];
    int satisfaction;
    char feedback[GJ_NOTE_BYTES];
};

static int order_of(struct gj_db *db, int64_t id, struct order *o, struct gj_error *err)
{
    memset(o, 0, sizeof *o);
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT coalesce(unit_id, 0), state, coalesce(department_id, 0), "
                                  "coalesce(assignee_staff_id, 0), coalesce(satisfaction, 0), "
                                  "coalesce(feedback, '') FROM work_orders WHERE id = ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        o->found = 1;
        o->unit_id = sqlite3_column_int64(st, 0);
        gj_col_text(st, 1, o->state, sizeof o->state);
        o->department_id = sqlite3_column_int64(st, 2);
        o->assignee_staff_id = sqlite3_column_int64(st, 3);
        o->satisfaction = sqlite3_column_int(st, 4);
        gj_col_text(st, 5, o->feedback, sizeof o->feedback);
    }
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("reading a work order"), err);
    return GJ_OK;
}

/* The kind of the latest event of record id recorded by user since, among
 * kind_a and kind_b ("" when none); sql binds id, user, since, kind_a and
 * kind_b in that order. */
static int latest_event(struct gj_db *db, const char *sql, int64_t id, int64_t user_id,
                        int64_t since, const char *kind_a, const char *kind_b, char *kind,
                        size_t kindsz, const char *what, struct gj_error *err)
{
    kind[0] = '\0';
    sqlite3_stmt *st = gj_db_stmt(db, sql, err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, since);
    sqlite3_bind_text(st, 4, kind_a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, kind_b, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        gj_col_text(st, 0, kind, kindsz);
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gj_db_fail(db, rc, what, err);
    return GJ_OK;
}

static int order_event(struct gj_db *db, int64_t order_id, int64_t user_id, int64_t since,
                       const char *kind_a, const char *kind_b, char *kind, size_t kindsz,
                       struct gj_error *err)
{
    return latest_event(db,
                        "SELECT kind FROM work_order_events WHERE work_order_id = ? "
                        "AND user_id = ? AND at >= ? AND kind IN (?, ?) "
                        "ORDER BY at DESC, id DESC LIMIT 1",
                        order_id, user_id, since, kind_a, kind_b, kind, kindsz,
                        _("reading a work order's events"), err);
}

/* The unit a named record must be on; else the sandbox is not the demo
 * estate the situations were written for. */
static int expect_unit(struct gj_db *db, struct fb *f, const char *what, int found, int64_t unit_id,
                       const struct code *want, int *ok, struct gj_error *err)
{
    int64_t want_id = 0;
    int rc = unit_id_of(db, want, &want_id, err);
    if (rc != GJ_OK)
        return rc;
    *ok = found && want_id && unit_id == want_id;
    if (!*ok) {
        char code[24];
        code_text(want, code, sizeof code);
        fb_add(f, WRONG,
               _("%s is not the one on %s: this sandbox is not the practice estate. Make a "
                 "fresh sandbox and try again."),
               what, code);
    }
    return GJ_OK;
}

/* ---- judging what the trainee wrote ------------------------------------------------- */

/* What a candidate is judged against. */
struct want {
    int64_t unit_id;   /* the unit of the situation */
    int64_t person_id; /* the person of the situation on it; 0 when none or not found */
    int64_t since;     /* when the task was given */
};

/* The records a checker judges: those the trainee wrote since the task was
 * given, read one by one and each judged against the situation. */
struct candidates {
    const char *sql; /* ?1 the user, ?2 since, ?3 the limit; the newest first */
    size_t row_size;
    void (*read)(sqlite3_stmt *st, void *row); /* a gj_step_rows reader */
    int (*judge)(struct gj_db *db, const void *row, const struct want *w, struct fb *f,
                 struct gj_error *err);
    const struct code *unit; /* the unit of the situation */
    const char *person;      /* the name of its person, or NULL */
    const char *reading;     /* msgid: reading them, for an error */
    const char *none;        /* msgid: the feedback when there are none */
};

/* Reads the candidates into rows (room for CANDIDATES of c->row_size) and
 * gives the feedback of the one that comes closest: the fewest wrong lines,
 * the newest first. 1 when it has nothing wrong, else 0, or minus an error. */
static int check_candidates(struct gj_db *db, const struct candidates *c, int64_t since,
                            int64_t user_id, void *rows, char *feedback, size_t fbsz,
                            struct gj_error *err)
{
    struct fb f;
    fb_start(&f, feedback, fbsz);
    struct want w = {0, 0, since};
    TRY(unit_id_of(db, c->unit, &w.unit_id, err));
    if (c->person) {
        struct resident r;
        TRY(resident_of(db, w.unit_id, c->person, &r, err));
        w.person_id = r.id;
    }
    int n = 0;
    TRY(gj_query_rows(db, c->sql, user_id, since, CANDIDATES, rows, c->row_size, c->read, &n,
                      _(c->reading), err));
    if (n == 0) {
        fb_add(&f, WRONG, "%s", _(c->none));
        return 0;
    }
    char best[4096], trial[4096];
    int best_wrong = -1;
    for (int i = 0; i < n; i++) {
        struct fb t;
        fb_start(&t, trial, sizeof trial);
        TRY(c->judge(db, (const char *)rows + (size_t)i * c->row_size, &w, &t, err));
        if (best_wrong < 0 || t.wrong < best_wrong) {
            best_wrong = t.wrong;
            memcpy(best, trial, sizeof best);
        }
    }
    fb_append(&f, best);
    return best_wrong == 0 ? 1 : 0;
}

/* ---- 4.1 update an owner's record ------------------------------------------------- */

static int check_owner_update(struct gj_db *db, int64_t since, int64_t user_id, char *feedback,
                              size_t fbsz, struct gj_error *err)
{
    struct fb f;
    fb_start(&f, feedback, fbsz);
    char code[24];
    code_text(&OWNER_UNIT, code, sizeof code);
    int64_t unit_id;
    TRY(unit_id_of(db, &OWNER_UNIT, &unit_id, err));
    struct resident r;
    TRY(resident_of(db, unit_id, OWNER_NAME, &r, err));
    if (!r.id) {
        fb_add(&f, WRONG, _("李梅 is no longer in the household of %s under her name."), code);
        return 0;
    }
    int changed = r.updated_at >= since && r.updated_by == user_id;
    if (strcmp(r.phone, OWNER_NEW_PHONE) == 0 && changed)
        fb_add(&f, RIGHT, _("李梅's phone is now %s."), OWNER_NEW_PHONE);
    else if (strcmp(r.phone, OWNER_NEW_PHONE) == 0)
        fb_add(&f, WRONG, _("李梅's phone was not changed after the task was given."));
    else if (strcmp(r.phone2, OWNER_NEW_PHONE) == 0)
        fb_add(&f, WRONG,
               _("The new number went into 李梅's second phone; it replaces her phone, %s, "
                 "which is no longer in use."),
               r.phone);
    else if (changed)
        fb_add(&f, WRONG, _("李梅's phone is %s, not %s: check the digits."),
               r.phone[0] ? r.phone : "\xE2\x80\x94", OWNER_NEW_PHONE);
    else
        fb_add(&f, WRONG, _("李梅's phone is still %s: her record has not been changed."),
               r.phone[0] ? r.phone : "\xE2\x80\x94");
    if (r.link_ended)
        fb_add(&f, WRONG,
               _("李梅's link to %s was ended; she still lives there, only her phone changed."),
               code);
    if (r.archived)
        fb_add(&f, WRONG, _("李梅's record was archived; only her phone changed."));

    /* The number written to somebody else (or to a new, second 李梅). */
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT id, name FROM persons WHERE (phone = ?1 OR phone2 = ?1) "
                                  "AND id <> ?2 AND updated_at >= ?3 AND updated_by = ?4 "
                                  "ORDER BY updated_at DESC, id DESC LIMIT 1",
                                  err);
    if (!st)
        return -err->code;
    sqlite3_bind_text(st, 1, OWNER_NEW_PHONE, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r.id);
    sqlite3_bind_int64(st, 3, since);
    sqlite3_bind_int64(st, 4, user_id);
    int rc = sqlite3_step(st);
    char other[GJ_NAME_BYTES] = "";
    if (rc == SQLITE_ROW)
        gj_col_text(st, 1, other, sizeof other);
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -gj_db_fail(db, rc, _("finding a phone number"), err);
    if (other[0] && strcmp(other, OWNER_NAME) == 0)
        fb_add(&f, WRONG,
               _("A second 李梅 was added with the new number: edit the 李梅 already on %s "
                 "instead (e)."),
               code);
    else if (other[0])
        fb_add(&f, WRONG, _("The new number was written to %s, not to 李梅."), other);
    return fb_result(&f);
}

/* ---- 1.2 intake and classify a request -------------------------------------------- */

/* A request or a complaint as taken: id, unit, person, channel, category,
 * and its priority or grade. */
struct taken_row {
    int64_t id, unit_id, person_id;
    char channel[GJ_CODE_BYTES], category[GJ_CODE_BYTES], level[GJ_CODE_BYTES];
};

static void read_taken_row(sqlite3_stmt *st, void *row)
{
    struct taken_row *t = row;
    t->id = sqlite3_column_int64(st, 0);
    t->unit_id = sqlite3_column_int64(st, 1);
    t->person_id = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, t->channel, sizeof t->channel);
    gj_col_text(st, 4, t->category, sizeof t->category);
    gj_col_text(st, 5, t->level, sizeof t->level);
}

static int judge_intake(struct gj_db *db, const void *row, const struct want *target, struct fb *f,
                        struct gj_error *err)
{
    const struct taken_row *w = row;
    int64_t unit_id = target->unit_id, caller_id = target->person_id;
    char want[24], got[24];
    code_text(&INTAKE_UNIT, want, sizeof want);
    if (w->unit_id == unit_id) {
        fb_add(f, RIGHT, _("Work order #%lld is on %s."), (long long)w->id, want);
    } else {
        int rc = unit_code_of(db, w->unit_id, got, sizeof got, err);
        if (rc != GJ_OK)
            return rc;
        fb_add(f, WRONG, _("Work order #%lld is on %s, but 李四 rents %s."), (long long)w->id, got,
               want);
    }
    if (strcmp(w->category, "repair") == 0)
        fb_add(f, RIGHT, _("Category: %s."), category_label(w->category));
    else
        fb_add(f, WRONG, _("The category is %s: water dripping from a ceiling is a matter of %s."),
               category_label(w->category), category_label("repair"));
    if (strcmp(w->level, "urgent") == 0 || strcmp(w->level, "high") == 0)
        fb_add(f, RIGHT, _("Priority: %s."), priority_label(w->level));
    else
        fb_add(f, WRONG,
               _("Priority %s is too low: a leak through the ceiling keeps damaging the flat and "
                 "can reach the wiring; it is urgent or high."),
               priority_label(w->level));
    if (strcmp(w->channel, "phone") == 0)
        fb_add(f, RIGHT, _("Channel: %s."), channel_label(w->channel));
    else
        fb_add(f, WRONG, _("The channel is %s, but 李四 phoned."), channel_label(w->channel));
    if (w->unit_id != unit_id) {
        /* The wrong household: its person is part of the same mistake. */
    } else if (caller_id && w->person_id == caller_id) {
        fb_add(f, RIGHT, _("The caller 李四 is linked to the order."));
    } else if (!w->person_id) {
        fb_add(f, TIP,
               _("Typing the caller's phone (13900139000) in the unit field links 李四 to the "
                 "order, so the technician knows whom to call."));
    } else {
        char name[GJ_NAME_BYTES];
        int rc = person_name_of(db, w->person_id, name, sizeof name, err);
        if (rc != GJ_OK)
            return rc;
        fb_add(f, WRONG, _("The order is linked to %s, but the caller was the tenant 李四."), name);
    }
    return GJ_OK;
}

static int check_intake(struct gj_db *db, int64_t since, int64_t user_id, char *feedback,
                        size_t fbsz, struct gj_error *err)
{
    static const struct candidates orders = {
        "SELECT id, coalesce(unit_id, 0), coalesce(person_id, 0), "
        "channel, category, priority FROM work_orders "
        "WHERE created_by = ? AND created_at >= ? "
        "ORDER BY created_at DESC, id DESC LIMIT ?",
        sizeof(struct taken_row),
        read_taken_row,
        judge_intake,
        &INTAKE_UNIT,
        INTAKE_CALLER,
        N_("reading work orders"),
        N_("No work order was taken since the task was given."),
    };
    struct taken_row rows[CANDIDATES];
    return check_candidates(db, &orders, since, user_id, rows, feedback, fbsz, err);
}

/* ---- 4.2 dispatch a work order ---------------------------------------------------- */

static int check_dispatch(struct gj_db *db, int64_t since, int64_t user_id, char *feedback,
                          size_t fbsz, struct gj_error *err)
{
    struct fb f;
    fb_start(&f, feedback, fbsz);
    struct order o;
    TRY(order_of(db, DISPATCH_ORDER, &o, err));
    char what[64];
    snprintf(what, sizeof what, _("Work order #%d"), DISPATCH_ORDER);
    int ok;
    TRY(expect_unit(db, &f, what, o.found, o.unit_id, &DISPATCH_UNIT, &ok, err));
    if (!ok)
        return 0;
    char kind[GJ_CODE_BYTES];
    TRY(order_event(db, DISPATCH_ORDER, user_id, since, "dispatched", "dispatched", kind,
                    sizeof kind, err));
    if (!kind[0]) {
        if (strcmp(o.state, "new") == 0)
            fb_add(&f, WRONG, _("Work order #%d has not been dispatched yet."), DISPATCH_ORDER);
        else
            fb_add(&f, WRONG,
                   _("Work order #%d is %s, but you have not dispatched it since the "
                     "task was given."),
                   DISPATCH_ORDER, gj_wo_state_label(o.state));
        return 0;
    }
    char name[GJ_NAME_BYTES], dkind[GJ_CODE_BYTES], maint[GJ_NAME_BYTES];
    TRY(department_of(db, o.department_id, name, sizeof name, dkind, sizeof dkind, err));
    TRY(maintenance_name(db, maint, sizeof maint, err));
    if (strcmp(dkind, "maintenance") == 0)
        fb_add(&f, RIGHT,
               _("Work order #%d was dispatched to %s: a broken lock is work for "
                 "maintenance."),
               DISPATCH_ORDER, name);
    else
        fb_add(&f, WRONG,
               _("Work order #%d went to %s: a broken door lock is a repair for the maintenance "
                 "department (%s)."),
               DISPATCH_ORDER, name[0] ? name : "\xE2\x80\x94", maint);
    if (strcmp(o.state, "cancelled") == 0)
        fb_add(&f, WRONG,
               _("Work order #%d was cancelled afterwards: 邹然 still cannot open his "
                 "door."),
               DISPATCH_ORDER);
    if (o.assignee_staff_id) {
        char staff[GJ_NAME_BYTES];
        TRY(staff_name_of(db, o.assignee_staff_id, staff, sizeof staff, err));
        fb_add(&f, RIGHT, _("The technician is %s."), staff);
    } else {
        fb_add(&f, TIP, _("Naming the technician as well tells the department who goes."));
    }
    return fb_result(&f);
}

/* ---- 2.3 follow up and close with feedback ---------------------------------------- */

static int check_close_feedback(struct gj_db *db, int64_t since, int64_t user_id, char *feedback,
                                size_t fbsz, struct gj_error *err)
{
    struct fb f;
    fb_start(&f, feedback, fbsz);
    struct order o;
    TRY(order_of(db, CLOSE_ORDER, &o, err));
    char what[64];
    snprintf(what, sizeof what, _("Work order #%d"), CLOSE_ORDER);
    int ok;
    TRY(expect_unit(db, &f, what, o.found, o.unit_id, &CLOSE_UNIT, &ok, err));
    if (!ok)
        return 0;
    char kind[GJ_CODE_BYTES];
    TRY(order_event(db, CLOSE_ORDER, user_id, since, "closed", "reopened", kind, sizeof kind, err));
    if (!kind[0]) {
        if (strcmp(o.state, "resolved") == 0)
            fb_add(&f, WRONG,
                   _("Work order #%d is still resolved: close it with 罗勇刚's rating and "
                     "comment."),
                   CLOSE_ORDER);
        else
            fb_add(&f, WRONG,
                   _("Work order #%d is %s, but you have not closed it since the task "
                     "was given."),
                   CLOSE_ORDER, gj_wo_state_label(o.state));
        return 0;
    }
    if (strcmp(kind, "reopened") == 0) {
        fb_add(&f, WRONG,
               _("Work order #%d was reopened: a rating of 2 or less sends it back to work, but "
                 "罗勇刚 rated it %d."),
               CLOSE_ORDER, CLOSE_RATING);
        return 0;
    }
    if (strcmp(o.state, "closed") != 0)
        fb_add(&f, WRONG, _("Work order #%d is %s now, not closed."), CLOSE_ORDER,
               gj_wo_state_label(o.state));
    if (o.satisfaction == CLOSE_RATING)
        fb_add(&f, RIGHT, _("Closed with 罗勇刚's rating of %d."), CLOSE_RATING);
    else
        fb_add(&f, WRONG, _("The rating recorded is %d, but 罗勇刚 gave %d."), o.satisfaction,
               CLOSE_RATING);
    if (gj_text_present(o.feedback))
        fb_add(&f, RIGHT, _("His comment is recorded: %s"), o.feedback);
    else
        fb_add(&f, WRONG, _("His comment is missing: write down what he said about the plumber."));
    return fb_result(&f);
}

/* ---- 1.3 take a fee payment -------------------------------------------------------- */

struct pay_row {
    int64_t id, receipt_no, unit_id, amount_fen;
    char method[GJ_CODE_BYTES];
};

static void read_pay_row(sqlite3_stmt *st, void *row)
{
    struct pay_row *p = row;
    p->id = sqlite3_column_int64(st, 0);
    p->receipt_no = sqlite3_column_int64(st, 1);
    p->unit_id = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, p->method, sizeof p->method);
    p->amount_fen = sqlite3_column_int64(st, 4);
}

static int count_of(struct gj_db *db, sqlite3_stmt *st, int64_t *n, struct gj_error *err)
{
    *n = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("counting records"), err);
    return GJ_OK;
}

static int judge_payment(struct gj_db *db, const void *row, const struct want *w, struct fb *f,
                         struct gj_error *err)
{
    const struct pay_row *p = row;
    int64_t unit_id = w->unit_id;
    char no[32], want[24], got[24], money[32], right[32];
    gj_receipt_format(p->receipt_no, "SJ", no, sizeof no);
    code_text(&FEE_UNIT, want, sizeof want);
    if (p->unit_id == unit_id) {
        fb_add(f, RIGHT, _("Receipt %s is for %s."), no, want);
    } else {
        int rc = unit_code_of(db, p->unit_id, got, sizeof got, err);
        if (rc != GJ_OK)
            return rc;
        fb_add(f, WRONG, _("Receipt %s went to %s, but 赵六 owns %s."), no, got, want);
    }
    gj_money_format(p->amount_fen, money, sizeof money);
    gj_money_format(PAYMENT_FEN, right, sizeof right);
    if (p->amount_fen == PAYMENT_FEN)
        fb_add(f, RIGHT, _("Amount: %s."), money);
    else
        fb_add(f, WRONG, _("The amount is %s, but 赵六 paid %s."), money, right);
    if (strcmp(p->method, PAYMENT_METHOD) == 0)
        fb_add(f, RIGHT, _("Method: %s."), gj_payment_method_label(p->method));
    else
        fb_add(f, WRONG, _("The method is %s, but 赵六 paid by %s."),
               gj_payment_method_label(p->method), gj_payment_method_label(PAYMENT_METHOD));
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT count(*) FROM payments WHERE reverses_payment_id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, p->id);
    int64_t reversed;
    int rc = count_of(db, st, &reversed, err);
    if (rc != GJ_OK)
        return rc;
    if (reversed)
        fb_add(f, WRONG, _("Receipt %s was reversed afterwards, so the money is not on record."),
               no);
    st = gj_db_stmt(db, "SELECT count(*) FROM receipt_prints WHERE payment_id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, p->id);
    int64_t prints;
    rc = count_of(db, st, &prints, err);
    if (rc != GJ_OK)
        return rc;
    if (prints)
        fb_add(f, RIGHT, _("The receipt was printed for 赵六."));
    else
        fb_add(f, WRONG,
               _("No receipt was printed for receipt %s: 赵六 must get his receipt (r "
                 "prints it)."),
               no);
    return GJ_OK;
}

static int check_payment(struct gj_db *db, int64_t since, int64_t user_id, char *feedback,
                         size_t fbsz, struct gj_error *err)
{
    static const struct candidates payments = {
        "SELECT id, receipt_no, unit_id, method, amount_fen FROM payments "
        "WHERE created_by = ? AND created_at >= ? "
        "AND reverses_payment_id IS NULL "
        "ORDER BY created_at DESC, id DESC LIMIT ?",
        sizeof(struct pay_row),
        read_pay_row,
        judge_payment,
        &FEE_UNIT,
        NULL,
        N_("reading payments"),
        N_("No payment was taken since the task was given."),
    };
    struct pay_row rows[CANDIDATES];
    return check_candidates(db, &payments, since, user_id, rows, feedback, fbsz, err);
}

/* ---- 1.3 record a dunning contact --------------------------------------------------- */

struct dun_row {
    int64_t unit_id, promised_at, promised_fen;
    char channel[GJ_CODE_BYTES], result[GJ_CODE_BYTES];
};

static void read_dun_row(sqlite3_stmt *st, void *row)
{
    struct dun_row *d = row;
    d->unit_id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, d->channel, sizeof d->channel);
    gj_col_text(st, 2, d->result, sizeof d->result);
    d->promised_at = sqlite3_column_int64(st, 3);
    d->promised_fen = sqlite3_column_int64(st, 4);
}

static int judge_dunning(struct gj_db *db, const void *row, const struct want *w, struct fb *f,
                         struct gj_error *err)
{
    const struct dun_row *d = row;
    int64_t unit_id = w->unit_id, since = w->since;
    char want[24], got[24];
    code_text(&FEE_UNIT, want, sizeof want);
    if (d->unit_id == unit_id) {
        fb_add(f, RIGHT, _("The contact is recorded on %s."), want);
    } else {
        int rc = unit_code_of(db, d->unit_id, got, sizeof got, err);
        if (rc != GJ_OK)
            return rc;
        fb_add(f, WRONG, _("The contact is recorded on %s, but 赵六 owns %s."), got, want);
    }
    if (strcmp(d->channel, "phone") == 0)
        fb_add(f, RIGHT, _("Channel: %s."), dunning_channel_label(d->channel));
    else
        fb_add(f, WRONG, _("The channel is %s, but you phoned 赵六."),
               dunning_channel_label(d->channel));
    if (strcmp(d->result, "promised") == 0)
        fb_add(f, RIGHT, _("Result: %s."), dunning_result_label(d->result));
    else
        fb_add(f, WRONG, _("The result is %s, but 赵六 promised to pay."),
               dunning_result_label(d->result));
    if (strcmp(d->result, "promised") != 0)
        return GJ_OK; /* only a promise has a date */
    int64_t first = gj_day_start(since), last = gj_day_start(since + 8 * DAY);
    char date[32];
    gj_format_date(d->promised_at, date, sizeof date);
    if (d->promised_at < first)
        fb_add(f, WRONG, _("The promised date %s is before the day of the call."), date);
    else if (d->promised_at >= last)
        fb_add(f, WRONG,
               _("The promised date %s is more than a week away: he promised to pay within five "
                 "days."),
               date);
    else
        fb_add(f, RIGHT, _("He promised to pay by %s."), date);
    if (!d->promised_fen)
        fb_add(f, TIP,
               _("Noting the amount he promised (all he owes) helps whoever follows the promise "
                 "up."));
    return GJ_OK;
}

static int check_dunning(struct gj_db *db, int64_t since, int64_t user_id, char *feedback,
                         size_t fbsz, struct gj_error *err)
{
    static const struct candidates contacts = {
        "SELECT unit_id, channel, result, coalesce(promised_at, 0), "
        "coalesce(promised_fen, 0) FROM dunning_contacts "
        "WHERE user_id = ? AND at >= ? ORDER BY at DESC, id DESC LIMIT ?",
        sizeof(struct dun_row),
        read_dun_row,
        judge_dunning,
        &FEE_UNIT,
        NULL,
        N_("reading dunning contacts"),
        N_("No dunning contact was recorded since the task was given."),
    };
    struct dun_row rows[CANDIDATES];
    return check_candidates(db, &contacts, since, user_id, rows, feedback, fbsz, err);
}

/* ---- 5.1 register and grade a complaint -------------------------------------------- */

static int judge_complaint(struct gj_db *db, const void *row, const struct want *w, struct fb *f,
                           struct gj_error *err)
{
    const struct taken_row *c = row;
    int64_t unit_id = w->unit_id, owner_id = w->person_id;
    char want[24], got[24];
    code_text(&COMPLAINT_UNIT, want, sizeof want);
    if (c->unit_id == unit_id) {
        fb_add(f, RIGHT, _("Complaint #%lld is on %s."), (long long)c->id, want);
    } else {
        int rc = unit_code_of(db, c->unit_id, got, sizeof got, err);
        if (rc != GJ_OK)
            return rc;
        fb_add(f, WRONG, _("Complaint #%lld is on %s, but 曾单 owns %s."), (long long)c->id, got,
               want);
    }
    if (strcmp(c->category, "attitude") == 0)
        fb_add(f, RIGHT, _("Category: %s."), gj_complaint_category_label(c->category));
    else
        fb_add(f, WRONG,
               _("The category is %s: a guard who shouts at an owner is a complaint "
                 "about %s."),
               gj_complaint_category_label(c->category), gj_complaint_category_label("attitude"));
    if (strcmp(c->level, "moderate") == 0)
        fb_add(f, RIGHT,
               _("Grade: %s. A staff member insulting an owner in front of others is "
                 "more than a minor matter."),
               gj_complaint_grade_label(c->level));
    else if (strcmp(c->level, "minor") == 0)
        fb_add(f, WRONG,
               _("Graded %s, but the guard insulted 曾单 in front of his neighbours: that is %s."),
               gj_complaint_grade_label(c->level), gj_complaint_grade_label("moderate"));
    else
        fb_add(f, WRONG,
               _("Graded %s, but nobody was hurt and nothing was lost or damaged: %s is right."),
               gj_complaint_grade_label(c->level), gj_complaint_grade_label("moderate"));
    if (strcmp(c->channel, "walk_in") == 0)
        fb_add(f, RIGHT, _("Channel: %s."), channel_label(c->channel));
    else
        fb_add(f, WRONG, _("The channel is %s, but 曾单 came to the service centre (%s)."),
               channel_label(c->channel), channel_label("walk_in"));
    if (c->unit_id != unit_id) {
        /* The wrong household: its person is part of the same mistake. */
    } else if (owner_id && c->person_id == owner_id)
        fb_add(f, RIGHT, _("曾单 is linked as the complainant."));
    else if (!c->person_id)
        fb_add(f, TIP,
               _("Typing his phone (13500135000) instead of the unit code links 曾单 to the "
                 "complaint, for the revisit."));
    else {
        char name[GJ_NAME_BYTES];
        int rc = person_name_of(db, c->person_id, name, sizeof name, err);
        if (rc != GJ_OK)
            return rc;
        fb_add(f, WRONG, _("The complainant is %s, but it was 曾单 who complained."), name);
    }
    return GJ_OK;
}

static int check_complaint(struct gj_db *db, int64_t since, int64_t user_id, char *feedback,
                           size_t fbsz, struct gj_error *err)
{
    static const struct candidates complaints = {
        "SELECT id, coalesce(unit_id, 0), coalesce(person_id, 0), "
        "channel, category, grade FROM complaints "
        "WHERE created_by = ? AND created_at >= ? "
        "ORDER BY created_at DESC, id DESC LIMIT ?",
        sizeof(struct taken_row),
        read_taken_row,
        judge_complaint,
        &COMPLAINT_UNIT,
        COMPLAINT_NAME,
        N_("reading complaints"),
        N_("No complaint was registered since the task was given."),
    };
    struct taken_row rows[CANDIDATES];
    return check_candidates(db, &complaints, since, user_id, rows, feedback, fbsz, err);
}

/* ---- 5.3 revisit a resolved complaint ---------------------------------------------- */

static int check_revisit(struct gj_db *db, int64_t since, int64_t user_id, char *feedback,
                         size_t fbsz, struct gj_error *err)
{
    struct fb f;
    fb_start(&f, feedback, fbsz);
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT coalesce(unit_id, 0), state, coalesce(satisfaction, 0), "
                                  "coalesce(revisit_comment, '') FROM complaints WHERE id = ?",
                                  err);
    if (!st)
        return -err->code;
    sqlite3_bind_int64(st, 1, REVISIT_COMPLAINT);
    int rc = sqlite3_step(st);
    int found = rc == SQLITE_ROW, satisfaction = 0;
    int64_t unit_id = 0;
    char state[GJ_CODE_BYTES] = "", comment[GJ_NOTE_BYTES] = "";
    if (found) {
        unit_id = sqlite3_column_int64(st, 0);
        gj_col_text(st, 1, state, sizeof state);
        satisfaction = sqlite3_column_int(st, 2);
        gj_col_text(st, 3, comment, sizeof comment);
    }
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -gj_db_fail(db, rc, _("reading a complaint"), err);
    char what[64];
    snprintf(what, sizeof what, _("Complaint #%d"), REVISIT_COMPLAINT);
    int ok;
    TRY(expect_unit(db, &f, what, found, unit_id, &REVISIT_UNIT, &ok, err));
    if (!ok)
        return 0;
    char kind[GJ_CODE_BYTES];
    TRY(latest_event(db,
                     "SELECT kind FROM complaint_events WHERE complaint_id = ? AND user_id = ? "
                     "AND at >= ? AND kind IN (?, ?) ORDER BY at DESC, id DESC LIMIT 1",
                     REVISIT_COMPLAINT, user_id, since, "revisited", "reopened", kind, sizeof kind,
                     _("reading a complaint's events"), err));
    if (!kind[0]) {
        fb_add(&f, WRONG, _("No revisit of complaint #%d was recorded since the task was given."),
               REVISIT_COMPLAINT);
        return 0;
    }
    if (strcmp(kind, "reopened") == 0)
        fb_add(&f, WRONG,
               _("Complaint #%d was reopened by a rating of %d, but 孟怡 is satisfied: she rated "
                 "it %d."),
               REVISIT_COMPLAINT, satisfaction, REVISIT_RATING);
    else if (satisfaction == REVISIT_RATING)
        fb_add(&f, RIGHT, _("The revisit is recorded with 孟怡's satisfaction of %d."),
               REVISIT_RATING);
    else
        fb_add(&f, WRONG, _("The satisfaction recorded is %d, but 孟怡 said %d."), satisfaction,
               REVISIT_RATING);
    if (gj_text_present(comment))
        fb_add(&f, RIGHT, _("Her words are recorded: %s"), comment);
    else
        fb_add(&f, TIP, _("Writing down what she said helps whoever reads the complaint next."));
    if (strcmp(state, "closed") == 0)
        fb_add(&f, RIGHT, _("Complaint #%d is closed."), REVISIT_COMPLAINT);
    return fb_result(&f);
}

/* ---- 3.3 refuse to give out an owner's phone number -------------------------------- */

/* ASCII letters in lower case; other bytes as they are. */
static void lower_ascii(const char *s, char *out, size_t outsz)
{
    size_t i = 0;
    for (; s[i] && i + 1 < outsz; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
}

/* Whether the text says the number was not given. */
static int says_refused(const char *text)
{
    static const char *const words[] = {
        "拒绝",        "婉拒",      "谢绝",        "未提供",     "不提供",     "没有提供",
        "没提供",      "不能提供",  "无法提供",    "不便提供",   "未告知",     "不告知",
        "没有告知",    "没告知",    "不能告知",    "未透露",     "不透露",     "没有透露",
        "不能透露",    "不便透露",  "保密",        "隐私",       "refus",      "declin",
        "not give",    "not given", "didn't give", "won't give", "can't give", "cannot give",
        "not disclos", "withheld",  "privacy",     NULL};
    size_t n = strlen(text) + 1;
    char *low = malloc(n);
    if (!low)
        return 0;
    lower_ascii(text, low, n);
    int found = 0;
    for (size_t i = 0; words[i] && !found; i++)
        found = strstr(low, words[i]) != NULL;
    free(low);
    return found;
}

struct contact_row {
    int64_t id, unit_id, person_id;
    char channel[GJ_CODE_BYTES];
    char text[GJ_NOTE_BYTES * 2 + 2]; /* summary, newline, result */
};

#define CONTACTS (CANDIDATES * 2)

static void read_contact_row(sqlite3_stmt *st, void *row)
{
    struct contact_row *r = row;
    r->id = sqlite3_column_int64(st, 0);
    r->unit_id = sqlite3_column_int64(st, 1);
    r->person_id = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, r->channel, sizeof r->channel);
    const unsigned char *summary = sqlite3_column_text(st, 4);
    const unsigned char *result = sqlite3_column_text(st, 5);
    snprintf(r->text, sizeof r->text, "%s\n%s", summary ? (const char *)summary : "",
             result ? (const char *)result : "");
}

static int judge_privacy(struct gj_db *db, const struct contact_row *rows, int n, int64_t unit_id,
                         const struct resident *owner, struct fb *f, struct gj_error *err)
{
    char code[24];
    code_text(&PRIVACY_UNIT, code, sizeof code);
    /* The number as the estate knows it, and as the situation gives it. */
    const char *numbers[] = {PRIVACY_PHONE, owner->phone, owner->phone2};
    int leaked = 0;
    for (int k = 0; k < 3; k++) {
        size_t len = strlen(numbers[k]);
        if (len < 4)
            continue;
        const char *last4 = numbers[k] + len - 4;
        for (int i = 0; i < n && !leaked; i++)
            leaked = strstr(rows[i].text, numbers[k]) || strstr(rows[i].text, last4);
    }
    /* The entry about the call: on the unit (or on 张三), saying it was refused. */
    int on_unit = -1, refused = -1;
    for (int i = 0; i < n; i++) {
        if (rows[i].unit_id != unit_id && !(owner->id && rows[i].person_id == owner->id))
            continue;
        if (on_unit < 0)
            on_unit = i;
        if (refused < 0 && says_refused(rows[i].text))
            refused = i;
    }
    if (on_unit < 0) {
        char got[24];
        int rc = unit_code_of(db, rows[0].unit_id, got, sizeof got, err);
        if (rc != GJ_OK)
            return rc;
        fb_add(f, WRONG, _("The call is logged on %s, but the caller asked about 张三 of %s."), got,
               code);
    } else if (refused < 0) {
        fb_add(f, WRONG,
               _("The entry on %s does not say that the number was asked for and not given: "
                 "write that you declined, for his privacy."),
               code);
    } else {
        fb_add(f, RIGHT, _("The entry on %s records that the number was asked for and refused."),
               code);
        if (strcmp(rows[refused].channel, "phone") == 0)
            fb_add(f, RIGHT, _("Channel: %s."), channel_label(rows[refused].channel));
        else
            fb_add(f, WRONG, _("The channel is %s, but the caller phoned."),
                   channel_label(rows[refused].channel));
    }
    if (leaked)
        fb_add(f, WRONG,
               _("The log holds 张三's phone number (or its last four digits): never write down "
                 "what you refused to give; the log is read by many."));
    else
        fb_add(f, RIGHT, _("张三's number appears nowhere in what you wrote."));
    return GJ_OK;
}

static int check_privacy(struct gj_db *db, int64_t since, int64_t user_id, char *feedback,
                         size_t fbsz, struct gj_error *err)
{
    struct fb f;
    fb_start(&f, feedback, fbsz);
    int64_t unit_id;
    TRY(unit_id_of(db, &PRIVACY_UNIT, &unit_id, err));
    struct resident owner;
    TRY(resident_of(db, unit_id, PRIVACY_NAME, &owner, err));
    struct contact_row *rows = calloc(CONTACTS, sizeof *rows);
    if (!rows)
        return -gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    int n = 0;
    /* Up to CONTACTS entries written by user since, newest first. */
    int rc = gj_query_rows(db,
                           "SELECT id, coalesce(unit_id, 0), coalesce(person_id, 0), "
                           "channel, summary, coalesce(result, '') FROM contact_log "
                           "WHERE user_id = ? AND at >= ? ORDER BY at DESC, id DESC LIMIT ?",
                           user_id, since, CONTACTS, rows, sizeof *rows, read_contact_row, &n,
                           _("reading the contact log"), err);
    if (rc == GJ_OK && n == 0) {
        char code[24];
        code_text(&PRIVACY_UNIT, code, sizeof code);
        fb_add(&f, WRONG,
               _("No contact was recorded since the task was given: log the call on %s."), code);
    } else if (rc == GJ_OK) {
        rc = judge_privacy(db, rows, n, unit_id, &owner, &f, err);
    }
    free(rows);
    if (rc != GJ_OK)
        return -rc;
    return n ? fb_result(&f) : 0;
}

/* ---- the list ------------------------------------------------------------------------ */

const struct gj_practice_task gj_practice_tasks[] = {
    {"owner-update", "4.1", N_("Update an owner's record"),
     N_("李梅, of the household of 张三 at 3-2-501, comes to the service centre: she has a new "
        "mobile number, 13912345678, and her old one is no longer in use. Update her record."),
     N_("Owners (1): / and type 3-2-501, Enter opens the unit; select 李梅, press e, change "
        "the phone and save with F10."),
     check_owner_update},
    {"intake", "1.2", N_("Take and classify a request"),
     N_("李四, the tenant of 5-1-302, phones the front desk: water is dripping from the bathroom "
        "ceiling onto the washbasin, faster and faster. Take the request as a work order and "
        "classify it."),
     N_("Work orders (2): n takes a request. Type the caller's phone or the unit code, then "
        "choose the channel, the category and the priority; F10 saves."),
     check_intake},
    {"dispatch", "4.2", N_("Dispatch a work order"),
     N_("Work order #397 from 邹然 of 6-1-802 waits in the queue, not yet dispatched: the lock "
        "cylinder of his front door is broken and the key will not turn. Send it to the "
        "department that does this work."),
     N_("Work orders (2): find #397 in the queue, Enter opens it, d dispatches it: choose the "
        "department, and the technician if you know who goes."),
     check_dispatch},
    {"close-feedback", "2.3", N_("Follow up and close with feedback"),
     N_("Work order #328 (2-1-102, the kitchen drain was blocked) has been marked resolved by "
        "maintenance. You call the owner 罗勇刚 back: the drain works again, and he rates the "
        "service 4 out of 5: \"the plumber came quickly, but left some mess under the sink\". "
        "Close the order with his rating and his comment."),
     N_("Work orders (2): f switches the queue to the resolved orders; Enter opens #328, c "
        "closes it with the owner's rating and comment."),
     check_close_feedback},
    {"payment", "1.3", N_("Take a fee payment"),
     N_("赵六, the owner of 2-1-1201, who is behind with his property fees, comes to the front "
        "desk and pays ¥500 by WeChat towards what he owes. Take the payment and give him his "
        "receipt."),
     N_("Fees (3): u finds the unit 2-1-1201, p takes a payment (the method and the amount; the "
        "oldest bills are settled first). The receipt is printed when you save."),
     check_payment},
    {"dunning", "1.3", N_("Record a dunning contact"),
     N_("You phone 赵六, the owner of 2-1-1201, about six months of unpaid fees. He apologises, "
        "says he has been away on business, and promises to pay everything within five days. "
        "Record the call."),
     N_("Fees (3): u finds 2-1-1201, d records a dunning contact: the channel, the result and the "
        "promised date (YYYY-MM-DD)."),
     check_dunning},
    {"complaint", "5.1", N_("Register and grade a complaint"),
     N_("曾单, the owner of 1-1-101, walks into the service centre, upset: last night at about "
        "eleven he asked the security guard at the north gate to lift the car barrier, and the "
        "guard shouted at him and insulted him in front of his neighbours. He wants an apology. "
        "Register his complaint with the right category and grade."),
     N_("Complaints (4): n registers a complaint: the unit (or his phone), the channel, a "
        "subject, the category and the grade; F10 saves."),
     check_complaint},
    {"revisit", "5.3", N_("Revisit a resolved complaint"),
     N_("Complaint #41 from 孟怡 of 8-2-102 (her bathroom leaked again after a repair) has been "
        "resolved: maintenance came back and redid the repair. You call her back: the bathroom "
        "has stayed dry for a week, and she is satisfied and rates the handling 4 out of 5. "
        "Record the revisit."),
     N_("Complaints (4): f shows the complaints waiting for the revisit; Enter opens #41, v "
        "records the revisit with her rating and what she said."),
     check_revisit},
    {"privacy", "3.3", N_("Protect an owner's privacy"),
     N_("A caller says he is an old friend of 张三 of 3-2-501 and has lost his number; he asks "
        "you for 张三's mobile number. Handle the call as the privacy rules require, and record "
        "it in the contact log of 3-2-501."),
     N_("Never give out an owner's number: offer to pass the caller's message on instead. "
        "Owners (1): open 3-2-501, c records a contact: say that the number was asked for and "
        "not given, without writing the number itself."),
     check_privacy},
};

const int gj_practice_task_count = (int)(sizeof gj_practice_tasks / sizeof gj_practice_tasks[0]);

const struct gj_practice_task *gj_practice_find(const char *id)
{
    for (int i = 0; id && i < gj_practice_task_count; i++)
        if (strcmp(gj_practice_tasks[i].id, id) == 0)
            return &gj_practice_tasks[i];
    return NULL;
}
