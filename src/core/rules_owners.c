/* Validation of units, persons, links, vehicles and parking spaces. */
#include "guanjia/rules_owners.h"

#include "guanjia/i18n.h"
#include "guanjia/phone.h"
#include "guanjia/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int gj_code_in(const char *s, const char *const *codes)
{
    for (; *codes; codes++)
        if (strcmp(s, *codes) == 0)
            return 1;
    return 0;
}

static const char *const unit_statuses[] = {"unsold", "delivered",  "occupied",
                                            "vacant", "renovating", NULL};
static const char *const relations[] = {"owner", "tenant", "family", NULL};
static const char *const parking_kinds[] = {"owned", "rented", "visitor", NULL};

int gj_unit_validate(struct gj_unit *u, struct gj_error *err)
{
    if (u->building < 1 || u->building > 999)
        return gj_err(err, GJ_EINVAL, _("building: must be 1 to 999 (got %d)"), u->building);
    if (u->entrance < 1 || u->entrance > 99)
        return gj_err(err, GJ_EINVAL, _("entrance: must be 1 to 99 (got %d)"), u->entrance);
    if (u->room < 101 || u->room > 99999 || u->room % 100 == 0)
        return gj_err(err, GJ_EINVAL, _("room: must be floor and number, e.g. 501 (got %d)"),
                      u->room);
    if (u->floor == 0)
        u->floor = u->room / 100;
    if (u->floor < 1 || u->floor > 999)
        return gj_err(err, GJ_EINVAL, _("floor: must be 1 to 999 (got %d)"), u->floor);
    if (u->area_centi_m2 < 1 || u->area_centi_m2 > 10000000)
        return gj_err(err, GJ_EINVAL, _("area: must be between 0.01 and 100,000 m²"));
    if (!u->status[0])
        snprintf(u->status, sizeof u->status, "%s", "delivered");
    if (!gj_code_in(u->status, unit_statuses))
        return gj_err(err, GJ_EINVAL,
                      _("status: must be unsold, delivered, occupied, vacant or renovating"));
    if (strcmp(u->status, "unsold") != 0 && u->delivered_at == 0)
        return gj_err(err, GJ_EINVAL, _("delivery date: needed once a unit is delivered"));
    return gj_text_check(u->notes, _("notes"), GJ_NOTE_CHARS, 0, 1, err);
}

/* GB 11643: 17 digits, then a check character over weights 2^(17-i) mod 11. */
static int id_number_ok(const char *s, struct gj_error *err)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char checks[] = "10X98765432";
    if (strlen(s) != 18)
        return gj_err(err, GJ_EINVAL, _("ID number: must be 18 characters (got %zu)"), strlen(s));
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!isdigit((unsigned char)s[i]))
            return gj_err(err, GJ_EINVAL, _("ID number: character %d must be a digit"), i + 1);
        sum += (s[i] - '0') * weights[i];
    }
    int y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
    int m = (s[10] - '0') * 10 + (s[11] - '0');
    int d = (s[12] - '0') * 10 + (s[13] - '0');
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
        return gj_err(err, GJ_EINVAL, _("ID number: the birth date %.8s is not a real date"),
                      s + 6);
    if (s[17] != checks[sum % 11])
        return gj_err(err, GJ_EINVAL, _("ID number: the check character should be %c"),
                      checks[sum % 11]);
    return GJ_OK;
}

static int normalize_phone_field(char *phone, size_t sz, const char *field, struct gj_error *err)
{
    if (!phone[0])
        return GJ_OK;
    char canon[32];
    struct gj_error e;
    if (gj_phone_normalize(phone, canon, sizeof canon, NULL, &e) != GJ_OK)
        return gj_err(err, GJ_EINVAL, "%s: %s", field, e.msg);
    size_t n = strlen(canon);
    if (n >= sz)
        return gj_err(err, GJ_EINVAL, _("%s: too long"), field);
    memcpy(phone, canon, n + 1);
    return GJ_OK;
}

