/* Helpers shared by the cmocka tests. Include after cmocka.h. */
#ifndef GUANJIA_TESTUTIL_H
#define GUANJIA_TESTUTIL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct gj_db;
struct gj_error;
struct gj_unit;

/* A new empty folder under $TMPDIR; removed by gj_test_rmtree. The string
 * is static storage for up to 8 folders per process. */
const char *gj_test_tmpdir(void);
/* rm -rf path. */
void gj_test_rmtree(const char *path);
/* path joined with name into a static buffer (one of 8 rotating). */
const char *gj_test_path(const char *dir, const char *name);

/* Runs the guanjia binary ($GUANJIA_BIN) with argv (NULL-terminated,
 * without argv[0]), feeding stdin_text (may be NULL) on standard input.
 * Stores its standard output and standard error (malloc'd, caller frees;
 * either pointer may be NULL) and returns the exit status, or -1 when it
 * died from a signal. Extra environment entries "K=V" may be given in env
 * (NULL-terminated, may be NULL). */
int gj_test_run(const char *const *argv, const char *const *env, const char *stdin_text, char **out,
                char **errout);

/* The environment most commands run in: the clock fixed at 2026-11-29
 * 09:00 (GUANJIA_NOW). */
extern const char *const gj_test_fixed_now[];

/* What the last gj_test_cmd printed on standard output and standard error
 * (NUL-terminated; freed by the next gj_test_cmd). */
extern char *gj_test_out, *gj_test_err;

/* Runs the guanjia binary as gj_test_run does, with the arguments a0, ...
 * up to a NULL (at most 31), the extra environment env (may be NULL) and
 * stdin_text (may be NULL) on standard input. Leaves what it printed in
 * gj_test_out and gj_test_err; returns the exit status, or -1. */
int gj_test_cmd(const char *const *env, const char *stdin_text, const char *a0, ...);
/* A cmocka group teardown: frees gj_test_out and gj_test_err. */
int gj_test_cmd_teardown(void **state);

/* A new database file called name in a new temp folder, opened twice: by
 * the program (*db: created and migrated) and with plain sqlite3 (*raw,
 * waiting up to 5 s for a lock), to seed and check behind the program's
 * back. dir (dirsz bytes) gets the folder. Fails the test when it cannot;
 * returns the file's path (a gj_test_path buffer). */
const char *gj_test_db_open(const char *name, char *dir, size_t dirsz, struct gj_db **db,
                            sqlite3 **raw);
/* Closes what gj_test_db_open opened (db and raw may be NULL) and removes
 * dir (unless it is ""). */
void gj_test_db_close(const char *dir, struct gj_db *db, sqlite3 *raw);

/* Runs sql on raw, failing the test when it fails; returns the last rowid
 * inserted. */
int64_t gj_test_exec(sqlite3 *raw, const char *sql);
/* The integer in the first column of sql's first row, with id bound to its
 * parameter when it has one; fails the test when there is no row. */
int64_t gj_test_scalar(sqlite3 *raw, const char *sql, int64_t id);
/* gj_test_scalar (without a parameter) on the database file at path,
 * opened read-only for the query. */
int64_t gj_test_scalar_file(const char *path, const char *sql);
/* Adds a user (login, name, role) with a placeholder password hash behind
 * the program's back; returns its id. */
int64_t gj_test_add_user(sqlite3 *raw, const char *login, const char *name, const char *role);

/* Fails the test with err's message unless rc is GJ_OK. */
void gj_test_must(int rc, const struct gj_error *err);
/* The epoch seconds of a local time "YYYY-MM-DDTHH:MM[:SS]" (the tests run
 * with TZ=CST-8); fails the test when it does not parse. */
int64_t gj_test_at(const char *when);
/* Sets the program's clock (GUANJIA_NOW) to a local time. */
void gj_test_set_now(const char *when);

/* Creates unit u as actor: occupied unless u->status says otherwise; fails
 * the test when it cannot. Returns its id (also in u->id). */
int64_t gj_test_add_unit(struct gj_db *db, int64_t actor, struct gj_unit *u);
/* Creates a fee item (name, kind, rate, active from yyyymm until to, 0 for
 * open-ended) as actor; fails the test when it cannot. Returns its id. */
int64_t gj_test_add_fee_item(struct gj_db *db, int64_t actor, const char *name, const char *kind,
                             int64_t rate_fen, int from, int to);
/* Creates a person called name with phone (NULL for none) as actor; fails
 * the test when it cannot. Returns its id. */
int64_t gj_test_add_person(struct gj_db *db, int64_t actor, const char *name, const char *phone);

/* A cmocka group setup's work for the console tests: makes the demo estate
 * (guanjia demo, the clock at gj_test_fixed_now) in a new temp folder.
 * *dir gets the folder (for gj_test_rmtree), path (pathsz bytes) the
 * database file. 0 when it is made, else -1. */
int gj_test_demo_db(const char **dir, char *path, size_t pathsz);

/* Fails the test unless every open work order of db has each deadline
 * that has passed at now (core/sla.h) recorded as a breach. Returns how
 * many passed deadlines it saw; *open (may be NULL) gets how many open
 * orders it looked at. (The database records each breach at most once.) */
long gj_test_breaches_all_recorded(struct gj_db *db, int64_t now, long *open);

/* A cmocka group setup's work for tests of the repositories on the demo
 * estate: the program's clock set to 2026-11-29T09:00 (the demo's day),
 * gj_test_demo_db, then the estate opened as *db. 0 when done, else -1. */
int gj_test_demo_open(const char **dir, char *path, size_t pathsz, struct gj_db **db);
/* The teardown that goes with it: closes db (may be NULL) and removes dir.
 * Returns 0. */
int gj_test_demo_close(const char *dir, struct gj_db *db);

/* Reads a whole file (malloc'd, NUL-terminated); *len gets its size. NULL
 * when it cannot be read. */
char *gj_test_slurp(const char *path, size_t *len);

/* Writes len bytes of data to a new file at path (replacing it), or text
 * (a string); fails the test when it cannot. */
void gj_test_write_file(const char *path, const char *data, size_t len);
void gj_test_write_text(const char *path, const char *text);
/* How many entries of dir have a name starting with prefix (temp files
 * left behind, say); each is printed. */
int gj_test_count_files(const char *dir, const char *prefix);
/* 1 when needle stands in the n bytes at hay (which may hold NULs). */
int gj_test_contains_bytes(const char *hay, size_t n, const char *needle);
/* 1 when s is exactly one line, ended by a newline. */
int gj_test_one_line(const char *s);

/* 1 when both files exist and have the same bytes. */
int gj_test_same_file(const char *a, const char *b);
/* Copies a file byte for byte; 0 on success. */
int gj_test_copy_file(const char *from, const char *to);

#endif
