/* guanjia-stress crash: a writer is killed with SIGKILL at random moments,
 * over and over; after each kill the database must open, pass the check,
 * and hold every payment whose receipt the writer had printed. */
#include "stress.h"

#include "guanjia/billing.h"
#include "guanjia/outfile.h"
#include "guanjia/receipt_print.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the writer tells the parent, one message per finished action. A
 * message is one write(2) of less than PIPE_BUF bytes: it arrives whole or
 * not at all. */
struct msg {
    char tag; /* S ready, R receipt printed, W write done, O owner saved, E error */
    int kind;
    int printed;
    int64_t no, payment_id, unit_id, amount_fen;
    int64_t version;
    char text[160];
};

static void send_msg(int fd, const struct msg *m)
{
    ssize_t w;
    do
        w = write(fd, m, sizeof *m);
    while (w < 0 && errno == EINTR);
}

/* The writer: payments with receipts most of the time, and the other
 * writes between them. Runs until killed. */
static void writer(const char *path, uint64_t seed, int fd)
{
    struct stress_ctx c;
    struct gj_error err;
    struct msg m;
    memset(&m, 0, sizeof m);
    if (stress_open(&c, path, 0, seed, &err) != GJ_OK) {
        m.tag = 'E';
        snprintf(m.text, sizeof m.text, "open: %s", err.msg);
        send_msg(fd, &m);
        _exit(1);
    }
    c.owner_pause_max_ms = 2;
    m.tag = 'S';
    send_msg(fd, &m);
    for (;;) {
        uint32_t r = stress_rand(&c, 100);
        enum stress_kind kind = r < 50   ? K_PAYMENT
                                : r < 65 ? K_INTAKE
                                : r < 75 ? K_COMPLAINT
                                : r < 85 ? K_ESCALATE
                                         : K_OWNER_EDIT;
        struct stress_outcome o;
        int rc = stress_do(&c, kind, &o, &err);
        memset(&m, 0, sizeof m);
        m.kind = (int)kind;
        if (rc != GJ_OK) {
            /* alone on the file, nothing may be refused */
            m.tag = 'E';
            snprintf(m.text, sizeof m.text, "%s: %s", stress_kind_names[kind], err.msg);
            send_msg(fd, &m);
            _exit(1);
        }
        if (o.skipped)
            continue;
        if (kind == K_PAYMENT) {
            m.tag = 'R';
            m.no = o.receipt_no;
            m.payment_id = o.payment_id;
            m.unit_id = o.unit_id;
            m.amount_fen = o.amount_fen;
            m.printed = o.printed;
        } else if (kind == K_OWNER_EDIT) {
            m.tag = 'O';
            m.version = o.owner_version;
            snprintf(m.text, sizeof m.text, "%s", o.owner_notes);
        } else {
            m.tag = 'W';
        }
        send_msg(fd, &m);
    }
}

