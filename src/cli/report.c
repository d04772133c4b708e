/* guanjia report NAME [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format text|csv]
 *
 * Prints one of the management reports (repo_reports.h) for the days from
 * --from to --to, both included (local dates). Without them: the current
 * month so far, from its first day to now. --from alone runs to now; --to
 * alone starts on the first day of its month.
 *
 * text (the default): the title, the range, then each table lined up by
 * display width with its bar chart and sparkline, drawn in Unicode blocks
 * when the locale's character set is UTF-8 (LC_ALL, else LC_CTYPE, else
 * LANG) and in ASCII otherwise; colour and terminals play no part.
 * csv: every table one after another -- a line with its title, a line with
 * the column names, then its rows -- through the project's CSV writer
 * (CRLF, quoted where needed), UTF-8 without a BOM, to standard output.
 *
 * Exit status 2 for a report name that is not one (the names are listed),
 * a date that is not one (it says which option), or an empty range. */
#include "cli.h"

#include "guanjia/charts.h"
#include "guanjia/clock.h"
#include "guanjia/csv.h"
#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BAR_WIDTH 20
#define DAY       INT64_C(86400)

/* Whether the locale's character set is UTF-8, as the environment names
 * it: the first of LC_ALL, LC_CTYPE and LANG that is set ("C.UTF-8",
 * "zh_CN.utf8"); none set is the C locale, which is ASCII. */
static int locale_utf8(void)
{
    const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v)
            continue;
        const char *dot = strchr(v, '.');
        if (!dot)
            return 0;
        char cs[16];
        size_t n = 0;
        for (const char *p = dot + 1; *p && *p != '@' && n + 1 < sizeof cs; p++)
            if (*p != '-' && *p != '_')
                cs[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        cs[n] = '\0';
        return strcmp(cs, "utf8") == 0;
    }
    return 0;
}

static void list_names(char *out, size_t outsz)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; gj_report_names[i] && len < outsz; i++)
        len += (size_t)snprintf(out + len, outsz - len, "%s%s", i ? ", " : "", gj_report_names[i]);
}

/* The value of option opt at argv[*i] ("--from X" or "--from=X"), moving
 * *i past it; NULL when argv[*i] is not that option. *missing is set when
 * the option has no value. */
