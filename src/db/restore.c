/* Restoring a backup over the database, in two steps (see db.h). */
#include "db_internal.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long the restore waits for a command of another terminal to finish
 * before it refuses: short, because an open console never lets go. */
#define RESTORE_BUSY_MS 3000

struct gj_restore {
    char *db_path;
    char *file;
    char *tmp;
    char dir[4096];
    struct gj_db *copy;
    int from_version;
};

static int sync_fd_path(const char *path, int dir)
{
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    if (rc != 0 && dir && (errno == EINVAL || errno == EROFS))
        rc = 0;
    close(fd);
    return rc;
}

/* Removes path-wal, path-shm and path-journal (missing ones are fine). */
static void unlink_companions(const char *path)
{
    static const char *const ext[] = {"-wal", "-shm", "-journal"};
    char buf[4200];
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        snprintf(buf, sizeof buf, "%s%s", path, ext[i]);
        unlink(buf);
    }
}

/* Copies from into a new file to (mode 0600 whatever the umask), synced. */
static int copy_file(const char *from, const char *to, struct gj_error *err, const char *shown)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return gj_err(err, GJ_EIO, _("%s: cannot read the file: %s"), shown, strerror(errno));
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        int e = errno;
        close(in);
        return gj_err(err, GJ_EIO, _("%s: cannot create a file beside the database: %s"), shown,
                      strerror(e));
    }
    int status = GJ_OK;
    if (fchmod(out, 0600) != 0)
        status = gj_err(err, GJ_EIO, _("%s: %s"), shown, strerror(errno));
    char buf[65536];
    while (status == GJ_OK) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            status = gj_err(err, GJ_EIO, _("%s: cannot read the file: %s"), shown, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n && status == GJ_OK;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                status =
                    gj_err(err, GJ_EIO, _("%s: cannot write the copy: %s"), shown, strerror(errno));
            else
                off += w;
        }
    }
    if (status == GJ_OK && fsync(out) != 0)
        status = gj_err(err, GJ_EIO, _("%s: cannot write the copy: %s"), shown, strerror(errno));
    close(in);
    if (close(out) != 0 && status == GJ_OK)
        status = gj_err(err, GJ_EIO, _("%s: cannot write the copy: %s"), shown, strerror(errno));
    return status;
}

/* The checks that need no schema knowledge, on the plain file: is it a
 * database, of which version, undamaged. */
