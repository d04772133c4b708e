/* The one clock. GUANJIA_NOW=YYYY-MM-DDTHH:MM[:SS] (local time) fixes it. */
#ifndef GUANJIA_CLOCK_H
#define GUANJIA_CLOCK_H

#include <stdint.h>
#include <stddef.h>
#include "guanjia/error.h"

/* Current time as UTC epoch seconds, or the fixed GUANJIA_NOW. If
 * GUANJIA_NOW is set but malformed, the real time is used and
 * gj_clock_check() reports it. */
int64_t gj_now(void);

/* Validates GUANJIA_NOW if set. GJ_OK when unset or valid. */
int gj_clock_check(struct gj_error *err);

/* Parses local "YYYY-MM-DDTHH:MM[:SS]" (also with a space instead of T).
 * Rejects impossible dates such as 2026-02-30. */
int gj_parse_datetime(const char *s, int64_t *out, struct gj_error *err);

/* Parses a local date "YYYY-MM-DD" to the epoch second of its local midnight. */
int gj_parse_date(const char *s, int64_t *out, struct gj_error *err);

/* Parses a month "YYYY-MM" into yyyymm (e.g. 202611). */
int gj_parse_month(const char *s, int *yyyymm, struct gj_error *err);

/* yyyymm arithmetic: add n months (n may be negative). */
int gj_month_add(int yyyymm, int n);
/* The yyyymm that contains epoch second t, in local time. */
int gj_month_of(int64_t t);
/* Local midnight at the start of the day of t. */
int64_t gj_day_start(int64_t t);
/* Local midnight of the first day of month yyyymm. */
int64_t gj_month_start(int yyyymm);
/* Number of days in month yyyymm. */
int gj_month_days(int yyyymm);
/* True when y-m-d is a real calendar date. */
int gj_valid_date(int y, int m, int d);

/* Formats t as local time. Buffers of 32 bytes are always enough. */
void gj_format_datetime(int64_t t, char *out, size_t outsz); /* 2026-11-29 15:04 */
void gj_format_date(int64_t t, char *out, size_t outsz);     /* 2026-11-29 */
void gj_format_month(int yyyymm, char *out, size_t outsz);   /* 2026-11 */

#endif
