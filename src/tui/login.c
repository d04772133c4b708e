/* Logging in: a name and a password (never echoed), with lock-out after
 * repeated failures (the rules are in core/auth.c). */
#include "tui.h"

#include "guanjia/auth.h"
#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_settings.h"
#include "guanjia/repo_users.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <string.h>

static void paint_login(struct gj_tui *t, struct gj_form *f)
{
    gj_tui_paint(t);
    if (LINES < GJ_TUI_MIN_ROWS || COLS < GJ_TUI_MIN_COLS)
        return;
    struct gj_setting name;
    struct gj_error err;
    const char *estate =
        gj_setting_get(t->db, "estate.name", &name, &err) == GJ_OK ? name.value : "";
    int top = LINES / 2 - 6;
    int w = gj_utf8_width(estate);
    gj_put(top, (COLS - w) / 2, COLS, estate, gj_attr(t, GJ_A_TITLE));
    const char *sub = _("Front desk — please log in");
    w = gj_utf8_width(sub);
    gj_put(top + 1, (COLS - w) / 2, COLS, sub, A_NORMAL);
    gj_form_draw(f, t, top + 2, 10);
    refresh();
}

/* Checks the typed name and password; fills t->user on success. */
static int try_login(struct gj_tui *t, const char *login, const char *password, char *msg,
                     size_t msgsz)
{
    struct gj_error err;
    struct gj_user u;
    int found = gj_user_by_login(t->db, login, &u, &err) == GJ_OK;
    if (!found && err.code != GJ_ENOTFOUND) {
        snprintf(msg, msgsz, "%s", err.msg);
        return -1;
    }
    int64_t max_failures = 5, lock_minutes = 5;
    gj_setting_get_int(t->db, "login.max_failures", 5, &max_failures, &err);
    gj_setting_get_int(t->db, "login.lock_minutes", 5, &lock_minutes, &err);
    struct gj_auth_policy policy = gj_auth_policy_from_settings(max_failures, lock_minutes);
    int64_t now = gj_now();
    struct gj_auth_outcome out;
    enum gj_auth_result r = gj_auth_check(found ? &u : NULL, password, now, &policy, &out);
    if (found && out.reset_failures)
        gj_user_login_ok(t->db, u.id, &err);
    if (r == GJ_AUTH_OK) {
        if (gj_user_login_ok(t->db, u.id, &err) != GJ_OK) {
            snprintf(msg, msgsz, "%s", err.msg);
            return -1;
        }
        gj_user_get(t->db, u.id, &t->user, &err);
        memset(t->user.password_hash, 0, sizeof t->user.password_hash);
        if (gj_role_parse(t->user.role, &t->role) != GJ_OK)
            t->role = GJ_ROLE_TRAINEE;
        return 0;
    }
    if (found && out.record_failure &&
        gj_user_login_failed(t->db, u.id, now, policy.max_failures, policy.lock_seconds, &err) !=
            GJ_OK) {
        snprintf(msg, msgsz, "%s", err.msg);
        return -1;
    }
    int64_t locked_until = out.locked_until;
    gj_auth_message(r, locked_until, now, msg, msgsz);
    return -1;
}

int gj_login(struct gj_tui *t)
{
    struct gj_field fields[2];
    memset(fields, 0, sizeof fields);
    fields[0].label = _("Login");
    fields[0].kind = GJ_F_TEXT;
    fields[0].required = 1;
    fields[0].max_chars = 32;
    fields[1].label = _("Password");
    fields[1].kind = GJ_F_PASSWORD;
    fields[1].required = 1;
    fields[1].max_chars = 128;
    struct gj_form f = {.title = "", .fields = fields, .n = 2};
    for (;;) {
        paint_login(t, &f);
        gj_key k = gj_tui_read_key(t, -1);
        if (k == 0 || k == -KEY_RESIZE)
            continue;
        enum gj_act act = gj_action_for(GJ_SC_LOGIN, k);
        if (act == GJ_ACT_CANCEL || k == 3 /* Ctrl-C */)
            return -1;
        if (act == GJ_ACT_LOGIN && f.focus == 0) {
            f.focus = 1;
            continue;
        }
        if (act == GJ_ACT_LOGIN) {
            char login[64], password[520], msg[256];
            gj_form_get(&f, 0, login, sizeof login);
            /* The password as typed: spaces count. */
            size_t o = 0;
            for (int i = 0; i < fields[1].len && o + 4 < sizeof password; i++)
                o += gj_utf8_encode((uint32_t)fields[1].buf[i], password + o);
            password[o] = '\0';
            int ok = login[0] && try_login(t, login, password, msg, sizeof msg) == 0;
            memset(password, 0, sizeof password);
            gj_form_set(&f, 1, "");
            if (ok) {
                t->message[0] = '\0';
                return 0;
            }
            gj_tui_say(t, 1, "%s", login[0] ? msg : _("Type your login name."));
            f.focus = login[0] ? 1 : 0;
            continue;
        }
        gj_form_key(&f, t, k);
    }
}
