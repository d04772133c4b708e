/* The user actions, through the same repository and core calls the
 * console's screens make (src/tui/workorders.c, fees.c, complaints.c,
 * owners.c). */
#include "stress.h"

#include "guanjia/clock.h"
#include "guanjia/complaint_rules.h"
#include "guanjia/receipt_print.h"
#include "guanjia/repo_check.h"
#include "guanjia/repo_complaints.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_settings.h"
#include "guanjia/repo_staff.h"
#include "guanjia/repo_users.h"
#include "guanjia/repo_workorders.h"
#include "guanjia/sla.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const stress_kind_names[K_COUNT] = {"intake",    "dispatch", "progress", "payment",
                                                "complaint", "handle",   "escalate", "owner-edit"};

uint32_t stress_rand(struct stress_ctx *c, uint32_t n)
{
    /* xorshift64*: enough for picking actions and pauses */
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    uint64_t r = c->rng * UINT64_C(2685821657736338717);
    return n ? (uint32_t)((r >> 32) % n) : 0;
}

void stress_sleep_ms(double ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000),
                          .tv_nsec = (long)((ms - (double)(long)(ms / 1000) * 1000) * 1e6)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

double stress_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int stress_make_demo(const char *path, struct gj_error *err)
{
    /* guanjia itself makes it, as `guanjia --db PATH demo`: the guanjia
     * built beside this program, or $GUANJIA_BIN. */
    char bin[4096];
    const char *env = getenv("GUANJIA_BIN");
    if (env && *env) {
        snprintf(bin, sizeof bin, "%s", env);
    } else {
        ssize_t n = readlink("/proc/self/exe", bin, sizeof bin - 16);
        if (n <= 0)
            return gj_err(err, GJ_EIO, "cannot find this program: %s", strerror(errno));
        bin[n] = '\0';
        char *slash = strrchr(bin, '/');
        snprintf(slash ? slash + 1 : bin, 16, "%s", "guanjia");
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return gj_err(err, GJ_EIO, "fork: %s", strerror(errno));
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, STDOUT_FILENO);
        execl(bin, bin, "--db", path, "demo", (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return gj_err(err, GJ_EDB, "%s --db %s demo failed (status %d)", bin, path, status);
    return GJ_OK;
}

static int user_id(struct gj_db *db, const char *login, int64_t *id, struct gj_error *err)
{
    struct gj_user u;
    int rc = gj_user_by_login(db, login, &u, err);
    if (rc == GJ_OK)
        *id = u.id;
    return rc;
}

int stress_open(struct stress_ctx *c, const char *path, int proc, uint64_t seed,
                struct gj_error *err)
{
    memset(c, 0, sizeof *c);
    c->proc = proc;
    c->rng = seed ? seed : UINT64_C(88172645463325252);
    c->owner_pause_max_ms = 8;
    int rc = gj_db_open(path, 0, &c->db, err);
    if (rc == GJ_OK)
        rc = user_id(c->db, "butler", &c->butler, err);
    if (rc == GJ_OK)
        rc = user_id(c->db, "supervisor", &c->supervisor, err);
    if (rc == GJ_OK)
        rc = user_id(c->db, "manager", &c->manager, err);
    static struct gj_unit units[STRESS_MAX_UNITS];
    int n = 0;
    if (rc == GJ_OK)
        rc = gj_units_list(c->db, NULL, STRESS_MAX_UNITS, units, &n, err);
    for (int i = 0; rc == GJ_OK && i < n; i++)
        c->units[c->n_units++] = units[i].id;
    struct gj_department d[STRESS_MAX_DEPTS];
    int nd = 0;
    if (rc == GJ_OK)
        rc = gj_departments_list(c->db, "", STRESS_MAX_DEPTS, d, &nd, err);
    for (int i = 0; rc == GJ_OK && i < nd; i++)
        if (d[i].active)
            c->depts[c->n_depts++] = d[i].id;
    /* The shared owner: the owner on record of the first unit that has one. */
    for (int i = 0; rc == GJ_OK && i < c->n_units && !c->owner_id; i++) {
        struct gj_unit_person l[8];
        int m = 0;
        rc = gj_unit_persons_of_unit(c->db, c->units[i], 8, l, &m, err);
        for (int j = 0; rc == GJ_OK && j < m && !c->owner_id; j++)
            if (!l[j].end_at && strcmp(l[j].relation, "owner") == 0)
                c->owner_id = l[j].person_id;
    }
    if (rc == GJ_OK && (c->n_units == 0 || c->n_depts == 0 || !c->owner_id))
        rc = gj_err(err, GJ_ENOTFOUND, "%s: no units, departments or owners to work with", path);
    if (rc != GJ_OK)
        stress_close(c);
    return rc;
}

void stress_close(struct stress_ctx *c)
{
    gj_db_close(c->db);
    c->db = NULL;
}

int stress_is_busy(int rc, const struct gj_error *err)
{
    if (rc == GJ_OK)
        return 0;
    return rc == GJ_EBUSY || strstr(err->msg, "locked") || strstr(err->msg, "busy");
}

static int64_t any_unit(struct stress_ctx *c)
{
    return c->units[stress_rand(c, (uint32_t)c->n_units)];
}

/* ---- work orders (src/tui/workorders.c: save_intake, save_step) ---- */

static int do_intake(struct stress_ctx *c, struct gj_error *err)
{
    static const char *const channels[] = {"phone", "wechat", "walk_in"};
    static const char *const categories[] = {"repair", "cleaning", "security", "enquiry"};
    static const char *const priorities[] = {"urgent", "high", "normal", "low"};
    struct gj_work_order wo;
    memset(&wo, 0, sizeof wo);
    wo.unit_id = any_unit(c);
    snprintf(wo.channel, sizeof wo.channel, "%s", channels[stress_rand(c, 3)]);
    snprintf(wo.category, sizeof wo.category, "%s", categories[stress_rand(c, 4)]);
    snprintf(wo.priority, sizeof wo.priority, "%s", priorities[stress_rand(c, 4)]);
    snprintf(wo.description, sizeof wo.description, "压力测试 终端%d 第%ld单: 水龙头漏水", c->proc,
             c->seq);
    struct gj_sla_target sla;
    int rc = gj_sla_get(c->db, "work_order", wo.priority, &sla, err);
    if (rc == GJ_OK) {
        wo.created_at = gj_now();
        gj_wo_set_deadlines(&wo, sla.respond_minutes, sla.resolve_minutes);
        rc = gj_wo_create(c->db, c->butler, &wo, err);
    }
    return rc;
}

/* An open order in state (one of the 50 most urgent), or 0. */
static int pick_order(struct stress_ctx *c, const char *state, struct gj_work_order *out,
                      struct gj_error *err)
{
    static struct gj_work_order rows[50];
    int n = 0;
    int rc = gj_wo_list_open(c->db, INT64_MIN, 0, 50, rows, &n, err);
    if (rc != GJ_OK)
        return rc;
    int start = (int)stress_rand(c, n > 0 ? (uint32_t)n : 1);
    for (int i = 0; i < n; i++) {
        const struct gj_work_order *w = &rows[(start + i) % n];
        if (strcmp(w->state, state) == 0) {
            *out = *w;
            return GJ_OK;
        }
    }
    return GJ_ENOTFOUND;
}

static int do_dispatch(struct stress_ctx *c, struct stress_outcome *o, struct gj_error *err)
{
    struct gj_work_order wo;
    int rc = pick_order(c, "new", &wo, err);
    if (rc == GJ_ENOTFOUND) {
        o->skipped = 1;
        return GJ_OK;
    }
    struct gj_wo_step step = {.event = "dispatch",
                              .department_id = c->depts[stress_rand(c, (uint32_t)c->n_depts)],
                              .note = "压力测试派单"};
    if (rc == GJ_OK)
        rc = gj_wo_do(c->db, c->butler, GJ_ROLE_BUTLER, &wo, &step, err);
    return rc;
}

static int do_progress(struct stress_ctx *c, struct stress_outcome *o, struct gj_error *err)
{
    struct gj_work_order wo;
    int resolve = stress_rand(c, 2) == 0;
    int rc = pick_order(c, resolve ? "in_progress" : "dispatched", &wo, err);
    if (rc == GJ_ENOTFOUND) {
        resolve = !resolve;
        rc = pick_order(c, resolve ? "in_progress" : "dispatched", &wo, err);
    }
    if (rc == GJ_ENOTFOUND) {
        o->skipped = 1;
        return GJ_OK;
    }
    struct gj_wo_step step = {.event = resolve ? "resolve" : "start",
                              .note = resolve ? "已更换阀芯, 不再漏水" : ""};
    if (rc == GJ_OK)
        rc = gj_wo_do(c->db, c->butler, GJ_ROLE_BUTLER, &wo, &step, err);
    return rc;
}

/* ---- fees (src/tui/fees.c: save_payment, print_receipt) ---- */

static int do_payment(struct stress_ctx *c, struct stress_outcome *o, struct gj_error *err)
{
    static const char *const methods[] = {"cash", "wechat", "alipay", "card", "transfer"};
    struct gj_payment p;
    memset(&p, 0, sizeof p);
    p.unit_id = any_unit(c);
    snprintf(p.payer_name, sizeof p.payer_name, "业主%d", c->proc);
    snprintf(p.method, sizeof p.method, "%s", methods[stress_rand(c, 5)]);
    p.amount_fen = 1000 + 100 * (int64_t)stress_rand(c, 500);
    int64_t credit = 0;
    int rc = gj_payment_take(c->db, c->butler, &p, NULL, 0, NULL, NULL, &credit, err);
    if (rc != GJ_OK)
        return rc;
    o->receipt_no = p.receipt_no;
    o->payment_id = p.id;
    o->unit_id = p.unit_id;
    o->amount_fen = p.amount_fen;
    rc = gj_receipt_print(c->db, GJ_ROLE_BUTLER, c->butler, &p, o->receipt_path,
                          sizeof o->receipt_path, err);
    o->printed = rc == GJ_OK;
    return rc;
}

/* ---- complaints (src/tui/complaints.c: save_intake, run_step) ---- */

static int do_complaint(struct stress_ctx *c, struct gj_error *err)
{
    static const char *const categories[] = {"noise", "sanitation", "parking", "repair_quality"};
    struct gj_complaint cp;
    memset(&cp, 0, sizeof cp);
    cp.unit_id = any_unit(c);
    snprintf(cp.channel, sizeof cp.channel, "%s", "phone");
    snprintf(cp.subject, sizeof cp.subject, "压力测试投诉 %d-%ld", c->proc, c->seq);
    snprintf(cp.category, sizeof cp.category, "%s", categories[stress_rand(c, 4)]);
    snprintf(cp.grade, sizeof cp.grade, "%s", stress_rand(c, 4) ? "minor" : "moderate");
    snprintf(cp.detail, sizeof cp.detail, "%s", "楼上夜间噪音, 已多次沟通无果");
    return gj_complaint_take(c->db, c->butler, GJ_ROLE_BUTLER, &cp, err);
}

/* The user a complaint's grade needs (minor butler, moderate supervisor,
 * serious manager) and that user's role. */
static int64_t handler(const struct stress_ctx *c, const struct gj_complaint *cp,
                       enum gj_role *role)
{
    if (strcmp(cp->grade, "serious") == 0) {
        *role = GJ_ROLE_MANAGER;
        return c->manager;
    }
    if (strcmp(cp->grade, "moderate") == 0) {
        *role = GJ_ROLE_SUPERVISOR;
        return c->supervisor;
    }
    *role = GJ_ROLE_BUTLER;
    return c->butler;
}

static int pick_complaint(struct stress_ctx *c, const char *grade, struct gj_complaint *out,
                          struct gj_error *err)
{
    static struct gj_complaint rows[50];
    int n = 0;
    int rc = gj_complaint_list_open(c->db, 0, 0, 50, rows, &n, err);
    if (rc != GJ_OK)
        return rc;
    int start = (int)stress_rand(c, n > 0 ? (uint32_t)n : 1);
    for (int i = 0; i < n; i++) {
        const struct gj_complaint *cp = &rows[(start + i) % n];
        if (!grade || strcmp(cp->grade, grade) == 0) {
            *out = *cp;
            return GJ_OK;
        }
    }
    return GJ_ENOTFOUND;
}

static int do_handle(struct stress_ctx *c, struct stress_outcome *o, struct gj_error *err)
{
    struct gj_complaint cp;
    int rc = pick_complaint(c, NULL, &cp, err);
    if (rc == GJ_ENOTFOUND) {
        o->skipped = 1;
        return GJ_OK;
    }
    if (rc != GJ_OK)
        return rc;
    struct gj_complaint_step step;
    memset(&step, 0, sizeof step);
    if (strcmp(cp.state, "open") == 0) {
        step.event = "acknowledge";
        step.note = "已致电业主, 马上处理";
    } else {
        step.event = "resolve";
        step.action_taken = "上门协调, 双方达成一致";
        step.result = "噪音已停止";
        step.root_cause = "装修未按时段施工";
        step.corrective = "加强装修时段巡查";
    }
    enum gj_role role;
    int64_t actor = handler(c, &cp, &role);
    return gj_complaint_do(c->db, actor, role, &cp, &step, err);
}

static int do_escalate(struct stress_ctx *c, struct stress_outcome *o, struct gj_error *err)
{
    /* What the console runs on its clock tick (src/tui/app.c). */
    long checked = 0, recorded = 0;
    int rc = gj_complaint_escalate_due(c->db, gj_now(), &checked, &recorded, err);
    if (rc != GJ_OK)
        return rc;
    /* Then the supervisor raises a complaint's grade by one. */
    struct gj_complaint cp;
    const char *from = stress_rand(c, 2) ? "minor" : "moderate";
    rc = pick_complaint(c, from, &cp, err);
    if (rc == GJ_ENOTFOUND) {
        from = strcmp(from, "minor") == 0 ? "moderate" : "minor";
        rc = pick_complaint(c, from, &cp, err);
    }
    if (rc == GJ_ENOTFOUND) {
        o->skipped = recorded == 0;
        return GJ_OK;
    }
    if (rc != GJ_OK)
        return rc;
    struct gj_complaint_step step;
    memset(&step, 0, sizeof step);
    step.event = "regrade";
    step.grade = strcmp(from, "minor") == 0 ? "moderate" : "serious";
    step.note = "业主多次投诉, 升级处理";
    return gj_complaint_do(c->db, c->supervisor, GJ_ROLE_SUPERVISOR, &cp, &step, err);
}

/* ---- the owner record (src/tui/owners.c: save_person) ---- */

static int do_owner_edit(struct stress_ctx *c, struct stress_outcome *o, struct gj_error *err)
{
    struct gj_person p;
    int rc = gj_person_get(c->db, c->owner_id, &p, err);
    if (rc != GJ_OK)
        return rc;
    int64_t read_version = p.meta.version;
    /* The butler types for a moment. */
    stress_sleep_ms(1 + stress_rand(c, (uint32_t)c->owner_pause_max_ms * 1000) / 1000.0);
    snprintf(p.notes, sizeof p.notes, "stress p%d n%ld", c->proc, c->seq);
    /* What this save makes, if it is not refused. */
    o->owner_version = read_version + 1;
    snprintf(o->owner_notes, sizeof o->owner_notes, "%s", p.notes);
    return gj_person_update(c->db, c->butler, &p, err);
}

int stress_do(struct stress_ctx *c, enum stress_kind k, struct stress_outcome *o,
              struct gj_error *err)
{
    memset(o, 0, sizeof *o);
    gj_err_clear(err);
    c->seq++;
    switch (k) {
    case K_INTAKE:
        return do_intake(c, err);
    case K_DISPATCH:
        return do_dispatch(c, o, err);
    case K_PROGRESS:
        return do_progress(c, o, err);
    case K_PAYMENT:
        return do_payment(c, o, err);
    case K_COMPLAINT:
        return do_complaint(c, err);
    case K_HANDLE:
        return do_handle(c, o, err);
    case K_ESCALATE:
        return do_escalate(c, o, err);
    case K_OWNER_EDIT:
        return do_owner_edit(c, o, err);
    case K_COUNT:
        break;
    }
    return gj_err(err, GJ_EINVAL, "unknown action %d", (int)k);
}

struct check_ctx {
    FILE *f;
};

static void report_check(const struct gj_check_result *r, void *ctx)
{
    struct check_ctx *cc = ctx;
    if (r->problems && cc->f)
        fprintf(cc->f, "guanjia-stress: check failed: %s: %lld problem(s), e.g. %s\n", r->name,
                (long long)r->problems, r->example);
}

int stress_check(struct gj_db *db, FILE *f, struct gj_error *err)
{
    struct check_ctx cc = {f};
    int failures = 0;
    if (gj_check_run(db, report_check, &cc, &failures, err) != GJ_OK)
        return -1;
    return failures;
}

int stress_payments(struct gj_db *db, int64_t *n, struct gj_error *err)
{
    struct gj_estate_counts counts;
    int rc = gj_estate_count(db, &counts, err);
    if (rc == GJ_OK)
        *n = counts.payments;
    return rc;
}
