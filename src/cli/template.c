/* guanjia template notice [show | set FILE | reset] [--lang zh_CN|en]: the
 * wording of the dunning notice (催缴通知书), one per language, kept in the
 * settings notice.template.zh_CN and notice.template.en.
 *
 * show prints the saved template, or our default when there is none; set
 * reads a UTF-8 file ("-": standard input), checks it (placeholders, at
 * most 1000 characters) and saves it; reset saves the default text again.
 * Without --lang the language of messages decides. A UTF-8 BOM and CRLF
 * line ends (Windows editors) are accepted; the newlines at the end are
 * not kept, show prints one. */
#include "cli.h"

#include "guanjia/db.h"
#include "guanjia/documents.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_settings.h"
#include "guanjia/rules_people.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Far more than 1000 characters of 4 bytes: a bigger file is not a template. */
#define TEMPLATE_FILE_MAX 16384

/* Chinese when messages are in Chinese (see export.c's header_zh). */
static int ui_zh(void)
{
    const char *loc = setlocale(LC_MESSAGES, NULL);
    if (!loc || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0)
        return 0;
    const char *language = getenv("LANGUAGE");
    if (language && *language)
        return strncmp(language, "zh", 2) == 0;
    return strncmp(loc, "zh", 2) == 0;
}

/* Reads FILE ("-": stdin) into out (NUL-terminated), without a BOM, with
 * CRLF as LF and without the newlines at the end. */
static int read_template(const char *file, char *out, size_t outsz, struct gj_error *err)
{
    int is_stdin = strcmp(file, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(file, "rb");
    if (!f)
        return gj_err(err, GJ_EIO, "%s: %s", file, gj_cli_errno_text(errno));
    size_t n = fread(out, 1, outsz - 1, f);
    int bad_read = ferror(f), too_big = n == outsz - 1 && fgetc(f) != EOF;
    if (!is_stdin)
        fclose(f);
    if (bad_read)
        return gj_err(err, GJ_EIO, _("%s: cannot be read"), file);
    if (too_big)
        return gj_err(err, GJ_EINVAL, _("%s: too large for a template (at most 1000 characters)"),
                      file);
    out[n] = '\0';
    if (memchr(out, '\0', n))
        return gj_err(err, GJ_EINVAL, _("%s: not a text file (it holds a NUL byte)"), file);
    char *p = out, *q = out;
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    for (; *p; p++)
        if (!(p[0] == '\r' && p[1] == '\n'))
            *q++ = *p;
    while (q > out && q[-1] == '\n')
        q--;
    *q = '\0';
    return GJ_OK;
}

/* Saves value under key unless it is there already; *changed says which. */
static int save(struct gj_db *db, const char *key, const char *value, int *changed,
                struct gj_error *err)
{
    struct gj_setting cur;
    int64_t version = 0;
    int rc = gj_setting_get(db, key, &cur, err);
    if (rc == GJ_OK)
        version = cur.meta.version;
    else if (rc != GJ_ENOTFOUND)
        return rc;
    *changed = !(rc == GJ_OK && strcmp(cur.value, value) == 0);
    return *changed ? gj_setting_set(db, 0, key, value, version, err) : GJ_OK;
}

int gj_cmd_template(struct gj_cli *cli)
{
    const char *pos[4] = {NULL, NULL, NULL, NULL}, *lang = NULL;
    int npos = 0;
    for (int i = 1; i < cli->argc; i++) {
        const char *a = cli->argv[i];
        if (strcmp(a, "--lang") == 0) {
            if (i + 1 >= cli->argc)
                return gj_cli_usage(cli, _("--lang needs zh_CN or en"));
            lang = cli->argv[++i];
        } else if (strncmp(a, "--lang=", 7) == 0) {
            lang = a + 7;
        } else if (a[0] == '-' && a[1]) {
            return gj_cli_usage(cli, _("unknown option"));
        } else if (npos < 4) {
            pos[npos++] = a;
        } else {
            return gj_cli_usage(cli, _("too many arguments"));
        }
    }
    if (npos < 1 || strcmp(pos[0], "notice") != 0)
        return gj_cli_usage(cli, _("only the notice template can be shown or changed"));
    const char *verb = npos > 1 ? pos[1] : "show";
    int show = strcmp(verb, "show") == 0, set = strcmp(verb, "set") == 0,
        reset = strcmp(verb, "reset") == 0;
    if (!(show && npos <= 2) && !(set && npos == 3) && !(reset && npos == 2))
        return gj_cli_usage(cli, _("show, set FILE or reset"));
    if (lang && strcmp(lang, "zh_CN") != 0 && strcmp(lang, "en") != 0)
        return gj_cli_usage(cli, _("--lang must be zh_CN or en"));
    int zh = lang ? strcmp(lang, "zh_CN") == 0 : ui_zh();
    const char *key = zh ? "notice.template.zh_CN" : "notice.template.en";
    const char *lang_name = zh ? "zh_CN" : "en";

    struct gj_error err;
    struct gj_db *db = NULL;
    int rc;
    if (show) {
        if (gj_db_open(cli->db_path, GJ_DB_READONLY, &db, &err) != GJ_OK)
            return gj_cli_fail_err("template", &err);
        struct gj_setting s;
        const char *text = gj_notice_default_template(zh);
        rc = gj_setting_get(db, key, &s, &err);
        if (rc == GJ_OK)
            text = s.value;
        else if (rc == GJ_ENOTFOUND)
            rc = GJ_OK;
        if (rc == GJ_OK) {
            size_t n = strlen(text);
            fputs(text, stdout);
            if (n == 0 || text[n - 1] != '\n')
                fputc('\n', stdout);
        }
        gj_db_close(db);
        return rc == GJ_OK ? GJ_EXIT_OK : gj_cli_fail_err("template", &err);
    }

    static char text[TEMPLATE_FILE_MAX];
    if (set) {
        const char *file = pos[2];
        rc = read_template(file, text, sizeof text, &err);
        if (rc == GJ_OK && gj_setting_value_validate(key, text, &err) != GJ_OK) {
            char why[sizeof err.msg + 600];
            snprintf(why, sizeof why, _("%s: %s (the template was not changed)"), file, err.msg);
            return gj_cli_fail("template", why);
        }
        if (rc != GJ_OK)
            return gj_cli_fail_err("template", &err);
    } else {
        snprintf(text, sizeof text, "%s", gj_notice_default_template(zh));
    }
    if (gj_db_open(cli->db_path, 0, &db, &err) != GJ_OK)
        return gj_cli_fail_err("template", &err);
    int changed = 0;
    rc = save(db, key, text, &changed, &err);
    gj_db_close(db);
    if (rc != GJ_OK)
        return gj_cli_fail_err("template", &err);
    if (reset)
        printf(_("The notice template (%s) is the default again.\n"), lang_name);
    else if (changed)
        printf(_("Saved the notice template (%s).\n"), lang_name);
    else
        printf(_("The notice template (%s) is unchanged.\n"), lang_name);
    return GJ_EXIT_OK;
}
