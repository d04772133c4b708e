/* guanjia export owners|workorders|complaints|bills|payments FILE
 * [--encoding utf-8|utf-8-bom|gbk]: one snapshot of the database as CSV.
 *
 * Encodings: utf-8-bom (the default: spreadsheets on Chinese Windows show
 * it right), utf-8 (no BOM), or gbk, converted by iconv one record at a
 * time; a character GBK cannot hold (rare characters of names, emoji)
 * stops the export with its row and column, and nothing is written.
 *
 * guanjia export owners FILE: every current link of a person to a unit as
 * CSV that `guanjia import owners` reads back.
 *
 * One line per link that has not ended, by unit code (building, entrance,
 * room), then by link; columns unit, name, phone, phone2, relation, area,
 * start date, id_number, notes, named in the language of the messages
 * (--lang). UTF-8 with a BOM (so that spreadsheets on Chinese Windows
 * show it right) and CRLF line ends. Units are read a page at a time, so
 * memory stays small on a large estate. The file is written next to FILE,
 * synced, then renamed over it: FILE is either the old one or the whole
 * new one. It holds ID numbers and phones, so it is created readable by
 * its owner only (0600). */
#include "cli.h"

#include "guanjia/clock.h"
#include "guanjia/csv.h"
#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/billing.h"
#include "guanjia/import_bills.h"
#include "guanjia/import_owners.h"
#include "guanjia/money.h"
#include "guanjia/repo_complaint_stats.h"
#include "guanjia/repo_fee_export.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_settings.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/unitcode.h"
#include "guanjia/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <libgen.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define UNIT_PAGE 128
#define LINKS_MAX 1024

/* The header language follows the language of messages: what --lang set
 * (gj_i18n_init puts it in LANGUAGE), else what gettext would pick from
 * the environment. Chinese when that is zh*, even without a translation
 * installed. */
static int header_zh(void)
{
    const char *loc = setlocale(LC_MESSAGES, NULL);
    if (!loc || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0)
        return 0; /* gettext translates nothing there */
    const char *language = getenv("LANGUAGE");
    if (language && *language)
        return strncmp(language, "zh", 2) == 0;
    return strncmp(loc, "zh", 2) == 0;
}

enum encoding { ENC_UTF8, ENC_UTF8_BOM, ENC_GBK };

#define MAX_COLS 32

struct exporter {
    struct gj_db *db;
    FILE *f;
    int zh;
    long rows;
    struct gj_csv_buf buf;
    struct gj_unit_person *links;
    struct gj_person person;
    /* Encoding: cd converts to GBK (else (iconv_t)-1: UTF-8 as it is). */
    iconv_t cd;
    struct gj_csv_buf record; /* one record in UTF-8, before conversion */
    long records;             /* records put so far, the header included */
    const char *header[MAX_COLS];
    size_t ncols;
    char receipt_prefix[16]; /* payments: SJ, or the setting receipt.prefix */
};

static int flush_buf(struct exporter *x, struct gj_error *err)
{
    if (x->buf.len && fwrite(x->buf.data, 1, x->buf.len, x->f) != x->buf.len)
        return gj_err(err, GJ_EIO, "%s", gj_cli_errno_text(errno));
    x->buf.len = 0;
    return GJ_OK;
}

/* Whether GBK holds every character of s. */
static int gbk_holds(iconv_t cd, const char *s)
{
    char out[256];
    char *in = (char *)s;
    size_t inleft = strlen(s);
    iconv(cd, NULL, NULL, NULL, NULL);
    while (inleft > 0) {
        char *o = out;
        size_t oleft = sizeof out;
        if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 && errno != E2BIG)
            return 0;
    }
    return 1;
}

/* Converts x->record to GBK onto the end of x->buf; a character GBK
 * cannot hold is an error naming the row (the header is row 1), the
 * column and the character. */
