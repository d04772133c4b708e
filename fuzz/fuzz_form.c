/* The form widget's keys (tui/widgets/form.c). The input is a stream of
 * keys: UTF-8 text gives its characters (Tab, Enter, Backspace, Ctrl-U,
 * Esc ... are ASCII), and each byte that is not UTF-8 is a function key
 * from the table below (\x80 Left, \x81 Right, ... \x87 F10), or, for
 * \xff, a paste of 256 wide characters. They go into a form with one field
 * of each kind, drawn after every key on a curses screen over /dev/null.
 * Properties after every key: the focus is on a field; every cursor is
 * inside its text; the text is at most GJ_FIELD_MAX characters, each one
 * printable; what the form gives is valid UTF-8 without surrounding
 * spaces; a choice is one of its choices; the drawn cursor is inside the
 * screen; and a save is offered only when every field passes its checks
 * (redone here), after which an error from the save lands on its field. */
#include "fuzz.h"

#include "tui.h"

#include "guanjia/clock.h"
#include "guanjia/error.h"
#include "guanjia/money.h"
#include "guanjia/utf8.h"

#include <locale.h>

static const int fkeys[16] = {KEY_LEFT,  KEY_RIGHT, KEY_HOME,   KEY_END, KEY_BACKSPACE, KEY_DC,
                              KEY_ENTER, KEY_F(10), KEY_BTAB,   KEY_UP,  KEY_DOWN,      KEY_F(2),
                              KEY_NPAGE, KEY_PPAGE, KEY_RESIZE, KEY_F(1)};

enum { F_TEXT, F_NAME, F_NUMBER, F_MONEY, F_DATE, F_CHOICE, F_PASSWORD, NFIELDS };

static const char *const choice_codes[] = {"owner", "tenant", "family", NULL};
static const char *const choice_labels[] = {"业主 owner", "租户 tenant", "家属 family", NULL};

static struct gj_field fields[NFIELDS];
static struct gj_form form;
static struct gj_tui tui;
static int screen_ready;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    gj_fuzz_env();
    setlocale(LC_ALL, "C.UTF-8");
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    if (out && in && newterm("xterm", out, in) != NULL) {
        resizeterm(GJ_TUI_MIN_ROWS, GJ_TUI_MIN_COLS);
        screen_ready = 1;
    } else {
        fprintf(stderr, "fuzz_form: no curses screen; the form is not drawn\n");
    }
    return 0;
}

static void form_reset(void)
{
    memset(fields, 0, sizeof fields);
    fields[F_TEXT] =
        (struct gj_field){.label = "unit", .kind = GJ_F_TEXT, .required = 1, .max_chars = 20};
    fields[F_NAME] = (struct gj_field){.label = "姓名", .kind = GJ_F_TEXT, .max_chars = 64};
    fields[F_NUMBER] = (struct gj_field){.label = "floors", .kind = GJ_F_NUMBER, .max_chars = 3};
    fields[F_MONEY] = (struct gj_field){.label = "金额", .kind = GJ_F_MONEY, .max_chars = 20};
    fields[F_DATE] = (struct gj_field){.label = "date", .kind = GJ_F_DATE};
    fields[F_CHOICE] = (struct gj_field){.label = "relation",
                                         .kind = GJ_F_CHOICE,
                                         .choices = choice_codes,
                                         .choice_labels = choice_labels};
    fields[F_PASSWORD] =
        (struct gj_field){.label = "password", .kind = GJ_F_PASSWORD, .max_chars = 64};
    memset(&form, 0, sizeof form);
    form.title = "fuzz 表单";
    form.fields = fields;
    form.n = NFIELDS;
}

/* What a field holds passes the field's own checks. */
static int passes(int i)
{
    const struct gj_field *fd = &fields[i];
    char v[GJ_FIELD_MAX * 4 + 1];
    struct gj_error err;
    if (fd->kind == GJ_F_CHOICE)
        return 1;
    gj_form_get(&form, i, v, sizeof v);
    if (!v[0])
        return !fd->required;
    if (fd->max_chars && fd->len > fd->max_chars)
        return 0;
    int64_t x;
    switch (fd->kind) {
    case GJ_F_NUMBER:
        return strspn(v, "0123456789") == strlen(v);
    case GJ_F_MONEY:
        return gj_money_parse(v, GJ_MONEY_ALLOW_ZERO, fd->label, &x, &err) == GJ_OK;
    case GJ_F_DATE:
        return gj_parse_date(v, &x, &err) == GJ_OK;
    default:
        return 1;
    }
}