static int read_msg(int fd, struct msg *m)
{
    size_t got = 0;
    while (got < sizeof *m) {
        ssize_t n = read(fd, (char *)m + got, sizeof *m - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return got == 0 ? 0 : -1;
        got += (size_t)n;
    }
    return 1;
}

static int cmp_receipt_no(const void *key, const void *elem)
{
    int64_t k = *(const int64_t *)key, no = ((const struct stress_receipt *)elem)->no;
    return (k > no) - (k < no);
}

/* What a kill left half done, finished as the desk would finish it. */
struct leftovers {
    long unacked_payments; /* committed, but killed before the writer heard of its receipt */
    long reprinted;        /* of those, receipts printed afterwards (console: reprint) */
    long orphan_files;     /* of those, the file was already there, its print unrecorded */
};

/* Every payment after *seen that the writer never reported: committed
 * while it was killed. Its receipt must still be printable, as the
 * console's reprint does it; *seen moves to the last payment. Failures
 * are printed; returns how many. */
static long finish_prints(struct gj_db *db, int64_t butler, const struct stress_receipt *recs,
                          size_t n, int64_t *seen, struct leftovers *lo)
{
    long failures = 0;
    struct gj_error err;
    int64_t now_n = 0;
    if (stress_payments(db, &now_n, &err) != GJ_OK) {
        fprintf(stderr, "guanjia-stress: counting payments: %s\n", err.msg);
        return 1;
    }
    char dir[4096];
    if (gj_document_dir(gj_db_path(db), "receipts", dir, sizeof dir, &err) != GJ_OK) {
        fprintf(stderr, "guanjia-stress: %s\n", err.msg);
        return 1;
    }
    for (int64_t no = *seen + 1; no <= now_n; no++) {
        if (n > 0 && bsearch(&no, recs, n, sizeof *recs, cmp_receipt_no))
            continue;
        lo->unacked_payments++;
        struct gj_payment p;
        int64_t prints = 0;
        int rc = gj_payment_by_receipt(db, no, &p, &err);
        if (rc == GJ_OK)
            rc = gj_receipt_print_count(db, p.id, &prints, &err);
        if (rc == GJ_OK && prints == 0) {
            char name[32], file[4200], path[4200];
            gj_receipt_format(no, "SJ", name, sizeof name);
            snprintf(file, sizeof file, "%s/%s.txt", dir, name);
            lo->orphan_files += access(file, F_OK) == 0;
            rc = gj_receipt_print(db, GJ_ROLE_BUTLER, butler, &p, path, sizeof path, &err);
            lo->reprinted += rc == GJ_OK;
        }
        if (rc != GJ_OK) {
            fprintf(stderr,
                    "guanjia-stress: receipt %lld, committed as the writer was killed, "
                    "cannot be printed: %s\n",
                    (long long)no, err.msg);
            failures++;
        }
    }
    *seen = now_n;
    return failures;
}

/* Temp files a killed write left in the receipts folder. */
static long count_temp_files(const char *db_path)
{
    char dir[4096];
    struct gj_error err;
    if (gj_document_dir(db_path, "receipts", dir, sizeof dir, &err) != GJ_OK)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".txt.") != NULL || strncmp(e->d_name, ".guanjia-", 9) == 0;
    closedir(d);
    return n;
}

static int usage(void)
{
    fprintf(stderr, "usage: guanjia-stress crash [--kills N] [--seed N] [--keep]\n");
    return 2;
}

/* How long the writer runs before the kill: a third within 2 ms of its
 * start (inside its first transactions), the rest up to 250 ms. */
static double pick_delay_ms(struct stress_ctx *r)
{
    uint32_t x = stress_rand(r, 100);
    if (x < 30)
        return stress_rand(r, 2000) / 1000.0;
    if (x < 70)
        return 2 + stress_rand(r, 38000) / 1000.0;
    return 40 + stress_rand(r, 210000) / 1000.0;
}

