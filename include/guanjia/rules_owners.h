/* Validation of owner records (core/, no I/O). Each function checks every
 * field, normalises what has a canonical form (phones, plates), and
 * reports the first problem as "FIELD: WHY". */
#ifndef GUANJIA_RULES_OWNERS_H
#define GUANJIA_RULES_OWNERS_H

#include "guanjia/error.h"
#include "guanjia/model.h"

int gj_unit_validate(struct gj_unit *u, struct gj_error *err);
int gj_person_validate(struct gj_person *p, struct gj_error *err);
int gj_unit_person_validate(const struct gj_unit_person *l, struct gj_error *err);
int gj_vehicle_validate(struct gj_vehicle *v, struct gj_error *err);
int gj_parking_validate(const struct gj_parking_space *p, struct gj_error *err);

/* True when s is one of the NULL-terminated codes. */
int gj_code_in(const char *s, const char *const *codes);

#endif
