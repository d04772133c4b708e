/* core/import_owners.c (header mapping, line checks) and the commands
 * `import owners` / `export owners` through the binary: all or nothing,
 * dry runs, re-imports, round trips, messages and exit codes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/import_owners.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- problems collected from the callback --------------------------------- */

struct problems {
    int n;
    char text[64][320]; /* "LINE|COLUMN|WHY" */
};

static void collect(void *ctx, long line, const char *column, const char *why)
{
    struct problems *p = ctx;
    if (p->n < 64)
        snprintf(p->text[p->n], sizeof p->text[p->n], "%ld|%s|%s", line, column, why);
    p->n++;
}

/* Does some problem start with "LINE|COLUMN|" and contain why? */
static int has_problem(const struct problems *p, long line, const char *column, const char *why)
{
    char head[128];
    snprintf(head, sizeof head, "%ld|%s|", line, column);
    for (int i = 0; i < p->n && i < 64; i++)
        if (strncmp(p->text[i], head, strlen(head)) == 0 && strstr(p->text[i], why))
            return 1;
    return 0;
}

static void dump(const struct problems *p)
{
    for (int i = 0; i < p->n && i < 64; i++)
        print_message("  %s\n", p->text[i]);
}

/* Splits a comma line (no quotes) into fields in place. */
static size_t split(char *s, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = s;
    for (char *p = s; *p && n < max; p++) {
        if (*p == ',') {
            *p = '\0';
            f[n++] = p + 1;
        }
    }
    return n;
}

static int map_header(const char *line, struct gj_import_header *h, struct problems *p)
{
    char buf[512], *f[32];
    snprintf(buf, sizeof buf, "%s", line);
    size_t n = split(buf, f, 32);
    return gj_owner_header_map(h, f, n, 1, collect, p);
}

static int parse_row(const struct gj_import_header *h, const char *line, long lineno,
                     struct gj_owner_row *row, struct problems *p)
{
    char buf[1024], *f[32];
    snprintf(buf, sizeof buf, "%s", line);
    size_t n = split(buf, f, 32);
    return gj_owner_row_parse(h, f, n, lineno, row, collect, p);
}

static int setup_clock(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    return 0;
}

static void test_header_english_and_chinese(void **state)
{
    (void)state;
    struct gj_import_header h;
    struct problems p = {0};
    assert_int_equal(map_header("房号,姓名,电话,电话2,身份,面积,入住日期,身份证号,备注", &h, &p),
                     GJ_OK);
    for (int c = 0; c < GJ_OWNER_NCOLS; c++)
        assert_int_equal(h.index[c], c);
    assert_true(h.zh);
    assert_string_equal(gj_import_header_label(&h, GJ_OWNER_PHONE), "电话");
    gj_import_header_free(&h);

    /* Any order, other spellings, case, spaces, notes in brackets. */
    assert_int_equal(
        map_header(" Notes ,ID_Number,START DATE,Area (m2),Relation,Phone 2,Mobile,Name,Unit Code",
                   &h, &p),
        GJ_OK);
    assert_int_equal(h.index[GJ_OWNER_NOTES], 0);
    assert_int_equal(h.index[GJ_OWNER_ID_NUMBER], 1);
    assert_int_equal(h.index[GJ_OWNER_START], 2);
    assert_int_equal(h.index[GJ_OWNER_AREA], 3);
    assert_int_equal(h.index[GJ_OWNER_RELATION], 4);
    assert_int_equal(h.index[GJ_OWNER_PHONE2], 5);
    assert_int_equal(h.index[GJ_OWNER_PHONE], 6);
    assert_int_equal(h.index[GJ_OWNER_NAME], 7);
    assert_int_equal(h.index[GJ_OWNER_UNIT], 8);
    assert_false(h.zh);
    assert_string_equal(gj_import_header_label(&h, GJ_OWNER_NOTES), "Notes");
    gj_import_header_free(&h);

    /* Chinese synonyms; only required columns. */
    assert_int_equal(map_header("手机号,关系,房屋,名字,建筑面积（平方米）,家庭成员备注X", &h, &p),
                     GJ_EINVAL);
    assert_int_equal(h.index[GJ_OWNER_PHONE], 0);
    assert_int_equal(h.index[GJ_OWNER_RELATION], 1);
    assert_int_equal(h.index[GJ_OWNER_UNIT], 2);
    assert_int_equal(h.index[GJ_OWNER_NAME], 3);
    assert_int_equal(h.index[GJ_OWNER_AREA], 4);
    assert_int_equal(p.n, 1);
    assert_true(has_problem(&p, 1, "家庭成员备注X", "unknown column"));
    /* The known columns are listed in the file's language. */
    assert_true(has_problem(&p, 1, "家庭成员备注X", "房号, 姓名"));
    gj_import_header_free(&h);

    /* The names export writes are read back, in both languages. */
    for (int zh = 0; zh < 2; zh++) {
        char line[256] = "";
        for (int c = 0; c < GJ_OWNER_NCOLS; c++) {
            strcat(line, c ? "," : "");
            strcat(line, gj_owner_col_name(c, zh));
        }
        memset(&p, 0, sizeof p);
        assert_int_equal(map_header(line, &h, &p), GJ_OK);
        for (int c = 0; c < GJ_OWNER_NCOLS; c++)
            assert_int_equal(h.index[c], c);
        assert_int_equal(h.zh, zh);
        gj_import_header_free(&h);
    }
}

