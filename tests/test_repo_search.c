/* repo/search.c: the Owners screen's search, and migration 2 (search keys). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_search.h"
#include "guanjia/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HITS 64

/* The little estate of most tests. */
struct estate {
    struct gj_db *db;
    int64_t u_3_2_501, u_1_1_501, u_4_1_501, u_5_1_501, u_3_2_5012, u_1_1_101, u_2_1_1201,
        u_3_1_502;
    int64_t zhangsan, zengdan, shantianfang, lisi, wangwu, zhaoliu, zhangsanfeng;
};

static int64_t make_unit(struct gj_db *db, int b, int e, int room)
{
    struct gj_unit u;
    memset(&u, 0, sizeof u);
    u.building = b;
    u.entrance = e;
    u.room = room;
    u.area_centi_m2 = 8937;
    u.delivered_at = gj_now();
    struct gj_error err;
    if (gj_unit_create(db, 0, &u, &err) != GJ_OK)
        fail_msg("unit %d-%d-%d: %s", b, e, room, err.msg);
    return u.id;
}

static int64_t make_person(struct gj_db *db, const char *name, const char *phone,
                           const char *phone2)
{
    struct gj_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    snprintf(p.phone, sizeof p.phone, "%s", phone ? phone : "");
    snprintf(p.phone2, sizeof p.phone2, "%s", phone2 ? phone2 : "");
    struct gj_error err;
    if (gj_person_create(db, 0, &p, &err) != GJ_OK)
        fail_msg("person %s: %s", name, err.msg);
    return p.id;
}

static struct gj_unit_person link_person(struct gj_db *db, int64_t unit, int64_t person,
                                         const char *relation)
{
    struct gj_unit_person l;
    memset(&l, 0, sizeof l);
    l.unit_id = unit;
    l.person_id = person;
    snprintf(l.relation, sizeof l.relation, "%s", relation);
    struct gj_error err;
    if (gj_unit_person_add(db, 0, &l, &err) != GJ_OK)
        fail_msg("link: %s", err.msg);
    return l;
}

static void archive_person(struct gj_db *db, int64_t id)
{
    struct gj_person p;
    struct gj_error err;
    assert_int_equal(gj_person_get(db, id, &p, &err), GJ_OK);
    p.archived = 1;
    assert_int_equal(gj_person_update(db, 0, &p, &err), GJ_OK);
}

static int setup(void **state)
{
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct estate *e = calloc(1, sizeof *e);
    struct gj_error err;
    if (!e || gj_db_open(":memory:", GJ_DB_CREATE, &e->db, &err) != GJ_OK)
        return -1;
    struct gj_db *db = e->db;
    e->u_5_1_501 = make_unit(db, 5, 1, 501);
    e->u_3_2_501 = make_unit(db, 3, 2, 501);
    e->u_1_1_501 = make_unit(db, 1, 1, 501);
    e->u_4_1_501 = make_unit(db, 4, 1, 501); /* nobody lives here */
    e->u_3_2_5012 = make_unit(db, 3, 2, 5012);
    e->u_1_1_101 = make_unit(db, 1, 1, 101);
    e->u_2_1_1201 = make_unit(db, 2, 1, 1201);
    e->u_3_1_502 = make_unit(db, 3, 1, 502);

    e->zhangsan = make_person(db, "张三", "13800138000", NULL);
    e->zengdan = make_person(db, "曾单", "13500135000", NULL);
    e->shantianfang = make_person(db, "单田芳", "13912345678", "13687651234");
    e->lisi = make_person(db, "李四", "13900139000", NULL); /* no unit */
    e->wangwu = make_person(db, "王五", "13700137000", NULL);
    e->zhaoliu = make_person(db, "赵六", "13600131201", NULL);
    e->zhangsanfeng = make_person(db, "张三丰", "13300133000", NULL);

    link_person(db, e->u_3_2_501, e->zhangsan, "owner");
    link_person(db, e->u_3_2_501, e->zhangsanfeng, "family");
    link_person(db, e->u_1_1_101, e->zengdan, "owner");
    link_person(db, e->u_5_1_501, e->shantianfang, "tenant");
    link_person(db, e->u_1_1_501, e->wangwu, "owner");
    link_person(db, e->u_2_1_1201, e->zhaoliu, "owner");
    link_person(db, e->u_3_2_5012, e->zhaoliu, "owner");
    /* 赵六 also lived in 3-2-501 once: an ended link is not shown. */
    struct gj_unit_person old = link_person(db, e->u_3_2_501, e->zhaoliu, "tenant");
    assert_int_equal(gj_unit_person_end(db, 0, &old, gj_now(), &err), GJ_OK);
    archive_person(db, e->wangwu);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct estate *e = *state;
    gj_db_close(e->db);
    free(e);
    return 0;
}

