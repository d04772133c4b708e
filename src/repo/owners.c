/* Units, persons, links, vehicles and parking spaces. */
#include "guanjia/repo_owners.h"

#include "repo_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/pinyin.h"
#include "guanjia/rules_owners.h"
#include "guanjia/unitcode.h"

#include <stdio.h>
#include <string.h>

/* ---- units ---------------------------------------------------------------- */

#define UNIT_COLS                                                                                  \
    "id, building, entrance, floor, room, area_centi_m2, status, coalesce(delivered_at, 0), "      \
    "notes, archived, created_at, version, updated_at, coalesce(updated_by, 0)"

static void read_unit(sqlite3_stmt *st, void *row)
{
    struct gj_unit *u = row;
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    u->building = sqlite3_column_int(st, 1);
    u->entrance = sqlite3_column_int(st, 2);
    u->floor = sqlite3_column_int(st, 3);
    u->room = sqlite3_column_int(st, 4);
    u->area_centi_m2 = sqlite3_column_int64(st, 5);
    gj_col_text(st, 6, u->status, sizeof u->status);
    u->delivered_at = sqlite3_column_int64(st, 7);
    gj_col_text(st, 8, u->notes, sizeof u->notes);
    u->archived = sqlite3_column_int(st, 9);
    u->created_at = sqlite3_column_int64(st, 10);
    gj_read_meta(st, 11, &u->meta);
}

static void unit_label(const struct gj_unit *u, char *out, size_t outsz)
{
    struct gj_unitcode c = {u->building, u->entrance, u->room};
    char code[24];
    gj_unitcode_format(&c, code, sizeof code);
    snprintf(out, outsz, _("unit %s"), code);
}

/* Parameters 1-8 of both the INSERT and the UPDATE of a unit. */
static void bind_unit_fields(sqlite3_stmt *st, const struct gj_unit *u)
{
    sqlite3_bind_int(st, 1, u->building);
    sqlite3_bind_int(st, 2, u->entrance);
    sqlite3_bind_int(st, 3, u->floor);
    sqlite3_bind_int(st, 4, u->room);
    sqlite3_bind_int64(st, 5, u->area_centi_m2);
    sqlite3_bind_text(st, 6, u->status, -1, SQLITE_STATIC);
    gj_bind_opt_i64(st, 7, u->delivered_at != 0, u->delivered_at);
    gj_bind_text(st, 8, u->notes);
}

int gj_unit_get(struct gj_db *db, int64_t id, struct gj_unit *out, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT " UNIT_COLS " FROM units WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a unit"), err);
    if (rc == GJ_OK) {
        read_unit(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_unit_find_code(struct gj_db *db, int building, int entrance, int room, struct gj_unit *out,
                      struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        db, "SELECT " UNIT_COLS " FROM units WHERE building = ? AND entrance = ? AND room = ?",
        err);
    if (!st)
        return err->code;
    sqlite3_bind_int(st, 1, building);
    sqlite3_bind_int(st, 2, entrance);
    sqlite3_bind_int(st, 3, room);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_unit(st, out);
        gj_stmt_done(st);
        return GJ_OK;
    }
    gj_stmt_done(st);
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("finding a unit"), err);
    struct gj_unitcode c = {building, entrance, room};
    char code[24];
    gj_unitcode_format(&c, code, sizeof code);
    return gj_err(err, GJ_ENOTFOUND, _("unit %s: no such unit"), code);
}

int gj_unit_insert_row(struct gj_db *db, int64_t actor, struct gj_unit *u, int64_t now,
                       struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "INSERT INTO units(building, entrance, floor, room, area_centi_m2, status, delivered_at, "
        "notes, created_at, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        err);
    if (!st)
        return err->code;
    bind_unit_fields(st, u);
    sqlite3_bind_int64(st, 9, now);
    sqlite3_bind_int64(st, 10, now);
    gj_bind_id(st, 11, actor);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        char label[64];
        unit_label(u, label, sizeof label);
        return gj_db_fail(db, rc, label, err);
    }
    u->id = sqlite3_last_insert_rowid(db->h);
    u->created_at = now;
    u->meta = (struct gj_row_meta){1, now, actor};
    return GJ_OK;
}

