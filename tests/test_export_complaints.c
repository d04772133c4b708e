/* guanjia export complaints FILE, through the binary: the header in both
 * languages, one record per complaint in the database, every column of a
 * known complaint (unit code, the complainant's name or else the unit's
 * owner, codes, local times, empty cells for what has not happened), a
 * field with a comma, quotes and a line break written so that it reads
 * back the same, and refusals that leave no file behind. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/clock.h"
#include "guanjia/csv.h"
#include "guanjia/db.h"
#include "guanjia/repo_complaints.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* run(env, arguments..., NULL) */
#define run(env, ...) gj_test_cmd(env, NULL, __VA_ARGS__)

static void text_of(sqlite3 *h, const char *sql, int64_t id, char *out, size_t outsz)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    sqlite3_bind_int64(st, 1, id);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(out, outsz, "%s", t ? (const char *)t : "");
    sqlite3_finalize(st);
}

/* The CSV file as records: each record's fields joined by '\x1F', in a
 * NULL-terminated array; the caller frees with free_records. */
static char **read_records(const char *path, int *count)
{
    size_t len = 0;
    char *raw = gj_test_slurp(path, &len);
    assert_non_null(raw);
    assert_true(len > 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0); /* a BOM for spreadsheets */
    char *text = NULL;
    size_t tlen = 0;
    struct gj_error err;
    long line = 0;
    if (gj_csv_to_utf8(raw, len, &text, &tlen, NULL, &line, &err) != GJ_OK)
        fail_msg("%s:%ld: %s", path, line, err.msg);
    free(raw);
    struct gj_csv_reader r;
    gj_csv_reader_init(&r, text, tlen);
    int cap = 64, n = 0;
    char **recs = malloc((size_t)cap * sizeof *recs);
    assert_non_null(recs);
    int rc;
    while ((rc = gj_csv_next(&r, &err)) == GJ_OK) {
        size_t need = 1;
        for (size_t i = 0; i < r.nfields; i++)
            need += strlen(r.fields[i]) + 1;
        char *rec = calloc(1, need);
        assert_non_null(rec);
        for (size_t i = 0; i < r.nfields; i++) {
            if (i)
                strcat(rec, "\x1F");
            strcat(rec, r.fields[i]);
        }
        if (n + 1 >= cap) {
            cap *= 2;
            recs = realloc(recs, (size_t)cap * sizeof *recs);
            assert_non_null(recs);
        }
        recs[n++] = rec;
    }
    if (rc != GJ_ENOTFOUND)
        fail_msg("%s:%ld: %s", path, r.line, err.msg);
    gj_csv_reader_free(&r);
    free(text);
    recs[n] = NULL;
    *count = n;
    return recs;
}

static void free_records(char **recs)
{
    for (int i = 0; recs[i]; i++)
        free(recs[i]);
    free(recs);
}

/* Field k (0-based) of a joined record, into out. */
static void field(const char *rec, int k, char *out, size_t outsz)
{
    const char *p = rec;
    for (int i = 0; i < k; i++) {
        p = strchr(p, '\x1F');
        assert_non_null(p);
        p++;
    }
    const char *end = strchr(p, '\x1F');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    assert_true(n < outsz);
    memcpy(out, p, n);
    out[n] = '\0';
}

static int count_fields(const char *rec)
{
    int n = 1;
    for (const char *p = rec; *p; p++)
        n += *p == '\x1F';
    return n;
}

static const char *record_of(char **recs, int64_t id)
{
    char want[32], got[32];
    snprintf(want, sizeof want, "%lld", (long long)id);
    for (int i = 1; recs[i]; i++) {
        field(recs[i], 0, got, sizeof got);
        if (strcmp(got, want) == 0)
            return recs[i];
    }
    fail_msg("no record for complaint %lld", (long long)id);
    return NULL;
}

static void when(int64_t t, char *out, size_t outsz)
{
    if (t)
        gj_format_datetime(t, out, outsz);
    else
        out[0] = '\0';
}

#define SUBJECT "门禁坏了, 请\"尽快\"处理"
#define DETAIL  "第一行，有逗号, 和\"引号\"\n第二行"
#define CAUSE   " 巡查不到位"

