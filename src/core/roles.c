/* Roles, the permission matrix and masking of personal data. */
#include "guanjia/roles.h"

#include <string.h>

#include "guanjia/i18n.h"
#include "guanjia/phone.h"
#include "guanjia/utf8.h"

static const char *const role_codes[GJ_ROLE_COUNT] = {"trainee", "butler", "supervisor", "manager"};
static const char *const role_labels[GJ_ROLE_COUNT] = {N_("trainee"), N_("butler"),
                                                       N_("supervisor"), N_("manager")};

/* One row per action: its label and the least role that may do it. The
 * roles are nested (each does everything the one below does), so the
 * least role says it all. */
struct action_rule {
    const char *label;
    enum gj_role least;
};

static const struct action_rule rules[GJ_ACTION_COUNT] = {
    [GJ_ACTION_VIEW_OWNERS] = {N_("view owner records"), GJ_ROLE_TRAINEE},
    [GJ_ACTION_VIEW_PERSONAL_DATA] = {N_("see full phone and ID numbers"), GJ_ROLE_BUTLER},
    [GJ_ACTION_EDIT_OWNERS] = {N_("add or edit owners and households"), GJ_ROLE_BUTLER},
    [GJ_ACTION_ARCHIVE_OWNERS] = {N_("archive owner records"), GJ_ROLE_BUTLER},
    [GJ_ACTION_ADD_CONTACT] = {N_("add contact log entries"), GJ_ROLE_BUTLER},
    [GJ_ACTION_IMPORT] = {N_("import records"), GJ_ROLE_MANAGER},
    [GJ_ACTION_EXPORT] = {N_("export records"), GJ_ROLE_SUPERVISOR},
    [GJ_ACTION_VIEW_WORK_ORDERS] = {N_("view work orders"), GJ_ROLE_TRAINEE},
    [GJ_ACTION_CREATE_WORK_ORDER] = {N_("create work orders"), GJ_ROLE_BUTLER},
    [GJ_ACTION_DISPATCH_WORK_ORDER] = {N_("dispatch work orders"), GJ_ROLE_BUTLER},
    [GJ_ACTION_UPDATE_WORK_ORDER] = {N_("update work order progress"), GJ_ROLE_BUTLER},
    [GJ_ACTION_CLOSE_WORK_ORDER] = {N_("close work orders"), GJ_ROLE_BUTLER},
    [GJ_ACTION_CANCEL_WORK_ORDER] = {N_("cancel work orders"), GJ_ROLE_BUTLER},
    [GJ_ACTION_EDIT_SLA] = {N_("change service time limits"), GJ_ROLE_MANAGER},
    [GJ_ACTION_VIEW_COMPLAINTS] = {N_("view complaints"), GJ_ROLE_TRAINEE},
    [GJ_ACTION_CREATE_COMPLAINT] = {N_("register complaints"), GJ_ROLE_BUTLER},
    [GJ_ACTION_HANDLE_MINOR_COMPLAINT] = {N_("handle minor complaints"), GJ_ROLE_BUTLER},
    [GJ_ACTION_HANDLE_MODERATE_COMPLAINT] = {N_("handle moderate complaints"), GJ_ROLE_SUPERVISOR},
    [GJ_ACTION_HANDLE_SERIOUS_COMPLAINT] = {N_("handle serious complaints"), GJ_ROLE_MANAGER},
    [GJ_ACTION_REGRADE_COMPLAINT] = {N_("regrade complaints"), GJ_ROLE_SUPERVISOR},
    [GJ_ACTION_REASSIGN_COMPLAINT] = {N_("reassign complaints"), GJ_ROLE_SUPERVISOR},
    [GJ_ACTION_REVISIT_COMPLAINT] = {N_("record revisits"), GJ_ROLE_BUTLER},
    [GJ_ACTION_VIEW_FEES] = {N_("view bills and payments"), GJ_ROLE_TRAINEE},
    [GJ_ACTION_TAKE_PAYMENT] = {N_("take payments"), GJ_ROLE_BUTLER},
    [GJ_ACTION_PRINT_RECEIPT] = {N_("print receipts"), GJ_ROLE_BUTLER},
    [GJ_ACTION_REVERSE_PAYMENT] = {N_("reverse payments"), GJ_ROLE_SUPERVISOR},
    [GJ_ACTION_RECORD_DUNNING] = {N_("record dunning contacts"), GJ_ROLE_BUTLER},
    [GJ_ACTION_EDIT_FEE_ITEMS] = {N_("change fee items"), GJ_ROLE_MANAGER},
    [GJ_ACTION_RUN_BILLING] = {N_("run billing"), GJ_ROLE_MANAGER},
    [GJ_ACTION_VIEW_REPORTS] = {N_("view reports"), GJ_ROLE_SUPERVISOR},
    [GJ_ACTION_TAKE_TRAINING] = {N_("take training"), GJ_ROLE_TRAINEE},
    [GJ_ACTION_ASSESS_TRAINEES] = {N_("assess trainees"), GJ_ROLE_SUPERVISOR},
    [GJ_ACTION_VIEW_AUDIT_LOG] = {N_("view the audit log"), GJ_ROLE_SUPERVISOR},
    [GJ_ACTION_MANAGE_USERS] = {N_("manage users and roles"), GJ_ROLE_MANAGER},
    [GJ_ACTION_MANAGE_STAFF] = {N_("manage departments and staff"), GJ_ROLE_MANAGER},
    [GJ_ACTION_BACKUP] = {N_("back up the database"), GJ_ROLE_MANAGER},
    [GJ_ACTION_CHANGE_SETTINGS] = {N_("change settings"), GJ_ROLE_MANAGER},
};

