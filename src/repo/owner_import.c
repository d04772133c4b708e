/* The writes and look-ups of `guanjia import owners`: see
 * include/guanjia/repo_owner_import.h. */
#include "guanjia/repo_owner_import.h"

#include "repo_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_owners.h"
#include "guanjia/rules_owners.h"
#include "guanjia/unitcode.h"

#include <stdlib.h>
#include <string.h>

/* ---- sets of 64-bit keys (open addressing; 0 marks a free slot) ----------- */

struct keyset {
    uint64_t *keys;
    int64_t *vals; /* NULL for a set without values */
    size_t cap, n; /* cap: a power of two */
};

static uint64_t nonzero(uint64_t k)
{
    return k ? k : 1;
}

/* Every bit of k mixed into the low bits (the splitmix64 finalizer): a
 * unit's building is in its key's high bits. */
static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static size_t slot_of(const struct keyset *s, uint64_t k)
{
    size_t i = (size_t)mix(k) & (s->cap - 1);
    while (s->keys[i] && s->keys[i] != k)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static int keyset_grow(struct keyset *s, int with_vals)
{
    size_t cap = s->cap ? s->cap * 2 : 4096;
    uint64_t *keys = calloc(cap, sizeof *keys);
    int64_t *vals = with_vals ? calloc(cap, sizeof *vals) : NULL;
    if (!keys || (with_vals && !vals)) {
        free(keys);
        free(vals);
        return 0;
    }
    struct keyset t = {keys, vals, cap, s->n};
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->keys[i])
            continue;
        size_t j = slot_of(&t, s->keys[i]);
        t.keys[j] = s->keys[i];
        if (vals)
            t.vals[j] = s->vals[i];
    }
    free(s->keys);
    free(s->vals);
    *s = t;
    return 1;
}

/* Adds k (with v, in a map); 0 when out of memory. */
static int keyset_put(struct keyset *s, uint64_t k, int64_t v, int with_vals)
{
    k = nonzero(k);
    if ((s->n + 1) * 2 > s->cap && !keyset_grow(s, with_vals))
        return 0;
    size_t i = slot_of(s, k);
    if (!s->keys[i]) {
        s->keys[i] = k;
        s->n++;
    }
    if (with_vals)
        s->vals[i] = v;
    return 1;
}

/* Is k in s? Its value in *v (maps only). */
static int keyset_get(const struct keyset *s, uint64_t k, int64_t *v)
{
    if (!s->cap)
        return 0;
    size_t i = slot_of(s, nonzero(k));
    if (!s->keys[i])
        return 0;
    if (v && s->vals)
        *v = s->vals[i];
    return 1;
}

static void keyset_free(struct keyset *s)
{
    free(s->keys);
    free(s->vals);
    memset(s, 0, sizeof *s);
}

/* FNV-1a over s, from seed. */
static uint64_t hash_text(uint64_t seed, const char *s)
{
    uint64_t h = seed;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(0x100000001B3);
    }
    return h;
}

#define HASH_SEED UINT64_C(0xCBF29CE484222325)

static uint64_t phone_key(const char *phone)
{
    return hash_text(HASH_SEED, phone);
}

static uint64_t unit_name_key(int64_t unit_id, const char *name)
{
    return hash_text(HASH_SEED ^ ((uint64_t)unit_id * UINT64_C(0x9E3779B97F4A7C15)), name);
}

/* building 1-999, entrance 1-99, room 101-99999: exact, never 0. */
static uint64_t code_key(int building, int entrance, int room)
{
    return ((uint64_t)(uint32_t)building << 40) | ((uint64_t)(uint32_t)entrance << 24) |
           (uint64_t)(uint32_t)room;
}

/* ---- the insert triggers lifted for the import --------------------------- */

/* What each audit trigger writes, for the rows inserted after ?1 (the
 * largest id before the import): the same expressions as the trigger
 * (migrations 1 and 12), over the new rows in one statement.
 * test_import_fast compares the two. */
#define AUDIT_INSERT                                                                               \
    "INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values) "
#define NO_BULK " AND NOT EXISTS (SELECT 1 FROM bulk_load) ORDER BY id"

static const char units_audit_sql[] = AUDIT_INSERT
    "SELECT updated_at, updated_by, 'insert', 'units', id, NULL, json_object('id', id, "
    "'building', building, 'entrance', entrance, 'floor', floor, 'room', room, "
    "'area_centi_m2', area_centi_m2, 'status', status, 'delivered_at', delivered_at, 'notes', "
    "notes, 'archived', archived, 'created_at', created_at, 'version', version, 'updated_at', "
    "updated_at, 'updated_by', updated_by) FROM units WHERE id > ?1" NO_BULK;

