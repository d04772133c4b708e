/* guanjia-stress: many terminals on one database, and a writer killed at
 * random moments (issue 10, parts 1 and 2). docs/reliability.md says what
 * is run and verified. Everything goes through db/, repo/, core/ and out/
 * exactly as the console calls them; no SQL here. */
#ifndef GUANJIA_STRESS_H
#define GUANJIA_STRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "guanjia/db.h"
#include "guanjia/error.h"
#include "guanjia/roles.h"

/* The user actions the driver runs. */
enum stress_kind {
    K_INTAKE,     /* a new work order */
    K_DISPATCH,   /* a new order sent to a department */
    K_PROGRESS,   /* started, or resolved */
    K_PAYMENT,    /* a payment taken and its receipt printed */
    K_COMPLAINT,  /* a new complaint */
    K_HANDLE,     /* a complaint acknowledged or resolved */
    K_ESCALATE,   /* the escalation run, then a complaint regraded up */
    K_OWNER_EDIT, /* the shared owner read, a pause, saved with the version read */
    K_COUNT
};

extern const char *const stress_kind_names[K_COUNT];

#define STRESS_MAX_UNITS 256
#define STRESS_MAX_DEPTS 32

/* One process's view: its connection, the people it acts as, what it picks from. */
struct stress_ctx {
    struct gj_db *db;
    int proc;
    uint64_t rng;
    long seq;
    int64_t butler, supervisor, manager;
    int64_t units[STRESS_MAX_UNITS];
    int n_units;
    int64_t depts[STRESS_MAX_DEPTS];
    int n_depts;
    int64_t owner_id; /* the one owner record every process edits */
    int owner_pause_max_ms;
};

/* What one action left behind, for the verifier. */
struct stress_outcome {
    int skipped;        /* nothing to act on (no order in that state, say) */
    int64_t receipt_no; /* K_PAYMENT: the receipt taken (0: none) */
    int64_t payment_id, unit_id, amount_fen;
    int printed; /* K_PAYMENT: its receipt file was written and recorded */
    char receipt_path[4200];
    int64_t owner_version; /* K_OWNER_EDIT: the version the save made */
    char owner_notes[128]; /* K_OWNER_EDIT: what it saved */
};

/* 0 <= r < n. */
uint32_t stress_rand(struct stress_ctx *c, uint32_t n);
void stress_sleep_ms(double ms);
double stress_now_s(void);

/* Makes the small demo estate at path (guanjia demo), which must not exist. */
int stress_make_demo(const char *path, struct gj_error *err);
/* Opens path and reads the people, units, departments and the shared
 * owner into c (proc numbers the process; seed its randomness). */
int stress_open(struct stress_ctx *c, const char *path, int proc, uint64_t seed,
                struct gj_error *err);
void stress_close(struct stress_ctx *c);

/* Runs one action of kind k: GJ_OK, GJ_ECONFLICT (refused by the version
 * check; err says why) or the error. */
int stress_do(struct stress_ctx *c, enum stress_kind k, struct stress_outcome *o,
              struct gj_error *err);

/* 1 when err is a "database is locked/busy" error reaching the caller. */
int stress_is_busy(int rc, const struct gj_error *err);

/* The full check (as `guanjia check`): prints failures to f; returns the
 * number of failed checks, or -1 when it could not run (err says why). */
int stress_check(struct gj_db *db, FILE *f, struct gj_error *err);

/* How many payments the database holds (receipt numbers run 1..that). */
int stress_payments(struct gj_db *db, int64_t *n, struct gj_error *err);

/* A receipt a terminal or the writer said was taken (and printed). */
struct stress_receipt {
    int64_t no, payment_id, unit_id, amount_fen;
    int printed;
};

/* Every receipt in recs (n of them) is in the database as that payment,
 * and, when printed, its file is in the receipts folder and its print
 * recorded. Failures are printed to f; returns how many. */
long stress_verify_receipts(struct gj_db *db, const struct stress_receipt *recs, size_t n, FILE *f);

/* A scratch folder (mkdtemp under $TMPDIR) into out; rm -rf of one. */
int stress_tmpdir(char *out, size_t outsz, struct gj_error *err);
void stress_rmtree(const char *path);

int stress_terminals(int argc, char **argv);
int stress_crash(int argc, char **argv);

#endif
