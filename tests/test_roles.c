#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanjia/i18n.h"
#include "guanjia/roles.h"

/* The permission matrix as the product describes it, written out by hand
 * (not derived from the implementation): trainee, butler, supervisor,
 * manager. */
static const struct {
    enum gj_action action;
    const char *name;
    int t, b, s, m;
} expected[] = {
    /* owners: everyone views (masked); butlers keep the records; bulk
     * export of personal data from supervisor up, import manager only */
    {GJ_ACTION_VIEW_OWNERS, "view owners", 1, 1, 1, 1},
    {GJ_ACTION_VIEW_PERSONAL_DATA, "view full phone/ID", 0, 1, 1, 1},
    {GJ_ACTION_EDIT_OWNERS, "edit owners", 0, 1, 1, 1},
    {GJ_ACTION_ARCHIVE_OWNERS, "archive owners", 0, 1, 1, 1},
    {GJ_ACTION_ADD_CONTACT, "add contact", 0, 1, 1, 1},
    {GJ_ACTION_IMPORT, "import", 0, 0, 0, 1},
    {GJ_ACTION_EXPORT, "export", 0, 0, 1, 1},
    /* work orders: the butler's work; SLA targets are the manager's */
    {GJ_ACTION_VIEW_WORK_ORDERS, "view work orders", 1, 1, 1, 1},
    {GJ_ACTION_CREATE_WORK_ORDER, "create work order", 0, 1, 1, 1},
    {GJ_ACTION_DISPATCH_WORK_ORDER, "dispatch work order", 0, 1, 1, 1},
    {GJ_ACTION_UPDATE_WORK_ORDER, "update work order", 0, 1, 1, 1},
    {GJ_ACTION_CLOSE_WORK_ORDER, "close work order", 0, 1, 1, 1},
    {GJ_ACTION_CANCEL_WORK_ORDER, "cancel work order", 0, 1, 1, 1},
    {GJ_ACTION_EDIT_SLA, "edit SLA", 0, 0, 0, 1},
    /* complaints: minor butler, moderate supervisor, serious manager */
    {GJ_ACTION_VIEW_COMPLAINTS, "view complaints", 1, 1, 1, 1},
    {GJ_ACTION_CREATE_COMPLAINT, "create complaint", 0, 1, 1, 1},
    {GJ_ACTION_HANDLE_MINOR_COMPLAINT, "handle minor", 0, 1, 1, 1},
    {GJ_ACTION_HANDLE_MODERATE_COMPLAINT, "handle moderate", 0, 0, 1, 1},
    {GJ_ACTION_HANDLE_SERIOUS_COMPLAINT, "handle serious", 0, 0, 0, 1},
    {GJ_ACTION_REGRADE_COMPLAINT, "regrade", 0, 0, 1, 1},
    {GJ_ACTION_REASSIGN_COMPLAINT, "reassign", 0, 0, 1, 1},
    {GJ_ACTION_REVISIT_COMPLAINT, "revisit", 0, 1, 1, 1},
    /* fees: butlers collect; reversals supervisor; schedule and billing
     * manager */
    {GJ_ACTION_VIEW_FEES, "view fees", 1, 1, 1, 1},
    {GJ_ACTION_TAKE_PAYMENT, "take payment", 0, 1, 1, 1},
    {GJ_ACTION_PRINT_RECEIPT, "print receipt", 0, 1, 1, 1},
    {GJ_ACTION_REVERSE_PAYMENT, "reverse payment", 0, 0, 1, 1},
    {GJ_ACTION_RECORD_DUNNING, "record dunning", 0, 1, 1, 1},
    {GJ_ACTION_EDIT_FEE_ITEMS, "edit fee items", 0, 0, 0, 1},
    {GJ_ACTION_RUN_BILLING, "run billing", 0, 0, 0, 1},
    /* reports */
    {GJ_ACTION_VIEW_REPORTS, "view reports", 0, 0, 1, 1},
    /* training: everyone learns; supervisors assess */
    {GJ_ACTION_TAKE_TRAINING, "take training", 1, 1, 1, 1},
    {GJ_ACTION_ASSESS_TRAINEES, "assess trainees", 0, 0, 1, 1},
    /* administration */
    {GJ_ACTION_VIEW_AUDIT_LOG, "view audit log", 0, 0, 1, 1},
    {GJ_ACTION_MANAGE_USERS, "manage users", 0, 0, 0, 1},
    {GJ_ACTION_MANAGE_STAFF, "manage staff", 0, 0, 0, 1},
    {GJ_ACTION_BACKUP, "backup", 0, 0, 0, 1},
    {GJ_ACTION_CHANGE_SETTINGS, "change settings", 0, 0, 0, 1},
};

