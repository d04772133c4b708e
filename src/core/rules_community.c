/* Rules of notices, activities, patrols, drills and incidents. */
#include "guanjia/rules_community.h"

#include "guanjia/i18n.h"
#include "guanjia/rules_owners.h"
#include "guanjia/utf8.h"

#include <string.h>

/* The label of code among codes (parallel to msgids), translated; the code
 * itself when unknown, "" for NULL. */
static const char *label_of(const char *code, const char *const *codes, const char *const *msgids)
{
    if (!code)
        return "";
    for (int i = 0; codes[i]; i++)
        if (strcmp(code, codes[i]) == 0)
            return _(msgids[i]);
    return code;
}

/* ---- notices ------------------------------------------------------------------ */

const char *const gj_notice_audiences[] = {"estate", "building", "unit", NULL};

const char *gj_notice_audience_label(const char *audience)
{
    static const char *const msgids[] = {N_("the whole estate"), N_("one building"),
                                         N_("one unit")};
    return label_of(audience, gj_notice_audiences, msgids);
}

int gj_notice_validate(const struct gj_notice *n, struct gj_error *err)
{
    int rc = gj_text_check(n->title, _("notice title"), GJ_TITLE_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_text_check(n->body, _("notice text"), GJ_TEXT_CHARS, 1, 1, err);
    if (rc != GJ_OK)
        return rc;
    if (!gj_code_in(n->audience, gj_notice_audiences))
        return gj_err(err, GJ_EINVAL, "%s", _("audience: must be estate, building or unit"));
    int estate = strcmp(n->audience, "estate") == 0;
    int building = strcmp(n->audience, "building") == 0;
    if (building && (n->building < 1 || n->building > 999))
        return gj_err(err, GJ_EINVAL, _("building: must be 1 to 999 (got %d)"), n->building);
    if (!building && n->building != 0)
        return gj_err(err, GJ_EINVAL, "%s",
                      _("building: only a notice for one building names a building"));
    if (!estate && !building && n->unit_id <= 0)
        return gj_err(err, GJ_EINVAL, "%s", _("unit: a notice for one unit needs the unit"));
    if ((estate || building) && n->unit_id != 0)
        return gj_err(err, GJ_EINVAL, "%s", _("unit: only a notice for one unit names a unit"));
    if (n->valid_from <= 0)
        return gj_err(err, GJ_EINVAL, "%s", _("valid from: required"));
    if (n->valid_to <= 0)
        return gj_err(err, GJ_EINVAL, "%s", _("valid until: required"));
    if (n->valid_to < n->valid_from)
        return gj_err(err, GJ_EINVAL, "%s", _("valid until: must not be before valid from"));
    gj_err_clear(err);
    return GJ_OK;
}

/* ---- activities --------------------------------------------------------------- */

int gj_activity_validate(const struct gj_activity *a, struct gj_error *err)
{
    int rc = gj_text_check(a->title, _("activity name"), GJ_TITLE_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_text_check(a->place, _("place"), GJ_TITLE_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    if (a->starts_at <= 0)
        return gj_err(err, GJ_EINVAL, "%s", _("starts: required"));
    if (a->ends_at <= 0)
        return gj_err(err, GJ_EINVAL, "%s", _("ends: required"));
    if (a->ends_at < a->starts_at)
        return gj_err(err, GJ_EINVAL, "%s", _("ends: must not be before it starts"));
    if (a->capacity < 0 || a->capacity > GJ_CAPACITY_MAX)
        return gj_err(err, GJ_EINVAL, _("capacity: must be 1 to %d people, or 0 for no limit"),
                      GJ_CAPACITY_MAX);
    return gj_text_check(a->note, _("note"), GJ_NOTE_CHARS, 0, 1, err);
}

int gj_signup_validate(const struct gj_signup *s, struct gj_error *err)
{
    if (s->activity_id <= 0)
        return gj_err(err, GJ_EINVAL, "%s", _("activity: required"));
    if (s->unit_id <= 0)
        return gj_err(err, GJ_EINVAL, "%s", _("unit: required"));
    if (s->person_id < 0)
        return gj_err(err, GJ_EINVAL, "%s", _("person: not a valid record"));
    if (s->people < 1 || s->people > GJ_SIGNUP_PEOPLE)
        return gj_err(err, GJ_EINVAL, _("people: must be 1 to %d (got %d)"), GJ_SIGNUP_PEOPLE,
                      s->people);
    gj_err_clear(err);
    return GJ_OK;
}

int gj_activity_places_check(int capacity, int taken, int people, struct gj_error *err)
{
    if (capacity <= 0 || (int64_t)taken + people <= capacity) {
        gj_err_clear(err);
        return GJ_OK;
    }
    int left = capacity > taken ? capacity - taken : 0;
    if (left == 0)
        return gj_err(err, GJ_ECONSTRAINT, _("the activity is full (%d places, all taken)"),
                      capacity);
    return gj_err(err, GJ_ECONSTRAINT,
                  _("only %d of the activity's %d places are left; %d people cannot sign up"), left,
                  capacity, people);
}

/* ---- patrols ------------------------------------------------------------------ */

int gj_patrol_validate(const struct gj_patrol *p, struct gj_error *err)
{
    int rc = gj_text_check(p->route, _("route"), GJ_TITLE_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_text_check(p->note, _("note"), GJ_NOTE_CHARS, 0, 1, err);
    if (rc != GJ_OK)
        return rc;
    if (p->started_at < 0)
        return gj_err(err, GJ_EINVAL, "%s", _("started: not a valid time"));
    if (p->ended_at != 0 && p->ended_at < p->started_at)
        return gj_err(err, GJ_EINVAL, "%s", _("ended: must not be before the patrol started"));
    gj_err_clear(err);
    return GJ_OK;
}

const char *const gj_finding_severities[] = {"low", "medium", "high", NULL};

const char *gj_finding_severity_label(const char *severity)
{
    static const char *const msgids[] = {N_("low"), N_("medium"), N_("high")};
    return label_of(severity, gj_finding_severities, msgids);
}

int gj_finding_validate(const struct gj_finding *f, struct gj_error *err)
{
    if (f->patrol_id <= 0)
        return gj_err(err, GJ_EINVAL, "%s", _("patrol: required"));
    int rc = gj_text_check(f->location, _("location"), GJ_TITLE_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_text_check(f->what, _("what was found"), GJ_NOTE_CHARS, 1, 1, err);
    if (rc != GJ_OK)
        return rc;
    if (!gj_code_in(f->severity, gj_finding_severities))
        return gj_err(err, GJ_EINVAL, "%s", _("severity: must be low, medium or high"));
    if (f->at < 0)
        return gj_err(err, GJ_EINVAL, "%s", _("found at: not a valid time"));
    gj_err_clear(err);
    return GJ_OK;
}

const char *gj_finding_priority(const char *severity)
{
    static const char *const priorities[] = {"low", "normal", "high"};
    for (int i = 0; severity && gj_finding_severities[i]; i++)
        if (strcmp(severity, gj_finding_severities[i]) == 0)
            return priorities[i];
    return NULL;
}

/* ---- drills ------------------------------------------------------------------- */

const char *const gj_drill_kinds[] = {"fire", "evacuation", "other", NULL};

const char *gj_drill_kind_label(const char *kind)
{
    static const char *const msgids[] = {N_("fire drill"), N_("evacuation drill"),
                                         N_("other drill")};
    return label_of(kind, gj_drill_kinds, msgids);
}

int gj_drill_validate(const struct gj_drill *d, struct gj_error *err)
{
    if (!gj_code_in(d->kind, gj_drill_kinds))
        return gj_err(err, GJ_EINVAL, "%s", _("kind: must be fire, evacuation or other"));
    if (d->held_at <= 0)
        return gj_err(err, GJ_EINVAL, "%s", _("held on: required"));
    int rc = gj_text_check(d->place, _("place"), GJ_TITLE_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    if (d->participants < 0 || d->participants > GJ_PARTICIPANTS_MAX)
        return gj_err(err, GJ_EINVAL, _("participants: must be 0 to %d (got %d)"),
                      GJ_PARTICIPANTS_MAX, d->participants);
    return gj_text_check(d->note, _("note"), GJ_NOTE_CHARS, 0, 1, err);
}

/* ---- incidents ---------------------------------------------------------------- */

int gj_incident_validate(const struct gj_incident *i, struct gj_error *err)
{
    int rc = gj_text_check(i->what, _("what happened"), GJ_TEXT_CHARS, 1, 1, err);
    if (rc != GJ_OK)
        return rc;
    if (i->happened_at <= 0)
        return gj_err(err, GJ_EINVAL, "%s", _("happened at: required"));
    rc = gj_text_check(i->place, _("place"), GJ_TITLE_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_text_check(i->actions, _("actions taken"), GJ_TEXT_CHARS, 0, 1, err);
    if (rc != GJ_OK)
        return rc;
    if (i->actions[0] && !gj_text_present(i->actions))
        return gj_err(err, GJ_EINVAL, _("%s: must not be empty"), _("actions taken"));
    rc = gj_text_check(i->informed, _("who was informed"), GJ_NOTE_CHARS, 0, 1, err);
    if (rc != GJ_OK)
        return rc;
    if (i->informed[0] && !gj_text_present(i->informed))
        return gj_err(err, GJ_EINVAL, _("%s: must not be empty"), _("who was informed"));
    rc = gj_text_check(i->closing_note, _("closing note"), GJ_NOTE_CHARS, 0, 1, err);
    if (rc != GJ_OK)
        return rc;
    if (i->closed_at != 0) {
        rc = gj_incident_close_check(i, err);
        if (rc != GJ_OK)
            return rc;
        if (i->closed_at < i->happened_at)
            return gj_err(err, GJ_EINVAL, "%s", _("closed: must not be before it happened"));
    }
    gj_err_clear(err);
    return GJ_OK;
}

int gj_incident_close_check(const struct gj_incident *i, struct gj_error *err)
{
    if (!gj_text_present(i->actions))
        return gj_err(err, GJ_EINVAL, "%s",
                      _("actions taken: record what was done before closing the incident"));
    gj_err_clear(err);
    return GJ_OK;
}

const char *const gj_incident_steps[] = {
    N_("Stay calm, and report to your superior at once."),
    N_("Speak clearly and precisely: what happened, where, and since when."),
    N_("Explain reasonably what is known and what is being done about it; do not guess."),
    N_("Keep owners' private data confidential: no names, phone numbers or rooms to others."),
    N_("Record what was said, and to whom, in the incident's record."),
    NULL};