int gj_person_validate(struct gj_person *p, struct gj_error *err)
{
    int rc = gj_text_check(p->name, _("name"), GJ_NAME_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    rc = normalize_phone_field(p->phone, sizeof p->phone, _("phone"), err);
    if (rc == GJ_OK)
        rc = normalize_phone_field(p->phone2, sizeof p->phone2, _("second phone"), err);
    if (rc != GJ_OK)
        return rc;
    if (p->phone2[0] && strcmp(p->phone, p->phone2) == 0)
        return gj_err(err, GJ_EINVAL, _("second phone: same as the first"));
    if (!p->phone[0] && p->phone2[0]) {
        memcpy(p->phone, p->phone2, sizeof p->phone);
        p->phone2[0] = '\0';
    }
    if (p->id_number[0]) {
        for (char *c = p->id_number; *c; c++)
            *c = (char)toupper((unsigned char)*c);
        rc = id_number_ok(p->id_number, err);
        if (rc != GJ_OK)
            return rc;
    }
    return gj_text_check(p->notes, _("notes"), GJ_NOTE_CHARS, 0, 1, err);
}

int gj_unit_person_validate(const struct gj_unit_person *l, struct gj_error *err)
{
    if (l->unit_id <= 0)
        return gj_err(err, GJ_EINVAL, _("unit: choose a unit"));
    if (l->person_id <= 0)
        return gj_err(err, GJ_EINVAL, _("person: choose a person"));
    if (!gj_code_in(l->relation, relations))
        return gj_err(err, GJ_EINVAL, _("relation: must be owner, tenant or family"));
    if (l->start_at && l->end_at && l->end_at < l->start_at)
        return gj_err(err, GJ_EINVAL, _("end date: before the start date"));
    return GJ_OK;
}

/* Province abbreviations that open a mainland plate. */
static const char *const provinces[] = {
    "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣",
    "鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼", NULL};

int gj_vehicle_validate(struct gj_vehicle *v, struct gj_error *err)
{
    if (v->person_id <= 0)
        return gj_err(err, GJ_EINVAL, _("owner: choose the vehicle's owner"));
    /* Normalise: drop spaces, dots and middle dots, upper-case letters. */
    char out[sizeof v->plate];
    size_t o = 0;
    const char *s = v->plate;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = gj_utf8_decode(s + i, n - i, &cp);
        if (len == 0)
            return gj_err(err, GJ_EINVAL, _("plate: not valid UTF-8 text"));
        if (cp != ' ' && cp != '.' && cp != 0xB7 && cp != 0x30FB && cp != '-') {
            if (o + len >= sizeof out)
                return gj_err(err, GJ_EINVAL, _("plate: too long"));
            for (size_t k = 0; k < len; k++)
                out[o++] = (char)(len == 1 ? toupper((unsigned char)s[i]) : s[i + k]);
        }
        i += len;
    }
    out[o] = '\0';
    uint32_t first;
    size_t flen = gj_utf8_decode(out, o, &first);
    int province = 0;
    for (const char *const *p = provinces; *p && flen; p++)
        if (strncmp(out, *p, flen) == 0 && strlen(*p) == flen)
            province = 1;
    if (!province)
        return gj_err(err, GJ_EINVAL,
                      _("plate: must start with a province abbreviation, e.g. 粤B12345"));
    size_t rest = o - flen;
    if (rest != 6 && rest != 7)
        return gj_err(err, GJ_EINVAL, _("plate: a province, a letter and 5 or 6 letters/digits"));
    if (!isupper((unsigned char)out[flen]))
        return gj_err(err, GJ_EINVAL, _("plate: the second character must be a letter"));
    for (size_t i = flen + 1; i < o; i++)
        if (!isupper((unsigned char)out[i]) && !isdigit((unsigned char)out[i]))
            return gj_err(err, GJ_EINVAL, _("plate: only letters and digits after the province"));
    memcpy(v->plate, out, o + 1);
    return gj_text_check(v->description, _("description"), GJ_SHORT_CHARS, 0, 0, err);
}

int gj_parking_validate(const struct gj_parking_space *p, struct gj_error *err)
{
    int rc = gj_text_check(p->code, _("space code"), 16, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_text_check(p->zone, _("zone"), 32, 0, 0, err);
    if (rc != GJ_OK)
        return rc;
    if (!gj_code_in(p->kind, parking_kinds))
        return gj_err(err, GJ_EINVAL, _("kind: must be owned, rented or visitor"));
    if (p->vehicle_id && !p->unit_id)
        return gj_err(err, GJ_EINVAL, _("vehicle: assign the space to a unit first"));
    return GJ_OK;
}
