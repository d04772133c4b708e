/* guanjia import owners|bills FILE [--dry-run]: units, persons and their
 * links, or opening balances (期初欠费, see import_bills.h and
 * gj_bills_import), from a CSV file, all or nothing. What follows is
 * the owners import; the bills import reads every line first, then
 * writes them through the repository in one transaction. Both report
 * every problem the same way.
 *
 * guanjia import owners FILE [--dry-run]: units, persons and their links
 * from a CSV file, all or nothing.
 *
 * The file (at most GJ_CSV_MAX_BYTES) is read whole, converted to UTF-8
 * (csv.h), then read one line at a time: each line is checked
 * (import_owners.h) and applied inside ONE transaction:
 * - a unit not on record is created (its area is needed; status delivered,
 *   delivered on the move-in date, else now);
 * - a person is the one on record with the same phone (a different name is
 *   an error), else the one of that name already linked to the unit when
 *   either has no phone (both with phones, different: an error), else a new
 *   person; persons on record are never changed;
 * - the link (unit, person, relation) is added unless it is already current
 *   (counted as unchanged).
 * Every problem is printed as "FILE:LINE: COLUMN: WHY" (the first 100,
 * then how many more); when there is any, or with --dry-run, everything is
 * rolled back. Writes are done by the system (actor 0).
 *
 * The look-ups and writes go through repo_owner_import.h, which answers
 * from memory what it can and writes the audit rows of the new rows at the
 * end, in one statement per table (100,000 persons in about 2.5 s instead
 * of 6.3 s);
 * GUANJIA_IMPORT_PER_ROW=1 makes every call the console's own, as before,
 * to compare both (tests/test_import_fast.c). */
#include "cli.h"

#include "guanjia/clock.h"
#include "guanjia/csv.h"
#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/import_bills.h"
#include "guanjia/import_owners.h"
#include "guanjia/repo_billing.h"
#include "guanjia/repo_owner_import.h"
#include "guanjia/repo_owners.h"
#include "guanjia/roles.h"
#include "guanjia/unitcode.h"
#include "guanjia/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SHOWN_PROBLEMS 100
#define LINKS_MAX      4096
#define PERSONS_PAGE   8
/* The page cache for the one transaction of an import (see gj_db_large_cache):
 * 100,000 persons touch about 150 MB of pages on a large estate. */
#define IMPORT_CACHE_MIB 512

struct import {
    const char *file;
    struct gj_db *db;
    struct gj_owner_import *oi; /* the look-ups and writes (repo_owner_import.h) */
    const struct gj_import_header *h;
    long problems, bad_lines, last_bad_line;
    long units_created, persons_created, links_added, unchanged;
    int fatal;
    struct gj_error fatal_err;
    struct gj_unit_person *links;
    struct gj_person *persons; /* PERSONS_PAGE rows */
};

static void report(void *ctx, long line, const char *column, const char *why)
{
    struct import *imp = ctx;
    imp->problems++;
    if (line != imp->last_bad_line) {
        imp->bad_lines++;
        imp->last_bad_line = line;
    }
    if (imp->problems > SHOWN_PROBLEMS)
        return;
    if (column && column[0]) {
        char col[GJ_UTF8_EXCERPT_SZ];
        gj_utf8_excerpt(column, strlen(column), col, sizeof col);
        fprintf(stderr, "%s:%ld: %s: %s\n", imp->file, line, col, why);
    } else {
        fprintf(stderr, "%s:%ld: %s\n", imp->file, line, why);
    }
}

/* A failure that the line caused (reported), or one that stops the import. */
static int repo_failed(struct import *imp, long line, enum gj_owner_col col,
                       const struct gj_error *err)
{
    switch (err->code) {
    case GJ_EINVAL:
    case GJ_ECONSTRAINT:
    case GJ_ENOTFOUND:
    case GJ_ECONFLICT:
        report(imp, line, col < GJ_OWNER_NCOLS ? gj_import_header_label(imp->h, col) : "",
               err->msg);
        return GJ_EINVAL;
    default:
        imp->fatal = 1;
        imp->fatal_err = *err;
        return err->code;
    }
}

