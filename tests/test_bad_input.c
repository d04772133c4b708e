/* Bad input, case by case: every row of docs/bad-input.md is a case here
 * with the same id, run in English and in Chinese, and the message the
 * user gets must be exactly the one the table gives (temp folders shown as
 * DIR, line breaks as <br>). A row without a case, or a case without a row,
 * fails the test. Every case also checks that nothing half-written is left
 * behind: row counts, files unchanged, no temp files.
 *
 * GJ_BAD_INPUT_PRINT=1 prints each case's messages (id, English, Chinese)
 * instead of comparing them: for writing the table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/phone.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_replies.h"
#include "guanjia/repo_search.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/rules_owners.h"
#include "guanjia/rules_workorders.h"
#include "guanjia/search.h"
#include "guanjia/unitcode.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int gj_i18n_init(const char *lang); /* src/cli/i18n.c */

#define MSG_SZ 2048

static int zh;               /* the language of the run: 0 English, 1 Chinese */
static char tpl_dir[256];    /* the group's folder */
static char tpl_db[512];     /* a database with a manager and two households */
static const char *case_dir; /* the running case's own folder */

static const char *lang(void)
{
    return zh ? "zh_CN" : "en";
}

/* ---- helpers --------------------------------------------------------------- */

/* Replaces every occurrence of from in s (in place, s has room for sz). */
static void replace_all(char *s, size_t sz, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to);
    if (!fl)
        return;
    char *p = s;
    while ((p = strstr(p, from)) != NULL) {
        size_t rest = strlen(p + fl);
        if ((size_t)(p - s) + tl + rest + 1 > sz)
            return;
        memmove(p + tl, p + fl, rest + 1);
        memcpy(p, to, tl);
        p += tl;
    }
}

/* What a command printed, as one table cell: the case folder shown as DIR,
 * the trailing newline dropped, inner line breaks as <br>. */
static void cell(char *msg, const char *text)
{
    snprintf(msg, MSG_SZ, "%s", text ? text : "");
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    replace_all(msg, MSG_SZ, case_dir, "DIR");
    replace_all(msg, MSG_SZ, "\n", "<br>");
}

/* Replaces what stands between the first from and the next to (both kept)
 * with "…": for the part of a message that depends on where exactly a
 * limit was reached. */
static void elide(char *msg, const char *from, const char *to)
{
    char *a = strstr(msg, from);
    if (!a)
        return;
    a += strlen(from);
    char *b = strstr(a, to);
    if (!b)
        return;
    static const char dots[] = "\xE2\x80\xA6";
    memmove(a + strlen(dots), b, strlen(b) + 1);
    memcpy(a, dots, strlen(dots));
}

static void set_msg(char *msg, const char *text)
{
    snprintf(msg, MSG_SZ, "%s", text);
}

/* A copy of the template database in the case's folder. */
static const char *fresh_db(void)
{
    const char *db = gj_test_path(case_dir, "estate.db");
    if (gj_test_copy_file(tpl_db, db) != 0)
        fail_msg("cannot copy the template database");
    return db;
}

static int64_t scalar(const char *db, const char *sql)
{
    return gj_test_scalar_file(db, sql);
}

/* persons, links, audit rows, payments, replies: what a refused command
 * must leave as it was. */
static void fingerprint(const char *db, int64_t f[5])
{
    f[0] = scalar(db, "SELECT count(*) FROM persons");
    f[1] = scalar(db, "SELECT count(*) FROM unit_persons");
    f[2] = scalar(db, "SELECT count(*) FROM audit_log");
    f[3] = scalar(db, "SELECT count(*) FROM payments");
    f[4] = scalar(db, "SELECT count(*) FROM standard_replies");
}

static void assert_same_fingerprint(const char *db, const int64_t before[5])
{
    int64_t after[5];
    fingerprint(db, after);
    for (int i = 0; i < 5; i++)
        if (after[i] != before[i])
            fail_msg("count %d changed: %lld -> %lld", i, (long long)before[i],
                     (long long)after[i]);
}

#define CLI(env, input, ...) gj_test_cmd((env), (input), "--lang", lang(), __VA_ARGS__, NULL)

/* Runs an import of csv text into a fresh database; when it must fail,
 * checks that nothing was saved. The message is what it printed (stderr
 * on failure, stdout on success). */
static const char *import_csv(char *msg, const char *csv, size_t len, int want_rc)
{
    const char *db = fresh_db();
    const char *file = gj_test_path(case_dir, "owners.csv");
    gj_test_write_file(file, csv, len);
    int64_t before[5];
    fingerprint(db, before);
    int rc = CLI(gj_test_fixed_now, NULL, "--db", db, "import", "owners", file);
    assert_int_equal(rc, want_rc);
    if (want_rc != 0) {
        assert_same_fingerprint(db, before);
        cell(msg, gj_test_err);
    } else {
        assert_string_equal(gj_test_err, "");
        cell(msg, gj_test_out);
    }
    return db;
}

#define CSV_HEAD "unit,name,phone,relation,area,id_number,notes\n"

