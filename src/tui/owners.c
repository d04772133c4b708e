/* The Owners screen: units and their households, search as you type, the
 * detail of a unit, and the forms to add, edit and archive people and to
 * log a contact. */
#include "tui.h"

#include "guanjia/clock.h"
#include "guanjia/i18n.h"
#include "guanjia/money.h"
#include "guanjia/phone.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_contacts.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_search.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/search.h"
#include "guanjia/unitcode.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum mode { MODE_LIST, MODE_SEARCH, MODE_DETAIL };

#define MAX_HITS    200
#define MAX_PEOPLE  24
#define MAX_VEH     8
#define MAX_CONTACT 6

/* A row of the unit list: the unit and its current owner. */
struct unit_row {
    struct gj_unit_key key;
    int64_t unit_id;
    int64_t area;
    char status[GJ_CODE_BYTES];
    char owner[GJ_NAME_BYTES];
    char phone[GJ_PHONE_BYTES];
    int residents;
};

struct person_line {
    struct gj_unit_person link;
    struct gj_person person;
    char other_units[96]; /* the person's other current units: "1-1-102 2-1-301" */
};

struct owners {
    struct gj_tui *t;
    enum mode mode, back_to;
    struct gj_list list;
    int list_height;
    /* search */
    wchar_t query[64];
    int query_len;
    struct gj_owner_hit *hits;
    int n_hits, hit_sel, hit_top;
    /* detail */
    struct gj_unit unit;
    struct person_line people[MAX_PEOPLE];
    int n_people, person_sel;
    struct gj_vehicle vehicles[MAX_VEH];
    int n_vehicles;
    struct gj_contact contacts[MAX_CONTACT];
    int n_contacts;
    int64_t open_orders, open_complaints, due_fen;
};

static const char *relation_label(const char *code)
{
    if (strcmp(code, "owner") == 0)
        return _("owner");
    if (strcmp(code, "tenant") == 0)
        return _("tenant");
    if (strcmp(code, "family") == 0)
        return _("family");
    return code;
}

static const char *status_label(const char *code)
{
    static const char *const codes[] = {"unsold", "delivered", "occupied", "vacant", "renovating"};
    static const char *const labels[] = {N_("unsold"), N_("delivered"), N_("occupied"),
                                         N_("vacant"), N_("renovating")};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(code, codes[i]) == 0)
            return _(labels[i]);
    return code;
}

static void unit_code(int b, int e, int r, char *out, size_t outsz)
{
    struct gj_unitcode c = {b, e, r};
    gj_unitcode_format(&c, out, outsz);
}

/* ---- the unit list ---------------------------------------------------------- */

static void fill_row(struct owners *o, const struct gj_unit *u, struct unit_row *r)
{
    memset(r, 0, sizeof *r);
    r->key = (struct gj_unit_key){u->building, u->entrance, u->room};
    r->unit_id = u->id;
    r->area = u->area_centi_m2;
    snprintf(r->status, sizeof r->status, "%s", u->status);
    struct gj_unit_person links[8];
    int n = 0;
    struct gj_error err;
    if (gj_unit_persons_of_unit(o->t->db, u->id, 8, links, &n, &err) != GJ_OK)
        return;
    for (int i = 0; i < n; i++) {
        if (links[i].end_at)
            continue;
        r->residents++;
        if (!r->owner[0] && strcmp(links[i].relation, "owner") == 0) {
            struct gj_person p;
            if (gj_person_get(o->t->db, links[i].person_id, &p, &err) == GJ_OK) {
                snprintf(r->owner, sizeof r->owner, "%s", p.name);
                memcpy(r->phone, p.phone, sizeof r->phone);
            }
        }
    }
}

static int fetch_units(void *ctx, const void *anchor, int forward, int limit, void *rows, int *n)
{
    struct owners *o = ctx;
    const struct unit_row *a = anchor;
    struct gj_unit *units = calloc((size_t)limit, sizeof *units);
    if (!units)
        return -1;
    struct gj_error err;
    int rc = forward ? gj_units_list(o->t->db, a ? &a->key : NULL, limit, units, n, &err)
                     : gj_units_list_before(o->t->db, a ? &a->key : NULL, limit, units, n, &err);
    if (rc == GJ_OK)
        for (int i = 0; i < *n; i++)
            fill_row(o, &units[i], (struct unit_row *)rows + i);
    else
        gj_tui_say(o->t, 1, "%s", err.msg);
    free(units);
    return rc == GJ_OK ? 0 : -1;
}

static void draw_unit_row(void *ctx, struct gj_tui *t, const void *row, int y, int x, int width,
                          int selected)
{
    struct owners *o = ctx;
    const struct unit_row *r = row;
    attr_t a = selected ? gj_attr(t, GJ_A_SELECTED) : A_NORMAL;
    gj_fill(y, x, width, a);
    char code[24], area[32], phone[32], people[32];
    unit_code(r->key.building, r->key.entrance, r->key.room, code, sizeof code);
    snprintf(area, sizeof area, "%lld.%02lld m²", (long long)(r->area / 100),
             (long long)(r->area % 100));
    gj_show_phone(o->t->role, GJ_VIEW_LIST, r->phone, phone, sizeof phone);
    snprintf(people, sizeof people, _("%d living"), r->residents);
    gj_put(y, x + 1, 12, code, a);
    gj_put(y, x + 13, 14, r->owner[0] ? r->owner : "—", a);
    gj_put(y, x + 28, 15, phone, a);
    gj_put_right(y, x + 43, 12, area, a);
    gj_put(y, x + 57, 10, status_label(r->status), a);
    gj_put(y, x + 68, width - 69, people, a);
}

