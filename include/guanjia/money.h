/* Money is an integer number of fen (1 yuan = 100 fen). Never a float. */
#ifndef GUANJIA_MONEY_H
#define GUANJIA_MONEY_H

#include <stdint.h>
#include <stddef.h>
#include "guanjia/error.h"

/* Largest amount accepted anywhere: 99,999,999,999.99 yuan. */
#define GJ_MONEY_MAX INT64_C(9999999999999)

enum gj_money_flags { GJ_MONEY_ALLOW_NEGATIVE = 1 << 0, GJ_MONEY_ALLOW_ZERO = 1 << 1 };

/* Parses "1234.56", "1,234.56", "¥1,234.56", "￥12", "12.5", "-3.00" (only
 * with GJ_MONEY_ALLOW_NEGATIVE). Rejects "1.234", "abc", "", "1,23.4",
 * more than two decimals, and amounts above GJ_MONEY_MAX. Zero is refused
 * unless GJ_MONEY_ALLOW_ZERO. The field name goes into the message. */
int gj_money_parse(const char *s, unsigned flags, const char *field, int64_t *fen,
                   struct gj_error *err);

/* "¥1,234.56" or "-¥1,234.56". 32 bytes are always enough. */
void gj_money_format(int64_t fen, char *out, size_t outsz);
/* "1234.56" without symbol or separators (for CSV and forms). */
void gj_money_format_plain(int64_t fen, char *out, size_t outsz);

/* The amount in words (大写) as written on a Chinese receipt or notice:
 * 壹贰叁肆伍陆柒捌玖, 拾佰仟, 万, 亿, 元角分. "整" ends an amount without
 * jiao and fen and nothing else (12345 -> 壹佰贰拾叁元肆角伍分, 10050 ->
 * 壹佰元伍角, 10000 -> 壹佰元整, 0 -> 零元整, 1 -> 壹分). One 零 stands for a
 * run of zeros inside the yuan (100405 -> 壹仟零肆元零伍分, 1001000 ->
 * 壹万零壹拾元整) and for a zero jiao before the fen (壹佰元零伍分); it is
 * left out where the standard allows, before a nonzero jiao (100050 ->
 * 壹仟元伍角) and after a 万 or 亿 whose next place is filled
 * (1000100000 -> 壹仟万壹仟元整). Negative amounts start with "负".
 * Returns GJ_OK, or GJ_EINVAL when |fen| > GJ_MONEY_MAX or out cannot hold
 * the words (out then holds "" if outsz > 0). GJ_MONEY_CHINESE_SZ bytes
 * are always enough. */
#define GJ_MONEY_CHINESE_SZ 128
int gj_money_chinese(int64_t fen, char *out, size_t outsz);

#endif
