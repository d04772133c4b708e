/* guanjia demo [--scale small|large]: a deterministic, realistic estate.
 *
 * Everything is generated from a fixed seed and from "now" (GUANJIA_NOW
 * fixes it), so the same command gives the same estate. A few residents are
 * fixed so that the README, the tests and the training can rely on them:
 *   张三 13800138000 owns 3-2-501 (family: 李梅, 张小宝), pays on time;
 *   李四 13900139000 rents 5-1-302 from 王五 13700137000;
 *   赵六 13600136000 owns 2-1-1201 and has paid nothing for 6 months;
 *   曾单 13500135000 owns 1-1-101 (a name with polyphonic characters).
 * Users (password in brackets): manager 王经理 (manager123), supervisor
 * 李主管 (supervisor123), butler 张管家 (butler123), butler2 陈管家
 * (butler123), trainee 小刘 (trainee123). */
#include "cli.h"

#include "guanjia/billing.h"
#include "guanjia/clock.h"
#include "guanjia/complaint_rules.h"
#include "guanjia/db.h"
#include "guanjia/i18n.h"
#include "guanjia/repo_bulk.h"
#include "guanjia/repo_check.h"
#include "guanjia/repo_fees.h"
#include "guanjia/repo_owners.h"
#include "guanjia/repo_settings.h"
#include "guanjia/repo_staff.h"
#include "guanjia/repo_users.h"
#include "guanjia/sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DAY  86400
#define HOUR 3600

struct scale {
    const char *name;
    int buildings, entrances, floors_low, floors_high, rooms_per_floor;
    int extra_persons_per_unit_x10; /* household members beyond the owner, x10 */
    int months;                     /* months of bills */
    int pay_every;                  /* months between a good payer's payments */
    long work_orders;
    int wo_window_days;
    long complaints;
    int extra_fixed_fee; /* also bill a fixed monthly fee */
    int parking_spaces;
};

static const struct scale scales[] = {
    {"small", 8, 2, 18, 21, 2, 12, 12, 1, 400, 120, 60, 0, 250},
    {"large", 100, 2, 25, 25, 4, 22, 48, 6, 1000000, 1095, 100000, 1, 2000},
};

/* ---- deterministic randomness -------------------------------------------- */

static uint64_t rng_state = UINT64_C(0x6775616E6A696121); /* "guanjia!" */

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* 0 <= r < n */
static long pick(long n)
{
    return n <= 0 ? 0 : (long)(rnd() % (uint64_t)n);
}

static int chance(int percent)
{
    return pick(100) < percent;
}

#define PICK(arr) (arr[pick((long)(sizeof arr / sizeof arr[0]))])

/* ---- the words of a Chinese estate ---------------------------------------- */

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐",   "孙",   "马",  "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许",   "韩",   "冯",  "邓", "曹",
    "彭", "萧", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶",   "程",   "苏",  "魏", "吕",
    "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪",   "范",   "金",  "石", "廖",
    "贾", "夏", "韦", "方", "白", "邹", "孟", "熊", "秦", "江", "欧阳", "司马", "上官"};
static const char *const given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀", "霞", "平", "刚", "英", "华", "玉", "萍", "红", "兰", "建",
    "文", "辉", "力", "鹏", "飞", "宇", "浩", "欣", "怡", "佳", "琳", "晨", "雪", "梅",
    "婷", "俊", "博", "志", "海", "峰", "斌", "凯", "丹", "云", "龙", "亮", "颖", "莉",
    "帆", "新", "晓", "思", "雨", "子", "涵", "轩", "然", "泽", "一", "诗", "嘉", "瑞"};

struct category {
    const char *code;
    const char *department; /* code of the department that does it */
    int weight;
    const char *const *texts;
    int n_texts;
};

static const char *const repair_texts[] = {"卫生间天花板漏水，滴到洗手台上",
                                           "厨房下水道堵塞，水排不下去",
                                           "入户门锁芯损坏，钥匙拧不动",
                                           "客厅吊灯不亮，换了灯泡也不行",
                                           "阳台地漏返水有异味",
                                           "楼道感应灯不亮",
                                           "电梯按钮失灵",
                                           "水龙头一直滴水关不紧",
                                           "窗户密封条脱落，下雨渗水",
                                           "暖气片不热",
                                           "墙面开裂掉皮",
                                           "对讲门铃没有声音"};
static const char *const cleaning_texts[] = {"楼道堆放的垃圾几天没人清理", "电梯轿厢有异味",
                                             "地下车库积水需要清扫", "单元门口有宠物粪便",
                                             "垃圾桶满了溢出来"};
static const char *const landscaping_texts[] = {"绿化带杂草太多", "树枝伸到窗前挡光，需要修剪",
                                                "草坪喷灌水管破裂", "花坛里的花枯死了"};
static const char *const security_texts[] = {"陌生人尾随进入单元门", "车库道闸抬不起来",
                                             "夜里楼下有人喧哗", "单元门禁刷卡失灵",
                                             "消防通道被车辆占用"};
static const char *const enquiry_texts[] = {"咨询物业费缴纳方式", "咨询装修申请流程",
                                            "咨询车位租赁价格", "咨询快递柜怎么使用",
                                            "咨询门禁卡补办"};
static const char *const suggestion_texts[] = {"建议增设儿童游乐设施", "建议增加电动车充电桩",
                                               "建议延长会所开放时间", "建议在单元门口加装雨棚"};
static const char *const other_texts[] = {"邻居装修时间太长，影响休息", "捡到一串钥匙，登记招领",
                                          "想借用会议室开业主座谈会"};

#define TEXTS(a) a, (int)(sizeof a / sizeof a[0])
static const struct category categories[] = {
    {"repair", "maintenance", 45, TEXTS(repair_texts)},
    {"cleaning", "cleaning", 12, TEXTS(cleaning_texts)},
    {"landscaping", "landscaping", 6, TEXTS(landscaping_texts)},
    {"security", "security", 8, TEXTS(security_texts)},
    {"enquiry", "customer_service", 15, TEXTS(enquiry_texts)},
    {"suggestion", "customer_service", 6, TEXTS(suggestion_texts)},
    {"other", "customer_service", 8, TEXTS(other_texts)},
};