/* ---- search -------------------------------------------------------------------- */

static void run_search(struct owners *o)
{
    char q[256];
    size_t k = 0;
    for (int i = 0; i < o->query_len && k + 4 < sizeof q; i++)
        k += gj_utf8_encode((uint32_t)o->query[i], q + k);
    q[k] = '\0';
    o->n_hits = o->hit_sel = o->hit_top = 0;
    struct gj_search_query sq;
    if (!q[0] || gj_search_classify(q, &sq) == 0)
        return;
    struct gj_error err;
    if (gj_owner_search(o->t->db, &sq, MAX_HITS, o->hits, &o->n_hits, &err) != GJ_OK) {
        gj_tui_say(o->t, 1, "%s", err.msg);
        o->n_hits = 0;
    }
}

static void draw_search(struct owners *o, struct gj_tui *t, int top, int height)
{
    char q[256];
    size_t k = 0;
    for (int i = 0; i < o->query_len && k + 4 < sizeof q; i++)
        k += gj_utf8_encode((uint32_t)o->query[i], q + k);
    q[k] = '\0';
    int x = gj_put(top, 1, COLS - 2, _("Search: "), A_BOLD) + 1;
    gj_put_pad(top, x, 40, q, gj_attr(t, GJ_A_FIELD_ON));
    int cursor_x = x + gj_utf8_width(q);
    char count[96];
    if (o->n_hits >= MAX_HITS)
        snprintf(count, sizeof count, _("first %d matches; type more to narrow"), MAX_HITS);
    else
        snprintf(count, sizeof count, _("%d matches"), o->n_hits);
    if (q[0])
        gj_put(top, x + 42, COLS - x - 43, count, gj_attr(t, GJ_A_DIM));
    int rows = height - 2;
    if (o->hit_sel < o->hit_top)
        o->hit_top = o->hit_sel;
    if (o->hit_sel >= o->hit_top + rows)
        o->hit_top = o->hit_sel - rows + 1;
    for (int i = 0; i < rows && o->hit_top + i < o->n_hits; i++) {
        const struct gj_owner_hit *h = &o->hits[o->hit_top + i];
        int y = top + 2 + i;
        attr_t a = o->hit_top + i == o->hit_sel ? gj_attr(t, GJ_A_SELECTED) : A_NORMAL;
        gj_fill(y, 0, COLS, a);
        char code[24] = "—", phone[32];
        if (h->unit_id)
            unit_code(h->building, h->entrance, h->room, code, sizeof code);
        gj_show_phone(t->role, GJ_VIEW_LIST, h->phone, phone, sizeof phone);
        gj_put(y, 1, 12, code, a);
        gj_put(y, 14, 14, h->name, a);
        gj_put(y, 29, 8, h->relation[0] ? relation_label(h->relation) : "", a);
        gj_put(y, 38, 15, phone, a);
        if (h->archived)
            gj_put(y, 54, COLS - 55, _("(archived)"), a | gj_attr(t, GJ_A_DIM));
    }
    if (q[0] && o->n_hits == 0)
        gj_put(top + 2, 1, COLS - 2, _("Nothing found."), gj_attr(t, GJ_A_DIM));
    curs_set(1);
    move(top, cursor_x);
}

/* ---- the detail of a unit ------------------------------------------------------ */

/* Reads everything the detail view shows. A read that fails is said in
 * the bottom bar, so an empty section never hides an error. */
