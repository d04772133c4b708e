/* Every write leaves an audit row: one of each kind of user action through
 * the repository layer, with SQLite's update hook on the program's own
 * connection counting every row it inserts or updates (triggers included).
 * After each action, every row written to a table other than the few below
 * must have an audit row naming that table and row, by the acting user;
 * an action that writes without auditing fails the test.
 *
 * Not audited by design (and so not required to be):
 *   audit_log           the log itself
 *   person_search_keys  derived from persons by a trigger (persons is audited)
 *   receipt_counter     the sequence behind receipt numbers (payments are)
 *   arrears_units,      each unit's arrears and the estate's totals, derived
 *   arrears_asof        from bills by triggers (bills are audited)
 * Self-auditing: work_order_events and complaint_events are append-only
 * histories (triggers refuse UPDATE and DELETE) whose rows carry who and
 * when; a row written there counts as audited when it names the acting
 * user. (A note on a work order writes only such a row.)
 * The table printed at the end (action, rows written, audit rows) is the
 * figure for docs/reliability.md. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"

#include "guanjia/clock.h"
#include "guanjia/repo_billing.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_community.h"
#include "guanjia/repo_contacts.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_replies.h"
#include "guanjia/repo_settings.h"
#include "guanjia/repo_staff.h"
#include "guanjia/repo_training.h"
#include "guanjia/repo_users.h"
#include "guanjia/repo_workorders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct write {
    char table[48];
    int64_t rowid;
};

static struct write writes[8192];
static int n_writes, recording;

static void hook(void *ctx, int op, const char *dbname, const char *table, sqlite3_int64 rowid)
{
    (void)ctx;
    (void)op;
    if (!recording || strcmp(dbname, "main") != 0 ||
        n_writes >= (int)(sizeof writes / sizeof writes[0]))
        return;
    snprintf(writes[n_writes].table, sizeof writes[n_writes].table, "%s", table);
    writes[n_writes].rowid = rowid;
    n_writes++;
}

static const char *const unaudited[] = {"audit_log",     "person_search_keys", "receipt_counter",
                                        "arrears_units", "arrears_asof",       NULL};
static const char *const self_audited[] = {"work_order_events", "complaint_events", NULL};

static int in_list(const char *const *list, const char *table)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], table) == 0)
            return 1;
    return 0;
}

/* A row of a self-auditing history: it names the actor, and the table
 * refuses UPDATE and DELETE. */
static int self_audit_ok(sqlite3 *raw, const char *table, int64_t rowid, int64_t actor)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM %s WHERE rowid = ? AND user_id = %lld AND at > 0", table,
             (long long)actor);
    if (gj_test_scalar(raw, sql, rowid) != 1)
        return 0;
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
             "('%s_no_update', '%s_no_delete')",
             table, table);
    return gj_test_scalar(raw, sql, 0) == 2;
}

static int64_t actor_of_last; /* the user who did the last action */

struct fx {
    char dir[256];
    struct gj_db *db;
    sqlite3 *raw;
    int64_t manager, butler, trainee;
    int64_t unit, unit2, person, item, bill, payment, wo, complaint, staff, dept;
    struct gj_error err;
};

static struct fx F;

/* ---- the actions ----------------------------------------------------------- */

static void a_unit_create(struct fx *f)
{
    struct gj_unit u = {
        .building = 2, .entrance = 1, .room = 301, .area_centi_m2 = 8800, .delivered_at = gj_now()};
    f->unit2 = gj_test_add_unit(f->db, f->butler, &u);
}

static void a_unit_update(struct fx *f)
{
    struct gj_unit u;
    gj_test_must(gj_unit_get(f->db, f->unit, &u, &f->err), &f->err);
    snprintf(u.notes, sizeof u.notes, "阳台漏水已修");
    gj_test_must(gj_unit_update(f->db, f->butler, &u, &f->err), &f->err);
}

static void a_person_create(struct fx *f)
{
    f->person = gj_test_add_person(f->db, f->butler, "王五", "13700137000");
}

static void a_person_update(struct fx *f)
{
    struct gj_person p;
    gj_test_must(gj_person_get(f->db, f->person, &p, &f->err), &f->err);
    snprintf(p.notes, sizeof p.notes, "周末在家");
    gj_test_must(gj_person_update(f->db, f->butler, &p, &f->err), &f->err);
}

