/* guanjia check: integrity and invariants; exit 1 when anything fails. */
#include "cli.h"

#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_check.h"

#include <stdio.h>

static void print_result(const struct gj_check_result *r, void *ctx)
{
    (void)ctx;
    fputs("  ", stdout);
    gj_fput_padded(stdout, r->problems == 0 ? _("ok") : _("FAIL"), 4);
    if (r->problems == 0)
        printf(" %s\n", r->name);
    else
        printf(" %s: %lld (%s %s)\n", r->name, (long long)r->problems, _("first:"), r->example);
}

int gj_cmd_check(struct gj_cli *cli)
{
    if (cli->argc > 1)
        return gj_cli_usage(cli, _("takes no arguments"));
    struct gj_error err;
    struct gj_db *db = NULL;
    if (gj_db_open(cli->db_path, GJ_DB_READONLY, &db, &err) != GJ_OK)
        return gj_cli_fail_err("check", &err);
    printf(_("Checking %s\n"), cli->db_path);
    int failures = 0;
    int rc = gj_check_run(db, print_result, NULL, &failures, &err);
    gj_db_close(db);
    if (rc != GJ_OK)
        return gj_cli_fail_err("check", &err);
    if (failures) {
        fprintf(stderr, "guanjia: check: ");
        fprintf(stderr, _("%d checks failed\n"), failures);
        return GJ_EXIT_FAIL;
    }
    printf("%s\n", _("All checks passed."));
    return GJ_EXIT_OK;
}