static int append_gbk(struct exporter *x, const char *const *fields, size_t n, struct gj_error *err)
{
    size_t need = x->buf.len + x->record.len + 16; /* GBK is never longer than UTF-8 */
    if (need > x->buf.cap) {
        size_t cap = need * 2;
        char *grown = realloc(x->buf.data, cap);
        if (!grown)
            return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
        x->buf.data = grown;
        x->buf.cap = cap;
    }
    char *in = x->record.data, *out = x->buf.data + x->buf.len;
    size_t inleft = x->record.len, outleft = x->buf.cap - x->buf.len - 1;
    iconv(x->cd, NULL, NULL, NULL, NULL);
    if (iconv(x->cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
        int e = errno;
        char ch[8] = "?";
        uint32_t cp = 0;
        size_t k = gj_utf8_decode(in, inleft, &cp);
        if (k > 0 && k < sizeof ch) {
            memcpy(ch, in, k);
            ch[k] = '\0';
        }
        const char *column = "";
        for (size_t i = 0; i < n && i < x->ncols; i++) {
            if (fields[i] && !gbk_holds(x->cd, fields[i])) {
                column = x->header[i] ? x->header[i] : "";
                break;
            }
        }
        if (e != EILSEQ && e != EINVAL)
            return gj_err(err, GJ_EIO, "%s", gj_cli_errno_text(e));
        return gj_err(err, GJ_EINVAL,
                      _("row %ld, column %s: \"%s\" (U+%04X) cannot be written in GBK; export "
                        "with --encoding utf-8-bom"),
                      x->records, column, ch, (unsigned)cp);
    }
    x->buf.len = (size_t)(out - x->buf.data);
    x->buf.data[x->buf.len] = '\0';
    return GJ_OK;
}

/* Appends one record of n fields (the first record put is the header) in
 * the export's encoding. */
static int put_record(struct exporter *x, const char *const *fields, size_t n, struct gj_error *err)
{
    if (x->records == 0) {
        x->ncols = n < MAX_COLS ? n : MAX_COLS;
        for (size_t i = 0; i < x->ncols; i++)
            x->header[i] = fields[i];
    }
    x->records++;
    if (x->cd == (iconv_t)-1)
        return gj_csv_format_record(&x->buf, fields, n, err);
    x->record.len = 0;
    int rc = gj_csv_format_record(&x->record, fields, n, err);
    return rc == GJ_OK ? append_gbk(x, fields, n, err) : rc;
}

/* Puts one record of the export's data and counts it. */
static int put_row(struct exporter *x, const char *const *fields, size_t n, struct gj_error *err)
{
    int rc = put_record(x, fields, n, err);
    if (rc == GJ_OK)
        x->rows++;
    return rc;
}

/* What one export reads, a page at a time. */
struct export_pages {
    size_t row_size; /* bytes of one row of a page */
    int page;        /* rows a page */
    /* Reads up to max rows into rows, those after last (the last row of
     * the page before; NULL: from the start). */
    int (*read)(struct exporter *x, const void *last, void *rows, int max, int *n,
                struct gj_error *err);
    /* Puts the records of one row (put_row). */
    int (*write)(struct exporter *x, const void *row, struct gj_error *err);
    /* Called once the snapshot is open, before the first page; may be NULL. */
    void (*start)(struct exporter *x);
};

/* The header, then every row of what p reads, page after page in one
 * snapshot (pages read while others write still fit together), flushed
 * to the file as the buffer fills. */
static int export_pages(struct exporter *x, const struct export_pages *p, const char *const *header,
                        size_t ncols, struct gj_error *err)
{
    int rc = put_record(x, header, ncols, err);
    if (rc != GJ_OK)
        return rc;
    char *rows = calloc((size_t)p->page, p->row_size);
    if (!rows)
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    rc = gj_db_begin_read(x->db, err);
    if (rc != GJ_OK) {
        free(rows);
        return rc;
    }
    if (p->start)
        p->start(x);
    const void *last = NULL;
    while (rc == GJ_OK) {
        int n = 0;
        rc = p->read(x, last, rows, p->page, &n, err);
        for (int i = 0; rc == GJ_OK && i < n; i++) {
            rc = p->write(x, rows + (size_t)i * p->row_size, err);
            if (rc == GJ_OK && x->buf.len >= 65536)
                rc = flush_buf(x, err);
        }
        if (rc != GJ_OK || n < p->page)
            break;
        last = rows + (size_t)(n - 1) * p->row_size;
    }
    gj_db_rollback(x->db); /* ends the read */
    free(rows);
    return rc == GJ_OK ? flush_buf(x, err) : rc;
}

static int read_units(struct exporter *x, const void *last, void *rows, int max, int *n,
                      struct gj_error *err)
{
    const struct gj_unit *u = last;
    struct gj_unit_key after;
    if (u)
        after = (struct gj_unit_key){u->building, u->entrance, u->room};
    return gj_units_list(x->db, u ? &after : NULL, max, rows, n, err);
}

/* The current links of one unit, a record each. */
static int write_unit(struct exporter *x, const void *row, struct gj_error *err)
{
    const struct gj_unit *u = row;
    int n = 0;
    int rc = gj_unit_persons_of_unit(x->db, u->id, LINKS_MAX, x->links, &n, err);
    if (rc != GJ_OK)
        return rc;
    char code[24], area[32], start[32];
    struct gj_unitcode c = {u->building, u->entrance, u->room};
    gj_unitcode_format(&c, code, sizeof code);
    if (n == LINKS_MAX && !x->links[n - 1].end_at)
        return gj_err(err, GJ_EINVAL, _("unit %s has more than %d current links"), code, LINKS_MAX);
    snprintf(area, sizeof area, "%lld.%02lld", (long long)(u->area_centi_m2 / 100),
             (long long)(u->area_centi_m2 % 100));
    for (int i = 0; i < n; i++) {
        const struct gj_unit_person *l = &x->links[i];
        if (l->end_at)
            break; /* current links come first */
        if ((rc = gj_person_get(x->db, l->person_id, &x->person, err)) != GJ_OK)
            return rc;
        start[0] = '\0';
        if (l->start_at)
            gj_format_date(l->start_at, start, sizeof start);
        const char *fields[GJ_OWNER_NCOLS] = {
            [GJ_OWNER_UNIT] = code,
            [GJ_OWNER_NAME] = x->person.name,
            [GJ_OWNER_PHONE] = x->person.phone,
            [GJ_OWNER_PHONE2] = x->person.phone2,
            [GJ_OWNER_RELATION] = gj_owner_relation_name(l->relation, x->zh),
            [GJ_OWNER_AREA] = area,
            [GJ_OWNER_START] = start,
            [GJ_OWNER_ID_NUMBER] = x->person.id_number,
            [GJ_OWNER_NOTES] = x->person.notes,
        };
        if ((rc = put_row(x, fields, GJ_OWNER_NCOLS, err)) != GJ_OK)
            return rc;
    }
    return GJ_OK;
}

static int export_all(struct exporter *x, struct gj_error *err)
{
    static const struct export_pages units = {
        .row_size = sizeof(struct gj_unit),
        .page = UNIT_PAGE,
        .read = read_units,
        .write = write_unit,
    };
    const char *header[GJ_OWNER_NCOLS];
    for (int c = 0; c < GJ_OWNER_NCOLS; c++)
        header[c] = gj_owner_col_name(c, x->zh);
    return export_pages(x, &units, header, GJ_OWNER_NCOLS, err);
}

/* guanjia export workorders FILE: every work order with its times, one line
 * each by number, codes as stored (stable for spreadsheets), times local. */
#define WO_PAGE 32
enum { WO_NCOLS = 16 };

static void when(int64_t t, char *out, size_t outsz)
{
    if (t)
        gj_format_datetime(t, out, outsz);
    else
        out[0] = '\0';
}

static int read_workorders(struct exporter *x, const void *last, void *rows, int max, int *n,
                           struct gj_error *err)
{
    int64_t after = last ? ((const struct gj_work_order *)last)->id : 0;
    return gj_wo_list_all(x->db, after, max, rows, n, err);
}

static int write_workorder(struct exporter *x, const void *row, struct gj_error *err)
{
    const struct gj_work_order *w = row;
    char id[24], unit[24] = "", t[7][32], dept[24] = "", sat[8] = "", chased[16];
    snprintf(id, sizeof id, "%lld", (long long)w->id);
    struct gj_unit u;
    struct gj_error e2;
    if (w->unit_id && gj_unit_get(x->db, w->unit_id, &u, &e2) == GJ_OK) {
        struct gj_unitcode c = {u.building, u.entrance, u.room};
        gj_unitcode_format(&c, unit, sizeof unit);
    }
    int64_t times[7] = {w->created_at,
                        w->respond_due_at,
                        w->resolve_due_at,
                        w->responded_at,
                        w->resolved_at,
                        w->closed_at,
                        0};
    for (int k = 0; k < 6; k++)
        when(times[k], t[k], sizeof t[k]);
    if (w->department_id)
        snprintf(dept, sizeof dept, "%lld", (long long)w->department_id);
    if (w->satisfaction)
        snprintf(sat, sizeof sat, "%d", w->satisfaction);
    snprintf(chased, sizeof chased, "%d", w->chase_count);
    const char *fields[WO_NCOLS] = {
        id,   unit, w->channel, w->category, w->priority, w->state, w->description, t[0], t[1],
        t[2], t[3], t[4],       t[5],        dept,        sat,      chased};
    return put_row(x, fields, WO_NCOLS, err);
}

static int export_workorders(struct exporter *x, struct gj_error *err)
{
    static const char *const en[WO_NCOLS] = {
        "id",          "unit",          "channel",      "category",   "priority",  "state",
        "description", "created",       "respond_by",   "resolve_by", "responded", "resolved",
        "closed",      "department_id", "satisfaction", "chased"};
    static const char *const zh[WO_NCOLS] = {"工单号",   "房号",     "渠道",     "类别",
                                             "优先级",   "状态",     "描述",     "受理时间",
                                             "响应时限", "处理时限", "响应时间", "解决时间",
                                             "关闭时间", "部门编号", "满意度",   "催单次数"};
    static const struct export_pages workorders = {
        .row_size = sizeof(struct gj_work_order),
        .page = WO_PAGE,
        .read = read_workorders,
        .write = write_workorder,
    };
    return export_pages(x, &workorders, x->zh ? zh : en, WO_NCOLS, err);
}

/* guanjia export complaints FILE: every complaint with its closed-loop
 * times, one line each by number, codes as stored, times local like the
 * work-order export. Read a page at a time in one snapshot. */
#define C_PAGE 16
enum { C_NCOLS = 20 };

static int read_complaints(struct exporter *x, const void *last, void *rows, int max, int *n,
                           struct gj_error *err)
{
    int64_t after = last ? ((const struct gj_complaint_export_row *)last)->id : 0;
    return gj_complaint_export_page(x->db, after, max, rows, n, err);
}

static int write_complaint(struct exporter *x, const void *row, struct gj_error *err)
{
    const struct gj_complaint_export_row *r = row;
    char id[24], level[8], sat[8] = "", t[7][32];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    snprintf(level, sizeof level, "%d", r->level);
    if (r->satisfaction)
        snprintf(sat, sizeof sat, "%d", r->satisfaction);
    const int64_t times[7] = {r->created_at,     r->ack_due_at,  r->acknowledged_at,
                              r->resolve_due_at, r->resolved_at, r->revisit_due_at,
                              r->revisited_at};
    for (int k = 0; k < 7; k++)
        when(times[k], t[k], sizeof t[k]);
    const char *fields[C_NCOLS] = {id,          r->unit_code, r->owner_name, r->channel,
                                   r->category, r->grade,     level,         r->state,
                                   r->subject,  r->detail,    t[0],          t[1],
                                   t[2],        t[3],         t[4],          t[5],
                                   t[6],        sat,          r->root_cause, r->corrective_action};
    return put_row(x, fields, C_NCOLS, err);
}

static int export_complaints(struct exporter *x, struct gj_error *err)
{
    static const char *const en[C_NCOLS] = {
        "id",         "unit",      "owner",        "channel",    "category",
        "grade",      "level",     "state",        "subject",    "detail",
        "created",    "ack_by",    "acknowledged", "resolve_by", "resolved",
        "revisit_by", "revisited", "satisfaction", "root_cause", "corrective_action"};
    static const char *const zh[C_NCOLS] = {
        "投诉编号", "房号",     "业主",     "渠道",     "类别",     "等级",     "处理层级",
        "状态",     "主题",     "内容",     "受理时间", "确认时限", "确认时间", "处理时限",
        "解决时间", "回访时限", "回访时间", "满意度",   "根本原因", "整改措施"};
    static const struct export_pages complaints = {
        .row_size = sizeof(struct gj_complaint_export_row),
        .page = C_PAGE,
        .read = read_complaints,
        .write = write_complaint,
    };
    return export_pages(x, &complaints, x->zh ? zh : en, C_NCOLS, err);
}

/* guanjia export bills FILE: every bill, one line each by number, with the
 * columns `guanjia import bills` reads (unit, item, period, amount, paid,
 * space) and what it ignores (owed, quantity, rate, due, id), so that an
 * export reads back. Money in yuan without symbol or separators. */
#define BILL_PAGE 256

static int read_bills(struct exporter *x, const void *last, void *rows, int max, int *n,
                      struct gj_error *err)
{
    int64_t after = last ? ((const struct gj_bill_export_row *)last)->id : 0;
    return gj_bill_export_page(x->db, after, max, rows, n, err);
}

static int write_bill(struct exporter *x, const void *row, struct gj_error *err)
{
    const struct gj_bill_export_row *r = row;
    char period[32], amount[32], paid[32], owed[32], quantity[32], rate[32], due[32], id[24];
    gj_format_month(r->period, period, sizeof period);
    gj_money_format_plain(r->amount_fen, amount, sizeof amount);
    gj_money_format_plain(r->paid_fen, paid, sizeof paid);
    gj_money_format_plain(r->amount_fen - r->paid_fen, owed, sizeof owed);
    if (strcmp(r->kind, "per_m2") == 0) /* an area in m2, 2 decimals */
        gj_money_format_plain(r->quantity, quantity, sizeof quantity);
    else
        snprintf(quantity, sizeof quantity, "%lld", (long long)r->quantity);
    gj_money_format_plain(r->rate_fen, rate, sizeof rate);
    gj_format_date(r->due_at, due, sizeof due);
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    const char *fields[GJ_BILL_NCOLS] = {
        [GJ_BILL_COL_UNIT] = r->unit_code,
        [GJ_BILL_COL_ITEM] = r->item,
        [GJ_BILL_COL_PERIOD] = period,
        [GJ_BILL_COL_AMOUNT] = amount,
        [GJ_BILL_COL_PAID] = paid,
        [GJ_BILL_COL_SPACE] = r->space_code,
        [GJ_BILL_COL_OWED] = owed,
        [GJ_BILL_COL_QUANTITY] = quantity,
        [GJ_BILL_COL_RATE] = rate,
        [GJ_BILL_COL_DUE] = due,
        [GJ_BILL_COL_ID] = id,
    };
    return put_row(x, fields, GJ_BILL_NCOLS, err);
}

static int export_bills(struct exporter *x, struct gj_error *err)
{
    static const struct export_pages bills = {
        .row_size = sizeof(struct gj_bill_export_row),
        .page = BILL_PAGE,
        .read = read_bills,
        .write = write_bill,
    };
    const char *header[GJ_BILL_NCOLS];
    for (int c = 0; c < GJ_BILL_NCOLS; c++)
        header[c] = gj_bill_col_name(c, x->zh);
    return export_pages(x, &bills, header, GJ_BILL_NCOLS, err);
}

/* guanjia export payments FILE: every payment and reversal, one line each
 * by number: receipt number as printed (SJ00000042), unit, payer, method
 * (code as stored), amount (negative for a reversal), the receipt a
 * reversal undoes, the reason or note, the operator (the system when
 * none) and the local time. */
#define PAY_PAGE 128
enum { PAY_NCOLS = 9 };

/* The receipt numbers' prefix, as the snapshot has it. */
static void read_receipt_prefix(struct exporter *x)
{
    struct gj_setting setting;
    struct gj_error e2;
    snprintf(x->receipt_prefix, sizeof x->receipt_prefix, "%s", "SJ");
    if (gj_setting_get(x->db, "receipt.prefix", &setting, &e2) == GJ_OK)
        snprintf(x->receipt_prefix, sizeof x->receipt_prefix, "%s", setting.value);
}

static int read_payments(struct exporter *x, const void *last, void *rows, int max, int *n,
                         struct gj_error *err)
{
    int64_t after = last ? ((const struct gj_payment_export_row *)last)->id : 0;
    return gj_payment_export_page(x->db, after, max, rows, n, err);
}

static int write_payment(struct exporter *x, const void *row, struct gj_error *err)
{
    const struct gj_payment_export_row *r = row;
    char receipt[48], reverses[48] = "", amount[32], at[32];
    gj_receipt_format(r->receipt_no, x->receipt_prefix, receipt, sizeof receipt);
    if (r->reverses_receipt_no)
        gj_receipt_format(r->reverses_receipt_no, x->receipt_prefix, reverses, sizeof reverses);
    gj_money_format_plain(r->amount_fen, amount, sizeof amount);
    gj_format_datetime(r->created_at, at, sizeof at);
    const char *op = r->operator_name[0] ? r->operator_name : (x->zh ? "系统" : "system");
    const char *fields[PAY_NCOLS] = {receipt,  r->unit_code, r->payer, r->method, amount,
                                     reverses, r->reason,    op,       at};
    return put_row(x, fields, PAY_NCOLS, err);
}

static int export_payments(struct exporter *x, struct gj_error *err)
{
    static const char *const en[PAY_NCOLS] = {"receipt",  "unit",   "payer",    "method", "amount",
                                              "reverses", "reason", "operator", "time"};
    static const char *const zh[PAY_NCOLS] = {"收据号",     "房号", "交款人", "方式", "金额",
                                              "冲正原收据", "原因", "操作员", "时间"};
    static const struct export_pages payments = {
        .row_size = sizeof(struct gj_payment_export_row),
        .page = PAY_PAGE,
        .read = read_payments,
        .write = write_payment,
        .start = read_receipt_prefix,
    };
    return export_pages(x, &payments, x->zh ? zh : en, PAY_NCOLS, err);
}

/* Syncs the folder holding path, so that the rename survives a crash. */
static void sync_dir_of(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(copy);
}

static int parse_encoding(const char *s, enum encoding *out)
{
    if (strcmp(s, "utf-8") == 0 || strcmp(s, "utf8") == 0)
        *out = ENC_UTF8;
    else if (strcmp(s, "utf-8-bom") == 0 || strcmp(s, "utf8-bom") == 0)
        *out = ENC_UTF8_BOM;
    else if (strcmp(s, "gbk") == 0 || strcmp(s, "GBK") == 0)
        *out = ENC_GBK;
    else
        return -1;
    return 0;
}

int gj_cmd_export(struct gj_cli *cli)
{
    if (cli->argc < 2)
        return gj_cli_usage(cli, _("needs what to export (owners, workorders, complaints, bills "
                                   "or payments) and the file"));
    int (*export_what)(struct exporter *, struct gj_error *) = NULL;
    if (strcmp(cli->argv[1], "owners") == 0) {
        export_what = export_all;
    } else if (strcmp(cli->argv[1], "workorders") == 0) {
        export_what = export_workorders;
    } else if (strcmp(cli->argv[1], "complaints") == 0) {
        export_what = export_complaints;
    } else if (strcmp(cli->argv[1], "bills") == 0) {
        export_what = export_bills;
    } else if (strcmp(cli->argv[1], "payments") == 0) {
        export_what = export_payments;
    } else {
        return gj_cli_usage(cli,
                            _("owners, workorders, complaints, bills or payments can be exported"));
    }
    const char *file = NULL;
    enum encoding enc = ENC_UTF8_BOM;
    for (int i = 2; i < cli->argc; i++) {
        const char *a = cli->argv[i];
        const char *value = NULL;
        if (strcmp(a, "--encoding") == 0) {
            if (i + 1 >= cli->argc)
                return gj_cli_usage(cli, _("--encoding needs utf-8, utf-8-bom or gbk"));
            value = cli->argv[++i];
        } else if (strncmp(a, "--encoding=", 11) == 0) {
            value = a + 11;
        } else if (a[0] == '-' && a[1]) {
            return gj_cli_usage(cli, _("unknown option"));
        } else if (!file) {
            file = a;
            continue;
        } else {
            return gj_cli_usage(cli, _("takes one file"));
        }
        if (parse_encoding(value, &enc) != 0)
            return gj_cli_usage(cli, _("--encoding must be utf-8, utf-8-bom or gbk"));
    }
    if (!file)
        return gj_cli_usage(cli, _("needs the CSV file to write"));

    struct gj_error err;
    iconv_t cd = (iconv_t)-1;
    if (enc == ENC_GBK && (cd = iconv_open("GBK", "UTF-8")) == (iconv_t)-1)
        return gj_cli_fail(_("export"), _("this system cannot convert text to GBK (iconv)"));
    struct gj_db *db = NULL;
    if (gj_db_open(cli->db_path, GJ_DB_READONLY, &db, &err) != GJ_OK) {
        if (cd != (iconv_t)-1)
            iconv_close(cd);
        return gj_cli_fail_err(_("export"), &err);
    }

    char tmp[4200];
    int w = snprintf(tmp, sizeof tmp, "%s.XXXXXX", file);
    if (w < 0 || (size_t)w >= sizeof tmp) {
        gj_db_close(db);
        if (cd != (iconv_t)-1)
            iconv_close(cd);
        return gj_cli_fail(_("export"), _("the path is too long"));
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        gj_db_close(db);
        if (cd != (iconv_t)-1)
            iconv_close(cd);
        char why[4400];
        if (e == ENOENT)
            snprintf(why, sizeof why, _("%s: the folder does not exist (nothing was written)"),
                     file);
        else
            snprintf(why, sizeof why, "%s: %s", file, gj_cli_errno_text(e));
        return gj_cli_fail(_("export"), why);
    }
    struct exporter x;
    memset(&x, 0, sizeof x);
    x.db = db;
    x.zh = header_zh();
    x.cd = cd;
    x.f = fdopen(fd, "wb");
    x.links = calloc(LINKS_MAX, sizeof *x.links);
    int rc;
    if (!x.f || !x.links) {
        rc = gj_err(&err, GJ_ENOMEM, "%s", _("out of memory"));
    } else if (enc == ENC_UTF8_BOM && fputs("\xEF\xBB\xBF", x.f) == EOF) {
        rc = gj_err(&err, GJ_EIO, "%s", gj_cli_errno_text(errno));
    } else {
        rc = export_what(&x, &err);
    }
    if (rc == GJ_OK && (fflush(x.f) != 0 || fsync(fileno(x.f)) != 0))
        rc = gj_err(&err, GJ_EIO, "%s", gj_cli_errno_text(errno));
    if (x.f) {
        if (fclose(x.f) != 0 && rc == GJ_OK)
            rc = gj_err(&err, GJ_EIO, "%s", gj_cli_errno_text(errno));
    } else {
        close(fd);
    }
    if (rc == GJ_OK && rename(tmp, file) != 0)
        rc = gj_err(&err, GJ_EIO, "%s", gj_cli_errno_text(errno));
    gj_csv_buf_free(&x.buf);
    gj_csv_buf_free(&x.record);
    free(x.links);
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    gj_db_close(db);
    if (rc != GJ_OK) {
        unlink(tmp);
        char why[4400];
        snprintf(why, sizeof why, _("%s: %s (nothing was written)"), file, err.msg);
        return gj_cli_fail(_("export"), why);
    }
    sync_dir_of(file);
    printf(export_what == export_all          ? _("%s: links written: %ld\n")
           : export_what == export_workorders ? _("%s: work orders written: %ld\n")
           : export_what == export_complaints ? _("%s: complaints written: %ld\n")
           : export_what == export_bills      ? _("%s: bills written: %ld\n")
                                              : _("%s: payments written: %ld\n"),
           file, x.rows);
    return GJ_EXIT_OK;
}
