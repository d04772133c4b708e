/* The console's widgets without a terminal: the paged list over a synthetic
 * source of a million rows, the form's editing and checks, and the actions
 * table. Nothing here starts curses or draws. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a synthetic keyset source ------------------------------------------- */

/* A row is its integer key plus a generation that stands for its contents. */
struct row {
    int64_t key;
    int gen;
};

#define MAX_HIDDEN 16

struct source {
    int64_t total;              /* keys 0 .. total-1 */
    int64_t hidden[MAX_HIDDEN]; /* keys that do not exist (deleted) */
    int n_hidden;
    int gen;       /* bumped by a simulated edit of every row */
    long fetched;  /* rows handed out, ever */
    long calls;    /* fetch calls, ever */
    int max_limit; /* the largest limit asked for */
    int limit_cap; /* a limit above this is a test failure */
};

static int exists(const struct source *s, int64_t k)
{
    if (k < 0 || k >= s->total)
        return 0;
    for (int i = 0; i < s->n_hidden; i++)
        if (s->hidden[i] == k)
            return 0;
    return 1;
}

static void hide(struct source *s, int64_t k)
{
    assert_true(s->n_hidden < MAX_HIDDEN);
    s->hidden[s->n_hidden++] = k;
}

/* Forward: rows after the anchor in key order (from the start without one).
 * Backward: rows before the anchor, nearest first (from the end without
 * one). Computes rows, so a million cost nothing unless they are fetched. */
static int fetch_rows(void *ctx, const void *anchor, int forward, int limit, void *rows, int *n)
{
    struct source *s = ctx;
    /* Read the anchor before writing rows: the widget may pass the same
     * buffer for both. */
    int64_t a = anchor ? ((const struct row *)anchor)->key : (forward ? -1 : s->total);
    assert_true(limit >= 1);
    assert_true(limit <= s->limit_cap);
    if (anchor) {
        assert_true(a >= 0);
        assert_true(a < s->total);
    }
    if (limit > s->max_limit)
        s->max_limit = limit;
    struct row *out = rows;
    int got = 0;
    for (int64_t k = forward ? a + 1 : a - 1; got < limit && k >= 0 && k < s->total;
         k += forward ? 1 : -1) {
        if (!exists(s, k))
            continue;
        out[got].key = k;
        out[got].gen = s->gen;
        got++;
    }
    *n = got;
    s->fetched += got;
    s->calls++;
    return 0;
}

static void no_draw(void *ctx, struct gj_tui *t, const void *row, int y, int x, int width,
                    int selected)
{
    (void)ctx, (void)t, (void)row, (void)y, (void)x, (void)width, (void)selected;
    fail_msg("the list drew a row in a test without curses");
}

static void list_open(struct gj_list *l, struct source *s, int64_t total, int limit_cap)
{
    memset(s, 0, sizeof *s);
    s->total = total;
    s->limit_cap = limit_cap;
    struct gj_list_source src = {
        .ctx = s, .row_size = sizeof(struct row), .fetch = fetch_rows, .draw_row = no_draw};
    gj_list_init(l, &src);
}

static const struct row *row_at(const struct gj_list *l, int i)
{
    return (const struct row *)(const void *)(l->rows + (size_t)i * sizeof(struct row));
}

static int64_t selected_key(struct gj_list *l)
{
    const struct row *r = gj_list_selected(l);
    assert_non_null(r);
    assert_ptr_equal(r, row_at(l, l->sel));
    return r->key;
}

/* The window shows exactly h consecutive rows starting at first, and the
 * selection is on one of them. */
static void assert_window(const struct gj_list *l, int h, int64_t first)
{
    assert_int_equal(l->n, h);
    for (int i = 0; i < h; i++)
        assert_int_equal(row_at(l, i)->key, first + i);
    assert_true(l->sel >= 0);
    assert_true(l->sel < l->n);
}

/* The window shows exactly these keys. */
static void assert_keys(const struct gj_list *l, const int64_t *keys, int n)
{
    assert_int_equal(l->n, n);
    for (int i = 0; i < n; i++)
        assert_int_equal(row_at(l, i)->key, keys[i]);
    assert_true(l->sel >= 0);
    assert_true(l->sel < l->n);
}

#define MILLION 1000000
#define H       20

static void test_list_reload_and_down(void **state)
{
    (void)state;
    struct source s;
    struct gj_list l;
    list_open(&l, &s, MILLION, H);

    assert_int_equal(gj_list_reload(&l, H), 0);
    assert_window(&l, H, 0);
    assert_int_equal(l.sel, 0);
    assert_int_equal(selected_key(&l), 0);
    assert_int_equal(s.fetched, H);

    /* Moving inside the window fetches nothing. */
    for (int i = 1; i < H; i++) {
        assert_int_equal(gj_list_move(&l, GJ_ACT_DOWN, H), 1);
        assert_int_equal(l.sel, i);
        assert_int_equal(selected_key(&l), i);
    }
    assert_int_equal(s.fetched, H);
    assert_window(&l, H, 0);

    /* Down on the last visible row scrolls by one and stays on the last row. */
    long calls = s.calls;
    assert_int_equal(gj_list_move(&l, GJ_ACT_DOWN, H), 1);
    assert_window(&l, H, 1);
    assert_int_equal(l.sel, H - 1);
    assert_int_equal(selected_key(&l), H);
    assert_int_equal(s.calls, calls + 1);
    assert_int_equal(s.fetched, H + 1);

    for (int i = 0; i < 100; i++)
        assert_int_equal(gj_list_move(&l, GJ_ACT_DOWN, H), 1);
    assert_window(&l, H, 101);
    assert_int_equal(l.sel, H - 1);
    assert_int_equal(selected_key(&l), 100 + H);
    assert_int_equal(s.fetched, H + 101);

    /* Up back to the top of the window, then one more scrolls back by one. */
    for (int i = 0; i < H - 1; i++)
        assert_int_equal(gj_list_move(&l, GJ_ACT_UP, H), 1);
    assert_int_equal(l.sel, 0);
    assert_int_equal(selected_key(&l), 101);
    assert_int_equal(gj_list_move(&l, GJ_ACT_UP, H), 1);
    assert_window(&l, H, 100);
    assert_int_equal(l.sel, 0);
    assert_int_equal(selected_key(&l), 100);

    /* Never more than a window at a time. */
    assert_true(s.max_limit <= H);
    gj_list_free(&l);
}

static void test_list_page_down_a_million(void **state)
{
    (void)state;
    struct source s;
    struct gj_list l;
    list_open(&l, &s, MILLION, H);
    assert_int_equal(gj_list_reload(&l, H), 0);

    long moves = 0;
    for (int i = 1; i <= 5000; i++) {
        assert_int_equal(gj_list_move(&l, GJ_ACT_PGDN, H), 1);
        moves++;
        /* Always exactly H consecutive rows, one page further each time. */
        assert_int_equal(l.n, H);
        int64_t first = row_at(&l, 0)->key;
        assert_int_equal(first, (int64_t)i * H);
        for (int k = 1; k < H; k++)
            assert_int_equal(row_at(&l, k)->key, first + k);
        assert_true(l.sel >= 0 && l.sel < H);
    }
    assert_window(&l, H, 5000 * H);

    /* Proportional to the moves, nowhere near the table. */
    assert_true(s.fetched <= (moves + 1) * H);
    assert_true(s.fetched < MILLION / 5);
    assert_true(s.calls <= moves + 1);
    assert_true(s.max_limit <= H);

    /* PgUp walks back the same way. */
    for (int i = 0; i < 10; i++)
        assert_int_equal(gj_list_move(&l, GJ_ACT_PGUP, H), 1);
    assert_window(&l, H, 4990 * H);
    gj_list_free(&l);
}

