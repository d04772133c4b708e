/* Complaint deadlines, the escalation ladder and the lifecycle. */
#include "guanjia/complaint_rules.h"

#include "guanjia/i18n.h"
#include "guanjia/rules_workorders.h"
#include "guanjia/utf8.h"

#include <string.h>

struct code_label {
    const char *code, *label;
};

static const char *lookup(const struct code_label *t, const char *code)
{
    for (; code && t->code; t++)
        if (strcmp(t->code, code) == 0)
            return _(t->label);
    return code ? code : "";
}

const char *gj_complaint_grade_label(const char *grade)
{
    static const struct code_label t[] = {{"minor", N_("minor")},
                                          {"moderate", N_("moderate")},
                                          {"serious", N_("serious")},
                                          {NULL, NULL}};
    return lookup(t, grade);
}

const char *gj_complaint_category_label(const char *category)
{
    static const struct code_label t[] = {{"attitude", N_("service attitude")},
                                          {"repair_quality", N_("repair quality")},
                                          {"noise", N_("noise")},
                                          {"sanitation", N_("sanitation")},
                                          {"security", N_("security")},
                                          {"fees", N_("fees")},
                                          {"parking", N_("parking and traffic")},
                                          {"neighbour", N_("neighbour dispute")},
                                          {"other", N_("other")},
                                          {NULL, NULL}};
    return lookup(t, category);
}

const char *gj_complaint_state_label(const char *state)
{
    static const struct code_label t[] = {{"open", N_("to acknowledge")},
                                          {"acknowledged", N_("acknowledged")},
                                          {"resolved", N_("resolved")},
                                          {"closed", N_("closed")},
                                          {NULL, NULL}};
    return lookup(t, state);
}

const char *gj_complaint_level_label(int level)
{
    static const char *const t[] = {N_("butler"), N_("supervisor"), N_("manager"),
                                    N_("management alerted")};
    return level >= 0 && level <= GJ_COMPLAINT_TOP_LEVEL ? _(t[level]) : "?";
}

const char *gj_complaint_reason_label(const char *reason)
{
    static const struct code_label t[] = {
        {"ack_overdue", N_("not acknowledged in time")},
        {"resolve_overdue", N_("not resolved in time")},
        {"resolve_overdue_more", N_("still not resolved, half the window later")},
        {NULL, NULL}};
    return lookup(t, reason);
}

int64_t gj_complaint_cycle_start(const struct gj_complaint *c)
{
    return c->cycle_started_at ? c->cycle_started_at : c->created_at;
}

void gj_complaint_set_deadlines(struct gj_complaint *c, const struct gj_sla_target *t)
{
    int64_t start = gj_complaint_cycle_start(c);
    c->ack_due_at = start + (int64_t)t->respond_minutes * 60;
    c->resolve_due_at = start + (int64_t)t->resolve_minutes * 60;
}

/* The three deadlines of the current cycle, in order. */
static void ladder(const struct gj_complaint *c, int64_t due[3])
{
    int64_t window = c->resolve_due_at - gj_complaint_cycle_start(c);
    if (window < 0)
        window = 0;
    due[0] = c->ack_due_at;
    due[1] = c->resolve_due_at;
    due[2] = c->resolve_due_at + window / 2;
}

unsigned gj_complaint_reason_bit(const char *reason)
{
    static const char *const reasons[] = {"ack_overdue", "resolve_overdue", "resolve_overdue_more"};
    for (unsigned i = 0; reason && i < 3; i++)
        if (strcmp(reason, reasons[i]) == 0)
            return 1u << i;
    return 0;
}

int gj_complaint_escalations_due(const struct gj_complaint *c, unsigned recorded, int64_t now,
                                 struct gj_complaint_escalation out[3])
{
    static const char *const reasons[] = {"ack_overdue", "resolve_overdue", "resolve_overdue_more"};
    if (!gj_complaint_state_is_open(c->state))
        return 0;
    int64_t due[3];
    ladder(c, due);
    /* The moment each step was done, if it was: acknowledging settles the
     * first deadline, resolving the other two. */
    int64_t done[3] = {c->acknowledged_at, c->resolved_at, c->resolved_at};
    int n = 0, level = c->level;
    for (int i = 0; i < 3; i++) {
        if (recorded & (1u << i))
            continue;
        if (now <= due[i] || (done[i] && done[i] <= due[i]))
            continue;
        if (level >= GJ_COMPLAINT_TOP_LEVEL)
            break;
        out[n].reason = reasons[i];
        out[n].due_at = due[i];
        out[n].from_level = level;
        out[n].to_level = level + 1;
        level++;
        n++;
    }
    return n;
}

int64_t gj_complaint_next_deadline(const struct gj_complaint *c, int64_t now)
{
    if (!gj_complaint_state_is_open(c->state) || c->level >= GJ_COMPLAINT_TOP_LEVEL)
        return 0;
    int64_t due[3];
    ladder(c, due);
    for (int i = c->acknowledged_at ? 1 : 0; i < 3; i++)
        if (due[i] >= now)
            return due[i];
    return 0;
}