struct complaint_kind {
    const char *category;
    const char *subject;
    const char *detail;
};
static const struct complaint_kind complaint_kinds[] = {
    {"attitude", "前台人员态度冷淡", "业主来前台咨询，工作人员一直看手机，回答不耐烦。"},
    {"repair_quality", "维修后又漏水", "上周修过的卫生间漏水，今天又开始滴水。"},
    {"noise", "楼上夜间噪音", "楼上住户每晚十一点后还在拖动家具，影响休息。"},
    {"sanitation", "垃圾清运不及时", "单元门口垃圾桶连续两天没有清运，气味很大。"},
    {"security", "门禁形同虚设", "单元门常被人用砖头顶住，外来人员随意进出。"},
    {"fees", "物业费账单有误", "本月账单面积按120平米计算，房产证是98平米。"},
    {"parking", "车位被他人占用", "本人购买的车位经常被外来车辆占用，保安不处理。"},
    {"neighbour", "邻居占用公共走廊", "邻居在走廊堆放杂物和鞋柜，影响通行和消防安全。"},
    {"other", "快递柜收费不合理", "快递柜超时收费太高，希望物业出面协调。"},
};

static const char *const channels[] = {"phone",   "phone",   "phone", "wechat", "wechat",
                                       "walk_in", "walk_in", "email", "other"};
static const char *const methods[] = {"wechat", "wechat", "alipay",  "alipay",
                                      "cash",   "card",   "transfer"};

/* ---- the generator -------------------------------------------------------- */

struct demo {
    struct gj_db *db;
    const struct scale *sc;
    int64_t now;
    int this_month;
    struct gj_error err;
    /* users */
    int64_t manager, supervisor, butler, butler2, trainee;
    /* departments by code, and their staff (first id and count) */
    struct {
        const char *code;
        int64_t id;
        int64_t first_staff;
        int n_staff;
    } depts[7];
    int64_t fee_property, fee_parking, fee_fixed;
    int64_t rate_property, rate_parking, rate_fixed;
    struct gj_sla_target wo_sla[4], c_sla[3];
    /* what was made */
    int64_t n_units, n_persons, n_bills, n_payments, n_orders, n_complaints;
    int64_t first_unit, last_unit, first_person, last_person;
    char phone_seq[16];
    long phone_counter;
};

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        if ((expr) != GJ_OK)                                                                       \
            return d->err.code;                                                                    \
    } while (0)

static int64_t dept_id(struct demo *d, const char *code)
{
    for (size_t i = 0; i < sizeof d->depts / sizeof d->depts[0]; i++)
        if (d->depts[i].code && strcmp(d->depts[i].code, code) == 0)
            return d->depts[i].id;
    return 0;
}

static int64_t dept_staff(struct demo *d, const char *code)
{
    for (size_t i = 0; i < sizeof d->depts / sizeof d->depts[0]; i++)
        if (d->depts[i].code && strcmp(d->depts[i].code, code) == 0 && d->depts[i].n_staff)
            return d->depts[i].first_staff + pick(d->depts[i].n_staff);
    return 0;
}

static void random_name(char *out, size_t outsz)
{
    const char *s = PICK(surnames);
    if (chance(60))
        snprintf(out, outsz, "%s%s%s", s, PICK(given), PICK(given));
    else
        snprintf(out, outsz, "%s%s", s, PICK(given));
}

/* Unique mobile numbers: a prefix and a counter mixed so they look random. */
static void next_phone(struct demo *d, char *out, size_t outsz)
{
    static const char *const prefixes[] = {"135", "136", "137", "138", "139", "150", "151",
                                           "152", "158", "159", "186", "187", "188", "189"};
    long k = d->phone_counter++;
    /* 10^8 numbers per prefix; a multiplicative permutation spreads them. */
    long mixed = (long)(((uint64_t)k * UINT64_C(48271) + 12345) % UINT64_C(100000000));
    snprintf(out, outsz, "%s%08ld", prefixes[k % 14], mixed);
}

static int make_users(struct demo *d)
{
    static const struct {
        const char *login, *name, *role, *rank, *password;
    } users[] = {
        {"manager", "王经理", "manager", "head", "manager123"},
        {"supervisor", "李主管", "supervisor", "head", "supervisor123"},
        {"butler", "张管家", "butler", "butler", "butler123"},
        {"butler2", "陈管家", "butler", "assistant", "butler123"},
        {"trainee", "小刘", "trainee", "trainee", "trainee123"},
    };
    int64_t *ids[] = {&d->manager, &d->supervisor, &d->butler, &d->butler2, &d->trainee};
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        struct gj_user u;
        memset(&u, 0, sizeof u);
        snprintf(u.login, sizeof u.login, "%s", users[i].login);
        snprintf(u.name, sizeof u.name, "%s", users[i].name);
        snprintf(u.role, sizeof u.role, "%s", users[i].role);
        snprintf(u.rank, sizeof u.rank, "%s", users[i].rank);
        u.active = 1;
        TRY(gj_user_create(d->db, 0, &u, users[i].password, &d->err));
        *ids[i] = u.id;
    }
    return GJ_OK;
}

static int make_departments(struct demo *d)
{
    static const struct {
        const char *code, *name;
        int staff;
    } depts[] = {
        {"customer_service", "客服中心", 4}, {"maintenance", "工程维修部", 6},
        {"cleaning", "保洁部", 4},           {"landscaping", "绿化部", 2},
        {"security", "秩序维护部", 5},       {"finance", "财务部", 2},
        {"management", "管理处", 2},
    };
    for (size_t i = 0; i < sizeof depts / sizeof depts[0]; i++) {
        struct gj_department dep;
        memset(&dep, 0, sizeof dep);
        snprintf(dep.name, sizeof dep.name, "%s", depts[i].name);
        snprintf(dep.kind, sizeof dep.kind, "%s", depts[i].code);
        dep.active = 1;
        TRY(gj_department_create(d->db, 0, &dep, &d->err));
        d->depts[i].code = depts[i].code;
        d->depts[i].id = dep.id;
        for (int k = 0; k < depts[i].staff; k++) {
            struct gj_staff s;
            memset(&s, 0, sizeof s);
            s.department_id = dep.id;
            s.active = 1;
            random_name(s.name, sizeof s.name);
            next_phone(d, s.phone, sizeof s.phone);
            snprintf(s.title, sizeof s.title, "%s", k == 0 ? "主管" : "专员");
            TRY(gj_staff_create(d->db, 0, &s, &d->err));
            if (k == 0)
                d->depts[i].first_staff = s.id;
            d->depts[i].n_staff++;
        }
    }
    return GJ_OK;
}

