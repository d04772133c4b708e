/* repo/owners.c: units, persons, links, vehicles, parking spaces. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct gj_db *db = NULL;
    struct gj_error err;
    if (gj_db_open(":memory:", GJ_DB_CREATE, &db, &err) != GJ_OK)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    gj_db_close(*state);
    return 0;
}

static int64_t make_user(struct gj_db *db, const char *login, const char *name)
{
    struct gj_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.role, sizeof u.role, "%s", "butler");
    snprintf(u.rank, sizeof u.rank, "%s", "butler");
    u.active = 1;
    struct gj_error err;
    assert_int_equal(gj_user_create(db, 0, &u, "secret-pass", &err), GJ_OK);
    return u.id;
}

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
    assert_int_equal(gj_unit_create(db, 0, &u, &err), GJ_OK);
    return u.id;
}

static void test_unit_round_trip_and_audit(void **state)
{
    struct gj_db *db = *state;
    struct gj_error err;
    int64_t actor = make_user(db, "zhang", "张管家");
    int64_t audit_before = gj_test_scalar(db->h, "SELECT count(*) FROM audit_log", 0);
    struct gj_unit u;
    memset(&u, 0, sizeof u);
    u.building = 3;
    u.entrance = 2;
    u.room = 501;
    u.area_centi_m2 = 8937;
    u.delivered_at = gj_now();
    snprintf(u.notes, sizeof u.notes, "%s", "南向，带车位");
    assert_int_equal(gj_unit_create(db, actor, &u, &err), GJ_OK);
    assert_true(u.id > 0);
    assert_int_equal(u.floor, 5); /* derived from the room */
    assert_string_equal(u.status, "delivered");
    assert_int_equal(u.meta.version, 1);
    struct gj_unit got;
    assert_int_equal(gj_unit_get(db, u.id, &got, &err), GJ_OK);
    assert_int_equal(got.building, 3);
    assert_int_equal(got.room, 501);
    assert_int_equal(got.area_centi_m2, 8937);
    assert_string_equal(got.notes, "南向，带车位");
    assert_int_equal(got.meta.updated_by, actor);
    /* The insert wrote its audit row, with who and what. */
    assert_int_equal(gj_test_scalar(db->h, "SELECT count(*) FROM audit_log", 0), audit_before + 1);
    assert_int_equal(
        gj_test_scalar(db->h,
                       "SELECT count(*) FROM audit_log WHERE entity = 'units' AND "
                       "action = 'insert' AND json_extract(new_values, '$.room') = 501 "
                       "AND user_id IS NOT NULL",
                       0),
        1);
    /* An update bumps the version and is audited old -> new. */
    got.area_centi_m2 = 9000;
    assert_int_equal(gj_unit_update(db, actor, &got, &err), GJ_OK);
    assert_int_equal(got.meta.version, 2);
    assert_int_equal(gj_test_scalar(db->h,
                                    "SELECT count(*) FROM audit_log WHERE entity = 'units' AND "
                                    "action = 'update' AND json_extract(old_values, "
                                    "'$.area_centi_m2') = 8937 AND json_extract(new_values, "
                                    "'$.area_centi_m2') = 9000",
                                    0),
                     1);
    /* Lookup by code, and a clear not-found. */
    assert_int_equal(gj_unit_find_code(db, 3, 2, 501, &got, &err), GJ_OK);
    assert_int_equal(gj_unit_find_code(db, 3, 2, 502, &got, &err), GJ_ENOTFOUND);
    assert_non_null(strstr(err.msg, "3-2-502"));
}

static void test_unit_validation(void **state)
{
    struct gj_db *db = *state;
    struct gj_error err;
    struct gj_unit u;
    memset(&u, 0, sizeof u);
    u.building = 3;
    u.entrance = 2;
    u.room = 500; /* no room 00 on a floor */
    u.area_centi_m2 = 8000;
    u.delivered_at = 1;
    assert_int_equal(gj_unit_create(db, 0, &u, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "room"));
    u.room = 501;
    u.area_centi_m2 = 0;
    assert_int_equal(gj_unit_create(db, 0, &u, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "area"));
    u.area_centi_m2 = 8000;
    u.delivered_at = 0;
    assert_int_equal(gj_unit_create(db, 0, &u, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "delivery"));
    snprintf(u.status, sizeof u.status, "%s", "unsold");
    assert_int_equal(gj_unit_create(db, 0, &u, &err), GJ_OK);
    assert_int_equal(gj_test_scalar(db->h, "SELECT count(*) FROM units", 0), 1);
}

