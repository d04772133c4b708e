/* Training as a trainee does it, through a pseudo-terminal: the guided
 * walkthrough to its end in Chinese, and in English the chapter 5 quiz
 * passed, then the complaint task done in the sandbox and passed. The
 * real database is never touched by practice. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"
#include "vt.h"

#include "guanjia/practice.h"
#include "guanjia/training.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAIT 8000

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

static struct gj_vt *start(const char *db, const char *lang)
{
    const char *bin = getenv("GUANJIA_BIN");
    const char *argv[] = {bin, "--db", db, "--lang", lang, NULL};
    const char *env[] = {"GUANJIA_NOW=2026-11-29T09:00", "TZ=CST-8", NULL};
    struct gj_vt *vt = gj_vt_start(argv, env, 30, 110);
    assert_non_null(vt);
    return vt;
}

static int64_t count(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

static void key_times(struct gj_vt *vt, int key, int n)
{
    for (int i = 0; i < n; i++)
        gj_vt_key(vt, key);
}

static void settle(struct gj_vt *vt)
{
    gj_vt_wait_quiet(vt, 150, WAIT);
}

static void login_trainee(struct gj_vt *vt, const char *prompt)
{
    GJ_VT_EXPECT(vt, prompt, WAIT);
    gj_vt_send(vt, "trainee");
    gj_vt_key(vt, GJ_KEY_ENTER);
    gj_vt_send(vt, "trainee123");
    gj_vt_key(vt, GJ_KEY_ENTER);
    settle(vt);
    gj_vt_send(vt, "1"); /* from the Desk to Owners */
    GJ_VT_EXPECT(vt, "1-1-101", WAIT);
}

static void quit(struct gj_vt *vt)
{
    settle(vt);
    gj_vt_send(vt, "q");
    settle(vt);
    gj_vt_send(vt, "y");
    assert_int_equal(gj_vt_wait_exit(vt, WAIT), 0);
    assert_int_equal(gj_vt_close(vt, 1000), 0);
}

static const char *fresh_db(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s.db", tmpdir, name);
    assert_int_equal(gj_test_copy_file(demo_db, path), 0);
    return path;
}

/* The walkthrough, every step done on the real screens of the sandbox;
 * each hint moves on by itself when the console sees the step done. */
