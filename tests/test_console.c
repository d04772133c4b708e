/* The console as a person uses it: in a pseudo-terminal, keys in, screen
 * read back through libvterm. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"
#include "vt.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_users.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sla.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAIT 5000

static char demo_db[600];
static const char *tmpdir;

static int group_setup(void **state)
{
    (void)state;
    return gj_test_demo_db(&tmpdir, demo_db, sizeof demo_db);
}

static int group_teardown(void **state)
{
    (void)state;
    gj_test_rmtree(tmpdir);
    return 0;
}

/* A fresh copy of the demo estate for one test. */
static const char *fresh_db(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s.db", tmpdir, name);
    assert_int_equal(gj_test_copy_file(demo_db, path), 0);
    return path;
}

/* The console at a given time (GUANJIA_NOW=...). */
static struct gj_vt *start_at(const char *db, const char *lang, const char *now_env, int rows,
                              int cols)
{
    const char *bin = getenv("GUANJIA_BIN");
    const char *argv[] = {bin, "--db", db, "--lang", lang, NULL};
    const char *env[] = {now_env, "TZ=CST-8", NULL};
    struct gj_vt *vt = gj_vt_start(argv, env, rows, cols);
    assert_non_null(vt);
    return vt;
}

static struct gj_vt *start(const char *db, const char *lang, int rows, int cols)
{
    const char *bin = getenv("GUANJIA_BIN");
    const char *argv[] = {bin, "--db", db, "--lang", lang, NULL};
    const char *env[] = {"GUANJIA_NOW=2026-11-29T09:00", "TZ=CST-8", NULL};
    struct gj_vt *vt = gj_vt_start(argv, env, rows, cols);
    assert_non_null(vt);
    return vt;
}

static void expect(struct gj_vt *vt, const char *text)
{
    if (!gj_vt_wait_text(vt, text, WAIT)) {
        gj_vt_dump(vt, stderr);
        fail_msg("screen never showed \"%s\"", text);
    }
}

static void login(struct gj_vt *vt, const char *user, const char *password)
{
    gj_vt_send(vt, user);
    gj_vt_key(vt, GJ_KEY_ENTER);
    gj_vt_send(vt, password);
    gj_vt_key(vt, GJ_KEY_ENTER);
}

/* After login the Desk shows; the tests start from Owners (1). */
static void to_owners(struct gj_vt *vt)
{
    gj_vt_wait_quiet(vt, 150, WAIT);
    gj_vt_send(vt, "1");
    /* The list's own line, in either language: a unit code alone could
     * stand on the Desk too. */
    int shown = 0;
    for (int i = 0; i < 100 && !shown; i++)
        shown = gj_vt_wait_text(vt, "Units — / to search", 25) ||
                gj_vt_wait_text(vt, "房屋 — / 查询", 25);
    if (!shown) {
        gj_vt_dump(vt, stderr);
        fail_msg("the owners list never showed");
    }
    expect(vt, "1-1-101");
}

/* The owners search for what: "/" then the text, waiting until the search
 * line shows all of it (prompt is "Search: " or "查询："). The hits are
 * looked up with every key and drawn with that line, so what the screen
 * shows then is this search's, not the last one's still standing. */
static void search(struct gj_vt *vt, const char *prompt, const char *what)
{
    char line[256];
    snprintf(line, sizeof line, "%s%s", prompt, what);
    gj_vt_send(vt, "/");
    gj_vt_send(vt, what);
    expect(vt, line);
}

/* Saved or cancelled: the form's key bar (the same in both languages) is
 * gone, so the screen behind is drawn again. */
static void form_closed(struct gj_vt *vt)
{
    GJ_VT_EXPECT_GONE(vt, "F10/Ctrl-S", WAIT);
}

/* Esc followed at once by another key reads as Alt-key: let it settle. */
static void esc(struct gj_vt *vt)
{
    gj_vt_key(vt, GJ_KEY_ESC);
    gj_vt_wait_quiet(vt, 120, WAIT);
}

static void quit(struct gj_vt *vt)
{
    gj_vt_wait_quiet(vt, 120, WAIT);
    gj_vt_send(vt, "q");
    gj_vt_wait_quiet(vt, 150, WAIT); /* the question, in either language */
    gj_vt_send(vt, "y");
    assert_int_equal(gj_vt_wait_exit(vt, WAIT), 0);
    assert_int_equal(gj_vt_close(vt, 1000), 0);
}

static void test_login_wrong_then_right(void **state)
{
    (void)state;
    const char *db = fresh_db("login");
    struct gj_vt *vt = start(db, "en", 24, 80);
    expect(vt, "please log in");
    login(vt, "butler", "not-the-password");
    expect(vt, "wrong name or password");
    /* The password is never shown. */
    int r, c;
    assert_false(gj_vt_find(vt, "not-the-password", &r, &c));
    gj_vt_key(vt, GJ_KEY_SHIFT_TAB);
    for (int i = 0; i < 10; i++)
        gj_vt_key(vt, GJ_KEY_BACKSPACE);
    login(vt, "butler", "butler123");
    expect(vt, "张管家");
    expect(vt, "Owners");
    /* The Desk comes first after login. */
    expect(vt, "what needs you");
    expect(vt, "6 Desk");
    to_owners(vt);
    quit(vt);
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT failed_logins FROM users WHERE login = 'butler'"), 0);
}