static int role_ok(enum gj_role role)
{
    return (int)role >= 0 && (int)role < GJ_ROLE_COUNT;
}

static int action_ok(enum gj_action action)
{
    return (int)action >= 0 && (int)action < GJ_ACTION_COUNT && rules[action].label != NULL;
}

int gj_role_parse(const char *code, enum gj_role *out)
{
    if (!code)
        return GJ_EINVAL;
    for (int i = 0; i < GJ_ROLE_COUNT; i++) {
        if (strcmp(code, role_codes[i]) == 0) {
            if (out)
                *out = (enum gj_role)i;
            return GJ_OK;
        }
    }
    return GJ_EINVAL;
}

const char *gj_role_code(enum gj_role role)
{
    return role_ok(role) ? role_codes[role] : "";
}

const char *gj_role_label(enum gj_role role)
{
    return role_ok(role) ? _(role_labels[role]) : _("unknown role");
}

const char *gj_action_label(enum gj_action action)
{
    return action_ok(action) ? _(rules[action].label) : _("unknown action");
}

int gj_role_can(enum gj_role role, enum gj_action action)
{
    if (!role_ok(role) || !action_ok(action))
        return 0;
    return role >= rules[action].least;
}

int gj_require(enum gj_role role, enum gj_action action, struct gj_error *err)
{
    if (gj_role_can(role, action)) {
        gj_err_clear(err);
        return GJ_OK;
    }
    /* TRANSLATORS: role, then what it may not do: "a butler may not change
     * fee items" (管家无权修改收费项目). */
    return gj_err(err, GJ_EPERM, _("a %s may not %s"), gj_role_label(role),
                  gj_action_label(action));
}

int gj_complaint_grade_action(const char *grade, enum gj_action *out)
{
    static const struct {
        const char *grade;
        enum gj_action action;
    } map[] = {{"minor", GJ_ACTION_HANDLE_MINOR_COMPLAINT},
               {"moderate", GJ_ACTION_HANDLE_MODERATE_COMPLAINT},
               {"serious", GJ_ACTION_HANDLE_SERIOUS_COMPLAINT}};
    if (!grade)
        return GJ_EINVAL;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(grade, map[i].grade) == 0) {
            if (out)
                *out = map[i].action;
            return GJ_OK;
        }
    }
    return GJ_EINVAL;
}

int gj_role_sees_full_personal_data(enum gj_role role)
{
    return gj_role_can(role, GJ_ACTION_VIEW_PERSONAL_DATA);
}

/* Appends n bytes if they fit with the NUL; returns 0 (and appends
 * nothing) when they do not, so a character is never split. */
static int put(char *out, size_t outsz, size_t *len, const char *s, size_t n)
{
    if (*len + n + 1 > outsz)
        return 0;
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = '\0';
    return 1;
}

void gj_mask_id_number(const char *id, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return;
    out[0] = '\0';
    if (!id)
        return;
    size_t n = strlen(id), chars = gj_utf8_len(id), head = 0, tail = 0, len = 0;
    if (chars >= 11) {
        head = 6;
        tail = 4;
    } else if (chars >= 8) {
        tail = 4;
    }
    size_t i = 0;
    for (size_t c = 0; i < n; c++) {
        size_t k = gj_utf8_decode(id + i, n - i, NULL);
        if (k == 0)
            k = 1; /* an invalid byte counts as one character */
        int shown = c < head || c >= chars - tail;
        const char *piece = shown ? id + i : "*";
        size_t piece_len = shown ? k : 1;
        if (shown && k == 1 && ((unsigned char)id[i] < 0x20 || (unsigned char)id[i] >= 0x7f)) {
            piece = "?"; /* never echo controls or stray bytes */
            piece_len = 1;
        }
        if (!put(out, outsz, &len, piece, piece_len))
            return;
        i += k;
    }
}

static void copy_text(const char *s, char *out, size_t outsz)
{
    size_t len = 0, n, i = 0;
    if (!out || outsz == 0)
        return;
    out[0] = '\0';
    if (!s)
        return;
    n = strlen(s);
    while (i < n) {
        size_t k = gj_utf8_decode(s + i, n - i, NULL);
        if (k == 0)
            k = 1;
        if (!put(out, outsz, &len, s + i, k))
            return;
        i += k;
    }
}

void gj_show_phone(enum gj_role role, enum gj_view view, const char *phone, char *out, size_t outsz)
{
    if (view == GJ_VIEW_DETAIL && gj_role_sees_full_personal_data(role))
        copy_text(phone, out, outsz);
    else
        gj_phone_mask(phone ? phone : "", out, outsz);
}

void gj_show_id_number(enum gj_role role, enum gj_view view, const char *id, char *out,
                       size_t outsz)
{
    if (view == GJ_VIEW_DETAIL && gj_role_sees_full_personal_data(role))
        copy_text(id, out, outsz);
    else
        gj_mask_id_number(id, out, outsz);
}