/* Finds or creates the unit of the row. */
static int ensure_unit(struct import *imp, const struct gj_owner_row *row, struct gj_unit *u)
{
    struct gj_error err;
    const struct gj_unitcode *c = &row->unit;
    int rc = gj_owner_import_find_unit(imp->oi, c->building, c->entrance, c->room, u, &err);
    if (rc != GJ_ENOTFOUND)
        return rc == GJ_OK ? GJ_OK : repo_failed(imp, row->line, GJ_OWNER_UNIT, &err);
    char code[24], msg[160];
    gj_unitcode_format(c, code, sizeof code);
    if (!row->area_centi_m2) {
        snprintf(msg, sizeof msg, _("needed: unit %s is not on record yet and will be created"),
                 code);
        report(imp, row->line, gj_import_header_label(imp->h, GJ_OWNER_AREA), msg);
        return GJ_EINVAL;
    }
    memset(u, 0, sizeof *u);
    u->building = c->building;
    u->entrance = c->entrance;
    u->room = c->room;
    u->area_centi_m2 = row->area_centi_m2;
    snprintf(u->status, sizeof u->status, "%s", "delivered");
    u->delivered_at = row->start_at ? row->start_at : gj_now();
    rc = gj_owner_import_create_unit(imp->oi, u, &err);
    if (rc != GJ_OK)
        return repo_failed(imp, row->line, GJ_OWNER_UNIT, &err);
    imp->units_created++;
    return GJ_OK;
}

/* The links of a person into imp->links (indexed by person, unlike the
 * links of a unit). */
static int person_links(struct import *imp, long line, int64_t person_id, int *n)
{
    struct gj_error err;
    int rc = gj_unit_persons_of_person(imp->db, person_id, LINKS_MAX, imp->links, n, &err);
    return rc == GJ_OK ? GJ_OK : repo_failed(imp, line, GJ_OWNER_NCOLS, &err);
}

/* Is one of the n links in imp->links current, to unit_id, with relation
 * (NULL: any)? */
static int linked_to(const struct import *imp, int n, int64_t unit_id, const char *relation)
{
    for (int i = 0; i < n; i++) {
        const struct gj_unit_person *l = &imp->links[i];
        if (!l->end_at && l->unit_id == unit_id &&
            (!relation || strcmp(l->relation, relation) == 0))
            return 1;
    }
    return 0;
}

/* A person on record named like the row and linked to the unit: its index
 * in imp->persons, -1 if none, or -2 after a failure. */
static int named_in_unit(struct import *imp, const struct gj_owner_row *row, int64_t unit_id)
{
    struct gj_error err;
    int n = 0;
    if (gj_owner_import_named_in_unit(imp->oi, unit_id, row->person.name, 1, imp->persons, &n,
                                      &err) != GJ_OK) {
        repo_failed(imp, row->line, GJ_OWNER_NCOLS, &err);
        return -2;
    }
    return n > 0 ? 0 : -1;
}