static void test_search_and_screens(void **state)
{
    (void)state;
    const char *db = fresh_db("search");
    struct gj_vt *vt = start(db, "en", 30, 100);
    expect(vt, "please log in");
    login(vt, "butler", "butler123");
    expect(vt, "1 Owners");
    to_owners(vt);
    /* Screen keys: the only screen stays, help opens and closes. */
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_send(vt, "1");
    gj_vt_send(vt, "?");
    expect(vt, "Keys");
    expect(vt, "search as you type");
    esc(vt);
    assert_true(gj_vt_wait_gone(vt, "search as you type", WAIT));

    /* q asks before leaving; n stays. */
    gj_vt_send(vt, "q");
    expect(vt, "Leave Guanjia?");
    gj_vt_send(vt, "n");
    assert_true(gj_vt_wait_gone(vt, "Leave Guanjia?", WAIT));
    /* Room 501 */
    gj_vt_send(vt, "/");
    expect(vt, "Search:");
    gj_vt_send(vt, "501");
    expect(vt, "Search: 501");
    expect(vt, "3-2-501");
    expect(vt, "张三");
    /* Pinyin initials (张三 stood in the last hits too: the search line
     * tells these hits from those). */
    esc(vt);
    search(vt, "Search: ", "zs");
    expect(vt, "张三");
    /* The last four digits of a phone; the list masks the number. */
    esc(vt);
    search(vt, "Search: ", "8000");
    expect(vt, "138****8000");
    int r, c;
    assert_false(gj_vt_find(vt, "13800138000", &r, &c));
    /* Open the unit: the butler sees the full number on the detail. */
    gj_vt_key(vt, GJ_KEY_ENTER);
    expect(vt, "Household");
    expect(vt, "13800138000");
    expect(vt, "李梅");
    esc(vt);
    esc(vt);
    quit(vt);
}

/* Adding an owner with a bad phone: the message sits on the field and
 * nothing is saved, in either language. */
static void bad_phone(const char *lang, const char *title, const char *why, const char *discard)
{
    char name[64];
    snprintf(name, sizeof name, "badphone-%s", lang);
    const char *db = fresh_db(name);
    int64_t before = gj_test_scalar_file(db, "SELECT count(*) FROM persons");
    struct gj_vt *vt = start(db, lang, 24, 80);
    gj_vt_wait_quiet(vt, 200, WAIT);
    login(vt, "butler", "butler123");
    to_owners(vt);
    gj_vt_send(vt, "n");
    expect(vt, title);
    expect(vt, "1-1-101"); /* the selected unit is filled in */
    gj_vt_key(vt, GJ_KEY_CTRL_U);
    gj_vt_send(vt, "3-2-502");
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_send(vt, "王小明");
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_key(vt, GJ_KEY_TAB); /* relation: owner */
    gj_vt_send(vt, "12345");
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, why);
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM persons"), before);
    /* Cancel asks first, because something was typed. */
    esc(vt);
    expect(vt, discard);
    gj_vt_send(vt, "y");
    form_closed(vt);
    expect(vt, "1-1-101");
    quit(vt);
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM persons"), before);
}

static void test_bad_phone_saves_nothing(void **state)
{
    (void)state;
    bad_phone("en", "New owner", "mobile", "Discard");
}

static void test_bad_phone_saves_nothing_chinese(void **state)
{
    (void)state;
    bad_phone("zh_CN", "新增业主", "手机号", "放弃");
}

static void test_search_last_four_chinese(void **state)
{
    (void)state;
    const char *db = fresh_db("zh-last4");
    struct gj_vt *vt = start(db, "zh_CN", 24, 80);
    gj_vt_wait_quiet(vt, 200, WAIT);
    login(vt, "butler", "butler123");
    to_owners(vt);
    search(vt, "查询：", "8000");
    expect(vt, "138****8000");
    esc(vt);
    quit(vt);
}

/* The issue's whole flow: find 张三 by zs and by 501, add a member, see it. */
static void flow_add_member(const char *lang, const char *prompt, const char *household,
                            const char *saved_word)
{
    char name[64];
    snprintf(name, sizeof name, "flow-%s", lang);
    const char *db = fresh_db(name);
    struct gj_vt *vt = start(db, lang, 24, 80);
    gj_vt_wait_quiet(vt, 200, WAIT);
    login(vt, "butler", "butler123");
    expect(vt, "张管家");
    to_owners(vt);
    search(vt, prompt, "zs");
    expect(vt, "张三");
    esc(vt);
    search(vt, prompt, "501");
    expect(vt, "3-2-501");
    expect(vt, "张三");
    /* Narrow to the unit and open it. */
    esc(vt);
    search(vt, prompt, "3-2-501");
    expect(vt, "张小宝");
    gj_vt_key(vt, GJ_KEY_ENTER);
    expect(vt, household);
    gj_vt_send(vt, "a");
    gj_vt_wait_quiet(vt, 100, WAIT);
    gj_vt_send(vt, "张小花");
    gj_vt_key(vt, GJ_KEY_TAB); /* relation stays family */
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_send(vt, "13912345678");
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, saved_word); /* the status line, once the member is saved */
    form_closed(vt);
    expect(vt, "张小花");
    expect(vt, "13912345678");
    esc(vt); /* back to the search results */
    esc(vt); /* back to the list */
    quit(vt);
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT count(*) FROM persons p JOIN unit_persons l ON "
                                "l.person_id = p.id JOIN units u ON u.id = l.unit_id WHERE "
                                "p.name = '张小花' AND l.relation = 'family' AND u.building = 3 "
                                "AND u.entrance = 2 AND u.room = 501"),
        1);
}

static void test_flow_english(void **state)
{
    (void)state;
    flow_add_member("en", "Search: ", "Household", "Added 张小花.");
}

static void test_flow_chinese(void **state)
{
    (void)state;
    flow_add_member("zh_CN", "查询：", "住户", "已添加 张小花。");
}

static void test_chinese_screen_widths(void **state)
{
    (void)state;
    const char *db = fresh_db("zh");
    struct gj_vt *vt = start(db, "zh_CN", 24, 80);
    expect(vt, "登录");
    login(vt, "butler", "wrong-password");
    expect(vt, "用户名或密码错误");
    gj_vt_key(vt, GJ_KEY_SHIFT_TAB);
    for (int i = 0; i < 10; i++)
        gj_vt_key(vt, GJ_KEY_BACKSPACE);
    login(vt, "butler", "butler123");
    expect(vt, "业主");
    to_owners(vt);
    /* A Chinese name takes two cells a character, and columns line up:
     * the phone column starts at the same cell on every row. */
    int row, col;
    search(vt, "查询：", "501");
    expect(vt, "张三");
    expect(vt, "138****8000");
    gj_vt_wait_quiet(vt, 150, WAIT);
    assert_true(gj_vt_find(vt, "张三", &row, &col));
    assert_int_equal(gj_vt_cell_width(vt, row, col), 2);
    assert_int_equal(gj_vt_cell_width(vt, row, col + 1), 0);
    int r2, c2;
    assert_true(gj_vt_find(vt, "138****8000", &r2, &c2));
    assert_int_equal(r2, row);
    int other_row, other_col;
    char line[256];
    /* Another hit's phone starts in the same column. */
    for (int r = 0; r < 24; r++) {
        gj_vt_row(vt, r, line, sizeof line);
        if (r != row && strstr(line, "-501") && strstr(line, "****")) {
            assert_true(gj_vt_find(vt, strstr(line, "****") - 3, &other_row, &other_col));
            assert_int_equal(other_col, c2);
            break;
        }
    }
    esc(vt);
    quit(vt);
}

