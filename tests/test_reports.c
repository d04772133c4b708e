/* repo/reports: every number of every report on a small estate built
 * through the repository functions with the clock fixed (GUANJIA_NOW,
 * TZ=CST-8), against values worked out by hand below.
 *
 * The range is September and October 2026: FROM = 2026-09-01 00:00,
 * TO = 2026-11-01 00:00; the reports are judged at NOW = 2026-11-10 09:00.
 * Units U1 1-1-101, U2 1-1-102, U3 2-1-201; departments 工程维修部 (D1)
 * and 保洁部 (D2). Work orders are normal priority: respond within 2 h,
 * resolve within 72 h.
 *
 * Work orders (taken, channel, category; what happened):
 *   W1  09-01 00:00 (= FROM) phone  repair      D1 00:30, resolved 09-02 00:00        met
 *   W2  09-10 08:00 wechat repair      D1 11:00, held 09-11 08:00 to 09-13 08:00
 *       (48 h paused), resolved 09-14 20:00: due 09-13 08:00 + 48 h = 09-15 08:00    met
 *   W3  10-02 09:00 walk_in cleaning   D2 09:20, resolved 10-06 09:00 > due 10-05    missed
 *   W4  10-15 14:00 phone  cleaning    D2 15:00, promised on 10-16 09:00 for 10-20
 *       18:00, resolved 10-19 12:00 (after the target 10-18 14:00, before the
 *       promise)                                                                 met
 *   W5  10-20 10:00 phone  repair      never dispatched; due 10-23 10:00 < NOW       missed
 *   W6  10-30 10:00 email  enquiry     D1 10:10, held (owner) 10-31 10:00, before its
 *       due 11-02 10:00, still on hold                                           neither
 *   W7  10-25 10:00 phone  other       cancelled 10:30                           neither
 *   W8  10-28 09:00 wechat landscaping D1 09:30, promised 11-15 18:00, open      neither
 *   W10 10-30 09:00 phone  security    D1 09:30, open; due 11-02 09:00: after TO,
 *       before NOW                                                               missed
 *   W9  11-01 00:00 (= TO) wechat repair: outside the range.
 * Summary: 9 orders, met 3 (W1 W2 W4), missed 3 (W3 W5 W10): 3/6 = 500‰.
 * Respond (taken to dispatched): W1 1800 W2 10800 W3 1200 W4 3600 W6 600
 *   W8 1800 W10 1800 = 21600 s / 7 = 3085 s ("51m").
 * Resolve: W1 86400 W2 388800 W3 345600 W4 338400 = 1159200 s / 4 = 289800 s
 *   ("3d 08h").
 * By category: repair W1 W2 W5 3/2/1 666‰; cleaning W3 W4 2/1/1 500‰;
 *   landscaping W8 1/0/0 —; security W10 1/0/1 0‰; enquiry W6 1/0/0 —;
 *   suggestion 0 —; other W7 1/0/0 —.
 * By department (by name: 保洁部 E4.. before 工程维修部 E5..): 保洁部 W3 W4
 *   2/1/1 500‰; 工程维修部 W1 W2 W6 W8 W10 5/2/1 666‰; not dispatched W5 W7
 *   2/0/1 0‰.
 * By month: 2026-09 W1 W2 2/2/0 1000‰; 2026-10 W3-W8 W10 7/1/3 250‰.
 * Judged at 2026-11-01 12:00 instead of NOW, W10 (due 11-02 09:00) is not
 * yet missed: missed 2, 3/5 = 600‰.
 *
 * Complaints (unit, taken, channel, grade, category; ack, resolved, revisit):
 *   C1  U1 09-03 10:00 phone   minor    noise          ack 10:30, resolved 20:00 (due
 *       +24 h: on time), revisited 09-05 10:00 rated 5
 *   C2  U1 09-20 09:00 wechat  moderate repair_quality ack 09:30, resolved 09-23 09:00
 *       (due +48 h = 09-22 09:00: late), revisited 10-02 10:00 rated 3
 *   C3  U1 10-10 08:00 phone   serious  attitude       ack 08:20, resolved 10-11 08:00
 *       (due +72 h: on time), revisited 11-02 10:00 (after TO) rated 4
 *   C4  U2 10-20 15:00 walk_in minor    sanitation     open
 *   C10 U3 10-05 12:00 other   minor    security       ack 12:10, resolved 14:00 (on
 *       time), revisited 10-06 12:00 rated 4
 *   C11 U3 10-06 09:00 phone   minor    noise          open
 *   C12 U3 10-07 09:00 phone   minor    noise          open
 *   outside the range:
 *   C5  U1 08-25 10:00 email   minor    noise          ack 11:00, resolved 18:00,
 *       revisited 09-01 00:00 (= FROM) rated 4
 *   C6  U2 11-01 00:00 (= TO) phone minor other        open
 *   C7  U2 08-02 23:59:59 phone minor fees             open (1 s before the repeat window)
 *   C8  U2 08-03 00:00 (= TO - 90 days) wechat minor parking, open
 * Summary: 7 taken; resolved 4 (C1 C2 C3 C10), on time 3: 750‰; acknowledge
 *   1800 1800 1200 600 = 5400 / 4 = 1350 s ("22m"); resolve 36000 259200
 *   86400 7200 = 388800 / 4 = 97200 s ("1d 03h"); revisits recorded in the
 *   range: C5 4, C1 5, C2 3, C10 4 = 4, mean 16/4 = 4.00.
 * By grade: minor 5 (714‰), moderate 1 (142‰), serious 1 (142‰).
 * By category: attitude 1, repair_quality 1, noise 3 (428‰), sanitation 1,
 *   security 1 (142‰ each), the rest 0 (0‰).
 * By month: 2026-09 C1 C2: 2 taken, 2 resolved, 1 on time, 500‰; 2026-10
 *   C3 C4 C10 C11 C12: 5, 2, 2, 1000‰.
 * Satisfaction by month: 2026-09 C5 C1: 2, 4.50; 2026-10 C2 C10: 2, 3.50.
 * Repeat complainants in [08-03 00:00, 11-01 00:00): U1 4 (C5 C1 C2 C3),
 *   U3 3 (C10 C11 C12); U2 only 2 (C8 C4; C7 is a second early, C6 at TO).
 *
 * Channels: work orders phone 5 (W1 W4 W5 W7 W10), wechat 2 (W2 W8), email 1
 * (W6), walk_in 1 (W3), other 0 = 9; complaints phone 4 (C1 C3 C11 C12),
 * wechat 1 (C2), email 0, walk_in 1 (C4), other 1 (C10) = 7. Together 16:
 * phone 9 (562‰), wechat 3 (187‰), email 1 (62‰), walk-in 2 (125‰), other 1
 * (62‰).
 *
 * Fees (fixed items A ¥100.00 and B ¥50.00; due on the 15th at 00:00):
 *   U1 2026-08 A 10000 unpaid          (87 days at NOW: 31-90)
 *   U1 2026-09 A 10000 paid in full
 *   U2 2026-09 A 10000 paid 4000       (owes 6000, 56 days: 31-90)
 *   U1 2026-10 A 10000 unpaid          (26 days: 0-30)
 *   U2 2026-10 B  5000 paid, reversed  (owes 5000: 0-30)
 *   U3 2026-10 A 10000 paid 2500       (owes 7500: 0-30)
 *   U3 2026-11 A 10000 unpaid, due 11-15: not yet in arrears
 *   U3 2026-04 B  5000 unpaid          (209 days: over 180)
 *   U2 2026-06 B  5000 unpaid          (148 days: 91-180)
 * Bills by month: 2026-09 billed 20000, collected 14000, owed 6000, 700‰;
 *   2026-10 billed 25000, collected 2500, owed 22500, 100‰.
 * Summary: billed 45000, collected 16500, owed 28500, 16500/45000 = 366‰;
 *   3 units in arrears owing 48500.
 * By age: 0-30 22500 (463‰), 31-90 16000 (329‰), 91-180 5000 (103‰), over
 *   180 5000 (103‰).
 *
 * Training, as of TO - 1 s (2026-10-31 23:59:59, before NOW):
 *   小刘 (trainee, rank trainee): chapter 1 9/10, chapter 2 7/10 then 8/10,
 *     chapter 3 8/10 on 11-05 (too late): 2 chapters; walkthrough passed on
 *     10-20: done; tasks: wo_take passed twice, complaint failed, fees_pay
 *     passed on 11-03 (too late): 1; assessments (4,3,4,3) and (5,4,4,4),
 *     and one on 11-05 (too late): 2, 31 / 8 = 3.875: "3.87".
 *   陈管家 (butler, rank assistant): nothing yet: 0, not yet, 0, 0, —.
 *   Not listed: an inactive trainee, the supervisor and the manager. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/complaint_rules.h"
#include "guanjia/db.h"
#include "guanjia/ranks.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_reports.h"
#include "guanjia/repo_staff.h"
#include "guanjia/repo_training.h"
#include "guanjia/repo_users.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOUR INT64_C(3600)

struct fx {
    struct gj_db *db;
    int64_t u1, u2, u3, d1, d2;
    int64_t from, to, now;
    struct gj_report *r;
};

/* ---- the estate ----------------------------------------------------------- */

