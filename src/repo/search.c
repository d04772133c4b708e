/* The Owners screen's search: (unit, person) rows for a classified query.
 *
 * Every statement starts from an index: a unit code or room range, a phone
 * (or its last four digits, by the generated columns), a name range, or a
 * range of person_search_keys (schema v2). It then joins by primary key or
 * by the link indexes. Statements are ordered by what their index yields
 * first (room, phone, key, name), so SQLite sorts only the rows that share
 * it ("USE TEMP B-TREE FOR RIGHT PART OF ORDER BY") and stepping stops when
 * the page is full, however many rows match a short prefix. */
#include "guanjia/repo_search.h"

#include "db_internal.h"
#include "guanjia/i18n.h"

#include <string.h>

/* Result columns, the same in every statement:
 *   1 unit id, 2 building, 3 entrance, 4 room, 5 person id, 6 name,
 *   7 relation, 8 phone, 9 archived, 10 the matched key (for ordering),
 *   11 "no unit" (persons without a unit after units), 12 relation rank. */
#define HIT_HEAD                                                                                   \
    "SELECT coalesce(units.id, 0), coalesce(units.building, 0), coalesce(units.entrance, 0), "     \
    "coalesce(units.room, 0), coalesce(persons.id, 0), coalesce(persons.name, ''), "               \
    "coalesce(unit_persons.relation, ''), "
#define RELATION_RANK                                                                              \
    "CASE unit_persons.relation WHEN 'owner' THEN 0 WHEN 'tenant' THEN 1 ELSE 2 END"
#define HIT_TAIL(key) ", coalesce(persons.archived, 0), " key ", units.id IS NULL, " RELATION_RANK
#define ANY_PHONE     "coalesce(persons.phone, persons.phone2, '')"

/* A person's current units (none: one row with NULL unit columns). */
#define FROM_PERSONS                                                                               \
    " FROM persons LEFT JOIN unit_persons ON unit_persons.person_id = persons.id "                 \
    "AND unit_persons.end_at IS NULL LEFT JOIN units ON units.id = unit_persons.unit_id"
/* A unit's current residents who are not archived (none: one row with NULL
 * person columns). */
#define FROM_UNITS                                                                                 \
    " FROM units LEFT JOIN unit_persons ON unit_persons.unit_id = units.id "                       \
    "AND unit_persons.end_at IS NULL "                                                             \
    "AND (SELECT archived FROM persons WHERE persons.id = unit_persons.person_id) = 0 "            \
    "LEFT JOIN persons ON persons.id = unit_persons.person_id"
#define BY_UNIT "units.id IS NULL, units.building, units.entrance, units.room, "

/* Exact phone, either column; archived persons too. */
#define SQL_PHONE                                                                                  \
    HIT_HEAD "persons.phone" HIT_TAIL("''") FROM_PERSONS                                           \
        " WHERE persons.phone = ?1"                                                                \
        " UNION ALL " HIT_HEAD "persons.phone2" HIT_TAIL("''") FROM_PERSONS                        \
        " WHERE persons.phone2 = ?1 AND persons.phone2 IS NOT NULL"                                \
        " ORDER BY 11, 2, 3, 4, 12, 5"
#define SQL_PHONE_PREFIX                                                                           \
    HIT_HEAD "persons.phone" HIT_TAIL("persons.phone") FROM_PERSONS                                \
        " WHERE persons.phone >= ?1 AND persons.phone < ?2 AND persons.archived = 0"               \
        " UNION ALL " HIT_HEAD "persons.phone2" HIT_TAIL("persons.phone2") FROM_PERSONS            \
        " WHERE persons.phone2 >= ?1 AND persons.phone2 < ?2 AND persons.phone2 IS NOT NULL "      \
        "AND persons.archived = 0"                                                                 \
        " ORDER BY 10, 11, 2, 3, 4, 12, 5"
#define SQL_LAST4                                                                                  \
    HIT_HEAD "persons.phone" HIT_TAIL("''") FROM_PERSONS                                           \
        " WHERE persons.phone_last4 = ?1 AND persons.archived = 0"                                 \
        " UNION ALL " HIT_HEAD "persons.phone2" HIT_TAIL("''") FROM_PERSONS                        \
        " WHERE persons.phone2_last4 = ?1 AND persons.phone2 IS NOT NULL "                         \
        "AND persons.archived = 0"                                                                 \
        " ORDER BY 11, 2, 3, 4, 12, 5"
