/* The rules of logging in (core/, no I/O). The caller loads the user with
 * gj_user_by_login, asks gj_auth_check, then records the attempt through
 * repo_users.h exactly as the outcome says:
 *
 *     struct gj_auth_policy pol = gj_auth_policy_from_settings(max, minutes);
 *     struct gj_auth_outcome o;
 *     int64_t now = gj_now();
 *     enum gj_auth_result r = gj_auth_check(found ? &u : NULL, pw, now, &pol, &o);
 *     if (o.reset_failures || r == GJ_AUTH_OK)
 *         gj_user_login_ok(db, u.id, &err);            (clears count and lock)
 *     if (o.record_failure)
 *         gj_user_login_failed(db, u.id, now, pol.max_failures, pol.lock_seconds, &err);
 *     gj_auth_message(r, o.locked_until, now, msg, sizeof msg);
 *
 * The rules:
 * - A wrong password and an unknown login give the same answer
 *   (GJ_AUTH_WRONG) and take about as long: an unknown login is checked
 *   against a fixed dummy hash, so logins cannot be probed.
 * - A locked account (locked_until > now) is refused before any password
 *   check; attempts made during the lock are not counted and do not extend
 *   it.
 * - The repository counts failures until a successful login, so after a
 *   lock a single failure would lock again. Here a lock that has run out
 *   gives a fresh set of attempts: the outcome says reset_failures, and the
 *   caller clears the old count before recording the new attempt.
 * - A disabled account is refused (GJ_AUTH_INACTIVE) only after the right
 *   password; a wrong one is GJ_AUTH_WRONG like for anybody else. */
#ifndef GUANJIA_AUTH_H
#define GUANJIA_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include "guanjia/model.h"

#define GJ_AUTH_MAX_FAILURES_DEFAULT 5
#define GJ_AUTH_LOCK_SECONDS_DEFAULT 300

/* How many wrong passwords in a row lock an account, and for how long. */
struct gj_auth_policy {
    int max_failures;
    int64_t lock_seconds;
};

/* 5 failures, 300 seconds. */
struct gj_auth_policy gj_auth_policy_default(void);
/* From the settings login.max_failures (1..100) and login.lock_minutes
 * (1..1440), as read with gj_setting_get_int; a value out of its range
 * falls back to the default. */
struct gj_auth_policy gj_auth_policy_from_settings(int64_t max_failures, int64_t lock_minutes);

enum gj_auth_result {
    GJ_AUTH_OK,      /* logged in */
    GJ_AUTH_WRONG,   /* wrong password or unknown login (the same answer) */
    GJ_AUTH_LOCKED,  /* too many failures; try again after locked_until */
    GJ_AUTH_INACTIVE /* right password, but the account is disabled */
};

/* What the caller records after an attempt (see the top of this file). */
struct gj_auth_outcome {
    /* GJ_AUTH_LOCKED: when the lock ends; 0 otherwise. */
    int64_t locked_until;
    /* 1 when the user's lock has run out: the failures counted before it
     * are spent; clear them (gj_user_login_ok) before recording anything. */
    int reset_failures;
    /* 1 for a wrong password of an existing user: record it with
     * gj_user_login_failed and the same policy. */
    int record_failure;
    /* 1 when that failure reaches max_failures, so recording it locks the
     * account until now + lock_seconds. The message shown stays "wrong
     * name or password". */
    int locks_now;
};

/* Checks one login attempt at time now. u is the user found by login, or
 * NULL when there is none; password may be NULL (treated as wrong); p may
 * be NULL (the defaults). out (may be NULL) is always filled. */
enum gj_auth_result gj_auth_check(const struct gj_user *u, const char *password, int64_t now,
                                  const struct gj_auth_policy *p, struct gj_auth_outcome *out);

/* The translated line to show for result: "" for GJ_AUTH_OK, "wrong name
 * or password", "account locked for another N minutes" (the time left
 * from now to locked_until, rounded up to whole minutes, at least 1), or
 * "account disabled; ask the manager". */
void gj_auth_message(enum gj_auth_result result, int64_t locked_until, int64_t now, char *out,
                     size_t outsz);

/* The Argon2id hash unknown logins are checked against. Its parameters
 * match gj_password_hash (a test keeps them in step). */
const char *gj_auth_dummy_hash(void);

#endif
