/* The records of the product, as the repository layer reads and writes
 * them. Fields mirror src/db/migrations/001_schema.sql. Conventions:
 * - ids are > 0; 0 means "none" (SQL NULL) for optional references;
 * - times are UTC epoch seconds; 0 means "not set" for optional times;
 * - money is int64 fen; months are yyyymm;
 * - text is UTF-8, NUL-terminated, in fixed buffers sized for the schema's
 *   limits (4 bytes per character); an empty string is SQL NULL when the
 *   column is optional;
 * - enumerations are stored as their schema codes ("in_progress"). */
#ifndef GUANJIA_MODEL_H
#define GUANJIA_MODEL_H

#include <stdint.h>

#define GJ_NAME_CHARS   64
#define GJ_NAME_BYTES   (GJ_NAME_CHARS * 4 + 1)
#define GJ_SHORT_CHARS  200
#define GJ_SHORT_BYTES  (GJ_SHORT_CHARS * 4 + 1)
#define GJ_NOTE_CHARS   2000
#define GJ_NOTE_BYTES   (GJ_NOTE_CHARS * 4 + 1)
#define GJ_TEXT_CHARS   4000
#define GJ_TEXT_BYTES   (GJ_TEXT_CHARS * 4 + 1)
#define GJ_REASON_CHARS 500
#define GJ_REASON_BYTES (GJ_REASON_CHARS * 4 + 1)
#define GJ_PHONE_BYTES  16
#define GJ_CODE_BYTES   24

/* Bookkeeping of every mutable row (optimistic concurrency). */
struct gj_row_meta {
    int64_t version; /* the version read; updates must match it */
    int64_t updated_at;
    int64_t updated_by; /* users.id, 0 = the system */
};

struct gj_unit {
    int64_t id;
    int building, entrance, floor, room;
    int64_t area_centi_m2;      /* area in 0.01 m2 */
    char status[GJ_CODE_BYTES]; /* unsold delivered occupied vacant renovating */
    int64_t delivered_at;
    char notes[GJ_NOTE_BYTES];
    int archived;
    int64_t created_at;
    struct gj_row_meta meta;
};

struct gj_person {
    int64_t id;
    char name[GJ_NAME_BYTES];
    char phone[GJ_PHONE_BYTES]; /* canonical (see phone.h), "" = none */
    char phone2[GJ_PHONE_BYTES];
    char id_number[20];
    char notes[GJ_NOTE_BYTES];
    char initials[GJ_NAME_CHARS + 1]; /* set by the repository from the name */
    int archived;
    int64_t created_at;
    struct gj_row_meta meta;
};

struct gj_unit_person {
    int64_t id, unit_id, person_id;
    char relation[GJ_CODE_BYTES]; /* owner tenant family */
    int64_t start_at, end_at;
    int64_t created_at;
    struct gj_row_meta meta;
};

struct gj_vehicle {
    int64_t id, person_id, unit_id;
    char plate[40];
    char description[GJ_SHORT_BYTES];
    int archived;
    int64_t created_at;
    struct gj_row_meta meta;
};

struct gj_parking_space {
    int64_t id;
    char code[68];
    char zone[132];
    char kind[GJ_CODE_BYTES]; /* owned rented visitor */
    int64_t unit_id, vehicle_id, assigned_at;
    int archived;
    int64_t created_at;
    struct gj_row_meta meta;
};

struct gj_department {
    int64_t id;
    char name[GJ_NAME_BYTES];
    char kind[GJ_CODE_BYTES]; /* customer_service maintenance cleaning landscaping security finance
                                 management other */
    int active;
    int64_t created_at;
    struct gj_row_meta meta;
};

struct gj_staff {
    int64_t id, department_id;
    char name[GJ_NAME_BYTES];
    char phone[GJ_PHONE_BYTES];
    char title[GJ_NAME_BYTES];
    int active;
    int64_t created_at;
    struct gj_row_meta meta;
};

struct gj_user {
    int64_t id;
    char login[33];
    char name[GJ_NAME_BYTES];
    char role[GJ_CODE_BYTES]; /* trainee butler supervisor manager */
    char rank[GJ_CODE_BYTES]; /* trainee assistant butler senior head */
    char password_hash[128];
    int active;
    int failed_logins;
    int64_t locked_until;
    int64_t staff_id;
    int64_t created_at;
    struct gj_row_meta meta;
};

struct gj_work_order {
    int64_t id, unit_id, person_id;
    char channel[GJ_CODE_BYTES]; /* phone wechat email walk_in other */
    char
        category[GJ_CODE_BYTES]; /* repair cleaning landscaping security enquiry suggestion other */
    char priority[GJ_CODE_BYTES]; /* urgent high normal low */
    char state[GJ_CODE_BYTES];    /* new dispatched in_progress on_hold resolved closed cancelled */
    char description[GJ_TEXT_BYTES];
    int64_t appointment_at;
    int64_t respond_due_at, resolve_due_at;
    int64_t promised_at;
    char promise_reason[GJ_REASON_BYTES];
    int64_t department_id, assignee_staff_id;
    int64_t responded_at, resolved_at, closed_at;
    int64_t paused_seconds, hold_started_at;
    char hold_reason[GJ_CODE_BYTES]; /* owner parts other */
    char resolution[GJ_TEXT_BYTES];
    int satisfaction; /* 0 = none, else 1..5 */
    char feedback[GJ_NOTE_BYTES];
    char cancel_reason[GJ_REASON_BYTES];
    int chase_count;
    int64_t created_at, created_by;
    struct gj_row_meta meta;
};

