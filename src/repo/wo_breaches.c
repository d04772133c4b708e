/* The breaches that `guanjia escalate` records: found without the write
 * lock, recorded in short write transactions. */
#include "guanjia/repo_workorders.h"

#include "db_internal.h"
#include "guanjia/i18n.h"
#include "guanjia/sla.h"

#include <stdint.h>
#include <stdlib.h>

#define PAGE 32

/* Which of wo's deadlines have passed at now and are not recorded yet. */
static int unrecorded(struct gj_db *db, const struct gj_work_order *wo, int64_t now, int *respond,
                      int *resolve, struct gj_error *err)
{
    *respond = gj_wo_respond_breached(wo, now);
    *resolve = gj_wo_resolve_breached(wo, now);
    if (!*respond && !*resolve)
        return GJ_OK;
    int have_respond = 0, have_resolve = 0;
    int rc = gj_wo_breaches_recorded(db, wo->id, &have_respond, &have_resolve, err);
    *respond = *respond && !have_respond;
    *resolve = *resolve && !have_resolve;
    return rc;
}

int gj_wo_breaches_due(struct gj_db *db, int64_t now, int64_t **ids, size_t *n, long *seen,
                       struct gj_error *err)
{
    *ids = NULL;
    *n = 0;
    *seen = 0;
    struct gj_work_order *rows = calloc(PAGE, sizeof *rows);
    if (!rows)
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    int rc = gj_db_begin_read(db, err);
    if (rc != GJ_OK) {
        free(rows);
        return rc;
    }
    size_t cap = 0;
    int64_t after_due = INT64_MIN, after_id = 0;
    while (rc == GJ_OK) {
        int got = 0;
        rc = gj_wo_list_open(db, after_due, after_id, PAGE, rows, &got, err);
        for (int i = 0; rc == GJ_OK && i < got; i++, (*seen)++) {
            int respond = 0, resolve = 0;
            rc = unrecorded(db, &rows[i], now, &respond, &resolve, err);
            if (rc == GJ_OK && (respond || resolve))
                rc = gj_ids_push(ids, n, &cap, rows[i].id, err);
        }
        if (got < PAGE)
            break;
        after_due = gj_wo_queue_due(&rows[got - 1]);
        after_id = rows[got - 1].id;
    }
    gj_db_rollback(db); /* it only read */
    free(rows);
    if (rc != GJ_OK) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return rc;
}

/* Records what is due for one order, as it stands now (at *(int64_t *)at). */
static int record_one(struct gj_db *db, int64_t id, void *at, long *recorded, struct gj_error *err)
{
    int64_t now = *(const int64_t *)at;
    struct gj_work_order wo;
    int respond = 0, resolve = 0;
    int rc = gj_wo_get(db, id, &wo, err);
    if (rc == GJ_OK)
        rc = unrecorded(db, &wo, now, &respond, &resolve, err);
    if (rc == GJ_OK && respond) {
        rc = gj_wo_event_add(db, 0, id, "respond_breached", NULL, err);
        *recorded += rc == GJ_OK;
    }
    if (rc == GJ_OK && resolve) {
        rc = gj_wo_event_add(db, 0, id, "resolve_breached", NULL, err);
        *recorded += rc == GJ_OK;
    }
    return rc;
}

int gj_wo_breaches_record(struct gj_db *db, const int64_t *ids, size_t n, int64_t now,
                          size_t per_tx, long *recorded, struct gj_error *err)
{
    return gj_db_each_in_batches(db, ids, n, per_tx, record_one, &now, recorded, err);
}