static void test_walkthrough_to_the_end(void **state)
{
    (void)state;
    const char *db = fresh_db("walk");
    int64_t orders = count(db, "SELECT count(*) FROM work_orders");
    struct gj_vt *vt = start(db, "zh_CN");
    login_trainee(vt, "请登录");
    gj_vt_send(vt, "5");
    GJ_VT_EXPECT(vt, "系统操作引导", WAIT);
    gj_vt_key(vt, GJ_KEY_ENTER);
    GJ_VT_EXPECT(vt, "练习模式", WAIT);
    GJ_VT_EXPECT(vt, "第 1 步", WAIT);
    gj_vt_send(vt, "1");
    GJ_VT_EXPECT(vt, "第 2 步", WAIT);
    gj_vt_send(vt, "/zs");
    GJ_VT_EXPECT(vt, "第 3 步", WAIT);
    GJ_VT_EXPECT(vt, "138****8000", WAIT);
    settle(vt);
    /* zs also finds 曾单 (单 read shan): move down to 张三 first. */
    int first = -1, row = -1, col = 0;
    assert_true(gj_vt_find(vt, "138****8000", &row, &col));
    for (int r = 0; r < gj_vt_rows(vt) && first < 0; r++) {
        char line[512];
        gj_vt_row(vt, r, line, sizeof line);
        if (strstr(line, "-") && strstr(line, "1") &&
            (strstr(line, "135****5000") || strstr(line, "138****8000")))
            first = r;
    }
    assert_true(first >= 0 && first <= row);
    key_times(vt, GJ_KEY_DOWN, row - first);
    gj_vt_key(vt, GJ_KEY_ENTER);
    GJ_VT_EXPECT(vt, "第 4 步", WAIT);
    gj_vt_send(vt, "w");
    settle(vt);
    key_times(vt, GJ_KEY_TAB, 3); /* channel, category, priority -> description */
    gj_vt_send(vt, "卫生间天花板漏水");
    gj_vt_key(vt, GJ_KEY_F10);
    GJ_VT_EXPECT(vt, "第 5 步", WAIT);
    gj_vt_send(vt, "d");
    settle(vt);
    gj_vt_key(vt, GJ_KEY_F10); /* the first department */
    GJ_VT_EXPECT(vt, "第 6 步", WAIT);
    gj_vt_send(vt, "3");
    settle(vt);
    gj_vt_send(vt, "u");
    settle(vt);
    gj_vt_send(vt, "2-1-1201");
    gj_vt_key(vt, GJ_KEY_F10);
    GJ_VT_EXPECT(vt, "第 7 步", WAIT);
    gj_vt_send(vt, "4");
    settle(vt);
    gj_vt_send(vt, "f");
    settle(vt);
    key_times(vt, GJ_KEY_DOWN, 2); /* open, mine, overdue */
    gj_vt_key(vt, GJ_KEY_ENTER);
    GJ_VT_EXPECT(vt, "第 8 步", WAIT);
    gj_vt_send(vt, "5");
    GJ_VT_EXPECT(vt, "引导完成", WAIT);
    GJ_VT_EXPECT(vt, "8/8", WAIT);
    quit(vt);
    /* Progress in the real database; the order only in the sandbox. */
    assert_int_equal(count(db, "SELECT count(*) FROM training_progress p JOIN users u ON u.id = "
                               "p.user_id WHERE u.login = 'trainee' AND p.item_id = "
                               "'walkthrough' AND p.status = 'passed'"),
                     1);
    assert_int_equal(count(db, "SELECT count(*) FROM work_orders"), orders);
    char sandbox[700];
    snprintf(sandbox, sizeof sandbox, "%s/sandbox/trainee.db", tmpdir);
    assert_int_equal(count(sandbox, "SELECT count(*) FROM work_orders WHERE description = "
                                    "'卫生间天花板漏水' AND state = 'dispatched'"),
                     1);
}

/* Chapter 5's quiz answered right from its own answer key, then the
 * complaint task done in the sandbox and passed by the checker (F5). */