static int make_fee_items(struct demo *d)
{
    int from = gj_month_add(d->this_month, -(d->sc->months + 12));
    struct gj_fee_item items[3];
    memset(items, 0, sizeof items);
    snprintf(items[0].name, sizeof items[0].name, "%s", "物业费");
    snprintf(items[0].kind, sizeof items[0].kind, "%s", "per_m2");
    items[0].rate_fen = 280; /* 2.80 yuan per m2 per month */
    snprintf(items[1].name, sizeof items[1].name, "%s", "停车费");
    snprintf(items[1].kind, sizeof items[1].kind, "%s", "per_space");
    items[1].rate_fen = 30000; /* 300 yuan per space per month */
    snprintf(items[2].name, sizeof items[2].name, "%s", "垃圾清运费");
    snprintf(items[2].kind, sizeof items[2].kind, "%s", "fixed");
    items[2].rate_fen = 1000; /* 10 yuan per month */
    int n = d->sc->extra_fixed_fee ? 3 : 2;
    int64_t *ids[] = {&d->fee_property, &d->fee_parking, &d->fee_fixed};
    int64_t *rates[] = {&d->rate_property, &d->rate_parking, &d->rate_fixed};
    for (int i = 0; i < n; i++) {
        items[i].active_from = from;
        TRY(gj_fee_item_create(d->db, d->manager, &items[i], &d->err));
        *ids[i] = items[i].id;
        *rates[i] = items[i].rate_fen;
    }
    return GJ_OK;
}

static int load_sla(struct demo *d)
{
    static const char *const wo_levels[] = {"urgent", "high", "normal", "low"};
    static const char *const c_levels[] = {"minor", "moderate", "serious"};
    for (int i = 0; i < 4; i++)
        TRY(gj_sla_get(d->db, "work_order", wo_levels[i], &d->wo_sla[i], &d->err));
    for (int i = 0; i < 3; i++)
        TRY(gj_sla_get(d->db, "complaint", c_levels[i], &d->c_sla[i], &d->err));
    return GJ_OK;
}

/* ---- units, households, fees ---------------------------------------------- */

struct fixed_resident {
    int building, entrance, room;
    const char *owner, *owner_phone;
    const char *family[2];
    const char *tenant, *tenant_phone;
    int stop_paying_months; /* 0 = pays on time */
};

static const struct fixed_resident fixed[] = {
    {3, 2, 501, "张三", "13800138000", {"李梅", "张小宝"}, NULL, NULL, 0},
    {5, 1, 302, "王五", "13700137000", {NULL, NULL}, "李四", "13900139000", 0},
    {2, 1, 1201, "赵六", "13600136000", {"钱七", NULL}, NULL, NULL, 6},
    {1, 1, 101, "曾单", "13500135000", {NULL, NULL}, NULL, NULL, 0},
};

static const struct fixed_resident *fixed_at(int b, int e, int r)
{
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (fixed[i].building == b && fixed[i].entrance == e && fixed[i].room == r)
            return &fixed[i];
    return NULL;
}

static int add_person(struct demo *d, const char *name, const char *phone, int64_t *id)
{
    struct gj_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", name);
    if (phone)
        snprintf(p.phone, sizeof p.phone, "%s", phone);
    else
        next_phone(d, p.phone, sizeof p.phone);
    TRY(gj_person_create(d->db, 0, &p, &d->err));
    *id = p.id;
    d->n_persons++;
    if (!d->first_person)
        d->first_person = p.id;
    d->last_person = p.id;
    return GJ_OK;
}

static int link(struct demo *d, int64_t unit, int64_t person, const char *relation, int64_t start)
{
    struct gj_unit_person l;
    memset(&l, 0, sizeof l);
    l.unit_id = unit;
    l.person_id = person;
    snprintf(l.relation, sizeof l.relation, "%s", relation);
    l.start_at = start;
    return gj_unit_person_add(d->db, 0, &l, &d->err);
}

/* One household's fee history: the months' bills and its payments, worked
 * out in memory first (oldest bills settled first, as at the desk), then
 * written: each bill with what was finally paid on it, then each payment
 * with its allocations. */
enum { MAX_BILLS = 256, MAX_PAYMENTS = 64, MAX_LINES = 1024 };

struct history {
    struct gj_bill bills[MAX_BILLS];
    struct gj_open_bill open[MAX_BILLS]; /* bill_id holds the index into bills */
    size_t n_bills;
    struct gj_payment pays[MAX_PAYMENTS];
    size_t first_line[MAX_PAYMENTS + 1];
    size_t n_pays;
    struct gj_allocation lines[MAX_LINES]; /* bill_id holds the index into bills */
    size_t n_lines;
};

static int add_month_bills(struct demo *d, struct history *h, const struct gj_unit *u,
                           int64_t space_id, int period)
{
    int64_t start = gj_month_start(period);
    const struct {
        int64_t item, rate, quantity, space;
        const char *kind;
    } charges[] = {
        {d->fee_property, d->rate_property, u->area_centi_m2, 0, "per_m2"},
        {space_id ? d->fee_parking : 0, d->rate_parking, 1, space_id, "per_space"},
        {d->fee_fixed, d->rate_fixed, 1, 0, "fixed"},
    };
    for (size_t k = 0; k < sizeof charges / sizeof charges[0]; k++) {
        if (!charges[k].item)
            continue;
        if (h->n_bills >= MAX_BILLS)
            return gj_err(&d->err, GJ_EINVAL, "demo: too many bills for one unit");
        struct gj_bill *b = &h->bills[h->n_bills];
        memset(b, 0, sizeof *b);
        b->unit_id = u->id;
        b->fee_item_id = charges[k].item;
        b->parking_space_id = charges[k].space;
        b->period = period;
        b->quantity = charges[k].quantity;
        b->rate_fen = charges[k].rate;
        b->amount_fen = gj_bill_amount(charges[k].kind, b->rate_fen, b->quantity);
        b->due_at = start + 14 * DAY;
        b->created_at = start + HOUR;
        h->open[h->n_bills] = (struct gj_open_bill){(int64_t)h->n_bills, b->amount_fen, 0};
        h->n_bills++;
    }
    return GJ_OK;
}

