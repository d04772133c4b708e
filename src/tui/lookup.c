/* Looking up a unit from what the butler typed, for the intake forms. */
#include "tui.h"

#include "guanjia/i18n.h"
#include "guanjia/phone.h"
#include "guanjia/repo_owners.h"
#include "guanjia/unitcode.h"

#include <stdio.h>

void gj_unit_code_of(struct gj_db *db, int64_t unit_id, char *out, size_t outsz)
{
    struct gj_unit u;
    struct gj_error err;
    snprintf(out, outsz, "%s", "—");
    if (unit_id && gj_unit_get(db, unit_id, &u, &err) == GJ_OK) {
        struct gj_unitcode c = {u.building, u.entrance, u.room};
        gj_unitcode_format(&c, out, outsz);
    }
}

/* The unit as typed: a unit code, or the phone of someone on record. */
int gj_find_unit(struct gj_db *db, const char *typed, int64_t *unit_id, int64_t *person_id,
                 struct gj_error *err)
{
    struct gj_unitcode c;
    struct gj_unit u;
    struct gj_error e2;
    if (gj_unitcode_parse(typed, &c, &e2) == GJ_OK) {
        int rc = gj_unit_find_code(db, c.building, c.entrance, c.room, &u, err);
        *unit_id = rc == GJ_OK ? u.id : 0;
        return rc;
    }
    char phone[32];
    struct gj_person p[2];
    int n = 0;
    /* Only a phone that names one person decides the unit. */
    if (gj_phone_normalize(typed, phone, sizeof phone, NULL, &e2) == GJ_OK &&
        gj_persons_by_phone(db, phone, 2, p, &n, &e2) == GJ_OK && n == 1) {
        struct gj_unit_person l[4];
        int m = 0;
        if (gj_unit_persons_of_person(db, p[0].id, 4, l, &m, &e2) == GJ_OK)
            for (int i = 0; i < m; i++)
                if (!l[i].end_at) {
                    *unit_id = l[i].unit_id;
                    *person_id = p[0].id;
                    return GJ_OK;
                }
    }
    return gj_err(err, GJ_EINVAL, _("unit: give a unit code (3-2-501) or a phone on record"));
}