static void test_list_end_up_pgup_home(void **state)
{
    (void)state;
    struct source s;
    struct gj_list l;
    list_open(&l, &s, MILLION, H);
    assert_int_equal(gj_list_reload(&l, H), 0);

    /* End: the last H rows, ending at 999,999, the last one selected. */
    gj_list_move(&l, GJ_ACT_END, H);
    assert_window(&l, H, MILLION - H);
    assert_int_equal(row_at(&l, H - 1)->key, MILLION - 1);
    assert_int_equal(l.sel, H - 1);
    assert_int_equal(selected_key(&l), MILLION - 1);

    /* Nothing below the last row. */
    long fetched = s.fetched;
    assert_int_equal(gj_list_move(&l, GJ_ACT_DOWN, H), 0);
    assert_window(&l, H, MILLION - H);
    assert_int_equal(selected_key(&l), MILLION - 1);
    assert_int_equal(gj_list_move(&l, GJ_ACT_PGDN, H), 0);
    assert_window(&l, H, MILLION - H);
    assert_int_equal(selected_key(&l), MILLION - 1);
    assert_int_equal(s.fetched, fetched);

    /* Up to the top of the End window, then one more scrolls back by one. */
    for (int i = 0; i < H - 1; i++)
        assert_int_equal(gj_list_move(&l, GJ_ACT_UP, H), 1);
    assert_int_equal(l.sel, 0);
    assert_int_equal(s.fetched, fetched);
    assert_int_equal(gj_list_move(&l, GJ_ACT_UP, H), 1);
    assert_window(&l, H, MILLION - H - 1);
    assert_int_equal(l.sel, 0);
    assert_int_equal(selected_key(&l), MILLION - H - 1);
    assert_int_equal(s.fetched, fetched + 1);

    /* PgUp from the end: one page back. */
    gj_list_move(&l, GJ_ACT_END, H);
    assert_window(&l, H, MILLION - H);
    assert_int_equal(gj_list_move(&l, GJ_ACT_PGUP, H), 1);
    assert_window(&l, H, MILLION - 2 * H);
    assert_int_equal(gj_list_move(&l, GJ_ACT_PGUP, H), 1);
    assert_window(&l, H, MILLION - 3 * H);

    /* PgDn twice goes back to the end. */
    assert_int_equal(gj_list_move(&l, GJ_ACT_PGDN, H), 1);
    assert_int_equal(gj_list_move(&l, GJ_ACT_PGDN, H), 1);
    assert_window(&l, H, MILLION - H);
    /* A third one only moves the selection to the last row. */
    gj_list_move(&l, GJ_ACT_PGDN, H);
    assert_window(&l, H, MILLION - H);
    assert_int_equal(selected_key(&l), MILLION - 1);

    /* A short page at the end: the window stops at the last row and the
     * selected row stays selected while it is still visible. */
    gj_list_move(&l, GJ_ACT_END, H);
    for (int i = 0; i < H - 1 + 5; i++)
        gj_list_move(&l, GJ_ACT_UP, H);
    assert_window(&l, H, MILLION - H - 5);
    for (int i = 0; i < H - 1; i++)
        gj_list_move(&l, GJ_ACT_DOWN, H);
    assert_int_equal(selected_key(&l), MILLION - 6);
    assert_int_equal(gj_list_move(&l, GJ_ACT_PGDN, H), 1);
    assert_window(&l, H, MILLION - H);
    assert_int_equal(selected_key(&l), MILLION - 6);
    /* The same at the start with a short PgUp. */
    gj_list_move(&l, GJ_ACT_HOME, H);
    for (int i = 0; i < H - 1 + 3; i++)
        gj_list_move(&l, GJ_ACT_DOWN, H);
    assert_window(&l, H, 3);
    for (int i = 0; i < H - 1; i++)
        gj_list_move(&l, GJ_ACT_UP, H);
    assert_int_equal(selected_key(&l), 3);
    assert_int_equal(gj_list_move(&l, GJ_ACT_PGUP, H), 1);
    assert_window(&l, H, 0);
    assert_int_equal(selected_key(&l), 3);

    /* Home returns to row 0. */
    gj_list_move(&l, GJ_ACT_HOME, H);
    assert_window(&l, H, 0);
    assert_int_equal(l.sel, 0);
    assert_int_equal(selected_key(&l), 0);
    /* Nothing above the first row. */
    assert_int_equal(gj_list_move(&l, GJ_ACT_UP, H), 0);
    assert_int_equal(gj_list_move(&l, GJ_ACT_PGUP, H), 0);
    assert_window(&l, H, 0);
    assert_int_equal(l.sel, 0);

    /* A PgUp that only partly fills from the start lands on row 0. */
    for (int i = 0; i < 5; i++)
        gj_list_move(&l, GJ_ACT_DOWN, H); /* sel 5 */
    for (int i = 0; i < H; i++)
        gj_list_move(&l, GJ_ACT_DOWN, H); /* scrolled by 6 */
    assert_window(&l, H, 6);
    gj_list_move(&l, GJ_ACT_PGUP, H);
    assert_window(&l, H, 0);
    gj_list_move(&l, GJ_ACT_PGUP, H);
    assert_window(&l, H, 0);
    assert_int_equal(l.sel, 0);

    /* About 60 moves, ten of them by a page or more: about ten windows'
     * worth of rows, not a million. */
    assert_true(s.fetched <= 15 * H);
    assert_true(s.max_limit <= H);
    gj_list_free(&l);
}

static void test_list_random_walk_is_consistent(void **state)
{
    (void)state;
    struct source s;
    struct gj_list l;
    list_open(&l, &s, MILLION, H);
    assert_int_equal(gj_list_reload(&l, H), 0);
    const enum gj_act acts[] = {GJ_ACT_DOWN, GJ_ACT_DOWN, GJ_ACT_PGDN, GJ_ACT_PGDN, GJ_ACT_UP,
                                GJ_ACT_PGUP, GJ_ACT_END,  GJ_ACT_HOME, GJ_ACT_PGDN};
    unsigned seed = 12345;
    long moves = 0;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        enum gj_act a = acts[(seed >> 16) % (sizeof acts / sizeof acts[0])];
        /* Rare jumps: Home and End each about 1 in 50. */
        if ((a == GJ_ACT_END || a == GJ_ACT_HOME) && (seed >> 8) % 6 != 0)
            a = GJ_ACT_PGDN;
        gj_list_move(&l, a, H);
        moves++;
        assert_int_equal(l.n, H);
        int64_t first = row_at(&l, 0)->key;
        assert_true(first >= 0 && first <= MILLION - H);
        for (int k = 1; k < H; k++)
            assert_int_equal(row_at(&l, k)->key, first + k);
        assert_true(l.sel >= 0 && l.sel < H);
    }
    assert_true(s.fetched <= (moves + 1) * H);
    assert_true(s.max_limit <= H);
    gj_list_free(&l);
}