int gj_unit_create(struct gj_db *db, int64_t actor, struct gj_unit *u, struct gj_error *err)
{
    int rc = gj_unit_validate(u, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_unit_insert_row(db, actor, u, gj_now(), err);
    return gj_tx_finish(db, rc, err);
}

int gj_unit_update(struct gj_db *db, int64_t actor, struct gj_unit *u, struct gj_error *err)
{
    int rc = gj_unit_validate(u, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    char label[64];
    unit_label(u, label, sizeof label);
    struct gj_unit cur;
    struct gj_error e2;
    int exists = gj_unit_get(db, u->id, &cur, &e2) == GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "UPDATE units SET building = ?, entrance = ?, floor = ?, room = ?, area_centi_m2 = ?, "
        "status = ?, delivered_at = ?, notes = ?, archived = ?, version = version + 1, "
        "updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
        err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    bind_unit_fields(st, u);
    sqlite3_bind_int(st, 9, u->archived ? 1 : 0);
    sqlite3_bind_int64(st, 10, now);
    gj_bind_id(st, 11, actor);
    sqlite3_bind_int64(st, 12, u->id);
    sqlite3_bind_int64(st, 13, u->meta.version);
    rc = gj_step_guarded(db, st, "units", label, u->id, exists, label, err);
    if (rc == GJ_OK)
        u->meta = (struct gj_row_meta){u->meta.version + 1, now, actor};
    return gj_tx_finish(db, rc, err);
}

int gj_units_list(struct gj_db *db, const struct gj_unit_key *after, int limit,
                  struct gj_unit *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " UNIT_COLS " FROM units "
                                  "WHERE (building, entrance, room) > (?, ?, ?) "
                                  "ORDER BY building, entrance, room LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int(st, 1, after ? after->building : -1);
    sqlite3_bind_int(st, 2, after ? after->entrance : -1);
    sqlite3_bind_int(st, 3, after ? after->room : -1);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_unit, n, _("listing units"), err);
}

int gj_units_list_before(struct gj_db *db, const struct gj_unit_key *before, int limit,
                         struct gj_unit *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " UNIT_COLS " FROM units "
                                  "WHERE (building, entrance, room) < (?, ?, ?) "
                                  "ORDER BY building DESC, entrance DESC, room DESC LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int(st, 1, before ? before->building : 1000000);
    sqlite3_bind_int(st, 2, before ? before->entrance : 0);
    sqlite3_bind_int(st, 3, before ? before->room : 0);
    sqlite3_bind_int(st, 4, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_unit, n, _("listing units"), err);
}

/* ---- persons -------------------------------------------------------------- */

#define PERSON_COLS                                                                                \
    "id, name, phone, phone2, id_number, notes, initials, archived, created_at, version, "         \
    "updated_at, coalesce(updated_by, 0)"

static void read_person(sqlite3_stmt *st, void *row)
{
    struct gj_person *p = row;
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, p->name, sizeof p->name);
    gj_col_text(st, 2, p->phone, sizeof p->phone);
    gj_col_text(st, 3, p->phone2, sizeof p->phone2);
    gj_col_text(st, 4, p->id_number, sizeof p->id_number);
    gj_col_text(st, 5, p->notes, sizeof p->notes);
    gj_col_text(st, 6, p->initials, sizeof p->initials);
    p->archived = sqlite3_column_int(st, 7);
    p->created_at = sqlite3_column_int64(st, 8);
    gj_read_meta(st, 9, &p->meta);
}

static int read_persons(struct gj_db *db, sqlite3_stmt *st, int limit, struct gj_person *rows,
                        int *n, const char *what, struct gj_error *err)
{
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_person, n, what, err);
}

