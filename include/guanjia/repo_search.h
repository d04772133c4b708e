/* The Owners screen's search: the units and persons matching a classified
 * query (search.h), as one list of (unit, person) rows. Read-only; runs on
 * every keystroke, so every lookup is an index search or an index range,
 * and a broad query stops reading as soon as the page is full. */
#ifndef GUANJIA_REPO_SEARCH_H
#define GUANJIA_REPO_SEARCH_H

#include <stdint.h>

#include "guanjia/db.h"
#include "guanjia/model.h"
#include "guanjia/search.h"

/* One row: a unit with one of its current residents (a link that has not
 * ended), a unit with nobody (person_id 0), or a person who lives in no
 * unit now (unit_id 0). */
struct gj_owner_hit {
    int64_t unit_id; /* 0: the person has no current unit */
    int building, entrance, room;
    int64_t person_id; /* 0: nobody lives in the unit */
    char name[GJ_NAME_BYTES];
    char relation[GJ_CODE_BYTES]; /* owner tenant family; "" without a link */
    char phone[GJ_PHONE_BYTES];   /* stored form; the matched phone when found by
                                     phone, else the first one; the UI masks it */
    int archived;                 /* the person is archived (found by exact phone) */
};

/* Up to limit rows matching q into rows; *n gets how many. *n == limit
 * means there may be more: show "more…" (ask for limit + 1 rows to know).
 * Each (unit, person) pair appears once. Archived persons are left out
 * unless q is an exact phone number (GJ_SEARCH_PHONE).
 *
 * Order, by kind, in the order the kinds are tried when several apply:
 *   PHONE         by unit code (persons without a unit last)
 *   PHONE_PREFIX  by the matched phone, then unit code
 *   LAST4         by unit code
 *   UNIT          by room range (exact room first), then entrance and room
 *   ROOM          by room (exact room first), then building and entrance
 *   INITIALS      by the matched key (an exact key first), then unit code
 *   NAME          by name (the exact name first), then unit code
 * Within a unit: owner, tenant, family, then by person. */
int gj_owner_search(struct gj_db *db, const struct gj_search_query *q, int limit,
                    struct gj_owner_hit *rows, int *n, struct gj_error *err);

/* The SQL of the i-th statement gj_owner_search may run (i from 0), NULL
 * past the last: for tests that check the query plans. */
const char *gj_owner_search_sql(int i);

#endif