int stress_crash(int argc, char **argv)
{
    int kills = 200, keep = 0;
    const char *tamper = NULL;
    uint64_t seed = (uint64_t)getpid() * 2654435761u ^ (uint64_t)time(NULL);
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--kills") == 0 && v) {
            kills = atoi(v);
            i++;
        } else if (strcmp(argv[i], "--seed") == 0 && v) {
            seed = strtoull(v, NULL, 10);
            i++;
        } else if (strcmp(argv[i], "--tamper") == 0 && v) {
            tamper = v; /* test only: missing-receipt, lost-receipt-file */
            i++;
        } else if (strcmp(argv[i], "--keep") == 0) {
            keep = 1;
        } else {
            return usage();
        }
    }
    if (kills < 1 || kills > 100000)
        return usage();
    if (tamper && strcmp(tamper, "missing-receipt") != 0 &&
        strcmp(tamper, "lost-receipt-file") != 0)
        return usage();

    struct gj_error err;
    char dir[4096], path[4200];
    if (stress_tmpdir(dir, sizeof dir, &err) != GJ_OK) {
        fprintf(stderr, "guanjia-stress: %s\n", err.msg);
        return 1;
    }
    snprintf(path, sizeof path, "%s/guanjia.db", dir);
    if (stress_make_demo(path, &err) != GJ_OK) {
        fprintf(stderr, "guanjia-stress: %s\n", err.msg);
        stress_rmtree(dir);
        return 1;
    }
    struct stress_ctx rng;
    memset(&rng, 0, sizeof rng);
    rng.rng = seed | 1;
    printf("crash: %d kills of a writer on %s (seed %llu)\n", kills, path,
           (unsigned long long)seed);
    fflush(stdout);

    struct stress_receipt *receipts = NULL;
    size_t n_receipts = 0, cap = 0;
    long failures = 0, writes = 0, owner_saves = 0, tampered = 0;
    long kills_in_2ms = 0;
    int kills_done = 0;
    int64_t owner_version = 0, owner_id = 0, butler = 0, seen = 0;
    struct leftovers lo;
    memset(&lo, 0, sizeof lo);
    char owner_notes[160] = "";
    double t0 = stress_now_s();
    for (int kill_no = 1; kill_no <= kills && failures == 0; kill_no++) {
        int fds[2];
        if (pipe(fds) != 0) {
            perror("guanjia-stress: pipe");
            failures++;
            break;
        }
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            perror("guanjia-stress: fork");
            failures++;
            break;
        }
        if (pid == 0) {
            close(fds[0]);
            writer(path, seed + (uint64_t)kill_no * 0x9E3779B97F4A7C15u, fds[1]);
            _exit(1);
        }
        close(fds[1]);
        kills_done = kill_no;
        struct msg m;
        int ready = read_msg(fds[0], &m) == 1 && m.tag == 'S';
        double delay = pick_delay_ms(&rng);
        if (tamper && !tampered && delay < 150)
            delay += 150; /* long enough for a receipt to tamper with */
        if (ready) {
            kills_in_2ms += delay < 2;
            stress_sleep_ms(delay);
        }
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        if (!ready) {
            fprintf(stderr, "guanjia-stress: kill %d: the writer did not start%s%s\n", kill_no,
                    m.tag == 'E' ? ": " : "", m.tag == 'E' ? m.text : "");
            failures++;
        }
        int got;
        while ((got = read_msg(fds[0], &m)) == 1) {
            if (m.tag == 'E') {
                fprintf(stderr, "guanjia-stress: kill %d: the writer failed: %s\n", kill_no,
                        m.text);
                failures++;
            } else if (m.tag == 'R') {
                if (n_receipts == cap) {
                    cap = cap ? cap * 2 : 1024;
                    struct stress_receipt *q = realloc(receipts, cap * sizeof *receipts);
                    if (!q) {
                        fprintf(stderr, "guanjia-stress: out of memory\n");
                        free(receipts);
                        return 1;
                    }
                    receipts = q;
                }
                receipts[n_receipts++] = (struct stress_receipt){.no = m.no,
                                                                 .payment_id = m.payment_id,
                                                                 .unit_id = m.unit_id,
                                                                 .amount_fen = m.amount_fen,
                                                                 .printed = m.printed};
                if (!m.printed) {
                    fprintf(stderr, "guanjia-stress: kill %d: receipt %lld was not printed\n",
                            kill_no, (long long)m.no);
                    failures++;
                }
                writes++;
            } else if (m.tag == 'O') {
                owner_version = m.version;
                snprintf(owner_notes, sizeof owner_notes, "%s", m.text);
                owner_saves++;
                writes++;
            } else if (m.tag == 'W') {
                writes++;
            }
        }
        close(fds[0]);
        if (got < 0) {
            fprintf(stderr, "guanjia-stress: kill %d: a message was cut short\n", kill_no);
            failures++;
        }
        if (ready && !(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
            fprintf(stderr, "guanjia-stress: kill %d: the writer ended by itself (status %d)\n",
                    kill_no, status);
            failures++;
        }
        /* Test only: damage what the verifier looks at, once. */
        if (tamper && !tampered && n_receipts > 0) {
            tampered = 1;
            if (strcmp(tamper, "missing-receipt") == 0) {
                receipts[n_receipts - 1].payment_id = -1; /* as if printed, then lost */
                receipts[n_receipts - 1].no += 1000000;
            } else {
                char rdir[4096], no[32], file[4200];
                struct gj_error e2;
                if (gj_document_dir(path, "receipts", rdir, sizeof rdir, &e2) == GJ_OK) {
                    gj_receipt_format(receipts[0].no, "SJ", no, sizeof no);
                    snprintf(file, sizeof file, "%s/%s.txt", rdir, no);
                    unlink(file);
                }
            }
        }

        /* After the crash: open (recovering the WAL), check, verify. */
        struct gj_db *db = NULL;
        if (gj_db_open(path, 0, &db, &err) != GJ_OK) {
            fprintf(stderr, "guanjia-stress: kill %d: the database does not open: %s\n", kill_no,
                    err.msg);
            failures++;
            break;
        }
        int checks = stress_check(db, stderr, &err);
        if (checks != 0) {
            fprintf(stderr, "guanjia-stress: kill %d: the check failed%s%s\n", kill_no,
                    checks < 0 ? ": " : "", checks < 0 ? err.msg : "");
            failures++;
        }
        long bad = stress_verify_receipts(db, receipts, n_receipts, stderr);
        if (bad) {
            fprintf(stderr, "guanjia-stress: kill %d: %ld printed receipts not found whole\n",
                    kill_no, bad);
            failures++;
        }
        if (!owner_id) {
            struct stress_ctx c;
            if (stress_open(&c, path, 0, 1, &err) == GJ_OK) {
                owner_id = c.owner_id;
                butler = c.butler;
                stress_close(&c);
            }
            /* the demo's own payments are not the writer's */
            if (stress_payments(db, &seen, &err) != GJ_OK)
                failures++;
            for (size_t i = 0; i < n_receipts; i++)
                if (receipts[i].no <= seen)
                    seen = receipts[i].no - 1;
        }
        failures += finish_prints(db, butler, receipts, n_receipts, &seen, &lo);
        struct gj_person p;
        if (owner_version && gj_person_get(db, owner_id, &p, &err) == GJ_OK &&
            (p.meta.version < owner_version ||
             (p.meta.version == owner_version && strcmp(p.notes, owner_notes) != 0))) {
            fprintf(stderr,
                    "guanjia-stress: kill %d: the owner save to version %lld (\"%s\") was "
                    "acknowledged but is lost (version %lld, \"%s\")\n",
                    kill_no, (long long)owner_version, owner_notes, (long long)p.meta.version,
                    p.notes);
            failures++;
        }
        gj_db_close(db);
        if (kill_no % 50 == 0 || kill_no == kills) {
            printf("  %d kills: %zu receipts verified, %ld writes acknowledged\n", kill_no,
                   n_receipts, writes);
            fflush(stdout);
        }
    }
    double elapsed = stress_now_s() - t0;
    free(receipts);
    long temps = count_temp_files(path);
    printf("kills: %d (%ld within 2 ms of the writer's start); writes committed and "
           "acknowledged: %ld (%zu payments with receipts, %ld owner saves); receipts verified "
           "after every kill: %zu; failures: %ld; %.1f s\n",
           kills_done, kills_in_2ms, writes, n_receipts, owner_saves, n_receipts, failures,
           elapsed);
    printf("cut short by a kill: %ld payments committed before the writer could report them, "
           "%ld of their receipts printed afterwards (%ld files already written, the print "
           "unrecorded); %ld temp files left in the receipts folder\n",
           lo.unacked_payments, lo.reprinted, lo.orphan_files, temps);
    if (failures) {
        fprintf(stderr, "guanjia-stress: crash: FAILED; the files are in %s\n", dir);
        return 1;
    }
    if (!keep)
        stress_rmtree(dir);
    else
        printf("kept: %s\n", dir);
    return 0;
}
