/* guanjia-stress terminals: N processes, each a front-desk terminal with
 * its own connection, run a random mix of user actions on one database
 * for S seconds; then the parent verifies that nothing was lost. */
#include "stress.h"

#include "guanjia/repo_audit.h"
#include "guanjia/repo_owners.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCS 64

/* The mix, in percent. */
static const int weights[K_COUNT] = {
    [K_INTAKE] = 15,   [K_DISPATCH] = 12, [K_PROGRESS] = 12, [K_PAYMENT] = 20,
    [K_COMPLAINT] = 8, [K_HANDLE] = 10,   [K_ESCALATE] = 5,  [K_OWNER_EDIT] = 18};

enum { RES_OK, RES_CONFLICT, RES_BUSY, RES_ERROR, RES_SKIPPED, RES_COUNT };

static enum stress_kind pick_kind(struct stress_ctx *c)
{
    int r = (int)stress_rand(c, 100);
    for (int k = 0; k < K_COUNT; k++) {
        if (r < weights[k])
            return (enum stress_kind)k;
        r -= weights[k];
    }
    return K_OWNER_EDIT;
}

/* One terminal: writes what happened to log, one line per fact:
 *   R no payment_id unit_id amount printed    a payment taken
 *   O version notes                           an owner save that succeeded
 *   N kind result count                       counts
 *   E kind message                            an error (the first few)
 * Returns the exit status. */
static int run_terminal(const char *path, int k, uint64_t seed, double seconds, int start_fd,
                        const char *tamper, FILE *log)
{
    struct stress_ctx c;
    struct gj_error err;
    if (stress_open(&c, path, k, seed, &err) != GJ_OK) {
        fprintf(log, "E open %s\n", err.msg);
        return 1;
    }
    char go;
    if (read(start_fd, &go, 1) < 0) /* EOF when the parent lets go */
        fprintf(log, "E start %s\n", strerror(errno));
    long counts[K_COUNT][RES_COUNT];
    memset(counts, 0, sizeof counts);
    int errors_logged = 0, tampered = 0;
    double end = stress_now_s() + seconds;
    while (stress_now_s() < end) {
        enum stress_kind kind = pick_kind(&c);
        struct stress_outcome o;
        double t0 = stress_now_s();
        int rc = stress_do(&c, kind, &o, &err);
        double ms = (stress_now_s() - t0) * 1000;
        int result;
        if (rc == GJ_OK)
            result = o.skipped ? RES_SKIPPED : RES_OK;
        else if (rc == GJ_ECONFLICT)
            result = RES_CONFLICT;
        else if (stress_is_busy(rc, &err))
            result = RES_BUSY;
        else
            result = RES_ERROR;
        /* Test only: each terminal's first refused owner save is counted
         * as saved, as if it had been told "saved" and the change was lost. */
        if (tamper && strcmp(tamper, "lost-update") == 0 && kind == K_OWNER_EDIT &&
            result == RES_CONFLICT && !tampered) {
            tampered = 1;
            result = RES_OK;
        }
        counts[kind][result]++;
        if (result == RES_CONFLICT && err.msg[0] == '\0') {
            /* a refusal must say why */
            result = RES_ERROR;
            snprintf(err.msg, sizeof err.msg, "%s", "a conflict was refused without a message");
        }
        if ((result == RES_ERROR || result == RES_BUSY) && errors_logged++ < 20)
            fprintf(log, "E %s %s\n", stress_kind_names[kind], err.msg);
        if (o.receipt_no)
            fprintf(log, "R %lld %lld %lld %lld %d\n", (long long)o.receipt_no,
                    (long long)o.payment_id, (long long)o.unit_id, (long long)o.amount_fen,
                    o.printed);
        if (result != RES_SKIPPED)
            fprintf(log, "L %d %.3f\n", (int)kind, ms);
        if (kind == K_OWNER_EDIT && result == RES_OK)
            fprintf(log, "O %lld %s\n", (long long)o.owner_version, o.owner_notes);
    }
    for (int kind = 0; kind < K_COUNT; kind++)
        for (int r = 0; r < RES_COUNT; r++)
            if (counts[kind][r])
                fprintf(log, "N %d %d %ld\n", kind, r, counts[kind][r]);
    stress_close(&c);
    return 0;
}

