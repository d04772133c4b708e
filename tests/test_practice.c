/* The practice tasks' checkers: each task done right, through the
 * repository as the console does it, passes; done wrong, it fails with the
 * line that says what is wrong; done before the task was given, it does
 * not count. One sandbox is made once; every test works on a copy. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/practice.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_contacts.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_settings.h"
#include "guanjia/repo_staff.h"
#include "guanjia/repo_users.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sandbox.h"
#include "guanjia/sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *tmpdir;
static char base_db[600];

#define GIVEN  "2026-11-29T10:00" /* when the task is given (since) */
#define BEFORE "2026-11-29T09:30" /* before it */
#define AFTER  "2026-11-29T10:05" /* when the trainee does it */

static int group_setup(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    tmpdir = gj_test_tmpdir();
    char real[600];
    snprintf(real, sizeof real, "%s/guanjia.db", tmpdir);
    struct gj_error err;
    if (gj_sandbox_create(real, "butler", base_db, sizeof base_db, &err) != GJ_OK) {
        fprintf(stderr, "sandbox: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    gj_test_rmtree(tmpdir);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------- */

struct done;

struct fx {
    struct gj_db *db;
    int64_t butler, butler2, since;
    const struct done *done; /* the task of a table-driven test */
};

/* A fresh copy of the sandbox, the clock at the time the trainee acts. */
static int setup(void **state)
{
    static int n;
    char path[700];
    snprintf(path, sizeof path, "%s/copy%d.db", tmpdir, ++n);
    if (gj_test_copy_file(base_db, path) != 0)
        return -1;
    struct fx *f = calloc(1, sizeof *f);
    struct gj_error err;
    if (!f || gj_db_open(path, 0, &f->db, &err) != GJ_OK)
        return -1;
    f->done = *state;
    struct gj_user u;
    if (gj_user_by_login(f->db, "butler", &u, &err) != GJ_OK)
        return -1;
    f->butler = u.id;
    if (gj_user_by_login(f->db, "butler2", &u, &err) != GJ_OK)
        return -1;
    f->butler2 = u.id;
    f->since = gj_test_at(GIVEN);
    gj_test_set_now(AFTER);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    gj_db_close(f->db);
    free(f);
    gj_test_set_now("2026-11-29T09:00");
    return 0;
}

static int run(struct fx *f, const char *task, char *fb, size_t fbsz)
{
    const struct gj_practice_task *t = gj_practice_find(task);
    assert_non_null(t);
    struct gj_error err;
    int rc = t->check(f->db, f->since, f->butler, fb, fbsz, &err);
    if (rc < 0)
        fail_msg("%s: %s", task, err.msg);
    return rc;
}

/* The check gives want (1 passed, 0 not yet) with a feedback line holding line. */
static void expect(struct fx *f, const char *task, int want, const char *line)
{
    char fb[4096];
    int rc = run(f, task, fb, sizeof fb);
    if (getenv("GJ_TEST_SHOW_FEEDBACK")) /* for reading the feedback */
        printf("--- %s (%s)\n%s\n", task, rc ? "passed" : "not yet", fb);
    if (rc != want || !strstr(fb, line))
        fail_msg("%s: expected %s with \"%s\", got %s:\n%s", task, want ? "a pass" : "a fail", line,
                 rc ? "a pass" : "a fail", fb);
}

static void expect_pass(struct fx *f, const char *task, const char *line)
{
    expect(f, task, 1, line);
}

static void expect_fail(struct fx *f, const char *task, const char *line)
{
    expect(f, task, 0, line);
}

static int64_t unit_of(struct fx *f, int b, int e, int r)
{
    struct gj_unit u;
    struct gj_error err;
    assert_int_equal(gj_unit_find_code(f->db, b, e, r, &u, &err), GJ_OK);
    return u.id;
}

/* The person called name on the unit. */
static void person_on(struct fx *f, int b, int e, int r, const char *name, struct gj_person *out)
{
    struct gj_unit_person links[16];
    int n = 0;
    struct gj_error err;
    assert_int_equal(gj_unit_persons_of_unit(f->db, unit_of(f, b, e, r), 16, links, &n, &err),
                     GJ_OK);
    for (int i = 0; i < n; i++) {
        assert_int_equal(gj_person_get(f->db, links[i].person_id, out, &err), GJ_OK);
        if (strcmp(out->name, name) == 0)
            return;
    }
    fail_msg("%s is not on %d-%d-%d", name, b, e, r);
}

static int64_t department(struct fx *f, const char *kind)
{
    struct gj_department rows[16];
    int n = 0;
    struct gj_error err;
    assert_int_equal(gj_departments_list(f->db, NULL, 16, rows, &n, &err), GJ_OK);
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].kind, kind) == 0)
            return rows[i].id;
    fail_msg("no %s department", kind);
    return 0;
}

