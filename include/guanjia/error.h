/* Errors carried back to the caller, who decides how to show them. */
#ifndef GUANJIA_ERROR_H
#define GUANJIA_ERROR_H

enum gj_status {
    GJ_OK = 0,
    GJ_EINVAL,      /* bad input: the message says which field and why */
    GJ_ENOTFOUND,   /* no such record */
    GJ_ECONFLICT,   /* the row was changed by someone else since it was read */
    GJ_ECONSTRAINT, /* the database refused the change (duplicate, rule) */
    GJ_EBUSY,       /* the database stayed locked past the busy timeout */
    GJ_EDB,         /* any other SQLite failure */
    GJ_EIO,         /* file system trouble */
    GJ_EPERM,       /* the role may not do this */
    GJ_EVERSION,    /* the database is newer than this program */
    GJ_EREADONLY,   /* the database cannot be written */
    GJ_ENOMEM
};

struct gj_error {
    enum gj_status code;
    char msg[512];
};

/* Sets err (if not NULL) and returns code, so callers can write
 * `return gj_err(err, GJ_EINVAL, _("phone: %s"), why);` */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int gj_err(struct gj_error *err, enum gj_status code, const char *fmt, ...);

/* Clears err to GJ_OK with an empty message. */
void gj_err_clear(struct gj_error *err);

#endif
