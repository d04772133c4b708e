/* Standard replies. */
#include "guanjia/repo_replies.h"

#include "db_internal.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <string.h>

#define REPLY_COLS "id, text, position, active, version, updated_at, coalesce(updated_by, 0), topic"

static void read_reply(sqlite3_stmt *st, void *row)
{
    struct gj_reply *r = row;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    gj_col_text(st, 1, r->text, sizeof r->text);
    r->position = sqlite3_column_int(st, 2);
    r->active = sqlite3_column_int(st, 3);
    gj_read_meta(st, 4, &r->meta);
    gj_col_text(st, 7, r->topic, sizeof r->topic);
}

const char *const gj_reply_topics[] = {"work_order", "minor", "moderate", "serious", NULL};

const char *gj_reply_topic_label(const char *topic)
{
    static const char *const msgids[] = {N_("work orders"), N_("minor complaints"),
                                         N_("moderate complaints"), N_("serious complaints")};
    for (int i = 0; topic && gj_reply_topics[i]; i++)
        if (strcmp(topic, gj_reply_topics[i]) == 0)
            return _(msgids[i]);
    return topic ? topic : "";
}

/* Checks text and topic; an empty topic becomes work_order. */
static int check_reply(struct gj_reply *r, struct gj_error *err)
{
    int rc = gj_text_check(r->text, _("reply"), GJ_SHORT_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    if (!gj_text_present(r->text))
        return gj_err(err, GJ_EINVAL, "%s", _("reply: required"));
    if (!r->topic[0])
        snprintf(r->topic, sizeof r->topic, "%s", "work_order");
    for (int i = 0; gj_reply_topics[i]; i++)
        if (strcmp(r->topic, gj_reply_topics[i]) == 0)
            return GJ_OK;
    return gj_err(err, GJ_EINVAL, "%s", _("topic: must be work_order, minor, moderate or serious"));
}

int gj_replies_list(struct gj_db *db, const char *topic, int all, struct gj_reply *rows, int max,
                    int *n, struct gj_error *err)
{
    *n = 0;
    sqlite3_stmt *st = gj_db_stmt(db,
                                  "SELECT " REPLY_COLS " FROM standard_replies WHERE active >= ? "
                                  "AND (coalesce(?2, '') = '' OR topic = ?2) "
                                  "ORDER BY active DESC, topic = 'work_order' DESC, topic, "
                                  "position, id LIMIT ?3",
                                  err);
    if (!st)
        return err->code;
    sqlite3_bind_int(st, 1, all ? 0 : 1);
    gj_bind_text(st, 2, topic ? topic : "");
    sqlite3_bind_int(st, 3, max);
    return gj_step_rows(db, st, max, rows, sizeof *rows, read_reply, n,
                        _("listing standard replies"), err);
}

int gj_reply_get(struct gj_db *db, int64_t id, struct gj_reply *out, struct gj_error *err)
{
    sqlite3_stmt *st =
        gj_db_stmt(db, "SELECT " REPLY_COLS " FROM standard_replies WHERE id = ?", err);
    if (!st)
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = gj_step_one(db, st, _("reading a standard reply"), err);
    if (rc == GJ_OK) {
        read_reply(st, out);
        gj_stmt_done(st);
    }
    return rc;
}

int gj_reply_add(struct gj_db *db, int64_t actor, struct gj_reply *r, struct gj_error *err)
{
    int rc = check_reply(r, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    sqlite3_stmt *st = gj_db_stmt(
        db,
        "INSERT INTO standard_replies(text, topic, position, created_at, updated_at, updated_by) "
        "VALUES (?1, ?5, (SELECT coalesce(max(position), 0) + 1 FROM standard_replies "
        "WHERE topic = ?5), ?2, ?3, ?4)",
        err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    gj_bind_text(st, 1, r->text);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, now);
    gj_bind_id(st, 4, actor);
    gj_bind_text(st, 5, r->topic);
    rc = gj_db_exec_stmt(db, st, _("adding a standard reply"), err);
    if (rc == GJ_OK)
        rc = gj_reply_get(db, sqlite3_last_insert_rowid(db->h), r, err);
    return gj_tx_finish(db, rc, err);
}

/* Changes reply r at its version, in one transaction: its active flag to
 * *active, or (active NULL) its text and topic. */
static int reply_change(struct gj_db *db, int64_t actor, struct gj_reply *r, const int *active,
                        struct gj_error *err)
{
    int rc = gj_db_begin(db, err);
    if (rc != GJ_OK)
        return rc;
    int64_t now = gj_now();
    struct gj_reply cur;
    struct gj_error e2;
    int exists = gj_reply_get(db, r->id, &cur, &e2) == GJ_OK;
    sqlite3_stmt *st =
        active ? gj_db_stmt(db,
                            "UPDATE standard_replies SET active = ?1, version = version + 1, "
                            "updated_at = ?3, updated_by = ?4 WHERE id = ?5 AND version = ?6",
                            err)
               : gj_db_stmt(db,
                            "UPDATE standard_replies SET text = ?1, topic = ?2, "
                            "version = version + 1, updated_at = ?3, updated_by = ?4 "
                            "WHERE id = ?5 AND version = ?6",
                            err);
    if (!st)
        return gj_tx_finish(db, err->code, err);
    if (active) {
        sqlite3_bind_int(st, 1, *active ? 1 : 0);
    } else {
        gj_bind_text(st, 1, r->text);
        gj_bind_text(st, 2, r->topic);
    }
    sqlite3_bind_int64(st, 3, now);
    gj_bind_id(st, 4, actor);
    sqlite3_bind_int64(st, 5, r->id);
    sqlite3_bind_int64(st, 6, r->meta.version);
    rc = gj_step_guarded(db, st, "standard_replies", _("the standard reply"), r->id, exists,
                         _("changing a standard reply"), err);
    if (rc == GJ_OK) {
        if (active)
            r->active = *active ? 1 : 0;
        r->meta = (struct gj_row_meta){r->meta.version + 1, now, actor};
    }
    return gj_tx_finish(db, rc, err);
}

int gj_reply_set_active(struct gj_db *db, int64_t actor, struct gj_reply *r, int active,
                        struct gj_error *err)
{
    return reply_change(db, actor, r, &active, err);
}

int gj_reply_update(struct gj_db *db, int64_t actor, struct gj_reply *r, struct gj_error *err)
{
    int rc = check_reply(r, err);
    if (rc != GJ_OK)
        return rc;
    return reply_change(db, actor, r, NULL, err);
}