static void test_quiz_then_complaint_task(void **state)
{
    (void)state;
    const char *db = fresh_db("quiz");
    int64_t complaints = count(db, "SELECT count(*) FROM complaints");
    struct gj_chapter ch;
    struct gj_error err;
    assert_int_equal(gj_training_load("en", 5, &ch, &err), GJ_OK);
    struct gj_vt *vt = start(db, "en");
    login_trainee(vt, "please log in");
    gj_vt_send(vt, "5");
    GJ_VT_EXPECT(vt, "The butler curriculum", WAIT);
    key_times(vt, GJ_KEY_DOWN, 5); /* the walkthrough, chapters 1-4, then 5 */
    gj_vt_key(vt, GJ_KEY_ENTER);
    GJ_VT_EXPECT(vt, "z takes the quiz", WAIT);
    gj_vt_send(vt, "z");
    for (int q = 0; q < ch.n_questions; q++) {
        char head[64];
        snprintf(head, sizeof head, "Question %d of %d", q + 1, ch.n_questions);
        GJ_VT_EXPECT(vt, head, WAIT);
        const struct gj_tquestion *qu = &ch.questions[q];
        for (int o = 0; o < qu->n_options; o++) {
            if (!qu->options[o].right)
                continue;
            char digit[2] = {(char)('1' + o), 0};
            gj_vt_send(vt, digit); /* the option by its number */
            if (qu->multi)
                gj_vt_send(vt, " ");
            else
                break;
        }
        gj_vt_key(vt, GJ_KEY_ENTER);
        GJ_VT_EXPECT(vt, "Right. Enter: next question", WAIT);
        gj_vt_key(vt, GJ_KEY_ENTER);
    }
    GJ_VT_EXPECT(vt, "passed (80% needed)", WAIT);
    assert_int_equal(count(db, "SELECT count(*) FROM quiz_results q JOIN users u ON u.id = "
                               "q.user_id WHERE u.login = 'trainee' AND q.chapter = 5 AND "
                               "q.score = q.max_score"),
                     1);
    /* The complaint task. */
    gj_vt_key(vt, GJ_KEY_ESC);
    settle(vt);
    gj_vt_key(vt, GJ_KEY_ESC);
    settle(vt);
    gj_vt_key(vt, GJ_KEY_HOME);
    key_times(vt, GJ_KEY_DOWN, 7); /* past the walkthrough and the six chapters */
    gj_vt_key(vt, GJ_KEY_ENTER);
    GJ_VT_EXPECT(vt, "Practice tasks: Enter starts one", WAIT);
    int k = 0;
    while (k < gj_practice_task_count && strcmp(gj_practice_tasks[k].id, "complaint") != 0)
        k++;
    assert_true(k < gj_practice_task_count);
    key_times(vt, GJ_KEY_DOWN, k);
    gj_vt_key(vt, GJ_KEY_ENTER);
    GJ_VT_EXPECT(vt, "SANDBOX", WAIT);
    GJ_VT_EXPECT(vt, "F5 checks your work", WAIT);
    gj_vt_send(vt, "4");
    settle(vt);
    gj_vt_send(vt, "n");
    settle(vt);
    gj_vt_send(vt, "1-1-101");
    gj_vt_key(vt, GJ_KEY_TAB);
    key_times(vt, GJ_KEY_RIGHT, 3); /* phone -> wechat -> email -> walk-in */
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_send(vt, "Security guard insulted me at the north gate");
    gj_vt_key(vt, GJ_KEY_TAB); /* category: service attitude, the first */
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_key(vt, GJ_KEY_RIGHT); /* minor -> moderate */
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_send(vt, "Last night at eleven the guard shouted at him and insulted him.");
    gj_vt_key(vt, GJ_KEY_F10);
    GJ_VT_EXPECT(vt, "registered", WAIT);
    gj_vt_key(vt, GJ_KEY_F5);
    GJ_VT_EXPECT(vt, "Passed: Register and grade a complaint", WAIT);
    gj_vt_key(vt, GJ_KEY_ENTER);
    settle(vt);
    gj_vt_key(vt, GJ_KEY_ESC);
    quit(vt);
    assert_int_equal(count(db, "SELECT count(*) FROM practice_results r JOIN users u ON u.id = "
                               "r.user_id WHERE u.login = 'trainee' AND r.task_id = 'complaint' "
                               "AND r.passed = 1"),
                     1);
    assert_int_equal(count(db, "SELECT count(*) FROM complaints"), complaints);
    gj_chapter_free(&ch);
}

/* A supervisor's day: the Desk shows the team's items first, and the
 * Reports screen tells how the month goes against the month before. */
static void test_desk_and_reports(void **state)
{
    (void)state;
    const char *db = fresh_db("reports");
    struct gj_vt *vt = start(db, "zh_CN");
    GJ_VT_EXPECT(vt, "请登录", WAIT);
    gj_vt_send(vt, "supervisor");
    gj_vt_key(vt, GJ_KEY_ENTER);
    gj_vt_send(vt, "supervisor123");
    gj_vt_key(vt, GJ_KEY_ENTER);
    GJ_VT_EXPECT(vt, "全组", WAIT);
    GJ_VT_EXPECT(vt, "逾期工单", WAIT);
    GJ_VT_EXPECT(vt, "待受理投诉", WAIT);
    gj_vt_send(vt, "t"); /* only mine */
    /* The header after the switch ("只看" and "我的" stand in the one
     * before it too, so they proved nothing). */
    GJ_VT_EXPECT(vt, "我的（t：看全组）", WAIT);
    gj_vt_send(vt, "7");
    GJ_VT_EXPECT(vt, "时效达标率", WAIT);
    GJ_VT_EXPECT(vt, "2026-11", WAIT);
    gj_vt_send(vt, "m"); /* with October */
    GJ_VT_EXPECT(vt, "2026-10 至 2026-11", WAIT);
    gj_vt_send(vt, "r"); /* a range of days */
    settle(vt);
    gj_vt_key(vt, GJ_KEY_CTRL_U);
    gj_vt_send(vt, "2026-11-01");
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_key(vt, GJ_KEY_CTRL_U);
    gj_vt_send(vt, "2026-11-15");
    gj_vt_key(vt, GJ_KEY_F10);
    GJ_VT_EXPECT(vt, "2026-11-01 至 2026-11-15", WAIT);
    gj_vt_key(vt, GJ_KEY_RIGHT); /* the complaints report */
    /* Its own title first: the old one gone could be a screen not drawn. */
    GJ_VT_EXPECT(vt, "投诉闭环报表", WAIT);
    settle(vt);
    int row, col;
    assert_false(gj_vt_find(vt, "工单量与时效报表", &row, &col));
    quit(vt);
}