static void test_resize_never_crashes(void **state)
{
    (void)state;
    const char *db = fresh_db("resize");
    struct gj_vt *vt = start(db, "en", 40, 120);
    expect(vt, "please log in");
    login(vt, "butler", "butler123");
    to_owners(vt);
    gj_vt_wait_quiet(vt, 200, WAIT);
    assert_int_equal(gj_vt_resize(vt, 24, 80), 0);
    gj_vt_wait_quiet(vt, 200, WAIT);
    expect(vt, "Owners");
    gj_vt_wait_quiet(vt, 200, WAIT);
    assert_int_equal(gj_vt_resize(vt, 20, 60), 0);
    expect(vt, "enlarge");
    /* Keys while too small do nothing harmful. They show nothing either,
     * so the test waits until the program has read them all: enlarging
     * the window first would let a slow program act on them. */
    gj_vt_send(vt, "jjjn");
    assert_true(gj_vt_wait_read(vt, WAIT));
    gj_vt_wait_quiet(vt, 200, WAIT);
    assert_int_equal(gj_vt_resize(vt, 24, 80), 0);
    GJ_VT_EXPECT_GONE(vt, "enlarge", WAIT);
    expect(vt, "Units — / to search");
    gj_vt_wait_quiet(vt, 150, WAIT);
    int r, c;
    assert_false(gj_vt_find(vt, "New owner", &r, &c)); /* no key acted while too small */
    gj_vt_wait_quiet(vt, 200, WAIT);
    assert_int_equal(gj_vt_resize(vt, 40, 120), 0);
    expect(vt, "Owners");
    quit(vt);
}

static void test_trainee_is_read_only_and_masked(void **state)
{
    (void)state;
    const char *db = fresh_db("trainee");
    struct gj_vt *vt = start(db, "en", 24, 80);
    expect(vt, "please log in");
    login(vt, "trainee", "trainee123");
    expect(vt, "小刘");
    to_owners(vt);
    gj_vt_send(vt, "/3-2-501");
    expect(vt, "张小宝");
    gj_vt_key(vt, GJ_KEY_ENTER);
    expect(vt, "Household");
    /* Masked even on the detail view. */
    expect(vt, "138****8000");
    int r, c;
    assert_false(gj_vt_find(vt, "13800138000", &r, &c));
    /* And read-only: adding is refused with a reason. */
    gj_vt_send(vt, "a");
    expect(vt, "may not");
    esc(vt);
    esc(vt);
    quit(vt);
}

/* Another terminal saves the same person first: we are told who and when,
 * offered their version, and never overwrite it. */
static void test_conflict_offers_reload(void **state)
{
    (void)state;
    const char *db = fresh_db("conflict");
    struct gj_vt *vt = start(db, "en", 24, 80);
    expect(vt, "please log in");
    login(vt, "butler", "butler123");
    to_owners(vt);
    gj_vt_send(vt, "/3-2-501");
    expect(vt, "张小宝");
    gj_vt_key(vt, GJ_KEY_ENTER);
    expect(vt, "Household");
    gj_vt_send(vt, "e");
    expect(vt, "Edit 张三");
    /* Meanwhile the supervisor edits 张三 at another terminal. */
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct gj_db *other = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(db, 0, &other, &err), GJ_OK);
    struct gj_user sup;
    assert_int_equal(gj_user_by_login(other, "supervisor", &sup, &err), GJ_OK);
    struct gj_person rows[2];
    int n = 0;
    assert_int_equal(gj_persons_by_phone(other, "13800138000", 2, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    snprintf(rows[0].notes, sizeof rows[0].notes, "%s", "prefers WeChat");
    assert_int_equal(gj_person_update(other, sup.id, &rows[0], &err), GJ_OK);
    gj_db_close(other);
    /* Our save: refused, with who and when, and the offer. */
    for (int i = 0; i < 4; i++)
        gj_vt_key(vt, GJ_KEY_TAB); /* name, phone, second phone, ID number, notes */
    gj_vt_send(vt, "mine");
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, "李主管");
    expect(vt, "2026-11-29 09:00");
    expect(vt, "Reload");
    gj_vt_send(vt, "y");
    expect(vt, "prefers WeChat");
    esc(vt);
    esc(vt);
    esc(vt);
    quit(vt);
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT count(*) FROM persons WHERE notes = 'prefers WeChat' AND "
                                "phone = '13800138000'"),
        1);
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT count(*) FROM persons WHERE notes LIKE '%mine%'"), 0);
}

/* A new owner whose phone is on record is linked, not duplicated. */
static void test_known_phone_links_the_person(void **state)
{
    (void)state;
    const char *db = fresh_db("known");
    int64_t before = gj_test_scalar_file(db, "SELECT count(*) FROM persons");
    struct gj_vt *vt = start(db, "en", 24, 80);
    expect(vt, "please log in");
    login(vt, "butler", "butler123");
    to_owners(vt);
    gj_vt_send(vt, "n");
    expect(vt, "New owner");
    gj_vt_key(vt, GJ_KEY_CTRL_U);
    gj_vt_send(vt, "1-1-102");
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_send(vt, "张三");
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_send(vt, "138 0013 8000");
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, "on record for 张三");
    gj_vt_send(vt, "y");
    expect(vt, "1-1-102 (");
    expect(vt, "张三");
    expect(vt, "张三 also lives at or owns: 3-2-501");
    esc(vt);
    quit(vt);
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM persons"), before);
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT count(*) FROM unit_persons l JOIN persons p ON p.id = "
                                "l.person_id WHERE p.phone = '13800138000' AND l.end_at IS NULL"),
        2);
}