/* ---- the list ----------------------------------------------------------------------- */

static void test_list(void **state)
{
    (void)state;
    static const char *const ids[] = {"owner-update",   "intake",  "dispatch",
                                      "close-feedback", "payment", "dunning",
                                      "complaint",      "revisit", "privacy"};
    static const char *const points[] = {"4.1", "1.2", "4.2", "2.3", "1.3",
                                         "1.3", "5.1", "5.3", "3.3"};
    assert_int_equal(gj_practice_task_count, 9);
    for (int i = 0; i < 9; i++) {
        const struct gj_practice_task *t = &gj_practice_tasks[i];
        assert_string_equal(t->id, ids[i]);
        assert_string_equal(t->point, points[i]);
        assert_true(t->title && *t->title && t->situation && *t->situation && t->hint && *t->hint &&
                    t->check);
        assert_ptr_equal(gj_practice_find(ids[i]), t);
    }
    assert_null(gj_practice_find("nothing"));
    assert_null(gj_practice_find(NULL));
}

/* Nothing done yet: every task says what is missing and does not pass. */
static void test_nothing_done(void **state)
{
    struct fx *f = *state;
    expect_fail(f, "owner-update", "李梅's phone is still 13920479249");
    expect_fail(f, "intake", "No work order was taken since the task was given.");
    expect_fail(f, "dispatch", "Work order #397 has not been dispatched yet.");
    expect_fail(f, "close-feedback", "Work order #328 is still resolved");
    expect_fail(f, "payment", "No payment was taken since the task was given.");
    expect_fail(f, "dunning", "No dunning contact was recorded since the task was given.");
    expect_fail(f, "complaint", "No complaint was registered since the task was given.");
    expect_fail(f, "revisit", "No revisit of complaint #41 was recorded");
    expect_fail(f, "privacy", "No contact was recorded since the task was given");
}

/* A database that is not the demo estate: the named records are not there. */
static void test_not_the_practice_estate(void **state)
{
    (void)state;
    char path[700];
    snprintf(path, sizeof path, "%s/empty.db", tmpdir);
    struct fx f;
    memset(&f, 0, sizeof f);
    struct gj_error err;
    assert_int_equal(gj_db_open(path, GJ_DB_CREATE, &f.db, &err), GJ_OK);
    f.since = gj_test_at(GIVEN);
    f.butler = 1;
    expect_fail(&f, "dispatch", "this sandbox is not the practice estate");
    expect_fail(&f, "close-feedback", "this sandbox is not the practice estate");
    expect_fail(&f, "revisit", "this sandbox is not the practice estate");
    gj_db_close(f.db);
}