int gj_person_get(struct gj_db *db, int64_t id, struct gj_person *out, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT " PERSON_COLS " FROM persons WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a person"), err);
    if (rc == GJ_OK) {
        read_person(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

/* Parameters 1-7 of both the INSERT and the UPDATE of a person. */
static void bind_person_fields(sqlite3_stmt *st, const struct gj_person *p, const char *keys)
{
    gj_bind_text(st, 1, p->name);
    gj_bind_text(st, 2, p->phone);
    gj_bind_text(st, 3, p->phone2);
    gj_bind_text(st, 4, p->id_number);
    gj_bind_text(st, 5, p->notes);
    sqlite3_bind_text(st, 6, p->initials, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, keys, -1, SQLITE_STATIC);
}

static void person_keys(struct gj_person *p, char *keys, size_t keysz)
{
    gj_pinyin_initials(p->name, p->initials, sizeof p->initials);
    gj_pinyin_keys(p->name, keys, keysz);
}

int gj_person_insert_row(struct gj_db *db, int64_t actor, struct gj_person *p, int64_t now,
                         char *keys, struct gj_error *err)
{
    person_keys(p, keys, GJ_PERSON_KEYS_BYTES);
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "INSERT INTO persons(name, phone, phone2, id_number, notes, initials, "
                   "search_keys, created_at, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?)",
                   err);
    if (!st)
        return err->code;
    bind_person_fields(st, p, keys);
    sqlite3_bind_int64(st, 8, now);
    sqlite3_bind_int64(st, 9, now);
    gj_bind_id(st, 10, actor);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        char label[GJ_NAME_BYTES + 32];
        snprintf(label, sizeof label, _("person %s"), p->name);
        return gj_db_fail(db, rc, label, err);
    }
    p->id = sqlite3_last_insert_rowid(db->h);
    p->created_at = now;
    p->meta = (struct gj_row_meta){1, now, actor};
    return GJ_OK;
}

int gj_person_create(struct gj_db *db, int64_t actor, struct gj_person *p, struct gj_error *err)
{
    int rc = gj_person_validate(p, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    char keys[GJ_PERSON_KEYS_BYTES];
    rc = gj_person_insert_row(db, actor, p, gj_now(), keys, err);
    return gj_tx_finish(db, rc, err);
}

int gj_person_update(struct gj_db *db, int64_t actor, struct gj_person *p, struct gj_error *err)
{
    int rc = gj_person_validate(p, err);
    if (rc != GJ_OK)
        return rc;
    char keys[GJ_PERSON_KEYS_BYTES];
    person_keys(p, keys, sizeof keys);
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    struct gj_person cur;
    struct gj_error e2;
    int exists = gj_person_get(db, p->id, &cur, &e2) == GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "UPDATE persons SET name = ?, phone = ?, phone2 = ?, id_number = ?, notes = ?, "
        "initials = ?, search_keys = ?, archived = ?, version = version + 1, updated_at = ?, "
        "updated_by = ? WHERE id = ? AND version = ?",
        err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    bind_person_fields(st, p, keys);
    sqlite3_bind_int(st, 8, p->archived ? 1 : 0);
    sqlite3_bind_int64(st, 9, now);
    gj_bind_id(st, 10, actor);
    sqlite3_bind_int64(st, 11, p->id);
    sqlite3_bind_int64(st, 12, p->meta.version);
    char label[GJ_NAME_BYTES + 32];
    snprintf(label, sizeof label, _("person %s"), exists ? cur.name : p->name);
    rc = gj_step_guarded(db, st, "persons", label, p->id, exists, label, err);
    if (rc == GJ_OK)
        p->meta = (struct gj_row_meta){p->meta.version + 1, now, actor};
    return gj_tx_finish(db, rc, err);
}

int gj_persons_list(struct gj_db *db, const struct gj_person_key *after, int limit,
                    struct gj_person *rows, int *n, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " PERSON_COLS " FROM persons WHERE (name, id) > (?, ?) "
                                  "ORDER BY name, id LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, after ? after->name : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, after ? after->id : 0);
    sqlite3_bind_int(st, 3, limit);
    return read_persons(db, st, limit, rows, n, _("listing persons"), err);
}

int gj_persons_by_phone(struct gj_db *db, const char *phone, int limit, struct gj_person *rows,
                        int *n, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " PERSON_COLS " FROM persons WHERE phone = ?1 "
                                  "UNION SELECT " PERSON_COLS " FROM persons WHERE phone2 = ?1 "
                                  "ORDER BY 2, 1 LIMIT ?2",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, phone, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, limit);
    return read_persons(db, st, limit, rows, n, _("finding a phone number"), err);
}

int gj_persons_named_in_unit(struct gj_db *db, int64_t unit_id, const char *name, int limit,
                             struct gj_person *rows, int *n, struct gj_error *err)
{
    /* Over the unit's links (unit_persons_unit), not over everyone of the
     * name: a common name has thousands of holders on a large estate. */
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " PERSON_COLS " FROM persons WHERE id IN "
                                  "(SELECT person_id FROM unit_persons WHERE unit_id = ?1 "
                                  "AND end_at IS NULL) AND name = ?2 ORDER BY id LIMIT ?3",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, unit_id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, limit);
    return read_persons(db, st, limit, rows, n, _("finding a person of a unit"), err);
}

/* ---- unit-person links ---------------------------------------------------- */

#define LINK_COLS                                                                                  \
    "id, unit_id, person_id, relation, coalesce(start_at, 0), coalesce(end_at, 0), created_at, "   \
    "version, updated_at, coalesce(updated_by, 0)"