/* NO_COLOR: the selected row is shown in reverse video instead of colour. */
static void test_no_color(void **state)
{
    (void)state;
    const char *db = fresh_db("nocolor");
    const char *bin = getenv("GUANJIA_BIN");
    const char *argv[] = {bin, "--db", db, "--lang", "en", NULL};
    for (int no_color = 0; no_color < 2; no_color++) {
        const char *env[] = {"GUANJIA_NOW=2026-11-29T09:00", "TZ=CST-8",
                             no_color ? "NO_COLOR=1" : "NO_COLOR", NULL};
        struct gj_vt *vt = gj_vt_start(argv, env, 24, 80);
        assert_non_null(vt);
        expect(vt, "please log in");
        login(vt, "butler", "butler123");
        to_owners(vt);
        gj_vt_wait_quiet(vt, 150, WAIT);
        int row, col;
        assert_true(gj_vt_find(vt, "1-1-101", &row, &col));
        int reverse = (gj_vt_cell_attrs(vt, row, col) & GJ_VT_REVERSE) != 0;
        assert_int_equal(reverse, no_color);
        quit(vt);
    }
}

/* What the work-order flow reads on the screen, in one language. */
struct wo_words {
    const char *lang, *tab, *title;
    /* The status line after each step, "Work order #401: <state>.", as far
     * as the screen shows it. */
    const char *dispatched, *started, *held, *resumed, *resolved, *closed;
};

/* Steps the focused choice field ("< ... >") with Space until it shows want.
 * Each Space waits for the field to change first: Spaces sent ahead of a
 * slow screen would step past the one wanted. */
static void choose(struct gj_vt *vt, const char *want, int max_steps)
{
    char before[512], now[512];
    for (int i = 0; i < max_steps; i++) {
        int row, col;
        if (gj_vt_find(vt, want, &row, &col))
            return;
        if (!gj_vt_find(vt, "< ", &row, &col)) {
            gj_vt_dump(vt, stderr);
            fail_msg("no choice field on screen");
        }
        gj_vt_row(vt, row, before, sizeof before);
        gj_vt_send(vt, " ");
        int changed = 0;
        for (int tries = 0; tries < WAIT / 30 && !changed; tries++) {
            gj_vt_wait_quiet(vt, 30, WAIT);
            gj_vt_row(vt, row, now, sizeof now);
            changed = strcmp(before, now) != 0;
        }
        if (!changed) {
            gj_vt_dump(vt, stderr);
            fail_msg("the choice field did not change on Space");
        }
    }
    gj_vt_dump(vt, stderr);
    fail_msg("the choice field never showed \"%s\"", want);
}

/* Issue 4's flow: log an urgent repair for 3-2-501, dispatch it to
 * maintenance, hold, resume, resolve, close with feedback; the database
 * holds those events in that order. Every step waits for its own status
 * line: what was typed in a form stands on the screen before the save. */
static void wo_flow(const struct wo_words *w)
{
    char name[64];
    snprintf(name, sizeof name, "wo-%s", w->lang);
    const char *db = fresh_db(name);
    struct gj_vt *vt = start(db, w->lang, 24, 80);
    gj_vt_wait_quiet(vt, 200, WAIT);
    login(vt, "butler", "butler123");
    to_owners(vt);
    gj_vt_send(vt, "2");
    expect(vt, w->tab);
    gj_vt_send(vt, "n");
    expect(vt, w->title);
    gj_vt_send(vt, "3-2-501");
    gj_vt_key(vt, GJ_KEY_TAB); /* channel: phone */
    gj_vt_key(vt, GJ_KEY_TAB); /* category: repair */
    gj_vt_key(vt, GJ_KEY_TAB); /* priority: normal -> urgent */
    gj_vt_key(vt, GJ_KEY_LEFT);
    gj_vt_key(vt, GJ_KEY_LEFT);
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_send(vt, "卫生间天花板漏水");
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, "#401");
    form_closed(vt);
    /* Dispatch: departments in name order; pick 工程维修部. */
    gj_vt_send(vt, "d");
    expect(vt, "F10/Ctrl-S");
    choose(vt, "< 工程维修部 >", 64);
    gj_vt_send(vt, " "); /* the department's first person */
    expect(vt, "< 工程维修部 · ");
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, w->dispatched);
    form_closed(vt);
    expect(vt, "工程维修部 · ");
    gj_vt_send(vt, "s");
    expect(vt, w->started);
    gj_vt_send(vt, "h");
    expect(vt, "F10/Ctrl-S");
    gj_vt_key(vt, GJ_KEY_F10); /* waiting for parts */
    expect(vt, w->held);
    form_closed(vt);
    gj_vt_send(vt, "r");
    expect(vt, w->resumed);
    gj_vt_send(vt, "v");
    expect(vt, "F10/Ctrl-S");
    gj_vt_send(vt, "更换了上层水管接头");
    /* F2: a standard reply after what was typed. */
    gj_vt_key(vt, GJ_KEY_F2);
    expect(vt, "已联系业主，约定上门时间");
    gj_vt_key(vt, GJ_KEY_DOWN);
    gj_vt_key(vt, GJ_KEY_DOWN);
    gj_vt_key(vt, GJ_KEY_DOWN);
    gj_vt_key(vt, GJ_KEY_ENTER);
    /* The reply list closes and the note holds both. */
    GJ_VT_EXPECT_GONE(vt, "已联系业主，约定上门时间", WAIT);
    expect(vt, "更换了上层水管接头 已处理完毕");
    gj_vt_key(vt, GJ_KEY_F10);
    /* Saved: the status line says so, the form closes and the timeline
     * shows the note, cut at the screen's edge (the whole note is checked
     * in the database below). */
    expect(vt, w->resolved);
    form_closed(vt);
    expect(vt, "更换了上层水管接头 已处理完毕");
    gj_vt_send(vt, "c");
    expect(vt, "F10/Ctrl-S");
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_send(vt, "师傅很专业");
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, w->closed);
    form_closed(vt);
    expect(vt, "师傅很专业");
    esc(vt);
    quit(vt);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(
                         h,
                         "SELECT e.kind FROM work_order_events e JOIN work_orders "
                         "w ON w.id = e.work_order_id WHERE w.id = 401 AND "
                         "w.priority = 'urgent' AND w.category = 'repair' AND "
                         "w.state = 'closed' AND w.satisfaction = 5 AND w.assignee_staff_id IS NOT "
                         "NULL AND w.department_id = (SELECT id FROM departments "
                         "WHERE name = '工程维修部') ORDER BY e.id",
                         -1, &st, NULL),
                     SQLITE_OK);
    const char *kinds[] = {"created", "dispatched", "started", "held",
                           "resumed", "resolved",   "closed"};
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < 7)
        assert_string_equal((const char *)sqlite3_column_text(st, 0), kinds[n++]);
    assert_int_equal(n, 7);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT note FROM work_order_events WHERE "
                                        "work_order_id = 401 AND kind = 'resolved'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0),
                        "更换了上层水管接头 已处理完毕，请业主确认");
    sqlite3_finalize(st);
    sqlite3_close(h);
}