/* Feedback cut to a small buffer stays a valid, terminated string. */
static void test_small_buffer(void **state)
{
    struct fx *f = *state;
    char fb[12];
    memset(fb, 'x', sizeof fb);
    assert_int_equal(run(f, "intake", fb, sizeof fb), 0);
    assert_true(strlen(fb) < sizeof fb);
    assert_true(strncmp(fb, "\xE2\x9C\x97 ", 4) == 0);
    /* Never half a character: "✗ No work" fits 12 bytes exactly up to a boundary. */
    for (size_t i = 0; fb[i]; i++)
        if ((unsigned char)fb[i] >= 0x80 && ((unsigned char)fb[i] & 0xC0) != 0x80) {
            size_t need = ((unsigned char)fb[i] & 0xE0) == 0xC0   ? 2
                          : ((unsigned char)fb[i] & 0xF0) == 0xE0 ? 3
                                                                  : 4;
            assert_true(strlen(fb + i) >= need);
        }
}

/* ---- 4.1 owner-update --------------------------------------------------------------- */

static void set_phone(struct fx *f, int64_t actor, const char *name, const char *phone,
                      const char *phone2)
{
    struct gj_person p;
    person_on(f, 3, 2, 501, name, &p);
    struct gj_error err;
    if (phone)
        snprintf(p.phone, sizeof p.phone, "%s", phone);
    if (phone2)
        snprintf(p.phone2, sizeof p.phone2, "%s", phone2);
    if (gj_person_update(f->db, actor, &p, &err) != GJ_OK)
        fail_msg("%s", err.msg);
}

static void update_phone(struct fx *f)
{
    set_phone(f, f->butler, "李梅", "13912345678", NULL);
}

static void test_owner_update_wrong(void **state)
{
    struct fx *f = *state;
    /* A typo. */
    set_phone(f, f->butler, "李梅", "13912345687", NULL);
    expect_fail(f, "owner-update", "李梅's phone is 13912345687, not 13912345678");
    /* The second phone instead of the first. */
    set_phone(f, f->butler, "李梅", "13920479249", "13912345678");
    expect_fail(f, "owner-update", "went into 李梅's second phone");
    set_phone(f, f->butler, "李梅", NULL, "");
    /* Somebody else's record. */
    set_phone(f, f->butler, "张小宝", "13912345678", NULL);
    expect_fail(f, "owner-update", "The new number was written to 张小宝, not to 李梅.");
    /* Right at last, but 张小宝's record still holds her number. */
    set_phone(f, f->butler, "李梅", "13912345678", NULL);
    expect_fail(f, "owner-update", "The new number was written to 张小宝");
    set_phone(f, f->butler, "张小宝", "15020527520", NULL);
    expect_pass(f, "owner-update", "李梅's phone is now 13912345678.");
}

static void test_owner_update_other_user(void **state)
{
    struct fx *f = *state;
    set_phone(f, f->butler2, "李梅", "13912345678", NULL);
    expect_fail(f, "owner-update", "李梅's phone was not changed after the task was given.");
}

/* ---- 1.2 intake --------------------------------------------------------------------- */

static void take_order(struct fx *f, int b, int e, int r, const char *caller, const char *channel,
                       const char *category, const char *priority)
{
    static struct gj_work_order wo;
    memset(&wo, 0, sizeof wo);
    wo.unit_id = unit_of(f, b, e, r);
    if (caller) {
        struct gj_person p;
        person_on(f, b, e, r, caller, &p);
        wo.person_id = p.id;
    }
    snprintf(wo.channel, sizeof wo.channel, "%s", channel);
    snprintf(wo.category, sizeof wo.category, "%s", category);
    snprintf(wo.priority, sizeof wo.priority, "%s", priority);
    snprintf(wo.description, sizeof wo.description, "%s", "卫生间天花板漏水，越滴越快");
    struct gj_sla_target sla;
    struct gj_error err;
    assert_int_equal(gj_sla_get(f->db, "work_order", priority, &sla, &err), GJ_OK);
    wo.created_at = gj_now();
    gj_wo_set_deadlines(&wo, sla.respond_minutes, sla.resolve_minutes);
    if (gj_wo_create(f->db, f->butler, &wo, &err) != GJ_OK)
        fail_msg("%s", err.msg);
}