static void test_conflict_names_who_and_when(void **state)
{
    struct gj_db *db = *state;
    struct gj_error err;
    int64_t li = make_user(db, "li", "李主管");
    struct gj_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", "张三");
    snprintf(p.phone, sizeof p.phone, "%s", "138 0013 8000");
    assert_int_equal(gj_person_create(db, 0, &p, &err), GJ_OK);
    assert_string_equal(p.phone, "13800138000"); /* normalised */
    assert_string_equal(p.initials, "zs");
    /* Two terminals read the same version. */
    struct gj_person mine = p, theirs = p;
    setenv("GUANJIA_NOW", "2026-11-29T10:03", 1);
    snprintf(theirs.notes, sizeof theirs.notes, "%s", "喜欢电话联系");
    assert_int_equal(gj_person_update(db, li, &theirs, &err), GJ_OK);
    snprintf(mine.notes, sizeof mine.notes, "%s", "overwrite attempt");
    assert_int_equal(gj_person_update(db, 0, &mine, &err), GJ_ECONFLICT);
    assert_non_null(strstr(err.msg, "李主管"));
    assert_non_null(strstr(err.msg, "2026-11-29 10:03"));
    /* Their change stands. */
    struct gj_person got;
    assert_int_equal(gj_person_get(db, p.id, &got, &err), GJ_OK);
    assert_string_equal(got.notes, "喜欢电话联系");
    assert_int_equal(got.meta.version, 2);
    /* A row that is gone gives not-found, not a conflict. */
    struct gj_person ghost = got;
    ghost.id = 9999;
    assert_int_equal(gj_person_update(db, 0, &ghost, &err), GJ_ENOTFOUND);
}

static void test_person_validation_saves_nothing(void **state)
{
    struct gj_db *db = *state;
    struct gj_error err;
    struct gj_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", "李四");
    snprintf(p.phone, sizeof p.phone, "%s", "1234");
    assert_int_equal(gj_person_create(db, 0, &p, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "phone"));
    snprintf(p.phone, sizeof p.phone, "%s", "13900139000");
    snprintf(p.id_number, sizeof p.id_number, "%s", "11010519491231002Y");
    assert_int_equal(gj_person_create(db, 0, &p, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "ID number"));
    /* A real check digit passes (GB 11643 example). */
    snprintf(p.id_number, sizeof p.id_number, "%s", "11010519491231002x");
    assert_int_equal(gj_person_create(db, 0, &p, &err), GJ_OK);
    assert_string_equal(p.id_number, "11010519491231002X");
    p.name[0] = '\0';
    p.id = 0;
    assert_int_equal(gj_person_create(db, 0, &p, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "name"));
    assert_int_equal(gj_test_scalar(db->h, "SELECT count(*) FROM persons", 0), 1);
    assert_int_equal(
        gj_test_scalar(db->h, "SELECT count(*) FROM audit_log WHERE entity = 'persons'", 0), 1);
}