static void test_work_order_flow(void **state)
{
    (void)state;
    /* The status lines as far as the 80 columns show them. */
    const struct wo_words en = {"en",
                                "Open work orders",
                                "New work order",
                                "#401: dispatch",
                                "#401: in progr",
                                "#401: on hold",
                                "#401: in progr",
                                "#401: resolved",
                                "#401: closed"};
    wo_flow(&en);
}

static void test_work_order_flow_chinese(void **state)
{
    (void)state;
    const struct wo_words zh = {"zh_CN",
                                "未完成工单",
                                "新建工单",
                                "工单 #401：已派单。",
                                "工单 #401：处理中。",
                                "工单 #401：挂起。",
                                "工单 #401：处理中。",
                                "工单 #401：已解决。",
                                "工单 #401：已关闭。"};
    wo_flow(&zh);
}

/* Another terminal takes an order that is already overdue: the counter and
 * the queue show it without a key being pressed. */
static void test_other_terminal_changes_show(void **state)
{
    (void)state;
    const char *db = fresh_db("poll");
    struct gj_vt *vt = start(db, "en", 24, 80);
    expect(vt, "please log in");
    login(vt, "butler", "butler123");
    expect(vt, "overdue: 29 orders");
    gj_vt_send(vt, "2");
    expect(vt, "Open work orders");
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct gj_db *other = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(db, 0, &other, &err), GJ_OK);
    struct gj_work_order wo;
    memset(&wo, 0, sizeof wo);
    snprintf(wo.channel, sizeof wo.channel, "%s", "phone");
    snprintf(wo.category, sizeof wo.category, "%s", "repair");
    snprintf(wo.priority, sizeof wo.priority, "%s", "urgent");
    snprintf(wo.description, sizeof wo.description, "%s", "楼道积水严重");
    wo.created_at = gj_now() - 400 * 86400; /* overdue for a long time: first in the queue */
    gj_wo_set_deadlines(&wo, 15, 240);
    assert_int_equal(gj_wo_create(other, 0, &wo, &err), GJ_OK);
    gj_db_close(other);
    expect(vt, "overdue: 30 orders");
    expect(vt, "#401"); /* first in the queue: the longest overdue */
    quit(vt);
}

/* f: the work-order queue's next view. Waits for the title line to change
 * before it returns, so that no f is sent ahead of a slow screen (one sent
 * ahead would step past the view the test looks for). */
static void next_view(struct gj_vt *vt)
{
    int row, col;
    char before[512], now[512];
    if (!gj_vt_find(vt, "by due time", &row, &col)) {
        gj_vt_dump(vt, stderr);
        fail_msg("not on the work-order queue");
    }
    gj_vt_row(vt, row, before, sizeof before);
    gj_vt_send(vt, "f");
    for (int tries = 0; tries < WAIT / 30; tries++) {
        gj_vt_wait_quiet(vt, 30, WAIT);
        gj_vt_row(vt, row, now, sizeof now);
        if (strcmp(before, now) != 0)
            return;
    }
    gj_vt_dump(vt, stderr);
    fail_msg("f did not change the view");
}

/* The overdue view shows only overdue orders; the on-hold view only held. */
static void test_queue_views(void **state)
{
    (void)state;
    const char *db = fresh_db("views");
    struct gj_vt *vt = start(db, "en", 24, 80);
    expect(vt, "please log in");
    login(vt, "butler", "butler123");
    to_owners(vt);
    gj_vt_send(vt, "2");
    expect(vt, "Open work orders");
    gj_vt_send(vt, "f");
    expect(vt, "Overdue work orders");
    gj_vt_wait_quiet(vt, 150, WAIT);
    char line[256];
    int rows = 0;
    for (int r = 4; r < 22; r++) {
        gj_vt_row(vt, r, line, sizeof line);
        if (strchr(line, '#')) {
            assert_int_equal(line[0], '!');
            rows++;
        }
    }
    assert_true(rows > 5);
    gj_vt_send(vt, "ff");
    expect(vt, "Work orders on hold");
    gj_vt_wait_quiet(vt, 150, WAIT);
    rows = 0;
    for (int r = 4; r < 22; r++) {
        gj_vt_row(vt, r, line, sizeof line);
        if (strchr(line, '#')) {
            assert_non_null(strstr(line, "on hold"));
            rows++;
        }
    }
    assert_true(rows > 0);
    /* Then one view per state, and one per department. */
    int found = 0;
    for (int i = 0; i < 6 && !found; i++) {
        next_view(vt);
        found = gj_vt_find(vt, "Work orders in progress", NULL, NULL);
    }
    assert_true(found);
    gj_vt_wait_quiet(vt, 150, WAIT);
    for (int r = 4; r < 22; r++) {
        gj_vt_row(vt, r, line, sizeof line);
        if (strchr(line, '#'))
            assert_non_null(strstr(line, "in progress"));
    }
    found = 0;
    for (int i = 0; i < 12 && !found; i++) {
        next_view(vt);
        found = gj_vt_find(vt, "Work orders of 工程维修部", NULL, NULL);
    }
    assert_true(found);
    quit(vt);
}