/* Pays amount against the open bills, oldest first. */
static int add_payment(struct demo *d, struct history *h, const struct gj_unit *u,
                       const char *payer, int64_t amount, int64_t at)
{
    struct gj_open_bill open[MAX_BILLS];
    size_t n_open = 0;
    for (size_t i = 0; i < h->n_bills; i++)
        if (h->open[i].paid_fen < h->open[i].amount_fen)
            open[n_open++] = h->open[i];
    struct gj_alloc_line got[MAX_BILLS];
    size_t n_got = 0;
    int64_t credit = 0;
    if (h->n_pays >= MAX_PAYMENTS ||
        gj_allocate(open, n_open, amount, got, &n_got, &credit) != GJ_OK ||
        h->n_lines + n_got > MAX_LINES)
        return gj_err(&d->err, GJ_EINVAL, "demo: cannot allocate a payment");
    struct gj_payment *p = &h->pays[h->n_pays];
    memset(p, 0, sizeof *p);
    p->unit_id = u->id;
    snprintf(p->payer_name, sizeof p->payer_name, "%s", payer);
    snprintf(p->method, sizeof p->method, "%s", PICK(methods));
    p->amount_fen = amount;
    p->created_at = at;
    p->created_by = chance(50) ? d->butler : d->butler2;
    h->first_line[h->n_pays] = h->n_lines;
    for (size_t j = 0; j < n_got; j++) {
        size_t bi = (size_t)got[j].bill_id;
        h->open[bi].paid_fen += got[j].amount_fen;
        h->lines[h->n_lines++] = (struct gj_allocation){0, 0, (int64_t)bi, got[j].amount_fen};
    }
    h->n_pays++;
    h->first_line[h->n_pays] = h->n_lines;
    return GJ_OK;
}

static int64_t outstanding(const struct history *h)
{
    int64_t due = 0;
    for (size_t i = 0; i < h->n_bills; i++)
        due += h->open[i].amount_fen - h->open[i].paid_fen;
    return due;
}

static int write_history(struct demo *d, struct history *h)
{
    for (size_t i = 0; i < h->n_bills; i++) {
        h->bills[i].paid_fen = h->open[i].paid_fen;
        TRY(gj_bulk_bill(d->db, &h->bills[i], &d->err));
        d->n_bills++;
    }
    for (size_t k = 0; k < h->n_pays; k++) {
        struct gj_allocation *lines = &h->lines[h->first_line[k]];
        size_t n = h->first_line[k + 1] - h->first_line[k];
        for (size_t j = 0; j < n; j++)
            lines[j].bill_id = h->bills[lines[j].bill_id].id;
        TRY(gj_bulk_payment(d->db, &h->pays[k], lines, (int)n, &d->err));
        d->n_payments++;
    }
    return GJ_OK;
}

static int bill_and_pay(struct demo *d, const struct gj_unit *u, int64_t space_id,
                        const char *payer, int stop_paying_months, int64_t payer_person)
{
    static struct history h;
    h.n_bills = h.n_pays = h.n_lines = 0;
    int behaviour = (int)pick(100); /* < 75 good, < 90 late, else bad */
    int stop = stop_paying_months;
    if (stop == 0 && !fixed_at(u->building, u->entrance, u->room)) {
        if (behaviour >= 90)
            stop = 4 + (int)pick(8);
        else if (behaviour >= 75)
            stop = 1 + (int)pick(3);
    }
    int every = d->sc->pay_every;
    if (every == 1 && behaviour < 25)
        every = 3;
    for (int m = d->sc->months - 1; m >= 0; m--) {
        int period = gj_month_add(d->this_month, -m);
        TRY(add_month_bills(d, &h, u, space_id, period));
        /* Pay what is open, on the 5th to 20th, unless this household stopped. */
        int pays = m >= stop && (m % every == 0 || m == stop);
        int64_t due = outstanding(&h);
        if (!pays || due <= 0)
            continue;
        int64_t amount = due;
        if (chance(3))
            amount = (due / 10000 + 1) * 10000; /* rounded up: the rest is credit */
        else if (behaviour >= 90 && chance(30))
            amount = due / 2 > 0 ? due / 2 : due; /* a partial payment */
        int64_t at =
            gj_month_start(period) + (4 + pick(16)) * DAY + (9 + pick(9)) * HOUR + pick(3600);
        if (at > d->now)
            at = d->now - pick(3 * HOUR) - 60;
        TRY(add_payment(d, &h, u, payer, amount, at));
    }
    TRY(write_history(d, &h));
    /* Households behind on fees have been chased. */
    if (stop > 0 && outstanding(&h) > 0) {
        struct gj_dunning dn;
        memset(&dn, 0, sizeof dn);
        dn.unit_id = u->id;
        dn.person_id = payer_person;
        snprintf(dn.channel, sizeof dn.channel, "%s", chance(60) ? "phone" : "wechat");
        int promised = chance(50);
        snprintf(dn.result, sizeof dn.result, "%s",
                 promised ? "promised" : (chance(50) ? "no_answer" : "disputed"));
        dn.at = d->now - (1 + pick(20)) * DAY;
        if (promised)
            dn.promised_at = d->now + pick(10) * DAY;
        snprintf(dn.note, sizeof dn.note, "%s", promised ? "业主答应尽快缴清" : "再联系");
        dn.user_id = d->butler;
        TRY(gj_bulk_dunning(d->db, &dn, &d->err));
    }
    return GJ_OK;
}

