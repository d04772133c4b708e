/* Standard replies (标准话术): canned notes for work orders and for
 * complaints of each grade. The manager keeps the list. Writes are
 * audited; replies are switched off, never deleted. */
#ifndef GUANJIA_REPO_REPLIES_H
#define GUANJIA_REPO_REPLIES_H

#include "guanjia/db.h"
#include "guanjia/model.h"

struct gj_reply {
    int64_t id;
    char text[GJ_SHORT_BYTES]; /* 1..200 characters */
    char topic[16];            /* work_order, or a complaint grade: minor moderate serious */
    int position;
    int active;
    struct gj_row_meta meta;
};

/* The topics, NULL-terminated, and their translated names. */
extern const char *const gj_reply_topics[];
const char *gj_reply_topic_label(const char *topic);

/* Up to max replies of topic (NULL or "": every topic, by topic) in their
 * order (position, id); only active ones unless all is set, then the
 * switched-off ones come last. */
int gj_replies_list(struct gj_db *db, const char *topic, int all, struct gj_reply *rows, int max,
                    int *n, struct gj_error *err);
/* Adds a reply at the end of its topic's list (an empty topic means
 * work_order). */
int gj_reply_add(struct gj_db *db, int64_t actor, struct gj_reply *r, struct gj_error *err);
/* Switches a reply on or off (version-checked: r->meta.version). */
int gj_reply_set_active(struct gj_db *db, int64_t actor, struct gj_reply *r, int active,
                        struct gj_error *err);
/* Saves a changed text or topic (version-checked). */
int gj_reply_update(struct gj_db *db, int64_t actor, struct gj_reply *r, struct gj_error *err);
int gj_reply_get(struct gj_db *db, int64_t id, struct gj_reply *out, struct gj_error *err);

#endif