/* From the Desk, a safety patrol: a finding recorded on the way becomes a
 * work order in one step. */
static void test_patrol_finding_becomes_order(void **state)
{
    (void)state;
    const char *db = fresh_db("patrol");
    int64_t orders = count(db, "SELECT count(*) FROM work_orders");
    struct gj_vt *vt = start(db, "en");
    GJ_VT_EXPECT(vt, "please log in", WAIT);
    gj_vt_send(vt, "butler");
    gj_vt_key(vt, GJ_KEY_ENTER);
    gj_vt_send(vt, "butler123");
    gj_vt_key(vt, GJ_KEY_ENTER);
    GJ_VT_EXPECT(vt, "what needs you", WAIT);
    gj_vt_send(vt, "c");
    GJ_VT_EXPECT(vt, "Community and safety", WAIT);
    key_times(vt, GJ_KEY_DOWN, 2);
    gj_vt_key(vt, GJ_KEY_ENTER);
    GJ_VT_EXPECT(vt, "n start a patrol", WAIT);
    gj_vt_send(vt, "n");
    settle(vt);
    gj_vt_send(vt, "North car park");
    gj_vt_key(vt, GJ_KEY_F10);
    GJ_VT_EXPECT(vt, "North car park · under way", WAIT);
    gj_vt_key(vt, GJ_KEY_ENTER);
    GJ_VT_EXPECT(vt, "Patrol: North car park", WAIT);
    gj_vt_send(vt, "n");
    settle(vt);
    gj_vt_send(vt, "B2 ramp");
    gj_vt_key(vt, GJ_KEY_TAB);
    gj_vt_send(vt, "Water leaking from a pipe over the ramp");
    gj_vt_key(vt, GJ_KEY_TAB);
    key_times(vt, GJ_KEY_RIGHT, 2); /* low -> medium -> high */
    gj_vt_key(vt, GJ_KEY_F10);
    /* "B2 ramp" stands in the form before the save: the status line and
     * the form's key bar going tell that it is saved. */
    GJ_VT_EXPECT(vt, "Finding recorded.", WAIT);
    GJ_VT_EXPECT_GONE(vt, "F10/Ctrl-S", WAIT);
    GJ_VT_EXPECT(vt, "B2 ramp", WAIT);
    gj_vt_key(vt, GJ_KEY_ENTER);
    GJ_VT_EXPECT(vt, "Make the finding a work order", WAIT);
    gj_vt_key(vt, GJ_KEY_F10); /* the common parts, repair */
    GJ_VT_EXPECT(vt, "taken from the finding", WAIT);
    gj_vt_key(vt, GJ_KEY_ESC);
    settle(vt);
    gj_vt_key(vt, GJ_KEY_ESC);
    settle(vt);
    gj_vt_key(vt, GJ_KEY_ESC);
    settle(vt);
    quit(vt);
    assert_int_equal(count(db, "SELECT count(*) FROM work_orders"), orders + 1);
    assert_int_equal(count(db, "SELECT count(*) FROM patrol_findings f JOIN work_orders w ON "
                               "w.id = f.work_order_id WHERE f.location = 'B2 ramp' AND "
                               "w.category = 'repair' AND w.priority = 'high'"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_walkthrough_to_the_end, gj_vt_teardown),
        cmocka_unit_test_teardown(test_quiz_then_complaint_task, gj_vt_teardown),
        cmocka_unit_test_teardown(test_desk_and_reports, gj_vt_teardown),
        cmocka_unit_test_teardown(test_patrol_finding_becomes_order, gj_vt_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