static void test_list_fewer_rows_than_height(void **state)
{
    (void)state;
    struct source s;
    struct gj_list l;
    list_open(&l, &s, 5, H);
    assert_int_equal(gj_list_reload(&l, H), 0);
    assert_window(&l, 5, 0);
    assert_int_equal(l.sel, 0);

    for (int i = 0; i < 10; i++)
        gj_list_move(&l, GJ_ACT_DOWN, H);
    assert_window(&l, 5, 0);
    assert_int_equal(l.sel, 4);
    assert_int_equal(selected_key(&l), 4);
    assert_int_equal(gj_list_move(&l, GJ_ACT_DOWN, H), 0);
    assert_int_equal(gj_list_move(&l, GJ_ACT_PGDN, H), 0);
    assert_int_equal(l.sel, 4);

    assert_int_equal(gj_list_move(&l, GJ_ACT_PGUP, H), 1);
    assert_window(&l, 5, 0);
    assert_int_equal(l.sel, 0);
    assert_int_equal(gj_list_move(&l, GJ_ACT_PGDN, H), 1);
    assert_int_equal(l.sel, 4);

    gj_list_move(&l, GJ_ACT_HOME, H);
    assert_window(&l, 5, 0);
    assert_int_equal(l.sel, 0);
    gj_list_move(&l, GJ_ACT_END, H);
    assert_window(&l, 5, 0);
    assert_int_equal(l.sel, 4);
    assert_int_equal(gj_list_move(&l, GJ_ACT_UP, H), 1);
    assert_int_equal(selected_key(&l), 3);

    /* One row. */
    s.total = 1;
    assert_int_equal(gj_list_reload(&l, H), 0);
    assert_window(&l, 1, 0);
    assert_int_equal(gj_list_move(&l, GJ_ACT_DOWN, H), 0);
    assert_int_equal(gj_list_move(&l, GJ_ACT_UP, H), 0);
    gj_list_move(&l, GJ_ACT_END, H);
    assert_window(&l, 1, 0);
    assert_int_equal(selected_key(&l), 0);
    gj_list_free(&l);
}

static void test_list_empty_source(void **state)
{
    (void)state;
    struct source s;
    struct gj_list l;
    list_open(&l, &s, 0, H);
    assert_int_equal(gj_list_reload(&l, H), 0);
    assert_int_equal(l.n, 0);
    assert_null(gj_list_selected(&l));
    const enum gj_act acts[] = {GJ_ACT_DOWN, GJ_ACT_UP,  GJ_ACT_PGDN, GJ_ACT_PGUP,
                                GJ_ACT_HOME, GJ_ACT_END, GJ_ACT_OPEN, GJ_ACT_NONE};
    for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++) {
        assert_int_equal(gj_list_move(&l, acts[i], H), 0);
        assert_int_equal(l.n, 0);
        assert_int_equal(l.sel, 0);
        assert_null(gj_list_selected(&l));
    }
    assert_int_equal(gj_list_refresh(&l, H), 0);
    assert_int_equal(l.n, 0);
    assert_null(gj_list_selected(&l));

    /* Rows appear: refresh of an empty window loads from the start. */
    s.total = 3;
    assert_int_equal(gj_list_refresh(&l, H), 0);
    assert_window(&l, 3, 0);
    gj_list_free(&l);
    /* Freeing twice is harmless. */
    gj_list_free(&l);

    /* A list never loaded: moves are harmless too. */
    list_open(&l, &s, MILLION, H);
    assert_int_equal(gj_list_move(&l, GJ_ACT_DOWN, H), 0);
    assert_null(gj_list_selected(&l));
    assert_int_equal(s.calls, 0);
    gj_list_free(&l);
}

static void test_list_refresh_keeps_window(void **state)
{
    (void)state;
    struct source s;
    struct gj_list l;
    list_open(&l, &s, MILLION, H);
    assert_int_equal(gj_list_reload(&l, H), 0);
    for (int i = 0; i < 5; i++)
        gj_list_move(&l, GJ_ACT_PGDN, H);
    for (int i = 0; i < 5; i++)
        gj_list_move(&l, GJ_ACT_DOWN, H);
    assert_window(&l, H, 100);
    int sel = l.sel;
    assert_int_equal(selected_key(&l), 100 + sel);

    /* Every row changed: the same rows come back with the new contents. */
    s.gen = 1;
    long fetched = s.fetched;
    assert_int_equal(gj_list_refresh(&l, H), 0);
    assert_window(&l, H, 100);
    for (int i = 0; i < H; i++)
        assert_int_equal(row_at(&l, i)->gen, 1);
    assert_int_equal(l.sel, sel);
    assert_true(s.fetched - fetched <= H + 1);

    /* A visible row went away: the window keeps its start and closes up. */
    hide(&s, 100 + sel);
    assert_int_equal(gj_list_refresh(&l, H), 0);
    int64_t want[H];
    for (int i = 0, k = 100; i < H; k++)
        if (k != 100 + sel)
            want[i++] = k;
    assert_keys(&l, want, H);
    assert_int_equal(l.sel, sel);
    assert_int_equal(selected_key(&l), 101 + sel);

    /* The first visible row went away: the window starts at the next one. */
    hide(&s, 100);
    assert_int_equal(gj_list_refresh(&l, H), 0);
    assert_int_equal(row_at(&l, 0)->key, 101);
    assert_int_equal(l.n, H);
    assert_int_equal(l.sel, sel);

    /* The row before the window went away: the window does not move. */
    hide(&s, 99);
    int64_t first = row_at(&l, 0)->key;
    assert_int_equal(gj_list_refresh(&l, H), 0);
    assert_int_equal(row_at(&l, 0)->key, first);
    assert_int_equal(l.n, H);

    /* Rows come back: the one inside the window shows again, the window
     * stays where it was. */
    s.n_hidden = 0;
    assert_int_equal(gj_list_refresh(&l, H), 0);
    assert_window(&l, H, 101);

    /* At the very start, refresh still starts at row 0. */
    gj_list_move(&l, GJ_ACT_HOME, H);
    gj_list_move(&l, GJ_ACT_DOWN, H);
    assert_int_equal(gj_list_refresh(&l, H), 0);
    assert_window(&l, H, 0);
    assert_int_equal(l.sel, 1);

    /* At the end, rows gone: the window shortens, the selection stays on a row. */
    gj_list_move(&l, GJ_ACT_END, H);
    assert_int_equal(l.sel, H - 1);
    hide(&s, MILLION - 1);
    hide(&s, MILLION - 2);
    assert_int_equal(gj_list_refresh(&l, H), 0);
    assert_window(&l, H - 2, MILLION - H);
    assert_int_equal(l.sel, H - 3);
    assert_int_equal(selected_key(&l), MILLION - 3);
    gj_list_free(&l);
}

