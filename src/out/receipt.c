/* gj_receipt_print: a payment's receipt, rendered by core/documents.c,
 * written by gj_write_text_file and recorded by the fees repository. */
#include "guanjia/receipt_print.h"

#include "guanjia/documents.h"
#include "guanjia/i18n.h"
#include "guanjia/outfile.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_settings.h"
#include "guanjia/repo_users.h"
#include "guanjia/unitcode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void estate_name(struct gj_db *db, char *out, size_t outsz)
{
    struct gj_setting s;
    struct gj_error err;
    snprintf(out, outsz, "%s", gj_setting_get(db, "estate.name", &s, &err) == GJ_OK ? s.value : "");
}

static void fee_item_name(struct gj_db *db, int64_t id, char *out, size_t outsz)
{
    struct gj_fee_item f;
    struct gj_error err;
    snprintf(out, outsz, "%s", gj_fee_item_get(db, id, &f, &err) == GJ_OK ? f.name : "?");
}

static void user_name(struct gj_db *db, int64_t id, char *out, size_t outsz)
{
    struct gj_user u;
    struct gj_error err;
    snprintf(out, outsz, "%s", id && gj_user_get(db, id, &u, &err) == GJ_OK ? u.name : "");
}

static void unit_code(struct gj_db *db, int64_t unit_id, char *out, size_t outsz)
{
    struct gj_unit u;
    struct gj_error err;
    snprintf(out, outsz, "%s", "—");
    if (unit_id && gj_unit_get(db, unit_id, &u, &err) == GJ_OK) {
        struct gj_unitcode c = {u.building, u.entrance, u.room};
        gj_unitcode_format(&c, out, outsz);
    }
}

/* 1 when the file at path holds exactly text. */
static int same_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t len = strlen(text), at = 0;
    char buf[4096];
    int same = 1;
    size_t n;
    while (same && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (at + n > len || memcmp(buf, text + at, n) != 0)
            same = 0;
        at += n;
    }
    if (ferror(f))
        same = 0;
    fclose(f);
    return same && at == len;
}

int gj_receipt_print(struct gj_db *db, enum gj_role role, int64_t actor, const struct gj_payment *p,
                     char *path, size_t pathsz, struct gj_error *err)
{
    int rc = gj_require(role, GJ_ACTION_PRINT_RECEIPT, err);
    int64_t printed = 0;
    if (rc == GJ_OK)
        rc = gj_receipt_print_count(db, p->id, &printed, err);
    static struct gj_allocation allocs[GJ_PAYMENT_MAX_LINES];
    static struct gj_receipt_line lines[GJ_PAYMENT_MAX_LINES];
    int n = 0;
    if (rc == GJ_OK)
        rc = gj_payment_allocations(db, p->id, allocs, GJ_PAYMENT_MAX_LINES, &n, err);
    int64_t allocated = 0;
    for (int i = 0; rc == GJ_OK && i < n; i++) {
        struct gj_bill b;
        rc = gj_bill_get(db, allocs[i].bill_id, &b, err);
        if (rc != GJ_OK)
            break;
        fee_item_name(db, b.fee_item_id, lines[i].item, sizeof lines[i].item);
        lines[i].period = b.period;
        lines[i].amount_fen = allocs[i].amount_fen;
        allocated += allocs[i].amount_fen;
    }
    if (rc != GJ_OK)
        return rc;
    struct gj_receipt_doc d;
    memset(&d, 0, sizeof d);
    estate_name(db, d.estate, sizeof d.estate);
    d.receipt_no = p->receipt_no;
    unit_code(db, p->unit_id, d.unit_code, sizeof d.unit_code);
    snprintf(d.payer, sizeof d.payer, "%s", p->payer_name);
    snprintf(d.method, sizeof d.method, "%s", p->method);
    d.lines = lines;
    d.n_lines = n;
    d.total_fen = p->amount_fen;
    d.credit_fen = p->amount_fen - allocated;
    user_name(db, p->created_by, d.operator_name, sizeof d.operator_name);
    d.at = p->created_at;
    d.copy = (int)printed;
    if (p->reverses_payment_id) {
        struct gj_payment orig;
        if (gj_payment_get(db, p->reverses_payment_id, &orig, err) == GJ_OK)
            d.reverses_receipt_no = orig.receipt_no;
        snprintf(d.reason, sizeof d.reason, "%s", p->reason);
    }
    char *text = NULL;
    rc = gj_receipt_render(&d, &text, err);
    char dir[4096], no[32];
    if (rc == GJ_OK)
        rc = gj_document_dir(gj_db_path(db), "receipts", dir, sizeof dir, err);
    gj_receipt_format(p->receipt_no, "SJ", no, sizeof no);
    if (rc == GJ_OK) {
        int w = printed ? snprintf(path, pathsz, "%s/%s-copy%lld.txt", dir, no, (long long)printed)
                        : snprintf(path, pathsz, "%s/%s.txt", dir, no);
        if (w < 0 || (size_t)w >= pathsz)
            rc = gj_err(err, GJ_EINVAL, "%s", _("receipt: the path is too long"));
    }
    /* An original already on disk with no print recorded: a print that
     * was cut short (the program killed between writing the file and
     * recording it). When it says exactly what this print would, the
     * print is finished by recording it; otherwise it is refused. */
    if (rc == GJ_OK && !(printed == 0 && same_file(path, text)))
        rc = gj_write_text_file(path, text, strlen(text), 0, err);
    if (rc == GJ_OK)
        rc = gj_receipt_print_record(db, actor, p->id, printed ? 1 : 0, path, err);
    free(text);
    return rc;
}