static void test_header_problems(void **state)
{
    (void)state;
    struct gj_import_header h;
    struct problems p = {0};
    /* Missing required columns, named in the header's language. */
    assert_int_equal(map_header("房号,电话", &h, &p), GJ_EINVAL);
    assert_int_equal(p.n, 2);
    assert_true(has_problem(&p, 1, "姓名", "required column is missing"));
    assert_true(has_problem(&p, 1, "身份", "required column is missing"));
    gj_import_header_free(&h);
    memset(&p, 0, sizeof p);
    assert_int_equal(map_header("unit,phone", &h, &p), GJ_EINVAL);
    assert_true(has_problem(&p, 1, "name", "required column is missing"));
    assert_true(has_problem(&p, 1, "relation", "required column is missing"));
    gj_import_header_free(&h);
    /* The same column twice, under two names. */
    memset(&p, 0, sizeof p);
    assert_int_equal(map_header("房号,姓名,电话,身份,手机", &h, &p), GJ_EINVAL);
    assert_int_equal(p.n, 1);
    assert_true(has_problem(&p, 1, "手机", "\"电话\" (column 3)"));
    gj_import_header_free(&h);
    /* Unknown columns, each named. */
    memset(&p, 0, sizeof p);
    assert_int_equal(map_header("房号,姓名,车牌,身份,序号", &h, &p), GJ_EINVAL);
    assert_int_equal(p.n, 2);
    assert_true(has_problem(&p, 1, "车牌", "unknown column"));
    assert_true(has_problem(&p, 1, "序号", "unknown column"));
    gj_import_header_free(&h);
    /* Semicolons or tabs instead of commas. */
    memset(&p, 0, sizeof p);
    assert_int_equal(map_header("房号;姓名;身份", &h, &p), GJ_EINVAL);
    assert_int_equal(p.n, 1);
    assert_true(has_problem(&p, 1, "", "semicolons or tabs"));
    gj_import_header_free(&h);
    memset(&p, 0, sizeof p);
    assert_int_equal(map_header("unit\tname\trelation", &h, &p), GJ_EINVAL);
    assert_true(has_problem(&p, 1, "", "semicolons or tabs"));
    gj_import_header_free(&h);
    /* Empty header cells are allowed (trailing commas). */
    memset(&p, 0, sizeof p);
    assert_int_equal(map_header("房号,姓名,,身份,,", &h, &p), GJ_OK);
    assert_int_equal(p.n, 0);
    gj_import_header_free(&h);
}

static void test_row_good(void **state)
{
    (void)state;
    struct gj_import_header h;
    struct problems p = {0};
    assert_int_equal(map_header("房号,姓名,电话,电话2,身份,面积,入住日期,身份证号,备注,", &h, &p),
                     GJ_OK);
    struct gj_owner_row *row = malloc(sizeof *row);
    assert_non_null(row);
    assert_int_equal(
        parse_row(&h,
                  " 3栋2单元501 ,　张三　,138 0013 8000,+86 139-0013-9000,业主,89.5 ㎡,"
                  "2020/5/1,11010519491231002x,车位 A-12,",
                  7, row, &p),
        GJ_OK);
    dump(&p);
    assert_int_equal(p.n, 0);
    assert_int_equal(row->line, 7);
    assert_int_equal(row->unit.building, 3);
    assert_int_equal(row->unit.entrance, 2);
    assert_int_equal(row->unit.room, 501);
    assert_string_equal(row->person.name, "张三");
    assert_string_equal(row->person.phone, "13800138000");
    assert_string_equal(row->person.phone2, "13900139000");
    assert_string_equal(row->person.id_number, "11010519491231002X");
    assert_string_equal(row->person.notes, "车位 A-12");
    assert_string_equal(row->relation, "owner");
    assert_int_equal(row->area_centi_m2, 8950);
    int64_t may1;
    assert_int_equal(gj_parse_date("2020-05-01", &may1, NULL), GJ_OK);
    assert_int_equal(row->start_at, may1);
    assert_true(row->unit_ok);

    /* Only the required columns; relations in both languages. */
    const char *rel[][2] = {{"owner", "owner"},   {"OWNER", "owner"},     {"租户", "tenant"},
                            {"Tenant", "tenant"}, {"家庭成员", "family"}, {"家属", "family"},
                            {"family", "family"}};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char line[128];
        snprintf(line, sizeof line, "1-1-101,李四,,,%s,,,,,", rel[i][0]);
        assert_int_equal(parse_row(&h, line, 2, row, &p), GJ_OK);
        assert_string_equal(row->relation, rel[i][1]);
        assert_int_equal(row->area_centi_m2, 0);
        assert_int_equal(row->start_at, 0);
        assert_string_equal(row->person.phone, "");
    }
    /* Fewer values than columns: the rest are empty. */
    assert_int_equal(parse_row(&h, "1-1-101,李四,,,owner", 3, row, &p), GJ_OK);
    /* Only a second phone: it becomes the phone. */
    assert_int_equal(parse_row(&h, "1-1-101,李四,,13900139000,owner", 3, row, &p), GJ_OK);
    assert_string_equal(row->person.phone, "13900139000");
    assert_string_equal(row->person.phone2, "");
    assert_int_equal(p.n, 0);
    /* Blank lines are recognised. */
    char a[] = " ", b[] = "\xE3\x80\x80", c[] = "", d[] = "x";
    char *blank[] = {a, b, c};
    char *not_blank[] = {a, d};
    assert_true(gj_import_row_blank(blank, 3));
    assert_false(gj_import_row_blank(not_blank, 2));
    free(row);
    gj_import_header_free(&h);
}

