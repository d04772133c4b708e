/* Unit codes: building-entrance-room, e.g. 3-2-501 (3栋2单元501). */
#ifndef GUANJIA_UNITCODE_H
#define GUANJIA_UNITCODE_H

#include <stddef.h>
#include "guanjia/error.h"

struct gj_unitcode {
    int building; /* 1..999 */
    int entrance; /* 1..99 */
    int room;     /* 101..99999; floor = room / 100 */
};

/* Accepts "3-2-501", "3－2－501" (full-width dash), "3栋2单元501",
 * "3栋2单元501室", "3号楼2单元501", with surrounding spaces. */
int gj_unitcode_parse(const char *s, struct gj_unitcode *out, struct gj_error *err);
/* The floor of a room: 501 -> 5, 1203 -> 12. */
int gj_unitcode_floor(int room);
/* "3-2-501". 24 bytes are always enough. */
void gj_unitcode_format(const struct gj_unitcode *u, char *out, size_t outsz);
/* "3栋2单元501". 48 bytes are always enough. */
void gj_unitcode_format_zh(const struct gj_unitcode *u, char *out, size_t outsz);

#endif