/* A request (or a complaint) taken on unit b-e-r from who, by channel, of
 * category and priority (or grade); then the check passes or not, with
 * the feedback line. */
struct take {
    int b, e, r;
    const char *who, *channel, *category, *level;
    int pass;
    const char *line;
};

static void expect_takes(struct fx *f, const char *task,
                         void (*take)(struct fx *f, int b, int e, int r, const char *who,
                                      const char *channel, const char *category, const char *level),
                         const struct take *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        take(f, t[i].b, t[i].e, t[i].r, t[i].who, t[i].channel, t[i].category, t[i].level);
        expect(f, task, t[i].pass, t[i].line);
    }
}

static void take_intake(struct fx *f)
{
    take_order(f, 5, 1, 302, "李四", "phone", "repair", "high");
}

static void test_intake_unlinked(void **state)
{
    struct fx *f = *state;
    /* Typed by unit code: no caller, which is allowed, with a tip. */
    take_order(f, 5, 1, 302, NULL, "phone", "repair", "urgent");
    expect_pass(f, "intake", "\xE2\x80\xA2 Typing the caller's phone (13900139000)");
}

static void test_intake_wrong(void **state)
{
    static const struct take takes[] = {
        {5, 1, 302, "李四", "phone", "repair", "normal", 0, "Priority normal is too low"},
        {5, 1, 302, "李四", "phone", "cleaning", "high", 0, "The category is cleaning"},
        {5, 1, 302, "李四", "wechat", "repair", "high", 0,
         "The channel is WeChat, but 李四 phoned."},
        {5, 1, 302, "王五", "phone", "repair", "high", 0,
         "The order is linked to 王五, but the caller was the tenant 李四."},
        {3, 2, 501, "张三", "phone", "repair", "urgent", 0,
         "is on 3-2-501, but 李四 rents 5-1-302."},
        /* One right order among the wrong ones is enough. */
        {5, 1, 302, "李四", "phone", "repair", "urgent", 1, "Priority: urgent."},
    };
    expect_takes(*state, "intake", take_order, takes, sizeof takes / sizeof takes[0]);
}

/* ---- 4.2 dispatch ------------------------------------------------------------------- */

static int do_order(struct fx *f, int64_t id, struct gj_wo_step step)
{
    static struct gj_work_order wo;
    struct gj_error err;
    assert_int_equal(gj_wo_get(f->db, id, &wo, &err), GJ_OK);
    int rc = gj_wo_do(f->db, f->butler, GJ_ROLE_BUTLER, &wo, &step, &err);
    if (rc != GJ_OK)
        fail_msg("%s", err.msg);
    return rc;
}

static void dispatch_to_maintenance(struct fx *f)
{
    do_order(
        f, 397,
        (struct gj_wo_step){.event = "dispatch", .department_id = department(f, "maintenance")});
}

static void test_dispatch_wrong(void **state)
{
    struct fx *f = *state;
    do_order(f, 397,
             (struct gj_wo_step){.event = "dispatch", .department_id = department(f, "cleaning")});
    expect_fail(f, "dispatch",
                "Work order #397 went to 保洁部: a broken door lock is a repair for the "
                "maintenance department (工程维修部).");
}

/* ---- 2.3 close-feedback ------------------------------------------------------------- */

static void close_with_feedback(struct fx *f)
{
    do_order(f, 328,
             (struct gj_wo_step){.event = "close",
                                 .satisfaction = 4,
                                 .note = "师傅来得很快，但水槽下面没收拾干净"});
}

static void test_close_wrong_rating(void **state)
{
    struct fx *f = *state;
    do_order(f, 328, (struct gj_wo_step){.event = "close", .satisfaction = 5, .note = "很好"});
    expect_fail(f, "close-feedback", "The rating recorded is 5, but 罗勇刚 gave 4.");
}

static void test_close_no_comment(void **state)
{
    struct fx *f = *state;
    do_order(f, 328, (struct gj_wo_step){.event = "close", .satisfaction = 4});
    expect_fail(f, "close-feedback", "His comment is missing");
}