/* The invariants of every field; the text of field edited (-1: all), the
 * only one a key can change, is checked character by character. */
static void check_invariants(int edited)
{
    FUZZ_CHECK(form.focus >= 0 && form.focus < form.n);
    for (int i = 0; i < NFIELDS; i++) {
        const struct gj_field *fd = &fields[i];
        if (fd->kind == GJ_F_CHOICE) {
            FUZZ_CHECK(fd->choice >= 0 && fd->choice < 3);
            FUZZ_CHECK(strcmp(gj_form_choice(&form, i), choice_codes[fd->choice]) == 0);
            continue;
        }
        FUZZ_CHECK(fd->len >= 0 && fd->len <= GJ_FIELD_MAX);
        FUZZ_CHECK(fd->cursor >= 0 && fd->cursor <= fd->len);
        FUZZ_CHECK(fd->buf[fd->len] == L'\0');
        if (edited >= 0 && i != edited)
            continue;
        for (int k = 0; k < fd->len; k++) {
            uint32_t cp = (uint32_t)fd->buf[k];
            FUZZ_CHECK(cp >= ' ' && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
            FUZZ_CHECK(gj_cp_width(cp) >= 0);
        }
        char v[GJ_FIELD_MAX * 4 + 1];
        gj_form_get(&form, i, v, sizeof v);
        size_t n = strlen(v);
        FUZZ_CHECK(gj_utf8_valid(v, n, NULL));
        FUZZ_CHECK(gj_utf8_len(v) <= (size_t)fd->len);
        FUZZ_CHECK(n == 0 || (v[0] != ' ' && v[n - 1] != ' '));
        /* A small buffer is cut at a character, never overrun. */
        char small[7];
        gj_form_get(&form, i, small, sizeof small);
        FUZZ_CHECK(strlen(small) < sizeof small);
        FUZZ_CHECK(gj_utf8_valid(small, strlen(small), NULL));
    }
}

static void draw(void)
{
    if (!screen_ready)
        return;
    erase();
    gj_form_draw(&form, &tui, 1, LINES - 2);
    const struct gj_field *fd = &fields[form.focus];
    if (fd->kind != GJ_F_CHOICE) {
        int y, x;
        getyx(stdscr, y, x);
        FUZZ_CHECK(y >= 0 && y < LINES);
        FUZZ_CHECK(x >= 0 && x < COLS);
        FUZZ_CHECK(fd->scroll >= 0 && fd->scroll <= fd->cursor);
    }
}

static void press(gj_key key)
{
    int edited = form.focus;
    enum gj_form_result r = gj_form_key(&form, &tui, key);
    check_invariants(edited);
    if (r == GJ_FORM_SAVE) {
        for (int i = 0; i < NFIELDS; i++)
            FUZZ_CHECK(passes(i));
        /* The save refuses the amount: the message lands on its field. */
        gj_form_clear_errors(&form);
        gj_form_error(&form, "金额：余额不足");
        FUZZ_CHECK(form.focus == F_MONEY);
        FUZZ_CHECK(strcmp(fields[F_MONEY].error, "余额不足") == 0);
        gj_form_error(&form, "the database is busy");
        FUZZ_CHECK(strcmp(form.error, "the database is busy") == 0);
    }
    draw();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    form_reset();
    /* The text fields start with what an edit form shows. */
    gj_form_set(&form, F_TEXT, "3-2-501");
    gj_form_set(&form, F_MONEY, "12.50");
    gj_form_set_choice(&form, F_CHOICE, "tenant");
    check_invariants(-1);
    draw();
    const char *s = (const char *)data;
    for (size_t i = 0; i < size;) {
        uint32_t cp;
        size_t k = gj_utf8_decode(s + i, size - i, &cp);
        if (k > 0) {
            press((gj_key)cp);
            i += k;
        } else if (data[i] == 0xff) {
            int edited = form.focus;
            for (int j = 0; j < 256; j++)
                gj_form_key(&form, &tui, (gj_key)(0x4E00 + j));
            check_invariants(edited);
            draw();
            i++;
        } else {
            press(-fkeys[data[i] % 16]);
            i++;
        }
    }
    return 0;
}
