/* Community life and safety (社区文化建设、安全管理; curriculum 1.1 and
 * 3.3), the records and their rules (core/, no I/O): notices to owners,
 * community activities and the units signed up for them, security patrols
 * and their findings, fire and evacuation drills, and incidents.
 * Fields mirror src/db/migrations/007_community.sql; the conventions of
 * model.h hold (0 = none for ids and optional times, "" = none for
 * optional text). Each validate function checks every field the caller
 * fills and reports the first problem as "FIELD: WHY" with GJ_EINVAL;
 * fields the repository fills (ids, who, when, meta) are not looked at. */
#ifndef GUANJIA_RULES_COMMUNITY_H
#define GUANJIA_RULES_COMMUNITY_H

#include "guanjia/error.h"
#include "guanjia/model.h"

#define GJ_TITLE_CHARS      100 /* titles, places, routes, locations */
#define GJ_TITLE_BYTES      (GJ_TITLE_CHARS * 4 + 1)
#define GJ_CAPACITY_MAX     10000  /* people at one activity */
#define GJ_SIGNUP_PEOPLE    20     /* people on one sign-up, at most */
#define GJ_PARTICIPANTS_MAX 100000 /* people at one drill */

/* ---- notices (通知公告) ---- */

struct gj_notice {
    int64_t id;
    char title[GJ_TITLE_BYTES];   /* 1..100 characters, one line */
    char body[GJ_TEXT_BYTES];     /* 1..4000 characters */
    char audience[GJ_CODE_BYTES]; /* estate building unit */
    int building;                 /* audience "building": 1..999; else 0 */
    int64_t unit_id;              /* audience "unit": the unit; else 0 */
    int64_t valid_from, valid_to; /* shown from .. to, both included */
    int withdrawn;                /* set by gj_notice_withdraw only */
    int64_t created_at, created_by;
    struct gj_row_meta meta;
};

/* estate building unit, NULL-terminated, and the translated name of one
 * ("the whole estate", "one building", "one unit"; the code itself when
 * unknown). */
extern const char *const gj_notice_audiences[];
const char *gj_notice_audience_label(const char *audience);

/* title, body, audience with what it needs (a building 1..999 for
 * "building", a unit for "unit", neither for "estate": the other is
 * refused, not ignored), both times set and valid_to >= valid_from. */
int gj_notice_validate(const struct gj_notice *n, struct gj_error *err);

/* ---- activities (社区活动) and sign-ups ---- */

struct gj_activity {
    int64_t id;
    char title[GJ_TITLE_BYTES]; /* 1..100, one line */
    char place[GJ_TITLE_BYTES]; /* 1..100, one line */
    int64_t starts_at, ends_at;
    int capacity;             /* people, 1..GJ_CAPACITY_MAX; 0 = no limit */
    char note[GJ_NOTE_BYTES]; /* at most 2000 */
    int cancelled;            /* set by gj_activity_cancel only */
    int64_t created_at, created_by;
    struct gj_row_meta meta;
    int signed_up; /* filled by reads: people of the active sign-ups */
};

/* title, place, both times set and ends_at >= starts_at, capacity 0 (no
 * limit) or 1..GJ_CAPACITY_MAX, note. */
int gj_activity_validate(const struct gj_activity *a, struct gj_error *err);

struct gj_signup {
    int64_t id, activity_id, unit_id;
    int64_t person_id; /* who signed up for the unit; 0 = not named */
    int people;        /* 1..GJ_SIGNUP_PEOPLE */
    int64_t at, by_user;
    int cancelled; /* set by gj_signup_cancel only */
    struct gj_row_meta meta;
};

/* activity and unit chosen, people 1..GJ_SIGNUP_PEOPLE, person 0 or an id. */
int gj_signup_validate(const struct gj_signup *s, struct gj_error *err);

/* Whether people more fit an activity of capacity (0: no limit) that
 * already has taken places: GJ_OK, or GJ_ECONSTRAINT saying how many
 * places are left. */