struct owner_save {
    int64_t version;
    char notes[128];
};

static int grow(void **p, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 256;
    void *q = realloc(*p, ncap * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = ncap;
    return 0;
}

struct totals {
    long counts[K_COUNT][RES_COUNT];
    struct stress_receipt *receipts;
    size_t n_receipts, cap_receipts;
    struct owner_save *saves;
    size_t n_saves, cap_saves;
    long log_errors;
    double *ms[K_COUNT + 1]; /* how long each action took, per kind and all */
    size_t n_ms[K_COUNT + 1], cap_ms[K_COUNT + 1];
};

static int add_ms(struct totals *t, int k, double ms)
{
    if (grow((void **)&t->ms[k], &t->cap_ms[k], t->n_ms[k], sizeof(double)) != 0)
        return -1;
    t->ms[k][t->n_ms[k]++] = ms;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of the n sorted values in v (0 when none). */
static double quantile(const double *v, size_t n, double q)
{
    if (n == 0)
        return 0;
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static int read_log(const char *file, struct totals *t, FILE *out)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(out, "guanjia-stress: %s: %s\n", file, strerror(errno));
        return -1;
    }
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == 'R') {
            struct stress_receipt r;
            memset(&r, 0, sizeof r);
            long long no, id, unit, amount;
            if (sscanf(line + 2, "%lld %lld %lld %lld %d", &no, &id, &unit, &amount, &r.printed) !=
                    5 ||
                grow((void **)&t->receipts, &t->cap_receipts, t->n_receipts, sizeof r) != 0)
                goto bad;
            r.no = no;
            r.payment_id = id;
            r.unit_id = unit;
            r.amount_fen = amount;
            t->receipts[t->n_receipts++] = r;
        } else if (line[0] == 'O') {
            struct owner_save s;
            memset(&s, 0, sizeof s);
            long long v;
            int used = 0;
            if (sscanf(line + 2, "%lld %n", &v, &used) != 1 ||
                grow((void **)&t->saves, &t->cap_saves, t->n_saves, sizeof s) != 0)
                goto bad;
            s.version = v;
            snprintf(s.notes, sizeof s.notes, "%s", line + 2 + used);
            t->saves[t->n_saves++] = s;
        } else if (line[0] == 'N') {
            int kind, r;
            long n;
            if (sscanf(line + 2, "%d %d %ld", &kind, &r, &n) != 3 || kind < 0 || kind >= K_COUNT ||
                r < 0 || r >= RES_COUNT)
                goto bad;
            t->counts[kind][r] += n;
        } else if (line[0] == 'L') {
            int kind;
            double ms;
            if (sscanf(line + 2, "%d %lf", &kind, &ms) != 2 || kind < 0 || kind >= K_COUNT)
                goto bad;
            if (add_ms(t, kind, ms) != 0 || add_ms(t, K_COUNT, ms) != 0)
                goto bad;
        } else if (line[0] == 'E') {
            if (t->log_errors++ < 20)
                fprintf(out, "guanjia-stress: a terminal reported: %s\n", line + 2);
        } else {
            goto bad;
        }
    }
    fclose(f);
    return 0;
bad:
    fprintf(out, "guanjia-stress: %s: cannot read the line \"%s\"\n", file, line);
    fclose(f);
    return -1;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_receipt(const void *a, const void *b)
{
    return cmp_i64(&((const struct stress_receipt *)a)->no,
                   &((const struct stress_receipt *)b)->no);
}

