/* guanjia escalate: records the deadlines that have passed, once each.
 * Idempotent, so cron may run it every minute. Work orders: response and
 * resolution breaches (core/sla.c decides, the database keeps each once).
 * Complaints: the escalation ladder (core/complaint_rules.c). The arrears
 * kept by unit and the open orders past due kept by day are brought up to
 * the clock. All in one transaction. */
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

/* Records what is due for one order; counts what it recorded. */
static int record_breaches(struct gj_db *db, const struct gj_work_order *wo, int64_t now,
                           long *recorded, struct gj_error *err)
{
    int respond = gj_wo_respond_breached(wo, now), resolve = gj_wo_resolve_breached(wo, now);
    if (!respond && !resolve)
        return GJ_OK;
    int have_respond = 0, have_resolve = 0;
    int rc = gj_wo_breaches_recorded(db, wo->id, &have_respond, &have_resolve, err);
    if (rc == GJ_OK && respond && !have_respond) {
        rc = gj_wo_event_add(db, 0, wo->id, "respond_breached", NULL, err);
        *recorded += rc == GJ_OK;
    }
    if (rc == GJ_OK && resolve && !have_resolve) {
        rc = gj_wo_event_add(db, 0, wo->id, "resolve_breached", NULL, err);
        *recorded += rc == GJ_OK;
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
    struct gj_work_order *rows = calloc(PAGE, sizeof *rows);
    long seen = 0, recorded = 0;
    int rc = rows ? gj_db_begin(db, &err) : gj_err(&err, GJ_ENOMEM, "%s", _("out of memory"));
    int64_t after_due = INT64_MIN, after_id = 0;
    while (rc == GJ_OK) {
        int n = 0;
        rc = gj_wo_list_open(db, after_due, after_id, PAGE, rows, &n, &err);
        for (int i = 0; rc == GJ_OK && i < n; i++, seen++)
            rc = record_breaches(db, &rows[i], now, &recorded, &err);
        if (n < PAGE)
            break;
        after_due = gj_wo_queue_due(&rows[n - 1]);
        after_id = rows[n - 1].id;
    }
    long c_seen = 0, c_recorded = 0;
    if (rc == GJ_OK)
        rc = gj_complaint_escalate_due(db, now, &c_seen, &c_recorded, &err);
    /* The figures kept at one moment, brought up to the clock. */
    if (rc == GJ_OK)
        rc = gj_kept_figures_refresh(db, now, NULL, &err);
    if (rc == GJ_OK)
        rc = gj_db_commit(db, &err);
    else if (rows)
        gj_db_rollback(db);
    free(rows);
    gj_db_close(db);
    if (rc != GJ_OK)
        return gj_cli_fail_err("escalate", &err);
    printf(_("Open work orders checked: %ld; new breaches recorded: %ld.\n"), seen, recorded);
    printf(_("Overdue complaints checked: %ld; new escalations recorded: %ld.\n"), c_seen,
           c_recorded);
    return GJ_EXIT_OK;
}