/* Complaint quoted gets text that needs quoting; complaint unnamed loses
 * its complainant, so that the unit's owner is named instead. */
static void edit_complaints(const char *db_path, int64_t quoted, int64_t unnamed)
{
    struct gj_error err;
    struct gj_db *db = NULL;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    if (gj_db_open(db_path, 0, &db, &err) != GJ_OK)
        fail_msg("open: %s", err.msg);
    struct gj_complaint *c = calloc(1, sizeof *c);
    assert_non_null(c);
    assert_int_equal(gj_complaint_get(db, quoted, c, &err), GJ_OK);
    strcpy(c->subject, SUBJECT);
    strcpy(c->detail, DETAIL);
    strcpy(c->root_cause, CAUSE);
    if (gj_complaint_update(db, 0, c, &err) != GJ_OK)
        fail_msg("update: %s", err.msg);
    assert_int_equal(gj_complaint_get(db, unnamed, c, &err), GJ_OK);
    assert_true(c->unit_id > 0 && c->person_id > 0);
    c->person_id = 0;
    if (gj_complaint_update(db, 0, c, &err) != GJ_OK)
        fail_msg("update: %s", err.msg);
    free(c);
    gj_db_close(db);
}

static const char *const en_header[] = {
    "id",         "unit",      "owner",        "channel",    "category",
    "grade",      "level",     "state",        "subject",    "detail",
    "created",    "ack_by",    "acknowledged", "resolve_by", "resolved",
    "revisit_by", "revisited", "satisfaction", "root_cause", "corrective_action"};
enum { NCOLS = (int)(sizeof en_header / sizeof en_header[0]) };

/* Every column of complaint id, as the database holds it. */
static void check_record(sqlite3 *h, const char *rec, int64_t id)
{
    char want[4096], got[4096];
    assert_int_equal(count_fields(rec), NCOLS);
    text_of(h,
            "SELECT u.building || '-' || u.entrance || '-' || u.room FROM complaints c "
            "JOIN units u ON u.id = c.unit_id WHERE c.id = ?",
            id, want, sizeof want);
    field(rec, 1, got, sizeof got);
    assert_string_equal(got, want);
    text_of(h,
            "SELECT coalesce(p.name, (SELECT o.name FROM unit_persons l JOIN persons o "
            "ON o.id = l.person_id WHERE l.unit_id = c.unit_id AND l.relation = 'owner' "
            "AND l.end_at IS NULL ORDER BY l.id LIMIT 1), '') FROM complaints c "
            "LEFT JOIN persons p ON p.id = c.person_id WHERE c.id = ?",
            id, want, sizeof want);
    field(rec, 2, got, sizeof got);
    assert_string_equal(got, want);
    static const char *const text_cols[][2] = {{"channel", "3"},
                                               {"category", "4"},
                                               {"grade", "5"},
                                               {"level", "6"},
                                               {"state", "7"},
                                               {"subject", "8"},
                                               {"detail", "9"},
                                               {"root_cause", "18"},
                                               {"coalesce(corrective_action, '')", "19"},
                                               {"coalesce(satisfaction, '')", "17"}};
    for (size_t i = 0; i < sizeof text_cols / sizeof text_cols[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT coalesce(%s, '') FROM complaints WHERE id = ?",
                 text_cols[i][0]);
        text_of(h, sql, id, want, sizeof want);
        field(rec, atoi(text_cols[i][1]), got, sizeof got);
        assert_string_equal(got, want);
    }
    static const char *const time_cols[][2] = {{"created_at", "10"},      {"ack_due_at", "11"},
                                               {"acknowledged_at", "12"}, {"resolve_due_at", "13"},
                                               {"resolved_at", "14"},     {"revisit_due_at", "15"},
                                               {"revisited_at", "16"}};
    for (size_t i = 0; i < sizeof time_cols / sizeof time_cols[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT coalesce(%s, 0) FROM complaints WHERE id = ?",
                 time_cols[i][0]);
        when(gj_test_scalar(h, sql, id), want, sizeof want);
        field(rec, atoi(time_cols[i][1]), got, sizeof got);
        assert_string_equal(got, want);
    }
}