static void a_household_add(struct fx *f)
{
    struct gj_unit_person l = {.unit_id = f->unit2, .person_id = f->person, .start_at = gj_now()};
    strcpy(l.relation, "tenant");
    gj_test_must(gj_unit_person_add(f->db, f->butler, &l, &f->err), &f->err);
}

static void a_household_end(struct fx *f)
{
    struct gj_unit_person l = {.unit_id = f->unit2, .person_id = f->person, .start_at = gj_now()};
    strcpy(l.relation, "family");
    gj_test_must(gj_unit_person_add(f->db, f->butler, &l, &f->err), &f->err);
    recording = 1;
    n_writes = 0;
    gj_test_must(gj_unit_person_end(f->db, f->butler, &l, gj_now() + 60, &f->err), &f->err);
}

static void a_vehicle_create(struct fx *f)
{
    struct gj_vehicle v = {.person_id = f->person, .unit_id = f->unit2};
    snprintf(v.plate, sizeof v.plate, "京A12345");
    gj_test_must(gj_vehicle_create(f->db, f->butler, &v, &f->err), &f->err);
}

static void a_contact_add(struct fx *f)
{
    struct gj_contact c = {.unit_id = f->unit, .person_id = f->person, .at = gj_now()};
    strcpy(c.channel, "phone");
    strcpy(c.summary, "询问停车位");
    gj_test_must(gj_contact_add(f->db, f->butler, &c, &f->err), &f->err);
}

static struct gj_work_order *new_wo(struct fx *f)
{
    struct gj_work_order *w = calloc(1, sizeof *w);
    assert_non_null(w);
    w->unit_id = f->unit;
    strcpy(w->channel, "phone");
    strcpy(w->category, "repair");
    strcpy(w->priority, "normal");
    strcpy(w->state, "new");
    strcpy(w->description, "厨房水管漏水");
    w->respond_due_at = gj_now() + 3600;
    w->resolve_due_at = gj_now() + 86400;
    return w;
}

static void a_wo_create(struct fx *f)
{
    struct gj_work_order *w = new_wo(f);
    gj_test_must(gj_wo_create(f->db, f->butler, w, &f->err), &f->err);
    f->wo = w->id;
    free(w);
}

static void a_wo_dispatch(struct fx *f)
{
    struct gj_work_order *w = calloc(1, sizeof *w);
    assert_non_null(w);
    gj_test_must(gj_wo_get(f->db, f->wo, w, &f->err), &f->err);
    strcpy(w->state, "dispatched");
    w->department_id = f->dept;
    w->assignee_staff_id = f->staff;
    gj_test_must(gj_wo_transition(f->db, f->butler, w, "dispatched", "派给李师傅", &f->err),
                 &f->err);
    free(w);
}

static void a_wo_note(struct fx *f)
{
    gj_test_must(gj_wo_event_add(f->db, f->butler, f->wo, "note", "业主来电催促", &f->err),
                 &f->err);
}

static struct gj_complaint *new_complaint(struct fx *f)
{
    struct gj_complaint *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->unit_id = f->unit;
    c->person_id = f->person;
    strcpy(c->channel, "phone");
    strcpy(c->subject, "楼上装修噪音");
    strcpy(c->detail, "晚上十点以后还在施工。");
    strcpy(c->category, "noise");
    strcpy(c->grade, "minor");
    c->ack_due_at = gj_now() + 3600;
    c->resolve_due_at = gj_now() + 2 * 86400;
    return c;
}

static void a_complaint_create(struct fx *f)
{
    struct gj_complaint *c = new_complaint(f);
    gj_test_must(gj_complaint_create(f->db, f->butler, c, &f->err), &f->err);
    f->complaint = c->id;
    free(c);
}

