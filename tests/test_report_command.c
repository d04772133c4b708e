/* guanjia report NAME [--from D] [--to D] [--format text|csv], the binary
 * on the demo estate (clock fixed at 2026-11-29 09:00, TZ=CST-8):
 * - text: the title, the range, then each table, every line of a table of
 *   the same display width (Chinese department names included), Unicode
 *   blocks in a UTF-8 locale and ASCII ('#') when LANG/LC_ALL are not;
 * - csv: every table as a title line, a header line and its rows, which
 *   read back to exactly what gj_report_run gives for the same range (and
 *   the channel totals agree with counting the rows of the file);
 * - the default range (this month so far), --from, --to and both;
 * - refusals with exit status 2: a name that is not a report (the names
 *   listed), no name, bad dates (saying which option), a range that ends
 *   before it starts, a bad --format; a missing database is a failure. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/charts.h"
#include "guanjia/clock.h"
#include "guanjia/csv.h"
#include "guanjia/db.h"
#include "guanjia/repo_reports.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FULL_BLOCK "\u2588"

static const char *dir, *db;

#define run(...)          gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, __VA_ARGS__, NULL)
#define run_env(env, ...) gj_test_cmd(env, NULL, "--db", db, __VA_ARGS__, NULL)

static int setup(void **state)
{
    (void)state;
    setenv("TZ", "CST-8", 1);
    tzset();
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    dir = gj_test_tmpdir();
    db = strdup(gj_test_path(dir, "demo.db"));
    if (gj_test_cmd(gj_test_fixed_now, NULL, "--db", db, "demo", NULL) != 0) {
        fprintf(stderr, "demo: %s\n", gj_test_err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    gj_test_cmd_teardown(state);
    gj_test_rmtree(dir);
    free((char *)db);
    return 0;
}

static int64_t t_of(const char *when)
{
    int64_t t = 0;
    assert_int_equal(gj_parse_datetime(when, &t, NULL), GJ_OK);
    return t;
}

/* The report as the library makes it for [from, to), judged at the fixed
 * clock. */
static struct gj_report *model(const char *name, int64_t from, int64_t to)
{
    struct gj_report *r = malloc(sizeof *r);
    assert_non_null(r);
    struct gj_db *h = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(db, GJ_DB_READONLY, &h, &err), GJ_OK);
    if (gj_report_run(h, name, from, to, t_of("2026-11-29T09:00"), r, &err) != GJ_OK)
        fail_msg("%s: %s", name, err.msg);
    gj_db_close(h);
    return r;
}

/* Checks that after the first block (title and range) every block of
 * lines, blank-line separated, has lines of one display width; returns how
 * many blocks (tables) there were. */
static int tables_line_up(const char *out)
{
    const char *p = strstr(out, "\n\n");
    assert_non_null(p);
    p += 2;
    int tables = 0, width = -1;
    while (*p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        size_t len = (size_t)(nl - p);
        if (len == 0) { /* the blank line before the next table */
            width = -1;
            p = nl + 1;
            continue;
        }
        char line[4096];
        assert_true(len < sizeof line);
        memcpy(line, p, len);
        line[len] = '\0';
        assert_true(gj_utf8_valid(line, len, NULL));
        if (width < 0) {
            tables++;
            width = gj_utf8_width(line);
        } else if (gj_utf8_width(line) != width) {
            fail_msg("table %d: \"%s\" is %d columns, its title line %d", tables, line,
                     gj_utf8_width(line), width);
        }
        p = nl + 1;
    }
    return tables;
}

static void test_text_every_report(void **state)
{
    (void)state;
    int64_t from = t_of("2026-11-01T00:00"), to = t_of("2026-11-29T09:00") + 1;
    for (int i = 0; gj_report_names[i]; i++) {
        const char *name = gj_report_names[i];
        assert_int_equal(run("--lang", "en", "report", name), 0);
        assert_string_equal(gj_test_err, "");
        char head[256];
        snprintf(head, sizeof head, "%s\nFrom 2026-11-01 to 2026-11-29\n\n", gj_report_title(name));
        if (strncmp(gj_test_out, head, strlen(head)) != 0)
            fail_msg("%s: starts \"%.200s\"", name, gj_test_out);
        struct gj_report *r = model(name, from, to);
        assert_int_equal(tables_line_up(gj_test_out), r->n_tables);
        for (int k = 0; k < r->n_tables; k++) {
            char *text = NULL;
            struct gj_error err;
            assert_int_equal(gj_report_table_text(&r->tables[k], 20, 1, &text, &err), GJ_OK);
            if (!strstr(gj_test_out, text))
                fail_msg("%s: table %d is not as drawn:\n%s\nin\n%s", name, k, text, gj_test_out);
            free(text);
        }
        free(r);
    }
    /* Work orders in a UTF-8 locale: bars of blocks, the demo's Chinese
     * departments lined up with "not dispatched". */
    assert_int_equal(run("--lang", "en", "report", "workorders"), 0);
    assert_non_null(strstr(gj_test_out, FULL_BLOCK));
    assert_non_null(strstr(gj_test_out, "工程维修部"));
    assert_non_null(strstr(gj_test_out, "not dispatched"));
}