#define N_EXPECTED (sizeof expected / sizeof expected[0])

static const enum gj_role all_roles[] = {GJ_ROLE_TRAINEE, GJ_ROLE_BUTLER, GJ_ROLE_SUPERVISOR,
                                         GJ_ROLE_MANAGER};

static int expected_can(size_t row, enum gj_role role)
{
    switch (role) {
    case GJ_ROLE_TRAINEE:
        return expected[row].t;
    case GJ_ROLE_BUTLER:
        return expected[row].b;
    case GJ_ROLE_SUPERVISOR:
        return expected[row].s;
    case GJ_ROLE_MANAGER:
        return expected[row].m;
    }
    return -1;
}

static void test_table_covers_every_action(void **state)
{
    (void)state;
    int seen[GJ_ACTION_COUNT] = {0};
    assert_int_equal(N_EXPECTED, GJ_ACTION_COUNT);
    for (size_t i = 0; i < N_EXPECTED; i++) {
        assert_true((int)expected[i].action >= 0 && expected[i].action < GJ_ACTION_COUNT);
        seen[expected[i].action]++;
    }
    for (int a = 0; a < GJ_ACTION_COUNT; a++)
        if (seen[a] != 1)
            fail_msg("action %d appears %d times in the expected table", a, seen[a]);
}

static void test_matrix(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_EXPECTED; i++) {
        for (size_t r = 0; r < sizeof all_roles / sizeof all_roles[0]; r++) {
            enum gj_role role = all_roles[r];
            int want = expected_can(i, role);
            int got = gj_role_can(role, expected[i].action);
            if (got != want)
                fail_msg("%s may %s: expected %d, got %d", gj_role_code(role), expected[i].name,
                         want, got);
            struct gj_error err;
            int rc = gj_require(role, expected[i].action, &err);
            assert_int_equal(rc, want ? GJ_OK : GJ_EPERM);
            assert_int_equal(err.code, rc);
            if (want) {
                assert_string_equal(err.msg, "");
            } else {
                /* The refusal names the role and the action. */
                if (!strstr(err.msg, gj_role_label(role)) ||
                    !strstr(err.msg, gj_action_label(expected[i].action)))
                    fail_msg("message \"%s\" does not name %s and %s", err.msg, gj_role_label(role),
                             gj_action_label(expected[i].action));
            }
        }
    }
}

static void test_roles_are_nested(void **state)
{
    (void)state;
    /* Whatever a role may do, every role above it may do too. */
    for (int a = 0; a < GJ_ACTION_COUNT; a++)
        for (int r = 1; r < GJ_ROLE_COUNT; r++)
            if (gj_role_can((enum gj_role)(r - 1), (enum gj_action)a))
                assert_true(gj_role_can((enum gj_role)r, (enum gj_action)a));
    /* The manager may do everything; the trainee only looks and learns. */
    int trainee_can = 0;
    for (int a = 0; a < GJ_ACTION_COUNT; a++) {
        assert_true(gj_role_can(GJ_ROLE_MANAGER, (enum gj_action)a));
        trainee_can += gj_role_can(GJ_ROLE_TRAINEE, (enum gj_action)a);
    }
    assert_int_equal(trainee_can, 5);
}

static void test_require_message(void **state)
{
    (void)state;
    struct gj_error err;
    assert_int_equal(gj_require(GJ_ROLE_BUTLER, GJ_ACTION_EDIT_FEE_ITEMS, &err), GJ_EPERM);
    assert_string_equal(err.msg, "a butler may not change fee items");
    assert_int_equal(gj_require(GJ_ROLE_TRAINEE, GJ_ACTION_TAKE_PAYMENT, &err), GJ_EPERM);
    assert_string_equal(err.msg, "a trainee may not take payments");
    assert_int_equal(gj_require(GJ_ROLE_SUPERVISOR, GJ_ACTION_HANDLE_SERIOUS_COMPLAINT, &err),
                     GJ_EPERM);
    assert_string_equal(err.msg, "a supervisor may not handle serious complaints");
    /* A NULL err is allowed. */
    assert_int_equal(gj_require(GJ_ROLE_BUTLER, GJ_ACTION_RUN_BILLING, NULL), GJ_EPERM);
    assert_int_equal(gj_require(GJ_ROLE_MANAGER, GJ_ACTION_RUN_BILLING, NULL), GJ_OK);
}

