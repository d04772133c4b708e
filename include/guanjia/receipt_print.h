/* Printing a payment's receipt: the document written to the receipts
 * folder beside the database, and the record of the print. The one code
 * path the console and the stress driver share. */
#ifndef GUANJIA_RECEIPT_PRINT_H
#define GUANJIA_RECEIPT_PRINT_H

#include <stddef.h>
#include <stdint.h>
#include "guanjia/db.h"
#include "guanjia/error.h"
#include "guanjia/model.h"
#include "guanjia/roles.h"

/* Writes the receipt of payment p (as gj_payment_take or gj_payment_get
 * filled it) to <folder of the database>/receipts/SJnnnnnnnn.txt, the
 * original once, later prints as -copyN, then records the print as actor
 * (role must be allowed to print receipts). The file is complete on disk
 * (synced) before the print is recorded. Fills path (pathsz bytes) with
 * where it went; GJ_OK or the error. */
int gj_receipt_print(struct gj_db *db, enum gj_role role, int64_t actor, const struct gj_payment *p,
                     char *path, size_t pathsz, struct gj_error *err);

#endif
