/* The contact log: every call, message or visit with an owner or a
 * resident, about a unit, a person or both. Append-only: an entry is
 * never changed; a correction is a new entry. Each add runs in its own
 * transaction (nested into the caller's, if any), validates through core/
 * (rules_people.h) and is audited by the database. */
#ifndef GUANJIA_REPO_CONTACTS_H
#define GUANJIA_REPO_CONTACTS_H

#include "guanjia/db.h"
#include "guanjia/model.h"

/* Adds c (unit_id and/or person_id, channel, summary, result, optional
 * work_order_id and complaint_id), recorded now by actor (0 = the
 * system). Fills c->id, c->at and c->user_id. */
int gj_contact_add(struct gj_db *db, int64_t actor, struct gj_contact *c, struct gj_error *err);

/* Up to limit entries of a unit (or of a person), newest first, older than
 * (after_at, after_id): pass after_id = 0 for the first page, then the last
 * row's at and id. */
int gj_contacts_of_unit(struct gj_db *db, int64_t unit_id, int64_t after_at, int64_t after_id,
                        int limit, struct gj_contact *rows, int *n, struct gj_error *err);
int gj_contacts_of_person(struct gj_db *db, int64_t person_id, int64_t after_at, int64_t after_id,
                          int limit, struct gj_contact *rows, int *n, struct gj_error *err);

#endif