int gj_activity_places_check(int capacity, int taken, int people, struct gj_error *err);

/* ---- patrols (巡查) and findings ---- */

struct gj_patrol {
    int64_t id;
    char route[GJ_TITLE_BYTES]; /* 1..100, one line: "东区地库", "1-6号楼外围" */
    int64_t started_at;         /* 0 on start: now */
    int64_t ended_at;           /* 0 = under way */
    int64_t by_user;
    char note[GJ_NOTE_BYTES]; /* at most 2000 */
    struct gj_row_meta meta;
    int findings, orders; /* filled by reads: findings, and how many became work orders */
};

/* route, note, ended_at 0 or not before started_at. */
int gj_patrol_validate(const struct gj_patrol *p, struct gj_error *err);

struct gj_finding {
    int64_t id, patrol_id;
    int64_t at;                    /* 0 on add: now */
    char location[GJ_TITLE_BYTES]; /* 1..100, one line */
    char what[GJ_NOTE_BYTES];      /* 1..2000 */
    char severity[GJ_CODE_BYTES];  /* low medium high */
    int64_t work_order_id;         /* 0 until turned into a work order */
    int64_t by_user;
    struct gj_row_meta meta;
};

/* low medium high, NULL-terminated, and the translated name of one. */
extern const char *const gj_finding_severities[];
const char *gj_finding_severity_label(const char *severity);

/* patrol chosen, location, what, severity. */
int gj_finding_validate(const struct gj_finding *f, struct gj_error *err);

/* The work-order priority a finding of severity suggests: high -> high,
 * medium -> normal, low -> low; NULL for an unknown severity. */
const char *gj_finding_priority(const char *severity);

/* ---- drills (消防演练) ---- */

struct gj_drill {
    int64_t id;
    char kind[GJ_CODE_BYTES]; /* fire evacuation other */
    int64_t held_at;
    char place[GJ_TITLE_BYTES]; /* 1..100, one line */
    int participants;           /* 0..GJ_PARTICIPANTS_MAX */
    char note[GJ_NOTE_BYTES];   /* at most 2000 */
    int64_t by_user;
    struct gj_row_meta meta;
};

/* fire evacuation other, NULL-terminated, and the translated name of one. */
extern const char *const gj_drill_kinds[];
const char *gj_drill_kind_label(const char *kind);

/* kind, held_at set, place, participants 0..GJ_PARTICIPANTS_MAX, note. */
int gj_drill_validate(const struct gj_drill *d, struct gj_error *err);

/* ---- incidents (突发事件) ---- */

struct gj_incident {
    int64_t id;
    char what[GJ_TEXT_BYTES]; /* what happened, 1..4000 */
    int64_t happened_at;
    char place[GJ_TITLE_BYTES];       /* 1..100, one line */
    char actions[GJ_TEXT_BYTES];      /* what was done: "" until given, then 1..4000 */
    char informed[GJ_NOTE_BYTES];     /* who was informed, and how: "" or 1..2000 */
    int64_t closed_at;                /* 0 = open; set by gj_incident_close only */
    char closing_note[GJ_NOTE_BYTES]; /* at most 2000 */
    int64_t created_at, created_by;
    struct gj_row_meta meta;
};

/* what, happened_at set, place, actions (<= 4000), informed (<= 2000),
 * closing_note (<= 2000); a closed incident needs its actions and cannot
 * close before it happened. */
int gj_incident_validate(const struct gj_incident *i, struct gj_error *err);

/* Whether the incident may close now: its actions are recorded. GJ_OK, or
 * GJ_EINVAL saying what is missing. */
int gj_incident_close_check(const struct gj_incident *i, struct gj_error *err);

/* The emergency communication checklist (突发事件沟通话术, curriculum 3.3),
 * in order, NULL-terminated; each entry is an untranslated msgid: show it
 * with _(). */
extern const char *const gj_incident_steps[];

#endif