static void test_export_complaints(void **state)
{
    (void)state;
    setenv("TZ", "CST-8", 1); /* as the binary sees it under ctest */
    const char *dir = gj_test_tmpdir();
    char db[600], csv[600];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "c.db"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "complaints.csv"));
    assert_int_equal(run(gj_test_fixed_now, "--db", db, "demo", NULL), 0);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    /* Two complaints by a named person about a unit with a current owner. */
    const char *named = "SELECT min(c.id) FROM complaints c WHERE c.id > ? AND c.person_id IS "
                        "NOT NULL AND EXISTS (SELECT 1 FROM unit_persons l WHERE l.unit_id = "
                        "c.unit_id AND l.relation = 'owner' AND l.end_at IS NULL)";
    int64_t quoted = gj_test_scalar(h, named, 0);
    int64_t unnamed = gj_test_scalar(h, named, quoted);
    assert_true(quoted > 0 && unnamed > quoted);
    char owner[256];
    text_of(h,
            "SELECT o.name FROM complaints c JOIN unit_persons l ON l.unit_id = c.unit_id "
            "JOIN persons o ON o.id = l.person_id WHERE c.id = ? AND l.relation = 'owner' "
            "AND l.end_at IS NULL ORDER BY l.id LIMIT 1",
            unnamed, owner, sizeof owner);
    char complainant[256];
    text_of(h,
            "SELECT p.name FROM complaints c JOIN persons p ON p.id = c.person_id WHERE c.id = ?",
            quoted, complainant, sizeof complainant);
    sqlite3_close(h);
    edit_complaints(db, quoted, unnamed);

    assert_int_equal(run(gj_test_fixed_now, "--db", db, "export", "complaints", csv, NULL), 0);
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int64_t total = gj_test_scalar(h, "SELECT count(*) FROM complaints", 0);
    assert_true(total > 16); /* more than one page */
    char said[128];
    snprintf(said, sizeof said, "complaints written: %lld\n", (long long)total);
    assert_non_null(strstr(gj_test_out, said));
    struct stat st;
    assert_int_equal(stat(csv, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600); /* names: for its owner only */

    int n = 0;
    char **recs = read_records(csv, &n);
    assert_int_equal(n, total + 1); /* the header, then one per complaint */
    char head[1024] = "";
    for (int i = 0; i < NCOLS; i++) {
        if (i)
            strcat(head, "\x1F");
        strcat(head, en_header[i]);
    }
    assert_string_equal(recs[0], head);
    /* By id, each once. */
    for (int i = 1; i <= total; i++) {
        char got[32], want[32];
        field(recs[i], 0, got, sizeof got);
        snprintf(want, sizeof want, "%d", i);
        assert_string_equal(got, want);
    }
    /* The edited text reads back exactly. */
    const char *r1 = record_of(recs, quoted);
    char got[4096];
    field(r1, 2, got, sizeof got);
    assert_string_equal(got, complainant);
    field(r1, 8, got, sizeof got);
    assert_string_equal(got, SUBJECT);
    field(r1, 9, got, sizeof got);
    assert_string_equal(got, DETAIL);
    field(r1, 18, got, sizeof got);
    assert_string_equal(got, CAUSE);
    check_record(h, r1, quoted);
    const char *r2 = record_of(recs, unnamed);
    check_record(h, r2, unnamed);
    field(r2, 2, got, sizeof got); /* no complainant: the unit's owner */
    assert_string_equal(got, owner);
    /* An open complaint (the demo's newest): nothing acknowledged yet. */
    int64_t open_id = gj_test_scalar(h, "SELECT max(id) FROM complaints WHERE state = 'open'", 0);
    const char *ro = record_of(recs, open_id);
    check_record(h, ro, open_id);
    field(ro, 12, got, sizeof got);
    assert_string_equal(got, "");
    field(ro, 17, got, sizeof got);
    assert_string_equal(got, "");
    /* A closed one: every time and the score. */
    int64_t closed_id =
        gj_test_scalar(h, "SELECT min(id) FROM complaints WHERE state = 'closed'", 0);
    check_record(h, record_of(recs, closed_id), closed_id);
    free_records(recs);
    sqlite3_close(h);

    /* As written on disk: quoted, quotes doubled, the line break kept. */
    size_t len = 0;
    char *raw = gj_test_slurp(csv, &len);
    assert_non_null(strstr(raw, ",\"门禁坏了, 请\"\"尽快\"\"处理\","));
    assert_non_null(strstr(raw, ",\"第一行，有逗号, 和\"\"引号\"\"\n第二行\","));
    assert_non_null(strstr(raw, ",\" 巡查不到位\","));
    assert_non_null(strstr(raw, "corrective_action\r\n1,"));
    free(raw);

    /* The header follows the language. */
    assert_int_equal(
        run(gj_test_fixed_now, "--lang", "zh_CN", "--db", db, "export", "complaints", csv, NULL),
        0);
    raw = gj_test_slurp(csv, &len);
    assert_non_null(strstr(raw, "\xEF\xBB\xBF投诉编号,房号,业主,渠道,类别,等级"));
    free(raw);
    assert_int_equal(gj_test_count_files(dir, "complaints.csv"), 1); /* no temp file left */
    gj_test_rmtree(dir);
}

