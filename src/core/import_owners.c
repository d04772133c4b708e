/* Owner lists in CSV: the columns and per-line checks (the header and the
 * blanks are import_common.c's). */
#include "guanjia/import_owners.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/phone.h"
#include "guanjia/rules_owners.h"
#include "guanjia/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ---------------------------------------------------------------- */

static const char *const names_en[GJ_OWNER_NCOLS] = {
    "unit", "name", "phone", "phone2", "relation", "area", "start date", "id_number", "notes"};
static const char *const names_zh[GJ_OWNER_NCOLS] = {
    "房号", "姓名", "电话", "电话2", "身份", "面积", "入住日期", "身份证号", "备注"};

/* Header keys, normalised (see struct gj_import_columns). */
static const char *const aliases[GJ_OWNER_NCOLS][GJ_IMPORT_ALIASES] = {
    [GJ_OWNER_UNIT] = {"房号", "房屋", "房间", "房间号", "房屋编号", "门牌号", "unit", "unitcode",
                       "room", NULL},
    [GJ_OWNER_NAME] = {"姓名", "名字", "name", "fullname", NULL},
    [GJ_OWNER_PHONE] = {"电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "phone",
                        "mobile", "tel", NULL},
    [GJ_OWNER_PHONE2] = {"电话2", "手机2", "备用电话", "其他电话", "phone2", "secondphone",
                         "mobile2", NULL},
    [GJ_OWNER_RELATION] = {"身份", "关系", "住户身份", "relation", NULL},
    [GJ_OWNER_AREA] = {"面积", "建筑面积", "area", NULL},
    [GJ_OWNER_START] = {"入住日期", "入住时间", "start", "startdate", "moveindate", "movein", NULL},
    [GJ_OWNER_ID_NUMBER] = {"身份证号", "身份证", "身份证号码", "idnumber", "idcard", NULL},
    [GJ_OWNER_NOTES] = {"备注", "notes", "note", "remarks", "remark", NULL},
};

static const int required[GJ_OWNER_NCOLS] = {
    [GJ_OWNER_UNIT] = 1, [GJ_OWNER_NAME] = 1, [GJ_OWNER_RELATION] = 1};

_Static_assert(GJ_OWNER_NCOLS <= GJ_IMPORT_MAX_COLS, "too many owner columns");

static const struct gj_import_columns owner_columns = {
    .ncols = GJ_OWNER_NCOLS,
    .nlisted = GJ_OWNER_NCOLS,
    .names_en = names_en,
    .names_zh = names_zh,
    .aliases = aliases,
    .required = required,
};

const char *gj_owner_col_name(enum gj_owner_col c, int zh)
{
    return gj_import_col_name(&owner_columns, (int)c, zh);
}

int gj_owner_header_map(struct gj_import_header *h, char *const *fields, size_t n, long line,
                        gj_import_report_fn report, void *ctx)
{
    return gj_import_header_map(h, &owner_columns, fields, n, line, report, ctx);
}

struct relation_word {
    const char *word, *code;
};
static const struct relation_word relation_words[] = {
    {"业主", "owner"},  {"owner", "owner"},     {"产权人", "owner"},  {"租户", "tenant"},
    {"租客", "tenant"}, {"承租人", "tenant"},   {"tenant", "tenant"}, {"家属", "family"},
    {"家人", "family"}, {"家庭成员", "family"}, {"family", "family"}, {NULL, NULL},
};

const char *gj_owner_relation_name(const char *code, int zh)
{
    if (strcmp(code, "owner") == 0)
        return zh ? "业主" : "owner";
    if (strcmp(code, "tenant") == 0)
        return zh ? "租户" : "tenant";
    if (strcmp(code, "family") == 0)
        return zh ? "家属" : "family";
    return code;
}

/* ---- values --------------------------------------------------------------- */

/* "1.38001E+10": a number a spreadsheet turned into floating point. */
static int looks_scientific(const char *s)
{
    const char *p = s;
    if (!isdigit((unsigned char)*p))
        return 0;
    while (isdigit((unsigned char)*p) || *p == '.')
        p++;
    if (*p != 'E' && *p != 'e')
        return 0;
    p++;
    if (*p == '+')
        p++;
    if (!isdigit((unsigned char)*p))
        return 0;
    while (isdigit((unsigned char)*p))
        p++;
    return *p == '\0';
}

