/* Standard replies: the seeded list, adding, switching off, conflicts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "db_internal.h"
#include "guanjia/repo_replies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_replies(void **state)
{
    (void)state;
    setenv("GUANJIA_NOW", "2026-11-29T09:00", 1);
    struct gj_db *db = NULL;
    struct gj_error err;
    assert_int_equal(gj_db_open(":memory:", GJ_DB_CREATE, &db, &err), GJ_OK);
    struct gj_reply rows[20];
    int n = 0;
    assert_int_equal(gj_replies_list(db, "work_order", 0, rows, 20, &n, &err), GJ_OK);
    assert_int_equal(n, 6); /* the seeded ones, in order */
    assert_string_equal(rows[0].text, "已联系业主，约定上门时间");
    struct gj_reply r;
    memset(&r, 0, sizeof r);
    snprintf(r.text, sizeof r.text, "%s", "已安排保洁员清理");
    assert_int_equal(gj_reply_add(db, 0, &r, &err), GJ_OK);
    assert_int_equal(r.position, 7);
    struct gj_reply dup = r;
    assert_int_equal(gj_reply_add(db, 0, &dup, &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, "already in the list"));
    struct gj_reply empty;
    memset(&empty, 0, sizeof empty);
    assert_int_equal(gj_reply_add(db, 0, &empty, &err), GJ_EINVAL);
    /* Switched off: gone from the pick list, kept in the full one. */
    struct gj_reply stale = rows[1];
    assert_int_equal(gj_reply_set_active(db, 0, &rows[1], 0, &err), GJ_OK);
    assert_int_equal(gj_replies_list(db, "work_order", 0, rows, 20, &n, &err), GJ_OK);
    assert_int_equal(n, 6);
    for (int i = 0; i < n; i++)
        assert_string_not_equal(rows[i].text, stale.text);
    assert_int_equal(gj_replies_list(db, "work_order", 1, rows, 20, &n, &err), GJ_OK);
    assert_int_equal(n, 7);
    /* A stale copy is refused. */
    assert_int_equal(gj_reply_set_active(db, 0, &stale, 1, &err), GJ_ECONFLICT);
    /* Each complaint grade has its own, numbered on their own. */
    assert_int_equal(gj_replies_list(db, "serious", 0, rows, 20, &n, &err), GJ_OK);
    assert_int_equal(n, 2);
    for (int i = 0; i < n; i++)
        assert_string_equal(rows[i].topic, "serious");
    struct gj_reply s2;
    memset(&s2, 0, sizeof s2);
    snprintf(s2.text, sizeof s2.text, "%s", "经理今天会亲自回电");
    snprintf(s2.topic, sizeof s2.topic, "%s", "serious");
    assert_int_equal(gj_reply_add(db, 0, &s2, &err), GJ_OK);
    assert_int_equal(s2.position, 3);
    snprintf(s2.topic, sizeof s2.topic, "%s", "urgent");
    assert_int_equal(gj_reply_add(db, 0, &s2, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "topic"));
    /* Edited: text and topic move together, version-checked. */
    snprintf(s2.topic, sizeof s2.topic, "%s", "moderate");
    snprintf(s2.text, sizeof s2.text, "%s", "主管今天会亲自回电");
    struct gj_reply before = s2;
    before.meta.version = 1;
    assert_int_equal(gj_reply_update(db, 0, &s2, &err), GJ_OK);
    assert_int_equal(gj_reply_get(db, s2.id, &r, &err), GJ_OK);
    assert_string_equal(r.text, "主管今天会亲自回电");
    assert_string_equal(r.topic, "moderate");
    assert_int_equal(gj_reply_update(db, 0, &before, &err), GJ_ECONFLICT);
    snprintf(r.text, sizeof r.text, "%s", "\xe3\x80\x80 ");
    assert_int_equal(gj_reply_update(db, 0, &r, &err), GJ_EINVAL);
    assert_int_equal(gj_replies_list(db, NULL, 1, rows, 20, &n, &err), GJ_OK);
    assert_int_equal(n, 6 + 1 + 6 + 1);
    assert_string_equal(rows[0].topic, "work_order");
    /* Audited, and never deleted. */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db->h,
                                        "SELECT count(*) FROM audit_log WHERE entity = "
                                        "'standard_replies'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2 + 2); /* adds, a switch, an edit */
    sqlite3_finalize(st);
    assert_int_not_equal(sqlite3_exec(db->h, "DELETE FROM standard_replies", NULL, NULL, NULL),
                         SQLITE_OK);
    gj_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_replies)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