/* A repository case: a database of its own with one unit and its owner. */
struct repo_fx {
    char dir[256];
    struct gj_db *db;
    sqlite3 *raw;
    int64_t user, unit, person;
};

static void repo_open(struct repo_fx *f)
{
    gj_test_db_open("repo.db", f->dir, sizeof f->dir, &f->db, &f->raw);
    f->user = gj_test_add_user(f->raw, "desk", "Desk", "butler");
    struct gj_unit u = {
        .building = 1, .entrance = 1, .room = 101, .area_centi_m2 = 9500, .delivered_at = gj_now()};
    f->unit = gj_test_add_unit(f->db, f->user, &u);
    f->person = gj_test_add_person(f->db, f->user, "张三", "13800138000");
}

static void repo_close(struct repo_fx *f)
{
    gj_test_db_close(f->dir, f->db, f->raw);
}

static int64_t raw_count(sqlite3 *raw, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return gj_test_scalar(raw, sql, 0);
}

/* The Owners form: the form checks the record with gj_person_validate, then
 * saves it with gj_person_create (which checks again). Both must refuse
 * with the same message, and no person is added. */
static void person_refused(char *msg, const char *name, const char *phone, const char *id_number,
                           const char *notes)
{
    struct repo_fx f;
    repo_open(&f);
    struct gj_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    snprintf(p.phone, sizeof p.phone, "%s", phone);
    snprintf(p.id_number, sizeof p.id_number, "%s", id_number);
    snprintf(p.notes, sizeof p.notes, "%s", notes);
    struct gj_person copy = p;
    struct gj_error err, err2;
    assert_int_equal(gj_person_validate(&copy, &err), GJ_EINVAL);
    int64_t persons = raw_count(f.raw, "persons"), audit = raw_count(f.raw, "audit_log");
    assert_int_equal(gj_person_create(f.db, f.user, &p, &err2), GJ_EINVAL);
    assert_string_equal(err.msg, err2.msg);
    assert_int_equal(raw_count(f.raw, "persons"), persons);
    assert_int_equal(raw_count(f.raw, "audit_log"), audit);
    set_msg(msg, err.msg);
    repo_close(&f);
}

static void unit_code_refused(char *msg, const char *code)
{
    struct gj_unitcode u;
    struct gj_error err;
    assert_int_equal(gj_unitcode_parse(code, &u, &err), GJ_EINVAL);
    set_msg(msg, err.msg);
}

static void phone_refused(char *msg, const char *phone)
{
    char out[32];
    enum gj_phone_kind kind;
    struct gj_error err;
    assert_int_equal(gj_phone_normalize(phone, out, sizeof out, &kind, &err), GJ_EINVAL);
    /* The form saves through the repository, which refuses it too, naming
     * the field before the phone's own message. */
    person_refused(msg, "李四", phone, "", "");
    size_t ml = strlen(msg), el = strlen(err.msg);
    assert_true(ml > el && strcmp(msg + ml - el, err.msg) == 0);
}

static void id_refused(char *msg, const char *id)
{
    person_refused(msg, "王五", "13900139000", id, "");
}

static void amount_refused(char *msg, const char *typed, unsigned flags)
{
    int64_t fen = 12345;
    struct gj_error err;
    assert_int_equal(gj_money_parse(typed, flags, _("amount"), &fen, &err), GJ_EINVAL);
    assert_int_equal(fen, 12345); /* untouched */
    set_msg(msg, err.msg);
}

static void date_refused(char *msg, const char *typed)
{
    int64_t t = 42;
    struct gj_error err;
    assert_int_equal(gj_parse_date(typed, &t, &err), GJ_EINVAL);
    assert_int_equal(t, 42);
    set_msg(msg, err.msg);
}

/* A payment of amount_fen through the repository, refused: no payment, no
 * receipt number taken, no audit row. */
static void payment_refused(char *msg, int64_t amount_fen)
{
    struct repo_fx f;
    repo_open(&f);
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = f.unit;
    snprintf(p.payer_name, sizeof p.payer_name, "张三");
    snprintf(p.method, sizeof p.method, "cash");
    p.amount_fen = amount_fen;
    int64_t payments = raw_count(f.raw, "payments"), audit = raw_count(f.raw, "audit_log");
    int64_t receipts =
        gj_test_scalar(f.raw, "SELECT coalesce(max(last_no), 0) FROM receipt_counter", 0);
    struct gj_error err;
    assert_int_not_equal(gj_payment_take(f.db, f.user, &p, NULL, 0, NULL, NULL, NULL, &err), GJ_OK);
    assert_int_equal(raw_count(f.raw, "payments"), payments);
    assert_int_equal(raw_count(f.raw, "audit_log"), audit);
    assert_int_equal(
        gj_test_scalar(f.raw, "SELECT coalesce(max(last_no), 0) FROM receipt_counter", 0),
        receipts);
    set_msg(msg, err.msg);
    repo_close(&f);
}