static int load_detail(struct owners *o, int64_t unit_id)
{
    struct gj_error err, first;
    struct gj_db *db = o->t->db;
    gj_err_clear(&first);
    if (gj_unit_get(db, unit_id, &o->unit, &err) != GJ_OK) {
        gj_tui_say(o->t, 1, "%s", err.msg);
        return -1;
    }
#define KEEP(call)                                                                                 \
    do {                                                                                           \
        if ((call) != GJ_OK && first.code == GJ_OK)                                                \
            first = err;                                                                           \
    } while (0)
    struct gj_unit_person links[MAX_PEOPLE];
    int n = 0;
    o->n_people = 0;
    KEEP(gj_unit_persons_of_unit(db, unit_id, MAX_PEOPLE, links, &n, &err));
    for (int i = 0; i < n; i++) {
        if (links[i].end_at)
            continue;
        struct person_line *pl = &o->people[o->n_people];
        pl->link = links[i];
        int rc = gj_person_get(db, links[i].person_id, &pl->person, &err);
        KEEP(rc);
        if (rc != GJ_OK)
            continue;
        /* The person's other units, so a household is seen whole. */
        struct gj_unit_person theirs[8];
        int m = 0;
        pl->other_units[0] = '\0';
        KEEP(gj_unit_persons_of_person(db, pl->person.id, 8, theirs, &m, &err));
        for (int k = 0; k < m; k++) {
            struct gj_unit other;
            if (theirs[k].end_at || theirs[k].unit_id == unit_id ||
                gj_unit_get(db, theirs[k].unit_id, &other, &err) != GJ_OK)
                continue;
            char code[24];
            unit_code(other.building, other.entrance, other.room, code, sizeof code);
            size_t used = strlen(pl->other_units);
            if (used + strlen(code) + 2 < sizeof pl->other_units)
                snprintf(pl->other_units + used, sizeof pl->other_units - used, "%s%s",
                         used ? " " : "", code);
        }
        o->n_people++;
    }
    if (o->person_sel >= o->n_people)
        o->person_sel = o->n_people ? o->n_people - 1 : 0;
    o->n_vehicles = 0;
    for (int i = 0; i < o->n_people && o->n_vehicles < MAX_VEH; i++) {
        int got = 0;
        KEEP(gj_vehicles_of_person(db, o->people[i].person.id, MAX_VEH - o->n_vehicles,
                                   o->vehicles + o->n_vehicles, &got, &err));
        o->n_vehicles += got;
    }
    KEEP(gj_contacts_of_unit(db, unit_id, 0, 0, MAX_CONTACT, o->contacts, &o->n_contacts, &err));
    KEEP(gj_wo_count_open_by_unit(db, unit_id, &o->open_orders, &err));
    KEEP(gj_complaint_count_open_by_unit(db, unit_id, &o->open_complaints, &err));
    KEEP(gj_unit_arrears(db, unit_id, gj_now(), &o->due_fen, &err));
#undef KEEP
    if (first.code != GJ_OK)
        gj_tui_say(o->t, 1, "%s", first.msg);
    return 0;
}

static void section(struct gj_tui *t, int y, const char *title)
{
    gj_put(y, 1, COLS - 2, title, gj_attr(t, GJ_A_TITLE));
}

static void draw_detail(struct owners *o, struct gj_tui *t, int top, int height)
{
    const struct gj_unit *u = &o->unit;
    struct gj_unitcode c = {u->building, u->entrance, u->room};
    char code[24], zh[48], line[256], money[40], when[32] = "—";
    gj_unitcode_format(&c, code, sizeof code);
    gj_unitcode_format_zh(&c, zh, sizeof zh);
    if (u->delivered_at)
        gj_format_date(u->delivered_at, when, sizeof when);
    snprintf(line, sizeof line, _("%s (%s)   %lld.%02lld m²   %s   delivered %s"), code, zh,
             (long long)(u->area_centi_m2 / 100), (long long)(u->area_centi_m2 % 100),
             status_label(u->status), when);
    int y = top;
    gj_put(y++, 1, COLS - 2, line, A_BOLD);
    gj_money_format(o->due_fen, money, sizeof money);
    snprintf(line, sizeof line, _("Open work orders: %lld   Open complaints: %lld   Arrears: %s"),
             (long long)o->open_orders, (long long)o->open_complaints, money);
    gj_put(y++, 1, COLS - 2, line, o->due_fen > 0 ? gj_attr(t, GJ_A_WARN) : A_NORMAL);
    y++;
    section(t, y++, _("Household"));
    /* Keep the selected person on screen when the household is long. */
    int room = top + height - 1 - y;
    int first = o->person_sel >= room && room > 0 ? o->person_sel - room + 1 : 0;
    for (int i = first; i < o->n_people && y < top + height - 1; i++) {
        const struct person_line *pl = &o->people[i];
        attr_t a = i == o->person_sel ? gj_attr(t, GJ_A_SELECTED) : A_NORMAL;
        char phone[32], phone2[32] = "", id[40];
        gj_show_phone(t->role, GJ_VIEW_DETAIL, pl->person.phone, phone, sizeof phone);
        if (pl->person.phone2[0])
            gj_show_phone(t->role, GJ_VIEW_DETAIL, pl->person.phone2, phone2, sizeof phone2);
        gj_show_id_number(t->role, GJ_VIEW_DETAIL, pl->person.id_number, id, sizeof id);
        gj_fill(y, 0, COLS, a);
        gj_put(y, 2, 14, pl->person.name, a);
        gj_put(y, 17, 8, relation_label(pl->link.relation), a);
        gj_put(y, 26, 15, phone, a);
        gj_put(y, 42, 15, phone2, a);
        gj_put(y, 58, COLS - 59, id, a);
        y++;
    }
    if (o->n_people == 0)
        gj_put(y++, 2, COLS - 3, _("Nobody lives here on record."), gj_attr(t, GJ_A_DIM));
    for (int i = 0; i < o->n_people && y < top + height - 2; i++) {
        if (!o->people[i].other_units[0])
            continue;
        char also[256];
        snprintf(also, sizeof also, _("%s also lives at or owns: %s"), o->people[i].person.name,
                 o->people[i].other_units);
        gj_put(y++, 2, COLS - 3, also, gj_attr(t, GJ_A_DIM));
    }
    y++;
    if (y < top + height - 2) {
        section(t, y++, _("Vehicles"));
        for (int i = 0; i < o->n_vehicles && y < top + height - 1; i++) {
            snprintf(line, sizeof line, "%s  %s", o->vehicles[i].plate, o->vehicles[i].description);
            gj_put(y++, 2, COLS - 3, line, A_NORMAL);
        }
        if (o->n_vehicles == 0)
            gj_put(y++, 2, COLS - 3, "—", gj_attr(t, GJ_A_DIM));
        y++;
    }
    if (y < top + height - 2) {
        section(t, y++, _("Contact log"));
        for (int i = 0; i < o->n_contacts && y < top + height; i++) {
            gj_format_datetime(o->contacts[i].at, when, sizeof when);
            gj_put(y, 2, 16, when, A_NORMAL);
            gj_put(y, 20, 8, gj_channel_label(o->contacts[i].channel), A_NORMAL);
            gj_put(y++, 29, COLS - 30, o->contacts[i].summary, A_NORMAL);
        }
        if (o->n_contacts == 0 && y < top + height)
            gj_put(y++, 2, COLS - 3, "—", gj_attr(t, GJ_A_DIM));
    }
    curs_set(0);
}