static void test_list_height_change(void **state)
{
    (void)state;
    struct source s;
    struct gj_list l;
    list_open(&l, &s, MILLION, H);
    assert_int_equal(gj_list_reload(&l, H), 0);
    for (int i = 0; i < 15; i++)
        gj_list_move(&l, GJ_ACT_DOWN, H);
    assert_int_equal(l.sel, 15);

    /* The window shrinks to 10 rows: trimmed, the selection kept inside. */
    const int h = 10;
    gj_list_move(&l, GJ_ACT_UP, h);
    assert_int_equal(l.n, h);
    int64_t first = row_at(&l, 0)->key;
    for (int k = 0; k < h; k++)
        assert_int_equal(row_at(&l, k)->key, first + k);
    assert_true(l.sel >= 0 && l.sel < h);

    /* Then it behaves as a 10-row window. */
    for (int i = 0; i < 50; i++) {
        gj_list_move(&l, i % 3 ? GJ_ACT_DOWN : GJ_ACT_PGDN, h);
        assert_int_equal(l.n, h);
        first = row_at(&l, 0)->key;
        for (int k = 1; k < h; k++)
            assert_int_equal(row_at(&l, k)->key, first + k);
        assert_true(l.sel >= 0 && l.sel < h);
    }
    gj_list_move(&l, GJ_ACT_END, h);
    assert_window(&l, h, MILLION - h);
    assert_int_equal(selected_key(&l), MILLION - 1);
    gj_list_move(&l, GJ_ACT_PGUP, h);
    assert_window(&l, h, MILLION - 2 * h);

    /* Back to the full height: a page down fills the bigger window. */
    s.limit_cap = 2 * H;
    gj_list_move(&l, GJ_ACT_HOME, 2 * H);
    assert_window(&l, 2 * H, 0);
    assert_int_equal(gj_list_move(&l, GJ_ACT_PGDN, 2 * H), 1);
    assert_window(&l, 2 * H, 2 * H);

    /* Reload and refresh at a smaller height trim too. */
    assert_int_equal(gj_list_refresh(&l, 5), 0);
    assert_window(&l, 5, 2 * H);
    assert_int_equal(gj_list_reload(&l, 3), 0);
    assert_window(&l, 3, 0);
    gj_list_free(&l);
}

/* ---- the form ------------------------------------------------------------- */

enum { F_NAME, F_PHONE, F_TEL, F_ROOMS, F_AMOUNT, F_DUE, F_REL, F_N };

static const char *const rel_codes[] = {"owner", "tenant", "member", NULL};
static const char *const rel_labels[] = {"Owner", "Tenant", "Member", NULL};

struct form_fixture {
    struct gj_field fields[F_N];
    struct gj_form form;
};

static int form_setup(void **state)
{
    struct form_fixture *x = calloc(1, sizeof *x);
    if (!x)
        return -1;
    x->fields[F_NAME] =
        (struct gj_field){.label = "name", .kind = GJ_F_TEXT, .required = 1, .max_chars = 40};
    x->fields[F_PHONE] = (struct gj_field){.label = "phone", .kind = GJ_F_TEXT, .max_chars = 20};
    x->fields[F_TEL] = (struct gj_field){.label = "联系电话", .kind = GJ_F_TEXT};
    x->fields[F_ROOMS] = (struct gj_field){.label = "rooms", .kind = GJ_F_NUMBER};
    x->fields[F_AMOUNT] = (struct gj_field){.label = "amount", .kind = GJ_F_MONEY};
    x->fields[F_DUE] = (struct gj_field){.label = "due", .kind = GJ_F_DATE};
    x->fields[F_REL] = (struct gj_field){.label = "relation",
                                         .kind = GJ_F_CHOICE,
                                         .choices = rel_codes,
                                         .choice_labels = rel_labels};
    x->form = (struct gj_form){.title = "Test", .fields = x->fields, .n = F_N};
    *state = x;
    return 0;
}

static int form_teardown(void **state)
{
    free(*state);
    return 0;
}

static struct gj_form *fixture_form(void **state)
{
    return &((struct form_fixture *)*state)->form;
}

static enum gj_form_result press(struct gj_form *f, gj_key k)
{
    return gj_form_key(f, NULL, k);
}

static void press_n(struct gj_form *f, gj_key k, int times)
{
    for (int i = 0; i < times; i++)
        assert_int_equal(press(f, k), GJ_FORM_NONE);
}

static void type(struct gj_form *f, const wchar_t *s)
{
    for (; *s; s++)
        assert_int_equal(press(f, (gj_key)*s), GJ_FORM_NONE);
}

static const char *value(const struct gj_form *f, int i)
{
    static char buf[GJ_FIELD_MAX * 4 + 1];
    gj_form_get(f, i, buf, sizeof buf);
    return buf;
}

#define K_SAVE   (-KEY_F(10))
#define K_ESC    27
#define K_CTRL_U 21
#define K_CTRL_S 19
#define K_BKSP   (-KEY_BACKSPACE)
#define K_DEL    (-KEY_DC)

static void test_form_cjk_input(void **state)
{
    struct gj_form *f = fixture_form(state);
    /* 张三 as wide-character key codes. */
    assert_int_equal(press(f, 0x5F20), GJ_FORM_NONE);
    assert_int_equal(press(f, 0x4E09), GJ_FORM_NONE);
    assert_string_equal(value(f, F_NAME), "张三");
    assert_int_equal(f->fields[F_NAME].len, 2);
    assert_int_equal(f->fields[F_NAME].cursor, 2);

    /* Mixed, full-width punctuation and a character outside the BMP
     * (U+20000, used in some names). */
    type(f, L"（3-2-501）");
    press(f, 0x20000);
    assert_string_equal(value(f, F_NAME), "张三（3-2-501）\xF0\xA0\x80\x80");

    /* Control characters are not typed. */
    int len = f->fields[F_NAME].len;
    press(f, 0x07);
    press(f, 0x3000); /* the ideographic space is text */
    press(f, 0x85);   /* C1 control */
    assert_int_equal(f->fields[F_NAME].len, len + 1);

    /* gj_form_set takes UTF-8 and round-trips it. */
    gj_form_set(f, F_TEL, "李四 13900139000 ＃5-1-302");
    assert_string_equal(value(f, F_TEL), "李四 13900139000 ＃5-1-302");
    assert_int_equal(f->fields[F_TEL].len, 23);
    assert_int_equal(f->fields[F_TEL].cursor, 23);
    /* Surrounding spaces are trimmed on the way out. */
    gj_form_set(f, F_TEL, "  王五  ");
    assert_string_equal(value(f, F_TEL), "王五");
    gj_form_set(f, F_TEL, NULL);
    assert_string_equal(value(f, F_TEL), "");
    assert_int_equal(f->fields[F_TEL].len, 0);

    /* A small output buffer never splits a character. */
    gj_form_set(f, F_TEL, "张三李四");
    char small[8];
    gj_form_get(f, F_TEL, small, sizeof small);
    assert_string_equal(small, "张三");
}

