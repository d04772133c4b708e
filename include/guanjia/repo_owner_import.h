/* The writes and look-ups of `guanjia import owners`, made for 100,000
 * lines in one transaction (issue 9).
 *
 * The command decides what each line means (cli/import.c); this module
 * answers its questions and makes its writes with the same results as the
 * console's own calls (gj_unit_find_code, gj_persons_by_phone,
 * gj_persons_named_in_unit, gj_unit_create, gj_person_create,
 * gj_unit_person_add), only faster:
 * - the unit codes of the estate are read once into memory, and every
 *   phone on record (phone and phone2) and, for the units this import
 *   created, the names linked to them, are kept as a set of hashes: a
 *   phone or a name that is not in the set is known to be nowhere, and
 *   only the others are looked up in the database, as before;
 * - rows are inserted without a savepoint each, by statements prepared
 *   once; the insert triggers that write the audit rows of units, persons
 *   and links and the search keys of persons are lifted for the import
 *   (inside its transaction). A person's search keys are inserted with it,
 *   from the keys computed in C; gj_owner_import_finish writes the audit
 *   rows of all the new rows, one statement per table, then puts the
 *   triggers back. The audit rows are the same; only their order in the
 *   log differs (all the units, then the persons, then the links).
 *
 * With per_row set, every call is the console's own call, and finish does
 * nothing: the way it was done before, kept to compare both
 * (tests/test_import_fast.c; GUANJIA_IMPORT_PER_ROW=1 for the command).
 *
 * Everything happens inside the caller's transaction: begin after
 * gj_db_begin; on success, finish before committing; on failure, roll back
 * (which also puts the triggers back). Free either way. */
#ifndef GUANJIA_REPO_OWNER_IMPORT_H
#define GUANJIA_REPO_OWNER_IMPORT_H

#include <stdint.h>
#include "guanjia/db.h"
#include "guanjia/error.h"
#include "guanjia/model.h"

struct gj_owner_import;

/* Starts the import's writes by actor (0: the system), in db's current
 * transaction. *out is freed with gj_owner_import_free. */
int gj_owner_import_begin(struct gj_db *db, int64_t actor, int per_row,
                          struct gj_owner_import **out, struct gj_error *err);
/* Writes what the lifted triggers would have written, and puts them back. */
int gj_owner_import_finish(struct gj_owner_import *oi, struct gj_error *err);
void gj_owner_import_free(struct gj_owner_import *oi);

/* As gj_unit_find_code; GJ_OK sets only out's id, building, entrance and
 * room (the fast path leaves the other fields as they were). */
int gj_owner_import_find_unit(struct gj_owner_import *oi, int building, int entrance, int room,
                              struct gj_unit *out, struct gj_error *err);
/* As gj_persons_by_phone and gj_persons_named_in_unit. */
int gj_owner_import_by_phone(struct gj_owner_import *oi, const char *phone, int limit,
                             struct gj_person *rows, int *n, struct gj_error *err);
int gj_owner_import_named_in_unit(struct gj_owner_import *oi, int64_t unit_id, const char *name,
                                  int limit, struct gj_person *rows, int *n, struct gj_error *err);
/* As gj_unit_create, gj_person_create and gj_unit_person_add (by actor);
 * person_name is the name of the person l links. The fast path takes p as
 * gj_owner_row_parse leaves it, checked and canonical (gj_person_validate),
 * and does not check it again. */
int gj_owner_import_create_unit(struct gj_owner_import *oi, struct gj_unit *u,
                                struct gj_error *err);
int gj_owner_import_create_person(struct gj_owner_import *oi, struct gj_person *p,
                                  struct gj_error *err);
int gj_owner_import_link(struct gj_owner_import *oi, struct gj_unit_person *l,
                         const char *person_name, struct gj_error *err);

#endif
