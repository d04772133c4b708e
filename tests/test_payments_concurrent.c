/* Four terminals take payments on the same estate at the same moment:
 * four processes, each with its own connection, 50 payments each through
 * gj_payment_take. Receipt numbers stay gap-free and unique, every bill is
 * settled oldest first and never beyond its amount, and the money adds
 * up: what was paid is what the bills got plus what went to credit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_users.h"

#define CHILDREN 4
#define PAYMENTS 50
#define UNITS    2
#define BILLS    24 /* per unit, 100 yuan each: 4,800 yuan in all */

/* What a child sends back through its pipe. */
struct child_result {
    int64_t paid_fen;    /* the sum of its payments */
    int64_t settled_fen; /* what its payments' allocations (as returned) add up to */
    int64_t credit_fen;  /* what went to credit */
    int errors;          /* failed calls and inconsistent results */
    char first_error[512];
};

static void note_error(struct child_result *r, const char *what)
{
    if (r->errors++ == 0)
        snprintf(r->first_error, sizeof r->first_error, "%s", what);
}

/* One terminal: waits for the start signal, takes PAYMENTS payments
 * alternating between the units, checks each answer. */
static struct child_result run_child(const char *path, int k, int64_t user, const int64_t *units,
                                     int start_fd)
{
    struct child_result r;
    memset(&r, 0, sizeof r);
    struct gj_db *db = NULL;
    struct gj_error err;
    if (gj_db_open(path, 0, &db, &err) != GJ_OK) {
        note_error(&r, err.msg);
        return r;
    }
    char go;
    if (read(start_fd, &go, 1) < 0) /* EOF when the parent lets go */
        note_error(&r, strerror(errno));
    static struct gj_alloc_line lines[GJ_PAYMENT_MAX_LINES];
    for (int i = 0; i < PAYMENTS; i++) {
        struct gj_payment p;
        memset(&p, 0, sizeof p);
        p.unit_id = units[(i + k) % UNITS];
        snprintf(p.payer_name, sizeof p.payer_name, "业主%d", k);
        static const char *const methods[] = {"cash", "wechat", "alipay", "card", "transfer"};
        snprintf(p.method, sizeof p.method, "%s", methods[(i + k) % 5]);
        p.amount_fen = 1000 + 137 * k + 53 * i; /* 10 to 50 yuan: some bills partly paid */
        size_t n = 0;
        int64_t credit = -1;
        if (gj_payment_take(db, user, &p, NULL, 0, lines, &n, &credit, &err) != GJ_OK) {
            char msg[600];
            snprintf(msg, sizeof msg, "payment %d: %s", i, err.msg);
            note_error(&r, msg);
            continue;
        }
        int64_t settled = 0;
        for (size_t j = 0; j < n; j++) {
            if (lines[j].amount_fen <= 0)
                note_error(&r, "an allocation of zero or less");
            settled += lines[j].amount_fen;
        }
        if (credit < 0 || settled + credit != p.amount_fen)
            note_error(&r, "allocations plus credit differ from the amount");
        if (p.receipt_no < 1 || p.id < 1 || p.created_by != user)
            note_error(&r, "no receipt number, id or operator");
        r.paid_fen += p.amount_fen;
        r.settled_fen += settled;
        r.credit_fen += credit;
        /* A breath between payments, as at a real desk: without it one
         * terminal re-takes the lock at once while the others sleep in
         * SQLite's busy handler, and the four run one after another. */
        usleep(500 + 250 * (useconds_t)k);
    }
    gj_db_close(db);
    return r;
}