static void test_row_problems(void **state)
{
    (void)state;
    struct gj_import_header h;
    struct problems p = {0};
    assert_int_equal(map_header("房号,姓名,电话,电话2,身份,面积,入住日期,身份证号,备注,", &h, &p),
                     GJ_OK);
    struct gj_owner_row *row = malloc(sizeof *row);
    assert_non_null(row);
    /* Every field wrong at once: each one reported, with the line. */
    assert_int_equal(parse_row(&h,
                               "3-2-50,,1380013800,1380013800x,房东,89.555,2026-02-30,"
                               "110105194912310021,\x01,oops",
                               12, row, &p),
                     GJ_EINVAL);
    dump(&p);
    assert_true(has_problem(&p, 12, "房号", "3-2-50"));
    assert_true(has_problem(&p, 12, "姓名", "must not be empty"));
    assert_true(has_problem(&p, 12, "电话", "11 digits"));
    assert_true(has_problem(&p, 12, "电话2", "1380013800x"));
    assert_true(has_problem(&p, 12, "身份", "\"房东\": must be 业主/owner"));
    assert_true(has_problem(&p, 12, "面积", "at most 2 decimals"));
    assert_true(has_problem(&p, 12, "入住日期", "2026-02"));
    assert_true(has_problem(&p, 12, "身份证号", "check character"));
    assert_true(has_problem(&p, 12, "备注", "control character"));
    assert_true(has_problem(&p, 12, "column 10", "has a value but no header"));
    assert_int_equal(p.n, 10);
    assert_false(row->unit_ok);

    /* More values than columns; an empty relation; spreadsheet-rounded
     * numbers; the same phone twice; a too-long ID. */
    memset(&p, 0, sizeof p);
    assert_int_equal(
        parse_row(&h, "3-2-501,张三,1.38001E+10,,,abc,2020-13-01,1.10105E+17,,,extra", 4, row, &p),
        GJ_EINVAL);
    dump(&p);
    assert_true(has_problem(&p, 4, "", "11 values, but the header has 10 columns"));
    assert_true(has_problem(&p, 4, "电话", "rounded by a spreadsheet"));
    assert_true(has_problem(&p, 4, "身份", "must not be empty"));
    assert_true(has_problem(&p, 4, "面积", "not an area"));
    assert_true(has_problem(&p, 4, "入住日期", "no month 13"));
    assert_true(has_problem(&p, 4, "身份证号", "rounded by a spreadsheet"));
    assert_int_equal(p.n, 6);
    /* A bad area: the unit could not be created either. */
    assert_false(row->unit_ok);
    /* A bad field elsewhere keeps the unit usable. */
    memset(&p, 0, sizeof p);
    assert_int_equal(parse_row(&h, "3-2-501,张三,1.38001E+10,,owner,89", 4, row, &p), GJ_EINVAL);
    assert_int_equal(p.n, 1);
    assert_true(row->unit_ok);
    assert_int_equal(row->area_centi_m2, 8900);

    memset(&p, 0, sizeof p);
    assert_int_equal(parse_row(&h,
                               "3-2-501,张三,13800138000,138 0013 8000,owner,0,,1101051949123100,,",
                               5, row, &p),
                     GJ_EINVAL);
    dump(&p);
    assert_true(has_problem(&p, 5, "电话2", "the same number as the first phone"));
    assert_true(has_problem(&p, 5, "面积", "between 0.01 and 100,000"));
    assert_true(has_problem(&p, 5, "身份证号", "18 characters (got 16)"));
    assert_int_equal(p.n, 3);
    assert_false(row->unit_ok);

    /* A name too long. */
    memset(&p, 0, sizeof p);
    char line[1024] = "3-2-501,";
    for (int i = 0; i < 65; i++)
        strcat(line, "张");
    strcat(line, ",,,owner");
    assert_int_equal(parse_row(&h, line, 9, row, &p), GJ_EINVAL);
    assert_true(has_problem(&p, 9, "姓名", "too long (65 characters, at most 64)"));
    free(row);
    gj_import_header_free(&h);
}

