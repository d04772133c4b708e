/* Fee reports: arrears by age, dunning promises falling due, the daily
 * cash report and the collection rate. Read-only; money is integer fen. */
#include "guanjia/repo_fee_reports.h"

#include "repo_internal.h"
#include "guanjia/billing.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/unitcode.h"

#include <stdio.h>
#include <string.h>

#define DAY INT64_C(86400)

/* The schema's payment methods in the order of by_method_fen. */
static const char *const method_codes[GJ_PAY_METHODS] = {"cash", "wechat", "alipay", "card",
                                                         "transfer"};

/* ---- shared SQL ----------------------------------------------------------- */

/* The current owner of unit UNIT (a column expression) at ?1 (now): the
 * first link by id of an owner whose link has begun and not ended. Walks
 * unit_persons_unit (unit_id, id). */
#define OWNER_OF(UNIT)                                                                             \
    "(SELECT pe.name FROM unit_persons up JOIN persons pe ON pe.id = up.person_id "                \
    "WHERE up.unit_id = " UNIT " AND up.relation = 'owner' "                                       \
    "AND (up.start_at IS NULL OR up.start_at <= ?1) AND (up.end_at IS NULL OR up.end_at > ?1) "    \
    "ORDER BY up.id LIMIT 1)"

/* The unit's latest promise to pay (by at, then id) when its date is not
 * before ?6 (now less the grace days), else 0. Walks dunning_unit. */
#define PROMISE_OF(UNIT)                                                                           \
    "coalesce((SELECT CASE WHEN dc.promised_at >= ?6 THEN dc.promised_at ELSE 0 END "              \
    "FROM dunning_contacts dc WHERE dc.unit_id = " UNIT " AND dc.result = 'promised' "             \
    "ORDER BY dc.at DESC, dc.id DESC LIMIT 1), 0)"

/* What is owed past due at ?1 (now), by age: due after ?2 (0-30 days),
 * after ?3 (31-90), after ?4 (91-180), or on or before ?4 (more). */
#define OWED "(b.amount_fen - b.paid_fen)"
#define AGED_SUMS                                                                                  \
    "sum(" OWED ") AS total, "                                                                     \
    "sum(CASE WHEN b.due_at > ?2 THEN " OWED " ELSE 0 END) AS b0, "                                \
    "sum(CASE WHEN b.due_at <= ?2 AND b.due_at > ?3 THEN " OWED " ELSE 0 END) AS b1, "             \
    "sum(CASE WHEN b.due_at <= ?3 AND b.due_at > ?4 THEN " OWED " ELSE 0 END) AS b2, "             \
    "sum(CASE WHEN b.due_at <= ?4 THEN " OWED " ELSE 0 END) AS b3, "                               \
    "min(b.period) AS oldest_period, min(b.due_at) AS oldest_due"

/* The open bills' arrears whose due date meets COND, from the index of
 * open bills by due date. */
#define BUCKET_SUM(COND)                                                                           \
    "(SELECT coalesce(sum(" OWED "), 0) FROM bills b INDEXED BY bills_open_by_due "                \
    "WHERE b.paid_fen < b.amount_fen AND " COND ")"

#define B0_SUM BUCKET_SUM("b.due_at < ?1 AND b.due_at > ?2")
#define B1_SUM BUCKET_SUM("b.due_at <= ?2 AND b.due_at > ?3")
#define B2_SUM BUCKET_SUM("b.due_at <= ?3 AND b.due_at > ?4")
#define B3_SUM BUCKET_SUM("b.due_at <= ?4")
#define ESTATE_TOTALS                                                                              \
    "SELECT (SELECT count(*) FROM (SELECT DISTINCT b.unit_id FROM bills b INDEXED BY "             \
    "bills_open_due WHERE b.paid_fen < b.amount_fen AND b.due_at < ?1)), 0, " B0_SUM ", " B1_SUM   \
    ", " B2_SUM ", " B3_SUM
/* The same when arrears_units holds the arrears at ?1: their totals. */
#define ESTATE_TOTALS_KEPT                                                                         \
    "SELECT units, total_fen, b0_fen, b1_fen, b2_fen, b3_fen FROM arrears_asof WHERE id = 1"

