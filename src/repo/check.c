/* gj_check_run: SQLite's own checks, then the rules our bookkeeping keeps. */
#include "guanjia/repo_check.h"

#include "db_internal.h"
#include "repo_internal.h"
#include "guanjia/i18n.h"

#include <stdio.h>
#include <string.h>

/* Each invariant is a query returning (problem count, first example). */
static const struct {
    const char *name;
    const char *sql;
} invariants[] = {
    {N_("no orphaned references (foreign keys)"),
     "SELECT count(*), min(\"table\" || ' row ' || rowid || ' -> ' || parent) "
     "FROM pragma_foreign_key_check"},
    {N_("what is paid on each bill equals its allocations"),
     "SELECT count(*), min('bill ' || b.id || ': paid ' || b.paid_fen || ', allocated ' || "
     "coalesce(a.s, 0)) FROM bills b LEFT JOIN (SELECT bill_id, sum(amount_fen) AS s FROM "
     "payment_allocations GROUP BY bill_id) a ON a.bill_id = b.id "
     "WHERE b.paid_fen IS NOT coalesce(a.s, 0)"},
    {N_("no bill is paid beyond its amount"),
     "SELECT count(*), min('bill ' || id || ': paid ' || paid_fen || ' of ' || amount_fen) "
     "FROM bills WHERE paid_fen < 0 OR paid_fen > amount_fen"},
    {N_("allocations match their payments"),
     "SELECT count(*), min('receipt ' || p.receipt_no || ': amount ' || p.amount_fen || "
     "', allocated ' || coalesce(a.s, 0)) FROM payments p LEFT JOIN (SELECT payment_id, "
     "sum(amount_fen) AS s FROM payment_allocations GROUP BY payment_id) a "
     "ON a.payment_id = p.id WHERE (p.amount_fen > 0 AND (coalesce(a.s, 0) < 0 OR "
     "coalesce(a.s, 0) > p.amount_fen)) OR (p.amount_fen < 0 AND (coalesce(a.s, 0) > 0 OR "
     "coalesce(a.s, 0) < p.amount_fen))"},
    {N_("allocations stay within one unit"),
     "SELECT count(*), min('allocation ' || a.id) FROM payment_allocations a "
     "JOIN payments p ON p.id = a.payment_id JOIN bills b ON b.id = a.bill_id "
     "WHERE p.unit_id <> b.unit_id"},
    {N_("a reversal undoes exactly its payment"),
     "SELECT count(*), min('receipt ' || r.receipt_no) FROM payments r JOIN payments p "
     "ON p.id = r.reverses_payment_id WHERE r.amount_fen <> -p.amount_fen OR r.unit_id <> "
     "p.unit_id OR p.reverses_payment_id IS NOT NULL"},
    {N_("a reversal's allocations mirror its payment's"),
     "SELECT count(*), min('receipt ' || r.receipt_no) FROM payments r JOIN payments p "
     "ON p.id = r.reverses_payment_id WHERE EXISTS (SELECT 1 FROM payment_allocations a "
     "WHERE a.payment_id IN (p.id, r.id) GROUP BY a.bill_id HAVING sum(a.amount_fen) <> 0)"},
    {N_("receipt numbers are unique"),
     "SELECT count(*), min('receipt ' || receipt_no) FROM (SELECT receipt_no FROM payments "
     "GROUP BY receipt_no HAVING count(*) > 1)"},
    {N_("receipt numbers run from 1 with no gaps"),
     "SELECT (count(*) <> (SELECT last_no FROM receipt_counter)) + (count(*) > 0 AND "
     "(min(receipt_no) <> 1 OR max(receipt_no) <> (SELECT last_no FROM receipt_counter))), "
     "'last issued ' || (SELECT last_no FROM receipt_counter) || ', receipts ' || count(*) "
     "FROM payments"},
    {N_("every work order has its opening event"),
     "SELECT count(*), min('work order ' || w.id) FROM work_orders w WHERE NOT EXISTS "
     "(SELECT 1 FROM work_order_events e WHERE e.work_order_id = w.id AND e.kind = 'created')"},
    {N_("every complaint has its opening event"),
     "SELECT count(*), min('complaint ' || c.id) FROM complaints c WHERE NOT EXISTS "
     "(SELECT 1 FROM complaint_events e WHERE e.complaint_id = c.id AND e.kind = 'created')"},
    {N_("no complaint is handled below its grade"),
     "SELECT count(*), min('complaint ' || id) FROM complaints WHERE level < "
     "CASE grade WHEN 'minor' THEN 0 WHEN 'moderate' THEN 1 ELSE 2 END"},
    {N_("each household link ends after it starts"),
     "SELECT count(*), min('link ' || id) FROM unit_persons WHERE end_at < start_at"},
    {N_("no bulk load was left unfinished"), "SELECT count(*), min(note) FROM bulk_load"},
    {N_("the reports' figures by day match the work orders"),
     "WITH kept AS (SELECT * FROM wo_day_stats WHERE orders <> 0 OR met <> 0 OR missed <> 0 "
     "OR responded <> 0 OR respond_s <> 0 OR resolved <> 0 OR resolve_s <> 0), "
     "counted AS (" GJ_WO_DAY_STATS_SELECT "), "
     "diff AS (SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM counted) UNION ALL "
     "SELECT * FROM (SELECT * FROM counted EXCEPT SELECT * FROM kept)) "
     "SELECT count(*), min('day ' || date(diff.day * 86400, 'unixepoch') || ' ' || "
     "diff.category || ' ' || diff.channel) FROM diff"},
    {N_("the arrears kept by unit match the bills"),
     "WITH counted AS (" GJ_ARREARS_UNITS_SELECT "), "
     "diff AS (SELECT * FROM (SELECT * FROM arrears_units EXCEPT SELECT * FROM counted) "
     "UNION ALL SELECT * FROM (SELECT * FROM counted EXCEPT SELECT * FROM arrears_units)) "
     "SELECT count(*), min('unit ' || diff.building || '-' || diff.entrance || '-' || diff.room) "
     "FROM diff"},
    {N_("the open work orders past due, kept by day, match the orders"),
     "WITH kept AS (SELECT * FROM wo_open_missed WHERE n <> 0), "
     "counted AS (" GJ_WO_OPEN_MISSED_SELECT "), "
     "diff AS (SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM counted) UNION ALL "
     "SELECT * FROM (SELECT * FROM counted EXCEPT SELECT * FROM kept)) "
     "SELECT count(*), min('day ' || date(diff.day * 86400, 'unixepoch') || ' ' || "
     "diff.category || ' ' || diff.channel) FROM diff"},
    {N_("the arrears totals match the arrears kept by unit"),
     "SELECT count(*), min('counted at ' || a.at) FROM arrears_asof a, (SELECT count(*) AS n, "
     "coalesce(sum(total_fen), 0) AS t, coalesce(sum(b0_fen), 0) AS b0, coalesce(sum(b1_fen), 0) "
     "AS b1, coalesce(sum(b2_fen), 0) AS b2, coalesce(sum(b3_fen), 0) AS b3 FROM arrears_units) s "
     "WHERE a.units <> s.n OR a.total_fen <> s.t OR a.b0_fen <> s.b0 OR a.b1_fen <> s.b1 OR "
     "a.b2_fen <> s.b2 OR a.b3_fen <> s.b3"},
    {N_("the complaint figures by day match the complaints"),
     "WITH kept AS (SELECT * FROM complaint_day_stats WHERE n <> 0 OR "
     "resolved <> 0 OR on_time <> 0 OR ack_n <> 0 OR ack_s <> 0 OR resolve_s <> 0 OR "
     "sat_n <> 0 OR sat_sum <> 0 OR s1 <> 0 OR s2 <> 0 OR s3 <> 0 OR s4 <> 0 OR "
     "s5 <> 0 OR g_minor <> 0 OR g_moderate <> 0 OR g_serious <> 0 OR "
     "c_attitude <> 0 OR c_repair_quality <> 0 OR c_noise <> 0 OR "
     "c_sanitation <> 0 OR c_security <> 0 OR c_fees <> 0 OR c_parking <> 0 OR "
     "c_neighbour <> 0 OR c_other <> 0), "
     "counted AS (" GJ_COMPLAINT_DAY_STATS_SELECT "), "
     "diff AS (SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM counted) UNION ALL "
     "SELECT * FROM (SELECT * FROM counted EXCEPT SELECT * FROM kept)) "
     "SELECT count(*), min('day ' || date(diff.day * 86400, 'unixepoch')) FROM diff"},
    {N_("the complaint root causes by day match the complaints"),
     "WITH kept AS (SELECT * FROM complaint_cause_days WHERE n <> 0), "
     "counted AS (" GJ_COMPLAINT_CAUSE_DAYS_SELECT "), "
     "diff AS (SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM counted) UNION ALL "
     "SELECT * FROM (SELECT * FROM counted EXCEPT SELECT * FROM kept)) "
     "SELECT count(*), min('day ' || date(diff.day * 86400, 'unixepoch') || ' ' || "
     "substr(diff.cause, 1, 40)) FROM diff"},
};

