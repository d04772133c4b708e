/* guanjia replies [list | add TEXT [TOPIC] | disable ID | enable ID]: the
 * standard replies (标准话术) butlers pick from in work-order and complaint
 * notes. The console's Replies list (manager) does the same. */
#include "cli.h"

#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_replies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPLIES 200

int gj_cmd_replies(struct gj_cli *cli)
{
    const char *verb = cli->argc > 1 ? cli->argv[1] : "list";
    int list = strcmp(verb, "list") == 0;
    int add = strcmp(verb, "add") == 0;
    int toggle = strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0;
    if (!(list && cli->argc <= 2) && !(toggle && cli->argc == 3) &&
        !(add && (cli->argc == 3 || cli->argc == 4)))
        return gj_cli_usage(cli, _("list, add TEXT [TOPIC], disable ID or enable ID"));
    struct gj_error err;
    struct gj_db *db = NULL;
    if (gj_db_open(cli->db_path, 0, &db, &err) != GJ_OK)
        return gj_cli_fail_err("replies", &err);
    int rc = GJ_OK;
    if (list) {
        struct gj_reply *rows = calloc(MAX_REPLIES, sizeof *rows);
        int n = 0;
        rc = rows ? gj_replies_list(db, NULL, 1, rows, MAX_REPLIES, &n, &err)
                  : gj_err(&err, GJ_ENOMEM, "%s", _("out of memory"));
        for (int i = 0; rc == GJ_OK && i < n; i++)
            printf("%4lld  %-10s  %s  %s\n", (long long)rows[i].id, rows[i].topic,
                   rows[i].active ? "   " : _("off"), rows[i].text);
        free(rows);
    } else if (add) {
        struct gj_reply r;
        memset(&r, 0, sizeof r);
        if (strlen(cli->argv[2]) >= sizeof r.text)
            rc = gj_err(&err, GJ_EINVAL, "%s", _("reply: at most 200 characters"));
        else {
            memcpy(r.text, cli->argv[2], strlen(cli->argv[2]) + 1);
            if (cli->argc == 4)
                snprintf(r.topic, sizeof r.topic, "%.15s", cli->argv[3]);
            rc = gj_reply_add(db, 0, &r, &err);
        }
        if (rc == GJ_OK)
            printf(_("Added reply %lld.\n"), (long long)r.id);
    } else {
        char *end = NULL;
        long long id = strtoll(cli->argv[2], &end, 10);
        struct gj_reply r;
        if (!end || *end || id <= 0)
            rc = gj_err(&err, GJ_EINVAL, _("%s is not a reply number"), cli->argv[2]);
        else
            rc = gj_reply_get(db, id, &r, &err);
        if (rc == GJ_OK)
            rc = gj_reply_set_active(db, 0, &r, strcmp(verb, "enable") == 0, &err);
    }
    gj_db_close(db);
    return rc == GJ_OK ? GJ_EXIT_OK : gj_cli_fail_err("replies", &err);
}