static void test_refusals_leave_no_file(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char db[600], bad[700], folder[700], csv[700];
    snprintf(db, sizeof db, "%s", gj_test_path(dir, "c.db"));
    snprintf(bad, sizeof bad, "%s", gj_test_path(dir, "missing/out.csv"));
    snprintf(folder, sizeof folder, "%s", gj_test_path(dir, "sub"));
    snprintf(csv, sizeof csv, "%s", gj_test_path(dir, "keep.csv"));
    assert_int_equal(run(gj_test_fixed_now, "--db", db, "demo", NULL), 0);

    /* A folder that does not exist: nothing can be written there. */
    assert_int_equal(run(gj_test_fixed_now, "--db", db, "export", "complaints", bad, NULL), 1);
    assert_true(strncmp(gj_test_err, "guanjia: export: ", 17) == 0);
    assert_true(gj_test_one_line(gj_test_err));
    assert_non_null(strstr(gj_test_err, "missing/out.csv"));
    struct stat st;
    assert_int_not_equal(stat(bad, &st), 0);
    assert_int_equal(gj_test_count_files(dir, "missing"), 0);

    /* Onto a folder: the rename fails and the temporary file goes too. */
    assert_int_equal(mkdir(folder, 0700), 0);
    assert_int_equal(run(gj_test_fixed_now, "--db", db, "export", "complaints", folder, NULL), 1);
    assert_true(strncmp(gj_test_err, "guanjia: export: ", 17) == 0);
    assert_true(gj_test_one_line(gj_test_err));
    assert_non_null(strstr(gj_test_err, "nothing was written"));
    assert_int_equal(gj_test_count_files(dir, "sub"), 1);

    /* A database that cannot be read leaves an existing file as it was. */
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("old\n", f);
    fclose(f);
    const char *missing_db = gj_test_path(dir, "none.db");
    assert_int_equal(run(gj_test_fixed_now, "--db", missing_db, "export", "complaints", csv, NULL),
                     1);
    assert_true(gj_test_one_line(gj_test_err));
    size_t len = 0;
    char *kept = gj_test_slurp(csv, &len);
    assert_string_equal(kept, "old\n");
    free(kept);
    assert_int_equal(gj_test_count_files(dir, "keep.csv"), 1);
    assert_int_not_equal(stat(missing_db, &st), 0);

    /* Usage: what may be exported is named. */
    assert_int_equal(run(gj_test_fixed_now, "--db", db, "export", NULL), 2);
    assert_non_null(strstr(gj_test_err, "complaints"));
    assert_int_equal(run(gj_test_fixed_now, "--db", db, "export", "receipts", csv, NULL), 2);
    assert_non_null(strstr(gj_test_err, "owners, workorders, complaints, bills or payments"));
    assert_int_equal(run(gj_test_fixed_now, "--db", db, "export", "complaints", NULL), 2);
    assert_int_equal(run(NULL, "--help", NULL), 0);
    assert_non_null(strstr(gj_test_out, "owners|workorders|complaints|bills|payments FILE"));
    gj_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_complaints),
        cmocka_unit_test(test_refusals_leave_no_file),
    };
    return cmocka_run_group_tests(tests, NULL, gj_test_cmd_teardown);
}