static void test_area_and_date(void **state)
{
    (void)state;
    struct gj_error err;
    int64_t a = 0;
    const struct {
        const char *in;
        int64_t want;
    } good[] = {{"89", 8900},      {"89.5", 8950},    {"89.50", 8950},
                {"0.01", 1},       {"89.500", 8950},  {"120平米", 12000},
                {"120 m²", 12000}, {"75.25㎡", 7525}, {"100000", 10000000}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(gj_area_parse(good[i].in, &a, &err), GJ_OK);
        assert_int_equal(a, good[i].want);
    }
    const char *bad[] = {"",    "0",  "-5", "abc", "1.234", "100000.01", "99999999999999",
                         "8 9", ".5x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_not_equal(gj_area_parse(bad[i], &a, &err), GJ_OK);
    int64_t d1, d2, d3, want;
    assert_int_equal(gj_parse_date("2026-11-29", &want, &err), GJ_OK);
    assert_int_equal(gj_import_date_parse("2026-11-29", &d1, &err), GJ_OK);
    assert_int_equal(gj_import_date_parse("2026/11/29", &d2, &err), GJ_OK);
    assert_int_equal(gj_import_date_parse("2026.11.29", &d3, &err), GJ_OK);
    assert_int_equal(d1, want);
    assert_int_equal(d2, want);
    assert_int_equal(d3, want);
    assert_int_not_equal(gj_import_date_parse("29/11/2026", &d1, &err), GJ_OK);
    assert_int_not_equal(gj_import_date_parse("2026/02/30", &d1, &err), GJ_OK);
}

/* ---- the commands, through the binary ------------------------------------- */

/* Prints what a command said on standard error, to help read a failure. */
static int shown(int status)
{
    if (gj_test_err[0])
        print_message("stderr: %s", gj_test_err);
    return status;
}

/* run(env, arguments..., NULL); env NULL: the clock fixed */
#define run(env, ...) shown(gj_test_cmd((env) ? (env) : gj_test_fixed_now, NULL, __VA_ARGS__))

static const char *fixture(const char *name)
{
    static char path[1024];
    const char *src = getenv("GUANJIA_SOURCE_DIR");
    assert_non_null(src);
    snprintf(path, sizeof path, "%s/tests/fixtures/%s", src, name);
    return path;
}

static void new_db(const char *path)
{
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(path, GJ_DB_CREATE, &db, &err), GJ_OK);
    gj_db_close(db);
}

