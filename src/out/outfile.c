/* Documents written to files: atomically, with their folders. */
#include "guanjia/outfile.h"

#include "guanjia/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NAME_MAX
#define NAME_MAX 255
#endif

/* For messages: the path, or its end after "…" when it is long. Never
 * cuts a UTF-8 character. */
static const char *shown(const char *path, char *buf, size_t bufsz)
{
    size_t n = strlen(path), keep = bufsz - sizeof "\xE2\x80\xA6";
    if (n < bufsz)
        return path;
    const char *tail = path + n - keep;
    while (*tail && ((unsigned char)*tail & 0xC0) == 0x80)
        tail++;
    snprintf(buf, bufsz, "\xE2\x80\xA6%s", tail);
    return buf;
}

#define SHOWN_SZ 256

/* Syncs the folder dir so that a new name in it survives a crash. */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    if (rc != 0 && (errno == EINVAL || errno == EROFS))
        rc = 0; /* folders that cannot be synced (some file systems) */
    close(fd);
    return rc;
}

/* Creates dir and its missing parents, each 0700. */
static int make_dirs(const char *dir, struct gj_error *err)
{
    struct stat st;
    char s1[SHOWN_SZ];
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return GJ_OK;
        return gj_err(err, GJ_EIO, _("%s is not a folder"), shown(dir, s1, sizeof s1));
    }
    char buf[PATH_MAX];
    size_t n = strlen(dir);
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        if (buf[i - 1] == '/')
            continue; /* "a//b" */
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0700) == 0) {
            /* The new folder's name is in its parent: sync the parent. */
            char *slash = strrchr(buf, '/');
            if (slash == buf)
                sync_dir("/");
            else if (slash) {
                *slash = '\0';
                sync_dir(buf);
                *slash = '/';
            } else {
                sync_dir(".");
            }
        } else if (errno == EEXIST) {
            if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
                return gj_err(err, GJ_EIO, _("%s is not a folder"), shown(buf, s1, sizeof s1));
        } else {
            int e = errno;
            return gj_err(err, GJ_EIO, _("cannot create the folder %s: %s"),
                          shown(buf, s1, sizeof s1), strerror(e));
        }
        buf[i] = saved;
    }
    return GJ_OK;
}

static int write_all(int fd, const char *text, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, text, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        text += w;
        len -= (size_t)w;
    }
    return 0;
}

static int exists_msg(const char *path, struct gj_error *err)
{
    char s1[SHOWN_SZ];
    return gj_err(err, GJ_ECONSTRAINT, _("%s already exists; it was not replaced"),
                  shown(path, s1, sizeof s1));
}

int gj_write_text_file(const char *path, const char *text, size_t len, int replace,
                       struct gj_error *err)
{
    char s1[SHOWN_SZ], s2[SHOWN_SZ];
    if (!path || !*path)
        return gj_err(err, GJ_EINVAL, "%s", _("writing a file: no file name was given"));
    if (!text && len > 0)
        return gj_err(err, GJ_EINVAL, "%s", _("writing a file: no text was given"));
    size_t plen = strlen(path);
    if (plen >= PATH_MAX)
        return gj_err(err, GJ_EINVAL, _("%s: the path is too long (%zu bytes, at most %d)"),
                      shown(path, s1, sizeof s1), plen, PATH_MAX - 1);
    if (path[plen - 1] == '/')
        return gj_err(err, GJ_EINVAL, _("%s: this names a folder, not a file"),
                      shown(path, s1, sizeof s1));