static int64_t make_unit(struct gj_db *db, int building, int entrance, int room)
{
    struct gj_unit u = {.building = building,
                        .entrance = entrance,
                        .room = room,
                        .floor = room / 100,
                        .area_centi_m2 = 9000,
                        .delivered_at = gj_test_at("2024-01-01T00:00")};
    return gj_test_add_unit(db, 0, &u); /* occupied */
}

static int64_t make_department(struct gj_db *db, const char *name, const char *kind)
{
    struct gj_error err;
    struct gj_department d = {.active = 1};
    snprintf(d.name, sizeof d.name, "%s", name);
    snprintf(d.kind, sizeof d.kind, "%s", kind);
    gj_test_must(gj_department_create(db, 0, &d, &err), &err);
    return d.id;
}

/* ---- work orders ---------------------------------------------------------- */

static void wo_take(struct fx *f, struct gj_work_order *wo, const char *when, const char *channel,
                    const char *category)
{
    gj_test_set_now(when);
    memset(wo, 0, sizeof *wo);
    wo->unit_id = f->u1;
    snprintf(wo->channel, sizeof wo->channel, "%s", channel);
    snprintf(wo->category, sizeof wo->category, "%s", category);
    snprintf(wo->priority, sizeof wo->priority, "%s", "normal");
    snprintf(wo->description, sizeof wo->description, "%s", "报表测试工单");
    wo->created_at = gj_now();
    gj_wo_set_deadlines(wo, 120, 4320);
    struct gj_error err;
    gj_test_must(gj_wo_create(f->db, 0, wo, &err), &err);
    assert_int_equal(wo->created_at, gj_test_at(when));
}

static void wo_step(struct fx *f, struct gj_work_order *wo, const char *when, struct gj_wo_step s)
{
    gj_test_set_now(when);
    struct gj_error err;
    gj_test_must(gj_wo_do(f->db, 0, GJ_ROLE_MANAGER, wo, &s, &err), &err);
}

static void dispatch(struct fx *f, struct gj_work_order *wo, const char *when, int64_t dept)
{
    wo_step(f, wo, when, (struct gj_wo_step){.event = "dispatch", .department_id = dept});
}

static void start(struct fx *f, struct gj_work_order *wo, const char *when)
{
    wo_step(f, wo, when, (struct gj_wo_step){.event = "start"});
}

static void resolve(struct fx *f, struct gj_work_order *wo, const char *when)
{
    wo_step(f, wo, when, (struct gj_wo_step){.event = "resolve", .note = "已处理完毕"});
}

