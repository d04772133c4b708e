/* guanjia [--db FILE] [--lang zh_CN|en] [COMMAND ...] */
#include "cli.h"

#include "guanjia/clock.h"
#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* import.c, export.c (their declarations belong in cli.h). */

const struct gj_command gj_commands[] = {
    {"init", "[--admin LOGIN] [--name NAME] [--password-stdin]",
     N_("create or upgrade the database and its first manager"), gj_cmd_init},
    {"demo", "[--scale small|large]", N_("fill a new database with the demo estate"), gj_cmd_demo},
    {"check", "", N_("check the database file and the bookkeeping rules"), gj_cmd_check},
    {"backup", "FILE", N_("copy the database safely while others work"), gj_cmd_backup},
    {"restore", "FILE",
     N_("check a backup and put it in place of the database (close every console first)"),
     gj_cmd_restore},
    {"summary", "", N_("print what the estate holds"), gj_cmd_summary},
    {"escalate", "", N_("record deadlines that have passed (idempotent, for cron)"),
     gj_cmd_escalate},
    {"bill", "YYYY-MM",
     N_("issue the month's bills for every unit and parking space (idempotent, for cron)"),
     gj_cmd_bill},
    {"import", "owners|bills FILE [--dry-run]",
     N_("read units, owners, tenants and family, or opening balances, from a CSV file (all or "
        "nothing)"),
     gj_cmd_import},
    {"export", "owners|workorders|complaints|bills|payments FILE [--encoding utf-8|utf-8-bom|gbk]",
     N_("write the current residents, every work order, complaint, bill or payment to a CSV "
        "file"),
     gj_cmd_export},
    {"replies", "[list | add TEXT [TOPIC] | disable ID | enable ID]",
     N_("the standard replies (标准话术) for notes; TOPIC: work_order (the default), minor, "
        "moderate or serious"),
     gj_cmd_replies},
    {"template", "notice [show | set FILE | reset] [--lang zh_CN|en]",
     N_("show, change or reset the dunning notice (催缴通知书) template"), gj_cmd_template},
    {"report",
     "workorders|complaints|fees|channels|training [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
     "[--format text|csv]",
     N_("print a management report for a range of days (default: this month so far)"),
     gj_cmd_report},
    {"keys", "[--format md|man]", N_("print the console's key reference"), gj_cmd_keys},
    {NULL, NULL, NULL, NULL},
};

static void print_help(FILE *out)
{
    fprintf(out, "%s\n\n", _("Guanjia: the front-desk console for residential estates."));
    fprintf(out, "%s\n", _("usage: guanjia [--db FILE] [--lang zh_CN|en] [COMMAND [ARGS]]"));
    fprintf(out, "\n%s\n", _("Options:"));
    fprintf(out, "  --db FILE        %s\n",
            _("the database (default $GUANJIA_DB, else ~/.local/share/guanjia/guanjia.db)"));
    fprintf(out, "  --lang zh_CN|en  %s\n", _("the language of messages and screens"));
    fprintf(out, "  --help           %s\n", _("show this help"));
    fprintf(out, "  --version        %s\n", _("show the version"));
    fprintf(out, "\n%s\n", _("Commands:"));
    for (const struct gj_command *c = gj_commands; c->name; c++)
        fprintf(out, "  %-8s %-48s %s\n", c->name, c->args, _(c->summary));
    fprintf(out, "\n%s\n", _("Without a command, guanjia opens the console."));
    fprintf(out, "%s\n", _("GUANJIA_NOW=YYYY-MM-DDTHH:MM fixes the clock (tests, training)."));
}

int main(int argc, char **argv)
{
    const char *db_opt = NULL, *lang = NULL;
    int i = 1;
    /* --lang first, so that every later message is in that language. */
    for (int k = 1; k < argc && argv[k][0] == '-'; k++) {
        if (strcmp(argv[k], "--lang") == 0 && k + 1 < argc)
            lang = argv[++k];
        else if (strncmp(argv[k], "--lang=", 7) == 0)
            lang = argv[k] + 7;
        else if (strcmp(argv[k], "--db") == 0)
            k++; /* skip its value */
    }
    if (gj_i18n_init(lang) != 0) {
        gj_i18n_init(NULL);
        fprintf(stderr, "guanjia: --lang: %s\n", _("must be zh_CN or en"));
        return GJ_EXIT_USAGE;
    }
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_help(stdout);
            return GJ_EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            printf("guanjia %s\n", GUANJIA_VERSION);
            return GJ_EXIT_OK;
        } else if (strcmp(a, "--db") == 0 || strcmp(a, "--lang") == 0) {
            if (i + 1 >= argc || !argv[i + 1][0]) {
                fprintf(stderr, "guanjia: %s: %s\n", a, _("needs a value"));
                return GJ_EXIT_USAGE;
            }
            if (a[2] == 'd')
                db_opt = argv[i + 1];
            i++;
        } else if (strncmp(a, "--db=", 5) == 0) {
            db_opt = a + 5;
        } else if (strncmp(a, "--lang=", 7) == 0) {
            continue;
        } else {
            fprintf(stderr, "guanjia: %s: %s\n", a, _("unknown option (see guanjia --help)"));
            return GJ_EXIT_USAGE;
        }
    }
    struct gj_error err;
    if (gj_clock_check(&err) != GJ_OK)
        return gj_cli_fail("GUANJIA_NOW", err.msg);

    char path[4096];
    if (db_opt) {
        if (strlen(db_opt) >= sizeof path)
            return gj_cli_fail("--db", _("the path is too long"));
        strcpy(path, db_opt);
    } else if (gj_db_default_path(path, sizeof path, &err) != GJ_OK) {
        return gj_cli_fail("--db", err.msg);
    }

    struct gj_cli cli = {.db_path = path, .argc = argc - i, .argv = argv + i};
    if (cli.argc == 0)
        return gj_tui_run(path);
    for (const struct gj_command *c = gj_commands; c->name; c++)
        if (strcmp(c->name, cli.argv[0]) == 0)
            return c->run(&cli);
    fprintf(stderr, "guanjia: %s: %s\n", cli.argv[0], _("unknown command (see guanjia --help)"));
    return GJ_EXIT_USAGE;
}
