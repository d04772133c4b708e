/* The integrity check and the domain invariants of the bookkeeping. */
#ifndef GUANJIA_REPO_CHECK_H
#define GUANJIA_REPO_CHECK_H

#include <stdint.h>
#include "guanjia/db.h"

struct gj_check_result {
    const char *name;  /* translated: what was checked */
    int64_t problems;  /* 0 = passed */
    char example[256]; /* the first offending record, when any */
};

/* Runs every check, calling report for each result in order. *failures
 * gets the number of checks that found problems. Returns GJ_OK when the
 * checks could run (even if some failed), else the error. */
int gj_check_run(struct gj_db *db, void (*report)(const struct gj_check_result *, void *),
                 void *ctx, int *failures, struct gj_error *err);

/* The bookkeeping rules only (no file check), adding to *failures: what
 * gj_bulk_end runs before it commits a load. */
int gj_check_bookkeeping(struct gj_db *db, void (*report)(const struct gj_check_result *, void *),
                         void *ctx, int *failures, struct gj_error *err);

/* Counts of what the estate holds, for summaries. */
struct gj_estate_counts {
    int64_t units, persons, owners, tenants, vehicles, parking_spaces;
    int64_t users, departments, staff;
    int64_t work_orders, work_orders_open, complaints, complaints_open;
    int64_t fee_items, bills, payments, arrears_fen, units_in_arrears;
    int64_t audit_rows;
};
int gj_estate_count(struct gj_db *db, struct gj_estate_counts *out, struct gj_error *err);

#endif