static const char persons_audit_sql[] = AUDIT_INSERT
    "SELECT updated_at, updated_by, 'insert', 'persons', id, NULL, json_object('id', id, 'name', "
    "name, 'phone', phone, 'phone2', phone2, 'id_number', CASE WHEN id_number IS NULL OR "
    "id_number = '' THEN id_number WHEN length(id_number) >= 11 THEN substr(id_number, 1, 6) || "
    "replace(hex(zeroblob(length(id_number) - 10)), '00', '*') || substr(id_number, -4) WHEN "
    "length(id_number) >= 8 THEN replace(hex(zeroblob(length(id_number) - 4)), '00', '*') || "
    "substr(id_number, -4) ELSE replace(hex(zeroblob(length(id_number))), '00', '*') END, "
    "'notes', notes, 'initials', initials, 'search_keys', search_keys, 'archived', archived, "
    "'created_at', created_at, 'version', version, 'updated_at', updated_at, 'updated_by', "
    "updated_by) FROM persons WHERE id > ?1" NO_BULK;

static const char links_audit_sql[] = AUDIT_INSERT
    "SELECT updated_at, updated_by, 'insert', 'unit_persons', id, NULL, json_object('id', id, "
    "'unit_id', unit_id, 'person_id', person_id, 'relation', relation, 'start_at', start_at, "
    "'end_at', end_at, 'created_at', created_at, 'version', version, 'updated_at', updated_at, "
    "'updated_by', updated_by) FROM unit_persons WHERE id > ?1" NO_BULK;

enum { T_UNITS, T_PERSONS, T_LINKS };

static const struct lifted {
    const char *name, *drop, *redo;
    int table;
} lifted[] = {
    {"audit_units_insert", "DROP TRIGGER audit_units_insert", units_audit_sql, T_UNITS},
    {"audit_persons_insert", "DROP TRIGGER audit_persons_insert", persons_audit_sql, T_PERSONS},
    {"audit_unit_persons_insert", "DROP TRIGGER audit_unit_persons_insert", links_audit_sql,
     T_LINKS},
    /* Its rows are inserted with the person's (insert_keys). */
    {"person_search_keys_insert", "DROP TRIGGER person_search_keys_insert", NULL, T_PERSONS},
};
enum { L_SEARCH_KEYS = 3 };
#define NLIFTED (sizeof lifted / sizeof lifted[0])

struct gj_owner_import {
    struct gj_db *db;
    int64_t actor, now;
    int per_row;
    int64_t first[3];      /* the largest id of units, persons, links before */
    char *create[NLIFTED]; /* each lifted trigger's CREATE statement, NULL if not */
    struct keyset units;   /* unit code -> id */
    struct keyset phones;  /* phone and phone2 of every person on record */
    struct keyset names;   /* (unit, name) linked, for the units created here */
};

static int oom(struct gj_error *err)
{
    return gj_err(err, GJ_ENOMEM, "%s", _("out of memory"));
}

static int scalar(struct gj_db *db, const char *sql, int64_t *out, struct gj_error *err)
{
    return gj_db_int_of(db, sql, NULL, 0, out, _("starting the import"), err);
}

static int load_units(struct gj_owner_import *oi, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(oi->db, "SELECT id, building, entrance, room FROM units", err);
    if (!st)
        return err->code;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t k = code_key(sqlite3_column_int(st, 1), sqlite3_column_int(st, 2),
                              sqlite3_column_int(st, 3));
        if (!keyset_put(&oi->units, k, sqlite3_column_int64(st, 0), 1)) {
            gj_stmt_done(st);
            return oom(err);
        }
    }
    gj_stmt_done(st);
    return rc == SQLITE_DONE ? GJ_OK : gj_db_fail(oi->db, rc, _("starting the import"), err);
}

static int load_phones(struct gj_owner_import *oi, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(oi->db,
                                  "SELECT phone FROM persons WHERE phone IS NOT NULL UNION ALL "
                                  "SELECT phone2 FROM persons WHERE phone2 IS NOT NULL",
                                  err);
    if (!st)
        return err->code;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *phone = (const char *)sqlite3_column_text(st, 0);
        if (phone && !keyset_put(&oi->phones, phone_key(phone), 0, 0)) {
            gj_stmt_done(st);
            return oom(err);
        }
    }
    gj_stmt_done(st);
    return rc == SQLITE_DONE ? GJ_OK : gj_db_fail(oi->db, rc, _("starting the import"), err);
}