static void test_person_paging_and_phone(void **state)
{
    struct gj_db *db = *state;
    struct gj_error err;
    const char *names[] = {"王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "黄敏"};
    for (int i = 0; i < 7; i++) {
        struct gj_person p;
        memset(&p, 0, sizeof p);
        snprintf(p.name, sizeof p.name, "%s", names[i]);
        snprintf(p.phone, sizeof p.phone, "1380000%04d", i);
        if (i == 3)
            snprintf(p.phone2, sizeof p.phone2, "%s", "010-62345678");
        assert_int_equal(gj_person_create(db, 0, &p, &err), GJ_OK);
    }
    /* Pages of 3: every person once, in name order. */
    struct gj_person rows[3];
    struct gj_person_key key;
    int seen = 0, n = 0;
    const struct gj_person_key *after = NULL;
    char last[GJ_NAME_BYTES] = "";
    do {
        assert_int_equal(gj_persons_list(db, after, 3, rows, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++) {
            assert_true(strcmp(last, rows[i].name) < 0);
            snprintf(last, sizeof last, "%s", rows[i].name);
        }
        seen += n;
        if (n > 0) {
            snprintf(key.name, sizeof key.name, "%s", rows[n - 1].name);
            key.id = rows[n - 1].id;
            after = &key;
        }
    } while (n == 3);
    assert_int_equal(seen, 7);
    /* By phone, either number. */
    assert_int_equal(gj_persons_by_phone(db, "010-62345678", 5, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].name, "刘洋");
    assert_int_equal(gj_persons_by_phone(db, "13800000002", 5, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].name, "张伟");
}

static void test_units_paging(void **state)
{
    struct gj_db *db = *state;
    struct gj_error err;
    for (int b = 2; b >= 1; b--)
        for (int f = 1; f <= 5; f++)
            make_unit(db, b, 1, f * 100 + 1);
    struct gj_unit rows[4];
    int n = 0, seen = 0;
    struct gj_unit_key key, *after = NULL;
    int prev = 0;
    do {
        assert_int_equal(gj_units_list(db, after, 4, rows, &n, &err), GJ_OK);
        for (int i = 0; i < n; i++) {
            int code = rows[i].building * 100000 + rows[i].room;
            assert_true(code > prev);
            prev = code;
        }
        seen += n;
        if (n) {
            key =
                (struct gj_unit_key){rows[n - 1].building, rows[n - 1].entrance, rows[n - 1].room};
            after = &key;
        }
    } while (n == 4);
    assert_int_equal(seen, 10);
}

static void test_links_vehicles_parking(void **state)
{
    struct gj_db *db = *state;
    struct gj_error err;
    int64_t unit = make_unit(db, 3, 2, 501);
    struct gj_person owner, child;
    memset(&owner, 0, sizeof owner);
    memset(&child, 0, sizeof child);
    snprintf(owner.name, sizeof owner.name, "%s", "张三");
    snprintf(child.name, sizeof child.name, "%s", "张小宝");
    assert_int_equal(gj_person_create(db, 0, &owner, &err), GJ_OK);
    assert_int_equal(gj_person_create(db, 0, &child, &err), GJ_OK);
    struct gj_unit_person l1 = {.unit_id = unit, .person_id = owner.id, .relation = "owner"};
    struct gj_unit_person l2 = {.unit_id = unit, .person_id = child.id, .relation = "family"};
    assert_int_equal(gj_unit_person_add(db, 0, &l1, &err), GJ_OK);
    assert_int_equal(gj_unit_person_add(db, 0, &l2, &err), GJ_OK);
    /* The same active role twice is refused clearly. */
    struct gj_unit_person dup = l1;
    assert_int_equal(gj_unit_person_add(db, 0, &dup, &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "already linked"));
    struct gj_unit_person bad = {.unit_id = unit, .person_id = owner.id, .relation = "boss"};
    assert_int_equal(gj_unit_person_add(db, 0, &bad, &err), GJ_EINVAL);
    /* Ending a link keeps it, listed after the active ones. */
    assert_int_equal(gj_unit_person_end(db, 0, &l1, gj_now() + 60, &err), GJ_OK);
    assert_int_equal(gj_unit_person_end(db, 0, &l1, gj_now() + 60, &err), GJ_EINVAL);
    struct gj_unit_person rows[4];
    int n = 0;
    assert_int_equal(gj_unit_persons_of_unit(db, unit, 4, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].person_id, child.id);
    assert_int_equal(rows[1].end_at, gj_now() + 60);
    assert_int_equal(gj_unit_persons_of_person(db, owner.id, 4, rows, &n, &err), GJ_OK);
    assert_int_equal(n, 1);

    /* Vehicles: plates normalised, validated, unique. */
    struct gj_vehicle v;
    memset(&v, 0, sizeof v);
    v.person_id = owner.id;
    v.unit_id = unit;
    snprintf(v.plate, sizeof v.plate, "%s", "粤b·12345");
    assert_int_equal(gj_vehicle_create(db, 0, &v, &err), GJ_OK);
    assert_string_equal(v.plate, "粤B12345");
    struct gj_vehicle v2 = v;
    assert_int_equal(gj_vehicle_create(db, 0, &v2, &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "already registered"));
    snprintf(v2.plate, sizeof v2.plate, "%s", "XX12345");
    assert_int_equal(gj_vehicle_create(db, 0, &v2, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "plate"));
    struct gj_vehicle vs[2];
    assert_int_equal(gj_vehicles_of_person(db, owner.id, 2, vs, &n, &err), GJ_OK);
    assert_int_equal(n, 1);

    /* Parking: assigning stamps the date; a vehicle needs a unit. */
    struct gj_parking_space ps;
    memset(&ps, 0, sizeof ps);
    snprintf(ps.code, sizeof ps.code, "%s", "B1-001");
    snprintf(ps.kind, sizeof ps.kind, "%s", "owned");
    ps.vehicle_id = v.id;
    assert_int_equal(gj_parking_create(db, 0, &ps, &err), GJ_EINVAL);
    ps.unit_id = unit;
    assert_int_equal(gj_parking_create(db, 0, &ps, &err), GJ_OK);
    assert_int_equal(ps.assigned_at, gj_now());
    ps.unit_id = 0;
    ps.vehicle_id = 0;
    assert_int_equal(gj_parking_update(db, 0, &ps, &err), GJ_OK);
    struct gj_parking_space got;
    assert_int_equal(gj_parking_get(db, ps.id, &got, &err), GJ_OK);
    assert_int_equal(got.unit_id, 0);
    assert_int_equal(got.assigned_at, 0);
    struct gj_parking_space list[3];
    assert_int_equal(gj_parking_list(db, 0, 3, list, &n, &err), GJ_OK);
    assert_int_equal(n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unit_round_trip_and_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflict_names_who_and_when, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_validation_saves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_paging_and_phone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_units_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_links_vehicles_parking, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
