/* What the butler typed into the Owners search box, classified (core/, pure).
 *
 * The box searches as the butler types, so every prefix of a useful query
 * is itself a sensible query. gj_search_classify decides what the text can
 * be; the repository (repo_search.h) looks each kind up by an index.
 *
 * The rules, after trimming spaces (also U+3000) and reading full-width
 * forms as ASCII (３－２－５０１ is 3-2-501, ＺＳ is zs):
 *
 *   ""                  nothing (kinds == 0)
 *   digits, 1 to 3      ROOM: rooms whose number starts with them, in any
 *                       building: "5" -> 5xx, 5xxx, 5xxxx; "50" -> 500-509,
 *                       5000-5099, 50000-50999; "501" -> 501 (the exact room
 *                       comes first), then 5010-5019, 50100-50199
 *   digits, 4           LAST4 (the last four digits of either phone) and
 *                       ROOM (exactly that room, e.g. 1201, in any building)
 *   digits, 5 to 10     PHONE_PREFIX: either phone starts with them
 *   digits, 11 or more  PHONE when they make a valid number (either phone,
 *                       exactly; archived persons included), else nothing
 *   0 + digits          a landline being typed: PHONE_PREFIX in the stored
 *                       form ("0101234" -> "010-1234"), plus LAST4 at 4
 *                       digits and PHONE once the number is complete
 *   unit codes          UNIT, whole or as typed so far:
 *                         "3-" "3栋" "3号楼"      building 3
 *                         "3-2" "3-2-" "3栋2单元"  building 3, entrance 2
 *                         "3-2-5" "3栋2单元5"      ... rooms starting with 5
 *                                                  (as for ROOM above)
 *                         "3-2-501" "3栋2单元501室" room 501 first, then
 *                                                  5010-5019, 50100-50199
 *                         "3-501" "3栋501"         building 3, any entrance,
 *                                                  rooms starting with 501
 *                       (a number after the building is an entrance when it
 *                       has 1 or 2 digits, a room when it has 3 to 5)
 *   digits with spaces, dashes, brackets or a leading +86 that are not a
 *   unit code ("138 0013 8000", "010-12345678", "+86 138"): PHONE when the
 *   whole number is valid, else PHONE_PREFIX of its digits
 *   ASCII letters       INITIALS: pinyin initials, as typed so far,
 *   (digits after the   lowercased, spaces dropped: "zs" and "ZS" find 张三;
 *   first letter ok)    every reading of a polyphonic character counts, so
 *                       "zs", "zd", "cs" and "cd" all find 曾单
 *   anything else       NAME: names starting with the text (Han characters,
 *                       mixed text); the exact name comes first
 *
 * What no record can hold gives kinds == 0, nothing to look up: a building
 * above 999 ("1000栋"), a room of more than 5 digits, more than 13 digits,
 * letters or a name longer than 64 characters, text that is not UTF-8.
 * (A number starting with 0 is never a building, entrance or room: "0..."
 * is a landline being typed.) */
#ifndef GUANJIA_SEARCH_H
#define GUANJIA_SEARCH_H

#include "guanjia/model.h"

enum gj_search_kind {
    GJ_SEARCH_UNIT = 1 << 0,         /* building [, entrance] [, rooms] */
    GJ_SEARCH_ROOM = 1 << 1,         /* rooms in any building */
    GJ_SEARCH_PHONE = 1 << 2,        /* a whole phone number, either phone */
    GJ_SEARCH_PHONE_PREFIX = 1 << 3, /* the start of either phone */
    GJ_SEARCH_LAST4 = 1 << 4,        /* the last four digits of either phone */
    GJ_SEARCH_INITIALS = 1 << 5,     /* the start of a pinyin-initials key */
    GJ_SEARCH_NAME = 1 << 6          /* the start of a name */
};

/* Room numbers lo..hi (inclusive). */
struct gj_search_rooms {
    int lo, hi;
};
#define GJ_SEARCH_ROOM_RANGES 3
#define GJ_SEARCH_LETTERS     (GJ_NAME_CHARS + 1)

struct gj_search_query {
    unsigned kinds; /* GJ_SEARCH_* bits; 0 = nothing can match */
    /* UNIT */
    int building; /* 1..999 */
    int entrance; /* 1..99, 0 = any entrance */
    /* UNIT and ROOM: the rooms to show, in this order (ascending, so an
     * exact room comes before the longer numbers that start with it). */
    int n_rooms;
    struct gj_search_rooms rooms[GJ_SEARCH_ROOM_RANGES];
    char room[8]; /* the room digits as typed ("" = any room) */
    /* LAST4: four digits; PHONE_PREFIX: the digits typed */
    char digits[16];
    /* PHONE: the canonical number; PHONE_PREFIX: the start of the stored
     * form ("13800", "010-1234") */
    char phone[GJ_PHONE_BYTES];
    char letters[GJ_SEARCH_LETTERS]; /* INITIALS: lowercase letters and digits */
    char text[GJ_NAME_BYTES];        /* NAME: the trimmed text */
};

/* Classifies typed (NULL is ""). Always fills *q (zeroed first); returns
 * q->kinds. */
unsigned gj_search_classify(const char *typed, struct gj_search_query *q);

#endif
