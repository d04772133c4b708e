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

/* An open, unresolved work order, and the moment it counts as missed in
 * a report (missed when that is before the clock): its deadline, or for one
 * on hold -(2^63 - 1) (put on hold past its deadline: missed) or the
 * largest integer (never). The same text as the index wo_open_by_judged
 * (migration 17), which holds it, and as its triggers. */
#define GJ_WO_OPEN                                                                                 \
    "resolved_at IS NULL AND state IN ('new', 'dispatched', 'in_progress', 'on_hold')"
#define GJ_WO_JUDGED                                                                               \
    "(CASE WHEN state = 'on_hold' THEN CASE WHEN hold_started_at > coalesce(promised_at, "         \
    "resolve_due_at) + paused_seconds THEN -9223372036854775807 ELSE 9223372036854775807 END "     \
    "ELSE coalesce(promised_at, resolve_due_at) + paused_seconds END)"

/* The open orders missed at wo_missed_asof.at, by UTC day of taking,
 * category, department (0: none) and channel: what the triggers of
 * migration 17 keep in wo_open_missed (rows of 0 aside). */
#define GJ_WO_OPEN_MISSED_SELECT                                                                   \
    "SELECT created_at / 86400, category, coalesce(department_id, 0), channel, count(*) "          \
    "FROM work_orders INDEXED BY wo_open_by_judged WHERE " GJ_WO_OPEN " AND " GJ_WO_JUDGED         \
    " < (SELECT at FROM wo_missed_asof WHERE id = 1) GROUP BY 1, 2, 3, 4"

/* Counts wo_open_missed again at now, in the caller's transaction. */
int gj_wo_missed_recount(struct gj_db *db, int64_t now, struct gj_error *err);

/* Each unit's arrears on its unpaid bills due before arrears_asof.at:
 * unit_id, building, entrance, room, total, the same by age at that moment
 * (due within 30 days before it, 31-90, 91-180, more), earliest due date.
 * What the triggers of migration 14 keep in arrears_units (counted again
 * by gj_arrears_refresh and after a bulk load, compared by `guanjia
 * check`). */
#define GJ_ARREARS_OWED "(b.amount_fen - b.paid_fen)"
#define GJ_ARREARS_UNITS_SELECT                                                                    \
    "SELECT b.unit_id, u.building, u.entrance, u.room, sum(" GJ_ARREARS_OWED "), "                 \
    "sum(CASE WHEN b.due_at > a.at - 2678400 THEN " GJ_ARREARS_OWED " ELSE 0 END), "               \
    "sum(CASE WHEN b.due_at <= a.at - 2678400 AND b.due_at > a.at - 7862400 THEN " GJ_ARREARS_OWED \
    " ELSE 0 END), "                                                                               \
    "sum(CASE WHEN b.due_at <= a.at - 7862400 AND b.due_at > a.at - 15638400 "                     \
    "THEN " GJ_ARREARS_OWED " ELSE 0 END), "                                                       \
    "sum(CASE WHEN b.due_at <= a.at - 15638400 THEN " GJ_ARREARS_OWED " ELSE 0 END), "             \
    "min(b.due_at) FROM arrears_asof a, bills b JOIN units u ON u.id = b.unit_id "                 \
    "WHERE a.id = 1 AND b.paid_fen < b.amount_fen AND b.due_at < a.at GROUP BY b.unit_id"

/* Counts arrears_units again at now, in the caller's transaction. */
int gj_arrears_recount(struct gj_db *db, int64_t now, struct gj_error *err);

/* The units with at least ?3 complaints taken in [?1, ?2), most first,
 * then by unit code, at most ?4: unit_id, building, entrance, room, count.
 * Counted by unit from the index of complaints by time (complaints_report)
 * first, and only the units kept are looked up. */
#define GJ_REPEAT_UNITS_SQL                                                                        \
    "SELECT x.unit_id, u.building, u.entrance, u.room, x.n FROM (SELECT unit_id, count(*) AS n "   \
    "FROM complaints WHERE created_at >= ?1 AND created_at < ?2 AND unit_id IS NOT NULL "          \
    "GROUP BY unit_id HAVING n >= ?3) AS x JOIN units u ON u.id = x.unit_id "                      \
    "ORDER BY x.n DESC, u.building, u.entrance, u.room LIMIT ?4"
/* The day (China time, UTC+8) of a complaint's created_at, rounded down:
 * the day of migration 16's complaint_day_stats and complaint_cause_days. */
#define GJ_CN_DAY_SQL                                                                              \
    "((created_at + 28800) - ((created_at + 28800) % 86400 + 86400) % 86400) / 86400"

/* A complaint's root cause trimmed of white space (space, tab, LF, CR and
 * the ideographic space U+3000), as the complaint figures count it. */
