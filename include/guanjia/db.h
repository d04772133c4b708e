/* The database: one SQLite file, opened, configured and migrated here. */
#ifndef GUANJIA_DB_H
#define GUANJIA_DB_H

#include <stddef.h>
#include <stdint.h>
#include "guanjia/error.h"

struct gj_db; /* opaque; owned by whoever opened it, freed by gj_db_close */

enum gj_db_flags {
    GJ_DB_CREATE = 1 << 0,   /* create the file (and its folders) when missing */
    GJ_DB_READONLY = 1 << 1, /* open for reading only; never migrates */
    GJ_DB_BULK = 1 << 2      /* rollback journal and a large cache while loading a
                                new file; gj_db_close switches back to WAL */
};

/* The schema version this program writes. */
int gj_db_schema_target(void);

/* Opens path (":memory:" for a private in-memory database). The folders are
 * created when GJ_DB_CREATE is given. A database newer than this program is
 * refused with GJ_EVERSION and left untouched, as is a read-only file when
 * writing is needed (GJ_EREADONLY). Sets WAL, foreign keys, a busy timeout
 * and synchronous=FULL, then applies pending migrations, each in its own
 * transaction. */
int gj_db_open(const char *path, unsigned flags, struct gj_db **out, struct gj_error *err);
/* Closes and frees db; NULL is ignored. */
void gj_db_close(struct gj_db *db);

const char *gj_db_path(const struct gj_db *db);
/* PRAGMA user_version as found after opening (and migrating). */
int gj_db_schema_version(const struct gj_db *db);

/* Transactions nest: the outermost is BEGIN IMMEDIATE, inner ones are
 * savepoints. Each begin is matched by one commit or one rollback. */
/* A page cache of up to mib MiB for one big transaction (an import), so
 * that its pages stay in memory instead of spilling to the WAL and being
 * read back; mib <= 0 goes back to SQLite's default (about 2 MB). */
int gj_db_large_cache(struct gj_db *db, int mib, struct gj_error *err);
int gj_db_begin(struct gj_db *db, struct gj_error *err);
int gj_db_commit(struct gj_db *db, struct gj_error *err);
void gj_db_rollback(struct gj_db *db);
/* A read transaction: everything read until gj_db_rollback sees one
 * snapshot of the file, whatever other terminals write meanwhile. */
int gj_db_begin_read(struct gj_db *db, struct gj_error *err);
/* Between two write transactions of a long run (a sweep, a catch-up):
 * waits a few milliseconds, so that another terminal's save waiting for
 * the write lock takes it before the next transaction does. */
void gj_db_give_way(void);

/* PRAGMA data_version: changes whenever another connection (another
 * terminal) commits a change to the file. Cheap enough to poll. */
int gj_db_data_version(struct gj_db *db, int64_t *version, struct gj_error *err);

/* Online backup to dest (written to a temp file, synced, then renamed),
 * safe while other processes write. */
int gj_db_backup(struct gj_db *db, const char *dest, struct gj_error *err);

/* Restoring a backup (guanjia restore), in two steps so that the caller
 * can run the domain checks (repo/) on the copy between them.
 * gj_db_restore_begin copies file byte for byte into a new file beside
 * db_path (mode 0600; file itself is only read), refuses it when it is not
 * a Guanjia database, has a schema newer than this program (GJ_EVERSION)
 * or fails the integrity check, and opens the copy, which migrates an
 * older schema. gj_db_restore_copy is that open copy, owned by r.
 * gj_db_restore_finish closes the copy and takes the database for itself
 * (GJ_EBUSY when another program has it open), removes the old file's
 * -wal, -shm and -journal, renames the copy over it and syncs the folder;
 * it frees r whatever happens. gj_db_restore_abort removes the copy and
 * frees r (NULL is ignored). Until finish succeeds, the database is not
 * changed. */
struct gj_restore;
int gj_db_restore_begin(const char *db_path, const char *file, struct gj_restore **out,
                        struct gj_error *err);
struct gj_db *gj_db_restore_copy(struct gj_restore *r);
/* The backup's schema version as found, before any migration. */
int gj_db_restore_from_version(const struct gj_restore *r);
int gj_db_restore_finish(struct gj_restore *r, struct gj_error *err);
void gj_db_restore_abort(struct gj_restore *r);

/* The default database path: $GUANJIA_DB, else
 * $XDG_DATA_HOME/guanjia/guanjia.db, else ~/.local/share/guanjia/guanjia.db. */
int gj_db_default_path(char *out, size_t outsz, struct gj_error *err);

#endif
