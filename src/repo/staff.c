/* Departments and staff. */
#include "guanjia/repo_staff.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/rules_people.h"

#include <stdio.h>
#include <string.h>

/* ---- departments ---------------------------------------------------------- */

#define DEPARTMENT_COLS                                                                            \
    "id, name, kind, active, created_at, version, updated_at, coalesce(updated_by, 0)"

static void read_department(sqlite3_stmt *st, void *row)
{
    struct gj_department *d = row;
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, d->name, sizeof d->name);
    gj_col_text(st, 2, d->kind, sizeof d->kind);
    d->active = sqlite3_column_int(st, 3);
    d->created_at = sqlite3_column_int64(st, 4);
    gj_read_meta(st, 5, &d->meta);
}

static void department_label(const char *name, char *out, size_t outsz)
{
    snprintf(out, outsz, _("department %s"), name);
}

int gj_department_get(struct gj_db *db, int64_t id, struct gj_department *out, struct gj_error *err)
{
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT " DEPARTMENT_COLS " FROM departments WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a department"), err);
    if (rc == GJ_OK) {
        read_department(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_department_create(struct gj_db *db, int64_t actor, struct gj_department *d,
                         struct gj_error *err)
{
    d->active = 1;
    int rc = gj_department_validate(d, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[GJ_NAME_BYTES + 32];
    department_label(d->name, label, sizeof label);
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO departments(name, kind, created_at, updated_at, "
                                  "updated_by) VALUES (?,?,?,?,?)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_text(st, 1, d->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, now);
    gj_bind_id(st, 5, actor);
    rc = gj_db_exec_stmt(db, st, label, err);
    if (rc == GJ_OK) {
        d->id = sqlite3_last_insert_rowid(db->h);
        d->created_at = now;
        d->meta = (struct gj_row_meta){1, now, actor};
    }
    return gj_tx_finish(db, rc, err);
}

int gj_department_update(struct gj_db *db, int64_t actor, struct gj_department *d,
                         struct gj_error *err)
{
    int rc = gj_department_validate(d, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[GJ_NAME_BYTES + 32];
    department_label(d->name, label, sizeof label);
    struct gj_department cur;
    struct gj_error e2;
    int exists = gj_department_get(db, d->id, &cur, &e2) == GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE departments SET name = ?, kind = ?, active = ?, "
                                  "version = version + 1, updated_at = ?, updated_by = ? "
                                  "WHERE id = ? AND version = ?",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_text(st, 1, d->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, d->active);
    sqlite3_bind_int64(st, 4, now);
    gj_bind_id(st, 5, actor);
    sqlite3_bind_int64(st, 6, d->id);
    sqlite3_bind_int64(st, 7, d->meta.version);
    rc = gj_step_guarded(db, st, "departments", label, d->id, exists, label, err);
    if (rc == GJ_OK)
        d->meta = (struct gj_row_meta){d->meta.version + 1, now, actor};
    return gj_tx_finish(db, rc, err);
}

int gj_departments_list(struct gj_db *db, const char *after_name, int limit,
                        struct gj_department *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(
        db, "SELECT " DEPARTMENT_COLS " FROM departments WHERE name > ? ORDER BY name LIMIT ?",
        err);
    if (!st)
        return err->code;
    /* "" sorts before every name (bound as text, not NULL). */
    sqlite3_bind_text(st, 1, after_name ? after_name : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_department, n,
                        _("listing departments"), err);
}

/* ---- staff ---------------------------------------------------------------- */

#define STAFF_COLS                                                                                 \
    "id, department_id, name, phone, title, active, created_at, version, updated_at, "             \
    "coalesce(updated_by, 0)"

static void read_staff(sqlite3_stmt *st, void *row)
{
    struct gj_staff *s = row;
    memset(s, 0, sizeof *s);
    s->id = sqlite3_column_int64(st, 0);
    s->department_id = sqlite3_column_int64(st, 1);
    gj_col_text(st, 2, s->name, sizeof s->name);
    gj_col_text(st, 3, s->phone, sizeof s->phone);
    gj_col_text(st, 4, s->title, sizeof s->title);
    s->active = sqlite3_column_int(st, 5);
    s->created_at = sqlite3_column_int64(st, 6);
    gj_read_meta(st, 7, &s->meta);
}

static void staff_label(const char *name, char *out, size_t outsz)
{
    snprintf(out, outsz, _("staff member %s"), name);
}

int gj_staff_get(struct gj_db *db, int64_t id, struct gj_staff *out, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT " STAFF_COLS " FROM staff WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a staff member"), err);
    if (rc == GJ_OK) {
        read_staff(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_staff_create(struct gj_db *db, int64_t actor, struct gj_staff *s, struct gj_error *err)
{
    s->active = 1;
    int rc = gj_staff_validate(s, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[GJ_NAME_BYTES + 32];
    staff_label(s->name, label, sizeof label);
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO staff(department_id, name, phone, title, "
                                  "created_at, updated_at, updated_by) VALUES (?,?,?,?,?,?,?)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, s->department_id);
    sqlite3_bind_text(st, 2, s->name, -1, SQLITE_STATIC);
    gj_bind_text(st, 3, s->phone);
    gj_bind_text(st, 4, s->title);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_int64(st, 6, now);
    gj_bind_id(st, 7, actor);
    rc = gj_db_exec_stmt(db, st, label, err);
    if (rc == GJ_OK) {
        s->id = sqlite3_last_insert_rowid(db->h);
        s->created_at = now;
        s->meta = (struct gj_row_meta){1, now, actor};
    }
    return gj_tx_finish(db, rc, err);
}

int gj_staff_update(struct gj_db *db, int64_t actor, struct gj_staff *s, struct gj_error *err)
{
    int rc = gj_staff_validate(s, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[GJ_NAME_BYTES + 32];
    staff_label(s->name, label, sizeof label);
    struct gj_staff cur;
    struct gj_error e2;
    int exists = gj_staff_get(db, s->id, &cur, &e2) == GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE staff SET department_id = ?, name = ?, phone = ?, "
                                  "title = ?, active = ?, version = version + 1, updated_at = ?, "
                                  "updated_by = ? WHERE id = ? AND version = ?",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, s->department_id);
    sqlite3_bind_text(st, 2, s->name, -1, SQLITE_STATIC);
    gj_bind_text(st, 3, s->phone);
    gj_bind_text(st, 4, s->title);
    sqlite3_bind_int(st, 5, s->active);
    sqlite3_bind_int64(st, 6, now);
    gj_bind_id(st, 7, actor);
    sqlite3_bind_int64(st, 8, s->id);
    sqlite3_bind_int64(st, 9, s->meta.version);
    rc = gj_step_guarded(db, st, "staff", label, s->id, exists, label, err);
    if (rc == GJ_OK)
        s->meta = (struct gj_row_meta){s->meta.version + 1, now, actor};
    return gj_tx_finish(db, rc, err);
}

int gj_staff_list(struct gj_db *db, int64_t department_id, const struct gj_staff_key *after,
                  int limit, struct gj_staff *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " STAFF_COLS " FROM staff WHERE department_id = ? "
                                  "AND (name, id) > (?, ?) ORDER BY name, id LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, department_id);
    /* "" sorts before every name (bound as text, not NULL). */
    sqlite3_bind_text(st, 2, after ? after->name : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, after ? after->id : 0);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_staff, n, _("listing staff"), err);
}
