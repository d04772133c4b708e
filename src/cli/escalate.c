/* guanjia escalate: records the deadlines that have passed, once each.
 * Idempotent, so cron may run it every minute. Work orders: response and
 * resolution breaches (core/sla.c decides, the database keeps each once).
 * Complaints: the escalation ladder (core/complaint_rules.c). The arrears
 * kept by unit and the open orders past due kept by day are brought up to
 * the clock. The open orders and the complaints past a deadline are
 * looked through in read transactions, and what is due is recorded in
 * write transactions of 64 at most, so another terminal's save waits for
 * one of those, not for the walk (repo/wo_breaches.c,
 * gj_complaint_escalate_due). */
#include "cli.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_reports.h"
#include "guanjia/repo_workorders.h"

#include <stdio.h>
#include <stdlib.h>

/* Orders recorded in one write transaction: a few milliseconds of lock. */
#define PER_TX 64

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
    int rc = gj_wo_breaches_due(db, now, &ids, &nids, &seen, &err);
    if (rc == GJ_OK)
        rc = gj_wo_breaches_record(db, ids, nids, now, PER_TX, &recorded, &err);
    free(ids);
    /* The complaints' ladder, the same way. */
    if (rc == GJ_OK)
        rc = gj_complaint_escalate_due(db, now, &c_seen, &c_recorded, &err);
    /* The figures kept at one moment, brought up to the clock (each of the
     * two in a transaction of its own). */
    if (rc == GJ_OK)
        rc = gj_kept_figures_refresh(db, now, NULL, &err);
    gj_db_close(db);
    if (rc != GJ_OK)
        return gj_cli_fail_err("escalate", &err);
    printf(_("Open work orders checked: %ld; new breaches recorded: %ld.\n"), seen, recorded);
    printf(_("Overdue complaints checked: %ld; new escalations recorded: %ld.\n"), c_seen,
           c_recorded);
    return GJ_EXIT_OK;
}