static void test_close_reopened(void **state)
{
    struct fx *f = *state;
    do_order(f, 328, (struct gj_wo_step){.event = "close", .satisfaction = 2, .note = "一般"});
    expect_fail(f, "close-feedback", "Work order #328 was reopened");
}

/* ---- 1.3 payment -------------------------------------------------------------------- */

static int64_t pay(struct fx *f, int b, int e, int r, int64_t fen, const char *method, int print)
{
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = unit_of(f, b, e, r);
    snprintf(p.payer_name, sizeof p.payer_name, "%s", "赵六");
    snprintf(p.method, sizeof p.method, "%s", method);
    p.amount_fen = fen;
    struct gj_error err;
    int64_t credit = 0;
    if (gj_payment_take(f->db, f->butler, &p, NULL, 0, NULL, NULL, &credit, &err) != GJ_OK)
        fail_msg("%s", err.msg);
    if (print) {
        char path[700];
        snprintf(path, sizeof path, "%s/receipts/SJ%08lld.txt", tmpdir, (long long)p.receipt_no);
        assert_int_equal(gj_receipt_print_record(f->db, f->butler, p.id, 0, path, &err), GJ_OK);
    }
    return p.id;
}

static void pay_by_wechat(struct fx *f)
{
    pay(f, 2, 1, 1201, 50000, "wechat", 1);
}

static void test_payment_wrong(void **state)
{
    struct fx *f = *state;
    pay(f, 2, 1, 1201, 50000, "cash", 1);
    expect_fail(f, "payment", "The method is Cash, but 赵六 paid by WeChat.");
    pay(f, 2, 1, 1201, 5000, "wechat", 1);
    expect_fail(f, "payment", "The amount is ¥50.00, but 赵六 paid ¥500.00.");
    pay(f, 3, 2, 501, 50000, "wechat", 1);
    expect_fail(f, "payment", "went to 3-2-501, but 赵六 owns 2-1-1201.");
}

static void test_payment_no_receipt(void **state)
{
    struct fx *f = *state;
    pay(f, 2, 1, 1201, 50000, "wechat", 0);
    expect_fail(f, "payment", "No receipt was printed");
}

static void test_payment_reversed(void **state)
{
    struct fx *f = *state;
    int64_t id = pay(f, 2, 1, 1201, 50000, "wechat", 1);
    struct gj_user sup;
    struct gj_error err;
    assert_int_equal(gj_user_by_login(f->db, "supervisor", &sup, &err), GJ_OK);
    assert_int_equal(gj_payment_reverse(f->db, sup.id, id, "收错了", NULL, &err), GJ_OK);
    expect_fail(f, "payment", "was reversed afterwards");
}

/* ---- 1.3 dunning -------------------------------------------------------------------- */

static void dun(struct fx *f, int b, int e, int r, const char *channel, const char *result,
                const char *date)
{
    struct gj_dunning d;
    memset(&d, 0, sizeof d);
    d.unit_id = unit_of(f, b, e, r);
    snprintf(d.channel, sizeof d.channel, "%s", channel);
    snprintf(d.result, sizeof d.result, "%s", result);
    struct gj_error err;
    if (date)
        assert_int_equal(gj_parse_date(date, &d.promised_at, &err), GJ_OK);
    snprintf(d.note, sizeof d.note, "%s", "出差刚回来，答应五天内缴清");
    if (gj_dunning_add(f->db, f->butler, &d, &err) != GJ_OK)
        fail_msg("%s", err.msg);
}

static void dun_promised(struct fx *f)
{
    dun(f, 2, 1, 1201, "phone", "promised", "2026-12-04");
}