static long long count(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

/* units, persons, links, audit rows: a fingerprint of the database. */
static void counts(const char *db, long long c[4])
{
    c[0] = count(db, "SELECT count(*) FROM units");
    c[1] = count(db, "SELECT count(*) FROM persons");
    c[2] = count(db, "SELECT count(*) FROM unit_persons");
    c[3] = count(db, "SELECT count(*) FROM audit_log");
}

static void test_import_and_reimport(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[512];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    new_db(db);
    assert_int_equal(run(NULL, "--db", db, "import", "owners", fixture("owners_zh.csv"), NULL), 0);
    assert_non_null(
        strstr(gj_test_out, "units created: 2, persons created: 4, links added: 4, unchanged: 0"));
    long long c[4], again[4];
    counts(db, c);
    assert_int_equal(c[0], 2);
    assert_int_equal(c[1], 4);
    assert_int_equal(c[2], 4);
    assert_true(c[3] >= 10); /* every row audited */
    /* The values as imported. */
    assert_int_equal(count(db, "SELECT count(*) FROM persons WHERE name = '赵六' AND "
                               "phone = '13600136000' AND id_number = '11010519491231002X' AND "
                               "notes = '备注含\"引号\"\n和换行'"),
                     1);
    assert_int_equal(count(db, "SELECT count(*) FROM units u JOIN unit_persons l ON "
                               "l.unit_id = u.id JOIN persons p ON p.id = l.person_id WHERE "
                               "u.building = 3 AND u.entrance = 2 AND u.room = 501 AND "
                               "u.floor = 5 AND u.area_centi_m2 = 8950 AND "
                               "u.status = 'delivered' AND l.relation = 'family' AND "
                               "p.name = '李梅' AND p.phone IS NULL"),
                     1);
    /* Delivered on the move-in date; the link starts then too. */
    int64_t may1;
    struct gj_error err;
    assert_int_equal(gj_parse_date("2020-05-01", &may1, &err), GJ_OK);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM units u JOIN unit_persons l ON l.unit_id = u.id WHERE "
             "u.room = 501 AND u.delivered_at = %lld AND l.start_at = %lld",
             (long long)may1, (long long)may1);
    assert_int_equal(count(db, sql), 1);

    /* Again: nothing changes, everything is counted as unchanged. */
    assert_int_equal(run(NULL, "--db", db, "import", "owners", fixture("owners_zh.csv"), NULL), 0);
    assert_non_null(
        strstr(gj_test_out, "units created: 0, persons created: 0, links added: 0, unchanged: 4"));
    counts(db, again);
    assert_memory_equal(c, again, sizeof c);

    /* English, with a BOM and CRLF: a tenant and the owner of another unit;
     * the owner's unit exists by then (created on the line before). */
    assert_int_equal(run(NULL, "--db", db, "import", "owners", fixture("owners_en_bom.csv"), NULL),
                     0);
    assert_non_null(
        strstr(gj_test_out, "units created: 1, persons created: 2, links added: 2, unchanged: 0"));
    /* GBK: the second line is a family member without a phone. */
    assert_int_equal(run(NULL, "--db", db, "import", "owners", fixture("owners_gbk.csv"), NULL), 0);
    assert_non_null(strstr(gj_test_out, "read as GBK"));
    assert_non_null(
        strstr(gj_test_out, "units created: 1, persons created: 2, links added: 2, unchanged: 0"));
    assert_int_equal(count(db, "SELECT count(*) FROM persons WHERE name = '曾单' AND "
                               "notes = '曾经的业主'"),
                     1);
    /* Re-importing it finds 张小宝 by name within the unit. */
    assert_int_equal(run(NULL, "--db", db, "import", "owners", fixture("owners_gbk.csv"), NULL), 0);
    assert_non_null(
        strstr(gj_test_out, "units created: 0, persons created: 0, links added: 0, unchanged: 2"));
    assert_int_equal(count(db, "SELECT count(*) FROM persons WHERE name = '张小宝'"), 1);
    gj_test_rmtree(dir);
}

static void test_all_or_nothing(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[512];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    new_db(db);
    long long before[4], after[4];
    counts(db, before);
    /* Three good lines, one bad: nothing is saved. */
    const char *bad = fixture("owners_bad.csv");
    assert_int_equal(run(NULL, "--db", db, "import", "owners", bad, NULL), 1);
    char want[1200];
    snprintf(want, sizeof want, "%s:4: 电话: phone \"1350013500\"", bad);
    assert_non_null(strstr(gj_test_err, want));
    assert_non_null(strstr(gj_test_err, "nothing was saved (problems: 1; lines with problems: 1)"));
    assert_string_equal(gj_test_out, "");
    counts(db, after);
    assert_memory_equal(before, after, sizeof before);

    /* The same with --dry-run: the problem, and nothing saved. */
    assert_int_equal(run(NULL, "--db", db, "import", "owners", "--dry-run", bad, NULL), 1);
    assert_non_null(strstr(gj_test_err, want));

    /* A dry run of a good file says what it would do and saves nothing. */
    assert_int_equal(
        run(NULL, "--db", db, "import", "owners", fixture("owners_zh.csv"), "--dry-run", NULL), 0);
    assert_non_null(strstr(
        gj_test_out, "units to create: 2, persons to create: 4, links to add: 4, unchanged: 0"));
    assert_non_null(strstr(gj_test_out, "Dry run: nothing was saved."));
    counts(db, after);
    assert_memory_equal(before, after, sizeof before);

    /* An unterminated quote: its line, nothing saved. */
    const char *unterminated = fixture("owners_unterminated.csv");
    assert_int_equal(run(NULL, "--db", db, "import", "owners", unterminated, NULL), 1);
    snprintf(want, sizeof want, "%s:2: a quoted field that starts on this line is never closed",
             unterminated);
    assert_non_null(strstr(gj_test_err, want));
    counts(db, after);
    assert_memory_equal(before, after, sizeof before);
    gj_test_rmtree(dir);
}

