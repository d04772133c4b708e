/* The actions table: every key of the console, declared once. The bottom
 * bar, the ? help and the key reference in docs/ are all made from it. */
#include "tui.h"

#include "guanjia/i18n.h"
#include "guanjia/tui.h"

#include <string.h>

#define CTRL(c) ((c)&0x1f)

const struct gj_action_def gj_actions[] = {
    {.act = GJ_ACT_HELP,
     .id = "help",
     .keys = {'?', -KEY_F(1), 0},
     .key_label = "?/F1",
     .label = N_("help"),
     .help = N_("show the keys of this screen"),
     .scopes = GJ_SC_GLOBAL | GJ_SC_LIST | GJ_SC_DETAIL,
     .in_bar = 1},
    {.act = GJ_ACT_QUIT,
     .id = "quit",
     .keys = {'q', 0},
     .key_label = "q",
     .label = N_("quit"),
     .help = N_("go back; at the top level, quit (asks first)"),
     .scopes = GJ_SC_GLOBAL,
     .in_bar = 1},
    {.act = GJ_ACT_REDRAW,
     .id = "redraw",
     .keys = {CTRL('l'), 0},
     .key_label = "Ctrl-L",
     .label = N_("redraw"),
     .help = N_("redraw the screen"),
     .scopes = GJ_SC_GLOBAL | GJ_SC_FORM | GJ_SC_SEARCH,
     .in_bar = 0},
    {.act = GJ_ACT_NEXT_SCREEN,
     .id = "next-screen",
     .keys = {'\t', 0},
     .key_label = "Tab/1-7",
     .label = N_("screens"),
     .help = N_("next screen (or its number)"),
     .scopes = GJ_SC_GLOBAL,
     .in_bar = 0},
    {.act = GJ_ACT_PREV_SCREEN,
     .id = "prev-screen",
     .keys = {-KEY_BTAB, 0},
     .key_label = "Shift-Tab",
     .label = N_("previous screen"),
     .help = N_("previous screen"),
     .scopes = GJ_SC_GLOBAL,
     .in_bar = 0},
    {.act = GJ_ACT_UP,
     .id = "up",
     .keys = {-KEY_UP, 'k', 0},
     .key_label = "Up/k",
     .label = N_("up"),
     .help = N_("move up"),
     .scopes = GJ_SC_LIST | GJ_SC_DETAIL,
     .in_bar = 0},
    {.act = GJ_ACT_DOWN,
     .id = "down",
     .keys = {-KEY_DOWN, 'j', 0},
     .key_label = "Down/j",
     .label = N_("down"),
     .help = N_("move down"),
     .scopes = GJ_SC_LIST | GJ_SC_DETAIL,
     .in_bar = 0},
    {.act = GJ_ACT_PGUP,
     .id = "page-up",
     .keys = {-KEY_PPAGE, 0},
     .key_label = "PgUp",
     .label = N_("page up"),
     .help = N_("one page up"),
     .scopes = GJ_SC_LIST | GJ_SC_SEARCH | GJ_SC_DETAIL,
     .in_bar = 0},
    {.act = GJ_ACT_PGDN,
     .id = "page-down",
     .keys = {-KEY_NPAGE, 0},
     .key_label = "PgDn",
     .label = N_("page down"),
     .help = N_("one page down"),
     .scopes = GJ_SC_LIST | GJ_SC_SEARCH | GJ_SC_DETAIL,
     .in_bar = 0},
    {.act = GJ_ACT_HOME,
     .id = "home",
     .keys = {-KEY_HOME, 'g', 0},
     .key_label = "Home/g",
     .label = N_("first"),
     .help = N_("go to the first row"),
     .scopes = GJ_SC_LIST | GJ_SC_DETAIL,
     .in_bar = 0},
    {.act = GJ_ACT_END,
     .id = "end",
     .keys = {-KEY_END, 'G', 0},
     .key_label = "End/G",
     .label = N_("last"),
     .help = N_("go to the last row"),
     .scopes = GJ_SC_LIST | GJ_SC_DETAIL,
     .in_bar = 0},
    {.act = GJ_ACT_SEARCH,
     .id = "search",
     .keys = {'/', 0},
     .key_label = "/",
     .label = N_("search"),
     .help = N_("search as you type: unit 3-2-501 or 501, phone or its last 4 digits, name, pinyin "
                "initials"),
     .scopes = GJ_SC_LIST | GJ_SC_DETAIL,
     .in_bar = 1},
    {.act = GJ_ACT_OPEN,
     .id = "open",
     .keys = {'\n', '\r', -KEY_ENTER, 0},
     .key_label = "Enter",
     .label = N_("open"),
     .help = N_("open the selected unit"),
     .scopes = GJ_SC_LIST | GJ_SC_SEARCH,
     .in_bar = 1},
    {.act = GJ_ACT_BACK,
     .id = "back",
     .keys = {27, 0},
     .key_label = "Esc",
     .label = N_("back"),
     .help = N_("cancel or go back"),
     .scopes = GJ_SC_SEARCH | GJ_SC_DETAIL,
     .in_bar = 1},
    {.act = GJ_ACT_NEW,
     .id = "new",
     .keys = {'n', 0},
     .key_label = "n",
     .label = N_("new owner"),
     .help = N_("register a new owner for a unit"),
     .scopes = GJ_SC_LIST,
     .in_bar = 1,
     .gated = 1,
     .needs = GJ_ACTION_EDIT_OWNERS},
    {.act = GJ_ACT_ADD_MEMBER,
     .id = "add-member",
     .keys = {'a', 0},
     .key_label = "a",
     .label = N_("add member"),
     .help = N_("add a household member, tenant or owner to this unit"),
     .scopes = GJ_SC_DETAIL,
     .in_bar = 1,
     .gated = 1,
     .needs = GJ_ACTION_EDIT_OWNERS},
    {.act = GJ_ACT_EDIT,
     .id = "edit",
     .keys = {'e', 0},
     .key_label = "e",
     .label = N_("edit"),
     .help = N_("edit the selected person"),
     .scopes = GJ_SC_DETAIL,
     .in_bar = 1,
     .gated = 1,
     .needs = GJ_ACTION_EDIT_OWNERS},
    {.act = GJ_ACT_CONTACT,
     .id = "contact",
     .keys = {'c', 0},
     .key_label = "c",
     .label = N_("contact log"),
     .help = N_("record a contact with this household: channel and summary"),
     .scopes = GJ_SC_DETAIL,
     .in_bar = 1,
     .gated = 1,
     .needs = GJ_ACTION_ADD_CONTACT},
    {.act = GJ_ACT_ARCHIVE,
     .id = "archive",
     .keys = {'x', 0},
     .key_label = "x",
     .label = N_("archive"),
     .help = N_("archive the selected person (ends their links; nothing is deleted)"),
     .scopes = GJ_SC_DETAIL,
     .in_bar = 1,
     .gated = 1,
     .needs = GJ_ACTION_ARCHIVE_OWNERS},
    {.act = GJ_ACT_NEXT_FIELD,
     .id = "next-field",
     .keys = {'\t', -KEY_DOWN, 0},
     .key_label = "Tab/Down",
     .label = N_("next field"),
     .help = N_("next field"),
     .scopes = GJ_SC_FORM | GJ_SC_LOGIN,
     .in_bar = 1},
    {.act = GJ_ACT_PREV_FIELD,
     .id = "prev-field",
     .keys = {-KEY_BTAB, -KEY_UP, 0},
     .key_label = "Shift-Tab/Up",
     .label = N_("previous field"),
     .help = N_("previous field"),
     .scopes = GJ_SC_FORM | GJ_SC_LOGIN,
     .in_bar = 0},
    {.act = GJ_ACT_SAVE,
     .id = "save",
     .keys = {-KEY_F(10), CTRL('s'), 0},
     .key_label = "F10/Ctrl-S",
     .label = N_("save"),
     .help = N_("save the form (only when every field is valid)"),
     .scopes = GJ_SC_FORM,
     .in_bar = 1},
    {.act = GJ_ACT_LOGIN,
     .id = "login",
     .keys = {'\n', '\r', -KEY_ENTER, 0},
     .key_label = "Enter",
     .label = N_("log in"),
     .help = N_("log in"),
     .scopes = GJ_SC_LOGIN,
     .in_bar = 1},
    {.act = GJ_ACT_CANCEL,
     .id = "cancel",
     .keys = {27, 0},
     .key_label = "Esc",
     .label = N_("cancel"),
     .help = N_("cancel (asks first when something was typed)"),
     .scopes = GJ_SC_FORM | GJ_SC_LOGIN,
     .in_bar = 1},
    {.act = GJ_ACT_NONE},
};

