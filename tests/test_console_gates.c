/* Whatever the role matrix does not grant is refused in the console, with a
 * reason, before any form opens: for a trainee, every gated action of the
 * actions table (tui.h) whose permission a trainee lacks is tried with its
 * key on each screen where it applies (owners list and detail, work-order
 * queue and order, complaint queue and complaint, fees list and unit,
 * training, desk), in a
 * fresh console each time. The screen must then say "may not" and show no
 * form; and nothing may be written (the audit log keeps its size). Actions
 * bound only to keys that are not printable are listed and skipped. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"
#include "tui.h"
#include "vt.h"

#include "guanjia/roles.h"

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

static void expect(struct gj_vt *vt, const char *text)
{
    if (!gj_vt_wait_text(vt, text, WAIT)) {
        gj_vt_dump(vt, stderr);
        fail_msg("screen never showed \"%s\"", text);
    }
}

/* A screen and how to get there from the Desk after login. */
static const struct place {
    unsigned scope;
    const char *name;
    const char *keys; /* sent as they are; "\r" opens the selected row */
    const char *shows;
} places[] = {
    {GJ_SC_LIST, "owners list", "1", "1-1-101"},
    {GJ_SC_DETAIL, "owners detail", "1/3-2-501\r", "Household"},
    {GJ_SC_WO_LIST, "work-order queue", "2", NULL},
    {GJ_SC_WO_DETAIL, "work order", "2\r", NULL},
    {GJ_SC_CP_LIST, "complaint queue", "4", NULL},
    {GJ_SC_CP_DETAIL, "complaint", "4\r", NULL},
    {GJ_SC_FEE_LIST, "fees list", "3", NULL},
    {GJ_SC_FEE_UNIT, "fees unit", "3\r", NULL},
    {GJ_SC_TRAINING, "training", "5", NULL},
    {GJ_SC_DESK, "desk", "6", NULL},
};

/* Opens a console on db as the trainee, at place p. */
static struct gj_vt *open_at(const char *db, const struct place *p)
{
    const char *bin = getenv("GUANJIA_BIN");
    const char *argv[] = {bin, "--db", db, "--lang", "en", NULL};
    const char *env[] = {"GUANJIA_NOW=2026-11-29T09:00", "TZ=CST-8", NULL};
    struct gj_vt *vt = gj_vt_start(argv, env, 30, 110);
    assert_non_null(vt);
    expect(vt, "please log in");
    gj_vt_send(vt, "trainee");
    gj_vt_key(vt, GJ_KEY_ENTER);
    gj_vt_send(vt, "trainee123");
    gj_vt_key(vt, GJ_KEY_ENTER);
    expect(vt, "(trainee)");
    gj_vt_wait_quiet(vt, 150, WAIT);
    for (const char *k = p->keys; *k; k++) {
        char one[2] = {*k, 0};
        if (*k == '\r')
            gj_vt_key(vt, GJ_KEY_ENTER);
        else
            gj_vt_send(vt, one);
        gj_vt_wait_quiet(vt, 100, WAIT);
    }
    if (p->shows)
        expect(vt, p->shows);
    return vt;
}

static void test_trainee_refused_every_gated_action(void **state)
{
    (void)state;
    char db[700];
    snprintf(db, sizeof db, "%s/gates.db", tmpdir);
    assert_int_equal(gj_test_copy_file(demo_db, db), 0);
    int64_t audit = gj_test_scalar_file(db, "SELECT count(*) FROM audit_log");
    int tried = 0, failures = 0;
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        const struct place *p = &places[i];
        for (const struct gj_action_def *a = gj_actions; a->id; a++) {
            if (!(a->scopes & p->scope) || !a->gated || gj_role_can(GJ_ROLE_TRAINEE, a->needs))
                continue;
            int key = 0;
            for (int k = 0; a->keys[k] && !key; k++)
                if (a->keys[k] >= ' ' && a->keys[k] < 127)
                    key = a->keys[k];
            if (!key) {
                printf("  skipped %s on %s (key %s)\n", a->id, p->name, a->key_label);
                continue;
            }
            struct gj_vt *vt = open_at(db, p);
            char one[2] = {(char)key, 0};
            gj_vt_send(vt, one);
            gj_vt_wait_quiet(vt, 150, WAIT);
            int r, c;
            int refused = gj_vt_wait_text(vt, "may not", 2000);
            int form = gj_vt_find(vt, "F10/Ctrl-S", &r, &c);
            tried++;
            if (!refused || form) {
                printf("  %s (%s) on %s: %s\n", a->id, a->key_label, p->name,
                       form ? "opened a form" : "no refusal shown");
                gj_vt_dump(vt, stdout);
                failures++;
            }
            gj_vt_close(vt, 1000);
        }
    }
    printf("tried %d gated actions as a trainee, %d not refused\n", tried, failures);
    assert_true(tried >= 20);
    assert_int_equal(failures, 0);
    assert_int_equal(gj_test_scalar_file(db, "SELECT count(*) FROM audit_log"), audit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trainee_refused_every_gated_action),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