static void test_dunning_wrong(void **state)
{
    struct fx *f = *state;
    dun(f, 2, 1, 1201, "phone", "promised", "2026-12-09");
    expect_fail(f, "dunning", "The promised date 2026-12-09 is more than a week away");
    dun(f, 2, 1, 1201, "phone", "promised", "2026-11-28");
    expect_fail(f, "dunning", "The promised date 2026-11-28 is before the day of the call.");
    dun(f, 2, 1, 1201, "phone", "no_answer", NULL);
    expect_fail(f, "dunning", "The result is no answer, but 赵六 promised to pay.");
    dun(f, 2, 1, 1201, "wechat", "promised", "2026-12-01");
    expect_fail(f, "dunning", "The channel is WeChat, but you phoned 赵六.");
    dun(f, 2, 1, 1202, "phone", "promised", "2026-12-01");
    expect_fail(f, "dunning", "The contact is recorded on 2-1-1202, but 赵六 owns 2-1-1201.");
    /* The last day of the week still counts. */
    dun(f, 2, 1, 1201, "phone", "promised", "2026-12-06");
    expect_pass(f, "dunning", "He promised to pay by 2026-12-06.");
}

/* ---- 5.1 complaint ------------------------------------------------------------------ */

static void complain(struct fx *f, int b, int e, int r, const char *who, const char *channel,
                     const char *category, const char *grade)
{
    static struct gj_complaint c;
    memset(&c, 0, sizeof c);
    c.unit_id = unit_of(f, b, e, r);
    if (who) {
        struct gj_person p;
        person_on(f, b, e, r, who, &p);
        c.person_id = p.id;
    }
    snprintf(c.channel, sizeof c.channel, "%s", channel);
    snprintf(c.subject, sizeof c.subject, "%s", "北门保安辱骂业主");
    snprintf(
        c.detail, sizeof c.detail, "%s",
        "昨晚十一点左右业主请北门保安抬杆，保安当着邻居的面大声呵斥并辱骂业主，业主要求道歉。");
    snprintf(c.category, sizeof c.category, "%s", category);
    snprintf(c.grade, sizeof c.grade, "%s", grade);
    struct gj_error err;
    if (gj_complaint_take(f->db, f->butler, GJ_ROLE_BUTLER, &c, &err) != GJ_OK)
        fail_msg("%s", err.msg);
}

static void complain_walked_in(struct fx *f)
{
    complain(f, 1, 1, 101, "曾单", "walk_in", "attitude", "moderate");
}

static void test_complaint_wrong(void **state)
{
    static const struct take takes[] = {
        {1, 1, 101, "曾单", "walk_in", "attitude", "minor", 0,
         "Graded minor, but the guard insulted 曾单 in front of his neighbours: that is "
         "moderate."},
        {1, 1, 101, "曾单", "walk_in", "attitude", "serious", 0,
         "Graded serious, but nobody was hurt"},
        {1, 1, 101, "曾单", "walk_in", "security", "moderate", 0, "The category is security"},
        {1, 1, 101, "曾单", "phone", "attitude", "moderate", 0,
         "The channel is phone, but 曾单 came to the service centre"},
        {3, 2, 501, "张三", "walk_in", "attitude", "moderate", 0,
         "is on 3-2-501, but 曾单 owns 1-1-101."},
    };
    expect_takes(*state, "complaint", complain, takes, sizeof takes / sizeof takes[0]);
}

/* ---- 5.3 revisit -------------------------------------------------------------------- */

static void revisit(struct fx *f, int satisfaction, const char *note)
{
    static struct gj_complaint c;
    struct gj_error err;
    assert_int_equal(gj_complaint_get(f->db, 41, &c, &err), GJ_OK);
    struct gj_complaint_step step = {
        .event = "revisit", .satisfaction = satisfaction, .note = note};
    if (gj_complaint_do(f->db, f->butler, GJ_ROLE_BUTLER, &c, &step, &err) != GJ_OK)
        fail_msg("%s", err.msg);
}

static void revisit_satisfied(struct fx *f)
{
    revisit(f, 4, "一周没有再漏水，很满意");
}

