/* Online backup through SQLite's backup API: safe while others write. */
#include "db_internal.h"

#include "guanjia/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fsync_path(const char *path, int dir)
{
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int gj_db_backup(struct gj_db *db, const char *dest, struct gj_error *err)
{
    struct stat st, src_st;
    if (!dest || !*dest)
        return gj_err(err, GJ_EINVAL, _("backup: no file given"));
    if (stat(dest, &st) == 0) {
        if (stat(db->path, &src_st) == 0 && st.st_ino == src_st.st_ino &&
            st.st_dev == src_st.st_dev)
            return gj_err(err, GJ_EINVAL, _("backup %s: that is the database itself"), dest);
        return gj_err(err, GJ_EINVAL,
                      _("backup %s: the file exists; choose a new name (nothing was written)"),
                      dest);
    }
    char dir[4096];
    if (strlen(dest) >= sizeof dir)
        return gj_err(err, GJ_EINVAL, _("backup: the path is too long"));
    strcpy(dir, dest);
    char *d = dirname(dir);
    if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
        return gj_err(err, GJ_EIO, _("backup %s: folder %s does not exist"), dest, d);

    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", dest, (long)getpid());
    sqlite3 *out = NULL;
    unlink(tmp);
    if (gj_db_create_private(tmp, NULL) != GJ_OK)
        return gj_err(err, GJ_EIO, _("backup %s: cannot create the file: %s"), dest,
                      strerror(errno));
    int rc = sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    int status = GJ_OK;
    if (rc != SQLITE_OK) {
        status = gj_err(err, GJ_EIO, _("backup %s: cannot create the file: %s"), dest,
                        out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
        goto cleanup;
    }
    sqlite3_backup *b = sqlite3_backup_init(out, "main", db->h, "main");
    if (!b) {
        status = gj_err(err, GJ_EIO, _("backup %s: %s"), dest, sqlite3_errmsg(out));
        goto cleanup;
    }
    /* Copy in steps so writers in other terminals are never held up long. */
    do {
        rc = sqlite3_backup_step(b, 1024);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    int frc = sqlite3_backup_finish(b);
    int sys = sqlite3_system_errno(out);
    if ((rc != SQLITE_DONE || frc != SQLITE_OK) &&
        (sys == ENOSPC || sys == EFBIG || sys == EDQUOT)) {
        status = gj_err(err, GJ_EIO, _("backup %s: the disk is full (nothing was written)"), dest);
        goto cleanup;
    }
    if (rc != SQLITE_DONE || frc != SQLITE_OK) {
        status = gj_err(err, GJ_EIO, _("backup %s: copying failed: %s"), dest,
                        sqlite3_errstr(rc != SQLITE_DONE ? rc : frc));
        goto cleanup;
    }
    /* Check the copy before it takes the name. */
    sqlite3_stmt *qc = NULL;
    rc = sqlite3_prepare_v2(out, "PRAGMA quick_check", -1, &qc, NULL);
    if (rc == SQLITE_OK && sqlite3_step(qc) == SQLITE_ROW) {
        const unsigned char *r = sqlite3_column_text(qc, 0);
        if (!r || strcmp((const char *)r, "ok") != 0)
            status = gj_err(err, GJ_EDB, _("backup %s: the copy failed its check: %s"), dest,
                            r ? (const char *)r : "?");
    } else {
        status = gj_err(err, GJ_EDB, _("backup %s: cannot check the copy: %s"), dest,
                        sqlite3_errmsg(out));
    }
    sqlite3_finalize(qc);

cleanup:
    if (out && sqlite3_close(out) != SQLITE_OK && status == GJ_OK)
        status = gj_err(err, GJ_EIO, _("backup %s: closing the copy failed"), dest);
    if (status == GJ_OK && fsync_path(tmp, 0) != 0)
        status = gj_err(err, GJ_EIO, _("backup %s: %s"), dest, strerror(errno));
    if (status == GJ_OK && rename(tmp, dest) != 0)
        status = gj_err(err, GJ_EIO, _("backup %s: %s"), dest, strerror(errno));
    if (status == GJ_OK)
        fsync_path(d, 1);
    else
        unlink(tmp);
    return status;
}
