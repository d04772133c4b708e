#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <sodium.h>

#include "guanjia/password.h"

static void check_bad(const char *pw, const char *why)
{
    struct gj_error err;
    if (gj_password_check(pw, &err) != GJ_EINVAL)
        fail_msg("password \"%s\" passed the policy", pw ? pw : "(null)");
    assert_int_equal(err.code, GJ_EINVAL);
    assert_non_null(strstr(err.msg, "password"));
    assert_non_null(strstr(err.msg, why));
    /* The password itself never shows up in a message. */
    if (pw && strlen(pw) >= 3)
        assert_null(strstr(err.msg, pw));
}

static void test_policy(void **state)
{
    (void)state;
    struct gj_error err;
    char pw[200];

    assert_int_equal(gj_password_check("abc123", &err), GJ_OK);
    assert_int_equal(err.code, GJ_OK);
    assert_int_equal(gj_password_check("correct horse battery staple", &err), GJ_OK);
    assert_int_equal(gj_password_check("密码", &err), GJ_OK); /* 6 bytes */
    assert_int_equal(gj_password_check("管家密码2026", NULL), GJ_OK);

    check_bad("abc12", "at least 6");
    check_bad("", "at least 6");
    check_bad(NULL, "at least 6");
    check_bad("密", "at least 6");

    memset(pw, 'a', sizeof pw);
    pw[128] = '\0';
    assert_int_equal(gj_password_check(pw, &err), GJ_OK);
    pw[128] = 'a';
    pw[129] = '\0';
    check_bad(pw, "128");

    check_bad("secret\xFF"
              "1",
              "UTF-8");
    check_bad("secret\xC0\xAF", "UTF-8");
    check_bad("secret\t1", "control");
    check_bad("secret\n1", "control");
    check_bad("secret\x1B"
              "1",
              "control");
    check_bad("secret\x7F"
              "1",
              "control");
    check_bad("secret\xC2\x85"
              "1",
              "control"); /* C1 NEL */
}

static void test_hash_and_verify(void **state)
{
    (void)state;
    char h1[GJ_PASSWORD_HASH_MAX], h2[GJ_PASSWORD_HASH_MAX];
    struct gj_error err;

    assert_int_equal(gj_password_hash("s3cret-pass", h1, &err), GJ_OK);
    assert_int_equal(err.code, GJ_OK);
    assert_true(strlen(h1) < GJ_PASSWORD_HASH_MAX);
    /* Argon2id, 16 MiB, interactive ops limit. */
    assert_non_null(strstr(h1, "$argon2id$"));
    assert_memory_equal(h1, "$argon2id$", 10);
    assert_non_null(strstr(h1, "m=16384,"));
    assert_non_null(strstr(h1, "t=2,"));
    assert_null(strstr(h1, "s3cret-pass"));

    assert_true(gj_password_verify(h1, "s3cret-pass"));
    assert_false(gj_password_verify(h1, "s3cret-pasS"));
    assert_false(gj_password_verify(h1, "s3cret-pass "));
    assert_false(gj_password_verify(h1, "s3cret-pas"));
    assert_false(gj_password_verify(h1, ""));

    /* A fresh salt each time. */
    assert_int_equal(gj_password_hash("s3cret-pass", h2, NULL), GJ_OK);
    assert_string_not_equal(h1, h2);
    assert_true(gj_password_verify(h2, "s3cret-pass"));
}

static void test_hash_unicode_and_long(void **state)
{
    (void)state;
    char h[GJ_PASSWORD_HASH_MAX], pw[129];
    assert_int_equal(gj_password_hash("管家密码2026", h, NULL), GJ_OK);
    assert_true(gj_password_verify(h, "管家密码2026"));
    assert_false(gj_password_verify(h, "管家密码2025"));

    memset(pw, 'z', 128);
    pw[128] = '\0';
    assert_int_equal(gj_password_hash(pw, h, NULL), GJ_OK);
    assert_true(gj_password_verify(h, pw));
    pw[127] = 'y';
    assert_false(gj_password_verify(h, pw));
}

static void test_hash_refuses_bad_password(void **state)
{
    (void)state;
    char h[GJ_PASSWORD_HASH_MAX];
    struct gj_error err;
    memset(h, 'X', sizeof h);
    assert_int_equal(gj_password_hash("short", h, &err), GJ_EINVAL);
    assert_int_equal(err.code, GJ_EINVAL);
    assert_string_equal(h, "");
    assert_int_equal(gj_password_hash("bad\ttab1", h, &err), GJ_EINVAL);
    assert_int_equal(gj_password_hash(NULL, h, &err), GJ_EINVAL);
}

static void test_verify_rejects_garbage(void **state)
{
    (void)state;
    char h[GJ_PASSWORD_HASH_MAX], bad[GJ_PASSWORD_HASH_MAX], longer[300];
    assert_int_equal(gj_password_hash("abc123", h, NULL), GJ_OK);

    assert_false(gj_password_verify(NULL, "abc123"));
    assert_false(gj_password_verify(h, NULL));
    assert_false(gj_password_verify("", "abc123"));
    assert_false(gj_password_verify("abc123", "abc123")); /* a plain-text "hash" */
    assert_false(gj_password_verify("$argon2id$", "abc123"));

    /* Truncated or altered hashes do not verify. */
    memcpy(bad, h, sizeof bad);
    bad[strlen(bad) - 5] = '\0';
    assert_false(gj_password_verify(bad, "abc123"));
    memcpy(bad, h, sizeof bad);
    bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == 'A' ? 'B' : 'A';
    assert_false(gj_password_verify(bad, "abc123"));

    /* An over-long stored value is refused without reading past it. */
    memset(longer, 'a', sizeof longer);
    memcpy(longer, h, strlen(h));
    longer[sizeof longer - 1] = '\0';
    assert_false(gj_password_verify(longer, "abc123"));
}

static void test_verify_other_parameters(void **state)
{
    (void)state;
    /* Hashes made with other limits (e.g. by an older release) still verify:
     * the parameters travel inside the string. */
    char h[crypto_pwhash_STRBYTES];
    assert_true(sodium_init() >= 0);
    assert_int_equal(crypto_pwhash_str_alg(h, "older-pass", 10, 3, 8u * 1024 * 1024,
                                           crypto_pwhash_ALG_ARGON2ID13),
                     0);
    assert_true(gj_password_verify(h, "older-pass"));
    assert_false(gj_password_verify(h, "older-pasS"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_hash_and_verify),
        cmocka_unit_test(test_hash_unicode_and_long),
        cmocka_unit_test(test_hash_refuses_bad_password),
        cmocka_unit_test(test_verify_rejects_garbage),
        cmocka_unit_test(test_verify_other_parameters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