static void test_text_ascii(void **state)
{
    (void)state;
    const char *const c_locale[] = {"GUANJIA_NOW=2026-11-29T09:00",
                                    "LC_ALL=", "LC_CTYPE=", "LANG=C", NULL};
    assert_int_equal(run_env(c_locale, "--lang", "en", "report", "workorders"), 0);
    assert_null(strstr(gj_test_out, FULL_BLOCK));
    assert_null(strstr(gj_test_out, "\u2581"));
    assert_non_null(strstr(gj_test_out, "####"));
    tables_line_up(gj_test_out);
    /* A non-UTF-8 character set named in LC_ALL: ASCII too. */
    const char *const latin[] = {"GUANJIA_NOW=2026-11-29T09:00", "LC_ALL=en_US.ISO-8859-1", NULL};
    assert_int_equal(run_env(latin, "--lang", "en", "report", "workorders"), 0);
    assert_null(strstr(gj_test_out, FULL_BLOCK));
    /* NO_COLOR and a pipe change nothing in a UTF-8 locale. */
    const char *const no_color[] = {"GUANJIA_NOW=2026-11-29T09:00", "NO_COLOR=1",
                                    "LC_ALL=zh_CN.utf8", NULL};
    assert_int_equal(run_env(no_color, "--lang", "en", "report", "workorders"), 0);
    assert_non_null(strstr(gj_test_out, FULL_BLOCK));
}

/* Reads the CSV of a report and compares it with the model, record by
 * record. */
static void csv_matches(const char *out, const struct gj_report *r)
{
    struct gj_csv_reader rd;
    struct gj_error err;
    gj_csv_reader_init(&rd, out, strlen(out));
    for (int k = 0; k < r->n_tables; k++) {
        const struct gj_report_table *t = &r->tables[k];
        assert_int_equal(gj_csv_next(&rd, &err), GJ_OK);
        assert_int_equal(rd.nfields, 1);
        assert_string_equal(rd.fields[0], t->title);
        assert_int_equal(gj_csv_next(&rd, &err), GJ_OK);
        assert_int_equal(rd.nfields, (size_t)t->n_cols);
        for (int c = 0; c < t->n_cols; c++)
            assert_string_equal(rd.fields[c], t->cols[c]);
        for (int row = 0; row < t->n_rows; row++) {
            assert_int_equal(gj_csv_next(&rd, &err), GJ_OK);
            assert_int_equal(rd.nfields, (size_t)t->n_cols);
            for (int c = 0; c < t->n_cols; c++) {
                char want[128];
                gj_report_cell_format(&t->cells[row][c], 1, want, sizeof want);
                assert_string_equal(rd.fields[c], want);
            }
        }
    }
    assert_int_equal(gj_csv_next(&rd, &err), GJ_ENOTFOUND); /* nothing more */
    gj_csv_reader_free(&rd);
}

static void test_csv_every_report(void **state)
{
    (void)state;
    int64_t from = t_of("2026-11-01T00:00"), to = t_of("2026-11-29T09:00") + 1;
    for (int i = 0; gj_report_names[i]; i++) {
        assert_int_equal(run("--lang", "en", "report", gj_report_names[i], "--format", "csv"), 0);
        assert_string_equal(gj_test_err, "");
        assert_null(strstr(gj_test_out, "\xEF\xBB\xBF")); /* no BOM on standard output */
        assert_non_null(strstr(gj_test_out, "\r\n"));
        struct gj_report *r = model(gj_report_names[i], from, to);
        csv_matches(gj_test_out, r);
        free(r);
    }
    /* The channel totals are the rows of the file in the range. */
    assert_int_equal(run("--lang", "en", "report", "channels", "--format=csv"), 0);
    char sql[256], want[128];
    snprintf(sql, sizeof sql,
             "SELECT (SELECT count(*) FROM work_orders WHERE created_at >= %lld AND created_at < "
             "%lld) + (SELECT count(*) FROM complaints WHERE created_at >= %lld AND created_at < "
             "%lld)",
             (long long)from, (long long)to, (long long)from, (long long)to);
    int64_t requests = gj_test_scalar_file(db, sql);
    assert_true(requests > 0);
    snprintf(want, sizeof want, "\r\nRequests,%lld\r\n", (long long)requests);
    assert_non_null(strstr(gj_test_out, want));
    /* Money in yuan without symbol, rates with a per cent sign. */
    assert_int_equal(run("--lang", "en", "report", "fees", "--format", "csv"), 0);
    assert_null(strstr(gj_test_out, "\xC2\xA5")); /* ¥ */
    assert_non_null(strstr(gj_test_out, "Collection rate,"));
    assert_non_null(strstr(gj_test_out, "%\r\n"));
}