/* Finds or creates the person of the row; *created says which. */
static int ensure_person(struct import *imp, const struct gj_owner_row *row,
                         const struct gj_unit *u, int unit_new, int64_t *person_id, int *created)
{
    struct gj_error err;
    const struct gj_person *want = &row->person;
    char msg[GJ_NAME_BYTES * 2 + 160];
    *created = 0;
    if (want->phone[0]) {
        int n = 0;
        int rc =
            gj_owner_import_by_phone(imp->oi, want->phone, PERSONS_PAGE, imp->persons, &n, &err);
        if (rc != GJ_OK)
            return repo_failed(imp, row->line, GJ_OWNER_PHONE, &err);
        for (int i = 0; i < n; i++) {
            if (strcmp(imp->persons[i].name, want->name) == 0) {
                *person_id = imp->persons[i].id;
                return GJ_OK;
            }
        }
        if (n > 0) {
            snprintf(msg, sizeof msg, _("phone %s belongs to %s, not %s"), want->phone,
                     imp->persons[0].name, want->name);
            report(imp, row->line, gj_import_header_label(imp->h, GJ_OWNER_PHONE), msg);
            return GJ_EINVAL;
        }
    }
    /* Someone of that name in the unit already, without a phone to tell. */
    int i = unit_new ? -1 : named_in_unit(imp, row, u->id);
    if (i == -2)
        return imp->fatal ? imp->fatal_err.code : GJ_EINVAL;
    if (i >= 0) {
        const struct gj_person *p = &imp->persons[i];
        if (p->phone[0] && want->phone[0]) {
            char code[24];
            struct gj_unitcode c = {u->building, u->entrance, u->room};
            gj_unitcode_format(&c, code, sizeof code);
            snprintf(msg, sizeof msg, _("%s of unit %s is on record with phone %s, not %s"),
                     p->name, code, p->phone, want->phone);
            report(imp, row->line, gj_import_header_label(imp->h, GJ_OWNER_PHONE), msg);
            return GJ_EINVAL;
        }
        *person_id = p->id;
        return GJ_OK;
    }
    struct gj_person *p = &imp->persons[0];
    *p = *want;
    int rc = gj_owner_import_create_person(imp->oi, p, &err);
    if (rc != GJ_OK)
        return repo_failed(imp, row->line, GJ_OWNER_NCOLS, &err);
    imp->persons_created++;
    *person_id = p->id;
    *created = 1;
    return GJ_OK;
}

/* Applies one row. A row with problems still creates its unit, so that its
 * other lines are not reported as well (all is rolled back anyway). */
static int apply_row(struct import *imp, const struct gj_owner_row *row, int row_ok)
{
    struct gj_error err;
    struct gj_unit u;
    if (!row->unit_ok)
        return GJ_EINVAL;
    long units_before = imp->units_created;
    int rc = ensure_unit(imp, row, &u);
    if (rc != GJ_OK || !row_ok)
        return rc;
    int unit_new = imp->units_created > units_before;
    int64_t person_id = 0;
    int person_new = 0;
    rc = ensure_person(imp, row, &u, unit_new, &person_id, &person_new);
    if (rc != GJ_OK)
        return rc;
    int nl = 0;
    if (!unit_new && !person_new) {
        if ((rc = person_links(imp, row->line, person_id, &nl)) != GJ_OK)
            return rc;
        if (linked_to(imp, nl, u.id, row->relation)) {
            imp->unchanged++;
            return GJ_OK;
        }
    }
    struct gj_unit_person l;
    memset(&l, 0, sizeof l);
    l.unit_id = u.id;
    l.person_id = person_id;
    snprintf(l.relation, sizeof l.relation, "%s", row->relation);
    l.start_at = row->start_at;
    rc = gj_owner_import_link(imp->oi, &l, row->person.name, &err);
    if (rc != GJ_OK)
        return repo_failed(imp, row->line, GJ_OWNER_RELATION, &err);
    imp->links_added++;
    return GJ_OK;
}

/* Reads the whole file, refusing one above GJ_CSV_MAX_BYTES. */
static int read_file(const char *path, char **data, size_t *len, struct gj_error *err)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return gj_err(err, GJ_EIO, "%s: %s", path, gj_cli_errno_text(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return gj_err(err, GJ_EIO, _("%s: not a regular file"), path);
    }
    if (st.st_size > GJ_CSV_MAX_BYTES) {
        fclose(f);
        return gj_err(err, GJ_EINVAL, _("%s: too big (%lld MB, at most %ld MB); split it"), path,
                      (long long)(st.st_size / (1024 * 1024)), GJ_CSV_MAX_BYTES / (1024 * 1024));
    }
    size_t cap = (size_t)st.st_size + 1;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    }
    size_t n = fread(buf, 1, cap, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return gj_err(err, GJ_EIO, _("%s: cannot read the file"), path);
    }
    if (n == cap) { /* it grew while we read */
        free(buf);
        return gj_err(err, GJ_EIO, _("%s: the file changed while it was read"), path);
    }
    *data = buf;
    *len = n;
    return GJ_OK;
}