static int make_estate(struct demo *d)
{
    const struct scale *sc = d->sc;
    long total = (long)sc->buildings * sc->entrances * sc->rooms_per_floor *
                 (sc->floors_low + sc->floors_high) / 2;
    long done = 0;
    int64_t delivered = gj_month_start(gj_month_add(d->this_month, -(sc->months + 6)));
    int spaces_left = sc->parking_spaces;
    int space_no = 0;
    for (int b = 1; b <= sc->buildings; b++) {
        int floors = b <= sc->buildings * 3 / 4 ? sc->floors_low : sc->floors_high;
        for (int e = 1; e <= sc->entrances; e++) {
            for (int f = 1; f <= floors; f++) {
                for (int r = 1; r <= sc->rooms_per_floor; r++) {
                    struct gj_unit u;
                    memset(&u, 0, sizeof u);
                    u.building = b;
                    u.entrance = e;
                    u.floor = f;
                    u.room = f * 100 + r;
                    u.area_centi_m2 = 6800 + pick(7200) + (r == 1 ? 2000 : 0);
                    const struct fixed_resident *fx = fixed_at(b, e, u.room);
                    int unsold = !fx && chance(2);
                    snprintf(u.status, sizeof u.status, "%s",
                             unsold ? "unsold"
                                    : (fx || chance(90) ? "occupied"
                                                        : (chance(70) ? "vacant" : "renovating")));
                    u.delivered_at = unsold ? 0 : delivered;
                    TRY(gj_unit_create(d->db, 0, &u, &d->err));
                    d->n_units++;
                    if (!d->first_unit)
                        d->first_unit = u.id;
                    d->last_unit = u.id;
                    gj_progress(_("Units and households"), ++done, total);
                    if (unsold)
                        continue;

                    char name[GJ_NAME_BYTES];
                    int64_t owner, payer_person;
                    const char *owner_name = fx ? fx->owner : NULL;
                    if (!owner_name) {
                        random_name(name, sizeof name);
                        owner_name = name;
                    }
                    char owner_copy[GJ_NAME_BYTES];
                    snprintf(owner_copy, sizeof owner_copy, "%s", owner_name);
                    TRY(add_person(d, owner_copy, fx ? fx->owner_phone : NULL, &owner));
                    TRY(link(d, u.id, owner, "owner", delivered));
                    payer_person = owner;
                    const char *payer = owner_copy;
                    char tenant_name[GJ_NAME_BYTES] = "";
                    int rented = fx ? fx->tenant != NULL : chance(15);
                    if (rented) {
                        int64_t tenant;
                        if (fx)
                            snprintf(tenant_name, sizeof tenant_name, "%s", fx->tenant);
                        else
                            random_name(tenant_name, sizeof tenant_name);
                        TRY(add_person(d, tenant_name, fx ? fx->tenant_phone : NULL, &tenant));
                        TRY(link(d, u.id, tenant, "tenant", d->now - (30 + pick(600)) * DAY));
                        payer = tenant_name;
                        payer_person = tenant;
                    } else if (fx) {
                        for (int k = 0; k < 2; k++) {
                            int64_t member;
                            if (!fx->family[k])
                                continue;
                            TRY(add_person(d, fx->family[k], NULL, &member));
                            TRY(link(d, u.id, member, "family", delivered));
                        }
                    } else {
                        int members =
                            (int)((pick(sc->extra_persons_per_unit_x10 * 2 + 1) + 5) / 10);
                        for (int k = 0; k < members; k++) {
                            int64_t member;
                            random_name(name, sizeof name);
                            TRY(add_person(d, name, NULL, &member));
                            TRY(link(d, u.id, member, "family", delivered));
                        }
                    }
                    /* A car and a parking space for some households. */
                    int64_t space_id = 0;
                    if (spaces_left > 0 && (fx ? fx == &fixed[0] : chance(35))) {
                        struct gj_vehicle v;
                        memset(&v, 0, sizeof v);
                        v.person_id = owner;
                        v.unit_id = u.id;
                        static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
                        snprintf(v.plate, sizeof v.plate, "粤B%c%05ld", letters[pick(24)],
                                 (long)((space_no * 7919L + 1031) % 100000));
                        snprintf(v.description, sizeof v.description, "%s",
                                 chance(50) ? "白色轿车" : "黑色SUV");
                        TRY(gj_vehicle_create(d->db, 0, &v, &d->err));
                        struct gj_parking_space ps;
                        memset(&ps, 0, sizeof ps);
                        snprintf(ps.code, sizeof ps.code, "B%d-%04d", 1 + space_no / 1000,
                                 space_no % 1000 + 1);
                        snprintf(ps.zone, sizeof ps.zone, "%s", "地下车库");
                        snprintf(ps.kind, sizeof ps.kind, "%s", chance(60) ? "owned" : "rented");
                        ps.unit_id = u.id;
                        ps.vehicle_id = v.id;
                        ps.assigned_at = delivered;
                        TRY(gj_parking_create(d->db, 0, &ps, &d->err));
                        space_id = ps.id;
                        space_no++;
                        spaces_left--;
                    }
                    TRY(bill_and_pay(d, &u, space_id, payer, fx ? fx->stop_paying_months : 0,
                                     payer_person));
                }
            }
        }
    }
    /* Visitor spaces that nobody holds. */
    for (int k = 0; k < 20; k++) {
        struct gj_parking_space ps;
        memset(&ps, 0, sizeof ps);
        snprintf(ps.code, sizeof ps.code, "V-%03d", k + 1);
        snprintf(ps.zone, sizeof ps.zone, "%s", "地面访客");
        snprintf(ps.kind, sizeof ps.kind, "%s", "visitor");
        TRY(gj_parking_create(d->db, 0, &ps, &d->err));
    }
    gj_progress_done();
    return GJ_OK;
}

/* ---- work orders ---------------------------------------------------------- */

static const struct category *pick_category(void)
{
    int total = 0;
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        total += categories[i].weight;
    long r = pick(total);
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++) {
        if (r < categories[i].weight)
            return &categories[i];
        r -= categories[i].weight;
    }
    return &categories[0];
}

static void add_wo_event(struct gj_wo_event *ev, int *n, int64_t at, int64_t user, const char *kind,
                         const char *from, const char *to, const char *note)
{
    /* Field by field: the structs hold large text buffers that a memset
     * would clear a million times over. */
    struct gj_wo_event *e = &ev[(*n)++];
    e->id = 0;
    e->work_order_id = 0;
    e->at = at;
    e->user_id = user;
    snprintf(e->kind, sizeof e->kind, "%s", kind);
    snprintf(e->from_state, sizeof e->from_state, "%s", from ? from : "");
    snprintf(e->to_state, sizeof e->to_state, "%s", to ? to : "");
    snprintf(e->note, sizeof e->note, "%s", note ? note : "");
}

/* The first link's person of a unit (the owner), or 0. */
static int64_t unit_owner(struct demo *d, int64_t unit_id)
{
    struct gj_unit_person l[1];
    int n = 0;
    struct gj_error e;
    if (gj_unit_persons_of_unit(d->db, unit_id, 1, l, &n, &e) != GJ_OK || n == 0)
        return 0;
    return l[0].person_id;
}

/* Clears a reused record without touching all of its text buffers: every
 * scalar is reset and every string emptied. Keep in step with model.h. */
static void wo_clear(struct gj_work_order *w)
{
    w->id = w->unit_id = w->person_id = 0;
    w->channel[0] = w->category[0] = w->priority[0] = w->state[0] = '\0';
    w->description[0] = w->promise_reason[0] = w->hold_reason[0] = '\0';
    w->resolution[0] = w->feedback[0] = w->cancel_reason[0] = '\0';
    w->appointment_at = w->respond_due_at = w->resolve_due_at = w->promised_at = 0;
    w->department_id = w->assignee_staff_id = 0;
    w->responded_at = w->resolved_at = w->closed_at = 0;
    w->paused_seconds = w->hold_started_at = 0;
    w->satisfaction = w->chase_count = 0;
    w->created_at = w->created_by = 0;
    w->meta = (struct gj_row_meta){0, 0, 0};
}

static void complaint_clear(struct gj_complaint *c)
{
    c->id = c->unit_id = c->person_id = 0;
    c->channel[0] = c->subject[0] = c->detail[0] = c->category[0] = c->grade[0] = '\0';
    c->state[0] = c->action_taken[0] = c->result[0] = c->root_cause[0] = '\0';
    c->corrective_action[0] = c->revisit_comment[0] = '\0';
    c->level = c->cycle = c->satisfaction = 0;
    c->assignee_user_id = c->ack_due_at = c->resolve_due_at = 0;
    c->acknowledged_at = c->resolved_at = c->revisit_due_at = c->revisited_at = 0;
    c->closed_at = c->created_at = c->created_by = 0;
    c->meta = (struct gj_row_meta){0, 0, 0};
}

