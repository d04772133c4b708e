/* Work-order deadlines, pauses, breaches and the lifecycle. */
#include "guanjia/sla.h"

#include "guanjia/i18n.h"
#include "guanjia/utf8.h"

#include <string.h>

void gj_wo_set_deadlines(struct gj_work_order *wo, int respond_minutes, int resolve_minutes)
{
    wo->respond_due_at = wo->created_at + (int64_t)respond_minutes * 60;
    wo->resolve_due_at = wo->created_at + (int64_t)resolve_minutes * 60;
}

int64_t gj_wo_paused(const struct gj_work_order *wo, int64_t now)
{
    int64_t paused = wo->paused_seconds;
    if (strcmp(wo->state, "on_hold") == 0 && wo->hold_started_at && now > wo->hold_started_at)
        paused += now - wo->hold_started_at;
    return paused;
}

int64_t gj_wo_resolve_deadline(const struct gj_work_order *wo, int64_t now)
{
    int64_t base = wo->promised_at ? wo->promised_at : wo->resolve_due_at;
    return base + gj_wo_paused(wo, now);
}

int64_t gj_wo_queue_due(const struct gj_work_order *wo)
{
    return (wo->promised_at ? wo->promised_at : wo->resolve_due_at) + wo->paused_seconds;
}

int64_t gj_wo_respond_deadline(const struct gj_work_order *wo, int64_t now)
{
    /* An order is put on hold only once it has been responded to
     * (dispatched), so no pause ever moves the response deadline. */
    (void)now;
    return wo->respond_due_at;
}

int gj_wo_is_open_state(const char *state)
{
    static const char *const open[] = {"new", "dispatched", "in_progress", "on_hold"};
    for (size_t i = 0; i < sizeof open / sizeof open[0]; i++)
        if (strcmp(state, open[i]) == 0)
            return 1;
    return 0;
}

int gj_wo_respond_breached(const struct gj_work_order *wo, int64_t now)
{
    if (strcmp(wo->state, "cancelled") == 0)
        return 0;
    int64_t due = gj_wo_respond_deadline(wo, now);
    if (wo->responded_at)
        return wo->responded_at > due;
    return now > due;
}

int gj_wo_resolve_breached(const struct gj_work_order *wo, int64_t now)
{
    if (strcmp(wo->state, "cancelled") == 0)
        return 0;
    int64_t due = gj_wo_resolve_deadline(wo, now);
    if (wo->resolved_at)
        return wo->resolved_at > due;
    /* On hold the clock stands, but a deadline passed before the hold was
     * passed all the same. */
    if (strcmp(wo->state, "on_hold") == 0)
        return wo->hold_started_at > gj_wo_resolve_deadline(wo, wo->hold_started_at);
    return now > due;
}

int gj_wo_overdue(const struct gj_work_order *wo, int64_t now)
{
    if (!gj_wo_is_open_state(wo->state) || strcmp(wo->state, "on_hold") == 0)
        return 0;
    /* Not yet responded to past the response deadline is overdue too. */
    if (!wo->responded_at && now > gj_wo_respond_deadline(wo, now))
        return 1;
    return now > gj_wo_resolve_deadline(wo, now);
}

int gj_wo_due_soon(const struct gj_work_order *wo, int64_t now)
{
    if (!gj_wo_is_open_state(wo->state) || strcmp(wo->state, "on_hold") == 0)
        return 0;
    int64_t due = gj_wo_resolve_deadline(wo, now);
    return now <= due && due - now < GJ_DUE_SOON_SECONDS;
}

static const struct {
    const char *from, *event, *to;
} transitions[] = {
    {"new", "dispatch", "dispatched"},
    {"dispatched", "dispatch", "dispatched"}, /* to another department or person */
    {"in_progress", "dispatch", "dispatched"},
    {"dispatched", "start", "in_progress"},
    {"in_progress", "hold", "on_hold"},
    {"dispatched", "hold", "on_hold"},
    {"on_hold", "resume", "in_progress"},
    {"in_progress", "resolve", "resolved"},
    {"resolved", "close", "closed"},
    {"resolved", "reopen", "in_progress"}, /* a poor rating, or not really fixed */
    {"new", "promise", "new"},
    {"dispatched", "promise", "dispatched"},
    {"in_progress", "promise", "in_progress"},
    {"on_hold", "promise", "on_hold"},
    {"new", "cancel", "cancelled"},
    {"dispatched", "cancel", "cancelled"},
    {"in_progress", "cancel", "cancelled"},
    {"on_hold", "cancel", "cancelled"},
};

static const char *const states[][2] = {{"new", N_("new")},
                                        {"dispatched", N_("dispatched")},
                                        {"in_progress", N_("in progress")},
                                        {"on_hold", N_("on hold")},
                                        {"resolved", N_("resolved")},
                                        {"closed", N_("closed")},
                                        {"cancelled", N_("cancelled")}};

static const char *label_of(const char *code, const char *const codes[][2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(codes[i][0], code) == 0)
            return _(codes[i][1]);
    return code;
}

const char *gj_wo_state_label(const char *state)
{
    return label_of(state, states, sizeof states / sizeof states[0]);
}

const char *gj_wo_next_state(const char *state, const char *event, struct gj_error *err)
{
    static const char *const events[][2] = {{"dispatch", N_("be dispatched")},
                                            {"start", N_("be started")},
                                            {"hold", N_("be put on hold")},
                                            {"resume", N_("be resumed")},
                                            {"resolve", N_("be resolved")},
                                            {"close", N_("be closed")},
                                            {"reopen", N_("be reopened")},
                                            {"cancel", N_("be cancelled")},
                                            {"promise", N_("be given a promised time")}};
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (strcmp(transitions[i].from, state) == 0 && strcmp(transitions[i].event, event) == 0)
            return transitions[i].to;
    gj_err(err, GJ_EINVAL, _("a work order that is %s cannot %s"),
           label_of(state, states, sizeof states / sizeof states[0]),
           label_of(event, events, sizeof events / sizeof events[0]));
    return NULL;
}

