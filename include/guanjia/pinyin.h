/* Pinyin initials of Chinese names, for search (zs finds 张三). */
#ifndef GUANJIA_PINYIN_H
#define GUANJIA_PINYIN_H

#include <stddef.h>
#include <stdint.h>

/* The distinct initial letters of every Mandarin reading of cp, the most
 * common reading first (曾 -> "zc", 单 -> "ds"). Writes a NUL-terminated
 * string of lowercase letters into out and returns how many letters, or 0
 * when cp is not a Han character with a reading. */
size_t gj_pinyin_char_initials(uint32_t cp, char out[8]);

/* Primary initials of a string: each Han character gives its first
 * initial, ASCII letters and digits are kept (lowercased), everything else
 * is skipped. "张三" -> "zs", "王 小明" -> "wxm", "Lily王" -> "lilyw".
 * Always NUL-terminates; returns the length written. */
size_t gj_pinyin_initials(const char *utf8, char *out, size_t outsz);

/* Every combination of initials, for names with polyphonic characters,
 * separated by single spaces, the primary one first, at most 16
 * combinations: "曾单" -> "zd zs cd cs". Returns the length written. */
size_t gj_pinyin_keys(const char *utf8, char *out, size_t outsz);

#endif
