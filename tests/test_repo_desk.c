/* The Desk's items on the demo estate with a fixed clock: a butler sees
 * exactly their own day, a supervisor the team's; each kind holds what it
 * says (overdue really past due, promises and appointments of today). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/repo_desk.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_users.h"
#include "guanjia/repo_workorders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER 6

static char dir[600], path[700];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s", gj_test_tmpdir());
    snprintf(path, sizeof path, "%s/desk.db", dir);
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    const char *argv[] = {"--db", path, "demo", NULL};
    const char *env[] = {"GUANJIA_NOW=2026-11-29T09:00", NULL};
    return gj_test_run(argv, env, NULL, NULL, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gj_test_rmtree(dir);
    return 0;
}

static int64_t scalar(const char *sql)
{
    return gj_test_scalar_file(path, sql);
}

static int64_t user_id(struct gj_db *db, const char *login)
{
    struct gj_user u;
    struct gj_error err;
    assert_int_equal(gj_user_by_login(db, login, &u, &err), GJ_OK);
    return u.id;
}

static void test_desk_for_each_role(void **state)
{
    (void)state;
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(path, 0, &db, &err), GJ_OK);
    int64_t now = gj_now(), day = gj_day_start(now);
    int64_t butler = user_id(db, "butler"), butler2 = user_id(db, "butler2");

    /* A promise to pay today, and an appointment today, both by butler. */
    struct gj_unit u;
    assert_int_equal(gj_unit_find_code(db, 2, 1, 1201, &u, &err), GJ_OK);
    struct gj_dunning d = {.unit_id = u.id, .promised_at = day + 15 * 3600};
    snprintf(d.channel, sizeof d.channel, "%s", "phone");
    snprintf(d.result, sizeof d.result, "%s", "promised");
    assert_int_equal(gj_dunning_add(db, butler, &d, &err), GJ_OK);
    struct gj_work_order wo;
    memset(&wo, 0, sizeof wo);
    wo.unit_id = u.id;
    snprintf(wo.channel, sizeof wo.channel, "%s", "phone");
    snprintf(wo.category, sizeof wo.category, "%s", "repair");
    snprintf(wo.priority, sizeof wo.priority, "%s", "normal");
    snprintf(wo.description, sizeof wo.description, "%s", "约好下午三点上门看热水器");
    wo.appointment_at = day + 15 * 3600;
    wo.created_at = now;
    wo.respond_due_at = now + 3600;
    wo.resolve_due_at = now + 86400;
    assert_int_equal(gj_wo_create(db, butler, &wo, &err), GJ_OK);

    static struct gj_desk_item mine[GJ_DESK_KINDS * PER], team[GJ_DESK_KINDS * PER],
        other[GJ_DESK_KINDS * PER];
    int n_mine = 0, n_team = 0, n_other = 0;
    assert_int_equal(gj_desk_items(db, butler, 0, now, PER, mine, &n_mine, &err), GJ_OK);
    assert_int_equal(gj_desk_items(db, butler, 1, now, PER, team, &n_team, &err), GJ_OK);
    assert_int_equal(gj_desk_items(db, butler2, 0, now, PER, other, &n_other, &err), GJ_OK);
    int seen[GJ_DESK_KINDS] = {0}, promise = 0, appointment = 0;
    for (int i = 0; i < n_mine; i++) {
        const struct gj_desk_item *it = &mine[i];
        seen[it->kind]++;
        char sql[256];
        switch (it->kind) {
        case GJ_DESK_OVERDUE_ORDER:
        case GJ_DESK_ORDER:
        case GJ_DESK_APPOINTMENT:
            /* Only the orders this butler took. */
            snprintf(sql, sizeof sql, "SELECT created_by FROM work_orders WHERE id = %lld",
                     (long long)it->id);
            assert_int_equal(scalar(sql), butler);
            if (it->kind == GJ_DESK_OVERDUE_ORDER)
                assert_true(it->due < now);
            if (it->kind == GJ_DESK_ORDER)
                assert_true(it->due >= now);
            appointment += it->id == wo.id && it->kind == GJ_DESK_APPOINTMENT;
            break;
        case GJ_DESK_TO_ACKNOWLEDGE:
        case GJ_DESK_OVERDUE_COMPLAINT:
            snprintf(sql, sizeof sql, "SELECT assignee_user_id FROM complaints WHERE id = %lld",
                     (long long)it->id);
            assert_int_equal(scalar(sql), butler);
            break;
        case GJ_DESK_PROMISE:
            if (it->id == d.id) {
                promise++;
                assert_string_equal(it->unit_code, "2-1-1201");
            }
            assert_true(it->due < day + 86400); /* due by tonight */
            break;
        default:
            break;
        }
    }
    assert_int_equal(promise, 1);
    assert_int_equal(appointment, 1);
    /* Grouped by kind, most urgent first within a kind. */
    for (int i = 1; i < n_mine; i++) {
        assert_true(mine[i].kind >= mine[i - 1].kind);
        if (mine[i].kind == mine[i - 1].kind)
            assert_true(mine[i].due >= mine[i - 1].due);
    }
    /* The other butler sees neither of them. */
    for (int i = 0; i < n_other; i++) {
        assert_false(other[i].kind == GJ_DESK_PROMISE && other[i].id == d.id);
        assert_false(other[i].id == wo.id && other[i].kind == GJ_DESK_APPOINTMENT);
    }
    /* The team's overdue orders: as many as there are, up to the page. */
    int64_t overdue = scalar("SELECT count(*) FROM work_orders WHERE state IN ('new', "
                             "'dispatched', 'in_progress') AND due_at < strftime('%s', "
                             "'2026-11-29 01:00:00')");
    int team_overdue = 0;
    for (int i = 0; i < n_team; i++)
        team_overdue += team[i].kind == GJ_DESK_OVERDUE_ORDER;
    assert_true(overdue > 0);
    assert_int_equal(team_overdue, overdue < PER ? overdue : PER);
    assert_true(n_team >= n_mine);
    gj_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_desk_for_each_role)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