static void test_conflicts_with_records(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[512], csv[512];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "more.csv"));
    new_db(db);
    assert_int_equal(run(NULL, "--db", db, "import", "owners", fixture("owners_zh.csv"), NULL), 0);
    long long before[4], after[4];
    counts(db, before);
    /* A known phone under another name; a new unit without its area; a
     * known name in the unit with another phone; a line that is fine. */
    gj_test_write_text(csv, "房号,姓名,电话,身份,面积\n"
                            "3-2-501,王强,13800138000,租户,\n"
                            "9-9-909,新人,13100131000,业主,\n"
                            "\n"
                            "3-2-501,李梅,13300133000,家属,\n"
                            "3-2-501,张三,13800138000,家属,\n");
    assert_int_equal(run(NULL, "--db", db, "import", "owners", csv, NULL), 1);
    char want[1200];
    snprintf(want, sizeof want, "%s:2: 电话: phone 13800138000 belongs to 张三, not 王强\n", csv);
    assert_non_null(strstr(gj_test_err, want));
    snprintf(want, sizeof want,
             "%s:3: 面积: needed: unit 9-9-909 is not on record yet and will be created\n", csv);
    assert_non_null(strstr(gj_test_err, want));
    snprintf(want, sizeof want, "%s:5: 电话: 李梅 of unit 3-2-501 is on record with phone", csv);
    /* 李梅 has no phone on record: she is matched by name, no problem. */
    assert_null(strstr(gj_test_err, want));
    assert_non_null(strstr(gj_test_err, "nothing was saved (problems: 2; lines with problems: 2)"));
    counts(db, after);
    assert_memory_equal(before, after, sizeof before);

    /* Without the bad lines it goes through; the new relation is added. */
    gj_test_write_text(csv, "房号,姓名,电话,身份\n"
                            "3-2-501,李梅,,家属\n"
                            "3-2-501,张三,13800138000,租户\n");
    assert_int_equal(run(NULL, "--db", db, "import", "owners", csv, NULL), 0);
    assert_non_null(
        strstr(gj_test_out, "units created: 0, persons created: 0, links added: 1, unchanged: 1"));
    /* A second 张三 with another phone in the same unit. */
    gj_test_write_text(csv, "房号,姓名,电话,身份\n3-2-501,张三,13100131000,家属\n");
    assert_int_equal(run(NULL, "--db", db, "import", "owners", csv, NULL), 1);
    snprintf(want, sizeof want,
             "%s:2: 电话: 张三 of unit 3-2-501 is on record with phone 13800138000, not "
             "13100131000",
             csv);
    assert_non_null(strstr(gj_test_err, want));
    gj_test_rmtree(dir);
}

static void test_header_and_file_problems(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[512], csv[512];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "in.csv"));
    new_db(db);
    char want[1200];
    /* A bad header: every problem on its line, and no line is read. */
    gj_test_write_text(csv, "\n\nunit,phone,plate,phone\n1-1-101,13800138000,京A12345,\n");
    assert_int_equal(run(NULL, "--db", db, "import", "owners", csv, NULL), 1);
    snprintf(want, sizeof want, "%s:3: plate: unknown column (the columns are: unit, name,", csv);
    assert_non_null(strstr(gj_test_err, want));
    snprintf(want, sizeof want, "%s:3: phone: the same column as \"phone\" (column 2)", csv);
    assert_non_null(strstr(gj_test_err, want));
    snprintf(want, sizeof want, "%s:3: name: required column is missing", csv);
    assert_non_null(strstr(gj_test_err, want));
    snprintf(want, sizeof want, "%s:3: relation: required column is missing", csv);
    assert_non_null(strstr(gj_test_err, want));
    assert_null(strstr(gj_test_err, ":4:"));
    /* Empty files. */
    gj_test_write_text(csv, "");
    assert_int_equal(run(NULL, "--db", db, "import", "owners", csv, NULL), 1);
    assert_non_null(strstr(gj_test_err, "the file is empty"));
    /* Only a header: fine, nothing to do. */
    gj_test_write_text(csv, "unit,name,relation\r\n");
    assert_int_equal(run(NULL, "--db", db, "import", "owners", csv, NULL), 0);
    assert_non_null(strstr(gj_test_out, "units created: 0,"));
    /* Bytes that are neither UTF-8 nor GBK. */
    gj_test_write_text(csv, "unit,name,relation\n1-1-101,\xFF\xFE\xFF,owner\n");
    assert_int_equal(run(NULL, "--db", db, "import", "owners", csv, NULL), 1);
    snprintf(want, sizeof want, "%s:2: not valid UTF-8 or GBK", csv);
    assert_non_null(strstr(gj_test_err, want));
    assert_non_null(strstr(gj_test_err, "nothing was saved"));
    /* More than 100 problems: the first 100, then how many more. */
    FILE *f = fopen(csv, "wb");
    assert_non_null(f);
    fputs("unit,name,relation,area\n", f);
    for (int i = 0; i < 130; i++)
        fprintf(f, "1-1-101,张%d,landlord,90\n", i);
    fclose(f);
    assert_int_equal(run(NULL, "--db", db, "import", "owners", csv, NULL), 1);
    int lines = 0;
    for (const char *p = gj_test_err; (p = strstr(p, "landlord")); p++)
        lines++;
    assert_int_equal(lines, 100);
    assert_non_null(strstr(gj_test_err, "… not shown: 30 more problems"));
    assert_non_null(
        strstr(gj_test_err, "nothing was saved (problems: 130; lines with problems: 130)"));
    assert_int_equal(count(db, "SELECT count(*) FROM units"), 0);
    /* Chinese columns are named as the file names them. */
    gj_test_write_text(csv, "房号,姓名,身份\n1-1-101,张三,房东\n");
    assert_int_equal(run(NULL, "--lang", "zh_CN", "--db", db, "import", "owners", csv, NULL), 1);
    snprintf(want, sizeof want, "%s:2: 身份: ", csv);
    assert_non_null(strstr(gj_test_err, want));
    gj_test_rmtree(dir);
}