int64_t gj_complaint_due(const struct gj_complaint *c)
{
    if (!gj_complaint_state_is_open(c->state))
        return 0;
    return c->acknowledged_at ? c->resolve_due_at : c->ack_due_at;
}

int gj_complaint_overdue(const struct gj_complaint *c, int64_t now)
{
    int64_t due = gj_complaint_due(c);
    return due && now > due;
}

int gj_complaint_can_close(const struct gj_complaint *c, struct gj_error *err)
{
    if (strcmp(c->grade, "minor") == 0)
        return GJ_OK;
    if (!gj_text_present(c->root_cause))
        return gj_err(err, GJ_EINVAL,
                      _("root cause: a %s complaint cannot close without saying why it "
                        "happened"),
                      gj_complaint_grade_label(c->grade));
    if (!gj_text_present(c->corrective_action))
        return gj_err(err, GJ_EINVAL,
                      _("corrective action: a %s complaint cannot close without saying how "
                        "it will not happen again"),
                      gj_complaint_grade_label(c->grade));
    return GJ_OK;
}

int gj_complaint_close_after_revisit(struct gj_complaint *c, int64_t now, struct gj_error *err)
{
    if (strcmp(c->state, "resolved") != 0 || !c->revisited_at || c->satisfaction < 3)
        return gj_err(err, GJ_EINVAL, "%s", _("close: call the owner back (revisit) first"));
    int rc = gj_complaint_can_close(c, err);
    if (rc != GJ_OK)
        return rc;
    c->closed_at = now;
    strcpy(c->state, "closed");
    return GJ_OK;
}

/* The action a step needs of the user. */
static int step_action(const struct gj_complaint *c, const char *event, enum gj_action *out)
{
    if (strcmp(event, "regrade") == 0) {
        *out = GJ_ACTION_REGRADE_COMPLAINT;
        return GJ_OK;
    }
    if (strcmp(event, "assign") == 0) {
        *out = GJ_ACTION_REASSIGN_COMPLAINT;
        return GJ_OK;
    }
    if (strcmp(event, "revisit") == 0) {
        *out = GJ_ACTION_REVISIT_COMPLAINT;
        return GJ_OK;
    }
    return gj_complaint_grade_action(c->grade, out);
}

static int refuse_state(const struct gj_complaint *c, const char *what, struct gj_error *err)
{
    return gj_err(err, GJ_EINVAL, _("cannot %s a complaint that is %s"), what,
                  gj_complaint_state_label(c->state));
}

static int apply_resolve(struct gj_complaint *n, const struct gj_complaint_step *s, int64_t now,
                         struct gj_error *err)
{
    if (!gj_text_present(s->action_taken))
        return gj_err(err, GJ_EINVAL, "%s", _("action taken: say what was done"));
    if (!gj_text_present(s->result))
        return gj_err(err, GJ_EINVAL, "%s", _("result: say how it ended"));
    if (s->revisit_days < 1)
        return gj_err(err, GJ_EINVAL, "%s", _("revisit days: must be 1 or more"));
    gj_text_copy(n->action_taken, sizeof n->action_taken, s->action_taken);
    gj_text_copy(n->result, sizeof n->result, s->result);
    if (gj_text_present(s->root_cause))
        gj_text_copy(n->root_cause, sizeof n->root_cause, s->root_cause);
    if (gj_text_present(s->corrective))
        gj_text_copy(n->corrective_action, sizeof n->corrective_action, s->corrective);
    if (!n->acknowledged_at)
        n->acknowledged_at = now; /* resolving it answers it */
    n->resolved_at = now;
    n->revisit_due_at = now + (int64_t)s->revisit_days * 86400;
    n->revisited_at = 0;
    n->satisfaction = 0;
    n->revisit_comment[0] = '\0';
    strcpy(n->state, "resolved");
    return GJ_OK;
}

static int apply_revisit(struct gj_complaint *n, const struct gj_complaint_step *s, int64_t now,
                         const char **kind, struct gj_error *err)
{
    if (s->satisfaction < 1 || s->satisfaction > 5)
        return gj_err(err, GJ_EINVAL, "%s", _("satisfaction: the owner's rating, 1 to 5"));
    gj_text_copy(n->revisit_comment, sizeof n->revisit_comment, s->note);
    n->satisfaction = s->satisfaction;
    n->revisited_at = now;
    *kind = "revisited";
    if (s->satisfaction > 2)
        return GJ_OK;
    /* Not settled for the owner: a new cycle, with its own deadlines and
     * its own escalations, starting at the level reached. */
    if (!s->sla)
        return gj_err(err, GJ_EINVAL, "%s", _("deadlines: the grade's targets are missing"));
    n->cycle++;
    n->cycle_started_at = now;
    gj_complaint_set_deadlines(n, s->sla);
    n->acknowledged_at = 0;
    n->resolved_at = 0;
    n->revisit_due_at = 0;
    strcpy(n->state, "open");
    *kind = "reopened";
    return GJ_OK;
}

