/* guanjia bill YYYY-MM: the month's bills for every unit and parking space
 * (gj_billing_run), as the system with the manager's rights, in one
 * transaction. Safe to run again (for cron): bills already issued are
 * counted and left alone. A progress bar on a terminal. */
#include "cli.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/repo_billing.h"
#include "guanjia/roles.h"

#include <stdio.h>
#include <string.h>

static void show_progress(long done, long total, void *ctx)
{
    (void)ctx;
    gj_progress(_("Billing"), done, total);
}

int gj_cmd_bill(struct gj_cli *cli)
{
    if (cli->argc < 2)
        return gj_cli_usage(cli, _("needs the month to bill (YYYY-MM, e.g. 2026-12)"));
    if (cli->argc > 2)
        return gj_cli_usage(cli, _("takes one month"));
    struct gj_error err;
    int month = 0;
    if (gj_parse_month(cli->argv[1], &month, &err) != GJ_OK)
        return gj_cli_usage(cli, err.msg);

    struct gj_db *db = NULL;
    if (gj_db_open(cli->db_path, 0, &db, &err) != GJ_OK)
        return gj_cli_fail_err(_("billing"), &err);
    struct gj_billing_result res;
    int rc = gj_billing_run(db, 0, GJ_ROLE_MANAGER, month, show_progress, NULL, &res, &err);
    gj_progress_done();
    gj_db_close(db);
    if (rc != GJ_OK) {
        char why[600];
        snprintf(why, sizeof why, _("%s (no bill was issued)"), err.msg);
        return gj_cli_fail(_("billing"), why);
    }
    char shown[32], money[32];
    gj_format_month(month, shown, sizeof shown);
    gj_money_format(res.billed_fen, money, sizeof money);
    printf(_("%s: %ld bills created, %ld already there, %s billed.\n"), shown, res.created,
           res.existing, money);
    return GJ_EXIT_OK;
}
