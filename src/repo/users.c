/* Users: accounts, passwords and login bookkeeping. */
#include "guanjia/repo_users.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/password.h"
#include "guanjia/rules_people.h"

#include <stdio.h>
#include <string.h>

#define USER_COLS                                                                                  \
    "id, login, name, role, rank, password_hash, active, failed_logins, "                          \
    "coalesce(locked_until, 0), coalesce(staff_id, 0), created_at, version, updated_at, "          \
    "coalesce(updated_by, 0)"

/* A lock longer than a year is a mistake in the caller. */
#define LOCK_SECONDS_MAX INT64_C(31622400)

static void read_user(sqlite3_stmt *st, void *row)
{
    struct gj_user *u = row;
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, u->login, sizeof u->login);
    gj_col_text(st, 2, u->name, sizeof u->name);
    gj_col_text(st, 3, u->role, sizeof u->role);
    gj_col_text(st, 4, u->rank, sizeof u->rank);
    gj_col_text(st, 5, u->password_hash, sizeof u->password_hash);
    u->active = sqlite3_column_int(st, 6);
    u->failed_logins = sqlite3_column_int(st, 7);
    u->locked_until = sqlite3_column_int64(st, 8);
    u->staff_id = sqlite3_column_int64(st, 9);
    u->created_at = sqlite3_column_int64(st, 10);
    gj_read_meta(st, 11, &u->meta);
}

static void user_label(const char *login, char *out, size_t outsz)
{
    snprintf(out, outsz, _("user %s"), login);
}

