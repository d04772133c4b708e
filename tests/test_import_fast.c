/* `guanjia import owners` both ways (repo_owner_import.h): the fast path
 * (look-ups in memory, the insert triggers lifted and their rows written
 * afterwards for all the new rows) and the console's own calls, one line
 * at a time (GUANJIA_IMPORT_PER_ROW=1), on two copies of the demo estate.
 * Every unit, person, link, search key, audit row and the schema itself
 * must come out the same, and so must a refused import's report. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "guanjia/error.h"
#include "guanjia/import_owners.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *demo_dir;
static char demo_path[512];

static const char *const fast_env[] = {"GUANJIA_NOW=2026-11-29T09:00", NULL};
static const char *const per_row_env[] = {"GUANJIA_NOW=2026-11-29T09:00",
                                          "GUANJIA_IMPORT_PER_ROW=1", NULL};

static int setup(void **state)
{
    (void)state;
    return gj_test_demo_db(&demo_dir, demo_path, sizeof demo_path);
}

static int teardown(void **state)
{
    gj_test_rmtree(demo_dir);
    return gj_test_cmd_teardown(state);
}

/* Every row of sql on the file at path, as text: columns by '|', rows by
 * newlines (malloc'd). */
static char *dump(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    size_t len = 0, cap = 4096;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            const char *s = v ? v : "NULL";
            size_t k = strlen(s) + 2;
            if (len + k + 1 > cap) {
                cap = (len + k + 1) * 2;
                out = realloc(out, cap);
                assert_non_null(out);
            }
            len += (size_t)snprintf(out + len, cap - len, "%s%c", s,
                                    i + 1 < sqlite3_column_count(st) ? '|' : '\n');
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

static const char *const compared[] = {
    "SELECT * FROM units ORDER BY id",
    "SELECT * FROM persons ORDER BY id",
    "SELECT * FROM unit_persons ORDER BY id",
    "SELECT * FROM person_search_keys ORDER BY key, person_id",
    /* The same rows; the fast path writes them grouped by table. */
    "SELECT at, user_id, action, entity, entity_id, old_values, new_values FROM audit_log "
    "ORDER BY entity, entity_id, id",
    "SELECT count(*) FROM audit_log",
    "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name",
};

static void assert_same_data(const char *a, const char *b)
{
    for (size_t i = 0; i < sizeof compared / sizeof compared[0]; i++) {
        char *x = dump(a, compared[i]), *y = dump(b, compared[i]);
        if (strcmp(x, y) != 0)
            fail_msg("differs: %s", compared[i]);
        free(x);
        free(y);
    }
}

/* A text of sql's first row's first column on the file at path. */
static void text_of(const char *path, const char *sql, char *out, size_t outsz)
{
    char *s = dump(path, sql);
    char *nl = strpbrk(s, "|\n");
    if (nl)
        *nl = '\0';
    snprintf(out, outsz, "%s", s);
    free(s);
}

/* Lines that exercise every look-up: new units, a person found again by
 * phone and by phone2, by name in a unit created by the same file and in
 * a unit on record, links already there, id numbers (masked in the audit
 * log), dates in both spellings, names with several readings. */
static void write_edges_csv(const char *csv)
{
    char p1[256], p2[256], code1[64], code2[64];
    /* A current owner on record whose phone is his alone. */
    const char *q1 = "SELECT p.name || ',' || p.phone FROM persons p JOIN unit_persons l ON "
                     "l.person_id = p.id AND l.end_at IS NULL WHERE p.phone IS NOT NULL AND "
                     "p.archived = 0 AND l.relation = 'owner' AND (SELECT count(*) FROM persons "
                     "q WHERE q.phone = p.phone OR q.phone2 = p.phone) = 1 ORDER BY p.id LIMIT 1";
    const char *c1 = "SELECT u.building || '-' || u.entrance || '-' || u.room FROM persons p JOIN "
                     "unit_persons l ON l.person_id = p.id AND l.end_at IS NULL JOIN units u ON "
                     "u.id = l.unit_id WHERE p.phone IS NOT NULL AND p.archived = 0 AND "
                     "l.relation = 'owner' AND (SELECT count(*) FROM persons q WHERE q.phone = "
                     "p.phone OR q.phone2 = p.phone) = 1 ORDER BY p.id LIMIT 1";
    /* A resident of another unit, the only one of that name there. */
    const char *q2 = "SELECT p.name FROM persons p JOIN unit_persons l ON l.person_id = p.id AND "
                     "l.end_at IS NULL WHERE l.relation <> 'owner' AND (SELECT count(*) FROM "
                     "unit_persons m JOIN persons r ON r.id = m.person_id WHERE m.unit_id = "
                     "l.unit_id AND m.end_at IS NULL AND r.name = p.name) = 1 ORDER BY p.id DESC "
                     "LIMIT 1";
    const char *c2 = "SELECT u.building || '-' || u.entrance || '-' || u.room FROM persons p JOIN "
                     "unit_persons l ON l.person_id = p.id AND l.end_at IS NULL JOIN units u ON "
                     "u.id = l.unit_id WHERE l.relation <> 'owner' AND (SELECT count(*) FROM "
                     "unit_persons m JOIN persons r ON r.id = m.person_id WHERE m.unit_id = "
                     "l.unit_id AND m.end_at IS NULL AND r.name = p.name) = 1 ORDER BY p.id DESC "
                     "LIMIT 1";
    text_of(demo_path, q1, p1, sizeof p1);
    text_of(demo_path, c1, code1, sizeof code1);
    text_of(demo_path, q2, p2, sizeof p2);
    text_of(demo_path, c2, code2, sizeof code2);
    assert_true(strchr(p1, ',') != NULL && p2[0] && code1[0] && code2[0]);

    char text[4096];
    snprintf(text, sizeof text,
             "unit,name,phone,phone2,relation,area,start date,id number,notes\n"
             "88-1-101,新人甲,13900000001,,owner,88.5,2024-05-01,110101199001011237,新业主\n"
             "88-1-101,新人乙,13900000002,13900000003,tenant,,2024/05/02,,\n"
             "88-1-101,小孩,,,family,,,,\n"
             "88-1-101,小孩,,,family,,,,\n"
             "\n"
             "88-1-102,新人乙,13900000003,,owner,90,,,\n"
             "88-1-102,新人乙,13900000002,,owner,,,,\n"
             "%s,%s,,owner,,,,\n"
             "%s,%s,,tenant,,,,\n"
             "88-1-103,%s,,owner,70,2024.06.01,,\n"
             "%s,%s,,,family,,,,\n"
             "%s,%s,,,tenant,,,,\n"
             "%s,全新,13900000009,,family,,,,\n"
             "88-2-201,欧阳小明,13900000010,,owner,100.25,2024-05-01,,\n"
             "88-2-201,曾单,,,family,,,,\n"
             "88-2-201,曾单,,,tenant,,,,\n"
             "88-2-202,曾单,,,owner,60,,,\n",
             code1, p1, code1, p1, p1, code2, p2, code2, p2, code2);
    gj_test_write_text(csv, text);
}

/* The id of the audit row of the first insert into entity after the demo. */
static int64_t first_audit(const char *path, const char *entity)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT min(id) FROM audit_log WHERE action = 'insert' AND entity = '%s'", entity);
    return gj_test_scalar_file(path, sql);
}