static void test_form_editing_mixed_text(void **state)
{
    struct gj_form *f = fixture_form(state);
    struct gj_field *fd = &f->fields[F_NAME];
    type(f, L"张三abc");
    assert_int_equal(fd->cursor, 5);

    /* Left twice: between 'a' and 'b'. Backspace removes 'a'. */
    press_n(f, -KEY_LEFT, 2);
    assert_int_equal(fd->cursor, 3);
    press(f, K_BKSP);
    assert_string_equal(value(f, F_NAME), "张三bc");
    assert_int_equal(fd->cursor, 2);
    /* Typing inserts at the cursor. */
    press(f, 0x674E); /* 李 */
    assert_string_equal(value(f, F_NAME), "张三李bc");
    assert_int_equal(fd->cursor, 3);
    /* Delete removes the character under the cursor. */
    press(f, K_DEL);
    assert_string_equal(value(f, F_NAME), "张三李c");
    assert_int_equal(fd->cursor, 3);
    /* Backspace over a CJK character removes the whole character. */
    press(f, 127);
    assert_string_equal(value(f, F_NAME), "张三c");
    assert_int_equal(fd->cursor, 2);
    /* Home, Delete: the first character goes. */
    press(f, -KEY_HOME);
    assert_int_equal(fd->cursor, 0);
    press(f, K_DEL);
    assert_string_equal(value(f, F_NAME), "三c");
    /* Backspace at the start does nothing. */
    press(f, K_BKSP);
    press(f, 8);
    assert_string_equal(value(f, F_NAME), "三c");
    assert_int_equal(fd->cursor, 0);
    /* Left at the start and Right at the end stop there. */
    press(f, -KEY_LEFT);
    assert_int_equal(fd->cursor, 0);
    press_n(f, -KEY_RIGHT, 5);
    assert_int_equal(fd->cursor, 2);
    /* Delete at the end does nothing. */
    press(f, K_DEL);
    assert_string_equal(value(f, F_NAME), "三c");
    /* Ctrl-A / Ctrl-E are Home / End. */
    press(f, 1);
    assert_int_equal(fd->cursor, 0);
    type(f, L"x");
    press(f, 5);
    assert_int_equal(fd->cursor, 3);
    type(f, L"四");
    assert_string_equal(value(f, F_NAME), "x三c四");
    press(f, -KEY_HOME);
    press(f, -KEY_RIGHT);
    press(f, -KEY_END);
    assert_int_equal(fd->cursor, 4);
    /* Ctrl-U in the middle clears the field. */
    press_n(f, -KEY_LEFT, 2);
    press(f, K_CTRL_U);
    assert_string_equal(value(f, F_NAME), "");
    assert_int_equal(fd->len, 0);
    assert_int_equal(fd->cursor, 0);
    /* And the field still takes text afterwards. */
    type(f, L"曾单");
    assert_string_equal(value(f, F_NAME), "曾单");

    /* After gj_form_set the cursor is at the end, ready to edit. */
    gj_form_set(f, F_NAME, "张三丰");
    press(f, K_BKSP);
    assert_string_equal(value(f, F_NAME), "张三");

    /* Keys that are global commands elsewhere are plain text in a form. */
    gj_form_set(f, F_NAME, "");
    type(f, L"q?jkgGn/ae1");
    assert_string_equal(value(f, F_NAME), "q?jkgGn/ae1");
    assert_int_equal(f->focus, F_NAME);
}

static void test_form_field_max(void **state)
{
    struct gj_form *f = fixture_form(state);
    struct gj_field *fd = &f->fields[F_TEL];
    f->focus = F_TEL;
    for (int i = 0; i < GJ_FIELD_MAX + 50; i++)
        assert_int_equal(press(f, 0x5F20), GJ_FORM_NONE);
    assert_int_equal(fd->len, GJ_FIELD_MAX);
    assert_int_equal(fd->cursor, GJ_FIELD_MAX);
    assert_int_equal(fd->buf[GJ_FIELD_MAX], L'\0');
    const char *v = value(f, F_TEL);
    assert_int_equal(strlen(v), (size_t)GJ_FIELD_MAX * 3);

    /* Full: inserting in the middle changes nothing. */
    press(f, -KEY_HOME);
    press(f, 'a');
    assert_int_equal(fd->len, GJ_FIELD_MAX);
    assert_int_equal(fd->buf[0], 0x5F20);
    assert_int_equal(fd->cursor, 0);
    /* Room again after a delete. */
    press(f, K_DEL);
    press(f, 'a');
    assert_int_equal(fd->len, GJ_FIELD_MAX);
    assert_int_equal(fd->buf[0], L'a');

    /* gj_form_set is capped the same way. */
    char *big = malloc(GJ_FIELD_MAX * 3 + 100);
    assert_non_null(big);
    size_t o = 0;
    for (int i = 0; i < GJ_FIELD_MAX + 30; i++) {
        memcpy(big + o, "李", 3);
        o += 3;
    }
    big[o] = '\0';
    gj_form_set(f, F_TEL, big);
    assert_int_equal(fd->len, GJ_FIELD_MAX);
    assert_int_equal(fd->cursor, GJ_FIELD_MAX);
    assert_int_equal(strlen(value(f, F_TEL)), (size_t)GJ_FIELD_MAX * 3);
    free(big);

    /* A field's own max_chars is enforced on save. */
    char forty[41 * 3 + 1] = "";
    for (int i = 0; i < 40; i++)
        strcat(forty, "十");
    gj_form_set(f, F_NAME, forty);
    assert_int_equal(f->fields[F_NAME].len, 40);
    gj_form_set(f, F_TEL, "");
    assert_int_equal(press(f, K_SAVE), GJ_FORM_SAVE);
    strcat(forty, "一");
    gj_form_set(f, F_NAME, forty);
    assert_int_equal(f->fields[F_NAME].len, 41);
    assert_int_equal(press(f, K_SAVE), GJ_FORM_NONE);
    assert_int_equal(f->focus, F_NAME);
    assert_true(f->fields[F_NAME].error[0] != '\0');
}

/* Every field valid except the named one. */
static void fill_valid(struct gj_form *f)
{
    gj_form_set(f, F_NAME, "张三");
    gj_form_set(f, F_PHONE, "13800138000");
    gj_form_set(f, F_TEL, "");
    gj_form_set(f, F_ROOMS, "3");
    gj_form_set(f, F_AMOUNT, "1,234.50");
    gj_form_set(f, F_DUE, "2026-11-29");
}

static void assert_no_errors(const struct gj_form *f)
{
    for (int i = 0; i < f->n; i++)
        assert_string_equal(f->fields[i].error, "");
    assert_string_equal(f->error, "");
}

/* Save refuses: the error is on field bad, the focus moves there, and no
 * other field is marked. */
static void assert_refused(struct gj_form *f, int bad, const char *why)
{
    f->focus = F_REL;
    assert_int_equal(press(f, K_SAVE), GJ_FORM_NONE);
    assert_int_equal(f->focus, bad);
    assert_true(f->fields[bad].error[0] != '\0');
    if (why)
        assert_non_null(strstr(f->fields[bad].error, why));
    assert_true(f->error[0] != '\0');
    for (int i = 0; i < f->n; i++)
        if (i != bad)
            assert_string_equal(f->fields[i].error, "");
}