int gj_user_get(struct gj_db *db, int64_t id, struct gj_user *out, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT " USER_COLS " FROM users WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a user"), err);
    if (rc == GJ_OK) {
        read_user(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_user_by_login(struct gj_db *db, const char *login, struct gj_user *out, struct gj_error *err)
{
    /* The column is COLLATE NOCASE: the comparison ignores letter case. */
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT " USER_COLS " FROM users WHERE login = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, login ? login : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_user(st, out);
        gj_stmt_done(st);
        return GJ_OK;
    }
    gj_stmt_done(st);
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("finding a user"), err);
    char label[80];
    user_label(login ? login : "", label, sizeof label);
    return gj_err(err, GJ_ENOTFOUND, _("%s: no such user"), label);
}

int gj_user_create(struct gj_db *db, int64_t actor, struct gj_user *u, const char *password,
                   struct gj_error *err)
{
    u->active = 1;
    int rc = gj_user_validate(u, err);
    if (rc != GJ_OK)
        return rc;
    /* Hashing is deliberately slow: do it before taking the write lock. */
    char hash[GJ_PASSWORD_HASH_MAX];
    rc = gj_password_hash(password, hash, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[80];
    user_label(u->login, label, sizeof label);
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO users(login, name, role, rank, password_hash, "
                                  "staff_id, created_at, updated_at, updated_by) "
                                  "VALUES (?,?,?,?,?,?,?,?,?)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_text(st, 1, u->login, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, u->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, u->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, u->rank, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, hash, -1, SQLITE_TRANSIENT);
    gj_bind_id(st, 6, u->staff_id);
    sqlite3_bind_int64(st, 7, now);
    sqlite3_bind_int64(st, 8, now);
    gj_bind_id(st, 9, actor);
    rc = gj_db_exec_stmt(db, st, label, err);
    if (rc == GJ_OK) {
        u->id = sqlite3_last_insert_rowid(db->h);
        snprintf(u->password_hash, sizeof u->password_hash, "%s", hash);
        u->failed_logins = 0;
        u->locked_until = 0;
        u->created_at = now;
        u->meta = (struct gj_row_meta){1, now, actor};
    }
    memset(hash, 0, sizeof hash);
    return gj_tx_finish(db, rc, err);
}

int gj_user_update(struct gj_db *db, int64_t actor, struct gj_user *u, struct gj_error *err)
{
    int rc = gj_user_validate(u, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[80];
    user_label(u->login, label, sizeof label);
    struct gj_user cur;
    struct gj_error e2;
    int exists = gj_user_get(db, u->id, &cur, &e2) == GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE users SET login = ?, name = ?, role = ?, rank = ?, "
                                  "active = ?, staff_id = ?, version = version + 1, "
                                  "updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_text(st, 1, u->login, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, u->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, u->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, u->rank, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, u->active);
    gj_bind_id(st, 6, u->staff_id);
    sqlite3_bind_int64(st, 7, now);
    gj_bind_id(st, 8, actor);
    sqlite3_bind_int64(st, 9, u->id);
    sqlite3_bind_int64(st, 10, u->meta.version);
    rc = gj_step_guarded(db, st, "users", label, u->id, exists, label, err);
    if (rc == GJ_OK)
        u->meta = (struct gj_row_meta){u->meta.version + 1, now, actor};
    return gj_tx_finish(db, rc, err);
}

int gj_user_set_password(struct gj_db *db, int64_t actor, struct gj_user *u, const char *password,
                         struct gj_error *err)
{
    char hash[GJ_PASSWORD_HASH_MAX];
    int rc = gj_password_hash(password, hash, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK) {
        memset(hash, 0, sizeof hash);
        return rc;
    }
    int64_t now = gj_now();
    char label[80];
    user_label(u->login, label, sizeof label);
    struct gj_user cur;
    struct gj_error e2;
    int exists = gj_user_get(db, u->id, &cur, &e2) == GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE users SET password_hash = ?, failed_logins = 0, "
                                  "locked_until = NULL, version = version + 1, updated_at = ?, "
                                  "updated_by = ? WHERE id = ? AND version = ?",
                                  err);
    if (!st) {
        memset(hash, 0, sizeof hash);
        return gj_tx_finish(db, err->code, err);
    }
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    gj_bind_id(st, 3, actor);
    sqlite3_bind_int64(st, 4, u->id);
    sqlite3_bind_int64(st, 5, u->meta.version);
    rc = gj_step_guarded(db, st, "users", label, u->id, exists, _("changing a password"), err);
    if (rc == GJ_OK) {
        snprintf(u->password_hash, sizeof u->password_hash, "%s", hash);
        u->failed_logins = 0;
        u->locked_until = 0;
        u->meta = (struct gj_row_meta){u->meta.version + 1, now, actor};
    }
    memset(hash, 0, sizeof hash);
    return gj_tx_finish(db, rc, err);
}

int gj_users_list(struct gj_db *db, const char *after_login, int limit, struct gj_user *rows,
                  int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(
        db, "SELECT " USER_COLS " FROM users WHERE login > ? ORDER BY login LIMIT ?", err);
    if (!st)
        return err->code;
    /* "" sorts before every login (bound as text, not NULL). */
    sqlite3_bind_text(st, 1, after_login ? after_login : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_user, n, _("listing users"), err);
}

int gj_users_count(struct gj_db *db, int64_t *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT count(*) FROM users", err);
    if (!st)
        return err->code;
    int rc = gj_step_one(db, st, _("counting users"), err);
    if (rc == GJ_OK) {
        *n = sqlite3_column_int64(st, 0);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_user_login_failed(struct gj_db *db, int64_t user_id, int64_t now, int max_failures,
                         int64_t lock_seconds, struct gj_error *err)
{
    if (max_failures < 1)
        return gj_err(err, GJ_EINVAL, _("maximum failed logins: must be at least 1 (got %d)"),
                      max_failures);
    if (lock_seconds < 0 || lock_seconds > LOCK_SECONDS_MAX)
        return gj_err(err, GJ_EINVAL, _("lock time: must be 0 seconds to one year"));
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    /* One statement: the count is read and bumped atomically. */
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "UPDATE users SET failed_logins = failed_logins + 1, "
        "locked_until = CASE WHEN failed_logins + 1 >= ?1 THEN ?2 ELSE locked_until END, "
        "version = version + 1, updated_at = ?3, updated_by = NULL WHERE id = ?4",
        err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int(st, 1, max_failures);
    sqlite3_bind_int64(st, 2, now + lock_seconds);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, user_id);
    rc = gj_db_exec_stmt(db, st, _("recording a failed login"), err);
    if (rc == GJ_OK && sqlite3_changes(db->h) != 1)
        rc = gj_err(err, GJ_ENOTFOUND, _("%s: no user with id %lld"), _("recording a failed login"),
                    (long long)user_id);
    return gj_tx_finish(db, rc, err);
}

int gj_user_login_ok(struct gj_db *db, int64_t user_id, struct gj_error *err)
{
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "UPDATE users SET failed_logins = 0, locked_until = NULL, "
                   "version = version + 1, updated_at = ?, updated_by = NULL "
                   "WHERE id = ? AND (failed_logins <> 0 OR locked_until IS NOT NULL)",
                   err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, user_id);
    rc = gj_db_exec_stmt(db, st, _("recording a login"), err);
    if (rc == GJ_OK && sqlite3_changes(db->h) == 0) {
        /* Nothing to clear, or no such user. */
        struct gj_user cur;
        rc = gj_user_get(db, user_id, &cur, err);
    }
    return gj_tx_finish(db, rc, err);
}
