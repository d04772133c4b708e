/* Validation of work orders, complaints and their events. */
#include "guanjia/rules_workorders.h"
#include "guanjia/complaint_rules.h"

#include "guanjia/i18n.h"
#include "guanjia/rules_owners.h"
#include "guanjia/utf8.h"

#include <string.h>

static const char *const channels[] = {"phone", "wechat", "email", "walk_in", "other", NULL};

/* ---- work orders ---------------------------------------------------------- */

static const char *const wo_categories[] = {"repair",  "cleaning",   "landscaping", "security",
                                            "enquiry", "suggestion", "other",       NULL};
static const char *const wo_priorities[] = {"urgent", "high", "normal", "low", NULL};
static const char *const wo_states[] = {"new",      "dispatched", "in_progress", "on_hold",
                                        "resolved", "closed",     "cancelled",   NULL};
static const char *const wo_open_states[] = {"new", "dispatched", "in_progress", "on_hold", NULL};
static const char *const wo_hold_reasons[] = {"owner", "parts", "other", NULL};
static const char *const wo_event_kinds[] = {
    "created",          "dispatched",       "started",   "held",   "resumed",  "resolved",
    "closed",           "reopened",         "cancelled", "chased", "promised", "note",
    "respond_breached", "resolve_breached", NULL};
static const char *const wo_standalone_kinds[] = {"chased", "note", "respond_breached",
                                                  "resolve_breached", NULL};

int gj_wo_state_is_open(const char *state)
{
    return state && gj_code_in(state, wo_open_states);
}