static void a_complaint_ack(struct fx *f)
{
    struct gj_complaint *c = calloc(1, sizeof *c);
    assert_non_null(c);
    gj_test_must(gj_complaint_get(f->db, f->complaint, c, &f->err), &f->err);
    strcpy(c->state, "acknowledged");
    c->acknowledged_at = gj_now();
    c->assignee_user_id = f->butler;
    struct gj_complaint_event *e = calloc(1, sizeof *e);
    assert_non_null(e);
    strcpy(e->kind, "acknowledged");
    e->from_level = e->to_level = -1;
    strcpy(e->note, "已电话联系业主");
    gj_test_must(gj_complaint_transition(f->db, f->butler, c, e, &f->err), &f->err);
    free(e);
    free(c);
}

static void a_fee_item_create(struct fx *f)
{
    f->item = gj_test_add_fee_item(f->db, f->manager, "物业费", "per_m2", 250, 202601, 0);
}

static void a_fee_item_update(struct fx *f)
{
    struct gj_fee_item it;
    gj_test_must(gj_fee_item_get(f->db, f->item, &it, &f->err), &f->err);
    it.rate_fen = 260;
    gj_test_must(gj_fee_item_update(f->db, f->manager, &it, &f->err), &f->err);
}

static void a_bill_create(struct fx *f)
{
    struct gj_bill b;
    memset(&b, 0, sizeof b);
    b.unit_id = f->unit;
    b.fee_item_id = f->item;
    b.period = 202611;
    gj_test_must(gj_bill_create(f->db, f->manager, &b, &f->err), &f->err);
    f->bill = b.id;
}

static void a_billing_run(struct fx *f)
{
    struct gj_billing_result r;
    gj_test_must(
        gj_billing_run(f->db, f->manager, GJ_ROLE_MANAGER, 202612, NULL, NULL, &r, &f->err),
        &f->err);
}

static void a_payment_take(struct fx *f)
{
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = f->unit;
    strcpy(p.payer_name, "张三");
    strcpy(p.method, "cash");
    p.amount_fen = 30000;
    gj_test_must(gj_payment_take(f->db, f->butler, &p, NULL, 0, NULL, NULL, NULL, &f->err),
                 &f->err);
    f->payment = p.id;
}

static void a_receipt_print(struct fx *f)
{
    gj_test_must(
        gj_receipt_print_record(f->db, f->butler, f->payment, 0, "receipts/R1.txt", &f->err),
        &f->err);
}

static void a_payment_reverse(struct fx *f)
{
    gj_test_must(gj_payment_reverse(f->db, f->manager, f->payment, "收错了户", NULL, &f->err),
                 &f->err);
}

static void a_dunning_add(struct fx *f)
{
    struct gj_dunning d = {.unit_id = f->unit, .person_id = f->person, .at = gj_now()};
    strcpy(d.channel, "phone");
    strcpy(d.result, "promised");
    d.promised_at = gj_now() + 7 * 86400;
    d.promised_fen = 30000;
    gj_test_must(gj_dunning_add(f->db, f->butler, &d, &f->err), &f->err);
}

static void a_setting_set(struct fx *f)
{
    /* A new key (expected version 0), then a change of it. */
    gj_test_must(gj_setting_set(f->db, f->manager, "estate_name", "翠湖花园", 0, &f->err), &f->err);
    struct gj_setting s;
    gj_test_must(gj_setting_get(f->db, "estate_name", &s, &f->err), &f->err);
    gj_test_must(
        gj_setting_set(f->db, f->manager, "estate_name", "翠湖花园二期", s.meta.version, &f->err),
        &f->err);
}

static void a_sla_update(struct fx *f)
{
    struct gj_sla_target t;
    gj_test_must(gj_sla_get(f->db, "work_order", "urgent", &t, &f->err), &f->err);
    t.respond_minutes = 10;
    gj_test_must(gj_sla_update(f->db, f->manager, &t, &f->err), &f->err);
}

static void a_department_create(struct fx *f)
{
    struct gj_department d = {.active = 1};
    strcpy(d.name, "工程部");
    strcpy(d.kind, "maintenance");
    gj_test_must(gj_department_create(f->db, f->manager, &d, &f->err), &f->err);
    f->dept = d.id;
}

static void a_staff_create(struct fx *f)
{
    struct gj_staff s = {.department_id = f->dept, .active = 1};
    strcpy(s.name, "李师傅");
    strcpy(s.phone, "13600136000");
    gj_test_must(gj_staff_create(f->db, f->manager, &s, &f->err), &f->err);
    f->staff = s.id;
}