static int make_work_orders(struct demo *d)
{
    static const char *const priorities[] = {"urgent", "high",   "high",   "normal", "normal",
                                             "normal", "normal", "normal", "low",    "low"};
    int64_t window = (int64_t)d->sc->wo_window_days * DAY;
    for (long i = 0; i < d->sc->work_orders; i++) {
        gj_progress(_("Work orders"), i + 1, d->sc->work_orders);
        const struct category *cat = pick_category();
        static struct gj_work_order wo;
        wo_clear(&wo);
        /* Spread evenly over the window, oldest first, with a little jitter. */
        int64_t left = d->sc->work_orders - i;
        int64_t age = (int64_t)((double)window * (double)left * (double)left /
                                ((double)d->sc->work_orders * (double)d->sc->work_orders)) -
                      pick(1800);
        if (age < 600)
            age = 600 + pick(1800);
        if (i >= d->sc->work_orders - 3)
            age = 60 + pick(200); /* just came in: not dispatched yet */
        wo.created_at = d->now - age;
        wo.unit_id = d->first_unit + pick(d->last_unit - d->first_unit + 1);
        wo.person_id = d->sc->work_orders <= 5000 ? unit_owner(d, wo.unit_id) : 0;
        snprintf(wo.channel, sizeof wo.channel, "%s", PICK(channels));
        snprintf(wo.category, sizeof wo.category, "%s", cat->code);
        int pi = (int)pick(10);
        const char *prio = strcmp(cat->code, "enquiry") == 0 ? "low" : priorities[pi];
        snprintf(wo.priority, sizeof wo.priority, "%s", prio);
        int level = strcmp(prio, "urgent") == 0   ? 0
                    : strcmp(prio, "high") == 0   ? 1
                    : strcmp(prio, "normal") == 0 ? 2
                                                  : 3;
        snprintf(wo.description, sizeof wo.description, "%s", cat->texts[pick(cat->n_texts)]);
        int64_t respond = d->wo_sla[level].respond_minutes * 60LL;
        int64_t resolve = d->wo_sla[level].resolve_minutes * 60LL;
        wo.respond_due_at = wo.created_at + respond;
        wo.resolve_due_at = wo.created_at + resolve;
        wo.created_by = chance(50) ? d->butler : d->butler2;
        wo.department_id = dept_id(d, cat->department);
        wo.assignee_staff_id = dept_staff(d, cat->department);

        static struct gj_wo_event ev[12];
        int n = 0;
        add_wo_event(ev, &n, wo.created_at, wo.created_by, "created", NULL, "new", NULL);
        /* How far did it get? Older orders got further. */
        int late = chance(12);
        int64_t t_dispatch =
            wo.created_at + respond / 3 + pick(respond / 2 + 1) + (late ? respond : 0);
        /* Some wait a while for the technician to turn up. */
        int stalls = chance(15) || i % 50 == 0;
        int64_t t_start = t_dispatch + pick(respond + 1) + (stalls ? resolve / 3 : 0);
        int64_t t_resolve = t_start + resolve / 4 + pick(resolve / 2 + 1) + (late ? resolve : 0);
        int64_t t_close = t_resolve + HOUR + pick(2 * DAY);
        const char *state = "new";
        int cancelled = chance(3);
        if (cancelled && t_dispatch < d->now) {
            state = "cancelled";
            snprintf(wo.cancel_reason, sizeof wo.cancel_reason, "%s", "业主已自行处理");
            add_wo_event(ev, &n, t_dispatch, wo.created_by, "cancelled", "new", "cancelled",
                         wo.cancel_reason);
            wo.department_id = 0;
            wo.assignee_staff_id = 0;
        } else {
            if (t_dispatch < d->now) {
                state = "dispatched";
                wo.responded_at = t_dispatch;
                add_wo_event(ev, &n, t_dispatch, wo.created_by, "dispatched", "new", "dispatched",
                             NULL);
                if (t_dispatch > wo.respond_due_at)
                    add_wo_event(ev, &n, wo.respond_due_at, 0, "respond_breached", NULL, NULL,
                                 NULL);
            } else {
                wo.department_id = 0;
                wo.assignee_staff_id = 0;
                if (d->now > wo.respond_due_at)
                    add_wo_event(ev, &n, wo.respond_due_at, 0, "respond_breached", NULL, NULL,
                                 NULL);
            }
            if (t_start < d->now && strcmp(state, "dispatched") == 0) {
                state = "in_progress";
                add_wo_event(ev, &n, t_start, 0, "started", "dispatched", "in_progress", NULL);
                /* Some wait for parts: the clock pauses. */
                if (chance(6)) {
                    int64_t held = t_start + HOUR;
                    if (held < d->now) {
                        add_wo_event(ev, &n, held, wo.created_by, "held", "in_progress", "on_hold",
                                     "等待配件");
                        int64_t resumed = held + DAY + pick(2 * DAY);
                        if (resumed < d->now && chance(70)) {
                            add_wo_event(ev, &n, resumed, wo.created_by, "resumed", "on_hold",
                                         "in_progress", NULL);
                            wo.paused_seconds = resumed - held;
                            t_resolve += wo.paused_seconds;
                            t_close += wo.paused_seconds;
                        } else {
                            state = "on_hold";
                            wo.hold_started_at = held;
                            snprintf(wo.hold_reason, sizeof wo.hold_reason, "%s", "parts");
                        }
                    }
                }
            }
            if (strcmp(state, "in_progress") == 0 && t_resolve < d->now) {
                state = "resolved";
                wo.resolved_at = t_resolve;
                snprintf(wo.resolution, sizeof wo.resolution, "%s", "已处理完毕，现场确认正常");
                add_wo_event(ev, &n, t_resolve, 0, "resolved", "in_progress", "resolved",
                             wo.resolution);
            }
            if (strcmp(state, "resolved") == 0 && t_close < d->now) {
                int sat = chance(8) ? 1 + (int)pick(2) : 3 + (int)pick(3);
                wo.satisfaction = sat;
                snprintf(wo.feedback, sizeof wo.feedback, "%s",
                         sat >= 4 ? "师傅很专业，满意" : (sat == 3 ? "还行" : "问题没解决"));
                if (sat <= 2) {
                    /* A poor rating reopens the order. */
                    add_wo_event(ev, &n, t_close, wo.created_by, "reopened", "resolved",
                                 "in_progress", wo.feedback);
                    state = "in_progress";
                    wo.resolved_at = 0;
                    wo.satisfaction = 0;
                } else {
                    state = "closed";
                    wo.closed_at = t_close;
                    add_wo_event(ev, &n, t_close, wo.created_by, "closed", "resolved", "closed",
                                 wo.feedback);
                }
            }
        }
        if (chance(4) && strcmp(state, "closed") != 0 && strcmp(state, "cancelled") != 0) {
            wo.chase_count = 1;
            int64_t at = wo.created_at + (d->now - wo.created_at) / 2;
            add_wo_event(ev, &n, at, wo.created_by, "chased", NULL, NULL, "业主来电催促");
        }
        snprintf(wo.state, sizeof wo.state, "%s", state);
        /* A passed resolution deadline is recorded as escalate would (core). */
        if (gj_wo_resolve_breached(&wo, d->now))
            add_wo_event(ev, &n, gj_wo_resolve_deadline(&wo, d->now), 0, "resolve_breached", NULL,
                         NULL, NULL);
        wo.meta.updated_at = wo.created_at;
        for (int k = 0; k < n; k++)
            if (ev[k].at > wo.meta.updated_at)
                wo.meta.updated_at = ev[k].at;
        wo.meta.updated_by = wo.created_by;
        TRY(gj_bulk_work_order(d->db, &wo, ev, n, &d->err));
        d->n_orders++;
    }
    gj_progress_done();
    return GJ_OK;
}