static void test_usage(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[512];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "estate.db"));
    new_db(db);
    assert_int_equal(run(NULL, "--db", db, "import", NULL), 2);
    assert_non_null(
        strstr(gj_test_err, "usage: guanjia [--db FILE] import owners|bills FILE [--dry-run]"));
    assert_int_equal(run(NULL, "--db", db, "import", "payments", "x.csv", NULL), 2);
    assert_non_null(strstr(gj_test_err, "owners or bills can be imported"));
    assert_int_equal(run(NULL, "--db", db, "import", "owners", NULL), 2);
    assert_int_equal(run(NULL, "--db", db, "import", "owners", "a.csv", "b.csv", NULL), 2);
    assert_int_equal(run(NULL, "--db", db, "import", "owners", "--force", "a.csv", NULL), 2);
    assert_int_equal(run(NULL, "--db", db, "export", NULL), 2);
    assert_int_equal(run(NULL, "--db", db, "export", "owners", NULL), 2);
    assert_int_equal(run(NULL, "--db", db, "export", "receipts", "x.csv", NULL), 2);
    /* A missing file, a folder. */
    assert_int_equal(run(NULL, "--db", db, "import", "owners", gj_test_path(dir, "none.csv"), NULL),
                     1);
    assert_true(strncmp(gj_test_err, "guanjia: import: ", 17) == 0);
    assert_non_null(strstr(gj_test_err, "no such file or folder"));
    assert_int_equal(run(NULL, "--db", db, "import", "owners", dir, NULL), 1);
    assert_non_null(strstr(gj_test_err, "not a regular file"));
    /* No database. */
    assert_int_equal(run(NULL, "--db", gj_test_path(dir, "none.db"), "import", "owners",
                         fixture("owners_zh.csv"), NULL),
                     1);
    assert_non_null(strstr(gj_test_err, "no such file"));
    struct stat st;
    assert_int_not_equal(stat(gj_test_path(dir, "none.db"), &st), 0);
    /* Export into a folder that does not exist: nothing is left behind. */
    assert_int_equal(
        run(NULL, "--db", db, "export", "owners", gj_test_path(dir, "no/out.csv"), NULL), 1);
    assert_true(strncmp(gj_test_err, "guanjia: export: ", 17) == 0);
    /* Onto a folder: the rename fails, the temp file is removed. */
    assert_int_equal(mkdir(gj_test_path(dir, "sub"), 0700), 0);
    assert_int_equal(run(NULL, "--db", db, "export", "owners", gj_test_path(dir, "sub"), NULL), 1);
    assert_non_null(strstr(gj_test_err, "nothing was written"));
    assert_int_equal(gj_test_count_files(dir, "sub"), 1);
    /* The commands are in --help. */
    assert_int_equal(run(NULL, "--help", NULL), 0);
    assert_non_null(strstr(gj_test_out, "import"));
    assert_non_null(strstr(gj_test_out, "owners|bills FILE [--dry-run]"));
    assert_non_null(strstr(gj_test_out, "export"));
    gj_test_rmtree(dir);
}