/* ---- forms ------------------------------------------------------------------------ */

static const char *const relation_codes[] = {"owner", "tenant", "family", NULL};

enum { PF_UNIT, PF_NAME, PF_RELATION, PF_PHONE, PF_PHONE2, PF_ID, PF_NOTES, PF_COUNT };

/* A person form: the fields shown, and where each one sits. */
struct person_form {
    struct owners *o;
    struct gj_field fields[PF_COUNT];
    int idx[PF_COUNT];
    const char *relation_labels[4];
    struct gj_form form;
    struct gj_person editing; /* id 0 when adding */
};

static void build_person_form(struct person_form *pf, int with_unit, int with_relation)
{
    pf->relation_labels[0] = _("owner");
    pf->relation_labels[1] = _("tenant");
    pf->relation_labels[2] = _("family");
    pf->relation_labels[3] = NULL;
    const struct gj_field all[PF_COUNT] = {
        [PF_UNIT] = {.label = _("unit"), .kind = GJ_F_TEXT, .required = 1, .max_chars = 20},
        [PF_NAME] = {.label = _("name"),
                     .kind = GJ_F_TEXT,
                     .required = 1,
                     .max_chars = GJ_NAME_CHARS},
        [PF_RELATION] = {.label = _("relation"),
                         .kind = GJ_F_CHOICE,
                         .choices = relation_codes,
                         .choice_labels = pf->relation_labels},
        [PF_PHONE] = {.label = _("phone"), .kind = GJ_F_TEXT, .max_chars = 20},
        [PF_PHONE2] = {.label = _("second phone"), .kind = GJ_F_TEXT, .max_chars = 20},
        [PF_ID] = {.label = _("ID number"), .kind = GJ_F_TEXT, .max_chars = 18},
        [PF_NOTES] = {.label = _("notes"), .kind = GJ_F_TEXT, .max_chars = GJ_NOTE_CHARS},
    };
    int k = 0;
    for (int i = 0; i < PF_COUNT; i++) {
        int show = (i != PF_UNIT || with_unit) && (i != PF_RELATION || with_relation);
        pf->idx[i] = show ? k : -1;
        if (show)
            pf->fields[k++] = all[i];
    }
    memset(&pf->form, 0, sizeof pf->form);
    pf->form.fields = pf->fields;
    pf->form.n = k;
}

static void pf_set(struct person_form *pf, int field, const char *v)
{
    if (pf->idx[field] >= 0)
        gj_form_set(&pf->form, pf->idx[field], v);
}

static void pf_get(struct person_form *pf, int field, char *out, size_t outsz)
{
    if (pf->idx[field] >= 0)
        gj_form_get(&pf->form, pf->idx[field], out, outsz);
    else if (outsz)
        out[0] = '\0';
}

/* A phone as typed (spaces, +86, brackets…) in its stored form; a problem
 * goes on the field itself. */
static int pf_phone(struct person_form *pf, int field, char *out, size_t outsz)
{
    char typed[GJ_FIELD_MAX * 4 + 1];
    pf_get(pf, field, typed, sizeof typed);
    out[0] = '\0';
    if (!typed[0])
        return GJ_OK;
    char canon[32];
    struct gj_error err;
    gj_err_clear(&err);
    if (gj_phone_normalize(typed, canon, sizeof canon, NULL, &err) != GJ_OK ||
        strlen(canon) >= outsz) {
        struct gj_field *fd = &pf->fields[pf->idx[field]];
        snprintf(fd->error, sizeof fd->error, "%s", err.msg);
        pf->form.focus = pf->idx[field];
        return GJ_EINVAL;
    }
    memcpy(out, canon, strlen(canon) + 1);
    return GJ_OK;
}

