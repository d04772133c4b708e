/* Opening, configuring and migrating the database file. */
#include "db_internal.h"
#include "migrations.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000

int gj_db_schema_target(void)
{
    return gj_migration_count;
}

const char *gj_db_path(const struct gj_db *db)
{
    return db->path;
}

int gj_db_schema_version(const struct gj_db *db)
{
    return db->schema_version;
}

/* mkdir -p for the folder that holds path. */
static int make_parent_dirs(const char *path, struct gj_error *err)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof buf)
        return gj_err(err, GJ_EINVAL, _("database path is too long (%zu bytes)"), n);
    memcpy(buf, path, n + 1);
    char *slash = strrchr(buf, '/');
    if (!slash || slash == buf)
        return GJ_OK;
    *slash = '\0';
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return gj_err(err, GJ_EIO, _("cannot create folder %s: %s"), buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return gj_err(err, GJ_EIO, _("cannot create folder %s: %s"), buf, strerror(errno));
    struct stat st;
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
        return gj_err(err, GJ_EIO, _("cannot use folder %s: it is not a folder"), buf);
    return GJ_OK;
}

static int exec_simple(struct gj_db *db, const char *sql, const char *what, struct gj_error *err)
{
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return gj_db_fail(db, rc, what, err);
    return GJ_OK;
}

static int read_user_version_of(struct gj_db *db, int *version, const char *what,
                                struct gj_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *version = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return gj_db_fail(db, rc, what, err);
    return GJ_OK;
}

static int read_user_version(struct gj_db *db, int *version, struct gj_error *err)
{
    return read_user_version_of(db, version, _("reading the schema version"), err);
}

