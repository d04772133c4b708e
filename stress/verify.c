/* Checks shared by both modes: the receipts as reported against the
 * database and the receipts folder. */
#include "stress.h"

#include "guanjia/billing.h"
#include "guanjia/outfile.h"
#include "guanjia/repo_fees.h"

#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

long stress_verify_receipts(struct gj_db *db, const struct stress_receipt *recs, size_t n, FILE *f)
{
    long failures = 0;
    char dir[4096];
    struct gj_error err;
    if (gj_document_dir(gj_db_path(db), "receipts", dir, sizeof dir, &err) != GJ_OK) {
        fprintf(f, "guanjia-stress: receipts folder: %s\n", err.msg);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        const struct stress_receipt *r = &recs[i];
        char no[32];
        gj_receipt_format(r->no, "SJ", no, sizeof no);
        struct gj_payment p;
        int rc = gj_payment_by_receipt(db, r->no, &p, &err);
        if (rc != GJ_OK) {
            if (failures++ < 10)
                fprintf(f,
                        "guanjia-stress: receipt %s was printed but its payment is missing: %s\n",
                        no, err.msg);
            continue;
        }
        if (p.id != r->payment_id || p.unit_id != r->unit_id || p.amount_fen != r->amount_fen) {
            if (failures++ < 10)
                fprintf(f,
                        "guanjia-stress: receipt %s: the database has payment %lld of %lld fen "
                        "for unit %lld, the terminal was told %lld of %lld fen for unit %lld\n",
                        no, (long long)p.id, (long long)p.amount_fen, (long long)p.unit_id,
                        (long long)r->payment_id, (long long)r->amount_fen, (long long)r->unit_id);
            continue;
        }
        if (!r->printed)
            continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.txt", dir, no);
        struct stat st;
        if (stat(path, &st) != 0 || st.st_size == 0) {
            if (failures++ < 10)
                fprintf(f, "guanjia-stress: receipt %s: its file %s is missing or empty\n", no,
                        path);
            continue;
        }
        int64_t prints = 0;
        rc = gj_receipt_print_count(db, p.id, &prints, &err);
        if (rc != GJ_OK || prints < 1) {
            if (failures++ < 10)
                fprintf(f, "guanjia-stress: receipt %s: its print is not recorded%s%s\n", no,
                        rc != GJ_OK ? ": " : "", rc != GJ_OK ? err.msg : "");
        }
    }
    if (failures > 10)
        fprintf(f, "guanjia-stress: ... %ld receipt failures in all\n", failures);
    return failures;
}

int stress_tmpdir(char *out, size_t outsz, struct gj_error *err)
{
    const char *tmp = getenv("TMPDIR");
    int w = snprintf(out, outsz, "%s/guanjia-stress-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (w < 0 || (size_t)w >= outsz)
        return gj_err(err, GJ_EINVAL, "%s", "TMPDIR is too long");
    if (!mkdtemp(out))
        return gj_err(err, GJ_EIO, "cannot make a scratch folder %s: %s", out, strerror(errno));
    return GJ_OK;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void stress_rmtree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