static struct gj_work_order *new_wo(const struct repo_fx *f, const char *description)
{
    struct gj_work_order *w = calloc(1, sizeof *w);
    assert_non_null(w);
    w->unit_id = f->unit;
    w->person_id = f->person;
    strcpy(w->channel, "phone");
    strcpy(w->category, "repair");
    strcpy(w->priority, "normal");
    strcpy(w->state, "new");
    snprintf(w->description, sizeof w->description, "%s", description);
    w->respond_due_at = gj_now() + 3600;
    w->resolve_due_at = gj_now() + 86400;
    return w;
}

/* The work-order form: gj_wo_validate, then gj_wo_create; both refuse. */
static void wo_refused(char *msg, const char *description)
{
    struct repo_fx f;
    repo_open(&f);
    struct gj_work_order *w = new_wo(&f, description);
    struct gj_error err, err2;
    assert_int_equal(gj_wo_validate(w, &err), GJ_EINVAL);
    int64_t before = raw_count(f.raw, "work_orders");
    assert_int_equal(gj_wo_create(f.db, f.user, w, &err2), GJ_EINVAL);
    assert_string_equal(err.msg, err2.msg);
    assert_int_equal(raw_count(f.raw, "work_orders"), before);
    set_msg(msg, err.msg);
    free(w);
    repo_close(&f);
}

/* A string of n copies of s. */
static char *repeat(const char *s, size_t n)
{
    size_t l = strlen(s);
    char *out = malloc(l * n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * l, s, l);
    out[l * n] = '\0';
    return out;
}

#define SQL_TEXT "'); DROP TABLE persons;--"
#define SAVED    "— (saved and shown exactly as typed)"

/* ---- the cases --------------------------------------------------------------- */

static void b01(char *m)
{
    person_refused(m, "\xff\xfe张", "", "", "");
}
static void b02(char *m)
{
    person_refused(m, "张\x07三", "", "", "");
}
static void b03(char *m)
{
    char *name = repeat("张", GJ_NAME_CHARS + 1);
    person_refused(m, name, "", "", "");
    free(name);
}
static void b04(char *m)
{
    char *notes = repeat("a", GJ_NOTE_CHARS + 1);
    person_refused(m, "张三", "", "", notes);
    free(notes);
}
static void b05(char *m)
{
    phone_refused(m, "12345");
}
static void b06(char *m)
{
    phone_refused(m, "138001380001");
}
static void b07(char *m)
{
    phone_refused(m, "1381234567a");
}
static void b08(char *m)
{
    phone_refused(m, "11012345678");
}
static void b09(char *m)
{
    phone_refused(m, "010-1234");
}
static void b10(char *m)
{
    id_refused(m, "11010519491231002Y");
}
static void b11(char *m)
{
    id_refused(m, "11010520260230123X");
}
static void b12(char *m)
{
    id_refused(m, "123");
}
static void b13(char *m)
{
    unit_code_refused(m, "3-2-");
}
static void b14(char *m)
{
    unit_code_refused(m, "0-1-101");
}
static void b15(char *m)
{
    unit_code_refused(m, "abc");
}
static void b16(char *m)
{
    unit_code_refused(m, "3-2-50");
}
static void b17(char *m)
{
    amount_refused(m, "-5.00", 0);
}
static void b18(char *m)
{
    amount_refused(m, "99999999999999999999", 0);
}
static void b19(char *m)
{
    amount_refused(m, "92233720368547758.08", GJ_MONEY_ALLOW_NEGATIVE);
}
static void b20(char *m)
{
    amount_refused(m, "100000000000.00", 0);
}
static void b21(char *m)
{
    amount_refused(m, "1.234", 0);
}
static void b22(char *m)
{
    amount_refused(m, "", 0);
}
static void b23(char *m)
{
    amount_refused(m, "1e5", 0);
}
static void b24(char *m)
{
    payment_refused(m, INT64_MAX);
}
static void b25(char *m)
{
    payment_refused(m, -100);
}
static void b26(char *m)
{
    date_refused(m, "2026-02-30");
}
static void b27(char *m)
{
    date_refused(m, "2026-13-01");
}
static void b28(char *m)
{
    date_refused(m, "2026-11-31");
}
static void b29(char *m)
{
    wo_refused(m, "");
}
static void b30(char *m)
{
    wo_refused(m, "漏水\x1b[2J\x1b]0;owned\x07");
}
static void b31(char *m)
{
    char *d = repeat("水", GJ_TEXT_CHARS + 1);
    wo_refused(m, d);
    free(d);
}

/* SQL text in every field of an owner and a work order: stored and read
 * back unchanged, and the tables are all still there. */
