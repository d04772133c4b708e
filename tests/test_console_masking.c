/* A trainee sees personal numbers masked on every path of the console that
 * shows them: the owners list, search results (by name, by a full phone,
 * by its last four digits), and the unit's detail view (phone, second
 * phone, ID number). Receipts, dunning notices and exports are refused to
 * a trainee by the role matrix (test_roles.c), and the console's refusal is
 * checked here. The same paths as a supervisor show the full numbers: the
 * control that the checks can see them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"
#include "vt.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAIT 5000

#define PHONE  "13800138000"
#define PHONE2 "13912345678"
#define ID     "11010519491231002X"

static char demo_db[600];
static const char *tmpdir;

static int group_setup(void **state)
{
    (void)state;
    if (gj_test_demo_db(&tmpdir, demo_db, sizeof demo_db) != 0)
        return -1;
    /* 张三 of 3-2-501 gets a second phone and an ID number. */
    sqlite3 *h = NULL;
    if (sqlite3_open(demo_db, &h) != SQLITE_OK)
        return -1;
    int rc = sqlite3_exec(h,
                          "UPDATE persons SET version = version + 1, phone2 = '" PHONE2
                          "', id_number = '" ID "' WHERE phone = '" PHONE "'",
                          NULL, NULL, NULL);
    int changed = sqlite3_changes(h);
    sqlite3_close(h);
    return rc == SQLITE_OK && changed == 1 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    gj_test_rmtree(tmpdir);
    return 0;
}

static const char *fresh_db(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s.db", tmpdir, name);
    assert_int_equal(gj_test_copy_file(demo_db, path), 0);
    return path;
}

static struct gj_vt *start(const char *db)
{
    const char *bin = getenv("GUANJIA_BIN");
    const char *argv[] = {bin, "--db", db, "--lang", "en", NULL};
    const char *env[] = {"GUANJIA_NOW=2026-11-29T09:00", "TZ=CST-8", NULL};
    struct gj_vt *vt = gj_vt_start(argv, env, 30, 110);
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

static void esc(struct gj_vt *vt)
{
    gj_vt_key(vt, GJ_KEY_ESC);
    gj_vt_wait_quiet(vt, 120, WAIT);
}

/* How many full mobile numbers (11 digits starting 1[3-9], not inside a
 * longer run of digits) and full 18-character ID numbers the screen
 * shows. */
static int full_numbers_on_screen(struct gj_vt *vt)
{
    int found = 0;
    char line[1024];
    for (int r = 0; r < gj_vt_rows(vt); r++) {
        gj_vt_row(vt, r, line, sizeof line);
        if (strstr(line, "Search:"))
            continue; /* what the user typed, echoed back */
        size_t n = strlen(line);
        for (size_t i = 0; i < n; i++) {
            if (!isdigit((unsigned char)line[i]) || (i > 0 && isdigit((unsigned char)line[i - 1])))
                continue;
            size_t j = i;
            while (j < n && isdigit((unsigned char)line[j]))
                j++;
            size_t run = j - i;
            int mobile = run == 11 && line[i] == '1' && line[i + 1] >= '3';
            int id = (run == 18) || (run == 17 && j < n && (line[j] == 'X' || line[j] == 'x'));
            if (mobile || id)
                printf("  full number on row %d: %s\n", r, line);
            found += mobile || id;
            i = j;
        }
    }
    return found;
}

/* Walks every path that shows personal numbers; *in_lists gets how many
 * full numbers the list and the search results showed, *in_detail how
 * many the unit's detail view showed. */
static void walk(const char *login, const char *password, int *in_lists, int *in_detail)
{
    const char *db = fresh_db(login);
    struct gj_vt *vt = start(db);
    expect(vt, "please log in");
    gj_vt_send(vt, login);
    gj_vt_key(vt, GJ_KEY_ENTER);
    gj_vt_send(vt, password);
    gj_vt_key(vt, GJ_KEY_ENTER);
    gj_vt_wait_quiet(vt, 150, WAIT);
    int seen = 0;
    /* The owners list. */
    gj_vt_send(vt, "1");
    expect(vt, "1-1-101");
    expect(vt, "****");
    seen += full_numbers_on_screen(vt);
    /* Search by name, by the full phone, by its last four digits. Each
     * waits for its own search line: 张三 stands in every one's hits, and
     * the last search's screen would pass for this one's. */
    static const char *const searches[] = {"张三", PHONE, PHONE2, "8000", NULL};
    for (int i = 0; searches[i]; i++) {
        char line[64];
        snprintf(line, sizeof line, "Search: %s", searches[i]);
        gj_vt_send(vt, "/");
        gj_vt_send(vt, searches[i]);
        expect(vt, line);
        expect(vt, "张三");
        gj_vt_wait_quiet(vt, 150, WAIT);
        seen += full_numbers_on_screen(vt);
        esc(vt);
    }
    /* The unit's detail: phone, second phone, ID number. */
    gj_vt_send(vt, "/3-2-501");
    expect(vt, "Search: 3-2-501");
    expect(vt, "张三");
    gj_vt_key(vt, GJ_KEY_ENTER);
    expect(vt, "Household");
    gj_vt_wait_quiet(vt, 150, WAIT);
    int r, c;
    if (strcmp(login, "trainee") == 0) {
        expect(vt, "138****8000");
        expect(vt, "139****5678");
        expect(vt, "110105********002X");
        assert_false(gj_vt_find(vt, PHONE, &r, &c));
    } else {
        expect(vt, PHONE);
        expect(vt, PHONE2);
        expect(vt, ID);
    }
    *in_lists = seen;
    *in_detail = full_numbers_on_screen(vt);
    esc(vt);
    esc(vt);
    if (strcmp(login, "trainee") == 0) {
        /* Dunning notices and receipts, which name people: refused, and
         * nothing is written beside the database. */
        gj_vt_send(vt, "3");
        gj_vt_wait_quiet(vt, 150, WAIT);
        gj_vt_send(vt, "N");
        expect(vt, "may not");
        esc(vt);
        gj_vt_key(vt, GJ_KEY_ENTER);
        gj_vt_wait_quiet(vt, 150, WAIT);
        gj_vt_send(vt, "r");
        expect(vt, "may not print");
        esc(vt);
        esc(vt);
        assert_int_equal(gj_test_count_files(tmpdir, "notices"), 0);
        assert_int_equal(gj_test_count_files(tmpdir, "receipts"), 0);
    }
    gj_vt_send(vt, "q");
    gj_vt_wait_quiet(vt, 150, WAIT);
    gj_vt_send(vt, "y");
    assert_int_equal(gj_vt_wait_exit(vt, WAIT), 0);
    assert_int_equal(gj_vt_close(vt, 1000), 0);
}

static void test_trainee_sees_masked_numbers_everywhere(void **state)
{
    (void)state;
    int lists = -1, detail = -1;
    walk("trainee", "trainee123", &lists, &detail);
    assert_int_equal(lists, 0);
    assert_int_equal(detail, 0);
}

static void test_supervisor_sees_them_on_the_detail_only(void **state)
{
    (void)state;
    /* The detail view shows the household's phones, 张三's second phone
     * and ID number in full; lists and search results never. */
    int lists = -1, detail = -1;
    walk("supervisor", "supervisor123", &lists, &detail);
    assert_int_equal(lists, 0);
    assert_true(detail >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trainee_sees_masked_numbers_everywhere),
        cmocka_unit_test(test_supervisor_sees_them_on_the_detail_only),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
