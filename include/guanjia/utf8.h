/* UTF-8 validation and display width (CJK takes two columns). */
#ifndef GUANJIA_UTF8_H
#define GUANJIA_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include "guanjia/error.h"

/* Decodes one code point from s (at most n bytes). Returns the number of
 * bytes used, or 0 for an invalid, overlong or truncated sequence or a
 * surrogate. */
size_t gj_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Writes cp as UTF-8 into out (4 bytes); returns the length or 0. */
size_t gj_utf8_encode(uint32_t cp, char out[4]);

/* True when the whole string is valid UTF-8. *bad_offset gets the byte
 * offset of the first bad byte when invalid (may be NULL). */
int gj_utf8_valid(const char *s, size_t n, size_t *bad_offset);

/* Number of code points. Invalid bytes count as one each. */
size_t gj_utf8_len(const char *s);

/* Display width of one code point: 0 for combining marks, 2 for East Asian
 * wide and fullwidth characters, 1 otherwise; -1 for control characters.
 * Does not depend on the process locale. */
int gj_cp_width(uint32_t cp);

/* Display width of a UTF-8 string (invalid bytes and controls count as 1). */
int gj_utf8_width(const char *s);

/* Copies at most max_cols columns of s into out (always NUL-terminated,
 * never splitting a character), returns the columns used. */
int gj_utf8_truncate(const char *s, int max_cols, char *out, size_t outsz);

/* Validates a text field: valid UTF-8, no control characters except
 * newline and tab when multiline, at most max_chars code points, and not
 * empty when required. The field name goes into the message. */
int gj_text_check(const char *s, const char *field, size_t max_chars, int required, int multiline,
                  struct gj_error *err);

/* For error messages: copies at most 40 bytes of s (at most n bytes are
 * read; reading stops at a NUL) into out, never splitting a character.
 * Control characters (C0, C1, DEL, bidi controls, line and paragraph
 * separators) and invalid bytes become '?', and "…" (U+2026) is appended
 * when s was cut. GJ_UTF8_EXCERPT_SZ bytes are always enough; a smaller out
 * is cut safely. A NULL s gives "". Returns out. */
#define GJ_UTF8_EXCERPT_SZ 48
const char *gj_utf8_excerpt(const char *s, size_t n, char *out, size_t outsz);

/* Whether s holds anything but blanks: spaces, tabs, newlines and the
 * full-width space U+3000 that Chinese input methods type. NULL: no. */
int gj_text_present(const char *s);

/* Copies src (NULL: "") into dst of dstsz bytes, cut at a character
 * boundary when it does not fit. */
void gj_text_copy(char *dst, size_t dstsz, const char *src);

#endif
