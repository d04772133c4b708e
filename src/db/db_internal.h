/* Shared by db/ and repo/ only: the handle and statement helpers. */
#ifndef GUANJIA_DB_INTERNAL_H
#define GUANJIA_DB_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include "guanjia/db.h"

#define GJ_STMT_CACHE 512

struct gj_stmt_slot {
    const char *sql; /* a string literal: cached by its address */
    sqlite3_stmt *stmt;
};

struct gj_db {
    sqlite3 *h;
    char *path;
    unsigned flags;
    int tx_depth;
    int schema_version;
    char *deferred_indexes; /* CREATE INDEX statements held back by a bulk load */
    int busy_timeout_ms;    /* how long to wait for another terminal's lock (10 s) */
    int64_t busy_since_us;  /* when the current wait for a lock began (busy_wait) */
    uint64_t busy_rng;      /* jitter for those waits */
    struct gj_stmt_slot cache[GJ_STMT_CACHE];
};

/* A prepared statement for sql (a string literal), reset with its bindings
 * cleared. Statements are cached for the life of db; do not finalize them.
 * Call sqlite3_reset (or gj_stmt_done) when finished stepping. */
sqlite3_stmt *gj_db_stmt(struct gj_db *db, const char *sql, struct gj_error *err);
void gj_stmt_done(sqlite3_stmt *st);

/* Creates an empty file at path with mode 0600 (whatever the umask) for
 * SQLite to fill; an existing file is left alone. On failure errno still
 * says why. */
int gj_db_create_private(const char *path, struct gj_error *err);

/* Turns a failed SQLite call into a clear message: what we were doing and
 * why it failed (a constraint, a lock, a full disk). Returns the status. */
int gj_db_fail(struct gj_db *db, int rc, const char *what, struct gj_error *err);

/* Binding helpers: NULL / 0-length text and the GJ_NULL_ID sentinel bind
 * SQL NULL. Text is bound without a copy: it must stay unchanged until the
 * statement has been stepped and reset. Return SQLITE_OK or an error code. */
#define GJ_NULL_ID INT64_C(0)
int gj_bind_text(sqlite3_stmt *st, int i, const char *s);
int gj_bind_id(sqlite3_stmt *st, int i, int64_t id);
int gj_bind_opt_i64(sqlite3_stmt *st, int i, int has, int64_t v);

/* Copies column i as text into out (empty string for NULL). */
void gj_col_text(sqlite3_stmt *st, int i, char *out, size_t outsz);
/* Column i as a malloc'd string (NULL for SQL NULL). */
char *gj_col_strdup(sqlite3_stmt *st, int i);

/* Runs a statement that returns no rows. */
int gj_db_exec_stmt(struct gj_db *db, sqlite3_stmt *st, const char *what, struct gj_error *err);
/* Runs the n statements of sql (static strings) in order, each through
 * gj_db_stmt and gj_db_exec_stmt, binding v to ?1 in those that take a
 * parameter; stops at the first failure. The transaction is the caller's. */
int gj_db_exec_all(struct gj_db *db, const char *const *sql, size_t n, int64_t v, const char *what,
                   struct gj_error *err);

/* After an UPDATE ... WHERE id = ? AND version = ? that changed nothing,
 * and the caller has checked that the row still exists: GJ_ECONFLICT,
 * naming who changed it last and when (from the audit log). entity is the
 * table name, label what the user calls the record ("owner 张三"). */
int gj_db_conflict(struct gj_db *db, const char *entity, const char *label, int64_t id,
                   struct gj_error *err);

/* Reads version, updated_at, updated_by from columns col..col+2. */
struct gj_row_meta;
void gj_read_meta(sqlite3_stmt *st, int col, struct gj_row_meta *m);

/* Ends a write begun with gj_db_begin: commits when status is GJ_OK, else
 * rolls back; returns the final status. */
int gj_tx_finish(struct gj_db *db, int status, struct gj_error *err);

/* Steps st expecting one row. GJ_OK leaves st on the row (the caller reads
 * it, then calls gj_stmt_done); otherwise st is reset and err says
 * "WHAT: not found" or why the query failed. */
int gj_step_one(struct gj_db *db, sqlite3_stmt *st, const char *what, struct gj_error *err);
/* The integer in the first column of the one row of sql (a static string),
 * with v[0..nv) bound to ?1..?nv; errors as gj_step_one. */
int gj_db_int_of(struct gj_db *db, const char *sql, const int64_t *v, int nv, int64_t *out,
                 const char *what, struct gj_error *err);

/* Appends id to the growing array *ids (*n used of *cap; free it). */
int gj_ids_push(int64_t **ids, size_t *n, size_t *cap, int64_t id, struct gj_error *err);

/* Runs one(db, ids[i], ctx, &count, err) for each of the n ids, in write
 * transactions of at most per_tx ids, with gj_db_give_way between two
 * (a long run, a sweep or a catch-up, that another terminal's saves must
 * not wait for). *done gets the counts of the transactions committed. It
 * stops at the first failure; the transactions before it stay. */
typedef int (*gj_id_fn)(struct gj_db *db, int64_t id, void *ctx, long *count, struct gj_error *err);
int gj_db_each_in_batches(struct gj_db *db, const int64_t *ids, size_t n, size_t per_tx,
                          gj_id_fn one, void *ctx, long *done, struct gj_error *err);

/* Steps an UPDATE ... WHERE id = ? AND version = ?. When it changed no row:
 * GJ_ENOTFOUND if !exists, else the conflict message (gj_db_conflict). */
int gj_step_guarded(struct gj_db *db, sqlite3_stmt *st, const char *entity, const char *label,
                    int64_t id, int exists, const char *what, struct gj_error *err);

/* Steps st, calling read(st, row i) into rows[] (each elem_size bytes) until
 * limit rows or the end; resets st. */
int gj_step_rows(struct gj_db *db, sqlite3_stmt *st, int limit, void *rows, size_t elem_size,
                 void (*read)(sqlite3_stmt *, void *), int *n, const char *what,
                 struct gj_error *err);

/* Prepares sql, binds p1 and p2 to parameters 1 and 2 and limit to
 * parameter 3, and reads the rows as gj_step_rows does (*n is 0 when the
 * query cannot be prepared). */
int gj_query_rows(struct gj_db *db, const char *sql, int64_t p1, int64_t p2, int limit, void *rows,
                  size_t elem_size, void (*read)(sqlite3_stmt *, void *), int *n, const char *what,
                  struct gj_error *err);

#endif