int gj_wo_validate(const struct gj_work_order *wo, struct gj_error *err)
{
    if (!gj_code_in(wo->channel, channels))
        return gj_err(err, GJ_EINVAL, _("channel: must be phone, wechat, email, walk_in or other"));
    if (!gj_code_in(wo->category, wo_categories))
        return gj_err(err, GJ_EINVAL,
                      _("category: must be repair, cleaning, landscaping, security, enquiry, "
                        "suggestion or other"));
    if (!gj_code_in(wo->priority, wo_priorities))
        return gj_err(err, GJ_EINVAL, _("priority: must be urgent, high, normal or low"));
    if (!gj_code_in(wo->state, wo_states))
        return gj_err(err, GJ_EINVAL,
                      _("state: must be new, dispatched, in_progress, on_hold, resolved, closed "
                        "or cancelled"));
    int rc = gj_text_check(wo->description, _("description"), GJ_TEXT_CHARS, 1, 1, err);
    if (rc != GJ_OK)
        return rc;
    if (wo->respond_due_at <= 0)
        return gj_err(err, GJ_EINVAL, _("response due time: required"));
    if (wo->resolve_due_at <= 0)
        return gj_err(err, GJ_EINVAL, _("resolution due time: required"));
    if (wo->resolve_due_at < wo->respond_due_at)
        return gj_err(err, GJ_EINVAL,
                      _("resolution due time: must not be before the response due time"));
    rc = gj_text_check(wo->promise_reason, _("promise reason"), GJ_REASON_CHARS, 0, 0, err);
    if (rc != GJ_OK)
        return rc;
    if (wo->promised_at && !wo->promise_reason[0])
        return gj_err(err, GJ_EINVAL, _("promise reason: needed with a promised time"));
    if (!wo->promised_at && wo->promise_reason[0])
        return gj_err(err, GJ_EINVAL, _("promised time: needed with a promise reason"));
    if (wo->hold_reason[0] && !gj_code_in(wo->hold_reason, wo_hold_reasons))
        return gj_err(err, GJ_EINVAL, _("hold reason: must be owner, parts or other"));
    rc = gj_text_check(wo->resolution, _("resolution"), GJ_TEXT_CHARS, 0, 1, err);
    if (rc != GJ_OK)
        return rc;
    if (wo->satisfaction != 0 && (wo->satisfaction < 1 || wo->satisfaction > 5))
        return gj_err(err, GJ_EINVAL, _("satisfaction: must be 1 to 5 (got %d)"), wo->satisfaction);
    rc = gj_text_check(wo->feedback, _("feedback"), GJ_NOTE_CHARS, 0, 1, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_text_check(wo->cancel_reason, _("cancel reason"), GJ_REASON_CHARS, 0, 0, err);
    if (rc != GJ_OK)
        return rc;
    if (wo->chase_count < 0)
        return gj_err(err, GJ_EINVAL, _("chase count: must not be negative"));
    if (wo->paused_seconds < 0)
        return gj_err(err, GJ_EINVAL, _("paused time: must not be negative"));
    return GJ_OK;
}

int gj_wo_event_validate(const char *kind, const char *note, int standalone, struct gj_error *err)
{
    if (!kind || !gj_code_in(kind, wo_event_kinds))
        return gj_err(err, GJ_EINVAL, _("event: unknown kind \"%s\""), kind ? kind : "");
    if (standalone && !gj_code_in(kind, wo_standalone_kinds))
        return gj_err(err, GJ_EINVAL,
                      _("event: \"%s\" changes the order; record it with a transition"), kind);
    return gj_text_check(note, _("note"), GJ_TEXT_CHARS, 0, 1, err);
}

/* ---- complaints ----------------------------------------------------------- */

const char *const gj_complaint_categories[] = {
    "attitude", "repair_quality", "noise",     "sanitation", "security",
    "fees",     "parking",        "neighbour", "other",      NULL};
const char *const gj_complaint_grades[] = {"minor", "moderate", "serious", NULL};
static const char *const complaint_states[] = {"open", "acknowledged", "resolved", "closed", NULL};
static const char *const complaint_open_states[] = {"open", "acknowledged", NULL};
static const char *const complaint_event_kinds[] = {
    "created",   "acknowledged", "regraded", "assigned", "escalated", "resolved",
    "revisited", "reopened",     "closed",   "note",     NULL};
static const char *const complaint_standalone_kinds[] = {"note", "escalated", NULL};
static const char *const escalation_reasons[] = {"ack_overdue", "resolve_overdue",
                                                 "resolve_overdue_more", NULL};

int gj_complaint_grade_level(const char *grade)
{
    if (!grade)
        return -1;
    for (int i = 0; gj_complaint_grades[i]; i++)
        if (strcmp(grade, gj_complaint_grades[i]) == 0)
            return i;
    return -1;
}

int gj_complaint_state_is_open(const char *state)
{
    return state && gj_code_in(state, complaint_open_states);
}

int gj_complaint_validate(const struct gj_complaint *c, struct gj_error *err)
{
    if (!gj_code_in(c->channel, channels))
        return gj_err(err, GJ_EINVAL, _("channel: must be phone, wechat, email, walk_in or other"));
    int rc = gj_text_check(c->subject, _("subject"), GJ_SHORT_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_text_check(c->detail, _("detail"), GJ_TEXT_CHARS, 1, 1, err);
    if (rc != GJ_OK)
        return rc;
    if (!gj_code_in(c->category, gj_complaint_categories))
        return gj_err(err, GJ_EINVAL,
                      _("category: must be attitude, repair_quality, noise, sanitation, "
                        "security, fees, parking, neighbour or other"));
    if (!gj_code_in(c->grade, gj_complaint_grades))
        return gj_err(err, GJ_EINVAL, _("grade: must be minor, moderate or serious"));
    if (c->level < 0 || c->level > 3)
        return gj_err(err, GJ_EINVAL, _("level: must be 0 to 3 (got %d)"), c->level);
    if (!gj_code_in(c->state, complaint_states))
        return gj_err(err, GJ_EINVAL, _("state: must be open, acknowledged, resolved or closed"));
    if (c->cycle < 1)
        return gj_err(err, GJ_EINVAL, _("cycle: must be 1 or more (got %d)"), c->cycle);
    if (c->ack_due_at <= 0)
        return gj_err(err, GJ_EINVAL, _("acknowledgement due time: required"));
    if (c->resolve_due_at <= 0)
        return gj_err(err, GJ_EINVAL, _("resolution due time: required"));
    if (c->resolve_due_at < c->ack_due_at)
        return gj_err(err, GJ_EINVAL,
                      _("resolution due time: must not be before the acknowledgement due time"));
    rc = gj_text_check(c->action_taken, _("action taken"), GJ_TEXT_CHARS, 0, 1, err);
    if (rc == GJ_OK)
        rc = gj_text_check(c->result, _("result"), GJ_TEXT_CHARS, 0, 1, err);
    if (rc == GJ_OK)
        rc = gj_text_check(c->root_cause, _("root cause"), GJ_TEXT_CHARS, 0, 1, err);
    if (rc == GJ_OK)
        rc = gj_text_check(c->corrective_action, _("corrective action"), GJ_TEXT_CHARS, 0, 1, err);
    if (rc != GJ_OK)
        return rc;
    if (c->satisfaction != 0 && (c->satisfaction < 1 || c->satisfaction > 5))
        return gj_err(err, GJ_EINVAL, _("satisfaction: must be 1 to 5 (got %d)"), c->satisfaction);
    return gj_text_check(c->revisit_comment, _("revisit comment"), GJ_NOTE_CHARS, 0, 1, err);
}

int gj_complaint_event_validate(const struct gj_complaint_event *ev, int standalone,
                                struct gj_error *err)
{
    if (!gj_code_in(ev->kind, complaint_event_kinds))
        return gj_err(err, GJ_EINVAL, _("event: unknown kind \"%s\""), ev->kind);
    if (standalone && !gj_code_in(ev->kind, complaint_standalone_kinds))
        return gj_err(err, GJ_EINVAL,
                      _("event: \"%s\" changes the complaint; record it with a transition"),
                      ev->kind);
    if (ev->cycle < 0)
        return gj_err(err, GJ_EINVAL, _("cycle: must be 1 or more (got %d)"), ev->cycle);
    if (ev->from_level < -1 || ev->from_level > 3)
        return gj_err(err, GJ_EINVAL, _("level: must be 0 to 3 (got %d)"), ev->from_level);
    if (ev->to_level < -1 || ev->to_level > 3)
        return gj_err(err, GJ_EINVAL, _("level: must be 0 to 3 (got %d)"), ev->to_level);
    if (strcmp(ev->kind, "escalated") == 0) {
        if (!gj_code_in(ev->reason, escalation_reasons))
            return gj_err(err, GJ_EINVAL,
                          _("escalation reason: must be ack_overdue, resolve_overdue or "
                            "resolve_overdue_more"));
        if (ev->from_level < 0 || ev->to_level != ev->from_level + 1)
            return gj_err(err, GJ_EINVAL, _("escalation: must raise the level by exactly one"));
    } else if (ev->reason[0]) {
        return gj_err(err, GJ_EINVAL, _("reason: only an escalation carries a reason"));
    }
    return gj_text_check(ev->note, _("note"), GJ_TEXT_CHARS, 0, 1, err);
}
