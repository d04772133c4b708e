/* The paged list: a window onto a keyset query. It holds only the rows on
 * screen and fetches the next or previous ones around them as it moves, so
 * the millionth row costs what the first does. */
#include "../tui.h"

#include <stdlib.h>
#include <string.h>

void gj_list_init(struct gj_list *l, const struct gj_list_source *src)
{
    memset(l, 0, sizeof *l);
    l->src = *src;
}

void gj_list_free(struct gj_list *l)
{
    free(l->rows);
    free(l->scratch);
    l->rows = l->scratch = NULL;
    l->capacity = l->n = 0;
}

static int ensure(struct gj_list *l, int height)
{
    if (height < 1)
        height = 1;
    if (height <= l->capacity)
        return 0;
    char *rows = realloc(l->rows, (size_t)height * l->src.row_size);
    char *scratch = rows ? realloc(l->scratch, (size_t)height * l->src.row_size) : NULL;
    if (!rows || !scratch) {
        if (rows)
            l->rows = rows;
        return -1;
    }
    l->rows = rows;
    l->scratch = scratch;
    l->capacity = height;
    return 0;
}

#define ROW(l, i) ((l)->rows + (size_t)(i) * (l)->src.row_size)

int gj_list_reload(struct gj_list *l, int height)
{
    if (ensure(l, height) != 0)
        return -1;
    l->sel = 0;
    l->n = 0;
    l->at_start = 1;
    return l->src.fetch(l->src.ctx, NULL, 1, height, l->rows, &l->n);
}

int gj_list_refresh(struct gj_list *l, int height)
{
    if (ensure(l, height) != 0)
        return -1;
    if (l->n == 0)
        return gj_list_reload(l, height);
    if (l->at_start) {
        /* At the top: rows that now sort first must show. */
        int sel = l->sel;
        int rc = gj_list_reload(l, height);
        l->sel = sel < l->n ? sel : (l->n ? l->n - 1 : 0);
        return rc;
    }
    /* Refetch from just before the first visible row. */
    int n = 0;
    memcpy(l->scratch, ROW(l, 0), l->src.row_size);
    int rc = l->src.fetch(l->src.ctx, l->scratch, 0, 1, l->scratch, &n);
    int sel = l->sel;
    if (rc != 0)
        return rc;
    rc = l->src.fetch(l->src.ctx, n ? l->scratch : NULL, 1, height, l->rows, &l->n);
    l->sel = sel < l->n ? sel : (l->n ? l->n - 1 : 0);
    return rc;
}

void *gj_list_selected(struct gj_list *l)
{
    return l->n > 0 ? ROW(l, l->sel) : NULL;
}

/* Scrolls forward by up to k rows; returns how many came in. */
static int scroll_forward(struct gj_list *l, int k, int height)
{
    int got = 0;
    if (l->n == 0 || k <= 0)
        return 0;
    l->src.fetch(l->src.ctx, ROW(l, l->n - 1), 1, k, l->scratch, &got);
    if (got == 0)
        return 0;
    if (l->n + got > height) {
        int drop = l->n + got - height;
        l->at_start = 0;
        memmove(l->rows, ROW(l, drop), (size_t)(l->n - drop) * l->src.row_size);
        l->n -= drop;
        l->sel -= drop;
    }
    memcpy(ROW(l, l->n), l->scratch, (size_t)got * l->src.row_size);
    l->n += got;
    return got;
}

/* Scrolls back by up to k rows (the source returns them nearest first). */
static int scroll_back(struct gj_list *l, int k, int height)
{
    int got = 0;
    if (l->n == 0 || k <= 0)
        return 0;
    l->src.fetch(l->src.ctx, ROW(l, 0), 0, k, l->scratch, &got);
    if (got < k)
        l->at_start = 1;
    if (got == 0)
        return 0;
    int keep = l->n < height - got ? l->n : height - got;
    memmove(ROW(l, got), l->rows, (size_t)keep * l->src.row_size);
    for (int i = 0; i < got; i++)
        memcpy(ROW(l, got - 1 - i), l->scratch + (size_t)i * l->src.row_size, l->src.row_size);
    l->n = keep + got;
    l->sel += got;
    return got;
}

int gj_list_move(struct gj_list *l, enum gj_act act, int height)
{
    if (ensure(l, height) != 0 || l->n == 0)
        return 0;
    if (l->n > height) { /* the window shrank */
        l->n = height;
        if (l->sel >= l->n)
            l->sel = l->n - 1;
    }
    int before = l->sel;
    switch (act) {
    case GJ_ACT_DOWN:
        if (l->sel + 1 < l->n)
            l->sel++;
        else if (scroll_forward(l, 1, height))
            l->sel = l->n - 1;
        else
            return 0;
        return 1;
    case GJ_ACT_UP:
        if (l->sel > 0)
            l->sel--;
        else if (scroll_back(l, 1, height))
            l->sel = 0;
        else
            return 0;
        return 1;
    case GJ_ACT_PGDN: {
        int got = scroll_forward(l, height, height);
        if (got == 0)
            l->sel = l->n - 1;
        else if (l->sel < 0)
            l->sel = 0;
        return got > 0 || l->sel != before;
    }
    case GJ_ACT_PGUP: {
        int got = scroll_back(l, height, height);
        if (got == 0)
            l->sel = 0;
        else if (l->sel >= l->n)
            l->sel = l->n - 1;
        return got > 0 || l->sel != before;
    }
    case GJ_ACT_HOME:
        gj_list_reload(l, height);
        return 1;
    case GJ_ACT_END: {
        int got = 0;
        l->src.fetch(l->src.ctx, NULL, 0, height, l->scratch, &got);
        for (int i = 0; i < got; i++)
            memcpy(ROW(l, got - 1 - i), l->scratch + (size_t)i * l->src.row_size, l->src.row_size);
        l->n = got;
        l->sel = got > 0 ? got - 1 : 0;
        l->at_start = got < height;
        return 1;
    }
    default:
        return 0;
    }
}

void gj_list_draw(struct gj_list *l, struct gj_tui *t, int top, int x, int height, int width)
{
    if (l->n > height)
        l->n = height;
    if (l->sel >= l->n)
        l->sel = l->n > 0 ? l->n - 1 : 0;
    for (int i = 0; i < l->n; i++)
        l->src.draw_row(l->src.ctx, t, ROW(l, i), top + i, x, width, i == l->sel);
}