/* ---- complaints ----------------------------------------------------------- */

static void add_c_event(struct gj_complaint_event *ev, int *n, int64_t at, int64_t user,
                        const char *kind, const char *reason, int from, int to, const char *note)
{
    struct gj_complaint_event *e = &ev[(*n)++];
    e->id = 0;
    e->complaint_id = 0;
    e->at = at;
    e->user_id = user;
    e->cycle = 1;
    snprintf(e->kind, sizeof e->kind, "%s", kind);
    snprintf(e->reason, sizeof e->reason, "%s", reason ? reason : "");
    e->from_level = from;
    e->to_level = to;
    snprintf(e->note, sizeof e->note, "%s", note ? note : "");
}

static int make_complaints(struct demo *d)
{
    static const char *const grades[] = {"minor", "minor",    "minor",    "minor",    "minor",
                                         "minor", "moderate", "moderate", "moderate", "serious"};
    int64_t window = (int64_t)d->sc->wo_window_days * DAY;
    for (long i = 0; i < d->sc->complaints; i++) {
        gj_progress(_("Complaints"), i + 1, d->sc->complaints);
        const struct complaint_kind *k = &PICK(complaint_kinds);
        static struct gj_complaint c;
        complaint_clear(&c);
        /* Older complaints are mostly closed; bias towards recent ones so the
         * queue has work in every state. */
        int64_t left = d->sc->complaints - i;
        int64_t age = (int64_t)((double)window * (double)left * (double)left /
                                ((double)d->sc->complaints * (double)d->sc->complaints)) -
                      pick(1800);
        if (age < 1200)
            age = 1200 + pick(3600);
        if (i >= d->sc->complaints - 3)
            age = 300 + pick(300); /* just came in: not acknowledged yet */
        c.created_at = d->now - age;
        c.unit_id = d->first_unit + pick(d->last_unit - d->first_unit + 1);
        c.person_id = d->sc->complaints <= 5000 ? unit_owner(d, c.unit_id) : 0;
        snprintf(c.channel, sizeof c.channel, "%s", PICK(channels));
        snprintf(c.subject, sizeof c.subject, "%s", k->subject);
        snprintf(c.detail, sizeof c.detail, "%s", k->detail);
        snprintf(c.category, sizeof c.category, "%s", k->category);
        int g = (int)pick(10);
        snprintf(c.grade, sizeof c.grade, "%s", grades[g]);
        int base = g < 6 ? 0 : (g < 9 ? 1 : 2);
        c.level = base;
        c.cycle = 1;
        int64_t ack = d->c_sla[base].respond_minutes * 60LL;
        int64_t resolve = d->c_sla[base].resolve_minutes * 60LL;
        c.ack_due_at = c.created_at + ack;
        c.resolve_due_at = c.created_at + resolve;
        c.created_by = chance(50) ? d->butler : d->butler2;
        int64_t handlers[] = {d->butler, d->supervisor, d->manager, d->manager};
        static struct gj_complaint_event ev[12];
        int n = 0;
        add_c_event(ev, &n, c.created_at, c.created_by, "created", NULL, -1, base, NULL);

        int late_ack = chance(10), late_resolve = chance(15);
        int64_t t_ack = c.created_at + ack / 2 + (late_ack ? ack : 0);
        int64_t t_resolve =
            c.created_at + resolve / 2 + pick(resolve / 3 + 1) + (late_resolve ? resolve : 0);
        int64_t t_revisit = t_resolve + DAY + pick(2 * DAY);
        const char *state = "open";
        /* Escalate one level when a deadline passes. */
        if (late_ack && c.ack_due_at < d->now) {
            add_c_event(ev, &n, c.ack_due_at, 0, "escalated", "ack_overdue", c.level, c.level + 1,
                        NULL);
            c.level++;
        }
        if (t_ack < d->now) {
            state = "acknowledged";
            c.acknowledged_at = t_ack;
            add_c_event(ev, &n, t_ack, handlers[c.level], "acknowledged", NULL, -1, -1, NULL);
        }
        int64_t resolved_or_now = t_resolve < d->now ? t_resolve : d->now;
        if (strcmp(state, "acknowledged") == 0 && resolved_or_now > c.resolve_due_at &&
            c.level < 3) {
            add_c_event(ev, &n, c.resolve_due_at, 0, "escalated", "resolve_overdue", c.level,
                        c.level + 1, NULL);
            c.level++;
        }
        if (strcmp(state, "acknowledged") == 0 && t_resolve < d->now) {
            state = "resolved";
            c.resolved_at = t_resolve;
            c.revisit_due_at = t_resolve + 3 * DAY;
            snprintf(c.action_taken, sizeof c.action_taken, "%s", "已上门核实并协调处理");
            snprintf(c.result, sizeof c.result, "%s", "问题已解决，业主认可");
            if (base > 0) {
                snprintf(c.root_cause, sizeof c.root_cause, "%s", "巡查和交接流程有疏漏");
                snprintf(c.corrective_action, sizeof c.corrective_action, "%s",
                         "增加每日巡查并纳入交接班检查表");
            }
            add_c_event(ev, &n, t_resolve, handlers[c.level], "resolved", NULL, -1, -1, c.result);
        }
        if (strcmp(state, "resolved") == 0 && t_revisit < d->now && chance(85)) {
            c.satisfaction = 3 + (int)pick(3);
            c.revisited_at = t_revisit;
            snprintf(c.revisit_comment, sizeof c.revisit_comment, "%s",
                     c.satisfaction >= 4 ? "业主表示满意" : "基本满意");
            add_c_event(ev, &n, t_revisit, c.created_by, "revisited", NULL, -1, -1,
                        c.revisit_comment);
            state = "closed";
            c.closed_at = t_revisit;
            add_c_event(ev, &n, t_revisit, c.created_by, "closed", NULL, -1, -1, NULL);
        }
        snprintf(c.state, sizeof c.state, "%s", state);
        /* Whatever else has come due by now is on record, as the ladder
         * (core/complaint_rules.c) would have recorded it. */
        unsigned recorded = 0;
        for (int j = 0; j < n; j++)
            if (strcmp(ev[j].kind, "escalated") == 0)
                recorded |= gj_complaint_reason_bit(ev[j].reason);
        struct gj_complaint_escalation due[3];
        int n_due = gj_complaint_escalations_due(&c, recorded, d->now, due);
        for (int j = 0; j < n_due; j++) {
            char when[32];
            gj_format_datetime(due[j].due_at, when, sizeof when);
            add_c_event(ev, &n, due[j].due_at, 0, "escalated", due[j].reason, due[j].from_level,
                        due[j].to_level, when);
            c.level = due[j].to_level;
        }
        c.assignee_user_id = handlers[c.level];
        c.meta.updated_at = ev[n - 1].at;
        c.meta.updated_by = c.created_by;
        TRY(gj_bulk_complaint(d->db, &c, ev, n, &d->err));
        d->n_complaints++;
    }
    gj_progress_done();
    return GJ_OK;
}