/* A request taken from the owner's unit: the form knows the unit. */
static void test_order_from_owner_detail(void **state)
{
    (void)state;
    const char *db = fresh_db("fromowner");
    struct gj_vt *vt = start(db, "en", 24, 80);
    expect(vt, "please log in");
    login(vt, "butler", "butler123");
    to_owners(vt);
    gj_vt_send(vt, "/3-2-501");
    expect(vt, "张小宝");
    gj_vt_key(vt, GJ_KEY_ENTER);
    expect(vt, "Household");
    gj_vt_send(vt, "w");
    expect(vt, "New work order");
    expect(vt, "3-2-501");
    gj_vt_key(vt, GJ_KEY_TAB); /* channel -> category */
    gj_vt_key(vt, GJ_KEY_TAB); /* -> priority */
    gj_vt_key(vt, GJ_KEY_TAB); /* -> description */
    gj_vt_send(vt, "厨房下水道堵塞");
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, "#401  3-2-501");
    expect(vt, "厨房下水道堵塞");
    esc(vt);
    quit(vt);
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT count(*) FROM work_orders w JOIN units u ON u.id = "
                                "w.unit_id WHERE u.building = 3 AND u.entrance = 2 AND u.room = "
                                "501 AND w.description = '厨房下水道堵塞' AND w.state = 'new'"),
        1);
}

/* Two terminals on one order: the other terminal's step shows on the open
 * order by itself, and ours is then refused. (A step on a stale copy is
 * refused with who and when: test_wo_flow.c.) */
static void test_work_order_conflict(void **state)
{
    (void)state;
    const char *db = fresh_db("woconflict");
    struct gj_vt *vt = start(db, "en", 24, 80);
    expect(vt, "please log in");
    login(vt, "butler", "butler123");
    to_owners(vt);
    gj_vt_send(vt, "2");
    expect(vt, "Open work orders");
    gj_vt_key(vt, GJ_KEY_ENTER); /* the first in the queue */
    expect(vt, "Timeline");
    int row, col;
    assert_true(gj_vt_find(vt, "#", &row, &col));
    char line[256];
    gj_vt_row(vt, row, line, sizeof line);
    long id = strtol(strchr(line, '#') + 1, NULL, 10);
    assert_true(id > 0);
    /* The supervisor, at another terminal, puts it on hold first. */
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct gj_db *other = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(db, 0, &other, &err), GJ_OK);
    struct gj_user sup;
    assert_int_equal(gj_user_by_login(other, "supervisor", &sup, &err), GJ_OK);
    struct gj_work_order wo;
    assert_int_equal(gj_wo_get(other, id, &wo, &err), GJ_OK);
    struct gj_wo_step cancel = {.event = "cancel", .note = "duplicate of another order"};
    assert_int_equal(gj_wo_do(other, sup.id, GJ_ROLE_SUPERVISOR, &wo, &cancel, &err), GJ_OK);
    gj_db_close(other);
    /* The open order shows their change by itself, and the step we meant
     * to take is refused: nothing of theirs is overwritten. */
    expect(vt, "cancelled");
    expect(vt, "duplicate of another order");
    gj_vt_send(vt, "x");
    expect(vt, "a work order that is"); /* ... cancelled cannot be cancelled */
    esc(vt);
    quit(vt);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM work_order_events WHERE work_order_id = %ld AND kind = "
             "'cancelled'",
             id);
    assert_int_equal(gj_test_scalar_file(db, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM work_orders WHERE id = %ld AND cancel_reason = 'duplicate of "
             "another order'",
             id);
    assert_int_equal(gj_test_scalar_file(db, sql), 1);
}

/* The id on the first row of the screen that has "#" at column col_min or
 * later, below row from; 0 when none. */
static long first_id_below(struct gj_vt *vt, int from)
{
    char line[512];
    for (int r = from; r < gj_vt_rows(vt); r++) {
        gj_vt_row(vt, r, line, sizeof line);
        char *hash = strchr(line, '#');
        if (hash && hash[1] >= '0' && hash[1] <= '9')
            return strtol(hash + 1, NULL, 10);
    }
    return 0;
}

/* A day later, complaints have passed their deadlines. The supervisor
 * filters the overdue ones and hands one to the manager; the manager's
 * terminal, open on the queue, shows the new handler by itself, and the
 * serious-complaint flag the manager sees everywhere. */
