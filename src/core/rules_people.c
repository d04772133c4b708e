/* Validation of users, departments, staff, settings, SLA targets, training
 * records, assessments and contact-log entries. */
#include "guanjia/rules_people.h"

#include "guanjia/documents.h"
#include "guanjia/i18n.h"
#include "guanjia/phone.h"
#include "guanjia/rules_owners.h"
#include "guanjia/utf8.h"

#include <stdio.h>
#include <string.h>

static const char *const roles[] = {"trainee", "butler", "supervisor", "manager", NULL};
static const char *const ranks[] = {"trainee", "assistant", "butler", "senior", "head", NULL};
static const char *const department_kinds[] = {"customer_service", "maintenance", "cleaning",
                                               "landscaping",      "security",    "finance",
                                               "management",       "other",       NULL};
static const char *const wo_levels[] = {"urgent", "high", "normal", "low", NULL};
static const char *const complaint_levels[] = {"minor", "moderate", "serious", NULL};
static const char *const training_statuses[] = {"started", "read", "passed", NULL};
static const char *const channels[] = {"phone", "wechat", "email", "walk_in", "other", NULL};

#define SLA_MAX_MINUTES 525600

static int is_name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

int gj_login_validate(const char *login, struct gj_error *err)
{
    size_t n = login ? strlen(login) : 0;
    if (n < 2 || n > 32)
        return gj_err(err, GJ_EINVAL, _("login: must be 2 to 32 characters (got %zu)"), n);
    for (size_t i = 0; i < n; i++)
        if (!is_name_char(login[i]))
            return gj_err(err, GJ_EINVAL,
                          _("login: only letters, digits, dots, dashes and underscores"));
    return GJ_OK;
}