#define SQL_UNIT_ENTRANCE                                                                          \
    HIT_HEAD ANY_PHONE HIT_TAIL("''") FROM_UNITS                                                   \
        " WHERE units.building = ?1 AND units.entrance = ?2 AND units.room BETWEEN ?3 AND ?4"      \
        " ORDER BY units.room, " RELATION_RANK ", persons.id"
#define SQL_UNIT_BUILDING                                                                          \
    HIT_HEAD ANY_PHONE HIT_TAIL("''") FROM_UNITS                                                   \
        " WHERE units.building = ?1 AND units.room BETWEEN ?2 AND ?3"                              \
        " ORDER BY units.entrance, units.room, " RELATION_RANK ", persons.id"
#define SQL_ROOM                                                                                   \
    HIT_HEAD ANY_PHONE HIT_TAIL("''") FROM_UNITS " WHERE units.room BETWEEN ?1 AND ?2"             \
                                                 " ORDER BY units.room, units.building, "          \
                                                 "units.entrance, " RELATION_RANK ", persons.id"
/* CROSS JOIN keeps the key range as the outer loop. */
#define SQL_INITIALS                                                                               \
    HIT_HEAD ANY_PHONE HIT_TAIL(                                                                   \
        "person_search_keys.key") " FROM person_search_keys CROSS JOIN persons ON persons.id = "   \
                                  "person_search_keys.person_id"                                   \
                                  " LEFT JOIN unit_persons ON unit_persons.person_id = "           \
                                  "persons.id "                                                    \
                                  "AND unit_persons.end_at IS NULL LEFT JOIN units ON units.id = " \
                                  "unit_persons.unit_id"                                           \
                                  " WHERE person_search_keys.key >= ?1 AND "                       \
                                  "person_search_keys.key < ?2 "                                   \
                                  "AND persons.archived = 0"                                       \
                                  " ORDER BY person_search_keys.key, " BY_UNIT RELATION_RANK       \
                                  ", persons.id"
#define SQL_NAME                                                                                   \
    HIT_HEAD ANY_PHONE HIT_TAIL("persons.name") FROM_PERSONS                                       \
        " WHERE persons.name >= ?1 AND persons.name < ?2 AND persons.archived = 0"                 \
        " ORDER BY persons.name, " BY_UNIT RELATION_RANK ", persons.id"

static const char *const statements[] = {
    SQL_PHONE,         SQL_PHONE_PREFIX, SQL_LAST4,    SQL_UNIT_ENTRANCE,
    SQL_UNIT_BUILDING, SQL_ROOM,         SQL_INITIALS, SQL_NAME,
};

const char *gj_owner_search_sql(int i)
{
    if (i < 0 || (size_t)i >= sizeof statements / sizeof statements[0])
        return NULL;
    return statements[i];
}

/* The first string after every string that starts with prefix (byte
 * order): prefix with its last byte raised by one. A range
 * [prefix, end) then holds exactly the strings starting with prefix. 0
 * when there is none (empty, or only 0xFF bytes, or too long). */
static int prefix_end(const char *prefix, char *out, size_t outsz)
{
    size_t n = strlen(prefix);
    if (n >= outsz)
        return 0;
    memcpy(out, prefix, n + 1);
    while (n > 0 && (unsigned char)out[n - 1] == 0xFF)
        out[--n] = '\0';
    if (n == 0)
        return 0;
    out[n - 1] = (char)((unsigned char)out[n - 1] + 1);
    return 1;
}

static void read_hit(sqlite3_stmt *st, struct gj_owner_hit *h)
{
    memset(h, 0, sizeof *h);
    h->unit_id = sqlite3_column_int64(st, 0);
    h->building = sqlite3_column_int(st, 1);
    h->entrance = sqlite3_column_int(st, 2);
    h->room = sqlite3_column_int(st, 3);
    h->person_id = sqlite3_column_int64(st, 4);
    gj_col_text(st, 5, h->name, sizeof h->name);
    gj_col_text(st, 6, h->relation, sizeof h->relation);
    gj_col_text(st, 7, h->phone, sizeof h->phone);
    h->archived = sqlite3_column_int(st, 8);
}