/* Searches for typed; the hits go into rows. */
static int search(struct gj_db *db, const char *typed, struct gj_owner_hit *rows)
{
    struct gj_search_query q;
    struct gj_error err;
    int n = -1;
    gj_search_classify(typed, &q);
    if (gj_owner_search(db, &q, MAX_HITS, rows, &n, &err) != GJ_OK)
        fail_msg("search \"%s\": %s", typed, err.msg);
    return n;
}

/* The hits as "unit person" lines, e.g. "3-2-501 张三|1-1-101 曾单". */
static const char *show(const struct gj_owner_hit *rows, int n)
{
    static char buf[8192];
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && o < sizeof buf - 400; i++) {
        int w;
        if (rows[i].unit_id)
            w = snprintf(buf + o, sizeof buf - o, "%s%d-%d-%d %s", i ? "|" : "", rows[i].building,
                         rows[i].entrance, rows[i].room, rows[i].person_id ? rows[i].name : "-");
        else
            w = snprintf(buf + o, sizeof buf - o, "%s- %s", i ? "|" : "", rows[i].name);
        o += (size_t)w;
    }
    return buf;
}

static void expect(struct gj_db *db, const char *typed, const char *want)
{
    struct gj_owner_hit rows[MAX_HITS];
    int n = search(db, typed, rows);
    const char *got = show(rows, n);
    if (strcmp(got, want) != 0)
        fail_msg("search \"%s\":\n  got  %s\n  want %s", typed, got, want);
}

static void test_initials_with_polyphonic_characters(void **state)
{
    struct estate *e = *state;
    /* 曾单 is zd, zs, cd and cs; an exact key comes before longer ones,
     * and equal keys are in unit code order. */
    expect(e->db, "zs", "1-1-101 曾单|3-2-501 张三|3-2-501 张三丰");
    expect(e->db, "ZS", "1-1-101 曾单|3-2-501 张三|3-2-501 张三丰");
    expect(e->db, "zd", "1-1-101 曾单");
    expect(e->db, "cd", "1-1-101 曾单");
    expect(e->db, "cs", "1-1-101 曾单");
    expect(e->db, "zsf", "3-2-501 张三丰");
    /* 单田芳: dtf and stf. */
    expect(e->db, "dtf", "5-1-501 单田芳");
    expect(e->db, "stf", "5-1-501 单田芳");
    expect(e->db, "st", "5-1-501 单田芳");
    expect(e->db, "dtfx", "");
    /* A person found by two keys ("z": zd and zs) is listed once. */
    struct gj_owner_hit rows[MAX_HITS];
    int n = search(e->db, "z", rows);
    int zengdan = 0;
    for (int i = 0; i < n; i++)
        zengdan += rows[i].person_id == e->zengdan;
    assert_int_equal(zengdan, 1);
    /* zd, then zl, then zs (曾单 again: skipped), then zsf. */
    assert_string_equal(show(rows, n), "1-1-101 曾单|2-1-1201 赵六|3-2-5012 赵六|3-2-501 张三|"
                                       "3-2-501 张三丰");
}

static void test_hit_fields(void **state)
{
    struct estate *e = *state;
    struct gj_owner_hit rows[MAX_HITS];
    int n = search(e->db, "张三", rows);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].unit_id, e->u_3_2_501);
    assert_int_equal(rows[0].building, 3);
    assert_int_equal(rows[0].entrance, 2);
    assert_int_equal(rows[0].room, 501);
    assert_int_equal(rows[0].person_id, e->zhangsan);
    assert_string_equal(rows[0].name, "张三");
    assert_string_equal(rows[0].relation, "owner");
    assert_string_equal(rows[0].phone, "13800138000");
    assert_int_equal(rows[0].archived, 0);
    assert_string_equal(rows[1].relation, "family");
    /* A person without a unit. */
    n = search(e->db, "ls", rows);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].unit_id, 0);
    assert_int_equal(rows[0].room, 0);
    assert_int_equal(rows[0].person_id, e->lisi);
    assert_string_equal(rows[0].relation, "");
    assert_string_equal(rows[0].phone, "13900139000");
}

static void test_names(void **state)
{
    struct estate *e = *state;
    expect(e->db, "张", "3-2-501 张三|3-2-501 张三丰");
    expect(e->db, "张三丰", "3-2-501 张三丰");
    expect(e->db, "单", "5-1-501 单田芳");
    expect(e->db, "李四", "- 李四");
    expect(e->db, "赵六", "2-1-1201 赵六|3-2-5012 赵六");
    expect(e->db, "钱", "");
}

