/* Complaint figures (投诉闭环统计) and the rows of the complaint export:
 * the data layer only, plain numbers that the screens and the CSV draw.
 * Everything is read from one snapshot of the database. Times are UTC
 * epoch seconds; calendar months are those of China time (UTC+8, a fixed
 * offset, whatever TZ says). Structs are caller-owned. */
#ifndef GUANJIA_REPO_COMPLAINT_STATS_H
#define GUANJIA_REPO_COMPLAINT_STATS_H

#include "guanjia/db.h"
#include "guanjia/model.h"

#define GJ_CSTATS_GRADES      3  /* minor moderate serious */
#define GJ_CSTATS_CATEGORIES  9  /* the schema's complaint categories */
#define GJ_CSTATS_MONTHS      12 /* at most this many months in the series */
#define GJ_CSTATS_REPEATS     10 /* at most this many repeat units */
#define GJ_CSTATS_REPEAT_MIN  3  /* complaints that make a unit a repeat one */
#define GJ_CSTATS_REPEAT_DAYS 90 /* ... within this many days up to now */
#define GJ_CSTATS_CAUSES      5  /* at most this many root causes */
#define GJ_CSTATS_SCORES      5  /* satisfaction 1..5 */

/* The codes behind the indexes of by_grade and by_category, in schema
 * order: {"minor", "moderate", "serious"} and {"attitude",
 * "repair_quality", "noise", "sanitation", "security", "fees", "parking",
 * "neighbour", "other"}. */
extern const char *const gj_cstats_grade_codes[GJ_CSTATS_GRADES];
extern const char *const gj_cstats_category_codes[GJ_CSTATS_CATEGORIES];

struct gj_cstats_month {
    int yyyymm;    /* 202611 */
    char label[8]; /* "2026-11" */
    int64_t count; /* complaints created that month, within the range */
};

struct gj_cstats_repeat {
    int64_t unit_id;
    char unit_code[24]; /* "3-2-501" */
    int64_t count;      /* complaints in the repeat window */
};

struct gj_cstats_cause {
    char text[GJ_TEXT_BYTES]; /* the root cause, trimmed of surrounding white space */
    int64_t count;
};

/* About 80 KB (the root-cause texts): allocate it, do not put it on a
 * small stack. */
struct gj_complaint_stats {
    int64_t from, to, now; /* as asked */
    /* Complaints created in [from, to): */
    int64_t total;
    int64_t by_grade[GJ_CSTATS_GRADES];        /* indexes of gj_cstats_grade_codes */
    int64_t by_category[GJ_CSTATS_CATEGORIES]; /* indexes of gj_cstats_category_codes */
    /* Calendar months (UTC+8), oldest first, zero months included: from
     * the month of `from` to the month of the range's last second -- but
     * not past the month of `now` or of the newest complaint in the range,
     * whichever is later -- keeping the last GJ_CSTATS_MONTHS. No months
     * when to <= from. Each count is only of complaints inside [from, to). */
    int n_months;
    struct gj_cstats_month months[GJ_CSTATS_MONTHS];
    /* On time: of the complaints resolved (resolved_at set), those
     * resolved at or before resolve_due_at. Rate = on_time / resolved. */
    int64_t on_time, resolved;
    /* Seconds from created_at to acknowledged_at (acknowledged ones only)
     * and to resolved_at (resolved ones only): how many, the total and the
     * mean (total / n, rounded down; 0 when n is 0). */
    int64_t ack_n, ack_total_s, ack_mean_s;
    int64_t resolve_n, resolve_total_s, resolve_mean_s;
    /* Revisits (satisfaction set): how many, the sum of the scores (mean =
     * sum / revisited), and how many gave each score (by_score[0] is
     * score 1). */
    int64_t revisited, satisfaction_sum;
    int64_t by_score[GJ_CSTATS_SCORES];
    /* Up to GJ_CSTATS_CAUSES most frequent non-blank root causes, by count
     * (most first), then by text. */
    int n_causes;
    struct gj_cstats_cause causes[GJ_CSTATS_CAUSES];
    /* Independent of from and to: units with GJ_CSTATS_REPEAT_MIN or more
     * complaints created in [now - GJ_CSTATS_REPEAT_DAYS days, now], up to
     * GJ_CSTATS_REPEATS, most first, then by unit code. */
    int n_repeats;
    struct gj_cstats_repeat repeats[GJ_CSTATS_REPEATS];
};

/* Fills *out (cleared first) with the figures of the complaints created in
 * [from, to), and the repeat units as of now. */
int gj_complaint_stats(struct gj_db *db, int64_t from, int64_t to, int64_t now,
                       struct gj_complaint_stats *out, struct gj_error *err);

/* One line of `guanjia export complaints`: the complaint's own columns
 * with its unit code and a name. About 50 KB. */
struct gj_complaint_export_row {
    int64_t id;
    char unit_code[24];             /* "3-2-501", "" when none */
    char owner_name[GJ_NAME_BYTES]; /* the complainant, else the unit's current
                                       owner (first by link), else "" */
    char channel[GJ_CODE_BYTES];
    char category[GJ_CODE_BYTES];
    char grade[GJ_CODE_BYTES];
    int level;
    char state[GJ_CODE_BYTES];
    char subject[GJ_SHORT_BYTES];
    char detail[GJ_TEXT_BYTES];
    int64_t created_at, ack_due_at, acknowledged_at, resolve_due_at, resolved_at, revisit_due_at,
        revisited_at; /* 0 = not set */
    int satisfaction; /* 0 = none */
    char root_cause[GJ_TEXT_BYTES];
    char corrective_action[GJ_TEXT_BYTES];
};

/* Up to limit complaints with id > after_id (0: from the first), by id;
 * *n gets how many. Pass the last row's id to go on; fewer than limit
 * rows means the end. Wrap the pages in gj_db_begin_read .. gj_db_rollback
 * for one snapshot. */
int gj_complaint_export_page(struct gj_db *db, int64_t after_id, int limit,
                             struct gj_complaint_export_row *rows, int *n, struct gj_error *err);

#endif