int gj_area_parse(const char *s, int64_t *centi_m2, struct gj_error *err)
{
    char shown[GJ_UTF8_EXCERPT_SZ];
    gj_utf8_excerpt(s, strlen(s), shown, sizeof shown);
    const char *p = s;
    while (*p == ' ')
        p++;
    int64_t whole = 0;
    int digits = 0, decimals = 0, frac = 0;
    while (isdigit((unsigned char)*p)) {
        if (whole > 1000000)
            return gj_err(err, GJ_EINVAL, _("\"%s\": must be between 0.01 and 100,000 m²"), shown);
        whole = whole * 10 + (*p - '0');
        digits++;
        p++;
    }
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) {
            if (decimals == 2) {
                if (*p != '0')
                    return gj_err(err, GJ_EINVAL, _("\"%s\": at most 2 decimals"), shown);
            } else {
                frac = frac * 10 + (*p - '0');
                decimals++;
            }
            p++;
        }
    }
    while (*p == ' ')
        p++;
    /* A unit after the number. */
    static const char *const units[] = {"m²", "m2", "㎡", "平方米", "平米", "平", NULL};
    for (const char *const *u = units; *u; u++) {
        size_t k = strlen(*u);
        if (strncmp(p, *u, k) == 0) {
            p += k;
            break;
        }
    }
    while (*p == ' ')
        p++;
    if (digits == 0 || *p)
        return gj_err(err, GJ_EINVAL, _("\"%s\" is not an area in m² (e.g. 89.5)"), shown);
    while (decimals < 2) {
        frac *= 10;
        decimals++;
    }
    int64_t v = whole * 100 + frac;
    if (v < 1 || v > 10000000)
        return gj_err(err, GJ_EINVAL, _("\"%s\": must be between 0.01 and 100,000 m²"), shown);
    *centi_m2 = v;
    gj_err_clear(err);
    return GJ_OK;
}

/* The last date converted, with the TZ it was converted in: the lines of a
 * file mostly repeat one move-in date, and each conversion to local time
 * costs a look at the time zone file (mktime), which was a tenth of the
 * time of a large import. */
static struct {
    int set;
    char text[64], tz[128];
    int64_t at;
} last_date;

int gj_import_date_parse(const char *s, int64_t *out, struct gj_error *err)
{
    char buf[64];
    size_t n = strlen(s);
    if (n >= sizeof buf)
        return gj_parse_date(s, out, err);
    const char *tz = getenv("TZ");
    int tz_fits = !tz || strlen(tz) < sizeof last_date.tz;
    if (last_date.set && tz_fits && strcmp(last_date.text, s) == 0 &&
        strcmp(last_date.tz, tz ? tz : "") == 0) {
        if (out)
            *out = last_date.at;
        gj_err_clear(err);
        return GJ_OK;
    }
    memcpy(buf, s, n + 1);
    /* 2026/11/29 and 2026.11.29 as written in Chinese spreadsheets. */
    char *sep = strpbrk(buf, "/.");
    if (sep) {
        char c = *sep;
        for (char *p = buf; *p; p++)
            if (*p == c)
                *p = '-';
    }
    int64_t at = 0;
    int rc = gj_parse_date(buf, &at, err);
    if (rc == GJ_OK && out)
        *out = at;
    if (rc == GJ_OK && tz_fits) {
        last_date.set = 1;
        memcpy(last_date.text, s, n + 1);
        snprintf(last_date.tz, sizeof last_date.tz, "%s", tz ? tz : "");
        last_date.at = at;
    }
    return rc;
}

static int relation_code(const char *s, char *out, size_t outsz)
{
    char key[64];
    size_t i = 0;
    for (; s[i] && i + 1 < sizeof key; i++)
        key[i] = (char)tolower((unsigned char)s[i]);
    key[i] = '\0';
    for (const struct relation_word *w = relation_words; w->word; w++) {
        if (strcmp(key, w->word) == 0) {
            snprintf(out, outsz, "%s", w->code);
            return 1;
        }
    }
    return 0;
}

static int check_phone(struct gj_import_line *rc, enum gj_owner_col c, const char *v, char *out,
                       size_t outsz)
{
    struct gj_error e;
    char canon[32], msg[256], shown[GJ_UTF8_EXCERPT_SZ];
    if (looks_scientific(v)) {
        gj_utf8_excerpt(v, strlen(v), shown, sizeof shown);
        snprintf(msg, sizeof msg,
                 _("\"%s\" was rounded by a spreadsheet; format the column as text and save "
                   "again"),
                 shown);
        gj_import_problem(rc, c, msg);
        return 0;
    }
    if (gj_phone_normalize(v, canon, sizeof canon, NULL, &e) != GJ_OK) {
        gj_import_problem(rc, c, e.msg);
        return 0;
    }
    snprintf(out, outsz, "%s", canon);
    return 1;
}

static void check_id_number(struct gj_import_line *rc, const char *v, struct gj_person *p)
{
    char msg[256], shown[GJ_UTF8_EXCERPT_SZ];
    gj_utf8_excerpt(v, strlen(v), shown, sizeof shown);
    if (looks_scientific(v)) {
        snprintf(msg, sizeof msg,
                 _("\"%s\" was rounded by a spreadsheet; format the column as text and save "
                   "again"),
                 shown);
        gj_import_problem(rc, GJ_OWNER_ID_NUMBER, msg);
        return;
    }
    size_t n = strlen(v);
    if (n != 18) {
        snprintf(msg, sizeof msg, _("\"%s\": must be 18 characters (got %zu)"), shown,
                 gj_utf8_len(v));
        gj_import_problem(rc, GJ_OWNER_ID_NUMBER, msg);
        return;
    }
    /* The rules check the ID on a whole person: give it one. */
    struct gj_person *t = calloc(1, sizeof *t);
    if (!t) {
        gj_import_problem(rc, GJ_OWNER_ID_NUMBER, _("out of memory"));
        return;
    }
    snprintf(t->name, sizeof t->name, "%s", "x");
    memcpy(t->id_number, v, n + 1);
    struct gj_error e;
    if (gj_person_validate(t, &e) != GJ_OK)
        gj_import_problem(rc, GJ_OWNER_ID_NUMBER, e.msg);
    else
        memcpy(p->id_number, t->id_number, sizeof p->id_number);
    free(t);
}