static void make_work_orders(struct fx *f)
{
    struct gj_work_order wo;
    /* W1 */
    wo_take(f, &wo, "2026-09-01T00:00", "phone", "repair");
    dispatch(f, &wo, "2026-09-01T00:30", f->d1);
    start(f, &wo, "2026-09-01T01:00");
    resolve(f, &wo, "2026-09-02T00:00");
    wo_step(f, &wo, "2026-09-02T10:00",
            (struct gj_wo_step){.event = "close", .satisfaction = 5, .note = "满意"});
    /* W2: 48 hours on hold move its deadline */
    wo_take(f, &wo, "2026-09-10T08:00", "wechat", "repair");
    dispatch(f, &wo, "2026-09-10T11:00", f->d1);
    start(f, &wo, "2026-09-10T12:00");
    wo_step(f, &wo, "2026-09-11T08:00",
            (struct gj_wo_step){.event = "hold", .hold_reason = "parts"});
    wo_step(f, &wo, "2026-09-13T08:00", (struct gj_wo_step){.event = "resume"});
    resolve(f, &wo, "2026-09-14T20:00");
    /* W3: resolved a day late */
    wo_take(f, &wo, "2026-10-02T09:00", "walk_in", "cleaning");
    dispatch(f, &wo, "2026-10-02T09:20", f->d2);
    start(f, &wo, "2026-10-02T10:00");
    resolve(f, &wo, "2026-10-06T09:00");
    /* W4: a promise later than the target, kept */
    wo_take(f, &wo, "2026-10-15T14:00", "phone", "cleaning");
    dispatch(f, &wo, "2026-10-15T15:00", f->d2);
    start(f, &wo, "2026-10-15T16:00");
    wo_step(f, &wo, "2026-10-16T09:00",
            (struct gj_wo_step){.event = "promise",
                                .promised_at = gj_test_at("2026-10-20T18:00"),
                                .note = "业主周末在家"});
    resolve(f, &wo, "2026-10-19T12:00");
    /* W5: never dispatched */
    wo_take(f, &wo, "2026-10-20T10:00", "phone", "repair");
    /* W7: cancelled (taken before W6 and W8 in time, after them in id: no matter) */
    wo_take(f, &wo, "2026-10-25T10:00", "phone", "other");
    wo_step(f, &wo, "2026-10-25T10:30", (struct gj_wo_step){.event = "cancel", .note = "重复报事"});
    /* W6: on hold before its deadline */
    wo_take(f, &wo, "2026-10-30T10:00", "email", "enquiry");
    dispatch(f, &wo, "2026-10-30T10:10", f->d1);
    start(f, &wo, "2026-10-30T10:20");
    wo_step(f, &wo, "2026-10-31T10:00",
            (struct gj_wo_step){.event = "hold", .hold_reason = "owner"});
    /* W8: promised for after NOW */
    wo_take(f, &wo, "2026-10-28T09:00", "wechat", "landscaping");
    dispatch(f, &wo, "2026-10-28T09:30", f->d1);
    wo_step(f, &wo, "2026-10-29T09:00",
            (struct gj_wo_step){.event = "promise",
                                .promised_at = gj_test_at("2026-11-15T18:00"),
                                .note = "苗木下月到货"});
    /* W10: due after TO, before NOW */
    wo_take(f, &wo, "2026-10-30T09:00", "phone", "security");
    dispatch(f, &wo, "2026-10-30T09:30", f->d1);
    /* W9: at TO, outside */
    wo_take(f, &wo, "2026-11-01T00:00", "wechat", "repair");
}

/* ---- complaints ----------------------------------------------------------- */

struct cspec {
    int64_t unit;
    const char *taken, *channel, *grade, *category;
    int due_hours;
    const char *ack, *resolved, *revisited; /* NULL: never */
    int satisfaction;
};

static void transition(struct fx *f, struct gj_complaint *c, const char *when, const char *state,
                       const char *kind)
{
    gj_test_set_now(when);
    struct gj_error err;
    struct gj_complaint_event ev;
    memset(&ev, 0, sizeof ev);
    snprintf(ev.kind, sizeof ev.kind, "%s", kind);
    ev.from_level = ev.to_level = -1;
    snprintf(c->state, sizeof c->state, "%s", state);
    gj_test_must(gj_complaint_transition(f->db, 0, c, &ev, &err), &err);
}

static void complaint(struct fx *f, const struct cspec *s)
{
    struct gj_error err;
    struct gj_complaint *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->unit_id = s->unit;
    snprintf(c->channel, sizeof c->channel, "%s", s->channel);
    snprintf(c->subject, sizeof c->subject, "%s", "报表测试投诉");
    snprintf(c->detail, sizeof c->detail, "%s", "用于报表的投诉。");
    snprintf(c->category, sizeof c->category, "%s", s->category);
    snprintf(c->grade, sizeof c->grade, "%s", s->grade);
    snprintf(c->root_cause, sizeof c->root_cause, "%s", "巡查不到位");
    snprintf(c->corrective_action, sizeof c->corrective_action, "%s", "加强巡查");
    int64_t taken = gj_test_at(s->taken);
    c->ack_due_at = taken + HOUR;
    c->resolve_due_at = taken + s->due_hours * HOUR;
    gj_test_set_now(s->taken);
    gj_test_must(gj_complaint_create(f->db, 0, c, &err), &err);
    assert_int_equal(c->created_at, taken);
    if (s->ack) {
        c->acknowledged_at = gj_test_at(s->ack);
        transition(f, c, s->ack, "acknowledged", "acknowledged");
    }
    if (s->resolved) {
        c->resolved_at = gj_test_at(s->resolved);
        c->revisit_due_at = c->resolved_at + 3 * 24 * HOUR;
        transition(f, c, s->resolved, "resolved", "resolved");
    }
    if (s->revisited) {
        c->satisfaction = s->satisfaction;
        c->revisited_at = c->closed_at = gj_test_at(s->revisited);
        transition(f, c, s->revisited, "closed", "closed");
    }
    free(c);
}