static void a_user_create(struct fx *f)
{
    struct gj_user u = {.active = 1};
    strcpy(u.login, "xiaoli");
    strcpy(u.name, "小李");
    strcpy(u.role, "trainee");
    strcpy(u.rank, "trainee");
    gj_test_must(gj_user_create(f->db, f->manager, &u, "Xiaoli-pass-2026", &f->err), &f->err);
    f->trainee = u.id;
}

static void a_user_password(struct fx *f)
{
    struct gj_user u;
    gj_test_must(gj_user_get(f->db, f->trainee, &u, &f->err), &f->err);
    gj_test_must(gj_user_set_password(f->db, f->manager, &u, "Another-pass-2026", &f->err),
                 &f->err);
}

static void a_training_mark(struct fx *f)
{
    gj_test_must(gj_training_mark(f->db, f->trainee, f->trainee, "m01", "read", &f->err), &f->err);
}

static void a_reply_add(struct fx *f)
{
    struct gj_reply r;
    memset(&r, 0, sizeof r);
    strcpy(r.text, "您好，我们已安排师傅上门。");
    strcpy(r.topic, "work_order");
    gj_test_must(gj_reply_add(f->db, f->manager, &r, &f->err), &f->err);
}

static void a_notice_create(struct fx *f)
{
    struct gj_notice *n = calloc(1, sizeof *n);
    assert_non_null(n);
    strcpy(n->title, "停水通知");
    strcpy(n->body, "周六上午停水。");
    strcpy(n->audience, "estate");
    n->valid_from = gj_now();
    n->valid_to = gj_now() + 3 * 86400;
    gj_test_must(gj_notice_create(f->db, f->butler, GJ_ROLE_BUTLER, n, &f->err), &f->err);
    free(n);
}

static void a_incident_open(struct fx *f)
{
    struct gj_incident *i = calloc(1, sizeof *i);
    assert_non_null(i);
    strcpy(i->what, "地下车库积水");
    strcpy(i->place, "B1 车库");
    i->happened_at = gj_now() - 600;
    gj_test_must(gj_incident_open(f->db, f->butler, GJ_ROLE_BUTLER, i, &f->err), &f->err);
    free(i);
}

static const struct action {
    const char *name;
    void (*run)(struct fx *f);
} actions[] = {
    {"unit create", a_unit_create},
    {"unit edit", a_unit_update},
    {"owner create", a_person_create},
    {"owner edit", a_person_update},
    {"household: link a person", a_household_add},
    {"household: end a link", a_household_end},
    {"vehicle create", a_vehicle_create},
    {"contact log entry", a_contact_add},
    {"department create", a_department_create},
    {"staff create", a_staff_create},
    {"work order create", a_wo_create},
    {"work order dispatch", a_wo_dispatch},
    {"work order note", a_wo_note},
    {"complaint create", a_complaint_create},
    {"complaint acknowledge", a_complaint_ack},
    {"fee item create", a_fee_item_create},
    {"fee item edit", a_fee_item_update},
    {"bill create", a_bill_create},
    {"billing run", a_billing_run},
    {"payment", a_payment_take},
    {"receipt printed", a_receipt_print},
    {"payment reversal", a_payment_reverse},
    {"dunning contact", a_dunning_add},
    {"setting change", a_setting_set},
    {"SLA target change", a_sla_update},
    {"user create", a_user_create},
    {"user password reset", a_user_password},
    {"training progress", a_training_mark},
    {"standard reply add", a_reply_add},
    {"community notice", a_notice_create},
    {"community incident", a_incident_open},
};

/* Checks the writes recorded for action name: how many rows went to
 * audited tables (*writes), how many audit rows were added (*audit), and
 * returns how many written rows have no audit row. */
