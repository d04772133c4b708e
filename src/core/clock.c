/* The one clock, local dates and months. */
#include "guanjia/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guanjia/i18n.h"
#include "guanjia/utf8.h"

#define YEAR_MIN 1900
#define YEAR_MAX 9999

struct cursor {
    const char *p, *end;
};

static void trim(struct cursor *c, const char *s)
{
    c->p = s ? s : "";
    c->end = c->p + strlen(c->p);
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
    while (c->end > c->p && (c->end[-1] == ' ' || c->end[-1] == '\t'))
        c->end--;
}

/* Reads min_digits..max_digits ASCII digits. */
static int take_number(struct cursor *c, int min_digits, int max_digits, int *v)
{
    int n = 0, value = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && n < max_digits) {
        value = value * 10 + (*c->p - '0');
        c->p++;
        n++;
    }
    *v = value;
    return n >= min_digits;
}

static int take_char(struct cursor *c, char ch)
{
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int gj_valid_date(int y, int m, int d)
{
    return y >= 1 && y <= YEAR_MAX && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

int gj_month_days(int yyyymm)
{
    return days_in(yyyymm / 100, yyyymm % 100);
}

/* Local time to epoch seconds; 0 when mktime cannot represent it. */
static int to_epoch(int y, int m, int d, int hh, int mi, int ss, int64_t *out)
{
    struct tm tm;
    time_t t;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = hh;
    tm.tm_min = mi;
    tm.tm_sec = ss;
    tm.tm_isdst = -1;
    tm.tm_wday = -1; /* mktime sets it on success; -1 is also a valid time */
    t = mktime(&tm);
    if (t == (time_t)-1 && tm.tm_wday == -1)
        return 0;
    *out = (int64_t)t;
    return 1;
}

enum shape { SHAPE_DATE, SHAPE_DATETIME };

/* Checks the fields of a parsed date and time and converts them. */
static int check_and_convert(const char *shown, int y, int m, int d, int hh, int mi, int ss,
                             int64_t *out, struct gj_error *err)
{
    int64_t t;
    if (y < YEAR_MIN || y > YEAR_MAX)
        return gj_err(err, GJ_EINVAL, _("\"%s\": the year must be %d to %d"), shown, YEAR_MIN,
                      YEAR_MAX);
    if (m < 1 || m > 12)
        return gj_err(err, GJ_EINVAL, _("\"%s\": there is no month %d (use 01 to 12)"), shown, m);
    if (!gj_valid_date(y, m, d))
        return gj_err(err, GJ_EINVAL, _("\"%s\" is not a real date: %04d-%02d has %d days"), shown,
                      y, m, days_in(y, m));
    if (hh > 23 || mi > 59 || ss > 59)
        return gj_err(err, GJ_EINVAL, _("\"%s\": the time must be between 00:00 and 23:59"), shown);
    if (!to_epoch(y, m, d, hh, mi, ss, &t))
        return gj_err(err, GJ_EINVAL, _("\"%s\" cannot be represented as a local time"), shown);
    if (out)
        *out = t;
    gj_err_clear(err);
    return GJ_OK;
}

static int parse(const char *s, enum shape shape, int64_t *out, struct gj_error *err)
{
    char shown[GJ_UTF8_EXCERPT_SZ];
    struct cursor c;
    int y, m, d, hh = 0, mi = 0, ss = 0, ok;

    trim(&c, s);
    gj_utf8_excerpt(c.p, (size_t)(c.end - c.p), shown, sizeof shown);
    ok = take_number(&c, 4, 4, &y) && take_char(&c, '-') && take_number(&c, 1, 2, &m) &&
         take_char(&c, '-') && take_number(&c, 1, 2, &d);
    if (ok && shape == SHAPE_DATETIME) {
        if (take_char(&c, 'T')) {
            ok = 1;
        } else {
            ok = take_char(&c, ' ');
            while (take_char(&c, ' '))
                ;
        }
        ok = ok && take_number(&c, 1, 2, &hh) && take_char(&c, ':') && take_number(&c, 2, 2, &mi);
        if (ok && take_char(&c, ':'))
            ok = take_number(&c, 2, 2, &ss);
    }
    if (!ok || c.p != c.end) {
        if (shape == SHAPE_DATE)
            return gj_err(err, GJ_EINVAL,
                          _("date \"%s\" is not valid (use YYYY-MM-DD, e.g. 2026-11-29)"), shown);
        return gj_err(err, GJ_EINVAL,
                      _("date and time \"%s\" is not valid (use YYYY-MM-DD HH:MM, e.g. 2026-11-29 "
                        "15:04)"),
                      shown);
    }
    return check_and_convert(shown, y, m, d, hh, mi, ss, out, err);
}

int gj_parse_datetime(const char *s, int64_t *out, struct gj_error *err)
{
    return parse(s, SHAPE_DATETIME, out, err);
}

int gj_parse_date(const char *s, int64_t *out, struct gj_error *err)
{
    return parse(s, SHAPE_DATE, out, err);
}

int gj_parse_month(const char *s, int *yyyymm, struct gj_error *err)
{
    char shown[GJ_UTF8_EXCERPT_SZ];
    struct cursor c;
    int y, m;

    trim(&c, s);
    gj_utf8_excerpt(c.p, (size_t)(c.end - c.p), shown, sizeof shown);
    if (!take_number(&c, 4, 4, &y) || !take_char(&c, '-') || !take_number(&c, 1, 2, &m) ||
        c.p != c.end)
        return gj_err(err, GJ_EINVAL, _("month \"%s\" is not valid (use YYYY-MM, e.g. 2026-11)"),
                      shown);
    if (y < YEAR_MIN || y > YEAR_MAX)
        return gj_err(err, GJ_EINVAL, _("\"%s\": the year must be %d to %d"), shown, YEAR_MIN,
                      YEAR_MAX);
    if (m < 1 || m > 12)
        return gj_err(err, GJ_EINVAL, _("\"%s\": there is no month %d (use 01 to 12)"), shown, m);
    if (yyyymm)
        *yyyymm = y * 100 + m;
    gj_err_clear(err);
    return GJ_OK;
}

/* GUANJIA_NOW, or NULL when unset or empty. */
static const char *fixed_now(void)
{
    const char *e = getenv("GUANJIA_NOW");
    return e && *e ? e : NULL;
}

int64_t gj_now(void)
{
    /* Read on every call: tests and scripts change it while running. */
    const char *e = fixed_now();
    int64_t t;
    if (e && gj_parse_datetime(e, &t, NULL) == GJ_OK)
        return t;
    return (int64_t)time(NULL);
}

int gj_clock_check(struct gj_error *err)
{
    char shown[GJ_UTF8_EXCERPT_SZ];
    const char *e = fixed_now();
    if (e && gj_parse_datetime(e, NULL, NULL) != GJ_OK)
        return gj_err(err, GJ_EINVAL,
                      _("GUANJIA_NOW=\"%s\" is not a valid local time (use YYYY-MM-DDTHH:MM[:SS], "
                        "e.g. 2026-11-29T15:04); correct it or unset it"),
                      gj_utf8_excerpt(e, strlen(e), shown, sizeof shown));
    gj_err_clear(err);
    return GJ_OK;
}

int gj_month_add(int yyyymm, int n)
{
    long long idx = (long long)(yyyymm / 100) * 12 + (yyyymm % 100 - 1) + n;
    long long y = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
    long long m = idx - y * 12 + 1;
    return (int)(y * 100 + m);
}

static int local_tm(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    return localtime_r(&tt, tm) != NULL;
}

int gj_month_of(int64_t t)
{
    struct tm tm;
    if (!local_tm(t, &tm))
        return 0;
    return (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
}

int64_t gj_day_start(int64_t t)
{
    struct tm tm;
    int64_t start = 0;
    if (!local_tm(t, &tm) ||
        !to_epoch(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, 0, 0, 0, &start))
        return t;
    return start;
}

int64_t gj_month_start(int yyyymm)
{
    int64_t t = 0;
    /* mktime normalises a month outside 1..12 into the next or previous year. */
    if (!to_epoch(yyyymm / 100, yyyymm % 100, 1, 0, 0, 0, &t))
        return 0;
    return t;
}

void gj_format_datetime(int64_t t, char *out, size_t outsz)
{
    struct tm tm;
    if (!out || outsz == 0)
        return;
    if (!local_tm(t, &tm)) {
        out[0] = '\0';
        return;
    }
    snprintf(out, outsz, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min);
}

void gj_format_date(int64_t t, char *out, size_t outsz)
{
    struct tm tm;
    if (!out || outsz == 0)
        return;
    if (!local_tm(t, &tm)) {
        out[0] = '\0';
        return;
    }
    snprintf(out, outsz, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void gj_format_month(int yyyymm, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return;
    snprintf(out, outsz, "%04d-%02d", yyyymm / 100, yyyymm % 100);
}