int gj_user_validate(struct gj_user *u, struct gj_error *err)
{
    int rc = gj_login_validate(u->login, err);
    if (rc != GJ_OK)
        return rc;
    rc = gj_text_check(u->name, _("name"), GJ_NAME_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    if (!gj_code_in(u->role, roles))
        return gj_err(err, GJ_EINVAL, _("role: must be trainee, butler, supervisor or manager"));
    if (!u->rank[0])
        snprintf(u->rank, sizeof u->rank, "%s", "trainee");
    if (!gj_code_in(u->rank, ranks))
        return gj_err(err, GJ_EINVAL,
                      _("rank: must be trainee, assistant, butler, senior or head"));
    if (u->staff_id < 0)
        return gj_err(err, GJ_EINVAL, _("staff record: not a valid choice"));
    u->active = u->active ? 1 : 0;
    return GJ_OK;
}

int gj_department_validate(struct gj_department *d, struct gj_error *err)
{
    int rc = gj_text_check(d->name, _("name"), GJ_NAME_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    if (!gj_code_in(d->kind, department_kinds))
        return gj_err(err, GJ_EINVAL,
                      _("kind: must be customer_service, maintenance, cleaning, landscaping, "
                        "security, finance, management or other"));
    d->active = d->active ? 1 : 0;
    return GJ_OK;
}

int gj_staff_validate(struct gj_staff *s, struct gj_error *err)
{
    if (s->department_id <= 0)
        return gj_err(err, GJ_EINVAL, _("department: choose a department"));
    int rc = gj_text_check(s->name, _("name"), GJ_NAME_CHARS, 1, 0, err);
    if (rc != GJ_OK)
        return rc;
    if (s->phone[0]) {
        char canon[32];
        struct gj_error e;
        if (gj_phone_normalize(s->phone, canon, sizeof canon, NULL, &e) != GJ_OK)
            return gj_err(err, GJ_EINVAL, "%s: %s", _("phone"), e.msg);
        size_t n = strlen(canon);
        if (n >= sizeof s->phone)
            return gj_err(err, GJ_EINVAL, _("%s: too long"), _("phone"));
        memcpy(s->phone, canon, n + 1);
    }
    rc = gj_text_check(s->title, _("title"), GJ_NAME_CHARS, 0, 0, err);
    if (rc != GJ_OK)
        return rc;
    s->active = s->active ? 1 : 0;
    return GJ_OK;
}

int gj_setting_key_validate(const char *key, struct gj_error *err)
{
    size_t n = key ? strlen(key) : 0;
    if (n < 1 || n > 64)
        return gj_err(err, GJ_EINVAL, _("setting key: must be 1 to 64 characters (got %zu)"), n);
    for (size_t i = 0; i < n; i++)
        if (!is_name_char(key[i]))
            return gj_err(err, GJ_EINVAL,
                          _("setting key: only letters, digits, dots, dashes and underscores"));
    return GJ_OK;
}

/* The settings the product reads as whole numbers, with their ranges. */
static const struct {
    const char *key;
    long long min, max;
} int_settings[] = {
    {"workorder.due_soon_minutes", 1, 10080},
    {"complaint.revisit_days", 1, 90},
    {"login.max_failures", 1, 100},
    {"login.lock_minutes", 1, 1440},
    {"fees.due_day", 1, 28},
};

/* A whole number written with ASCII digits and an optional minus sign. */
static int parse_whole(const char *s, long long *out)
{
    long long v = 0;
    int neg = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        if (v > (999999999999999999LL - (*s - '0')) / 10)
            return 0;
        v = v * 10 + (*s - '0');
    }
    *out = neg ? -v : v;
    return 1;
}

int gj_setting_value_validate(const char *key, const char *value, struct gj_error *err)
{
    char field[80];
    snprintf(field, sizeof field, _("setting %s"), key ? key : "");
    if (!value)
        value = "";
    /* The dunning notice templates: several lines, placeholders checked. */
    if (key &&
        (strcmp(key, "notice.template.zh_CN") == 0 || strcmp(key, "notice.template.en") == 0)) {
        int rc = gj_text_check(value, field, 1000, 1, 1, err);
        return rc != GJ_OK ? rc : gj_notice_check_template(value, err);
    }
    int rc = gj_text_check(value, field, 1000, 0, 0, err);
    if (rc != GJ_OK)
        return rc;
    if (!key)
        return GJ_OK;
    for (size_t i = 0; i < sizeof int_settings / sizeof int_settings[0]; i++) {
        if (strcmp(key, int_settings[i].key) != 0)
            continue;
        long long v;
        if (!parse_whole(value, &v) || v < int_settings[i].min || v > int_settings[i].max)
            return gj_err(err, GJ_EINVAL, _("%s: must be a whole number from %lld to %lld"), field,
                          int_settings[i].min, int_settings[i].max);
        return GJ_OK;
    }
    if (strcmp(key, "estate.name") == 0)
        return gj_text_check(value, field, GJ_NAME_CHARS, 1, 0, err);
    if (strcmp(key, "receipt.prefix") == 0) {
        size_t n = strlen(value);
        int ok = n <= 8;
        for (size_t i = 0; ok && i < n; i++)
            ok = (value[i] >= 'A' && value[i] <= 'Z') || (value[i] >= 'a' && value[i] <= 'z') ||
                 (value[i] >= '0' && value[i] <= '9');
        if (!ok)
            return gj_err(err, GJ_EINVAL, _("%s: at most 8 letters or digits"), field);
    }
    return GJ_OK;
}

int gj_sla_level_validate(const char *kind, const char *level, struct gj_error *err)
{
    if (!kind || !level)
        return gj_err(err, GJ_EINVAL, _("SLA kind: must be work_order or complaint"));
    if (strcmp(kind, "work_order") == 0) {
        if (!gj_code_in(level, wo_levels))
            return gj_err(err, GJ_EINVAL,
                          _("SLA level: a work order's priority is urgent, high, normal or low"));
        return GJ_OK;
    }
    if (strcmp(kind, "complaint") == 0) {
        if (!gj_code_in(level, complaint_levels))
            return gj_err(err, GJ_EINVAL,
                          _("SLA level: a complaint's grade is minor, moderate or serious"));
        return GJ_OK;
    }
    return gj_err(err, GJ_EINVAL, _("SLA kind: must be work_order or complaint"));
}

int gj_sla_validate(const struct gj_sla_target *t, struct gj_error *err)
{
    int rc = gj_sla_level_validate(t->kind, t->level, err);
    if (rc != GJ_OK)
        return rc;
    if (t->respond_minutes < 1 || t->respond_minutes > SLA_MAX_MINUTES)
        return gj_err(err, GJ_EINVAL, _("response target: must be 1 to %d minutes (got %d)"),
                      SLA_MAX_MINUTES, t->respond_minutes);
    if (t->resolve_minutes < 1 || t->resolve_minutes > SLA_MAX_MINUTES)
        return gj_err(err, GJ_EINVAL, _("resolve target: must be 1 to %d minutes (got %d)"),
                      SLA_MAX_MINUTES, t->resolve_minutes);
    if (t->resolve_minutes < t->respond_minutes)
        return gj_err(err, GJ_EINVAL,
                      _("resolve target: must not be shorter than the response target (%d "
                        "minutes)"),
                      t->respond_minutes);
    return GJ_OK;
}

int gj_training_id_validate(const char *id, const char *field, struct gj_error *err)
{
    size_t n = id ? strlen(id) : 0;
    if (n < 1 || n > 32)
        return gj_err(err, GJ_EINVAL, _("%s: must be 1 to 32 characters (got %zu)"), field, n);
    for (size_t i = 0; i < n; i++)
        if (id[i] <= ' ' || id[i] > '~')
            return gj_err(err, GJ_EINVAL, _("%s: only letters, digits and punctuation, no spaces"),
                          field);
    return GJ_OK;
}

int gj_training_mark_validate(int64_t user_id, const char *item_id, const char *status,
                              struct gj_error *err)
{
    if (user_id <= 0)
        return gj_err(err, GJ_EINVAL, _("user: choose a user"));
    int rc = gj_training_id_validate(item_id, _("training item"), err);
    if (rc != GJ_OK)
        return rc;
    if (!status || !gj_code_in(status, training_statuses))
        return gj_err(err, GJ_EINVAL, _("status: must be started, read or passed"));
    return GJ_OK;
}

int gj_quiz_result_validate(const struct gj_quiz_result *q, struct gj_error *err)
{
    if (q->user_id <= 0)
        return gj_err(err, GJ_EINVAL, _("user: choose a user"));
    if (q->chapter < 1 || q->chapter > 6)
        return gj_err(err, GJ_EINVAL, _("chapter: must be 1 to 6 (got %d)"), q->chapter);
    if (q->max_score < 1)
        return gj_err(err, GJ_EINVAL, _("maximum score: must be at least 1 (got %d)"),
                      q->max_score);
    if (q->score < 0 || q->score > q->max_score)
        return gj_err(err, GJ_EINVAL, _("score: must be 0 to %d (got %d)"), q->max_score, q->score);
    return gj_text_check(q->answers, _("answers"), GJ_TEXT_CHARS, 0, 1, err);
}

int gj_practice_result_validate(struct gj_practice_result *p, struct gj_error *err)
{
    if (p->user_id <= 0)
        return gj_err(err, GJ_EINVAL, _("user: choose a user"));
    int rc = gj_training_id_validate(p->task_id, _("practice task"), err);
    if (rc != GJ_OK)
        return rc;
    p->passed = p->passed ? 1 : 0;
    return gj_text_check(p->feedback, _("feedback"), GJ_TEXT_CHARS, 0, 1, err);
}

static int score_ok(int v, const char *field, struct gj_error *err)
{
    if (v < 1 || v > 5)
        return gj_err(err, GJ_EINVAL, _("%s: must be a score from 1 to 5 (got %d)"), field, v);
    return GJ_OK;
}

int gj_assessment_validate(const struct gj_assessment *a, struct gj_error *err)
{
    if (a->trainee_id <= 0)
        return gj_err(err, GJ_EINVAL, _("trainee: choose the person assessed"));
    if (a->assessor_id <= 0)
        return gj_err(err, GJ_EINVAL, _("assessor: choose who makes the assessment"));
    if (a->trainee_id == a->assessor_id)
        return gj_err(err, GJ_EINVAL, _("assessor: nobody assesses themselves"));
    int rc = score_ok(a->professional, _("professional skill"), err);
    if (rc == GJ_OK)
        rc = score_ok(a->communication, _("communication"), err);
    if (rc == GJ_OK)
        rc = score_ok(a->management, _("management"), err);
    if (rc == GJ_OK)
        rc = score_ok(a->service, _("service"), err);
    if (rc != GJ_OK)
        return rc;
    return gj_text_check(a->note, _("note"), GJ_NOTE_CHARS, 0, 1, err);
}

int gj_contact_validate(const struct gj_contact *c, struct gj_error *err)
{
    if (c->unit_id < 0 || c->person_id < 0 || (c->unit_id == 0 && c->person_id == 0))
        return gj_err(err, GJ_EINVAL, _("unit or person: say who was contacted"));
    if (c->work_order_id < 0 || c->complaint_id < 0)
        return gj_err(err, GJ_EINVAL, _("related record: not a valid choice"));
    if (!gj_code_in(c->channel, channels))
        return gj_err(err, GJ_EINVAL, _("channel: must be phone, wechat, email, walk_in or other"));
    int rc = gj_text_check(c->summary, _("summary"), GJ_NOTE_CHARS, 1, 1, err);
    if (rc != GJ_OK)
        return rc;
    return gj_text_check(c->result, _("result"), GJ_NOTE_CHARS, 0, 1, err);
}
