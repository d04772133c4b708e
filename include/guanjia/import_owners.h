/* Owner lists in CSV (core/, no I/O, no SQL): which column is which, and
 * each line checked and turned into a record, ready for the repositories.
 *
 * Columns are found by their header, in English or Chinese, in any order:
 *   unit       房号 房屋 房间号 | unit, unit code, room            (required)
 *   name       姓名 名字 | name                                    (required)
 *   phone      电话 手机 手机号 联系电话 | phone, mobile, tel
 *   phone2     电话2 手机2 备用电话 | phone2, second phone
 *   relation   身份 关系 | relation: 业主/owner, 租户/tenant, 家属/家庭成员/family
 *                                                                  (required)
 *   area       面积 建筑面积 | area: m², up to 2 decimals (needed to create a unit)
 *   start date 入住日期 入住时间 | start date, move-in date: YYYY-MM-DD or YYYY/MM/DD
 *   id_number  身份证号 身份证 | id number, id_number
 *   notes      备注 | notes
 * The header, blank lines and how problems are reported are the same for
 * every import: see import_common.h. */
#ifndef GUANJIA_IMPORT_OWNERS_H
#define GUANJIA_IMPORT_OWNERS_H

#include <stddef.h>
#include <stdint.h>
#include "guanjia/error.h"
#include "guanjia/import_common.h"
#include "guanjia/model.h"
#include "guanjia/unitcode.h"

enum gj_owner_col {
    GJ_OWNER_UNIT,
    GJ_OWNER_NAME,
    GJ_OWNER_PHONE,
    GJ_OWNER_PHONE2,
    GJ_OWNER_RELATION,
    GJ_OWNER_AREA,
    GJ_OWNER_START,
    GJ_OWNER_ID_NUMBER,
    GJ_OWNER_NOTES,
    GJ_OWNER_NCOLS
};

/* The header name export writes for column c, English or Chinese (zh);
 * import reads both. */
const char *gj_owner_col_name(enum gj_owner_col c, int zh);
/* The relation as export writes it: "owner" or "业主" for "owner". */
const char *gj_owner_relation_name(const char *code, int zh);

/* Maps a header record (found on line) onto the owner columns: see
 * gj_import_header_map. Free h with gj_import_header_free either way;
 * gj_import_header_label(h, c) is what messages call column c. */
int gj_owner_header_map(struct gj_import_header *h, char *const *fields, size_t n, long line,
                        gj_import_report_fn report, void *ctx);

/* One checked line. */
struct gj_owner_row {
    long line;
    struct gj_unitcode unit;
    struct gj_person person;      /* name, phone, phone2, id_number, notes:
                                     checked and canonical (gj_person_validate) */
    char relation[GJ_CODE_BYTES]; /* owner tenant family */
    int64_t area_centi_m2;        /* 0 = not given */
    int64_t start_at;             /* local midnight of the move-in date, 0 = not given */
    int unit_ok;                  /* the unit (and area, if given) are valid even
                                     when another field is not */
};

/* Checks one record (fields, n, starting on line) against the header.
 * Reports each bad field; returns GJ_OK (out is ready) or GJ_EINVAL. */
int gj_owner_row_parse(const struct gj_import_header *h, char *const *fields, size_t n, long line,
                       struct gj_owner_row *out, gj_import_report_fn report, void *ctx);

/* An area in m² ("89.5", "89.50 ㎡", "120平米") into 0.01 m² units:
 * 0.01 to 100,000 with at most 2 decimals. */
int gj_area_parse(const char *s, int64_t *centi_m2, struct gj_error *err);
/* A date "YYYY-MM-DD", "YYYY/MM/DD" or "YYYY.MM.DD" to its local midnight. */
int gj_import_date_parse(const char *s, int64_t *out, struct gj_error *err);

#endif