static void b32(char *m)
{
    struct repo_fx f;
    repo_open(&f);
    struct gj_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", SQL_TEXT);
    snprintf(p.notes, sizeof p.notes, "%s", "x' OR '1'='1; DELETE FROM units; --");
    struct gj_error err;
    gj_test_must(gj_person_create(f.db, f.user, &p, &err), &err);
    struct gj_person back;
    gj_test_must(gj_person_get(f.db, p.id, &back, &err), &err);
    assert_string_equal(back.name, SQL_TEXT);
    assert_string_equal(back.notes, "x' OR '1'='1; DELETE FROM units; --");
    struct gj_work_order *w = new_wo(&f, "\"; UPDATE payments SET amount_fen = 0; --");
    gj_test_must(gj_wo_create(f.db, f.user, w, &err), &err);
    struct gj_work_order *wb = calloc(1, sizeof *wb);
    assert_non_null(wb);
    gj_test_must(gj_wo_get(f.db, w->id, wb, &err), &err);
    assert_string_equal(wb->description, "\"; UPDATE payments SET amount_fen = 0; --");
    /* The unit's notes, a complaint's subject and detail, a payer. */
    struct gj_unit u;
    gj_test_must(gj_unit_get(f.db, f.unit, &u, &err), &err);
    snprintf(u.notes, sizeof u.notes, "%s", "1'; DROP TABLE units; --");
    gj_test_must(gj_unit_update(f.db, f.user, &u, &err), &err);
    gj_test_must(gj_unit_get(f.db, f.unit, &u, &err), &err);
    assert_string_equal(u.notes, "1'; DROP TABLE units; --");
    struct gj_complaint *c = calloc(1, sizeof *c);
    struct gj_complaint *cb = calloc(1, sizeof *cb);
    assert_non_null(c);
    assert_non_null(cb);
    c->unit_id = f.unit;
    c->person_id = f.person;
    strcpy(c->channel, "phone");
    strcpy(c->subject, "Robert'); DROP TABLE complaints;--");
    strcpy(c->detail, "%' OR 1=1; --");
    strcpy(c->category, "noise");
    strcpy(c->grade, "minor");
    c->ack_due_at = gj_now() + 3600;
    c->resolve_due_at = gj_now() + 86400;
    gj_test_must(gj_complaint_create(f.db, f.user, c, &err), &err);
    gj_test_must(gj_complaint_get(f.db, c->id, cb, &err), &err);
    assert_string_equal(cb->subject, "Robert'); DROP TABLE complaints;--");
    assert_string_equal(cb->detail, "%' OR 1=1; --");
    struct gj_payment pay, pb;
    memset(&pay, 0, sizeof pay);
    pay.unit_id = f.unit;
    snprintf(pay.payer_name, sizeof pay.payer_name, "%s", SQL_TEXT);
    strcpy(pay.method, "cash");
    pay.amount_fen = 100;
    gj_test_must(gj_payment_take(f.db, f.user, &pay, NULL, 0, NULL, NULL, NULL, &err), &err);
    gj_test_must(gj_payment_get(f.db, pay.id, &pb, &err), &err);
    assert_string_equal(pb.payer_name, SQL_TEXT);
    assert_int_equal(raw_count(f.raw, "persons"), 2);
    assert_int_equal(raw_count(f.raw, "units"), 1);
    assert_int_equal(raw_count(f.raw, "complaints"), 1);
    free(c);
    free(cb);
    free(w);
    free(wb);
    set_msg(m, SAVED);
    repo_close(&f);
}

/* SQL text in the search box finds nothing and breaks nothing; the name
 * itself is found by its own text. */