static void read_link(sqlite3_stmt *st, void *row)
{
    struct gj_unit_person *l = row;
    memset(l, 0, sizeof *l);
    l->id = sqlite3_column_int64(st, 0);
    l->unit_id = sqlite3_column_int64(st, 1);
    l->person_id = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, l->relation, sizeof l->relation);
    l->start_at = sqlite3_column_int64(st, 4);
    l->end_at = sqlite3_column_int64(st, 5);
    l->created_at = sqlite3_column_int64(st, 6);
    gj_read_meta(st, 7, &l->meta);
}

int gj_unit_person_get(struct gj_db *db, int64_t id, struct gj_unit_person *out,
                       struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT " LINK_COLS " FROM unit_persons WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a household link"), err);
    if (rc == GJ_OK) {
        read_link(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_unit_person_insert_row(struct gj_db *db, int64_t actor, struct gj_unit_person *l,
                              int64_t now, struct gj_error *err)
{
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "INSERT INTO unit_persons(unit_id, person_id, relation, start_at, end_at, "
                   "created_at, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?)",
                   err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, l->unit_id);
    sqlite3_bind_int64(st, 2, l->person_id);
    sqlite3_bind_text(st, 3, l->relation, -1, SQLITE_STATIC);
    gj_bind_opt_i64(st, 4, l->start_at != 0, l->start_at);
    gj_bind_opt_i64(st, 5, l->end_at != 0, l->end_at);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int64(st, 7, now);
    gj_bind_id(st, 8, actor);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return gj_db_fail(db, rc, _("linking a person to a unit"), err);
    l->id = sqlite3_last_insert_rowid(db->h);
    l->created_at = now;
    l->meta = (struct gj_row_meta){1, now, actor};
    return GJ_OK;
}

int gj_unit_person_add(struct gj_db *db, int64_t actor, struct gj_unit_person *l,
                       struct gj_error *err)
{
    int rc = gj_unit_person_validate(l, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_unit_person_insert_row(db, actor, l, gj_now(), err);
    return gj_tx_finish(db, rc, err);
}

int gj_unit_person_end(struct gj_db *db, int64_t actor, struct gj_unit_person *l, int64_t end_at,
                       struct gj_error *err)
{
    if (l->end_at)
        return gj_err(err, GJ_EINVAL, _("this link has already ended"));
    if (l->start_at && end_at < l->start_at)
        return gj_err(err, GJ_EINVAL, _("end date: before the start date"));
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    struct gj_unit_person cur;
    struct gj_error e2;
    int exists = gj_unit_person_get(db, l->id, &cur, &e2) == GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE unit_persons SET end_at = ?, version = version + 1, "
                                  "updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    sqlite3_bind_int64(st, 1, end_at);
    sqlite3_bind_int64(st, 2, now);
    gj_bind_id(st, 3, actor);
    sqlite3_bind_int64(st, 4, l->id);
    sqlite3_bind_int64(st, 5, l->meta.version);
    rc = gj_step_guarded(db, st, "unit_persons", _("the household link"), l->id, exists,
                         _("ending a household link"), err);
    if (rc == GJ_OK) {
        l->end_at = end_at;
        l->meta = (struct gj_row_meta){l->meta.version + 1, now, actor};
    }
    return gj_tx_finish(db, rc, err);
}

static int list_links(struct gj_db *db, sqlite3_stmt *st, int64_t key, int limit,
                      struct gj_unit_person *rows, int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_bind_int64(st, 1, key);
    sqlite3_bind_int(st, 2, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_link, n,
                        _("listing household links"), err);
}

int gj_unit_persons_of_unit(struct gj_db *db, int64_t unit_id, int limit,
                            struct gj_unit_person *rows, int *n, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " LINK_COLS " FROM unit_persons WHERE unit_id = ? "
                                  "ORDER BY end_at IS NOT NULL, id LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    return list_links(db, st, unit_id, limit, rows, n, err);
}

int gj_unit_persons_of_person(struct gj_db *db, int64_t person_id, int limit,
                              struct gj_unit_person *rows, int *n, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " LINK_COLS " FROM unit_persons WHERE person_id = ? "
                                  "ORDER BY end_at IS NOT NULL, id LIMIT ?",
                                  err);
    if (!st)
        return err->code;
    return list_links(db, st, person_id, limit, rows, n, err);
}

/* ---- vehicles ------------------------------------------------------------- */

#define VEHICLE_COLS                                                                               \
    "id, person_id, coalesce(unit_id, 0), plate, description, archived, created_at, version, "     \
    "updated_at, coalesce(updated_by, 0)"

static void read_vehicle(sqlite3_stmt *st, void *row)
{
    struct gj_vehicle *v = row;
    memset(v, 0, sizeof *v);
    v->id = sqlite3_column_int64(st, 0);
    v->person_id = sqlite3_column_int64(st, 1);
    v->unit_id = sqlite3_column_int64(st, 2);
    gj_col_text(st, 3, v->plate, sizeof v->plate);
    gj_col_text(st, 4, v->description, sizeof v->description);
    v->archived = sqlite3_column_int(st, 5);
    v->created_at = sqlite3_column_int64(st, 6);
    gj_read_meta(st, 7, &v->meta);
}

/* Parameters 1-4 of both the INSERT and the UPDATE of a vehicle. */
static void bind_vehicle_fields(sqlite3_stmt *st, const struct gj_vehicle *v)
{
    sqlite3_bind_int64(st, 1, v->person_id);
    gj_bind_id(st, 2, v->unit_id);
    sqlite3_bind_text(st, 3, v->plate, -1, SQLITE_STATIC);
    gj_bind_text(st, 4, v->description);
}

int gj_vehicle_get(struct gj_db *db, int64_t id, struct gj_vehicle *out, struct gj_error *err)
{
    sqlite3_stmt *st = gj_db_stmt(db, "SELECT " VEHICLE_COLS " FROM vehicles WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a vehicle"), err);
    if (rc == GJ_OK) {
        read_vehicle(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_vehicle_create(struct gj_db *db, int64_t actor, struct gj_vehicle *v, struct gj_error *err)
{
    int rc = gj_vehicle_validate(v, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "INSERT INTO vehicles(person_id, unit_id, plate, description, "
                                  "created_at, updated_at, updated_by) VALUES (?,?,?,?,?,?,?)",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    bind_vehicle_fields(st, v);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_int64(st, 6, now);
    gj_bind_id(st, 7, actor);
    char label[80];
    snprintf(label, sizeof label, _("vehicle %s"), v->plate);
    rc = gj_db_exec_stmt(db, st, label, err);
    if (rc == GJ_OK) {
        v->id = sqlite3_last_insert_rowid(db->h);
        v->created_at = now;
        v->meta = (struct gj_row_meta){1, now, actor};
    }
    return gj_tx_finish(db, rc, err);
}

int gj_vehicle_update(struct gj_db *db, int64_t actor, struct gj_vehicle *v, struct gj_error *err)
{
    int rc = gj_vehicle_validate(v, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    struct gj_vehicle cur;
    struct gj_error e2;
    int exists = gj_vehicle_get(db, v->id, &cur, &e2) == GJ_OK;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "UPDATE vehicles SET person_id = ?, unit_id = ?, plate = ?, "
                                  "description = ?, archived = ?, version = version + 1, "
                                  "updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
                                  err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    bind_vehicle_fields(st, v);
    sqlite3_bind_int(st, 5, v->archived ? 1 : 0);
    sqlite3_bind_int64(st, 6, now);
    gj_bind_id(st, 7, actor);
    sqlite3_bind_int64(st, 8, v->id);
    sqlite3_bind_int64(st, 9, v->meta.version);
    char label[80];
    snprintf(label, sizeof label, _("vehicle %s"), v->plate);
    rc = gj_step_guarded(db, st, "vehicles", label, v->id, exists, label, err);
    if (rc == GJ_OK)
        v->meta = (struct gj_row_meta){v->meta.version + 1, now, actor};
    return gj_tx_finish(db, rc, err);
}

int gj_vehicles_of_person(struct gj_db *db, int64_t person_id, int limit, struct gj_vehicle *rows,
                          int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(
        db, "SELECT " VEHICLE_COLS " FROM vehicles WHERE person_id = ? ORDER BY id LIMIT ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, person_id);
    sqlite3_bind_int(st, 2, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_vehicle, n, _("listing vehicles"),
                        err);
}

/* ---- parking spaces ------------------------------------------------------- */

#define PARKING_COLS                                                                               \
    "id, code, zone, kind, coalesce(unit_id, 0), coalesce(vehicle_id, 0), "                        \
    "coalesce(assigned_at, 0), archived, created_at, version, updated_at, "                        \
    "coalesce(updated_by, 0)"

static void read_parking(sqlite3_stmt *st, void *row)
{
    struct gj_parking_space *p = row;
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, p->code, sizeof p->code);
    gj_col_text(st, 2, p->zone, sizeof p->zone);
    gj_col_text(st, 3, p->kind, sizeof p->kind);
    p->unit_id = sqlite3_column_int64(st, 4);
    p->vehicle_id = sqlite3_column_int64(st, 5);
    p->assigned_at = sqlite3_column_int64(st, 6);
    p->archived = sqlite3_column_int(st, 7);
    p->created_at = sqlite3_column_int64(st, 8);
    gj_read_meta(st, 9, &p->meta);
}

/* Parameters 1-6 of both the INSERT and the UPDATE of a parking space. */
static void bind_parking_fields(sqlite3_stmt *st, const struct gj_parking_space *p)
{
    gj_bind_text(st, 1, p->code);
    gj_bind_text(st, 2, p->zone);
    sqlite3_bind_text(st, 3, p->kind, -1, SQLITE_STATIC);
    gj_bind_id(st, 4, p->unit_id);
    gj_bind_id(st, 5, p->vehicle_id);
    gj_bind_opt_i64(st, 6, p->assigned_at != 0, p->assigned_at);
}

int gj_parking_get(struct gj_db *db, int64_t id, struct gj_parking_space *out, struct gj_error *err)
{
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT " PARKING_COLS " FROM parking_spaces WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a parking space"), err);
    if (rc == GJ_OK) {
        read_parking(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_parking_create(struct gj_db *db, int64_t actor, struct gj_parking_space *p,
                      struct gj_error *err)
{
    int rc = gj_parking_validate(p, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    if (p->unit_id && !p->assigned_at)
        p->assigned_at = now;
    if (!p->unit_id)
        p->assigned_at = 0;
    sqlite3_stmt *st =
        gj_db_stmt(db,
                   "INSERT INTO parking_spaces(code, zone, kind, unit_id, vehicle_id, assigned_at, "
                   "created_at, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?)",
                   err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    bind_parking_fields(st, p);
    sqlite3_bind_int64(st, 7, now);
    sqlite3_bind_int64(st, 8, now);
    gj_bind_id(st, 9, actor);
    char label[100];
    snprintf(label, sizeof label, _("parking space %s"), p->code);
    rc = gj_db_exec_stmt(db, st, label, err);
    if (rc == GJ_OK) {
        p->id = sqlite3_last_insert_rowid(db->h);
        p->created_at = now;
        p->meta = (struct gj_row_meta){1, now, actor};
    }
    return gj_tx_finish(db, rc, err);
}

int gj_parking_update(struct gj_db *db, int64_t actor, struct gj_parking_space *p,
                      struct gj_error *err)
{
    int rc = gj_parking_validate(p, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    struct gj_parking_space cur;
    struct gj_error e2;
    int exists = gj_parking_get(db, p->id, &cur, &e2) == GJ_OK;
    if (p->unit_id && (!p->assigned_at || (exists && cur.unit_id != p->unit_id)))
        p->assigned_at = now;
    if (!p->unit_id)
        p->assigned_at = 0;
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "UPDATE parking_spaces SET code = ?, zone = ?, kind = ?, unit_id = ?, vehicle_id = ?, "
        "assigned_at = ?, archived = ?, version = version + 1, updated_at = ?, updated_by = ? "
        "WHERE id = ? AND version = ?",
        err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    bind_parking_fields(st, p);
    sqlite3_bind_int(st, 7, p->archived ? 1 : 0);
    sqlite3_bind_int64(st, 8, now);
    gj_bind_id(st, 9, actor);
    sqlite3_bind_int64(st, 10, p->id);
    sqlite3_bind_int64(st, 11, p->meta.version);
    char label[100];
    snprintf(label, sizeof label, _("parking space %s"), p->code);
    rc = gj_step_guarded(db, st, "parking_spaces", label, p->id, exists, label, err);
    if (rc == GJ_OK)
        p->meta = (struct gj_row_meta){p->meta.version + 1, now, actor};
    return gj_tx_finish(db, rc, err);
}

int gj_parking_list(struct gj_db *db, int64_t after_id, int limit, struct gj_parking_space *rows,
                    int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(
        db, "SELECT " PARKING_COLS " FROM parking_spaces WHERE id > ? ORDER BY id LIMIT ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, limit);
    return gj_step_rows(db, st, limit, rows, sizeof *rows, read_parking, n,
                        _("listing parking spaces"), err);
}