/* Per unit in arrears, of building ?5 (0: all): unit_id, total, b0..b3,
 * oldest_period, oldest_due. The open bills come from the partial covering
 * index bills_open_due (paid_fen < amount_fen; migration 9). */
#define ARREARS_BY_UNIT                                                                            \
    "SELECT b.unit_id AS unit_id, " AGED_SUMS " FROM bills b "                                     \
    "WHERE b.paid_fen < b.amount_fen AND b.due_at < ?1 "                                           \
    "AND (?5 = 0 OR b.unit_id IN (SELECT id FROM units WHERE building = ?5)) "                     \
    "GROUP BY b.unit_id"

#define OWNER_P   OWNER_OF("p.unit_id")
#define PROMISE_P PROMISE_OF("p.unit_id")
#define OWNER_U   OWNER_OF("u.id")
#define PROMISE_U PROMISE_OF("u.id")
#define OWNER_D   OWNER_OF("d.unit_id")

/* The columns read_arrears reads, of a page p (unit_id, building,
 * entrance, room) and its sums a: the owner and the promise are looked up
 * for the page's rows only. Named, so that an ORDER BY names them. */
#define PAGE_COLS                                                                                  \
    "p.unit_id, p.building AS building, p.entrance AS entrance, p.room AS room, " OWNER_P ", "     \
    "a.total AS total, a.b0, a.b1, a.b2, a.b3, a.oldest_period, a.oldest_due AS "                  \
    "oldest_due, " PROMISE_P

/* The sums of the page's units only (the page p is a handful of units). */
#define PAGE_SUMS                                                                                  \
    "a AS (SELECT b.unit_id AS unit_id, " AGED_SUMS " FROM bills b "                               \
    "WHERE b.unit_id IN (SELECT unit_id FROM p) AND b.paid_fen < b.amount_fen "                    \
    "AND b.due_at < ?1 GROUP BY b.unit_id) "

/* By amount or by age: every unit in arrears of building ?5 (0: all) is
 * summed up (all of bills_open_due is read, keeping only the total and the
 * oldest due date); the row that ends the page by the first keys of ORDER
 * (CUT_ORDER) is found among those sums, and only the units at least as
 * far up (CUT_TEST) are looked up, sorted by ORDER and the page cut from
 * them; then the page's buckets, owners and promises are read. */
#define SORTED_PAGE(CUT_ORDER, CUT_TEST, ORDER)                                                    \
    "WITH x AS MATERIALIZED (SELECT b.unit_id AS unit_id, sum(" OWED ") AS total, "                \
    "min(b.due_at) AS oldest_due FROM bills b WHERE b.paid_fen < b.amount_fen AND b.due_at < ?1 "  \
    "AND (?5 = 0 OR b.unit_id IN (SELECT id FROM units WHERE building = ?5)) "                     \
    "GROUP BY b.unit_id), "                                                                        \
    "cut AS (SELECT total, oldest_due FROM x ORDER BY " CUT_ORDER " LIMIT 1 OFFSET ?7 + ?8 - 1), " \
    "p AS MATERIALIZED (SELECT x.unit_id AS unit_id, x.total AS total, "                           \
    "x.oldest_due AS oldest_due, u.building AS building, u.entrance AS entrance, u.room AS room "  \
    "FROM x JOIN units u ON u.id = x.unit_id WHERE NOT EXISTS (SELECT 1 FROM cut) OR " CUT_TEST    \
    " ORDER BY " ORDER " LIMIT ?7 OFFSET ?8), " PAGE_SUMS "SELECT " PAGE_COLS                      \
    " FROM p JOIN a ON a.unit_id = p.unit_id ORDER BY " ORDER
#define BY_AMOUNT_CUT "x.total >= (SELECT total FROM cut)"
#define BY_AGE_CUT                                                                                 \
    "(x.oldest_due < (SELECT oldest_due FROM cut) OR (x.oldest_due = (SELECT oldest_due FROM "     \
    "cut) "                                                                                        \
    "AND x.total >= (SELECT total FROM cut)))"

/* By amount or by age from arrears_units (migration 14), when it holds
 * the arrears at ?1 (see arrears_fresh): the page is a walk of the index
 * in ORDER, the units of building ?5 (0: all) only; then the page's
 * buckets, owners and promises are read as above. */