static void b33(char *m)
{
    struct repo_fx f;
    repo_open(&f);
    gj_test_add_person(f.db, f.user, SQL_TEXT, NULL);
    struct gj_search_query q;
    struct gj_owner_hit hits[8];
    int n = -1;
    struct gj_error err;
    gj_search_classify("%' OR 1=1 --", &q);
    gj_test_must(gj_owner_search(f.db, &q, 8, hits, &n, &err), &err);
    assert_int_equal(n, 0);
    gj_search_classify(SQL_TEXT, &q);
    gj_test_must(gj_owner_search(f.db, &q, 8, hits, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(hits[0].name, SQL_TEXT);
    set_msg(m, "— (no match; the list stays empty)");
    repo_close(&f);
}

/* ---- the command line -------------------------------------------------------- */

static void b34(char *m)
{
    const char *db = fresh_db();
    int64_t before[5];
    fingerprint(db, before);
    assert_int_equal(CLI(gj_test_fixed_now, NULL, "--db", db, "replies", "add",
                         "'); DROP TABLE standard_replies;--"),
                     0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM standard_replies WHERE text = "
                                "'''); DROP TABLE standard_replies;--'"),
                     1);
    cell(m, gj_test_out);
}

static void b35(char *m)
{
    assert_int_equal(CLI(NULL, NULL, "--db", case_dir, "summary"), 1);
    cell(m, gj_test_err);
}

static void b36(char *m)
{
    const char *db = gj_test_path(case_dir, "missing.db");
    assert_int_equal(CLI(NULL, NULL, "--db", db, "summary"), 1);
    assert_int_equal(access(db, F_OK), -1);
    cell(m, gj_test_err);
}

static void b37(char *m)
{
    const char *db = fresh_db();
    const char *keep = gj_test_path(case_dir, "keep.db");
    assert_int_equal(gj_test_copy_file(db, keep), 0);
    assert_int_equal(chmod(db, 0444), 0);
    assert_int_equal(CLI(gj_test_fixed_now, NULL, "--db", db, "replies", "add", "hello"), 1);
    assert_true(gj_test_same_file(db, keep));
    chmod(db, 0600);
    cell(m, gj_test_err);
}

static void b38(char *m)
{
    const char *db = gj_test_path(case_dir, "notes.db");
    gj_test_write_text(db, "these are my notes, not a database\n");
    assert_int_equal(CLI(NULL, NULL, "--db", db, "summary"), 1);
    size_t len = 0;
    char *after = gj_test_slurp(db, &len);
    assert_non_null(after);
    assert_string_equal(after, "these are my notes, not a database\n");
    free(after);
    cell(m, gj_test_err);
}

static void b39(char *m)
{
    const char *db = fresh_db();
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    int64_t before[5];
    fingerprint(db, before);
    assert_int_equal(CLI(gj_test_fixed_now, NULL, "--db", db, "replies", "add", "hello"), 1);
    assert_same_fingerprint(db, before);
    assert_int_equal(scalar(db, "PRAGMA user_version"), 99);
    cell(m, gj_test_err);
    /* The table names this program's version N: it grows with each
     * migration. */
    char mine[32];
    snprintf(mine, sizeof mine, "(%d)", gj_db_schema_target());
    replace_all(m, MSG_SZ, mine, "(N)");
    snprintf(mine, sizeof mine, "（%d）", gj_db_schema_target());
    replace_all(m, MSG_SZ, mine, "（N）");
}

/* Another program holds the database with BEGIN EXCLUSIVE: the command
 * waits its busy timeout, then says so in words. */
static void b40(char *m)
{
    const char *db = fresh_db();
    int64_t before[5];
    fingerprint(db, before);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    int64_t t0 = (int64_t)time(NULL);
    assert_int_equal(CLI(gj_test_fixed_now, NULL, "--db", db, "replies", "add", "hello"), 1);
    int64_t waited = (int64_t)time(NULL) - t0;
    assert_int_equal(sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_true(waited >= 5);
    assert_null(strstr(gj_test_err, "database is locked"));
    assert_same_fingerprint(db, before);
    cell(m, gj_test_err);
}

static void b41(char *m)
{
    char *path = repeat("d/", 2100);
    assert_int_equal(CLI(NULL, NULL, "--db", path, "summary"), 1);
    free(path);
    cell(m, gj_test_err);
}

static void b42(char *m)
{
    const char *env[] = {"GUANJIA_NOW=2026-02-30T09:00", NULL};
    assert_int_equal(CLI(env, NULL, "--db", fresh_db(), "summary"), 1);
    cell(m, gj_test_err);
}

static void b43(char *m)
{
    const char *db = fresh_db();
    int64_t bills = scalar(db, "SELECT count(*) FROM bills");
    assert_int_equal(CLI(gj_test_fixed_now, NULL, "--db", db, "bill", "2026-13"), 2);
    assert_int_equal(scalar(db, "SELECT count(*) FROM bills"), bills);
    cell(m, gj_test_err);
}

static void b44(char *m)
{
    assert_int_equal(CLI(gj_test_fixed_now, NULL, "--db", fresh_db(), "report", "workorders",
                         "--from", "2026-02-30"),
                     2);
    cell(m, gj_test_err);
}

static void b45(char *m)
{
    const char *db = fresh_db();
    int64_t before[5];
    fingerprint(db, before);
    assert_int_equal(CLI(gj_test_fixed_now, NULL, "--db", db, "import", "owners",
                         gj_test_path(case_dir, "nothing.csv")),
                     1);
    assert_same_fingerprint(db, before);
    cell(m, gj_test_err);
}

static void b46(char *m)
{
    import_csv(m, "", 0, 1);
}

static void b47(char *m)
{
    /* "unit,name" in UTF-16LE with its BOM, as Excel's "Unicode text". */
    static const char utf16[] = "\xff\xfeu\0n\0i\0t\0,\0n\0a\0m\0e\0\n\0";
    import_csv(m, utf16, sizeof utf16 - 1, 1);
}

static void b48(char *m)
{
    static const char bad[] = CSV_HEAD "1-1-105,\x80\xff\x80\xff,13800138004,owner,95,,\n";
    import_csv(m, bad, sizeof bad - 1, 1);
}

static void b49(char *m)
{
    static const char csv[] = CSV_HEAD "1-1-102,李四,13800138001,owner,95,,\"broken\n";
    import_csv(m, csv, sizeof csv - 1, 1);
}

static void b50(char *m)
{
    static const char csv[] =
        CSV_HEAD "1-1-103,赵六,13800138002,owner,95,,\"first line\r\nsecond, \"\"quoted\"\"\"\n";
    const char *db = import_csv(m, csv, sizeof csv - 1, 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM persons WHERE name = '赵六' AND notes = "
                                "'first line' || char(10) || 'second, \"quoted\"'"),
                     1);
}

static void b51(char *m)
{
    static const char csv[] = CSV_HEAD "1-1-103,赵六,13800138002,owner,95,,\n"
                                       "1-1-104,钱七,12345,owner,95,,\n";
    import_csv(m, csv, sizeof csv - 1, 1);
}

static void b52(char *m)
{
    static const char csv[] = CSV_HEAD "1-1-1,孙八,13800138003,owner,95,,\n";
    import_csv(m, csv, sizeof csv - 1, 1);
}

static void b53(char *m)
{
    static const char csv[] = CSV_HEAD "1-1-104,周九,13800138004,owner,95,11010519491231002Y,\n";
    import_csv(m, csv, sizeof csv - 1, 1);
}

static void b54(char *m)
{
    static const char csv[] = CSV_HEAD "1-1-106,王\x07五,13800138005,owner,95,,\n";
    import_csv(m, csv, sizeof csv - 1, 1);
}

static void b55(char *m)
{
    static const char csv[] = CSV_HEAD "1-1-107," SQL_TEXT ",13800138006,owner,95,,\n";
    const char *db = import_csv(m, csv, sizeof csv - 1, 0);
    assert_int_equal(
        scalar(db, "SELECT count(*) FROM persons WHERE name = '''); DROP TABLE persons;--'"), 1);
}

static void b56(char *m)
{
    char *name = repeat("张", GJ_NAME_CHARS + 1);
    char csv[1024];
    snprintf(csv, sizeof csv, CSV_HEAD "1-1-108,%s,13800138007,owner,95,,\n", name);
    free(name);
    import_csv(m, csv, strlen(csv), 1);
}

static void b57(char *m)
{
    const char *out = gj_test_path(case_dir, "no/such/folder/owners.csv");
    int rc = CLI(gj_test_fixed_now, NULL, "--db", fresh_db(), "export", "owners", out);
    assert_int_equal(rc, 1);
    assert_int_equal(access(out, F_OK), -1);
    cell(m, gj_test_err);
}

/* Runs the command with files limited to limit bytes (SIGXFSZ ignored, so
 * the write fails with EFBIG as on a full disk). */
static int run_disk_full(off_t limit, const char *db, const char *a0, const char *a1,
                         const char *a2)
{
    struct rlimit old, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = old;
    small.rlim_cur = (rlim_t)limit;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    int rc = CLI(gj_test_fixed_now, NULL, "--db", db, a0, a1, a2);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, prev);
    return rc;
}