static void test_form_save_checks(void **state)
{
    struct gj_form *f = fixture_form(state);

    /* An empty form: the required name is missing. */
    assert_refused(f, F_NAME, "required");
    /* Only spaces count as empty. */
    gj_form_set(f, F_NAME, "   ");
    assert_refused(f, F_NAME, "required");

    /* A valid form saves; Ctrl-S does the same as F10. */
    fill_valid(f);
    f->focus = F_DUE;
    assert_int_equal(press(f, K_SAVE), GJ_FORM_SAVE);
    assert_no_errors(f);
    assert_int_equal(f->focus, F_DUE);
    assert_int_equal(press(f, K_CTRL_S), GJ_FORM_SAVE);
    /* Optional fields may stay empty. */
    for (int i = F_PHONE; i <= F_DUE; i++)
        gj_form_set(f, i, "");
    assert_int_equal(press(f, K_SAVE), GJ_FORM_SAVE);

    /* Numbers: digits only. */
    const char *bad_numbers[] = {"12a", "-3", "1.5", "１２", "3 4", "三"};
    for (size_t i = 0; i < sizeof bad_numbers / sizeof bad_numbers[0]; i++) {
        fill_valid(f);
        gj_form_set(f, F_ROOMS, bad_numbers[i]);
        assert_refused(f, F_ROOMS, NULL);
    }
    fill_valid(f);
    gj_form_set(f, F_ROOMS, " 042 ");
    assert_int_equal(press(f, K_SAVE), GJ_FORM_SAVE);

    /* Money: at most two decimals, no letters, not negative. */
    const char *bad_money[] = {"abc", "1.234", "-5", "1,23.4", "12元", "¥"};
    for (size_t i = 0; i < sizeof bad_money / sizeof bad_money[0]; i++) {
        fill_valid(f);
        gj_form_set(f, F_AMOUNT, bad_money[i]);
        assert_refused(f, F_AMOUNT, NULL);
    }
    const char *good_money[] = {"0", "12.5", "¥1,234.56", "￥12"};
    for (size_t i = 0; i < sizeof good_money / sizeof good_money[0]; i++) {
        fill_valid(f);
        gj_form_set(f, F_AMOUNT, good_money[i]);
        assert_int_equal(press(f, K_SAVE), GJ_FORM_SAVE);
        assert_no_errors(f);
    }

    /* Dates: YYYY-MM-DD and real. */
    const char *bad_dates[] = {"2026-13-01", "2026/11/29", "tomorrow",
                               "2026-02-30", "29-11-2026", "2026-11-29 10:00"};
    for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
        fill_valid(f);
        gj_form_set(f, F_DUE, bad_dates[i]);
        assert_refused(f, F_DUE, NULL);
    }
    fill_valid(f);
    gj_form_set(f, F_DUE, "2028-02-29");
    assert_int_equal(press(f, K_SAVE), GJ_FORM_SAVE);

    /* Several bad fields: all marked, the focus on the first. */
    fill_valid(f);
    gj_form_set(f, F_DUE, "someday");
    gj_form_set(f, F_ROOMS, "x");
    gj_form_set(f, F_AMOUNT, "y");
    f->focus = F_REL;
    assert_int_equal(press(f, K_SAVE), GJ_FORM_NONE);
    assert_int_equal(f->focus, F_ROOMS);
    assert_true(f->fields[F_ROOMS].error[0] != '\0');
    assert_true(f->fields[F_AMOUNT].error[0] != '\0');
    assert_true(f->fields[F_DUE].error[0] != '\0');
    assert_string_equal(f->fields[F_NAME].error, "");
    /* Fixed: the errors go away on the next save. */
    fill_valid(f);
    assert_int_equal(press(f, K_SAVE), GJ_FORM_SAVE);
    assert_no_errors(f);

    /* Leaving a field with Tab checks it. */
    gj_form_set(f, F_ROOMS, "abc");
    f->focus = F_ROOMS;
    press(f, '\t');
    assert_int_equal(f->focus, F_AMOUNT);
    assert_true(f->fields[F_ROOMS].error[0] != '\0');
    /* Typing in it again clears the mark. */
    f->focus = F_ROOMS;
    press(f, K_CTRL_U);
    press(f, '7');
    assert_string_equal(f->fields[F_ROOMS].error, "");
}

static void test_form_cancel(void **state)
{
    struct gj_form *f = fixture_form(state);
    assert_int_equal(press(f, K_ESC), GJ_FORM_CANCEL);
    type(f, L"张");
    assert_int_equal(press(f, K_ESC), GJ_FORM_CANCEL);
    /* Esc cancels from a choice field too, and a bad form still cancels. */
    gj_form_set(f, F_DUE, "bad");
    f->focus = F_REL;
    assert_int_equal(press(f, K_ESC), GJ_FORM_CANCEL);
    /* Cancelling does not touch the values. */
    assert_string_equal(value(f, F_NAME), "张");
}

static void test_form_focus_moves_and_wraps(void **state)
{
    struct gj_form *f = fixture_form(state);
    assert_int_equal(f->focus, 0);
    for (int i = 1; i < F_N; i++) {
        assert_int_equal(press(f, '\t'), GJ_FORM_NONE);
        assert_int_equal(f->focus, i);
    }
    press(f, '\t');
    assert_int_equal(f->focus, 0);
    press(f, -KEY_BTAB);
    assert_int_equal(f->focus, F_N - 1);
    press(f, -KEY_BTAB);
    assert_int_equal(f->focus, F_N - 2);
    /* Down/Up and Enter move as well. */
    press(f, -KEY_DOWN);
    assert_int_equal(f->focus, F_N - 1);
    press(f, -KEY_DOWN);
    assert_int_equal(f->focus, 0);
    press(f, -KEY_UP);
    assert_int_equal(f->focus, F_N - 1);
    press(f, '\n');
    assert_int_equal(f->focus, 0);
    press(f, '\r');
    assert_int_equal(f->focus, 1);
    press(f, -KEY_ENTER);
    assert_int_equal(f->focus, 2);
    /* Moving does not change any value. */
    for (int i = 0; i < F_N - 1; i++)
        assert_string_equal(value(f, i), "");
    assert_int_equal(f->dirty, 0);
}

static void test_form_choice(void **state)
{
    struct gj_form *f = fixture_form(state);
    struct gj_field *fd = &f->fields[F_REL];
    f->focus = F_REL;
    assert_string_equal(gj_form_choice(f, F_REL), "owner");
    press(f, ' ');
    assert_string_equal(gj_form_choice(f, F_REL), "tenant");
    press(f, -KEY_RIGHT);
    assert_string_equal(gj_form_choice(f, F_REL), "member");
    press(f, -KEY_RIGHT);
    assert_string_equal(gj_form_choice(f, F_REL), "owner");
    press(f, -KEY_LEFT);
    assert_string_equal(gj_form_choice(f, F_REL), "member");
    press(f, -KEY_LEFT);
    press(f, -KEY_LEFT);
    assert_string_equal(gj_form_choice(f, F_REL), "owner");
    press(f, -KEY_LEFT);
    assert_int_equal(fd->choice, 2);

    /* Letters, Backspace and Ctrl-U do nothing to a choice. */
    type(f, L"abc张");
    press(f, K_BKSP);
    press(f, K_CTRL_U);
    press(f, K_DEL);
    assert_int_equal(fd->choice, 2);
    assert_int_equal(fd->len, 0);
    assert_int_equal(f->focus, F_REL);

    /* Tab leaves the field without cycling it. */
    press(f, '\t');
    assert_int_equal(f->focus, 0);
    assert_int_equal(fd->choice, 2);

    /* Set by code; an unknown code changes nothing. */
    gj_form_set_choice(f, F_REL, "tenant");
    assert_int_equal(fd->choice, 1);
    gj_form_set_choice(f, F_REL, "landlord");
    assert_int_equal(fd->choice, 1);

    /* Space on a text field is a space. */
    type(f, L"a b");
    assert_string_equal(value(f, F_NAME), "a b");
    assert_int_equal(fd->choice, 1);
}

