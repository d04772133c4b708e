/* The actions table: every key of the console, declared once. The bottom
 * bar, the ? help and the key reference in docs/ are all made from it. */
#include "tui.h"

#include "guanjia/i18n.h"
#include "guanjia/tui.h"

#include <string.h>

#define CTRL(c) ((c)&0x1f)

const struct gj_action_def gj_actions[] = {
    {GJ_ACT_HELP,
     "help",
     {'?', -KEY_F(1), 0},
     "?/F1",
     N_("help"),
     N_("show the keys of this screen"),
     GJ_SC_GLOBAL | GJ_SC_LIST | GJ_SC_DETAIL,
     1},
    {GJ_ACT_QUIT,
     "quit",
     {'q', 0},
     "q",
     N_("quit"),
     N_("go back; at the top level, quit (asks first)"),
     GJ_SC_GLOBAL,
     1},
    {GJ_ACT_REDRAW,
     "redraw",
     {CTRL('l'), 0},
     "Ctrl-L",
     N_("redraw"),
     N_("redraw the screen"),
     GJ_SC_GLOBAL | GJ_SC_FORM | GJ_SC_SEARCH,
     0},
    {GJ_ACT_NEXT_SCREEN,
     "next-screen",
     {'\t', 0},
     "Tab/1-7",
     N_("screens"),
     N_("next screen (or its number)"),
     GJ_SC_GLOBAL,
     0},
    {GJ_ACT_PREV_SCREEN,
     "prev-screen",
     {-KEY_BTAB, 0},
     "Shift-Tab",
     N_("previous screen"),
     N_("previous screen"),
     GJ_SC_GLOBAL,
     0},
    {GJ_ACT_UP,
     "up",
     {-KEY_UP, 'k', 0},
     "Up/k",
     N_("up"),
     N_("move up"),
     GJ_SC_LIST | GJ_SC_DETAIL,
     0},
    {GJ_ACT_DOWN,
     "down",
     {-KEY_DOWN, 'j', 0},
     "Down/j",
     N_("down"),
     N_("move down"),
     GJ_SC_LIST | GJ_SC_DETAIL,
     0},
    {GJ_ACT_PGUP,
     "page-up",
     {-KEY_PPAGE, 0},
     "PgUp",
     N_("page up"),
     N_("one page up"),
     GJ_SC_LIST | GJ_SC_SEARCH | GJ_SC_DETAIL,
     0},
    {GJ_ACT_PGDN,
     "page-down",
     {-KEY_NPAGE, 0},
     "PgDn",
     N_("page down"),
     N_("one page down"),
     GJ_SC_LIST | GJ_SC_SEARCH | GJ_SC_DETAIL,
     0},
    {GJ_ACT_HOME,
     "home",
     {-KEY_HOME, 'g', 0},
     "Home/g",
     N_("first"),
     N_("go to the first row"),
     GJ_SC_LIST | GJ_SC_DETAIL,
     0},
    {GJ_ACT_END,
     "end",
     {-KEY_END, 'G', 0},
     "End/G",
     N_("last"),
     N_("go to the last row"),
     GJ_SC_LIST | GJ_SC_DETAIL,
     0},
    {GJ_ACT_SEARCH,
     "search",
     {'/', 0},
     "/",
     N_("search"),
     N_("search as you type: unit 3-2-501 or 501, phone or its last 4 digits, name, pinyin "
        "initials"),
     GJ_SC_LIST | GJ_SC_DETAIL,
     1},
    {GJ_ACT_OPEN,
     "open",
     {'\n', '\r', -KEY_ENTER, 0},
     "Enter",
     N_("open"),
     N_("open the selected unit"),
     GJ_SC_LIST | GJ_SC_SEARCH,
     1},
    {GJ_ACT_BACK,
     "back",
     {27, 0},
     "Esc",
     N_("back"),
     N_("cancel or go back"),
     GJ_SC_SEARCH | GJ_SC_DETAIL,
     1},
    {GJ_ACT_NEW,
     "new",
     {'n', 0},
     "n",
     N_("new owner"),
     N_("register a new owner for a unit"),
     GJ_SC_LIST,
     1},
    {GJ_ACT_ADD_MEMBER,
     "add-member",
     {'a', 0},
     "a",
     N_("add member"),
     N_("add a household member, tenant or owner to this unit"),
     GJ_SC_DETAIL,
     1},
    {GJ_ACT_EDIT,
     "edit",
     {'e', 0},
     "e",
     N_("edit"),
     N_("edit the selected person"),
     GJ_SC_DETAIL,
     1},
    {GJ_ACT_CONTACT,
     "contact",
     {'c', 0},
     "c",
     N_("contact log"),
     N_("record a contact with this household: channel and summary"),
     GJ_SC_DETAIL,
     1},
    {GJ_ACT_ARCHIVE,
     "archive",
     {'x', 0},
     "x",
     N_("archive"),
     N_("archive the selected person (ends their links; nothing is deleted)"),
     GJ_SC_DETAIL,
     1},
    {GJ_ACT_NEXT_FIELD,
     "next-field",
     {'\t', -KEY_DOWN, 0},
     "Tab/Down",
     N_("next field"),
     N_("next field"),
     GJ_SC_FORM | GJ_SC_LOGIN,
     1},
    {GJ_ACT_PREV_FIELD,
     "prev-field",
     {-KEY_BTAB, -KEY_UP, 0},
     "Shift-Tab/Up",
     N_("previous field"),
     N_("previous field"),
     GJ_SC_FORM | GJ_SC_LOGIN,
     0},
    {GJ_ACT_SAVE,
     "save",
     {-KEY_F(10), CTRL('s'), 0},
     "F10/Ctrl-S",
     N_("save"),
     N_("save the form (only when every field is valid)"),
     GJ_SC_FORM,
     1},
    {GJ_ACT_LOGIN,
     "login",
     {'\n', '\r', -KEY_ENTER, 0},
     "Enter",
     N_("log in"),
     N_("log in"),
     GJ_SC_LOGIN,
     1},
    {GJ_ACT_CANCEL,
     "cancel",
     {27, 0},
     "Esc",
     N_("cancel"),
     N_("cancel (asks first when something was typed)"),
     GJ_SC_FORM | GJ_SC_LOGIN,
     1},
    {GJ_ACT_NONE, NULL, {0}, NULL, NULL, NULL, 0, 0},
};

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