static void test_same_rows_both_ways(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char fast[600], slow[600], csv[600];
    snprintf(fast, sizeof fast, "%s/fast.db", dir);
    snprintf(slow, sizeof slow, "%s/slow.db", dir);
    snprintf(csv, sizeof csv, "%s/owners.csv", dir);
    assert_int_equal(gj_test_copy_file(demo_path, fast), 0);
    assert_int_equal(gj_test_copy_file(demo_path, slow), 0);
    write_edges_csv(csv);
    int64_t audit_before = gj_test_scalar_file(fast, "SELECT count(*) FROM audit_log");

    int rc = gj_test_cmd(fast_env, NULL, "--db", fast, "import", "owners", csv, NULL);
    if (rc != 0)
        fail_msg("fast: %s", gj_test_err);
    char *fast_out = strdup(gj_test_out);
    assert_int_equal(gj_test_cmd(per_row_env, NULL, "--db", slow, "import", "owners", csv, NULL),
                     0);
    assert_string_equal(fast_out, gj_test_out);
    /* 5 units, 7 persons; the repeated lines and the links on record are
     * unchanged. */
    assert_non_null(strstr(fast_out, "units created: 5, persons created: 7,"));
    assert_non_null(strstr(fast_out, "links added: 12, unchanged: 4"));
    free(fast_out);

    assert_same_data(fast, slow);
    /* Both ways were taken: one line at a time, a unit's audit row comes
     * before the first link's; the fast path writes all units first. */
    assert_true(first_audit(slow, "unit_persons") <
                gj_test_scalar_file(slow, "SELECT max(id) FROM audit_log "
                                          "WHERE entity = 'units'"));
    assert_true(first_audit(fast, "unit_persons") >
                gj_test_scalar_file(fast, "SELECT max(id) FROM audit_log WHERE entity = 'units'"));
    /* Every row written has its audit row. */
    assert_int_equal(gj_test_scalar_file(fast, "SELECT count(*) FROM audit_log") - audit_before,
                     5 + 7 + 12);
    /* Search keys of a name with several readings, and the id number
     * masked in the log. */
    assert_int_equal(gj_test_scalar_file(fast, "SELECT count(*) FROM person_search_keys k JOIN "
                                               "persons p ON p.id = k.person_id WHERE p.name = "
                                               "'曾单' AND k.key IN ('zd', 'zs', 'cd', 'cs') AND "
                                               "p.id > (SELECT max(id) - 7 FROM persons)"),
                     2 * 4);
    assert_int_equal(gj_test_scalar_file(fast, "SELECT count(*) FROM audit_log WHERE entity = "
                                               "'persons' AND new_values LIKE "
                                               "'%\"110101********1237\"%'"),
                     1);
    /* The derived data agrees with the rows. */
    assert_int_equal(gj_test_cmd(fast_env, NULL, "--db", fast, "check", NULL), 0);

    /* The same file again: nothing new either way. */
    assert_int_equal(gj_test_cmd(fast_env, NULL, "--db", fast, "import", "owners", csv, NULL), 0);
    fast_out = strdup(gj_test_out);
    assert_int_equal(gj_test_cmd(per_row_env, NULL, "--db", slow, "import", "owners", csv, NULL),
                     0);
    assert_string_equal(fast_out, gj_test_out);
    assert_non_null(strstr(fast_out, "units created: 0, persons created: 0, links added: 0"));
    free(fast_out);
    assert_same_data(fast, slow);
    gj_test_rmtree(dir);
}