static void test_form_error_routing(void **state)
{
    struct gj_form *f = fixture_form(state);

    gj_form_error(f, "phone: enter a mobile number (11 digits)");
    assert_string_equal(f->fields[F_PHONE].error, "enter a mobile number (11 digits)");
    assert_int_equal(f->focus, F_PHONE);
    assert_string_equal(f->error, "");

    /* The full-width colon, as in the Chinese messages. */
    gj_form_clear_errors(f);
    gj_form_error(f, "联系电话：请输入11位手机号");
    assert_string_equal(f->fields[F_TEL].error, "请输入11位手机号");
    assert_int_equal(f->focus, F_TEL);
    assert_string_equal(f->error, "");
    gj_form_clear_errors(f);
    gj_form_error(f, "amount:   too large");
    assert_string_equal(f->fields[F_AMOUNT].error, "too large");
    assert_int_equal(f->focus, F_AMOUNT);

    /* Anything else goes on the form. */
    const char *others[] = {"the unit 3-2-501 already has an owner",
                            "phone 13800138000 is used by 张三",
                            "phonetic: not a field",
                            "name",
                            "Name: capitalised is another label",
                            ": no label",
                            ""};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        gj_form_clear_errors(f);
        f->focus = F_ROOMS;
        gj_form_error(f, others[i]);
        assert_string_equal(f->error, others[i]);
        for (int k = 0; k < f->n; k++)
            assert_string_equal(f->fields[k].error, "");
        assert_int_equal(f->focus, F_ROOMS);
    }

    /* gj_form_clear_errors clears fields and form. */
    gj_form_error(f, "name: required");
    gj_form_error(f, "something else");
    gj_form_clear_errors(f);
    assert_no_errors(f);

    /* A long message is cut, not overrun. */
    char longmsg[2000];
    memset(longmsg, 'x', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = '\0';
    gj_form_error(f, longmsg);
    assert_int_equal(strlen(f->error), sizeof f->error - 1);
    memcpy(longmsg, "name: ", 6);
    gj_form_error(f, longmsg);
    assert_int_equal(strlen(f->fields[F_NAME].error), sizeof f->fields[F_NAME].error - 1);
}

static void test_form_dirty(void **state)
{
    struct gj_form *f = fixture_form(state);
    /* Values set by the program and moving around are not edits. */
    fill_valid(f);
    const gj_key moves[] = {'\t',      -KEY_BTAB, -KEY_DOWN, -KEY_UP,    '\n',
                            -KEY_LEFT, -KEY_HOME, -KEY_END,  -KEY_RIGHT, 1,
                            5,         K_SAVE,    K_ESC,     -KEY_F(1),  12 /* Ctrl-L */};
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        press(f, moves[i]);
    f->focus = F_NAME;
    press(f, -KEY_HOME);
    press(f, K_BKSP); /* at the start: nothing to delete */
    press(f, -KEY_END);
    press(f, K_DEL); /* at the end: nothing to delete */
    assert_int_equal(f->dirty, 0);
    assert_string_equal(value(f, F_NAME), "张三");

    /* Each kind of edit sets it. */
    const gj_key edits[] = {'a', K_BKSP, 127, 8, K_CTRL_U};
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        gj_form_set(f, F_NAME, "张三");
        f->dirty = 0;
        press(f, edits[i]);
        assert_int_equal(f->dirty, 1);
    }
    gj_form_set(f, F_NAME, "张三");
    press(f, -KEY_HOME);
    f->dirty = 0;
    press(f, K_DEL);
    assert_int_equal(f->dirty, 1);
    assert_string_equal(value(f, F_NAME), "三");

    f->dirty = 0;
    f->focus = F_REL;
    press(f, ' ');
    assert_int_equal(f->dirty, 1);
}

/* ---- the actions table ------------------------------------------------------ */

static const unsigned all_scopes[] = {GJ_SC_LIST, GJ_SC_SEARCH, GJ_SC_DETAIL,
                                      GJ_SC_FORM, GJ_SC_LOGIN,  GJ_SC_GLOBAL};

static int n_keys(const struct gj_action_def *a)
{
    int k = 0;
    while (k < 4 && a->keys[k])
        k++;
    return k;
}

static void test_actions_complete(void **state)
{
    (void)state;
    int n = 0;
    for (const struct gj_action_def *a = gj_actions; a->id; a++, n++) {
        assert_int_not_equal(a->act, GJ_ACT_NONE);
        assert_true(a->id[0] != '\0');
        assert_non_null(a->key_label);
        assert_true(a->key_label[0] != '\0');
        assert_non_null(a->label);
        assert_true(a->label[0] != '\0');
        assert_non_null(a->help);
        assert_true(a->help[0] != '\0');
        assert_int_not_equal(a->scopes, 0);
        /* At least one key, and the list is 0-terminated inside the array. */
        int k = n_keys(a);
        assert_true(k >= 1);
        assert_true(k < 4);
        /* Ids are stable names for the docs: one row each. */
        for (const struct gj_action_def *b = gj_actions; b < a; b++)
            assert_string_not_equal(a->id, b->id);
    }
    assert_true(n >= 20);
    /* The table ends with an empty row. */
    assert_int_equal(gj_actions[n].act, GJ_ACT_NONE);
}

static void test_actions_keys_unique_per_scope(void **state)
{
    (void)state;
    for (size_t s = 0; s < sizeof all_scopes / sizeof all_scopes[0]; s++) {
        unsigned sc = all_scopes[s];
        for (const struct gj_action_def *a = gj_actions; a->id; a++) {
            if (!(a->scopes & sc))
                continue;
            for (const struct gj_action_def *b = a + 1; b->id; b++) {
                if (!(b->scopes & sc) || b->act == a->act)
                    continue;
                for (int i = 0; a->keys[i]; i++)
                    for (int j = 0; b->keys[j]; j++)
                        if (a->keys[i] == b->keys[j])
                            fail_msg("scope %#x: key %d is both %s and %s", sc, a->keys[i], a->id,
                                     b->id);
            }
            /* And every key of the action reaches it in that scope. */
            for (int i = 0; a->keys[i]; i++)
                assert_int_equal(gj_action_for(sc, a->keys[i]), a->act);
        }
    }
}