    /* The folder and the name. */
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!slash) {
        strcpy(dir, ".");
    } else if (slash == path) {
        strcpy(dir, "/");
    } else {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
    }
    size_t blen = strlen(base);
    if (blen > NAME_MAX)
        return gj_err(err, GJ_EINVAL, _("%s: the file name is too long (%zu bytes, at most %d)"),
                      shown(path, s1, sizeof s1), blen, NAME_MAX);

    struct stat st;
    if (!replace && lstat(path, &st) == 0)
        return exists_msg(path, err);
    int rc = make_dirs(dir, err);
    if (rc != GJ_OK)
        return rc;

    /* The temp file beside it: "<path>.XXXXXX", or a short name when that
     * would be too long for the folder. */
    char tmp[PATH_MAX + 32];
    if (blen + 7 <= NAME_MAX)
        snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    else
        snprintf(tmp, sizeof tmp, "%s/.guanjia-XXXXXX", dir);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        return gj_err(err, GJ_EIO, _("cannot create a file in %s: %s"), shown(dir, s1, sizeof s1),
                      strerror(e));
    }
    if (write_all(fd, text, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return gj_err(err, GJ_EIO, _("cannot write %s: %s (nothing was written)"),
                      shown(path, s1, sizeof s1), strerror(e));
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return gj_err(err, GJ_EIO, _("cannot write %s: %s (nothing was written)"),
                      shown(path, s1, sizeof s1), strerror(e));
    }

    if (replace) {
        if (rename(tmp, path) != 0) {
            int e = errno;
            unlink(tmp);
            return gj_err(err, GJ_EIO, _("cannot put %s in place: %s (nothing was written)"),
                          shown(path, s1, sizeof s1), strerror(e));
        }
    } else if (link(tmp, path) == 0) {
        unlink(tmp); /* the new name stays */
    } else if (errno == EEXIST) {
        unlink(tmp);
        return exists_msg(path, err);
    } else if (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == ENOSYS ||
               errno == EMLINK) {
        /* No hard links on this file system: check, then move. */
        if (lstat(path, &st) == 0) {
            unlink(tmp);
            return exists_msg(path, err);
        }
        if (rename(tmp, path) != 0) {
            int e = errno;
            unlink(tmp);
            return gj_err(err, GJ_EIO, _("cannot put %s in place: %s (nothing was written)"),
                          shown(path, s1, sizeof s1), strerror(e));
        }
    } else {
        int e = errno;
        unlink(tmp);
        return gj_err(err, GJ_EIO, _("cannot put %s in place: %s (nothing was written)"),
                      shown(path, s1, sizeof s1), strerror(e));
    }
    if (sync_dir(dir) != 0) {
        int e = errno;
        return gj_err(err, GJ_EIO, _("%s was written but its folder %s could not be synced: %s"),
                      shown(path, s1, sizeof s1), shown(dir, s2, sizeof s2), strerror(e));
    }
    gj_err_clear(err);
    return GJ_OK;
}

int gj_document_dir(const char *db_path, const char *sub, char *out, size_t outsz,
                    struct gj_error *err)
{
    if (out && outsz > 0)
        out[0] = '\0';
    if (!out || outsz == 0)
        return gj_err(err, GJ_EINVAL, "%s", _("document folder: nowhere to put the path"));
    if (!db_path || !*db_path)
        return gj_err(err, GJ_EINVAL, "%s", _("document folder: no database path was given"));
    if (!sub || !*sub || strchr(sub, '/') || strcmp(sub, ".") == 0 || strcmp(sub, "..") == 0)
        return gj_err(err, GJ_EINVAL, _("document folder: \"%s\" is not a folder name"),
                      sub ? sub : "");
    size_t n = strlen(db_path);
    const char *dir = ".";
    size_t dlen = 1;
    if (strcmp(db_path, ":memory:") != 0) {
        while (n > 1 && db_path[n - 1] == '/')
            n--; /* "a/b.db/" is "a/b.db" */
        size_t i = n;
        while (i > 0 && db_path[i - 1] != '/')
            i--;
        if (i > 0) {
            while (i > 1 && db_path[i - 1] == '/')
                i--; /* "a//b.db": the folder is "a" */
            dir = db_path;
            dlen = i;
        }
    }
    int w = dlen == 1 && dir[0] == '/' ? snprintf(out, outsz, "/%s", sub)
                                       : snprintf(out, outsz, "%.*s/%s", (int)dlen, dir, sub);
    if (w < 0 || (size_t)w >= outsz) {
        char s1[SHOWN_SZ];
        out[0] = '\0';
        return gj_err(err, GJ_EINVAL, _("document folder: the path beside %s is too long"),
                      shown(db_path, s1, sizeof s1));
    }
    gj_err_clear(err);
    return GJ_OK;
}