static void test_export_round_trip(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db1[512], db2[512], csv1[512], csv2[512];
    snprintf(db1, sizeof db1, "%s", gj_test_path(dir, "one.db"));
    snprintf(db2, sizeof db2, "%s", gj_test_path(dir, "two.db"));
    snprintf(csv1, sizeof csv1, "%s", gj_test_path(dir, "one.csv"));
    snprintf(csv2, sizeof csv2, "%s", gj_test_path(dir, "two.csv"));
    new_db(db1);
    new_db(db2);
    const char *files[] = {"owners_zh.csv", "owners_en_bom.csv", "owners_gbk.csv"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(run(NULL, "--db", db1, "import", "owners", fixture(files[i]), NULL), 0);
    assert_int_equal(run(NULL, "--db", db1, "export", "owners", csv1, NULL), 0);
    assert_non_null(strstr(gj_test_out, "one.csv: links written: 8\n"));
    size_t len;
    char *text = gj_test_slurp(csv1, &len);
    assert_non_null(text);
    /* BOM, English header, CRLF, sorted by unit; quotes where needed. */
    const char *head = "\xEF\xBB\xBFunit,name,phone,phone2,relation,area,start date,id_number,"
                       "notes\r\n"
                       "1-1-101,曾单,13500135000,,owner,95.00,,,曾经的业主\r\n"
                       "1-1-101,张小宝,,,family,95.00,,,\r\n"
                       "2-1-1201,赵六,13600136000,,owner,120.00,2019-03-15,11010519491231002X,"
                       "\"备注含\"\"引号\"\"\n和换行\"\r\n";
    assert_true(strncmp(text, head, strlen(head)) == 0);
    struct stat st;
    assert_int_equal(stat(csv1, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    free(text);
    assert_int_equal(gj_test_count_files(dir, "one.csv"), 1); /* no temp file left */

    /* Into a fresh database, then out again: the same file. */
    assert_int_equal(run(NULL, "--db", db2, "import", "owners", csv1, NULL), 0);
    assert_non_null(
        strstr(gj_test_out, "units created: 4, persons created: 8, links added: 8, unchanged: 0"));
    assert_int_equal(run(NULL, "--db", db2, "export", "owners", csv2, NULL), 0);
    assert_true(gj_test_same_file(csv1, csv2));
    /* Exporting again over the old file replaces it. */
    assert_int_equal(run(NULL, "--db", db2, "export", "owners", csv2, NULL), 0);
    assert_true(gj_test_same_file(csv1, csv2));

    /* In Chinese: Chinese header and relations, which import reads too. */
    assert_int_equal(run(NULL, "--lang", "zh_CN", "--db", db1, "export", "owners", csv1, NULL), 0);
    text = gj_test_slurp(csv1, &len);
    assert_non_null(text);
    assert_non_null(strstr(text, "\xEF\xBB\xBF房号,姓名,电话,电话2,身份,面积,入住日期,身份证号,"
                                 "备注\r\n1-1-101,曾单,13500135000,,业主,95.00"));
    assert_non_null(strstr(text, "租户"));
    assert_non_null(strstr(text, "家属"));
    free(text);
    assert_int_equal(run(NULL, "--db", db2, "import", "owners", csv1, NULL), 0);
    assert_non_null(
        strstr(gj_test_out, "units created: 0, persons created: 0, links added: 0, unchanged: 8"));
    gj_test_rmtree(dir);
}

static void test_demo_round_trip(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db1[512], db2[512], csv1[512], csv2[512];
    snprintf(db1, sizeof db1, "%s", gj_test_path(dir, "demo.db"));
    snprintf(db2, sizeof db2, "%s", gj_test_path(dir, "fresh.db"));
    snprintf(csv1, sizeof csv1, "%s", gj_test_path(dir, "demo.csv"));
    snprintf(csv2, sizeof csv2, "%s", gj_test_path(dir, "fresh.csv"));
    assert_int_equal(run(NULL, "--db", db1, "demo", NULL), 0);
    new_db(db2);
    assert_int_equal(run(NULL, "--db", db1, "export", "owners", csv1, NULL), 0);
    long long links = count(db1, "SELECT count(*) FROM unit_persons WHERE end_at IS NULL");
    char want[128];
    snprintf(want, sizeof want, "links written: %lld\n", links);
    assert_non_null(strstr(gj_test_out, want));
    assert_int_equal(run(NULL, "--db", db2, "import", "owners", csv1, NULL), 0);
    snprintf(want, sizeof want, "links added: %lld, unchanged: 0", links);
    assert_non_null(strstr(gj_test_out, want));
    assert_int_equal(run(NULL, "--db", db2, "export", "owners", csv2, NULL), 0);
    assert_true(gj_test_same_file(csv1, csv2));
    /* The same links, unit by unit. */
    assert_int_equal(count(db2, "SELECT count(*) FROM unit_persons"), links);
    assert_int_equal(run(NULL, "--db", db2, "check", NULL), 0);
    gj_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_english_and_chinese),
        cmocka_unit_test(test_header_problems),
        cmocka_unit_test_setup(test_row_good, setup_clock),
        cmocka_unit_test_setup(test_row_problems, setup_clock),
        cmocka_unit_test_setup(test_area_and_date, setup_clock),
        cmocka_unit_test(test_import_and_reimport),
        cmocka_unit_test(test_all_or_nothing),
        cmocka_unit_test(test_conflicts_with_records),
        cmocka_unit_test(test_header_and_file_problems),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_export_round_trip),
        cmocka_unit_test(test_demo_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, gj_test_cmd_teardown);
}
