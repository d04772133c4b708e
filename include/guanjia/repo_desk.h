/* The Desk: what needs a user (or, for a supervisor or manager, their
 * team) today, read in one snapshot. */
#ifndef GUANJIA_REPO_DESK_H
#define GUANJIA_REPO_DESK_H

#include "guanjia/db.h"
#include "guanjia/model.h"

enum gj_desk_kind {
    GJ_DESK_OVERDUE_ORDER,     /* an open work order past its deadline */
    GJ_DESK_OVERDUE_COMPLAINT, /* an open complaint past its deadline */
    GJ_DESK_TO_ACKNOWLEDGE,    /* a complaint not yet acknowledged */
    GJ_DESK_REVISIT,           /* a resolved complaint whose revisit is due by tonight */
    GJ_DESK_PROMISE,           /* a promise to pay falling due today (or passed) */
    GJ_DESK_APPOINTMENT,       /* a work order with an appointment today */
    GJ_DESK_ORDER,             /* an open work order, by due time */
    GJ_DESK_KINDS
};

struct gj_desk_item {
    enum gj_desk_kind kind;
    int64_t id;      /* the work order, complaint or dunning contact */
    int64_t unit_id; /* 0 when none */
    int64_t due;     /* the deadline, appointment or promised time */
    char unit_code[24];
    char text[GJ_SHORT_BYTES]; /* the request, subject or owner */
};

/* Up to per_kind items of each kind for user_id (the orders they took,
 * the complaints assigned to them, their dunning promises), or for
 * everybody when team is set (supervisors and managers), at now; the day
 * is the local day of now. Items come grouped by kind, most urgent first
 * within a kind. rows needs room for GJ_DESK_KINDS * per_kind. */
int gj_desk_items(struct gj_db *db, int64_t user_id, int team, int64_t now, int per_kind,
                  struct gj_desk_item *rows, int *n, struct gj_error *err);

#endif