static int cmp_save(const void *a, const void *b)
{
    return cmp_i64(&((const struct owner_save *)a)->version,
                   &((const struct owner_save *)b)->version);
}

/* Finds "key":value in an audit row's JSON (as json_object writes it). */
static int json_has(const char *json, const char *key, const char *value, int quoted)
{
    char want[256];
    snprintf(want, sizeof want, quoted ? "\"%s\":\"%s\"" : "\"%s\":%s", key, value);
    return json && strstr(json, want) != NULL;
}

/* No lost update: the owner's saves against its starting version and the
 * audit log. Returns the failures. */
static long verify_owner(struct gj_db *db, int64_t owner_id, int64_t v0, int64_t audit0,
                         struct totals *t, FILE *out)
{
    long failures = 0;
    struct gj_error err;
    if (t->n_saves > 0)
        qsort(t->saves, t->n_saves, sizeof *t->saves, cmp_save);
    for (size_t i = 0; i < t->n_saves; i++)
        if (t->saves[i].version != v0 + 1 + (int64_t)i) {
            fprintf(out,
                    "guanjia-stress: lost update: the owner saves reported made versions that do "
                    "not run %lld..%lld (save %zu made version %lld)\n",
                    (long long)v0 + 1, (long long)(v0 + (int64_t)t->n_saves), i + 1,
                    (long long)t->saves[i].version);
            failures++;
            break;
        }
    struct gj_person p;
    if (gj_person_get(db, owner_id, &p, &err) != GJ_OK) {
        fprintf(out, "guanjia-stress: the owner record: %s\n", err.msg);
        return failures + 1;
    }
    int64_t want = v0 + (int64_t)t->n_saves;
    if (p.meta.version != want) {
        fprintf(out,
                "guanjia-stress: lost update: the owner is at version %lld, but it started at "
                "%lld and %zu saves succeeded (expected %lld)\n",
                (long long)p.meta.version, (long long)v0, t->n_saves, (long long)want);
        failures++;
    }
    if (t->n_saves && strcmp(p.notes, t->saves[t->n_saves - 1].notes) != 0) {
        fprintf(out,
                "guanjia-stress: lost update: the owner's notes are \"%s\", the last successful "
                "save wrote \"%s\"\n",
                p.notes, t->saves[t->n_saves - 1].notes);
        failures++;
    }
    /* The audit log: one update row per successful save, with its values. */
    size_t cap = t->n_saves + 64;
    struct gj_audit_entry *rows = calloc(cap, sizeof *rows);
    if (!rows) {
        fprintf(out, "guanjia-stress: out of memory\n");
        return failures + 1;
    }
    size_t updates = 0, matched = 0;
    int64_t after = 0;
    int done = 0;
    while (!done) {
        int n = 0;
        if (gj_audit_of_entity(db, "persons", owner_id, after, 64, rows, &n, &err) != GJ_OK) {
            fprintf(out, "guanjia-stress: reading the audit log: %s\n", err.msg);
            failures++;
            break;
        }
        if (n < 64)
            done = 1;
        for (int i = 0; i < n; i++) {
            after = rows[i].id;
            if (rows[i].id <= audit0) {
                done = 1;
                continue;
            }
            if (strcmp(rows[i].action, "update") != 0)
                continue;
            updates++;
            /* newest first: find the save that made this version */
            for (size_t j = 0; j < t->n_saves; j++) {
                char v[32];
                snprintf(v, sizeof v, "%lld", (long long)t->saves[j].version);
                if (json_has(rows[i].new_values, "version", v, 0) &&
                    json_has(rows[i].new_values, "notes", t->saves[j].notes, 1)) {
                    matched++;
                    break;
                }
            }
        }
        gj_audit_entries_free(rows, n);
    }
    free(rows);
    if (updates != t->n_saves || matched != t->n_saves) {
        fprintf(out,
                "guanjia-stress: lost update: %zu saves succeeded, the audit log holds %zu "
                "updates of the owner, %zu of them matching a save\n",
                t->n_saves, updates, matched);
        failures++;
    }
    return failures;
}

