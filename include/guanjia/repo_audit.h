/* The audit log, read-only: rows are written by the database's triggers in
 * the same transaction as the change they record (see the schema). Each
 * entry carries who (user_id, 0 = the system), when, what (insert,
 * update, bulk), the table (entity) and row id, and the row's values
 * before and after as JSON. Lists are newest first, keyset-paged on the
 * entry id: pass after_id = 0 for the first page, then the last row's id.
 * Entries own their JSON strings: free them with gj_audit_entry_free (or
 * gj_audit_entries_free). On failure nothing is left to free (*n = 0). */
#ifndef GUANJIA_REPO_AUDIT_H
#define GUANJIA_REPO_AUDIT_H

#include "guanjia/db.h"
#include "guanjia/model.h"

/* Up to limit entries about row entity_id of table entity (e.g.
 * "departments"), older than entry after_id. */
int gj_audit_of_entity(struct gj_db *db, const char *entity, int64_t entity_id, int64_t after_id,
                       int limit, struct gj_audit_entry *rows, int *n, struct gj_error *err);
/* Up to limit entries of any kind, older than entry after_id. */
int gj_audit_recent(struct gj_db *db, int64_t after_id, int limit, struct gj_audit_entry *rows,
                    int *n, struct gj_error *err);
/* How many entries the log holds. */
int gj_audit_count(struct gj_db *db, int64_t *n, struct gj_error *err);

/* Frees e's old_values and new_values and sets them to NULL. */
void gj_audit_entry_free(struct gj_audit_entry *e);
/* gj_audit_entry_free on rows[0..n-1]. */
void gj_audit_entries_free(struct gj_audit_entry *rows, int n);

#endif