int gj_owner_row_parse(const struct gj_import_header *h, char *const *fields, size_t n, long line,
                       struct gj_owner_row *out, gj_import_report_fn report, void *ctx)
{
    memset(out, 0, sizeof *out);
    out->line = line;
    struct gj_import_line rc;
    char *v[GJ_OWNER_NCOLS];
    if (gj_import_line_start(&rc, h, fields, n, line, report, ctx, v, GJ_OWNER_NCOLS) != GJ_OK)
        return GJ_ENOMEM;
    char msg[256];
    struct gj_error e;

    int unit_ok = 1;
    if (gj_unitcode_parse(v[GJ_OWNER_UNIT], &out->unit, &e) != GJ_OK) {
        gj_import_problem(&rc, GJ_OWNER_UNIT, e.msg);
        unit_ok = 0;
    }

    const char *label = gj_import_header_label(h, GJ_OWNER_NAME);
    if (gj_text_check(v[GJ_OWNER_NAME], label, GJ_NAME_CHARS, 1, 0, &e) != GJ_OK)
        gj_import_problem(&rc, GJ_OWNER_NAME, gj_import_without_label(e.msg, label));
    else
        snprintf(out->person.name, sizeof out->person.name, "%s", v[GJ_OWNER_NAME]);

    int phone_ok = 1, phone2_ok = 1;
    if (v[GJ_OWNER_PHONE][0])
        phone_ok = check_phone(&rc, GJ_OWNER_PHONE, v[GJ_OWNER_PHONE], out->person.phone,
                               sizeof out->person.phone);
    if (v[GJ_OWNER_PHONE2][0])
        phone2_ok = check_phone(&rc, GJ_OWNER_PHONE2, v[GJ_OWNER_PHONE2], out->person.phone2,
                                sizeof out->person.phone2);
    if (phone_ok && phone2_ok && out->person.phone2[0] &&
        strcmp(out->person.phone, out->person.phone2) == 0)
        gj_import_problem(&rc, GJ_OWNER_PHONE2, _("the same number as the first phone"));

    if (!v[GJ_OWNER_RELATION][0]) {
        gj_import_problem(&rc, GJ_OWNER_RELATION,
                          _("must not be empty: 业主/owner, 租户/tenant or 家属/family"));
    } else if (!relation_code(v[GJ_OWNER_RELATION], out->relation, sizeof out->relation)) {
        char shown[GJ_UTF8_EXCERPT_SZ];
        gj_utf8_excerpt(v[GJ_OWNER_RELATION], strlen(v[GJ_OWNER_RELATION]), shown, sizeof shown);
        snprintf(msg, sizeof msg, _("\"%s\": must be 业主/owner, 租户/tenant or 家属/family"),
                 shown);
        gj_import_problem(&rc, GJ_OWNER_RELATION, msg);
    }

    if (v[GJ_OWNER_AREA][0] && gj_area_parse(v[GJ_OWNER_AREA], &out->area_centi_m2, &e) != GJ_OK) {
        gj_import_problem(&rc, GJ_OWNER_AREA, e.msg);
        unit_ok = 0;
    }

    if (v[GJ_OWNER_START][0] &&
        gj_import_date_parse(v[GJ_OWNER_START], &out->start_at, &e) != GJ_OK)
        gj_import_problem(&rc, GJ_OWNER_START, e.msg);

    if (v[GJ_OWNER_ID_NUMBER][0])
        check_id_number(&rc, v[GJ_OWNER_ID_NUMBER], &out->person);

    label = gj_import_header_label(h, GJ_OWNER_NOTES);
    if (gj_text_check(v[GJ_OWNER_NOTES], label, GJ_NOTE_CHARS, 0, 1, &e) != GJ_OK)
        gj_import_problem(&rc, GJ_OWNER_NOTES, gj_import_without_label(e.msg, label));
    else
        snprintf(out->person.notes, sizeof out->person.notes, "%s", v[GJ_OWNER_NOTES]);

    gj_import_values_free(v, GJ_OWNER_NCOLS);
    out->unit_ok = unit_ok;
    if (rc.bad)
        return GJ_EINVAL;
    /* Everything checked: let the rules put the person in canonical form. */
    if (gj_person_validate(&out->person, &e) != GJ_OK) {
        report(ctx, line, "", e.msg);
        return GJ_EINVAL;
    }
    return GJ_OK;
}