#define KEPT_PAGE(ORDER)                                                                           \
    "WITH p AS MATERIALIZED (SELECT unit_id, building, entrance, room, total_fen AS total, "       \
    "oldest_due FROM arrears_units WHERE ?5 = 0 OR building = ?5 ORDER BY " ORDER                  \
    " LIMIT ?7 OFFSET ?8), " PAGE_SUMS "SELECT " PAGE_COLS " FROM p JOIN a ON a.unit_id = "        \
    "p.unit_id ORDER BY " ORDER
#define KEPT_BY_AMOUNT "total DESC, building, entrance, room"
#define KEPT_BY_AGE    "oldest_due, total DESC, building, entrance, room"

/* Whether arrears_units holds the arrears at now: no unpaid bill changes
 * bucket between the moment they were counted at and now, either way.
 * None falls due in between, and none is 31, 91 or 181 days past due at
 * one and not the other (a seek in bills_open_by_due for each; the edges
 * are taken wide, which may only send a reader to the bills). */
#define NONE_DUE(LO, HI)                                                                           \
    "NOT EXISTS (SELECT 1 FROM bills b INDEXED BY bills_open_by_due WHERE b.paid_fen < "           \
    "b.amount_fen AND b.due_at >= min(?1, a.at) - " LO " AND b.due_at <= max(?1, a.at) - " HI ")"
#define KEPT_FRESH                                                                                 \
    "SELECT " NONE_DUE("0", "1") " AND " NONE_DUE("2678400", "2678400") " AND " NONE_DUE(          \
        "7862400", "7862400") " AND " NONE_DUE("15638400",                                         \
                                               "15638400") " FROM arrears_asof a WHERE a.id = 1"

static int arrears_fresh(struct gj_db *db, int64_t now, int *fresh, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, KEPT_FRESH, err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, now);
    int rc = sqlite3_step(st);
    *fresh = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("adding up the arrears"), err);
    return GJ_OK;
}

int gj_arrears_recount(struct gj_db *db, int64_t now, struct gj_error *err)
{
    /* The totals follow the rows by trigger; they start again from 0. */
    static const char *const sql[] = {
        "DELETE FROM arrears_units",
        "INSERT INTO arrears_asof(id, at) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET "
        "at = excluded.at, units = 0, total_fen = 0, b0_fen = 0, b1_fen = 0, b2_fen = 0, "
        "b3_fen = 0",
        "INSERT INTO arrears_units " GJ_ARREARS_UNITS_SELECT,
    };
    return gj_db_exec_all(db, sql, sizeof sql / sizeof sql[0], now,
                          _("counting the arrears of each unit"), err);
}

int gj_arrears_refresh(struct gj_db *db, int64_t now, int *recounted, struct gj_error *err)
{
    *recounted = 0;
    int fresh = 0;
    int rc = arrears_fresh(db, now, &fresh, err);
    if (rc != GJ_OK || fresh)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    /* Again inside the write: another terminal may have done it. */
    rc = arrears_fresh(db, now, &fresh, err);
    if (rc == GJ_OK && !fresh) {
        rc = gj_arrears_recount(db, now, err);
        *recounted = rc == GJ_OK;
    }
    return gj_tx_finish(db, rc, err);
}

static void read_arrears(sqlite3_stmt *st, void *row)
{
    struct gj_arrears_row *r = row;
    memset(r, 0, sizeof *r);
    r->unit_id = sqlite3_column_int64(st, 0);
    struct gj_unitcode c = {sqlite3_column_int(st, 1), sqlite3_column_int(st, 2),
                            sqlite3_column_int(st, 3)};
    gj_unitcode_format(&c, r->unit_code, sizeof r->unit_code);
    r->building = c.building;
    gj_col_text(st, 4, r->owner, sizeof r->owner);
    r->total_fen = sqlite3_column_int64(st, 5);
    for (int i = 0; i < GJ_ARREARS_BUCKETS; i++)
        r->bucket_fen[i] = sqlite3_column_int64(st, 6 + i);
    r->oldest_period = sqlite3_column_int(st, 10);
    r->oldest_due_at = sqlite3_column_int64(st, 11);
    r->promised_at = sqlite3_column_int64(st, 12);
}