static const char *many_csv(void);

static void b58(char *m)
{
    const char *db = fresh_db();
    assert_int_equal(
        gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "import", "owners", many_csv(), NULL), 0);
    /* Room for the -shm (32 KiB chunks), not for 2,000 lines of CSV. */
    const char *out = gj_test_path(case_dir, "owners.csv");
    assert_int_equal(run_disk_full(100000, db, "export", "owners", out), 1);
    assert_int_equal(access(out, F_OK), -1);
    assert_int_equal(gj_test_count_files(case_dir, "owners.csv"), 0);
    cell(m, gj_test_err);
}

/* An owners CSV of 2,000 households in the case folder. */
static const char *many_csv(void)
{
    const char *file = gj_test_path(case_dir, "many.csv");
    size_t cap = 400000, n = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    n += (size_t)snprintf(csv + n, cap - n, CSV_HEAD);
    for (int i = 0; i < 2000; i++)
        n += (size_t)snprintf(csv + n, cap - n, "%d-1-%d,住户%d,139%08d,owner,95,,%s\n",
                              2 + i / 500, 101 + i % 500 % 50 + 100 * (i % 500 / 50), i, i,
                              "some notes to make the rows larger than they would be");
    gj_test_write_file(file, csv, n);
    free(csv);
    return file;
}

static void b59(char *m)
{
    const char *db = fresh_db();
    /* Room for the database as it is, not for what the import adds. */
    struct stat st;
    assert_int_equal(stat(db, &st), 0);
    const char *file = many_csv();
    int64_t before[5];
    fingerprint(db, before);
    assert_int_equal(run_disk_full(st.st_size, db, "import", "owners", file), 1);
    cell(m, gj_test_err);
    /* Which record hit the limit depends on page sizes: not part of the
     * promise. */
    elide(m, zh ? "guanjia: \xE5\xAF\xBC\xE5\x85\xA5: " : "guanjia: import: ",
          zh ? "\xEF\xBC\x9A" : ": cannot write");
    assert_same_fingerprint(db, before);
    assert_int_equal(gj_test_cmd(NULL, NULL, "--db", db, "check", NULL), 0);
}

static void b60(char *m)
{
    const char *db = fresh_db();
    const char *out = gj_test_path(case_dir, "copy.db");
    assert_int_equal(run_disk_full(100000, db, "backup", out, NULL), 1);
    assert_int_equal(access(out, F_OK), -1);
    assert_int_equal(gj_test_count_files(case_dir, "copy.db"), 0);
    cell(m, gj_test_err);
}

