/* guanjia export owners FILE: every current link of a person to a unit as
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
#include "guanjia/import_owners.h"
#include "guanjia/repo_complaint_stats.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/unitcode.h"

#include <errno.h>
#include <fcntl.h>
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

struct exporter {
    struct gj_db *db;
    FILE *f;
    int zh;
    long rows;
    struct gj_csv_buf buf;
    struct gj_unit_person *links;
    struct gj_person person;
};

static int flush_buf(struct exporter *x, struct gj_error *err)
{
    if (x->buf.len && fwrite(x->buf.data, 1, x->buf.len, x->f) != x->buf.len)
        return gj_err(err, GJ_EIO, "%s", strerror(errno));
    x->buf.len = 0;
    return GJ_OK;
}

static int export_unit(struct exporter *x, const struct gj_unit *u, struct gj_error *err)
{
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
        if ((rc = gj_csv_format_record(&x->buf, fields, GJ_OWNER_NCOLS, err)) != GJ_OK)
            return rc;
        x->rows++;
    }
    return x->buf.len >= 65536 ? flush_buf(x, err) : GJ_OK;
}

static int export_all(struct exporter *x, struct gj_error *err)
{
    const char *header[GJ_OWNER_NCOLS];
    for (int c = 0; c < GJ_OWNER_NCOLS; c++)
        header[c] = gj_owner_col_name(c, x->zh);
    int rc = gj_csv_format_record(&x->buf, header, GJ_OWNER_NCOLS, err);
    if (rc != GJ_OK)
        return rc;
    struct gj_unit *units = calloc(UNIT_PAGE, sizeof *units);
    if (!units)
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    /* One snapshot: pages read while others write still fit together. */
    rc = gj_db_begin_read(x->db, err);
    if (rc != GJ_OK) {
        free(units);
        return rc;
    }
    struct gj_unit_key after, *ap = NULL;
    for (;;) {
        int n = 0;
        rc = gj_units_list(x->db, ap, UNIT_PAGE, units, &n, err);
        for (int i = 0; rc == GJ_OK && i < n; i++)
            rc = export_unit(x, &units[i], err);
        if (rc != GJ_OK || n < UNIT_PAGE)
            break;
        after =
            (struct gj_unit_key){units[n - 1].building, units[n - 1].entrance, units[n - 1].room};
        ap = &after;
    }
    gj_db_rollback(x->db); /* ends the read */
    free(units);
    return rc == GJ_OK ? flush_buf(x, err) : rc;
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
    int rc = gj_csv_format_record(&x->buf, x->zh ? zh : en, WO_NCOLS, err);
    struct gj_work_order *rows = calloc(WO_PAGE, sizeof *rows);
    if (!rows)
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    if (rc == GJ_OK)
        rc = gj_db_begin_read(x->db, err); /* one snapshot */
    int64_t after = 0;
    while (rc == GJ_OK) {
        int n = 0;
        rc = gj_wo_list_all(x->db, after, WO_PAGE, rows, &n, err);
        for (int i = 0; rc == GJ_OK && i < n; i++) {
            const struct gj_work_order *w = &rows[i];
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
                id,   unit,  w->channel, w->category, w->priority, w->state, w->description,
                t[0], t[1],  t[2],       t[3],        t[4],        t[5],     dept,
                sat,  chased};
            rc = gj_csv_format_record(&x->buf, fields, WO_NCOLS, err);
            x->rows++;
            if (rc == GJ_OK && x->buf.len >= 65536)
                rc = flush_buf(x, err);
        }
        if (rc != GJ_OK || n < WO_PAGE)
            break;
        after = rows[n - 1].id;
    }
    if (x->db)
        gj_db_rollback(x->db); /* ends the read */
    free(rows);
    return rc == GJ_OK ? flush_buf(x, err) : rc;
}

/* guanjia export complaints FILE: every complaint with its closed-loop
 * times, one line each by number, codes as stored, times local like the
 * work-order export. Read a page at a time in one snapshot. */
