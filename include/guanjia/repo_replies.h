/* Standard replies (标准话术): canned notes for work orders. Writes are
 * audited; replies are switched off, never deleted. */
#ifndef GUANJIA_REPO_REPLIES_H
#define GUANJIA_REPO_REPLIES_H

#include "guanjia/db.h"
#include "guanjia/model.h"

struct gj_reply {
    int64_t id;
    char text[GJ_SHORT_BYTES]; /* 1..200 characters */
    int position;
    int active;
    struct gj_row_meta meta;
};

/* Up to max replies in their order (position, id); only active ones unless
 * all is set. */
int gj_replies_list(struct gj_db *db, int all, struct gj_reply *rows, int max, int *n,
                    struct gj_error *err);
/* Adds a reply at the end of the list. */
int gj_reply_add(struct gj_db *db, int64_t actor, struct gj_reply *r, struct gj_error *err);
/* Switches a reply on or off (version-checked: r->meta.version). */
int gj_reply_set_active(struct gj_db *db, int64_t actor, struct gj_reply *r, int active,
                        struct gj_error *err);
int gj_reply_get(struct gj_db *db, int64_t id, struct gj_reply *out, struct gj_error *err);

#endif
