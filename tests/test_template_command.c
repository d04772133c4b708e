/* guanjia template notice [show | set FILE | reset] [--lang zh_CN|en], run
 * as the manager runs it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanjia/db.h"
#include "guanjia/documents.h"
#include "guanjia/repo_settings.h"

/* run(stdin_text, arguments..., NULL), the clock fixed */
#define run(stdin_text, ...) gj_test_cmd(gj_test_fixed_now, stdin_text, __VA_ARGS__)

/* The stored setting and its version (0 when there is none). */
static int64_t stored(const char *db_path, const char *key, char *value, size_t valuesz)
{
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(db_path, GJ_DB_READONLY, &db, &err), GJ_OK);
    struct gj_setting s;
    int rc = gj_setting_get(db, key, &s, &err);
    gj_db_close(db);
    if (rc == GJ_ENOTFOUND) {
        value[0] = '\0';
        return 0;
    }
    assert_int_equal(rc, GJ_OK);
    snprintf(value, valuesz, "%s", s.value);
    return s.meta.version;
}

static char *with_newline(const char *s)
{
    size_t n = strlen(s);
    char *r = malloc(n + 2);
    assert_non_null(r);
    memcpy(r, s, n);
    r[n] = '\n';
    r[n + 1] = '\0';
    return r;
}

static const char *make_db(const char *dir)
{
    const char *db = gj_test_path(dir, "estate.db");
    assert_int_equal(
        run("good-password\n", "--db", db, "init", "--admin", "boss", "--password-stdin", NULL), 0);
    return db;
}

static void test_show_set_reset(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = make_db(dir);
    char value[4096];

    /* Nothing saved: the default, in the language asked for. */
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "show", "--lang", "en", NULL), 0);
    char *want = with_newline(gj_notice_default_template(0));
    assert_string_equal(gj_test_out, want);
    free(want);
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "--lang=zh_CN", NULL), 0);
    want = with_newline(gj_notice_default_template(1));
    assert_string_equal(gj_test_out, want);
    free(want);
    /* Without --lang: the language of messages. */
    assert_int_equal(run(NULL, "--lang", "zh_CN", "--db", db, "template", "notice", NULL), 0);
    assert_non_null(strstr(gj_test_out, "催缴通知书"));
    assert_int_equal(run(NULL, "--lang", "en", "--db", db, "template", "notice", NULL), 0);
    assert_non_null(strstr(gj_test_out, "PAYMENT REMINDER"));
    assert_int_equal(stored(db, "notice.template.zh_CN", value, sizeof value), 0);

    /* Set from a file written on Windows: BOM and CRLF. */
    const char *file = gj_test_path(dir, "notice.txt");
    gj_test_write_text(
        file, "\xEF\xBB\xBF"
              "催缴通知\r\n{name}您好：\r\n  {lines}\r\n合计{total}（{total_words}）\r\n\r\n");
    assert_int_equal(
        run(NULL, "--db", db, "template", "notice", "set", file, "--lang", "zh_CN", NULL), 0);
    assert_non_null(strstr(gj_test_out, "zh_CN"));
    assert_int_equal(stored(db, "notice.template.zh_CN", value, sizeof value), 1);
    assert_string_equal(value, "催缴通知\n{name}您好：\n  {lines}\n合计{total}（{total_words}）");
    assert_int_equal(stored(db, "notice.template.en", value, sizeof value), 0);

    /* Shown back as saved; the other language still has the default. */
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "show", "--lang", "zh_CN", NULL),
                     0);
    assert_string_equal(gj_test_out,
                        "催缴通知\n{name}您好：\n  {lines}\n合计{total}（{total_words}）\n");
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "show", "--lang", "en", NULL), 0);
    assert_non_null(strstr(gj_test_out, "PAYMENT REMINDER"));

    /* What show prints, set takes back unchanged. */
    const char *shown = gj_test_path(dir, "shown.txt");
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "show", "--lang", "zh_CN", NULL),
                     0);
    gj_test_write_text(shown, gj_test_out);
    assert_int_equal(
        run(NULL, "--db", db, "template", "notice", "set", shown, "--lang", "zh_CN", NULL), 0);
    assert_int_equal(stored(db, "notice.template.zh_CN", value, sizeof value), 1);

    /* Standard input, in English. */
    assert_int_equal(run("Dear {name},\n{lines}\nFront desk, {estate}\n", "--db", db, "template",
                         "notice", "set", "-", "--lang", "en", NULL),
                     0);
    assert_int_equal(stored(db, "notice.template.en", value, sizeof value), 1);
    assert_string_equal(value, "Dear {name},\n{lines}\nFront desk, {estate}");

    /* Reset: the default text, saved (a new version). */
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "reset", "--lang", "zh_CN", NULL),
                     0);
    assert_int_equal(stored(db, "notice.template.zh_CN", value, sizeof value), 2);
    assert_string_equal(value, gj_notice_default_template(1));
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "show", "--lang", "zh_CN", NULL),
                     0);
    want = with_newline(gj_notice_default_template(1));
    assert_string_equal(gj_test_out, want);
    free(want);
    assert_int_equal(stored(db, "notice.template.en", value, sizeof value), 1);
    gj_test_rmtree(dir);
}

