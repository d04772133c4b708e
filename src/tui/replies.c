/* The manager's list of standard replies (标准话术): every reply of every
 * topic, switched-off ones marked; n adds, e edits, Space switches one
 * off or on. Replies are never deleted. */
#include "tui.h"

#include "guanjia/i18n.h"
#include "guanjia/repo_replies.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <string.h>

#define MAX_LIST 200

struct editor {
    struct gj_reply *editing; /* NULL: a new one */
    const char *topic_labels[5];
};

static int save_reply(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct editor *ed = ctx;
    struct gj_error err;
    struct gj_reply r;
    memset(&r, 0, sizeof r);
    if (ed->editing)
        r = *ed->editing;
    gj_form_get(f, 0, r.text, sizeof r.text);
    snprintf(r.topic, sizeof r.topic, "%s", gj_form_choice(f, 1));
    int rc = gj_require(t->role, GJ_ACTION_CHANGE_SETTINGS, &err);
    if (rc == GJ_OK)
        rc = ed->editing ? gj_reply_update(t->db, t->user.id, &r, &err)
                         : gj_reply_add(t->db, t->user.id, &r, &err);
    if (rc != GJ_OK) {
        gj_form_error(f, err.msg);
        return rc;
    }
    gj_tui_say(t, 0, "%s", ed->editing ? _("Reply saved.") : _("Reply added."));
    return GJ_OK;
}

static void reply_form(struct gj_tui *t, struct gj_reply *editing)
{
    static struct editor ed;
    memset(&ed, 0, sizeof ed);
    ed.editing = editing;
    for (int i = 0; gj_reply_topics[i] && i < 4; i++) /* topic_labels[4] stays NULL */
        ed.topic_labels[i] = gj_reply_topic_label(gj_reply_topics[i]);
    static struct gj_field fields[2];
    memset(fields, 0, sizeof fields);
    fields[0] = (struct gj_field){
        .label = _("reply"), .kind = GJ_F_TEXT, .required = 1, .max_chars = GJ_SHORT_CHARS};
    fields[1] = (struct gj_field){.label = _("for"),
                                  .kind = GJ_F_CHOICE,
                                  .choices = gj_reply_topics,
                                  .choice_labels = ed.topic_labels};
    struct gj_form f = {
        .title = editing ? _("Edit the reply") : _("New standard reply"), .fields = fields, .n = 2};
    if (editing) {
        gj_form_set(&f, 0, editing->text);
        gj_form_set_choice(&f, 1, editing->topic);
        f.dirty = 0;
    }
    gj_form_run(&f, t, save_reply, &ed);
}

void gj_replies_editor(struct gj_tui *t)
{
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_CHANGE_SETTINGS, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return;
    }
    static struct gj_reply rows[MAX_LIST];
    static char lines[MAX_LIST][GJ_SHORT_BYTES + 64];
    const char *items[MAX_LIST];
    static const gj_key extra[] = {'n', 'e', ' ', 0};
    int sel = 0;
    for (;;) {
        int n = 0;
        if (gj_replies_list(t->db, NULL, 1, rows, MAX_LIST, &n, &err) != GJ_OK) {
            gj_tui_say(t, 1, "%s", err.msg);
            return;
        }
        for (int i = 0; i < n; i++) {
            /* The topic padded by display width: Chinese takes two columns. */
            const char *topic = gj_reply_topic_label(rows[i].topic);
            int pad = 12 - gj_utf8_width(topic);
            snprintf(lines[i], sizeof lines[i], "%s %s%*s %s", rows[i].active ? " " : "×", topic,
                     pad > 0 ? pad : 0, "", rows[i].text);
            items[i] = lines[i];
        }
        gj_key k =
            gj_dialog_pick_keys(t, _("Standard replies (× switched off)"), items, n, &sel,
                                _("n new   e/Enter edit   Space switch off/on   Esc done"), extra);
        if (k == 27)
            return;
        if (k == 'n') {
            reply_form(t, NULL);
        } else if ((k == 'e' || k == '\n') && n > 0) {
            reply_form(t, &rows[sel]);
        } else if (k == ' ' && n > 0) {
            int on = !rows[sel].active;
            if (gj_require(t->role, GJ_ACTION_CHANGE_SETTINGS, &err) != GJ_OK ||
                gj_reply_set_active(t->db, t->user.id, &rows[sel], on, &err) != GJ_OK)
                gj_tui_say(t, 1, "%s", err.msg);
            else
                gj_tui_say(t, 0, "%s", on ? _("Reply switched on.") : _("Reply switched off."));
        }
    }
}

void gj_pick_reply(struct gj_form *f, struct gj_tui *t, const char *topic)
{
    struct gj_field *fd = &f->fields[f->focus];
    if (fd->kind != GJ_F_TEXT)
        return;
    static struct gj_reply replies[50];
    const char *items[50];
    int n = 0;
    struct gj_error err;
    if (gj_replies_list(t->db, topic, 0, replies, 50, &n, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return;
    }
    for (int i = 0; i < n; i++)
        items[i] = replies[i].text;
    int chosen = gj_dialog_pick(t, _("Standard replies"), items, n);
    if (chosen < 0)
        return;
    char text[GJ_FIELD_MAX * 4 + 1];
    gj_form_get(f, f->focus, text, sizeof text);
    size_t used = strlen(text);
    snprintf(text + used, sizeof text - used, "%s%s", used ? " " : "", replies[chosen].text);
    gj_form_set(f, f->focus, text);
    f->dirty = 1;
}
