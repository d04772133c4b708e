/* Users: the people who log in. Every write runs in its own transaction
 * (nested into the caller's, if any), validates through core/
 * (rules_people.h) and is audited by the database; the audit row never
 * holds the password hash. Writes take the acting user's id (0 = the
 * system). Updates check meta.version and bump it on success; a stale
 * version gives GJ_ECONFLICT naming who changed the row and when.
 * Passwords are hashed with gj_password_hash (Argon2id): plain text is
 * never stored. Structs are caller-owned. */
#ifndef GUANJIA_REPO_USERS_H
#define GUANJIA_REPO_USERS_H

#include "guanjia/db.h"
#include "guanjia/model.h"

/* Creates u (login, name, role, rank, staff_id) with password, which must
 * pass the password policy (password.h). The new user is active, with no
 * failed logins. Fills u->id, u->password_hash, u->created_at, u->meta.
 * A login already taken, in any letter case, gives GJ_ECONSTRAINT. */
int gj_user_create(struct gj_db *db, int64_t actor, struct gj_user *u, const char *password,
                   struct gj_error *err);
/* Reads a user (with the password hash, for gj_password_verify). */
int gj_user_get(struct gj_db *db, int64_t id, struct gj_user *out, struct gj_error *err);
/* Finds a user by login, ignoring letter case; GJ_ENOTFOUND when none. */
int gj_user_by_login(struct gj_db *db, const char *login, struct gj_user *out,
                     struct gj_error *err);
/* Saves login, name, role, rank, active and staff_id (version-checked).
 * Never touches the password hash or the login bookkeeping. */
int gj_user_update(struct gj_db *db, int64_t actor, struct gj_user *u, struct gj_error *err);
/* Sets a new password (version-checked against u->meta.version). Also
 * clears failed logins and any lock, so a reset password can be used at
 * once. Updates u->password_hash, u->failed_logins, u->locked_until and
 * u->meta on success. */
int gj_user_set_password(struct gj_db *db, int64_t actor, struct gj_user *u, const char *password,
                         struct gj_error *err);
/* Up to limit users with login after after_login (NULL or "": from the
 * start), in login order ignoring case. Pass the last row's login to get
 * the next page. */
int gj_users_list(struct gj_db *db, const char *after_login, int limit, struct gj_user *rows,
                  int *n, struct gj_error *err);
/* How many users there are (0 on a new database: time to create the
 * first manager). */
int gj_users_count(struct gj_db *db, int64_t *n, struct gj_error *err);

/* Login bookkeeping, written by the system (updated_by NULL, updated_at
 * now, version + 1). A failure adds one to failed_logins; when the count
 * reaches max_failures (>= 1), locked_until becomes now + lock_seconds.
 * The count keeps growing until a successful login, so after a lock
 * expires one more failure locks again. */
int gj_user_login_failed(struct gj_db *db, int64_t user_id, int64_t now, int max_failures,
                         int64_t lock_seconds, struct gj_error *err);
/* A successful login: clears failed_logins and locked_until. Writes
 * nothing (no version bump, no audit row) when there is nothing to clear. */
int gj_user_login_ok(struct gj_db *db, int64_t user_id, struct gj_error *err);

#endif
