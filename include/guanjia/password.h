/* Password hashing (libsodium Argon2id). */
#ifndef GUANJIA_PASSWORD_H
#define GUANJIA_PASSWORD_H

#include <stddef.h>
#include "guanjia/error.h"

#define GJ_PASSWORD_HASH_MAX 128
#define GJ_PASSWORD_MIN_LEN  6

/* Checks the password policy: 6 to 128 bytes, valid UTF-8, no controls. */
int gj_password_check(const char *pw, struct gj_error *err);
/* Hashes pw into out (GJ_PASSWORD_HASH_MAX bytes). */
int gj_password_hash(const char *pw, char out[GJ_PASSWORD_HASH_MAX], struct gj_error *err);
/* 1 when pw matches hash, 0 otherwise. */
int gj_password_verify(const char *hash, const char *pw);

#endif
