/* core/charts: bars exact to the column and the eighth, the ASCII
 * fallback, sparklines, labels padded and cut by display width (Chinese
 * takes two columns, never split), cells as text and CSV, and whole tables
 * whose lines all have the same display width. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guanjia/charts.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FULL "\u2588" /* █ */

static void assert_width(const char *s, int cols)
{
    assert_true(gj_utf8_valid(s, strlen(s), NULL));
    if (gj_utf8_width(s) != cols)
        fail_msg("\"%s\" is %d columns wide, not %d", s, gj_utf8_width(s), cols);
}

static int ascii_only(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

static const char *bar(int64_t value, int64_t max, int width, int unicode)
{
    static char out[3 * 64 + 1];
    gj_chart_bar(value, max, width, unicode, out, sizeof out);
    return out;
}

/* ---- bars ----------------------------------------------------------------- */

static void test_bar_ends_and_halves(void **state)
{
    (void)state;
    /* max 64 over 8 columns: one eighth of a column per unit. */
    assert_string_equal(bar(0, 64, 8, 1), "        ");
    assert_string_equal(bar(64, 64, 8, 1), FULL FULL FULL FULL FULL FULL FULL FULL);
    assert_string_equal(bar(32, 64, 8, 1), FULL FULL FULL FULL "    ");
    assert_string_equal(bar(16, 64, 8, 1), FULL FULL "      ");
    /* Half a column: ▌ */
    assert_string_equal(bar(36, 64, 8, 1), FULL FULL FULL FULL "\u258c   ");
    /* Out of range: clamped; no max: no bar. */
    assert_string_equal(bar(99, 64, 8, 1), bar(64, 64, 8, 1));
    assert_string_equal(bar(-5, 64, 8, 1), "        ");
    assert_string_equal(bar(5, 0, 8, 1), "        ");
    assert_string_equal(bar(5, -3, 4, 1), "    ");
    assert_string_equal(bar(5, 10, 0, 1), "");
    /* Huge amounts (fen) do not overflow. */
    assert_string_equal(bar(INT64_MAX / 2, INT64_MAX, 2, 1), FULL " ");
    assert_string_equal(bar(INT64_MAX, INT64_MAX, 2, 1), FULL FULL);
}

static void test_bar_eighths(void **state)
{
    (void)state;
    const char *eighths[8] = {"",       "\u258f", "\u258e", "\u258d",
                              "\u258c", "\u258b", "\u258a", "\u2589"};
    for (int k = 0; k < 8; k++) {
        char want[64];
        snprintf(want, sizeof want, FULL "%s%s", eighths[k], k ? "  " : "   ");
        assert_string_equal(bar(8 + k, 32, 4, 1), want); /* 1 column + k/8 */
    }
    /* Rounded to the nearest eighth: 1/3 of 1 column is 2.67 eighths: 3. */
    assert_string_equal(bar(1, 3, 1, 1), "\u258d");
    /* Every value from 0 to max is exactly the width, and grows. */
    for (int width = 1; width <= 12; width++) {
        size_t last = 0;
        for (int64_t v = 0; v <= 97; v++) {
            const char *b = bar(v, 97, width, 1);
            assert_width(b, width);
            size_t blocks = 0; /* bytes that are not spaces */
            for (const char *p = b; *p; p++)
                blocks += *p != ' ';
            assert_true(blocks >= last);
            last = blocks;
        }
    }
}

static void test_bar_ascii(void **state)
{
    (void)state;
    assert_string_equal(bar(0, 64, 8, 0), "        ");
    assert_string_equal(bar(64, 64, 8, 0), "########");
    assert_string_equal(bar(32, 64, 8, 0), "####    ");
    /* To the nearest whole column: 3/8 of one rounds down, 4/8 up. */
    assert_string_equal(bar(3, 64, 8, 0), "        ");
    assert_string_equal(bar(4, 64, 8, 0), "#       ");
    assert_string_equal(bar(36, 64, 8, 0), "#####   ");
    for (int64_t v = 0; v <= 50; v++) {
        const char *b = bar(v, 50, 7, 0);
        assert_true(ascii_only(b));
        assert_int_equal(strlen(b), 7);
    }
}

static void test_bar_small_buffer(void **state)
{
    (void)state;
    char out[8];
    memset(out, 'x', sizeof out);
    gj_chart_bar(10, 10, 5, 1, out, sizeof out); /* 15 bytes needed: cut at a block */
    assert_string_equal(out, FULL FULL);
    gj_chart_bar(10, 10, 5, 1, out, 1);
    assert_string_equal(out, "");
}

/* ---- sparklines ----------------------------------------------------------- */

static void test_spark(void **state)
{
    (void)state;
    const int64_t ramp[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    char out[3 * 16 + 1];
    gj_chart_spark(ramp, 8, 1, out, sizeof out);
    assert_string_equal(out, "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588");
    assert_width(out, 8);
    gj_chart_spark(ramp, 8, 0, out, sizeof out);
    assert_string_equal(out, " .:-=+*#");
    /* Scaled to the largest, rounded: 12 3 0 -> 7 (12*7/12), 2 (1.75), 0. */
    const int64_t some[3] = {12, 3, 0};
    gj_chart_spark(some, 3, 1, out, sizeof out);
    assert_string_equal(out, "\u2588\u2583\u2581");
    const int64_t flat[3] = {0, 0, -4};
    gj_chart_spark(flat, 3, 1, out, sizeof out);
    assert_string_equal(out, "\u2581\u2581\u2581");
    gj_chart_spark(flat, 3, 0, out, sizeof out);
    assert_string_equal(out, "   ");
    gj_chart_spark(some, 0, 1, out, sizeof out);
    assert_string_equal(out, "");
}

/* ---- labels --------------------------------------------------------------- */

static void test_pad_label(void **state)
{
    (void)state;
    char out[64];
    gj_pad_label("Total", 10, out, sizeof out);
    assert_string_equal(out, "Total     ");
    gj_pad_label("合计", 10, out, sizeof out);
    assert_string_equal(out, "合计      ");
    /* Chinese and English padded to the same display width. */
    gj_pad_label("工程维修部", 12, out, sizeof out);
    assert_width(out, 12);
    gj_pad_label("Maintenance", 12, out, sizeof out);
    assert_width(out, 12);
    /* Cut: never half a character; the odd column is a space. */
    gj_pad_label("工程维修部", 7, out, sizeof out);
    assert_string_equal(out, "工程维 ");
    gj_pad_label("工程维修部", 6, out, sizeof out);
    assert_string_equal(out, "工程维");
    gj_pad_label("A工程", 2, out, sizeof out);
    assert_string_equal(out, "A ");
    gj_pad_label("Department", 4, out, sizeof out);
    assert_string_equal(out, "Depa");
    /* Control characters do not break the line. */
    gj_pad_label("a\tb\nc", 6, out, sizeof out);
    assert_string_equal(out, "a b c ");
    gj_pad_label(NULL, 3, out, sizeof out);
    assert_string_equal(out, "   ");
    gj_pad_label("x", 0, out, sizeof out);
    assert_string_equal(out, "");
    /* A buffer too small holds what fits, cut at a character. */
    char small[5];
    gj_pad_label("工程维修部", 10, small, sizeof small);
    assert_string_equal(small, "工 ");
}

/* ---- cells ---------------------------------------------------------------- */

static const char *cell(enum gj_cell_kind kind, int64_t v, const char *text, int csv)
{
    static char out[128];
    struct gj_cell c = {.kind = kind, .v = v};
    snprintf(c.text, sizeof c.text, "%s", text);
    gj_report_cell_format(&c, csv, out, sizeof out);
    return out;
}

static void test_cells(void **state)
{
    (void)state;
    assert_string_equal(cell(GJ_CELL_INT, 1234, "", 0), "1234");
    assert_string_equal(cell(GJ_CELL_INT, -7, "", 1), "-7");
    assert_string_equal(cell(GJ_CELL_MONEY, 123456, "", 0), "¥1,234.56");
    assert_string_equal(cell(GJ_CELL_MONEY, 123456, "", 1), "1234.56");
    assert_string_equal(cell(GJ_CELL_MONEY, -5, "", 1), "-0.05");
    assert_string_equal(cell(GJ_CELL_PERMILLE, 909, "", 0), "90.9%");
    assert_string_equal(cell(GJ_CELL_PERMILLE, 1000, "", 1), "100.0%");
    assert_string_equal(cell(GJ_CELL_PERMILLE, 0, "", 0), "0.0%");
    assert_string_equal(cell(GJ_CELL_PERMILLE, 5, "", 0), "0.5%");
    assert_string_equal(cell(GJ_CELL_PERMILLE, -15, "", 0), "-1.5%");
    assert_string_equal(cell(GJ_CELL_SECONDS, 90061, "", 0), "1d 01h");
    assert_string_equal(cell(GJ_CELL_SECONDS, 3900, "", 0), "1h 05m");
    assert_string_equal(cell(GJ_CELL_SECONDS, 720, "", 0), "12m");
    assert_string_equal(cell(GJ_CELL_SECONDS, 59, "", 0), "0m");
    assert_string_equal(cell(GJ_CELL_SECONDS, 97500, "", 1), "27:05:00");
    assert_string_equal(cell(GJ_CELL_SECONDS, 61, "", 1), "0:01:01");
    assert_string_equal(cell(GJ_CELL_TEXT, 450, "4.50", 0), "4.50");
    assert_string_equal(cell(GJ_CELL_TEXT, 0, "工程维修部", 1), "工程维修部");
    /* Not applicable: a dash on the screen, empty in CSV. */
    assert_string_equal(cell(GJ_CELL_TEXT, 0, "", 0), "\u2014");
    assert_string_equal(cell(GJ_CELL_TEXT, 0, "", 1), "");
}

/* ---- tables --------------------------------------------------------------- */

static void set_text(struct gj_cell *c, const char *text)
{
    c->kind = GJ_CELL_TEXT;
    c->v = 0;
    snprintf(c->text, sizeof c->text, "%s", text);
}

static void set_num(struct gj_cell *c, enum gj_cell_kind kind, int64_t v)
{
    c->kind = kind;
    c->v = v;
    c->text[0] = '\0';
}

static struct gj_report_table *small_table(void)
{
    struct gj_report_table *t = calloc(1, sizeof *t);
    assert_non_null(t);
    snprintf(t->title, sizeof t->title, "%s", "By department");
    t->n_cols = 3;
    snprintf(t->cols[0], sizeof t->cols[0], "%s", "Department");
    snprintf(t->cols[1], sizeof t->cols[1], "%s", "Orders");
    snprintf(t->cols[2], sizeof t->cols[2], "%s", "SLA rate");
    t->n_rows = 3;
    set_text(&t->cells[0][0], "工程维修部");
    set_num(&t->cells[0][1], GJ_CELL_INT, 12);
    set_num(&t->cells[0][2], GJ_CELL_PERMILLE, 909);
    set_text(&t->cells[1][0], "Cleaning");
    set_num(&t->cells[1][1], GJ_CELL_INT, 3);
    set_num(&t->cells[1][2], GJ_CELL_PERMILLE, 1000);
    set_text(&t->cells[2][0], "保洁");
    set_num(&t->cells[2][1], GJ_CELL_INT, 0);
    set_text(&t->cells[2][2], "");
    t->chart_col = 1;
    t->spark = 1;
    return t;
}

/* Splits text into lines (each must end in '\n'); returns how many, and
 * checks that all have the same display width, which *width gets. */
static int same_width_lines(const char *text, int *width)
{
    int n = 0, w = -1;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        char line[2048];
        size_t len = (size_t)(nl - p);
        assert_true(len < sizeof line);
        memcpy(line, p, len);
        line[len] = '\0';
        assert_true(gj_utf8_valid(line, len, NULL));
        if (w < 0)
            w = gj_utf8_width(line);
        else if (gj_utf8_width(line) != w)
            fail_msg("line %d \"%s\" is %d columns, the first %d", n + 1, line, gj_utf8_width(line),
                     w);
        n++;
        p = nl + 1;
    }
    *width = w;
    return n;
}

static void test_table_exact(void **state)
{
    (void)state;
    struct gj_report_table *t = small_table();
    char *text = NULL;
    struct gj_error err;
    assert_int_equal(gj_report_table_text(t, 4, 1, &text, &err), GJ_OK);
    /* Columns 10, 6 and 8 wide, two apart, then bars of 4 scaled to 12
     * (3 is one column: 3*4/12); the sparkline of 12 3 0 under it. */
    const char *want = "By department                       \n"
                       "  Department  Orders  SLA rate      \n"
                       "  工程维修部      12     90.9%  " FULL FULL FULL FULL "\n"
                       "  Cleaning         3    100.0%  " FULL "   \n"
                       "  保洁             0         \u2014      \n"
                       "  Orders: \u2588\u2583\u2581                       \n";
    assert_string_equal(text, want);
    int width = 0;
    assert_int_equal(same_width_lines(text, &width), 6);
    assert_int_equal(width, 36);
    free(text);

    /* ASCII: '#' bars, '-' sparkline steps; the same widths. */
    assert_int_equal(gj_report_table_text(t, 4, 0, &text, &err), GJ_OK);
    assert_non_null(strstr(text, "  Cleaning         3    100.0%  #   \n"));
    assert_non_null(strstr(text, "  Orders: #: "));
    assert_non_null(strstr(text, "  保洁             0         -      \n"));
    assert_int_equal(same_width_lines(text, &width), 6);
    assert_int_equal(width, 36);
    free(text);

    /* Rates are drawn against 100%, even when the first is not one. */
    t->chart_col = 2;
    t->spark = 0;
    t->cells[0][2] = t->cells[2][2]; /* "" (not applicable) first */
    set_num(&t->cells[2][2], GJ_CELL_PERMILLE, 500);
    t->cells[1][2].v = 250;
    assert_int_equal(gj_report_table_text(t, 4, 1, &text, &err), GJ_OK);
    assert_non_null(strstr(text, "   25.0%  " FULL "   \n"));
    assert_non_null(strstr(text, "   50.0%  " FULL FULL "  \n"));
    free(text);
    t->chart_col = 1;
    t->spark = 1;

    /* Without bars: no chart column. */
    assert_int_equal(gj_report_table_text(t, 0, 1, &text, &err), GJ_OK);
    assert_non_null(strstr(text, "  Cleaning         3     25.0%\n"));
    free(text);
    free(t);
}

static void test_table_chinese_lines_up(void **state)
{
    (void)state;
    struct gj_report_table *t = small_table();
    /* Chinese headers, a label longer than 24 columns (cut), money. */
    snprintf(t->title, sizeof t->title, "%s", "按部门");
    snprintf(t->cols[0], sizeof t->cols[0], "%s", "部门");
    snprintf(t->cols[1], sizeof t->cols[1], "%s", "应收");
    snprintf(t->cols[2], sizeof t->cols[2], "%s", "时效达标率");
    set_text(&t->cells[1][0], "物业服务中心客户服务部前台接待组夜班"); /* 36 columns */
    set_num(&t->cells[1][1], GJ_CELL_MONEY, 123456789);
    set_num(&t->cells[0][1], GJ_CELL_MONEY, 5000);
    t->n_rows = 3;
    char *text = NULL;
    struct gj_error err;
    for (int unicode = 0; unicode <= 1; unicode++) {
        assert_int_equal(gj_report_table_text(t, 10, unicode, &text, &err), GJ_OK);
        int width = 0;
        assert_int_equal(same_width_lines(text, &width), 6);
        /* 2 + 24 (cut) + 2 + 13 (¥1,234,567.89) + 2 + 10 + 2 + 10 */
        assert_int_equal(width, 65);
        assert_non_null(strstr(text, "  物业服务中心客户服务部前  ¥1,234,567.89"));
        /* Numbers right-aligned: each amount ends in the same column. */
        const char *a = strstr(text, "¥50.00"), *b = strstr(text, "¥1,234,567.89");
        assert_non_null(a);
        assert_non_null(b);
        char before_a[512], before_b[512];
        const char *la = a, *lb = b;
        while (la > text && la[-1] != '\n')
            la--;
        while (lb > text && lb[-1] != '\n')
            lb--;
        snprintf(before_a, sizeof before_a, "%.*s", (int)(a - la) + (int)strlen("¥50.00"), la);
        snprintf(before_b, sizeof before_b, "%.*s", (int)(b - lb) + (int)strlen("¥1,234,567.89"),
                 lb);
        assert_int_equal(gj_utf8_width(before_a), gj_utf8_width(before_b));
        free(text);
    }
    free(t);
}

static void test_table_empty_and_refused(void **state)
{
    (void)state;
    struct gj_report_table *t = small_table();
    t->n_rows = 0;
    char *text = NULL;
    struct gj_error err;
    assert_int_equal(gj_report_table_text(t, 4, 1, &text, &err), GJ_OK);
    assert_non_null(strstr(text, "  (none)"));
    assert_null(strstr(text, "Orders:")); /* no sparkline of nothing */
    int width = 0;
    assert_int_equal(same_width_lines(text, &width), 3);
    free(text);

    /* Words are left-aligned, numbers written as text right-aligned. */
    t->n_rows = 2;
    t->chart_col = -1;
    set_text(&t->cells[0][2], "4.50");
    set_text(&t->cells[1][2], "");
    set_text(&t->cells[0][1], "done");
    set_text(&t->cells[1][1], "not yet");
    assert_int_equal(gj_report_table_text(t, 4, 1, &text, &err), GJ_OK);
    assert_non_null(strstr(text, "  工程维修部  done         4.50\n"));
    assert_non_null(strstr(text, "  Cleaning    not yet         \u2014\n"));
    free(text);

    /* A long name over numbers is never cut (only words are, at 24). */
    snprintf(t->cols[2], sizeof t->cols[2], "%s", "Share of the orders taken in the range");
    assert_int_equal(gj_report_table_text(t, 0, 1, &text, &err), GJ_OK);
    assert_non_null(strstr(text, "Share of the orders taken in the range\n"));
    assert_non_null(strstr(text, "                                  4.50\n"));
    free(text);

    t->n_cols = 0;
    text = (char *)"untouched";
    assert_int_equal(gj_report_table_text(t, 4, 1, &text, &err), GJ_EINVAL);
    assert_null(text);
    t->n_cols = 3;
    t->chart_col = 3;
    assert_int_equal(gj_report_table_text(t, 4, 1, &text, &err), GJ_EINVAL);
    t->chart_col = 1;
    t->n_rows = GJ_REPORT_MAX_ROWS + 1;
    assert_int_equal(gj_report_table_text(t, 4, 1, &text, &err), GJ_EINVAL);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bar_ends_and_halves),
        cmocka_unit_test(test_bar_eighths),
        cmocka_unit_test(test_bar_ascii),
        cmocka_unit_test(test_bar_small_buffer),
        cmocka_unit_test(test_spark),
        cmocka_unit_test(test_pad_label),
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_table_exact),
        cmocka_unit_test(test_table_chinese_lines_up),
        cmocka_unit_test(test_table_empty_and_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