static void pf_load(struct person_form *pf, const struct gj_person *p)
{
    pf_set(pf, PF_NAME, p->name);
    pf_set(pf, PF_PHONE, p->phone);
    pf_set(pf, PF_PHONE2, p->phone2);
    pf_set(pf, PF_ID, p->id_number);
    pf_set(pf, PF_NOTES, p->notes);
}

/* Offers to reload after a conflicting edit; never overwrites theirs. */
static void conflict(struct person_form *pf, const char *msg)
{
    char text[700];
    snprintf(text, sizeof text, "%s\n\n%s", msg, _("Reload their version into the form?"));
    if (gj_dialog_confirm(pf->o->t, _("Changed by someone else"), text)) {
        struct gj_error err;
        if (gj_person_get(pf->o->t->db, pf->editing.id, &pf->editing, &err) == GJ_OK) {
            pf_load(pf, &pf->editing);
            pf->form.dirty = 0;
        }
    }
    gj_form_error(&pf->form, msg);
}

static int save_person(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct person_form *pf = ctx;
    struct owners *o = pf->o;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_EDIT_OWNERS, &err) != GJ_OK) {
        gj_form_error(f, err.msg);
        return err.code;
    }
    struct gj_person p = pf->editing;
    pf_get(pf, PF_NAME, p.name, sizeof p.name);
    if (pf_phone(pf, PF_PHONE, p.phone, sizeof p.phone) != GJ_OK ||
        pf_phone(pf, PF_PHONE2, p.phone2, sizeof p.phone2) != GJ_OK)
        return GJ_EINVAL;
    pf_get(pf, PF_ID, p.id_number, sizeof p.id_number);
    pf_get(pf, PF_NOTES, p.notes, sizeof p.notes);
    if (pf->editing.id) {
        int rc = gj_person_update(t->db, t->user.id, &p, &err);
        if (rc == GJ_ECONFLICT)
            conflict(pf, err.msg);
        else if (rc != GJ_OK)
            gj_form_error(f, err.msg);
        else
            gj_tui_say(t, 0, _("Saved %s."), p.name);
        return rc;
    }
    int64_t unit_id = o->unit.id;
    /* One user action, one transaction: the person and the link. */
    int rc = gj_db_begin(t->db, &err);
    if (rc == GJ_OK && pf->idx[PF_UNIT] >= 0) {
        char code[64];
        struct gj_unitcode uc;
        struct gj_unit u;
        pf_get(pf, PF_UNIT, code, sizeof code);
        rc = gj_unitcode_parse(code, &uc, &err);
        if (rc == GJ_OK)
            rc = gj_unit_find_code(t->db, uc.building, uc.entrance, uc.room, &u, &err);
        if (rc == GJ_OK) {
            unit_id = u.id;
        } else {
            char msg[600];
            snprintf(msg, sizeof msg, "%s: %s", _("unit"), err.msg);
            snprintf(err.msg, sizeof err.msg, "%s", msg);
        }
    }
    /* Somebody with this phone is on record: link them, never duplicate. */
    struct gj_person known[1];
    int n_known = 0;
    if (rc == GJ_OK && p.phone[0] &&
        gj_persons_by_phone(t->db, p.phone, 1, known, &n_known, &err) == GJ_OK && n_known) {
        char text[600];
        snprintf(text, sizeof text,
                 _("%s is on record for %s. Link %s to this unit instead of adding a new "
                   "person?"),
                 p.phone, known[0].name, known[0].name);
        if (!gj_dialog_confirm(t, _("Already on record"), text)) {
            gj_db_rollback(t->db);
            snprintf(f->fields[pf->idx[PF_PHONE]].error, sizeof f->fields[0].error,
                     _("already on record for %s"), known[0].name);
            f->focus = pf->idx[PF_PHONE];
            return GJ_EINVAL;
        }
        p = known[0];
    } else if (rc == GJ_OK) {
        rc = gj_person_create(t->db, t->user.id, &p, &err);
    }
    if (rc == GJ_OK) {
        struct gj_unit_person l;
        memset(&l, 0, sizeof l);
        l.unit_id = unit_id;
        l.person_id = p.id;
        snprintf(l.relation, sizeof l.relation, "%s",
                 pf->idx[PF_RELATION] >= 0 ? gj_form_choice(f, pf->idx[PF_RELATION]) : "owner");
        l.start_at = gj_now();
        rc = gj_unit_person_add(t->db, t->user.id, &l, &err);
    }
    if (rc == GJ_OK)
        rc = gj_db_commit(t->db, &err);
    else
        gj_db_rollback(t->db);
    if (rc != GJ_OK) {
        gj_form_error(f, err.msg);
        return rc;
    }
    gj_tui_say(t, 0, _("Added %s."), p.name);
    if (unit_id != o->unit.id || o->mode != MODE_DETAIL) {
        o->back_to = o->mode;
        o->mode = MODE_DETAIL;
    }
    load_detail(o, unit_id);
    return GJ_OK;
}

/* Adds a person (from the list: with a unit field; from a unit: a member)
 * or edits the selected one. */
