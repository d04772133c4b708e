/* guanjia escalate: records the deadlines that have passed, once each.
 * Idempotent, so cron may run it every minute. Work orders: response and
 * resolution breaches (core/sla.c decides, the database keeps each once).
 * Complaints: the escalation ladder (core/complaint_rules.c). The arrears
 * kept by unit and the open orders past due kept by day are brought up to
 * the clock. The open orders are looked through in a read transaction;
 * what is to be recorded is then written in one short write transaction,
 * so other terminals' saves do not wait for the whole walk. */
#include "cli.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_reports.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sla.h"

#include <stdio.h>
#include <stdlib.h>

#define PAGE 32

/* Whether a deadline of wo has passed that is not recorded yet. */
static int breach_unrecorded(struct gj_db *db, const struct gj_work_order *wo, int64_t now,
                             int *respond, int *resolve, struct gj_error *err)
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

/* Records what is due for one order, as it is now; counts what it
 * recorded. */
static int record_breaches(struct gj_db *db, int64_t id, int64_t now, long *recorded,
                           struct gj_error *err)
{
    struct gj_work_order wo;
    int respond = 0, resolve = 0;
    int rc = gj_wo_get(db, id, &wo, err);
    if (rc == GJ_OK)
        rc = breach_unrecorded(db, &wo, now, &respond, &resolve, err);
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

/* The open orders with a passed deadline not recorded yet, found inside a
 * read transaction: the walk over every open order (most of a second on
 * a large estate) does not hold the write lock, so the other terminals'
 * saves do not wait for it. */
static int find_breaches(struct gj_db *db, int64_t now, int64_t **ids, size_t *nids, long *seen,
                         struct gj_error *err)
{
    struct gj_work_order *rows = calloc(PAGE, sizeof *rows);
    size_t cap = 0;
    *ids = NULL;
    *nids = 0;
    int rc = rows ? gj_db_begin_read(db, err) : gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    if (rc != GJ_OK) {
        free(rows);
        return rc;
    }
    int64_t after_due = INT64_MIN, after_id = 0;
    while (rc == GJ_OK) {
        int n = 0;
        rc = gj_wo_list_open(db, after_due, after_id, PAGE, rows, &n, err);
        for (int i = 0; rc == GJ_OK && i < n; i++, (*seen)++) {
            int respond = 0, resolve = 0;
            rc = breach_unrecorded(db, &rows[i], now, &respond, &resolve, err);
            if (rc != GJ_OK || (!respond && !resolve))
                continue;
            if (*nids == cap) {
                size_t c = cap ? cap * 2 : 64;
                int64_t *more = realloc(*ids, c * sizeof *more);
                if (!more) {
                    rc = gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
                    break;
                }
                *ids = more;
                cap = c;
            }
            (*ids)[(*nids)++] = rows[i].id;
        }
        if (n < PAGE)
            break;
        after_due = gj_wo_queue_due(&rows[n - 1]);
        after_id = rows[n - 1].id;
    }
    gj_db_rollback(db);
    free(rows);
    if (rc != GJ_OK) {
        free(*ids);
        *ids = NULL;
        *nids = 0;
    }
    return rc;
}

int gj_cmd_escalate(struct gj_cli *cli)
{
    if (cli->argc > 1)
        return gj_cli_usage(cli, _("takes no arguments"));
    struct gj_error err;
    struct gj_db *db = NULL;
    if (gj_db_open(cli->db_path, 0, &db, &err) != GJ_OK)
        return gj_cli_fail_err("escalate", &err);
    int64_t now = gj_now();
    int64_t *ids = NULL;
    size_t nids = 0;
    long seen = 0, recorded = 0, c_seen = 0, c_recorded = 0;
    int rc = find_breaches(db, now, &ids, &nids, &seen, &err);
    /* Then one short write transaction records them, each order read
     * again in it (it may have changed since), with the complaints'
     * ladder and the kept figures. */
    if (rc == GJ_OK && (rc = gj_db_begin(db, &err)) == GJ_OK) {
        for (size_t i = 0; rc == GJ_OK && i < nids; i++)
            rc = record_breaches(db, ids[i], now, &recorded, &err);
        if (rc == GJ_OK)
            rc = gj_complaint_escalate_due(db, now, &c_seen, &c_recorded, &err);
        /* The figures kept at one moment, brought up to the clock. */
        if (rc == GJ_OK)
            rc = gj_kept_figures_refresh(db, now, NULL, &err);
        if (rc == GJ_OK)
            rc = gj_db_commit(db, &err);
        else
            gj_db_rollback(db);
    }
    free(ids);
    gj_db_close(db);
    if (rc != GJ_OK)
        return gj_cli_fail_err("escalate", &err);
    printf(_("Open work orders checked: %ld; new breaches recorded: %ld.\n"), seen, recorded);
    printf(_("Overdue complaints checked: %ld; new escalations recorded: %ld.\n"), c_seen,
           c_recorded);
    return GJ_EXIT_OK;
}
