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

static int push_id(int64_t **ids, size_t *n, size_t *cap, int64_t id, struct gj_error *err)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        int64_t *more = realloc(*ids, c * sizeof *more);
        if (!more)
            return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
        *ids = more;
        *cap = c;
    }
    (*ids)[(*n)++] = id;
    return GJ_OK;
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
                rc = push_id(ids, n, &cap, rows[i].id, err);
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

/* Records what is due at now for one order, as it stands now. */
static int record_one(struct gj_db *db, int64_t id, int64_t now, long *recorded,
                      struct gj_error *err)
{
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
    *recorded = 0;
    if (per_tx == 0)
        per_tx = 1;
    int rc = GJ_OK;
    for (size_t i = 0; rc == GJ_OK && i < n; i += per_tx) {
        long in_tx = 0;
        if (i > 0)
            gj_db_give_way();
        rc = gj_db_begin(db, err);
        if (rc != GJ_OK)
            break;
        for (size_t j = i; rc == GJ_OK && j < n && j < i + per_tx; j++)
            rc = record_one(db, ids[j], now, &in_tx, err);
        rc = gj_tx_finish(db, rc, err);
        if (rc == GJ_OK)
            *recorded += in_tx;
    }
    return rc;
}