static void make_complaints(struct fx *f)
{
    const struct cspec data[] = {
        /* C1 */
        {f->u1, "2026-09-03T10:00", "phone", "minor", "noise", 24, "2026-09-03T10:30",
         "2026-09-03T20:00", "2026-09-05T10:00", 5},
        /* C2: resolved a day late */
        {f->u1, "2026-09-20T09:00", "wechat", "moderate", "repair_quality", 48, "2026-09-20T09:30",
         "2026-09-23T09:00", "2026-10-02T10:00", 3},
        /* C3: revisited after TO */
        {f->u1, "2026-10-10T08:00", "phone", "serious", "attitude", 72, "2026-10-10T08:20",
         "2026-10-11T08:00", "2026-11-02T10:00", 4},
        /* C4 */
        {f->u2, "2026-10-20T15:00", "walk_in", "minor", "sanitation", 24, NULL, NULL, NULL, 0},
        /* C10 */
        {f->u3, "2026-10-05T12:00", "other", "minor", "security", 24, "2026-10-05T12:10",
         "2026-10-05T14:00", "2026-10-06T12:00", 4},
        /* C11, C12 */
        {f->u3, "2026-10-06T09:00", "phone", "minor", "noise", 24, NULL, NULL, NULL, 0},
        {f->u3, "2026-10-07T09:00", "phone", "minor", "noise", 24, NULL, NULL, NULL, 0},
        /* C5: before FROM, revisited exactly at FROM */
        {f->u1, "2026-08-25T10:00", "email", "minor", "noise", 24, "2026-08-25T11:00",
         "2026-08-25T18:00", "2026-09-01T00:00", 4},
        /* C6: exactly at TO */
        {f->u2, "2026-11-01T00:00", "phone", "minor", "other", 24, NULL, NULL, NULL, 0},
        /* C7: one second before the repeat window */
        {f->u2, "2026-08-02T23:59:59", "phone", "minor", "fees", 24, NULL, NULL, NULL, 0},
        /* C8: the window's first second */
        {f->u2, "2026-08-03T00:00", "wechat", "minor", "parking", 24, NULL, NULL, NULL, 0},
    };
    for (size_t i = 0; i < sizeof data / sizeof data[0]; i++)
        complaint(f, &data[i]);
}

/* ---- fees ----------------------------------------------------------------- */

static int64_t make_item(struct fx *f, const char *name, int64_t rate)
{
    struct gj_error err;
    struct gj_fee_item it = {.kind = "fixed", .rate_fen = rate, .active_from = 202601};
    snprintf(it.name, sizeof it.name, "%s", name);
    gj_test_must(gj_fee_item_create(f->db, 0, &it, &err), &err);
    return it.id;
}

static int64_t make_bill(struct fx *f, int64_t unit, int64_t item, int period)
{
    char due[32];
    snprintf(due, sizeof due, "%04d-%02d-15T00:00", period / 100, period % 100);
    struct gj_error err;
    struct gj_bill b = {
        .unit_id = unit, .fee_item_id = item, .period = period, .due_at = gj_test_at(due)};
    gj_test_must(gj_bill_create(f->db, 0, &b, &err), &err);
    return b.id;
}

static int64_t pay(struct fx *f, int64_t unit, int64_t bill, int64_t fen, const char *when)
{
    gj_test_set_now(when);
    struct gj_error err;
    struct gj_payment p = {
        .unit_id = unit, .payer_name = "业主", .method = "wechat", .amount_fen = fen};
    gj_test_must(gj_payment_take(f->db, 0, &p, &bill, 1, NULL, NULL, NULL, &err), &err);
    return p.id;
}

static void make_fees(struct fx *f)
{
    gj_test_set_now("2026-11-01T08:00");
    int64_t a = make_item(f, "物业费", 10000), b = make_item(f, "垃圾清运费", 5000);
    make_bill(f, f->u1, a, 202608);
    int64_t u1_sep = make_bill(f, f->u1, a, 202609);
    int64_t u2_sep = make_bill(f, f->u2, a, 202609);
    make_bill(f, f->u1, a, 202610);
    int64_t u2_oct = make_bill(f, f->u2, b, 202610);
    int64_t u3_oct = make_bill(f, f->u3, a, 202610);
    make_bill(f, f->u3, a, 202611);
    make_bill(f, f->u3, b, 202604);
    make_bill(f, f->u2, b, 202606);
    pay(f, f->u1, u1_sep, 10000, "2026-09-12T10:00");
    pay(f, f->u2, u2_sep, 4000, "2026-09-20T10:00");
    int64_t wrong = pay(f, f->u2, u2_oct, 5000, "2026-10-10T10:00");
    pay(f, f->u3, u3_oct, 2500, "2026-10-12T10:00");
    gj_test_set_now("2026-10-11T09:00");
    struct gj_error err;
    gj_test_must(gj_payment_reverse(f->db, 0, wrong, "收错房号", NULL, &err), &err);
}

/* ---- training ------------------------------------------------------------- */

static int64_t make_user(struct fx *f, const char *login, const char *name, const char *role,
                         const char *rank)
{
    gj_test_set_now("2026-01-05T09:00");
    struct gj_error err;
    struct gj_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.role, sizeof u.role, "%s", role);
    snprintf(u.rank, sizeof u.rank, "%s", rank);
    gj_test_must(gj_user_create(f->db, 0, &u, "correct horse battery", &err), &err);
    return u.id;
}

static void quiz(struct fx *f, int64_t user, int chapter, int score, const char *when)
{
    gj_test_set_now(when);
    struct gj_error err;
    struct gj_quiz_result q = {
        .user_id = user, .chapter = chapter, .score = score, .max_score = 10};
    gj_test_must(gj_quiz_result_add(f->db, &q, &err), &err);
}

static void practice(struct fx *f, int64_t user, const char *task, int passed, const char *when)
{
    gj_test_set_now(when);
    struct gj_error err;
    struct gj_practice_result p = {.user_id = user, .passed = passed};
    snprintf(p.task_id, sizeof p.task_id, "%s", task);
    gj_test_must(gj_practice_result_add(f->db, &p, &err), &err);
}

