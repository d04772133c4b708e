/* guanjia init: create or upgrade the database, and its first manager. */
#include "cli.h"

#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/password.h"
#include "guanjia/repo_users.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_password(int from_stdin, char *pw, size_t pwsz)
{
    struct gj_error err;
    if (from_stdin) {
        if (gj_read_secret("", pw, pwsz) != 0)
            return gj_cli_fail("init", _("no password on standard input"));
    } else {
        if (!isatty(STDIN_FILENO))
            return gj_cli_fail("init", _("needs the manager's password: run it in a terminal, "
                                         "or give --password-stdin"));
        char again[256];
        if (gj_read_secret(_("Password for the first manager: "), pw, pwsz) != 0 ||
            gj_read_secret(_("Repeat the password: "), again, sizeof again) != 0)
            return gj_cli_fail("init", _("no password given"));
        if (strcmp(pw, again) != 0)
            return gj_cli_fail("init", _("the two passwords differ; nothing was created"));
    }
    if (gj_password_check(pw, &err) != GJ_OK)
        return gj_cli_fail_err("init", &err);
    return GJ_EXIT_OK;
}

int gj_cmd_init(struct gj_cli *cli)
{
    const char *login = "admin", *name = NULL;
    int from_stdin = 0;
    for (int i = 1; i < cli->argc; i++) {
        const char *a = cli->argv[i];
        if (strcmp(a, "--password-stdin") == 0)
            from_stdin = 1;
        else if (strcmp(a, "--admin") == 0 && i + 1 < cli->argc)
            login = cli->argv[++i];
        else if (strcmp(a, "--name") == 0 && i + 1 < cli->argc)
            name = cli->argv[++i];
        else
            return gj_cli_usage(cli, _("unknown argument"));
    }
    if (!name)
        name = _("Property manager");

    struct stat st;
    int existed = stat(cli->db_path, &st) == 0;
    struct gj_error err;
    struct gj_db *db = NULL;
    if (gj_db_open(cli->db_path, GJ_DB_CREATE, &db, &err) != GJ_OK)
        return gj_cli_fail_err("init", &err);
    int64_t users = 0;
    if (gj_users_count(db, &users, &err) != GJ_OK) {
        gj_db_close(db);
        return gj_cli_fail_err("init", &err);
    }
    if (users > 0) {
        printf(_("Database %s is ready (schema version %d, %lld users); no user was added.\n"),
               cli->db_path, gj_db_schema_version(db), (long long)users);
        gj_db_close(db);
        return GJ_EXIT_OK;
    }
    char pw[256];
    int rc = read_password(from_stdin, pw, sizeof pw);
    if (rc == GJ_EXIT_OK) {
        struct gj_user u;
        memset(&u, 0, sizeof u);
        snprintf(u.login, sizeof u.login, "%s", login);
        snprintf(u.name, sizeof u.name, "%s", name);
        snprintf(u.role, sizeof u.role, "%s", "manager");
        snprintf(u.rank, sizeof u.rank, "%s", "head");
        u.active = 1;
        if (strlen(login) >= sizeof u.login || strlen(name) >= sizeof u.name)
            rc = gj_cli_fail("init", _("the login or the name is too long"));
        else if (gj_user_create(db, 0, &u, pw, &err) != GJ_OK)
            rc = gj_cli_fail_err("init", &err);
        else
            printf(_("Created %s with manager %s (%s).\n"), cli->db_path, u.login, u.name);
    }
    memset(pw, 0, sizeof pw);
    gj_db_close(db);
    if (rc != GJ_EXIT_OK && !existed)
        gj_remove_db_files(cli->db_path);
    return rc;
}
