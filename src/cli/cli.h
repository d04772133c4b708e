/* The headless commands. Each returns the process exit status:
 * 0 success, 1 failure, 2 usage error. Errors go to stderr as
 * "guanjia: WHAT: WHY" through gj_cli_fail. */
#ifndef GUANJIA_CLI_H
#define GUANJIA_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "guanjia/error.h"

#define GJ_EXIT_OK    0
#define GJ_EXIT_FAIL  1
#define GJ_EXIT_USAGE 2

struct gj_cli {
    const char *db_path; /* resolved --db, $GUANJIA_DB or the XDG default */
    int argc;            /* the command's own arguments, argv[0] = its name */
    char **argv;
};

struct gj_command {
    const char *name;
    const char *args;    /* usage after the name, untranslated syntax */
    const char *summary; /* N_() text */
    int (*run)(struct gj_cli *cli);
};

/* All commands, NULL-terminated by name. */
extern const struct gj_command gj_commands[];

/* Prints "guanjia: what: why" to stderr; returns GJ_EXIT_FAIL. */
int gj_cli_fail(const char *what, const char *why);
/* The same from an error; returns 2 for GJ_EINVAL usage-like errors only
 * when usage is set, else 1. */
int gj_cli_fail_err(const char *what, const struct gj_error *err);
/* Prints "guanjia: <command>: <msg>" and the command's usage; returns 2. */
int gj_cli_usage(const struct gj_cli *cli, const char *msg);

/* Sets up gettext: lang is "zh_CN", "en" or NULL (from the environment).
 * Works without any zh_CN locale installed. Returns 0, or -1 for an
 * unknown lang. */
int gj_i18n_init(const char *lang);

/* Reads a line from stdin without echo when it is a terminal (prompt goes
 * to stderr). Strips the newline. Returns 0, or -1 at end of input. */
int gj_read_secret(const char *prompt, char *out, size_t outsz);

/* Writes s and pads it with spaces to cols display columns (a Chinese
 * character takes two). */
void gj_fput_padded(FILE *f, const char *s, int cols);

/* Progress bar on stderr when it is a terminal; silent otherwise. */
void gj_progress(const char *label, long done, long total);
void gj_progress_done(void);

/* Removes a database file and its -wal, -shm and -journal companions: for
 * a file a command created and could not finish. */
void gj_remove_db_files(const char *path);

/* Why a file operation failed, in words of the chosen language, for the
 * errno values a user can act on (a missing file or folder, no permission,
 * a full disk, a read-only file system); strerror for the rest. */
const char *gj_cli_errno_text(int e);

/* Commands. */
int gj_cmd_init(struct gj_cli *cli);
int gj_cmd_demo(struct gj_cli *cli);
int gj_cmd_check(struct gj_cli *cli);
int gj_cmd_backup(struct gj_cli *cli);
int gj_cmd_restore(struct gj_cli *cli);
int gj_cmd_summary(struct gj_cli *cli);
int gj_cmd_keys(struct gj_cli *cli);
int gj_cmd_escalate(struct gj_cli *cli);
int gj_cmd_replies(struct gj_cli *cli);
int gj_cmd_import(struct gj_cli *cli);
int gj_cmd_export(struct gj_cli *cli);
int gj_cmd_bill(struct gj_cli *cli);
int gj_cmd_template(struct gj_cli *cli);
int gj_cmd_report(struct gj_cli *cli);

#endif