static void assess(struct fx *f, int64_t user, int64_t by, const int s[4], const char *when)
{
    gj_test_set_now(when);
    struct gj_error err;
    struct gj_assessment x = {.trainee_id = user,
                              .assessor_id = by,
                              .professional = s[0],
                              .communication = s[1],
                              .management = s[2],
                              .service = s[3]};
    gj_test_must(gj_assessment_add(f->db, &x, &err), &err);
}

static void make_training(struct fx *f)
{
    int64_t boss = make_user(f, "boss", "王经理", "manager", "head");
    int64_t liu = make_user(f, "liu", "小刘", "trainee", "trainee");
    make_user(f, "chen", "陈管家", "butler", "assistant");
    int64_t gone = make_user(f, "gone", "已离职", "trainee", "trainee");
    make_user(f, "sup", "李主管", "supervisor", "senior");
    struct gj_error err;
    struct gj_user u;
    gj_test_must(gj_user_get(f->db, gone, &u, &err), &err);
    u.active = 0;
    gj_test_set_now("2026-02-01T09:00");
    gj_test_must(gj_user_update(f->db, boss, &u, &err), &err);

    quiz(f, liu, 1, 9, "2026-09-10T10:00");
    quiz(f, liu, 2, 7, "2026-09-11T10:00");
    quiz(f, liu, 2, 8, "2026-09-12T10:00");
    quiz(f, liu, 3, 8, "2026-11-05T10:00");
    gj_test_set_now("2026-10-20T10:00");
    gj_test_must(gj_training_mark(f->db, liu, liu, "walkthrough", "passed", &err), &err);
    practice(f, liu, "wo_take", 1, "2026-10-10T10:00");
    practice(f, liu, "complaint", 0, "2026-10-11T10:00");
    practice(f, liu, "wo_take", 1, "2026-10-12T10:00");
    practice(f, liu, "fees_pay", 1, "2026-11-03T10:00");
    assess(f, liu, boss, (const int[4]){4, 3, 4, 3}, "2026-10-01T10:00");
    assess(f, liu, boss, (const int[4]){5, 4, 4, 4}, "2026-10-15T10:00");
    assess(f, liu, boss, (const int[4]){1, 1, 1, 1}, "2026-11-05T10:00");
}

/* ---- set-up --------------------------------------------------------------- */

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    struct gj_error err;
    gj_test_set_now("2026-01-01T09:00");
    gj_test_must(gj_db_open(":memory:", GJ_DB_CREATE, &f->db, &err), &err);
    f->u1 = make_unit(f->db, 1, 1, 101);
    f->u2 = make_unit(f->db, 1, 1, 102);
    f->u3 = make_unit(f->db, 2, 1, 201);
    f->d1 = make_department(f->db, "工程维修部", "maintenance");
    f->d2 = make_department(f->db, "保洁部", "cleaning");
    make_work_orders(f);
    make_complaints(f);
    make_fees(f);
    make_training(f);
    f->from = gj_test_at("2026-09-01T00:00");
    f->to = gj_test_at("2026-11-01T00:00");
    f->now = gj_test_at("2026-11-10T09:00");
    gj_test_set_now("2026-11-10T09:00");
    f->r = malloc(sizeof *f->r);
    assert_non_null(f->r);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    if (!f)
        return 0;
    gj_db_close(f->db);
    free(f->r);
    free(f);
    unsetenv("GUANJIA_NOW");
    return 0;
}

static struct gj_report *run(struct fx *f, const char *name, int64_t now)
{
    struct gj_error err;
    memset(f->r, 0xA5, sizeof *f->r); /* everything must be written */
    gj_test_must(gj_report_run(f->db, name, f->from, f->to, now, f->r, &err), &err);
    assert_string_equal(f->r->name, name);
    assert_string_equal(f->r->title, gj_report_title(name));
    assert_int_equal(f->r->from, f->from);
    assert_int_equal(f->r->to, f->to);
    return f->r;
}

/* ---- checking cells ------------------------------------------------------- */

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Table i of r: its title, shape and chart. */
static const struct gj_report_table *table(const struct gj_report *r, int i, const char *title,
                                           int cols, int rows, int chart_col, int spark)
{
    assert_true(i < r->n_tables);
    const struct gj_report_table *t = &r->tables[i];
    assert_string_equal(t->title, title);
    assert_int_equal(t->n_cols, cols);
    assert_int_equal(t->n_rows, rows);
    assert_int_equal(t->chart_col, chart_col);
    assert_int_equal(t->spark, spark);
    return t;
}

/* The names of t's first n columns. */
static void cols_are(const struct gj_report_table *t, int n, const char *const *cols)
{
    for (int c = 0; c < n; c++)
        assert_string_equal(t->cols[c], cols[c]);
}

static void text_is(const struct gj_report_table *t, int row, int col, const char *text)
{
    const struct gj_cell *c = &t->cells[row][col];
    if (c->kind != GJ_CELL_TEXT || strcmp(c->text, text) != 0)
        fail_msg("%s row %d col %d: want text \"%s\", got kind %d \"%s\"", t->title, row, col, text,
                 (int)c->kind, c->text);
}

static void num_is(const struct gj_report_table *t, int row, int col, enum gj_cell_kind kind,
                   int64_t v)
{
    const struct gj_cell *c = &t->cells[row][col];
    if (c->kind != kind || c->v != v)
        fail_msg("%s row %d col %d: want kind %d %lld, got kind %d %lld (\"%s\")", t->title, row,
                 col, (int)kind, (long long)v, (int)c->kind, (long long)c->v, c->text);
}

#define INT(t, r, c, v) num_is(t, r, c, GJ_CELL_INT, v)
#define PM(t, r, c, v)  num_is(t, r, c, GJ_CELL_PERMILLE, v)
#define NA(t, r, c)     text_is(t, r, c, "")

