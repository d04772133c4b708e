/* Units, persons, their links, vehicles and parking spaces.
 * Every write runs in its own transaction (nested into the caller's, if
 * any), validates through core/, and is audited by the database. Writes
 * take the acting user's id (0 = the system). Updates check
 * meta.version and bump it on success; a stale version gives GJ_ECONFLICT
 * naming who changed the row and when. Structs are caller-owned. */
#ifndef GUANJIA_REPO_OWNERS_H
#define GUANJIA_REPO_OWNERS_H

#include "guanjia/db.h"
#include "guanjia/model.h"

/* Units, listed in code order (building, entrance, room). */
struct gj_unit_key {
    int building, entrance, room;
};
int gj_unit_create(struct gj_db *db, int64_t actor, struct gj_unit *u, struct gj_error *err);
int gj_unit_get(struct gj_db *db, int64_t id, struct gj_unit *out, struct gj_error *err);
int gj_unit_find_code(struct gj_db *db, int building, int entrance, int room, struct gj_unit *out,
                      struct gj_error *err);
int gj_unit_update(struct gj_db *db, int64_t actor, struct gj_unit *u, struct gj_error *err);
/* Up to limit units after *after (NULL: from the start) into rows; *n gets
 * how many. Pass the last row's code as the next call's after. */
int gj_units_list(struct gj_db *db, const struct gj_unit_key *after, int limit,
                  struct gj_unit *rows, int *n, struct gj_error *err);
/* Up to limit units before *before (NULL: from the end), nearest first. */
int gj_units_list_before(struct gj_db *db, const struct gj_unit_key *before, int limit,
                         struct gj_unit *rows, int *n, struct gj_error *err);

/* Persons, listed by name then id. The repository fills initials and the
 * search keys from the name (pinyin) and normalises the phones. */
struct gj_person_key {
    char name[GJ_NAME_BYTES];
    int64_t id;
};
int gj_person_create(struct gj_db *db, int64_t actor, struct gj_person *p, struct gj_error *err);
int gj_person_get(struct gj_db *db, int64_t id, struct gj_person *out, struct gj_error *err);
int gj_person_update(struct gj_db *db, int64_t actor, struct gj_person *p, struct gj_error *err);
int gj_persons_list(struct gj_db *db, const struct gj_person_key *after, int limit,
                    struct gj_person *rows, int *n, struct gj_error *err);
/* Persons named exactly name with a current link to the unit, by id. */
int gj_persons_named_in_unit(struct gj_db *db, int64_t unit_id, const char *name, int limit,
                             struct gj_person *rows, int *n, struct gj_error *err);
/* Persons whose phone (either) is exactly phone (canonical form). */
int gj_persons_by_phone(struct gj_db *db, const char *phone, int limit, struct gj_person *rows,
                        int *n, struct gj_error *err);

/* Unit-person links (owner, tenant, family). */
int gj_unit_person_add(struct gj_db *db, int64_t actor, struct gj_unit_person *l,
                       struct gj_error *err);
/* Ends an active link at end_at (the link is kept, never deleted). */
int gj_unit_person_end(struct gj_db *db, int64_t actor, struct gj_unit_person *l, int64_t end_at,
                       struct gj_error *err);
int gj_unit_person_get(struct gj_db *db, int64_t id, struct gj_unit_person *out,
                       struct gj_error *err);
/* Links of a unit (or of a person), active ones first, by id. */
int gj_unit_persons_of_unit(struct gj_db *db, int64_t unit_id, int limit,
                            struct gj_unit_person *rows, int *n, struct gj_error *err);
int gj_unit_persons_of_person(struct gj_db *db, int64_t person_id, int limit,
                              struct gj_unit_person *rows, int *n, struct gj_error *err);

/* Vehicles. */
int gj_vehicle_create(struct gj_db *db, int64_t actor, struct gj_vehicle *v, struct gj_error *err);
int gj_vehicle_get(struct gj_db *db, int64_t id, struct gj_vehicle *out, struct gj_error *err);
int gj_vehicle_update(struct gj_db *db, int64_t actor, struct gj_vehicle *v, struct gj_error *err);
int gj_vehicles_of_person(struct gj_db *db, int64_t person_id, int limit, struct gj_vehicle *rows,
                          int *n, struct gj_error *err);

/* Parking spaces, listed by id. */
int gj_parking_create(struct gj_db *db, int64_t actor, struct gj_parking_space *p,
                      struct gj_error *err);
int gj_parking_get(struct gj_db *db, int64_t id, struct gj_parking_space *out,
                   struct gj_error *err);
int gj_parking_update(struct gj_db *db, int64_t actor, struct gj_parking_space *p,
                      struct gj_error *err);
int gj_parking_list(struct gj_db *db, int64_t after_id, int limit, struct gj_parking_space *rows,
                    int *n, struct gj_error *err);

#endif