static void test_actions_lookup(void **state)
{
    (void)state;
    /* The scope's own action wins over a global one. */
    assert_int_equal(gj_action_for(GJ_SC_FORM, '\t'), GJ_ACT_NEXT_FIELD);
    assert_int_equal(gj_action_for(GJ_SC_LOGIN, '\t'), GJ_ACT_NEXT_FIELD);
    assert_int_equal(gj_action_for(GJ_SC_LIST, '\t'), GJ_ACT_NEXT_SCREEN);
    assert_int_equal(gj_action_for(GJ_SC_DETAIL, '\t'), GJ_ACT_NEXT_SCREEN);
    assert_int_equal(gj_action_for(GJ_SC_FORM, -KEY_BTAB), GJ_ACT_PREV_FIELD);
    assert_int_equal(gj_action_for(GJ_SC_LIST, -KEY_BTAB), GJ_ACT_PREV_SCREEN);
    assert_int_equal(gj_action_for(GJ_SC_FORM, -KEY_DOWN), GJ_ACT_NEXT_FIELD);
    assert_int_equal(gj_action_for(GJ_SC_LIST, -KEY_DOWN), GJ_ACT_DOWN);
    assert_int_equal(gj_action_for(GJ_SC_FORM, -KEY_UP), GJ_ACT_PREV_FIELD);
    assert_int_equal(gj_action_for(GJ_SC_DETAIL, -KEY_UP), GJ_ACT_UP);
    /* Esc and Enter mean different things in different places. */
    assert_int_equal(gj_action_for(GJ_SC_FORM, 27), GJ_ACT_CANCEL);
    assert_int_equal(gj_action_for(GJ_SC_LOGIN, 27), GJ_ACT_CANCEL);
    assert_int_equal(gj_action_for(GJ_SC_SEARCH, 27), GJ_ACT_BACK);
    assert_int_equal(gj_action_for(GJ_SC_DETAIL, 27), GJ_ACT_BACK);
    assert_int_equal(gj_action_for(GJ_SC_LIST, '\n'), GJ_ACT_OPEN);
    assert_int_equal(gj_action_for(GJ_SC_SEARCH, '\r'), GJ_ACT_OPEN);
    assert_int_equal(gj_action_for(GJ_SC_LOGIN, '\n'), GJ_ACT_LOGIN);
    assert_int_equal(gj_action_for(GJ_SC_LOGIN, -KEY_ENTER), GJ_ACT_LOGIN);
    assert_int_equal(gj_action_for(GJ_SC_FORM, '\n'), GJ_ACT_NONE);
    /* Saving. */
    assert_int_equal(gj_action_for(GJ_SC_FORM, -KEY_F(10)), GJ_ACT_SAVE);
    assert_int_equal(gj_action_for(GJ_SC_FORM, 19), GJ_ACT_SAVE);
    assert_int_equal(gj_action_for(GJ_SC_LIST, -KEY_F(10)), GJ_ACT_NONE);
    /* Globals reach every scope that does not bind the key itself. */
    assert_int_equal(gj_action_for(GJ_SC_LIST, 'q'), GJ_ACT_QUIT);
    assert_int_equal(gj_action_for(GJ_SC_DETAIL, '?'), GJ_ACT_HELP);
    assert_int_equal(gj_action_for(GJ_SC_LIST, -KEY_F(1)), GJ_ACT_HELP);
    assert_int_equal(gj_action_for(GJ_SC_GLOBAL, 12), GJ_ACT_REDRAW);
    /* Screen keys. */
    assert_int_equal(gj_action_for(GJ_SC_LIST, 'n'), GJ_ACT_NEW);
    assert_int_equal(gj_action_for(GJ_SC_LIST, '/'), GJ_ACT_SEARCH);
    assert_int_equal(gj_action_for(GJ_SC_DETAIL, 'e'), GJ_ACT_EDIT);
    assert_int_equal(gj_action_for(GJ_SC_DETAIL, 'x'), GJ_ACT_ARCHIVE);
    assert_int_equal(gj_action_for(GJ_SC_LIST, 'x'), GJ_ACT_NONE);
    assert_int_equal(gj_action_for(GJ_SC_LIST, -KEY_END), GJ_ACT_END);
    assert_int_equal(gj_action_for(GJ_SC_LIST, -KEY_NPAGE), GJ_ACT_PGDN);
    /* Unbound keys. */
    assert_int_equal(gj_action_for(GJ_SC_LIST, 0x5F20), GJ_ACT_NONE);
    assert_int_equal(gj_action_for(GJ_SC_FORM, 'z'), GJ_ACT_NONE);
    assert_int_equal(gj_action_for(GJ_SC_GLOBAL, 0), GJ_ACT_NONE);
}

static int bound_in(unsigned scope, gj_key key)
{
    for (const struct gj_action_def *a = gj_actions; a->id; a++)
        if (a->scopes & scope)
            for (int k = 0; a->keys[k]; k++)
                if (a->keys[k] == key)
                    return 1;
    return 0;
}

static void test_actions_global_letters_type_in_text_scopes(void **state)
{
    (void)state;
    const unsigned text_scopes[] = {GJ_SC_SEARCH, GJ_SC_FORM, GJ_SC_LOGIN};
    for (const struct gj_action_def *a = gj_actions; a->id; a++) {
        if (!(a->scopes & GJ_SC_GLOBAL))
            continue;
        for (int k = 0; a->keys[k]; k++) {
            gj_key key = a->keys[k];
            if (key < ' ' || key == 127)
                continue; /* not a typed character */
            for (size_t s = 0; s < 3; s++)
                if (bound_in(text_scopes[s], key))
                    fail_msg("global key '%c' (%s) is bound in text scope %#x", key, a->id,
                             text_scopes[s]);
        }
    }
    assert_false(bound_in(GJ_SC_SEARCH | GJ_SC_FORM | GJ_SC_LOGIN, 'q'));
    assert_false(bound_in(GJ_SC_SEARCH | GJ_SC_FORM | GJ_SC_LOGIN, '?'));
}

/* No printable character may be bound where the user types text: 'j' and
 * 'k' once moved the selection in the search box instead of being typed. */
static void test_actions_no_printable_keys_in_text_scopes(void **state)
{
    (void)state;
    for (const struct gj_action_def *a = gj_actions; a->id; a++) {
        if (!(a->scopes & (GJ_SC_SEARCH | GJ_SC_FORM | GJ_SC_LOGIN)))
            continue;
        for (int k = 0; a->keys[k]; k++) {
            gj_key key = a->keys[k];
            if (key >= ' ' && key != 127)
                fail_msg("'%c' is bound to %s where the user types text (scopes %#x)", key, a->id,
                         a->scopes);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_reload_and_down),
        cmocka_unit_test(test_list_page_down_a_million),
        cmocka_unit_test(test_list_end_up_pgup_home),
        cmocka_unit_test(test_list_random_walk_is_consistent),
        cmocka_unit_test(test_list_fewer_rows_than_height),
        cmocka_unit_test(test_list_empty_source),
        cmocka_unit_test(test_list_refresh_keeps_window),
        cmocka_unit_test(test_list_height_change),
        cmocka_unit_test_setup_teardown(test_form_cjk_input, form_setup, form_teardown),
        cmocka_unit_test_setup_teardown(test_form_editing_mixed_text, form_setup, form_teardown),
        cmocka_unit_test_setup_teardown(test_form_field_max, form_setup, form_teardown),
        cmocka_unit_test_setup_teardown(test_form_save_checks, form_setup, form_teardown),
        cmocka_unit_test_setup_teardown(test_form_cancel, form_setup, form_teardown),
        cmocka_unit_test_setup_teardown(test_form_focus_moves_and_wraps, form_setup, form_teardown),
        cmocka_unit_test_setup_teardown(test_form_choice, form_setup, form_teardown),
        cmocka_unit_test_setup_teardown(test_form_error_routing, form_setup, form_teardown),
        cmocka_unit_test_setup_teardown(test_form_dirty, form_setup, form_teardown),
        cmocka_unit_test(test_actions_complete),
        cmocka_unit_test(test_actions_keys_unique_per_scope),
        cmocka_unit_test(test_actions_lookup),
        cmocka_unit_test(test_actions_global_letters_type_in_text_scopes),
        cmocka_unit_test(test_actions_no_printable_keys_in_text_scopes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
