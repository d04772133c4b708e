/* Phone numbers: mainland mobiles and landlines with an area code. */
#ifndef GUANJIA_PHONE_H
#define GUANJIA_PHONE_H

#include <stddef.h>
#include "guanjia/error.h"

enum gj_phone_kind { GJ_PHONE_MOBILE = 1, GJ_PHONE_LANDLINE = 2 };

/* Normalises and validates. Mobile: 11 digits, 1[3-9]xxxxxxxxx; a leading
 * "+86" or "86" and spaces/dashes are dropped. Landline: area code 0xx or
 * 0xxx, then 7 or 8 digits, written "010-12345678", "0755 1234567" or
 * "01012345678"; stored as "010-12345678". Optional extension "-123" is
 * refused. Writes the canonical form into out (32 bytes are enough). */
int gj_phone_normalize(const char *s, char *out, size_t outsz, enum gj_phone_kind *kind,
                       struct gj_error *err);

/* Masks for lists: "13812345678" -> "138****5678";
 * "010-12345678" -> "010-****5678". Anything else keeps its last 4. */
void gj_phone_mask(const char *canonical, char *out, size_t outsz);

/* Last four digits, for search keys. out must hold 5 bytes. */
void gj_phone_last4(const char *canonical, char out[5]);

#endif
