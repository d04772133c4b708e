/* The practice estate of a login, made by this program's own `demo`. */
#include "guanjia/sandbox.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define DAY 86400

static int login_ok(const char *login)
{
    size_t n = login ? strlen(login) : 0;
    if (n < 2 || n > 32 || strcmp(login, "..") == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = login[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* The path as the file system resolves it: realpath of the file, else of
 * its folder joined with its name, else the path as given. */
static void canonical(const char *path, char *out, size_t outsz)
{
    char buf[PATH_MAX];
    if (realpath(path, buf)) {
        snprintf(out, outsz, "%s", buf);
        return;
    }
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    const char *name = slash ? slash + 1 : path;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (realpath(dir, buf))
        snprintf(out, outsz, "%s%s%s", buf, strcmp(buf, "/") == 0 ? "" : "/", name);
    else
        snprintf(out, outsz, "%s", path);
}

static int same_file(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    char ca[PATH_MAX + 256], cb[PATH_MAX + 256];
    canonical(a, ca, sizeof ca);
    canonical(b, cb, sizeof cb);
    return strcmp(ca, cb) == 0;
}

int gj_sandbox_path(const char *real_db_path, const char *login, char *out, size_t outsz,
                    struct gj_error *err)
{
    if (out && outsz > 0)
        out[0] = '\0';
    if (!out || outsz == 0)
        return gj_err(err, GJ_EINVAL, "%s", _("practice estate: nowhere to put the path"));
    if (!real_db_path || !*real_db_path)
        return gj_err(err, GJ_EINVAL, "%s", _("practice estate: no database path was given"));
    if (!login_ok(login))
        return gj_err(err, GJ_EINVAL,
                      _("practice estate: \"%s\" is not a login (2 to 32 letters, digits, "
                        "dots, dashes or underscores)"),
                      login ? login : "");
    char dir[PATH_MAX];
    int rc = gj_document_dir(real_db_path, "sandbox", dir, sizeof dir, err);
    if (rc != GJ_OK)
        return rc;
    char name[40];
    size_t n = strlen(login);
    for (size_t i = 0; i <= n; i++)
        name[i] = (char)(login[i] >= 'A' && login[i] <= 'Z' ? login[i] - 'A' + 'a' : login[i]);
    int w = snprintf(out, outsz, "%s/%s.db", dir, name);
    if (w < 0 || (size_t)w >= outsz) {
        out[0] = '\0';
        return gj_err(err, GJ_EINVAL, _("practice estate: the path beside %s is too long"),
                      real_db_path);
    }
    if (same_file(out, real_db_path)) {
        char shown[PATH_MAX];
        snprintf(shown, sizeof shown, "%s", out);
        out[0] = '\0';
        return gj_err(err, GJ_ECONSTRAINT,
                      _("practice estate: %s is the real database %s; refusing to use it"), shown,
                      real_db_path);
    }
    gj_err_clear(err);
    return GJ_OK;
}

int64_t gj_sandbox_demo_clock(int64_t now)
{
    time_t t = (time_t)now;
    struct tm tm;
    if (!localtime_r(&t, &tm) || tm.tm_mday >= 21)
        return now;
    return now - (int64_t)tm.tm_mday * DAY;
}

/* Creates dir and its missing parents, each 0700. */
static int make_dirs(const char *dir, struct gj_error *err)
{
    char buf[PATH_MAX];
    size_t n = strlen(dir);
    if (n >= sizeof buf)
        return gj_err(err, GJ_EINVAL, _("practice estate: the path %s is too long"), dir);
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        if (buf[i - 1] == '/')
            continue;
        char saved = buf[i];
        buf[i] = '\0';
        struct stat st;
        if (mkdir(buf, 0700) != 0) {
            int e = errno;
            if (e != EEXIST)
                return gj_err(err, GJ_EIO, _("practice estate: cannot create the folder %s: %s"),
                              buf, strerror(e));
            if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
                return gj_err(err, GJ_EIO, _("practice estate: %s is not a folder"), buf);
        }
        buf[i] = saved;
    }
    return GJ_OK;
}

/* Removes the database file and its companions; GJ_OK when none is left. */
static int remove_files(const char *path, struct gj_error *err)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char buf[PATH_MAX + 16];
    int rc = GJ_OK;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(buf, sizeof buf, "%s%s", path, suffixes[i]);
        if (unlink(buf) != 0 && errno != ENOENT && rc == GJ_OK) {
            int e = errno;
            rc = gj_err(err, GJ_EIO, _("practice estate: cannot remove the old file %s: %s"), buf,
                        strerror(e));
        }
    }
    return rc;
}

