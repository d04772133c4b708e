/* guanjia restore FILE: put a backup in place of the database, after
 * checking it (file integrity, schema version, the bookkeeping rules of
 * guanjia check). An older backup is brought up to this program's schema
 * on the copy, before it replaces anything; a newer one is refused. */
#include "cli.h"

#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_check.h"

#include <stdio.h>

struct first_failure {
    char name[256];
    char example[256];
    long long problems;
};

static void keep_failure(const struct gj_check_result *r, void *ctx)
{
    struct first_failure *f = ctx;
    if (r->problems == 0 || f->problems)
        return;
    f->problems = (long long)r->problems;
    snprintf(f->name, sizeof f->name, "%s", r->name);
    snprintf(f->example, sizeof f->example, "%s", r->example);
}

int gj_cmd_restore(struct gj_cli *cli)
{
    if (cli->argc != 2)
        return gj_cli_usage(cli, _("needs the backup file to restore"));
    const char *file = cli->argv[1];
    struct gj_error err;
    struct gj_restore *r = NULL;
    if (gj_db_restore_begin(cli->db_path, file, &r, &err) != GJ_OK)
        return gj_cli_fail_err("restore", &err);
    struct first_failure f = {.problems = 0};
    int failures = 0;
    if (gj_check_run(gj_db_restore_copy(r), keep_failure, &f, &failures, &err) != GJ_OK) {
        gj_db_restore_abort(r);
        return gj_cli_fail_err("restore", &err);
    }
    if (failures) {
        gj_db_restore_abort(r);
        char why[1024];
        snprintf(why, sizeof why,
                 _("%s: the backup fails the check \"%s\" (%lld, first: %s); the database was "
                   "not changed"),
                 file, f.name, f.problems, f.example);
        return gj_cli_fail("restore", why);
    }
    int from = gj_db_restore_from_version(r);
    if (gj_db_restore_finish(r, &err) != GJ_OK)
        return gj_cli_fail_err("restore", &err);
    printf(_("Restored %s from %s\n"), cli->db_path, file);
    if (from < gj_db_schema_target())
        printf(_("The backup had schema version %d; it was brought up to version %d.\n"), from,
               gj_db_schema_target());
    return GJ_EXIT_OK;
}