static void test_complaint_reassign_shows_elsewhere(void **state)
{
    (void)state;
    const char *db = fresh_db("cpreassign");
    const char *later = "GUANJIA_NOW=2026-11-30T12:00";
    struct gj_vt *mgr = start_at(db, "en", later, 30, 110);
    expect(mgr, "please log in");
    login(mgr, "manager", "manager123");
    to_owners(mgr);
    gj_vt_send(mgr, "4");
    expect(mgr, "Open complaints by deadline");

    struct gj_vt *vt = start_at(db, "en", later, 30, 110);
    expect(vt, "please log in");
    login(vt, "supervisor", "supervisor123");
    to_owners(vt);
    gj_vt_send(vt, "4");
    expect(vt, "Open complaints by deadline");
    gj_vt_send(vt, "f");
    expect(vt, "Complaints to revisit or to close"); /* the choices */
    gj_vt_key(vt, GJ_KEY_DOWN);
    gj_vt_key(vt, GJ_KEY_DOWN);
    gj_vt_key(vt, GJ_KEY_ENTER);
    expect(vt, "Overdue complaints by deadline");
    gj_vt_wait_quiet(vt, 150, WAIT);
    int row, col;
    assert_true(gj_vt_find(vt, "Handler", &row, &col));
    long id = first_id_below(vt, row + 1);
    assert_true(id > 0);
    /* Overdue rows carry the sign, not only the colour. */
    char line[512];
    gj_vt_row(vt, row + 1, line, sizeof line);
    assert_int_equal(line[0], '!');
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM complaints WHERE id = %ld AND assignee_user_id = (SELECT id "
             "FROM users WHERE login = 'manager')",
             id);
    assert_int_equal(gj_test_scalar_file(db, sql), 0);

    gj_vt_send(vt, "t");
    expect(vt, "Reassign 1 complaint(s) to");
    /* butler, butler2, manager, supervisor: by login; trainees cannot. */
    assert_false(gj_vt_find(vt, "(trainee)", &row, &col));
    gj_vt_key(vt, GJ_KEY_DOWN);
    gj_vt_key(vt, GJ_KEY_DOWN);
    expect(vt, "王经理 (manager)");
    gj_vt_key(vt, GJ_KEY_ENTER);
    expect(vt, "1 complaint(s) now with 王经理");
    assert_int_equal(gj_test_scalar_file(db, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM complaint_events WHERE complaint_id = %ld AND kind = 'assigned' "
             "AND user_id = (SELECT id FROM users WHERE login = 'supervisor')",
             id);
    assert_int_equal(gj_test_scalar_file(db, sql), 1);

    /* The manager's queue shows it with its new handler, by itself. */
    char want[64];
    snprintf(want, sizeof want, "#%ld", id);
    int found = 0;
    for (int tries = 0; tries < 50 && !found; tries++) {
        gj_vt_wait_quiet(mgr, 100, 500);
        if (gj_vt_find(mgr, want, &row, &col)) {
            gj_vt_row(mgr, row, line, sizeof line);
            found = strstr(line, "王经理") != NULL;
        }
    }
    if (!found)
        gj_vt_dump(mgr, stderr);
    assert_true(found);
    expect(mgr, "!! serious complaints:");
    assert_false(gj_vt_find(vt, "!! serious complaints:", &row, &col)); /* the manager's only */
    quit(vt);
    quit(mgr);
}

/* A complaint in Chinese from the owner's record to its close: register
 * it (moderate), acknowledge, resolve, revisit rated 4 -- it stays open
 * for want of a root cause -- then close it with one. */
static void test_complaint_flow_chinese(void **state)
{
    (void)state;
    const char *db = fresh_db("cpflow");
    struct gj_vt *vt = start(db, "zh_CN", 30, 100);
    expect(vt, "请登录");
    login(vt, "supervisor", "supervisor123");
    to_owners(vt);
    gj_vt_send(vt, "/3-2-501");
    expect(vt, "张小宝");
    gj_vt_key(vt, GJ_KEY_ENTER);
    gj_vt_wait_quiet(vt, 150, WAIT);
    gj_vt_send(vt, "p");
    expect(vt, "登记投诉");
    gj_vt_key(vt, GJ_KEY_TAB); /* channel -> subject */
    gj_vt_send(vt, "保安态度恶劣");
    gj_vt_key(vt, GJ_KEY_TAB); /* -> category */
    gj_vt_key(vt, GJ_KEY_TAB); /* -> grade: minor, then moderate */
    gj_vt_key(vt, GJ_KEY_RIGHT);
    gj_vt_key(vt, GJ_KEY_TAB); /* -> detail */
    gj_vt_send(vt, "晚上十点回家被保安大声呵斥");
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, "情绪疏导五步");
    expect(vt, "一般");
    expect(vt, "待受理");
    expect(vt, "您反映的情况客服主管已经知晓"); /* a reply for the grade */
    int64_t id = gj_test_scalar_file(db, "SELECT max(id) FROM complaints");
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT count(*) FROM complaints WHERE id = (SELECT max(id) FROM "
                                "complaints) AND grade = 'moderate' AND subject = '保安态度恶劣'"),
        1);
    gj_vt_send(vt, "a");
    expect(vt, "已受理");
    gj_vt_send(vt, "r");
    expect(vt, "办结投诉");
    gj_vt_send(vt, "当面道歉并对当班保安进行批评教育");
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_send(vt, "业主接受道歉");
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, "回访期限");
    gj_vt_send(vt, "v");
    expect(vt, "回访：业主评价");
    gj_vt_key(vt, GJ_KEY_RIGHT); /* 5 -> 4 satisfied */
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, "评分 4/5");
    /* Revisited, but a moderate complaint needs its cause to close. */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM complaints WHERE id = %lld AND state = "
             "'resolved' AND satisfaction = 4",
             (long long)id);
    assert_int_equal(gj_test_scalar_file(db, sql), 1);
    gj_vt_send(vt, "c");
    expect(vt, "投诉结案");
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, "必填"); /* root cause: required */
    gj_vt_send(vt, "夜班保安未经服务礼仪培训");
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_send(vt, "全体保安每月礼仪培训并考核");
    gj_vt_key(vt, GJ_KEY_F10);
    expect(vt, "已关闭");
    esc(vt);
    quit(vt);
    snprintf(sql, sizeof sql,
             "SELECT group_concat(kind, ',') FROM (SELECT kind FROM complaint_events WHERE "
             "complaint_id = %lld ORDER BY id)",
             (long long)id);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0),
                        "created,acknowledged,resolved,revisited,closed");
    sqlite3_finalize(st);
    sqlite3_close(h);
}

/* A payment at the desk: 3-2-501 pays ¥500.00 by WeChat; the receipt is a
 * file beside the database, with the amount in figures and in 大写; a
 * reprint is a second file marked as a copy. */
/* A butler's console on db (in lang, whose login screen shows login_text),
 * on the Fees screen of unit ("3-2-501"). */
static struct gj_vt *fees_of_unit(const char *db, const char *lang, const char *login_text,
                                  const char *unit)
{
    struct gj_vt *vt = start(db, lang, 30, 110);
    expect(vt, login_text);
    login(vt, "butler", "butler123");
    to_owners(vt);
    gj_vt_send(vt, "3");
    gj_vt_wait_quiet(vt, 150, WAIT);
    gj_vt_send(vt, "u");
    expect(vt, "F10/Ctrl-S");
    gj_vt_send(vt, unit);
    gj_vt_key(vt, GJ_KEY_F10);
    form_closed(vt);
    return vt;
}