static void test_revisit_wrong(void **state)
{
    struct fx *f = *state;
    revisit(f, 3, "还行");
    expect_fail(f, "revisit", "The satisfaction recorded is 3, but 孟怡 said 4.");
}

static void test_revisit_reopened(void **state)
{
    struct fx *f = *state;
    revisit(f, 2, NULL);
    expect_fail(f, "revisit", "Complaint #41 was reopened by a rating of 2");
}

/* ---- 3.3 privacy -------------------------------------------------------------------- */

static void log_call(struct fx *f, int b, int e, int r, const char *channel, const char *summary)
{
    struct gj_contact c;
    memset(&c, 0, sizeof c);
    c.unit_id = unit_of(f, b, e, r);
    snprintf(c.channel, sizeof c.channel, "%s", channel);
    snprintf(c.summary, sizeof c.summary, "%s", summary);
    struct gj_error err;
    if (gj_contact_add(f->db, f->butler, &c, &err) != GJ_OK)
        fail_msg("%s", err.msg);
}

static void log_refusal(struct fx *f)
{
    log_call(f, 3, 2, 501, "phone",
             "自称张三朋友的人来电索要张三手机号，已婉拒，请其留下姓名电话，由我们转告业主。");
}

static void test_privacy_english(void **state)
{
    struct fx *f = *state;
    log_call(f, 3, 2, 501, "phone",
             "A caller claiming to be a friend of the owner asked for his mobile number. "
             "Declined; took the caller's name and number to pass on.");
    expect_pass(f, "privacy", "records that the number was asked for and refused");
}

static void test_privacy_leak(void **state)
{
    struct fx *f = *state;
    log_call(f, 3, 2, 501, "phone", "朋友来电要张三的电话，已拒绝（尾号8000）");
    expect_fail(f, "privacy", "The log holds 张三's phone number (or its last four digits)");
}

static void test_privacy_leak_full(void **state)
{
    struct fx *f = *state;
    log_call(f, 3, 2, 501, "phone", "朋友来电要号码，已拒绝。");
    log_call(f, 3, 2, 501, "phone", "备注：业主电话13800138000");
    expect_fail(f, "privacy", "The log holds 张三's phone number");
}

static void test_privacy_wrong(void **state)
{
    struct fx *f = *state;
    log_call(f, 3, 2, 502, "phone", "来电索要业主电话，已拒绝");
    expect_fail(f, "privacy", "The call is logged on 3-2-502, but the caller asked about 张三");
    log_call(f, 3, 2, 501, "phone", "有人来电找张三");
    expect_fail(f, "privacy", "The entry on 3-2-501 does not say that the number was asked for");
    log_call(f, 3, 2, 501, "walk_in", "来电索要业主电话，已拒绝");
    expect_fail(f, "privacy", "The channel is walk-in, but the caller phoned.");
}

/* ---- each task done right, and done before it was given ---------------------------- */

enum { OWNER_UPDATE, INTAKE, DISPATCH, CLOSE, PAYMENT, DUNNING, COMPLAINT, REVISIT, PRIVACY };

/* A task done right by act, the lines its feedback then holds (the second
 * may be NULL), and the line when it was done before the task was given. */
struct done {
    const char *task;
    void (*act)(struct fx *f);
    const char *right[2];
    const char *before;
};