static void test_last_four_digits_and_rooms(void **state)
{
    struct estate *e = *state;
    /* 单田芳 has two phones: either finds her. */
    expect(e->db, "5678", "5-1-501 单田芳");
    expect(e->db, "1234", "5-1-501 单田芳");
    struct gj_owner_hit rows[MAX_HITS];
    int n = search(e->db, "1234", rows);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].phone, "13687651234"); /* the phone that matched */
    n = search(e->db, "5678", rows);
    assert_string_equal(rows[0].phone, "13912345678");
    /* Four digits: the phone's last four first, then the room. 赵六's phone
     * ends in 1201 and he lives in room 1201: he is listed once for it. */
    expect(e->db, "1201", "2-1-1201 赵六|3-2-5012 赵六");
    expect(e->db, "8000", "3-2-501 张三");
}

static void test_phone_numbers(void **state)
{
    struct estate *e = *state;
    expect(e->db, "13800138000", "3-2-501 张三");
    expect(e->db, "138 0013 8000", "3-2-501 张三");
    expect(e->db, "13687651234", "5-1-501 单田芳");
    expect(e->db, "13687", "5-1-501 单田芳");
    expect(e->db, "1380013", "3-2-501 张三");
    expect(e->db, "139001", "- 李四");
    /* Prefix order: by the matched phone. */
    expect(e->db, "13600", "2-1-1201 赵六|3-2-5012 赵六");
    expect(e->db, "13900139001", "");
}

static void test_rooms_across_buildings(void **state)
{
    struct estate *e = *state;
    /* Room 501 in every building (by building), empty units too; then the
     * rooms that start with 501. 王五 is archived: 1-1-501 shows nobody. */
    expect(e->db, "501",
           "1-1-501 -|3-2-501 张三|3-2-501 张三丰|4-1-501 -|5-1-501 单田芳|"
           "3-2-5012 赵六");
    expect(e->db, "50",
           "1-1-501 -|3-2-501 张三|3-2-501 张三丰|4-1-501 -|5-1-501 单田芳|"
           "3-1-502 -|3-2-5012 赵六");
    expect(e->db, "10", "1-1-101 曾单");
    expect(e->db, "9", "");
}

static void test_unit_codes(void **state)
{
    struct estate *e = *state;
    expect(e->db, "3-2-501", "3-2-501 张三|3-2-501 张三丰|3-2-5012 赵六");
    expect(e->db, "3栋2单元501", "3-2-501 张三|3-2-501 张三丰|3-2-5012 赵六");
    expect(e->db, "3栋2单元501室", "3-2-501 张三|3-2-501 张三丰|3-2-5012 赵六");
    expect(e->db, "3-2-5", "3-2-501 张三|3-2-501 张三丰|3-2-5012 赵六");
    expect(e->db, "3-2-5012", "3-2-5012 赵六");
    expect(e->db, "3-2", "3-2-501 张三|3-2-501 张三丰|3-2-5012 赵六");
    expect(e->db, "3-", "3-1-502 -|3-2-501 张三|3-2-501 张三丰|3-2-5012 赵六");
    expect(e->db, "3栋", "3-1-502 -|3-2-501 张三|3-2-501 张三丰|3-2-5012 赵六");
    /* A room right after the building: any entrance. Two digits there are
     * an entrance. */
    expect(e->db, "3栋501", "3-2-501 张三|3-2-501 张三丰|3-2-5012 赵六");
    expect(e->db, "3-502", "3-1-502 -");
    expect(e->db, "3栋50", "");
    expect(e->db, "3-2-6", "");
    expect(e->db, "7-", "");
}

static void test_archived_only_by_exact_phone(void **state)
{
    struct estate *e = *state;
    expect(e->db, "王五", "");
    expect(e->db, "ww", "");
    expect(e->db, "7000", "");
    expect(e->db, "13700", "");
    struct gj_owner_hit rows[MAX_HITS];
    int n = search(e->db, "13700137000", rows);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].person_id, e->wangwu);
    assert_int_equal(rows[0].unit_id, e->u_1_1_501);
    assert_int_equal(rows[0].archived, 1);
}