static int check_writes(struct fx *f, const char *name, int *writes_out, int *audit_out)
{
    int writes_audited_tables = 0, audit_rows = 0, missing = 0;
    for (int i = 0; i < n_writes; i++) {
        if (strcmp(writes[i].table, "audit_log") == 0) {
            audit_rows++;
            /* Written by the acting user or the system, never nobody. */
            int64_t who =
                gj_test_scalar(f->raw, "SELECT coalesce(user_id, -1) FROM audit_log WHERE id = ?",
                               writes[i].rowid);
            assert_true(who >= 0);
            continue;
        }
        if (in_list(unaudited, writes[i].table))
            continue;
        if (in_list(self_audited, writes[i].table)) {
            writes_audited_tables++;
            audit_rows++;
            if (!self_audit_ok(f->raw, writes[i].table, writes[i].rowid, actor_of_last)) {
                missing++;
                printf("  %s: %s row %lld does not name its author\n", name, writes[i].table,
                       (long long)writes[i].rowid);
            }
            continue;
        }
        writes_audited_tables++;
        int found = 0;
        for (int j = 0; j < n_writes && !found; j++) {
            if (strcmp(writes[j].table, "audit_log") != 0)
                continue;
            sqlite3_stmt *st = NULL;
            assert_int_equal(sqlite3_prepare_v2(f->raw,
                                                "SELECT 1 FROM audit_log WHERE id = ?1 AND "
                                                "entity = ?2 AND entity_id = ?3",
                                                -1, &st, NULL),
                             SQLITE_OK);
            sqlite3_bind_int64(st, 1, writes[j].rowid);
            sqlite3_bind_text(st, 2, writes[i].table, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, writes[i].rowid);
            found = sqlite3_step(st) == SQLITE_ROW;
            sqlite3_finalize(st);
        }
        if (!found) {
            missing++;
            printf("  %s: %s row %lld written without an audit row\n", name, writes[i].table,
                   (long long)writes[i].rowid);
        }
    }
    *writes_out = writes_audited_tables;
    *audit_out = audit_rows;
    return missing;
}

static void test_every_write_is_audited(void **state)
{
    (void)state;
    struct fx *f = &F;
    memset(f, 0, sizeof *f);
    gj_test_db_open("audit.db", f->dir, sizeof f->dir, &f->db, &f->raw);
    f->manager = gj_test_add_user(f->raw, "boss", "Boss", "manager");
    f->butler = gj_test_add_user(f->raw, "desk", "Desk", "butler");
    struct gj_unit u = {
        .building = 1, .entrance = 1, .room = 101, .area_centi_m2 = 9500, .delivered_at = gj_now()};
    f->unit = gj_test_add_unit(f->db, f->manager, &u);
    sqlite3_update_hook(f->db->h, hook, NULL);

    int failures = 0;
    long total_writes = 0, total_audit = 0;
    printf("%-28s %8s %8s\n", "action", "writes", "audited");
    for (size_t a = 0; a < sizeof actions / sizeof actions[0]; a++) {
        n_writes = 0;
        recording = 1;
        actor_of_last = f->butler;
        actions[a].run(f);
        recording = 0;
        int writes_audited_tables = 0, audit_rows = 0;
        int missing = check_writes(f, actions[a].name, &writes_audited_tables, &audit_rows);
        printf("%-28s %8d %8d\n", actions[a].name, writes_audited_tables, audit_rows);
        total_writes += writes_audited_tables;
        total_audit += audit_rows;
        if (writes_audited_tables == 0 || audit_rows == 0) {
            printf("  %s: wrote nothing that is audited\n", actions[a].name);
            failures++;
        }
        failures += missing;
    }
    printf("%-28s %8ld %8ld\n", "total", total_writes, total_audit);
    /* The control: a person saved while the audit triggers are held quiet
     * (as the bulk loader does) must be caught. */
    assert_int_equal(
        sqlite3_exec(f->db->h, "INSERT INTO bulk_load(note) VALUES ('test')", NULL, NULL, NULL),
        SQLITE_OK);
    n_writes = 0;
    recording = 1;
    gj_test_add_person(f->db, f->butler, "赵六", NULL);
    recording = 0;
    assert_int_equal(sqlite3_exec(f->db->h, "DELETE FROM bulk_load", NULL, NULL, NULL), SQLITE_OK);
    int cw = 0, ca = 0;
    printf("control (audit switched off):\n");
    assert_true(check_writes(f, "control", &cw, &ca) > 0);
    assert_int_equal(ca, 0);
    sqlite3_update_hook(f->db->h, NULL, NULL);
    gj_test_db_close(f->dir, f->db, f->raw);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_write_is_audited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
