/* The contact log (append-only). */
#include "guanjia/repo_contacts.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/rules_people.h"

#include <string.h>

#define CONTACT_COLS                                                                               \
    "id, coalesce(unit_id, 0), coalesce(person_id, 0), channel, summary, result, "                 \
    "coalesce(work_order_id, 0), coalesce(complaint_id, 0), at, coalesce(user_id, 0)"

static void read_contact(sqlite3_stmt *st, void *row)
{
    struct gj_contact *c = row;
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    c->unit_id = sqlite3_column_int64(st, 1);
    c->person_id = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, c->channel, sizeof c->channel);
    gj_col_text(st, 4, c->summary, sizeof c->summary);
    gj_col_text(st, 5, c->result, sizeof c->result);
    c->work_order_id = sqlite3_column_int64(st, 6);
    c->complaint_id = sqlite3_column_int64(st, 7);
    c->at = sqlite3_column_int64(st, 8);
    c->user_id = sqlite3_column_int64(st, 9);
}

int gj_contact_add(struct gj_db *db, int64_t actor, struct gj_contact *c, struct gj_error *err)
{
    int rc = gj_contact_validate(c, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO contact_log(unit_id, person_id, channel, summary, "
                                  "result, work_order_id, complaint_id, at, user_id) "
                                  "VALUES (?,?,?,?,?,?,?,?,?)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    gj_bind_id(st, 1, c->unit_id);
    gj_bind_id(st, 2, c->person_id);
    sqlite3_bind_text(st, 3, c->channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, c->summary, -1, SQLITE_STATIC);
    gj_bind_text(st, 5, c->result);
    gj_bind_id(st, 6, c->work_order_id);
    gj_bind_id(st, 7, c->complaint_id);
    sqlite3_bind_int64(st, 8, now);
    gj_bind_id(st, 9, actor);
    rc = gj_db_exec_stmt(db, st, _("saving a contact record"), err);
    if (rc == GJ_OK) {
        c->id = sqlite3_last_insert_rowid(db->h);
        c->at = now;
        c->user_id = actor;
    }
    return gj_tx_finish(db, rc, err);
}

static int list_contacts(struct gj_db *db, sqlite3_stmt *st, int64_t key, int64_t after_at,
                         int64_t after_id, int limit, struct gj_contact *rows, int *n,
                         struct gj_error *err)
{
    sqlite3_bind_int64(st, 1, key);
    /* The first page starts after everything stored. */
    sqlite3_bind_int64(st, 2, after_id ? after_at : INT64_MAX);
    sqlite3_bind_int64(st, 3, after_id ? after_id : INT64_MAX);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_contact, n,
                        _("listing contact records"), err);
}

int gj_contacts_of_unit(struct gj_db *db, int64_t unit_id, int64_t after_at, int64_t after_id,
                        int limit, struct gj_contact *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " CONTACT_COLS " FROM contact_log WHERE unit_id = ? "
                                  "AND (at, id) < (?, ?) ORDER BY at DESC, id DESC LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    return list_contacts(db, st, unit_id, after_at, after_id, limit, rows, n, err);
}

int gj_contacts_of_person(struct gj_db *db, int64_t person_id, int64_t after_at, int64_t after_id,
                          int limit, struct gj_contact *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " CONTACT_COLS " FROM contact_log WHERE person_id = ? "
                                  "AND (at, id) < (?, ?) ORDER BY at DESC, id DESC LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    return list_contacts(db, st, person_id, after_at, after_id, limit, rows, n, err);
}