static void b61(char *m)
{
    const char *db = fresh_db();
    const char *out = gj_test_path(case_dir, "copy.db");
    gj_test_write_text(out, "keep me\n");
    assert_int_equal(CLI(gj_test_fixed_now, NULL, "--db", db, "backup", out), 1);
    char *after = gj_test_slurp(out, NULL);
    assert_string_equal(after, "keep me\n");
    free(after);
    cell(m, gj_test_err);
}

static void b62(char *m)
{
    const char *db = fresh_db();
    const char *keep = gj_test_path(case_dir, "keep.db");
    assert_int_equal(gj_test_copy_file(db, keep), 0);
    assert_int_equal(
        CLI(gj_test_fixed_now, NULL, "--db", db, "restore", gj_test_path(case_dir, "old.db")), 1);
    assert_true(gj_test_same_file(db, keep));
    cell(m, gj_test_err);
}

static void b63(char *m)
{
    const char *db = fresh_db();
    const char *out = gj_test_path(case_dir, "owners.csv");
    /* A name GBK cannot hold (an emoji), exported as GBK. */
    static const char csv[] = CSV_HEAD "1-1-109,小\xF0\x9F\x98\x80,13800138009,owner,95,,\n";
    const char *file = gj_test_path(case_dir, "in.csv");
    gj_test_write_file(file, csv, sizeof csv - 1);
    assert_int_equal(
        gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "import", "owners", file, NULL), 0);
    assert_int_equal(
        CLI(gj_test_fixed_now, NULL, "--db", db, "export", "owners", out, "--encoding", "gbk"), 1);
    assert_int_equal(access(out, F_OK), -1);
    cell(m, gj_test_err);
}

static void b64(char *m)
{
    assert_int_equal(CLI(NULL, NULL, "--db", fresh_db(), "restor", "x.db"), 2);
    cell(m, gj_test_err);
}

static void b65(char *m)
{
    const char *db = fresh_db();
    int64_t before[5];
    fingerprint(db, before);
    char *text = repeat("话", 201);
    assert_int_equal(CLI(gj_test_fixed_now, NULL, "--db", db, "replies", "add", text), 1);
    free(text);
    assert_same_fingerprint(db, before);
    cell(m, gj_test_err);
}

static void b66(char *m)
{
    const char *db = fresh_db();
    int64_t before[5];
    fingerprint(db, before);
    assert_int_equal(CLI(gj_test_fixed_now, NULL, "--db", db, "replies", "add", "bad\xff\xfe"), 1);
    assert_same_fingerprint(db, before);
    cell(m, gj_test_err);
}

static const struct bad_case {
    const char *id;
    void (*run)(char *msg);
} cases[] = {
    {"B01", b01}, {"B02", b02}, {"B03", b03}, {"B04", b04}, {"B05", b05}, {"B06", b06},
    {"B07", b07}, {"B08", b08}, {"B09", b09}, {"B10", b10}, {"B11", b11}, {"B12", b12},
    {"B13", b13}, {"B14", b14}, {"B15", b15}, {"B16", b16}, {"B17", b17}, {"B18", b18},
    {"B19", b19}, {"B20", b20}, {"B21", b21}, {"B22", b22}, {"B23", b23}, {"B24", b24},
    {"B25", b25}, {"B26", b26}, {"B27", b27}, {"B28", b28}, {"B29", b29}, {"B30", b30},
    {"B31", b31}, {"B32", b32}, {"B33", b33}, {"B34", b34}, {"B35", b35}, {"B36", b36},
    {"B37", b37}, {"B38", b38}, {"B39", b39}, {"B40", b40}, {"B41", b41}, {"B42", b42},
    {"B43", b43}, {"B44", b44}, {"B45", b45}, {"B46", b46}, {"B47", b47}, {"B48", b48},
    {"B49", b49}, {"B50", b50}, {"B51", b51}, {"B52", b52}, {"B53", b53}, {"B54", b54},
    {"B55", b55}, {"B56", b56}, {"B57", b57}, {"B58", b58}, {"B59", b59}, {"B60", b60},
    {"B61", b61}, {"B62", b62}, {"B63", b63}, {"B64", b64}, {"B65", b65}, {"B66", b66},
};
#define N_CASES (sizeof cases / sizeof cases[0])

/* ---- the table ------------------------------------------------------------- */

struct row {
    char id[8];
    char en[MSG_SZ], zh[MSG_SZ];
    int used;
};
static struct row rows[128];
static int n_rows;

/* The cell without its surrounding spaces and backticks; "\|" is "|". */
static void unquote(const char *s, size_t n, char *out)
{
    while (n && (*s == ' ' || *s == '`'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '`'))
        n--;
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < MSG_SZ; i++) {
        if (s[i] == '\\' && i + 1 < n && s[i + 1] == '|')
            continue;
        out[o++] = s[i];
    }
    out[o] = '\0';
}

/* Splits a table line on unescaped '|'. */
static int split(const char *line, const char **cells, size_t *lens, int max)
{
    int n = 0;
    const char *start = NULL;
    for (const char *p = line; *p && *p != '\n'; p++) {
        if (*p == '|' && (p == line || p[-1] != '\\')) {
            if (start && n < max) {
                cells[n] = start;
                lens[n] = (size_t)(p - start);
                n++;
            }
            start = p + 1;
        }
    }
    return n;
}