/* Binds ?1..?6: now, the three bucket edges, the building, the promise
 * cut-off. A bill is d whole days past due when d*DAY <= now - due_at <
 * (d+1)*DAY, so "at most 30 days" is due_at > now - 31 days. */
static void bind_aged(sqlite3_stmt *st, int64_t now, int building)
{
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, now - 31 * DAY);
    sqlite3_bind_int64(st, 3, now - 91 * DAY);
    sqlite3_bind_int64(st, 4, now - 181 * DAY);
    sqlite3_bind_int(st, 5, building);
    sqlite3_bind_int64(st, 6, now - GJ_PROMISE_GRACE_DAYS * DAY);
}

static int check_building(int building, struct gj_error *err)
{
    if (building < 0 || building > 999)
        return gj_err(err, GJ_EINVAL,
                      _("building: must be 1 to 999, or 0 for every building (got %d)"), building);
    return GJ_OK;
}

/* ---- arrears by age ------------------------------------------------------- */

int gj_unit_arrears_aged(struct gj_db *db, int64_t unit_id, int64_t now, struct gj_arrears_row *out,
                         struct gj_error *err)
{
    memset(out, 0, sizeof *out);
    /* One row whether or not the unit owes: the sums over no bills are
     * NULL, read as 0. */
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT u.id, u.building, u.entrance, u.room, " OWNER_U
                                  ", a.total, a.b0, a.b1, a.b2, a.b3, a.oldest_period, "
                                  "a.oldest_due, " PROMISE_U " FROM units u, (SELECT " AGED_SUMS
                                  " FROM bills b WHERE b.unit_id = ?7 AND b.paid_fen < "
                                  "b.amount_fen AND b.due_at < ?1) AS a WHERE u.id = ?7",
                                  err);
    if (!st)
        return err->code;
    bind_aged(st, now, 0);
    sqlite3_bind_int64(st, 7, unit_id);
    int rc = gj_step_one(db, st, _("unit"), err);
    if (rc == GJ_OK) {
        read_arrears(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_arrears_list(struct gj_db *db, int64_t now, enum gj_arrears_sort sort, int building,
                    int offset, int limit, struct gj_arrears_row *rows, int *n,
                    struct gj_error *err)
{
    *n = 0;
    int rc = check_building(building, err);
    if (rc != GJ_OK)
        return rc;
    if (limit <= 0)
        return GJ_OK;
    if (offset < 0)
        offset = 0;
    if (sort != GJ_ARREARS_BY_AMOUNT && sort != GJ_ARREARS_BY_AGE && sort != GJ_ARREARS_BY_BUILDING)
        return gj_err(err, GJ_EINVAL, _("arrears: unknown sort order %d"), (int)sort);
    /* One snapshot for the check of arrears_units and the page. */
    rc = gj_db_begin_read(db, err);
    if (rc != GJ_OK)
        return rc;
    int fresh = 0;
    if (sort != GJ_ARREARS_BY_BUILDING)
        rc = arrears_fresh(db, now, &fresh, err);
    sqlite3_stmt *st = NULL;
    switch (rc == GJ_OK ? (int)sort : -1) {
    case GJ_ARREARS_BY_AMOUNT:
        st = gj_db_stmt(db,
                        fresh ? KEPT_PAGE(KEPT_BY_AMOUNT)
                              : SORTED_PAGE("total DESC", BY_AMOUNT_CUT,
                                            "total DESC, building, entrance, room"),
                        err);
        break;
    case GJ_ARREARS_BY_AGE:
        st = gj_db_stmt(db,
                        fresh ? KEPT_PAGE(KEPT_BY_AGE)
                              : SORTED_PAGE("oldest_due, total DESC", BY_AGE_CUT,
                                            "oldest_due, total DESC, building, entrance, room"),
                        err);
        break;
    case GJ_ARREARS_BY_BUILDING:
        /* The units in order (units_code_unique), each asked whether it
         * owes past due (bills_open), until the page is full; then only
         * the page's bills are summed up. ?9..?10: the buildings. */
        st = gj_db_stmt(db,
                        "WITH p AS MATERIALIZED (SELECT u.id AS unit_id, u.building AS building, "
                        "u.entrance AS entrance, u.room AS room FROM units u "
                        "WHERE u.building BETWEEN ?9 AND ?10 AND EXISTS (SELECT 1 FROM bills b "
                        "WHERE b.unit_id = u.id AND b.paid_fen < b.amount_fen AND b.due_at < ?1) "
                        "ORDER BY u.building, u.entrance, u.room LIMIT ?7 OFFSET ?8), " PAGE_SUMS
                        "SELECT " PAGE_COLS " FROM p JOIN a ON a.unit_id = p.unit_id "
                        "ORDER BY building, entrance, room",
                        err);
        break;
    default:
        break;
    }
    if (rc == GJ_OK && !st)
        rc = err->code;
    if (rc == GJ_OK) {
        bind_aged(st, now, building);
        sqlite3_bind_int(st, 7, limit);
        sqlite3_bind_int(st, 8, offset);
        sqlite3_bind_int(st, 9, building > 0 ? building : 1);
        sqlite3_bind_int(st, 10, building > 0 ? building : 999);
        rc = gj_step_rows(db, st, limit, rows, sizeof *rows, read_arrears, n,
                          _("listing the units in arrears"), err);
    }
    gj_db_rollback(db); /* ends the read */
    return rc;
}

#define BUILDING_TOTALS                                                                            \
    "SELECT count(*), coalesce(sum(total), 0), coalesce(sum(b0), 0), coalesce(sum(b1), 0), "       \
    "coalesce(sum(b2), 0), coalesce(sum(b3), 0) FROM (" ARREARS_BY_UNIT ")"

int gj_arrears_totals(struct gj_db *db, int64_t now, int building, int64_t *units,
                      int64_t *total_fen, int64_t bucket_fen[4], struct gj_error *err)
{
    *units = 0;
    *total_fen = 0;
    for (int i = 0; i < GJ_ARREARS_BUCKETS; i++)
        bucket_fen[i] = 0;
    int rc = check_building(building, err);
    if (rc != GJ_OK)
        return rc;
    /* The whole estate: the units from bills_open_due (one entry each,
     * in unit order), each bucket a range of bills_open_by_due (migration
     * 13). A building: its units' open bills summed up by unit. */
    rc = gj_db_begin_read(db, err); /* one snapshot for the check and the sums */
    if (rc != GJ_OK)
        return rc;
    int fresh = 0;
    if (building == 0)
        rc = arrears_fresh(db, now, &fresh, err);
    sqlite3_stmt *st = NULL;
    if (rc == GJ_OK) {
        st = gj_db_stmt(db,
                        building != 0 ? BUILDING_TOTALS
                        : fresh       ? ESTATE_TOTALS_KEPT
                                      : ESTATE_TOTALS,
                        err);
        if (!st)
            rc = err->code;
    }
    if (rc == GJ_OK) {
        bind_aged(st, now, building);
        rc = gj_step_one(db, st, _("adding up the arrears"), err);
    }
    if (rc != GJ_OK) {
        gj_db_rollback(db);
        return rc;
    }
    *units = sqlite3_column_int64(st, 0);
    for (int i = 0; i < GJ_ARREARS_BUCKETS; i++)
        bucket_fen[i] = sqlite3_column_int64(st, 2 + i);
    /* The buckets add up to the total (the estate's total is not read). */
    for (int i = 0; i < GJ_ARREARS_BUCKETS; i++)
        *total_fen += bucket_fen[i];
    gj_stmt_done(st);
    gj_db_rollback(db); /* ends the read */
    return GJ_OK;
}

/* ---- dunning promises ----------------------------------------------------- */

static void read_promise(sqlite3_stmt *st, void *row)
{
    struct gj_promise_row *r = row;
    memset(r, 0, sizeof *r);
    gj_read_dunning(st, &r->d);
    struct gj_unitcode c = {sqlite3_column_int(st, 10), sqlite3_column_int(st, 11),
                            sqlite3_column_int(st, 12)};
    gj_unitcode_format(&c, r->unit_code, sizeof r->unit_code);
    gj_col_text(st, 13, r->owner, sizeof r->owner);
    r->owed_fen = sqlite3_column_int64(st, 14);
}

int gj_dunning_promises_due(struct gj_db *db, int64_t until, int limit, struct gj_promise_row *rows,
                            int *n, struct gj_error *err)
{
    *n = 0;
    if (limit <= 0)
        return GJ_OK;
    /* Walks dunning_promised in promised_at order, so the first rows come
     * at once; a promise counts while the unit still owes on a bill due by
     * the promised date, and only the unit's latest promise. */
    return gj_query_rows(db,
                         "SELECT * FROM (SELECT d.id AS id, d.unit_id, "
                         "coalesce(d.person_id, 0), d.channel, d.result, "
                         "d.promised_at AS promised_at, coalesce(d.promised_fen, 0), "
                         "d.note, d.at, coalesce(d.user_id, 0), "
                         "u.building, u.entrance, u.room, " OWNER_D ", "
                         "(SELECT sum(b.amount_fen - b.paid_fen) FROM bills b "
                         "WHERE b.unit_id = d.unit_id AND b.paid_fen < b.amount_fen "
                         "AND b.due_at <= d.promised_at) AS owed "
                         "FROM dunning_contacts d JOIN units u ON u.id = d.unit_id "
                         "WHERE d.promised_at <= ?2 AND d.result = 'promised' "
                         "AND NOT EXISTS (SELECT 1 FROM dunning_contacts l "
                         "WHERE l.unit_id = d.unit_id AND l.result = 'promised' "
                         "AND (l.at > d.at OR (l.at = d.at AND l.id > d.id)))) "
                         "WHERE owed > 0 ORDER BY promised_at, id LIMIT ?3",
                         gj_now(), until, limit, rows, sizeof *rows, read_promise, n,
                         _("listing the promises to pay"), err);
}

/* ---- the daily cash report ------------------------------------------------ */

static int method_index(const char *code)
{
    for (int i = 0; i < GJ_PAY_METHODS; i++)
        if (strcmp(code, method_codes[i]) == 0)
            return i;
    return -1;
}

/* Adds a group of receipts: what they brought (payments less reversals)
 * and the reversals' part of it. */
static void cash_add(struct gj_cash_row *to, int method, int64_t count, int64_t net,
                     int64_t reversed)
{
    to->count += count;
    to->by_method_fen[method] += net;
    to->reversed_fen += reversed;
    to->total_fen += net;
}

static int cash_read(struct gj_db *db, int64_t from, int64_t to, struct gj_cash_report *out,
                     struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT value FROM settings WHERE key = 'estate.name'", err);
    if (!st)
        return err->code;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        gj_col_text(st, 0, out->estate, sizeof out->estate);
    gj_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("reading the estate name"), err);

    /* Walks payments_created over the day. */
    st = gj_db_stmt(db,
                    "SELECT coalesce(p.created_by, 0) AS who, u.name, p.method, "
                    "count(*), sum(p.amount_fen), "
                    "sum(CASE WHEN p.amount_fen < 0 THEN p.amount_fen ELSE 0 END) "
                    "FROM payments p LEFT JOIN users u ON u.id = p.created_by "
                    "WHERE p.created_at >= ?1 AND p.created_at < ?2 "
                    "GROUP BY who, p.method ORDER BY who, p.method",
                    err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    struct gj_cash_row *cur = NULL;
    int64_t cur_user = -1;
    struct gj_cash_row overflow; /* operators beyond the rows: counted in all only */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t who = sqlite3_column_int64(st, 0);
        char method[GJ_CODE_BYTES];
        gj_col_text(st, 2, method, sizeof method);
        int m = method_index(method);
        if (m < 0)
            continue; /* the schema allows no other method */
        if (!cur || who != cur_user) {
            cur = out->n_rows < (int)(sizeof out->rows / sizeof out->rows[0])
                      ? &out->rows[out->n_rows++]
                      : &overflow;
            memset(cur, 0, sizeof *cur);
            cur->user_id = who;
            cur_user = who;
            if (who == 0)
                snprintf(cur->operator_name, sizeof cur->operator_name, "%s", _("system"));
            else
                gj_col_text(st, 1, cur->operator_name, sizeof cur->operator_name);
        }
        int64_t count = sqlite3_column_int64(st, 3);
        int64_t net = sqlite3_column_int64(st, 4);
        int64_t reversed = sqlite3_column_int64(st, 5);
        cash_add(cur, m, count, net, reversed);
        cash_add(&out->all, m, count, net, reversed);
    }
    gj_stmt_done(st);
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("adding up the day's payments"), err);
    return GJ_OK;
}