/* GUANJIA_IMPORT_PER_ROW=1: every line through the console's own calls,
 * as before the import was made fast (to compare both; see
 * repo_owner_import.h). */
static int per_row_wanted(void)
{
    const char *e = getenv("GUANJIA_IMPORT_PER_ROW");
    return e && strcmp(e, "1") == 0;
}

static void set_fatal(struct import *imp, const struct gj_error *err)
{
    imp->fatal = 1;
    imp->fatal_err = *err;
}

/* Checks and applies every line of text; the transaction is the caller's. */
static void import_text(struct import *imp, const char *text, size_t len)
{
    struct gj_csv_reader r;
    struct gj_error err;
    struct gj_import_header h;
    int have_header = 0, stop = 0, rd = GJ_ENOTFOUND;
    struct gj_owner_row *row = malloc(sizeof *row);
    if (!row) {
        gj_err(&err, GJ_ENOMEM, "%s", _("out of memory"));
        set_fatal(imp, &err);
        return;
    }
    memset(&h, 0, sizeof h);
    gj_csv_reader_init(&r, text, len);
    while (!stop && (rd = gj_csv_next(&r, &err)) == GJ_OK) {
        if (gj_import_row_blank(r.fields, r.nfields))
            continue;
        if (!have_header) {
            have_header = 1;
            int hr = gj_owner_header_map(&h, r.fields, r.nfields, r.line, report, imp);
            imp->h = &h;
            if (hr == GJ_ENOMEM) {
                gj_err(&err, GJ_ENOMEM, "%s", _("out of memory"));
                set_fatal(imp, &err);
            }
            stop = hr != GJ_OK; /* lines cannot be read without their header */
            continue;
        }
        int ok = gj_owner_row_parse(&h, r.fields, r.nfields, r.line, row, report, imp) == GJ_OK;
        if (apply_row(imp, row, ok) != GJ_OK && imp->fatal)
            stop = 1;
    }
    if (!stop) {
        if (rd == GJ_EINVAL)
            report(imp, r.line, "", err.msg);
        else if (rd != GJ_ENOTFOUND)
            set_fatal(imp, &err);
        else if (!have_header)
            report(imp, 1, "",
                   _("the file is empty: it needs a header line, then one line per person"));
    }
    gj_import_header_free(&h);
    imp->h = NULL;
    gj_csv_reader_free(&r);
    free(row);
}

/* ---- opening balances ----------------------------------------------------- */

/* The bills import finds problems in three passes (the lines, repeated
 * lines, then what the database says), so its messages are kept and
 * printed in line order at the end: the first SHOWN_PROBLEMS of them. */
struct shown {
    long line, seq;
    char text[700];
};

struct bill_reports {
    const char *file;
    long problems, seq;
    struct shown *top; /* the SHOWN_PROBLEMS first by line, sorted */
    size_t ntop;
    long *lines; /* the line of every problem, to count lines */
    size_t nlines, caplines;
    int oom;
};

static int shown_before(const struct shown *a, long line, long seq)
{
    return a->line < line || (a->line == line && a->seq < seq);
}

static void bill_report(void *ctx, long line, const char *column, const char *why)
{
    struct bill_reports *br = ctx;
    br->problems++;
    long seq = br->seq++;
    if (br->nlines == br->caplines && !br->oom) {
        size_t cap = br->caplines ? br->caplines * 2 : 256;
        long *grown = realloc(br->lines, cap * sizeof *grown);
        if (grown) {
            br->lines = grown;
            br->caplines = cap;
        } else {
            br->oom = 1;
        }
    }
    if (br->nlines < br->caplines)
        br->lines[br->nlines++] = line;
    if (br->ntop == SHOWN_PROBLEMS && !shown_before(&br->top[br->ntop - 1], line, seq))
        return;
    size_t k = br->ntop < SHOWN_PROBLEMS ? br->ntop++ : SHOWN_PROBLEMS - 1;
    while (k > 0 && !shown_before(&br->top[k - 1], line, seq)) {
        br->top[k] = br->top[k - 1];
        k--;
    }
    struct shown *s = &br->top[k];
    s->line = line;
    s->seq = seq;
    if (column && column[0]) {
        char col[GJ_UTF8_EXCERPT_SZ];
        gj_utf8_excerpt(column, strlen(column), col, sizeof col);
        snprintf(s->text, sizeof s->text, "%s:%ld: %s: %s", br->file, line, col, why);
    } else {
        snprintf(s->text, sizeof s->text, "%s:%ld: %s", br->file, line, why);
    }
}

