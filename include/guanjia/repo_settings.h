/* Settings (key = value) and SLA targets (response and resolve times per
 * work-order priority and complaint grade). The schema seeds defaults;
 * managers change them. Writes run in their own transaction (nested into
 * the caller's, if any), validate through core/ (rules_people.h), are
 * version-checked (a stale version gives GJ_ECONFLICT naming who changed
 * the row and when) and audited by the database. */
#ifndef GUANJIA_REPO_SETTINGS_H
#define GUANJIA_REPO_SETTINGS_H

#include "guanjia/db.h"
#include "guanjia/model.h"

/* Reads the setting key; GJ_ENOTFOUND when there is none. */
int gj_setting_get(struct gj_db *db, const char *key, struct gj_setting *out, struct gj_error *err);
/* The setting key as a whole number. A missing setting gives
 * default_value and GJ_OK; a value that is not a whole number gives
 * GJ_EINVAL (naming the setting) and *value = default_value. */
int gj_setting_get_int(struct gj_db *db, const char *key, int64_t default_value, int64_t *value,
                       struct gj_error *err);
/* Sets key to value. expected_version is the version the caller read; 0
 * creates a setting that does not exist yet (GJ_ECONFLICT if it exists by
 * then). A changed or vanished row gives GJ_ECONFLICT / GJ_ENOTFOUND.
 * The value is validated for the key (gj_setting_value_validate). */
int gj_setting_set(struct gj_db *db, int64_t actor, const char *key, const char *value,
                   int64_t expected_version, struct gj_error *err);

/* The SLA target of kind (work_order complaint) and level (a priority or
 * a grade); GJ_ENOTFOUND when there is none. */
int gj_sla_get(struct gj_db *db, const char *kind, const char *level, struct gj_sla_target *out,
               struct gj_error *err);
/* Up to max targets of kind (NULL or "": all kinds), most urgent first
 * within a kind; *n gets how many. */
int gj_sla_list(struct gj_db *db, const char *kind, struct gj_sla_target *rows, int max, int *n,
                struct gj_error *err);
/* Saves respond_minutes and resolve_minutes of target t->id
 * (version-checked; kind and level never change). Minutes must be > 0 and
 * resolve >= respond. Updates t->meta on success. */
int gj_sla_update(struct gj_db *db, int64_t actor, struct gj_sla_target *t, struct gj_error *err);

#endif