/* Receipts: one per successful payment, unique, no gap after the p0 that
 * were there before. */
static long verify_receipt_numbers(struct gj_db *db, int64_t p0, struct totals *t, FILE *out)
{
    long failures = 0;
    struct gj_error err;
    if (t->n_receipts > 0)
        qsort(t->receipts, t->n_receipts, sizeof *t->receipts, cmp_receipt);
    for (size_t i = 0; i < t->n_receipts; i++) {
        if (i > 0 && t->receipts[i].no == t->receipts[i - 1].no) {
            fprintf(out, "guanjia-stress: receipt number %lld was given twice\n",
                    (long long)t->receipts[i].no);
            failures++;
        } else if (t->receipts[i].no != p0 + 1 + (int64_t)i) {
            fprintf(out,
                    "guanjia-stress: receipt numbers have a gap: the %zu. payment of the run has "
                    "number %lld, expected %lld\n",
                    i + 1, (long long)t->receipts[i].no, (long long)(p0 + 1 + (int64_t)i));
            failures++;
            break;
        }
    }
    long paid = t->counts[K_PAYMENT][RES_OK];
    if ((long)t->n_receipts != paid) {
        fprintf(out, "guanjia-stress: %ld payments succeeded but %zu receipts were reported\n",
                paid, t->n_receipts);
        failures++;
    }
    int64_t p1 = 0;
    if (stress_payments(db, &p1, &err) != GJ_OK) {
        fprintf(out, "guanjia-stress: counting payments: %s\n", err.msg);
        return failures + 1;
    }
    if (p1 - p0 != (int64_t)t->n_receipts) {
        fprintf(out, "guanjia-stress: the database gained %lld payments, the terminals took %zu\n",
                (long long)(p1 - p0), t->n_receipts);
        failures++;
    }
    return failures + stress_verify_receipts(db, t->receipts, t->n_receipts, out);
}

static int usage(void)
{
    fprintf(stderr, "usage: guanjia-stress terminals [--procs N] [--seconds S] [--db FILE] "
                    "[--seed N] [--keep]\n");
    return 2;
}