/* ---- a few contact-log entries ------------------------------------------- */

static int make_contacts(struct demo *d)
{
    static const char *const summaries[] = {"上门拜访，了解入住感受", "电话回访维修情况",
                                            "微信通知停水安排", "业主来访咨询装修手续"};
    long n = d->sc->work_orders <= 5000 ? 120 : 20000;
    for (long i = 0; i < n; i++) {
        struct gj_contact c;
        memset(&c, 0, sizeof c);
        c.unit_id = d->first_unit + pick(d->last_unit - d->first_unit + 1);
        c.person_id = n <= 5000 ? unit_owner(d, c.unit_id) : 0;
        snprintf(c.channel, sizeof c.channel, "%s", PICK(channels));
        snprintf(c.summary, sizeof c.summary, "%s", PICK(summaries));
        c.at = d->now - pick((int64_t)d->sc->wo_window_days * DAY);
        c.user_id = chance(50) ? d->butler : d->butler2;
        TRY(gj_bulk_contact(d->db, &c, &d->err));
    }
    return GJ_OK;
}

static int generate(struct demo *d)
{
    TRY(load_sla(d));
    TRY(make_users(d));
    TRY(make_departments(d));
    TRY(make_fee_items(d));
    TRY(gj_setting_set(d->db, d->manager, "estate.name", "翠湖花园", 1, &d->err));
    TRY(make_estate(d));
    TRY(make_work_orders(d));
    TRY(make_complaints(d));
    TRY(make_contacts(d));
    return GJ_OK;
}

int gj_cmd_demo(struct gj_cli *cli)
{
    const char *scale_name = "small";
    for (int i = 1; i < cli->argc; i++) {
        if (strcmp(cli->argv[i], "--scale") == 0 && i + 1 < cli->argc)
            scale_name = cli->argv[++i];
        else if (strncmp(cli->argv[i], "--scale=", 8) == 0)
            scale_name = cli->argv[i] + 8;
        else
            return gj_cli_usage(cli, _("unknown argument"));
    }
    const struct scale *sc = NULL;
    for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++)
        if (strcmp(scales[i].name, scale_name) == 0)
            sc = &scales[i];
    if (!sc)
        return gj_cli_usage(cli, _("--scale must be small or large"));

    struct stat st;
    int existed = stat(cli->db_path, &st) == 0;
    struct demo d;
    memset(&d, 0, sizeof d);
    d.sc = sc;
    d.now = gj_now();
    d.this_month = gj_month_of(d.now);
    if (gj_db_open(cli->db_path, GJ_DB_CREATE | (existed ? 0 : GJ_DB_BULK), &d.db, &d.err) != GJ_OK)
        return gj_cli_fail_err("demo", &d.err);
    struct gj_estate_counts counts;
    if (gj_estate_count(d.db, &counts, &d.err) != GJ_OK) {
        gj_db_close(d.db);
        return gj_cli_fail_err("demo", &d.err);
    }
    if (counts.units > 0 || counts.work_orders > 0 || counts.bills > 0) {
        gj_db_close(d.db);
        char why[200];
        snprintf(why, sizeof why,
                 _("%s already holds an estate (%lld units); the demo needs a new database"),
                 cli->db_path, (long long)counts.units);
        return gj_cli_fail("demo", why);
    }
    int rc = gj_bulk_begin(d.db, "demo", &d.err);
    if (rc == GJ_OK) {
        rc = generate(&d);
        gj_progress_done();
        char summary[400];
        snprintf(summary, sizeof summary,
                 "{\"demo\":\"%s\",\"units\":%lld,\"persons\":%lld,\"bills\":%lld,"
                 "\"payments\":%lld,\"work_orders\":%lld,\"complaints\":%lld}",
                 sc->name, (long long)d.n_units, (long long)d.n_persons, (long long)d.n_bills,
                 (long long)d.n_payments, (long long)d.n_orders, (long long)d.n_complaints);
        struct gj_error end_err;
        int end = gj_bulk_end(d.db, 0, summary, rc == GJ_OK, &end_err);
        if (rc == GJ_OK && end != GJ_OK) {
            rc = end;
            d.err = end_err;
        }
    }
    gj_db_close(d.db);
    if (rc != GJ_OK) {
        if (!existed)
            gj_remove_db_files(cli->db_path);
        return gj_cli_fail_err("demo", &d.err);
    }
    printf(_("Demo estate (%s) written to %s: %lld units, %lld persons, %lld bills, "
             "%lld payments, %lld work orders, %lld complaints.\n"),
           sc->name, cli->db_path, (long long)d.n_units, (long long)d.n_persons,
           (long long)d.n_bills, (long long)d.n_payments, (long long)d.n_orders,
           (long long)d.n_complaints);
    return GJ_EXIT_OK;
}