#define C_PAGE 16
enum { C_NCOLS = 20 };

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
    int rc = gj_csv_format_record(&x->buf, x->zh ? zh : en, C_NCOLS, err);
    struct gj_complaint_export_row *rows = calloc(C_PAGE, sizeof *rows);
    if (!rows)
        return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
    if (rc == GJ_OK)
        rc = gj_db_begin_read(x->db, err); /* one snapshot */
    int in_read = rc == GJ_OK;
    int64_t after = 0;
    while (rc == GJ_OK) {
        int n = 0;
        rc = gj_complaint_export_page(x->db, after, C_PAGE, rows, &n, err);
        for (int i = 0; rc == GJ_OK && i < n; i++) {
            const struct gj_complaint_export_row *r = &rows[i];
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
            const char *fields[C_NCOLS] = {
                id,       r->unit_code, r->owner_name, r->channel,    r->category,
                r->grade, level,        r->state,      r->subject,    r->detail,
                t[0],     t[1],         t[2],          t[3],          t[4],
                t[5],     t[6],         sat,           r->root_cause, r->corrective_action};
            rc = gj_csv_format_record(&x->buf, fields, C_NCOLS, err);
            if (rc == GJ_OK)
                x->rows++;
            if (rc == GJ_OK && x->buf.len >= 65536)
                rc = flush_buf(x, err);
        }
        if (rc != GJ_OK || n < C_PAGE)
            break;
        after = rows[n - 1].id;
    }
    if (in_read)
        gj_db_rollback(x->db); /* ends the read */
    free(rows);
    return rc == GJ_OK ? flush_buf(x, err) : rc;
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

int gj_cmd_export(struct gj_cli *cli)
{
    if (cli->argc < 2)
        return gj_cli_usage(
            cli, _("needs what to export (owners, workorders or complaints) and the file"));
    int (*export_what)(struct exporter *, struct gj_error *) = NULL;
    if (strcmp(cli->argv[1], "owners") == 0)
        export_what = export_all;
    else if (strcmp(cli->argv[1], "workorders") == 0)
        export_what = export_workorders;
    else if (strcmp(cli->argv[1], "complaints") == 0)
        export_what = export_complaints;
    else
        return gj_cli_usage(cli, _("owners, workorders or complaints can be exported"));
    if (cli->argc != 3 || (cli->argv[2][0] == '-' && cli->argv[2][1]))
        return gj_cli_usage(cli, _("needs the CSV file to write"));
    const char *file = cli->argv[2];

    struct gj_error err;
    struct gj_db *db = NULL;
    if (gj_db_open(cli->db_path, GJ_DB_READONLY, &db, &err) != GJ_OK)
        return gj_cli_fail_err(_("export"), &err);

    char tmp[4200];
    int w = snprintf(tmp, sizeof tmp, "%s.XXXXXX", file);
    if (w < 0 || (size_t)w >= sizeof tmp) {
        gj_db_close(db);
        return gj_cli_fail(_("export"), _("the path is too long"));
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        gj_db_close(db);
        char why[4400];
        snprintf(why, sizeof why, "%s: %s", file, strerror(e));
        return gj_cli_fail(_("export"), why);
    }
    struct exporter x;
    memset(&x, 0, sizeof x);
    x.db = db;
    x.zh = header_zh();
    x.f = fdopen(fd, "wb");
    x.links = calloc(LINKS_MAX, sizeof *x.links);
    int rc;
    if (!x.f || !x.links) {
        rc = gj_err(&err, GJ_ENOMEM, "%s", _("out of memory"));
    } else if (fputs("\xEF\xBB\xBF", x.f) == EOF) {
        rc = gj_err(&err, GJ_EIO, "%s", strerror(errno));
    } else {
        rc = export_what(&x, &err);
    }
    if (rc == GJ_OK && (fflush(x.f) != 0 || fsync(fileno(x.f)) != 0))
        rc = gj_err(&err, GJ_EIO, "%s", strerror(errno));
    if (x.f) {
        if (fclose(x.f) != 0 && rc == GJ_OK)
            rc = gj_err(&err, GJ_EIO, "%s", strerror(errno));
    } else {
        close(fd);
    }
    if (rc == GJ_OK && rename(tmp, file) != 0)
        rc = gj_err(&err, GJ_EIO, "%s", strerror(errno));
    gj_csv_buf_free(&x.buf);
    free(x.links);
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
                                              : _("%s: complaints written: %ld\n"),
           file, x.rows);
    return GJ_EXIT_OK;
}