int gj_action_offered(const struct gj_action_def *a, enum gj_role role)
{
    return !a->gated || gj_role_can(role, a->needs);
}

enum gj_act gj_action_for(unsigned scope, gj_key key)
{
    /* The scope's own actions first, then the global ones. */
    const unsigned order[2] = {scope, GJ_SC_GLOBAL};
    for (int pass = 0; pass < 2; pass++)
        for (const struct gj_action_def *a = gj_actions; a->id; a++)
            if (a->scopes & order[pass])
                for (int k = 0; a->keys[k]; k++)
                    if (a->keys[k] == key)
                        return a->act;
    return GJ_ACT_NONE;
}

static const char *scope_name(unsigned scopes)
{
    if (scopes & GJ_SC_GLOBAL)
        return N_("everywhere");
    if (scopes & GJ_SC_LOGIN && !(scopes & GJ_SC_FORM))
        return N_("login");
    if (scopes & GJ_SC_FORM)
        return N_("forms");
    if (scopes & (GJ_SC_LIST | GJ_SC_SEARCH))
        return N_("lists");
    return N_("detail views");
}

void gj_tui_keys_doc(FILE *out, const char *format)
{
    int man = format && strcmp(format, "man") == 0;
    if (!man)
        fprintf(out,
                "# Keys\n\nGenerated from the actions table (`src/tui/actions.c`) by "
                "`guanjia keys`; do not edit.\n\n| key | where | what |\n| --- | --- | --- |\n");
    for (const struct gj_action_def *a = gj_actions; a->id; a++) {
        if (man)
            fprintf(out, ".TP\n.B %s\n%s (%s)\n", a->key_label, a->help, scope_name(a->scopes));
        else
            fprintf(out, "| `%s` | %s | %s |\n", a->key_label, scope_name(a->scopes), a->help);
    }
    if (!man)
        fprintf(out, "\nDigits `1`…`7` switch to a screen by its number outside text fields. "
                     "Below 80×24 the console asks for a larger window.\n");
}