static enum gj_action step_action(const char *event)
{
    if (strcmp(event, "dispatch") == 0)
        return GJ_ACTION_DISPATCH_WORK_ORDER;
    if (strcmp(event, "close") == 0 || strcmp(event, "reopen") == 0)
        return GJ_ACTION_CLOSE_WORK_ORDER;
    if (strcmp(event, "cancel") == 0)
        return GJ_ACTION_CANCEL_WORK_ORDER;
    return GJ_ACTION_UPDATE_WORK_ORDER;
}

const char *gj_wo_hold_reason_label(const char *code)
{
    if (strcmp(code, "parts") == 0)
        return _("waiting for parts");
    if (strcmp(code, "owner") == 0)
        return _("waiting for the owner");
    return _("other");
}

int gj_wo_step_apply(struct gj_work_order *wo, const struct gj_wo_step *step, enum gj_role role,
                     int64_t now, const char **event_kind, struct gj_error *err)
{
    int rc = gj_require(role, step_action(step->event), err);
    if (rc != GJ_OK)
        return rc;
    const char *to = gj_wo_next_state(wo->state, step->event, err);
    if (!to)
        return GJ_EINVAL;
    struct gj_work_order next = *wo;
    const char *kind = NULL;
    if (strcmp(step->event, "dispatch") == 0) {
        if (step->department_id <= 0)
            return gj_err(err, GJ_EINVAL, _("department: choose who does the work"));
        next.department_id = step->department_id;
        next.assignee_staff_id = step->assignee_staff_id;
        if (!next.responded_at)
            next.responded_at = now;
        kind = "dispatched";
    } else if (strcmp(step->event, "start") == 0) {
        kind = "started";
    } else if (strcmp(step->event, "hold") == 0) {
        static const char *const reasons[] = {"owner", "parts", "other"};
        int ok = 0;
        for (size_t i = 0; step->hold_reason && i < 3; i++)
            ok |= strcmp(step->hold_reason, reasons[i]) == 0;
        if (!ok)
            return gj_err(err, GJ_EINVAL,
                          _("reason: say what the order waits for (the owner, parts, or other)"));
        if (strcmp(step->hold_reason, "other") == 0 && !gj_text_present(step->note))
            return gj_err(err, GJ_EINVAL, _("note: say what the order waits for"));
        gj_text_copy(next.hold_reason, sizeof next.hold_reason, step->hold_reason);
        next.hold_started_at = now;
        kind = "held";
    } else if (strcmp(step->event, "resume") == 0) {
        if (wo->hold_started_at && now > wo->hold_started_at)
            next.paused_seconds += now - wo->hold_started_at;
        next.hold_started_at = 0;
        next.hold_reason[0] = '\0';
        kind = "resumed";
    } else if (strcmp(step->event, "resolve") == 0) {
        if (!gj_text_present(step->note))
            return gj_err(err, GJ_EINVAL, _("resolution: say what was done"));
        gj_text_copy(next.resolution, sizeof next.resolution, step->note);
        next.resolved_at = now;
        kind = "resolved";
    } else if (strcmp(step->event, "close") == 0) {
        if (step->satisfaction < 1 || step->satisfaction > 5)
            return gj_err(err, GJ_EINVAL, _("satisfaction: the owner's rating, 1 to 5"));
        gj_text_copy(next.feedback, sizeof next.feedback, step->note);
        if (step->satisfaction <= 2) {
            /* A poor rating means it is not done: back to work. The time it
             * stood resolved is not counted against the deadline. */
            to = "in_progress";
            if (wo->resolved_at && now > wo->resolved_at)
                next.paused_seconds += now - wo->resolved_at;
            next.resolved_at = 0;
            next.satisfaction = 0;
            kind = "reopened";
        } else {
            next.satisfaction = step->satisfaction;
            next.closed_at = now;
            kind = "closed";
        }
    } else if (strcmp(step->event, "promise") == 0) {
        if (step->promised_at <= now)
            return gj_err(err, GJ_EINVAL, _("promised time: must be later than now"));
        if (!gj_text_present(step->note))
            return gj_err(err, GJ_EINVAL, _("reason: say why this time was promised"));
        /* Stored so that with the pauses so far it is exactly the time
         * promised; only later pauses move it. */
        next.promised_at = step->promised_at - gj_wo_paused(wo, now);
        gj_text_copy(next.promise_reason, sizeof next.promise_reason, step->note);
        kind = "promised";
    } else if (strcmp(step->event, "reopen") == 0) {
        if (!gj_text_present(step->note))
            return gj_err(err, GJ_EINVAL, _("note: say why the order is reopened"));
        if (wo->resolved_at && now > wo->resolved_at)
            next.paused_seconds += now - wo->resolved_at;
        next.resolved_at = 0;
        kind = "reopened";
    } else { /* cancel */
        if (!gj_text_present(step->note))
            return gj_err(err, GJ_EINVAL, _("reason: say why the order is cancelled"));
        gj_text_copy(next.cancel_reason, sizeof next.cancel_reason, step->note);
        if (wo->hold_started_at && now > wo->hold_started_at)
            next.paused_seconds += now - wo->hold_started_at;
        next.hold_started_at = 0;
        next.hold_reason[0] = '\0';
        kind = "cancelled";
    }
    gj_text_copy(next.state, sizeof next.state, to);
    *wo = next;
    *event_kind = kind;
    return GJ_OK;
}
