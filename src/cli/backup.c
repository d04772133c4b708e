/* guanjia backup FILE: an online copy, safe while others write. */
#include "cli.h"

#include "guanjia/db.h"
#include "guanjia/i18n.h"

#include <stdio.h>

int gj_cmd_backup(struct gj_cli *cli)
{
    if (cli->argc != 2)
        return gj_cli_usage(cli, _("needs the file to write"));
    struct gj_error err;
    struct gj_db *db = NULL;
    if (gj_db_open(cli->db_path, GJ_DB_READONLY, &db, &err) != GJ_OK)
        return gj_cli_fail_err("backup", &err);
    int rc = gj_db_backup(db, cli->argv[1], &err);
    gj_db_close(db);
    if (rc != GJ_OK)
        return gj_cli_fail_err("backup", &err);
    printf(_("Backed up %s to %s\n"), cli->db_path, cli->argv[1]);
    return GJ_EXIT_OK;
}
