/* guanjia keys [--format md|man]: the console's keys, from its actions table. */
#include "cli.h"

#include "guanjia/i18n.h"
#include "guanjia/tui.h"

#include <stdio.h>
#include <string.h>

int gj_cmd_keys(struct gj_cli *cli)
{
    const char *format = "md";
    if (cli->argc == 3 && strcmp(cli->argv[1], "--format") == 0)
        format = cli->argv[2];
    else if (cli->argc != 1)
        return gj_cli_usage(cli, _("unknown argument"));
    if (strcmp(format, "md") != 0 && strcmp(format, "man") != 0)
        return gj_cli_usage(cli, _("--format must be md or man"));
    gj_tui_keys_doc(stdout, format);
    return GJ_EXIT_OK;
}