/* The environment of the child: this one, with GUANJIA_NOW set to clock.
 * One malloc'd block: the pointer array, then the new entry. */
static char **child_env(int64_t clock)
{
    size_t n = 0;
    for (char **e = environ; e && *e; e++)
        n++;
    size_t entry = 64;
    char **env = malloc((n + 2) * sizeof *env + entry);
    if (!env)
        return NULL;
    char *now_entry = (char *)(env + n + 2);
    time_t t = (time_t)clock;
    struct tm tm;
    if (!localtime_r(&t, &tm)) {
        free(env);
        return NULL;
    }
    snprintf(now_entry, entry, "GUANJIA_NOW=%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    size_t k = 0;
    for (char **e = environ; e && *e; e++)
        if (strncmp(*e, "GUANJIA_NOW=", 12) != 0)
            env[k++] = *e;
    env[k++] = now_entry;
    env[k] = NULL;
    return env;
}

int gj_sandbox_create(const char *real_db_path, const char *login, char *out_path, size_t outsz,
                      struct gj_error *err)
{
    if (out_path && outsz > 0)
        out_path[0] = '\0';
    char path[PATH_MAX];
    int rc = gj_sandbox_path(real_db_path, login, path, sizeof path, err);
    if (rc != GJ_OK)
        return rc;
    if (out_path && strlen(path) >= outsz)
        return gj_err(err, GJ_EINVAL, _("practice estate: the path %s is too long"), path);

    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        rc = make_dirs(dir, err);
        if (rc != GJ_OK)
            return rc;
    }
    rc = remove_files(path, err);
    if (rc != GJ_OK)
        return rc;

    const char *bin = getenv("GUANJIA_BIN");
    if (!bin || !*bin)
        bin = "/proc/self/exe";
    if (access(bin, X_OK) != 0) {
        int e = errno;
        return gj_err(err, GJ_EIO, _("practice estate: cannot run %s: %s"), bin, strerror(e));
    }
    char **env = child_env(gj_sandbox_demo_clock(gj_now()));
    if (!env)
        return gj_err(err, GJ_ENOMEM, "%s", _("practice estate: out of memory"));
    char *argv[] = {(char *)"guanjia", (char *)"--db", path, (char *)"demo", NULL};

    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        free(env);
        return gj_err(err, GJ_EIO, _("practice estate: cannot start %s: %s"), bin, strerror(e));
    }
    if (pid == 0) {
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, 0);
            dup2(fd, 1);
            dup2(fd, 2);
            if (fd > 2)
                close(fd);
        }
        execve(bin, argv, env);
        _exit(127);
    }
    free(env);
    int status = 0;
    pid_t got;
    while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    struct stat st;
    if (got < 0) {
        /* SIGCHLD ignored: the child was reaped for us; judge by the file. */
        if (errno == ECHILD && stat(path, &st) == 0 && st.st_size > 0)
            status = 0;
        else
            status = 1 << 8;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && stat(path, &st) == 0) {
        if (out_path)
            snprintf(out_path, outsz, "%s", path);
        gj_err_clear(err);
        return GJ_OK;
    }
    struct gj_error ignored;
    remove_files(path, &ignored);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return gj_err(err, GJ_EIO, _("practice estate %s: could not run %s"), path, bin);
    if (WIFSIGNALED(status))
        return gj_err(err, GJ_EIO, _("practice estate %s: %s demo was killed by signal %d"), path,
                      bin, WTERMSIG(status));
    return gj_err(err, GJ_EIO, _("practice estate %s: %s demo failed (exit status %d)"), path, bin,
                  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}
