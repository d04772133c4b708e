/* Password policy and Argon2id hashing (libsodium). */
#include "guanjia/password.h"

#include <string.h>

#include <sodium.h>

#include "guanjia/i18n.h"
#include "guanjia/utf8.h"

#define PASSWORD_MAX_LEN 128
/* Small enough for a front-desk PC, still well above the Argon2 minimum. */
#define HASH_MEMLIMIT ((size_t)16 * 1024 * 1024)
#define HASH_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE

_Static_assert(crypto_pwhash_STRBYTES <= GJ_PASSWORD_HASH_MAX,
               "GJ_PASSWORD_HASH_MAX must hold a libsodium password hash string");

/* sodium_init() is safe to call more than once; remember a success. */
static int sodium_ready(void)
{
    static int ready;
    if (!ready && sodium_init() >= 0)
        ready = 1;
    return ready;
}

int gj_password_check(const char *pw, struct gj_error *err)
{
    size_t n = pw ? strlen(pw) : 0, i = 0;
    if (n < GJ_PASSWORD_MIN_LEN)
        return gj_err(err, GJ_EINVAL, _("password: too short, use at least %d characters"),
                      GJ_PASSWORD_MIN_LEN);
    if (n > PASSWORD_MAX_LEN)
        return gj_err(err, GJ_EINVAL, _("password: too long, at most %d bytes"), PASSWORD_MAX_LEN);
    while (i < n) {
        uint32_t cp;
        size_t k = gj_utf8_decode(pw + i, n - i, &cp);
        if (k == 0)
            return gj_err(err, GJ_EINVAL, _("password: not valid UTF-8 text"));
        if (gj_cp_width(cp) < 0)
            return gj_err(err, GJ_EINVAL,
                          _("password: control characters (such as tab) are not allowed"));
        i += k;
    }
    gj_err_clear(err);
    return GJ_OK;
}

int gj_password_hash(const char *pw, char out[GJ_PASSWORD_HASH_MAX], struct gj_error *err)
{
    char hash[crypto_pwhash_STRBYTES];
    int rc;

    if (out)
        out[0] = '\0';
    rc = gj_password_check(pw, err);
    if (rc != GJ_OK)
        return rc;
    if (!out)
        return gj_err(err, GJ_EINVAL, _("password: no room for the hash"));
    if (!sodium_ready())
        return gj_err(err, GJ_ENOMEM, _("password: the crypto library could not start"));
    if (crypto_pwhash_str_alg(hash, pw, strlen(pw), HASH_OPSLIMIT, HASH_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return gj_err(err, GJ_ENOMEM, _("password: hashing failed (out of memory)"));
    memcpy(out, hash, sizeof hash);
    sodium_memzero(hash, sizeof hash);
    gj_err_clear(err);
    return GJ_OK;
}

int gj_password_verify(const char *hash, const char *pw)
{
    char copy[crypto_pwhash_STRBYTES];
    size_t n;
    if (!hash || !pw || !sodium_ready())
        return 0;
    /* The hash comes from storage: refuse anything that is not a short,
     * NUL-terminated Argon2id string before handing it over. */
    n = strnlen(hash, sizeof copy);
    if (n == 0 || n >= sizeof copy || strncmp(hash, "$argon2id$", 10) != 0)
        return 0;
    memset(copy, 0, sizeof copy);
    memcpy(copy, hash, n);
    return crypto_pwhash_str_verify(copy, pw, strlen(pw)) == 0;
}