/* Drops the insert triggers, keeping what makes them again. */
static int lift_triggers(struct gj_owner_import *oi, struct gj_error *err)
{
    for (size_t i = 0; i < NLIFTED; i++) {
        sqlite3_stmt *st = gj_db_stmt(
            oi->db, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?", err);
        if (!st)
            return err->code;
        sqlite3_bind_text(st, 1, lifted[i].name, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT) {
            oi->create[i] = gj_col_strdup(st, 0);
            if (!oi->create[i]) {
                gj_stmt_done(st);
                return oom(err);
            }
        }
        gj_stmt_done(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return gj_db_fail(oi->db, rc, _("starting the import"), err);
        if (!oi->create[i])
            continue; /* not in this schema: nothing to stand in for */
        rc = sqlite3_exec(oi->db->h, lifted[i].drop, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return gj_db_fail(oi->db, rc, _("starting the import"), err);
    }
    return GJ_OK;
}

int gj_owner_import_begin(struct gj_db *db, int64_t actor, int per_row,
                          struct gj_owner_import **out, struct gj_error *err)
{
    *out = NULL;
    struct gj_owner_import *oi = calloc(1, sizeof *oi);
    if (!oi)
        return oom(err);
    oi->db = db;
    oi->actor = actor;
    oi->per_row = per_row;
    oi->now = gj_now();
    int rc = GJ_OK;
    if (!per_row) {
        if (db->tx_depth == 0)
            rc = gj_err(err, GJ_EDB, "%s", _("the import needs a transaction"));
        if (rc == GJ_OK)
            rc = scalar(db, "SELECT coalesce(max(id), 0) FROM units", &oi->first[T_UNITS], err);
        if (rc == GJ_OK)
            rc = scalar(db, "SELECT coalesce(max(id), 0) FROM persons", &oi->first[T_PERSONS], err);
        if (rc == GJ_OK)
            rc = scalar(db, "SELECT coalesce(max(id), 0) FROM unit_persons", &oi->first[T_LINKS],
                        err);
        if (rc == GJ_OK)
            rc = load_units(oi, err);
        if (rc == GJ_OK)
            rc = load_phones(oi, err);
        if (rc == GJ_OK)
            rc = lift_triggers(oi, err);
    }
    if (rc != GJ_OK) {
        gj_owner_import_free(oi);
        return rc;
    }
    *out = oi;
    return GJ_OK;
}

int gj_owner_import_finish(struct gj_owner_import *oi, struct gj_error *err)
{
    if (oi->per_row)
        return GJ_OK;
    for (size_t i = 0; i < NLIFTED; i++) {
        if (!oi->create[i])
            continue;
        if (lifted[i].redo) {
            sqlite3_stmt *st = gj_db_stmt(oi->db, lifted[i].redo, err);
            if (!st)
                return err->code;
            sqlite3_bind_int64(st, 1, oi->first[lifted[i].table]);
            int rc = gj_db_exec_stmt(oi->db, st, _("finishing the import"), err);
            if (rc != GJ_OK)
                return rc;
        }
        int src = sqlite3_exec(oi->db->h, oi->create[i], NULL, NULL, NULL);
        if (src != SQLITE_OK)
            return gj_db_fail(oi->db, src, _("finishing the import"), err);
        free(oi->create[i]);
        oi->create[i] = NULL;
    }
    return GJ_OK;
}

void gj_owner_import_free(struct gj_owner_import *oi)
{
    if (!oi)
        return;
    for (size_t i = 0; i < NLIFTED; i++)
        free(oi->create[i]);
    keyset_free(&oi->units);
    keyset_free(&oi->phones);
    keyset_free(&oi->names);
    free(oi);
}

/* ---- look-ups ------------------------------------------------------------- */

int gj_owner_import_find_unit(struct gj_owner_import *oi, int building, int entrance, int room,
                              struct gj_unit *out, struct gj_error *err)
{
    if (oi->per_row)
        return gj_unit_find_code(oi->db, building, entrance, room, out, err);
    int64_t id = 0;
    if (!keyset_get(&oi->units, code_key(building, entrance, room), &id)) {
        struct gj_unitcode c = {building, entrance, room};
        char code[24];
        gj_unitcode_format(&c, code, sizeof code);
        return gj_err(err, GJ_ENOTFOUND, _("unit %s: no such unit"), code);
    }
    /* Not the whole row (8 KB of notes): what the import reads of it. */
    out->id = id;
    out->building = building;
    out->entrance = entrance;
    out->room = room;
    return GJ_OK;
}

int gj_owner_import_by_phone(struct gj_owner_import *oi, const char *phone, int limit,
                             struct gj_person *rows, int *n, struct gj_error *err)
{
    if (!oi->per_row && !keyset_get(&oi->phones, phone_key(phone), NULL)) {
        *n = 0;
        return GJ_OK;
    }
    return gj_persons_by_phone(oi->db, phone, limit, rows, n, err);
}

int gj_owner_import_named_in_unit(struct gj_owner_import *oi, int64_t unit_id, const char *name,
                                  int limit, struct gj_person *rows, int *n, struct gj_error *err)
{
    /* A unit created here has only the links made here. */
    if (!oi->per_row && unit_id > oi->first[T_UNITS] &&
        !keyset_get(&oi->names, unit_name_key(unit_id, name), NULL)) {
        *n = 0;
        return GJ_OK;
    }
    return gj_persons_named_in_unit(oi->db, unit_id, name, limit, rows, n, err);
}

/* ---- writes --------------------------------------------------------------- */

/* What the trigger person_search_keys_insert (migration 2) writes for a new
 * person: one row per key of keys, the words between single spaces (empty
 * ones skipped), a repeated key once. */
static int insert_keys(struct gj_owner_import *oi, int64_t person_id, const char *keys,
                       struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        oi->db, "INSERT OR IGNORE INTO person_search_keys(key, person_id) VALUES (?, ?)", err);
    if (!st)
        return err->code;
    for (const char *k = keys; *k;) {
        const char *end = strchr(k, ' ');
        size_t n = end ? (size_t)(end - k) : strlen(k);
        if (n > 0) {
            sqlite3_bind_text(st, 1, k, (int)n, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, person_id);
            int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                return gj_db_fail(oi->db, rc, _("saving the changes"), err);
        }
        k += n;
        if (*k == ' ')
            k++;
    }
    return GJ_OK;
}

int gj_owner_import_create_unit(struct gj_owner_import *oi, struct gj_unit *u, struct gj_error *err)
{
    if (oi->per_row)
        return gj_unit_create(oi->db, oi->actor, u, err);
    int rc = gj_unit_validate(u, err);
    if (rc == GJ_OK)
        rc = gj_unit_insert_row(oi->db, oi->actor, u, oi->now, err);
    if (rc == GJ_OK &&
        !keyset_put(&oi->units, code_key(u->building, u->entrance, u->room), u->id, 1))
        rc = oom(err);
    return rc;
}

int gj_owner_import_create_person(struct gj_owner_import *oi, struct gj_person *p,
                                  struct gj_error *err)
{
    if (oi->per_row)
        return gj_person_create(oi->db, oi->actor, p, err);
    /* Checked and made canonical by gj_owner_row_parse already: checking
     * again changes nothing. */
    char keys[GJ_PERSON_KEYS_BYTES];
    int rc = gj_person_insert_row(oi->db, oi->actor, p, oi->now, keys, err);
    if (rc == GJ_OK && oi->create[L_SEARCH_KEYS])
        rc = insert_keys(oi, p->id, keys, err);
    if (rc == GJ_OK && ((p->phone[0] && !keyset_put(&oi->phones, phone_key(p->phone), 0, 0)) ||
                        (p->phone2[0] && !keyset_put(&oi->phones, phone_key(p->phone2), 0, 0))))
        rc = oom(err);
    return rc;
}

int gj_owner_import_link(struct gj_owner_import *oi, struct gj_unit_person *l,
                         const char *person_name, struct gj_error *err)
{
    if (oi->per_row)
        return gj_unit_person_add(oi->db, oi->actor, l, err);
    int rc = gj_unit_person_validate(l, err);
    if (rc == GJ_OK)
        rc = gj_unit_person_insert_row(oi->db, oi->actor, l, oi->now, err);
    if (rc == GJ_OK && l->unit_id > oi->first[T_UNITS] &&
        !keyset_put(&oi->names, unit_name_key(l->unit_id, person_name), 0, 0))
        rc = oom(err);
    return rc;
}