static int64_t one_i64(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    if (sqlite3_step(st) != SQLITE_ROW)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void test_four_terminals_take_payments_at_once(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    const char *dir = gj_test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/guanjia.db", dir);

    /* The estate: a butler per terminal, two units, 24 monthly bills each. */
    struct gj_db *db = NULL;
    struct gj_error err;
    gj_test_must(gj_db_open(path, GJ_DB_CREATE, &db, &err), &err);
    int64_t users[CHILDREN], units[UNITS];
    for (int k = 0; k < CHILDREN; k++) {
        struct gj_user u;
        memset(&u, 0, sizeof u);
        snprintf(u.login, sizeof u.login, "butler%d", k);
        snprintf(u.name, sizeof u.name, "管家%d", k);
        strcpy(u.role, "butler");
        strcpy(u.rank, "butler");
        gj_test_must(gj_user_create(db, 0, &u, "correct horse battery", &err), &err);
        users[k] = u.id;
    }
    int64_t item = gj_test_add_fee_item(db, 0, "物业服务费", "fixed", 10000, 202401, 0);
    for (int u = 0; u < UNITS; u++) {
        struct gj_unit unit = {.building = 5,
                               .entrance = 1,
                               .room = 301 + u,
                               .floor = 3,
                               .area_centi_m2 = 10000,
                               .delivered_at = 1};
        units[u] = gj_test_add_unit(db, 0, &unit);
        for (int m = 0; m < BILLS; m++) {
            struct gj_bill b;
            memset(&b, 0, sizeof b);
            b.unit_id = unit.id;
            b.fee_item_id = item;
            b.period = gj_month_add(202501, m);
            gj_test_must(gj_bill_create(db, 0, &b, &err), &err);
        }
    }
    gj_db_close(db); /* no connection crosses a fork */

    int start[2];
    assert_int_equal(pipe(start), 0);
    pid_t pids[CHILDREN];
    int results[CHILDREN];
    for (int k = 0; k < CHILDREN; k++) {
        int res[2];
        assert_int_equal(pipe(res), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(start[1]);
            close(res[0]);
            struct child_result r = run_child(path, k, users[k], units, start[0]);
            ssize_t w = write(res[1], &r, sizeof r);
            _exit(w == (ssize_t)sizeof r && r.errors == 0 ? 0 : 1);
        }
        close(res[1]);
        pids[k] = pid;
        results[k] = res[0];
    }
    close(start[0]);
    close(start[1]); /* go: every child's read returns */

    int64_t paid = 0, settled = 0, credit = 0;
    for (int k = 0; k < CHILDREN; k++) {
        struct child_result r;
        memset(&r, 0, sizeof r);
        ssize_t got = read(results[k], &r, sizeof r);
        close(results[k]);
        int status = 0;
        assert_int_equal(waitpid(pids[k], &status, 0), pids[k]);
        if (got != (ssize_t)sizeof r)
            fail_msg("terminal %d sent no result (status %d)", k, status);
        if (r.errors)
            fail_msg("terminal %d: %d errors, the first: %s", k, r.errors, r.first_error);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        paid += r.paid_fen;
        settled += r.settled_fen;
        credit += r.credit_fen;
    }

    /* Afterwards, as the database has it. */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    const int64_t n = CHILDREN * PAYMENTS;
    assert_int_equal(one_i64(h, "SELECT count(*) FROM payments"), n);
    assert_int_equal(one_i64(h, "SELECT count(DISTINCT receipt_no) FROM payments"), n);
    assert_int_equal(one_i64(h, "SELECT min(receipt_no) FROM payments"), 1);
    assert_int_equal(one_i64(h, "SELECT max(receipt_no) FROM payments"), n);
    assert_int_equal(one_i64(h, "SELECT last_no FROM receipt_counter"), n);
    /* each terminal's 50 payments, each under its own operator */
    assert_int_equal(one_i64(h, "SELECT count(DISTINCT created_by) FROM payments"), CHILDREN);
    assert_int_equal(one_i64(h, "SELECT max(c) FROM (SELECT count(*) AS c FROM payments "
                                "GROUP BY created_by)"),
                     PAYMENTS);
    /* they did run at once: in receipt order the operator changes often
     * (one after another it would change 3 times; here it is ~100) */
    int64_t switches = one_i64(h, "SELECT count(*) FROM (SELECT created_by, lag(created_by) "
                                  "OVER (ORDER BY receipt_no) AS prev FROM payments) "
                                  "WHERE prev <> created_by");
    if (switches < 2 * CHILDREN)
        fail_msg("the terminals took turns only %lld times: not at the same time",
                 (long long)switches);
    /* no payment settled more than it brought, nor anything twice */
    assert_int_equal(one_i64(h, "SELECT count(*) FROM payments p WHERE p.amount_fen < "
                                "(SELECT coalesce(sum(a.amount_fen), 0) FROM "
                                "payment_allocations a WHERE a.payment_id = p.id)"),
                     0);
    assert_int_equal(one_i64(h, "SELECT count(*) FROM payment_allocations WHERE amount_fen <= 0"),
                     0);
    /* the money adds up: paid = allocated + credit, in the database and as
     * the terminals were told */
    int64_t db_paid = one_i64(h, "SELECT sum(amount_fen) FROM payments");
    int64_t db_alloc = one_i64(h, "SELECT sum(amount_fen) FROM payment_allocations");
    assert_int_equal(db_paid, paid);
    assert_int_equal(db_alloc, settled);
    assert_int_equal(paid, settled + credit);
    /* every bill holds what its allocations say, within its amount */
    assert_int_equal(one_i64(h, "SELECT count(*) FROM bills b WHERE b.paid_fen <> "
                                "(SELECT coalesce(sum(a.amount_fen), 0) FROM "
                                "payment_allocations a WHERE a.bill_id = b.id) "
                                "OR b.paid_fen > b.amount_fen"),
                     0);
    assert_int_equal(one_i64(h, "SELECT sum(paid_fen) FROM bills"), settled);
    /* oldest first: no bill is paid at all while an older one of its unit
     * still owes */
    assert_int_equal(one_i64(h, "SELECT count(*) FROM bills n JOIN bills o ON o.unit_id = "
                                "n.unit_id AND o.period < n.period "
                                "WHERE n.paid_fen > 0 AND o.paid_fen < o.amount_fen"),
                     0);
    /* the 200 payments (2,504 yuan per unit) cover the 2,400 yuan billed
     * to each unit: the rest is credit */
    assert_int_equal(settled, (int64_t)UNITS * BILLS * 10000);
    assert_int_equal(credit, 500800 - 480000);
    sqlite3_close(h);
    gj_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_terminals_take_payments_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