static void test_limit_and_nothing(void **state)
{
    struct estate *e = *state;
    struct gj_search_query q;
    struct gj_error err;
    struct gj_owner_hit rows[MAX_HITS];
    int n = -1;
    gj_search_classify("501", &q);
    assert_int_equal(gj_owner_search(e->db, &q, 2, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 2);
    assert_string_equal(show(rows, n), "1-1-501 -|3-2-501 张三");
    /* Several kinds share the limit. */
    gj_search_classify("1201", &q);
    assert_int_equal(gj_owner_search(e->db, &q, 1, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    assert_int_equal(gj_owner_search(e->db, &q, 0, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 0);
    gj_search_classify("", &q);
    n = -1;
    assert_int_equal(gj_owner_search(e->db, &q, MAX_HITS, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 0);
}

static void test_keys_follow_renames_and_rollbacks(void **state)
{
    struct estate *e = *state;
    struct gj_error err;
    struct gj_person p;
    assert_int_equal(gj_person_get(e->db, e->zhangsanfeng, &p, &err), GJ_OK);
    snprintf(p.name, sizeof p.name, "%s", "李三丰");
    assert_int_equal(gj_person_update(e->db, 0, &p, &err), GJ_OK);
    expect(e->db, "zsf", "");
    expect(e->db, "lsf", "3-2-501 李三丰");
    assert_int_equal(gj_test_scalar(e->db->h,
                                    "SELECT count(*) FROM person_search_keys WHERE person_id = ?",
                                    e->zhangsanfeng),
                     1);
    /* A change that keeps the name keeps the keys. */
    snprintf(p.notes, sizeof p.notes, "%s", "VIP");
    assert_int_equal(gj_person_update(e->db, 0, &p, &err), GJ_OK);
    expect(e->db, "lsf", "3-2-501 李三丰");
    /* Every person's keys are exactly its search_keys. */
    assert_int_equal(
        gj_test_scalar(e->db->h,
                       "SELECT count(*) FROM persons WHERE length(search_keys) - "
                       "length(replace(search_keys, ' ', '')) + 1 <> (SELECT count(*) FROM "
                       "person_search_keys k WHERE k.person_id = persons.id AND ' ' || "
                       "persons.search_keys || ' ' LIKE '% ' || k.key || ' %')",
                       0),
        0);
    assert_int_equal(gj_test_scalar(e->db->h, "SELECT count(*) FROM person_search_keys", 0), 11);
    /* A person rolled back takes its keys with it. */
    assert_int_equal(gj_db_begin(e->db, &err), GJ_OK);
    make_person(e->db, "钱七", NULL, NULL);
    expect(e->db, "qq", "- 钱七");
    gj_db_rollback(e->db);
    expect(e->db, "qq", "");
    assert_int_equal(gj_test_scalar(e->db->h, "SELECT count(*) FROM person_search_keys", 0), 11);
}

/* ---- query plans on a bigger estate ---------------------------------------- */

static int plan_has_scan(struct gj_db *db, const char *sql, char *why, size_t whysz)
{
    char *eqp = malloc(strlen(sql) + 32);
    assert_non_null(eqp);
    sprintf(eqp, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h, eqp, -1, &st, NULL) != SQLITE_OK)
        fail_msg("cannot plan %s: %s", sql, sqlite3_errmsg(db->h));
    free(eqp);
    int bad = 0;
    size_t o = 0;
    why[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(st, 3);
        int w = snprintf(why + o, whysz - o, "  %s\n", detail);
        if (w > 0 && (size_t)w < whysz - o)
            o += (size_t)w;
        static const char *const tables[] = {"persons", "units", "unit_persons",
                                             "person_search_keys"};
        for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
            char scan[64];
            snprintf(scan, sizeof scan, "SCAN %s", tables[i]);
            size_t k = strlen(scan);
            if (strncmp(detail, scan, k) == 0 && (detail[k] == '\0' || detail[k] == ' '))
                bad = 1;
        }
        /* Nothing else may be scanned either (a materialised view of a
         * table would hide a full scan behind another name). */
        if (strncmp(detail, "SCAN ", 5) == 0 && strcmp(detail, "SCAN CONSTANT ROW") != 0)
            bad = 1;
        if (strstr(detail, "AUTOMATIC") || strstr(detail, "MATERIALIZE"))
            bad = 1;
    }
    sqlite3_finalize(st);
    return bad;
}

static void test_every_search_uses_an_index(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    /* Some thousands of persons in 1,000 units, quickly: one transaction. */
    static const char *const surnames[] = {"张", "王", "李", "赵", "曾", "单", "刘", "陈"};
    static const char *const given[] = {"三", "伟", "芳", "娜", "敏", "静", "丽", "强", "磊"};
    assert_int_equal(gj_db_begin(db, &err), GJ_OK);
    int made = 0;
    for (int b = 1; b <= 10; b++)
        for (int en = 1; en <= 2; en++)
            for (int f = 1; f <= 25; f++)
                for (int r = 1; r <= 2; r++) {
                    int64_t unit = make_unit(db, b, en, f * 100 + r);
                    for (int k = 0; k < 3; k++, made++) {
                        char name[32], phone[16];
                        snprintf(name, sizeof name, "%s%s%s", surnames[made % 8],
                                 given[(made / 8) % 9], given[(made / 72) % 9]);
                        snprintf(phone, sizeof phone, "13%09d", made * 7919 % 1000000000);
                        int64_t person =
                            make_person(db, name, phone, k == 2 ? "15000000000" : NULL);
                        link_person(db, unit, person, k == 0 ? "owner" : "family");
                    }
                }
    assert_int_equal(gj_db_commit(db, &err), GJ_OK);
    assert_true(made >= 3000);

    int checked = 0;
    for (int i = 0; gj_owner_search_sql(i); i++, checked++) {
        char why[4096];
        if (plan_has_scan(db, gj_owner_search_sql(i), why, sizeof why))
            fail_msg("statement %d scans a table:\n%s\n%s", i, gj_owner_search_sql(i), why);
    }
    assert_int_equal(checked, 8);

    /* And every kind answers on this estate (the statements really run). */
    struct gj_owner_hit rows[MAX_HITS];
    const char *const queries[] = {"3-2-501",     "3-", "3栋501", "501",  "1201", "13000",
                                   "13000007919", "zs", "z",      "张三", "张",   "7919"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
        if (search(db, queries[i], rows) == 0)
            fail_msg("search \"%s\" found nothing", queries[i]);
    gj_db_close(db);
}

/* ---- migration 2 on a database made by schema 1 ---------------------------- */

static void test_migration_fills_keys_of_existing_persons(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    const char *dir = gj_test_tmpdir();
    const char *path = gj_test_path(dir, "v1.db");
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(path, GJ_DB_CREATE, &db, &err), GJ_OK);
    int64_t unit = make_unit(db, 1, 1, 101);
    int64_t zengdan = make_person(db, "曾单", "13500135000", NULL);
    link_person(db, unit, zengdan, "owner");
    make_person(db, "单田芳", NULL, NULL);
    make_person(db, "Lily王", NULL, NULL);
    gj_db_close(db);

    /* Back to schema 1: no keys table, no triggers. */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h,
                                  "DROP TRIGGER person_search_keys_insert; "
                                  "DROP TRIGGER person_search_keys_update; "
                                  "DROP TABLE person_search_keys; "
                                  /* and what version 5 added, which cannot be added twice */
                                  "DROP INDEX standard_replies_order; "
                                  "DROP TRIGGER audit_standard_replies_insert; "
                                  "DROP TRIGGER audit_standard_replies_update; "
                                  "ALTER TABLE standard_replies DROP COLUMN topic; "
                                  "ALTER TABLE complaints DROP COLUMN cycle_started_at; "
                                  "DROP INDEX wo_state_due_at; "
                                  /* version 9's indexes name due_at */
                                  "DROP INDEX wo_department_due; "
                                  "DROP INDEX wo_assignee_due; "
                                  "DROP INDEX wo_creator_due; "
                                  /* version 10's triggers read due_at */
                                  "DROP TRIGGER wo_day_stats_insert; "
                                  "DROP TRIGGER wo_day_stats_update; "
                                  "ALTER TABLE work_orders DROP COLUMN due_at; "
                                  "PRAGMA user_version = 1",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);

    assert_int_equal(gj_db_open(path, 0, &db, &err), GJ_OK);
    assert_int_equal(gj_db_schema_version(db), gj_db_schema_target());
    assert_true(gj_db_schema_target() >= 2);
    assert_int_equal(gj_test_scalar(db->h, "SELECT count(*) FROM person_search_keys", 0),
                     4 + 2 + 1);
    assert_int_equal(gj_test_scalar(db->h,
                                    "SELECT count(*) FROM person_search_keys WHERE person_id = ?",
                                    zengdan),
                     4);
    expect(db, "cs", "1-1-101 曾单");
    expect(db, "stf", "- 单田芳");
    expect(db, "lilyw", "- Lily王");
    /* The triggers are back: new persons get their keys. */
    make_person(db, "曾三", NULL, NULL);
    expect(db, "cs", "1-1-101 曾单|- 曾三");
    gj_db_close(db);
    gj_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_initials_with_polyphonic_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hit_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_four_digits_and_rooms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phone_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rooms_across_buildings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_archived_only_by_exact_phone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limit_and_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keys_follow_renames_and_rollbacks, setup, teardown),
        cmocka_unit_test(test_every_search_uses_an_index),
        cmocka_unit_test(test_migration_fills_keys_of_existing_persons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
