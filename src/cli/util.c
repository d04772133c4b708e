/* Shared bits of the command line: messages, secrets, progress. */
#include "cli.h"

#include "guanjia/i18n.h"
#include "guanjia/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int gj_cli_fail(const char *what, const char *why)
{
    fprintf(stderr, "guanjia: %s: %s\n", what, why);
    return GJ_EXIT_FAIL;
}

const char *gj_cli_errno_text(int e)
{
    switch (e) {
    case ENOENT:
        return _("no such file or folder");
    case EACCES:
    case EPERM:
        return _("permission denied");
    case ENOSPC:
    case EFBIG:
    case EDQUOT:
        return _("the disk is full");
    case EROFS:
        return _("the file system is read-only");
    case EISDIR:
        return _("is a folder, not a file");
    case ENOTDIR:
        return _("a part of the path is not a folder");
    default:
        return strerror(e);
    }
}

int gj_cli_fail_err(const char *what, const struct gj_error *err)
{
    return gj_cli_fail(what, err->msg[0] ? err->msg : _("unknown error"));
}

int gj_cli_usage(const struct gj_cli *cli, const char *msg)
{
    const char *name = cli->argv[0];
    fprintf(stderr, "guanjia: %s: %s\n", name, msg);
    for (const struct gj_command *c = gj_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            fprintf(stderr, _("usage: guanjia [--db FILE] %s %s\n"), c->name, c->args);
    return GJ_EXIT_USAGE;
}

int gj_read_secret(const char *prompt, char *out, size_t outsz)
{
    struct termios old, quiet;
    int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        fputs(prompt, stderr);
        fflush(stderr);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *line = fgets(out, (int)outsz, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (!line)
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

void gj_fput_padded(FILE *f, const char *s, int cols)
{
    fputs(s, f);
    for (int w = gj_utf8_width(s); w < cols; w++)
        fputc(' ', f);
}

void gj_remove_db_files(const char *path)
{
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    char buf[4200];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(buf, sizeof buf, "%s%s", path, suffixes[i]);
        unlink(buf);
    }
}

static int progress_shown;

void gj_progress(const char *label, long done, long total)
{
    static long last_permille = -1;
    static const char *last_label;
    static int tty = -1;
    if (tty < 0)
        tty = isatty(STDERR_FILENO);
    if (!tty || total <= 0)
        return;
    long permille = done * 1000 / total;
    if (permille == last_permille && label == last_label)
        return;
    last_permille = permille;
    last_label = label;
    int width = 30, filled = (int)(permille * width / 1000);
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[width] = '\0';
    fputc('\r', stderr);
    gj_fput_padded(stderr, label, 24);
    fprintf(stderr, " [%s] %3ld%%", bar, permille / 10);
    fflush(stderr);
    progress_shown = 1;
}

void gj_progress_done(void)
{
    if (progress_shown && isatty(STDERR_FILENO)) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    progress_shown = 0;
}