static const char *option(struct gj_cli *cli, int *i, const char *opt, int *missing)
{
    const char *a = cli->argv[*i];
    size_t n = strlen(opt);
    if (strncmp(a, opt, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= cli->argc) {
        *missing = 1;
        return NULL;
    }
    return cli->argv[++*i];
}

static int write_text(const struct gj_report *r, FILE *f, struct gj_error *err)
{
    char from[32], to[32];
    gj_format_date(r->from, from, sizeof from);
    gj_format_date(r->to - 1, to, sizeof to);
    fprintf(f, "%s\n", r->title);
    fprintf(f, _("From %s to %s"), from, to);
    fputc('\n', f);
    int unicode = locale_utf8();
    for (int i = 0; i < r->n_tables; i++) {
        char *text = NULL;
        int rc = gj_report_table_text(&r->tables[i], BAR_WIDTH, unicode, &text, err);
        if (rc != GJ_OK)
            return rc;
        fputc('\n', f);
        fputs(text, f);
        free(text);
    }
    return GJ_OK;
}

static int write_csv(const struct gj_report *r, FILE *f, struct gj_error *err)
{
    struct gj_csv_buf b = {0};
    int rc = GJ_OK;
    for (int i = 0; i < r->n_tables && rc == GJ_OK; i++) {
        const struct gj_report_table *t = &r->tables[i];
        const char *fields[GJ_REPORT_MAX_COLS];
        fields[0] = t->title;
        rc = gj_csv_format_record(&b, fields, 1, err);
        for (int c = 0; c < t->n_cols; c++)
            fields[c] = t->cols[c];
        if (rc == GJ_OK)
            rc = gj_csv_format_record(&b, fields, (size_t)t->n_cols, err);
        char cells[GJ_REPORT_MAX_COLS][128];
        for (int row = 0; row < t->n_rows && rc == GJ_OK; row++) {
            for (int c = 0; c < t->n_cols; c++) {
                gj_report_cell_format(&t->cells[row][c], 1, cells[c], sizeof cells[c]);
                fields[c] = cells[c];
            }
            rc = gj_csv_format_record(&b, fields, (size_t)t->n_cols, err);
        }
    }
    if (rc == GJ_OK && b.len && fwrite(b.data, 1, b.len, f) != b.len)
        rc = gj_err(err, GJ_EIO, "%s", _("could not write to standard output"));
    gj_csv_buf_free(&b);
    return rc;
}

int gj_cmd_report(struct gj_cli *cli)
{
    const char *name = NULL, *from_s = NULL, *to_s = NULL, *format = "text";
    char names[128];
    list_names(names, sizeof names);
    for (int i = 1; i < cli->argc; i++) {
        int missing = 0;
        const char *v;
        if ((v = option(cli, &i, "--from", &missing)) != NULL)
            from_s = v;
        else if ((v = option(cli, &i, "--to", &missing)) != NULL)
            to_s = v;
        else if ((v = option(cli, &i, "--format", &missing)) != NULL)
            format = v;
        else if (missing) {
            char msg[128];
            snprintf(msg, sizeof msg, _("%s: needs a value"), cli->argv[i]);
            return gj_cli_usage(cli, msg);
        } else if (cli->argv[i][0] == '-' && cli->argv[i][1] != '\0') {
            char msg[160];
            snprintf(msg, sizeof msg, _("%s: unknown option"), cli->argv[i]);
            return gj_cli_usage(cli, msg);
        } else if (name) {
            return gj_cli_usage(cli, _("takes one report name"));
        } else {
            name = cli->argv[i];
        }
    }
    char msg[600];
    if (!name) {
        snprintf(msg, sizeof msg, _("needs the report's name: %s"), names);
        return gj_cli_usage(cli, msg);
    }
    if (!gj_report_title(name)) {
        snprintf(msg, sizeof msg, _("\"%s\" is not a report; the reports are: %s"), name, names);
        fprintf(stderr, "guanjia: report: %s\n", msg);
        return GJ_EXIT_USAGE;
    }
    int csv = strcmp(format, "csv") == 0;
    if (!csv && strcmp(format, "text") != 0) {
        snprintf(msg, sizeof msg, _("--format: must be text or csv (got \"%s\")"), format);
        return gj_cli_usage(cli, msg);
    }

    struct gj_error err;
    int64_t now = gj_now(), from = 0, to = 0, last_day = 0;
    if (from_s && gj_parse_date(from_s, &from, &err) != GJ_OK) {
        snprintf(msg, sizeof msg, "--from: %s", err.msg);
        fprintf(stderr, "guanjia: report: %s\n", msg);
        return GJ_EXIT_USAGE;
    }
    if (to_s && gj_parse_date(to_s, &last_day, &err) != GJ_OK) {
        snprintf(msg, sizeof msg, "--to: %s", err.msg);
        fprintf(stderr, "guanjia: report: %s\n", msg);
        return GJ_EXIT_USAGE;
    }
    /* --to names the last day: the range ends at the next midnight (a
     * day of 23 or 25 hours included). */
    to = to_s ? gj_day_start(last_day + DAY + 3 * 3600) : now + 1;
    if (!from_s)
        from = gj_month_start(gj_month_of(to_s ? last_day : now));
    if (to <= from) {
        fprintf(stderr, "guanjia: report: %s\n",
                to_s ? _("--to: the last day comes before --from")
                     : _("--from: the first day is after today"));
        return GJ_EXIT_USAGE;
    }

    struct gj_db *db = NULL;
    if (gj_db_open(cli->db_path, GJ_DB_READONLY, &db, &err) != GJ_OK)
        return gj_cli_fail_err(_("report"), &err);
    struct gj_report *r = malloc(sizeof *r);
    if (!r) {
        gj_db_close(db);
        return gj_cli_fail(_("report"), _("out of memory"));
    }
    int rc = gj_report_run(db, name, from, to, now, r, &err);
    gj_db_close(db);
    if (rc == GJ_OK)
        rc = csv ? write_csv(r, stdout, &err) : write_text(r, stdout, &err);
    free(r);
    if (rc == GJ_OK && fflush(stdout) != 0)
        rc = gj_err(&err, GJ_EIO, "%s", _("could not write to standard output"));
    if (rc == GJ_EINVAL) {
        fprintf(stderr, "guanjia: report: %s\n", err.msg);
        return GJ_EXIT_USAGE;
    }
    if (rc != GJ_OK)
        return gj_cli_fail_err(_("report"), &err);
    return GJ_EXIT_OK;
}