int gj_cash_report(struct gj_db *db, int64_t day_start, struct gj_cash_report *out,
                   struct gj_error *err)
{
    memset(out, 0, sizeof *out);
    int64_t from = gj_day_start(day_start);
    /* The next local midnight: 36 hours on is always within the next day. */
    int64_t to = gj_day_start(from + 36 * 3600);
    out->day = from;
    int rc = gj_db_begin_read(db, err); /* the name and the figures from one snapshot */
    if (rc != GJ_OK)
        return rc;
    rc = cash_read(db, from, to, out, err);
    gj_db_rollback(db); /* ends the read */
    if (rc != GJ_OK) {
        memset(out, 0, sizeof *out);
        out->day = from;
    }
    return rc;
}

/* ---- the collection rate -------------------------------------------------- */

static int check_periods(int from, int to, struct gj_error *err)
{
    if (!gj_bill_period_valid(from))
        return gj_err(err, GJ_EINVAL, _("from month: not a valid month (got %d)"), from);
    if (!gj_bill_period_valid(to))
        return gj_err(err, GJ_EINVAL, _("to month: not a valid month (got %d)"), to);
    if (from > to)
        return gj_err(err, GJ_EINVAL, _("to month: must not be before the from month"));
    return GJ_OK;
}

int gj_collection(struct gj_db *db, int from_period, int to_period, int building,
                  struct gj_collection *out, struct gj_error *err)
{
    memset(out, 0, sizeof *out);
    out->building = building;
    int rc = check_periods(from_period, to_period, err);
    if (rc == GJ_OK)
        rc = check_building(building, err);
    if (rc != GJ_OK)
        return rc;
    /* Walks bills_period_sums over the months (migration 11). */
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "SELECT coalesce(sum(b.amount_fen), 0), coalesce(sum(b.paid_fen), 0) "
                   "FROM bills b WHERE b.period BETWEEN ?1 AND ?2 "
                   "AND (?3 = 0 OR b.unit_id IN (SELECT id FROM units WHERE building = ?3))",
                   err);
    if (!st)
        return err->code;
    sqlite3_bind_int(st, 1, from_period);
    sqlite3_bind_int(st, 2, to_period);
    sqlite3_bind_int(st, 3, building);
    rc = gj_step_one(db, st, _("adding up the collection rate"), err);
    if (rc != GJ_OK)
        return rc;
    out->billed_fen = sqlite3_column_int64(st, 0);
    out->collected_fen = sqlite3_column_int64(st, 1);
    gj_stmt_done(st);
    return GJ_OK;
}