/* What the columns after a row's label hold: n values of these kinds. */
struct shape {
    int n;
    enum gj_cell_kind kind[4];
};

/* label | count | count | count | rate (work orders; complaints, requests) */
static const struct shape counts_rate = {4,
                                         {GJ_CELL_INT, GJ_CELL_INT, GJ_CELL_INT, GJ_CELL_PERMILLE}};
/* label | count | share */
static const struct shape count_share = {2, {GJ_CELL_INT, GJ_CELL_PERMILLE}};
/* label | money | share */
static const struct shape money_share = {2, {GJ_CELL_MONEY, GJ_CELL_PERMILLE}};
/* label | billed | collected | owed | rate */
static const struct shape money_rate = {
    4, {GJ_CELL_MONEY, GJ_CELL_MONEY, GJ_CELL_MONEY, GJ_CELL_PERMILLE}};

/* A row as expected: its label, then its values (a rate of -1: not
 * applicable, ""). */
struct want {
    const char *label;
    int64_t v[4];
};

static void row_is(const struct gj_report_table *t, int row, const struct shape *s,
                   const struct want *w)
{
    text_is(t, row, 0, w->label);
    for (int c = 0; c < s->n; c++) {
        if (s->kind[c] == GJ_CELL_PERMILLE && w->v[c] < 0)
            NA(t, row, c + 1);
        else
            num_is(t, row, c + 1, s->kind[c], w->v[c]);
    }
}

/* The first n rows of t, each of shape s. */
static void rows_are(const struct gj_report_table *t, const struct shape *s, const struct want *w,
                     int n)
{
    for (int row = 0; row < n; row++)
        row_is(t, row, s, &w[row]);
}

/* A "label | orders | met | missed | rate" row; rate -1 = not applicable. */
static void wo_row_is(const struct gj_report_table *t, int row, const char *label, int64_t orders,
                      int64_t met, int64_t missed, int64_t rate)
{
    row_is(t, row, &counts_rate, &(struct want){label, {orders, met, missed, rate}});
}

/* A row of a summary table as expected: "measure | value". */
struct measure {
    const char *label;
    enum gj_cell_kind kind;
    int64_t v;
};

static void measures_are(const struct gj_report_table *t, const struct measure *m, int n)
{
    for (int row = 0; row < n; row++) {
        text_is(t, row, 0, m[row].label);
        num_is(t, row, 1, m[row].kind, m[row].v);
    }
}

/* ---- the reports ---------------------------------------------------------- */

static void test_workorders(void **state)
{
    struct fx *f = *state;
    const struct gj_report *r = run(f, "workorders", f->now);
    assert_int_equal(r->n_tables, 4);

    const struct gj_report_table *t = table(r, 0, "Summary", 2, 6, -1, 0);
    cols_are(t, 2, (const char *const[]){"Measure", "Value"});
    const struct measure summary[] = {{"Work orders taken", GJ_CELL_INT, 9},
                                      {"Met the SLA", GJ_CELL_INT, 3},
                                      {"Missed the SLA", GJ_CELL_INT, 3},
                                      {"SLA rate", GJ_CELL_PERMILLE, 500},
                                      {"Mean time to respond", GJ_CELL_SECONDS, 3085},
                                      {"Mean time to resolve", GJ_CELL_SECONDS, 289800}};
    measures_are(t, summary, COUNT(summary));

    t = table(r, 1, "By category", 5, 7, 1, 0);
    cols_are(t, 5,
             (const char *const[]){"Category", "Orders", "Met SLA", "Missed SLA", "SLA rate"});
    const struct want by_category[] = {
        {"repair", {3, 2, 1, 666}}, {"cleaning", {2, 1, 1, 500}}, {"landscaping", {1, 0, 0, -1}},
        {"security", {1, 0, 1, 0}}, {"enquiry", {1, 0, 0, -1}},   {"suggestion", {0, 0, 0, -1}},
        {"other", {1, 0, 0, -1}}};
    rows_are(t, &counts_rate, by_category, COUNT(by_category));

    t = table(r, 2, "By department", 5, 3, 1, 0);
    assert_string_equal(t->cols[0], "Department");
    const struct want by_department[] = {{"保洁部", {2, 1, 1, 500}},
                                         {"工程维修部", {5, 2, 1, 666}},
                                         {"not dispatched", {2, 0, 1, 0}}};
    rows_are(t, &counts_rate, by_department, COUNT(by_department));
    assert_int_equal(t->cells[0][0].v, f->d2);
    assert_int_equal(t->cells[1][0].v, f->d1);

    t = table(r, 3, "By month", 5, 2, 1, 1);
    assert_string_equal(t->cols[0], "Month");
    const struct want by_month[] = {{"2026-09", {2, 2, 0, 1000}}, {"2026-10", {7, 1, 3, 250}}};
    rows_are(t, &counts_rate, by_month, COUNT(by_month));
    assert_int_equal(t->cells[0][0].v, 202609);
    assert_int_equal(t->cells[1][0].v, 202610);
}

static void test_workorders_judged_at_now(void **state)
{
    struct fx *f = *state;
    /* Before W10's deadline it has not missed it yet. */
    const struct gj_report *r = run(f, "workorders", gj_test_at("2026-11-01T12:00"));
    const struct gj_report_table *t = &r->tables[0];
    INT(t, 0, 1, 9);
    INT(t, 1, 1, 3);
    INT(t, 2, 1, 2);
    PM(t, 3, 1, 600);
    wo_row_is(&r->tables[1], 3, "security", 1, 0, 0, -1);
}