int gj_check_bookkeeping(struct gj_db *db, void (*report)(const struct gj_check_result *, void *),
                         void *ctx, int *failures, struct gj_error *err)
{
    for (size_t i = 0; i < sizeof invariants / sizeof invariants[0]; i++) {
        struct gj_check_result r;
        memset(&r, 0, sizeof r);
        r.name = _(invariants[i].name);
        sqlite3_stmt *st = gj_db_stmt(db, invariants[i].sql, err);
        if (!st)
            return err->code;
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
            gj_stmt_done(st);
            return gj_db_fail(db, rc, r.name, err);
        }
        r.problems = sqlite3_column_int64(st, 0);
        gj_col_text(st, 1, r.example, sizeof r.example);
        gj_stmt_done(st);
        if (r.problems)
            (*failures)++;
        report(&r, ctx);
    }
    return GJ_OK;
}

int gj_check_run(struct gj_db *db, void (*report)(const struct gj_check_result *, void *),
                 void *ctx, int *failures, struct gj_error *err)
{
    *failures = 0;
    struct gj_check_result r;

    /* SQLite's own structural check first. */
    memset(&r, 0, sizeof r);
    r.name = _("database file integrity");
    sqlite3_stmt *st = gj_db_stmt(db, "PRAGMA integrity_check(20)", err);
    if (!st)
        return err->code;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(st, 0);
        if (line && strcmp(line, "ok") != 0) {
            if (r.problems++ == 0)
                snprintf(r.example, sizeof r.example, "%s", line);
        }
    }
    gj_stmt_done(st);
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("checking the database file"), err);
    if (r.problems)
        (*failures)++;
    report(&r, ctx);
    return gj_check_bookkeeping(db, report, ctx, failures, err);
}