static void read_collection(sqlite3_stmt *st, void *row)
{
    struct gj_collection *c = row;
    c->building = sqlite3_column_int(st, 0);
    c->billed_fen = sqlite3_column_int64(st, 1);
    c->collected_fen = sqlite3_column_int64(st, 2);
}

int gj_collection_by_building(struct gj_db *db, int from_period, int to_period,
                              struct gj_collection *rows, int max, int *n, struct gj_error *err)
{
    *n = 0;
    int rc = check_periods(from_period, to_period, err);
    if (rc != GJ_OK)
        return rc;
    if (max <= 0)
        return GJ_OK;
    /* The bills of the months (bills_period_sums), and a zero row for every
     * building (units_code_unique), added up by building. */
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT building, sum(billed), sum(collected) FROM ("
                                  "SELECT u.building AS building, b.amount_fen AS billed, "
                                  "b.paid_fen AS collected FROM bills b "
                                  "JOIN units u ON u.id = b.unit_id "
                                  "WHERE b.period BETWEEN ?1 AND ?2 "
                                  "UNION ALL SELECT DISTINCT building, 0, 0 FROM units) "
                                  "GROUP BY building ORDER BY building LIMIT ?3",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int(st, 1, from_period);
    sqlite3_bind_int(st, 2, to_period);
    sqlite3_bind_int(st, 3, max);
    return gj_step_rows(db, st, max, rows, sizeof *rows, read_collection, n,
                        _("adding up the collection rate by building"), err);
}
