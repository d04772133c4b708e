/* Validation of the people side of the product (core/, no I/O): users,
 * departments, staff, settings values, SLA targets, training records,
 * assessments and contact-log entries. Each function checks every field,
 * normalises what has a canonical form (defaults, phones, active flags)
 * and reports the first problem as "FIELD: WHY" with GJ_EINVAL. */
#ifndef GUANJIA_RULES_PEOPLE_H
#define GUANJIA_RULES_PEOPLE_H

#include "guanjia/error.h"
#include "guanjia/model.h"

/* A login name: 2 to 32 of A-Z a-z 0-9 . _ - */
int gj_login_validate(const char *login, struct gj_error *err);

/* login, name, role (trainee butler supervisor manager), rank (trainee
 * assistant butler senior head; "" becomes "trainee"), staff_id >= 0.
 * active becomes 0 or 1. The password hash is not looked at. */
int gj_user_validate(struct gj_user *u, struct gj_error *err);

/* name (1..64 characters), kind (customer_service maintenance cleaning
 * landscaping security finance management other); active becomes 0 or 1. */
int gj_department_validate(struct gj_department *d, struct gj_error *err);

/* department chosen, name (1..64), phone (optional, normalised to its
 * canonical form, see phone.h), title (optional, at most 64). */
int gj_staff_validate(struct gj_staff *s, struct gj_error *err);

/* A setting key: 1 to 64 of A-Z a-z 0-9 . _ - */
int gj_setting_key_validate(const char *key, struct gj_error *err);
/* The value of key: one line of at most 1000 characters; the settings the
 * product knows (login.max_failures, fees.due_day, ...) must also be
 * whole numbers in their range, estate.name must not be empty and
 * receipt.prefix is at most 8 letters or digits. */
int gj_setting_value_validate(const char *key, const char *value, struct gj_error *err);

/* kind and level exist together (work_order: urgent high normal low;
 * complaint: minor moderate serious). */
int gj_sla_level_validate(const char *kind, const char *level, struct gj_error *err);
/* kind/level as above, respond_minutes 1..525600 (a year), and
 * resolve_minutes between respond_minutes and 525600. */
int gj_sla_validate(const struct gj_sla_target *t, struct gj_error *err);

/* A training item or practice task id: 1 to 32 printable ASCII
 * characters, no spaces. field names it in the message. */
int gj_training_id_validate(const char *id, const char *field, struct gj_error *err);
/* user chosen, item id, status (started read passed). */
int gj_training_mark_validate(int64_t user_id, const char *item_id, const char *status,
                              struct gj_error *err);
/* user chosen, chapter 1..6, max_score >= 1, score 0..max_score,
 * answers at most 4000 characters. */
int gj_quiz_result_validate(const struct gj_quiz_result *q, struct gj_error *err);
/* user chosen, task id, feedback at most 4000 characters; passed becomes
 * 0 or 1. */
int gj_practice_result_validate(struct gj_practice_result *p, struct gj_error *err);
/* trainee and assessor chosen and different people, the four scores 1..5,
 * note at most 2000 characters. */
int gj_assessment_validate(const struct gj_assessment *a, struct gj_error *err);

/* unit or person (at least one), channel (phone wechat email walk_in
 * other), summary 1..2000 characters, result at most 2000. */
int gj_contact_validate(const struct gj_contact *c, struct gj_error *err);

#endif