static int apply_regrade(struct gj_complaint *n, const struct gj_complaint *c,
                         const struct gj_complaint_step *s, struct gj_error *err)
{
    int to = gj_complaint_grade_level(s->grade);
    if (to < 0)
        return gj_err(err, GJ_EINVAL, "%s", _("grade: must be minor, moderate or serious"));
    if (strcmp(s->grade, c->grade) == 0)
        return gj_err(err, GJ_EINVAL, _("grade: the complaint is already %s"),
                      gj_complaint_grade_label(c->grade));
    if (!gj_text_present(s->note))
        return gj_err(err, GJ_EINVAL, "%s", _("reason: say why the grade changes"));
    if (!s->sla)
        return gj_err(err, GJ_EINVAL, "%s", _("deadlines: the grade's targets are missing"));
    /* The steps it has climbed stay climbed; the base moves with the grade. */
    int level = c->level + to - gj_complaint_grade_level(c->grade);
    if (level < to)
        level = to;
    if (level > GJ_COMPLAINT_TOP_LEVEL)
        level = GJ_COMPLAINT_TOP_LEVEL;
    gj_text_copy(n->grade, sizeof n->grade, s->grade);
    n->level = level;
    gj_complaint_set_deadlines(n, s->sla);
    return GJ_OK;
}

int gj_complaint_step_apply(struct gj_complaint *c, const struct gj_complaint_step *step,
                            enum gj_role role, int64_t now, const char **event_kind,
                            struct gj_error *err)
{
    if (!step->event)
        return gj_err(err, GJ_EINVAL, "%s", _("no step given"));
    enum gj_action action;
    if (step_action(c, step->event, &action) != GJ_OK)
        return gj_err(err, GJ_EINVAL, "%s", _("grade: must be minor, moderate or serious"));
    int rc = gj_require(role, action, err);
    if (rc != GJ_OK)
        return rc;
    struct gj_complaint n = *c;
    const char *kind = NULL;
    const char *ev = step->event;
    int open = gj_complaint_state_is_open(c->state);
    if (strcmp(ev, "acknowledge") == 0) {
        if (strcmp(c->state, "open") != 0)
            return refuse_state(c, _("acknowledge"), err);
        n.acknowledged_at = now;
        strcpy(n.state, "acknowledged");
        kind = "acknowledged";
    } else if (strcmp(ev, "regrade") == 0) {
        if (!open)
            return refuse_state(c, _("regrade"), err);
        rc = apply_regrade(&n, c, step, err);
        kind = "regraded";
    } else if (strcmp(ev, "assign") == 0) {
        if (strcmp(c->state, "closed") == 0)
            return refuse_state(c, _("reassign"), err);
        if (step->assignee_user_id <= 0)
            return gj_err(err, GJ_EINVAL, "%s", _("assignee: choose who handles it"));
        if (step->assignee_user_id == c->assignee_user_id)
            return gj_err(err, GJ_EINVAL, "%s", _("assignee: already handles it"));
        n.assignee_user_id = step->assignee_user_id;
        kind = "assigned";
    } else if (strcmp(ev, "resolve") == 0) {
        if (!open)
            return refuse_state(c, _("resolve"), err);
        rc = apply_resolve(&n, step, now, err);
        kind = "resolved";
    } else if (strcmp(ev, "revisit") == 0) {
        if (strcmp(c->state, "resolved") != 0 || c->revisited_at)
            return strcmp(c->state, "resolved") == 0
                       ? gj_err(err, GJ_EINVAL, "%s", _("the revisit is already recorded"))
                       : refuse_state(c, _("revisit"), err);
        rc = apply_revisit(&n, step, now, &kind, err);
    } else if (strcmp(ev, "close") == 0) {
        if (strcmp(c->state, "resolved") != 0)
            return refuse_state(c, _("close"), err);
        if (!c->revisited_at)
            return gj_err(err, GJ_EINVAL, "%s", _("close: call the owner back (revisit) first"));
        if (gj_text_present(step->root_cause))
            gj_text_copy(n.root_cause, sizeof n.root_cause, step->root_cause);
        if (gj_text_present(step->corrective))
            gj_text_copy(n.corrective_action, sizeof n.corrective_action, step->corrective);
        rc = gj_complaint_can_close(&n, err);
        n.closed_at = now;
        strcpy(n.state, "closed");
        kind = "closed";
    } else {
        return gj_err(err, GJ_EINVAL, _("unknown step \"%s\""), ev);
    }
    if (rc != GJ_OK)
        return rc;
    *c = n;
    *event_kind = kind;
    return GJ_OK;
}