struct gj_wo_event {
    int64_t id, work_order_id, at, user_id;
    char kind[GJ_CODE_BYTES];
    char from_state[GJ_CODE_BYTES], to_state[GJ_CODE_BYTES];
    char note[GJ_TEXT_BYTES];
};

struct gj_complaint {
    int64_t id, unit_id, person_id;
    char channel[GJ_CODE_BYTES];
    char subject[GJ_SHORT_BYTES];
    char detail[GJ_TEXT_BYTES];
    char category[GJ_CODE_BYTES]; /* attitude repair_quality noise sanitation security fees parking
                                     neighbour other */
    char grade[GJ_CODE_BYTES];    /* minor moderate serious */
    int level;                    /* 0 butler, 1 supervisor, 2 manager, 3 management alerted */
    char state[GJ_CODE_BYTES];    /* open acknowledged resolved closed */
    int cycle;
    int64_t cycle_started_at; /* when this cycle began: 0 = at created_at */
    int64_t assignee_user_id;
    int64_t ack_due_at, resolve_due_at;
    int64_t acknowledged_at, resolved_at, revisit_due_at, revisited_at, closed_at;
    char action_taken[GJ_TEXT_BYTES];
    char result[GJ_TEXT_BYTES];
    char root_cause[GJ_TEXT_BYTES];
    char corrective_action[GJ_TEXT_BYTES];
    int satisfaction;
    char revisit_comment[GJ_NOTE_BYTES];
    int64_t created_at, created_by;
    struct gj_row_meta meta;
};

struct gj_complaint_event {
    int64_t id, complaint_id, at, user_id;
    char kind[GJ_CODE_BYTES];
    int cycle;
    char reason[GJ_CODE_BYTES]; /* for escalations: ack_overdue resolve_overdue resolve_overdue_more
                                 */
    int from_level, to_level;   /* -1 = not set */
    char note[GJ_TEXT_BYTES];
};

struct gj_fee_item {
    int64_t id;
    char name[GJ_NAME_BYTES];
    char kind[GJ_CODE_BYTES];   /* per_m2 per_space fixed */
    int64_t rate_fen;           /* per m2 per month, per space per month, or per month */
    int active_from, active_to; /* yyyymm; active_to 0 = open-ended */
    int64_t created_at;
    struct gj_row_meta meta;
};

struct gj_bill {
    int64_t id, unit_id, fee_item_id, parking_space_id;
    int period; /* yyyymm */
    int64_t quantity, rate_fen, amount_fen, paid_fen;
    int64_t due_at, created_at;
    struct gj_row_meta meta;
};

struct gj_payment {
    int64_t id;
    int64_t receipt_no;
    int64_t unit_id;
    char payer_name[GJ_NAME_BYTES];
    char method[GJ_CODE_BYTES]; /* cash wechat alipay card transfer */
    int64_t amount_fen;         /* negative for a reversal */
    int64_t reverses_payment_id;
    char reason[GJ_REASON_BYTES];
    int64_t created_at, created_by;
};

struct gj_allocation {
    int64_t id, payment_id, bill_id, amount_fen;
};

struct gj_dunning {
    int64_t id, unit_id, person_id;
    char channel[GJ_CODE_BYTES]; /* phone wechat sms visit letter other */
    char result[GJ_CODE_BYTES];  /* promised refused no_answer disputed paid other */
    int64_t promised_at, promised_fen;
    char note[GJ_NOTE_BYTES];
    int64_t at, user_id;
};

struct gj_contact {
    int64_t id, unit_id, person_id;
    char channel[GJ_CODE_BYTES];
    char summary[GJ_NOTE_BYTES];
    char result[GJ_NOTE_BYTES];
    int64_t work_order_id, complaint_id;
    int64_t at, user_id;
};

struct gj_training_progress {
    int64_t id, user_id;
    char item_id[33];
    char status[GJ_CODE_BYTES]; /* started read passed */
    struct gj_row_meta meta;
};

struct gj_quiz_result {
    int64_t id, user_id;
    int chapter, score, max_score;
    char answers[GJ_TEXT_BYTES];
    int64_t taken_at;
};

struct gj_practice_result {
    int64_t id, user_id;
    char task_id[33];
    int passed;
    char feedback[GJ_TEXT_BYTES];
    int64_t at;
};

struct gj_assessment {
    int64_t id, trainee_id, assessor_id;
    int professional, communication, management, service; /* 1..5 */
    char note[GJ_NOTE_BYTES];
    int64_t at;
};

struct gj_sla_target {
    int64_t id;
    char kind[GJ_CODE_BYTES];  /* work_order complaint */
    char level[GJ_CODE_BYTES]; /* urgent.. / minor.. */
    int respond_minutes, resolve_minutes;
    struct gj_row_meta meta;
};

struct gj_setting {
    int64_t id;
    char key[65];
    char value[4001];
    struct gj_row_meta meta;
};

struct gj_audit_entry {
    int64_t id, at, user_id;
    char action[GJ_CODE_BYTES];
    char entity[40];
    int64_t entity_id;
    char *old_values; /* JSON, malloc'd; freed by gj_audit_entry_free */
    char *new_values;
};

#endif