static int by_value(const void *x, const void *y)
{
    long a = *(const long *)x, b = *(const long *)y;
    return a < b ? -1 : a > b;
}

/* Prints what was kept; returns how many lines had problems. */
static long bill_reports_flush(struct bill_reports *br)
{
    for (size_t i = 0; i < br->ntop; i++)
        fprintf(stderr, "%s\n", br->top[i].text);
    if (br->problems > SHOWN_PROBLEMS)
        fprintf(stderr, _("%s: … not shown: %ld more problems\n"), br->file,
                br->problems - SHOWN_PROBLEMS);
    if (br->nlines > 1)
        qsort(br->lines, br->nlines, sizeof *br->lines, by_value);
    long distinct = 0;
    for (size_t i = 0; i < br->nlines; i++)
        distinct += i == 0 || br->lines[i] != br->lines[i - 1];
    return distinct;
}

struct bills_text {
    struct gj_import_header h;
    struct gj_bill_row *rows;
    size_t n, cap;
    int have_header;
};

/* Reads and checks every line of text into bt->rows (the good ones);
 * problems go to bill_report. GJ_OK, or an error that stops the import. */
static int read_bill_lines(struct bill_reports *br, struct bills_text *bt, const char *text,
                           size_t len, struct gj_error *err)
{
    struct gj_csv_reader r;
    int rc = GJ_OK, rd = GJ_ENOTFOUND, stop = 0;
    gj_csv_reader_init(&r, text, len);
    while (!stop && (rd = gj_csv_next(&r, err)) == GJ_OK) {
        if (gj_import_row_blank(r.fields, r.nfields))
            continue;
        if (!bt->have_header) {
            bt->have_header = 1;
            int hr = gj_bill_header_map(&bt->h, r.fields, r.nfields, r.line, bill_report, br);
            if (hr == GJ_ENOMEM)
                rc = gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
            stop = hr != GJ_OK; /* lines cannot be read without their header */
            continue;
        }
        if (bt->n == bt->cap) {
            size_t cap = bt->cap ? bt->cap * 2 : 256;
            struct gj_bill_row *grown = realloc(bt->rows, cap * sizeof *grown);
            if (!grown) {
                rc = gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
                stop = 1;
                continue;
            }
            bt->rows = grown;
            bt->cap = cap;
        }
        int pr = gj_bill_row_parse(&bt->h, r.fields, r.nfields, r.line, &bt->rows[bt->n],
                                   bill_report, br);
        if (pr == GJ_ENOMEM) {
            rc = gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
            stop = 1;
        } else if (pr == GJ_OK) {
            bt->n++;
        }
    }
    if (!stop) {
        if (rd == GJ_EINVAL)
            bill_report(br, r.line, "", err->msg);
        else if (rd != GJ_ENOTFOUND)
            rc = rd;
        else if (!bt->have_header)
            bill_report(br, 1, "",
                        _("the file is empty: it needs a header line, then one line per bill"));
    }
    gj_csv_reader_free(&r);
    return rc;
}

/* Drops the lines that repeat an earlier one (reported already). */
static int drop_repeated(struct bill_reports *br, struct bills_text *bt, struct gj_error *err)
{
    if (bt->n < 2)
        return GJ_OK;
    unsigned char *repeated = malloc(bt->n);
    if (!repeated || gj_bill_rows_duplicates(bt->rows, bt->n, repeated, bill_report, br) < 0) {
        free(repeated);
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    }
    size_t k = 0;
    for (size_t i = 0; i < bt->n; i++)
        if (!repeated[i])
            bt->rows[k++] = bt->rows[i];
    bt->n = k;
    free(repeated);
    return GJ_OK;
}