int stress_terminals(int argc, char **argv)
{
    int procs = 8;
    double seconds = 60;
    const char *db_arg = NULL, *tamper = NULL;
    uint64_t seed = (uint64_t)getpid() * 2654435761u ^ (uint64_t)time(NULL);
    int keep = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--procs") == 0 && v) {
            procs = atoi(v);
            i++;
        } else if (strcmp(a, "--seconds") == 0 && v) {
            seconds = atof(v);
            i++;
        } else if (strcmp(a, "--db") == 0 && v) {
            db_arg = v;
            i++;
        } else if (strcmp(a, "--seed") == 0 && v) {
            seed = strtoull(v, NULL, 10);
            i++;
        } else if (strcmp(a, "--tamper") == 0 && v) {
            tamper = v; /* test only: lost-update, missing-receipt */
            i++;
        } else if (strcmp(a, "--keep") == 0) {
            keep = 1;
        } else {
            return usage();
        }
    }
    if (procs < 1 || procs > MAX_PROCS || !(seconds > 0 && seconds <= 3600))
        return usage();
    if (tamper && strcmp(tamper, "lost-update") != 0 && strcmp(tamper, "missing-receipt") != 0)
        return usage();

    struct gj_error err;
    char dir[4096], path[4200];
    if (stress_tmpdir(dir, sizeof dir, &err) != GJ_OK) {
        fprintf(stderr, "guanjia-stress: %s\n", err.msg);
        return 1;
    }
    if (db_arg) {
        snprintf(path, sizeof path, "%s", db_arg);
    } else {
        snprintf(path, sizeof path, "%s/guanjia.db", dir);
        if (stress_make_demo(path, &err) != GJ_OK) {
            fprintf(stderr, "guanjia-stress: %s\n", err.msg);
            stress_rmtree(dir);
            return 1;
        }
    }

    /* Before: the owner's version, the audit log's end, the payments. */
    struct stress_ctx c0;
    if (stress_open(&c0, path, -1, seed, &err) != GJ_OK) {
        fprintf(stderr, "guanjia-stress: %s\n", err.msg);
        stress_rmtree(dir);
        return 1;
    }
    struct gj_person owner;
    struct gj_audit_entry last[1];
    int n_last = 0;
    int64_t p0 = 0, owner_id = c0.owner_id;
    int rc = gj_person_get(c0.db, owner_id, &owner, &err);
    if (rc == GJ_OK)
        rc = gj_audit_recent(c0.db, 0, 1, last, &n_last, &err);
    int64_t audit0 = n_last ? last[0].id : 0;
    gj_audit_entries_free(last, n_last);
    if (rc == GJ_OK)
        rc = stress_payments(c0.db, &p0, &err);
    stress_close(&c0); /* no connection crosses a fork */
    if (rc != GJ_OK) {
        fprintf(stderr, "guanjia-stress: %s\n", err.msg);
        stress_rmtree(dir);
        return 1;
    }
    int64_t v0 = owner.meta.version;

    printf("terminals: %d processes for %g s on %s (seed %llu)\n", procs, seconds, path,
           (unsigned long long)seed);
    fflush(stdout);
    int start[2];
    if (pipe(start) != 0) {
        perror("guanjia-stress: pipe");
        return 1;
    }
    pid_t pids[MAX_PROCS];
    char logs[MAX_PROCS][4200];
    for (int k = 0; k < procs; k++) {
        snprintf(logs[k], sizeof logs[k], "%s/terminal-%d.log", dir, k);
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            perror("guanjia-stress: fork");
            for (int j = 0; j < k; j++)
                kill(pids[j], SIGKILL);
            return 1;
        }
        if (pid == 0) {
            close(start[1]);
            FILE *log = fopen(logs[k], "w");
            if (!log)
                _exit(1);
            int status = run_terminal(path, k, seed + (uint64_t)k * 0x9E3779B97F4A7C15u + 1,
                                      seconds, start[0], tamper, log);
            if (fclose(log) != 0)
                status = 1;
            _exit(status);
        }
        pids[k] = pid;
    }
    close(start[0]);
    double t0 = stress_now_s();
    close(start[1]); /* go */
    long failures = 0;
    for (int k = 0; k < procs; k++) {
        int status = 0;
        if (waitpid(pids[k], &status, 0) != pids[k] || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            fprintf(stderr, "guanjia-stress: terminal %d did not finish cleanly (status %d)\n", k,
                    status);
            failures++;
        }
    }
    double elapsed = stress_now_s() - t0;

    struct totals t;
    memset(&t, 0, sizeof t);
    for (int k = 0; k < procs; k++)
        if (read_log(logs[k], &t, stderr) != 0)
            failures++;
    if (tamper && strcmp(tamper, "missing-receipt") == 0 &&
        grow((void **)&t.receipts, &t.cap_receipts, t.n_receipts, sizeof *t.receipts) == 0) {
        /* Test only: a receipt said to be printed that the database does not hold. */
        struct stress_receipt phantom = {.no = p0 + (int64_t)t.n_receipts + 1,
                                         .payment_id = 1,
                                         .unit_id = 1,
                                         .amount_fen = 100,
                                         .printed = 1};
        t.receipts[t.n_receipts++] = phantom;
        t.counts[K_PAYMENT][RES_OK]++;
    }

    /* The figures. */
    long total_ok = 0, conflicts = 0, busy = 0, errors = 0;
    for (int k = 0; k <= K_COUNT; k++)
        if (t.n_ms[k])
            qsort(t.ms[k], t.n_ms[k], sizeof(double), cmp_double);
    printf("%-12s %9s %9s %9s %7s %7s %8s %7s %7s %7s\n", "action", "done", "per s", "conflict",
           "busy", "error", "nothing", "p50 ms", "p99 ms", "max ms");
    for (int k = 0; k < K_COUNT; k++) {
        long *n = t.counts[k];
        printf("%-12s %9ld %9.1f %9ld %7ld %7ld %8ld %7.1f %7.1f %7.1f\n", stress_kind_names[k],
               n[RES_OK], (double)n[RES_OK] / elapsed, n[RES_CONFLICT], n[RES_BUSY], n[RES_ERROR],
               n[RES_SKIPPED], quantile(t.ms[k], t.n_ms[k], 0.5),
               quantile(t.ms[k], t.n_ms[k], 0.99), quantile(t.ms[k], t.n_ms[k], 1));
        total_ok += n[RES_OK];
        conflicts += n[RES_CONFLICT];
        busy += n[RES_BUSY];
        errors += n[RES_ERROR];
    }
    printf("total: %ld actions in %.1f s = %.1f per second; %ld conflicts refused with a "
           "message; %ld busy errors; %ld other errors\n",
           total_ok, elapsed, (double)total_ok / elapsed, conflicts, busy, errors);
    printf("time per action (all kinds, with the waits for the write lock): p50 %.1f ms, p99 "
           "%.1f ms, max %.1f ms (the busy timeout is 10 s)\n",
           quantile(t.ms[K_COUNT], t.n_ms[K_COUNT], 0.5),
           quantile(t.ms[K_COUNT], t.n_ms[K_COUNT], 0.99),
           quantile(t.ms[K_COUNT], t.n_ms[K_COUNT], 1));
    printf("owner record: %zu saves succeeded, %ld refused as conflicts\n", t.n_saves,
           t.counts[K_OWNER_EDIT][RES_CONFLICT]);

    /* The verification. */
    if (busy) {
        fprintf(stderr, "guanjia-stress: %ld \"database is locked/busy\" errors reached a user\n",
                busy);
        failures++;
    }
    if (errors || t.log_errors > busy) {
        fprintf(stderr, "guanjia-stress: %ld actions failed with an error\n", errors);
        failures++;
    }
    if (t.counts[K_OWNER_EDIT][RES_OK] == 0 || t.counts[K_PAYMENT][RES_OK] == 0) {
        fprintf(stderr, "guanjia-stress: no owner save or no payment succeeded: nothing was "
                        "tested\n");
        failures++;
    }
    struct gj_db *db = NULL;
    if (gj_db_open(path, 0, &db, &err) != GJ_OK) {
        fprintf(stderr, "guanjia-stress: %s\n", err.msg);
        failures++;
    } else {
        failures += verify_owner(db, owner_id, v0, audit0, &t, stderr);
        failures += verify_receipt_numbers(db, p0, &t, stderr);
        int checks = stress_check(db, stderr, &err);
        if (checks < 0)
            fprintf(stderr, "guanjia-stress: check: %s\n", err.msg);
        if (checks != 0)
            failures++;
        gj_db_close(db);
    }
    free(t.receipts);
    free(t.saves);
    for (int k = 0; k <= K_COUNT; k++)
        free(t.ms[k]);
    if (failures) {
        fprintf(stderr, "guanjia-stress: terminals: FAILED (%ld problems); the files are in %s\n",
                failures, dir);
        return 1;
    }
    printf("verified: no lost update (owner version %lld -> %lld, %zu audited saves), %zu "
           "receipts unique and gap-free, 0 busy errors, check passed\n",
           (long long)v0, (long long)(v0 + (int64_t)t.n_saves), t.n_saves, t.n_receipts);
    if (!keep)
        stress_rmtree(dir);
    else
        printf("kept: %s\n", dir);
    return 0;
}
