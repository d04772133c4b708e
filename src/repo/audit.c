/* The audit log, read-only. */
#include "guanjia/repo_audit.h"

#include "db_internal.h"
#include "guanjia/i18n.h"

#include <stdlib.h>
#include <string.h>

#define AUDIT_COLS                                                                                 \
    "id, at, coalesce(user_id, 0), action, entity, coalesce(entity_id, 0), old_values, "           \
    "new_values"

void gj_audit_entry_free(struct gj_audit_entry *e)
{
    if (!e)
        return;
    free(e->old_values);
    free(e->new_values);
    e->old_values = NULL;
    e->new_values = NULL;
}

void gj_audit_entries_free(struct gj_audit_entry *rows, int n)
{
    for (int i = 0; rows && i < n; i++)
        gj_audit_entry_free(&rows[i]);
}

/* Reads one row; 0 when a JSON copy could not be allocated. */
static int read_entry(sqlite3_stmt *st, struct gj_audit_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->at = sqlite3_column_int64(st, 1);
    e->user_id = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, e->action, sizeof e->action);
    gj_col_text(st, 4, e->entity, sizeof e->entity);
    e->entity_id = sqlite3_column_int64(st, 5);
    e->old_values = gj_col_strdup(st, 6);
    e->new_values = gj_col_strdup(st, 7);
    if ((!e->old_values && sqlite3_column_type(st, 6) != SQLITE_NULL) ||
        (!e->new_values && sqlite3_column_type(st, 7) != SQLITE_NULL)) {
        gj_audit_entry_free(e);
        return 0;
    }
    return 1;
}

/* Steps st into rows; on failure frees what was read and leaves *n = 0. */
static int read_entries(struct gj_db *db, sqlite3_stmt *st, int limit, struct gj_audit_entry *rows,
                        int *n, struct gj_error *err)
{
    int rc = SQLITE_DONE;
    *n = 0;
    while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!read_entry(st, &rows[*n])) {
            gj_stmt_done(st);
            gj_audit_entries_free(rows, *n);
            *n = 0;
            return gj_err(err, GJ_ENOMEM, _("reading the audit log: out of memory"));
        }
        (*n)++;
    }
    gj_stmt_done(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        gj_audit_entries_free(rows, *n);
        *n = 0;
        return gj_db_fail(db, rc, _("reading the audit log"), err);
    }
    return GJ_OK;
}

int gj_audit_of_entity(struct gj_db *db, const char *entity, int64_t entity_id, int64_t after_id,
                       int limit, struct gj_audit_entry *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " AUDIT_COLS " FROM audit_log WHERE entity = ? "
                                  "AND entity_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, entity ? entity : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, entity_id);
    sqlite3_bind_int64(st, 3, after_id > 0 ? after_id : INT64_MAX);
    sqlite3_bind_int(st, 4, limit);
    return read_entries(db, st, limit, rows, n, err);
}

int gj_audit_recent(struct gj_db *db, int64_t after_id, int limit, struct gj_audit_entry *rows,
                    int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(
        db, "SELECT " AUDIT_COLS " FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, after_id > 0 ? after_id : INT64_MAX);
    sqlite3_bind_int(st, 2, limit);
    return read_entries(db, st, limit, rows, n, err);
}

int gj_audit_count(struct gj_db *db, int64_t *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT count(*) FROM audit_log", err);
    if (!st)
        return err->code;
    int rc = gj_step_one(db, st, _("counting audit entries"), err);
    if (rc == GJ_OK) {
        *n = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
    }
    return rc;
}