static void test_payment_and_receipt(void **state)
{
    (void)state;
    const char *db = fresh_db("payment");
    struct gj_vt *vt = fees_of_unit(db, "zh_CN", "请登录", "3-2-501");
    expect(vt, "张三");
    int64_t before = gj_test_scalar_file(db, "SELECT count(*) FROM payments");
    gj_vt_send(vt, "p");
    expect(vt, "F10/Ctrl-S");
    gj_vt_key(vt, GJ_KEY_RIGHT); /* method: cash -> WeChat */
    gj_vt_key(vt, GJ_KEY_TAB);   /* -> amount */
    gj_vt_key(vt, GJ_KEY_CTRL_U);
    gj_vt_send(vt, "500");
    gj_vt_key(vt, GJ_KEY_F10);
    /* "收据 SJ…：已收 ¥500.00。收据已打印到 …": said once saved and printed. */
    expect(vt, "收据 SJ");
    form_closed(vt);
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM payments"), before + 1);
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT count(*) FROM payments p JOIN units u ON u.id = "
                                "p.unit_id WHERE u.building = 3 AND u.entrance = 2 AND u.room = "
                                "501 AND p.amount_fen = 50000 AND p.method = 'wechat' AND "
                                "p.payer_name = '张三'"),
        1);
    int64_t no = gj_test_scalar_file(db, "SELECT max(receipt_no) FROM payments");
    char path[700], text[8192];
    snprintf(path, sizeof path, "%s/receipts/SJ%08lld.txt", tmpdir, (long long)no);
    FILE *f = fopen(path, "r");
    if (!f)
        gj_vt_dump(vt, stderr);
    assert_non_null(f);
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    assert_non_null(strstr(text, "3-2-501"));
    assert_non_null(strstr(text, "张三"));
    assert_non_null(strstr(text, "伍佰元整"));
    assert_non_null(strstr(text, "微信"));
    assert_non_null(strstr(text, "张管家"));
    assert_int_equal(
        gj_test_scalar_file(db, "SELECT count(*) FROM receipt_prints WHERE payment_id = (SELECT "
                                "max(id) FROM payments)"),
        1);
    /* A reprint: the newest payment is first in the list. Its status line
     * names the copy, so that it is not taken for the payment's. */
    gj_vt_send(vt, "r");
    expect(vt, "补打以下缴费的收据");
    gj_vt_key(vt, GJ_KEY_ENTER);
    GJ_VT_EXPECT_GONE(vt, "补打以下缴费的收据", WAIT);
    char said[64];
    snprintf(said, sizeof said, "收据 SJ%08lld 的副本已打印到 ", (long long)no);
    expect(vt, said);
    GJ_VT_EXPECT_GONE(vt, "已收", WAIT);
    snprintf(path, sizeof path, "%s/receipts/SJ%08lld-copy1.txt", tmpdir, (long long)no);
    f = fopen(path, "r");
    if (!f)
        gj_vt_dump(vt, stderr);
    assert_non_null(f);
    len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    assert_non_null(strstr(text, "副本"));
    assert_non_null(strstr(text, "伍佰元整"));
    esc(vt);
    quit(vt);
}

/* The newest payment of a demo unit was never printed here (the demo
 * loads payments without receipts): its first print is the original, said
 * as such, and the next a copy. */
static void test_first_print_then_copy(void **state)
{
    (void)state;
    const char *db = fresh_db("first-print");
    const char *newest_of_unit =
        "SELECT max(p.id) FROM payments p WHERE p.unit_id = (SELECT unit_id FROM payments q "
        "WHERE NOT EXISTS (SELECT 1 FROM receipt_prints r WHERE r.payment_id = q.id) AND q.id = "
        "(SELECT max(id) FROM payments x WHERE x.unit_id = q.unit_id) ORDER BY q.id LIMIT 1)";
    int64_t pay = gj_test_scalar_file(db, newest_of_unit);
    char sql[256], unit[32], said[96], path[700];
    snprintf(sql, sizeof sql, "SELECT receipt_no FROM payments WHERE id = %lld", (long long)pay);
    int64_t no = gj_test_scalar_file(db, sql);
    snprintf(sql, sizeof sql,
             "SELECT building * 1000000 + entrance * 10000 + room FROM units WHERE id = (SELECT "
             "unit_id FROM payments WHERE id = %lld)",
             (long long)pay);
    int64_t code = gj_test_scalar_file(db, sql);
    snprintf(unit, sizeof unit, "%lld-%lld-%lld", (long long)(code / 1000000),
             (long long)(code / 10000 % 100), (long long)(code % 10000));
    snprintf(sql, sizeof sql, "SELECT count(*) FROM receipt_prints WHERE payment_id = %lld",
             (long long)pay);
    assert_int_equal(gj_test_scalar_file(db, sql), 0);

    struct gj_vt *vt = fees_of_unit(db, "en", "log in", unit);
    for (int copy = 0; copy < 2; copy++) {
        gj_vt_send(vt, "r");
        expect(vt, "Reprint the receipt of");
        gj_vt_key(vt, GJ_KEY_ENTER);
        GJ_VT_EXPECT_GONE(vt, "Reprint the receipt of", WAIT);
        snprintf(said, sizeof said,
                 copy ? "Copy of receipt SJ%08lld printed to " : "Receipt SJ%08lld printed to ",
                 (long long)no);
        expect(vt, said);
        assert_int_equal(gj_test_scalar_file(db, sql), copy + 1);
        snprintf(path, sizeof path,
                 copy ? "%s/receipts/SJ%08lld-copy1.txt" : "%s/receipts/SJ%08lld.txt", tmpdir,
                 (long long)no);
        FILE *f = fopen(path, "r");
        if (!f)
            gj_vt_dump(vt, stderr);
        assert_non_null(f);
        fclose(f);
    }
    esc(vt);
    quit(vt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_wrong_then_right),
        cmocka_unit_test(test_search_and_screens),
        cmocka_unit_test(test_bad_phone_saves_nothing),
        cmocka_unit_test(test_bad_phone_saves_nothing_chinese),
        cmocka_unit_test(test_search_last_four_chinese),
        cmocka_unit_test(test_flow_english),
        cmocka_unit_test(test_flow_chinese),
        cmocka_unit_test(test_chinese_screen_widths),
        cmocka_unit_test(test_resize_never_crashes),
        cmocka_unit_test(test_trainee_is_read_only_and_masked),
        cmocka_unit_test(test_conflict_offers_reload),
        cmocka_unit_test(test_known_phone_links_the_person),
        cmocka_unit_test(test_no_color),
        cmocka_unit_test(test_work_order_flow),
        cmocka_unit_test(test_work_order_flow_chinese),
        cmocka_unit_test(test_other_terminal_changes_show),
        cmocka_unit_test(test_queue_views),
        cmocka_unit_test(test_order_from_owner_detail),
        cmocka_unit_test(test_work_order_conflict),
        cmocka_unit_test(test_complaint_reassign_shows_elsewhere),
        cmocka_unit_test(test_complaint_flow_chinese),
        cmocka_unit_test(test_payment_and_receipt),
        cmocka_unit_test(test_first_print_then_copy),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