static void test_out_of_range_refused(void **state)
{
    (void)state;
    struct gj_error err;
    assert_false(gj_role_can((enum gj_role)GJ_ROLE_COUNT, GJ_ACTION_VIEW_OWNERS));
    assert_false(gj_role_can((enum gj_role) - 1, GJ_ACTION_VIEW_OWNERS));
    assert_false(gj_role_can(GJ_ROLE_MANAGER, GJ_ACTION_COUNT));
    assert_false(gj_role_can(GJ_ROLE_MANAGER, (enum gj_action) - 1));
    assert_int_equal(gj_require((enum gj_role)9, GJ_ACTION_VIEW_OWNERS, &err), GJ_EPERM);
    assert_non_null(strstr(err.msg, "unknown role"));
    assert_int_equal(gj_require(GJ_ROLE_MANAGER, (enum gj_action)999, &err), GJ_EPERM);
    assert_non_null(strstr(err.msg, "unknown action"));
    assert_string_equal(gj_role_code((enum gj_role)7), "");
    assert_string_equal(gj_role_label((enum gj_role)7), "unknown role");
}

static void test_parse_codes_labels(void **state)
{
    (void)state;
    static const char *const codes[] = {"trainee", "butler", "supervisor", "manager"};
    for (int i = 0; i < 4; i++) {
        enum gj_role r = GJ_ROLE_MANAGER;
        assert_int_equal(gj_role_parse(codes[i], &r), GJ_OK);
        assert_int_equal((int)r, i);
        assert_string_equal(gj_role_code(r), codes[i]);
        assert_string_equal(gj_role_label(r), codes[i]); /* untranslated: the source text */
    }
    enum gj_role r = GJ_ROLE_BUTLER;
    assert_int_equal(gj_role_parse("Manager", &r), GJ_EINVAL);
    assert_int_equal(gj_role_parse("", &r), GJ_EINVAL);
    assert_int_equal(gj_role_parse("admin", &r), GJ_EINVAL);
    assert_int_equal(gj_role_parse("butler ", &r), GJ_EINVAL);
    assert_int_equal(gj_role_parse(NULL, &r), GJ_EINVAL);
    assert_int_equal(r, GJ_ROLE_BUTLER); /* left alone on failure */
    assert_int_equal(gj_role_parse("trainee", NULL), GJ_OK);
}

static void test_action_labels(void **state)
{
    (void)state;
    for (int a = 0; a < GJ_ACTION_COUNT; a++) {
        const char *l = gj_action_label((enum gj_action)a);
        assert_non_null(l);
        assert_true(strlen(l) > 0 && strlen(l) <= 40);
        assert_null(strstr(l, "unknown"));
        for (int b = 0; b < a; b++)
            if (strcmp(l, gj_action_label((enum gj_action)b)) == 0)
                fail_msg("actions %d and %d share the label \"%s\"", b, a, l);
    }
    assert_string_equal(gj_action_label(GJ_ACTION_EDIT_FEE_ITEMS), "change fee items");
    assert_string_equal(gj_action_label(GJ_ACTION_COUNT), "unknown action");
}

static void test_complaint_grade_action(void **state)
{
    (void)state;
    enum gj_action a = GJ_ACTION_COUNT;
    assert_int_equal(gj_complaint_grade_action("minor", &a), GJ_OK);
    assert_int_equal(a, GJ_ACTION_HANDLE_MINOR_COMPLAINT);
    assert_int_equal(gj_complaint_grade_action("moderate", &a), GJ_OK);
    assert_int_equal(a, GJ_ACTION_HANDLE_MODERATE_COMPLAINT);
    assert_int_equal(gj_complaint_grade_action("serious", &a), GJ_OK);
    assert_int_equal(a, GJ_ACTION_HANDLE_SERIOUS_COMPLAINT);
    a = GJ_ACTION_COUNT;
    assert_int_equal(gj_complaint_grade_action("urgent", &a), GJ_EINVAL);
    assert_int_equal(gj_complaint_grade_action(NULL, &a), GJ_EINVAL);
    assert_int_equal(a, GJ_ACTION_COUNT);
}

static void test_sees_full_personal_data(void **state)
{
    (void)state;
    assert_false(gj_role_sees_full_personal_data(GJ_ROLE_TRAINEE));
    assert_true(gj_role_sees_full_personal_data(GJ_ROLE_BUTLER));
    assert_true(gj_role_sees_full_personal_data(GJ_ROLE_SUPERVISOR));
    assert_true(gj_role_sees_full_personal_data(GJ_ROLE_MANAGER));
    assert_false(gj_role_sees_full_personal_data((enum gj_role)42));
}