static void test_refused_both_ways(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char fast[600], slow[600], csv[600], text[2048], p1[256];
    snprintf(fast, sizeof fast, "%s/fast.db", dir);
    snprintf(slow, sizeof slow, "%s/slow.db", dir);
    snprintf(csv, sizeof csv, "%s/bad.csv", dir);
    assert_int_equal(gj_test_copy_file(demo_path, fast), 0);
    assert_int_equal(gj_test_copy_file(demo_path, slow), 0);
    text_of(demo_path, "SELECT phone FROM persons WHERE phone IS NOT NULL ORDER BY id LIMIT 1", p1,
            sizeof p1);
    /* A phone on record under another name; the phone of a person this
     * file created, under another name; a new unit without its area;
     * between good lines. */
    snprintf(text, sizeof text,
             "unit,name,phone,relation,area\n"
             "88-1-101,新人甲,13900000001,owner,88\n"
             "88-1-101,别人,%s,tenant,\n"
             "88-1-102,新人乙,13900000001,owner,90\n"
             "88-1-103,新人丙,13900000004,owner,\n"
             "88-1-101,新人丁,13900000005,family,\n",
             p1);
    gj_test_write_text(csv, text);
    char *before = dump(fast, "SELECT type, name, sql FROM sqlite_schema ORDER BY name");

    int rc = gj_test_cmd(fast_env, NULL, "--db", fast, "import", "owners", csv, NULL);
    assert_int_equal(rc, 1);
    char *fast_err = strdup(gj_test_err), *fast_out = strdup(gj_test_out);
    assert_int_equal(gj_test_cmd(per_row_env, NULL, "--db", slow, "import", "owners", csv, NULL),
                     1);
    assert_string_equal(fast_err, gj_test_err);
    assert_string_equal(fast_out, gj_test_out);
    assert_non_null(strstr(fast_err, "nothing was saved (problems: 3; lines with problems: 3)"));
    free(fast_err);
    free(fast_out);

    /* Nothing was written, and the lifted triggers are back. */
    assert_same_data(fast, slow);
    assert_same_data(fast, demo_path);
    char *after = dump(fast, "SELECT type, name, sql FROM sqlite_schema ORDER BY name");
    assert_string_equal(before, after);
    free(before);
    free(after);

    /* A dry run of a good file: counted the same, nothing written. */
    gj_test_write_text(csv, "unit,name,phone,relation,area\n"
                            "88-1-101,新人甲,13900000001,owner,88\n"
                            "88-1-101,新人乙,,tenant,\n");
    assert_int_equal(
        gj_test_cmd(fast_env, NULL, "--db", fast, "import", "owners", csv, "--dry-run", NULL), 0);
    fast_out = strdup(gj_test_out);
    assert_int_equal(
        gj_test_cmd(per_row_env, NULL, "--db", slow, "import", "owners", csv, "--dry-run", NULL),
        0);
    assert_string_equal(fast_out, gj_test_out);
    assert_non_null(strstr(fast_out, "units to create: 1, persons to create: 2"));
    free(fast_out);
    assert_same_data(fast, demo_path);
    gj_test_rmtree(dir);
}

/* The last date converted is kept (gj_import_date_parse): with the time
 * zone it was converted in, and only for the same text. */
static void test_date_kept_per_zone(void **state)
{
    (void)state;
    struct gj_error err;
    int64_t a = 0, b = 0, c = 0, d = 0;
    char *saved = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    setenv("TZ", "CST-8", 1);
    tzset();
    assert_int_equal(gj_import_date_parse("2024-05-01", &a, &err), GJ_OK);
    assert_int_equal(gj_import_date_parse("2024-05-01", &b, &err), GJ_OK);
    assert_int_equal(a, b);
    setenv("TZ", "UTC0", 1);
    tzset();
    assert_int_equal(gj_import_date_parse("2024-05-01", &c, &err), GJ_OK);
    assert_int_equal(c, a + 8 * 3600);
    assert_int_equal(gj_import_date_parse("2024/05/02", &d, &err), GJ_OK);
    assert_int_equal(d, c + 86400);
    /* A bad date after a good one is still refused. */
    assert_int_equal(gj_import_date_parse("2024-02-30", &d, &err), GJ_EINVAL);
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_rows_both_ways),
        cmocka_unit_test(test_refused_both_ways),
        cmocka_unit_test(test_date_kept_per_zone),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
