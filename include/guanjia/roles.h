/* Roles and what each may do (core/, no I/O). The product has four roles,
 * each doing everything the one below does and more:
 *   trainee    见习管家  read-only on real data, personal data masked;
 *                        takes the training
 *   butler     管家      owner records, work orders, fee collection
 *                        (payments, receipts, dunning), minor complaints,
 *                        revisits, the contact log
 *   supervisor 客服主管  + moderate complaints, regrading, reassigning,
 *                        reversing payments, reports, exports, the audit
 *                        log, assessing trainees
 *   manager    物业经理  + serious complaints, fee items, billing runs,
 *                        SLA targets, imports, users, staff, settings,
 *                        backups
 * Bulk export of personal data is refused to butlers (a list of every
 * owner's phone and ID number leaves the building too easily); imports
 * replace records wholesale, so only the manager runs them.
 * Screens and commands ask gj_require() before every action and show its
 * message when it refuses. */
#ifndef GUANJIA_ROLES_H
#define GUANJIA_ROLES_H

#include <stddef.h>
#include "guanjia/error.h"

enum gj_role { GJ_ROLE_TRAINEE, GJ_ROLE_BUTLER, GJ_ROLE_SUPERVISOR, GJ_ROLE_MANAGER };

#define GJ_ROLE_COUNT 4

/* Everything the product lets somebody do, one value per permission. */
enum gj_action {
    /* owners, units and households */
    GJ_ACTION_VIEW_OWNERS,        /* browse owner, unit and household records (masked) */
    GJ_ACTION_VIEW_PERSONAL_DATA, /* full phone and ID numbers on a detail view */
    GJ_ACTION_EDIT_OWNERS,        /* add or edit owners, units and households */
    GJ_ACTION_ARCHIVE_OWNERS,     /* archive a record (move-out, sale) */
    GJ_ACTION_ADD_CONTACT,        /* add an entry to the contact log */
    GJ_ACTION_IMPORT,             /* import records from CSV */
    GJ_ACTION_EXPORT,             /* export records (personal data in bulk) to CSV */
    /* work orders */
    GJ_ACTION_VIEW_WORK_ORDERS,
    GJ_ACTION_CREATE_WORK_ORDER,
    GJ_ACTION_DISPATCH_WORK_ORDER,
    GJ_ACTION_UPDATE_WORK_ORDER, /* start, hold, resume, resolve */
    GJ_ACTION_CLOSE_WORK_ORDER,  /* close with the owner's feedback */
    GJ_ACTION_CANCEL_WORK_ORDER,
    GJ_ACTION_EDIT_SLA, /* response and resolution targets */
    /* complaints */
    GJ_ACTION_VIEW_COMPLAINTS,
    GJ_ACTION_CREATE_COMPLAINT,
    GJ_ACTION_HANDLE_MINOR_COMPLAINT,
    GJ_ACTION_HANDLE_MODERATE_COMPLAINT,
    GJ_ACTION_HANDLE_SERIOUS_COMPLAINT,
    GJ_ACTION_REGRADE_COMPLAINT,
    GJ_ACTION_REASSIGN_COMPLAINT,
    GJ_ACTION_REVISIT_COMPLAINT, /* 回访 */
    /* fees */
    GJ_ACTION_VIEW_FEES, /* bills, payments, arrears */
    GJ_ACTION_TAKE_PAYMENT,
    GJ_ACTION_PRINT_RECEIPT, /* originals and copies */
    GJ_ACTION_REVERSE_PAYMENT,
    GJ_ACTION_RECORD_DUNNING, /* 催缴 contacts and notices */
    GJ_ACTION_EDIT_FEE_ITEMS,
    GJ_ACTION_RUN_BILLING,
    /* reports */
    GJ_ACTION_VIEW_REPORTS,
    /* training */
    GJ_ACTION_TAKE_TRAINING,
    GJ_ACTION_ASSESS_TRAINEES,
    /* administration */
    GJ_ACTION_VIEW_AUDIT_LOG,
    GJ_ACTION_MANAGE_USERS, /* users, roles, password resets */
    GJ_ACTION_MANAGE_STAFF, /* departments and the staff work is dispatched to */
    GJ_ACTION_BACKUP,
    GJ_ACTION_CHANGE_SETTINGS,
    GJ_ACTION_COUNT
};

/* "trainee" "butler" "supervisor" "manager" (as stored in users.role) to
 * the role. GJ_OK, or GJ_EINVAL for anything else (NULL included; *out
 * is left alone). Letter case matters: the database stores lower case. */
int gj_role_parse(const char *code, enum gj_role *out);
/* The stored code of role; "" for a value outside the enum. */
const char *gj_role_code(enum gj_role role);
/* The translated name of role (见习管家, 管家, 客服主管, 物业经理). */
const char *gj_role_label(enum gj_role role);
/* The translated short description of action, a verb phrase that reads
 * after "may not" (e.g. "change fee items" / 修改收费项目). */
const char *gj_action_label(enum gj_action action);

/* 1 when role may do action, else 0 (also for values outside the enums). */
int gj_role_can(enum gj_role role, enum gj_action action);
/* GJ_OK when role may do action; else GJ_EPERM and err names both, e.g.
 * "a butler may not change fee items" (管家无权修改收费项目). */
int gj_require(enum gj_role role, enum gj_action action, struct gj_error *err);

/* The action that handling a complaint of grade ("minor" "moderate"
 * "serious") needs. GJ_OK, or GJ_EINVAL for an unknown grade. */
int gj_complaint_grade_action(const char *grade, enum gj_action *out);

/* ---- personal data ---- */

/* Where personal data is shown: lists always mask; a detail view shows it
 * in full to butlers and above. */
enum gj_view { GJ_VIEW_LIST, GJ_VIEW_DETAIL };

/* 1 when role sees full phone and ID numbers on detail views (butler and
 * above); trainees see them masked everywhere. */
int gj_role_sees_full_personal_data(enum gj_role role);

/* Masks an ID number (身份证号) for display: the first 6 and the last 4
 * characters stay, every other becomes '*':
 * "11010519491231002X" -> "110105********002X". Numbers shorter than 11
 * characters (passports, permits) keep only their last 4, and those
 * shorter than 8 are masked completely. Invalid bytes count as one
 * character each. out is always NUL-terminated (cut at a character
 * boundary when too small); NULL or "" gives "". */
void gj_mask_id_number(const char *id, char *out, size_t outsz);

/* A phone number as role may see it in view: in full on a detail view for
 * butler and above, else masked by gj_phone_mask ("138****5678"). */
void gj_show_phone(enum gj_role role, enum gj_view view, const char *phone, char *out,
                   size_t outsz);
/* An ID number as role may see it in view: in full on a detail view for
 * butler and above, else masked by gj_mask_id_number. */
void gj_show_id_number(enum gj_role role, enum gj_view view, const char *id, char *out,
                       size_t outsz);

#endif