static void read_table(void)
{
    const char *src = getenv("GUANJIA_SOURCE_DIR");
    assert_non_null(src);
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/bad-input.md", src);
    char *doc = gj_test_slurp(path, NULL);
    if (!doc)
        fail_msg("%s: cannot read it", path);
    n_rows = 0;
    for (char *line = doc; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, "| B", 3) != 0)
            continue;
        const char *cells[8];
        size_t lens[8];
        int n = split(line, cells, lens, 8);
        if (n != 5)
            fail_msg("docs/bad-input.md: a row with %d columns, not 5: %.40s", n, line);
        assert_true(n_rows < (int)(sizeof rows / sizeof rows[0]));
        struct row *r = &rows[n_rows++];
        char id[MSG_SZ];
        unquote(cells[0], lens[0], id);
        snprintf(r->id, sizeof r->id, "%s", id);
        unquote(cells[3], lens[3], r->en);
        unquote(cells[4], lens[4], r->zh);
        r->used = 0;
    }
    free(doc);
}

static struct row *find_row(const char *id)
{
    for (int i = 0; i < n_rows; i++)
        if (strcmp(rows[i].id, id) == 0)
            return &rows[i];
    return NULL;
}

static int printing(void)
{
    const char *p = getenv("GJ_BAD_INPUT_PRINT");
    return p && *p == '1';
}

static void run_case(void **state)
{
    const struct bad_case *c = *state;
    char en[MSG_SZ], zhm[MSG_SZ];
    for (zh = 0; zh <= 1; zh++) {
        gj_i18n_init(lang());
        case_dir = gj_test_tmpdir();
        c->run(zh ? zhm : en);
        gj_test_rmtree(case_dir);
    }
    zh = 0;
    gj_i18n_init("en");
    if (printing()) {
        printf("%s\t%s\t%s\n", c->id, en, zhm);
        return;
    }
    struct row *r = find_row(c->id);
    if (!r) {
        fail_msg("%s: a case without a row in docs/bad-input.md", c->id);
        return;
    }
    r->used = 1;
    if (strcmp(r->en, en) != 0)
        fail_msg("%s: the program says\n  %s\nthe table says\n  %s", c->id, en, r->en);
    if (strcmp(r->zh, zhm) != 0)
        fail_msg("%s: the program says (zh_CN)\n  %s\nthe table says\n  %s", c->id, zhm, r->zh);
}

static void test_rows_and_cases_agree(void **state)
{
    (void)state;
    assert_true(n_rows >= 45);
    for (int i = 0; i < n_rows; i++) {
        int found = 0;
        for (size_t k = 0; k < N_CASES; k++)
            found |= strcmp(cases[k].id, rows[i].id) == 0;
        if (!found)
            fail_msg("docs/bad-input.md row %s has no case in tests/test_bad_input.c", rows[i].id);
        for (int j = 0; j < i; j++)
            if (strcmp(rows[i].id, rows[j].id) == 0)
                fail_msg("docs/bad-input.md: row %s twice", rows[i].id);
    }
    for (size_t k = 0; k < N_CASES; k++)
        if (!find_row(cases[k].id))
            fail_msg("case %s has no row in docs/bad-input.md", cases[k].id);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tpl_dir, sizeof tpl_dir, "%s", gj_test_tmpdir());
    snprintf(tpl_db, sizeof tpl_db, "%s/template.db", tpl_dir);
    if (gj_test_cmd(gj_test_fixed_now, "Secret-pass-1\n", "--db", tpl_db, "init", "--admin", "boss",
                    "--name", "Boss", "--password-stdin", NULL) != 0)
        return -1;
    const char *csv = gj_test_path(tpl_dir, "seed.csv");
    gj_test_write_text(csv, CSV_HEAD "1-1-101,张三,13800138000,owner,95,11010519491231002X,\n"
                                     "1-1-102,李四,13900139000,owner,88,,\n");
    if (gj_test_cmd(gj_test_fixed_now, NULL, "--db", tpl_db, "import", "owners", csv, NULL) != 0)
        return -1;
    if (!printing())
        read_table();
    return 0;
}

static int teardown(void **state)
{
    gj_test_rmtree(tpl_dir);
    return gj_test_cmd_teardown(state);
}

int main(void)
{
    struct CMUnitTest tests[N_CASES + 1];
    memset(tests, 0, sizeof tests);
    for (size_t i = 0; i < N_CASES; i++) {
        tests[i].name = cases[i].id;
        tests[i].test_func = run_case;
        tests[i].initial_state = (void *)&cases[i];
    }
    tests[N_CASES].name = "rows_and_cases_agree";
    tests[N_CASES].test_func = test_rows_and_cases_agree;
    return _cmocka_run_group_tests("bad_input", tests, printing() ? N_CASES : N_CASES + 1, setup,
                                   teardown);
}