static int check_raw(struct gj_restore *r, struct gj_error *err)
{
    sqlite3 *h = NULL;
    int status = GJ_OK;
    int rc = sqlite3_open_v2(r->tmp, &h, SQLITE_OPEN_READWRITE, NULL);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        r->from_version = sqlite3_column_int(st, 0);
    else
        status = gj_err(err, GJ_EDB,
                        _("%s: not a Guanjia backup, or damaged (%s); the database was "
                          "not changed"),
                        r->file, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
    sqlite3_finalize(st);
    st = NULL;
    if (status == GJ_OK && r->from_version <= 0)
        status = gj_err(err, GJ_EINVAL,
                        _("%s: not a Guanjia backup (it has no schema version); the "
                          "database was not changed"),
                        r->file);
    if (status == GJ_OK && r->from_version > gj_db_schema_target())
        status = gj_err(err, GJ_EVERSION,
                        _("%s: the backup has schema version %d, newer than this program "
                          "supports (%d); use a newer guanjia. The database was not changed"),
                        r->file, r->from_version, gj_db_schema_target());
    if (status == GJ_OK) {
        rc = sqlite3_prepare_v2(h, "PRAGMA integrity_check(5)", -1, &st, NULL);
        const unsigned char *res = NULL;
        if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            res = sqlite3_column_text(st, 0);
        if (!res || strcmp((const char *)res, "ok") != 0)
            status = gj_err(err, GJ_EDB,
                            _("%s: the backup is damaged (%s); the database was not "
                              "changed"),
                            r->file, res ? (const char *)res : sqlite3_errmsg(h));
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return status;
}

void gj_db_restore_abort(struct gj_restore *r)
{
    if (!r)
        return;
    gj_db_close(r->copy);
    if (r->tmp) {
        unlink(r->tmp);
        unlink_companions(r->tmp);
    }
    free(r->db_path);
    free(r->file);
    free(r->tmp);
    free(r);
}

int gj_db_restore_begin(const char *db_path, const char *file, struct gj_restore **out,
                        struct gj_error *err)
{
    *out = NULL;
    if (!file || !*file)
        return gj_err(err, GJ_EINVAL, _("restore: no backup file given"));
    struct stat st, db_st;
    if (stat(file, &st) != 0)
        return gj_err(err, errno == ENOENT ? GJ_ENOTFOUND : GJ_EIO,
                      _("%s: %s; the database was not changed"), file,
                      errno == ENOENT ? _("no such file") : strerror(errno));
    if (!S_ISREG(st.st_mode))
        return gj_err(err, GJ_EINVAL, _("%s: not a file; the database was not changed"), file);
    if (stat(db_path, &db_st) == 0 && db_st.st_ino == st.st_ino && db_st.st_dev == st.st_dev)
        return gj_err(err, GJ_EINVAL, _("%s: that is the database itself"), file);

    struct gj_restore *r = calloc(1, sizeof *r);
    size_t tmpsz = strlen(db_path) + 48;
    if (!r || !(r->db_path = strdup(db_path)) || !(r->file = strdup(file)) ||
        !(r->tmp = malloc(tmpsz))) {
        gj_db_restore_abort(r);
        return gj_err(err, GJ_ENOMEM, _("out of memory"));
    }
    if (strlen(db_path) >= sizeof r->dir) {
        free(r->tmp);
        r->tmp = NULL;
        gj_db_restore_abort(r);
        return gj_err(err, GJ_EINVAL, _("database path is too long"));
    }
    strcpy(r->dir, db_path);
    char *d = dirname(r->dir);
    if (d != r->dir)
        memmove(r->dir, d, strlen(d) + 1);
    snprintf(r->tmp, tmpsz, "%s.restore-%ld", db_path, (long)getpid());
    unlink(r->tmp);
    unlink_companions(r->tmp);

    int status = copy_file(file, r->tmp, err, file);
    if (status == GJ_OK)
        status = check_raw(r, err);
    if (status == GJ_OK) {
        /* Opening migrates an older backup to this program's schema. */
        struct gj_error oerr;
        if (gj_db_open(r->tmp, 0, &r->copy, &oerr) != GJ_OK)
            status = gj_err(err, oerr.code,
                            _("%s: cannot bring the backup up to date (%s); the database "
                              "was not changed"),
                            file, oerr.msg);
    }
    if (status != GJ_OK) {
        gj_db_restore_abort(r);
        return status;
    }
    *out = r;
    return GJ_OK;
}

struct gj_db *gj_db_restore_copy(struct gj_restore *r)
{
    return r->copy;
}

int gj_db_restore_from_version(const struct gj_restore *r)
{
    return r->from_version;
}

/* Holds the database at path for ourselves: fails when another program
 * has it open. *h stays open (and locked) until closed. */
static int lock_database(const char *path, sqlite3 **h, struct gj_error *err)
{
    int rc = sqlite3_open_v2(path, h, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(*h, RESTORE_BUSY_MS);
        /* Leaving WAL needs every other connection gone; exclusive locking
         * keeps the lock after the transaction until we close. */
        rc = sqlite3_exec(*h,
                          "PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = DELETE; "
                          "BEGIN EXCLUSIVE; COMMIT",
                          NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK) {
        /* journal_mode answers with the mode it kept rather than failing. */
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(*h, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW &&
            strcmp((const char *)sqlite3_column_text(st, 0), "delete") != 0)
            rc = SQLITE_BUSY;
        sqlite3_finalize(st);
    }
    if (rc == SQLITE_OK)
        return GJ_OK;
    int code = rc & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return gj_err(err, GJ_EBUSY,
                      _("the database %s is open in another program (a console or a command); "
                        "close it and try again. The database was not changed"),
                      path);
    if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)
        return gj_err(err, GJ_EREADONLY,
                      _("the database %s cannot be written; the database was not changed"), path);
    return gj_err(err, GJ_EDB, _("the database %s: %s; the database was not changed"), path,
                  *h ? sqlite3_errmsg(*h) : sqlite3_errstr(rc));
}

/* The restore itself goes into the restored file's audit log: when, by the
 * system, from which file and schema. */
static int record_restore(struct gj_restore *r, struct gj_error *err)
{
    struct gj_db *db = r->copy;
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, "
                   "new_values) VALUES (?, NULL, 'bulk', 'restore', NULL, NULL, "
                   "json_object('file', ?, 'schema_from', ?, 'schema_to', ?))",
                   err);
    if (!st)
        rc = err->code;
    if (rc == GJ_OK) {
        sqlite3_bind_int64(st, 1, gj_now());
        sqlite3_bind_text(st, 2, r->file, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, r->from_version);
        sqlite3_bind_int(st, 4, gj_db_schema_version(db));
        rc = gj_db_exec_stmt(db, st, _("recording the restore"), err);
    }
    return gj_tx_finish(db, rc, err);
}

int gj_db_restore_finish(struct gj_restore *r, struct gj_error *err)
{
    if (record_restore(r, err) != GJ_OK) {
        int code = err ? (int)err->code : GJ_EDB;
        gj_db_restore_abort(r);
        return code;
    }
    gj_db_close(r->copy);
    r->copy = NULL;
    /* The copy's own WAL was checkpointed by the close; nothing of it may
     * follow it under the new name. */
    unlink_companions(r->tmp);
    int status = GJ_OK;
    if (sync_fd_path(r->tmp, 0) != 0)
        status = gj_err(err, GJ_EIO, _("%s: cannot write the copy: %s"), r->file, strerror(errno));
    sqlite3 *h = NULL;
    struct stat st;
    int exists = stat(r->db_path, &st) == 0;
    if (status == GJ_OK && exists) {
        /* A file marked read-only is not replaced (as gj_db_open refuses
         * to write it), even for root. */
        if ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0)
            status = gj_err(err, GJ_EREADONLY,
                            _("the database %s cannot be written; the database was not changed"),
                            r->db_path);
        if (status == GJ_OK)
            status = lock_database(r->db_path, &h, err);
        if (status == GJ_OK && access(r->db_path, W_OK) != 0)
            status = gj_err(err, GJ_EREADONLY,
                            _("the database %s cannot be written; the database was not changed"),
                            r->db_path);
    }
    if (status == GJ_OK) {
        /* Stale companions of the old file must never be applied to the
         * new one: remove them while the old one is still held. */
        unlink_companions(r->db_path);
        if (rename(r->tmp, r->db_path) != 0)
            status = gj_err(err, GJ_EIO, _("%s: cannot replace the database: %s"), r->file,
                            strerror(errno));
        else if (sync_fd_path(r->dir, 1) != 0)
            status = gj_err(err, GJ_EIO, _("%s: %s"), r->file, strerror(errno));
    }
    if (h)
        sqlite3_close(h);
    if (status == GJ_OK) {
        free(r->tmp);
        r->tmp = NULL; /* renamed: nothing to remove */
    }
    gj_db_restore_abort(r);
    return status;
}
