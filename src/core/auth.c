/* The rules of logging in: lockout, disabled accounts, no login probing. */
#include "guanjia/auth.h"

#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "guanjia/i18n.h"
#include "guanjia/password.h"

/* An Argon2id hash of a password nobody types, made with the parameters of
 * gj_password_hash (16 MiB, 2 passes): checking an unknown login against
 * it costs as much as checking a real one. */
static const char dummy_hash[] = "$argon2id$v=19$m=16384,t=2,p=1$aYvy9s//OMbLVI6+sT9QSw$"
                                 "UNdEb0kpud5Uf3IZJwqAHIQ7/WMyQyc+ty5y/Ck8icA";

const char *gj_auth_dummy_hash(void)
{
    return dummy_hash;
}

struct gj_auth_policy gj_auth_policy_default(void)
{
    struct gj_auth_policy p = {GJ_AUTH_MAX_FAILURES_DEFAULT, GJ_AUTH_LOCK_SECONDS_DEFAULT};
    return p;
}

struct gj_auth_policy gj_auth_policy_from_settings(int64_t max_failures, int64_t lock_minutes)
{
    struct gj_auth_policy p = gj_auth_policy_default();
    if (max_failures >= 1 && max_failures <= 100)
        p.max_failures = (int)max_failures;
    if (lock_minutes >= 1 && lock_minutes <= 1440)
        p.lock_seconds = lock_minutes * 60;
    return p;
}

/* 1 when hash is an Argon2id string gj_password_verify can check. */
static int usable_hash(const char *hash)
{
    return strncmp(hash, "$argon2id$", 10) == 0;
}

enum gj_auth_result gj_auth_check(const struct gj_user *u, const char *password, int64_t now,
                                  const struct gj_auth_policy *p, struct gj_auth_outcome *out)
{
    struct gj_auth_outcome o;
    struct gj_auth_policy pol = p ? *p : gj_auth_policy_default();
    const char *pw = password ? password : "";
    memset(&o, 0, sizeof o);
    if (pol.max_failures < 1)
        pol.max_failures = GJ_AUTH_MAX_FAILURES_DEFAULT;

    if (!u) {
        /* Spend the time a real check takes, then give the same answer. */
        (void)gj_password_verify(dummy_hash, pw);
        if (out)
            *out = o;
        return GJ_AUTH_WRONG;
    }
    if (u->locked_until > now) {
        o.locked_until = u->locked_until;
        if (out)
            *out = o;
        return GJ_AUTH_LOCKED;
    }
    /* A lock that has run out spends the failures that led to it. */
    o.reset_failures = u->locked_until != 0;
    int ok;
    if (usable_hash(u->password_hash)) {
        ok = gj_password_verify(u->password_hash, pw);
    } else {
        (void)gj_password_verify(dummy_hash, pw);
        ok = 0;
    }
    enum gj_auth_result r;
    if (!ok) {
        int before = o.reset_failures ? 0 : u->failed_logins;
        o.record_failure = 1;
        o.locks_now = before + 1 >= pol.max_failures;
        r = GJ_AUTH_WRONG;
    } else {
        r = u->active ? GJ_AUTH_OK : GJ_AUTH_INACTIVE;
    }
    if (out)
        *out = o;
    return r;
}

void gj_auth_message(enum gj_auth_result result, int64_t locked_until, int64_t now, char *out,
                     size_t outsz)
{
    if (!out || outsz == 0)
        return;
    switch (result) {
    case GJ_AUTH_OK:
        out[0] = '\0';
        break;
    case GJ_AUTH_LOCKED: {
        int64_t left = locked_until - now;
        int64_t minutes = left > 0 ? (left + 59) / 60 : 1;
        if (minutes > 1000000)
            minutes = 1000000;
        unsigned long n = (unsigned long)minutes;
        snprintf(out, outsz,
                 ngettext("account locked for another %d minute",
                          "account locked for another %d minutes", n),
                 (int)minutes);
        break;
    }
    case GJ_AUTH_INACTIVE:
        snprintf(out, outsz, "%s", _("account disabled; ask the manager"));
        break;
    case GJ_AUTH_WRONG:
    default:
        snprintf(out, outsz, "%s", _("wrong name or password"));
        break;
    }
}