static void test_ranges(void **state)
{
    (void)state;
    /* Both ends, days included: June to August. */
    assert_int_equal(run("--lang", "en", "report", "fees", "--from", "2026-06-01", "--to",
                         "2026-08-31", "--format", "csv"),
                     0);
    struct gj_report *r = model("fees", t_of("2026-06-01T00:00"), t_of("2026-09-01T00:00"));
    assert_int_equal(r->tables[0].n_rows, 3);
    csv_matches(gj_test_out, r);
    free(r);
    assert_non_null(strstr(gj_test_out, "\r\n2026-06,"));
    assert_non_null(strstr(gj_test_out, "\r\n2026-08,"));
    assert_null(strstr(gj_test_out, "\r\n2026-09,"));
    /* --to alone starts on the first of its month. */
    assert_int_equal(run("--lang", "en", "report", "workorders", "--to=2026-10-15"), 0);
    assert_non_null(strstr(gj_test_out, "\nFrom 2026-10-01 to 2026-10-15\n"));
    /* --from alone runs to now. */
    assert_int_equal(run("--lang", "en", "report", "complaints", "--from", "2026-09-15"), 0);
    assert_non_null(strstr(gj_test_out, "\nFrom 2026-09-15 to 2026-11-29\n"));
    assert_non_null(strstr(gj_test_out, "  2026-09 "));
    assert_non_null(strstr(gj_test_out, "  2026-11 "));
    /* One day. */
    assert_int_equal(
        run("--lang", "en", "report", "channels", "--from", "2026-11-28", "--to", "2026-11-28"), 0);
    assert_non_null(strstr(gj_test_out, "\nFrom 2026-11-28 to 2026-11-28\n"));
}

static void test_refusals(void **state)
{
    (void)state;
    assert_int_equal(run("--lang", "en", "report", "sales"), 2);
    assert_string_equal(gj_test_out, "");
    assert_non_null(strstr(gj_test_err, "\"sales\" is not a report"));
    for (int i = 0; gj_report_names[i]; i++)
        assert_non_null(strstr(gj_test_err, gj_report_names[i]));
    assert_true(gj_test_one_line(gj_test_err));

    assert_int_equal(run("--lang", "en", "report"), 2);
    assert_non_null(strstr(gj_test_err, "workorders, complaints, fees, channels, training"));
    assert_non_null(strstr(gj_test_err, "usage:"));

    assert_int_equal(run("--lang", "en", "report", "fees", "--from", "2026-02-30"), 2);
    assert_string_equal(gj_test_out, "");
    assert_non_null(strstr(gj_test_err, "guanjia: report: --from: "));
    assert_non_null(strstr(gj_test_err, "2026-02-30"));
    assert_int_equal(run("--lang", "en", "report", "fees", "--to", "2026/11/01"), 2);
    assert_non_null(strstr(gj_test_err, "guanjia: report: --to: "));
    assert_int_equal(run("--lang", "en", "report", "fees", "--from", "yesterday"), 2);
    assert_non_null(strstr(gj_test_err, "--from"));
    assert_int_equal(
        run("--lang", "en", "report", "fees", "--from", "2026-11-10", "--to", "2026-11-09"), 2);
    assert_non_null(strstr(gj_test_err, "--to"));
    assert_int_equal(run("--lang", "en", "report", "fees", "--from", "2027-01-01"), 2);
    assert_non_null(strstr(gj_test_err, "--from"));
    assert_int_equal(run("--lang", "en", "report", "fees", "--from"), 2);
    assert_non_null(strstr(gj_test_err, "--from"));
    assert_int_equal(run("--lang", "en", "report", "fees", "--format", "xml"), 2);
    assert_non_null(strstr(gj_test_err, "xml"));
    assert_int_equal(run("--lang", "en", "report", "fees", "--colour"), 2);
    assert_int_equal(run("--lang", "en", "report", "fees", "channels"), 2);
    /* More months than a report by month holds. */
    assert_int_equal(run("--lang", "en", "report", "fees", "--from", "2020-01-01"), 2);
    assert_non_null(strstr(gj_test_err, "months"));

    /* A database that is not there: a failure, not a usage error. */
    const char *missing = gj_test_path(dir, "missing.db");
    assert_int_equal(gj_test_cmd(gj_test_fixed_now, NULL, "--db", missing, "report", "fees", NULL),
                     1);
    assert_non_null(strstr(gj_test_err, "guanjia: report: "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_every_report), cmocka_unit_test(test_text_ascii),
        cmocka_unit_test(test_csv_every_report),  cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
