/* Bulk loading of generated history (the demo estate). Rows go in as they
 * are, already complete, inside one transaction opened by gj_bulk_begin.
 * While it is open, row-level audit triggers are quiet; gj_bulk_end writes
 * one 'bulk' audit row describing the load instead. The database's CHECK,
 * UNIQUE and foreign-key rules still apply to every row. */
#ifndef GUANJIA_REPO_BULK_H
#define GUANJIA_REPO_BULK_H

#include <stddef.h>
#include "guanjia/db.h"
#include "guanjia/model.h"

int gj_bulk_begin(struct gj_db *db, const char *note, struct gj_error *err);
/* Commits (ok != 0) with one audit row carrying summary (JSON text), or
 * rolls everything back. */
int gj_bulk_end(struct gj_db *db, int64_t actor, const char *summary, int ok, struct gj_error *err);

/* A work order with its events (events' work_order_id is filled in). */
int gj_bulk_work_order(struct gj_db *db, struct gj_work_order *wo, struct gj_wo_event *events,
                       int n_events, struct gj_error *err);
int gj_bulk_complaint(struct gj_db *db, struct gj_complaint *c, struct gj_complaint_event *events,
                      int n_events, struct gj_error *err);
int gj_bulk_bill(struct gj_db *db, struct gj_bill *b, struct gj_error *err);
/* A payment: takes the next receipt number, inserts the payment and its
 * allocations (allocs' payment_id is filled in). */
int gj_bulk_payment(struct gj_db *db, struct gj_payment *p, struct gj_allocation *allocs,
                    int n_allocs, struct gj_error *err);
int gj_bulk_dunning(struct gj_db *db, struct gj_dunning *d, struct gj_error *err);
int gj_bulk_contact(struct gj_db *db, struct gj_contact *c, struct gj_error *err);

#endif