static void test_complaints(void **state)
{
    struct fx *f = *state;
    const struct gj_report *r = run(f, "complaints", f->now);
    assert_int_equal(r->n_tables, 6);

    const struct gj_report_table *t = table(r, 0, "Summary", 2, 8, -1, 0);
    const struct measure summary[] = {{"Complaints taken", GJ_CELL_INT, 7},
                                      {"Resolved", GJ_CELL_INT, 4},
                                      {"Resolved on time", GJ_CELL_INT, 3},
                                      {"On-time rate", GJ_CELL_PERMILLE, 750},
                                      {"Mean time to acknowledge", GJ_CELL_SECONDS, 1350},
                                      {"Mean time to resolve", GJ_CELL_SECONDS, 97200},
                                      {"Revisits recorded", GJ_CELL_INT, 4},
                                      {"Mean satisfaction (1-5)", GJ_CELL_TEXT, 400}};
    measures_are(t, summary, COUNT(summary));
    text_is(t, 7, 1, "4.00");

    t = table(r, 1, "By grade", 3, 3, 1, 0);
    assert_string_equal(t->cols[1], "Complaints");
    assert_string_equal(t->cols[2], "Share");
    const struct want by_grade[] = {{gj_complaint_grade_label("minor"), {5, 714}},
                                    {gj_complaint_grade_label("moderate"), {1, 142}},
                                    {gj_complaint_grade_label("serious"), {1, 142}}};
    rows_are(t, &count_share, by_grade, COUNT(by_grade));

    t = table(r, 2, "By category", 3, 9, 1, 0);
    const struct want by_category[] = {{gj_complaint_category_label("attitude"), {1, 142}},
                                       {gj_complaint_category_label("repair_quality"), {1, 142}},
                                       {gj_complaint_category_label("noise"), {3, 428}},
                                       {gj_complaint_category_label("sanitation"), {1, 142}},
                                       {gj_complaint_category_label("security"), {1, 142}},
                                       {gj_complaint_category_label("fees"), {0, 0}},
                                       {gj_complaint_category_label("parking"), {0, 0}},
                                       {gj_complaint_category_label("neighbour"), {0, 0}},
                                       {gj_complaint_category_label("other"), {0, 0}}};
    rows_are(t, &count_share, by_category, COUNT(by_category));

    t = table(r, 3, "By month", 5, 2, 1, 1);
    cols_are(t, 5,
             (const char *const[]){"Month", "Complaints", "Resolved", "On time", "On-time rate"});
    const struct want by_month[] = {{"2026-09", {2, 2, 1, 500}}, {"2026-10", {5, 2, 2, 1000}}};
    rows_are(t, &counts_rate, by_month, COUNT(by_month));

    t = table(r, 4, "Satisfaction by month (revisits)", 3, 2, 2, 1);
    assert_string_equal(t->cols[1], "Revisits");
    assert_string_equal(t->cols[2], "Mean satisfaction");
    /* the mean score as text, x100 as its value */
    const struct shape revisits = {2, {GJ_CELL_INT, GJ_CELL_TEXT}};
    const struct want by_month_revisits[] = {{"2026-09", {2, 450}}, {"2026-10", {2, 350}}};
    rows_are(t, &revisits, by_month_revisits, COUNT(by_month_revisits));
    text_is(t, 0, 2, "4.50");
    text_is(t, 1, 2, "3.50");

    t = table(r, 5, "Repeat complainants (3 or more in the 90 days to the end)", 2, 2, 1, 0);
    assert_string_equal(t->cols[0], "Unit");
    const struct shape count = {1, {GJ_CELL_INT}};
    const struct want repeats[] = {{"1-1-101", {4}}, {"2-1-201", {3}}};
    rows_are(t, &count, repeats, COUNT(repeats));
    assert_int_equal(t->cells[0][0].v, f->u1);
    assert_int_equal(t->cells[1][0].v, f->u3);
}

static void test_fees(void **state)
{
    struct fx *f = *state;
    const struct gj_report *r = run(f, "fees", f->now);
    assert_int_equal(r->n_tables, 3);

    const struct gj_report_table *t = table(r, 0, "Bills by month", 5, 2, 4, 1);
    cols_are(t, 5,
             (const char *const[]){"Month", "Billed", "Collected", "Owed", "Collection rate"});
    const struct want by_month[] = {{"2026-09", {20000, 14000, 6000, 700}},
                                    {"2026-10", {25000, 2500, 22500, 100}}};
    rows_are(t, &money_rate, by_month, COUNT(by_month));

    t = table(r, 1, "Summary", 2, 6, -1, 0);
    const struct measure summary[] = {
        {"Billed", GJ_CELL_MONEY, 45000},     {"Collected", GJ_CELL_MONEY, 16500},
        {"Owed", GJ_CELL_MONEY, 28500},       {"Collection rate", GJ_CELL_PERMILLE, 366},
        {"Units in arrears", GJ_CELL_INT, 3}, {"Arrears", GJ_CELL_MONEY, 48500}};
    measures_are(t, summary, COUNT(summary));

    t = table(r, 2, "Arrears by age at 2026-11-10 09:00", 3, 4, 1, 0);
    const struct want by_age[] = {{"0-30 d", {22500, 463}},
                                  {"31-90 d", {16000, 329}},
                                  {"91-180 d", {5000, 103}},
                                  {">180 d", {5000, 103}}};
    rows_are(t, &money_share, by_age, COUNT(by_age));
}

static void test_channels(void **state)
{
    struct fx *f = *state;
    const struct gj_report *r = run(f, "channels", f->now);
    assert_int_equal(r->n_tables, 2);
    const struct gj_report_table *t = table(r, 0, "Requests by channel", 5, 5, 3, 0);
    cols_are(t, 5,
             (const char *const[]){"Channel", "Work orders", "Complaints", "Requests", "Share"});
    const struct want by_channel[] = {{"phone", {5, 4, 9, 562}},
                                      {"WeChat", {2, 1, 3, 187}},
                                      {"email", {1, 0, 1, 62}},
                                      {"walk-in", {1, 1, 2, 125}},
                                      {"other", {0, 1, 1, 62}}};
    rows_are(t, &counts_rate, by_channel, COUNT(by_channel));
    t = table(r, 1, "Summary", 2, 3, -1, 0);
    const struct measure summary[] = {{"Work orders", GJ_CELL_INT, 9},
                                      {"Complaints", GJ_CELL_INT, 7},
                                      {"Requests", GJ_CELL_INT, 16}};
    measures_are(t, summary, COUNT(summary));
}

