/* Departments and their staff (the people work orders are dispatched to).
 * Every write runs in its own transaction (nested into the caller's, if
 * any), validates through core/ (rules_people.h) and is audited by the
 * database. Writes take the acting user's id (0 = the system). Updates
 * check meta.version and bump it on success; a stale version gives
 * GJ_ECONFLICT naming who changed the row and when. Nothing is deleted:
 * set active = 0 instead. Structs are caller-owned. */
#ifndef GUANJIA_REPO_STAFF_H
#define GUANJIA_REPO_STAFF_H

#include "guanjia/db.h"
#include "guanjia/model.h"

/* Creates d (name, kind); the new department is active. Fills d->id,
 * d->created_at and d->meta. A name already used gives GJ_ECONSTRAINT. */
int gj_department_create(struct gj_db *db, int64_t actor, struct gj_department *d,
                         struct gj_error *err);
int gj_department_get(struct gj_db *db, int64_t id, struct gj_department *out,
                      struct gj_error *err);
/* Saves name, kind and active (version-checked). */
int gj_department_update(struct gj_db *db, int64_t actor, struct gj_department *d,
                         struct gj_error *err);
/* Up to limit departments with a name after after_name (NULL or "": from
 * the start), in name order. Pass the last row's name for the next page. */
int gj_departments_list(struct gj_db *db, const char *after_name, int limit,
                        struct gj_department *rows, int *n, struct gj_error *err);

/* Staff are listed by name, then id (names may repeat). */
struct gj_staff_key {
    char name[GJ_NAME_BYTES];
    int64_t id;
};
/* Creates s (department_id, name, phone, title); the new member is
 * active. The phone is stored in canonical form. Fills s->id,
 * s->created_at and s->meta. An unknown department gives GJ_ECONSTRAINT. */
int gj_staff_create(struct gj_db *db, int64_t actor, struct gj_staff *s, struct gj_error *err);
int gj_staff_get(struct gj_db *db, int64_t id, struct gj_staff *out, struct gj_error *err);
/* Saves department_id, name, phone, title and active (version-checked). */
int gj_staff_update(struct gj_db *db, int64_t actor, struct gj_staff *s, struct gj_error *err);
/* Up to limit staff of department_id after *after (NULL: from the start),
 * in name order. Pass the last row's name and id for the next page. */
int gj_staff_list(struct gj_db *db, int64_t department_id, const struct gj_staff_key *after,
                  int limit, struct gj_staff *rows, int *n, struct gj_error *err);

#endif
