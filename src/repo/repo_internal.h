/* Shared by the repository files only (src/repo): pieces of one aggregate
 * that another file writes or reads too. */
#ifndef GUANJIA_REPO_INTERNAL_H
#define GUANJIA_REPO_INTERNAL_H

#include "db_internal.h"
#include "guanjia/model.h"

/* The work-order report figures by UTC day, category, department (0:
 * none) and channel, counted from the orders: what the triggers of
 * migration 10 keep in wo_day_stats (rebuilt after a bulk load, compared
 * by `guanjia check`). */
#define GJ_WO_DAY_STATS_SELECT                                                                     \
    "SELECT created_at / 86400, category, coalesce(department_id, 0), channel, count(*), "         \
    "sum(state <> 'cancelled' AND resolved_at IS NOT NULL AND resolved_at <= due_at), "            \
    "sum(state <> 'cancelled' AND resolved_at IS NOT NULL AND resolved_at > due_at), "             \
    "count(responded_at), coalesce(sum(responded_at - created_at), 0), count(resolved_at), "       \
    "coalesce(sum(resolved_at - created_at), 0) FROM work_orders GROUP BY 1, 2, 3, 4"

/* The units with at least ?3 complaints taken in [?1, ?2), most first,
 * then by unit code, at most ?4: unit_id, building, entrance, room, count.
 * Counted by unit from the index of complaints by time (complaints_report)
 * first, and only the units kept are looked up. */
#define GJ_REPEAT_UNITS_SQL                                                                        \
    "SELECT x.unit_id, u.building, u.entrance, u.room, x.n FROM (SELECT unit_id, count(*) AS n "   \
    "FROM complaints WHERE created_at >= ?1 AND created_at < ?2 AND unit_id IS NOT NULL "          \
    "GROUP BY unit_id HAVING n >= ?3) AS x JOIN units u ON u.id = x.unit_id "                      \
    "ORDER BY x.n DESC, u.building, u.entrance, u.room LIMIT ?4"

/* Binds what bill b charges (unit_id, fee_item_id, parking_space_id,
 * period, quantity, rate_fen, amount_fen) to parameters 1 to 7, the
 * columns every INSERT INTO bills starts with. */
void gj_bind_bill_charge(sqlite3_stmt *st, const struct gj_bill *b);

/* Inserts bill b (its charge and due_at) as issued at now by actor; with
 * if_absent, a bill already issued for the same unit, item, space and
 * month is left as it is (sqlite3_changes says 0). The new bill's id is
 * sqlite3_last_insert_rowid. The transaction is the caller's. */
int gj_bill_insert_row(struct gj_db *db, const struct gj_bill *b, int64_t actor, int64_t now,
                       int if_absent, struct gj_error *err);

/* The day of the month bills fall due: the setting fees.due_day (1 to 28,
 * else GJ_EINVAL), GJ_BILL_DUE_DAY when it is not set. */
int gj_bill_due_day(struct gj_db *db, int *due_day, struct gj_error *err);

/* Reads a dunning contact (struct gj_dunning) from columns 0 to 9: id,
 * unit_id, person_id, channel, result, promised_at, promised_fen, note,
 * at, user_id (0 for NULL). A gj_step_rows reader. */
void gj_read_dunning(sqlite3_stmt *st, void *row);

/* Reads a repeat complainant (struct gj_cstats_repeat) from columns 0 to
 * 4: unit_id, building, entrance, room, count. A gj_step_rows reader. */
void gj_read_cstats_repeat(sqlite3_stmt *st, void *row);

/* Insert one checked unit, person (with its initials and search keys) or
 * household link as written by actor at now, and set its id and meta: the
 * INSERT of gj_unit_create, gj_person_create and gj_unit_person_add, with
 * no validation and no transaction of its own (the caller's; the statement
 * alone is undone when it fails). The insert triggers write the audit row
 * and the search keys, when they are in place (see owner_import.c). */
int gj_unit_insert_row(struct gj_db *db, int64_t actor, struct gj_unit *u, int64_t now,
                       struct gj_error *err);
/* persons.search_keys of a person: every reading's initials, by spaces. */
#define GJ_PERSON_KEYS_BYTES 1100
/* keys (GJ_PERSON_KEYS_BYTES) gets the person's search keys. */
int gj_person_insert_row(struct gj_db *db, int64_t actor, struct gj_person *p, int64_t now,
                         char *keys, struct gj_error *err);
int gj_unit_person_insert_row(struct gj_db *db, int64_t actor, struct gj_unit_person *l,
                              int64_t now, struct gj_error *err);

#endif