static const struct done done[] = {
    [OWNER_UPDATE] = {"owner-update",
                      update_phone,
                      {"李梅's phone is now 13912345678.", NULL},
                      "李梅's phone was not changed after the task was given."},
    [INTAKE] = {"intake",
                take_intake,
                {"The caller 李四 is linked to the order.", "Priority: high."},
                "No work order was taken since the task was given."},
    [DISPATCH] = {"dispatch",
                  dispatch_to_maintenance,
                  {"Work order #397 was dispatched to 工程维修部",
                   "\xE2\x80\xA2 Naming the technician"},
                  "you have not dispatched it since the task was given"},
    [CLOSE] = {"close-feedback",
               close_with_feedback,
               {"Closed with 罗勇刚's rating of 4.", "His comment is recorded: 师傅来得很快"},
               "you have not closed it since the task was given"},
    [PAYMENT] = {"payment",
                 pay_by_wechat,
                 {"Amount: ¥500.00.", "The receipt was printed for 赵六."},
                 "No payment was taken since the task was given."},
    [DUNNING] = {"dunning",
                 dun_promised,
                 {"He promised to pay by 2026-12-04.", NULL},
                 "No dunning contact was recorded since the task was given."},
    [COMPLAINT] = {"complaint",
                   complain_walked_in,
                   {"Grade: moderate.", "曾单 is linked as the complainant."},
                   "No complaint was registered since the task was given."},
    [REVISIT] = {"revisit",
                 revisit_satisfied,
                 {"The revisit is recorded with 孟怡's satisfaction of 4.",
                  "Her words are recorded: 一周没有再漏水"},
                 "No revisit of complaint #41 was recorded since the task was given."},
    [PRIVACY] = {"privacy",
                 log_refusal,
                 {"The entry on 3-2-501 records that the number was asked for and refused.",
                  "张三's number appears nowhere in what you wrote."},
                 "No contact was recorded since the task was given"},
};

static void test_done_right(void **state)
{
    struct fx *f = *state;
    f->done->act(f);
    for (int k = 0; k < 2 && f->done->right[k]; k++)
        expect_pass(f, f->done->task, f->done->right[k]);
}

static void test_done_before(void **state)
{
    struct fx *f = *state;
    gj_test_set_now(BEFORE);
    f->done->act(f);
    gj_test_set_now(AFTER);
    expect_fail(f, f->done->task, f->done->before);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define DONE_RIGHT(name, task)                                                                     \
    {                                                                                              \
        name, test_done_right, setup, teardown, (void *)&done[task]                                \
    }
#define DONE_BEFORE(name, task)                                                                    \
    {                                                                                              \
        name, test_done_before, setup, teardown, (void *)&done[task]                               \
    }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list),
        T(test_nothing_done),
        cmocka_unit_test(test_not_the_practice_estate),
        T(test_small_buffer),
        DONE_RIGHT("test_owner_update", OWNER_UPDATE),
        T(test_owner_update_wrong),
        DONE_BEFORE("test_owner_update_before", OWNER_UPDATE),
        T(test_owner_update_other_user),
        DONE_RIGHT("test_intake", INTAKE),
        T(test_intake_unlinked),
        T(test_intake_wrong),
        DONE_BEFORE("test_intake_before", INTAKE),
        DONE_RIGHT("test_dispatch", DISPATCH),
        T(test_dispatch_wrong),
        DONE_BEFORE("test_dispatch_before", DISPATCH),
        DONE_RIGHT("test_close", CLOSE),
        T(test_close_wrong_rating),
        T(test_close_no_comment),
        T(test_close_reopened),
        DONE_BEFORE("test_close_before", CLOSE),
        DONE_RIGHT("test_payment", PAYMENT),
        T(test_payment_wrong),
        T(test_payment_no_receipt),
        T(test_payment_reversed),
        DONE_BEFORE("test_payment_before", PAYMENT),
        DONE_RIGHT("test_dunning", DUNNING),
        T(test_dunning_wrong),
        DONE_BEFORE("test_dunning_before", DUNNING),
        DONE_RIGHT("test_complaint", COMPLAINT),
        T(test_complaint_wrong),
        DONE_BEFORE("test_complaint_before", COMPLAINT),
        DONE_RIGHT("test_revisit", REVISIT),
        T(test_revisit_wrong),
        T(test_revisit_reopened),
        DONE_BEFORE("test_revisit_before", REVISIT),
        DONE_RIGHT("test_privacy", PRIVACY),
        T(test_privacy_english),
        T(test_privacy_leak),
        T(test_privacy_leak_full),
        T(test_privacy_wrong),
        DONE_BEFORE("test_privacy_before", PRIVACY),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