int gj_estate_count(struct gj_db *db, struct gj_estate_counts *out, struct gj_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM persons), "
        "(SELECT count(*) FROM unit_persons WHERE relation = 'owner' AND end_at IS NULL), "
        "(SELECT count(*) FROM unit_persons WHERE relation = 'tenant' AND end_at IS NULL), "
        "(SELECT count(*) FROM vehicles), (SELECT count(*) FROM parking_spaces), "
        "(SELECT count(*) FROM users), (SELECT count(*) FROM departments), "
        "(SELECT count(*) FROM staff), (SELECT count(*) FROM work_orders), "
        "(SELECT count(*) FROM work_orders WHERE state IN "
        "('new','dispatched','in_progress','on_hold')), "
        "(SELECT count(*) FROM complaints), "
        "(SELECT count(*) FROM complaints WHERE state IN ('open','acknowledged')), "
        "(SELECT count(*) FROM fee_items), (SELECT count(*) FROM bills), "
        "(SELECT count(*) FROM payments), "
        "(SELECT coalesce(sum(amount_fen - paid_fen), 0) FROM bills WHERE paid_fen < amount_fen), "
        "(SELECT count(DISTINCT unit_id) FROM bills WHERE paid_fen < amount_fen), "
        "(SELECT count(*) FROM audit_log)",
        err);
    if (!st)
        return err->code;
    int rc = gj_step_one(db, st, _("counting the estate"), err);
    if (rc != GJ_OK)
        return rc;
    int64_t *fields[] = {&out->units,           &out->persons,          &out->owners,
                         &out->tenants,         &out->vehicles,         &out->parking_spaces,
                         &out->users,           &out->departments,      &out->staff,
                         &out->work_orders,     &out->work_orders_open, &out->complaints,
                         &out->complaints_open, &out->fee_items,        &out->bills,
                         &out->payments,        &out->arrears_fen,      &out->units_in_arrears,
                         &out->audit_rows};
    for (int i = 0; i < (int)(sizeof fields / sizeof fields[0]); i++)
        *fields[i] = sqlite3_column_int64(st, i);
    gj_stmt_done(st);
    return GJ_OK;
}