static void test_bad_file_changes_nothing(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = make_db(dir);
    char value[4096];
    const char *good = gj_test_path(dir, "good.txt");
    gj_test_write_text(good, "{name}: {total}\n");
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "set", good, "--lang", "en", NULL),
                     0);
    assert_int_equal(stored(db, "notice.template.en", value, sizeof value), 1);

    static const struct {
        const char *text, *why;
    } bad[] = {
        {"Dear {nope},\n{lines}\n", "{nope}"},
        {"Dear {name,\n{lines}\n", "\"{\" on line 1"},
        {"Dear {name},\nPaid } {total}\n", "\"}\" on line 2"},
        {"\n\n", "empty"},
        {"Dear {name}\x01\n", "setting notice.template.en"},
        {"Dear \xff{name}\n", "setting notice.template.en"},
    };
    const char *file = gj_test_path(dir, "bad.txt");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gj_test_write_text(file, bad[i].text);
        assert_int_equal(
            run(NULL, "--db", db, "template", "notice", "set", file, "--lang", "en", NULL), 1);
        if (strncmp(gj_test_err, "guanjia: template: ", 19) != 0 ||
            !strstr(gj_test_err, bad[i].why) || !strstr(gj_test_err, file))
            fail_msg("case %zu: %s", i, gj_test_err);
        assert_non_null(strstr(gj_test_err, "not changed"));
        assert_string_equal(gj_test_out, "");
        assert_int_equal(stored(db, "notice.template.en", value, sizeof value), 1);
        assert_string_equal(value, "{name}: {total}");
    }
    /* Too long for a setting (1001 characters). */
    char big[1100];
    memset(big, 'a', 1001);
    big[1001] = '\0';
    gj_test_write_text(file, big);
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "set", file, "--lang", "en", NULL),
                     1);
    assert_non_null(strstr(gj_test_err, "1000"));
    /* A file that is not there, a file far too big. */
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "set",
                         gj_test_path(dir, "missing.txt"), "--lang", "en", NULL),
                     1);
    assert_non_null(strstr(gj_test_err, "missing.txt"));
    char *huge = malloc(40000);
    assert_non_null(huge);
    memset(huge, 'b', 39999);
    huge[39999] = '\0';
    gj_test_write_text(file, huge);
    free(huge);
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "set", file, "--lang", "en", NULL),
                     1);
    assert_non_null(strstr(gj_test_err, "too large"));
    assert_int_equal(stored(db, "notice.template.en", value, sizeof value), 1);
    assert_string_equal(value, "{name}: {total}");
    gj_test_rmtree(dir);
}

static void test_usage(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *db = make_db(dir);
    assert_int_equal(run(NULL, "--db", db, "template", NULL), 2);
    assert_true(strncmp(gj_test_err, "guanjia: template: ", 19) == 0);
    assert_non_null(strstr(gj_test_err, "usage: guanjia"));
    assert_int_equal(run(NULL, "--db", db, "template", "receipt", NULL), 2);
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "edit", NULL), 2);
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "set", NULL), 2);
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "reset", "x", NULL), 2);
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "show", "--lang", "fr", NULL), 2);
    assert_non_null(strstr(gj_test_err, "zh_CN or en"));
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "show", "--lang", NULL), 2);
    assert_int_equal(run(NULL, "--db", db, "template", "notice", "--force", NULL), 2);
    /* No database: a failure, not a usage error. */
    assert_int_equal(
        run(NULL, "--db", gj_test_path(dir, "none.db"), "template", "notice", "show", NULL), 1);
    assert_true(strncmp(gj_test_err, "guanjia: template: ", 19) == 0);
    /* The command is listed in the help. */
    assert_int_equal(run(NULL, "--help", NULL), 0);
    assert_non_null(strstr(gj_test_out, "template"));
    gj_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_show_set_reset),
        cmocka_unit_test(test_bad_file_changes_nothing),
        cmocka_unit_test(test_usage),
    };
    return cmocka_run_group_tests(tests, NULL, gj_test_cmd_teardown);
}
