/* Work-order deadlines, pauses, breaches and the lifecycle. */
#include "guanjia/sla.h"

#include "guanjia/i18n.h"

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
    return strcmp(wo->state, "on_hold") != 0 && now > due;
}

int gj_wo_overdue(const struct gj_work_order *wo, int64_t now)
{
    return gj_wo_is_open_state(wo->state) && strcmp(wo->state, "on_hold") != 0 &&
           now > gj_wo_resolve_deadline(wo, now);
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
    {"new", "cancel", "cancelled"},
    {"dispatched", "cancel", "cancelled"},
    {"in_progress", "cancel", "cancelled"},
    {"on_hold", "cancel", "cancelled"},
};

static const char *label_of(const char *code, const char *const codes[][2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(codes[i][0], code) == 0)
            return _(codes[i][1]);
    return code;
}

const char *gj_wo_next_state(const char *state, const char *event, struct gj_error *err)
{
    static const char *const states[][2] = {{"new", N_("new")},
                                            {"dispatched", N_("dispatched")},
                                            {"in_progress", N_("in progress")},
                                            {"on_hold", N_("on hold")},
                                            {"resolved", N_("resolved")},
                                            {"closed", N_("closed")},
                                            {"cancelled", N_("cancelled")}};
    static const char *const events[][2] = {
        {"dispatch", N_("be dispatched")}, {"start", N_("be started")},
        {"hold", N_("be put on hold")},    {"resume", N_("be resumed")},
        {"resolve", N_("be resolved")},    {"close", N_("be closed")},
        {"reopen", N_("be reopened")},     {"cancel", N_("be cancelled")}};
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (strcmp(transitions[i].from, state) == 0 && strcmp(transitions[i].event, event) == 0)
            return transitions[i].to;
    gj_err(err, GJ_EINVAL, _("a work order that is %s cannot %s"),
           label_of(state, states, sizeof states / sizeof states[0]),
           label_of(event, events, sizeof events / sizeof events[0]));
    return NULL;
}