#define GJ_CAUSE_TRIM_SQL "trim(root_cause, ' ' || char(9, 10, 13, 12288))"

/* The columns of complaint_day_stats after day (migration 16), and one
 * complaint's share of each, in the same order. */
#define GJ_CDAY_COLS                                                                               \
    "n, resolved, on_time, ack_n, ack_s, resolve_s, sat_n, sat_sum, s1, s2, s3, s4, s5, "          \
    "g_minor, g_moderate, g_serious, c_attitude, c_repair_quality, c_noise, c_sanitation, "        \
    "c_security, c_fees, c_parking, c_neighbour, c_other"
#define GJ_CDAY_VALUES                                                                             \
    "1, resolved_at IS NOT NULL, coalesce(resolved_at <= resolve_due_at, 0), "                     \
    "acknowledged_at IS NOT NULL, coalesce(acknowledged_at - created_at, 0), "                     \
    "coalesce(resolved_at - created_at, 0), satisfaction IS NOT NULL, coalesce(satisfaction, "     \
    "0), coalesce(satisfaction = 1, 0), coalesce(satisfaction = 2, 0), "                           \
    "coalesce(satisfaction = 3, 0), coalesce(satisfaction = 4, 0), coalesce(satisfaction = 5, "    \
    "0), grade = 'minor', grade = 'moderate', grade = 'serious', category = 'attitude', "          \
    "category = 'repair_quality', category = 'noise', category = 'sanitation', "                   \
    "category = 'security', category = 'fees', category = 'parking', category = 'neighbour', "     \
    "category = 'other'"
/* The complaint figures by day (UTC+8) and the root causes by day,
 * counted from the complaints: what the triggers of migration 16 keep in
 * complaint_day_stats and complaint_cause_days (rebuilt after a bulk load,
 * compared by `guanjia check`). */
#define GJ_COMPLAINT_DAY_STATS_SELECT                                                              \
    "SELECT " GJ_CN_DAY_SQL ", "                                                                   \
    "count(*), sum(resolved_at IS NOT NULL), sum(coalesce(resolved_at <= resolve_due_at, "         \
    "0)), sum(acknowledged_at IS NOT NULL), sum(coalesce(acknowledged_at - created_at, 0)), "      \
    "sum(coalesce(resolved_at - created_at, 0)), sum(satisfaction IS NOT NULL), "                  \
    "sum(coalesce(satisfaction, 0)), sum(coalesce(satisfaction = 1, 0)), "                         \
    "sum(coalesce(satisfaction = 2, 0)), sum(coalesce(satisfaction = 3, 0)), "                     \
    "sum(coalesce(satisfaction = 4, 0)), sum(coalesce(satisfaction = 5, 0)), "                     \
    "sum(grade = 'minor'), sum(grade = 'moderate'), sum(grade = 'serious'), "                      \
    "sum(category = 'attitude'), sum(category = 'repair_quality'), sum(category = 'noise'), "      \
    "sum(category = 'sanitation'), sum(category = 'security'), sum(category = 'fees'), "           \
    "sum(category = 'parking'), sum(category = 'neighbour'), "                                     \
    "sum(category = 'other') FROM complaints GROUP BY 1"
#define GJ_COMPLAINT_CAUSE_DAYS_SELECT                                                             \
    "SELECT " GJ_CN_DAY_SQL ", " GJ_CAUSE_TRIM_SQL ", count(*) FROM complaints "                   \
    "WHERE " GJ_CAUSE_TRIM_SQL " <> '' GROUP BY 1, 2"
/* The sums of the complaints taken in a range. */
struct gj_cstats_sums {
    int64_t total, resolved, on_time, ack_n, ack_s, resolve_s, sat_n, sat_sum;
    int64_t by_score[5];    /* satisfaction 1..5 */
    int64_t by_grade[3];    /* indexes of gj_cstats_grade_codes */
    int64_t by_category[9]; /* indexes of gj_cstats_category_codes */
};

/* *out (cleared first) gets the sums of the complaints taken in [lo, hi):
 * whole days from complaint_day_stats, the hours at either end from the
 * complaints themselves. */
int gj_cstats_sums(struct gj_db *db, int64_t lo, int64_t hi, struct gj_cstats_sums *out,
                   struct gj_error *err);

struct gj_cstats_repeat;
/* The units with at least min complaints taken in [lo, hi), most first,
 * then by unit code, at most limit of them into rows; *n gets how many.
 * Counted by unit in memory from the index of complaints by time
 * (complaints_report); only the units that may be kept are looked up. */
int gj_cstats_repeat_units(struct gj_db *db, int64_t lo, int64_t hi, int min, int limit,
                           struct gj_cstats_repeat *rows, int *n, struct gj_error *err);

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