static int import_bills(const char *file, const char *db_path, const char *text, size_t len,
                        enum gj_csv_encoding enc, int dry_run)
{
    struct bill_reports br;
    memset(&br, 0, sizeof br);
    br.file = file;
    br.top = calloc(SHOWN_PROBLEMS, sizeof *br.top);
    struct bills_text bt;
    memset(&bt, 0, sizeof bt);
    struct gj_error err;
    struct gj_bill_import_result res;
    memset(&res, 0, sizeof res);
    int rc = br.top ? read_bill_lines(&br, &bt, text, len, &err)
                    : gj_err(&err, GJ_ENOMEM, "%s", _("out of memory"));
    if (rc == GJ_OK)
        rc = drop_repeated(&br, &bt, &err);
    /* The lines that were read right are looked up too, so that one run
     * reports every problem; nothing is saved when there is any. */
    if (rc == GJ_OK && bt.n > 0) {
        struct gj_db *db = NULL;
        rc = gj_db_open(db_path, 0, &db, &err);
        long repo_problems = 0;
        if (rc == GJ_OK)
            rc = gj_bills_import(db, 0, GJ_ROLE_MANAGER, &bt.h, bt.rows, bt.n, file,
                                 !dry_run && br.problems == 0, bill_report, &br, &repo_problems,
                                 &res, &err);
        gj_db_close(db);
    }
    gj_import_header_free(&bt.h);
    free(bt.rows);
    long bad_lines = br.top ? bill_reports_flush(&br) : 0;
    free(br.top);
    free(br.lines);

    if (rc != GJ_OK) {
        char what[600];
        snprintf(what, sizeof what, _("%s (nothing was saved)"), err.msg);
        return gj_cli_fail(_("import"), what);
    }
    if (br.problems > 0) {
        char why[256];
        snprintf(why, sizeof why,
                 _("%s: nothing was saved (problems: %ld; lines with problems: %ld)"), file,
                 br.problems, bad_lines);
        return gj_cli_fail(_("import"), why);
    }
    if (enc == GJ_CSV_GBK)
        printf(_("%s: read as GBK\n"), file);
    char billed[32], paid[32];
    gj_money_format(res.billed_fen, billed, sizeof billed);
    gj_money_format(res.paid_fen, paid, sizeof paid);
    if (dry_run) {
        printf(_("%s: bills to write: %ld for %ld units, %s, of which already paid %s (%ld "
                 "carry-over payments)\n"),
               file, res.bills, res.units, billed, paid, res.payments);
        printf("%s\n", _("Dry run: nothing was saved."));
    } else {
        printf(_("%s: bills written: %ld for %ld units, %s, of which already paid %s (%ld "
                 "carry-over payments)\n"),
               file, res.bills, res.units, billed, paid, res.payments);
    }
    return GJ_EXIT_OK;
}