static void mask(const char *in, const char *want)
{
    char out[64];
    memset(out, 'x', sizeof out);
    gj_mask_id_number(in, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_mask_id_number(void **state)
{
    (void)state;
    mask("11010519491231002X", "110105********002X");
    mask("440305199001011234", "440305********1234");
    mask("110105491231002", "110105*****1002"); /* old 15-digit numbers */
    mask("E12345678", "*****5678");             /* passport: last 4 only */
    mask("12345678", "****5678");
    mask("1234567", "*******"); /* too short to show anything */
    mask("12", "**");
    mask("", "");
    mask(NULL, "");
    /* Stray bytes and controls are never echoed. */
    mask("110105\x01\x02"
         "1949123100\x7f"
         "X",
         "110105**********00?X");
    mask("11010519491231\xff"
         "02X",
         "110105********?02X");

    /* A small buffer is cut, still terminated. */
    char small[8];
    gj_mask_id_number("11010519491231002X", small, sizeof small);
    assert_string_equal(small, "110105*");
    char one[1] = {'x'};
    gj_mask_id_number("11010519491231002X", one, sizeof one);
    assert_int_equal(one[0], '\0');
    gj_mask_id_number("11010519491231002X", NULL, 0); /* no crash */
}

static void test_show_phone_and_id(void **state)
{
    (void)state;
    char out[64];
    for (size_t r = 0; r < sizeof all_roles / sizeof all_roles[0]; r++) {
        enum gj_role role = all_roles[r];
        int full = role != GJ_ROLE_TRAINEE;

        /* Lists mask for everybody. */
        gj_show_phone(role, GJ_VIEW_LIST, "13812345678", out, sizeof out);
        assert_string_equal(out, "138****5678");
        gj_show_phone(role, GJ_VIEW_LIST, "010-12345678", out, sizeof out);
        assert_string_equal(out, "010-****5678");
        gj_show_id_number(role, GJ_VIEW_LIST, "11010519491231002X", out, sizeof out);
        assert_string_equal(out, "110105********002X");

        /* Detail views: in full for butler and above only. */
        gj_show_phone(role, GJ_VIEW_DETAIL, "13812345678", out, sizeof out);
        assert_string_equal(out, full ? "13812345678" : "138****5678");
        gj_show_id_number(role, GJ_VIEW_DETAIL, "11010519491231002X", out, sizeof out);
        assert_string_equal(out, full ? "11010519491231002X" : "110105********002X");

        /* Nothing to show. */
        gj_show_phone(role, GJ_VIEW_DETAIL, "", out, sizeof out);
        assert_string_equal(out, "");
        gj_show_phone(role, GJ_VIEW_LIST, NULL, out, sizeof out);
        assert_string_equal(out, "");
        gj_show_id_number(role, GJ_VIEW_DETAIL, NULL, out, sizeof out);
        assert_string_equal(out, "");
    }
    /* Truncation never overruns. */
    char small[6];
    gj_show_phone(GJ_ROLE_MANAGER, GJ_VIEW_DETAIL, "13812345678", small, sizeof small);
    assert_string_equal(small, "13812");
}

/* With the Chinese catalogue (once po/zh_CN.po holds these strings), the
 * refusal reads naturally. Skipped while the catalogue lacks them. */
static void test_chinese_message(void **state)
{
    (void)state;
    const char *dir = getenv("GUANJIA_LOCALEDIR");
    if (!dir || !setlocale(LC_ALL, "C.UTF-8"))
        skip();
    setenv("LANGUAGE", "zh_CN", 1);
    bindtextdomain(GJ_TEXTDOMAIN, dir);
    bind_textdomain_codeset(GJ_TEXTDOMAIN, "UTF-8");
    textdomain(GJ_TEXTDOMAIN);
    int translated = strcmp(gettext("a %s may not %s"), "a %s may not %s") != 0 &&
                     strcmp(gettext("change fee items"), "change fee items") != 0;
    struct gj_error err;
    int rc = gj_require(GJ_ROLE_BUTLER, GJ_ACTION_EDIT_FEE_ITEMS, &err);
    char label[64];
    snprintf(label, sizeof label, "%s", gj_role_label(GJ_ROLE_SUPERVISOR));
    unsetenv("LANGUAGE");
    setlocale(LC_ALL, "C");
    if (!translated)
        skip();
    assert_int_equal(rc, GJ_EPERM);
    assert_string_equal(err.msg, "管家无权修改收费项目");
    assert_string_equal(label, "客服主管");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_covers_every_action),
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_roles_are_nested),
        cmocka_unit_test(test_require_message),
        cmocka_unit_test(test_out_of_range_refused),
        cmocka_unit_test(test_parse_codes_labels),
        cmocka_unit_test(test_action_labels),
        cmocka_unit_test(test_complaint_grade_action),
        cmocka_unit_test(test_sees_full_personal_data),
        cmocka_unit_test(test_mask_id_number),
        cmocka_unit_test(test_show_phone_and_id),
        cmocka_unit_test(test_chinese_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
