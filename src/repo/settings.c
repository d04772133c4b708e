/* Settings and SLA targets. */
#include "guanjia/repo_settings.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/rules_people.h"

#include <stdio.h>
#include <string.h>

/* ---- settings ------------------------------------------------------------- */

#define SETTING_COLS "id, key, value, version, updated_at, coalesce(updated_by, 0)"

static void read_setting(sqlite3_stmt *st, struct gj_setting *s)
{
    memset(s, 0, sizeof *s);
    s->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, s->key, sizeof s->key);
    gj_col_text(st, 2, s->value, sizeof s->value);
    gj_read_meta(st, 3, &s->meta);
}

static void setting_label(const char *key, char *out, size_t outsz)
{
    snprintf(out, outsz, _("setting %s"), key);
}

int gj_setting_get(struct gj_db *db, const char *key, struct gj_setting *out, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT " SETTING_COLS " FROM settings WHERE key = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, key ? key : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_setting(st, out);
        gj_stmt_done(st);
        return GJ_OK;
    }
    gj_stmt_done(st);
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("reading a setting"), err);
    char label[96];
    setting_label(key ? key : "", label, sizeof label);
    return gj_err(err, GJ_ENOTFOUND, _("%s: not set"), label);
}

/* A whole number in ASCII digits with an optional minus sign. */
static int parse_int64(const char *s, int64_t *out)
{
    int neg = *s == '-';
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    if (neg)
        s++;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        unsigned d = (unsigned)(*s - '0');
        if (v > (limit - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    return 1;
}

int gj_setting_get_int(struct gj_db *db, const char *key, int64_t default_value, int64_t *value,
                       struct gj_error *err)
{
    *value = default_value;
    struct gj_setting s;
    int rc = gj_setting_get(db, key, &s, err);
    if (rc == GJ_ENOTFOUND) {
        gj_err_clear(err);
        return GJ_OK;
    }
    if (rc != GJ_OK)
        return rc;
    int64_t v;
    if (!parse_int64(s.value, &v)) {
        char label[96];
        setting_label(s.key, label, sizeof label);
        return gj_err(err, GJ_EINVAL, _("%s: \"%s\" is not a whole number"), label, s.value);
    }
    *value = v;
    return GJ_OK;
}

int gj_setting_set(struct gj_db *db, int64_t actor, const char *key, const char *value,
                   int64_t expected_version, struct gj_error *err)
{
    int rc = gj_setting_key_validate(key, err);
    if (rc != GJ_OK)
        return rc;
    if (!value)
        value = "";
    rc = gj_setting_value_validate(key, value, err);
    if (rc != GJ_OK)
        return rc;
    if (expected_version < 0)
        return gj_err(err, GJ_EINVAL, _("version: must not be negative"));
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[96];
    setting_label(key, label, sizeof label);
    struct gj_setting cur;
    struct gj_error e2;
    int exists = gj_setting_get(db, key, &cur, &e2) == GJ_OK;
    if (expected_version == 0) {
        if (exists)
            return gj_tx_finish(db, gj_db_conflict(db, "settings", label, cur.id, err), err);
        sqlite3_stmt *st = gj_db_stmt(
            db, "INSERT INTO settings(key, value, updated_at, updated_by) VALUES (?,?,?,?)", err);
        if (!st)
            return gj_tx_finish(db, err->code, err);
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        /* An empty value stays an empty string: the column is NOT NULL. */
        sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now);
        gj_bind_id(st, 4, actor);
        rc = gj_db_exec_stmt(db, st, label, err);
        return gj_tx_finish(db, rc, err);
    }
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE settings SET value = ?, version = version + 1, "
                                  "updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    gj_bind_id(st, 3, actor);
    sqlite3_bind_int64(st, 4, exists ? cur.id : 0);
    sqlite3_bind_int64(st, 5, expected_version);
    rc = gj_step_guarded(db, st, "settings", label, exists ? cur.id : 0, exists, label, err);
    return gj_tx_finish(db, rc, err);
}

/* ---- SLA targets ---------------------------------------------------------- */

#define SLA_COLS                                                                                   \
    "id, kind, level, respond_minutes, resolve_minutes, version, updated_at, "                     \
    "coalesce(updated_by, 0)"

static void read_sla(sqlite3_stmt *st, void *row)
{
    struct gj_sla_target *t = row;
    memset(t, 0, sizeof *t);
    t->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, t->kind, sizeof t->kind);
    gj_col_text(st, 2, t->level, sizeof t->level);
    t->respond_minutes = sqlite3_column_int(st, 3);
    t->resolve_minutes = sqlite3_column_int(st, 4);
    gj_read_meta(st, 5, &t->meta);
}

static void sla_label(const char *kind, const char *level, char *out, size_t outsz)
{
    snprintf(out, outsz, _("SLA target %s/%s"), kind, level);
}

int gj_sla_get(struct gj_db *db, const char *kind, const char *level, struct gj_sla_target *out,
               struct gj_error *err)
{
    int rc = gj_sla_level_validate(kind, level, err);
    if (rc != GJ_OK)
        return rc;
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT " SLA_COLS " FROM sla_targets WHERE kind = ? AND level = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, level, -1, SQLITE_STATIC);
    char label[96];
    sla_label(kind, level, label, sizeof label);
    rc = gj_step_one(db, st, label, err);
    if (rc == GJ_OK) {
        read_sla(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_sla_list(struct gj_db *db, const char *kind, struct gj_sla_target *rows, int max, int *n,
                struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "SELECT " SLA_COLS " FROM sla_targets WHERE ?1 IS NULL OR kind = ?1 "
        "ORDER BY CASE kind WHEN 'work_order' THEN 0 ELSE 1 END, "
        "CASE level WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 "
        "WHEN 'low' THEN 3 WHEN 'serious' THEN 0 WHEN 'moderate' THEN 1 WHEN 'minor' THEN 2 "
        "ELSE 9 END, id LIMIT ?2",
        err);
    if (!st)
        return err->code;
    gj_bind_text(st, 1, kind);
    sqlite3_bind_int(st, 2, max);
    return gj_step_rows(db, st, max, rows, sizeof *rows, read_sla, n, _("listing SLA targets"),
                        err);
}

int gj_sla_update(struct gj_db *db, int64_t actor, struct gj_sla_target *t, struct gj_error *err)
{
    int rc = gj_sla_validate(t, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[96];
    sla_label(t->kind, t->level, label, sizeof label);
    struct gj_sla_target cur;
    struct gj_error e2;
    int exists = gj_sla_get(db, t->kind, t->level, &cur, &e2) == GJ_OK && cur.id == t->id;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE sla_targets SET respond_minutes = ?, "
                                  "resolve_minutes = ?, version = version + 1, updated_at = ?, "
                                  "updated_by = ? WHERE id = ? AND kind = ? AND level = ? "
                                  "AND version = ?",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int(st, 1, t->respond_minutes);
    sqlite3_bind_int(st, 2, t->resolve_minutes);
    sqlite3_bind_int64(st, 3, now);
    gj_bind_id(st, 4, actor);
    sqlite3_bind_int64(st, 5, t->id);
    sqlite3_bind_text(st, 6, t->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, t->level, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, t->meta.version);
    rc = gj_step_guarded(db, st, "sla_targets", label, t->id, exists, label, err);
    if (rc == GJ_OK)
        t->meta = (struct gj_row_meta){t->meta.version + 1, now, actor};
    return gj_tx_finish(db, rc, err);
}