int gj_cmd_import(struct gj_cli *cli)
{
    if (cli->argc < 2)
        return gj_cli_usage(cli, _("needs what to import (owners or bills) and the file"));
    int bills = strcmp(cli->argv[1], "bills") == 0;
    if (!bills && strcmp(cli->argv[1], "owners") != 0)
        return gj_cli_usage(cli, _("owners or bills can be imported"));
    const char *file = NULL;
    int dry_run = 0;
    for (int i = 2; i < cli->argc; i++) {
        const char *a = cli->argv[i];
        if (strcmp(a, "--dry-run") == 0)
            dry_run = 1;
        else if (a[0] == '-' && a[1])
            return gj_cli_usage(cli, _("unknown option"));
        else if (!file)
            file = a;
        else
            return gj_cli_usage(cli, _("takes one file"));
    }
    if (!file)
        return gj_cli_usage(cli, _("needs the CSV file to read"));

    struct gj_error err;
    char *raw = NULL, *text = NULL;
    size_t rawlen = 0, textlen = 0;
    if (read_file(file, &raw, &rawlen, &err) != GJ_OK)
        return gj_cli_fail_err(_("import"), &err);
    enum gj_csv_encoding enc = GJ_CSV_UTF8;
    long line = 0;
    int rc = gj_csv_to_utf8(raw, rawlen, &text, &textlen, &enc, &line, &err);
    free(raw);
    if (rc != GJ_OK) {
        if (line > 0) {
            fprintf(stderr, "%s:%ld: %s\n", file, line, err.msg);
            fprintf(stderr, "guanjia: %s: ", _("import"));
            fprintf(stderr, _("%s: nothing was saved\n"), file);
            return GJ_EXIT_FAIL;
        }
        return gj_cli_fail_err(_("import"), &err);
    }
    if (bills) {
        rc = import_bills(file, cli->db_path, text, textlen, enc, dry_run);
        free(text);
        return rc;
    }

    struct gj_db *db = NULL;
    if (gj_db_open(cli->db_path, 0, &db, &err) != GJ_OK) {
        free(text);
        return gj_cli_fail_err(_("import"), &err);
    }
    struct import imp;
    memset(&imp, 0, sizeof imp);
    imp.file = file;
    imp.db = db;
    imp.links = calloc(LINKS_MAX, sizeof *imp.links);
    imp.persons = calloc(PERSONS_PAGE, sizeof *imp.persons);
    if (!imp.links || !imp.persons) {
        gj_err(&err, GJ_ENOMEM, "%s", _("out of memory"));
        set_fatal(&imp, &err);
    } else if (gj_db_large_cache(db, IMPORT_CACHE_MIB, &err) != GJ_OK ||
               gj_db_begin(db, &err) != GJ_OK) {
        set_fatal(&imp, &err);
    } else if (gj_owner_import_begin(db, 0, per_row_wanted(), &imp.oi, &err) != GJ_OK) {
        set_fatal(&imp, &err);
        gj_db_rollback(db);
    } else {
        import_text(&imp, text, textlen);
        if (imp.fatal || imp.problems > 0 || dry_run) {
            gj_db_rollback(db);
        } else if (gj_owner_import_finish(imp.oi, &err) != GJ_OK) {
            set_fatal(&imp, &err);
            gj_db_rollback(db);
        } else if (gj_db_commit(db, &err) != GJ_OK) {
            set_fatal(&imp, &err);
        }
    }
    gj_owner_import_free(imp.oi);
    free(imp.links);
    free(imp.persons);
    free(text);
    gj_db_close(db);

    if (imp.problems > SHOWN_PROBLEMS)
        fprintf(stderr, _("%s: … not shown: %ld more problems\n"), file,
                imp.problems - SHOWN_PROBLEMS);
    if (imp.fatal) {
        char what[600];
        snprintf(what, sizeof what, _("%s (nothing was saved)"), imp.fatal_err.msg);
        return gj_cli_fail(_("import"), what);
    }
    if (imp.problems > 0) {
        char why[256];
        snprintf(why, sizeof why,
                 _("%s: nothing was saved (problems: %ld; lines with problems: %ld)"), file,
                 imp.problems, imp.bad_lines);
        return gj_cli_fail(_("import"), why);
    }
    if (enc == GJ_CSV_GBK)
        printf(_("%s: read as GBK\n"), file);
    if (dry_run) {
        printf(_("%s: units to create: %ld, persons to create: %ld, links to add: %ld, unchanged: "
                 "%ld\n"),
               file, imp.units_created, imp.persons_created, imp.links_added, imp.unchanged);
        printf("%s\n", _("Dry run: nothing was saved."));
    } else {
        printf(
            _("%s: units created: %ld, persons created: %ld, links added: %ld, unchanged: %ld\n"),
            file, imp.units_created, imp.persons_created, imp.links_added, imp.unchanged);
    }
    return GJ_EXIT_OK;
}