static void test_training(void **state)
{
    struct fx *f = *state;
    const struct gj_report *r = run(f, "training", f->now);
    assert_int_equal(r->n_tables, 1);
    const struct gj_report_table *t =
        table(r, 0, "Trainees and butlers at 2026-10-31 23:59", 7, 2, -1, 0);
    cols_are(t, 7,
             (const char *const[]){"Name", "Rank", "Chapters passed", "Walkthrough", "Tasks passed",
                                   "Assessments", "Assessment average"});
    text_is(t, 0, 0, "小刘");
    text_is(t, 0, 1, gj_rank_label(GJ_RANK_TRAINEE));
    INT(t, 0, 2, 2);
    text_is(t, 0, 3, "done");
    assert_int_equal(t->cells[0][3].v, 1);
    INT(t, 0, 4, 1);
    INT(t, 0, 5, 2);
    text_is(t, 0, 6, "3.87");
    assert_int_equal(t->cells[0][6].v, 387);
    text_is(t, 1, 0, "陈管家");
    text_is(t, 1, 1, gj_rank_label(GJ_RANK_ASSISTANT));
    INT(t, 1, 2, 0);
    text_is(t, 1, 3, "not yet");
    assert_int_equal(t->cells[1][3].v, 0);
    INT(t, 1, 4, 0);
    INT(t, 1, 5, 0);
    NA(t, 1, 6);

    /* Judged at an earlier now (before the range ends): only what was on
     * record by then. On 2026-09-11 12:00: chapter 1 only, nothing else. */
    r = run(f, "training", gj_test_at("2026-09-11T12:00"));
    t = table(r, 0, "Trainees and butlers at 2026-09-11 12:00", 7, 2, -1, 0);
    INT(t, 0, 2, 1);
    text_is(t, 0, 3, "not yet");
    INT(t, 0, 4, 0);
    INT(t, 0, 5, 0);
    NA(t, 0, 6);
}

/* ---- names, titles and refusals ------------------------------------------- */

static void test_names_and_refusals(void **state)
{
    struct fx *f = *state;
    const char *names[] = {"workorders", "complaints", "fees", "channels", "training"};
    int n = 0;
    for (; gj_report_names[n]; n++) {
        assert_true(n < 5);
        assert_string_equal(gj_report_names[n], names[n]);
        assert_non_null(gj_report_title(names[n]));
    }
    assert_int_equal(n, 5);
    assert_string_equal(gj_report_title("workorders"), "Work orders: volume and SLA");
    assert_null(gj_report_title("sales"));
    assert_null(gj_report_title(NULL));

    struct gj_error err;
    assert_int_equal(gj_report_run(f->db, "sales", f->from, f->to, f->now, f->r, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "sales"));
    assert_int_equal(gj_report_run(f->db, "fees", f->to, f->to, f->now, f->r, &err), GJ_EINVAL);
    assert_int_equal(gj_report_run(f->db, "fees", f->to, f->from, f->now, f->r, &err), GJ_EINVAL);
    assert_int_equal(f->r->n_tables, 0);

    /* 64 months is the most a report by month shows: 2021-07 to 2026-10. */
    gj_test_must(
        gj_report_run(f->db, "fees", gj_test_at("2021-07-01T00:00"), f->to, f->now, f->r, &err),
        &err);
    assert_int_equal(f->r->tables[0].n_rows, 64);
    text_is(&f->r->tables[0], 0, 0, "2021-07");
    text_is(&f->r->tables[0], 63, 0, "2026-10");
    assert_int_equal(gj_report_run(f->db, "workorders", gj_test_at("2021-06-30T23:59"), f->to,
                                   f->now, f->r, &err),
                     GJ_EINVAL);
    assert_non_null(strstr(err.msg, "65 months"));
    /* Channels and training have no months: any range. */
    gj_test_must(
        gj_report_run(f->db, "channels", gj_test_at("2001-01-01T00:00"), f->to, f->now, f->r, &err),
        &err);
    /* The 9 orders and 7 complaints, with C5 C7 C8; still not W9 and C6 at TO. */
    assert_int_equal(f->r->tables[1].cells[2][1].v, 9 + 7 + 3);
}

/* The month boundaries are local midnights: a range starting mid-month
 * cuts its first month there. */
static void test_partial_month(void **state)
{
    struct fx *f = *state;
    struct gj_error err;
    /* From 2026-09-10 08:00 (W2's second) to 2026-10-01: W2 only. */
    gj_test_must(gj_report_run(f->db, "workorders", gj_test_at("2026-09-10T08:00"),
                               gj_test_at("2026-10-01T00:00"), f->now, f->r, &err),
                 &err);
    const struct gj_report_table *t = &f->r->tables[3];
    assert_int_equal(t->n_rows, 1);
    wo_row_is(t, 0, "2026-09", 1, 1, 0, 1000);
    /* One second later: none. */
    gj_test_must(gj_report_run(f->db, "workorders", gj_test_at("2026-09-10T08:00") + 1,
                               gj_test_at("2026-10-01T00:00"), f->now, f->r, &err),
                 &err);
    wo_row_is(&f->r->tables[3], 0, "2026-09", 0, 0, 0, -1);
    NA(&f->r->tables[0], 4, 1); /* no mean time of no orders */
    NA(&f->r->tables[0], 5, 1);
}

int main(void)
{
    setenv("TZ", "CST-8", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workorders),         cmocka_unit_test(test_workorders_judged_at_now),
        cmocka_unit_test(test_complaints),         cmocka_unit_test(test_fees),
        cmocka_unit_test(test_channels),           cmocka_unit_test(test_training),
        cmocka_unit_test(test_names_and_refusals), cmocka_unit_test(test_partial_month),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