static int seen(const struct gj_owner_hit *rows, int n, int64_t unit_id, int64_t person_id)
{
    for (int i = 0; i < n; i++)
        if (rows[i].unit_id == unit_id && rows[i].person_id == person_id)
            return 1;
    return 0;
}

/* Steps st (bound), appending the rows not yet in rows[] until limit. */
static int collect(struct gj_db *db, sqlite3_stmt *st, int limit, struct gj_owner_hit *rows, int *n,
                   struct gj_error *err)
{
    int rc = SQLITE_DONE;
    while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t unit_id = sqlite3_column_int64(st, 0);
        int64_t person_id = sqlite3_column_int64(st, 4);
        if (seen(rows, *n, unit_id, person_id))
            continue;
        read_hit(st, &rows[*n]);
        (*n)++;
    }
    if (rc == SQLITE_ROW)
        rc = SQLITE_DONE;
    gj_stmt_done(st);
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("searching owners and units"), err);
    return GJ_OK;
}

/* A statement whose parameters are one text (?1) or a text range (?1, ?2). */
static int by_text(struct gj_db *db, const char *sql, const char *text, int range, int limit,
                   struct gj_owner_hit *rows, int *n, struct gj_error *err)
{
    char end[GJ_NAME_BYTES];
    if (range && !prefix_end(text, end, sizeof end))
        return GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db, sql, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
    if (range)
        sqlite3_bind_text(st, 2, end, -1, SQLITE_TRANSIENT);
    return collect(db, st, limit, rows, n, err);
}

/* The units of q's room ranges (and building, entrance), range by range. */
static int by_rooms(struct gj_db *db, const struct gj_search_query *q, int unit, int limit,
                    struct gj_owner_hit *rows, int *n, struct gj_error *err)
{
    for (int i = 0; i < q->n_rooms && i < GJ_SEARCH_ROOM_RANGES && *n < limit; i++) {
        sqlite3_stmt *st;
        int k = 1;
        if (!unit)
            st = gj_db_stmt(db, SQL_ROOM, err);
        else if (q->entrance)
            st = gj_db_stmt(db, SQL_UNIT_ENTRANCE, err);
        else
            st = gj_db_stmt(db, SQL_UNIT_BUILDING, err);
        if (!st)
            return err->code;
        if (unit) {
            sqlite3_bind_int(st, k++, q->building);
            if (q->entrance)
                sqlite3_bind_int(st, k++, q->entrance);
        }
        sqlite3_bind_int(st, k++, q->rooms[i].lo);
        sqlite3_bind_int(st, k, q->rooms[i].hi);
        int rc = collect(db, st, limit, rows, n, err);
        if (rc != GJ_OK)
            return rc;
    }
    return GJ_OK;
}

int gj_owner_search(struct gj_db *db, const struct gj_search_query *q, int limit,
                    struct gj_owner_hit *rows, int *n, struct gj_error *err)
{
    int rc = GJ_OK;
    *n = 0;
    if (!q || limit <= 0)
        return GJ_OK;
    unsigned k = q->kinds;
    if (rc == GJ_OK && (k & GJ_SEARCH_PHONE) && q->phone[0])
        rc = by_text(db, SQL_PHONE, q->phone, 0, limit, rows, n, err);
    if (rc == GJ_OK && (k & GJ_SEARCH_PHONE_PREFIX) && q->phone[0])
        rc = by_text(db, SQL_PHONE_PREFIX, q->phone, 1, limit, rows, n, err);
    if (rc == GJ_OK && (k & GJ_SEARCH_LAST4) && q->digits[0])
        rc = by_text(db, SQL_LAST4, q->digits, 0, limit, rows, n, err);
    if (rc == GJ_OK && (k & GJ_SEARCH_UNIT))
        rc = by_rooms(db, q, 1, limit, rows, n, err);
    if (rc == GJ_OK && (k & GJ_SEARCH_ROOM))
        rc = by_rooms(db, q, 0, limit, rows, n, err);
    if (rc == GJ_OK && (k & GJ_SEARCH_INITIALS) && q->letters[0])
        rc = by_text(db, SQL_INITIALS, q->letters, 1, limit, rows, n, err);
    if (rc == GJ_OK && (k & GJ_SEARCH_NAME) && q->text[0])
        rc = by_text(db, SQL_NAME, q->text, 1, limit, rows, n, err);
    if (rc != GJ_OK)
        *n = 0;
    return rc;
}