static enum gj_handled person_form(struct owners *o, int from_list, const struct person_line *pl)
{
    struct gj_tui *t = o->t;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_EDIT_OWNERS, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return GJ_REDRAW;
    }
    static struct person_form pf;
    memset(&pf, 0, sizeof pf);
    pf.o = o;
    build_person_form(&pf, from_list, pl == NULL);
    char title[200], code[24];
    unit_code(o->unit.building, o->unit.entrance, o->unit.room, code, sizeof code);
    if (pl) {
        pf.editing = pl->person;
        pf_load(&pf, &pl->person);
        snprintf(title, sizeof title, _("Edit %s"), pl->person.name);
    } else if (from_list) {
        snprintf(title, sizeof title, "%s", _("New owner"));
        struct unit_row *r = gj_list_selected(&o->list);
        if (r) {
            char sel[24];
            unit_code(r->key.building, r->key.entrance, r->key.room, sel, sizeof sel);
            pf_set(&pf, PF_UNIT, sel);
            pf.form.dirty = 0;
        }
    } else {
        snprintf(title, sizeof title, _("New member of %s"), code);
        gj_form_set_choice(&pf.form, pf.idx[PF_RELATION], "family");
    }
    pf.form.title = title;
    int saved = gj_form_run(&pf.form, t, save_person, &pf);
    if (saved && o->mode == MODE_DETAIL)
        load_detail(o, o->unit.id);
    return saved ? GJ_RELOAD : GJ_REDRAW;
}

struct contact_form {
    struct owners *o;
    struct gj_field fields[2];
    const char *channel_labels[6];
};

static int save_contact(struct gj_form *f, struct gj_tui *t, void *ctx)
{
    struct contact_form *cf = ctx;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_ADD_CONTACT, &err) != GJ_OK) {
        gj_form_error(f, err.msg);
        return err.code;
    }
    struct gj_contact c;
    memset(&c, 0, sizeof c);
    c.unit_id = cf->o->unit.id;
    if (cf->o->n_people)
        c.person_id = cf->o->people[cf->o->person_sel].person.id;
    snprintf(c.channel, sizeof c.channel, "%s", gj_form_choice(f, 0));
    gj_form_get(f, 1, c.summary, sizeof c.summary);
    int rc = gj_contact_add(t->db, t->user.id, &c, &err);
    if (rc != GJ_OK)
        gj_form_error(f, err.msg);
    else
        gj_tui_say(t, 0, "%s", _("Contact recorded."));
    return rc;
}