static int migrate(struct gj_db *db, struct gj_error *err)
{
    for (int i = 0; i < gj_migration_count; i++) {
        const struct gj_migration *m = &gj_migrations[i];
        if (m->version <= db->schema_version)
            continue;
        int rc = exec_simple(db, "BEGIN IMMEDIATE", _("starting a migration"), err);
        if (rc != GJ_OK)
            return rc;
        /* Another terminal may have migrated while we waited for the lock. */
        int current = 0;
        rc = read_user_version(db, &current, err);
        if (rc == GJ_OK && current < m->version) {
            char *msg = NULL;
            int src = sqlite3_exec(db->h, m->sql, NULL, NULL, &msg);
            if (src != SQLITE_OK) {
                rc = gj_err(err, GJ_EDB, _("migration %d (%s) failed: %s"), m->version, m->name,
                            msg ? msg : sqlite3_errstr(src));
            } else {
                char pragma[64];
                snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
                rc = exec_simple(db, pragma, _("recording the schema version"), err);
            }
            sqlite3_free(msg);
        }
        if (rc != GJ_OK) {
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
        rc = exec_simple(db, "COMMIT", _("finishing a migration"), err);
        if (rc != GJ_OK) {
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
        db->schema_version = m->version > current ? m->version : current;
    }
    return GJ_OK;
}

static int64_t monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Waiting while another terminal writes, up to busy_timeout_ms in all.
 * SQLite's own handler (sqlite3_busy_timeout) backs off to sleeps of
 * 100 ms, so a terminal that has waited a while looks rarely and loses
 * the lock again and again to those that have just begun to wait: with
 * eight terminals an action took up to 2 s (guanjia-stress terminals).
 * Sleeps of at most 4 ms, with jitter, keep every waiter in the race:
 * the slowest action 0.5 s, the same throughput (docs/reliability.md).
 * Shorter sleeps cost the lock holder CPU: at 1.5 ms throughput fell by a
 * quarter. */
static int busy_wait(void *arg, int count)
{
    struct gj_db *db = arg;
    int64_t now = monotonic_us();
    if (count == 0)
        db->busy_since_us = now;
    if (now - db->busy_since_us >= (int64_t)db->busy_timeout_ms * 1000)
        return 0;
    db->busy_rng = db->busy_rng * 6364136223846793005u + 1442695040888963407u;
    /* 0.5, 1, 2, then 4 ms, each give or take half */
    long base = count < 3 ? 500L << count : 4000;
    long us = base / 2 + (long)((db->busy_rng >> 33) % (uint64_t)base);
    struct timespec ts = {.tv_sec = 0, .tv_nsec = us * 1000};
    nanosleep(&ts, NULL);
    return 1;
}

void gj_db_give_way(void)
{
    /* Longer than the busy handler's longest sleep (4 ms and half), so that
     * a save waiting for the lock tries again within it. */
    struct timespec ts = {.tv_sec = 0, .tv_nsec = 7 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

int gj_db_create_private(const char *path, struct gj_error *err)
{
    /* Owner only, whatever the umask: the file holds phones and ID numbers.
     * SQLite gives its -wal, -shm and -journal the same mode. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        if (e == EEXIST)
            return GJ_OK; /* made by another terminal meanwhile */
        gj_err(err, GJ_EIO, _("database %s: cannot create the file: %s"), path, strerror(e));
        errno = e; /* for callers that word their own message */
        return GJ_EIO;
    }
    int rc = fchmod(fd, 0600);
    int e = errno;
    close(fd);
    if (rc != 0)
        return gj_err(err, GJ_EIO, _("database %s: cannot create the file: %s"), path, strerror(e));
    return GJ_OK;
}

static int file_is_marked_readonly(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    /* Respect the read-only mark even for root, who could write anyway. */
    return (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 || access(path, W_OK) != 0;
}

int gj_db_open(const char *path, unsigned flags, struct gj_db **out, struct gj_error *err)
{
    *out = NULL;
    if (!path || !*path)
        return gj_err(err, GJ_EINVAL, _("no database path given"));
    int memory = strcmp(path, ":memory:") == 0;
    int readonly = (flags & GJ_DB_READONLY) != 0;
    if (!memory) {
        struct stat st;
        if (stat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                return gj_err(err, GJ_EIO, _("database %s: is a folder, not a file"), path);
            if (!readonly && file_is_marked_readonly(path))
                return gj_err(err, GJ_EREADONLY,
                              _("database %s: the file is read-only (make it writable, or "
                                "use a copy)"),
                              path);
        } else if (errno == ENOENT) {
            if (!(flags & GJ_DB_CREATE) || readonly)
                return gj_err(err, GJ_ENOTFOUND,
                              _("database %s: no such file (create one with \"guanjia init\")"),
                              path);
            int rc = make_parent_dirs(path, err);
            if (rc != GJ_OK)
                return rc;
            rc = gj_db_create_private(path, err);
            if (rc != GJ_OK)
                return rc;
        } else {
            return gj_err(err, GJ_EIO, _("database %s: %s"), path, strerror(errno));
        }
    }

    /* No memory statistics: they cost a mutex on every allocation. Only
     * possible before SQLite initialises; later calls are harmlessly refused. */
    static int configured;
    if (!configured) {
        configured = 1;
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    }

    struct gj_db *db = calloc(1, sizeof *db);
    if (!db || !(db->path = strdup(path))) {
        free(db);
        return gj_err(err, GJ_ENOMEM, _("out of memory"));
    }
    db->flags = flags;
    int oflags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if ((flags & GJ_DB_CREATE) && !readonly)
        oflags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &db->h, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        gj_err(err, GJ_EIO, _("database %s: cannot open: %s"), path,
               db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        gj_db_close(db);
        return err ? (int)err->code : GJ_EIO;
    }
    sqlite3_extended_result_codes(db->h, 1);
    db->busy_timeout_ms = BUSY_TIMEOUT_MS;
    db->busy_rng = (uint64_t)getpid() ^ (uint64_t)(uintptr_t)db ^ (uint64_t)monotonic_us();
    sqlite3_busy_handler(db->h, busy_wait, db);

    /* Look before touching: nothing below writes until the version is known. */
    /* The first read: a file that is not a database, or one that cannot be
     * read, fails here, and the message names it. */
    char what[4200];
    snprintf(what, sizeof what, _("database %s"), path);
    int status = read_user_version_of(db, &db->schema_version, what, err);
    if (status == GJ_OK && db->schema_version > gj_migration_count)
        status = gj_err(err, GJ_EVERSION,
                        _("database %s has schema version %d, newer than this program "
                          "supports (%d); use a newer guanjia"),
                        path, db->schema_version, gj_migration_count);
    if (status == GJ_OK && !readonly && sqlite3_db_readonly(db->h, "main") == 1)
        status = gj_err(err, GJ_EREADONLY, _("database %s: the file cannot be written"), path);
    if (status == GJ_OK && readonly && db->schema_version < gj_migration_count)
        status = gj_err(err, GJ_EVERSION,
                        _("database %s has schema version %d and needs upgrading to %d; run "
                          "\"guanjia init\" first"),
                        path, db->schema_version, gj_migration_count);
    if (status == GJ_OK)
        status = exec_simple(db, "PRAGMA foreign_keys = ON", _("turning on foreign keys"), err);
    if (status == GJ_OK && !readonly) {
        if (flags & GJ_DB_BULK)
            status = exec_simple(
                db,
                "PRAGMA journal_mode = DELETE; PRAGMA cache_size = -1048576; PRAGMA threads = 2; "
                "PRAGMA temp_store = MEMORY; "
                "PRAGMA synchronous = FULL",
                _("preparing the bulk load"), err);
        else
            status = exec_simple(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL",
                                 _("setting the journal mode"), err);
    }
    if (status == GJ_OK && !readonly)
        status = migrate(db, err);
    if (status != GJ_OK) {
        gj_db_close(db);
        return status;
    }
    *out = db;
    return GJ_OK;
}

void gj_db_close(struct gj_db *db)
{
    if (!db)
        return;
    for (int i = 0; i < GJ_STMT_CACHE; i++)
        if (db->cache[i].stmt)
            sqlite3_finalize(db->cache[i].stmt);
    if (db->h) {
        if ((db->flags & GJ_DB_BULK) && !(db->flags & GJ_DB_READONLY)) {
            sqlite3_exec(db->h, "PRAGMA synchronous = FULL; PRAGMA journal_mode = WAL", NULL, NULL,
                         NULL);
        }
        sqlite3_close(db->h);
    }
    free(db->deferred_indexes);
    free(db->path);
    free(db);
}

int gj_db_large_cache(struct gj_db *db, int mib, struct gj_error *err)
{
    /* A pragma takes no parameters: the number is formatted, never text. */
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d; PRAGMA temp_store = %s",
             mib > 0 ? mib * 1024 : 2000, mib > 0 ? "MEMORY" : "DEFAULT");
    return exec_simple(db, sql, _("setting the page cache"), err);
}

int gj_db_begin(struct gj_db *db, struct gj_error *err)
{
    const char *sql = db->tx_depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT gj";
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return gj_db_fail(db, rc, _("starting a transaction"), err);
    db->tx_depth++;
    return GJ_OK;
}

int gj_db_begin_read(struct gj_db *db, struct gj_error *err)
{
    const char *sql = db->tx_depth == 0 ? "BEGIN" : "SAVEPOINT gj";
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return gj_db_fail(db, rc, _("starting a transaction"), err);
    db->tx_depth++;
    return GJ_OK;
}

int gj_db_commit(struct gj_db *db, struct gj_error *err)
{
    if (db->tx_depth <= 0)
        return gj_err(err, GJ_EDB, _("commit without a transaction"));
    const char *sql = db->tx_depth == 1 ? "COMMIT" : "RELEASE gj";
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        int status = gj_db_fail(db, rc, _("saving the changes"), err);
        gj_db_rollback(db);
        return status;
    }
    db->tx_depth--;
    return GJ_OK;
}

void gj_db_rollback(struct gj_db *db)
{
    if (db->tx_depth <= 0)
        return;
    if (db->tx_depth == 1)
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    else
        sqlite3_exec(db->h, "ROLLBACK TO gj; RELEASE gj", NULL, NULL, NULL);
    db->tx_depth--;
}

int gj_db_default_path(char *out, size_t outsz, struct gj_error *err)
{
    const char *env = getenv("GUANJIA_DB");
    int n;
    if (env && *env) {
        n = snprintf(out, outsz, "%s", env);
    } else {
        const char *xdg = getenv("XDG_DATA_HOME");
        const char *home = getenv("HOME");
        if (xdg && *xdg == '/')
            n = snprintf(out, outsz, "%s/guanjia/guanjia.db", xdg);
        else if (home && *home)
            n = snprintf(out, outsz, "%s/.local/share/guanjia/guanjia.db", home);
        else
            return gj_err(err, GJ_EINVAL,
                          _("no database given: use --db FILE or set GUANJIA_DB or HOME"));
    }
    if (n < 0 || (size_t)n >= outsz)
        return gj_err(err, GJ_EINVAL, _("database path is too long"));
    return GJ_OK;
}