static enum gj_handled contact_form(struct owners *o)
{
    struct gj_tui *t = o->t;
    struct gj_error err;
    if (gj_require(t->role, GJ_ACTION_ADD_CONTACT, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return GJ_REDRAW;
    }
    struct contact_form cf;
    memset(&cf, 0, sizeof cf);
    cf.o = o;
    for (int i = 0; gj_channel_codes[i]; i++)
        cf.channel_labels[i] = gj_channel_label(gj_channel_codes[i]);
    cf.fields[0] = (struct gj_field){.label = _("channel"),
                                     .kind = GJ_F_CHOICE,
                                     .choices = gj_channel_codes,
                                     .choice_labels = cf.channel_labels};
    cf.fields[1] = (struct gj_field){
        .label = _("summary"), .kind = GJ_F_TEXT, .required = 1, .max_chars = GJ_NOTE_CHARS};
    char title[120], code[24];
    unit_code(o->unit.building, o->unit.entrance, o->unit.room, code, sizeof code);
    snprintf(title, sizeof title, _("Contact with %s"), code);
    struct gj_form f = {.title = title, .fields = cf.fields, .n = 2};
    int saved = gj_form_run(&f, t, save_contact, &cf);
    if (saved)
        load_detail(o, o->unit.id);
    return GJ_REDRAW;
}

/* Archive: the person is kept, marked archived, and their links end now. */
static enum gj_handled archive_person(struct owners *o)
{
    struct gj_tui *t = o->t;
    struct gj_error err;
    if (o->n_people == 0)
        return GJ_DONE;
    if (gj_require(t->role, GJ_ACTION_ARCHIVE_OWNERS, &err) != GJ_OK) {
        gj_tui_say(t, 1, "%s", err.msg);
        return GJ_REDRAW;
    }
    struct person_line *pl = &o->people[o->person_sel];
    char text[400];
    snprintf(text, sizeof text,
             _("Archive %s? Their links to units end today; the record is kept."), pl->person.name);
    if (!gj_dialog_confirm(t, _("Archive"), text))
        return GJ_REDRAW;
    struct gj_person p = pl->person;
    p.archived = 1;
    int rc = gj_db_begin(t->db, &err);
    if (rc == GJ_OK)
        rc = gj_person_update(t->db, t->user.id, &p, &err);
    struct gj_unit_person links[16];
    int n = 0;
    if (rc == GJ_OK)
        rc = gj_unit_persons_of_person(t->db, p.id, 16, links, &n, &err);
    int64_t now = gj_now();
    for (int i = 0; rc == GJ_OK && i < n; i++)
        if (!links[i].end_at)
            rc = gj_unit_person_end(t->db, t->user.id, &links[i],
                                    links[i].start_at > now ? links[i].start_at : now, &err);
    if (rc == GJ_OK)
        rc = gj_db_commit(t->db, &err);
    else
        gj_db_rollback(t->db);
    if (rc != GJ_OK)
        gj_tui_say(t, 1, "%s", err.msg);
    else
        gj_tui_say(t, 0, _("Archived %s."), p.name);
    load_detail(o, o->unit.id);
    return GJ_RELOAD;
}

/* ---- the screen ------------------------------------------------------------------- */

static void *owners_open(struct gj_tui *t)
{
    struct owners *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->t = t;
    o->hits = calloc(MAX_HITS, sizeof *o->hits);
    struct gj_list_source src = {.ctx = o,
                                 .row_size = sizeof(struct unit_row),
                                 .fetch = fetch_units,
                                 .draw_row = draw_unit_row};
    gj_list_init(&o->list, &src);
    o->list_height = LINES - 6 > 1 ? LINES - 6 : 1;
    gj_list_reload(&o->list, o->list_height);
    return o;
}

static void owners_close(void *state)
{
    struct owners *o = state;
    if (!o)
        return;
    gj_list_free(&o->list);
    free(o->hits);
    free(o);
}

static void owners_draw(void *state, struct gj_tui *t, int top, int height)
{
    struct owners *o = state;
    if (o->mode == MODE_SEARCH) {
        draw_search(o, t, top + 1, height - 1);
        return;
    }
    if (o->mode == MODE_DETAIL) {
        draw_detail(o, t, top + 1, height - 1);
        return;
    }
    int h = height - 3;
    if (h != o->list_height) {
        o->list_height = h;
        gj_list_refresh(&o->list, h);
    }
    gj_put(top + 1, 1, COLS - 2, _("Units — / to search, Enter to open, n for a new owner"),
           gj_attr(t, GJ_A_DIM));
    attr_t hdr = gj_attr(t, GJ_A_TITLE);
    gj_put(top + 2, 1, 12, _("Unit"), hdr);
    gj_put(top + 2, 13, 14, _("Owner"), hdr);
    gj_put(top + 2, 28, 15, _("Phone"), hdr);
    gj_put_right(top + 2, 43, 12, _("Area"), hdr);
    gj_put(top + 2, 57, 10, _("Status"), hdr);
    gj_put(top + 2, 68, COLS - 69, _("Residents"), hdr);
    gj_list_draw(&o->list, t, top + 3, 0, h, COLS);
    curs_set(0);
}

static enum gj_handled open_unit(struct owners *o, int64_t unit_id, int64_t person_id,
                                 enum mode back)
{
    if (!unit_id) {
        gj_tui_say(o->t, 1, "%s", _("This person is not linked to any unit."));
        return GJ_REDRAW;
    }
    o->person_sel = 0;
    if (load_detail(o, unit_id) != 0)
        return GJ_REDRAW;
    /* The person that was found is the one the keys act on. */
    for (int i = 0; i < o->n_people; i++)
        if (o->people[i].person.id == person_id)
            o->person_sel = i;
    o->back_to = back;
    o->mode = MODE_DETAIL;
    o->t->message[0] = '\0';
    return GJ_REDRAW;
}

static int query_width(const struct owners *o)
{
    int w = 0;
    for (int i = 0; i < o->query_len; i++)
        w += gj_cp_width((uint32_t)o->query[i]);
    return w;
}

static enum gj_handled search_key(struct owners *o, gj_key k)
{
    /* Whatever can be typed is text here (j, k, q, ?…); only keys that
     * cannot be typed act. */
    int printable = k >= ' ' && k != 127 && gj_cp_width((uint32_t)k) >= 0;
    enum gj_act act = printable ? GJ_ACT_NONE : gj_action_for(GJ_SC_SEARCH | GJ_SC_LIST, k);
    switch (act) {
    case GJ_ACT_BACK:
        o->mode = MODE_LIST;
        return GJ_REDRAW;
    case GJ_ACT_DOWN:
        if (o->hit_sel + 1 < o->n_hits)
            o->hit_sel++;
        return GJ_REDRAW;
    case GJ_ACT_UP:
        if (o->hit_sel > 0)
            o->hit_sel--;
        return GJ_REDRAW;
    case GJ_ACT_PGDN:
        o->hit_sel =
            o->hit_sel + 10 < o->n_hits ? o->hit_sel + 10 : (o->n_hits ? o->n_hits - 1 : 0);
        return GJ_REDRAW;
    case GJ_ACT_PGUP:
        o->hit_sel = o->hit_sel > 10 ? o->hit_sel - 10 : 0;
        return GJ_REDRAW;
    case GJ_ACT_OPEN:
        if (o->n_hits == 0)
            return GJ_DONE;
        return open_unit(o, o->hits[o->hit_sel].unit_id, o->hits[o->hit_sel].person_id,
                         MODE_SEARCH);
    default:
        break;
    }
    if ((k == -KEY_BACKSPACE || k == 127 || k == 8) && o->query_len > 0) {
        o->query_len--;
    } else if (k == 21 /* Ctrl-U */) {
        o->query_len = 0;
    } else if (printable && o->query_len < 63 && query_width(o) + gj_cp_width((uint32_t)k) <= 38) {
        o->query[o->query_len++] = (wchar_t)k;
    } else {
        return GJ_DONE;
    }
    /* Results follow every keystroke. */
    run_search(o);
    return GJ_REDRAW;
}

static enum gj_handled owners_key(void *state, struct gj_tui *t, gj_key k)
{
    struct owners *o = state;
    if (o->mode == MODE_SEARCH)
        return search_key(o, k);
    unsigned scope = o->mode == MODE_DETAIL ? GJ_SC_DETAIL : GJ_SC_LIST;
    enum gj_act act = gj_action_for(scope, k);
    if (act == GJ_ACT_SEARCH) {
        o->mode = MODE_SEARCH;
        o->query_len = 0;
        o->n_hits = 0;
        return GJ_REDRAW;
    }
    if (o->mode == MODE_DETAIL) {
        switch (act) {
        case GJ_ACT_BACK:
            o->mode = o->back_to == MODE_SEARCH ? MODE_SEARCH : MODE_LIST;
            if (o->mode == MODE_SEARCH)
                run_search(o);
            gj_list_refresh(&o->list, o->list_height);
            return GJ_REDRAW;
        case GJ_ACT_QUIT: /* q goes back one level */
            o->mode = MODE_LIST;
            gj_list_refresh(&o->list, o->list_height);
            return GJ_REDRAW;
        case GJ_ACT_DOWN:
            if (o->person_sel + 1 < o->n_people)
                o->person_sel++;
            return GJ_REDRAW;
        case GJ_ACT_UP:
            if (o->person_sel > 0)
                o->person_sel--;
            return GJ_REDRAW;
        case GJ_ACT_ADD_MEMBER:
            return person_form(o, 0, NULL);
        case GJ_ACT_EDIT:
            return o->n_people ? person_form(o, 0, &o->people[o->person_sel]) : GJ_DONE;
        case GJ_ACT_CONTACT:
            return contact_form(o);
        case GJ_ACT_ARCHIVE:
            return archive_person(o);
        case GJ_ACT_TAKE_ORDER: {
            char code[24];
            unit_code(o->unit.building, o->unit.entrance, o->unit.room, code, sizeof code);
            enum gj_handled h = gj_workorders_take(t, code);
            load_detail(o, o->unit.id); /* its open-order count */
            return h;
        }
        case GJ_ACT_ACCOUNT:
            return gj_fees_open_unit(t, o->unit.id);
        case GJ_ACT_TAKE_COMPLAINT: {
            char code[24];
            unit_code(o->unit.building, o->unit.entrance, o->unit.room, code, sizeof code);
            enum gj_handled h = gj_complaints_take(t, code);
            load_detail(o, o->unit.id); /* its open-complaint count */
            return h;
        }
        default:
            return GJ_PASS;
        }
    }
    switch (act) {
    case GJ_ACT_UP:
    case GJ_ACT_DOWN:
    case GJ_ACT_PGUP:
    case GJ_ACT_PGDN:
    case GJ_ACT_HOME:
    case GJ_ACT_END:
        gj_list_move(&o->list, act, o->list_height);
        return GJ_REDRAW;
    case GJ_ACT_OPEN: {
        struct unit_row *r = gj_list_selected(&o->list);
        return r ? open_unit(o, r->unit_id, 0, MODE_LIST) : GJ_DONE;
    }
    case GJ_ACT_NEW:
        return person_form(o, 1, NULL);
    default:
        (void)t;
        return GJ_PASS;
    }
}

static void owners_refresh(void *state)
{
    struct owners *o = state;
    gj_list_refresh(&o->list, o->list_height);
    if (o->mode == MODE_DETAIL)
        load_detail(o, o->unit.id);
}

static unsigned owners_scope(void *state)
{
    struct owners *o = state;
    return o->mode == MODE_SEARCH ? GJ_SC_SEARCH
                                  : (o->mode == MODE_DETAIL ? GJ_SC_DETAIL : GJ_SC_LIST);
}

static int owners_wants_text(void *state)
{
    struct owners *o = state;
    return o->mode == MODE_SEARCH;
}

static const char *owners_probe(void *state, const char *what)
{
    struct owners *o = state;
    static char buf[256];
    if (strcmp(what, "search") == 0 && o->mode == MODE_SEARCH) {
        snprintf(buf, sizeof buf, "%ls", o->query);
        return buf;
    }
    if (strcmp(what, "unit") == 0 && o->mode == MODE_DETAIL) {
        unit_code(o->unit.building, o->unit.entrance, o->unit.room, buf, sizeof buf);
        return buf;
    }
    return NULL;
}

const struct screen_ops owners_screen = {
    .name = "owners",
    .title = N_("Owners"),
    .open = owners_open,
    .close = owners_close,
    .draw = owners_draw,
    .key = owners_key,
    .scope = owners_scope,
    .wants_text = owners_wants_text,
    .reload = owners_refresh,
    .probe = owners_probe,
};
